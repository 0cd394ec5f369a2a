"""Cases the differential test's long search (``--runslow -m slow``, HYPOTHESIS_PROFILE=dev)
found, each compared with NumPy directly: signed zeros of the cross product with a
2-vector, and NumPy's scalar kept by squeeze / transpose / reshape."""
import warnings

import numpy as np
import pytest

import ndgrad as nd


def _numpy_takes_2_vectors():
    """NumPy 2.0-2.4 take 2-vectors in ``cross`` (deprecated); 2.5 refuses them."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            np.cross([1.0, 2.0], [1.0, 2.0, 3.0])
    except ValueError:
        return False
    return True


two_vectors = pytest.mark.skipif(not _numpy_takes_2_vectors(),
                                 reason="this NumPy refuses 2-vectors in cross "
                                        "(test_cross_refuses_2_vectors_as_numpy)")


@pytest.mark.parametrize("na, nb", [pytest.param(2, 3, marks=two_vectors),
                                    pytest.param(3, 2, marks=two_vectors), (3, 3)])
@pytest.mark.parametrize("dt", ["float16", "float32", "float64", "int8", "complex128"])
def test_cross_signed_zeros_and_values_as_numpy(na, nb, dt):
    # NumPy negates the product of the missing component's partner (-(a0 * b2)), which is
    # -0.0 where the product is +0.0; ndgrad computed 0 - a0 * b2 (+0.0)
    rng = np.random.default_rng(na * 10 + nb)
    vals = np.array([0.0, -0.0, 1.0, -2.0, 3.5])
    a = rng.choice(vals, size=(6, na)).astype(dt)
    b = rng.choice(vals, size=(6, nb)).astype(dt)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        want = np.cross(a, b)
        got = np.asarray(nd.cross(nd.asarray(a), nd.asarray(b)))
    assert got.dtype == want.dtype and got.shape == want.shape
    np.testing.assert_array_equal(got, want)
    assert np.array_equal(np.signbit(got.real), np.signbit(want.real))


@pytest.mark.skipif(_numpy_takes_2_vectors(), reason="this NumPy takes 2-vectors")
def test_cross_refuses_2_vectors_as_numpy():
    for na, nb in ((2, 3), (3, 2), (2, 2)):
        a, b = np.ones(na), np.ones(nb)
        with pytest.raises(ValueError) as want:
            np.cross(a, b)
        with pytest.raises(ValueError) as got:
            nd.cross(nd.asarray(a), nd.asarray(b))
        assert str(got.value) == str(want.value)


@two_vectors
def test_cross_bool_2_vector_against_float16_gives_numpys_negative_zero():
    a = np.zeros((3, 3), bool)
    b = np.zeros((2, 3), np.float16)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        want = np.cross(a, b, axis=0)
        got = np.asarray(nd.cross(nd.asarray(a), nd.asarray(b), axis=0))
    assert np.array_equal(np.signbit(got), np.signbit(want)) and np.signbit(want).any()


@two_vectors
def test_cross_with_a_2_vector_keeps_its_gradient():
    y = nd.asarray([[3.0, 4.0, 5.0]])
    f = lambda x: nd.sum(nd.cross(x, y) ** 2)  # noqa: E731
    x0 = np.array([[1.0, 2.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        g = np.asarray(nd.grad(f)(nd.asarray(x0)))
        eps = 1e-6
        fd = [(np.sum(np.cross(x0 + d, np.asarray(y)) ** 2)
               - np.sum(np.cross(x0 - d, np.asarray(y)) ** 2)) / (2 * eps)
              for d in (np.array([[eps, 0.0]]), np.array([[0.0, eps]]))]
    np.testing.assert_allclose(g.ravel(), fd, rtol=1e-6)


@pytest.mark.parametrize("call", [
    lambda m, a: m.squeeze(a), lambda m, a: m.transpose(a), lambda m, a: m.reshape(a, ()),
    lambda m, a: m.reshape(a, (1,)), lambda m, a: m.squeeze(a, axis=0)])
@pytest.mark.parametrize("value", [np.float32(1.5), np.False_, np.int8(-3), 2.5,
                                   np.array(4.0)])
def test_scalar_in_scalar_out_as_numpy(call, value):
    # NumPy calls a NumPy scalar's own method: a scalar again (immutable: ``s += 1``
    # rebinds); a Python number or a 0-d array gives a 0-d array. ndgrad gave 0-d arrays
    want = call(np, value)
    got = call(nd, value)
    assert type(want) is np.ndarray or isinstance(want, np.generic)
    is_array = isinstance(got, nd.ndarray) and (got.ndim > 0 or getattr(got, "_array0d", False))
    assert is_array == (type(want) is np.ndarray), (repr(got), repr(want))
    assert np.asarray(got).dtype == np.asarray(want).dtype
    np.testing.assert_array_equal(np.asarray(got), want)


def test_squeeze_of_a_scalar_result_rebinds_on_inplace_add():
    s = nd.asarray([1.0, 2.0]).sum()      # NumPy's scalar np.float64(3.0)
    t = nd.squeeze(s)
    u = t
    t += 1                                 # a scalar: t is rebound, u keeps 3.0
    assert float(u) == 3.0 and float(t) == 4.0
    assert repr(nd.squeeze(s)) == repr(np.squeeze(np.float64(3.0)))


@pytest.mark.parametrize("name, value", [("lcm", -32768), ("add", 300), ("bitwise_or", 200), ("subtract", -129)])
def test_python_int_out_of_the_loops_range_raises_numpys_overflow_before_the_out_check(
        name, value):
    # NumPy converts the Python int for the int8 loop first (OverflowError); ndgrad
    # checked the out= casting first (TypeError)
    for mod, x, out in ((np, np.array(0, np.int8), np.array(0, np.uint8)),
                        (nd, nd.asarray(np.array(0, np.int8)),
                         nd.asarray(np.array(0, np.uint8)))):
        with pytest.raises(OverflowError, match=f"Python integer {value} out of bounds"):
            getattr(mod, name)(x, value, out=out)


@pytest.mark.parametrize("kw", [{"dtype": int, "casting": "unsafe"}, {"dtype": int},
                                {"dtype": np.float32}, {"casting": "no"}])
def test_numpys_vecdot_casts_the_inputs_to_dtype_as_numpy(kw):
    # np.vecdot on ndgrad arrays cast the float result afterwards: dtype=int, casting
    # 'unsafe' gave 8 (NumPy: the inputs [1, 2] . [2, 2] = 6), and dtype=int under
    # same_kind gave 8 where NumPy refuses
    x, y = np.array([1.5, 2.5]), np.array([2.0, 2.0])
    try:
        want = np.vecdot(x, y, **kw)
    except TypeError:
        with pytest.raises(TypeError):
            np.vecdot(nd.asarray(x), nd.asarray(y), **kw)
        return
    got = np.vecdot(nd.asarray(x), nd.asarray(y), **kw)
    assert np.asarray(got).dtype == want.dtype and float(got) == float(want)


def test_dtype_names_do_not_look_like_arrays():
    # the scalar type's public methods are reached (np.float64.fromhex), but not the
    # names arrays have: code telling an array by hasattr(x, "astype") must not take
    # np.float32 for one
    assert float(nd.float64.fromhex("0x1p1")) == 2.0
    for name in ("astype", "reshape", "tolist", "item", "copy", "view", "sum"):
        assert not hasattr(nd.float32, name), name


@pytest.mark.parametrize("value", [np.False_, np.float32(0.0), np.int8(3)])
def test_trim_zeros_of_numpys_scalar_gives_its_scalar(value):
    got, want = nd.trim_zeros(value), np.trim_zeros(value)
    assert isinstance(want, np.generic)
    assert not getattr(got, "_array0d", False) and repr(got) == repr(want)


# -- shape, size and split-point arguments as NumPy reads them ------------------------------
# (a sweep of shape-taking functions with float and boolean arguments: int() of a 0-d
# float array, a float in a shape tuple or a float split point truncated it, where NumPy
# raises TypeError: zeros(np.array(2.5)) was of shape (2,), eye(2.5) 2 x 2,
# broadcast_to(x, (2.0, 3)) and x.reshape(np.array([2.9, 3.0])) went through)
_SHAPE_CALLS = {
    "zeros": lambda m, x, s: m.zeros(s), "ones": lambda m, x, s: m.ones(s),
    "empty": lambda m, x, s: m.empty(s).shape, "full": lambda m, x, s: m.full(s, 1.0),
    "eye": lambda m, x, s: m.eye(s), "identity": lambda m, x, s: m.identity(s),
    "reshape": lambda m, x, s: m.reshape(x, s), "x.reshape": lambda m, x, s: x.reshape(s),
    "broadcast_to": lambda m, x, s: m.broadcast_to(x[:1], s),
    "split": lambda m, x, s: m.split(x, s), "array_split": lambda m, x, s: m.array_split(x, s),
}
_SHAPE_ARGS = [2.5, np.float64(3.0), np.array(3.0), True, np.True_, (2, 3.0), (2.0, 3),
               np.array([2.0, 3.0]), np.array([2.9, 3.0]), (True, 6), np.array([2, 3]),
               (np.int8(2), 3), np.array(6), 6, (6,), [np.array(2), 3], np.array([[2, 3]]),
               (2, 4), [3], (2, True), (2, np.float64(3.0)), (3, 2, np.int64(1))]


@pytest.mark.parametrize("name", list(_SHAPE_CALLS))
def test_shape_arguments_are_read_as_numpy_reads_them(name):
    f = _SHAPE_CALLS[name]
    for s in _SHAPE_ARGS:
        x = np.arange(6.0)
        try:
            want = f(np, x, s)
        except (TypeError, ValueError) as e:
            want = type(e)
        try:
            got = f(nd, nd.asarray(x), s)
        except (TypeError, ValueError) as e:
            got = type(e)
        if isinstance(want, type) or isinstance(got, type):
            # an error where NumPy raises one (a ValueError where NumPy's sections do not
            # divide evenly; ndgrad may refuse a float section count NumPy truncates)
            assert isinstance(want, type) and isinstance(got, type) or \
                isinstance(got, type) and name in ("split", "array_split"), (s, want, got)
            continue
        if isinstance(want, list):
            assert [np.asarray(g).tolist() for g in got] == [w.tolist() for w in want], s
        else:
            assert np.shape(got) == np.shape(want), (s, want, got)


@pytest.mark.parametrize("name", ["zeros", "ones", "empty", "full", "reshape", "broadcast_to"])
def test_a_generator_is_not_a_shape(name):
    # (a shape check that iterated the argument consumed a generator, so nd.zeros(generator)
    # was a 0-d array; NumPy refuses an iterator as a shape, and so does ndgrad now, while a
    # range, a sequence, stays a shape)
    # (NumPy's broadcast_to alone reads any iterable: tuple(shape))
    f = _SHAPE_CALLS[name]
    x = np.arange(6.0)
    if name == "broadcast_to":
        assert f(nd, nd.asarray(x), (n for n in (2, 3))).shape == (2, 3)
    else:
        with pytest.raises(TypeError):
            f(np, x, (n for n in (2, 3)))
        with pytest.raises(TypeError):
            f(nd, nd.asarray(x), (n for n in (2, 3)))
    assert np.shape(f(nd, nd.asarray(x), range(2, 4))) == np.shape(f(np, x, range(2, 4)))


# -- dot of strided and reversed operands ----------------------------------------------------
def _layouts(a):
    """``a`` (C order), in Fortran order, strided by 2 and reversed (each the same values)."""
    out = [a, a[..., ::-1].copy()[..., ::-1], np.repeat(a, 2, axis=-1)[..., ::2]]
    if a.ndim == 2:
        out += [np.asfortranarray(a), a[::-1].copy()[::-1]]
    return out


@pytest.mark.parametrize("dt", ["float32", "float64", "complex64", "complex128"])
def test_dot_gives_numpys_bits_for_every_layout(dt):
    # (nd.dot was matmul's value. For a strided or reversed operand NumPy's dot (BLAS with
    # the operand's strides) and its matmul (a loop) sum in different orders, so
    # np.dot(x, y[::-1]) printed 3386.2168 where nd.dot gave 3386.217, in float32.)
    rng = np.random.default_rng(3)
    for sa, sb in [((37,), (37,)), ((5, 37), (37,)), ((37,), (37, 6)), ((5, 37), (37, 6))]:
        a0 = (rng.standard_normal(sa) * 10).astype(dt)
        b0 = (rng.standard_normal(sb) * 10).astype(dt)
        for a in _layouts(a0):
            for b in _layouts(b0):
                want = np.dot(a, b)
                got = nd.dot(nd.asarray(a), nd.asarray(b))
                assert type(got) is not np.ndarray and np.asarray(got).dtype == want.dtype
                assert np.asarray(got).tobytes() == np.asarray(want).tobytes(), (sa, sb)
            if not dt.startswith("float"):
                continue
            # recorded: the differentiated operand ndgrad's own, the other one strided:
            # NumPy's value, and the product's gradient
            for b in _layouts(b0)[1:3]:
                bn = nd.asarray(b)
                got, grad = nd.value_and_grad(lambda x: nd.sum(nd.dot(x, bn) * 1.0))(
                    nd.asarray(a0.copy()))
                assert float(got) == float(np.sum(np.dot(a0, b)))
                want_grad = np.broadcast_to(b.sum(axis=-1) if b.ndim == 2 else b, a0.shape)
                np.testing.assert_allclose(np.asarray(grad), want_grad, rtol=1e-5)


# -- mean / var / std with a dtype= the data does not cast to safely, or a complex one -------
@pytest.mark.parametrize("name", ["mean", "var", "std", "nanvar", "nanstd"])
@pytest.mark.parametrize("data, dtype", [
    ("float64", "float32"), ("complex128", "float32"), ("int64", "float32"),
    ("float64", "complex128"), ("complex64", "complex64"), ("complex128", "complex128"),
    ("float16", "float16"), ("float32", "float16")])
def test_moments_with_dtype_give_numpys_bits(name, data, dtype):
    # (ndgrad cast the data to dtype= first. NumPy sums the data in dtype through its cast
    # buffer, takes the deviations in the data's precision and sums the squared moduli in
    # dtype (a complex sum pairs elements otherwise than a real one): var(x64,
    # dtype=float32) printed 6043.898 where NumPy gives 6043.8984; an explicit float16
    # mean sums in float16, inf where the sum overflows, where ndgrad gave 274.5)
    rng = np.random.default_rng(7)
    for shape in [(5, 7), (300,)]:
        if data.startswith("complex"):
            x = (rng.standard_normal(shape) + 1j * rng.standard_normal(shape)).astype(data)
        elif data == "int64":
            x = rng.integers(0, 2**40, shape).astype(data)
        else:
            x = (rng.standard_normal(shape) * 1e4).astype(data)
        for axis in (None, 0, -1):
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                want = getattr(np, name)(x, axis=axis, dtype=dtype)
                got = getattr(nd, name)(nd.asarray(x), axis=axis, dtype=dtype)
            assert np.asarray(got).dtype == np.asarray(want).dtype
            assert np.asarray(got).tobytes() == np.asarray(want).tobytes(), (shape, axis)
    # recorded: the composition's gradient (float64 data summed in float32: 2 (x - m) / n)
    x = rng.standard_normal((4, 6))
    if name == "var" and dtype == "float32" and data == "float64":
        g = nd.grad(lambda v: nd.sum(nd.var(v, dtype=np.float32)))(nd.asarray(x))
        np.testing.assert_allclose(np.asarray(g), 2 * (x - x.mean()) / x.size, rtol=1e-5)


@pytest.mark.parametrize("name", ["matvec", "vecmat"])
def test_matvec_vecmat_of_strided_operands_give_numpys_bits(name):
    # (computed as a matmul of a reshaped operand, whose loop sums a strided operand in
    # another order than NumPy's gufunc: 3.1909923534411444 where NumPy gives
    # 3.190992353441144)
    if not hasattr(np, name):
        pytest.skip(f"NumPy {np.__version__} has no {name}")
    rng = np.random.default_rng(11)
    m, v = rng.standard_normal((4, 37)), rng.standard_normal(37)
    if name == "vecmat":
        m = m.T.copy()
    for mm in _layouts(m):
        for vv in _layouts(v):
            args = (mm, vv) if name == "matvec" else (vv, mm)
            want = getattr(np, name)(*args)
            got = getattr(nd, name)(*(nd.asarray(a) for a in args))
            assert np.asarray(got).tobytes() == want.tobytes()


def test_roll_keeps_a_big_endian_dtype():
    # (NumPy's roll fills an empty_like of its input; ndgrad's concat gave the native dtype:
    # dtype('float64') where NumPy prints dtype('>f8'))
    a = np.arange(6.0).reshape(2, 3).astype(">f8")
    for axis in (None, 0, 1, (0, 1)):
        want = np.roll(a, 1, axis=axis)
        got = nd.roll(nd.asarray(a), 1, axis=axis)
        assert got.dtype == want.dtype and np.array_equal(np.asarray(got), want)


@pytest.mark.parametrize("dt", ["float16", "float32", "float64"])
def test_recorded_partition_is_numpys_arrangement(dt):
    # (recorded, partition gathered by argpartition's indices; NumPy's SIMD partition
    # places the elements other than the kth otherwise, so the recorded values differed
    # from np.partition's: 0.1945 where NumPy gives 0.1025, in float16 at 32 elements)
    rng = np.random.default_rng(2)
    for shape, axis in [((50,), -1), ((3000,), -1), ((7, 40), 0), ((300, 9), None)]:
        for x in (rng.standard_normal(shape).astype(dt),
                  rng.integers(0, 5, shape).astype(dt),
                  rng.choice(np.array([0.0, -0.0, 1.0], dt), shape)):
            n = x.size if axis is None else x.shape[axis]
            for kth in (0, n // 2, (1, n - 1)):
                want = np.partition(x, kth, axis=axis)
                w = rng.integers(-50, 50, want.shape).astype(dt)
                box = {}

                def f(v):
                    box["r"] = nd.partition(v, kth, axis=axis)
                    return nd.sum(box["r"] * nd.asarray(w))
                g = np.asarray(nd.grad(f)(nd.asarray(x)))
                assert np.asarray(box["r"].detach()).tobytes() == want.tobytes()
                # the gradient carries w back by a permutation that makes NumPy's result
                flat_x = x.ravel() if axis is None else np.moveaxis(x, axis, -1).ravel()
                flat_g = g.ravel() if axis is None else np.moveaxis(g, axis, -1).ravel()
                flat_w = want.ravel() if axis is None else np.moveaxis(want, axis, -1).ravel()
                flat_ww = w.ravel() if axis is None else np.moveaxis(w, axis, -1).ravel()
                if axis is None:
                    assert sorted(zip(flat_x.tolist(), flat_g.tolist())) == \
                        sorted(zip(flat_w.tolist(), flat_ww.tolist()))
                assert sorted(flat_g.tolist()) == sorted(flat_ww.tolist())


@pytest.mark.parametrize("spec, shapes", [
    ("ij,jk,kl->il", [(6, 7), (7, 8), (8, 5)]), ("ij,jk->ik", [(6, 7), (7, 8)]),
    ("ij,j->i", [(6, 7), (7,)]), ("bij,bjk->bik", [(3, 4, 5), (3, 5, 6)]),
    ("i,i", [(7,), (7,)])])
def test_einsum_optimize_gives_numpys_bits(spec, shapes):
    # (optimize= was taken and ignored: NumPy's optimized einsum contracts pairwise
    # through BLAS, other bits than the plain loop, and O(n^3) where the plain loop over
    # ij,jk,kl->il is O(n^4))
    rng = np.random.default_rng(4)
    ops = [rng.standard_normal(s) for s in shapes]
    path = np.einsum_path(spec, *ops, optimize="greedy")[0]
    for opt in (False, True, "greedy", "optimal", path, None):
        want = np.einsum(spec, *ops, optimize=opt)
        got = nd.einsum(spec, *map(nd.asarray, ops), optimize=opt)
        assert np.asarray(got).tobytes() == want.tobytes(), opt
        jitted = nd.jit(lambda *xs: nd.einsum(spec, *xs, optimize=opt))(*map(nd.asarray, ops))
        assert np.asarray(jitted).tobytes() == want.tobytes(), opt
        box = {}

        def f(x):
            box["r"] = nd.einsum(spec, x, *map(nd.asarray, ops[1:]), optimize=opt)
            return nd.sum(box["r"] * box["r"])
        g = nd.grad(f)(nd.asarray(ops[0]))
        assert np.asarray(box["r"].detach()).tobytes() == want.tobytes(), opt
        g0 = nd.grad(lambda x: nd.sum(nd.einsum(spec, x, *map(nd.asarray, ops[1:])) ** 2))(
            nd.asarray(ops[0]))
        np.testing.assert_allclose(np.asarray(g), np.asarray(g0), rtol=1e-12, atol=1e-12)
        if want.ndim:
            o, on = np.zeros_like(want), nd.zeros(want.shape)
            np.einsum(spec, *ops, optimize=opt, out=o)
            nd.einsum(spec, *map(nd.asarray, ops), optimize=opt, out=on)
            assert np.asarray(on).tobytes() == o.tobytes(), opt


@pytest.mark.parametrize("call", ["m.sort(a, order='f')", "m.argsort(a, order='f')",
                                  "a.sort(order='f')", "a.argsort(order='f')"])
def test_sort_order_of_an_array_without_fields_is_refused(call):
    # (order= names fields of a structured array, which ndgrad arrays never are: it was
    # ignored, where NumPy raises ValueError)
    with pytest.raises(ValueError, match="no fields"):
        eval(call, {"m": np, "a": np.array([3.0, 1.0, 2.0])})
    with pytest.raises(ValueError, match="no fields"):
        eval(call, {"m": nd, "a": nd.asarray([3.0, 1.0, 2.0])})

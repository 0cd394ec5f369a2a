"""Buffers shared with NumPy code (ndgrad/_ops/sharing.py): a write ndgrad cannot see
never changes a gradient, and NumPy's aliasing stays as NumPy has it."""
import threading

import numpy as np
import pytest
from hypothesis import given, strategies as st

import ndgrad as nd
from ndgrad._ops import sharing
from ndgrad._ops.registry import _REUSE


def _fresh(values):
    return nd.asarray(np.array(values, dtype=float), requires_grad=True)


# -- NumPy's aliasing is kept ------------------------------------------------------------
def test_asarray_shares_both_ways_before_and_after_a_recorded_op():
    c = np.array([3.0, 4.0])
    cn = nd.asarray(c)
    x = _fresh([1.0, 1.0])
    y = nd.sum(x * cn)           # a rule saves cn's values
    c[0] = 100.0
    assert float(cn[0]) == 100.0            # NumPy's asarray: a view of c
    cn[1] = 7.0
    assert c[1] == 7.0                      # and a write through cn reaches c
    y.backward()
    np.testing.assert_array_equal(np.asarray(x.grad), [3.0, 4.0])


# -- writes through a NumPy alias after the forward ---------------------------------------
@pytest.mark.parametrize("how", ["asarray", "view", "transpose", "dlpack", "Array"])
def test_write_into_the_callers_numpy_array_leaves_the_gradient(how):
    base = np.array([[3.0, 4.0], [5.0, 6.0]])
    if how == "asarray":
        c, cn = base, nd.asarray(base)
    elif how == "view":
        c, cn = base, nd.asarray(base[0])
    elif how == "transpose":
        c, cn = base, nd.asarray(base.T)
    elif how == "dlpack":
        c, cn = base, nd.from_dlpack(base)
    else:
        c, cn = base, nd.Array(base)
    want = np.asarray(cn).copy()
    x = _fresh(np.ones(want.shape))
    y = nd.sum(nd.sin(x) * cn + x * x * cn)
    c[...] = -1.0
    y.backward()
    np.testing.assert_allclose(np.asarray(x.grad), np.cos(1.0) * want + 2.0 * want)


def test_index_and_matmul_operands_from_numpy():
    i = np.array([1, 0, 1])
    m = np.array([[1.0, 2.0], [3.0, 4.0]])
    x = _fresh([1.0, 2.0])
    y = nd.sum(nd.take(x, nd.asarray(i)) * 10.0) + nd.sum(nd.matmul(nd.asarray(m), x))
    i[:] = 0
    m[:] = 0.0
    y.backward()
    np.testing.assert_allclose(np.asarray(x.grad), [10.0 + 4.0, 20.0 + 6.0])


def test_numpy_view_of_an_ndgrad_array_written_after_the_forward():
    x = _fresh([1.0, 2.0])
    w = _fresh([3.0, 4.0])
    y = nd.sum(x * w)
    v = np.asarray(x.detach())   # exported after a rule saved x (x records: its values)
    v[0] = 50.0
    assert float(x[0]) == 50.0   # the view is x's buffer from now on
    y.backward()
    np.testing.assert_array_equal(np.asarray(w.grad), [1.0, 2.0])
    np.testing.assert_array_equal(np.asarray(x.grad), [3.0, 4.0])
    # exported before the forward: the rule saves a copy
    x2 = _fresh([1.0, 2.0])
    with nd.no_grad():
        v2 = np.asarray(x2)      # (allowed: nothing is recorded under no_grad)
    y2 = nd.sum(x2 * w)
    v2[:] = 9.0
    w.grad = None
    y2.backward()
    np.testing.assert_array_equal(np.asarray(w.grad), [1.0, 2.0])


def test_dlpack_export_written_after_the_forward():
    x = _fresh([1.0, 2.0])
    w = _fresh([3.0, 4.0])
    y = nd.sum(x * w)
    v = np.from_dlpack(x.detach())
    v[1] = 30.0
    y.backward()
    np.testing.assert_array_equal(np.asarray(w.grad), [1.0, 2.0])


def test_views_of_a_saved_array_follow_the_copy_on_export():
    x = _fresh([1.0, 2.0, 3.0, 4.0])
    w = _fresh([1.0, 1.0, 1.0, 1.0])
    r = nd.reshape(x, (2, 2))     # an ndgrad view of x
    y = nd.sum(x * w)
    with nd.no_grad():
        v = np.asarray(x)
    v[0] = 10.0
    assert float(r[0, 0]) == 10.0        # x and its view still share
    y.backward()
    np.testing.assert_array_equal(np.asarray(w.grad), [1.0, 2.0, 3.0, 4.0])


# -- the verbs: one private copy of a shared input ----------------------------------------
def test_value_and_grad_of_a_shared_input_and_a_graph_that_outlives_the_call():
    c = np.array([1.0, 2.0])
    xn = nd.asarray(c)
    w = _fresh([3.0, 4.0])

    def f(x):
        return nd.sum(x * w * x)
    v, g = nd.value_and_grad(f)(xn)
    assert float(v) == 19.0
    np.testing.assert_array_equal(np.asarray(g), [6.0, 16.0])
    np.testing.assert_array_equal(c, [1.0, 2.0])      # the caller's array is untouched
    y = f(xn)                      # recorded through w: its rules read x's values later
    c[:] = 100.0
    y.backward()
    np.testing.assert_array_equal(np.asarray(w.grad), [1.0, 4.0])


@pytest.mark.parametrize("layout", ["transposed", "fortran", "reversed", "both reversed"])
def test_the_private_copy_of_a_shared_input_keeps_its_memory_order(layout):
    # (the copy was in C order: the recorded sum of a transposed NumPy input added in
    # another order than NumPy's sum over it, and value_and_grad's value differed from
    # np.sum in the last bits; a reversed input's einsum likewise)
    b = np.random.default_rng(5).standard_normal((40, 33))
    a = {"transposed": np.ascontiguousarray(b.T).T, "fortran": np.asfortranarray(b),
         "reversed": b[:, ::-1].copy()[:, ::-1],
         "both reversed": b[::-1, ::-1].copy()[::-1, ::-1]}[layout]
    for f, npf in [(nd.sum, np.sum), (lambda x: nd.sum(x * x), lambda x: np.sum(x * x)),
                   (lambda x: nd.einsum("ij,ij->", x, x),
                    lambda x: np.einsum("ij,ij->", x, x)),
                   (nd.linalg.norm, np.linalg.norm)]:
        v, g = nd.value_and_grad(f)(nd.asarray(a))
        assert float(v) == float(npf(a))
        np.testing.assert_allclose(np.asarray(g), np.asarray(nd.grad(f)(nd.asarray(b))))
    np.testing.assert_array_equal(a, b)        # the caller's array is untouched


def test_shared_input_writes_from_another_thread():
    # a thread writing into the caller's NumPy array while the graph waits
    c = np.linspace(0.0, 1.0, 1000)
    x = _fresh(np.ones(1000))
    y = nd.sum(x * nd.asarray(c))
    t = threading.Thread(target=lambda: c.__setitem__(slice(None), 5.0))
    t.start()
    t.join()
    y.backward()
    np.testing.assert_allclose(np.asarray(x.grad), np.linspace(0.0, 1.0, 1000))


# -- no copy where nobody else can write ---------------------------------------------------
@pytest.mark.skipif(not _REUSE, reason="reference counts prove sole ownership on CPython "
                    "3.11-3.13 only (elsewhere the copy is always made)")
def test_a_temporary_numpy_array_is_not_copied():
    w = _fresh([1.0, 2.0, 3.0])
    a = nd.asarray(np.arange(3.0))        # nobody else holds the NumPy array
    assert sharing.is_shared(a._data)     # marked at asarray ...
    nd.sum(a * w)
    assert not sharing.is_shared(a._data)  # ... and found unshared at the first save
    b = nd.asarray(np.linspace(0.0, 1.0, 3))   # a view whose owner only it holds
    nd.sum(b * w)
    assert not sharing.is_shared(b._data)
    c = np.arange(3.0)
    n = nd.asarray(c)                     # the caller keeps c
    nd.sum(n * w)
    assert sharing.is_shared(n._data)
    assert not getattr(n, "_saved", False)  # a copy was saved: no copy-on-write needed


def test_conversion_and_lists_are_not_shared():
    c = np.arange(3)
    assert not sharing.is_shared(nd.asarray(c, dtype="float64")._data)
    assert not sharing.is_shared(nd.asarray([1.0, 2.0])._data)
    assert not sharing.is_shared(nd.sin(nd.asarray(c, dtype="float64"))._data)


def test_marks_die_with_the_buffer():
    import gc
    gc.collect()   # (marks of an earlier test's garbage die first: counted before, not in between)
    before = len(sharing._SHARED)
    c = np.ones(5)
    n = nd.asarray(c)
    assert id(c) in sharing._SHARED and len(sharing._SHARED) == before + 1
    del c, n
    gc.collect()
    assert len(sharing._SHARED) == before


# -- property: any write after the forward, through any alias, changes no gradient ---------
_UNARY = [nd.sin, nd.exp, nd.tanh, lambda a: a * a, nd.abs, lambda a: nd.reshape(a, (-1,))]


@given(st.lists(st.floats(-3, 3), min_size=1, max_size=6), st.integers(0, len(_UNARY) - 1),
       st.sampled_from(["asarray", "export", "slice"]), st.floats(-1e3, 1e3))
def test_writes_after_the_forward_never_change_the_gradient(vals, k, how, junk):
    c = np.array(vals)
    x = _fresh(np.full(len(vals), 0.5))
    if how == "asarray":
        cn = nd.asarray(c)
    elif how == "export":
        cn = nd.asarray(c.copy())
        c = np.asarray(cn)
    else:
        cn = nd.asarray(c)[::1]
    f = _UNARY[k]
    y = nd.sum(f(x * cn) * cn)
    want = nd.grad(lambda a: nd.sum(f(a * nd.asarray(np.array(vals))) *
                                    nd.asarray(np.array(vals))))(x)
    c[...] = junk
    y.backward()
    # (want records: x requires grad, and grad's result stays differentiable in it)
    np.testing.assert_allclose(np.asarray(x.grad), np.asarray(want.detach()), rtol=1e-12,
                               atol=0)


# -- the other ways NumPy code gets an ndgrad array's buffer --------------------------------
@pytest.mark.parametrize("how", ["view_dtype", "view_recarray", "flat"])
def test_numpy_views_by_other_routes_written_after_the_forward(how):
    x = _fresh([1.0, 2.0])
    w = _fresh([3.0, 4.0])
    y = nd.sum(x * w)
    if how == "view_dtype":
        v = x.detach().view(np.int64)       # an ndgrad view: written through ndgrad
        v[0] = 0
    elif how == "view_recarray":
        v = x.detach().view(np.recarray)    # NumPy's array over the buffer
        v[0] = 9.0
    else:
        v = np.asarray(x.detach().flat)
        v[0] = 9.0
    assert float(x[0]) != 1.0                # the write reached x, as in NumPy
    y.backward()
    np.testing.assert_array_equal(np.asarray(w.grad), [1.0, 2.0])


def test_a_bit_view_of_a_recorded_array_is_refused():
    x = _fresh([1.0, 2.0])
    with pytest.raises(TypeError, match="reinterprets the bits"):
        x.view(np.int64)
    with nd.no_grad():
        assert x.view(np.int64).dtype == np.int64


# -- aliases ndgrad makes itself ------------------------------------------------------------
def test_a_leaf_made_over_another_arrays_buffer():
    a = nd.asarray([1.0, 2.0])
    x = nd.asarray(a, requires_grad=True)    # shares a's buffer (NumPy's asarray)
    y = nd.sum(x * x)
    a[0] = 100.0
    assert float(x[0]) == 100.0              # the write is seen through x ...
    y.backward()
    np.testing.assert_array_equal(np.asarray(x.grad), [2.0, 4.0])   # ... not by backward


def test_custom_vjp_residuals_keep_the_forward_values():
    @nd.custom_vjp
    def f(x):
        return nd.sin(x)

    def f_fwd(x):
        return nd.sin(x), (x,)               # the residual is the argument itself

    def f_bwd(res, g):
        (x,) = res
        return (g * nd.cos(x),)
    f.defvjp(f_fwd, f_bwd)
    x = _fresh([0.5, 1.0])
    y = nd.sum(f(x))
    with nd.no_grad():
        x[0] = 3.0
    y.backward()
    np.testing.assert_allclose(np.asarray(x.grad), np.cos([0.5, 1.0]), rtol=1e-15)
    c = np.array([0.5, 1.0])                 # and an argument NumPy code shares
    w = _fresh([1.0, 1.0])
    y = nd.sum(f(nd.asarray(c)) * w) + nd.sum(f(w))
    c[0] = 3.0
    y.backward()
    np.testing.assert_allclose(np.asarray(w.grad), np.sin([0.5, 1.0]) + np.cos([1.0, 1.0]),
                               rtol=1e-15)


def test_the_value_a_verb_returns_is_written_after_an_aux_kept_it():
    w2 = _fresh([2.0])
    vg = nd.value_and_grad(lambda a: (nd.sum(a * a), nd.sum(a * a) * w2), has_aux=True)
    (v, aux), g = vg(nd.asarray([1.0, 3.0]))
    v += 100.0                               # the caller's write into the value
    aux.backward()
    np.testing.assert_array_equal(np.asarray(w2.grad), [10.0])
    assert float(v) == 110.0



@pytest.mark.parametrize("kind", ["ndgrad", "numpy"])
def test_autograd_primitive_constants_keep_the_forward_values(kind):
    from ndgrad.autograd.extend import defvjp, primitive

    @primitive
    def scale(x, c):
        return x * c
    defvjp(scale, lambda ans, x, c: lambda g: g * c)
    c = nd.asarray([2.0, 3.0]) if kind == "ndgrad" else np.array([2.0, 3.0])
    x = _fresh([1.0, 1.0])
    y = nd.sum(scale(x, c))
    c[0] = 100.0              # a write into the constant the rule reads
    y.backward()
    np.testing.assert_array_equal(np.asarray(x.grad), [2.0, 3.0])


def test_autograd_make_vjp_answer_written_before_the_pullback():
    from ndgrad.autograd.core import make_vjp
    import ndgrad.autograd.numpy as anp
    vjp, ans = make_vjp(anp.exp, np.array([1.0, 2.0]))
    assert type(ans) is np.ndarray           # autograd hands back NumPy arrays
    ans[0] = 0.0                             # the caller's write into it
    np.testing.assert_allclose(vjp(np.ones(2)), np.exp([1.0, 2.0]), rtol=1e-15)


# -- property: random programs over aliased buffers, random writes before backward() --------
_STEPS = ["mul_c", "sin", "mul_x", "add_cview", "transpose", "slice_mul", "exp_scaled"]
_WRITES = ["numpy_c", "numpy_export", "ndgrad_setitem", "ndgrad_iadd", "detached_view",
           "numpy_export_of_result"]


def _program(x, c_arr, steps):
    """The forward: a scalar from leaf-like ``x`` (2, 3) and constant ``c_arr`` (2, 3)."""
    h = x
    for s in steps:
        if s == "mul_c":
            h = h * c_arr
        elif s == "sin":
            h = nd.sin(h)
        elif s == "mul_x":
            h = h * x
        elif s == "add_cview":
            h = h + c_arr[:, ::-1]
        elif s == "transpose":
            h = nd.permute_dims(nd.permute_dims(h, (1, 0)) * 1.5, (1, 0))
        elif s == "slice_mul":
            h = h * c_arr[0]
        else:
            h = nd.exp(h * 0.1)
    return nd.sum(h * c_arr)


@given(st.lists(st.sampled_from(_STEPS), min_size=1, max_size=5),
       st.lists(st.sampled_from(_WRITES), min_size=1, max_size=3),
       st.lists(st.floats(-2, 2), min_size=6, max_size=6),
       st.lists(st.floats(-2, 2), min_size=6, max_size=6))
def test_random_programs_with_writes_through_aliases(steps, writes, xv, cv):
    c = np.array(cv).reshape(2, 3)
    c0 = c.copy()
    xv = np.array(xv).reshape(2, 3)
    x = nd.asarray(xv.copy(), requires_grad=True)
    cn = nd.asarray(c)                       # shares c
    exported = np.asarray(cn)                # and NumPy holds cn's buffer a second way
    y = _program(x, cn, steps)
    mid = None
    for w in writes:
        if w == "numpy_c":
            c[0, 0] = 77.0
        elif w == "numpy_export":
            exported[1, 2] = -5.0
        elif w == "ndgrad_setitem":
            cn[0, 1] = 9.0
        elif w == "ndgrad_iadd":
            cn += 1.0
        elif w == "detached_view":
            x.detach()[1, 1] = 4.0
        else:
            mid = np.asarray(x.detach())
            mid[0, 2] = 3.0
    y.backward()
    want = nd.grad(lambda a: _program(a, nd.asarray(c0.copy()), steps))(
        nd.asarray(xv.copy()))
    np.testing.assert_allclose(np.asarray(x.grad), np.asarray(want), rtol=1e-13, atol=1e-13)


# -- NumPy's own code on a value being differentiated ----------------------------------------
def test_numpy_conversion_inside_a_verb_is_refused_not_a_silent_zero():
    import numpy as onp
    with pytest.raises(TypeError, match="gradient through it silently zero"):
        nd.grad(lambda x: nd.sum(onp.asarray(x) * 2))(nd.ones(2))
    with pytest.raises(TypeError, match="gradient through it silently zero"):
        nd.grad(lambda x: nd.sum(onp.c_[x, onp.zeros(2)]))(nd.ones(2))
    with pytest.raises(TypeError, match="silently zero"):
        nd.grad(lambda x: nd.sum(nd.from_dlpack(onp.from_dlpack(x))))(nd.ones(2))
    # NumPy's functions that dispatch to ndgrad keep the gradient
    g = nd.grad(lambda x: onp.sum(onp.concatenate([onp.sin(x), x])))(nd.zeros(2))
    np.testing.assert_array_equal(np.asarray(g), [2.0, 2.0])
    # the values of a detached array, as NumPy code wants
    nd.grad(lambda x: nd.sum(x * float(onp.asarray(x.detach()).sum())))(nd.ones(2))
    # outside the verbs an array that requires grad is refused too (PyTorch's rule);
    # its detached values, under no_grad, and float() are allowed
    y = nd.sum(_fresh([1.0, 2.0]) ** 2)
    with pytest.raises(TypeError, match=r"requires grad \(shape \(\), dtype float64\)"):
        np.asarray(y)
    assert float(np.asarray(y.detach())) == 5.0 and float(y) == 5.0
    with nd.no_grad():
        assert float(np.asarray(y)) == 5.0


def test_scalar_type_casts_inside_a_verb_keep_or_cut_the_gradient_by_definition():
    # np.float64(x) / np.int64(x) on a traced array: ndgrad's cast (NumPy's would be a
    # constant array, or now the refusal above); autograd's test_cast_to_int does this
    def f(w):
        idx = nd.int64(w[:, -1] * 0 + 1)          # an index: a constant by definition
        return nd.sum(w[:, :-1][idx]) + nd.float64(w[0, 0]) * 2.0
    w = nd.asarray(np.arange(15.0).reshape(5, 3))
    g = np.asarray(nd.grad(f)(w))
    want = np.zeros((5, 3))
    want[1, :2] = 5.0
    want[0, 0] += 2.0
    np.testing.assert_array_equal(g, want)


def test_multiply_of_one_buffer_by_itself_gives_each_operand_its_share():
    # multiply's rule computes g*x once when both operands are one buffer object: right
    # for x*x, and for two variables that share a buffer (each gets its own gradient)
    d = np.array([1.0, -2.0, 3.0])
    x = nd.asarray(d.copy(), requires_grad=True)
    y = nd.asarray(x, requires_grad=True)       # another leaf over x's buffer
    assert y._data is x._data
    nd.sum(x * y).backward()
    np.testing.assert_array_equal(np.asarray(x.grad), d)
    np.testing.assert_array_equal(np.asarray(y.grad), d)
    z = nd.asarray(d.copy(), requires_grad=True)
    nd.sum(z * z).backward()
    np.testing.assert_array_equal(np.asarray(z.grad), 2 * d)
    h = nd.hessian(lambda a: nd.sum(a * a * a))(nd.asarray(d))
    np.testing.assert_array_equal(np.asarray(h), np.diag(6 * d))
    c = nd.asarray(z.detach())                  # a constant over the input's buffer
    g = nd.grad(lambda a: nd.sum(a * c))(z)
    np.testing.assert_array_equal(np.asarray(g), d)

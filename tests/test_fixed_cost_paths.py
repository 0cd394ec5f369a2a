"""The short paths that cut the fixed cost of common calls give what the general paths
give, which is NumPy's: joins of unrecorded NumPy-backed arrays (``concatenate``,
``stack``: NumPy's own call, its casting check included), copies and casts (``x.copy()``,
``x.astype()``, ``np.copy``), creation (``zeros``, ``ones``, ``empty``) and the layout
step they share (``in_order``). Each is compared with NumPy on dtypes, layouts, 0-d and
empty shapes and errors, and a recorded or traced input still takes the differentiable
path (its gradient checked)."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import ndgrad as nd

_DTYPES = [np.bool_, np.int8, np.uint8, np.int32, np.int64, np.uint64, np.float16,
           np.float32, np.float64, np.complex64, np.complex128]
_CASTINGS = ["no", "equiv", "safe", "same_kind", "unsafe"]


def _outcome(f):
    """The value (dtype, shape, values) or the error type of a call."""
    try:
        r = np.asarray(f())
    except Exception as e:   # noqa: BLE001 (the type is what is compared)
        return ("error", type(e).__name__ if not isinstance(e, ValueError) else "ValueError")
    return ("value", r.dtype, r.shape, r.tobytes())


@settings(max_examples=60, deadline=None)
@given(d1=st.sampled_from(_DTYPES), d2=st.sampled_from(_DTYPES),
       casting=st.sampled_from(_CASTINGS), axis=st.integers(-3, 2),
       join=st.sampled_from(["concatenate", "stack"]),
       shapes=st.sampled_from([((2, 3), (2, 3)), ((2, 3), (1, 3)), ((3,), (3,)),
                               ((0, 2), (0, 2)), ((), ()), ((2, 1), (2, 4))]))
def test_joins_of_unrecorded_arrays_are_numpys(d1, d2, casting, axis, join, shapes):
    rng = np.random.default_rng(0)
    a = (rng.standard_normal(shapes[0]) * 5).astype(d1)
    b = (rng.standard_normal(shapes[1]) * 5).astype(d2)
    npf, ndf = getattr(np, join), getattr(nd, join)
    with np.errstate(all="ignore"):
        want = _outcome(lambda: npf([a, b], axis=axis, casting=casting))
        got = _outcome(lambda: ndf([nd.asarray(a), nd.asarray(b)], axis=axis,
                                   casting=casting))
        got_tuple = _outcome(lambda: ndf((nd.asarray(a), nd.asarray(b)), axis))
        want_default = _outcome(lambda: npf((a, b), axis))
    assert got == want
    assert got_tuple == want_default


def test_join_results_are_fresh_arrays():
    x = nd.asarray([1.0, 2.0])
    for r in (nd.concatenate([x, x]), nd.stack([x, x])):
        r[0] = 99.0
    assert np.asarray(x).tolist() == [1.0, 2.0]
    r = nd.concatenate([x])
    r[0] = 5.0
    assert float(x[0]) == 1.0


def test_joins_of_recorded_arrays_keep_the_gradient():
    w = np.array([1.0, 2.0, 3.0, 4.0])

    def f(x):
        return nd.sum(nd.concatenate([x, 2.0 * x]) * w) + nd.sum(nd.stack([x, x * x]))
    x = nd.asarray([0.5, -1.5])
    g = np.asarray(nd.grad(f)(x))
    np.testing.assert_allclose(g, [1.0 + 2 * 3.0 + 1 + 2 * 0.5, 2.0 + 2 * 4.0 + 1 - 3.0])
    # under nd.jit: a traced value beside a captured constant
    c = nd.asarray([7.0, 8.0])
    jf = nd.jit(lambda x: nd.concatenate([x, c]) * 2.0)
    np.testing.assert_array_equal(np.asarray(jf(x)), [1.0, -3.0, 14.0, 16.0])
    np.testing.assert_array_equal(np.asarray(nd.jit(nd.grad(f))(x)), g)
    # requires_grad arrays: the join is recorded
    y = nd.asarray([1.0, 2.0], requires_grad=True)
    nd.sum(nd.stack([y, y]) ** 2).backward()
    np.testing.assert_array_equal(np.asarray(y.grad), [4.0, 8.0])


def test_joins_with_other_operands_take_the_general_path():
    x = nd.asarray([1, 2])
    assert np.asarray(nd.concatenate([x, np.array([3])])).tolist() == [1, 2, 3]
    assert nd.concatenate([x, [3.5]]).dtype == np.float64
    assert nd.concatenate([x, x], dtype=np.float32).dtype == np.float32
    out = nd.empty(4, dtype=np.int64)
    assert nd.concatenate([x, x], out=out) is out
    assert np.asarray(nd.concatenate([x, x], axis=None)).tolist() == [1, 2, 1, 2]
    with pytest.raises(ValueError):
        nd.concatenate([])
    with pytest.raises(ValueError):
        nd.stack([])


_LAYOUTS = ["c", "f", "reversed", "strided", "0-d", "0-d scalar", "empty"]


def _make(layout, dtype):
    base = np.arange(24, dtype=np.float64).reshape(4, 6) - 7.5
    a = {"c": base, "f": np.asfortranarray(base), "reversed": base[::-1, ::-1],
         "strided": base[::2, ::3], "0-d": np.asarray(2.5), "0-d scalar": np.asarray(2.5),
         "empty": np.zeros((0, 3))}[layout].astype(dtype)
    x = nd.asarray(a)
    if layout == "0-d scalar":
        x = nd.asarray(a.reshape(1))[0]   # a 0-d value standing for NumPy's scalar
        a = a[()]
    return a, x


def _same(got, want):
    g = np.asarray(got)
    w = np.asarray(want)
    assert (g.dtype, g.shape, g.tobytes()) == (w.dtype, w.shape, w.tobytes())
    if w.ndim > 1:
        assert (g.flags.c_contiguous, g.flags.f_contiguous) == (
            w.flags.c_contiguous, w.flags.f_contiguous)
    # NumPy's kind of a 0-d result: the scalar's methods give scalars, arrays' 0-d arrays
    if not g.shape:
        assert repr(got).startswith("array(") == isinstance(want, np.ndarray)


@pytest.mark.parametrize("layout", _LAYOUTS)
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int32, np.complex128,
                                   np.bool_])
def test_copies_and_casts_are_numpys(layout, dtype):
    a, x = _make(layout, dtype)
    for order in ("C", "F", "A", "K"):
        _same(x.copy(order), a.copy(order))
        _same(nd.copy(x, order=order), np.copy(a, order=order))
    _same(x.copy(), a.copy())
    for to in (np.float32, np.int64, np.complex64, np.float64):
        with np.errstate(all="ignore"):
            _same(x.astype(to), a.astype(to))
            _same(x.astype(to, copy=False), a.astype(to, copy=False))
    # a copy is the caller's own
    c = x.copy()
    if c.size:
        c[...] = 0
        assert np.array_equal(np.asarray(x), np.asarray(a))


@pytest.mark.parametrize("name", ["zeros", "ones", "empty"])
@pytest.mark.parametrize("shape", [(), 0, 3, (2, 3), (0, 4), [2, 2]])
@pytest.mark.parametrize("dtype", [None, np.float32, "int8", complex, bool])
@pytest.mark.parametrize("order", ["C", "F"])
def test_creation_is_numpys(name, shape, dtype, order):
    got = getattr(nd, name)(shape, dtype, order)
    want = getattr(np, name)(shape, dtype, order)
    g = np.asarray(got)
    assert (g.dtype, g.shape, g.flags.c_contiguous, g.flags.f_contiguous) == (
        want.dtype, want.shape, want.flags.c_contiguous, want.flags.f_contiguous)
    if name != "empty":
        assert g.tobytes() == want.tobytes()
    if not g.shape:
        assert repr(got).startswith("array(")   # NumPy's creation gives a 0-d array
    with pytest.raises(ValueError):
        getattr(nd, name)((-1, 2))


def test_copies_and_casts_of_recorded_arrays_keep_the_gradient():
    def f(x):
        return nd.sum(x.copy() * 3.0) + nd.sum(x.astype(np.float32).astype(np.float64) ** 2)
    x = nd.asarray([0.5, -2.0])
    np.testing.assert_allclose(np.asarray(nd.grad(f)(x)), [3.0 + 1.0, 3.0 - 4.0])
    np.testing.assert_array_equal(np.asarray(nd.jit(nd.grad(f))(x)),
                                  np.asarray(nd.grad(f)(x)))


def test_asarray_of_an_array_is_the_array():
    x = nd.asarray(np.arange(3.0))
    assert nd.asarray(x) is x and nd.asanyarray(x) is x
    z = nd.asarray(np.asarray(2.0))          # a 0-d array stays itself
    assert nd.asarray(z) is z and repr(z) == "array(2.)"
    s = x[1]                                 # a 0-d value standing for NumPy's scalar
    r = nd.asarray(s)
    assert r is not s and repr(r) == "array(1.)" and repr(s) == "np.float64(1.0)"
    assert nd.asarray(x, dtype=np.float32).dtype == np.float32
    c = nd.asarray(x, copy=True)
    c[0] = 9.0
    assert float(x[0]) == 0.0
    # the gradient flows through asarray of a recorded array
    g = nd.grad(lambda v: nd.sum(nd.asarray(v) * nd.asarray(v[0])))(x)
    np.testing.assert_array_equal(np.asarray(g), [3.0, 0.0, 0.0])

"""What a sweep of the NumPy face's keyword arguments found (about 230 public functions,
each option on its own and in combinations, eager, recorded inside ``nd.grad``, under
``nd.jit`` and ``nd.jit(nd.value_and_grad)``, against NumPy and finite differences):

- ``nanvar``/``nanstd`` with ``ddof``/``correction`` at or above the count of non-NaN
  values gave inf where NumPy gives nan (recorded and under nd.jit; plain eager runs
  NumPy's own function);
- ``cumsum``/``cumprod``/``nancumsum``/``nancumprod`` with an integer ``dtype=`` narrower
  than int64 accumulated in int64 (``np.cumsum(x, dtype=np.int8)`` wraps around);
- the gradient of ``linalg.pinv(rtol=)`` and ``linalg.lstsq(rcond=)`` where the cutoff
  drops a singular value that is not 0 was the constant-rank formula's (off by up to
  0.28);
- ``out=`` of the host-computed ``isposinf``, ``isneginf``, ``nanargmax``, ``nanargmin``
  was never written under nd.jit (and a closed-over ``out`` was returned unwritten);
- ``linspace``/``logspace`` of numbers ignored an ``axis`` NumPy refuses.
"""
import warnings

import numpy as np
import pytest

import ndgrad as nd
from helpers import fd_grad_np

X = np.array([[1.0, np.nan, 3.0], [2.0, 5.0, np.nan], [4.0, 6.0, 7.0]])


@pytest.mark.parametrize("name", ["nanvar", "nanstd"])
@pytest.mark.parametrize("kw", [{"axis": 0, "ddof": 2}, {"axis": 1, "correction": 2},
                                {"axis": None, "ddof": 7}, {"axis": 0, "ddof": 3},
                                {"axis": 0, "ddof": 2, "where": np.array(
                                    [[True, True, True], [True, True, False],
                                     [False, True, True]])}])
def test_nan_moments_with_no_degrees_of_freedom_are_nan(name, kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        want = getattr(np, name)(X, **kw)
        f = getattr(nd, name)
        kwn = {k: nd.asarray(v) if isinstance(v, np.ndarray) else v for k, v in kw.items()}
        got = [f(nd.asarray(X), **kwn), nd.jit(lambda a: f(a, **kwn))(nd.asarray(X))]
        seen = []
        nd.grad(lambda a: nd.nansum(seen.append(f(a, **kwn)) or a))(nd.asarray(X))
        got.append(seen[0].detach())
    for g in got:
        np.testing.assert_array_equal(np.asarray(g), want)


@pytest.mark.parametrize("name", ["cumsum", "cumprod", "nancumsum", "nancumprod"])
@pytest.mark.parametrize("dtype", [np.int8, np.uint8, np.int16, np.float32, np.float16,
                                   np.complex64])
def test_cumulative_functions_accumulate_in_dtype(name, dtype):
    x = np.array([100, 50, 3, -7, 120, 9])
    with np.errstate(all="ignore"):
        for src in (x, x.astype(np.int8), x / 3.0):
            want = getattr(np, name)(src, dtype=dtype)
            f = getattr(nd, name)
            for got in (f(nd.asarray(src), dtype=dtype),
                        nd.jit(lambda a: f(a, dtype=dtype))(nd.asarray(src))):
                got = np.asarray(got)
                assert got.dtype == want.dtype and got.tobytes() == want.tobytes()
    assert np.asarray(nd.asarray(x).cumsum(dtype=np.int8)).tolist() == \
        x.cumsum(dtype=np.int8).tolist()


def _fd_c(f, a):
    """Finite differences of a real function of a real or complex array, in the
    gradient convention of nd.grad (d/dre - i d/dim)."""
    if not np.iscomplexobj(a):
        return fd_grad_np(f, a)
    re = fd_grad_np(lambda r: f(r + 1j * a.imag), a.real.copy())
    im = fd_grad_np(lambda i: f(a.real + 1j * i), a.imag.copy())
    return re - 1j * im


@pytest.mark.parametrize("shape", [(4, 3), (3, 3), (3, 5), (2, 4, 3)])
@pytest.mark.parametrize("rtol", [0.5, 0.3, 1e-15])
@pytest.mark.parametrize("cplx", [False, True])
def test_pinv_gradient_where_the_cutoff_drops_singular_values(shape, rtol, cplx):
    rng = np.random.default_rng(sum(shape) + int(100 * rtol))
    a = rng.standard_normal(shape) + (1j * rng.standard_normal(shape) if cplx else 0)
    w = rng.standard_normal(shape[:-2] + shape[-1:] + shape[-2:-1])

    def f_np(v):
        p = np.linalg.pinv(v, rtol=rtol)
        return float(np.sum(p.real * w) + np.sum(p.imag * w))

    def f_nd(v):
        p = nd.linalg.pinv(v, rtol=rtol)
        return nd.sum(nd.real(p) * w) + nd.sum(nd.imag(p) * w) if cplx else nd.sum(p * w)
    g = np.asarray(nd.grad(f_nd)(nd.asarray(a)))
    fd = _fd_c(f_np, a)
    np.testing.assert_allclose(g, fd, atol=2e-7 * max(1.0, np.abs(fd).max()))
    np.testing.assert_allclose(np.asarray(nd.jit(nd.grad(f_nd))(nd.asarray(a))), g,
                               rtol=1e-10, atol=1e-12)


def test_pinv_cut_second_order_and_lstsq_rcond():
    rng = np.random.default_rng(9)
    a = np.array([[0.1, -0.7, 0.3], [0.8, 0.2, -0.5], [-0.4, 0.6, 0.9], [0.3, 0.1, -0.2]])
    # singular values 1.38, 0.92, 0.49: rtol 0.5 drops the last
    w, v = rng.standard_normal((3, 4)), rng.standard_normal((4, 3))
    gf = nd.grad(lambda m: nd.sum(nd.linalg.pinv(m, rtol=0.5) * w))
    hv = np.asarray(nd.grad(lambda m: nd.sum(gf(m) * v))(nd.asarray(a)))
    fd = fd_grad_np(lambda m: float(np.sum(np.asarray(gf(nd.asarray(m))) * v)), a)
    np.testing.assert_allclose(hv, fd, atol=1e-7)
    b, wb = np.array([0.3, -0.2, 0.5, 0.1]), np.array([1.0, -0.5, 0.25])
    for rcond in (0.5, 0.05, None):
        g = np.asarray(nd.grad(lambda m: nd.sum(nd.linalg.lstsq(m, b, rcond=rcond)[0] * wb))(
            nd.asarray(a)))
        fd = fd_grad_np(lambda m: float(np.sum(np.linalg.lstsq(m, b, rcond=rcond)[0] * wb)),
                        a)
        np.testing.assert_allclose(g, fd, atol=1e-7)


@pytest.mark.parametrize("name", ["isposinf", "isneginf"])
def test_host_functions_write_out_under_jit(name):
    x = np.array([1.0, np.inf, -np.inf, np.nan])

    def f(a):
        o = nd.zeros(4, dtype=bool)
        r = getattr(nd, name)(a, out=o)
        return o, r
    o, r = nd.jit(f)(nd.asarray(x))
    want = getattr(np, name)(x)
    assert np.asarray(o).tolist() == want.tolist() == np.asarray(r).tolist()
    closed = nd.zeros(4, dtype=bool)
    with pytest.raises(ValueError, match="writes in place into an ndgrad array"):
        nd.jit(lambda a: getattr(nd, name)(a, out=closed))(nd.asarray(x))


@pytest.mark.parametrize("name", ["nanargmax", "nanargmin"])
def test_nanarg_out_under_jit(name):
    xn = np.array([[1.0, np.nan, 3.0], [4.0, 2.0, np.nan]])

    def h(a):
        o = nd.zeros(2, dtype=np.int64)
        getattr(nd, name)(a, axis=1, out=o)
        return o
    want = getattr(np, name)(xn, axis=1)
    assert np.asarray(nd.jit(h)(nd.asarray(xn))).tolist() == want.tolist()
    assert np.asarray(h(nd.asarray(xn))).tolist() == want.tolist()


@pytest.mark.parametrize("name", ["linspace", "logspace", "geomspace"])
def test_spaces_of_numbers_check_the_axis(name):
    for axis in (0, -1):
        np.testing.assert_array_equal(np.asarray(getattr(nd, name)(0.5, 2.0, num=4,
                                                                    axis=axis)),
                                      getattr(np, name)(0.5, 2.0, num=4, axis=axis))
    with pytest.raises(np.exceptions.AxisError):
        getattr(nd, name)(0.5, 2.0, num=4, axis=1)


def test_str_of_a_scalar_and_array2string_of_numpys_own_arrays():
    """(A printing fuzz against NumPy: ``str`` of a value standing for NumPy's scalar
    printed the 0-d array's text, which differs under ``legacy='1.13'``; array2string,
    array_repr and array_str refused NumPy's own string, record and masked arrays.)"""
    v, nv = nd.asarray([1 / 3, 0.0]), np.asarray([1 / 3, 0.0])
    with np.printoptions(legacy="1.13"):
        assert str(v[0]) == str(nv[0]) and str(v.sum()) == str(nv.sum())
        assert str(v.astype(np.float32)[0]) == str(nv.astype(np.float32)[0])
    assert str(v[0]) == str(nv[0]) and str(nd.asarray(2.5)) == str(np.asarray(2.5))
    s = np.array(["a", "bc"])
    masked = np.ma.masked_array([1, 2], mask=[0, 1])
    assert nd.array2string(s) == np.array2string(s)
    assert nd.array_str(s) == np.array_str(s) and nd.array_repr(s) == np.array_repr(s)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert nd.array_str(masked) == np.array_str(masked) == "[1 --]"
    assert nd.array2string(nd.asarray([1.0, 2.5])) == "[1.  2.5]"


# -- ufunc methods (a sweep of reduce/accumulate/at with keywords against NumPy) -----------
def _same_np(got, want):
    got, want = np.asarray(got), np.asarray(want)
    assert got.dtype == want.dtype and got.shape == want.shape
    assert got.tobytes() == want.tobytes()


@pytest.mark.parametrize("call", [
    lambda m, a: m.maximum.reduce(a(np.array([[True, False], [False, False]])), axis=0,
                                  dtype="float32"),
    lambda m, a: m.maximum.reduce(a(np.array([100, 100], np.int8)), dtype="float16"),
    lambda m, a: m.add.reduce(a(np.array([1, 2, 3])), initial=-1.5),
    lambda m, a: m.multiply.reduce(a(np.array([1, 2, 3])), initial=0.5),
    lambda m, a: m.maximum.reduce(a(np.array([True, False, True])),
                                  where=a(np.array([True, False, True])), initial=0),
    lambda m, a: m.subtract.reduce(a(np.array([5, 1, 1], np.int8)),
                                   where=a(np.array([True, False, True])), initial=0),
    lambda m, a: m.minimum.reduce(a(np.array([-127, 0, 7], np.int8)),
                                  out=a(np.zeros((), bool))),
    lambda m, a: m.maximum.reduce(a(np.array([-1, 1], np.int8)),
                                  out=a(np.zeros((), np.uint8))),
])
def test_ufunc_reduce_keywords_are_numpys(call):
    """(dtype= was dropped by maximum/minimum.reduce, initial= promoted where NumPy casts
    it to the loop's dtype, out= cast after reducing in the input's dtype, where= with
    initial= refused.)"""
    _same_np(call(nd, nd.asarray), call(np, np.asarray))


@pytest.mark.parametrize("name,a,idx,b", [
    ("add", np.ones(3, np.int16), [0], -0.5),
    ("add", np.ones(3, np.float16), [0, 0], 0.000488330078125),
    ("add", np.zeros(3, bool), [0, 0], -1),
    ("subtract", np.zeros(3, np.int8), [0], 2.5),
    ("add", np.ones(3, np.int8), [0], 300),
    ("add", np.ones(3), [0, 2, 0], np.array([1.0, 2.0, 3.0])),
])
def test_ufunc_at_casts_as_numpy(name, a, idx, b):
    """(add.at/subtract.at cast b to a's dtype first; NumPy runs the promoted loop and
    casts each result back.)"""
    x, y = nd.asarray(a.copy()), a.copy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        getattr(nd, name).at(x, idx, b)
        getattr(np, name).at(y, idx, b)
    _same_np(x, y)
    # recorded: the differentiable path, same values for float data
    if a.dtype == np.float64:
        g = nd.grad(lambda t: nd.sum((lambda u: (getattr(nd, name).at(u, idx, b), u)[1])(
            t * 1.0) ** 2))(nd.asarray(a))
        assert np.shape(g) == a.shape


@pytest.mark.parametrize("name", ["logical_and", "logical_or", "logical_xor"])
def test_logical_accumulate_of_a_recorded_input_is_bool(name):
    """(The ufunc sweep, left last session: logical_*.accumulate of an input that records
    kept its float dtype, 1. and 0. for True and False.)"""
    x = np.array([[1.0, 0.0, 2.0], [0.0, 3.0, -4.0]])
    a = nd.asarray(x, requires_grad=True)
    for axis in (0, 1, -1):
        want = getattr(np, name).accumulate(x, axis=axis)
        got = getattr(nd, name).accumulate(a, axis=axis)
        assert got.dtype == want.dtype == np.bool_
        np.testing.assert_array_equal(np.asarray(got), want)
        assert not got.requires_grad

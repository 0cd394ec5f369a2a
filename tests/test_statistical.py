"""Statistical functions: values, dtypes and shapes against NumPy (and
array_api_compat.numpy, where the standard fixes a dtype NumPy 2 also gives), gradients
against finite differences, and the special cases: ties, zeros, correction, overflow."""
import math
import warnings

import array_api_compat.numpy as npx
import numpy as np
import pytest
from hypothesis import assume, given, strategies as st
from hypothesis.extra import numpy as hnp

import ndgrad as nd
from helpers import host  # noqa: E402  (an explicit copy off any device)
from helpers import hyp  # noqa: E402
from ndgrad._ops import statistical as S

# the standard's functions as implemented in ndgrad._ops (the namespace may give
# NumPy-signature wrappers of them, tested with the NumPy layer)
A = host  # an ndgrad array (any backend) as a NumPy array (an explicit copy)


def _floats(lo=-10.0, hi=10.0):
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False, width=64)


def float_arrays(min_dims=1, max_dims=3, max_side=4, lo=-10.0, hi=10.0, min_side=1):
    return hnp.arrays(np.float64, hnp.array_shapes(min_dims=min_dims, max_dims=max_dims,
                                                   min_side=min_side, max_side=max_side),
                      elements=_floats(lo, hi))


@st.composite
def array_and_axis(draw, **kw):
    """An array and an ``axis`` argument: None, an int (maybe negative) or a tuple."""
    x = draw(float_arrays(**kw))
    nd_ = x.ndim
    kind = draw(st.sampled_from(["none", "int", "tuple"]))
    if kind == "none":
        axis = None
    elif kind == "int":
        axis = draw(st.integers(-nd_, nd_ - 1))
    else:
        axes = draw(st.lists(st.integers(0, nd_ - 1), unique=True, max_size=nd_))
        axis = tuple(a - nd_ if draw(st.booleans()) else a for a in axes)
    return x, axis


def _distinct(x):
    """Same shape, values well apart (no ties, no zeros): a smooth point for max/min/std."""
    flat = x.ravel()
    order = np.argsort(flat, kind="stable")
    out = np.empty_like(flat)
    out[order] = np.arange(flat.size) * 0.37 + 0.5
    rng = np.random.default_rng(flat.size)
    return (out * rng.choice([-1.0, 1.0], size=flat.size)).reshape(x.shape)


def _check_same(got, want, rtol=1e-10, atol=1e-12):
    want = host(want)
    assert isinstance(got, nd.Array)
    assert got.dtype == want.dtype, (got.dtype, want.dtype)
    assert got.shape == want.shape, (got.shape, want.shape)
    np.testing.assert_allclose(A(got), want, rtol=rtol, atol=atol, equal_nan=True)


# -- values, dtypes and shapes ---------------------------------------------------------------
REDUCTIONS = {
    "sum": lambda x, **kw: np.sum(x, **kw),
    "prod": lambda x, **kw: np.prod(x, **kw),
    "mean": lambda x, **kw: np.mean(x, **kw),
    "max": lambda x, **kw: np.max(x, **kw),
    "min": lambda x, **kw: np.min(x, **kw),
    "logsumexp": None,  # checked against the shifted formula below
}


def _np_logsumexp(x, axis=None, keepdims=False):
    m = np.max(x, axis=axis, keepdims=True)
    out = np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True)) + m
    return out if keepdims else np.squeeze(out, axis=axis)


@pytest.mark.parametrize("name", sorted(REDUCTIONS))
@hyp()
@given(data=array_and_axis(), keepdims=st.booleans())
def test_reductions_match_numpy(name, device, data, keepdims):
    x, axis = data
    got = getattr(S, name)(nd.asarray(x, device=device), axis=axis, keepdims=keepdims)
    ref = REDUCTIONS[name] or _np_logsumexp
    _check_same(got, ref(x, axis=axis, keepdims=keepdims), rtol=1e-9)


@pytest.mark.parametrize("name", ["var", "std"])
@hyp()
@given(data=array_and_axis(), keepdims=st.booleans(), correction=st.sampled_from([0, 1, 0.5, 2]))
def test_var_std_match_numpy(name, device, data, keepdims, correction):
    # N - correction <= 0 included: NumPy's inf/nan (with a warning), which ndgrad keeps
    x, axis = data
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        got = getattr(S, name)(nd.asarray(x, device=device), axis=axis, keepdims=keepdims,
                                correction=correction)
        want = getattr(np, name)(x, axis=axis, keepdims=keepdims, ddof=correction)
    _check_same(got, want, rtol=1e-8, atol=1e-10)


INT_DTYPES = ["int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"]


@pytest.mark.parametrize("dtype", INT_DTYPES + ["float32", "float64", "bool"])
@pytest.mark.parametrize("name", ["sum", "prod", "cumulative_sum", "cumulative_prod"])
def test_result_dtype_as_array_api_compat_numpy(name, dtype, device):
    # sum/prod of small integers widen to the default integer (int64/uint64), floats keep
    # their dtype; the cumulative functions follow the same rule in the standard
    x = host([1, 0, 1, 1], dtype=dtype)
    if device == "strict" and dtype == "bool":
        pytest.skip("the standard has no arithmetic on bool (array_api_strict refuses it)")
    got = getattr(S, name)(nd.asarray(x, device=device))
    _check_same(got, getattr(npx, name)(x))


@pytest.mark.parametrize("name", ["sum", "prod", "cumulative_sum", "cumulative_prod"])
def test_dtype_argument(name, device):
    x = host([[1, 2], [3, 4]], dtype=np.int8)
    kw = {"axis": 1}
    got = getattr(S, name)(nd.asarray(x, device=device), dtype=nd.float32, **kw)
    _check_same(got, getattr(npx, name)(x, dtype=np.float32, **kw))
    # a wider result dtype: the gradient comes back in the input's dtype
    xf = nd.asarray(x.astype(np.float32), device=device)
    g = nd.grad(lambda v: S.sum(getattr(S, name)(v, dtype=nd.float64, **kw)))(xf)
    assert g.dtype == nd.float32


@hyp()
@given(x=float_arrays(max_dims=3), data=st.data(), include_initial=st.booleans())
@pytest.mark.parametrize("name", ["cumulative_sum", "cumulative_prod"])
def test_cumulative_match_numpy(name, device, x, data, include_initial):
    axis = data.draw(st.integers(-x.ndim, x.ndim - 1)) if x.ndim > 1 else None
    x = x / 4.0  # products of up to four values stay modest
    got = getattr(S, name)(nd.asarray(x, device=device), axis=axis,
                            include_initial=include_initial)
    want = getattr(np, name)(x, axis=axis, include_initial=include_initial)
    _check_same(got, want, rtol=1e-9)


def test_cumulative_axis_rules(device):
    x = nd.asarray(np.ones((2, 3)), device=device)
    with pytest.raises(ValueError, match=r"2-D array \(shape \(2, 3\)\) needs an axis"):
        S.cumulative_sum(x)
    with pytest.raises(IndexError, match="axis 2 is out of bounds"):
        S.cumulative_prod(x, axis=2)
    # a 0-d input counts as one element, as in NumPy
    _check_same(S.cumulative_sum(nd.asarray(3.0, device=device), include_initial=True),
                np.cumulative_sum(host(3.0), include_initial=True))


def test_reduction_errors_name_the_axis(device):
    x = nd.asarray(np.ones((2, 3)), device=device)
    with pytest.raises(IndexError, match="axis 5 is out of bounds for an array of dimension 2"):
        S.sum(x, axis=5)
    with pytest.raises(ValueError, match=r"repeated axis in \(0, -2\)"):
        S.max(x, axis=(0, -2))
    with pytest.raises(TypeError, match="correction"):
        S.var(x, correction="1")


# -- gradients -------------------------------------------------------------------------------
GRAD_FUNCS = ["sum", "prod", "mean", "var", "std", "max", "min", "logsumexp"]


@pytest.mark.parametrize("name", GRAD_FUNCS)
@hyp(max_examples=4)
@given(data=array_and_axis(max_dims=3, max_side=3), keepdims=st.booleans())
def test_reduction_gradients(name, device, data, keepdims):
    x, axis = data
    x = _distinct(x)
    if name == "std":  # sqrt is not differentiable at 0: a slice needs two values
        axes = range(x.ndim) if axis is None else np.atleast_1d(axis)
        assume(math.prod(x.shape[a] for a in axes) > 1)
    f = getattr(S, name)
    nd.check_grads(lambda v: f(v, axis=axis, keepdims=keepdims), nd.asarray(x, device=device),
                   order=2)


@pytest.mark.parametrize("name", ["var", "std"])
@pytest.mark.parametrize("correction", [0, 1, 1.5])
def test_var_std_gradients_with_correction(name, correction, device):
    x = nd.asarray(_distinct(np.zeros((3, 4))), device=device)
    f = getattr(S, name)
    nd.check_grads(lambda v: f(v, axis=1, correction=correction), x, order=2)


@pytest.mark.parametrize("name", ["cumulative_sum", "cumulative_prod"])
@pytest.mark.parametrize("include_initial", [False, True])
@pytest.mark.parametrize("axis", [0, 1, -1])
def test_cumulative_gradients(name, include_initial, axis, device):
    x = nd.asarray(_distinct(np.zeros((3, 4))), device=device)
    f = getattr(S, name)
    nd.check_grads(lambda v: f(v, axis=axis, include_initial=include_initial), x, order=2)


def test_max_ties_split_the_gradient_evenly(device):
    x = nd.asarray([[1.0, 3.0, 3.0, 2.0], [5.0, 5.0, 5.0, 0.0]], device=device)
    g = nd.grad(lambda v: S.sum(S.max(v, axis=1) * nd.asarray([1.0, 3.0], device=device)))(x)
    np.testing.assert_array_equal(A(g), [[0, 0.5, 0.5, 0], [1, 1, 1, 0]])
    # over all axes (two maxima of 5 in row 1 only count once: 3 ties in total)
    g = nd.grad(lambda v: S.max(v))(x)
    np.testing.assert_allclose(A(g), [[0, 0, 0, 0], [1 / 3, 1 / 3, 1 / 3, 0]])
    # min, with keepdims and an axis tuple
    y = nd.asarray([[[2.0, 1.0]], [[1.0, 4.0]]], device=device)
    g = nd.grad(lambda v: S.sum(S.min(v, axis=(0, 2), keepdims=True)))(y)
    np.testing.assert_array_equal(A(g), [[[0, 0.5]], [[0.5, 0]]])


def test_max_tie_gradient_of_gradient_is_zero(device):
    # max is piecewise linear: its Hessian is zero, also at a tie
    x = nd.asarray([2.0, 2.0, 1.0], device=device)
    h = nd.hessian(lambda v: S.max(v))(x)
    np.testing.assert_array_equal(A(h), np.zeros((3, 3)))


def test_prod_gradient_with_one_zero(device):
    x = nd.asarray([[2.0, 0.0, 3.0, 4.0], [1.0, 2.0, 3.0, 4.0]], device=device)
    g = nd.grad(lambda v: S.sum(S.prod(v, axis=1)))(x)
    # d/dx_i is the product of the others: only the zero itself gets a nonzero gradient
    np.testing.assert_array_equal(A(g), [[0, 24, 0, 0], [24, 12, 8, 6]])
    g = nd.grad(lambda v: S.prod(v))(x)
    np.testing.assert_array_equal(A(g), [[0, 24 * 24, 0, 0], [0, 0, 0, 0]])
    nd.check_grads(lambda v: S.prod(v, axis=1), x, order=2)
    nd.check_grads(lambda v: S.prod(v, axis=(0, 1), keepdims=True), x, order=2)


def test_prod_gradient_with_two_zeros(device):
    x = nd.asarray([[2.0, 0.0, 3.0, 0.0], [0.0, 5.0, 0.5, 1.0]], device=device)
    g = nd.grad(lambda v: S.sum(S.prod(v, axis=1)))(x)
    np.testing.assert_array_equal(A(g), [[0, 0, 0, 0], [2.5, 0, 0, 0]])
    g = nd.grad(lambda v: S.sum(S.prod(v, axis=0)))(nd.asarray([[0.0], [0.0]], device=device))
    np.testing.assert_array_equal(A(g), [[0.0], [0.0]])
    # second order is exact too: d2/dx1 dx3 of x0 x1 x2 x3 at x1 = x3 = 0 is x0 x2 = 6
    h = nd.hessian(lambda v: S.prod(v))(nd.asarray([2.0, 0.0, 3.0, 0.0], device=device))
    assert float(h[1, 3]) == 6.0 and float(h[3, 1]) == 6.0
    nd.check_grads(lambda v: S.prod(v, axis=1), x, order=2)
    nd.check_grads(lambda v: S.prod(v, axis=0), x, order=2)


def test_cumulative_prod_gradient_with_zeros(device):
    x = nd.asarray([[2.0, 0.0, 3.0, 0.0, 1.5], [1.0, 2.0, 0.0, 4.0, 0.5]], device=device)
    # exact to first order; the second derivative at a zero is not (documented)
    nd.check_grads(lambda v: S.cumulative_prod(v, axis=1), x, order=1)
    nd.check_grads(lambda v: S.cumulative_prod(v, axis=1, include_initial=True), x, order=1)
    nd.check_grads(lambda v: S.cumulative_prod(v, axis=0), x, order=1)


def test_std_with_correction_1(device):
    v = host([1.0, 2.0, 4.0, 7.0])
    x = nd.asarray(v, device=device)
    s = S.std(x, correction=1)
    assert s.dtype == nd.float64 and s.shape == ()
    np.testing.assert_allclose(float(s), np.std(v, ddof=1), rtol=1e-14)
    np.testing.assert_allclose(float(s), math.sqrt(np.sum((v - v.mean()) ** 2) / 3), rtol=1e-14)
    g = nd.grad(lambda t: S.std(t, correction=1))(x)
    np.testing.assert_allclose(A(g), (v - v.mean()) / (3 * np.std(v, ddof=1)), rtol=1e-12)
    nd.check_grads(lambda t: S.std(t, correction=1), x, order=2)


def test_logsumexp_large_values(device):
    x = nd.asarray([[1000.0, 1000.0, 990.0], [-1000.0, -1001.0, -np.inf]], device=device)
    out = S.logsumexp(x, axis=1)
    want = [1000.0 + math.log(2 + math.exp(-10)), -1000.0 + math.log1p(math.exp(-1))]
    np.testing.assert_allclose(A(out), want, rtol=1e-14)
    g = nd.grad(lambda v: S.sum(S.logsumexp(v, axis=1)))(x)
    e = np.exp(-10)
    np.testing.assert_allclose(A(g), [[1 / (2 + e), 1 / (2 + e), e / (2 + e)],
                                      [1 / (1 + np.exp(-1)), np.exp(-1) / (1 + np.exp(-1)), 0]],
                               rtol=1e-12)
    assert float(S.logsumexp(nd.asarray([1e308, 1e308], device=device))) == pytest.approx(
        1e308, rel=1e-12)
    assert float(S.logsumexp(nd.asarray([-np.inf, -np.inf], device=device))) == -np.inf
    assert float(S.logsumexp(nd.asarray([np.inf, 1.0], device=device))) == np.inf
    nd.check_grads(lambda v: S.logsumexp(v), nd.asarray([700.0, 701.0, 699.5], device=device),
                   order=2)


def test_logsumexp_matches_scipy():
    special = pytest.importorskip("scipy.special")
    x = np.random.default_rng(1).standard_normal((3, 4)) * 50
    for axis in [None, 0, 1, (0, 1)]:
        for keepdims in [False, True]:
            _check_same(S.logsumexp(nd.asarray(x), axis=axis, keepdims=keepdims),
                        special.logsumexp(x, axis=axis, keepdims=keepdims), rtol=1e-13)
    # integer input gives the default float, as scipy
    _check_same(S.logsumexp(nd.asarray([1, 2, 3])),
                special.logsumexp(host([1, 2, 3])), rtol=1e-13)


def test_reductions_accept_lists():
    _check_same(S.sum([[1, 2], [3, 4]], axis=0), np.sum([[1, 2], [3, 4]], axis=0))
    _check_same(S.mean([1.0, 2.0]), np.mean([1.0, 2.0]))

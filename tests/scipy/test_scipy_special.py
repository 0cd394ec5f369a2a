"""ndgrad.scipy.special against SciPy's values and against finite differences (first and
second order), with hypothesis-drawn inputs in each function's domain, the edge values
(gammaln at its poles, logsumexp with infinities, xlogy(0, 0)), the strict backend where
the standard expresses the function, and clear errors where it does not."""
import subprocess
import sys
import os
import warnings

import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

sp = pytest.importorskip("scipy.special")

import ndgrad as nd  # noqa: E402
from ndgrad.scipy import special  # noqa: E402
from helpers import hyp  # noqa: E402

STRICT_OK = {"expit", "logit", "xlogy", "xlog1py", "entr", "rel_entr", "softmax",
             "log_softmax", "logsumexp"}

# name -> (how ndgrad calls it, how SciPy calls it, a domain (lo, hi) per drawn argument,
#          the arguments that get gradients (indices), prep of the draws)
C = 3  # elements per drawn array


def _away0(*xs):
    return tuple(np.where(np.abs(x) < 0.15, 0.4, x) for x in xs)


def _no_tiny(*xs):
    # SciPy's iv(v, x) is nan for 0 < |x| < ~1e-307 (its own bug; i0/i1 are right there)
    return tuple(np.where(np.abs(x) < 1e-300, 0.0, x) for x in xs)


CASES = {
    "expit": (special.expit, sp.expit, [(-6, 6)]),
    "logit": (special.logit, sp.logit, [(0.05, 0.95)]),
    "gamma": (special.gamma, sp.gamma, [(0.2, 4)]),
    "gamma_neg": (special.gamma, sp.gamma, [(-2.9, -2.1)]),
    "gammaln": (special.gammaln, sp.gammaln, [(0.1, 6)]),
    "gammaln_neg": (special.gammaln, sp.gammaln, [(-1.9, -1.1)]),
    "digamma": (special.digamma, sp.digamma, [(0.3, 5)]),
    "polygamma1": (lambda x: special.polygamma(1, x), lambda x: sp.polygamma(1, x),
                   [(0.3, 5)]),
    "polygamma2": (lambda x: special.polygamma(2, x), lambda x: sp.polygamma(2, x),
                   [(0.3, 5)]),
    "multigammaln": (lambda a: special.multigammaln(a, 3), lambda a: sp.multigammaln(a, 3),
                     [(1.2, 5)]),
    "gammainc": (lambda x: special.gammainc(1.7, x), lambda x: sp.gammainc(1.7, x),
                 [(0.1, 5)]),
    "gammaincc": (lambda x: special.gammaincc(0.6, x), lambda x: sp.gammaincc(0.6, x),
                  [(0.1, 5)]),
    "gammainc_arr_a": (lambda x: special.gammainc(nd.asarray([0.5, 2.0, 3.5]), x),
                       lambda x: sp.gammainc(np.asarray([0.5, 2.0, 3.5]), x), [(0.1, 5)]),
    "betainc": (lambda x: special.betainc(2.5, 0.7, x), lambda x: sp.betainc(2.5, 0.7, x),
                [(0.05, 0.95)]),
    "betaincc": (lambda x: special.betaincc(2.5, 0.7, x), lambda x: sp.betaincc(2.5, 0.7, x),
                 [(0.05, 0.95)]),
    "stdtr": (lambda t: special.stdtr(3.5, t), lambda t: sp.stdtr(3.5, t), [(-3, 3)]),
    "beta": (special.beta, sp.beta, [(0.3, 4), (0.3, 4)]),
    "betaln": (special.betaln, sp.betaln, [(0.3, 4), (0.3, 4)]),
    "erf": (special.erf, sp.erf, [(-2, 2)]),
    "erfc": (special.erfc, sp.erfc, [(-2, 2)]),
    "erfcx": (special.erfcx, sp.erfcx, [(-3, 40)]),
    "erfinv": (special.erfinv, sp.erfinv, [(-0.9, 0.9)]),
    "erfcinv": (special.erfcinv, sp.erfcinv, [(0.1, 1.9)]),
    "ndtr": (special.ndtr, sp.ndtr, [(-3, 3)]),
    "ndtri": (special.ndtri, sp.ndtri, [(0.05, 0.95)]),
    "log_ndtr": (special.log_ndtr, sp.log_ndtr, [(-12, 4)]),
    "i0": (special.i0, sp.i0, [(-3, 3)]),
    "i1": (special.i1, sp.i1, [(-3, 3)]),
    "i0e": (special.i0e, sp.i0e, [(-3, 3)], _away0),
    "i1e": (special.i1e, sp.i1e, [(-3, 3)], _away0),
    "j0": (special.j0, sp.j0, [(-6, 6)]),
    "j1": (special.j1, sp.j1, [(-6, 6)]),
    "y0": (special.y0, sp.y0, [(0.3, 6)]),
    "y1": (special.y1, sp.y1, [(0.3, 6)]),
    "jn": (lambda x: special.jn(3, x), lambda x: sp.jn(3, x), [(-5, 5)]),
    "jn0": (lambda x: special.jn(0, x), lambda x: sp.jn(0, x), [(-5, 5)]),
    "yn": (lambda x: special.yn(2, x), lambda x: sp.yn(2, x), [(0.5, 6)]),
    "iv": (lambda x: special.iv(2, x), lambda x: sp.iv(2, x), [(-3, 3)], _no_tiny),
    "ive": (lambda x: special.ive(3, x), lambda x: sp.ive(3, x), [(-3, 3)], _away0),
    "xlogy": (special.xlogy, sp.xlogy, [(-2, 2), (0.2, 3)]),
    "xlog1py": (special.xlog1py, sp.xlog1py, [(-2, 2), (-0.8, 3)]),
    "entr": (special.entr, sp.entr, [(0.1, 3)]),
    "rel_entr": (special.rel_entr, sp.rel_entr, [(0.1, 3), (0.1, 3)]),
    "softmax": (lambda x: special.softmax(x), lambda x: sp.softmax(x), [(-3, 3)]),
    "log_softmax": (lambda x: special.log_softmax(x), lambda x: sp.log_softmax(x), [(-3, 3)]),
    "logsumexp": (lambda x: special.logsumexp(x), lambda x: sp.logsumexp(x), [(-3, 3)]),
    "logsumexp_b": (lambda x, b: special.logsumexp(x, b=b), lambda x, b: sp.logsumexp(x, b=b),
                    [(-3, 3), (0.2, 2)]),
}
# rows whose SciPy function the strict backend computes with standard functions
STRICT_CASES = sorted(n for n in CASES if n.split("_b")[0] in STRICT_OK)


def _draw(data, domains):
    return [np.asarray(data.draw(st.lists(st.floats(lo, hi, width=64), min_size=C,
                                          max_size=C)), dtype=np.float64)
            for lo, hi in domains]


def _inputs(name, data):
    row = CASES[name]
    raw = _draw(data, row[2])
    if len(row) > 3:
        raw = list(row[3](*raw))
    return raw


def _strict_name(name):
    return name.split("_")[0] if name not in CASES else name


@pytest.mark.parametrize("name", sorted(CASES))
@settings(max_examples=10, deadline=None)
@given(data=st.data())
def test_values_match_scipy(name, data):
    f, ref = CASES[name][:2]
    raw = _inputs(name, data)
    got = f(*[nd.asarray(r) for r in raw])
    want = np.asarray(ref(*raw))
    assert isinstance(got, nd.Array)
    assert got.shape == want.shape and got.dtype == want.dtype
    np.testing.assert_allclose(np.asarray(got), want, rtol=1e-13, atol=1e-300)


@pytest.mark.parametrize("name", STRICT_CASES)
@settings(max_examples=10, deadline=None)
@given(data=st.data())
def test_strict_backend_values_match_scipy(name, data):
    f, ref = CASES[name][:2]
    raw = _inputs(name, data)
    got = f(*[nd.asarray(r, device="strict") for r in raw])
    assert str(got.device) == "strict"
    np.testing.assert_allclose(np.asarray(got), ref(*raw), rtol=1e-12, atol=1e-14)


def _grad_check(name, data, device):
    f = CASES[name][0]
    raw = _inputs(name, data)
    args = [nd.asarray(r, device=device) for r in raw]
    nd.check_grads(f, *args, order=2, eps=1e-6, rtol=2e-4, atol=1e-5)


@pytest.mark.parametrize("name", sorted(CASES))
@settings(max_examples=4, deadline=None)
@given(data=st.data())
def test_gradients_match_finite_differences(name, data):
    _grad_check(name, data, "cpu")


@pytest.mark.parametrize("name", STRICT_CASES)
@settings(max_examples=3, deadline=None)
@given(data=st.data())
def test_strict_gradients_match_finite_differences(name, data):
    _grad_check(name, data, "strict")


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(CASES))
@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_gradients_match_finite_differences_slow(name, data):
    _grad_check(name, data, "cpu")


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(CASES))
@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_values_match_scipy_slow(name, data):
    test_values_match_scipy.hypothesis.inner_test(name, data)


# -- values over the whole float line, specials included -----------------------------------
SPECIAL_FLOATS = st.one_of(st.floats(width=64), st.sampled_from(
    [0.0, -0.0, 1.0, -1.0, 0.5, -2.0, np.inf, -np.inf, np.nan, 1e-300, -1e-300, 1e300]))
UNARY = ["expit", "logit", "gamma", "gammaln", "digamma", "erf", "erfc", "erfcx", "erfinv",
         "erfcinv",
         "ndtr", "ndtri", "log_ndtr", "i0", "i1", "i0e", "i1e", "j0", "j1", "y0", "y1", "entr"]
BINARY = ["beta", "betaln", "xlogy", "xlog1py", "rel_entr"]


@pytest.mark.parametrize("name", UNARY + BINARY)
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_values_on_special_floats_match_scipy(name, data):
    n = 2 if name in BINARY else 1
    raw = [np.asarray(data.draw(st.lists(SPECIAL_FLOATS, min_size=4, max_size=4)))
           for _ in range(n)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        want = getattr(sp, name)(*raw)
        got = getattr(special, name)(*[nd.asarray(r) for r in raw])
    np.testing.assert_array_equal(np.asarray(got), want)
    if name in STRICT_OK:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            got = getattr(special, name)(*[nd.asarray(r, device="strict") for r in raw])
        np.testing.assert_allclose(np.asarray(got), want, rtol=1e-13, atol=0)


@pytest.mark.parametrize("name", ["expit", "gammaln", "erf", "ndtri", "xlogy", "softmax"])
def test_float32_keeps_scipys_dtype(name):
    x = np.asarray([0.25, 0.5], dtype=np.float32)
    args = (x, x) if name == "xlogy" else (x,)
    got = getattr(special, name)(*[nd.asarray(a) for a in args])
    want = getattr(sp, name)(*args)
    assert got.dtype == want.dtype == np.float32
    np.testing.assert_allclose(np.asarray(got), want, rtol=1e-6)


# -- edge values ----------------------------------------------------------------------------
def test_gammaln_near_zero_and_at_poles():
    x = np.asarray([1e-300, 1e-10, -1e-10, 0.0, -0.0, -1.0, -2.0, -2.5, 1.0, 2.0])
    np.testing.assert_array_equal(np.asarray(special.gammaln(nd.asarray(x))), sp.gammaln(x))
    # the gradient near 0 is digamma: -1/x - euler to first order
    g = nd.grad(lambda t: nd.sum(special.gammaln(t)))(nd.asarray([1e-8, -1e-8]))
    np.testing.assert_allclose(np.asarray(g), sp.digamma([1e-8, -1e-8]), rtol=1e-12)
    # second derivative: trigamma
    h = nd.grad(lambda t: nd.sum(nd.grad(lambda u: nd.sum(special.gammaln(u)))(t)))(
        nd.asarray([0.5, 3.0]))
    np.testing.assert_allclose(np.asarray(h), sp.polygamma(1, [0.5, 3.0]), rtol=1e-12)


@pytest.mark.parametrize("a", [
    [np.inf, 0.0], [-np.inf, -np.inf], [np.inf, -np.inf], [-np.inf, 1.0], [np.nan, 1.0],
    [1000.0, 1000.0], [-1000.0, -1001.0], [np.inf, np.inf]])
def test_logsumexp_with_infinities(a):
    a = np.asarray(a)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        want = sp.logsumexp(a)
        want_s = sp.logsumexp(a, return_sign=True)
        got = special.logsumexp(nd.asarray(a))
        got_s = special.logsumexp(nd.asarray(a), return_sign=True)
        got_b = special.logsumexp(nd.asarray(a), b=nd.ones(2))
        got_strict = special.logsumexp(nd.asarray(a, device="strict"))
    np.testing.assert_array_equal(np.asarray(got), want)
    np.testing.assert_array_equal(np.asarray(got_b), want)
    np.testing.assert_array_equal(np.asarray(got_strict), want)
    np.testing.assert_array_equal(np.asarray(got_s[0]), want_s[0])
    np.testing.assert_array_equal(np.asarray(got_s[1]), want_s[1])


def test_logsumexp_gradient_is_softmax_and_ignores_minus_inf():
    a = nd.asarray([-np.inf, 0.0, np.log(3.0)])
    g = nd.grad(lambda t: special.logsumexp(t))(a)
    np.testing.assert_allclose(np.asarray(g), [0.0, 0.25, 0.75], rtol=1e-14)


@pytest.mark.parametrize("axis", [None, 0, 1, (0, 1), -1])
@pytest.mark.parametrize("keepdims", [False, True])
def test_logsumexp_axis_b_keepdims_sign(axis, keepdims):
    rng = np.random.default_rng(1)
    a = rng.normal(size=(2, 3))
    b = rng.normal(size=(3,))
    want = sp.logsumexp(a, axis=axis, b=b, keepdims=keepdims, return_sign=True)
    got = special.logsumexp(nd.asarray(a), axis=axis, b=nd.asarray(b), keepdims=keepdims,
                            return_sign=True)
    for gv, wv in zip(got, want):
        assert gv.shape == np.shape(wv)
        np.testing.assert_allclose(np.asarray(gv), wv, rtol=1e-13)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        np.testing.assert_allclose(
            np.asarray(special.logsumexp(nd.asarray(a), axis=axis, b=nd.asarray(b),
                                         keepdims=keepdims)),
            sp.logsumexp(a, axis=axis, b=b, keepdims=keepdims), rtol=1e-13)
    # gradients in a and b, first and second order (b > 0 keeps the sum positive)
    nd.check_grads(lambda x, w: special.logsumexp(x, axis=axis, b=w, keepdims=keepdims),
                   nd.asarray(a), nd.asarray(np.abs(b) + 0.1), order=2, rtol=1e-4, atol=1e-6)


def test_logsumexp_b_zero_ignores_infinite_a():
    a = nd.asarray([np.inf, 1.0])
    got = special.logsumexp(a, b=nd.asarray([0.0, 2.0]))
    np.testing.assert_allclose(float(got), sp.logsumexp([np.inf, 1.0], b=[0.0, 2.0]))


@pytest.mark.parametrize("axis", [None, 0, 1, -1, (0, 1)])
def test_softmax_axes(axis):
    x = np.random.default_rng(2).normal(size=(2, 3))
    for name in ("softmax", "log_softmax"):
        got = getattr(special, name)(nd.asarray(x), axis=axis)
        np.testing.assert_allclose(np.asarray(got), getattr(sp, name)(x, axis=axis),
                                   rtol=1e-14)
        nd.check_grads(lambda t: getattr(special, name)(t, axis=axis), nd.asarray(x), order=2)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_xlogy_at_zero_zero_as_jax():
    x, y = nd.asarray([0.0, 0.0, 2.0]), nd.asarray([0.0, 3.0, 3.0])
    np.testing.assert_array_equal(np.asarray(special.xlogy(x, y)), sp.xlogy([0, 0, 2], [0, 3, 3]))
    gy = nd.grad(lambda t: nd.sum(special.xlogy(x, t)))(y)
    np.testing.assert_array_equal(np.asarray(gy), [0.0, 0.0, 2.0 / 3.0])
    gx = nd.grad(lambda t: nd.sum(special.xlogy(t, y)))(x)
    np.testing.assert_array_equal(np.asarray(gx), np.log([0.0, 3.0, 3.0]))  # log y, as JAX
    # second order stays finite at x == 0
    h = nd.grad(lambda t: nd.sum(nd.grad(lambda u: nd.sum(special.xlogy(x, u)))(t)))(y)
    np.testing.assert_array_equal(np.asarray(h), [0.0, 0.0, -2.0 / 9.0])


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_entr_and_rel_entr_gradients_at_the_boundary():
    g = nd.grad(lambda t: nd.sum(special.entr(t)))(nd.asarray([0.0, -1.0, 1.0]))
    np.testing.assert_array_equal(np.asarray(g), [np.inf, 0.0, -1.0])
    gx, gy = nd.grad(lambda a, b: nd.sum(special.rel_entr(a, b)), argnums=(0, 1))(
        nd.asarray([0.0, 1.0]), nd.asarray([2.0, 2.0]))
    np.testing.assert_array_equal(np.asarray(gx), [-np.inf, np.log(0.5) + 1])
    np.testing.assert_array_equal(np.asarray(gy), [0.0, -0.5])


def test_bessel_derivatives_at_zero():
    for name, want in [("i1", 0.5), ("j1", 0.5), ("i1e", 0.5), ("i0", 0.0), ("j0", 0.0)]:
        g = nd.grad(lambda t: nd.sum(getattr(special, name)(t)))(nd.asarray([0.0]))
        np.testing.assert_allclose(np.asarray(g), [want], atol=1e-15, err_msg=name)


# -- refusals ----------------------------------------------------------------------------------
@pytest.mark.parametrize("name,argnum,args", [
    ("betainc", 0, (1.5, 2.0, 0.3)), ("betainc", 1, (1.5, 2.0, 0.3)), ("stdtr", 0, (3.0, 0.5)),
    ("betaincc", 0, (1.5, 2.0, 0.3)), ("betaincc", 1, (1.5, 2.0, 0.3)),
    # the orders: a zero gradient there was silently wrong (d iv / dv at (0.5, 2) is -0.757)
    ("iv", 0, (0.5, 2.0)), ("ive", 0, (0.5, 2.0)), ("jn", 0, (2.0, 1.5)),
    ("yn", 0, (2.0, 1.5)), ("polygamma", 0, (1.0, 1.5))])
def test_shape_parameter_gradients_refuse_naming_the_argument(name, argnum, args):
    f = getattr(special, name)
    arrays = [nd.asarray(a) for a in args]
    argname = {"betainc": "ab"[argnum], "betaincc": "ab"[argnum], "stdtr": "df", "iv": "v",
               "ive": "v"}.get(name, "n")
    with pytest.raises(ValueError, match=rf"{name}.*'{argname}'"):
        nd.grad(lambda t: nd.sum(f(*arrays[:argnum], t, *arrays[argnum + 1:])))(arrays[argnum])
    # the last argument still differentiates when the shape one is a constant array
    g = nd.grad(lambda t: nd.sum(f(*arrays[:-1], t)))(arrays[-1])
    assert np.isfinite(float(g))


@pytest.mark.parametrize("name", ["gammainc", "gammaincc"])
@settings(max_examples=10, deadline=None)
@given(a=st.lists(st.floats(0.05, 40), min_size=3, max_size=3),
       x=st.lists(st.floats(0.0, 60), min_size=3, max_size=3))
def test_incomplete_gamma_derivative_in_a_against_scipy(name, a, x):
    # the series against central differences of SciPy's own values in a
    a, x = np.asarray(a), np.asarray(x)
    h = 1e-6 * np.maximum(1.0, a)
    f = getattr(sp, name)
    fd = (f(a + h, x) - f(a - h, x)) / (2 * h)
    g = nd.grad(lambda t: nd.sum(getattr(special, name)(t, nd.asarray(x))))(nd.asarray(a))
    np.testing.assert_allclose(np.asarray(g), fd, rtol=1e-5, atol=1e-8)


@pytest.mark.parametrize("a, x", [(0.002, 150.0), (0.5, 40.0), (3.0, 30.0), (2.0, 700.0),
                                  (1e4, 1.1e4), (1.0, 3.7), (0.3, 1.5), (30.0, 29.0)])
def test_incomplete_gamma_derivative_in_a_where_the_complement_is_tiny(a, x):
    # Where x > a, P is near 1 and dP/da = -dQ/da is as small as Q (4.9e-68 at
    # (0.002, 150)). P's series alone gave it only to 1e-15 absolute: -1.9e-15 there,
    # the wrong sign, silently. Against central differences of SciPy's gammaincc in a
    # (Q's relative accuracy carries over to them)
    h = min(1e-5 * a, 1e-3)
    fd = (sp.gammaincc(a + h, x) - sp.gammaincc(a - h, x)) / (2 * h)
    for name, sign in (("gammaincc", 1.0), ("gammainc", -1.0)):
        g = nd.grad(lambda t: getattr(special, name)(t, x))(nd.asarray(a))
        np.testing.assert_allclose(float(g), sign * fd, rtol=1e-6, atol=0)
    # the x where P's series would have needed 200000 terms and more: the continued
    # fraction's few (Q underflows: its derivative is 0 as SciPy's differences)
    g = nd.grad(lambda t: special.gammaincc(t, 3e5))(nd.asarray(2.0))
    assert float(g) == 0.0


@pytest.mark.parametrize("v", [0, 0.0, -1, -2.0, 1.5])
def test_modified_bessel_gradient_at_order_zero_and_negative_integers(v):
    # I_v' = (I_v-1 + I_v+1) / 2 reads order v - 1; at v = 0 the rule's small-x term took
    # 1/gamma(0) and raised "math domain error" (I_-n = I_n). Against SciPy's recurrence
    x = np.asarray([0.3, 2.0, -1.5])
    want = 0.5 * (sp.iv(v - 1, x) + sp.iv(v + 1, x))
    g = nd.grad(lambda t: nd.sum(special.iv(v, t)))(nd.asarray(x))
    np.testing.assert_allclose(np.asarray(g), want, rtol=1e-13)
    ge = nd.grad(lambda t: nd.sum(special.ive(v, t)))(nd.asarray(x))
    np.testing.assert_allclose(np.asarray(ge), 0.5 * (sp.ive(v - 1, x) + sp.ive(v + 1, x))
                               - np.sign(x) * sp.ive(v, x), rtol=1e-13)
    # an array of orders takes the same path
    va = nd.asarray([float(v)] * 3)
    ga = nd.grad(lambda t: nd.sum(special.iv(va, t)))(nd.asarray(x))
    np.testing.assert_allclose(np.asarray(ga), want, rtol=1e-13)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_expit_gradient_in_the_tails(dtype):
    # ans * (1 - ans) gave 0 for x > 37: 1 - ans rounds to 0 where the derivative is
    # exp(-x) (3.9e-32 at 72.3). Against e / (1 + e)**2 with e = exp(-|x|), in float64
    x = np.asarray([-72.3, -20.0, -1.0, 0.0, 0.5, 20.0, 40.0, 72.3], dtype)
    e = np.exp(-np.abs(x.astype(np.float64)))
    g = nd.grad(lambda t: nd.sum(special.expit(t)))(nd.asarray(x))
    assert np.asarray(g).dtype == dtype
    np.testing.assert_allclose(np.asarray(g), e / (1 + e) ** 2,
                               rtol=4 * np.finfo(dtype).eps, atol=0)


def test_incomplete_gamma_second_derivatives():
    a, x = nd.asarray([0.5, 2.0, 4.0]), nd.asarray([0.3, 2.5, 6.0])
    nd.check_grads(special.gammainc, a, x, order=1, rtol=1e-5)
    # d2/(da dx) from the series op's own rule
    nd.check_grads(lambda t: nd.grad(lambda y: nd.sum(special.gammainc(t, y)))(x), a,
                   order=1, rtol=1e-5)
    with pytest.raises(ValueError, match=r"gammainc.*'a'.*second derivative"):
        nd.check_grads(lambda t: special.gammaincc(t, x), a, order=2)


@pytest.mark.parametrize("name", ["gamma", "gammaln", "erf", "ndtri", "i0e", "digamma"])
def test_strict_backend_refuses_scipy_only_functions(name):
    with pytest.raises(TypeError, match=rf"special\.{name}.*array_api_strict"):
        getattr(special, name)(nd.asarray([0.5], device="strict"))


def test_multigammaln_checks_d():
    with pytest.raises(TypeError, match="dimension d"):
        special.multigammaln(nd.asarray([3.0]), 2.5)
    with pytest.raises(ValueError, match="positive"):
        special.multigammaln(nd.asarray([3.0]), 0)


def test_wrong_argument_count_is_clear():
    with pytest.raises(TypeError, match=r"gammainc\(a, x\) takes 2 arguments, got 1"):
        special.gammainc(nd.asarray([1.0]))


def test_import_ndgrad_does_not_import_scipy():
    code = ("import sys, ndgrad, ndgrad.scipy; x = ndgrad.scipy.special.expit("
            "ndgrad.asarray([0.0], device='strict')); assert 'scipy.special' not in sys.modules,"
            " sorted(m for m in sys.modules if m.startswith('scipy'))")
    env = dict(os.environ, PYTHONPATH=os.getcwd())
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert r.returncode == 0, r.stderr


def test_graph_mode_uses_the_same_ops():
    tf = pytest.importorskip("ndgrad.tf")
    g = tf.Graph()
    with g.as_default():
        x = tf.placeholder(tf.float64, shape=(3,))
        y = tf.reduce_sum(special.gammaln(x) * special.expit(x))
        dx, = tf.gradients(y, [x])
        with tf.Session() as sess:
            val, grad = sess.run([y, dx], feed_dict={x: [0.5, 1.5, 2.5]})
    xs = np.asarray([0.5, 1.5, 2.5])
    np.testing.assert_allclose(val, np.sum(sp.gammaln(xs) * sp.expit(xs)), rtol=1e-12)
    want = sp.digamma(xs) * sp.expit(xs) + sp.gammaln(xs) * sp.expit(xs) * (1 - sp.expit(xs))
    np.testing.assert_allclose(grad, want, rtol=1e-12)


@pytest.mark.parametrize("name", ["expit", "gammaln", "erf", "xlogy", "entr", "softmax",
                                  "log_softmax", "logsumexp", "i1e"])
@pytest.mark.parametrize("shape", [(), (0,), (2, 0)])
def test_zero_d_and_empty_shapes_as_scipy(name, shape):
    x = np.full(shape, 0.5)
    args = (x, x) if name == "xlogy" else (x,)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            want = np.asarray(getattr(sp, name)(*args))
    except (ValueError, IndexError) as e:
        if name == "logsumexp":  # SciPy 1.17 fails on (2, 0); the sum of nothing is 0
            np.testing.assert_array_equal(np.asarray(special.logsumexp(nd.asarray(x))),
                                          -np.inf)
            return
        with pytest.raises(type(e)):  # softmax of nothing: SciPy's (NumPy's) error
            getattr(special, name)(*[nd.asarray(a) for a in args])
        return
    got = getattr(special, name)(*[nd.asarray(a) for a in args])
    assert got.shape == want.shape and got.dtype == want.dtype
    np.testing.assert_array_equal(np.asarray(got), want)


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.bool_, np.float32, np.float64])
@pytest.mark.parametrize("name", ["expit", "gammaln", "xlogy", "softmax", "logsumexp"])
def test_input_dtypes_as_scipy(name, dtype):
    x = np.asarray([1, 2, 3]).astype(dtype)
    args = (x, x) if name == "xlogy" else (x,)
    try:
        want = np.asarray(getattr(sp, name)(*args))
    except TypeError:  # SciPy's softmax of booleans: NumPy refuses bool - bool
        with pytest.raises(TypeError):
            getattr(special, name)(*[nd.asarray(a) for a in args])
        return
    got = getattr(special, name)(*[nd.asarray(a) for a in args])
    assert got.dtype == want.dtype, (got.dtype, want.dtype)
    np.testing.assert_allclose(np.asarray(got), want, rtol=1e-6)


@pytest.mark.parametrize("return_sign", [False, True])
def test_logsumexp_gradient_in_b_where_b_is_zero(return_sign):
    # log|sum b exp(a)|: d/db_i = exp(a_i) / s also where b_i == 0 (a weight at 0 or
    # passing through it). Masking a there (JAX's way, and ndgrad's) gave 0, silently
    a = np.array([[0.3, -1.2, 0.8], [2.0, 0.5, -0.7]])
    b = np.array([[1.0, 0.0, 0.5], [0.0, -0.25, 1.5]])

    def f(bb):
        r = special.logsumexp(nd.asarray(a), b=bb, axis=1, return_sign=return_sign)
        return nd.sum((r[0] if return_sign else r) * nd.asarray([1.0, -2.0]))
    g = np.asarray(nd.grad(f)(nd.asarray(b)))
    s = np.sum(b * np.exp(a), axis=1, keepdims=True)
    np.testing.assert_allclose(g, np.exp(a) / s * np.array([[1.0], [-2.0]]), rtol=1e-13)
    # an entry with b == 0 still drops out where its a is infinite, NaN or would overflow
    # exp: SciPy's value, and no NaN in either gradient
    for row in ([np.inf, 1.0], [1000.0, 1.0], [np.nan, 1.0]):
        aa, bb = nd.asarray(row), nd.asarray([0.0, 1.0])
        assert float(special.logsumexp(aa, b=bb)) == sp.logsumexp(row, b=[0.0, 1.0]) == 1.0
        ga = np.asarray(nd.grad(lambda t: special.logsumexp(t, b=bb))(aa))
        gb = np.asarray(nd.grad(lambda t: special.logsumexp(aa, b=t))(bb))
        np.testing.assert_array_equal(ga, [0.0, 1.0])
        np.testing.assert_array_equal(gb, [0.0, 1.0])


@pytest.mark.parametrize("a, b", [(1e8, 0.5), (1e10, 3.0), (3.0, 1e-5), (0.5, 1e-9), (30.0, 12.0)])
def test_betaln_shape_gradients_where_the_digammas_cancel(a, b):
    # d/da betaln(a, b) = digamma(a) - digamma(a + b) is about -b/a where b << a: the two
    # digammas (23.0 at 1e10) kept 1e-5 of it (6e-7 at a = 1e8; 2e-11 at (3, 1e-5)).
    # Against its Taylor series in b, -sum_k b^k / k! polygamma(k, a), with SciPy's
    # polygamma (the terms fall by about b / a each)
    k = np.arange(1, 61)
    terms = [float(b) ** int(i) / math.factorial(int(i)) * sp.polygamma(int(i), a) for i in k]
    want = -math.fsum(terms)
    g = float(nd.grad(lambda t: special.betaln(t, nd.asarray(b)))(nd.asarray(a)))
    np.testing.assert_allclose(g, want, rtol=1e-12)
    # and b's, digamma(b) - digamma(a + b), where a << b
    gb = float(nd.grad(lambda t: special.betaln(nd.asarray(b), t))(nd.asarray(a)))
    np.testing.assert_allclose(gb, want, rtol=1e-12)


@pytest.mark.parametrize("return_sign", [False, True])
@pytest.mark.parametrize("axis", [None, -1])
def test_logsumexp_complex_with_b_is_scipys(axis, return_sign):
    # a complex a (or b) with b: the imaginary part entered the shift and the sum's phase
    # was dropped, another number than SciPy's, silently ((1.556 - 0.5j) for SciPy's
    # (1.556 + 0.109j)). The shift is now the largest real part, as SciPy's
    rng = np.random.default_rng(11)
    cases = [(np.array([1 + 1j, 2 - 0.5j]), np.array([1.0, 0.5])),
             (np.array([1.0, 2.0]), np.array([1 + 2j, -0.5j])),
             (rng.normal(size=(3, 4)) + 1j * rng.normal(size=(3, 4)), rng.normal(size=(3, 4)))]
    for a, b in cases:
        want = sp.logsumexp(a, b=b, axis=axis, return_sign=return_sign)
        got = special.logsumexp(nd.asarray(a), b=nd.asarray(b), axis=axis,
                                return_sign=return_sign)
        for g, w in (zip(got, want) if return_sign else [(got, want)]):
            assert np.asarray(g).dtype == np.asarray(w).dtype
            np.testing.assert_allclose(np.asarray(g), w, rtol=1e-13)


# -- derivatives in the tails (exact values: mpmath at 80 digits) ---------------------------
@pytest.mark.parametrize("x, d1, d2", [
    (-1e10, 10000000000.0, -1.0), (-1e8, 100000000.00000001, -0.9999999999999999),
    (-3e4, 30000.000033333334, -0.9999999988888889), (-38.0, 38.02627946657587,
                                                        -0.9993103402465338),
    (-10.0, 10.098093233962512, -0.9905546221743438),
    (5.0, 1.4867199409049056e-06, -7.433601914860711e-06)])
def test_log_ndtr_derivatives_in_the_lower_tail(x, d1, d2):
    """pdf / cdf as exp(-x**2/2 - log_ndtr(x)) subtracted two numbers of size x**2/2: the
    first derivative was 1.9e8 for 1e8 at x = -1e8 (inf at -1e10), the second -1.8e16
    for -1, and -119 for -1 at x = -3e4."""
    g1 = nd.grad(special.log_ndtr)
    assert float(g1(x)) == pytest.approx(d1, rel=2e-15)
    assert float(nd.grad(g1)(x)) == pytest.approx(d2, rel=4e-15)


@pytest.mark.parametrize("x, d1, d2", [
    (-2.0, -436.8919967270074, 1965.4497956879854),
    (0.5, -0.5126888229025867, 0.718691865483265),
    (7.0, -0.011178406487371504, 0.0031024178351047966),
    (30.0, -0.0006258354105074841, 4.165309238445888e-05),
    (1e5, -5.641895834631278e-11, 1.1283791667569989e-15)])
def test_erfcx_derivatives(x, d1, d2):
    g1 = nd.grad(special.erfcx)
    assert float(g1(x)) == pytest.approx(d1, rel=2e-14)
    assert float(nd.grad(g1)(x)) == pytest.approx(d2, rel=5e-13)


def test_i1e_derivative_for_large_arguments():
    """SciPy's ive(2, x) is nan from about x = 5e9, and i1e's rule read it: the
    derivative was nan where i1e is a float. Exact values: mpmath at 60 digits; at 1e10
    the first derivative keeps 7 digits (i0e - i1e cancels, left)."""
    g1 = nd.grad(special.i1e)
    assert float(g1(1e10)) == pytest.approx(-1.9947114017827584e-16, rel=1e-6)
    assert float(g1(-1e10)) == pytest.approx(-1.9947114017827584e-16, rel=1e-6)
    assert float(g1(3.0)) == pytest.approx(float(special.i0e(3.0)) - float(
        special.i1e(3.0)) * (1 + 1 / 3.0), rel=1e-14)
    assert float(g1(0.5)) == pytest.approx(0.5 * (sp.i0e(0.5) + sp.ive(2, 0.5))
                                           - sp.i1e(0.5), rel=1e-14)

"""ndgrad.scipy.stats against scipy.stats' values (inside and outside each support, invalid
parameters) and against finite differences in the values and the parameters, first and
second order; the strict backend where only standard functions are needed."""
import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

ss = pytest.importorskip("scipy.stats")

import ndgrad as nd  # noqa: E402
from ndgrad.scipy import stats  # noqa: E402

N = 3  # points per draw

# family, function, domains of (x, params...) for values (wide, support edges included),
# domains for gradients (inside the support, away from kinks), which args differentiate
FAMILIES = {
    "norm": (["pdf", "logpdf", "cdf", "logcdf", "sf", "logsf"],
             [(-5, 5), (-2, 2), (-0.5, 3)], [(-3, 3), (-1, 1), (0.5, 2)], (0, 1, 2)),
    "t": (["pdf", "logpdf", "cdf", "logcdf", "sf"],
          [(-5, 5), (-1, 8), (-2, 2), (-0.5, 3)], [(-3, 3), (0.5, 8), (-1, 1), (0.5, 2)],
          (0, 1, 2, 3)),
    "beta": (["pdf", "logpdf", "cdf", "logcdf"],
             [(-0.5, 1.5), (-0.5, 4), (-0.5, 4), (-0.2, 0.2), (0.5, 1.5)],
             [(0.1, 0.9), (0.5, 4), (0.5, 4), (-0.05, 0.05), (1.0, 1.2)], (0, 1, 2, 3, 4)),
    "gamma": (["pdf", "logpdf", "cdf", "logcdf"],
              [(-1, 8), (-0.5, 5), (-1, 1), (-0.5, 3)],
              [(0.5, 6), (0.5, 5), (-0.3, 0.3), (0.5, 2)], (0, 1, 2, 3)),
    "chi2": (["pdf", "logpdf", "cdf", "logcdf"],
             [(-1, 8), (-0.5, 6), (-1, 1), (-0.5, 3)],
             [(0.5, 6), (0.5, 6), (-0.3, 0.3), (0.5, 2)], (0, 1, 2, 3)),
}
# derivatives the cdfs refuse (a shape parameter of an incomplete beta function), and
# those they give to first order only (the incomplete gamma function's shape parameter)
CDF_CONST = {"t": (1,), "beta": (1, 2)}
CDF_FIRST_ORDER = {"gamma": (1,), "chi2": (1,)}
CASES = [(fam, fn) for fam, row in FAMILIES.items() for fn in row[0]]


def _draw(data, domains, n=N):
    return [np.asarray(data.draw(st.lists(st.floats(lo, hi, width=64), min_size=n,
                                          max_size=n))) for lo, hi in domains]


@pytest.mark.parametrize("fam,fn", CASES)
@settings(max_examples=15, deadline=None)
@given(data=st.data())
def test_values_match_scipy(fam, fn, data):
    raw = _draw(data, FAMILIES[fam][1])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        want = getattr(getattr(ss, fam), fn)(*raw)
        got = getattr(getattr(stats, fam), fn)(*[nd.asarray(r) for r in raw])
        if (fam, fn) == ("norm", "logpdf") and np.finfo(np.longdouble).maxexp > 1024:
            # SciPy squares z in float64: -inf where z**2 overflows (z = 2.5 / 1.5e-154)
            # while the log density, -1.39e308, is still a float. There the reference is
            # the same formula in extended precision
            x, loc, scale = (np.asarray(r, np.longdouble) for r in raw)
            z = (x - loc) / np.where(scale > 0, scale, 1)
            ref = -z * z / 2 - np.log(np.where(scale > 0, scale, 1)) - np.log(2 * np.pi) / 2
            fix = np.isinf(want) & (scale > 0) & (np.abs(ref) < np.finfo(np.float64).max)
            want = np.where(fix, ref.astype(np.float64), want)
        if fn in ("pdf", "pmf"):
            # a density SciPy computes directly underflows to 0 where its log-space
            # logpdf still gives the value (t.pdf at z = -2.5e85: 2.09e-256); ndgrad
            # computes in logs: there the reference is exp(SciPy's logpdf)
            log_want = np.exp(getattr(getattr(ss, fam), "log" + fn)(*raw))
            want = np.where((want == 0) & (log_want > 0), log_want, want)
    assert got.shape == want.shape and got.dtype == want.dtype
    np.testing.assert_allclose(np.asarray(got), want, rtol=1e-9, atol=1e-300)


def _grad_case(fam, fn, data):
    raw = _draw(data, FAMILIES[fam][2])
    diff = FAMILIES[fam][3]
    first = ()
    if fn in ("cdf", "logcdf", "sf"):
        diff = tuple(i for i in diff if i not in CDF_CONST.get(fam, ()))
        first = CDF_FIRST_ORDER.get(fam, ())
    f = getattr(getattr(stats, fam), fn)
    args = [nd.asarray(r) for r in raw]

    def check(which, order):
        def g(*vary):
            full = list(args)
            for i, v in zip(which, vary):
                full[i] = v
            return f(*full)
        nd.check_grads(g, *[args[i] for i in which], order=order, rtol=2e-4, atol=1e-6)
    if first:
        check(diff, 1)
    check(tuple(i for i in diff if i not in first), 2)


@pytest.mark.parametrize("fam,fn", CASES)
@settings(max_examples=3, deadline=None)
@given(data=st.data())
def test_gradients_in_values_and_parameters(fam, fn, data):
    _grad_case(fam, fn, data)


@pytest.mark.slow
@pytest.mark.parametrize("fam,fn", CASES)
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_gradients_in_values_and_parameters_slow(fam, fn, data):
    _grad_case(fam, fn, data)


@pytest.mark.parametrize("fam,arg", [("t", "df"), ("beta", "a")])
def test_cdf_shape_parameter_gradient_refuses_naming_it(fam, arg):
    params = {"t": (3.0,), "beta": (2.0, 3.0)}[fam]
    x = nd.asarray([0.3])
    f = getattr(stats, fam).cdf
    with pytest.raises(ValueError, match=rf"no gradient with respect to '{arg}'"):
        nd.grad(lambda p: nd.sum(f(x, p, *params[1:])))(nd.asarray(params[0]))


def test_poisson_against_scipy_and_gradient_in_mu():
    k = np.asarray([0, 1, 2, 3.5, -1, 7, 0])
    mu = np.asarray([0.5, 2.0, 3.0, 1.0, 1.0, 0.0, 0.0])
    for fn in ("pmf", "logpmf", "cdf", "logcdf"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            want = getattr(ss.poisson, fn)(k, mu)
            got = getattr(stats.poisson, fn)(nd.asarray(k), nd.asarray(mu))
        np.testing.assert_allclose(np.asarray(got), want, rtol=1e-12, err_msg=fn)
        if fn != "logcdf":
            np.testing.assert_allclose(
                np.asarray(getattr(stats.poisson, fn)(nd.asarray(k), nd.asarray(mu), loc=1)),
                getattr(ss.poisson, fn)(k, mu, loc=1), rtol=1e-12, err_msg=fn)
        kk = nd.asarray([0.0, 1.0, 4.0])
        nd.check_grads(lambda m: getattr(stats.poisson, fn)(kk, m), nd.asarray([0.5, 2.0, 3.0]),
                       order=2, rtol=1e-4, atol=1e-7)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        np.testing.assert_array_equal(np.asarray(stats.poisson.pmf(nd.asarray([1.0]), -1.0)),
                                      ss.poisson.pmf([1.0], -1.0))


@settings(max_examples=15, deadline=None)
@given(data=st.data())
def test_dirichlet_against_scipy_and_gradients(data):
    k = data.draw(st.integers(2, 4))
    alpha = np.asarray(data.draw(st.lists(st.floats(0.3, 4), min_size=k, max_size=k)))
    w = np.asarray(data.draw(st.lists(st.floats(0.1, 1), min_size=k, max_size=k)))
    x = w / w.sum()
    for fn in ("logpdf", "pdf"):
        np.testing.assert_allclose(
            np.asarray(getattr(stats.dirichlet, fn)(nd.asarray(x), nd.asarray(alpha))),
            getattr(ss.dirichlet, fn)(x, alpha), rtol=1e-10)
    # K - 1 components, and several points (components on the first axis, as SciPy)
    xs = np.stack([x, x[::-1]], axis=1)
    np.testing.assert_allclose(np.asarray(stats.dirichlet.logpdf(nd.asarray(xs), alpha)),
                               ss.dirichlet.logpdf(xs, alpha), rtol=1e-10)
    np.testing.assert_allclose(np.asarray(stats.dirichlet.logpdf(nd.asarray(x[:-1]), alpha)),
                               ss.dirichlet.logpdf(x[:-1], alpha), rtol=1e-10)
    nd.check_grads(lambda a: stats.dirichlet.logpdf(nd.asarray(x), a), nd.asarray(alpha),
                   order=2, rtol=1e-4, atol=1e-6)
    # in x along the simplex (the last component implied)
    nd.check_grads(lambda v: stats.dirichlet.logpdf(v, nd.asarray(alpha)), nd.asarray(x[:-1]),
                   order=2, rtol=1e-4, atol=1e-6)


def test_dirichlet_off_simplex_and_bad_shapes():
    alpha = nd.asarray([1.5, 2.0, 1.0])
    assert float(stats.dirichlet.logpdf(nd.asarray([0.5, 0.6, 0.1]), alpha)) == -np.inf
    assert np.isnan(float(stats.dirichlet.logpdf(nd.asarray([0.2, 0.3, 0.5]),
                                                 nd.asarray([1.0, -1.0, 1.0]))))
    with pytest.raises(ValueError, match=r"shape \(5,\) must have K = 3"):
        stats.dirichlet.logpdf(nd.ones(5) / 5, alpha)


@settings(max_examples=15, deadline=None)
@given(data=st.data())
def test_multivariate_normal_against_scipy_and_gradients(data):
    d = data.draw(st.integers(1, 3))
    n = data.draw(st.integers(1, 3))
    rng = np.random.default_rng(data.draw(st.integers(0, 2 ** 16)))
    a = rng.normal(size=(d, d))
    cov = a @ a.T + d * np.eye(d)
    mean = rng.normal(size=d)
    x = rng.normal(size=(n, d))
    for fn in ("logpdf", "pdf"):
        got = getattr(stats.multivariate_normal, fn)(nd.asarray(x), nd.asarray(mean),
                                                     nd.asarray(cov))
        want = getattr(ss.multivariate_normal, fn)(x, mean, cov)
        assert got.shape == np.shape(want)
        np.testing.assert_allclose(np.asarray(got), want, rtol=1e-10)
    # the diagonal and scalar forms of cov
    np.testing.assert_allclose(
        np.asarray(stats.multivariate_normal.logpdf(nd.asarray(x), nd.asarray(mean),
                                                    nd.asarray(np.diag(cov)))),
        ss.multivariate_normal.logpdf(x, mean, np.diag(cov)), rtol=1e-10)
    np.testing.assert_allclose(
        np.asarray(stats.multivariate_normal.logpdf(nd.asarray(x), nd.asarray(mean), 2.5)),
        ss.multivariate_normal.logpdf(x, mean, 2.5), rtol=1e-10)
    nd.check_grads(lambda v, m, c: stats.multivariate_normal.logpdf(v, m, c @ c.T),
                   nd.asarray(x), nd.asarray(mean), nd.asarray(np.linalg.cholesky(cov)),
                   order=2, rtol=1e-4, atol=1e-6)


def test_multivariate_normal_shapes_as_scipy():
    for x, mean, cov in [(np.zeros(3), 0.0, 1.0), (np.zeros((1, 2)), np.zeros(2), np.eye(2)),
                         (np.zeros(2), np.zeros(2), np.eye(2)), (1.5, 0.0, 2.0)]:
        got = stats.multivariate_normal.logpdf(nd.asarray(x), mean, cov)
        want = ss.multivariate_normal.logpdf(x, mean, cov)
        assert got.shape == np.shape(want), (np.shape(x), got.shape, np.shape(want))
        np.testing.assert_allclose(np.asarray(got), want, rtol=1e-12)
    with pytest.raises(ValueError, match=r"cov of shape \(3, 3\) must be \(2, 2\)"):
        stats.multivariate_normal.logpdf(nd.zeros(2), nd.zeros(2), nd.eye(3))
    with pytest.raises(ValueError, match="allow_singular"):
        stats.multivariate_normal.logpdf(nd.zeros(2), nd.zeros(2), nd.eye(2),
                                         allow_singular=True)


def test_standard_only_functions_run_on_strict():
    x = np.asarray([-1.0, 0.5, 2.0])
    got = stats.norm.logpdf(nd.asarray(x, device="strict"), 0.5, 2.0)
    assert str(got.device) == "strict"
    np.testing.assert_allclose(np.asarray(got), ss.norm.logpdf(x, 0.5, 2.0), rtol=1e-13)
    nd.check_grads(lambda v, s: stats.norm.logpdf(v, 0.5, s), nd.asarray(x, device="strict"),
                   nd.asarray(2.0, device="strict"), order=2)
    cov = np.asarray([[2.0, 0.3], [0.3, 1.0]])
    pts = np.asarray([[0.1, 0.2], [1.0, -1.0]])
    got = stats.multivariate_normal.logpdf(nd.asarray(pts, device="strict"),
                                           nd.zeros(2, device="strict"),
                                           nd.asarray(cov, device="strict"))
    np.testing.assert_allclose(np.asarray(got), ss.multivariate_normal.logpdf(pts, None, cov),
                               rtol=1e-12)
    with pytest.raises(TypeError, match=r"special\.ndtr.*array_api_strict"):
        stats.norm.cdf(nd.asarray(x, device="strict"))


def test_float32_stays_float32():
    # a departure from SciPy (which computes in float64), as JAX: the inputs' dtype
    x = nd.asarray([0.5, 1.0], dtype=nd.float32)
    for fam, args in [("norm", ()), ("gamma", (2.0,)), ("t", (3.0,))]:
        out = getattr(stats, fam).logpdf(x, *args)
        assert out.dtype == nd.float32
        np.testing.assert_allclose(np.asarray(out), getattr(ss, fam).logpdf([0.5, 1.0], *args),
                                   rtol=1e-5)


def test_beta_logcdf_of_a_tiny_x_with_a_small_shape_parameter():
    # found by a random search (HYPOTHESIS_PROFILE=dev): the cdf z ** a passes 1/2 at
    # z = 3e-16 for a = 1/64, and logcdf took log1p(-sf) of an sf computed from
    # betainc(b, a, 1 - z), where 1 - z rounds: -0.556847 for SciPy's -0.558687
    args = (2.220446049250313e-16, 0.015625, 1.0, 0.0, 0.75)
    want = ss.beta.logcdf(*args)
    got = stats.beta.logcdf(*[nd.asarray(v) for v in args])
    np.testing.assert_allclose(float(got), want, rtol=1e-13)
    for z, a, b in [(1e-300, 0.001, 2.0), (1e-10, 0.05, 0.5), (0.3, 0.01, 3.0),
                    (1 - 1e-12, 2.0, 0.01), (0.999, 5.0, 0.2)]:
        np.testing.assert_allclose(float(stats.beta.logcdf(nd.asarray(z), a, b)),
                                   ss.beta.logcdf(z, a, b), rtol=1e-12, err_msg=(z, a, b))
        np.testing.assert_allclose(float(stats.beta.cdf(nd.asarray(z), a, b)),
                                   ss.beta.cdf(z, a, b), rtol=1e-13, err_msg=(z, a, b))


def test_logcdf_where_scipys_cdf_underflows_but_its_complement_does_not():
    # SciPy's gammainc is 0 for a subnormal shape (its cdf too) where gammaincc gives the
    # tiny complement; log(cdf) was -inf where SciPy's logcdf is log1p(-sf) = -6.4e-310.
    # Found by a random search (HYPOTHESIS_PROFILE=dev) of test_values_match_scipy
    df = 1.1125369292536007e-308
    for got, want in ((stats.chi2.logcdf(nd.asarray(1.0), nd.asarray(df)),
                       ss.chi2.logcdf(1.0, df)),
                      (stats.gamma.logcdf(nd.asarray(0.5), nd.asarray(df / 2)),
                       ss.gamma.logcdf(0.5, df / 2))):
        assert np.isfinite(want) and want < 0
        np.testing.assert_allclose(np.asarray(got), want, rtol=1e-9, atol=0)


def test_norm_logpdf_is_finite_where_scipys_square_overflows():
    # z = 2.5 / 1.5e-154: z**2 overflows in float64 (SciPy: -inf), the log density
    # -z**2/2 - log(scale) - log(2 pi)/2 = -1.389e308 does not (found by a random run)
    got = float(stats.norm.logpdf(nd.asarray(2.5), 0.0, nd.asarray(1.5e-154)))
    z = 2.5 / 1.5e-154
    want = -(z / 2) * z - math.log(1.5e-154) - math.log(2 * math.pi) / 2
    assert ss.norm.logpdf(2.5, 0.0, 1.5e-154) == -np.inf
    assert math.isclose(got, want, rel_tol=1e-12)


def test_t_pdf_where_scipys_direct_density_underflows():
    # (found by a random run) t.pdf(0, df=3, loc=1, scale=4e-86): SciPy's pdf is 0.0, its
    # logpdf -587.4; ndgrad's pdf is exp of that, 2.09e-256
    args = (0.0, 3.0, 1.0, 3.9853442057909716e-86)
    assert ss.t.pdf(*args) == 0.0
    got = float(stats.t.pdf(*[nd.asarray(a) for a in args]))
    assert math.isclose(got, math.exp(ss.t.logpdf(*args)), rel_tol=1e-12)


def test_chi2_density_on_scipys_own_scaled_variable():
    # x - loc = -5e-324 is below the support; through gamma's doubled scale it became
    # -5e-324 / 2 = -0.0, inside, and the density inf where SciPy's is 0
    args = (0.0, 1.0, 5e-324, 1.0)
    assert ss.chi2.pdf(*args) == 0.0 and ss.chi2.logpdf(*args) == -np.inf
    assert float(stats.chi2.pdf(*[nd.asarray(a) for a in args])) == 0.0
    assert float(stats.chi2.logpdf(*[nd.asarray(a) for a in args])) == -np.inf


def test_chi2_cdf_at_the_smallest_subnormal_df():
    # (found by a random run) df = 5e-324 > 0 is valid, but df / 2 underflows to 0, which
    # gamma's check a > 0 took as invalid: nan where SciPy gives 0 at x = 0 and 1 above
    # (gammainc's limit at a = 0); validity is now df > 0 and a = 0 the limit
    for x, want in ((0.0, 0.0), (1.0, 1.0), (1e-300, 1.0), (-1.0, 0.0)):
        assert ss.chi2.cdf(x, 5e-324) == want
        assert float(stats.chi2.cdf(nd.asarray(x), 5e-324)) == want
        assert float(stats.chi2.logcdf(nd.asarray(x), 5e-324)) == ss.chi2.logcdf(x, 5e-324)
    assert np.isnan(float(stats.chi2.cdf(nd.asarray(1.0), 0.0)))   # df = 0 stays invalid

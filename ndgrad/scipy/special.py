"""Differentiable ``scipy.special``: each function one registry op, its gradient rule beside it.

A rule is ``vjp(xp, g, ans, *inputs, **params)`` over the namespace ``xp`` it is given
(the raw backend in a first-order backward, ndgrad itself for higher orders). Rules that
need other special functions reach them through ``_ns(xp)``: the public functions below
when ``xp`` is ndgrad (so the rule records and differentiates again), the ops' forwards
on raw arrays otherwise.

Forward values: SciPy on NumPy arrays, ``cupyx.scipy.special`` on CuPy arrays; the
functions the array API standard can express (expit, logit, softmax, log_softmax,
logsumexp, xlogy, xlog1py, entr, rel_entr) are computed with standard functions on other
backends (array_api_strict); the rest refuse those with an error naming the function.

Gradients are taken with respect to every floating argument except: the orders of
``polygamma``, ``jn``, ``yn``, ``iv``, ``ive`` and the shape parameters of ``betainc``,
``betaincc`` and ``stdtr``, whose derivatives need functions not provided: asking for those raises,
naming the argument (an order is usually a constant: a Python number or an array that
does not require grad); and the dimension of ``multigammaln``, an integer. ``gammainc``
and ``gammaincc`` do differentiate in ``a`` (a series or a continued fraction, as JAX),
once: the second derivative in ``a`` alone is refused.
"""
from __future__ import annotations

import math
import sys

from .._ops.registry import defop, apply, with_0d_kind
from .._ops.elementwise import _no_cotangent_no_gradient
from ._host import backend_kind, library_function, rule_namespace

_SQRT_PI = math.sqrt(math.pi)
_SQRT_2PI = math.sqrt(2.0 * math.pi)
_PY_SCALARS = (int, float, bool)

OPS = {}  # public name -> Op


def _isscalar(v):
    return type(v) in _PY_SCALARS


def _want(k, arg, needs):
    """Whether the rule must compute the cotangent of input ``k``."""
    if _isscalar(arg) or arg is None:
        return False
    return needs is None or needs[k]


def _ns(xp):
    """Special functions for rules run with ``xp``: recorded ops for ndgrad, raw otherwise."""
    return rule_namespace(xp, sys.modules[__name__], OPS)


def _refuse(name, arg, why):
    raise ValueError(f"ndgrad.scipy.special.{name}: no gradient with respect to {arg!r} ({why});"
                     f" pass {arg!r} as a constant (a Python number or an array that does "
                     "not require grad)")


def _order_constant(name, arg, v, needs):
    """Refuse a gradient with respect to the order ``arg`` of a Bessel function or of
    polygamma (the rule gives none: a zero would be silently wrong, dI_v/dv is not)."""
    if _want(0, v, needs):
        _refuse(name, arg, "its derivative in the order needs a series ndgrad does not "
                "provide")


# -- forwards -------------------------------------------------------------------------------
def _float_args(xp, args):
    """Arrays of one floating dtype for the standard-function forwards (ints -> float64,
    Python numbers -> the arrays' dtype)."""
    arrays = [a for a in args if hasattr(a, "dtype")]
    if arrays:
        dt = arrays[0].dtype
        for a in arrays[1:]:
            dt = xp.result_type(dt, a.dtype)
        if not xp.isdtype(dt, "real floating"):
            dt = xp.float64
        # (a Dask array has no .device: array_api_compat's namespace takes none)
        dev = {"device": arrays[0].device} if hasattr(arrays[0], "device") else {}
    else:
        dt, dev = xp.float64, {}
    return [xp.asarray(a, dtype=dt, **dev) if not hasattr(a, "dtype") or a.dtype != dt else a
            for a in args]


def _library_forward(name, standard=None):
    """The forward of ``name``: the library's function on NumPy and CuPy; ``standard``
    (a formula in standard functions) on other backends, or a refusal naming both."""
    public = f"ndgrad.scipy.special.{name}"

    def forward(xp, *args, **params):
        kind = backend_kind(xp)
        if kind not in ("numpy", "cupy") and standard is not None:
            return standard(xp, *_float_args(xp, args), **params)
        fn = library_function(xp, "special", name, public)
        return xp.asarray(fn(*args, **params))
    forward.__name__ = f"_{name}_forward"
    return forward


def _expit_std(xp, x):
    e = xp.exp(-xp.abs(x))
    return xp.where(x >= 0, 1 / (1 + e), e / (1 + e))


def _logit_std(xp, x):
    return xp.log(x / (1 - x))


def _xlogy_std(xp, x, y):
    # 0 where x == 0 unless y is nan (SciPy)
    zero = (x == 0) & ~xp.isnan(y)
    safe = xp.where(zero, xp.ones_like(y), y)
    return xp.where(zero, xp.zeros_like(x * safe), x * xp.log(safe))


def _xlog1py_std(xp, x, y):
    zero = (x == 0) & ~xp.isnan(y)
    safe = xp.where(zero, xp.zeros_like(y), y)
    return xp.where(zero, xp.zeros_like(x * safe), x * xp.log1p(safe))


def _entr_std(xp, x):
    pos = x > 0
    safe = xp.where(pos, x, xp.ones_like(x))
    inner = xp.where(x == 0, xp.zeros_like(x), xp.full_like(x, -math.inf))
    return xp.where(pos, -safe * xp.log(safe), xp.where(xp.isnan(x), x, inner))


def _rel_entr_std(xp, x, y):
    ok = (x > 0) & (y > 0)
    xs = xp.where(ok, x, xp.ones_like(x))
    ys = xp.where(ok, y, xp.ones_like(y))
    val = xs * (xp.log(xs) - xp.log(ys))  # (x/y may overflow where the result does not)
    zero = (x == 0) & (y >= 0)
    other = xp.where(zero, xp.zeros_like(val), xp.full_like(val, math.inf))
    nan = xp.isnan(x) | xp.isnan(y)
    return xp.where(ok, val, xp.where(nan, xp.full_like(val, math.nan), other))


def _softmax_std(xp, x, axis):
    m = xp.max(x, axis=axis, keepdims=True)
    m = xp.where(xp.isfinite(m), m, xp.zeros_like(m))
    e = xp.exp(x - m)
    return e / xp.sum(e, axis=axis, keepdims=True)


def _log_softmax_std(xp, x, axis):
    m = xp.max(x, axis=axis, keepdims=True)
    m = xp.where(xp.isfinite(m), m, xp.zeros_like(m))
    s = x - m
    return s - xp.log(xp.sum(xp.exp(s), axis=axis, keepdims=True))


# -- gradient rules -------------------------------------------------------------------------
def _expit_vjp(xp, g, ans, x):
    # expit(x) expit(-x), not ans (1 - ans): 1 - ans rounds to 0 for x > 37 (float64),
    # where the derivative is exp(-x), 3.9e-32 at x = 72, not 0
    return (g * ans * _ns(xp).expit(-x),)


def _logit_vjp(xp, g, ans, x):
    return (g / (x * (1 - x)),)


def _gamma_vjp(xp, g, ans, x):
    return (g * ans * _ns(xp).digamma(x),)


def _gammaln_vjp(xp, g, ans, x):
    # gammaln is log|gamma|: its derivative is digamma for negative x too
    return (g * _ns(xp).digamma(x),)


def _digamma_vjp(xp, g, ans, x):
    return (g * _ns(xp).polygamma(1, x),)


def _polygamma_vjp(xp, g, ans, n, x, _needs=None):
    _order_constant("polygamma", "n", n, _needs)
    return (None, g * _ns(xp).polygamma(n + 1, x))


def _multigammaln_vjp(xp, g, ans, a, d):
    sp = _ns(xp)
    total = sp.digamma(a)
    for j in range(1, d):
        total = total + sp.digamma(a - 0.5 * j)
    return (g * total,)


def _on_device_of(xp, v, x):
    """A Python-number parameter as an array like ``x`` (its device and dtype), so that a
    special function of it stays on ``x``'s device: ``sp.gammaln(1.5)`` alone would make
    a CPU array beside a device ``x``."""
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return xp.full_like(x, v)
    return v


def _gammainc_dx(xp, a, x):
    """d/dx P(a, x) = x**(a-1) exp(-x) / gamma(a)."""
    sp = _ns(xp)
    a = _on_device_of(xp, a, x)
    return xp.exp(sp.xlogy(a - 1, x) - x - sp.gammaln(a))


_NO_SHAPE_GRAD = "its derivative in the shape parameter needs a series ndgrad does not provide"
_SERIES_CAP = 200_000


def _gammainc_da_forward(xp, a, x):
    """d/da P(a, x), accurate relative to itself (as TF's and JAX's ``igamma_grad_a``):
    where x <= max(1, a) by P's series, term by term; elsewhere as -dQ/da by Legendre's
    continued fraction for Q, differentiated along with it (``_igammac_da_cf``). (The
    series alone gives dP/da only to about 1e-15 absolute where P is near 1: a tiny
    dQ/da of the complement there came out as rounding noise of either sign.)"""
    public = "ndgrad.scipy.special.gammainc (its derivative in a)"
    for v in (a, x):
        if getattr(v, "dtype", None) is not None and xp.isdtype(v.dtype, "complex floating"):
            # (SciPy's gammainc refuses complex input; the casts below would drop the
            # imaginary part)
            raise TypeError(f"{public} takes real input, not {v.dtype}")
    if backend_kind(xp) == "dask":   # the series' length depends on the data: per chunk
        import dask.array as da
        import array_api_compat.numpy as npx
        a, x = xp.asarray(a), xp.asarray(x)
        dt = xp.result_type(a.dtype, x.dtype)
        return da.map_blocks(lambda ab, xb: _gammainc_da_forward(npx, ab, xb), a, x,
                             dtype=dt if xp.isdtype(dt, "real floating") else xp.float64)
    gammaln = library_function(xp, "special", "gammaln", public)
    digamma = library_function(xp, "special", "digamma", public)
    a = xp.asarray(a)
    x = xp.asarray(x)
    dt = xp.result_type(a.dtype, x.dtype)
    if not xp.isdtype(dt, "real floating"):
        dt = xp.float64
    shape = xp.broadcast_shapes(tuple(a.shape), tuple(x.shape))
    # (computed in float64: the continued fraction's recurrences and the series' sum keep
    # their digits; the result is rounded to the inputs' dtype once)
    a = xp.broadcast_to(xp.astype(a, xp.float64), shape)
    x = xp.broadcast_to(xp.astype(x, xp.float64), shape)
    # (x = inf: P(a, inf) is 1 for every a > 0, its derivative 0)
    pos = (x > 0) & (a > 0) & xp.isfinite(x) & xp.isfinite(a)
    frac = pos & (x > 1) & (x > a)
    ser = pos & ~frac
    one = xp.ones_like(x)
    # each method sees its own elements, and a point where it ends at once elsewhere
    total = xp.where(ser, _igamma_da_series(xp, xp.where(ser, a, one), xp.where(ser, x, one),
                                            gammaln, digamma),
                     -_igammac_da_cf(xp, xp.where(frac, a, one), xp.where(frac, x, 2 * one),
                                     gammaln, digamma))
    zero = ((x == 0) | (x == math.inf)) & (a > 0)
    out = xp.where(pos, total, xp.where(zero, xp.zeros_like(x), xp.full_like(x, math.nan)))
    return xp.astype(out, dt) if out.dtype != dt else out


def _igamma_da_series(xp, a, x, gammaln, digamma):
    """d/da P(a, x) for x <= max(1, a) by the series P = sum_n exp(-x) x**(a+n) /
    gamma(a+n+1), term by term: sum_n t_n (log x - digamma(a+n+1)). The terms fall from
    the first (x <= a) or after x - a < 1 of them; 12 sqrt(x) + 60 terms leave the rest
    below exp(-72) of the first."""
    lx = xp.log(x)
    top = float(xp.max(x)) if math.prod(x.shape) else 0.0
    n_terms = int(12.0 * math.sqrt(top) + 60)
    if n_terms > _SERIES_CAP:
        raise ValueError(f"ndgrad.scipy.special.gammainc: the derivative in 'a' at x = {top:g}"
                         f" needs more than {_SERIES_CAP} series terms; not computed")
    total = xp.zeros_like(x)
    for n in range(n_terms):
        b = a + (n + 1)
        total = total + xp.exp(-x + (b - 1) * lx - xp.asarray(gammaln(b))) * (
            lx - xp.asarray(digamma(b)))
    return total


_CF_CAP = 100_000


def _igammac_da_cf(xp, a, x, gammaln, digamma):
    """d/da Q(a, x) for x > max(1, a), from Legendre's continued fraction
    Q = exp(-x) x**a / gamma(a) / f with f = b0 + a1/(b1 + a2/(b2 + ...)),
    b_n = x + 2n + 1 - a, a_n = -n (n - a), evaluated by Lentz's method (f as a product
    of factors C_n D_n that tend to 1) and differentiated along with it (b_n' = -1,
    a_n' = n): f'/f is the sum of the factors' logarithmic derivatives, terms that tend
    to 0, so neither sum gathers rounding error as a forward recurrence's convergents
    would. Then d/da log Q = log x - digamma(a) - f'/f. (In this region every b_n > 1.)"""
    eps = 2.0 ** -53
    C = x + 1 - a                 # C_0 = f_0 = b0, D_0 = 0
    dC = -xp.ones_like(x)
    D = xp.zeros_like(x)
    dD = xp.zeros_like(x)
    logf = xp.log(C)
    r = dC / C
    n = 0
    while True:
        n += 1
        if n > _CF_CAP:
            raise ValueError("ndgrad.scipy.special.gammainc: the derivative in 'a' needs "
                             f"more than {_CF_CAP} continued-fraction terms at a = "
                             f"{float(xp.max(a)):g}; not computed")
        bn = x + (2 * n + 1) - a
        an = -n * (n - a)
        u = bn + an * D
        du = -1 + n * D + an * dD
        D = 1 / u
        dD = -du * D * D
        dC = -1 + n / C - an * dC / (C * C)
        C = bn + an / C
        step = C * D
        dr = dC / C + dD / D
        logf = logf + xp.log(step)
        r = r + dr
        if n % 8 == 0 and bool(xp.all((xp.abs(step - 1) <= eps)
                                      & (xp.abs(dr) <= eps * xp.abs(r)))):
            break
    lx = xp.log(x)
    return xp.exp(-x + a * lx - xp.asarray(gammaln(a)) - logf) * (
        lx - xp.asarray(digamma(a)) - r)


def _gammainc_da_vjp(xp, g, ans, a, x, _needs=None):
    if _want(0, a, _needs):
        _refuse("gammainc", "a", "the second derivative in the shape parameter needs a "
                "series ndgrad does not provide")
    if not _want(1, x, _needs):
        return (None, None)
    # d/dx dP/da = d/da dP/dx = dP/dx (log x - digamma(a))
    a = _on_device_of(xp, a, x)
    return (None, g * _gammainc_dx(xp, a, x) * (xp.log(x) - _ns(xp).digamma(a)))


def _gammainc_vjp(xp, g, ans, a, x, _needs=None):
    sp = _ns(xp)
    ga = g * sp._gammainc_da(a, x) if _want(0, a, _needs) else None
    return (ga, g * _gammainc_dx(xp, a, x) if _want(1, x, _needs) else None)


def _gammaincc_vjp(xp, g, ans, a, x, _needs=None):
    sp = _ns(xp)
    ga = -g * sp._gammainc_da(a, x) if _want(0, a, _needs) else None
    return (ga, -g * _gammainc_dx(xp, a, x) if _want(1, x, _needs) else None)


def _betainc_x_rule(name, sign):
    """The rule of ``betainc`` (``sign`` 1) or its complement ``betaincc`` (-1): the
    beta density in ``x``; the shape parameters' derivatives are refused."""
    def rule(xp, g, ans, a, b, x, _needs=None):
        for k, (arg, nm) in enumerate(((a, "a"), (b, "b"))):
            if _want(k, arg, _needs):
                _refuse(name, nm, _NO_SHAPE_GRAD)
        if not _want(2, x, _needs):
            return (None, None, None)
        sp = _ns(xp)
        a, b = _on_device_of(xp, a, x), _on_device_of(xp, b, x)
        dens = xp.exp(sp.xlogy(a - 1, x) + sp.xlog1py(b - 1, -x) - sp.betaln(a, b))
        return (None, None, g * dens if sign > 0 else -g * dens)
    return rule


_betainc_vjp = _betainc_x_rule("betainc", 1)
# 1 - betainc(a, b, x) computed as such (SciPy's own function: accurate where the
# complement is small, and from x itself where 1 - x would round)
_betaincc_vjp = _betainc_x_rule("betaincc", -1)


def _stdtr_vjp(xp, g, ans, df, t, _needs=None):
    if _want(0, df, _needs):
        _refuse("stdtr", "df", "its derivative in the degrees of freedom needs a series "
                "ndgrad does not provide")
    if not _want(1, t, _needs):
        return (None, None)
    sp = _ns(xp)
    df = _on_device_of(xp, df, t)
    half = (df + 1) * 0.5
    logpdf = (sp.gammaln(half) - sp.gammaln(df * 0.5) - 0.5 * xp.log(df * math.pi)
              - half * xp.log1p(t * t / df))
    return (None, g * xp.exp(logpdf))


# Bernoulli numbers B_2 .. B_14: digamma(x) ~ log x - 1/(2x) - sum_k B_2k / (2k x^2k)
_B2K = (1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730, 7 / 6)


def _digamma_diff(xp, x, y):
    """digamma(x) - digamma(x + y), for x > 0 and x + y > 0 without the cancellation of
    the two values when |y| << x (-y/x: 1e-10 beside 23 at x = 1e10; b = 1e-5 beside
    a = 3 as well): both arguments are raised past 10 by the recurrence digamma(z + 1) =
    digamma(z) + 1/z, whose terms differ by y / ((x + j)(x + y + j)), all of y's sign,
    and there the difference is taken term by term from the asymptotic expansion,
    -log1p(y/x) - y / (2x (x + y)) - sum_k B_2k / 2k x^-2k (-expm1(-2k log1p(y/x))),
    seven terms (the next below 1e-16 of the sum). Elsewhere the two digammas."""
    sp = _ns(xp)
    x, y = _on_device_of(xp, x, y), _on_device_of(xp, y, x)
    direct = sp.digamma(x) - sp.digamma(x + y)
    ok = (x > 0) & (x + y > 0) & xp.isfinite(x) & xp.isfinite(y)
    xs = xp.where(ok, x, xp.full_like(x, 10.0))
    ys = xp.where(ok, y, xp.zeros_like(y))
    low = xp.minimum(xs, xs + ys)
    shift = xp.zeros_like(xs)
    d = xp.zeros_like(xs)
    for _ in range(10):   # (low > 0: ten steps take it past 10)
        step = low + shift < 10
        d = d - xp.where(step, ys / ((xs + shift) * (xs + shift + ys)), xp.zeros_like(xs))
        shift = shift + xp.where(step, xp.ones_like(xs), xp.zeros_like(xs))
    xs = xs + shift
    lg = xp.log1p(ys / xs)
    d = d - lg - ys / (2 * xs * (xs + ys))
    inv2 = 1 / (xs * xs)
    p = xp.ones_like(xs)
    for k, bern in enumerate(_B2K, start=1):
        p = p * inv2
        d = d - (bern / (2 * k)) * p * -xp.expm1(-2 * k * lg)
    return xp.where(ok, d, direct)


def _beta_grads(xp, g, a, b, needs):
    # d/da log B(a, b) = digamma(a) - digamma(a + b), without the cancellation for a >> b
    # (a = 1e8, b = 0.5: 6e-7 relative error from the two digammas)
    ga = g * _digamma_diff(xp, a, b) if _want(0, a, needs) else None
    gb = g * _digamma_diff(xp, b, a) if _want(1, b, needs) else None
    return ga, gb


def _beta_vjp(xp, g, ans, a, b, _needs=None):
    return _beta_grads(xp, g * ans, a, b, _needs)


def _betaln_vjp(xp, g, ans, a, b, _needs=None):
    return _beta_grads(xp, g, a, b, _needs)


def _erf_vjp(xp, g, ans, x):
    return (g * (2 / _SQRT_PI) * xp.exp(-x * x),)


def _erfc_vjp(xp, g, ans, x):
    return (g * (-2 / _SQRT_PI) * xp.exp(-x * x),)


def _erfcx_vjp(xp, g, ans, x):
    # erfcx(x) = exp(x**2) erfc(x): 2 x erfcx(x) - 2 / sqrt(pi), whose two terms cancel
    # for large x (relative error about 2 x**2 ulp: 1.0 at x = 7e7). From x = 7 up:
    # -2 / sqrt(pi) times the asymptotic series of 1 - sqrt(pi) x erfcx(x),
    # u - 3 u**2 + 15 u**3 - ... with u = 1 / (2 x**2), to its 44th term (below 1e-19
    # of the sum from 7 up: the terms shrink by (2n + 1) u)
    big = x >= 7
    if backend_kind(xp) == "numpy" and not big.any():    # (raw NumPy, no large x; a lazy
        # backend is never asked for a value here)
        return (g * (2 * x * ans - 2 / _SQRT_PI),)
    xb = xp.where(big, x, 7.0)
    xd = xp.where(big, 0.0, x)
    ad = xp.where(big, 1.0, ans)
    u = 0.5 / (xb * xb)
    s = 0.0
    for c in _ERFCX_SERIES:
        s = c + u * s
    series = (-2 / _SQRT_PI) * (u * s)
    return (g * xp.where(big, series, 2 * xd * ad - 2 / _SQRT_PI),)


# (-1)**n (2n + 1)!!, n = 43 .. 0: the series above, for Horner's rule
_ERFCX_SERIES = tuple(float((-1) ** n * math.prod(range(1, 2 * n + 2, 2)))
                      for n in range(43, -1, -1))


def _erfinv_vjp(xp, g, ans, y):
    return (g * (_SQRT_PI / 2) * xp.exp(ans * ans),)


def _erfcinv_vjp(xp, g, ans, y):
    return (g * (-_SQRT_PI / 2) * xp.exp(ans * ans),)


def _ndtr_vjp(xp, g, ans, x):
    return (g * xp.exp(-0.5 * x * x) / _SQRT_2PI,)


def _ndtri_vjp(xp, g, ans, y):
    return (g * _SQRT_2PI * xp.exp(0.5 * ans * ans),)


def _log_ndtr_vjp(xp, g, ans, x):
    # pdf / cdf. Below 0, sqrt(2 / pi) / erfcx(-x / sqrt(2)): no cancellation (pdf / cdf
    # in logs, exp(-x**2 / 2 - log_ndtr(x)), subtracted two numbers of size x**2 / 2 --
    # at x = -1e8 the derivative was 1.9e8 for 1e8, the second derivative -1.8e16 for
    # -1, and -119 for -1 at x = -3e4). From 0 up, the logs (no cancellation: log_ndtr
    # is small there, and erfcx(-x / sqrt 2) overflows past x = 38 where pdf / cdf is
    # still a float). Each side reads its own safe input, so the other side's value at
    # the point (inf, or 0 * inf once differentiated) never enters.
    low = x < 0
    xl = xp.where(low, x, -1.0)
    xh = xp.where(low, 0.0, x)
    ah = xp.where(low, -math.log(2.0), ans)
    tail = math.sqrt(2 / math.pi) / _ns(xp).erfcx(xl * -(1 / math.sqrt(2.0)))
    body = xp.exp(-0.5 * xh * xh - ah) / _SQRT_2PI
    return (g * xp.where(low, tail, body),)


def _i0_vjp(xp, g, ans, x):
    return (g * _ns(xp).i1(x),)


# Bessel derivatives by the recurrences (stable at 0, unlike forms with 1/x):
# I1' = (I0 + I2)/2, Iv' = (Iv-1 + Iv+1)/2, J1' = (J0 - J2)/2, Y1' = (Y0 - Y2)/2
def _bessel_i(xp, sp, fn, v, x):
    """``sp.iv`` / ``sp.ive`` of order ``v``, with the series' leading term (x/2)**v / v!
    for |x| < 1e-30, where SciPy's iv gives nan (exact to ~1e-60 there). A negative
    integer order is taken as its opposite, I_-n = I_n (iv(0, x)'s rule reads order -1:
    its leading term's 1/(-1)! is 1/gamma(0), which math.gamma refuses)."""
    if isinstance(v, (int, float)):
        if v < 0 and v == int(v):
            v = -v
    else:
        v = xp.where((v < 0) & (v == xp.round(v)), -v, v)
    small = xp.abs(x) < 1e-30
    safe = xp.where(small, xp.ones_like(x), x)
    tiny = xp.where(small, x, xp.zeros_like(x))
    fact = math.gamma(v + 1) if isinstance(v, (int, float)) else sp.gamma(v + 1)
    return xp.where(small, (tiny * 0.5) ** v / fact, getattr(sp, fn)(v, safe))


def _i1_vjp(xp, g, ans, x):
    sp = _ns(xp)
    return (g * 0.5 * (sp.i0(x) + _bessel_i(xp, sp, "iv", 2, x)),)


def _iv_vjp(xp, g, ans, v, x, _needs=None):
    _order_constant("iv", "v", v, _needs)
    sp = _ns(xp)
    return (None, g * 0.5 * (_bessel_i(xp, sp, "iv", v - 1, x)
                             + _bessel_i(xp, sp, "iv", v + 1, x)))


def _i0e_vjp(xp, g, ans, x):
    sp = _ns(xp)
    return (g * (sp.i1e(x) - xp.sign(x) * ans),)


def _i1e_vjp(xp, g, ans, x):
    # i0e - sign(x) i1e + ((I0 + I2) / 2 - I0) e^-|x|: -i1e / x by the recurrence from
    # |x| = 1 up (SciPy's ive(2, x) is nan from about x = 5e9: the derivative was nan
    # where i1e is a float), (ive(2, x) - i0e) / 2 below, which is stable at 0. Each side
    # reads its own safe input
    sp = _ns(xp)
    big = xp.abs(x) >= 1
    i0 = sp.i0e(x)
    rest = xp.where(big, -ans / xp.where(big, x, 1.0),
                    0.5 * (_bessel_i(xp, sp, "ive", 2, xp.where(big, 0.0, x)) - i0))
    return (g * (i0 + rest - xp.sign(x) * ans),)


def _ive_vjp(xp, g, ans, v, x, _needs=None):
    _order_constant("ive", "v", v, _needs)
    sp = _ns(xp)
    return (None, g * (0.5 * (_bessel_i(xp, sp, "ive", v - 1, x)
                              + _bessel_i(xp, sp, "ive", v + 1, x)) - xp.sign(x) * ans))


def _j0_vjp(xp, g, ans, x):
    return (-g * _ns(xp).j1(x),)


def _j1_vjp(xp, g, ans, x):
    sp = _ns(xp)
    return (g * 0.5 * (sp.j0(x) - sp.jn(2, x)),)


def _y0_vjp(xp, g, ans, x):
    return (-g * _ns(xp).y1(x),)


def _y1_vjp(xp, g, ans, x):
    sp = _ns(xp)
    return (g * 0.5 * (sp.y0(x) - sp.yn(2, x)),)


def _jn_vjp(xp, g, ans, n, x, _needs=None):
    _order_constant("jn", "n", n, _needs)
    sp = _ns(xp)
    return (None, g * 0.5 * (sp.jn(n - 1, x) - sp.jn(n + 1, x)))


def _yn_vjp(xp, g, ans, n, x, _needs=None):
    _order_constant("yn", "n", n, _needs)
    sp = _ns(xp)
    return (None, g * 0.5 * (sp.yn(n - 1, x) - sp.yn(n + 1, x)))


def _xlogy_vjp(xp, g, ans, x, y, _needs=None):
    # (0, not NaN, where a where() sent no cotangent: log(0) is -inf, as sqrt's rule)
    gx = _no_cotangent_no_gradient(xp, g, y, lambda g, y: g * xp.log(y)) \
        if _want(0, x, _needs) else None
    gy = None
    if _want(1, y, _needs):
        if _isscalar(x):
            gy = g * (x / y) if x != 0 else None
        else:
            # x / y: 0 where x == 0, also at y == 0 (as JAX); y is replaced only at the
            # point (0, 0), so d/dx of this cotangent stays 1/y elsewhere
            safe = xp.where((x == 0) & (y == 0), xp.ones_like(y), y)
            gy = g * (x / safe)
    return (gx, gy)


def _xlog1py_vjp(xp, g, ans, x, y, _needs=None):
    gx = _no_cotangent_no_gradient(xp, g, y, lambda g, y: g * xp.log1p(y)) \
        if _want(0, x, _needs) else None
    gy = None
    if _want(1, y, _needs):
        if _isscalar(x):
            gy = g * (x / (1 + y)) if x != 0 else None
        else:
            safe = xp.where((x == 0) & (y == -1), xp.zeros_like(y), y)
            gy = g * (x / (1 + safe))
    return (gx, gy)


def _entr_vjp(xp, g, ans, x):
    # -(log x + 1) for x >= 0 (+inf at 0, as JAX); 0 where x < 0 (entr is -inf there)
    neg = x < 0
    safe = xp.where(neg, xp.ones_like(x), x)
    return (g * xp.where(neg, xp.zeros_like(x), -(xp.log(safe) + 1)),)


def _rel_entr_vjp(xp, g, ans, x, y, _needs=None):
    # x log(x/y) for x, y > 0: d/dx = log(x/y) + 1 (-inf as x -> 0+), d/dy = -x/y;
    # 0 where rel_entr is constant (0 or inf)
    ok = (x > 0) & (y > 0)
    xs = xp.where(ok, x, xp.ones_like(x))
    ys = xp.where(ok, y, xp.ones_like(y))
    gx = gy = None
    if _want(0, x, _needs):
        edge = xp.where((x == 0) & (y > 0), xp.full_like(xs, -math.inf), xp.zeros_like(xs))
        gx = g * xp.where(ok, xp.log(xs / ys) + 1, edge)
    if _want(1, y, _needs):
        gy = g * xp.where(ok, -xs / ys, xp.zeros_like(xs))
    return (gx, gy)


def _softmax_vjp(xp, g, ans, x, axis):
    return (ans * (g - xp.sum(g * ans, axis=axis, keepdims=True)),)


def _log_softmax_vjp(xp, g, ans, x, axis):
    return (g - xp.exp(ans) * xp.sum(g, axis=axis, keepdims=True),)


# -- the table: name, argument names, rule, what the rule reads, standard formula ------------
TABLE = [
    ("expit", ("x",), _expit_vjp, "both", _expit_std),
    ("logit", ("x",), _logit_vjp, "inputs", _logit_std),
    ("gamma", ("z",), _gamma_vjp, "both", None),
    ("gammaln", ("x",), _gammaln_vjp, "inputs", None),
    ("digamma", ("x",), _digamma_vjp, "inputs", None),
    ("polygamma", ("n", "x"), _polygamma_vjp, "inputs", None),
    ("gammainc", ("a", "x"), _gammainc_vjp, "inputs", None),
    ("gammaincc", ("a", "x"), _gammaincc_vjp, "inputs", None),
    ("betainc", ("a", "b", "x"), _betainc_vjp, "inputs", None),
    ("betaincc", ("a", "b", "x"), _betaincc_vjp, "inputs", None),
    ("stdtr", ("df", "t"), _stdtr_vjp, "inputs", None),
    ("beta", ("a", "b"), _beta_vjp, "both", None),
    ("betaln", ("a", "b"), _betaln_vjp, "inputs", None),
    ("erf", ("z",), _erf_vjp, "inputs", None),
    ("erfc", ("x",), _erfc_vjp, "inputs", None),
    ("erfcx", ("x",), _erfcx_vjp, "both", None),
    ("erfinv", ("y",), _erfinv_vjp, "ans", None),
    ("erfcinv", ("y",), _erfcinv_vjp, "ans", None),
    ("ndtr", ("x",), _ndtr_vjp, "inputs", None),
    ("ndtri", ("y",), _ndtri_vjp, "ans", None),
    ("log_ndtr", ("x",), _log_ndtr_vjp, "both", None),
    ("i0", ("x",), _i0_vjp, "inputs", None),
    ("i1", ("x",), _i1_vjp, "inputs", None),
    ("iv", ("v", "x"), _iv_vjp, "inputs", None),
    ("i0e", ("x",), _i0e_vjp, "both", None),
    ("i1e", ("x",), _i1e_vjp, "both", None),
    ("ive", ("v", "x"), _ive_vjp, "both", None),
    ("j0", ("x",), _j0_vjp, "inputs", None),
    ("j1", ("x",), _j1_vjp, "inputs", None),
    ("y0", ("x",), _y0_vjp, "inputs", None),
    ("y1", ("x",), _y1_vjp, "inputs", None),
    ("jn", ("n", "x"), _jn_vjp, "inputs", None),
    ("yn", ("n", "x"), _yn_vjp, "inputs", None),
    ("xlogy", ("x", "y"), _xlogy_vjp, "inputs", _xlogy_std),
    ("xlog1py", ("x", "y"), _xlog1py_vjp, "inputs", _xlog1py_std),
    ("entr", ("x",), _entr_vjp, "inputs", _entr_std),
    ("rel_entr", ("x", "y"), _rel_entr_vjp, "inputs", _rel_entr_std),
]

# what each function's docstring shows: (arguments as source, SciPy's result as printed)
EXAMPLES = {
    "expit": ("nd.asarray([-1.0, 0.0, 2.0])", "array([0.26894142, 0.5       , 0.88079708])"),
    "logit": ("nd.asarray([0.25, 0.5])", "array([-1.09861229,  0.        ])"),
    "gamma": ("nd.asarray([0.5, 5.0])", "array([ 1.77245385, 24.        ])"),
    "gammaln": ("nd.asarray([0.5, 5.0])", "array([0.57236494, 3.17805383])"),
    "digamma": ("nd.asarray([1.0, 2.0])", "array([-0.57721566,  0.42278434])"),
    "polygamma": ("1, nd.asarray([1.0, 2.0])", "array([1.64493407, 0.64493407])"),
    "gammainc": ("2.0, nd.asarray([0.5, 3.0])", "array([0.09020401, 0.80085173])"),
    "gammaincc": ("2.0, nd.asarray([0.5, 3.0])", "array([0.90979599, 0.19914827])"),
    "betainc": ("2.0, 3.0, nd.asarray([0.25, 0.5])", "array([0.26171875, 0.6875    ])"),
    "betaincc": ("2.0, 3.0, nd.asarray([0.25, 0.5])", "array([0.73828125, 0.3125    ])"),
    "stdtr": ("3.0, nd.asarray([-1.0, 0.5])", "array([0.19550111, 0.67427602])"),
    "beta": ("nd.asarray([1.0, 2.0]), 3.0", "array([0.33333333, 0.08333333])"),
    "betaln": ("nd.asarray([1.0, 2.0]), 3.0", "array([-1.09861229, -2.48490665])"),
    "erf": ("nd.asarray([0.0, 1.0])", "array([0.        , 0.84270079])"),
    "erfc": ("nd.asarray([0.0, 1.0])", "array([1.        , 0.15729921])"),
    "erfcx": ("nd.asarray([0.0, 1.0, -1.0])", "array([1.        , 0.42758358, 5.00898008])"),
    "erfinv": ("nd.asarray([0.0, 0.5])", "array([0.        , 0.47693628])"),
    "erfcinv": ("nd.asarray([1.0, 0.5])", "array([-0.        ,  0.47693628])"),
    "ndtr": ("nd.asarray([0.0, 1.0])", "array([0.5       , 0.84134475])"),
    "ndtri": ("nd.asarray([0.5, 0.975])", "array([0.        , 1.95996398])"),
    "log_ndtr": ("nd.asarray([0.0, -10.0])", "array([ -0.69314718, -53.23128515])"),
    "i0": ("nd.asarray([0.0, 1.0])", "array([1.        , 1.26606588])"),
    "i1": ("nd.asarray([0.0, 1.0])", "array([0.       , 0.5651591])"),
    "iv": ("2, nd.asarray([0.0, 1.0])", "array([0.        , 0.13574767])"),
    "ive": ("2, nd.asarray([0.0, 1.0])", "array([0.        , 0.04993878])"),
    "i0e": ("nd.asarray([0.0, 1.0])", "array([1.        , 0.46575961])"),
    "i1e": ("nd.asarray([0.0, 1.0])", "array([0.        , 0.20791042])"),
    "j0": ("nd.asarray([0.0, 1.0])", "array([1.        , 0.76519769])"),
    "j1": ("nd.asarray([0.0, 1.0])", "array([0.        , 0.44005059])"),
    "y0": ("nd.asarray([1.0, 2.0])", "array([0.08825696, 0.51037567])"),
    "y1": ("nd.asarray([1.0, 2.0])", "array([-0.78121282, -0.10703243])"),
    "jn": ("2, nd.asarray([1.0, 2.0])", "array([0.11490348, 0.35283403])"),
    "yn": ("2, nd.asarray([1.0, 2.0])", "array([-1.65068261, -0.6174081 ])"),
    "xlogy": ("nd.asarray([0.0, 2.0]), nd.asarray([0.0, 3.0])", "array([0.        , 2.19722458])"),
    "xlog1py": ("nd.asarray([0.0, 2.0]), nd.asarray([-1.0, 2.0])",
                "array([0.        , 2.19722458])"),
    "entr": ("nd.asarray([0.0, 0.5, -1.0])", "array([0.        , 0.34657359,       -inf])"),
    "rel_entr": ("nd.asarray([0.0, 1.0]), nd.asarray([1.0, 2.0])",
                 "array([ 0.        , -0.69314718])"),
}


def _doc(name, argnames, vjp):
    args, shown = EXAMPLES[name]
    return (f"SciPy's ``scipy.special.{name}({', '.join(argnames)})``, differentiable (see the "
            f"module docstring for which arguments).\n\n"
            f">>> import ndgrad as nd\n>>> from ndgrad.scipy import special\n"
            f">>> special.{name}({args})\n{shown}\n")


def _make(name, argnames, vjp, save, standard):
    op = defop(f"scipy.special.{name}", _library_forward(name, standard), vjp, save=save)
    OPS[name] = op
    n = len(argnames)

    def f(*args):
        if len(args) != n:
            raise TypeError(f"ndgrad.scipy.special.{name}({', '.join(argnames)}) takes {n} "
                            f"argument{'s' if n > 1 else ''}, got {len(args)}")
        return apply(op, args)
    f.__name__ = f.__qualname__ = name
    f.__doc__ = _doc(name, argnames, vjp)
    return f


__all__ = []
for _row in TABLE:
    globals()[_row[0]] = _make(*_row)
    __all__.append(_row[0])
psi = digamma  # noqa: F821 (SciPy's other name)


# -- functions with parameters ------------------------------------------------------------
def _multigammaln_forward(xp, a, d):
    fn = library_function(xp, "special", "multigammaln", "ndgrad.scipy.special.multigammaln")
    return xp.asarray(fn(a, d))


OPS["multigammaln"] = defop("scipy.special.multigammaln", _multigammaln_forward,
                            _multigammaln_vjp)


def multigammaln(a, d):
    """The log of the multivariate gamma function of dimension ``d`` (an int), as SciPy's;
    differentiable in ``a``.

    >>> import ndgrad as nd
    >>> from ndgrad.scipy import special
    >>> special.multigammaln(nd.asarray([2.0, 3.0]), 2)
    array([0.45158271, 1.55019499])
    """
    if isinstance(d, bool) or not isinstance(d, int) and not (
            hasattr(d, "__index__") and not hasattr(d, "shape")):
        raise TypeError(f"multigammaln: the dimension d must be an int, got {d!r}")
    d = int(d)
    if d < 1:
        raise ValueError(f"multigammaln: the dimension d must be a positive int, got {d}")
    return apply(OPS["multigammaln"], (a,), {"d": d})


def _axis_forward(name, standard):
    inner = _library_forward(name, standard)

    def forward(xp, x, axis):
        return inner(xp, x, axis=axis)
    return forward


OPS["softmax"] = defop("scipy.special.softmax", _axis_forward("softmax", _softmax_std),
                       _softmax_vjp, save="ans")
OPS["log_softmax"] = defop("scipy.special.log_softmax",
                           _axis_forward("log_softmax", _log_softmax_std), _log_softmax_vjp,
                           save="ans")


def _axis_param(x, axis, name):
    from .._ops._common import normalize_axis
    x = _as_array(x)
    axes = normalize_axis(axis, x.ndim)
    return x, (None if axis is None else axes)


def _known_shape(x):
    """``x.shape`` as ints (graph tensors' dimensions as their values)."""
    return tuple(getattr(d, "value", d) for d in x.shape)


def _as_array(x):
    from .._ops._common import as_arrays  # (graph tensors pass through)
    return as_arrays(x)


def softmax(x, axis=None):
    """SciPy's ``softmax``: ``exp(x) / sum(exp(x))`` along ``axis`` (all axes for None).

    >>> import ndgrad as nd
    >>> from ndgrad.scipy import special
    >>> special.softmax(nd.asarray([0.0, 1.0, 2.0]))
    array([0.09003057, 0.24472847, 0.66524096])
    """
    x, axis = _axis_param(x, axis, "softmax")
    return apply(OPS["softmax"], (x,), {"axis": axis})


def log_softmax(x, axis=None):
    """SciPy's ``log_softmax``: ``x - logsumexp(x)`` along ``axis`` (all axes for None).

    >>> import ndgrad as nd
    >>> from ndgrad.scipy import special
    >>> special.log_softmax(nd.asarray([0.0, 1.0, 2.0]))
    array([-2.40760596, -1.40760596, -0.40760596])
    """
    x, axis = _axis_param(x, axis, "log_softmax")
    return apply(OPS["log_softmax"], (x,), {"axis": axis})


def logsumexp(a, axis=None, b=None, keepdims=False, return_sign=False):
    """SciPy's ``logsumexp``: ``log(sum(b * exp(a)))`` along ``axis``, without overflow.

    Built from ndgrad ops (``nd.logsumexp`` when there is no ``b``), so it differentiates
    in ``a`` and ``b`` to any order. With ``return_sign`` it returns ``(log|s|, sign(s))``;
    without, a negative sum gives nan (as SciPy). Entries with ``b == 0`` do not count,
    even where ``a`` is infinite.

    >>> import ndgrad as nd
    >>> from ndgrad.scipy import special
    >>> special.logsumexp(nd.asarray([1.0, 2.0]), b=nd.asarray([1.0, -1.0]), return_sign=True)
    (np.float64(1.5413248546129181), np.float64(-1.0))
    """
    import ndgrad as nd
    a = _as_array(a)
    if not _known_shape(a):
        # SciPy reads a 0-d input as one of shape (1,) (atleast_1d, after broadcasting
        # with b, which a (1,) gives alike): axis 0 is valid and keepdims gives (1,)
        a = nd.reshape(a, (1,))
    if a.dtype.kind in "biu":
        a = nd.astype(a, nd.float64)
    if b is None:
        a, axis = _axis_param(a, axis, "logsumexp")
        out = nd.logsumexp(a, axis=axis, keepdims=keepdims)
        if return_sign:
            # SciPy's sign: 1, or 0 for an empty sum (all -inf), nan where the value is
            return out, nd.where(nd.isnan(out), nd.nan, nd.where(out == -nd.inf, 0.0, 1.0))
        return out
    b = _as_array(b)
    if isinstance(b, nd.Array) and isinstance(a, nd.Array) and b.device != a.device:
        b = nd.asarray(b, device=a.device)
    try:
        shape = nd.broadcast_shapes(_known_shape(a), _known_shape(b))
    except Exception as e:
        raise ValueError(f"logsumexp: a of shape {tuple(a.shape)} and b of shape "
                         f"{tuple(b.shape)} do not broadcast") from e
    a = nd.broadcast_to(a, shape)
    b = nd.broadcast_to(b, shape)
    # (axis read against the broadcast shape, as SciPy's: against a's own, a b of more
    # dimensions had another axis reduced -- a wrong value, shape and gradient)
    a, axis = _axis_param(a, axis, "logsumexp")
    live = b != 0
    # complex a or b: the sum is complex; the shift is the largest real part (SciPy's),
    # the value log(s) + m, the sign s / |s| (a complex a's imaginary part entered the
    # shift and the sum's phase was dropped: silently another number than SciPy's)
    a_cplx = nd.isdtype(a.dtype, "complex floating")
    cplx = a_cplx or nd.isdtype(b.dtype, "complex floating")
    ar = nd.real(a) if a_cplx else a
    a_live = nd.where(live, ar, -nd.inf)
    empty = 0 in _known_shape(a)
    m = nd.max(a_live, axis=axis, keepdims=True) if not empty else nd.zeros_like(
        nd.sum(a, axis=axis, keepdims=True))
    # the shift cancels in value and gradient; detached (where arrays can be) to skip work
    m = m.detach() if hasattr(m, "detach") else m
    m = nd.where(nd.isfinite(m), m, 0.0)
    # an entry with b == 0 adds 0 to the sum, but its derivative in b is exp(a - m) / s,
    # not 0 (weights at or passing through 0: JAX's masking of a there gives 0, and so
    # did ndgrad's); only an infinite a (0 * inf) or one whose exp would overflow is
    # dropped there (masked before the exp: no inf for a rule to multiply by 0)
    top = math.log(float(nd.finfo(a.dtype).max))
    keep = live | (nd.isfinite(a) & (ar - m < top))
    s = nd.sum(b * nd.exp(nd.where(keep, a, -nd.inf) - m), axis=axis, keepdims=True)
    sign = nd.sign(s)
    out = nd.log(s) + m if cplx and not return_sign else nd.log(nd.abs(s)) + m
    if not keepdims:
        out = nd.squeeze(out, axis=axis) if axis is not None else nd.reshape(out, ())
        sign = nd.squeeze(sign, axis=axis) if axis is not None else nd.reshape(sign, ())
        # SciPy's scalars (a 0-d view of ours would be an array)
        out, sign = with_0d_kind(out, False), with_0d_kind(sign, False)
    if return_sign:
        return out, sign
    if cplx:
        return out
    return with_0d_kind(nd.where(sign < 0, nd.nan, out), False)   # (where: a 0-d array)


OPS["_gammainc_da"] = defop("scipy.special.gammainc_da", _gammainc_da_forward,
                            _gammainc_da_vjp)


def _gammainc_da(a, x):
    """d/da of ``gammainc(a, x)`` (the op gammainc's rule uses for its shape parameter)."""
    return apply(OPS["_gammainc_da"], (a, x))


__all__ += ["psi", "multigammaln", "softmax", "log_softmax", "logsumexp"]

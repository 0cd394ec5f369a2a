"""Student's t distribution (``scipy.stats.t``): pdf, logpdf, cdf, logcdf, sf.

Differentiable in ``x``, ``df``, ``loc`` and ``scale`` for pdf/logpdf; the distribution
functions in ``x``, ``loc`` and ``scale`` (their derivative in ``df`` needs one of the
incomplete beta function in its parameters: asking for it raises, naming ``df``).
"""
from __future__ import annotations

import math

from ._common import floats, log_cdf, nan_unless, safe, scaled
from .. import special


def logpdf(x, df, loc=0, scale=1):
    """Log of the t density; nan where ``df <= 0`` or ``scale <= 0``.

    >>> import ndgrad as nd
    >>> from ndgrad.scipy.stats import t
    >>> t.logpdf(nd.asarray([0.0, 1.0]), 3.0)
    array([-1.00088885, -1.57625299])
    """
    import ndgrad as nd
    x, df, loc, scale = floats(x, df, loc, scale)
    z, s, ok = scaled(x, loc, scale)
    ok = ok & (df > 0)
    d = safe(ok, df)
    half = (d + 1) * 0.5
    val = (_log_gamma_ratio(nd, d * 0.5) - 0.5 * nd.log(d * math.pi)
           - half * nd.log1p(z * z / d) - nd.log(s))
    return nan_unless(ok, val)


_RATIO_SERIES_FROM = 100.0


def _log_gamma_ratio(nd, a):
    """``log(Gamma(a + 1/2) / Gamma(a))`` (SciPy's ``log(poch(a, 1/2))``): the difference
    of gammaln below 100; above, its asymptotic series ``log(a)/2 - 1/(8a) + 1/(192a^3) -
    1/(640a^5) + 17/(14336a^7)`` (next term below 1e-16 of it), where the difference of
    two large gammaln values cancelled (every digit lost past df ~ 1e15, the derivative
    in df past 1e6)."""
    big = a > _RATIO_SERIES_FROM
    ab = nd.where(big, a, _RATIO_SERIES_FROM)
    r = 1.0 / ab
    r2 = r * r
    series = 0.5 * nd.log(ab) - r * (0.125 - r2 * (1.0 / 192 - r2 * (
        1.0 / 640 - r2 * (17.0 / 14336))))
    asm = nd.where(big, 1.0, a)
    return nd.where(big, series, special.gammaln(asm + 0.5) - special.gammaln(asm))


def pdf(x, df, loc=0, scale=1):
    """The t density.

    >>> import ndgrad as nd
    >>> from ndgrad.scipy.stats import t
    >>> t.pdf(nd.asarray([0.0, 1.0]), 3.0)
    array([0.3675526 , 0.20674834])
    """
    import ndgrad as nd
    return nd.exp(logpdf(x, df, loc, scale))


def cdf(x, df, loc=0, scale=1):
    """The t distribution function (``special.stdtr``).

    >>> import ndgrad as nd
    >>> from ndgrad.scipy.stats import t
    >>> t.cdf(nd.asarray([0.0, 1.0]), 3.0)
    array([0.5       , 0.80449889])
    """
    x, df, loc, scale = floats(x, df, loc, scale)
    z, s, ok = scaled(x, loc, scale)
    ok = ok & (df > 0)
    return nan_unless(ok, special.stdtr(safe(ok, df), z))


def logcdf(x, df, loc=0, scale=1):
    """Log of the t distribution function.

    >>> import ndgrad as nd
    >>> from ndgrad.scipy.stats import t
    >>> t.logcdf(nd.asarray([0.0, 1.0]), 3.0)
    array([-0.69314718, -0.21753569])
    """
    x, df, loc, scale = floats(x, df, loc, scale)
    return log_cdf(cdf(x, df, loc, scale), cdf(2 * loc - x, df, loc, scale))


def sf(x, df, loc=0, scale=1):
    """The survival function ``1 - cdf`` (the cdf of the mirrored point: t is symmetric).

    >>> import ndgrad as nd
    >>> from ndgrad.scipy.stats import t
    >>> t.sf(nd.asarray([0.0, 1.0]), 3.0)
    array([0.5       , 0.19550111])
    """
    x, df, loc, scale = floats(x, df, loc, scale)
    return cdf(2 * loc - x, df, loc, scale)

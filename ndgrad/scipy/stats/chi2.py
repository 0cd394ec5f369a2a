"""The chi-squared distribution (``scipy.stats.chi2``): pdf, logpdf, cdf, logcdf.

Differentiable in ``x``, ``df``, ``loc``, ``scale``; cdf/logcdf to first order only in
``df`` (the incomplete gamma function's second derivative in its shape parameter
``a = df/2`` is refused, naming ``a``).
"""
from __future__ import annotations

from ._common import LOG_2, floats, log_cdf, nan_unless, safe, scaled
from .. import special


def logpdf(x, df, loc=0, scale=1):
    """Log of the chi-squared density; -inf below the support, nan for invalid parameters.

    >>> import ndgrad as nd
    >>> from ndgrad.scipy.stats import chi2
    >>> chi2.logpdf(nd.asarray([0.5, 2.0]), 3.0)
    array([-1.51551212, -1.57236494])
    """
    import ndgrad as nd
    x, df, loc, scale = floats(x, df, loc, scale)
    z, s, ok = scaled(x, loc, scale)
    ok = ok & (df > 0)
    k = safe(ok, df) * 0.5
    inside = z >= 0
    zs = safe(inside, z)
    val = special.xlogy(k - 1, zs) - 0.5 * zs - special.gammaln(k) - k * LOG_2 - nd.log(s)
    return nan_unless(ok, nd.where(inside, val, -nd.inf))


def pdf(x, df, loc=0, scale=1):
    """The chi-squared density.

    >>> import ndgrad as nd
    >>> from ndgrad.scipy.stats import chi2
    >>> chi2.pdf(nd.asarray([0.5, 2.0]), 3.0)
    array([0.21969564, 0.20755375])
    """
    import ndgrad as nd
    return nd.exp(logpdf(x, df, loc, scale))


def cdf(x, df, loc=0, scale=1):
    """The chi-squared distribution function (``special.gammainc(df/2, x/2)``).

    >>> import ndgrad as nd
    >>> from ndgrad.scipy.stats import chi2
    >>> chi2.cdf(nd.asarray([0.5, 2.0]), 3.0)
    array([0.08110859, 0.4275933 ])
    """
    return _cdf_sf(x, df, loc, scale)[0]


def _cdf_sf(x, df, loc, scale):
    import ndgrad as nd
    x, df, loc, scale = floats(x, df, loc, scale)
    z, s, ok = scaled(x, loc, scale)
    ok = ok & (df > 0)
    inside = z > 0
    k, h = safe(ok, df) * 0.5, safe(inside, z) * 0.5
    cdf = nd.where(inside, special.gammainc(k, h), 0.0)
    sf = nd.where(inside, special.gammaincc(k, h), 1.0)
    return nan_unless(ok, cdf), sf


def logcdf(x, df, loc=0, scale=1):
    """Log of the chi-squared distribution function.

    >>> import ndgrad as nd
    >>> from ndgrad.scipy.stats import chi2
    >>> chi2.logcdf(nd.asarray([0.5, 2.0]), 3.0)
    array([-2.51196643, -0.84958278])
    """
    c, s = _cdf_sf(x, df, loc, scale)
    return log_cdf(c, s)

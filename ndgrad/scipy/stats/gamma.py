"""The gamma distribution (``scipy.stats.gamma``): pdf, logpdf, cdf, logcdf.

Differentiable in ``x``, ``a``, ``loc``, ``scale``; cdf/logcdf to first order only in ``a``
(the incomplete gamma function's second derivative in its shape parameter is refused).
"""
from __future__ import annotations

from ._common import floats, log_cdf, log_density_on_half_line, nan_unless, safe, scaled
from .. import special


def logpdf(x, a, loc=0, scale=1):
    """Log of the gamma density; -inf below the support, nan for invalid parameters.

    >>> import ndgrad as nd
    >>> from ndgrad.scipy.stats import gamma
    >>> gamma.logpdf(nd.asarray([0.5, 2.0]), 2.0)
    array([-1.19314718, -1.30685282])
    """
    return log_density_on_half_line(
        x, a, loc, scale, lambda z, a: special.xlogy(a - 1, z) - z - special.gammaln(a))


def pdf(x, a, loc=0, scale=1):
    """The gamma density.

    >>> import ndgrad as nd
    >>> from ndgrad.scipy.stats import gamma
    >>> gamma.pdf(nd.asarray([0.5, 2.0]), 2.0)
    array([0.30326533, 0.27067057])
    """
    import ndgrad as nd
    return nd.exp(logpdf(x, a, loc, scale))


def cdf(x, a, loc=0, scale=1):
    """The gamma distribution function (``special.gammainc``).

    >>> import ndgrad as nd
    >>> from ndgrad.scipy.stats import gamma
    >>> gamma.cdf(nd.asarray([0.5, 2.0]), 2.0)
    array([0.09020401, 0.59399415])
    """
    return _cdf_sf(x, a, loc, scale)[0]


def _cdf_sf(x, a, loc, scale, valid=None):
    """(cdf, sf). ``valid``: the shape's validity where ``a`` is derived from another
    parameter (chi2's ``df / 2``, which is 0 for the smallest subnormal df > 0: there the
    limit a -> 0+, all the mass at 0: cdf 1 and sf 0 above it, as SciPy's gammainc(0, z))."""
    import ndgrad as nd
    x, a, loc, scale = floats(x, a, loc, scale)
    z, s, ok = scaled(x, loc, scale)
    ok = ok & ((a > 0) if valid is None else valid)
    inside = z > 0
    limit = a == 0
    a, z = safe(ok & ~limit, a), safe(inside, z)
    cdf = nd.where(inside, nd.where(limit, 1.0, special.gammainc(a, z)), 0.0)
    sf = nd.where(inside, nd.where(limit, 0.0, special.gammaincc(a, z)), 1.0)
    return nan_unless(ok, cdf), sf


def logcdf(x, a, loc=0, scale=1):
    """Log of the gamma distribution function.

    >>> import ndgrad as nd
    >>> from ndgrad.scipy.stats import gamma
    >>> gamma.logcdf(nd.asarray([0.5, 2.0]), 2.0)
    array([-2.40568139, -0.52088581])
    """
    c, s = _cdf_sf(x, a, loc, scale)
    return log_cdf(c, s)

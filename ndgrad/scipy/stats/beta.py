"""The beta distribution (``scipy.stats.beta``): pdf, logpdf, cdf, logcdf.

pdf/logpdf differentiate in ``x``, ``a``, ``b``, ``loc``, ``scale``; cdf/logcdf in ``x``,
``loc``, ``scale`` (their derivative in ``a`` or ``b`` needs one of the incomplete beta
function in its parameters: asking for it raises, naming the argument).
"""
from __future__ import annotations

from ._common import floats, log_cdf, nan_unless, safe, scaled
from .. import special


def logpdf(x, a, b, loc=0, scale=1):
    """Log of the beta density; -inf outside [0, 1] (after loc/scale), nan for invalid
    parameters.

    >>> import ndgrad as nd
    >>> from ndgrad.scipy.stats import beta
    >>> beta.logpdf(nd.asarray([0.25, 0.5]), 2.0, 3.0)
    array([0.52324814, 0.40546511])
    """
    import ndgrad as nd
    x, a, b, loc, scale = floats(x, a, b, loc, scale)
    z, s, ok = scaled(x, loc, scale)
    ok = ok & (a > 0) & (b > 0)
    a, b = safe(ok, a), safe(ok, b)
    inside = (z >= 0) & (z <= 1)
    zs = safe(inside, z, 0.5)
    val = (special.xlogy(a - 1, zs) + special.xlog1py(b - 1, -zs) - special.betaln(a, b)
           - nd.log(s))
    return nan_unless(ok, nd.where(inside, val, -nd.inf))


def pdf(x, a, b, loc=0, scale=1):
    """The beta density.

    >>> import ndgrad as nd
    >>> from ndgrad.scipy.stats import beta
    >>> beta.pdf(nd.asarray([0.25, 0.5]), 2.0, 3.0)
    array([1.6875, 1.5   ])
    """
    import ndgrad as nd
    return nd.exp(logpdf(x, a, b, loc, scale))


def cdf(x, a, b, loc=0, scale=1):
    """The beta distribution function (``special.betainc``); 0 below, 1 above the support.

    >>> import ndgrad as nd
    >>> from ndgrad.scipy.stats import beta
    >>> beta.cdf(nd.asarray([0.25, 0.5]), 2.0, 3.0)
    array([0.26171875, 0.6875    ])
    """
    return _cdf_sf(x, a, b, loc, scale)[0]


def _cdf_sf(x, a, b, loc, scale):
    import ndgrad as nd
    x, a, b, loc, scale = floats(x, a, b, loc, scale)
    z, s, ok = scaled(x, loc, scale)
    ok = ok & (a > 0) & (b > 0)
    inside = (z > 0) & (z < 1)
    below = z <= 0
    a, b, z = safe(ok, a), safe(ok, b), safe(inside, z, 0.5)
    zero, one = nd.zeros_like(z), nd.ones_like(z)   # (z's dtype: float32 stays float32)
    cdf = nd.where(inside, special.betainc(a, b, z), nd.where(below, zero, one))
    # (the complement from z itself: betainc(b, a, 1 - z) read 1 - z, which rounds for a
    # small z, and with a small ``a`` the cdf passes 1/2 there: logcdf took log1p(-sf)
    # of a value 0.3% off)
    sf = nd.where(inside, special.betaincc(a, b, z), nd.where(below, one, zero))
    return nan_unless(ok, cdf), sf


def logcdf(x, a, b, loc=0, scale=1):
    """Log of the beta distribution function.

    >>> import ndgrad as nd
    >>> from ndgrad.scipy.stats import beta
    >>> beta.logcdf(nd.asarray([0.25, 0.5]), 2.0, 3.0)
    array([-1.34048483, -0.37469345])
    """
    c, s = _cdf_sf(x, a, b, loc, scale)
    return log_cdf(c, s)

"""The normal distribution (``scipy.stats.norm``): pdf, logpdf, cdf, logcdf, sf, logsf, ppf.

Differentiable in ``x``, ``loc`` and ``scale`` to any order; pdf and logpdf run on every
backend (standard functions only), the others use ``special.ndtr`` / ``log_ndtr`` / ``ndtri``.
"""
from __future__ import annotations

from ._common import LOG_2PI, floats, nan_unless, scaled
from .. import special


def logpdf(x, loc=0, scale=1):
    """Log of the normal density at ``x``; nan where ``scale <= 0`` (as SciPy).

    >>> import ndgrad as nd
    >>> from ndgrad.scipy.stats import norm
    >>> norm.logpdf(nd.asarray([0.0, 1.0]), loc=1.0, scale=2.0)
    array([-1.73708571, -1.61208571])
    """
    import ndgrad as nd
    x, loc, scale = floats(x, loc, scale)
    z, s, ok = scaled(x, loc, scale)
    return nan_unless(ok, -0.5 * z * z - 0.5 * LOG_2PI - nd.log(s))


def pdf(x, loc=0, scale=1):
    """The normal density at ``x``.

    >>> import ndgrad as nd
    >>> from ndgrad.scipy.stats import norm
    >>> norm.pdf(nd.asarray([0.0, 1.0]))
    array([0.39894228, 0.24197072])
    """
    import ndgrad as nd
    return nd.exp(logpdf(x, loc, scale))


def cdf(x, loc=0, scale=1):
    """The normal distribution function at ``x``.

    >>> import ndgrad as nd
    >>> from ndgrad.scipy.stats import norm
    >>> norm.cdf(nd.asarray([0.0, 1.0]))
    array([0.5       , 0.84134475])
    """
    x, loc, scale = floats(x, loc, scale)
    z, s, ok = scaled(x, loc, scale)
    return nan_unless(ok, special.ndtr(z))


def logcdf(x, loc=0, scale=1):
    """Log of the normal distribution function (accurate far into the lower tail).

    >>> import ndgrad as nd
    >>> from ndgrad.scipy.stats import norm
    >>> norm.logcdf(nd.asarray([0.0, -10.0]))
    array([ -0.69314718, -53.23128515])
    """
    x, loc, scale = floats(x, loc, scale)
    z, s, ok = scaled(x, loc, scale)
    return nan_unless(ok, special.log_ndtr(z))


def sf(x, loc=0, scale=1):
    """The survival function ``1 - cdf``, computed as ``cdf`` of the mirrored point.

    >>> import ndgrad as nd
    >>> from ndgrad.scipy.stats import norm
    >>> norm.sf(nd.asarray([0.0, 1.0]))
    array([0.5       , 0.15865525])
    """
    x, loc, scale = floats(x, loc, scale)
    z, s, ok = scaled(x, loc, scale)
    return nan_unless(ok, special.ndtr(-z))


def logsf(x, loc=0, scale=1):
    """Log of the survival function.

    >>> import ndgrad as nd
    >>> from ndgrad.scipy.stats import norm
    >>> norm.logsf(nd.asarray([0.0, 10.0]))
    array([ -0.69314718, -53.23128515])
    """
    x, loc, scale = floats(x, loc, scale)
    z, s, ok = scaled(x, loc, scale)
    return nan_unless(ok, special.log_ndtr(-z))


def ppf(q, loc=0, scale=1):
    """The quantile function (inverse of ``cdf``).

    >>> import ndgrad as nd
    >>> from ndgrad.scipy.stats import norm
    >>> norm.ppf(nd.asarray([0.5, 0.975]))
    array([0.        , 1.95996398])
    """
    q, loc, scale = floats(q, loc, scale)
    return nan_unless(scale > 0, loc + scale * special.ndtri(q))

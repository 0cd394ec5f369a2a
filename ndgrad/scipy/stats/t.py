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
    val = (special.gammaln(half) - special.gammaln(d * 0.5) - 0.5 * nd.log(d * math.pi)
           - half * nd.log1p(z * z / d) - nd.log(s))
    return nan_unless(ok, val)


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

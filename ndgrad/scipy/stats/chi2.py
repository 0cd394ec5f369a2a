"""The chi-squared distribution (``scipy.stats.chi2``): pdf, logpdf, cdf, logcdf.

Differentiable in ``x``, ``df``, ``loc``, ``scale``; cdf/logcdf to first order only in
``df`` (the incomplete gamma function's second derivative in its shape parameter
``a = df/2`` is refused, naming ``a``).
"""
from __future__ import annotations

import math

from ._common import floats, log_density_on_half_line
from .. import special
from . import gamma as _gamma


def _as_gamma(x, df, loc, scale):
    """chi2(df) is gamma(a = df/2) with twice the scale."""
    x, df, loc, scale = floats(x, df, loc, scale)
    return x, df * 0.5, loc, scale * 2


def logpdf(x, df, loc=0, scale=1):
    """Log of the chi-squared density; -inf below the support, nan for invalid parameters.
    SciPy's formula on ``y = (x - loc) / scale``: ``xlogy(df/2 - 1, y) - y/2 -
    gammaln(df/2) - log(2) df/2 - log(scale)``. (As gamma's density with scale
    ``2 * scale`` it rounded a subnormal negative y / 2 to -0, inside the support.)

    >>> import ndgrad as nd
    >>> from ndgrad.scipy.stats import chi2
    >>> chi2.logpdf(nd.asarray([0.5, 2.0]), 3.0)
    array([-1.51551212, -1.57236494])
    """
    return log_density_on_half_line(
        x, df, loc, scale, lambda y, df: special.xlogy(df * 0.5 - 1, y) - y / 2
        - special.gammaln(df * 0.5) - (math.log(2.0) * df) / 2)


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
    return _gamma._cdf_sf(*_as_gamma(x, df, loc, scale), valid=_df_valid(df))[0]


def _df_valid(df):
    """df > 0 (checked on df itself: df / 2 is 0 for the smallest subnormal df)."""
    return floats(df)[0] > 0


def logcdf(x, df, loc=0, scale=1):
    """Log of the chi-squared distribution function.

    >>> import ndgrad as nd
    >>> from ndgrad.scipy.stats import chi2
    >>> chi2.logcdf(nd.asarray([0.5, 2.0]), 3.0)
    array([-2.51196643, -0.84958278])
    """
    from ._common import log_cdf
    return log_cdf(*_gamma._cdf_sf(*_as_gamma(x, df, loc, scale), valid=_df_valid(df)))

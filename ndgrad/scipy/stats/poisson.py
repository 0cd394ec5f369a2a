"""The Poisson distribution (``scipy.stats.poisson``): pmf, logpmf, cdf, logcdf.

Differentiable in the rate ``mu`` (``k`` is a count: integer-valued, no gradient). A
non-integer or negative ``k`` has probability 0 (log -inf), as SciPy.
"""
from __future__ import annotations

from ._common import floats, log_cdf, nan_unless, safe
from .. import special


def logpmf(k, mu, loc=0):
    """Log of the probability of ``k`` events at rate ``mu``.

    >>> import ndgrad as nd
    >>> from ndgrad.scipy.stats import poisson
    >>> poisson.logpmf(nd.asarray([0, 2, 5]), 2.0)
    array([-2.        , -1.30685282, -3.32175584])
    """
    import ndgrad as nd
    k, mu, loc = floats(k, mu, loc)
    k = k - loc
    ok = mu >= 0
    m = safe(ok, mu)
    count = (k >= 0) & (nd.floor(k) == k)
    ks = safe(count, k, 0.0)
    val = special.xlogy(ks, m) - special.gammaln(ks + 1) - m
    return nan_unless(ok, nd.where(count, val, -nd.inf))


def pmf(k, mu, loc=0):
    """The probability of ``k`` events at rate ``mu``.

    >>> import ndgrad as nd
    >>> from ndgrad.scipy.stats import poisson
    >>> poisson.pmf(nd.asarray([0, 2, 5]), 2.0)
    array([0.13533528, 0.27067057, 0.03608941])
    """
    import ndgrad as nd
    return nd.exp(logpmf(k, mu, loc))


def cdf(k, mu, loc=0):
    """The probability of at most ``k`` events (``special.gammaincc(floor(k) + 1, mu)``).

    >>> import ndgrad as nd
    >>> from ndgrad.scipy.stats import poisson
    >>> poisson.cdf(nd.asarray([0, 2, 5]), 2.0)
    array([0.13533528, 0.67667642, 0.98343639])
    """
    return _cdf_sf(k, mu, loc)[0]


def _cdf_sf(k, mu, loc):
    import ndgrad as nd
    k, mu, loc = floats(k, mu, loc)
    k = nd.floor(k - loc)
    ok = mu >= 0
    inside = k >= 0
    a, m = safe(inside, k, 0.0) + 1, safe(ok, mu)
    cdf = nd.where(inside, special.gammaincc(a, m), 0.0)
    sf = nd.where(inside, special.gammainc(a, m), 1.0)
    return nan_unless(ok, cdf), sf


def logcdf(k, mu, loc=0):
    """Log of the probability of at most ``k`` events.

    >>> import ndgrad as nd
    >>> from ndgrad.scipy.stats import poisson
    >>> poisson.logcdf(nd.asarray([0, 2]), 2.0)
    array([-2.        , -0.39056209])
    """
    c, s = _cdf_sf(k, mu, loc)
    return log_cdf(c, s)

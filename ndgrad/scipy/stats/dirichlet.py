"""The Dirichlet distribution (``scipy.stats.dirichlet``): pdf and logpdf.

As SciPy, the components of ``x`` run along its FIRST axis (shape ``(K,)`` or ``(K, ...)``,
or ``K - 1`` components with the last implied); ``alpha`` has shape ``(K,)``.
Differentiable in ``x`` and ``alpha``. Points off the simplex get log density -inf (JAX's
choice) where SciPy raises, so the function has no data-dependent host check.
"""
from __future__ import annotations

from ._common import floats, scalar


def _prepare(x, alpha):
    import ndgrad as nd
    x, alpha = floats(x, alpha)
    if alpha.ndim != 1:
        raise ValueError(f"dirichlet: alpha must be one-dimensional (K,), got shape "
                         f"{tuple(alpha.shape)}")
    k = alpha.shape[0]
    if x.ndim == 0 or x.shape[0] not in (k, k - 1):
        raise ValueError(f"dirichlet: x of shape {tuple(x.shape)} must have K = {k} (or "
                         f"K - 1 = {k - 1}) components along its first axis, as alpha of "
                         f"shape {tuple(alpha.shape)}")
    if x.shape[0] == k - 1:
        x = nd.concat([x, 1 - nd.sum(x, axis=0, keepdims=True)], axis=0)
    a = nd.reshape(alpha, (k,) + (1,) * (x.ndim - 1))
    return x, alpha, a


def logpdf(x, alpha):
    """Log of the Dirichlet density at ``x``; nan where some alpha <= 0.

    >>> import ndgrad as nd
    >>> from ndgrad.scipy.stats import dirichlet
    >>> dirichlet.logpdf(nd.asarray([0.2, 0.3, 0.5]), nd.asarray([1.5, 2.0, 1.0]))
    np.float64(0.5658270479347016)
    """
    import ndgrad as nd
    from .. import special
    x, alpha, a = _prepare(x, alpha)
    ok = nd.all(alpha > 0)
    a = nd.where(ok, a, 1.0)
    on_simplex = nd.all((x >= 0) & (x <= 1), axis=0) & (
        nd.abs(nd.sum(x, axis=0) - 1) <= 1e-10 if x.dtype == nd.float64 else
        nd.abs(nd.sum(x, axis=0) - 1) <= 1e-5)
    xs = nd.where(on_simplex, x, 1.0 / alpha.shape[0])
    norm = nd.sum(special.gammaln(a), axis=0) - special.gammaln(nd.sum(a, axis=0))
    val = nd.sum(special.xlogy(a - 1, xs), axis=0) - norm
    return scalar(nd.where(ok, nd.where(on_simplex, val, -nd.inf), nd.nan))


def pdf(x, alpha):
    """The Dirichlet density at ``x``.

    >>> import ndgrad as nd
    >>> from ndgrad.scipy.stats import dirichlet
    >>> dirichlet.pdf(nd.asarray([0.2, 0.3, 0.5]), nd.asarray([1.5, 2.0, 1.0]))
    np.float64(1.760903532281085)
    """
    import ndgrad as nd
    return nd.exp(logpdf(x, alpha))

"""The multivariate normal distribution (``scipy.stats.multivariate_normal``): logpdf, pdf.

``x`` has the components along its LAST axis, shape ``(..., d)`` (a 1-D ``x`` is one point,
or ``n`` points when d == 1, as SciPy); ``mean`` is ``(d,)`` (or a scalar), ``cov`` is
``(d, d)``, a ``(d,)`` diagonal or a scalar. The result is squeezed as SciPy's.
Differentiable in ``x``, ``mean`` and ``cov`` (through the Cholesky factor; ``cov`` must be
positive definite: ``allow_singular=True`` is refused). The cdf (numerical integration in
SciPy) is not provided.
"""
from __future__ import annotations

from ._common import LOG_2PI, floats


def _cov_matrix(cov, d):
    import ndgrad as nd
    if cov.ndim == 0:
        return cov * nd.eye(d, dtype=cov.dtype, device=cov.device)
    if cov.ndim == 1:
        if cov.shape[0] != d:
            raise ValueError(f"multivariate_normal: a diagonal cov of shape {tuple(cov.shape)}"
                             f" does not match the dimension {d} of mean")
        return cov * nd.eye(d, dtype=cov.dtype, device=cov.device)
    if cov.ndim != 2 or tuple(cov.shape) != (d, d):
        raise ValueError(f"multivariate_normal: cov of shape {tuple(cov.shape)} must be "
                         f"({d}, {d}) for mean of dimension {d}")
    return cov


def logpdf(x, mean=None, cov=1, allow_singular=False):
    """Log of the multivariate normal density at the points ``x``.

    >>> import ndgrad as nd
    >>> from ndgrad.scipy.stats import multivariate_normal
    >>> cov = nd.asarray([[2.0, 0.5], [0.5, 1.0]])
    >>> multivariate_normal.logpdf(nd.asarray([[0.0, 0.0], [1.0, -1.0]]), nd.zeros(2), cov)
    array([-2.11768496, -3.2605421 ])
    """
    import ndgrad as nd
    if allow_singular:
        raise ValueError("multivariate_normal.logpdf: allow_singular=True (a pseudo-inverse "
                         "density) is not supported; pass a positive definite cov")
    x, mean, cov = floats(x, 0.0 if mean is None else mean, cov)
    if mean.ndim > 1:
        raise ValueError(f"multivariate_normal: mean must be a scalar or (d,), got shape "
                         f"{tuple(mean.shape)}")
    if mean.ndim == 1:
        d = mean.shape[0]
    elif cov.ndim >= 1:
        d = cov.shape[0]
    else:
        d = 1  # scalar mean and cov: one dimension (a 1-D x holds points), as SciPy
    mean = nd.broadcast_to(mean, (d,))
    cov = _cov_matrix(cov, d)
    if x.ndim == 0 or (d == 1 and x.shape[-1] != 1):
        x = nd.expand_dims(x, axis=-1)  # scalars, or n points of dimension 1
    if x.shape[-1] != d:
        raise ValueError(f"multivariate_normal: x of shape {tuple(x.shape)} must have "
                         f"{d} components on its last axis, as mean")
    low = nd.linalg.cholesky(cov)
    diff = x - mean
    flat = nd.reshape(diff, (-1, d))
    z = nd.linalg.solve(low, nd.matrix_transpose(flat))     # (d, n)
    maha = nd.sum(z * z, axis=0)
    logdet = 2 * nd.sum(nd.log(nd.linalg.diagonal(low)))
    out = -0.5 * (maha + logdet + d * LOG_2PI)
    out = nd.reshape(out, tuple(x.shape[:-1]))
    return nd.squeeze(out, axis=tuple(i for i, s in enumerate(out.shape) if s == 1)) \
        if any(s == 1 for s in out.shape) else out


def pdf(x, mean=None, cov=1, allow_singular=False):
    """The multivariate normal density at the points ``x``.

    >>> import ndgrad as nd
    >>> from ndgrad.scipy.stats import multivariate_normal
    >>> multivariate_normal.pdf(nd.asarray([0.0, 0.0]), nd.zeros(2), nd.eye(2))
    np.float64(0.15915494309189535)
    """
    import ndgrad as nd
    return nd.exp(logpdf(x, mean, cov, allow_singular))

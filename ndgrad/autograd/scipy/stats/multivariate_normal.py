"""autograd.scipy.stats.multivariate_normal: a lazy alias of
ndgrad.scipy.stats.multivariate_normal (logpdf, pdf), plus ``entropy``."""
import math as _math

from .. import _target


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    return getattr(_target("stats.multivariate_normal"), name)


def entropy(mean=None, cov=1):
    """Differential entropy ``(d log(2 pi e) + log det cov) / 2``, as SciPy's;
    differentiable in ``cov`` (``mean`` does not enter). ``cov`` is ``(d, d)``, a ``(d,)``
    diagonal or a scalar (then ``d`` comes from ``mean``); it must be positive definite.

    >>> import ndgrad.autograd as ag, ndgrad.autograd.numpy as np
    >>> print(round(float(entropy(np.zeros(2), np.eye(2))), 6))
    2.837877
    >>> ag.grad(entropy, 1)(np.zeros(2), 2.0 * np.eye(2))
    array([[0.25, 0.  ],
           [0.  , 0.25]])
    """
    import ndgrad as nd
    from ndgrad.scipy.stats.multivariate_normal import _cov_matrix
    from ndgrad.scipy.stats._common import floats
    mean, cov = floats(0.0 if mean is None else mean, cov)
    if mean.ndim > 1:
        raise ValueError(f"multivariate_normal.entropy: mean must be a scalar or (d,), got "
                         f"shape {tuple(mean.shape)}")
    d = mean.shape[0] if mean.ndim == 1 else (cov.shape[0] if cov.ndim else 1)
    sign, logdet = nd.linalg.slogdet(_cov_matrix(cov, d))
    if float(sign) <= 0:
        raise ValueError("multivariate_normal.entropy: cov must be positive definite "
                         f"(its determinant has sign {float(sign):g})")
    return 0.5 * (d * (1.0 + _math.log(2 * _math.pi)) + logdet)

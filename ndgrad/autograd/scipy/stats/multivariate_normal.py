"""autograd.scipy.stats.multivariate_normal: a lazy alias of
ndgrad.scipy.stats.multivariate_normal (logpdf, pdf), plus ``entropy`` and autograd's
``allow_singular=True`` (a singular ``cov``: SciPy's pseudo-inverse density,
differentiable in ``x`` and ``mean``)."""
import math as _math

from .. import _target
from ...extend import defvjp, primitive


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    return getattr(_target("stats.multivariate_normal"), name)


def logpdf(x, mean=None, cov=1, allow_singular=False):
    """ndgrad.scipy.stats.multivariate_normal.logpdf; with ``allow_singular=True``,
    SciPy's density on the support of a singular ``(d, d)`` ``cov`` (``-inf`` off it),
    differentiable in ``x`` and ``mean`` (not in ``cov``, as in autograd).

    >>> import ndgrad.autograd as ag, ndgrad.autograd.numpy as np
    >>> cov = np.diag(np.array([1.0, 0.0]))
    >>> print(round(float(logpdf(np.array([1.0, 0.0]), np.zeros(2), cov, True)), 6))
    -1.418939
    >>> ag.grad(logpdf)(np.array([1.0, 0.0]), np.zeros(2), cov, True)
    array([-1.,  0.])
    """
    if not allow_singular:
        return _target("stats.multivariate_normal").logpdf(x, mean, cov)
    return _singular("logpdf", x, mean, cov)


def pdf(x, mean=None, cov=1, allow_singular=False):
    """ndgrad.scipy.stats.multivariate_normal.pdf; ``allow_singular=True`` as in
    ``logpdf``.

    >>> import ndgrad.autograd.numpy as np
    >>> cov = np.diag(np.array([1.0, 0.0]))
    >>> print(round(float(pdf(np.array([0.0, 0.0]), np.zeros(2), cov, True)), 6))
    0.398942
    """
    if not allow_singular:
        return _target("stats.multivariate_normal").pdf(x, mean, cov)
    return _singular("pdf", x, mean, cov)


def _singular(kind, x, mean, cov):
    import ndgrad as nd
    c = nd.asarray(cov)
    if c.ndim != 2 or c.shape[0] != c.shape[1]:
        raise ValueError(f"multivariate_normal.{kind}(allow_singular=True) needs a (d, d) "
                         f"cov; got shape {tuple(c.shape)}")
    d = c.shape[0]
    if nd.asarray(x).ndim == 0 or nd.asarray(x).shape[-1] != d:
        raise ValueError(f"multivariate_normal.{kind}(allow_singular=True): x of shape "
                         f"{tuple(nd.asarray(x).shape)} must have {d} components on its "
                         "last axis")
    if mean is not None and tuple(nd.asarray(mean).shape) not in ((), (d,)):
        raise ValueError(f"multivariate_normal.{kind}(allow_singular=True): mean of shape "
                         f"{tuple(nd.asarray(mean).shape)} must be a scalar or ({d},)")
    fun = _singular_logpdf if kind == "logpdf" else _singular_pdf
    return fun(x, 0.0 if mean is None else mean, cov)


def _host(kind, x, mean, cov):
    import numpy
    import scipy.stats
    return getattr(scipy.stats.multivariate_normal, kind)(
        numpy.asarray(x), numpy.asarray(mean), numpy.asarray(cov), allow_singular=True)


@primitive
def _singular_logpdf(x, mean, cov):
    return _host("logpdf", x, mean, cov)


@primitive
def _singular_pdf(x, mean, cov):
    return _host("pdf", x, mean, cov)


def _score(ans, x, mean, cov, g, of_pdf):
    """``g`` times d(logpdf)/dx (pdf: times the density too) at each point, shape x's."""
    import ndgrad as nd
    diff = nd.asarray(x) - nd.asarray(mean)
    step = nd.matmul(diff, nd.matrix_transpose(nd.linalg.pinv(nd.asarray(cov))))
    scale = nd.reshape(g * ans if of_pdf else g, tuple(diff.shape[:-1]) + (1,))
    out = -scale * step
    if not of_pdf:  # off the support logpdf is -inf: no derivative there
        off = nd.reshape(nd.isneginf(nd.asarray(ans)), tuple(diff.shape[:-1]) + (1,))
        out = nd.where(off, nd.nan, out)
    return out


def _make_vjps(of_pdf):
    def vjp_x(ans, x, mean, cov):
        import ndgrad as nd

        def vjp(g):
            s = _score(ans, x, mean, cov, g, of_pdf)
            return nd.sum(s, axis=tuple(range(s.ndim - nd.asarray(x).ndim)))
        return vjp

    def vjp_mean(ans, x, mean, cov):
        import ndgrad as nd

        def vjp(g):
            s = -_score(ans, x, mean, cov, g, of_pdf)
            s = nd.sum(s, axis=tuple(range(s.ndim - 1)))
            return nd.sum(s) if nd.asarray(mean).ndim == 0 else s
        return vjp

    def vjp_cov(ans, x, mean, cov):
        raise ValueError("multivariate_normal with allow_singular=True is not differentiable "
                         "with respect to cov (as in autograd)")
    return vjp_x, vjp_mean, vjp_cov


defvjp(_singular_logpdf, *_make_vjps(False))
defvjp(_singular_pdf, *_make_vjps(True))


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

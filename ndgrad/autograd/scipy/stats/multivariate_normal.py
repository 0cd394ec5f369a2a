"""autograd.scipy.stats.multivariate_normal: a lazy alias of ndgrad.scipy.stats.multivariate_normal (logpdf, pdf, ...)."""
from .. import _target


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    return getattr(_target("stats.multivariate_normal"), name)

"""autograd.scipy.stats.poisson: a lazy alias of ndgrad.scipy.stats.poisson (logpdf, pdf, ...)."""
from .. import _target


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    return getattr(_target("stats.poisson"), name)

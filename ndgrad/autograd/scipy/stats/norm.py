"""autograd.scipy.stats.norm: a lazy alias of ndgrad.scipy.stats.norm (logpdf, pdf, ...)."""
from .. import _target


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    return getattr(_target("stats.norm"), name)

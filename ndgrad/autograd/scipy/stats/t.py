"""autograd.scipy.stats.t: a lazy alias of ndgrad.scipy.stats.t (logpdf, pdf, ...)."""
from .. import _target


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    return getattr(_target("stats.t"), name)

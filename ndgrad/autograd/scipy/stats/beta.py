"""autograd.scipy.stats.beta: a lazy alias of ndgrad.scipy.stats.beta (logpdf, pdf, ...)."""
from .. import _target


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    return getattr(_target("stats.beta"), name)

"""autograd.scipy.stats.gamma: a lazy alias of ndgrad.scipy.stats.gamma (logpdf, pdf, ...)."""
from .. import _target


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    return getattr(_target("stats.gamma"), name)

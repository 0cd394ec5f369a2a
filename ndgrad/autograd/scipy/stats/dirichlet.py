"""autograd.scipy.stats.dirichlet: a lazy alias of ndgrad.scipy.stats.dirichlet (logpdf, pdf, ...)."""
from .. import _target


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    return getattr(_target("stats.dirichlet"), name)

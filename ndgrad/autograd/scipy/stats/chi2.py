"""autograd.scipy.stats.chi2: a lazy alias of ndgrad.scipy.stats.chi2 (logpdf, pdf, ...)."""
from .. import _target


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    return getattr(_target("stats.chi2"), name)

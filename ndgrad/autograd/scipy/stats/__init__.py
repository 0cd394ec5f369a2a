"""autograd.scipy.stats: a lazy alias of ndgrad.scipy.stats; each distribution is also a
submodule (``import ndgrad.autograd.scipy.stats.norm as norm``), as in autograd."""
import importlib as _importlib

from .. import _target

_DISTRIBUTIONS = ("beta", "chi2", "dirichlet", "gamma", "multivariate_normal", "norm",
                  "poisson", "t")


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    if name in _DISTRIBUTIONS:
        return _importlib.import_module(f"{__name__}.{name}")
    return getattr(_target("stats"), name)


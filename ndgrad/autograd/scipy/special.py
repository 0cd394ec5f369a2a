"""autograd.scipy.special: a lazy alias of ndgrad.scipy.special."""
from . import _target


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    return getattr(_target("special"), name)


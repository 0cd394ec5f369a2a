"""autograd.scipy.linalg: a lazy alias of ndgrad.scipy.linalg."""
from . import _target


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    return getattr(_target("linalg"), name)


"""autograd.scipy.signal: a lazy alias of ndgrad.scipy.signal."""
from . import _target


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    return getattr(_target("signal"), name)


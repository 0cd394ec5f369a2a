"""autograd.scipy.integrate: a lazy alias of ndgrad.scipy.integrate."""
from . import _target


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    return getattr(_target("integrate"), name)


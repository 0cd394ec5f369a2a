"""autograd.numpy.linalg: ndgrad.linalg (differentiable where NumPy's function has a derivative)."""
import ndgrad.linalg as _impl
from ndgrad.linalg import *  # noqa: F401,F403


def __getattr__(name):
    return getattr(_impl, name)

"""autograd.numpy.fft: ndgrad.fft (differentiable where NumPy's function has a derivative)."""
import ndgrad.fft as _impl
from ndgrad.fft import *  # noqa: F401,F403


def __getattr__(name):
    return getattr(_impl, name)

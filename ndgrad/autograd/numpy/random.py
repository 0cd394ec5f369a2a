"""autograd.numpy.random: ndgrad.random (NumPy's own random streams: the same seeds give the same draws)."""
import ndgrad.random as _impl
from ndgrad.random import *  # noqa: F401,F403


def __getattr__(name):
    return getattr(_impl, name)

"""autograd.numpy.linalg: ndgrad.linalg (differentiable where NumPy's function has a derivative)."""
import ndgrad.linalg as _impl
from ndgrad.linalg import *  # noqa: F401,F403


def __getattr__(name):
    return getattr(_impl, name)


def T(x):
    """``x`` with its last two axes swapped (autograd.numpy.linalg's helper).

    >>> import ndgrad.autograd.numpy as np
    >>> T(np.ones((4, 2, 3))).shape
    (4, 3, 2)
    """
    import ndgrad as nd
    return nd.swapaxes(x, -1, -2)


def _dot(a, b):
    """autograd.numpy.linalg's private stacked matrix product, ``...ij,...jk->...ik``."""
    import ndgrad as nd
    return nd.einsum("...ij,...jk->...ik", a, b)

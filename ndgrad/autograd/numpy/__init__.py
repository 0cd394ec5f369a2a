"""autograd.numpy's face: ndgrad's NumPy namespace (every function differentiates), with
``random``, ``linalg`` and ``fft``.

>>> import ndgrad.autograd.numpy as np
>>> print(np.sum(np.ones((2, 3)), axis=1))
[3. 3.]
"""
import builtins as _builtins
import importlib as _importlib

import numpy as _onp

from ndgrad import *  # noqa: F401,F403
# the star import bound ndgrad's linalg / fft / random; autograd.numpy's own modules
# (a superset: linalg adds autograd's helpers T and _dot) take their place
linalg, fft, random = (_importlib.import_module(f"{__name__}.{m}")
                       for m in ("linalg", "fft", "random"))

__version__ = _onp.__version__  # autograd.numpy reports the NumPy it wraps


def make_diagonal(D, offset=0, axis1=0, axis2=1):
    """The inverse of ``diagonal``: an array one dimension larger whose diagonal on axes
    ``axis1``, ``axis2`` holds ``D``'s last axis (zeros elsewhere); differentiable.
    Only ``offset=0``, as in autograd.

    >>> make_diagonal(array([1.0, 2.0]), axis1=-1, axis2=-2)
    array([[1., 0.],
           [0., 2.]])
    """
    import ndgrad as nd
    D = nd.asarray(D)
    if offset != 0:
        raise ValueError(f"make_diagonal supports offset=0 only (as autograd); got {offset!r}")
    if D.ndim == 0:
        raise ValueError("make_diagonal needs an array with at least one axis; got a 0-d one")
    nd_out = D.ndim + 1
    a1, a2 = (int(a) + nd_out if int(a) < 0 else int(a) for a in (axis1, axis2))
    if not (0 <= a1 < nd_out and 0 <= a2 < nd_out) or a1 == a2:
        raise ValueError(f"make_diagonal: axis1={axis1!r} and axis2={axis2!r} must be two "
                         f"different axes of the {nd_out}-d result")
    n = D.shape[-1]
    full = nd.expand_dims(D, -1) * nd.eye(n, dtype=D.dtype)  # diagonal on the last two axes
    return nd.moveaxis(full, (-2, -1), (a1, a2))


def _has_array(x):
    import ndgrad as nd
    if _builtins.isinstance(x, (nd.ndarray, _onp.ndarray, _onp.generic)):
        return True
    if _builtins.isinstance(x, (_builtins.list, _builtins.tuple)):
        return _builtins.any(_has_array(i) for i in x)
    return False


def where(condition, *args, **kwargs):
    """NumPy's ``where``, as autograd.numpy has it: ``x`` and ``y`` may also be passed
    by keyword, and when no argument holds an array (only Python numbers, bools and
    lists) the result is a Python value (``tolist()``), keeping native Python types.

    >>> where(True, 1, 2), where([True, False], [1, 2], [3, 4])
    (1, [1, 4])
    >>> where(condition=array([True, False]), x=array([1.0, 2.0]), y=array([3.0, 4.0]))
    array([1., 4.])
    >>> where(array([0, 3]))
    (array([1]),)
    """
    import ndgrad as nd
    if "condition" in kwargs:
        raise TypeError("where() got multiple values for argument 'condition'")
    unknown = set(kwargs) - {"x", "y"}
    if unknown:
        raise TypeError(f"where() got unexpected keyword arguments {sorted(unknown)}")
    if not args and not kwargs:
        return nd.where(condition)
    if len(args) + len(kwargs) != 2 or len(args) > 2 or (len(args) == 2 and kwargs) or \
            (len(args) == 1 and "x" in kwargs):
        raise ValueError("either both or neither of x and y should be given")
    x = args[0] if args else kwargs["x"]
    y = args[1] if len(args) > 1 else kwargs["y"]
    res = nd.where(condition, x, y)
    if _has_array(condition) or _has_array(x) or _has_array(y):
        return res
    return res.tolist()

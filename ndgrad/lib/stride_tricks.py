"""``numpy.lib.stride_tricks``: ``sliding_window_view`` and ``as_strided`` as views that
differentiate, and ``broadcast_to``/``broadcast_arrays``/``broadcast_shapes``.

On the NumPy backend both give NumPy's own view of the buffer (so later writes into the
array show through the windows, as in NumPy); their gradient adds each window's
cotangent back to the elements it reads (an element in several windows gets the sum).
Other backends get the same values as a gather (a copy). ``as_strided`` reads memory by
byte strides, as NumPy's does; its gradient needs every element it reads to be an
element of ``x`` (not memory beside it), and while ``x`` takes part in a gradient
computation its result is read-only (a write through overlapping windows has no
well-defined gradient).
"""
from __future__ import annotations

import numpy as np

from .._ops.registry import defop, apply
from .._ops.indexing import scatter_add
from .._numpy._core import arr, std

__all__ = ["sliding_window_view", "as_strided", "broadcast_to", "broadcast_arrays",
           "broadcast_shapes"]

_npst = np.lib.stride_tricks


def _strided_forward(xp, x, index, view, in_shape):
    if type(x) is np.ndarray and view is not None:
        kind, args = view
        if kind == "window":
            window_shape, axis, writeable = args
            return _npst.sliding_window_view(x, window_shape, axis, writeable=writeable)
        shape, strides, writeable = args
        return _npst.as_strided(x, shape, strides, writeable=writeable)
    if (index < 0).any():
        raise ValueError("as_strided reads memory outside the array; only the NumPy "
                         "backend can do that")
    flat = xp.reshape(x, (-1,))
    taken = xp.take(flat, xp.asarray(index.reshape(-1)), axis=0)
    return xp.reshape(taken, index.shape)


def _strided_vjp(xp, g, ans, x, index, view, in_shape):
    if (index < 0).any():
        raise ValueError("as_strided: no gradient, because the view reads memory outside "
                         f"the array of shape {in_shape} (strides that step past it)")
    n = int(np.prod(in_shape))
    gx = scatter_add(xp, xp.reshape(g, (-1,)), (index.reshape(-1),), (n,), False)
    return (xp.reshape(gx, in_shape),)


# a view of its input on the NumPy backend (writes into the input show through, and
# the view is re-derived after them); ``index`` says which element of x (C order) each
# element of the result reads, -1 for memory outside x
_strided = defop("numpy.strided_view", _strided_forward, _strided_vjp, save="none",
                 view=True)


def sliding_window_view(x, window_shape, axis=None, *, subok=False, writeable=False):
    """Sliding windows over ``x``: NumPy's view (read-only unless ``writeable=True``),
    differentiable.

    >>> import ndgrad as np
    >>> x = np.asarray([1.0, 2.0, 3.0], requires_grad=True)
    >>> np.lib.stride_tricks.sliding_window_view(x, 2).sum().backward(); x.grad
    array([1., 2., 1.])
    """
    if _numpy_data(x):
        return _npst.sliding_window_view(x, window_shape, axis, subok=subok,
                                         writeable=writeable)
    x = arr(x)
    index = _npst.sliding_window_view(np.arange(x.size).reshape(x.shape), window_shape,
                                      axis)
    if writeable and x._node is not None:
        raise ValueError("sliding_window_view(writeable=True) of an array that takes part "
                         "in a gradient computation: writes through overlapping windows "
                         "have no well-defined gradient; write into x instead")
    args = (window_shape, axis, writeable)
    return apply(_strided, (x,), {"index": np.array(index), "view": ("window", args),
                                  "in_shape": x.shape})


def _numpy_data(x):
    """Data ndgrad arrays do not hold (objects, strings, records): NumPy's function."""
    if isinstance(x, np.ndarray):
        return x.dtype.kind not in "biufc" or x.dtype.fields is not None
    if isinstance(x, (list, tuple)):
        from .._numpy.creation import _non_numeric_data
        return _non_numeric_data(x)
    return False


def _element_index(d, shape, strides):
    """For a view of NumPy array ``d`` with byte ``shape``/``strides`` from its start:
    the C-order position in ``d`` of each element read (-1 outside ``d``)."""
    # byte offset of every element of d from its first element, and its C position
    offs = np.zeros(d.shape, dtype=np.int64)
    for k, (n, s) in enumerate(zip(d.shape, d.strides)):
        offs = offs + (np.arange(n, dtype=np.int64) * s).reshape(
            (1,) * k + (n,) + (1,) * (d.ndim - k - 1))
    o = offs.reshape(-1)
    order = np.argsort(o, kind="stable")
    sorted_offs = o[order]
    view = np.zeros(shape, dtype=np.int64)
    for k, (n, s) in enumerate(zip(shape, strides)):
        view = view + (np.arange(n, dtype=np.int64) * s).reshape(
            (1,) * k + (n,) + (1,) * (len(shape) - k - 1))
    flat = view.reshape(-1)
    if not o.size:
        return np.full(shape, -1, dtype=np.int64)
    pos = np.minimum(np.searchsorted(sorted_offs, flat), o.size - 1)
    return np.where(sorted_offs[pos] == flat, order[pos], -1).reshape(shape)


def as_strided(x, shape=None, strides=None, subok=False, writeable=True):
    """NumPy's ``as_strided``: a view of ``x``'s memory with ``shape`` and byte
    ``strides``; differentiable where it reads elements of ``x``.

    >>> import ndgrad as np
    >>> np.lib.stride_tricks.as_strided(np.arange(4), (3, 2), (8, 8))
    array([[0, 1],
           [1, 2],
           [2, 3]])
    """
    if _numpy_data(x):
        return _npst.as_strided(x, shape, strides, subok, writeable)
    x = arr(x)
    d = x._data
    host = d if type(d) is np.ndarray else np.empty(x.shape, dtype=x.dtype)
    shape = tuple(host.shape if shape is None else shape)
    strides = tuple(host.strides if strides is None else strides)
    index = _element_index(host, shape, strides)
    if x._node is not None:
        writeable = False
    return apply(_strided, (x,), {"index": index, "view": ("strided",
                                                           (shape, strides, writeable)),
                                  "in_shape": x.shape})


def broadcast_to(array, shape, subok=False):
    """``array`` broadcast to ``shape`` (a read-only view, as NumPy's).

    >>> import ndgrad as np
    >>> np.lib.stride_tricks.broadcast_to(np.arange(2), (2, 2))
    array([[0, 1],
           [0, 1]])
    """
    if _numpy_data(array):
        return np.broadcast_to(array, shape, subok)
    return std("broadcast_to")(arr(array), tuple(shape) if not isinstance(shape, int)
                               else (shape,))


def broadcast_arrays(*args, subok=False):
    """The arrays broadcast against each other.

    >>> import ndgrad as np
    >>> [a.shape for a in np.lib.stride_tricks.broadcast_arrays(np.ones(2), np.ones((3, 1)))]
    [(3, 2), (3, 2)]
    """
    if any(_numpy_data(a) for a in args):
        return np.broadcast_arrays(*[np.asarray(a) if not _numpy_data(a) else a
                                        for a in args], subok=subok)
    return std("broadcast_arrays")(*[arr(a) for a in args])


def broadcast_shapes(*shapes):
    """The shape the shapes broadcast to.

    >>> import ndgrad as np
    >>> np.lib.stride_tricks.broadcast_shapes((2, 1), (3,))
    (2, 3)
    """
    return np.broadcast_shapes(*shapes)

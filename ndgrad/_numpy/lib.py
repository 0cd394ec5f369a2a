"""``np.lib``: the parts of NumPy's ``numpy.lib`` that programs reach for, on ndgrad arrays.

``np.lib.stride_tricks.sliding_window_view`` and ``as_strided`` are gathers here: NumPy
computes which element lands where (on an array of indices), and the values are taken
with a differentiable ``take``, so gradients flow (a window that repeats an element adds
its gradients). The results are copies, not views of the input.
"""
from __future__ import annotations

import types

import numpy as np

from ._core import std, arr


def _gather(x, index):
    flat = std("reshape")(x, (-1,))
    taken = std("take")(flat, arr(index.reshape(-1), like=x), axis=0)
    return std("reshape")(taken, index.shape)


def sliding_window_view(x, window_shape, axis=None, *, subok=False, writeable=False):
    """Sliding windows over ``x`` (NumPy's shapes; a differentiable gather).

    >>> import ndgrad as np
    >>> np.lib.stride_tricks.sliding_window_view(np.arange(4), 2)
    array([[0, 1],
           [1, 2],
           [2, 3]])
    """
    x = arr(x)
    index = np.arange(x.size).reshape(x.shape)
    return _gather(x, np.lib.stride_tricks.sliding_window_view(index, window_shape, axis))


def as_strided(x, shape=None, strides=None, subok=False, writeable=True):
    """NumPy's ``as_strided`` over the C-ordered elements of ``x`` (strides in bytes of
    ``x``'s dtype); a differentiable gather, not a view.

    >>> import ndgrad as np
    >>> np.lib.stride_tricks.as_strided(np.arange(4), (3, 2), (8, 8))
    array([[0, 1],
           [1, 2],
           [2, 3]])
    """
    x = arr(x)
    index = np.arange(x.size, dtype=np.int64).reshape(x.shape)
    item = x.dtype.itemsize
    if strides is not None:
        strides = tuple(s // item * index.itemsize for s in strides)
    else:
        strides = tuple(s // item * index.itemsize for s in
                        np.empty(x.shape, dtype=x.dtype).strides)
    view = np.lib.stride_tricks.as_strided(index, shape if shape is not None else x.shape,
                                           strides)
    return _gather(x, np.array(view))


stride_tricks = types.SimpleNamespace(sliding_window_view=sliding_window_view,
                                      as_strided=as_strided)
scimath = np.emath
lib = types.SimpleNamespace(stride_tricks=stride_tricks, scimath=scimath,
                            NumpyVersion=np.lib.NumpyVersion)

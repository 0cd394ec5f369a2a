"""``tf.sort`` and ``tf.argsort`` (TensorFlow's ``sort_ops.py``): built, as TensorFlow
builds them, from ``top_k`` over the last axis (other axes are swapped there and back), so
values, the order of ties (the lower index first), dtypes and gradients are TF's."""
from __future__ import annotations

import numpy as np

from . import math_ops as M
from . import op_dtypes as _op_dtypes
from .extra_ops import _static_dims, top_k
from .framework import build, convert_to_tensor

__all__ = ["sort", "argsort"]

_DIRECTIONS = ("ASCENDING", "DESCENDING")


def sort(values, axis=-1, direction="ASCENDING", name=None):
    """``values`` sorted along ``axis`` (a constant), ascending or descending.

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     print(s.run(tf.sort(tf.constant([[3.0, 1.0, 2.0]]), direction="DESCENDING")))
    [[3. 2. 1.]]
    """
    return build(name, "sort", lambda: _sort_or_argsort(values, axis, direction, False),
                 graph_args=(values,))


def argsort(values, axis=-1, direction="ASCENDING", stable=False, name=None):
    """The int32 indices that sort ``values`` along ``axis`` (equal values keep their
    order: TF's ``top_k`` is stable, so ``stable`` changes nothing).

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     print(s.run(tf.argsort(tf.constant([3, 1, 2, 1]))))
    [1 3 2 0]
    """
    del stable
    return build(name, "argsort", lambda: _sort_or_argsort(values, axis, direction, True),
                 graph_args=(values,))


def _sort_or_argsort(values, axis, direction, return_argsort):
    if direction not in _DIRECTIONS:
        raise ValueError(f"{direction} should be one of {', '.join(_DIRECTIONS)}")
    if isinstance(axis, (bool, np.bool_)) or not isinstance(axis, (int, np.integer)):
        raise ValueError(f"axis must be a constant scalar (a Python int), got {axis!r}")
    axis = int(axis)
    values = convert_to_tensor(values)
    _op_dtypes.check("argsort" if return_argsort else "sort", M._dt(values), "values")
    dims = _static_dims(values)
    if dims is None:
        raise ValueError("sort: the rank of values must be known when the graph is built")
    rank = len(dims)
    if not -rank <= axis < rank:
        raise ValueError(f"sort: axis {axis} is out of range for a tensor of rank {rank}")
    if direction == "DESCENDING":
        return _descending(values, axis, dims, return_argsort)
    dt = M._dt(values)
    if dt.kind == "u":
        offset = np.array(np.iinfo(dt).max, dt)   # (uint64's max is no C long)
        out = _descending(M.subtract(offset, values), axis, dims, return_argsort)
        return out if return_argsort else M.subtract(offset, out)
    if dt.kind == "i":
        # (-x - 1, not -x: the most negative integer has no negation)
        out = _descending(M.negative(values) - 1, axis, dims, return_argsort)
        return out if return_argsort else M.negative(out) - 1
    out = _descending(M.negative(values), axis, dims, return_argsort)
    return out if return_argsort else M.negative(out)


def _descending(values, axis, dims, return_argsort):
    rank = len(dims)
    axis = axis % rank
    k = dims[axis]
    if k is None:
        raise ValueError(f"sort: the length of axis {axis} must be known when the graph is "
                         f"built (shape {dims})")
    perm = None
    if axis != rank - 1:
        # swap axis and the last one (its own inverse)
        perm = list(range(rank))
        perm[axis], perm[-1] = perm[-1], perm[axis]
        values = M.transpose(values, perm)
    top = top_k(values, k)
    out = top.indices if return_argsort else top.values
    return M.transpose(out, perm) if perm is not None else out

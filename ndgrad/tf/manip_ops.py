"""TF's ``manip_ops``: ``tf.roll`` (also ``tf.manip.roll``), elements shifted along axes
with wrap-around, its shifts and axes given as values or as tensors known only in a run;
the ``tf.manip`` namespace; and ``tf.meshgrid`` (TF's ``array_ops.meshgrid``).

>>> import ndgrad.tf as tf
>>> with tf.Session() as s:
...     print(s.run(tf.manip.roll([[1, 2, 3], [4, 5, 6]], shift=[1, -1], axis=[0, 1])))
[[5 6 4]
 [2 3 1]]
"""
from __future__ import annotations

import types

import numpy as np

from .._ops.registry import defop, apply
from ..graph import errors
from ..graph import core as _core
from ..graph.core import Tensor
from .framework import build, convert_to_tensor
from .ops import call

__all__ = ["roll", "meshgrid"]


def _shape_str(shape):
    return "[" + ",".join(str(d) for d in shape) + "]"


def _roll_fwd(xp, x, shift, axis):
    """TF's Roll kernel: each ``shift[i]`` moves the elements along ``axis[i]`` (an axis
    named twice gets the sum of its shifts); axes in ``[-rank, rank)``."""
    x = np.asarray(x)
    shift, axis = np.asarray(shift), np.asarray(axis)
    if x.ndim < 1:
        raise errors.InvalidArgumentError(None, None, "input must be 1-D or higher")
    if shift.ndim > 1:
        raise errors.InvalidArgumentError(
            None, None, f"shift must be a scalar or a 1-D vector. Found: "
            f"{_shape_str(shift.shape)}")
    if axis.ndim > 1:
        raise errors.InvalidArgumentError(
            None, None, f"axis must be a scalar or a 1-D vector. Found: "
            f"{_shape_str(axis.shape)}")
    if shift.size != axis.size:
        raise errors.InvalidArgumentError(
            None, None, "shift and axis must have the same size")
    axes = []
    for a in axis.reshape(-1).tolist():
        a = a + x.ndim if a < 0 else a
        if not 0 <= a < x.ndim:
            raise errors.InvalidArgumentError(None, None, f"axis {a} is out of range")
        axes.append(a)
    if not axes:
        return x.copy()
    return np.roll(x, tuple(int(s) for s in shift.reshape(-1).tolist()), tuple(axes))


def _roll_vjp(xp, g, ans, x, shift, axis):
    # TF's _RollGrad: the cotangent rolled back by -shift
    return (call(ROLL, xp, (g, -shift, axis)), None, None)


ROLL = defop("tf.roll", _roll_fwd, _roll_vjp, save="inputs",
             shape_rule=lambda args, params: [(args[0]._shape, args[0]._np_dtype)])
_core.TF_TYPES.update({"tf.roll": "Roll"})


def _rank(t):
    if isinstance(t, Tensor):
        return None if t._shape is None else len(t._shape)
    return len(t.shape)


def _index_tensor(v, what):
    t = convert_to_tensor(v, name=what)
    dt = np.dtype(t._np_dtype if isinstance(t, Tensor) else t.dtype)
    if dt not in (np.int32, np.int64):
        raise TypeError(f"Value passed to parameter '{what}' has DataType {dt.name} not in "
                        f"list of allowed values: int32, int64")
    return t


def _check_shapes(x, s, a, name):
    """TF's shape function of Roll, when the graph is built."""
    shapes = [getattr(t, "_shape", None) for t in (x, s, a)]

    def text():
        return ", ".join("?" if sh is None else _shape_str(sh) for sh in shapes)
    rx, rs, ra = (None if sh is None else len(sh) for sh in shapes)
    if rx is not None and rx < 1:
        raise ValueError(f"Shape must be at least rank 1 but is rank {rx} for '{name}' "
                         f"(op: 'Roll') with input shapes: {text()}.")
    for r in (rs, ra):
        if r is not None and r > 1:
            raise ValueError(f"Shape must be at most rank 1 but is rank {r} for '{name}' "
                             f"(op: 'Roll') with input shapes: {text()}.")
    if rs is not None and ra is not None and rs == ra:
        ds, da = shapes[1][0] if rs else 1, shapes[2][0] if ra else 1
        if ds is not None and da is not None and ds != da:
            raise ValueError(f"Dimension 0 in both shapes must be equal, but are {ds} and "
                             f"{da}. Shapes are {_shape_str(shapes[1])} and "
                             f"{_shape_str(shapes[2])}. for '{name}' (op: 'Roll') with "
                             f"input shapes: {text()}.")


def roll(input, shift, axis, name=None):  # noqa: A002
    """``input`` with its elements shifted by ``shift[i]`` along ``axis[i]``, wrapping
    around (TF's Roll). ``shift`` and ``axis`` are scalars or 1-D int32/int64 of one
    length (values or tensors); a negative shift moves toward the start, an axis named
    twice gets the sum of its shifts. The gradient is the cotangent rolled by ``-shift``.

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default():
    ...     x = tf.constant([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    ...     y = tf.roll(x, shift=[1, -4], axis=[0, 1])
    ...     print(y)
    ...     with tf.Session() as s:
    ...         print(s.run(y))
    ...         print(s.run(tf.roll([1, 2, 3, 4, 5], shift=2, axis=0)))
    Tensor("Roll:0", shape=(2, 3), dtype=float32)
    [[5. 6. 4.]
     [2. 3. 1.]]
    [4 5 1 2 3]
    """
    def f():
        x = convert_to_tensor(input, name="input")
        s = _index_tensor(shift, "shift")
        a = _index_tensor(axis, "axis")
        if isinstance(x, Tensor):
            _check_shapes(x, s, a, name or "Roll")
        return apply(ROLL, (x, s, a))
    return build(name, "Roll", f, graph_args=(input,))


manip = types.ModuleType("ndgrad.tf.manip", "tf.manip: TF 1's manipulation names "
                         "(roll, and the same functions as tf.gather_nd, tf.reshape, "
                         "tf.reverse, tf.scatter_nd, tf.tile).")
manip.roll = roll


def meshgrid(*args, **kwargs):
    """Coordinate grids from 1-d tensors, as TF's ``meshgrid``: ``indexing="xy"``
    (Cartesian, the default: the first two outputs' dimensions swapped) or ``"ij"``
    (matrix); each output is its input reshaped and multiplied by ones of the grid's
    shape, so gradients flow back to every input.

    >>> import ndgrad.tf as tf
    >>> x, y = tf.meshgrid([1, 2, 3], [4, 5])
    >>> with tf.Session() as s:
    ...     print(s.run(x)); print(s.run(y))
    [[1 2 3]
     [1 2 3]]
    [[4 4 4]
     [5 5 5]]
    """
    from .math_ops import ones, reshape, size, stack
    indexing = kwargs.pop("indexing", "xy")
    name = kwargs.pop("name", "meshgrid")
    if kwargs:
        raise TypeError(f"Invalid keywords to meshgrid: {', '.join(sorted(kwargs))}")
    if indexing not in ("xy", "ij"):
        raise ValueError(f"indexing parameter must be either 'xy' or 'ij', got {indexing!r}")
    ndim = len(args)
    if not ndim:
        return []
    s0 = (1,) * ndim
    g = _core.get_default_graph()
    with g.name_scope(name):
        # (TF's stack of a tensor is the tensor; of a list, the packed list)
        args = [x if isinstance(x, Tensor) else stack(x) for x in args]
        out = [reshape(x, s0[:i] + (-1,) + s0[i + 1:]) for i, x in enumerate(args)]
        shapes = [size(x) for x in args]
        dtype = convert_to_tensor(args[0]).dtype
        if indexing == "xy" and ndim > 1:
            out[0] = reshape(out[0], (1, -1) + (1,) * (ndim - 2))
            out[1] = reshape(out[1], (-1, 1) + (1,) * (ndim - 2))
            shapes[0], shapes[1] = shapes[1], shapes[0]
        mult = ones(stack(shapes), dtype)
        return [x * mult for x in out]

"""Manipulation functions: reshape, broadcast_to, stack, concat, permute_dims ..."""
from __future__ import annotations

from .registry import defop, apply
from ._common import normalize_axis_index


def _reshape_vjp(xp, g, ans, x, shape, copy, in_shape):
    return (xp.reshape(g, in_shape),)


_reshape_op = defop("reshape", lambda xp, x, shape, copy, in_shape: xp.reshape(
    x, shape, **({} if copy is None else {"copy": copy})), _reshape_vjp, save="none",
    view=True)


def reshape(x, /, shape, *, copy=None):
    """``x`` with a new shape (one dimension may be -1); a view where NumPy gives one.

    >>> import ndgrad as nd
    >>> nd.reshape(nd.zeros((2, 2)), (1, 4))
    array([[0., 0., 0., 0.]])
    """
    if isinstance(shape, int):
        shape = (shape,)
    shape = tuple(int(s) for s in shape)
    in_shape = x.shape
    known = 1
    for s in shape:
        if s != -1:
            known *= s
    size = 1
    for s in in_shape:
        size *= s
    if shape.count(-1) > 1:
        raise ValueError(f"reshape: only one dimension can be -1, got {shape}")
    if (-1 not in shape and known != size) or (-1 in shape and (known == 0 or size % known)):
        raise ValueError(f"cannot reshape an array of shape {in_shape} (size {size}) into "
                         f"shape {shape}")
    return apply(_reshape_op, (x,), {"shape": shape, "copy": copy, "in_shape": in_shape})


def _broadcast_to_vjp(xp, g, ans, x, shape, in_shape):
    return (g,)  # the central unbroadcast step sums back to x's shape


_broadcast_to_op = defop("broadcast_to", lambda xp, x, shape, in_shape: xp.broadcast_to(
    x, shape), _broadcast_to_vjp, save="none", view=True)


def broadcast_to(x, /, shape):
    """``x`` broadcast to ``shape`` (a read-only view on NumPy).

    >>> import ndgrad as nd
    >>> nd.broadcast_to(nd.asarray([1, 2]), (2, 2))
    array([[1, 2],
           [1, 2]])
    """
    shape = tuple(int(s) for s in shape)
    in_shape = x.shape
    if len(in_shape) > len(shape) or any(
            a != b and a != 1 for a, b in zip(in_shape[::-1], shape[::-1])):
        raise ValueError(f"cannot broadcast an array of shape {in_shape} to shape {shape}")
    return apply(_broadcast_to_op, (x,), {"shape": shape, "in_shape": in_shape})


def _stack_forward(xp, *arrays, axis):
    return xp.stack(arrays, axis=axis)


def _stack_vjp(xp, g, ans, *arrays, axis):
    n = g.shape[axis]
    return tuple(_index_axis(g, axis, i) for i in range(n))


def _index_axis(g, axis, i):
    key = (slice(None),) * (axis % g.ndim) + (i,)
    return g[key]


_stack_op = defop("stack", _stack_forward, _stack_vjp, save="none")


def stack(arrays, /, *, axis=0):
    """Join arrays of one shape along a new axis.

    >>> import ndgrad as nd
    >>> nd.stack([nd.asarray([1, 2]), nd.asarray([3, 4])])
    array([[1, 2],
           [3, 4]])
    """
    arrays = tuple(arrays)
    if not arrays:
        raise ValueError("stack needs at least one array")
    shapes = {a.shape for a in arrays}
    if len(shapes) > 1:
        raise ValueError(f"stack: all arrays must have the same shape; got "
                         f"{[a.shape for a in arrays]}")
    normalize_axis_index(axis, arrays[0].ndim + 1)
    return apply(_stack_op, arrays, {"axis": axis})


__all__ = ['reshape', 'broadcast_to', 'stack']

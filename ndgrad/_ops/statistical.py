"""Statistical functions (reductions): sum, prod, mean, var, std, max, min, cumulative_*."""
from __future__ import annotations

from .registry import defop, apply
from ._common import normalize_axis, restore_reduced
from .. import _dtypes


def _sum_forward(xp, x, axis, dtype, keepdims):
    return xp.sum(x, axis=axis, dtype=dtype, keepdims=keepdims)


def _sum_vjp(xp, g, ans, x, axis, dtype, keepdims, shape, axes):
    g = restore_reduced(xp, g, shape, axes, keepdims)
    return (xp.broadcast_to(g, shape),)


_sum_op = defop("sum", lambda xp, x, axis, dtype, keepdims, shape, axes: _sum_forward(
    xp, x, axis, dtype, keepdims), _sum_vjp, save="none")


def sum(x, /, *, axis=None, dtype=None, keepdims=False):  # noqa: A001
    """Sum over ``axis`` (all axes by default).

    >>> import ndgrad as nd
    >>> nd.sum(nd.ones((2, 2)), axis=1)
    array([2., 2.])
    """
    shape = x.shape
    axes = normalize_axis(axis, len(shape))
    return apply(_sum_op, (x,), {"axis": axis if axis is None else axes, "dtype":
                                 _dtypes.as_dtype(dtype), "keepdims": keepdims,
                                 "shape": shape, "axes": axes})


__all__ = ['sum']

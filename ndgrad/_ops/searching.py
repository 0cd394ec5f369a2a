"""Searching functions: argmax, argmin, nonzero, where, searchsorted, count_nonzero.

All give indices or counts (no gradient) except ``where``, which routes the gradient to
the branch it selected.
"""
from __future__ import annotations

from .registry import defop, apply, nondiff
from ._common import normalize_axis, normalize_axis_index

_INDICES = "integer indices: piecewise constant"


def _as_array(x):
    if hasattr(x, "shape"):
        return x
    from .creation import asarray
    return asarray(x)


def _where_vjp(xp, g, ans, cond, x1, x2):
    return (None, xp.where(cond, g, 0.0), xp.where(cond, 0.0, g))


_where_op = defop("where", lambda xp, c, a, b: xp.where(c, a, b), _where_vjp)


def where(condition, x1, x2, /):
    """Elements of ``x1`` where ``condition`` holds, of ``x2`` elsewhere.

    The gradient of the unselected branch is zero (as in JAX: guard NaN-producing
    branches by also selecting their inputs).

    >>> import ndgrad as nd
    >>> nd.where(nd.asarray([True, False]), nd.asarray([1., 2.]), 0.0)
    array([1., 0.])
    """
    return apply(_where_op, (condition, x1, x2))


# -- argmax, argmin ----------------------------------------------------------------------------
def _arg_forward(name):
    def forward(xp, x, axis, keepdims):
        return getattr(xp, name)(x, axis=axis, keepdims=keepdims)
    return forward


_argmax_op = defop("argmax", _arg_forward("argmax"), None, **nondiff(_INDICES))
_argmin_op = defop("argmin", _arg_forward("argmin"), None, **nondiff(_INDICES))


def _arg_params(name, x, axis, keepdims):
    x = _as_array(x)
    if axis is not None:
        if isinstance(axis, tuple):
            raise TypeError(f"{name} takes one axis (an int) or None, not {axis!r}")
        axis = normalize_axis_index(axis, x.ndim)
    if (x.size == 0 if axis is None else x.shape[axis] == 0):
        raise ValueError(f"{name} of an empty array (shape {tuple(x.shape)}) has no answer")
    return x, {"axis": axis, "keepdims": keepdims}


def argmax(x, /, *, axis=None, keepdims=False):
    """Index of the first largest element (of the flattened array when ``axis`` is None).

    >>> import ndgrad as nd
    >>> nd.argmax(nd.asarray([[1., 5.], [7., 3.]]), axis=1)
    array([1, 0])
    """
    x, params = _arg_params("argmax", x, axis, keepdims)
    return apply(_argmax_op, (x,), params)


def argmin(x, /, *, axis=None, keepdims=False):
    """Index of the first smallest element (of the flattened array when ``axis`` is None).

    >>> import ndgrad as nd
    >>> nd.argmin(nd.asarray([[1., 5.], [7., 3.]]), axis=1)
    array([0, 1])
    """
    x, params = _arg_params("argmin", x, axis, keepdims)
    return apply(_argmin_op, (x,), params)


# -- nonzero ---------------------------------------------------------------------------------
_nonzero_op = defop("nonzero", lambda xp, x: tuple(xp.nonzero(x)), None, multi=True,
                    **nondiff(_INDICES))


def nonzero(x, /):
    """Indices of the nonzero elements, one index array per axis.

    >>> import ndgrad as nd
    >>> nd.nonzero(nd.asarray([[0, 2], [3, 0]]))
    (array([0, 1]), array([1, 0]))
    """
    x = _as_array(x)
    if x.ndim == 0:
        raise ValueError("nonzero of a 0-d array is not defined; use nonzero(reshape(x, (1,)))"
                         " or x != 0")
    return apply(_nonzero_op, (x,))


# -- searchsorted ----------------------------------------------------------------------------
def _searchsorted_forward(xp, x1, x2, sorter, side):
    kw = {} if sorter is None else {"sorter": sorter}
    return xp.searchsorted(x1, x2, side=side, **kw)


_searchsorted_op = defop("searchsorted", _searchsorted_forward, None, **nondiff(_INDICES))


def searchsorted(x1, x2, /, *, side="left", sorter=None):
    """Where each ``x2`` value would be inserted into the sorted 1-D ``x1``
    (``sorter``: indices that sort ``x1``) to keep it sorted.

    >>> import ndgrad as nd
    >>> nd.searchsorted(nd.asarray([1., 2., 3.]), nd.asarray([2., 2.5]), side="right")
    array([2, 2])
    """
    x1 = _as_array(x1)
    if x1.ndim != 1:
        raise ValueError(f"searchsorted needs a 1-D x1; got shape {tuple(x1.shape)}")
    if side not in ("left", "right"):
        raise ValueError(f"side must be 'left' or 'right', not {side!r}")
    if sorter is not None:
        sorter = _as_array(sorter)
        if tuple(sorter.shape) != tuple(x1.shape):
            raise ValueError(f"searchsorted: sorter of shape {tuple(sorter.shape)} must have "
                             f"x1's shape {tuple(x1.shape)}")
    return apply(_searchsorted_op, (x1, x2, sorter), {"side": side})


# -- count_nonzero ---------------------------------------------------------------------------
_count_nonzero_op = defop("count_nonzero", lambda xp, x, axis, keepdims: xp.count_nonzero(
    x, axis=axis, keepdims=keepdims), None, **nondiff("integer count"))


def count_nonzero(x, /, *, axis=None, keepdims=False):
    """Number of nonzero elements over ``axis`` (all axes by default).

    >>> import ndgrad as nd
    >>> nd.count_nonzero(nd.asarray([[0, 2], [3, 4]]), axis=1)
    array([1, 2])
    """
    x = _as_array(x)
    axes = normalize_axis(axis, x.ndim)
    return apply(_count_nonzero_op, (x,), {"axis": None if axis is None else axes,
                                           "keepdims": keepdims})


__all__ = ['argmax', 'argmin', 'nonzero', 'where', 'searchsorted', 'count_nonzero']

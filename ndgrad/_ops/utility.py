"""Utility functions: all, any (boolean, no gradient) and diff (linear, differentiable).

``diff`` is linear: its gradient is its transpose (zero-padded differences, written with
``concat``), which differentiates again like any other rule.
"""
from __future__ import annotations

import builtins

from .registry import defop, apply, nondiff
from ._common import normalize_axis, normalize_axis_index

_BOOL = "boolean result"


def _as_array(x):
    if hasattr(x, "shape"):
        return x
    from .creation import asarray
    return asarray(x)


def _truth_forward(name):
    def forward(xp, x, axis, keepdims):
        return getattr(xp, name)(x, axis=axis, keepdims=keepdims)
    return forward


_all_op = defop("all", _truth_forward("all"), None, **nondiff(_BOOL))
_any_op = defop("any", _truth_forward("any"), None, **nondiff(_BOOL))


def _truth_params(x, axis, keepdims):
    x = _as_array(x)
    axes = normalize_axis(axis, x.ndim)
    return x, {"axis": None if axis is None else axes, "keepdims": keepdims}


def all(x, /, *, axis=None, keepdims=False):  # noqa: A001
    """Whether every element along ``axis`` is true (nonzero). No gradient.

    >>> import ndgrad as nd
    >>> nd.all(nd.asarray([[True, False], [True, True]]), axis=1)
    array([False,  True])
    """
    x, params = _truth_params(x, axis, keepdims)
    return apply(_all_op, (x,), params)


def any(x, /, *, axis=None, keepdims=False):  # noqa: A001
    """Whether some element along ``axis`` is true (nonzero). No gradient.

    >>> import ndgrad as nd
    >>> nd.any(nd.asarray([0, 0, 3]))
    np.True_
    """
    x, params = _truth_params(x, axis, keepdims)
    return apply(_any_op, (x,), params)


# -- diff ------------------------------------------------------------------------------------
def _edge(xp, like, value, axis, shape):
    """``prepend``/``append`` ready to join: a scalar or 0-d array (NumPy broadcasts it)
    becomes an array of x's dtype, 1 long on ``axis``."""
    if hasattr(value, "shape") and len(value.shape):
        return value
    if not hasattr(value, "shape"):
        value = xp.asarray(value, dtype=like.dtype, device=like.device)
    s = list(shape)
    s[axis] = 1
    return xp.broadcast_to(value, tuple(s))


def _diff_forward(xp, x, prepend, append, axis, n, shape, n_pre):
    if xp is _npx():
        kw = {}
        if prepend is not None:
            kw["prepend"] = prepend
        if append is not None:
            kw["append"] = append
        return xp.diff(x, axis=axis, n=n, **kw)
    if n == 0:
        return x
    parts = [x]
    if prepend is not None:
        parts.insert(0, _edge(xp, x, prepend, axis, shape))
    if append is not None:
        parts.append(_edge(xp, x, append, axis, shape))
    if len(parts) > 1:
        x = xp.concat(parts, axis=axis)
    return xp.diff(x, axis=axis, n=n)


def _npx():
    from .._backend import numpy_backend
    return numpy_backend.xp


def _diff_transpose(xp, g, axis, n):
    """The transpose of ``n`` forward differences: each step maps length L-1 to L with
    out[i] = g[i-1] - g[i] (zero outside). Written with concat, so on ndgrad Arrays it
    records and differentiates again (its own transpose is diff)."""
    for _ in range(n):
        s = list(g.shape)
        s[axis] = 1
        z = xp.zeros(tuple(s), dtype=g.dtype, device=g.device)
        g = xp.concat([z, g], axis=axis) - xp.concat([g, z], axis=axis)
    return g


def _along(ax, start, stop):
    return (slice(None),) * ax + (slice(start, stop), Ellipsis)


def _diff_vjp(xp, g, ans, x, prepend, append, axis, n, shape, n_pre):
    # (an input given as a Python scalar has no node: its slice is dropped by backward;
    # a 0-d array's slice is summed down to () there)
    if n == 0:
        return (g, None, None)
    full = _diff_transpose(xp, g, axis, n)
    m = shape[axis]
    gx = full[_along(axis, n_pre, n_pre + m)]
    gp = full[_along(axis, 0, n_pre)] if n_pre else None
    ga = full[_along(axis, n_pre + m, None)] if full.shape[axis] > n_pre + m else None
    return (gx, gp, ga)


_diff_op = defop("diff", _diff_forward, _diff_vjp, save="none")


def diff(x, /, *, axis=-1, n=1, prepend=None, append=None):
    """The ``n``-th forward difference along ``axis`` (``out[i] = x[i+1] - x[i]``),
    after joining ``prepend`` and ``append`` to ``x`` along that axis. Differentiable
    in ``x``, ``prepend`` and ``append``.

    >>> import ndgrad as nd
    >>> nd.diff(nd.asarray([1., 4., 9., 16.]))
    array([3., 5., 7.])
    >>> nd.diff(nd.asarray([1., 4., 9.]), n=2, prepend=nd.asarray([0.]))
    array([2., 2.])
    """
    x = _as_array(x)
    if x.ndim == 0:
        raise ValueError("diff needs an array of at least one dimension; x is 0-d")
    ax = normalize_axis_index(axis, x.ndim)
    try:
        n = int(n.__index__())
    except (AttributeError, TypeError):
        raise TypeError(f"diff: n must be an integer, not {n!r}") from None
    if n < 0:
        raise ValueError(f"diff: n must be non-negative, got {n}")
    shape = tuple(x.shape)
    for name, v in (("prepend", prepend), ("append", append)):
        if v is not None and hasattr(v, "shape") and len(v.shape):
            vs = tuple(v.shape)
            off_axis = [i for i in range(len(shape)) if i != ax]
            if len(vs) != len(shape) or builtins.any(vs[i] != shape[i] for i in off_axis):
                raise ValueError(f"diff: {name} of shape {vs} must match x's shape {shape} "
                                 f"except along axis {ax}")
    n_pre = 0
    if prepend is not None:
        n_pre = prepend.shape[ax] if hasattr(prepend, "shape") and len(prepend.shape) else 1
    return apply(_diff_op, (x, prepend, append), {"axis": ax, "n": n, "shape": shape,
                                                  "n_pre": n_pre})


__all__ = ['all', 'any', 'diff']

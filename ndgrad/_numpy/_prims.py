"""Fallbacks for array API standard functions the NumPy layer needs.

``_core.std(name)`` prefers the standard's own function from ``ndgrad._ops``; these
are used only while one is missing. Each is differentiable where the math is, written
with existing ops (reshape, getitem, take_along_axis, sum ...) or, where none fits, as an
op named after NumPy's function (``numpy.concatenate`` ...), with its gradient beside it.
"""
from __future__ import annotations

import numpy as np

from .._ops.registry import defop, apply
from .._ops import registry as _registry
from .._ops._common import normalize_axis, normalize_axis_index, restore_reduced
from .. import _dtypes
from ._core import host_call, is_array


def _is_nd(xp):
    return getattr(xp, "__name__", "") == "ndgrad"


# -- concat ------------------------------------------------------------------------------
def _concat_vjp(xp, g, ans, *arrays, axis, sizes):
    out, start = [], 0
    nd_ = g.ndim
    for n in sizes:
        key = (slice(None),) * axis + (slice(start, start + n),)
        out.append(g[key] if nd_ else g)
        start += n
    return tuple(out)


_concat_op = defop("numpy.concatenate", lambda xp, *a, axis, sizes: xp.concat(a, axis=axis),
                   _concat_vjp, save="none")


def concat(arrays, /, *, axis=0):
    from ._core import arr
    arrays = [arr(a) for a in arrays]
    if axis is None:
        arrays = [reshape(a, (-1,)) for a in arrays]
        axis = 0
    nd_ = arrays[0].ndim
    axis = normalize_axis_index(axis, nd_)
    for a in arrays[1:]:
        if a.ndim != nd_ or any(s != t for i, (s, t) in enumerate(zip(a.shape, arrays[0].shape))
                                if i != axis):
            raise ValueError(f"concatenate: shapes {arrays[0].shape} and {a.shape} do not match "
                             f"outside axis {axis}")
    return apply(_concat_op, tuple(arrays), {"axis": axis,
                                             "sizes": tuple(a.shape[axis] for a in arrays)})


def reshape(x, shape):
    from .._ops.manipulation import reshape as r
    return r(x, shape)


# -- permute_dims ------------------------------------------------------------------------
def _permute(xp, x, axes):
    if is_array(x):
        return permute_dims(x, axes)
    return xp.permute_dims(x, axes)


def _perm_vjp(xp, g, ans, x, axes):
    inv = [0] * len(axes)
    for i, a in enumerate(axes):
        inv[a] = i
    return (_permute(xp, g, tuple(inv)),)


_perm_op = defop("numpy.transpose", lambda xp, x, axes: xp.permute_dims(x, axes), _perm_vjp,
                 save="none", view=True)


def permute_dims(x, /, axes):
    axes = tuple(normalize_axis_index(a, x.ndim) for a in axes)
    if sorted(axes) != list(range(x.ndim)):
        raise ValueError(f"axes {axes} are not a permutation of the {x.ndim} axes of shape "
                         f"{x.shape}")
    return apply(_perm_op, (x,), {"axes": axes})


def expand_dims(x, /, axis=0):
    nd_ = x.ndim + 1
    a = normalize_axis_index(axis, nd_)
    shape = list(x.shape)
    shape.insert(a, 1)
    return reshape(x, tuple(shape))


def squeeze(x, /, axis):
    axes = normalize_axis(axis, x.ndim)
    for a in axes:
        if x.shape[a] != 1:
            raise ValueError(f"cannot squeeze axis {a} of size {x.shape[a]} (shape {x.shape})")
    return reshape(x, tuple(s for i, s in enumerate(x.shape) if i not in axes))


def flip(x, /, *, axis=None):
    axes = normalize_axis(axis, x.ndim)
    key = tuple(slice(None, None, -1) if i in axes else slice(None) for i in range(x.ndim))
    return x[key]


def roll(x, /, shift, *, axis=None):
    if axis is None:
        return reshape(roll(reshape(x, (-1,)), shift, axis=0), x.shape)
    if isinstance(axis, tuple):
        shifts = shift if isinstance(shift, tuple) else (shift,) * len(axis)
        for s, a in zip(shifts, axis):
            x = roll(x, s, axis=a)
        return x
    a = normalize_axis_index(axis, x.ndim)
    n = x.shape[a]
    if n == 0:
        return x
    s = int(shift) % n
    if s == 0:
        return x[(slice(None),) * x.ndim]
    pre = (slice(None),) * a
    return concat([x[pre + (slice(n - s, None),)], x[pre + (slice(0, n - s),)]], axis=a)


# -- reductions --------------------------------------------------------------------------
def _count(shape, axes):
    n = 1
    for a in axes:
        n *= shape[a]
    return n


def mean(x, /, *, axis=None, keepdims=False):
    s = std("sum")(x, axis=axis, keepdims=keepdims)
    n = _count(x.shape, normalize_axis(axis, x.ndim))
    return s / n if n else s * float("nan")


def var(x, /, *, axis=None, correction=0.0, keepdims=False):
    m = mean(x, axis=axis, keepdims=True)
    d = x - m
    if d.dtype.kind == "c":
        d2 = std("real")(d * std("conj")(d))
    else:
        d2 = d * d
    n = _count(x.shape, normalize_axis(axis, x.ndim))
    return std("sum")(d2, axis=axis, keepdims=keepdims) / max(n - correction, 0)


def std_(x, /, *, axis=None, correction=0.0, keepdims=False):
    return std("sqrt")(var(x, axis=axis, correction=correction, keepdims=keepdims))


def _prod_vjp(xp, g, ans, x, axis, keepdims, shape, axes, dtype):
    g = restore_reduced(xp, g, shape, axes, keepdims)
    a = restore_reduced(xp, ans, shape, axes, keepdims)
    # (product of the others) = prod / x where x != 0; exact for inputs without zeros
    safe = xp.where(x == 0, 1.0, x)
    return (xp.where(x == 0, 0.0, g * a / safe),)


_prod_op = defop("numpy.prod", lambda xp, x, axis, keepdims, shape, axes, dtype: xp.prod(
    x, axis=axis, keepdims=keepdims, dtype=dtype), _prod_vjp, save="both")


def prod(x, /, *, axis=None, dtype=None, keepdims=False):
    axes = normalize_axis(axis, x.ndim)
    return apply(_prod_op, (x,), {"axis": axes if axis is not None else None,
                                  "keepdims": keepdims, "shape": x.shape, "axes": axes,
                                  "dtype": _dtypes.as_dtype(dtype)})


def _extreme(x, axis, keepdims, which):
    if x.ndim == 0:
        return x
    axes = normalize_axis(axis, x.ndim)
    if x.size == 0:
        raise ValueError(f"zero-size array (shape {x.shape}) to reduction operation {which} "
                         "which has no identity")
    # move the reduced axes to the end, flatten them, pick the arg-extreme with NumPy
    keep = [i for i in range(x.ndim) if i not in axes]
    y = permute_dims(x, tuple(keep) + axes) if axes != tuple(range(x.ndim - len(axes), x.ndim)) \
        else x
    y = reshape(y, tuple(x.shape[i] for i in keep) + (-1,))
    idx = host_call("arg" + which, getattr(np, "arg" + which), (y,), {"axis": -1,
                                                                      "keepdims": True})
    from .._ops.indexing import take_along_axis
    r = take_along_axis(y, idx, axis=-1)
    if keepdims:
        return reshape(r, tuple(1 if i in axes else s for i, s in enumerate(x.shape)))
    return reshape(r, tuple(x.shape[i] for i in keep))


def max(x, /, *, axis=None, keepdims=False):  # noqa: A001
    return _extreme(x, axis, keepdims, "max")


def min(x, /, *, axis=None, keepdims=False):  # noqa: A001
    return _extreme(x, axis, keepdims, "min")


def argmax(x, /, *, axis=None, keepdims=False):
    return host_call("argmax", np.argmax, (x,), {"axis": axis, "keepdims": keepdims})


def argmin(x, /, *, axis=None, keepdims=False):
    return host_call("argmin", np.argmin, (x,), {"axis": axis, "keepdims": keepdims})


def _cumsum_vjp(xp, g, ans, x, axis, dtype, include_initial):
    if include_initial:
        g = g[(slice(None),) * axis + (slice(1, None),)]
    return (_flip_axis(xp, _cumsum(xp, _flip_axis(xp, g, axis), axis), axis),)


def _flip_axis(xp, g, axis):
    return g[(slice(None),) * axis + (slice(None, None, -1),)]


def _cumsum(xp, g, axis):
    if is_array(g):
        return cumulative_sum(g, axis=axis)
    return xp.cumulative_sum(g, axis=axis)


_cumsum_op = defop("numpy.cumsum", lambda xp, x, axis, dtype, include_initial:
                   xp.cumulative_sum(x, axis=axis, dtype=dtype, include_initial=include_initial),
                   _cumsum_vjp, save="none")


def cumulative_sum(x, /, *, axis=None, dtype=None, include_initial=False):
    if axis is None:
        if x.ndim > 1:
            raise ValueError(f"cumulative_sum needs axis for a {x.ndim}-D array")
        axis = 0
    axis = normalize_axis_index(axis, x.ndim)
    return apply(_cumsum_op, (x,), {"axis": axis, "dtype": _dtypes.as_dtype(dtype),
                                    "include_initial": include_initial})


def _cumprod_vjp(xp, g, ans, x, axis, dtype, include_initial):
    if include_initial:
        g = g[(slice(None),) * axis + (slice(1, None),)]
        ans = ans[(slice(None),) * axis + (slice(1, None),)]
    r = _flip_axis(xp, _cumsum(xp, _flip_axis(xp, g * ans, axis), axis), axis)
    return (r / x,)


_cumprod_op = defop("numpy.cumprod", lambda xp, x, axis, dtype, include_initial:
                    xp.cumulative_prod(x, axis=axis, dtype=dtype,
                                       include_initial=include_initial),
                    _cumprod_vjp, save="both")


def cumulative_prod(x, /, *, axis=None, dtype=None, include_initial=False):
    if axis is None:
        if x.ndim > 1:
            raise ValueError(f"cumulative_prod needs axis for a {x.ndim}-D array")
        axis = 0
    axis = normalize_axis_index(axis, x.ndim)
    return apply(_cumprod_op, (x,), {"axis": axis, "dtype": _dtypes.as_dtype(dtype),
                                     "include_initial": include_initial})


# -- sorting / searching ----------------------------------------------------------------
def argsort(x, /, *, axis=-1, descending=False, stable=True):
    if descending:
        return host_call("argsort_desc", lambda a, axis: np.flip(
            np.argsort(np.flip(a, axis), axis=axis, stable=True), axis) * -1
            + (a.shape[axis] - 1), (x,), {"axis": axis})
    return host_call("argsort", np.argsort, (x,), {"axis": axis, "kind": "stable"})


def sort(x, /, *, axis=-1, descending=False, stable=True):
    from .._ops.indexing import take_along_axis
    if x.ndim == 0:
        return x
    idx = argsort(x, axis=axis, descending=descending)
    return take_along_axis(x, idx, axis=axis)


def searchsorted(x1, x2, /, *, side="left", sorter=None):
    return host_call("searchsorted", np.searchsorted, (x1, x2), {"side": side})


def nonzero(x, /):
    return host_call("nonzero", np.nonzero, (x,), multi=True)


def count_nonzero(x, /, *, axis=None, keepdims=False):
    return host_call("count_nonzero", lambda a, **k: np.asarray(np.count_nonzero(a, **k)),
                     (x,), {"axis": axis, "keepdims": keepdims})


def all(x, /, *, axis=None, keepdims=False):  # noqa: A001
    return host_call("all", np.all, (x,), {"axis": axis, "keepdims": keepdims})


def any(x, /, *, axis=None, keepdims=False):  # noqa: A001
    return host_call("any", np.any, (x,), {"axis": axis, "keepdims": keepdims})


def unique_values(x, /):
    return host_call("unique_values", np.unique_values, (x,))


def unique_counts(x, /):
    return host_call("unique_counts", lambda a: tuple(np.unique_counts(a)), (x,), multi=True)


def unique_inverse(x, /):
    return host_call("unique_inverse", lambda a: tuple(np.unique_inverse(a)), (x,), multi=True)


def unique_all(x, /):
    return host_call("unique_all", lambda a: tuple(np.unique_all(a)), (x,), multi=True)


def moveaxis(x, source, destination, /):
    src = normalize_axis((source,) if isinstance(source, int) else tuple(source), x.ndim)
    dst = normalize_axis((destination,) if isinstance(destination, int)
                         else tuple(destination), x.ndim)
    order = [n for n in range(x.ndim) if n not in src]
    for d, s in sorted(zip(dst, src)):
        order.insert(d, s)
    return permute_dims(x, tuple(order))


def tile(x, repetitions, /):
    reps = tuple(repetitions)
    nd_ = builtins_max(x.ndim, len(reps))
    reps = (1,) * (nd_ - len(reps)) + reps
    x = reshape(x, (1,) * (nd_ - x.ndim) + x.shape)
    for a, r in enumerate(reps):
        if r != 1:
            x = concat([x] * r, axis=a) if r > 0 else x[(slice(None),) * a + (slice(0, 0),)]
    return x


def repeat(x, repeats, /, *, axis=None):
    from .._ops.indexing import take
    if axis is None:
        x = reshape(x, (-1,))
        axis = 0
    n = x.shape[axis]
    r = np.asarray(repeats.__array__() if is_array(repeats) else repeats)
    idx = np.repeat(np.arange(n), r)
    from ._core import arr
    return take(x, arr(idx, like=x), axis=axis)


def diff(x, /, *, axis=-1, n=1, prepend=None, append=None):
    a = normalize_axis_index(axis, x.ndim)
    parts = [p for p in (prepend, x, append) if p is not None]
    if len(parts) > 1:
        x = concat(parts, axis=a)
    pre = (slice(None),) * a
    for _ in range(n):
        x = x[pre + (slice(1, None),)] - x[pre + (slice(None, -1),)]
    return x


def unstack(x, /, *, axis=0):
    a = normalize_axis_index(axis, x.ndim)
    return tuple(x[(slice(None),) * a + (i,)] for i in range(x.shape[a]))


def vecdot(x1, x2, /, *, axis=-1):
    return std("sum")(std("conj")(x1) * x2 if getattr(x1, "dtype", None) is not None and
                      x1.dtype.kind == "c" else x1 * x2, axis=axis)


def tensordot(x1, x2, /, *, axes=2):
    if isinstance(axes, int):
        a1 = tuple(range(x1.ndim - axes, x1.ndim))
        a2 = tuple(range(axes))
    else:
        a1, a2 = axes
        a1 = (a1,) if isinstance(a1, int) else tuple(a1)
        a2 = (a2,) if isinstance(a2, int) else tuple(a2)
    a1 = tuple(normalize_axis_index(a, x1.ndim) for a in a1)
    a2 = tuple(normalize_axis_index(a, x2.ndim) for a in a2)
    for i, j in zip(a1, a2):
        if x1.shape[i] != x2.shape[j]:
            raise ValueError(f"tensordot: shape-mismatch for sum: {x1.shape} axes {a1} vs "
                             f"{x2.shape} axes {a2}")
    free1 = [i for i in range(x1.ndim) if i not in a1]
    free2 = [i for i in range(x2.ndim) if i not in a2]
    k = 1
    for i in a1:
        k *= x1.shape[i]
    p1 = permute_dims(x1, tuple(free1) + a1)
    p2 = permute_dims(x2, a2 + tuple(free2))
    m1 = reshape(p1, (-1, k) if free1 else (1, k))
    m2 = reshape(p2, (k, -1) if free2 else (k, 1))
    from .._ops.linalg import matmul
    out = matmul(m1, m2)
    return reshape(out, tuple(x1.shape[i] for i in free1) + tuple(x2.shape[i] for i in free2))


def isin(x1, x2, /, *, invert=False):
    return host_call("isin", np.isin, (x1, x2), {"invert": invert})


import builtins as _b  # noqa: E402
builtins_max = _b.max


def std(name):  # noqa: F811  (re-bound: the lookup the fallbacks themselves use)
    from ._core import std as _s
    if name == "std":
        return std_
    return _s(name)

"""Indexing: ``x[key]`` (basic, integer-array and boolean), ``take``, ``take_along_axis``.

The gradient of a read is a scatter-add into zeros (repeated indices accumulate); the
scatter is an op too, so gradients of gradients work. Writes (``x[key] = v``) live in
``_autograd.inplace``.
"""
from __future__ import annotations

import numpy as np

from .registry import defop, apply, wrap
from . import registry as _registry
from .._backend import backend_of, numpy_backend

_ndarray = np.ndarray


def _is_basic(key):
    items = key if isinstance(key, tuple) else (key,)
    return all(k is None or k is Ellipsis or isinstance(k, (int, slice, np.integer))
               for k in items)


def normalize_key(key, data):
    """Raw-backend form of an index: Arrays unwrapped, lists made arrays on x's backend."""
    def conv(k):
        if isinstance(k, _registry.Array):
            return k._data
        if isinstance(k, (list,)) or (isinstance(k, np.ndarray) and type(data) is not _ndarray):
            arr = np.asarray(k)
            if type(data) is _ndarray:
                return arr
            return backend_of(data).xp.asarray(arr)
        if isinstance(k, np.bool_):
            return bool(k)
        if hasattr(k, "__index__") and not isinstance(k, (int, bool)) and not hasattr(k, "shape"):
            return k.__index__()
        return k
    if isinstance(key, tuple):
        return tuple(conv(k) for k in key)
    return conv(key)


def key_to_numpy(key):
    def conv(k):
        if hasattr(k, "shape") and type(k) is not _ndarray:
            return backend_of(k).to_numpy(k)
        return k
    return tuple(conv(k) for k in key) if isinstance(key, tuple) else conv(key)


def _scatter_raw(xp, g, key, shape, basic):
    """zeros(shape) with ``g`` added at ``key`` (repeats accumulate), on raw arrays."""
    if type(g) is _ndarray:
        z = np.zeros(shape, dtype=g.dtype)
        if basic:
            z[key] = g
        else:
            np.add.at(z, key, g)
        return z
    bk = backend_of(g)
    if bk.name == "cupy":
        import cupyx
        z = bk.xp.zeros(shape, dtype=g.dtype)
        if basic:
            z[key] = g
        else:
            cupyx.scatter_add(z, key, g)
        return z
    host = _scatter_raw(numpy_backend.xp, bk.to_numpy(g), key_to_numpy(key), shape, basic)
    return bk.xp.asarray(host)


def _scatter_forward(xp, g, key, shape, basic):
    return _scatter_raw(xp, g, key, shape, basic)


def _scatter_vjp(xp, g2, ans, g, key, shape, basic):
    return (apply(_getitem_op, (g2,), {"key": key, "shape": g2.shape, "basic": basic})
            if isinstance(g2, _registry.Array) else g2[key],)


scatter_add_op = defop("scatter_add", _scatter_forward, _scatter_vjp, save="none")


def scatter_add(xp, g, key, shape, basic=False):
    """zeros(shape) with g added at key; differentiable when ``xp`` is ndgrad."""
    if isinstance(g, _registry.Array):
        return apply(scatter_add_op, (g,), {"key": key, "shape": shape, "basic": basic})
    return _scatter_raw(xp, g, key, shape, basic)


def _getitem_forward(xp, x, key, shape, basic):
    return x[key]


def _getitem_vjp(xp, g, ans, x, key, shape, basic):
    return (scatter_add(xp, g, key, shape, basic),)


_getitem_op = defop("getitem", _getitem_forward, _getitem_vjp, save="none", view=True)


def getitem(x, key):
    """``x[key]``: NumPy indexing (a view for basic keys), differentiable."""
    if not isinstance(x, _registry.Array):
        return apply(_getitem_op, (x,), {"key": key, "shape": None, "basic": _is_basic(key)})
    data = x._data
    k = normalize_key(key, data)
    return apply(_getitem_op, (x,), {"key": k, "shape": tuple(data.shape),
                                     "basic": _is_basic(k)})


def _take_forward(xp, x, indices, axis):
    return xp.take(x, indices, axis=axis)


def _take_vjp(xp, g, ans, x, indices, axis):
    shape = x.shape if x is not None else None
    ax = axis if axis is not None else 0
    key = (slice(None),) * (ax % len(shape)) + (indices if not isinstance(indices, _registry.Array)
                                                 else indices._data,)
    return (scatter_add(xp, g, key, tuple(shape)), None)


_take_op = defop("take", _take_forward, _take_vjp, save="inputs")


def take(x, indices, /, *, axis=None):
    """Elements of ``x`` at integer ``indices`` along ``axis`` (repeats allowed).

    >>> import ndgrad as nd
    >>> nd.take(nd.asarray([10., 20., 30.]), nd.asarray([2, 0, 2]))
    array([30., 10., 30.])
    """
    if axis is None:
        if x.ndim != 1:
            raise ValueError(f"take without axis needs a 1-D array; x has shape {x.shape}")
        axis = 0
    return apply(_take_op, (x, indices), {"axis": axis})


def _take_along_forward(xp, x, indices, axis):
    return xp.take_along_axis(x, indices, axis=axis)


def _take_along_vjp(xp, g, ans, x, indices, axis):
    shape = tuple(x.shape)
    nd_ = len(shape)
    ax = axis % nd_
    idx_raw = indices._data if isinstance(indices, _registry.Array) else indices
    ishape = idx_raw.shape
    key = []
    for d in range(nd_):
        if d == ax:
            key.append(idx_raw)
        else:
            s = [1] * nd_
            s[d] = ishape[d]
            ar = np.arange(ishape[d]).reshape(s)
            if type(idx_raw) is not _ndarray:
                ar = backend_of(idx_raw).xp.asarray(ar)
            key.append(ar)
    return (scatter_add(xp, g, tuple(key), shape), None)


_take_along_op = defop("take_along_axis", _take_along_forward, _take_along_vjp, save="inputs")


def take_along_axis(x, indices, /, *, axis=-1):
    """Pick from ``x`` along ``axis`` with an index array of the same rank.

    >>> import ndgrad as nd
    >>> x = nd.asarray([[1., 5.], [7., 3.]])
    >>> nd.take_along_axis(x, nd.argmax(x, axis=1, keepdims=True), axis=1)
    array([[5.],
           [7.]])
    """
    return apply(_take_along_op, (x, indices), {"axis": axis})

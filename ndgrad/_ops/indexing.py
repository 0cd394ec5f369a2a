"""Indexing: ``x[key]`` (basic, integer-array and boolean), ``take``, ``take_along_axis``.

The gradient of a read is a scatter-add into zeros (repeated indices accumulate); the
scatter is an op too, so gradients of gradients work. Writes (``x[key] = v``) live in
``_autograd.inplace``.
"""
from __future__ import annotations

import numpy as np

from .registry import defop, apply
from . import registry as _registry
from .._backend import backend_of, numpy_backend
from ._common import normalize_axis_index


_ndarray = np.ndarray


def shape_of(x):
    """``x.shape`` as ints (None for a graph tensor's unknown dimensions)."""
    from .manipulation import shape_of as _shape_of
    return _shape_of(x)


def _is_basic(key):
    items = key if isinstance(key, tuple) else (key,)
    return all(k is None or k is Ellipsis or isinstance(k, (int, slice, np.integer))
               for k in items)


def _plain_basic(key):
    """Whether every item of the tuple ``key`` is exactly an int or a slice (not a bool,
    a NumPy integer or an Array: normalize_key converts those)."""
    for k in key:
        t = type(k)
        if t is not int and t is not slice:
            return False
    return True


def normalize_key(key, data):
    """Raw-backend form of an index: Arrays unwrapped, lists made arrays on x's backend."""
    def conv(k):
        if isinstance(k, _registry.Array):
            return k._data
        if isinstance(k, (list,)) or (isinstance(k, np.ndarray) and type(data) is not _ndarray):
            arr = np.asarray(k)
            if arr.size == 0 and arr.dtype.kind == "f":
                arr = arr.astype(np.intp)  # NumPy reads an empty list as no indices
            if type(data) is _ndarray:
                return arr
            bk = backend_of(data)
            return arr if bk.name == "dask" else bk.xp.asarray(arr)  # (Dask: NumPy keys)
        if isinstance(k, np.bool_):
            return bool(k)
        if hasattr(k, "__index__") and not isinstance(k, (int, bool)) and not hasattr(k, "shape"):
            return k.__index__()
        return k
    if isinstance(key, tuple):
        key = tuple(conv(k) for k in key)
    else:
        key = conv(key)
    if type(data) is not _ndarray and _is_basic(key):
        # NumPy fills missing trailing axes; the standard (array_api_strict) wants "..."
        items = key if isinstance(key, tuple) else (key,)
        if not any(k is Ellipsis for k in items):
            key = items + (Ellipsis,)
    return key


def key_to_numpy(key):
    def conv(k):
        if hasattr(k, "shape") and type(k) is not _ndarray:
            return backend_of(k).to_numpy(k)
        return k
    return tuple(conv(k) for k in key) if isinstance(key, tuple) else conv(key)


def _scatter_raw(xp, g, key, shape, basic):
    """zeros(shape) with ``g`` added at ``key`` (repeats accumulate), on raw arrays."""
    if isinstance(g, np.generic):  # NumPy gives scalars for 0-d results of arithmetic
        g = np.asarray(g)
    if type(g) is _ndarray:
        z = np.zeros(shape, dtype=g.dtype)
        if basic:
            z[key] = g
        else:
            np.add.at(z, key, g)
        return z
    bk = backend_of(g)
    if bk.name in ("cupy", "cupy_rules"):   # on the device (cupy_rules: CuPy's path in CI)
        z = bk.xp.zeros(shape, dtype=g.dtype)
        if basic:
            z[key] = g
        else:
            _cupyx(bk).scatter_add(z, key, g)
        return z
    if bk.name == "dask":
        from .. import _dask
        return _dask.scatter_add(g, key, shape, basic)
    host = _scatter_raw(numpy_backend.xp, bk.to_numpy(g), key_to_numpy(key), shape, basic)
    return bk.xp.asarray(host)


def _cupyx(bk):
    """``cupyx`` for CuPy; the CuPy-rules test backend's stand-in for it."""
    if bk.name == "cupy_rules":
        return bk.xp.cupyx
    import cupyx
    return cupyx


_recorded = _registry.is_recorded


def _gather_raw(x, key):
    """``x[key]`` on raw arrays, for gradient rules: backends that allow only the
    standard's indexing (array_api_strict) get NumPy's on the host."""
    if type(x) is _ndarray:
        return x[key]
    bk = backend_of(x)
    if bk.name in ("cupy", "cupy_rules"):
        return x[key]
    if bk.name == "dask":
        from .. import _dask
        return _dask.getitem(x, key)
    return bk.xp.asarray(np.asarray(bk.to_numpy(x)[key_to_numpy(key)]))


def _scatter_forward(xp, g, key, shape, basic):
    return _scatter_raw(xp, g, key, shape, basic)


def _scatter_vjp(xp, g2, ans, g, key, shape, basic):
    return (gather(xp, g2, key, basic),)


scatter_add_op = defop("scatter_add", _scatter_forward, _scatter_vjp, save="none")


def _gather_forward(xp, x, key, shape, basic):
    return _gather_raw(x, key)


def _gather_vjp(xp, g, ans, x, key, shape, basic):
    return (scatter_add(xp, g, key, shape, basic),)


# NumPy indexing inside gradient rules (``getitem`` is the user's, with the backend's rules)
gather_op = defop("gather", _gather_forward, _gather_vjp, save="none")


def gather(xp, x, key, basic=False):
    """``x[key]`` with NumPy's indexing on any backend; differentiable when ``xp`` is
    ndgrad."""
    if _recorded(x):
        return apply(gather_op, (x,), {"key": key, "shape": shape_of(x), "basic": basic})
    return _gather_raw(x, key)


def scatter_add(xp, g, key, shape, basic=False):
    """zeros(shape) with g added at key; differentiable when ``xp`` is ndgrad."""
    if _recorded(g):
        return apply(scatter_add_op, (g,), {"key": key, "shape": shape, "basic": basic})
    return _scatter_raw(xp, g, key, shape, basic)


def _getitem_forward(xp, x, key, shape, basic):
    if type(x) is not _ndarray and getattr(xp, "__name__", "") == "ndgrad._dask.xp":
        from .. import _dask   # (NumPy's indexing forms Dask lacks)
        return _dask.getitem(x, key)
    return x[key]


def _getitem_vjp(xp, g, ans, x, key, shape, basic):
    return (scatter_add(xp, g, key, shape, basic),)


_getitem_op = defop("getitem", _getitem_forward, _getitem_vjp, save="none", view=True)
# integer-array and boolean keys: NumPy copies (its result may still have a ``base``, an
# internal temporary, so the op itself must say it is no view)
_getitem_advanced_op = defop("getitem_advanced", _getitem_forward, _getitem_vjp,
                             save="none")


def _owned_key(k):
    """``k`` with private copies of its index arrays. The key is saved in the op's
    params for the gradient's scatter: a later write into the caller's index array
    (``i[0] = 2`` before ``backward()``) must not change the gradient."""
    if isinstance(k, tuple):
        return tuple(_owned_key(i) for i in k)
    if type(k) is _ndarray or _registry._backends_by_type.get(type(k)) is not None:
        return _registry.own_copy(k)
    return k


def getitem(x, key):
    """``x[key]``: NumPy indexing (a view for basic keys), differentiable."""
    if not isinstance(x, _registry.Array):
        basic = _is_basic(key)
        return apply(_getitem_op if basic else _getitem_advanced_op, (x,),
                     {"key": key, "shape": None, "basic": basic})
    data = x._data
    if type(key) is _ndarray and type(data) is _ndarray:
        # the hot case, ``X[idx]`` with a NumPy index array on NumPy data: such a key
        # needs no normalizing (normalize_key returns it as it is) and is never basic.
        # Where the params outlive the call -- a node whose rule scatters at the key, an
        # nd.jit trace's graph -- they hold a copy (the caller may write into idx later)
        if x._node is not None or _registry._trace_reads:
            key = key.copy()
        return apply(_getitem_advanced_op, (x,),
                     {"key": key, "shape": data.shape, "basic": False})
    if type(data) is _ndarray:
        t = type(key)
        if t is int or t is slice or t is tuple and _plain_basic(key):
            # ints and slices on NumPy data (``x[i]``, ``x[:, 1:]``): normalize_key
            # leaves such a key as it is, and it is basic
            return apply(_getitem_op, (x,), {"key": key, "shape": data.shape, "basic": True})
    k = normalize_key(key, data)
    basic = _is_basic(k)
    if not basic:
        k = _owned_key(k)
    return apply(_getitem_op if basic else _getitem_advanced_op, (x,),
                 {"key": k, "shape": tuple(data.shape), "basic": basic})


def _take_forward(xp, x, indices, axis, in_shape):
    return xp.take(x, indices, axis=axis)


def _raw(a):
    return a._data if isinstance(a, _registry.Array) else a


def _take_vjp(xp, g, ans, x, indices, axis, in_shape):
    return (_apply_or_run(_take_scatter_op, g, indices, axis=axis, in_shape=in_shape), None)


_apply_or_run = _registry.apply_or_run


# the gradient of take: the cotangent added into zeros at the indices (an op whose index
# array is an input, so a graph's indices can be fed at run time)
def _take_scatter_forward(xp, g, indices, axis, in_shape):
    return _scatter_raw(xp, g, (slice(None),) * axis + (indices,), in_shape, False)


def _take_scatter_vjp(xp, g2, ans, g, indices, axis, in_shape):
    return (xp.take(g2, indices, axis=axis), None)


_take_scatter_op = defop("take_scatter", _take_scatter_forward, _take_scatter_vjp,
                         save="inputs")


_take_op = defop("take", _take_forward, _take_vjp, save="inputs")


def take(x, indices, /, *, axis=None):
    """Elements of ``x`` at integer ``indices`` along ``axis`` (repeats allowed).

    >>> import ndgrad as nd
    >>> nd.take(nd.asarray([10., 20., 30.]), nd.asarray([2, 0, 2]))
    array([30., 10., 30.])
    """
    shape = shape_of(x)
    if axis is None:
        if len(shape) != 1:
            raise ValueError(f"take without axis needs a 1-D array; x has shape {shape}")
        axis = 0
    axis = normalize_axis_index(axis, len(shape))
    ishape = shape_of(indices) if hasattr(indices, "shape") else None
    if ishape is not None and len(ishape) != 1:
        raise ValueError(f"take: indices must be one-dimensional, not of shape "
                         f"{tuple(ishape)}")
    return apply(_take_op, (x, indices), {"axis": axis, "in_shape": shape})


def _take_along_forward(xp, x, indices, axis, in_shape):
    return xp.take_along_axis(x, indices, axis=axis)


def _take_along_vjp(xp, g, ans, x, indices, axis, in_shape):
    return (_apply_or_run(_take_along_scatter_op, g, indices, axis=axis, in_shape=in_shape),
            None)


def _take_along_scatter_forward(xp, g, indices, axis, in_shape):
    # x[i0, .., idx[i0, .., ik, ..], ..] for every position of the (broadcast) result;
    # positions where x has size 1 read its one element
    oshape = tuple(g.shape)
    nd_ = len(in_shape)
    key = []
    for d in range(nd_):
        if d == axis:
            key.append(xp.broadcast_to(indices, oshape) if tuple(indices.shape) != oshape
                       else indices)
            continue
        s = [1] * nd_
        s[d] = oshape[d]
        if in_shape[d] == 1 and oshape[d] != 1:
            key.append(xp.zeros(tuple(s), dtype=indices.dtype))
        else:
            key.append(xp.reshape(xp.arange(oshape[d], dtype=indices.dtype), tuple(s)))
    return _scatter_raw(xp, g, tuple(key), in_shape, False)


def _take_along_scatter_vjp(xp, g2, ans, g, indices, axis, in_shape):
    # gathering back is take_along_axis itself (its broadcasting undoes the sums)
    return (xp.take_along_axis(g2, indices, axis=axis), None)


_take_along_scatter_op = defop("take_along_scatter", _take_along_scatter_forward,
                               _take_along_scatter_vjp, save="inputs")


_take_along_op = defop("take_along_axis", _take_along_forward, _take_along_vjp,
                       save="inputs")


def take_along_axis(x, indices, /, *, axis=-1):
    """Pick from ``x`` along ``axis`` with an index array of the same rank (the other
    axes broadcast).

    >>> import ndgrad as nd
    >>> x = nd.asarray([[1., 5.], [7., 3.]])
    >>> nd.take_along_axis(x, nd.argmax(x, axis=1, keepdims=True), axis=1)
    array([[5.],
           [7.]])
    """
    shape = shape_of(x)
    ishape = shape_of(indices)
    if len(ishape) != len(shape):
        raise ValueError(f"take_along_axis: indices of shape {ishape} must have as many "
                         f"dimensions as x of shape {shape}")
    axis = normalize_axis_index(axis, len(shape))
    for d, (a, b) in enumerate(zip(shape, ishape)):
        if d != axis and a != b and a != 1 and b != 1 and None not in (a, b):
            raise ValueError(f"take_along_axis: x of shape {shape} and indices of shape "
                             f"{ishape} do not broadcast at axis {d}")
    return apply(_take_along_op, (x, indices), {"axis": axis, "in_shape": shape})

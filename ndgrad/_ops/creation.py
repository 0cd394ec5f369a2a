"""Creation functions (the standard's, plus ``asarray(requires_grad=)``).

Functions that make arrays from nothing (zeros, arange, eye ...) are ops with no array
inputs: the backend comes from ``device=``. ``asarray``, ``tril``/``triu`` and ``meshgrid``
take arrays and are differentiable.
"""
from __future__ import annotations

import builtins
import math
import sys

import numpy as np

from .. import _dtypes
from .._backend import (as_device, backend_device, device_of, numpy_backend, backend_of,
                        known_backend)
from .registry import defop, apply, wrap
from .sharing import mark_shared
from . import registry as _registry
from ._common import integer_arg, shape_tuple

_ndarray = np.ndarray


def _shape(shape):
    shape = shape_tuple(shape)
    if any(s < 0 for s in shape):
        raise ValueError(f"negative dimensions are not allowed: shape {shape}")
    return shape


def _create(op, device, **params):
    """Run a creation op on the backend of ``device``."""
    dev = as_device(device)
    bk = dev.backend
    out = op.forward(bk.xp, device=backend_device(dev) if bk is not numpy_backend else "cpu",
                     **params)
    if type(out) is not bk.array_type:
        out = bk.xp.asarray(out)
    return created(out)


def created(data):
    """A fresh backend array a creation function made, as an ndgrad array (a 0-d one
    prints as ``array(0.)``); inside ``nd.jit`` it is a constant of the trace."""
    made = _made(data)
    hook = _registry.graph_hooks.get("created")   # nd.jit: a constant of the trace
    return made if hook is None else hook(made)


def on_numpy(device):
    """Whether arrays created on ``device`` (None: the default device) are NumPy's."""
    return as_device(device).backend is numpy_backend


def _made(data):
    """A created array; a 0-d one prints as ``array(0.)``, as NumPy's creation gives."""
    out = wrap(data)
    if not data.shape:
        out._array0d = True
    return out


def _bdtype(xp, dtype):
    """The backend's own dtype object (only array_api_strict has dtypes of its own)."""
    if dtype is None or xp is numpy_backend.xp:
        return dtype
    if getattr(xp, "__name__", "").startswith("array_api_strict"):
        return getattr(xp, str(dtype))
    return dtype


_CREATION = "creation: no array inputs to differentiate"


def _def_creation(name, forward):
    return defop(name, forward, None, nondiff=_CREATION, save="none")


_zeros = _def_creation("zeros", lambda xp, shape, dtype, device: xp.zeros(
    shape, dtype=_bdtype(xp, dtype), device=device))
_ones = _def_creation("ones", lambda xp, shape, dtype, device: xp.ones(
    shape, dtype=_bdtype(xp, dtype), device=device))
_empty = _def_creation("empty", lambda xp, shape, dtype, device: xp.empty(
    shape, dtype=_bdtype(xp, dtype), device=device))
def _has_negative_zero(value):
    """Whether a scalar fill value is zero with a sign bit set (-0.0, complex(-0.0, 0) ...)."""
    if isinstance(value, (float, np.floating)):
        return value == 0 and math.copysign(1.0, value) < 0
    if isinstance(value, (complex, np.complexfloating)):
        # only a zero value is at risk (a fill of 1-0j is written by a kernel, exactly)
        return value == 0 and (_has_negative_zero(float(value.real))
                               or _has_negative_zero(float(value.imag)))
    return False


def _signed_zeros(xp, shape, value, dtype, device):
    """Zeros carrying ``value``'s zero signs, made with sign-exact elementwise kernels.

    CuPy writes zero bytes for any fill or scalar value == 0 (``fill()`` calls cudaMemset),
    so ``cupy.full(s, -0.0)`` and ``cupy.asarray(-0.0)`` hold +0.0. Negation and conjugation
    flip sign bits exactly on every backend."""
    z = xp.zeros(tuple(shape), dtype=dtype, device=device)
    if isinstance(value, (complex, np.complexfloating)):
        re = _has_negative_zero(float(value.real))
        im = _has_negative_zero(float(value.imag))
        if re:
            z = xp.negative(z)          # (-0, -0)
            return xp.conj(z) if not im else z
        return xp.conj(z) if im else z
    return xp.negative(z)


def _full_forward(xp, shape, fill_value, dtype, device):
    bdtype = _bdtype(xp, dtype)
    if _has_negative_zero(fill_value):
        return _signed_zeros(xp, shape, fill_value, bdtype, device)
    return xp.full(shape, fill_value, dtype=bdtype, device=device)


_full = _def_creation("full", _full_forward)
_arange = _def_creation("arange", lambda xp, start, stop, step, dtype, device: xp.arange(
    start, stop, step, dtype=_bdtype(xp, dtype), device=device))
_eye = _def_creation("eye", lambda xp, n_rows, n_cols, k, dtype, device: xp.eye(
    n_rows, n_cols, k=k, dtype=_bdtype(xp, dtype), device=device))
_linspace = _def_creation("linspace", lambda xp, start, stop, num, dtype, endpoint, device:
                          xp.linspace(start, stop, num, dtype=_bdtype(xp, dtype),
                                      endpoint=endpoint, device=device))


def _fill_dtype(fill_value, dtype):
    if dtype is not None:
        return _dtypes.as_dtype(dtype)
    if isinstance(fill_value, builtins.bool):
        return _dtypes.bool
    if isinstance(fill_value, int):
        return _dtypes.default_int
    if isinstance(fill_value, float):
        return _dtypes.default_float
    if isinstance(fill_value, complex):
        return _dtypes.default_complex
    return None


def zeros(shape, *, dtype=None, device=None):
    """An array of zeros (float64 by default, as NumPy).

    >>> import ndgrad as nd
    >>> nd.zeros((2, 2))
    array([[0., 0.],
           [0., 0.]])
    """
    return _create(_zeros, device, shape=_shape(shape),
                   dtype=_dtypes.as_dtype(dtype) or _dtypes.default_float)


def ones(shape, *, dtype=None, device=None):
    """An array of ones.

    >>> import ndgrad as nd
    >>> nd.ones(3)
    array([1., 1., 1.])
    """
    return _create(_ones, device, shape=_shape(shape),
                   dtype=_dtypes.as_dtype(dtype) or _dtypes.default_float)


def empty(shape, *, dtype=None, device=None):
    """An uninitialised array (its values are whatever memory held).

    >>> import ndgrad as nd
    >>> nd.empty((2, 3)).shape
    (2, 3)
    """
    return _create(_empty, device, shape=_shape(shape),
                   dtype=_dtypes.as_dtype(dtype) or _dtypes.default_float)


def full(shape, fill_value, *, dtype=None, device=None):
    """An array filled with ``fill_value`` (dtype inferred from it when not given).

    >>> import ndgrad as nd
    >>> nd.full((2,), 7)
    array([7, 7])
    """
    if isinstance(fill_value, _registry.Array):
        if fill_value._node is not None and _registry.grad_state.enabled:
            # a recorded value: broadcast it, so its gradient is kept (not dropped by .item())
            return _traced_full(shape, fill_value, dtype)
        fill_value = fill_value._scalar("fill_value")
    if not isinstance(fill_value, (builtins.bool, int, float, complex, np.generic)):
        raise TypeError(f"full: fill_value must be a bool, int, float or complex, not "
                        f"{type(fill_value).__name__} ({_short(fill_value)})")
    return _create(_full, device, shape=_shape(shape), fill_value=fill_value,
                   dtype=_fill_dtype(fill_value, dtype))


def _traced_full(shape, fill_value, dtype):
    from .manipulation import broadcast_to, reshape
    from .dtype_functions import astype
    if fill_value.size != 1:
        raise TypeError(f"full: fill_value must be one value; got an array of shape "
                        f"{fill_value.shape}")
    v = reshape(fill_value, ())
    if dtype is not None:
        v = astype(v, dtype)
    return asarray(broadcast_to(v, _shape(shape)), copy=True)


def _like(x, dtype, device):
    return (dtype if dtype is not None else x.dtype), (device if device is not None
                                                       else x.device)


def zeros_like(x, /, *, dtype=None, device=None):
    """Zeros with the shape (and by default dtype and device) of ``x``.

    >>> import ndgrad as nd
    >>> nd.zeros_like(nd.asarray([1, 2]))
    array([0, 0])
    """
    dtype, device = _like(x, dtype, device)
    return zeros(x.shape, dtype=dtype, device=device)


def ones_like(x, /, *, dtype=None, device=None):
    """Ones with the shape of ``x``.

    >>> import ndgrad as nd
    >>> nd.ones_like(nd.asarray([1.0, 2.0]))
    array([1., 1.])
    """
    dtype, device = _like(x, dtype, device)
    return ones(x.shape, dtype=dtype, device=device)


def empty_like(x, /, *, dtype=None, device=None):
    """An uninitialised array with the shape of ``x``.

    >>> import ndgrad as nd
    >>> nd.empty_like(nd.asarray([1.0, 2.0])).shape
    (2,)
    """
    dtype, device = _like(x, dtype, device)
    return empty(x.shape, dtype=dtype, device=device)


def full_like(x, /, fill_value, *, dtype=None, device=None):
    """``fill_value`` everywhere, with the shape (and dtype) of ``x``.

    >>> import ndgrad as nd
    >>> nd.full_like(nd.asarray([1.0, 2.0]), 3)
    array([3., 3.])
    """
    dtype, device = _like(x, dtype, device)
    return full(x.shape, fill_value, dtype=dtype, device=device)


def arange(start, /, stop=None, step=1, *, dtype=None, device=None):
    """Evenly spaced values in ``[start, stop)``; float steps allowed.

    >>> import ndgrad as nd
    >>> nd.arange(0, 1, 0.25)
    array([0.  , 0.25, 0.5 , 0.75])
    """
    if step == 0:
        raise ValueError("arange: step must not be zero")
    return _create(_arange, device, start=start, stop=stop, step=step,
                   dtype=_dtypes.as_dtype(dtype))


def eye(n_rows, n_cols=None, /, *, k=0, dtype=None, device=None):
    """A 2-D array with ones on diagonal ``k``.

    >>> import ndgrad as nd
    >>> nd.eye(2)
    array([[1., 0.],
           [0., 1.]])
    """
    n_rows = integer_arg(n_rows, "eye's number of rows")
    n_cols = None if n_cols is None else integer_arg(n_cols, "eye's number of columns")
    # (NumPy takes a boolean k as 0 or 1, not a boolean size)
    k = int(k) if isinstance(k, (bool, np.bool_)) else integer_arg(k, "eye's diagonal k")
    return _create(_eye, device, n_rows=n_rows, n_cols=n_cols, k=k,
                   dtype=_dtypes.as_dtype(dtype) or _dtypes.default_float)


def linspace(start, stop, /, num, *, dtype=None, device=None, endpoint=True):
    """``num`` evenly spaced values from ``start`` to ``stop``.

    >>> import ndgrad as nd
    >>> nd.linspace(0, 1, 3)
    array([0. , 0.5, 1. ])
    """
    if dtype is None:
        dtype = (_dtypes.default_complex if isinstance(start, complex) or
                 isinstance(stop, complex) else _dtypes.default_float)
    return _create(_linspace, device, start=start, stop=stop, num=num,
                   dtype=_dtypes.as_dtype(dtype), endpoint=endpoint)


# -- conversion --------------------------------------------------------------------------
def _ragged_dimension(obj, depth=0):
    """(dimension, lengths seen there) where a nested list is first ragged, or None.

    Dimension 0 is the outer list: ``[[1, 2], [3]]`` is ragged at dimension 1.
    """
    if not isinstance(obj, (list, tuple)):
        return None
    lens = []
    for item in obj:
        if isinstance(item, (list, tuple)):
            n = len(item)
        elif hasattr(item, "shape") and len(getattr(item, "shape")):
            n = item.shape[0]
        else:
            n = "a scalar"
        if n not in lens:
            lens.append(n)
    if len(lens) > 1:
        return depth + 1, lens
    for item in obj:
        found = _ragged_dimension(item, depth + 1)
        if found is not None:
            return found
    return None


def _short(obj):
    r = repr(obj)
    return r if len(r) <= 40 else r[:37] + "..."


def _contains_array(obj):
    if isinstance(obj, _registry.Array):
        return True
    if isinstance(obj, (list, tuple)):
        return any(_contains_array(o) for o in obj)
    return False


# (the platform's long doubles, where they are wider than double)
_LONG_DOUBLES = frozenset({np.dtype(np.longdouble), np.dtype(np.clongdouble)} -
                          {np.dtype(np.float64), np.dtype(np.complex128)})


def _numpy_elements(obj):
    """``obj`` (nested lists and tuples) with each ndgrad Array in it a NumPy array."""
    if isinstance(obj, _registry.Array):
        return np.asarray(obj)
    if isinstance(obj, (list, tuple)):
        return [_numpy_elements(o) for o in obj]
    return obj


def with_numpy_elements(x):
    """``x`` for a NumPy function: a list or tuple holding ndgrad Arrays with each one a
    NumPy array (NumPy reads a long double out of a list's other array-likes through
    float(), losing its extra bits); anything else as it is.

    >>> import numpy, ndgrad as nd
    >>> with_numpy_elements([nd.asarray(numpy.longdouble(1) / 3)])[0].dtype == numpy.longdouble
    True
    """
    if isinstance(x, (list, tuple)) and _contains_array(x):
        return _numpy_elements(x)
    return x


def _numpy_from_object(obj, dtype, copy):
    try:
        if copy is False:
            try:
                return np.asarray(obj, dtype=dtype, copy=False)
            except ValueError:
                what = (f"{type(obj).__name__}" if not isinstance(obj, np.ndarray) else
                        f"a {obj.dtype} array")
                raise ValueError(f"asarray(copy=False) cannot make a {dtype or 'default'} "
                                 f"array from {what} without copying") from None
        out = np.asarray(obj, dtype=dtype, copy=copy)
        if out.dtype in _LONG_DOUBLES and isinstance(obj, (list, tuple)) and \
                _contains_array(obj):
            # NumPy fills a long double array from a list's array-likes through float()
            # (its own 0-d arrays excepted): their extra bits would be lost
            out = np.asarray(_numpy_elements(obj), dtype=dtype, copy=copy)
        return out
    except ValueError as e:
        if "inhomogeneous" in str(e) or "sequence" in str(e):
            found = _ragged_dimension(obj)
            if found is not None:
                dim, lens = found
                seen = " and ".join(str(n) for n in lens[:2])
                raise ValueError(f"cannot make an array from a ragged nested sequence: "
                                 f"dimension {dim} is ragged (its lengths differ: {seen})"
                                 ) from None
        raise


def is_masked(obj):
    """Whether ``obj`` is a ``numpy.ma`` masked array (without importing numpy.ma)."""
    ma = sys.modules.get("numpy.ma")
    return ma is not None and isinstance(obj, ma.MaskedArray)


def _to_backend_data(obj, ref_arrays=()):
    """Convert a non-array input (list, NumPy value) onto the backend of ``ref_arrays``.
    A ``numpy.ma`` masked array is refused: computing on its data would drop the mask
    (NumPy's functions honour it), a silently different result."""
    if is_masked(obj):
        raise TypeError(
            f"ndgrad functions do not take numpy.ma masked arrays (shape {obj.shape}, dtype "
            f"{obj.dtype}): the mask would be dropped and the masked values computed with. "
            "Use numpy.ma's functions on it, or pass m.filled(value) or m.compressed()")
    for r in ref_arrays:
        d = r._data if isinstance(r, _registry.Array) else None
        if d is not None and type(d) is not _ndarray:
            bk = backend_of(d)
            return bk.xp.asarray(_numpy_from_object(obj, None, None)) if bk.name != "cupy" \
                else bk.xp.asarray(obj)
    return _numpy_from_object(obj, None, None)


def asarray(obj, /, *, dtype=None, device=None, copy=None, requires_grad=False, chunks=None):
    """Convert ``obj`` (nested lists, scalars, NumPy or other arrays) to an ndgrad Array.

    ``requires_grad=True`` makes the result a leaf whose ``.grad`` ``backward()`` fills.
    A ``dask.array.Array`` is wrapped lazily (device "dask"); ``device="dask",
    chunks=...`` cuts other data into Dask chunks (Dask's ``chunks`` argument).

    >>> import ndgrad as nd
    >>> nd.asarray([[1, 2], [3, 4]], dtype="float32")
    array([[1., 2.],
           [3., 4.]], dtype=float32)
    """
    out = _asarray(obj, dtype, device, copy, requires_grad, chunks)
    if not isinstance(obj, (list, tuple, int, float, complex, np.generic, _registry.Array,
                            _registry.graph_hooks["types"])):
        d = out._data
        if d is obj or getattr(d, "base", None) is not None or (
                type(obj) is not type(d) and type(d) is _ndarray):
            # ``out`` may share the caller's memory (``obj`` itself, a view of it, or
            # memory another object lent): writes there bypass ndgrad, so rules save
            # copies of it (sharing.py)
            mark_shared(d)
    return out


def _asarray(obj, dtype, device, copy, requires_grad, chunks):
    dtype = _dtypes.as_dtype(dtype)
    if chunks is not None:
        return _dask_asarray(obj, dtype, device, copy, requires_grad, chunks)
    A = _registry.Array
    if isinstance(obj, A):
        out = obj
        if device is not None and as_device(device) != obj.device:
            if copy is False:
                raise ValueError(f"asarray(copy=False) cannot move an array from "
                                 f"{obj.device} to {as_device(device)} without copying")
            out = to_device(out, device)
        if dtype is not None and dtype != out.dtype:
            if copy is False:
                raise ValueError(f"asarray(copy=False) cannot convert {out.dtype} to {dtype} "
                                 "without a copy")
            from .dtype_functions import astype
            out = astype(out, dtype)
        elif copy:
            out = apply(_copy_op, (out,))
        if requires_grad:
            # a new leaf over the same buffer: a view of ``obj`` (a write through either
            # keeps the values recorded rules read, see _autograd/inplace.py)
            from .._autograd.inplace import detach
            out = detach(out)
            out.requires_grad_()
        return out
    if isinstance(obj, _registry.graph_hooks["types"]) and hasattr(obj, "_jit_asarray"):
        # a value traced by nd.jit (ndgrad/graph/jit.py)
        return obj._jit_asarray(dtype, device, copy, requires_grad)
    if isinstance(obj, (list, tuple)) and _contains_array(obj):
        from .manipulation import stack
        arr = stack([asarray(o, dtype=dtype, device=device) for o in obj])
        if requires_grad:
            arr.requires_grad_()
        return arr
    dev = as_device(device) if device is not None else None
    if dev is None:
        bk_src = None
        try:
            bk_src = backend_of(obj)
        except TypeError:
            pass
        # NumPy arrays are host data, like lists: they go to the default device (as
        # cupy.asarray puts them on the GPU); other backends' arrays stay where they are
        dev = (device_of(obj) if bk_src is not None and bk_src is not numpy_backend
               else as_device(None))
    bk = dev.backend
    if bk is numpy_backend:
        if type(obj) is not _ndarray and not isinstance(obj, (list, tuple, int, float, complex,
                                                              np.generic)):
            try:
                src = backend_of(obj)
                obj = src.to_numpy(obj)
            except TypeError:
                pass
        data = _numpy_from_object(obj, dtype, copy)
        if data.dtype.kind not in "biufc":
            raise TypeError(f"ndgrad arrays hold booleans and numbers; {_short(obj)} gives "
                            f"NumPy dtype {data.dtype}, not one of "
                            f"{', '.join(_dtypes._known)}")
    else:
        if isinstance(obj, (list, tuple)):
            _numpy_from_object(obj, None, None)  # ragged-list errors, as on the CPU
        kw = {}
        if copy is not None:
            kw["copy"] = copy
        if _has_negative_zero(obj):   # CuPy turns a scalar -0.0 into +0.0
            if dtype is None:
                dtype = (obj.dtype if isinstance(obj, np.generic)
                         else _fill_dtype(obj, None))
            if dtype.kind not in "fc":   # an integer dtype has no signed zero
                data = bk.xp.asarray(0, dtype=bk.dtype(dtype), **kw)
            else:
                data = _signed_zeros(bk.xp, (), complex(obj) if dtype.kind == "c" else obj,
                                     bk.dtype(dtype), backend_device(dev))
        else:
            if isinstance(obj, np.generic):
                obj = np.asarray(obj)
            data = bk.xp.asarray(obj, dtype=bk.dtype(dtype), **kw)
    out = _made(data)
    if requires_grad:
        if out.dtype.kind not in "fc":
            raise TypeError(f"requires_grad needs a floating dtype, not {out.dtype}: only "
                            "floating arrays have gradients")
        out.requires_grad_()
    return out


def _dask_asarray(obj, dtype, device, copy, requires_grad, chunks):
    """``asarray(obj, chunks=...)``: the array on device "dask", cut into ``chunks``."""
    dev = as_device(device) if device is not None else None
    if dev is None:
        src = obj._data if isinstance(obj, _registry.Array) else obj
        dev = device_of(src) if known_backend(src) is not None else None
    if dev is None or dev.kind != "dask":
        raise ValueError(f"asarray(chunks={chunks!r}) cuts arrays into Dask chunks: it needs "
                         f"device='dask', not {device!r}")
    src = obj._data if isinstance(obj, _registry.Array) else obj
    if isinstance(obj, _registry.Array) and obj.device == dev or (
            not isinstance(obj, _registry.Array) and known_backend(src) is dev.backend):
        out = asarray(obj, dtype=dtype, copy=copy)
        # the same values in other chunks: the same place in a gradient computation
        out = wrap(out._data.rechunk(chunks), out._node)
    else:   # host (or other-device) data: cut into chunks as Dask's from_array does
        host = asarray(obj, dtype=dtype, device="cpu", copy=True)
        if host._node is not None:
            raise ValueError("asarray(x, device='dask', chunks=...) of an array being "
                             "differentiated: use x.to_device('dask'), which keeps the gradient")
        import dask.array as da
        out = _made(da.from_array(host._data, chunks=chunks))
    if requires_grad:
        out = asarray(out, requires_grad=True)
    return out


def _from_dask(x, values):
    """``x`` (a Dask-backed Array) as the CPU array of its computed ``values``;
    the gradient goes back to Dask as ``to_device`` sends it."""
    out = np.asarray(values)
    if x._node is not None and _registry.grad_state.enabled:
        return _registry._record(_to_device_op, (x,), (x._data,), out,
                                 {"device": as_device("cpu"), "src": x.device})
    return wrap(out)


_copy_op = defop("copy", lambda xp, x: xp.asarray(x, copy=True),
                 lambda xp, g, ans, x: (g,), save="none")


def _move(data, device):
    """Raw backend data moved to ``device`` (an ndgrad Device)."""
    bk = device.backend
    src = backend_of(data)
    host = src.to_numpy(data)
    if bk is numpy_backend:
        return np.array(host, copy=True)
    if bk.name == "dask":   # (a copy: a later write into the source must not reach the graph)
        import dask.array as da
        return da.from_array(np.array(host, copy=True) if host is data else host,
                             chunks="auto")
    return bk.xp.asarray(host)


def _to_device_vjp(xp, g, ans, x, device, src):
    if isinstance(g, _registry.Array):
        return (to_device(g, src),)
    return (_move(g, src),)


_to_device_op = defop("to_device", lambda xp, x, device, src: _move(x, device), _to_device_vjp,
                      save="none")


def to_device(x, device, /):
    """``x`` on ``device`` (the same array when it is already there); differentiable."""
    dev = as_device(device)
    src = x.device
    if dev == src:
        return x
    # not through apply(): it runs a forward on its inputs' backend and converts the
    # result back to that backend, which is the one thing this op must not do
    out = _move(x._data, dev)
    if x._node is not None and _registry.grad_state.enabled:
        return _registry._record(_to_device_op, (x,), (x._data,), out,
                                 {"device": dev, "src": src})
    return wrap(out)


def from_dlpack(x, /, *, device=None, copy=None):
    """An Array sharing memory with any DLPack producer (NumPy, CuPy, PyTorch ...).

    >>> import ndgrad, numpy
    >>> ndgrad.from_dlpack(numpy.arange(3.0))
    array([0., 1., 2.])
    """
    kw = {}
    if copy is not None:
        kw["copy"] = copy
    if device is not None:
        dev = as_device(device)
    elif isinstance(x, _registry.Array):
        dev = x.device  # (strict arrays say "CPU" to DLPack, yet live on "strict")
    else:
        try:
            dtype_kind, _ = x.__dlpack_device__()
        except AttributeError:
            raise TypeError(f"from_dlpack needs an object with __dlpack__, not "
                            f"{type(x).__name__}") from None
        dev = as_device("cuda") if int(dtype_kind) == 2 else as_device("cpu")
    bk = dev.backend
    if isinstance(x, _registry.Array) and dev == x.device:
        return asarray(x, copy=copy)
    if isinstance(x, _registry.Array) and x.device.kind in ("cuda", "cupy_rules"):
        # device memory: DLPack hands it to no other device (NumPy refuses a CUDA capsule),
        # so the move is an explicit copy
        if copy is False:
            raise BufferError(f"from_dlpack(copy=False): an array on {x.device} cannot be "
                              f"shared with {dev}; it must be copied (copy=None or True)")
        return to_device(x, dev)
    if bk is numpy_backend:
        d = np.from_dlpack(x, **kw)
        if copy is not True:
            mark_shared(d)   # the producer's memory: writes there bypass ndgrad
        return wrap(d)
    if bk.name == "array_api_strict":
        return wrap(bk.xp.asarray(np.from_dlpack(x, **kw)))
    return wrap(bk.xp.from_dlpack(x, **kw))


# -- differentiable creation from arrays ------------------------------------------------
_tril = defop("tril", lambda xp, x, k: xp.tril(x, k=k),
              lambda xp, g, ans, x, k: (xp.tril(g, k=k),), save="none")
_triu = defop("triu", lambda xp, x, k: xp.triu(x, k=k),
              lambda xp, g, ans, x, k: (xp.triu(g, k=k),), save="none")


def tril(x, /, *, k=0):
    """The lower triangle of the last two axes (zeros above diagonal ``k``).

    >>> import ndgrad as nd
    >>> nd.tril(nd.ones((2, 2)))
    array([[1., 0.],
           [1., 1.]])
    """
    return apply(_tril, (x,), {"k": k})


def triu(x, /, *, k=0):
    """The upper triangle of the last two axes (zeros below diagonal ``k``).

    >>> import ndgrad as nd
    >>> nd.triu(nd.ones((2, 2)))
    array([[1., 1.],
           [0., 1.]])
    """
    return apply(_triu, (x,), {"k": k})


def meshgrid(*arrays, indexing="xy"):
    """Coordinate grids from 1-D arrays (``indexing`` 'xy' or 'ij'); differentiable.

    A tuple of arrays, as NumPy 2 and the 2025.12 standard return.

    >>> import ndgrad as nd
    >>> X, Y = nd.meshgrid(nd.asarray([1, 2]), nd.asarray([3, 4, 5]))
    >>> X.shape
    (3, 2)
    """
    from .manipulation import broadcast_to, reshape
    if indexing not in ("xy", "ij"):
        raise ValueError(f"meshgrid: indexing must be 'xy' or 'ij', not {indexing!r}")
    n = len(arrays)
    for a in arrays:
        if a.ndim != 1:
            raise ValueError(f"meshgrid takes 1-D arrays; got shape {a.shape}")
    if n == 0:
        return ()
    dtypes = {a.dtype for a in arrays}
    if len(dtypes) > 1:
        raise ValueError(f"meshgrid arrays must share a dtype; got {sorted(map(str, dtypes))}")
    shape = [a.shape[0] for a in arrays]
    if indexing == "xy" and n >= 2:
        shape[0], shape[1] = shape[1], shape[0]
    out = []
    for i, a in enumerate(arrays):
        axis = i
        if indexing == "xy" and n >= 2 and i < 2:
            axis = 1 - i
        s = [1] * n
        s[axis] = a.shape[0]
        out.append(broadcast_to(reshape(a, tuple(s)), tuple(shape)))
    return tuple(out)

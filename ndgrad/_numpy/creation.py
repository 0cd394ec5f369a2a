"""NumPy's array-creation functions: ``array``, ``arange``, ``linspace``, ``eye(k=)``, ``diag`` ...

NumPy's signatures (positional ``dtype``, ``num=50``, ``retstep``, ``order`` accepted and
ignored where memory layout does not apply), built on the standard's creation functions.
Functions that take arrays (``diag``, ``linspace`` between array end points) are
differentiable.
"""
from __future__ import annotations

import builtins

import itertools
import operator

import numpy as np

from .. import _dtypes
from .._ops import registry as _registry
from .._backend import default_device as _default_device, numpy_backend as _numpy_backend
from .._backend import as_device as _as_device
# (bound once: a function-level import costs about 1 us a call)
from .._ops import creation as _std
from ._core import std, arr, copy_of, is_array, to_numpy, plain_numpy, host_result, norm_order
from ._core import is_symbolic, write_target_check
from ._core import numpy_data, cast_value

__all__ = ["array", "asarray", "asanyarray", "ascontiguousarray", "asfortranarray",
           "asarray_chkfinite", "copy", "zeros", "ones", "empty", "full", "zeros_like",
           "ones_like", "empty_like", "full_like", "identity", "eye", "linspace", "logspace",
           "geomspace", "diag", "diagflat", "tri", "tril", "triu", "vander", "fromfunction",
           "fromiter", "frombuffer", "fromstring", "require", "asmatrix", "copyto", "arange"]


_PY_SCALARS = (builtins.bool, builtins.int, builtins.float, builtins.complex)


def _dt(dtype):
    return _dtypes.as_dtype(dtype) if dtype is not None else None


def _non_numeric(dtype, kinds="USOVMm"):
    """Whether ``dtype`` is one ndgrad arrays do not hold (of ``kinds``: strings, objects,
    records, dates). ``np.array`` of such data, and ``zeros``/``ones``/``empty``/``arange``
    of records or dates, give NumPy's own array, as NumPy does; the standard's functions
    (``asarray``, ``full``, ``zeros(dtype=str)`` ...) refuse them with a clear error."""
    if dtype is None:
        return False
    try:
        return np.dtype(dtype).kind in kinds
    except TypeError:
        return False


_RECORDS_DATES = "USOVMm"  # every kind ndgrad arrays do not hold: NumPy's arrays


def in_order(out, order, like=None):
    """``out`` laid out in memory as ``order`` asks, as NumPy's creation functions do:
    'F' column-major, 'C' row-major, 'K'/'A' column-major when ``like`` (the source) is
    Fortran- and not C-contiguous. ``out`` must be a fresh array (its buffer is replaced,
    never its values); only NumPy-backend arrays have a layout to choose.

    >>> import ndgrad as np
    >>> np.zeros((2, 3), order='F').flags.f_contiguous
    True
    """
    if order == "C" and type(out) is _registry.Array:
        # (the default, first: a fresh NumPy result is C-contiguous but for a copy in
        # order K of a strided source)
        d = out._data
        if type(d) is np.ndarray and not d.flags.c_contiguous:
            out._data = np.ascontiguousarray(d)
        return out
    order = norm_order(order)
    if is_symbolic(out):
        # an nd.jit or graph value: no memory layout to choose (the values are the same
        # in every order; a plan's results are laid out as NumPy makes them)
        return out
    if order is None or order == "C" or not is_array(out):
        d = getattr(out, "_data", None)
        if order == "C" and type(d) is np.ndarray and not d.flags.c_contiguous:
            out._data = np.ascontiguousarray(d)
        return out
    if order in ("K", "A"):
        src = like._data if is_array(like) else like
        if not (isinstance(src, np.ndarray) and src.flags.f_contiguous
                and not src.flags.c_contiguous):
            return out
    d = out._data
    if type(d) is np.ndarray and not d.flags.f_contiguous:
        out._data = np.asfortranarray(d)
    return out


def _needs_relayout(a, order):
    order = norm_order(order)
    d = a._data if is_array(a) else a
    if not isinstance(d, np.ndarray):
        return False
    # (a 1-d array with a step, np.ones(10)[::2], is neither C- nor F-contiguous: skipping
    # 1-d arrays here gave ascontiguousarray a result with c_contiguous False)
    if order == "F":
        return not d.flags.f_contiguous
    if order == "C":
        return not d.flags.c_contiguous
    return False


def _on_cpu(device):
    return _as_device(device).kind == "cpu"


def _copy_flag(copy):
    """NumPy's reading of a ``copy=`` value other than True, False and None: strings are
    refused (a non-empty one was taken as True), ``np._CopyMode`` is ALWAYS / IF_NEEDED /
    NEVER (IF_NEEDED raised, NEVER copied where NumPy refuses to), anything else its
    truth value (``np.False_``)."""
    if isinstance(copy, str):
        raise ValueError("strings are not allowed for 'copy' keyword. Use "
                         "True/False/None instead.")
    mode = getattr(np, "_CopyMode", None)
    if mode is not None and isinstance(copy, mode):
        return {mode.ALWAYS: True, mode.IF_NEEDED: None, mode.NEVER: False}[copy]
    return bool(copy)


def array(object, dtype=None, *, copy=True, order="K", subok=False, ndmin=0, ndmax=None,
          like=None, device=None, requires_grad=False):
    """An array from nested sequences, scalars or arrays (a copy by default, as NumPy).
    ``ndmax`` (NumPy 2.4): at most that many dimensions made from nested sequences
    (deeper nesting is NumPy's ValueError; as objects only with ``dtype=object``).

    >>> import ndgrad as np
    >>> np.array([[1, 2], [3, 4]], dtype='float32')
    array([[1., 2.],
           [3., 4.]], dtype=float32)
    >>> np.array([[1, 2], [3, 4]], ndmax=2).shape
    (2, 2)
    """
    order = norm_order(order)
    if copy is not None and copy is not True and copy is not False:
        copy = _copy_flag(copy)
    extra = {}
    if ndmax is not None:
        extra["ndmax"] = ndmax
        if not (_non_numeric(dtype) or _non_numeric_data(object)):
            # NumPy's own checks of ndmax (its range, ndmin <= ndmax, nesting deeper
            # than ndmax) on the nested sequence; an array is not limited by it
            np.array(0 if is_array(object) else object, dtype=None if dtype is None
                     else _dt(dtype), ndmin=ndmin, ndmax=ndmax)
    if _non_numeric(dtype) or _non_numeric_data(object):
        return np.array(object, dtype=dtype, copy=copy, ndmin=ndmin, order=order, **extra)
    relayout = order in ("C", "F") and _needs_relayout(object, order)
    if copy is False:
        # NumPy 2's copy=False: never a copy; a ValueError where one would be needed
        if relayout:
            raise ValueError(f"Unable to avoid copy while creating an array as requested "
                             f"(the array is not {order}-contiguous)")
        _std.asarray(object, dtype=_dt(dtype), device=device, copy=False)
    if relayout and order == "F" and plain_numpy(object) and (
            device is None or _on_cpu(device)):
        # no gradient to record: one copy straight into column-major order (not a
        # row-major copy first, then a second one)
        out = host_result(np.array(to_numpy(object), dtype=_dt(dtype), order="F",
                                   ndmin=ndmin))
    else:
        out = _std.asarray(object, dtype=_dt(dtype), device=device,
                       copy=True if copy or relayout else None)
    if ndmin and out.ndim < ndmin:
        out = std("reshape")(out, (1,) * (ndmin - out.ndim) + out.shape)
    if order == "C" and relayout:
        out._data = np.ascontiguousarray(out._data)
    elif copy or relayout:
        out = in_order(out, order, object)
    if requires_grad:
        out.requires_grad_()
    return _a_0d_array(out, object)


def asarray(a, dtype=None, order=None, *, device=None, copy=None, like=None,
            requires_grad=False, chunks=None):
    """``a`` as an array without copying when it already is one (NumPy's ``asarray``).

    >>> import ndgrad as np
    >>> np.asarray([1, 2, 3], dtype=np.float64)
    array([1., 2., 3.])
    """
    if (type(a) is _registry.Array and dtype is None and order is None and device is None
            and copy is None and not requires_grad and chunks is None
            and (a._data.shape or getattr(a, "_array0d", False))):
        return a   # (an array as it is: what the general path below returns for it)
    if ((type(a) is float or type(a) is int) and order is None and device is None
            and copy is None and not requires_grad and chunks is None
            and _default_device().backend is _numpy_backend):
        # a Python number on the CPU (a step size in a training loop): NumPy's own
        # conversion, what the general path below ends in, without its dispatch
        out = _registry.wrap(np.asarray(a, dtype=None if dtype is None else _dt(dtype)))
        out._array0d = True   # (prints as array(0.5), as the general path's _made)
        return out
    if copy is not None and copy is not True and copy is not False:
        copy = _copy_flag(copy)
    order = norm_order(order)
    if chunks is not None:   # device "dask": Dask's chunks (no NumPy layout there)
        return _std.asarray(a, dtype=_dt(dtype), device=device, copy=copy,
                        requires_grad=requires_grad, chunks=chunks)
    if order == "F" and not is_array(a) and not isinstance(a, np.ndarray):
        return array(a, dtype, order="F", device=device, requires_grad=requires_grad)
    if order in ("C", "F") and _needs_relayout(a, order):
        if copy is False:
            raise ValueError(f"asarray(copy=False, order={order!r}): the array is not "
                             f"{order}-contiguous, so this needs a copy")
        return array(a, dtype, order=order, device=device, requires_grad=requires_grad)
    return _a_0d_array(_std.asarray(a, dtype=_dt(dtype), device=device, copy=copy,
                                requires_grad=requires_grad), a)


def _a_0d_array(out, given):
    """``out``, a 0-d result of ``asarray``/``array``/``copy``, as a 0-d *array*: NumPy's
    conversion of a scalar (``np.asarray(x[0])``) is an array, printing ``array(1.)``
    and failing ``isinstance(.., np.floating)``, where ndgrad's ``x[0]`` stands for
    NumPy's scalar. ``given`` itself is never re-flagged (it stays a scalar): a view of it
    (recorded, so a gradient flows) is returned then."""
    if type(out) is not _registry.Array or out.ndim or getattr(out, "_array0d", False):
        return out
    if out is given:
        out = std("reshape")(out, ())
    out._array0d = True
    return out


def _non_numeric_data(obj):
    """Strings, dates or objects in ``obj`` (a NumPy array of them, or a list holding
    them): data ndgrad arrays do not hold."""
    if isinstance(obj, np.ndarray):
        return obj.dtype.kind not in "biufc"
    if obj is None or isinstance(obj, (str, bytes, np.str_, np.datetime64)):
        return True
    if isinstance(obj, (list, tuple)) and obj:
        first = obj[0]
        while isinstance(first, (list, tuple)) and first:
            first = first[0]
        if isinstance(first, np.ndarray):
            return first.dtype.kind not in "biufc"
        return first is None or isinstance(first, (str, bytes, np.str_, np.datetime64))
    return False


def asanyarray(a, dtype=None, order=None, *, device=None, copy=None, like=None):
    """Same as ``asarray`` (ndgrad has no array subclasses), with its ``device=`` and
    ``copy=``.

    >>> import ndgrad as np
    >>> np.asanyarray([1.0]).shape
    (1,)
    """
    return asarray(a, dtype, order, device=device, copy=copy)


def ascontiguousarray(a, dtype=None, *, like=None):
    """``a`` as a C-contiguous array of at least one dimension (a copy only when needed).

    >>> import ndgrad as np
    >>> np.ascontiguousarray(5.0)
    array([5.])
    """
    a = asarray(a, dtype, order="C")
    return std("reshape")(a, (1,)) if a.ndim == 0 else a


def asfortranarray(a, dtype=None, *, like=None):
    """``a`` as a Fortran-contiguous (column-major) array of at least one dimension.

    >>> import ndgrad as np
    >>> np.asfortranarray(np.ones((2, 3))).flags.f_contiguous
    True
    """
    a = asarray(a, dtype, order="F")
    return std("reshape")(a, (1,)) if a.ndim == 0 else a


def asarray_chkfinite(a, dtype=None, order=None):
    """``asarray`` that refuses NaN or infinity.

    >>> import ndgrad as np
    >>> np.asarray_chkfinite([1.0, 2.0])
    array([1., 2.])
    """
    a = asarray(a, dtype)
    if a.dtype.kind in "fc" and not np.all(np.isfinite(to_numpy(a))):
        raise ValueError("array must not contain infs or NaNs")
    return a


_REQUIREMENTS = {"C": "C", "C_CONTIGUOUS": "C", "CONTIGUOUS": "C", "F": "F",
                 "F_CONTIGUOUS": "F", "FORTRAN": "F", "A": "A", "ALIGNED": "A", "W": "W",
                 "WRITEABLE": "W", "O": "O", "OWNDATA": "O", "E": "E", "ENSUREARRAY": "E"}


def require(a, dtype=None, requirements=None, *, like=None):
    """``a`` as an array of ``dtype`` that meets ``requirements`` (NumPy's letters: C, F,
    A, W, O, E), copied where it does not (an array that must own its data is a copy, so
    writes into it never reach ``a``).

    >>> import ndgrad as np
    >>> np.require([1, 2]).dtype
    dtype('int64')
    >>> np.require(np.ones((2, 2)), requirements="F").flags.f_contiguous
    True
    """
    if not requirements:
        return asarray(a, dtype)
    # (unknown letters raise NumPy's KeyError; they were ignored, as were the
    # requirements themselves: "O" returned ``a`` itself)
    reqs = {_REQUIREMENTS[r.upper()] for r in requirements}
    reqs.discard("E")
    if "C" in reqs and "F" in reqs:
        raise ValueError('Cannot specify both "C" and "F" order')
    order = "C" if "C" in reqs else "F" if "F" in reqs else "A"
    out = asarray(a, dtype, order=order)
    for flag in reqs:
        if not out.flags[flag]:
            return out.copy(order="F" if order == "F" else "C")
    return out


def asmatrix(data, dtype=None):
    """A 2-D array (ndgrad has no matrix class; use arrays and ``@``).

    >>> import ndgrad as np
    >>> np.asmatrix([1, 2]).shape
    (1, 2)
    """
    a = asarray(data, dtype)
    return std("reshape")(a, (1, -1)) if a.ndim < 2 else a


def copy(a, order="K", subok=False):
    """A copy of ``a`` (differentiable).

    >>> import ndgrad as np
    >>> np.copy([1, 2])
    array([1, 2])
    """
    a = arr(a)
    return _a_0d_array(in_order(_std.asarray(a, copy=True), order, a), a)


def copyto(dst, src, casting="same_kind", where=True):
    """Write ``src`` into ``dst`` (where ``where`` holds), in place.

    >>> import ndgrad as np
    >>> a = np.zeros(2); np.copyto(a, [1.0, 2.0]); a
    array([1., 2.])
    """
    write_target_check("copyto", dst)
    # NumPy's checks first, on empty stand-ins of the operands (nothing is written on
    # a refusal): the cast src -> dst under ``casting``, and an array ``where`` castable
    # to bool
    # (zeros: an empty stand-in's garbage could raise a floating-point error of its cast
    # under np.errstate(all="raise"), an 'underflow' the values never had)
    _src = (np.zeros((), np.dtype(src.dtype)) if is_array(src) or isinstance(src, np.ndarray)
            else src if isinstance(src, (bool, int, float, complex))
            else np.zeros((), arr(src).dtype))
    with np.errstate(all="ignore"):     # (the write itself warns, once)
        np.copyto(np.zeros((), np.dtype(dst.dtype)), _src, casting=casting)
    if is_array(where) or isinstance(where, np.ndarray):   # (a list or scalar is converted)
        _w = np.dtype(where.dtype)
        if not np.can_cast(_w, np.bool_, "safe"):
            raise TypeError(f"Cannot cast array data from {_w!r} to dtype('bool') according "
                            "to the rule 'safe'")
    # NumPy converts ``src`` as an array and casts it (a Python int alone is checked
    # against dst's range): np.copyto(int8_array, 300.0, casting="unsafe") writes 44,
    # np.inf INT_MIN with a RuntimeWarning (the scalar assignment dst[...] = 300.0 raises
    # OverflowError), a list [300, 1] is read as int64 and cast
    if isinstance(src, (float, complex, np.generic)):
        src = np.asarray(src)
    src = cast_value(src, dst)    # (x.sum() too: as its 0-d array)
    if where is True:
        dst[...] = src
    else:
        w = arr(where)
        src = arr(src, dst.dtype) if isinstance(src, int) else arr(arr(src), dst.dtype)
        src = std("broadcast_to")(src, dst.shape)
        dst[...] = std("where")(w, src, dst)


def zeros(shape, dtype=None, order="C", *, device=None, like=None):
    """Zeros of ``shape`` (float64 unless ``dtype``).

    >>> import ndgrad as np
    >>> np.zeros((2, 3), int)
    array([[0, 0, 0],
           [0, 0, 0]])
    """
    if _non_numeric(dtype, _RECORDS_DATES):
        return np.zeros(shape, dtype=dtype, order=order)
    return in_order(_std.zeros(shape, dtype=_dt(dtype), device=device), order)


def ones(shape, dtype=None, order="C", *, device=None, like=None):
    """Ones of ``shape``.

    >>> import ndgrad as np
    >>> np.ones(3, dtype='int32')
    array([1, 1, 1], dtype=int32)
    """
    if _non_numeric(dtype, _RECORDS_DATES):
        return np.ones(shape, dtype=dtype, order=order)
    return in_order(_std.ones(shape, dtype=_dt(dtype), device=device), order)


def empty(shape, dtype=None, order="C", *, device=None, like=None):
    """An array of ``shape`` whose values are not set (whatever the memory held, as
    NumPy's: filling it with zeros would cost a pass over memory that NumPy does not make).

    >>> import ndgrad as np
    >>> np.empty((2, 2)).shape
    (2, 2)
    """
    if _non_numeric(dtype, _RECORDS_DATES):
        return np.empty(shape, dtype=dtype, order=order)
    return in_order(_std.empty(shape, dtype=_dt(dtype), device=device), order)


def full(shape, fill_value, dtype=None, order="C", *, device=None, like=None):
    """``fill_value`` everywhere (its dtype unless ``dtype``).

    >>> import ndgrad as np
    >>> np.full((2,), np.pi)
    array([3.14159265, 3.14159265])
    """
    order = norm_order(order)
    if _non_numeric(dtype) or isinstance(fill_value, (str, bytes)) or (
            isinstance(fill_value, np.ndarray) and _non_numeric_data(fill_value)):
        return np.full(shape, fill_value, dtype=dtype, order=order)
    if (type(fill_value) in _PY_SCALARS or isinstance(fill_value, np.generic) and
            fill_value.dtype.kind in "biufc") and order in ("C", "F") and \
            _std.on_numpy(device):
        # NumPy's own (the standard's full adds a dtype, device and signed-zero dispatch:
        # ~6 us, ~25 us when each call follows a pass over a large array)
        return _std.created(np.full(shape, fill_value, dtype=_dt(dtype), order=order))
    return in_order(_full(shape, fill_value, dtype, device, _std.full), order)


def _full(shape, fill_value, dtype, device, f):
    if dtype is None and (is_array(fill_value) or isinstance(fill_value, np.ndarray)):
        dtype = fill_value.dtype    # NumPy: an array's own dtype (a 0-d float16 stays so)
    if is_array(fill_value) and (fill_value.ndim > 0 or getattr(fill_value, "_node", None)
                                 is not None) or isinstance(fill_value, (list, tuple)):
        # arrays broadcast; a recorded 0-d value keeps its gradient (not .item())
        fv = arr(fill_value, dtype)
        return copy_of(std("broadcast_to")(fv, tuple(shape) if not isinstance(shape, int)
                                           else (shape,)))
    if isinstance(fill_value, np.generic):
        if dtype is None:
            dtype = fill_value.dtype
        fill_value = fill_value.item()
    return f(shape, fill_value, dtype=_dt(dtype), device=device)


def _like_shape(a, shape):
    if shape is None:
        return a.shape
    return (shape,) if isinstance(shape, int) else tuple(shape)


def _numpy_like(npfunc, a, dtype, order, shape, device):
    """NumPy's own ``zeros_like`` / ``ones_like`` / ``empty_like`` of NumPy-backed Array
    ``a`` (its layout for order 'K': a strided prototype's axis order, which a new
    C-ordered array lost), without the standard's dispatch; None on another device."""
    if device is None and is_array(a) and type(a._data) is np.ndarray:
        return _std.created(npfunc(a._data, dtype=_dt(dtype), order=order, shape=shape))
    return None


def zeros_like(a, dtype=None, order="K", subok=True, shape=None, *, device=None):
    """Zeros with the shape and dtype of ``a``.

    >>> import ndgrad as np
    >>> np.zeros_like([[1, 2]])
    array([[0, 0]])
    """
    a = arr(a)
    mine = _numpy_like(np.zeros_like, a, dtype, order, shape, device)
    if mine is not None:
        return mine
    return in_order(zeros(_like_shape(a, shape), dtype if dtype is not None else a.dtype,
                          device=device if device is not None else a.device), order, a)


def ones_like(a, dtype=None, order="K", subok=True, shape=None, *, device=None):
    """Ones with the shape and dtype of ``a``.

    >>> import ndgrad as np
    >>> np.ones_like([1.5, 2.5])
    array([1., 1.])
    """
    a = arr(a)
    mine = _numpy_like(np.ones_like, a, dtype, order, shape, device)
    if mine is not None:
        return mine
    return in_order(ones(_like_shape(a, shape), dtype if dtype is not None else a.dtype,
                         device=device if device is not None else a.device), order, a)


def empty_like(prototype, dtype=None, order="K", subok=True, shape=None, *, device=None):
    """An array with the shape and dtype of ``prototype``, values not set (as NumPy's).

    >>> import ndgrad as np
    >>> np.empty_like([1, 2]).shape
    (2,)
    """
    a = arr(prototype)
    mine = _numpy_like(np.empty_like, a, dtype, order, shape, device)
    if mine is not None:
        return mine
    return in_order(empty(_like_shape(a, shape), dtype if dtype is not None else a.dtype,
                          device=device if device is not None else a.device), order, a)


def full_like(a, fill_value, dtype=None, order="K", subok=True, shape=None, *, device=None):
    """``fill_value`` with the shape and dtype of ``a`` (cast to it, as NumPy).

    >>> import ndgrad as np
    >>> np.full_like([1, 2], 7.5)
    array([7, 7])
    """
    a = arr(a)
    if device is None and is_array(a) and type(a._data) is np.ndarray and (
            type(fill_value) in _PY_SCALARS or isinstance(fill_value, np.generic) and
            fill_value.dtype.kind in "biufc"):
        # NumPy's own (its casts and layout), without the standard's dispatch
        return _std.created(np.full_like(a._data, fill_value, dtype=_dt(dtype), order=order,
                                    shape=shape))
    dt = _dt(dtype) or a.dtype
    if is_array(fill_value) or isinstance(fill_value, (np.ndarray, list, tuple)):
        # an array fill, broadcast over the shape and cast (NumPy's copyto, unsafe)
        fa = arr(fill_value)
        if fa.ndim == 0 and not is_array(fill_value):
            fill_value = fa._data[()]
        else:
            shp = _like_shape(a, shape)
            out = std("broadcast_to")(std("astype")(fa, dt), tuple(shp))
            return in_order(std("asarray")(out, copy=True), order, a)
    fv = fill_value.item() if isinstance(fill_value, np.generic) else fill_value
    if type(fv) is builtins.int and np.dtype(dt).kind in "iu":
        fv = np.asarray(fv, dtype=dt).item()  # NumPy: OverflowError out of the dtype's range
    elif isinstance(fv, (builtins.float, builtins.complex, builtins.int)) and not isinstance(
            fv, builtins.bool):
        fv = np.asarray(fv).astype(dt).item()
    return in_order(full(_like_shape(a, shape), fv, dt,
                         device=device if device is not None else a.device), order, a)


def identity(n, dtype=None, *, like=None):
    """The ``n`` by ``n`` identity matrix.

    >>> import ndgrad as np
    >>> np.identity(2, dtype=int)
    array([[1, 0],
           [0, 1]])
    """
    return eye(n, dtype=dtype)


def eye(N, M=None, k=0, dtype=float, order="C", *, device=None, like=None):
    """Ones on diagonal ``k`` of an ``N`` by ``M`` matrix.

    >>> import ndgrad as np
    >>> np.eye(2, 3, k=1)
    array([[0., 1., 0.],
           [0., 0., 1.]])
    """
    return in_order(_std.eye(N, M, k=k, dtype=_dt(dtype), device=device), order)


def arange(start=None, /, stop=None, step=None, dtype=None, *, device=None, like=None,
           **kwargs):
    """Evenly spaced values in ``[start, stop)`` (NumPy's ``arange``; float steps allowed).
    A lone argument is ``stop``; ``start=`` by keyword needs ``stop`` too, as NumPy's.

    >>> import ndgrad as np
    >>> np.arange(3), np.arange(1, 2, 0.5), np.arange(start=1, stop=3)
    (array([0, 1, 2]), array([1. , 1.5]), array([1, 2]))
    """
    if kwargs:
        if set(kwargs) != {"start"}:
            raise TypeError(f"arange() got an unexpected keyword argument "
                            f"{next(k for k in kwargs if k != 'start')!r}")
        if start is not None:
            raise TypeError("arange() got multiple values for argument 'start'")
        start = kwargs["start"]
        if stop is None:
            # (np.arange(start=4) gave arange(4), start taken as stop; NumPy refuses it)
            raise TypeError("arange() requires stop to be specified.")
    if start is None and stop is not None:
        start, stop = stop, None
    if start is None:
        raise TypeError("arange() requires stop to be specified.")
    if any(is_array(v) and v._node is not None for v in (start, stop, step)) and \
            _registry.grad_state.enabled:
        return _arange_recorded(start, stop, step, dtype, device)
    start, stop, step = [to_numpy(v).item() if is_array(v) else v for v in (start, stop, step)]
    args = (start,) if stop is None else (start, stop)
    if step is not None:
        args = (start, start if stop is None else stop, step) if stop is not None else (
            0, start, step)
    if _on_cpu(device) or _non_numeric(dtype, _RECORDS_DATES):
        res = np.arange(*args, dtype=dtype)  # NumPy's values and dtype rules, exactly
        return res if res.dtype.kind not in "biufc" else host_result(res)   # (fresh: no copy)
    if dtype is None:
        dtype = np.arange(*args[:1], dtype=None)[:0].dtype if len(args) == 1 else \
            np.result_type(*[np.asarray(v) for v in args])
    if len(args) == 1:
        args = (0, args[0])
    return _std.arange(args[0], args[1], 1 if len(args) < 3 else args[2], dtype=_dt(dtype),
             device=device)


def _arange_recorded(start, stop, step, dtype, device):
    """``arange`` of recorded end points or step: NumPy's values, carrying the gradient of
    first + i * step (the count, set by ``stop``, is piecewise constant)."""
    from .aliases import _exact
    res = arange(*[to_numpy(v).item() if is_array(v) else v for v in (start, stop, step)],
                 dtype=dtype, device=device)
    if res.dtype.kind not in "fc":
        return res
    first = 0 if stop is None else start
    i = arr(np.arange(res.shape[0], dtype=res.dtype), like=res)
    sur = (1 if step is None else step) * i + first
    return _exact(res, arr(sur, res.dtype) if is_array(sur) else res)


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0, *,
             device=None):
    """``num`` evenly spaced samples from ``start`` to ``stop`` (array end points allowed,
    and differentiable).

    >>> import ndgrad as np
    >>> np.linspace(0, 1, 5)
    array([0.  , 0.25, 0.5 , 0.75, 1.  ])
    """
    num = operator.index(num)   # (NumPy's TypeError for 2.5: it was truncated to 2)
    if num < 0:
        raise ValueError(f"Number of samples, {num}, must be non-negative.")
    if is_array(start) or is_array(stop) or np.ndim(start) or np.ndim(stop):
        return _linspace_arrays(start, stop, num, endpoint, retstep, dtype, axis)
    ref = np.linspace(start, stop, num, endpoint=endpoint, retstep=True,
                      dtype=_dt(dtype), axis=axis)   # (axis: NumPy's AxisError past 0/-1)
    out = asarray(ref[0], device=device)
    return (out, ref[1]) if retstep else out


def _linspace_arrays(start, stop, num, endpoint, retstep, dtype, axis):
    # NumPy's arithmetic: in the end points' common inexact dtype (Python numbers weak:
    # float32 arrays stay float32), step * arange(num) + start, the last sample ``stop``,
    # and floor before an integer dtype= (NumPy 2 rounds toward -inf)
    def weak(v):
        return v if type(v) in (int, float, complex) else np.dtype(arr(v).dtype)
    dt = np.result_type(weak(start), weak(stop))
    if dt.kind not in "fc":
        dt = np.dtype(np.float64)
    start0 = arr(start)                  # (a Python number as NumPy's 0-d array of it)
    start, stop = arr(start, dt), arr(stop, dt)
    div = (num - 1) if endpoint else num
    shape = np.broadcast_shapes(start.shape, stop.shape)
    t = arr(np.arange(num, dtype=dt).reshape((num,) + (1,) * len(shape)), like=start)
    delta = stop - start
    step = delta / div if div > 0 else delta * float("nan")
    if div > 0:
        # NumPy's denormal rule (gh-5437): where any step underflows to 0, every sample is
        # (t / div) * delta (t * step gave all zeros); the choice is an op, no host read
        y = std("where")(std("any")(step == 0), (t / div) * delta, t * step)
    else:
        y = t * (delta * 0.0)
    add = np.result_type(dt, start0.dtype)
    y = arr(arr(y, add) + arr(start0, add), dt) if add != dt else y + start
    if endpoint and num > 1:
        y = std("concat")([y[:-1], std("reshape")(stop + start * 0, (1,) + shape)], axis=0)
    if axis != 0:
        y = std("moveaxis")(y, 0, axis)
    if dtype is not None:
        if np.dtype(_dt(dtype)).kind in "iu":
            y = std("floor")(y)
        y = std("astype")(y, _dt(dtype))
    return (y, step) if retstep else y


def logspace(start, stop, num=50, endpoint=True, base=10.0, dtype=None, axis=0):
    """``base ** linspace(start, stop)`` (NumPy's: ``start``, ``stop`` and ``base``
    broadcast together; an array ``base`` varies along the other axes).

    >>> import ndgrad as np
    >>> np.logspace(0, 2, 3)
    array([  1.,  10., 100.])
    """
    if plain_numpy(start, stop, base) and builtins.any(is_array(x) for x in
                                                       (start, stop, base)):
        like = next(x for x in (start, stop, base) if is_array(x))
        return host_result(np.logspace(*[to_numpy(x) if is_array(x) else x
                                         for x in (start, stop)], num, endpoint=endpoint,
                                       base=to_numpy(base) if is_array(base) else base,
                                       dtype=_dt(dtype), axis=axis), like=like)
    if not isinstance(base, (float, int)) and np.ndim(base):
        # (NumPy's: an array base is broadcast with the ends and put beside the new axis;
        # it was broadcast against the samples' axis, or refused. A Python number base
        # stays weak: float32 ends give float32 samples)
        nd_ = len(np.broadcast_shapes(*[np.shape(x) if not is_array(x) else x.shape
                                        for x in (start, stop, base)]))
        start, stop, base = (_ndmin(x, nd_) for x in (start, stop, base))
        base = std("expand_dims")(base, axis=axis)
    y = linspace(start, stop, num, endpoint=endpoint, axis=axis)
    out = std("pow")(base if is_array(base) or isinstance(base, (float, int)) else arr(base),
                     y)
    return std("astype")(out, _dt(dtype)) if dtype is not None else out


def _ndmin(x, n):
    """``x`` as an array with at least ``n`` axes (NumPy's ``array(x, ndmin=n)``)."""
    a = arr(x)
    return std("reshape")(a, (1,) * (n - a.ndim) + a.shape) if a.ndim < n else a


def geomspace(start, stop, num=50, endpoint=True, dtype=None, axis=0):
    """Numbers spaced evenly on a log scale (a geometric progression), by NumPy's
    method: negative and complex ends are rotated to the positive reals and back, and
    the end points are the given values (differentiable in ``start`` and ``stop``).

    >>> import ndgrad as np
    >>> np.geomspace(1, 1000, 4)
    array([   1.,   10.,  100., 1000.])
    >>> np.geomspace(np.asarray([-1.0, -2.0]), -100.0, 3)
    array([[  -1.        ,   -2.        ],
           [ -10.        ,  -14.14213562],
           [-100.        , -100.        ]])
    """
    if not (is_array(start) or is_array(stop) or is_symbolic(start) or is_symbolic(stop)):
        return asarray(np.geomspace(start, stop, num, endpoint=endpoint, dtype=_dt(dtype),
                                    axis=axis))
    if plain_numpy(start, stop):
        like = start if is_array(start) else stop
        return host_result(np.geomspace(*[to_numpy(x) if is_array(x) else x
                                          for x in (start, stop)], num, endpoint=endpoint,
                                        dtype=_dt(dtype), axis=axis), like=like)
    # (it was exp(linspace(log start, log stop)): NaN for negative ends, and complex ends
    # took another path round the origin than NumPy's)
    start, stop = arr(start), arr(stop)
    if numpy_data(start, stop) and builtins.any(bool(np.any(to_numpy(x) == 0))
                                                for x in (start, stop)):
        raise ValueError("Geometric sequence cannot include zero")
    # (NumPy's: ``zeros((), dtype)`` joins the promotion, float64 when no dtype is given)
    dt = np.result_type(start.dtype, stop.dtype, float(num),
                        np.dtype(np.float64 if dtype is None else _dt(dtype)))
    start, stop = std("astype")(start, dt), std("astype")(stop, dt)
    out_sign = std("sign")(start)   # (its gradient is zero: a rotation, not a variable)
    start = start / out_sign
    stop = stop / out_sign
    result = logspace(std("log10")(start), std("log10")(stop), num=num, endpoint=endpoint,
                      base=10.0, dtype=dt)
    if num > 0:
        # (the end points are the given values: 10 ** log10(x) need not be x)
        result[0] = start
        if num > 1 and endpoint:
            result[-1] = stop
    result = result * out_sign
    if axis != 0:
        result = std("moveaxis")(result, 0, axis)
    return std("astype")(result, _dt(dtype)) if dtype is not None else result


def diag(v, k=0):
    """The ``k``-th diagonal of a 2-D array, or a 2-D array with 1-D ``v`` on it
    (differentiable).

    >>> import ndgrad as np
    >>> np.diag([1, 2])
    array([[1, 0],
           [0, 2]])
    """
    v = arr(v)
    if v.ndim == 1 and plain_numpy(v):
        # no gradient to record: NumPy's own (zeros and one strided write of the diagonal,
        # no index arrays and scatter)
        return host_result(np.diag(to_numpy(v), k), like=v)
    if v.ndim == 1:
        n = v.shape[0] + builtins.abs(k)
        rows = np.arange(v.shape[0]) + builtins.max(-k, 0)
        cols = np.arange(v.shape[0]) + builtins.max(k, 0)
        out = zeros((n, n), v.dtype, device=v.device)
        if v.shape[0]:
            out[rows, cols] = v
        return out
    if v.ndim == 2:
        from .shape import diagonal
        return diagonal(v, k)
    raise ValueError("Input must be 1- or 2-d.")


def diagflat(v, k=0):
    """A 2-D array with the flattened ``v`` on diagonal ``k``.

    >>> import ndgrad as np
    >>> np.diagflat([[1, 2]])
    array([[1, 0],
           [0, 2]])
    """
    return diag(std("reshape")(arr(v), (-1,)), k)


def tri(N, M=None, k=0, dtype=float, *, like=None):
    """Ones at and below diagonal ``k``.

    >>> import ndgrad as np
    >>> np.tri(2)
    array([[1., 0.],
           [1., 1.]])
    """
    return asarray(np.tri(N, M, k, dtype=_dt(dtype)))


def tril(m, k=0):
    """Lower triangle of ``m`` (differentiable).

    >>> import ndgrad as np
    >>> np.tril([[1, 2], [3, 4]])
    array([[1, 0],
           [3, 4]])
    """
    return _std.tril(arr(m), k=k)


def triu(m, k=0):
    """Upper triangle of ``m`` (differentiable).

    >>> import ndgrad as np
    >>> np.triu([[1, 2], [3, 4]])
    array([[1, 2],
           [0, 4]])
    """
    return _std.triu(arr(m), k=k)


def vander(x, N=None, increasing=False):
    """The Vandermonde matrix of ``x`` (differentiable).

    >>> import ndgrad as np
    >>> np.vander([1, 2, 3], 3)
    array([[1, 1, 1],
           [4, 2, 1],
           [9, 3, 1]])
    """
    x = arr(x)
    if x.ndim != 1:
        raise ValueError("x must be a one-dimensional array or sequence.")
    if plain_numpy(x):
        # no gradient to record: NumPy's own (one multiply.accumulate into the matrix;
        # the composition's running products and stack are ~3.4x)
        return host_result(np.vander(to_numpy(x), N, increasing), like=x)
    dt = np.promote_types(x.dtype, np.int64)  # NumPy's dtype: x's promoted with int
    if x.dtype != dt:
        x = arr(x, dt)
    n = x.shape[0] if N is None else N
    p = np.arange(n) if increasing else np.arange(n)[::-1]
    # NumPy's powers are running products (x * x * ..., its multiply.accumulate), not
    # x ** e: the same rounding, and (-0j) * (-0j) is 0-0j where (-0j) ** 2 is 0j
    pw = [std("ones_like")(x)]
    for _ in range(1, n):
        pw.append(pw[-1] * x if len(pw) > 1 else x)
    cols = [pw[int(e)] for e in p]
    if not cols:
        return zeros((x.shape[0], 0), x.dtype)
    res = std("stack")(cols, axis=1)
    if x.dtype.kind == "c" and numpy_data(x):
        # NumPy's complex multiply.accumulate rounds otherwise than its elementwise
        # multiply (another loop): its own value, the running products' gradient
        from .aliases import _exact
        res = _exact(host_result(np.vander(to_numpy(x), N, increasing), like=x), res)
    return res


def fromfunction(function, shape, *, dtype=float, like=None, **kwargs):
    """``function`` applied to the index grids of ``shape``.

    >>> import ndgrad as np
    >>> np.fromfunction(lambda i, j: i + j, (2, 2))
    array([[0., 1.],
           [1., 2.]])
    """
    grids = [asarray(g) for g in np.indices(shape, dtype=_dt(dtype))]
    return function(*grids, **kwargs)


def fromiter(iter, dtype, count=-1, *, like=None):  # noqa: A002
    """An array from an iterable.

    >>> import ndgrad as np
    >>> np.fromiter(range(3), dtype=float)
    array([0., 1., 2.])
    """
    from .._ops.registry import Array
    items = list(itertools.islice(iter, count if count >= 0 else None))
    if any(type(v) is Array and v._node is not None for v in items):
        # elements that record a gradient (0-d arrays): stacked with it, as asarray does
        # (NumPy's fromiter would take their values, and the gradient be silently zero)
        if 0 <= count and len(items) < count:
            raise ValueError(f"iterator too short: Expected {count} but iterator had only "
                             f"{len(items)} items.")
        from .._ops.dtype_functions import astype
        return astype(asarray(items), _dt(dtype))
    return asarray(np.fromiter(items, dtype=_dt(dtype), count=count))


def frombuffer(buffer, dtype=float, count=-1, offset=0, *, like=None):
    """An array from the bytes of ``buffer``.

    >>> import ndgrad as np
    >>> np.frombuffer(b'\\x01\\x02', dtype=np.uint8)
    array([1, 2], dtype=uint8)
    """
    # NumPy's array over the buffer itself, not a copy: writes reach a bytearray, and the
    # array over a read-only buffer (bytes) is read-only, as NumPy's
    return asarray(np.frombuffer(buffer, dtype=_dt(dtype), count=count, offset=offset))


def fromstring(string, dtype=float, count=-1, *, sep, like=None):
    """An array from text such as ``'1 2 3'``.

    >>> import ndgrad as np
    >>> np.fromstring('1 2', sep=' ')
    array([1., 2.])
    """
    return asarray(np.fromstring(string, dtype=_dt(dtype), count=count, sep=sep))


def _window(name):
    npf = getattr(np, name)

    def f(M, *args):
        return asarray(npf(M, *args))
    f.__name__ = f.__qualname__ = name
    f.__doc__ = (f"NumPy's ``{name}`` window of ``M`` points.\n\n    >>> import ndgrad as np\n"
                 f"    >>> np.{name}(3{', 5.0' if name == 'kaiser' else ''}).shape\n    (3,)\n")
    return f


bartlett = _window("bartlett")
blackman = _window("blackman")
hamming = _window("hamming")
hanning = _window("hanning")
kaiser = _window("kaiser")


__all__ += ["bartlett", "blackman", "hamming", "hanning", "kaiser"]

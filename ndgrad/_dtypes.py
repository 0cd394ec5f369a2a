"""Dtypes: ndgrad's dtypes are NumPy's dtype objects, whatever the backend.

So ``x.dtype == numpy.float64`` holds, ``str(x.dtype)`` prints as NumPy's, and a
backend that has dtype objects of its own (array_api_strict) is converted at its edge.
Promotion follows NumPy 2 (which, for the standard's dtypes, is the standard's table,
with Python scalars taken as weak, NEP 50).
"""
from __future__ import annotations

import numpy as np

bool = np.dtype("bool")  # noqa: A001  (the standard's name)
int8 = np.dtype("int8")
int16 = np.dtype("int16")
int32 = np.dtype("int32")
int64 = np.dtype("int64")
uint8 = np.dtype("uint8")
uint16 = np.dtype("uint16")
uint32 = np.dtype("uint32")
uint64 = np.dtype("uint64")
float16 = np.dtype("float16")
float32 = np.dtype("float32")
float64 = np.dtype("float64")
complex64 = np.dtype("complex64")
complex128 = np.dtype("complex128")

_builtin_bool = __builtins__["bool"] if isinstance(__builtins__, dict) else __builtins__.bool

signed_integer_dtypes = (int8, int16, int32, int64)
unsigned_integer_dtypes = (uint8, uint16, uint32, uint64)
integer_dtypes = signed_integer_dtypes + unsigned_integer_dtypes
real_floating_dtypes = (float32, float64)
complex_floating_dtypes = (complex64, complex128)
floating_dtypes = real_floating_dtypes + complex_floating_dtypes
numeric_dtypes = integer_dtypes + floating_dtypes
all_dtypes = (bool,) + numeric_dtypes
# float16 is NumPy's, not the standard's: accepted, never listed by the namespace info
_known = {str(d): d for d in all_dtypes + (float16,)}

default_float = float64
default_int = int64
default_complex = complex128
default_index = int64


def dtype_class_instance(cls):
    """The dtype of NumPy 2's DType class ``cls`` (np.dtypes.Float64DType -> float64); None
    for one that needs parameters (a string length)."""
    try:
        return cls()
    except TypeError:
        return None


def as_dtype(dtype):
    """Normalise any dtype spelling (ndgrad/NumPy dtype, 'float32', np.float32, Python type).

    >>> as_dtype('float32')
    dtype('float32')
    """
    if dtype is None:
        return None
    if type(dtype) is not str and isinstance(dtype, np.dtype):
        return dtype
    mod = type(dtype).__module__
    if mod.startswith("array_api_strict"):
        return np.dtype(dtype._np_dtype)
    if mod.startswith("ndgrad.tf"):  # tf.DType carries the numpy dtype
        return np.dtype(dtype.as_numpy_dtype)
    try:
        d = np.dtype(dtype)
    except TypeError:
        d = None
    if (d is None or d.kind == "O") and isinstance(dtype, type) and issubclass(dtype, np.dtype):
        # NumPy 2's DType classes (np.dtypes.Float64DType: np.dtype() takes one for an
        # arbitrary Python type, object), which NumPy's ufuncs take as dtype=
        d = dtype_class_instance(dtype)
    if d is None or (d.kind not in "biufc"):
        valid = ", ".join(_known)
        raise TypeError(f"unknown dtype {dtype!r}; valid dtypes are {valid}")
    return d


_kinds = {
    "bool": lambda d: d.kind == "b",
    "signed integer": lambda d: d.kind == "i",
    "unsigned integer": lambda d: d.kind == "u",
    "integral": lambda d: d.kind in "iu",
    "real floating": lambda d: d.kind == "f",
    "complex floating": lambda d: d.kind == "c",
    "numeric": lambda d: d.kind in "iufc",
}


def isdtype(dtype, kind):
    """Whether ``dtype`` is of ``kind`` (a dtype, a kind name, or a tuple of them).

    >>> import ndgrad as nd
    >>> nd.isdtype(nd.float32, "real floating")
    True
    """
    dtype = as_dtype(dtype)
    if isinstance(kind, tuple):
        return any(isdtype(dtype, k) for k in kind)
    if isinstance(kind, str):
        try:
            return _kinds[kind](dtype)
        except KeyError:
            raise ValueError(f"unknown dtype kind {kind!r}; valid kinds are "
                             f"{', '.join(_kinds)}") from None
    return dtype == as_dtype(kind)


def _dtype_or_weak(x):
    from ._array import Array
    if isinstance(x, Array):
        return x.dtype
    if isinstance(x, (_builtin_bool, int, float, complex)):
        return x  # NumPy 2 treats Python scalars as weak
    if isinstance(x, (np.ndarray, np.generic)):
        return x.dtype   # (NumPy's arrays and scalars: their dtype, as NumPy's result_type)
    return as_dtype(x)


def result_type(*arrays_and_dtypes):
    """The dtype the standard's promotion gives for these arrays, dtypes and scalars.

    >>> import ndgrad as nd
    >>> nd.result_type(nd.int8, nd.int16)
    dtype('int16')
    """
    if not arrays_and_dtypes:
        raise ValueError("at least one array or dtype is required")
    # (None: NumPy's dtype(None), float64)
    args = [_dtype_or_weak(x) if x is not None else np.dtype(None) for x in arrays_and_dtypes]
    if all(not isinstance(a, np.dtype) for a in args):
        raise ValueError("result_type needs at least one array or dtype, not only scalars")
    return np.result_type(*args)


def can_cast(from_, to, /, casting="safe"):
    """Whether ``from_`` casts to ``to`` by the standard's (safe) casting rules, or by
    NumPy's ``casting`` rule ('no', 'equiv', 'safe', 'same_kind', 'unsafe'); dtypes in
    any of NumPy's spellings ('f', 'i4', 'd', '?', np.float32).

    >>> import ndgrad as nd
    >>> nd.can_cast(nd.int8, nd.float32), nd.can_cast('d', 'f'), nd.can_cast('d', 'f', 'same_kind')
    (True, False, True)
    """
    return _builtin_bool(np.can_cast(_dtype_or_weak(from_), as_dtype(to), casting))


class finfo_object:
    """Machine limits of a floating dtype: the standard's fields as Python floats.

    ``bits``, ``eps``, ``max``, ``min``, ``smallest_normal`` and ``dtype`` (for a complex
    dtype, those of its real component, dtype included); NumPy's other ``finfo`` fields
    (``tiny``, ``resolution``, ``precision`` ...) are there too, as NumPy gives them.

    NumPy's fields are scalars of the dtype (``np.float32(1.1920929e-07)``), the
    standard's Python floats. For float64 (and complex128) they are NumPy's own
    ``np.float64``, which is both (a ``float`` subclass: same value, type and printing as
    NumPy's). For float32 and float16 the two faces disagree and the standard's Python
    float is kept (the array API conformance suite checks ``isinstance(eps, float)``): the
    value is exact, arithmetic with an array or NumPy scalar of the dtype gives NumPy's
    result (a Python float is a weak scalar), but ``nd.asarray(nd.finfo(nd.float32).max)``
    is float64 where NumPy's is float32, and it prints as a Python float. For longdouble
    (and clongdouble) a Python float cannot hold them (``max`` would be inf,
    ``smallest_normal`` 0.0, ``1.0 + eps`` 1.0): they are NumPy's ``np.longdouble``.
    """

    __slots__ = ("_np", "bits", "eps", "max", "min", "smallest_normal", "dtype")

    def __init__(self, nf):
        self._np = nf
        # (a long double, no dtype of the standard, keeps NumPy's own too: as a Python
        # float its max was inf and its smallest_normal 0.0)
        real = float if nf.dtype in (np.float16, np.float32) else nf.dtype.type
        self.bits = int(nf.bits)
        self.eps = real(nf.eps)
        self.max = real(nf.max)
        self.min = real(nf.min)
        self.smallest_normal = real(nf.smallest_normal)
        self.dtype = nf.dtype

    def __getattr__(self, name):
        return getattr(self._np, name)

    def __repr__(self):
        return repr(self._np)


def finfo(type, /):  # noqa: A002  (the standard's parameter name)
    """Machine limits for a floating dtype (NumPy's ``finfo``; the standard's fields are
    Python floats, NumPy's ``np.float64`` for float64: see ``finfo_object``).

    >>> import ndgrad as nd
    >>> nd.finfo(nd.float32).eps
    1.1920928955078125e-07
    >>> nd.finfo(nd.float64).eps
    np.float64(2.220446049250313e-16)
    """
    d = type.dtype if hasattr(type, "_data") else as_dtype(type)
    if d.kind not in "fc":
        raise ValueError(f"finfo needs a floating dtype, not {d}; use iinfo for integers")
    nf = np.finfo(d)
    f = _FINFO.get(nf.dtype)
    if f is None:
        # one object a (real) dtype, as NumPy's are cached: finfo(x) == finfo(np.float32)
        # was False, and finfo(np.complex64) == finfo(np.float32) (True in NumPy)
        f = _FINFO[nf.dtype] = finfo_object(nf)
    return f


_FINFO = {}


def iinfo(type, /):  # noqa: A002
    """Machine limits for an integer dtype (NumPy's ``iinfo``).

    >>> import ndgrad as nd
    >>> nd.iinfo(nd.int8).max
    127
    """
    d = type.dtype if hasattr(type, "_data") else as_dtype(type)
    if d.kind not in "iu":
        raise ValueError(f"iinfo needs an integer dtype, not {d}; use finfo for floats")
    return np.iinfo(d)

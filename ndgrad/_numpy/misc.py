"""NumPy's constants, scalar types, dtype helpers, printing and floating-point-error
control, memory questions (``shares_memory``), and the ufunc methods
(``np.add.at``, ``np.add.reduce``, ``np.maximum.accumulate``, ``np.multiply.outer``).

Printing and error state are NumPy's own: ndgrad prints through NumPy and computes with
NumPy on the CPU, so ``np.set_printoptions`` and ``np.errstate`` act on both.
"""
from __future__ import annotations

import numpy as np

from .._array import Array
from ._core import std, arr, is_array, to_numpy

# -- constants and scalar types ----------------------------------------------------------
euler_gamma = np.euler_gamma
little_endian = np.little_endian
True_ = np.True_
False_ = np.False_
ndarray = Array  # isinstance(x, np.ndarray) holds for ndgrad arrays under `import ndgrad as np`
dtype = np.dtype
__all__ = ["euler_gamma", "little_endian", "True_", "False_", "ndarray", "dtype",
           "promote_types", "min_scalar_type", "common_type", "issubdtype", "mintypecode",
           "typename", "set_printoptions", "get_printoptions", "printoptions",
           "array2string", "array_repr", "array_str", "format_float_positional",
           "format_float_scientific", "base_repr", "binary_repr", "errstate", "seterr",
           "geterr", "seterrcall", "geterrcall", "shares_memory", "may_share_memory",
           "iterable", "show_config", "get_include", "info", "broadcast",
           "show_runtime", "isnat", "datetime_as_string", "datetime_data", "busday_count",
           "busday_offset", "is_busday", "emath", "exceptions", "ufunc", "testing",
           "ma", "char", "strings", "polynomial", "ctypeslib",
           "ScalarType", "sctypeDict", "typecodes", "from_dlpack", "asarray_chkfinite",
           "packbits", "unpackbits", "bitwise_count", "getbufsize", "setbufsize", "nditer", "nested_iters",
           "flatiter"]
__all__ = [n for n in __all__ if n not in ("asarray_chkfinite", "bitwise_count",
                                           "from_dlpack")]

promote_types = np.promote_types
min_scalar_type = np.min_scalar_type
issubdtype = np.issubdtype
mintypecode = np.mintypecode
typename = np.typename
from .._ops.dtype_functions import broadcast_shapes  # noqa: E402 (NumPy's results; None dims too)
ufunc = np.ufunc
ScalarType = np.ScalarType
sctypeDict = np.sctypeDict
typecodes = np.typecodes
exceptions = np.exceptions
# NumPy's submodules that NumPy programs reach through ``np.``: they work on NumPy arrays,
# and ndgrad arrays convert to those on the CPU (``np.testing.assert_allclose(x, y)``)
testing = np.testing
ma = np.ma
char = np.char
strings = np.strings
polynomial = np.polynomial
ctypeslib = np.ctypeslib
emath = np.emath
isnat = np.isnat
datetime_as_string = np.datetime_as_string
datetime_data = np.datetime_data
busday_count = np.busday_count
busday_offset = np.busday_offset
is_busday = np.is_busday


def common_type(*arrays):
    """The scalar type common to the inputs (a float type, as NumPy).

    >>> import ndgrad as np
    >>> np.common_type(np.asarray([1, 2]))
    <class 'numpy.float64'>
    """
    return np.common_type(*[np.empty(0, dtype=arr(a).dtype) for a in arrays])


# -- printing: NumPy's own machinery ---------------------------------------------------------
set_printoptions = np.set_printoptions
get_printoptions = np.get_printoptions
printoptions = np.printoptions
format_float_positional = np.format_float_positional
format_float_scientific = np.format_float_scientific
base_repr = np.base_repr
binary_repr = np.binary_repr


def array2string(a, *args, **kwargs):
    """NumPy's ``array2string`` of an ndgrad array.

    >>> import ndgrad as np
    >>> np.array2string(np.asarray([1.0, 2.5]))
    '[1.  2.5]'
    """
    return np.array2string(to_numpy(arr(a)), *args, **kwargs)


def array_repr(arr_, max_line_width=None, precision=None, suppress_small=None):
    """The repr of an array (NumPy's text).

    >>> import ndgrad as np
    >>> np.array_repr(np.asarray([1, 2]))
    'array([1, 2])'
    """
    return repr(arr(arr_)) if (max_line_width, precision, suppress_small) == (
        None, None, None) else np.array_repr(to_numpy(arr(arr_)), max_line_width, precision,
                                             suppress_small)


def array_str(a, max_line_width=None, precision=None, suppress_small=None):
    """The str of an array (NumPy's text).

    >>> import ndgrad as np
    >>> np.array_str(np.asarray([1, 2]))
    '[1 2]'
    """
    return np.array_str(to_numpy(arr(a)), max_line_width, precision, suppress_small)


# -- floating-point error control (NumPy computes on the CPU) --------------------------------
errstate = np.errstate
seterr = np.seterr
geterr = np.geterr
seterrcall = np.seterrcall
geterrcall = np.geterrcall


# -- memory ----------------------------------------------------------------------------------
def _raw(a):
    if is_array(a):
        return to_numpy(a)
    return np.asarray(a)


def shares_memory(a, b, /, max_work=None):
    """Whether two arrays share memory (views of one buffer do, as in NumPy).

    >>> import ndgrad as np
    >>> x = np.arange(4); np.shares_memory(x, x[1:])
    True
    """
    return bool(np.shares_memory(_raw(a), _raw(b), max_work=max_work))


def may_share_memory(a, b, /, max_work=None):
    """Whether two arrays might share memory (by their memory bounds).

    >>> import ndgrad as np
    >>> x = np.arange(4); np.may_share_memory(x, x[::2])
    True
    """
    return bool(np.may_share_memory(_raw(a), _raw(b), max_work=max_work))


def iterable(y):
    """Whether ``y`` can be iterated over.

    >>> import ndgrad as np
    >>> np.iterable([1]), np.iterable(2)
    (True, False)
    """
    if is_array(y):
        return y.ndim > 0
    return np.iterable(y)


def broadcast(*args):
    """NumPy's ``broadcast`` object (shape, iteration) over the inputs' values.

    >>> import ndgrad as np
    >>> np.broadcast(np.ones((2, 1)), np.ones(3)).shape
    (2, 3)
    """
    return np.broadcast(*[_raw(a) for a in args])


def packbits(a, /, axis=None, bitorder="big"):
    """Pack a binary array into uint8 bytes.

    >>> import ndgrad as np
    >>> np.packbits([1, 0, 1])
    array([160], dtype=uint8)
    """
    return arr(np.packbits(_raw(a), axis=axis, bitorder=bitorder))


def unpackbits(a, /, axis=None, count=None, bitorder="big"):
    """Unpack uint8 bytes into bits.

    >>> import ndgrad as np
    >>> np.unpackbits(np.asarray([160], dtype=np.uint8))[:3]
    array([1, 0, 1], dtype=uint8)
    """
    return arr(np.unpackbits(_raw(a), axis=axis, count=count, bitorder=bitorder))


# NumPy's iterators over the values (on the CPU they see the array's own buffer)
nditer = np.nditer
nested_iters = np.nested_iters
getbufsize = np.getbufsize
setbufsize = np.setbufsize
show_config = np.show_config
show_runtime = np.show_runtime
get_include = np.get_include
info = np.info


def _flatiter():
    from .._methods import _Flat
    return _Flat


flatiter = _flatiter()


# -- ufunc methods on the standard's functions --------------------------------------------------
def _at(stdname):
    def at(a, indices, b=None, /):
        """In place, unbuffered: repeated indices apply repeatedly (``np.add.at``)."""
        from .._ops.indexing import normalize_key, scatter_add
        key = indices if isinstance(indices, tuple) else (indices,)
        key = tuple(arr(k) if isinstance(k, list) else k for k in key)
        if stdname in ("add", "subtract"):
            cur = a[key]
            v = std("broadcast_to")(arr(b, a.dtype) if not is_array(b) else b, cur.shape)
            if stdname == "subtract":
                v = -v
            k = normalize_key(key, a._data)
            upd = scatter_add(None, arr(v, a.dtype), k, a.shape, False)
            a[...] = a + upd
            return None
        # other operations: apply one index at a time so repeats see earlier results
        idx = np.broadcast_arrays(*[to_numpy(k) if is_array(k) else np.asarray(k)
                                    for k in key])
        vals = None if b is None else np.broadcast_to(to_numpy(arr(b)), idx[0].shape)
        for pos in np.ndindex(*idx[0].shape):
            k = tuple(int(i[pos]) for i in idx)
            if b is None:
                a[k] = std(stdname)(a[k])
            else:
                a[k] = std(stdname)(a[k], arr(vals[pos]))
        return None
    return at


def _reduce(stdname):
    red = {"add": "sum", "multiply": "prod", "maximum": "max", "minimum": "min",
           "logical_and": "all", "logical_or": "any"}

    def reduce(array, axis=0, dtype=None, out=None, keepdims=False, initial=None,
               where=True):
        """Reduce ``array`` along ``axis`` with this operation (``np.add.reduce``)."""
        from . import stats
        a = arr(array)
        if stdname in red:
            f = getattr(stats, red[stdname])
            kw = {"keepdims": keepdims}
            if stdname in ("add", "multiply"):
                kw["dtype"] = dtype
            return f(a, axis, **kw) if stdname in ("logical_and", "logical_or") else \
                f(a, axis, out=out, **kw)
        from .shape import moveaxis
        m = moveaxis(a, axis, 0)
        r = m[0]
        for i in range(1, m.shape[0]):
            r = std(stdname)(r, m[i])
        return r

    def accumulate(array, axis=0, dtype=None, out=None):
        """Running results along ``axis`` (``np.maximum.accumulate``); differentiable."""
        from .shape import moveaxis
        a = arr(array, dtype)
        if stdname == "add":
            from .math import cumsum
            return cumsum(a, axis)
        if stdname == "multiply":
            from .math import cumprod
            return cumprod(a, axis)
        m = moveaxis(a, axis, 0)
        acc = [m[0]]
        for i in range(1, m.shape[0]):
            acc.append(std(stdname)(acc[-1], m[i]))
        return moveaxis(std("stack")(acc, axis=0), 0, axis)

    def outer(A, B, /, **kwargs):
        """The operation on all pairs (``np.multiply.outer``)."""
        A, B = arr(A), arr(B)
        A2 = std("reshape")(A, A.shape + (1,) * B.ndim)
        return std(stdname)(A2, B)

    def reduceat(array, indices, axis=0, dtype=None, out=None):
        """NumPy's ``reduceat`` on the values."""
        return arr(getattr(np, stdname if stdname != "pow" else "power").reduceat(
            to_numpy(arr(array)), to_numpy(arr(indices)), axis=axis, dtype=dtype))
    return reduce, accumulate, outer, reduceat


UFUNC_METHOD_NAMES = ["add", "subtract", "multiply", "divide", "maximum", "minimum",
                      "logical_and", "logical_or", "logical_xor", "bitwise_and",
                      "bitwise_or", "bitwise_xor", "pow", "remainder", "floor_divide",
                      "hypot", "logaddexp", "equal", "not_equal", "less", "greater",
                      "less_equal", "greater_equal", "negative", "abs", "sqrt", "exp",
                      "log", "sin", "cos"]


def install_ufunc_methods(namespace):
    """Give the namespace's elementwise functions NumPy's ufunc methods."""
    for name in UFUNC_METHOD_NAMES:
        f = namespace.get(name)
        if f is None or getattr(f, "_ndgrad_ufunc", False):
            continue
        try:
            f.at = _at(name)
            f.reduce, f.accumulate, f.outer, f.reduceat = _reduce(name)
            f.nin = 1 if name in ("negative", "abs", "sqrt", "exp", "log", "sin", "cos") \
                else 2
            f.nout = 1
            npu = getattr(np, {"pow": "power", "abs": "absolute"}.get(name, name), None)
            f.identity = getattr(npu, "identity", None)
            f._ndgrad_ufunc = True
        except AttributeError:  # pragma: no cover - a builtin without __dict__
            pass

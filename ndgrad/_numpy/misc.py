"""NumPy's constants, scalar types, dtype helpers, printing and floating-point-error
control, memory questions (``shares_memory``), and the ufunc methods
(``np.add.at``, ``np.add.reduce``, ``np.maximum.accumulate``, ``np.multiply.outer``).

Printing and error state are NumPy's own: ndgrad prints through NumPy and computes with
NumPy on the CPU, so ``np.set_printoptions`` and ``np.errstate`` act on both.
"""
from __future__ import annotations

import builtins

import numpy as np

from .._array import Array
from ._core import std, arr, is_array, is_symbolic, to_numpy, write_out, numpy_data
from ._core import plain_numpy
from ._core import make_host_op
from .._ops.registry import defop, apply

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
    return np.array2string(_printable(a), *args, **kwargs)


def _printable(a):
    """NumPy's own array (or scalar, or masked array) as it is -- strings, records, dates
    and masks that ndgrad arrays do not hold print as NumPy prints them -- else the NumPy
    values of ``a`` as an ndgrad array."""
    if isinstance(a, (np.ndarray, np.generic)):
        return a
    return to_numpy(arr(a))


def array_repr(arr_, max_line_width=None, precision=None, suppress_small=None):
    """The repr of an array (NumPy's text).

    >>> import ndgrad as np
    >>> np.array_repr(np.asarray([1, 2]))
    'array([1, 2])'
    """
    if isinstance(arr_, (np.ndarray, np.generic)):
        return np.array_repr(arr_, max_line_width, precision, suppress_small)
    return repr(arr(arr_)) if (max_line_width, precision, suppress_small) == (
        None, None, None) else np.array_repr(to_numpy(arr(arr_)), max_line_width, precision,
                                             suppress_small)


def array_str(a, max_line_width=None, precision=None, suppress_small=None):
    """The str of an array (NumPy's text).

    >>> import ndgrad as np
    >>> np.array_str(np.asarray([1, 2]))
    '[1 2]'
    """
    return np.array_str(_printable(a), max_line_width, precision, suppress_small)


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
    if is_symbolic(a):   # nd.jit, graph mode: NumPy's function when the plan runs
        return apply(make_host_op("packbits", np.packbits), (a,),
                     {"_rest": (), "_kw": {"axis": axis, "bitorder": bitorder}})
    return arr(np.packbits(_raw(a), axis=axis, bitorder=bitorder),
               like=a if is_array(a) else None)


def unpackbits(a, /, axis=None, count=None, bitorder="big"):
    """Unpack uint8 bytes into bits.

    >>> import ndgrad as np
    >>> np.unpackbits(np.asarray([160], dtype=np.uint8))[:3]
    array([1, 0, 1], dtype=uint8)
    """
    if is_symbolic(a):   # nd.jit, graph mode: NumPy's function when the plan runs
        return apply(make_host_op("unpackbits", np.unpackbits), (a,),
                     {"_rest": (), "_kw": {"axis": axis, "count": count, "bitorder": bitorder}})
    return arr(np.unpackbits(_raw(a), axis=axis, count=count, bitorder=bitorder),
               like=a if is_array(a) else None)


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
def _at_value_forward(xp, a, v, name, key):
    # NumPy's own unbuffered loop on a copy: repeated indices apply one after another, each
    # result rounded (float16 2048 + 1 + 1 stays 2048; their sum 2 first would give 2050)
    if type(a) is np.ndarray:
        c = a.copy()
        getattr(np, name).at(c, key, v)
        return c
    from .._ops.indexing import _scatter_raw
    # (CuPy's and Dask's arrays: their scatter-add, the order of the adds their own)
    return a + _scatter_raw(xp, -v if name == "subtract" else v, key, a.shape, False)


# ``ufunc.at``'s value as NumPy computes it; the gradient is the scatter-add composition's
_AT_VALUE = defop("numpy.ufunc_at_value", _at_value_forward, None, save="none",
                  nondiff="NumPy's value of ufunc.at; its gradient is the composition's")


def _list_index(k):
    """A list in an index as NumPy reads it: an empty one (``[]``, ``[[]]``) is an empty
    integer index, not float64 values."""
    a = np.asarray(k)
    return arr(a.astype(np.intp) if a.size == 0 and a.dtype.kind == "f" else a)


def _at(stdname, func):
    def at(a, indices, b=None, /):
        """In place, unbuffered: repeated indices apply repeatedly (``np.add.at``)."""
        from .._ops.indexing import normalize_key, scatter_add
        from .aliases import _exact
        key = indices if isinstance(indices, tuple) else (indices,)
        key = tuple(_list_index(k) if isinstance(k, list) else k for k in key)
        if stdname in ("add", "subtract") and not (numpy_data(a, b)
                                                   and not _records(a, b)):
            cur = a[key]
            v = std("broadcast_to")(arr(b, a.dtype, like=a) if not is_array(b) else b,
                                    cur.shape)
            v = arr(v, a.dtype)
            k = normalize_key(key, a._data)
            # the value: NumPy's sequential loop (one rounding per repeated index); the
            # gradient: a plus the scatter-added values (the same function of a and b)
            value = apply(_AT_VALUE, (a, v), {"name": stdname, "key": k})
            upd = scatter_add(None, -v if stdname == "subtract" else v, k, a.shape, False)
            a[...] = _exact(value, a + upd)
            return None
        # other operations: NumPy's own loop where nothing records a gradient (any key:
        # slices, None, boolean masks; its order and its casting rules)
        hkey = tuple(to_numpy(k) if is_array(k) else k for k in key)
        if not isinstance(indices, tuple):
            hkey = hkey[0]
        if numpy_data(a, b) and not _records(a, b):
            host = to_numpy(a).copy()
            getattr(np, stdname).at(host, hkey, *(() if b is None else (to_numpy(arr(b)),)))
            a[...] = arr(host, like=a)
            return None
        # recorded (or traced): the elements NumPy's loop visits, in its order (those of
        # a[key]: a boolean mask picks its True places, not rows 0 and 1), one at a time
        # so that a repeated index sees the earlier result
        places = np.arange(a.size).reshape(a.shape)[hkey]
        vals = None if b is None else std("reshape")(
            std("broadcast_to")(arr(b, like=a), places.shape), (-1,))
        for j, flat in enumerate(places.reshape(-1).tolist()):
            k = tuple(int(i) for i in np.unravel_index(flat, a.shape))
            if b is None:
                a[k] = func(a[k])
            else:
                a[k] = func(a[k], vals[j])
        return None
    return at


def _records(*arrays):
    return _registry_grad_enabled() and any(is_array(a) and a._node is not None
                                            for a in arrays)


def _registry_grad_enabled():
    from .._ops.registry import grad_state
    return grad_state.enabled


def _host_method(npufunc, method):
    """NumPy's ufunc method on the values (no gradient): NumPy's results and errors
    exactly (``np.divmod.reduce`` raises NumPy's ValueError, ``np.divmod.outer`` works)."""
    from ._core import wrap_result, nodiff_guard, first_array

    def m(*args, **kwargs):
        nodiff_guard(f"np.{npufunc.__name__}.{method}", *args)
        out = kwargs.pop("out", None)
        # (an ndgrad where= or initial= as NumPy's: NumPy handed a call holding one back
        # to ndgrad's own ufunc machinery, which refuses where= without out=)
        kwargs = {k: to_numpy(v) if is_array(v) else v for k, v in kwargs.items()}
        outs = out if isinstance(out, tuple) else (out,)
        if out is not None and builtins.all(hasattr(o, "dtype") and not is_symbolic(o)
                                            for o in outs):
            # NumPy computes into out's dtype (np.subtract.reduce(float16_x,
            # out=float32_o) subtracts in float32): its own call, into buffers laid out
            # as out, written there (casting the result afterwards gave other values)
            bufs = tuple(np.empty(tuple(o.shape), np.dtype(o.dtype)) for o in outs)
            getattr(npufunc, method)(*[to_numpy(a) for a in args],
                                     out=bufs if isinstance(out, tuple) else bufs[0],
                                     **kwargs)
            for o, b in zip(outs, bufs):
                o[...] = b
            return out
        res = getattr(npufunc, method)(*[to_numpy(a) for a in args], **kwargs)
        res = wrap_result(res, like=first_array(args))
        if out is not None:
            return _to_out(res, out)
        return res
    m.__name__ = m.__qualname__ = method
    m.__doc__ = f"NumPy's ``np.{npufunc.__name__}.{method}`` on the values (no gradient)."
    return m


def _to_out(res, out):
    from ._core import cast_value
    target = out[0] if isinstance(out, tuple) else out
    target[...] = cast_value(res, target)
    return target


def _reduce(stdname, func, npufunc):
    red = {"add": "sum", "multiply": "prod", "maximum": "max", "minimum": "min",
           "logical_and": "all", "logical_or": "any"}

    def reduce(array, axis=0, dtype=None, out=None, keepdims=False, initial=None,
               where=True):
        """Reduce ``array`` along ``axis`` with this operation (``np.add.reduce``)."""
        from . import stats
        a = arr(array)
        keywords = dtype is not None or initial is not None or out is not None or \
            where is not True
        if (stdname not in red or keywords and plain_numpy(a, out, where, initial)) and \
                not _records(a):
            # NumPy's own (with dtype=, initial=, out= or where= on values nothing
            # records: its loop dtype -- initial= cast to it, out='s dtype the inputs are
            # cast to -- where the differentiable path below promoted initial= and
            # reduced maximum/minimum in the input's dtype)
            return host_reduce(a, axis, dtype=dtype, out=out, keepdims=keepdims,
                               **({} if initial is None else {"initial": initial}),
                               where=where)
        if stdname in red:
            f = getattr(stats, red[stdname])
            kw = {"keepdims": keepdims}
            if stdname in ("add", "multiply"):
                kw["dtype"] = dtype
            if where is not True:
                kw["where"] = where      # (it was dropped: add.reduce(x, where=m) summed all)
            if stdname in ("logical_and", "logical_or"):
                # (``all``/``any`` give bool; NumPy's out= takes the bool result)
                r = f(a, axis, **kw)
                if initial is not None:
                    r = std(stdname)(r, bool(initial))
                return write_out(r, out)
            if initial is not None:
                kw["initial"] = initial
            return f(a, axis, out=out, **kw)
        if not isinstance(axis, int) or initial is not None or where is not True \
                or out is not None or dtype is not None:
            raise TypeError(f"np.{npufunc.__name__}.reduce of an array that requires grad "
                            "takes one int axis (and keepdims) only; the input takes part "
                            "in a gradient computation")
        from .shape import moveaxis
        m = moveaxis(a, axis, 0)
        if m.shape[0] == 0:
            raise ValueError(f"zero-size array to reduction operation {npufunc.__name__} "
                             "which has no identity")
        r = m[0]
        for i in range(1, m.shape[0]):
            r = func(r, m[i])
        if keepdims:
            r = std("expand_dims")(r, axis=axis if axis >= 0 else axis + a.ndim)
        return r
    host_reduce = _host_method(npufunc, "reduce")
    host_accumulate = _host_method(npufunc, "accumulate")

    def accumulate(array, axis=0, dtype=None, out=None):
        """Running results along ``axis`` (``np.maximum.accumulate``); differentiable."""
        from .shape import moveaxis
        a = arr(array, dtype)
        if stdname not in ("add", "multiply") and not _records(a):
            return host_accumulate(a, axis, out=out)
        if stdname.startswith("logical_"):
            # bool results carry no gradient (as logical_and's own); NumPy's values (the
            # running results of a recorded float input kept its dtype: 1., 0. for True)
            return host_accumulate(a.detach(), axis, out=out)
        if stdname == "add":
            from .math import cumsum
            return cumsum(a, axis, out=out)
        if stdname == "multiply":
            from .math import cumprod
            return cumprod(a, axis, out=out)
        m = moveaxis(a, axis, 0)
        acc = [m[0]]
        for i in range(1, m.shape[0]):
            acc.append(func(acc[-1], m[i]))
        return write_out(moveaxis(std("stack")(acc, axis=0), 0, axis), out)

    def outer(A, B, /, **kwargs):
        """The operation on all pairs (``np.multiply.outer``)."""
        A, B = arr(A), arr(B)
        A2 = std("reshape")(A, A.shape + (1,) * B.ndim)
        return func(A2, B, **kwargs)

    return reduce, accumulate, outer, _host_method(npufunc, "reduceat")


def _numpy_ufunc(name):
    u = getattr(np, name, None)
    return u if isinstance(u, np.ufunc) else None


_LOOP_CHARS = set("?bBhHiIlLqQefdgFDG->")


def install_ufunc_methods(namespace):
    """Give the namespace's functions that are ufuncs in NumPy NumPy's ufunc methods,
    exactly where NumPy has them: binary single-output ones get ``reduce``,
    ``accumulate``, ``outer``, ``reduceat`` and ``at`` (differentiable where NumPy's
    can be); the others get NumPy's own methods, which raise what NumPy raises
    (``np.sin.reduce``, ``np.divmod.reduce``) or compute on the values
    (``np.divmod.outer``), and a differentiable ``at`` for unary ones
    (``np.negative.at``)."""
    for name, f in namespace.items():
        npu = _numpy_ufunc(name)
        if npu is None or f is npu or not callable(f) or isinstance(f, type) \
                or getattr(f, "_ndgrad_ufunc", False):
            continue
        try:
            if npu.nin == 2 and npu.nout == 1 and npu.signature is None:
                f.at = _at(name, f)
                f.reduce, f.accumulate, f.outer, f.reduceat = _reduce(name, f, npu)
            else:
                for m in ("reduce", "accumulate", "outer", "reduceat"):
                    setattr(f, m, _host_method(npu, m))
                f.at = _at(name, f) if npu.nin == 1 and npu.nout == 1 else \
                    _host_method(npu, "at")
            f.nin, f.nout, f.nargs = npu.nin, npu.nout, npu.nargs
            # NumPy's loops, in its order, over the dtypes ndgrad arrays hold (no object,
            # datetime or string loops)
            f.types = [t for t in npu.types if not set(t) - _LOOP_CHARS]
            f.ntypes = len(f.types)
            f.identity = npu.identity
            f.signature = npu.signature
            f._ndgrad_ufunc = True
        except AttributeError:  # pragma: no cover - a builtin without __dict__
            pass

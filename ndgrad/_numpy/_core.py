"""Shared machinery of the NumPy layer.

- ``std(name)``: the array API standard's function ``name`` from ``ndgrad._ops`` (looked up
  once, at first use), so the NumPy layer always builds on the standard's ops, and this
  package's exports (which may shadow the standard's names in ``ndgrad``) never recurse.
- ``host(name)``: NumPy's own function ``name`` run on the host values of ndgrad arrays,
  registered as an op without a gradient (``numpy.<name>``); used only for results that
  have none (indices, booleans, counts). On the NumPy backend the values, dtypes and
  shapes are NumPy's by construction; other backends get the result on their device.
- ``arr(x)``: an ndgrad Array for any array-like (lists, scalars, NumPy arrays).
"""
from __future__ import annotations

import builtins
import functools
import importlib
import sys
import warnings

import numpy as np

from .._ops.registry import defop, apply, nondiff, REGISTRY
from .._ops import registry as _registry
from .._backend import backend_of, known_backend as _known_backend

_ndarray = np.ndarray
_STD_MODULES = ("elementwise", "statistical", "manipulation", "linalg", "searching", "sorting",
                "sets", "utility", "creation", "indexing", "dtype_functions")
_std_cache: dict = {}


def std(name):
    """The standard's function ``name`` (from ndgrad._ops.*), cached."""
    f = _std_cache.get(name)
    if f is not None:
        return f
    for m in _STD_MODULES:
        try:
            mod = importlib.import_module(f"ndgrad._ops.{m}")
        except ImportError:  # pragma: no cover
            continue
        f = mod.__dict__.get(name)
        if f is not None and callable(f) and name in getattr(mod, "__all__", (name,)):
            _std_cache[name] = f
            return f
    raise NotImplementedError(f"the array API standard's {name} is missing from ndgrad._ops; "
                              "the NumPy layer builds on it")


def norm_order(order):
    """A memory-order argument as NumPy reads it: 'C', 'F', 'A', 'K' in either case (None
    passes); anything else is NumPy's ValueError.

    >>> norm_order('f')
    'F'
    """
    if order is None:
        return None
    if isinstance(order, str) and order.upper() in ("C", "F", "A", "K"):
        return order.upper()
    raise ValueError(f"order must be one of 'C', 'F', 'A', or 'K' (got {order!r})")


def is_array(x):
    return isinstance(x, _registry.Array)


def is_symbolic(x):
    """Whether ``x`` is a graph-mode tensor (the standard's functions build graph ops for
    those; a NumPy-signature function hands such calls to them)."""
    return isinstance(x, _registry.graph_hooks["types"])


def numpy_data(*xs):
    """True when every array among ``xs`` (None and non-arrays skipped) holds NumPy data
    (no graph tensor or ``nd.jit`` traced value, whose memory cannot be read, and no
    other backend)."""
    return builtins.all(not is_symbolic(x) and (not is_array(x) or type(x._data) is np.ndarray)
                        for x in xs if x is not None)


def arr(x, dtype=None, like=None):
    """``x`` as an ndgrad Array (Arrays pass through unchanged); new arrays go to the
    device of ``like`` when given (helper index arrays beside a strict/CUDA array)."""
    if isinstance(x, _registry.graph_hooks["types"]):
        # a graph-mode tensor or a traced value: the standard op it reaches adds a graph
        # node; a dtype asked for casts it (as an Array's: it was dropped, so nd.mean(x,
        # dtype=np.float32) under nd.jit summed in float64)
        if dtype is not None:
            from .._dtypes import as_dtype
            dt = as_dtype(dtype)
            have = x.dtype
            have = getattr(have, "as_numpy_dtype", have)
            if np.dtype(have) != dt:
                return std("astype")(x, dt)
        return x
    if isinstance(x, _registry.Array):
        if dtype is not None:
            from .._dtypes import as_dtype
            dt = as_dtype(dtype)
            if dt != x.dtype:
                return std("astype")(x, dt)
        return x
    from .._ops.creation import asarray
    return asarray(x, dtype=dtype, device=None if like is None else like.device)


def copy_of(x):
    """A differentiable copy (a fresh buffer, e.g. of a broadcast view)."""
    from .._ops.creation import asarray
    return asarray(x, copy=True)


def arrs(*xs):
    """Several array-likes as Arrays, new ones on the device of the first Array given."""
    ref = next((x for x in xs if isinstance(x, _registry.Array)), None)
    return [arr(x, like=ref) for x in xs]


def to_numpy(x):
    """Host NumPy values of an Array or array-like (no gradient). A lazy Dask array is
    refused, naming the function that asked: ndgrad never computes a whole Dask array
    behind the user's back (``x.compute()`` or ``numpy.asarray(x)`` do, when asked)."""
    if isinstance(x, _registry.Array):
        _registry.note_read(x)
        d = x._data
        if type(d) is _ndarray:
            return d
        bk = backend_of(d)
        if bk.name == "dask":
            _refuse_lazy(_caller_name(), (d,))
        return bk.to_numpy(d)
    if isinstance(x, _registry.graph_hooks["types"]):
        # a graph tensor or a value nd.jit traces: its known value, or its own clear error
        # (handed to NumPy as it is, NumPy's function would dispatch back here for ever)
        return np.asarray(x)
    return x


_PKG = __file__.rsplit("_numpy", 1)[0]
_WRAPPER_NAMES = {"f", "g", "wrapper", "inner", "compute", "apply", "forward"}


def _caller_name():
    # the ndgrad function the user called (the outermost ndgrad frame), for the message
    f, entry = sys._getframe(1), None
    while f is not None and f.f_code.co_filename.startswith(_PKG):
        name = f.f_code.co_name
        if not name.startswith(("_", "<")) and name not in _WRAPPER_NAMES and \
                f.f_code.co_filename != __file__:
            entry = name
        f = f.f_back
    return f"ndgrad.{entry}" if entry else "this NumPy function"


# -- host ops: NumPy's own functions, no gradient ------------------------------------------
def _to_host(v):
    if type(v) is _ndarray:
        return v
    if isinstance(v, (list, tuple)):
        return type(v)(_to_host(u) for u in v)
    bk = None
    try:
        bk = backend_of(v)
    except TypeError:
        return v
    return bk.to_numpy(v)


def _back(v, like):
    """A host result on the backend of ``like`` (a NumPy array when ``like`` is None)."""
    v = np.asarray(v)
    if like is None:
        return v
    return backend_of(like).xp.asarray(v)


def _first_backend_array(arrays):
    for a in arrays:
        if hasattr(a, "shape") and type(a) is not _ndarray and not isinstance(a, np.generic):
            return a
    return None


def _refuse_lazy(opname, arrays):
    # a Dask array would be computed whole, silently: refuse by name instead
    for a in arrays:
        if type(a) is not _ndarray and getattr(_known_backend(a), "name", "") == "dask":
            raise TypeError(f"{opname} is computed by NumPy on host values: on a Dask "
                            "array that would compute the whole array. Call x.compute() "
                            "first (or x.to_device('cpu'))")


# why a result NumPy computed from its inputs' values has no gradient in ndgrad
ON_VALUES = "computed by NumPy on the values of its inputs"
_HOST_OPS = {}   # op name -> (npfunc, multi, moves): one op a name, never two meanings


def make_host_op(name, npfunc, multi=False, reason=None, moves=False):
    """The op ``numpy.<name>``: NumPy's function on host values, without gradient.
    ``moves``: its floating results move with the inputs (sorted values, a histogram's
    edges), so a gradient through them raises (``ON_VALUES``), never a zero; else they
    are integers, booleans or piecewise constant. Asked again with the same arguments,
    the op made first; with others, an error (a second function under one name would
    run the first one's forward and gradient rule)."""
    opname = f"numpy.{name}"
    made = _HOST_OPS.get(opname)
    if made is not None:
        if made != (npfunc, multi, moves):
            raise ValueError(f"host op {opname!r} made twice with other arguments")
        return REGISTRY[opname]
    _HOST_OPS[opname] = (npfunc, multi, moves)

    def forward(xp, *arrays, _rest, _kw):
        _refuse_lazy(opname, arrays)
        res = npfunc(*[_to_host(a) for a in arrays], *_rest, **_kw)
        like = _first_backend_array(arrays)
        if multi:
            return tuple(_back(r, like) for r in res)
        return _back(res, like)
    if moves:
        return defop(opname, forward, None, multi=multi, nograd=ON_VALUES)
    why = reason or f"NumPy's {name} has an integer, boolean or piecewise-constant result"
    return defop(opname, forward, None, multi=multi, **nondiff(why))


# host-computed functions whose ``out=`` is a reduction's (NumPy requires its shape)
_REDUCING_HOSTS = {"nanargmax", "nanargmin"}


def host(name, example, nargs=1, multi=False):
    """A public NumPy function computed by NumPy on host values (no gradient).

    The first ``nargs`` positional arguments are arrays; the rest are passed as they are.
    ``example`` (the arguments as source text) makes the docstring's example.
    """
    npfunc = getattr(np, name)
    op = make_host_op(name, npfunc, multi=multi)

    def f(*args, **kwargs):
        # (an nd.jit or graph value goes to the op as it is: NumPy's function runs on its
        # value when the plan runs; a result shape that depends on the values is nd.jit's
        # TracerShapeError)
        arrays = tuple(a if is_array(a) or is_symbolic(a) else np.asarray(a)
                       for a in args[:nargs])
        if not any(is_array(a) or is_symbolic(a) for a in arrays):
            return wrap_result(npfunc(*arrays, *args[nargs:], **kwargs), multi)
        out = kwargs.get("out")
        if out is not None and (is_symbolic(out) or any(is_symbolic(a) for a in arrays)):
            # an nd.jit trace (or a graph): NumPy's function runs when the plan runs, on
            # values, where it cannot write a traced ``out``; the result is written into
            # ``out`` here, as every NumPy-face function writes one (a NumPy array or a
            # constant of the trace is refused there; it was left unwritten, silently)
            kw = {k: v for k, v in kwargs.items() if k != "out"}
            res = apply(op, arrays, {"_rest": args[nargs:], "_kw": kw})
            return write_out(res, out, reduction=name in _REDUCING_HOSTS)
        res = apply(op, arrays, {"_rest": args[nargs:], "_kw": kwargs})
        # an ndgrad ``out=``: NumPy's function wrote it through ndgrad's own (it dispatches
        # there); NumPy returns ``out`` itself (a fresh array was returned)
        return out if is_array(out) else res
    f.__name__ = f.__qualname__ = name
    try:   # (NumPy's parameters, for inspect.signature and help(); not (*args, **kwargs))
        f.__signature__ = __import__("inspect").signature(npfunc)
    except (TypeError, ValueError):
        pass
    shown = repr(npfunc(*eval(f"({example},)", {"np": np})))  # NumPy's text is ndgrad's
    f.__doc__ = (f"NumPy's ``{name}``, computed by NumPy on the values (no gradient): "
                 f"{_first_line(npfunc)}\n\n    >>> import ndgrad as np\n"
                 f"    >>> np.{name}({example})\n    {shown}\n")
    return f


def first_array(xs):
    """``xs`` if it is an Array, else the first Array in the sequence ``xs`` (or None):
    the ``like`` that puts a host-computed result on its inputs' device."""
    if is_array(xs):
        return xs
    if isinstance(xs, (list, tuple)):
        return next((x for x in xs if is_array(x)), None)
    return None


def wrap_result(res, multi=False, like=None):
    """NumPy's result(s) as ndgrad arrays, on the device of ``like`` (an Array) if given."""
    from .._ops.creation import asarray
    if multi or isinstance(res, tuple):
        return tuple(wrap_result(r, like=like) for r in res)
    if isinstance(res, list):
        return [wrap_result(r, like=like) for r in res]
    dev = None if like is None else like.device
    if isinstance(res, np.generic):  # NumPy's scalar: a 0-d array printing as one
        out = asarray(np.asarray(res), device=dev)
        out._array0d = False
        return out
    if isinstance(res, np.ndarray):
        return asarray(res, device=dev)
    return res


def _first_line(f):
    d = getattr(f, "__doc__", None) or ""
    for line in d.strip().splitlines():
        if line.strip():
            return line.strip()
    return ""


def plain_numpy(*xs):
    """True when nothing among ``xs`` records a gradient and every array holds NumPy data
    (no graph tensor, no other backend): there NumPy's own function gives the values, in
    one pass, and a differentiable composition of ops would only cost time."""
    if builtins.any(type(x) in (list, tuple) for x in xs):
        # (a list of arrays is an array too: ``np.ediff1d([x, y])``)
        xs = tuple(_flat_items(xs))
    if _registry._trace_reads or _registry.grad_state.enabled and builtins.any(
            is_array(x) and x._node is not None for x in xs):
        return False    # (an nd.jit trace must see the reads: the ops' path reports them)
    return builtins.all(type(x._data) is np.ndarray for x in xs if is_array(x)) and not \
        builtins.any(is_symbolic(x) for x in xs)


def _flat_items(xs):
    """The items of ``xs``, nested lists and tuples opened."""
    for x in xs:
        if type(x) in (list, tuple):
            yield from _flat_items(x)
        else:
            yield x


def write_out(res, out, ufunc=None, casting="same_kind", reduction=False):
    """NumPy's ``out=``: ``res`` written into ``out`` (an ndgrad or NumPy array), which
    is returned; ``res`` itself when ``out`` is None. ``ufunc``: the name of the ufunc
    NumPy's own function writes ``out`` with (``clip``, ``rint``, ``multiply``): its
    casting rule (``casting``, NumPy's ``same_kind`` by default) is checked first, so a
    float result is refused by an int ``out`` as NumPy refuses it, not truncated into
    it. A value being differentiated is
    never written into a NumPy array (its gradient would be silently lost), and inside
    ``nd.jit`` a NumPy array is never written (the write would happen once, while
    tracing). ``reduction``: ``out`` of a reduction (``sum``, ``argmax``, ``std`` ...),
    which NumPy requires of the result's shape exactly (one the result broadcasts to, as
    (2, 10) for a (10,) result, was written twice over where NumPy refuses it).

    >>> import numpy, ndgrad as nd
    >>> o = numpy.zeros(2); _ = nd.add(nd.asarray([1.0, 2.0]), 1, out=o); o
    array([2., 3.])
    """
    if not isinstance(casting, str):
        # (casting=None skipped the check and truncated a float result into an int out)
        raise TypeError(f"casting must be str, not {type(casting).__name__}")
    if out is None:
        return res
    out_array_check(out)
    if ufunc is not None:
        ufunc_out_check(ufunc, res.dtype, out, casting)   # (NumPy checks the dtypes first)
    rs = tuple(res.shape) if hasattr(res, "shape") else np.shape(res)
    os_ = tuple(out.shape) if hasattr(out, "shape") else np.shape(out)
    if rs != os_ and reduction and not is_symbolic(out) and not is_symbolic(res) \
            and None not in rs and None not in os_:
        raise ValueError(f"output array of shape {os_} does not match the reduction's "
                         f"result of shape {rs} (a reduction's out= has its shape exactly)")
    if rs != os_ and not is_symbolic(out) and not is_symbolic(res) \
            and None not in rs and None not in os_:
        # NumPy broadcasts the inputs to ``out``, never the result into it: ``out`` of
        # shape (3,) for a (1, 3) result is refused (``out[...] = res`` would drop the 1)
        try:
            ok = np.broadcast_shapes(rs, os_) == os_
        except ValueError:
            ok = False
        if not ok:
            raise ValueError(f"non-broadcastable output operand with shape {os_} doesn't "
                             f"match the broadcast shape {rs}")
    if not isinstance(out, _registry.Array) and not is_symbolic(out):
        _registry.note_write(out)
        if _registry.grad_state.enabled and isinstance(res, _registry.Array) and \
                res._node is not None:
            # a NumPy array cannot carry a gradient (``np0d += traced`` in NumPy code)
            raise TypeError(f"cannot write a value that is being differentiated into a "
                            f"NumPy array of shape {np.shape(out)} (out=, or an in-place "
                            "operator on a NumPy array): its gradient would be lost. "
                            "Make the target an ndgrad array (nd.asarray) or write "
                            "a = a + b")
        res = to_numpy(res) if is_array(res) else res
    out[...] = cast_value(res, out)
    return out


def numpy_into_out(name, args, out, again, **kw):
    """NumPy's own ``np.name(*args, out=..., **kw)`` written into ``out`` (which is
    returned), or None where NumPy cannot compute it (no ``out``, a graph or traced value,
    another backend's array: the caller writes its own result). For the functions that
    compute in out's dtype when given one (reductions accumulate in the dtype promoted
    with out's, ``round`` multiplies, rounds and divides in ``out``, ``einsum`` sums in
    it): casting the result computed without ``out=`` gave other values. ``again()``: the
    result without ``out=``, whose gradient NumPy's value carries when one is recorded;
    ``kw`` left None are not passed (NumPy's defaults).

    >>> import numpy, ndgrad as nd
    >>> o = nd.zeros(2, nd.float32)
    >>> _ = nd.round(nd.asarray([2.675, 1.005]), 2, out=o)
    >>> bool((o == numpy.round([2.675, 1.005], 2, out=numpy.zeros(2, "f4"))).all())
    True
    """
    if out is None or is_symbolic(out) or not hasattr(out, "dtype") or \
            not numpy_data(*args, *kw.values()):
        return None
    arrays = [x for x in (*args, *kw.values()) if is_array(x)]
    like = next((x for x in arrays if type(x._data) is np.ndarray), None)
    buf = np.empty(tuple(out.shape), np.dtype(out.dtype))
    getattr(np, name)(*[to_numpy(x) if is_array(x) else x for x in args], out=buf,
                      **{k: to_numpy(v) if is_array(v) else v for k, v in kw.items()
                         if v is not None})    # (NumPy's errors and warnings)
    value = arr(buf, like=like)
    if not plain_numpy(*args, *kw.values()):
        from .aliases import _exact
        value = _exact(value, arr(again(), buf.dtype))
    return write_out(value, out)


def cumulative(name, x, axis, dtype, out, include_initial):
    """The standard's ``cumulative_sum``/``cumulative_prod`` (``name``) with NumPy's
    ``out=``: NumPy accumulates in the dtype promoted with out's (``numpy_into_out``).

    >>> import ndgrad as np
    >>> cumulative("cumulative_sum", np.asarray([1, 2]), None, None, None, True)
    array([0, 1, 3])
    """
    kw = {"axis": axis, "dtype": dtype, "include_initial": include_initial}
    if out is not None:
        done = numpy_into_out(name, (arr(x),), out, lambda: std(name)(arr(x), **kw), **kw)
        if done is not None:
            return done
    return write_out(std(name)(arr(x), **kw), out)


def cast_value(value, target):
    """``value`` for ``target[...] = value`` with NumPy's ``out=`` semantics, a cast: a
    0-d Array standing for NumPy's scalar (a reduction's result) is written as its 0-d
    array, not as that scalar, whose assignment into an integer array NumPy range-checks
    (``np.add.reduce(int16_x, out=int16_0d)`` casts the int64 sum; as a scalar it raised
    OverflowError).

    >>> import ndgrad as nd
    >>> o = nd.zeros((), nd.int16); o[...] = cast_value(nd.asarray([40000]).sum(), o); o
    array(-25536, dtype=int16)
    """
    if isinstance(value, _registry.Array) and not value._data.shape and \
            type(value._data) is np.ndarray and np.dtype(target.dtype).kind in "iu" and \
            _registry.stands_for_scalar(value):
        return value._data
    return value


def take_out_check(name, a, out):
    """NumPy's ``out=`` rule for ``take``, ``compress``, ``argmax`` and ``argmin``: whether
    a result of ``a``'s dtype may be written into ``out``'s, else NumPy's TypeError, before
    anything is written. The installed NumPy is asked (``_numpy_gather_refuses``): NumPy
    2.4 gathers into a buffer of the input's dtype and refuses an ``out`` that does not
    cast safely to it (complex128 for a float64 input), NumPy 2.5 casts into any ``out``.

    >>> import numpy, ndgrad as nd
    >>> take_out_check("argmax", numpy.dtype(numpy.intp), numpy.zeros((), float))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    TypeError: argmax: Cannot cast ... from dtype('float64') to dtype('int64') ...
    """
    why = _numpy_gather_refuses(name, np.dtype(out.dtype), np.dtype(getattr(a, "dtype", a)))
    if why is not None:
        raise TypeError(f"{name}: {why}")


@functools.cache
def _numpy_gather_refuses(name, out_dtype, dtype):
    """NumPy's own TypeError message for gather ``name`` of a ``dtype`` input into an
    ``out`` of ``out_dtype`` (None where NumPy writes it), from one call on one element."""
    x = np.zeros(1, dtype)
    o = np.zeros(() if name in ("argmax", "argmin") else 1, out_dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")   # (NumPy 2.5 warns of complex -> real casts)
        try:
            if name == "compress":
                np.compress([True], x, out=o)
            elif name in ("argmax", "argmin"):
                getattr(np, name)(np.zeros(1), out=o)
            else:
                np.take(x, [0], out=o)
        except TypeError as e:
            return str(e)
    return None


def out_array_check(out, name=""):
    """NumPy's TypeError for an ``out=`` that is no array (a string, a list): there is
    nothing to write into."""
    if not (hasattr(out, "shape") and hasattr(out, "dtype")):
        # (NumPy's phrases: "out must be an array", its fft's "must be of ArrayType")
        raise TypeError(f"{name + ': ' if name else ''}out must be an array: out must be of "
                        f"ArrayType (an ndgrad or NumPy array), not {type(out).__name__}")


def ufunc_out_check(name, res_dtype, out, casting="same_kind"):
    """NumPy's ``out=`` rule for a ufunc-like function (``clip``, ``round``: NumPy calls a
    ufunc): its result's dtype must cast to ``out``'s under ``casting``, else NumPy's
    TypeError, before anything is written.

    >>> import numpy, ndgrad as nd
    >>> ufunc_out_check("clip", numpy.dtype("float64"), numpy.zeros(2, int))
    Traceback (most recent call last):
    TypeError: Cannot cast ufunc 'clip' output from dtype('float64') to dtype('int64') ...
    """
    if out is None:
        return
    src, dst = np.dtype(res_dtype), np.dtype(out.dtype)
    if not np.can_cast(src, dst, casting):
        kind = "ufunc " if isinstance(getattr(np._core.umath, name, None), np.ufunc) else ""
        raise TypeError(f"Cannot cast {kind}{name!r} output from {src!r} to {dst!r} with "
                        f"casting rule {casting!r}")


def write_target_check(name, a):
    """NumPy's TypeError for an in-place function (``place``, ``putmask``, ``put``,
    ``copyto``) handed something that is no array (a list: NumPy refuses it, there is
    nothing to write into); an AttributeError came from the first ``.dtype``."""
    if not hasattr(a, "shape"):   # (an ndgrad, NumPy or other backend's array, a traced one)
        raise TypeError(f"{name}: the array written into must be an array (ndgrad's or "
                        f"NumPy's), not {type(a).__name__}: it is written in place")


def unrecorded_target(a, *values):
    """The NumPy buffer of ndgrad array ``a``, made ready for an in-place write by one of
    NumPy's own functions (``np.put(buf, ...)``), or None where the write must take
    ndgrad's general path: ``a`` is no NumPy-backed Array, some value is a graph tensor or
    on another backend, or the write is recorded for gradients (``a`` floating, recording
    on, and ``a``, a view of its buffer or a value in a gradient computation), which
    ``_autograd.inplace.write`` does. A buffer a recorded rule still reads (``a`` or a
    view of it was saved) is first moved onto a copy, as ``write`` does (copy-on-write),
    so the rule keeps the values the forward used; ``a``'s views follow it. A plain NumPy
    ``a`` (nothing of it is recorded) is its own buffer, unless a value takes part in a
    gradient (the general path refuses to hand it to NumPy) or an ``nd.jit`` trace runs."""
    if type(a) is _ndarray:
        if _registry._trace_reads:
            return None
        for v in values:
            if is_array(v):
                if type(v._data) is not _ndarray or (
                        v._node is not None and _registry.grad_state.enabled):
                    return None
            elif is_symbolic(v):
                return None
        return a
    if type(a) is not _registry.Array or type(a._data) is not _ndarray:
        return None
    _registry.note_write(a)
    recording = _registry.grad_state.enabled and a._data.dtype.kind in "fc"
    for v in values:
        if is_array(v):
            if type(v._data) is not _ndarray or (recording and v._node is not None):
                return None
        elif is_symbolic(v):
            return None
    from .._autograd.inplace import _root, _live_views, _was_saved, _copy_on_write
    root = _root(a)
    views = _live_views(root)
    if recording and (root._node is not None or builtins.any(
            w._node is not None for w in views)):
        return None
    if _was_saved(root, views):
        _copy_on_write(root, views)
    return a._data


def _host_value_forward(xp, *arrays, value, fn):
    return value


# the floating results NumPy computed on the values of inputs that record a gradient (a
# polynomial's roots, histogram edges ...): they move with those inputs, and ndgrad has
# no gradient for them -- recorded with a rule that raises, never a silent zero
_HOST_VALUE = defop("numpy_host_value", _host_value_forward, nograd=ON_VALUES)


def host_values(fn, out, *inputs):
    """``out`` (an Array, or a tuple or list of them) that NumPy's ``fn`` computed from
    the values of ``inputs``: where an input records a gradient, each floating result is
    recorded from those inputs with a rule that raises (a gradient through ``fn`` is an
    error naming it; the values stay usable). Otherwise ``out`` as it is."""
    recorded = tuple(a for a in inputs if is_array(a) and a._node is not None)
    if not recorded or not _registry.grad_state.enabled:
        return out

    def one(r):
        if is_array(r) and r.dtype.kind in "fc":
            return _registry.apply(_HOST_VALUE, recorded, {"value": r._data, "fn": fn})
        return r
    if isinstance(out, list):
        return [one(r) for r in out]
    if isinstance(out, tuple):
        return tuple(one(r) for r in out)
    return one(out)


def nodiff_guard(name, *arrays):
    """Refuse to silently cut gradients: raise if an input takes part in a gradient."""
    for a in arrays:
        if is_array(a) and a._node is not None and _registry.grad_state.enabled:
            raise TypeError(f"{name} has no gradient in ndgrad, and an input requires grad; "
                            "detach it first (x.detach()) if the values are all you need")


def axis_index(axis, ndim):
    """``axis`` as a non-negative index as NumPy's ``normalize_axis_index`` gives it: an
    AxisError for any axis of a 0-d array (which has none)."""
    from .._ops._common import normalize_axis_index
    if ndim == 0:
        raise np.exceptions.AxisError(f"axis {axis} is out of bounds for array of dimension 0")
    return normalize_axis_index(axis, ndim)


def int_axis(axis, message="an integer is required for the axis"):
    """``axis`` itself, refused where it is a boolean: the functions NumPy writes in C
    (``transpose``, ``squeeze``, ``concatenate``, ``cumsum`` ...) read an axis as a C
    integer, which a bool is not (TypeError); Python's ``operator.index`` takes True as 1.
    Returns ``axis`` (None and tuples pass; their items are checked by the caller).

    >>> int_axis(1)
    1
    >>> int_axis(True)
    Traceback (most recent call last):
    TypeError: an integer is required for the axis
    """
    if isinstance(axis, (bool, np.bool_)):
        raise TypeError(message)
    return axis


def _short_value(value):
    r = repr(value)
    return r if len(r) <= 60 else r[:57] + "..."


def host_result(value, like=None):
    """A NumPy result (array or scalar) as an ndgrad Array on the device of ``like``; a
    0-d result is what NumPy's is: its scalar (printing ``np.float64(1.0)``, rebound by
    ``+=``) or its 0-d array (``np.pad(1.0, 0)``: printing ``array(1.)``, written in
    place by ``+=``). A result NumPy computed in Python objects (a quantile at a
    ``Fraction`` q, of ``Decimal`` data) is refused: ndgrad arrays hold booleans and
    numbers, and an object array passed on computes otherwise than NumPy's."""
    v = np.asarray(value)
    if v.dtype.kind not in "biufc":
        raise TypeError(f"ndgrad arrays hold booleans and numbers; NumPy's result here is "
                        f"{_short_value(value)} of dtype {v.dtype} (from Python objects such as "
                        "Fraction or Decimal in the input): call NumPy's function for it")
    if like is None or type(like._data) is np.ndarray:
        out = _registry.wrap(v)
    else:
        out = _registry.wrap(_back(v, like._data))
    return _registry.with_0d_kind(out, type(value) is np.ndarray)

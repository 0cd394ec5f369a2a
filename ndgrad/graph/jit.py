"""``nd.jit``: an eager ndgrad function traced into a graph once per input signature.

``nd.jit(f)`` (JAX's ``jax.jit``, its names and behaviour) calls ``f`` once per input
signature -- the shapes, dtypes and devices of its array arguments, the values of its
static arguments, the structure of its argument pytrees -- with *traced* values in place
of its arrays. A traced value (``Traced``) behaves as an ``nd.Array`` whose value is not
known: every ndgrad function given one adds a node to a fresh graph (``ndgrad.graph``)
instead of computing. The graph is compiled by the Session plan compiler
(``session._compile``) into one straight-line function, which every later call with the
same signature runs on the new values.

What tracing cannot see is refused with a clear error, never computed wrongly:

- Python control flow on a traced value (``bool(t)``, ``if t > 0``, ``float(t)``,
  ``t.item()``, ``np.asarray(t)``) raises ``ConcretizationTypeError`` naming the value
  (mark the argument static, or use ``nd.where``);
- ops whose output shape depends on the values (``unique``, ``nonzero``, boolean-mask
  indexing) raise ``TracerShapeError`` naming the op;
- a function that catches either error (``try: s = float(t) except TypeError: s = 0``)
  is refused after its trace: the compiled code would take the ``except`` path at every
  call, where the eager function does not raise;
- a random draw, a traced value stored outside the function, and state it rebinds:
  ``jit_random``, ``jit_state``.

In-place writes inside ``f`` (``x[i] = v``, ``x += 1``, writes through a basic-index
view) are functional updates in the recorded graph; a write into an argument is then
written into the caller's array after each call, as the eager function writes it
(refused when that argument shares memory with another input), and a write into an array
from outside the arguments, which would happen once while tracing, is refused.
Arrays ``f`` makes with creation functions (``nd.zeros`` ...) are constants of the trace:
traced values can be written into them, and computations on constants alone run at
trace time, so host code on them (``int(n)``, a mask, an index) still sees values.
Arrays ``f`` reads from outside its arguments (closures, globals: ndgrad or NumPy
arrays) are read at trace time and their values compiled in, as JAX does. Unlike JAX's,
ndgrad's arrays can be written afterwards (``w -= lr * g``, a NumPy alias): every call
compares each such array with the value the trace read (every byte, so NaN and -0.0
count), and traces again when one changed (warning once per function), so the compiled
code never runs on old values. The comparison is a pass over the array per call: pass a
large array (a dataset) as an argument instead. A name the function reads rebound to
another value (``lr = 2.0``, ``model.w = w2``, ``cfg["k"] = 3``: a global, a closure
variable, an attribute or dict entry of one, of an object argument -- a decorated method's
``self`` -- or of a parameter's default, an entry of a list it loops over; also in the user
functions and methods it calls by name) is caught too, where JAX keeps the old value:
``jit_guards`` checks them at each call and the function is traced again. Python code runs
once, at trace time, as in JAX: a NumPy array ``f`` computes from no argument
(``numpy.random``'s draws included) is a constant of the compiled code (``ndgrad.random``
refuses to be called inside a trace for that reason).
The autograd verbs (``grad``, ``value_and_grad``, ``vjp``, ``jvp``; ``jacobian`` and
``hessian`` through them) given traced values build their gradients as graph (``graph.gradients``),
so ``nd.jit(nd.value_and_grad(f))`` compiles forward and backward together.
"""
from __future__ import annotations

import functools
import inspect
import sys
import threading
import warnings
import weakref

import numpy as np

from .._ops import registry as _registry
from .._ops.registry import REGISTRY, Op, apply
from .._ops.sharing import shared_now
from .._fperr import ignore as quiet, restore as loud
from . import core as _core
from . import errors as _errors
from .core import Graph, Tensor, graph_apply
from .session import Session, _compile
from . import jit_guards as _guards
from . import jit_random as _random
from .compiler.cse import freeze as _freeze, _NoKey
from . import jit_state as _jstate

__all__ = ["jit", "Traced", "ConcretizationTypeError", "TracerShapeError"]


class _TraceError:
    """Mixin of the errors a trace raises where the eager function would go on: each one
    made while a trace runs is noted, so that one the function catches (``try: float(x)
    except TypeError: ...``) refuses the trace, whose compiled code would follow the
    ``except`` path at every call where the eager function does not."""

    def __init__(self, *args):
        super().__init__(*args)
        if _state.graphs:
            _state.raised.append(self)


class ConcretizationTypeError(_TraceError, TypeError):
    """A traced value was used where a concrete value is needed (JAX's error of the
    same name): Python control flow, conversion to a Python scalar or a NumPy array."""


class TracerShapeError(_TraceError, ValueError):
    """An op whose output shape depends on its input values was applied to a traced
    value: nd.jit compiles for fixed shapes."""


class _State(threading.local):
    """Per-thread tracing state: the graphs of the traces running in this thread."""

    def __init__(self):
        self.graphs = []
        self.captures = []    # per running trace: what it read from outside (_capture)
        self.made = []        # per running trace: ids of the arrays made while it runs
        self.fresh = []       # per running trace: ids of the arrays wrapped while it runs
        self.raised = []      # the _TraceErrors made while traces run (see _TraceError)


_state = _State()


def tracing():
    """Whether a trace is running in this thread (the autograd verbs then build graph)."""
    return bool(_state.graphs)


# -- the traced value ----------------------------------------------------------------------
_NO_PROPAGATE = object()
_READ_ONLY = object()        # a view no write may go through (x.imag of a real x)
_EMPTY = np.empty(0)


class Traced:
    """A value inside ``nd.jit``: an ``nd.Array`` of known shape and dtype whose value
    is not known while tracing. It holds the graph tensor of its current value; an
    in-place write points it at the tensor of the updated value."""

    __slots__ = ("_t", "_base", "_views", "_stale", "_array0d", "__weakref__")
    __array_priority__ = 100000
    __hash__ = None

    def __init__(self, tensor, base=None):
        self._t = tensor
        self._base = base          # (parent Traced, key or _NO_PROPAGATE) for a view
        self._views = None         # weak references to views taken of this value
        self._stale = None         # why this view no longer shows its base's values

    def _known(self):
        """The value, when it is a constant of the trace (made by a creation function, or
        computed from such constants only): host code may read it, as eager's."""
        op = self._t._op
        if op._kind == "const" and self._stale is None:
            return op._attrs["value"]
        return None

    def _known_array(self):
        v = self._known()
        if v is None:
            return None
        return _constant_array(v)

    @property
    def _data(self):
        v = self._known()
        if v is not None:
            return v          # read-only: a write into it raises
        self._concrete("reading the array's memory (an ndgrad function that works on "
                       "the backend array itself, or a write of this value into a "
                       "concrete array, e.g. one made outside the function or by "
                       "nd.asarray: make it inside with nd.zeros / nd.full / nd.empty, "
                       "which traced values can be written into, or collect the values in "
                       "a list and nd.stack them)")

    @property
    def _node(self):
        if self._known() is not None:
            return None       # a constant: in no gradient computation
        self._concrete("an eager gradient record (an ndgrad function that runs eagerly "
                       "on its inputs' values)")

    def _jit_asarray(self, dtype, device, copy, requires_grad):
        """``nd.asarray(t)``: the traced value itself; a new box for a copy (a write
        into the copy leaves ``t`` alone); ``astype`` for a new dtype."""
        if requires_grad:
            raise TypeError("nd.jit: requires_grad=True on a traced value; use nd.grad "
                            "inside the jitted function")
        if device is not None and str(device) != "cpu":
            raise ValueError(f"nd.jit runs on the NumPy backend (the CPU); asarray asked "
                             f"for device {device!r}")
        if dtype is not None and dtype != self.dtype:
            if copy is False:
                raise ValueError(f"asarray(copy=False) cannot convert {self.dtype} to "
                                 f"{dtype} without a copy")
            from .._ops.dtype_functions import astype
            return astype(self, dtype)
        if copy:
            return Traced(self._as_graph_element())
        return self

    def detach(self):
        """The same value, cut from gradient computations (a view: a write into it
        reaches this value, as eager's ``detach``)."""
        from .._autograd.inplace import DETACH
        res = apply(DETACH, (self,))
        _link_view(self, res, Ellipsis, "detach")
        return res

    def backward(self, *args, **kwargs):
        raise TypeError("nd.jit: backward() on a traced value: .grad lives on eager leaves,"
                        " which a jitted function does not have; return the gradient from "
                        "nd.grad / nd.value_and_grad inside the function instead")

    requires_grad_ = retain_grad = backward

    @property
    def requires_grad(self):
        return False

    def sort(self, axis=-1, kind=None, order=None, *, stable=None, descending=False):
        """In place, as NumPy's ``x.sort()`` (a functional update of the traced value)."""
        from .._ops.sorting import sort
        _rebind(self, sort(self, axis=axis, descending=bool(descending))._as_graph_element())

    def fill(self, value):
        """In place, as NumPy's ``x.fill(v)``."""
        _setitem(self, Ellipsis, value)

    @property
    def itemsize(self):
        return self.dtype.itemsize

    @property
    def nbytes(self):
        return self.size * self.dtype.itemsize

    def _as_graph_element(self):
        if self._stale is not None:
            raise ValueError(self._stale)
        return self._t

    # -- attributes ----------------------------------------------------------------
    @property
    def shape(self):
        return tuple(self._t._shape)

    @property
    def dtype(self):
        return self._t._np_dtype

    @property
    def ndim(self):
        return len(self._t._shape)

    @property
    def size(self):
        n = 1
        for d in self._t._shape:
            n *= d
        return n

    @property
    def device(self):
        from .._backend import device_of
        return device_of(_EMPTY)     # nd.jit runs on the NumPy backend (the CPU)

    @property
    def T(self):
        from .._methods import _T
        return _T(self)

    @property
    def mT(self):
        from .._ops.linalg import matrix_transpose
        return matrix_transpose(self)

    @property
    def real(self):
        from .._ops.elementwise import real
        return real(self)       # (a view of self: _wrap_out)

    @property
    def imag(self):
        from .._ops.elementwise import imag
        return imag(self)       # (a view of self: _wrap_out)

    def __array_namespace__(self, /, *, api_version=None):
        import ndgrad
        return ndgrad

    def __len__(self):
        if not self._t._shape:
            raise TypeError("len() of unsized object (a 0-d array)")
        return self._t._shape[0]

    def __iter__(self):
        if not self._t._shape:
            raise TypeError("iteration over a 0-d array")
        for i in range(self._t._shape[0]):
            yield self[i]

    def _describe(self):
        return (f"traced value {self._t.name} of shape {self.shape} and dtype "
                f"{self.dtype}")

    def __repr__(self):
        return f"Traced<{self.dtype}{list(self.shape)}>({self._t.name})"

    __str__ = __repr__

    # -- no concrete value while tracing ------------------------------------------------
    def _concrete(self, what):
        raise ConcretizationTypeError(
            f"nd.jit: {what} needs the value of the {self._describe()}, which is not known "
            "while tracing (Python control flow and conversions see no values inside "
            "nd.jit). Pass the argument it comes from as static (static_argnums / "
            "static_argnames), choose with nd.where instead of if/else, or call the "
            "function without nd.jit.")

    # __bool__, __int__, __float__, __complex__, __index__, item, tolist: from the
    # table _HOST_CONVERSIONS below (the value of a constant, else the error above)

    def __array__(self, dtype=None, copy=None):
        k = self._known_array()
        if k is not None:
            return k.__array__(dtype, copy=True if copy is None else copy)
        self._concrete("conversion to a NumPy array (np.asarray, or an ndgrad function "
                       "that reads values on the host)")

    def __format__(self, spec):
        k = self._known_array()
        if k is not None:
            return format(k, spec)
        if spec:
            self._concrete("formatting")
        return repr(self)

    # -- indexing and writes --------------------------------------------------------
    def __getitem__(self, key, /):
        return _getitem(self, key)

    def __setitem__(self, key, value, /):
        _setitem(self, key, value)

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        from .._interop import array_ufunc
        return array_ufunc(ufunc, method, inputs, kwargs)

    def __array_function__(self, func, types, args, kwargs):
        from .._interop import array_function
        return array_function(func, types, args, kwargs)


# host conversions: what a known (constant) value gives, and what the error names
_HOST_CONVERSIONS = {
    "__bool__": (lambda k: bool(k), "bool() (an if, while, and/or on an array)"),
    "__int__": (lambda k: int(k), "int()"),
    "__float__": (lambda k: float(k), "float()"),
    "__complex__": (lambda k: complex(k), "complex()"),
    "__index__": (lambda k: k.__index__(), "using it as an index or size (__index__)"),
    "item": (lambda k, *args: k.item(*args), "x.item()"),
    "tolist": (lambda k: k.tolist(), "x.tolist()"),
}


def _host_conversion(name, use, what):
    def method(self, *args):
        k = self._known_array()
        if k is not None:
            return use(k, *args)
        self._concrete(what)
    method.__name__ = name
    return method


def _install_traced_methods():
    for name, (use, what) in _HOST_CONVERSIONS.items():
        setattr(Traced, name, _host_conversion(name, use, what))
    from .._array import _BINARY, _COMPARE, _UNARY, _binary, _unary
    from .. import _methods
    for dunder, name in _BINARY.items():
        setattr(Traced, f"__{dunder}__", _binary(name))
        setattr(Traced, f"__r{dunder}__", _binary(name, reflected=True))
        setattr(Traced, f"__i{dunder}__", _inplace(REGISTRY[name], _binary(name)))
    for dunder, name in _COMPARE.items():
        setattr(Traced, f"__{dunder}__", _binary(name))
    for dunder, name in _UNARY.items():
        setattr(Traced, f"__{dunder}__", _unary(name))
    skip = {"item", "tolist", "view", "tobytes", "dump", "dumps", "resize", "fill", "sort"}
    for name, m in _methods.METHODS.items():
        if name not in skip and not hasattr(Traced, name):
            setattr(Traced, name, m)


def _inplace(op, binary):
    def method(self, other, /):
        if not self.shape and not getattr(self, "_array0d", False):
            return binary(self, other)   # NumPy's scalar: rebound (as _array._inplace)
        result = apply(op, (self, other))
        if result.shape != self.shape:
            raise ValueError(f"operands could not be broadcast in place: result shape "
                             f"{result.shape} does not fit the array's shape {self.shape}")
        if result.dtype != self.dtype:
            if not np.can_cast(result.dtype, self.dtype, "same_kind"):
                raise TypeError(f"cannot cast the result of {op.name} from {result.dtype} "
                                f"to {self.dtype} in place (same_kind casting)")
            from .._ops.dtype_functions import astype
            result = astype(result, self.dtype)
        _rebind(self, result._t)
        return self
    method.__name__ = f"__i{op.name}__"
    return method


# -- ops applied to traced values -----------------------------------------------------------
def _dummy(a, distinct):
    """A stand-in input for probing an op's output shape: zeros, or distinct values."""
    if not isinstance(a, Tensor):
        return a
    if a._op._kind == "const":
        return a._op._attrs["value"]
    shape, dt = a._shape, a._np_dtype
    if not distinct:
        return np.zeros(shape, dt)
    n = int(np.prod(shape)) if shape else 1
    if dt.kind == "b":
        return (np.arange(n) % 2 == 0).reshape(shape)
    return (np.arange(n) % 7 + 1).astype(dt).reshape(shape)


def _shapes(op, args, params, distinct):
    with np.errstate(all="ignore"):
        out = op.forward(_core._npx, *[_dummy(a, distinct) for a in args], **params)
    return [tuple(np.shape(o)) for o in (out if op.multi else (out,))]


def _check_static_shape(op, args, params):
    """Refuse an op whose output shape depends on its inputs' values (unique, nonzero,
    a boolean mask): probed on two different stand-in inputs."""
    if op.shape_rule is not None:
        return
    if not any(isinstance(a, Tensor) and a._op._kind != "const" for a in args):
        return
    try:
        a = _shapes(op, args, params, False)
        b = _shapes(op, args, params, True)
    except Exception:
        return          # the stand-ins are outside the op's domain: nothing learned
    if a != b:
        raise TracerShapeError(
            f"nd.jit: the output shape of {op.name} depends on the values of its input "
            f"(shapes {a[0] if len(a) == 1 else a} and {b[0] if len(b) == 1 else b} for "
            "two inputs of the same shape), and a jitted function has fixed shapes. Use "
            "nd.where (a fixed-shape select) instead, or call this part without nd.jit.")


def _concrete_shape(op, tensors, params, out):
    """Inside nd.jit every input shape is known: an op whose static shape rule left a
    dim unknown gets the shapes its forward gives on stand-in inputs."""
    try:
        shapes = _shapes(op, tensors, params, False)
    except Exception as e:
        raise TracerShapeError(f"nd.jit: cannot tell the output shape of {op.name} for "
                               f"inputs of shapes {_core._describe(tensors)}: {e}") from None
    for t, s in zip(out if op.multi else (out,), shapes):
        t._shape = s


def _constant_array(v):
    """An Array over ``v``, the value of a constant of the running trace: the trace's own
    (read-only: nothing can write it), so reading it (an op computed at trace time, host
    code's float(t) or index) is no capture for ``_stale`` to compare on every call."""
    a = _registry.wrap(v)
    if _state.made:
        made = _state.made[-1]
        made[id(a)] = weakref.ref(a, functools.partial(_unmade, made, id(a)))
    return a


def _apply_hook(op, arrays, params):
    """The registry's graph hook: ops on traced values build graph and give Traced."""
    if not any(type(a) is Traced for a in arrays):
        return graph_apply(op, arrays, params)
    tensors = tuple(a._as_graph_element() if type(a) is Traced else a for a in arrays)
    if params and any(type(v) is Traced for v in params.values()):
        params = {k: (v._known() if type(v) is Traced and v._known() is not None else v)
                  for k, v in params.items()}
    if params and any(type(v) is Traced for v in params.values()):
        raise TypeError(f"nd.jit: {op.name} takes a traced value as the parameter "
                        f"{[k for k, v in params.items() if type(v) is Traced]}; pass it "
                        "as static or as a concrete array")
    g = next(t.graph for t in tensors if isinstance(t, Tensor))
    tensors = tuple(_const(g, a) if isinstance(a, _registry.Array) else
                    _const_numpy(g, a) if type(a) is np.ndarray else a for a in tensors)
    if all(not isinstance(t, Tensor) or t._op._kind == "const" for t in tensors):
        # every input is a constant of the trace: computed now, eagerly, as the function
        # would without nd.jit (its value stays readable: shapes, masks, Python ints)
        res = apply(op, tuple(_constant_array(t._op._attrs["value"]) if isinstance(t, Tensor)
                              else t for t in tensors), params)
        out = (tuple(g.constant(r._data) for r in res) if op.multi
               else g.constant(res._data))
        return _wrap_out(op, arrays, params, out)
    _check_static_shape(op, tensors, params)
    out = graph_apply(op, tensors, params)
    for t in (out if op.multi else (out,)):
        if t._shape is None or None in t._shape:
            _concrete_shape(op, tensors, params, out)
            break
    if op.vjp is not None and not _registry.grad_state.enabled:
        # under nd.no_grad() eager records nothing: the result is a constant to every
        # gradient, so the graph cuts it too
        from .._autograd.inplace import DETACH
        out = (tuple(graph_apply(DETACH, (t,), {}) for t in out) if op.multi
               else graph_apply(DETACH, (out,), {}))
    return _wrap_out(op, arrays, params, out)


def _wrap_out(op, arrays, params, out):
    """Graph output tensor(s) as Traced values; a view op's result linked to its base."""
    if op.multi:
        return tuple(Traced(t) for t in out)
    res = Traced(out)
    if op.name in _PART_OPS and type(arrays[0]) is Traced:
        return _part_view(arrays[0], res, op.name)
    if op.view and type(arrays[0]) is Traced:
        key = params.get("key", _NO_PROPAGATE) if op.name == "getitem" else _NO_PROPAGATE
        if not (op.name == "getitem" and _scalar_key(key, arrays[0].ndim)):
            _link_view(arrays[0], res, key, op.name)
            _registry.as_0d_kind_of(res, arrays[0])   # (as registry._track_view)
    return res


def _const(g, a):
    """A concrete ndgrad array inside a trace: a constant of the graph."""
    d = a._data
    if type(d) is not np.ndarray:
        raise ValueError(f"nd.jit runs on the NumPy backend; an array on {a.device} was "
                         "used inside the jitted function")
    if a._node is not None and _registry.grad_state.enabled:
        raise ValueError(
            f"nd.jit: the jitted function reads an array that takes part in an eager "
            f"gradient computation (shape {a.shape}, dtype {a.dtype}, requires_grad) from "
            "outside its arguments; the compiled results are not recorded for backward(). "
            "Pass it as an argument (and take nd.grad inside the function), or call the "
            "function without nd.jit")
    return _capture(a, g.constant(d))


def _const_numpy(g, a):
    """A NumPy array inside a trace (one ``f`` closes over): a constant of the graph."""
    return _capture(a, g.constant(a))


def _capture(src, t):
    """Const tensor ``t`` holds the value of ``src`` (an ndgrad or NumPy array the
    function read from outside its arguments) at trace time: the trace remembers it, and
    a call finding ``src`` changed since (a write, ndgrad's or NumPy's) traces again
    (``_stale``), so that a compiled function never runs on old values. Returns ``t``."""
    if _state.captures:
        v = t._op._attrs["value"]
        _state.captures[-1].append((src, v, v.tobytes() if v.nbytes <= 4096 else None))
    return t


def _note_read(arrays, out):
    """The registry's read hook (``registry.trace_reads``): concrete arrays an op read
    while a trace runs in this thread are captured unless the trace made them; ``out``,
    an op's result, joins the arrays the trace made."""
    if not _state.captures:
        return     # (a trace runs in another thread)
    made = _state.made[-1]
    if out is not None:
        for o in (out if type(out) is tuple else (out,)):
            try:   # (weakly: an id is reused once its array dies)
                made[id(o)] = weakref.ref(o, functools.partial(_unmade, made, id(o)))
            except TypeError:
                pass
        return
    A = _registry.Array
    for a in arrays:
        if isinstance(a, A):
            d = a._data
            if type(a) is Traced or type(d) is not np.ndarray:
                continue
        elif type(a) is np.ndarray:
            d = a
        else:
            continue
        if id(a) in made:
            continue
        made[id(a)] = a     # (captured once, at its first read; held: its id stays its own)
        v = d.copy()
        v.flags.writeable = False
        _state.captures[-1].append((a, v, v.tobytes() if v.nbytes <= 4096 else None))


_registry.graph_hooks["read"] = _note_read


# a NumPy array read by name, and by no op, larger than this is not copied and checked
# at each call (the trace warns instead): only its shape may have been read
_NAMED_NUMPY_BYTES = 16 << 20


def _unguarded(captured, guards, fun):
    """The arrays among a trace's captures (ndgrad or NumPy arrays it read from outside
    its arguments) that no guard chain reaches: read through a path the guard reader
    cannot follow (a call's result, a descriptor, a name computed at run time), so a
    rebinding there would not make the next call trace again. (Defaults are chains of
    the reader's; the arguments a ``functools.partial`` bound are fixed: no rebinding.)"""
    fixed = []
    while isinstance(fun, functools.partial):
        fixed.extend(fun.args)
        fixed.extend((fun.keywords or {}).values())
        fun = fun.func
    reached = {id(v) for v in (guards.expected if guards is not None else ())}
    reached.update(map(id, fixed))
    # (an array whose memory is a reached NumPy array's, or a view of one: the ndgrad
    # array ``nd.asarray(W)`` wraps for a global ``W``, ``W[1:]``, ``W.T``)
    for v in (*(guards.expected if guards is not None else ()), *fixed):
        if isinstance(v, _registry.Array) and type(v._data) is np.ndarray:
            reached.add(id(v._data))
    lost = {}
    for src, _, _ in captured:
        d = src._data if isinstance(src, _registry.Array) else src
        ids = {id(src)}
        while isinstance(d, np.ndarray):
            ids.add(id(d))
            d = d.base
        if not ids & reached:
            lost.setdefault(id(src), src)
    return list(lost.values())


def _warn_unguarded(lost, what):
    a = lost[0]
    warnings.warn(
        f"nd.jit({what}) read {len(lost)} array(s) from outside its arguments by a path "
        f"its checks cannot follow (the first of shape {tuple(np.shape(a))} and dtype "
        f"{getattr(a, 'dtype', '?')}): writes into such an array are seen, but if that "
        "path later leads to another array, the compiled code keeps using this one. "
        "Pass it as an argument, or read it by a global, closure or attribute name.",
        stacklevel=4)


def _named_numpy(values, captured, names, what):
    """Captures (as ``_note_read``'s) of the NumPy arrays among ``values`` (what a
    trace's guard chains reach, named ``names``) that ``captured`` does not hold yet;
    one over ``_NAMED_NUMPY_BYTES`` is not captured, with a warning naming it."""
    have = {id(c[0]) for c in captured}
    out = []
    for a, name in zip(values, names):
        if isinstance(a, np.ndarray) and id(a) not in have:
            have.add(id(a))
            if a.nbytes > _NAMED_NUMPY_BYTES:
                warnings.warn(
                    f"nd.jit({what}) reads the NumPy array `{name}` ({a.nbytes >> 20} MiB) "
                    "by name, and no ndgrad op read it: a write into it after the trace "
                    "is not checked at each call (too large to compare), so values NumPy "
                    "code read from it would stay the trace's. Pass it as an argument.",
                    stacklevel=4)
                continue
            v = a.copy()
            v.flags.writeable = False
            out.append((a, v, v.tobytes() if v.nbytes <= 4096 else None))
    return tuple(out)


def _note_write(a):
    """The registry's write hook (``registry.note_write``): an in-place write inside a
    trace must go into an array the trace made (or a view of one); a write into one from
    outside the arguments (a global, a closed-over or a NumPy array) would happen once,
    while tracing, and never again when the compiled function runs: refused."""
    if not _state.captures:
        return     # (a trace runs in another thread)
    if isinstance(a, _registry.Array):
        root = getattr(a, "_base", None)
        root = a if root is None else root
        k = id(root)
        entry = _state.made[-1].get(k)
        if type(entry) is not weakref.ref:
            entry = _state.fresh[-1].get(k)
        if entry is not None and entry() is root:
            d = root._data
            if not shared_now(d, 2):   # root._data, d
                return     # made while the trace runs, over a buffer of its own
        what = f"an ndgrad array of shape {a.shape} and dtype {a.dtype}"
    else:
        what = f"a NumPy array of shape {np.shape(a)} and dtype {getattr(a, 'dtype', '?')}"
    raise ValueError(
        f"nd.jit: the jitted function writes in place into {what} that it did not make "
        "(a global, a closed-over array, or an alias of a NumPy array); the write would "
        "happen once, while tracing, and not at each call of the compiled function. "
        "Pass the array as an argument and return its new value (x = x + 1; return x), "
        "write into a copy made inside the function, or call the function without nd.jit")


_registry.graph_hooks["write"] = _note_write


def _note_made(a):
    """The registry's hook for an Array made outside ``apply`` (``wrap``, ``nd.Array``)
    while a trace runs: the trace's own, for ``_note_write`` (a buffer shared with NumPy
    code stays refused there)."""
    if _state.fresh:
        fresh = _state.fresh[-1]
        try:
            fresh[id(a)] = weakref.ref(a, functools.partial(_unmade, fresh, id(a)))
        except TypeError:
            pass


_registry.graph_hooks["made"] = _note_made


def _unmade(made, key, _ref):
    made.pop(key, None)


def _outdated(tr, args, kwargs=None):
    """Why trace ``tr`` no longer computes what its function would for a call with
    positional arguments ``args`` (None when it does): an array it read from outside its
    arguments that has changed (``_stale``), or the name of a chain its function reads
    (``jit_guards``: from globals, closures, or an argument's attributes) now bound to
    another value."""
    if tr.captured:
        src = _stale(tr)
        if src is not None:
            return src
    g = tr.guards
    if g is not None and not g.check(args, kwargs):
        return g.changed(args, kwargs)
    return None


def _stale(tr):
    """The first array the trace ``tr`` read from outside its arguments whose value has
    changed since (None when none has): shape, dtype and every byte are compared (so a
    NaN, or -0.0 written over 0.0, counts)."""
    for src, v, b in tr.captured:
        d = src._data if isinstance(src, _registry.Array) else src
        if type(d) is not np.ndarray or d.shape != v.shape or d.dtype != v.dtype:
            return src
        if b is not None:
            if d.tobytes() != b:
                return src
        else:
            c = d if d.flags.c_contiguous else np.ascontiguousarray(d)
            if not np.array_equal(c.reshape(-1).view(np.uint8), v.reshape(-1).view(np.uint8)):
                return src
    return None


def _scalar_key(key, ndim):
    """Whether ``x[key]`` is one element by integers alone: NumPy gives a scalar (a
    copy), not a view."""
    items = key if isinstance(key, tuple) else (key,)
    return len(items) == ndim and all(isinstance(k, (int, np.integer)) and
                                      not isinstance(k, bool) for k in items)


def _link_view(base, view, key, opname):
    view._base = (base, key, opname)
    if base._views is None:
        base._views = []
    base._views.append(weakref.ref(view))


_PART_OPS = ("real", "imag")


def _part_view(x, res, name):
    """``x.real`` / ``x.imag`` (``res``, computed) as NumPy's views of ``x``: of a real
    ``x``, ``real`` is ``x`` itself seen again (a write reaches ``x``) and ``imag`` a
    read-only zero array (a write raises, as NumPy's); of a complex ``x`` a write is
    refused (it reached nothing: the part is a value of its own in the graph)."""
    if res is x:
        return res
    if x.dtype.kind != "c":
        _link_view(x, res, Ellipsis if name == "real" else _READ_ONLY, name)
    else:
        _link_view(x, res, _NO_PROPAGATE, name)
    _registry.as_0d_kind_of(res, x)
    return res


def _live_views(t):
    if not t._views:
        return []
    live = [v for v in (r() for r in t._views) if v is not None]
    t._views = [weakref.ref(v) for v in live]
    return live


def _invalidate(t, reason):
    for v in _live_views(t):
        if v._stale is None:
            v._stale = reason
        _invalidate(v, reason)


def _rebind(t, tensor, from_view=None):
    """``t`` now holds ``tensor`` (an in-place write); a view passes the write on to its
    base, and the base's other views (which NumPy would update too) are refused from now
    on rather than left showing old values."""
    if t._stale is not None:
        raise ValueError(t._stale)
    # check the whole chain of bases first: a refused write changes nothing
    b = t._base
    while b is not None:
        parent, key, opname = b
        if key is _READ_ONLY:
            raise ValueError("assignment destination is read-only")
        if key is _NO_PROPAGATE:
            raise TypeError(
                f"nd.jit: writing into a view made by {opname} of a traced value is not "
                "supported (only views made by basic indexing x[a:b, i] pass writes on to "
                "their base); copy it first (y = y.copy()) or write into the base")
        b = parent._base
    if t._base is not None:
        _base_write(t, tensor)
        return
    reason = (f"nd.jit: this view of {t._t.name} was made before a write into its base; "
              "inside nd.jit such a view does not see the write. Take the view again "
              "after the write.")
    for v in _live_views(t):
        if v is not from_view and v._stale is None:
            v._stale = reason
            _invalidate(v, reason)
    t._t = tensor


def _base_write(view, tensor):
    parent, key, _ = view._base
    view._t = tensor
    # views of the written view itself would see the write in NumPy
    reason = (f"nd.jit: this view was made before a write into its base ({tensor.name}); "
              "inside nd.jit such a view does not see the write. Take the view again after"
              " the write.")
    _invalidate(view, reason)
    new_parent = _setitem_tensor(parent, key, view)
    _rebind(parent, new_parent, from_view=view)


def _key_parts(key):
    return key if isinstance(key, tuple) else (key,)


def _resolve_key(key):
    """The key with traced constants (whose values are known) as their values."""
    def conv(k):
        if type(k) is Traced:
            v = k._known()
            if v is not None:
                return v
        return k
    if isinstance(key, tuple):
        return tuple(conv(k) for k in key)
    return conv(key)


def _getitem(x, key):
    from .._ops import indexing as _ix
    key = _resolve_key(key)
    parts = _key_parts(key)
    traced = [i for i, k in enumerate(parts) if type(k) is Traced]
    if traced:
        if len(traced) == 1:
            k = parts[traced[0]]
            if k.dtype == np.bool_:
                raise TracerShapeError(
                    f"nd.jit: indexing with a traced boolean mask ({k._describe()}) gives a "
                    "result whose shape depends on the mask's values; use nd.where(mask, x,"
                    " 0) (a fixed-shape select), or x * mask")
            rest = [p for i, p in enumerate(parts) if i != traced[0]]
            if k.dtype.kind in "iu" and all(isinstance(p, slice) and p == slice(None)
                                            for p in rest) and Ellipsis not in rest:
                from .._ops.indexing import take
                axis = traced[0]
                if k.ndim:
                    return take(x, k, axis=axis)
                return _squeeze_axis(take(x, k.reshape((1,)), axis=axis), axis)
        raise TypeError(
            f"nd.jit: indexing a traced value with traced index arrays is supported as "
            f"x[..., idx] with one integer index array and full slices elsewhere (a take);"
            f" got the key {key!r}. Use nd.take / nd.take_along_axis, or pass the index "
            "as a static or concrete array")
    k = _ix.normalize_key(key, np.empty(0))
    basic = _ix._is_basic(k)
    # check the key against the shape now (an IndexError names the bad index)
    region = np.empty(x.shape, dtype=np.bool_)[_np_key(k)]
    del region
    return apply(_ix._getitem_op if basic else _ix._getitem_advanced_op, (x,),
                 {"key": k, "shape": x.shape, "basic": basic})


def _squeeze_axis(x, axis):
    from .._ops.manipulation import squeeze
    return squeeze(x, axis=axis)


def _np_key(k):
    from .._ops.indexing import key_to_numpy
    return key_to_numpy(k)


# the functional write: out = copy of x with v written at a static key
def _setitem_forward(xp, x, v, key):
    # (in x's memory order, as eager's write into x itself: C order gave a Fortran-order
    # intermediate's later reductions other last bits)
    out = x.copy(order="K") if type(x) is np.ndarray else np.array(x)   # (0-d: a scalar)
    out[key] = v
    return out


def _setitem_vjp(xp, g, ans, x, v, key, mask, region_shape, won):
    from .._ops import indexing as _ix
    g_x = xp.where(mask, g, 0.0) if mask is not None else None
    gk = apply(_ix._getitem_op if _ix._is_basic(key) else _ix._getitem_advanced_op, (g,),
               {"key": key, "shape": tuple(mask.shape), "basic": _ix._is_basic(key)})
    if won is not None:
        gk = xp.where(won, gk, 0.0)
    return (g_x, gk)


def _setitem_rule(args, params):
    x = args[0]
    return [(x._shape, x._np_dtype)]


_SETITEM = Op("jit.setitem", lambda xp, x, v, key, mask, region_shape, won:
              _setitem_forward(xp, x, v, key), _setitem_vjp, save="none",
              shape_rule=_setitem_rule)


def _setitem_tensor(target, key, value):
    """The graph tensor of ``target`` with ``value`` written at static ``key``."""
    from .._ops.indexing import normalize_key, _is_basic
    from .._autograd.inplace import _winners, _has_int_array
    k = normalize_key(key, np.empty(0))
    nk = _np_key(k)
    shape = target.shape
    probe = np.empty(shape, dtype=np.bool_)
    region_shape = probe[nk].shape
    vshape = tuple(getattr(value, "shape", ()))
    try:
        np.broadcast_shapes(vshape, region_shape)
        if len(vshape) > len(region_shape) and any(d != 1 for d in vshape[:len(vshape) -
                                                                          len(region_shape)]):
            raise ValueError
    except ValueError:
        raise ValueError(f"could not broadcast input array from shape {vshape} into shape "
                         f"{region_shape}") from None
    mask = np.ones(shape, dtype=np.bool_)
    mask[nk] = False
    won = None
    if not _is_basic(k) and _has_int_array(k):
        w = _winners(shape, nk, region_shape)
        if not w.all():
            won = w
    if isinstance(value, (list, tuple)):
        value = np.asarray(value)
    if not isinstance(value, (Traced, _registry.Array, np.ndarray, np.generic, int, float,
                              complex, bool)):
        raise TypeError(f"cannot write a {type(value).__name__} into an array")
    res = apply(_SETITEM, (target, value), {"key": k, "mask": mask,
                                            "region_shape": region_shape, "won": won})
    return res._t


def _setitem(x, key, value):
    key = _resolve_key(key)
    parts = _key_parts(key)
    traced = [k for k in parts if type(k) is Traced]
    if traced:
        k = traced[0]
        if len(parts) == 1 and k.dtype == np.bool_ and k.shape == x.shape and (
                not hasattr(value, "shape") or value.shape in ((), (1,))):
            # x[mask] = scalar: the fixed-shape select where(mask, scalar, x)
            from .._ops.searching import where
            from .._ops.dtype_functions import astype
            v = value if not hasattr(value, "shape") or value.shape == () else value[0]
            if isinstance(v, (Traced, _registry.Array)):
                v = astype(v, x.dtype)
            res = where(k, v, x)
            if res.dtype != x.dtype:
                res = astype(res, x.dtype)
            _rebind(x, res._t)
            return
        raise TypeError(
            f"nd.jit: writing at traced indices ({k._describe()}) is supported only as "
            "x[mask] = scalar with a boolean mask of x's shape; use nd.where, or pass the "
            "index as a static or concrete array")
    if isinstance(value, Traced) and value.dtype.kind == "c" and x.dtype.kind != "c":
        raise TypeError(f"cannot write complex values ({value.dtype}) into a real array "
                        f"({x.dtype})")
    new = _setitem_tensor(x, key, value)
    _rebind(x, new)


# -- the jitted function ----------------------------------------------------------------
def _flatten(tree):
    from .._autograd.pytree import flatten
    return flatten(tree)


_ARRAY_TYPES = (np.ndarray, np.generic)


def _leaf_sig(x, where):
    """(signature entry, feed value or None) of one argument leaf."""
    t = type(x)
    if t is _registry.Array:
        d = x._data
        if type(d) is not np.ndarray:
            raise ValueError(f"nd.jit runs on the NumPy backend; {where} is on "
                             f"{x.device} (move it with x.to_device('cpu'))")
        if not d.shape:
            # a 0-d array or a 0-d value standing for NumPy's scalar: ``+=`` writes the
            # one in place and rebinds the other, so each traces on its own
            return ("a", (), d.dtype, getattr(x, "_array0d", False)), d
        return ("a", d.shape, d.dtype), d
    if isinstance(x, _ARRAY_TYPES):
        d = np.asarray(x)
        return ("n", d.shape, d.dtype, isinstance(x, np.generic)), d
    if isinstance(x, _registry.Array):
        return _leaf_sig(_registry.wrap(x._data), where)
    if isinstance(x, (Traced, Tensor)):
        raise TypeError(f"nd.jit: {where} is a traced value ({x!r}) used outside the "
                        "trace that made it (a value leaked from a jitted function, e.g. "
                        "through a global)")
    # Python scalars, None, strings ...: static values, part of the signature
    if isinstance(x, float) or isinstance(x, complex):
        return ("s", type(x), repr(x)), None     # repr: 0.0 and -0.0, nan are distinct
    try:
        hash(x)
    except TypeError:
        raise TypeError(f"nd.jit: {where} is a {type(x).__name__}, which is neither an "
                        "array nor hashable; pass it as static (static_argnums) only if it "
                        "is hashable") from None
    return ("s", type(x), x), None


class _Trace:
    __slots__ = ("plan", "session", "out_kinds", "rebuild", "graph",
                 "copy_slots", "out_shapes", "fetch", "captured", "flat_out", "mutated",
                 "plain", "fetched_only", "quick", "shape_checks", "guards", "rebound",
                 "out_roots")


def _quick_form(tr):
    """``(fast, the template after the feeds)`` for ``_run_quick``: a trace whose
    results are all fetched arrays, in order (any nest of them), with nothing to write
    back, whose plan reads no session state, donates nothing, hands out only fresh
    results and takes its feeds in the first template slots; else None."""
    plan = tr.plan
    n = len(plan.feed_slots)
    if not tr.fetched_only or tr.copy_slots or not plan.stateless or plan.donated_feeds or \
            len(plan.fresh) != len(tr.fetch) or plan.feed_slots != list(range(n)):
        return None
    return plan.fast, list(plan.template[n:])


def _run_quick(tr, feeds):
    """``_run`` of a trace with a ``quick`` form: the plan's function called directly
    (``Session._execute_stateless`` without the session), results wrapped. None where
    the plan raised: the caller runs it again the general way, which reports the failing
    step (the plan reads no state and writes nothing it was given, so running it again
    is the same run)."""
    fast, tail = tr.quick
    token = quiet()
    try:
        values = fast(feeds + tail, None, None)
    except Exception:
        return None
    finally:
        loud(token)
    return _plain_results(tr, values)


def _plain_results(tr, values):
    """The results of a trace whose results are its fetched values in order
    (``tr.fetched_only``), all fresh arrays: wrapped, those whose shape the feeds do not
    decide checked against their traced shape (``tr.shape_checks``), as the flat tuple
    or list, or the nest, the function returned."""
    new = _registry._new
    A = _registry.Array
    made = _registry.graph_hooks["made"] if _registry._trace_reads else None
    outs = []
    for x, v in enumerate(values):
        if type(v) is not np.ndarray:
            v = np.asarray(v)
        a = new(A)                # (``registry.wrap``)
        a._data = v
        a._node = None
        if made is not None:
            made(a)
        outs.append(a)
    for x, shape in tr.shape_checks:
        if outs[x]._data.shape != shape:
            _shape_changed(tr, x, outs[x]._data)
    flat = tr.flat_out
    if flat is None:
        return tr.rebuild(outs)
    return outs if flat is list else tuple(outs)


def _caller_level():
    """The ``stacklevel`` of a warning issued in this module that names the first frame
    outside it (the user's call of the jitted function)."""
    level, f = 1, sys._getframe(1)
    while f is not None and f.f_code.co_filename == __file__:
        level += 1
        f = f.f_back
    return level


# traces kept per jitted function (the oldest dropped first), and the trace count at
# which a warning says why the function keeps retracing (TensorFlow's tf.function warns
# of excessive retracing likewise)
CACHE_MAX = 64
RETRACE_WARN = 16


class _Jitted:
    """A function compiled by ``nd.jit``: call it as the function it wraps."""

    def __init__(self, fun, static_argnums, static_argnames, donate_argnums):
        if not callable(fun):
            raise TypeError(f"nd.jit needs a callable, got {type(fun).__name__}")
        self._fun = fun
        try:
            self._sig = inspect.signature(fun)
        except (TypeError, ValueError):
            self._sig = None
        sn = _as_tuple(static_argnums, "static_argnums")
        names = static_argnames
        names = (names,) if isinstance(names, str) else tuple(names or ())
        params = list(self._sig.parameters.values()) if self._sig is not None else []
        positional = [p.name for p in params
                      if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        has_varargs = any(p.kind == p.VAR_POSITIONAL for p in params)
        if any(n < 0 for n in sn):
            if has_varargs or self._sig is None:
                raise ValueError("nd.jit: a negative static_argnums needs a function with a "
                                 "fixed number of positional parameters")
            sn = tuple(n + len(positional) if n < 0 else n for n in sn)
        # JAX: static_argnums and static_argnames name the same arguments both ways
        for n in sn:
            if 0 <= n < len(positional) and positional[n] not in names:
                names = names + (positional[n],)
        for nm in names:
            if nm in positional and positional.index(nm) not in sn:
                sn = sn + (positional.index(nm),)
        self._static_argnums = frozenset(sn)
        self._static_argnames = frozenset(names)
        dn = _as_tuple(donate_argnums, "donate_argnums")
        both = set(dn) & self._static_argnums
        if both:
            raise ValueError(f"nd.jit: arguments {sorted(both)} are both static and donated")
        self._donate_argnums = frozenset(dn)
        self._cache = {}
        self._lock = threading.RLock()     # (a trace may call the function again)
        self.trace_count = 0
        self._warned_retrace = False
        self._warned_rebind = False
        self._warned_unguarded = False
        self._warned_many = False
        # (name, doc and __wrapped__ only: ``fun``'s __dict__ merged into this one's --
        # a functools.wraps wrapper of another jitted function carries its _fun and
        # _cache -- made this jit run the inner function, silently)
        functools.update_wrapper(self, fun, updated=())

    def _cache_size(self):
        """How many signatures have been traced (JAX's name)."""
        return len(self._cache)

    def __get__(self, obj, objtype=None):
        if obj is None:
            return self
        return functools.partial(self, obj)

    def __call__(self, *args, **kwargs):
        if not kwargs and not self._static_argnums:
            # the common case: flat NumPy-backed arrays; the key is their shapes and dtypes
            key = []
            feeds = []
            A = _registry.Array
            for a in args:
                if type(a) is not A:
                    break
                d = a._data
                if type(d) is not np.ndarray or a._node is not None:
                    break
                key.append(d.shape)
                key.append(d.dtype)
                feeds.append(d)
            else:
                tr = self._cache.get(tuple(key))
                if tr is not None:
                    g = tr.guards
                    if tr.captured or (g is not None and not g.check(args)):
                        why = _outdated(tr, args)
                        if why is not None:
                            tr = self._retrace(tuple(key), why, args, kwargs)
                    return self._run(tr, feeds, args)
                if not args:
                    return self._call(args, kwargs)
                with self._lock:
                    tr = self._cache.get(tuple(key))
                    if tr is None:
                        tr = self._keep(tuple(key), self._trace(args, kwargs))
                return self._run(tr, feeds, args)
            out = self._call_sequences(args)    # (lists or tuples of arrays among them)
            if out is not None:
                return out
        return self._call(args, kwargs)

    def _call(self, args, kwargs):
        if _state.graphs:
            # called while tracing (a jitted function inside a jitted one): inline it,
            # as JAX does -- its ops join the outer trace
            return self._fun(*args, **kwargs)
        # each argument's leaves, flattened once (for this check and the signature)
        arg_leaves = [_flatten(a)[0] for a in args]
        kw_leaves = {name: _flatten(kwargs[name])[0] for name in kwargs}
        if _registry.grad_state.enabled and any(
                isinstance(leaf, _registry.Array) and leaf._node is not None
                for lv in (*arg_leaves, *kw_leaves.values()) for leaf in lv):
            # an argument takes part in an eager gradient computation (requires_grad, or
            # nd.grad of the jitted function): run the function eagerly, so the results
            # are recorded and backward reaches the arguments
            return self._fun(*args, **kwargs)
        n = len(args)
        for i in self._static_argnums:
            if i >= n and (self._sig is None or i >= len(self._sig.parameters)):
                raise ValueError(f"nd.jit: static_argnums names argument {i}, but the "
                                 f"function was called with {n} positional arguments")
        key = []
        feeds = []
        leaves_fed = []    # the arrays fed, (argument, leaf) each: a write goes back there
        dyn_args = []
        for i, a in enumerate(args):
            if i in self._static_argnums:
                try:
                    hash(a)
                except TypeError:
                    raise ValueError(f"nd.jit: static argument {i} must be hashable, got a "
                                     f"{type(a).__name__}") from None
                key.append(("S", i, _static_value(a)))
                continue
            dyn_args.append(i)
            key.append(("D", i, _tree_sig(a)))
            for leaf in arg_leaves[i]:
                s, v = _leaf_sig(leaf, f"argument {i}")
                key.append(s)
                if v is not None:
                    feeds.append(v)
                    leaves_fed.append((i, leaf))
        for name in sorted(kwargs):
            a = kwargs[name]
            if name in self._static_argnames:
                try:
                    hash(a)
                except TypeError:
                    raise ValueError(f"nd.jit: static argument {name!r} must be hashable, "
                                     f"got a {type(a).__name__}") from None
                key.append(("SK", name, _static_value(a)))
                continue
            key.append(("DK", name, _tree_sig(a)))
            for leaf in kw_leaves[name]:
                s, v = _leaf_sig(leaf, f"argument {name!r}")
                key.append(s)
                if v is not None:
                    feeds.append(v)
                    leaves_fed.append((name, leaf))
        return self._keyed(tuple(key), feeds, leaves_fed, args, kwargs)

    def _keyed(self, key, feeds, leaves_fed, args, kwargs):
        """``_call``'s run once the call's signature ``key``, its ``feeds`` and the
        leaves fed are known: the trace of the signature (traced now if there is none,
        again if what it read from outside the arguments changed), run."""
        tr = self._cache.get(key)
        if tr is None:
            with self._lock:
                tr = self._cache.get(key)
                if tr is None:
                    tr = self._keep(key, self._trace(args, kwargs))
        elif tr.captured or (tr.guards is not None and not tr.guards.check(args, kwargs)):
            why = _outdated(tr, args, kwargs)
            if why is not None:
                tr = self._retrace(key, why, args, kwargs)
        return self._run(tr, feeds, leaves_fed)

    def _call_sequences(self, args):
        """``_call`` for positional arguments each a NumPy-backed array (not recorded)
        or a flat list or tuple (exactly those types) of such arrays (an MLP's parameter
        list), outside any trace: ``_call``'s own signature key (``_tree_sig``,
        ``_leaf_sig``), feeds and leaves, without its general flattening (about 12 us
        less a call); None for any other call."""
        if _state.graphs:
            return None
        A = _registry.Array
        key = []
        feeds = []
        leaves_fed = []
        for i, a in enumerate(args):
            t = type(a)
            if t is A:
                items = (a,)
            elif t is list or t is tuple:
                items = a
            else:
                return None
            for x in items:
                if type(x) is not A or x._node is not None or \
                        type(x._data) is not np.ndarray:
                    return None
            key.append(("D", i, _tree_sig(a)))
            for x in items:
                s, v = _leaf_sig(x, "an argument")   # (NumPy-backed: it raises nothing)
                key.append(s)
                feeds.append(v)
                leaves_fed.append((i, x))
        return self._keyed(tuple(key), feeds, leaves_fed, args, {})

    def _retrace(self, key, why, args, kwargs):
        """Trace again: ``why`` (``_outdated``), an array the trace read from outside
        the arguments, has changed, or a name it read (a global, a closure variable, an
        attribute or entry of one) is bound to another value (a warning, once per
        function, says which and how to avoid it)."""
        old = self._cache.get(key)
        if not self._warned_retrace and not (
                old is not None and isinstance(why, str) and why in old.rebound):
            # (a name the last trace itself rebound: its trace-time warning said so)
            self._warned_retrace = True
            name = getattr(self._fun, "__qualname__", repr(self._fun))
            if isinstance(why, str):
                what = (f"`{why}`, which it reads from outside its arguments, is bound to "
                        "another value than when it was traced")
            else:
                what = (f"an array it reads from outside its arguments (shape "
                        f"{tuple(why.shape)}, dtype {why.dtype}) changed since it was "
                        "traced")
            warnings.warn(
                f"nd.jit({name}): {what}, so it is traced again (the compiled code holds "
                "the values it read). Pass the value as an argument to run on its "
                "current value without retracing.", stacklevel=3)
        with self._lock:
            return self._keep(key, self._trace(args, kwargs))

    def _keep(self, key, tr):
        """Cache trace ``tr`` for signature ``key`` (under the lock): at most
        ``CACHE_MAX`` signatures, the oldest traced dropped first (each Python scalar's
        value is a signature of its own, so a loop passing a changing number kept one
        compiled plan per value, without bound); a warning, once, at the
        ``RETRACE_WARN``-th trace says why functions retrace and what to pass instead."""
        cache = self._cache
        if key not in cache and len(cache) >= CACHE_MAX:
            del cache[next(iter(cache))]
        cache[key] = tr
        if self.trace_count >= RETRACE_WARN and not self._warned_many:
            self._warned_many = True
            name = getattr(self._fun, "__qualname__", repr(self._fun))
            warnings.warn(
                f"nd.jit({name}) has been traced {self.trace_count} times: every new shape "
                "or dtype of an array argument, and every new value of a Python number or "
                "a static argument, traces it again. Pass a number that changes from call "
                "to call as an array (nd.asarray(x)) to reuse one trace.",
                stacklevel=_caller_level())
        return tr

    def _run(self, tr, feeds, leaves):
        """Run trace ``tr`` on ``feeds`` (the backend arrays of ``leaves``: the argument
        arrays in feed order, or (argument, array) pairs)."""
        if tr.quick is not None:
            out = _run_quick(tr, feeds)
            if out is not None:
                return out
        if tr.mutated:
            _check_written(tr, feeds, leaves, self._donate_argnums)
        try:
            # (every feed is a NumPy array: ``_leaf_sig`` and the fast path make sure)
            values = tr.session._execute(tr.plan, feeds, True)
        except _errors.OpError as e:
            # the failing step's own exception (eager's type: IndexError, LinAlgError ...),
            # with the op it came from
            cause = e.__cause__
            if cause is None:
                raise
            cause.add_note(f"(in nd.jit: {e.message if hasattr(e, 'message') else e})")
            raise cause from None
        copy = tr.copy_slots
        shapes = tr.out_shapes
        plan = tr.plan
        fresh = plan.fresh
        wrap = _registry.wrap
        if tr.plain and len(fresh) == len(values) and not copy:
            # (the common case: a flat tuple of arrays this run made, nothing to copy)
            return _plain_results(tr, values)
        repeated = plan.repeated
        outs = []
        fed = None
        shared = None     # results that may share memory with another result
        for pos, (kind, x) in enumerate(tr.out_kinds):
            if kind == 0:
                v = values[x]
                if type(v) is not np.ndarray:
                    v = np.asarray(v)
                elif x in fresh and x not in copy:
                    pass              # an array only this run sees (the plan says which)
                elif x in copy or x in repeated:
                    v = v.copy()      # a fed array, a constant, a value fetched twice
                else:
                    if fed is None:
                        fed = {id(f) for f in feeds}
                    if id(v) in fed or (v.base is not None and _aliases(v, feeds)):
                        v = v.copy()  # a fed array or a view of one
                    elif tr.out_roots is not None:
                        if shared is None:
                            shared = []
                        shared.append(pos)
                if v.shape != shapes[x]:
                    _shape_changed(tr, x, v)
                outs.append(wrap(v))
            elif kind == 1:
                outs.append(wrap(x.copy()))
            else:
                outs.append(x)
        if shared is not None:
            _unshare(tr.out_roots, shared, outs)
        if tr.mutated:
            _write_back(tr, values, leaves, self._donate_argnums)
        flat = tr.flat_out
        if flat is not None:   # a flat tuple or list of results
            return outs if flat is list else tuple(outs)
        return tr.rebuild(outs)

    def _trace(self, args, kwargs):
        g = Graph()
        counter = [0]

        def placeholder(v):
            d = v
            name = f"arg{counter[0]}"
            counter[0] += 1
            o = g.special_op("Placeholder", name, (), _unfed(name),
                             [(d.shape, d.dtype)], kind="placeholder")
            return o.outputs[0]

        feed_tensors = []
        traced_args = []

        def trace_leaf(leaf):
            s, v = _leaf_sig(leaf, "an argument")
            if v is None:
                return leaf
            t = placeholder(v)
            feed_tensors.append(t)
            tv = Traced(t)
            if not v.shape and (getattr(leaf, "_array0d", False)
                                or type(leaf) is np.ndarray):
                tv._array0d = True   # (its signature says so: _leaf_sig)
            traced_args.append(tv)
            return tv

        targs = []
        for i, a in enumerate(args):
            if i in self._static_argnums:
                targs.append(a)
                continue
            leaves, rebuild = _flatten(a)
            targs.append(rebuild([trace_leaf(l) for l in leaves]))
        tkw = {}
        for name in sorted(kwargs):
            a = kwargs[name]
            if name in self._static_argnames:
                tkw[name] = a
                continue
            leaves, rebuild = _flatten(a)
            tkw[name] = rebuild([trace_leaf(l) for l in leaves])
        # what the function can reach by name, before it runs: the random generators (a
        # draw while tracing is refused) and the places it may rebind (jit_state)
        reader = _guards.read(self._fun, args, kwargs)
        watch = _random.Watch(self._fun, args, kwargs, reader)
        before = _jstate.Before(self._fun, reader, args, kwargs)
        del reader
        _state.graphs.append(g)
        _state.captures.append([])
        # the arguments are the trace's own (never captured: each call feeds them)
        _state.made.append({id(x): x for x in _flatten((args, kwargs))[0]})
        _state.fresh.append({})
        _registry.trace_reads(1)
        n_raised = len(_state.raised)
        try:
            with g.as_default():
                out = self._fun(*targs, **tkw)
        except BaseException:
            before.leaked(Traced)   # (a failed trace leaves no traced value behind)
            del _state.raised[n_raised:]
            raise
        finally:
            _registry.trace_reads(-1)
            _state.graphs.pop()
            _state.made.pop()
            _state.fresh.pop()
            captured = _state.captures.pop()
        what = getattr(self._fun, "__qualname__", None) or repr(self._fun)
        leak = before.leaked(Traced)   # (each refusal puts back what it names first)
        watch.check(what)
        before.refuse_leak(leak, what)
        caught = _state.raised[n_raised:]
        del _state.raised[n_raised:]
        if caught:
            first = caught[0]
            raise RuntimeError(
                f"nd.jit({what}) caught an error raised while tracing "
                f"({type(first).__name__}: {str(first)[:200]}): the compiled code would "
                "follow the path taken after that error at every call, where the function "
                "itself, run eagerly, does not raise it. Let the error through (and make "
                "that value a static argument), or compute it outside the jitted "
                "function") from first
        rebound = before.rebound()
        self.trace_count += 1
        leaves, rebuild = _flatten(out)
        flat_out = type(out) if type(out) in (tuple, list) and len(leaves) == len(out) \
            and all(a is b for a, b in zip(leaves, out)) else None
        fetch = []
        kinds = []
        for leaf in leaves:
            if type(leaf) is Traced:
                t = leaf._as_graph_element()
                kinds.append((0, len(fetch)))
                fetch.append(t)
            elif isinstance(leaf, _registry.Array):
                d = leaf._data
                if type(d) is not np.ndarray:
                    raise ValueError(f"nd.jit runs on the NumPy backend; the function "
                                     f"returned an array on {leaf.device}")
                kinds.append((1, d.copy()))
            elif isinstance(leaf, Tensor):
                raise TypeError(f"nd.jit: the function returned the graph tensor {leaf}, "
                                "not a traced value")
            else:
                kinds.append((2, leaf))
        # arguments the function wrote into (in place: their traced value is a new tensor
        # now): their new values are fetched too, and written into the caller's arrays
        # after each call, as the eager function writes them
        mutated = []
        for pos, (tv, t0) in enumerate(zip(traced_args, feed_tensors)):
            if tv._t is not t0:
                mutated.append((pos, len(fetch)))
                fetch.append(tv._as_graph_element())
        plan = _compile(fetch, feed_tensors)
        tr = _Trace()
        tr.mutated = tuple(mutated)
        # results that are all fetched values, in order, and no argument to write back:
        # ``_run``'s short path
        tr.fetched_only = (not mutated and len(kinds) == len(fetch) and
                           all(k == 0 and x == n for n, (k, x) in enumerate(kinds)))
        tr.plain = flat_out is not None and tr.fetched_only
        tr.captured = tuple(captured)
        tr.plan = plan
        tr.session = Session(graph=g)
        tr.out_kinds = kinds
        # per result: which value it is an eager view of (_unshare), where two or more
        # results are traced values
        roots = [id(_root_of(leaf)) if type(leaf) is Traced else None for leaf in leaves]
        tr.out_roots = roots if sum(r is not None for r in roots) > 1 else None
        tr.out_shapes = [t._shape for t in fetch]
        tr.fetch = fetch
        tr.rebuild = rebuild
        tr.flat_out = flat_out
        tr.graph = g
        # results that are a fed array (the caller's), computed from constants alone (the
        # compiler may fold them into a value every call returns), or an output given
        # twice are copied, so that no result shares memory with them; the graph says
        # which (the plan's internals are the compiler's)
        fed = set(feed_tensors)
        copy = set()
        seen = set()
        for k, t in enumerate(fetch):
            if t in fed or t in seen or not any(
                    op._kind == "placeholder" for op in _core.ancestors([t._op])):
                copy.add(k)
            seen.add(t)
        tr.copy_slots = copy
        # the results whose shape may differ from the traced one (an op whose output
        # shape depends on the values on their path): checked after each call
        tr.shape_checks = tuple((k, tr.out_shapes[k]) for k in range(len(fetch))
                                if k not in plan.shape_fixed)
        tr.quick = _quick_form(tr)
        # what the function reads by name (after the trace: what the next call would
        # read if nothing is rebound)
        tr.guards = _guards.collect(self._fun, args, kwargs)
        # (names the trace rebound: the next call finds them changed and traces again)
        if tr.guards is not None:
            # a NumPy array the function reaches by name may have been read by NumPy's
            # own code (``D.sum()``, ``E["a"][0]``), which no op saw: its bytes are
            # checked at each call too, as the arrays the ops read
            tr.captured = tr.captured + _named_numpy(tr.guards.expected, tr.captured,
                                                     tr.guards.names(), what)
        # every array the trace read from outside its arguments is one a guard chain
        # reaches; one it reached another way (a path the reader cannot follow) stays
        # the traced array when that path later leads elsewhere: said once
        if not self._warned_unguarded:
            lost = _unguarded(tr.captured, tr.guards, self._fun)
            if lost:
                self._warned_unguarded = True
                _warn_unguarded(lost, what)
        tr.rebound, warn = _jstate.expect_before(tr.guards, rebound)
        if warn and not self._warned_rebind:
            self._warned_rebind = True
            _jstate.warn_rebound(tr.rebound, what)
        return tr


def _leaf_at(leaves, pos):
    """(argument, array) of the ``pos``-th fed array (``leaves``: the arguments themselves
    on the fast path, else (argument, leaf) pairs)."""
    x = leaves[pos]
    return x if type(x) is tuple else (pos, x)


def _check_written(tr, feeds, leaves, donated):
    """Before a call of a trace that writes into arguments: refuse when a written
    argument shares memory with another argument or with an array the trace read from
    outside (eager code would see the write through the alias within the call; the
    compiled code computed each from its own value). Nothing has run yet."""
    for pos, _ in tr.mutated:
        arg, _leaf = _leaf_at(leaves, pos)
        if arg in donated:
            continue
        d = feeds[pos]
        others = [(f"argument {_leaf_at(leaves, j)[0]!r}", f) for j, f in enumerate(feeds)
                  if j != pos]
        for src, _v, _b in tr.captured:
            others.append(("an array it reads from outside its arguments",
                           src._data if isinstance(src, _registry.Array) else src))
        for what, o in others:
            if type(o) is not np.ndarray:
                continue
            try:
                overlap = np.shares_memory(d, o, max_work=10_000)
            except np.exceptions.TooHardError:
                overlap = True
            if overlap:
                raise ValueError(
                    f"nd.jit: the function writes in place into argument {arg!r} (shape "
                    f"{d.shape}, dtype {d.dtype}), which shares memory with {what}; the "
                    "compiled function computes each from its own value, eager code "
                    "would see the write through the other. Pass separate arrays (a "
                    "copy), or call the function without nd.jit")


def _write_back(tr, values, leaves, donated):
    """After a call: the new values of the arguments the function wrote into go into
    the caller's arrays (ndgrad's write: views, copy-on-write and gradients as an eager
    write), so that the call leaves them as the eager function does."""
    for pos, k in tr.mutated:
        arg, leaf = _leaf_at(leaves, pos)
        if arg in donated:
            continue       # (the caller gave the array up)
        v = values[k]
        if isinstance(leaf, _registry.Array):
            leaf[...] = _registry.wrap(np.asarray(v))
        else:
            leaf[...] = v


def _shape_changed(tr, k, v):
    """A result whose shape is not the traced one: an op's output shape depended on the
    values after all (the trace-time probe did not see it); refused, never returned."""
    t = tr.fetch[k]
    raise TracerShapeError(
        f"nd.jit: the result {t.name} was traced with shape {t._shape} but has shape "
        f"{v.shape} for these values: an op on its path has a value-dependent output shape"
        " (e.g. lstsq's residuals, unique, a mask). Use a fixed-shape formulation (nd.where)"
        " or call the function without nd.jit")


def _unshare(roots, shared, outs):
    """Copy each result of ``shared`` (positions of results the run may have handed out
    as views) that shares memory with another result of another root (``roots``: per
    result position, the value it is an eager view of, or None): eager's results share
    memory only as views of one value; the plan's may share more (a copy of a view is a
    new box over the view's tensor; CSE merges two equal expressions into one array), and
    a write into one result must not reach another."""
    for p in shared:
        for q, r in enumerate(roots):
            if q != p and r is not None and r != roots[p] and np.may_share_memory(
                    outs[p]._data, outs[q]._data):
                outs[p] = _registry.wrap(outs[p]._data.copy())
                break


def _root_of(v):
    """The traced value ``v`` is an eager view of (``v`` itself when it is none)."""
    while v._base is not None:
        v = v._base[0]
    return v


def _aliases(v, feeds):
    """Whether result ``v`` is, or is a view of, one of the fed (the caller's) arrays."""
    for f in feeds:
        if v is f or (v.base is not None and np.may_share_memory(v, f)):
            return True
    return False


def _static_value(a):
    """A static argument as a cache key: exact in type and value, to any depth (the
    compiler's constant key: (2,) and (2.0,), 0.0 and -0.0, np.float32(0) and
    np.float32(-0.0) trace apart; they are == and a tuple's were keyed by ==, so a call
    ran another's trace: an int result where eager's is float, a zero's sign lost);
    another hashable value by its type and ==."""
    try:
        return _freeze(a)
    except _NoKey:
        if isinstance(a, (float, complex)):
            return (type(a), repr(a))
        return (type(a), a)


def _unfed(name):
    def fn(ctx):
        raise RuntimeError(f"nd.jit: the argument {name} was not fed")
    return fn


def _tree_sig(a):
    """The structure of an argument pytree (containers and dict keys, not leaves)."""
    if isinstance(a, dict):
        return ("dict", type(a), tuple((k, _tree_sig(a[k])) for k in sorted(a, key=repr)))
    if isinstance(a, (list, tuple)):
        # (a leaf's structure is None: asked here, without a call per leaf)
        return (type(a), tuple([_tree_sig(x) if isinstance(x, _CONTAINERS) else None
                                for x in a]))
    return None


_CONTAINERS = (dict, list, tuple)


def _as_tuple(v, what):
    if v is None:
        return ()
    if isinstance(v, int):
        return (v,)
    try:
        v = tuple(v)
    except TypeError:
        raise TypeError(f"nd.jit: {what} must be an int or a sequence of ints") from None
    for i in v:
        if not isinstance(i, int) or isinstance(i, bool):
            raise TypeError(f"nd.jit: {what} must hold ints, got {i!r}")
    return v


def jit(fun=None, *, static_argnums=(), static_argnames=(), donate_argnums=()):
    """``fun`` compiled: traced once per input signature into a graph, run through the
    Session plan compiler (JAX's ``jax.jit``).

    Arrays (nd.Array, NumPy) in the arguments -- also inside lists, tuples and dicts --
    are traced: the compiled function is reused for any values of the same shapes and
    dtypes. Static arguments (``static_argnums``, ``static_argnames``) and Python
    scalars are part of the signature by value: a new value traces again (the last
    ``CACHE_MAX`` signatures' traces are kept, and the 16th trace warns once).
    ``donate_argnums`` says the caller will not use those arrays again (accepted and
    checked; the compiled plan does not reuse their buffers yet; a write into one is not
    written back). ``f.trace_count``
    counts the traces.

    As in JAX, ``fun`` runs only while tracing: Python side effects (prints) happen once
    per trace; ndgrad's writes into arrays it does not receive as arguments, and
    ``nd.random`` inside it, are refused (they would happen once). Writes into its
    arguments reach the caller's arrays after each call, as the eager function's do
    (refused when the written argument shares memory with another input). Results are
    new arrays, as JAX's: where the eager function returns an argument or a view of one,
    the jitted one returns a copy, so a later write into that result does not reach the
    argument (eagerly it would). Arguments that take part in an eager gradient computation (``requires_grad``,
    ``nd.grad`` of the jitted function) run ``fun`` eagerly, so gradients reach them.
    A jitted function called inside another one's trace is inlined.

    >>> import ndgrad as nd
    >>> f = nd.jit(lambda x, y: nd.sum(nd.sin(x) * y))
    >>> float(f(nd.asarray([0.0, 1.0]), nd.asarray([2.0, 3.0]))) == 3 * float(nd.sin(1.0))
    True
    >>> f(nd.ones(2), nd.ones(2)) is not None, f.trace_count
    (True, 1)
    >>> g = nd.jit(nd.value_and_grad(lambda w: nd.sum(w * w)))
    >>> g(nd.asarray([1.0, 2.0]))
    (np.float64(5.0), array([2., 4.]))
    """
    if fun is None:
        return functools.partial(jit, static_argnums=static_argnums,
                                 static_argnames=static_argnames,
                                 donate_argnums=donate_argnums)
    return _Jitted(fun, static_argnums, static_argnames, donate_argnums)


# -- the autograd verbs on traced values --------------------------------------------------
def _graph():
    return _state.graphs[-1]


def _as_traced(x, what="an input"):
    """``x`` as a Traced value of the current trace (a concrete array: a constant)."""
    if type(x) is Traced:
        return x
    g = _graph()
    if isinstance(x, _registry.Array):
        return Traced(_const(g, x))
    if isinstance(x, Tensor):
        return Traced(x)
    if type(x) is np.ndarray:
        return Traced(_const_numpy(g, x))
    from .._ops.creation import asarray
    return Traced(_const(g, asarray(x)))


def _start(x):
    """A fresh traced value standing for input ``x`` of a verb: an identity node, so
    the gradient follows only the uses inside the verb's function (as eager's fresh
    start array), and a write inside it leaves the caller's value alone."""
    from .._autograd.functional import _TRACE_INPUT
    t = _as_traced(x)
    if t.dtype.kind not in "fc":
        raise TypeError(f"cannot differentiate with respect to an input of dtype {t.dtype}: "
                        "only floating arrays have gradients")
    # a graph node even for a constant input (never computed ahead): f's ops on it must
    # stay in the graph for the gradient to follow them
    res = Traced(graph_apply(_TRACE_INPUT, (t._as_graph_element(),), {}))
    if not res.shape and getattr(t, "_array0d", False):
        res._array0d = True    # (a 0-d array, as eager's start: b = a; b += 1 writes a)
    return res


def _setup(f, args, nums):
    args = list(args)
    starts = {}
    for n in nums:
        leaves, rebuild = _flatten(args[n])
        st = [_start(l) for l in leaves]
        starts[n] = (st, [s._t for s in st], rebuild)
        args[n] = rebuild(st)
    grad_state = _registry.grad_state
    prev = _registry.saved_grad_mode()
    grad_state.enabled = True       # as eager: f records, even inside no_grad()
    try:
        return f(*args), starts
    finally:
        _registry.restore_grad_mode(prev)


def _backward(ys, cots, xs):
    """Cotangents of the tensors ``xs`` (None where ``ys`` do not depend on them) for
    outputs ``ys`` with cotangents ``cots`` (None: ones): the gradient rules applied in
    reverse over the traced graph, as eager backward with ``create_graph`` -- each rule
    given ndgrad as ``xp`` and traced values, so the gradient is more graph."""
    import ndgrad as xp
    from .._autograd.backward import _unbroadcast
    from .._ops.creation import ones_like, zeros_like
    yts = [y._as_graph_element() for y in ys]
    graph = yts[0].graph
    back = _core.ancestors([t._op for t in yts])
    index = {op: i for i, op in enumerate(graph._ops) if op in back}
    reach = set(xs)
    between = []
    for op in sorted(back, key=index.__getitem__):
        if any(isinstance(a, Tensor) and a in reach for a in op._args):
            between.append(op)
            if op._kind == "op":
                reach.update(op.outputs)
    grads = {}
    for t, y, c in zip(yts, ys, cots):
        c = ones_like(y) if c is None else c
        grads[t] = c if t not in grads else grads[t] + c
    for op in reversed(between):
        if op._kind != "op" or op._op.vjp is None:
            continue
        outs = [grads.get(t) for t in op.outputs]
        if all(o is None for o in outs):
            continue
        rule = op._op
        if rule.multi:
            ans = tuple(Traced(t) for t in op.outputs)
            g = [o if o is not None else zeros_like(a) for o, a in zip(outs, ans)]
            if not rule.save_ans:
                ans = None
        else:
            g = outs[0]
            ans = Traced(op.outputs[0]) if rule.save_ans else None
        args = op._args
        inputs = (tuple(Traced(a) if isinstance(a, Tensor) else a for a in args)
                  if rule.save_inputs else (None,) * len(args))
        params = op._params
        if rule.needs_mask:
            params = dict(params, _needs=tuple(isinstance(a, Tensor) and a in reach
                                               for a in args))
        gins = rule.vjp(xp, g, ans, *inputs, **params)
        for a, gi in zip(args, gins):
            if gi is None or not isinstance(a, Tensor) or a not in reach:
                continue
            if a._np_dtype.kind not in "fc":
                continue
            gi = _as_traced(gi)
            if gi.shape != a._shape:
                gi = _unbroadcast(xp, gi, a._shape)
            prev = grads.get(a)
            grads[a] = gi if prev is None else prev + gi
    return [grads.get(x) for x in xs]


def _grads(ys, cots, starts, nums, single):
    from .._autograd.backward import as_primal_dtype
    from .._ops.creation import zeros_like
    xs = [t for n in nums for t in starts[n][1]]
    gs = _backward(ys, cots, xs) if ys else [None] * len(xs)
    out = []
    i = 0
    for n in nums:
        st, _, rebuild = starts[n]
        gl = []
        for s in st:
            g = gs[i]
            i += 1
            gl.append(zeros_like(s) if g is None else as_primal_dtype(g, s.dtype))
        out.append(rebuild(gl))
    return out[0] if single else tuple(out)


def value_and_grad(f, argnums, has_aux, holomorphic, args, kwargs):
    """``value_and_grad(f)(*args)`` on traced values: the gradient as graph."""
    from .._autograd.functional import _check_scalar_output, _check_holomorphic_inputs
    if holomorphic:
        _check_holomorphic_inputs(args, argnums)
    single = isinstance(argnums, int)
    nums = (argnums,) if single else tuple(argnums)
    out, starts = _setup(lambda *a: f(*a, **kwargs), args, nums)
    aux = None
    if has_aux:
        if not (isinstance(out, (tuple, list)) and len(out) == 2):
            raise TypeError("has_aux=True needs f to return a pair (output, aux)")
        out, aux = out
    out = _as_traced(out)
    _check_scalar_output(out, holomorphic)
    g = _grads([out], [None], starts, nums, single)
    if has_aux:
        return (out, aux), g
    return out, g


def grad(f, argnums, has_aux, holomorphic, args, kwargs):
    (value, g) = value_and_grad(f, argnums, has_aux, holomorphic, args, kwargs)
    if has_aux:
        return g, value[1]
    return g


def vjp(f, primals, has_aux):
    """``vjp(f, *primals)`` on traced values: the pullback builds graph."""
    nums = tuple(range(len(primals)))
    out, starts = _setup(f, primals, nums)
    aux = None
    if has_aux:
        out, aux = out
    pb = _Pullback(out, starts, nums)
    if has_aux:
        return out, pb, aux
    return out, pb


class _Pullback:
    def __init__(self, out, starts, nums):
        self.out, self.starts, self.nums = out, starts, nums

    def __call__(self, cotangent):
        from .._ops.creation import asarray
        out_leaves, _ = _flatten(self.out)
        cot_leaves, _ = _flatten(cotangent)
        if len(cot_leaves) != len(out_leaves):
            raise ValueError(f"the cotangent has {len(cot_leaves)} leaves, the output "
                             f"{len(out_leaves)}")
        ys, cs = [], []
        for o, c in zip(out_leaves, cot_leaves):
            if type(o) is not Traced:
                continue
            if type(c) is not Traced:
                c = asarray(c, dtype=o.dtype)
            c = _as_traced(c)
            if c.shape != o.shape:
                raise ValueError(f"cotangent shape {c.shape} does not match the output's "
                                 f"shape {o.shape}")
            if c.dtype != o.dtype:
                from .._ops.dtype_functions import astype
                c = astype(c, o.dtype)
            ys.append(o)
            cs.append(c)
        return _grads(ys, cs, self.starts, self.nums, False)


def jvp(f, primals, tangents):
    """``jvp`` on traced values: the transpose of the vjp (as eager's ``jvp``)."""
    from .._autograd.forward_mode import tangents_by_transpose
    from .._ops.creation import ones_like
    primals = tuple(primals)
    tangents = tuple(tangents)
    out, pb = vjp(f, primals, False)
    out_leaves, rebuild = _flatten(out)
    # (a dummy cotangent of ones, as eager's jvp: see there)
    u_leaves = [ones_like(_as_traced(o)) for o in out_leaves]
    jt = tangents_by_transpose(
        pb, rebuild, tangents, u_leaves, lambda t: _flatten(t)[0],
        lambda L: grad(L, tuple(range(len(u_leaves))), False, False, u_leaves, {}))
    return out, rebuild(jt)


def custom_vjp_call(fn, fwd, bwd, args):
    """A ``custom_vjp`` function applied to traced values (arrays anywhere in nested
    arguments and results): ``fwd`` traced, and one node whose gradient rule is ``bwd``
    (the function's own rule, not its forward's), as eager's ``custom_vjp``."""
    from .._autograd.custom_vjp import (arg_cotangents, flat_arguments, in_own_fwd,
                                        running_fwd)
    from .._autograd.forward_mode import note_user_rule
    per_arg, leaves = flat_arguments(args)
    positions = [i for i, l in enumerate(leaves) if type(l) is Traced or (
        isinstance(l, _registry.Array) and l.dtype.kind in "fc")]
    if not positions:
        return fn(*args)

    def traced_fwd():
        with running_fwd(fn):
            return fwd(*args)

    # f called inside its own fwd: its value through f's ops, and its residuals traced
    # when its rule runs (see custom_vjp.in_own_fwd)
    nested = in_own_fwd(fn)
    out, res = (fn(*args), None) if nested else traced_fwd()
    out_leaves, out_rebuild = _flatten(out)
    outs = [_as_traced(o) for o in out_leaves]
    n = len(outs)

    def rule(xp, g, ans, *inputs):
        note_user_rule("custom_vjp function", fn)
        grads = bwd(traced_fwd()[1] if nested else res,
                    out_rebuild(list(g) if n > 1 else [g]))
        per_leaf = arg_cotangents(fn.__name__, grads, per_arg)
        # (a Python number as a cotangent: an array of its argument's dtype)
        return (None,) * n + tuple(
            per_leaf[i] if per_leaf[i] is None or type(per_leaf[i]) is Traced else
            _as_traced(np.asarray(per_leaf[i], dtype=np.dtype(leaves[i].dtype)))
            for i in positions)

    op = Op(f"custom_vjp:{fn.__name__}",
            (lambda xp, *a: tuple(a[:n])) if n > 1 else (lambda xp, o, *a: o), rule,
            save="none", multi=n > 1)
    result = apply(op, tuple(outs) + tuple(_as_traced(leaves[i]) for i in positions))
    return out_rebuild(list(result) if n > 1 else [result])


def _created(a):
    """Inside a trace, an array from a creation function (nd.zeros ...) is a constant of
    the trace: a traced value that writes of traced values can update (out = nd.zeros(n);
    out[i] = t), and whose value host code may still read."""
    if not _state.graphs:
        return a
    return Traced(_state.graphs[-1].constant(a._data))


_registry.graph_hooks["types"] = (Tensor, Traced)
_registry.graph_hooks["created"] = _created
_registry.graph_hooks["apply"] = _apply_hook
_install_traced_methods()

from .._autograd import functional as _functional  # noqa: E402
_functional.JIT["module"] = __import__(__name__, fromlist=["_"])
_functional.JIT["tracing"] = tracing

"""The op registry and the op-application path.

An op is one declaration: a forward function over backend arrays, ``forward(xp, *arrays,
**params)``, and a gradient rule, ``vjp(xp, g, ans, *arrays, **params) -> tuple`` (one
cotangent, or None, per array input), written against the namespace ``xp`` it is given.
First-order backward passes the raw backend namespace and raw arrays (no wrapper cost);
higher-order backward and graph mode pass ndgrad itself, so the rule records again.

Every public function is ``apply(op, arrays, params)``: eager arrays compute now (and
record a Node when some input takes part in a gradient computation); symbolic graph
tensors hand the op to the graph layer, which registers itself in ``graph_hooks``.
"""
from __future__ import annotations

import sys
import functools
import threading
import weakref
from sys import getrefcount as _refs

import numpy as np

from .._backend import _backends_by_type, backend_of, device_of, known_backend, numpy_backend
from .sharing import _COUNTS, _SHARED, is_shared, shared_now

_id = id

_ndarray = np.ndarray
_npx = numpy_backend.xp
_EMPTY = {}
NO_PARAMS = _EMPTY  # apply's default params, for callers that pass ``reuse`` positionally

REGISTRY: dict = {}

# -- buffer reuse: a dead temporary's buffer takes the result (NumPy's temporary elision) ----
# Only where reference counts can prove an operand dead (``sharing._COUNTS``: CPython
# 3.11-3.13 with the GIL); off elsewhere.
_REUSE = _COUNTS
REUSE_BYTES = 1 << 18    # as NumPy: below 256 KiB a fresh buffer costs less than the checks
# code objects of the functions that pass their array arguments straight on to ``apply``
# (each holds exactly one reference per argument: its parameter); see ``reuse_entry``
_ENTRIES = set()
_getframe = sys._getframe
_weakcount = weakref.getweakrefcount


def reuse_entry(fn):
    """Declare ``fn`` a pass-through entry to ``apply``: its only references to its array
    arguments are its parameters, which it hands to ``apply(op, ..., reuse=True)``
    unchanged (the public elementwise functions and their NumPy-face aliases). Operands
    reached through such calls from user code can be proven dead by their reference
    counts. Returns ``fn``."""
    _ENTRIES.add(fn.__code__)
    return fn


def _dead(x, d, recorded_ok=False):
    """Whether Array ``x`` (data ``d``), an operand of the op being applied, is a dead
    temporary whose buffer may take the result: nobody but the op's call chain refers to
    the wrapper or the buffer (no name, list, closure, view, NumPy array from np.asarray,
    recorded node, weak reference, other thread), and the buffer is its own, writeable.
    ``recorded_ok``: ``x`` may be recorded (the op's own rule reads no input); its node
    stays in the graph, but no rule reads the buffer: one that saved it (as an input or
    as its result) holds a reference and marks ``x`` saved, and a retained gradient holds
    a weak reference to ``x``.

    Called as apply(reuse=True) -> _reuse_out -> _dead only. Those frames hold ``x`` four times
    (apply's tuple and local, two parameters) and ``d`` three times (apply's local, two
    parameters), beyond ``x._data`` and getrefcount's argument; each entry frame above
    ``apply`` holds ``x`` once. On Python calls the caller's references move into the
    callee, so one more reference anywhere (user code, a C caller such as an operator
    slot or NumPy's object loops) means alive."""
    if ((x._node is not None and not recorded_ok) or d.base is not None
            or not d.flags.writeable
            or not d.flags.owndata   # (memory another object lent it)
            or _refs(d) != 5 or _weakcount(x) or getattr(x, "_saved", False)
            or getattr(x, "_base", None) is not None):
        return False
    held = 5
    f = _getframe(3)
    while f.f_code in _ENTRIES:
        held += 1
        f = f.f_back
    return _refs(x) == held


def _reuse_out(op, x, d, other, first=True, recorded_ok=False):
    """``d`` when it can take the result of ``op`` on ``d`` (and ``other``, the other
    operand's data, or ``_NO_OTHER``; ``first``: ``d`` is the first operand): ``x`` dead
    (``_dead``), the result of ``d``'s dtype and shape (NumPy's own loop resolution; the
    other operand may broadcast into ``d``, never widen it), real; else None."""
    # (not complex: NumPy's complex multiply/square give another last bit in place)
    if d.nbytes < REUSE_BYTES or d.dtype.kind not in "biuf" or not _dead(x, d, recorded_ok):
        return None
    try:
        if other is _NO_OTHER:
            dts = op.ufunc.resolve_dtypes((d.dtype, None))
        else:
            t = other.dtype if type(other) is _ndarray else type(other)
            dts = op.ufunc.resolve_dtypes((d.dtype, t, None) if first
                                          else (t, d.dtype, None))
            if (type(other) is _ndarray and other.shape != d.shape
                    and np.broadcast_shapes(other.shape, d.shape) != d.shape):
                return None
    except Exception:
        return None  # (no loop, shapes that do not broadcast: the op itself says so)
    if dts[-1] != d.dtype:
        return None
    return d


_NO_OTHER = object()


class Op:
    """One operation: forward, gradient rule, and how to treat its inputs and outputs.

    save: which values the gradient rule reads ("inputs", "ans", "both", "none"), so
          backward keeps only those alive.
    view: the forward may return a view of its (first) input (NumPy semantics); writes
          through such a result reach the base, and autograd follows them.
    multi: the forward returns a tuple of arrays.
    """

    __slots__ = ("name", "forward", "vjp", "save_inputs", "save_ans", "view", "multi",
                 "shape_rule", "nondiff_reason", "npfn", "fast", "needs_mask", "rule1",
                 "ufunc", "nograd", "elementwise", "passes_first",
                 "__weakref__")

    def __init__(self, name, forward, vjp=None, *, save="inputs", view=False, multi=False,
                 shape_rule=None, nondiff=None, nograd=None):
        # ``nograd``: why ndgrad has no gradient for an op whose result does move with its
        # inputs (not a zero gradient): it records as any op, and a gradient through it
        # raises that reason (PyTorch's "derivative not implemented"), never a silent 0
        self.nograd = nograd
        if nograd is not None:
            vjp, nondiff, save = _raising_rule(name, nograd), nograd, "none"
        self.name = name
        self.forward = forward
        self.vjp = vjp
        self.save_inputs = save in ("inputs", "both")
        self.save_ans = save in ("ans", "both")
        self.view = view
        self.multi = multi
        self.shape_rule = shape_rule
        # why an op has no gradient (integer/boolean outputs, piecewise constant ...)
        self.nondiff_reason = nondiff
        # the NumPy function itself, when the forward is just that (the eager hot path
        # calls it directly); set by ``forward.npfn``
        self.npfn = getattr(forward, "npfn", None)
        # plain ops (no views, one output) may take apply's fast path
        self.fast = not view and not multi
        # a rule with a ``_needs`` parameter is told which inputs want a cotangent, so it
        # can skip the others (matmul's product for a constant operand, say)
        self.needs_mask = vjp is not None and _takes_needs(vjp)
        # one output and a rule: first-order backward applies it inline
        self.rule1 = vjp is not None and not multi
        # a rule whose first cotangent is the output's cotangent itself, whatever the
        # inputs (add, subtract: declared on the rule as ``passes_first``): first-order
        # backward hands it on without calling the rule where the second input is a
        # constant
        self.passes_first = bool(getattr(vjp, "passes_first", False))
        # an elementwise NumPy ufunc: may write its result into a dead operand's buffer
        npfn = self.npfn
        # its NumPy function is an elementwise ufunc (or a real-input fast path to one):
        # an array operand beside a Python number has the result's shape
        # (a wrapper that takes ``out=`` as its ufunc does declares it: ``npfn.ufunc``)
        uf = npfn if isinstance(npfn, np.ufunc) else getattr(npfn, "ufunc", None)
        base_fn = getattr(npfn, "real_npfn", None) or uf
        self.elementwise = (isinstance(base_fn, np.ufunc) and base_fn.nout == 1
                            and base_fn.signature is None and not view and not multi)
        self.ufunc = (uf if _REUSE and isinstance(uf, np.ufunc) and uf.nout == 1
                      and uf.signature is None else None)

    @property
    def differentiable(self):
        return self.vjp is not None and self.nograd is None

    def __repr__(self):
        return f"<ndgrad op {self.name}>"


class NoGradientError(TypeError):
    """A gradient was asked through an op ndgrad cannot differentiate (its result moves
    with its inputs, so a zero would be wrong)."""


def _raising_rule(name, reason):
    def rule(xp, g, ans, *inputs, **params):
        raise NoGradientError(
            f"{params.get('fn', name)} has no gradient in ndgrad ({reason}), and the "
            "gradient asked for goes "
            "through it; compute it on x.detach() (a constant) if its values are all that "
            "is needed")
    return rule


def _takes_needs(vjp):
    import inspect
    try:
        return "_needs" in inspect.signature(vjp).parameters
    except (TypeError, ValueError):
        return False


def defop(name, forward, vjp=None, **kw):
    """Register an op; the one way to add one. Returns the Op."""
    if name in REGISTRY:
        raise ValueError(f"op {name!r} is registered twice")
    op = Op(name, forward, vjp, **kw)
    REGISTRY[name] = op
    return op


def nondiff(reason):
    """The keyword arguments of an op whose output has no gradient (comparisons, argmax ...)."""
    return {"nondiff": reason, "save": "none"}


class Node:
    """A recorded application of an op: what backward needs to apply its gradient rule.

    A leaf node (op None) stands for an array the user asked gradients for; it points
    back (weakly) to that array so backward can accumulate into ``.grad``.

    Made by ``new_node`` (the class has no ``__init__``: ``Node()`` is an empty record,
    which the op-application hot path fills slot by slot, at half the cost of a call
    through ``__init__``). Once a backward pass without ``retain_graph`` has run the
    rule, its saved values are dropped: ``inputs`` is ``FREED`` and ``ans`` None.
    """

    __slots__ = ("op", "parents", "inputs", "ans", "params", "shapes", "leaf",
                 "__weakref__")

    def __repr__(self):
        return f"<Node {self.op.name if self.op else 'leaf'}>"

    @property
    def freed(self):
        """Whether backward dropped this node's saved values (a second pass raises)."""
        return self.inputs is FREED


class _Freed(tuple):
    """The ``inputs`` of a Node whose saved values backward dropped: an empty tuple (code
    that reads saved inputs finds none), known by identity."""
    __slots__ = ()


FREED = _Freed()


def new_node(op, parents, inputs, ans, params, shapes):
    """A Node: ``op`` applied to ``parents`` (their nodes, None for constants), the saved
    ``inputs`` and ``ans`` its rule reads, its ``params``, the input ``shapes``."""
    n = Node()
    n.op = op
    n.parents = parents
    n.inputs = inputs
    n.ans = ans
    n.params = params
    n.shapes = shapes
    n.leaf = None
    return n


class _GradState(threading.local):
    """Per-thread recording state (as PyTorch's grad mode): whether applying an op records
    it (``no_grad`` turns it off), and how many functional verbs are tracing in this
    thread. A new thread starts at depth 0, recording (whatever other threads do) unless
    ``ndgrad.tf``'s eager mode is on (``set_recording_default``)."""
    enabled = True
    depth = 0


grad_state = _GradState()


def set_recording_default(on):
    """Whether threads record outside blocks that set it: off while ``ndgrad.tf``'s eager
    mode is on (TensorFlow records only inside a ``GradientTape``, which turns recording
    on for its block, in its thread). Every thread that has not set its own mode
    (``set_grad_enabled(False)`` called as a function) follows it, this one too."""
    _GradState.enabled = on
    grad_state.__dict__.pop("enabled", None)


_DEFAULT_MODE = object()


def saved_grad_mode():
    """This thread's own recording setting, for ``restore_grad_mode`` at the end of a
    block that changes it: a token for "none" where the thread follows the default. (A
    block that wrote the value it had read back pinned the thread to it: after
    ``tf.enable_eager_execution()`` a pool thread that had taken a gradient kept
    recording outside GradientTape, and a tape's gradient reached values computed
    before the tape.)"""
    return grad_state.__dict__.get("enabled", _DEFAULT_MODE)


def restore_grad_mode(saved):
    """Undo a block's change of the recording setting (``saved_grad_mode``)."""
    if saved is _DEFAULT_MODE:
        grad_state.__dict__.pop("enabled", None)
    else:
        grad_state.enabled = saved


# Where arrays follow TensorFlow's eager tensors, not NumPy's and PyTorch's arrays (one
# switch, set with ``set_recording_default`` by ``tf.enable_eager_execution``):
# ``numpy.asarray``/``x.numpy()`` of an array a tape records gives its values (TF's tape
# does not see NumPy code, by its documented rule); ``x.numpy()`` of a 0-d array is a
# NumPy scalar; and augmented assignment rebinds (``b = a; b += 1`` leaves ``a``: TF's
# tensors are immutable), where NumPy's rule writes in place (but for a 0-d value that
# stands for NumPy's scalar: ``stands_for_scalar``)
TF_TENSORS = {"on": False}
# filled by ndgrad.graph: symbolic tensor types and the function that adds an op to a graph
graph_hooks = {"types": (), "apply": None, "read": None, "write": None, "made": None}

# While an nd.jit trace runs in some thread (``graph/jit.py``), every op takes the
# general path, which tells the trace which arrays from outside its arguments it read
# (the compiled code holds their values; a later write must trigger a new trace).
_trace_reads = 0
_trace_reads_lock = threading.Lock()


def trace_reads(delta):
    """Count a trace starting (+1) or ending (-1): while any runs, ops report reads."""
    global _trace_reads
    with _trace_reads_lock:
        _trace_reads += delta


def note_read(a):
    """Tell a running nd.jit trace that array ``a`` was read directly (a host function,
    a conversion to NumPy), outside ``apply``."""
    if _trace_reads:
        graph_hooks["read"]((a,), None)


def note_made(a):
    """Tell a running nd.jit trace that Array ``a`` was made outside ``apply`` and
    ``wrap`` (a constructor): the trace's own, which it may write into."""
    if _trace_reads:
        graph_hooks["made"](a)


def note_write(a):
    """Tell a running nd.jit trace that array ``a`` (an ndgrad or NumPy array) is about
    to be written in place: the trace refuses a write into an array it did not make
    (the write would happen once, while tracing, not at each call)."""
    if _trace_reads:
        graph_hooks["write"](a)


# the Array class, filled in by _array.py (it imports this module)
Array = None
_new = object.__new__


def _saved_view(x):
    """Mark the root of view ``x`` saved too: a rule that saves a view keeps the root's
    buffer, and the mark must outlive the view. (Only the view was marked: once a
    temporary view like ``w[0:2]`` of ``(w[0:2] ** 2).sum()`` was collected, a write into
    ``w`` under ``no_grad`` skipped the copy and changed the values the rule read, a
    gradient of [1, 1] for [2, 2].)"""
    r = getattr(x, "_base", None)
    if r is not None:
        r._saved = True


def wrap(data, node=None):
    """A fresh Array around a backend array (no copy)."""
    a = _new(Array)
    a._data = data
    a._node = node
    if _trace_reads:
        graph_hooks["made"](a)   # (nd.jit: the trace may write into what it made)
    return a


def _as_data(x, ref):
    """Raw backend value for an input: an Array's data, a raw backend array, or a scalar."""
    if type(x) is Array:
        return x._data
    if isinstance(x, Array):
        return x._data
    if x is None or isinstance(x, (int, float, complex, bool)):
        return x
    bk = known_backend(x)   # (the type table first, then a Dask array not yet loaded)
    if bk is not None:
        return x
    if isinstance(x, graph_hooks["types"]):
        raise _Symbolic
    if isinstance(x, (np.generic,)):
        return np.asarray(x)
    if getattr(type(x), "__array_ufunc__", _NO_OTHER) is None:
        # NumPy's refusal (its operators give way to such an operand: _defers_to)
        raise TypeError(f"operand '{type(x).__name__}' does not support ufuncs "
                        "(__array_ufunc__=None)")
    # lists, NumPy scalars, other array-likes: convert on the backend of ``ref``
    from .creation import _to_backend_data
    return _to_backend_data(x, ref)


class _Symbolic(Exception):
    """Raised inside apply when an input is a graph tensor: the op goes to the graph."""


def _check_same_device(datas):
    devs = []
    for d in datas:
        if hasattr(d, "shape") and not isinstance(d, (int, float, complex)):
            devs.append(device_of(d))
    for d in devs[1:]:
        if d != devs[0]:
            raise ValueError(f"arrays are on different devices: {devs[0]} and {d}; move "
                             "one with x.to_device(...) first")


def _finish(op, out, bk):
    if op.multi:
        return tuple(o if type(o) is bk.array_type else bk.xp.asarray(o) for o in out)
    if type(out) is not bk.array_type:
        out = bk.xp.asarray(out)
    return out


def is_recorded(v):
    """An ndgrad Array or a graph tensor (a rule given it records), not a raw array."""
    return isinstance(v, Array) or isinstance(v, graph_hooks["types"])


def real_cotangent(xp, g):
    """The part of a cotangent that a real output receives. A complex one (the output
    multiplied by a complex number downstream: ``real(c * logabsdet)``) contributes its
    real part, as the real-to-complex conversion's transpose does in JAX; a rule of an op
    with complex inputs and a real output that used the whole complex cotangent would give
    a wrong gradient with no error."""
    return xp.real(g) if xp.isdtype(g.dtype, "complex floating") else g


def apply_or_run(op, *arrays, **params):
    """``op`` inside a gradient rule: recorded on ndgrad Arrays and graph tensors (higher
    orders, graphs, ``nd.jit``), its forward run on raw backend arrays (first order)."""
    if any(is_recorded(a) for a in arrays):
        return apply(op, arrays, params)
    first = arrays[0]
    xp = np if type(first) is _ndarray else backend_of(first).xp
    return op.forward(xp, *arrays, **params)


def apply(op, arrays, params=_EMPTY, reuse=False):
    """Apply ``op`` to ``arrays`` (a tuple of array inputs) with keyword ``params``.
    ``reuse``: the caller is a ``reuse_entry`` function, so a dead temporary operand's
    buffer may take the result (operators never pass it: the interpreter's stack holds
    their operands, so reference counts cannot prove them dead).

    The hot path: one or two inputs that are NumPy-backed Arrays or Python numbers go
    straight to the forward and, when recording, to one Node. Everything else (other
    backends, lists, views, multi-output ops, graph tensors) takes ``_apply_general``.
    """
    if _trace_reads:
        return _apply_reading(op, arrays, params)
    if op.fast:
        n = len(arrays)
        if n == 2:
            a, b = arrays
            ta = type(a)
            tb = type(b)
            if ta is Array:
                da = a._data
                if type(da) is not _ndarray:
                    return _apply_general(op, arrays, params)
                if tb is Array:
                    db = b._data
                    if type(db) is not _ndarray:
                        return _apply_general(op, arrays, params)
                    nb = b._node
                elif tb is float or tb is int:
                    db = b
                    nb = None
                else:
                    return _apply_general(op, arrays, params)
                na = a._node
            elif (ta is float or ta is int) and tb is Array:
                db = b._data
                if type(db) is not _ndarray:
                    return _apply_general(op, arrays, params)
                da = a
                na = None
                nb = b._node
            else:
                return _apply_general(op, arrays, params)
            fn = op.npfn
            if na is None and nb is None or op.vjp is None or not grad_state.enabled:
                # not recorded: a large dead operand may take the result (one size
                # check: the Array operand, the first when both are)
                if reuse and op.ufunc is not None and (
                        da if ta is Array else db).nbytes >= REUSE_BYTES and not params:
                    buf = _reuse_out(op, a, da, db) if ta is Array else None
                    if buf is None and tb is Array:
                        buf = _reuse_out(op, b, db, da, False)
                    out = fn(da, db) if buf is None else fn(da, db, out=buf)
                else:
                    out = fn(da, db) if fn is not None and not params else op.forward(
                        _npx, da, db, **params)
                if type(out) is not _ndarray:
                    out = np.asarray(out)
                res = _new(Array)
                res._data = out
                res._node = None
                return res
            del da, db   # (_record2 counts the references to the buffers it saves)
            return _record2(op, a, b, ta, tb, na, nb, params)
        if n == 1:
            x = arrays[0]
            if type(x) is Array:
                d = x._data
                if type(d) is _ndarray:
                    fn = op.npfn
                    # (a recorded operand too, for an op whose rule reads no input)
                    if (reuse and op.ufunc is not None and d.nbytes >= REUSE_BYTES
                            and not params and (x._node is None or not op.save_inputs)):
                        buf = _reuse_out(op, x, d, _NO_OTHER, True, x._node is not None)
                        out = fn(d) if buf is None else fn(d, out=buf)
                    else:
                        out = fn(d) if fn is not None and not params else op.forward(
                            _npx, d, **params)
                    if type(out) is not _ndarray:
                        out = np.asarray(out)
                    if x._node is None or op.vjp is None or not grad_state.enabled:
                        res = _new(Array)
                        res._data = out
                        res._node = None
                        return res
                    del d   # (_record1 counts the references to the buffer it saves)
                    return _record1(op, x, out, params)
    elif op.view and len(arrays) == 1:
        # a view op (reshape, transpose, basic indexing ...) of one unrecorded NumPy-backed
        # Array: _apply_general's steps for that case, without its generic loops
        x = arrays[0]
        if type(x) is Array and type(x._data) is _ndarray and (
                x._node is None or not grad_state.enabled):
            out = op.forward(_npx, x._data, **params)
            if type(out) is not _ndarray:
                out = np.asarray(out)
            res = _new(Array)
            res._data = out
            res._node = None
            _track_view(x, res, op, params)
            return res
    return _apply_general(op, arrays, params)


def _record1(op, x, out, params):
    """Apply's recorded hot path for one NumPy-backed Array operand ``x`` (recorded: its
    node is not None) once the forward gave ``out``: one Node (``new_node`` inlined).
    The caller holds no local reference to ``x``'s buffer (the sharing check counts
    them)."""
    d = x._data
    node = Node()
    if op.save_inputs:
        if _SHARED and (d.base is not None or _id(d) in _SHARED) and \
                shared_now(d, 2):   # x._data, d
            d = d.copy()   # shared with NumPy code: a private copy
        else:
            x._saved = True
            if d.base is not None:
                _saved_view(x)
        node.inputs = (d,)
    else:
        node.inputs = None
    node.op = op
    node.parents = (x._node,)
    node.params = params
    node.shapes = (d.shape,)
    node.leaf = None
    return _recorded(op, node, out)


def _recorded(op, node, out):
    """The result Array of a recorded op on NumPy data: ``out`` with ``node`` (filled but
    for ``ans``, set here: the result, when the rule reads it). The unary entries of
    ``ufunc_entry`` do the same inline (with ``_record1``'s part: two calls less on
    the commonest recorded path, about a fifth of its cost)."""
    res = _new(Array)
    res._data = out
    res._node = node
    if op.save_ans:
        # (a fresh result, the common case, is nobody else's: no call to _private_ans)
        node.ans = (_private_ans(out) if _SHARED and (out.base is not None
                                                      or _id(out) in _SHARED) else out)
        res._saved = True
    else:
        node.ans = None
    return res


class _Same(tuple):
    """A Node's ``shapes`` when every array input has the result's shape (an elementwise
    op on one array, or on an array and a Python number): backward sums no cotangent
    down, and a reader wanting the input shapes takes the result's."""
    __slots__ = ()


SAME1 = _Same((None,))
SAME2 = _Same((None, None))


def ufunc_entry(op, finish):
    """The public function of a one-input elementwise op with NumPy's ufunc keywords:
    ``f(x, /, out=None, *, where=True, dtype=None, casting="same_kind", order=None,
    subok=None)`` (``nd.sin``). A call with only ``x``, a NumPy-backed Array, outside
    any nd.jit trace, is apply's hot path done right here (apply's frame and dispatch
    less): unrecorded below the buffer-reuse size, or recorded through ``_record1``.
    Every other call without keywords goes to ``apply`` (as a ``reuse_entry``: a dead
    temporary's buffer may take the result); a call with keywords to
    ``finish(x, out, where, dtype, casting)``."""
    fn = op.npfn
    ufunc = op.ufunc
    recordable = op.vjp is not None
    # an op whose NumPy function corrects complex results only (tanh, expm1, sign): that
    # correction's frame is skipped for a real array (the NumPy ufunc alone)
    real_fn = getattr(fn, "real_npfn", None)
    if fn is None or not op.fast:
        def f(x, /, out=None, *, where=True, dtype=None, casting="same_kind", order=None,
              subok=None):
            if out is None and where is True and dtype is None and casting == "same_kind":
                return apply(op, (x,), _EMPTY, True)
            return finish(x, out, where, dtype, casting)
        return reuse_entry(f)

    save_inputs = op.save_inputs
    save_ans = op.save_ans
    elementwise = op.elementwise

    def keywords(x, out, kw):
        # (NumPy's keywords, checked here: the entry takes ``**kw`` because Python fills
        # keyword-only defaults from a dict at every call, 40 ns more on the hot path)
        where = kw.pop("where", True)
        dtype = kw.pop("dtype", None)
        casting = kw.pop("casting", "same_kind")
        kw.pop("order", None)
        kw.pop("subok", None)
        if kw:
            raise TypeError(f"{f.__name__}() got an unexpected keyword argument "
                            f"{next(iter(kw))!r}")
        if out is None and where is True and dtype is None and casting == "same_kind":
            return apply(op, (x,), _EMPTY, True)
        return finish(x, out, where, dtype, casting)

    def f(x, /, out=None, **kw):
        if out is None and not kw:
            if not _trace_reads and type(x) is Array:
                d = x._data
                if type(d) is _ndarray:
                    parent = x._node
                    if parent is not None and recordable and grad_state.enabled:
                        if save_inputs or ufunc is None or d.nbytes < REUSE_BYTES:
                            # recorded: the forward and one Node (``_record1`` inlined;
                            # the input has the result's shape: ``SAME1``)
                            out = (real_fn(d) if real_fn is not None and d.dtype.kind != "c"
                                   else fn(d))
                            if type(out) is not _ndarray:
                                out = np.asarray(out)
                            node = Node()
                            if save_inputs:
                                if _SHARED and (d.base is not None or _id(d) in _SHARED) \
                                        and shared_now(d, 2):   # x._data, d
                                    d = d.copy()   # shared with NumPy code: a private copy
                                else:
                                    x._saved = True
                                    if d.base is not None:
                                        _saved_view(x)
                                node.inputs = (d,)
                            else:
                                node.inputs = None
                            node.op = op
                            node.parents = (parent,)
                            node.params = _EMPTY
                            node.shapes = SAME1 if elementwise else (d.shape,)
                            node.leaf = None
                            res = _new(Array)
                            res._data = out
                            res._node = node
                            if save_ans:
                                node.ans = (_private_ans(out) if _SHARED and (
                                    out.base is not None or _id(out) in _SHARED) else out)
                                res._saved = True
                            else:
                                node.ans = None
                            return res
                    elif ufunc is None or d.nbytes < REUSE_BYTES:
                        out = (real_fn(d) if real_fn is not None and d.dtype.kind != "c"
                               else fn(d))
                        if type(out) is not _ndarray:
                            out = np.asarray(out)
                        res = _new(Array)
                        res._data = out
                        res._node = None
                        return res
                    # (at or above the reuse size, unrecorded or for a rule that reads no
                    # input: apply, which may reuse a dead operand's buffer; no local may
                    # hold x's buffer then: its reuse check counts references)
                    del d, parent
            return apply(op, (x,), _EMPTY, True)
        return keywords(x, out, kw)
    f._op = op
    f.__signature__ = _ufunc_signature()
    return reuse_entry(f)


@functools.cache
def _ufunc_signature():
    """``(x, /, out=None, *, where=True, dtype=None, casting='same_kind', order=None,
    subok=None)``: what ``inspect.signature`` shows for a ``ufunc_entry`` function."""
    import inspect
    P = inspect.Parameter
    return inspect.Signature(
        [P("x", P.POSITIONAL_ONLY), P("out", P.POSITIONAL_OR_KEYWORD, default=None)]
        + [P(n, P.KEYWORD_ONLY, default=d) for n, d in (
            ("where", True), ("dtype", None), ("casting", "same_kind"), ("order", None),
            ("subok", None))])


def _record2(op, a, b, ta, tb, na, nb, params):
    """Apply's recorded hot path for two NumPy-backed operands ``a``, ``b`` (Arrays of
    type ``ta``/``tb`` with nodes ``na``/``nb``, or Python numbers): the forward, then
    one Node. The caller holds no local reference to either buffer (the sharing check
    counts them)."""
    da = a._data if ta is Array else a
    db = b._data if tb is Array else b
    fn = op.npfn
    out = fn(da, db) if fn is not None and not params else op.forward(
        _npx, da, db, **params)
    if type(out) is not _ndarray:
        out = np.asarray(out)
    node = Node()
    if op.save_inputs:
        # a buffer shared with NumPy code is saved as a private copy (sharing.py)
        if ta is Array:
            if _SHARED and (da.base is not None or _id(da) in _SHARED) and \
                    shared_now(da, 2):   # a._data, da
                da = da.copy()
            else:
                a._saved = True
                if da.base is not None:
                    _saved_view(a)
        if tb is Array:
            if _SHARED and (db.base is not None or _id(db) in _SHARED) and \
                    shared_now(db, 2):   # b._data, db
                db = db.copy()
            else:
                b._saved = True
                if db.base is not None:
                    _saved_view(b)
        node.inputs = (da, db)
    else:
        node.inputs = None
    node.op = op
    node.parents = (na, nb)
    node.params = params
    # (an elementwise op on an array and a Python number: the array has the result's
    # shape)
    node.shapes = ((da.shape if ta is Array else None, db.shape if tb is Array else None)
                   if ta is tb or params or not op.elementwise else SAME2)
    node.leaf = None
    return _recorded(op, node, out)


_NUMERIC = "biufc"


def numpy_operand(raw, op, other):
    """A NumPy array ``raw`` (exactly ``np.ndarray``, of a numeric dtype) that meets the
    Array ``other`` in binary ``op`` (``X @ W``, ``y - pred``, ``mask * A``), as a
    constant Array operand: over ``raw``'s own buffer, or over a private copy when the op
    will be recorded and its rule reads its inputs. The caller may write into ``raw``
    before backward runs, and the rule must read the values the forward used (``_owned``
    copies such an operand on the general path for the same reason)."""
    if (other._node is not None and op.save_inputs and op.vjp is not None
            and grad_state.enabled):
        raw = raw.copy()
    c = _new(Array)
    c._data = raw
    c._node = None
    return c


def operator_method(op, reflected=False):
    """The method behind an Array operator: ``x OP y`` applies ``op`` to ``(x, y)``
    (``(y, x)`` when ``reflected``: ``2 - x``). The commonest call, NumPy-backed operands
    (Arrays or Python ints and floats) of which none is recorded, outside any nd.jit
    trace, is apply's own unrecorded fast path done right here (one frame and apply's
    dispatch less); every other call goes to ``apply``. ``**`` also takes NumPy's
    scalar arithmetic on scalars (``_scalar_power``)."""
    if op.name == "pow":
        return _scalar_power(_operator_method(op, reflected), reflected)
    return _operator_method(op, reflected)


def _operator_method(op, reflected):
    fn = op.npfn
    recordable = op.vjp is not None
    pow_fast = op.name == "pow" and not reflected
    general = _rare_operand_apply(op, reflected)
    save_inputs = op.save_inputs
    save_ans = op.save_ans
    elementwise = op.elementwise
    if fn is None or not op.fast:
        if reflected:
            def method(self, other, /):
                return general(op, (other, self))
        else:
            def method(self, other, /):
                return general(op, (self, other))
        return method

    def method(self, other, /):
        # (no local may hold an operand's buffer when apply or _record2 is called: their
        # sharing and reuse checks count references)
        if not _trace_reads and type(self) is Array and type(self._data) is _ndarray:
            t = type(other)
            if t is float or t is int:
                if pow_fast and (other == 2 or other == -1 or other == 0.5):
                    fast = _numpy_power_shortcut(self._data.dtype, other, t)
                    if fast is not None:
                        return apply(fast, (self,))
                no = None
            elif t is Array and type(other._data) is _ndarray:
                no = other._node
            elif t is _ndarray and other.dtype.kind in _NUMERIC:
                # a NumPy array beside an ndgrad one (``W @ X``, ``A - y``): a constant
                # operand of its own (apply's general path did the same, at 4x the cost)
                other = numpy_operand(other, op, self)
                t = Array
                no = None
            else:
                return general(op, (other, self) if reflected else (self, other))
            ns = self._node
            if ns is None and no is None:
                if t is Array:
                    out = (fn(other._data, self._data) if reflected
                           else fn(self._data, other._data))
                else:
                    out = fn(other, self._data) if reflected else fn(self._data, other)
                if type(out) is not _ndarray:
                    out = np.asarray(out)
                res = _new(Array)
                res._data = out
                res._node = None
                return res
            if recordable and grad_state.enabled:
                # recorded: the forward and one Node (``_record2`` and ``_recorded``
                # inlined: two frames less on the commonest recorded binary path)
                ds = self._data
                if t is Array:
                    do = other._data
                    out = fn(do, ds) if reflected else fn(ds, do)
                else:
                    do = other
                    out = fn(other, ds) if reflected else fn(ds, other)
                if type(out) is not _ndarray:
                    out = np.asarray(out)
                node = Node()
                if save_inputs:
                    # a buffer shared with NumPy code is saved as a private copy
                    if _SHARED and (ds.base is not None or _id(ds) in _SHARED) and \
                            shared_now(ds, 2):   # self._data, ds
                        ds = ds.copy()
                    else:
                        self._saved = True
                        if ds.base is not None:
                            _saved_view(self)
                    if t is Array:
                        if _SHARED and (do.base is not None or _id(do) in _SHARED) and \
                                shared_now(do, 2):   # other._data, do
                            do = do.copy()
                        else:
                            other._saved = True
                            if do.base is not None:
                                _saved_view(other)
                    node.inputs = (do, ds) if reflected else (ds, do)
                else:
                    node.inputs = None
                node.op = op
                node.params = _EMPTY
                node.leaf = None
                if reflected:
                    node.parents = (no, ns)
                    node.shapes = ((do.shape, ds.shape) if t is Array
                                   else SAME2 if elementwise else (None, ds.shape))
                else:
                    node.parents = (ns, no)
                    node.shapes = ((ds.shape, do.shape) if t is Array
                                   else SAME2 if elementwise else (ds.shape, None))
                res = _new(Array)
                res._data = out
                res._node = node
                if save_ans:
                    node.ans = (_private_ans(out) if _SHARED and (
                        out.base is not None or _id(out) in _SHARED) else out)
                    res._saved = True
                else:
                    node.ans = None
                return res
        if pow_fast and isinstance(self, Array) and type(other) in (int, float):
            fast = _numpy_power_shortcut(self.dtype, other, type(other))
            if fast is not None:
                return apply(fast, (self,))
        return general(op, (other, self) if reflected else (self, other))
    return method


def _defers_to(other, inplace=False):
    """NumPy's rule for a binary operator or comparison of an array with ``other``, not
    an array or number (``binop_should_defer``): give way (return NotImplemented, so
    Python calls ``other``'s reflected method) when ``other`` sets ``__array_ufunc__ =
    None`` (not for an in-place operator, ``inplace``: NumPy's ufunc then refuses the
    operand), or has no ``__array_ufunc__`` and an ``__array_priority__`` above a NumPy
    array's (0). ndgrad's graph tensors and traced values are its own."""
    if isinstance(other, (Array, np.ndarray, np.generic, graph_hooks["types"])) or \
            known_backend(other) is not None:
        return False
    uf = getattr(type(other), "__array_ufunc__", _NO_OTHER)
    if uf is not _NO_OTHER:
        return uf is None and not inplace
    try:
        return float(getattr(other, "__array_priority__", -1e6)) > 0.0
    except Exception:   # (NumPy's priority lookup ignores a failing attribute too)
        return False


def _rare_operand_apply(op, reflected):
    """``apply`` for an operator's rare operands (neither an Array nor a Python int or
    float): NumPy's deferral to ``other`` (``_defers_to``) for a forward operator, and for
    ``==`` / ``!=`` NumPy's rule for operands no loop compares (a number array and a
    string, bytes or datetime): not the ufunc's error but an all-False (``==``) or
    all-True (``!=``) boolean result of the broadcast shape, as NumPy's
    ``np.arange(3) == 'a'`` (shapes that do not broadcast raise ValueError). The ufuncs
    themselves (``np.equal``) keep the error, as NumPy's."""
    compare = op.name in ("equal", "not_equal")
    fill = op.name == "not_equal"
    try:
        from numpy._core._exceptions import _UFuncNoLoopError as no_loop
    except ImportError:     # (a NumPy without it: the ufunc's error stays)
        no_loop = ()

    py_complex = _PY_COMPLEX_OPS.get(op.name) if reflected else None

    def general(op, arrays):
        if not reflected and type(arrays[1]) not in _PLAIN_OPERANDS and \
                _defers_to(arrays[1]):
            return NotImplemented
        if py_complex is not None and type(arrays[0]) is complex:
            r = _python_complex_op(py_complex, arrays[0], arrays[1])
            if r is not NotImplemented:
                return r
        if not compare:
            return apply(op, arrays)
        try:
            return apply(op, arrays)
        except no_loop:
            if any(getattr(getattr(a, "dtype", None), "kind", None) == "V" for a in arrays):
                raise   # (a structured or void operand: NumPy's TypeError, not all-False)
            shapes = [tuple(a.shape) if isinstance(a, Array) else np.shape(a)
                      for a in arrays]
            try:
                shape = np.broadcast_shapes(*shapes)
            except ValueError:
                raise ValueError("operands could not be broadcast together with shapes "
                                 + " ".join(map(str, shapes))) from None
            out = np.full(shape, fill)
            return wrap(np.asarray(out))
    return general


_PLAIN_OPERANDS = (int, float, complex, bool, list, tuple)

# Python's complex operators that take a float operand: NumPy's float64 scalar is a Python
# float, so ``0.5j + s`` for a float64 scalar ``s`` is Python's complex arithmetic (a
# Python complex), complex's method going first. (``0.5j == s`` gives a Python bool in
# NumPy too, but Python calls ``s.__eq__(0.5j)`` for it, as for ``s == 0.5j``, whose
# NumPy result is np.bool: the two cannot be told apart here.)
_PY_COMPLEX_OPS = {"add": complex.__add__, "subtract": complex.__sub__,
                   "multiply": complex.__mul__, "divide": complex.__truediv__,
                   "pow": complex.__pow__}


def _python_complex_op(f, c, x):
    """``f(c, x)`` (``_PY_COMPLEX_OPS``) where ``x`` stands for NumPy's float64 scalar
    and nothing records it (a recorded or traced value keeps the op, and its gradient);
    else NotImplemented."""
    if type(x) is not Array or x._node is not None or _trace_reads:
        return NotImplemented
    d = x._data
    if type(d) is not _ndarray or d.shape or d.dtype.type is not np.float64 or \
            getattr(x, "_array0d", False):
        return NotImplemented
    return f(c, float(d[()]))


_SCALAR_OPERANDS = (int, float, complex, np.generic)


def _scalar_power(method, reflected):
    """The ``**`` operator (``method``) with NumPy's scalar arithmetic where both operands
    stand for NumPy's scalars (``x.max() ** 3.5``): for floats that is the C library's
    ``pow``, different from the array ufunc's in the last bit for about 1 in 5 float32
    and 1 in 20 float64 pairs (``np.float32(3) ** 3.5`` is 46.765373, the ufunc's
    46.76537). The op is applied (and recorded) as ever; the value, and the one its rule
    reads, are replaced by the scalar one. An array operand costs this a frame and two
    attribute reads."""
    def power(self, other, /):
        res = method(self, other)
        if type(self) is not Array or type(res) is not Array:
            return res   # (nd.jit's traced values share these operators)
        d = self._data
        if d.__class__ is not _ndarray or d.shape or getattr(self, "_array0d", False):
            return res
        if res.dtype.kind not in "fc":
            if d.dtype.kind == "b" and not reflected and type(other) is int and \
                    res._node is None:
                # a boolean element squared: NumPy's operator takes ``** 2`` of a bool
                # array as ``square`` (int8), its scalar power gives the default int
                # (``np.True_ ** 2`` is np.int64(1)); in int8 a later ``+ 127`` wraps
                with np.errstate(all="ignore"):
                    v = d[()] ** other
                if isinstance(v, np.generic) and v.dtype != res.dtype:
                    return wrap(np.asarray(v))
            return res
        if isinstance(other, Array):
            if other._data.__class__ is not _ndarray or not stands_for_scalar(other):
                return res
            o = other._data[()]
        elif isinstance(other, _SCALAR_OPERANDS) and not isinstance(other, bool):
            o = other
        else:
            return res
        with np.errstate(all="ignore"):
            v = o ** d[()] if reflected else d[()] ** o
        # (compared bit for bit: a complex scalar's (0.5+0j) is == the loop's (0.5-0j))
        if (isinstance(v, np.generic) and v.dtype == res.dtype
                and v.tobytes() != res._data.tobytes()):
            old = res._data
            res._data = np.asarray(v)
            node = res._node
            if node is not None and node.ans is old:
                node.ans = res._data
        return res
    return power


def _numpy_power_shortcut(dtype, e, t):
    """The op NumPy's ``**`` uses instead of ``power`` for an array of ``dtype`` and the
    Python number ``e`` (of type ``t``), where that gives another result than ``power``:
    NumPy's operator takes a Python int 2 as ``square``, -1 as ``reciprocal`` and a
    Python float 0.5 as ``sqrt``. That differs from ``power`` for booleans (``square``:
    int8, not int64), complex numbers (the last bits: ``(-1+0j) ** 0.5`` is ``1j``,
    ``power`` gives ``6e-17+1j``) and float16 / long double square roots (``-0.0``,
    ``-inf``, rounding); for float32 and float64 ``power`` gives the same numbers (its
    own loops take 2, -1 and 0.5 the same way), so those keep ``power``. None where
    ``power`` is NumPy's result."""
    if t is int:
        name = "square" if e == 2 else "reciprocal" if e == -1 else None
    else:
        name = "sqrt" if e == 0.5 else None
    if name is None:
        return None
    kind = dtype.kind
    if (kind == "c" or kind == "b" and name == "square"
            or kind == "f" and name == "sqrt" and dtype.itemsize not in (4, 8)):
        return REGISTRY[name]
    return None


def _apply_reading(op, arrays, params):
    # (an nd.jit trace runs in some thread: report the inputs read and the result made)
    note = graph_hooks["read"]
    note(arrays, None)
    out = _apply_general(op, arrays, params)
    note((), out)
    return out


def _apply_general(op, arrays, params):
    if len(arrays) == 1 and not op.multi:
        # one NumPy-backed Array, not recorded (a copy, astype, a view op with its own
        # arguments): the steps below for that case, without their generic loops
        a = arrays[0]
        if type(a) is Array:
            d = a._data
            if type(d) is _ndarray and (a._node is None or not grad_state.enabled):
                out = op.forward(_npx, d, **params)
                if type(out) is not _ndarray:
                    out = np.asarray(out)
                res = wrap(out)
                if op.view:
                    _track_view(a, res, op, params)
                return res
    try:
        datas = tuple(_as_data(a, arrays) for a in arrays)
    except _Symbolic:
        return graph_hooks["apply"](op, arrays, params)
    first = None
    for d in datas:
        if type(d) is _ndarray:
            continue
        if first is None and _backends_by_type.get(type(d)) is not None:
            first = d
    if first is None:
        out = op.forward(_npx, *datas, **params)
        bk = numpy_backend
    else:
        _check_same_device(datas)
        bk = backend_of(first)
        if bk is not numpy_backend:
            datas = tuple(_to_bk(d, bk) for d in datas)
        out = op.forward(bk.xp, *datas, **params)
    out = _finish(op, out, bk)
    if grad_state.enabled:
        for a in arrays:
            if isinstance(a, Array) and a._node is not None:
                return _record(op, arrays, datas, out, params)
    if op.multi:
        return tuple(wrap(o) for o in out)
    res = wrap(out)
    if op.view and isinstance(arrays[0], Array):
        _track_view(arrays[0], res, op, params)
    return res


def _to_bk(d, bk):
    # a NumPy array (from a list or scalar conversion) meeting a non-NumPy backend array
    if type(d) is _ndarray:
        return bk.xp.asarray(d)
    return d


def _record(op, arrays, datas, out, params):
    if op.vjp is None:
        # no gradient flows through this op: the result is a constant
        if op.multi:
            return tuple(wrap(o) for o in out)
        return wrap(out)
    parents = tuple(a._node if isinstance(a, Array) else None for a in arrays)
    shapes = tuple(getattr(d, "shape", None) for d in datas)
    if op.save_inputs:
        datas = _owned(arrays, datas)
    node = new_node(op, parents, datas if op.save_inputs else None,
                (_private_ans(out) if op.save_ans and not op.multi else
                 out if op.save_ans else None), params, shapes)
    if op.save_ans and not op.multi:
        res = wrap(out, node)
        res._saved = True  # a write into it must not change what the rule reads
        if op.view:
            _track_view(arrays[0], res, op, params)
            _saved_view(res)
        return res
    if op.multi:
        outs = []
        for k, o in enumerate(out):
            sel = new_node(SELECT, (node,), None, None, {"k": k, "n": len(out)}, (None,))
            outs.append(wrap(o, sel))
        return tuple(outs)
    res = wrap(out, node)
    if op.view:
        _track_view(arrays[0], res, op, params)
    return res


def _owned(arrays, datas):
    """The inputs a rule saves, each one the rule may keep by reference or a private copy.

    A raw backend array the caller passed (a NumPy array, not an ndgrad one) and an
    ndgrad array whose buffer NumPy code shares (``sharing.py``) are copied: the caller
    may write into them before backward runs, and the rule must read the values the
    forward used. Other ndgrad arrays are kept and marked saved: ndgrad's own writes into
    them copy first (``_autograd/inplace.py``)."""
    out = None
    for i, (a, d) in enumerate(zip(arrays, datas)):
        if d is a:
            if _backends_by_type.get(type(d)) is None:
                continue
        elif type(a) is not Array and not isinstance(a, Array):
            continue
        elif not (_SHARED and shared_now(d, 3)):   # a._data, datas, d
            a._saved = True
            _saved_view(a)
            continue
        if out is None:
            out = list(datas)
        out[i] = own_copy(d)
    return datas if out is None else tuple(out)


def _private_ans(out):
    """A result a rule saves: a private copy when it is a buffer NumPy code shares (an op
    that returned its input, or a view of it)."""
    if _SHARED and is_shared(out):
        return own_copy(out)
    return out


def sole_owner(a):
    """Whether Array ``a`` is the only holder of its NumPy buffer: the buffer owns its
    memory (no base: not a view of another array) and no other object refers to it (no
    view of it, no recorded node saved it, no NumPy array or Array shares it), so a write
    into it is seen by nobody else. Reference counts tell."""
    d = a._data
    # the references: ``a``'s slot, the local ``d``, getrefcount's argument (only where
    # counts are exact: on 3.14 the argument is borrowed, and 3 meant one other holder)
    return _COUNTS and type(d) is _ndarray and d.base is None and _refs(d) == 3


def own_copy(d):
    """A fresh, writable copy of a backend array."""
    return d.copy() if type(d) is _ndarray else backend_of(d).xp.asarray(d, copy=True)


# -- the NumPy kind of a 0-d value -----------------------------------------------------------
# NumPy gives its scalar (immutable: ``s += 1`` rebinds ``s``; printed ``np.float64(1.0)``)
# from reductions, integer indexing and arithmetic, and a 0-d *array* (written in place;
# printed ``array(1.)``) from creation functions, copies and views of arrays. A 0-d Array
# (or nd.jit traced value) stands for the scalar unless its ``_array0d`` slot is set.
def stands_for_scalar(x):
    """Whether Array ``x`` is a 0-d value standing for NumPy's scalar."""
    return not x._data.shape and not getattr(x, "_array0d", False)


def with_0d_kind(out, array):
    """``out`` (an Array or nd.jit traced value), when 0-d, marked as NumPy's 0-d array
    (``array`` true) or its scalar; a graph tensor is returned as it is."""
    if hasattr(type(out), "_array0d") and not out.shape:   # (an Array or a traced value)
        out._array0d = bool(array)
    return out


def as_0d_kind_of(out, src):
    """``out`` as NumPy's array method gives it from ``src`` (``x.copy()``,
    ``x.astype(t)``, ``x.real``, a view): of an array (a 0-d one too) a 0-d *array*, of
    a scalar a scalar."""
    return with_0d_kind(out, src.shape or getattr(src, "_array0d", False))


def _track_view(base, res, op, params):
    """Remember that ``res`` is a view of ``base`` (if the backend made one), so that a
    write through either keeps the other and the gradient right (see _autograd.inplace)."""
    d = res._data
    if type(d) is _ndarray:
        b = d.base
        if b is None:
            return  # NumPy copied
        bd = base._data
        if not (d.size and (b is bd or b is bd.base)) and not np.may_share_memory(d, bd):
            # NumPy copied: a copy may still have a base (reshape of a transpose: the
            # temporary). A base that owns ``base``'s own buffer is no copy (an empty
            # view shares no memory: may_share_memory decides then)
            return
    elif not _shares_memory(d, base._data):
        return
    if not d.shape:
        # a 0-d view of an array (``x[0, ...]``, ``y.reshape(())``) is a 0-d *array* in
        # NumPy, which a write (``v += 1``) changes in place, reaching ``x``
        as_0d_kind_of(res, base)
    rv = _register_view
    if rv is None:
        rv = _bind_register_view()
    rv(base, res, op, params)


_register_view = None


def _bind_register_view():
    """``_autograd.inplace.register_view`` (a module above this one), bound at the first
    view: a function-level import costs about 1 us a call."""
    global _register_view
    from .._autograd.inplace import register_view
    _register_view = register_view
    return register_view


def _shares_memory(a, b):
    """Whether two arrays of another backend may share memory: the backend's own
    ``may_share_memory`` where it has one (CuPy, the CuPy-rules test backend), host ones
    seen through DLPack, others assumed to."""
    f = getattr(backend_of(a).xp, "may_share_memory", None)
    if f is not None:
        return bool(f(a, b))
    try:
        return np.may_share_memory(np.from_dlpack(a), np.from_dlpack(b))
    except Exception:
        return True


# A multi-output op's outputs each get a SELECT node, picking slot k of the op's result.
SELECT = Op("select", None, None, save="none")

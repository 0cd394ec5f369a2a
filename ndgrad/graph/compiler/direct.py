"""Registry forwards that are exactly one NumPy call with the same arguments, so a plan
on NumPy values may call NumPy directly (and pass ``out=`` to the ufuncs among them)."""
from __future__ import annotations

import numpy as np

from ..._backend import numpy_backend

_npx = numpy_backend.xp
_TABLE = None
_EXCEPTIONS = None


def _exceptions():
    """{registry forward: (NumPy function, result dtype kinds where they differ)}: the
    table's visible exceptions (e.g. tanh's complex special cases) equal NumPy's own
    function for every other result dtype."""
    global _EXCEPTIONS
    if _EXCEPTIONS is None:
        from ..._ops import elementwise
        _EXCEPTIONS = {fwd: (getattr(np, name), kinds)
                       for name, (fwd, kinds) in elementwise.EXCEPTIONS.items()}
    return _EXCEPTIONS


def table():
    """{registry forward: NumPy function} (built on first use)."""
    global _TABLE
    if _TABLE is None:
        from ..._ops import elementwise
        from ..._ops.registry import REGISTRY
        t = {}
        for name, _vjp, _ in elementwise.UNARY + elementwise.BINARY:
            op = REGISTRY.get(name)
            fn = getattr(_npx, name, None)
            if op is not None and fn is not None and op.forward.__qualname__.startswith(
                    "_forward."):
                t[op.forward] = fn
        for name, fn in (("matmul", np.matmul), ("matrix_transpose", np.matrix_transpose)):
            op = REGISTRY.get(name)
            if op is not None:
                t[op.forward] = fn
        _TABLE = t
    return _TABLE


def direct_fn(step):
    """The NumPy function a step may call directly, or None."""
    if step[0] != 0 or step[3]:
        return None
    fn = table().get(step[1])
    if fn is None:
        # a forward outside the table may declare the ufunc it is (``numpy_ufunc``:
        # ``forward(xp, *operands)`` is ``ufunc(*operands)`` on NumPy values)
        fn = getattr(step[1], "numpy_ufunc", None)
        if fn is not None:
            return fn if isinstance(fn, np.ufunc) and len(step[2]) == fn.nin else None
        exc = _exceptions().get(step[1])
        if exc is not None:
            outs = getattr(step[5], "outputs", None)
            # the graph's static dtype is the run's (inferred with the same forward)
            if outs and outs[0]._np_dtype is not None and \
                    outs[0]._np_dtype.kind not in exc[1]:
                return exc[0]
    return fn


def is_ufunc_step(step):
    """A step that is one NumPy ufunc call: a fresh result, no views, takes ``out=``."""
    return isinstance(direct_fn(step), np.ufunc)


def op_name(step):
    """The registry name of a step's op (None for session-state steps)."""
    op = step[5]
    reg = getattr(op, "_op", None)
    return getattr(reg, "name", None)


def call_form(plan, step):
    """``(function, extra arguments)`` such that ``function(x, *extra)`` is exactly what
    the step's forward computes on its one NumPy-array operand (static rank at least 1,
    made by a step or fed), without the forward's wrapper and keyword parameters; else
    None. ``sum``, ``max`` and ``min`` are known here (their forwards' NumPy path is the
    ufunc's ``reduce``); any
    other forward may declare its own form as an attribute ``numpy_form(params, dtype)
    -> (function, extra arguments) or None`` (``dtype``: the operand's static NumPy
    dtype, or None when not known)."""
    if step[0] != 0 or len(step[2]) != 1 or step[2][0] in plan.known:
        return None
    fwd = step[1]
    form = getattr(fwd, "numpy_form", None)
    if form is None:
        from ..._ops import statistical
        if fwd is statistical._sum_forward:
            form = _sum_form
        elif fwd is statistical._max_op.forward:
            form = _extremum_form(np.maximum)
        elif fwd is statistical._min_op.forward:
            form = _extremum_form(np.minimum)
        else:
            return None
    t = plan.slot_tensor.get(step[2][0])
    if t is None or t._shape is None or len(t._shape) == 0:
        return None
    return form(step[3], t._np_dtype)


def _extremum_form(ufunc):
    # (``statistical._extremum_forward``: ``ufunc.reduce(x, axis=, keepdims=)`` on NumPy)
    def form(p, dtype):
        return ufunc.reduce, (p["axis"], None, None, bool(p["keepdims"]))
    return form


def _sum_form(p, dtype):
    from ..._ops import statistical
    return statistical._add_reduce, (p["axis"], p["dtype"], None, bool(p["keepdims"]))


def filled_form(plan, step):
    """``(function, operand slot)`` for a maximum/minimum step of an array beside a
    constant number (``maximum(h, 0.0)``: a relu) such that ``function(v[slot])`` is the
    step's result by NumPy's faster array-against-array loop (NumPy 2.4 vectorises only
    that one: ``elementwise.constant_filled``); else None. For the code generator alone,
    after every pass: the passes see the step as the ufunc it is."""
    fn = direct_fn(step)
    if (fn is not np.maximum and fn is not np.minimum) or len(step[2]) != 2:
        return None
    a, b = step[2]
    known = plan.known
    if (a in known) == (b in known):
        return None
    first = b in known
    x, c = (a, b) if first else (b, a)
    t = plan.slot_tensor.get(x)
    if t is None or t._shape is None or t._np_dtype is None:
        return None
    from ..._ops.elementwise import constant_filled
    f = constant_filled(fn, plan.template[c], first, t._shape, t._np_dtype)
    return None if f is None else (f, x)


def method_form(plan, step):
    """``(source suffix, its parameter)`` of a NumPy method call equal to the step's
    forward, ~10x cheaper than the function: ``x.T`` for a matrix_transpose of a 2-D
    operand (the same view as ``np.matrix_transpose``), ``x.reshape(shape)`` for a
    reshape that may view (NumPy's reshape, as the forward's ``copy=None``),
    ``x.astype(dtype)`` for a copying cast (the forward's ``xp.astype``), the operand
    itself (``""``) for ``trace_input`` (the verbs' identity, whose forward returns its
    operand); else None. Only for operands whose static rank is known and at least 1
    (so the value is an array), made by a step or fed (not a template constant of any
    Python type)."""
    if step[0] != 0 or len(step[2]) != 1 or step[2][0] in plan.known:
        return None
    t = plan.slot_tensor.get(step[2][0])
    if t is None or t._shape is None:
        return None
    name = op_name(step)
    if name == "trace_input" and not step[3]:
        return "", None
    if name == "matrix_transpose" and len(t._shape) == 2:
        return ".T", None
    if name == "reshape" and len(t._shape) >= 1 and step[3].get("copy") is None and \
            set(step[3]) == {"shape", "copy", "in_shape"}:
        return ".reshape", tuple(step[3]["shape"])
    if name == "astype" and step[3].get("copy") is True and \
            isinstance(step[3].get("dtype"), np.dtype) and \
            set(step[3]) == {"dtype", "copy", "src"}:
        return ".astype", step[3]["dtype"]       # (a new array, as ``astype(copy=True)``)
    return None


def shape_fixed_slots(plan):
    """The slots whose run-time shape is their static one whenever the feeds have their
    static shapes: fed values, constants, session state (variables, staged values), and
    the results of steps whose output shape follows from their operands' shapes alone
    -- ufunc steps (broadcast; matmul's core dimensions), method forms (transpose,
    reshape to a static shape, cast, identity) and ufunc reductions over static axes --
    when every operand is such a slot. Another op's result (one whose output shape may
    depend on the values, which nd.jit's trace-time probe can miss) is not, nor
    anything computed from it."""
    reductions = (np.add.reduce, np.maximum.reduce, np.minimum.reduce)
    unfixed = set()
    for st in plan.steps:
        if st[0] != 0 and st[0] != 1:
            continue                    # session state: its static shape
        if not any(j in unfixed for j in st[2]):
            if is_ufunc_step(st) or method_form(plan, st) is not None:
                continue
            c = call_form(plan, st)
            if c is not None and c[0] in reductions:
                continue
        unfixed.update(st[4] if isinstance(st[4], tuple) else (st[4],))
    return {s for s in range(len(plan.template)) if s not in unfixed}

"""Lowering: the ops a plan needs, in topological order, as steps over value slots."""
from __future__ import annotations

import functools
import heapq

from ..core import Operation, Tensor

# step codes: a registry op with one output / several outputs; a session-state op
# (``fn(ctx, *values)``) with one output / several outputs
OP, MULTI, SPECIAL, SPECIAL_MULTI = 0, 1, 2, 3


class Plan:
    """A compiled plan: value slots (``template`` holds constants), the steps that fill
    them, and the generated function ``fast(vals, ctx, store)`` (NumPy values)."""

    __slots__ = ("template", "steps", "feed_slots", "fetch_slots", "copy_slots", "fast",
                 "feed_tensors", "slot_tensor", "options", "generic", "backend_templates",
                 "fused", "reused", "source", "known", "donated_feeds",
                 "fast_nodonate", "anchored", "fresh",
                 "repeated", "streamed", "scalars",
                 "stateless", "shape_fixed", "variable_fetches")


# Tests turn this on (tests/tf/conftest.py): each session-state op's values are checked
# against its outputs' static shapes and dtypes when it runs, so a function that returns
# the wrong structure (a 1-tuple for one output, a value of another shape) fails loudly
# instead of flowing on as a wrongly shaped value. Off by default: it costs a check per
# such op per run.
CHECK_SPECIAL_OUTPUTS = False


def spec_mismatch(shape, dtype, v):
    """How value ``v`` contradicts a tensor's static ``shape`` and ``dtype`` (a phrase),
    or None: a different rank or a known dimension that differs; for a NumPy value, a
    different dtype (object tensors hold anything)."""
    import numpy as np
    vs = getattr(v, "shape", None)
    if vs is None and np.isscalar(v):
        vs = ()
    if shape is not None and vs is not None and (
            len(vs) != len(shape) or any(a is not None and b == b and a != b
                                         for a, b in zip(shape, vs))):
        return f"has static shape {shape} but its value's shape is {tuple(vs)}"
    vd = v.dtype if isinstance(v, (np.ndarray, np.generic)) else None  # (NumPy's)
    if dtype is not None and vd is not None and dtype != object and vd != dtype:
        return f"has dtype {dtype} but its value's dtype is {vd}"
    return None


def _checked(fn, op):
    """``fn`` of session-state ``op``, its values checked against the static specs."""
    if op.type in ("While", "If"):
        return fn   # (control flow: some outputs carry a loop's or branch's saved lists)
    specs = [(t._shape, t._np_dtype, t.name) for t in op.outputs]

    def run(ctx, *vals):
        out = fn(ctx, *vals)
        if len(specs) == 1:
            outs = (out,)
        elif isinstance(out, (tuple, list)) and len(out) == len(specs):
            outs = out
        else:
            raise AssertionError(f"{op.type} op {op.name!r} has {len(specs)} outputs; its "
                                 f"function returned {type(out).__name__}")
        for v, (shape, dt, name) in zip(outs, specs):
            if v is None:
                continue
            if isinstance(v, (tuple, list)):
                raise AssertionError(f"{op.type} op {op.name!r}: output {name} is one "
                                     f"tensor; its function returned a {type(v).__name__}")
            wrong = spec_mismatch(shape, dt, v)
            if wrong:
                raise AssertionError(f"{op.type} op {op.name!r}: output {name} {wrong}")
        return out
    # (the passes read the function's attributes: an update's deferred form ...)
    functools.update_wrapper(run, fn)
    return run


def topo(targets, fed, ran=()):
    """Ops needed for ``targets``, inputs first; stops at fed tensors and at the ops in
    ``ran`` (run already, by the plan that runs this one: a branch's outside control
    inputs)."""
    order = []
    state = {}
    for root in targets:
        if root in state:
            continue
        stack = [(root, False)]
        while stack:
            op, done = stack.pop()
            if done:
                state[op] = 2
                order.append(op)
                continue
            if state.get(op) is not None:
                continue
            state[op] = 1
            stack.append((op, True))
            for c in reversed(op.control_inputs):
                # (a fed placeholder is done: a loop variable's stand-in that a body op
                # waits for; an op with effects runs even when its outputs are fed)
                if state.get(c) is None and c not in ran and not (
                        c._kind == "placeholder" and c.outputs
                        and all(t in fed for t in c.outputs)):
                    stack.append((c, False))
            skip = op._attrs.get("ref_inputs", 0) if op._kind != "op" else 0
            for a in reversed(op._args[skip:]):
                if isinstance(a, Tensor) and a not in fed and state.get(a._op) is None:
                    stack.append((a._op, False))
    return order


# ops that wait on a queue until another op puts rows there (TF's executor runs a step's
# independent ops concurrently: a dequeue waits while an enqueue or a failing Assert of the
# same run goes ahead)
_WAITS_FOR_ROWS = frozenset(("QueueDequeueV2", "QueueDequeueManyV2", "QueueDequeueUpToV2",
                             "ReaderReadV2", "ReaderReadUpToV2"))


def _dequeues_last(order, fed):
    """``order`` (inputs first) with each dequeue, and what depends on it, as late as
    its dependencies allow: a plan runs its steps one after another, so a dequeue placed
    before an independent enqueue of the same run (``sess.run([q.dequeue(),
    q.enqueue(x)])``), or before an Assert that fails, would wait forever where TF's
    concurrent step completes or fails. TF leaves independent ops unordered, so this
    order is one TF may run too. Other orders are kept."""
    if not any(op.type in _WAITS_FOR_ROWS for op in order):
        return order
    pos = {op: i for i, op in enumerate(order)}
    deps = {}
    for op in order:
        skip = op._attrs.get("ref_inputs", 0) if op._kind != "op" else 0
        d = {a._op for a in op._args[skip:] if isinstance(a, Tensor) and a not in fed}
        d.update(op.control_inputs)
        deps[op] = {x for x in d if x in pos}
    waits = {}
    for op in order:     # (inputs first: a waiting input makes the op wait too)
        waits[op] = op.type in _WAITS_FOR_ROWS or any(waits[x] for x in deps[op])
    users = {op: [] for op in order}
    left = {}
    for op in order:
        left[op] = len(deps[op])
        for x in deps[op]:
            users[x].append(op)
    # Kahn's order: of the ready ops, the earliest that does not wait, else the earliest
    ready = ([], [])               # (heaps of positions: not waiting, waiting)
    for op in order:
        if not left[op]:
            heapq.heappush(ready[waits[op]], pos[op])
    out = []
    while ready[0] or ready[1]:
        op = order[heapq.heappop(ready[0] if ready[0] else ready[1])]
        out.append(op)
        for u in users[op]:
            left[u] -= 1
            if not left[u]:
                heapq.heappush(ready[waits[u]], pos[u])
    return out


class Reread:
    """The step that reads a variable after the writes staged earlier in the run."""
    _kind = "reread"

    def __init__(self, var_op):
        self.name = var_op.name
        self.type = "ReadVariable"


def _reread(var_op):
    def fn(ctx):
        v = ctx.writes.get(var_op)
        if v is None:
            v = ctx.session._vars.get(var_op)
        if v is None:
            return var_op._fn(ctx)     # raises FailedPreconditionError naming it
        return v
    return fn


def _ref_of(e):
    """The variable op whose ref the fetched ``e`` is: a variable's own tensor, or the
    output of an op that writes its first input, a variable, and gives that variable's
    ref (``ref_output``: an assignment, a scatter update)."""
    if not isinstance(e, Tensor):
        return None
    op = e._op
    if op._kind == "variable":
        return op
    if op._attrs and op._attrs.get("ref_output") and op._args and \
            isinstance(op._args[0], Tensor) and op._args[0]._op._kind == "variable":
        return op._args[0]._op
    return None


# op kinds that write no variable (a session-state op is any other: an assignment, an
# optimizer's update, a counter ...)
_STATELESS_KINDS = frozenset(("op", "noop", "const", "placeholder", "variable"))


def _after_state_ops(order, fed):
    """The ops of ``order`` (inputs first) that run after a session-state op of the run:
    with a control input, or with one among their inputs' ops, their control inputs and
    theirs, transitively. Such an op reads a variable as the writes staged before it
    left it, as TF 1's executor reads a variable's ref when the reading op runs
    (``y = v + c`` with ``c`` made under ``control_dependencies([tf.assign(v, ...)])``,
    or ``v + tf.assign(v, ...) * 0``: the new value; they read the value from before
    the run). An op that no write precedes reads the run's starting value either way."""
    after = set()
    for op in order:
        if op.control_inputs:
            after.add(op)
            continue
        skip = op._attrs.get("ref_inputs", 0) if op._kind != "op" else 0
        for a in op._args[skip:]:
            if isinstance(a, Tensor) and a not in fed and (
                    a._op in after or a._op._kind not in _STATELESS_KINDS):
                after.add(op)
                break
    return after


def lower(fetch_elems, feed_tensors, done=()):
    """A Plan whose steps compute ``fetch_elems`` from ``feed_tensors`` (not optimised:
    constants in the template, one step per op); ops in ``done`` are not run (see
    ``topo``)."""
    fed = set(feed_tensors)
    targets = []
    for e in fetch_elems:
        op = e if isinstance(e, Operation) else e._op
        if not (isinstance(e, Tensor) and e in fed):
            targets.append(op)
    order = _dequeues_last(topo(targets, fed, done), fed)
    slot = {}
    template = []
    slot_tensor = {}

    def new_slot(t):
        """A slot of its own for a value of tensor ``t`` (its static shape and dtype)."""
        s = len(template)
        template.append(None)
        slot_tensor[s] = t
        return s

    def slot_of(t):
        s = slot.get(t)
        if s is None:
            s = slot[t] = new_slot(t)
        return s

    known = set()                     # slots whose value is fixed at compile time

    def const_slot(value):
        s = len(template)
        template.append(value)
        known.add(s)
        return s

    plan = Plan()
    plan.feed_slots = [slot_of(t) for t in feed_tensors]
    plan.feed_tensors = list(feed_tensors)
    steps = []
    copy_slots = set()
    after_state = _after_state_ops(order, fed)
    for op in order:
        if op._kind == "const":
            s = slot_of(op.outputs[0])
            template[s] = op._attrs["value"]
            known.add(s)
            continue
        idx = []
        skip = op._attrs.get("ref_inputs", 0) if op._kind != "op" else 0
        after_writes = op in after_state
        for a in op._args[skip:]:
            if after_writes and isinstance(a, Tensor) and a._op._kind == "variable":
                # an op ordered after other ops reads a variable as those left it (the
                # variable's value: a slot never written)
                s = new_slot(a)
                copy_slots.add(s)
                steps.append((SPECIAL, _reread(a._op), (), None, s, Reread(a._op)))
                idx.append(s)
            elif isinstance(a, Tensor):
                idx.append(slot_of(a))
            else:
                idx.append(const_slot(a))
        idx = tuple(idx)
        # (an op run although an output of it is fed -- a control input of another op,
        # which TF runs too -- writes that output into a slot of its own: the fed value
        # stays the one every reader and fetch sees)
        outs = [slot_of(t) if t not in fed else new_slot(t) for t in op.outputs]
        if op._kind == "op":
            if op._op.multi:
                steps.append((MULTI, op._op.forward, idx, op._params, tuple(outs), op))
            else:
                steps.append((OP, op._op.forward, idx, op._params, outs[0], op))
        else:
            if op._kind == "variable":
                copy_slots.update(outs)
            fn = _checked(op._fn, op) if CHECK_SPECIAL_OUTPUTS else op._fn
            if len(outs) == 1:
                steps.append((SPECIAL, fn, idx, None, outs[0], op))
            else:
                steps.append((SPECIAL_MULTI, fn, idx, None, tuple(outs), op))
    plan.template = template
    plan.steps = steps
    plan.fetch_slots = [None if isinstance(e, Operation) else slot[e] for e in fetch_elems]
    # (fetch position, variable op) of each variable fetched itself, or an assignment's
    # output (its ref of the variable): the run gives the variable's value after the
    # run's writes, as TF 1's fetch of a ref does (Session._run_plan); a fed one is its
    # fed value, as in TF
    plan.variable_fetches = tuple((k, r) for k, r in enumerate(map(_ref_of, fetch_elems))
                                  if r is not None and fetch_elems[k] not in fed)
    # ops run for their own sake: fetched as operations, or control inputs
    plan.anchored = {e for e in fetch_elems if isinstance(e, Operation)}
    for op in order:
        plan.anchored.update(c for c in op.control_inputs if c not in done)
    plan.copy_slots = copy_slots
    plan.slot_tensor = slot_tensor
    plan.known = known
    plan.fused = ()
    plan.streamed = ()
    plan.scalars = ()
    plan.stateless = False          # only registry ops (compile_plan says)
    plan.reused = {}
    plan.generic = None
    plan.donated_feeds = ()
    plan.fast_nodonate = None
    plan.backend_templates = {}
    plan.fresh = frozenset()        # fetch positions: see compiler._fresh_fetches
    plan.repeated = frozenset()
    plan.shape_fixed = frozenset()  # fetch positions: see compiler._shape_fixed_fetches
    return plan


def outs_of(step):
    """The output slots of a step, as a tuple."""
    o = step[4]
    return o if isinstance(o, tuple) else (o,)


def is_pure(step):
    """A registry op: its value depends only on its inputs and params (no session state)."""
    return step[0] == OP or step[0] == MULTI

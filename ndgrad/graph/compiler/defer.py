"""Deferred updates: an optimizer's update whose new value nothing later in the run reads
runs in its deferred form, which stages the update for the commit (``RunContext.defer``),
where the session writes it into the variable's own buffer when nothing else holds it.

TensorFlow's kernels update variables in place; ndgrad stages every write so that a
failed run changes nothing, which costs a new array (and a pass writing memory the
cache does not hold) per update. A deferred update keeps both: nothing changes before
the commit, and the commit writes in place. The form is the op's own (``fn.deferred``,
``tf.train``'s kernels); this pass only proves that no later step reads the staged value:
the step's output is neither fetched nor read, and every later session-state step is a
variable read (of the committed value), a no-op, or an update or assignment of other
variables. Where the update's gradient is a fresh array of the run that no other step
reads, the form that multiplies into the gradient's buffer is taken (``own_grad``).
"""
from __future__ import annotations

from .direct import is_ufunc_step
from .lower import OP, MULTI, Reread, outs_of

_ASSIGNS = ("Assign", "AssignAdd", "AssignSub")


def _touches(st, targets):
    """Whether a later session-state step may read or write one of ``targets``' staged
    values (True where it cannot be told)."""
    op = st[5]
    if isinstance(op, Reread):
        return any(t.name == op.name for t in targets)
    kind = getattr(op, "_kind", None)
    if kind == "variable":
        return False                  # reads the committed value (store), not staged ones
    if getattr(op, "type", None) == "NoOp" and not st[2]:
        return False
    other = getattr(st[1], "targets", None)
    if other is not None:             # another optimizer kernel
        return any(t in targets for t in other)
    if getattr(op, "type", None) in _ASSIGNS and op._args:
        ref = getattr(op._args[0], "_op", None)
        return ref is None or ref in targets
    return True


def defer(plan):
    """Swap in the deferred form of each update step nothing later reads; returns how
    many."""
    steps = plan.steps
    fetched = {s for s in plan.fetch_slots if s is not None}
    n = 0
    for i, st in enumerate(steps):
        if st[0] in (OP, MULTI):
            continue
        deferred = getattr(st[1], "deferred", None)
        if deferred is None or isinstance(st[4], tuple):
            continue
        out = st[4]
        later = steps[i + 1:]
        if out in fetched or any(out in s[2] for s in later):
            continue
        targets = deferred.targets
        if any(s[0] not in (OP, MULTI) and _touches(s, targets) for s in later):
            continue
        own = getattr(deferred, "own_grad", None)
        if own is not None and _private(plan, i, st[2][-1], fetched):
            deferred = own
        steps[i] = (st[0], deferred) + st[2:]
        n += 1
    return n


def _private(plan, i, j, fetched):
    """Whether slot ``j`` (an update's gradient) is a fresh array of this run that only
    step ``i`` reads, once: made by a ufunc step (no views of it exist), neither fetched,
    fed, a constant nor a variable's value -- the update may write into it."""
    if j in fetched or j in plan.known or j in plan.feed_slots or j in plan.copy_slots:
        return False
    made = [k for k, s in enumerate(plan.steps) if j in outs_of(s)]
    if len(made) != 1 or made[0] >= i or not is_ufunc_step(plan.steps[made[0]]):
        return False
    return all(j not in s[2] for k, s in enumerate(plan.steps) if k != i) and \
        plan.steps[i][2].count(j) == 1

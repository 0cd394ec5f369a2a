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
variables.
"""
from __future__ import annotations

from .lower import OP, MULTI, Reread

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
        steps[i] = (st[0], deferred) + st[2:]
        n += 1
    return n

"""Dead-step pruning: a registry op none of whose outputs is fetched or read by a later
step is dropped (after folding, simplification and CSE, whole branches can become dead).
Steps with session effects (assignments, queue ops, variable reads) always stay."""
from __future__ import annotations

from .lower import is_pure, outs_of


def live_steps(plan):
    """The steps ``prune`` keeps, in order (the plan itself unchanged)."""
    live = {s for s in plan.fetch_slots if s is not None}
    anchored = plan.anchored
    kept = []
    for st in reversed(plan.steps):
        if is_pure(st) and st[5] not in anchored and \
                not any(o in live for o in outs_of(st)):
            continue
        live.update(st[2])
        kept.append(st)
    kept.reverse()
    return kept


def prune(plan):
    """Drop dead pure steps (walking backwards, so chains die at once); returns how many.

    A step run for its own sake stays even when no value of it is read: an operation
    fetched as such, or a control input of another op (its errors must still stop the
    run, as in TensorFlow)."""
    kept = live_steps(plan)
    n = len(plan.steps) - len(kept)
    plan.steps = kept
    return n

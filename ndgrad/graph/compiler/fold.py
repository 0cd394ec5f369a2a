"""Constant folding: a registry op whose inputs are all constants runs once, at compile
time; its outputs join the plan's template of constants."""
from __future__ import annotations

import numpy as np

from ..._backend import numpy_backend
from .lower import MULTI, OP

_npx = numpy_backend.xp


def fold(plan):
    """Evaluate the pure steps whose inputs are all known (constants, Python values, or
    the results of steps folded before); an op that raises stays a step, so the run
    reports the error where it happens. Returns the number of steps folded."""
    known = plan.known
    fed = set(plan.feed_slots)
    kept = []
    n = 0
    for st in plan.steps:
        code, f, idx, params, out, op = st
        if code == OP or code == MULTI:
            outs = out if code == MULTI else (out,)
            if all(i in known for i in idx) and not any(o in fed for o in outs):
                try:
                    with np.errstate(all="ignore"):
                        r = f(_npx, *[plan.template[i] for i in idx], **params)
                except Exception:
                    pass
                else:
                    for o, v in zip(outs, r if code == MULTI else (r,)):
                        plan.template[o] = v
                        known.add(o)
                    n += 1
                    continue
        kept.append(st)
    plan.steps = kept
    return n

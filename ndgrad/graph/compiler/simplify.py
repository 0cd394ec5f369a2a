"""Algebraic simplification that changes no bit of any result: a broadcast
(``broadcast_like``, ``broadcast_to``) that only feeds elementwise ufuncs is left to
their own broadcasting, and ``x * 1`` is ``x``.

Both rewrites are exact on NumPy's semantics: an elementwise ufunc of a broadcast
operand equals the ufunc of the operand itself when the result's shape is set by the
other operands (the result dtype does not depend on shapes: NEP 50); ``x * 1`` is ``x``
bit for bit for real x (NaN, inf and -0.0 included) when the product keeps x's dtype and
shape. Gradient graphs are full of both (``broadcast_like(1.0, x)`` seeds a sum's
gradient), and each costs a pass over memory on big arrays.
"""
from __future__ import annotations

import numpy as np

from .direct import is_ufunc_step, op_name


def _static_shape(plan, s):
    if s in plan.known:
        return np.shape(plan.template[s])
    t = plan.slot_tensor.get(s)
    if t is None or t._shape is None or None in t._shape:
        return None
    return tuple(t._shape)


def _static_dtype(plan, s):
    if s in plan.known:
        v = plan.template[s]
        return v.dtype if isinstance(v, (np.ndarray, np.generic)) else None
    t = plan.slot_tensor.get(s)
    return None if t is None else t._np_dtype


def simplify(plan):
    """Rewrite the plan's steps in place; returns the number of rewrites."""
    fetched = {s for s in plan.fetch_slots if s is not None}
    n = 0
    # 1. broadcast_like(g, ref) or broadcast_to(g, shape) (a sum's gradient) read by
    #    elementwise ufuncs: read g instead
    bcast = {}
    for st in plan.steps:
        if op_name(st) in ("broadcast_like", "broadcast_to") and st[0] == 0:
            bcast[st[4]] = st[2][0]
    steps = list(plan.steps)
    if bcast:
        for i, st in enumerate(steps):
            if not is_ufunc_step(st) or not any(j in bcast for j in st[2]):
                continue
            out_shape = _static_shape(plan, st[4])
            if out_shape is None:
                continue
            idx = list(st[2])
            for k, j in enumerate(idx):
                if j not in bcast:
                    continue
                others = [_static_shape(plan, o) for m, o in enumerate(idx) if m != k]
                if any(o is None for o in others):
                    continue
                try:
                    rest = np.broadcast_shapes(*others) if others else ()
                except ValueError:
                    continue
                if rest == out_shape:
                    idx[k] = bcast[j]
                    n += 1
            steps[i] = st[:2] + (tuple(idx),) + st[3:]
    # 2. x * 1 (a known all-ones real constant) that keeps x's dtype and shape: x
    alias = {}
    kept = []
    for st in steps:
        st = st[:2] + (tuple(alias.get(j, j) for j in st[2]),) + st[3:]
        if op_name(st) == "multiply" and is_ufunc_step(st) and st[4] not in fetched:
            a, b = st[2]
            for x, one in ((a, b), (b, a)):
                if one not in plan.known or x == one:
                    continue
                c = plan.template[one]
                if type(c) is bool or not isinstance(c, (int, float, np.ndarray, np.generic)):
                    continue
                c = np.asarray(c)
                if c.dtype.kind not in "iuf" or not (c == 1).all():
                    continue
                xd = _static_dtype(plan, x)
                if xd is None or xd.kind not in "iuf" or \
                        _static_dtype(plan, st[4]) != xd or \
                        _static_shape(plan, x) is None or \
                        _static_shape(plan, x) != _static_shape(plan, st[4]):
                    continue
                alias[st[4]] = x
                n += 1
                break
            if st[4] in alias:
                continue
        kept.append(st)
    plan.steps = kept
    return n


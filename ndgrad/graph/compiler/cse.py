"""Common-subexpression elimination: equal constants share one slot, and a registry op
applied again to the same input slots with the same params reuses the first result.

Only pure steps merge (registry ops); session-state ops -- variable reads, assignments,
random draws, queues -- never do, and a read of a variable after a write has its own
slot, so it never merges with a read before the write. Keys are exact: params and
constants compare by type, dtype, shape and bytes (so 1, 1.0 and True, or 0.0 and -0.0,
stay apart); anything without an exact key keeps its step.
"""
from __future__ import annotations

import numpy as np

from .lower import MULTI, OP, outs_of

# constants larger than this are not compared byte by byte
MAX_CONST_BYTES = 1 << 16


class _NoKey(Exception):
    pass


def freeze(v):
    """An exact, hashable key for a param or constant value (raises _NoKey)."""
    t = type(v)
    if v is None or t is bool or t is str or t is int:
        return (t, v)
    if t is float or t is complex:
        return (t, repr(v))            # repr: -0.0 vs 0.0, nan equal to itself
    if t is tuple or t is list:
        return (t,) + tuple(freeze(x) for x in v)
    if t is dict:
        return (t,) + tuple(sorted((k, freeze(x)) for k, x in v.items()))
    if t is slice:
        return (t, freeze(v.start), freeze(v.stop), freeze(v.step))
    if t is type(Ellipsis):
        return (t,)
    if isinstance(v, np.dtype):
        return (np.dtype, v.str, v.descr if v.fields else None)
    if isinstance(v, type) and issubclass(v, np.generic):
        return (type, np.dtype(v).str)
    if isinstance(v, (np.ndarray, np.generic)):
        a = np.asarray(v)
        if a.dtype.hasobject or a.nbytes > MAX_CONST_BYTES:
            raise _NoKey
        return (t, a.dtype.str, a.shape, a.tobytes())
    raise _NoKey


def _key(v):
    try:
        return freeze(v)
    except (_NoKey, TypeError):
        return None


def cse(plan):
    """Merge equal constants and repeated pure steps; returns the number of merges."""
    fed = set(plan.feed_slots)
    produced = {o for st in plan.steps for o in outs_of(st)}
    alias = {}
    seen = {}
    n = 0
    # equal constants: one slot
    for s in sorted(plan.known):
        if s in fed or s in produced:
            continue
        k = _key(plan.template[s])
        if k is None:
            continue
        first = seen.setdefault(("const", k), s)
        if first != s:
            alias[s] = first
            n += 1
    kept = []
    for st in plan.steps:
        code, f, idx, params, out, op = st
        idx = tuple(alias.get(i, i) for i in idx)
        st = (code, f, idx, params, out, op)
        if code == OP or code == MULTI:
            pk = _key(params) if params else ()
            if pk is not None:
                k = (code, f, idx, pk)
                first = seen.get(k)
                if first is not None:
                    for a, b in zip(outs_of(st), outs_of(first)):
                        alias[a] = b
                    n += 1
                    continue
                seen[k] = st
        kept.append(st)
    plan.steps = kept
    plan.fetch_slots = [None if s is None else alias.get(s, s) for s in plan.fetch_slots]
    return n

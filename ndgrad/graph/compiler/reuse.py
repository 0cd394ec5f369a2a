"""Buffer reuse: a NumPy ufunc step writes its result (``out=``) into an input buffer
whose last use is that step, instead of allocating.

A buffer is reused only when nothing else can see it: it was made by a ufunc step of
this plan (a fresh array that no view refers to, because every step reading it is a
ufunc step too -- ufuncs make no views), it is not fetched, not a variable's value, not
a constant of the template, and its static shape and dtype equal the result's (fully
known, at least 1-d, so the ufunc returns an array and never a NumPy scalar). A fed
array is written into only when the caller donates feeds (``Options(donate=True)``);
``Session`` then still checks per run that each donated feed is a writeable array that
shares no memory with another feed.
"""
from __future__ import annotations

from .direct import is_ufunc_step
from .lower import outs_of


def _static(plan, s):
    t = plan.slot_tensor.get(s)
    if t is None or t._shape is None or None in t._shape or len(t._shape) == 0:
        return None
    return (tuple(t._shape), t._np_dtype)


def plan_reuse(plan, units, donate=False):
    """{step index: input slot to write the result into}, for steps emitted alone.

    ``units`` is the emission order: a list of step indices or fused groups (whose
    member steps never materialise; their leaves count as read at the group's place)."""
    steps = plan.steps
    pos_key = {}                 # step index -> emission position
    for p, u in enumerate(units):
        if isinstance(u, int):
            pos_key[u] = p
        else:
            for i in u.members:
                pos_key[i] = p
    ufunc = {i for i, st in enumerate(steps) if is_ufunc_step(st)}
    readers = {}
    for i, st in enumerate(steps):
        for j in st[2]:
            readers.setdefault(j, []).append(i)
    producer = {}
    for i, st in enumerate(steps):
        for o in outs_of(st):
            producer[o] = i
    fetched = {s for s in plan.fetch_slots if s is not None}
    feeds = set(plan.feed_slots)
    grouped = {i for u in units if not isinstance(u, int) for i in u.members}
    reuse = {}
    for i in sorted(pos_key, key=lambda k: pos_key[k]):
        if i not in ufunc or i in grouped:
            continue
        out = steps[i][4]
        want = _static(plan, out)
        if want is None:
            continue
        for j in steps[i][2]:
            if j in fetched or j in plan.copy_slots or j in plan.known:
                continue
            rs = readers[j]
            if any(r not in ufunc for r in rs):
                continue          # some reader might keep a view of it
            last = max(rs, key=lambda r: (pos_key[r], r))
            if last != i or any(r in grouped for r in rs):
                continue
            if j in feeds:
                if not donate:
                    continue
            elif j not in producer or producer[j] not in ufunc or producer[j] in grouped:
                continue
            if _static(plan, j) != want:
                continue
            reuse[i] = j
            break
    return reuse

"""Buffer reuse: a NumPy ufunc step writes its result (``out=``) into an input buffer
whose last use is that step, instead of allocating. So does a step whose function
declares the one operand it may write into (``fn.out_operand``: the compiler's own
select-by-mask, ``simplify._select_keep``), called with ``out=``.

A buffer is reused only when nothing else can see it: it was made by a ufunc step of
this plan (a fresh array that no view refers to, because every step reading it is a
ufunc step too -- ufuncs make no views), it is not fetched, not a variable's value, not
a constant of the template, and its static shape and dtype equal the result's (fully
known, at least 1-d, so the ufunc returns an array and never a NumPy scalar). A fed
array is written into only when the caller donates feeds (``Options(donate=True)``);
``Session`` then still checks per run that each donated feed is a writeable array that
shares no memory with another feed.

One-element results are never written into an operand: NumPy's ufuncs take a slower
path when a one-element output overlaps an input (measured with NumPy 2.4, float32
(1, 1): ``np.add(a, b, a)`` 0.59 us against 0.27 us for a new array; from 2 elements
on the in-place call is the faster one), and such a buffer costs nothing to allocate.
"""
from __future__ import annotations

from .direct import is_ufunc_step


def _static(plan, s):
    t = plan.slot_tensor.get(s)
    if t is None or t._shape is None or None in t._shape or len(t._shape) == 0:
        return None
    return (tuple(t._shape), t._np_dtype)


def _size(shape):
    n = 1
    for d in shape:
        n *= d
    return n


def plan_reuse(plan, units, donate=False):
    """{step index: input slot to write the result into}, for steps emitted alone.

    ``units`` is the emission order: step indices, or fused groups (whose member steps
    never materialise: a group reads its leaves at its place, and makes no views)."""
    steps = plan.steps
    ufunc = {i for i, st in enumerate(steps) if is_ufunc_step(st)}
    # steps of a function that declares which operand's buffer may take its result
    # (``out_operand``; it reads without making views and makes a new array or writes
    # ``out``): candidates for that operand alone
    declared = {i: st[1].out_operand for i, st in enumerate(steps)
                if st[0] == 0 and i not in ufunc and
                isinstance(getattr(st[1], "out_operand", None), int)}
    ufunc |= set(declared)
    readers = {}                 # slot -> [(position, reads without making a view)]
    fresh = set()                # slots made by a ufunc step or a fused tree: no views
    for p, u in enumerate(units):
        if isinstance(u, int):
            for j in steps[u][2]:
                readers.setdefault(j, []).append((p, u in ufunc))
            if u in ufunc:
                fresh.add(steps[u][4])
        else:
            for j in u.leaves:
                readers.setdefault(j, []).append((p, True))
            outputs = getattr(u, "outputs", None)   # a streamed region's new arrays
            fresh.update(outputs if outputs is not None else (u.out,))   # numexpr's
    fetched = {s for s in plan.fetch_slots if s is not None}
    feeds = set(plan.feed_slots)
    reuse = {}
    for p, u in enumerate(units):
        if not isinstance(u, int) or u not in ufunc:
            continue
        out = steps[u][4]
        want = _static(plan, out)
        if want is None or _size(want[0]) == 1:
            continue
        operands = steps[u][2]
        if u in declared:
            k = declared[u]
            operands = operands[k:k + 1] if k < len(operands) else ()
        for j in operands:
            if j in fetched or j in plan.copy_slots or j in plan.known:
                continue
            rs = readers[j]
            if not all(no_view for _, no_view in rs):
                continue          # some reader might keep a view of it
            if max(q for q, _ in rs) != p or sum(q == p for q, _ in rs) != \
                    steps[u][2].count(j):
                continue          # read later (or by another unit here)
            if j in feeds:
                if not donate:
                    continue
            elif j not in fresh:
                continue
            if _static(plan, j) != want:
                continue
            reuse[u] = j
            break
    return reuse

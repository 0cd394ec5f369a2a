"""One-element arithmetic on NumPy scalars: runs of ufunc steps whose results have one
element (a bias, a (1, 1) weight and their optimizer state) compute on NumPy scalars of
the same dtype, whose arithmetic costs a fifth of a ufunc call on a one-element array.

The values are the array steps' bit for bit: ``+ - * /`` and negation are single IEEE
operations on float32 / float64 scalars as in the ufunc loops, other ufuncs are called
on the scalars themselves (the same loop on one element), and Python-number constants
are weak in both (NEP 50: rounded to the dtype). Only steps whose array operands all
have the result's dtype take part, so no promotion can differ. A run's inputs are read
as scalars once (``x[0, 0]``), and the values a later step or the caller reads become
arrays of the static shape again (``numpy.array(s, ndmin=k)``: one-element shapes are
all ones).
"""
from __future__ import annotations

import numpy as np

from .direct import direct_fn, is_ufunc_step
from .lower import SPECIAL

MIN_OPS = 3
_FLOATS = (np.dtype(np.float32), np.dtype(np.float64))
_OPERATORS = {np.add: "({0} + {1})", np.subtract: "({0} - {1})",
              np.multiply: "({0} * {1})", np.divide: "({0} / {1})",
              np.negative: "(-{0})"}


class ScalarRun:
    """One-element steps: ``members``, ``leaves`` (slots read as scalars), ``outs``
    (slots needed afterwards as arrays), ``ndim`` (static rank per slot), ``at`` (the
    step whose place the run takes)."""

    __slots__ = ("members", "leaves", "outs", "outputs", "ndim", "at")

    def __repr__(self):
        return f"<scalar run of {len(self.members)} steps -> {self.outs}>"


def _one_element(plan, s):
    """(rank, dtype) of a slot statically known to hold one float element, else None."""
    t = plan.slot_tensor.get(s)
    if t is None or t._shape is None or any(d != 1 for d in t._shape) or \
            t._np_dtype not in _FLOATS:
        return None
    return len(t._shape), t._np_dtype


def _eligible(plan, st):
    if not is_ufunc_step(st):
        return False
    fn = direct_fn(st)
    if fn.nout != 1 or fn.signature is not None or len(st[2]) != fn.nin or \
            fn.nin not in (1, 2):
        return False
    got = _one_element(plan, st[4])
    if got is None:
        return False
    dt = got[1]
    arrays = 0
    for j in st[2]:
        if j in plan.known:
            v = plan.template[j]
            if type(v) is float or (type(v) is int and abs(v) <= 2 ** 53):
                continue
            if isinstance(v, (np.ndarray, np.generic)) and v.dtype == dt and v.size == 1 \
                    and v.ndim == 0:
                continue
            return False
        o = _one_element(plan, j)
        if o is None or o[1] != dt:
            return False
        arrays += 1
    return arrays > 0


def find_runs(plan, min_ops=MIN_OPS):
    """Maximal runs of eligible steps, at least ``min_ops`` (any number where all are
    0-d): in plan order, across other
    registry-op steps that read none of the run's results (the run is emitted at its
    last step's place, after them; a session-state step ends a run)."""
    from .direct import shape_fixed_slots
    steps = plan.steps
    runs = []
    cur = []
    made = set()
    # a run reads its leaves' one element (``x[0, 0]``), so every leaf must have its
    # static shape at run time: a value whose shape may depend on the values (an op's
    # result nd.jit's probe missed) would be read as its first element, silently
    fixed = shape_fixed_slots(plan)

    def worth(members):
        # fewer steps pay too where every value is 0-d: its reads (``x[()]``) and
        # results (NumPy scalars, as a 0-d ufunc call gives) cost about what one step
        # saves (measured: a 0-d float32 multiply 0.43 us as a ufunc call, 0.12 us so)
        return len(members) >= min_ops or all(
            _one_element(plan, j)[0] == 0 for i in members
            for j in steps[i][2] + (steps[i][4],) if j not in plan.known)
    for i, st in enumerate(steps):
        if _eligible(plan, st) and all(j in fixed or j in made for j in st[2]):
            cur.append(i)
            made.add(st[4])
            continue
        if cur and (st[0] >= SPECIAL or any(j in made for j in st[2])):
            if worth(cur):
                runs.append(cur)
            cur = []
            made = set()
    if cur and worth(cur):
        runs.append(cur)
    readers = {}
    for i, st in enumerate(steps):
        for j in st[2]:
            readers.setdefault(j, set()).add(i)
    fetched = {s for s in plan.fetch_slots if s is not None}
    out = []
    for members in runs:
        r = ScalarRun()
        r.members = members
        made = {steps[i][4] for i in members}
        mset = set(members)
        r.leaves = []
        for i in members:
            for j in steps[i][2]:
                if j not in made and j not in plan.known and j not in r.leaves:
                    r.leaves.append(j)
        r.outs = tuple(steps[i][4] for i in members if steps[i][4] in fetched or
                       readers.get(steps[i][4], set()) - mset)
        r.outputs = r.outs        # (new arrays: buffer reuse may write into them)
        r.at = members[-1]        # (emitted there: every leaf is computed by then)
        r.ndim = {}
        for i in members:
            for j in steps[i][2] + (steps[i][4],):
                if j not in plan.known:
                    r.ndim[j] = _one_element(plan, j)[0]
        out.append(r)
    return out


def emit(plan, run, env, body):
    """The run's source lines (into ``body``), its constants into ``env``."""
    steps = plan.steps
    env.setdefault("ARRAY", np.array)
    for j in run.leaves:
        k = run.ndim[j]
        body.append(f"    s{j} = v{j}[{'()' if k == 0 else ', '.join(['0'] * k) + ','}]")
    for i in run.members:
        st = steps[i]
        args = []
        for j in st[2]:
            if j in plan.known:
                v = plan.template[j]
                env[f"C{j}"] = v[()] if type(v) is np.ndarray else v
                args.append(f"C{j}")
            else:
                args.append(f"s{j}")
        fn = direct_fn(st)
        form = _OPERATORS.get(fn)
        if form is not None:
            body.append(f"    s{st[4]} = {form.format(*args)}")
        else:
            env[f"F{i}"] = fn
            body.append(f"    s{st[4]} = F{i}({', '.join(args)})")
    for o in run.outs:
        k = run.ndim[o]
        body.append(f"    v{o} = s{o}" if k == 0 else f"    v{o} = ARRAY(s{o}, ndmin={k})")

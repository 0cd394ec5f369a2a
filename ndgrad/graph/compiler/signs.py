"""Exact sign rewrites: a negation moved out of a product or into a constant factor, so
that common-subexpression elimination finds the products a gradient computes twice.

The gradient of ``exp(-x * x)`` reads ``g * -x`` (for the first factor) and ``-(g * x)``
(the second factor's product, negated by the negative's rule), then adds the two: four
passes over memory where one product and one scaling by -2 give the same bits. The
rules, each exact in IEEE arithmetic with round-to-nearest (a rounding symmetric in the
sign), for real floating results whose negated operand has the result's dtype:

1. ``a * -b`` is ``-(a * b)`` (the sign of a product is the exclusive or of the signs,
   its magnitude the rounded product of the magnitudes);
2. ``-b * c`` for a constant ``c`` is ``b * (-c)`` (the same argument);
3. ``a + a`` is ``a * 2`` (both the exact double, or the same overflow to an infinity);
   ``-b + -b`` is ``b * -2``;
4. ``-(-a)`` is ``a`` (for a value no fetch returns: the fetch of a fresh array stays one).

Only NaN payloads and NaN signs may differ, as between any two orders of NumPy's own
loops. A negated integer is not exact (the most negative value has no negation) and
complex products round their two parts together: both are left as they are.
"""
from __future__ import annotations

import math

import numpy as np

from .direct import is_ufunc_step, op_name
from .lower import OP
from .simplify import _static_dtype


def _real_float(dt):
    return dt is not None and dt.kind == "f"


def _negated_constant(v, dt):
    """``-v`` for a known factor ``v`` that stays exact in a product of dtype ``dt`` (a
    Python float or int, a real floating NumPy value), else None."""
    if type(v) is float:
        return -v
    if type(v) is int:
        return -v     # (converted to the float dtype: the conversion rounds symmetrically)
    if isinstance(v, (np.ndarray, np.generic)) and v.dtype.kind == "f":
        c = np.negative(v)
        if isinstance(c, np.ndarray):
            c.flags.writeable = False   # (a constant: nothing writes it)
        return c
    return None


class _Signs:
    """One pass over a plan's steps (see ``signs``)."""

    def __init__(self, plan):
        self.plan = plan
        self.fetched = {s for s in plan.fetch_slots if s is not None}
        # slot -> (b, step) where the slot is negative(b), computed by a NumPy ufunc step
        # in one real floating dtype
        self.negations = {}
        self.n = 0

    def new_slot(self, like, value=None):
        plan = self.plan
        s = len(plan.template)
        plan.template.append(value)
        if value is None:
            # (a value of the step it stands in for: its static shape and dtype)
            plan.slot_tensor[s] = plan.slot_tensor[like]
        else:
            plan.known.add(s)
        return s

    def constant(self, value, dt):
        """A new known slot holding the number ``value`` (2.0 or -2.0, exact in every
        float dtype) as a 0-d array of ``dt``, as ``simplify`` types its numbers."""
        value = np.array(value, dt)
        value.flags.writeable = False
        return self.new_slot(None, value)

    def run(self):
        plan = self.plan
        known = plan.known
        alias = {}
        kept = []
        for st in plan.steps:
            if alias:
                st = st[:2] + (tuple(alias.get(j, j) for j in st[2]),) + st[3:]
            name = op_name(st) if st[0] == OP and not st[3] else None
            out = st[4]
            dt = _static_dtype(plan, out) if name in _NAMES else None
            if not _real_float(dt) or not is_ufunc_step(st) or st[5] in plan.anchored:
                kept.append(st)
                continue
            idx = st[2]
            if name == "negative":
                inner = self.negations.get(idx[0])
                if inner is not None and out not in self.fetched:
                    alias[out] = inner[0]            # rule 4: -(-a) is a
                    self.n += 1
                    continue
                if _static_dtype(plan, idx[0]) == dt:
                    self.negations[out] = (idx[0], st)
                kept.append(st)
                continue
            if name == "add" and len(idx) == 2 and idx[0] == idx[1] and idx[0] not in known:
                # rule 3: a + a is a * 2 (and -b + -b is b * -2)
                neg = self.negations.get(idx[0])
                a, two = (neg[0], -2.0) if neg is not None else (idx[0], 2.0)
                mul = _registry_op("multiply")
                kept.append((OP, mul.forward, (a, self.constant(two, dt)), {}, out,
                             Derived(mul, st[5])))
                self.n += 1
                continue
            if name != "multiply" or len(idx) != 2:
                kept.append(st)
                continue
            for k in (0, 1):
                neg = self.negations.get(idx[k])
                if neg is None:
                    continue
                other = idx[1 - k]
                new = list(idx)
                new[k] = neg[0]
                if other in known:
                    # rule 2: -b * c is b * (-c)
                    c = _negated_constant(plan.template[other], dt)
                    if c is None:
                        continue
                    new[1 - k] = self.new_slot(None, c)   # (a number stays weak)
                    kept.append(st[:2] + (tuple(new),) + st[3:])
                else:
                    # rule 1: a * -b is -(a * b): the product in a slot of its own, then
                    # the negation (as the negation step computes it) into the step's slot
                    m = self.new_slot(out)
                    kept.append(st[:2] + (tuple(new),) + st[3:4] + (m,) + st[5:])
                    ns = neg[1]
                    kept.append((OP, ns[1], (m,), ns[3], out, ns[5]))
                    self.negations[out] = (m, ns)
                self.n += 1
                break
            else:
                kept.append(st)
        plan.steps = kept
        if alias:
            plan.fetch_slots = [None if s is None else alias.get(s, s)
                                for s in plan.fetch_slots]
        return self.n


# Tests turn this on (tests/graph/test_signs.py): every rewrite is kept, whatever the
# work, so that the rules themselves are checked on every program drawn
KEEP_ALL = False


def _work(plan):
    """The plan's elementwise work as the compiler sees it: the elements the live steps
    write (a step of unknown shape counts one)."""
    from .prune import live_steps
    from .simplify import _static_shape
    total = 0
    for st in live_steps(plan):
        for o in (st[4] if isinstance(st[4], tuple) else (st[4],)):
            shape = _static_shape(plan, o)
            total += max(1, math.prod(shape)) if shape is not None else 1
    return total


def rewrite(plan, merge=True):
    """The sign rules applied in rounds, each followed by CSE (``merge``): a product
    the gradient repeats becomes one that CSE merges, and a sum of it with itself a
    scaling. Kept only where the live steps then write fewer elements than CSE alone
    leaves: moving a negation out of a product adds a step where the negated operand
    is read elsewhere and nothing merges (``a * -b + -b``). Returns the rounds' rewrites
    kept (0 when undone)."""
    from .cse import cse
    steps, fetch = list(plan.steps), list(plan.fetch_slots)
    if merge:
        cse(plan)
    before = _work(plan)
    plan.steps, plan.fetch_slots = list(steps), list(fetch)
    n = 0
    for _ in range(4):
        k = signs(plan)
        n += k
        if not k or not merge:
            break
        cse(plan)
    if n and not KEEP_ALL and _work(plan) >= before:
        plan.steps, plan.fetch_slots = steps, fetch   # (the new slots stay unused)
        return 0
    return n


def _registry_op(name):
    from ..._ops.registry import REGISTRY
    return REGISTRY[name]


class Derived:
    """The op of a step a pass rewrote into another registry op (``a + a`` into a
    product): that registry op, under the graph op's name and outputs (what error
    messages and static dtypes read)."""
    _kind = "op"
    control_inputs = ()

    def __init__(self, reg_op, graph_op):
        self._op = reg_op
        self.name = graph_op.name
        self.type = graph_op.type
        self.outputs = graph_op.outputs
        self._attrs = {}
        self._params = {}


_NAMES = frozenset(("negative", "add", "multiply"))


def signs(plan):
    """Apply the sign rules (module docstring) once over the plan's steps, in place;
    returns the number of rewrites. A rewrite can make a product repeat an earlier one
    (which ``cse`` then merges) and a negation dead (``prune`` drops it).

    >>> import ndgrad.tf as tf
    >>> from ndgrad.graph.compiler import compile_plan
    >>> g = tf.Graph()
    >>> with g.as_default():
    ...     x = tf.placeholder(tf.float64, (3,))
    ...     y = tf.reduce_sum(tf.exp(-x * x))
    ...     gx, = tf.gradients(y, [x])
    >>> from ndgrad.graph.compiler.direct import op_name
    >>> [op_name(st) for st in compile_plan([gx], [x]).steps]   # one product, then * -2
    ['multiply', 'negative', 'exp', 'multiply', 'multiply']
    """
    return _Signs(plan).run()

"""Conditionals in a graph: one ``If`` node that runs only the taken branch's sub-graph
inside a session run, and its gradient (another ``If`` over the branches' gradient
graphs, so derivatives of any order follow the branch the forward took).

A branch is ordinary graph, built by a branch function between two points of the graph's
op list (its *region*). The nodes of the region that the branch's results need -- through
inputs and control inputs -- run only inside the branch: an assignment, a random draw, a
``sqrt`` of a negative number in the branch not taken never runs (TensorFlow's
semantics). What the branch uses from outside its region is *captured*: computed by the
outer plan and fed to the branch as a value (so a random draw made outside is the same
value in both); variables are read by the branch itself, where it runs (so a variable
only the taken branch reads need not be initialized); an outside node the branch waits
for through a control input runs before the ``If``, and not again inside it.

Stateful nodes inside a branch (assignments, random draws, nested loops and
conditionals) have their values recorded in the ``If``'s last output, so the gradient,
which re-runs the taken branch to get the values its rules read, sees the forward's
values and never repeats an assignment.
"""
from __future__ import annotations

import numpy as np

from .core import Tensor, Operation, outside_waits

__all__ = ["build_cond"]

_PURE = ("op", "noop", "const", "placeholder")


class Branch:
    """One branch as the ``If`` node runs it. ``feeds``: pairs (position in the node's
    computed inputs after the predicate, the tensor inside the branch that value
    feeds); ``unpack``: triples (position of a trace input, the branch index the trace
    must come from, the tensors its recorded values feed); ``fetch``: the tensors (or
    operations) the branch computes; ``done``: ops that ran before the node (not run
    again); ``out_map``: per output, ``("fetch", j)`` or ``("zeros", j)`` (zeros shaped
    as input ``j`` of the node's inputs: a gradient that does not flow in this branch);
    ``recorded``: the stateful tensors whose values the trace output carries;
    ``stateful``: their ops and the other stateful ops of the branch."""

    __slots__ = ("feeds", "unpack", "fetch", "done", "out_map", "recorded", "stateful",
                 "refs", "internal", "reread")

    def __init__(self, feeds, unpack, fetch, done, out_map, recorded=(), stateful=(),
                 refs=(), internal=(), reread=()):
        self.feeds = list(feeds)
        self.unpack = list(unpack)
        self.fetch = list(fetch)
        self.done = frozenset(done)
        self.out_map = list(out_map)
        self.recorded = list(recorded)
        self.stateful = frozenset(stateful)
        self.refs = list(refs)
        # variables the branch reads by value and also assigns: a gradient, which re-runs
        # the branch, would read them after the forward's assignment
        self.reread = list(reread)
        self.internal = frozenset(internal)    # the ops that run inside the branch


def _region_walk(g, region, outs):
    """The ops of a branch whose function built ``region`` (a set of ops) and whose
    results are ``outs`` (tensors or operations): (its internal ops in graph order, the
    tensors it captures, the variables it reads, the outside ops it waits for)."""
    internal = set()
    captured = []
    refs = []
    read, assigned = set(), set()
    done = set()
    seen_t = set()
    stack = []

    def use(t):
        op = t._op
        # (a tensor made by the other branch's function is captured: computed by the
        # outer plan whichever branch runs -- TF accepts it too, "although dangerous")
        if op._kind == "variable":
            read.add(t)
            if t not in seen_t:
                seen_t.add(t)
                refs.append(t)
        elif op in region:
            stack.append(op)
        elif t not in seen_t:
            seen_t.add(t)
            captured.append(t)

    for t in outs:
        if isinstance(t, Operation):
            if t in region:
                stack.append(t)
            else:
                done.add(t)
        else:
            use(t)
    while stack:
        op = stack.pop()
        if op in internal:
            continue
        internal.add(op)
        skip = op._attrs.get("ref_inputs", 0) if op._kind != "op" else 0
        for k, a in enumerate(op._args):
            if isinstance(a, Tensor):
                if k < skip and a._op._kind == "variable":
                    # (an assignment's target: the variable node itself, not its value)
                    assigned.add(a)
                    if a not in seen_t:
                        seen_t.add(a)
                        refs.append(a)
                    continue
                use(a)
        for c in op.control_inputs:
            if c in region:
                stack.append(c)
            elif c._kind != "variable":
                done.add(c)
    order = [op for op in g._ops if op in internal]
    reread = [t for t in refs if t in read and t in assigned]
    return order, captured, refs, done, reread


def _merge_specs(a, b):
    if isinstance(a, Operation) or isinstance(b, Operation):
        return (), np.dtype(bool)
    sa, sb = a._shape, b._shape
    if sa is None or sb is None or len(sa) != len(sb):
        shape = None
    else:
        shape = tuple(x if x == y else None for x, y in zip(sa, sb))
    return shape, a._np_dtype


def build_cond(g, pred, outs_true, outs_false, region_true, region_false, name="If"):
    """The ``If`` node choosing between two branches: ``outs_true``/``outs_false``
    (tensors of equal dtypes, or operations run for their effect: their result is the
    predicate, as TF's), built by the branch functions, whose ops are
    ``region_true``/``region_false`` (sets of ops). Returns the result tensors."""
    if len(outs_true) != len(outs_false):
        raise ValueError("cond: true_fn and false_fn must return the same number of "
                         f"results; got {len(outs_true)} and {len(outs_false)}")
    for k, (a, b) in enumerate(zip(outs_true, outs_false)):
        if isinstance(a, Operation) != isinstance(b, Operation):
            raise ValueError(f"cond: result {k} is an operation in one branch and a "
                             f"tensor in the other ('{a.name}', '{b.name}')")
        if not isinstance(a, Operation) and a._np_dtype != b._np_dtype:
            raise ValueError(
                f"cond: result {k} of true_fn is {a._np_dtype} ('{a.name}') but of "
                f"false_fn {b._np_dtype} ('{b.name}'); the branches must return the same "
                "dtypes")
    walks = [_region_walk(g, region_true, outs_true),
             _region_walk(g, region_false, outs_false)]
    # (positions by dicts: a Tensor's == is elementwise while gradients are built)
    refs, ins, done = {}, {}, set()
    for _, captured, r, d, _ in walks:
        for t in r:
            refs.setdefault(t, len(refs))
        for t in captured:
            ins.setdefault(t, len(ins))
        done |= d
    done_ops = sorted(done, key=g._ops.index)
    branches = []
    for (order, captured, r, _, reread), outs in zip(walks, (outs_true, outs_false)):
        stateful = [op for op in order if op._kind not in _PURE]
        recorded = [t for op in stateful for t in op.outputs]
        out_map = [("op", j) if isinstance(t, Operation) else ("fetch", j)
                   for j, t in enumerate(outs)]
        branches.append(Branch([(ins[t], t) for t in captured], [], outs, done,
                               out_map, recorded, stateful, r, order, reread))
    specs = [_merge_specs(a, b) for a, b in zip(outs_true, outs_false)]
    outs = _make_if(g, name, list(refs), pred, None, list(ins), branches, specs, done_ops)
    if specs:
        # what rebuilds this node from a GraphDef (graph_def.py): the branches' results
        # and the ops each branch function made
        outs[0].op._attrs["cond"]["source"] = (
            list(outs_true), list(outs_false),
            [op for op in g._ops if op in region_true],
            [op for op in g._ops if op in region_false])
    return outs


def _make_if(g, name, refs, pred, trace_in, ins, branches, specs, done_ops):
    """The node: inputs ``refs`` (variables: the outer plan does not read them, the
    branch does), ``pred``, ``trace_in`` (a forward node's trace, for its gradient; or
    None) and ``ins``; outputs ``specs`` and, when a branch records stateful values,
    the trace (the taken branch's index and those values)."""
    n_out = len(specs)
    records = any(b.recorded for b in branches)
    all_inputs = list(refs) + list(ins)
    off = 1 if trace_in is not None else 0      # ins start at vals[off]
    nref = len(refs)

    def fn(ctx, p, *vals):
        take = 0 if bool(np.asarray(p)) else 1
        b = branches[take]
        feeds = ctx.fed()
        for k, t in b.feeds:
            feeds[t] = vals[k]
        for k, from_branch, ts in b.unpack:
            taken, values = vals[k]
            if taken != from_branch:
                raise RuntimeError("internal: a conditional's gradient ran another branch "
                                   "than its forward")
            feeds.update(zip(ts, values))
        fetch = b.fetch + b.recorded
        res = ctx.run_sub(fetch, feeds, b.done) if fetch else []
        out = []
        for kind, j in b.out_map:
            if kind == "fetch":
                out.append(res[j])
            elif kind == "op":
                out.append(np.asarray(p, dtype=bool))
            else:
                dt = all_inputs[j]._np_dtype
                shape = np.shape(vals[off + j - nref]) if j >= nref else \
                    np.shape(ctx.run_sub([refs[j]], {}, b.done)[0])
                out.append(np.zeros(shape, dtype=dt))
        if records:
            out.append((take, tuple(res[len(b.fetch):])))
        return out[0] if len(out) == 1 else tuple(out)

    out_specs = list(specs) + ([((), np.dtype(object))] if records else [])
    computed = [pred] + ([trace_in] if trace_in is not None else []) + list(ins)
    op = g.special_op("If", name, tuple(refs) + tuple(computed), fn, out_specs,
                      attrs={"ref_inputs": nref})
    # outside ops a branch waits for run before the node (and not again inside it)
    for c in done_ops:
        if c not in op.control_inputs:
            op.control_inputs.append(c)
    info = {"refs": list(refs), "ins": list(ins), "branches": branches, "pred": pred,
            "trace_in": trace_in, "n_out": n_out, "records": records,
            "done_ops": list(done_ops), "grad": None}
    op._attrs["cond"] = info
    op._attrs["grad"] = lambda gouts: _if_grad(g, op, info, gouts)
    if not out_specs:
        return []
    return op.outputs[:n_out]


def _float(t):
    return t._np_dtype.kind in "fc"


def _read_by(variables, ys, internal):
    """Those of ``variables`` (read and assigned by the branch) whose values the results
    ``ys`` are computed from inside the branch, read by an op the branch may run before
    one of the variable's assignments there: the forward read the old value, the
    gradient's re-run would read the new one. (An assignment a result only waits for,
    through a control input -- a moving average's update beside the returned value --
    and a read that waits for every assignment of its variable, read the same value in
    the forward and in the re-run.)"""
    wanted = set(variables)
    found, seen = [], set()
    stack = [(y, None) for y in ys if isinstance(y, Tensor)]
    while stack:
        t, reader = stack.pop()
        if (t, reader) in seen:
            continue
        seen.add((t, reader))
        if t in wanted:
            if t not in found and not _after_assignments(t, reader, internal):
                found.append(t)
            continue
        op = t._op
        if op in internal:
            skip = op._attrs.get("ref_inputs", 0) if op._kind != "op" else 0
            stack.extend((a, op) for k, a in enumerate(op._args)
                         if isinstance(a, Tensor) and k >= skip)
    return found


def _after_assignments(var, reader, internal):
    """Whether op ``reader`` (reading ``var``) runs after every assignment of ``var`` in
    the branch: each is among its ancestors, through inputs and control inputs."""
    assigns = [op for op in internal if op._kind != "op" and any(
        a is var for a in op._args[:op._attrs.get("ref_inputs", 0)])]
    if not assigns or reader is None:
        return not assigns
    before, stack = set(), [reader]
    while stack:
        op = stack.pop()
        for a in list(op._args) + list(op.control_inputs):
            p = a._op if isinstance(a, Tensor) else a
            if isinstance(p, Operation) and p in internal and p not in before:
                before.add(p)
                stack.append(p)
    return all(a in before for a in assigns)


def _grad_branches(g, info, branches, refs, ins, float_in, float_out, nref, off_f, off_g):
    """The gradient graphs of the forward's branches, as ``Branch``es of the gradient
    node, and the outside ops they wait for."""
    from .gradients import gradients
    gbranches = []
    done_g = set(info["done_ops"])
    for bi, b in enumerate(branches):
        # inside the branch: the tensor each input is, where the branch uses it
        inner = {}
        for k, t in b.feeds:
            inner[nref + k - off_f] = t
        ref_pos = {t: i for i, t in enumerate(refs)}
        for t in b.refs:
            inner[ref_pos[t]] = t
        xs_j = [j for j in float_in if j in inner]
        ys_m = [m for m in float_out if b.out_map[m][0] == "fetch"]
        gys = {}
        for m in ys_m:
            y = b.fetch[b.out_map[m][1]]
            gop = g.special_op("Placeholder", "grad_y", (), None,
                               [(y._shape, y._np_dtype)], kind="placeholder")
            gys[m] = gop.outputs[0]
        xs = [inner[j] for j in xs_j]
        before = len(g._ops)
        stale = _read_by(b.reread, [b.fetch[b.out_map[m][1]] for m in ys_m],
                         b.internal) if ys_m and xs and b.reread else []
        if stale:
            # (a refusal, where the re-run read the assigned value: a gradient of 400
            # for 12 when the branch overwrote what it had read)
            raise ValueError(
                "tf.gradients through a tf.cond branch that reads variable(s) "
                f"{', '.join(repr(t.name) for t in stale)} and also assigns them: "
                "the gradient re-runs the branch and would read the assigned values, "
                "not those the forward read. Compute the gradient outside the "
                "branch, or assign after the cond (tf.control_dependencies on its "
                "result)")
        if ys_m and xs:
            grads = gradients([b.fetch[b.out_map[m][1]] for m in ys_m], xs,
                              grad_ys=[gys[m] for m in ys_m], stop_gradients=xs)
        else:
            grads = [None] * len(xs)
        got = {j: gr for j, gr in zip(xs_j, grads) if gr is not None}
        fetch, out_map = [], []
        for j in float_in:
            if j in got:
                out_map.append(("fetch", len(fetch)))
                fetch.append(got[j])
            else:
                out_map.append(("zeros", j))
        # the gradient node's computed inputs: [trace], ins, then one seed per float
        # output of the forward
        feeds = [(off_g + k - off_f, t) for k, t in b.feeds]
        for s, m in enumerate(float_out):
            if m in gys:
                feeds.append((off_g + len(ins) + s, gys[m]))
        if info["records"]:
            unpack = [(0, bi, b.recorded)] if b.recorded else []
        else:
            unpack = list(b.unpack)
        inside = b.internal | set(g._ops[before:])
        fed = {t for _, t in feeds} | {t for _, _, ts in unpack for t in ts}
        waits = outside_waits(fetch, fed, inside)
        done_g.update(waits)
        gbranches.append(Branch(feeds, unpack, fetch, b.done | b.stateful | waits,
                                out_map, (), b.stateful, b.refs, inside))
    return gbranches, sorted(done_g, key=g._ops.index)


def _if_grad(g, op, info, gouts):
    """Cotangents of an ``If`` node's inputs (in the order of ``op._args``) from those
    of its outputs: another ``If`` whose branches are the gradient graphs of the
    forward's branches (each re-runs its forward branch with the forward's recorded
    values, then its rules)."""
    from . import dynamic
    refs, ins, branches = info["refs"], info["ins"], info["branches"]
    all_inputs = refs + ins
    nref = len(refs)
    n_out = info["n_out"]
    float_in = [j for j, t in enumerate(all_inputs) if _float(t)]
    float_out = [m for m in range(n_out) if _float(op.outputs[m])]
    none = [None] * len(op._args)
    if not float_in or not any(gouts[m] is not None for m in float_out):
        return none
    off_f = 1 if info["trace_in"] is not None else 0
    # the gradient node's trace: the forward's own (it records), or the one it was given
    if info["records"]:
        trace_g = op.outputs[n_out]
    else:
        trace_g = info["trace_in"]
    off_g = 1 if trace_g is not None else 0
    if info["grad"] is None:
        # (the branches' gradient graphs are shared by every later gradient of this node:
        # built outside the caller's control_dependencies, which only the gradient node
        # made below waits for; inside, a later tf.gradients fetched them -- the moving
        # averages of a batch norm under UPDATE_OPS moved)
        with g.control_dependencies(None):
            info["grad"] = _grad_branches(g, info, branches, refs, ins, float_in, float_out,
                                          nref, off_f, off_g)
    gbranches, done_ops = info["grad"]
    seeds = [gouts[m] if gouts[m] is not None else dynamic.zeros_like(op.outputs[m])
             for m in float_out]
    specs = [(all_inputs[j]._shape, all_inputs[j]._np_dtype) for j in float_in]
    outs = _make_if(g, "If_grad", refs, info["pred"], trace_g, list(ins) + seeds,
                    gbranches, specs, done_ops)
    res = list(none)
    for o, j in zip(outs, float_in):
        # op._args: refs, pred, [trace_in], ins
        res[j if j < nref else j + 1 + off_f] = o
    return res


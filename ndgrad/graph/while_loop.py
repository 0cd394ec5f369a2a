"""Loops in a graph: one ``While`` node that runs a condition and a body sub-graph inside
a session run, and its gradient (a ``WhileGrad`` node running the body's gradient graph
backwards over the iterations the forward run recorded).

The body and condition are ordinary graph built on loop-variable stand-ins (placeholder
nodes). Nodes they use that do not depend on the loop variables -- weights, inputs, the
variables a body creates on its first call -- are *captured*: computed once per run by
the outer plan and handed to every iteration as values (also to the gradient, which
therefore sees exactly the forward's values). Stateful nodes built inside the body
(random draws) run every iteration; their values are recorded, so the gradient of an
iteration sees the same draws as its forward.
"""
from __future__ import annotations

import numpy as np

from .core import Tensor, ancestors, outside_waits

__all__ = ["build_while"]


def _split_body(g, start, phs, roots):
    """(captured tensors, the stateful tensors of the body whose values are recorded,
    the variables it reads). Variables are not captured: each iteration reads them as
    the run's earlier writes left them (a condition on a variable the body assigns ends
    the loop, as TF's); their values are recorded per iteration for the gradient."""
    phset = set(phs)
    needed = ancestors([t._op for t in roots if isinstance(t, Tensor) and t not in phset],
                       phset, control=True)
    region = set(g._ops[start:])
    order = [op for op in g._ops if op in needed]
    internal = set()
    for op in order:
        if op._kind in ("const", "variable", "placeholder"):
            continue
        deps = any(isinstance(a, Tensor) and (a in phset or a._op in internal)
                   for a in op._args) or any(c in internal for c in op.control_inputs)
        # (a body op that reads a variable runs every iteration: the body may assign it)
        stateful = op in region and (op._kind not in ("op", "noop") or any(
            isinstance(a, Tensor) and a._op._kind == "variable" for a in op._args))
        if deps or stateful:
            internal.add(op)
    captured = []
    refs = []
    seen = set()

    def outside(a):
        if a in seen:
            return
        seen.add(a)
        (refs if a._op._kind == "variable" else captured).append(a)
    for op in order:
        if op not in internal:
            continue
        for a in op._args:
            if isinstance(a, Tensor) and a not in phset and a._op not in internal \
                    and not (a._op._kind == "const" and a._op in region):
                outside(a)
    for t in roots:
        if isinstance(t, Tensor) and t not in phset and t._op not in internal \
                and not (t._op._kind == "const" and t._op in region):
            outside(t)
    # recorded per iteration for the gradient, which re-runs the body: what stateful
    # ops made (draws, assignments, nested loops) and what the body read of variables
    stateful = [op for op in order if op in internal and op._kind not in ("op", "noop")]
    reads = [op for op in order if op in internal and op._kind == "op" and any(
        isinstance(a, Tensor) and a._op._kind == "variable" for a in op._args)]
    recorded = [t for op in stateful + reads for t in op.outputs]
    return captured, recorded + refs, refs, stateful


def build_while(g, scope, init, shapes, phs, cond_out, body_out, start, limit,
                back_prop=True):
    """The ``While`` node over loop variables ``init`` (stand-ins ``phs``, condition
    ``cond_out``, next values ``body_out``; the body's nodes were created from index
    ``start`` of ``g``'s op list). Returns the loop's final-value tensors; with
    ``back_prop`` False no gradient flows through the loop."""
    captured, recorded, refs, stateful = _split_body(g, start, phs,
                                                     [cond_out] + list(body_out))
    n = len(init)
    fetch = [cond_out] + list(body_out) + recorded
    # outside ops the body waits for (built under control_dependencies) run once,
    # before the loop, not once per iteration
    region = set(g._ops[start:])
    waits = frozenset(outside_waits(fetch, set(phs) | set(captured), region))

    # a maximum_iterations tensor (a placeholder, tf.constant(3)) is the node's last
    # input, read when the loop runs
    limit_t = limit if isinstance(limit, Tensor) else None
    if limit_t is not None and (limit_t._np_dtype.kind not in "iu" or limit_t._shape):
        raise TypeError(f"tf.while_loop: maximum_iterations must be a scalar integer "
                        f"tensor; got {limit_t.name} of shape {limit_t.shape} and dtype "
                        f"{limit_t._np_dtype}")
    ncap = len(captured)

    def fn(ctx, *vals):
        outer = ctx.fed()
        cur = list(vals[:n])
        capv = vals[n:n + ncap]
        lim = int(np.asarray(vals[-1])) if limit_t is not None else limit
        base = dict(outer)
        base.update(zip(captured, capv))
        trace = []
        it = 0
        cond_only = [cond_out]
        while lim is None or it < lim:
            feeds = dict(base)
            feeds.update(zip(phs, cur))
            if not bool(ctx.run_sub(cond_only, feeds, waits)[0]):
                break
            res = ctx.run_sub(fetch, feeds, waits)
            trace.append((cur, res[1 + n:]))
            cur = list(res[1:1 + n])
            it += 1
        return tuple(cur) + (trace,)

    specs = [(s, v._np_dtype) for s, v in zip(shapes, init)] + [((), np.dtype(object))]
    # (the variables come first, as references: the outer plan does not read them)
    op = g.special_op("While", scope, tuple(refs) + tuple(init) + tuple(captured) + (
        (limit_t,) if limit_t is not None else ()), fn, specs,
        attrs={"ref_inputs": len(refs)})
    _wait_for(op, waits, g)
    loop = {"phs": phs, "body": list(body_out), "captured": captured, "refs": refs,
            "recorded": recorded, "grad": None, "region": region, "waits": waits,
            "stateful": frozenset(stateful)}
    if back_prop:
        op._attrs["grad"] = lambda gouts: _while_grad(g, op, loop, gouts)
    return op.outputs[:n]


def _wait_for(op, waits, g):
    """Make ``op`` wait for the outside ops its sub-graphs wait for (in graph order)."""
    for c in sorted(waits, key=g._ops.index):
        if c not in op.control_inputs:
            op.control_inputs.append(c)


def _float(t):
    return t._np_dtype.kind in "fc"


def _no_second_order(gouts):
    raise TypeError("Second-order gradient for while loops not supported.")


def _while_grad(g, op, loop, gouts):
    """Cotangents of the While node's inputs (in the order of ``op._args``: the variables
    it reads, the loop variables' initial values, the captured tensors) from those of
    its outputs ``gouts`` (None where none flows)."""
    from .gradients import gradients
    from . import dynamic
    phs, body, captured, refs = loop["phs"], loop["body"], loop["captured"], loop["refs"]
    n = len(phs)
    nr = len(refs)
    vi = [i for i in range(n) if _float(phs[i])]
    # the tensors from outside that get a gradient: captured ones, then variables
    outer = [c for c in captured if _float(c)] + [r for r in refs if _float(r)]
    if loop["grad"] is None:
        gys = []
        for i in vi:
            p = phs[i]
            gop = g.special_op("Placeholder", "grad_y", (), None, [(p._shape, p._np_dtype)],
                               kind="placeholder")
            gys.append(gop.outputs[0])
        xs = [phs[i] for i in vi] + outer
        ys = [body[i] for i in vi]
        before = len(g._ops)
        # (the body's gradient graph is shared by every later gradient of this loop: it
        # is built outside the caller's control_dependencies, which only this gradient
        # node waits for; inside, a later gradient fetched them: an update op ran)
        # (each x's own partial derivative: a captured c = w * w beside w itself gets its
        # cotangent from the body, and the chain rule outside carries it through c to w;
        # without stop_gradients the body's gradient of w followed c too, and dc/dw was
        # counted twice, as cond's gradient avoids)
        with g.control_dependencies(None):
            grads = (gradients(ys, xs, grad_ys=gys, stop_gradients=xs) if ys and xs
                     else [None] * len(xs))
        fed = set(phs) | set(captured) | set(loop["recorded"]) | set(gys)
        inside = loop["region"] | set(g._ops[before:])
        waits = loop["waits"] | outside_waits([t for t in grads if t is not None], fed,
                                              inside)
        loop["grad"] = (gys, grads, frozenset(waits))
    gys, grads, waits = loop["grad"]
    # the gradient re-runs the body with its recorded values: its stateful ops (an
    # assignment a read waits for) are not run again
    done = waits | loop["stateful"]
    fetch_idx = [k for k, t in enumerate(grads) if t is not None]
    fetch = [grads[k] for k in fetch_idx]
    recorded = loop["recorded"]
    rec_pos = {t: k for k, t in enumerate(recorded)}
    cap_pos = {c: j for j, c in enumerate(captured)}
    nv = len(vi)

    def fn(ctx, trace, *rest):
        g_out = list(rest[:nv])
        capv = rest[nv:]
        base = dict(ctx.fed())
        base.update(zip(captured, capv))
        acc = [None] * len(outer)
        for cur, rec in reversed(trace):
            feeds = dict(base)
            feeds.update(zip(phs, cur))
            feeds.update(zip(recorded, rec))     # (variables as this iteration read them)
            feeds.update(zip(gys, g_out))
            res = ctx.run_sub(fetch, feeds, done) if fetch else ()
            got = dict(zip(fetch_idx, res))
            g_out = [np.asarray(got[k]) if k in got else np.zeros_like(cur[vi[k]])
                     for k in range(nv)]
            for m in range(len(outer)):
                v = got.get(nv + m)
                if v is not None:
                    acc[m] = v if acc[m] is None else acc[m] + v
        out = [np.asarray(x, dtype=phs[i]._np_dtype) for x, i in zip(g_out, vi)]
        for m, t in enumerate(outer):
            v = acc[m]
            if v is None:
                if t in rec_pos and trace:
                    like = trace[-1][1][rec_pos[t]]
                elif t in rec_pos:
                    like = ctx.run_sub([t], {}, waits)[0]
                else:
                    like = capv[cap_pos[t]]
                v = np.zeros(np.shape(like), dtype=t._np_dtype)
            out.append(np.asarray(v, dtype=t._np_dtype))
        return out[0] if len(out) == 1 else tuple(out)

    seeds = []
    for i in vi:
        gi = gouts[i]
        seeds.append(gi if gi is not None else dynamic.zeros_like(op.outputs[i]))
    specs = [(op._args[nr + i]._shape, phs[i]._np_dtype) for i in vi] + \
            [(t._shape, t._np_dtype) for t in outer]
    res = [None] * len(op._args)     # (a maximum_iterations tensor gets none)
    if not specs:
        return res
    gop = g.special_op("WhileGrad", "WhileGrad", (op.outputs[n],) + tuple(seeds) +
                       tuple(captured), fn, specs)
    # the loop's gradient has no gradient of its own: TF's error, where without a rule
    # its outputs passed no cotangent on and a second derivative came back None (or
    # without the loop's terms: d(y + g**2)/dx lost 2 g dg/dx)
    gop._attrs["grad"] = _no_second_order
    _wait_for(gop, waits, g)
    for k, i in enumerate(vi):
        res[nr + i] = gop.outputs[k]
    ref_pos = {r: j for j, r in enumerate(refs)}
    for m, t in enumerate(outer):
        res[nr + n + cap_pos[t] if t in cap_pos else ref_pos[t]] = gop.outputs[nv + m]
    return res

"""``tf.cond`` and ``tf.case``-style selection between branches.

Both branches are built and, in a run, both computed (TensorFlow computes only the one
taken); the result is the taken branch's value, and the gradient flows to it only. Keep
branches free of side effects (assignments) that must not happen.
"""
from __future__ import annotations

import numpy as np

from .._ops.registry import defop, apply
from ..graph.core import Tensor
from .framework import build, convert_to_tensor
from .ops import call

__all__ = ["cond"]


def _select_rule(args, params):
    a, b = args[1], args[2]
    if a._shape is None or b._shape is None or len(a._shape) != len(b._shape):
        shape = None
    else:
        shape = tuple(x if x == y else None for x, y in zip(a._shape, b._shape))
    return [(shape, a._np_dtype)]


def _select_vjp(xp, g, ans, p, a, b):
    take = bool(np.asarray(p)) if not isinstance(p, Tensor) else None
    if take is None:
        return (None, call(_GATE, xp, (p, g), {"when": True}),
                call(_GATE, xp, (p, g), {"when": False}))
    return (None, g if take else None, None if take else g)


SELECT = defop("tf.cond", lambda xp, p, a, b: a if bool(p) else b, _select_vjp,
               save="inputs", shape_rule=_select_rule)
_GATE = defop("tf.cond_gate",
              lambda xp, p, g, when: g if bool(p) == when else xp.zeros_like(g),
              lambda xp, gg, ans, p, g, when: (None, call(_GATE, xp, (p, gg),
                                                          {"when": when})),
              save="inputs", shape_rule=lambda args, params: [(args[1]._shape,
                                                               args[1]._np_dtype)])


def cond(pred, true_fn=None, false_fn=None, strict=False, name=None, fn1=None, fn2=None):
    """``true_fn()`` if ``pred`` else ``false_fn()`` (tensors, or lists/tuples of them)."""
    true_fn = true_fn or fn1
    false_fn = false_fn or fn2
    if not callable(true_fn) or not callable(false_fn):
        raise TypeError("true_fn and false_fn must be callable.")

    def f():
        p = convert_to_tensor(pred)
        a = true_fn()
        b = false_fn()
        single = not isinstance(a, (list, tuple))
        la = [a] if single else list(a)
        lb = [b] if not isinstance(b, (list, tuple)) else list(b)
        if len(la) != len(lb):
            raise ValueError("true_fn and false_fn must return the same number of results")
        out = []
        for x, y in zip(la, lb):
            x = convert_to_tensor(x)
            y = convert_to_tensor(y, dtype=x.dtype)
            out.append(apply(SELECT, (p, x, y)))
        return out[0] if single else type(a)(out) if isinstance(a, tuple) else out
    return build(name, "cond", f, graph_args=(pred,))


def while_loop(cond, body, loop_vars, shape_invariants=None, parallel_iterations=10,
               back_prop=True, swap_memory=False, maximum_iterations=None, name=None,
               return_same_structure=False):
    """``while cond(*vars): vars = body(*vars)``, run inside the session.

    The loop is one op: each iteration runs the (cached) plans of ``cond`` and ``body``
    with the loop variables fed, sharing the run's feeds and staged variable writes.
    No gradient flows through it (tf.gradients gives None across the loop).
    """
    from ..graph.core import get_default_graph
    single = not isinstance(loop_vars, (list, tuple))
    init = [convert_to_tensor(v) for v in ([loop_vars] if single else list(loop_vars))]
    if shape_invariants is None:
        shapes = [v._shape for v in init]
    else:
        si = [shape_invariants] if single else list(shape_invariants)
        from ..graph.shape import as_shape
        shapes = [as_shape(s).as_tuple() for s in si]
    g = init[0].graph if init else get_default_graph()
    with g.as_default(), g.name_scope(name or "while") as scope:
        phs = []
        for i, (v, s) in enumerate(zip(init, shapes)):
            op = g.special_op("Enter", f"Enter_{i}" if i else "Enter", (), None,
                              [(s, v._np_dtype)], kind="placeholder")
            phs.append(op.outputs[0])
        c = convert_to_tensor(cond(*phs))
        b = body(*phs)
        b = [b] if not isinstance(b, (list, tuple)) else list(b)
        if len(b) != len(init):
            raise ValueError(f"body returned {len(b)} values for {len(init)} loop variables")
        b = [convert_to_tensor(x, dtype=v._np_dtype) for x, v in zip(b, init)]
        for x, s, v in zip(b, shapes, init):
            if s is not None and x._shape is not None and (len(s) != len(x._shape) or any(
                    d is not None and e != d for d, e in zip(s, x._shape))):
                raise ValueError(f"Input tensor '{v.name}' enters the loop with shape "
                                 f"{v.shape}, but has shape {x.shape} after one iteration. "
                                 "To allow the shape to vary across iterations, use the "
                                 "`shape_invariants` argument of tf.while_loop.")
        limit = maximum_iterations

        def fn(ctx, *vals):
            outer = ctx.fed()
            vals = list(vals)
            it = 0
            while limit is None or it < limit:
                feeds = dict(outer)
                feeds.update(zip(phs, vals))
                if not bool(ctx.run_sub([c], feeds)[0]):
                    break
                vals = list(ctx.run_sub(b, feeds))
                it += 1
            return vals[0] if len(vals) == 1 else tuple(vals)
        op = g.special_op("While", scope, tuple(init), fn,
                          [(s, v._np_dtype) for s, v in zip(shapes, init)])
    outs = op.outputs
    if single or (len(outs) == 1 and not return_same_structure):
        return outs[0]
    return type(loop_vars)(outs) if isinstance(loop_vars, tuple) else list(outs)


__all__.append("while_loop")

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

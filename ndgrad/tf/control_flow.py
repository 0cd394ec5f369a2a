"""``tf.cond`` and ``tf.case``-style selection between branches.

Both branches are built and, in a run, both computed (TensorFlow computes only the one
taken); the result is the taken branch's value, and the gradient flows to it only. Keep
branches free of side effects (assignments) that must not happen.
"""
from __future__ import annotations

import numpy as np

from .._ops.registry import defop, apply
from ..graph.core import Tensor
from .framework import build, convert_to_tensor, executing_eagerly
from .ops import call
from ..graph.while_loop import build_while

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


def _eager_while(cond, body, loop_vars, maximum_iterations):
    """Eager ``while_loop``: the Python loop, as TF's (``body`` returns the new loop
    variables, in the structure of ``loop_vars``; a single tensor stays single)."""
    single = not isinstance(loop_vars, (list, tuple))
    vals = [loop_vars] if single else list(loop_vars)
    n = 0
    limit = None if maximum_iterations is None else int(maximum_iterations)
    while (limit is None or n < limit) and bool(cond(*vals)):
        out = body(*vals)
        if single and isinstance(out, (list, tuple)) and len(out) == 1:
            out = out[0]
        new = [out] if single else list(out) if isinstance(out, (list, tuple)) else [out]
        if len(new) != len(vals):
            raise ValueError(f"body returned {len(new)} values for {len(vals)} loop "
                             "variables")
        vals = new
        n += 1
    if single:
        return vals[0]
    return type(loop_vars)(vals) if isinstance(loop_vars, tuple) else vals


def while_loop(cond, body, loop_vars, shape_invariants=None, parallel_iterations=10,
               back_prop=True, swap_memory=False, maximum_iterations=None, name=None,
               return_same_structure=False):
    """``while cond(*vars): vars = body(*vars)``, run inside the session.

    The loop is one op: each iteration runs the (cached) plans of ``cond`` and ``body``
    with the loop variables fed, sharing the run's feeds and staged variable writes.
    Gradients flow through it (to the initial values and to every tensor the body uses
    from outside), so the number of iterations need not be known when building.

    >>> import ndgrad.tf as tf
    >>> x = tf.constant(2.0)
    >>> i, y = tf.while_loop(lambda i, y: i < 3, lambda i, y: (i + 1, y * x), [0, 1.0])
    >>> with tf.Session() as sess:
    ...     print(*sess.run([y, tf.gradients(y, x)[0]]))
    8.0 12.0
    """
    if executing_eagerly():
        return _eager_while(cond, body, loop_vars, maximum_iterations)
    from ..graph.core import get_default_graph
    from ..graph.shape import as_shape
    leaves = _flatten(loop_vars)
    init = [convert_to_tensor(v) for v in leaves]
    if shape_invariants is None:
        shapes = [v._shape for v in init]
    else:
        shapes = [as_shape(s).as_tuple() for s in _flatten(shape_invariants, shapes=True)]
        if len(shapes) != len(init):
            raise ValueError(f"shape_invariants has {len(shapes)} shapes for {len(init)} "
                             "loop variables")
    single = not isinstance(loop_vars, (list, tuple))
    g = init[0].graph if init else get_default_graph()
    with g.as_default(), g.name_scope(name or "while") as scope:
        start = len(g._ops)
        phs = []
        for i, (v, s) in enumerate(zip(init, shapes)):
            op = g.special_op("Enter", f"Enter_{i}" if i else "Enter", (), None,
                              [(s, v._np_dtype)], kind="placeholder")
            phs.append(op.outputs[0])
        packed = _pack(loop_vars, phs)
        args = (packed,) if single else tuple(packed)
        c = convert_to_tensor(cond(*args))
        b = body(*args)
        if single and isinstance(b, (list, tuple)) and len(b) == 1 and \
                not isinstance(loop_vars, (list, tuple)):
            b = b[0]
        b = _flatten(b)
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
        outs = build_while(g, scope, init, shapes, phs, c, b, start, maximum_iterations,
                           back_prop)
    if single:
        return outs[0]
    if isinstance(loop_vars, list) and len(loop_vars) == 1 and not return_same_structure \
            and not isinstance(loop_vars[0], (list, tuple)):
        return outs[0]
    return _pack(loop_vars, list(outs))


def _flatten(nest, shapes=False):
    """The leaves of a nest of lists/tuples/namedtuples (a shape's list is a leaf when
    ``shapes``)."""
    if isinstance(nest, (list, tuple)) and not (shapes and all(
            d is None or isinstance(d, (int, np.integer)) for d in nest)):
        out = []
        for x in nest:
            out.extend(_flatten(x, shapes))
        return out
    return [nest]


def _pack(structure, flat):
    """``flat`` arranged as ``structure``."""
    it = iter(flat)

    def build_(s):
        if isinstance(s, (list, tuple)):
            parts = [build_(x) for x in s]
            if hasattr(s, "_fields"):
                return type(s)(*parts)
            return type(s)(parts)
        return next(it)
    return build_(structure)


__all__.append("while_loop")


def _scan_loop(fn, elems, initializer, reverse, keep_all, name, what):
    """``a = fn(a, x)`` over the first axis of ``elems`` (a tensor or a nest of them),
    in a ``while_loop``; the accumulators stacked (``keep_all``) or the last one."""
    from . import math_ops as M
    xs = [convert_to_tensor(e) for e in _flatten(elems)]
    if not xs:
        raise ValueError(f"{what}: elems must not be empty")
    n = M.shape(xs[0])[0]
    first = 0
    if initializer is None:
        if reverse:
            init = _pack(elems, [M.gather(x, n - 1) for x in xs])
        else:
            init = _pack(elems, [M.gather(x, 0) for x in xs])
        first = 1
    else:
        init = initializer
    leaves = [convert_to_tensor(a) for a in _flatten(init)]

    def take(i):
        idx = n - 1 - i if reverse else i
        return _pack(elems, [M.gather(x, idx) for x in xs])

    def body(i, a, acc):
        new = _flatten(fn(_pack(init, a), take(i)))
        if len(new) != len(a):
            raise ValueError(f"{what}: fn returned {len(new)} values for an accumulator "
                             f"of {len(a)}")
        new = [convert_to_tensor(v, dtype=o._np_dtype) for v, o in zip(new, a)]
        if keep_all:
            acc = [M.concat([s, M.expand_dims(v, 0)], 0) for s, v in zip(acc, new)]
        return i + 1, new, acc

    acc0 = [M.zeros(M.concat([[0], M.shape(a)], 0), dtype=a._np_dtype) for a in leaves] \
        if keep_all else []
    # flat: the counter's, each accumulator's, each stack's (growing along axis 0)
    shapes = [()] + [a._shape for a in leaves] + (
        [(None,) + tuple(a._shape) if a._shape is not None else None for a in leaves]
        if keep_all else [])
    _, final, acc = while_loop(lambda i, a, acc: M.less(i, n), body,
                               [M.constant(first), leaves, acc0], shape_invariants=shapes,
                               name=name)
    if not keep_all:
        return _pack(init, final)
    if first:
        acc = [M.concat([M.expand_dims(a, 0), s], 0) for a, s in zip(leaves, acc)]
    if reverse:
        from .extra_ops import reverse as _rev
        acc = [_rev(s, [0]) for s in acc]
    return _pack(init, acc)


def scan(fn, elems, initializer=None, parallel_iterations=10, back_prop=True,
         swap_memory=False, infer_shape=True, reverse=False, name=None):
    """The accumulators ``a = fn(a, x)`` for each ``x`` along the first axis of
    ``elems``, stacked (``a`` starts at ``initializer``, else at ``elems[0]``).
    A ``tf.while_loop``, so it differentiates and needs no static length.

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.scan(lambda a, x: a + x, tf.constant([1, 2, 3, 4])))
    array([ 1,  3,  6, 10], dtype=int32)
    """
    return _scan_loop(fn, elems, initializer, reverse, True, name or "scan", "scan")


def foldl(fn, elems, initializer=None, parallel_iterations=10, back_prop=True,
          swap_memory=False, name=None):
    """The last accumulator of ``scan``: ``fn`` folded over ``elems`` from the left.

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.foldl(lambda a, x: a * 10 + x, tf.constant([1, 2, 3])))
    np.int32(123)
    """
    return _scan_loop(fn, elems, initializer, False, False, name or "foldl", "foldl")


def foldr(fn, elems, initializer=None, parallel_iterations=10, back_prop=True,
          swap_memory=False, name=None):
    """``fn`` folded over ``elems`` from the right (the last element first).

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.foldr(lambda a, x: a * 10 + x, tf.constant([1, 2, 3])))
    np.int32(321)
    """
    return _scan_loop(fn, elems, initializer, True, False, name or "foldr", "foldr")


__all__ += ["scan", "foldl", "foldr"]

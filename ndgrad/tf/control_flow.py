"""``tf.cond``, ``tf.case`` and ``tf.while_loop``: branches and loops run inside a session.

``tf.cond`` runs only the branch its predicate takes (``graph/cond.py``): the other
branch's assignments, random draws and arithmetic never run, and the gradient flows
through the taken branch only, as TensorFlow's.
"""
from __future__ import annotations

import numpy as np

from ..graph.core import Tensor, Operation
from .framework import build, convert_to_tensor, executing_eagerly
from ..graph.while_loop import build_while
from ..graph.cond import build_cond

__all__ = ["cond", "case", "tuple_", "with_dependencies"]


def _unpack_singleton(x):
    return x[0] if isinstance(x, (list, tuple)) and len(x) == 1 else x


def cond(pred, true_fn=None, false_fn=None, strict=False, name=None, fn1=None, fn2=None):
    """``true_fn()`` if ``pred`` else ``false_fn()``: only the taken branch runs.

    The branches return tensors (or nests of lists/tuples of them, of the same structure
    and dtypes); ``strict=False`` unpacks a one-element list, as TF's. Ops a branch
    function creates run only when that branch is taken; tensors it uses from outside
    are computed either way.

    >>> import ndgrad.tf as tf
    >>> x = tf.placeholder(tf.float32, ())
    >>> y = tf.cond(x > 0, lambda: tf.sqrt(x), lambda: -x)
    >>> g, = tf.gradients(y, x)
    >>> with tf.Session() as sess:
    ...     print(*sess.run([y, g], {x: -4.0}))
    4.0 -1.0
    """
    true_fn = true_fn or fn1
    false_fn = false_fn or fn2
    if not callable(true_fn) or not callable(false_fn):
        raise TypeError("true_fn and false_fn must be callable.")
    if isinstance(pred, (bool, np.bool_)):
        raise TypeError("pred must not be a Python bool")
    if executing_eagerly():
        p = convert_to_tensor(pred)
        if getattr(p, "shape", ()) != ():
            raise ValueError(f"tf.cond: pred must be a scalar; got shape {tuple(p.shape)}")
        res = true_fn() if bool(p) else false_fn()
        return res if strict else _unpack_singleton(res)

    def f():
        from ..graph.core import get_default_graph
        p = convert_to_tensor(pred)
        g = p.graph if isinstance(p, Tensor) else get_default_graph()
        if p._np_dtype != np.bool_:
            raise ValueError(f"tf.cond: pred must be a bool tensor; got {p._np_dtype} "
                             f"('{p.name}')")
        if p._shape is not None and len(p._shape) != 0:
            raise ValueError(f"tf.cond: pred must be a scalar (rank 0); '{p.name}' has "
                             f"shape {p._shape}")
        start = len(g._ops)
        a = true_fn()
        mid = len(g._ops)
        b = false_fn()
        end = len(g._ops)
        if not strict:
            a, b = _unpack_singleton(a), _unpack_singleton(b)
        la, lb = _flatten(a), _flatten(b)
        if len(la) != len(lb) or _structure(a) != _structure(b):
            raise ValueError("tf.cond: true_fn and false_fn must return the same structure "
                             f"of results (the two structures don't have the same nested "
                             f"structure); got {_describe(a)} and {_describe(b)}")
        ta, tb = [], []
        for x, y in zip(la, lb):
            x, y = _convert_pair(x, y)
            ta.append(x)
            tb.append(y)
        outs = build_cond(g, p, ta, tb, set(g._ops[start:mid]), set(g._ops[mid:end]))
        return _pack(a, list(outs))
    return build(name, "cond", f, graph_args=(pred,))


def case(pred_fn_pairs, default=None, exclusive=False, strict=False, name="case"):
    """The result of the first ``fn`` whose predicate is True, else of ``default``
    (nested ``cond``s: only the chosen function's ops run). ``pred_fn_pairs``: a list of
    ``(bool scalar, callable)`` (or a dict). Without ``default`` the last pair is the
    default, and the run fails when its predicate is False too; ``exclusive`` fails the
    run when more than one predicate is True (``InvalidArgumentError``, as TF).

    >>> import ndgrad.tf as tf
    >>> x = tf.placeholder(tf.int32, ())
    >>> r = tf.case([(x < 0, lambda: tf.constant(-1)), (x > 0, lambda: tf.constant(1))],
    ...             default=lambda: tf.constant(0))
    >>> with tf.Session() as sess:
    ...     print([int(sess.run(r, {x: v})) for v in (-5, 0, 7)])
    [-1, 0, 1]
    """
    from . import math_ops as M
    from .check_ops import Assert
    pairs = list(pred_fn_pairs.items()) if isinstance(pred_fn_pairs, dict) \
        else list(pred_fn_pairs)
    for k, pair in enumerate(pairs):
        if not isinstance(pair, (tuple, list)) or len(pair) != 2 or not callable(pair[1]):
            raise TypeError(f"case: pred_fn_pairs[{k}] must be a (predicate, callable) "
                            f"pair; got {pair!r}")
    if default is not None and not callable(default):
        raise TypeError("case: default must be callable")
    if not pairs:
        if default is None:
            raise ValueError("case: pred_fn_pairs is empty and there is no default")
        res = default()
        return res if strict else _unpack_singleton(res)
    preds = [convert_to_tensor(p) for p, _ in pairs]
    fns = [f for _, f in pairs]

    def f():
        checks = []
        if exclusive and len(preds) > 1:
            count = M.reduce_sum(M.cast(M.stack(preds), "int32"))
            checks.append(Assert(count <= 1, [
                "Input error: exclusive=True: more than 1 conditions ("
                + ", ".join(getattr(p, "name", "?") for p in preds)
                + ") evaluated as True:", M.stack(preds)]))
        dflt, body_preds, body_fns = default, preds, fns
        if default is None:
            last_pred, last_fn = preds[-1], fns[-1]
            body_preds, body_fns = preds[:-1], fns[:-1]

            def dflt():
                with _control(Assert(last_pred, [
                        "Input error: None of conditions evaluated as True:",
                        M.stack(preds)])):
                    return last_fn()

        def chain(i):
            if i == len(body_preds):
                return dflt()
            return cond(body_preds[i], body_fns[i], lambda: chain(i + 1), strict=True)
        with _control(*checks):
            res = chain(0)
        return res if strict else _unpack_singleton(res)
    return build(None, name, f, graph_args=tuple(preds))


def with_dependencies(dependencies, output_tensor, name=None):
    """``output_tensor``'s value, computed only after the ops in ``dependencies`` ran
    (TF's ``control_flow_ops.with_dependencies``).

    >>> import ndgrad.tf as tf
    >>> v = tf.Variable(1.0)
    >>> y = with_dependencies([tf.assign_add(v, 1.0)], tf.constant(5.0))
    >>> with tf.Session() as s:
    ...     _ = s.run(v.initializer)
    ...     print(s.run(y), s.run(v))
    5.0 2.0
    """
    from .state_ops import control_dependencies
    from . import math_ops as M
    if executing_eagerly():
        return output_tensor          # (everything ran already, in order)
    deps = list(dependencies) if isinstance(dependencies, (list, tuple)) else [dependencies]
    with control_dependencies(deps):
        return M.identity(output_tensor, name=name)


def tuple_(tensors, name=None, control_inputs=None):
    """The ``tensors``, each available only once all of them (and ``control_inputs``)
    are computed: TF's ``tf.tuple``, a barrier.

    >>> import ndgrad.tf as tf
    >>> a, b = tf.tuple([tf.constant(1.0), tf.constant(2.0)])
    >>> print(*tf.Session().run([a, b]))
    1.0 2.0
    """
    from .state_ops import group
    items = list(tensors)
    if executing_eagerly():
        return items
    deps = [t for t in items if t is not None]
    if control_inputs:
        deps = deps + list(control_inputs)
    gate = group(*deps)
    return [None if t is None else with_dependencies([gate], t) for t in items]


tuple_.__name__ = tuple_.__qualname__ = "tuple"


def _control(*ops):
    """``control_dependencies`` on the ops that are graph operations (eager Asserts
    checked already and gave None)."""
    import contextlib
    from .state_ops import control_dependencies
    ops = [o for o in ops if o is not None]
    return control_dependencies(ops) if ops else contextlib.nullcontext()


def _convert_pair(x, y):
    """The two branches' results at one position as tensors (or operations): a Python
    value takes the dtype of the other branch's tensor."""
    if isinstance(x, Operation) or isinstance(y, Operation) or x is None or y is None:
        if not (isinstance(x, Operation) or x is None) or \
                not (isinstance(y, Operation) or y is None):
            raise ValueError("tf.cond: a result is an operation (or None) in one branch "
                             f"and a tensor in the other: {x!r}, {y!r}")
        from .state_ops import no_op
        return (x if x is not None else no_op()), (y if y is not None else no_op())
    if isinstance(x, Tensor) or not isinstance(y, Tensor):
        x = convert_to_tensor(x)
        return x, convert_to_tensor(y, dtype=x.dtype if not isinstance(y, Tensor) else None)
    y = convert_to_tensor(y)
    return convert_to_tensor(x, dtype=y.dtype), y


def _structure(nest):
    if isinstance(nest, dict):
        return ("dict", tuple((k, _structure(nest[k])) for k in sorted(nest)))
    if isinstance(nest, (list, tuple)):
        return (type(nest).__name__, tuple(_structure(x) for x in nest))
    return None


def _describe(nest):
    """A nest's structure as text: ``(x, [x, x])``, ``{'a': x}`` (x: one value)."""
    if isinstance(nest, dict):
        return "{" + ", ".join(f"{k!r}: {_describe(nest[k])}" for k in sorted(nest)) + "}"
    if isinstance(nest, (list, tuple)):
        inner = ", ".join(_describe(x) for x in nest)
        return f"[{inner}]" if isinstance(nest, list) else f"({inner}{',' if len(nest) == 1 else ''})"
    return "x"


def _eager_while(cond, body, loop_vars, maximum_iterations):
    """Eager ``while_loop``: the Python loop, as TF's (``body`` returns the new loop
    variables, in the structure of ``loop_vars``; a single tensor stays single), whose
    results are then converted to tensors, as TF's are (Python numbers were returned as
    they were: a float64 1.8531167061 where TF gives float32 1.8531168)."""
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
    from .nest import map_structure
    vals = map_structure(convert_to_tensor, vals)
    if single or (len(vals) == 1 and not hasattr(loop_vars, "_fields")
                  and not isinstance(loop_vars[0], (list, tuple))):
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
        for v, s in zip(init, shapes):
            vs = v._shape
            if s is not None and vs is not None and (len(s) != len(vs) or any(
                    a is not None and b is not None and a != b for a, b in zip(s, vs))):
                raise ValueError(f"The shape invariant specified for {v.name} is not "
                                 f"compatible with the initial shape of the loop variable. "
                                 f"It enters the loop with shape {vs}, but the specified "
                                 f"shape invariant is {s}.")
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
        body_out = b
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
    # (TF: a one-element list or tuple of loop variables gives its one result)
    if isinstance(loop_vars, (list, tuple)) and not hasattr(loop_vars, "_fields") \
            and len(loop_vars) == 1 and not return_same_structure \
            and not isinstance(loop_vars[0], (list, tuple, dict)):
        return outs[0]
    # (in the structure the body returned, as TF's: list loop variables and a body
    # returning a tuple give a tuple)
    packed = _pack(body_out, list(outs))
    if len(outs) == 1 and not return_same_structure and maximum_iterations is None \
            and isinstance(packed, (list, tuple)) and not hasattr(packed, "_fields"):
        # (TF's BuildLoop: one tensor in all gives packed[0]: [i, []] gives i's result)
        return packed[0]
    return packed


def _flatten(nest, shapes=False):
    """The leaves of a nest of lists/tuples/namedtuples/dicts (a dict's values in the
    order of its sorted keys, as TF's ``nest``; a shape's list is a leaf when
    ``shapes``)."""
    if isinstance(nest, dict):
        out = []
        for k in sorted(nest):
            out.extend(_flatten(nest[k], shapes))
        return out
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
        if isinstance(s, dict):
            built = {k: build_(s[k]) for k in sorted(s)}
            return type(s)((k, built[k]) for k in s)
        if isinstance(s, (list, tuple)):
            parts = [build_(x) for x in s]
            if hasattr(s, "_fields"):
                return type(s)(*parts)
            return type(s)(parts)
        return next(it)
    return build_(structure)


__all__.append("while_loop")


def _scan_loop(fn, elems, initializer, reverse, keep_all, name, what, back_prop=True):
    """``a = fn(a, x)`` over the first axis of ``elems`` (a tensor or a nest of them),
    in a ``while_loop``; the accumulators stacked (``keep_all``) or the last one.
    ``back_prop=False``: no gradient flows through the loop (``no_backprop``)."""
    out = _scan_loop_(fn, elems, initializer, reverse, keep_all, name, what)
    return out if back_prop else no_backprop(out)


def no_backprop(out):
    """``out`` (a nest of tensors) with no gradient through it in graph mode: what
    ``back_prop=False`` of TF's ``scan``, ``foldl``, ``foldr`` and ``map_fn`` means there
    (gradients through the loop -- to its elems, its initializer and the tensors and
    variables its function reads -- are None). In eager mode TF 2 lets them flow: so
    does this."""
    if executing_eagerly():
        return out
    from . import math_ops as M
    return _pack(out, [M.stop_gradient(v) for v in _flatten(out)])


def _scan_loop_(fn, elems, initializer, reverse, keep_all, name, what):
    from . import math_ops as M
    xs = [convert_to_tensor(e) for e in _flatten(elems)]
    if not xs:
        raise ValueError(f"{what}: elems must not be empty")
    if executing_eagerly():
        return _eager_scan(fn, elems, xs, initializer, reverse, keep_all, what)
    n = M.shape(xs[0])[0]
    n_static = xs[0]._shape[0] if xs[0]._shape else None
    if n_static == 0:
        # nothing to scan (a constant empty range): the loop's body is never built, as
        # the trace of its slice of an empty axis cannot be (TF gives the same results)
        if initializer is None:
            raise ValueError(f"{what}: elems is empty and there is no initializer")
        leaves = [convert_to_tensor(a) for a in _flatten(initializer)]
        if not keep_all:
            return _pack(initializer, leaves)
        return _pack(initializer, [M.zeros(
            (0,) + tuple(a._shape) if a._shape is not None and None not in a._shape
            else M.concat([[0], M.shape(a)], 0), dtype=a._np_dtype) for a in leaves])
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
    if n_static is not None:
        for s in acc:   # one accumulator per element: TF's static first dimension
            if s._shape is not None:
                s.set_shape((n_static,) + tuple(s._shape[1:]))
    return _pack(init, acc)


def _eager_scan(fn, elems, xs, initializer, reverse, keep_all, what):
    """``_scan_loop`` in eager mode: the Python loop over the first axis (recorded by a
    tape like any eager ops)."""
    from . import math_ops as M
    n = int(xs[0].shape[0]) if len(xs[0].shape) else None
    if n is None:
        raise ValueError(f"{what}: elems must have a first dimension; got a scalar")
    order = range(n - 1, -1, -1) if reverse else range(n)
    items = [_pack(elems, [x[i] for x in xs]) for i in order]
    if initializer is None:
        if not items:
            raise ValueError(f"{what}: elems is empty and there is no initializer")
        a, items = items[0], items[1:]
    else:
        a = initializer
    kept = [a] if initializer is None else []
    for item in items:
        new = fn(a, item)
        if len(_flatten(new)) != len(_flatten(a)):
            raise ValueError(f"{what}: fn returned {len(_flatten(new))} values for an "
                             f"accumulator of {len(_flatten(a))}")
        a = new
        kept.append(a)
    if not keep_all:
        return a
    if not kept:      # (no element and an initializer: empty stacks of its shape)
        return _pack(a, [M.zeros((0,) + tuple(convert_to_tensor(v).shape),
                                 dtype=convert_to_tensor(v).dtype) for v in _flatten(a)])
    if reverse:
        kept = kept[::-1]
    flat = [_flatten(k) for k in kept]
    return _pack(kept[0], [M.stack([convert_to_tensor(f[j]) for f in flat])
                           for j in range(len(flat[0]))])


def scan(fn, elems, initializer=None, parallel_iterations=10, back_prop=True,
         swap_memory=False, infer_shape=True, reverse=False, name=None):
    """The accumulators ``a = fn(a, x)`` for each ``x`` along the first axis of
    ``elems``, stacked (``a`` starts at ``initializer``, else at ``elems[0]``).
    A ``tf.while_loop``, so it differentiates and needs no static length.

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.scan(lambda a, x: a + x, tf.constant([1, 2, 3, 4])))
    array([ 1,  3,  6, 10], dtype=int32)
    """
    return _scan_loop(fn, elems, initializer, reverse, True, name or "scan", "scan",
                      back_prop)


def foldl(fn, elems, initializer=None, parallel_iterations=10, back_prop=True,
          swap_memory=False, name=None):
    """The last accumulator of ``scan``: ``fn`` folded over ``elems`` from the left.

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.foldl(lambda a, x: a * 10 + x, tf.constant([1, 2, 3])))
    np.int32(123)
    """
    return _scan_loop(fn, elems, initializer, False, False, name or "foldl", "foldl",
                      back_prop)


def foldr(fn, elems, initializer=None, parallel_iterations=10, back_prop=True,
          swap_memory=False, name=None):
    """``fn`` folded over ``elems`` from the right (the last element first).

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.foldr(lambda a, x: a * 10 + x, tf.constant([1, 2, 3])))
    np.int32(321)
    """
    return _scan_loop(fn, elems, initializer, True, False, name or "foldr", "foldr",
                      back_prop)


__all__ += ["scan", "foldl", "foldr"]

"""Reverse-mode: walk recorded nodes from an output back to the leaves, applying rules.

First order runs each rule on raw backend arrays with the backend namespace (no Array
wrappers, no recording). ``create_graph`` runs the rules on Arrays with ndgrad itself as
the namespace, so the gradient is recorded and can be differentiated again.
"""
from __future__ import annotations

import threading

import weakref
from sys import getrefcount as _refs

import numpy as np

from .._backend import backend_of, numpy_backend
from .._fperr import ignore as _quiet, restore as _loud
from .._ops import registry as _registry
from .._ops.registry import new_node, SELECT, FREED, grad_state, wrap, own_copy  # noqa: F401 (functional)

_ndarray = np.ndarray
# reference counts prove a buffer dead (CPython 3.11-3.13 with the GIL: see registry)
_REUSE = _registry._REUSE
_npx = numpy_backend.xp
_np_add = np.add


def make_leaf(array):
    """Mark ``array`` as a leaf of gradient computations (``requires_grad_``)."""
    if array.dtype.kind not in "fc":
        raise TypeError(f"only floating arrays have gradients; this array is {array.dtype} "
                        "(cast it with astype first)")
    node = new_node(None, (), None, None, None, ())
    node.leaf = weakref.ref(array)
    array._node = node
    return node


def retain(array):
    """Make backward store this non-leaf's gradient in ``.grad`` too."""
    node = array._node
    node.leaf = weakref.ref(array)


def _dependencies(roots, stop, inner=True, through=False):
    """How many consumers each node reachable from ``roots`` has (not past ``stop``).

    With ``stop`` nodes (the functional verbs), a node from which no stop node can be
    reached (an outer trace's variable or a requires_grad array that ``f`` closes over)
    gets no count that can reach zero: backward never runs its rule, never frees its
    saved values and never writes its ``.grad`` (PyTorch's ``autograd.grad`` likewise).
    ``inner``: some stop node is no leaf (has parents, which the walk must not pass);
    with leaves only, membership is asked at source nodes alone. ``through``: the walk
    passes stop nodes (``run_backward``'s ``through``; ``inner`` is then False)."""
    if len(roots) == 1 and not inner:
        deps, outside = _dependencies_walk(roots[0], stop)
        if outside and stop:
            _prune(roots, stop, deps, through)
        return deps
    deps = {}
    if len(roots) == 1:
        stack = [roots[0]]
        rootset = ()
    else:
        stack = list(dict.fromkeys(roots))
        # a root that is also an ancestor of another root (vjp of [s, 2 * s]) is walked
        # once: walking it twice would count its parents twice, and they would never be
        # processed
        rootset = set(stack) if len(stack) > 1 else ()
    outside = False
    push = stack.append
    pop = stack.pop
    node = pop()
    while True:
        if not inner or node not in stop:
            parents = node.parents
            # the first parent seen for the first time is walked next, without a trip
            # through the stack (a chain of ops: no stack at all)
            nxt = None
            source = True
            for p in parents:
                if p is None:
                    continue
                source = False
                if p in deps:
                    deps[p] += 1
                else:
                    deps[p] = 1
                    if p not in rootset:
                        if nxt is None:
                            nxt = p
                        else:
                            push(p)
            if source and (inner or node not in stop):
                outside = True   # (a source that is no stop node: see _prune)
            if nxt is not None:
                node = nxt
                continue
        if not stack:
            break
        node = pop()
    if outside and stop:
        _prune(roots, stop, deps, through)
    return deps


def _dependencies_walk(root, stop):
    """``_dependencies`` for one root where the walk passes every node (``inner`` False):
    the counts, and whether a source that is no stop node was met. A node with one
    parent that wants a cotangent (a unary op, or an op on an array and a constant: most
    nodes) takes the first branch, where a parent seen for the first time is walked next
    without a trip through the stack."""
    deps = {}
    stack = []
    push = stack.append
    pop = stack.pop
    node = root
    outside = False
    while True:
        parents = node.parents
        n = len(parents)
        if n == 1 or n == 2 and parents[1] is None:
            p = parents[0]
            if p is not None:
                if p in deps:
                    deps[p] += 1
                else:
                    deps[p] = 1
                    node = p
                    continue
            elif node not in stop:
                outside = True   # (a source that is no stop node: see _prune)
        else:
            source = True
            for p in parents:
                if p is not None:
                    source = False
                    if p in deps:
                        deps[p] += 1
                    else:
                        deps[p] = 1
                        push(p)
            if source and node not in stop:
                outside = True
        if not stack:
            return deps, outside
        node = pop()


def _dependencies_cut(roots, stop, cut):
    """``_dependencies`` for a walk that passes the stop nodes (``through``) and ends at
    the ``cut`` nodes: they are counted as their consumers' parents, and never walked."""
    deps = {}
    stack = list(dict.fromkeys(roots))
    seen = set(stack)
    outside = False
    while stack:
        node = stack.pop()
        if node in cut:
            continue
        source = True
        for p in node.parents:
            if p is None:
                continue
            source = False
            deps[p] = deps.get(p, 0) + 1
            if p not in seen:
                seen.add(p)
                stack.append(p)
        if source and node not in stop:
            outside = True
    if outside and stop:
        _prune(roots, stop, deps, True, cut)
    return deps


_NEVER = 1 << 62  # a dependency count no backward pass counts down to zero


def _prune(roots, stop, deps, through=False, cut=()):
    """Mark the nodes that cannot reach a stop node (see ``_dependencies``)."""
    children = {}
    for node in list(deps) + list(roots):
        if node in stop and not through or node in cut:
            continue
        for p in node.parents:
            if p is not None:
                children.setdefault(p, []).append(node)
    relevant = set(stop)
    stack = list(stop)
    while stack:
        for c in children.get(stack.pop(), ()):
            if c not in relevant:
                relevant.add(c)
                stack.append(c)
    for node in deps:
        if node not in relevant:
            deps[node] = _NEVER


def _unbroadcast(xp, g, shape):
    """Sum ``g`` down to ``shape`` (the one place broadcasting is undone)."""
    gshape = g.shape
    lead = len(gshape) - len(shape)
    if type(g) is _ndarray and g.dtype.kind in "fc" and lead >= 0:
        # NumPy (integer lengths): its own reduction and reshape, without the namespace's
        # wrappers and generator expressions (microseconds per call on small arrays)
        if gshape == shape:
            return g
        if lead == 1 and gshape[1:] == shape:
            # (a bias's cotangent: summed over the one leading axis; the commonest case)
            r = _np_add.reduce(g, axis=0)
            return r if type(r) is _ndarray else np.asarray(r)
        kept = [i + lead for i, s in enumerate(shape) if s == 1 and gshape[i + lead] != 1]
        r = g
        if kept:
            r = _np_add.reduce(g, axis=tuple(range(lead)) + tuple(kept), keepdims=True)
            r = r.reshape(shape)
        elif lead:
            r = _np_add.reduce(g, axis=tuple(range(lead)) if lead > 1 else 0)
        if type(r) is not _ndarray:
            r = np.asarray(r)
        if r.shape == tuple(shape):
            return r
        # (shapes that do not broadcast: the general path below says so)
    if tuple(gshape) == shape:
        return g
    if len(gshape) == len(shape) and all(a == b or a != a for a, b in zip(gshape, shape)):
        return g   # (a Dask length not known yet is nan: it matches itself)
    axes = tuple(range(lead)) + tuple(
        i + lead for i, s in enumerate(shape) if s == 1 and gshape[i + lead] != 1)
    if axes:
        g = xp.sum(g, axis=axes, keepdims=True)
    if lead or tuple(g.shape) != shape:
        g = xp.reshape(g, shape)
    return g


def _zeros_for(xp, node, k, ref):
    # a multi-output op's output that received no gradient
    shape = node.ans[k].shape if node.ans is not None else None
    return xp.zeros_like(node.ans[k]) if shape is not None else None


def _raw(g):
    """NumPy ufuncs give scalars for 0-d results; arrays hold 0-d arrays instead."""
    return np.asarray(g) if isinstance(g, np.generic) else g


def run_backward(roots, root_grads, *, retain_graph=False, create_graph=False, stop=(),
                 through=False, cut=()):
    """Propagate ``root_grads`` from ``roots``; returns {node: grad} for nodes in ``stop``
    and accumulates into ``.grad`` of leaves (and retained arrays) otherwise.

    ``through``: the stop nodes are sources whose whole cotangent is returned while the
    walk goes on past them (TensorFlow's sources: ``tape.gradient(y, [x, z])`` with
    ``z = f(x)`` gives ``x`` the total derivative, through ``z`` too). Without it the
    walk ends at a stop node (the verbs' fresh inputs, which are leaves).

    ``cut`` (with ``through``): recorded nodes that are constants to this pass -- no
    cotangent goes past them, and their rules never run (an eager ``GradientTape``'s
    pass, for the nodes another tape recorded). A cut node in ``stop`` still gets its
    cotangent.

    A node is processed once every consumer has sent its cotangent (dependency counts),
    so each rule runs once with the summed cotangent.
    """
    if type(stop) is not set:
        stop = stop if isinstance(stop, (set, frozenset)) else set(stop)
    # a stop node that is no leaf (a recorded op: GradientTape's source in the middle of
    # a computation, a verb's input inside an outer trace) must be caught before its rule
    # runs; leaf stops (the verbs' fresh inputs) are caught where leaves are handled
    inner = False
    for n in stop:
        if n.op is not None or n.parents:
            inner = True
            break
    deps = (_dependencies(roots, stop, inner and not through, through) if not cut else
            _dependencies_cut(roots, stop, cut))
    if len(roots) == 1:
        r = roots[0]
        grads = {r: root_grads[0]}
        ready = [r] if r not in deps else []
    else:
        grads = {}
        for r, g in zip(roots, root_grads):
            grads[r] = grads[r] + g if r in grads else g
        ready = [r for r in dict.fromkeys(roots) if r not in deps]
    accumulate = not stop
    # cotangents ``.grad`` must not share: the roots' (the caller's) and those given out
    given = set(_buffer_id(g._data if isinstance(g, _registry.Array) else g)
                for g in root_grads) if accumulate else None
    found = {}
    prev = _registry.saved_grad_mode()
    grad_state.enabled = create_graph
    try:
        # The rules run with NumPy's floating-point error reports off (PyTorch's and JAX's
        # backward report none either): the user's np.errstate/seterr is about the
        # program they wrote, and a rule's guarded division (``where(x == 0, 0, g / x)``)
        # or an underflow inside a derivative formula is no error of theirs. A gradient
        # that is inf or NaN is returned as such; the caller's error state is restored.
        token = _quiet()
        try:
            if not create_graph and not cut:
                _first_order(ready, grads, deps, stop, found, retain_graph, given, inner,
                             through)
            else:
                _general(ready, grads, deps, stop, found, retain_graph, create_graph,
                         given, through, cut)
        finally:
            _loud(token)
    finally:
        _registry.restore_grad_mode(prev)
    return found


def _first_order(ready, grads, deps, stop, found, retain_graph, given, inner=True,
                 through=False):
    """The first-order walk: NumPy cotangents go through the raw rules inline; anything
    else (leaves, other backends, multi-output ops) is handed to ``_process``.

    A parent that becomes ready is carried straight to the next iteration (the common
    chain: one consumer per node), without a trip through ``grads`` and ``ready``.
    ``inner``: some stop node is a recorded op (else every stop node is a leaf, which
    takes the branch for leaves, where it is caught). ``through``: a stop node's
    cotangent is recorded and the node processed as any other (``run_backward``); a
    recorded cotangent is one reference more, so no rule writes into it."""
    pop = ready.pop
    push = ready.append
    gpop = grads.pop
    gget = grads.get
    xp = _npx
    ndarray = _ndarray
    node = None
    g = None
    while True:
        if node is None:
            if not ready:
                return
            node = pop()
            g = gpop(node, None)
        if inner and node in stop:
            if g is not None:
                found[node] = _raw(g)
            if not through:
                node = None
                continue
        op = node.op
        inputs = node.inputs    # (one per parent, or None: the rule reads none)
        if (type(g) is not ndarray or op is None or not op.rule1 or node.leaf is not None
                or inputs is FREED):
            if not inner and stop and node in stop:   # (a leaf stop node)
                if g is not None:
                    found[node] = _raw(g)
                node = None
                continue
            _process(node, g, grads, deps, push, retain_graph, False, given)
            node = None
            continue
        parents = node.parents
        n_par = len(parents)
        params = node.params
        # (one or two inputs are passed one by one: a call with *inputs costs more than
        # many a rule's arithmetic on small arrays)
        if op.needs_mask:
            if inputs is None:
                inputs = (None,) * n_par
            if n_par == 2:
                needs = (parents[0] is not None, parents[1] is not None)
                if params:
                    gins = op.vjp(xp, g, node.ans, inputs[0], inputs[1], **params,
                                  _needs=needs)
                else:
                    gins = op.vjp(xp, g, node.ans, inputs[0], inputs[1], _needs=needs)
            else:
                needs = tuple(p is not None for p in parents)
                gins = op.vjp(xp, g, node.ans, *inputs, **params, _needs=needs)
        elif params:
            gins = op.vjp(xp, g, node.ans, *(inputs or (None,) * n_par), **params)
        elif inputs is None:
            if n_par == 2 and op.passes_first and parents[1] is None:
                # x + c, x - c: the rule's first cotangent is g itself (``passes_first``);
                # the call is skipped
                gins = (g, None)
            else:
                gins = (op.vjp(xp, g, node.ans, None) if n_par == 1 else
                        op.vjp(xp, g, node.ans, None, None) if n_par == 2 else
                        op.vjp(xp, g, node.ans, *(None,) * n_par))
        elif n_par == 1:
            gins = op.vjp(xp, g, node.ans, inputs[0])
        elif n_par == 2:
            gins = op.vjp(xp, g, node.ans, inputs[0], inputs[1])
        else:
            gins = op.vjp(xp, g, node.ans, *inputs)
        if not retain_graph and (node.inputs is not None or node.ans is not None):
            # (a rule that saved nothing can run again, as PyTorch's: (x + 1).sum()'s
            # second backward() was refused)
            node.inputs = FREED
            node.ans = None
        nxt = None
        p = parents[0]
        if p is not None and (n_par == 1 or n_par == 2 and parents[1] is None):
            # one parent that wants a cotangent (a unary op, or a constant second
            # operand): the loop below, unrolled
            gi = gins[0]
            if gi is not None and deps[p] == 1 and gget(p) is None:
                # the chain: this node is p's only consumer, and no other cotangent
                # waits for p: p is next, with gi alone (held once: a rule may prove it
                # dead; below, _add_into counts the result tuple's reference)
                gins = None
                shape = node.shapes[0]
                if shape is not None and gi.shape != shape:
                    gi = _unbroadcast(xp, gi, shape)
                node = p
                g = gi
                gi = None
                continue
            left = deps[p] - 1
            if left:
                deps[p] = left   # (a count that reached zero is never read again)
            if gi is not None:
                shape = node.shapes[0]
                if shape is not None and gi.shape != shape:
                    gi = _unbroadcast(xp, gi, shape)
                prev_g = gget(p)
                if prev_g is not None:
                    gi = _add_into(prev_g, gi)
                    if not left:
                        del grads[p]
                if left:
                    grads[p] = gi
                else:
                    nxt = p
                    ng = gi
            elif not left:
                nxt = p
                ng = gpop(p, None)
            gins = gi = prev_g = None
            node = nxt
            g = ng if nxt is not None else None
            ng = None      # (the carried cotangent held once: a rule may prove it dead)
            continue
        k = 0
        shapes = node.shapes
        for p in parents:
            if p is not None:
                gi = gins[k]
                left = deps[p] - 1
                if left:
                    deps[p] = left
                if gi is not None:
                    shape = shapes[k]
                    if shape is not None and gi.shape != shape:
                        gi = _unbroadcast(xp, gi, shape)
                    prev_g = gget(p)
                    if prev_g is not None:
                        gi = _add_into(prev_g, gi)
                    if left or nxt is not None:
                        grads[p] = gi
                    else:
                        if prev_g is not None:
                            del grads[p]
                        nxt = p
                        ng = gi
                        k += 1
                        continue
                if not left:
                    if nxt is None:
                        nxt = p
                        ng = gpop(p, None)
                    else:
                        push(p)
            k += 1
        # drop the rule's results now: one accumulated in place must not stay alive
        # through the next rule (a large backward's peak)
        gins = gi = prev_g = None
        node = nxt
        g = ng if nxt is not None else None
        ng = None


def _add_into(acc, gi):
    """``acc + gi`` for cotangent accumulation, written into a buffer only the engine
    holds: ``acc`` (the cotangent waiting in ``grads``) or else ``gi`` (a rule's fresh
    result), when reference counts prove it (not a cotangent also sent to another node,
    not the caller's ``gradient=``, not a view, not a read-only view of a saved value)
    and the sum has its dtype and shape; else a new array. Saves one array per
    accumulation at the peak of a large backward, and its page faults. (Addition is
    commutative bit for bit, so either buffer gives the same sum.)

    Called from ``_first_order`` only, as ``gi = _add_into(prev_g, gi)``: ``acc`` is held
    by ``grads``, the caller's ``prev_g``, the parameter and getrefcount's argument (4);
    ``gi`` by the rule's result tuple, the caller's ``gi``, the parameter and getrefcount's
    argument (4). One reference more anywhere (a user's name, another node's cotangent,
    a result tuple holding it twice) means alive."""
    if type(acc) is _ndarray and type(gi) is _ndarray and _REUSE:
        if acc.shape == gi.shape and acc.dtype == gi.dtype:
            if acc.base is None and _refs(acc) == 4 and acc.flags.writeable:
                return _np_add(acc, gi, out=acc)
            if gi.base is None and _refs(gi) == 4 and gi.flags.writeable:
                return _np_add(acc, gi, out=gi)
    return acc + gi


def _general(ready, grads, deps, stop, found, retain_graph, create_graph, given,
             through=False, cut=()):
    """The walk for ``create_graph`` (rules on Arrays, recorded) and for passes with
    ``cut`` nodes: every node through ``_process``."""
    push = ready.append
    while ready:
        node = ready.pop()
        g = grads.pop(node, None)
        if stop and node in stop:
            if g is not None:
                found[node] = np.asarray(g) if isinstance(g, np.generic) else g
            if not through:
                continue
        if cut and node in cut:
            continue
        _process(node, g, grads, deps, push, retain_graph, create_graph, given)


def _process(node, g, grads, deps, push, retain_graph, create_graph, given):
    """One node, any kind: a leaf's ``.grad``, a multi-output slot, a rule on any backend;
    then its parents' dependency counts."""
    if type(g) is not _ndarray and isinstance(g, np.generic):
        # NumPy gives scalars for 0-d results: cotangents are arrays everywhere
        g = np.asarray(g)
    op = node.op
    parents = node.parents
    if g is not None:
        if node.leaf is not None and given is not None:
            _accumulate_leaf(node, g, create_graph, given)
        if op is None:
            pass
        elif op is SELECT:
            main = parents[0]
            slots = grads.get(main)
            if slots is None:
                slots = grads[main] = [None] * node.params["n"]
            k = node.params["k"]
            slots[k] = g if slots[k] is None else slots[k] + g
        else:
            _apply_rule(node, op, g, grads, create_graph)
            if not retain_graph and (node.inputs is not None or node.ans is not None):
                node.inputs = FREED
                node.ans = None
    for p in parents:
        if p is not None:
            left = deps[p] - 1
            deps[p] = left
            if not left:
                push(p)


def read_only(d):
    """A cotangent a user-written rule returned (``custom_vjp``'s bwd, an
    ``ndgrad.autograd`` vjp), as backward keeps it: the user may still hold that array (a
    residual, a constant), so a NumPy one is passed on as a read-only view, which
    backward never writes into and copies before handing it out (``.grad``, the verbs'
    results). Without it a gradient could be the user's own array: a write into either
    would change the other."""
    if type(d) is _ndarray and d.flags.writeable:
        d = d.view()
        d.flags.writeable = False
    return d


def _buffer_id(d):
    """The id of the buffer ``d`` views (its last array base): a reshape or transpose of
    a buffer already given out is the same buffer (by ``id(d)`` alone, x.reshape(4) + w
    gave x.grad and w.grad one buffer: scaling w.grad in place scaled x.grad)."""
    while True:
        b = getattr(d, "base", None)
        if b is None or type(b) is not type(d):
            return id(d)
        d = b


def _writeable(d):
    """Whether a backend array may be written (NumPy's broadcast views may not)."""
    return type(d) is not _ndarray or d.flags.writeable


# ``.grad`` accumulation from several threads' backward passes on one leaf (Hogwild
# training): one read-add-write at a time, so that none is lost (PyTorch's AccumulateGrad
# takes a lock too); 4 threads x 50 backward() of sum(w * 3) left w.grad at 288 for 600
_LEAF_GRAD = threading.Lock()


def _accumulate_leaf(node, g, create_graph, given):
    arr = node.leaf()
    if arr is None:
        return
    with _LEAF_GRAD:
        old = getattr(arr, "_grad", None)
        if old is None:
            # ``.grad`` is the array's own: never the caller's ``gradient=`` buffer, nor
            # the same buffer as another array's ``.grad`` (an in-place update of one would
            # change the other)
            gd = g._data if isinstance(g, _registry.Array) else g
            if _buffer_id(gd) in given or not _writeable(gd):
                gd = own_copy(gd)
                g = wrap(gd, g._node) if isinstance(g, _registry.Array) else gd
            given.add(_buffer_id(gd))
        if not create_graph and not isinstance(g, _registry.Array):
            g = wrap(_raw(g))
        g = as_primal_dtype(g, arr.dtype)
        if old is None:
            arr._grad = g
        elif (not create_graph and type(old) is _registry.Array and old._node is None
              and type(old._data) is _ndarray and old._data.flags.writeable
              and old.shape == g.shape and old.dtype == g.dtype):
            # in place, as PyTorch's AccumulateGrad (h = x.grad saw no later backward);
            # through the write machinery, so a rule that saved old's buffer keeps it
            # (and a 0-d .grad is written, not rebound)
            from .inplace import write
            write(old, Ellipsis, old._data + g._data)
        else:
            arr._grad = old + g


def as_primal_dtype(g, dtype):
    """A cotangent in its primal's dtype (JAX's convention): the real part for a real
    primal (a real input that went through complex values), complex for a complex one,
    the primal's precision (float32 stays float32 when mixed with float64 constants)."""
    gd = g.dtype
    if gd == dtype:
        return g
    from .._ops.dtype_functions import astype
    if gd.kind == "c" and dtype.kind != "c":
        from .._ops.elementwise import real
        g = real(g)
        if g.dtype == dtype:
            return g
    return astype(g, dtype)


def _apply_rule(node, op, g, grads, create_graph):
    if node.inputs is FREED:
        raise RuntimeError(
            f"backward through the graph a second time (op {op.name}): its saved values "
            "were freed by the first backward; pass retain_graph=True to the first call")
    inputs = node.inputs
    ans = node.ans
    if create_graph:
        xp = _ndgrad()
        if inputs is not None:
            inputs = tuple(wrap(d, p) if hasattr(d, "shape") else d
                           for d, p in zip(inputs, node.parents))
        if ans is not None:
            if op.multi:
                n = len(ans)
                ans = tuple(wrap(a, new_node(SELECT, (node,), None, None, {"k": k, "n": n},
                                         (None,))) for k, a in enumerate(ans))
            else:
                ans = wrap(ans, node)
        if type(g) is not list and not isinstance(g, _registry.Array):
            g = wrap(g)
    else:
        first = g if type(g) is not list else next(x for x in g if x is not None)
        t = type(first)
        xp = _npx if t is _ndarray or isinstance(first, np.generic) else backend_of(first).xp
    if inputs is None:
        inputs = (None,) * len(node.parents)
    if type(g) is list:
        g = [gi if gi is not None else (xp.zeros_like(ans[k]) if ans is not None else None)
             for k, gi in enumerate(g)]
    params = node.params
    if op.needs_mask:
        params = dict(params, _needs=tuple(p is not None for p in node.parents))
    gins = op.vjp(xp, g, ans, *inputs, **params) if params else op.vjp(xp, g, ans, *inputs)
    for parent, gi, shape in zip(node.parents, gins, node.shapes):
        if parent is None or gi is None:
            continue
        if shape is not None and gi.shape != shape:
            gi = _unbroadcast(xp, gi, shape)
        prev_g = grads.get(parent)
        grads[parent] = gi if prev_g is None else prev_g + gi


def _ndgrad():
    import ndgrad
    return ndgrad


def backward(array, gradient=None, *, retain_graph=False, create_graph=False):
    """``array.backward()``: accumulate into ``.grad`` of every leaf it depends on."""
    node = array._node
    if node is None:
        raise RuntimeError("backward() on an array that does not require grad: no input of "
                           "its computation had requires_grad=True")
    if gradient is None:
        if array.size != 1:
            raise RuntimeError(f"backward() without a gradient needs a one-element output; "
                               f"this one has shape {array.shape} (pass gradient=)")
        d = array._data
        if type(d) is _ndarray:
            g = np.empty(d.shape, d.dtype)   # (np.ones_like's Python layers, skipped)
            g.fill(1)
        else:
            g = backend_of(d).xp.ones_like(d)
    else:
        from .._ops.creation import asarray
        gdt = getattr(gradient, "dtype", None)
        gdt = np.dtype(gdt) if gdt is not None else np.asarray(gradient).dtype
        if gdt.kind == "c" and array.dtype.kind != "c":
            # (its imaginary part was dropped with NumPy's ComplexWarning; PyTorch refuses)
            raise TypeError(f"backward(gradient=...) of dtype {gdt} for a real output of "
                            f"dtype {array.dtype}: the gradient must be real")
        ga = asarray(gradient, dtype=array.dtype, device=array.device)
        if ga.shape != array.shape:
            raise ValueError(f"backward(gradient=...) shape {ga.shape} does not match the "
                             f"output's shape {array.shape}")
        g = ga._data if not create_graph else ga
    if create_graph and not isinstance(g, _registry.Array):
        g = wrap(g)
    run_backward([node], [g], retain_graph=retain_graph or create_graph,
                 create_graph=create_graph)

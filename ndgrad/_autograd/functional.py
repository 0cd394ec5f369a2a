"""Functional verbs: grad, value_and_grad, vjp, jvp, jacobian, hessian, custom_vjp,
check_grads. They nest to any order: a verb called while an outer one is tracing
records its own gradient computation (create_graph), which the outer one differentiates.
"""
from __future__ import annotations

import functools

import numpy as np

from .._backend import to_numpy as _to_numpy
from .._ops import registry as _registry
from .._ops.registry import new_node, defop, wrap, grad_state, sole_owner
from .._ops.registry import Node as _Node
from .._ops.registry import saved_grad_mode as _saved_mode, restore_grad_mode as _restore_mode
from .._ops.registry import _DEFAULT_MODE

_new = object.__new__
from .._ops.sharing import _SHARED, _COUNTS, shared_now
from sys import getrefcount as _refs
from .backward import run_backward, make_leaf, as_primal_dtype, _writeable, own_copy
from .pytree import flatten
from .forward_mode import tangents_by_transpose


# how many verbs are tracing in this thread: the per-thread recording state
_tracing = grad_state

# nd.jit's hook (ndgrad/graph/jit.py fills it when imported): while a jit trace runs in
# this thread, each verb hands its call to the module's graph-building version
JIT = {"tracing": None, "module": None}


def _in_jit():
    t = JIT["tracing"]
    return t is not None and t()


def _identity_forward(xp, x):
    return x


_TRACE_INPUT = defop("trace_input", _identity_forward, lambda xp, g, ans, x: (g,), save="none")


def _start(x):
    """A fresh array standing for input ``x`` whose gradient we want.

    It shares ``x``'s buffer (no copy), so ``x`` is marked as saved: a later write into
    ``x`` (or a constant sharing its memory) copies first and never changes the values
    the recorded rules read (the mark stays: a graph ``f`` recorded may outlive the call,
    and the cost is one copy at the next write). A write into the fresh array inside
    ``f`` copies too (it is recording), so the caller's ``x`` keeps its values.
    """
    from .._ops.creation import asarray
    given = x
    if not isinstance(x, _registry.Array):
        x = asarray(x, copy=True) if isinstance(x, np.ndarray) else asarray(x)
        if x.dtype.kind in "iub":
            raise TypeError(f"grad needs floating inputs; got an integer/boolean value of "
                            f"dtype {x.dtype} (use 1.0, not 1, or astype)")
    if x.dtype.kind not in "fc":
        raise TypeError(f"cannot differentiate with respect to an input of dtype {x.dtype}: "
                        "only floating arrays have gradients")
    d = input_buffer(x)
    if x._node is not None and grad_state.enabled:
        # inside an outer trace: stay connected to it
        return wrap(d, new_node(_TRACE_INPUT, (x._node,), None, None, {}, (x.shape,)))
    t = wrap(d)
    if (not d.shape and getattr(x, "_array0d", False)
            and not isinstance(given, (int, float, complex, np.generic))):
        t._array0d = True   # a 0-d array stays one (x += 1 inside f writes, as NumPy's)
    make_leaf(t)
    t._node.leaf = None  # gradients come back to the caller, not into .grad
    return t


class _Starts:
    """The traced inputs of one verb call: per argument number, the fresh arrays, how to
    rebuild the argument's pytree, and the nodes the gradient is read at. The nodes are
    taken before ``f`` runs: a write into an input inside ``f`` gives the input a new
    node, and the gradient is the one with respect to the value ``f`` was called with."""

    __slots__ = ("arrays", "rebuilds", "nodes", "flat")

    def __init__(self):
        self.arrays, self.rebuilds, self.nodes = {}, {}, {}
        self.flat = []

    def add(self, n, leaves, rebuild):
        st = [_start(l) for l in leaves]
        self.arrays[n] = st
        self.rebuilds[n] = rebuild
        self.nodes[n] = nodes = [s._node for s in st]
        self.flat.extend(nodes)
        return rebuild(st)


def _vjp_setup(f, args, argnums):
    single = isinstance(argnums, int)
    nums = (argnums,) if single else tuple(argnums)
    args = list(args)
    starts = _Starts()
    for n in nums:
        leaves, rebuild = flatten(args[n])
        args[n] = starts.add(n, leaves, rebuild)
    prev = _saved_mode()
    grad_state.enabled = True
    _tracing.depth += 1
    try:
        out = f(*args)
    finally:
        _tracing.depth -= 1
        _restore_mode(prev)
    return out, starts, nums, single


class _Seed:
    """grad's own cotangent: ones of the output's shape."""


_SEED = _Seed()


def _pullback(out, starts, nums, single, cotangent, create_graph, retain=False):
    """Run backward from ``out`` with ``cotangent``; the gradients for the traced inputs,
    in their pytree structure (zeros for inputs the output does not depend on)."""
    from .._ops.creation import asarray, ones_like
    out_leaves, _ = flatten(out)
    cot_leaves, _ = flatten(cotangent)
    roots, gs = [], []
    given = set()   # the caller's cotangents: no gradient handed back may be one of them
    for o, c in zip(out_leaves, cot_leaves):
        if not isinstance(o, _registry.Array) or o._node is None:
            continue
        if c is _SEED:
            # grad's own cotangent: ones of the output's shape (any size-1 shape)
            roots.append(o._node)
            if type(o._data) is np.ndarray and not create_graph:
                gs.append(np.ones(o._data.shape, o._data.dtype))
            else:
                ca = ones_like(o)
                gs.append(ca if create_graph else ca._data)
            continue
        ca = asarray(c, dtype=o.dtype, device=o.device)
        if ca.shape != o.shape:
            raise ValueError(f"cotangent shape {ca.shape} does not match the output's shape "
                             f"{o.shape}")
        roots.append(o._node)
        gs.append(ca if create_graph else ca._data)
        given.add(id(ca._data))
    stop = set(starts.flat)
    found = run_backward(roots, gs, retain_graph=create_graph or retain,
                         create_graph=create_graph, stop=stop) if roots else {}
    results = []
    for n in nums:
        gl = []
        for s, node in zip(starts.arrays[n], starts.nodes[n]):
            gl.append(_input_grad(found.get(node), s, create_graph, given))
        results.append(starts.rebuilds[n](gl))
    return results[0] if single else tuple(results)


def _input_grad(g, x, create_graph, given):
    """The gradient handed back for input ``x`` from backward's cotangent ``g`` (None:
    ``f`` does not depend on it): zeros then, else ``g`` in ``x``'s dtype; first-order
    gradients are each the caller's own writable array, as NumPy's results are."""
    if g is None:
        from .._ops.creation import zeros_like
        return zeros_like(wrap(x._data))
    if type(g) is np.ndarray and not create_graph and g.dtype == x._data.dtype:
        if not g.flags.writeable or id(g) in given:
            # a broadcast view (sum's rule: ones spread over the input's shape), or a
            # cotangent already handed to another input: a copy of its own (the general
            # path below, without its wrappers: about 3 us less a call)
            g = g.copy()
        given.add(id(g))
        return wrap(g)  # the common case: a fresh NumPy cotangent of the input's dtype
    if not isinstance(g, _registry.Array):
        g = wrap(g)
    g = as_primal_dtype(g, x.dtype)
    if not create_graph:
        gd = g._data
        if id(gd) in given or not _writeable(gd):
            # one cotangent reached two inputs (x + y), or it is a broadcast view: each
            # input gets its own array, writable as NumPy's
            g = wrap(own_copy(gd))
        given.add(id(g._data))
    return g


def _keeps_recording(primals):
    """Whether a verb's results must stay recorded: inside an outer verb, or when a
    primal takes part in a gradient computation (a requires_grad array, whose
    ``backward()`` must see through ``jvp`` and ``jacobian``)."""
    if _tracing.depth > 0:
        return True
    return grad_state.enabled and any(
        isinstance(p, _registry.Array) and p._node is not None for p in flatten(primals)[0])


def _create_graph_needed(starts):
    """Whether the gradient must be recorded: inside an outer verb, or when an input is
    connected to an outer recorded computation. A start that only stands for another
    start of this call (a repeated argnum) is no outer computation: the results of a
    call at top level then stay unrecorded (plain values, as for distinct argnums)."""
    if _tracing.depth > 0:
        return True
    own = starts.flat
    return any(node.op is not None and any(p not in own for p in node.parents)
               for node in own)


def value_and_grad(f, argnums=0, has_aux=False, holomorphic=False):
    """``f``'s value and its gradient with respect to argument(s) ``argnums``.

    ``f`` must return a real floating value of one element (shape ``()``, ``(1,)``,
    ``(1, 1)`` ...), or ``(value, aux)`` with ``has_aux``. Arguments may be nests of
    lists/tuples/dicts of arrays; the gradient has the same structure, and each
    cotangent has its input's dtype.

    Complex numbers follow JAX's (and HIPS autograd's) conventions. For a real-valued
    ``f`` of a complex ``z = x + iy`` the gradient is ``df/dx - i df/dy``, the conjugate
    of the direction of steepest ascent (so ``z - lr * conj(grad)`` descends; for
    ``|z|**2`` at ``3+4j`` it is ``6-8j``). A complex-valued ``f`` raises TypeError unless ``holomorphic=True``, which
    gives the complex derivative ``f'(z)`` of a holomorphic ``f`` of complex inputs.

    >>> import ndgrad as nd
    >>> v, g = nd.value_and_grad(lambda x: nd.sum(x ** 2))(nd.asarray([1.0, 2.0]))
    >>> float(v), g
    (5.0, array([2., 4.]))
    >>> nd.grad(lambda z: z ** 2, holomorphic=True)(1 + 2j)
    np.complex128(2+4j)
    """
    plain_nums = (argnums,) if type(argnums) is int else tuple(argnums)

    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        t = JIT["tracing"]
        if t is not None and t():   # (_in_jit)
            return JIT["module"].value_and_grad(f, argnums, has_aux, holomorphic, args,
                                                kwargs)
        if not holomorphic and _plain_inputs(args, plain_nums):
            return _plain_value_and_grad(f, args, kwargs, plain_nums,
                                         type(argnums) is int, has_aux)
        if not holomorphic and _plain_sequence_inputs(args, plain_nums):
            return _plain_sequence_value_and_grad(f, args, kwargs, plain_nums,
                                                  type(argnums) is int, has_aux)
        if holomorphic:
            _check_holomorphic_inputs(args, argnums)
        xs = [l for n in plain_nums if type(n) is int and -len(args) <= n < len(args)
              for l in flatten(args[n])[0] if type(l) is _registry.Array]
        was_saved = [getattr(x, "_saved", False) for x in xs]
        out, starts, nums, single = _vjp_setup(lambda *a: f(*a, **kwargs), args, argnums)
        create = _create_graph_needed(starts)
        out, aux = _scalar_out(out, has_aux, holomorphic)
        g = _pullback(out, starts, nums, single, _SEED, create)
        value = out if create else _value_of(out)
        if not create:
            del out, starts  # (the fresh leaves share the inputs' buffers)
            _unmark_saved(xs, was_saved)
        if has_aux:
            return (value, aux), g
        return value, g
    return wrapper


def _plain_inputs(args, nums):
    """Whether ``value_and_grad`` may take its plain path: no verb is tracing in this
    thread, and each differentiated argument is an ndgrad real floating array on NumPy
    that takes part in no recorded computation (so no ``create_graph``, no pytrees)."""
    if grad_state.depth or (len(nums) > 1 and len(set(nums)) < len(nums)):
        return False  # (a repeated argnum: the general path links the two traces)
    n_args = len(args)
    for n in nums:
        if type(n) is not int or not 0 <= n < n_args:
            return False
        x = args[n]
        if type(x) is not _registry.Array or x._node is not None:
            return False
        d = x._data
        if type(d) is not np.ndarray or d.dtype.kind != "f":
            return False
    return True


def _plain_value_and_grad(f, args, kwargs, nums, single, has_aux):
    """``value_and_grad``'s common case (see ``_plain_inputs``), with the general path's
    results and checks and less of its fixed cost: one fresh leaf per differentiated
    argument (over its buffer; the argument is marked saved: see ``_start``), ``f``, one
    first-order backward, the gradients. (``_start``, ``_scalar_out``, ``_input_grad``
    and ``_value_of``, inlined for the common case.)"""
    args = list(args)
    xs = []
    nodes = []
    x = d = node = g = t = None
    for n in nums:
        x = args[n]
        xs.append(x)
        d = input_buffer(x)
        node = _Node()   # (new_node(None, (), ...) inlined: a leaf, no .grad)
        node.op = node.inputs = node.ans = node.params = node.leaf = None
        node.parents = node.shapes = ()
        nodes.append(node)
        t = _new(_registry.Array)
        t._data = d
        t._node = node
        if not d.shape and getattr(x, "_array0d", False):
            t._array0d = True   # (as _start)
        args[n] = t
    state = grad_state
    prev = state.__dict__.get("enabled", _DEFAULT_MODE)   # (_saved_mode, inlined)
    state.enabled = True
    state.depth += 1
    try:
        out = f(*args, **kwargs) if kwargs else f(*args)
    finally:
        state.depth -= 1
        _restore_mode(prev)
    del args, x, d, t   # (the fresh leaves: only the recorded graph holds them now)
    aux = None
    if has_aux or type(out) is not _registry.Array:
        out, aux = _scalar_out(out, has_aux, False)
    od = out._data
    if type(od) is np.ndarray and od.dtype.kind == "f" and od.size == 1:
        seed = np.empty(od.shape, od.dtype)
        seed.fill(1)
    else:
        _check_scalar_output(out, False)
        from .._ops.creation import ones_like
        seed = ones_like(out)._data
    found = {}
    if out._node is not None:
        found = run_backward([out._node], [seed], stop=set(nodes))
    given = set()
    gs = []
    for x, node in zip(xs, nodes):
        gs.append(_input_grad(found.get(node), x, False, given))
    value = wrap(od)
    # (_value_of) a recorded rule that still reads the value (an aux's) holds its buffer:
    # then a write into the value copies first. Where counts are exact, a buffer of its
    # own that nothing but out, value and this frame holds is read by no rule (reading
    # ``out._saved``, an unset slot, would raise inside getattr: 0.3 us)
    if (_refs(od) > 4   # out, value, od, the argument
            if _COUNTS and type(od) is np.ndarray and od.base is None
            else getattr(out, "_saved", False)):
        value._saved = True
    del out, found, nodes, node, seed
    for x in xs:
        # the saved mark input_buffer put (or an earlier one) goes when the buffer is x's
        # alone: no rule, view or other array can read it, so the next in-place update
        # (an optimizer's p -= lr * g) needs no copy (_unmark_saved without the earlier
        # state: an unset slot's getattr costs an exception, 0.3 us)
        if sole_owner(x):
            x._saved = False
    g = gs[0] if single else tuple(gs)
    if has_aux:
        return (value, aux), g
    return value, g


def _plain_array(x):
    """An argument ``_plain_inputs`` admits: an ndgrad real floating array on NumPy that
    takes part in no recorded computation."""
    if type(x) is not _registry.Array or x._node is not None:
        return False
    d = x._data
    return type(d) is np.ndarray and d.dtype.kind == "f"


def _plain_sequence_inputs(args, nums):
    """Whether ``value_and_grad`` may take its plain path for differentiated arguments
    of which some are flat lists or tuples (exactly those types, not empty) of arrays
    ``_plain_array`` admits and the others such arrays (an MLP's parameter list): no
    verb is tracing in this thread and no argnum repeats."""
    if grad_state.depth or (len(nums) > 1 and len(set(nums)) < len(nums)):
        return False
    n_args = len(args)
    for n in nums:
        if type(n) is not int or not 0 <= n < n_args:
            return False
        a = args[n]
        t = type(a)
        if t is list or t is tuple:
            if not a:
                return False
            for x in a:
                if not _plain_array(x):
                    return False
        elif not _plain_array(a):
            return False
    return True


def _plain_sequence_value_and_grad(f, args, kwargs, nums, single, has_aux):
    """``value_and_grad`` for ``_plain_sequence_inputs``: the sequences' arrays become
    arguments of their own, and ``_plain_value_and_grad`` differentiates a function of
    those that rebuilds each sequence (of its type) before calling ``f``. The gradients
    come back as the general path gives them: a list or tuple of the sequence's type per
    sequence argument, one array per array argument. (Each element gets its own fresh
    leaf, as each leaf of a pytree does on the general path, also where one array
    appears twice.)"""
    flat = []
    spans = []   # per argument: (first flat position, length, type); type None: as is
    want = frozenset(nums)
    for i, a in enumerate(args):
        t = type(a)
        if i in want and (t is list or t is tuple):
            spans.append((len(flat), len(a), t))
            flat.extend(a)
        else:
            spans.append((len(flat), 1, None))
            flat.append(a)
    flat_nums = []
    for n in nums:
        first, length, _ = spans[n]
        flat_nums.extend(range(first, first + length))

    def rebuilt(*fa, **kw):
        call = []
        part = None
        for first, length, t in spans:
            if t is None:
                call.append(fa[first])
            else:
                part = fa[first:first + length]
                call.append(list(part) if t is list else part)
        del fa, part   # (the fresh leaves: f's arguments hold them now)
        return f(*call, **kw) if kw else f(*call)

    value, gs = _plain_value_and_grad(rebuilt, flat, kwargs, tuple(flat_nums), False,
                                      has_aux)
    out = []
    k = 0
    for n in nums:
        _, length, t = spans[n]
        if t is None:
            out.append(gs[k])
        else:
            part = gs[k:k + length]
            out.append(list(part) if t is list else part)
        k += length
    return value, (out[0] if single else tuple(out))


def _value_of(out):
    """The value a verb returns for its output ``out``: a fresh array over its buffer,
    marked saved when a recorded rule still reads it (an ``aux`` computed from it), so
    that a write into the value copies first."""
    value = wrap(out._data)
    if getattr(out, "_saved", False):
        value._saved = True
    return value


def input_buffer(x):
    """The buffer a verb's fresh input array over ``x`` gets: ``x``'s own, marked saved
    (see ``_start``), or, when NumPy code shares it (``sharing.py``), one private copy,
    so that the rules ``f`` records keep the values of the call whatever is written there
    later, without a copy at every rule."""
    d = x._data
    # (a NumPy buffer of its own that is not marked is not shared: no call)
    if _SHARED and (type(d) is not np.ndarray or d.base is not None or id(d) in _SHARED) \
            and shared_now(d, 2):   # x._data, d
        return _layout_copy(d) if type(d) is np.ndarray else own_copy(d)
    x._saved = True
    _registry._saved_view(x)
    return d


def _layout_copy(d):
    """A copy of NumPy array ``d`` in its memory order, reversed axes reversed too: a
    transposed, Fortran-order or reversed input stays one, so that NumPy's reductions and
    products over the copy add in the order they do over ``d`` (a C-order copy of a
    transposed input summed otherwise in the last bits)."""
    neg = [s < 0 for s in d.strides]
    if not any(neg):
        return d.copy(order="K")
    flip = tuple(slice(None, None, -1) if n else slice(None) for n in neg)
    return d[flip].copy(order="K")[flip]


def _unmark_saved(xs, was_saved):
    """Drop the "saved" mark ``_start`` put on inputs whose buffer nobody else holds any
    more (the recorded rules that read it are freed): the next in-place update of such an
    input (an optimizer's ``p -= lr * g``) needs no copy. A buffer seen anywhere else (a
    node still alive, a view, a NumPy array made from it) keeps the mark."""
    for x, before in zip(xs, was_saved):
        if not before and sole_owner(x):
            x._saved = False


def _scalar_out(out, has_aux, holomorphic):
    """``(output, aux)`` from what ``f`` returned, the output checked to be a scalar
    Array (aux None without ``has_aux``)."""
    aux = None
    if has_aux:
        if not (isinstance(out, (tuple, list)) and len(out) == 2):
            raise TypeError("has_aux=True needs f to return a pair (output, aux)")
        out, aux = out
    if not isinstance(out, _registry.Array):
        from .._ops.creation import asarray
        out = asarray(out)
    _check_scalar_output(out, holomorphic)
    return out, aux


def _check_scalar_output(out, holomorphic):
    kind = out.dtype.kind
    if kind not in "fc":
        raise TypeError(f"grad needs f to return a floating scalar; it returned "
                        f"{out.dtype} (integer and boolean results, e.g. of argmax or "
                        "comparisons, have no gradient)")
    if kind == "c" and not holomorphic:
        raise TypeError(f"grad needs f to return a real scalar; it returned {out.dtype} "
                        "(pass holomorphic=True for a holomorphic function, or take "
                        "real/abs of the output)")
    if holomorphic and kind != "c":
        raise TypeError(f"grad with holomorphic=True needs f to return a complex scalar; "
                        f"it returned {out.dtype}")
    if out.size != 1:
        raise TypeError(f"grad needs f to return a scalar (one element); it returned shape "
                        f"{out.shape} (use vjp or jacobian for non-scalar outputs)")


def _check_holomorphic_inputs(args, argnums):
    nums = (argnums,) if isinstance(argnums, int) else tuple(argnums)
    for n in nums:
        for leaf in flatten(args[n])[0]:
            dt = getattr(leaf, "dtype", None)
            if dt is None:
                dt = np.asarray(leaf).dtype
            if np.dtype(dt).kind != "c":
                raise TypeError(f"holomorphic=True needs complex inputs; argument {n} has "
                                f"dtype {np.dtype(dt)}")


def grad(f, argnums=0, has_aux=False, holomorphic=False):
    """The gradient function of scalar-valued ``f`` (nestable: ``grad(grad(f))``).

    ``f`` returns a real value of one element (any shape of size 1); ``holomorphic=True``
    differentiates a complex-valued holomorphic ``f`` of complex inputs (JAX's option).
    Complex conventions are JAX's: see ``value_and_grad``.

    >>> import ndgrad as nd
    >>> nd.grad(nd.sin)(nd.asarray(0.0))
    np.float64(1.0)
    >>> nd.grad(nd.grad(nd.sin))(nd.asarray(0.0))
    np.float64(-0.0)
    >>> nd.grad(lambda z: nd.real(z * nd.conj(z)))(nd.asarray(3 + 4j))  # |z|**2
    np.complex128(6-8j)
    """
    vg = value_and_grad(f, argnums, has_aux, holomorphic)

    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        (value, g) = vg(*args, **kwargs)
        if has_aux:
            return g, value[1]
        return g
    return wrapper


def vjp(f, *primals, has_aux=False):
    """``(f(*primals), pullback)``: ``pullback(cotangent)`` is the tuple of
    cotangent-times-Jacobian for each primal (JAX's ``vjp``).

    >>> import ndgrad as nd
    >>> y, pb = nd.vjp(nd.sin, nd.asarray([0.0, 0.0]))
    >>> pb(nd.ones(2))
    (array([1., 1.]),)
    """
    if _in_jit():
        return JIT["module"].vjp(f, primals, has_aux)
    nums = tuple(range(len(primals)))
    out, starts, nums, single = _vjp_setup(f, primals, nums)
    aux = None
    if has_aux:
        out, aux = out
    create = _create_graph_needed(starts)
    value = out if create else _detach_tree(out)
    pb = _Pullback(out, starts, nums, create)
    if has_aux:
        return value, pb, aux
    return value, pb


class _Pullback:
    def __init__(self, out, starts, nums, create):
        self.out, self.starts, self.nums, self.create = out, starts, nums, create

    def __call__(self, cotangent):
        # retain the graph so the pullback can be called again (as JAX allows). Record the
        # gradient computation when called inside a trace, or with a cotangent that is
        # itself being differentiated (jvp of a pullback made outside it), whatever held
        # when the pullback was made: it is linear in the cotangent, and that dependence
        # must not be lost
        create = self.create or _tracing.depth > 0 or (grad_state.enabled and any(
            isinstance(c, _registry.Array) and c._node is not None
            for c in flatten(cotangent)[0]))
        return _pullback(self.out, self.starts, self.nums, False, cotangent, create,
                         retain=True)


def _detach_tree(out):
    """The values of ``out`` outside the recorded computation, in fresh arrays over the
    same buffers. Each is marked saved: a write into it copies first, so the values a
    pullback's rules still read stay as they were (``y, pb = vjp(exp, x); y[0] = 0``),
    and the write is the caller's, not part of the function the pullback differentiates.
    """
    leaves, rebuild = flatten(out)
    res = []
    for l in leaves:
        if isinstance(l, _registry.Array):
            l = wrap(l._data)
            l._saved = True
        res.append(l)
    return rebuild(res)


def jvp(f, primals, tangents):
    """``(f(*primals), J @ tangents)``: forward-mode product, computed as the transpose of
    a vjp (two reverse passes; exact, no finite differences).

    >>> import ndgrad as nd
    >>> y, t = nd.jvp(nd.sin, (nd.asarray(0.0),), (nd.asarray(2.0),))
    >>> t
    np.float64(2.0)
    """
    if _in_jit():
        return JIT["module"].jvp(f, primals, tangents)
    from .._ops.creation import asarray, ones_like
    primals = tuple(primals)
    tangents = tuple(tangents)
    if len(tangents) != len(primals):
        raise ValueError(f"jvp: {len(tangents)} tangent(s) for {len(primals)} primal(s)")
    tangents = tuple(_tangent_like(p, t) for p, t in zip(primals, tangents))
    _tracing.depth += 1
    try:
        out, pb = vjp(f, *primals)
        out_leaves, rebuild = flatten(out)
        # u is a dummy cotangent; pb(u) is linear in u, so the gradient in u of
        # Re <pb(u), t> is J t. With JAX's complex conventions, pb(u) = u A + conj(u) B
        # and Re(pb(u) t) = Re(u (A t + conj(B t))) = Re(u J t), whose gradient in u is
        # J t (real when the output is real: the tangent of a real output is real)
        # (an output that does not depend on the primals, a NumPy constant, say, gets a
        # zero tangent of its own shape). The dummy is ones, not zeros: a rule that reads
        # a zero cotangent as "no gradient" (sqrt's and reciprocal's at 0, where a
        # where() did not take the branch) made J t finite at every u = 0: the tangent of
        # sqrt at 0 was 0.5 where reverse mode and JAX give inf
        u_leaves = [ones_like(o if isinstance(o, _registry.Array) else asarray(o))
                    for o in out_leaves]

        jt = tangents_by_transpose(
            pb, rebuild, tangents, u_leaves, lambda t: flatten(t)[0],
            lambda L: grad(L, argnums=tuple(range(len(u_leaves))))(*u_leaves))
    finally:
        _tracing.depth -= 1
    keep = _keeps_recording(primals)
    value = out if keep else _detach_tree(out)
    jt = rebuild(list(jt))
    if not keep:
        jt = _detach_tree(jt)
    return value, jt


def _structure(tree):
    """A nest's structure: containers, their lengths and dict keys (leaves as None)."""
    if isinstance(tree, dict):
        return (dict, tuple(sorted((repr(k), _structure(v)) for k, v in tree.items())))
    if isinstance(tree, (list, tuple)):
        return (list, tuple(_structure(v) for v in tree))
    return None


def _tangent_like(primal, tangent):
    """``tangent`` checked against ``primal``: the same nest (a list or tuple given for an
    array primal is an array, as autograd reads it), each leaf of its primal's shape, and
    real where the primal is real. A mismatch is an error: the product with the tangent
    summed over extra axes, paired leaves by position and dropped a complex tangent's
    imaginary part, silently."""
    from .._ops.creation import asarray
    if not isinstance(primal, (list, tuple, dict)) and isinstance(tangent, (list, tuple)):
        tangent = asarray(tangent)
    elif not isinstance(tangent, (list, tuple, dict)):
        tangent = asarray(tangent)
    if _structure(primal) != _structure(tangent):
        raise ValueError(f"jvp: the tangent's structure {_structure(tangent)} is not the "
                         f"primal's {_structure(primal)} (the same lists, tuples and dict "
                         "keys are needed)")
    for p, t in zip(flatten(primal)[0], flatten(tangent)[0]):
        ps, ts = tuple(getattr(p, "shape", ())), tuple(getattr(t, "shape", ()))
        if ps != ts:
            raise ValueError(f"jvp: a tangent of shape {ts} for a primal of shape {ps} "
                             "(each tangent has its primal's shape)")
        if asarray(t).dtype.kind == "c" and asarray(p).dtype.kind != "c":
            raise TypeError("jvp: a complex tangent for a real primal; take the real and "
                            "imaginary parts' products separately")
    return tangent


def jacobian(f, argnums=0):
    """The Jacobian of ``f``: shape ``out.shape + in.shape`` (reverse mode, row by row).

    >>> import ndgrad as nd
    >>> nd.jacobian(lambda x: x * 2)(nd.asarray([1.0, 2.0]))
    array([[2., 0.],
           [0., 2.]])
    """
    @functools.wraps(f)
    def wrapper(*args):
        from .._ops.creation import zeros, zeros_like, asarray
        from .._ops.manipulation import stack, reshape
        single = isinstance(argnums, int)
        nums = (argnums,) if single else tuple(argnums)
        _tracing.depth += 1
        try:
            def g(*xs):
                a = list(args)
                for n, x in zip(nums, xs):
                    a[n] = x
                return f(*a)
            out, pb = vjp(g, *[args[n] for n in nums])
            leaves, rebuild = flatten(out)
            one = len(leaves) == 1 and leaves[0] is out     # f returns one array
            for o in leaves:
                if not (hasattr(o, "shape") and hasattr(o, "dtype")):
                    raise TypeError(f"jacobian: f returned a {type(o).__name__} among its "
                                    "outputs; each output must be an array")
                if o.dtype.kind == "c" and any(
                        asarray(args[n]).dtype.kind != "c" for n in nums):
                    # (its rows by real cotangents held the real part's derivative only:
                    # jacobian(exp(1j t)) dropped i cos t; JAX's jacrev refuses it too)
                    raise TypeError("jacobian: f returns complex values of a real input; "
                                    "its rows would hold the real part's derivative only. "
                                    "Take the jacobians of real(f) and imag(f), or use "
                                    "nd.jvp")
            # one block per output leaf and argument, in the outputs' structure (JAX's:
            # a tuple-valued f -- grad with several argnums, as hessian takes it -- raised
            # AttributeError)
            all_rows = []
            for j, o in enumerate(leaves):
                rows = []
                m = o.size
                for i in range(m):
                    e = reshape(_onehot(m, i, o), o.shape)
                    if one:
                        rows.append(pb(e))
                        continue
                    # (zeros for the other outputs, fresh for each row: a cotangent the
                    # pullback is handed is never shared with another call)
                    cot = [e if k == j else zeros_like(q) for k, q in enumerate(leaves)]
                    rows.append(pb(rebuild(cot)))
                all_rows.append(rows)
        finally:
            _tracing.depth -= 1
        blocks = []
        for o, rows in zip(leaves, all_rows):
            per = []
            for k, n in enumerate(nums):
                x = asarray(args[n])
                if o.size == 0:
                    per.append(zeros(o.shape + x.shape, dtype=x.dtype))
                    continue
                r = reshape(stack([row[k] for row in rows]), o.shape + x.shape)
                if not _keeps_recording([args[n] for n in nums]) and not _in_jit():
                    r = wrap(r._data)
                per.append(r)
            blocks.append(per[0] if single else tuple(per))
        return blocks[0] if one else rebuild(blocks)
    return wrapper


def _onehot(m, i, like):
    from .._ops.creation import asarray
    e = np.zeros((m,), dtype=like.dtype)
    e[i] = 1
    return asarray(e, device=like.device)


def hessian(f, argnums=0):
    """The Hessian of scalar ``f`` (the Jacobian of its gradient).

    >>> import ndgrad as nd
    >>> nd.hessian(lambda x: nd.sum(x ** 3))(nd.asarray([1.0, 2.0]))
    array([[ 6.,  0.],
           [ 0., 12.]])
    """
    return jacobian(grad(f, argnums), argnums)


class _NoGrad:
    def __enter__(self):
        self.prev = _saved_mode()
        grad_state.enabled = False

    def __exit__(self, *e):
        _restore_mode(self.prev)


def check_grads(f, *args, order=2, eps=1e-6, rtol=1e-5, atol=1e-6, modes=("rev",)):
    """Compare ``f``'s gradients (to ``order``) with central finite differences.

    ``f`` may return arrays of any shape (a fixed random weighting of them is checked;
    the real part of a complex weighting for complex outputs), and complex inputs are
    perturbed along their real and their imaginary parts. Raises AssertionError naming
    the argument, the order and the largest difference.

    >>> import ndgrad as nd
    >>> nd.check_grads(lambda x: nd.sum(nd.sin(x) * x), nd.asarray([0.3, 0.7]))
    """
    from .._ops.creation import asarray
    args = [asarray(a) if not isinstance(a, _registry.Array) else a for a in args]
    _check(lambda *a: f(*a), args, order, eps, rtol, atol, 1)


def _scalarize(f):
    """A scalar function of the same inputs: sum of outputs times fixed random weights."""
    rng = np.random.default_rng(0)
    weights = {}

    def g(*args):
        from .._ops.creation import asarray
        from .._ops.statistical import sum as _sum
        out = f(*args)
        leaves, _ = flatten(out)
        total = None
        for i, o in enumerate(leaves):
            if not isinstance(o, _registry.Array) or o.dtype.kind not in "fc":
                continue
            if i not in weights:
                weights[i] = rng.standard_normal(o.shape)
                if o.dtype.kind == "c":
                    # the real part of a complex weighting: both parts of o are checked
                    weights[i] = weights[i] + 1j * rng.standard_normal(o.shape)
            w = asarray(weights[i].astype(o.dtype), device=o.device)
            term = _sum(o * w)
            if o.dtype.kind == "c":
                from .._ops.elementwise import real
                term = real(term)
            total = term if total is None else total + term
        if total is None:
            return asarray(0.0)
        return total
    return g


def _check(f, args, order, eps, rtol, atol, level):
    fs = _scalarize(f)
    for n, x in enumerate(args):
        if x.dtype.kind not in "fc":
            continue
        an = grad(fs, argnums=n)(*args)
        # a complex input is perturbed along its real and its imaginary part: the
        # gradient is df/dx - i df/dy (``value_and_grad``'s convention)
        cplx = x.dtype.kind == "c"
        xn = np.array(_host_values(x), dtype=np.complex128 if cplx else np.float64)
        num = np.zeros_like(xn)
        for idx in np.ndindex(xn.shape):
            for step in ((eps, 1j * eps) if cplx else (eps,)):
                xp_, xm_ = xn.copy(), xn.copy()
                xp_[idx] += step
                xm_[idx] -= step
                a1, a2 = list(args), list(args)
                a1[n] = _from_like(xp_, x)
                a2[n] = _from_like(xm_, x)
                d = (float(fs(*a1)) - float(fs(*a2))) / (2 * eps)
                num[idx] += d if type(step) is float else -1j * d
        ana = np.asarray(_host_values(an), dtype=xn.dtype)
        if not np.allclose(ana, num, rtol=rtol, atol=atol, equal_nan=True):
            diff = np.max(np.abs(ana - num))
            raise AssertionError(
                f"gradient of order {level} with respect to argument {n} differs from "
                f"finite differences by {diff:.3g}\nanalytic:\n{ana}\nnumeric:\n{num}")
        if order > 1:
            gfun = grad(fs, argnums=n)
            _check(gfun, args, order - 1, eps, rtol * 10, atol * 10, level + 1)


def _host_values(a):
    """NumPy values of an input or gradient: an explicit copy off a device (np.asarray of
    device data raises, as on CuPy)."""
    return _to_numpy(a._data) if isinstance(a, _registry.Array) else np.asarray(a)


def _from_like(values, like):
    from .._ops.creation import asarray
    return asarray(values.astype(like.dtype), device=like.device)

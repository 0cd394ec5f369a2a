"""``nd.custom_vjp``: a function with its own gradient rule (JAX's ``fwd``/``bwd`` pair),
over arrays and nests of them, at every order of differentiation."""
from __future__ import annotations

import contextlib
import functools
import threading

import numpy as np

from .._ops import registry as _registry
from .._ops.registry import apply, grad_state, wrap
from .backward import read_only
from .functional import JIT, _NoGrad, _in_jit, input_buffer
from .forward_mode import note_user_rule
from .pytree import flatten

__all__ = ["custom_vjp"]


def custom_vjp(fwd=None, *, bwd=None):
    """Define a differentiable function with its own gradient rule.

    Decorate the function, then give its rule with ``.defvjp(fwd, bwd)`` as JAX does:
    ``fwd(*args) -> (out, residuals)`` and ``bwd(residuals, g) -> tuple of grads``, one
    per argument, each in its argument's structure (an argument may be a tuple, list or
    dict of arrays; ``out`` too, and ``g`` then has its structure); None for an argument
    whose gradient is zero.

    Gradients of gradients apply the rule at every order, as PyTorch's
    ``autograd.Function``, TF's ``custom_gradient`` and HIPS autograd's ``defvjp`` do:
    the residuals carry their dependence on the arguments (fwd runs recorded), and
    ``out`` is differentiated by ``bwd`` again. JAX differs beyond the first order where
    ``bwd`` is not the exact derivative of ``fwd`` (a straight-through estimator, a
    clipped gradient): it differentiates ``fwd``'s own operations there.

    Forward mode (``nd.jvp``) applies the transpose of ``bwd``, which is the Jacobian
    product only for a ``bwd`` linear in ``g``; where it is not (a clipped or squared
    cotangent), ``nd.jvp`` raises ValueError naming the function (JAX refuses forward
    mode through every ``custom_vjp`` function).

    >>> import ndgrad as nd
    >>> @nd.custom_vjp
    ... def clip_grad(x):
    ...     return x
    >>> clip_grad.defvjp(lambda x: (x, None), lambda res, g: (nd.clip(g, -1.0, 1.0),))
    >>> nd.grad(lambda x: nd.sum(clip_grad(x) * 10.0))(nd.asarray([1.0]))
    array([1.])
    """
    return _CustomVJP(fwd)


_FWD = threading.local()


def _running_fwd():
    """The custom_vjp functions (their ``f``) whose fwd runs in this thread."""
    s = getattr(_FWD, "running", None)
    if s is None:
        s = _FWD.running = set()
    return s


def in_own_fwd(fn):
    """Whether this call of ``fn`` comes from inside its own fwd (JAX's fwd commonly
    calls f): its fwd then runs again only when a recorded backward needs its residuals,
    one level per order (at once, it recursed without end)."""
    return fn in _running_fwd()


@contextlib.contextmanager
def running_fwd(fn):
    """The block runs ``fn``'s fwd (``in_own_fwd`` sees it)."""
    running = _running_fwd()
    added = fn not in running
    running.add(fn)
    try:
        yield
    finally:
        if added:
            running.discard(fn)


def flat_arguments(args):
    """Per argument its ``(leaves, rebuild)`` (arrays anywhere in tuples, lists, dicts),
    and every argument's leaves in one list, in order."""
    per_arg = [flatten(a) for a in args]
    return per_arg, [l for lv, _ in per_arg for l in lv]


def arg_cotangents(name, grads, per_arg):
    """``bwd``'s result as one cotangent (or None) per leaf of the arguments
    (``per_arg``, from ``flat_arguments``): a tuple or list with one entry per argument,
    each None or in that argument's structure."""
    if not isinstance(grads, (tuple, list)) or len(grads) != len(per_arg):
        raise ValueError(f"custom_vjp {name}: bwd must return a tuple of {len(per_arg)} "
                         f"cotangent(s), one per argument; got {grads!r}")
    out = []
    for k, (g, n) in enumerate(zip(grads, (len(lv) for lv, _ in per_arg))):
        if g is None:
            out.extend([None] * n)
            continue
        leaves = flatten(g)[0]
        if len(leaves) != n:
            raise ValueError(f"custom_vjp {name}: bwd's cotangent for argument {k} has "
                             f"{len(leaves)} leaves, the argument {n}: give it the "
                             "argument's structure")
        out.extend(leaves)
    return out


class _CustomVJP:
    def __init__(self, fn):
        self.fn = fn
        self.fwd = None
        self.bwd = None
        functools.update_wrapper(self, fn)

    def defvjp(self, fwd, bwd):
        self.fwd, self.bwd = fwd, bwd
        return None

    def __call__(self, *args):
        if self.bwd is None:
            raise TypeError(f"custom_vjp function {self.fn.__name__} has no rule yet: call "
                            ".defvjp(fwd, bwd) first")
        if _in_jit():
            return JIT["module"].custom_vjp_call(self.fn, self.fwd, self.bwd, args)
        # the arrays of every argument, nests included (only top-level arrays counted:
        # a tuple argument's arrays got no gradient, or f's own ops were differentiated)
        per_arg, leaves = flat_arguments(args)
        positions = [i for i, l in enumerate(leaves) if isinstance(l, _registry.Array)]
        if not grad_state.enabled or all(leaves[i]._node is None for i in positions):
            return self.fn(*args)
        fn = self.fn
        nested = in_own_fwd(fn)
        # fwd's residuals may keep its arguments' buffers for bwd: each argument is
        # marked saved (an ndgrad write into it copies first) or, when NumPy code shares
        # its buffer, fwd gets a private copy
        fresh = {i: (input_buffer(leaves[i]), leaves[i]._node) for i in positions}

        def call_fwd(recorded):
            boxed = list(leaves)
            for i, (d, node) in fresh.items():
                boxed[i] = wrap(d, node if recorded else None)
            call, k = [], 0
            for lv, rebuild in per_arg:
                call.append(rebuild(boxed[k:k + len(lv)]))
                k += len(lv)
            if not recorded:
                with _NoGrad():
                    return self.fwd(*call)
            with running_fwd(fn):
                return self.fwd(*call)

        # fwd runs recorded, once, on boxes that keep the arguments' nodes (JAX traces
        # fwd, TF's tape records f): a residual computed from an argument carries its
        # dependence into a recorded bwd, so a gradient of this gradient is right (run
        # once: a second run would draw a random residual anew). Inside its own fwd (f
        # called by fwd) a call runs fwd unrecorded, and again recorded only when a
        # recorded backward needs its residuals: one level per order, never without end.
        out, res = call_fwd(recorded=not nested)
        out_leaves, out_rebuild = flatten(out)
        outs = []
        for o in out_leaves:
            if not isinstance(o, _registry.Array):
                o = wrap(np.asarray(o))
            outs.append(o._data)   # (values alone: out's own recorded graph is not kept)
        del out, out_leaves
        bwd = self.bwd
        name = fn.__name__
        multi = len(outs) > 1

        def rule(xp, g, ans, *inputs, **params):
            gs = g if type(g) is list else [g]
            create = any(isinstance(x, _registry.Array) for x in gs)   # (recorded)
            ready = []
            for k, gk in enumerate(gs):
                if gk is None:     # (an output no cotangent reached: zeros, as JAX's)
                    gk = xp.zeros_like(outs[k])
                if type(gk) is np.ndarray and gk.flags.writeable:
                    # bwd reads the cotangent; a write into it would reach other nodes'
                    # cotangents (add's rule sends one array to both operands): an error
                    gk = gk.view()
                    gk.flags.writeable = False
                ready.append(gk if isinstance(gk, _registry.Array) else wrap(gk))
            gg = out_rebuild(ready)
            if create:
                note_user_rule("custom_vjp function", fn)
                r = call_fwd(recorded=True)[1] if nested else res
                grads = bwd(r, gg)
            else:
                with _NoGrad():
                    grads = bwd(res, gg)
            per_leaf = arg_cotangents(name, grads, per_arg)
            out_g = []
            for i in positions:
                gi = per_leaf[i]
                if gi is None:
                    out_g.append(None)
                elif create:
                    out_g.append(gi if isinstance(gi, _registry.Array) else wrap(
                        np.asarray(gi, dtype=leaves[i].dtype)))
                else:
                    out_g.append(read_only(gi._data if isinstance(gi, _registry.Array)
                                           else np.asarray(gi, dtype=leaves[i].dtype)))
            return tuple(out_g)
        op = _registry.Op(f"custom_vjp:{name}",
                          (lambda xp, *a: tuple(outs)) if multi else (lambda xp, *a: outs[0]),
                          rule, save="none", multi=multi)
        result = apply(op, tuple(leaves[i] for i in positions))
        return out_rebuild(list(result) if multi else [result])

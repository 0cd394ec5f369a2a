"""autograd's two primitive transforms on one-argument functions, over ndgrad's verbs:
``make_vjp(fun, x) -> (vjp, ans)`` and ``make_jvp(fun, x) -> (v -> (ans, J v))``."""
from __future__ import annotations

from .._autograd import functional as _functional
from .._autograd.pytree import flatten
from .._ops import registry as _registry

import warnings

import numpy as _onp


def _traced(tree):
    leaves, _ = flatten(tree)
    return any(isinstance(l, _registry.Array) and l._node is not None for l in leaves)


def to_user(tree):
    """Results handed back outside any trace, as autograd hands them: NumPy arrays (NumPy
    scalars for 0-d) for arrays on the NumPy backend, so C code that wants an ndarray
    (``scipy.optimize``'s L-BFGS-B, say) takes them; arrays on other devices stay
    ndgrad arrays."""
    if not isinstance(tree, (list, tuple, dict)):
        return _user_leaf(tree)
    leaves, rebuild = flatten(tree)
    return rebuild([_user_leaf(l) for l in leaves])


def _user_leaf(l):
    if isinstance(l, _registry.Array) and type(l._data) is _onp.ndarray:
        d = l._data
        if d.ndim == 0:
            return d[()]
        # the buffer goes to NumPy code, which may write into it: a buffer a pullback's
        # rules still read is swapped for a copy in ``l`` first (sharing.py)
        from .._autograd.inplace import share_out
        return share_out(l)
    return l


def at_top(args):
    """True when no transform is tracing and no argument is traced."""
    return _functional._tracing.depth == 0 and not _traced(args)


def _watch(fun):
    """``fun``, warning (as autograd does) when its output does not depend on its input."""
    def watched(x):
        out = fun(x)
        if not _traced(out):
            warnings.warn("Output seems independent of input.")
        return out
    return watched


def make_vjp(fun, x):
    """``(vjp, fun(x))`` where ``vjp(g)`` is ``g`` times the Jacobian of ``fun`` at ``x``
    (same structure as ``x``). ``vjp`` may be called many times, and is itself
    differentiable with respect to ``g`` (autograd's VJPs are linear functions that
    can be traced, which ``make_ggnvp`` and the reverse-mode JVP rely on)."""
    top = _functional._tracing.depth == 0 and not _traced(x)
    # record the pullback, so that a traced cotangent gets a derivative
    _functional._tracing.depth += 1
    try:
        ans, pb = _functional.vjp(_watch(fun), x)
    finally:
        _functional._tracing.depth -= 1

    def vjp(g):
        res = pb(g)[0]
        if top and at_top(g):
            res = to_user(res)
        return res
    return vjp, (to_user(ans) if top else ans)


def vjp_constant_cotangent(fun, x):
    """``make_vjp`` for callers that only pass constant cotangents (grad, jacobian ...):
    the pullback is not recorded unless an outer transform is tracing."""
    ans, pb = _functional.vjp(_watch(fun), x)

    def vjp(g):
        return pb(g)[0]
    return vjp, ans


def make_jvp(fun, x):
    """A function of a tangent ``v``: ``(fun(x), J v)`` (forward-mode product)."""
    def jvp(v):
        top = at_top((x, v))
        res = _functional.jvp(fun, (x,), (v,))
        return to_user(res) if top else res
    return jvp


# autograd.core's other public names (rules, vector spaces, the primitive decorator)
from .extend import (  # noqa: E402,F401
    primitive, defvjp, defvjp_argnum, defvjp_argnums, defjvp, defjvp_argnum, defjvp_argnums,
    def_linear, primitive_vjps, primitive_jvps, SparseObject)
from .vspace import VSpace, vspace  # noqa: E402,F401

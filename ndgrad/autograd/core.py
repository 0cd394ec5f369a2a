"""autograd's two primitive transforms on one-argument functions, over ndgrad's verbs:
``make_vjp(fun, x) -> (vjp, ans)`` and ``make_jvp(fun, x) -> (v -> (ans, J v))``."""
from __future__ import annotations

from .._autograd import functional as _functional
from .._autograd.pytree import flatten
from .._ops import registry as _registry


def _traced(tree):
    leaves, _ = flatten(tree)
    return any(isinstance(l, _registry.Array) and l._node is not None for l in leaves)


def _detach(tree):
    leaves, rebuild = flatten(tree)
    return rebuild([_registry.wrap(l._data) if isinstance(l, _registry.Array) else l
                    for l in leaves])


def make_vjp(fun, x):
    """``(vjp, fun(x))`` where ``vjp(g)`` is ``g`` times the Jacobian of ``fun`` at ``x``
    (same structure as ``x``). ``vjp`` may be called many times, and is itself
    differentiable with respect to ``g`` (autograd's VJPs are linear functions that
    can be traced, which ``make_ggnvp`` and the reverse-mode JVP rely on)."""
    top = _functional._tracing.depth == 0 and not _traced(x)
    # record the pullback, so that a traced cotangent gets a derivative
    _functional._tracing.depth += 1
    try:
        ans, pb = _functional.vjp(fun, x)
    finally:
        _functional._tracing.depth -= 1

    def vjp(g):
        res = pb(g)[0]
        if top and _functional._tracing.depth == 0 and not _traced(g):
            res = _detach(res)
        return res
    return vjp, (_detach(ans) if top else ans)


def vjp_constant_cotangent(fun, x):
    """``make_vjp`` for callers that only pass constant cotangents (grad, jacobian ...):
    the pullback is not recorded unless an outer transform is tracing."""
    ans, pb = _functional.vjp(fun, x)

    def vjp(g):
        return pb(g)[0]
    return vjp, ans


def make_jvp(fun, x):
    """A function of a tangent ``v``: ``(fun(x), J v)`` (forward-mode product)."""
    def jvp(v):
        return _functional.jvp(fun, (x,), (v,))
    return jvp

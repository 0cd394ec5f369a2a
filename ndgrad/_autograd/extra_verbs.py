"""Verbs built from the core ones: elementwise_grad (a vjp with ones) and hvp (a
Hessian-vector product without forming the Hessian)."""
from __future__ import annotations

import functools

from .._ops import registry as _registry
from .functional import vjp, grad
from .pytree import flatten


def elementwise_grad(f, argnums=0):
    """The gradient of ``sum(f(x))``: for a function acting elementwise, each output's
    derivative with respect to its own input (the sum of each column of the Jacobian).

    ``f`` may return any shape; its output must be real (for complex outputs use
    ``vjp`` with an explicit cotangent).

    >>> import ndgrad as nd
    >>> nd.elementwise_grad(nd.sin)(nd.asarray([0.0, 3.141592653589793]))
    array([ 1., -1.])
    """
    single = isinstance(argnums, int)
    nums = (argnums,) if single else tuple(argnums)

    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        def g(*xs):
            a = list(args)
            for n, x in zip(nums, xs):
                a[n] = x
            return f(*a, **kwargs)
        out, pb = vjp(g, *[args[n] for n in nums])
        leaves, rebuild = flatten(out)
        ones = []
        for o in leaves:
            if isinstance(o, _registry.Array) and o.dtype.kind == "c":
                raise TypeError(f"elementwise_grad needs a real-valued f; it returned dtype "
                                f"{o.dtype} (use vjp with an explicit cotangent)")
            ones.append(_ones_like(o))
        gs = pb(rebuild(ones))
        return gs[0] if single else gs
    return wrapper


def _ones_like(o):
    from .._ops.creation import ones_like, asarray
    return ones_like(o if isinstance(o, _registry.Array) else asarray(o))


def hvp(f, primals, tangents):
    """``H @ v``: the Hessian of scalar ``f`` at ``primals`` times ``tangents``, by
    reverse-over-reverse (the gradient of ``<grad f(x), v>``), so the Hessian itself is
    never formed: cost is a small multiple of one gradient, memory that of two.

    ``primals`` and ``tangents`` are tuples with one entry per argument of ``f``; the
    result has the tangents' structure (one array for a one-argument ``f``).

    >>> import ndgrad as nd
    >>> f = lambda x: nd.sum(x ** 3)
    >>> nd.hvp(f, (nd.asarray([1.0, 2.0]),), (nd.asarray([1.0, 1.0]),))
    array([ 6., 12.])
    """
    from .._ops.creation import asarray
    from .._ops.statistical import sum as _sum
    primals = tuple(primals)
    tangents = tuple(tangents)
    if len(primals) != len(tangents):
        raise ValueError(f"hvp needs one tangent per primal; got {len(primals)} primals and "
                         f"{len(tangents)} tangents")
    nums = tuple(range(len(primals)))
    for k, (p, t) in enumerate(zip(primals, tangents)):
        pl, _ = flatten(p)
        tl, _ = flatten(t)
        if len(pl) != len(tl):
            raise ValueError(f"hvp: tangent {k} has {len(tl)} leaves; its primal has "
                             f"{len(pl)}")
        for a, b in zip(pl, tl):
            sa, sb = getattr(asarray(a), "shape", ()), getattr(asarray(b), "shape", ())
            if sa != sb:
                raise ValueError(f"hvp: tangent {k} has shape {sb}; its primal has shape {sa}")
    gf = grad(f, argnums=nums)

    def dot_grad(*xs):
        total = None
        for gk, tk in zip(gf(*xs), tangents):
            gl, _ = flatten(gk)
            tl, _ = flatten(tk)
            for a, b in zip(gl, tl):
                term = _sum(a * asarray(b))
                if term.dtype.kind == "c":
                    # Re <grad f, v> is the real dot product of the two as real vectors
                    # (grad f is df/dx - i df/dy): its gradient is H v (a complex v
                    # made the sum complex, and grad refused it)
                    from .._ops.elementwise import real
                    term = real(term)
                total = term if total is None else total + term
        return total
    res = grad(dot_grad, argnums=nums)(*primals)
    return res[0] if len(primals) == 1 else res

"""Forward mode (``jvp``) as the transpose of a vjp, eager and under ``nd.jit``, and its
check that the user-written gradient rules it transposes are linear.

The rules are ``custom_vjp``'s ``bwd``, autograd's ``defvjp`` and TF's custom gradients.
``jvp`` is the transpose of a vjp: the gradient, in a dummy cotangent ``u``, of
``L(u) = Re <pb(u), t>``. That is ``J t`` only when ``pb`` is linear in ``u``, which every
built-in rule is. A user's rule need not be (a clipped or squared cotangent is a valid
reverse-mode heuristic), and the transpose of a rule that bends its cotangent is no
Jacobian product: a ``bwd`` of ``c * g * g`` gave twice the true tangent with no error.
JAX, PyTorch and HIPS autograd refuse forward mode through such rules altogether; here a
rule linear in its cotangent keeps working, and one that is not raises. The test is
Euler's for a linear ``L``: ``L(u) == <grad L(u), u>`` (``u`` is all ones), within
rounding, made by an identity op on each tangent (``LINEAR_CHECK``) so that eager code
checks at once and ``nd.jit`` plans check at each run. Only passes in which a user's rule
ran pay for it: the rules report themselves (``note_user_rule``) to the pass collecting
them, and to nothing otherwise. The test sees degree-one homogeneity along the ray
through ``u``, not linearity itself: a rule homogeneous but not linear there (``abs(g)``
where every cotangent is positive) passes, and the tangent is that rule's derivative at
``u``.
"""
from __future__ import annotations

import contextlib
import threading

import numpy as np

from .._ops.registry import Op, apply

__all__ = ["note_user_rule", "tangents_by_transpose"]


class _Rules(threading.local):
    """The user rules that ran in this thread's innermost collecting pass (None: no pass
    collects)."""
    ran = None


_RULES = _Rules()


def note_user_rule(kind, fn):
    """A user-written gradient rule (``kind``, of function ``fn``) runs with a recorded
    cotangent, as forward mode's transpose runs it: the pass collecting in this thread,
    if any, is told."""
    ran = _RULES.ran
    if ran is not None:
        ran.append(f"{kind} {getattr(fn, '__name__', fn)}")


@contextlib.contextmanager
def _collecting():
    """The user rules that run in the block (a list, filled as they do); an enclosing
    collecting pass hears of them too."""
    outer = _RULES.ran
    ran = _RULES.ran = []
    try:
        yield ran
    finally:
        _RULES.ran = outer
        if outer is not None:
            outer.extend(ran)


def tangents_by_transpose(pb, rebuild, tangents, u_leaves, leaves_of, gradient):
    """``J t`` for each of ``u_leaves`` (the dummy cotangents, ones): the gradient of
    ``L(u) = Re <pb(u), t>`` that ``gradient(L)`` gives (eager's ``grad`` or nd.jit's),
    each passed through ``LINEAR_CHECK`` when a user's rule ran in ``pb``. ``rebuild``
    makes ``pb``'s cotangent of the leaves; ``leaves_of`` gives a nest's leaves."""
    from .._ops.creation import asarray
    from .._ops.elementwise import real
    from .._ops.statistical import sum as _sum
    seen = {}

    def L(*us):
        with _collecting() as ran:
            gs = pb(rebuild(list(us)))
        total = None
        pairs = []
        for g, t in zip(gs, tangents):
            for a, b in zip(leaves_of(g), leaves_of(t)):
                pairs.append((a, b))
                term = _sum(a * b)
                if term.dtype.kind == "c":
                    term = real(term)
                total = term if total is None else total + term
        if total is None:  # no primals: the tangent is zero
            total = _sum(real(us[0]) * 0.0) if us else asarray(0.0)
        if ran:
            seen.update(names=list(dict.fromkeys(ran)), total=total, pairs=pairs)
        return total
    jt = list(gradient(L))
    if seen:
        jt = _checked(jt, seen["total"], u_leaves, _abs_terms(seen["pairs"]), seen["names"])
    return jt


def _check_forward(xp, x, value, euler, scale, *, names, rtol):
    v, e, s = float(value), float(euler), float(scale)   # (0-d: a sync, on any backend)
    if not (np.isfinite(v) and np.isfinite(e) and np.isfinite(s)):
        return xp.asarray(x, copy=True)   # (a NaN or inf: nothing to judge by)
    if abs(v - e) > rtol * s:
        raise ValueError(
            f"jvp: the gradient rule of {', '.join(names)} is not linear in its "
            f"cotangent, so forward mode (the transpose of that rule) has no Jacobian to "
            f"apply: at the cotangent u of ones, <rule(u), tangent> is {v!r} but its "
            f"derivative in u gives {e!r}. A rule that clips, squares or otherwise bends "
            "the cotangent works in reverse mode only (JAX, PyTorch and HIPS autograd "
            "refuse forward mode through any custom rule)")
    return xp.asarray(x, copy=True)   # (a result of its own, as every op's)


def _check_vjp(xp, g, ans, *inputs, **params):
    return (g, None, None, None)


LINEAR_CHECK = Op("jvp_linearity_check", _check_forward, _check_vjp, save="none")


def _abs_terms(pairs):
    """The sum of ``|a * b|`` over the ``(a, b)`` array pairs (unrecorded): the scale of
    ``L(u) = Re sum(a * b)``'s rounding."""
    from .._ops.elementwise import abs as _abs
    from .._ops.statistical import sum as _sum
    from .functional import _NoGrad
    total = None
    with _NoGrad():
        for a, b in pairs:
            s = _sum(_abs(a * b))
            total = s if total is None else total + s
    return total


def _checked(tangents, value, u_leaves, abs_value, names):
    """``tangents`` (the gradient of ``value = L(u)`` in each of ``u_leaves``) each passed
    through ``LINEAR_CHECK``, which raises where ``L`` is not linear: ``value`` against
    ``<tangents, u>``, to a tolerance of sqrt(eps) of ``value``'s dtype (1e-5 at least)
    times the sums of the terms' magnitudes (``abs_value``: that of ``value``'s terms)."""
    from .._ops.elementwise import abs as _abs, real
    from .._ops.statistical import sum as _sum
    from .functional import _NoGrad
    with _NoGrad():
        value = value + 0.0   # (its value: no gradient reaches L through the check)
        euler = None
        scale = abs_value if abs_value is not None else value * 0.0
        for t, u in zip(tangents, u_leaves):
            term = real(_sum(t * u))
            euler = term if euler is None else euler + term
            scale = scale + _sum(_abs(t * u))
    if euler is None:
        return tangents
    # (a bent rule misses by a good part of the scale; 1e-5 at least leaves room for a
    # linear float64 rule that computes in float32)
    dt = np.dtype(getattr(value, "dtype", np.float64))
    rtol = max(float(np.sqrt(np.finfo(dt if dt.kind in "fc" else np.float64).eps)), 1e-5)
    params = {"names": tuple(names), "rtol": rtol}
    return [apply(LINEAR_CHECK, (t, value, euler, scale), params) for t in tangents]

"""Differentiable ``scipy.integrate.odeint``: one registry op whose rule is the adjoint method.

Forward: SciPy's LSODA (``scipy.integrate.odeint``) calls ``func`` on ndgrad arrays without
recording. Gradient (as HIPS autograd's, written anew): integrate the augmented system
``[y, a, a_t, a_args]`` backwards between consecutive output times, with
``da/dt = -a df/dy``, ``da_args/dt = -a df/dargs``, ``da_t/dt = -a df/dt`` (each a vjp of
``func``), adding each output's cotangent at its time. The adjoint solve is ``odeint``
itself on ndgrad arrays, so the gradient records and differentiates again.
"""
from __future__ import annotations

import math

from .._ops.registry import defop, apply, wrap
from ._host import backend_kind

_OPTIONS = ("rtol", "atol", "mxstep", "hmax", "hmin", "h0", "mxordn", "mxords", "ixpr",
            "tcrit", "ml", "mu")


def _rebuild_args(spec, arrays):
    """``args`` with its array leaves (in order) put back among the constants, inside the
    nest of tuples / lists / dicts they came in (``spec`` is (leaf kinds, rebuild))."""
    leaves, rebuild = spec
    out = []
    it = iter(arrays)
    for kind, value in leaves:
        out.append(next(it) if kind == "array" else value)
    return rebuild(out)


def _odeint_forward(xp, y0, t, *arrays, func, spec, options):
    if backend_kind(xp) != "numpy":
        raise TypeError("ndgrad.scipy.integrate.odeint runs on the NumPy backend only "
                        "(SciPy's LSODA; neither cupyx.scipy nor the array API standard "
                        "has an ODE solver); move y0, t and args to device 'cpu'")
    import numpy as np
    from .._autograd.modes import no_grad
    try:
        from scipy.integrate import odeint as _sp_odeint
    except ImportError as e:
        raise ImportError("ndgrad.scipy.integrate.odeint needs SciPy: pip install "
                          f"'ndgrad[scipy]' ({e})") from None
    shape = tuple(y0.shape)
    args = _rebuild_args(spec, [wrap(a) for a in arrays])

    def rhs(y, tt):
        with no_grad():
            dy = func(wrap(y.reshape(shape)), float(tt), *args)
        dy = np.asarray(dy, dtype=np.float64)
        if dy.shape != shape:
            raise ValueError(f"odeint: func returned shape {dy.shape}; y0 has shape {shape}")
        return dy.reshape(-1)
    res = _sp_odeint(rhs, np.asarray(y0, dtype=np.float64).reshape(-1),
                     np.asarray(t, dtype=np.float64), **options)
    return res.reshape((int(t.shape[0]),) + shape)


def _odeint_vjp(xp, g, ans, y0, t, *arrays, func, spec, options):
    import ndgrad as nd
    raw = backend_kind(xp) != "ndgrad"
    if raw:
        g, ans, t = wrap(g), wrap(ans), wrap(t)
        arrays = tuple(wrap(a) for a in arrays)
    y0_dtype = y0.dtype
    n_t = ans.shape[0]
    shape = tuple(ans.shape[1:])
    d = math.prod(shape)
    sizes = [math.prod(a.shape) for a in arrays]
    shapes = [tuple(a.shape) for a in arrays]
    n_p = sum(sizes)
    dt = ans.dtype

    def unflatten(flat):
        out, k = [], 0
        for s, sh in zip(sizes, shapes):
            out.append(nd.reshape(flat[k:k + s], sh))
            k += s
        return out

    flat_args = (nd.concat([nd.reshape(nd.astype(a, dt), (-1,)) for a in arrays])
                 if arrays else nd.zeros((0,), dtype=dt))

    def f_flat(y, tt, fa):
        args = _rebuild_args(spec, unflatten(fa))
        return nd.reshape(func(nd.reshape(y, shape), tt, *args), (-1,))

    def augmented(state, tt, fa):
        y, a = state[:d], state[d:2 * d]
        dy, pull = nd.vjp(f_flat, y, nd.asarray(tt, dtype=dt), fa)
        vy, vt, vargs = pull(-a)
        return nd.concat([dy, vy, nd.reshape(vt, (1,)), vargs])
    augmented.adjoint_of_odeint = True  # reads nothing traced but through its inputs

    gf = nd.reshape(nd.astype(g, dt), (n_t, d))
    yf = nd.reshape(ans, (n_t, d))
    t = nd.astype(t, dt)
    a_y = gf[n_t - 1]
    a_t0 = nd.zeros((), dtype=dt)
    a_args = nd.zeros((n_p,), dtype=dt)
    times = []
    for i in range(n_t - 1, 0, -1):
        cur = nd.sum(f_flat(yf[i], t[i], flat_args) * gf[i])
        times.append(cur)
        a_t0 = a_t0 - cur
        state = nd.concat([yf[i], a_y, nd.reshape(a_t0, (1,)), a_args])
        back = odeint(augmented, state, nd.stack([t[i], t[i - 1]]), args=(flat_args,),
                      **options)[1]
        a_y = back[d:2 * d] + gf[i - 1]
        a_t0 = back[2 * d]
        a_args = back[2 * d + 1:]
    times.append(a_t0)
    g_t = nd.stack(times[::-1])
    out = [nd.astype(nd.reshape(a_y, shape), y0_dtype), g_t]
    out += [nd.astype(u, a.dtype) for u, a in zip(unflatten(a_args), arrays)]
    if raw:
        return tuple(o._data for o in out)
    return tuple(out)


_odeint_op = defop("scipy.integrate.odeint", _odeint_forward, _odeint_vjp, save="both")


def odeint(func, y0, t, args=(), Dfun=None, col_deriv=0, full_output=0, **options):
    """Integrate ``dy/dt = func(y, t, *args)`` from ``y0`` over the times ``t`` (SciPy's
    signature and LSODA solver); returns ``y`` at each time, shape ``(len(t),) + y0.shape``.

    ``func`` is written with ndgrad functions. The result differentiates in ``y0``, ``t``
    and every array in ``args`` (the adjoint method; Python numbers in ``args`` are
    constants), also to higher orders. ``args`` may nest arrays in tuples, lists and dicts
    (e.g. a network's ``[(W, b), ...]``); every array leaf is differentiated. A
    differentiated array that ``func`` reads from a closure or a global is refused with an
    error (its gradient would be lost): pass it in ``args``. ``Dfun`` and ``full_output``
    are not supported.

    >>> import ndgrad as nd
    >>> from ndgrad.scipy.integrate import odeint
    >>> k = nd.asarray(0.5)
    >>> y = odeint(lambda y, t, k: -k * y, nd.asarray([1.0]), nd.asarray([0.0, 1.0]),
    ...            args=(k,), rtol=1e-10, atol=1e-10)
    >>> round(float(y[1, 0]), 6)
    0.606531
    >>> g = nd.grad(lambda k: odeint(lambda y, t, k: -k * y, nd.asarray([1.0]),
    ...             nd.asarray([0.0, 1.0]), args=(k,), rtol=1e-10, atol=1e-10)[1, 0])(k)
    >>> round(float(g), 6)  # d/dk exp(-k) = -exp(-k)
    -0.606531
    """
    import ndgrad as nd
    from .._array import Array
    if Dfun is not None or full_output or col_deriv:
        raise ValueError("ndgrad.scipy.integrate.odeint: Dfun, col_deriv and full_output "
                         "are not supported (the Jacobian comes from ndgrad when needed)")
    unknown = sorted(set(options) - set(_OPTIONS))
    if unknown:
        raise TypeError(f"ndgrad.scipy.integrate.odeint: unknown options {unknown}")
    if not isinstance(args, tuple):
        args = (args,)
    y0 = y0 if isinstance(y0, Array) else nd.asarray(y0)
    dev = y0.device
    if y0.dtype.kind in "biu":
        y0 = nd.astype(y0, nd.float64)
    t = t if isinstance(t, Array) else nd.asarray(t, device=dev)
    if t.ndim != 1 or t.shape[0] < 1:
        raise ValueError(f"ndgrad.scipy.integrate.odeint: t must be a 1-D array of times, "
                         f"got shape {tuple(t.shape)}")
    if t.dtype.kind in "biu":
        t = nd.astype(t, nd.float64)
    from .._autograd.pytree import flatten
    leaves, rebuild = flatten(args)
    spec, arrays = [], []
    for a in leaves:
        if isinstance(a, Array) or hasattr(a, "__array__") and not isinstance(
                a, (int, float, complex, bool)):
            arr = a if isinstance(a, Array) else nd.asarray(a, device=dev)
            if arr.dtype.kind in "biu":  # integer arrays: constants
                spec.append(("const", arr))
                continue
            spec.append(("array", None))
            arrays.append(arr)
        else:
            spec.append(("const", a))
    spec = (tuple(spec), rebuild)
    _refuse_traced_closure(func, y0, t, spec, arrays)
    return apply(_odeint_op, (y0, t, *arrays), {"func": func, "spec": spec, "options": options})


def _refuse_traced_closure(func, y0, t, spec, arrays):
    """A clear error where ``func`` reads arrays being differentiated that do not come in
    through ``y0``, ``t`` or ``args`` (a closure or a global): SciPy's solver calls ``func``
    without recording, so their gradient would silently be zero. Probed by one call of
    ``func`` on untraced copies of its inputs, while recording is on."""
    from .._ops.registry import grad_state
    if not grad_state.enabled or getattr(func, "adjoint_of_odeint", False):
        return

    def plain(a):
        return wrap(a._data) if a._node is not None else a
    args = _rebuild_args(spec, [plain(a) for a in arrays])
    out = func(plain(y0), float(wrap(t._data)[0]), *args)
    if getattr(out, "_node", None) is not None:
        raise ValueError("ndgrad.scipy.integrate.odeint: func reads arrays that are being "
                         "differentiated without receiving them as arguments (a closure or a "
                         "global); their gradient would be lost. Pass them through args=(...)")


__all__ = ["odeint"]

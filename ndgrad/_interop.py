"""NumPy's own functions on ndgrad arrays: ``__array_ufunc__`` / ``__array_function__``.

``numpy.sum(x)``, ``numpy.exp(x)``, ``numpy.concatenate([x, y])`` with the real ``numpy``
module and ndgrad arrays dispatch to ndgrad's function of the same name, so the result is
an ndgrad array and gradients keep flowing. The lookup is a dict from NumPy's function
objects to ndgrad's, filled by registration: ``register(numpy_func, ndgrad_func)``, and
once, lazily, for every NumPy name (in ``numpy``, ``numpy.linalg``, ``numpy.fft``) that
ndgrad's namespace also defines, so coverage grows with the namespace by itself.

A NumPy function ndgrad lacks runs on the CPU values with a ``GradientStopWarning`` saying
gradients stop there; while gradients are recorded for one of its inputs it raises
instead (a silently wrong gradient is worse than an error).
"""
from __future__ import annotations

import threading
import warnings

import numpy as np

__all__ = ["register", "dispatch_table", "GradientStopWarning"]

_TABLE: dict = {}
_filled = False


class GradientStopWarning(UserWarning):
    """A NumPy function without an ndgrad version ran on the values: no gradient flows
    through its result."""


def register(numpy_func, ndgrad_func):
    """Make ``numpy_func`` on ndgrad arrays call ``ndgrad_func``."""
    _TABLE[numpy_func] = ndgrad_func


def _fill():
    global _filled
    if _filled:
        return
    import ndgrad
    pairs = [(np, ndgrad)]
    for sub in ("linalg", "fft"):
        if hasattr(ndgrad, sub):
            pairs.append((getattr(np, sub), getattr(ndgrad, sub)))
    for npmod, ndmod in pairs:
        for name, obj in list(vars(ndmod).items()):
            if name.startswith("_") or isinstance(obj, type) or not callable(obj):
                continue
            npobj = getattr(npmod, name, None)
            if npobj is None or npobj is obj or isinstance(npobj, type) or not callable(npobj):
                continue  # (ndgrad re-exporting NumPy's own callable is no ndgrad version)
            _TABLE.setdefault(npobj, obj)
    from .lib import stride_tricks
    for name in ("sliding_window_view", "as_strided"):
        _TABLE.setdefault(getattr(np.lib.stride_tricks, name), getattr(stride_tricks, name))
    _filled = True


def dispatch_table():
    """The NumPy-function -> ndgrad-function dict (filled on first use)."""
    _fill()
    return _TABLE


def _array_type():
    from ._array import Array
    return Array


def _to_numpy(v):
    """Arguments for a NumPy function: arrays on a device are copied to the host
    explicitly (``np.asarray`` of device data raises, as CuPy's does)."""
    A = _array_type()
    if isinstance(v, A):
        from ._backend import to_numpy
        return to_numpy(v._data)
    from ._ops.registry import graph_hooks
    if isinstance(v, graph_hooks["types"]):
        # a traced or graph value has no values to hand NumPy: its own conversion says so
        # (passed on as it is, NumPy would dispatch it back here without end)
        return np.asarray(v)
    if isinstance(v, (list, tuple)):
        return type(v)(_to_numpy(x) for x in v)
    if isinstance(v, dict):
        return {k: _to_numpy(x) for k, x in v.items()}
    return v


def _from_numpy(v, device=None):
    """NumPy results as ndgrad arrays, on ``device`` (the inputs' device; None: the
    default)."""
    if isinstance(v, np.ndarray):
        from ._ops.creation import asarray
        return asarray(v, device=device)
    if isinstance(v, tuple) and not hasattr(v, "_fields"):
        return tuple(_from_numpy(x, device) for x in v)
    if isinstance(v, tuple):  # named tuples (SVDResult ...)
        return type(v)(*[_from_numpy(x, device) for x in v])
    if isinstance(v, list):
        return [_from_numpy(x, device) for x in v]
    return v


def _device_of(v):
    """The device of the first ndgrad array in ``v`` (nested lists/tuples/dicts) that is
    not on the CPU, else None."""
    A = _array_type()
    if isinstance(v, A):
        return v.device if str(v.device) != "cpu" else None
    items = v.values() if isinstance(v, dict) else v if isinstance(v, (list, tuple)) else ()
    for x in items:
        d = _device_of(x)
        if d is not None:
            return d
    return None


def _recording(v):
    A = _array_type()
    from ._ops.registry import grad_state
    if not grad_state.enabled:
        return False
    if isinstance(v, A):
        return v._node is not None
    if isinstance(v, (list, tuple)):
        return any(_recording(x) for x in v)
    if isinstance(v, dict):
        return any(_recording(x) for x in v.values())
    return False


def _fallback(name, func, args, kwargs):
    if _recording(args) or _recording(kwargs):
        raise TypeError(f"numpy.{name} has no ndgrad version, and one of its inputs requires "
                        "grad: its gradient cannot be computed. Use an ndgrad function, or "
                        "detach the input (x.detach()) if only the values are needed")
    warnings.warn(f"numpy.{name} is not implemented by ndgrad: computed by NumPy on the CPU "
                  "values; gradients stop here", GradientStopWarning, stacklevel=4)
    return _from_numpy(func(*_to_numpy(args), **_to_numpy(kwargs)),
                       _device_of(args) or _device_of(kwargs))


def _write_out(res, out):
    from ._numpy._core import write_out
    outs = out if isinstance(out, tuple) else (out,)
    ress = res if isinstance(res, tuple) else (res,)
    for o, r in zip(outs, ress):
        if o is not None:
            write_out(r, o)
    return out[0] if isinstance(out, tuple) and len(out) == 1 else out


_CASTING_TAKERS: dict = {}


def _takes_casting(f):
    """Whether ndgrad function ``f`` takes NumPy's ufunc keywords ``dtype=`` and
    ``casting=`` (every ufunc of ndgrad's namespace but vecdot)."""
    got = _CASTING_TAKERS.get(f)
    if got is None:
        import inspect
        try:
            ps = inspect.signature(f).parameters
        except (TypeError, ValueError):
            ps = {}
        got = _CASTING_TAKERS[f] = ("dtype" in ps and "casting" in ps) or any(
            p.kind is p.VAR_KEYWORD for p in ps.values())
    return got


def array_ufunc(ufunc, method, inputs, kwargs):
    """``Array.__array_ufunc__``: NumPy ufuncs on ndgrad arrays run ndgrad's function."""
    if not callable(ufunc) or not isinstance(method, str):
        raise TypeError(f"__array_ufunc__ takes a ufunc and a method name, not "
                        f"{type(ufunc).__name__} and {type(method).__name__}")
    _fill()
    import ndgrad
    f = _TABLE.get(ufunc) or getattr(ndgrad, ufunc.__name__, None)
    if f is ufunc:
        f = None
    out = kwargs.pop("out", None)
    where = kwargs.pop("where", True)
    dtype = kwargs.pop("dtype", None)
    casting = kwargs.pop("casting", "same_kind")
    kwargs.pop("order", None)
    kwargs.pop("subok", None)
    if f is None or (method != "__call__" and not hasattr(f, method)):
        res = _fallback(f"{ufunc.__name__}.{method}" if method != "__call__" else
                        ufunc.__name__, getattr(ufunc, method) if method != "__call__"
                        else ufunc, inputs, dict(kwargs, **({"dtype": dtype} if dtype
                                                            else {})))
    elif method == "__call__":
        if not isinstance(casting, str):
            raise TypeError(f"casting must be str, not {type(casting).__name__}")
        if (dtype is not None or casting != "same_kind") and _takes_casting(f):
            # ndgrad's ufunc with NumPy's loop: the inputs cast to dtype= under casting=
            # (the result cast afterwards gave multiply(1.5, 2, dtype=int) 3, NumPy's 2,
            # and took a cast NumPy's casting= refuses)
            res = f(*inputs, dtype=dtype, casting=casting, **kwargs)
        else:
            res = f(*inputs, **kwargs)
            if dtype is not None:
                res = ndgrad.astype(res, dtype) if not isinstance(res, tuple) else tuple(
                    ndgrad.astype(r, dtype) for r in res)
    elif method == "at":
        return getattr(f, "at")(*inputs)
    else:
        if dtype is not None:
            kwargs["dtype"] = dtype
        res = getattr(f, method)(*inputs, **kwargs)
    if out is not None and method == "__call__":
        # NumPy's casting rule for the result into ``out`` (a float result was truncated
        # into an int ``out``: numpy.add(a, 1.5, out=x))
        from ._numpy._core import ufunc_out_check
        for o, r in zip(out if isinstance(out, tuple) else (out,),
                        res if isinstance(res, tuple) else (res,)):
            if o is not None:
                ufunc_out_check(ufunc.__name__, ndgrad.asarray(r).dtype, o, casting)
    if where is not True:
        if out is None:
            raise ValueError("where= needs out= (the unselected entries come from out)")
        o = out[0] if isinstance(out, tuple) else out
        res = ndgrad.where(ndgrad.asarray(where), res, o)
    if out is not None:
        return _write_out(res, out)
    return res


class _Active(threading.local):
    """The NumPy functions whose ndgrad version runs now, in this thread."""

    def __init__(self):
        self.funcs = []


_active = _Active()


def array_function(func, types, args, kwargs):
    """``Array.__array_function__``: NumPy functions on ndgrad arrays run ndgrad's.

    A call that arrives while ndgrad's version of the same function runs in this thread
    is that version handing ndgrad values back to NumPy's function: it gets NumPy's own
    implementation on the host values (a traced value then raises its clear error),
    where dispatching again would recurse without end."""
    _fill()
    active = _active.funcs
    if func in active:
        impl = getattr(func, "_implementation", None)
        if impl is not None:
            # (on host values: a recorded input would lose its gradient silently there,
            # so it is refused as _fallback refuses it)
            if _recording(args) or _recording(kwargs):
                name = getattr(func, "__name__", str(func))
                raise TypeError(f"numpy.{name} is computed by NumPy on host values here, "
                                "and one of its inputs requires grad: its gradient "
                                "cannot be computed. Detach the input (x.detach()) if "
                                "only the values are needed")
            return impl(*_to_numpy(args), **_to_numpy(kwargs))
    f = _TABLE.get(func)
    active.append(func)
    try:
        if f is None:
            mod = getattr(func, "__module__", "numpy") or "numpy"
            name = getattr(func, "__name__", str(func))
            return _fallback(name if mod == "numpy" else f"{mod}.{name}"[len("numpy."):] if
                             mod.startswith("numpy.") else name, func, args, kwargs)
        return f(*args, **kwargs)
    finally:
        active.pop()

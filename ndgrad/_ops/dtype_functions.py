"""Data type functions: astype, broadcast_arrays, broadcast_shapes, can_cast ..."""
from __future__ import annotations

from . import registry as _registry
from .registry import defop, apply
from .. import _dtypes
from .creation import _bdtype


def _astype_forward(xp, x, dtype, copy, src):
    return xp.astype(x, _bdtype(xp, dtype), copy=copy)


def _astype_vjp(xp, g, ans, x, dtype, copy, src):
    if src.kind not in "fc":
        return (None,)
    if dtype.kind == "f":
        # a real output: a complex cotangent (``real(c * astype(z, float32))``) counts by
        # its real part, also on its way back into a complex input
        g = _registry.real_cotangent(xp, g)
    if src == dtype:
        return (g,)
    if dtype.kind == "c" and src.kind == "f":
        g = xp.real(g)  # the imaginary part of the cotangent does not reach a real input
    return (xp.astype(g, _bdtype(xp, src)),)


_astype_op = defop("astype", _astype_forward, _astype_vjp, save="none")


def astype(x, dtype, /, *, copy=True, device=None):
    """``x`` converted to ``dtype``; differentiable between floating dtypes.

    >>> import ndgrad as nd
    >>> nd.astype(nd.asarray([1.7, -1.7]), nd.int32)
    array([ 1, -1], dtype=int32)
    """
    dtype = _dtypes.as_dtype(dtype)
    try:
        src = _dtypes.as_dtype(x.dtype)
    except AttributeError:
        # (NumPy's TypeError: a list has no dtype of its own to convert from)
        raise TypeError(f"Input should be a NumPy array or scalar: astype of a "
                        f"{type(x).__name__}; convert it first (asarray)") from None
    if device is not None:
        x = x.to_device(device)
    if dtype.kind not in "fc":
        with _no_record():
            return apply(_astype_op, (x,), {"dtype": dtype, "copy": copy, "src": src})
    return apply(_astype_op, (x,), {"dtype": dtype, "copy": copy, "src": src})


class _no_record:
    def __enter__(self):
        from .registry import grad_state, saved_grad_mode
        self.prev = saved_grad_mode()
        grad_state.enabled = False

    def __exit__(self, *exc):
        from .registry import restore_grad_mode
        restore_grad_mode(self.prev)



def broadcast_shapes(*shapes):
    """The shape that ``shapes`` broadcast to (``()`` for no shapes).

    A dimension may be None (unknown, as in a graph's static shape): it broadcasts like
    TensorFlow's static shapes do, to the known size when another shape has one larger
    than 1, and to None otherwise.

    >>> import ndgrad as nd
    >>> nd.broadcast_shapes((2, 1), (3,))
    (2, 3)
    >>> nd.broadcast_shapes((None, 1), (4,))
    (None, 4)
    """
    shapes = [(int(s),) if hasattr(s, "__index__") else  # NumPy also takes an int
              tuple(None if d is None else int(d) for d in s) for s in shapes]
    ndim = max((len(s) for s in shapes), default=0)
    out = []
    for i in range(-ndim, 0):
        dims = [s[i] for s in shapes if len(s) >= -i]
        known = {d for d in dims if d is not None and d != 1}
        if len(known) > 1:
            raise ValueError(f"shapes {', '.join(map(str, shapes))} cannot be broadcast "
                             f"together: axis {ndim + i} of the result has sizes "
                             f"{sorted(known)}")
        if known:
            out.append(known.pop())
        elif None in dims:
            out.append(None)
        else:
            out.append(1)
    return tuple(out)


__all__ = ['astype', 'broadcast_shapes']

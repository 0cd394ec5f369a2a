"""Data type functions: astype, broadcast_arrays, broadcast_shapes, can_cast ..."""
from __future__ import annotations

from .registry import defop, apply
from .. import _dtypes
from .._backend import numpy_backend


def _astype_forward(xp, x, dtype, copy):
    if xp is not numpy_backend.xp and getattr(xp, "__name__", "").startswith("array_api_strict"):
        dtype = getattr(xp, str(dtype))
    return xp.astype(x, dtype, copy=copy)


def _astype_vjp(xp, g, ans, x, dtype, copy, src):
    if src.kind not in "fc":
        return (None,)
    return (xp.astype(g, src) if g.dtype != src else g,)


_astype_op = defop("astype", _astype_forward, _astype_vjp, save="none")


def astype(x, dtype, /, *, copy=True, device=None):
    """``x`` converted to ``dtype``; differentiable between floating dtypes.

    >>> import ndgrad as nd
    >>> nd.astype(nd.asarray([1.7, -1.7]), nd.int32)
    array([ 1, -1], dtype=int32)
    """
    dtype = _dtypes.as_dtype(dtype)
    if device is not None:
        x = x.to_device(device)
    src = x.dtype
    if dtype.kind not in "fc":
        with _no_record():
            return apply(_astype_op, (x,), {"dtype": dtype, "copy": copy, "src": src})
    return apply(_astype_op, (x,), {"dtype": dtype, "copy": copy, "src": src})


class _no_record:
    def __enter__(self):
        from .registry import grad_state
        self.prev = grad_state.enabled
        grad_state.enabled = False

    def __exit__(self, *exc):
        from .registry import grad_state
        grad_state.enabled = self.prev


__all__ = ['astype']

"""Ops whose result depends on another input's *runtime* shape.

A symbolic tensor may have unknown dims (a ``(None, 3)`` placeholder); gradient rules
that need an input's shape then cannot take it from params. These ops take it from the
input itself at run time: summing a cotangent down to an input's shape
(``unbroadcast_like``), broadcasting or reshaping to it, scattering a slice's cotangent
into zeros shaped like the sliced input. Each is an ordinary registry op (forward +
gradient rule), so gradients of gradients work.

The helpers take ``xp`` like a gradient rule: on raw backend arrays they compute now, on
ndgrad Arrays or symbolic tensors they apply the op.
"""
from __future__ import annotations

import numpy as np

from .._ops.registry import defop, apply, nondiff
from .._ops import registry as _registry
from .shape import Dimension

__all__ = ["unbroadcast_like", "broadcast_like", "reshape_like", "scatter_like",
           "strided_slice", "ones_like", "zeros_like"]


def _symbolic(*xs):
    types = (_registry.Array,) + _registry.graph_hooks["types"]
    return any(isinstance(x, types) for x in xs)


def _like_rule(args, params):
    g, x = args[0], args[1]
    return [(x._shape, g._np_dtype)]


def _unbroadcast_raw(xp, g, shape):
    shape = tuple(shape)
    gshape = tuple(g.shape)
    if gshape == shape:
        return g
    lead = len(gshape) - len(shape)
    axes = tuple(range(lead)) + tuple(i + lead for i, s in enumerate(shape)
                                      if s == 1 and gshape[i + lead] != 1)
    if axes:
        g = xp.sum(g, axis=axes, keepdims=True)
    if lead:
        g = xp.reshape(g, shape)
    return g


def _unbroadcast_fwd(xp, g, x):
    return _unbroadcast_raw(xp, g, x.shape)


_unbroadcast_op = defop("unbroadcast_like", _unbroadcast_fwd,
                        lambda xp, gg, ans, g, x: (broadcast_like(xp, gg, g), None),
                        save="inputs", shape_rule=_like_rule)
_broadcast_op = defop("broadcast_like", lambda xp, g, x: xp.broadcast_to(g, x.shape),
                      lambda xp, gg, ans, g, x: (unbroadcast_like(xp, gg, g), None),
                      save="inputs", shape_rule=_like_rule)
_reshape_op = defop("reshape_like", lambda xp, g, x: xp.reshape(g, x.shape),
                    lambda xp, gg, ans, g, x: (reshape_like(xp, gg, g), None),
                    save="inputs", shape_rule=_like_rule)


def _unbroadcast_to_fwd(xp, g, lead, axes, gshape):
    if type(g) is np.ndarray:
        if lead:
            g = np.add.reduce(g, axis=lead)
        if axes:
            g = np.add.reduce(g, axis=axes, keepdims=True)
        return g
    if lead:
        g = xp.sum(g, axis=lead)
    if axes:
        g = xp.sum(g, axis=axes, keepdims=True)
    return g


def _unbroadcast_to_numpy_form(p, dtype):
    """The plan compiler's direct call (``compiler/direct.call_form``) for one sum."""
    if p["lead"] and not p["axes"]:
        return np.add.reduce, (p["lead"],)
    if p["axes"] and not p["lead"]:
        return np.add.reduce, (p["axes"], None, None, True)
    return None


_unbroadcast_to_fwd.numpy_form = _unbroadcast_to_numpy_form


_unbroadcast_to_op = defop(
    "unbroadcast_to", _unbroadcast_to_fwd,
    lambda xp, gg, ans, g, lead, axes, gshape: (xp.broadcast_to(gg, gshape),), save="none")


def unbroadcast_to(g, shape):
    """``g`` (of a fully known static shape) summed down to the static ``shape``: the
    leading axes summed away, the broadcast ones summed keeping their place."""
    gshape = tuple(g._shape if hasattr(g, "_shape") else g.shape)
    shape = tuple(shape)
    n = len(gshape) - len(shape)
    axes = tuple(i for i, s in enumerate(shape) if s == 1 and gshape[i + n] != 1)
    return apply(_unbroadcast_to_op, (g,), {"lead": tuple(range(n)), "axes": axes,
                                            "gshape": gshape})


def unbroadcast_like(xp, g, x):
    """``g`` summed down to the shape ``x`` has at run time."""
    if _symbolic(g, x):
        return apply(_unbroadcast_op, (g, x))
    return _unbroadcast_fwd(xp, g, x)


def broadcast_like(xp, g, x):
    """``g`` broadcast to the shape ``x`` has at run time."""
    if _symbolic(g, x):
        return apply(_broadcast_op, (g, x))
    return xp.broadcast_to(g, x.shape)


def reshape_like(xp, g, x):
    """``g`` reshaped to the shape ``x`` has at run time."""
    if _symbolic(g, x):
        return apply(_reshape_op, (g, x))
    return xp.reshape(g, x.shape)


# -- slicing ---------------------------------------------------------------------------
def _full(key):
    return key if any(k is Ellipsis for k in key) else key + (Ellipsis,)


def _scatter_fwd(xp, g, x, key):
    key = _full(key)
    z = xp.zeros(x.shape, dtype=g.dtype)
    z[key] = g
    return z


def _scatter_rule(args, params):
    return [(args[1]._shape, args[0]._np_dtype)]


_scatter_op = defop("scatter_like", _scatter_fwd,
                    lambda xp, gg, ans, g, x, key: (gg[_full(key)], None), save="inputs",
                    shape_rule=_scatter_rule)


def scatter_like(xp, g, x, key):
    """Zeros shaped like ``x`` (at run time) holding ``g`` at basic index ``key``."""
    if _symbolic(g, x):
        return apply(_scatter_op, (g, x), {"key": key})
    return _scatter_fwd(xp, g, x, key)


def _slice_vjp(xp, g, ans, x, key):
    return (scatter_like(xp, g, x, key),)


def _slice_rule(args, params):
    x = args[0]
    key = params["key"]
    if x._shape is None:
        return [(None, x._np_dtype)]
    items = key if isinstance(key, tuple) else (key,)
    n_real = sum(1 for k in items if k is not None and k is not Ellipsis)
    if n_real > len(x._shape):
        raise ValueError(f"Index out of range using input dim {len(x._shape)}; input "
                         f"shape {x.shape}, key {key!r}")
    if any(k is Ellipsis for k in items):
        i = items.index(Ellipsis)
        items = items[:i] + (slice(None),) * (len(x._shape) - n_real) + items[i + 1:]
    else:
        items = items + (slice(None),) * (len(x._shape) - n_real)
    out = []
    d = 0
    for k in items:
        if k is None:
            out.append(1)
            continue
        size = x._shape[d]
        d += 1
        if isinstance(k, slice):
            out.append(None if size is None else len(range(*k.indices(size))))
        else:
            if size is not None and not -size <= k < size:
                raise ValueError(f"slice index {k} of dimension {d - 1} out of bounds for "
                                 f"shape {x.shape}")
    return [(tuple(out), x._np_dtype)]


_slice_op = defop("strided_slice", lambda xp, x, key: x[key], _slice_vjp, save="inputs",
                  view=True, shape_rule=_slice_rule)


def _norm_key(key):
    items = key if isinstance(key, tuple) else (key,)
    out = []
    for k in items:
        if k is None or k is Ellipsis or isinstance(k, slice):
            if isinstance(k, slice):
                for part in (k.start, k.stop, k.step):
                    if part is not None and not isinstance(part, (int, np.integer,
                                                                  Dimension)):
                        raise TypeError("Only integers, slices (`:`), ellipsis (`...`), "
                                        "tf.newaxis (`None`) and scalar tf.int32/tf.int64 "
                                        f"tensors are valid indices, got {key!r}")
                k = slice(*(None if p is None else int(p) for p in (k.start, k.stop,
                                                                    k.step)))
            out.append(k)
        elif isinstance(k, (int, np.integer)) and not isinstance(k, bool):
            out.append(int(k))
        else:
            raise TypeError("Only integers, slices (`:`), ellipsis (`...`), tf.newaxis "
                            f"(`None`) and scalar tf.int32/tf.int64 tensors are valid "
                            f"indices, got {k!r}")
    if not any(k is Ellipsis for k in out):
        out.append(Ellipsis)     # the standard's indexing wants the trailing axes explicit
    return tuple(out)


def strided_slice(x, key):
    """``x[key]`` for a basic key (ints, slices, None, Ellipsis), on any runtime shape."""
    return apply(_slice_op, (x,), {"key": _norm_key(key)})


# -- shape-only constants ------------------------------------------------------------
def _same_rule(args, params):
    x = args[0]
    dt = params.get("dtype") or x._np_dtype
    return [(x._shape, np.dtype(dt))]


_ones_op = defop("ones_like_dynamic", lambda xp, x, dtype: xp.ones(x.shape, dtype=dtype or
                                                                    x.dtype),
                 None, shape_rule=_same_rule, **nondiff("constant"))
_zeros_op = defop("zeros_like_dynamic", lambda xp, x, dtype: xp.zeros(x.shape, dtype=dtype or
                                                                      x.dtype),
                  None, shape_rule=_same_rule, **nondiff("constant"))


def ones_like(x, dtype=None):
    return apply(_ones_op, (x,), {"dtype": dtype})


def zeros_like(x, dtype=None):
    return apply(_zeros_op, (x,), {"dtype": dtype})

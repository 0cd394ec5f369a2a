"""Small helpers shared by op files: axis normalisation, raw/ndgrad namespace checks."""
from __future__ import annotations

import operator

from numpy.exceptions import AxisError as _AxisError


def normalize_axis(axis, ndim, name="axis"):
    """``axis`` (int, tuple or None) as a tuple of non-negative ints; clear errors."""
    if axis is None:
        return tuple(range(ndim))
    if isinstance(axis, (list, tuple)):
        axes = tuple(normalize_axis_index(a, ndim, name) for a in axis)
        if len(set(axes)) != len(axes):
            raise ValueError(f"repeated {name} in {tuple(axis)}")
        return axes
    return (normalize_axis_index(axis, ndim, name),)


def normalize_axis_index(axis, ndim, name="axis"):
    try:
        axis = operator.index(axis)
    except TypeError:
        raise TypeError(f"{name} must be an int or a tuple of ints, not {axis!r}") from None
    if not -ndim <= axis < max(ndim, 1) or (ndim == 0 and axis not in (0, -1)):
        # NumPy's AxisError: both a ValueError and an IndexError (the standard's class)
        raise _AxisError(f"{name} {axis} is out of bounds for an array of dimension {ndim}")
    return axis % ndim if ndim else 0


def restore_reduced(xp, g, shape, axes, keepdims):
    """Bring a reduction's cotangent back to the input's rank (for broadcasting)."""
    if keepdims or not axes:
        return g
    new_shape = list(shape)
    for a in axes:
        new_shape[a] = 1
    return xp.reshape(g, tuple(new_shape))


def as_arrays(*xs):
    """Array inputs as Arrays: array-likes (lists, NumPy arrays) are converted, on the
    device of the first Array among them (symbolic graph tensors pass through)."""
    from . import registry
    from .creation import asarray
    kinds = (registry.Array,) + tuple(registry.graph_hooks["types"])
    ref = next((x for x in xs if isinstance(x, registry.Array)), None)
    out = []
    for x in xs:
        if not isinstance(x, kinds):
            x = asarray(x, device=ref.device) if ref is not None else asarray(x)
        out.append(x)
    return out[0] if len(out) == 1 else tuple(out)

"""Manipulation functions: reshape, broadcast_to, stack, concat, permute_dims ..."""
from __future__ import annotations

import math

import numpy as _np

from .registry import defop, apply
from .. import _dtypes
from ._common import normalize_axis, normalize_axis_index, shape_tuple


_ndarray = _np.ndarray


def shape_of(x):
    """``x.shape`` as a tuple of ints (None for a graph tensor's unknown dimensions)."""
    shape = x.shape
    if type(shape) is tuple:
        return shape
    return tuple(d if d is None or type(d) is int else getattr(d, "value", d)
                 for d in shape)


def _differ(a, b):
    """Two dimensions that are known and different."""
    return a is not None and b is not None and a != b


def _reshape_vjp(xp, g, ans, x, shape, copy, in_shape):
    return (xp.reshape(g, in_shape),)


_reshape_op = defop("reshape", lambda xp, x, shape, copy, in_shape: xp.reshape(
    x, shape, **({} if copy is None else {"copy": copy})), _reshape_vjp, save="none",
    view=True)


def reshape(x, /, shape, *, copy=None):
    """``x`` with a new shape (one dimension may be -1); a view where NumPy gives one.

    >>> import ndgrad as nd
    >>> nd.reshape(nd.zeros((2, 2)), (1, 4))
    array([[0., 0., 0., 0.]])
    """
    shape = shape_tuple(shape)
    in_shape = shape_of(x)
    if shape.count(-1) > 1:
        raise ValueError(f"reshape: only one dimension can be -1, got {shape}")
    if None not in in_shape:  # (a graph tensor's unknown dimension: the run checks)
        known = math.prod(s for s in shape if s != -1)
        size = math.prod(in_shape)
        if (known != size) if -1 not in shape else (known == 0 or size % known):
            raise ValueError(f"cannot reshape an array of shape {in_shape} (size {size}) "
                             f"into shape {shape}")
    return apply(_reshape_op, (x,), {"shape": shape, "copy": copy, "in_shape": in_shape})


def _broadcast_to_vjp(xp, g, ans, x, shape, in_shape):
    return (g,)  # the central unbroadcast step sums back to x's shape


_broadcast_to_op = defop("broadcast_to", lambda xp, x, shape, in_shape: xp.broadcast_to(
    x, shape), _broadcast_to_vjp, save="none", view=True)


def broadcast_to(x, /, shape):
    """``x`` broadcast to ``shape`` (a read-only view on NumPy).

    >>> import ndgrad as nd
    >>> nd.broadcast_to(nd.asarray([1, 2]), (2, 2))
    array([[1, 2],
           [1, 2]])
    """
    shape = shape_tuple(shape)
    in_shape = shape_of(x)
    if len(in_shape) > len(shape) or any(
            _differ(a, b) and a != 1 for a, b in zip(in_shape[::-1], shape[::-1])):
        raise ValueError(f"cannot broadcast an array of shape {in_shape} to shape {shape}")
    return apply(_broadcast_to_op, (x,), {"shape": shape, "in_shape": in_shape})


def _stack_forward(xp, *arrays, axis):
    return xp.stack(arrays, axis=axis)


def _stack_vjp(xp, g, ans, *arrays, axis):
    n = g.shape[axis]
    return tuple(_index_axis(g, axis, i) for i in range(n))


def _index_axis(g, axis, i):
    key = (slice(None),) * (axis % g.ndim) + (i, Ellipsis)
    return g[key]


_stack_op = defop("stack", _stack_forward, _stack_vjp, save="none")


def stack(arrays, /, *, axis=0):
    """Join arrays of one shape along a new axis.

    >>> import ndgrad as nd
    >>> nd.stack([nd.asarray([1, 2]), nd.asarray([3, 4])])
    array([[1, 2],
           [3, 4]])
    """
    arrays = tuple(arrays)
    if not arrays:
        raise ValueError("stack needs at least one array")
    shapes = [shape_of(a) for a in arrays]
    if any(len(s) != len(shapes[0]) or any(map(_differ, s, shapes[0])) for s in shapes):
        raise ValueError(f"stack: all arrays must have the same shape; got {shapes}")
    normalize_axis_index(axis, len(shapes[0]) + 1)
    return apply(_stack_op, arrays, {"axis": axis})


# -- broadcast_arrays -----------------------------------------------------------------
def broadcast_arrays(*arrays):
    """The arrays broadcast against one another (a tuple of views on NumPy).

    >>> import ndgrad as nd
    >>> a, b = nd.broadcast_arrays(nd.asarray([[1.], [2.]]), nd.asarray([3., 4., 5.]))
    >>> a.shape, b.shape
    ((2, 3), (2, 3))
    """
    from .dtype_functions import broadcast_shapes
    shape = broadcast_shapes(*(shape_of(a) for a in arrays))
    return tuple(broadcast_to(a, shape) for a in arrays)


# -- concat -------------------------------------------------------------------------
def _concat_forward(xp, *arrays, axis, shapes, dtypes, out_dtype):
    return xp.concat(arrays, axis=axis)


def _concat_vjp(xp, g, ans, *arrays, axis, shapes, dtypes, out_dtype):
    out = []
    start = 0
    for shape, dtype in zip(shapes, dtypes):
        if axis is None:
            n = math.prod(shape)
            gi = xp.reshape(g[start:start + n], shape)
        else:
            n = shape[axis]
            gi = g[(slice(None),) * axis + (slice(start, start + n), Ellipsis)]
        start += n
        if dtype.kind not in "fc":
            out.append(None)
            continue
        if dtype != out_dtype:
            gi = xp.astype(gi, _backend_dtype(xp, dtype))
        out.append(gi)
    return tuple(out)


def _backend_dtype(xp, dtype):
    from .creation import _bdtype
    return _bdtype(xp, dtype)


_concat_op = defop("concat", _concat_forward, _concat_vjp, save="none")


def concat(arrays, /, *, axis=0):
    """Join arrays along an existing axis (flattened first when ``axis`` is None).

    The gradient splits the cotangent back into the pieces.

    >>> import ndgrad as nd
    >>> nd.concat([nd.asarray([1, 2]), nd.asarray([3])])
    array([1, 2, 3])
    """
    arrays = tuple(arrays)
    if not arrays:
        raise ValueError("concat needs at least one array")
    shapes = tuple(shape_of(a) for a in arrays)
    dtypes = tuple(_dtypes.as_dtype(a.dtype) for a in arrays)
    params = {"shapes": shapes, "dtypes": dtypes, "out_dtype": _dtypes.result_type(*dtypes)
              if len(set(dtypes)) > 1 else dtypes[0]}
    if axis is None:
        return apply(_concat_op, arrays, {"axis": None, **params})
    ndim = len(shapes[0])
    if ndim == 0:
        raise ValueError("concat: zero-dimensional arrays cannot be concatenated along an "
                         "axis (use axis=None or stack)")
    if any(len(s) != ndim for s in shapes):
        raise ValueError(f"concat: all arrays must have the same number of dimensions; got "
                         f"shapes {list(shapes)}")
    ax = normalize_axis_index(axis, ndim)
    for s in shapes[1:]:
        if any(map(_differ, s[:ax] + s[ax + 1:], shapes[0][:ax] + shapes[0][ax + 1:])):
            raise ValueError(f"concat: shapes {list(shapes)} differ outside axis {axis}")
    return apply(_concat_op, arrays, {"axis": ax, **params})


# -- expand_dims / squeeze --------------------------------------------------------------
def _shape_back_vjp(xp, g, ans, x, axis, in_shape):
    return (xp.reshape(g, in_shape),)


_expand_dims_op = defop("expand_dims", lambda xp, x, axis, in_shape: xp.expand_dims(
    x, axis=axis), _shape_back_vjp, save="none", view=True)


def expand_dims(x, /, axis):
    """``x`` with new axes of size one at ``axis`` (an int or, since 2025.12, a tuple of
    positions in the result); a view on NumPy.

    >>> import ndgrad as nd
    >>> nd.expand_dims(nd.asarray([1, 2]), axis=(0, 2)).shape
    (1, 2, 1)
    """
    in_shape = shape_of(x)
    if isinstance(axis, (tuple, list)):
        m = len(in_shape) + len(axis)
        axes = tuple(normalize_axis_index(a, m) for a in axis)
        if len(set(axes)) != len(axes):
            raise ValueError(f"expand_dims: repeated axis in {tuple(axis)}")
        axes = tuple(sorted(axes))
        if len(axes) == 1:
            axes = axes[0]
    else:
        axes = normalize_axis_index(axis, len(in_shape) + 1)
    return apply(_expand_dims_op, (x,), {"axis": axes, "in_shape": in_shape})


_squeeze_op = defop("squeeze", lambda xp, x, axis, in_shape: xp.squeeze(x, axis=axis),
                    _shape_back_vjp, save="none", view=True)


def squeeze(x, /, axis):
    """``x`` without the size-one axes ``axis`` (an int or a tuple); a view on NumPy.

    >>> import ndgrad as nd
    >>> nd.squeeze(nd.zeros((1, 2, 1)), axis=(0, 2)).shape
    (2,)
    """
    in_shape = shape_of(x)
    axes = normalize_axis(axis, len(in_shape))
    for a in axes:
        if _differ(in_shape[a], 1):
            raise ValueError(f"squeeze: axis {a} of an array of shape {in_shape} has size "
                             f"{in_shape[a]}, not 1")
    return apply(_squeeze_op, (x,), {"axis": axes, "in_shape": in_shape})


# -- flip / roll ------------------------------------------------------------------------
def _flip_vjp(xp, g, ans, x, axis):
    return (xp.flip(g, axis=axis),)


_flip_op = defop("flip", lambda xp, x, axis: xp.flip(x, axis=axis), _flip_vjp,
                 save="none", view=True)


def flip(x, /, *, axis=None):
    """``x`` with the order of elements reversed along ``axis`` (all axes by default); a
    view on NumPy.

    >>> import ndgrad as nd
    >>> nd.flip(nd.asarray([[1, 2], [3, 4]]), axis=1)
    array([[2, 1],
           [4, 3]])
    """
    shape = x.shape
    if type(shape) is not tuple and getattr(shape, "rank", 0) is None:
        # a graph tensor of unknown rank (tf.reverse of a placeholder of shape None): the
        # axes as given, read by NumPy's flip when the values are known
        axes = None if axis is None else (
            tuple(int(a) for a in axis) if isinstance(axis, (tuple, list)) else int(axis))
    else:
        axes = None if axis is None else normalize_axis(axis, len(shape_of(x)))
    return apply(_flip_op, (x,), {"axis": axes})


def _roll_vjp(xp, g, ans, x, shift, axis):
    back = tuple(-s for s in shift) if isinstance(shift, tuple) else -shift
    return (xp.roll(g, back, axis=axis),)


_roll_op = defop("roll", lambda xp, x, shift, axis: xp.roll(x, shift, axis=axis), _roll_vjp,
                 save="none")


def roll(x, /, shift, *, axis=None):
    """Shift elements along ``axis`` (the flattened array by default), wrapping around.

    >>> import ndgrad as nd
    >>> nd.roll(nd.asarray([1, 2, 3, 4]), 1)
    array([4, 1, 2, 3])
    """
    ndim = len(shape_of(x))
    if isinstance(shift, (tuple, list)):
        shift = tuple(int(s) for s in shift)
    else:
        shift = int(shift)
    if axis is not None:
        if isinstance(axis, (tuple, list)):
            axis = tuple(normalize_axis_index(a, ndim) for a in axis)
            if isinstance(shift, tuple) and len(shift) != len(axis):
                raise ValueError(f"roll: shift {shift} and axis {axis} must have the same "
                                 "length")
        else:
            axis = normalize_axis_index(axis, ndim)
            if isinstance(shift, tuple):
                raise ValueError(f"roll: a tuple shift {shift} needs a tuple axis of the "
                                 f"same length, not axis {axis}")
    elif isinstance(shift, tuple):
        raise ValueError(f"roll: a tuple shift {shift} needs a tuple axis")
    return apply(_roll_op, (x,), {"shift": shift, "axis": axis})


# -- permute_dims / moveaxis -----------------------------------------------------------
def _permute_vjp(xp, g, ans, x, axes):
    inv = [0] * len(axes)
    for i, a in enumerate(axes):
        inv[a] = i
    return (xp.permute_dims(g, tuple(inv)),)


_permute_op = defop("permute_dims", lambda xp, x, axes: xp.permute_dims(x, axes),
                    _permute_vjp, save="none", view=True)


def permute_dims(x, /, axes):
    """``x`` with its axes reordered (negative axes allowed); a view on NumPy.

    >>> import ndgrad as nd
    >>> nd.permute_dims(nd.zeros((2, 3, 4)), (2, 0, 1)).shape
    (4, 2, 3)
    """
    ndim = len(shape_of(x))
    axes = tuple(axes)
    if len(axes) == ndim and sorted(axes) == list(range(ndim)) and \
            all(type(a) is int for a in axes):
        # (already a permutation of non-negative ints, x.T's and most callers': no
        # normalization, which costs about 1 us an axis)
        return apply(_permute_op, (x,), {"axes": axes})
    norm = tuple(normalize_axis_index(a, ndim) for a in axes)
    if len(norm) != ndim or sorted(norm) != list(range(ndim)):
        raise ValueError(f"permute_dims: axes {axes} are not a permutation of the "
                         f"{ndim} axes of an array of shape {shape_of(x)}")
    return apply(_permute_op, (x,), {"axes": norm})


def _moveaxis_vjp(xp, g, ans, x, source, destination):
    return (xp.moveaxis(g, destination, source),)


_moveaxis_op = defop("moveaxis", lambda xp, x, source, destination: xp.moveaxis(
    x, source, destination), _moveaxis_vjp, save="none", view=True)


def moveaxis(x, source, destination, /):
    """``x`` with axes ``source`` moved to positions ``destination``; a view on NumPy.

    >>> import ndgrad as nd
    >>> nd.moveaxis(nd.zeros((2, 3, 4)), 0, -1).shape
    (3, 4, 2)
    """
    ndim = len(shape_of(x))
    src = normalize_axis(source if isinstance(source, (tuple, list)) else (source,), ndim,
                         "source")
    dst = normalize_axis(destination if isinstance(destination, (tuple, list))
                         else (destination,), ndim, "destination")
    if len(src) != len(dst):
        raise ValueError(f"moveaxis: source {source} and destination {destination} must "
                         "have the same number of elements")
    return apply(_moveaxis_op, (x,), {"source": src, "destination": dst})


# -- repeat / tile ------------------------------------------------------------------------
def _repeat_forward(xp, x, *rep, repeats, axis, in_shape):
    r = rep[0] if rep else repeats
    if axis is None:
        x = xp.reshape(x, (-1,))
        axis = 0
    return xp.repeat(x, r, axis=axis)


def _repeat_vjp(xp, g, ans, x, *rep, repeats, axis, in_shape):
    ax = 0 if axis is None else axis
    flat_shape = (math.prod(in_shape),) if axis is None else in_shape
    if not rep:
        # each element repeated ``repeats`` times in a row: sum the runs
        split = flat_shape[:ax] + (flat_shape[ax], repeats) + flat_shape[ax + 1:]
        gx = xp.sum(xp.reshape(g, split), axis=ax + 1)
    else:
        from . import registry as _registry
        from .indexing import scatter_add
        from .._backend import backend_of
        r = rep[0]
        r = r._data if isinstance(r, _registry.Array) else r
        if isinstance(r, _registry.graph_hooks["types"]):
            # a graph's counts have no value yet: differences of the cotangent's running
            # sums at the runs' ends (standard ops only)
            n = flat_shape[ax]
            ends = xp.cumulative_sum(xp.broadcast_to(r, (n,)), include_initial=True)
            cs = xp.cumulative_sum(g, axis=ax, include_initial=True)
            gx = xp.take(cs, ends[1:], axis=ax) - xp.take(cs, ends[:-1], axis=ax)
        else:
            bxp = backend_of(r).xp
            seg = bxp.repeat(bxp.arange(flat_shape[ax]), r, axis=0)
            gx = scatter_add(xp, g, (slice(None),) * ax + (seg,), flat_shape)
    if axis is None:
        gx = xp.reshape(gx, in_shape)
    return (gx,) + (None,) * len(rep)


_repeat_op = defop("repeat", _repeat_forward, _repeat_vjp, save="inputs")


def repeat(x, repeats, /, *, axis=None):
    """Repeat each element ``repeats`` times (an int, or an integer array with one count
    per element) along ``axis`` (of the flattened array by default).

    The gradient sums the copies back into each element.

    >>> import ndgrad as nd
    >>> nd.repeat(nd.asarray([1, 2]), 2)
    array([1, 1, 2, 2])
    """
    in_shape = shape_of(x)
    if axis is not None:
        axis = normalize_axis_index(axis, len(in_shape))
    n = (None if None in in_shape else math.prod(in_shape)) if axis is None \
        else in_shape[axis]
    if hasattr(repeats, "shape") and len(repeats.shape) == 0:
        repeats = int(repeats)  # a 0-d array (or NumPy integer) is one count for all
    if hasattr(repeats, "shape"):
        rshape = shape_of(repeats)
        if len(rshape) != 1 or (_differ(rshape[0], n) and rshape[0] != 1):
            raise ValueError(f"repeat: repeats of shape {rshape} do not match the {n} "
                             f"elements along axis {axis} of an array of shape {in_shape}")
        if repeats.dtype.kind not in "iu":
            raise TypeError(f"repeat: repeats must have an integer dtype, not "
                            f"{repeats.dtype}")
        return apply(_repeat_op, (x, repeats), {"repeats": None, "axis": axis,
                                                "in_shape": in_shape})
    repeats = int(repeats)
    if repeats < 0:
        raise ValueError(f"repeat: repeats must be non-negative, got {repeats}")
    return apply(_repeat_op, (x,), {"repeats": repeats, "axis": axis, "in_shape": in_shape})


def _tile_vjp(xp, g, ans, x, repetitions, in_shape):
    m = len(repetitions)
    shape = (1,) * (m - len(in_shape)) + in_shape
    reps = (1,) * (len(in_shape) - m) + repetitions
    split = []
    for r, s in zip(reps, shape):
        split += [r, s]
    gs = xp.reshape(g, tuple(split))
    gx = xp.sum(gs, axis=tuple(range(0, 2 * len(shape), 2)))
    return (xp.reshape(gx, in_shape),)


_tile_op = defop("tile", lambda xp, x, repetitions, in_shape: xp.tile(x, repetitions),
                 _tile_vjp, save="none")


def tile(x, repetitions, /):
    """``x`` repeated ``repetitions[i]`` times along each axis ``i``; the gradient sums
    the tiles.

    >>> import ndgrad as nd
    >>> nd.tile(nd.asarray([1, 2]), (2,))
    array([1, 2, 1, 2])
    """
    repetitions = tuple(int(r) for r in repetitions)
    if any(r < 0 for r in repetitions):
        raise ValueError(f"tile: repetitions must be non-negative, got {repetitions}")
    return apply(_tile_op, (x,), {"repetitions": repetitions, "in_shape": shape_of(x)})


# -- unstack ------------------------------------------------------------------------------
def _unstack_forward(xp, x, axis):
    return tuple(xp.unstack(x, axis=axis))


def _unstack_vjp(xp, g, ans, x, axis):
    ref = next(gi for gi in g if gi is not None)
    parts = [gi if gi is not None else xp.zeros_like(ref) for gi in g]
    return (xp.stack(parts, axis=axis),)


_unstack_op = defop("unstack", _unstack_forward, _unstack_vjp, save="none", multi=True)


def unstack(x, /, *, axis=0):
    """The slices of ``x`` along ``axis``, as a tuple (views on NumPy); the gradient
    stacks the slices' cotangents back.

    >>> import ndgrad as nd
    >>> nd.unstack(nd.asarray([[1, 2], [3, 4]]), axis=1)
    (array([1, 3]), array([2, 4]))
    """
    from . import registry as _registry
    shape = shape_of(x)
    if not shape:
        raise ValueError("unstack needs an array of at least one dimension, not a 0-d array")
    ax = normalize_axis_index(axis, len(shape))
    Array = _registry.Array
    lead = (slice(None),) * ax
    if type(x) is Array and type(x._data) is _ndarray and len(shape) > 1 and (
            x._node is None or not _registry.grad_state.enabled):
        # nothing recorded: NumPy's own views (iterating over the moved axis), one wrapper
        # each; no per-slice trip through apply (a 1-D input's slices are NumPy scalars,
        # made 0-d arrays by the general path). Every slice is a view of x.
        d = x._data
        outs = tuple(map(_registry.wrap, d if ax == 0 else _np.moveaxis(d, ax, 0)))
        ks, views = range(len(outs)), outs          # (every slice is a view of x)
    else:
        outs = apply(_unstack_op, (x,), {"axis": ax})
        ks = [k for k, o in enumerate(outs) if getattr(o._data, "base", True) is not None
              ] if isinstance(x, Array) else ()
        views = [outs[k] for k in ks]
    if ks:
        # each slice is a view of x on NumPy: writes through it must reach x's gradient
        from .indexing import _getitem_op
        from .._autograd.inplace import register_views
        register_views(x, views, _getitem_op,
                       [{"key": lead + (k, Ellipsis), "shape": shape, "basic": True}
                        for k in ks])
    return outs


__all__ = ['reshape', 'broadcast_to', 'stack', 'broadcast_arrays', 'concat', 'expand_dims',
           'flip', 'moveaxis', 'permute_dims', 'repeat', 'roll', 'squeeze', 'tile', 'unstack']

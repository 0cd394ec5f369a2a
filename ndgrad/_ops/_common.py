"""Small helpers shared by op files: axis normalisation, raw/ndgrad namespace checks."""
from __future__ import annotations

import operator
from sys import getrefcount as _refs

import numpy as _np
from numpy.exceptions import AxisError as _AxisError

from .registry import REUSE_BYTES, _REUSE

_ndarray = _np.ndarray


def integer_arg(v, what=None):
    """``v`` as a Python int, as NumPy reads an integer argument: ``operator.index`` (an
    integer, a 0-d integer array), a boolean refused (Python's bool is an int: ``(True,
    -1)`` was read as ``(1, -1)``), a float refused (``int(2.5)`` would make it 2).
    ``what`` names the argument in the error (None: NumPy's own message).

    >>> integer_arg(_np.int8(3)), integer_arg(_np.array(2))
    (3, 2)
    """
    if isinstance(v, (bool, _np.bool_)) or getattr(v, "dtype", None) is not None and \
            v.dtype.kind == "b":
        raise TypeError(f"'{type(v).__name__}' object cannot be interpreted as an integer"
                        if what is None else f"{what} must be an integer, not {v!r}")
    try:
        return operator.index(v)
    except TypeError as e:
        if type(e) is not TypeError or what is None:
            raise    # (nd.jit's traced value: its own error, naming it; NumPy's message)
        raise TypeError(f"{what} must be an integer, not {v!r}") from None


def number_arg(v):
    """``v`` as a Python number where it is a NumPy integer or float32/float16 scalar, as
    NumPy's number arguments take them (``ddof=np.int64(1)``, ``ord=np.int64(1)``);
    anything else (a NumPy float64, a subclass of Python's float, too) as it is.

    >>> number_arg(_np.int64(1)), number_arg(_np.float32(0.5)), number_arg(None)
    (1, 0.5, None)
    """
    if isinstance(v, (_np.integer, _np.floating)) and not isinstance(v, float):
        return v.item()
    return v


def shape_tuple(shape):
    """A shape argument as NumPy reads one: an integer (a 0-d integer array too) or a
    sequence of them (a 1-d integer array too), as a tuple of Python ints (negative ones
    kept: reshape's -1). Booleans, floats and other iterables (a generator) are refused
    with NumPy's TypeError, where ``int()`` would have truncated a float
    (``zeros(np.array(2.5))`` was of shape (2,)).

    >>> shape_tuple(3), shape_tuple(_np.array([2, 3])), shape_tuple((_np.int8(2), -1))
    ((3,), (2, 3), (2, -1))
    """
    t = type(shape)
    if t is int:
        return (shape,)
    if t is tuple:
        # (the common case, a tuple of Python ints, returned as it is: ``type(s) is int``
        # lets no bool, float or NumPy integer through, which the general path reads)
        for s in shape:
            if type(s) is not int:
                break
        else:
            return shape
    given = shape
    if not isinstance(shape, (tuple, list)):
        if getattr(shape, "ndim", 0) == 1:
            shape = list(shape)        # NumPy reads a 1-d array as a sequence of sizes
        elif hasattr(shape, "__index__") or isinstance(shape, (bool, _np.bool_)):
            shape = (shape,)
        elif hasattr(shape, "__len__") and hasattr(shape, "__getitem__"):
            shape = tuple(shape)       # (a sequence: range, TensorShape)
        else:
            # (a generator: read once by a check, it left an empty shape behind)
            raise TypeError(f"expected a sequence of integers or a single integer, got "
                            f"{given!r}")
    try:
        return tuple(integer_arg(s, "a shape's size") for s in shape)
    except TypeError as e:
        if type(e) is not TypeError:
            raise    # (nd.jit's traced value: its own error, naming it)
        raise TypeError(f"shape must be an int or a sequence of ints, not {given!r}") \
            from None


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


def unit_spread(g):
    """Whether cotangent ``g`` is NumPy's zero-stride spread of exactly 1 (real): what a
    sum's rule sends back from a gradient's seed. ``g * v`` is then ``v``'s values."""
    return (type(g) is _ndarray and g.base is not None and g.dtype.kind == "f"
            and not any(g.strides) and g.size and g.item(0) == 1.0)


def times(g, v):
    """``g * v`` in a gradient rule, where ``v`` is an array someone else may hold (an
    input, a saved result). For a unit spread ``g`` (``unit_spread``) of ``v``'s shape and
    dtype: a read-only view of ``v``, no pass over memory. Backward never writes into a
    read-only cotangent and copies one before giving it out (``.grad``, the verbs'
    results), so the view never lets a write reach ``v``."""
    if (type(g) is _ndarray and g.base is not None and type(v) is _ndarray
            and v.shape == g.shape and v.dtype == g.dtype and unit_spread(g)):
        w = v.view()
        w.flags.writeable = False
        return w
    return g * v


def times_last(g, v):
    """``times(g, v)`` at the last use of a rule's cotangent ``g``, called through
    multiply's rule as first-order backward calls it (engine -> ``_mul_vjp`` ->
    ``_mul_vjp_view`` -> here). When ``g`` is a read-only view of a whole buffer that
    nobody else holds (the view a ``times`` of an earlier rule made of a saved result
    that backward has dropped since: exp's ``ans``), the product is written into that
    buffer: one fresh array and its page faults less, as NumPy writes ``e * x`` into a
    dead temporary ``e``.

    Reference counts prove it (CPython 3.11-3.13, ``registry._REUSE``): ``g`` is held by
    the engine's walk once, by the three rule frames and by getrefcount's argument (5);
    the buffer by ``g.base``, our local and getrefcount's argument (3). A retained graph
    (the saved result), a user's name for the result or any view of it, a cotangent also
    sent to another node: each is one reference more, and then a fresh product."""
    if (_REUSE and type(g) is _ndarray and type(v) is _ndarray and g.dtype.kind == "f"
            and g.nbytes >= REUSE_BYTES and not g.flags.writeable):
        b = g.base
        if (type(b) is _ndarray and b.base is None and b.shape == g.shape
                and b.dtype == g.dtype and b.flags.writeable and b.flags.owndata
                and b.flags.c_contiguous and g.flags.c_contiguous
                and v.shape == g.shape and v.dtype == g.dtype
                and _refs(g) == 5 and _refs(b) == 3):
            # (a C-contiguous view of the whole size of a C-contiguous buffer is that
            # buffer, element for element: the product is computed in place)
            return _np.multiply(g, v, out=b)
    return times(g, v)


def times_fresh(g, t):
    """``g * t`` in a gradient rule, where ``t`` is the rule's own fresh temporary (no one
    else holds it): ``t`` itself for a unit spread ``g`` of its shape and dtype."""
    if type(g) is _ndarray and type(t) is _ndarray and t.shape == g.shape \
            and t.dtype == g.dtype and t.dtype.kind == "f":
        if g.base is not None and unit_spread(g):
            return t
        # into ``t`` (NumPy's temporary elision does not see a temporary passed as an
        # argument); real only: NumPy's complex multiply in place may differ in a last bit
        return _np.multiply(g, t, out=t)
    return g * t


def owned(g, min_bytes=None):
    """Whether NumPy cotangent ``g``, as a gradient rule received it from first-order
    backward, is held by the engine alone, so the rule may write its result into it: its
    own buffer, writable, at least ``REUSE_BYTES``, and no reference beyond the engine's
    one (the walk's ``g``), the rule's parameter, ours and getrefcount's argument. Call it
    from the rule itself, as ``owned(g)``, before anything else holds ``g``
    (``min_bytes``: a rule whose saving is more than page faults may ask less). Reference
    counts prove it on CPython 3.11-3.13 only (``registry._REUSE``); elsewhere never.

    A cotangent the engine holds twice (carried to the next node as well as the current
    one), a user's array a custom rule returned, a value also sent to another node, a
    retained ``.grad``: each is one reference more, so not owned."""
    return (_REUSE and type(g) is _ndarray and g.base is None
            and g.nbytes >= (REUSE_BYTES if min_bytes is None else min_bytes)
            and g.flags.writeable and _refs(g) == 4)

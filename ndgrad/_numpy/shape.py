"""NumPy's shape and joining functions: ``concatenate``, ``vstack``, ``split``, ``transpose``,
``pad``, ``insert``, ``delete`` ...

All are differentiable: they are built from the standard's ``concat``, ``permute_dims``,
``reshape`` and indexing, whose gradients compose.
"""
from __future__ import annotations

import builtins
import math
import operator

import numpy as np

from .._ops import registry as _registry
from .._ops._common import integer_arg, normalize_axis_index, normalize_axis, shape_tuple
from ._core import write_out as _out, take_out_check
from ._core import numpy_data, int_axis
from ._core import (norm_order, axis_index, std, arr, arrs, copy_of, is_array, is_symbolic, to_numpy,
                    host_result, plain_numpy, nodiff_guard)

__all__ = ["concatenate", "vstack", "hstack", "dstack", "column_stack", "row_stack", "split",
           "array_split", "hsplit", "vsplit", "dsplit", "transpose", "swapaxes", "rollaxis",
           "ravel", "atleast_1d", "atleast_2d", "atleast_3d", "pad", "append", "insert",
           "delete", "diagonal", "fliplr", "flipud", "rot90", "resize", "trim_zeros",
           "block", "broadcast_arrays", "shape", "ndim", "size", "squeeze", "expand_dims",
           "flip", "roll", "stack", "tile", "repeat", "moveaxis", "reshape", "unstack",
           "matrix_transpose", "permute_dims", "concat", "broadcast_to", "take"]


def concatenate(arrays, axis=0, out=None, *, dtype=None, casting="same_kind"):
    """Join arrays along an existing axis (``axis=None`` flattens them first).

    >>> import ndgrad as np
    >>> np.concatenate([[1, 2], [3]])
    array([1, 2, 3])
    """
    if out is None and dtype is None and type(axis) is int:
        datas = _plain_arrays(arrays)
        if datas is not None:
            return _registry.wrap(np.concatenate(datas, axis, casting=casting))
    arrays = list(arrays)
    int_axis(axis)
    # Python int/float/complex items are weak scalars (NEP 50), as in NumPy: they take the
    # other inputs' dtype (np.concatenate([float32 array, 1.], axis=None) is float32)
    weak = [type(a) in (int, float, complex) for a in arrays]
    common = None
    if any(weak):
        common = np.result_type(*[a if w else arr(a).dtype for a, w in zip(arrays, weak)])
    arrays = arrs(*arrays)
    if not arrays:
        raise ValueError("need at least one array to concatenate")
    if axis is None:
        arrays = [std("reshape")(a, (-1,)) for a in arrays]
        axis = 0
    if any(a.ndim == 0 for a in arrays):
        raise ValueError("zero-dimensional arrays cannot be concatenated")
    if common is not None:
        # (NumPy casts a weak scalar whatever the casting rule: -1 joined to uint8 is 255)
        strong = [a for a, w in zip(arrays, weak) if not w]
        _join_casting("concatenate", strong or arrays, dtype, out, casting, common)
        arrays = [arr(a, common) if w else a for a, w in zip(arrays, weak)]
    else:
        _join_casting("concatenate", arrays, dtype, out, casting)
    if dtype is not None:
        arrays = [arr(a, dtype) for a in arrays]
    res = std("concat")(arrays, axis=axis)
    return _join_out("concatenate", res, out)


def _plain_arrays(arrays):
    """The NumPy buffers of ``arrays`` (a non-empty list or tuple) when each is an ndgrad
    array on NumPy that no gradient records and no nd.jit trace reads, else None: a join
    of those is NumPy's own call (a fresh array; the path below ends in the same call,
    after checks NumPy makes too, ``casting`` among them)."""
    if type(arrays) is not list and type(arrays) is not tuple or not arrays or \
            _registry._trace_reads:
        return None
    recording = _registry.grad_state.enabled
    datas = []
    for a in arrays:
        if type(a) is not _registry.Array:
            return None
        d = a._data
        if type(d) is not np.ndarray or recording and a._node is not None:
            return None
        datas.append(d)
    return datas


def _join_out(name, res, out):
    """``res`` written into ``out``, which must have its shape exactly, as NumPy's joins
    require (``out[...] = res`` broadcast a (4,) result into an out of shape (2, 4))."""
    if out is not None and hasattr(out, "shape") and not is_symbolic(out) and \
            tuple(out.shape) != tuple(res.shape):
        raise ValueError(f"{name}: out= has shape {tuple(out.shape)}, the result "
                         f"{tuple(res.shape)}: they must be the same")
    return _out(res, out)


def _join_casting(name, arrays, dtype, out, casting, common=None):
    """NumPy's casting rule for joining, checked before anything is written: each input
    to the result's dtype (``dtype=``, or ``out=``'s, or the inputs' common one: ``common``
    when given)."""
    if out is not None and dtype is not None:
        raise TypeError(f"{name}() only takes `out` or `dtype` as an argument, but both "
                        "were provided.")
    target = np.dtype(dtype) if dtype is not None else np.dtype(out.dtype) \
        if out is not None else common if common is not None else \
        np.result_type(*[a.dtype for a in arrays])
    for a in arrays:
        if not np.can_cast(a.dtype, target, casting):
            raise TypeError(f"Cannot cast array data from {np.dtype(a.dtype)!r} to "
                            f"{target!r} according to the rule {casting!r}")


def concat(arrays, /, axis=0, out=None, *, dtype=None, casting="same_kind"):
    """Join arrays along an existing axis (the standard's name for ``concatenate``, with
    NumPy's signature: ``numpy.concat`` is ``numpy.concatenate``).

    >>> import ndgrad as np
    >>> np.concat([[1], [2]]), np.concat([[1.5], [2]], 0, dtype=np.float32)
    (array([1, 2]), array([1.5, 2. ], dtype=float32))
    """
    return concatenate(arrays, axis, out, dtype=dtype, casting=casting)


def stack(arrays, axis=0, out=None, *, dtype=None, casting="same_kind"):
    """Join arrays of one shape along a new axis.

    >>> import ndgrad as np
    >>> np.stack([[1, 2], [3, 4]], axis=1)
    array([[1, 3],
           [2, 4]])
    """
    if out is None and dtype is None and type(axis) is int:
        datas = _plain_arrays(arrays)
        if datas is not None:
            return _registry.wrap(np.stack(datas, axis, casting=casting))
    arrays = arrs(*arrays)
    if not arrays:
        raise ValueError("need at least one array to stack")
    _join_casting("stack", arrays, dtype, out, casting)
    arrays = [arr(a, dtype) for a in arrays]
    return _join_out("stack", std("stack")(arrays, axis=axis), out)


def atleast_1d(*arys):
    """Each input as an array of at least one dimension.

    >>> import ndgrad as np
    >>> np.atleast_1d(3.0)
    array([3.])
    """
    res = [std("reshape")(a, (1,)) if a.ndim == 0 else a for a in map(arr, arys)]
    return res[0] if len(res) == 1 else tuple(res)


def atleast_2d(*arys):
    """Each input as an array of at least two dimensions.

    >>> import ndgrad as np
    >>> np.atleast_2d([1, 2])
    array([[1, 2]])
    """
    res = []
    for a in map(arr, arys):
        if a.ndim < 2:
            a = std("reshape")(a, (1,) * (2 - a.ndim) + a.shape)
        res.append(a)
    return res[0] if len(res) == 1 else tuple(res)


def atleast_3d(*arys):
    """Each input as an array of at least three dimensions (NumPy's placement of new axes).

    >>> import ndgrad as np
    >>> np.atleast_3d([1, 2]).shape
    (1, 2, 1)
    """
    res = []
    for a in map(arr, arys):
        if a.ndim == 0:
            a = std("reshape")(a, (1, 1, 1))
        elif a.ndim == 1:
            a = std("reshape")(a, (1, a.shape[0], 1))
        elif a.ndim == 2:
            a = std("reshape")(a, a.shape + (1,))
        res.append(a)
    return res[0] if len(res) == 1 else tuple(res)


def _seq(tup, name):
    if is_array(tup) or is_symbolic(tup):
        return list(tup)   # (an array is a sequence of its rows, as NumPy takes it)
    if not isinstance(tup, (list, tuple)):
        raise TypeError(f'arrays to stack must be passed as a "sequence" type such as list or '
                        f"tuple ({name} got a {type(tup).__name__})")   # (NumPy's words)
    return list(tup)


def vstack(tup, *, dtype=None, casting="same_kind"):
    """Stack arrays vertically (row-wise).

    >>> import ndgrad as np
    >>> np.vstack([[1, 2], [3, 4]])
    array([[1, 2],
           [3, 4]])
    """
    arrs = atleast_2d(*_seq(tup, "vstack"))
    arrs = [arrs] if is_array(arrs) else list(arrs)
    return concatenate(arrs, 0, dtype=dtype, casting=casting)


row_stack = vstack


def hstack(tup, *, dtype=None, casting="same_kind"):
    """Stack arrays horizontally (column-wise).

    >>> import ndgrad as np
    >>> np.hstack([[1, 2], [3]])
    array([1, 2, 3])
    """
    arrs = atleast_1d(*_seq(tup, "hstack"))
    arrs = [arrs] if is_array(arrs) else list(arrs)
    return concatenate(arrs, 0 if arrs and arrs[0].ndim == 1 else 1, dtype=dtype,
                       casting=casting)


def dstack(tup):
    """Stack arrays along the third axis.

    >>> import ndgrad as np
    >>> np.dstack([[1, 2], [3, 4]]).shape
    (1, 2, 2)
    """
    arrs = atleast_3d(*_seq(tup, "dstack"))
    arrs = [arrs] if is_array(arrs) else list(arrs)
    return concatenate(arrs, 2)


def column_stack(tup):
    """1-D arrays as columns of a 2-D array; 2-D arrays stacked as they are.

    >>> import ndgrad as np
    >>> np.column_stack([[1, 2], [3, 4]])
    array([[1, 3],
           [2, 4]])
    """
    cols = []
    for a in map(arr, _seq(tup, "column_stack")):
        if a.ndim < 2:
            a = std("reshape")(a, (-1, 1))
        cols.append(a)
    return concatenate(cols, 1)


def block(arrays):
    """Assemble an array from nested lists of blocks.

    >>> import ndgrad as np
    >>> np.block([[np.ones((1, 1)), np.zeros((1, 1))]])
    array([[1., 0.]])
    """
    def depth(x):
        return 1 + depth(x[0]) if isinstance(x, list) else 0
    d = depth(arrays)

    def rec(x, lvl):
        if not isinstance(x, list):
            return arr(x)
        parts = [rec(p, lvl + 1) for p in x]
        nd_ = builtins.max(builtins.max(p.ndim for p in parts), d)
        parts = [std("reshape")(p, (1,) * (nd_ - p.ndim) + p.shape) for p in parts]
        return concatenate(parts, axis=-(d - lvl))
    if not isinstance(arrays, list):
        # (NumPy's block always builds a new array: block(a) was a itself, so a write into
        # the result changed a)
        return copy_of(arr(arrays))
    return rec(arrays, 0)


def array_split(ary, indices_or_sections, axis=0):
    """Split into sub-arrays (sections may differ in size).

    >>> import ndgrad as np
    >>> np.array_split(np.arange(5), 2)
    [array([0, 1, 2]), array([3, 4])]
    """
    if type(ary) in (bool, int, float, complex):
        raise TypeError(f"array_split of a scalar ({ary!r}): len() of unsized object")
    a = arr(ary)
    ax = axis_index(axis, a.ndim)  # (a 0-d array has no axis: NumPy's AxisError)
    n = a.shape[ax]
    if not _has_len(indices_or_sections):
        # a number of sections: NumPy's int() of it (2.5 sections are 2)
        sec = int(indices_or_sections)
        if sec <= 0:
            raise ValueError("number sections must be larger than 0.")
        each, extra = divmod(n, sec)
        sizes = [each + 1] * extra + [each] * (sec - extra)
        bounds = np.concatenate([[0], np.cumsum(sizes)]).tolist()
    else:
        # split points: slice bounds, integers (NumPy's slicing refuses 2.0)
        pts = to_numpy(indices_or_sections).tolist() if is_array(indices_or_sections) \
            else list(indices_or_sections)
        try:
            idx = [operator.index(i) for i in pts]
        except TypeError:
            raise TypeError("slice indices must be integers or None or have an __index__ "
                            f"method (split points {pts!r})") from None
        bounds = [0] + idx + [n]
    pre = (slice(None),) * ax
    return [a[pre + (slice(bounds[i], bounds[i + 1]),)] for i in range(len(bounds) - 1)]


def split(ary, indices_or_sections, axis=0):
    """Split into equal sections (or at the given indices).

    >>> import ndgrad as np
    >>> np.split(np.arange(4), 2)
    [array([0, 1]), array([2, 3])]
    """
    if not _has_len(indices_or_sections):
        a = arr(ary)
        n = a.shape[normalize_axis_index(axis, a.ndim)]
        if n % indices_or_sections:
            raise ValueError("array split does not result in an equal division")
    return array_split(ary, indices_or_sections, axis)


def _has_len(v):
    """Whether ``v`` is a sequence of split points (NumPy's test: ``len(v)`` works)."""
    try:
        len(v)
    except TypeError:
        return False
    return True


def hsplit(ary, indices_or_sections):
    """Split along the second axis (the first for 1-D arrays).

    >>> import ndgrad as np
    >>> np.hsplit(np.arange(4), 2)
    [array([0, 1]), array([2, 3])]
    """
    a = arr(ary)
    if a.ndim == 0:
        raise ValueError("hsplit only works on arrays of 1 or more dimensions")
    return split(a, indices_or_sections, 1 if a.ndim > 1 else 0)


def vsplit(ary, indices_or_sections):
    """Split along the first axis (arrays of 2 or more dimensions).

    >>> import ndgrad as np
    >>> [p.shape for p in np.vsplit(np.ones((4, 2)), 2)]
    [(2, 2), (2, 2)]
    """
    a = arr(ary)
    if a.ndim < 2:
        raise ValueError("vsplit only works on arrays of 2 or more dimensions")
    return split(a, indices_or_sections, 0)


def dsplit(ary, indices_or_sections):
    """Split along the third axis.

    >>> import ndgrad as np
    >>> len(np.dsplit(np.ones((1, 1, 4)), 2))
    2
    """
    a = arr(ary)
    if a.ndim < 3:
        raise ValueError("dsplit only works on arrays of 3 or more dimensions")
    return split(a, indices_or_sections, 2)


def transpose(a, axes=None):
    """Permute the axes (reverse them by default); a view, as NumPy.

    >>> import ndgrad as np
    >>> np.transpose(np.ones((2, 3))).shape
    (3, 2)
    """
    scalar = _is_scalar(a)
    a = arr(a)
    ndim = a.ndim
    if axes is None:
        if ndim < 2:
            return _scalar_kind(a[...], scalar)
        return std("permute_dims")(a, tuple(range(ndim - 1, -1, -1)))
    axes = tuple(normalize_axis_index(int_axis(x, "an integer is required"), ndim)
                 for x in axes)
    if len(axes) != a.ndim:
        raise ValueError("axes don't match array")
    if axes == tuple(range(a.ndim)):
        return _scalar_kind(a[...], scalar)
    return std("permute_dims")(a, axes)


def _is_scalar(a):
    """Whether ``a`` is NumPy's scalar, or a 0-d Array standing for one: NumPy's
    ``squeeze``, ``transpose`` and ``reshape`` call its own method then, which gives a
    scalar again where the result is 0-d (``np.squeeze(np.float32(1))``, ``np.reshape(
    x.sum(), ())``); of a Python number or a 0-d array they give a 0-d array."""
    return isinstance(a, np.generic) or (
        type(a) is _registry.Array and _registry.stands_for_scalar(a))


def _scalar_kind(out, scalar):
    """``out`` marked NumPy's scalar when the input was one (``_is_scalar``)."""
    return _registry.with_0d_kind(out, False) if scalar else out


def permute_dims(a, /, axes=None):
    """Permute the axes (the standard's name for ``transpose``).

    >>> import ndgrad as np
    >>> np.permute_dims(np.ones((2, 3)), (1, 0)).shape
    (3, 2)
    """
    return transpose(a, axes)


def matrix_transpose(x, /):
    """Swap the last two axes.

    >>> import ndgrad as np
    >>> np.matrix_transpose(np.ones((1, 2))).shape
    (2, 1)
    """
    return std("matrix_transpose")(arr(x))


def swapaxes(a, axis1, axis2):
    """Interchange two axes (a view).

    >>> import ndgrad as np
    >>> np.swapaxes(np.ones((1, 2, 3)), 0, 2).shape
    (3, 2, 1)
    """
    a = arr(a)
    i, j = normalize_axis_index(axis1, a.ndim), normalize_axis_index(axis2, a.ndim)
    perm = list(range(a.ndim))
    perm[i], perm[j] = perm[j], perm[i]
    return transpose(a, perm)


def _moveaxis_axes(axes, ndim, name):
    """moveaxis's ``source`` or ``destination`` as NumPy reads it: an int or any sequence
    of ints (a range too), each in bounds, none repeated; the errors name the argument."""
    if isinstance(axes, (list, tuple, range)) or (
            hasattr(axes, "__iter__") and not isinstance(axes, (str, bytes)) and
            not (is_array(axes) and axes.ndim == 0)):
        items = tuple(axes)
    else:
        items = (axes,)
    out = tuple(normalize_axis_index(ax, ndim, name) for ax in items)
    if len(set(out)) != len(out):
        raise ValueError(f"repeated axis in `{name}` argument: {items}")
    return out


def moveaxis(a, source, destination):
    """Move axes to new positions, the others keeping their order.

    >>> import ndgrad as np
    >>> np.moveaxis(np.ones((1, 2, 3)), 0, -1).shape
    (2, 3, 1)
    """
    a = arr(a)
    src = _moveaxis_axes(source, a.ndim, "source")
    dst = _moveaxis_axes(destination, a.ndim, "destination")
    if len(src) != len(dst):
        raise ValueError("`source` and `destination` arguments must have the same number "
                         "of elements")
    order = [n for n in range(a.ndim) if n not in src]
    for d, s in sorted(zip(dst, src)):
        order.insert(d, s)
    return transpose(a, order)


def rollaxis(a, axis, start=0):
    """Roll ``axis`` backwards until it lies before ``start`` (NumPy's older moveaxis).

    >>> import ndgrad as np
    >>> np.rollaxis(np.ones((1, 2, 3)), 2).shape
    (3, 1, 2)
    """
    a = arr(a)
    n = a.ndim
    axis = normalize_axis_index(axis, n)
    if start < 0:
        start += n
    if not 0 <= start < n + 1:
        raise np.exceptions.AxisError(f"start arg requires {-n} <= start < {n + 1}")
    if axis < start:
        start -= 1
    if axis == start:
        return a[...]
    axes = list(range(n))
    axes.remove(axis)
    axes.insert(start, axis)
    return transpose(a, axes)


def reshape(a, /, shape=None, order="C", *, newshape=None, copy=None):
    """``a`` with a new shape (one dimension may be -1); a view where NumPy gives one.

    >>> import ndgrad as np
    >>> np.reshape(np.arange(6), (2, -1))
    array([[0, 1, 2],
           [3, 4, 5]])
    """
    if shape is None:
        if newshape is None:
            raise TypeError("reshape() missing 1 required positional argument: 'shape'")
        shape = newshape
    elif newshape is not None:
        raise TypeError("You cannot specify 'newshape' and 'shape' arguments at the same "
                        "time.")
    shape = shape_tuple(shape)
    scalar = _is_scalar(a)
    a = arr(a)
    order = norm_order(order)
    if order == "K":
        raise ValueError("order 'K' is not permitted for reshaping")
    kw = {} if copy is None else {"copy": copy}
    if order == "F" or order == "A" and _fortran(a):
        # (copy= kept: it was dropped, so copy=False of a C array copied silently)
        rev = transpose(a)
        return _scalar_kind(transpose(std("reshape")(rev, shape[::-1], **kw)), scalar)
    return _scalar_kind(std("reshape")(a, shape, **kw), scalar)


def ravel(a, order="C"):
    """``a`` flattened to 1-D (a view when possible).

    >>> import ndgrad as np
    >>> np.ravel([[1, 2], [3, 4]])
    array([1, 2, 3, 4])
    """
    a = arr(a)
    order = norm_order(order)
    # (only 'K' and 'A' read the memory layout: a traced value has none, so it refuses
    # them in _fortran -- its values in that order are not known -- and takes 'C' and
    # 'F', whose values do not depend on the layout)
    d = _strided(a) if order == "K" else None
    if d is not None and d.ndim > 1 and not d.flags.c_contiguous:
        # NumPy's 'K': the elements in memory order, as its iterator orders the axes: by
        # decreasing |stride| (an insertion sort; a zero stride compares with nothing, so
        # a broadcast axis keeps its place); a negative stride is read as it is indexed
        st = [builtins.abs(x) for x in d.strides]
        perm = list(range(d.ndim))[::-1]          # innermost axis first, as NumPy's
        for i0 in range(1, d.ndim):
            ax0, ipos = perm[i0], i0
            for i1 in range(i0 - 1, -1, -1):
                s0, s1 = st[ax0], st[perm[i1]]
                if s0 and s1:
                    if s1 <= s0:
                        break
                    ipos = i1
            perm.insert(ipos, perm.pop(i0))
        return _contiguous(std("reshape")(transpose(a, perm[::-1]), (-1,)))
    if order == "F" or order in ("A", "K") and _fortran(a):
        return _contiguous(std("reshape")(transpose(a), (-1,)))
    return _contiguous(std("reshape")(a, (-1,)))


def _contiguous(flat):
    """``ravel``'s result, which NumPy makes contiguous: a strided 1-D view (``reshape``
    gives one of ``x[::2]`` or of a column ``x[:, 1:2]``) is copied, so that a later
    write into ``x`` does not reach it, as with NumPy's ravel."""
    if is_symbolic(flat):
        return flat   # (nd.jit and graph values have no layout: the plan's result is new)
    flags = getattr(flat._data, "flags", None)
    if flags is not None and not flags.c_contiguous:
        from .._ops.creation import asarray as _asarray
        return _asarray(flat, copy=True)
    return flat


def _strided(a):
    """``a``'s backend array where it has a memory layout (NumPy's, CuPy's: ``flags`` and
    ``strides``), else None (array_api_strict, Dask, a traced value: C order)."""
    d = None if is_symbolic(a) else getattr(a, "_data", None)
    return d if d is not None and hasattr(d, "flags") and hasattr(d, "strides") else None


def _fortran(a):
    d = _strided(a)
    return d is not None and d.ndim > 1 and d.flags.f_contiguous and not d.flags.c_contiguous


def squeeze(a, axis=None):
    """``a`` without its length-one axes (or only those in ``axis``).

    >>> import ndgrad as np
    >>> np.squeeze(np.ones((1, 2, 1))).shape
    (2,)
    """
    scalar = _is_scalar(a)
    a = arr(a)
    if axis is None:
        axis = tuple(i for i, s in enumerate(a.shape) if s == 1)
    if isinstance(axis, list):
        axis = tuple(axis)
    given = axis if isinstance(axis, tuple) else (axis,)
    for ax in given:
        int_axis(ax)
    if a.ndim == 0:  # NumPy: axis 0 or -1 of a 0-d array is accepted, and a no-op
        for ax in given:
            if ax not in (0, -1):
                raise np.exceptions.AxisError(f"axis {ax} is out of bounds for array of "
                                              "dimension 0")
        return _scalar_kind(a[...], scalar)
    shape = a.shape
    axes = normalize_axis(axis, len(shape))
    for ax in axes:
        if shape[ax] != 1:
            raise ValueError("cannot select an axis to squeeze out which has size not equal "
                             "to one")
    return std("reshape")(a, tuple(s for i, s in enumerate(shape) if i not in axes))


def expand_dims(a, axis=0):
    """``a`` with length-one axes inserted at ``axis`` (an int or a tuple).

    >>> import ndgrad as np
    >>> np.expand_dims([1, 2], (0, 2)).shape
    (1, 2, 1)
    """
    return std("expand_dims")(arr(a), axis=tuple(axis) if isinstance(axis, list) else axis)


def flip(m, axis=None):
    """Reverse the order of elements along ``axis`` (all axes by default); a view.

    >>> import ndgrad as np
    >>> np.flip([1, 2, 3])
    array([3, 2, 1])
    """
    m = arr(m)
    if m.ndim == 0 and axis is not None:
        axis_index(axis if not isinstance(axis, (list, tuple)) or not axis else axis[0], 0)
    axes = normalize_axis(tuple(axis) if isinstance(axis, list) else axis, m.ndim)
    key = tuple(slice(None, None, -1) if i in axes else slice(None) for i in range(m.ndim))
    return m[key]


def fliplr(m):
    """Reverse the columns.

    >>> import ndgrad as np
    >>> np.fliplr([[1, 2]])
    array([[2, 1]])
    """
    m = arr(m)
    if m.ndim < 2:
        raise ValueError("Input must be >= 2-d.")
    return flip(m, 1)


def flipud(m):
    """Reverse the rows.

    >>> import ndgrad as np
    >>> np.flipud([1, 2])
    array([2, 1])
    """
    m = arr(m)
    if m.ndim < 1:
        raise ValueError("Input must be >= 1-d.")
    return flip(m, 0)


def rot90(m, k=1, axes=(0, 1)):
    """Rotate by 90 degrees ``k`` times in the plane of ``axes``.

    >>> import ndgrad as np
    >>> np.rot90([[1, 2], [3, 4]])
    array([[2, 4],
           [1, 3]])
    """
    m = arr(m)
    axes = tuple(axes)
    if len(axes) != 2:
        raise ValueError("len(axes) must be 2.")
    if axes[0] == axes[1] or builtins.abs(axes[0] - axes[1]) == m.ndim:
        raise ValueError(f"Axes must be different (axes={axes} of an array of ndim={m.ndim}).")
    if not (-m.ndim <= axes[0] < m.ndim and -m.ndim <= axes[1] < m.ndim):
        raise ValueError(f"Axes={axes} out of range for array of ndim={m.ndim}.")
    k %= 4
    if k == 0:
        return m[...]
    if k == 2:
        return flip(flip(m, axes[0]), axes[1])
    perm = list(range(m.ndim))
    a0, a1 = normalize_axis_index(axes[0], m.ndim), normalize_axis_index(axes[1], m.ndim)
    perm[a0], perm[a1] = perm[a1], perm[a0]
    if k == 1:
        return transpose(flip(m, a1), perm)
    return flip(transpose(m, perm), a1)


def roll(a, shift, axis=None):
    """Roll elements along ``axis`` (over the flattened array by default).

    >>> import ndgrad as np
    >>> np.roll([1, 2, 3], 1)
    array([3, 1, 2])
    """
    if is_symbolic(a):
        return std("roll")(a, shift, axis=axis)
    a = arr(a)
    if axis is None:
        return std("reshape")(roll(std("reshape")(a, (-1,)), shift, 0), a.shape)
    if is_array(shift) or isinstance(shift, np.ndarray):
        shift = to_numpy(shift).tolist() if is_array(shift) else shift.tolist()
    if isinstance(axis, (tuple, list)) or isinstance(shift, (tuple, list)):
        # NumPy's pairing: shift and axis broadcast against each other (a mismatch is
        # its ValueError, never a silent truncation); shifts on one axis add up
        pairs = np.broadcast(np.asarray(shift), np.asarray(axis))
        if pairs.ndim > 1:
            raise ValueError("'shift' and 'axis' should be scalars or 1D sequences")
        for s, ax in pairs:
            a = roll(a, int(s), int(ax))
        return a
    ax = axis_index(axis, a.ndim)
    n = a.shape[ax]
    if n == 0:
        return a[...]
    s = int(shift) % n
    if s == 0:
        return _copy(a)
    pre = (slice(None),) * ax
    r = std("concat")([a[pre + (slice(n - s, None),)], a[pre + (slice(0, n - s),)]], axis=ax)
    # (NumPy's roll fills an empty_like of ``a``: a big-endian input's byte order stays,
    # where concat gives the native dtype)
    return r if r.dtype == a.dtype else std("astype")(r, a.dtype)


def _copy(a):
    from .._ops.creation import asarray
    return asarray(a, copy=True)


def tile(A, reps):
    """``A`` repeated ``reps`` times along each axis.

    >>> import ndgrad as np
    >>> np.tile([1, 2], 2)
    array([1, 2, 1, 2])
    """
    a = arr(A)
    if plain_numpy(a, reps):
        # no gradient to record: NumPy's own (one copy per axis, no per-axis concat op)
        return host_result(np.tile(to_numpy(a), to_numpy(reps) if is_array(reps) else reps),
                           like=a)
    reps = (reps,) if isinstance(reps, (int, np.integer)) else tuple(reps)
    nd_ = builtins.max(a.ndim, len(reps))
    reps = (1,) * (nd_ - len(reps)) + reps
    a = std("reshape")(a, (1,) * (nd_ - a.ndim) + a.shape)
    for ax, r in enumerate(reps):
        if r != 1:
            a = std("concat")([a] * r, axis=ax) if r > 0 else \
                a[(slice(None),) * ax + (slice(0, 0),)]
    return a if builtins.any(r != 1 for r in reps) else _copy(a)


def repeat(a, repeats, axis=None):
    """Repeat each element ``repeats`` times (differentiable: a gather).

    >>> import ndgrad as np
    >>> np.repeat([1, 2], 2)
    array([1, 1, 2, 2])
    """
    if is_symbolic(a):
        return std("repeat")(a, repeats, axis=axis)
    a = arr(a)
    if plain_numpy(a, repeats):
        # no gradient to record: NumPy's own repeat (a gather costs 2-3x: its index array)
        return host_result(np.repeat(to_numpy(a), to_numpy(repeats) if is_array(repeats)
                                     else repeats, axis=axis), like=a)
    if axis is None or (a.ndim == 0 and axis in (0, -1)):  # NumPy: a 0-d array as 1-d
        a = std("reshape")(a, (-1,))
        axis = 0
    ax = axis_index(axis, a.ndim)
    n = a.shape[ax]
    r = to_numpy(repeats) if is_array(repeats) else np.asarray(repeats)
    idx = np.repeat(np.arange(n), r)
    return std("take")(a, arr(idx, like=a), axis=ax)


def take(a, indices, axis=None, out=None, mode="raise"):
    """Elements at integer ``indices`` (of the flattened array when ``axis`` is None).

    >>> import ndgrad as np
    >>> np.take([4, 5, 6], [0, 2])
    array([4, 6])
    """
    a = arr(a)
    if mode not in ("raise", "wrap", "clip"):
        # (an unknown mode was taken as "raise")
        raise ValueError(f"mode must be one of 'clip', 'raise', or 'wrap' (got {mode!r})")
    if axis is not None:
        axis = integer_arg(axis)
    if out is not None:
        take_out_check("take", a, out)
    scalar = isinstance(indices, (int, np.integer)) or getattr(indices, "ndim", 1) == 0
    idx = arr(indices, like=a)
    if axis is None or (a.ndim == 0 and axis in (0, -1)):
        # (NumPy takes from a 0-d array along axis 0 or -1 as from its one element)
        a = std("reshape")(a, (-1,))
        axis = 0
    ax = normalize_axis_index(axis, a.ndim)
    if mode != "raise" and a.shape[ax] == 0:
        # an empty axis wraps or clips no index: a result with no elements is empty
        # (NumPy 2.5's; 2.4's clip), one with elements NumPy's IndexError
        shape_r = a.shape[:ax] + tuple(idx.shape) + a.shape[ax + 1:]
        if math.prod(shape_r):
            raise IndexError("cannot do a non-empty take from an empty axes.")
        none = std("take")(a, arr(np.zeros(0, np.intp), like=a), axis=ax)
        return _out(std("reshape")(none, shape_r), out)
    if mode == "wrap":
        idx = idx % a.shape[ax]
    elif mode == "clip":
        idx = std("clip")(idx, 0, a.shape[ax] - 1)
    shape_i = idx.shape
    flat = std("reshape")(idx, (-1,))
    r = std("take")(a, flat, axis=ax)
    r = std("reshape")(r, a.shape[:ax] + shape_i + a.shape[ax + 1:])
    if scalar:
        r = _registry.with_0d_kind(r, False)   # NumPy's scalar (not a view's 0-d array)
    return _out(r, out)


def broadcast_to(array, shape, subok=False):
    """``array`` broadcast to ``shape`` (a read-only view).

    >>> import ndgrad as np
    >>> np.broadcast_to([1, 2], (2, 2))
    array([[1, 2],
           [1, 2]])
    """
    if hasattr(shape, "__iter__") and not hasattr(shape, "__len__"):
        shape = tuple(shape)      # (NumPy's broadcast_to reads any iterable, a generator too)
    return std("broadcast_to")(arr(array), shape)   # (its shape argument as NumPy reads it)


def broadcast_arrays(*args, subok=False):
    """The inputs broadcast against each other: an input of the broadcast shape is itself
    (NumPy's: writable, written through), the others read-only broadcast views (NumPy's
    are writable with a warning; a write into one would land on several elements).

    >>> import ndgrad as np
    >>> [a.shape for a in np.broadcast_arrays([1, 2], [[1], [2]])]
    [(2, 2), (2, 2)]
    """
    arrs = [arr(a) for a in args]
    shape = np.broadcast_shapes(*[a.shape for a in arrs])
    return tuple(a if tuple(a.shape) == shape else std("broadcast_to")(a, shape)
                 for a in arrs)


def unstack(x, /, *, axis=0):
    """Split along ``axis`` into a tuple of arrays.

    >>> import ndgrad as np
    >>> np.unstack(np.eye(2))
    (array([1., 0.]), array([0., 1.]))
    """
    x = arr(x)
    if x.ndim == 0:
        raise ValueError("Input array must be at least 1-d.")
    a = normalize_axis_index(axis, x.ndim)
    if is_array(x):
        return std("unstack")(x, axis=a)     # views in one pass, not a getitem per slice
    return tuple(x[(slice(None),) * a + (i,)] for i in range(x.shape[a]))


def diagonal(a, offset=0, axis1=0, axis2=1):
    """The diagonal of the plane of ``axis1`` and ``axis2`` (moved to the last axis): a
    read-only view on NumPy, as NumPy's (a write into it raises NumPy's ValueError).

    >>> import ndgrad as np
    >>> np.diagonal([[1, 2], [3, 4]])
    array([1, 4])
    """
    a = arr(a)
    if a.ndim < 2:
        raise ValueError("diag requires an array of at least two dimensions")
    a1, a2 = normalize_axis_index(axis1, a.ndim), normalize_axis_index(axis2, a.ndim)
    if a1 == a2:
        raise ValueError("axis1 and axis2 cannot be the same")
    if (a1, a2) != (a.ndim - 2, a.ndim - 1):
        a = std("moveaxis")(a, (a1, a2), (-2, -1))
    from .. import linalg
    return linalg.diagonal(a, offset=operator.index(offset))


def pad(array, pad_width, mode="constant", **kwargs):
    """Pad an array: each of NumPy's string modes, differentiable (the statistic modes
    through the statistic, ``linear_ramp`` through its edge values; ``empty`` pads with
    values of no gradient). With no gradient recorded, a function ``mode(vector,
    pad_width, axis, kwargs)`` too (it writes the padding into NumPy's 1-D ``vector``).

    >>> import ndgrad as np
    >>> np.pad([1, 2], 1)
    array([0, 1, 2, 0])
    >>> np.grad(lambda x: np.sum(np.pad(x, (0, 2), mode="mean")))(np.asarray([1.0, 3.0]))
    array([2., 2.])
    """
    a = arr(array)
    if not isinstance(mode, str) and not callable(mode):
        raise ValueError(f"mode '{mode}' is not supported (NumPy's modes are strings, or a "
                         "function)")
    if plain_numpy(a, pad_width, *kwargs.values()):
        # no gradient to record: NumPy's own pad (one copy; the differentiable path joins
        # or gathers axis by axis, 2-3x the time)
        return host_result(np.pad(to_numpy(a), to_numpy(pad_width) if is_array(pad_width)
                                  else pad_width, mode=mode,
                                  **{k: to_numpy(v) if is_array(v) else v
                                     for k, v in kwargs.items()}), like=a)
    allowed = {"constant": {"constant_values"}, "reflect": {"reflect_type"},
               "symmetric": {"reflect_type"}, "linear_ramp": {"end_values"},
               **{m: {"stat_length"} for m in _PAD_STATS}}.get(mode, set())
    if isinstance(mode, str) and set(kwargs) - allowed:
        raise ValueError(f"unsupported keyword arguments for mode '{mode}': "
                         f"{set(kwargs) - allowed}")
    pw = np.broadcast_to(np.asarray(pad_width, dtype=np.int64), (a.ndim, 2)).tolist()
    if mode in _PAD_STATS or mode in ("linear_ramp", "empty"):
        return _pad_from_values(a, pw, mode, kwargs)
    if mode == "constant":
        cv = np.broadcast_to(np.asarray(kwargs.get("constant_values", 0)), (a.ndim, 2))
        for ax, (lo, hi) in enumerate(pw):
            parts = []
            for n, v in ((lo, cv[ax][0]), (hi, cv[ax][1])):
                shape = list(a.shape)
                shape[ax] = n
                parts.append(std("full")(tuple(shape), v.item(), dtype=a.dtype,
                                         device=a.device) if n else None)
            a = std("concat")([p for p in (parts[0], a, parts[1]) if p is not None], axis=ax)
        return a
    if mode not in ("edge", "reflect", "symmetric", "wrap"):
        raise ValueError(f"pad mode {mode!r} is not supported by ndgrad; use constant, edge, "
                         "reflect, symmetric or wrap")
    rtype = kwargs.get("reflect_type", "even")
    if rtype not in ("even", "odd"):
        raise ValueError(f"unsupported reflect_type {rtype!r}; use 'even' or 'odd'")
    src = a
    for ax, (lo, hi) in enumerate(pw):
        n = a.shape[ax]
        if rtype == "odd":
            # 2 * edge - mirror image, repeated per reflected period: linear in the
            # values, so the padding is the matrix NumPy's pad makes of the identity
            m = np.pad(np.eye(n), ((lo, hi), (0, 0)), mode=mode, reflect_type="odd")
            a = std("moveaxis")(std("tensordot")(arr(m.astype(a.dtype), like=a), a,
                                                  axes=([1], [ax])), 0, ax)
        else:
            idx = np.pad(np.arange(n), (lo, hi), mode=mode)
            a = std("take")(a, arr(idx, like=a), axis=ax)
    if rtype == "odd" and numpy_data(src):
        # NumPy's own values (2 * edge - x, not the matrix product's rounding)
        from .aliases import _exact
        a = _exact(host_result(np.pad(to_numpy(src), pw, mode=mode, reflect_type="odd"),
                               like=src), a)
    return a


_PAD_STATS = {"maximum": "max", "minimum": "min", "mean": "mean", "median": "median"}


def _pad_from_values(a, pw, mode, kwargs):
    """``pad``'s modes whose padding is computed from the values (``_PAD_STATS``,
    ``linear_ramp``; ``empty``: zeros, which NumPy leaves undefined), recorded: NumPy's
    steps, axis by axis (an axis's statistic or edge reads the padding of the axes before
    it), with ndgrad's ops; on NumPy data the values are NumPy's own pad's."""
    from .aliases import _exact
    nodiff_guard(f"pad's {list(kwargs)} for mode {mode!r}", *kwargs.values())
    kw = {k: to_numpy(v) if is_array(v) else v for k, v in kwargs.items()}
    exact = host_result(np.pad(to_numpy(a), pw, mode=mode, **kw), like=a) \
        if numpy_data(a) else None   # (NumPy's errors and values)
    src = a
    if mode in _PAD_STATS:
        from . import stats
        sl = kw.get("stat_length")
        lengths = [[None, None]] * a.ndim if sl is None else np.broadcast_to(
            np.round(np.asarray(sl)).astype(np.int64), (a.ndim, 2)).tolist()
        stat = stats.median if mode == "median" else std(_PAD_STATS[mode])
    else:
        ends = np.broadcast_to(np.asarray(kw.get("end_values", 0)), (a.ndim, 2))
    for ax, (lo, hi) in enumerate(pw):
        if not lo and not hi:
            continue
        n = a.shape[ax]

        def part(start, stop):
            return a[(slice(None),) * ax + (slice(start, stop),)]

        def spread(v, width):   # v (size 1 along ax) repeated ``width`` times
            shape = list(a.shape)
            shape[ax] = width
            return std("broadcast_to")(v, tuple(shape))
        if mode in _PAD_STATS:
            left_n = n if lengths[ax][0] is None else builtins.min(lengths[ax][0], n)
            right_n = n if lengths[ax][1] is None else builtins.min(lengths[ax][1], n)
            sides = [stat(part(0, left_n), axis=ax, keepdims=True),
                     stat(part(n - right_n, n), axis=ax, keepdims=True)]
            if a.dtype.kind in "iu":    # (NumPy rounds an integer array's statistic)
                sides = [std("astype")(std("round")(v), a.dtype) for v in sides]
            left, right = (spread(v, w) if w else None for v, w in zip(sides, (lo, hi)))
        elif mode == "linear_ramp":
            # NumPy's linspace(end, edge, width, endpoint=False): i * ((edge - end) / width)
            # + end, in the type of end, edge and a float (then a's), the right reversed
            work = np.result_type(ends.dtype, a.dtype, 1.0)
            shape = [1] * a.ndim
            left = right = None
            for side, w, edge, order in ((0, lo, part(0, 1), 1), (1, hi, part(n - 1, n), -1)):
                if not w:
                    continue
                shape[ax] = w
                i = arr(np.reshape(np.arange(w, dtype=work)[::order], shape), like=a)
                end = arr(np.asarray(ends[ax][side], dtype=work), like=a)
                ramp = i * ((std("astype")(edge, work) - end) / w) + end
                if side == 0:
                    left = ramp
                else:
                    right = ramp
        else:
            left, right = (spread(std("zeros")((1,) * a.ndim, dtype=a.dtype,
                                               device=a.device), w) if w else None
                           for w in (lo, hi))
        parts = [p for p in (left, a, right) if p is not None]
        a = std("concat")([std("astype")(p, src.dtype) for p in parts], axis=ax)
    return a if exact is None else _exact(exact, a)


def append(arr_, values, axis=None):
    """``values`` appended at the end (flattened when ``axis`` is None).

    >>> import ndgrad as np
    >>> np.append([1, 2], [[3, 4]])
    array([1, 2, 3, 4])
    """
    a, v = arrs(arr_, values)
    if plain_numpy(a, v):
        # no gradient to record: NumPy's own (one concatenate of the raveled inputs, no
        # reshape ops)
        return host_result(np.append(to_numpy(a), to_numpy(v), axis), like=a)
    if axis is None:
        a = std("reshape")(a, (-1,))
        v = std("reshape")(v, (-1,))
        axis = 0
    return concatenate([a, v], axis)


def _index_list(obj, n):
    if isinstance(obj, slice):
        return np.arange(n)[obj]
    o = to_numpy(obj) if is_array(obj) else np.asarray(obj)
    return o


def delete(arr_, obj, axis=None):
    """``arr`` without the entries at ``obj`` along ``axis``.

    >>> import ndgrad as np
    >>> np.delete([1, 2, 3], 1)
    array([1, 3])
    """
    a = arr(arr_)
    if plain_numpy(a, obj):
        # no gradient to record: NumPy's own (the same slice copies, without an op for
        # each slice, reshape and join)
        return host_result(np.delete(to_numpy(a), to_numpy(obj), axis), like=a)
    if axis is None:
        a = std("reshape")(a, (-1,))
        axis = 0
    ax = axis_index(axis, a.ndim)
    n = a.shape[ax]
    o = _index_list(obj, n)
    if o.dtype != bool:
        d = o.astype(np.int64).reshape(-1)
        bad = d[(d < -n) | (d >= n)]
        if bad.size:
            raise IndexError(f"index {bad[0]} is out of bounds for axis {ax} with size {n}")
        d = np.unique(np.where(d < 0, d + n, d))
        if d.size < _MAX_PIECES:             # the runs between the deleted entries
            lo = np.concatenate([[0], d + 1]).tolist()
            hi = np.concatenate([d, [n]]).tolist()
            pieces = [(a, i, j) for i, j in zip(lo, hi) if i < j]
            if pieces:
                return _join(a, ax, pieces)
    keep = np.ones(n, dtype=bool)
    if o.dtype == bool:
        keep = ~o
    else:
        keep[o.astype(np.int64)] = False
    idx = np.nonzero(keep)[0]
    bounds = _runs(idx)
    if bounds is not None:
        return _join(a, ax, [(a, lo, hi) for lo, hi in bounds])
    return std("take")(a, arr(idx, like=a), axis=ax)


# at most this many pieces are joined by slicing and one concat (a copy at memory speed,
# as NumPy's delete/insert do); more go through a gather (take), whose index array costs
# a pass of its own
_MAX_PIECES = 16


def _runs(idx):
    """``idx`` (sorted, distinct) as at most _MAX_PIECES ``(start, stop)`` runs of
    consecutive integers, or None."""
    if idx.size == 0:
        return None
    breaks = np.flatnonzero(np.diff(idx) != 1) + 1
    if breaks.size >= _MAX_PIECES:
        return None
    starts = idx[np.concatenate([[0], breaks])]
    stops = idx[np.concatenate([breaks - 1, [idx.size - 1]])] + 1
    return list(zip(starts.tolist(), stops.tolist()))


def _join(a, ax, pieces):
    """The ``(source, start, stop)`` slices along ``ax`` joined by one concat (a new
    array, never a view of ``a``)."""
    pre = (slice(None),) * ax
    parts = [src[pre + (slice(lo, hi),)] for src, lo, hi in pieces]
    if len(parts) == 1:
        return copy_of(parts[0])
    return std("concat")(parts, axis=ax)


def insert(arr_, obj, values, axis=None):
    """``values`` inserted before the indices ``obj`` along ``axis``.

    >>> import ndgrad as np
    >>> np.insert([1, 2, 3], 1, 9)
    array([1, 9, 2, 3])
    """
    a = arr(arr_)
    if plain_numpy(a, obj, values):
        # no gradient to record: NumPy's own (the same slice copies, without an op for
        # each slice, reshape, broadcast and join)
        return host_result(np.insert(to_numpy(a), to_numpy(obj), to_numpy(values), axis),
                           like=a)
    if axis is None:
        a = std("reshape")(a, (-1,))
        axis = 0
    ax = axis_index(axis, a.ndim)
    n = a.shape[ax]
    raw = _index_list(obj, n)
    scalar_obj = np.ndim(raw) == 0
    o = np.atleast_1d(raw).astype(np.int64)
    o = np.where(o < 0, o + n, o)
    if ((o < 0) | (o > n)).any():
        raise IndexError(f"index {obj} is out of bounds for axis {ax} with size {n}")
    v = arr(arr(values, like=a), a.dtype)
    if o.size == 1:
        # NumPy: values = array(values, ndmin=a.ndim), its first axis moved to ``axis``
        # when obj is a scalar (a one-element list inserts along ``axis`` as it is)
        if v.ndim < a.ndim:
            v = std("reshape")(v, (1,) * (a.ndim - v.ndim) + v.shape)
        if scalar_obj:
            v = moveaxis(v, 0, ax)
        k = v.shape[ax]
        o = np.full(k, o[0])
    else:
        k = len(o)
    vshape = list(a.shape)
    vshape[ax] = k
    v = std("broadcast_to")(v, tuple(vshape))
    if v.dtype != a.dtype:
        v = std("astype")(v, a.dtype)
    if 0 < k < _MAX_PIECES:
        # a's runs between the insertion points, each value after the run before it
        # (values at equal points keep their order: NumPy's stable sort of obj)
        by = np.argsort(o, kind="stable")
        pieces, prev = [], 0
        for j in by.tolist():
            p = int(o[j])
            if p > prev:
                pieces.append((a, prev, p))
            pieces.append((v, j, j + 1))
            prev = p
        if prev < n:
            pieces.append((a, prev, n))
        return _join(a, ax, pieces)
    order = np.argsort(np.concatenate([np.arange(n), o - 0.5]), kind="stable")
    joined = std("concat")([a, v], axis=ax)
    return std("take")(joined, arr(order, like=a), axis=ax)


def resize(a, new_shape):
    """``a`` repeated (cyclically) to fill ``new_shape``.

    >>> import ndgrad as np
    >>> np.resize([1, 2, 3], (2, 2))
    array([[1, 2],
           [3, 1]])
    """
    if plain_numpy(a):
        # no gradient to record: NumPy's own resize (whole copies, not a gather: ~6x)
        return host_result(np.resize(to_numpy(arr(a)), new_shape), like=arr(a))
    a = std("reshape")(arr(a), (-1,))
    new_shape = shape_tuple(new_shape)   # (a NumPy int too: it was "not iterable")
    total = int(np.prod(new_shape))
    if a.shape[0] == 0 or total == 0:
        return std("zeros")(new_shape, dtype=a.dtype)
    idx = np.arange(total) % a.shape[0]
    return std("reshape")(std("take")(a, arr(idx, like=a), axis=0), new_shape)


def trim_zeros(filt, trim="fb", axis=None):
    """``filt`` without its leading and/or trailing zeros; a 1-D list or tuple gives a list
    or tuple (NumPy's: it slices the input itself).

    >>> import ndgrad as np
    >>> np.trim_zeros([0, 1, 2, 0])
    [1, 2]
    >>> np.trim_zeros(np.asarray([0, 1, 2, 0]))
    array([1, 2])
    """
    a = arr(filt)
    trim = trim.lower()
    if trim not in ("fb", "bf", "f", "b"):
        raise ValueError(f"unexpected character(s) in `trim`: {trim!r}")
    axes = normalize_axis(tuple(axis) if isinstance(axis, list) else axis, a.ndim)
    if not axes:   # (a 0-d value: NumPy's scalar stays one, see _is_scalar)
        return filt if isinstance(filt, (list, tuple)) else _scalar_kind(a, _is_scalar(filt))
    nz = np.argwhere(to_numpy(a))  # NumPy 2: trims every axis of an N-d array
    if nz.shape[0] == 0:
        start = stop = [0] * a.ndim
    else:
        start = nz.min(axis=0) if "f" in trim else [None] * a.ndim
        stop = nz.max(axis=0) + 1 if "b" in trim else [None] * a.ndim
    key = tuple(slice(None if start[i] is None else int(start[i]),
                      None if stop[i] is None else int(stop[i])) if i in axes else slice(None)
                for i in range(a.ndim))
    if a.ndim == 1 and isinstance(filt, (list, tuple)):
        return filt[key[0]]   # (list in, list out: `trim_zeros(l) + [5]` appends, as NumPy's)
    return a[key]


def shape(a):
    """The shape of ``a``.

    >>> import ndgrad as np
    >>> np.shape([[1, 2]])
    (1, 2)
    """
    # (a traced or graph value has its shape too: NumPy's np.shape would dispatch it back
    # here through __array_function__)
    return tuple(a.shape) if is_array(a) or is_symbolic(a) else np.shape(a)


def ndim(a):
    """The number of dimensions of ``a``.

    >>> import ndgrad as np
    >>> np.ndim([[1, 2]])
    2
    """
    return a.ndim if is_array(a) or is_symbolic(a) else np.ndim(a)


def size(a, axis=None):
    """The number of elements (along ``axis``).

    >>> import ndgrad as np
    >>> np.size([[1, 2]]), np.size([[1, 2]], axis=(0, 1))
    (2, 2)
    """
    s = shape(a)
    if axis is None:
        return int(np.prod(s))
    if isinstance(axis, tuple):
        # NumPy's product over several axes (``()``: 1)
        return int(np.prod([s[ax] for ax in normalize_axis(axis, len(s))], dtype=np.int64))
    return s[axis]

"""NumPy's indexing helpers, searching, sorting and set functions: ``where`` (1 and 3
arguments), ``nonzero``, ``argwhere``, ``select``, ``piecewise``, ``unique``, ``in1d``,
``r_``/``c_``, ``ogrid``/``mgrid``, ``ix_``, ``unravel_index`` ...

Value-selecting functions (``where``, ``select``, ``piecewise``, ``sort``, ``choose``,
``compress``, ``extract``, ``take_along_axis``, ``partition``) are differentiable
gathers; index- and set-valued results come from NumPy on the host values (they have no
gradient).
"""
from __future__ import annotations

import builtins

import numpy as np

from .._ops import registry as _registry
from .._ops._common import normalize_axis_index
from .._ops.stable_argsort import stable_argsort
from ._core import host_values, make_host_op
from ._core import (write_out, axis_index, std, arr, arrs, copy_of, is_array, is_symbolic, to_numpy,
                    host, host_result, plain_numpy, first_array, unrecorded_target,
                    take_out_check, write_target_check)

__all__ = ["where", "nonzero", "argwhere", "flatnonzero", "select", "piecewise", "choose",
           "compress", "extract", "place", "put", "putmask", "put_along_axis",
           "take_along_axis", "fill_diagonal", "sort", "argsort", "lexsort", "partition",
           "argpartition", "sort_complex", "searchsorted", "unique", "unique_values",
           "unique_counts", "unique_inverse", "unique_all", "in1d", "isin", "intersect1d",
           "union1d", "setdiff1d", "setxor1d", "unravel_index", "ravel_multi_index",
           "indices", "ix_", "ogrid", "mgrid", "r_", "c_", "s_", "index_exp", "ndindex",
           "ndenumerate", "diag_indices", "diag_indices_from", "tril_indices",
           "triu_indices", "tril_indices_from", "triu_indices_from", "mask_indices",
           "apply_along_axis", "apply_over_axes", "vectorize", "frompyfunc", "meshgrid",
           "clip"]


def where(condition, x=None, y=None, /):
    """``where(c, x, y)`` picks from ``x`` where ``c`` holds, else ``y`` (differentiable);
    ``where(c)`` is ``nonzero(c)``.

    >>> import ndgrad as np
    >>> np.where([True, False], [1, 2], [3, 4])
    array([1, 4])
    """
    # (the one-argument form first: traced, it is nonzero's refusal, not a pick from None)
    if x is None and y is None:
        return nonzero(condition)
    if x is None or y is None:
        raise ValueError("either both or neither of x and y should be given")
    if is_symbolic(condition) or is_symbolic(x) or is_symbolic(y):
        return std("where")(condition, x, y)
    c = arr(condition)
    if c.dtype != np.bool_:
        c = std("astype")(c, np.bool_)
    xa = x if is_array(x) or isinstance(x, (int, float, complex, bool)) else arr(x)
    ya = y if is_array(y) or isinstance(y, (int, float, complex, bool)) else arr(y)
    if not is_array(xa) and not is_array(ya):
        dt = np.result_type(x, y)
        xa = arr(np.asarray(x, dtype=dt), like=c)
    # (NumPy's where gives a 0-d array, array(1.), not a scalar)
    return _registry.with_0d_kind(std("where")(c, xa, ya), True)


def nonzero(a):
    """Indices of the non-zero elements, one array per dimension.

    >>> import ndgrad as np
    >>> np.nonzero([0, 3, 0, 4])
    (array([1, 3]),)
    """
    a = arr(a)
    if a.ndim == 0:
        raise ValueError("Calling nonzero on 0d arrays is not allowed. Use "
                         "np.atleast_1d(scalar).nonzero() instead.")
    return tuple(std("nonzero")(a))


argwhere = host("argwhere", "[[0, 1], [2, 0]]")
flatnonzero = host("flatnonzero", "[0, 3, 0, 4]")


def select(condlist, choicelist, default=0):
    """Elements from ``choicelist`` by the first true condition (differentiable).

    >>> import ndgrad as np
    >>> x = np.arange(6)
    >>> np.select([x < 3, x > 3], [x, x**2], 42)
    array([ 0,  1,  2, 42, 16, 25])
    """
    if len(condlist) != len(choicelist):
        raise ValueError("list of cases must be same length as list of conditions")
    if len(condlist) == 0:
        raise ValueError("select with an empty condition list is not possible")

    def weak(v):   # NumPy's: Python numbers are weak in the result's dtype
        return v if type(v) in (int, float, complex) else np.dtype(arr(v).dtype)
    dt = np.result_type(*[weak(c) for c in choicelist], weak(default))
    choices = arrs(*choicelist)
    out = arr(default, dt) if is_array(default) else \
        arr(np.asarray(default, dtype=dt), like=choices[0])
    for c, v in zip(reversed(condlist), reversed(choices)):
        cb = arr(c, like=choices[0] if choices else None)
        if cb.dtype != np.bool_:
            raise TypeError(f"invalid entry in condlist: should be boolean ndarray")
        out = std("where")(cb, arr(v, dt), out)
    return out


def piecewise(x, condlist, funclist, *args, **kw):
    """Evaluate a function per region (differentiable through the chosen pieces).

    NumPy's algorithm: ``y = zeros_like(x)``, then for each condition in turn
    ``y[cond] = value``, or ``y[cond] = f(x[cond])`` for a function, which sees only the
    elements its condition picks (``lambda v: v.mean()`` is their mean, and a function
    undefined elsewhere, ``sqrt`` of the negatives' complement, never sees the rest: no
    NaN in its gradient). The result has ``x``'s dtype (a Python number is cast into
    it, as NumPy's assignment casts it). Inside ``nd.jit`` a function piece needs the
    number of elements its condition picks, which is not known while tracing: such a
    call raises ``TracerShapeError``; constant pieces trace.

    >>> import ndgrad as np
    >>> x = np.asarray([-1.0, 2.0])
    >>> np.piecewise(x, [x < 0, x >= 0], [0, lambda v: v * 3])
    array([0., 6.])
    """
    x = arr(x)
    n_funcs = len(funclist)
    # NumPy's rule: a scalar, or (x not 0-d) a first entry that is no list or array, makes
    # condlist one condition; otherwise it is a sequence of conditions
    # (an ndgrad array's item is a 0-d array where NumPy's is a scalar: it counts as an
    # array only with axes of its own, as NumPy's rows of a 2-D condition array do)
    if np.isscalar(condlist) or (is_array(condlist) and condlist.ndim == 0) or (
            x.ndim != 0 and not isinstance(condlist[0], (list, np.ndarray))
            and not ((is_array(condlist[0]) or is_symbolic(condlist[0]))
                     and condlist[0].ndim > 0)):
        condlist = [condlist]
    conds = []
    for c in (condlist if not is_array(condlist) else
              [condlist[i] for i in range(condlist.shape[0])]):
        c = arr(c)
        conds.append(c if c.dtype == np.bool_ else std("astype")(c, np.bool_))
    if len(conds) == n_funcs - 1:
        # the "otherwise" condition: no other condition holds
        other = None
        for c in conds:
            other = c if other is None else other | c
        conds.append(~other if other is not None else
                     std("ones")(x.shape, dtype=np.bool_, device=x.device))
    elif len(conds) != n_funcs:
        raise ValueError(f"with {len(conds)} condition(s), either {len(conds)} or "
                         f"{len(conds) + 1} functions are expected")
    y = std("zeros_like")(x)
    for c, f in zip(conds, funclist):
        if callable(f):
            vals = x[c]
            n = vals.size
            if n is None or n != n:
                # (Dask: the count is known only when computed; skipping the piece, as
                # a count of 0 would, gave zeros there)
                raise ValueError(f"piecewise: a function piece sees only the elements "
                                 f"its condition picks, and on device {x.device!r} "
                                 "their number is not known before computing; compute "
                                 "x and the conditions first, or use constant pieces")
            if n > 0:
                y[c] = f(vals, *args, **kw)
        else:
            y[c] = f
    return y


def choose(a, choices, out=None, mode="raise"):
    """Pick from ``choices[a[i]]`` at each position (differentiable in the choices).

    >>> import ndgrad as np
    >>> np.choose([0, 1], [[1, 2], [3, 4]])
    array([1, 4])
    """
    # Python int/float/complex choices are weak scalars (NEP 50), as in NumPy: they take the
    # other choices' dtype (np.choose(1, [np.float32(1), 1.]) is float32)
    weak = () if is_array(choices) else [type(c) in (int, float, complex) for c in choices]
    if out is None and not is_array(choices) and plain_numpy(a, *choices):
        # no gradient to record: NumPy's own choose, not a stack of every choice and a
        # gather (about 2x the time)
        return host_result(np.choose(to_numpy(arr(a)), [
            c if w else to_numpy(arr(c)) for c, w in zip(choices, weak)], mode=mode),
            like=arr(a))
    idx = to_numpy(arr(a))
    n = len(choices)
    if mode == "wrap":
        idx = idx % n
    elif mode == "clip":
        idx = np.clip(idx, 0, n - 1)
    elif (idx < 0).any() or (idx >= n).any():
        raise ValueError("invalid entry in choice array")
    chs = [arr(c) for c in choices]
    if any(weak):
        common = np.result_type(*[c if w else ch.dtype
                                  for c, ch, w in zip(choices, chs, weak)])
        chs = [arr(ch, common) if w else ch for ch, w in zip(chs, weak)]
    shape = np.broadcast_shapes(idx.shape, *[c.shape for c in chs])
    st = std("stack")([std("broadcast_to")(c, shape) for c in chs], axis=0)
    r = std("take_along_axis")(st, arr(np.broadcast_to(idx, shape)[None], like=st), axis=0)[0]
    if out is not None:
        write_out(r, out)
        return out
    return r


def compress(condition, a, axis=None, out=None):
    """The slices of ``a`` where ``condition`` is true (differentiable).

    >>> import ndgrad as np
    >>> np.compress([False, True], [1, 2])
    array([2])
    """
    a = arr(a)
    if out is not None:
        # NumPy's rule for ``out=`` of compress and take: the target's dtype must cast
        # safely to the input's (NumPy gathers into a buffer of the input's dtype)
        take_out_check("compress", a, out)
        return write_out(compress(condition, a, axis), out)
    if plain_numpy(a, condition):
        # no gradient to record: NumPy's own (no index array and gather)
        return host_result(np.compress(to_numpy(condition), to_numpy(a), axis), like=a)
    c = np.asarray(to_numpy(arr(condition)), dtype=bool)
    if c.ndim != 1:
        raise ValueError(f"condition must be a 1-d array; got shape {c.shape}")
    if axis is None or a.ndim == 0:     # NumPy compresses a 0-d array as one of shape (1,)
        a = std("reshape")(a, (-1,))
        axis = 0 if axis is None else axis
    ax = normalize_axis_index(axis, a.ndim)
    idx = np.nonzero(c)[0]
    if idx.size and idx[-1] >= a.shape[ax]:
        raise IndexError(f"index {idx[-1]} is out of bounds for axis {ax} with size "
                         f"{a.shape[ax]}")
    return std("take")(a, arr(idx, like=a), axis=ax)


def extract(condition, arr_):
    """The elements where ``condition`` is true, flattened (differentiable).

    >>> import ndgrad as np
    >>> np.extract([True, False, True], [1, 2, 3])
    array([1, 3])
    """
    if plain_numpy(condition, arr_):
        # no gradient to record: NumPy's own (one compress; no index array and gather)
        like = arr_ if is_array(arr_) else first_array([condition])
        return host_result(np.extract(to_numpy(condition), to_numpy(arr_)), like=like)
    a = std("reshape")(arr(arr_), (-1,))
    c = np.asarray(to_numpy(arr(condition))).reshape(-1) != 0
    return std("take")(a, arr(np.nonzero(c)[0], like=a), axis=0)


def place(arr_, mask, vals):
    """Put ``vals`` (repeated as needed) where ``mask`` is true, in place.

    >>> import ndgrad as np
    >>> a = np.arange(4); np.place(a, a > 1, [9]); a
    array([0, 1, 9, 9])
    """
    buf = unrecorded_target(arr_, mask, vals)
    if buf is not None:
        # not recorded: NumPy's own, in one pass (no index arrays, gather and scatter)
        np.place(buf, to_numpy(mask), to_numpy(vals))
        return
    write_target_check("place", arr_)
    m = np.asarray(to_numpy(arr(mask)), dtype=bool)
    n = int(m.sum())
    v = std("reshape")(arr(vals, arr_.dtype), (-1,))
    if n == 0:
        return
    idx = np.arange(n) % v.shape[0]
    arr_[arr(m)] = std("take")(v, arr(idx), axis=0)


def putmask(a, /, mask, values):
    """``a[mask] = values`` with ``values`` repeated to fill, in place.

    >>> import ndgrad as np
    >>> a = np.zeros(3); np.putmask(a, [True, False, True], [1.0, 2.0, 3.0]); a
    array([1., 0., 3.])
    """
    buf = unrecorded_target(a, mask, values)
    if buf is not None:
        # not recorded: NumPy's own, in one pass (no index arrays, gather and scatter)
        np.putmask(buf, to_numpy(mask), to_numpy(values))
        return
    write_target_check("putmask", a)
    m = np.broadcast_to(np.asarray(to_numpy(arr(mask)), dtype=bool), a.shape)
    v = std("reshape")(arr(values, a.dtype), (-1,))
    flat_idx = np.nonzero(m.reshape(-1))[0]
    if flat_idx.size == 0:
        return
    src = std("take")(v, arr(flat_idx % v.shape[0]), axis=0)
    a[arr(m)] = src


def put(a, ind, v, mode="raise"):
    """``a.flat[ind] = v``, in place.

    >>> import ndgrad as np
    >>> a = np.zeros(3); np.put(a, [0, 2], [1.0, 2.0]); a
    array([1., 0., 2.])
    """
    buf = unrecorded_target(a, ind, v)
    if buf is not None:
        # not recorded: NumPy's own, in one pass (no unravel_index and scatter)
        _put_numpy(buf, to_numpy(ind), to_numpy(v), mode)
        return
    write_target_check("put", a)
    ind = np.asarray(to_numpy(arr(ind))).reshape(-1)
    n = a.size
    if mode == "wrap":
        ind = ind % n
    elif mode == "clip":
        ind = np.clip(ind, 0, n - 1)
    vv = std("reshape")(arr(v, a.dtype, like=a), (-1,))
    vals = std("take")(vv, arr(np.arange(ind.size) % vv.shape[0], like=vv), axis=0)
    idx = np.unravel_index(np.where(ind < 0, ind + n, ind), a.shape)
    a[tuple(arr(i, like=a) for i in idx)] = vals


def _put_numpy(buf, ind, v, mode):
    """``np.put(buf, ind, v, mode)``, except that a bad index in mode 'raise' leaves
    ``buf`` as it was (NumPy's own writes the elements before the bad one first)."""
    if mode == "raise" and buf.size:
        v = np.asarray(v, dtype=buf.dtype)   # (NumPy converts the values first: its errors)
    if mode == "raise" and buf.size and v.size:
        if isinstance(ind, np.ndarray):
            # (an index array NumPy cannot take safely: its own TypeError, nothing written)
            idx = ind.astype(np.intp, copy=False) if np.can_cast(ind.dtype, np.intp) else None
        else:
            idx = ind = np.asarray(ind, dtype=np.intp)   # as NumPy converts a sequence
        n = buf.size
        # one pass where every index is in [0, n) (as unsigned: a negative one is huge),
        # the two only where some index is negative or too large
        if idx is not None and idx.size and idx.view(np.uint64).max() >= n and (
                idx.max() >= n or idx.min() < -n):
            flat = idx.reshape(-1)
            bad = flat[np.argmax((flat >= n) | (flat < -n))]
            raise IndexError(f"index {bad} is out of bounds for axis 0 with size {n}")
    np.put(buf, ind, v, mode=mode)


def take_along_axis(arr_, indices, axis=-1):
    """Pick values along ``axis`` with an index array (differentiable).

    >>> import ndgrad as np
    >>> np.take_along_axis(np.asarray([[10, 30, 20]]), np.asarray([[1]]), axis=1)
    array([[30]])
    """
    a = arr(arr_)
    if axis is None:
        a = std("reshape")(a, (-1,))
        axis = 0
    axis_index(axis, a.ndim)  # NumPy checks the axis first (AxisError)
    idx = arr(indices, like=a)
    if idx.dtype.kind not in "iu":
        raise IndexError(f"`indices` must be an integer array; got dtype {idx.dtype}")
    if idx.ndim == a.ndim:
        ax = axis_index(axis, a.ndim)
        for i, (m, n) in enumerate(zip(a.shape, idx.shape)):
            if i != ax and m != n and 1 not in (m, n):  # NumPy's fancy-indexing error
                raise IndexError(f"take_along_axis: shape mismatch: arr of shape {a.shape} "
                                 f"and indices of shape {idx.shape} do not broadcast")
    return std("take_along_axis")(a, idx, axis=axis)


def put_along_axis(arr_, indices, values, axis):
    """Write ``values`` at ``indices`` along ``axis``, in place.

    >>> import ndgrad as np
    >>> a = np.zeros((1, 3)); np.put_along_axis(a, np.asarray([[1]]), 5.0, 1); a
    array([[0., 5., 0.]])
    """
    buf = unrecorded_target(arr_, indices, values)
    if buf is not None:
        # not recorded: NumPy's own (no broadcast index grid per axis; NumPy checks every
        # index before it writes)
        np.put_along_axis(buf, to_numpy(indices), to_numpy(values), axis)
        return
    idx = np.asarray(to_numpy(arr(indices)))
    ax = normalize_axis_index(axis, arr_.ndim)
    key = []
    for d in range(arr_.ndim):
        if d == ax:
            key.append(idx)
        else:
            s = [1] * arr_.ndim
            s[d] = arr_.shape[d]
            key.append(np.arange(arr_.shape[d]).reshape(s))
    shape = np.broadcast_shapes(*[k.shape for k in key])
    arr_[tuple(arr(np.broadcast_to(k, shape), like=arr_) for k in key)] = std("broadcast_to")(
        arr(values, arr_.dtype, like=arr_), shape)


def fill_diagonal(a, val, wrap=False):
    """Write ``val`` on the main diagonal, in place.

    >>> import ndgrad as np
    >>> a = np.zeros((2, 2)); np.fill_diagonal(a, 5.0); a
    array([[5., 0.],
           [0., 5.]])
    """
    shape = a.shape
    if a.ndim < 2:
        raise ValueError(f"array must be at least 2-d (fill_diagonal of shape {shape})")
    if a.ndim == 2:
        n = builtins.min(shape) if not wrap else shape[0]
        rows = np.arange(n)
        cols = rows % shape[1] if wrap else rows
        keep = cols < shape[1]
        if wrap:
            step = shape[1] + 1
            flat = np.arange(0, shape[0] * shape[1], step)
            rows, cols = np.unravel_index(flat, shape)
        else:
            rows, cols = rows[keep], cols[keep]
        idx = (rows, cols)
    else:
        if len(set(shape)) != 1:
            raise ValueError("All dimensions of input must be of equal length")
        r = np.arange(shape[0])
        idx = (r,) * a.ndim
    v = std("reshape")(arr(val, a.dtype, like=a), (-1,))
    k = len(idx[0])
    a[tuple(arr(i, like=a) for i in idx)] = std("take")(v, arr(np.arange(k) % v.shape[0], like=v),
                                                         axis=0)


def _stable_of(kind, stable):
    """NumPy's ``kind=``/``stable=`` as the standard's ``stable`` flag: ``True`` for
    'stable'/'mergesort' or ``stable=True``; ``False`` for the default, 'quicksort' and
    'heapsort' (NumPy's fast unstable sort, bit-identical to ``np.sort``'s default)."""
    if kind is not None and stable is not None:
        raise ValueError("`kind` and keyword parameters can't be provided at the same time. "
                         "Use only one of them.")
    if stable is not None:
        return bool(stable)
    if kind is None:
        return False
    k = kind[:1].lower() if isinstance(kind, str) else ""
    if k not in ("q", "h", "m", "s"):
        raise ValueError(f"sort kind must be one of 'quick', 'heap', or 'stable' (got {kind!r})")
    return k in ("m", "s")


def sort(a, axis=-1, kind=None, order=None, *, stable=None, descending=False):
    """A sorted copy (flattened when ``axis`` is None); differentiable (a gather).

    As NumPy's, the default is the fast unstable sort (the order among equal values,
    such as -0.0 and 0.0, is NumPy's own); ``kind="stable"`` or ``stable=True`` keeps
    equal values in their original order. NaN sorts last, also with ``descending=True``
    (NumPy 2.5's keyword; ndgrad takes it with any NumPy).

    >>> import ndgrad as np
    >>> np.sort([3, 1, 2])
    array([1, 2, 3])
    >>> np.sort([0.0, np.nan, -0.0, -1.0], stable=True)
    array([-1.,  0., -0., nan])
    """
    stable = _stable_of(kind, stable)
    _no_fields(order)
    a = arr(a)
    if axis is None:
        a = std("reshape")(a, (-1,))
        axis = -1
    if a.ndim == 0:
        raise np.exceptions.AxisError("axis -1 is out of bounds for array of dimension 0")
    return std("sort")(a, axis=axis, descending=descending, stable=stable)


def _no_fields(order):
    """NumPy's error for sort's and argsort's ``order=`` (field names of a structured
    array, which ndgrad arrays never are); it was ignored."""
    if order is not None:
        raise ValueError("Cannot specify order when the array has no fields.")


def argsort(a, axis=-1, kind=None, order=None, *, stable=None, descending=False):
    """Indices that sort ``a``. By default stable, as the array API standard requires
    (equal keys keep their order; NumPy leaves their order unspecified): these are
    ``np.argsort(a, kind="stable")``'s indices, found for floats by NumPy's value sort
    with the positions carried in the keys (``stable_argsort.py``: faster than NumPy's
    default argsort), else by its fast sort where no two keys are equal.
    ``stable=False`` or ``kind="quicksort"`` gives NumPy's unstable indices.

    >>> import ndgrad as np
    >>> np.argsort([3, 1, 2])
    array([1, 2, 0])
    >>> np.argsort([1, 0, 1, 0])
    array([1, 3, 0, 2])
    """
    stable = True if kind is None and stable is None else _stable_of(kind, stable)
    _no_fields(order)
    a = arr(a)
    if axis is None or (a.ndim == 0 and axis in (0, -1)):  # NumPy: a 0-d array as 1-d
        a = std("reshape")(a, (-1,))
        axis = -1
    if a.ndim == 0:
        raise np.exceptions.AxisError(f"axis {axis} is out of bounds for array of dimension 0")
    if stable and not descending and plain_numpy(a):
        x = to_numpy(a)
        return host_result(stable_argsort(x, normalize_axis_index(axis, x.ndim)), like=a)
    return std("argsort")(a, axis=axis, descending=descending, stable=stable)


def lexsort(keys, axis=-1):
    """Indirect stable sort on several keys (the last is the primary).

    >>> import ndgrad as np
    >>> np.lexsort(([1, 2, 1], [0, 0, 0]))
    array([0, 2, 1])
    """
    ks = [to_numpy(arr(k)) for k in keys] if not is_array(keys) else to_numpy(keys)
    return arr(np.lexsort(ks, axis=axis), like=first_array(keys))


def partition(a, kth, axis=-1, kind="introselect", order=None):
    """A partitioned copy: the ``kth`` element in its sorted place (differentiable).

    >>> import ndgrad as np
    >>> np.partition([3, 4, 2, 1], 2)[2]
    np.int64(3)
    """
    a = arr(a)
    if plain_numpy(a, kth):
        # no gradient to record: NumPy's own partition (its arrangement of the other
        # elements, and one pass instead of argpartition and a gather)
        return host_result(np.partition(to_numpy(a), to_numpy(kth) if is_array(kth) else kth,
                                        axis=axis, kind=kind, order=order), like=a)
    if axis is None:
        a = std("reshape")(a, (-1,))
        axis = -1
    if is_array(a) and type(a._data) is np.ndarray:
        # recorded: NumPy's own arrangement (its SIMD partition places the other elements
        # otherwise than argpartition's order: the recorded values differed), with the
        # gradient of the gather by the permutation that makes it (equal values matched
        # in their order: ranks of a and of NumPy's result)
        an = a._data
        want = np.partition(an, to_numpy(kth) if is_array(kth) else kth, axis=axis,
                            kind=kind, order=order)
        ranks_a = np.argsort(an, axis=axis, kind="stable")
        ranks_w = np.argsort(want, axis=axis, kind="stable")
        idx = np.empty_like(ranks_a)
        np.put_along_axis(idx, ranks_w, ranks_a, axis=axis)
        from .aliases import _exact
        return _exact(host_result(want, like=a),
                      std("take_along_axis")(a, arr(idx, like=a), axis=axis))
    idx = np.argpartition(to_numpy(a), kth, axis=axis, kind=kind, order=order)
    return std("take_along_axis")(a, arr(idx, like=a), axis=axis)


def argpartition(a, kth, axis=-1, kind="introselect", order=None):
    """Indices that partition ``a``.

    >>> import ndgrad as np
    >>> int(np.argpartition([3, 4, 2, 1], 0)[0])
    3
    """
    a = arr(a)
    # (kind and order given to NumPy, which refuses a kind other than 'introselect' and an
    # order without fields: they were ignored)
    return arr(np.argpartition(to_numpy(a), to_numpy(kth) if is_array(kth) else kth,
                               axis=axis, kind=kind, order=order), like=a)


def sort_complex(a):
    """Sort by real part, then imaginary part (as complex).

    >>> import ndgrad as np
    >>> np.sort_complex([2, 1])
    array([1.+0.j, 2.+0.j])
    """
    a = arr(a)
    if is_symbolic(a):
        # nd.jit, graph mode: NumPy's function when the plan runs; a gradient through it
        # raises, as eager's does (host_values)
        return _registry.apply(make_host_op("sort_complex", np.sort_complex, moves=True),
                               (a,), {"_rest": (), "_kw": {}})
    return host_values("sort_complex", arr(np.sort_complex(to_numpy(a)), like=a), a)


def searchsorted(a, v, side="left", sorter=None):
    """Indices where ``v`` would be inserted to keep ``a`` sorted.

    >>> import ndgrad as np
    >>> np.searchsorted([1, 2, 3], 2.5)
    np.int64(2)
    """
    a = arr(a)
    if sorter is not None:
        sorter = arr(sorter, like=a)
        if sorter.shape != a.shape or sorter.dtype.kind not in "iu":
            # NumPy's checks: a permutation of a's indices (a shorter one read garbage)
            raise (TypeError if sorter.dtype.kind not in "iu" else ValueError)(
                f"searchsorted: sorter must be integer indices of a's shape {a.shape}; got "
                f"{sorter.dtype} of shape {sorter.shape}")
        if sorter.size:
            s = to_numpy(sorter)
            if s.min() < 0 or s.max() >= a.shape[0]:
                raise ValueError(f"Sorter index out of range: searchsorted's sorter holds "
                                 f"{int(s.min())}..{int(s.max())} for {a.shape[0]} elements")
        a = std("take")(a, sorter, axis=0)
    return std("searchsorted")(a, arr(v, like=a), side=side)


def unique(ar, return_index=False, return_inverse=False, return_counts=False, axis=None, *,
           equal_nan=True, sorted=True):  # noqa: A002
    """The sorted unique elements, optionally with first indices, the inverse and counts.

    >>> import ndgrad as np
    >>> np.unique([3, 1, 3, 2], return_counts=True)
    (array([1, 2, 3]), array([1, 1, 2]))
    """
    a = arr(ar)
    res = np.unique(to_numpy(a), return_index=return_index, return_inverse=return_inverse,
                    return_counts=return_counts, axis=axis, equal_nan=equal_nan)
    if not (return_index or return_inverse or return_counts):
        return _gather_values(a, res, axis, equal_nan)
    vals = _gather_values(a, res[0], axis, equal_nan)
    return (vals,) + tuple(arr(r) for r in res[1:])


def _gather_values(a, values, axis, equal_nan=True):
    """NumPy's unique ``values`` (its sort decides which of 0.0 and -0.0 stays); where
    ``a`` is recorded, carrying the gradient of the gather of each value's first
    occurrence (of each unique slice along ``axis``)."""
    if a._node is None or not _registry.grad_state.enabled:
        return arr(values)
    src = std("reshape")(a, (-1,)) if axis is None else a
    ax = 0 if axis is None else axis
    _, first = np.unique(to_numpy(src), return_index=True, axis=axis, equal_nan=equal_nan)
    from .aliases import _exact
    return _exact(arr(values), std("take")(src, arr(first, like=src), axis=ax))


def unique_values(x, /):
    """The unique values (the standard's).

    >>> import ndgrad as np
    >>> np.unique_values(np.asarray([2, 1, 2]))
    array([1, 2])
    """
    return std("unique_values")(arr(x))


def unique_counts(x, /):
    """Unique values and their counts (the standard's).

    >>> import ndgrad as np
    >>> np.unique_counts(np.asarray([2, 1, 2])).counts
    array([1, 2])
    """
    return std("unique_counts")(arr(x))


def _inverse_as_array(res):
    """NumPy's inverse indices have ``x``'s shape, a 0-d *array* for 0-d ``x``."""
    _registry.with_0d_kind(res.inverse_indices, True)
    return res


def unique_inverse(x, /):
    """Unique values and the inverse indices (the standard's).

    >>> import ndgrad as np
    >>> np.unique_inverse(np.asarray([2, 1, 2])).inverse_indices
    array([1, 0, 1])
    """
    return _inverse_as_array(std("unique_inverse")(arr(x)))


def unique_all(x, /):
    """Unique values, indices, inverse indices and counts (the standard's).

    >>> import ndgrad as np
    >>> np.unique_all(np.asarray([2, 1, 2])).values
    array([1, 2])
    """
    return _inverse_as_array(std("unique_all")(arr(x)))


def in1d(ar1, ar2, assume_unique=False, invert=False, *, kind=None):
    """Whether each element of the flattened ``ar1`` is in ``ar2``.

    >>> import ndgrad as np
    >>> np.in1d([1, 2, 3], [2])
    array([False,  True, False])
    """
    ar1, ar2 = arrs(ar1, ar2)
    return arr(np.isin(to_numpy(ar1).ravel(), to_numpy(ar2), invert=invert), like=ar1)


def isin(element, test_elements, assume_unique=False, invert=False, *, kind=None):
    """Whether each element is in ``test_elements`` (shape of ``element``).

    >>> import ndgrad as np
    >>> np.isin([[1, 2]], [2])
    array([[False,  True]])
    """
    if kind not in (None, "sort", "table"):   # (kind and assume_unique were ignored)
        raise ValueError(f"Invalid kind: '{kind}'. Please use None, 'sort' or 'table'.")
    if is_symbolic(element) or is_symbolic(test_elements):
        return std("isin")(element, test_elements, invert=invert)
    element, test_elements = arrs(element, test_elements)
    if type(element._data) is not np.ndarray or type(test_elements._data) is not np.ndarray:
        # another backend (a lazy Dask array): the standard's isin, on that backend
        return std("isin")(element, test_elements, invert=invert)
    return arr(np.isin(to_numpy(element), to_numpy(test_elements), invert=invert,
                       assume_unique=assume_unique, kind=kind), like=element)


def intersect1d(ar1, ar2, assume_unique=False, return_indices=False):
    """Sorted common unique values.

    >>> import ndgrad as np
    >>> np.intersect1d([1, 3, 4], [3, 1, 5])
    array([1, 3])
    """
    ar1, ar2 = arrs(ar1, ar2)
    r = np.intersect1d(to_numpy(ar1), to_numpy(ar2), assume_unique, return_indices)
    out = tuple(arr(x, like=ar1) for x in r) if return_indices else arr(r, like=ar1)
    return host_values("intersect1d", out, ar1, ar2)


def union1d(ar1, ar2):
    """Sorted unique values in either array.

    >>> import ndgrad as np
    >>> np.union1d([1, 3], [2, 3])
    array([1, 2, 3])
    """
    ar1, ar2 = arrs(ar1, ar2)
    return host_values("union1d", arr(np.union1d(to_numpy(ar1), to_numpy(ar2)), like=ar1),
                       ar1, ar2)


def setdiff1d(ar1, ar2, assume_unique=False):
    """Sorted unique values of ``ar1`` not in ``ar2``.

    >>> import ndgrad as np
    >>> np.setdiff1d([1, 2, 3], [2])
    array([1, 3])
    """
    ar1, ar2 = arrs(ar1, ar2)
    return host_values("setdiff1d", arr(np.setdiff1d(to_numpy(ar1), to_numpy(ar2),
                                                     assume_unique), like=ar1), ar1, ar2)


def setxor1d(ar1, ar2, assume_unique=False):
    """Sorted values in exactly one of the arrays.

    >>> import ndgrad as np
    >>> np.setxor1d([1, 2], [2, 3])
    array([1, 3])
    """
    ar1, ar2 = arrs(ar1, ar2)
    return host_values("setxor1d", arr(np.setxor1d(to_numpy(ar1), to_numpy(ar2),
                                                   assume_unique), like=ar1), ar1, ar2)


def unravel_index(indices, shape, order="C"):
    """Flat indices to a tuple of coordinate arrays.

    >>> import ndgrad as np
    >>> np.unravel_index([5], (2, 3))
    (array([1]), array([2]))
    """
    res = np.unravel_index(to_numpy(indices) if is_array(indices) else indices, shape,
                           order=order)
    if np.ndim(indices) == 0 and not is_array(indices):
        return res  # NumPy's integer scalars (they index ndgrad arrays as they are)
    return tuple(arr(np.asarray(r), like=indices if is_array(indices) else None) for r in res)


def ravel_multi_index(multi_index, dims, mode="raise", order="C"):
    """Coordinate arrays to flat indices.

    >>> import ndgrad as np
    >>> np.ravel_multi_index(([1], [2]), (2, 3))
    array([5])
    """
    mi = tuple(to_numpy(m) if is_array(m) else m for m in multi_index)
    return arr(np.asarray(np.ravel_multi_index(mi, dims, mode=mode, order=order)),
               like=first_array(multi_index))


def indices(dimensions, dtype=int, sparse=False):
    """Index grids for an array of shape ``dimensions``.

    >>> import ndgrad as np
    >>> np.indices((2, 2))[0]
    array([[0, 0],
           [1, 1]])
    """
    r = np.indices(dimensions, dtype=dtype, sparse=sparse)
    return tuple(arr(x) for x in r) if sparse else arr(r)


def ix_(*args):
    """Open meshes for cross-product indexing (``a[np.ix_(rows, cols)]``).

    >>> import ndgrad as np
    >>> [x.shape for x in np.ix_([0, 1], [2, 3, 4])]
    [(2, 1), (1, 3)]
    """
    out = np.ix_(*[to_numpy(a) if is_array(a) or is_symbolic(a) else a for a in args])
    # a recorded float vector keeps its gradient (the mesh is a reshape of it: np.ix_(x, y)
    # broadcasts x against y in arithmetic too)
    return tuple(std("reshape")(a, o.shape) if is_array(a) and a._node is not None and
                 a.dtype.kind in "fc" else arr(o) for a, o in zip(args, out))


class _Grid:
    def __init__(self, np_grid):
        self._g = np_grid

    def __getitem__(self, key):
        r = self._g[key]
        if isinstance(r, (tuple, list)):
            return type(r)(arr(x) for x in r)
        return arr(r)


ogrid = _Grid(np.ogrid)
mgrid = _Grid(np.mgrid)


class _Concatenator:
    """``r_`` / ``c_``: concatenation by index syntax; ndgrad arrays keep their gradients."""

    def __init__(self, np_obj, axis, ndmin, trans1d):
        self._np = np_obj
        self.axis, self.ndmin, self.trans1d = axis, ndmin, trans1d

    def __getitem__(self, key):
        items = key if isinstance(key, tuple) else (key,)
        if not builtins.any(is_array(k) and k._node is not None for k in items):
            conv = tuple(to_numpy(k) if is_array(k) else k for k in items)
            return arr(self._np[conv if isinstance(key, tuple) else conv[0]])
        # with gradients: slices become arange/linspace, then NumPy's concatenation rules
        from .shape import concatenate
        axis, ndmin, trans1d = self.axis, self.ndmin, self.trans1d
        parts = []
        for k in items:
            if isinstance(k, str):
                spec = [int(s) for s in k.split(",")]
                axis = spec[0]
                if len(spec) > 1:
                    ndmin = spec[1]
                if len(spec) > 2:
                    trans1d = spec[2]
                continue
            if isinstance(k, slice):
                k = self._np[k]
            a = arr(k)
            if a.ndim < ndmin:
                if trans1d == -1 or a.ndim == 0:
                    a = std("reshape")(a, (1,) * (ndmin - a.ndim) + a.shape)
                    if trans1d != -1 and a.ndim >= 2:
                        pass
                else:
                    shp = [1] * ndmin
                    shp[trans1d] = a.shape[0] if a.ndim else 1
                    a = std("reshape")(a, tuple(shp))
            elif a.ndim == 0:
                a = std("reshape")(a, (1,))
            parts.append(a)
        return concatenate(parts, axis=axis)

    def __len__(self):
        return 0


r_ = _Concatenator(np.r_, 0, 1, -1)
c_ = _Concatenator(np.c_, -1, 2, 0)
s_ = np.s_
index_exp = np.index_exp
ndindex = np.ndindex


def ndenumerate(arr_):
    """Pairs of (index tuple, value) over the array.

    >>> import ndgrad as np
    >>> list(np.ndenumerate(np.asarray([5, 6])))[1]
    ((1,), np.int64(6))
    """
    return np.ndenumerate(to_numpy(arr(arr_)))


def diag_indices(n, ndim=2):
    """Indices of the main diagonal of an ``(n,) * ndim`` array.

    >>> import ndgrad as np
    >>> np.diag_indices(2)
    (array([0, 1]), array([0, 1]))
    """
    return tuple(arr(x) for x in np.diag_indices(n, ndim))


def diag_indices_from(arr_):
    """Indices of the main diagonal of ``arr``.

    >>> import ndgrad as np
    >>> np.diag_indices_from(np.eye(2))[0]
    array([0, 1])
    """
    a = arr(arr_)
    if a.ndim < 2:
        raise ValueError(f"input array must be at least 2-d; got shape {a.shape}")
    if len(set(a.shape)) != 1:
        raise ValueError(f"All dimensions of input must be of equal length; got shape {a.shape}")
    return diag_indices(a.shape[0], a.ndim)


def tril_indices(n, k=0, m=None):
    """Indices of the lower triangle.

    >>> import ndgrad as np
    >>> np.tril_indices(2)
    (array([0, 1, 1]), array([0, 0, 1]))
    """
    return tuple(arr(x) for x in np.tril_indices(n, k, m))


def triu_indices(n, k=0, m=None):
    """Indices of the upper triangle.

    >>> import ndgrad as np
    >>> np.triu_indices(2)
    (array([0, 0, 1]), array([0, 1, 1]))
    """
    return tuple(arr(x) for x in np.triu_indices(n, k, m))


def tril_indices_from(arr_, k=0):
    """Indices of the lower triangle of ``arr``.

    >>> import ndgrad as np
    >>> np.tril_indices_from(np.eye(2))[1]
    array([0, 0, 1])
    """
    a = arr(arr_)
    if a.ndim != 2:
        raise ValueError(f"input array must be 2-d; got shape {a.shape}")
    return tril_indices(a.shape[-2], k, a.shape[-1])


def triu_indices_from(arr_, k=0):
    """Indices of the upper triangle of ``arr``.

    >>> import ndgrad as np
    >>> np.triu_indices_from(np.eye(2))[1]
    array([0, 1, 1])
    """
    a = arr(arr_)
    if a.ndim != 2:
        raise ValueError(f"input array must be 2-d; got shape {a.shape}")
    return triu_indices(a.shape[-2], k, a.shape[-1])


def mask_indices(n, mask_func, k=0):
    """Indices where ``mask_func(ones((n, n)), k)`` is non-zero.

    >>> import ndgrad as np
    >>> np.mask_indices(2, np.triu)[1]
    array([0, 1, 1])
    """
    m = to_numpy(arr(mask_func(arr(np.ones((n, n), dtype=int)), k)))
    return tuple(arr(x) for x in np.nonzero(m != 0))


def _along_result(r):
    """One result of apply_along_axis's function as an Array; a ``numpy.ma`` masked array is
    refused (NumPy's result is then a masked array: the mask would be dropped silently)."""
    from .._ops.creation import is_masked
    if is_masked(r):
        raise TypeError("apply_along_axis: func1d returned a numpy.ma masked array (shape "
                        f"{r.shape}, dtype {r.dtype}); ndgrad's result would drop its mask. "
                        "Use NumPy's apply_along_axis for masked results, or return "
                        "m.filled(value)")
    return arr(r)


def apply_along_axis(func1d, axis, arr_, *args, **kwargs):
    """Apply ``func1d`` to 1-D slices along ``axis`` (differentiable if ``func1d`` is).

    >>> import ndgrad as np
    >>> np.apply_along_axis(lambda v: v.sum(), 1, np.ones((2, 3)))
    array([3., 3.])
    """
    from .shape import moveaxis
    a = arr(arr_)
    ax = normalize_axis_index(axis, a.ndim)
    moved = moveaxis(a, ax, -1)
    lead = moved.shape[:-1]
    outs = [_along_result(func1d(moved[idx], *args, **kwargs)) for idx in np.ndindex(*lead)]
    if not outs:
        raise ValueError("Cannot apply_along_axis when any iteration dimensions are 0")
    st = std("stack")(outs, axis=0)
    res = std("reshape")(st, lead + outs[0].shape)
    if outs[0].ndim:
        res = moveaxis(res, tuple(range(len(lead), res.ndim)),
                       tuple(range(ax, ax + outs[0].ndim)))
    return res


def apply_over_axes(func, a, axes):
    """Apply ``func(a, axis)`` repeatedly, keeping dimensions.

    >>> import ndgrad as np
    >>> np.apply_over_axes(np.sum, np.ones((2, 3)), [0, 1])
    array([[6.]])
    """
    a = arr(a)
    for ax in ([axes] if isinstance(axes, int) else axes):
        r = func(a, ax)
        if r.ndim == a.ndim - 1:
            from .shape import expand_dims
            r = expand_dims(r, ax)
        a = r
    return a


class vectorize:
    """NumPy's ``vectorize`` on ndgrad arrays: calls the Python function per element
    (values only, as NumPy; for speed write array code instead).

    >>> import ndgrad as np
    >>> np.vectorize(lambda a, b: a + b)([1, 2], 3)
    array([4, 5])
    """

    def __init__(self, pyfunc=np._NoValue, otypes=None, doc=None, excluded=None,
                 cache=False, signature=None):
        object.__setattr__(self, "_v", np.vectorize(
            pyfunc, otypes=otypes, doc=doc, excluded=excluded, cache=cache,
            signature=signature))
        object.__setattr__(self, "__doc__", self._v.__doc__)

    # NumPy's attributes (``pyfunc``, ``cache``, ``otypes``, ``excluded``, ``__name__``,
    # ``__doc__`` ...) are its vectorize object's: read there, and written there, so that
    # ``f.cache = True`` after construction takes effect (it was ignored)
    def __getattr__(self, name):
        return getattr(object.__getattribute__(self, "_v"), name)

    def __setattr__(self, name, value):
        setattr(self._v, name, value)
        if name == "__doc__":
            object.__setattr__(self, name, value)

    def __call__(self, *args, **kwargs):
        if self._v.pyfunc is np._NoValue:
            # (a decorator with keywords only, ``@np.vectorize(otypes=[float])``)
            self._v(*args, **kwargs)
            object.__setattr__(self, "__doc__", self._v.__doc__)
            return self
        a = [to_numpy(x) if is_array(x) else x for x in args]
        k = {n: to_numpy(v) if is_array(v) else v for n, v in kwargs.items()}
        r = self._v(*a, **k)
        from ._core import wrap_result
        return wrap_result(r, like=first_array(list(args) + list(kwargs.values())))


def frompyfunc(func, /, nin, nout, *, identity=None):
    """NumPy's ``frompyfunc`` (object results), taking ndgrad arrays.

    >>> import ndgrad as np
    >>> np.frompyfunc(lambda a: a * 2, 1, 1)([1, 2])
    array([2, 4], dtype=object)
    """
    u = np.frompyfunc(func, nin, nout, identity=identity)

    def call(*args):
        return u(*[to_numpy(x) if is_array(x) else x for x in args])
    return call


def meshgrid(*xi, copy=True, sparse=False, indexing="xy"):
    """Coordinate matrices from coordinate vectors (differentiable).

    >>> import ndgrad as np
    >>> [g.shape for g in np.meshgrid([1, 2, 3], [4, 5])]
    [(2, 3), (2, 3)]
    """
    xs = [std("reshape")(arr(x), (-1,)) for x in xi]
    n = len(xs)
    if indexing not in ("xy", "ij"):
        raise ValueError("Valid values for `indexing` are 'xy' and 'ij'.")
    if copy and plain_numpy(*xs):
        # no gradient to record: NumPy's own (each grid copied from its broadcast view
        # once, without a broadcast_to and a copy op apiece)
        return tuple(host_result(g, like=xs[0]) for g in np.meshgrid(
            *[to_numpy(x) for x in xs], copy=True, sparse=sparse, indexing=indexing))
    shapes = [x.shape[0] for x in xs]
    if indexing == "xy" and n > 1:
        shapes[0], shapes[1] = shapes[1], shapes[0]
    out = []
    for i, x in enumerate(xs):
        shp = [1] * n
        pos = i
        if indexing == "xy" and n > 1 and i < 2:
            pos = 1 - i
        shp[pos] = x.shape[0]
        g = std("reshape")(x, tuple(shp))
        if not sparse:
            g = std("broadcast_to")(g, tuple(shapes))
            if copy:
                g = copy_of(g)
        out.append(g)
    return tuple(out)


def _clip_bound(b, dt):
    """A bound in the dtype the clip runs in (a Python int beyond an integer dtype's range
    clamps nothing: it is moved to the range's end, as NumPy 2 treats it)."""
    if b is None:
        return None
    if type(b) is int and dt.kind in "iu":
        ii = np.iinfo(dt)
        return builtins.min(builtins.max(b, int(ii.min)), int(ii.max))
    if type(b) in (bool, int, float, complex):
        return b
    b = arr(b)
    return b if b.dtype == dt else arr(b, dt)


def _clip_dtype(a, lo, hi, bounds, kwargs):
    """``a`` in clip's result dtype: its ufunc's loop (maximum's or minimum's with one
    bound), so clip(uint8, 0.5, 2.5) is float64 and an int32 bound of int64 is int64;
    without bounds, ``dtype=`` when given (NumPy's copy in that dtype)."""
    if bounds:
        from .aliases import ufunc_loop
        npf = (np._core.umath.clip if len(bounds) == 2 else
               np.maximum if lo is not None else np.minimum)
        _, (dt,) = ufunc_loop(npf, [a] + bounds, kwargs.get("dtype"),
                              kwargs.get("casting", "same_kind"))
        return arr(a, dt)
    return a if kwargs.get("dtype") is None else arr(a, kwargs["dtype"])


def clip(a, /, min=None, max=None, out=None, *, a_min=None, a_max=None, **kwargs):  # noqa
    """Clamp to ``[min, max]`` (NumPy's ``a_min``/``a_max`` keywords work too).

    >>> import ndgrad as np
    >>> np.clip([-1, 5, 10], 0, 8)
    array([0, 5, 8])
    """
    extra = set(kwargs) - {"dtype", "casting", "order", "subok"}
    if extra:
        raise TypeError(f"clip: ndgrad does not support the keyword(s) {sorted(extra)}")
    if a_min is not None and min is not None or a_max is not None and max is not None:
        # (NumPy's refusal: one bound given twice was read as ``a_min``/``a_max``)
        raise ValueError("Passing `min` or `max` keyword argument when `a_min` and `a_max` "
                         "are provided is forbidden.")
    lo = a_min if a_min is not None else min
    hi = a_max if a_max is not None else max
    a = arr(a)
    bounds = [b for b in (lo, hi) if b is not None]
    if is_symbolic(a) or builtins.any(is_symbolic(b) for b in bounds):
        # graph mode, nd.jit: the standard's clip, in NumPy's dtype (dtype= too: it was
        # dropped, so clip(x, dtype=np.float32) stayed float64 under nd.jit)
        return write_out(std("clip")(_clip_dtype(a, lo, hi, bounds, kwargs), lo, hi), out,
                         "clip")
    if out is None and plain_numpy(a, lo, hi):
        # no gradient to record: NumPy's own (its clip ufunc, one pass; the standard's
        # clip copies, then compares and writes per bound)
        return host_result(np.clip(to_numpy(a), to_numpy(lo), to_numpy(hi), **kwargs),
                           like=a)
    a = _clip_dtype(a, lo, hi, bounds, kwargs)
    conv = [_clip_bound(b, a.dtype) for b in (lo, hi)]
    return write_out(std("clip")(a, conv[0], conv[1]), out, "clip",
                     kwargs.get("casting", "same_kind"))

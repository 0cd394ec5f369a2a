"""TF's index-based array ops: ``tf.gather_nd``, ``tf.scatter_nd``,
``tf.unsorted_segment_sum`` and ``tf.segment_sum``, each an op with its gradient rule
beside it (the gradients of gathering and of summing by segment are each other);
``tf.matrix_band_part``, which keeps a band of each matrix; ``tf.unique``; the matrix
diagonals (``matrix_diag``, ``matrix_diag_part``, ``matrix_set_diag``), ``matrix_transpose``,
``parallel_stack``, ``searchsorted`` and ``tensor_scatter_nd_update/add/sub``."""
from __future__ import annotations

import collections

import numpy as np

from .._ops.registry import defop, apply, nondiff
from ..graph import core as _core
from ..graph.core import Tensor
from ..graph.gradients import SPARSE_ROWS_RULES
from .framework import build, convert_to_tensor
from .ops import call

__all__ = ["gather_nd", "scatter_nd", "unsorted_segment_sum", "segment_sum",
           "matrix_band_part", "unique", "unique_with_counts"]


def _nd_key(indices, shape, what):
    idx = np.asarray(indices)
    if idx.dtype.kind not in "iu":
        raise TypeError(f"{what}: indices must be integers, got {idx.dtype}")
    k = idx.shape[-1] if idx.ndim else 0
    if idx.ndim == 0 or k > len(shape):
        raise ValueError(f"{what}: indices of shape {idx.shape} do not index a tensor of "
                         f"shape {tuple(shape)}")
    for d in range(k):
        bad = (idx[..., d] < 0) | (idx[..., d] >= shape[d])
        if np.any(bad):
            raise ValueError(f"{what}: index {idx[..., d][bad][0]} in position {d} is out "
                             f"of range for shape {tuple(shape)}")
    return tuple(np.moveaxis(idx, -1, 0))


def _gather_nd_fwd(xp, params, indices):
    p = np.asarray(params)
    key = _nd_key(indices, p.shape, "gather_nd")
    if not key:  # empty index tuples: a copy of params per tuple (TF's GatherNd)
        return np.broadcast_to(p, np.shape(indices)[:-1] + p.shape).copy()
    return p[key]


def _gather_nd_grad_fwd(xp, g, params, indices):
    g = np.asarray(g)
    out = np.zeros(np.shape(params), dtype=g.dtype)
    key = _nd_key(indices, out.shape, "gather_nd")
    if not key:   # (one index tuple per leading position of indices)
        n = int(np.prod(np.shape(indices)[:-1], dtype=np.int64))
        return out + g.reshape((n,) + out.shape).sum(axis=0)
    np.add.at(out, key, g)
    return out


def _gather_nd_rule(args, params):
    p, i = args[0], args[1]
    if p._shape is None or i._shape is None or i._shape[-1] is None:
        return [(None, p._np_dtype)]
    return [(tuple(i._shape[:-1]) + tuple(p._shape[i._shape[-1]:]), p._np_dtype)]


GATHER_ND = defop("tf.gather_nd", _gather_nd_fwd,
                  lambda xp, g, ans, p, i: (call(GATHER_ND_GRAD, xp, (g, p, i)), None),
                  save="inputs", shape_rule=_gather_nd_rule)
GATHER_ND_GRAD = defop("tf.gather_nd_grad", _gather_nd_grad_fwd,
                       lambda xp, gg, ans, g, p, i: (call(GATHER_ND, xp, (gg, i)), None,
                                                     None),
                       save="inputs",
                       shape_rule=lambda args, params: [(args[1]._shape,
                                                         args[0]._np_dtype)])


def _gather_nd_rows(args, params):
    # TF's _GatherNdGrad: indices of static rank 2 whose last length is 1 pick rows of
    # params, and the gradient is an IndexedSlices over those rows (its optimizers update
    # just them: Momentum's accumulator of another row does not move); other indices
    # give a dense scatter (``args``: a graph op's input tensors, or a recorded eager
    # node's saved arrays)
    i = args[1]
    shape = i._shape if isinstance(i, Tensor) else np.shape(i)
    if shape is not None and len(shape) == 2 and shape[-1] == 1:
        return i
    return None


SPARSE_ROWS_RULES[GATHER_ND] = _gather_nd_rows


def gather_nd(params, indices, name=None, batch_dims=0):
    """Slices of ``params`` at the index tuples in the last axis of ``indices``: the
    result has shape ``indices.shape[:-1] + params.shape[K:]``.

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.gather_nd([[1, 2], [3, 4]], [[1, 0], [0, 1]]))
    array([3, 2], dtype=int32)
    """
    if batch_dims:
        raise ValueError("gather_nd: batch_dims other than 0 is not supported")

    def f():
        p = convert_to_tensor(params)
        i = convert_to_tensor(indices)
        return apply(GATHER_ND, (p, i))
    return build(name, "GatherNd", f)


def _scatter_nd_fwd(xp, indices, updates, shape):
    u = np.asarray(updates)
    out = np.zeros(tuple(shape), dtype=u.dtype)
    key = _nd_key(indices, out.shape, "scatter_nd")
    want = np.shape(indices)[:-1] + tuple(shape[np.shape(indices)[-1]:])
    if u.shape != want:
        raise ValueError(f"scatter_nd: updates of shape {u.shape} do not match indices "
                         f"{np.shape(indices)} into shape {tuple(shape)} (expected {want})")
    np.add.at(out, key, u)
    return out


def _scatter_nd_rule(args, params):
    # TF's shape function, when the graph is built: updates of shape indices.shape[:-1]
    # + shape[K:]
    i, u, shape = args[0]._shape, args[1]._shape, tuple(params["shape"])
    if i is not None and u is not None and i and i[-1] is not None:
        want = tuple(i[:-1]) + shape[i[-1]:]
        if i[-1] > len(shape) or len(u) != len(want) or any(
                a is not None and b is not None and a != b for a, b in zip(u, want)):
            raise ValueError(f"scatter_nd: updates of shape {list(u)} do not match indices "
                             f"of shape {list(i)} into shape {list(shape)} (expected "
                             f"{list(want)})")
    return [(shape, args[1]._np_dtype)]


SCATTER_ND = defop("tf.scatter_nd", _scatter_nd_fwd,
                   lambda xp, g, ans, i, u, shape: (None, call(GATHER_ND, xp, (g, i))),
                   save="inputs", shape_rule=_scatter_nd_rule)


def scatter_nd(indices, updates, shape, name=None):
    """Zeros of ``shape`` with ``updates`` added at ``indices`` (repeats add up).

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.scatter_nd([[1], [3], [1]], [5.0, 6.0, 7.0], [4]))
    array([ 0., 12.,  0.,  6.], dtype=float32)
    """
    shp = shape
    if hasattr(shp, "_op") and shp._op._kind == "const":
        shp = shp._op._attrs["value"].tolist()
    try:
        shp = tuple(int(d) for d in shp)
    except TypeError:
        raise ValueError("scatter_nd: the shape must be known when the graph is built, "
                         f"got {shape}") from None

    def f():
        i = convert_to_tensor(indices)
        u = convert_to_tensor(updates)
        return apply(SCATTER_ND, (i, u), {"shape": shp})
    return build(name, "ScatterNd", f)


def _check_ids(ids, data_shape, what):
    ids = np.asarray(ids)
    if ids.dtype.kind not in "iu":
        raise TypeError(f"{what}: segment_ids must be integers, got {ids.dtype}")
    if tuple(data_shape[:ids.ndim]) != ids.shape:
        raise ValueError(f"{what}: segment_ids of shape {ids.shape} must be a prefix of "
                         f"the data's shape {tuple(data_shape)}")
    return ids


def _segment_sum_fwd(xp, data, ids, num_segments, sorted_):
    d = np.asarray(data)
    ids = _check_ids(ids, d.shape, "segment_sum")
    if sorted_ and ids.size and (np.any(np.diff(ids.ravel()) < 0) or ids.min() < 0):
        raise ValueError(f"segment_sum: segment_ids must be sorted and non-negative, got "
                         f"{ids.ravel().tolist()}")
    n = num_segments if num_segments is not None else (int(ids.max()) + 1 if ids.size
                                                        else 0)
    if ids.size and ids.max() >= n:
        raise ValueError(f"unsorted_segment_sum: segment id {int(ids.max())} is out of "
                         f"range [0, {n})")
    out = np.zeros((n,) + d.shape[ids.ndim:], dtype=d.dtype)
    keep = ids >= 0                       # TF drops the rows of negative ids
    np.add.at(out, ids[keep], d[keep])
    return out


def _segment_gather_fwd(xp, g, ids):
    g = np.asarray(g)
    ids = np.asarray(ids)
    out = g[np.clip(ids, 0, None)]
    out[ids < 0] = 0
    return out


def _segment_gather_rule(args, params):
    g, ids = args
    if g._shape is None or ids._shape is None:
        return [(None, g._np_dtype)]
    return [(tuple(ids._shape) + tuple(g._shape[1:]), g._np_dtype)]


def _segment_scatter_fwd(xp, h, ids, g):
    """The adjoint of ``_segment_gather_fwd``: h's rows summed into g's segments (as many
    as g has rows, known only at run time for ``segment_sum``), negative ids dropped."""
    h, ids = np.asarray(h), np.asarray(ids)
    out = np.zeros((np.shape(g)[0],) + h.shape[ids.ndim:], dtype=h.dtype)
    keep = ids >= 0
    np.add.at(out, ids[keep], h[keep])
    return out


SEGMENT_SCATTER = defop(
    "tf.segment_scatter", _segment_scatter_fwd,
    lambda xp, u, ans, h, ids, g: (call(SEGMENT_GATHER, xp, (u, ids)), None, None),
    shape_rule=lambda a, p: [(a[2]._shape, a[0]._np_dtype)])


# (linear in g: its gradient sums h's rows back into g's segments)
SEGMENT_GATHER = defop("tf.segment_gather", _segment_gather_fwd,
                       lambda xp, h, ans, g, ids: (call(SEGMENT_SCATTER, xp, (h, ids, g)),
                                                   None),
                       save="inputs", shape_rule=_segment_gather_rule)


def _segment_rule(args, params):
    d, ids = args[0], args[1]
    n = params["num_segments"]
    if d._shape is None or ids._shape is None:
        return [(None, d._np_dtype)]
    return [((n,) + tuple(d._shape[len(ids._shape):]), d._np_dtype)]


SEGMENT_SUM = defop("tf.segment_sum", _segment_sum_fwd,
                    lambda xp, g, ans, d, ids, num_segments, sorted_: (
                        call(SEGMENT_GATHER, xp, (g, ids)), None),
                    save="inputs", shape_rule=_segment_rule)


def unsorted_segment_sum(data, segment_ids, num_segments, name=None):
    """Sums of the slices of ``data`` sharing a segment id: ``out[s] = sum of
    data[i] with segment_ids[i] == s`` for ``s < num_segments`` (negative ids dropped).

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.unsorted_segment_sum([1.0, 2.0, 3.0, 4.0], [2, 0, 2, -1], 3))
    array([2., 0., 4.], dtype=float32)
    """
    def f():
        d = convert_to_tensor(data)
        ids = convert_to_tensor(segment_ids)
        return apply(SEGMENT_SUM, (d, ids), {"num_segments": int(num_segments),
                                             "sorted_": False})
    return build(name, "UnsortedSegmentSum", f)


def segment_sum(data, segment_ids, name=None):
    """``unsorted_segment_sum`` for sorted ``segment_ids``, with ``max(id) + 1``
    segments.

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.segment_sum([[1, 2], [3, 4], [5, 6]], [0, 0, 1]))
    array([[4, 6],
           [5, 6]], dtype=int32)
    """
    def f():
        d = convert_to_tensor(data)
        ids = convert_to_tensor(segment_ids)
        return apply(SEGMENT_SUM, (d, ids), {"num_segments": None, "sorted_": True})
    return build(name, "SegmentSum", f)



def matrix_band_part(input, num_lower, num_upper, name=None):  # noqa: A002
    """Each innermost matrix with the entries outside its band set to 0: entry
    ``(i, j)`` is kept where ``num_lower < 0 or i - j <= num_lower`` and ``num_upper < 0
    or j - i <= num_upper`` (``(-1, 0)``: the lower triangle). The gradient is the band
    of the incoming one. The two bounds and the matrix shape must be known when the
    graph is built.

    >>> import ndgrad.tf as tf
    >>> print(tf.Session().run(tf.matrix_band_part(tf.ones((3, 3)), 0, 1)))
    [[1. 1. 0.]
     [0. 1. 1.]
     [0. 0. 1.]]
    """
    from . import math_ops as M
    from .extra_ops import _static_dims

    def f():
        x = convert_to_tensor(input)
        dims = _static_dims(x)
        if dims is None or len(dims) < 2 or dims[-1] is None or dims[-2] is None:
            raise ValueError(f"matrix_band_part: input must be at least 2-D with known "
                             f"matrix dimensions, got shape {dims}")
        lo, hi = (_static_int(v, what) for v, what in ((num_lower, "num_lower"),
                                                       (num_upper, "num_upper")))
        i = np.arange(dims[-2])[:, None]
        j = np.arange(dims[-1])[None, :]
        band = ((lo < 0) | (i - j <= lo)) & ((hi < 0) | (j - i <= hi))
        # (where, not a product with the mask: an inf outside the band becomes 0, not NaN)
        return M.where(np.broadcast_to(band, dims), x, M.zeros_like(x))
    return build(name, "MatrixBandPart", f, graph_args=(input,))


def _static_int(v, what):
    a = np.asarray(v)
    if a.ndim != 0 or a.dtype.kind not in "iu":
        raise ValueError(f"matrix_band_part: {what} must be a constant integer, got {v!r}")
    return int(a)


def _unique_fwd(xp, x, out_idx, counts):
    """TF's Unique: the distinct values of 1-D ``x`` in the order of their first
    occurrence (NumPy's unique sorts them), ``idx[i]`` the position of ``x[i]`` among
    them, and with ``counts`` how often each occurs."""
    x = np.asarray(x)
    if x.ndim != 1:
        from ..graph import errors
        raise errors.InvalidArgumentError(None, None,
                                          f"unique expects a 1D vector, got shape {x.shape}")
    # (each NaN its own value, as TF's hash table compares them; -0.0 equals 0.0)
    vals, first, inverse, cnt = np.unique(x, return_index=True, return_inverse=True,
                                          return_counts=True, equal_nan=False)
    order = np.argsort(first, kind="stable")        # sorted position -> output position
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    y = x[np.sort(first)]
    idx = rank[inverse.reshape(-1)].astype(out_idx)
    return (y, idx, cnt[order].astype(out_idx)) if counts else (y, idx)


def _unique_rule(args, params):
    x = args[0]
    dt = np.dtype(params["out_idx"])
    n = None if x._shape is None or not x._shape else x._shape[0]
    out = [((None,), x._np_dtype), ((n,), dt)]
    return out + [((None,), dt)] if params["counts"] else out


UNIQUE = defop("tf.unique", _unique_fwd, multi=True, shape_rule=_unique_rule,
               nograd="TF registers no gradient for Unique")

Unique = collections.namedtuple("Unique", ["y", "idx"])
UniqueWithCounts = collections.namedtuple("UniqueWithCounts", ["y", "idx", "count"])


def unique(x, out_idx=np.int32, name=None):
    """The distinct values of the 1-D ``x`` in order of first occurrence, and for each
    element of ``x`` its index among them (TF's order; NumPy's ``unique`` sorts).

    >>> import ndgrad.tf as tf
    >>> print(tf.Session().run(tf.unique([3, 1, 3, 2])))
    Unique(y=array([3, 1, 2], dtype=int32), idx=array([0, 1, 0, 2], dtype=int32))
    """
    from .framework import np_dtype
    return build(name, "Unique", lambda: Unique(*apply(
        UNIQUE, (convert_to_tensor(x),), {"out_idx": np_dtype(out_idx), "counts": False})),
        graph_args=(x,))


def unique_with_counts(x, out_idx=np.int32, name=None):
    """``unique`` and how often each distinct value occurs.

    >>> import ndgrad.tf as tf
    >>> print(tf.Session().run(tf.unique_with_counts([3, 1, 3, 2])).count)
    [2 1 1]
    """
    from .framework import np_dtype
    return build(name, "UniqueWithCounts", lambda: UniqueWithCounts(*apply(
        UNIQUE, (convert_to_tensor(x),), {"out_idx": np_dtype(out_idx), "counts": True})),
        graph_args=(x,))


# -- matrix diagonals, matrix_transpose ---------------------------------------------------
def _diag_part_fwd(xp, x):
    x = np.asarray(x)
    if x.ndim < 2:
        raise ValueError(f"matrix_diag_part: input must be at least 2-D, got shape {x.shape}")
    return np.diagonal(x, axis1=-2, axis2=-1).copy()


def _set_diag_fwd(xp, x, d):
    x, d = np.asarray(x), np.asarray(d)
    if x.ndim < 2:
        raise ValueError(f"matrix_set_diag: input must be at least 2-D, got shape {x.shape}")
    want = x.shape[:-2] + (min(x.shape[-2:]),)
    if d.shape != want:
        raise ValueError(f"matrix_set_diag: diagonal must have shape {want} for input of "
                         f"shape {x.shape}, got {d.shape}")
    out = x.copy()
    k = np.arange(want[-1])
    out[..., k, k] = d
    return out


def _matrix_diag_fwd(xp, d):
    d = np.asarray(d)
    if d.ndim < 1:
        raise ValueError(f"matrix_diag: diagonal must be at least 1-D, got shape {d.shape}")
    n = d.shape[-1]
    out = np.zeros(d.shape + (n,), d.dtype)
    k = np.arange(n)
    out[..., k, k] = d
    return out


# The three are linear and each one's gradient is made of the others: the diagonal part's
# cotangent goes back on the diagonal of zeros, set_diag's to the input off the diagonal and
# to the diagonal on it, matrix_diag's from the cotangent's diagonal
def _diag_part_vjp(xp, g, ans, x):
    return (call(SET_DIAG, xp, (xp.zeros_like(x), g)),)


def _set_diag_vjp(xp, g, ans, x, d):
    return (call(SET_DIAG, xp, (g, xp.zeros_like(d))), call(DIAG_PART, xp, (g,)))


def _matrix_diag_vjp(xp, g, ans, d):
    return (call(DIAG_PART, xp, (g,)),)


def _diag_part_rule(args, params):
    s = args[0]._shape
    if s is None:
        return [(None, args[0]._np_dtype)]
    if len(s) < 2:
        raise ValueError(f"matrix_diag_part: input must be at least 2-D, got shape {s}")
    m, n = s[-2:]
    return [(tuple(s[:-2]) + (None if m is None or n is None else min(m, n),),
             args[0]._np_dtype)]


def _set_diag_rule(args, params):
    s, ds = args[0]._shape, args[1]._shape
    if s is not None and len(s) < 2:
        raise ValueError(f"matrix_set_diag: input must be at least 2-D, got shape {s}")
    if s is not None and ds is not None and None not in s and None not in ds:
        want = tuple(s[:-2]) + (min(s[-2:]),)
        if tuple(ds) != want:
            raise ValueError(f"matrix_set_diag: diagonal must have shape {want} for input "
                             f"of shape {tuple(s)}, got {tuple(ds)}")
    return [(s, args[0]._np_dtype)]


def _matrix_diag_rule(args, params):
    s = args[0]._shape
    if s is None:
        return [(None, args[0]._np_dtype)]
    if len(s) < 1:
        raise ValueError("matrix_diag: diagonal must be at least 1-D, got a scalar")
    return [(tuple(s) + (s[-1],), args[0]._np_dtype)]


DIAG_PART = defop("tf.matrix_diag_part", _diag_part_fwd, _diag_part_vjp, save="inputs",
                  shape_rule=_diag_part_rule)
SET_DIAG = defop("tf.matrix_set_diag", _set_diag_fwd, _set_diag_vjp, save="inputs",
                 shape_rule=_set_diag_rule)
MATRIX_DIAG = defop("tf.matrix_diag", _matrix_diag_fwd, _matrix_diag_vjp, save="none",
                    shape_rule=_matrix_diag_rule)


def matrix_diag_part(input, name=None):  # noqa: A002
    """The main diagonal of each innermost matrix: shape ``(..., min(m, n))``.

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.matrix_diag_part([[1, 2, 3], [4, 5, 6]]))
    array([1, 5], dtype=int32)
    """
    return build(name, "MatrixDiagPart",
                 lambda: apply(DIAG_PART, (convert_to_tensor(input),)), graph_args=(input,))


def matrix_set_diag(input, diagonal, name=None):  # noqa: A002
    """Each innermost matrix of ``input`` with its main diagonal replaced by
    ``diagonal`` (shape ``(..., min(m, n))``).

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.matrix_set_diag([[1, 2], [3, 4]], [9, 8]))
    array([[9, 2],
           [3, 8]], dtype=int32)
    """
    def f():
        from .framework import convert_same
        x, d = convert_same([input, diagonal], names=("input", "diagonal"),
                            op_type="MatrixSetDiag")
        return apply(SET_DIAG, (x, d))
    return build(name, "MatrixSetDiag", f, graph_args=(input,))


def matrix_diag(diagonal, name=None):
    """Square matrices with ``diagonal`` (shape ``(..., n)``) on the main diagonal and
    zeros elsewhere: shape ``(..., n, n)``.

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.matrix_diag([1.0, 2.0]))
    array([[1., 0.],
           [0., 2.]], dtype=float32)
    """
    return build(name, "MatrixDiag",
                 lambda: apply(MATRIX_DIAG, (convert_to_tensor(diagonal),)),
                 graph_args=(diagonal,))


def matrix_transpose(a, name="matrix_transpose", conjugate=False):
    """Each innermost matrix of ``a`` transposed (conjugated too with ``conjugate``).

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.matrix_transpose([[1, 2, 3]]))
    array([[1],
           [2],
           [3]], dtype=int32)
    """
    from . import ops as _tops

    def f():
        x = convert_to_tensor(a)
        s = x._shape if hasattr(x, "_shape") else tuple(x.shape)
        if s is not None and len(s) < 2:
            raise ValueError(f"Argument 'a' should be a (batch) matrix, with rank >= 2.  "
                             f"Found: {x.shape}")
        out = apply(_tops.TRANSPOSE_LAST2, (x,))
        if conjugate and np.dtype(getattr(x, "_np_dtype", None) or x.dtype).kind == "c":
            from ..graph.stdns import std
            out = std.conj(out)
        return out
    return build(name, "matrix_transpose", f, graph_args=(a,))


def parallel_stack(values, name="parallel_stack"):
    """``tf.stack(values)`` along a new first axis, each value of one known shape.

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.parallel_stack([[1, 2], [3, 4]]))
    array([[1, 2],
           [3, 4]], dtype=int32)
    """
    from . import math_ops as M
    ts = [convert_to_tensor(v) for v in values]
    for t in ts:
        s = t._shape if hasattr(t, "_shape") else tuple(t.shape)
        if s is None or None in s:
            raise ValueError(f"parallel_stack needs values of a fully known shape, got "
                             f"{t.shape}")
    return M.stack(ts, axis=0, name=name)


# -- searchsorted -------------------------------------------------------------------------
def _searchsorted_fwd(xp, seq, vals, right, out_type):
    seq, vals = np.asarray(seq), np.asarray(vals)
    if seq.ndim < 1 or vals.ndim != seq.ndim or seq.shape[:-1] != vals.shape[:-1]:
        raise ValueError(f"searchsorted: sorted_sequence and values must have the same rank "
                         f"(at least 1) and the same leading dimensions, got shapes "
                         f"{seq.shape} and {vals.shape}")
    n = seq.shape[-1]
    s2 = seq.reshape(-1, n)
    v2 = vals.reshape(s2.shape[0], -1)
    # std::lower_bound / upper_bound, the comparisons TF's kernel makes, one step of the
    # binary search for every value at once (NaNs go where those comparisons send them,
    # which NumPy's NaN-aware searchsorted does not)
    first = np.zeros(v2.shape, np.int64)
    count = np.full(v2.shape, n, np.int64)
    rows = np.arange(v2.shape[0])[:, None]
    with np.errstate(invalid="ignore"):
        while True:
            active = count > 0
            if not active.any():
                break
            step = count // 2
            it = np.minimum(first + step, max(n - 1, 0))
            e = s2[rows, it] if n else np.zeros(v2.shape, seq.dtype)
            go = (~(v2 < e) if right else (e < v2)) & active
            first = np.where(go, first + step + 1, first)
            count = np.where(go, count - step - 1, np.where(active, step, 0))
    return first.reshape(vals.shape).astype(out_type)


SEARCHSORTED = defop("tf.searchsorted", _searchsorted_fwd,
                     **nondiff("TF registers no gradient for LowerBound / UpperBound"),
                     shape_rule=lambda a, p: [(a[1]._shape, np.dtype(p["out_type"]))])


def searchsorted(sorted_sequence, values, side="left", out_type=np.int32, name=None):
    """For each value in the innermost dimension of ``values``, its insertion index into
    the matching row of ``sorted_sequence`` (TF's LowerBound for ``side="left"``,
    UpperBound for ``"right"``).

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.searchsorted([[0.0, 3.0, 9.0]], [[2.0, 9.0]], side="right"))
    array([[1, 3]], dtype=int32)
    """
    if side not in ("left", "right"):
        raise ValueError(f"side must be either 'right' or 'left'.  Saw: {side}.")
    dt = np.dtype(getattr(out_type, "as_numpy_dtype", out_type))
    if dt not in (np.int32, np.int64):
        raise TypeError(f"searchsorted: out_type must be int32 or int64, got {dt}")

    def f():
        from .framework import convert_same
        s, v = convert_same([sorted_sequence, values], names=("sorted_sequence", "values"),
                            op_type="LowerBound")
        return apply(SEARCHSORTED, (s, v), {"right": side == "right", "out_type": dt})
    return build(name, "LowerBound" if side == "left" else "UpperBound", f,
                 graph_args=(sorted_sequence,))


__all__ += ["matrix_diag_part", "matrix_set_diag", "matrix_diag", "matrix_transpose",
            "parallel_stack", "searchsorted"]


# -- tensor_scatter_nd_update / add / sub -------------------------------------------------
def _tensor_scatter_fwd(xp, tensor, indices, updates, kind):
    t, u = np.asarray(tensor), np.asarray(updates)
    what = f"tensor_scatter_nd_{kind}"
    key = _nd_key(indices, t.shape, what)
    k = np.shape(indices)[-1]
    want = np.shape(indices)[:-1] + t.shape[k:]
    if u.shape != want:
        # (TF's shape rule; NumPy's assignment and add.at would broadcast)
        raise ValueError(f"{what}: updates must have shape indices.shape[:-1] + "
                         f"tensor.shape[{k}:] = {want}, got {u.shape}")
    out = t.astype(np.result_type(t, u), copy=True)
    if not key:   # empty index tuples: each update is the whole tensor's
        n = int(np.prod(np.shape(indices)[:-1], dtype=np.int64))
        for v in u.reshape((n,) + t.shape):
            out = v.copy() if kind == "update" else out + v if kind == "add" else out - v
        return out
    if kind == "update":
        out[key] = u   # (repeated indices: the last update, as TF's CPU kernel)
    elif kind == "add":
        np.add.at(out, key, u)
    else:
        np.subtract.at(out, key, u)
    return out


def _last_writer_fwd(xp, indices, tensor):
    # True for each update that is the last one written to its index tuple (the one
    # tensor_scatter_nd_update keeps), shaped to broadcast over its slice
    i = np.asarray(indices)
    t_rank = np.ndim(tensor)
    k = i.shape[-1]
    flat = i.reshape(-1, k)
    keep = np.ones(len(flat), bool)
    seen = set()
    for n in range(len(flat) - 1, -1, -1):
        key = tuple(flat[n].tolist())
        keep[n] = key not in seen
        seen.add(key)
    return keep.reshape(i.shape[:-1] + (1,) * (t_rank - k))


_LAST_WRITER = defop("tf.tensor_scatter_last_writer", _last_writer_fwd,
                     **nondiff("a mask of the updates that are kept"),
                     shape_rule=lambda a, p: [(None, np.dtype(bool))])


def _tensor_scatter_vjp(xp, g, ans, tensor, indices, updates, kind):
    # The updates get the cotangent at their indices (negated for sub); the tensor gets it
    # where no update replaced its entries (all of it for add/sub). With repeated indices
    # only the update kept (the last) has a derivative: TF's gradient gives the
    # overwritten ones the cotangent too, the derivative of no function it computes
    gu = call(GATHER_ND, xp, (g, indices))
    if kind == "update":
        gt = call(TENSOR_SCATTER, xp, (g, indices, xp.zeros_like(updates)),
                  {"kind": "update"})
        kept = call(_LAST_WRITER, xp, (indices, tensor))
        return (gt, None, xp.where(kept, gu, xp.zeros_like(gu)))
    return (g, None, gu if kind == "add" else xp.negative(gu))


def _tensor_scatter_rule(args, params):
    # TF's shape function: updates of shape indices.shape[:-1] + tensor.shape[K:], checked
    # when the graph is built where the shapes are known
    t, i, u = (a._shape for a in args)
    if t is not None and i is not None and u is not None and i and i[-1] is not None:
        k = i[-1]
        if k > len(t):
            raise ValueError(f"tensor_scatter_nd_{params['kind']}: the index depth {k} "
                             f"exceeds the rank of the tensor, shape {list(t)}")
        want = tuple(i[:-1]) + tuple(t[k:])
        if len(u) != len(want) or any(a is not None and b is not None and a != b
                                      for a, b in zip(u, want)):
            raise ValueError(f"tensor_scatter_nd_{params['kind']}: updates must have shape "
                             f"indices.shape[:-1] + tensor.shape[{k}:] = {list(want)}, got "
                             f"{list(u)}")
    return [(t, args[0]._np_dtype)]


TENSOR_SCATTER = defop("tf.tensor_scatter_nd", _tensor_scatter_fwd, _tensor_scatter_vjp,
                       save="inputs", shape_rule=_tensor_scatter_rule)


def _tensor_scatter(kind, tensor, indices, updates, name):
    def f():
        from .framework import convert_same
        t, u = convert_same([tensor, updates], names=("tensor", "updates"),
                            op_type=f"TensorScatter{kind.capitalize()}")
        i = convert_to_tensor(indices)
        idt = np.dtype(getattr(i, "_np_dtype", None) or i.dtype)
        if idt.kind not in "iu":
            raise TypeError(f"tensor_scatter_nd_{kind}: indices must be integers, got "
                            f"{idt.name}")
        return apply(TENSOR_SCATTER, (t, i, u), {"kind": kind})
    return build(name, f"TensorScatter{kind.capitalize()}", f, graph_args=(tensor,))


def tensor_scatter_nd_update(tensor, indices, updates, name=None):
    """A copy of ``tensor`` with the slices at the index tuples of ``indices`` replaced
    by ``updates`` (shape ``indices.shape[:-1] + tensor.shape[K:]``).

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.tensor_scatter_nd_update([1, 2, 3, 4], [[1], [3]], [9, 8]))
    array([1, 9, 3, 8], dtype=int32)
    """
    return _tensor_scatter("update", tensor, indices, updates, name)


def tensor_scatter_nd_add(tensor, indices, updates, name=None):
    """A copy of ``tensor`` with ``updates`` added at the index tuples of ``indices``
    (repeats add up).

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.tensor_scatter_nd_add([1, 2, 3, 4], [[1], [1]], [5, 5]))
    array([ 1, 12,  3,  4], dtype=int32)
    """
    return _tensor_scatter("add", tensor, indices, updates, name)


def tensor_scatter_nd_sub(tensor, indices, updates, name=None):
    """A copy of ``tensor`` with ``updates`` subtracted at the index tuples of
    ``indices`` (repeats add up).

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.tensor_scatter_nd_sub([1, 2, 3, 4], [[0]], [1]))
    array([0, 2, 3, 4], dtype=int32)
    """
    return _tensor_scatter("sub", tensor, indices, updates, name)


def scatter_nd_non_aliasing_add(input, indices, updates, name=None):  # noqa: A002
    """``tensor_scatter_nd_add`` under TF 1's name: ``input`` with ``updates`` added at
    the index tuples of ``indices`` (repeats add up).

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     print(s.run(tf.scatter_nd_non_aliasing_add([1, 2, 3, 4], [[1], [3], [1]],
    ...                                                [10, 20, 30])))
    [ 1 42  3 24]
    """
    return _tensor_scatter("add", input, indices, updates, name)


tensor_scatter_update, tensor_scatter_add, tensor_scatter_sub = (
    tensor_scatter_nd_update, tensor_scatter_nd_add, tensor_scatter_nd_sub)
__all__ += ["tensor_scatter_nd_update", "tensor_scatter_nd_add", "tensor_scatter_nd_sub",
            "tensor_scatter_update", "tensor_scatter_add", "tensor_scatter_sub",
            "scatter_nd_non_aliasing_add"]


# -- setdiff1d (TF 1's ListDiff) ---------------------------------------------------------
def _list_diff_fwd(xp, x, y, out_idx):
    """TF's ListDiff: the elements of 1-D ``x`` not in 1-D ``y`` (by ``==``: a NaN is
    never in ``y``, -0.0 is 0.0), in ``x``'s order with duplicates kept, and their
    positions in ``x``."""
    from ..graph import errors
    x, y = np.asarray(x), np.asarray(y)
    if x.ndim != 1:
        raise errors.InvalidArgumentError(None, None, "x should be a 1D vector.")
    if y.ndim != 1:
        raise errors.InvalidArgumentError(None, None, "y should be a 1D vector.")
    if x.dtype.kind in "OSU":
        keep = np.array([v not in set(y.tolist()) for v in x.tolist()], dtype=bool)
    else:
        keep = ~np.isin(x, y)
    idx = np.flatnonzero(keep).astype(out_idx)
    return x[keep], idx


def _list_diff_rule(args, params):
    return [((None,), args[0]._np_dtype), ((None,), np.dtype(params["out_idx"]))]


LIST_DIFF = defop("tf.list_diff", _list_diff_fwd, multi=True, shape_rule=_list_diff_rule,
                  nograd="TF defines no gradient for ListDiff")
_core.TF_TYPES.update({"tf.list_diff": "ListDiff"})

ListDiff = collections.namedtuple("ListDiff", ["out", "idx"])


def setdiff1d(x, y, index_dtype=np.int32, name=None):
    """TF 1's ``tf.setdiff1d`` (op ListDiff): the elements of the 1-D ``x`` that are not
    in the 1-D ``y``, in ``x``'s order with duplicates kept (``out``), and where they
    are in ``x`` (``idx``, of ``index_dtype``: int32 or int64). TF defines no gradient
    for it.

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     print(s.run(tf.setdiff1d([1, 2, 4, 3, 2, 3, 3, 1], [4, 2])))
    ListDiff(out=array([1, 3, 3, 3, 1], dtype=int32), idx=array([0, 3, 5, 6, 7], dtype=int32))
    """
    from .framework import convert_same, np_dtype
    dt = np.dtype(np_dtype(index_dtype))
    if dt not in (np.int32, np.int64):
        raise TypeError(f"Value passed to parameter 'out_idx' has DataType {dt.name} not in "
                        f"list of allowed values: int32, int64")

    def f():
        a, b = convert_same([x, y], names=("x", "y"), op_type="ListDiff")
        for t, what in ((a, "x"), (b, "y")):
            s = getattr(t, "_shape", None)
            if s is not None and len(s) != 1:
                shapes = ", ".join("[" + ",".join(str(d) for d in u._shape) + "]"
                                   if getattr(u, "_shape", None) is not None else "?"
                                   for u in (a, b))
                raise ValueError(f"Shape must be rank 1 but is rank {len(s)} for "
                                 f"'{name or 'ListDiff'}' (op: 'ListDiff') with input "
                                 f"shapes: {shapes}.")
        return ListDiff(*apply(LIST_DIFF, (a, b), {"out_idx": dt}))
    return build(name, "ListDiff", f, graph_args=(x, y))


__all__ += ["setdiff1d"]


def last_writes(keys):
    """The mask of the positions of the 1-D ``keys`` whose write survives when they are
    written in order (the last of each key): TF's kernels that write by index in order
    (``dynamic_stitch``, ``sparse_to_dense``) keep those, and only those reach the output
    (NumPy's own fancy assignment promises no order for repeated indices).

    >>> last_writes(np.array([3, 1, 3, 2, 1])).tolist()
    [False, False, True, True, True]
    """
    keys = np.asarray(keys).reshape(-1)
    keep = np.zeros(keys.size, bool)
    if keys.size:
        _, last = np.unique(keys[::-1], return_index=True)
        keep[keys.size - 1 - last] = True
    return keep


# -- gather with batch dimensions (tf.gather(batch_dims=...), tf.batch_gather) -------------
def _batch_index(pshape, idx, batch_dims, axis):
    """The index arrays that pick, for each position of the result
    ``pshape[:axis] + idx.shape[batch_dims:] + pshape[axis + 1:]``, its element of
    ``params`` (each batch row of ``idx`` indexes its own batch row of ``params``)."""
    b, a = batch_dims, axis
    k = idx.ndim - b
    rank = len(pshape) - 1 + k

    def grid(d, pos):
        shape = [1] * rank
        shape[pos] = pshape[d]
        return np.arange(pshape[d]).reshape(shape)
    ishape = list(idx.shape[:b]) + [1] * (a - b) + list(idx.shape[b:]) + \
        [1] * (len(pshape) - a - 1)
    # (batch and middle dimensions, the indices, the trailing dimensions)
    return tuple([grid(d, d) for d in range(a)] + [idx.reshape(ishape)] +
                 [grid(d, d - 1 + k) for d in range(a + 1, len(pshape))])


def _check_batch_gather(pshape, idx, batch_dims, axis):
    from ..graph import errors
    if idx.dtype.kind not in "iu":
        raise TypeError(f"gather: indices must be integers, got {idx.dtype}")
    if tuple(pshape[:batch_dims]) != idx.shape[:batch_dims]:
        raise errors.InvalidArgumentError(
            None, None, f"gather: params.shape[:{batch_dims}] = {list(pshape[:batch_dims])} "
                        f"and indices.shape[:{batch_dims}] = {list(idx.shape[:batch_dims])} "
                        f"must be equal (the batch dimensions)")
    n = pshape[axis]
    bad = (idx < 0) | (idx >= n)
    if bad.any():
        where = tuple(int(w[0]) for w in np.nonzero(bad)) if idx.ndim else ()
        raise errors.InvalidArgumentError(
            None, None, f"indices{list(where)} = {int(idx[where])} is not in [0, {n})")


def _batch_gather_fwd(xp, params, indices, batch_dims, axis):
    p, idx = np.asarray(params), np.asarray(indices)
    _check_batch_gather(p.shape, idx, batch_dims, axis)
    return p[_batch_index(p.shape, idx, batch_dims, axis)]


def _batch_scatter_fwd(xp, g, params, indices, batch_dims, axis):
    """The adjoint of the batched gather: ``g``'s elements summed into zeros of
    ``params``' shape at the positions they were gathered from."""
    p, idx, g = np.asarray(params), np.asarray(indices), np.asarray(g)
    out = np.zeros(p.shape, dtype=g.dtype)
    np.add.at(out, _batch_index(p.shape, idx, batch_dims, axis), g)
    return out


def _batch_gather_rule(args, params):
    p, i = args
    b, a = params["batch_dims"], params["axis"]
    if p._shape is None or i._shape is None:
        return [(None, p._np_dtype)]
    return [(tuple(p._shape[:a]) + tuple(i._shape[b:]) + tuple(p._shape[a + 1:]),
             p._np_dtype)]


BATCH_GATHER = defop("tf.batch_gather", _batch_gather_fwd,
                     lambda xp, g, ans, p, i, batch_dims, axis: (
                         call(BATCH_SCATTER, xp, (g, p, i),
                              {"batch_dims": batch_dims, "axis": axis}), None),
                     save="inputs", shape_rule=_batch_gather_rule)

# (linear in g: its gradient gathers the cotangent again)
BATCH_SCATTER = defop("tf.batch_gather_grad", _batch_scatter_fwd,
                      lambda xp, h, ans, g, p, i, batch_dims, axis: (
                          call(BATCH_GATHER, xp, (h, i),
                               {"batch_dims": batch_dims, "axis": axis}), None, None),
                      save="inputs",
                      shape_rule=lambda a, p: [(a[1]._shape, a[0]._np_dtype)])


def batched_gather(p, i, batch_dims, axis):
    """``tf.gather`` with ``batch_dims`` (both already converted; ``axis`` and
    ``batch_dims`` normalized by the caller)."""
    return apply(BATCH_GATHER, (p, i), {"batch_dims": batch_dims, "axis": axis})


def batch_gather(params, indices, name=None):
    """``tf.gather`` whose leading dimensions, all but the last of ``indices``, are batch
    dimensions: each batch row of ``indices`` picks from its own row of ``params``
    (TF 1's ``tf.batch_gather``: ``gather(batch_dims=rank(indices) - 1)``).

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.batch_gather([[1, 2, 3], [4, 5, 6]], [[2, 0], [1, 1]]))
    array([[3, 1],
           [5, 5]], dtype=int32)
    """
    from .math_ops import gather
    i = convert_to_tensor(indices)
    shape = i._shape if hasattr(i, "_shape") else tuple(i.shape)
    if shape is None:
        raise ValueError("batch_gather: the rank of indices must be known")
    b = len(shape) - 1
    return gather(params, i, name=name or "batch_gather", axis=b, batch_dims=b)


def identity_n(input, name=None):  # noqa: A002
    """Each tensor of the list ``input`` passed through unchanged (TF's ``IdentityN``, whose
    gradient passes each cotangent through); a list.

    >>> import ndgrad.tf as tf
    >>> a, b = tf.identity_n([tf.constant(1), tf.constant([2.0, 3.0])])
    >>> tf.Session().run([a, b])
    [np.int32(1), array([2., 3.], dtype=float32)]
    """
    from .framework import name_scope
    from .math_ops import identity
    items = list(input)
    with name_scope(name, "IdentityN", items):
        return [identity(x) for x in items]

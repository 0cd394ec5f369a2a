"""TF's segment max/min/prod/mean, no-NaN products, nextafter, Bessel I0/I1, fixed-width histograms."""
from __future__ import annotations

import numpy as np

from .._ops.registry import apply, defop as _defop
from ..graph import core as _core
from ..graph import errors as _fw_errors
from ..graph.core import Tensor, broadcast_static
from . import ops as _tops
from .framework import build, convert_same, convert_to_tensor, np_dtype
from .math_ops import _dt, _const_value, _static_shape, _SEGMENT_SUM_N
from .op_dtypes import refuse
from .array_ops import SEGMENT_GATHER

__all__ = ["segment_max", "segment_min", "segment_prod", "segment_mean",
           "unsorted_segment_max", "unsorted_segment_min", "unsorted_segment_prod",
           "unsorted_segment_mean", "multiply_no_nan", "reciprocal_no_nan", "scalar_mul",
           "approximate_equal", "nextafter", "bessel_i0", "bessel_i0e", "bessel_i1",
           "bessel_i1e", "histogram_fixed_width", "histogram_fixed_width_bins"]

_call = _tops.call

# the dtypes TF 2.15's CPU kernels take (bfloat16 and the quantized types aside, which
# ndgrad has not)
_INT = ("int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64")
_REAL = ("float16", "float32", "float64") + _INT
_NUMBER = _REAL + ("complex64", "complex128")
_FLOATC = ("float16", "float32", "float64", "complex64", "complex128")


def _invalid(msg):
    return _fw_errors.InvalidArgumentError(None, None, msg)


def _check_dtype(t, allowed, param):
    return refuse(_dt(t), allowed, param)


def _register_types(types):
    _core.TF_TYPES.update(types)


# -- segment reductions ------------------------------------------------------------------
def _lowest(dt):
    return np.finfo(dt).min if dt.kind in "fc" else np.iinfo(dt).min


def _highest(dt):
    return np.finfo(dt).max if dt.kind in "fc" else np.iinfo(dt).max


def _fold_minmax(kind, out, rows, data):
    """TF's CPU fold ``acc = acc if acc > x else x`` (min: ``<``), row by row in order:
    a NaN replaces the accumulator, and the next value replaces a NaN accumulator."""
    if data.dtype.kind in "f" and np.isnan(data).any():
        better = np.greater if kind == "max" else np.less
        for r, x in zip(rows, data):
            out[r] = np.where(better(out[r], x), out[r], x)
    else:
        (np.maximum if kind == "max" else np.minimum).at(out, rows, data)


def _eigen_packet_lanes(kind, out, rows, data):
    """TF's sorted SegmentMax/Min reduce a segment of several rows with Eigen, whose
    vector lanes (the first ``m - m % P`` of ``m`` columns, ``P`` 8 float32 / 4 float64
    values: TF's AVX build) ignore a NaN (``_fold_minmax`` is its scalar path, which a
    NaN replaces)."""
    if data.dtype.kind != "f" or data.dtype.itemsize not in (4, 8) or not data.size:
        return
    lanes = {4: 8, 8: 4}[data.dtype.itemsize]
    m = int(np.prod(data.shape[1:], dtype=np.int64))
    vec = m - m % lanes
    if vec == 0 or not np.isnan(data).any():
        return
    flat = data.reshape(len(rows), m)[:, :vec]
    counts = np.bincount(rows, minlength=out.shape[0])
    multi = counts[rows] > 1
    if not multi.any():
        return
    o = out.reshape(out.shape[0], m)
    seg = np.unique(rows[multi])
    o[seg, :vec] = -np.inf if kind == "max" else np.inf
    (np.fmax if kind == "max" else np.fmin).at(o[:, :vec], rows[multi], flat[multi])
    out[...] = o.reshape(out.shape)


def _check_sorted_ids(d, ids):
    if ids.ndim != 1:
        raise _invalid(f"segment_ids should be a vector, got shape {list(ids.shape)}")
    if d.ndim == 0 or ids.shape[0] != d.shape[0]:
        raise _invalid("segment_ids should be the same size as dimension 0 of input.")
    if ids.size:
        if ids.min() < 0:
            k = int(np.flatnonzero(ids < 0)[0])
            raise _invalid(f"segment ids must be >= 0, got segment_ids[{k}] = {int(ids[k])}")
        bad = np.flatnonzero(np.diff(ids) < 0)
        if bad.size:
            k = int(bad[0])
            raise _invalid(f"segment ids are not increasing: segment_ids[{k}] = "
                           f"{int(ids[k])} is followed by {int(ids[k + 1])}")
        return int(ids[-1]) + 1
    return 0


def _check_unsorted_ids(d, ids, size):
    n = int(np.asarray(size))
    if d.shape[:ids.ndim] != ids.shape:
        raise _invalid(f"data.shape = {list(d.shape)} does not start with "
                       f"segment_ids.shape = {list(ids.shape)}")
    if n < 0:
        raise _invalid(f"num_segments ({n}) must be non-negative")
    flat = ids.reshape(-1)
    bad = np.flatnonzero(flat >= n)
    if bad.size:
        k = int(bad[0])
        pos = ",".join(str(int(i)) for i in np.unravel_index(k, ids.shape))
        raise _invalid(f"segment_ids[{pos}] = {int(flat[k])} is out of range [0, {n})")
    return n


def _segment_reduce(kind, d, ids, n, sorted_):
    """TF's SegmentX (sorted: empty segments 0, or 1 for prod) and UnsortedSegmentX
    (empty segments the reduction's identity: lowest/highest value, 1) kernels."""
    inner = d.shape[ids.ndim:]
    rows = ids.reshape(-1)
    data = d.reshape((rows.size,) + inner)
    keep = rows >= 0
    rows, data = rows[keep], data[keep]
    dt = d.dtype
    with np.errstate(all="ignore"):
        if kind in ("max", "min"):
            if sorted_ and dt.kind == "f":      # (Eigen's reducers start at -inf / inf)
                init = -np.inf if kind == "max" else np.inf
            else:                               # (TF's unsorted kernels at lowest/max)
                init = _lowest(dt) if kind == "max" else _highest(dt)
            out = np.full((n,) + inner, init, dtype=dt)
            _fold_minmax(kind, out, rows, data)
            if sorted_:
                _eigen_packet_lanes(kind, out, rows, data)
        elif kind == "prod":
            out = np.ones((n,) + inner, dtype=dt)
            np.multiply.at(out, rows, data)
        else:   # mean (sorted only)
            out = np.zeros((n,) + inner, dtype=dt)
            np.add.at(out, rows, data)
            count = np.bincount(rows, minlength=n)[:n].reshape((n,) + (1,) * len(inner))
            c = np.maximum(count, 1)
            if dt.kind in "iu":     # C's integer division: truncated towards zero
                out = (np.sign(out) * (np.abs(out) // c)).astype(dt)
            else:
                out = (out / c.astype(dt)).astype(dt)
    if sorted_ and kind in ("max", "min") and n:
        present = np.bincount(rows, minlength=n)[:n] > 0
        out[~present] = 0
    return out


def _sorted_fwd(kind):
    def fwd(xp, data, ids):
        d, ids = np.asarray(data), np.asarray(ids)
        n = _check_sorted_ids(d, ids)
        return _segment_reduce(kind, d, ids, n, True)
    return fwd


def _unsorted_fwd(kind):
    def fwd(xp, data, ids, size, static=None):
        d, ids = np.asarray(data), np.asarray(ids)
        n = _check_unsorted_ids(d, ids, size)
        return _segment_reduce(kind, d, ids, n, False)
    return fwd


def _sorted_rule(args, params):
    d = args[0]
    if d._shape is None:
        return [(None, d._np_dtype)]
    return [((None,) + tuple(d._shape[1:]), d._np_dtype)]


def _unsorted_rule(args, params):
    d, ids = args[0], args[1]
    if d._shape is None or ids._shape is None:
        return [(None, d._np_dtype)]
    return [((params["static"],) + tuple(d._shape[len(ids._shape):]), d._np_dtype)]


# TF's _SegmentMinOrMaxGrad / _UnsortedSegmentMinOrMaxGrad: the cotangent of each segment
# shared equally among its elements equal to the result (ties), 0 elsewhere and for
# negative ids. Linear in g; ``_MINMAX_GRAD_T`` is its adjoint (the second derivative).
def _selected(d, ids, ans):
    """(is_selected over data's shape, number selected per segment, flat rows)."""
    rows = ids.reshape(-1)
    inner = d.shape[ids.ndim:]
    flat = d.reshape((rows.size,) + inner)
    keep = rows >= 0
    gathered = np.zeros_like(flat)
    if ans.shape[0]:
        gathered = ans[np.clip(rows, 0, ans.shape[0] - 1)]
    sel = (flat == gathered) & keep.reshape((-1,) + (1,) * len(inner))
    num = np.zeros(ans.shape, dtype=ans.dtype)
    np.add.at(num, rows[keep], sel[keep].astype(ans.dtype))
    return sel, num, rows


def _minmax_grad_fwd(xp, g, data, ids, ans):
    d, ids, ans, g = np.asarray(data), np.asarray(ids), np.asarray(ans), np.asarray(g)
    sel, num, rows = _selected(d, ids, ans)
    with np.errstate(all="ignore"):
        w = g / num
    out = np.zeros(sel.shape, dtype=g.dtype)
    if w.shape[0]:
        picked = w[np.clip(rows, 0, w.shape[0] - 1)]
        out[sel] = picked[sel]
    return out.reshape(d.shape)


def _minmax_grad_t_fwd(xp, h, data, ids, ans):
    d, ids, ans, h = np.asarray(data), np.asarray(ids), np.asarray(ans), np.asarray(h)
    sel, num, rows = _selected(d, ids, ans)
    hf = np.where(sel, h.reshape(sel.shape), 0).astype(h.dtype)
    out = np.zeros(ans.shape, dtype=h.dtype)
    keep = rows >= 0
    np.add.at(out, rows[keep], hf[keep])
    with np.errstate(all="ignore"):
        return np.where(num > 0, out / np.where(num > 0, num, 1), 0).astype(h.dtype)


_MINMAX_GRAD = _defop(
    "tf.segment_minmax_grad", _minmax_grad_fwd,
    lambda xp, h, ans, g, d, ids, y: (_call(_MINMAX_GRAD_T, xp, (h, d, ids, y)),
                                      None, None, None),
    shape_rule=lambda a, p: [(a[1]._shape, a[0]._np_dtype)])
_MINMAX_GRAD_T = _defop(
    "tf.segment_minmax_grad_t", _minmax_grad_t_fwd,
    lambda xp, u, ans, h, d, ids, y: (_call(_MINMAX_GRAD, xp, (u, d, ids, y)),
                                      None, None, None),
    shape_rule=lambda a, p: [(a[3]._shape, a[0]._np_dtype)])


def _minmax_vjp(xp, g, ans, data, ids, *size, **params):
    return (_call(_MINMAX_GRAD, xp, (g, data, ids, ans)), None) + (None,) * len(size)


# TF's _SegmentProdGrad / _UnsortedSegmentProdGrad: prod / x where a segment has no
# zero, the product of the others at a segment's only zero, 0 in a segment of several
# zeros (and for negative ids). ndgrad has no second derivative for it.
def _prod_grad_fwd(xp, g, data, ids, ans):
    d, ids, ans, g = np.asarray(data), np.asarray(ids), np.asarray(ans), np.asarray(g)
    rows = ids.reshape(-1)
    inner = d.shape[ids.ndim:]
    x = d.reshape((rows.size,) + inner)
    keep = rows >= 0
    n = ans.shape[0]
    with np.errstate(all="ignore"):
        is_zero = x == 0
        nz = np.zeros(ans.shape, dtype=np.int64)
        np.add.at(nz, rows[keep], is_zero[keep].astype(np.int64))
        gg = np.where(nz > 1, np.zeros_like(g), g)
        nzx = np.where(is_zero, np.ones_like(x), x)
        nzp = np.ones(ans.shape, dtype=ans.dtype)
        np.multiply.at(nzp, rows[keep], nzx[keep])
        if n == 0:
            if rows.size:
                raise _invalid("segment_prod gradient: indices[0] = 0 is not in [0, 0)")
            return np.zeros(d.shape, dtype=g.dtype)
        idx = np.clip(rows, 0, None)
        partial = np.where(is_zero, nzp[idx], ans[idx] / nzx)
        # (in ndgrad's complex convention; TF's _SegmentProdGrad omits the conjugate
        # for complex data, where TF's values differ: see the README)
        gathered = np.where(keep.reshape((-1,) + (1,) * len(inner)), gg[idx], 0)
        return (gathered * partial).astype(g.dtype).reshape(d.shape)


_PROD_GRAD = _defop("tf.segment_prod_grad", _prod_grad_fwd, None,
                    nograd="the second derivative of segment_prod / unsorted_segment_prod "
                           "is not implemented",
                    shape_rule=lambda a, p: [(a[1]._shape, a[0]._np_dtype)])


def _prod_vjp(xp, g, ans, data, ids, *size, **params):
    return (_call(_PROD_GRAD, xp, (g, data, ids, ans)), None) + (None,) * len(size)


# TF's _SegmentMeanGrad: gather(grad / segment_sum(ones)); the counts carry no gradient
def _counts_fwd(xp, ids, ans):
    ids, ans = np.asarray(ids), np.asarray(ans)
    n = ans.shape[0]
    c = np.bincount(ids[ids >= 0].reshape(-1), minlength=n)[:n]
    return np.maximum(c, 1).astype(ans.dtype).reshape((n,) + (1,) * (ans.ndim - 1))


_COUNTS = _defop("tf.segment_counts", _counts_fwd, None, save="none",
                 nondiff="segment sizes: piecewise constant",
                 shape_rule=lambda a, p: [(None if a[1]._shape is None else
                                           (a[1]._shape[0],) + (1,) * (len(a[1]._shape) - 1),
                                           a[1]._np_dtype)])


def _mean_vjp(xp, g, ans, data, ids):
    w = xp.divide(g, _call(_COUNTS, xp, (ids, ans)))
    return (_call(SEGMENT_GATHER, xp, (w, ids)), None)


_SEG = {}
for _kind, _vjp in (("max", _minmax_vjp), ("min", _minmax_vjp), ("prod", _prod_vjp),
                    ("mean", _mean_vjp)):
    _SEG["segment_" + _kind] = _defop("tf.segment_" + _kind, _sorted_fwd(_kind), _vjp,
                                      save="both", shape_rule=_sorted_rule)
    if _kind != "mean":
        _SEG["unsorted_segment_" + _kind] = _defop(
            "tf.unsorted_segment_" + _kind, _unsorted_fwd(_kind), _vjp, save="both",
            shape_rule=_unsorted_rule)
_TF_NAMES = {"segment_max": "SegmentMax", "segment_min": "SegmentMin",
             "segment_prod": "SegmentProd", "segment_mean": "SegmentMean",
             "unsorted_segment_max": "UnsortedSegmentMax",
             "unsorted_segment_min": "UnsortedSegmentMin",
             "unsorted_segment_prod": "UnsortedSegmentProd"}
_register_types({"tf." + k: v for k, v in _TF_NAMES.items()})
_register_types({"tf.segment_minmax_grad": "SegmentMinMaxGrad",
                 "tf.segment_minmax_grad_t": "SegmentMinMaxGradT",
                 "tf.segment_prod_grad": "SegmentProdGrad",
                 "tf.segment_counts": "SegmentCounts"})

_SEG_DTYPES = {"max": _REAL, "min": _REAL, "prod": _NUMBER, "mean": _NUMBER}


def _ids_tensor(segment_ids, allowed=("int32", "int64")):
    ids = convert_to_tensor(segment_ids, name="segment_ids")
    _check_dtype(ids, allowed, "segment_ids")
    return ids


def _sorted_segment(kind, data, segment_ids, name):
    op_name = "segment_" + kind

    def f():
        d = convert_to_tensor(data, name="data")
        _check_dtype(d, _SEG_DTYPES[kind], "data")
        ids = _ids_tensor(segment_ids)
        s = _static_shape(ids)
        if s is not None and len(s) != 1:
            raise ValueError(f"Shape must be rank 1 but is rank {len(s)} for "
                             f"'{_TF_NAMES[op_name]}' (segment_ids of shape {list(s)})")
        ds = _static_shape(d)
        if ds is not None and len(ds) == 0:
            raise ValueError(f"Shape must be at least rank 1 but is rank 0 for "
                             f"'{_TF_NAMES[op_name]}' (data)")
        return apply(_SEG[op_name], (d, ids))
    return build(name, _TF_NAMES[op_name], f, graph_args=(data, segment_ids))


def _num_segments(num_segments, op_type):
    """(an int32/int64 tensor of the number of segments, its value when known)."""
    n = convert_to_tensor(num_segments, name="num_segments")
    _check_dtype(n, ("int32", "int64"), "num_segments")
    s = _static_shape(n)
    if s is not None and len(s) != 0:
        raise ValueError(f"Shape must be rank 0 but is rank {len(s)} for '{op_type}' "
                         "(num_segments)")
    v = _const_value(num_segments if not isinstance(num_segments, Tensor) else n)
    static = None if v is None else int(v)
    if static is not None and static < 0:
        raise ValueError(f"Dimension size, given by scalar input 2, must be non-negative "
                         f"but is {static} for '{op_type}'")
    return n, static


def _check_prefix(d, ids, op_type):
    ds, s = _static_shape(d), _static_shape(ids)
    if ds is None or s is None:
        return
    if len(s) > len(ds):
        raise ValueError(f"Shape must be at least rank {len(s)} but is rank {len(ds)} "
                         f"for '{op_type}' (data)")
    for a, b in zip(ds, s):
        if a is not None and b is not None and a != b:
            raise ValueError(f"Dimensions must be equal, but are {a} and {b} for "
                             f"'{op_type}': data of shape {list(ds)}, segment_ids of "
                             f"shape {list(s)}")


def _unsorted_segment(kind, data, segment_ids, num_segments, name):
    op_name = "unsorted_segment_" + kind
    op_type = _TF_NAMES[op_name]

    def f():
        d = convert_to_tensor(data, name="data")
        _check_dtype(d, _SEG_DTYPES[kind], "data")
        ids = _ids_tensor(segment_ids)
        _check_prefix(d, ids, op_type)
        n, static = _num_segments(num_segments, op_type)
        return apply(_SEG[op_name], (d, ids, n), {"static": static})
    return build(name, op_type, f, graph_args=(data, segment_ids))


def segment_max(data, segment_ids, name=None):
    """TF's SegmentMax: ``out[s]`` the largest ``data[i]`` with ``segment_ids[i] == s``
    (ids sorted, non-negative, one per row of ``data``; ``max(id) + 1`` segments, an
    empty one 0). Unsorted or negative ids fail the run with ``InvalidArgumentError``.
    The gradient goes to the maxima, shared equally among ties.

    >>> import ndgrad.tf as tf
    >>> from ndgrad.tf.math_extra_ops import segment_max
    >>> tf.Session().run(segment_max([1.0, 5.0, 5.0, 2.0], [0, 0, 0, 2]))
    array([5., 0., 2.], dtype=float32)
    """
    return _sorted_segment("max", data, segment_ids, name)


def segment_min(data, segment_ids, name=None):
    """TF's SegmentMin: ``segment_max`` with the smallest value.

    >>> import ndgrad.tf as tf
    >>> from ndgrad.tf.math_extra_ops import segment_min
    >>> tf.Session().run(segment_min([[1, 8], [3, 4], [5, 6]], [0, 0, 1]))
    array([[1, 4],
           [5, 6]], dtype=int32)
    """
    return _sorted_segment("min", data, segment_ids, name)


def segment_prod(data, segment_ids, name=None):
    """TF's SegmentProd: the product over each segment of sorted ``segment_ids`` (an
    empty segment 1).

    >>> import ndgrad.tf as tf
    >>> from ndgrad.tf.math_extra_ops import segment_prod
    >>> tf.Session().run(segment_prod([2.0, 3.0, 4.0], [0, 0, 2]))
    array([6., 1., 4.], dtype=float32)
    """
    return _sorted_segment("prod", data, segment_ids, name)


def segment_mean(data, segment_ids, name=None):
    """TF's SegmentMean: the mean over each segment of sorted ``segment_ids`` (an empty
    segment 0; integers divide truncating towards zero).

    >>> import ndgrad.tf as tf
    >>> from ndgrad.tf.math_extra_ops import segment_mean
    >>> tf.Session().run(segment_mean([1.0, 2.0, 6.0], [0, 0, 2]))
    array([1.5, 0. , 6. ], dtype=float32)
    """
    return _sorted_segment("mean", data, segment_ids, name)


def unsorted_segment_max(data, segment_ids, num_segments, name=None):
    """TF's UnsortedSegmentMax: ``out[s]`` the largest ``data[i...]`` with
    ``segment_ids[i...] == s`` (ids of any order, their shape a prefix of the data's;
    rows of negative ids dropped; an id at or above ``num_segments`` fails the run). An
    empty segment holds the dtype's lowest value.

    >>> import ndgrad.tf as tf
    >>> from ndgrad.tf.math_extra_ops import unsorted_segment_max
    >>> tf.Session().run(unsorted_segment_max([1.0, 5.0, 3.0], [2, 0, 2], 3))
    array([ 5.0000000e+00, -3.4028235e+38,  3.0000000e+00], dtype=float32)
    """
    return _unsorted_segment("max", data, segment_ids, num_segments, name)


def unsorted_segment_min(data, segment_ids, num_segments, name=None):
    """TF's UnsortedSegmentMin; an empty segment holds the dtype's largest value.

    >>> import ndgrad.tf as tf
    >>> from ndgrad.tf.math_extra_ops import unsorted_segment_min
    >>> tf.Session().run(unsorted_segment_min([4, 1, 3], [1, -1, 1], 3))
    array([2147483647,          3, 2147483647], dtype=int32)
    """
    return _unsorted_segment("min", data, segment_ids, num_segments, name)


def unsorted_segment_prod(data, segment_ids, num_segments, name=None):
    """TF's UnsortedSegmentProd; an empty segment holds 1.

    >>> import ndgrad.tf as tf
    >>> from ndgrad.tf.math_extra_ops import unsorted_segment_prod
    >>> tf.Session().run(unsorted_segment_prod([2.0, 3.0, 4.0], [1, 1, -1], 3))
    array([1., 6., 1.], dtype=float32)
    """
    return _unsorted_segment("prod", data, segment_ids, num_segments, name)


def _unsorted_n_fwd(xp, ids, size, data, static=None):
    ids, d = np.asarray(ids), np.asarray(data)
    n = int(np.asarray(size))
    n = max(n, 0)
    flat = ids.reshape(-1)
    c = np.bincount(flat[(flat >= 0) & (flat < n)], minlength=n)[:n]
    return np.maximum(c, 1).astype(d.dtype).reshape((n,) + (1,) * (d.ndim - ids.ndim))


def _unsorted_n_rule(args, params):
    ids, d = args[0], args[2]
    if ids._shape is None or d._shape is None:
        return [(None, d._np_dtype)]
    return [((params["static"],) + (1,) * (len(d._shape) - len(ids._shape)), d._np_dtype)]


_UNSORTED_N = _defop("tf.unsorted_segment_n", _unsorted_n_fwd, None, save="none",
                     nondiff="segment sizes: piecewise constant",
                     shape_rule=_unsorted_n_rule)
_register_types({"tf.unsorted_segment_n": "Maximum"})


def unsorted_segment_mean(data, segment_ids, num_segments, name=None):
    """TF's ``unsorted_segment_mean``: ``unsorted_segment_sum(data) / max(N, 1)``, N the
    size of each segment, divided as ``tf.truediv`` does (integer data gives floats:
    int32 and int64 float64, the 8 and 16 bit ones float32); complex data is refused.

    >>> import ndgrad.tf as tf
    >>> from ndgrad.tf.math_extra_ops import unsorted_segment_mean
    >>> tf.Session().run(unsorted_segment_mean([1.0, 2.0, 6.0], [0, 0, 2], 4))
    array([1.5, 0. , 6. , 0. ], dtype=float32)
    """
    from . import math_ops as M

    def f():
        d = convert_to_tensor(data, name="data")
        _check_dtype(d, _NUMBER, "data")
        refuse(_dt(d), _REAL, "x")    # (TF: its Maximum step refuses complex)
        ids = _ids_tensor(segment_ids, ("int16", "int32", "int64"))
        _check_prefix(d, ids, "UnsortedSegmentSum")
        n, static = _num_segments(num_segments, "UnsortedSegmentSum")
        summed = apply(_SEGMENT_SUM_N, (d, ids, n), {"static": static})
        count = apply(_UNSORTED_N, (ids, n, d), {"static": static})
        return M.truediv(summed, count)
    return build(name, "UnsortedSegmentMean", f, graph_args=(data, segment_ids))


# -- MulNoNan, DivNoNan ------------------------------------------------------------------
def _bcast_rule(args, params):
    a, b = args[0], args[1]
    if a._shape is None or b._shape is None:
        return [(None, a._np_dtype)]
    return [(broadcast_static([tuple(a._shape), tuple(b._shape)]), a._np_dtype)]


def _mul_no_nan_fwd(xp, x, y):
    x, y = np.asarray(x), np.asarray(y)
    with np.errstate(all="ignore"):
        return np.where(y == 0, np.zeros((), x.dtype), x * y).astype(x.dtype)


# Rules run in ndgrad's complex convention (tf.gradients conjugates the cotangents at its
# boundary), so (mul_no_nan(g, y), mul_no_nan(x, g)) is TF's _MulNoNanGrad for real
# values and, for complex ones, the gradient in TF's convention (TF's rule omits the
# conjugate its Mul takes: there TF's values differ, see the README)
_MUL_NO_NAN = _defop(
    "tf.mul_no_nan", _mul_no_nan_fwd,
    lambda xp, g, ans, x, y: (_call(_MUL_NO_NAN, xp, (g, y)),
                              _call(_MUL_NO_NAN, xp, (x, g))),
    shape_rule=_bcast_rule)


_register_types({"tf.mul_no_nan": "MulNoNan"})


def multiply_no_nan(x, y, name=None):
    """TF's MulNoNan: ``x * y``, and 0 where ``y`` is 0 even if ``x`` is inf or NaN (not
    symmetric: ``0 * inf`` is NaN); float and complex dtypes, broadcasting. Its gradient
    is TF's: ``(mul_no_nan(g, y), mul_no_nan(x, g))``.

    >>> import ndgrad.tf as tf
    >>> from ndgrad.tf.math_extra_ops import multiply_no_nan
    >>> inf = float("inf")
    >>> tf.Session().run(multiply_no_nan([inf, 2.0, 0.0], [0.0, 3.0, inf]))
    array([ 0.,  6., nan], dtype=float32)
    """
    def f():
        a = convert_to_tensor(x, name="x")
        b = convert_to_tensor(y, name="y", dtype=_dt(a))
        _check_dtype(a, _FLOATC, "x")
        return apply(_MUL_NO_NAN, (a, b))
    return build(name, "multiply_no_nan", f, graph_args=(x, y))


def reciprocal_no_nan(x, name=None):
    """``1 / x``, and 0 where ``x`` is 0: TF's ``div_no_nan(1, x)`` (DivNoNan, ndgrad.tf's
    ``tf.div_no_nan``: its gradient is 0 at 0); float and complex.

    >>> import ndgrad.tf as tf
    >>> from ndgrad.tf.math_extra_ops import reciprocal_no_nan
    >>> tf.Session().run(reciprocal_no_nan([2.0, 0.5, 0.0, 1.0]))
    array([0.5, 2. , 0. , 1. ], dtype=float32)
    """
    def f():
        a = convert_to_tensor(x, name="x")
        dt = _check_dtype(a, _FLOATC, "x")
        one = convert_to_tensor(np.ones((), dt), name="one")
        from . import math_ops as M
        return M.div_no_nan(one, a)     # (TF's: div_no_nan(1, x))
    return build(name, "reciprocal_no_nan", f, graph_args=(x,))


def scalar_mul(scalar, x, name=None):
    """TF 1's ``tf.scalar_mul``: ``scalar * x`` (TF's Mul), the scalar converted to
    ``x``'s dtype (a mismatch is an error) and of rank 0 (``ValueError`` otherwise).

    >>> import ndgrad.tf as tf
    >>> from ndgrad.tf.math_extra_ops import scalar_mul
    >>> tf.Session().run(scalar_mul(2, tf.constant([1.0, 2.0])))
    array([2., 4.], dtype=float32)
    """
    from . import math_ops as M
    base = np_dtype(x.dtype)    # (TF reads x.dtype first: a list is an AttributeError)

    def f():
        s = convert_to_tensor(scalar, dtype=base, name="scalar")
        shp = _static_shape(s)
        if shp is None or len(shp) != 0:
            shown = "<unknown>" if shp is None else str(tuple(shp))
            raise ValueError(f"The input scalar must be a 0-D value. Received shape "
                             f"{shown}.")
        return M.multiply(s, x)
    return build(name, "scalar_mul", f, graph_args=(x,))


# -- ApproximateEqual, NextAfter ---------------------------------------------------------
def _approx_fwd(xp, x, y, tolerance):
    x, y = np.asarray(x), np.asarray(y)
    if x.shape != y.shape:
        raise _invalid(f"x and y must be of the same shape. x shape: {list(x.shape)}. "
                       f"y shape: {list(y.shape)}")
    tol = np.float32(tolerance).astype(x.dtype)     # (TF's attr is a 32-bit float)
    with np.errstate(all="ignore"):
        return np.abs(x - y) <= tol


def _approx_rule(args, params):
    a, b = args[0]._shape, args[1]._shape
    if a is not None and b is not None:
        if len(a) != len(b):
            raise ValueError(f"Shapes must be equal rank, but are {len(a)} and {len(b)} "
                             f"for 'ApproximateEqual' (x of shape {list(a)}, y of shape "
                             f"{list(b)})")
        if any(p is not None and q is not None and p != q
                                   for p, q in zip(a, b)):
            raise ValueError(f"Dimensions must be equal: approximate_equal needs x and y "
                             f"of one shape, got {list(a)} and {list(b)}")
        return [(tuple(p if p is not None else q for p, q in zip(a, b)), np.dtype(bool))]
    return [(a if a is not None else b, np.dtype(bool))]


_APPROX = _defop("tf.approximate_equal", _approx_fwd, None, save="none",
                 nondiff="a comparison", shape_rule=_approx_rule)


def approximate_equal(x, y, tolerance=0.00001, name=None):
    """TF's ApproximateEqual (``tensorflow.python.ops.math_ops.approximate_equal``; TF
    2.15 exports it under no ``tf.*`` name): ``|x - y| <= tolerance`` elementwise, x and
    y of one shape (no broadcasting) and float32 or float64 (TF has no other kernel), the
    tolerance a 32-bit float as TF's attribute is. No gradient.

    >>> import ndgrad.tf as tf
    >>> from ndgrad.tf.math_extra_ops import approximate_equal
    >>> tf.Session().run(approximate_equal([1.0, 2.0], [1.4, 2.6], tolerance=0.5))
    array([ True, False])
    """
    def f():
        a, b = convert_same([x, y], names=("x", "y"), op_type="ApproximateEqual")
        _check_dtype(a, ("float32", "float64"), "x")
        return apply(_APPROX, (a, b), {"tolerance": float(tolerance)})
    return build(name, "ApproximateEqual", f, graph_args=(x, y))


def _nextafter_fwd(xp, x1, x2):
    return np.nextafter(np.asarray(x1), np.asarray(x2))


def _nextafter_vjp(xp, g, ans, x1, x2):
    # TF's _NextAfterGrad: ones * g for x1, zeros * g for x2 (summed to the shapes)
    return (g, xp.multiply(g, xp.zeros_like(g)))


_NEXTAFTER = _defop("tf.nextafter", _nextafter_fwd, _nextafter_vjp,
                    shape_rule=_bcast_rule)
_register_types({"tf.approximate_equal": "ApproximateEqual", "tf.nextafter": "NextAfter"})


def _preferred_float32(v, name):
    """TF's op builder for a ``T`` attribute defaulting to float32: a value that is no
    tensor converts to float32 unless it is float64."""
    from .._ops.registry import Array
    if isinstance(v, (Tensor, Array)) or hasattr(v, "_as_graph_element"):
        return convert_to_tensor(v, name=name)
    a = np.asarray(v)
    if a.dtype == np.float64 and isinstance(v, np.ndarray):
        return convert_to_tensor(a, name=name)
    if a.dtype.kind in "biuf":
        return convert_to_tensor(v, dtype=np.float32, name=name)
    return convert_to_tensor(v, name=name)


def nextafter(x1, x2, name=None):
    """TF's NextAfter: the next representable value after ``x1`` towards ``x2``
    (``np.nextafter``), float32 or float64, broadcasting. Its gradient is TF's: ``g``
    for ``x1``, 0 for ``x2``.

    >>> import ndgrad.tf as tf
    >>> from ndgrad.tf.math_extra_ops import nextafter
    >>> tf.Session().run(nextafter([1.0, 1.0, 0.0], [2.0, 0.0, 1.0]))
    array([1.0000001e+00, 9.9999994e-01, 1.4012985e-45], dtype=float32)
    """
    def f():
        a = _preferred_float32(x1, "x1")
        _check_dtype(a, ("float32", "float64"), "x1")
        b = convert_same([a, x2], names=("x1", "x2"), op_type="NextAfter")[1]
        return apply(_NEXTAFTER, (a, b))
    return build(name, "NextAfter", f, graph_args=(x1, x2))


# -- Bessel functions I0, I1 and their exponentially scaled forms ------------------------
def _scipy_special():
    try:
        import scipy.special as sp
    except ImportError as e:
        raise ImportError(f"tf.math.bessel_i0 and its kin need SciPy (pip install scipy): "
                          f"{e}") from None
    return sp


def _bessel_fwd(fn):
    def fwd(xp, x):
        x = np.asarray(x)
        with np.errstate(all="ignore"):
            return np.asarray(getattr(_scipy_special(), fn)(x.astype(np.float64))
                              ).astype(x.dtype)
    fwd.__name__ = fn
    return fwd


def _bessel_partial_fwd(xp, x, y, kind):
    """The derivative TF's gradient of BesselI0/I0e/I1/I1e multiplies the cotangent by
    (computed in the input's dtype as TF does)."""
    x, y = np.asarray(x), np.asarray(y)
    dt = x.dtype
    sp = _scipy_special()

    def f(name):
        return np.asarray(getattr(sp, name)(x.astype(np.float64))).astype(dt)
    with np.errstate(all="ignore"):
        if kind == "i0":
            return f("i1")
        if kind == "i0e":
            return (f("i1e") - np.sign(x) * y).astype(dt)
        if kind == "i1":
            return np.where(x == 0, dt.type(1), f("i0") - y / x).astype(dt)
        return np.where(x == 0, dt.type(0.5), f("i0e") - y * (np.sign(x) + dt.type(1) / x)
                        ).astype(dt)


_BESSEL_PARTIAL = _defop("tf.bessel_partial", _bessel_partial_fwd, None,
                         nograd="the second derivative of the Bessel functions is not "
                                "implemented",
                         shape_rule=lambda a, p: [(a[0]._shape, a[0]._np_dtype)])


def _bessel_vjp(kind):
    def vjp(xp, g, ans, x):
        return (xp.multiply(g, _call(_BESSEL_PARTIAL, xp, (x, ans), {"kind": kind})),)
    return vjp


_BESSEL_TYPES = {"i0": "BesselI0", "i0e": "BesselI0e", "i1": "BesselI1",
                 "i1e": "BesselI1e"}
_BESSEL = {k: _defop("tf.bessel_" + k, _bessel_fwd(k), _bessel_vjp(k), save="both",
                     shape_rule=lambda a, p: [(a[0]._shape, a[0]._np_dtype)])
           for k in _BESSEL_TYPES}
_register_types({"tf.bessel_" + k: v for k, v in _BESSEL_TYPES.items()})
_register_types({"tf.bessel_partial": "BesselPartial"})


def _bessel(kind, x, name):
    def f():
        a = convert_to_tensor(x, name="x")
        _check_dtype(a, ("float16", "float32", "float64"), "x")
        return apply(_BESSEL[kind], (a,))
    return build(name, _BESSEL_TYPES[kind], f, graph_args=(x,))


def bessel_i0(x, name=None):
    """TF's BesselI0: the modified Bessel function of the first kind of order 0 (float16,
    float32, float64; values from SciPy's Cephes, rounded to the dtype, so they may differ
    from TF's float kernels in the last bit). Gradient: ``g * bessel_i1(x)``.

    >>> import ndgrad.tf as tf
    >>> from ndgrad.tf.math_extra_ops import bessel_i0
    >>> print(tf.Session().run(bessel_i0(tf.constant([-1.0, 0.0, 0.5], tf.float64))))
    [1.26606588 1.         1.06348337]
    """
    return _bessel("i0", x, name)


def bessel_i0e(x, name=None):
    """TF's BesselI0e: ``exp(-|x|) * bessel_i0(x)``. Gradient: ``g * (bessel_i1e(x) -
    sign(x) * bessel_i0e(x))``.

    >>> import ndgrad.tf as tf
    >>> from ndgrad.tf.math_extra_ops import bessel_i0e
    >>> print(tf.Session().run(bessel_i0e(tf.constant([-1.0, 0.0, 0.5], tf.float64))))
    [0.46575961 1.         0.64503527]
    """
    return _bessel("i0e", x, name)


def bessel_i1(x, name=None):
    """TF's BesselI1: the modified Bessel function of the first kind of order 1. Its
    gradient is TF's: ``g * (bessel_i0(x) - bessel_i1(x) / x)``, and ``g`` at 0.

    >>> import ndgrad.tf as tf
    >>> from ndgrad.tf.math_extra_ops import bessel_i1
    >>> print(tf.Session().run(bessel_i1(tf.constant([-1.0, 0.0, 0.5], tf.float64))))
    [-0.5651591   0.          0.25789431]
    """
    return _bessel("i1", x, name)


def bessel_i1e(x, name=None):
    """TF's BesselI1e: ``exp(-|x|) * bessel_i1(x)``. Gradient: ``g * (bessel_i0e(x) -
    bessel_i1e(x) * (sign(x) + 1 / x))``, and ``g / 2`` at 0.

    >>> import ndgrad.tf as tf
    >>> from ndgrad.tf.math_extra_ops import bessel_i1e
    >>> print(tf.Session().run(bessel_i1e(tf.constant([-1.0, 0.0, 0.5], tf.float64))))
    [-0.20791042  0.          0.1564208 ]
    """
    return _bessel("i1e", x, name)


# -- fixed-width histograms --------------------------------------------------------------
def _check_range(lo, hi):
    if not lo < hi:
        raise _invalid(f"value_range should satisfy value_range[0] < value_range[1], but "
                       f"got [{lo}, {hi}]")


def _hist_fwd(xp, values, value_range, nbins, dtype, static=None):
    """TF's HistogramFixedWidth kernel: bin ``(max(v, lo) - lo) / (hi - lo) * nbins``,
    the differences in the values' dtype, the rest in float64, capped at ``nbins - 1``."""
    v, r = np.asarray(values).reshape(-1), np.asarray(value_range)
    n = int(np.asarray(nbins))
    if r.shape != (2,):
        raise _invalid(f"value_range should be a vector of 2 elements, got shape "
                       f"{list(r.shape)}")
    if n <= 0:
        raise _invalid(f"nbins should be a positive number, but got '{n}'")
    lo, hi = r[0], r[1]
    _check_range(lo, hi)
    with np.errstate(all="ignore"):
        idx = (np.maximum(v, lo) - lo).astype(np.float64) / float(hi - lo) * float(n)
        idx = np.minimum(idx, float(n - 1))
        bad = ~(idx >= 0)        # (NaN: TF's cast gives an index out of range)
        if bad.any():
            raise _invalid(f"Histogram values must not contain NaN (a bin out of range [0, {n})"
                           f": {v[bad][0]})")
        idx = idx.astype(np.int64)
    return np.bincount(idx, minlength=n).astype(dtype)


def _hist_rule(args, params):
    return [((params["static"],), np.dtype(params["dtype"]))]


_HIST = _defop("tf.histogram_fixed_width", _hist_fwd, None, save="none",
               nondiff="counts: piecewise constant", shape_rule=_hist_rule)


def _bins_fwd(xp, values, value_range, nbins):
    """TF's histogram_fixed_width_bins, op by op in the values' dtype: ``floor(nbins *
    ((v - lo) / (hi - lo)))`` clipped to ``[0, nbins - 1]``, cast to int32 (NaN gives
    the int32 minimum, as TF's cast does on x86)."""
    v, r = np.asarray(values), np.asarray(value_range)
    n = int(np.asarray(nbins))
    if n <= 0:
        raise _invalid(f"assertion failed: [nbins {n} must > 0]")
    if r.ndim != 1 or r.shape[0] < 2:
        raise _invalid(f"value_range: slice index 1 of dimension 0 out of bounds "
                       f"(shape {list(r.shape)})")
    dt = v.dtype
    with np.errstate(all="ignore"):
        scaled = (v - r[0]) / (r[1] - r[0])
        nf = dt.type(n)
        idx = np.floor((nf * scaled).astype(dt))
        idx = np.minimum(np.maximum(idx, dt.type(0)), (nf - dt.type(1)).astype(dt))
        out = np.full(idx.shape, np.iinfo(np.int32).min, dtype=np.int32)
        ok = ~np.isnan(idx)
        out[ok] = idx[ok].astype(np.int32)
    return out


_BINS = _defop("tf.histogram_fixed_width_bins", _bins_fwd, None, save="none",
               nondiff="bin indices: piecewise constant",
               shape_rule=lambda a, p: [(a[0]._shape, np.dtype(np.int32))])
_register_types({"tf.histogram_fixed_width": "HistogramFixedWidth",
                 "tf.histogram_fixed_width_bins": "Reshape"})


def _nbins_tensor(nbins, check_build):
    n = convert_to_tensor(nbins, dtype=np.int32, name="nbins")
    ns = _static_shape(n)
    if check_build and ns is not None and len(ns) != 0:
        raise ValueError(f"Shape must be rank 0 but is rank {len(ns)} for "
                         f"'HistogramFixedWidth' (nbins)")
    v = _const_value(nbins if not isinstance(nbins, Tensor) else n)
    static = None if v is None or np.ndim(v) != 0 else int(v)
    if check_build and static is not None and static <= 0:
        raise ValueError(f"Requires nbins > 0: {static} for 'HistogramFixedWidth'")
    return n, static


def histogram_fixed_width(values, value_range, nbins=100, dtype=np.int32, name=None):
    """TF's HistogramFixedWidth: the counts of ``values`` (any shape; int32, int64,
    float32 or float64) in ``nbins`` equal bins over ``value_range`` (``[lo, hi]``, in
    the values' dtype; values below ``lo`` go to the first bin, at or above ``hi`` to the
    last), as an int32 or int64 vector. ``lo >= hi`` or a NaN value fails the run
    (``InvalidArgumentError``); ``nbins <= 0`` is a ``ValueError`` when known while
    building.

    >>> import ndgrad.tf as tf
    >>> from ndgrad.tf.math_extra_ops import histogram_fixed_width
    >>> tf.Session().run(histogram_fixed_width([-1.0, 0.0, 1.5, 2.0, 5.0, 15.0],
    ...                                           [0.0, 5.0], nbins=5))
    array([2, 1, 1, 0, 2], dtype=int32)
    """
    out_dt = np_dtype(dtype)
    refuse(out_dt, ("int32", "int64"), "dtype")

    def f():
        v, r = convert_same([values, value_range], names=("values", "value_range"),
                            op_type="HistogramFixedWidth")
        _check_dtype(v, ("int32", "int64", "float32", "float64"), "values")
        rs = _static_shape(r)
        if rs is not None and len(rs) != 1:
            raise ValueError(f"Shape must be rank 1 but is rank {len(rs)} for "
                             f"'HistogramFixedWidth' (value_range)")
        if rs is not None and rs[0] is not None and rs[0] != 2:
            raise ValueError(f"Dimension must be 2 but is {rs[0]} for "
                             f"'HistogramFixedWidth' (value_range)")
        n, static = _nbins_tensor(nbins, True)
        return apply(_HIST, (v, r, n), {"static": static, "dtype": out_dt})
    return build(name, "histogram_fixed_width", f, graph_args=(values,))


def histogram_fixed_width_bins(values, value_range, nbins=100, dtype=np.int32, name=None):
    """TF's ``histogram_fixed_width_bins``: the bin index (int32, whatever ``dtype``
    says, as in TF) of each of ``values`` (float16, float32 or float64; TF's composite
    fails on integers with a TypeError) in ``nbins`` equal bins over ``value_range``
    (of the values' dtype), computed op by op as TF does; out-of-range values are
    clipped to the first or last bin, a NaN gives -2147483648. ``nbins <= 0`` fails the
    run (``InvalidArgumentError``, TF's Assert).

    >>> import ndgrad.tf as tf
    >>> from ndgrad.tf.math_extra_ops import histogram_fixed_width_bins
    >>> tf.Session().run(histogram_fixed_width_bins(
    ...     [-1.0, 0.0, 1.5, 2.0, 5.0, 15.0], [0.0, 5.0], nbins=5))
    array([0, 0, 1, 2, 4, 4], dtype=int32)
    """
    def f():
        v = convert_to_tensor(values, name="values")
        r = convert_to_tensor(value_range, name="value_range")
        vd, rd = np.dtype(_dt(v)), np.dtype(_dt(r))
        if vd != rd:
            raise TypeError(f"Input 'y' of 'Sub' Op has type {rd.name} that does not "
                            f"match type {vd.name} of argument 'x'.")
        if vd.kind in "iu":
            raise TypeError(f"Input 'y' of 'Mul' Op has type "
                            f"{'float32' if vd.itemsize <= 2 else 'float64'} that does "
                            f"not match type {vd.name} of argument 'x'.")
        _check_dtype(v, ("float16", "float32", "float64"), "values")
        n, _ = _nbins_tensor(nbins, False)
        return apply(_BINS, (v, r, n))
    return build(name, "histogram_fixed_width_bins", f, graph_args=(values,))


for _f in (segment_max, segment_min, segment_prod, segment_mean, unsorted_segment_max,
           unsorted_segment_min, unsorted_segment_prod, unsorted_segment_mean):
    assert _f.__name__ in __all__
del _f

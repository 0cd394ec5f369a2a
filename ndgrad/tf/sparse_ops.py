"""``tf.sparse_placeholder``, ``tf.edit_distance`` and ``tf.sparse_to_dense``: a fed
SparseTensor, the Levenshtein distance between the sequences of two SparseTensors (TF's
CPU kernel), and a dense tensor written from indices and values (an op with its gradient
rule beside it)."""
from __future__ import annotations

import numpy as np

from ..graph import errors as _errors
from ..graph.core import Tensor, get_default_graph
from ..graph.shape import TensorShape
from . import dtypes as _tfd
from . import framework as _fw
from .._ops.registry import defop, apply
from .framework import convert_to_tensor
from .ops import call
from .sparse_tensor import SparseTensor, SparseTensorValue
from .state_ops import placeholder, placeholder_with_default

__all__ = ["sparse_placeholder", "edit_distance", "sparse_to_dense",
           "sparse_tensor_dense_matmul", "embedding_lookup_sparse"]


def sparse_placeholder(dtype, shape=None, name=None):
    """A SparseTensor whose indices, values and dense shape are fed to ``Session.run``
    together: ``feed_dict={sp: tf.SparseTensorValue(indices, values, dense_shape)}`` (or
    an ``(indices, values, dense_shape)`` tuple). A fully known ``shape`` is the dense
    shape's default (then ``(indices, values)`` may be fed alone), as TF's.

    >>> import ndgrad.tf as tf
    >>> sp = tf.sparse_placeholder(tf.float32)
    >>> with tf.Session() as s:
    ...     print(s.run(tf.sparse_tensor_to_dense(sp), {sp: ([[0, 1]], [5.0], [2, 2])}))
    [[0. 5.]
     [0. 0.]]
    """
    if _fw.executing_eagerly():
        raise RuntimeError("tf.placeholder() is not compatible with eager execution.")
    shape_name = None if name is None else name + "/shape"
    rank = None
    if shape is not None:
        dims = TensorShape(shape).as_list() if not isinstance(shape, Tensor) else None
        if dims is None:
            rank = shape._shape[0] if shape._shape else None
            dense_shape = shape
        else:
            rank = len(dims)
            if None in dims:
                dense_shape = placeholder(_tfd.int64, [rank], name=shape_name)
            else:
                dense_shape = placeholder_with_default(
                    convert_to_tensor(dims, dtype=_tfd.int64), [rank], name=shape_name)
    else:
        dense_shape = placeholder(_tfd.int64, [None], name=shape_name)
    return SparseTensor(
        indices=placeholder(_tfd.int64, [None, rank],
                            name=None if name is None else name + "/indices"),
        values=placeholder(dtype, [None], name=None if name is None else name + "/values"),
        dense_shape=dense_shape)


def _const_value(t):
    """A constant tensor's value, else None."""
    op = t._op
    return op._attrs.get("value") if op.type == "Const" and op._attrs else None


def _levenshtein(a, b):
    """The edit distance between sequences ``a`` and ``b`` (insertions, deletions and
    substitutions each 1; elements compared with ``==``, so NaN matches nothing)."""
    if not a:
        return len(b)
    if not b:
        return len(a)
    prev = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        cur = [i]
        for j, y in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x != y)))
        prev = cur
    return prev[-1]


def _groups(idx, vals):
    """TF's ``SparseTensor::group`` over all dims but the last: runs of consecutive
    entries with equal leading indices (the indices are taken as given: TF's kernel
    assumes them sorted and groups unsorted ones run by run), as (key, values)."""
    out = []
    for k in range(len(idx)):
        key = tuple(int(i) for i in idx[k, :-1])
        if out and out[-1][0] == key:
            out[-1][1].append(vals[k])
        else:
            out.append((key, [vals[k]]))
    return out


def _validate(hi, hv, hs, ti, tv, ts):
    """The kernel's shape checks, in its order and words."""
    def s(a):
        return "[" + ",".join(str(d) for d in np.shape(a)) + "]"
    for a, what, nd in ((hi, "hypothesis_indices", 2), (ti, "truth_indices", 2),
                        (hv, "hypothesis_values", 1), (tv, "truth_values", 1),
                        (hs, "hypothesis_shape", 1), (ts, "truth_shape", 1)):
        if np.ndim(a) != nd:
            raise ValueError(f"{what} should be a {'matrix' if nd == 2 else 'vector'}, "
                             f"but got shape: {s(a)}")
    def fits(which, idx, vals, shape):
        if vals.shape[0] != idx.shape[0]:
            raise ValueError(f"Expected {which}_values.NumElements == #rows({which}_indices),"
                             f" their shapes are: {s(vals)} and {s(idx)}")
        if shape.shape[0] != idx.shape[1]:
            raise ValueError(f"Expected {which}_shape.NumElements == #cols({which}_indices),"
                             f" their shapes are: {s(shape)} and {s(idx)}")
    fits("hypothesis", hi, hv, hs)
    if ts.shape[0] < 2:
        raise ValueError("Input SparseTensors must have rank at least 2, but truth_shape "
                         f"rank is: {ts.shape[0]}")
    fits("truth", ti, tv, ts)
    if ts.shape[0] != hs.shape[0]:
        raise ValueError("Expected truth and hypothesis to have matching ranks, but their "
                         f"shapes are: {s(ts)} and {s(hs)}")


def _edit_distance_kernel(hi, hv, hs, ti, tv, ts, normalize):
    """TF's EditDistance CPU kernel on NumPy values (float32 output)."""
    hi, ti = np.asarray(hi, np.int64), np.asarray(ti, np.int64)
    hs, ts = np.asarray(hs, np.int64), np.asarray(ts, np.int64)
    hv, tv = np.asarray(hv), np.asarray(tv)
    _validate(hi, hv, hs, ti, tv, ts)
    out_shape = tuple(int(max(a, b)) for a, b in zip(hs[:-1], ts[:-1]))
    out = np.zeros(out_shape, np.float32)
    flat = out.reshape(-1)
    strides = [1] * len(out_shape)
    for d in range(len(out_shape) - 2, -1, -1):
        strides[d] = strides[d + 1] * out_shape[d + 1]

    def put(key, value):
        loc = sum(k * st for k, st in zip(key, strides))
        if not 0 <= loc < flat.size:
            raise RuntimeError(f"Got an inner product {loc} which would require writing to "
                               f"outside of the buffer for the output tensor (max elements "
                               f"{flat.size})")
        flat[loc] = value

    # (tf.string values: bytes, whether fed as bytes or str, as TF converts them)
    hyp, tru = (_groups(i, [x.encode() if isinstance(x, str) else x for x in v.tolist()])
                for i, v in ((hi, hv), (ti, tv)))
    i = j = 0
    while i < len(hyp) and j < len(tru):
        (gh, hseq), (gt, tseq) = hyp[i], tru[j]
        if gt == gh:
            d = np.float32(_levenshtein(tseq, hseq))
            put(gt, d / np.float32(len(tseq)) if normalize else d)
            i += 1
            j += 1
        elif gt > gh:          # a hypothesis without its truth
            put(gh, np.inf if normalize and hseq else len(hseq))
            i += 1
        else:                  # a truth without its hypothesis
            put(gt, 1.0 if normalize else len(tseq))
            j += 1
    for gh, hseq in hyp[i:]:
        put(gh, np.inf if normalize and hseq else len(hseq))
    for gt, tseq in tru[j:]:
        put(gt, 1.0 if normalize else len(tseq))
    return out


def edit_distance(hypothesis, truth, normalize=True, name="edit_distance"):
    """The Levenshtein distance between the sequences of two SparseTensors: each group of
    entries with equal indices in all dims but the last is one sequence (its values in
    the order given); the result has the leading dims of the larger dense shape, float32.
    ``normalize`` divides by the truth's length (a missing truth gives inf, a missing
    hypothesis 1), as TF's kernel.

    >>> import ndgrad.tf as tf
    >>> h = tf.SparseTensor([[0, 0, 0], [0, 0, 1], [0, 0, 2], [0, 0, 3]], list("bear"),
    ...                     [1, 1, 4])
    >>> t = tf.SparseTensor([[0, 0, 0], [0, 0, 1], [0, 0, 2], [0, 0, 3], [0, 0, 4]],
    ...                     list("beers"), [1, 1, 5])
    >>> tf.Session().run(tf.edit_distance(h, t, normalize=False))
    array([[2.]], dtype=float32)
    """
    if isinstance(hypothesis, SparseTensorValue):
        hypothesis = SparseTensor.from_value(hypothesis)
    if isinstance(truth, SparseTensorValue):
        truth = SparseTensor.from_value(truth)
    if not isinstance(hypothesis, SparseTensor):
        raise TypeError("Hypothesis must be a SparseTensor.")
    if not isinstance(truth, SparseTensor):
        raise TypeError("Truth must be a SparseTensor.")
    hv, tv = hypothesis.values, truth.values
    hdt, tdt = (v._np_dtype if isinstance(v, Tensor) else np.asarray(v).dtype
                for v in (hv, tv))
    if tdt != hdt:
        raise TypeError(f"Input 'truth_values' of 'EditDistance' Op has type "
                        f"{_tfd.as_dtype(tdt).name} that does not match type "
                        f"{_tfd.as_dtype(hdt).name} of argument 'hypothesis_values'.")
    normalize = bool(normalize)
    if not isinstance(hv, Tensor):
        # eager mode: the kernel at once
        parts = [np.asarray(p) for p in (hypothesis.indices, hv, hypothesis.dense_shape,
                                         truth.indices, tv, truth.dense_shape)]
        try:
            out = _edit_distance_kernel(*parts, normalize)
        except ValueError as e:
            raise _errors.InvalidArgumentError(None, None, str(e)) from None
        except RuntimeError as e:
            raise _errors.InternalError(None, None, str(e)) from None
        return _fw.eager_tensor(out, out)
    # the static shape: TF's shape function, from constant dense shapes
    hs_c, ts_c = _const_value(hypothesis.dense_shape), _const_value(truth.dense_shape)
    rank_h = hypothesis.dense_shape._shape[0] if hypothesis.dense_shape._shape else None
    rank_t = truth.dense_shape._shape[0] if truth.dense_shape._shape else None
    for r, what in ((rank_h, "Hypothesis"), (rank_t, "Truth")):
        if r is not None and r < 2:
            raise ValueError(f"Input {what} SparseTensors must have rank at least 2, but "
                             f"{what.lower()}_shape rank is: {r}")
    out_shape = None
    if hs_c is not None and ts_c is not None:
        if hs_c.size != ts_c.size:
            raise ValueError(f"Num elements of hypothesis_shape does not match truth_shape: "
                             f"{hs_c.size} vs. {ts_c.size}")
        out_shape = tuple(int(max(a, b)) for a, b in zip(hs_c[:-1], ts_c[:-1]))
    g = get_default_graph()

    def fn(ctx, hi, hv_, hs, ti, tv_, ts):
        try:
            return _edit_distance_kernel(hi, hv_, hs, ti, tv_, ts, normalize)
        except ValueError as e:
            raise _errors.InvalidArgumentError(None, op, str(e)) from None
        except RuntimeError as e:
            raise _errors.InternalError(None, op, str(e)) from None
    op = g.special_op("EditDistance", name or "edit_distance",
                      (hypothesis.indices, hv, hypothesis.dense_shape, truth.indices, tv,
                       truth.dense_shape), fn, [(out_shape, np.dtype(np.float32))],
                      attrs={"normalize": normalize})
    return op.outputs[0]


# -- sparse_to_dense -----------------------------------------------------------------------
def _s2d_parts(indices, shape, values):
    """(index rows (N, rank), output shape, values (N,)) of a SparseToDense call, with
    TF's checks of their shapes."""
    idx = np.asarray(indices)
    if idx.dtype.kind not in "iu":
        raise TypeError(f"sparse_to_dense: sparse_indices must be integers, got {idx.dtype}")
    if idx.ndim > 2:
        raise _errors.InvalidArgumentError(
            None, None, f"sparse_indices should be a scalar, vector, or matrix, got shape "
                        f"{list(idx.shape)}")
    rows = idx.reshape(-1, 1) if idx.ndim < 2 else idx
    out = tuple(int(s) for s in np.asarray(shape).reshape(-1))
    if rows.shape[1] != len(out):
        raise _errors.InvalidArgumentError(
            None, None, f"output_shape has incorrect number of elements: {len(out)} should "
                        f"be: {rows.shape[1]}")
    vals = np.asarray(values)
    n = rows.shape[0]
    if vals.ndim == 0:
        vals = np.full(n, vals, dtype=vals.dtype)
    elif vals.shape != (n,):
        raise _errors.InvalidArgumentError(
            None, None, "sparse_values has incorrect shape [" +
                        ",".join(map(str, vals.shape)) + f"], should be [] or [{n}]")
    return rows, out, vals


def _s2d_check(rows, out, validate):
    def txt(r):
        return "[" + ",".join(map(str, r)) + "]"     # (TF's text: [0,5])
    for i, r in enumerate(rows.tolist()):
        if any(not 0 <= a < s for a, s in zip(r, out)):
            raise _errors.InvalidArgumentError(
                None, None, f"indices[{i}] = {txt(r)} is out of bounds: need 0 <= index < {txt(out)}")
        if validate and i:
            prev = rows[i - 1].tolist()
            if r == prev:
                raise _errors.InvalidArgumentError(None, None,
                                                   f"indices[{i}] = {txt(r)} is repeated")
            if r < prev:
                raise _errors.InvalidArgumentError(
                    None, None, f"indices[{i}] = {txt(r)} is out of order. Many sparse ops require "
                                f"sorted indices.")


def _winner_rows(rows, out):
    """The positions whose write survives (the last write to each element, as TF's kernel
    writes in order)."""
    from .array_ops import last_writes
    if not out:      # (a scalar output: every row writes the one element)
        return last_writes(np.zeros(len(rows), int))
    return last_writes(np.ravel_multi_index(tuple(rows.T), out) if rows.size
                       else np.zeros(0, int))


def _s2d_fwd(xp, indices, shape, values, default, validate):
    rows, out, vals = _s2d_parts(indices, shape, values)
    if np.ndim(default) != 0:
        raise _errors.InvalidArgumentError(
            None, None, "default_value should be a scalar, got shape [" +
                        ",".join(map(str, np.shape(default))) + "]")
    _s2d_check(rows, out, validate)
    dense = np.full(out, np.asarray(default).astype(vals.dtype), dtype=vals.dtype)
    keep = _winner_rows(rows, out)
    dense[tuple(rows[keep].T)] = vals[keep]
    return dense


def _s2d_grad_fwd(xp, g, indices, shape, values, default, validate):
    """The adjoint of sparse_to_dense in its values and default: each value's element of
    ``g`` (zero for a write a later one overwrote), and the sum of the rest of ``g``."""
    rows, out, _ = _s2d_parts(indices, shape, values)
    g = np.asarray(g)
    keep = _winner_rows(rows, out)
    gv = np.zeros(rows.shape[0], g.dtype)
    gv[keep] = g[tuple(rows[keep].T)]
    gd = g.sum() - gv.sum()
    if np.ndim(values) == 0:
        gv = gv.sum()
    return gv, np.asarray(gd, g.dtype)


def _s2d_rule(args, params):
    from .tensor_util import constant_value
    v = args[2]
    for k, what in ((1, "output_shape"), (3, "default_value")):
        s = args[k]._shape
        want = 1 if k == 1 else 0
        if s is not None and len(s) != want:
            raise ValueError(f"sparse_to_dense: {what} must be rank {want}, got shape "
                             f"{args[k].shape}")
    shape = constant_value(args[1])
    static = tuple(int(s) for s in np.asarray(shape).reshape(-1)) if shape is not None \
        else (None if args[1]._shape is None or args[1]._shape[0] is None
              else (None,) * args[1]._shape[0])
    return [(static, v._np_dtype)]


S2D = defop("tf.sparse_to_dense", _s2d_fwd,
            lambda xp, g, ans, indices, shape, values, default, validate: (
                None, None) + tuple(call(S2D_GRAD, xp, (g, indices, shape, values, default),
                                         {"validate": validate})),
            save="inputs", shape_rule=_s2d_rule)

# (linear in g: its adjoint writes the values' cotangents densely over the default's)
S2D_GRAD = defop("tf.sparse_to_dense_grad", _s2d_grad_fwd,
                 lambda xp, h, ans, g, indices, shape, values, default, validate: (
                     call(S2D, xp, (indices, shape, h[0], h[1]), {"validate": False}),
                     None, None, None, None),
                 multi=True, save="inputs",
                 shape_rule=lambda a, p: [(a[3]._shape, a[0]._np_dtype),
                                          ((), a[0]._np_dtype)])


def sparse_to_dense(sparse_indices, output_shape, sparse_values, default_value=0,
                    validate_indices=True, name=None):
    """A dense tensor of ``output_shape`` holding ``default_value`` except at
    ``sparse_indices`` (a scalar, a vector of indices of a 1-D output, or one index per
    row), which hold ``sparse_values`` (one each, or one for all). With
    ``validate_indices`` the indices must be sorted and unique (TF's); otherwise a later
    write to an element wins.

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.sparse_to_dense([[0, 1], [1, 2]], [2, 3], [5.0, 7.0], -1.0))
    array([[-1.,  5., -1.],
           [-1., -1.,  7.]], dtype=float32)
    """
    def f():
        v = convert_to_tensor(sparse_values)
        return apply(S2D, (convert_to_tensor(sparse_indices), convert_to_tensor(output_shape),
                           v, convert_to_tensor(default_value, dtype=v._np_dtype
                                                if isinstance(v, Tensor) else v.dtype)),
                     {"validate": bool(validate_indices)})
    return _fw.build(name, "SparseToDense", f)


# -- products and embeddings of SparseTensors (composed of gathers and segment sums, whose
# rules give their gradients) --------------------------------------------------------------
def _static_dense_shape(sp, what):
    from .tensor_util import static_argument
    c = static_argument(sp.dense_shape, f"{what}: the SparseTensor's dense_shape")
    return [int(v) for v in np.asarray(c).reshape(-1)]


def sparse_tensor_dense_matmul(sp_a, b, adjoint_a=False, adjoint_b=False, name=None):
    """``sp_a @ b`` for a 2-D SparseTensor ``sp_a`` and a dense matrix ``b`` (each
    optionally adjointed); its gradient flows to ``sp_a.values`` and ``b``.

    >>> import ndgrad.tf as tf
    >>> a = tf.SparseTensor([[0, 1], [1, 0]], [2.0, 3.0], [2, 2])
    >>> tf.Session().run(tf.sparse_tensor_dense_matmul(a, [[1.0, 1.0], [10.0, 20.0]]))
    array([[20., 40.],
           [ 3.,  3.]], dtype=float32)
    """
    from . import math_ops as M
    from .array_ops import unsorted_segment_sum
    from .framework import name_scope
    if isinstance(sp_a, SparseTensorValue):
        sp_a = SparseTensor.from_value(sp_a)
    with name_scope(name, "SparseTensorDenseMatMul", [sp_a.values, b]):
        shape = _static_dense_shape(sp_a, "sparse_tensor_dense_matmul")
        if len(shape) != 2:
            raise ValueError(f"sparse_tensor_dense_matmul: sp_a must be 2-D, got dense "
                             f"shape {shape}")
        b = convert_to_tensor(b, dtype=sp_a.dtype)
        if adjoint_b:
            b = M.conj(M.transpose(b)) if M._dt(b).kind == "c" else M.transpose(b)
        idx = sp_a.indices
        rows, cols = idx[:, 0], idx[:, 1]
        values = sp_a.values
        n_rows = shape[0]
        if adjoint_a:
            rows, cols = cols, rows
            n_rows = shape[1]
            if M._dt(values).kind == "c":
                values = M.conj(values)
        k = M._static_shape(b)[0]
        inner = shape[0] if adjoint_a else shape[1]
        if k is not None and k != inner:
            raise ValueError(f"sparse_tensor_dense_matmul: cannot multiply A (dense shape "
                             f"{shape}{', adjointed' if adjoint_a else ''}) by b with "
                             f"{k} rows")
        terms = M.gather(b, cols) * M.expand_dims(values, 1)
        return unsorted_segment_sum(terms, rows, n_rows)


def embedding_lookup_sparse(params, sp_ids, sp_weights, partition_strategy="mod", name=None,
                            combiner=None, max_norm=None):
    """Per row of the SparseTensor ``sp_ids``, its ids' embeddings combined: ``"sum"``,
    ``"mean"`` (TF 1's default) or ``"sqrtn"``, weighted by ``sp_weights`` when given.
    As TF's, the result has ``max(row) + 1`` rows (rows without ids inside are zero).

    >>> import ndgrad.tf as tf
    >>> ids = tf.SparseTensor([[0, 0], [0, 1], [1, 0]], tf.constant([0, 2, 1], tf.int64),
    ...                       [2, 2])
    >>> table = tf.constant([[1.0], [2.0], [3.0]])
    >>> tf.Session().run(tf.nn.embedding_lookup_sparse(table, ids, None, combiner="sum"))
    array([[4.],
           [2.]], dtype=float32)
    """
    from . import math_ops as M
    from .array_ops import segment_sum
    from .framework import name_scope
    from .nn import embedding_lookup
    if combiner is None:
        combiner = "mean"     # (TF 1's default, with a warning there)
    if combiner not in ("mean", "sqrtn", "sum"):
        raise ValueError("combiner must be one of 'mean', 'sqrtn' or 'sum'")
    if isinstance(sp_ids, SparseTensorValue):
        sp_ids = SparseTensor.from_value(sp_ids)
    if isinstance(sp_weights, SparseTensorValue):
        sp_weights = SparseTensor.from_value(sp_weights)
    with name_scope(name, "embedding_lookup_sparse"):
        rows = M.cast(sp_ids.indices[:, 0], np.int32)
        emb = embedding_lookup(params, sp_ids.values, partition_strategy=partition_strategy,
                               max_norm=max_norm)
        r = len(M._static_shape(emb))

        def per_row(v):     # (one number per id or row, against embeddings of any rank)
            return M.reshape(v, [-1] + [1] * (r - 1))
        if sp_weights is None:
            summed = segment_sum(emb, rows)
            if combiner == "sum":
                return summed
            count = segment_sum(M.ones_like(rows, dtype=emb.dtype), rows)
            norm = count if combiner == "mean" else M.sqrt(count)
            # (a row without ids inside the result is 0, as TF's sparse segment means)
            return M.div_no_nan(summed, per_row(norm))
        w = M.cast(sp_weights.values, emb.dtype)
        summed = segment_sum(emb * per_row(w), rows)
        if combiner == "sum":
            return summed
        norm = segment_sum(w, rows) if combiner == "mean" else \
            M.sqrt(segment_sum(w * w, rows))
        return M.div_no_nan(summed, per_row(norm))

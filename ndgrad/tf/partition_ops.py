"""TF's ``dynamic_partition`` and ``dynamic_stitch`` (with ``parallel_dynamic_stitch``),
each an op with its gradient rule beside it: the gradient of partitioning puts each
part's cotangent back at its rows, and that of stitching gathers each input's rows from
the cotangent (zero for a row that a later index overwrote: it reaches no output)."""
from __future__ import annotations

import numpy as np

from .._ops.registry import defop, apply
from .array_ops import last_writes
from .framework import build, convert_to_tensor
from .ops import call

__all__ = ["dynamic_partition", "dynamic_stitch", "parallel_dynamic_stitch"]


def _invalid(msg):
    from ..graph import errors
    return errors.InvalidArgumentError(None, None, msg)


def _check_partitions(p, data_shape, num):
    p = np.asarray(p)
    if p.dtype.kind not in "iu":
        raise TypeError(f"dynamic_partition: partitions must be integers, got {p.dtype}")
    if tuple(data_shape[:p.ndim]) != p.shape:
        raise _invalid(f"data.shape must start with partitions.shape, got data.shape = "
                       f"{list(data_shape)}, partitions.shape = {list(p.shape)}")
    if p.size and (p.min() < 0 or p.max() >= num):
        where = (tuple(int(k[0]) for k in np.nonzero((p < 0) | (p >= num))) if p.ndim
                 else ())
        at = "[" + ",".join(map(str, where)) + "]" if where else ""
        raise _invalid(f"partitions{at} = {int(p[where])} is not in [0, {num})")
    return p


# -- dynamic_partition ------------------------------------------------------------------
def _partition_fwd(xp, data, partitions, num_partitions):
    d = np.asarray(data)
    p = _check_partitions(partitions, d.shape, num_partitions)
    return tuple(d[p == i] for i in range(num_partitions))


def _unpartition_fwd(xp, partitions, data, *parts):
    """The adjoint of partitioning: an array of ``data``'s shape holding part i's rows
    where ``partitions == i``."""
    p = np.asarray(partitions)
    d = np.asarray(data)
    out = np.zeros(d.shape, dtype=np.result_type(*[np.asarray(q) for q in parts])
                   if parts else d.dtype)
    for i, q in enumerate(parts):
        out[p == i] = np.asarray(q)
    return out


def _prefix_mismatch(outer, inner):
    """Whether static shape ``inner`` cannot be a prefix of ``outer`` (None: unknown)."""
    if outer is None or inner is None:
        return False
    return len(inner) > len(outer) or any(
        a is not None and b is not None and a != b for a, b in zip(outer, inner))


def _partition_rule(args, params):
    d, p = args
    n = params["num_partitions"]
    if _prefix_mismatch(d._shape, p._shape):
        raise ValueError(f"dynamic_partition: data.shape must start with partitions.shape, "
                         f"got data.shape = {d.shape}, partitions.shape = {p.shape}")
    if d._shape is None or p._shape is None:
        return [(None, d._np_dtype)] * n
    return [((None,) + tuple(d._shape[len(p._shape):]), d._np_dtype)] * n


PARTITION = defop("tf.dynamic_partition", _partition_fwd,
                  lambda xp, g, ans, data, partitions, num_partitions: (
                      call(UNPARTITION, xp, (partitions, data) + tuple(g)), None),
                  multi=True, save="inputs", shape_rule=_partition_rule)

# (linear in the parts: its gradient partitions the cotangent again)
UNPARTITION = defop("tf.dynamic_partition_grad", _unpartition_fwd,
                    lambda xp, h, ans, partitions, data, *parts: (
                        (None, None) + tuple(call(PARTITION, xp, (h, partitions),
                                                  {"num_partitions": len(parts)}))),
                    save="inputs",
                    shape_rule=lambda a, p: [(a[1]._shape, a[2]._np_dtype if len(a) > 2
                                              else a[1]._np_dtype)])


def dynamic_partition(data, partitions, num_partitions, name=None):
    """``data`` split into ``num_partitions`` tensors: output ``i`` holds, in order, the
    slices ``data[j]`` with ``partitions[j] == i`` (``partitions``' shape a prefix of
    ``data``'s).

    >>> import ndgrad.tf as tf
    >>> parts = tf.dynamic_partition([10, 20, 30, 40], [1, 0, 1, 1], 2)
    >>> [p.tolist() for p in tf.Session().run(parts)]
    [[20], [10, 30, 40]]
    """
    n = int(num_partitions)
    if n < 1:
        raise ValueError(f"dynamic_partition: num_partitions must be at least 1, got {n}")

    def f():
        d = convert_to_tensor(data)
        p = convert_to_tensor(partitions)
        return list(apply(PARTITION, (d, p), {"num_partitions": n}))
    return build(name, "DynamicPartition", f)


# -- dynamic_stitch -----------------------------------------------------------------------
def _stitch_parts(args):
    n = len(args) // 2
    return [np.asarray(a) for a in args[:n]], [np.asarray(a) for a in args[n:]]


def _stitch_fwd(xp, *args):
    indices, data = _stitch_parts(args)
    for k, (i, d) in enumerate(zip(indices, data)):
        if i.dtype.kind not in "iu":
            raise TypeError(f"dynamic_stitch: indices[{k}] must be integers, got {i.dtype}")
        if d.shape[:i.ndim] != i.shape:
            raise _invalid(f"data[{k}].shape = {list(d.shape)} does not start with "
                           f"indices[{k}].shape = {list(i.shape)}")
    inner = data[0].shape[indices[0].ndim:]
    for k, (i, d) in enumerate(zip(indices, data)):
        if d.shape[i.ndim:] != inner:
            raise _invalid(f"data[{k}].shape = {list(d.shape)} does not match data[0]'s "
                           f"inner shape {list(inner)}")
        if i.size and i.min() < 0:
            raise _invalid(f"indices[{k}] has a negative index {int(i.min())}")
    rows = max((int(i.max()) + 1 for i in indices if i.size), default=0)
    out = np.zeros((rows,) + inner, dtype=np.result_type(*data))
    for i, d, w in zip(indices, data, _winners(indices)):   # (a later index overwrites)
        out[i[w]] = d[w]
    return out


def _winners(indices):
    """For each input, the mask of its positions whose value reaches the output (the
    last write to each row)."""
    keep = last_writes(np.concatenate([i.reshape(-1) for i in indices]))
    out, start = [], 0
    for i in indices:
        out.append(keep[start:start + i.size].reshape(i.shape))
        start += i.size
    return out


def _stitch_gather_fwd(xp, g, *indices):
    """The adjoint of stitching: each input's rows of ``g`` (zero where overwritten)."""
    g = np.asarray(g)
    indices = [np.asarray(i) for i in indices]
    res = []
    for i, w in zip(indices, _winners(indices)):
        r = g[i.reshape(-1)].reshape(i.shape + g.shape[1:])
        r[~w] = 0
        res.append(r)
    return tuple(res)


def _stitch_rule(args, params):
    n = len(args) // 2
    indices, data = args[:n], args[n:]
    inner = None
    for k, (i, d) in enumerate(zip(indices, data)):
        if _prefix_mismatch(d._shape, i._shape):
            raise ValueError(f"dynamic_stitch: data[{k}].shape = {d.shape} does not start "
                             f"with indices[{k}].shape = {i.shape}")
        if d._shape is not None and i._shape is not None:
            this = tuple(d._shape[len(i._shape):])
            if inner is not None and (len(this) != len(inner) or any(
                    a is not None and b is not None and a != b for a, b in zip(this, inner))):
                raise ValueError(f"dynamic_stitch: data[{k}].shape = {d.shape} does not "
                                 f"match the inner shape {list(inner)} of data[0]")
            inner = this if inner is None else inner
    # the row count is known where every index tensor is a constant (TF's inference)
    rows = None
    if all(i._op._kind == "const" for i in indices):
        vals = [np.asarray(i._op._attrs["value"]) for i in indices]
        rows = max((int(v.max()) + 1 for v in vals if v.size), default=0)
    if inner is None:
        return [(None, data[0]._np_dtype)]
    return [((rows,) + inner, data[0]._np_dtype)]


def _stitch_gather_rule(args, params):
    g, indices = args[0], args[1:]
    return [(None if i._shape is None or g._shape is None
             else tuple(i._shape) + tuple(g._shape[1:]), g._np_dtype) for i in indices]


STITCH = defop("tf.dynamic_stitch", _stitch_fwd,
               lambda xp, g, ans, *args: (
                   (None,) * (len(args) // 2) +
                   tuple(call(STITCH_GATHER, xp, (g,) + args[:len(args) // 2]))),
               save="inputs", shape_rule=_stitch_rule)

# (linear in g: its gradient stitches the cotangents back, the winners' rows only)
STITCH_GATHER = defop("tf.dynamic_stitch_grad", _stitch_gather_fwd,
                      lambda xp, h, ans, g, *indices: (
                          (call(STITCH, xp, tuple(indices) + tuple(h)),) +
                          (None,) * len(indices)),
                      multi=True, save="inputs", shape_rule=_stitch_gather_rule)


def dynamic_stitch(indices, data, name=None):
    """One tensor from the slices of ``data``: ``merged[indices[m][i]] = data[m][i]``,
    with ``max(index) + 1`` rows (a row never indexed is zero; a later index overwrites
    an earlier one, and the overwritten slice gets no gradient).

    >>> import ndgrad.tf as tf
    >>> out = tf.dynamic_stitch([[0, 2], [1, 3]], [[10., 30.], [20., 40.]])
    >>> tf.Session().run(out)
    array([10., 20., 30., 40.], dtype=float32)
    """
    indices, data = list(indices), list(data)
    if len(indices) != len(data) or not indices:
        raise ValueError(f"dynamic_stitch: as many indices as data tensors (at least "
                         f"one) are needed, got {len(indices)} and {len(data)}")

    def f():
        ins = [convert_to_tensor(i) for i in indices]
        ds = [convert_to_tensor(d) for d in data]
        return apply(STITCH, tuple(ins) + tuple(ds))
    return build(name, "DynamicStitch", f)


def parallel_dynamic_stitch(indices, data, name=None):
    """``dynamic_stitch`` (TF runs it in parallel, so which of two writes to one row wins
    is unspecified there; here the later one, as ``dynamic_stitch``).

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.parallel_dynamic_stitch([[1], [0]], [[5], [6]]))
    array([6, 5], dtype=int32)
    """
    return dynamic_stitch(indices, data, name=name or "ParallelDynamicStitch")

"""Static values of graph tensors, as TF's ``tensor_util``: ``constant_value`` (a tensor's
value where the graph determines it when built: ``tf.get_static_value``) and
``constant_value_as_shape`` (the partly known shape a shape tensor stands for, which
the shape-taking ops use for their static shapes)."""
from __future__ import annotations

import numpy as np

from .._backend import numpy_backend
from ..graph.core import Tensor
from ..graph.shape import TensorShape
from . import framework as _fw

__all__ = ["constant_value", "constant_value_as_shape", "constant_value_as_dim"]

_npx = numpy_backend.xp
_MAX_SIZE = 1024       # larger values are not computed when a graph is built
_MAX_DEPTH = 64


def constant_value(tensor, partial=False):
    """``tensor``'s value when it follows from the graph alone (constants, and the
    shapes of tensors whose static shape is known, through the registry's pure ops),
    else None. The same value a session computes: the ops' own forwards run on it.

    >>> import ndgrad.tf as tf
    >>> x = tf.placeholder(tf.float32, [4, 3])
    >>> tf.get_static_value(tf.stack([tf.shape(x)[0] * 2, 5]))
    array([8, 5], dtype=int32)
    >>> tf.get_static_value(x) is None
    True
    """
    if not isinstance(tensor, Tensor):
        return np.asarray(tensor)
    return _value(_fw._unref(tensor), 0, {})


def _value(t, depth, memo):
    """``constant_value``'s walk; ``memo`` holds each tensor's answer (a graph that
    reuses a tensor is walked once per tensor, not once per path)."""
    key = id(t)
    if key in memo:
        return memo[key][1]
    r = _value_of(t, depth, memo)
    memo[key] = (t, r)        # (t kept: its id stays its own during the walk)
    return r


def _value_of(t, depth, memo):
    op = t._op
    if op._kind == "const":
        return op._attrs["value"]
    reg = op._op
    if reg is None or reg.multi or depth > _MAX_DEPTH or (
            t._shape is not None and None not in t._shape and
            int(np.prod(t._shape)) > _MAX_SIZE):
        return None
    if reg.name == "tf.shape":
        s = op._args[0]._shape
        if s is None or None in s:
            return None
        return np.asarray(s, dtype=op._params["dtype"])
    vals = []
    for a in op._args:
        v = _value(a, depth + 1, memo)
        if v is None or np.size(v) > _MAX_SIZE:
            return None
        vals.append(v)
    try:
        with np.errstate(all="ignore"):
            r = reg.forward(_npx, *vals, **op._params)
    except Exception:
        return None      # (the run reports the error where it happens)
    r = np.asarray(r)
    return r if r.dtype.kind in "biuf" else None


def _partial(t, depth, memo=None):
    """``t``'s value as an object array of ints with None where unknown (TF's partial
    evaluation of shape tensors: Shape, slices, ExpandDims/Pack, Concat), or None."""
    memo = {} if memo is None else memo
    v = _value(t, depth, memo)
    if v is not None:
        return np.asarray(v).astype(object) if np.asarray(v).dtype.kind in "iu" else None
    op = t._op
    reg = op._op
    if reg is None or reg.multi or depth > _MAX_DEPTH:
        return None
    name, params = reg.name, op._params
    if name == "tf.shape":
        s = op._args[0]._shape
        return None if s is None else np.array(list(s) + [0], dtype=object)[:-1]
    args = op._args
    if name in ("tf.identity", "astype", "strided_slice", "tf.expand_dims", "expand_dims",
                "tf.squeeze", "squeeze") and len(args) == 1:
        p = _partial(args[0], depth + 1, memo)
        if p is None:
            return None
        try:
            if name == "strided_slice":
                r = p[params["key"]]
            elif name in ("tf.expand_dims", "expand_dims"):
                r = np.expand_dims(p, params["axis"])
            elif name in ("tf.squeeze", "squeeze"):
                ax = params.get("axis")
                r = np.squeeze(p, axis=tuple(ax) if ax else None)
            else:
                r = p
        except Exception:
            return None
        return np.asarray(r, dtype=object)
    if name == "tf.concat":
        parts = []
        for a in args:
            p = _partial(a, depth + 1, memo)
            if p is None:
                if a._shape is None or None in a._shape:
                    return None
                p = np.full(a._shape, None, dtype=object)
            parts.append(p)
        try:
            return np.concatenate(parts, axis=params["axis"])
        except Exception:
            return None
    return None


def constant_value_as_dim(tensor):
    """A scalar tensor's value as a dimension when the graph determines it (TF's
    partial evaluation, as ``constant_value_as_shape`` for one element), else None.

    >>> import ndgrad.tf as tf
    >>> from ndgrad.tf.tensor_util import constant_value_as_dim
    >>> x = tf.placeholder(tf.float32, [None, 4, 5])
    >>> constant_value_as_dim(tf.shape(x)[2]), constant_value_as_dim(tf.shape(x)[0])
    (5, None)
    """
    t = _fw._unref(tensor)
    if not isinstance(t, Tensor):
        d = int(np.asarray(t))
        return None if d < 0 else d
    p = _partial(t, 0)
    if p is None or p.ndim != 0 or p[()] is None or int(p[()]) < 0:
        return None
    return int(p[()])


def constant_value_as_shape(tensor):
    """The TensorShape a 1-D shape tensor stands for, as far as the graph tells: a dim
    whose value is unknown (or -1) is None.

    >>> import ndgrad.tf as tf
    >>> from ndgrad.tf.tensor_util import constant_value_as_shape
    >>> x = tf.placeholder(tf.float32, [None, 3])
    >>> constant_value_as_shape(tf.concat([tf.shape(x), [7]], 0)).as_list()
    [None, 3, 7]
    """
    t = _fw._unref(tensor)
    if not isinstance(t, Tensor):
        return TensorShape([None if int(d) < 0 else int(d) for d in np.reshape(t, -1)])
    if t._shape is not None and len(t._shape) == 0:
        return TensorShape(None)       # (a scalar shape tensor: TF's unknown shape)
    p = _partial(t, 0)
    if p is None or p.ndim != 1:
        n = t._shape[0] if t._shape else None
        return TensorShape(None if n is None else [None] * n)
    return TensorShape([None if d is None or int(d) < 0 else int(d) for d in p])


def static_argument(value, what):
    """``value`` itself, or a tensor's value when the graph alone gives it (a constant):
    for arguments ndgrad.tf needs when the graph is built (block shapes, reduction axes,
    delimiters, a SparseTensor's dense shape); a tensor known only at run time is a
    TypeError naming ``what``.

    >>> import ndgrad.tf as tf
    >>> from ndgrad.tf.tensor_util import static_argument
    >>> static_argument(tf.constant([2, 2]), "block_shape").tolist()
    [2, 2]
    """
    from ..graph.core import Tensor
    if not isinstance(value, Tensor):
        return value
    c = constant_value(value)
    if c is None:
        raise TypeError(f"{what} must be known when the graph is built (a Python value or "
                        f"a constant); got {value}")
    return c


"""``tf.SparseTensor`` (indices, values, dense_shape), ``tf.SparseTensorValue`` (what
``Session.run`` gives for one) and ``tf.sparse_tensor_to_dense`` / ``tf.sparse.to_dense``.

>>> import ndgrad.tf as tf
>>> sp = tf.SparseTensor(indices=[[0, 1], [2, 0]], values=[5., 6.], dense_shape=[3, 2])
>>> with tf.Session() as sess:
...     print(sess.run(tf.sparse_tensor_to_dense(sp)))
[[0. 5.]
 [0. 0.]
 [6. 0.]]
"""
from __future__ import annotations

import collections

import numpy as np

from ..graph import errors as _errors
from ..graph.core import Tensor, get_default_graph
from . import dtypes as _tfd
from .framework import convert_to_tensor, eager_tensor

__all__ = ["SparseTensor", "SparseTensorValue", "sparse_tensor_to_dense"]

SparseTensorValue = collections.namedtuple("SparseTensorValue",
                                           ["indices", "values", "dense_shape"])
SparseTensorValue.__doc__ = """A sparse tensor's values (what ``Session.run`` gives for a
``SparseTensor``); the sparse ops take one where they take a ``SparseTensor``.

>>> import ndgrad.tf as tf
>>> v = tf.SparseTensorValue(indices=[[1]], values=[7], dense_shape=[3])
>>> tf.Session().run(tf.sparse_tensor_to_dense(v))
array([0, 7, 0], dtype=int32)
"""


class SparseTensor:
    """A sparse tensor: int64 ``indices`` (N, rank), ``values`` (N,), int64
    ``dense_shape`` (rank,).

    >>> import ndgrad.tf as tf
    >>> sp = tf.SparseTensor(indices=[[0, 0], [1, 2]], values=[1.0, 2.0], dense_shape=[2, 3])
    >>> sp.dtype, sp.indices.dtype, sp.dense_shape.dtype
    (tf.float32, tf.int64, tf.int64)
    >>> tf.Session().run(sp)
    SparseTensorValue(indices=array([[0, 0],
           [1, 2]]), values=array([1., 2.], dtype=float32), dense_shape=array([2, 3]))
    """

    def __init__(self, indices, values, dense_shape):
        self._indices = convert_to_tensor(indices, dtype=_tfd.int64, name="indices")
        self._values = convert_to_tensor(values, name="values")
        self._dense_shape = convert_to_tensor(dense_shape, dtype=_tfd.int64,
                                              name="dense_shape")

    @classmethod
    def from_value(cls, v):
        return cls(v.indices, v.values, v.dense_shape)

    indices = property(lambda self: self._indices)
    values = property(lambda self: self._values)
    dense_shape = property(lambda self: self._dense_shape)
    dtype = property(lambda self: self._values.dtype)
    graph = property(lambda self: self._values.graph)

    @property
    def op(self):
        return self._values.op

    def _fetch_parts(self):
        """What ``Session.run`` fetches for this object, and how to rebuild the result."""
        return [self._indices, self._values, self._dense_shape], \
            lambda vals: SparseTensorValue(*vals)

    def _feed_parts(self, value):
        """The (tensor, value) feeds of ``feed_dict={self: value}``: a SparseTensorValue,
        or an ``(indices, values[, dense_shape])`` tuple (without the dense shape it
        keeps its default: ``sparse_placeholder`` of a known shape)."""
        if isinstance(value, SparseTensorValue):
            value = tuple(value)
        if not isinstance(value, (tuple, list)) or len(value) not in (2, 3):
            raise TypeError(f"The value fed for a SparseTensor must be a SparseTensorValue "
                            f"or an (indices, values, dense_shape) tuple, not "
                            f"{type(value).__name__}")
        return list(zip((self._indices, self._values, self._dense_shape), value))

    def __repr__(self):
        return (f"SparseTensor(indices={self._indices!r}, values={self._values!r}, "
                f"dense_shape={self._dense_shape!r})")


def sparse_tensor_to_dense(sp_input, default_value=0, validate_indices=True, name=None):
    """The dense tensor of ``sp_input``, ``default_value`` where no value is given.

    >>> import ndgrad.tf as tf
    >>> sp = tf.SparseTensor(indices=[[0, 1], [2, 0]], values=[5, 6], dense_shape=[3, 2])
    >>> tf.Session().run(tf.sparse_tensor_to_dense(sp, default_value=-1))
    array([[-1,  5],
           [-1, -1],
           [ 6, -1]], dtype=int32)
    """
    if isinstance(sp_input, SparseTensorValue):
        sp_input = SparseTensor.from_value(sp_input)
    if not isinstance(sp_input, SparseTensor):
        raise TypeError(f"Input must be a SparseTensor, got {type(sp_input).__name__}")
    vals = sp_input.values
    if not isinstance(vals, Tensor):
        # eager mode: the dense values at once
        v = np.asarray(vals)
        try:
            out = _to_dense(np.asarray(sp_input.indices), v, np.asarray(sp_input.dense_shape),
                            np.asarray(default_value, dtype=v.dtype))
        except ValueError as e:
            raise _errors.InvalidArgumentError(None, None, str(e)) from None
        return eager_tensor(out, out)
    dv = convert_to_tensor(default_value, dtype=vals._np_dtype, name="default_value")
    g = get_default_graph()
    rank = sp_input.dense_shape._shape[0] if sp_input.dense_shape._shape else None

    def fn(ctx, idx, v, shape, d):
        try:
            return _to_dense(idx, v, shape, d)
        except ValueError as e:
            raise _errors.InvalidArgumentError(None, op, str(e)) from None
    op = g.special_op("SparseToDense", name or "SparseToDense",
                      (sp_input.indices, vals, sp_input.dense_shape, dv), fn,
                      [(None if rank is None else (None,) * rank, vals._np_dtype)])
    return op.outputs[0]


def _to_dense(idx, v, shape, d):
    """SparseToDense's kernel: ``d`` everywhere but at ``idx``, which take ``v``."""
    shape = tuple(int(s) for s in shape)
    out = np.full(shape, d[()] if isinstance(d, np.ndarray) else d, dtype=v.dtype)
    idx = np.asarray(idx, dtype=np.int64).reshape(-1, len(shape))
    if len(idx):
        bad = (idx < 0).any(1) | (idx >= np.array(shape)).any(1)
        if bad.any():
            raise ValueError(f"indices[{int(np.argmax(bad))}] is out of bounds: need 0 <= "
                             f"index < {list(shape)}")
        out[tuple(idx.T)] = v
    return out

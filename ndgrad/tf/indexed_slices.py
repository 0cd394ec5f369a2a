"""``tf.IndexedSlices`` (TF's ``framework/indexed_slices.py``): a gradient given as the
rows it touches, ``values[i]`` at row ``indices[i]`` of a tensor of ``dense_shape``.

Optimizers apply one with TF 1's sparse arithmetic (``train.Optimizer._apply_slices``,
or the rows of ``_apply_sparse``); anything else takes its dense tensor, the rows summed
into zeros (``unsorted_segment_sum``), as TF's conversion does.

>>> import ndgrad.tf as tf
>>> s = tf.IndexedSlices(tf.constant([[1.0, 2.0], [3.0, 4.0]]), tf.constant([2, 0]),
...                      tf.constant([3, 2]))
>>> tf.Session().run(tf.convert_to_tensor(s))
array([[3., 4.],
       [0., 0.],
       [1., 2.]], dtype=float32)
"""
from __future__ import annotations

from .framework import convert_to_tensor

__all__ = ["IndexedSlices"]


class IndexedSlices:
    """Rows ``values`` of a tensor of shape ``dense_shape`` at ``indices`` (a repeated
    index adds up in the dense tensor).

    >>> import ndgrad.tf as tf
    >>> w = tf.Variable([[1.0], [2.0], [3.0]])
    >>> g = tf.IndexedSlices(tf.constant([[0.5], [0.5]]), tf.constant([2, 2]))
    >>> train = tf.train.GradientDescentOptimizer(1.0).apply_gradients([(g, w)])
    >>> with tf.Session() as s:
    ...     s.run(tf.global_variables_initializer())
    ...     _ = s.run(train)
    ...     print(s.run(w).ravel())
    [1. 2. 2.]
    """

    def __init__(self, values, indices, dense_shape=None):
        self._values = convert_to_tensor(values)
        self._indices = convert_to_tensor(indices)
        self._dense_shape = None if dense_shape is None else convert_to_tensor(dense_shape)
        if self._indices.dtype.name not in ("int32", "int64"):
            raise TypeError(f"IndexedSlices indices must be int32 or int64, got "
                            f"{self._indices.dtype.name}")

    values = property(lambda self: self._values, doc="The rows.")
    indices = property(lambda self: self._indices, doc="Their indices (1-D).")
    dense_shape = property(lambda self: self._dense_shape,
                           doc="The dense tensor's shape (a 1-D tensor), or None.")
    dtype = property(lambda self: self._values.dtype)
    name = property(lambda self: self._values.name)
    op = property(lambda self: self._values.op)
    graph = property(lambda self: self._values.graph)
    device = property(lambda self: self._values.device)

    def __neg__(self):
        return IndexedSlices(-self._values, self._indices, self._dense_shape)

    def __repr__(self):
        shape = "" if self._dense_shape is None else f", dense_shape={self._dense_shape}"
        return f"IndexedSlices(indices={self._indices}, values={self._values}{shape})"

    def _convert_to_tensor(self, rows=None):
        """The dense tensor (TF's ``_indexed_slices_to_tensor``); ``rows``: its first
        dimension where ``dense_shape`` is None (an optimizer's variable's)."""
        from .array_ops import unsorted_segment_sum
        from .tensor_util import constant_value
        if self._dense_shape is None and rows is None:
            raise ValueError(f"Tensor conversion requested for IndexedSlices without "
                             f"dense_shape: {self!r}")
        if rows is None:
            shape = constant_value(self._dense_shape)
            if shape is None:
                raise ValueError(f"IndexedSlices to a dense tensor: the dense_shape's first "
                                 f"dimension must be known when the graph is built "
                                 f"({self._dense_shape})")
            rows = int(shape[0])
        return unsorted_segment_sum(self._values, self._indices, rows)

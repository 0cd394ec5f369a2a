"""``tensorflow.python.framework.tensor_shape``: static shapes.

>>> from ndgrad.tf.python.framework import tensor_shape
>>> tensor_shape.TensorShape([2, None])
TensorShape([Dimension(2), Dimension(None)])
"""
from ....graph.shape import Dimension, TensorShape, as_dimension, as_shape  # noqa: F401

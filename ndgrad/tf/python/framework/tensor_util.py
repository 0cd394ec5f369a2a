"""``tensorflow.python.framework.tensor_util``: a tensor's value where the graph
determines it (``constant_value``, ``tf.get_static_value``) and the shape a shape tensor
stands for.

>>> from ndgrad.tf.python.framework import tensor_util
>>> import ndgrad.tf as tf
>>> tensor_util.constant_value(tf.constant(1.0) * 3)
array(3., dtype=float32)
"""
from ...tensor_util import (constant_value, constant_value_as_dim,  # noqa: F401
                            constant_value_as_shape)

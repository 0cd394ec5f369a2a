"""``tensorflow.python.framework``: ``ops``, ``dtypes``, ``tensor_shape``,
``tensor_util`` and ``constant_op``, each holding ndgrad.tf's own objects under
TensorFlow's module path."""
from . import constant_op, dtypes, ops, tensor_shape, tensor_util  # noqa: F401

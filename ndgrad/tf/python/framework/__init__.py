"""``tensorflow.python.framework``: ``ops``, ``dtypes``, ``tensor_shape`` and
``constant_op``, each holding ndgrad.tf's own objects under TensorFlow's module path."""
from . import constant_op, dtypes, ops, tensor_shape  # noqa: F401

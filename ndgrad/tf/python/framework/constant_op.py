"""``tensorflow.python.framework.constant_op``: ``constant``.

>>> from ndgrad.tf.python.framework import constant_op
>>> constant_op.constant([1.0]).dtype
tf.float32
"""
from ... import constant  # noqa: F401

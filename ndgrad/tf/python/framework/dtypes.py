"""``tensorflow.python.framework.dtypes``: ndgrad.tf's dtype objects.

>>> from ndgrad.tf.python.framework import dtypes
>>> dtypes.float32
tf.float32
"""
from ...dtypes import *  # noqa: F401,F403
from ...dtypes import DType, as_dtype  # noqa: F401

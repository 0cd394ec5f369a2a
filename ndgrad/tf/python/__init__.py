"""``tensorflow.python``: the internal module paths TF1 programs import names from
(``from tensorflow.python.framework import ops; ops.reset_default_graph()``)."""
from . import framework, layers, ops, training  # noqa: F401

"""``tensorflow.python.framework.ops``: the graph, its tensors and collections (the same
objects as ``ndgrad.tf``'s).

>>> from ndgrad.tf.python.framework import ops
>>> import ndgrad.tf as tf
>>> ops.reset_default_graph()
>>> ops.get_default_graph() is tf.get_default_graph()
True
"""
from ... import (Graph, GraphKeys, Operation, Tensor, add_to_collection,  # noqa: F401
                 add_to_collections, control_dependencies, convert_to_tensor, device,
                 get_collection, get_collection_ref, get_default_graph, name_scope,
                 reset_default_graph)

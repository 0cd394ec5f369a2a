"""``tensorflow.python.framework``'s module paths, which TF1 programs import from
(``from tensorflow.python.framework import ops; ops.reset_default_graph()``), hold
ndgrad.tf's own objects: the graph they reset is the one ``tf`` builds in."""
import numpy as np

import ndgrad.tf as tf
from ndgrad.tf.python.framework import constant_op, dtypes, ops, tensor_shape


def test_reset_default_graph_through_ops_resets_tfs_graph():
    tf.reset_default_graph()
    before = tf.get_default_graph()
    tf.constant(1.0, name="c")
    ops.reset_default_graph()
    g = tf.get_default_graph()
    assert g is not before and g is ops.get_default_graph()
    assert g.get_operations() == []
    x = tf.placeholder(tf.float32, [None, 2])
    assert isinstance(x, ops.Tensor) and isinstance(x.op, ops.Operation)
    y = tf.reduce_sum(x * constant_op.constant(2.0))
    with tf.Session() as sess:
        assert sess.run(y, {x: np.ones((3, 2), np.float32)}) == 12.0
    ops.add_to_collection("mine", y)
    assert ops.get_collection("mine") == [y] == tf.get_collection("mine")


def test_dtypes_and_shapes_are_tfs():
    assert dtypes.float32 is tf.float32 and dtypes.as_dtype(np.int64) is tf.int64
    assert tensor_shape.TensorShape([2, None]).as_list() == [2, None]
    assert tensor_shape.Dimension(3).value == 3

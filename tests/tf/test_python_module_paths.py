"""``tensorflow.python.framework``'s module paths, which TF1 programs import from
(``from tensorflow.python.framework import ops; ops.reset_default_graph()``), hold
ndgrad.tf's own objects: the graph they reset is the one ``tf`` builds in."""
import numpy as np
import pytest

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


def test_ops_module_paths_answer_with_tfs_functions():
    """The SELU paper's dropout (hunkim's lab-10-8) calls math_ops.floor,
    array_ops.shape, random_ops.random_uniform, tensor_util.constant_value and
    utils.smart_cond by their TF module paths."""
    from ndgrad.tf.python.framework import tensor_util
    from ndgrad.tf.python.layers import utils
    from ndgrad.tf.python.ops import array_ops, math_ops, nn_ops, random_ops
    assert math_ops.floor is tf.floor and math_ops.reduce_sum is tf.reduce_sum
    assert array_ops.shape is tf.shape and random_ops.random_uniform is tf.random_uniform
    assert nn_ops.relu is tf.nn.relu
    with pytest.raises(AttributeError, match="ndgrad.tf has no 'nosuch'"):
        math_ops.nosuch
    tf.reset_default_graph()
    assert tensor_util.constant_value(tf.constant(0.5) * 2) == 1.0
    keep = tf.placeholder(tf.float32, [])
    assert tensor_util.constant_value(keep) is None
    training = tf.placeholder(tf.bool, [])
    out = utils.smart_cond(training, lambda: tf.constant(1.0), lambda: tf.constant(2.0))
    with tf.Session() as s:
        assert s.run(out, {training: True}) == 1.0 and s.run(out, {training: False}) == 2.0
    assert utils.smart_cond(tf.constant(False), lambda: "a", lambda: "b") == "b"
    assert utils.smart_cond(1, lambda: "a", lambda: "b") == "a"
    assert utils.smart_cond(0.0, lambda: "a", lambda: "b") == "b"      # (TF's {0, 1} test)
    assert utils.smart_cond(np.True_, lambda: "a", lambda: "b") == "a"
    with pytest.raises(TypeError, match="must be a Tensor, or a Python bool"):
        utils.smart_cond("yes", lambda: "a", lambda: "b")

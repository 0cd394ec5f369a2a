"""``tf.identity_n`` (each tensor passed through, each gradient passed back; TF's
identity_n_op_py_test runs in the kernel-test list too) and ``tf.get_local_variable``."""
import numpy as np

import ndgrad.tf as tf


def test_identity_n_values_and_gradients():
    with tf.Graph().as_default():
        x = tf.constant([1.0, 2.0])
        y = tf.constant([[3]], tf.int64)
        a, b = tf.identity_n([x, y])
        g = tf.gradients(tf.reduce_sum(a * 3.0), x)[0]
        with tf.Session() as s:
            av, bv, gv = s.run([a, b, g])
    assert av.tolist() == [1.0, 2.0] and bv.dtype == np.int64 and bv.tolist() == [[3]]
    assert gv.tolist() == [3.0, 3.0]
    assert a.op.name.startswith("IdentityN")


def test_get_local_variable_is_tensorflows():
    """tf.get_local_variable (missing before): LOCAL_VARIABLES only, not trainable, under
    the scope; TF 2.15 prints the same name and collections for this graph."""
    with tf.Graph().as_default():
        with tf.variable_scope("m"):
            v = tf.get_local_variable("count", [2], initializer=tf.zeros_initializer())
        with tf.variable_scope("m", reuse=True):
            assert tf.get_local_variable("count", [2]) is v
        assert v.name == "m/count:0"
        assert tf.local_variables() == [v]
        assert tf.global_variables() == [] and tf.trainable_variables() == []
        with tf.Session() as s:
            s.run(tf.local_variables_initializer())
            assert s.run(v).tolist() == [0.0, 0.0]

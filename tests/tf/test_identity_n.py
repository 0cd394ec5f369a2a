"""``tf.identity_n``: each tensor passed through, each gradient passed back (TF's
identity_n_op_py_test, which runs in the kernel-test list too)."""
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

"""What hunkim/DeepLearningZeroToAll's TF1 labs (compat/tf_examples, ``--suite hunkim``)
found, checked against TensorFlow 2.15's output for the same programs (the fetch of a
variable updated in the same run: tests/tf/test_variable_fetch_semantics.py)."""
import numpy as np
import pytest

import ndgrad.tf as tf


def test_sparse_softmax_cross_entropy_with_classes_known_only_when_run():
    """Logits whose class count the graph does not know (TF runs them; ndgrad.tf raised):
    the same values and gradients as with the count known. TF 2.15's values for these
    logits are within one float32 ulp of these."""
    tf.reset_default_graph()
    x = np.arange(2 * 4 * 5, dtype=np.float32).reshape(8, 5) / 10
    y = np.array([0, 1, 2, 3, 4, 3, 2, 1], np.int32)
    free = tf.placeholder(tf.float32, [None, None])
    known = tf.placeholder(tf.float32, [None, 5])
    l_free = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=free)
    l_known = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=known)
    g_free, = tf.gradients(tf.reduce_sum(l_free * np.arange(8, dtype=np.float32)), [free])
    g_known, = tf.gradients(tf.reduce_sum(l_known * np.arange(8, dtype=np.float32)), [known])
    with tf.Session() as s:
        a, ga = s.run([l_free, g_free], {free: x})
        b, gb = s.run([l_known, g_known], {known: x})
        np.testing.assert_array_equal(a, b)
        np.testing.assert_array_equal(ga, gb)
        tf_values = np.float32([1.8194163, 1.7194163, 1.6194162, 1.5194163, 1.4194163,
                                1.5194165, 1.6194164, 1.7194165])
        np.testing.assert_allclose(a, tf_values, rtol=2e-7)
        with pytest.raises(Exception, match="labels|range"):
            s.run(l_free, {free: x[:, :3]})      # a label of 4 in 3 classes, as TF refuses

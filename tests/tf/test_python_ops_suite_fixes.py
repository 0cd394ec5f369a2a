"""What TensorFlow's own python/ops tests (math_ops_test, nn_test, control_flow_ops_test,
run through compat/tf_kernel_tests/run.py as ``ops/<file>``) found, pinned: errors
where TF runs, and checks TF makes that ndgrad.tf did not."""
import numpy as np
import pytest

import ndgrad.tf as tf


def test_reductions_over_an_axis_named_twice():
    # TF reduces (0, 0) and, for rank 2, (0, -2) over axis 0 once; NumPy refuses
    x = np.array([[1, 2, 3], [4, 5, 6]], np.int32)
    xf = tf.constant(x.astype(np.float32))
    with tf.Session() as s:
        for axis in ((0, 0), (0, -2)):
            assert s.run(tf.reduce_sum(x, axis=axis)).tolist() == [5, 7, 9]
            assert s.run(tf.reduce_mean(xf, axis=axis)).tolist() == [2.5, 3.5, 4.5]
            np.testing.assert_allclose(s.run(tf.reduce_logsumexp(xf, axis=axis)),
                                       np.log(np.exp(x).sum(0)), rtol=1e-6)
        for axis in ((1, 1), (1, -1)):
            assert s.run(tf.reduce_sum(x, axis=axis)).tolist() == [6, 15]
        assert s.run(tf.reduce_sum(x, axis=(-2, -1, 0, 1))) == 21
        # the mean's gradient counts each reduced axis once: 1 / 2, not 1 / 4
        g, = tf.gradients(tf.reduce_mean(xf, axis=(0, -2)), xf)
        assert s.run(g).tolist() == [[0.5] * 3] * 2
    with pytest.raises(ValueError, match="Invalid reduction dimension"):
        tf.reduce_sum(x, axis=(0, 2))


def test_dropout_checks_its_rate_as_tensorflow():
    t = tf.constant(1.0, shape=[40, 30])
    # a keep_prob out of (0, 1] gave values (-1.0: x / -1 where floor(-1 + u) ...)
    for bad in (-1.0, 1.1, [0.0, 1.0]):
        with pytest.raises(ValueError):
            tf.nn.dropout(t, bad)
    with pytest.raises(ValueError, match="rate.dtype"):
        tf.nn.dropout(t, tf.placeholder(tf.float64))
    with pytest.raises(ValueError, match="scalar"):
        tf.nn.dropout(t, tf.placeholder(tf.float32, shape=[2]))
    with pytest.raises(ValueError, match="floating point"):
        tf.nn.dropout(tf.constant([1, 1, 1]), 0.5)
    x = tf.zeros((5,))
    assert tf.nn.dropout(x, rate=0) is x


def test_dropout_noise_shape_with_none_and_a_tensor_rate():
    t = tf.constant(1.0, shape=[1200, 3])
    d = tf.nn.dropout(t, rate=0.5, noise_shape=[None, 1])   # [None, 1] means [1200, 1]
    p = tf.placeholder(tf.float32, [])
    d2 = tf.nn.dropout(t, rate=p)
    with tf.Session() as s:
        v = s.run(d)
        assert v.shape == (1200, 3) and np.all(v == v[:, :1])
        assert sorted(set(v.ravel().tolist())) == [0.0, 2.0]
        assert 0.4 < (v[:, 0] > 0).mean() < 0.6
        v2 = s.run(d2, {p: 0.25})
        assert sorted(set(v2.ravel().tolist())) == [0.0, np.float32(1 / 0.75)]
        assert s.run(d2, {p: 0.0}).tolist() == [[1.0] * 3] * 1200


def test_while_loop_with_an_empty_list_among_its_variables():
    # TF's BuildLoop: one tensor in all the loop variables gives that tensor
    i = tf.constant(0)
    r = tf.while_loop(lambda i, _: tf.less(i, 10), lambda i, _: [tf.add(i, 1), []], [i, []])
    with tf.Session() as s:
        assert s.run(r) == 10

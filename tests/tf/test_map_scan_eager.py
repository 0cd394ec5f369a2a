"""``tf.map_fn`` over nests and first dimensions known only in the run, and ``tf.scan``
/ ``foldl`` / ``foldr`` in eager mode (TF's functional_ops_test / map_fn_test cases):
before, eager scan raised AttributeError and map_fn refused tuples of tensors and
unknown first dimensions."""
import numpy as np
import pytest

import ndgrad.tf as tf


@pytest.fixture
def eager():
    tf.enable_eager_execution()
    yield
    tf.disable_eager_execution()


def test_eager_scan_and_folds(eager):
    elems = tf.constant([1, 2, 3, 4, 5, 6])
    np.testing.assert_array_equal(np.asarray(tf.scan(lambda a, x: a * x, elems)),
                                  [1, 2, 6, 24, 120, 720])
    np.testing.assert_array_equal(
        np.asarray(tf.scan(lambda a, x: a + x, elems, reverse=True)), [21, 20, 18, 15, 11, 6])
    assert int(tf.foldl(lambda a, x: (a + x) * 2, elems)) == 208
    assert int(tf.foldr(lambda a, x: (a + x) * 2, elems)) == 450
    a, b = tf.scan(lambda acc, x: (acc[0] + x, acc[1] * x),
                   tf.constant([1.0, 2.0, 3.0]), initializer=(0.0, 1.0))
    np.testing.assert_array_equal(np.asarray(a), [1.0, 3.0, 6.0])
    np.testing.assert_array_equal(np.asarray(b), [1.0, 2.0, 6.0])


def test_eager_scan_gradient(eager):
    x = tf.Variable([1.0, 2.0, 3.0])
    with tf.GradientTape() as t:
        y = tf.reduce_sum(tf.scan(lambda a, e: a * e, x))     # 1 + 2 + 6
    g = t.gradient(y, x)
    # d/dx0 (x0 + x0 x1 + x0 x1 x2) = 1 + x1 + x1 x2 = 9; d/dx1 = x0 + x0 x2 = 4; x0 x1 = 2
    np.testing.assert_allclose(np.asarray(g), [9.0, 4.0, 2.0])


def test_map_fn_nests_and_unknown_first_dimension():
    tf.reset_default_graph()
    nums = np.array([1, 2, 3, 4, 5, 6])
    r = tf.map_fn(lambda x: x[0] * x[1][0] + x[1][1], (nums, (nums, -nums)), dtype=tf.int64)
    p = tf.placeholder(tf.float32, (None, 2))
    s, d = tf.map_fn(lambda row: (tf.reduce_sum(row), row[0] - row[1]), p,
                     dtype=(tf.float32, tf.float32))
    g = tf.gradients(tf.reduce_sum(s * d), p)[0]
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(r), nums * nums - nums)
        pv = np.array([[1.0, 2.0], [3.0, 5.0], [0.5, -1.0]], np.float32)
        sv, dv, gv = sess.run([s, d, g], {p: pv})
        np.testing.assert_allclose(sv, pv.sum(1))
        np.testing.assert_allclose(dv, pv[:, 0] - pv[:, 1])
        # d/da (a + b)(a - b) = 2a, d/db = -2b
        np.testing.assert_allclose(gv, np.stack([2 * pv[:, 0], -2 * pv[:, 1]], 1))
    with pytest.raises(ValueError, match="not a scalar"):
        tf.map_fn(lambda x: x, tf.constant(1.0))

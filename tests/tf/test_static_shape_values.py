"""Static shapes from shape tensors (``tensor_util.constant_value_as_shape``, TF's partial
evaluation) and ``tf.get_static_value``: each shape below is TF 2.15's for the same graph
(printed by the same program under ``tensorflow.compat.v1``), and each run gives the
shape the static one promised."""
import numpy as np
import pytest

import ndgrad.tf as tf
from ndgrad.tf.tensor_util import constant_value_as_shape

def _cases():
    x = tf.placeholder(tf.float32, [None, 3])
    y = tf.placeholder(tf.float32, [4, 3])
    w = tf.placeholder(tf.float32, [17])
    feed = {x: np.ones((2, 3), np.float32), y: np.ones((4, 3), np.float32),
             w: np.ones(17, np.float32)}
    return feed, [
        ("random_normal of a list holding a tensor",
         lambda: tf.random_normal([tf.shape(x)[0], 5]), [None, 5]),
        ("random_normal of tf.shape", lambda: tf.random_normal(tf.shape(x)), [None, 3]),
        ("random_normal of a stack", lambda: tf.random_normal(tf.stack([tf.shape(x)[0], 5])),
         [None, 5]),
        ("random_normal of a concat", lambda: tf.random_normal(tf.concat([tf.shape(x), [7]], 0)),
         [None, 3, 7]),
        ("random_uniform of a list", lambda: tf.random_uniform([tf.shape(x)[0], 2]), [None, 2]),
        ("truncated_normal of a list", lambda: tf.truncated_normal([tf.shape(y)[0], 2]),
         [4, 2]),
        # the cookbook's fully_connected: squeeze(stack([shape(input), [n]]))
        ("random_normal of squeeze(stack)",
         lambda: tf.random_normal(tf.squeeze(tf.stack([tf.shape(w), [5]]))), [17, 5]),
        ("zeros of a list", lambda: tf.zeros([tf.shape(x)[0], 5]), [None, 5]),
        ("zeros of a stack", lambda: tf.zeros(tf.stack([tf.shape(y)[0], 5])), [4, 5]),
        ("ones of a concat", lambda: tf.ones(tf.concat([tf.shape(y), [7]], 0)), [4, 3, 7]),
        ("fill", lambda: tf.fill(tf.stack([tf.shape(y)[1], 2]), 1.5), [3, 2]),
        ("reshape with -1", lambda: tf.reshape(y, tf.stack([tf.shape(y)[0] * 3, -1])), [12, 1]),
        ("reshape of a sliced shape", lambda: tf.reshape(y, tf.concat([tf.shape(y)[:1], [3]], 0)),
         [4, 3]),
        ("shape of a shape", lambda: tf.zeros(tf.shape(tf.zeros([2, tf.shape(y)[0]]))), [2, 4]),
        # tf.contrib.seq2seq.sequence_loss's flattening of 3-d logits
        ("reshape with -1 and a dim of tf.shape",
         lambda: tf.reshape(tf.stack([x, x]), [-1, tf.shape(x)[1]]), [None, 3]),
    ]


def test_static_shapes_are_tensorflows_and_the_runs_keep_them():
    tf.reset_default_graph()
    feed, cases = _cases()
    with tf.Session() as s:
        for what, make, want in cases:
            t = make()
            assert t.shape.as_list() == want, what
            got = s.run(t, feed)
            assert tf.TensorShape(got.shape).is_compatible_with(want), what
            assert None in want or list(got.shape) == want, what


def test_get_static_value():
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [4, 3])
    v = tf.get_static_value(tf.stack([tf.shape(x)[0] * 2, 5]))
    assert v.tolist() == [8, 5] and v.dtype == np.int32
    assert tf.get_static_value(tf.placeholder(tf.float32, [None, 3])) is None
    assert tf.get_static_value(tf.shape(tf.placeholder(tf.float32, [None, 3]))) is None
    assert constant_value_as_shape(
        tf.shape(tf.placeholder(tf.float32, [None, 3]))).as_list() == [None, 3]
    assert constant_value_as_shape(tf.constant([2, -1])).as_list() == [2, None]
    # a large constant computation is not done when the graph is built
    big = tf.range(100000)
    assert tf.get_static_value(big * 2) is None


def test_a_shape_tensor_of_rank_two_is_refused_when_built():
    tf.reset_default_graph()
    y = tf.placeholder(tf.float32, [4, 3])
    with pytest.raises(ValueError, match="Shape must be rank 1 but is rank 2"):
        tf.random_normal(tf.stack([tf.shape(y), [5, 6]]))


def test_a_graph_that_reuses_tensors_is_evaluated_once_per_tensor():
    """x + x sixty times over: 2**60 paths, 61 tensors."""
    import time
    tf.reset_default_graph()
    x = tf.constant([1, 2])
    for _ in range(60):
        x = x + x
    t0 = time.perf_counter()
    v = tf.get_static_value(x)
    assert time.perf_counter() - t0 < 5
    with tf.Session() as s:
        assert v.tolist() == s.run(x).tolist()      # (int32 wraps, in the run too)
    y = tf.constant(3)
    for _ in range(20):
        y = y + y - y
    assert tf.get_static_value(y) == 3
    for _ in range(30):           # past the walk's depth (64 ops): not evaluated
        y = y + y - y
    assert tf.get_static_value(y) is None

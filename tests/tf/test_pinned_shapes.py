"""Static shapes where an unknown dimension must equal a known one of another input
(``graph.core._pinned_search``), and ``tf.eye`` of sizes known at run time. Each static
shape is TF 2.15's for the same graph (printed by the same program under
``tensorflow.compat.v1``); each run gives the shape promised, and a feed that breaks the
pin is refused when the op runs."""
import numpy as np
import pytest

import ndgrad.tf as tf


def _cases():
    x = tf.placeholder(tf.float32, (None, None))
    a = tf.placeholder(tf.float32, (None, 5))
    w = tf.zeros((784, 10))
    b = tf.zeros((2, 4))
    feed = {x: np.ones((2, 784), np.float32), a: np.ones((2, 5), np.float32)}
    return feed, [
        # an LSTM's input (a placeholder batch) beside a zero state of a fixed batch
        ("concat on axis 1", tf.concat([a, b], 1), [2, 9]),
        ("concat of a (?, ?) on axis 1", tf.concat([tf.placeholder_with_default(
            np.ones((2, 3), np.float32), (None, None)), b], 1), [2, None]),
        ("stack", tf.stack([a, tf.zeros((2, 5))]), [2, 2, 5]),
        ("tensordot of a (?, ?)", tf.tensordot(x, w, 1), [None, 10]),
        # (already inferred before the search: unchanged)
        ("add", a + tf.zeros((2, 5)), [2, 5]),
        ("where", tf.where(tf.zeros((2, 5), tf.bool), tf.zeros((2, 5)), a), [2, 5]),
        ("concat on the unknown axis", tf.concat([a, tf.zeros((3, 5))], 0), [None, 5]),
    ]


def test_pinned_dimensions_are_tensorflows_static_shapes_and_runs_keep_them():
    with tf.Graph().as_default():
        feed, cases = _cases()
        with tf.Session() as sess:
            for label, t, want in cases:
                assert t.shape.as_list() == want, label
                got = sess.run(t, feed).shape
                assert all(w is None or w == g for w, g in zip(want, got)), label


def test_a_feed_that_breaks_the_pin_is_refused_when_run():
    with tf.Graph().as_default():
        a = tf.placeholder(tf.float32, (None, 5))
        c = tf.concat([a, tf.zeros((2, 4))], 1)
        with tf.Session() as sess:
            with pytest.raises(tf.errors.InvalidArgumentError, match="concat"):
                sess.run(c, {a: np.ones((3, 5), np.float32)})


def test_a_known_mismatch_is_still_refused_when_built():
    with tf.Graph().as_default():
        a = tf.placeholder(tf.float32, (None, 5))
        with pytest.raises(ValueError, match=r"\(\?, 5\), \(2, 4\)"):
            tf.concat([a, tf.zeros((2, 4))], 0)


@pytest.mark.parametrize("rows, cols, batch", [(0, 0, []), (2, 3, []), (5, 2, [2]),
                                               (1, 1, [2, 3]), (2, None, [3])])
@pytest.mark.parametrize("dtype", [tf.int32, tf.float64, tf.complex64])
def test_eye_of_placeholders_is_numpys(rows, cols, batch, dtype):
    with tf.Graph().as_default():
        n = tf.placeholder(tf.int32, name="num_rows")
        m = None if cols is None else tf.placeholder(tf.int32, name="num_columns")
        bs = tf.placeholder(tf.int32, name="batch_shape")
        e = tf.eye(n, num_columns=m, batch_shape=bs, dtype=dtype)
        feed = {n: rows, bs: batch}
        if m is not None:
            feed[m] = cols
        want = np.tile(np.eye(rows, cols, dtype=dtype.as_numpy_dtype), batch + [1, 1])
        with tf.Session() as sess:
            got = sess.run(e, feed)
        assert got.dtype == want.dtype and got.shape == want.shape
        np.testing.assert_array_equal(got, want)


def test_eye_static_shapes_are_tensorflows():
    with tf.Graph().as_default():
        n = tf.placeholder(tf.int32)
        assert tf.eye(n, 3, batch_shape=[2]).shape.as_list() == [2, None, 3]
        assert tf.eye(tf.placeholder_with_default(2, shape=None),
                      batch_shape=(2, 3)).shape.as_list() == [2, 3, None, None]
        assert tf.eye(2, batch_shape=tf.placeholder(tf.int32, [2])).shape.as_list() == \
            [None, None, 2, 2]
        assert tf.eye(2, 3).shape.as_list() == [2, 3]


def test_eye_of_a_negative_size_is_refused_when_run():
    with tf.Graph().as_default():
        n = tf.placeholder(tf.int32)
        e = tf.eye(n)
        with tf.Session() as sess:
            with pytest.raises(tf.errors.InvalidArgumentError, match="-1 rows"):
                sess.run(e, {n: -1})


def test_a_dimension_under_a_divisibility_rule_is_not_claimed_static():
    """An op whose unknown dimension must be even: size 2 runs and 3 does not, but 4
    does, so the output dimension (n / 2) is unknown. Moving by 1 only, the search
    took the dimension as pinned to 2 and claimed a static (1,): a fed (4, 3) then ran
    with a static shape that said 1 where the value had 2 (constant folding of
    tf.shape would have used the 1)."""
    from ndgrad._ops.registry import Op, apply

    def halve(xp, x):
        if x.shape[0] % 2:
            raise ValueError("odd")
        return x[: x.shape[0] // 2]
    op = Op("test.halve_even", halve, None, nondiff="test op", save="none")  # (unregistered)
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, (None, 3))
        y = apply(op, (x,))
        assert y.shape.as_list() == [None, 3]
        with tf.Session() as s:
            assert s.run(y, {x: np.ones((4, 3), np.float32)}).shape == (2, 3)

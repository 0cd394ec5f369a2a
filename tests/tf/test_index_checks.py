"""Indices TF refuses are refused, not read NumPy's way: a negative index (which NumPy
takes from the end) or one past the end in ``tf.gather``/``embedding_lookup`` and the
``tf.scatter_*`` updates of variables, updates of the wrong shape (which NumPy would
broadcast), and a ``tf.slice`` block that starts before 0 or runs past the end (which
Python slicing cuts short). Each of these gave a silently different result (TF 2.21:
InvalidArgumentError or ValueError). ``tf.scatter_*`` also work in eager mode now."""
import numpy as np
import pytest

import ndgrad.tf as tf
from ndgrad.graph.errors import InvalidArgumentError

P = np.arange(12, dtype=np.float32).reshape(4, 3)
BAD = (ValueError, InvalidArgumentError)


def _run(t, feed=None):
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        return s.run(t, feed)


@pytest.mark.parametrize("mode", ["graph", "eager"])
@pytest.mark.parametrize("call", [
    lambda p: tf.gather(p, [-1, 0]), lambda p: tf.gather(p, [4]),
    lambda p: tf.gather(p, [-1], axis=1), lambda p: tf.nn.embedding_lookup(p, [-1]),
    lambda p: tf.gather(p, [[0, 1], [3, -2]]), lambda p: tf.slice(p, [3, 0], [2, 3]),
    lambda p: tf.slice(p, [-1, 0], [1, 3]), lambda p: tf.slice(p, [0, 0], [-2, 3])],
    ids=["gather_neg", "gather_oob", "gather_axis1_neg", "embedding_neg",
         "gather_2d_neg", "slice_past_end", "slice_neg_begin", "slice_bad_size"])
def test_bad_indices_raise(mode, call):
    if mode == "eager":
        tf.enable_eager_execution()
    with pytest.raises(BAD):
        r = call(tf.constant(P))
        if mode == "graph":
            _run(r)


def test_gather_fed_negative_index_raises_at_run_time():
    i = tf.placeholder(tf.int32, (None,))
    g = tf.gather(tf.constant(P), i)
    np.testing.assert_array_equal(_run(g, {i: [3, 0]}), P[[3, 0]])
    with pytest.raises(InvalidArgumentError, match=r"indices\[1\] = -1 is not in \[0, 4\)"):
        _run(g, {i: [0, -1]})


def test_good_slices_and_gathers_are_unchanged():
    np.testing.assert_array_equal(_run(tf.slice(tf.constant(P), [1, 1], [-1, 2])), P[1:, 1:3])
    np.testing.assert_array_equal(_run(tf.slice(tf.constant(P), [4, 0], [0, 3])), P[4:4])
    np.testing.assert_array_equal(_run(tf.gather(tf.constant(P), [[0, 1], [3, 2]])),
                                  P[[[0, 1], [3, 2]]])


# TF 2.21's numbers (tf.compat.v1 graph mode) for the scatter updates it accepts
SCATTERS = [
    ("scatter_update", [0, 2], [[9., 9.], [8., 8.]], [[9, 9], [2, 3], [8, 8]]),
    ("scatter_add", [0, 2], [[9., 9.], [8., 8.]], [[9, 10], [2, 3], [12, 13]]),
    ("scatter_update", [0, 1], 5.0, [[5, 5], [5, 5], [4, 5]]),
    ("scatter_add", [0, 1], 5.0, [[5, 6], [7, 8], [4, 5]]),
    ("scatter_update", [1, 1], [[1., 1.], [2., 2.]], [[0, 1], [2, 2], [4, 5]]),
    ("scatter_add", [1, 1], [[1., 1.], [2., 2.]], [[0, 1], [5, 6], [4, 5]]),
    ("scatter_sub", [2, 0], [[1., 1.], [2., 2.]], [[-2, -1], [2, 3], [3, 4]]),
]


@pytest.mark.parametrize("mode", ["graph", "eager"])
@pytest.mark.parametrize("kind,idx,upd,want", SCATTERS)
def test_scatter_updates_give_tensorflows_values(mode, kind, idx, upd, want):
    if mode == "eager":
        tf.enable_eager_execution()
    v = tf.Variable(np.arange(6, dtype=np.float32).reshape(3, 2))
    r = getattr(tf, kind)(v, idx, upd)
    got = np.asarray(r) if mode == "eager" else _run(r)
    np.testing.assert_array_equal(got, want)
    if mode == "eager":
        np.testing.assert_array_equal(v.numpy(), want)


@pytest.mark.parametrize("mode", ["graph", "eager"])
@pytest.mark.parametrize("idx,upd", [([-1], [[7., 7.]]), ([3], [[7., 7.]]),
                                     ([0, 1], [5., 6.])])
def test_bad_scatter_updates_raise_and_leave_the_variable(mode, idx, upd):
    if mode == "eager":
        tf.enable_eager_execution()
    v = tf.Variable(np.arange(6, dtype=np.float32).reshape(3, 2))
    if mode == "graph":
        with tf.Session() as s:
            s.run(tf.global_variables_initializer())
            with pytest.raises(BAD):
                s.run(tf.scatter_update(v, idx, upd))
            np.testing.assert_array_equal(s.run(v), np.arange(6).reshape(3, 2))
    else:
        with pytest.raises(BAD):
            tf.scatter_add(v, idx, upd)
        np.testing.assert_array_equal(v.numpy(), np.arange(6).reshape(3, 2))

"""``tf.sparse_to_dense`` (sparse_ops.py) against TensorFlow: the program below printed
this text under TF 2.15 (``tensorflow.compat.v1``): values for matrix, vector and scalar
indices, scalar and per-index values, int64 indices, bools, a repeated index without
validation (the later write wins), gradients of the values and the default, and the
errors for indices out of order, repeated or out of bounds. ndgrad.tf must print the
same. Then the second derivative (the gradient op's own rule) against finite
differences, and the one departure: a write that a later one overwrites gets a zero
gradient (it reaches no output)."""

import numpy as np
import pytest

import ndgrad.tf as tf
from tf_printed import printed

PROGRAM = 'vals = tf.constant([5.0, 7.0, 9.0])\nd = tf.constant(-1.0)\nouts = [tf.sparse_to_dense([[0, 1], [1, 2], [2, 0]], [3, 3], vals, d),\n        tf.sparse_to_dense([1, 3, 4], [6], vals, d),\n        tf.sparse_to_dense(2, [4], 3.5),\n        tf.sparse_to_dense([[0, 0], [1, 1]], [2, 2], 1, 0),\n        tf.sparse_to_dense(tf.constant([[0], [2]], tf.int64), tf.constant([4], tf.int64), [True, True], False),\n        tf.sparse_to_dense([[1], [1], [0]], [3], vals, d, validate_indices=False)]\nfor o in outs: print(o.shape, o.dtype)\nw = tf.constant(np.arange(9, dtype=np.float32).reshape(3, 3))\ng = tf.gradients(tf.reduce_sum(outs[0] * w), [vals, d])\nwith tf.Session() as s:\n    for r in s.run(outs + g):\n        print(np.asarray(r).tolist())\n    for bad in ([[1, 0], [0, 1]], [[0, 0], [0, 0]], [[0, 5]]):\n        try:\n            s.run(tf.sparse_to_dense(bad, [3, 3], 1.0)); print("no error")\n        except Exception as e:\n            print(type(e).__name__)\n'

TF_2_15_OUTPUT = "(3, 3) <dtype: 'float32'>\n(6,) <dtype: 'float32'>\n(4,) <dtype: 'float32'>\n(2, 2) <dtype: 'int32'>\n(4,) <dtype: 'bool'>\n(3,) <dtype: 'float32'>\n[[-1.0, 5.0, -1.0], [-1.0, -1.0, 7.0], [9.0, -1.0, -1.0]]\n[-1.0, 5.0, -1.0, 7.0, 9.0, -1.0]\n[0.0, 0.0, 3.5, 0.0]\n[[1, 0], [0, 1]]\n[True, False, True, False]\n[9.0, 7.0, -1.0]\n[1.0, 5.0, 6.0]\n24.0\nInvalidArgumentError\nInvalidArgumentError\nInvalidArgumentError\n"


def test_sparse_to_dense_prints_what_tensorflow_prints():
    assert printed(PROGRAM) == TF_2_15_OUTPUT


def test_error_text_is_tensorflows():
    with tf.Graph().as_default(), tf.Session() as s:
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"indices\[0\] = \[0,5\] is out of bounds: need 0 <= "
                                 r"index < \[3,3\]"):
            s.run(tf.sparse_to_dense([[0, 5]], [3, 3], 1.0))
        with pytest.raises(tf.errors.InvalidArgumentError, match="is repeated"):
            s.run(tf.sparse_to_dense([[0, 0], [0, 0]], [3, 3], 1.0))


def test_overwritten_writes_and_second_derivatives():
    rng = np.random.default_rng(1)
    w0 = rng.standard_normal(3)
    with tf.Graph().as_default():
        vals = tf.placeholder(tf.float64, [3])
        d = tf.placeholder(tf.float64, [])
        w = tf.placeholder(tf.float64, [3])
        dense = tf.sparse_to_dense([[1], [1], [0]], [3], vals, d, validate_indices=False)
        gv, gd = tf.gradients(tf.reduce_sum(dense * w), [vals, d])
        second = tf.gradients(tf.reduce_sum(gv * [1.0, 2.0, 3.0]) + gd * 4.0, w)[0]
        feed = {vals: [1.0, 2.0, 3.0], d: 0.5, w: w0}
        with tf.Session() as s:
            gvv, gdv, sec = s.run([gv, gd, second], feed)
            f = lambda ww: float(np.sum(s.run(gv, {**feed, w: ww}) * [1.0, 2.0, 3.0]) +
                                 s.run(gd, {**feed, w: ww}) * 4.0)
            fd = np.array([(f(w0 + e * 1e-6) - f(w0 - e * 1e-6)) / 2e-6 for e in np.eye(3)])
    # (vals[0] is overwritten by vals[1] at element 1)
    np.testing.assert_allclose(gvv, [0.0, w0[1], w0[0]])
    np.testing.assert_allclose(gdv, w0[2])
    np.testing.assert_allclose(sec, fd, rtol=1e-6, atol=1e-8)


def test_a_default_that_is_no_scalar_is_refused():
    """A vector default (TF's testBadDefault) was broadcast into the output silently; it
    is refused when built (TF refuses it when run), as is a shape of rank 2."""
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="default_value must be rank 0"):
            tf.sparse_to_dense([1, 3], [5], [1, 2], [0])
        with pytest.raises(ValueError, match="output_shape must be rank 1"):
            tf.sparse_to_dense([1, 3], [[5], [3]], 1, -1)
        d = tf.placeholder(tf.int32, None)
        dense = tf.sparse_to_dense([1, 3], [5], [1, 2], d)
        with tf.Session() as s:
            with pytest.raises(tf.errors.InvalidArgumentError, match="should be a scalar"):
                s.run(dense, {d: [0]})
            assert s.run(dense, {d: 7}).tolist() == [7, 1, 7, 2, 7]

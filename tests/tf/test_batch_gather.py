"""``tf.gather(batch_dims=...)`` and ``tf.batch_gather`` (array_ops.py's batched gather,
an op with its gradient rule): the program below printed this text under TF 2.15
(``tensorflow.compat.v1``): static shapes, values and a gradient. ndgrad.tf must print
the same. (``batch_dims`` raised a TypeError before.) Arguments that cannot fit are
refused when the graph is built here; TF 2.15 builds them and fails when they run."""

import numpy as np
import pytest

import ndgrad.tf as tf
from tf_printed import printed

PROGRAM = 'rng = np.random.RandomState(3)\np = tf.constant(rng.randn(2, 3, 4, 5).astype(np.float32))\nouts = [\n  tf.gather(p, [[0, 2], [1, 1]], batch_dims=1),\n  tf.gather(p, [[0, 2], [1, 1]], batch_dims=1, axis=2),\n  tf.gather(p, [[[0, 3], [1, 1], [2, 0]], [[3, 3], [0, 1], [2, 2]]], batch_dims=2),\n  tf.gather(p, [[1], [0]], batch_dims=-1, axis=3),\n  tf.batch_gather(tf.constant(rng.randn(2, 4).astype(np.float32)), [[3, 0, 0], [1, 2, 3]]),\n  tf.gather(p, [2, 0], axis=2),\n]\npp = tf.placeholder(tf.float32, (2, 3, 4, 5))\nw = tf.constant(rng.randn(2, 3, 2, 5).astype(np.float32))\ng = tf.gradients(tf.reduce_sum(tf.gather(pp, [[0, 2], [1, 1]], batch_dims=1, axis=2) * w), pp)[0]\nfor o in outs: print(o.shape)\nwith tf.Session() as s:\n    for r in s.run(outs + [g], {pp: s.run(p)}):\n        print(r.shape, np.round(r.ravel()[:4], 5).tolist(), round(float(r.sum()), 4))\n'

TF_2_15_OUTPUT = '(2, 2, 4, 5)\n(2, 3, 2, 5)\n(2, 3, 2, 5)\n(2, 3, 4, 1)\n(2, 3)\n(2, 3, 2, 5)\n(2, 2, 4, 5) [1.7886300086975098, 0.43650999665260315, 0.09650000184774399, -1.8634899854660034] -19.5716\n(2, 3, 2, 5) [1.7886300086975098, 0.43650999665260315, 0.09650000184774399, -1.8634899854660034] -0.6842\n(2, 3, 2, 5) [1.7886300086975098, 0.43650999665260315, 0.09650000184774399, -1.8634899854660034] -6.9093\n(2, 3, 4, 1) [0.43650999665260315, -0.08274000138044357, 0.8846200108528137, -0.5453600287437439] 4.5761\n(2, 3) [-1.7441099882125854, -0.6782100200653076, -0.6782100200653076, 0.28703999519348145] -2.6149\n(2, 3, 2, 5) [-1.3138600587844849, 0.8846200108528137, 0.8813199996948242, 1.709570050239563] 5.6498\n(2, 3, 4, 5) [-0.6484100222587585, -0.7374600172042847, -0.16809000074863434, 1.9092799425125122] -3.9463\n'


def test_batched_gather_prints_what_tensorflow_prints():
    assert printed(PROGRAM) == TF_2_15_OUTPUT


def test_arguments_that_cannot_fit_are_refused():
    with tf.Graph().as_default():
        p = tf.zeros([2, 3, 4])
        with pytest.raises(ValueError, match="batch dimensions"):
            tf.gather(p, [[0], [1], [2]], batch_dims=1)
        with pytest.raises(ValueError, match="less than or equal to axis"):
            tf.gather(p, [[0, 1]], batch_dims=2, axis=1)
        i = tf.placeholder(tf.int32, [2, None])
        g = tf.gather(p, i, batch_dims=1)
        with tf.Session() as s:
            with pytest.raises(tf.errors.InvalidArgumentError, match=r"= 3 is not in \[0, 3\)"):
                s.run(g, {i: [[0, 1], [2, 3]]})


def test_second_derivative_matches_finite_differences():
    """The gradient op's own rule: d/dw of <grad_p(<gather(p), w>), v>."""
    rng = np.random.default_rng(2)
    v0 = rng.standard_normal((2, 3, 4))
    w0 = rng.standard_normal((2, 2, 4))
    with tf.Graph().as_default():
        p = tf.constant(rng.standard_normal((2, 3, 4)))
        w = tf.placeholder(tf.float64, [2, 2, 4])
        gp = tf.gradients(tf.reduce_sum(tf.gather(p, [[0, 0], [2, 1]], batch_dims=1) * w),
                          p)[0]
        second = tf.gradients(tf.reduce_sum(gp * v0), w)[0]
        with tf.Session() as s:
            got = s.run(second, {w: w0})
            fd = np.zeros_like(w0)
            for k in np.ndindex(w0.shape):
                d = np.zeros_like(w0)
                d[k] = 1e-6
                fd[k] = (np.sum(s.run(gp, {w: w0 + d}) * v0) -
                         np.sum(s.run(gp, {w: w0 - d}) * v0)) / 2e-6
    np.testing.assert_allclose(got, fd, rtol=1e-6, atol=1e-8)


def test_eager_mode():
    tf.enable_eager_execution()
    try:
        x = tf.Variable([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
        with tf.GradientTape() as tape:
            y = tf.batch_gather(x, [[2, 2], [0, 1]])
            loss = tf.reduce_sum(y * [[1.0, 10.0], [100.0, 1000.0]])
        np.testing.assert_array_equal(np.asarray(y), [[3, 3], [4, 5]])
        np.testing.assert_array_equal(np.asarray(tape.gradient(loss, x)),
                                      [[0, 0, 11], [100, 1000, 0]])
    finally:
        tf.disable_eager_execution()

"""RNN cells and drivers give TensorFlow's values, names and gradients (reference values
made by TensorFlow 2.21; how: see tests/tf/reference/rnn_cases.py)."""
import json
import os
import sys

import numpy as np
import pytest

import ndgrad.tf as tf

HERE = os.path.join(os.path.dirname(__file__), "reference")
sys.path.insert(0, HERE)
import rnn_cases  # noqa: E402

with open(os.path.join(HERE, "rnn_tf.json")) as _fh:
    REF = json.load(_fh)


@pytest.mark.parametrize("case", sorted(REF))
def test_rnn_matches_tensorflow(case):
    got = rnn_cases.run_all([case])[case]
    want = REF[case]
    assert got["names"] == want["names"]
    assert len(got["vals"]) == len(want["vals"])
    for g, w in zip(got["vals"], want["vals"]):
        np.testing.assert_allclose(np.array(g), np.array(w), rtol=1e-5, atol=2e-6)


def test_sequence_length_zeroes_outputs_and_freezes_state():
    x = tf.placeholder(tf.float32, [2, None, 3])
    seq = tf.constant([3, 1])
    out, st = tf.nn.dynamic_rnn(tf.nn.rnn_cell.GRUCell(4), x, sequence_length=seq,
                                dtype=tf.float32)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        o, h = s.run([out, st], {x: np.random.RandomState(1).randn(2, 5, 3)})
    assert o.shape == (2, 5, 4)
    assert np.all(o[0, 3:] == 0) and np.all(o[1, 1:] == 0) and np.any(o[0, 2] != 0)
    np.testing.assert_array_equal(h[0], o[0, 2])
    np.testing.assert_array_equal(h[1], o[1, 0])


def test_dynamic_rnn_unknown_time_trains():
    x = tf.placeholder(tf.float32, [None, None, 2])
    y = tf.placeholder(tf.float32, [None, 1])
    out, st = tf.nn.dynamic_rnn(tf.contrib.rnn.BasicLSTMCell(4), x, dtype=tf.float32)
    pred = tf.layers.dense(st.h, 1)
    loss = tf.reduce_mean((pred - y) ** 2)
    train = tf.train.AdamOptimizer(0.05).minimize(loss)
    rng = np.random.RandomState(0)
    xv = rng.randn(16, 6, 2).astype(np.float32)
    yv = xv[:, :, :1].sum(1)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        first = s.run(loss, {x: xv, y: yv})
        for _ in range(60):
            s.run(train, {x: xv, y: yv})
        last = s.run(loss, {x: xv, y: yv})
        # a different number of time steps through the same graph
        assert s.run(out, {x: xv[:, :3]}).shape == (16, 3, 4)
    assert last < 0.3 * first


def test_dropout_wrapper_keep_prob_placeholder():
    kp = tf.placeholder_with_default(1.0, [])
    cell = tf.nn.rnn_cell.DropoutWrapper(tf.nn.rnn_cell.BasicLSTMCell(3),
                                         output_keep_prob=kp)
    x = tf.ones([2, 4, 3])
    out, _ = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)
    names = [v.name for v in tf.trainable_variables()]
    assert names == ["rnn/basic_lstm_cell/kernel:0", "rnn/basic_lstm_cell/bias:0"]
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        full = s.run(out)
        dropped = s.run(out, {kp: 0.5})
    assert np.all((dropped == 0) | np.isclose(dropped, 2 * full))
    assert np.any(dropped == 0)
    with pytest.raises(ValueError, match="output_keep_prob"):
        tf.nn.rnn_cell.DropoutWrapper(tf.nn.rnn_cell.GRUCell(2), output_keep_prob=1.5)


def test_while_loop_gradient_matches_finite_differences():
    n = tf.placeholder(tf.int32, [])
    w = tf.Variable(np.array([[0.5, -0.2], [0.1, 0.3]], np.float32))
    h0 = tf.placeholder(tf.float32, [None, 2])
    _, h = tf.while_loop(lambda t, h: t < n,
                         lambda t, h: (t + 1, tf.tanh(tf.matmul(h, w))),
                         [tf.constant(0), h0])
    loss = tf.reduce_sum(h ** 2)
    gw, gh = tf.gradients(loss, [w, h0])
    hv = np.array([[1., 2.], [0.3, -1]], np.float32)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        lv, gwv, ghv = s.run([loss, gw, gh], {n: 3, h0: hv})
        wv = s.run(w).astype(np.float64)

    def f(wm, hm):
        for _ in range(3):
            hm = np.tanh(hm @ wm)
        return (hm ** 2).sum()
    eps = 1e-6
    num_w = np.zeros((2, 2))
    num_h = np.zeros((2, 2))
    for i in range(2):
        for j in range(2):
            d = np.zeros((2, 2))
            d[i, j] = eps
            num_w[i, j] = (f(wv + d, hv) - f(wv - d, hv)) / (2 * eps)
            num_h[i, j] = (f(wv, hv + d) - f(wv, hv - d)) / (2 * eps)
    np.testing.assert_allclose(lv, f(wv, hv.astype(np.float64)), rtol=1e-5)
    np.testing.assert_allclose(gwv, num_w, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(ghv, num_h, rtol=1e-4, atol=1e-6)


def test_while_loop_random_draws_in_body_get_their_own_gradient():
    # each iteration draws its own mask; the gradient uses the forward's draws
    x = tf.Variable(np.ones(50, np.float32))
    _, y = tf.while_loop(lambda i, y: i < 2,
                         lambda i, y: (i + 1, y * tf.floor(tf.random_uniform([50]) + 0.5)),
                         [0, tf.identity(x)])
    g = tf.gradients(tf.reduce_sum(y), x)[0]
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        yv, gv = s.run([y, g])
    np.testing.assert_array_equal(yv, gv)     # d(x*m1*m2)/dx = m1*m2 = y at x = 1
    assert 0 < yv.sum() < 50

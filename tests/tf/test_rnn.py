"""RNN cells against NumPy implementations of TF's equations (gate order i, j, f, o;
forget_bias added to f), and gradients through the unrolled recurrence."""
import numpy as np
import pytest

import ndgrad.tf as tf


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def test_lstm_dynamic_rnn_matches_numpy():
    rng = np.random.RandomState(0)
    xv = rng.randn(2, 4, 3).astype(np.float32)
    x = tf.placeholder(tf.float32, [None, 4, 3])
    cell = tf.nn.rnn_cell.BasicLSTMCell(5)
    out, state = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)
    assert out.get_shape().as_list() == [None, 4, 5]
    names = [v.name for v in tf.trainable_variables()]
    assert names == ["rnn/basic_lstm_cell/kernel:0", "rnn/basic_lstm_cell/bias:0"]
    (gk,) = tf.gradients(tf.reduce_sum(out), [tf.trainable_variables()[0]])
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        k, b = s.run(tf.trainable_variables())
        o, st, g = s.run([out, state, gk], {x: xv})
    c = np.zeros((2, 5))
    h = np.zeros((2, 5))
    outs = []
    for t in range(4):
        z = np.concatenate([xv[:, t], h], 1) @ k + b
        i, j, f, o_ = np.split(z, 4, axis=1)
        c = c * sigmoid(f + 1.0) + sigmoid(i) * np.tanh(j)
        h = np.tanh(c) * sigmoid(o_)
        outs.append(h)
    np.testing.assert_allclose(o, np.stack(outs, 1), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(st.c, c, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(st.h, h, rtol=1e-5, atol=1e-5)
    assert g.shape == (8, 20) and np.abs(g).sum() > 0


def test_static_rnn_multi_cell_trains():
    tf.set_random_seed(0)
    rng = np.random.RandomState(1)
    xv = rng.randn(8, 3, 2).astype(np.float32)
    yv = xv.sum(axis=(1, 2))[:, None].astype(np.float32)
    x = tf.placeholder(tf.float32, [None, 3, 2])
    y = tf.placeholder(tf.float32, [None, 1])
    cell = tf.contrib.rnn.MultiRNNCell([tf.contrib.rnn.GRUCell(4),
                                        tf.nn.rnn_cell.BasicRNNCell(4)])
    outs, _ = tf.nn.static_rnn(cell, tf.unstack(x, axis=1), dtype=tf.float32)
    pred = tf.layers.dense(outs[-1], 1)
    loss = tf.reduce_mean(tf.square(pred - y))
    train = tf.train.AdamOptimizer(0.05).minimize(loss)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        first = s.run(loss, {x: xv, y: yv})
        for _ in range(30):
            s.run(train, {x: xv, y: yv})
        assert s.run(loss, {x: xv, y: yv}) < first


def test_static_rnn_with_sequence_length_in_both_modes(mode):
    """TF's rnn_cell_test (testDynamicRNNWithTupleStates) runs static_rnn with a Python
    list as sequence_length in eager mode too (it raised AttributeError there): outputs
    past each row's length are zeros and equal dynamic_rnn's, in graph and eager mode."""
    rng = np.random.default_rng(3)
    xs = rng.standard_normal((8, 2, 5)).astype(np.float32)
    with tf.variable_scope("seq_len_" + str(mode)):
        cell = tf.nn.rnn_cell.LSTMCell(3, use_peepholes=True, num_proj=4,
                                       initializer=tf.constant_initializer(0.1))
        outs, _ = tf.nn.static_rnn(cell, [tf.constant(x) for x in xs], dtype=tf.float32,
                                   sequence_length=[4, 6])
        dyn, _ = tf.nn.dynamic_rnn(cell, tf.constant(xs), dtype=tf.float32,
                                   sequence_length=[4, 6], time_major=True)
        if mode == "graph":
            with tf.Session() as s:
                s.run(tf.global_variables_initializer())
                outs, dyn = s.run([outs, dyn])
        static = np.stack([np.asarray(o) for o in outs])
    dyn = np.asarray(dyn)
    assert static.shape == (8, 2, 4)
    np.testing.assert_array_equal(static[4:, 0], 0)
    np.testing.assert_array_equal(static[6:, 1], 0)
    assert np.abs(static[:4, 0]).min() > 0
    np.testing.assert_allclose(static, dyn, rtol=1e-6, atol=1e-7)


def test_gru_cell_initializers_and_variables_are_tensorflows():
    """GRUCell's kernel_initializer / bias_initializer (a TypeError before) and a cell's
    variables: the output is TF 2.15's for the same program (printed under
    tensorflow.compat.v1), the names TF's Layer.variables."""
    with tf.Graph().as_default():
        x = tf.constant(np.array([[1., 0.5, -1.]]), tf.float32)
        m = tf.constant(np.array([[0.1, -0.2, 0.3]]), tf.float32)
        cell = tf.nn.rnn_cell.GRUCell(3, kernel_initializer=tf.constant_initializer(0.5),
                                      bias_initializer=tf.constant_initializer(0.25))
        assert cell.variables == []
        g, _ = cell(x, m)
        wrapped = tf.nn.rnn_cell.DropoutWrapper(cell)
        with tf.Session() as s:
            s.run(tf.global_variables_initializer())
            np.testing.assert_allclose(s.run(g), [[0.2457618, 0.0520649, 0.3748931]],
                                       rtol=2e-6)
        names = ['gru_cell/gates/kernel:0', 'gru_cell/gates/bias:0',
                 'gru_cell/candidate/kernel:0', 'gru_cell/candidate/bias:0']
        assert [v.name for v in cell.variables] == names
        assert [v.name for v in cell.trainable_variables] == names
        assert cell.non_trainable_variables == []
        assert wrapped.wrapped_cell is cell and wrapped.variables == cell.variables


def test_cell_variables_made_untrainable_by_a_custom_getter(mode):
    """TF's rnn_cell_test testBasicRNNCellNotTrainable, in both modes."""
    def not_trainable(getter, *args, **kwargs):
        kwargs["trainable"] = False
        return getter(*args, **kwargs)
    with tf.variable_scope("nt_" + str(mode), initializer=tf.constant_initializer(0.5),
                           custom_getter=not_trainable):
        cell = tf.nn.rnn_cell.BasicRNNCell(2)
        cell(tf.zeros([1, 2]), tf.zeros([1, 2]))
    assert cell.trainable_variables == []
    assert [v.name for v in cell.non_trainable_variables] == [
        f"nt_{mode}/basic_rnn_cell/kernel:0", f"nt_{mode}/basic_rnn_cell/bias:0"]


def test_multi_rnn_cell_refuses_a_state_of_fewer_cells():
    """A state tuple shorter than the stack ran only the first cells (zip stopped at the
    state's end): the output was the second of three cells', silently. TF raises
    (IndexError); a longer tuple runs every cell, as TF's, and a tensor is refused with
    TF's message."""
    with tf.Graph().as_default():
        cells = [tf.nn.rnn_cell.GRUCell(2) for _ in range(3)]
        stack = tf.nn.rnn_cell.MultiRNNCell(cells)
        x, z = tf.ones([1, 2]), tf.zeros([1, 2])
        with pytest.raises(ValueError, match="length 3 .* length 2"):
            stack(x, (z, z))
        with pytest.raises(ValueError, match="Expected state to be a tuple of length 3"):
            stack(x, z)
        out, state = stack(x, (z, z, z, z))
        assert len(state) == 3


def test_a_cell_whose_first_call_failed_builds_on_the_next():
    """A first call that fails (a state of the wrong structure) leaves the cell unbuilt:
    the next call makes its variables under the same scope (it asked to reuse variables
    that did not exist, a ValueError)."""
    with tf.Graph().as_default():
        stack = tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.GRUCell(2) for _ in range(2)])
        x, z = tf.ones([1, 2]), tf.zeros([1, 2])
        with pytest.raises(ValueError):
            stack(x, (z,))
        out, _ = stack(x, (z, z))
        assert [v.name for v in tf.trainable_variables()][0] == \
            "multi_rnn_cell/cell_0/gru_cell/gates/kernel:0"
        with tf.Session() as s:
            s.run(tf.global_variables_initializer())
            assert s.run(out).shape == (1, 2)

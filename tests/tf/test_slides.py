"""The seed course's TensorFlow slides, verbatim, with ``import ndgrad.tf as tf``."""
import numpy as np

import ndgrad.tf as tf


def test_repeat_in_tensorflow():
    tf.InteractiveSession()
    a = tf.zeros((2, 2)); b = tf.ones((2, 2))
    out = tf.reduce_sum(b, reduction_indices=1).eval()
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out, np.array([2., 2.], dtype=np.float32))
    assert repr(a.get_shape()) == "TensorShape([Dimension(2), Dimension(2)])"
    assert a.get_shape() == (2, 2)
    r = tf.reshape(a, (1, 4)).eval()
    assert r.dtype == np.float32 and r.shape == (1, 4) and not r.any()
    assert repr(r) == "array([[0., 0., 0., 0.]], dtype=float32)"


def test_dictionary_rows():
    sess = tf.InteractiveSession()
    a = tf.zeros((2, 2)); b = tf.ones((2, 2))
    np.testing.assert_array_equal(tf.reduce_sum(a, reduction_indices=[1]).eval(), [0., 0.])
    np.testing.assert_array_equal((b * 5 + 1).eval(), np.full((2, 2), 6., np.float32))
    np.testing.assert_array_equal(tf.matmul(a, b).eval(), np.zeros((2, 2)))
    c = tf.constant([[1., 2.], [3., 4.]])
    assert c[0, 0].eval() == 1.0
    np.testing.assert_array_equal(c[:, 0].eval(), [1., 3.])
    np.testing.assert_array_equal(c[0, :].eval(), [1., 2.])
    sess.close()


def test_explicit_evaluation_prints():
    a = np.zeros((2, 2))
    ta = tf.zeros((2, 2))
    assert str(ta) == 'Tensor("zeros:0", shape=(2, 2), dtype=float32)'
    ta = tf.zeros((2, 2))
    assert str(ta) == 'Tensor("zeros_1:0", shape=(2, 2), dtype=float32)'
    with tf.Session():
        assert str(ta.eval()) == str(np.zeros((2, 2), np.float32)) == str(a)


def test_session_object():
    a = tf.constant(5.0)
    b = tf.constant(6.0)
    c = a * b
    with tf.Session() as sess:
        v = sess.run(c)
        assert v == 30.0 and type(v) is np.float32
        assert str(v) == "30.0"
        assert c.eval() == 30.0


def test_variables_1_and_2():
    W1 = tf.ones((2, 2))
    W2 = tf.Variable(tf.zeros((2, 2)), name="weights")
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(W1), np.ones((2, 2)))
        sess.run(tf.initialize_all_variables())
        np.testing.assert_array_equal(sess.run(W2), np.zeros((2, 2)))
    assert W2.name == "weights:0"
    W = tf.Variable(tf.zeros((2, 2)), name="weights")
    R = tf.Variable(tf.random_normal((2, 2)), name="random_weights")
    assert W.name == "weights_1:0"
    with tf.Session() as sess:
        sess.run(tf.initialize_all_variables())
        np.testing.assert_array_equal(sess.run(W), np.zeros((2, 2)))
        r = sess.run(R)
        assert r.shape == (2, 2) and r.dtype == np.float32
        np.testing.assert_array_equal(sess.run(R), r)   # a variable keeps its value


def test_updating_variable_state():
    state = tf.Variable(0, name="counter")
    new_value = tf.add(state, tf.constant(1))
    update = tf.assign(state, new_value)
    seen = []
    with tf.Session() as sess:
        sess.run(tf.initialize_all_variables())
        seen.append(sess.run(state))
        for _ in range(3):
            sess.run(update)
            seen.append(sess.run(state))
    assert seen == [0, 1, 2, 3]
    assert all(type(s) is np.int32 for s in seen)


def test_fetching_variable_state():
    input1 = tf.constant(3.0)
    input2 = tf.constant(2.0)
    input3 = tf.constant(5.0)
    intermed = tf.add(input2, input3)
    mul = tf.mul(input1, intermed)
    with tf.Session() as sess:
        result = sess.run([mul, intermed])
    assert result == [21.0, 7.0]
    assert [type(r) for r in result] == [np.float32, np.float32]


def test_inputting_data():
    a = np.zeros((3, 3))
    ta = tf.convert_to_tensor(a)
    assert ta.dtype == tf.float64
    with tf.Session() as sess:
        out = sess.run(ta)
    np.testing.assert_array_equal(out, a)
    assert out.dtype == np.float64


def test_placeholders_and_feed_dictionaries():
    input1 = tf.placeholder(tf.float32)
    input2 = tf.placeholder(tf.float32)
    output = tf.mul(input1, input2)
    with tf.Session() as sess:
        out = sess.run([output], feed_dict={input1: [7.], input2: [2.]})
    assert repr(out) == "[array([14.], dtype=float32)]"


def test_variable_scope_names():
    with tf.variable_scope("foo"):
        with tf.variable_scope("bar"):
            v = tf.get_variable("v", [1])
    assert v.name == "foo/bar/v:0"


def test_variable_scope_reuse_variables():
    with tf.variable_scope("foo"):
        v = tf.get_variable("v", [1])
        tf.get_variable_scope().reuse_variables()
        v1 = tf.get_variable("v", [1])
    assert v1 == v


def test_get_variable_cases():
    with tf.variable_scope("foo"):
        v = tf.get_variable("v", [1])
    assert v.name == "foo/v:0"
    with tf.variable_scope("foo", reuse=True):
        v1 = tf.get_variable("v", [1])
    assert v1 == v


def test_linear_regression_slides():
    tf.set_random_seed(2)          # (not on the slide) a reproducible initial W
    X_data = np.arange(100, step=.1)
    y_data = X_data + 20 * np.sin(X_data / 10)
    n_samples = 1000
    batch_size = 100
    X_data = np.reshape(X_data, (n_samples, 1))
    y_data = np.reshape(y_data, (n_samples, 1))
    X = tf.placeholder(tf.float32, shape=(batch_size, 1))
    y = tf.placeholder(tf.float32, shape=(batch_size, 1))
    with tf.variable_scope("linear-regression"):
        W = tf.get_variable("weights", (1, 1),
                            initializer=tf.random_normal_initializer())
        b = tf.get_variable("bias", (1,),
                            initializer=tf.constant_initializer(0.0))
        y_pred = tf.matmul(X, W) + b
        loss = tf.reduce_sum((y - y_pred)**2/n_samples)
    assert W.name == "linear-regression/weights:0" and b.name == "linear-regression/bias:0"
    assert y_pred.name == "linear-regression/add:0"
    opt_operation = tf.train.AdamOptimizer().minimize(loss)
    rng = np.random.RandomState(0)
    with tf.Session() as sess:
        sess.run(tf.initialize_all_variables())
        w_start = sess.run(W)
        losses = []
        for _ in range(500):
            indices = rng.choice(n_samples, batch_size)
            X_batch, y_batch = X_data[indices], y_data[indices]
            _, loss_val = sess.run([opt_operation, loss],
                                   feed_dict={X: X_batch, y: y_batch})
            losses.append(loss_val)
        w_end = sess.run(W)
    assert all(type(v) is np.float32 for v in losses)
    assert w_end.shape == (1, 1) and np.isfinite(w_end).all()
    # Adam (lr 0.001) moves W toward the least-squares slope (about 0.97) by about
    # 0.001 a step, and the loss goes down
    slope = np.polyfit(X_data[:, 0], y_data[:, 0], 1)[0]
    assert abs(w_end[0, 0] - slope) < abs(w_start[0, 0] - slope) - 0.2
    assert np.mean(losses[-50:]) < np.mean(losses[:50])

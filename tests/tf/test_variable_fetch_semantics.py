"""What a run gives for a variable it also updates, as TF 1's (ref) variables: a
variable fetched itself shows its value after the run (``sess.run([train, W])`` prints
the trained W; hunkim/DeepLearningZeroToAll's labs print W this way), while the ops
inside the run read the values from before it. The numbers are TF 2.15's with
``tf.compat.v1`` ref variables for the same programs."""
import numpy as np

import ndgrad.tf as tf


def test_a_fetched_variable_is_its_value_after_the_run():
    tf.reset_default_graph()
    W = tf.Variable(5.0)
    cost = tf.reduce_mean(tf.square(W * [1., 2., 3.] - [1., 2., 3.]))
    train = tf.train.GradientDescentOptimizer(0.1).minimize(cost)
    inc = W.assign(W + 1.0)
    got = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(3):
            c, _, w = sess.run([cost, train, W])
            assert w == sess.run(W)
            got.append((c, w))
        both = sess.run([inc, W])
    # TF 2.15, ref variables: the cost from before each step, W after it
    np.testing.assert_array_equal([w for _, w in got],
                                  np.float32([1.2666664, 1.0177778, 1.0011852]))
    assert got[0][0] == np.float32(74.666664)
    assert both == [np.float32(2.0011852), np.float32(2.0011852)]


def test_ops_inside_the_run_read_the_values_from_before_it():
    """A hand-written backprop step (lab-10-X1): one run of two assignments, where w1's
    gradient reads w2, which the same run assigns: w2 as it was (TF's ref variables give
    the same; its resource variables read the new w2)."""
    tf.reset_default_graph()
    rs = np.random.RandomState(0)
    xs = rs.rand(4, 3)
    ys = np.eye(2)[[0, 1, 1, 0]]
    w1_0, w2_0 = rs.randn(3, 5), rs.randn(5, 2)
    X = tf.placeholder(tf.float64, [None, 3])
    Y = tf.placeholder(tf.float64, [None, 2])
    w1, w2 = tf.Variable(w1_0), tf.Variable(w2_0)
    a1 = tf.sigmoid(tf.matmul(X, w1))
    y_pred = tf.sigmoid(tf.matmul(a1, w2))
    d_l2 = (y_pred - Y) * y_pred * (1 - y_pred)
    d_w2 = tf.matmul(tf.transpose(a1), d_l2)
    d_w1 = tf.matmul(tf.transpose(X), tf.matmul(d_l2, tf.transpose(w2)) * a1 * (1 - a1))
    step = [tf.assign(w1, w1 - 0.5 * d_w1), tf.assign(w2, w2 - 0.5 * d_w2)]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        new_w1, new_w2, w1_fetched = sess.run(step + [w1], {X: xs, Y: ys})

    def sig(z):
        return 1 / (1 + np.exp(-z))
    a = sig(xs @ w1_0)
    yp = sig(a @ w2_0)
    d2 = (yp - ys) * yp * (1 - yp)
    want_w1 = w1_0 - 0.5 * xs.T @ ((d2 @ w2_0.T) * a * (1 - a))
    np.testing.assert_allclose(new_w1, want_w1, rtol=1e-12)
    np.testing.assert_allclose(new_w2, w2_0 - 0.5 * a.T @ d2, rtol=1e-12)
    np.testing.assert_array_equal(np.round(new_w1[0], 6),
                                  [0.747555, 0.105284, 0.450767, 0.341798, 1.483746])
    np.testing.assert_array_equal(w1_fetched, new_w1)


def test_a_read_of_the_variable_is_the_value_from_before_the_run():
    tf.reset_default_graph()
    W = tf.Variable(1.0)
    read = W + 0.0
    up = tf.assign_add(W, 2.0)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run([read, up, W]) == [1.0, 3.0, 3.0]
        fetched = sess.run(W)
        sess.run(up)
        assert fetched == 3.0 and sess.run(W) == 5.0



def test_a_fetched_assignment_is_its_variables_value_after_the_run():
    """An assignment's output is its ref of the variable (TF 1's ``output_ref``): fetched
    with a later write to that variable in the same run, it shows the final value (TF
    2.15's ref variables print the same four lines)."""
    tf.reset_default_graph()
    W = tf.Variable(1.0)
    a1 = W.assign(W + 1.0)
    V = tf.Variable([1.0, 2.0, 3.0])
    sc = tf.scatter_update(V, [0], [7.0])
    with tf.control_dependencies([sc]):
        up = tf.assign_add(V, [1.0, 1.0, 1.0])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run([a1, W]) == [2.0, 2.0]
        assert [v.tolist() for v in sess.run([sc, V])] == [[7.0, 2.0, 3.0]] * 2
        assert [v.tolist() for v in sess.run([sc, up])] == [[8.0, 3.0, 4.0]] * 2

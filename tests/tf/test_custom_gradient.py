"""tf.custom_gradient in graph and eager mode; expected values printed by TF 2.15 for the
same programs (tf.compat.v1, ref variables in graph mode)."""
import numpy as np
import pytest

import ndgrad.tf as tf


@tf.custom_gradient
def clip_gradient(x):
    def grad(dy):
        return tf.clip_by_value(dy, -0.5, 0.5)
    return tf.identity(x), grad


@tf.custom_gradient
def log1pexp(x):
    e = tf.exp(x)

    def grad(dy):
        return dy * (1 - 1 / (1 + e))
    return tf.log(1 + e), grad


@tf.custom_gradient
def reverse(x):
    return tf.identity(x), lambda dy: -dy


@tf.custom_gradient
def two(a, b):
    def grad(dy0, dy1):
        return dy0 * 2.0 + dy1, None
    return [a * b, a + b], grad


def test_graph_mode_gradients_come_from_grad_fn_only():
    x = tf.constant([1.0, 2.0, 100.0])
    y = tf.constant([3.0, 4.0, 5.0])
    z = two(x, y)
    outs = [tf.gradients(tf.reduce_sum(clip_gradient(x) * [3.0, 0.25, -1.0]), x),
            tf.gradients(tf.reduce_sum(log1pexp(x)), x),
            tf.gradients(tf.reduce_sum(reverse(x) * y), [x, y]),
            tf.gradients(tf.reduce_sum(tf.square(clip_gradient(x))), x)]
    g2 = tf.gradients(tf.reduce_sum(z[0] * 3.0 + z[1]), [x, y])
    assert g2[1] is None     # grad_fn's None: no gradient through the ops f used
    with tf.Session() as s:
        got = [s.run(o) for o in outs]
        assert s.run(g2[0]).tolist() == [7.0, 7.0, 7.0]
        assert s.run(log1pexp(x))[2] == np.inf   # the value, the gradient is finite
    assert got[0][0].tolist() == [0.5, 0.25, -0.5]
    np.testing.assert_allclose(got[1][0], [0.7310585975646973, 0.8807970881462097, 1.0],
                               rtol=1e-6)
    assert [g.tolist() for g in got[2]] == [[-3.0, -4.0, -5.0], [1.0, 2.0, 100.0]]
    assert got[3][0].tolist() == [0.5, 0.5, 0.5]


def test_graph_mode_variables_go_to_grad_fn():
    x = tf.constant([1.0, 2.0, 100.0])
    w = tf.Variable([0.5, 1.5, 2.5])

    @tf.custom_gradient
    def with_var(x):
        def grad(dy, variables=None):
            assert variables == [w]
            return dy * 10.0, [dy * 100.0]
        return x * w, grad

    @tf.custom_gradient
    def forgets_variables(x):
        return x * w, lambda dy: dy

    gx, gw = tf.gradients(tf.reduce_sum(with_var(x)), [x, w])
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        assert s.run(gx).tolist() == [10.0] * 3
        assert s.run(gw).tolist() == [100.0] * 3
    with pytest.raises(TypeError, match="keyword argument 'variables'"):
        forgets_variables(x)


def test_wrong_number_of_gradients_is_an_error():
    @tf.custom_gradient
    def f(a, b):
        return a * b, lambda dy: dy
    a, b = tf.constant(1.0), tf.constant(2.0)
    with pytest.raises(ValueError, match="expected to return 2 gradients"):
        tf.gradients(f(a, b), [a, b])


def test_eager_mode():
    tf.enable_eager_execution()
    try:
        x = tf.constant([1.0, 2.0, 100.0])
        with tf.GradientTape(persistent=True) as t:
            t.watch(x)
            a = tf.reduce_sum(clip_gradient(x) * [3.0, 0.25, -1.0])
            b = tf.reduce_sum(log1pexp(x))
            c = tf.reduce_sum(tf.square(clip_gradient(x * x)))
        assert np.asarray(t.gradient(a, x)).tolist() == [0.5, 0.25, -0.5]
        np.testing.assert_allclose(t.gradient(b, x), [0.7310585975646973,
                                                      0.8807970881462097, 1.0], rtol=1e-6)
        assert np.asarray(t.gradient(c, x)).tolist() == [1.0, 2.0, 100.0]
        assert np.asarray(reverse(x)).tolist() == [1.0, 2.0, 100.0]   # unrecorded: f's value
    finally:
        tf.disable_eager_execution()


def test_eager_custom_gradient_with_several_outputs():
    # refused with a TypeError before; TensorFlow 2.15.1 gives [5, 8, -1] and x
    @tf.custom_gradient
    def two_out(x):
        def grad(da, db):
            return da * 2.0 + db * 3.0
        return (x * 1.0, x * 1.0), grad

    @tf.custom_gradient
    def shaped(x):
        def grad(da, db):
            return da * 10.0 + tf.reduce_sum(db) * tf.ones_like(x)
        return [x * 2.0, tf.reshape(x, [1, 3]) * 3.0], grad

    tf.enable_eager_execution()
    try:
        x = tf.constant([0.5, -2.0, 3.0], tf.float64)
        y = tf.constant([1.0, 2.0, -1.0], tf.float64)
        with tf.GradientTape(persistent=True) as t:
            t.watch(x)
            t.watch(y)
            a, b = two_out(x)
            loss = tf.reduce_sum(a + b * y)
            p, q = shaped(x)
            only_p = tf.reduce_sum(p)
        assert isinstance(shaped(x), list) and q.shape == (1, 3)
        np.testing.assert_array_equal(p.numpy(), [1.0, -4.0, 6.0])
        gx, gy = t.gradient(loss, [x, y])
        np.testing.assert_array_equal(gx.numpy(), [5.0, 8.0, -1.0])
        np.testing.assert_array_equal(gy.numpy(), [0.5, -2.0, 3.0])
        # an output the loss does not use sends zeros to grad_fn
        np.testing.assert_array_equal(t.gradient(only_p, x).numpy(), [10.0, 10.0, 10.0])
    finally:
        tf.disable_eager_execution()

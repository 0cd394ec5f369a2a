"""Gradients through tf.while_loop (and the loops of tf.scan / tf.foldl / nested loops)
where the body uses a tensor from outside together with something computed from it: the
body's gradient took each such input's total derivative, and the chain rule outside the
loop added the path through the derived tensor once more (dc/dw counted twice). Found by
a differential fuzz against TF 2.15 (TF's numbers equal the central differences used
here)."""
import numpy as np
import pytest

import ndgrad.tf as tf


@pytest.fixture(autouse=True)
def _graph():
    with tf.Graph().as_default():
        yield


def _check(loss, xs, feeds, h=1e-6, rtol=1e-7):
    """tf.gradients of scalar ``loss`` w.r.t. placeholders ``xs`` at ``feeds`` against
    central differences of the same session's values."""
    grads = tf.gradients(loss, xs)
    with tf.Session() as s:
        got = s.run(grads, feeds)
        for x, g in zip(xs, got):
            base = np.asarray(feeds[x], dtype=np.float64)
            want = np.zeros(base.shape)
            for idx in np.ndindex(base.shape):
                for sgn in (1, -1):
                    f = dict(feeds)
                    v = base.copy()
                    v[idx] += sgn * h
                    f[x] = v
                    want[idx] += sgn * s.run(loss, f) / (2 * h)
            np.testing.assert_allclose(g, want, rtol=rtol, atol=1e-7, err_msg=x.name)
    return got


def test_a_captured_tensor_and_one_derived_from_it():
    # a = w^2 + w after one step: da/dw = 2w + 1 = 2.0 at w = 0.5 (ndgrad gave 3.0)
    w = tf.placeholder(tf.float64, [])
    c = w * w
    _, a = tf.while_loop(lambda i, a: i < 1, lambda i, a: (i + 1, a * c + w),
                         [0, tf.constant(1., tf.float64)])
    g, = _check(a, [w], {w: 0.5})
    assert g == 2.0


def test_derived_in_the_body_cond_in_while_and_nested_loops():
    x = tf.placeholder(tf.float64, [2])
    w = tf.placeholder(tf.float64, [])
    c = tf.exp(w)

    def body(i, a):
        b = tf.cond(tf.equal(i % 2, 0), lambda: a * c,
                    lambda: a + w + tf.reduce_sum(x) + tf.sin(w) * 0.5)
        return i + 1, b
    _, a = tf.while_loop(lambda i, a: i < 4, body, [0, x])
    _check(tf.reduce_sum(a * a), [x, w], {x: [0.5, 2.0], w: 0.3})

    y = tf.placeholder(tf.float64, [])

    def outer(i, a):
        _, b = tf.while_loop(lambda j, b: j < 2, lambda j, b: (j + 1, b * tf.sin(a) + a),
                             [0, y])
        return i + 1, b
    _, a2 = tf.while_loop(lambda i, a: i < 2, outer, [0, y])
    _check(a2, [y], {y: 0.8})


def test_scan_and_fold_of_a_placeholder():
    x = tf.placeholder(tf.float64, [3])
    w = tf.placeholder(tf.float64, [])
    s = tf.scan(lambda acc, e: acc * tf.tanh(e) + w * e, x, initializer=tf.constant(
        0.5, tf.float64))
    f = tf.foldl(lambda acc, e: acc * e + tf.exp(w), x * w)
    _check(tf.reduce_sum(s * s) + f, [x, w], {x: [0.3, -1.2, 0.8], w: 0.7})
    # elements computed from x, and x itself in the function (TF's gx [0.635, 1.015]
    # in the fuzz's program; ndgrad gave [0.134, 0.636])
    y = tf.placeholder(tf.float64, [2])
    el = tf.stack([y, tf.cos(y * tf.tanh(y)), tf.square(tf.tanh(tf.cos(y))) * w])
    r = tf.scan(lambda a, e: tf.cos(tf.cos(w) - y * e) + 0.5 * a, el,
                initializer=tf.sin(tf.square(tf.tanh(y))) * tf.tanh(w))
    _check(tf.reduce_sum(r * 1.5), [y, w], {y: [-0.609, -0.866], w: -0.62})


def test_a_variable_and_a_tensor_derived_from_it():
    v = tf.Variable([1.0, 2.0], dtype=tf.float64)
    x = tf.placeholder(tf.float64, [2])
    d = tf.exp(v)
    _, a = tf.while_loop(lambda i, a: i < 2, lambda i, a: (i + 1, a * d + v), [0, x])
    gv, gx = tf.gradients(tf.reduce_sum(a), [v, x])
    with tf.Session() as s:
        s.run(v.initializer)
        gvv, gxv = s.run([gv, gx], {x: [0.5, 0.25]})
    # a2 = (x d + v) d + v = x d^2 + v d + v with d = exp(v): da2/dv = 2 x d^2 + d + v d
    # + 1 elementwise (TF's [13.83, 50.47]; ndgrad gave [23.93, 92.54]), da2/dx = d^2
    vv, xv = np.array([1.0, 2.0]), np.array([0.5, 0.25])
    dv = np.exp(vv)
    np.testing.assert_allclose(gvv, 2 * xv * dv ** 2 + dv + vv * dv + 1, rtol=1e-12)
    np.testing.assert_allclose(gxv, dv ** 2, rtol=1e-12)


def test_maximum_iterations_as_a_tensor():
    # a placeholder or a constant tensor as maximum_iterations (TF's numbers; ndgrad
    # raised "Using a tf.Tensor as a Python bool" when the loop ran)
    x = tf.placeholder(tf.float64, [])
    m = tf.placeholder(tf.int32, [])
    i, a = tf.while_loop(lambda i, a: i < 10, lambda i, a: [i + 1, a * x + 1.0],
                         [0, tf.constant(1.0, tf.float64)], maximum_iterations=m)
    j, b = tf.while_loop(lambda i, a: i < 10, lambda i, a: [i + 1, a * x], [0, x],
                         maximum_iterations=tf.constant(3))
    g, = tf.gradients(a + b, x)
    with tf.Session() as s:
        got = [[float(v) for v in s.run([i, a, j, b, g], {x: 1.5, m: mv})]
               for mv in (0, 2, 5, 20)]
    assert got == [[0, 1.0, 3, 5.0625, 13.5], [2, 4.75, 3, 5.0625, 17.5],
                   [5, 20.78125, 3, 5.0625, 63.0625], [10, 170.9951171875, 3, 5.0625,
                                                        940.140625]]
    with pytest.raises(TypeError, match="scalar integer"):
        tf.while_loop(lambda i: i < 3, lambda i: i + 1, [0],
                      maximum_iterations=tf.constant(2.0))

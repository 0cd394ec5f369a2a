"""TF names found missing or different by an eager sweep against TensorFlow 2.21:
``tf.sort``/``tf.argsort`` (new: ``tf/sort_ops.py``), ``tf.math.reduce_variance`` and
``reduce_std`` (new), ``tf.math.l2_normalize`` (was only ``tf.nn``'s), the gradient of
``tf.sign`` (TF: zeros; ndgrad gave None, so an optimizer skipped the variable), and
``tf.range`` of eager tensors (``tf.range(tf.size(x))`` raised). The numbers are TF's,
eager, for PROGRAM; the oracle test runs it there again where TensorFlow is installed
(``NDGRAD_TF_PYTHON``); graph mode is checked against the same numbers.
"""
import numpy as np
import pytest

import ndgrad.tf as tf

from tf_oracles import run_eager_program, same_numbers

PROGRAM = '''
X = [[3.0, 1.0, 2.0, 1.0], [0.5, -1.0, 7.0, 0.5]]
W = [[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0]]


def sort_values_and_gradients(tf):
    x = tf.constant(X)
    out = []
    for axis in (-1, 0):
        for direction in ("ASCENDING", "DESCENDING"):
            with tf.GradientTape() as t:
                t.watch(x)
                y = tf.sort(x, axis=axis, direction=direction)
                loss = tf.reduce_sum(y * tf.constant(W))
            out += _flat([y, t.gradient(loss, x)])
    return out


def argsort_ties_and_dtypes(tf):
    out = []
    for dt in (tf.int32, tf.uint8, tf.float64, tf.int64):
        v = tf.constant([[2, 0, 2, 1, 0], [5, 5, 1, 3, 3]], dtype=dt)
        out += _flat([tf.argsort(v), tf.argsort(v, direction="DESCENDING"),
                      tf.sort(v), tf.argsort(v, axis=0)])
    out += _flat([tf.sort(tf.constant([3, -2147483648, 5], tf.int32))])
    return out


def sign_gradient(tf):
    x = tf.constant([-2.0, 0.0, 3.0])
    with tf.GradientTape(persistent=True) as t:
        t.watch(x)
        s = tf.sign(x)
        y = tf.reduce_sum(s * x)
        z = tf.reduce_sum(s)
    return _flat([s, t.gradient(y, x), t.gradient(z, x)])


def variance_and_std(tf):
    x = tf.constant(X)
    out = []
    for axis, keep in ((None, False), (0, False), (1, True), ([0, 1], False)):
        with tf.GradientTape(persistent=True) as t:
            t.watch(x)
            v = tf.math.reduce_variance(x, axis=axis, keepdims=keep)
            s = tf.math.reduce_std(x, axis=axis, keepdims=keep)
            lv = tf.reduce_sum(v)
            ls = tf.reduce_sum(s)
        out += _flat([v, s, t.gradient(lv, x), t.gradient(ls, x)])
    c = tf.constant([1 + 2j, 3 - 1j, -1j], tf.complex64)
    out += _flat([tf.math.reduce_variance(c), tf.math.reduce_std(c)])
    return out


def range_of_eager_bounds(tf):
    y = tf.ones((2, 3))
    r1 = tf.range(tf.size(y))
    r2 = tf.range(tf.constant(1.0), tf.constant(4.0), 1.5)
    r3 = tf.range(tf.constant(5, dtype=tf.int64), 8)
    return _flat([r1, r2, r3]) + [str(r1.dtype.name), str(r2.dtype.name), str(r3.dtype.name)]


def l2_normalize_in_math(tf):
    x = tf.constant(X)
    with tf.GradientTape() as t:
        t.watch(x)
        y = tf.math.l2_normalize(x, axis=1)
        loss = tf.reduce_sum(y * tf.constant(W))
    return _flat([y, t.gradient(loss, x)])


SCENARIOS = [sort_values_and_gradients, argsort_ties_and_dtypes, sign_gradient,
             variance_and_std, range_of_eager_bounds, l2_normalize_in_math]


def run_all(tf):
    return {f.__name__: f(tf) for f in SCENARIOS}
'''

TF_WANT = {
    'sort_values_and_gradients': [1.0, 1.0, 2.0, 3.0, -1.0, 0.5, 0.5, 7.0, 4.0, 1.0, 3.0, 2.0, 6.0, 5.0, 8.0, 7.0, 3.0, 2.0, 1.0, 1.0, 7.0, 0.5, 0.5, -1.0, 1.0, 3.0, 2.0, 4.0, 6.0, 8.0, 5.0, 7.0, 0.5, -1.0, 2.0, 0.5, 3.0, 1.0, 7.0, 1.0, 5.0, 6.0, 3.0, 8.0, 1.0, 2.0, 7.0, 4.0, 3.0, 1.0, 7.0, 1.0, 0.5, -1.0, 2.0, 0.5, 1.0, 2.0, 7.0, 4.0, 5.0, 6.0, 3.0, 8.0],
    'argsort_ties_and_dtypes': [1.0, 4.0, 3.0, 0.0, 2.0, 2.0, 3.0, 4.0, 0.0, 1.0, 0.0, 2.0, 3.0, 1.0, 4.0, 0.0, 1.0, 3.0, 4.0, 2.0, 0.0, 0.0, 1.0, 2.0, 2.0, 1.0, 3.0, 3.0, 5.0, 5.0, 0.0, 0.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 1.0, 1.0, 1.0, 4.0, 3.0, 0.0, 2.0, 2.0, 3.0, 4.0, 0.0, 1.0, 0.0, 2.0, 3.0, 1.0, 4.0, 0.0, 1.0, 3.0, 4.0, 2.0, 0.0, 0.0, 1.0, 2.0, 2.0, 1.0, 3.0, 3.0, 5.0, 5.0, 0.0, 0.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 1.0, 1.0, 1.0, 4.0, 3.0, 0.0, 2.0, 2.0, 3.0, 4.0, 0.0, 1.0, 0.0, 2.0, 3.0, 1.0, 4.0, 0.0, 1.0, 3.0, 4.0, 2.0, 0.0, 0.0, 1.0, 2.0, 2.0, 1.0, 3.0, 3.0, 5.0, 5.0, 0.0, 0.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 1.0, 1.0, 1.0, 4.0, 3.0, 0.0, 2.0, 2.0, 3.0, 4.0, 0.0, 1.0, 0.0, 2.0, 3.0, 1.0, 4.0, 0.0, 1.0, 3.0, 4.0, 2.0, 0.0, 0.0, 1.0, 2.0, 2.0, 1.0, 3.0, 3.0, 5.0, 5.0, 0.0, 0.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 1.0, 1.0, -2147483648.0, 3.0, 5.0],
    'sign_gradient': [-1.0, 0.0, 1.0, -1.0, 0.0, 1.0, 0.0, 0.0, 0.0],
    'variance_and_std': [5.125, 2.2638463973999023, 0.3125, -0.1875, 0.0625, -0.1875, -0.3125, -0.6875, 1.3125, -0.3125, 0.06901970505714417, -0.04141182079911232, 0.013803940266370773, -0.04141182079911232, -0.06901970505714417, -0.1518433392047882, 0.28988274931907654, -0.06901970505714417, 1.5625, 1.0, 6.25, 0.0625, 1.25, 1.0, 2.5, 0.25, 1.25, 1.0, -2.5, 0.25, -1.25, -1.0, 2.5, -0.25, 0.5, 0.5, -0.5, 0.5, -0.5, -0.5, 0.5, -0.5, 0.6875, 9.5625, 0.829156219959259, 3.092329263687134, 0.625, -0.375, 0.125, -0.375, -0.625, -1.375, 2.625, -0.625, 0.376889169216156, -0.22613351047039032, 0.07537783682346344, -0.22613351047039032, -0.10105650871992111, -0.22232431173324585, 0.42443734407424927, -0.10105650871992111, 5.125, 2.2638463973999023, 0.3125, -0.1875, 0.0625, -0.1875, -0.3125, -0.6875, 1.3125, -0.3125, 0.06901970505714417, -0.04141182079911232, 0.013803940266370773, -0.04141182079911232, -0.06901970505714417, -0.1518433392047882, 0.28988274931907654, -0.06901970505714417, 3.555555582046509, 1.8856180906295776],
    'range_of_eager_bounds': [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 1.0, 2.5, 5.0, 6.0, 7.0, 'int32', 'float32', 'int64'],
    'l2_normalize_in_math': [0.7745966911315918, 0.25819888710975647, 0.5163977742195129, 0.25819888710975647, 0.07035975158214569, -0.14071950316429138, 0.9850364923477173, 0.07035975158214569, -0.5163977146148682, 0.25819891691207886, 0.25819897651672363, 0.7745966911315918, 0.6346310377120972, 0.9822499752044678, 0.019505798816680908, 1.056789517402649],
}

@pytest.fixture(scope="module")
def results():
    return run_eager_program(PROGRAM)


@pytest.mark.parametrize("name", sorted(TF_WANT))
def test_gives_tensorflows_numbers(results, name):
    same_numbers(results[name], TF_WANT[name], name)


def test_graph_mode_gives_the_same_numbers():
    x = tf.placeholder(tf.float32, (2, 4))
    w = tf.constant([[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0]])
    fetches = []
    for axis in (-1, 0):
        for direction in ("ASCENDING", "DESCENDING"):
            y = tf.sort(x, axis=axis, direction=direction)
            fetches += [y, tf.gradients(tf.reduce_sum(y * w), x)[0]]
    s = tf.sign(x)
    fetches += [s, tf.gradients(tf.reduce_sum(s * x), x)[0],
                tf.gradients(tf.reduce_sum(s), x)[0]]
    with tf.Session() as sess:
        got = sess.run(fetches, {x: [[3.0, 1.0, 2.0, 1.0], [0.5, -1.0, 7.0, 0.5]]})
    flat = [float(a) for v in got for a in np.asarray(v).reshape(-1)]
    np.testing.assert_allclose(flat[:64], TF_WANT["sort_values_and_gradients"], rtol=1e-6)
    signs = [1, 1, 1, 1, 1, -1, 1, 1]
    np.testing.assert_allclose(flat[64:72], signs)
    # d(sign(x) x)/dx = sign(x) (sign's own gradient is zero); d(sum sign(x))/dx = 0
    np.testing.assert_allclose(flat[72:], signs + [0.0] * 8)


def test_closed_forms(results):
    # (independent of TF) the variance of each row and its gradient 2 (x - mean) / n
    x = np.array([[3.0, 1.0, 2.0, 1.0], [0.5, -1.0, 7.0, 0.5]])
    r = results["variance_and_std"]
    np.testing.assert_allclose(r[0], x.var(), rtol=1e-6)
    np.testing.assert_allclose(r[1], x.std(), rtol=1e-6)
    np.testing.assert_allclose(r[2:10], (2 * (x - x.mean()) / x.size).reshape(-1),
                               rtol=1e-5, atol=1e-7)
    # sort's gradient scatters the weights back to where each value came from
    s = results["sort_values_and_gradients"]
    w = np.array([[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0]])
    order = np.argsort(x, axis=1, kind="stable")
    grad = np.zeros_like(x)
    np.put_along_axis(grad, order, w, axis=1)
    np.testing.assert_allclose(s[:8], np.take_along_axis(x, order, 1).reshape(-1))
    np.testing.assert_allclose(s[8:16], grad.reshape(-1))


def test_bad_arguments_are_clear_errors():
    x = tf.constant([[1.0, 2.0]])
    with pytest.raises(ValueError, match="ASCENDING"):
        tf.sort(x, direction="UP")
    with pytest.raises(ValueError, match="constant scalar"):
        tf.sort(x, axis=tf.constant(0))
    with pytest.raises(ValueError, match="out of range"):
        tf.argsort(x, axis=2)
    with pytest.raises(ValueError, match="known when the graph is built"):
        tf.sort(tf.placeholder(tf.float32, (None, None)), axis=0)
    with pytest.raises(TypeError, match="real or complex"):
        tf.math.reduce_variance(tf.constant([1, 2]))


def test_oracle_tensorflow(tf_eager_oracle, results):
    want = tf_eager_oracle(PROGRAM)
    for name in want:
        same_numbers(results[name], want[name], name)

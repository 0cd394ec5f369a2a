"""TF ops whose results differed from TensorFlow's (values, dtypes, errors), graph and
eager, each against TF's documented or measured result; one oracle test runs them all in
real TensorFlow when ``NDGRAD_TF_PYTHON`` names a Python that has it."""
import json
import subprocess

import numpy as np
import pytest

import ndgrad.tf as tf


def test_float_range_is_start_plus_i_delta_in_its_dtype(mode):
    r = mode(tf.range(0, 1, 0.3))
    assert r.dtype == np.float32
    assert r.tolist() == [0.0, np.float32(0.3), np.float32(0.6), np.float32(0.90000004)]
    np.testing.assert_array_equal(mode(tf.range(0.0, 1.0, 0.1))[7:],
                                  np.float32([0.7, 0.8, 0.90000004]))   # not a running sum
    assert mode(tf.range(5, 0, -2)).tolist() == [5, 3, 1]
    err = tf.errors.InvalidArgumentError if mode == "eager" else ValueError
    with pytest.raises(err, match="Requires start <= limit when delta > 0"):
        tf.range(5, 0, 1)
    with pytest.raises(err, match="Requires delta != 0"):
        tf.range(0, 5, 0)


def test_cumulative_ops_keep_the_integer_dtype(mode):
    c = mode(tf.cumsum(tf.constant([1, 2, 3]), exclusive=True, reverse=True))
    assert c.dtype == np.int32 and c.tolist() == [5, 3, 0]
    p = mode(tf.cumprod(tf.constant([1, 2, 3], dtype=tf.int8)))
    assert p.dtype == np.int8 and p.tolist() == [1, 2, 6]


def test_max_and_min_of_nothing_are_the_dtypes_extremes(mode):
    assert mode(tf.reduce_max(tf.zeros((0,)))) == -np.inf
    assert mode(tf.reduce_min(tf.zeros((0,), tf.int32))) == np.iinfo(np.int32).max
    np.testing.assert_array_equal(mode(tf.reduce_max(tf.zeros((2, 0)), axis=1)),
                                  [-np.inf, -np.inf])


def test_integer_clip_diag_and_while_loop(mode):
    assert mode(tf.clip_by_value(tf.constant([1, 5, 9]), 2, 6)).tolist() == [2, 5, 6]
    assert mode(tf.diag(tf.constant([1, 2]))).tolist() == [[1, 0], [0, 2]]
    i, s = tf.while_loop(lambda i, s: i < 5, lambda i, s: (i + 1, s + i),
                         [tf.constant(0), tf.constant(0)])
    assert [int(mode(i)), int(mode(s))] == [5, 10]


def test_eager_while_loop_is_differentiated_by_a_tape():
    tf.enable_eager_execution()
    try:
        v = tf.Variable(2.0)
        with tf.GradientTape() as t:
            _, y = tf.while_loop(lambda i, y: i < 3, lambda i, y: (i + 1, y * v), [0, 1.0])
        assert float(y) == 8.0 and float(t.gradient(y, v)) == 12.0
        n = tf.while_loop(lambda i: i < 50, lambda i: i + 2, tf.constant(0),
                          maximum_iterations=3)
        assert int(n) == 6
    finally:
        tf.disable_eager_execution()


TF_SCRIPT = r"""
import json, numpy as np
import tensorflow as tf
out = {}
for a in [(0, 1, 0.1), (0, 1, 0.3), (0.5, 7.3, 0.7), (-3.1, 2.0, 0.13), (10.0, -5.0, -1.1)]:
    for dt in ("float32", "float64"):
        out[f"range{a}{dt}"] = [repr(float(v)) for v in tf.range(*a, dtype=dt).numpy()]
c = tf.cumsum(tf.constant([1, 2, 3]), exclusive=True, reverse=True)
out["cumsum"] = [c.dtype.name, c.numpy().tolist()]
out["max_empty"] = repr(float(tf.reduce_max(tf.zeros((0,))).numpy()))
out["min_empty_int"] = int(tf.reduce_min(tf.zeros((0,), tf.int32)).numpy())
out["clip_int"] = tf.clip_by_value(tf.constant([1, 5, 9]), 2, 6).numpy().tolist()
print(json.dumps(out))
"""


def test_the_fixed_ops_give_tensorflows_results(tmp_path, tf_python):
    script = tmp_path / "t.py"
    script.write_text(TF_SCRIPT)
    r = subprocess.run([tf_python, str(script)], check=True, capture_output=True, text=True)
    want = json.loads(r.stdout.strip().splitlines()[-1])
    tf.enable_eager_execution()
    try:
        got = {}
        for a in [(0, 1, 0.1), (0, 1, 0.3), (0.5, 7.3, 0.7), (-3.1, 2.0, 0.13),
                  (10.0, -5.0, -1.1)]:
            for dt in ("float32", "float64"):
                got[f"range{a}{dt}"] = [repr(float(v)) for v in
                                        np.asarray(tf.range(*a, dtype=dt))]
        c = tf.cumsum(tf.constant([1, 2, 3]), exclusive=True, reverse=True)
        got["cumsum"] = [np.dtype(c.dtype).name, np.asarray(c).tolist()]
        got["max_empty"] = repr(float(tf.reduce_max(tf.zeros((0,)))))
        got["min_empty_int"] = int(tf.reduce_min(tf.zeros((0,), tf.int32)))
        got["clip_int"] = np.asarray(tf.clip_by_value(tf.constant([1, 5, 9]), 2, 6)).tolist()
    finally:
        tf.disable_eager_execution()
    assert got == want


def test_sigmoid_cross_entropy_gradient_at_zero_logits_is_sigmoid_minus_label():
    """At x == 0 the loss log(1 + e^x) - x z is smooth with slope 0.5 - z; relu's and
    abs's kink conventions gave -z there (every element of zero-initialised logits)."""
    x = tf.constant(np.array([0.0, 0.0, 1.5, -2.0]))
    z = tf.constant(np.array([0.3, 1.0, 0.2, 0.7]))
    g, = tf.gradients(tf.reduce_sum(tf.nn.sigmoid_cross_entropy_with_logits(labels=z,
                                                                            logits=x)), x)
    with tf.Session() as s:
        gv = s.run(g)
    xv = np.array([0.0, 0.0, 1.5, -2.0])
    np.testing.assert_allclose(gv, 1 / (1 + np.exp(-xv)) - [0.3, 1.0, 0.2, 0.7], rtol=1e-15,
                               atol=1e-16)


def test_leaky_relu_takes_alpha_in_float32_as_tensorflow():
    y = tf.nn.leaky_relu(tf.constant(np.array([-2.0, 3.0])))
    with tf.Session() as s:
        assert s.run(y).tolist() == [-2.0 * float(np.float32(0.2)), 3.0]


def test_compute_gradients_follows_tfs_complex_convention_as_tf_gradients():
    """An optimizer's compute_gradients of a complex variable equals tf.gradients
    (TF's convention, d Re((3 - 1j) z) / dz = 3 + 1j); it used ndgrad's own (3 - 1j)."""
    import ndgrad as nd
    z = tf.Variable(np.array([1 + 2j]), dtype=tf.complex128)
    loss = nd.real(tf.reduce_sum((3 - 1j) * z))
    (g, _), = tf.train.GradientDescentOptimizer(0.1).compute_gradients(loss, [z])
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        assert s.run(g).tolist() == [3 + 1j] == s.run(tf.gradients(loss, z)[0]).tolist()


def test_complex_parts_inverse_hyperbolics_and_rint(mode):
    """tf.conj/real/imag/asinh/acosh/atanh/rint (missing before), NumPy's values (TF's to
    the last ulp of its own transcendental kernels); rint rounds half to even as TF."""
    x = np.array([-2.5, -0.5, 0.0, 0.5, 1.5, 2.5, 3.0], np.float32)
    z = np.array([1 + 2j, -3 - 0.5j], np.complex64)
    np.testing.assert_array_equal(mode(tf.conj(z)), np.conj(z))
    np.testing.assert_array_equal(mode(tf.real(z)), np.float32([1, -3]))
    np.testing.assert_array_equal(mode(tf.imag(z)), np.float32([2, -0.5]))
    np.testing.assert_array_equal(mode(tf.imag(x)), np.zeros(7, np.float32))
    np.testing.assert_array_equal(mode(tf.rint(x)), np.float32([-2, -0, 0, 0, 2, 2, 3]))
    for f, g, v in ((tf.asinh, np.arcsinh, x), (tf.acosh, np.arccosh, np.abs(x) + 1),
                    (tf.atanh, np.arctanh, x / 4)):
        np.testing.assert_allclose(mode(f(v)), g(v), rtol=2e-7)


def test_div_no_nan_and_its_gradient_are_zero_where_the_divisor_is(mode):
    """tf.math.divide_no_nan's gradient at y == 0 was NaN (a plain where over x / y sent the
    unused branch's inf into it); TF's DivNoNan gives 0 there. tf.div_no_nan was missing."""
    x0, y0 = np.float32([1.0, 2.0]), np.float32([0.0, 4.0])
    for fn in (tf.div_no_nan, tf.math.divide_no_nan):
        if mode == "eager":
            x, y = tf.Variable(x0), tf.Variable(y0)
            with tf.GradientTape() as t:
                r = fn(x, y)
                loss = tf.reduce_sum(r)
            gx, gy = t.gradient(loss, [x, y])
        else:
            x, y = tf.constant(x0), tf.constant(y0)
            r = fn(x, y)
            gx, gy = tf.gradients(tf.reduce_sum(r), [x, y])
        np.testing.assert_array_equal(mode(r), [0.0, 0.5])
        np.testing.assert_array_equal(mode(gx), [0.0, 0.25])
        np.testing.assert_array_equal(mode(gy), [0.0, -0.125])

"""TF's FloorDiv, FloorMod and SquaredDifference kernels where NumPy's functions give other
numbers (found by checking each ndgrad.tf function's docstring example against
TensorFlow 2.15's tf.compat.v1). The expected values were printed by TensorFlow for the
same inputs; each test failed before its fix."""
import numpy as np
import pytest

import ndgrad.tf as tf

X = [1.0, -1.0, 7.0, -4.0, 4.0, 5.0, -0.0, 3.0, np.inf, -1.0]
Y = [0.1, 0.1, 0.7, 2.0, -2.0, 0.0, 2.0, np.inf, 2.0, np.inf]
# TensorFlow's FloorDiv: floor(x / y), the quotient rounded first (NumPy's floor_divide,
# exact through fmod, gives 9.0 for 1.0 // 0.1)
FLOORDIV = [10.0, -10.0, 10.0, -2.0, -2.0, np.inf, -0.0, 0.0, np.inf, -0.0]
# TensorFlow's FloorMod: a zero keeps fmod's sign, x's (NumPy's remainder gives y's)
FLOORMOD = {"float32": [0.09999998658895493, 1.4901161193847656e-08, 1.1920928955078125e-07,
                        -0.0, 0.0, np.nan, -0.0, 3.0, np.nan, np.inf],
            "float64": [0.09999999999999995, 5.551115123125783e-17, 4.440892098500626e-16,
                        -0.0, 0.0, np.nan, -0.0, 3.0, np.nan, np.inf]}


def run(t):
    with tf.Session() as s:
        return s.run(t)


def same_bits(got, want):
    got, want = np.asarray(got, np.float64), np.asarray(want, np.float64)
    np.testing.assert_array_equal(got, want)
    real = ~np.isnan(want)   # (a NaN's sign bit is the platform's: not compared)
    np.testing.assert_array_equal(np.signbit(got[real]), np.signbit(want[real]))  # zeros


@pytest.mark.parametrize("dt", ["float32", "float64"])
@pytest.mark.parametrize("form", ["floordiv", "floor_div", "math.floordiv", "operator"])
def test_floordiv_is_tensorflows(dt, form):
    x, y = tf.constant(X, getattr(tf, dt)), tf.constant(Y, getattr(tf, dt))
    f = {"floordiv": tf.floordiv, "floor_div": tf.floor_div, "math.floordiv": tf.math.floordiv,
         "operator": lambda a, b: a // b}[form]
    out = run(f(x, y))
    assert out.dtype == dt
    same_bits(out, FLOORDIV)


@pytest.mark.parametrize("dt", ["float32", "float64"])
@pytest.mark.parametrize("form", ["floormod", "mod", "operator"])
def test_floormod_is_tensorflows(dt, form):
    x, y = tf.constant(X, getattr(tf, dt)), tf.constant(Y, getattr(tf, dt))
    f = {"floormod": tf.floormod, "mod": tf.mod, "operator": lambda a, b: a % b}[form]
    out = run(f(x, y))
    assert out.dtype == dt
    same_bits(out, FLOORMOD[dt])


def test_floormod_gradient_is_tensorflows():
    # TF's FloorMod gradient: (g, -g * floor_div(x, y)), with TF's quotient (-10 at
    # 1.0 mod 0.1, where NumPy's floor_divide gives 9)
    x = tf.constant([1.0, -1.0, 7.0, -4.0, 5.5], tf.float64)
    y = tf.constant([0.1, 0.1, 0.7, 2.0, -2.0], tf.float64)
    gx, gy = run(tf.gradients(tf.reduce_sum(tf.floormod(x, y) * [1., 2, 3, 4, 5]), [x, y]))
    np.testing.assert_array_equal(gx, [1.0, 2.0, 3.0, 4.0, 5.0])
    np.testing.assert_array_equal(gy, [-10.0, 20.0, -30.0, 8.0, 15.0])
    assert tf.gradients(tf.reduce_sum(tf.floordiv(x, y)), [x, y]) == [None, None]


def test_integer_floor_ops_still_refuse_a_zero_divisor():
    assert run(tf.floordiv([7, -7], 2)).tolist() == [3, -4]
    assert run(tf.floormod([7, -7], 3)).tolist() == [1, 2]
    with pytest.raises(Exception, match="Integer division by zero"):
        run(tf.floormod([7], 0))


def test_squared_difference_of_complex_is_the_squared_modulus():
    # TF's kernel: conj(x - y) * (x - y); (x - y) ** 2 gave -1 for 1j - 0j
    x = tf.constant([1j, 2 + 1j, -1.5 - 2j])
    y = tf.constant([0j, 1 - 1j, 0.5 + 0.25j])
    np.testing.assert_array_equal(run(tf.squared_difference(x, y)), [1, 5, 9.0625])
    gx, gy = run(tf.gradients(tf.real(tf.reduce_sum(tf.squared_difference(x, y))), [x, y]))
    np.testing.assert_array_equal(gx, [2j, 2 + 4j, -4 - 4.5j])   # TensorFlow's numbers
    np.testing.assert_array_equal(gy, -gx)

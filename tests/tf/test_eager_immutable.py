"""TF's eager tensors are immutable: augmented assignment binds a new tensor to the name
and leaves every other name for the old one (and the tensor it was sliced from) as it
was. ndgrad.tf's eager tensors are ndgrad arrays, which NumPy's rule writes in place:
``b = a; b += 1`` changed ``a``, and ``row = t[0]; row *= 2`` changed ``t``, silently.
The expected values are what TensorFlow 2.21 prints (and plain arithmetic)."""
import numpy as np
import pytest

import ndgrad as nd
import ndgrad.tf as tf


@pytest.fixture
def eager():
    tf.enable_eager_execution()
    yield
    tf.disable_eager_execution()


@pytest.mark.parametrize("op,want", [("+=", [2.0, 3.0]), ("-=", [0.0, 1.0]),
                                     ("*=", [3.0, 6.0]), ("/=", [0.5, 1.0]),
                                     ("**=", [1.0, 4.0])])
def test_augmented_assignment_rebinds(eager, op, want):
    env = {"tf": tf}
    operand = {"+=": "1.0", "-=": "1.0", "*=": "3.0", "/=": "2.0", "**=": "2.0"}[op]
    exec(f"a = tf.constant([1., 2.])\nb = a\nb {op} {operand}", env)
    np.testing.assert_array_equal(np.asarray(env["a"]), [1.0, 2.0])
    np.testing.assert_array_equal(np.asarray(env["b"]), want)


def test_a_slice_is_not_written_through(eager):
    t = tf.constant([[1., 2.], [3., 4.]])
    row = t[0]
    row *= 2.0
    np.testing.assert_array_equal(np.asarray(t), [[1., 2.], [3., 4.]])
    np.testing.assert_array_equal(np.asarray(row), [2., 4.])


def test_a_loop_accumulator_leaves_its_start(eager):
    start = tf.zeros([2])
    acc = start
    for k in range(3):
        acc += tf.constant([1., 2.]) * k
    np.testing.assert_array_equal(np.asarray(start), [0., 0.])
    np.testing.assert_array_equal(np.asarray(acc), [3., 6.])


def test_gradient_through_an_accumulator(eager):
    x = tf.Variable([1., 2.])
    with tf.GradientTape() as tape:
        acc = tf.zeros([2])
        before = acc
        acc += x * x
        acc *= 3.0
        loss = tf.reduce_sum(acc) + tf.reduce_sum(before)
    np.testing.assert_allclose(np.asarray(tape.gradient(loss, x)), [6., 12.])


def test_numpys_rule_again_after_eager_mode():
    tf.enable_eager_execution()
    tf.disable_eager_execution()
    a = nd.asarray([1., 2.])
    b = a
    b += 1.0
    np.testing.assert_array_equal(np.asarray(a), [2., 3.])   # NumPy's in-place write

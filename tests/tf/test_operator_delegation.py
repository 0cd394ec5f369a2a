"""A graph tensor's operators and an operand no tensor converts from (TF's
tensor_priority_test): the operand's reflected method runs when it has one (Python's
protocol: the tensor's method returns NotImplemented), else TF's TypeError. Before, the
conversion's own TypeError (``float() argument must be ...``) escaped, and a user type
with ``__radd__`` could not be added to a tensor."""
import numpy as np
import pytest

import ndgrad.tf as tf


def test_an_object_with_a_reflected_method_gets_the_operation():
    class WithReverseAdd:
        def __radd__(self, lhs):
            return ("radd", lhs)

        def __rmul__(self, lhs):
            return ("rmul", lhs)

    with tf.Graph().as_default():
        t = tf.constant([[10.0, 20.0]])
        assert (t + WithReverseAdd())[0] == "radd"
        assert (t * WithReverseAdd())[1] is t


def test_an_object_without_one_gets_tensorflows_type_error():
    class Plain:
        pass

    with tf.Graph().as_default():
        t = tf.constant([[10.0, 20.0]])
        with pytest.raises(TypeError, match="Expected float32, got .* of type 'Plain'"):
            t + Plain()
        with pytest.raises(TypeError, match="Expected float32"):
            Plain() - t
        # (values that do convert keep their own errors)
        with pytest.raises(ValueError):
            t + [[1.0, 2.0, 3.0]]


def test_a_convertible_object_keeps_the_operators_own_errors():
    """Only a failed conversion hands over to the reflected method (TF's wrapper): an
    array-like with __radd__ whose values convert but whose shape does not fit gets the
    shape error, not its __radd__ (which the first version called for any TypeError or
    ValueError of the whole operation)."""
    class ArrayLike:
        def __array__(self, dtype=None, copy=None):
            return np.ones(3, dtype=dtype or np.float32)

        def __radd__(self, lhs):
            return "radd"

    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="Dimensions must be equal"):
            tf.constant([1.0, 2.0]) + ArrayLike()
        assert tf.constant([1.0, 2.0, 3.0]).shape == (tf.constant([1.0, 2.0, 3.0]) +
                                                      ArrayLike()).shape

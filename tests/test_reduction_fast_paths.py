"""NumPy-face max/min's fast call (one ndgrad array, one int axis, nothing else) gives
what the full path gives: NumPy's values, dtypes and errors, and the same gradient."""
import numpy as np
import pytest

import ndgrad as nd


@pytest.mark.parametrize("name", ["max", "min", "amax", "amin"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int64, np.bool_])
@pytest.mark.parametrize("axis", [0, 1, -1, -2])
@pytest.mark.parametrize("keepdims", [False, True])
def test_one_axis_matches_numpy(name, dtype, axis, keepdims):
    a = np.array([[3, -1, 7, 7], [np.nan if dtype in (np.float32, np.float64) else 0, 2, 5, -4],
                  [0, -0.0, 1, 9]]).astype(dtype)
    want = getattr(np, name)(a, axis=axis, keepdims=keepdims)
    got = getattr(nd, name)(nd.asarray(a), axis=axis, keepdims=keepdims)
    assert got.dtype == want.dtype and got.shape == want.shape
    np.testing.assert_array_equal(np.asarray(got), want)
    np.testing.assert_array_equal(np.signbit(np.asarray(got)), np.signbit(want))
    # positional axis, as NumPy code writes it
    np.testing.assert_array_equal(np.asarray(getattr(nd, name)(nd.asarray(a), axis)),
                                  getattr(np, name)(a, axis))


@pytest.mark.parametrize("name", ["max", "min"])
def test_errors_are_numpys(name):
    with pytest.raises(ValueError, match="zero-size"):
        getattr(nd, name)(nd.asarray(np.ones((2, 0))), axis=1)
    np.testing.assert_array_equal(np.asarray(getattr(nd, name)(nd.asarray(np.ones((2, 0))),
                                                               axis=0)),
                                  np.ones((0,)))
    with pytest.raises(np.exceptions.AxisError):
        getattr(nd, name)(nd.asarray(np.ones((2, 3))), axis=2)
    with pytest.raises(np.exceptions.AxisError):
        getattr(nd, name)(nd.asarray(np.ones((2, 3))), axis=-3)
    # 0-d: NumPy reduces over axis 0 or -1 (the full path)
    assert float(getattr(nd, name)(nd.asarray(5.0), axis=0)) == 5.0


def test_gradient_splits_ties_as_the_full_path():
    x = np.array([[1.0, 3.0, 3.0], [2.0, -1.0, 0.5]])
    fast = nd.grad(lambda a: nd.sum(nd.max(a, axis=1) * nd.asarray([1.0, 2.0])))(
        nd.asarray(x))
    full = nd.grad(lambda a: nd.sum(nd.max(a, axis=1, where=True) * nd.asarray([1.0, 2.0])))(
        nd.asarray(x))
    want = np.array([[0.0, 0.5, 0.5], [2.0, 0.0, 0.0]])
    np.testing.assert_array_equal(np.asarray(fast), want)
    np.testing.assert_array_equal(np.asarray(full), want)
    g = nd.grad(lambda a: nd.sum(nd.min(a, axis=0, keepdims=True)))(nd.asarray(x))
    np.testing.assert_array_equal(np.asarray(g), [[1.0, 0.0, 0.0], [0.0, 1.0, 1.0]])


@pytest.mark.parametrize("name", ["max", "min", "sum", "prod", "mean", "var", "std", "any",
                                  "all", "count_nonzero", "nansum", "nanmax", "ptp"])
@pytest.mark.parametrize("axis", [True, False, (True,), (0, False)])
def test_a_bool_axis_is_numpys_type_error(name, axis):
    # NumPy's reductions take no bool for an axis (Python's int subclass): it was
    # silently read as axis 1 or 0
    x = np.arange(6.0).reshape(2, 3)
    with pytest.raises(TypeError):
        getattr(np, name)(x, axis=axis)
    with pytest.raises(TypeError, match="integer"):
        getattr(nd, name)(nd.asarray(x), axis=axis)
    # an int (or NumPy integer) axis still works
    np.testing.assert_array_equal(np.asarray(getattr(nd, name)(nd.asarray(x), axis=np.int64(1))),
                                  getattr(np, name)(x, axis=1))

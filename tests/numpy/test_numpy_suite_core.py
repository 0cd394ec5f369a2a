"""Fixes found by NumPy's own _core tests run against ndgrad (compat/numpy/numpy_tests.py):
each case compares ndgrad with NumPy directly (value, dtype, shape)."""
import numpy as np
import pytest

import ndgrad as nd


def same(a, e):
    a, e = np.asarray(a), np.asarray(e)
    assert a.dtype == e.dtype, (a.dtype, e.dtype)
    assert a.shape == e.shape, (a.shape, e.shape)
    np.testing.assert_array_equal(a, e)


# -- values --------------------------------------------------------------------------------
@pytest.mark.skipif(np.dtype(np.longdouble) == np.float64, reason="long double is double")
@pytest.mark.parametrize("t", [np.longdouble, np.clongdouble])
def test_list_of_long_double_arrays_keeps_their_bits(t):
    # NumPy fills a long double array from a list's non-NumPy array-likes through float():
    # maximum([d], [nextafter(d)]) gave d (TestMaximum::test_precision)
    d = np.longdouble(0.1)
    e = t(np.nextafter(d, np.inf))
    n = nd.nextafter(nd.longdouble(0.1), nd.inf) if t is np.longdouble else nd.asarray(e)
    same(nd.maximum([t(d)], [n]), np.maximum([t(d)], [e]))
    same(nd.fmax([n], [t(d)]), np.fmax([e], [t(d)]))
    same(nd.array([[n, n]]), np.array([[e, e]]))

"""Functions whose floating results move with their inputs but which ndgrad cannot
differentiate (set operations, ``nextafter``, NumPy's polynomial and histogram helpers):
given an input that records a gradient, the values are NumPy's and a gradient through
them raises ``NoGradientError`` naming the function. They gave a silent zero gradient."""
import numpy as np
import pytest

import ndgrad as nd
from ndgrad._ops.registry import NoGradientError

X = np.array([3.0, 1.0, 2.0, 1.0])

CASES = {
    "unique_values": (lambda x: nd.unique_values(x), lambda v: np.unique(v)),
    "unique_counts": (lambda x: nd.unique_counts(x).values, lambda v: np.unique(v)),
    "unique_all": (lambda x: nd.unique_all(x).values, lambda v: np.unique(v)),
    "unique_inverse": (lambda x: nd.unique_inverse(x).values, lambda v: np.unique(v)),
    "nextafter": (lambda x: nd.nextafter(x, 10.0), lambda v: np.nextafter(v, 10.0)),
    "roots": (lambda x: nd.real(nd.roots(x)), lambda v: np.real(np.roots(v))),
    "poly": (lambda x: nd.poly(x), lambda v: np.poly(v)),
    # (polyint is differentiable now: tests/test_kwarg_fuzz_finds.py)
    "polyfit": (lambda x: nd.polyfit(x, x * 2.0 + 1.0, 1),
                lambda v: np.polyfit(v, v * 2.0 + 1.0, 1)),
    "histogram": (lambda x: nd.histogram(x, 3)[1], lambda v: np.histogram(v, 3)[1]),
    "histogram_bin_edges": (lambda x: nd.histogram_bin_edges(x, 3),
                            lambda v: np.histogram_bin_edges(v, 3)),
    "histogram2d": (lambda x: nd.histogram2d(x, x * 2.0, 2)[1],
                    lambda v: np.histogram2d(v, v * 2.0, 2)[1]),
    "histogramdd": (lambda x: nd.histogramdd(nd.stack([x, x], axis=1), 2)[1][0],
                    lambda v: np.histogramdd(np.stack([v, v], 1), 2)[1][0]),
    "sort_complex": (lambda x: nd.real(nd.sort_complex(x)),
                     lambda v: np.real(np.sort_complex(v))),
    "intersect1d": (lambda x: nd.intersect1d(x, x[:2]), lambda v: np.intersect1d(v, v[:2])),
    "union1d": (lambda x: nd.union1d(x, x * 2.0), lambda v: np.union1d(v, v * 2.0)),
    "setdiff1d": (lambda x: nd.setdiff1d(x, x[:1]), lambda v: np.setdiff1d(v, v[:1])),
    "setxor1d": (lambda x: nd.setxor1d(x, x[:1] * 5.0), lambda v: np.setxor1d(v, v[:1] * 5)),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_values_are_numpys_and_a_gradient_through_them_raises(name):
    f, want = CASES[name]
    np.testing.assert_allclose(np.asarray(f(nd.asarray(X)), dtype=float), want(X),
                               rtol=1e-12)
    x = nd.asarray(X.copy(), requires_grad=True)
    y = f(x)
    np.testing.assert_allclose(np.asarray(y.detach(), dtype=float), want(X), rtol=1e-12)
    with pytest.raises(NoGradientError, match=name):
        nd.grad(lambda a: nd.sum(f(a)))(nd.asarray(X.copy()))
    with pytest.raises(NoGradientError, match=name):
        nd.sum(y).backward()


def test_integer_results_of_the_same_functions_still_differentiate_around_them():
    """Only a cotangent reaching the floating result raises: counts and indices are
    constants to the rest of the computation, as before."""
    g = nd.grad(lambda a: nd.sum(a * nd.astype(nd.unique_inverse(a).inverse_indices,
                                                a.dtype)))(nd.asarray(X))
    np.testing.assert_array_equal(np.asarray(g), np.unique(X, return_inverse=True)[1])
    g = nd.grad(lambda a: nd.sum(a[:2] * nd.astype(nd.histogram(a, 2)[0], a.dtype)))(
        nd.asarray(X))
    np.testing.assert_array_equal(np.asarray(g)[:2], np.histogram(X, 2)[0])


def test_under_no_grad_and_on_plain_arrays_nothing_records():
    x = nd.asarray(X.copy(), requires_grad=True)
    with nd.no_grad():
        assert not nd.roots(x).requires_grad and not nd.unique_values(x).requires_grad
    assert not nd.roots(nd.asarray(X)).requires_grad


def test_fromiter_of_recorded_elements_keeps_their_gradient():
    """NumPy's fromiter takes each element's value: for 0-d arrays that record a gradient
    the result is stacked with it (as asarray of a list), not silently constant."""
    g = nd.grad(lambda a: nd.sum(nd.fromiter((a[i] * (i + 1) for i in range(3)),
                                             np.float32)))(nd.asarray([3.0, 1.0, 2.0]))
    np.testing.assert_array_equal(np.asarray(g), [1.0, 2.0, 3.0])
    assert nd.fromiter(iter([1.5, 2.5]), float).tolist() == [1.5, 2.5]
    with pytest.raises(ValueError, match="iterator too short"):
        x = nd.asarray([1.0, 2.0], requires_grad=True)
        nd.fromiter(iter([x[0], x[1]]), float, count=3)

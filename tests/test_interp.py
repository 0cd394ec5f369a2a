"""``interp``'s gradient at the sample points and its values while recording.

At a sample point ``xp[i]`` (an interior one) interp has a left and a right slope; the
gradient in ``x`` is the right one (the segment that starts there, as JAX's ``interp``),
and the value is NumPy's ``fp[i]`` bit for bit. Before, the exact value was selected at
every sample point, so the gradient there was 0 -- also where interp is smooth
(``interp(x, [0, 1, 2], [0, 1, 2])`` at ``x = 1``: 0, not 1).
"""
import math

import numpy as np
import pytest
from hypothesis import given, strategies as st
from hypothesis.extra import numpy as hnp

import ndgrad as nd
from helpers import hyp  # noqa: E402


def _grad_x(x, xp, fp):
    return np.asarray(nd.grad(lambda t: nd.sum(nd.interp(t, nd.asarray(xp),
                                                         nd.asarray(fp))))(nd.asarray(x)))


def test_gradient_at_interior_sample_points_is_the_right_slope():
    # smooth through the sample point: the slope itself
    np.testing.assert_array_equal(_grad_x([0.0, 1.0, 1.5], [0.0, 1.0, 2.0], [0.0, 1.0, 2.0]),
                                  [1.0, 1.0, 1.0])
    # a kink (slopes 1 then 2; 0 is no subgradient there): the right slope
    np.testing.assert_array_equal(_grad_x([1.0, 2.0], [0.0, 1.0, 2.0, 3.0],
                                          [0.0, 1.0, 3.0, 2.0]), [2.0, -1.0])
    # integer sample points hit exactly by integer x (the common way to land on them)
    xs = np.arange(5.0)
    np.testing.assert_array_equal(_grad_x(xs[:-1], xs, xs ** 2), [1.0, 3.0, 5.0, 7.0])
    # the last sample point: interp is constant to its right (fp[-1]), gradient 0;
    # outside the sample points: 0
    np.testing.assert_array_equal(_grad_x([4.0, 5.0, -1.0], xs, xs ** 2), [0.0, 0.0, 0.0])


def test_gradient_at_sample_points_matches_right_finite_differences():
    rng = np.random.default_rng(0)
    xp = np.sort(rng.uniform(-3, 3, 7))
    fp = rng.standard_normal(7)
    x = xp[:-1]          # every sample point but the last
    h = 1e-7
    right = (np.interp(x + h, xp, fp) - np.interp(x, xp, fp)) / h
    np.testing.assert_allclose(_grad_x(x, xp, fp), right, rtol=1e-5)


def test_gradient_in_fp_at_a_sample_point_is_one_hot():
    g = nd.grad(lambda f: nd.sum(nd.interp(nd.asarray([1.0, 1.5]), nd.asarray([0.0, 1.0, 2.0]),
                                           f)))(nd.asarray([0.0, 10.0, 5.0]))
    np.testing.assert_array_equal(np.asarray(g), [0.0, 1.5, 0.5])


def _bits(got, want):
    got = np.asarray(got.detach() if isinstance(got, nd.Array) else got)
    want = np.asarray(want)
    assert got.dtype == want.dtype and got.shape == want.shape
    for g, w in ((got.real, want.real), (got.imag, want.imag)):
        same = ((g == w) & (np.signbit(g) == np.signbit(w))) | (np.isnan(g) & np.isnan(w))
        assert same.all(), (got, want)


_VALUES = [0.0, -0.0, 1.0, -1.0, 2.5, math.nan, math.inf, -math.inf]


@hyp()
@given(data=st.data(), cplx=st.booleans())
def test_values_while_recording_x_are_numpys_bit_for_bit(data, cplx):
    # repeated sample points (non-finite slopes), -0.0 at sample points, NaN and inf x
    xp = np.sort(data.draw(hnp.arrays("float64", st.integers(1, 6),
                                      elements=st.sampled_from([-2.0, -1.0, 0.0, 1.0, 3.0]))))
    real = hnp.arrays("float64", xp.shape, elements=st.sampled_from(_VALUES[:5]) |
                      st.floats(-5, 5))
    fp = data.draw(real)
    if cplx:
        fp = fp + 1j * data.draw(real)
    x = data.draw(hnp.arrays("float64", st.integers(0, 8), elements=st.sampled_from(
        list(xp) + [math.nan, math.inf, -math.inf, 0.5, -1.5, 2.0])))
    want = np.interp(x, xp, fp)
    _bits(nd.interp(nd.asarray(x, requires_grad=True), nd.asarray(xp), nd.asarray(fp)), want)
    if not cplx:
        _bits(nd.interp(nd.asarray(x, requires_grad=True), nd.asarray(xp),
                        nd.asarray(fp, requires_grad=True)), want)


def test_under_jit_with_traced_fp_values_and_gradient_are_eager_ones():
    # NumPy's own values can only be read from concrete arrays: a traced fp takes the
    # composition alone (reading it on the host raised ConcretizationTypeError)
    xp, x = nd.asarray([0.0, 1.0, 2.0]), nd.asarray([0.5, 1.0, 1.5, 0.0, 2.0, -1.0])
    fp = nd.asarray([0.0, 10.0, 5.0])
    f = lambda v: nd.interp(x, xp, v)   # noqa: E731
    np.testing.assert_array_equal(np.asarray(nd.jit(f)(fp)), np.asarray(f(fp)))
    g = nd.grad(lambda v: nd.sum(f(v) * nd.arange(6.0)))
    np.testing.assert_array_equal(np.asarray(nd.jit(g)(fp)), np.asarray(g(fp)))

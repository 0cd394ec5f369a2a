"""ndgrad.scipy.signal.convolve / correlate against scipy.signal's values in every mode and
dimension, and against finite differences (first and second order) in both inputs."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

ssig = pytest.importorskip("scipy.signal")

import ndgrad as nd  # noqa: E402
from ndgrad.scipy import signal  # noqa: E402


@st.composite
def pair(draw, mode):
    ndim = draw(st.integers(1, 3))
    s1 = [draw(st.integers(1, 4)) for _ in range(ndim)]
    if mode == "valid" and draw(st.booleans()):
        s2 = [draw(st.integers(1, a)) for a in s1]           # in1 the larger
        if draw(st.booleans()):
            s1, s2 = s2, s1                                   # or in2 the larger
    else:
        s2 = [draw(st.integers(1, 4)) for _ in range(ndim)]
        if mode == "valid":
            s2 = [min(a, b) for a, b in zip(s1, s2)]
    el = st.floats(-2, 2, width=64)
    a = np.asarray(draw(st.lists(el, min_size=int(np.prod(s1)), max_size=int(np.prod(s1)))))
    b = np.asarray(draw(st.lists(el, min_size=int(np.prod(s2)), max_size=int(np.prod(s2)))))
    return a.reshape(s1), b.reshape(s2)


@pytest.mark.parametrize("name", ["convolve", "correlate"])
@pytest.mark.parametrize("mode", ["full", "valid", "same"])
@settings(max_examples=8, deadline=None)
@given(data=st.data())
def test_values_and_gradients(name, mode, data):
    a, b = data.draw(pair(mode))
    f = getattr(signal, name)
    want = getattr(ssig, name)(a, b, mode=mode, method="direct")
    got = f(nd.asarray(a), nd.asarray(b), mode=mode, method="direct")
    assert got.shape == want.shape
    np.testing.assert_allclose(np.asarray(got), want, rtol=1e-12, atol=1e-12)
    if data.draw(st.integers(0, 2)) == 0:  # (second order on a third of the draws)
        nd.check_grads(lambda x, y: f(x, y, mode=mode), nd.asarray(a), nd.asarray(b),
                       order=2, rtol=1e-4, atol=1e-6)


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["full", "valid", "same"])
@settings(max_examples=160, deadline=None)
@given(data=st.data())
def test_convolve_gradients_slow(mode, data):
    a, b = data.draw(pair(mode))
    nd.check_grads(lambda x, y: signal.convolve(x, y, mode=mode), nd.asarray(a),
                   nd.asarray(b), order=2, rtol=1e-4, atol=1e-6)


def test_fft_method_and_integers_as_scipy():
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=(5, 6)), rng.normal(size=(3, 2))
    np.testing.assert_allclose(np.asarray(signal.convolve(nd.asarray(a), nd.asarray(b),
                                                          method="fft")),
                               ssig.convolve(a, b, method="fft"), rtol=1e-12, atol=1e-12)
    ai, bi = np.arange(4), np.asarray([1, -1])
    got = signal.convolve(nd.asarray(ai), nd.asarray(bi))
    want = ssig.convolve(ai, bi)
    assert got.dtype == want.dtype
    np.testing.assert_array_equal(np.asarray(got), want)


def test_errors_name_the_problem():
    with pytest.raises(ValueError, match="mode must be one of"):
        signal.convolve(nd.ones(3), nd.ones(2), mode="circular")
    with pytest.raises(ValueError, match=r"\(3, 1\) and \(1, 3\)"):
        signal.convolve(nd.ones((3, 1)), nd.ones((1, 3)), mode="valid")
    with pytest.raises(ValueError, match="same number of dimensions"):
        signal.convolve(nd.ones((3, 1)), nd.ones(3))
    with pytest.raises(TypeError, match=r"signal\.convolve.*array_api_strict"):
        signal.convolve(nd.ones(3, device="strict"), nd.ones(2, device="strict"))

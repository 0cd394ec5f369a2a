"""The fft extension: values against ``array_api_compat.numpy.fft`` (NumPy's) on hypothesis
inputs, and gradients of every transform against finite differences (real float64 inputs;
complex inputs built from two real arrays), on the numpy and array_api_strict backends."""
import array_api_compat.numpy as npx
import numpy as np
import pytest
from hypothesis import given, strategies as st
from hypothesis.extra import numpy as hnp

import ndgrad as nd
from helpers import host  # noqa: E402  (an explicit copy off any device)
from helpers import hyp, same as _same  # noqa: E402

F = nd.fft
NORMS = ["backward", "ortho", "forward"]


def _arr(a, device):
    return nd.asarray(a, device=device)


_floats = st.floats(-3, 3, allow_nan=False, width=64)


@st.composite
def signals(draw, complex_=None, min_dims=1):
    shape = draw(hnp.array_shapes(min_dims=min_dims, max_dims=3, min_side=1, max_side=6))
    re = draw(hnp.arrays(np.float64, shape, elements=_floats))
    if complex_ is None:
        complex_ = draw(st.booleans())
    if not complex_:
        return re
    im = draw(hnp.arrays(np.float64, shape, elements=_floats))
    return re + 1j * im


# -- values ---------------------------------------------------------------------------
@hyp()
@given(x=signals(), data=st.data())
def test_one_axis_transforms_values(x, data, device):
    name = data.draw(st.sampled_from(["fft", "ifft", "hfft", "irfft"]))
    axis = data.draw(st.integers(-x.ndim, x.ndim - 1))
    m = x.shape[axis]
    n = data.draw(st.sampled_from([None, 1, 2, 5, 8]))
    if n is None and name in ("hfft", "irfft") and m == 1:
        n = 2  # the default output length 2 * (m - 1) would be 0
    norm = data.draw(st.sampled_from(NORMS))
    _same(getattr(F, name)(_arr(x, device), n=n, axis=axis, norm=norm),
          getattr(npx.fft, name)(x, n=n, axis=axis, norm=norm), device)


@hyp()
@given(x=signals(complex_=False), data=st.data())
def test_real_input_transforms_values(x, data, device):
    name = data.draw(st.sampled_from(["rfft", "ihfft"]))
    axis = data.draw(st.integers(-x.ndim, x.ndim - 1))
    n = data.draw(st.sampled_from([None, 1, 3, 4, 8]))
    norm = data.draw(st.sampled_from(NORMS))
    _same(getattr(F, name)(_arr(x, device), n=n, axis=axis, norm=norm),
          getattr(npx.fft, name)(x, n=n, axis=axis, norm=norm), device)


@hyp()
@given(x=signals(min_dims=2), data=st.data())
def test_n_dimensional_transforms_values(x, data, device):
    name = data.draw(st.sampled_from(["fftn", "ifftn", "rfftn", "irfftn"]))
    if name == "rfftn":
        x = np.real(x).copy()
    axes = data.draw(st.sampled_from([None, (0,), (-1, 0), tuple(range(x.ndim))]))
    s = None
    if axes is not None and data.draw(st.booleans()):
        s = tuple(data.draw(st.sampled_from([2, 3, 4])) for _ in axes)
    if name == "irfftn" and s is None:
        last = (axes or tuple(range(x.ndim)))[-1]
        if x.shape[last] == 1:
            s = tuple(x.shape[a] if a != last else 2 for a in (axes or range(x.ndim)))
            axes = axes or tuple(range(x.ndim))
    norm = data.draw(st.sampled_from(NORMS))
    _same(getattr(F, name)(_arr(x, device), s=s, axes=axes, norm=norm),
          getattr(npx.fft, name)(x, s=s, axes=axes, norm=norm), device)


def test_float32_gives_complex64(device):
    x = np.linspace(0, 1, 8, dtype=np.float32)
    for name in ["fft", "ifft", "rfft", "ihfft"]:
        _same(getattr(F, name)(_arr(x, device)), getattr(npx.fft, name)(x), device)
    _same(F.irfft(_arr(x.astype(np.complex64), device)), npx.fft.irfft(
        x.astype(np.complex64)), device)


@hyp()
@given(n=st.integers(1, 9), d=st.sampled_from([1.0, 0.5, 3.0]),
       dtype=st.sampled_from([None, "float32", "float64"]))
def test_frequencies_values(n, d, dtype, device):
    dt = None if dtype is None else getattr(nd, dtype)
    for name in ["fftfreq", "rfftfreq"]:
        out = getattr(F, name)(n, d=d, dtype=dt, device=device)
        assert str(out.device) == ("cpu" if device == "cpu" else str(nd.Device(device)))
        _same(out, getattr(npx.fft, name)(n, d=d, dtype=None if dtype is None else
                                          np.dtype(dtype)), device)


@hyp()
@given(x=signals(), data=st.data())
def test_shifts_values(x, data, device):
    axes = data.draw(st.sampled_from([None, 0, -1, (0, -1), [0]]))
    for name in ["fftshift", "ifftshift"]:
        _same(getattr(F, name)(_arr(x, device), axes=axes),
              getattr(npx.fft, name)(x, axes=axes), device)


def test_errors_name_the_problem():
    x = nd.ones(4)
    with pytest.raises(ValueError, match="norm"):
        F.fft(x, norm="none")
    with pytest.raises(ValueError, match="n=0"):
        F.fft(x, n=0)
    with pytest.raises(IndexError, match="axis 2"):
        F.rfft(x, axis=2)
    with pytest.raises(ValueError, match="output length"):
        F.irfft(nd.ones(1))
    with pytest.raises(ValueError, match="same length"):
        F.fftn(nd.ones((2, 2)), s=(2, 2), axes=(0,))
    with pytest.raises(ValueError, match="dtype"):
        F.fftfreq(4, dtype=nd.int64)


def test_frequencies_have_no_gradient_and_say_why():
    for name in ["fft.fftfreq", "fft.rfftfreq"]:
        op = nd._REGISTRY[name]
        assert not op.differentiable and op.nondiff_reason


# -- gradients --------------------------------------------------------------------------
def _cplx(a, b):
    """A complex array from two real ones (the gradient of each is real)."""
    return nd.astype(a, nd.complex128) + nd.astype(b, nd.complex128) * 1j


def _real_parts(z):
    """Two real views of a complex result: real(z) and real(z * c) (so imag(z) too)."""
    return (nd.real(z), nd.real(z * (0.3 - 0.7j)))


def _rand(shape, seed):
    return np.random.default_rng(seed).standard_normal(shape)


GRAD = {}
for _norm in NORMS:
    for _n in [None, 4, 8]:
        GRAD[f"fft-{_n}-{_norm}"] = (lambda x, n=_n, norm=_norm: _real_parts(
            F.fft(x, n=n, axis=0, norm=norm)), [_rand((6, 2), 1)])
        GRAD[f"ifft-complex-{_n}-{_norm}"] = (lambda a, b, n=_n, norm=_norm: _real_parts(
            F.ifft(_cplx(a, b), n=n, norm=norm)), [_rand((2, 6), 2), _rand((2, 6), 3)])
        GRAD[f"rfft-{_n}-{_norm}"] = (lambda x, n=_n, norm=_norm: _real_parts(
            F.rfft(x, n=n, norm=norm)), [_rand((2, 6), 4)])
        GRAD[f"ihfft-{_n}-{_norm}"] = (lambda x, n=_n, norm=_norm: _real_parts(
            F.ihfft(x, n=n, norm=norm)), [_rand((6,), 5)])
        for _m in [4, 5]:  # even and odd output lengths through n
            GRAD[f"irfft-{_m}-{_n}-{_norm}"] = (lambda a, b, n=_n, norm=_norm: F.irfft(
                _cplx(a, b), n=n, norm=norm), [_rand((_m,), 6), _rand((_m,), 7)])
            GRAD[f"hfft-{_m}-{_n}-{_norm}"] = (lambda a, b, n=_n, norm=_norm: F.hfft(
                _cplx(a, b), n=n, norm=norm), [_rand((_m,), 8), _rand((_m,), 9)])
    GRAD[f"irfft-real-input-{_norm}"] = (lambda a, norm=_norm: F.irfft(a, n=7, norm=norm),
                                         [_rand((3, 4), 10)])
    for _s, _axes in [(None, None), ((3, 6), (0, 1)), (None, (0,)), ((4,), (-1,)),
                      ((5, 3), (1, 0))]:
        _k = f"{_s}-{_axes}-{_norm}"
        GRAD[f"fftn-{_k}"] = (lambda x, s=_s, axes=_axes, norm=_norm: _real_parts(
            F.fftn(x, s=s, axes=axes, norm=norm)), [_rand((4, 5), 11)])
        GRAD[f"ifftn-{_k}"] = (lambda a, b, s=_s, axes=_axes, norm=_norm: _real_parts(
            F.ifftn(_cplx(a, b), s=s, axes=axes, norm=norm)), [_rand((4, 5), 12),
                                                                _rand((4, 5), 13)])
        GRAD[f"rfftn-{_k}"] = (lambda x, s=_s, axes=_axes, norm=_norm: _real_parts(
            F.rfftn(x, s=s, axes=axes, norm=norm)), [_rand((4, 5), 14)])
        GRAD[f"irfftn-{_k}"] = (lambda a, b, s=_s, axes=_axes, norm=_norm: F.irfftn(
            _cplx(a, b), s=s, axes=axes, norm=norm), [_rand((4, 5), 15), _rand((4, 5), 16)])


def _weighted(y):  # a fixed weight per place, so a wrong permutation shows
    return y * nd.asarray(np.arange(15.0).reshape(5, 3), device=y.device)


GRAD["fftshift"] = (lambda x: _weighted(F.fftshift(x, axes=0)), [_rand((5, 3), 17)])
GRAD["ifftshift"] = (lambda x: _weighted(F.ifftshift(x)), [_rand((5, 3), 18)])


@pytest.mark.parametrize("name", sorted(GRAD))
def test_gradients_first_order(name, device):
    f, args = GRAD[name]
    nd.check_grads(f, *[_arr(a, device) for a in args], order=1)


SECOND = ["fft-8-ortho", "ifft-complex-4-forward", "rfft-4-backward", "ihfft-8-ortho",
          "irfft-5-8-backward", "hfft-4-None-forward", "fftn-(3, 6)-(0, 1)-ortho",
          "rfftn-(5, 3)-(1, 0)-backward", "irfftn-None-None-forward", "fftshift"]


@pytest.mark.parametrize("name", SECOND)
def test_gradients_second_order(name, device):
    f, args = GRAD[name]
    nd.check_grads(f, *[_arr(a, device) for a in args], order=2)


def test_rfft_irfft_round_trip_gradient_is_identity(device):
    x = _arr(_rand((6,), 20), device)
    w = _rand((6,), 21)
    g = nd.grad(lambda x: nd.sum(F.irfft(F.rfft(x), n=6) * _arr(w, device)))(x)
    np.testing.assert_allclose(host(g), w, atol=1e-12)
    assert g.dtype == nd.float64


def test_real_input_gets_real_gradient(device):
    # sum(real(fft(x))**2) = |C x|^2 with C the cosine matrix: gradient 2 C^T C x
    x = _rand((5,), 22)
    g = nd.grad(lambda x: nd.sum(nd.real(F.fft(x)) ** 2))(_arr(x, device))
    assert g.dtype == nd.float64
    k = np.arange(5)
    c = np.cos(2 * np.pi * np.outer(k, k) / 5)
    np.testing.assert_allclose(host(g), 2 * c.T @ c @ x, atol=1e-12)


def test_rules_use_only_the_namespace():
    import inspect
    from ndgrad._ops import fft as ops
    import re
    src = inspect.getsource(ops)
    assert not re.search(r"\bnp\.|\bimport numpy\b", src)


def test_array_likes_and_integers(device):
    # NumPy code passes lists and integer arrays; norm=None is NumPy's default spelling
    _same(F.fft([1, 2, 3], norm=None), npx.fft.fft(host([1, 2, 3])), "cpu")
    _same(F.rfft(_arr(np.arange(5), device)), npx.fft.rfft(np.arange(5)), device)
    _same(F.ihfft(_arr(np.arange(4), device)), npx.fft.ihfft(np.arange(4)), device)
    _same(F.ifft(_arr(np.arange(4), device)), npx.fft.ifft(np.arange(4)), device)


def test_numpy_positional_arguments(device):
    # numpy.fft takes n/axis/norm, s/axes, d by position; NumPy code passes them so
    x = np.arange(10.0).reshape(2, 5)
    a = _arr(x, device)
    _same(F.fft(a, 8, 0, "ortho"), npx.fft.fft(x, n=8, axis=0, norm="ortho"), device)
    _same(F.irfftn(a, (2, 6), (0, 1)), npx.fft.irfftn(x, s=(2, 6), axes=(0, 1)), device)
    _same(F.fftshift(a, 1), npx.fft.fftshift(x, axes=1), device)
    _same(F.fftfreq(5, 0.5, device=device), npx.fft.fftfreq(5, d=0.5), device)
    y = nd.asarray(x)
    assert isinstance(np.fft.rfft(y, 8), nd.Array)  # NumPy's own function dispatches here


def test_numpy_two_dimensional_names():
    x = np.random.default_rng(0).standard_normal((3, 4))
    for name in ("fft2", "ifft2", "rfft2"):
        np.testing.assert_allclose(host(getattr(nd.fft, name)(nd.asarray(x))),
                                   getattr(np.fft, name)(x), atol=1e-12)
    back = nd.fft.irfft2(nd.asarray(np.fft.rfft2(x)), s=(3, 4))
    np.testing.assert_allclose(host(back), x, atol=1e-12)
    nd.check_grads(lambda a: nd.real(nd.fft.fft2(a)), nd.asarray(x), order=1)


@pytest.mark.parametrize("name", ["fftfreq", "rfftfreq"])
def test_freq_of_a_numpy_integer_n_is_numpys(name):
    """(The FFT/linalg fuzz: a NumPy integer n became a Python int, so n * d stayed in a
    float32 d's precision: 1.4285714626 where NumPy, computing int64 * float32 in float64,
    gives 1.4285714073.)"""
    for n in (np.int64(7), np.int32(8), 7):
        for d in (np.float32(0.1), np.float16(0.3), 0.1, np.int32(3)):
            want = getattr(np.fft, name)(n, d)
            got = getattr(nd.fft, name)(n, d)
            assert got.dtype == want.dtype
            assert np.asarray(got).tobytes() == want.tobytes(), (n, d)

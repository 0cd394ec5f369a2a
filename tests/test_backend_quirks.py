"""Backend quirks ndgrad must hide: behaviour of a backend library that would otherwise leak
into results as a silently wrong value."""
import types

import numpy as np
import pytest

import ndgrad as nd
from helpers import host  # noqa: E402  (an explicit copy off any device)
from ndgrad._ops import creation


def _memset_like_cupy(value):
    return value == 0


class _CupyLike(types.SimpleNamespace):
    """NumPy, except that a fill or a scalar equal to 0 is written as zero bytes, as CuPy's
    ``fill()`` does with cudaMemset: ``full(s, -0.0)`` and ``asarray(-0.0)`` give +0.0.
    (Seen on an NVIDIA H200 with CuPy 14.2: ``nd.full(3, -0.0, device="cuda")`` held +0.0
    and the array API suite's special cases on -0 failed.)"""

    def full(self, shape, value, dtype=None, device=None):
        if _memset_like_cupy(value):
            return np.zeros(shape, dtype=dtype)
        return np.full(shape, value, dtype=dtype)

    def asarray(self, x, dtype=None, device=None, copy=None):
        if np.ndim(x) == 0 and not isinstance(x, np.ndarray) and _memset_like_cupy(x):
            return np.zeros((), dtype=dtype if dtype is not None else host(x).dtype)
        return np.array(x, dtype=dtype, copy=True if copy else None)


_cupy_like = _CupyLike(zeros=lambda shape, dtype=None, device=None: np.zeros(shape, dtype),
                       negative=np.negative, conj=np.conj, broadcast_to=np.broadcast_to)


@pytest.mark.parametrize("value", [-0.0, complex(-0.0, 0.0), complex(0.0, -0.0),
                                   complex(-0.0, -0.0), 0.0, 2.5, complex(1.0, -0.0),
                                   complex(-0.0, 2.0)])
def test_full_keeps_the_sign_of_zero_where_the_backend_fill_would_not(value):
    exp = np.full((3,), value)
    out = creation._full_forward(_cupy_like, (3,), value, exp.dtype, None)
    assert out.dtype == exp.dtype
    assert np.array_equal(np.signbit(out.real), np.signbit(exp.real))
    assert np.array_equal(np.signbit(np.imag(out)), np.signbit(np.imag(exp)))
    np.testing.assert_array_equal(out, exp)


@pytest.mark.parametrize("value", [-0.0, complex(-0.0, 0.0), complex(0.0, -0.0),
                                   complex(-0.0, -0.0)])
def test_signed_zeros_are_made_by_sign_exact_kernels(value):
    z = creation._signed_zeros(_cupy_like, (), value, host(value).dtype, None)
    assert np.signbit(np.real(z)) == np.signbit(np.real(value))
    assert np.signbit(np.imag(z)) == np.signbit(np.imag(value))


def test_full_and_asarray_of_minus_zero_on_every_backend(device):
    for make in (lambda: nd.full((2, 2), -0.0, device=device),
                 lambda: nd.asarray(-0.0, device=device),
                 lambda: nd.asarray(np.float32(-0.0), device=device)):
        x = make()
        assert np.signbit(host(x.to_device("cpu"))).all()
    x = nd.full((2, 2), -0.0, device=device)
    assert np.signbit(host(nd.full_like(x, -0.0).to_device("cpu"))).all()
    assert np.signbit(host(nd.sin(x).to_device("cpu"))).all()   # sin(-0) = -0
    assert nd.asarray(np.float32(-0.0), device=device).dtype == nd.float32


@pytest.mark.parametrize("value", [complex(1.0, -0.0), complex(-0.0, 2.0), -1.5,
                                   complex(-0.0, -0.0)])
def test_values_with_a_signed_zero_part_keep_their_value(value, device):
    # a complex value with one signed-zero part is not a zero (the conformance suite's
    # full_like(x, 1-0j) caught a version that made it one)
    for x in (nd.full((2,), value, device=device),
              nd.full_like(nd.zeros(2, dtype=nd.complex64, device=device), value),
              nd.asarray(value, device=device)):
        got = host(x.to_device("cpu"))
        np.testing.assert_array_equal(got, np.full(got.shape, value, dtype=got.dtype))
        assert (np.signbit(np.real(got)) == np.signbit(np.real(value))).all()
        assert (np.signbit(np.imag(got)) == np.signbit(np.imag(value))).all()

"""Backend quirks ndgrad must hide: behaviour of a backend library that would otherwise leak
into results as a silently wrong value."""
import types

import numpy as np
import pytest

import ndgrad as nd
from ndgrad._ops import creation


class _MemsetFull(types.SimpleNamespace):
    """NumPy, except ``full`` zero-fills for any value == 0 as CuPy's ``fill`` does (it calls
    cudaMemset), so a -0.0 fill value comes out as +0.0."""

    def full(self, shape, value, dtype=None, device=None):
        if value == 0:
            return np.zeros(shape, dtype=dtype)
        return np.full(shape, value, dtype=dtype)


_cupy_like = _MemsetFull(asarray=lambda x, dtype=None, device=None, copy=None:
                         np.array(x, dtype=dtype, copy=True if copy else None),
                         broadcast_to=np.broadcast_to)


@pytest.mark.parametrize("value", [-0.0, complex(-0.0, 0.0), complex(0.0, -0.0)])
def test_full_keeps_the_sign_of_zero_where_the_backend_fill_would_not(value):
    out = creation._full_forward(_cupy_like, (3,), value, None, None)
    exp = np.full((3,), value)
    assert out.dtype == exp.dtype
    assert np.array_equal(np.signbit(out.real), np.signbit(exp.real))
    assert np.array_equal(np.signbit(out.imag), np.signbit(exp.imag))


def test_full_minus_zero_on_every_backend(device):
    x = nd.full((2, 2), -0.0, device=device)
    assert np.signbit(np.asarray(x.to_device("cpu"))).all()
    assert np.signbit(np.asarray(nd.full_like(x, -0.0).to_device("cpu"))).all()
    y = nd.sin(x)  # sin(-0) = -0 (the standard's special case)
    assert np.signbit(np.asarray(y.to_device("cpu"))).all()

"""What a differential fuzz of NumPy-face functions on ndgrad's other backends
(array_api_strict, the CuPy-rules stand-in) against NumPy found: results that differed
from NumPy's in value, dtype or kind with no error, on those backends or on all."""
import numpy as np
import pytest

import ndgrad as nd
from helpers import host


def _same(got, ref):
    got, ref = np.asarray(got), np.asarray(ref)
    assert got.shape == ref.shape and got.dtype == ref.dtype, (got, ref)
    np.testing.assert_array_equal(got, ref)
    np.testing.assert_array_equal(np.signbit(got), np.signbit(ref))


DEVICES = ["cpu", "strict", "cupy_rules"]


@pytest.mark.parametrize("device", DEVICES)
def test_reductions_cast_initial_to_their_dtype(device):
    # a NumPy float64 initial made a float32 sum float64 (and a 0-d array, not a scalar)
    x = np.float32([1.5, 2.5, 4.0])
    cases = [("sum", x, {"initial": np.float64(1.0)}),
             ("prod", x.reshape(3, 1), {"axis": 0, "initial": np.float64(1.5)}),
             ("sum", np.int32([1, 2]), {"initial": 1.5}),
             ("prod", np.int8([3, 4]), {"initial": 2.7}),
             ("sum", x, {"dtype": np.float64, "initial": np.float32(0.1)}),
             ("max", x, {"initial": np.float64(5.5), "where": [True, False, True]}),
             ("min", x, {"initial": np.float64(-1.0), "where": [True, False, True]})]
    for name, v, kw in cases:
        if device == "strict" and v.dtype == np.int8 and name == "prod":
            continue   # (array_api_strict's prod of int8 is its own int8 loop)
        ref = getattr(np, name)(v, **kw)
        got = getattr(nd, name)(nd.asarray(v, device=device), **kw)
        _same(host(got), ref)
        if device == "cpu":
            assert repr(got) == repr(ref)   # (printed as NumPy's scalar for a 0-d result)
    g = nd.grad(lambda v: nd.sum(v * 2.0, initial=np.float64(1.0)))(nd.asarray(x))
    _same(np.asarray(g), np.full(3, 2.0, np.float32))

"""First-order backward keeps its NumPy array path through a loss's 0-d tail: divide and
negative rules hand on 0-d arrays (NumPy's arithmetic gives scalars for them), with the
same values and dtypes."""
import numpy as np
import pytest

import ndgrad as nd
from ndgrad._autograd import backward as _backward


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_loss_tail_takes_the_array_path(monkeypatch, dtype):
    general = []
    orig = _backward._process

    def spy(node, g, *a, **k):
        general.append(node.op.name if node.op is not None else "leaf")
        return orig(node, g, *a, **k)
    monkeypatch.setattr(_backward, "_process", spy)
    xn = np.array([0.5, -1.5, 2.0, 3.0], dtype)
    v, g = nd.value_and_grad(lambda a: -nd.sum(a * a) / 4)(nd.asarray(xn))
    assert general == []
    assert g.dtype == dtype and v.dtype == dtype
    np.testing.assert_array_equal(np.asarray(g), (-(2 * xn) / 4).astype(dtype))
    assert float(v) == float(-np.sum(xn * xn) / dtype(4))


def test_zero_d_values_and_second_order():
    x = nd.asarray(3.0)
    assert float(nd.grad(lambda a: -(a * a) / 2.0)(x)) == -3.0
    assert float(nd.grad(nd.grad(lambda a: -(a * a * a) / 3.0))(x)) == -6.0
    xr = nd.asarray(2.0, requires_grad=True)
    (-(xr * xr) / 8.0).backward()
    assert float(xr.grad) == -0.5 and xr.grad.shape == ()


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_handed_back_gradients_are_each_the_callers_own_writable_array(dtype):
    # a cotangent that is a broadcast view (sum's rule spreads ones over the input) or
    # one that reaches two inputs (x + y) is copied: every gradient is a writable
    # array of its own, of the input's dtype, as NumPy's results are, with the values
    x = nd.asarray(np.linspace(-1, 1, 6, dtype=dtype).reshape(2, 3))
    y = nd.asarray(np.linspace(2, 3, 6, dtype=dtype).reshape(2, 3))
    cases = [
        (lambda x, y: nd.sum(x), (np.ones((2, 3)), np.zeros((2, 3)))),
        (lambda x, y: nd.sum(x + y), (np.ones((2, 3)), np.ones((2, 3)))),
        (lambda x, y: nd.sum((x + y) * 2.0), (np.full((2, 3), 2.0), np.full((2, 3), 2.0))),
        (lambda x, y: nd.sum(x - y), (np.ones((2, 3)), -np.ones((2, 3)))),
        (lambda x, y: nd.sum(x) + nd.sum(y), (np.ones((2, 3)), np.ones((2, 3)))),
        (lambda x, y: nd.mean(x) * 2.0, (np.full((2, 3), 1 / 3), np.zeros((2, 3)))),
    ]
    for f, want in cases:
        v, (gx, gy) = nd.value_and_grad(f, (0, 1))(x, y)
        ds = [np.asarray(gx), np.asarray(gy)]
        for d, w in zip(ds, want):
            assert d.dtype == dtype and d.flags.writeable, (f, d.flags)
            np.testing.assert_allclose(d, w, rtol=1e-6)
        assert not np.shares_memory(ds[0], ds[1])
        for d in ds:
            assert not np.shares_memory(d, np.asarray(x))
            assert not np.shares_memory(d, np.asarray(y))
        ds[0][...] = 7.0        # writing one leaves the other as it was
        np.testing.assert_allclose(ds[1], want[1], rtol=1e-6)

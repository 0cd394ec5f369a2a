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

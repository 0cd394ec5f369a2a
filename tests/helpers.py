"""Helpers shared by the op test files (imported as ``helpers``: pytest puts tests/ on
the path)."""
import numpy as np
from hypothesis import settings, HealthCheck

import ndgrad as nd


def hyp(**kw):
    """Settings for a @given test that also takes the ``device`` fixture (it holds no
    state, so sharing it across examples is safe)."""
    return settings(suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow, HealthCheck.data_too_large],
                    **kw)


def host(x, dtype=None):
    """A NumPy array of ``x``'s values: an explicit copy to the host for ndgrad arrays on
    any device (``np.asarray`` of a device array raises, as CuPy's does), ``x`` itself
    otherwise. Nested lists/tuples of arrays are converted item by item. An array that
    records a gradient is read through ``detach()`` (``np.asarray`` of it raises, as
    PyTorch's ``numpy()`` does)."""
    if isinstance(x, nd.Array):
        x = x.detach()
        return np.asarray(x.to_device("cpu") if str(x.device) != "cpu" else x, dtype=dtype)
    if isinstance(x, (list, tuple)) and any(isinstance(v, nd.Array) for v in x):
        return np.asarray([host(v) for v in x], dtype=dtype)
    return np.asarray(x, dtype=dtype)


def same(actual, expected, device, rtol=1e-12, rtol32=1e-5):
    """An ndgrad Array of ``expected``'s shape and dtype: the same values on NumPy, equal
    to rounding on other backends (which may compute in another order)."""
    exp = host(expected)
    act = host(actual)
    assert isinstance(actual, nd.Array)
    assert act.shape == exp.shape, (act.shape, exp.shape)
    assert act.dtype == exp.dtype, (act.dtype, exp.dtype)
    if device == "cpu":
        np.testing.assert_array_equal(act, exp)
    else:
        tol = rtol if exp.dtype in (np.float64, np.complex128) else rtol32
        np.testing.assert_allclose(act, exp, rtol=tol, atol=tol)


def exact(actual, expected):
    """NumPy's dtype, shape and values exactly (NaN equal to NaN): ndgrad's result (an
    Array, a NumPy value, a number) against NumPy's."""
    a, e = np.asarray(actual), np.asarray(expected)
    assert a.dtype == e.dtype, (a.dtype, e.dtype)
    assert a.shape == e.shape, (a.shape, e.shape)
    np.testing.assert_array_equal(a, e)


def fd_grad(f, x, eps=1e-6):
    """Central finite differences of a real scalar ``f`` (of an ndgrad array) at the
    float64 NumPy values ``x``."""
    x = np.array(x, dtype=np.float64)
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        a, b = x.copy(), x.copy()
        a[i] += eps
        b[i] -= eps
        g[i] = (float(f(nd.asarray(a))) - float(f(nd.asarray(b)))) / (2 * eps)
    return g


def fd_grad_np(f, x, eps=1e-6):
    """Central finite differences of a real scalar ``f`` of a NumPy array (a graph run,
    a NumPy formula) at ``x``, in ``x``'s dtype."""
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        d = np.zeros_like(x)
        d[i] = eps
        g[i] = (f(x + d) - f(x - d)) / (2 * eps)
    return g

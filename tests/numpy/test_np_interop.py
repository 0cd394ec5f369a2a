"""The real ``numpy`` module on ndgrad arrays: results are ndgrad arrays and keep
gradients; functions ndgrad lacks warn (or refuse while recording)."""
import warnings

import numpy as np
import pytest

import ndgrad as nd
from ndgrad._interop import GradientStopWarning, dispatch_table


def test_numpy_functions_return_ndgrad_arrays_and_keep_gradients():
    x = nd.asarray([0.5, 1.0, 2.0], requires_grad=True)
    y = nd.asarray([3.0, 4.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = np.sum(np.exp(x))
        c = np.concatenate([x, y])
        m = np.mean(np.stack([x, x * 2]), axis=0)
    assert isinstance(s, nd.Array) and isinstance(c, nd.Array) and isinstance(m, nd.Array)
    assert c.requires_grad and np.allclose(np.asarray(c.detach()), [0.5, 1.0, 2.0, 3.0, 4.0])
    (s + c.sum() + m.sum()).backward()
    np.testing.assert_allclose(np.asarray(x.grad), np.exp([0.5, 1.0, 2.0]) + 1 + 1.5)


@pytest.mark.parametrize("f", [np.sin, np.exp, np.tanh, np.abs, np.square, np.sqrt,
                               np.arctan, np.negative])
def test_numpy_ufuncs_dispatch(f):
    v = np.array([0.25, 0.5, 1.5])
    x = nd.asarray(v, requires_grad=True)
    r = f(x)
    assert isinstance(r, nd.Array) and r.requires_grad
    np.testing.assert_allclose(np.asarray(r.detach()), f(v))


def test_binary_ufuncs_with_numpy_operands_and_out():
    x = nd.asarray([1.0, 2.0])
    r = np.add(x, np.array([1.0, 1.0]))
    assert isinstance(r, nd.Array)
    out = nd.zeros(2)
    res = np.multiply(x, 3.0, out=out)
    assert res is out
    np.testing.assert_array_equal(np.asarray(out), [3.0, 6.0])
    np_out = np.zeros(2)
    np.power(x, 2, out=np_out)
    np.testing.assert_array_equal(np_out, [1.0, 4.0])
    r = np.add(x, 1.0, dtype=np.float32)
    assert r.dtype == np.float32


def test_ufunc_methods_through_numpy():
    x = nd.asarray([[1.0, 5.0], [3.0, 2.0]])
    np.testing.assert_array_equal(np.asarray(np.add.reduce(x, axis=0)), [4.0, 7.0])
    np.testing.assert_array_equal(np.asarray(np.maximum.accumulate(x, axis=1)),
                                  [[1.0, 5.0], [3.0, 3.0]])
    np.testing.assert_array_equal(np.asarray(np.multiply.outer(nd.asarray([1, 2]),
                                                               nd.asarray([3, 4]))),
                                  [[3, 4], [6, 8]])
    a = nd.zeros(3)
    np.add.at(a, [0, 0, 2], 1.0)
    np.testing.assert_array_equal(np.asarray(a), [2.0, 0.0, 1.0])


def test_add_at_accumulates_but_fancy_iadd_does_not():
    a = nd.zeros(3)
    a[nd.asarray([0, 0, 1])] += 1.0
    np.testing.assert_array_equal(np.asarray(a), [1.0, 1.0, 0.0])
    b = nd.zeros(3)
    nd.add.at(b, nd.asarray([0, 0, 1]), 1.0)
    np.testing.assert_array_equal(np.asarray(b), [2.0, 1.0, 0.0])
    # and through add.at the gradient flows to the values
    v = nd.asarray([1.0, 2.0, 3.0])

    def f(v):
        z = nd.zeros(2)
        nd.add.at(z, nd.asarray([0, 0, 1]), v)
        return (z * nd.asarray([1.0, 10.0])).sum()
    np.testing.assert_array_equal(np.asarray(nd.grad(f)(v)), [1.0, 1.0, 10.0])


def test_missing_function_falls_back_with_warning_or_raises_when_recording():
    missing = np.emath.sqrt  # NumPy's scimath: not in ndgrad's dispatch table
    assert missing not in dispatch_table()
    y = nd.asarray([-4.0, 9.0])
    with pytest.warns(GradientStopWarning, match="gradients stop"):
        r = missing(y)
    assert isinstance(r, nd.Array)
    np.testing.assert_array_equal(np.asarray(r), [2j, 3.0])
    x = nd.asarray([1.0, 2.0], requires_grad=True)
    with pytest.raises(TypeError, match="requires grad"):
        missing(x)


def test_stride_tricks_are_differentiable_gathers():
    x = nd.asarray([1.0, 2.0, 3.0, 4.0], requires_grad=True)
    w = np.lib.stride_tricks.sliding_window_view(x, 2)  # the real NumPy's, dispatched
    assert isinstance(w, nd.Array) and w.shape == (3, 2)
    w.sum().backward()
    np.testing.assert_array_equal(np.asarray(x.grad), [1.0, 2.0, 2.0, 1.0])
    a = np.arange(6.0)
    s = nd.lib.stride_tricks.as_strided(nd.asarray(a), (2, 3), (16, 8))
    np.testing.assert_array_equal(np.asarray(s),
                                  np.lib.stride_tricks.as_strided(a, (2, 3), (16, 8)))


def test_dispatch_table_covers_common_functions():
    table = dispatch_table()
    for f in (np.sum, np.mean, np.concatenate, np.einsum, np.where, np.median,
              np.transpose, np.dot, np.clip, np.cumsum, np.sort, np.unique, np.pad):
        assert f in table, f.__name__


def test_reexported_numpy_callables_do_not_dispatch_to_themselves():
    # ndgrad re-exports some NumPy callables as they are (isnat, poly1d ...): NumPy's own
    # function on an ndgrad array then runs on the values instead of recursing
    table = dispatch_table()
    assert all(k is not v for k, v in table.items())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GradientStopWarning)
        with pytest.raises(TypeError, match="isnat"):
            np.isnat(nd.asarray([1.0]))

"""``Generator.permuted``: NumPy's draws, the gradient of the values it moves (it was
silently cut: a constant result, gradient 0), and ``out=`` (it was ignored)."""
import numpy as np
import pytest

import ndgrad as nd


@pytest.mark.parametrize("dt", ["float64", "float32", "complex128", "int8", "bool"])
@pytest.mark.parametrize("order", ["C", "F"])
def test_permuted_draws_are_numpys(dt, order):
    for shape in [(6,), (3, 4), (2, 3, 4), (0, 3)]:
        a = np.asarray(np.random.default_rng(1).standard_normal(shape) * 5).astype(dt,
                                                                                  order=order)
        for axis in [None, 0, -1]:
            want = np.random.default_rng(7).permuted(a, axis=axis)
            got = nd.random.default_rng(7).permuted(nd.asarray(a), axis=axis)
            assert isinstance(got, nd.Array) and got.dtype == want.dtype
            np.testing.assert_array_equal(np.asarray(got), want)


def test_permuted_gradient_follows_the_values():
    w = np.arange(1.0, 13.0).reshape(3, 4)
    for axis in [None, 0, 1]:
        perm = np.random.default_rng(3).permuted(np.arange(12.0).reshape(3, 4), axis=axis)
        g = nd.grad(lambda x: nd.sum(nd.random.default_rng(3).permuted(x, axis=axis) *
                                     nd.asarray(w)))(nd.zeros((3, 4)))
        want = np.zeros(12)
        want[perm.astype(int).ravel()] = w.ravel()   # the weight of where each value went
        np.testing.assert_array_equal(np.asarray(g), want.reshape(3, 4))


def test_permuted_out():
    want = np.random.default_rng(0).permuted(np.arange(6.0))
    o = nd.zeros(6)
    assert nd.random.default_rng(0).permuted(nd.arange(6.0), out=o) is o
    np.testing.assert_array_equal(np.asarray(o), want)
    o2 = np.zeros(6)
    nd.random.default_rng(0).permuted(nd.arange(6.0), out=o2)
    np.testing.assert_array_equal(o2, want)
    x = nd.arange(6.0)
    nd.random.default_rng(0).permuted(x, out=x)     # in place, as NumPy allows
    np.testing.assert_array_equal(np.asarray(x), want)
    keep = nd.zeros(4)
    with pytest.raises(ValueError, match=r"\(6,\).*\(4,\)"):
        nd.random.default_rng(0).permuted(nd.arange(6.0), out=keep)
    np.testing.assert_array_equal(np.asarray(keep), 0.0)


def test_permuted_out_in_another_memory_order_is_numpys():
    """NumPy copies ``x`` into ``out`` and shuffles ``out`` in its own memory order (a
    transposed ``out`` got the values of a C-order one, which NumPy's are not)."""
    x = np.arange(24.0).reshape(2, 3, 4)
    outs = [lambda: np.empty((4, 3, 2)).T, lambda: np.empty((2, 3, 8))[..., ::2],
            lambda: np.asfortranarray(np.empty((2, 3, 4)))]
    for make in outs:
        for xx in (x, np.asfortranarray(x)):
            want = make()
            np.random.default_rng(5).permuted(xx, out=want)
            for wrap in (lambda a: a, nd.asarray):
                got = wrap(make())
                nd.random.default_rng(5).permuted(nd.asarray(xx), out=got)
                np.testing.assert_array_equal(np.asarray(got), want)
            got = make()
            nd.random.default_rng(5).permuted(xx, out=got)    # a NumPy x
            np.testing.assert_array_equal(got, want)

"""nd.random draws NumPy's streams: the same seed gives the same numbers."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import ndgrad as nd

LEGACY = [("rand", (3, 2), {}), ("randn", (4,), {}), ("randint", (0, 10, 5), {}),
          ("random", ((2, 2),), {}), ("random_sample", (3,), {}), ("uniform", (-1, 1, 3), {}),
          ("normal", (2.0, 0.5, (2, 3)), {}), ("standard_normal", (3,), {}),
          ("choice", (5, 3), {}), ("choice", (np.array([1.5, 2.5, 3.5]), 2), {"replace": False}),
          ("choice", (4, 6), {"p": [0.1, 0.2, 0.3, 0.4]}), ("permutation", (6,), {}),
          ("binomial", (10, 0.3, 4), {}), ("poisson", (3.0, 4), {}),
          ("exponential", (2.0, 3), {}), ("beta", (2.0, 3.0, 3), {}),
          ("gamma", (2.0, 1.5, 3), {}), ("multivariate_normal", ([0.0, 1.0], [[1.0, 0.2], [0.2, 2.0]], 3), {}),
          ("laplace", (0.0, 1.0, 2), {}), ("lognormal", (0.0, 1.0, 2), {})]


@pytest.mark.parametrize("name,args,kwargs", LEGACY, ids=[c[0] for c in LEGACY])
@settings(max_examples=5)
@given(seed=st.integers(0, 2**32 - 1))
def test_legacy_stream_equals_numpy(name, args, kwargs, seed):
    np.random.seed(seed)
    expected = getattr(np.random, name)(*args, **kwargs)
    nd.random.seed(seed)
    got = getattr(nd.random, name)(*args, **kwargs)
    assert isinstance(got, nd.Array)
    assert got.dtype == np.asarray(expected).dtype and got.shape == np.shape(expected)
    np.testing.assert_array_equal(np.asarray(got), expected)


def test_scalar_draws_are_python_scalars_as_numpy():
    np.random.seed(0)
    e = np.random.rand()
    nd.random.seed(0)
    g = nd.random.rand()
    assert g == e and type(g) is type(e)


@settings(max_examples=10)
@given(seed=st.integers(0, 2**32 - 1), shape=st.sampled_from([(5,), (4, 3), (2, 2, 2)]))
def test_shuffle_in_place_equals_numpy(seed, shape):
    a = np.arange(int(np.prod(shape)), dtype=np.float64).reshape(shape)
    x = nd.asarray(a.copy())
    np.random.seed(seed)
    np.random.shuffle(a)
    nd.random.seed(seed)
    assert nd.random.shuffle(x) is None
    np.testing.assert_array_equal(np.asarray(x), a)


@settings(max_examples=10)
@given(seed=st.integers(0, 2**63))
def test_generator_streams_equal_numpy(seed):
    g_np, g_nd = np.random.default_rng(seed), nd.random.default_rng(seed)
    for name, args in [("random", (3,)), ("integers", (0, 100, 4)), ("normal", (0, 1, 2)),
                       ("standard_normal", ((2, 2),)), ("choice", (7, 3)),
                       ("permutation", (5,)), ("uniform", (0, 2, 3))]:
        e = getattr(g_np, name)(*args)
        g = getattr(g_nd, name)(*args)
        np.testing.assert_array_equal(np.asarray(g), e)
        assert isinstance(g, nd.Array)
    a = np.arange(6.0)
    x = nd.asarray(a.copy())
    g_np.shuffle(a)
    g_nd.shuffle(x)
    np.testing.assert_array_equal(np.asarray(x), a)


def test_random_state_objects():
    rs_np, rs_nd = np.random.RandomState(7), nd.random.RandomState(7)
    np.testing.assert_array_equal(np.asarray(rs_nd.randn(3)), rs_np.randn(3))
    np.testing.assert_array_equal(np.asarray(rs_nd.randint(0, 5, size=4)),
                                  rs_np.randint(0, 5, size=4))
    np.testing.assert_array_equal(np.asarray(rs_nd.permutation(nd.arange(5))),
                                  rs_np.permutation(np.arange(5)))


def test_choice_from_a_recorded_array_keeps_gradient():
    x = nd.asarray([1.0, 2.0, 3.0], requires_grad=True)
    nd.random.seed(3)
    y = nd.random.choice(x, 5)
    np.random.seed(3)
    np.testing.assert_array_equal(np.asarray(y.detach()),
                                  np.random.choice(np.array([1.0, 2.0, 3.0]), 5))
    y.sum().backward()
    np.random.seed(3)
    counts = np.bincount(np.random.choice(3, 5), minlength=3)
    np.testing.assert_array_equal(np.asarray(x.grad), counts.astype(float))


def test_samples_of_strings_stay_numpy_arrays():
    np.random.seed(5)
    e = np.random.choice(["a", "b", "c"], 4)
    nd.random.seed(5)
    g = nd.random.choice(["a", "b", "c"], 4)
    assert isinstance(g, np.ndarray) and g.tolist() == e.tolist()

"""``Generator.random(out=o)`` and its kind (``standard_normal``, ``standard_exponential``,
``standard_gamma``): NumPy's stream written into ``o``, ``o`` itself returned, on every
backend, and the write seen by a gradient computation ``o`` takes part in."""
import numpy as np
import pytest

import ndgrad as nd

DRAWS = [("random", ()), ("standard_normal", ()), ("standard_exponential", ()),
         ("standard_gamma", (2.5,))]


@pytest.mark.parametrize("name,args", DRAWS)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_out_is_filled_with_numpys_stream_and_returned(name, args, dtype, device):
    kw = {} if dtype is np.float64 else {"dtype": dtype}
    want = getattr(np.random.default_rng(7), name)(*args, size=(2, 3), **kw)
    o = nd.zeros((2, 3), dtype=dtype, device=device)
    r = getattr(nd.random.default_rng(7), name)(*args, out=o, **kw)
    assert r is o and o.dtype == dtype and str(o.device) == str(nd.zeros(1, device=device).device)
    np.testing.assert_array_equal(np.asarray(o.to_device("cpu")), want)
    # a NumPy out: NumPy's own, returned as given
    on = np.zeros((2, 3), dtype)
    assert getattr(nd.random.default_rng(7), name)(*args, out=on, **kw) is on
    np.testing.assert_array_equal(on, want)


def test_out_checks_come_before_the_draw():
    g, ref = nd.random.default_rng(3), np.random.default_rng(3)
    with pytest.raises(ValueError, match="contiguous"):
        g.random(out=nd.zeros(8)[::2])
    with pytest.raises(ValueError, match="contiguous"):
        g.random(out=nd.broadcast_to(nd.zeros(1), (4,)))   # read-only
    with pytest.raises(TypeError, match="wrong type"):
        g.random(out=nd.zeros(4, dtype=nd.float32))
    with pytest.raises(ValueError, match="size must match"):
        g.random(size=3, out=nd.zeros(4))
    assert float(g.random()) == ref.random()    # nothing was drawn by the failed calls


def test_a_recorded_out_takes_the_draws_in_its_gradient():
    def f(x):
        y = x * 2.0
        nd.random.default_rng(0).random(out=y[:2])   # y[:2] no longer depends on x
        return nd.sum(y * y)
    np.testing.assert_array_equal(nd.grad(f)(nd.asarray([1.0, 2.0, 3.0, 4.0])),
                                  [0.0, 0.0, 24.0, 32.0])


def test_legacy_choice_of_a_recorded_2d_array_is_numpys_error():
    """(The random fuzz: RandomState.choice of a recorded 2-d array gave its rows; NumPy's
    legacy choice takes 1-d arrays only.)"""
    x = np.arange(6.0).reshape(2, 3)
    with pytest.raises(ValueError, match="a must be 1-dimensional"):
        np.random.RandomState(0).choice(x, 2)
    a = nd.asarray(x, requires_grad=True)
    for draw in (lambda: nd.random.RandomState(0).choice(a, 2),
                 lambda: nd.random.choice(a, 2)):
        with pytest.raises(ValueError, match="a must be 1-dimensional"):
            draw()
    # Generator.choice takes rows (NumPy's), and keeps the gradient
    got = nd.random.default_rng(3).choice(a, 2, axis=0)
    np.testing.assert_array_equal(got.detach(), np.random.default_rng(3).choice(x, 2))


def test_random_state_of_a_random_state_is_refused():
    """(It shared the given RandomState's stream: r2.rand() continued r1's; NumPy raises.)"""
    r1 = nd.random.RandomState(1)
    for seed in (r1, np.random.RandomState(1), nd.random.default_rng(1)):
        with pytest.raises(TypeError, match="RandomState's seed must be"):
            nd.random.RandomState(seed)
    assert r1.rand() == np.random.RandomState(1).rand()

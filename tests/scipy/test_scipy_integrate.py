"""ndgrad.scipy.integrate.odeint against SciPy's values and the adjoint gradient against
finite differences (first and second order) in y0, t and args, and against HIPS autograd's
odeint gradient where autograd is installed."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

si = pytest.importorskip("scipy.integrate")

import ndgrad as nd  # noqa: E402
from ndgrad.scipy.integrate import odeint  # noqa: E402

OPTS = dict(rtol=1e-10, atol=1e-10)


def _field(y, t, a, c):
    return nd.tanh(a @ y) * c + 0.1 * t


@settings(max_examples=4, deadline=None)
@given(data=st.data())
def test_values_and_gradients_in_y0_t_and_args(data):
    fl = st.floats(-0.8, 0.8, width=64)
    y0 = np.asarray(data.draw(st.lists(fl, min_size=2, max_size=2)))
    a = np.asarray(data.draw(st.lists(fl, min_size=4, max_size=4))).reshape(2, 2)
    steps = np.asarray(data.draw(st.lists(st.floats(0.2, 0.6), min_size=2, max_size=2)))
    t = np.concatenate([[0.0], np.cumsum(steps)])
    c = 1.3
    want = si.odeint(lambda y, tt: np.tanh(a @ y) * c + 0.1 * tt, y0, t, **OPTS)
    got = odeint(_field, nd.asarray(y0), nd.asarray(t), args=(nd.asarray(a), c), **OPTS)
    np.testing.assert_allclose(np.asarray(got), want, rtol=1e-9, atol=1e-12)
    loss = lambda y, tt, m: odeint(_field, y, tt, args=(m, c), **OPTS)  # noqa: E731
    # (finite differences of a solve at tolerance 1e-10 with step 1e-5: noise ~1e-6)
    nd.check_grads(loss, nd.asarray(y0), nd.asarray(t), nd.asarray(a), order=1, eps=1e-5,
                   rtol=1e-4, atol=1e-5)


def test_second_order_in_y0_and_args():
    y0, a = nd.asarray([0.5, -0.3]), nd.asarray([[0.3, -0.5], [0.4, 0.1]])
    t = nd.asarray([0.0, 0.5, 1.2])
    nd.check_grads(lambda y, m: odeint(_field, y, t, args=(m, 1.2), **OPTS), y0, a, order=2,
                   eps=1e-4, rtol=1e-3, atol=1e-5)


def test_matches_hips_autograd():
    ag = pytest.importorskip("autograd")
    agnp = pytest.importorskip("autograd.numpy")
    ag_odeint = pytest.importorskip("autograd.scipy.integrate").odeint
    a0 = np.asarray([[0.3, -0.5], [0.4, 0.1]])
    y00 = np.asarray([0.5, -0.3])
    t = np.asarray([0.0, 0.4, 1.0])

    def ag_loss(y0, args):  # (autograd differentiates args as one tuple argument)
        ys = ag_odeint(lambda y, tt, m: agnp.tanh(agnp.dot(m, y)), y0, t, args, **OPTS)
        return agnp.sum(ys ** 2)

    def nd_loss(y0, a):
        ys = odeint(lambda y, tt, m: nd.tanh(m @ y), y0, nd.asarray(t), args=(a,), **OPTS)
        return nd.sum(ys ** 2)
    gy, (ga,) = ag.grad(ag_loss, (0, 1))(y00, (a0,))
    got = nd.grad(nd_loss, argnums=(0, 1))(nd.asarray(y00), nd.asarray(a0))
    for g, w in zip(got, (gy, ga)):
        np.testing.assert_allclose(np.asarray(g), w, rtol=1e-6, atol=1e-9)


def test_matrix_state_and_constant_args():
    y0 = nd.asarray([[1.0, 0.5], [0.0, 2.0]])
    t = nd.asarray([0.0, 1.0])
    got = odeint(lambda y, tt, k: -k * y, y0, t, args=(0.5,), **OPTS)
    assert got.shape == (2, 2, 2)
    np.testing.assert_allclose(np.asarray(got[1]), np.asarray(y0) * np.exp(-0.5), rtol=1e-8)
    g = nd.grad(lambda y: nd.sum(odeint(lambda y, tt, k: -k * y, y, t, args=(0.5,),
                                        **OPTS)[1]))(y0)
    np.testing.assert_allclose(np.asarray(g), np.full((2, 2), np.exp(-0.5)), rtol=1e-7)


def test_errors():
    with pytest.raises(ValueError, match="Dfun"):
        odeint(lambda y, t: y, nd.ones(1), nd.asarray([0.0, 1.0]), Dfun=lambda y, t: y)
    with pytest.raises(TypeError, match="unknown options"):
        odeint(lambda y, t: y, nd.ones(1), nd.asarray([0.0, 1.0]), tolerance=1e-3)
    with pytest.raises(ValueError, match=r"1-D array of times.*\(\)"):
        odeint(lambda y, t: y, nd.ones(1), nd.asarray(1.0))
    with pytest.raises(ValueError, match=r"func returned shape \(2,\); y0 has shape \(1,\)"):
        odeint(lambda y, t: nd.concat([y, y]), nd.ones(1), nd.asarray([0.0, 1.0]))
    with pytest.raises(TypeError, match="NumPy backend only"):
        odeint(lambda y, t: y, nd.ones(1, device="strict"),
               nd.asarray([0.0, 1.0], device="strict"))


def test_arrays_nested_in_args_are_differentiated():
    # autograd's ode_net passes args=(params,) with params = [(W, b), ...]: every array leaf
    # of the nest must get its gradient (it once came back as zeros, the nest taken as a
    # constant), equal to the gradient with the same arrays passed flat
    w = nd.asarray([[0.3, -0.5], [0.4, 0.1]])
    b = nd.asarray([0.2, -0.1])
    y0, t = nd.asarray([0.5, -0.3]), nd.asarray([0.0, 0.4, 1.0])

    def flat(y, tt, w, b):
        return nd.tanh(y @ w + b)

    def nested(y, tt, params, extra):
        (w, b), = params
        return nd.tanh(y @ w + b) * extra["k"]

    def loss_flat(w, b):
        return nd.sum(odeint(flat, y0, t, args=(w, b), **OPTS) ** 2)

    def loss_nested(w, b):
        return nd.sum(odeint(nested, y0, t, args=([(w, b)], {"k": 1.0}), **OPTS) ** 2)
    np.testing.assert_allclose(float(loss_nested(w, b)), float(loss_flat(w, b)), rtol=1e-12)
    want = nd.grad(loss_flat, argnums=(0, 1))(w, b)
    got = nd.grad(loss_nested, argnums=(0, 1))(w, b)
    for g, ww in zip(got, want):
        assert np.abs(np.asarray(ww)).max() > 1e-3
        np.testing.assert_allclose(np.asarray(g), np.asarray(ww), rtol=1e-9, atol=1e-12)
    nd.check_grads(loss_nested, w, b, order=1, eps=1e-5, rtol=1e-4, atol=1e-5)


def test_differentiated_arrays_read_from_a_closure_are_refused():
    # SciPy's solver calls func without recording: a differentiated array that func reads
    # from a closure would get gradient 0 (it did); it must come through args instead
    t, y0 = nd.asarray([0.0, 1.0]), nd.asarray([1.0])

    def closure_loss(k):
        return odeint(lambda y, tt: -k * y, y0, t, **OPTS)[1, 0]
    with pytest.raises(ValueError, match="closure.*args"):
        nd.grad(closure_loss)(nd.asarray(0.5))
    g = nd.grad(lambda k: odeint(lambda y, tt, k: -k * y, y0, t, args=(k,), **OPTS)[1, 0])(
        nd.asarray(0.5))
    np.testing.assert_allclose(float(g), -np.exp(-0.5), rtol=1e-7)
    # a closure over constants (untraced arrays) is fine
    k = nd.asarray(0.5)
    got = odeint(lambda y, tt: -k * y, y0, t, **OPTS)
    np.testing.assert_allclose(np.asarray(got[1]), [np.exp(-0.5)], rtol=1e-8)

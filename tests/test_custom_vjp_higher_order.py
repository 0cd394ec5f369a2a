"""Gradients of gradients through ``nd.custom_vjp`` and ``tf.custom_gradient``: a
residual computed from an argument carries its dependence on it, as JAX differentiates
``fwd`` and TF 2.15's eager tape records ``f``'s ops. (Both gave 0.0 or None where JAX
and TF give the derivative: a silent wrong second derivative.)"""
import math

import numpy as np
import pytest

import ndgrad as nd


def _cube():
    @nd.custom_vjp
    def f(x):
        return x ** 3

    def fwd(x):
        return f(x), x       # (fwd calls f, as JAX's documentation does)

    def bwd(x, g):
        return (3 * x ** 2 * g,)
    f.defvjp(fwd, bwd)
    return f


def _sin_with_cos_residual():
    @nd.custom_vjp
    def s(x):
        return nd.sin(x)

    def fwd(x):
        return s(x), (nd.cos(x),)

    def bwd(r, g):
        return (r[0] * g,)
    s.defvjp(fwd, bwd)
    return s


@pytest.mark.parametrize("jit", [False, True])
def test_orders_one_to_three_of_a_cube(jit):
    f = _cube()
    d1 = nd.grad(f)
    d2 = nd.grad(d1)
    d3 = nd.grad(d2)
    wrap = nd.jit if jit else (lambda g: g)
    # exact: 3 x**2, 6 x, 6 at x = 2 (JAX's jax.grad(jax.grad(f)) is 12.0)
    assert float(wrap(d1)(2.0)) == 12.0
    assert float(wrap(d2)(2.0)) == 12.0
    assert float(wrap(d3)(2.0)) == 6.0


@pytest.mark.parametrize("x", [0.7, -1.3, 2.9])
def test_a_residual_computed_in_fwd_is_differentiated(x):
    s = _sin_with_cos_residual()
    exact = [math.cos(x), -math.sin(x), -math.cos(x)]
    g = s
    for k in range(3):
        g = nd.grad(g)
        assert float(g(x)) == pytest.approx(exact[k], rel=1e-13, abs=1e-15)
    assert float(nd.jit(nd.grad(nd.grad(s)))(x)) == pytest.approx(exact[1], rel=1e-13)


def test_hessian_and_backward_create_graph():
    f = _cube()
    x = nd.asarray([1.0, -2.0, 0.5])
    h = nd.hessian(lambda v: nd.sum(f(v)))(x)
    np.testing.assert_allclose(np.asarray(h), np.diag(6 * np.asarray(x)), rtol=1e-15)
    xr = nd.asarray(2.0, requires_grad=True)
    f(xr).backward(create_graph=True)
    g = xr.grad
    xr.grad = None
    g.backward()
    assert float(xr.grad) == 12.0


def test_second_order_reads_the_values_of_the_call():
    """fwd runs again for the second order: on the argument's values at the call, not
    on what a later in-place write left there."""
    f = _cube()

    def h(x):
        u = x * 1.0
        y = f(u)
        u += 1.0
        return y
    assert float(nd.grad(nd.grad(h))(2.0)) == 12.0
    assert float(nd.jit(nd.grad(nd.grad(h)))(2.0)) == 12.0


def test_fwd_runs_once_per_call_at_every_order():
    calls = []

    @nd.custom_vjp
    def f(x):
        return x * 2.0

    def fwd(x):
        calls.append(1)
        return x * 2.0, x

    f.defvjp(fwd, lambda r, g: (g * 2.0 * r,))
    assert float(nd.grad(f)(1.5)) == 3.0
    assert len(calls) == 1
    assert float(nd.grad(nd.grad(f))(1.5)) == 2.0
    assert len(calls) == 2


def test_a_residual_drawn_in_fwd_is_the_one_every_order_sees():
    """fwd draws a mask (a new one at each call, as a random draw would): the second
    derivative uses the forward's mask (running fwd again for the second order drew
    another: a silently wrong Hessian)."""
    masks = iter([np.array([1.0, 0.0, 1.0]), np.array([0.0, 1.0, 0.0])] * 4)

    @nd.custom_vjp
    def drop_square(x):
        return x * x

    def fwd(x):
        m = nd.asarray(next(masks))
        return x * x * m, (x, m)

    def bwd(r, g):
        x, m = r
        return (2.0 * x * m * g,)
    drop_square.defvjp(fwd, bwd)
    h = nd.hessian(lambda v: nd.sum(drop_square(v)))(nd.asarray([0.5, 1.0, -2.0]))
    np.testing.assert_array_equal(np.asarray(h), np.diag([2.0, 0.0, 2.0]))


def test_finite_differences_of_the_gradient():
    s = _sin_with_cos_residual()

    def loss(v):
        return nd.sum(s(v) * v)
    nd.check_grads(nd.grad(loss), nd.asarray([0.3, -0.8, 1.7]), order=1)


# -- tf.custom_gradient in eager mode: TF 2.15's printed values --------------------------

tf = pytest.importorskip("ndgrad.tf")


@pytest.fixture
def eager():
    tf.enable_eager_execution()
    yield
    tf.disable_eager_execution()


def _three_orders(fn, x0):
    x = tf.constant(x0)
    with tf.GradientTape() as t3:
        t3.watch(x)
        with tf.GradientTape() as t2:
            t2.watch(x)
            with tf.GradientTape() as t1:
                t1.watch(x)
                y = fn(x)
            g = t1.gradient(y, x)
        gg = t2.gradient(g, x)
    return g, gg, t3.gradient(gg, x)


def test_tf_custom_gradient_orders(eager):
    @tf.custom_gradient
    def log1pexp(x):
        e = tf.exp(x)

        def grad(dy):
            return dy * (1 - 1 / (1 + e))
        return tf.math.log(1 + e), grad

    @tf.custom_gradient
    def cube(x):
        def grad(dy):
            return dy * 3.0 * x * x
        return x * x * x, grad
    got = [float(v) for v in _three_orders(log1pexp, 0.5)]
    np.testing.assert_allclose(got, [0.6224593, 0.23500372, -0.057556797], rtol=1e-6)
    assert [float(v) for v in _three_orders(cube, 0.5)] == [0.75, 3.0, 6.0]


def test_tf_custom_gradient_two_outputs_hessian(eager):
    @tf.custom_gradient
    def two(a, b):
        def grad(dy0, dy1):
            return dy0 * 2.0 * a + dy1 * b, dy1 * a
        return [a * b, a + b], grad
    a, b = tf.constant(1.5), tf.constant(-2.0)
    with tf.GradientTape(persistent=True) as t2:
        t2.watch([a, b])
        with tf.GradientTape() as t1:
            t1.watch([a, b])
            p, q = two(a, b)
            z = p * 3.0 + q
        ga, gb = t1.gradient(z, [a, b])
    assert (float(ga), float(gb)) == (7.0, 1.5)
    haa, hab = t2.gradient(ga, [a, b])
    hba, hbb = t2.gradient(gb, [a, b])
    # TF 2.15: 6.0, 1.0, 1.0, None
    assert (float(haa), float(hab), float(hba), hbb) == (6.0, 1.0, 1.0, None)

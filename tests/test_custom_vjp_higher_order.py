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


# -- nests, several outputs, numbers as cotangents, f inside its own fwd -----------------
# (JAX 0.10's values for the same programs, /tmp/h2/venv, float64)

def test_arrays_inside_tuple_and_dict_arguments_get_their_gradient():
    """The arrays of a tuple or dict argument are inputs of the rule (only top-level
    arrays were: a tuple's arrays got no gradient, or f's own ops were differentiated
    and the rule skipped)."""
    @nd.custom_vjp
    def f(xy, z):
        return nd.sin(xy[0]) * xy[1] * z

    def fwd(xy, z):
        return f(xy, z), (xy, z)

    def bwd(r, g):
        (x, y), z = r
        return ((g * nd.cos(x) * y * z, g * nd.sin(x) * z), g * nd.sin(x) * y)
    f.defvjp(fwd, bwd)

    def h(t):
        return f((t, t * t), nd.cos(t))
    exact = 0.3984155098553557                     # JAX, and the true derivative
    assert float(nd.grad(h)(0.4)) == pytest.approx(exact, rel=1e-14)
    assert float(nd.jit(nd.grad(h))(nd.asarray(0.4))) == pytest.approx(exact, rel=1e-14)

    @nd.custom_vjp
    def g(d):
        return nd.sin(d["a"]) * d["b"]
    g.defvjp(lambda d: (g(d), d),
             lambda d, c: ({"a": 3.0 * c * nd.cos(d["a"]) * d["b"], "b": c * nd.sin(d["a"])},))
    got = float(nd.grad(lambda t: g({"a": t, "b": t * t}))(0.4))
    assert got == pytest.approx(0.7536439509683054, rel=1e-14)   # JAX: the rule's 3x


def test_a_tuple_result():
    @nd.custom_vjp
    def f(x):
        return nd.sin(x), x * x

    def fwd(x):
        return f(x), x

    def bwd(x, g):
        gs, gq = g
        return (gs * nd.cos(x) + gq * 2.0 * x,)
    f.defvjp(fwd, bwd)

    def h(t):
        s, q = f(t)
        return s * q
    exact = 0.6988211790767962                     # JAX
    assert float(nd.grad(h)(0.5)) == pytest.approx(exact, rel=1e-14)
    assert float(nd.jit(nd.grad(h))(nd.asarray(0.5))) == pytest.approx(exact, rel=1e-14)
    # one output unused: its cotangent is zeros, as JAX's
    assert float(nd.grad(lambda t: f(t)[0])(0.5)) == pytest.approx(np.cos(0.5), rel=1e-15)


def test_a_number_as_a_cotangent():
    @nd.custom_vjp
    def f(x):
        return x * 2.0
    f.defvjp(lambda x: (x * 2.0, None), lambda r, g: (1.5,))
    assert float(nd.grad(f)(0.3)) == 1.5           # (it raised AttributeError)
    assert float(nd.jit(nd.grad(f))(nd.asarray(0.3))) == 1.5
    assert float(nd.grad(nd.grad(lambda t: f(t) * t))(0.3)) == 1.5


def test_f_kept_as_a_residual_of_its_own_fwd_is_differentiated_by_its_rule():
    """f called inside fwd is a call of f: its rule applies at the next order too, as
    JAX's (f's plain ops were differentiated: 0.307 for JAX's 0.638)."""
    @nd.custom_vjp
    def f(x):
        return nd.sin(x)

    def fwd(x):
        y = f(x)
        return y, (y, x)

    def bwd(r, g):
        y, x = r
        return (g * nd.cos(x) * (1.0 + y),)        # not sin's derivative
    f.defvjp(fwd, bwd)
    assert float(nd.grad(f)(0.4)) == pytest.approx(1.2797390394526467, rel=1e-14)
    d2 = 0.6376527241074842                          # JAX
    assert float(nd.grad(nd.grad(f))(0.4)) == pytest.approx(d2, rel=1e-14)
    assert float(nd.jit(nd.grad(nd.grad(f)))(nd.asarray(0.4))) == pytest.approx(d2, rel=1e-14)


def test_the_rule_applies_at_every_order_as_tf_and_pytorch():
    """A rule that is not the exact derivative (a straight-through round) is applied at
    every order, as TF 2.15's custom_gradient gives ([2, 2], printed by TF) and
    PyTorch's autograd.Function; JAX differentiates fwd's round there (zeros)."""
    @nd.custom_vjp
    def r(x):
        return nd.round(x)
    r.defvjp(lambda x: (nd.round(x), None), lambda res, g: (g,))
    h = nd.hessian(lambda t: nd.sum(r(t) ** 2))(nd.asarray([0.7, 1.6]))
    np.testing.assert_array_equal(np.asarray(h), [[2.0, 0.0], [0.0, 2.0]])


def test_a_bwd_of_the_wrong_structure_is_a_clear_error():
    @nd.custom_vjp
    def f(xy):
        return xy[0] * xy[1]
    f.defvjp(lambda xy: (f(xy), xy), lambda r, g: (g * r[1],))
    with pytest.raises(ValueError, match="argument 0 has 1 leaves, the argument 2"):
        nd.grad(lambda t: f((t, t)))(0.5)
    f.defvjp(lambda xy: (f(xy), xy), lambda r, g: ((g, g), g))
    with pytest.raises(ValueError, match="tuple of 1 cotangent"):
        nd.grad(lambda t: f((t, t)))(0.5)

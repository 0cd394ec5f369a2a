"""Autograd verbs, in-place idioms and memory, checked against finite differences."""
import gc
import tracemalloc

import numpy as np
import pytest
from hypothesis import given, strategies as st
from hypothesis.extra import numpy as hnp

import ndgrad as nd
from helpers import fd_grad

floats = st.floats(-2, 2, allow_nan=False, width=64)
vec = hnp.arrays(np.float64, st.integers(1, 5), elements=floats)


# -- functional verbs ------------------------------------------------------------------
@given(vec)
def test_grad_matches_finite_differences(x):
    f = lambda v: nd.sum(nd.sin(v) * v + nd.exp(-v * v))
    np.testing.assert_allclose(np.asarray(nd.grad(f)(nd.asarray(x))), fd_grad(f, x),
                               rtol=1e-5, atol=1e-6)


@given(vec)
def test_grad_matches_hand_derivative(x):
    g = nd.grad(lambda v: nd.sum(nd.sin(v) * v + nd.exp(-v * v)))(nd.asarray(x))
    expect = np.cos(x) * x + np.sin(x) - 2 * x * np.exp(-x * x)
    np.testing.assert_allclose(np.asarray(g), expect, rtol=1e-12, atol=1e-12)


def test_value_and_grad_has_aux():
    f = lambda x: (nd.sum(x * x), "aux")
    (v, aux), g = nd.value_and_grad(f, has_aux=True)(nd.asarray([1.0, 2.0]))
    assert float(v) == 5.0 and aux == "aux"
    np.testing.assert_array_equal(np.asarray(g), [2.0, 4.0])


def test_grad_argnums_tuple():
    f = lambda a, b: nd.sum(a * b * b)
    ga, gb = nd.grad(f, argnums=(0, 1))(nd.asarray([1.0, 2.0]), nd.asarray([3.0, 4.0]))
    np.testing.assert_array_equal(np.asarray(ga), [9.0, 16.0])
    np.testing.assert_array_equal(np.asarray(gb), [6.0, 16.0])


def test_grad_pytree():
    params = {"w": nd.asarray([1.0, 2.0]), "b": [nd.asarray(3.0), (nd.asarray(4.0),)]}
    f = lambda p: nd.sum(p["w"] ** 2) + p["b"][0] * p["b"][1][0]
    g = nd.grad(f)(params)
    assert set(g) == {"w", "b"} and isinstance(g["b"], list) and isinstance(g["b"][1], tuple)
    np.testing.assert_array_equal(np.asarray(g["w"]), [2.0, 4.0])
    assert float(g["b"][0]) == 4.0 and float(g["b"][1][0]) == 3.0


@pytest.mark.parametrize("x0", [0.3, -1.1, 2.0])
def test_nested_grad_to_third_order(x0):
    x = nd.asarray(x0)
    assert np.isclose(float(nd.grad(nd.sin)(x)), np.cos(x0))
    assert np.isclose(float(nd.grad(nd.grad(nd.sin))(x)), -np.sin(x0))
    assert np.isclose(float(nd.grad(nd.grad(nd.grad(nd.sin)))(x)), -np.cos(x0))


def test_grad_of_closure_over_outer_variable():
    # d/dx [ d/dy (x*y^2) at y=1 ] = d/dx (2x) = 2
    outer = nd.grad(lambda x: nd.grad(lambda y: x * y * y)(nd.asarray(1.0)))
    assert float(outer(nd.asarray(5.0))) == 2.0


def test_vjp_jvp_jacobian_hessian():
    A = np.array([[1.0, 2.0], [3.0, 4.0]])
    f = lambda x: nd.asarray(A) @ (x * x)
    x = nd.asarray([0.5, -1.0])
    J = np.asarray(nd.jacobian(f)(x))
    np.testing.assert_allclose(J, A * (2 * np.array([0.5, -1.0]))[None, :])
    y, pb = nd.vjp(f, x)
    np.testing.assert_allclose(np.asarray(pb(nd.asarray([1.0, 0.0]))[0]), J[0])
    np.testing.assert_allclose(np.asarray(pb(nd.asarray([0.0, 1.0]))[0]), J[1])  # reusable
    _, t = nd.jvp(f, (x,), (nd.asarray([1.0, 0.0]),))
    np.testing.assert_allclose(np.asarray(t), J[:, 0])
    H = np.asarray(nd.hessian(lambda v: nd.sum(v ** 3))(nd.asarray([1.0, 2.0])))
    np.testing.assert_allclose(H, [[6.0, 0.0], [0.0, 12.0]])


def test_grad_needs_scalar_output_and_floating_input():
    with pytest.raises(TypeError, match=r"shape \(2,\)"):
        nd.grad(lambda x: x * 2)(nd.asarray([1.0, 2.0]))
    with pytest.raises(TypeError, match="int64"):
        nd.grad(lambda x: nd.sum(x))(nd.asarray([1, 2]))
    with pytest.raises(TypeError, match="floating"):
        nd.asarray([1, 2]).requires_grad_()


# -- imperative verbs ------------------------------------------------------------------
def test_backward_accumulates_and_detach_no_grad():
    x = nd.asarray([1.0, 2.0], requires_grad=True)
    nd.sum(x * x).backward()
    nd.sum(x * 3.0).backward()
    np.testing.assert_array_equal(np.asarray(x.grad), [5.0, 7.0])
    assert not x.detach().requires_grad
    with nd.no_grad():
        y = x * 2
        with nd.enable_grad():
            z = x * 2
    assert not y.requires_grad and z.requires_grad


def test_second_backward_needs_retain_graph():
    x = nd.asarray(2.0, requires_grad=True)
    y = nd.exp(x) * x
    y.backward(retain_graph=True)
    y.backward()
    assert np.isclose(float(x.grad), 2 * (np.exp(2) * 3))
    with pytest.raises(RuntimeError, match="retain_graph"):
        y.backward()


def test_backward_create_graph_gives_second_derivative():
    x = nd.asarray(0.7, requires_grad=True)
    y = nd.sin(x) * x
    y.backward(create_graph=True)
    g = x.grad
    x.grad = None
    g.backward()
    assert np.isclose(float(x.grad), 2 * np.cos(0.7) - 0.7 * np.sin(0.7))


def test_backward_nonscalar_needs_gradient():
    x = nd.asarray([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match=r"shape \(2,\)"):
        (x * 2).backward()
    (x * 2).backward(gradient=nd.asarray([1.0, 10.0]))
    np.testing.assert_array_equal(np.asarray(x.grad), [2.0, 20.0])


# -- conventions users know --------------------------------------------------------------
def test_conventions_abs_sqrt_where():
    assert float(nd.grad(nd.abs)(nd.asarray(0.0))) == 0.0
    assert float(nd.grad(nd.sqrt)(nd.asarray(0.0))) == np.inf

    def safe_log(x):  # the JAX way: guard the input of the unselected branch too
        ok = x > 0
        return nd.sum(nd.where(ok, nd.log(nd.where(ok, x, 1.0)), 0.0))
    g = np.asarray(nd.grad(safe_log)(nd.asarray([0.0, 2.0])))
    np.testing.assert_array_equal(g, [0.0, 0.5])


def test_non_differentiable_ops_have_no_gradient():
    x = nd.asarray([1.5, -2.5], requires_grad=True)
    for y in (nd.floor(x), nd.round(x), x > 0):
        assert not y.requires_grad
    # sign is recorded (as PyTorch's): complex sign, z / |z|, has a gradient; real sign's
    # is zero
    assert nd.sign(x).requires_grad
    g = nd.grad(lambda v: nd.sum(nd.sign(v) * v))(nd.asarray([1.5, -2.5]))
    np.testing.assert_array_equal(np.asarray(g), [1.0, -1.0])


# -- writes into arrays ----------------------------------------------------------------
def rnn(w, xs):
    T, H = xs.shape
    h = nd.zeros((T, H))
    for t in range(T):
        prev = h[t - 1] if t else nd.zeros(H)
        h[t] = nd.tanh(prev * w + xs[t])
    return nd.sum(h * h)


def test_rnn_with_preallocated_state():
    xs = nd.asarray(np.random.default_rng(0).standard_normal((5, 3)))
    w = np.array([0.5, -0.3, 0.8])
    g = np.asarray(nd.grad(rnn)(nd.asarray(w), xs))
    np.testing.assert_allclose(g, fd_grad(lambda v: rnn(v, xs), w), rtol=1e-6, atol=1e-8)


def test_sliding_dot_into_preallocated_output():
    x = np.random.default_rng(1).standard_normal(8)

    def conv(w):
        xa = nd.asarray(x)
        out = nd.zeros(6)
        for i in range(6):
            out[i] = nd.sum(w * xa[i:i + 3])
        return nd.sum(out ** 2)
    w = np.array([0.2, -0.4, 0.6])
    np.testing.assert_allclose(np.asarray(nd.grad(conv)(nd.asarray(w))),
                               fd_grad(conv, w), rtol=1e-6, atol=1e-8)


def test_masked_write_blocks_nan():
    target = np.array([1.0, np.nan, 3.0])

    def loss(pred):
        err = pred - nd.asarray(target)
        err[nd.isnan(err)] = 0.0
        return nd.sum(err * err)
    g = np.asarray(nd.grad(loss)(nd.asarray([2.0, 5.0, 1.0])))
    np.testing.assert_array_equal(g, [2.0, 0.0, -4.0])


def test_repeated_index_add_once_like_numpy():
    a = nd.zeros(4)
    a[nd.asarray([0, 0, 1])] += 1.0
    ref = np.zeros(4)
    ref[[0, 0, 1]] += 1.0
    np.testing.assert_array_equal(np.asarray(a), ref)

    def f(v):
        a = nd.zeros(4)
        a[nd.asarray([0, 0, 1])] += v
        return nd.sum(a * nd.asarray([1.0, 2.0, 3.0, 4.0]))
    v = np.array([1.0, 2.0, 3.0])
    np.testing.assert_allclose(np.asarray(nd.grad(f)(nd.asarray(v))), fd_grad(f, v),
                               atol=1e-8)


def test_write_through_view_changes_base_and_gradient():
    x = nd.asarray([1.0, 2.0, 3.0, 4.0], requires_grad=True)
    u = x * 1.0
    v = u[1:3]
    v[:] = 0.0
    np.testing.assert_array_equal(np.asarray(u.detach()), [1.0, 0.0, 0.0, 4.0])
    nd.sum(u * u).backward()
    np.testing.assert_array_equal(np.asarray(x.grad), [2.0, 0.0, 0.0, 8.0])


def test_write_after_a_rule_saved_the_value():
    x = nd.asarray([1.0, 2.0, 3.0], requires_grad=True)
    y = nd.exp(x)          # exp's rule reads its output
    y[0] = 0.0             # copy-on-write keeps what the rule reads
    nd.sum(y).backward()
    np.testing.assert_allclose(np.asarray(x.grad), [0.0, np.exp(2), np.exp(3)])


def test_inplace_operators():
    def f(a0, b):
        a = a0 * 1.0
        a += b
        a *= b
        a /= 2.0
        a -= a0
        return nd.sum(a * a)
    a0, b = np.array([0.3, -0.7]), np.array([1.5, 0.4])
    ga, gb = nd.grad(f, argnums=(0, 1))(nd.asarray(a0), nd.asarray(b))
    np.testing.assert_allclose(np.asarray(ga), fd_grad(lambda v: f(v, nd.asarray(b)), a0),
                               rtol=1e-6)
    np.testing.assert_allclose(np.asarray(gb), fd_grad(lambda v: f(nd.asarray(a0), v), b),
                               rtol=1e-6)
    c = nd.asarray([1, 2])
    with pytest.raises(Exception):
        c += 1.5  # NumPy: cannot cast float64 to int64 in place


# -- user-defined rules and the checker ----------------------------------------------------
def test_custom_vjp_and_check_grads_catches_wrong_rules():
    @nd.custom_vjp
    def square(x):
        return x * x
    square.defvjp(lambda x: (x * x, x), lambda x, g: (2.0 * x * g,))
    nd.check_grads(lambda x: nd.sum(square(x)), nd.asarray([0.5, 1.5]), order=1)

    @nd.custom_vjp
    def wrong(x):
        return x * x
    wrong.defvjp(lambda x: (x * x, x), lambda x, g: (3.0 * x * g,))
    with pytest.raises(AssertionError, match="finite differences"):
        nd.check_grads(lambda x: nd.sum(wrong(x)), nd.asarray([0.5, 1.5]), order=1)



def test_check_grads_checks_complex_inputs_and_outputs_in_both_parts():
    # complex inputs were cast to float64 (the imaginary part dropped, the function
    # evaluated at the real projection) and the gradient's imaginary part was never
    # compared: a rule wrong only there passed
    z = nd.asarray([0.5 + 0.3j, -1.2 + 0.8j])
    nd.check_grads(lambda z: nd.real(nd.exp(z) * nd.conj(z)), z, order=2)
    nd.check_grads(lambda z: nd.exp(z) * z, z, order=2)      # a complex output

    @nd.custom_vjp
    def wrong_imag(z):
        return z * z
    # the right cotangent is 2 * z * g; this one is wrong in its imaginary part only
    wrong_imag.defvjp(lambda z: (z * z, z), lambda z, g: (nd.real(2.0 * z * g) + 0j,))
    with pytest.raises(AssertionError, match="finite differences"):
        nd.check_grads(lambda z: nd.real(wrong_imag(z)), z, order=1)

    @nd.custom_vjp
    def wrong_out(x):
        return x * (1 + 2j)
    # a complex output whose imaginary part's gradient is dropped by the rule
    wrong_out.defvjp(lambda x: (x * (1 + 2j), None), lambda r, g: (nd.real(g),))
    with pytest.raises(AssertionError, match="finite differences"):
        nd.check_grads(wrong_out, nd.asarray([0.5, 1.5]), order=1)

# -- memory ----------------------------------------------------------------------------
def test_backward_frees_saved_values():
    n = 1_000_000  # 8 MB per float64 array
    x = nd.asarray(np.full(n, 0.5), requires_grad=True)
    gc.collect()
    tracemalloc.start()
    y = x
    for _ in range(200):
        y = nd.sin(y) * 0.999  # sin saves its input: 200 intermediates until backward
    s = nd.sum(y)
    during = tracemalloc.get_traced_memory()[0]
    s.backward()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    assert during > 150 * 8 * n            # they were held during the forward pass
    assert after < 10 * 8 * n, after       # and let go by backward (x.grad and a few)


def test_detach_shares_memory_and_keeps_saved_values():
    x = nd.asarray([1.0, 2.0], requires_grad=True)
    y = nd.exp(x)
    d = y.detach()
    d[0] = 100.0                      # NumPy semantics: the write reaches y
    assert float(y[0]) == 100.0 and not d.requires_grad
    # the write is not part of y's computation (PyTorch's detach; it was recorded as a
    # constant y[0]: gradient 0); exp's rule reads the values it saved
    nd.sum(y).backward()
    np.testing.assert_allclose(np.asarray(x.grad), [np.exp(1.0), np.exp(2.0)])


def test_grad_of_integer_output_says_why():
    with pytest.raises(TypeError, match="argmax"):
        nd.grad(lambda x: nd.argmax(x))(nd.asarray([1.0, 3.0, 2.0]))


def test_cumulative_prod_second_derivative_is_exact_at_zeros():
    from ndgrad._ops.statistical import cumulative_prod
    f = lambda v: nd.sum(cumulative_prod(v))  # v0 + v0 v1 + v0 v1 v2
    x = nd.asarray([2.0, 0.0, 3.0])
    np.testing.assert_allclose(np.asarray(nd.grad(f)(x)), [1.0, 8.0, 0.0])  # exact
    np.testing.assert_allclose(np.asarray(nd.hessian(f)(x)), [[0, 4, 0], [4, 0, 2], [0, 2, 0]])
    H = np.asarray(nd.hessian(f)(nd.asarray([2.0, 1.0, 3.0])))  # no zeros: available
    np.testing.assert_allclose(H, [[0, 4, 1], [4, 0, 2], [1, 2, 0]])

"""ndgrad.autograd's differential operators against the behaviour autograd documents
(and, where it is installed, against autograd itself), plus nd.elementwise_grad / nd.hvp."""
import tracemalloc

import numpy as onp
import pytest
from hypothesis import given, strategies as st

import ndgrad as nd
import ndgrad.autograd as ag
import ndgrad.autograd.numpy as np
from ndgrad.autograd.test_util import check_grads


def real_autograd():
    return pytest.importorskip("autograd")


def f_vec(x):
    return np.sin(x) * np.exp(0.3 * x) + x ** 2


def f_scalar(x):
    return np.sum(np.tanh(x) * x) + np.prod(np.cos(x))


X = onp.array([0.3, -1.2, 0.7])


def test_grad_scalar_and_argnum():
    # autograd: argnum=0 default; gradient has the argument's structure
    f = lambda a, b: np.sum(a * b ** 2)
    a, b = onp.array([1.0, 2.0]), onp.array([3.0, -1.0])
    onp.testing.assert_allclose(ag.grad(f)(a, b), b ** 2)
    onp.testing.assert_allclose(ag.grad(f, 1)(a, b), 2 * a * b)
    ga, gb = ag.grad(f, (0, 1))(a, b)
    onp.testing.assert_allclose(ga, b ** 2)
    onp.testing.assert_allclose(gb, 2 * a * b)
    # keyword arguments pass through untouched
    g = ag.grad(lambda x, scale=1.0: np.sum(x) * scale)(a, scale=3.0)
    onp.testing.assert_allclose(g, [3.0, 3.0])
    # nested containers
    tree = {"w": onp.ones(2), "b": [0.5, (onp.array([2.0]),)]}
    gt = ag.grad(lambda t: np.sum(t["w"] * t["b"][0]) + np.sum(t["b"][1][0] ** 2))(tree)
    onp.testing.assert_allclose(gt["w"], [0.5, 0.5])
    assert float(gt["b"][0]) == 2.0
    onp.testing.assert_allclose(gt["b"][1][0], [4.0])


def test_grad_size_one_output_and_errors():
    # autograd accepts any output with exactly one element
    onp.testing.assert_allclose(ag.grad(lambda x: x[None] * 2.0)(1.5), 2.0)
    with pytest.raises(TypeError, match="scalar-output.*shape \\(3,\\)"):
        ag.grad(f_vec)(X)
    with pytest.raises(TypeError, match="scalar-output"):
        ag.value_and_grad(f_vec)(X)
    with pytest.raises(TypeError, match="argnum"):
        ag.grad(f_scalar, "0")
    with pytest.raises(IndexError, match="argnum 2 is out of range"):
        ag.grad(f_scalar, 2)(X)


def test_grad_matches_autograd():
    autograd = real_autograd()
    import autograd.numpy as anp
    ref = autograd.grad(lambda x: anp.sum(anp.tanh(x) * x) + anp.prod(anp.cos(x)))(X)
    onp.testing.assert_allclose(ag.grad(f_scalar)(X), ref, rtol=1e-13)
    ref_e = autograd.elementwise_grad(lambda x: anp.sin(x) * anp.exp(0.3 * x) + x ** 2)(X)
    onp.testing.assert_allclose(ag.elementwise_grad(f_vec)(X), ref_e, rtol=1e-13)
    ref_h = autograd.hessian(lambda x: anp.sum(anp.tanh(x) * x) + anp.prod(anp.cos(x)))(X)
    onp.testing.assert_allclose(ag.hessian(f_scalar)(X), ref_h, rtol=1e-12)


def test_elementwise_grad_is_diagonal_of_jacobian():
    J = ag.jacobian(f_vec)(X)
    assert J.shape == (3, 3)
    onp.testing.assert_allclose(ag.elementwise_grad(f_vec)(X), onp.diag(onp.asarray(J)))
    onp.testing.assert_allclose(nd.elementwise_grad(f_vec)(nd.asarray(X)),
                                onp.diag(onp.asarray(J)))
    onp.testing.assert_allclose(J, onp.diag(onp.cos(X) * onp.exp(0.3 * X) + 0.3 * onp.sin(X)
                                            * onp.exp(0.3 * X) + 2 * X))
    with pytest.raises(TypeError, match="real-output"):
        ag.elementwise_grad(lambda x: x * 1j)(X)
    with pytest.raises(TypeError, match="real-valued"):
        nd.elementwise_grad(lambda x: x * 1j)(nd.asarray(X))


def test_jacobian_shapes():
    f = lambda x: np.outer(x, x[:2])
    J = ag.jacobian(f)(X)
    assert J.shape == (3, 2, 3)
    e = onp.eye(3)
    expect = onp.einsum("ik,j->ijk", e, X[:2]) + onp.einsum("i,jk->ijk", X, e[:2])
    onp.testing.assert_allclose(J, expect)
    assert ag.jacobian(lambda x: x * 2.0)(1.5).shape == ()
    assert ag.jacobian(lambda x: x[:0])(X).shape == (0, 3)


def test_hessian_and_hvp_agree_without_forming():
    H = onp.asarray(ag.hessian(f_scalar)(X))
    v = onp.array([0.5, -1.0, 2.0])
    hvp, g = ag.make_hvp(f_scalar)(X)
    onp.testing.assert_allclose(g, ag.grad(f_scalar)(X))
    onp.testing.assert_allclose(hvp(v), H @ v, rtol=1e-12)
    onp.testing.assert_allclose(hvp(2 * v), 2 * (H @ v), rtol=1e-12)  # reusable
    onp.testing.assert_allclose(ag.hessian_vector_product(f_scalar)(X, v), H @ v, rtol=1e-12)
    onp.testing.assert_allclose(ag.hessian_tensor_product(f_scalar)(X, v), H @ v, rtol=1e-12)
    onp.testing.assert_allclose(nd.hvp(f_scalar, (nd.asarray(X),), (nd.asarray(v),)), H @ v,
                                rtol=1e-12)
    # two arguments: the blocks of the joint Hessian
    f2 = lambda a, b: np.sum(a ** 2 * b) + np.sum(np.sin(a * b))
    a, b = nd.asarray([0.2, 0.4]), nd.asarray([1.0, -0.5])
    va, vb = nd.asarray([1.0, 0.0]), nd.asarray([0.0, 1.0])
    ha, hb = nd.hvp(f2, (a, b), (va, vb))
    full = nd.hessian(lambda ab: f2(ab[:2], ab[2:]))(nd.concat([a, b]))
    hv = onp.asarray(full) @ onp.concatenate([va, vb])
    onp.testing.assert_allclose(onp.concatenate([ha, hb]), hv, rtol=1e-12)
    with pytest.raises(ValueError, match="one tangent per primal"):
        nd.hvp(f2, (a, b), (va,))
    with pytest.raises(ValueError, match="shape \\(3,\\).*shape \\(2,\\)"):
        nd.hvp(f2, (a, b), (nd.ones(3), vb))


def test_hvp_does_not_form_the_hessian():
    # a 2000-dim quadratic: forming H would take 2000 reverse passes; hvp takes two
    n = 2000
    x = nd.asarray(onp.linspace(-1, 1, n))
    v = nd.asarray(onp.cos(onp.arange(n)))
    f = lambda x: nd.sum(x ** 4) + nd.sum(x[1:] * x[:-1])
    got = onp.asarray(nd.hvp(f, (x,), (v,)))
    xn, vn = onp.asarray(x), onp.asarray(v)
    expect = 12 * xn ** 2 * vn
    expect[1:] += vn[:-1]
    expect[:-1] += vn[1:]
    onp.testing.assert_allclose(got, expect, rtol=1e-12)


def test_deriv_make_jvp_make_vjp():
    d = ag.deriv(np.sin)(X)
    onp.testing.assert_allclose(d, onp.cos(X))
    ans, jv = ag.make_jvp(f_vec)(X)(onp.ones(3))
    onp.testing.assert_allclose(ans, f_vec(X))
    onp.testing.assert_allclose(jv, ag.elementwise_grad(f_vec)(X))
    vjp, ans = ag.make_vjp(f_vec)(X)
    onp.testing.assert_allclose(vjp(onp.ones(3)), ag.elementwise_grad(f_vec)(X))
    assert not isinstance(ans, ag.extend.Box)
    # the VJP is linear in g and differentiable with respect to it
    vjp_of_vjp, _ = ag.make_vjp(vjp)(onp.zeros(3))
    onp.testing.assert_allclose(vjp_of_vjp(onp.ones(3)), ag.elementwise_grad(f_vec)(X))
    jvp_rev = ag.differential_operators.make_jvp_reversemode(f_vec)(X)
    onp.testing.assert_allclose(jvp_rev(onp.ones(3)), ag.elementwise_grad(f_vec)(X))


def test_value_and_grad_grad_and_aux():
    v, g = ag.value_and_grad(f_scalar)(X)
    onp.testing.assert_allclose(v, f_scalar(X))
    onp.testing.assert_allclose(g, ag.grad(f_scalar)(X))
    aux_obj = {"note": "kept", "arr": np.arange(3)}
    g2, aux = ag.grad_and_aux(lambda x: (f_scalar(x), aux_obj))(X)
    onp.testing.assert_allclose(g2, g)
    assert aux is aux_obj or aux["note"] == "kept"
    g3, aux3 = ag.grad_and_aux(lambda x: (np.sum(x ** 2), x * 2))(X)
    onp.testing.assert_allclose(g3, 2 * X)
    onp.testing.assert_allclose(aux3, 2 * X)
    assert not isinstance(aux3, ag.extend.Box)
    with pytest.raises(TypeError, match="pair"):
        ag.grad_and_aux(f_scalar)(X)


def test_holomorphic_grad_and_complex_convention():
    z = 0.3 + 0.8j
    onp.testing.assert_allclose(ag.holomorphic_grad(lambda z: z ** 3)(z), 3 * z ** 2)
    onp.testing.assert_allclose(ag.holomorphic_grad(np.exp)(z), onp.exp(z))
    with pytest.warns(UserWarning, match="not complex"):
        ag.holomorphic_grad(lambda z: z ** 2)(1.0)
    # the gradient of a real function of z follows autograd: conj(z)/|z| for abs
    onp.testing.assert_allclose(ag.grad(np.abs)(z), onp.conj(z) / abs(z))


def test_holomorphic_matches_autograd():
    autograd = real_autograd()
    import autograd.numpy as anp
    z = onp.array([0.3 + 0.8j, -1.0 + 0.1j])
    ref = autograd.grad(lambda z: anp.sum(anp.abs(anp.sin(z)) ** 2))(z)
    onp.testing.assert_allclose(ag.grad(lambda z: np.sum(np.abs(np.sin(z)) ** 2))(z), ref,
                                rtol=1e-12)


def test_grad_named_multigrad_dict():
    def f(a, b, c=2.0):
        return a * b ** 2 + c * a
    onp.testing.assert_allclose(ag.grad_named(f, "b")(3.0, 2.0), 12.0)
    with pytest.raises(ValueError, match="no argument named 'd'"):
        ag.grad_named(f, "d")
    gd = ag.multigrad_dict(f)(3.0, 2.0)
    assert list(gd) == ["a", "b", "c"]
    onp.testing.assert_allclose([gd["a"], gd["b"], gd["c"]], [6.0, 12.0, 3.0])


def test_tensor_jacobian_product_and_ggnvp():
    A = onp.array([[1.0, 2.0, 0.0], [0.5, -1.0, 3.0]])
    f = lambda x: np.tanh(np.dot(A, x))
    J = onp.asarray(ag.jacobian(f)(X))
    u = onp.array([1.0, -2.0])
    onp.testing.assert_allclose(ag.tensor_jacobian_product(f)(X, u), u @ J, rtol=1e-12)
    onp.testing.assert_allclose(ag.vector_jacobian_product(f)(X, u), u @ J, rtol=1e-12)
    # GGN with g = 0.5 |y|^2: J^T J v
    v = onp.array([0.3, 0.1, -0.2])
    onp.testing.assert_allclose(ag.make_ggnvp(f)(X)(v), J.T @ (J @ v), rtol=1e-12)
    # with a general g: J^T H_g J v
    g = lambda y: np.sum(np.exp(y))
    Hg = onp.diag(onp.exp(onp.asarray(f(X))))
    onp.testing.assert_allclose(ag.make_ggnvp(f, g)(X)(v), J.T @ Hg @ J @ v, rtol=1e-12)


@given(st.lists(st.floats(-3, 3), min_size=1, max_size=5))
def test_grad_order_two_property(xs):
    x = onp.array(xs)
    f = lambda x: np.sum(np.sin(x) * x ** 2) + np.sum(x) ** 2
    H = onp.asarray(ag.hessian(f)(x))
    expect = onp.diag(-onp.sin(x) * x ** 2 + 4 * x * onp.cos(x) + 2 * onp.sin(x)) + 2.0
    onp.testing.assert_allclose(H, expect, rtol=1e-10, atol=1e-10)
    check_grads(f, modes=["rev"], order=2)(x)


def test_checkpoint_same_gradient_less_memory():
    n, depth = 200_000, 12

    def block(x):
        for _ in range(depth):
            x = np.sin(x) * 1.01 + 0.1
        return x

    ck = ag.checkpoint(block)
    x0 = onp.linspace(-1, 1, n)
    loss = lambda x: np.sum(block(x) ** 2)
    loss_ck = lambda x: np.sum(ck(x) ** 2)
    onp.testing.assert_array_equal(ag.grad(loss_ck)(x0), ag.grad(loss)(x0))

    def held(f):
        # memory held between forward and backward: the recorded graph of f
        vjp_ans = []
        tracemalloc.start()
        try:
            base = tracemalloc.get_traced_memory()[0]
            vjp, ans = ag.make_vjp(f)(x0)
            vjp_ans.append((vjp, ans))
            return tracemalloc.get_traced_memory()[0] - base
        finally:
            tracemalloc.stop()
    plain, checked = held(loss), held(loss_ck)
    # plain keeps ~2 arrays per step (24 x 1.6 MB); checkpointed keeps input and output
    assert plain > 8 * checked, (plain, checked)
    # a checkpointed function still differentiates twice
    onp.testing.assert_allclose(ag.hessian(lambda x: np.sum(ck(x) ** 2))(X),
                                ag.hessian(lambda x: np.sum(block(x) ** 2))(X), rtol=1e-12)


def test_vjp_pullback_differentiable_in_cotangent():
    x = nd.asarray([1.0, 2.0])
    _, pb = nd.vjp(lambda x: x ** 2, x)
    g = nd.grad(lambda c: nd.sum(pb(c)[0]))(nd.asarray([1.0, 1.0]))
    onp.testing.assert_allclose(g, [2.0, 4.0])


def test_inplace_writes_differentiate():
    # autograd refuses these; ndgrad differentiates them
    def f(x):
        a = np.zeros(3)
        a[0] = x[0] ** 2
        a[1:] = np.sin(x[1:])
        return np.sum(a * a)
    x = onp.array([0.5, 0.2, 0.3])
    expect = onp.array([4 * 0.25 * 0.5, 2 * onp.sin(0.2) * onp.cos(0.2),
                        2 * onp.sin(0.3) * onp.cos(0.3)])
    onp.testing.assert_allclose(ag.grad(f)(x), expect, rtol=1e-14)


def test_augmented_write_of_traced_scalar():
    def f(x):
        a = nd.zeros(3)
        a[2] += x[0]
        return nd.sum(a * a)
    onp.testing.assert_allclose(nd.grad(f)(nd.asarray([0.5, 0.2])), [1.0, 0.0])


def test_constant_output_warns_and_gives_zeros():
    with pytest.warns(UserWarning, match="independent of input"):
        g = ag.grad(lambda x: 3.0)(X)
    onp.testing.assert_array_equal(g, onp.zeros(3))
    with pytest.warns(UserWarning, match="independent of input"):
        ag.grad(lambda x: np.sum(onp.asarray(X)))(X)


def test_repeated_augmented_assignment_to_scalar():
    def f(x):
        loss = nd.sum(x) * 1.0
        loss += nd.sum(x * 2)
        loss += nd.sum(x * 3)
        return loss
    onp.testing.assert_allclose(nd.grad(f)(nd.asarray([1.0, 2.0])), [6.0, 6.0])


def test_full_with_traced_fill_value_keeps_gradient():
    # autograd's own define_gradient example writes np.full(shape, g) inside a VJP
    from ndgrad._ops.creation import full as std_full
    a = nd.asarray(2.0)
    assert float(nd.grad(lambda a: nd.sum(nd.full((3,), a) * nd.arange(3.0)))(a)) == 3.0
    assert float(nd.grad(lambda a: nd.sum(nd.full_like(nd.ones((2, 2)), a)))(a)) == 4.0
    assert float(nd.grad(lambda a: nd.sum(std_full((2, 3), a) ** 2))(a)) == 24.0
    assert float(ag.grad(lambda a: np.sum(np.full(4, a ** 2)))(3.0)) == 24.0
    out = nd.full((2,), a)
    out[0] = 5.0  # a fresh buffer, not a view of the fill value
    assert float(a) == 2.0

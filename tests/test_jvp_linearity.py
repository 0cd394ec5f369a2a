"""Forward mode through user-written gradient rules: ``nd.jvp`` transposes the rule, which
gives the Jacobian product only for a rule linear in its cotangent. A rule that bends the
cotangent (clips or squares it) raises; a linear one gives the exact tangent, eager and
under ``nd.jit`` (checked at each run of the plan, not once at the trace)."""
import numpy as np
import pytest

import ndgrad as nd
import ndgrad.autograd as ag
from ndgrad.autograd.extend import defvjp, primitive
from helpers import host


def _sin_with(bwd_of):
    @nd.custom_vjp
    def f(x):
        return nd.sin(x)
    f.defvjp(lambda x: (nd.sin(x), x), lambda x, g: (bwd_of(x, g),))
    return f


X = nd.asarray([0.3, 1.2, -0.7])
T = nd.asarray([1.0, -2.0, 0.5])
TRUE = np.cos(np.asarray(X)) * np.asarray(T)

NONLINEAR = {
    "squared": lambda x, g: nd.cos(x) * g * g,
    "clipped": lambda x, g: nd.clip(nd.cos(x) * g, -0.5, 0.5),
    "shifted": lambda x, g: nd.cos(x) * g + 1e-3,
}


@pytest.mark.parametrize("kind", sorted(NONLINEAR))
@pytest.mark.parametrize("mode", ["eager", "jit"])
def test_a_rule_not_linear_in_its_cotangent_raises(kind, mode):
    f = _sin_with(NONLINEAR[kind])
    call = (lambda x, t: nd.jvp(f, (x,), (t,))) if mode == "eager" else \
        nd.jit(lambda x, t: nd.jvp(f, (x,), (t,)))
    with pytest.raises(ValueError, match="custom_vjp function f is not linear"):
        call(X, T)
    # reverse mode keeps the rule (a clipped gradient is a valid heuristic there)
    nd.grad(lambda x: nd.sum(f(x)))(X)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("mode", ["eager", "jit"])
def test_a_linear_rule_gives_the_exact_tangent(dtype, mode):
    f = _sin_with(lambda x, g: nd.cos(x) * g)
    x = nd.asarray(np.linspace(-3, 3, 257).astype(dtype))
    t = nd.asarray(np.cos(np.arange(257.0)).astype(dtype))
    call = (lambda x, t: nd.jvp(f, (x,), (t,))) if mode == "eager" else \
        nd.jit(lambda x, t: nd.jvp(f, (x,), (t,)))
    y, jt = call(x, t)
    np.testing.assert_array_equal(np.asarray(jt),
                                  np.asarray(nd.jvp(nd.sin, (x,), (t,))[1]))
    assert np.asarray(jt).dtype == dtype


def test_jit_checks_at_each_run():
    # linear where x <= 0.5, not beyond: the first run passes, a later one must raise
    f = _sin_with(lambda x, g: nd.where(x > 0.5, g * g, g) * nd.cos(x))
    j = nd.jit(lambda x, t: nd.jvp(f, (x,), (t,))[1])
    x = nd.asarray([0.1, 0.2])
    t = nd.asarray([1.0, 2.0])
    np.testing.assert_allclose(np.asarray(j(x, t)), np.cos([0.1, 0.2]) * [1.0, 2.0],
                               rtol=1e-15)
    with pytest.raises(ValueError, match="not linear"):
        j(nd.asarray([0.1, 0.9]), t)


def test_complex_and_multi_output_linear_rules():
    @nd.custom_vjp
    def c(z):
        return z * (2 + 1j)
    c.defvjp(lambda z: (z * (2 + 1j), None), lambda r, g: (g * (2 + 1j),))

    @nd.custom_vjp
    def cj(z):
        return nd.conj(z)
    cj.defvjp(lambda z: (nd.conj(z), None), lambda r, g: (nd.conj(g),))   # real-linear
    z, t = nd.asarray([1 + 1j, -2 + 0.5j]), nd.asarray([1 - 2j, 0.5j])
    np.testing.assert_allclose(np.asarray(nd.jvp(c, (z,), (t,))[1]),
                               np.asarray(t) * (2 + 1j), rtol=1e-15)
    np.testing.assert_allclose(np.asarray(nd.jvp(cj, (z,), (t,))[1]),
                               np.conj(np.asarray(t)), rtol=1e-15)

    @nd.custom_vjp
    def m(x):
        return nd.sin(x), x * 2
    m.defvjp(lambda x: ((nd.sin(x), x * 2), x), lambda x, g: (g[0] * nd.cos(x) + 2 * g[1],))
    (a, b), (ta, tb) = nd.jvp(m, (X,), (T,))
    np.testing.assert_allclose(np.asarray(ta), TRUE, rtol=1e-15)
    np.testing.assert_allclose(np.asarray(tb), 2 * np.asarray(T), rtol=1e-15)


def test_gradient_of_a_jvp_through_a_linear_rule():
    @nd.custom_vjp
    def h(x):
        return x ** 3
    h.defvjp(lambda x: (x ** 3, x), lambda x, g: (3 * x ** 2 * g,))

    def s(x):
        return nd.sum(nd.jvp(h, (x,), (nd.ones_like(x),))[1])
    x = nd.asarray([1.0, -2.0])
    np.testing.assert_allclose(np.asarray(nd.grad(s)(x)), [6.0, -12.0], rtol=1e-15)
    np.testing.assert_allclose(np.asarray(nd.jit(nd.grad(s))(x)), [6.0, -12.0], rtol=1e-15)


def test_a_nan_tangent_is_no_error():
    f = _sin_with(lambda x, g: nd.cos(x) * g)
    jt = np.asarray(nd.jvp(f, (X,), (nd.asarray([np.nan, 1.0, 1.0]),))[1])
    assert np.isnan(jt[0]) and np.allclose(jt[1:], np.cos(np.asarray(X)[1:]))


def test_autograd_primitives_rules():
    @primitive
    def sq(x):
        return x * x
    defvjp(sq, lambda ans, x: lambda g: 2 * x * g * g)
    with pytest.raises(ValueError, match="autograd primitive sq is not linear"):
        ag.make_jvp(sq)(nd.asarray([1.0, 3.0]))(nd.asarray([1.0, 1.0]))
    defvjp(sq, lambda ans, x: lambda g: 2 * x * g)
    _, jt = ag.make_jvp(sq)(nd.asarray([1.0, 3.0]))(nd.asarray([1.0, -1.0]))
    np.testing.assert_array_equal(np.asarray(jt), [2.0, -6.0])


def test_every_backend(device):
    x = nd.asarray([0.3, 1.2], device=device)
    t = nd.asarray([1.0, -2.0], device=device)
    f = _sin_with(lambda x, g: nd.cos(x) * g)
    np.testing.assert_allclose(host(nd.jvp(f, (x,), (t,))[1]),
                               np.cos([0.3, 1.2]) * [1.0, -2.0], rtol=1e-15)
    with pytest.raises(ValueError, match="not linear"):
        nd.jvp(_sin_with(NONLINEAR["squared"]), (x,), (t,))


def test_rules_are_collected_only_inside_a_forward_pass():
    from ndgrad._autograd import forward_mode
    f = _sin_with(NONLINEAR["squared"])
    for _ in range(3):   # reverse mode at every order: nothing is kept for forward mode
        nd.hessian(lambda v: nd.sum(f(v)))(X)
    assert forward_mode._RULES.ran is None
    # a jvp inside a jvp: the bent rule met in the inner pass is still caught
    with pytest.raises(ValueError, match="not linear"):
        nd.jvp(lambda x: nd.jvp(f, (x,), (T,))[1], (X,), (T,))
    assert forward_mode._RULES.ran is None
    # a linear rule after the error: no name left over from the failed pass
    g = _sin_with(lambda x, g: nd.cos(x) * g)
    np.testing.assert_allclose(np.asarray(nd.jvp(g, (X,), (T,))[1]), TRUE, rtol=1e-15)

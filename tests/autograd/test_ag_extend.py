"""autograd's extension API (primitive, defvjp, defjvp ...), test_util, misc.flatten,
misc.optimizers and fixed_points, on ndgrad.autograd."""
import numpy as onp
import pytest

import ndgrad as nd
from helpers import host  # noqa: E402  (an explicit copy off any device)
import ndgrad.autograd as ag
import ndgrad.autograd.numpy as np
import ndgrad.autograd.numpy.random as npr
from ndgrad.autograd.extend import (primitive, defvjp, defjvp, defvjp_argnum, defjvp_argnum,
                                    defvjp_argnums, def_linear, notrace_primitive, Box,
                                    vspace)
from ndgrad.autograd.test_util import check_grads, combo_check
from ndgrad.autograd.misc import flatten
from ndgrad.autograd.misc.flatten import flatten_func
from ndgrad.autograd.misc.optimizers import adam, sgd, rmsprop
from ndgrad.autograd.misc.fixed_points import fixed_point


@primitive
def logsumexp(x):
    m = np.max(x)
    return m + np.log(np.sum(np.exp(x - m)))


defvjp(logsumexp, lambda ans, x: lambda g: np.full(x.shape, g) * np.exp(x - ans))


def lse_plain(x):
    m = np.max(x)
    return m + np.log(np.sum(np.exp(x - m)))


X = onp.array([0.1, 0.5, -0.3, 1.2])


def test_primitive_first_second_order_and_forward_mode():
    onp.testing.assert_allclose(ag.grad(logsumexp)(X), ag.grad(lse_plain)(X), rtol=1e-14)
    onp.testing.assert_allclose(ag.hessian(logsumexp)(X), ag.hessian(lse_plain)(X),
                                rtol=1e-12, atol=1e-15)
    # forward mode goes through the (differentiable) VJP
    v = onp.array([1.0, -1.0, 0.5, 2.0])
    onp.testing.assert_allclose(ag.make_jvp(logsumexp)(X)(v)[1],
                                ag.make_jvp(lse_plain)(X)(v)[1], rtol=1e-13)
    check_grads(logsumexp, modes=["fwd", "rev"], order=2)(X)
    # the primitive body is not traced: in-place writes inside are fine
    @primitive
    def cumsum_inplace(x):
        out = onp.array(x)
        for i in range(1, len(out)):
            out[i] += out[i - 1]
        return out
    defvjp(cumsum_inplace, lambda ans, x: lambda g: np.cumsum(g[::-1])[::-1])
    check_grads(cumsum_inplace, modes=["rev", "fwd"], order=2)(X)


def test_wrong_rule_is_caught():
    @primitive
    def bad_square(x):
        return x ** 2
    defvjp(bad_square, lambda ans, x: lambda g: g * 3 * x)
    with pytest.raises(AssertionError, match="VJP.*bad_square"):
        check_grads(bad_square, modes=["rev"], order=1)(X)
    with pytest.raises(AssertionError):
        check_grads(bad_square, modes=["fwd"], order=1)(X)


def test_multiple_args_argnum_forms_and_none():
    @primitive
    def mul(a, b, scale=1.0):
        return a * b * scale
    calls = []
    defvjp(mul, lambda ans, a, b, scale=1.0: (calls.append("a"), lambda g: g * b * scale)[1],
           lambda ans, a, b, scale=1.0: (calls.append("b"), lambda g: g * a * scale)[1])
    a, b = onp.array([1.0, 2.0]), onp.array([3.0, 4.0])
    f = lambda a, b: np.sum(mul(a, b, scale=2.0))
    onp.testing.assert_allclose(ag.grad(f, 0)(a, b), 2 * b)
    assert calls == ["a"]  # only the wanted argument's rule runs
    onp.testing.assert_allclose(ag.grad(f, 1)(a, b), 2 * a)
    # a constant argument can be a plain array; integer args are never traced
    onp.testing.assert_allclose(ag.grad(lambda b: np.sum(mul(a, b)))(b), a)

    @primitive
    def scaled(k, x):
        return k * x
    defvjp(scaled, None, lambda ans, k, x: lambda g: k * g)
    onp.testing.assert_allclose(ag.grad(lambda x: np.sum(scaled(3, x)))(a), [3.0, 3.0])
    # None declares argnum 0's gradient zero (autograd's translate_vjp)
    assert float(ag.grad(lambda k: np.sum(scaled(k, a)))(2.0)) == 0.0

    @primitive
    def hyp(a, b):
        return np.sqrt(a ** 2 + b ** 2)
    defvjp_argnum(hyp, lambda argnum, ans, args, kwargs: lambda g: g * args[argnum] / ans)
    check_grads(hyp, (0, 1), modes=["rev"], order=2)(3.0, 4.0)

    @primitive
    def both(a, b):
        return a * np.exp(b)
    defvjp_argnums(both, lambda argnums, ans, args, kwargs: lambda g: tuple(
        g * np.exp(args[1]) if n == 0 else g * ans for n in argnums))
    check_grads(both, (0, 1), modes=["rev"], order=1)(0.7, -0.2)


def test_defjvp_only_gives_reverse_mode_too():
    @primitive
    def cube(x):
        return x ** 3
    defjvp(cube, lambda g, ans, x: 3 * x ** 2 * g)
    onp.testing.assert_allclose(ag.grad(lambda x: np.sum(cube(x)))(X), 3 * X ** 2)
    check_grads(cube, modes=["fwd", "rev"], order=2)(X)

    @primitive
    def jvp_argnum_fn(a, b):
        return a * b
    defjvp_argnum(jvp_argnum_fn, lambda argnum, g, ans, args, kwargs: g * args[1 - argnum])
    check_grads(jvp_argnum_fn, (0, 1), modes=["fwd", "rev"], order=1)(1.5, -2.0)

    @primitive
    def lin(x):
        return 2.0 * x
    def_linear(lin)
    with pytest.raises(NotImplementedError, match="linear"):
        ag.grad(lambda x: np.sum(lin(x)))(X)
    defvjp(lin, lambda ans, x: lambda g: 2.0 * g)
    onp.testing.assert_allclose(ag.grad(lambda x: np.sum(lin(x)))(X), [2.0] * 4)
    defjvp(lin, "same")
    check_grads(lin, modes=["fwd", "rev"])(X)


def test_container_args_and_outputs():
    @primitive
    def split(x):
        return (x[:2] * 1.0, x[2:] * 1.0)
    defvjp(split, lambda ans, x: lambda g: np.concatenate(g))
    f = lambda x: np.sum(split(x)[0] ** 2) + 3 * np.sum(split(x)[1])
    onp.testing.assert_allclose(ag.grad(f)(X), [0.2, 1.0, 3.0, 3.0])

    @primitive
    def weighted(pair, w):
        a, b = pair
        return w * a + b
    defvjp(weighted, lambda ans, pair, w: lambda g: (g * w, g),
           lambda ans, pair, w: lambda g: np.sum(g * pair[0]))
    gp = ag.grad(lambda p: np.sum(weighted(p, 2.0)))((onp.ones(2), onp.ones(2)))
    onp.testing.assert_allclose(gp[0], [2.0, 2.0])
    onp.testing.assert_allclose(gp[1], [1.0, 1.0])
    with pytest.raises(TypeError, match="keyword argument 'w'"):
        ag.grad(lambda w: np.sum(weighted((onp.ones(2), onp.ones(2)), w=w)))(2.0)


def test_notrace_primitive_and_box():
    seen = []
    shape_of = notrace_primitive(lambda x: (seen.append(isinstance(x, Box)), np.shape(x))[1])
    g = ag.grad(lambda x: np.sum(x) * len(shape_of(x)))(X)
    onp.testing.assert_allclose(g, [1.0] * 4)
    assert seen == [False]
    inside = []
    ag.grad(lambda x: inside.append(isinstance(x, Box)) or np.sum(x))(X)
    assert inside == [True] and not isinstance(np.ones(2), Box)


def test_vspace():
    vs = vspace({"a": onp.ones((2, 3)), "b": [1.0, onp.zeros(2, dtype=complex)]})
    assert vs.size == 9 and vs.iscomplex
    z = vs.zeros()
    assert z["a"].shape == (2, 3) and z["b"][1].dtype == onp.complex128
    assert len(list(vspace(onp.ones(3)).standard_basis())) == 3
    with pytest.raises(TypeError, match="no vector space"):
        vspace("text")


def test_check_grads_curried_and_combo_check():
    check_grads(lambda x, y: np.sum(np.sin(x) * y), (0, 1))(X, X[::-1].copy())
    seen = []

    def f(x, y, power=1):
        seen.append(power)
        return np.sum(x ** power * y)
    combo_check(f, (0, 1), modes=["rev"], order=1)([X], [onp.array([1.0, 2.0, 3.0, 4.0]),
                                                          2.0], power=[1, 2])
    assert set(seen) == {1, 2}


def test_flatten_round_trip_and_gradient():
    tree = {"w": [onp.ones((2, 2)), 3.0], "b": (onp.arange(3.0),)}
    v, unflatten = flatten(tree)
    onp.testing.assert_allclose(v, [0.0, 1.0, 2.0, 1.0, 1.0, 1.0, 1.0, 3.0])
    back = unflatten(v * 2)
    assert back["w"][0].shape == (2, 2) and float(back["w"][1]) == 6.0
    assert isinstance(back["b"], tuple)
    # unflatten is differentiable (optimizers rely on it)
    g = ag.grad(lambda v: np.sum(unflatten(v)["w"][0] ** 2))(v)
    onp.testing.assert_allclose(g, [0, 0, 0, 2, 2, 2, 2, 0])
    with pytest.raises(ValueError, match="shape \\(8,\\)"):
        unflatten(onp.ones(7))
    f, unf, ex = flatten_func(lambda t: {"y": t["w"][0] * 2}, tree)
    onp.testing.assert_allclose(f(ex), onp.full(4, 2.0))


def test_flatten_matches_autograd():
    pytest.importorskip("autograd")
    from autograd.misc import flatten as aflatten
    tree = {"z": [onp.ones(2), (onp.arange(3.0), 4.0)], "a": onp.eye(2)}
    onp.testing.assert_array_equal(flatten(tree)[0], aflatten(tree)[0])


@pytest.mark.parametrize("name", ["adam", "sgd", "rmsprop"])
def test_optimizers_match_autograd(name):
    opt = {"adam": adam, "sgd": sgd, "rmsprop": rmsprop}[name]
    target = onp.array([1.0, -2.0, 0.5])

    def objective(params, i):
        return np.sum((params["w"] - target) ** 2) + (params["b"][0] - 1.0) ** 2 * (1 + i % 3)
    x0 = {"w": onp.zeros(3), "b": [onp.array(0.5)]}
    kw = dict(num_iters=60, step_size=0.05)
    trace = []
    got = opt(ag.grad(objective), x0, callback=lambda x, i, g: trace.append(float(
        objective(x, i))), **kw)
    assert trace[-1] < 0.5 * trace[0]
    autograd = pytest.importorskip("autograd")
    import autograd.numpy as anp
    from autograd.misc import optimizers as aopt

    def aobjective(params, i):
        return anp.sum((params["w"] - target) ** 2) + (params["b"][0] - 1.0) ** 2 * (1 + i % 3)
    ref = getattr(aopt, name)(autograd.grad(aobjective), x0, **kw)
    onp.testing.assert_allclose(got["w"], ref["w"], rtol=1e-12)
    onp.testing.assert_allclose(got["b"][0], ref["b"][0], rtol=1e-12)


def test_fixed_point_gradient():
    newton_sqrt = lambda a: lambda x: 0.5 * (x + a / x)
    dist = lambda x, y: np.abs(x - y)
    sqrt = lambda a: fixed_point(newton_sqrt, a, 1.0, dist, 1e-12)
    for a in (2.0, 9.0):
        onp.testing.assert_allclose(sqrt(a), onp.sqrt(a))
        onp.testing.assert_allclose(ag.grad(sqrt)(a), 0.5 / onp.sqrt(a), rtol=1e-9)


def test_random_streams_are_numpys():
    npr.seed(3)
    a = npr.randn(4)
    onp.random.seed(3)
    onp.testing.assert_array_equal(a, onp.random.randn(4))
    rs = npr.RandomState(0)
    onp.testing.assert_array_equal(rs.randn(2, 2), onp.random.RandomState(0).randn(2, 2))
    onp.testing.assert_allclose(np.linalg.inv(np.eye(2) * 2.0), onp.eye(2) / 2)
    assert np.fft.fft(np.ones(4)).shape == (4,)
    assert np.__version__ == onp.__version__


def test_scipy_face_forwards_to_ndgrad_scipy():
    sp = pytest.importorskip("ndgrad.scipy")
    import ndgrad.autograd.scipy.special as special
    import ndgrad.autograd.scipy.stats.norm as norm
    from ndgrad.autograd.scipy.stats import multivariate_normal  # noqa: F401
    assert special.logsumexp is sp.special.logsumexp
    x = onp.array([0.1, -0.4])
    onp.testing.assert_allclose(norm.logpdf(x, 0.0, 1.0), -x ** 2 / 2 - 0.5 * onp.log(2 * onp.pi))
    check_grads(lambda x: special.logsumexp(x), modes=["rev"])(x)


def test_every_backend(device):
    # primitives, checkpoint, flatten and the operators keep arrays on their device;
    # outside a trace, CPU results come back as NumPy values (as autograd's do)
    x = nd.asarray([1.0, 2.0], device=device)

    @primitive
    def sq(x):
        return x * x
    defvjp(sq, lambda ans, x: lambda g: 2 * g * x)
    g = ag.grad(lambda x: np.sum(sq(x) * x))(x)
    H = ag.hessian(lambda x: np.sum(sq(x) * x))(x)
    ck = ag.checkpoint(lambda x: np.sin(x) * x)
    gc = ag.grad(lambda x: np.sum(ck(x)))(x)
    hv = nd.hvp(lambda x: nd.sum(x ** 3), (x,), (nd.ones(2, device=device),))
    v, unflatten = flatten([x, {"a": x}])
    for r in (g, H, gc):
        if device == "cpu":
            assert isinstance(r, onp.ndarray)
        else:
            assert isinstance(r, nd.Array) and r.device == x.device
    assert hv.device == x.device and v.device == x.device
    onp.testing.assert_allclose(host(g), [3.0, 12.0])
    onp.testing.assert_allclose(host(H), [[6.0, 0.0], [0.0, 12.0]])
    onp.testing.assert_allclose(host(gc), onp.sin([1.0, 2.0]) + onp.cos([1.0, 2.0])
                                * onp.array([1.0, 2.0]))
    onp.testing.assert_allclose(host(hv), [6.0, 12.0])
    assert unflatten(v)[1]["a"].device == x.device


def test_defvjp_none_declares_a_zero_gradient():
    # autograd's update guide: ``defvjp(func, vjp0, vjp1, None)`` replaces
    # ``defvjp_is_zero(argnums=[2])``; the gradient there is zero (it raised before)
    @primitive
    def func(x, y, z):
        assert z != 0
        return x * y ** 2
    defvjp(func, lambda ans, x, y, z: lambda g: g * y ** 2,
           lambda ans, x, y, z: lambda g: 2 * g * x * y, None)
    assert float(ag.grad(func, 0)(2.0, 3.0, 1.0)) == 9.0
    assert float(ag.grad(func, 1)(2.0, 3.0, 1.0)) == 12.0
    assert float(ag.grad(func, 2)(2.0, 3.0, 1.0)) == 0.0
    # through a program: only the declared rules count (x's share from y = 2x is zero)
    @primitive
    def h(x, y):
        return x * y
    defvjp(h, lambda ans, x, y: lambda g: g * y, None)
    v = np.array([1.0, 2.0])
    onp.testing.assert_array_equal(host(ag.grad(lambda x: np.sum(h(x, 2.0 * x)))(v)),
                                   [2.0, 4.0])


def test_defjvp_none_declares_a_zero_tangent_and_bad_rules_are_refused():
    @primitive
    def f(x, y):
        return x * y
    defjvp(f, lambda g, ans, x, y: g * y, None)
    assert float(ag.make_jvp(f, 0)(2.0, 3.0)(1.0)[1]) == 3.0
    assert float(ag.make_jvp(f, 1)(2.0, 3.0)(1.0)[1]) == 0.0
    before = dict(f.vjps)
    with pytest.raises(TypeError, match="Bad VJP 3"):
        defvjp(f, lambda ans, x, y: lambda g: g * y, 3)
    assert f.vjps == before           # nothing was changed by the refused call
    with pytest.raises(TypeError, match="Bad JVP"):
        defjvp(f, "linear")

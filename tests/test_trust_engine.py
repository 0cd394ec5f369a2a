"""The autograd engine never gives a silent wrong result (issue 8, engine side): aliasing,
writes into the differentiated input, 0-d values and NumPy scalars, compositions of the
verbs to depth 3, complex numbers with JAX's conventions, size-1 outputs. Each value is
checked against an analytic derivative or central finite differences."""
import operator

import numpy as np
import pytest

import ndgrad as nd
from helpers import host  # noqa: E402  (an explicit copy off any device)
from helpers import fd_grad as fd


def close(actual, expected, rtol=1e-7, atol=1e-9):
    np.testing.assert_allclose(host(actual), expected, rtol=rtol, atol=atol)


# -- 1. identity: sharing a buffer is not being the same variable ----------------------------
def test_constant_sharing_the_inputs_buffer_is_a_constant():
    x = nd.asarray([1.0, 2.0, 3.0])
    close(nd.grad(lambda t: nd.sum(t * x))(x), [1.0, 2.0, 3.0])
    close(nd.grad(lambda t: nd.sum(x * t))(x), [1.0, 2.0, 3.0])


def test_penalty_towards_the_starting_point():
    w0 = nd.asarray([0.5, -1.0])
    # sum(w * w0) + sum((w - w0)**2) at w = w0: gradient w0
    f = lambda w: nd.sum(w * w0) + nd.sum((w - w0) ** 2)
    close(nd.grad(f)(w0), [0.5, -1.0])
    close(nd.grad(f)(w0), fd(f, [0.5, -1.0]), rtol=1e-6)


def test_same_variable_squared_is_still_right():
    f = lambda t: nd.sum(t * t)
    close(nd.grad(f)(nd.asarray([1.0, 2.0])), [2.0, 4.0])
    close(nd.hessian(f)(nd.asarray([1.0, 2.0])), 2 * np.eye(2))


def test_two_arguments_sharing_one_buffer():
    x = nd.asarray([1.0, 2.0])
    ga, gb = nd.grad(lambda a, b: nd.sum(a * b), argnums=(0, 1))(x, x)
    close(ga, [1.0, 2.0])
    close(gb, [1.0, 2.0])
    # each gradient is its own array
    g1, g2 = nd.grad(lambda a, b: nd.sum(a + b), argnums=(0, 1))(x, x)
    g1[0] = 100.0
    assert float(g2[0]) == 1.0


def test_leaf_times_its_detached_self():
    w = nd.asarray([1.0, 2.0, 3.0], requires_grad=True)
    nd.sum(w * w.detach()).backward()
    close(w.grad, [1.0, 2.0, 3.0])


def test_nested_grad_of_the_outer_variable():
    # d/dx [ d/dy (x * y) at y = x ] = d/dx x = 1 (the inner start shares x's buffer)
    close(nd.grad(lambda x: nd.grad(lambda y: x * y)(x))(nd.asarray(3.0)), 1.0)


def test_perturbation_confusion():
    # Siskind and Pearlmutter: d/dx [x * d/dy (x + y)] = 1, not 2
    f = lambda x: x * nd.grad(lambda y: x + y)(nd.asarray(1.0))
    close(nd.grad(f)(nd.asarray(3.0)), 1.0)
    g = lambda x: x * nd.jvp(lambda y: x + y, (nd.asarray(1.0),), (nd.asarray(1.0),))[1]
    close(nd.grad(g)(nd.asarray(3.0)), 1.0)
    close(nd.jvp(g, (nd.asarray(3.0),), (nd.asarray(1.0),))[1], 1.0)


def test_write_into_a_constant_after_a_rule_read_its_buffer():
    x = nd.asarray([0.1, 0.2, 0.3])

    def f(t):
        y = nd.sum(nd.sin(t))     # sin's rule reads t, which is x's buffer
        x[0] = 100.0              # a write into the caller's constant
        return y
    close(nd.grad(f)(x), np.cos([0.1, 0.2, 0.3]))
    assert float(x[0]) == 100.0   # the write itself happened (NumPy semantics)


def test_write_into_the_primal_before_the_pullback_runs():
    x = nd.asarray([0.1, 0.2])
    y, pb = nd.vjp(lambda t: nd.sin(t), x)
    x[...] = 5.0
    close(pb(nd.ones(2))[0], np.cos([0.1, 0.2]))


def test_grad_does_not_write_into_a_leaf_it_closes_over():
    w = nd.asarray(2.0, requires_grad=True)
    w3 = w * 3.0
    close(nd.grad(lambda x: x * w3)(nd.asarray(3.0)), 6.0)
    assert w.grad is None                 # functional verbs never touch .grad
    w3.backward()                         # and w3's graph is still there
    close(w.grad, 3.0)


def test_grad_buffers_are_never_shared():
    x = nd.asarray([1.0, 2.0], requires_grad=True)
    y = nd.asarray([3.0, 4.0], requires_grad=True)
    g = nd.asarray([1.0, 1.0])
    (x + y).backward(g)
    assert not np.shares_memory(host(x.grad), host(y.grad))
    assert not np.shares_memory(host(x.grad), host(g))
    with nd.no_grad():
        x.grad[0] = 7.0
    close(y.grad, [1.0, 1.0])
    close(g, [1.0, 1.0])


# -- 2. writes into the differentiated input -------------------------------------------------
def test_write_into_the_input_gives_the_gradient_of_the_program():
    def f(A):
        A[0] = 0.0
        return nd.sum(2 * A)
    x = nd.asarray([1.0, 2.0, 3.0])
    close(nd.grad(f)(x), [0.0, 2.0, 2.0])
    close(x, [1.0, 2.0, 3.0])             # the caller's array keeps its values
    close(nd.grad(f)(x), fd(f, [1.0, 2.0, 3.0]))


def test_inplace_operator_on_the_input():
    def f(x):
        x += 1.0
        x *= x
        return nd.sum(x)
    v = np.array([0.5, -2.0])
    x = nd.asarray(v)
    close(nd.grad(f)(x), 2 * (v + 1))
    close(x, v)


def test_write_through_a_view_of_the_input():
    def f(A):
        v = A[1:]
        v *= 3.0
        v[0] = A[0] * 5.0
        return nd.sum(A * A)
    v0 = np.array([1.0, 2.0, 3.0])
    # A = [a0, 5 a0, 3 a2]: sum = a0^2 + 25 a0^2 + 9 a2^2
    close(nd.grad(f)(nd.asarray(v0)), [52.0, 0.0, 54.0])
    close(nd.grad(f)(nd.asarray(v0)), fd(f, v0), rtol=1e-6)


def test_write_into_the_input_nested_and_in_vjp():
    def f(A):
        A[1] = A[0] ** 2
        return nd.sum(A ** 2)
    x = np.array([1.5, 2.0])
    # f = a0^2 + a0^4: f' = 2 a0 + 4 a0^3, f'' = 2 + 12 a0^2
    close(nd.grad(f)(nd.asarray(x)), [2 * 1.5 + 4 * 1.5 ** 3, 0.0])
    close(nd.hessian(f)(nd.asarray(x)), [[2 + 12 * 1.5 ** 2, 0.0], [0.0, 0.0]])
    _, pb = nd.vjp(f, nd.asarray(x))
    close(pb(nd.asarray(1.0))[0], [2 * 1.5 + 4 * 1.5 ** 3, 0.0])


@pytest.mark.parametrize("write", [
    lambda a: a.__setitem__(0, 0.0),
    lambda a: a.__iadd__(1.0),
    lambda a: a[1:].__setitem__(slice(None), 0.0),
    lambda a: a[1:].__imul__(2.0),
], ids=["setitem", "iadd", "view-setitem", "view-imul"])
def test_write_into_a_requires_grad_leaf_raises_as_pytorch(write):
    a = nd.asarray([1.0, 2.0, 3.0], requires_grad=True)
    with pytest.raises(RuntimeError, match=r"leaf array that requires grad \(shape \(3,\)"):
        write(a)
    close(a, [1.0, 2.0, 3.0])             # nothing was changed
    assert a.is_leaf
    nd.sum(2 * a).backward()
    close(a.grad, [2.0, 2.0, 2.0])


def test_leaf_updates_under_no_grad_and_through_detach():
    a = nd.asarray([1.0, 2.0], requires_grad=True)
    y = nd.sum(nd.exp(a))                 # exp's rule keeps its output
    with nd.no_grad():
        a -= 0.5                          # an optimizer step
    a.detach()[0] = 10.0
    assert a.is_leaf and a.requires_grad
    close(a, [10.0, 1.5])
    y.backward()                          # the values the rule read are kept
    close(a.grad, np.exp([1.0, 2.0]))


# -- 4. 0-d values and NumPy scalars ---------------------------------------------------------
def _min_char_rnn_loss(Wxh, Whh, Why, bh, by, inputs=(0, 1, 2, 3), targets=(1, 2, 3, 4)):
    np_ = nd                              # Karpathy's min-char-rnn, with ``import ndgrad as np``
    V, H = Wxh.shape[1], Wxh.shape[0]
    xs, hs, ys, ps = {}, {}, {}, {}
    hs[-1] = np_.copy(np_.zeros((H, 1)))
    loss = 0
    for t in range(len(inputs)):
        xs[t] = np_.zeros((V, 1))
        xs[t][inputs[t]] = 1
        hs[t] = np_.tanh(np_.dot(Wxh, xs[t]) + np_.dot(Whh, hs[t - 1]) + bh)
        ys[t] = np_.dot(Why, hs[t]) + by
        ps[t] = np_.exp(ys[t]) / np_.sum(np_.exp(ys[t]))
        loss += -np.log(ps[t][targets[t], 0])
    return loss


def test_min_char_rnn_loss_pattern():
    rng = np.random.default_rng(0)
    V, H = 5, 4
    params = [rng.standard_normal(s) * 0.5 for s in [(H, V), (H, H), (V, H), (H, 1), (V, 1)]]
    grads = nd.grad(_min_char_rnn_loss, argnums=(0, 1, 2, 3, 4))(*map(nd.asarray, params))
    for k in range(5):
        def f(p, k=k):
            a = [nd.asarray(q) for q in params]
            a[k] = p
            return _min_char_rnn_loss(*a)
        close(grads[k], fd(f, params[k]), rtol=1e-5, atol=1e-7)
    ws = [nd.asarray(p, requires_grad=True) for p in params]
    _min_char_rnn_loss(*ws).backward()
    for w, g in zip(ws, grads):
        close(w.grad, host(g), rtol=1e-12)


def test_inplace_operator_on_a_0d_intermediate():
    def f(x):
        t = nd.sum(x)
        t += 2.0
        return t * x
    x = nd.asarray([1.0, 2.0], requires_grad=True)
    f(x).sum().backward()
    # sum((s + 2) x) = (s + 2) s: gradient 2 s + 2
    close(x.grad, [8.0, 8.0])
    close(nd.jacobian(f)(nd.asarray([1.0, 2.0])), [[6.0, 1.0], [2.0, 7.0]])


# the 0-d operand forms a value takes in NumPy code: a traced 0-d array, a NumPy scalar
# (np.float64, np.float32), a Python float, a 0-d NumPy array
_OTHERS = {"npf64": lambda: np.float64(1.25), "npf32": lambda: np.float32(1.25),
           "pyfloat": lambda: 1.25, "np0d": lambda: host(1.25),
           "nd0d": lambda: nd.asarray(1.25)}
_BINOPS = ["add", "sub", "mul", "truediv", "pow", "mod"]
_PYOPS = {"add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b,
          "truediv": lambda a, b: a / b, "pow": lambda a, b: a ** b,
          "mod": lambda a, b: a % b}


def _inplace(name):
    """``a op= b`` (operator.iadd and friends rebind as the statement does)."""
    return getattr(operator, "i" + name)


@pytest.mark.parametrize("other", sorted(_OTHERS))
@pytest.mark.parametrize("op", _BINOPS)
@pytest.mark.parametrize("form", ["left", "right", "inplace", "inplace-into-other"])
def test_0d_and_numpy_scalar_operands(op, other, form):
    fn = _PYOPS[op] if form in ("left", "right") else _inplace(op)

    def f(x):
        t = nd.sum(x) * 1.0 + 0.5         # a traced 0-d intermediate, 1.5 + sum(x)
        o = _OTHERS[other]()
        if form == "left" or form == "inplace":
            r = fn(t, o)
        else:
            r = fn(o, t)
        return r * 1.0
    x0 = np.array([0.5])
    if form == "inplace-into-other" and other == "np0d":
        # a NumPy array cannot hold a traced value: a clear error, not a lost gradient
        with pytest.raises(TypeError, match="NumPy array of shape"):
            nd.grad(f)(nd.asarray(x0))
        return
    tv = 1.0
    o = 1.25
    expect_val = _PYOPS[op](tv, o) if form in ("left", "inplace") else _PYOPS[op](o, tv)
    val, g = nd.value_and_grad(f)(nd.asarray(x0))
    close(val, expect_val, rtol=1e-6)
    # float32 operands limit the finite-difference accuracy
    close(g, fd(f, x0), rtol=1e-5, atol=1e-6)
    xa = nd.asarray(x0, requires_grad=True)
    f(xa).backward()
    close(xa.grad, host(g), rtol=1e-12)


# -- 5. compositions of the verbs ------------------------------------------------------------
def test_jvp_of_a_pullback_depends_on_the_cotangent_and_the_primal():
    a = nd.asarray(2.0)

    def h(b):
        _, pb = nd.vjp(lambda a_: a_ / b, a)
        return pb(nd.asarray(1.0))[0]     # d(a/b)/da = 1/b
    b = 1.05
    close(nd.jvp(h, (nd.asarray(b),), (nd.asarray(1.0),))[1], -1 / b ** 2)
    # a pullback made outside: its dependence on the cotangent u (here u / 1.1)
    _, pb = nd.vjp(lambda a_: a_ / nd.asarray(1.1), a)
    close(nd.jvp(lambda u: pb(u)[0], (nd.asarray(1.0),), (nd.asarray(1.0),))[1], 1 / 1.1)
    close(nd.grad(lambda u: pb(u)[0])(nd.asarray(1.0)), 1 / 1.1)


def test_jvp_of_jvp():
    v = nd.asarray([1.0, 2.0])
    x = np.array([0.5, 1.0])
    inner = lambda x_: nd.jvp(nd.sin, (x_,), (v,))[1]          # cos(x) v
    close(nd.jvp(inner, (nd.asarray(x),), (nd.ones(2),))[1], -np.sin(x) * [1, 2])
    close(nd.jvp(lambda v_: nd.jvp(nd.sin, (nd.asarray(x),), (v_,))[1],
                 (v,), (nd.ones(2),))[1], np.cos(x))


def _f3(x):
    return nd.sin(x[0]) * nd.exp(x[1]) + x[0] ** 3 * x[1]


def _third(x):
    """The analytic third-derivative tensor of _f3 at a 2-vector x."""
    a, b = x
    s, c, e = np.sin(a), np.cos(a), np.exp(b)
    by_order = [-c * e + 6 * b, -s * e + 6 * a, c * e, s * e]  # by the count of b's
    T = np.zeros((2, 2, 2))
    for i, j, k in np.ndindex(2, 2, 2):
        T[i, j, k] = by_order[i + j + k]
    return T


@pytest.mark.parametrize("how", [
    "grad-grad-grad", "jacobian-hessian", "jvp-hessian", "hessian-jvp-grad",
    "jacobian-jvp-grad", "vjp-jacobian-grad", "jvp-jvp-grad"])
def test_third_order_compositions(how):
    x = np.array([0.3, -0.4])
    T = _third(x)
    X = nd.asarray(x)
    e0 = nd.asarray([1.0, 0.0])
    e1 = nd.asarray([0.0, 1.0])
    if how == "grad-grad-grad":
        # d/dx0 of d/dx1 of d/dx0 f
        g = nd.grad(lambda z: nd.grad(lambda y: nd.grad(_f3)(y)[0])(z)[1])(X)
        close(g, T[0, 1], rtol=1e-10)
    elif how == "jacobian-hessian":
        close(nd.jacobian(nd.hessian(_f3))(X), T, rtol=1e-10)
    elif how == "jvp-hessian":
        close(nd.jvp(nd.hessian(_f3), (X,), (e1,))[1], T[:, :, 1], rtol=1e-10)
    elif how == "hessian-jvp-grad":
        hv = lambda y: nd.jvp(nd.grad(_f3), (y,), (e0,))[1][1]   # d2f/dx0 dx1
        close(nd.hessian(lambda y: nd.sum(nd.grad(_f3)(y) * e0))(X), T[0], rtol=1e-10)
        close(nd.grad(hv)(X), T[0, 1], rtol=1e-10)
    elif how == "jacobian-jvp-grad":
        close(nd.jacobian(lambda y: nd.jvp(nd.grad(_f3), (y,), (e1,))[1])(X), T[:, 1, :],
              rtol=1e-10)
    elif how == "vjp-jacobian-grad":
        _, pb = nd.vjp(lambda y: nd.jacobian(nd.grad(_f3))(y), X)
        close(pb(nd.asarray([[1.0, 0.0], [0.0, 0.0]]))[0], T[0, 0], rtol=1e-10)
    else:
        d3 = nd.jvp(lambda y: nd.jvp(lambda z: nd.grad(_f3)(z), (y,), (e0,))[1], (X,),
                    (e1,))[1]
        close(d3, T[:, 0, 1], rtol=1e-10)


def test_second_order_compositions_match_finite_differences():
    x = np.array([0.7, -0.2, 0.4])
    f = lambda y: nd.sum(nd.tanh(y) * y[::-1]) + nd.prod(y)
    H = nd.hessian(f)(nd.asarray(x))
    Hfd = np.stack([fd(lambda y, i=i: nd.grad(f)(y)[i], x) for i in range(3)])
    close(H, Hfd, rtol=1e-6, atol=1e-7)
    t = np.array([1.0, -1.0, 0.5])
    close(nd.jvp(nd.grad(f), (nd.asarray(x),), (nd.asarray(t),))[1], Hfd @ t, rtol=1e-6,
          atol=1e-7)
    close(nd.grad(lambda y: nd.jvp(f, (y,), (nd.asarray(t),))[1])(nd.asarray(x)),
          Hfd @ t, rtol=1e-6, atol=1e-7)
    _, pb = nd.vjp(nd.grad(f), nd.asarray(x))
    close(pb(nd.asarray(t))[0], Hfd @ t, rtol=1e-6, atol=1e-7)


def test_jvp_of_cumprod_with_a_zero():
    z = np.array([1.0, 0.0, 2.0])
    f = lambda v: nd.sum(nd.cumulative_prod(v))
    t = np.array([1.0, 1.0, 1.0])
    close(nd.jvp(f, (nd.asarray(z),), (nd.asarray(t),))[1], nd.grad(f)(nd.asarray(z)) @ t)


# -- 6. complex numbers: JAX's conventions ---------------------------------------------------
def test_real_input_through_complex_values_gets_a_real_cotangent():
    f = lambda x: nd.real(nd.sum(x * (1 + 2j) * x))          # sum(x^2)
    g = nd.grad(f)(nd.asarray([1.0, 2.0]))
    assert g.dtype == np.float64
    close(g, [2.0, 4.0])
    x = nd.asarray([0.5], requires_grad=True)
    nd.sum(nd.real(nd.exp(1j * x))).backward()
    assert x.grad.dtype == np.float64
    close(x.grad, -np.sin([0.5]))


def test_cotangent_keeps_the_primals_precision():
    g = nd.grad(lambda x: nd.sum(x * nd.asarray([1.0, 2.0])))(
        nd.asarray([1.0, 2.0], dtype=nd.float32))
    assert g.dtype == np.float32


def test_complex_input_gets_jaxs_complex_cotangent():
    z = np.array([1 + 1j, 2 - 1j])
    # JAX: grad of a real f(x + iy) is df/dx - i df/dy; for |z|^2 that is 2 conj(z)
    g = nd.grad(lambda v: nd.sum(nd.real(v * nd.conj(v))))(nd.asarray(z))
    assert g.dtype == np.complex128
    close(g, 2 * np.conj(z))
    g = nd.grad(lambda v: nd.sqrt(nd.sum(nd.abs(v) ** 2)))(nd.asarray(z))
    close(g, np.conj(z) / np.linalg.norm(z))


def test_grad_of_linalg_norm_of_a_complex_vector():
    z = np.array([1 + 1j, 2 - 1j])
    close(nd.grad(nd.linalg.norm)(nd.asarray(z)), np.conj(z) / np.linalg.norm(z))


def test_complex_output_needs_holomorphic():
    with pytest.raises(TypeError, match="complex128"):
        nd.grad(lambda z: z ** 2)(nd.asarray(1 + 2j))
    assert nd.grad(lambda z: z ** 2, holomorphic=True)(1 + 2j) == 2 + 4j
    close(nd.grad(lambda z: nd.sum(nd.exp(z)), holomorphic=True)(nd.asarray([1j, 0.5])),
          np.exp([1j, 0.5]))
    with pytest.raises(TypeError, match="complex inputs"):
        nd.grad(lambda z: z ** 2, holomorphic=True)(nd.asarray(1.0))
    with pytest.raises(TypeError, match="holomorphic=True needs f to return a complex"):
        nd.grad(lambda z: nd.abs(z), holomorphic=True)(nd.asarray(1j))


def test_tangent_of_a_real_output_is_real():
    _, t = nd.jvp(nd.abs, (nd.asarray(3 + 4j),), (nd.asarray(1j),))
    assert t.dtype == np.float64
    close(t, 0.8)                          # d|z| along i: y / |z|
    _, t = nd.jvp(lambda z: z * nd.conj(z), (nd.asarray(1 + 1j),), (nd.asarray(1j),))
    close(t, 2.0)                          # 2 Re(conj(z) t)
    _, t = nd.jvp(lambda z: z ** 2, (nd.asarray(1 + 1j),), (nd.asarray(1j),))
    close(t, -2 + 2j)                      # holomorphic: 2 z t
    _, t = nd.jvp(lambda x: nd.exp(1j * x), (nd.asarray(0.5),), (nd.asarray(1.0),))
    close(t, 1j * np.exp(0.5j))


# -- 7. size-1 outputs -----------------------------------------------------------------------
@pytest.mark.parametrize("shape", [(1,), (1, 1), (1, 1, 1)])
def test_grad_of_a_size_one_output(shape):
    f = lambda x: nd.reshape(nd.sum(x * x), shape)
    v, g = nd.value_and_grad(f)(nd.asarray([1.0, 2.0]))
    close(g, [2.0, 4.0])
    assert v.shape == shape
    close(nd.hessian(lambda x: nd.sum(f(x)))(nd.asarray([1.0, 2.0])), 2 * np.eye(2))


def test_grad_of_a_bigger_output_names_its_shape():
    with pytest.raises(TypeError, match=r"shape \(2, 1\)"):
        nd.grad(lambda x: nd.reshape(x, (2, 1)))(nd.asarray([1.0, 2.0]))


def test_backward_sees_through_verbs_applied_to_a_requires_grad_array():
    x = nd.asarray([0.3, -0.7], requires_grad=True)
    _, t = nd.jvp(lambda y: nd.sin(y) * y, (x,), (nd.ones(2),))   # cos(x) x + sin(x)
    nd.sum(t).backward()
    close(x.grad, -np.sin([0.3, -0.7]) * [0.3, -0.7] + 2 * np.cos([0.3, -0.7]))
    x2 = nd.asarray([0.3, -0.7], requires_grad=True)
    nd.sum(nd.jacobian(lambda y: y ** 3)(x2)).backward()             # sum 3 x^2
    close(x2.grad, 6 * np.array([0.3, -0.7]))


def test_vjp_of_outputs_where_one_is_computed_from_another():
    # the roots of backward: s and 2 s; s is also an ancestor of 2 s
    def f(x):
        s = nd.sin(x)
        return [s, s * 2.0, s * s]
    _, pb = nd.vjp(f, nd.asarray(0.3))
    close(pb([nd.asarray(1.0), nd.asarray(1.0), nd.asarray(1.0)])[0],
          np.cos(0.3) * (3 + 2 * np.sin(0.3)))
    a = nd.asarray
    inner = lambda v: nd.jvp(lambda y: [y, y * 1.0], (a(1.0),), (v,))[1]
    close(nd.jvp(inner, (a(3.0),), (a(2.0),))[1], [2.0, 2.0])


@pytest.mark.parametrize("name", ["abs2", "real-exp", "abs-sum", "real-mix"])
def test_complex_cotangents_equal_hips_autograds(name):
    ag = pytest.importorskip("autograd")
    anp = pytest.importorskip("autograd.numpy")
    fns = {
        "abs2": lambda m: lambda z: m.sum(m.abs(z) ** 2),
        "real-exp": lambda m: lambda z: m.sum(m.real(z * m.exp(z))),
        "abs-sum": lambda m: lambda z: m.sum(m.abs(z * z + 1.0)),
        "real-mix": lambda m: lambda z: m.sum(m.real(m.conj(z) * z * 0.5 + z * (2 - 1j))),
    }
    z = np.array([1 + 1j, 2 - 1j, -0.5 + 0.25j])
    expect = ag.grad(fns[name](anp))(z)
    got = nd.grad(fns[name](nd))(nd.asarray(z))
    assert got.dtype == np.complex128
    close(got, expect, rtol=1e-12)


def _binary_differentiable():
    from ndgrad._ops.elementwise import BINARY
    return [name for name, vjp, _ in BINARY if callable(vjp)]


@pytest.mark.parametrize("name", _binary_differentiable())
def test_no_binary_rule_or_fast_path_confuses_shared_buffers_with_one_variable(name):
    # every binary op: a constant sharing the input's buffer gives the gradient of a
    # constant with the same values (a copy), on both sides, in every verb
    op = getattr(nd, name)
    v = np.array([0.7, 1.3, 2.1])
    x = nd.asarray(v)
    copy = nd.asarray(v.copy())
    for first in (True, False):
        def with_constant(c):
            return (lambda t: nd.sum(op(t, c))) if first else (lambda t: nd.sum(op(c, t)))
        f_shared, f_copy = with_constant(x), with_constant(copy)
        with np.errstate(all="ignore"):
            np.testing.assert_array_equal(host(nd.grad(f_shared)(x)),
                                          host(nd.grad(f_copy)(x)))
            np.testing.assert_array_equal(host(nd.hessian(f_shared)(x)),
                                          host(nd.hessian(f_copy)(x)))
            w = nd.asarray(v, requires_grad=True)
            w2 = nd.asarray(v, requires_grad=True)
            with_constant(w.detach())(w).backward()
            f_copy(w2).backward()
            np.testing.assert_array_equal(host(w.grad), host(w2.grad))
    # the same array passed as both arguments: two variables, two gradients
    with np.errstate(all="ignore"):
        ga, gb = nd.grad(lambda a, b: nd.sum(op(a, b)), argnums=(0, 1))(x, x)
        ca, cb = nd.grad(lambda a, b: nd.sum(op(a, b)), argnums=(0, 1))(x, copy)
    np.testing.assert_array_equal(host(ga), host(ca))
    np.testing.assert_array_equal(host(gb), host(cb))


# -- keeping and copying (PyTorch's rules) ---------------------------------------------------
def test_pickle_keeps_requires_grad_and_deepcopy_keeps_grad():
    import copy
    import pickle
    w = nd.asarray([1.0, 2.0], requires_grad=True)
    nd.sum(w * w).backward()
    p = pickle.loads(pickle.dumps(w))
    assert p.requires_grad and p.is_leaf and p.grad is None
    close(p, [1.0, 2.0])
    d = copy.deepcopy(w)
    assert d.requires_grad and d.is_leaf
    close(d.grad, [2.0, 4.0])
    nd.sum(d * 3.0).backward()            # an independent leaf: w.grad is untouched
    close(w.grad, [2.0, 4.0])
    close(d.grad, [5.0, 7.0])
    c = pickle.loads(pickle.dumps(nd.asarray([1, 2])))
    assert not c.requires_grad and c.dtype == np.int64
    # inside a gradient computation a deep copy is a recorded copy
    close(nd.grad(lambda t: nd.sum(copy.deepcopy(t) * t))(nd.asarray([1.0, 2.0])),
          [2.0, 4.0])


def test_write_into_vjps_output_before_the_pullback_runs():
    x = nd.asarray([0.1, 0.2])
    y, pb = nd.vjp(nd.exp, x)              # exp's rule reads its output
    y[0] = 100.0
    y[1:] *= 2.0
    close(pb(nd.ones(2))[0], np.exp([0.1, 0.2]))
    close(y, [100.0, 2 * np.exp(0.2)])
    y, pb = nd.vjp(lambda t: t * 3.0, x)
    y[1] = 7.0                             # the caller's write is not part of f
    close(pb(nd.ones(2))[0], [3.0, 3.0])


def test_write_into_a_numpy_operand_before_backward():
    c = np.array([1.0, 2.0])
    w = nd.asarray([0.5, 0.5], requires_grad=True)
    y = nd.sum(w * c)                      # multiply's rule reads c
    c[0] = 100.0
    y.backward()
    close(w.grad, [1.0, 2.0])
    c = np.array([1.0, 2.0])

    def f(t):
        y = nd.sum(t * c)
        c[0] = 100.0
        return y
    close(nd.grad(f)(nd.asarray([0.5, 0.5])), [1.0, 2.0])


def test_nested_grad_of_a_size_one_output():
    f = lambda x: nd.sum(nd.sin(x), keepdims=True)          # shape (1, 1)
    x = np.array([[0.3, -0.5], [1.0, 0.2]])
    close(nd.grad(lambda y: nd.sum(nd.grad(f)(y)))(nd.asarray(x)), -np.sin(x))
    close(nd.hessian(lambda y: f(y)[0, 0])(nd.asarray(x)).reshape(4, 4),
          np.diag(-np.sin(x).ravel()))


def test_a_graph_recorded_inside_f_outlives_grad():
    w = nd.asarray(1.5, requires_grad=True)
    x = nd.asarray([1.0, 2.0])
    kept = []

    def f(t):
        kept.append(nd.sum(w * x))         # a graph that reads x, kept past the call
        return nd.sum(t)
    nd.grad(f)(x)
    x[0] = 100.0
    kept[0].backward()
    close(w.grad, 3.0)


def test_engine_reproducers_on_every_backend(device):
    a = lambda v: nd.asarray(v, device=device)
    x = a([1.0, 2.0, 3.0])
    close(nd.grad(lambda t: nd.sum(t * x))(x), [1.0, 2.0, 3.0])

    def f(A):
        A[0] = 0.0
        return nd.sum(2 * A)
    close(nd.grad(f)(a([1.0, 2.0, 3.0])), [0.0, 2.0, 2.0])
    w = nd.asarray([1.0, 2.0], device=device, requires_grad=True)
    nd.sum(w * w.detach()).backward()
    close(w.grad, [1.0, 2.0])

    def g(v):
        t = nd.sum(v)
        t += 2.0
        return t * v
    v = nd.asarray([1.0, 2.0], device=device, requires_grad=True)
    nd.sum(g(v)).backward()
    close(v.grad, [8.0, 8.0])
    close(nd.grad(lambda z: nd.real(nd.sum(z * nd.conj(z))))(a([1 + 1j])), [2 - 2j])
    close(nd.grad(lambda t: nd.reshape(nd.sum(t * t), (1, 1)))(a([1.0, 2.0])), [2.0, 4.0])
    y, pb = nd.vjp(nd.exp, a([0.1, 0.2]))
    y[0] = 5.0
    close(pb(nd.ones(2, device=device))[0], np.exp([0.1, 0.2]))


def test_a_write_into_the_callers_index_array_after_the_forward_leaves_the_gradient():
    # the index arrays of x[i] and z[i] = v are saved for backward: a write into the
    # caller's array before backward() must not change the gradient (it did: a silent
    # wrong gradient, [10, 0, 1] for [11, 0, 0])
    w = nd.asarray([1.0, 10.0])
    for make in (np.array, nd.asarray):
        x = nd.asarray([1.0, 2.0, 3.0], requires_grad=True)
        i = make([0, 0])
        y = nd.sum(x[i] * w)
        i[0] = 2
        y.backward()
        np.testing.assert_array_equal(np.asarray(x.grad), [11.0, 0.0, 0.0])
    x = nd.asarray([1.0, 2.0, 3.0], requires_grad=True)
    m = np.array([True, False, True])
    y = nd.sum(x[m] * w)
    m[:] = [False, True, False]
    y.backward()
    np.testing.assert_array_equal(np.asarray(x.grad), [1.0, 0.0, 10.0])
    x = nd.asarray([1.0, 2.0, 3.0], requires_grad=True)
    i = np.array([0, 2])
    z = nd.zeros(3)
    z[i] = x[:2] * w
    i[1] = 1
    nd.sum(z * nd.asarray([1.0, 100.0, 1000.0])).backward()
    np.testing.assert_array_equal(np.asarray(x.grad), [1.0, 10000.0, 0.0])

"""The eager engine's first-order walk on random graph shapes, against HIPS autograd.

The walk carries a ready parent straight to the next step, unrolls one-parent nodes and
accumulates cotangents in place when it alone holds them; these tests draw programs whose
graphs have every shape that matters to that (chains, diamonds, an operand used twice in
one op, constants in either position, outputs of the same node used many times, unused
branches) and compare value and gradients with HIPS autograd, on small and large arrays.
"""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import ndgrad as nd

autograd = pytest.importorskip("autograd")
anp = pytest.importorskip("autograd.numpy")

# (name, arity, ndgrad, autograd.numpy): smooth on the values drawn
OPS = [
    ("sin", 1, nd.sin, anp.sin), ("tanh", 1, nd.tanh, anp.tanh),
    ("exp_small", 1, lambda a: nd.exp(a * 0.1), lambda a: anp.exp(a * 0.1)),
    ("neg", 1, lambda a: -a, lambda a: -a),
    ("square", 1, lambda a: a * a, lambda a: a * a),
    ("add", 2, lambda a, b: a + b, lambda a, b: a + b),
    ("sub", 2, lambda a, b: a - b, lambda a, b: a - b),
    ("mul", 2, lambda a, b: a * b, lambda a, b: a * b),
    ("fn_mul", 2, nd.multiply, anp.multiply),
    ("const_left", 1, lambda a: 0.5 - a, lambda a: 0.5 - a),
    ("const_right", 1, lambda a: a * 1.5 + 0.25, lambda a: a * 1.5 + 0.25),
]


@st.composite
def programs(draw):
    """A straight-line program: each step applies an op to earlier values (any of them,
    so values are reused: diamonds, fan-out, the same value twice in one op)."""
    n_in = draw(st.integers(1, 3))
    steps = []
    for i in range(draw(st.integers(1, 12))):
        k = draw(st.integers(0, len(OPS) - 1))
        arity = OPS[k][1]
        avail = n_in + i
        args = [draw(st.integers(0, avail - 1)) for _ in range(arity)]
        steps.append((k, args))
    # the output sums some of the values (unused ones stay as dead branches)
    outs = draw(st.lists(st.integers(0, n_in + len(steps) - 1), min_size=1, max_size=3))
    return n_in, steps, outs


def _run(ns, n_in, steps, outs, xs, sum_fn):
    vals = list(xs)
    for k, args in steps:
        f = OPS[k][2] if ns == "nd" else OPS[k][3]
        vals.append(f(*[vals[a] for a in args]))
    total = None
    for o in outs:
        s = sum_fn(vals[o] * vals[o])
        total = s if total is None else total + s
    return total


def _check(prog, size, seed):
    n_in, steps, outs = prog
    rng = np.random.default_rng(seed)
    xs = [rng.uniform(-1.0, 1.0, size) for _ in range(n_in)]
    nums = tuple(range(n_in))
    v, g = nd.value_and_grad(
        lambda *a: _run("nd", n_in, steps, outs, a, nd.sum), argnums=nums)(
        *[nd.asarray(x) for x in xs])
    av, ag = autograd.value_and_grad(
        lambda *a: _run("ag", n_in, steps, outs, a, anp.sum), argnum=nums)(*xs)
    np.testing.assert_allclose(float(v), av, rtol=1e-12, atol=1e-12)
    for gi, agi in zip(g, ag):
        np.testing.assert_allclose(np.asarray(gi), agi, rtol=1e-10, atol=1e-12)
    # the imperative verbs walk the same engine, accumulating into .grad
    leaves = [nd.asarray(x, requires_grad=True) for x in xs]
    _run("nd", n_in, steps, outs, leaves, nd.sum).backward()
    for leaf, agi in zip(leaves, ag):
        got = leaf.grad if leaf.grad is not None else np.zeros(size)
        np.testing.assert_allclose(np.asarray(got), agi, rtol=1e-10, atol=1e-12)
    # the inputs are unchanged
    rng = np.random.default_rng(seed)
    for x in xs:
        np.testing.assert_array_equal(x, rng.uniform(-1.0, 1.0, size))


@settings(max_examples=60)
@given(prog=programs(), seed=st.integers(0, 2**16))
def test_random_graphs_small_arrays(prog, seed):
    _check(prog, 5, seed)


@settings(max_examples=8)
@given(prog=programs(), seed=st.integers(0, 2**16))
def test_random_graphs_large_arrays(prog, seed):
    # above the size where buffers are reused and cotangents accumulated in place
    _check(prog, 1 << 15, seed)


@pytest.mark.slow
@settings(max_examples=1200)
@given(prog=programs(), seed=st.integers(0, 2**16))
def test_random_graphs_small_arrays_slow(prog, seed):
    _check(prog, 5, seed)


def test_second_backward_without_retain_raises_and_with_retain_repeats():
    x = nd.asarray([0.3, -0.2], requires_grad=True)
    y = nd.sum(nd.sin(x) * x)
    y.backward(retain_graph=True)
    g1 = np.asarray(x.grad).copy()
    y.backward()
    np.testing.assert_allclose(np.asarray(x.grad), 2 * g1)
    with pytest.raises(RuntimeError, match="second time"):
        y.backward()


# -- value_and_grad's plain path (plain NumPy-backed arguments) equals the general one ---
def _as_general(args):
    # the same arguments, each in a one-element list: value_and_grad's general path
    return [[a] for a in args]


CASES = [
    ("sum", lambda a, b: nd.sum(a), 0),
    ("shared cotangent", lambda a, b: nd.sum(a + b), (0, 1)),
    ("repeated argnum", lambda a, b: nd.sum(a * a * b), (0, 0)),
    ("independent", lambda a, b: nd.sum(b * 2.0), (0, 1)),
    ("0-d", lambda a, b: a[0] * b[1], (1, 0)),
    ("float32 with float64", lambda a, b: nd.sum(nd.astype(a, nd.float32) * 2.0), 0),
]


@pytest.mark.parametrize("name,f,argnums", CASES, ids=[c[0] for c in CASES])
def test_plain_path_equals_general_path(name, f, argnums):
    xs = [np.array([0.5, -1.5, 2.0]), np.array([1.0, 0.25, -0.75])]
    plain = nd.value_and_grad(f, argnums=argnums)(*[nd.asarray(x) for x in xs])
    nums = (argnums,) if isinstance(argnums, int) else argnums
    general = nd.value_and_grad(lambda a, b: f(a[0], b[0]), argnums=argnums)(
        *_as_general([nd.asarray(x) for x in xs]))
    assert float(plain[0]) == float(general[0])
    pg = (plain[1],) if isinstance(argnums, int) else plain[1]
    gg = (general[1],) if isinstance(argnums, int) else general[1]
    assert len(pg) == len(gg) == len(nums)
    seen = set()
    for p, (g,) in zip(pg, gg):
        assert p.dtype == g.dtype and p.shape == g.shape
        np.testing.assert_array_equal(np.asarray(p), np.asarray(g))
        # each gradient is the caller's own writable array (a repeated argnum takes
        # the general path, which hands the one gradient back twice)
        d = np.asarray(p)
        assert d.flags.writeable and (id(d) not in seen or len(set(nums)) < len(nums))
        seen.add(id(d))
    for x, a in zip(xs, [np.array([0.5, -1.5, 2.0]), np.array([1.0, 0.25, -0.75])]):
        np.testing.assert_array_equal(x, a)


def test_repeated_argnum_results_are_recorded_only_with_an_outer_computation():
    # at top level both gradients and the value are plain values (numpy.asarray works);
    # with an input that requires grad they stay recorded, and backward through them
    # gives the second derivative
    f = lambda a, b: nd.sum(a * a * b)  # noqa: E731
    av, bv = np.array([0.5, -1.5, 2.0]), np.array([1.0, 0.25, -0.75])
    v, (g0, g1) = nd.value_and_grad(f, argnums=(0, 0))(nd.asarray(av), nd.asarray(bv))
    assert not (v.requires_grad or g0.requires_grad or g1.requires_grad)
    np.testing.assert_array_equal(np.asarray(g0), 2 * av * bv)
    np.testing.assert_array_equal(np.asarray(g1), 2 * av * bv)
    assert float(np.asarray(v)) == float(np.sum(av * av * bv))
    a = nd.asarray(av.copy(), requires_grad=True)
    v, (g0, g1) = nd.value_and_grad(f, argnums=(0, 0))(a, nd.asarray(bv))
    assert v.requires_grad and g0.requires_grad and g1.requires_grad
    nd.sum(g0).backward()
    np.testing.assert_allclose(np.asarray(a.grad), 2 * bv, rtol=1e-15)


def test_plain_path_errors_and_aux():
    x = nd.asarray([1.0, 2.0])
    with pytest.raises(TypeError, match="scalar"):
        nd.value_and_grad(lambda a: a * 2.0)(x)
    with pytest.raises(TypeError, match="pair"):
        nd.value_and_grad(lambda a: nd.sum(a), has_aux=True)(x)
    (v, aux), g = nd.value_and_grad(lambda a: (nd.sum(a * a), "aux"), has_aux=True)(x)
    assert aux == "aux" and float(v) == 5.0
    np.testing.assert_array_equal(np.asarray(g), [2.0, 4.0])
    # an integer input takes the general path and its error
    with pytest.raises(TypeError):
        nd.value_and_grad(lambda a: nd.sum(a))(nd.asarray([1, 2]))


def test_plain_path_with_no_argnums():
    v, g = nd.value_and_grad(lambda a: nd.sum(a * a), argnums=())(nd.asarray([1.0, 2.0]))
    assert float(v) == 5.0 and g == ()


# -- the operators' inline unrecorded path (registry.operator_method) equals apply's -----
import operator as _operator  # noqa: E402

from ndgrad._ops import registry as _registry  # noqa: E402

_OPERATORS = [("add", "add"), ("sub", "subtract"), ("mul", "multiply"),
              ("truediv", "divide"), ("floordiv", "floor_divide"), ("mod", "remainder"),
              ("pow", "pow"), ("and_", "bitwise_and"), ("or_", "bitwise_or"),
              ("xor", "bitwise_xor"), ("lshift", "bitwise_left_shift"),
              ("rshift", "bitwise_right_shift"), ("eq", "equal"), ("ne", "not_equal"),
              ("lt", "less"), ("le", "less_equal"), ("gt", "greater"),
              ("ge", "greater_equal")]


def _operands():
    f64 = np.array([1.5, -0.0, np.inf, np.nan, -2.0, 3.0])
    return [nd.asarray(f64), nd.asarray(f64.astype(np.float32)),
            nd.asarray(np.array([3, -1, 0, 7, 2, 1])), nd.asarray(np.array(2.5)),
            nd.asarray(np.array([True, False, True, True, False, False])),
            2, -3, 0.5, -0.0, True, 1 + 2j, np.float32(1.5)]


def _outcome(f):
    try:
        with np.errstate(all="ignore"):
            r = f()
    except Exception as e:   # the same error type from both paths
        return ("error", type(e))
    return ("value", r.dtype, np.asarray(r._data).tolist(), r._node is None)


@pytest.mark.parametrize("pyname,opname", _OPERATORS, ids=[o[0] for o in _OPERATORS])
def test_operator_inline_path_equals_apply(pyname, opname):
    op = _registry.REGISTRY[opname]
    pyop = getattr(_operator, pyname)
    vals = _operands()
    for a in vals:
        for b in vals:
            if not isinstance(a, nd.Array) and not isinstance(b, nd.Array):
                continue
            got = _outcome(lambda: pyop(a, b))
            want = _outcome(lambda: _registry.apply(op, (a, b)))
            assert str(got) == str(want), (pyname, a, b)   # (str: nan == nan)


def test_operator_inline_path_records_and_leaves_shared_buffers_alone():
    w = nd.asarray([1.0, 2.0], requires_grad=True)
    c = np.array([3.0, 4.0])
    cn = nd.asarray(c)
    y = nd.sum(cn * w) + nd.sum(2.0 - w)
    c[0] = 100.0   # a write through the NumPy alias after the forward
    y.backward()
    np.testing.assert_array_equal(np.asarray(w.grad), [2.0, 3.0])


# -- rules of any arity, with params and the _needs mask, get their inputs in order ------
def test_rules_get_their_inputs_by_arity():
    seen = []

    def fwd3(xp, a, b, c, scale=1.0):
        return (a * b + c) * scale

    def vjp3(xp, g, ans, a, b, c, scale=1.0, _needs=None):
        seen.append((_needs, scale))
        return (g * b * scale, g * a * scale, g * scale)

    op3 = _registry.Op("test_engine_fma", fwd3, vjp3)
    x = nd.asarray([1.0, 2.0])
    y = nd.asarray([3.0, 5.0])
    z = nd.asarray([0.5, 0.25])
    for params in ({}, {"scale": 2.0}):
        gs = nd.grad(lambda a, b, c: nd.sum(_registry.apply(op3, (a, b, c), params)),
                     argnums=(0, 1, 2))(x, y, z)
        s = params.get("scale", 1.0)
        np.testing.assert_array_equal(np.asarray(gs[0]), s * np.array([3.0, 5.0]))
        np.testing.assert_array_equal(np.asarray(gs[1]), s * np.array([1.0, 2.0]))
        np.testing.assert_array_equal(np.asarray(gs[2]), [s, s])
    assert seen == [((True, True, True), 1.0), ((True, True, True), 2.0)]
    # a constant operand: the mask says so
    seen.clear()
    nd.grad(lambda a: nd.sum(_registry.apply(op3, (a, y, z))))(x)
    assert seen == [((True, False, False), 1.0)]


# -- _unbroadcast's NumPy path equals the namespace's sum and reshape, bit for bit -------
@st.composite
def _broadcasts(draw):
    shape = tuple(draw(st.lists(st.integers(0, 3), max_size=3)))
    gshape = tuple(draw(st.lists(st.integers(0, 3), max_size=2)))
    gshape = gshape + tuple(draw(st.integers(0, 3)) if s == 1 else s for s in shape)
    dt = draw(st.sampled_from([np.float64, np.float32, np.complex128]))
    return shape, gshape, dt


@settings(max_examples=60)
@given(case=_broadcasts(), seed=st.integers(0, 2**16))
def test_unbroadcast_numpy_path_equals_the_namespaces(case, seed):
    from ndgrad._autograd.backward import _unbroadcast
    shape, gshape, dt = case
    g = np.random.default_rng(seed).standard_normal(gshape).astype(dt)
    lead = len(gshape) - len(shape)
    axes = tuple(range(lead)) + tuple(i + lead for i, s in enumerate(shape)
                                      if s == 1 and gshape[i + lead] != 1)
    want = np.reshape(np.sum(g, axis=axes, keepdims=True), shape) if axes else g
    got = _unbroadcast(np, g, shape)
    assert type(got) is np.ndarray and got.shape == shape and got.dtype == g.dtype
    np.testing.assert_array_equal(got, want)

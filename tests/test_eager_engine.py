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

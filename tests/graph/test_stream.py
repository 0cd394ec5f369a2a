"""The plan compiler's streaming pass (ndgrad/graph/compiler/stream.py): large elementwise
regions and their full sums, run block by block, give the unoptimised plan's bits --
NaN, inf and signed zeros included, over many blocks and ragged sizes."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import ndgrad as nd
import ndgrad.tf as tf
from ndgrad.graph.compiler import NONE, Options, compile_plan
from ndgrad.graph.compiler.stream import _leaves, _split
from ndgrad.graph.session import Session
from test_compiler import graph_mode  # noqa: F401  (the fixture; tests/graph is on the path)
from test_compiler import same_bits as compiler_same_bits


def same_bits(a, b):
    assert type(a) is type(b)
    compiler_same_bits(a, b)


def _values(seed, n, specials):
    rng = np.random.default_rng(seed)
    v = rng.standard_normal(n) * 10.0 ** rng.integers(-3, 4, n)
    if specials:
        k = rng.integers(0, n, max(1, n // 50))
        v[k] = rng.choice([np.nan, np.inf, -np.inf, 0.0, -0.0, 1e308, -5e-324], len(k))
    return v


@pytest.mark.parametrize("block", [128, 136, 1024, 1 << 15])
@pytest.mark.parametrize("n", [128, 129, 1000, 4096 + 8, 65536 + 3, 262144])
def test_a_full_sum_is_numpys_pairwise_sum_bit_for_bit(n, block):
    # the leaves of NumPy's recursion cover the vector in order, and adding their
    # add.reduce back in the recursion's order is add.reduce of the whole
    segs = _leaves(_split(0, n, block), [])
    assert segs[0][0] == 0 and segs[-1][1] == n and all(
        a[1] == b[0] for a, b in zip(segs, segs[1:]))
    assert all(b - a <= block for a, b in segs)
    g = tf.Graph()
    with g.as_default():
        x = tf.placeholder(tf.float64, (n,))
        s = tf.reduce_sum(x * 1.5 + tf.sin(x) * x)
        t = tf.reduce_sum(tf.exp(-x * x) - x)
    opts = Options(fuse=False, stream_min_size=1, stream_block=block)
    plan = compile_plan([s, t], [x], opts)
    assert len(plan.streamed) == 1 and len(plan.streamed[0].sums) == 2
    for seed in range(3):
        xv = _values(seed, n, specials=seed == 2)
        with Session(graph=g, compile_options=opts) as sess:
            got = sess.run([s, t], {x: xv})
        with Session(graph=g, compile_options=NONE) as sess:
            want = sess.run([s, t], {x: xv})
        for a, b in zip(got, want):
            same_bits(a, b)


UNARY = [tf.sin, tf.cos, tf.exp, tf.negative, tf.square, tf.abs, tf.sqrt, tf.tanh,
         tf.log1p, tf.reciprocal]
BINARY = [tf.add, tf.subtract, tf.multiply, tf.divide, tf.maximum, tf.minimum]


@st.composite
def stream_programs(draw):
    n = draw(st.sampled_from([128, 200, 1031, 2048, 5003]))
    block = draw(st.sampled_from([128, 256, 1000]))
    ops = draw(st.lists(st.tuples(st.integers(0, 1), st.integers(0, 9), st.integers(0, 99),
                                  st.integers(0, 99)), min_size=3, max_size=14))
    fetch = draw(st.lists(st.integers(0, 99), min_size=1, max_size=4))
    sums = draw(st.lists(st.integers(0, 99), max_size=3))
    seed = draw(st.integers(0, 2 ** 16))
    return n, block, ops, fetch, sums, seed, draw(st.booleans()), draw(st.booleans())


@settings(max_examples=25, deadline=None)
@given(prog=stream_programs())
def test_streamed_regions_equal_the_unoptimised_plan(prog):
    n, block, ops, fetch, sums, seed, specials, grad = prog
    g = tf.Graph()
    with g.as_default():
        x = tf.placeholder(tf.float64, (n,))
        y = tf.placeholder(tf.float64, (n,))
        pool = [x, y]
        for kind, f, a, b in ops:
            u = pool[a % len(pool)]
            if kind == 0:
                pool.append(UNARY[f % len(UNARY)](u))
            else:
                v = pool[b % len(pool)] if b % 3 else 0.75
                pool.append(BINARY[f % len(BINARY)](u, v))
        fetches = [pool[2 + k % (len(pool) - 2)] for k in fetch]
        fetches += [tf.reduce_sum(pool[2 + k % (len(pool) - 2)]) for k in sums]
        if grad:
            fetches += tf.gradients(tf.reduce_sum(pool[-1] * x), [x, y])
        fetches = [f for f in fetches if f is not None]
    opts = Options(fuse=False, stream_min_size=1, stream_block=block)
    compile_plan(fetches, [x, y], opts)          # (compiles)
    xv, yv = _values(seed, n, specials), _values(seed + 1, n, specials)
    with Session(graph=g, compile_options=opts) as sess:
        got = sess.run(fetches, {x: xv, y: yv})
        again = sess.run(fetches, {x: xv, y: yv})
    with Session(graph=g, compile_options=NONE) as sess:
        want = sess.run(fetches, {x: xv, y: yv})
    for a, b, c in zip(got, again, want):
        same_bits(a, c)
        same_bits(b, c)


def test_regions_need_three_large_float64_ops_of_one_shape():
    g = tf.Graph()
    with g.as_default():
        big = tf.placeholder(tf.float64, (1 << 17,))
        small = tf.placeholder(tf.float64, (1000,))
        f32 = tf.placeholder(tf.float32, (1 << 17,))
        two = tf.sin(big) * big                       # two ops: not worth the blocks
        three = tf.sin(big) * big + 1.0
        s = tf.reduce_sum(tf.cos(small) * small + small)
        h = tf.sin(f32) * f32 + 1.0
    assert compile_plan([two], [big]).streamed == []
    assert len(compile_plan([three], [big]).streamed) == 1
    assert compile_plan([s], [small]).streamed == []
    assert compile_plan([h], [f32]).streamed == []
    assert compile_plan([three], [big], Options(stream=False)).streamed == []


def test_a_region_reads_a_strided_feed_and_its_outputs_are_the_runs_own():
    n = 1 << 17
    g = tf.Graph()
    with g.as_default():
        x = tf.placeholder(tf.float64, (n,))
        a = tf.sin(x) * x
        b = a + tf.exp(-x * x)
        s = tf.reduce_sum(b)
        later = tf.reshape(a, (n // 2, 2))              # a is read outside the region
    plan = compile_plan([b, s, later], [x])
    r, = plan.streamed
    assert len(r.outputs) == 2 and len(r.sums) == 1
    xv = np.linspace(-3, 3, 2 * n)[::2]                 # not contiguous
    with Session(graph=g) as sess:
        got = sess.run([b, s, later], {x: xv})
    with Session(graph=g, compile_options=NONE) as sess:
        want = sess.run([b, s, later], {x: xv})
    for u, w in zip(got, want):
        same_bits(u, w)
    assert not np.shares_memory(got[0], got[2])


def test_jit_value_and_grad_of_a_large_elementwise_sum_streams(monkeypatch):
    from ndgrad.graph import compiler

    def f(x):
        return nd.sum(nd.sin(x) * x + nd.exp(-x * x))
    xv = np.random.default_rng(3).uniform(-2, 2, (1 << 17) + 5)
    jvg = nd.jit(nd.value_and_grad(f))
    v, gx = jvg(nd.asarray(xv))
    tr, = jvg._cache.values()
    assert tr.plan.streamed
    monkeypatch.setattr(compiler.DEFAULT, "stream", False)
    jvg2 = nd.jit(nd.value_and_grad(f))
    v2, gx2 = jvg2(nd.asarray(xv))
    tr2, = jvg2._cache.values()
    assert not tr2.plan.streamed
    # (numexpr's trees in the unstreamed plan: within 2 ulp of NumPy's functions)
    assert float(v) == float(v2) or abs(float(v) - float(v2)) <= 1e-12 * abs(float(v))
    np.testing.assert_allclose(np.asarray(gx), np.asarray(gx2), rtol=1e-13, atol=1e-14)
    ve, ge = nd.value_and_grad(f)(nd.asarray(xv))
    np.testing.assert_allclose(np.asarray(gx), np.asarray(ge), rtol=1e-13, atol=1e-14)
    assert abs(float(v) - float(ve)) <= 1e-12 * abs(float(ve))


@pytest.mark.parametrize("order", ["C", "F", "mixed"])
def test_a_2d_region_gives_numpys_values_and_layout(order):
    # C-ordered inputs stream; others run the steps whole, so that the results keep the
    # layout NumPy's ufuncs give them (order K)
    g = tf.Graph()
    with g.as_default():
        x = tf.placeholder(tf.float64, (300, 200))
        y = tf.placeholder(tf.float64, (300, 200))
        a = tf.sin(x) * y + 1.0
        b = a * a - x
    opts = Options(stream_min_size=1, stream_block=1000)
    assert compile_plan([a, b], [x, y], opts).streamed
    rng = np.random.default_rng(5)
    xv, yv = rng.standard_normal((2, 300, 200))
    if order != "C":
        xv = np.asfortranarray(xv)
    if order == "F":
        yv = np.asfortranarray(yv)
    with Session(graph=g, compile_options=opts) as sess:
        got = sess.run([a, b], {x: xv, y: yv})
    with Session(graph=g, compile_options=NONE) as sess:
        want = sess.run([a, b], {x: xv, y: yv})
    for u, w in zip(got, want):
        same_bits(u, w)
        assert u.strides == w.strides

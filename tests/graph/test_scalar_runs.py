"""The plan compiler's scalar pass (ndgrad/graph/compiler/scalar.py): runs of one-element
float steps computed on NumPy scalars give the array steps' bits (NaN, inf, signed zeros,
float32 and float64, weak Python constants), and hand out arrays of the static shapes."""
import numpy as np
from hypothesis import given, settings, strategies as st

import ndgrad as nd
import ndgrad.tf as tf
from ndgrad.graph.compiler import NONE, Options, compile_plan
from ndgrad.graph.session import Session
from test_compiler import graph_mode, same_bits  # noqa: F401  (tests/graph is on the path)

UNARY = [tf.sqrt, tf.negative, tf.exp, tf.abs, tf.square, tf.sin]
BINARY = [tf.add, tf.subtract, tf.multiply, tf.divide, tf.maximum]
SPECIAL = [np.nan, np.inf, -np.inf, 0.0, -0.0, 1e-45, 3e38, -1.5, 2.0]


@st.composite
def scalar_programs(draw):
    dt = draw(st.sampled_from([tf.float32, tf.float64]))
    # (a (3,) input interleaves array steps that read the one-element values)
    shapes = draw(st.lists(st.sampled_from([(1, 1), (1,), (), (3,)]), min_size=2,
                           max_size=2))
    ops = draw(st.lists(st.tuples(st.integers(0, 1), st.integers(0, 9), st.integers(0, 99),
                                  st.integers(0, 99)), min_size=3, max_size=12))
    vals = draw(st.lists(st.one_of(st.sampled_from(SPECIAL),
                                   st.floats(-1e6, 1e6, allow_nan=False)),
                         min_size=2, max_size=2))
    consts = draw(st.lists(st.sampled_from([0.9, 1e-8, -3.0, 0.001, 7]), min_size=1,
                           max_size=3))
    fetch = draw(st.lists(st.integers(0, 99), min_size=1, max_size=3))
    return dt, shapes, ops, vals, consts, fetch


@settings(max_examples=40, deadline=None)
@given(prog=scalar_programs())
def test_scalar_runs_equal_the_array_steps(prog):
    dt, shapes, ops, vals, consts, fetch = prog
    g = tf.Graph()
    with g.as_default():
        phs = [tf.placeholder(dt, s) for s in shapes]
        pool = list(phs)
        for kind, f, a, b in ops:
            u = pool[a % len(pool)]
            if kind == 0:
                pool.append(UNARY[f % len(UNARY)](u))
            else:
                v = pool[b % len(pool)] if b % 4 else consts[b % len(consts)]
                pool.append(BINARY[f % len(BINARY)](u, v))
        fetches = [pool[2 + k % (len(pool) - 2)] for k in fetch] + [pool[-1]]
    npdt = np.dtype(dt.as_numpy_dtype)
    feeds = {p: np.full(s, v, npdt) if s != (3,) else np.array([v, -v, 0.5], npdt)
             for p, s, v in zip(phs, shapes, vals)}
    opts = Options(fold=False, cse=False, prune=False, fuse=False, reuse=False,
                   simplify=False, stream=False)
    with Session(graph=g, compile_options=opts) as sess:
        got = sess.run(fetches, feeds)
    with Session(graph=g, compile_options=NONE) as sess:
        want = sess.run(fetches, feeds)
    for a, b in zip(got, want):
        assert type(a) is type(b)
        same_bits(a, b)


def test_a_run_reads_scalars_once_and_hands_out_arrays_of_the_static_shape():
    g = tf.Graph()
    with g.as_default():
        w = tf.placeholder(tf.float32, (1, 1))
        m = tf.placeholder(tf.float32, (1, 1))
        lr = tf.placeholder(tf.float32, ())
        m2 = 0.9 * m + 0.1 * w
        w2 = w - lr * m2 / (tf.sqrt(m2 * m2) + 1e-8)
        big = tf.placeholder(tf.float32, (3,))
        other = big * w2                            # a later array step reads w2
        w3 = ((w2 * 3.0 + 1.0) - m2) * tf.reduce_sum(other)   # ... and a run after it
    plan = compile_plan([w2, m2, other, w3], [w, m, lr, big])
    assert len(plan.scalars) == 2
    run = plan.scalars[0]
    assert len(run.members) >= 7 and set(run.outs) >= {plan.fetch_slots[0],
                                                         plan.fetch_slots[1]}
    feeds = {w: np.array([[0.5]], np.float32), m: np.array([[-0.0]], np.float32),
             lr: np.float32(0.001), big: np.arange(3, dtype=np.float32)}
    with Session(graph=g) as sess:
        got = sess.run([w2, m2, other, w3], feeds)
    with Session(graph=g, compile_options=NONE) as sess:
        want = sess.run([w2, m2, other, w3], feeds)
    for i, (a, b) in enumerate(zip(got, want)):
        assert type(a) is np.ndarray
        same_bits(a, b)
        assert not any(np.shares_memory(a, f) for f in feeds.values())
        assert not any(np.shares_memory(a, c) for c in got[i + 1:])


def test_mixed_dtypes_and_large_shapes_stay_array_steps():
    g = tf.Graph()
    with g.as_default():
        a = tf.placeholder(tf.float32, (1, 1))
        b = tf.placeholder(tf.float64, (1, 1))
        c = tf.placeholder(tf.float32, (2,))
        mixed = (tf.cast(a, tf.float64) * b + b) * b - b
        wide = (c * 2.0 + c) * c - c
    assert compile_plan([mixed], [a, b]).scalars       # (the float64 steps after the cast)
    assert not compile_plan([wide], [c]).scalars
    assert not compile_plan([mixed], [a, b], Options(scalar=False)).scalars


def test_jit_adam_step_on_one_element_parameters_matches_eager():
    def step(w, m, v, g, lr):
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g * g
        return w - lr * m / (nd.sqrt(v) + 1e-8), m, v
    js = nd.jit(step)
    args = [nd.asarray(np.array([[x]], np.float32)) for x in (0.5, 0.0, 0.0, -2.0)]
    args.append(nd.asarray(np.float32(0.001)))
    got = js(*args)
    tr, = js._cache.values()
    assert tr.plan.scalars
    want = step(*args)
    for a, b in zip(got, want):
        same_bits(a, b)


def test_a_single_0d_step_runs_on_scalars_and_a_reread_variable_is_a_leaf():
    # Adam's beta-power updates: read the variable after the updates (a reread), one
    # 0-d multiply, assign; the multiply is a scalar run of one step (0-d only: a
    # one-step run on (1,) values stays a ufunc call), with the array step's bits and
    # type, over several runs
    g = tf.Graph()
    with g.as_default():
        p = tf.Variable(np.float32(0.9))
        q = tf.Variable(np.array([0.5], np.float32))
        x = tf.placeholder(tf.float32, ())
        bump = tf.assign_add(p, x)
        with tf.control_dependencies([bump]):
            up = tf.assign(p, p * 0.9)
            uq = tf.assign(q, q * 0.5)
        init = tf.global_variables_initializer()
    plan = compile_plan([up, uq], [x])
    assert len(plan.scalars) == 1 and len(plan.scalars[0].members) == 1
    got, want = [], []
    for opts, out in ((None, got), (NONE, want)):
        with Session(graph=g, compile_options=opts) as s:
            s.run(init)
            for v in (0.25, -0.0, np.inf, 3e38):
                out.append(s.run([up, uq, p], {x: v}))
    for a, b in zip(got, want):
        for u, w in zip(a, b):
            assert type(u) is type(w)
            same_bits(u, w)

"""The plan compiler's direct NumPy calls: sums as ``numpy.add.reduce`` (ndgrad's, TF's
reduce_sum, the gradient's unbroadcast), and no buffer reuse for one-element results;
each gives the unoptimised plan's bits."""
import numpy as np
import pytest

import ndgrad.tf as tf
from ndgrad.graph.compiler import NONE, Options, compile_plan
from ndgrad.graph.session import Session
from test_compiler import graph_mode  # noqa: F401  (the fixture; tests/graph is on the path)


def _run(g, fetches, feeds, opts):
    with Session(graph=g, compile_options=opts) as s:
        return s.run(fetches, feeds)


@pytest.mark.parametrize("dtype", [tf.float32, tf.float64, tf.int32])
def test_sums_call_add_reduce_and_give_the_unoptimised_bits(dtype):
    g = tf.Graph()
    with g.as_default():
        x = tf.placeholder(dtype, (5, 3))
        b = tf.placeholder(dtype, (3,))
        y = x * b + x                               # b broadcast: its gradient sums axis 0
        fetch = [tf.reduce_sum(y), tf.reduce_sum(y, axis=0, keepdims=True),
                 tf.reduce_sum(y, axis=[1])]
        if dtype != tf.int32:
            fetch += tf.gradients(tf.reduce_sum(y * y), [x, b])
    plan = compile_plan(fetch, [x, b], Options(fuse=False))
    env = plan.fast.__globals__
    direct = [k for k, v in env.items() if k.startswith("F") and v == np.add.reduce]
    # the three sums and b's gradient (summed over the broadcast axis); TF sums integers
    # in their own dtype through its forward
    assert len(direct) == (4 if dtype != tf.int32 else 0), plan.source
    rng = np.random.default_rng(1)
    npdt = np.dtype(dtype.as_numpy_dtype)
    xv = (rng.standard_normal((5, 3)) * 100).astype(npdt)
    bv = (rng.standard_normal(3) * 100).astype(npdt)
    xv[0, 0] = -0.0 if npdt.kind == "f" else 0
    got = _run(g, fetch, {x: xv, b: bv}, None)
    want = _run(g, fetch, {x: xv, b: bv}, NONE)
    for a, w in zip(got, want):
        assert np.asarray(a).dtype == np.asarray(w).dtype
        assert np.asarray(a).tobytes() == np.asarray(w).tobytes()


def test_one_element_results_are_not_written_into_an_operand():
    g = tf.Graph()
    with g.as_default():
        x = tf.placeholder(tf.float32, (1, 1))
        y = tf.placeholder(tf.float32, (4,))
        a = tf.sqrt(tf.exp(x) + 1.0) * 2.0       # one element
        c = tf.sqrt(tf.exp(y) + 1.0) * 2.0       # four
    plan = compile_plan([a, c], [x, y], Options(fuse=False))
    sizes = {s: int(np.prod(plan.slot_tensor[s]._shape)) for s in plan.reused.values()}
    assert sizes and set(sizes.values()) == {4}
    xv = np.array([[0.3]], np.float32)
    yv = np.linspace(-1, 1, 4).astype(np.float32)
    got = _run(g, [a, c], {x: xv, y: yv}, None)
    want = _run(g, [a, c], {x: xv, y: yv}, NONE)
    for r, w in zip(got, want):
        assert r.tobytes() == w.tobytes()


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int16])
def test_max_and_min_call_the_ufunc_reduce_with_eagers_bits(dtype):
    # ndgrad's max/min (under nd.jit) and TF's reduce_max/reduce_min (a Session) run as
    # numpy.maximum/minimum.reduce: the same bits as eager / the unoptimised plan (NaN,
    # signed zeros), and the same error for an empty reduction
    import ndgrad as nd
    from test_compiler import same_bits
    v = np.array([[0.0, -0.0, 3.0, -1.0], [np.nan, 2.0, -0.0, 0.0], [-5, 7, 7, 1]])
    v = v.astype(dtype) if np.dtype(dtype).kind == "f" else np.nan_to_num(v).astype(dtype)
    cases = [dict(), dict(axis=0), dict(axis=1, keepdims=True), dict(axis=(0, 1)),
             dict(axis=-1)]
    for kw in cases:
        def f(x, kw=kw):
            return nd.max(x, **kw) * 2, nd.min(x, **kw) - 1
        j = nd.jit(f)
        x = nd.asarray(v)
        for a, b in zip(j(x), f(x)):
            same_bits(np.asarray(a), np.asarray(b))
        tr, = j._cache.values()
        env = tr.plan.fast.__globals__
        called = [env[k] for k in env if k.startswith("F")]
        assert np.maximum.reduce in called and np.minimum.reduce in called
        assert "(npx" not in tr.plan.source           # no forward wrapper is called
    with pytest.raises(ValueError, match="zero-size"):
        nd.jit(lambda x: nd.max(x, axis=0) * 2)(nd.zeros((0, 3), dtype=dtype))
    g = tf.Graph()
    with g.as_default():
        p = tf.placeholder(tf.as_dtype(dtype), (3, 4))
        fetch = [tf.reduce_max(p, axis=1, keepdims=True) * 2, tf.reduce_min(p, axis=0) - 1,
                 tf.reduce_max(p) + 0]
    for a, b in zip(_run(g, fetch, {p: v}, None), _run(g, fetch, {p: v}, NONE)):
        same_bits(a, b)


def test_a_copying_cast_runs_as_the_astype_method_with_the_unoptimised_bits():
    from test_compiler import same_bits
    g = tf.Graph()
    with g.as_default():
        x = tf.placeholder(tf.float64, (3, 4))
        fetch = [tf.cast(x, tf.float32), tf.cast(x > 0, tf.float32) * 2.0,
                 tf.cast(tf.cast(x, tf.float32), tf.float64), tf.cast(x, tf.float64)]
    plan = compile_plan(fetch, [x])
    assert plan.source.count(".astype(") >= 3, plan.source
    v = np.array([[0.0, -0.0, np.nan, np.inf], [-np.inf, 1e-320, 3.4e38, 3.5e38],
                  [1 / 3, -2.5, 1e-46, 7.0]])
    got, want = _run(g, fetch, {x: v}, None), _run(g, fetch, {x: v}, NONE)
    for a, b in zip(got, want):
        same_bits(a, b)
        assert not np.shares_memory(a, v)


_RELU_SPECIALS = [0.0, -0.0, 1e-310, np.inf, -np.inf, np.nan, 3e38, -3e38, 7.0]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", ["maximum", "minimum"])
def test_extremum_beside_a_constant_runs_filled_with_the_unoptimised_bits(dtype, name):
    # maximum/minimum of a large array beside a constant number (a relu) run array
    # against array in a filled buffer (NumPy 2.4 vectorises that loop only): the same
    # bits as the unoptimised plan and eager, NaN, signed zeros, infinities and
    # subnormals included, in both operand orders; TF graphs and nd.jit alike
    import ndgrad as nd
    from ndgrad._ops import elementwise
    from test_compiler import same_bits
    n = elementwise._EXTREMUM_FILL_MIN + 64
    rng = np.random.default_rng(3)
    v = (rng.standard_normal((2, n // 2)) * 5).astype(dtype)
    v.flat[rng.integers(0, n, 300)] = rng.choice(np.array(_RELU_SPECIALS, dtype), 300)
    uf, tf_f, nd_f = getattr(np, name), getattr(tf, name), getattr(nd, name)
    consts = [0.0, -0.0, 0.1, -2.5, 1e-30, 3, -(1 << 24)]
    g = tf.Graph()
    with g.as_default():
        p = tf.placeholder(tf.as_dtype(dtype), v.shape)
        fetch = [tf_f(p, c) * 1 for c in consts] + [tf_f(c, p) * 1 for c in consts]
    plan = compile_plan(fetch, [p])
    assert plan.source.count(" = X") == 2 * len(consts), plan.source
    got, want = _run(g, fetch, {p: v}, None), _run(g, fetch, {p: v}, NONE)
    for a, b, w in zip(got, want, [uf(v, c) for c in consts] + [uf(c, v) for c in consts]):
        same_bits(a, b)
        same_bits(a, w)

    def f(x):
        return [nd_f(x, c) for c in consts] + [nd_f(c, x) for c in consts]
    j = nd.jit(f)
    for x in (v, np.asfortranarray(v), v[:, ::-1]):    # (the last two: not C-contiguous)
        for a, b in zip(j(nd.asarray(x)), f(nd.asarray(x))):
            same_bits(np.asarray(a), np.asarray(b))
    tr = next(iter(j._cache.values()))
    assert tr.plan.source.count(" = X") == 2 * len(consts), tr.plan.source


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_extremum_beside_a_constant_into_a_dead_operand_keeps_the_bits(dtype):
    # where the operand dies at the step (an inference relu: maximum(h + b, 0.0)), the
    # reuse pass writes the result into h's buffer: the filled way takes that out= too
    from ndgrad._ops import elementwise
    from test_compiler import same_bits
    n = elementwise._EXTREMUM_FILL_MIN * 2
    rng = np.random.default_rng(11)
    v = (rng.standard_normal((4, n // 4)) * 3).astype(dtype)
    v.flat[rng.integers(0, n, 200)] = rng.choice(np.array(_RELU_SPECIALS, dtype), 200)
    bv = rng.standard_normal(n // 4).astype(dtype)
    g = tf.Graph()
    with g.as_default():
        p = tf.placeholder(tf.as_dtype(dtype), v.shape)
        b = tf.placeholder(tf.as_dtype(dtype), bv.shape)
        fetch = [tf.maximum(p + b, 0.0) * 2.0, tf.minimum(-1.5, p - b) + 1.0]
    plan = compile_plan(fetch, [p, b])
    lines = plan.source.splitlines()
    assert sum("= X" in line and ", out=v" in line for line in lines) == 2, plan.source
    got, want = _run(g, fetch, {p: v, b: bv}, None), _run(g, fetch, {p: v, b: bv}, NONE)
    for a, w in zip(got, want):
        same_bits(a, w)
    same_bits(got[0], np.maximum(v + bv, 0.0) * 2.0)


def test_extremum_beside_a_constant_stays_the_ufunc_where_filling_cannot_help():
    # below the size, beside a NaN, an infinity or a float64 0-d array (which promotes a
    # float32 operand), and for integers: the ufunc itself, with its own bits
    import ndgrad as nd
    from ndgrad._ops import elementwise
    from test_compiler import same_bits
    n = elementwise._EXTREMUM_FILL_MIN
    g = tf.Graph()
    with g.as_default():
        small = tf.placeholder(tf.float32, (n - 1,))
        big = tf.placeholder(tf.float32, (n,))
        ints = tf.placeholder(tf.int32, (n,))
        fetch = [tf.maximum(small, 0.0), tf.maximum(big, float("nan")),
                 tf.maximum(big, float("inf")), tf.minimum(ints, 3)]
    plan = compile_plan(fetch, [small, big, ints])
    assert " = X" not in plan.source, plan.source
    feeds = {small: np.linspace(-1, 1, n - 1, dtype=np.float32),
             big: np.linspace(-1, 1, n, dtype=np.float32), ints: np.arange(n, dtype=np.int32)}
    for a, b in zip(_run(g, fetch, feeds, None), _run(g, fetch, feeds, NONE)):
        same_bits(a, b)
    x = nd.asarray(np.linspace(-1, 1, n, dtype=np.float32))
    c64 = nd.asarray(np.float64(0.25))
    j = nd.jit(lambda x: nd.maximum(x, c64))
    same_bits(np.asarray(j(x)), np.maximum(np.asarray(x), np.float64(0.25)))
    assert " = X" not in next(iter(j._cache.values())).plan.source


@pytest.mark.parametrize("ties", [False, True])
def test_relu_gradient_writes_into_its_dead_cotangent_with_eagers_bits(ties):
    # maximum's gradient share (g times the mask, ties halved) declares g's buffer as
    # the one it may write: the plan hands a dead matmul product's buffer (out=); with
    # ties (h == 0 exactly) g's values are still read after the product, so the share
    # is a new array there -- either way eager's bits
    import ndgrad as nd
    from test_compiler import same_bits

    def loss(w, x, c):
        a = nd.maximum(x @ w, 0.0)
        b = a @ w
        return nd.sum(b * b) + nd.sum(a * c)    # (c: a cotangent nonzero at the ties)
    vg = nd.value_and_grad(loss, (0, 1))
    j = nd.jit(vg)
    rng = np.random.default_rng(5)
    xv = rng.standard_normal((64, 128)).astype(np.float32)
    wv = rng.standard_normal((128, 128)).astype(np.float32)
    if ties:
        xv[:7] = 0.0          # rows of x @ w exactly 0: maximum's ties with the constant
    w, x = nd.asarray(wv), nd.asarray(xv)
    c = nd.asarray(rng.standard_normal((64, 128)).astype(np.float32))
    got, want = j(w, x, c), vg(w, x, c)
    same_bits(np.asarray(got[0]), np.asarray(want[0]))
    for r, s in zip(got[1], want[1]):
        same_bits(np.asarray(r), np.asarray(s))
    tr, = j._cache.values()
    src = tr.plan.source
    share = [k for k, v in tr.plan.fast.__globals__.items()
             if getattr(v, "__name__", "") == "_tie_share_forward"]
    assert share and any(k + "(npx" in line and "out=v" in line
                         for k in share for line in src.splitlines()), src

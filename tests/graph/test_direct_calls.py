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

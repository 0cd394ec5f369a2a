"""Hypothesis-drawn shapes, axes and values: the TF dictionary's reductions and
broadcasting operators against NumPy, through placeholders with unknown dims."""
import numpy as np
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

import ndgrad.tf as tf

REDUCE = {"sum": np.sum, "mean": np.mean, "max": np.max, "min": np.min, "prod": np.prod}


@st.composite
def array_and_axes(draw):
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4))
    x = draw(hnp.arrays(np.float32, shape, elements=st.floats(-2, 2, width=32)))
    axes = draw(st.none() | st.lists(st.integers(0, len(shape) - 1), min_size=1,
                                     max_size=len(shape), unique=True))
    return x, axes, draw(st.booleans())


@settings(max_examples=20, deadline=None)
@given(array_and_axes(), st.sampled_from(sorted(REDUCE)))
def test_reductions_match_numpy(case, kind):
    tf.reset_default_graph()
    x, axes, keepdims = case
    p = tf.placeholder(tf.float32, (None,) * x.ndim)
    out = getattr(tf, f"reduce_{kind}")(p, axis=axes, keepdims=keepdims)
    want = REDUCE[kind](x, axis=None if axes is None else tuple(axes), keepdims=keepdims)
    with tf.Session() as s:
        got = s.run(out, {p: x})
    assert got.shape == np.shape(want) and got.dtype == np.float32
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)
    static = out.get_shape().as_list()
    assert len(static) == np.ndim(want)
    assert all(d is None or d == w for d, w in zip(static, np.shape(want)))


@settings(max_examples=20, deadline=None)
@given(hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3, max_side=3),
       st.sampled_from(["add", "sub", "mul", "truediv", "maximum", "minimum"]),
       st.data())
def test_broadcasting_operators_and_their_gradients(shapes, op, data):
    tf.reset_default_graph()
    (sa, sb), _ = shapes
    a = data.draw(hnp.arrays(np.float32, sa, elements=st.floats(0.5, 2, width=32)))
    b = data.draw(hnp.arrays(np.float32, sb, elements=st.floats(0.5, 2, width=32)))
    pa = tf.placeholder(tf.float32, (None,) * len(sa))
    pb = tf.placeholder(tf.float32, sb)
    f = {"add": lambda x, y: x + y, "sub": lambda x, y: x - y, "mul": lambda x, y: x * y,
         "truediv": lambda x, y: x / y, "maximum": tf.maximum, "minimum": tf.minimum}[op]
    y = f(pa, pb)
    ga, gb = tf.gradients(tf.reduce_sum(y * y), [pa, pb])
    npf = {"add": np.add, "sub": np.subtract, "mul": np.multiply, "truediv": np.divide,
           "maximum": np.maximum, "minimum": np.minimum}[op]
    with tf.Session() as s:
        yv, gav, gbv = s.run([y, ga, gb], {pa: a, pb: b})
    np.testing.assert_allclose(yv, npf(a, b), rtol=1e-6)
    assert gav.shape == a.shape and gbv.shape == b.shape
    # the gradients sum back over the broadcast axes: check the total against d(sum)/d(t)
    # along a common scaling direction, t -> f(a*(1+t), b*(1+t))
    eps = 1e-3
    up = np.sum(npf(a * (1 + eps), b * (1 + eps)).astype(np.float64) ** 2)
    dn = np.sum(npf(a * (1 - eps), b * (1 - eps)).astype(np.float64) ** 2)
    want = (up - dn) / (2 * eps)
    got = np.sum(gav * a) + np.sum(gbv * b)
    if op not in ("maximum", "minimum"):       # ties make the kink direction-dependent
        np.testing.assert_allclose(got, want, rtol=2e-2, atol=2e-2)

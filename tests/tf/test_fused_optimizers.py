"""The fused optimizer kernels (ApplyAdam's fast path): TensorFlow's formula, the
unfused step's exact values, no aliasing of fetched values, nothing written by a failed run."""
import math

import numpy as np
import pytest
from hypothesis import example, given, strategies as st
from hypothesis.extra import numpy as hnp

import ndgrad.tf as tf
from ndgrad.tf.train import AdamOptimizer

FLOATS = [np.float16, np.float32, np.float64]


@st.composite
def _adam_case(draw):
    dt = np.dtype(draw(st.sampled_from(FLOATS)))
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=4))
    elems = st.floats(allow_nan=True, allow_infinity=True, width=dt.itemsize * 8)
    w, m, g = (draw(hnp.arrays(dt, shape, elements=elems)) for _ in range(3))
    v = np.abs(draw(hnp.arrays(dt, shape, elements=elems)))
    t = draw(st.integers(1, 5000))
    lr, b1, b2, eps = (draw(st.sampled_from(c)) for c in (
        [0.001, 0.1, 1.0, 3e-7], [0.9, 0.0, 0.5, 0.99], [0.999, 0.0, 0.9], [1e-8, 0.0, 1e-3]))
    hyp = [np.asarray(x, dt) for x in (lr, b1, b2, eps)]
    powers = [float(np.asarray(b1, dt) ** t), float(np.asarray(b2, dt) ** t)]
    return dt, w, m, v, powers, hyp, g


@given(_adam_case())
def test_fused_adam_equals_unfused_bit_for_bit(case):
    dt, w, m, v, (b1p, b2p), hyp, g = case
    with np.errstate(all="ignore"):
        want = AdamOptimizer._step(w, m, v, b1p, b2p, *[float(h) for h in hyp], g)
        got = AdamOptimizer._fused_step(dt, w, m, v, np.asarray(b1p, dt),
                                        np.asarray(b2p, dt), *hyp, g)
    assert got is not None
    for a, b in zip(got, want):
        assert type(a) is np.ndarray and a.dtype == dt and a.shape == w.shape
        np.testing.assert_array_equal(a, np.asarray(b, dt), strict=True)
        assert not np.shares_memory(a, w) and not np.shares_memory(a, m)


def _one_element(case, shape, dt):
    """A drawn Adam case as one-element values of ``shape`` and ``dt`` (0-d beta
    powers and hyper-parameters of dt), with the unfused step's results."""
    _, w, m, v, (b1p, b2p), hyp, g = case
    with np.errstate(all="ignore"):
        w, m, v, g = (np.resize(np.asarray(a, dt), shape) if a.size else
                      np.full(shape, np.nan, dt) for a in (w, m, v, g))
        hyp = [np.asarray(h, dt) for h in hyp]
        b1p, b2p = np.asarray(b1p, dt), np.asarray(b2p, dt)
        want = AdamOptimizer._step(w, m, v, float(b1p), float(b2p),
                                   *[float(h) for h in hyp], g)
    return w, m, v, b1p, b2p, hyp, g, want


def _same_bits(a, b):
    """The same bits, NaN's sign aside: NumPy's scalar arithmetic and its array loops
    may give a NaN of either sign for the same operands (a random search found a NaN
    gradient giving -nan on the scalar path and nan on the array path)."""
    nan = np.isnan(a)
    return bool((nan == np.isnan(b)).all()) and a[~nan].tobytes() == b[~nan].tobytes()


@given(_adam_case(), st.sampled_from([(1,), (1, 1), (1, 1, 1)]),
       st.sampled_from([np.float32, np.float64]))
def test_fused_adam_of_one_element_equals_unfused_bit_for_bit(case, shape, dt):
    # a one-element variable (a bias, the seed course's W) runs on NumPy scalars
    dt = np.dtype(dt)
    w, m, v, b1p, b2p, hyp, g, want = _one_element(case, shape, dt)
    with np.errstate(all="ignore"):
        got = AdamOptimizer._fused_step(dt, w, m, v, b1p, b2p, *hyp, g)
    for a, b in zip(got, want):
        assert type(a) is np.ndarray and a.dtype == dt and a.shape == shape
        assert _same_bits(a, np.asarray(b, dt)), (a, b)
        assert not np.shares_memory(a, w) and not np.shares_memory(a, m)


def test_fused_adam_formula_is_tensorflows():
    """lr_t = lr sqrt(1 - beta2^t) / (1 - beta1^t); m, v moving averages; epsilon
    outside the root (TensorFlow's ApplyAdam), computed by hand in float64."""
    w, m, v, g = (np.array([[0.5, -2.0]]), np.array([[0.1, 0.0]]),
                  np.array([[0.01, 0.0]]), np.array([[0.3, -4.0]]))
    t = 3
    b1p, b2p = 0.9 ** t, 0.999 ** t
    got = AdamOptimizer._fused_step(np.dtype(np.float64), w, m, v, b1p, b2p,
                                    *(np.asarray(x) for x in (0.01, 0.9, 0.999, 1e-8)), g)
    lr_t = 0.01 * math.sqrt(1 - b2p) / (1 - b1p)
    m1 = 0.9 * m + 0.1 * g
    v1 = 0.999 * v + 0.001 * g * g
    np.testing.assert_allclose(got[1], m1, rtol=1e-15)
    np.testing.assert_allclose(got[2], v1, rtol=1e-13)
    np.testing.assert_allclose(got[0], w - lr_t * m1 / (np.sqrt(v1) + 1e-8), rtol=1e-13)


def test_fused_adam_declines_what_it_does_not_cover():
    f32 = np.dtype(np.float32)
    one = np.ones((2,), np.float32)
    hyp = [np.asarray(x, np.float32) for x in (0.5, 0.5, 0.001, 0.9, 0.999, 1e-8)]
    assert AdamOptimizer._fused_step(f32, one, one, one, *hyp, one) is not None
    # a 0-d variable, a gradient of another dtype or shape, an integer dtype
    z = np.float32(1.0) * np.ones((), np.float32)
    assert AdamOptimizer._fused_step(f32, np.ones((), np.float32), z, z, *hyp, z) is None
    assert AdamOptimizer._fused_step(f32, one, one, one, *hyp, one.astype(np.float64)) is None
    assert AdamOptimizer._fused_step(f32, one, one, one, *hyp, np.ones((1,), np.float32)) \
        is None
    i = np.ones((2,), np.int32)
    assert AdamOptimizer._fused_step(np.dtype(np.int32), i, i, i, *hyp, i) is None


def _linreg(fused, steps=40, dtype=tf.float32):
    """The seed linear regression, ``steps`` Adam steps; returns W, b and the slots."""
    rng = np.random.default_rng(0)
    X_data = np.arange(100, step=.1).reshape(1000, 1)
    y_data = X_data + 20 * np.sin(X_data / 10)
    g = tf.Graph()
    with g.as_default():
        X = tf.placeholder(dtype, shape=(100, 1))
        y = tf.placeholder(dtype, shape=(100, 1))
        W = tf.get_variable("W", (1, 1), dtype=dtype,
                            initializer=tf.constant_initializer(0.3))
        b = tf.get_variable("b", (1,), dtype=dtype, initializer=tf.constant_initializer(0.))
        loss = tf.reduce_sum((y - (tf.matmul(X, W) + b)) ** 2 / 1000)
        opt = tf.train.AdamOptimizer()
        if not fused:
            opt._fused_step = None
        train = opt.minimize(loss)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            losses = []
            for _ in range(steps):
                idx = rng.choice(1000, 100)
                _, lv = sess.run([train, loss], {X: X_data[idx], y: y_data[idx]})
                losses.append(lv)
            out = sess.run([W, b] + [opt.get_slot(v, s) for v in (W, b) for s in ("m", "v")]
                           + list(opt._get_beta_accumulators()))
    return losses, out


@pytest.mark.parametrize("dtype", [tf.float32, tf.float64])
def test_session_results_equal_the_unfused_kernel(dtype):
    la, a = _linreg(True, dtype=dtype)
    lb, b = _linreg(False, dtype=dtype)
    np.testing.assert_array_equal(la, lb, strict=True)
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x, y, strict=True)
    assert a[0][0, 0] != 0.3 and a[1][0] != 0.0     # the variables did move


def test_fetched_values_never_change_with_later_steps():
    W = tf.Variable(np.array([[1.0, 2.0]], np.float32))
    x = tf.placeholder(tf.float32, (None, 1))
    loss = tf.reduce_sum(tf.matmul(x, W) ** 2)
    opt = tf.train.AdamOptimizer(0.1)
    train = opt.minimize(loss)
    m = opt.get_slot(W, "m")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        feed = {x: [[1.0], [2.0]]}
        sess.run(train, feed)
        w0, m0 = sess.run([W, m])
        w0c, m0c = w0.copy(), m0.copy()
        out = sess.run([train, W, m], feed)          # fetched with the update
        w1c = out[1].copy()
        for _ in range(3):
            sess.run(train, feed)
        np.testing.assert_array_equal(w0, w0c)
        np.testing.assert_array_equal(m0, m0c)
        np.testing.assert_array_equal(out[1], w1c)
        assert not np.array_equal(sess.run(W), w0c)


def test_failed_run_leaves_variables_and_slots_as_they_were():
    W = tf.Variable(np.array([[1.0], [2.0]], np.float32))
    x = tf.placeholder(tf.float32, (None, 2))
    p = tf.placeholder(tf.float32, (None,))
    q = tf.placeholder(tf.float32, (None,))
    loss = tf.reduce_sum(tf.matmul(x, W) ** 2)
    opt = tf.train.AdamOptimizer(0.1)
    train = opt.minimize(loss)
    state = [W, opt.get_slot(W, "m"), opt.get_slot(W, "v")] + list(
        opt._get_beta_accumulators())
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train, {x: [[1.0, 3.0]]})
        before = sess.run(state)
        with pytest.raises(tf.errors.InvalidArgumentError):
            # ApplyAdam runs, then p + q fails: nothing is committed
            sess.run([train, p + q], {x: [[1.0, 3.0]], p: [1., 2.], q: [1., 2., 3.]})
        for a, b in zip(sess.run(state), before):
            np.testing.assert_array_equal(a, b)
        sess.run(train, {x: [[1.0, 3.0]]})
        assert not np.array_equal(sess.run(W), before[0])


def _Ctx():
    # a kernel's run context without a run: collects what it stages
    from ndgrad.tf.train import _Scratch
    return _Scratch()


def _ordinary_case(seed):
    rng = np.random.default_rng(seed)
    w, m, g = (rng.standard_normal(3) for _ in range(3))
    v = np.abs(rng.standard_normal(3))
    t = int(rng.integers(1, 100))
    return (None, w, m, v, [0.9 ** t, 0.999 ** t],
            [np.asarray(x) for x in (0.001, 0.9, 0.999, 1e-8)], g)


@given(_adam_case(), st.sampled_from([(1,), (1, 1), (1, 1, 1)]),
       st.sampled_from([np.float32, np.float64]))
@example(_ordinary_case(0), (1, 1), np.float32)
@example(_ordinary_case(1), (1,), np.float32)
@example(_ordinary_case(2), (1,), np.float64)
def test_the_one_element_kernel_stages_the_unfused_steps_bits(case, shape, dt):
    # the Session's kernel for a one-element variable of static shape: _step's values,
    # staged as new arrays of the variable's shape and dtype; anything else (a gradient
    # of another dtype or shape, a 0-d value) goes to the general kernel
    dt = np.dtype(dt)
    w, m, v, b1p, b2p, hyp, g, want = _one_element(case, shape, dt)
    with np.errstate(all="ignore"):
        ops = ("w", "m", "v")
        calls = []

        def general(ctx, *vals):
            calls.append(vals)
            return "general"
        fn = AdamOptimizer()._one_element_kernel(ops, dt, shape, general)
        ctx = _Ctx()
        w0, m0, v0 = w.copy(), m.copy(), v.copy()
        out = fn(ctx, w, m, v, b1p, b2p, *hyp, g)
        assert out is ctx.writes["w"] and not calls
        for k, b in zip(ops, want):
            a = ctx.writes[k]
            assert type(a) is np.ndarray and a.dtype == dt and a.shape == shape
            assert _same_bits(a, np.asarray(b, dt)), (a, b)
        for a, b in ((w, w0), (m, m0), (v, v0)):
            assert a.tobytes() == b.tobytes()            # nothing written in place
        other = np.float64 if dt == np.float32 else np.float32
        for bad in (g.astype(other), np.resize(g, (2,) + shape), g.reshape(())):
            assert fn(_Ctx(), w, m, v, b1p, b2p, *hyp, bad) == "general"
    assert len(calls) == 3
    # not for more than one element, an integer dtype, or an optimizer without fusion
    opt = AdamOptimizer()
    assert opt._one_element_kernel(ops, dt, (2,), general) is None
    assert opt._one_element_kernel(ops, np.dtype(np.int32), shape, general) is None
    opt._fused_step = None
    assert opt._one_element_kernel(ops, dt, shape, general) is None

"""What a third round of random TF1 graph programs (2640, 129 op forms: placeholders with
unknown dimensions, variables, tf.gradients with and without grad_ys, 3 steps of nine
optimizers) found under TensorFlow 2.15.1 (compat.v1) and ndgrad.tf; the expected
numbers are TensorFlow's (or the exact value, where TF's is):

- ``tf.cumsum(..., exclusive=True)`` along a dimension unknown when the graph is built
  gave n + 1 elements (``[0, 1, 3, 6]`` for ``[1, 2, 3]``) and a wrong gradient, no
  error; ``tf.cumprod`` there raised TypeError.
- ``tf.clip_by_norm``, ``tf.clip_by_global_norm`` and ``tf.clip_by_average_norm`` of
  float64 tensors rounded a Python ``clip_norm`` through float32 (0.77999997 for 0.78).
- ``tf.reduce_prod``'s gradient was ``total / x``: 0 where the product underflows, inf
  where it overflows, nan beside an inf element. TF's is the product of the other
  elements (exclusive running products), bit for bit now, in TF's axis order.
- ``tf.gather_nd`` with indices of shape (n, 1) has TF's sparse gradient (rows of an
  IndexedSlices), so Momentum and the other slot optimizers update only those rows.
- ``tf.fill(tf.shape(x), value)`` with a tensor ``value`` was refused.
- ``tf.nn.fused_batch_norm`` was missing; ``tf.nn.lrn`` took float64, which TF refuses.

Two more fuzzes (control flow; layers, losses and metrics) found: ``back_prop=False`` of
scan/fold/map_fn ignored; a second derivative through a while_loop coming back None; a
cond's gradient re-reading a variable its branch had overwritten; gradients built inside
``control_dependencies`` leaking those into later gradients of a cond or while_loop;
batch norm moving the variance by the biased batch variance where Keras uses the fused
kernel (channels first, 5-D); ``add_n`` broadcasting inputs of other shapes.
"""
import numpy as np
import pytest

import ndgrad.tf as tf
from helpers import fd_grad_np as fd


def _run(fetches, feeds=None):
    with tf.Session() as s:
        return s.run(fetches, feeds)


@pytest.mark.parametrize("reverse", [False, True])
def test_exclusive_running_sums_and_products_along_an_unknown_length(reverse):
    x = tf.placeholder(tf.float64, [None])
    y = tf.cumsum(x, exclusive=True, reverse=reverse)
    p = tf.cumprod(x, exclusive=True, reverse=reverse)
    g = tf.gradients(tf.reduce_sum(y) + tf.reduce_sum(p), x)[0]
    v = np.array([1.0, 2.0, 3.0])
    ys, ps, gs = _run([y, p, g], {x: v})
    if not reverse:
        assert ys.tolist() == [0.0, 1.0, 3.0] and ps.tolist() == [1.0, 1.0, 2.0]
        # d/dx of sum(exclusive cumsum) is [2, 1, 0]; of sum(exclusive cumprod) [3, 1, 0]
        assert gs.tolist() == [5.0, 2.0, 0.0]
    else:
        assert ys.tolist() == [5.0, 3.0, 0.0] and ps.tolist() == [6.0, 3.0, 1.0]
        # [0, 1, 2] and, of [x1 x2, x2, 1] (x = [1, 2, 3]), [0, x2, x1 + 1]
        assert gs.tolist() == [0.0, 1.0 + 3.0, 2.0 + 3.0]
    m = tf.placeholder(tf.float64, [None, None])
    both = _run([tf.cumsum(m, axis=1, exclusive=True), tf.cumprod(m, axis=0, exclusive=True)],
                {m: np.arange(1.0, 7.0).reshape(2, 3)})
    assert both[0].tolist() == [[0.0, 1.0, 3.0], [0.0, 4.0, 9.0]]
    assert both[1].tolist() == [[1.0, 1.0, 1.0], [1.0, 2.0, 3.0]]


def test_clipping_a_float64_tensor_uses_the_number_in_float64():
    x = tf.constant(np.array([3.0, 4.0]))
    want = np.array([3.0, 4.0]) * 1.3 / 5.0                 # TF's: 0.78, 1.04
    by_norm, (by_global,), by_avg = _run([tf.clip_by_norm(x, 1.3),
                                          tf.clip_by_global_norm([x], 1.3)[0],
                                          tf.clip_by_average_norm(x, 1.3)])
    np.testing.assert_array_equal(by_norm, want)
    np.testing.assert_allclose(by_global, want, rtol=1e-15)
    np.testing.assert_allclose(by_avg, np.array([3.0, 4.0]) * 1.3 / 2.5, rtol=1e-15)
    # float32 stays float32 (the number in float32, as TF)
    f32 = _run(tf.clip_by_norm(tf.constant([3.0, 4.0]), 1.3))
    assert f32.dtype == np.float32


@pytest.mark.parametrize("values,want", [
    (np.float32([1e-30, 1e-20]), [1e-20, 1e-30]),       # the product underflows to 0
    (np.float32([1e30, 1e10]), [1e10, 1e30]),           # the product overflows to inf
    (np.float64([np.inf, 1.0, 2.0]), [2.0, np.inf, np.inf]),
    (np.float64([np.nan, 0.0, 2.0]), [0.0, np.nan, np.nan]),
    (np.float64([0.0, 0.0, 2.0]), [0.0, 0.0, 0.0]),
    (np.float64([0.0, 3.0, 2.0]), [6.0, 0.0, 0.0]),
])
def test_reduce_prod_gradient_is_the_product_of_the_others(values, want):
    x = tf.constant(values)
    g = _run(tf.gradients(tf.reduce_prod(x), x)[0])
    np.testing.assert_array_equal(g, np.asarray(want, values.dtype))


@pytest.mark.parametrize("axis", [None, 0, 1, -1, [0, 1], [1, 0], [2, 0], [0, 2, 1]])
@pytest.mark.parametrize("keepdims", [False, True])
def test_reduce_prod_gradient_over_axes_and_second_order(axis, keepdims):
    rng = np.random.default_rng(3)
    v = rng.uniform(0.5, 1.5, (2, 3, 2))
    v[0, 1, 0] = 0.0
    x = tf.placeholder(tf.float64, (None, 3, 2))
    y = tf.reduce_prod(x, axis=axis, keepdims=keepdims)
    w = rng.standard_normal(np.prod(v, axis=tuple(axis) if isinstance(axis, list) else axis,
                                    keepdims=keepdims).shape)
    g = tf.gradients(tf.reduce_sum(y * w), x)[0]
    h = tf.gradients(tf.reduce_sum(g * g), x)[0]
    gv, hv = _run([g, h], {x: v})

    def f(u):
        return np.sum(np.prod(u, axis=tuple(axis) if isinstance(axis, list) else axis,
                              keepdims=keepdims) * w)
    np.testing.assert_allclose(gv, fd(f, v), rtol=1e-7, atol=1e-9)
    # the second order through the rule's own ops (placeholder of unknown batch length)
    gx = tf.placeholder(tf.float64, (None, 3, 2))
    gfun = tf.gradients(tf.reduce_sum(tf.reduce_prod(gx, axis=axis, keepdims=keepdims) * w),
                        gx)[0]
    with tf.Session() as s:
        def sq(u):
            return float(np.sum(s.run(gfun, {gx: u}) ** 2))
        np.testing.assert_allclose(hv, fd(sq, v), rtol=1e-6, atol=1e-7)


def test_gather_nd_of_single_rows_has_a_sparse_gradient():
    v = tf.Variable(np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]))
    idx = tf.placeholder(tf.int32, [1, 1])
    loss = tf.reduce_sum(tf.gather_nd(v, idx) ** 2)
    step = tf.train.MomentumOptimizer(0.1, 0.9).minimize(loss)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        s.run(step, {idx: [[0]]})
        s.run(step, {idx: [[1]]})
        got = s.run(v)
    # TF's: row 0 is not moved by its momentum in the second step (a sparse update; the
    # dense one moved it to [0.62, 1.24]); 0.1 is float32's, as TF's
    np.testing.assert_allclose(got, [[0.8, 1.6], [2.4, 3.2], [5.0, 6.0]], rtol=1e-7)
    # indices that pick elements, not rows: the dense scatter
    e = tf.Variable(np.array([[1.0, 2.0], [3.0, 4.0]]))
    loss2 = tf.reduce_sum(tf.gather_nd(e, [[0, 1]]) ** 2)
    g = tf.gradients(loss2, e)[0]
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        assert s.run(g).tolist() == [[0.0, 4.0], [0.0, 0.0]]


def test_fill_with_a_tensor_value_and_run_time_dims():
    x = tf.placeholder(tf.float64, (None, 3))
    w = tf.placeholder(tf.float64, ())
    outs = [tf.fill(tf.shape(x), w * 2.0), tf.fill(tf.shape(x), tf.reduce_sum(x)),
            tf.fill(tf.stack([tf.shape(x)[0], 2]), w)]
    loss = tf.add_n([tf.reduce_sum(o * o) for o in outs])
    gx, gw = tf.gradients(loss, [x, w])
    xv = np.arange(12.0).reshape(4, 3)
    r = _run(outs + [gx, gw], {x: xv, w: -0.0})
    assert [a.shape for a in r[:3]] == [(4, 3), (4, 3), (4, 2)]
    assert np.signbit(r[0]).all() and np.signbit(r[2]).all()      # -0.0 filled as it is
    assert (r[1] == 66.0).all()
    np.testing.assert_array_equal(r[3], np.full((4, 3), 24.0 * 66.0))
    assert r[4] == 0.0          # (+0.0, as TF's: the sum over the filled elements)


def test_fused_batch_norm_training_and_inference():
    rng = np.random.default_rng(0)
    xv = rng.standard_normal((2, 3, 2, 4)).astype(np.float32)
    sc = rng.uniform(0.5, 1.5, 4).astype(np.float32)
    of = rng.standard_normal(4).astype(np.float32)
    x = tf.placeholder(tf.float32, xv.shape)
    y, m, v = tf.nn.fused_batch_norm(x, sc, of, epsilon=1e-6)
    y2, m2, v2 = tf.nn.fused_batch_norm(x, sc, of, mean=np.ones(4, np.float32),
                                        variance=np.full(4, 2.0, np.float32),
                                        is_training=False, epsilon=1e-6)
    y3, m3, v3 = tf.nn.fused_batch_norm(x, sc, of, mean=np.ones(4, np.float32),
                                        variance=np.full(4, 2.0, np.float32),
                                        exponential_avg_factor=0.3)
    r = _run([y, m, v, y2, m2, v2, m3, v3], {x: xv})
    mean, var = xv.mean((0, 1, 2)), xv.var((0, 1, 2))
    np.testing.assert_allclose(r[0], (xv - mean) / np.sqrt(var + 1e-6) * sc + of,
                               rtol=2e-6, atol=2e-6)
    np.testing.assert_allclose(r[1], mean, rtol=1e-6)
    np.testing.assert_allclose(r[2], xv.var((0, 1, 2), ddof=1), rtol=1e-5)   # unbiased
    np.testing.assert_allclose(r[3], (xv - 1) / np.sqrt(2 + 1e-6) * sc + of, rtol=2e-6,
                               atol=2e-6)
    assert r[4].tolist() == [1.0] * 4 and r[5].tolist() == [2.0] * 4
    np.testing.assert_allclose(r[6], 0.7 + 0.3 * mean, rtol=1e-6)
    np.testing.assert_allclose(r[7], 1.4 + 0.3 * xv.var((0, 1, 2), ddof=1), rtol=1e-5)
    # NCHW: the channel is axis 1
    xc = tf.placeholder(tf.float32, (2, 4, 3, 2))
    yc, mc, _ = tf.nn.fused_batch_norm(xc, sc, of, epsilon=1e-6, data_format="NCHW")
    ycv, mcv = _run([yc, mc], {xc: np.transpose(xv, (0, 3, 1, 2))})
    np.testing.assert_allclose(np.transpose(ycv, (0, 2, 3, 1)), r[0], rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(mcv, r[1], rtol=1e-6)
    with pytest.raises(ValueError, match="mean"):
        tf.nn.fused_batch_norm(x, sc, of, is_training=False)
    with pytest.raises(TypeError, match="float64 not in list"):
        tf.nn.fused_batch_norm(tf.constant(np.ones((1, 1, 1, 4))), sc, of)
    with pytest.raises(TypeError, match="float64 not in list"):
        tf.nn.lrn(tf.constant(np.ones((1, 1, 1, 3))))


def test_fused_batch_norm_gradients_match_finite_differences():
    rng = np.random.default_rng(1)
    xv = rng.standard_normal((3, 2, 2, 2)).astype(np.float32)
    sc = rng.uniform(0.5, 1.5, 2).astype(np.float32)
    of = rng.standard_normal(2).astype(np.float32)
    wv = rng.standard_normal(xv.shape).astype(np.float32)
    x, s_, o_ = (tf.placeholder(tf.float32, xv.shape), tf.placeholder(tf.float32, (2,)),
                 tf.placeholder(tf.float32, (2,)))
    y, m, v = tf.nn.fused_batch_norm(x, s_, o_, epsilon=1e-3)
    loss = tf.reduce_sum(y * wv)
    grads = tf.gradients(loss, [x, s_, o_])
    assert tf.gradients(m + v, [x])[0] is None     # the statistics pass no gradient back
    feeds = {x: xv, s_: sc, o_: of}
    with tf.Session() as s:
        got = s.run(grads, feeds)

        def f64(xx, ss, oo):
            mu = xx.mean((0, 1, 2))
            return np.sum(((xx - mu) / np.sqrt(xx.var((0, 1, 2)) + 1e-3) * ss + oo) * wv)
        args = [xv.astype(np.float64), sc.astype(np.float64), of.astype(np.float64)]
        for k, g in enumerate(got):
            fd = np.zeros_like(args[k])
            for i in np.ndindex(fd.shape):
                up = [a.copy() for a in args]
                dn = [a.copy() for a in args]
                up[k][i] += 1e-5
                dn[k][i] -= 1e-5
                fd[i] = (f64(*up) - f64(*dn)) / 2e-5
            np.testing.assert_allclose(g, fd, rtol=2e-3, atol=2e-4)


@pytest.mark.parametrize("name", ["xlogy", "xlog1py", "xdivy"])
def test_x_or_zero_gradients_multiply_the_cotangent(name):
    """TF's gradients of xlogy, xlog1py and xdivy multiply the cotangent by partials that
    are 0 where x is 0: a nan cotangent gives nan there (a select gave 0)."""
    f = getattr(tf.math, name)
    x = tf.constant(np.array([0.0, 1.0, 0.0]))
    y = tf.constant(np.array([2.0, 2.0, 3.0]))
    gy = tf.constant(np.array([np.nan, np.nan, 2.0]))
    gx_, gy_ = _run(tf.gradients(f(x, y), [x, y], grad_ys=gy))
    assert np.isnan(gx_[:2]).all() and np.isnan(gy_[:2]).all()
    # a finite cotangent: 0 for both operands where x is 0, TF's partials elsewhere
    gx2, gy2 = _run(tf.gradients(tf.reduce_sum(f(x, y)), [x, y]))
    want_x = {"xlogy": np.log(2.0), "xlog1py": np.log1p(2.0), "xdivy": 0.5}[name]
    want_y = {"xlogy": 0.5, "xlog1py": 1.0 / 3.0, "xdivy": -0.25}[name]
    np.testing.assert_allclose(gx2, [0.0, want_x, 0.0], rtol=1e-15)
    np.testing.assert_allclose(gy2, [0.0, want_y, 0.0], rtol=1e-15)
    # second order through the ops themselves (TF's gradient graphs are made of them)
    h = tf.gradients(tf.gradients(tf.reduce_sum(f(x, y)), y)[0], y)[0]
    want_h = {"xlogy": -0.25, "xlog1py": -1.0 / 9.0, "xdivy": 0.25}[name]
    np.testing.assert_allclose(_run(h), [0.0, want_h, 0.0], rtol=1e-15)


# -- control flow (a fuzz of cond, while_loop, scan/fold/map_fn and their gradients) -------
@pytest.mark.parametrize("make", [
    lambda x: tf.scan(lambda a, e: a * e, x, back_prop=False),
    lambda x: tf.foldl(lambda a, e: a * e, x, back_prop=False),
    lambda x: tf.foldr(lambda a, e: a * e, x, back_prop=False),
    lambda x: tf.map_fn(lambda e: e * e, x, back_prop=False),
])
def test_back_prop_false_passes_no_gradient(make):
    x = tf.placeholder(tf.float64, [3])
    w = tf.Variable(np.float64(2.0))
    y = make(x * w)
    assert tf.gradients(tf.reduce_sum(y), [x, w]) == [None, None]
    g = tf.gradients(tf.reduce_sum(y) + tf.reduce_sum(x), x)[0]
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        assert s.run(g, {x: [1.0, 2.0, 3.0]}).tolist() == [1.0, 1.0, 1.0]
    # back_prop=True (the default) differentiates
    assert tf.gradients(tf.reduce_sum(tf.scan(lambda a, e: a * e, x)), x)[0] is not None


def test_second_derivative_through_a_while_loop_is_tfs_error():
    x = tf.placeholder(tf.float64, [])
    _, y = tf.while_loop(lambda i, y: i < 3, lambda i, y: (i + 1, y * x), [0, x])
    g = tf.gradients(y, x)[0]
    assert _run(g, {x: 1.5}) == 4 * 1.5 ** 3
    with pytest.raises(TypeError, match="Second-order gradient for while loops"):
        tf.gradients(g, x)      # (it was [None]; d(y + g**2)/dx lost a term)


def test_cond_gradient_refuses_a_variable_the_branch_overwrote():
    v = tf.Variable(3.0, dtype=tf.float64)
    x = tf.placeholder(tf.float64, [])

    def overwrites():
        y = v.read_value() * x * x            # reads 3, then assigns 100
        with tf.control_dependencies([y]):
            a = tf.assign(v, 100.0)
        with tf.control_dependencies([a]):
            return tf.identity(y)
    y = tf.cond(tf.constant(True), overwrites, lambda: x)
    with pytest.raises(ValueError, match="reads variable.*and also assigns"):
        tf.gradients(y, x)     # (it gave 400 for 6 x = 12)

    # reads after the branch's assignment, or an update beside the result: right
    u = tf.Variable(3.0, dtype=tf.float64)

    def reads_after():
        a = tf.assign_add(u, 1.0)
        with tf.control_dependencies([a]):
            return u.read_value() * x * x
    m = tf.Variable(0.0, dtype=tf.float64)

    def updates_beside():
        upd = tf.assign(m, 0.9 * m + 0.1 * x)
        with tf.control_dependencies([upd]):
            return tf.identity(x * x * 2.0)
    y1 = tf.cond(tf.constant(True), reads_after, lambda: x)
    y2 = tf.cond(tf.constant(True), updates_beside, lambda: x)
    g1, g2 = tf.gradients(y1, x)[0], tf.gradients(y2, x)[0]
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        assert s.run([y1, g1], {x: 2.0}) == [16.0, 16.0]
        assert s.run([y2, g2], {x: 2.0}) == [8.0, 8.0]


def test_while_loop_of_one_dict_keeps_its_structure():
    i0, y0 = tf.constant(0), tf.constant(1.0)
    r = tf.while_loop(lambda d: d["i"] < 3,
                      lambda d: [{"i": d["i"] + 1, "y": d["y"] * 2.0}], [{"i": i0, "y": y0}])
    assert isinstance(r, list) and sorted(r[0]) == ["i", "y"]   # (TF's: [dict]; was i)
    assert _run(r) == [{"i": 3, "y": 8.0}]


def test_tape_gradient_unconnected_gradients_zero():
    tf.enable_eager_execution()
    try:
        x, z = tf.constant([1.0, 2.0]), tf.constant(3.0)
        with tf.GradientTape(persistent=True) as t:
            t.watch([x, z])
            y = tf.reduce_sum(x * x)
        gx, gz = t.gradient(y, [x, z])
        assert gz is None
        gx2, gz2 = t.gradient(y, [x, z], unconnected_gradients="zero")
        assert float(gz2) == 0.0 and gz2.dtype == z.dtype
        assert t.gradient(y, z, unconnected_gradients=tf.UnconnectedGradients.ZERO) == 0.0
        with pytest.raises(ValueError, match="unconnected_gradients"):
            t.gradient(y, z, unconnected_gradients="nan")
    finally:
        tf.disable_eager_execution()


# -- layers, losses, metrics (a fuzz of tf.layers / tf.losses / tf.metrics / Saver) -------
@pytest.mark.parametrize("make", ["cond", "while"])
def test_a_gradient_built_under_control_dependencies_does_not_leak_them(make):
    """The branch or loop-body gradient graph is built once and shared: built inside a
    control_dependencies block it made every later gradient run that block's ops (a
    batch norm's moving averages moved when a gradient was fetched after minimize()
    under UPDATE_OPS)."""
    x = tf.placeholder(tf.float32, [2])
    p = tf.placeholder(tf.bool, [])
    w, counter = tf.Variable(2.0), tf.Variable(0.0)
    if make == "cond":
        y = tf.cond(p, lambda: x * w, lambda: x * 3.0)
    else:
        y = tf.while_loop(lambda i, a: i < 3, lambda i, a: (i + 1, a * w), [0, x])[1]
    loss = tf.reduce_sum(y * y)
    with tf.control_dependencies([tf.assign_add(counter, 1.0)]):
        gw = tf.gradients(loss, w)[0]
    gx = tf.gradients(loss, x)[0]
    feeds = {x: [1.0, 2.0], p: True}
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        s.run(gx, feeds)
        assert s.run(counter) == 0.0
        s.run(gw, feeds)
        assert s.run(counter) == 1.0      # (gw itself waits for the assignment)


@pytest.mark.parametrize("shape,axis,want", [
    ((2, 2, 2, 2), 1, [228.50891, 413.85406]),       # TF 2.15's (unbiased: fused kernel)
    ((2, 2, 2, 2, 1), -1, [364.4152]),
    ((2, 2, 2, 2), 3, None),
])
def test_batch_norm_moves_the_variance_as_keras_fused_kernel(shape, axis, want):
    x = (np.arange(16, dtype=np.float32) ** 1.5).reshape(shape)
    with tf.Graph().as_default():
        y = tf.layers.batch_normalization(tf.constant(x), axis=axis, momentum=0.0,
                                          training=True)
        with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
            y = tf.identity(y)
        mv = [v for v in tf.global_variables() if "moving_variance" in v.name][0]
        with tf.Session() as s:
            s.run(tf.global_variables_initializer())
            s.run(y)
            got = s.run(mv)
    ax = axis % len(shape)
    red = tuple(i for i in range(len(shape)) if i != ax)
    n = np.prod([shape[i] for i in red])
    unbiased = x.astype(np.float64).var(axis=red) * n / (n - 1)
    np.testing.assert_allclose(got, unbiased, rtol=1e-5)
    if want is not None:
        np.testing.assert_allclose(got, want, rtol=1e-5)


def test_batch_norm_over_two_axes_has_keras_parameter_shapes():
    with tf.Graph().as_default():
        x = tf.constant(np.random.default_rng(0).standard_normal((2, 6, 6, 3)),
                        dtype=tf.float32)
        y = tf.layers.batch_normalization(x, axis=[1, 2], training=True)
        shapes = {v.name.split("/")[-1]: v.shape.as_list() for v in tf.global_variables()}
        assert shapes == {k: [1, 6, 6, 1] for k in ("gamma:0", "beta:0", "moving_mean:0",
                                                     "moving_variance:0")}
        with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
            y = tf.identity(y)
        with tf.Session() as s:
            s.run(tf.global_variables_initializer())
            assert s.run(y).shape == (2, 6, 6, 3)


def test_add_n_refuses_inputs_of_other_shapes():
    p, q = tf.placeholder(tf.float32, [None, None]), tf.placeholder(tf.float32, [None, None])
    s = tf.add_n([p, q])
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match="same size and shape"):
            sess.run(s, {p: [[1, 2]], q: [[1], [2]]})       # (it broadcast to 2 x 2)
        assert sess.run(s, {p: [[1, 2]], q: [[3, 4]]}).tolist() == [[4.0, 6.0]]
    with pytest.raises(ValueError, match="equal rank"):
        tf.add_n([tf.constant([1.0, 2.0]), tf.constant([[1.0, 2.0]])])
    with pytest.raises(ValueError, match="must be equal"):
        tf.add_n([tf.constant([1.0, 2.0]), tf.constant([1.0, 2.0, 3.0])])


def test_eager_switch_reaches_threads_that_took_gradients():
    """(A thread fuzz: a block that saved and restored the recording setting pinned the
    thread to it, so after enable_eager_execution() a pool thread that had taken a
    gradient kept recording outside GradientTape: the tape's gradient reached a value
    computed before the tape, 6.0 where TF gives None.)"""
    from concurrent.futures import ThreadPoolExecutor
    import ndgrad as nd
    pool = ThreadPoolExecutor(1)
    try:
        pool.submit(lambda: nd.grad(lambda q: q * q)(nd.asarray(1.0))).result()
        with nd.no_grad():
            pass
        tf.enable_eager_execution()
        try:
            def job():
                x = tf.Variable(2.0)
                y = x * 2.0                # outside the tape: not recorded, as TF's
                with tf.GradientTape() as tape:
                    loss = y * 3.0
                g = tape.gradient(loss, x)
                return None if g is None else float(g), nd.is_grad_enabled()
            assert job() == (None, False)
            assert pool.submit(job).result() == (None, False)
        finally:
            tf.disable_eager_execution()
        # back in graph mode the worker records again (it had been pinned off)
        y = pool.submit(lambda: nd.asarray([1.0], requires_grad=True) * 2.0).result()
        assert y.requires_grad
    finally:
        pool.shutdown()


def test_eager_while_loop_results_are_tensors_as_in_tensorflow():
    """(Left last session: eager while_loop returned Python numbers, so a float loop
    variable came back in float64. TF 2.15 runs the Python loop and converts the results:
    int32 10 and float32 1.8531168 here.)"""
    tf.enable_eager_execution()
    try:
        i, x = tf.while_loop(lambda i, x: i < 10, lambda i, x: (i + 1, x * 1.1 + 0.1),
                             [0, 0.1])
        assert (i.dtype, x.dtype) == (np.int32, np.float32)
        assert float(x) == float(np.float32(1.8531167061100013)) == 1.853116750717163
        y = tf.while_loop(lambda x: x < 100.0, lambda x: x * 1.7, [0.3])
        assert y.dtype == np.float32 and float(y) == 102.81568908691406
        v = tf.Variable(2.0)
        with tf.GradientTape() as tape:
            _, z = tf.while_loop(lambda k, z: k < 3, lambda k, z: (k + 1, z * v), [0, 1.0])
        assert float(z) == 8.0 and float(tape.gradient(z, v)) == 12.0
    finally:
        tf.disable_eager_execution()

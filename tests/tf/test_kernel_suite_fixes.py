"""Silent wrong results found by running TensorFlow's own kernel tests against ndgrad.tf
(compat/tf_kernel_tests/): each test compares with the NumPy reference that TF's test
uses (or TF's documented kernel), and failed before its fix."""
import numpy as np
import pytest

import ndgrad.tf as tf


def run(t, feed=None):
    with tf.Session() as s:
        return s.run(t, feed)


# -- tf.nn.leaky_relu: alpha > 1 or negative (relu_op_test LeakyReluTest) -----------------

@pytest.mark.parametrize("alpha", [0.1, 0.2, 10.0, -10.0, 1.0])
def test_leaky_relu_any_alpha(alpha):
    x = np.array([[-0.9, 0.7, -0.5, 0.3, -0.01], [0.1, -0.3, 0.5, -2.7, 0.9]])
    want = np.where(x > 0, x, alpha * x)  # TF's LeakyRelu kernel
    np.testing.assert_allclose(run(tf.nn.leaky_relu(x, alpha=alpha)), want)
    # before: max(alpha * x, x), which is |x|-like for alpha > 1 and wrong for alpha < 0


def test_leaky_relu_gradient_and_int_input():
    x = tf.constant([-1.0, 0.0, 2.0])
    g, = tf.gradients(tf.nn.leaky_relu(x, alpha=3.0), [x])
    np.testing.assert_allclose(run(g), [3.0, 3.0, 1.0])  # TF: alpha where x <= 0
    y = tf.nn.leaky_relu(np.array([-3, 2]), alpha=0.5)  # TF casts ints to float32
    assert y.dtype == tf.float32
    np.testing.assert_allclose(run(y), [-1.5, 2.0])


def test_leaky_relu_eager():
    tf.enable_eager_execution()
    np.testing.assert_allclose(np.asarray(tf.nn.leaky_relu(np.array([-2.0, 3.0]), alpha=4.0)),
                               [-8.0, 3.0])


# -- tf.diag / tf.diag_part of rank > 1 (diag_op_test DiagTest, DiagPartOpTest) -------------

def _np_diag(x):
    out = np.zeros(x.shape + x.shape, x.dtype)
    for idx in np.ndindex(*x.shape):
        out[idx + idx] = x[idx]
    return out


@pytest.mark.parametrize("shape", [(3,), (2, 2), (2, 3), (2, 1, 2), (1, 2, 2, 1)])
def test_diag_any_rank(shape):
    x = np.arange(1, 1 + int(np.prod(shape)), dtype=np.float32).reshape(shape)
    want = _np_diag(x)
    got = run(tf.diag(x))
    assert got.shape == want.shape  # before: (2, 2, 2) for (2, 2) and errors elsewhere
    np.testing.assert_array_equal(got, want)
    np.testing.assert_array_equal(run(tf.diag_part(want)), x)


def test_diag_part_rank4_and_errors():
    x = np.random.RandomState(0).rand(2, 3, 2, 3)
    want = np.array([[x[i, j, i, j] for j in range(3)] for i in range(2)])
    np.testing.assert_allclose(run(tf.diag_part(x)), want)  # before: shape (2, 3, 2)
    with pytest.raises(ValueError, match="even"):
        tf.diag_part(np.zeros((2, 2, 2)))
    with pytest.raises(ValueError, match="s \\+ s"):
        tf.diag_part(np.zeros((2, 3)))  # before: the 2-element diagonal of a 2x3 matrix
    with pytest.raises(ValueError, match="rank >= 1"):
        tf.diag(1.0)


def test_diag_gradient():
    x = tf.constant(np.arange(6.0).reshape(2, 3))
    w = np.random.RandomState(1).rand(2, 3, 2, 3)
    g, = tf.gradients(tf.reduce_sum(tf.diag(x) * w), [x])
    np.testing.assert_allclose(run(g), np.array([[w[i, j, i, j] for j in range(3)]
                                                 for i in range(2)]))


# -- tf.nn.bias_add's data_format (bias_op_test BiasAddTest NCHW cases) -------------------

def test_bias_add_channels_first():
    x = np.random.RandomState(2).rand(2, 3, 4, 4).astype(np.float32)  # NCHW
    b = np.array([1.0, 2.0, 3.0], np.float32)
    want = x + b.reshape(1, 3, 1, 1)
    np.testing.assert_allclose(run(tf.nn.bias_add(x, b, data_format="NCHW")), want,
                               rtol=1e-6)
    # the silent case: C == W, so the channels-last broadcast also "worked" before
    x2 = np.random.RandomState(3).rand(2, 3, 3).astype(np.float32)
    np.testing.assert_allclose(run(tf.nn.bias_add(x2, b, data_format="NCHW")),
                               x2 + b.reshape(1, 3, 1), rtol=1e-6)
    np.testing.assert_allclose(run(tf.nn.bias_add(x2, b, data_format="NHWC")), x2 + b,
                               rtol=1e-6)


def test_bias_add_gradient_channels_first():
    x = tf.constant(np.ones((2, 3, 2), np.float64))
    b = tf.constant(np.zeros(3))
    gb, = tf.gradients(tf.reduce_sum(tf.nn.bias_add(x, b, data_format="NC...") *
                                     np.arange(12.0).reshape(2, 3, 2)), [b])
    np.testing.assert_allclose(run(gb), np.arange(12.0).reshape(2, 3, 2).sum(axis=(0, 2)))


def test_bias_add_shape_errors():
    with pytest.raises(ValueError, match="1-D"):
        tf.nn.bias_add(np.zeros((2, 3)), np.zeros((1, 3)))
    with pytest.raises(ValueError, match="at least 2-D"):
        tf.nn.bias_add(np.zeros(3), np.zeros(3))
    with pytest.raises(ValueError, match="channel dimension"):
        tf.nn.bias_add(np.zeros((2, 3)), np.zeros(1))  # before: broadcast silently
    with pytest.raises(ValueError, match="data_format"):
        tf.nn.bias_add(np.zeros((2, 3)), np.zeros(3), data_format="HWC")


# -- integer division by zero (zero_division_test): TF's CPU kernels raise ---------------

@pytest.mark.parametrize("dtype", [tf.uint8, tf.int16, tf.int32, tf.int64])
def test_integer_division_by_zero_raises(dtype):
    zero = tf.constant(0, dtype=dtype)
    one = tf.constant(1, dtype=dtype)
    for bad in (one // zero, one % zero, tf.floordiv(one, zero), tf.floormod(one, zero),
                tf.mod(one, zero), tf.div(one, zero), 1 // zero):
        with tf.Session() as s, pytest.raises(tf.errors.InvalidArgumentError,
                                              match="Integer division by zero"):
            s.run(bad)  # before: 0
    seven, two = tf.constant(-7, dtype=tf.int32), tf.constant(2, dtype=tf.int32)
    assert run([seven // two, seven % two]) == [-4, 1]  # floor semantics kept
    assert (seven // two).op.type == "FloorDiv" and (seven % two).op.type == "FloorMod"


def test_float_division_by_zero_still_inf():
    assert run(tf.constant(7.0) // 0.0) == np.inf


# -- placeholder_with_default and tf.Print pass gradients (constant_op_test) --------------

def test_placeholder_with_default_gradient_and_any_shape():
    x = tf.placeholder(tf.float32, [5, 7])
    y = tf.placeholder_with_default(x, None)
    g, = tf.gradients(tf.reduce_sum(y * 2.0), [x])
    assert g is not None  # before: None (a zero gradient)
    xv = np.random.RandomState(0).rand(5, 7).astype(np.float32)
    np.testing.assert_allclose(run(g, {x: xv}), np.full((5, 7), 2.0))
    d = tf.placeholder_with_default([1], shape=None)
    np.testing.assert_array_equal(run(d, {d: [1, 2]}), [1, 2])  # before: feed refused
    np.testing.assert_array_equal(run(d), [1])
    with pytest.raises(ValueError, match="not compatible"):
        tf.placeholder_with_default([1, 2], shape=[3])


def test_print_gradient():
    x = tf.constant([1.0, 2.0])
    y = tf.Print(x, [x, tf.constant(3)], "x: ")
    g, = tf.gradients(y * 3.0, [x])
    np.testing.assert_allclose(run(g), [3.0, 3.0])  # before: None


# -- top_k: unsigned / extreme integers, ties, k too large (topk_op_test) -----------------

@pytest.mark.parametrize("dtype", [np.uint8, np.int8, np.int32, np.float32])
def test_top_k_integer_extremes(dtype):
    info = np.iinfo(dtype) if np.dtype(dtype).kind in "iu" else np.finfo(dtype)
    x = np.array([[0, 1, info.max, info.min, 1]], dtype=dtype)
    order = np.argsort(-x.astype(np.float64), axis=-1, kind="stable")[:, :3]
    vals, idx = run(tf.nn.top_k(x, 3))
    np.testing.assert_array_equal(idx, order)  # before: uint8 255 and int8 -128 misplaced
    np.testing.assert_array_equal(vals, np.take_along_axis(x, order, -1))


def test_top_k_ties_lower_index_first_and_k_too_large():
    _, idx = run(tf.nn.top_k([[3.0, 5.0, 3.0, 5.0]], 4))
    np.testing.assert_array_equal(idx, [[1, 3, 0, 2]])
    with pytest.raises(ValueError, match="last dimension >= k = 4"):
        tf.nn.top_k([[0.1, 0.2], [0.3, 0.4]], 4)  # before: 2 columns silently
    p = tf.placeholder(tf.float32, [None, None])
    with tf.Session() as s, pytest.raises(tf.errors.InvalidArgumentError, match="k = 3"):
        s.run(tf.nn.top_k(p, 3), {p: np.zeros((1, 2))})


# -- matrix_inverse(adjoint=True) (matrix_inverse_op_test) --------------------------------

@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.complex128])
def test_matrix_inverse_adjoint(dtype):
    rng = np.random.RandomState(4)
    y = rng.rand(3, 4, 4).astype(dtype) + 4 * np.eye(4, dtype=dtype)
    if np.dtype(dtype).kind == "c":
        y = y + 1j * rng.rand(3, 4, 4)
    want = np.linalg.inv(np.conj(np.swapaxes(y, -1, -2)))
    tol = 1e-5 if dtype == np.float32 else 1e-10
    np.testing.assert_allclose(run(tf.matrix_inverse(y, adjoint=True)), want, rtol=tol,
                               atol=tol)  # before: inv(y), adjoint ignored
    np.testing.assert_allclose(run(tf.matrix_inverse(y)), np.linalg.inv(y), rtol=tol,
                               atol=tol)


# -- clip_by_norm at zero, clip_by_global_norm of an infinite norm (clip_ops_test) --------

def test_clip_by_norm_gradient_at_zero():
    x = tf.constant([0.0, 0.0, 0.0])
    g, = tf.gradients(tf.clip_by_norm(x, 4.0), [x])
    np.testing.assert_allclose(run(g), [1.0, 1.0, 1.0])  # before: NaN
    y = tf.constant([3.0, 4.0])
    g2, = tf.gradients(tf.reduce_sum(tf.clip_by_norm(y, 1.0)), [y])
    yv = np.array([3.0, 4.0])  # d/dy sum(y / |y|) = 1/|y| - y * sum(y) / |y|^3
    np.testing.assert_allclose(run(g2), 1 / 5 - yv * yv.sum() / 125, rtol=1e-6)
    np.testing.assert_allclose(run(tf.clip_by_norm([[-3.0, 4.0]], 1.0, axes=[1])),
                               [[-0.6, 0.8]], rtol=1e-6)


def test_clip_by_norm_bad_shape():
    with pytest.raises(ValueError, match="shape"):
        tf.clip_by_norm(tf.zeros([2, 1]), tf.ones([1, 3]))  # before: a (2, 3) result


def test_clip_by_global_norm_infinite():
    out, norm = run(tf.clip_by_global_norm([tf.constant([[-3.0, 0.0, np.inf]]),
                                            tf.constant([1.0, 2.0])], 4.0))
    assert norm == np.inf
    assert np.isnan(out[0]).all() and np.isnan(out[1]).all()  # TF: all NaN; before: 0s
    out, norm = run(tf.clip_by_global_norm([tf.constant([3.0]), tf.constant([4.0])], 1.0))
    np.testing.assert_allclose(norm, 5.0)
    np.testing.assert_allclose(np.concatenate(out), [0.6, 0.8], rtol=1e-6)


# -- tf.range's dtype from tensor bounds (init_ops_test RangeTest.testDType) --------------

@pytest.mark.parametrize("a,b,want", [
    (tf.int32, tf.int64, tf.int64), (tf.int64, tf.float32, tf.float32),
    (tf.float32, tf.float64, tf.float64), (tf.float64, tf.int32, tf.float64),
    (tf.int32, tf.int32, tf.int32)])
def test_range_dtype_hierarchy(a, b, want):
    r = tf.range(tf.cast(0, a), tf.cast(3, b), 1)
    assert r.dtype == want  # before: float64 for (int64, float32)
    np.testing.assert_array_equal(run(r), [0, 1, 2])


# -- random_uniform stays below maxval in float16 (random_ops_test RandomUniformTest) -----

def test_random_uniform_half_below_maxval():
    x = run(tf.random_uniform([200000], minval=-2, maxval=8, dtype=tf.float16, seed=7))
    assert x.min() >= -2 and x.max() < 8
    u = run(tf.random_uniform([200000], dtype=tf.float16, seed=8))
    assert u.max() < 1  # before: float64 draws near 1 rounded up to 1.0


# -- squeeze(x, []) and out-of-range axes; expand_dims below -rank-1 (shape_ops_test) -----

def test_squeeze_empty_axis_list_squeezes_all():
    t = tf.squeeze(np.zeros([1, 1, 1]), [])
    assert t.get_shape().as_list() == []  # before: (1, 1, 1), nothing squeezed
    assert run(t).shape == ()
    assert run(tf.squeeze(np.zeros([2, 1, 3, 1]), [])).shape == (2, 3)


def test_squeeze_and_expand_dims_axis_out_of_range():
    with pytest.raises(ValueError, match="squeeze dim index 4"):
        tf.squeeze(np.zeros([2, 1, 2]), [4])  # before: axis 4 % 3 = 1 squeezed
    with pytest.raises(ValueError, match="out of range"):
        tf.expand_dims(np.zeros([2, 3, 5]), -5)  # before: shape (2, 3, 5, 1)
    assert tf.expand_dims(np.zeros([2, 3, 5]), -4).shape.as_list() == [1, 2, 3, 5]


# -- gather_nd with empty index tuples (gather_nd_op_test) --------------------------------

def test_gather_nd_empty_index_tuples_copy_params():
    params = np.arange(24.0, dtype=np.float32).reshape(6, 2, 2)
    p = tf.constant(params)
    g = tf.gather_nd(p, tf.constant([[], []], dtype=tf.int32))
    v = run(g)
    assert v.shape == (2, 6, 2, 2)  # before: (6, 2, 2) while the static shape said 4-D
    np.testing.assert_array_equal(v, np.stack([params, params]))
    grad, = tf.gradients(tf.reduce_sum(g * 3.0), [p])
    np.testing.assert_array_equal(run(grad), np.full((6, 2, 2), 6.0))


# -- sparse_softmax_cross_entropy_with_logits checks its labels (sparse_xent_op_test) -----

@pytest.mark.parametrize("bad", [3, 5, -1])
def test_sparse_xent_label_out_of_range_raises(bad):
    loss = tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=tf.constant([0, bad]), logits=np.zeros((2, 3), np.float32))
    with tf.Session() as s, pytest.raises(tf.errors.InvalidArgumentError,
                                          match="outside the valid range of \\[0, 3\\)"):
        s.run(loss)  # before: 0.0 for the bad row (one_hot of it is all zeros)


def test_sparse_xent_labels_shape_checked_at_run_time():
    labels = tf.placeholder(tf.int32)
    y = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=[[7.0]])
    with tf.Session() as s, pytest.raises(tf.errors.InvalidArgumentError,
                                          match="labels must be 1-D"):
        s.run(y, {labels: 0})  # before: [-0.]
    lab = tf.placeholder(tf.int32, shape=[None, 1])
    ce = tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=tf.squeeze(lab), logits=tf.placeholder_with_default(
            np.zeros((1, 3), np.float32), [None, 3]))
    with tf.Session() as s, pytest.raises(tf.errors.InvalidArgumentError,
                                          match="labels must be 1-D"):
        s.run(ce, {lab: np.zeros((1, 1), np.int32)})  # before: broadcast to [1.0986]


def test_sparse_xent_values_and_gradient_unchanged():
    x = np.random.RandomState(5).randn(3, 4).astype(np.float32)
    lab = np.array([3, 0, 2])
    logits = tf.constant(x)
    loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=lab, logits=logits)
    g, = tf.gradients(tf.reduce_sum(loss), [logits])
    p = np.exp(x - x.max(1, keepdims=True))
    p /= p.sum(1, keepdims=True)
    lv, gv = run([loss, g])
    np.testing.assert_allclose(lv, -np.log(p[np.arange(3), lab]), rtol=1e-5)
    np.testing.assert_allclose(gv, p - np.eye(4)[lab], rtol=1e-5, atol=1e-6)


# -- cast between numbers and strings, reduction axes of rank 2 (cast_op_test, ------------
# -- reduction_ops_test): TF refuses both ------------------------------------------------

def test_cast_number_to_string_is_unimplemented():
    with pytest.raises(tf.errors.UnimplementedError, match="Cast int64 to string"):
        tf.cast(np.arange(0, 10), tf.string)  # before: the ints, labelled tf.string
    with pytest.raises(tf.errors.UnimplementedError, match="Cast string to float"):
        tf.cast(tf.constant([b"1"]), tf.float32)
    assert run(tf.cast(tf.constant([b"a"]), tf.string))[0] == b"a"


def test_reduction_axis_of_rank_two_raises():
    with pytest.raises(ValueError, match="at most rank 1"):
        tf.reduce_sum(tf.placeholder(tf.float32), [[1], [2]])  # before: axes (1, 2)


def test_clip_by_value_bounds_must_not_broadcast_t():
    x = tf.constant([-5.0, 2.0, 3.0, 4.0, 5.0, 6.0], shape=[2, 3, 1])
    clip = tf.constant([1.0, 2.0])
    with pytest.raises(ValueError, match="shape of t"):
        tf.clip_by_value(x, -clip, clip)  # before: a (2, 3, 2) result
    with pytest.raises(ValueError, match="shape of t"):
        tf.clip_by_value(x, 1.0, clip)
    np.testing.assert_array_equal(run(tf.clip_by_value(x, 1.0, [[[4.0]], [[5.0]]])).ravel(),
                                  [1.0, 2.0, 3.0, 4.0, 5.0, 5.0])


# -- tf.losses: weights is the third positional argument (losses_test) --------------------

def _np_softmax_xent(y, x):
    x = x - x.max(-1, keepdims=True)
    return -(y * (x - np.log(np.exp(x).sum(-1, keepdims=True)))).sum(-1)


LOGITS = np.array([[10.0, 0.0, 0.0], [0.0, 10.0, 0.0], [0.0, 0.0, 10.0]], np.float32)
ONEHOT = np.array([[0, 0, 1], [1, 0, 0], [0, 1, 0]], np.float32)


def test_losses_positional_weights():
    base = _np_softmax_xent(ONEHOT, LOGITS).mean()
    got = run(tf.losses.softmax_cross_entropy(ONEHOT, LOGITS, 2.3))
    np.testing.assert_allclose(got, 2.3 * base, rtol=1e-5)  # before: base (weights lost)
    got = run(tf.losses.sigmoid_cross_entropy(ONEHOT, LOGITS, 2.0))
    x, z = LOGITS, ONEHOT
    sig = np.maximum(x, 0) - x * z + np.log1p(np.exp(-np.abs(x)))
    np.testing.assert_allclose(got, 2.0 * sig.mean(), rtol=1e-5)
    lab = np.array([[1.0, 2.0], [3.0, 4.0]], np.float32)
    pred = np.array([[1.5, 0.0], [3.0, 9.0]], np.float32)
    err = np.abs(pred - lab)
    huber = np.where(err <= 1.0, 0.5 * err ** 2, err - 0.5)
    np.testing.assert_allclose(run(tf.losses.huber_loss(lab, pred, 3.0)), 3.0 * huber.mean(),
                               rtol=1e-6)  # before: 3.0 taken as delta
    p = np.array([0.2, 0.9], np.float32)
    y = np.array([0.0, 1.0], np.float32)
    ll = -y * np.log(p + 1e-7) - (1 - y) * np.log(1 - p + 1e-7)
    np.testing.assert_allclose(run(tf.losses.log_loss(y, p, 0.5)), 0.5 * ll.mean(),
                               rtol=1e-6)  # before: 0.5 taken as epsilon
    np.testing.assert_allclose(run(tf.losses.mean_squared_error(lab, pred, 2.0)),
                               2.0 * ((pred - lab) ** 2).mean(), rtol=1e-6)
    np.testing.assert_allclose(run(tf.losses.absolute_difference(lab, pred, [[1.0], [0.0]])),
                               err[0].sum() / 2, rtol=1e-6)


def test_losses_label_smoothing():
    s = 0.3
    got = run(tf.losses.softmax_cross_entropy(ONEHOT, LOGITS, label_smoothing=s))
    smooth = ONEHOT * (1 - s) + s / 3
    np.testing.assert_allclose(got, _np_softmax_xent(smooth, LOGITS).mean(), rtol=1e-5)
    got = run(tf.losses.sigmoid_cross_entropy(ONEHOT, LOGITS, label_smoothing=s))
    z = ONEHOT * (1 - s) + 0.5 * s
    x = LOGITS
    want = (np.maximum(x, 0) - x * z + np.log1p(np.exp(-np.abs(x)))).mean()
    np.testing.assert_allclose(got, want, rtol=1e-5)  # before: smoothing ignored


def test_losses_sparse_column_labels_and_weights():
    labels = np.array([[2], [0], [1]], np.int32)
    weights = np.array([[1.2], [3.4], [5.6]], np.float32)
    got = run(tf.losses.sparse_softmax_cross_entropy(labels, LOGITS, weights))
    per = _np_softmax_xent(ONEHOT, LOGITS)
    np.testing.assert_allclose(got, (per * weights[:, 0]).sum() / 3, rtol=1e-5)
    wp = tf.placeholder(tf.float32)
    loss = tf.losses.sparse_softmax_cross_entropy(labels, LOGITS, wp)
    np.testing.assert_allclose(run(loss, {wp: weights}), got, rtol=1e-6)


def test_losses_weights_must_not_enlarge_losses():
    raw = np.arange(24.0, dtype=np.float32).reshape(3, 2, 4, 1)
    with pytest.raises(ValueError, match="weights can not be broadcast"):
        tf.losses.compute_weighted_loss(raw, weights=np.ones((3, 2, 4, 2)))
    with pytest.raises(ValueError, match="weights can not be broadcast"):
        tf.losses.softmax_cross_entropy(ONEHOT, LOGITS, np.ones((3, 3)))  # before: summed 9
    wp = tf.placeholder(tf.float32)
    loss = tf.losses.compute_weighted_loss(raw, weights=wp)
    with tf.Session() as s, pytest.raises(tf.errors.InvalidArgumentError,
                                          match="weights can not be broadcast"):
        s.run(loss, {wp: np.ones((3, 2, 4, 2))})  # before: a silently enlarged mean
    np.testing.assert_allclose(run(loss, {wp: np.ones((3, 1, 1, 1))}), raw.mean())


def test_losses_weights_gradient():
    w = tf.placeholder(tf.float32, shape=None)
    loss = tf.losses.compute_weighted_loss(np.array([1.0, 2.0, 3.0], np.float32), w,
                                           reduction=tf.losses.Reduction.SUM)
    g, = tf.gradients(loss, [w])
    np.testing.assert_allclose(run(g, {w: np.array([1.0, 1.0, 1.0])}), [1.0, 2.0, 3.0])


# -- variable_scope's regularizer and custom_getter (variable_scope_test) -----------------

def test_variable_scope_regularizer_applies():
    with tf.variable_scope("s", regularizer=lambda v: 2.0 * tf.reduce_sum(v)):
        v = tf.get_variable("v", [3], initializer=tf.ones_initializer())
        with tf.variable_scope("inner"):
            w = tf.get_variable("w", [2], initializer=tf.ones_initializer())
        u = tf.get_variable("u", [2], initializer=tf.ones_initializer(),
                            regularizer=lambda x: tf.reduce_sum(x))
    losses = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
    assert len(losses) == 3  # before: 1 (only the explicit regularizer)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        assert sorted(s.run(losses)) == [2.0, 4.0, 6.0]
    assert [v.name, w.name, u.name] == ["s/v:0", "s/inner/w:0", "s/u:0"]


def test_custom_getters_are_called_and_nest():
    calls = []

    def outer(getter, name, *args, **kwargs):
        calls.append(("outer", name))
        return getter(name, *args, **kwargs)

    def doubling(getter, name, *args, **kwargs):
        calls.append(("inner", name))
        a = getter(name + "_a", *args, **kwargs)
        b = getter(name + "_b", *args, **kwargs)
        return a + b

    with tf.variable_scope("o", custom_getter=outer):
        with tf.variable_scope("i", custom_getter=doubling):
            v = tf.get_variable("v", [2], initializer=tf.ones_initializer())
    names = sorted(x.name for x in tf.global_variables())
    assert names == ["o/i/v_a:0", "o/i/v_b:0"]  # before: one variable, getters ignored
    assert calls == [("inner", "o/i/v"), ("outer", "o/i/v_a"), ("outer", "o/i/v_b")]
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        np.testing.assert_array_equal(s.run(v), [2.0, 2.0])
    with pytest.raises(ValueError, match="not callable"):
        with tf.variable_scope("bad", custom_getter=3):
            pass


def test_dropped_options_raise():
    with pytest.raises(ValueError, match="partitioner"):
        tf.get_variable("p", [4], partitioner=lambda shape, dtype: [2])
    with pytest.raises(ValueError, match="constraint"):
        tf.get_variable("c", [4], constraint=lambda x: x)
    with pytest.raises(ValueError, match="constraint"):
        tf.Variable([1.0], constraint=lambda x: x)
    with pytest.raises(ValueError, match="activity_regularizer"):
        tf.layers.dense(tf.ones([2, 3]), 4, activity_regularizer=lambda x: x)


# -- boolean_mask's axis (array_ops_test BooleanMaskTest) ---------------------------------

@pytest.mark.parametrize("shape,k,axis", [((2, 5), 1, 1), ((2, 3, 4), 2, 1), ((3, 4, 2), 1, 2),
                                          ((3, 4), 2, 0), ((4, 3), 1, None)])
def test_boolean_mask_axis(shape, k, axis):
    rng = np.random.RandomState(6)
    arr = rng.rand(*shape)
    a = 0 if axis is None else axis
    mask = rng.randint(0, 2, size=shape[a:a + k]).astype(bool)
    want = arr[(slice(None),) * a + (mask,)]
    t = tf.constant(arr)
    out = tf.boolean_mask(t, mask, axis=axis)
    got = run(out)
    assert got.shape == want.shape  # before: axis ignored, masked along axis 0
    np.testing.assert_array_equal(got, want)
    g, = tf.gradients(tf.reduce_sum(out * 2.0), [t])
    gw = np.zeros(shape)
    gw[(slice(None),) * a + (mask,)] = 2.0
    np.testing.assert_array_equal(run(g), gw)


def test_boolean_mask_errors():
    with pytest.raises(ValueError, match="scalar"):
        tf.boolean_mask(1, True)
    with pytest.raises(ValueError, match="incompatible"):
        tf.boolean_mask([[1, 2], [3, 4]], [True, True, True])
    m = tf.placeholder(tf.bool)
    with tf.Session() as s, pytest.raises(tf.errors.InvalidArgumentError,
                                          match="incompatible"):
        s.run(tf.boolean_mask([[1, 2], [3, 4]], m, axis=1), {m: [True, False, True]})


# -- options that were accepted and dropped (found by scanning for unused parameters) -----

def test_transpose_conjugate():
    x = np.array([[1 + 2j, 3j], [1, 2 - 1j]])
    np.testing.assert_array_equal(run(tf.transpose(x, conjugate=True)), np.conj(x.T))
    np.testing.assert_array_equal(run(tf.transpose(x)), x.T)  # before: x.T for both
    r = np.arange(6.0).reshape(2, 3)
    np.testing.assert_array_equal(run(tf.transpose(r, conjugate=True)), r.T)


def test_eye_batch_shape():
    got = run(tf.eye(2, 3, batch_shape=[4, 1], dtype=tf.int32))
    assert got.shape == (4, 1, 2, 3)  # before: (2, 3)
    np.testing.assert_array_equal(got[3, 0], np.eye(2, 3))


def test_flatten_channels_first():
    x = np.arange(24.0).reshape(2, 3, 2, 2)  # NCHW
    got = run(tf.layers.flatten(x, data_format="channels_first"))
    np.testing.assert_array_equal(got, np.transpose(x, (0, 2, 3, 1)).reshape(2, -1))
    np.testing.assert_array_equal(run(tf.layers.flatten(x)), x.reshape(2, -1))


def test_batch_normalization_regularizers():
    tf.layers.batch_normalization(tf.ones([2, 3]), beta_regularizer=lambda v: tf.reduce_sum(v),
                                  gamma_regularizer=lambda v: 2.0 * tf.reduce_sum(v))
    losses = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
    assert len(losses) == 2  # before: none
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        assert sorted(s.run(losses)) == [0.0, 6.0]


# -- complex gradients follow TF's convention (batch_matmul_op_test's complex checks) -----

def test_complex_gradient_convention_graph():
    z = tf.constant(3 + 4j, dtype=tf.complex128)
    a = 1 + 2j
    g1, = tf.gradients(a * z, [z], grad_ys=tf.constant(1 + 0j, dtype=tf.complex128))
    g2, = tf.gradients(tf.abs(z) ** 2, [z])
    g3, = tf.gradients(a * z, [z], grad_ys=tf.constant(1j, dtype=tf.complex128))
    # TF 2.21: (1-2j), (6+8j) (= dL/dRe + i dL/dIm), 1j * conj(a); before: conjugates
    assert run([g1, g2, g3]) == [1 - 2j, 6 + 8j, 2 + 1j]
    x = tf.constant([[1 + 1j, 2j], [3, 4 - 1j]])
    y = tf.constant([[2 - 1j], [1j]])
    one = tf.constant(1 + 0j, dtype=tf.complex128)
    gx, gy = tf.gradients(tf.reduce_sum(tf.matmul(x, y)), [x, y], grad_ys=one)
    xv, yv = run([x, y])
    np.testing.assert_allclose(run(gx), np.conj(np.ones((2, 1)) @ yv.T))
    np.testing.assert_allclose(run(gy), np.conj(xv.T @ np.ones((2, 1))))


def test_complex_gradient_convention_tape():
    tf.enable_eager_execution()
    z = tf.constant(3 + 4j, dtype=tf.complex128)
    with tf.GradientTape(persistent=True) as t:
        t.watch(z)
        y = (1 + 2j) * z
        loss = tf.abs(z) ** 2
    assert complex(np.asarray(t.gradient(y, z))) == 1 - 2j
    assert complex(np.asarray(t.gradient(loss, z))) == 6 + 8j
    og = tf.constant(1j, dtype=tf.complex128)
    assert complex(np.asarray(t.gradient(y, z, output_gradients=og))) == 2 + 1j
    r = tf.constant(2.0, dtype=tf.float64)  # a real source: unchanged
    with tf.GradientTape() as t2:
        t2.watch(r)
        out = tf.abs(tf.cast(r, tf.complex128) * (1 + 1j)) ** 2
    assert float(np.asarray(t2.gradient(out, r))) == pytest.approx(8.0)


def test_complex_gradients_match_tensorflow(tf_python):
    import json
    import subprocess
    code = """
import json, tensorflow as tf
z = tf.constant([3 + 4j, -1 + 0.5j], dtype=tf.complex128)
with tf.GradientTape(persistent=True) as t:
    t.watch(z)
    outs = [tf.reduce_sum((1 + 2j) * z * z), tf.reduce_sum(tf.abs(z) ** 2),
            tf.reduce_sum(tf.exp(z))]
print(json.dumps([[[v.real, v.imag] for v in t.gradient(o, z).numpy()] for o in outs]))
"""
    res = subprocess.run([tf_python, "-c", code], capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr[-2000:]
    want = json.loads(res.stdout.strip().splitlines()[-1])
    z = tf.constant([3 + 4j, -1 + 0.5j], dtype=tf.complex128)
    outs = [tf.reduce_sum((1 + 2j) * z * z), tf.reduce_sum(tf.abs(z) ** 2),
            tf.reduce_sum(tf.exp(z))]
    got = run([tf.gradients(o, z)[0] for o in outs])
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, [complex(*p) for p in w], rtol=1e-12)


# -- matmul's adjoint_a / adjoint_b conjugate (matmul_op_test, batch_matmul_op_test) ------

@pytest.mark.parametrize("adj_a,adj_b", [(True, False), (False, True), (True, True)])
def test_matmul_adjoint_conjugates(adj_a, adj_b):
    rng = np.random.RandomState(9)
    a = rng.randn(2, 3, 3) + 1j * rng.randn(2, 3, 3)
    b = rng.randn(2, 3, 3) + 1j * rng.randn(2, 3, 3)
    h = lambda m: np.conj(np.swapaxes(m, -1, -2))  # noqa: E731
    want = (h(a) if adj_a else a) @ (h(b) if adj_b else b)
    got = run(tf.matmul(a, b, adjoint_a=adj_a, adjoint_b=adj_b))
    np.testing.assert_allclose(got, want, rtol=1e-12)  # before: transposed only
    with pytest.raises(ValueError, match="Only one of transpose_a and adjoint_a"):
        tf.matmul(a, b, transpose_a=True, adjoint_a=True)


# -- split's size_splits must fit (split_op_test testVariableShapeFunction) ---------------

def test_split_sizes_must_fit():
    with pytest.raises(ValueError, match="do not fit"):
        tf.split([0, 1], [3, -1], axis=0)  # before: [0, 1] and [] silently
    with pytest.raises(ValueError, match="do not fit"):
        tf.split([0, 1, 2], [1, 1], axis=0)
    with pytest.raises(ValueError, match="one -1"):
        tf.split([0, 1, 2], [-1, -1], axis=0)
    s0, s1 = tf.split([0, 1, 2], [2, -1], axis=0)
    assert [run(s0).tolist(), run(s1).tolist()] == [[0, 1], [2]]
    p = tf.placeholder(tf.int32, [None])
    a, b = tf.split(p, [3, -1], axis=0)
    with tf.Session() as s, pytest.raises(tf.errors.InvalidArgumentError, match="split"):
        s.run(a, {p: [0, 1]})  # before: [0, 1] and []


# -- tf.norm: matrix norms over two axes, p-norms, TF's argument checks (norm_op_test) ----

def test_norm_matrix_and_p_norms():
    rng = np.random.RandomState(10)
    m = rng.randn(3, 4, 5)
    for ordv in (1, np.inf, 2, "fro"):
        for ax in ((1, 2), (-1, -2), (0, 2)):
            want = np.linalg.norm(m, ord=ordv, axis=ax)
            got = run(tf.norm(m, ord=ordv, axis=list(ax)))
            np.testing.assert_allclose(got, want, rtol=1e-10)  # before: 1/inf/2 wrong
    np.testing.assert_allclose(run(tf.norm(m, ord=3, axis=1)), np.linalg.norm(m, 3, axis=1),
                               rtol=1e-10)  # before: ValueError
    np.testing.assert_allclose(run(tf.norm(m, ord=1, axis=1, keepdims=True)),
                               np.linalg.norm(m, 1, axis=1, keepdims=True), rtol=1e-12)
    c = m + 1j * rng.randn(3, 4, 5)
    np.testing.assert_allclose(run(tf.norm(c)), np.linalg.norm(c.ravel()), rtol=1e-12)
    # before: sqrt(sum(z * z)), complex and wrong


def test_norm_argument_checks():
    m = [[0.0, 1.0], [2.0, 3.0]]
    for bad in ([], [1, 2, 3], [[1]], [3.1415], [1, 1]):
        with pytest.raises(ValueError, match="'axis' must be None, an integer"):
            tf.norm(m, axis=bad)  # before: axis=[] returned m itself
    with pytest.raises(ValueError, match="supported matrix norm"):
        tf.norm(m, ord=3, axis=[0, 1])
    with pytest.raises(ValueError, match="supported vector norm"):
        tf.norm(m, ord="fro", axis=0)


def test_matrix_norms_and_squeeze_of_a_tensor_of_unknown_rank():
    """tf.norm over two axes of one sign, and squeeze by negative axes, of a placeholder
    without a shape (TF 2.0's norm_op_test feeds such placeholders) give NumPy's values;
    axes of both signs still need the rank (they might name one axis)."""
    x = tf.placeholder(tf.float64)
    v = np.random.RandomState(0).rand(3, 4, 5)
    with tf.Session() as s:
        for o in ("fro", 1, np.inf, 2):
            for ax in ([-2, -1], [-1, -2]):
                for kd in (False, True):
                    got = s.run(tf.norm(x, ord=o, axis=ax, keepdims=kd), {x: v})
                    want = np.linalg.norm(v, ord=o, axis=tuple(ax), keepdims=kd)
                    assert got.shape == want.shape
                    np.testing.assert_allclose(got, want, rtol=1e-12)
        np.testing.assert_allclose(s.run(tf.norm(x, ord=1, axis=[0, 2]), {x: v}),
                                   np.linalg.norm(v, 1, axis=(0, 2)), rtol=1e-12)
        assert s.run(tf.squeeze(x, [-1]), {x: np.ones((2, 1))}).shape == (2,)
        with pytest.raises(tf.errors.InvalidArgumentError):
            s.run(tf.squeeze(x, [-1]), {x: np.ones((2, 3))})
    with pytest.raises(ValueError, match="needs the rank"):
        tf.norm(x, ord=1, axis=[0, -1])


def test_orthogonal_initializer_gives_orthonormal_rows_or_columns():
    """TF's Orthogonal initializer (its random numbers are ndgrad's, its properties TF's):
    the flattened (rows, cols) matrix has orthonormal columns (rows >= cols) or rows, times
    gain; a seed repeats it; fewer than 2 dims and integer dtypes are refused."""
    for shape in ([6, 3], [2, 5], [2, 3, 4]):
        init = tf.orthogonal_initializer(gain=2.0, seed=3)
        with tf.Session() as s:
            a, b = s.run([init(shape, tf.float64), init(shape, tf.float64)])
        q = a.reshape(-1, shape[-1])
        if q.shape[0] >= q.shape[1]:
            np.testing.assert_allclose(q.T @ q, 4 * np.eye(q.shape[1]), atol=1e-12)
        else:
            np.testing.assert_allclose(q @ q.T, 4 * np.eye(q.shape[0]), atol=1e-12)
        np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match="two-dimensional"):
        tf.orthogonal_initializer()([3])
    with pytest.raises(ValueError, match="floating point"):
        tf.orthogonal_initializer()([3, 3], tf.int32)
    v = tf.get_variable("orth_w", [4, 4], initializer=tf.initializers.orthogonal())
    with tf.Session() as s:
        s.run(v.initializer)
        w = s.run(v)
    np.testing.assert_allclose(w @ w.T, np.eye(4), atol=1e-5)


def test_matrix_diagonal_ops_refuse_misfit_shapes():
    with pytest.raises(ValueError, match="must have shape"):
        tf.matrix_set_diag(np.ones((2, 3, 4)), np.ones((2, 4)))
    with pytest.raises(ValueError, match="at least 2-D"):
        tf.matrix_diag_part(np.ones(3))
    with pytest.raises(ValueError, match="rank >= 2"):
        tf.matrix_transpose(np.ones(3))
    x = tf.placeholder(tf.float32)
    with tf.Session() as s:
        with pytest.raises(tf.errors.InvalidArgumentError, match="must have shape"):
            s.run(tf.matrix_set_diag(x, [1.0, 2.0]), {x: np.ones((3, 3), np.float32)})
        with pytest.raises(tf.errors.InvalidArgumentError, match="same rank"):
            s.run(tf.searchsorted(x, [[1.0]]), {x: np.ones(3, np.float32)})


def test_scatter_nd_on_variables_as_tensorflow():
    """tf.scatter_nd_update / add / sub write a variable at index tuples (TF 2.21's values:
    repeats add up; updates of another shape, or an index out of range, are errors)."""
    v = tf.Variable(np.arange(12.0).reshape(4, 3))
    ops = [tf.scatter_nd_update(v, [[1], [3]], [[9.0, 9, 9], [8, 8, 8]]),
           tf.scatter_nd_add(v, [[0, 1], [0, 1], [2, 2]], [1.0, 2, 3]),
           tf.scatter_nd_sub(v, [[3]], [[1.0, 1, 1]])]
    with tf.Session() as s:
        s.run(v.initializer)
        got = [s.run(o).tolist() for o in ops]
    assert got[-1] == [[0, 4, 2], [9, 9, 9], [6, 7, 11], [7, 7, 7]]
    assert got[0] == [[0, 1, 2], [9, 9, 9], [6, 7, 8], [8, 8, 8]]
    with pytest.raises(ValueError, match="Shapes must be equal"):
        tf.scatter_nd_update(v, [[1]], [1.0, 2])
    bad = tf.scatter_nd_add(v, [[7]], [[1.0, 1, 1]])
    with tf.Session() as s:
        s.run(v.initializer)
        with pytest.raises(tf.errors.InvalidArgumentError, match="out of range"):
            s.run(bad)
        assert s.run(v).tolist() == np.arange(12.0).reshape(4, 3).tolist()


# -- tf.map_fn over a first dimension known only in the run (map_fn_test, 2026-12-06) -------

def test_map_fn_of_unknown_rank_has_unknown_static_shape():
    # map_fn_test testMapUnknownShape: TF's result shape is unknown. The loop's shape
    # invariant for an unknown shape was a list of None, which while_loop read as the
    # shape (?,): a static rank 1 for a rank-2 result
    x = tf.placeholder(tf.float32)
    y = tf.map_fn(lambda e: e, x)
    assert y.get_shape().dims is None
    v = np.arange(6.0, dtype=np.float32).reshape(3, 2)
    np.testing.assert_array_equal(run(y, {x: v}), v)
    np.testing.assert_array_equal(run(tf.reduce_sum(y, axis=-1), {x: v}), v.sum(-1))


def test_map_fn_over_elems_empty_in_the_run():
    # TF 2.15 gives 0 rows of the element shape, values and gradient (before: gather's
    # "indices[0] = 0 is not in [0, 0)" from the first slice taken outside the loop)
    x = tf.placeholder(tf.float32, (None, 2))
    y = tf.map_fn(lambda e: e * e, x)
    g, = tf.gradients(tf.reduce_sum(y), [x])
    with tf.Session() as s:
        yv, gv = s.run([y, g], {x: np.zeros((0, 2), np.float32)})
        assert yv.shape == (0, 2) and gv.shape == (0, 2)
        v = np.arange(6, dtype=np.float32).reshape(3, 2)
        yv, gv = s.run([y, g], {x: v})
    np.testing.assert_array_equal(yv, v * v)
    np.testing.assert_array_equal(gv, 2 * v)
    t = (tf.placeholder(tf.float32, (None,)), tf.placeholder(tf.int32, (None, 3)))
    y3 = tf.map_fn(lambda p: (p[0] * 2, tf.reduce_sum(p[1])), t,
                   dtype=(tf.float32, tf.int32))
    assert [v.get_shape().as_list() for v in y3] == [[None], [None]]
    out = run(y3, {t[0]: np.zeros((0,), np.float32), t[1]: np.zeros((0, 3), np.int32)})
    assert [(o.shape, o.dtype) for o in out] == [((0,), np.float32), ((0,), np.int32)]


# -- tf.scan / foldl: static shapes and empty elems (functional_ops_test, 2026-12-06) -----

def test_scan_static_first_dimension_and_empty_elems():
    # TF 2.15 printed these shapes and values for the same program
    x = tf.constant([[1, 2, 3], [4, 5, 6]])
    y = tf.scan(lambda _, c: c, x, initializer=tf.constant([0, 0, 0]))
    y2 = tf.scan(lambda a, c: a + c, x)
    y3 = tf.scan(lambda a, c: a + c, x, reverse=True)
    e = tf.scan(lambda a, _: a, tf.range(0), initializer=tf.ones([2, 4]))
    f = tf.foldl(lambda a, c: a + c, tf.range(0), initializer=tf.constant(5))
    assert [t.get_shape().as_list() for t in (y, y2, y3, e, f)] == [
        [2, 3], [2, 3], [2, 3], [0, 2, 4], []]    # before: [None, 3] ...
    out = run([y, y2, y3, e, f])
    assert [o.tolist() for o in out] == [
        [[1, 2, 3], [4, 5, 6]], [[1, 2, 3], [5, 7, 9]], [[5, 7, 9], [4, 5, 6]], [], 5]
    assert out[3].shape == (0, 2, 4) and out[3].dtype == np.float32
    # (before: the empty range raised "GatherV2 ... indices[0] = 0 is not in [0, 0)"
    # when the graph was built)
    with pytest.raises(ValueError, match="elems is empty and there is no initializer"):
        tf.scan(lambda a, c: a + c, tf.range(0))


# -- tf.diag and tf.tile with sizes known only in the run (linalg_grad_test, 2026-12-06) --

def test_diag_and_tile_of_run_time_sizes():
    # linalg_grad_test ShapeTest.testBatchGradientUnknownSize; TF 2.15 printed the same
    # shapes and values (before: tf.diag refused a (?,) diagonal, tf.tile a tensor
    # in multiples, both with errors where TF runs)
    batch_size, matrix_size = tf.constant(3), tf.constant(4)
    bi = tf.tile(tf.expand_dims(tf.diag(tf.ones([matrix_size])), 0), [batch_size, 1, 1])
    assert bi.get_shape().as_list()[0] == 3       # (a constant multiple folds, as TF)
    sg = tf.gradients(tf.reduce_sum(tf.matrix_determinant(bi)), bi)[0]
    biv, sgv = run([bi, sg])
    np.testing.assert_allclose(biv, np.tile(np.eye(4, dtype=np.float32), (3, 1, 1)))
    np.testing.assert_allclose(sgv, biv)
    x = tf.placeholder(tf.float64, (2, 3))
    m = tf.placeholder(tf.int32, (2,))
    t = tf.tile(x, m)
    g, = tf.gradients(tf.reduce_sum(t * t), [x])
    xv = np.arange(6.0).reshape(2, 3)
    tv, gv = run([t, g], {x: xv, m: [2, 3]})
    np.testing.assert_array_equal(tv, np.tile(xv, (2, 3)))
    np.testing.assert_array_equal(gv, 2 * 6 * xv)          # each element appears 6 times
    y = tf.placeholder(tf.float64, (2, None))
    d = tf.diag(y)
    assert d.get_shape().as_list() == [2, None, 2, None]
    dv = run(d, {y: xv})
    assert dv.shape == (2, 3, 2, 3)
    np.testing.assert_array_equal(np.einsum("ijij->ij", dv), xv)
    assert dv.sum() == xv.sum()
    with pytest.raises(TypeError, match="multiples"):
        tf.tile(x, tf.constant([1.0, 2.0]) * tf.placeholder(tf.float32, ()))
    for bad in (tf.constant([2.5, 1.0]), [2.5, 1]):     # (not truncated to 2, as TF)
        with pytest.raises(TypeError, match="multiples"):
            tf.tile(x, bad)


# -- tf.decode_csv with one column (decode_csv_op_test, 2026-12-06) -------------------------

def test_decode_csv_of_one_column_has_its_static_shape():
    # TF 2.15: [array([1, 2, 3], dtype=int32)]. Before: the one column's value was the
    # 1-tuple of its array, fetched as shape (1, 3) under a static shape (3,), so that
    # x + [10, 20, 30] gave a (1, 3) sum -- a silent wrong shape
    col, = tf.decode_csv(["1", "2", '"3"'], record_defaults=[[1]])
    assert col.get_shape().as_list() == [3]
    v, s = run([col, col + tf.constant([10, 20, 30])])
    assert v.shape == (3,) and v.tolist() == [1, 2, 3]
    assert s.shape == (3,) and s.tolist() == [11, 22, 33]
    x, = tf.decode_csv(tf.constant([["1.5"], ["2"]]), record_defaults=[[0.0]])
    assert run(x).shape == (2, 1)


def test_session_state_ops_are_checked_against_their_static_specs_in_tests():
    # tests/conftest.py turns the check on: a session-state op whose function returns a
    # value that its static shape does not describe fails in the run, naming the op
    from ndgrad.graph import errors
    g = tf.get_default_graph()
    c = tf.constant([1.0, 2.0])
    bad = g.special_op("Bad", "bad", (c,), lambda ctx, v: (v,), [((2,), np.dtype("float32"))])
    wrong = g.special_op("Wrong", "wrong", (c,), lambda ctx, v: v[:1],
                         [((2,), np.dtype("float32"))])
    with tf.Session() as s:
        with pytest.raises(errors.InvalidArgumentError, match="'bad'.*returned a tuple"):
            s.run(bad.outputs[0])
        with pytest.raises(errors.InvalidArgumentError, match=r"static shape \(2,\).*\(1,\)"):
            s.run(wrong.outputs[0])


# -- tf.decode_csv splits and parses as TF's kernel (decode_csv_op_test, 2026-12-06) -------

def _decode_csv_rows():
    import json
    import os
    here = os.path.dirname(__file__)
    with open(os.path.join(here, "data", "decode_csv_tf2_15.json")) as f:
        return json.load(f)["rows"]


@pytest.mark.parametrize("quote", [True, False])
def test_decode_csv_gives_tensorflows_values_and_refusals(quote):
    # 228 records x 2 quote settings, each TF 2.15's values or its InvalidArgumentError.
    # Before, Python's csv module split the records and int()/float() parsed the numbers:
    # 'a"b,c', a CR/LF inside an unquoted field and a trailing newline were accepted,
    # '+5', '1_000', Arabic-Indic digits and 'Infinity' parsed, ' ' as a float raised,
    # a leading newline raised, and an empty record took the default (TF: 0 fields)
    from ndgrad.graph import errors
    defaults = {"int32": [0], "int64": [tf.constant(9, tf.int64)], "float32": [-1.0],
                "float64": [tf.constant(-2.0, tf.float64)], "string": ["D"]}
    rows = [r for r in _decode_csv_rows() if r[2] == quote]
    assert len(rows) == 228
    for recs, types, _, want in rows:
        tf.reset_default_graph()
        cols = tf.decode_csv(recs, record_defaults=[defaults[t] for t in types],
                             use_quote_delim=quote)
        with tf.Session() as s:
            if want == "error":
                with pytest.raises(errors.InvalidArgumentError):
                    s.run(cols)
                continue
            vals = s.run(cols)
        got = [[x.decode("latin1") if isinstance(x, bytes) else
                repr(float(x)) if t.startswith("float") else int(x)
                for x in np.asarray(v).reshape(-1)] for v, t in zip(vals, types)]
        assert got == want, (recs, types, quote)


def test_decode_csv_argument_errors():
    with pytest.raises(ValueError, match="at most rank 1 but is rank 2"):
        tf.decode_csv(["1"], record_defaults=[[[0]]])
    with pytest.raises(ValueError, match="select_cols contains negative values"):
        tf.decode_csv(["1,2,3"], record_defaults=[[0], [1]], select_cols=[-1, 0])
    a, b = tf.decode_csv(["1,2,3", "4,,6"], record_defaults=[[0], [7]], select_cols=[0, 1])
    assert [v.tolist() for v in run([a, b])] == [[1, 4], [2, 7]]


def test_string_to_number_gives_tensorflows_values_and_refusals():
    # 27 strings x 4 dtypes, TF 2.15's values or error (tests/tf/data): before, int() and
    # float() read '+5', '1_000', '٣' and 'Infinity' and refused '0x10' and ' '
    import json
    import os
    with open(os.path.join(os.path.dirname(__file__), "data",
                           "string_to_number_tf2_15.json")) as f:
        rows = json.load(f)
    assert len(rows) == 108
    from ndgrad.graph import errors
    for t, v, want in rows:
        tf.reset_default_graph()
        y = tf.string_to_number([v], out_type=getattr(tf, t))
        with tf.Session() as s:
            if want == "error":
                with pytest.raises(errors.InvalidArgumentError):
                    s.run(y)
            else:
                assert repr(s.run(y).tolist()) == want, (t, v)


# -- tf.angle and tf.complex (self_adjoint_eig_op_test's complex gradients, 2026-12-06) ----

def test_angle_and_complex_give_tensorflows_values_and_gradients():
    # TF 2.15 printed these values and gradients for the same program
    z = tf.constant([1 + 1j, -2 + 0j, -1 - 1e-30j, 0j, 3 - 4j], tf.complex128)
    r = tf.constant([-1.5, 0.0, 2.0, -0.0], tf.float32)
    g, = tf.gradients(tf.reduce_sum(tf.angle(z[:1]) * 3.0 + tf.angle(z[4:])), [z])
    re = tf.constant([1.0, -0.0, np.inf], tf.float64)
    im = tf.constant([np.inf, 2.0, -0.0], tf.float64)
    a, b = tf.constant([[1.0], [2.0]]), tf.constant([3.0, 4.0])
    w = tf.constant([1 - 2j, 3 + 1j], tf.complex64)
    ga, gb = tf.gradients(tf.reduce_sum(tf.abs(tf.complex(a, b) * w) ** 2), [a, b])
    av, rv, gv, cv, gav, gbv = run([tf.angle(z), tf.angle(r), g, tf.complex(re, im), ga, gb])
    np.testing.assert_allclose(av, [0.78539816, 3.14159265, -3.14159265, 0.0, -0.92729522])
    assert rv.dtype == np.float32 and rv.tolist() == [np.float32(np.pi), 0.0, 0.0, 0.0]
    np.testing.assert_allclose(gv, [-1.5 + 1.5j, 0, 0, 0, 0.16 + 0.12j])
    assert cv.dtype == np.complex128
    np.testing.assert_array_equal(cv.view(np.float64),
                                  [1.0, np.inf, -0.0, 2.0, np.inf, -0.0])  # parts as given
    assert np.signbit(cv.view(np.float64)[[2, 5]]).all()
    np.testing.assert_allclose(gav, [[30.0], [60.0]])
    np.testing.assert_allclose(gbv, [60.0, 160.0])
    with pytest.raises(TypeError):
        tf.complex(tf.constant([1.0]), tf.constant([1.0], tf.float64))


# -- tf.map_fn shares fn's variables across elements (map_fn_test testMap_Scoped) ---------

def test_map_fn_elements_share_fns_variables():
    # TF 2.15 printed the same names and values. Before: the unrolled calls each built
    # their own tf.layers.dense (dense, dense_1, ...: every element its own freshly
    # initialised weights, a silent wrong result), and get_variable in a named scope
    # raised "already exists" on the second element
    x = tf.constant(np.arange(8, dtype=np.float32).reshape(4, 2))
    y = tf.map_fn(lambda e: tf.layers.dense(
        e[None], 3, kernel_initializer=tf.ones_initializer())[0], x)

    def double_scoped(v):
        with tf.variable_scope("body"):
            two = tf.get_variable("two", [], dtype=tf.int32,
                                  initializer=tf.constant_initializer(2))
            return tf.multiply(v, two)
    with tf.variable_scope("root") as vs:
        r = tf.map_fn(double_scoped, tf.constant([1, 2, 3]))
        vs.reuse_variables()
        r2 = tf.map_fn(double_scoped, tf.constant([1, 2, 3]))
    p = tf.placeholder(tf.float32, (None, 2))
    yp = tf.map_fn(lambda e: tf.layers.dense(e[None], 3, name="d2")[0], p)
    assert [v.name for v in tf.trainable_variables()] == [
        "dense/kernel:0", "dense/bias:0", "root/body/two:0", "d2/kernel:0", "d2/bias:0"]
    g, = tf.gradients(tf.reduce_sum(y), tf.trainable_variables()[0])
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        yv, rv, r2v, gv = s.run([y, r, r2, g])
        assert s.run(yp, {p: np.ones((3, 2))}).shape == (3, 3)
    np.testing.assert_array_equal(yv, np.repeat([[1.0], [5.0], [9.0], [13.0]], 3, axis=1))
    assert rv.tolist() == r2v.tolist() == [2, 4, 6]
    np.testing.assert_array_equal(gv, [[12.0] * 3, [16.0] * 3])    # summed over elements
    with pytest.raises(ValueError, match="creates a variable on each call"):
        tf.map_fn(lambda e: e * tf.Variable(2.0), tf.constant([1.0, 2.0]))


# -- tf.losses: TF's float32 casts and div_no_nan means (losses_test, 2026-12-06) ----------
# (five of losses_test.py's classes were never collected: the shim's run_deprecated_v1
# turned a decorated TestCase into a function; their tests found these)

def test_losses_reduce_as_tensorflow():
    # TF 2.15 printed the same values and dtypes. Before: MEAN over all-zero weights and
    # SUM_OVER_BATCH_SIZE over an empty batch were nan (TF's div_no_nan gives 0); float64
    # losses were reduced in float64 (TF casts to float32 and back: 2.013000011444092,
    # not 2.0130000570416446); integer inputs raised
    R = tf.losses.Reduction
    x, y = tf.constant([1.0, 2.0]), tf.constant([0.0, 0.0])
    l64 = tf.constant([0.1, 0.7], tf.float64)
    vals = run([tf.losses.absolute_difference(y, x, weights=[0.0, 0.0], reduction=R.MEAN),
                tf.losses.absolute_difference(y[:0], x[:0],
                                              reduction=R.SUM_OVER_BATCH_SIZE),
                tf.losses.compute_weighted_loss(l64 * 3.3, [0.3, 1.7]),
                tf.losses.sigmoid_cross_entropy(tf.constant([[1.0, 0.0]], tf.float64),
                                                tf.constant([[0.3, -1.1]], tf.float64)),
                tf.losses.mean_squared_error(tf.constant([[1, 9], [2, -5]]),
                                             tf.constant([[4, 8], [12, 8]])),
                tf.losses.huber_loss(tf.constant([0.15, 0.0], tf.float64),
                                     tf.constant([0.1, 0.2], tf.float64))])
    assert vals[0] == 0.0 and vals[1] == 0.0
    assert vals[2].dtype == np.float64 and vals[2] == 2.013000011444092
    assert vals[3].dtype == np.float64 and vals[3] == 0.42084529995918274
    assert vals[4].dtype == np.float32 and vals[4] == 69.75
    assert vals[5].dtype == np.float32


def test_cosine_distance_and_mean_pairwise_squared_error():
    # TF 2.15's values for the same calls
    lab = tf.constant(np.array([[[1., 2], [3, 4]], [[0.5, 1], [2, 0]]]))
    pred = tf.constant(np.array([[[1.5, 2], [3, 5]], [[0., 1], [2, 1]]]))
    out = run([
        tf.losses.cosine_distance([[0.0, 1.0], [1.0, 0.0]], [[0.6, 0.8], [1.0, 0.0]],
                                  axis=1),
        tf.losses.mean_pairwise_squared_error([[0.0, 1.0, 3.0]], [[1.0, 1.0, 1.0]]),
        tf.losses.mean_pairwise_squared_error(lab, pred, weights=[[[2.0]], [[0.0]]]),
        tf.losses.mean_pairwise_squared_error(lab, pred, weights=[[[1.0]], [[3.0]]]),
        tf.losses.cosine_distance(lab, pred, axis=2, weights=[[[1.0], [0.0]], [[2.0], [1.0]]]),
        tf.losses.cosine_distance(lab, pred, dim=1, reduction=tf.losses.Reduction.NONE)])
    np.testing.assert_allclose(out[:5], [0.099999994, 4.6666665, 0.9166666, 2.8333333,
                                         -2.5], rtol=1e-6)
    np.testing.assert_array_equal(out[5], [[[-9.5, -23.0]], [[-3.0, 0.0]]])
    assert all(o.dtype == np.float32 for o in out)
    with pytest.raises(ValueError, match="You must specify 'axis'"):
        tf.losses.cosine_distance(lab, pred)


# -- queues: a dequeue_many larger than the capacity (fifo_queue_test, 2026-12-06) ---------

def test_dequeue_many_beyond_capacity_and_short_close():
    # fifo_queue_test testBigDequeueMany: TF's attempt takes rows as they arrive, so it
    # completes as the producer refills the queue. Before: it waited for 4 rows in a queue
    # of capacity 2 while the producer waited for room -- a deadlock
    import threading
    from ndgrad.graph import errors
    q = tf.FIFOQueue(2, tf.int32, ((),))
    enqs = [q.enqueue((e,)) for e in range(4)]
    deq = q.dequeue_many(4)
    with tf.Session() as s:
        got = []
        t = threading.Thread(target=lambda: got.extend(s.run(deq)))
        t.start()
        for e in enqs:
            s.run(e)
        t.join(10)
        assert not t.is_alive() and got == [0, 1, 2, 3]
        # a dequeue_many left short by a close puts its rows back, in order (TF's)
        s.run(q.enqueue_many([[7, 8]]))
        s.run(q.close())
        with pytest.raises(errors.OutOfRangeError, match="requested 3, current size 2"):
            s.run(q.dequeue_many(3))
        assert s.run(q.dequeue_up_to(3)).tolist() == [7, 8]


def test_a_run_dequeues_after_its_independent_ops():
    # fifo_queue_test testDequeueEnqueueFail: TF's step runs independent ops concurrently,
    # so a failing Assert that gates an enqueue fails the run while the dequeue waits, and
    # a dequeue beside an enqueue of the same run gets its row. Before: the plan ran the
    # dequeue first and waited forever
    from ndgrad.graph import errors
    q = tf.FIFOQueue(10, [tf.int32], shapes=[()])
    a = q.dequeue()
    b = tf.Assert(False, ["Before enqueue"])
    with tf.control_dependencies([b]):
        c = q.enqueue(33)
    q2 = tf.FIFOQueue(10, [tf.int32], shapes=[()])
    with tf.Session() as s:
        with pytest.raises(errors.InvalidArgumentError, match="Before enqueue"):
            s.run([a, c])
        assert s.run([q2.dequeue() * 2, q2.enqueue(21)])[0] == 42
        assert s.run(q2.dequeue_many(0)).shape == (0,)      # (TF: an empty batch)


def test_queues_of_one_shared_name_share_their_rows():
    # fifo_queue_test testSharedQueueSameSession / testIncompatibleSharedQueueErrors:
    # before, shared_name was accepted and dropped, so a row enqueued through one queue
    # was never seen through the other
    from ndgrad.graph import errors
    q1 = tf.FIFOQueue(1, tf.float32, shared_name="shared_queue")
    q2 = tf.FIFOQueue(1, tf.float32, shared_name="shared_queue")
    a = tf.FIFOQueue(10, tf.float32, shared_name="q_a")
    b = tf.FIFOQueue(15, tf.float32, shared_name="q_a")
    with tf.Session() as s:
        s.run(q1.enqueue((10.0,)))
        assert s.run([q1.size(), q2.size()]) == [1, 1]
        assert s.run(q2.dequeue()) == 10.0
        assert s.run([q1.size(), q2.size()]) == [0, 0]
        s.run(a.size())
        with pytest.raises(errors.InvalidArgumentError, match="capacity 15 vs. 10"):
            s.run(b.size())
    with tf.Session() as s:          # (each session has its own)
        assert s.run(q2.size()) == 0


# -- static dtypes the run contradicted (norm_op_test under CHECK_SPECIAL_OUTPUTS) ---------

def test_norm_dtypes_of_complex_input_are_tensorflows():
    # TF 2.15's dtypes and values. Before: the spectral norm of a complex tensor of
    # unknown rank claimed the static dtype complex128 (the shape probe's fallback took
    # the input's dtype) while its value was float64; and the Euclidean/Frobenius norm of
    # a complex input was float64 where TF's sqrt(sum(x * conj(x))) is complex
    x = np.array([[1 + 2j, 3], [0.5j, 4]])
    p = tf.placeholder(tf.complex128)
    outs = [tf.norm(tf.constant(x)), tf.norm(tf.constant(x), ord=2, axis=[-2, -1]),
            tf.norm(tf.constant(x), axis=1), tf.norm(tf.constant(x), ord=1),
            tf.norm(p, ord=2, axis=[-1, -2])]
    assert [o.dtype.name for o in outs] == [
        "complex128", "float64", "complex128", "float64", "float64"]
    vals = run(outs, {p: x})
    assert [v.dtype.name for v in vals] == [o.dtype.name for o in outs]
    assert vals[0] == 5.5 + 0j
    np.testing.assert_allclose(vals[2], [np.sqrt(14), np.sqrt(16.25)])
    np.testing.assert_allclose([vals[1], vals[4]], 5.308781701639865)


def test_py_func_with_a_list_of_one_dtype_gives_the_array():
    # the commonest TF1 form, tf.py_func(f, [x], [tf.float32])[0]: its value was the
    # 1-tuple of f's result, fetched with an extra leading axis of 1, so y + [10, 20, 30]
    # gave a (1, 3) sum (found by control_flow_ops_py_test testWhilePyFuncBasic under
    # CHECK_SPECIAL_OUTPUTS; the static shape is unknown, so nothing contradicted it)
    y, = tf.py_func(lambda v: v * 2, [tf.constant([1.0, 2.0, 3.0])], [tf.float32])
    a, b = tf.py_func(lambda v: (v * 2, v + 1), [tf.constant([1.0, 2.0])],
                      [tf.float32, tf.float32])
    yv, sv, av, bv = run([y, y + tf.constant([10.0, 20.0, 30.0]), a, b])
    assert yv.shape == (3,) and sv.tolist() == [12.0, 24.0, 36.0]
    assert av.tolist() == [2.0, 4.0] and bv.tolist() == [2.0, 3.0]

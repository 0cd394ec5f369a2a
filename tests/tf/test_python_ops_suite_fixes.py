"""What TensorFlow's own python/ops tests (math_ops_test, nn_test, control_flow_ops_test,
run through compat/tf_kernel_tests/run.py as ``ops/<file>``) found, pinned: errors
where TF runs, and checks TF makes that ndgrad.tf did not."""
import numpy as np
import pytest

import ndgrad.tf as tf


def test_reductions_over_an_axis_named_twice():
    # TF reduces (0, 0) and, for rank 2, (0, -2) over axis 0 once; NumPy refuses
    x = np.array([[1, 2, 3], [4, 5, 6]], np.int32)
    xf = tf.constant(x.astype(np.float32))
    with tf.Session() as s:
        for axis in ((0, 0), (0, -2)):
            assert s.run(tf.reduce_sum(x, axis=axis)).tolist() == [5, 7, 9]
            assert s.run(tf.reduce_mean(xf, axis=axis)).tolist() == [2.5, 3.5, 4.5]
            np.testing.assert_allclose(s.run(tf.reduce_logsumexp(xf, axis=axis)),
                                       np.log(np.exp(x).sum(0)), rtol=1e-6)
        for axis in ((1, 1), (1, -1)):
            assert s.run(tf.reduce_sum(x, axis=axis)).tolist() == [6, 15]
        assert s.run(tf.reduce_sum(x, axis=(-2, -1, 0, 1))) == 21
        # the mean's gradient counts each reduced axis once: 1 / 2, not 1 / 4
        g, = tf.gradients(tf.reduce_mean(xf, axis=(0, -2)), xf)
        assert s.run(g).tolist() == [[0.5] * 3] * 2
    with pytest.raises(ValueError, match="Invalid reduction dimension"):
        tf.reduce_sum(x, axis=(0, 2))


def test_dropout_checks_its_rate_as_tensorflow():
    t = tf.constant(1.0, shape=[40, 30])
    # a keep_prob out of (0, 1] gave values (-1.0: x / -1 where floor(-1 + u) ...)
    for bad in (-1.0, 1.1, [0.0, 1.0]):
        with pytest.raises(ValueError):
            tf.nn.dropout(t, bad)
    with pytest.raises(ValueError, match="rate.dtype"):
        tf.nn.dropout(t, tf.placeholder(tf.float64))
    with pytest.raises(ValueError, match="scalar"):
        tf.nn.dropout(t, tf.placeholder(tf.float32, shape=[2]))
    with pytest.raises(ValueError, match="floating point"):
        tf.nn.dropout(tf.constant([1, 1, 1]), 0.5)
    x = tf.zeros((5,))
    assert tf.nn.dropout(x, rate=0) is x


def test_dropout_noise_shape_with_none_and_a_tensor_rate():
    t = tf.constant(1.0, shape=[1200, 3])
    d = tf.nn.dropout(t, rate=0.5, noise_shape=[None, 1])   # [None, 1] means [1200, 1]
    p = tf.placeholder(tf.float32, [])
    d2 = tf.nn.dropout(t, rate=p)
    with tf.Session() as s:
        v = s.run(d)
        assert v.shape == (1200, 3) and np.all(v == v[:, :1])
        assert sorted(set(v.ravel().tolist())) == [0.0, 2.0]
        assert 0.4 < (v[:, 0] > 0).mean() < 0.6
        v2 = s.run(d2, {p: 0.25})
        assert sorted(set(v2.ravel().tolist())) == [0.0, np.float32(1 / 0.75)]
        assert s.run(d2, {p: 0.0}).tolist() == [[1.0] * 3] * 1200


def test_while_loop_with_an_empty_list_among_its_variables():
    # TF's BuildLoop: one tensor in all the loop variables gives that tensor
    i = tf.constant(0)
    r = tf.while_loop(lambda i, _: tf.less(i, 10), lambda i, _: [tf.add(i, 1), []], [i, []])
    with tf.Session() as s:
        assert s.run(r) == 10


def test_hessians_of_a_quadratic_form_and_of_a_nonlinear_function():
    rng = np.random.RandomState([1, 2, 3])
    a = rng.randn(4, 4)
    x0 = rng.randn(4)
    x = tf.constant(x0)
    h, = tf.hessians(tf.reduce_sum(x[:, None] * tf.constant(a) * x[None, :]), x)
    # f(X) = sum(sin(X) * (X X^T X)): against second central differences of f
    X0 = rng.randn(2, 3)
    X = tf.constant(X0)
    H, = tf.hessians(tf.reduce_sum(tf.sin(X) * tf.matmul(X, tf.matmul(tf.transpose(X), X))),
                     [X])

    def f(v):
        return np.sum(np.sin(v) * (v @ v.T @ v))
    eps = 1e-4
    fd = np.zeros((6, 6))
    for i in range(6):
        for j in range(6):
            def at(di, dj):
                v = X0.copy().ravel()
                v[i] += di
                v[j] += dj
                return f(v.reshape(2, 3))
            fd[i, j] = (at(eps, eps) - at(eps, -eps) - at(-eps, eps) + at(-eps, -eps)) / (
                4 * eps * eps)
    with tf.Session() as s:
        hv, Hv = s.run([h, H])
    np.testing.assert_allclose(hv, a + a.T, rtol=1e-12)
    assert Hv.shape == (2, 3, 2, 3)
    np.testing.assert_allclose(Hv.reshape(6, 6), fd, rtol=1e-5, atol=1e-5)


def test_hessians_refuse_as_tensorflow():
    # TF: a ValueError where the gradient or its gradient does not depend on x
    x = tf.constant([1.0, 2.0])
    for ys in (x, tf.reduce_sum(2 * x), tf.reduce_sum(tf.constant([3.0]))):
        with pytest.raises(ValueError, match="hessians"):
            tf.hessians(ys, x)
    with pytest.raises(ValueError, match="fully known"):
        p = tf.placeholder(tf.float32, [None])
        tf.hessians(tf.reduce_sum(p ** 3), p)


def test_gradients_checks_as_tensorflow():
    z = tf.constant(7 + 3j, tf.complex64)
    with pytest.raises(TypeError, match="complex tensors must set grad_ys"):
        tf.gradients(tf.square(z), z)
    with tf.Session() as s:
        g, = s.run(tf.gradients(tf.square(z), z, grad_ys=tf.constant(1 + 0j, tf.complex64)))
        assert g == np.complex64(14 - 6j)    # TF's: conj(2 z)
        x, y = tf.constant(1.0), tf.constant(2.0)
        assert s.run(tf.gradients(y, x, unconnected_gradients=tf.UnconnectedGradients.ZERO)
                     ) == [0.0]
        assert tf.gradients(y, x, unconnected_gradients="none") == [None]
    with pytest.raises(ValueError, match="nonsense"):
        tf.gradients(y, x, unconnected_gradients="nonsense")
    with pytest.raises(ValueError, match="aggregation_method"):
        tf.gradients(y, x, aggregation_method=7)


def test_sigmoid_losses_refuse_mismatched_shapes():
    # labels (4,) with logits (4, 1) broadcast to a (4, 4) loss without a word; TF raises
    lab = np.array([0., 1., 1., 0.], np.float32)
    pred = np.array([[0.2], [0.7], [0.9], [0.4]], np.float32)
    with pytest.raises(ValueError, match="must have the same shape"):
        tf.nn.sigmoid_cross_entropy_with_logits(labels=lab, logits=pred)
    with pytest.raises(ValueError, match="must have the same shape"):
        tf.nn.weighted_cross_entropy_with_logits(targets=lab, logits=pred, pos_weight=2.0)
    p = tf.placeholder(tf.float32, [None, 1])
    tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.placeholder(tf.float32, [4, 1]),
                                            logits=p)   # compatible: no error


def test_softmax_cross_entropy_broadcasts_as_tensorflows_kernel():
    # TF flattens both to rows along the class axis and broadcasts the rows: labels (4,)
    # against logits (4, 1) is 4 rows of -sum(labels * log_softmax([x_i] * 4)) = 2 log 4
    lab = np.array([0., 1., 1., 0.], np.float32)
    pred = np.array([[0.2], [0.7], [0.9], [0.4]], np.float32)
    with tf.Session() as s:
        v = s.run(tf.nn.softmax_cross_entropy_with_logits_v2(labels=lab, logits=pred))
    assert v.shape == (4,)
    np.testing.assert_allclose(v, [2 * np.log(4)] * 4, rtol=1e-6)


def test_softmax_cross_entropy_axis_is_used():
    # dim=-1 (the default) silently won over axis=0: the sum ran over the last axis
    x = np.array([[1.0, 2.0, 0.5], [0.0, -1.0, 3.0]])
    y = np.array([[0.25, 0.5, 0.0], [0.75, 0.5, 1.0]])
    with tf.Session() as s:
        v = s.run(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y, logits=x, axis=0))
    want = -(y * (x - np.log(np.exp(x).sum(0)))).sum(0)
    assert v.shape == (3,)
    np.testing.assert_allclose(v, want, rtol=1e-12)
    with pytest.raises(ValueError, match="Cannot specify both"):
        tf.nn.softmax_cross_entropy_with_logits_v2(labels=y, logits=x, axis=0, dim=0)
    with pytest.raises(ValueError, match="Cannot specify both"):
        tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=x, axis=0)  # (TF 1: dim=-1)


def test_softmax_cross_entropy_gradients_are_tensorflows():
    # TF's gradient for the logits is softmax(x) - labels (its kernel's backprop): the
    # derivative where each labels row sums to 1, TF's documented requirement; for
    # multi-hot rows it is not the derivative, and ndgrad.tf gives TF's
    x = tf.constant([[1.0, 2.0, 0.5], [0.0, -1.0, 3.0]], tf.float64)
    y = tf.constant([[1.0, 1.0, 0.0], [0.2, 0.3, 0.5]], tf.float64)
    c = tf.nn.softmax_cross_entropy_with_logits_v2(labels=y, logits=x)
    gx, gy = tf.gradients(tf.reduce_sum(c), [x, y])
    with tf.Session() as s:
        xv, yv, gxv, gyv = s.run([x, y, gx, gy])
    sm = np.exp(xv) / np.exp(xv).sum(1, keepdims=True)
    np.testing.assert_allclose(gxv, sm - yv, rtol=1e-12)
    np.testing.assert_allclose(gyv, -np.log(sm), rtol=1e-12)


def test_softmax_cross_entropy_of_float16_runs_in_float32():
    # TF computes float16 logits in float32 and casts the cost back
    x = np.array([[10.0, 0.0, -10.0]], np.float16)
    y = np.array([[0.0, 0.0, 1.0]], np.float16)
    with tf.Session() as s:
        v = s.run(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y, logits=x))
    assert v.dtype == np.float16
    want = np.float16(-np.log(np.exp(np.float32(-20.0)) / (1 + np.exp(np.float32(-10.0))
                                                           + np.exp(np.float32(-20.0)))))
    assert v[0] == want


def test_a_gradient_through_an_op_tensorflow_cannot_differentiate_is_an_error():
    # TruncateMod and Unique have no gradient in TF (LookupError); ndgrad.tf dropped the
    # path silently: d/dx sum(2 x + truncatemod(x, 3)) came out 2, not an error
    x = tf.constant([1.5, 5.25, -2.0])
    for y in (tf.truncatemod(x, 3.0), tf.unique(x)[0]):
        with pytest.raises(LookupError, match="No gradient defined"):
            tf.gradients(tf.reduce_sum(2 * x) + tf.reduce_sum(y), x)
    # ops TF declares not differentiable give None, as there
    assert tf.gradients(tf.reduce_sum(tf.truncatediv(x, 2.0)), x) == [None]


def test_pow_gradient_is_tensorflows():
    # TF's PowGrad: log(x) taken as 0 where x <= 0 (a negative base with a trainable
    # exponent trains: ndgrad's JAX rule gave NaN); x = y = 0 gives NaN for x (JAX's 0),
    # and the where trap stays TF's (NaN where the untaken branch is NaN)
    x = tf.constant([-2.0, -0.5, 0.0, 0.0, 2.0, 3.0])
    y = tf.constant([2.0, 3.0, 0.0, 0.5, 0.5, -1.0])
    z = tf.pow(x, y)
    gx, gy = tf.gradients(tf.reduce_sum(z), [x, y])
    w = tf.where(x > 0, x ** 0.5, tf.zeros_like(x))
    gw, = tf.gradients(tf.reduce_sum(w), x)
    with tf.Session() as s:
        vx, vy, vw = s.run([gx, gy, gw])
    # (TF 2.15's output for the same program)
    np.testing.assert_allclose(vx, [-4.0, 0.75, np.nan, np.inf, 0.35355339, -0.11111111],
                               rtol=1e-6)
    np.testing.assert_allclose(vy, [0.0, -0.0, 0.0, 0.0, 0.9802581, 0.3662041], rtol=1e-6)
    np.testing.assert_allclose(vw, [np.nan] * 4 + [0.35355338, 0.28867513], rtol=1e-6)


def test_eager_tensors_own_their_values():
    # tf.constant(a) and tf.convert_to_tensor(a) of a NumPy array shared its memory in
    # eager mode: a later a[0] = 100 changed the "constant" (TF copies)
    tf.enable_eager_execution()
    try:
        for f in (tf.constant, tf.convert_to_tensor, tf.identity,
                  lambda a: tf.reshape(a, [2])):
            a = np.array([1.0, 2.0])
            t = f(a)
            a[0] = 100.0
            assert np.asarray(t).tolist() == [1.0, 2.0]
    finally:
        tf.disable_eager_execution()


def test_write_file_creates_its_directories(tmp_path):
    path = tmp_path / "subdir1" / "subdir2" / "filename"
    with tf.Session() as s:
        s.run(tf.write_file(str(path), "Some contents"))
    assert path.read_bytes() == b"Some contents"


def test_dequeue_many_with_a_tensor_count():
    # TF takes n as a tensor (fed when run); ndgrad.tf called int() on it
    q = tf.FIFOQueue(10, tf.float32, ())
    enq = q.enqueue_many([[1., 2., 3., 4., 5.]])
    n = tf.placeholder(tf.int32, [])
    d = q.dequeue_many(n)
    assert d.shape.as_list() == [None]
    assert q.dequeue_many(tf.constant(2)).shape.as_list() == [2]
    with tf.Session() as s:
        s.run(enq)
        assert s.run(d, {n: 2}).tolist() == [1.0, 2.0]
        assert s.run(d, {n: 1}).tolist() == [3.0]
        with pytest.raises(tf.errors.InvalidArgumentError, match="< 0"):
            s.run(d, {n: -1})
    with pytest.raises(TypeError, match="int32 scalar"):
        q.dequeue_many(tf.placeholder(tf.float32, []))


def test_batch_normalization_of_float16_with_float32_statistics():
    # TF casts both terms to x's dtype (nn_batchnorm_test.testBatchNormMixedPrecision);
    # ndgrad.tf refused the float16 * float32 product. Values from TF 2.15
    x = tf.constant(np.array([[1.0, 2.5], [3.0, -1.0]], np.float16))
    y = tf.nn.batch_normalization(x, tf.constant([0.5, 1.0]), tf.constant([2.0, 0.25]),
                                  tf.constant([0.1, -0.2]), tf.constant([1.5, 0.5]), 1e-3)
    assert y.dtype == tf.float16
    with tf.Session() as s:
        assert s.run(y).tolist() == [[0.63037109375, 1.2978515625],
                                     [2.751953125, -2.1953125]]


def test_max_pool_with_nan_and_minus_inf_is_tensorflows():
    # TF's CPU kernels skip NaN (a window of NaN and -inf gives the lowest finite value);
    # the gradient goes to the first maximum, or to the first element when that is NaN;
    # MaxPoolGradGrad selects afresh and gives 0 for a window without a value above the
    # lowest. ndgrad.tf gave NaN maxima. Printed by TF 2.15 for the same program
    x = np.array([[1.0, np.nan, 3.0, 3.0], [np.nan, 2.0, -np.inf, np.nan],
                  [5.0, 5.0, np.nan, -np.inf], [np.nan, np.nan, -np.inf, -np.inf]],
                 np.float32).reshape(1, 4, 4, 1)
    t = tf.constant(x)
    y = tf.nn.max_pool(t, [1, 2, 2, 1], [1, 2, 2, 1], "VALID")
    gy = tf.constant(np.array([1.0, 2.0, 3.0, 4.0], np.float32).reshape(1, 2, 2, 1))
    g, = tf.gradients(y, t, grad_ys=gy)
    h = tf.constant(np.arange(1, 17, dtype=np.float32).reshape(1, 4, 4, 1))
    gg, = tf.gradients(g, gy, grad_ys=h)
    with tf.Session() as s:
        vy, vg, vgg = s.run([y, g, gg])
    assert vy.ravel().tolist() == [2.0, 3.0, 5.0, float(np.finfo(np.float32).min)]
    assert vg.reshape(4, 4).tolist() == [[0, 0, 2, 0], [0, 1, 0, 0], [3, 0, 4, 0],
                                         [0, 0, 0, 0]]
    assert vgg.ravel().tolist() == [6.0, 3.0, 9.0, 0.0]


def test_special_function_gradients_where_tensorflow_gives_them():
    # polygamma: TF gives the order n no gradient (None), ndgrad raised; igamma at
    # x = inf: the derivative in a is 0 (P(a, inf) = 1), ndgrad raised (int(inf) terms)
    n, x = tf.constant([1.0, 2.0]), tf.constant([0.5, 3.0])
    gn, gx = tf.gradients(tf.reduce_sum(tf.math.polygamma(n, x)), [n, x])
    assert gn is None
    a, z = tf.constant([0.5, 1.0, 2.0]), tf.constant([0.0, np.inf, 3.0])
    ga, = tf.gradients(tf.reduce_sum(tf.math.igamma(a, z)), [a])
    with tf.Session() as s:
        # (TF 2.15: [-16.828794, 0.11893941] and [0, -0, -0.19742544])
        np.testing.assert_allclose(s.run(gx), [-16.828794, 0.11893941], rtol=1e-6)
        np.testing.assert_allclose(s.run(ga), [0.0, 0.0, -0.19742544], rtol=1e-6, atol=0)


def test_softsign_gradient_at_infinity_and_einsum_keywords():
    # TF's SoftsignGrad 1 / (1 + |x|)^2 is 0 at +-inf; the quotient rule gave NaN
    x = tf.constant([-np.inf, -1.0, 0.0, 2.0, np.inf])
    g, = tf.gradients(tf.reduce_sum(tf.nn.softsign(x)), x)
    with tf.Session() as s:
        assert s.run(g).tolist() == [0.0, 0.25, 1.0, float(np.float32(1 / 9)), 0.0]
    assert tf.math.softsign is tf.nn.softsign
    # TF raises for an unknown keyword of einsum; ndgrad.tf ignored it
    with pytest.raises(TypeError, match="invalid keyword"):
        tf.einsum("ij,jk->ik", tf.ones([2, 2]), tf.ones([2, 2]), invalid1="value1")

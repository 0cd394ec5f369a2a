"""Symbolic gradients (TF's conventions) and the optimizers' first three steps against
TensorFlow's update formulas computed by hand in NumPy."""
import numpy as np
import pytest

import ndgrad.tf as tf

W0 = np.array([1.0, -2.0])
C = np.array([1.0, 3.0])


def grad_of(w):
    return 2 * C * w            # d/dw sum(C * w**2)


def run_three(opt, names=("w",)):
    w = tf.Variable(W0.astype(np.float32), name="w")
    loss = tf.reduce_sum(tf.constant(C.astype(np.float32)) * w ** 2)
    train = opt.minimize(loss)
    out = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(3):
            before = sess.run(loss)
            l_fetched, _ = sess.run([loss, train])
            assert l_fetched == before            # the loss before the update
            out.append(sess.run(w))
    return out, w


def check(got, want):
    for g, wnt in zip(got, want):
        np.testing.assert_allclose(g, wnt, rtol=2e-6, atol=1e-7)


def test_gradient_descent():
    got, _ = run_three(tf.train.GradientDescentOptimizer(0.1))
    w, want = W0.copy(), []
    for _ in range(3):
        w = w - 0.1 * grad_of(w)
        want.append(w)
    check(got, want)


@pytest.mark.parametrize("nesterov", [False, True])
def test_momentum(nesterov):
    got, w_var = run_three(tf.train.MomentumOptimizer(0.05, 0.9, use_nesterov=nesterov))
    w, acc, want = W0.copy(), np.zeros(2), []
    for _ in range(3):
        g = grad_of(w)
        acc = 0.9 * acc + g
        w = w - (0.05 * g + 0.05 * 0.9 * acc) if nesterov else w - 0.05 * acc
        want.append(w)
    check(got, want)
    names = [v.name for v in tf.global_variables()]
    assert names == ["w:0", "w/Momentum:0"]
    assert [v.name for v in tf.trainable_variables()] == ["w:0"]


def test_adagrad():
    got, _ = run_three(tf.train.AdagradOptimizer(0.5))
    w, acc, want = W0.copy(), np.full(2, 0.1), []
    for _ in range(3):
        g = grad_of(w)
        acc = acc + g * g
        w = w - 0.5 * g / np.sqrt(acc)
        want.append(w)
    check(got, want)
    assert [v.name for v in tf.global_variables()] == ["w:0", "w/Adagrad:0"]


@pytest.mark.parametrize("momentum", [0.0, 0.5])
def test_rmsprop(momentum):
    got, _ = run_three(tf.train.RMSPropOptimizer(0.01, decay=0.9, momentum=momentum))
    w, ms, mom, want = W0.copy(), np.ones(2), np.zeros(2), []
    for _ in range(3):
        g = grad_of(w)
        ms = 0.9 * ms + 0.1 * g * g
        mom = momentum * mom + 0.01 * g / np.sqrt(ms + 1e-10)
        w = w - mom
        want.append(w)
    check(got, want)
    assert [v.name for v in tf.global_variables()] == ["w:0", "w/RMSProp:0", "w/RMSProp_1:0"]


def test_rmsprop_centered():
    got, _ = run_three(tf.train.RMSPropOptimizer(0.01, centered=True))
    w, ms, mg, mom, want = W0.copy(), np.ones(2), np.zeros(2), np.zeros(2), []
    for _ in range(3):
        g = grad_of(w)
        ms = 0.9 * ms + 0.1 * g * g
        mg = 0.9 * mg + 0.1 * g
        mom = mom * 0.0 + 0.01 * g / np.sqrt(ms - mg * mg + 1e-10)
        w = w - mom
        want.append(w)
    check(got, want)


def test_adam():
    got, w_var = run_three(tf.train.AdamOptimizer(0.1))
    w, m, v, want = W0.copy(), np.zeros(2), np.zeros(2), []
    for t in range(1, 4):
        g = grad_of(w)
        lr_t = 0.1 * np.sqrt(1 - 0.999 ** t) / (1 - 0.9 ** t)
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g * g
        w = w - lr_t * m / (np.sqrt(v) + 1e-8)
        want.append(w)
    check(got, want)
    names = [v.name for v in tf.global_variables()]
    assert names == ["w:0", "beta1_power:0", "beta2_power:0", "w/Adam:0", "w/Adam_1:0"]
    assert [v.name for v in tf.trainable_variables()] == ["w:0"]


def test_adam_defaults_and_beta_powers():
    opt = tf.train.AdamOptimizer()
    assert opt._lr == 0.001 and opt._epsilon == 1e-8
    w = tf.Variable([1.0])
    train = opt.minimize(tf.reduce_sum(w * w))
    b1, b2 = opt._get_beta_accumulators()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert np.isclose(sess.run(b1), 0.9)
        sess.run(train)
        sess.run(train)
        np.testing.assert_allclose(sess.run([b1, b2]), [0.9 ** 3, 0.999 ** 3], rtol=1e-6)
        # step 1 of Adam moves by lr (m/sqrt(v) = sign(g)), both steps here in one direction
        np.testing.assert_allclose(sess.run(w), [1.0 - 0.002], rtol=1e-5)


def test_slots_uninitialized_when_initializer_made_before_minimize():
    w = tf.Variable([1.0], name="w")
    init = tf.global_variables_initializer()
    train = tf.train.AdamOptimizer().minimize(tf.reduce_sum(w * w))
    with tf.Session() as sess:
        sess.run(init)
        with pytest.raises(tf.errors.FailedPreconditionError):
            sess.run(train)
        np.testing.assert_array_equal(sess.run(w), [1.0])
        sess.run(tf.global_variables_initializer())
        sess.run(train)


def test_trainable_false_and_var_list_and_global_step():
    a = tf.Variable(1.0, name="a")
    b = tf.Variable(1.0, name="b", trainable=False)
    c = tf.Variable(1.0, name="c")
    step = tf.train.get_or_create_global_step()
    loss = a * b * 3.0
    opt = tf.train.GradientDescentOptimizer(0.1)
    gv = opt.compute_gradients(loss)
    assert [v for _, v in gv] == [a, c]                  # b is not trainable
    assert gv[1][0] is None                              # c is unused: (None, c)
    train = opt.minimize(loss, global_step=step)
    only_c = opt.minimize(c * c, var_list=[c])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train)
        sess.run(train)
        assert sess.run([a, b]) == [pytest.approx(0.4), 1.0]
        assert sess.run(step) == 2
        sess.run(only_c)
        assert sess.run([a, c]) == [pytest.approx(0.4), pytest.approx(0.8)]
    with pytest.raises(ValueError, match="No gradients"):
        opt.minimize(tf.constant(1.0) * 2.0, var_list=[a])


def test_apply_gradients_directly():
    w = tf.Variable([1.0, 2.0])
    opt = tf.train.GradientDescentOptimizer(0.5)
    train = opt.apply_gradients([(tf.constant([1.0, -1.0]), w)])
    with tf.Session() as sess:
        sess.run(w.initializer)
        sess.run(train)
        np.testing.assert_array_equal(sess.run(w), [0.5, 2.5])


# -- gradient conventions ----------------------------------------------------------------
def test_gradient_conventions():
    x = tf.constant([1., 2., 2.])
    y = tf.constant([1., 3., 0.])
    z = tf.constant([-1., 0., 2.])
    with tf.Session() as s:
        gx, gy = s.run(tf.gradients(tf.reduce_sum(tf.maximum(x, y)), [x, y]))
        assert gx.tolist() == [1., 0., 1.] and gy.tolist() == [0., 1., 0.]   # tie -> x
        gx, gy = s.run(tf.gradients(tf.reduce_sum(tf.minimum(x, y)), [x, y]))
        assert gx.tolist() == [1., 1., 0.] and gy.tolist() == [0., 0., 1.]
        assert s.run(tf.gradients(tf.reduce_max(x), x))[0].tolist() == [0., .5, .5]
        assert s.run(tf.gradients(tf.reduce_min(y), y))[0].tolist() == [0., 0., 1.]
        assert s.run(tf.gradients(tf.reduce_sum(tf.nn.relu(z)), z))[0].tolist() == [0., 0., 1.]
        assert s.run(tf.gradients(tf.reduce_sum(tf.abs(z)), z))[0].tolist() == [-1., 0., 1.]
    assert tf.gradients(tf.reduce_sum(x), [x, y])[1] is None
    g = tf.gradients(tf.reduce_sum(tf.stop_gradient(x) * y), [x, y])
    assert g[0] is None and g[1] is not None
    assert isinstance(tf.gradients(tf.reduce_sum(x), x), list)


def test_gradients_match_finite_differences_with_unknown_dims():
    p = tf.placeholder(tf.float32, (None, 3))
    w = tf.constant(np.arange(6.).reshape(3, 2).astype(np.float32))
    exprs = {
        "mean": tf.reduce_mean(p * p),
        "reshape": tf.reduce_sum(tf.reshape(p, (-1,)) ** 2),
        "slice": tf.reduce_sum(p[:, 1] * 3.),
        "concat": tf.reduce_sum(tf.concat([p, 2 * p], 1) ** 2),
        "gather": tf.reduce_sum(tf.gather(p, [0, 0, 1]) ** 2),
        "tile": tf.reduce_sum(tf.tile(p, [1, 2]) ** 2),
        "xent": tf.reduce_sum(tf.nn.softmax_cross_entropy_with_logits(
            labels=tf.one_hot([0, 1], 3), logits=p)),
        "sparse": tf.reduce_sum(tf.nn.sparse_softmax_cross_entropy_with_logits(
            labels=[2, 1], logits=p)),
        "bcast": tf.reduce_sum((p + tf.constant([1., 2., 3.])) ** 2),
        "matmul": tf.reduce_sum(tf.matmul(p, w) ** 2),
        "max": tf.reduce_sum(tf.reduce_max(p, axis=1)),
        "prod": tf.reduce_sum(tf.reduce_prod(p, axis=1)),
        "sigmoid": tf.reduce_sum(tf.sigmoid(p)),
        "transpose": tf.reduce_sum(tf.transpose(p) * tf.constant([[1.], [2.], [3.]])),
        "squeeze": tf.reduce_sum(tf.squeeze(tf.expand_dims(p, 0), [0]) ** 2),
        "div": tf.reduce_sum(1 / (p + 10)),
        "pow": tf.reduce_sum(p ** 3),
        "tanh_exp": tf.reduce_sum(tf.tanh(p) * tf.exp(-p)),
        "unstack": tf.reduce_sum(tf.unstack(p, num=2)[1] ** 2),
        "split": tf.reduce_sum(tf.split(p, [1, 2], axis=1)[1] ** 2),
        "stack": tf.reduce_sum(tf.stack([p, p * p]) ** 2),
        "l2": tf.nn.l2_loss(p),
        "softplus": tf.reduce_sum(tf.nn.softplus(p)),
    }
    pv = np.array([[1., 2., 3.], [0.5, 1., 2.]], np.float32)
    with tf.Session() as s:
        for name, expr in exprs.items():
            (g,) = tf.gradients(expr, p)
            assert g.get_shape().as_list() == [None, 3], name
            got = s.run(g, {p: pv})
            num = np.zeros(pv.shape)
            for i in np.ndindex(pv.shape):
                d = np.zeros_like(pv)
                d[i] = 1e-2
                num[i] = (s.run(expr, {p: pv + d}) - s.run(expr, {p: pv - d})) / 2e-2
            np.testing.assert_allclose(got, num, rtol=2e-2, atol=2e-2, err_msg=name)
            assert got.dtype == np.float32


def test_grad_ys_and_second_order():
    x = tf.constant([1., 2.])
    y = x * x * x
    (g,) = tf.gradients(y, x, grad_ys=tf.constant([1., 10.]))
    (h,) = tf.gradients(tf.reduce_sum(tf.gradients(tf.reduce_sum(y), x)[0]), x)
    with tf.Session() as s:
        assert s.run(g).tolist() == [3., 120.]
        assert s.run(h).tolist() == [6., 12.]               # d2/dx2 x^3 = 6x


def test_eager_gradient_tape_and_optimizers():
    tf.enable_eager_execution()
    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    assert float(tape.gradient(y, x)) == 6.0
    w = tf.Variable(W0.astype(np.float32))
    opt = tf.train.AdamOptimizer(0.1)
    got = []
    for _ in range(3):
        opt.minimize(lambda: tf.reduce_sum(tf.constant(C.astype(np.float32)) * w ** 2),
                     var_list=[w])
        got.append(w.numpy())      # (np.array(w) of a trainable variable raises)
    ww, m, v, want = W0.copy(), np.zeros(2), np.zeros(2), []
    for t in range(1, 4):
        g = grad_of(ww)
        lr_t = 0.1 * np.sqrt(1 - 0.999 ** t) / (1 - 0.9 ** t)
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g * g
        ww = ww - lr_t * m / (np.sqrt(v) + 1e-8)
        want.append(ww)
    check(got, want)
    u = tf.Variable([1.0, -2.0])
    with tf.GradientTape() as t2:
        loss = tf.reduce_sum(tf.nn.relu(u) * 2)
    (gu,) = t2.gradient(loss, [u])
    assert np.asarray(gu).tolist() == [2.0, 0.0]
    tf.train.GradientDescentOptimizer(0.5).apply_gradients([(gu, u)])
    assert u.numpy().tolist() == [0.0, -2.0]

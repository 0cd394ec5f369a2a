"""Run-time shapes, scopes re-entered, and the TF ops real TF1 programs use (values from
TensorFlow 2.21 under tf.compat.v1, quoted where they appear)."""
import json
import os

import numpy as np
import pytest

import ndgrad.tf as tf
from helpers import fd_grad_np

REF = os.path.join(os.path.dirname(__file__), "reference")


def run(*fetches, feed=None):
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        return s.run(list(fetches), feed)


def test_split_unknown_dim_evenly_and_its_gradient():
    x = tf.placeholder(tf.float32, [None, 28])
    parts = tf.split(x, 28, 0)
    assert len(parts) == 28 and parts[0].shape.as_list() == [None, 28]   # as TF
    g = tf.gradients(tf.reduce_sum(parts[1] ** 2), x)[0]
    xv = np.arange(28 * 56, dtype=np.float32).reshape(56, 28)
    p1, gv = run(parts[1], g, feed={x: xv})
    np.testing.assert_array_equal(p1, xv[2:4])
    want = np.zeros_like(xv)
    want[2:4] = 2 * xv[2:4]
    np.testing.assert_array_equal(gv, want)
    with pytest.raises(tf.errors.InvalidArgumentError, match="evenly divisible by 28"):
        run(parts[0], feed={x: np.ones((5, 28))})


def test_reshape_minus_one_against_unknown_dims():
    x = tf.placeholder(tf.float32, [None, 28])
    y = tf.reshape(x, [-1, 7, 4])
    z = tf.reshape(x, tf.stack([tf.shape(x)[0], -1, 2]))
    assert y.shape.as_list() == [None, 7, 4]
    yv, zv = run(y, z, feed={x: np.ones((3, 28))})
    assert yv.shape == (3, 7, 4) and zv.shape == (3, 14, 2)


UNKNOWN_RANK = {
    "matmul": lambda x, w, b: tf.reduce_mean(tf.square(tf.matmul(x, w) + b)),
    "normalized": lambda x, w, b: tf.reduce_mean(tf.matmul(
        (x - tf.reduce_mean(x, 0)) / (tf.sqrt(tf.reduce_mean(tf.square(x), 0)) + 1), w) + b),
    "reduce_max": lambda x, w, b: tf.reduce_sum(tf.reduce_max(x * b, axis=1)),
    "xent": lambda x, w, b: tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(
        labels=x, logits=x * b)),
    "concat": lambda x, w, b: tf.reduce_sum(tf.concat([x, x], 1) * b),
    "split": lambda x, w, b: tf.reduce_sum(tf.split(x, 3, 1)[0] * b),
    "expand_dims": lambda x, w, b: tf.reduce_sum(tf.expand_dims(x, 1) * b),
    "gather": lambda x, w, b: tf.reduce_sum(tf.gather(x, [0]) * b),
    "stack": lambda x, w, b: tf.reduce_sum(tf.stack([x, x]) * b),
    "unstack": lambda x, w, b: tf.reduce_sum(tf.unstack(x * b, num=2)[0]),
}


@pytest.mark.parametrize("case", sorted(UNKNOWN_RANK))
def test_adam_trains_through_a_placeholder_of_unknown_rank(case):
    x = tf.placeholder(tf.float32, name="xn")            # no shape at all
    w = tf.Variable(np.ones((3, 1), np.float32))
    b = tf.Variable(0.5)
    loss = UNKNOWN_RANK[case](x, w, b)
    step = tf.train.AdamOptimizer(0.1).minimize(loss)
    xv = np.arange(6, dtype=np.float32).reshape(2, 3) / 6
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        before = s.run([w, b])
        s.run(step, {x: xv})
        after = s.run([w, b])
        # Adam's first step moves every variable with a nonzero gradient by ~lr
        moved = [np.max(np.abs(a - c)) for a, c in zip(after, before)]
        assert max(moved) == pytest.approx(0.1, rel=1e-3)


def test_squeeze_and_transpose_of_unknown_rank():
    x = tf.placeholder(tf.float32, name="xn")
    y = tf.squeeze(x)
    z = tf.transpose(x)
    g = tf.gradients(tf.reduce_sum(y * 2) + tf.reduce_sum(
        z * tf.transpose(tf.reshape(tf.range(6.0), tf.shape(x)))), x)[0]
    xv = np.arange(6.).reshape(1, 2, 1, 3)
    yv, zv, gv = run(y, z, g, feed={x: xv})
    np.testing.assert_array_equal(yv, xv.reshape(2, 3))
    np.testing.assert_array_equal(zv, xv.transpose())
    np.testing.assert_array_equal(gv, 2 + np.arange(6.).reshape(xv.shape))


def test_unknown_rank_errors_name_the_tensor():
    x = tf.placeholder(tf.float32, name="xn")
    with pytest.raises(ValueError, match="xn:0"):
        tf.concat([x, x], -1)
    m = tf.matmul(x, tf.ones([3, 1]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="rank 2"):
        run(m, feed={x: np.ones((2, 2, 3))})


def test_variable_scope_reentered_opens_fresh_name_scope():
    # TensorFlow 2.21 prints: vs/a:0 vs/a:0 vs/Const:0 vs_1/Const:0 vs_2/Const:0 vs/b:0
    # outer/in/Const:0 in/Const:0 outer/in/q:0 outer_1/in/Const:0
    with tf.variable_scope("vs") as vs:
        a = tf.get_variable("a", [1])
        c = tf.constant(1.)
    with tf.variable_scope(vs):
        d = tf.constant(1.)
        b2 = tf.get_variable("b", [1])
    with tf.variable_scope(vs, reuse=True):
        b = tf.get_variable("a", [1])
        e = tf.constant(1.)
    with tf.variable_scope("outer"):
        with tf.variable_scope("in") as ins:
            f = tf.constant(1.)
    with tf.variable_scope(ins):
        h = tf.constant(1.)
        v = tf.get_variable("q", [1])
    with tf.variable_scope("outer"):
        with tf.variable_scope(ins):
            i = tf.constant(1.)
    got = " ".join(t.name for t in (a, b, c, d, e, b2, f, h, v, i))
    assert got == ("vs/a:0 vs/a:0 vs/Const:0 vs_1/Const:0 vs_2/Const:0 vs/b:0 "
                   "outer/in/Const:0 in/Const:0 outer/in/q:0 outer_1/in/Const:0")


def test_truncatediv_truncatemod():
    # TensorFlow: [-3 -3] and [-1.  1.  -1.5]
    q, r = run(tf.truncatediv(tf.constant([-7, 7]), tf.constant([2, -2])),
               tf.truncatemod(tf.constant([-7, 7, -7.5]), tf.constant([2, -2, 2.])))
    np.testing.assert_array_equal(q, [-3, -3])
    np.testing.assert_array_equal(r, [-1., 1., -1.5])
    with pytest.raises(tf.errors.InvalidArgumentError, match="division by zero"):
        run(tf.truncatediv(tf.constant([1]), tf.constant([0])))


def test_multinomial_and_categorical():
    m = tf.multinomial(tf.constant([[0., 1.], [5., -50.]]), 4000, seed=3)
    c = tf.random.categorical(tf.constant([[0., 1.]]), 3, dtype=tf.int32)
    # TensorFlow's static shapes and dtypes
    assert (m.shape.as_list(), m.dtype, c.shape.as_list(), c.dtype) == (
        [2, 4000], tf.int64, [1, 3], tf.int32)
    mv, cv = run(m, c)
    p1 = 1 / (1 + np.exp(-1.0))
    assert abs(mv[0].mean() - p1) < 4 * np.sqrt(p1 * (1 - p1) / 4000)
    assert np.all(mv[1] == 0) and set(cv.ravel()) <= {0, 1}


def test_xent_labels_as_tensorflow_converts_them():
    # TensorFlow: v1 and v2 cast integer one-hot labels: [0.31326166, 0.12692805];
    # sigmoid_ and sparse_ refuse mismatched label dtypes with a TypeError
    lab = tf.constant([[0, 1], [1, 0]])
    lg = tf.constant([[1., 2.], [3., 1.]])
    v1, v2, sp = run(tf.nn.softmax_cross_entropy_with_logits(labels=lab, logits=lg),
                     tf.nn.softmax_cross_entropy_with_logits_v2(labels=lab, logits=lg),
                     tf.nn.sparse_softmax_cross_entropy_with_logits(
                         labels=tf.constant([1, 0], tf.int64), logits=lg))
    for v in (v1, v2, sp):
        np.testing.assert_allclose(v, [0.31326166, 0.12692805], rtol=1e-6)
    with pytest.raises(TypeError, match="int32"):
        tf.nn.sigmoid_cross_entropy_with_logits(labels=lab, logits=lg)
    with pytest.raises(TypeError, match="int32, int64"):
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=tf.constant([1., 0.]),
                                                       logits=lg)


@pytest.mark.parametrize("strategy", ["mod", "div"])
def test_embedding_lookup_partitioned(strategy):
    # TensorFlow gives the same rows (with max_norm=9: [[6.1045208, 6.6132307], [0, 1]],
    # [[5.8571224, 6.8333097], [6.0540552, 6.6594605]]) for both strategies
    tab = np.arange(14, dtype=np.float32).reshape(7, 2)
    parts = [tab[p::3] for p in range(3)] if strategy == "mod" else [tab[:3], tab[3:5],
                                                                     tab[5:]]
    ps = [tf.Variable(p) for p in parts]
    ids = np.array([[6, 0], [3, 5]])
    plain = tf.nn.embedding_lookup(ps, ids, partition_strategy=strategy)
    clipped = tf.nn.embedding_lookup(ps, ids, partition_strategy=strategy, max_norm=9.0)
    grads = tf.gradients(tf.reduce_sum(plain), ps)
    pv, cv, *gv = run(plain, clipped, *grads)
    np.testing.assert_array_equal(pv, tab[ids])
    np.testing.assert_allclose(cv, [[[6.1045208, 6.6132307], [0, 1]],
                                    [[5.8571224, 6.8333097], [6.0540552, 6.6594605]]],
                               rtol=1e-6)
    counts = np.zeros(7)
    np.add.at(counts, ids.ravel(), 1)
    back = np.concatenate(gv)[:, 0]
    order = np.concatenate([np.arange(7)[p::3] for p in range(3)]) if strategy == "mod" \
        else np.arange(7)
    np.testing.assert_array_equal(back, counts[order])
    with pytest.raises(ValueError, match="shard"):
        tf.nn.embedding_lookup([tf.ones([1, 2]), tf.ones([3, 2])], [0],
                               partition_strategy="div")


def test_sampled_losses_match_tensorflow():
    """nce_loss, sampled_softmax_loss (partitioned weights) and nce with accidental
    hits removed, with fixed sampled_values, against TensorFlow's values and
    gradients (tests/tf/reference/sampled_losses_tf.json, made by the script
    tests/tf/reference/sampled_losses.py under TensorFlow 2.21)."""
    import sys
    sys.path.insert(0, REF)
    import sampled_losses
    with open(os.path.join(REF, "sampled_losses_tf.json")) as fh:
        want = json.load(fh)
    got = sampled_losses.run_all()
    for strat in ("mod", "div"):
        for g, w in zip(got[strat]["vals"], want[strat]["vals"]):
            np.testing.assert_allclose(np.array(g), np.array(w), rtol=2e-5, atol=3e-6)


def test_log_uniform_sampler_distribution_and_expected_counts():
    s, te, se = tf.nn.log_uniform_candidate_sampler([[0], [5]], 1, 2000, False, 50,
                                                    seed=2)
    us, ute, use = tf.random.log_uniform_candidate_sampler([[0]], 1, 10, True, 50, seed=2)
    sv, tev, sev, usv, utev, usev = run(s, te, se, us, ute, use)
    p = (np.log(np.arange(50) + 2) - np.log(np.arange(50) + 1)) / np.log(51)
    np.testing.assert_allclose(tev[:, 0], 2000 * p[[0, 5]], rtol=1e-6)
    np.testing.assert_allclose(sev, 2000 * p[sv], rtol=1e-6)
    freq = np.bincount(sv, minlength=50) / 2000
    assert np.all(np.abs(freq - p) < 4 * np.sqrt(p * (1 - p) / 2000) + 1e-3)
    assert len(set(usv.tolist())) == 10
    # unique sampling: P(drawn at least once in the tries made), in (0, 1]
    assert np.all((usev > 0) & (usev <= 1)) and 0 < utev[0, 0] <= 1


def test_sampled_softmax_trains_word2vec_style():
    V, D = 30, 8
    emb = tf.Variable(tf.random_uniform([V, D], -1.0, 1.0, seed=1))
    w = tf.Variable(tf.truncated_normal([V, D], stddev=0.3, seed=2))
    b = tf.Variable(tf.zeros([V]))
    ctr = tf.placeholder(tf.int32, [None])
    tgt = tf.placeholder(tf.int32, [None, 1])
    x = tf.nn.embedding_lookup(emb, ctr)
    nce = tf.reduce_mean(tf.nn.nce_loss(w, b, tgt, x, 5, V))
    ssl = tf.reduce_mean(tf.nn.sampled_softmax_loss(w, b, tgt, x, 5, V))
    step = tf.train.AdamOptimizer(0.05).minimize(nce + ssl)
    cv = np.arange(V)
    tv = ((cv + 1) % V)[:, None]
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        first = np.mean([s.run(nce, {ctr: cv, tgt: tv}) for _ in range(5)])
        for _ in range(150):
            s.run(step, {ctr: cv, tgt: tv})
        last = np.mean([s.run(nce, {ctr: cv, tgt: tv}) for _ in range(5)])
    assert last < 0.5 * first


def _layers_ref():
    with open(os.path.join(REF, "layers_tf.json")) as fh:
        return json.load(fh)


@pytest.mark.parametrize("case", sorted(_layers_ref()))
def test_layers_match_tensorflow(case):
    """tf.layers outputs, gradients, variable names and moving averages equal
    TensorFlow's (tests/tf/reference/layers_cases.py made layers_tf.json)."""
    import sys
    sys.path.insert(0, REF)
    import layers_cases
    want = _layers_ref()[case]
    res = layers_cases.run_all([case])
    got = res[case]
    assert got["names"] == want["names"]
    assert got["shapes"] == want["shapes"]
    for g, w in zip(got["vals"], want["vals"]):
        np.testing.assert_allclose(np.array(g), np.array(w), rtol=2e-5, atol=5e-6)


def test_batch_normalization_update_ops_and_inference():
    x = tf.placeholder(tf.float32, [None, 2])
    training = tf.placeholder(tf.bool, [])
    y = tf.layers.batch_normalization(x, training=training, momentum=0.5)
    upd = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    assert len(upd) == 2
    mm = [v for v in tf.global_variables() if "moving_mean" in v.name][0]
    assert mm not in tf.trainable_variables()
    xv = np.array([[1., 2.], [3., 6.]], np.float32)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        yt = s.run(y, {x: xv, training: True})
        s.run(upd, {x: xv, training: False})          # not training: averages stay
        np.testing.assert_array_equal(s.run(mm), [0, 0])
        s.run(upd, {x: xv, training: True})
        np.testing.assert_allclose(s.run(mm), [1.0, 2.0])   # 0.5 * batch mean
        yi = s.run(y, {x: xv, training: False})
    np.testing.assert_allclose(yt, [[-1, -1], [1, 1]], atol=1e-3)
    mv = 0.5 + 0.5 * np.array([1., 4.])               # biased batch variance (2-D input)
    np.testing.assert_allclose(yi, (xv - [1, 2]) / np.sqrt(mv + 1e-3), rtol=1e-5)


def test_contrib_layers_names_and_values():
    x = tf.placeholder(tf.float32, [None, 2, 3])
    f = tf.contrib.layers.flatten(x)
    h = tf.contrib.layers.fully_connected(f, 4)
    o = tf.contrib.layers.fully_connected(h, 2, activation_fn=None)
    assert f.shape.as_list() == [None, 6]
    assert [v.name for v in tf.trainable_variables()] == [
        "fully_connected/weights:0", "fully_connected/biases:0",
        "fully_connected_1/weights:0", "fully_connected_1/biases:0"]
    xv = np.random.RandomState(0).randn(3, 2, 3).astype(np.float32)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        w1, b1, w2, b2 = s.run(tf.trainable_variables())
        ov = s.run(o, {x: xv})
        lim = np.sqrt(6 / (6 + 4))
        assert np.all(np.abs(w1) <= lim) and np.std(w1) > lim / 4
    np.testing.assert_allclose(ov, np.maximum(xv.reshape(3, 6) @ w1 + b1, 0) @ w2 + b2,
                               rtol=1e-5, atol=1e-6)




@pytest.mark.parametrize("padding,stride,k", [("VALID", 2, 3), ("SAME", 2, 4),
                                              ("SAME", 1, 3)])
def test_conv2d_transpose_is_conv2ds_input_gradient_and_differentiates(padding, stride, k):
    rng = np.random.RandomState(0)
    xv = rng.randn(2, 3, 3, 2)
    wv = rng.randn(k, k, 4, 2)
    H = (3 - 1) * stride + k if padding == "VALID" else 3 * stride
    x = tf.placeholder(tf.float64, [None, 3, 3, 2])
    w = tf.placeholder(tf.float64, [k, k, 4, 2])
    y = tf.nn.conv2d_transpose(x, w, [tf.shape(x)[0], H, H, 4], [1, stride, stride, 1],
                               padding)
    assert y.shape.as_list() == [None, H, H, 4]
    # it is the gradient of conv2d with respect to its input
    z = tf.placeholder(tf.float64, [2, H, H, 4])
    conv = tf.nn.conv2d(z, w, [1, stride, stride, 1], padding)
    back = tf.gradients(conv, z, grad_ys=x)[0]
    loss = tf.reduce_sum(y * y * 0.5 + y)
    gx, gw = tf.gradients(loss, [x, w])
    with tf.Session() as s:
        yv, bv, gxv, gwv = s.run([y, back, gx, gw], {x: xv, w: wv, z: np.zeros((2, H, H, 4))})
        def f(a, b):
            return s.run(loss, {x: a, w: b})
        num_x = fd_grad_np(lambda a: f(a, wv), xv, 1e-3)
        num_w = fd_grad_np(lambda b: f(xv, b), wv, 1e-3)
    np.testing.assert_allclose(yv, bv, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(gxv, num_x, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(gwv, num_w, rtol=1e-5, atol=1e-6)


def test_reverse_sequence_values_gradient_and_errors():
    xv = np.arange(24, dtype=np.float64).reshape(2, 4, 3)
    x = tf.placeholder(tf.float64, [2, None, 3])
    lens = tf.constant([3, 0])
    y = tf.reverse_sequence(x, lens, seq_axis=1, batch_axis=0)
    g = tf.gradients(tf.reduce_sum(y * tf.constant(np.arange(24.).reshape(2, 4, 3))), x)[0]
    yv, gv = run(y, g, feed={x: xv})
    want = xv.copy()
    want[0, :3] = xv[0, 2::-1]
    np.testing.assert_array_equal(yv, want)
    wg = np.arange(24.).reshape(2, 4, 3)
    wg[0, :3] = wg[0, 2::-1]
    np.testing.assert_array_equal(gv, wg)
    # batch axis after the sequence axis
    yt = run(tf.reverse_sequence(tf.constant(xv.transpose(1, 0, 2)), [3, 0], seq_axis=0,
                                 batch_axis=1))[0]
    np.testing.assert_array_equal(yt, want.transpose(1, 0, 2))
    with pytest.raises(tf.errors.InvalidArgumentError, match="seq_lengths"):
        run(tf.reverse_sequence(x, tf.constant([5, 1]), seq_axis=1), feed={x: xv})


def test_nested_while_loops_differentiate():
    # sum_{i<3} sum_{j<2} x**2 * w  -> d/dx = 12 x w, d/dw = 6 x**2
    x = tf.Variable(1.5)
    w = tf.Variable(0.7)

    def outer(i, acc):
        _, inner = tf.while_loop(lambda j, a: j < 2, lambda j, a: (j + 1, a + x * x * w),
                                 [0, tf.constant(0.0)])
        return i + 1, acc + inner
    _, total = tf.while_loop(lambda i, a: i < 3, outer, [0, tf.constant(0.0)])
    gx, gw = tf.gradients(total, [x, w])
    tv, gxv, gwv = run(total, gx, gw)
    assert tv == pytest.approx(6 * 1.5 ** 2 * 0.7)
    assert gxv == pytest.approx(12 * 1.5 * 0.7)
    assert gwv == pytest.approx(6 * 1.5 ** 2)


def test_while_loop_zero_iterations_and_maximum_iterations():
    x = tf.placeholder(tf.float32, [])
    _, y = tf.while_loop(lambda i, y: i < 0, lambda i, y: (i + 1, y * 3), [0, x])
    _, z = tf.while_loop(lambda i, z: True, lambda i, z: (i + 1, z * 3), [0, x],
                         maximum_iterations=4)
    gy, gz = tf.gradients([y, z], x)[0], tf.gradients(z, x)[0]
    yv, zv, gyv, gzv = run(y, z, gy, gz, feed={x: 2.0})
    assert (yv, zv, gzv) == (2.0, 162.0, 81.0)
    assert gyv == 82.0


@pytest.mark.parametrize("case", ["in_top_k", "activations", "conv1d", "conv_backprop",
                                  "conv_dilated", "depthwise", "matrix_and_search",
                                  "tensor_scatter", "conv1d_layers", "scan",
                                  "regularizers"])
def test_extras_match_tensorflow(case):
    """in_top_k, selu/swish, conv1d and its layers, conv2d_backprop_input/filter and
    explicit padding (to second order), dilated, depthwise and separable convolutions,
    matrix diagonals, searchsorted and other array/math extras, scan/foldl/foldr (values
    and gradients) and regularizers against TensorFlow 2.21
    (made by tests/tf/reference/extras_cases.py)."""
    import sys
    sys.path.insert(0, REF)
    import extras_cases
    with open(os.path.join(REF, "extras_tf.json")) as fh:
        want = json.load(fh)[case]
    got = extras_cases.run_all([case])[case]
    assert len(got) == len(want)
    for g, w in zip(got, want):
        np.testing.assert_allclose(np.array(g, float), np.array(w, float), rtol=2e-6,
                                   atol=2e-6)


def test_scan_over_unknown_length_trains():
    x = tf.placeholder(tf.float32, [None])
    w = tf.Variable(0.1)
    ema = tf.scan(lambda a, e: w * a + (1 - w) * e, x, initializer=tf.constant(0.0))
    loss = tf.reduce_sum((ema - 1.0) ** 2)
    step = tf.train.GradientDescentOptimizer(0.01).minimize(loss)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        first = s.run(loss, {x: np.ones(6)})
        for _ in range(20):
            s.run(step, {x: np.ones(6)})
        assert s.run(loss, {x: np.ones(6)}) < first
        assert s.run(ema, {x: np.ones(3)}).shape == (3,)


def test_lrn_matches_tensorflow():
    # TensorFlow 2.21 (tf.compat.v1): sums 15.9542, 3.9769, 35.4826 and sums of squares
    # 136.7072, 15.9987, 771.8551 for y1, y2 and the gradient below
    x = tf.constant(np.random.RandomState(0).randn(2, 3, 3, 7).astype(np.float32))
    y1 = tf.nn.lrn(x, 4, bias=1.0, alpha=0.001 / 9.0, beta=0.75, name="norm1")
    y2 = tf.nn.local_response_normalization(x)
    g = tf.gradients(tf.reduce_sum(y1 * y1) + tf.reduce_sum(y2 * x), x)[0]
    v = run(y1, y2, g)
    assert y1.name == "norm1:0"
    np.testing.assert_allclose([a.sum() for a in v], [15.9542, 3.9769, 35.4826],
                               atol=1e-4)
    np.testing.assert_allclose([(a ** 2).sum() for a in v], [136.7072, 15.9987, 771.8551],
                               rtol=5e-6)      # the references are rounded to 4 places


def test_gather_nd_scatter_nd_segment_sums_match_tensorflow():
    # TensorFlow 2.21 (tf.compat.v1) for a, b, c, d, e and the gradient g below:
    # sums [6.5615, 2.5367, 57.6575, 6.0437, 19.2192, 9472.4936],
    # sums of squares [13.26, 14.56, 1846.89, 18.91, 157.17, 3742754.58]
    rng = np.random.RandomState(0)
    p = tf.constant(rng.randn(3, 4, 2).astype(np.float32))
    a = tf.gather_nd(p, [[0, 1], [2, 3], [0, 1]])
    b = tf.gather_nd(p, [[[1], [2]]])
    c = tf.scatter_nd([[1, 0], [3, 1], [1, 0]], tf.constant([1., 2., 3.]) * tf.reduce_sum(p),
                      [4, 2])
    d = tf.unsorted_segment_sum(p, [1, -1, 1], 3)
    e = tf.segment_sum(p * 2, [0, 0, 2])
    loss = tf.reduce_sum(a ** 2) + tf.reduce_sum(b * 3) + tf.reduce_sum(c ** 2) + \
        tf.reduce_sum(d ** 2) + tf.reduce_sum(e * e)
    g = tf.gradients(loss, p)[0]
    v = run(a, b, c, d, e, g)
    assert [x.shape for x in v] == [(3, 2), (1, 2, 4, 2), (4, 2), (3, 4, 2), (3, 4, 2),
                                    (3, 4, 2)]
    np.testing.assert_allclose([x.sum() for x in v],
                               [6.5615, 2.5367, 57.6575, 6.0437, 19.2192, 9472.4936],
                               rtol=1e-5, atol=2e-4)
    np.testing.assert_allclose([(x ** 2).sum() for x in v],
                               [13.26, 14.56, 1846.89, 18.91, 157.17, 3742754.58],
                               rtol=1e-5, atol=1e-2)
    with pytest.raises(tf.errors.InvalidArgumentError, match="out of range"):
        run(tf.gather_nd(p, [[5, 0]]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="sorted"):
        run(tf.segment_sum(p, [1, 0, 0]))


def test_while_loop_back_prop_false_passes_no_gradient():
    x = tf.constant(2.0)
    _, y = tf.while_loop(lambda i, y: i < 3, lambda i, y: (i + 1, y * x), [0, 1.0],
                         back_prop=False)
    assert tf.gradients(y, x) == [None]


def test_layer_objects_share_variables_and_name_as_tensorflow():
    # TensorFlow 2.21 (tf.compat.v1 + tf_keras) makes exactly these variables
    x = tf.ones([2, 4, 4, 3])
    c = tf.layers.Conv2D(5, 3, padding="same", activation=tf.nn.relu)
    y1 = c(x)
    y2 = c(x * 2)
    p = tf.layers.MaxPooling2D(2, 2)(y1)
    f = tf.layers.Flatten()(p)
    d = tf.layers.Dense(4)
    z1 = d(f)
    tf.layers.dense(f, 4)
    with tf.variable_scope("block"):
        z2 = tf.layers.Dense(3, name="head")(z1)
        z3 = tf.layers.BatchNormalization()(z2, training=True)
        dr = tf.layers.Dropout(0.5)(z3, training=False)
    z4 = d(tf.ones([2, 20]))
    assert sorted(v.name for v in tf.global_variables()) == [
        "block/batch_normalization/beta:0", "block/batch_normalization/gamma:0",
        "block/batch_normalization/moving_mean:0",
        "block/batch_normalization/moving_variance:0", "block/head/bias:0",
        "block/head/kernel:0", "conv2d/bias:0", "conv2d/kernel:0", "dense/bias:0",
        "dense/kernel:0", "dense_1/bias:0", "dense_1/kernel:0"]
    assert len(tf.get_collection(tf.GraphKeys.UPDATE_OPS)) == 2
    assert [t.shape.as_list() for t in (y1, f, z2, dr)] == [[2, 4, 4, 5], [2, 20], [2, 3],
                                                            [2, 3]]
    assert [v.name for v in d.trainable_variables] == ["dense/kernel:0", "dense/bias:0"]
    assert [v.name for v in c.variables] == ["conv2d/kernel:0", "conv2d/bias:0"]
    w4, kernel = run(z4, d.variables[0])
    # a float32 sum of 20 random terms: its error is relative to the terms' size, not to
    # the sum's (which may cancel to near zero; rtol alone failed now and then)
    scale = np.abs(kernel).sum(axis=0)
    np.testing.assert_allclose(w4, np.ones((2, 20)) @ kernel.astype(np.float64),
                               rtol=1e-5, atol=float(scale.max()) * 1e-6)


def test_exponential_moving_average_matches_tensorflow():
    # TensorFlow 2.21 (tf.compat.v1) gives these names and, after 5 x (train; averages),
    # shadows [0.382861, 0.765722], 0.05998, loss average 0.667918, w [0.32768, 0.65536]
    w = tf.Variable([1.0, 2.0], name="w")
    with tf.variable_scope("s"):
        b = tf.get_variable("b", initializer=np.float32(0.5))
    loss = tf.reduce_sum(w * w) + b
    step = tf.Variable(0, trainable=False, name="step")
    ema = tf.train.ExponentialMovingAverage(0.99, num_updates=step)
    ema_op = ema.apply([w, b])
    loss_ema = tf.train.ExponentialMovingAverage(0.9, name="avg")
    loss_op = loss_ema.apply([loss])
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss, global_step=step)
    averages = tf.group(ema_op, loss_op)
    assert sorted(v.name for v in tf.global_variables()) == [
        "add/avg:0", "s/b/ExponentialMovingAverage:0", "s/b:0", "step:0",
        "w/ExponentialMovingAverage:0", "w:0"]
    assert sorted(ema.variables_to_restore()) == [
        "add/avg", "s/b/ExponentialMovingAverage", "step", "w/ExponentialMovingAverage"]
    assert ema_op.name == "ExponentialMovingAverage"
    assert [v.name for v in tf.get_collection(tf.GraphKeys.MOVING_AVERAGE_VARIABLES)] == [
        "w:0", "s/b:0"]
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        for _ in range(5):
            s.run(train)
            s.run(averages)
        got = s.run([ema.average(w), ema.average(b), loss_ema.average(loss), w])
    np.testing.assert_allclose(got[0], [0.382861, 0.765722], rtol=1e-5)
    np.testing.assert_allclose([got[1], got[2]], [0.05998, 0.667918], rtol=1e-5)
    np.testing.assert_allclose(got[3], [0.32768, 0.65536], rtol=1e-5)
    # a second apply reuses the shadow (TF 2.15's, also in graph mode: checked there)
    n = len(tf.global_variables())
    again = ema.apply([w])
    assert again.name == "ExponentialMovingAverage_1" and len(tf.global_variables()) == n

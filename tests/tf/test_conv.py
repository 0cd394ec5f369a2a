"""tf.nn.conv2d / max_pool / avg_pool against direct loops (TF's NHWC/HWIO layout and
SAME padding: the extra pixel after), gradients against finite differences."""
import math

import numpy as np
import pytest

import ndgrad.tf as tf


def naive_conv(x, w, s, padding):
    N, H, W, C = x.shape
    kh, kw, _, co = w.shape
    if padding == "SAME":
        oh, ow = math.ceil(H / s), math.ceil(W / s)
        ph = max((oh - 1) * s + kh - H, 0)
        pw = max((ow - 1) * s + kw - W, 0)
        x = np.pad(x, ((0, 0), (ph // 2, ph - ph // 2), (pw // 2, pw - pw // 2), (0, 0)))
    else:
        oh, ow = (H - kh) // s + 1, (W - kw) // s + 1
    out = np.zeros((N, oh, ow, co))
    for n in range(N):
        for i in range(oh):
            for j in range(ow):
                win = x[n, i * s:i * s + kh, j * s:j * s + kw, :]
                out[n, i, j] = np.tensordot(win, w, axes=([0, 1, 2], [0, 1, 2]))
    return out


@pytest.mark.parametrize("padding,stride", [("SAME", 1), ("SAME", 2), ("VALID", 1),
                                            ("VALID", 2)])
def test_conv2d_values_and_gradients(padding, stride):
    rng = np.random.RandomState(0)
    xv = rng.randn(2, 5, 6, 3).astype(np.float32)
    wv = rng.randn(3, 2, 3, 4).astype(np.float32)
    x = tf.placeholder(tf.float32, (None, 5, 6, 3))
    w = tf.constant(wv)
    y = tf.nn.conv2d(x, w, strides=[1, stride, stride, 1], padding=padding)
    want = naive_conv(xv.astype(np.float64), wv.astype(np.float64), stride, padding)
    assert y.get_shape().as_list() == [None] + list(want.shape[1:])
    loss = tf.reduce_sum(y * y)
    gx, gw = tf.gradients(loss, [x, w])
    with tf.Session() as s:
        got = s.run(y, {x: xv})
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-4)
        gxv, gwv = s.run([gx, gw], {x: xv})
        for (i, arr, g) in ((0, xv, gxv), (1, wv, gwv)):
            for idx in [(0, 1, 2, 1), (1, 4, 5, 2), (0, 0, 0, 0)][: 3]:
                idx = tuple(min(a, d - 1) for a, d in zip(idx, arr.shape))
                d = np.zeros_like(arr)
                d[idx] = 1e-2
                if i == 0:
                    up = s.run(loss, {x: xv + d})
                    dn = s.run(loss, {x: xv - d})
                else:
                    up = s.run(loss, {x: xv, w: wv + d})
                    dn = s.run(loss, {x: xv, w: wv - d})
                np.testing.assert_allclose(g[idx], (up - dn) / 2e-2, rtol=2e-2, atol=2e-2)


def test_pooling():
    xv = np.arange(16, dtype=np.float32).reshape(1, 4, 4, 1)
    x = tf.constant(xv)
    mp = tf.nn.max_pool(x, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="VALID")
    ap = tf.nn.avg_pool(x, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="VALID")
    ap_same = tf.nn.avg_pool(tf.ones((1, 3, 3, 1)), [1, 2, 2, 1], [1, 2, 2, 1], "SAME")
    mp_same = tf.nn.max_pool(x, [1, 3, 3, 1], [1, 2, 2, 1], "SAME")
    (g,) = tf.gradients(tf.reduce_sum(mp), x)
    (ga,) = tf.gradients(tf.reduce_sum(ap), x)
    with tf.Session() as s:
        assert s.run(mp)[0, :, :, 0].tolist() == [[5., 7.], [13., 15.]]
        assert s.run(ap)[0, :, :, 0].tolist() == [[2.5, 4.5], [10.5, 12.5]]
        assert s.run(ap_same)[0, :, :, 0].tolist() == [[1., 1.], [1., 1.]]  # pads not counted
        assert mp_same.get_shape().as_list() == [1, 2, 2, 1]
        assert s.run(mp_same)[0, :, :, 0].tolist() == [[10., 11.], [14., 15.]]
        gv = s.run(g)[0, :, :, 0]
        assert gv.sum() == 4 and gv[1, 1] == 1 and gv[3, 3] == 1
        np.testing.assert_allclose(s.run(ga), np.full((1, 4, 4, 1), 0.25))


def test_small_cnn_trains():
    tf.set_random_seed(0)
    rng = np.random.RandomState(1)
    xv = rng.randn(16, 6, 6, 1).astype(np.float32)
    yv = np.eye(2, dtype=np.float32)[(xv.mean(axis=(1, 2, 3)) > 0).astype(int)]
    x = tf.placeholder(tf.float32, [None, 6, 6, 1])
    y = tf.placeholder(tf.float32, [None, 2])
    w = tf.Variable(tf.truncated_normal([3, 3, 1, 4], stddev=0.1))
    h = tf.nn.relu(tf.nn.conv2d(x, w, [1, 1, 1, 1], "SAME"))
    h = tf.nn.max_pool(h, [1, 2, 2, 1], [1, 2, 2, 1], "SAME")
    flat = tf.reshape(h, [-1, 3 * 3 * 4])
    logits = tf.layers.dense(flat, 2)
    loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=logits))
    train = tf.train.AdamOptimizer(0.01).minimize(loss)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        first = s.run(loss, {x: xv, y: yv})
        for _ in range(30):
            s.run(train, {x: xv, y: yv})
        assert s.run(loss, {x: xv, y: yv}) < first


def test_conv2d_transpose_refuses_a_batch_other_than_its_inputs():
    """output_shape's batch must be out_backprop's (TF's Conv2DBackpropInput): a result of
    value's batch where output_shape said another was no error."""
    tf.reset_default_graph()
    v, w = tf.ones([2, 2, 2, 1]), tf.ones([2, 2, 1, 1])
    with pytest.raises(ValueError, match="same batch size"):
        tf.nn.conv2d_transpose(v, w, [3, 4, 4, 1], [1, 2, 2, 1], "VALID")
    # a batch given as a tensor is checked when run
    n = tf.placeholder(tf.int32, [])
    y = tf.nn.conv2d_transpose(v, w, [n, 4, 4, 1], [1, 2, 2, 1], "VALID")
    with tf.Session() as s:
        assert s.run(y, {n: 2}).shape == (2, 4, 4, 1)
        with pytest.raises(tf.errors.InvalidArgumentError, match="same batch size"):
            s.run(y, {n: 3})
    with pytest.raises(ValueError, match="channels"):
        tf.nn.conv2d_transpose(v, w, [2, 4, 4, 2], [1, 2, 2, 1], "VALID")
    with pytest.raises(ValueError, match="depth"):
        tf.nn.conv2d_transpose(tf.ones([2, 2, 2, 3]), w, [2, 4, 4, 1], [1, 2, 2, 1],
                               "VALID")


def test_conv2d_transpose_output_shape_as_a_stacked_tensor():
    """``tf.stack([tf.shape(x)[0], 14, 14, 4])`` (pkmital's convolutional autoencoder)
    tells its height and width when the graph is built: TF runs it, ndgrad refused it.
    Values and both gradients are TF 2.15's for this program (sums printed there: 40559.36,
    1487286.8, 1091475.2); the batch entry is read and checked when run; a shape whose
    height the graph cannot tell is a clear error."""
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, [None, 7, 7, 2])
    W = tf.constant(np.arange(3 * 3 * 4 * 2, dtype=np.float32).reshape(3, 3, 4, 2) / 10)
    y = tf.nn.conv2d_transpose(x, W, tf.stack([tf.shape(x)[0], 14, 14, 4]),
                               strides=[1, 2, 2, 1], padding="SAME")
    assert y.shape.as_list() == [None, 14, 14, 4]
    gx, gw = tf.gradients(tf.reduce_sum(y * y), [x, W])
    xv = np.arange(2 * 7 * 7 * 2, dtype=np.float32).reshape(2, 7, 7, 2) / 50
    with tf.Session() as s:
        out, a, b = s.run([y, gx, gw], {x: xv})
        ref = s.run(tf.nn.conv2d_transpose(tf.constant(xv), W, [2, 14, 14, 4],
                                           [1, 2, 2, 1], "SAME"))
    np.testing.assert_array_equal(out, ref)
    np.testing.assert_allclose([out.sum(), a.sum(), b.sum()],
                               [40559.36, 1487286.8, 1091475.2], rtol=1e-6)
    n = tf.placeholder(tf.int32, [])
    y2 = tf.nn.conv2d_transpose(x, W, tf.stack([n, 14, 14, 4]), [1, 2, 2, 1], "SAME")
    with tf.Session() as s, pytest.raises(tf.errors.InvalidArgumentError,
                                          match="same batch size"):
        s.run(y2, {x: xv, n: 3})
    hw = tf.placeholder(tf.int32, [4])
    with pytest.raises(ValueError, match="must be known when the graph is built"):
        tf.nn.conv2d_transpose(x, W, hw, [1, 2, 2, 1], "SAME")


def test_conv2d_backprop_ops_are_conv2d_gradients():
    rng = np.random.RandomState(3)
    xv, wv = rng.randn(2, 6, 5, 2), rng.randn(3, 3, 2, 3)
    for pad in ("SAME", "VALID", [[0, 0], [2, 0], [1, 1], [0, 0]]):
        tf.reset_default_graph()
        x, w = tf.constant(xv), tf.constant(wv)
        y = tf.nn.conv2d(x, w, [1, 2, 1, 1], pad)
        g = tf.constant(rng.randn(*y.shape.as_list()))
        gx, gw = tf.gradients(y, [x, w], grad_ys=g)
        bi = tf.nn.conv2d_backprop_input(tf.constant([2, 6, 5, 2]), w, g, [1, 2, 1, 1], pad)
        bf = tf.nn.conv2d_backprop_filter(x, [3, 3, 2, 3], g, [1, 2, 1, 1], pad)
        assert bi.shape.as_list() == [2, 6, 5, 2] and bf.shape.as_list() == [3, 3, 2, 3]
        with tf.Session() as s:
            a, b, c, d = s.run([gx, gw, bi, bf])
        np.testing.assert_array_equal(a, c)
        np.testing.assert_array_equal(b, d)


def test_explicit_padding_is_valid_over_the_padded_input():
    rng = np.random.RandomState(4)
    xv, wv = rng.randn(1, 5, 4, 2), rng.randn(2, 3, 2, 2)
    tf.reset_default_graph()
    y = tf.nn.conv2d(xv, wv, [1, 2, 1, 1], [[0, 0], [1, 2], [3, 0], [0, 0]])
    want = naive_conv(np.pad(xv, ((0, 0), (1, 2), (3, 0), (0, 0))), wv, 1, "VALID")[:, ::2]
    np.testing.assert_allclose(tf.Session().run(y), want, rtol=1e-12)
    for bad, msg in (([[0, 0], [-1, 0], [0, 0], [0, 0]], "nonnegative"),
                     ([[1, 0], [0, 0], [0, 0], [0, 0]], "batch and channel"),
                     ([[0, 0], [1, 1]], "four")):
        with pytest.raises(ValueError, match=msg):
            tf.nn.conv2d(xv, wv, [1, 1, 1, 1], bad)
    with pytest.raises(ValueError, match="padding must be 'SAME' or 'VALID'"):
        tf.nn.max_pool(xv, [1, 2, 2, 1], [1, 1, 1, 1], [[0, 0], [1, 1], [1, 1], [0, 0]])


def test_conv2d_backprop_filter_refuses_sizes_that_do_not_fit():
    tf.reset_default_graph()
    x, g = tf.ones([1, 4, 4, 2]), tf.ones([1, 3, 3, 5])
    with pytest.raises(ValueError, match="input depth"):
        tf.nn.conv2d_backprop_filter(x, [2, 2, 3, 5], g, [1, 1, 1, 1], "VALID")
    with pytest.raises(ValueError, match="output depth"):
        tf.nn.conv2d_backprop_filter(x, [2, 2, 2, 4], g, [1, 1, 1, 1], "VALID")
    bad = tf.nn.conv2d_backprop_filter(x, [3, 3, 2, 5], g, [1, 1, 1, 1], "VALID")
    with pytest.raises(tf.errors.InvalidArgumentError, match="out_backprop shape"):
        tf.Session().run(bad)


def test_slices_take_static_dimensions():
    x = tf.placeholder(tf.float32, [2, 8, 5, 1])
    assert x[:, 5:x.shape[1], 2:x.shape[2]].shape.as_list() == [2, 3, 3, 1]


def test_dilated_convolution_is_conv2d_with_a_filter_with_holes():
    """conv2d(dilations) equals conv2d with the filter's taps spread by zeros, for the
    value and both gradients (strides and SAME padding too)."""
    rng = np.random.RandomState(6)
    xv, wv = rng.randn(2, 9, 8, 2), rng.randn(3, 2, 2, 3)
    wd = np.zeros((5, 4, 2, 3))
    wd[::2, ::3] = wv
    tf.reset_default_graph()
    x, w, w_holes = tf.constant(xv), tf.constant(wv), tf.constant(wd)
    for pad in ("SAME", "VALID"):
        y = tf.nn.conv2d(x, w, [1, 2, 1, 1], pad, dilations=[1, 2, 3, 1])
        yd = tf.nn.conv2d(x, w_holes, [1, 2, 1, 1], pad)
        grads = tf.gradients(tf.reduce_sum(tf.sin(y)), [x, w])
        grads_d = tf.gradients(tf.reduce_sum(tf.sin(yd)), [x, w_holes])
        with tf.Session() as s:
            a, b, (gx, gw), (gxd, gwd) = s.run([y, yd, grads, grads_d])
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(gx, gxd, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(gw, gwd[::2, ::3], rtol=1e-12, atol=1e-12)


def test_dilation_arguments_are_checked():
    x, w = np.ones((1, 6, 6, 1)), np.ones((2, 2, 1, 1))
    with pytest.raises(ValueError, match="strides > 1"):
        tf.nn.convolution(x, w, "SAME", strides=[2, 2], dilation_rate=[2, 2])
    with pytest.raises(ValueError, match="dilations must be"):
        tf.nn.conv2d(x, w, [1, 1, 1, 1], "SAME", dilations=[2, 1, 1, 1])
    with pytest.raises(ValueError, match="positive"):
        tf.nn.conv2d(x, w, [1, 1, 1, 1], "SAME", dilations=[1, 0, 1, 1])
    with pytest.raises(ValueError, match="positive integer"):
        tf.nn.atrous_conv2d(x, w, 0, "SAME")


def test_depthwise_arguments_are_checked():
    x, w = np.ones((1, 6, 6, 2)), np.ones((2, 2, 2, 3))
    with pytest.raises(ValueError, match="equal strides"):
        tf.nn.depthwise_conv2d(x, w, [1, 2, 1, 1], "SAME")
    with pytest.raises(ValueError, match="strides of 1"):
        tf.nn.depthwise_conv2d(x, w, [1, 2, 2, 1], "SAME", rate=[2, 2])
    with pytest.raises(ValueError, match="input depth"):
        tf.nn.depthwise_conv2d(np.ones((1, 6, 6, 3)), w, [1, 1, 1, 1], "SAME")
    with pytest.raises(ValueError, match="out_backprop shape"):
        tf.nn.depthwise_conv2d_native_backprop_filter(x, [2, 2, 2, 3], np.ones((1, 6, 6, 6)),
                                                      [1, 1, 1, 1], "VALID")
    y = tf.nn.depthwise_conv2d(x, w, [1, 1, 1, 1], "VALID")
    assert y.shape.as_list() == [1, 5, 5, 6]


def test_new_conv_and_matrix_ops_in_both_modes(mode):
    """The conv family and the matrix/search additions give the same values in graph and
    eager mode (eager arrays have no static shapes to read: every check runs on values)."""
    x = tf.constant(np.arange(18.0).reshape(1, 3, 3, 2))
    w = tf.constant(np.ones((2, 2, 2, 1)))
    g, g1 = tf.constant(np.ones((1, 2, 2, 2))), tf.constant(np.ones((1, 2, 2, 1)))
    assert mode(tf.nn.depthwise_conv2d(x, w, [1, 1, 1, 1], "VALID"))[0, :, :, 1].tolist() == \
        [[1 + 3 + 7 + 9, 3 + 5 + 9 + 11], [7 + 9 + 13 + 15, 9 + 11 + 15 + 17]]
    assert mode(tf.nn.depthwise_conv2d_native_backprop_filter(
        x, [2, 2, 2, 1], g, [1, 1, 1, 1], "VALID")).shape == (2, 2, 2, 1)
    assert mode(tf.nn.depthwise_conv2d_native_backprop_input(
        [1, 3, 3, 2], w, g, [1, 1, 1, 1], "VALID"))[0, :, :, 0].tolist() == \
        [[1, 2, 1], [2, 4, 2], [1, 2, 1]]
    assert mode(tf.nn.conv2d_backprop_filter(x, [2, 2, 2, 1], g1, [1, 1, 1, 1],
                                             "VALID")).shape == (2, 2, 2, 1)
    assert mode(tf.nn.conv2d_backprop_input([1, 3, 3, 2], w, g1, [1, 1, 1, 1],
                                            "VALID")).shape == (1, 3, 3, 2)
    with pytest.raises((ValueError, tf.errors.InvalidArgumentError), match="out_backprop"):
        mode(tf.nn.depthwise_conv2d_native_backprop_filter(
            x, [2, 2, 2, 1], tf.constant(np.ones((1, 1, 2, 2))), [1, 1, 1, 1], "VALID"))
    assert mode(tf.matrix_set_diag(np.ones((2, 2)), [3.0, 4.0])).tolist() == [[3, 1], [1, 4]]
    assert mode(tf.matrix_transpose(x)).shape == (1, 3, 2, 3)
    assert mode(tf.searchsorted([[1.0, 2.0]], [[1.5, np.nan]])).tolist() == [[1, 0]]
    assert int(mode(tf.math.reduce_euclidean_norm(tf.constant([[1, 2, 3], [1, 1, 1]])))) == 4


def _reg(name, *arrays, **params):
    import ndgrad as nd
    from ndgrad._ops.registry import REGISTRY, apply
    return apply(REGISTRY[name], tuple(nd.asarray(a) if isinstance(a, np.ndarray) else a
                                       for a in arrays), params)


@pytest.mark.parametrize("name", [
    "tf.conv2d_backprop_filter_sized", "tf.conv2d_transpose_ensure_batch",
    "tf.depthwise_conv2d", "tf.depthwise_conv2d_backprop_input",
    "tf.depthwise_conv2d_backprop_filter", "tf.matrix_diag_part", "tf.matrix_set_diag",
    "tf.matrix_diag", "tf.tensor_scatter_nd"])
def test_new_ops_gradients_match_finite_differences(name):
    """The ops added for conv2d's and depthwise convolution's gradients, the matrix
    diagonals and the tensor scatters: first and second derivatives against central
    differences (nd.check_grads), with dilation, strides and padding where they apply."""
    import ndgrad as nd
    rng = np.random.RandomState(11)
    kw = {"strides": (1, 2, 1, 1), "padding": "SAME", "dilations": (1, 2)}
    x, w = rng.randn(2, 5, 4, 2), rng.randn(2, 2, 2, 3)
    y_shape = (2, 3, 4, 6)   # depthwise conv of x with w (C * M = 6 channels)
    fns = {
        "tf.conv2d_backprop_filter_sized": (
            lambda a, g: _reg(name, a, g, filter_shape=(2, 2, 2, 3), **kw),
            [x, rng.randn(2, 3, 4, 3)]),
        "tf.conv2d_transpose_ensure_batch": (
            lambda v: _reg(name, v, np.int32(2)) ** 2, [rng.randn(2, 3)]),
        "tf.depthwise_conv2d": (lambda a, b: _reg(name, a, b, **kw), [x, w]),
        "tf.depthwise_conv2d_backprop_input": (
            lambda g, b: _reg(name, g, np.zeros(x.shape), b, **kw),
            [rng.randn(*y_shape), w]),
        "tf.depthwise_conv2d_backprop_filter": (
            lambda g, a: _reg(name, g, a, np.zeros(w.shape), **kw),
            [rng.randn(*y_shape), x]),
        "tf.matrix_diag_part": (lambda a: _reg(name, a) ** 2, [rng.randn(2, 3, 4)]),
        "tf.matrix_set_diag": (lambda a, d: _reg(name, a, d) ** 2,
                               [rng.randn(2, 3, 4), rng.randn(2, 3)]),
        "tf.matrix_diag": (lambda d: _reg(name, d) ** 2, [rng.randn(2, 3)]),
        "tf.tensor_scatter_nd": (
            lambda t, u: sum(_reg(name, t, np.array([[1], [3], [1]]), u, kind=k) ** 2
                             for k in ("update", "add", "sub")),
            [rng.randn(4, 3), rng.randn(3, 3)]),
    }
    f, args = fns[name]

    def scalar(*a):
        return nd.sum(nd.sin(f(*a)))
    nd.check_grads(scalar, *[nd.asarray(a) for a in args], order=2, eps=1e-6, rtol=1e-4,
                   atol=1e-6)


def test_int_and_short_strides_and_windows_as_tensorflow():
    # TF reads strides and pooling windows as an int or a list of 1, 2 or 4 ints
    # (_get_sequence); ndgrad took only the 4-list (TypeError for an int). Sums and sums
    # of squares of TensorFlow 2.15.1's results and gradients (compat.v1 graph mode)
    g = tf.Graph()
    with g.as_default():
        x = tf.constant(np.arange(2 * 6 * 6 * 2, dtype=np.float64).reshape(2, 6, 6, 2) % 7)
        w = tf.constant(np.arange(3 * 3 * 2 * 4, dtype=np.float64).reshape(3, 3, 2, 4) % 5 - 2)
        outs = [tf.nn.max_pool2d(x, 2, 2, "VALID"), tf.nn.avg_pool2d(x, [3], [2], "SAME"),
                tf.nn.max_pool(x, [2, 3], [1, 2], "SAME"), tf.nn.conv2d(x, w, 2, "SAME"),
                tf.nn.conv2d(x, w, [1, 2], "VALID"), tf.nn.avg_pool(x, 3, 1, "VALID")]
        grads = tf.gradients(tf.add_n([tf.reduce_sum(o * o) for o in outs]), [x, w])
        with tf.Session() as s:
            got = s.run(outs + grads)
    want = [((2, 3, 3, 2), 190.0, 1020.0), ((2, 3, 3, 2), 105.33333333333333, 317.6280864197531),
            ((2, 6, 3, 2), 385.0, 2103.0), ((2, 3, 3, 4), -94.0, 7166.0),
            ((2, 4, 2, 4), -128.0, 6656.0), ((2, 4, 4, 2), 190.11111111111111, 575.6172839506173),
            ((2, 6, 6, 2), 4420.888888888889, 4206821.116883859),
            ((3, 3, 2, 4), -23452.0, 62128448.0)]
    for v, (shape, total, squares) in zip(got, want):
        assert v.shape == shape
        np.testing.assert_allclose([np.sum(v), np.sum(v * v)], [total, squares], rtol=1e-12)
    with pytest.raises(ValueError):
        tf.nn.max_pool2d(x, [1, 2, 2], 1, "VALID")

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

"""in_top_k, selu, swish, conv1d (+ the conv1d and 1-D pooling layers), conv2d's
backprop ops, explicit padding, dilated, depthwise and separable convolutions, matrix
diagonals, searchsorted, reduce_euclidean_norm, clip_by_average_norm, scan / foldl /
foldr with gradients, and regularizers, run under TensorFlow or ndgrad.tf. Reference
values from TensorFlow 2.21 CPU (tf.compat.v1 graph mode, tf_keras for tf.layers):

    TF_USE_LEGACY_KERAS=1 TF_ENABLE_ONEDNN_OPTS=0 BACKEND=tf \\
        python tests/tf/reference/extras_cases.py tests/tf/reference/extras_tf.json
"""
import json
import os
import sys

import numpy as np

if os.environ.get("BACKEND") == "tf":
    import tensorflow.compat.v1 as tf
    tf.disable_eager_execution()

    def l2(scale):
        # TF 1's contrib.layers.l2_regularizer(scale)
        return lambda w: tf.multiply(scale, tf.nn.l2_loss(w), name="l2_regularizer")
else:
    import ndgrad.tf as tf
    l2 = tf.contrib.layers.l2_regularizer


def values(fetches, feed=None):
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        return [np.asarray(v, np.float64).round(7).tolist() for v in s.run(fetches, feed)]


def c_in_top_k():
    p = tf.constant([[0.1, 0.5, 0.5, 0.2], [np.nan, 1., 2., 3.], [1., 1., 1., 1.],
                     [4., 3., np.inf, 1.]])
    return values([tf.cast(tf.nn.in_top_k(p, t, k), tf.float32)
                   for t, k in (([1, 0, 3, 0], 1), ([2, 3, 0, 1], 2), ([3, 1, 2, 2], 3))])


def c_activations():
    x = tf.constant(np.linspace(-3, 3, 9).astype(np.float32))
    ys = [tf.nn.selu(x), tf.nn.swish(x)]
    return values(ys + tf.gradients(ys[0], x) + tf.gradients(ys[1], x))


def c_conv1d():
    rng = np.random.RandomState(0)
    x = tf.constant(rng.randn(2, 7, 3).astype(np.float32))
    w = tf.constant(rng.randn(3, 3, 4).astype(np.float32))
    ys = [tf.nn.conv1d(x, w, 1, "SAME"), tf.nn.conv1d(x, w, 2, "VALID")]
    loss = tf.reduce_sum(ys[0] ** 2) + tf.reduce_sum(ys[1])
    return values(ys + tf.gradients(loss, [x, w]))


def c_conv_backprop():
    # conv2d's two gradients by their TF names, explicit padding pairs, and their own
    # gradients (second order), in float64 (the sums' rounding order is the kernel's)
    rng = np.random.RandomState(2)
    xv, wv = rng.randn(2, 7, 6, 3), rng.randn(3, 2, 3, 4)
    out = []
    for pad in ("SAME", "VALID", [[0, 0], [1, 2], [0, 3], [0, 0]]):
        for st in ([1, 1, 1, 1], [1, 2, 3, 1]):
            x, w = tf.constant(xv), tf.constant(wv)
            y = tf.nn.conv2d(x, w, st, pad)
            g = tf.constant(rng.randn(*y.shape.as_list()))
            bi = tf.nn.conv2d_backprop_input([2, 7, 6, 3], w, g, st, pad)
            bf = tf.nn.conv2d_backprop_filter(x, [3, 2, 3, 4], g, st, pad)
            loss = tf.reduce_sum(bi * bi) + tf.reduce_sum(bf ** 3) + tf.reduce_sum(tf.sin(y))
            out += values([y, bi, bf] + tf.gradients(loss, [x, w, g]))
    return out


def c_conv_dilated():
    # dilated (atrous) convolutions; TF's CPU kernels have no dilated backprop, so the
    # gradients are those of its space-to-batch forms (atrous_conv2d, convolution)
    rng = np.random.RandomState(5)
    x, w = tf.constant(rng.randn(2, 9, 8, 3)), tf.constant(rng.randn(3, 2, 3, 4))
    x1, w1 = tf.constant(rng.randn(2, 11, 3)), tf.constant(rng.randn(3, 3, 2))
    v, v1 = tf.constant(rng.randn(2, 5, 6, 4)), tf.constant(rng.randn(2, 5, 4))
    w2 = tf.constant(rng.randn(3, 2, 4))
    fwd = [tf.nn.conv2d(x, w, [1, 2, 3, 1], "SAME", dilations=[1, 2, 3, 1]),
           tf.nn.conv2d(x, w, [1, 1, 2, 1], "VALID", dilations=[1, 3, 1, 1])]
    ys = [tf.nn.atrous_conv2d(x, w, 2, "SAME"), tf.nn.atrous_conv2d(x, w, 3, "VALID"),
          tf.nn.convolution(x, w, "SAME", dilation_rate=[2, 3]),
          tf.nn.convolution(x1, w1, "VALID", dilation_rate=[2]),
          tf.nn.atrous_conv2d_transpose(v, w, [2, 9, 8, 3], 2, "VALID"),
          tf.nn.conv1d_transpose(v1, w2, [2, 10, 2], 2, "SAME")]
    loss = sum(tf.reduce_sum(tf.sin(y)) for y in ys)
    return values(fwd + ys + tf.gradients(loss, [x, w, x1, w1, v, v1, w2]))


def c_depthwise():
    # depthwise and separable convolutions (rate: TF's space-to-batch form), the native
    # ops' gradients by their names, and second order
    rng = np.random.RandomState(7)
    x, w = tf.constant(rng.randn(2, 9, 8, 3)), tf.constant(rng.randn(3, 2, 3, 2))
    pw = tf.constant(rng.randn(1, 1, 6, 5))
    out = []
    for kw in ({"strides": [1, 2, 2, 1], "padding": "SAME"},
               {"strides": [1, 1, 1, 1], "padding": "VALID", "rate": [2, 3]}):
        y = tf.nn.depthwise_conv2d(x, w, **kw)
        sep = tf.nn.separable_conv2d(x, w, pw, **kw)
        g = tf.constant(rng.randn(*y.shape.as_list()))
        gx, gw = tf.gradients(y, [x, w], grad_ys=g)
        loss = tf.reduce_sum(gx * gx) + tf.reduce_sum(gw ** 3) + tf.reduce_sum(tf.sin(sep))
        fetch = [y, sep, gx, gw] + tf.gradients(loss, [x, w, pw, g])
        if "rate" not in kw:
            fetch += [tf.nn.depthwise_conv2d_native_backprop_input(
                [2, 9, 8, 3], w, g, kw["strides"], kw["padding"]),
                tf.nn.depthwise_conv2d_native_backprop_filter(
                    x, [3, 2, 3, 2], g, kw["strides"], kw["padding"])]
        out += values(fetch)
    return out


def c_matrix_and_search():
    # the matrix diagonals (to second order), matrix_transpose, searchsorted (NaNs go where
    # TF's binary search sends them), reduce_euclidean_norm of integers (wrapping) and
    # complex numbers, clip_by_average_norm (and its gradient at 0), accumulate_n,
    # parallel_stack, identity_initializer
    rng = np.random.RandomState(8)
    x = tf.constant(rng.randn(2, 3, 4))
    d = tf.constant(rng.randn(2, 3))
    v = tf.constant(rng.randn(2, 4))
    md = tf.matrix_diag(v)
    dp = tf.matrix_diag_part(x)
    sd = tf.matrix_set_diag(x, d)
    loss = tf.reduce_sum(tf.sin(md) * md) + tf.reduce_sum(dp ** 3) + tf.reduce_sum(sd ** 2)
    g1 = tf.gradients(loss, [x, d, v])
    g2 = tf.gradients(tf.reduce_sum(g1[0] ** 2) + tf.reduce_sum(g1[2] ** 2), [x, v])
    seq = tf.constant([[0.0, 1.0, np.nan, 3.0], [-1.0, -1.0, 2.0, 2.0]])
    vals = tf.constant([[np.nan, 1.0, -0.0, 5.0], [-1.0, 2.0, np.inf, -np.inf]])
    t = tf.constant([[-3.0, 0.0, 0.5], [4.0, 0.0, 0.0]])
    z = tf.constant(np.zeros((2, 2), np.float32))
    cz = tf.clip_by_average_norm(z, 0.8)
    ct = tf.clip_by_average_norm(t, 0.8)
    ints = tf.constant(np.array([[100, 100], [3, 4]], np.int8))
    out = [md, dp, sd] + g1 + g2 + [
        tf.matrix_transpose(x),
        tf.real(tf.linalg.transpose(tf.constant([[1 + 2j, 3j]]), conjugate=True)),
        tf.imag(tf.linalg.transpose(tf.constant([[1 + 2j, 3j]]), conjugate=True)),
        tf.cast(tf.searchsorted(seq, vals), tf.float64),
        tf.cast(tf.searchsorted(seq, vals, side="right", out_type=tf.int64), tf.float64),
        tf.cast(tf.math.reduce_euclidean_norm(ints, axis=1), tf.float64),
        tf.math.reduce_euclidean_norm(t, axis=0, keepdims=True),
        tf.real(tf.math.reduce_euclidean_norm(tf.constant([[1 + 1j, 2, 3]]), axis=1)),
        ct, cz, tf.gradients(tf.reduce_sum(ct ** 2), t)[0], tf.gradients(cz, z)[0],
        tf.accumulate_n([d, d * 2, tf.ones_like(d)]), tf.parallel_stack([d, d + 1]),
        tf.initializers.identity(2.0)([2, 3], tf.float64)]
    return values(out)


def c_tensor_scatter():
    # tensor_scatter_nd_update / add / sub (add and sub with repeated indices) of slices
    # and elements, gradients to second order. (An update with repeated indices keeps the
    # last; TF's gradient gives the overwritten updates the cotangent too, ndgrad.tf's is
    # the derivative, zero there: tests/tf/test_conv.py checks it by finite differences)
    rng = np.random.RandomState(9)
    t = tf.constant(rng.randn(4, 3))
    out = []
    for f in (tf.tensor_scatter_nd_update, tf.tensor_scatter_nd_add,
              tf.tensor_scatter_nd_sub):
        rep = f is not tf.tensor_scatter_nd_update
        for i, u in (([[1], [3], [1 if rep else 0]], rng.randn(3, 3)),
                     ([[0, 2], [3, 1], [0, 2] if rep else [1, 1]], rng.randn(3))):
            u = tf.constant(u)
            y = f(t, tf.constant(i), u)
            g = tf.gradients(tf.reduce_sum(tf.sin(y) * y), [t, u])
            out += values([y] + g + tf.gradients(
                tf.reduce_sum(g[0] ** 2) + tf.reduce_sum(g[1] ** 2), [t, u]))
    return out


def c_conv1d_layers():
    x = tf.constant(np.random.RandomState(1).randn(2, 9, 2).astype(np.float32))
    h = tf.layers.conv1d(x, 3, 3, padding="same", activation=tf.nn.relu,
                         kernel_initializer=tf.constant_initializer(0.3),
                         bias_initializer=tf.constant_initializer(0.1))
    a = tf.layers.max_pooling1d(h, 2, 2)
    b = tf.layers.average_pooling1d(h, 3, 2, padding="same")
    names = sorted(v.name for v in tf.global_variables())
    return values([a, b] + tf.gradients(tf.reduce_sum(a) + tf.reduce_sum(b ** 2), x)) + \
        [[float(sum(map(ord, n))) for n in names]]


def c_scan():
    x = tf.constant(np.arange(1, 6, dtype=np.float32))
    w = tf.constant(0.5)
    s1 = tf.scan(lambda a, e: a * w + e, x)
    s2 = tf.scan(lambda a, e: (a[0] + e, a[1] * e), x, initializer=(tf.constant(0.0),
                                                                     tf.constant(1.0)))
    s3 = tf.scan(lambda a, e: a * w + e, x, reverse=True)
    f1 = tf.foldl(lambda a, e: a * w + e, x)
    f2 = tf.foldr(lambda a, e: a * w + e, x, initializer=tf.constant(2.0))
    loss = tf.reduce_sum(s1) + tf.reduce_sum(s2[1]) + tf.reduce_sum(s3) + f1 + f2
    return values([s1, s2[0], s2[1], s3, f1, f2] + tf.gradients(loss, [x, w]))


def c_regularizers():
    x = tf.constant(np.ones((2, 3), np.float32))
    tf.layers.dense(x, 4, kernel_initializer=tf.constant_initializer(0.5),
                    kernel_regularizer=l2(0.1))
    tf.layers.conv2d(tf.ones([1, 4, 4, 1]), 2, 3,
                     kernel_initializer=tf.constant_initializer(0.2),
                     kernel_regularizer=l2(0.01), bias_regularizer=l2(1.0),
                     bias_initializer=tf.constant_initializer(1.0))
    tf.get_variable("w", initializer=np.array([3.0, 4.0], np.float32), regularizer=l2(0.5))
    r = tf.losses.get_regularization_losses()
    return values(r + [tf.losses.get_regularization_loss()])


CASES = {k[2:]: v for k, v in dict(globals()).items() if k.startswith("c_")}


def run_all(names=None):
    res = {}
    for k, f in CASES.items():
        if names is None or k in names:
            tf.reset_default_graph()
            res[k] = f()
    return res


if __name__ == "__main__":
    with open(sys.argv[1], "w") as fh:
        json.dump(run_all(), fh)

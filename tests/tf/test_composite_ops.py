"""TF 1.13-1.15 functions composed of other ops (tf/composite_ops.py) and second names:
values, dtypes, shapes and gradients as TensorFlow 2.15.1's (compat.v1 graph mode)."""
import numpy as np

import ndgrad.tf as tf

# name -> [shape, dtype, sum, sum of squares] of TensorFlow 2.15.1's result (gx, ga, gb:
# the gradients of the sum of every float result's squares); bss: broadcast_static_shape
WANT = {
    'repeat0': [[3, 4], 'float64', 2.9862728, 5.8917653],
    'repeat_none': [[24], 'float64', 5.64843522, 9.53191728],
    'repeat1': [[3, 12], 'float64', 8.47265283, 14.29787593],
    'polyval': [[3, 4], 'float64', -16.57819994, 43.24276854],
    'nondec': [[], 'bool', 1.0, 1.0],
    'strict': [[], 'bool', 0.0, 0.0],
    'matvec': [[2, 3], 'float64', 2.91564643, 29.73842555],
    'matvec_t': [[2, 4], 'float64', -0.10941322, 6.57205136],
    'normalize0': [[3, 4], 'float64', 1.29366855, 1.0],
    'normalize1': [[3, 1], 'float64', 3.61609567, 4.76595864],
    'normalize_ord1': [[3, 4], 'float64', 1.72907153, 1.69592819],
    'tensor_diag': [[3, 4, 3, 4], 'float64', 2.82421761, 4.76595864],
    'tensor_diag_part': [[3, 4], 'float64', 5.64843522, 19.06383457],
    'relu_layer': [[3, 3], 'float64', 3.70574965, 5.69794183],
    'silu': [[3, 4], 'float64', 2.52273516, 1.34370535],
    'to_c64': [[3, 4], 'float32', 2.82421765, 4.76595856],
    'shape_n': [[3], 'int32', 9.0, 29.0],
    'img_t': [[2, 4, 3, 1], 'float64', -0.82656742, 26.8043614],
    'img_pad': [[2, 5, 2, 1], 'float64', 2.25991639, 15.42897534],
    'gx': [[3, 4], 'float64', 28.48570578, 10450.85009897],
    'ga': [[2, 3, 4], 'float64', -8.48232049, 1207.24948791],
    'gb': [[4], 'float64', -111.00191073, 5659.72469969],
    'bss': '(5, 3)',
}


def test_composite_functions_as_tensorflow():
    rng = np.random.default_rng(1)
    X, A, v = rng.standard_normal((3, 4)), rng.standard_normal((2, 3, 4)), rng.standard_normal(4)
    g = tf.Graph()
    with g.as_default():
        x = tf.placeholder(tf.float64, [3, 4])
        a = tf.placeholder(tf.float64, [2, 3, 4])
        b = tf.placeholder(tf.float64, [4])
        img = tf.reshape(a, [2, 3, 4, 1])
        ex = {
            "repeat0": tf.repeat(x, [1, 2, 0], axis=0), "repeat_none": tf.repeat(x, 2),
            "repeat1": tf.repeat(x, 3, axis=-1),
            "polyval": tf.math.polyval([b[0], tf.constant(2.0, tf.float64), b[1]], x),
            "nondec": tf.math.is_non_decreasing(tf.cumsum(tf.abs(b))),
            "strict": tf.math.is_strictly_increasing(x),
            "matvec": tf.linalg.matvec(a, b),
            "matvec_t": tf.linalg.matvec(a, x[:, 0], transpose_a=True),
            "normalize0": tf.linalg.normalize(x)[0], "normalize1": tf.linalg.normalize(x, axis=1)[1],
            "normalize_ord1": tf.linalg.normalize(x, ord=1, axis=0)[0],
            "tensor_diag": tf.linalg.tensor_diag(x),
            "tensor_diag_part": tf.linalg.tensor_diag_part(tf.linalg.tensor_diag(x) * 2.0),
            "relu_layer": tf.nn.relu_layer(x, tf.transpose(x), b[:3]), "silu": tf.nn.silu(x),
            "to_c64": tf.math.real(tf.to_complex64(x)), "shape_n": tf.shape_n([x, a])[1],
            "img_t": tf.image.transpose(img), "img_pad": tf.image.resize_with_crop_or_pad(img, 5, 2),
        }
        names = list(ex)
        loss = tf.add_n([tf.reduce_sum(tf.cast(ex[k], tf.float64) ** 2) for k in names
                         if ex[k].dtype in (tf.float64, tf.float32)])
        gr = tf.gradients(loss, [x, a, b])
        with tf.Session() as s:
            r = s.run([ex[k] for k in names] + gr, {x: X, a: A, b: v})
    for k, val in zip(names + ["gx", "ga", "gb"], r):
        val = np.asarray(val)
        shape, dt, total, squares = WANT[k]
        assert list(val.shape) == shape and str(val.dtype) == dt, k
        f = val.astype(np.float64)
        np.testing.assert_allclose([f.sum(), (f * f).sum()], [total, squares], rtol=1e-6,
                                   atol=1e-7, err_msg=k)
    assert str(tf.broadcast_static_shape(tf.TensorShape([None, 3]), tf.TensorShape([5, 1]))) \
        == WANT["bss"]


def test_space_to_depth_and_depth_to_space_as_tensorflow():
    X = np.arange(2 * 4 * 6 * 3, dtype=np.float64).reshape(2, 4, 6, 3) % 11
    g = tf.Graph()
    with g.as_default():
        x = tf.placeholder(tf.float64, [None, 4, 6, 3])
        a = tf.nn.space_to_depth(x, 2)
        b = tf.depth_to_space(tf.reshape(x, [-1, 4, 2, 9]), 3)
        c = tf.nn.depth_to_space(a, 2)
        loss = tf.reduce_sum(a * a * 0.5) + tf.reduce_sum(b * b) + tf.reduce_sum(c * 3.0)
        gx, = tf.gradients(loss, [x])
        assert a.get_shape().as_list() == [None, 2, 3, 12]
        assert b.get_shape().as_list() == [None, 12, 6, 1]
        with tf.Session() as s:
            ra, rb, rc, rg = s.run([a, b, c, gx], {x: X})
    # TensorFlow 2.15.1's first elements and sums
    assert ra.ravel()[:12].tolist() == [0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 0, 1]
    assert rb.ravel()[:12].tolist() == [0, 1, 2, 9, 10, 0, 3, 4, 5, 1, 2, 3]
    np.testing.assert_array_equal(rc, X)
    assert ra.sum() == rb.sum() == 715.0
    np.testing.assert_array_equal(rg, 3 * X + 3.0)

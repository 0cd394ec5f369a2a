"""What checking each ndgrad.tf docstring example against TensorFlow 2.15 (tf.compat.v1)
found beyond wrong values (those have tests of their own: test_tf_division_kernels.py,
test_png_decode.py): TF programs that ran there and raised here. Expected values are
TensorFlow's printed ones."""
import numpy as np
import pytest

import ndgrad.tf as tf


def test_fill_takes_a_tensor_value_and_its_gradient():
    with tf.Graph().as_default():
        w = tf.placeholder(tf.float32, [])
        y = tf.fill([2, 3], w)
        g, = tf.gradients(tf.reduce_sum(y * [1.0, 2.0, 3.0]), w)
        u8 = tf.fill([2, 2], tf.constant(128, tf.uint8))
        with tf.Session() as s:
            yv, gv = s.run([y, g], {w: 1.5})
            assert yv.tolist() == [[1.5] * 3] * 2 and yv.dtype == np.float32
            assert float(gv) == 12.0
            assert s.run(u8).tolist() == [[128, 128], [128, 128]]
        with pytest.raises(ValueError, match="rank 0"):
            tf.fill([2], tf.constant([1.0, 2.0]))


def test_broadcast_to_and_its_gradient():
    with tf.Graph().as_default():
        c = tf.constant([1.0, -0.0])
        b = tf.broadcast_to([[1.0], [2.0]], [2, 3])
        g, = tf.gradients(tf.reduce_sum(tf.broadcast_to(c, [3, 2]) * [[1.0, 2.0]]), c)
        with tf.Session() as s:
            assert s.run(b).tolist() == [[1.0] * 3, [2.0] * 3]
            assert s.run(g).tolist() == [3.0, 6.0]


def test_tf1_top_level_names():
    # tf.random_crop and tf.log_sigmoid are TF 1 top-level names (AttributeError before)
    assert tf.random_crop is tf.image.random_crop
    assert tf.log_sigmoid is tf.math.log_sigmoid
    with tf.Graph().as_default(), tf.Session() as s:
        assert s.run(tf.random_crop(tf.zeros([4, 4, 3]), [2, 2, 3])).shape == (2, 2, 3)


def test_sequence_mask_without_maxlen_takes_the_largest_length():
    # TF's: maxlen defaults to max(lengths), known when the graph runs (it raised)
    with tf.Graph().as_default():
        ln = tf.placeholder(tf.int32, [None])
        b = tf.sequence_mask(ln)
        d = tf.sequence_mask([1, 2], tf.constant(3))
        with tf.Session() as s:
            assert s.run(tf.sequence_mask([1, 3])).tolist() == [[True, False, False],
                                                                [True, True, True]]
            assert s.run(b, {ln: [2, 0, 1]}).tolist() == [[True, True], [False, False],
                                                          [True, False]]
            assert s.run(b, {ln: [0, 0]}).shape == (2, 0)
            assert s.run(d).tolist() == [[True, False, False], [True, True, False]]


def test_realdiv_and_reciprocal_have_no_integer_kernel():
    # TF's run fails for integers; ndgrad gave float (realdiv) and truncated integer
    # (reciprocal: 1 / 2 -> 0) values TF never gives. Floats as TF's
    with tf.Graph().as_default(), tf.Session() as s:
        with pytest.raises(TypeError, match="DataType int32 not in list of allowed values"):
            tf.realdiv([7, -7], 2)
        with pytest.raises(TypeError, match="DataType int32 not in list of allowed values"):
            tf.reciprocal([2, 1, -1])
        assert s.run(tf.realdiv([7.0, 1.0], [2.0, 4.0])).tolist() == [3.5, 0.25]
        assert s.run(tf.reciprocal([2.0, -4.0])).tolist() == [0.5, -0.25]
        x = tf.constant([2.0, 4.0])
        g, = tf.gradients(tf.reduce_sum(tf.realdiv(x, 2.0)), x)
        assert s.run(g).tolist() == [0.5, 0.5]

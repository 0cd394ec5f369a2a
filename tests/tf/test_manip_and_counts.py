"""tf.roll (tf.manip.roll), tf.bincount, tf.confusion_matrix (and
remove_squeezable_dimensions), tf.setdiff1d, tf.lbeta and tf.debugging.assert_shapes /
assert_proper_iterable / assert_all_finite: values, static shapes, errors and gradients.

Literal expectations were printed by TensorFlow 2.15 (``tf.compat.v1``, graph mode); where
TF 1.15 (the target) differs from TF 2.15 the test says so. Gradients are checked against
finite differences here and against TensorFlow through ``tf_scenarios``.
"""
import numpy as np
import pytest

import ndgrad.tf as tf
from ndgrad.tf.confusion_matrix import remove_squeezable_dimensions
from helpers import fd_grad_np

X = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], np.float32)


def _run(*ts, feed=None):
    with tf.Session() as s:
        return s.run(list(ts) if len(ts) > 1 else ts[0], feed)




# -- roll ---------------------------------------------------------------------------------
def test_roll_values_static_shapes_and_names():
    y = tf.roll(X, shift=[1, -4], axis=[0, 1])
    assert str(y) == 'Tensor("Roll:0", shape=(2, 3), dtype=float32)'
    assert y.op.type == "Roll"
    assert tf.manip.roll is tf.roll
    p = tf.placeholder(tf.float32, [None, 3])
    assert tf.roll(p, 1, 1).shape.as_list() == [None, 3]
    assert tf.roll(tf.placeholder(tf.float32), 1, 0).shape.ndims is None
    s = tf.placeholder(tf.int32)
    a = tf.placeholder(tf.int32)
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(y), [[5, 6, 4], [2, 3, 1]])
        # an axis named twice gets the sum of its shifts; large and negative shifts wrap
        np.testing.assert_array_equal(sess.run(tf.roll(X, [1, 1], [1, 1])),
                                      [[2, 3, 1], [5, 6, 4]])
        np.testing.assert_array_equal(sess.run(tf.roll(X, 7, -1)), [[3, 1, 2], [6, 4, 5]])
        np.testing.assert_array_equal(sess.run(tf.roll(X, s, a), {s: [2, -1], a: [1, 0]}),
                                      [[5, 6, 4], [2, 3, 1]])
        assert sess.run(tf.roll(tf.zeros([0, 3]), 1, 0)).shape == (0, 3)
        assert sess.run(tf.roll(tf.zeros([2, 0]), 1, 1)).shape == (2, 0)
        out = sess.run(tf.roll([1, 2, 3], np.int64(1), np.int64(0)))
        np.testing.assert_array_equal(out, [3, 1, 2])
        assert out.dtype == np.int32
        z = (X + 1j * X).astype(np.complex64)
        np.testing.assert_array_equal(sess.run(tf.roll(z, 1, 0)), np.roll(z, 1, 0))
        b = tf.roll(tf.constant([True, False, False]), 1, 0)
        np.testing.assert_array_equal(sess.run(b), [False, True, False])


def test_roll_matches_numpy_for_many_shifts():
    rng = np.random.default_rng(0)
    x = rng.integers(-100, 100, (4, 2, 1, 3)).astype(np.int64)
    for shift, axis in [([0, 1, -2], [1, 2, 3]), ([5, -7], [0, 3]), (3, 0), ([2], [-1])]:
        np.testing.assert_array_equal(_run(tf.roll(x, shift, axis)), np.roll(x, shift, axis))


def test_roll_errors():
    with pytest.raises(ValueError, match="Shape must be at least rank 1 but is rank 0"):
        tf.roll(7, 1, 0)
    with pytest.raises(ValueError, match="Dimension 0 in both shapes must be equal, but are "
                                         "1 and 2"):
        tf.roll(X, [1], [0, 1])
    with pytest.raises(ValueError, match="Shape must be at most rank 1 but is rank 2"):
        tf.roll(X, [[1]], 0)
    with pytest.raises(ValueError, match="Shape must be at most rank 1 but is rank 2"):
        tf.roll(X, 1, [[0]])
    with pytest.raises(TypeError, match="'shift' has DataType float32 not in list of "
                                        "allowed values: int32, int64"):
        tf.roll(X, 1.0, 0)
    with pytest.raises(TypeError, match="'axis' has DataType float32"):
        tf.roll(X, 1, 0.0)
    s = tf.placeholder(tf.int32)
    a = tf.placeholder(tf.int32)
    p = tf.placeholder(tf.float32)
    with tf.Session() as sess:
        for t, feed, msg in [(tf.roll(X, 1, 2), None, "axis 2 is out of range"),
                             # (TF reports the axis plus the rank)
                             (tf.roll(X, 1, -3), None, "axis -1 is out of range"),
                             (tf.roll(X, s, 0), {s: [1, 2]},
                              "shift and axis must have the same size"),
                             (tf.roll(X, s, a), {s: [[1]], a: 0},
                              r"shift must be a scalar or a 1-D vector. Found: \[1,1\]"),
                             (tf.roll(X, 1, a), {a: [[1]]},
                              r"axis must be a scalar or a 1-D vector. Found: \[1,1\]"),
                             (tf.roll(p, 1, 0), {p: 3.0}, "input must be 1-D or higher")]:
            with pytest.raises(tf.errors.InvalidArgumentError, match=msg):
                sess.run(t, feed)


def test_roll_gradient_is_the_cotangent_rolled_back():
    x = tf.constant(X)
    w = tf.constant(X)
    s = tf.placeholder(tf.int32)
    a = tf.placeholder(tf.int32)
    g1, = tf.gradients(tf.reduce_sum(tf.roll(x, [1, 2], [0, 1]) * w), x)
    g2, = tf.gradients(tf.reduce_sum(tf.roll(x, s, a) * w), x)
    with tf.Session() as sess:
        # TensorFlow's values
        np.testing.assert_array_equal(sess.run(g1), [[6, 4, 5], [3, 1, 2]])
        np.testing.assert_array_equal(sess.run(g2, {s: [2, -1], a: [1, 0]}),
                                      [[6, 4, 5], [3, 1, 2]])
    # finite differences (float64), and the second order (the gradient is linear in w)
    x64 = np.random.default_rng(1).normal(size=(3, 4))
    w64 = np.random.default_rng(2).normal(size=(3, 4))
    xt = tf.placeholder(tf.float64, (3, 4))
    y = tf.reduce_sum(tf.roll(xt, [1, -5], [0, 1]) ** 2 * w64)
    g, = tf.gradients(y, xt)
    want = fd_grad_np(lambda v: np.sum(np.roll(v, [1, -5], [0, 1]) ** 2 * w64), x64)
    np.testing.assert_allclose(_run(g, feed={xt: x64}), want, rtol=1e-6, atol=1e-8)
    # sum(g * w) = 2 <roll(x), w * roll(w)>: its gradient is 2 roll^-1(w * roll(w))
    gg, = tf.gradients(tf.reduce_sum(g * w64), xt)
    want = 2 * np.roll(w64 * np.roll(w64, [1, -5], [0, 1]), [-1, 5], [0, 1])
    np.testing.assert_allclose(_run(gg, feed={xt: x64}), want, rtol=1e-12)


def test_roll_eager(mode):
    x = tf.constant(X)
    np.testing.assert_array_equal(mode(tf.roll(x, [1, -4], [0, 1])), [[5, 6, 4], [2, 3, 1]])
    if mode == "eager":
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.reduce_sum(tf.roll(x, 1, 1) * tf.constant(X))
        np.testing.assert_array_equal(tape.gradient(y, x), [[2, 3, 1], [5, 6, 4]])
        with pytest.raises(tf.errors.InvalidArgumentError, match="axis 2 is out of range"):
            tf.roll(x, 1, 2)


# -- bincount -----------------------------------------------------------------------------
def test_bincount_values_dtypes_and_static_shapes():
    b = tf.bincount([1, 1, 2, 5])
    assert b.shape.as_list() == [6] and b.dtype == tf.int32
    assert tf.math.bincount is tf.bincount
    assert tf.bincount(tf.placeholder(tf.int32, [None])).shape.as_list() == [None]
    with tf.Session() as s:
        for t, want, dt in [
                (b, [0, 2, 1, 0, 0, 1], np.int32),
                (tf.bincount([1, 1, 2, 5], minlength=8, maxlength=4), [0, 2, 1, 0], np.int32),
                (tf.bincount([1, 1, 2, 5], weights=[0.5, 1.0, 2.0, 3.0]),
                 [0, 1.5, 2, 0, 0, 3], np.float32),
                (tf.bincount([1, 1, 2, 5], weights=[1, 2, 3, 4], minlength=7),
                 [0, 3, 3, 0, 0, 4, 0], np.int32),
                (tf.bincount([[1, 1], [2, 5]], dtype=tf.float64), [0, 2, 1, 0, 0, 1],
                 np.float64),
                (tf.bincount([], minlength=3), [0, 0, 0], np.int32),
                (tf.bincount([], minlength=0, dtype=np.float32), [], np.float32),
                (tf.bincount([], maxlength=3), [], np.int32),
                (tf.bincount([5], maxlength=3), [0, 0, 0], np.int32),
                # (a NumPy int64 array converts to int32, as TF 1.15's convert_to_tensor)
                (tf.bincount(np.array([3, 0], np.int64)), [1, 0, 0, 1], np.int32)]:
            got = s.run(t)
            np.testing.assert_array_equal(got, want)
            assert got.dtype == dt
        arr = np.random.default_rng(0).integers(0, 100, 1000)
        w = np.random.default_rng(1).random(1000)
        np.testing.assert_allclose(s.run(tf.bincount(arr, w)), np.bincount(arr, w))
        np.testing.assert_array_equal(s.run(tf.bincount(arr)), np.bincount(arr))


def test_bincount_errors():
    with tf.Session() as s:
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match="Input arr must be non-negative!"):
            s.run(tf.bincount([1, -1, 2]))
        # TF 1.15's weighted bincount is unsorted_segment_sum: it drops negative values
        # (TF 2's refuses them) and refuses values at or above maxlength (TF 2's skips)
        np.testing.assert_array_equal(s.run(tf.bincount([1, -1, 2], weights=[1., 2., 3.])),
                                      [0, 1, 3])
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"segment_ids\[1\] = 5 is out of range \[0, 3\)"):
            s.run(tf.bincount([1, 5, 2], weights=[1., 2., 3.], maxlength=3))
    with pytest.raises(TypeError, match="Expected int32, got 1.0"):
        tf.bincount([1.0, 2.0])
    with pytest.raises(ValueError, match="requested dtype int32 for Tensor with dtype int64"):
        tf.bincount(tf.constant([1, 2], tf.int64))
    with pytest.raises(TypeError, match="DataType bool not in list"):
        tf.bincount([1, 2], dtype=tf.bool)
    with pytest.raises(ValueError, match="weights of shape"):
        tf.bincount([1, 2], weights=[1.0])


def test_bincount_gradient_with_respect_to_weights():
    w = tf.constant([0.5, 1.0, 2.0, 3.0])
    y = tf.bincount([1, 1, 2, 5], weights=w)
    g, = tf.gradients(tf.reduce_sum(y * tf.range(6, dtype=tf.float32)), w)
    np.testing.assert_array_equal(_run(g), [1, 1, 2, 5])
    ids = np.array([3, -1, 0, 3])
    wp = tf.placeholder(tf.float64, (4,))
    c = np.arange(4.0) + 1
    g, = tf.gradients(tf.reduce_sum(tf.bincount(ids, wp) ** 2 * c), wp)
    w0 = np.array([0.3, -1.0, 2.0, 0.7])

    def f(v):
        out = np.zeros(4)
        np.add.at(out, ids[ids >= 0], v[ids >= 0])
        return np.sum(out ** 2 * c)
    np.testing.assert_allclose(_run(g, feed={wp: w0}), fd_grad_np(f, w0), rtol=1e-7)
    assert tf.gradients(tf.reduce_sum(tf.cast(tf.bincount([1, 2]), tf.float32)),
                        tf.constant(1.0)) == [None]


def test_bincount_eager(mode):
    np.testing.assert_array_equal(mode(tf.bincount([1, 1, 2, 5], minlength=7)),
                                  [0, 2, 1, 0, 0, 1, 0])


# -- confusion_matrix -----------------------------------------------------------------------
def test_confusion_matrix_values_and_shapes():
    c = tf.confusion_matrix([1, 2, 4], [2, 2, 4])
    assert str(c) == 'Tensor("confusion_matrix/ScatterNd:0", shape=(5, 5), dtype=int32)'
    assert tf.math.confusion_matrix is tf.confusion_matrix
    assert tf.confusion_matrix([1, 2], [0, 1], num_classes=3).shape.as_list() == [3, 3]
    p = tf.placeholder(tf.int32, [None])
    q = tf.placeholder(tf.int32, [None])
    n = tf.placeholder(tf.int32, [])
    assert tf.confusion_matrix(p, q, num_classes=n).shape.as_list() == [None, None]
    with tf.Session() as s:
        np.testing.assert_array_equal(s.run(c), [[0, 0, 0, 0, 0], [0, 0, 1, 0, 0],
                                                 [0, 0, 1, 0, 0], [0, 0, 0, 0, 0],
                                                 [0, 0, 0, 0, 1]])
        got = s.run(tf.confusion_matrix([0, 1, 1], [1, 1, 0], num_classes=3,
                                        dtype=tf.float32, weights=[0.5, 1.0, 2.0]))
        np.testing.assert_array_equal(got, [[0, 0.5, 0], [2, 1, 0], [0, 0, 0]])
        assert got.dtype == np.float32
        got = s.run(tf.confusion_matrix([0.7, 1.2, 1.9], [1, 1, 0], dtype=tf.int64))
        np.testing.assert_array_equal(got, [[0, 1], [1, 1]])
        assert got.dtype == np.int64
        np.testing.assert_array_equal(s.run(tf.confusion_matrix([[0], [1]], [1, 1])),
                                      [[0, 1], [0, 1]])
        np.testing.assert_array_equal(s.run(tf.confusion_matrix([0, 1], [[1], [1]])),
                                      [[0, 1], [0, 1]])
        np.testing.assert_array_equal(s.run(tf.confusion_matrix([1, 1], [1, 1],
                                                                weights=[2, 3])),
                                      [[0, 0], [0, 5]])
        e = tf.zeros([0], tf.int32)
        np.testing.assert_array_equal(s.run(tf.confusion_matrix(e, e, num_classes=2)),
                                      np.zeros((2, 2)))
        np.testing.assert_array_equal(s.run(tf.confusion_matrix(p, q, num_classes=n),
                                            {p: [0, 2], q: [2, 2], n: 3}),
                                      [[0, 0, 1], [0, 0, 0], [0, 0, 1]])


def test_confusion_matrix_errors():
    with tf.Session() as s:
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match="`labels` out of bound.*x < y"):
            s.run(tf.confusion_matrix([1, 1, 0, 3, 5], [2, 1, 0, 2, 2], num_classes=3))
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match="`predictions` out of bound.*x < y"):
            s.run(tf.confusion_matrix([1, 1, 0, 2, 2], [2, 1, 0, 3, 5], num_classes=3))
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match="`labels` contains negative values"):
            s.run(tf.confusion_matrix([1, -1], [2, 1]))
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match="`predictions` contains negative values"):
            s.run(tf.confusion_matrix([1, 1], [2, -1]))
        e = tf.zeros([0], tf.int32)
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match="Dimension -9223372036854775807 must be >= 0"):
            s.run(tf.confusion_matrix(e, e))
        p = tf.placeholder(tf.int32, [None])
        q = tf.placeholder(tf.int32, [None])
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"values\[0\].shape = \[2\] != values\[1\].shape = \[3\]"):
            s.run(tf.confusion_matrix(p, q), {p: [1, 2], q: [1, 2, 3]})
    with pytest.raises(ValueError, match="Dimension 0 in both shapes must be equal, but are "
                                         "2 and 3"):
        tf.confusion_matrix([1, 2], [1, 2, 3])
    with pytest.raises(ValueError, match=r"Shapes \(2,\) and \(3,\) are incompatible"):
        tf.confusion_matrix([1, 2], [1, 2], weights=[1, 2, 3])


def test_confusion_matrix_gradient_with_respect_to_weights():
    for wdt in (tf.float32, tf.float64):
        w = tf.constant([0.5, 1.0, 2.0], wdt)
        y = tf.confusion_matrix([0, 1, 1], [1, 1, 0], num_classes=3, dtype=tf.float32,
                                weights=w)
        g, = tf.gradients(tf.reduce_sum(y * tf.reshape(tf.range(9.0), [3, 3])), w)
        got = _run(g)
        np.testing.assert_array_equal(got, [1, 4, 3])      # TensorFlow's values
        assert got.dtype == wdt.as_numpy_dtype
    # duplicate pairs share a cell; finite differences of a nonlinear function of it
    lab, pred = np.array([0, 2, 2, 1]), np.array([1, 0, 0, 1])
    wp = tf.placeholder(tf.float64, (4,))
    c = np.arange(9.0).reshape(3, 3) - 4
    y = tf.confusion_matrix(lab, pred, num_classes=3, dtype=tf.float64, weights=wp)
    g, = tf.gradients(tf.reduce_sum(y ** 2 * c), wp)
    w0 = np.array([0.3, -1.0, 2.0, 0.7])

    def f(v):
        out = np.zeros((3, 3))
        np.add.at(out, (lab, pred), v)
        return np.sum(out ** 2 * c)
    np.testing.assert_allclose(_run(g, feed={wp: w0}), fd_grad_np(f, w0), rtol=1e-7)
    # second order: d/dw_j sum_i w0_i 2 c[cell_i] cm[cell_i] = 2 sum_i w0_i c[cell_i]
    # over the pairs i in w_j's cell
    gg, = tf.gradients(tf.reduce_sum(g * w0), wp)
    same = (lab[:, None] == lab[None, :]) & (pred[:, None] == pred[None, :])
    want = 2 * same.dot(w0 * c[lab, pred])
    np.testing.assert_allclose(_run(gg, feed={wp: w0}), want, rtol=1e-12)


def test_confusion_matrix_eager(mode):
    got = mode(tf.confusion_matrix([1, 2, 4], [2, 2, 4], num_classes=5, dtype=tf.int64))
    want = np.zeros((5, 5), np.int64)
    want[1, 2] = want[2, 2] = want[4, 4] = 1
    np.testing.assert_array_equal(got, want)
    if mode == "eager":
        with pytest.raises(tf.errors.InvalidArgumentError, match="`labels` out of bound"):
            tf.confusion_matrix([1, 7], [2, 2], num_classes=5)


@pytest.mark.parametrize("lshape,pshape,diff,lwant,pwant", [
    ((2, 3, 1), (2, 3), 0, (2, 3), (2, 3)),
    ((2, 3), (2, 3, 1), 0, (2, 3), (2, 3)),
    ((2, 3, 1), (2, 3, 1), 0, (2, 3, 1), (2, 3, 1)),
    ((2, 3, 1), (2, 3, 5), 1, (2, 3), (2, 3, 5)),
    ((2, 3, 5), (2, 3, 1), -1, (2, 3, 5), (2, 3)),
    ((2, 3, 2), (2, 3), 0, (2, 3, 2), (2, 3)),
    ((), (), 0, (), ())])
def test_remove_squeezable_dimensions_static_and_dynamic(lshape, pshape, diff, lwant,
                                                         pwant):
    lv, pv = np.ones(lshape), np.zeros(pshape)
    sl, sp = remove_squeezable_dimensions(lv, pv, expected_rank_diff=diff)
    lp = tf.placeholder(tf.float64)
    pp = tf.placeholder(tf.float64)
    dl, dp = remove_squeezable_dimensions(lp, pp, expected_rank_diff=diff)
    with tf.Session() as s:
        a, b = s.run([sl, sp])
        assert a.shape == lwant and b.shape == pwant
        feed = {lp: lv, pp: pv}
        if lwant != lshape or lshape == pshape or diff:
            assert s.run(dl, feed).shape == lwant
        if pwant != pshape or lshape == pshape or diff:
            assert s.run(dp, feed).shape == pwant


# -- setdiff1d ------------------------------------------------------------------------------
def test_setdiff1d():
    r = tf.setdiff1d([1, 2, 4, 3, 2, 3, 3, 1], [4, 2])
    assert str(r.out) == 'Tensor("ListDiff:0", shape=(?,), dtype=int32)'
    assert r.out.op.type == "ListDiff"
    with tf.Session() as s:
        out, idx = s.run(r)
        np.testing.assert_array_equal(out, [1, 3, 3, 3, 1])
        np.testing.assert_array_equal(idx, [0, 3, 5, 6, 7])
        assert out.dtype == np.int32 and idx.dtype == np.int32
        # a NaN is never in y; -0.0 is 0.0
        out, idx = s.run(tf.setdiff1d([1.0, np.nan, 2.0, np.nan, -0.0], [np.nan, 0.0],
                                      index_dtype=tf.int64))
        np.testing.assert_array_equal(out, [1, np.nan, 2, np.nan])
        np.testing.assert_array_equal(idx, [0, 1, 2, 3])
        assert idx.dtype == np.int64
        out, idx = s.run(tf.setdiff1d(tf.zeros([0], tf.int32), [1]))
        assert out.shape == (0,) and idx.shape == (0,)
        out, _ = s.run(tf.setdiff1d([b"a", b"b"], [b"b"]))
        assert list(out) == [b"a"]
        p = tf.placeholder(tf.int32)
        with pytest.raises(tf.errors.InvalidArgumentError, match="x should be a 1D vector"):
            s.run(tf.setdiff1d(p, [1]), {p: [[1, 2]]})
        with pytest.raises(tf.errors.InvalidArgumentError, match="y should be a 1D vector"):
            s.run(tf.setdiff1d([1], p), {p: [[1, 2]]})
    with pytest.raises(ValueError, match="Shape must be rank 1 but is rank 2"):
        tf.setdiff1d([[1, 2]], [1])
    with pytest.raises(TypeError, match="has type float32 that does not match type int32"):
        tf.setdiff1d(tf.constant([1, 2]), tf.constant([1.0]))
    with pytest.raises(TypeError, match="DataType int16 not in list"):
        tf.setdiff1d([1, 2], [1], index_dtype=tf.int16)
    x = tf.constant([1.0, 2.0, 3.0])
    with pytest.raises(LookupError, match="No gradient defined"):   # (TF's)
        tf.gradients(tf.reduce_sum(tf.setdiff1d(x, [2.0])[0]), x)


def test_setdiff1d_random_against_python(mode):
    rng = np.random.default_rng(3)
    for _ in range(5):
        x = rng.integers(-7, 8, rng.integers(0, 30))
        y = rng.integers(-7, 8, rng.integers(0, 30))
        out, idx = tf.setdiff1d(x, y, index_dtype=tf.int64)
        out, idx = mode(out), mode(idx)
        keep = [i for i, v in enumerate(x) if v not in y]
        np.testing.assert_array_equal(out, x[keep])
        np.testing.assert_array_equal(idx, keep)


# -- lbeta ----------------------------------------------------------------------------------
def test_lbeta_values_and_empty_conventions():
    x = tf.constant([[1.0, 2.0, 3.0], [0.5, 0.5, 4.0]], tf.float64)
    y = tf.lbeta(x)
    assert y.shape.as_list() == [2] and y.dtype == tf.float64
    assert tf.math.lbeta is tf.lbeta
    assert tf.lbeta(tf.placeholder(tf.float32, [None, 4])).shape.as_list() == [None]
    with tf.Session() as s:
        np.testing.assert_allclose(s.run(y), [-4.09434456, -0.24156448], rtol=1e-7)
        np.testing.assert_allclose(s.run(tf.lbeta([1.0, 2.0])), -0.6931472, rtol=1e-6)
        np.testing.assert_array_equal(s.run(tf.lbeta(tf.zeros([2, 0]))), [-np.inf, -np.inf])
        assert s.run(tf.lbeta(tf.zeros([0, 3]))).shape == (0,)
        np.testing.assert_array_equal(s.run(tf.lbeta([[0.5]])), [0.0])
        assert s.run(tf.lbeta([0.0, 1.0])) == np.inf
        np.testing.assert_allclose(s.run(tf.lbeta([-1.5, 1.0])), -0.40546507, rtol=1e-6)
    with pytest.raises(ValueError, match="Invalid reduction dimension -1 for input with 0 "
                                         "dimensions"):
        tf.lbeta(1.0)
    with pytest.raises(TypeError, match="DataType int32 not in list"):
        tf.lbeta([1, 2])


def test_lbeta_gradient():
    x = tf.constant([[1.0, 2.0, 3.0], [0.5, 0.5, 4.0]], tf.float64)
    g, = tf.gradients(tf.reduce_sum(tf.lbeta(x) * tf.constant([1.0, -2.0], tf.float64)), x)
    np.testing.assert_allclose(_run(g), [[-2.28333333, -1.28333333, -0.78333333],
                                         [6.93925539, 6.93925539, 0.5]], rtol=1e-8)
    z = tf.zeros([2, 0])
    g, = tf.gradients(tf.lbeta(z), z)
    assert _run(g).shape == (2, 0)
    from scipy.special import gammaln
    xp = tf.placeholder(tf.float64, (2, 3))
    x0 = np.array([[0.7, 1.3, 2.2], [3.0, 0.4, 1.1]])
    g, = tf.gradients(tf.reduce_sum(tf.lbeta(xp) ** 2), xp)
    np.testing.assert_allclose(
        _run(g, feed={xp: x0}),
        fd_grad_np(lambda v: np.sum((gammaln(v).sum(-1) - gammaln(v.sum(-1))) ** 2), x0),
        rtol=1e-6)


def test_lbeta_eager(mode):
    np.testing.assert_allclose(mode(tf.lbeta(tf.constant([1.0, 2.0], tf.float64))),
                               -0.69314718, rtol=1e-7)


# -- assert_shapes, assert_proper_iterable, assert_all_finite -------------------------------
def test_assert_shapes_static():
    x = tf.ones([3, 2], name="x")
    y = tf.ones([2, 3], name="y")
    for shapes, msg in [
            ([(x, ("N", "Q")), (y, ("N", "D"))],
             "Specified by tensor x:0 dimension 0.  Tensor y:0 dimension 0 must have size "
             "3.  Received size 2, shape (2, 3)"),
            ([(x, (2, 2)), (y, "23")],
             "Specified explicitly.  Tensor x:0 dimension 0 must have size 2.  Received "
             "size 3, shape (3, 2)"),
            ([(x, 2)], "Tensor x:0.  Specified shape must be an iterable.  An iterable has "
                       "the attribute `__iter__` or `__getitem__`.  Received specified "
                       "shape: 2"),
            ([(x, (2, Ellipsis))], "Tensor x:0 specified shape index 1.  Symbol `...` or "
                                   "`*` for a variable number of unspecified dimensions is "
                                   "only allowed as the first entry"),
            ([(x, (1, 2, 3))], "Tensor x:0 must have rank 3.  Received rank 2, shape "
                               "(3, 2)"),
            ([(tf.constant([2, 2]), ())], "must have size 1.  Received size 2")]:
        with pytest.raises(ValueError) as e:
            tf.debugging.assert_shapes(shapes)
        assert msg in str(e.value)
    with pytest.raises(ValueError, match=r"^hi\.  Specified explicitly"):
        tf.debugging.assert_shapes([(x, (3, "Q")), (y, (3, "D"))], message="hi")
    a = tf.debugging.assert_shapes({x: ("N", "Q"), y: ("Q", "N")})
    assert a.type == "NoOp"
    u = tf.constant(1)
    ok = tf.debugging.assert_shapes([(tf.ones([1, 2, 3]), ("a", "b", "c")),
                                     (tf.ones([2, 3, 1]), ("b", "c", "a")),
                                     (tf.ones([3]), ("c",)), (u, "a"),
                                     (tf.ones([4, 1, 2]), ("*", "b")),
                                     (tf.ones([1, 2, 3]), (None, 2, ".")),
                                     (tf.ones([1]), ()), (u, ())])
    assert _run(ok) is None


def test_assert_shapes_dynamic():
    p = tf.placeholder(tf.float32, [None, 2], name="p")
    q = tf.placeholder(tf.float32, [None, 3], name="q")
    r = tf.placeholder(tf.float32, None, name="r")
    a = tf.debugging.assert_shapes([(p, ("N", "Q")), (q, ("N", "D"))])
    b = tf.debugging.assert_shapes([(r, ("N", 2))])
    with tf.Session() as s:
        assert s.run(a, {p: np.ones([3, 2]), q: np.ones([3, 3])}) is None
        with pytest.raises(tf.errors.InvalidArgumentError) as e:
            s.run(a, {p: np.ones([3, 2]), q: np.ones([2, 3])})
        assert e.value.message == ("assertion failed: [] [Specified by tensor p:0 dimension "
                                   "0] [Tensor q:0 dimension] [0] [must have size] [3] "
                                   "[Received shape: ] [2 3]")
        assert s.run(b, {r: np.ones([3, 2])}) is None
        with pytest.raises(tf.errors.InvalidArgumentError) as e:
            s.run(b, {r: np.ones([3, 2, 1])})
        assert e.value.message == ("assertion failed: [] [Tensor r:0 must have rank] [2] "
                                   "[Received shape: ] [3 2 1]")
        with pytest.raises(tf.errors.InvalidArgumentError) as e:
            s.run(b, {r: np.ones([3, 3])})
        assert e.value.message == ("assertion failed: [] [Specified explicitly] [Tensor r:0 "
                                   "dimension] [1] [must have size] [2] [Received shape: ] "
                                   "[3 3]")


def test_assert_shapes_eager(mode):
    if mode == "eager":
        x = tf.ones([3, 2])
        assert tf.debugging.assert_shapes([(x, ("N", 2))]) is None
        with pytest.raises(ValueError, match="Specified explicitly.  Tensor shape=.* "
                                             "dimension 1 must have size 3"):
            tf.debugging.assert_shapes([(x, ("N", 3))])


def test_assert_proper_iterable():
    for v in (tf.constant(1), np.array([1]), "ab", b"ab",
              tf.SparseTensor([[0, 0]], [1], [2, 2])):
        with pytest.raises(TypeError, match='to be a "proper" iterable.  Found: '):
            tf.assert_proper_iterable(v)
    with pytest.raises(TypeError, match="Expected argument \"values\" to be iterable.  "
                                        "Found: <class 'int'>"):
        tf.debugging.assert_proper_iterable(1234)
    assert tf.assert_proper_iterable([tf.constant(1)]) is None
    assert tf.assert_proper_iterable(t for t in [1, 2]) is None


def test_assert_all_finite():
    assert tf.debugging.assert_all_finite is not tf.check_numerics
    ok = tf.debugging.assert_all_finite(tf.constant([1.0]), "m")
    with tf.Session() as s:
        np.testing.assert_array_equal(s.run(ok), [1.0])
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match="bad : Tensor had Inf values"):
            s.run(tf.debugging.assert_all_finite(tf.constant([1.0, np.inf]), "bad"))
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match="bad2 : Tensor had NaN values"):
            s.run(tf.debugging.assert_all_finite(x=tf.constant([1.0, np.nan]),
                                                 message="bad2"))
        with pytest.raises(tf.errors.InvalidArgumentError, match="v : Tensor had NaN"):
            s.run(tf.verify_tensor_all_finite(x=tf.constant([np.nan]), message="v"))


# -- TensorFlow itself, through a subprocess ---------------------------------------------
PROGRAM = r'''
import numpy as np
X = np.array([[0.3, -1.2, 2.0], [0.7, 1.5, -0.4]])
W = np.array([[1.0, -2.0, 0.5], [3.0, 0.25, -1.0]])


def roll_values_and_grads(tf):
    x = tf.constant(X)
    y = tf.roll(x, [1, -4], [0, 1])
    g, = tf.gradients(tf.reduce_sum(tf.sin(y) * W), x)
    with tf.Session() as s:
        return np.concatenate([s.run(y).ravel(), s.run(g).ravel()])


def roll_tensor_shift_grads(tf):
    x = tf.constant(X)
    s_, a_ = tf.placeholder(tf.int32), tf.placeholder(tf.int64)
    y = tf.roll(x, s_, a_)
    g, = tf.gradients(tf.reduce_sum(y * y * W), x)
    with tf.Session() as s:
        return s.run(g, {s_: [5, -1, 2], a_: [1, 0, 1]}).ravel()


def lbeta_values_and_grads(tf):
    x = tf.constant(np.abs(X) + 0.1)
    y = tf.lbeta(x)
    g, = tf.gradients(tf.reduce_sum(y * [1.5, -0.5]), x)
    with tf.Session() as s:
        return np.concatenate([s.run(y).ravel(), s.run(g).ravel()])


def bincount_weights_grads(tf):
    # TF 1.15's bincount with weights is unsorted_segment_sum(weights, arr, length) (TF 2's
    # DenseBincount has no gradient): compare ndgrad's bincount with that
    w = tf.constant([0.5, -1.0, 2.0, 3.0, 0.25], tf.float64)
    arr = [3, 0, 3, 1, 0]
    if tf.__name__.startswith("ndgrad"):
        y = tf.bincount(arr, weights=w)
    else:
        y = tf.unsorted_segment_sum(w, arr, 4)
    g, = tf.gradients(tf.reduce_sum(y * y * [1.0, 2.0, 3.0, 4.0]), w)
    with tf.Session() as s:
        return np.concatenate([s.run(y), s.run(g)])


def confusion_matrix_grads(tf):
    w = tf.constant([0.5, -1.0, 2.0, 3.0], tf.float64)
    y = tf.confusion_matrix([0, 2, 2, 1], [1, 0, 0, 1], num_classes=3, dtype=tf.float64,
                            weights=w)
    c = np.arange(9.0).reshape(3, 3) - 4
    g, = tf.gradients(tf.reduce_sum(tf.exp(y) * c), w)
    with tf.Session() as s:
        return np.concatenate([s.run(y).ravel(), s.run(g)])


def setdiff_values(tf):
    out, idx = tf.setdiff1d([5, 1, 5, 2, 7, -3], [5, 7, 9], index_dtype=tf.int64)
    with tf.Session() as s:
        return np.concatenate(s.run([out, tf.cast(idx, tf.int32)]))


SCENARIOS = [roll_values_and_grads, roll_tensor_shift_grads, lbeta_values_and_grads,
             bincount_weights_grads, confusion_matrix_grads, setdiff_values]
'''


def test_against_tensorflow(tf_scenarios, nd_scenarios):
    want = tf_scenarios(PROGRAM)
    got = nd_scenarios(PROGRAM)
    assert sorted(got) == sorted(want)
    for k in want:
        np.testing.assert_allclose(got[k], want[k], rtol=1e-12, atol=1e-12, err_msg=k)


def test_meshgrid_as_tensorflow():
    # TensorFlow 2.15.1's values, static shapes and gradients (compat.v1 graph mode)
    g = tf.Graph()
    with g.as_default():
        a = tf.placeholder(tf.float64, [None])
        b = tf.placeholder(tf.float64, [3])
        c = tf.constant([1., 2.], tf.float64)
        outs = tf.meshgrid(a, b, c) + tf.meshgrid(a, b, indexing="ij") + tf.meshgrid(a)
        assert [o.get_shape().as_list() for o in outs] == [
            [3, None, 2], [3, None, 2], [3, None, 2], [None, 3], [None, 3], [None]]
        loss = tf.add_n([tf.reduce_sum(o * (k + 1.0) * o) for k, o in enumerate(outs)])
        ga, gb = tf.gradients(loss, [a, b])
        with tf.Session() as s:
            r = s.run(outs + [ga, gb], {a: [0.5, -1.0, 2.0, 3.0], b: [1., 2., 3.]})
    assert r[0].shape == (3, 4, 2) and r[0][0, :3, 0].tolist() == [0.5, -1.0, 2.0]
    assert r[2][0, 0].tolist() == [1.0, 2.0] and r[3].shape == (4, 3)
    np.testing.assert_array_equal(r[6], [24.0, -48.0, 96.0, 144.0])
    np.testing.assert_array_equal(r[7], [72.0, 144.0, 216.0])
    with pytest.raises(ValueError):
        tf.meshgrid([1, 2], indexing="xx")

"""Edge cases where ndgrad.tf read values NumPy's way and TF's kernels differ (TF 2.21's
numbers): ``tf.argmax``/``argmin`` skip NaN (NumPy returns the first NaN), ``tf.lin_space``
works in its dtype (its float32 values differed in the last bit), ``tf.pad`` refuses a
mirror padding wider than the dimension (NumPy's reflect went on periodically) and a
negative one, and ``tf.negative`` refuses unsigned integers (NumPy wraps 1 to 255)."""
import numpy as np
import pytest

import ndgrad.tf as tf
from ndgrad.graph.errors import InvalidArgumentError

N = np.nan
# (values, TF's argmax, TF's argmin)
ARG = [([1., N, 2.], 2, 0), ([N, 1., 2.], 2, 1), ([2., N, 1.], 0, 2), ([N, N], 0, 0),
       ([1., 3., N, 3.], 1, 0), ([-np.inf, N], 0, 0), ([N, -1.], 1, 1),
       ([N, np.inf, 0.], 1, 2)]


@pytest.fixture(params=["graph", "eager"])
def run(request):
    if request.param == "eager":
        tf.enable_eager_execution()
        yield np.asarray
    else:
        def run(t):
            with tf.Session() as s:
                return s.run(t)
        yield run


@pytest.mark.parametrize("values,amax,amin", ARG)
def test_argmax_argmin_skip_nan(run, values, amax, amin):
    x = tf.constant(values, tf.float32)
    assert int(run(tf.argmax(x))) == amax
    assert int(run(tf.argmin(x))) == amin


def test_argmax_nan_along_axes(run):
    m = tf.constant([[1., N, 2.], [N, 0., -1.]])
    np.testing.assert_array_equal(run(tf.argmax(m, 1)), [2, 1])
    np.testing.assert_array_equal(run(tf.argmax(m, 0)), [0, 1, 0])


def test_lin_space_in_its_dtype(run):
    got = run(tf.lin_space(0.0, 1.0, 7))
    want = np.array([0.0, 0.1666666716337204, 0.3333333432674408, 0.5, 0.6666666865348816,
                     0.8333333730697632, 1.0], np.float32)   # TF's (float32 arithmetic)
    assert got.dtype == np.float32
    np.testing.assert_array_equal(got, want)
    np.testing.assert_array_equal(run(tf.lin_space(2.0, 3.0, 1)), [2.0])
    # integer bounds: float64 values (TF 2.21; they were int32 [0, 3, 6, 10])
    got = run(tf.lin_space(0, 10, 4))
    assert got.dtype == np.float64
    np.testing.assert_allclose(got, [0.0, 10 / 3, 20 / 3, 10.0], rtol=1e-15)


@pytest.mark.parametrize("mode,pads,ok", [
    ("REFLECT", [[3, 0], [0, 0]], True), ("REFLECT", [[4, 0], [0, 0]], False),
    ("SYMMETRIC", [[4, 0], [0, 0]], True), ("SYMMETRIC", [[5, 0], [0, 0]], False),
    ("CONSTANT", [[9, 0], [0, 0]], True), ("CONSTANT", [[-1, 0], [0, 0]], False)])
def test_pad_bounds(run, mode, pads, ok):
    p = np.arange(12, dtype=np.float32).reshape(4, 3)
    if ok:
        got = run(tf.pad(tf.constant(p), pads, mode=mode))
        np.testing.assert_array_equal(got, np.pad(p, pads, mode={
            "REFLECT": "reflect", "SYMMETRIC": "symmetric", "CONSTANT": "constant"}[mode]))
    else:
        with pytest.raises((ValueError, InvalidArgumentError)):
            run(tf.pad(tf.constant(p), pads, mode=mode))


def test_negative_refuses_unsigned(run):
    with pytest.raises(TypeError, match="Neg"):
        run(tf.negative(tf.constant(np.array([1], np.uint8))))
    np.testing.assert_array_equal(run(tf.negative(tf.constant([1, -2]))), [-1, 2])


# TF 2.21's tf.unique: first-occurrence order, each NaN its own value, -0.0 == 0.0
UNIQUE = [
    ([3, 1, 3, 2], "int32", [3, 1, 2], [0, 1, 0, 2], [2, 1, 1]),
    ([N, 1., N, -0.0, 0.0], "float32", [N, 1., N, -0.0], [0, 1, 2, 3, 3], [1, 1, 1, 2]),
    ([], "int32", [], [], []),
    ([7, 7, 7], "int64", [7], [0, 0, 0], [3]),
]


@pytest.mark.parametrize("x,dt,y,idx,count", UNIQUE)
def test_unique_as_tensorflows(run, x, dt, y, idx, count):
    u = tf.unique_with_counts(tf.constant(np.array(x, dtype=dt)))
    got_y, got_idx, got_count = (np.asarray(run(v)) for v in u)
    np.testing.assert_array_equal(got_y, np.array(y, dtype=dt))
    np.testing.assert_array_equal(np.signbit(got_y), np.signbit(np.array(y, dtype=dt)))
    np.testing.assert_array_equal(got_idx, idx)
    np.testing.assert_array_equal(got_count, count)
    assert got_idx.dtype == np.int32
    y2, idx2 = (np.asarray(run(v)) for v in tf.unique(tf.constant(np.array(x, dtype=dt)),
                                                        out_idx=tf.int64))
    np.testing.assert_array_equal(y2, got_y)
    assert idx2.dtype == np.int64


def test_unique_refuses_a_matrix(run):
    with pytest.raises((ValueError, InvalidArgumentError)):
        run(tf.unique(tf.constant([[1, 2]])))


def test_mean_of_nothing_is_nan_without_a_warning(run):
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = run(tf.reduce_mean(tf.zeros([0, 3]), 0))
    assert got.shape == (3,) and np.isnan(got).all()

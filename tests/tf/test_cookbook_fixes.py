"""What nfmcclure/tensorflow_cookbook's programs (compat/tf_examples, ``--suite
cookbook``) found ndgrad.tf missing, checked against TensorFlow 2.15's printed output
for the same programs."""
import numpy as np
import pytest

import ndgrad.tf as tf
from ndgrad.graph import errors


def _run(t, feed=None):
    with tf.Session() as s:
        return s.run(t, feed)


def test_cross_values_dtypes_and_gradients_are_tensorflows():
    tf.reset_default_graph()
    assert (_run(tf.cross([1., 0., 0.], [0., 1., 0.])) == [0., 0., 1.]).all()
    c = tf.cross([1, 2, 3], [4, 5, 6])
    assert c.dtype == tf.int32 and _run(c).tolist() == [-3, 6, -3]
    u8 = _run(tf.cross(np.array([1, 2, 3], np.uint8), np.array([4, 5, 6], np.uint8)))
    assert u8.dtype == np.uint8 and u8.tolist() == [253, 6, 253]   # (TF's wraparound)
    x = tf.constant([[1., 2., 3.], [0., -1., 2.]])
    y = tf.constant([[4., 5., 6.], [1., 1., 1.]])
    z = tf.reduce_sum(tf.cross(x, y) * tf.constant([[1., 2., 3.], [-1., 0.5, 2.]]))
    gx, gy = _run(tf.gradients(z, [x, y]))
    np.testing.assert_array_equal(gx, [[3., -6., 3.], [1.5, -3., 1.5]])   # TF 2.15's
    np.testing.assert_array_equal(gy, [[0., 0., 0.], [3., 2., 1.]])
    assert tf.linalg.cross is tf.cross


def test_cross_refuses_what_tensorflow_refuses():
    tf.reset_default_graph()
    with pytest.raises(ValueError, match="equal rank, but are 2 and 1"):
        tf.cross([[1., 2., 3.]], [4., 5., 6.])       # NumPy's cross would broadcast
    with pytest.raises(ValueError, match="Dimension must be 3 but is 2"):
        tf.cross([1., 2.], [3., 4.])
    with pytest.raises(TypeError, match="complex128 not in list of allowed values"):
        tf.cross([1j, 2, 3], [1, 2, 3j])
    p, q = tf.placeholder(tf.float32), tf.placeholder(tf.float32)
    c = tf.cross(p, q)
    with pytest.raises(errors.InvalidArgumentError,
                       match=r"Both inputs must be of same shape: \[1,3\] vs. \[3\]"):
        _run(c, {p: [[1., 2., 3.]], q: [1., 2., 3.]})
    with pytest.raises(errors.FailedPreconditionError, match="3-element vectors"):
        _run(c, {p: [1., 2.], q: [1., 2.]})


def test_cross_gradient_matches_finite_differences():
    tf.reset_default_graph()
    rng = np.random.default_rng(0)
    a0, b0, w = (rng.standard_normal((4, 3)) for _ in range(3))
    a, b = tf.constant(a0), tf.constant(b0)
    z = tf.reduce_sum(tf.cross(a, b) * w)
    ga, gb = _run(tf.gradients(z, [a, b]))
    f = lambda a_, b_: float(np.sum(np.cross(a_, b_) * w))  # noqa: E731
    eps = 1e-6
    for g, k in ((ga, 0), (gb, 1)):
        num = np.zeros((4, 3))
        for i in np.ndindex(4, 3):
            d = np.zeros((4, 3)); d[i] = eps
            args = [a0, b0]
            hi = [v + d if j == k else v for j, v in enumerate(args)]
            lo = [v - d if j == k else v for j, v in enumerate(args)]
            num[i] = (f(*hi) - f(*lo)) / (2 * eps)
        np.testing.assert_allclose(g, num, rtol=1e-6, atol=1e-8)


def test_cross_in_eager_mode():
    import ndgrad as nd
    with _eager():
        r = tf.cross(tf.constant([1., 0., 0.]), tf.constant([0., 1., 0.]))
        assert nd.asarray(r).tolist() == [0., 0., 1.]
        with pytest.raises(errors.InvalidArgumentError):
            tf.cross(tf.constant([[1., 2., 3.]]), tf.constant([1., 2., 3.]))


class _eager:
    def __enter__(self):
        tf.enable_eager_execution()

    def __exit__(self, *e):
        tf.disable_eager_execution()


def _ed(hi, hv, hs, ti, tv, ts, normalize=True):
    d = tf.edit_distance(tf.SparseTensor(hi, hv, hs), tf.SparseTensor(ti, tv, ts),
                         normalize=normalize)
    return d, _run(d)


# (hypothesis, truth, normalize) -> TF 2.15's static shape and value
_EDIT_CASES = [
    # the cookbook's: indices past the dense shape's last dim, a repeated index
    (([[0, 0, 0], [0, 0, 1], [0, 0, 2], [0, 0, 3]], list("bear"), [1, 1, 1]),
     ([[0, 0, 0], [0, 0, 1], [0, 0, 1], [0, 0, 3], [0, 0, 4]], list("beers"), [1, 1, 1]),
     False, (1, 1), [[2.0]]),
    # TF's docstring example: a missing truth (inf), a missing hypothesis (1)
    (([[0, 0, 0], [1, 0, 0]], ["a", "b"], [2, 1, 1]),
     ([[0, 1, 0], [1, 0, 0], [1, 0, 1], [1, 1, 0]], ["a", "b", "c", "a"], [2, 2, 2]),
     True, (2, 2), [[np.inf, 1.0], [0.5, 1.0]]),
    (([[0, 0, 0], [1, 0, 0]], ["a", "b"], [2, 1, 1]),
     ([[0, 1, 0], [1, 0, 0], [1, 0, 1], [1, 1, 0]], ["a", "b", "c", "a"], [2, 2, 2]),
     False, (2, 2), [[1.0, 1.0], [1.0, 1.0]]),
    (([[0, 0], [0, 1], [1, 0]], [1, 2, 3], [2, 2]),
     ([[0, 0], [0, 1], [0, 2], [1, 0]], [1, 5, 2, 3], [2, 3]), True, (2,), [1 / 3, 0.0]),
    (([[0, 0], [1, 0]], [1, 2], [2, 1]), ([[0, 0]], [1], [2, 1]), True, (2,), [0.0, np.inf]),
    (([[0, 0], [1, 0]], [1, 2], [2, 1]), ([[0, 0]], [1], [2, 1]), False, (2,), [0.0, 1.0]),
    # unsorted indices: TF's kernel groups them run by run
    (([[1, 0], [0, 0], [1, 1]], [1, 2, 3], [2, 2]), ([[0, 0], [1, 0], [1, 1]], [2, 1, 3],
                                                     [2, 2]), True, (2,), [np.inf, np.inf]),
    ((np.zeros((0, 2), np.int64), np.zeros(0, np.int32), [3, 2]),
     (np.zeros((0, 2), np.int64), np.zeros(0, np.int32), [2, 4]), True, (3,), [0., 0., 0.]),
]


@pytest.mark.parametrize("h, t, normalize, shape, want", _EDIT_CASES)
def test_edit_distance_is_tensorflows(h, t, normalize, shape, want):
    tf.reset_default_graph()
    d, got = _ed(*h, *t, normalize=normalize)
    assert d.dtype == tf.float32 and d.shape.as_list() == list(shape)
    assert got.dtype == np.float32
    np.testing.assert_array_equal(got, np.array(want, np.float32))


def test_edit_distance_refuses_what_tensorflow_refuses():
    tf.reset_default_graph()
    with pytest.raises(errors.InternalError, match=r"inner product 5 .*\(max elements 2\)"):
        _ed([[5, 0]], [1], [2, 2], [[0, 0]], [1], [2, 2])
    with pytest.raises(errors.InternalError, match="inner product -1 "):
        _ed([[-1, 0]], [1], [2, 2], [[0, 0]], [1], [2, 2])
    with pytest.raises(ValueError, match="rank at least 2, but hypothesis_shape rank is: 1"):
        _ed([[0]], [1], [2], [[0]], [1], [2])
    with pytest.raises(ValueError, match="does not match truth_shape: 2 vs. 3"):
        _ed([[0, 0]], [1], [2, 2], [[0, 0, 0]], [1], [2, 2, 2])
    with pytest.raises(TypeError, match="type float32 that does not match type int32"):
        _ed([[0, 0]], [1], [2, 2], [[0, 0]], [1.], [2, 2])
    with pytest.raises(TypeError, match="Hypothesis must be a SparseTensor"):
        tf.edit_distance(tf.constant([1]), tf.SparseTensor([[0]], [1], [1]))
    h, t = tf.sparse_placeholder(tf.int32), tf.sparse_placeholder(tf.int32)
    d = tf.edit_distance(h, t)
    assert d.shape.ndims is None
    for hv, tv, msg in [
            (([[0, 0, 0]], [1], [1, 1, 1]), ([[0, 0]], [1], [1, 1]),
             r"matching ranks, but their shapes are: \[2\] and \[3\]"),
            (([[0, 0]], [1, 2], [1, 1]), ([[0, 0]], [1], [1, 1]),
             r"hypothesis_values.NumElements == #rows\(hypothesis_indices\), their shapes "
             r"are: \[2\] and \[1,2\]"),
            (([[0, 0]], [1], [1, 1, 1]), ([[0, 0]], [1], [1, 1]),
             r"hypothesis_shape.NumElements == #cols\(hypothesis_indices\)")]:
        with pytest.raises(errors.InvalidArgumentError, match=msg):
            _run(d, {h: hv, t: tv})
    assert _run(d, {h: ([[0, 0], [0, 1]], [1, 2], [1, 2]), t: ([[0, 0]], [1], [1, 1])}) == [1.]


def test_sparse_placeholder_feeds_and_shapes_are_tensorflows():
    tf.reset_default_graph()
    hp = tf.sparse_placeholder(tf.string)
    tp = tf.sparse_placeholder(tf.string, shape=[None, 1, None])
    assert hp.indices.shape.as_list() == [None, None] and hp.dense_shape.shape.as_list() == [None]
    assert tp.indices.shape.as_list() == [None, 3] and tp.dense_shape.shape.as_list() == [3]
    assert tp.dense_shape.op.type == "Placeholder"
    fp = tf.sparse_placeholder(tf.float32, shape=[3, 4], name="fp")
    assert [fp.indices.name, fp.values.name, fp.dense_shape.name] == \
        ["fp/indices:0", "fp/values:0", "fp/shape:0"]
    assert fp.dense_shape.op.type == "PlaceholderWithDefault"
    assert tf.sparse.placeholder is tf.sparse_placeholder
    d = tf.edit_distance(hp, tp)
    # bytes and str values are the same strings (TF converts both)
    got = _run(d, {hp: tf.SparseTensorValue([[0, 0, 0], [0, 0, 1], [1, 0, 0]],
                                            [b"a", b"b", b"c"], [2, 1, 2]),
                   tp: ([[0, 0, 0], [1, 0, 0], [1, 0, 1]], ["a", "c", "d"], [2, 1, 2])})
    assert got.tolist() == [[1.0], [0.5]]
    dense = tf.sparse_tensor_to_dense(fp)
    want = [[0., 1., 0., 0.], [0., 0., 0., 0.], [0., 0., 0., 2.]]
    assert _run(dense, {fp: ([[0, 1], [2, 3]], [1., 2.], [3, 4])}).tolist() == want
    assert _run(dense, {fp: ([[0, 1], [2, 3]], [1., 2.])}).tolist() == want  # the default
    with pytest.raises(errors.InvalidArgumentError, match="You must feed a value"):
        _run(d, {hp: tf.SparseTensorValue([[0, 0, 0]], ["x"], [1, 1, 1])})
    with pytest.raises(TypeError, match="SparseTensorValue or an"):
        _run(dense, {fp: np.zeros((3, 4), np.float32)})


def test_grouped_assignments_read_the_values_from_before_the_run():
    """The cookbook's Lotka-Volterra program updates X and Y with ``tf.group(X.assign(X2),
    Y.assign(Y2))``, where Y2 reads X: TF's result races (its printed populations changed
    from run to run); ndgrad.tf's run reads the values from before it, the simultaneous
    Euler step, bit for bit NumPy's."""
    tf.reset_default_graph()
    X, Y = tf.Variable(tf.constant(1.0)), tf.Variable(tf.constant(1.0))
    a, b, c, d, dt = (tf.placeholder(tf.float32, shape=()) for _ in range(5))
    X2 = X + (a * X + b * X * Y) * dt
    Y2 = Y + (c * Y + d * X * Y) * dt
    step = tf.group(X.assign(X2), Y.assign(Y2))
    f = np.float32
    x = y = f(1.0)
    pa, pb, pc, pd, pt = f(2 / 3), f(-4 / 3), f(-1.0), f(1.0), f(0.01)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        for i in range(300):
            step.run({a: 2 / 3, b: -4 / 3, c: -1.0, d: 1.0, dt: 0.01}, session=s)
            x, y = x + (pa * x + pb * x * y) * pt, y + (pc * y + pd * x * y) * pt
            if i % 100 == 99:
                assert s.run([X, Y]) == [x, y]


@pytest.mark.parametrize("h, t, normalize, shape, want", _EDIT_CASES)
def test_edit_distance_in_eager_mode(h, t, normalize, shape, want):
    with _eager():
        d = tf.edit_distance(tf.SparseTensor(*h), tf.SparseTensor(*t), normalize=normalize)
        got = np.asarray(d)
    assert got.dtype == np.float32 and got.shape == tuple(shape)
    np.testing.assert_array_equal(got, np.array(want, np.float32))


def test_edit_distance_errors_in_eager_mode():
    with _eager():
        with pytest.raises(errors.InternalError, match="inner product 5"):
            tf.edit_distance(tf.SparseTensor([[5, 0]], [1], [2, 2]),
                             tf.SparseTensor([[0, 0]], [1], [2, 2]))
        with pytest.raises(TypeError, match="does not match type int32"):
            tf.edit_distance(tf.SparseTensor([[0, 0]], [1], [2, 2]),
                             tf.SparseTensor([[0, 0]], [1.], [2, 2]))


def test_sparse_tensor_to_dense_in_eager_mode():
    """It raised an AttributeError on eager values; now the graph's values and errors."""
    with _eager():
        sp = tf.SparseTensor([[0, 1], [2, 0]], [5., 6.], [3, 2])
        got = np.asarray(tf.sparse_tensor_to_dense(sp, default_value=-1.))
        assert got.tolist() == [[-1., 5.], [-1., -1.], [6., -1.]] and got.dtype == np.float32
        with pytest.raises(errors.InvalidArgumentError, match=r"indices\[1\] is out of bounds"):
            tf.sparse_tensor_to_dense(tf.SparseTensor([[0, 1], [3, 0]], [5., 6.], [3, 2]))
    tf.reset_default_graph()
    with pytest.raises(errors.InvalidArgumentError, match=r"indices\[1\] is out of bounds"):
        _run(tf.sparse_tensor_to_dense(tf.SparseTensor([[0, 1], [3, 0]], [5., 6.], [3, 2])))

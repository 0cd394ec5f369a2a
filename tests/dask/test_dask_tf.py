"""``ndgrad.tf`` plans fed with Dask arrays: the fetches are lazy Dask arrays until
``.compute()``, and equal the NumPy-fed run's values (forward and ``tf.gradients``)."""
import numpy as np
import pytest

pytest.importorskip("dask")
da = pytest.importorskip("dask.array")
import dask  # noqa: E402

import ndgrad as nd  # noqa: E402
import ndgrad.tf as tf  # noqa: E402
from dask_helpers import CountingScheduler  # noqa: E402


def test_session_run_with_dask_feeds_is_lazy_and_equals_numpy_feeds():
    rng = np.random.default_rng(0)
    xh = rng.normal(size=(40, 3)).astype(np.float32)
    yh = rng.normal(size=(40, 1)).astype(np.float32)
    g = tf.Graph()
    with g.as_default():
        x = tf.placeholder(tf.float32, [None, 3])
        y = tf.placeholder(tf.float32, [None, 1])
        w = tf.Variable(np.arange(3.0, dtype=np.float32).reshape(3, 1) / 3, name="w")
        b = tf.Variable(0.5, name="b")
        pred = tf.nn.sigmoid(tf.matmul(x, w) + b)
        loss = tf.reduce_mean(tf.square(pred - y)) + 0.1 * tf.reduce_sum(tf.abs(w))
        gw, gb = tf.gradients(loss, [w, b])
        init = tf.global_variables_initializer()
    with tf.Session(graph=g) as sess:
        sess.run(init)
        ref = sess.run([pred, loss, gw, gb], {x: xh, y: yh})
        counter = CountingScheduler()
        with dask.config.set(scheduler=counter):
            feeds = {x: da.from_array(xh, chunks=(15, 3)), y: nd.asarray(yh, device="dask",
                                                                          chunks=15)}
            out = sess.run([pred, loss, gw, gb], feeds)
            assert counter.calls == 0
            assert all(isinstance(o, da.Array) for o in out)
            got = dask.compute(*out)
        assert counter.calls == 1
    for a, r in zip(got, ref):
        assert np.asarray(a).dtype == np.asarray(r).dtype
        np.testing.assert_allclose(a, r, rtol=2e-6, atol=1e-7)


def test_a_dask_feed_of_the_wrong_shape_is_refused():
    g = tf.Graph()
    with g.as_default():
        x = tf.placeholder(tf.float32, [None, 3])
        s = tf.reduce_sum(x)
    with tf.Session(graph=g) as sess:
        with pytest.raises(ValueError, match=r"shape \(4, 2\).*\(\?, 3\)"):
            sess.run(s, {x: da.ones((4, 2), chunks=2)})
        # and a float64 Dask feed is cast to the placeholder's float32, lazily
        r = sess.run(s, {x: da.ones((4, 3), chunks=2, dtype=np.float64)})
        assert isinstance(r, da.Array) and r.dtype == np.float32 and float(r.compute()) == 12


def test_a_dask_fed_training_step_updates_the_variables_as_a_numpy_fed_one():
    xh = np.arange(6, dtype=np.float32).reshape(3, 2)
    results = []
    for feed in (xh, da.from_array(xh, chunks=2)):
        g = tf.Graph()
        with g.as_default():
            x = tf.placeholder(tf.float32, [None, 2])
            w = tf.Variable(np.ones((2, 1), np.float32))
            loss = tf.reduce_sum(tf.matmul(x, w) ** 2)
            train = tf.train.GradientDescentOptimizer(0.01).minimize(loss)
            init = tf.global_variables_initializer()
        with tf.Session(graph=g) as sess:
            sess.run(init)
            for _ in range(3):
                sess.run(train, {x: feed})
            results.append(np.asarray(sess.run(w)))
    assert type(results[1]) is np.ndarray
    np.testing.assert_allclose(results[1], results[0], rtol=1e-6)

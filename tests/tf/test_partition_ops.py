"""``dynamic_partition`` and ``dynamic_stitch`` (partition_ops.py): the program below
printed this text under TF 2.15 (``tensorflow.compat.v1``): static shapes, values,
gradients, and the errors' types for shapes that do not fit. ndgrad.tf must print the
same. Then what TensorFlow does not pin: second derivatives (the gradient ops' own rules)
against finite differences, eager mode, and the one deliberate departure: a stitched
slice that a later index overwrites reaches no output, so its gradient is zero (TF 2.15
gives it the overwriting row's cotangent)."""

import numpy as np
import pytest

import ndgrad.tf as tf
from helpers import fd_grad_np
from tf_printed import printed

PROGRAM = 'rng = np.random.RandomState(2)\ndata = tf.constant(rng.randn(6, 3).astype(np.float32))\nparts = tf.constant([1, 0, 2, 1, 0, 1])\np = tf.dynamic_partition(data, parts, 3)\np2 = tf.dynamic_partition(tf.constant(rng.randn(2, 3, 2)), [[0, 1, 0], [1, 1, 0]], 2)\nw = [tf.constant(rng.randn(2, 3).astype(np.float32)), tf.constant(rng.randn(3, 3).astype(np.float32)), tf.constant(rng.randn(1, 3).astype(np.float32))]\nloss = tf.add_n([tf.reduce_sum(q * wi) for q, wi in zip(p, w)])\ngd = tf.gradients(loss, data)[0]\ng_partial = tf.gradients(tf.reduce_sum(p[1] * 2.0), data)[0]\nidx = [tf.constant([0, 4]), tf.constant([[1, 3], [2, 5]])]\nvals = [tf.constant(rng.randn(2, 2).astype(np.float32)), tf.constant(rng.randn(2, 2, 2).astype(np.float32))]\nst = tf.dynamic_stitch(idx, vals)\nws = tf.constant(rng.randn(6, 2).astype(np.float32))\ngs = tf.gradients(tf.reduce_sum(st * ws), vals)\nst_gap = tf.dynamic_stitch([[0, 5], [2]], [[1., 2.], [3.]])\nprint(p[0].shape, p[1].shape, p2[0].shape, st.shape, st_gap.shape)\nwith tf.Session() as s:\n    for r in s.run(p + p2 + [gd, g_partial, st, st_gap] + gs):\n        print(r.shape, r.dtype, np.round(r.ravel()[:5], 5).tolist(), round(float(r.sum()), 4))\nfor f in [lambda: tf.dynamic_partition(data, [0, 1, 2], 3), lambda: tf.dynamic_stitch([[0], [1]], [[1.], [[2.]]])]:\n    try:\n        with tf.Session() as s: s.run(f())\n        print("no error")\n    except Exception as e: print(type(e).__name__)\n'

TF_2_15_OUTPUT = '(?, 3) (?, 3) (?, 2) (6, 2) (6,)\n(2, 3) float32 [1.6402699947357178, -1.7934399843215942, -0.8417500257492065, 0.0415400005877018, -1.1179300546646118] -1.5322\n(3, 3) float32 [-0.41675999760627747, -0.05626999959349632, -2.136199951171875, -0.9090099930763245, 0.5514500141143799] -0.1149\n(1, 3) float32 [0.5028799772262573, -1.2452900409698486, -1.0579500198364258] -1.8004\n(3, 2) float64 [-0.74787, 0.00903, 0.25657, -0.98878, -1.42122] -3.0458\n(3, 2) float64 [-0.87811, -0.15643, -0.33882, -0.23618, -0.63766] -3.4348\n(6, 3) float32 [0.5018600225448608, -0.8442100286483765, 9.999999747378752e-06, -0.2690599858760834, 2.231369972229004] 3.6823\n(6, 3) float32 [2.0, 2.0, 2.0, 0.0, 0.0] 18.0\n(6, 2) float32 [-0.8291400074958801, 0.08771000057458878, -0.3756699860095978, -0.07446999847888947, -0.6346799731254578] -0.6292\n(6,) float32 [1.0, 0.0, 3.0, 0.0, 0.0] 6.0\n(2, 2) float32 [-0.4193199872970581, -0.1323300004005432, 0.5242999792098999, 0.7352799773216248] 0.7079\n(2, 2, 2) float32 [-0.039570000022649765, 0.32600000500679016, -0.6776800155639648, -1.4394400119781494, -2.0403199195861816] -3.6355\nValueError\nValueError\n'


def test_partition_and_stitch_print_what_tensorflow_prints():
    assert printed(PROGRAM) == TF_2_15_OUTPUT


def test_an_overwritten_slice_gets_no_gradient():
    """TF 2.15 prints [10, 100] and [100] for these gradients: it gathers the cotangent
    at every index, also at a[1], which b[0] overwrites. The finite difference of a[1]
    is 0."""
    with tf.Graph().as_default():
        a = tf.placeholder(tf.float64, [2])
        b = tf.constant([3.0], tf.float64)
        loss = tf.reduce_sum(tf.dynamic_stitch([[0, 1], [1]], [a, b]) *
                             np.array([10.0, 100.0]))
        g = tf.gradients(loss, [a, b])
        with tf.Session() as s:
            ga, gb = s.run(g, {a: [1.0, 2.0]})
            f = lambda v: s.run(loss, {a: v})
            fd = [(f([1.0 + 1e-6 * (k == 0), 2.0 + 1e-6 * (k == 1)]) - f([1.0, 2.0])) / 1e-6
                  for k in range(2)]
    np.testing.assert_array_equal(ga, [10.0, 0.0])
    np.testing.assert_array_equal(gb, [100.0])
    np.testing.assert_allclose(ga, fd, atol=1e-6)


def test_second_derivatives_match_finite_differences():
    """The gradient ops' own rules: d/dw of <grad_x(<op(x), w>), v> for partition and
    stitch, against finite differences in w (both are linear, so this is the adjoint's
    adjoint: the op itself)."""
    rng = np.random.default_rng(5)
    x0 = rng.standard_normal((5, 2))
    v0 = rng.standard_normal((5, 2))
    with tf.Graph().as_default():
        x = tf.constant(x0)
        v = tf.constant(v0)
        ws = [tf.placeholder(tf.float64, [None, 2]) for _ in range(3)]
        parts = tf.dynamic_partition(x, [2, 0, 1, 2, 0], 3)
        gx = tf.gradients(tf.add_n([tf.reduce_sum(p * w) for p, w in zip(parts, ws)]), x)[0]
        second = tf.gradients(tf.reduce_sum(gx * v), ws)
        w0 = [rng.standard_normal((2, 2)), rng.standard_normal((1, 2)),
              rng.standard_normal((2, 2))]
        with tf.Session() as s:
            got = s.run(second, dict(zip(ws, w0)))
            for k in range(3):
                def f(wk, k=k):
                    feed = dict(zip(ws, w0))
                    feed[ws[k]] = wk
                    return float(np.sum(s.run(gx, feed) * v0))
                np.testing.assert_allclose(got[k], fd_grad_np(f, w0[k]), rtol=1e-6, atol=1e-8)
        # stitch: data d0 (2 rows) and d1 (2 rows), row 3 written twice (d1 wins)
        d = [tf.placeholder(tf.float64, [2, 2]), tf.placeholder(tf.float64, [2, 2])]
        w = tf.placeholder(tf.float64, [4, 2])
        st = tf.dynamic_stitch([[0, 3], [1, 3]], d)
        gd = tf.gradients(tf.reduce_sum(st * w), d)
        second = tf.gradients(tf.reduce_sum(gd[0] * v0[:2]) + tf.reduce_sum(gd[1] * v0[2:4]),
                              w)[0]
        d0 = [rng.standard_normal((2, 2)), rng.standard_normal((2, 2))]
        wv = rng.standard_normal((4, 2))
        with tf.Session() as s:
            feed = {d[0]: d0[0], d[1]: d0[1], w: wv}
            got = s.run(second, feed)
            f = lambda ww: float(sum(np.sum(g * vv) for g, vv in zip(
                s.run(gd, {d[0]: d0[0], d[1]: d0[1], w: ww}), (v0[:2], v0[2:4]))))
            np.testing.assert_allclose(got, fd_grad_np(f, wv), rtol=1e-6, atol=1e-8)
            np.testing.assert_array_equal(s.run(gd, feed)[0][1], 0.0)   # (overwritten)


def test_eager_mode():
    tf.enable_eager_execution()
    try:
        x = tf.Variable([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
        with tf.GradientTape() as tape:
            p0, p1 = tf.dynamic_partition(x, [1, 0, 1], 2)
            st = tf.dynamic_stitch([[1, 0], [2]], [p1 * 2.0, p0])
            loss = tf.reduce_sum(st * [[1.0], [10.0], [100.0]])
        np.testing.assert_array_equal(np.asarray(st), [[10, 12], [2, 4], [3, 4]])
        np.testing.assert_array_equal(np.asarray(tape.gradient(loss, x)),
                                      [[20, 20], [100, 100], [2, 2]])
    finally:
        tf.disable_eager_execution()


def test_bad_partitions_are_refused_when_run():
    with tf.Graph().as_default():
        p = tf.placeholder(tf.int32, [None])
        parts = tf.dynamic_partition([1.0, 2.0, 3.0], p, 2)
        with tf.Session() as s:
            with pytest.raises(tf.errors.InvalidArgumentError,
                               match=r"partitions\[1\] = 2 is not in \[0, 2\)"):
                s.run(parts, {p: [0, 2, 1]})
            with pytest.raises(tf.errors.InvalidArgumentError, match="start with"):
                s.run(parts, {p: [0, 1]})


def test_a_repeated_index_inside_one_input_keeps_its_last_value():
    """TF writes each input's rows in order: the last of a repeated index wins, also
    inside one input (NumPy's fancy assignment promises no order, so only the winners
    are written), and only the winner gets a gradient."""
    with tf.Graph().as_default():
        d = tf.constant([[1.0, 2.0, 3.0]])
        st = tf.dynamic_stitch([[[2, 0, 2]]], [tf.reshape(d, [1, 3])])
        g = tf.gradients(tf.reduce_sum(st * [10.0, 0.0, 100.0]), d)[0]
        with tf.Session() as s:
            assert s.run(st).tolist() == [2.0, 0.0, 3.0]
            assert s.run(g).tolist() == [[0.0, 10.0, 100.0]]

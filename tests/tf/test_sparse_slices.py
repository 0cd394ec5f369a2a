"""Optimizers on a gradient that reaches a variable only through gathers (an embedding,
TF's IndexedSlices) update from the gathers' cotangents without the dense gradient
(train.py ``_apply_slices``), with TF 1's sparse arithmetic: plain SGD's
``var.scatter_sub(values * lr)`` -- each index's row updated in the indices' order, a
repeated index once per occurrence -- and Adam's ``_apply_sparse_shared`` (duplicates
summed, ``m * beta1`` then ``(1 - beta1) * g`` added at the rows ...).

ndgrad updated with the dense gradient, ``var - lr * (v1 + v2)`` for an index met twice,
where TF computes ``(var - lr * v1) - lr * v2``: up to 24 ulps apart after one step on a
random embedding batch, and every step made and wrote the whole table (CS20's word2vec:
30 s here against TF's 9 s; now 4 s). Adam used its dense kernel's arithmetic (``m +=
(g - m)(1 - beta1)``): 24 ulps from TF after three steps. The expected bits are TF
2.15's (``tf.compat.v1``, ref variables, CPU) for the program in ``_train``; the same
check with Momentum, Ftrl and Adadelta (TF's sparse kernels) gave TF's bits too, while
Adagrad, RMSProp and ProximalAdagrad are a few ulps off (TF's kernels use Eigen's
``rsqrt``, which is not correctly rounded).
"""
import numpy as np
import pytest

import ndgrad.tf as tf
from ndgrad.graph.gradients import sparse_slices

E0 = (np.arange(12, dtype=np.float32).reshape(4, 3) / 7.0).astype(np.float32)
IDS = [1, 1, 3, 1, 0]
W = (np.arange(15, dtype=np.float32).reshape(5, 3) / 3.0 - 2.0).astype(np.float32)
# TF 2.15's table after three steps, as int32 bits
TF_BITS = [[-1072819077, -1071866370, -1070913665], [1076462130, 1071069454, 1060559726],
           [1062956471, 1065353216, 1066551589], [1067749961, 1065844549, 1062525056]]


def _reference(steps=3, lr=np.float32(0.37)):
    """TF's ScatterSub semantics in NumPy: one row update per index, in order."""
    e = E0.copy()
    for _ in range(steps):
        for i, w in zip(IDS, W):
            e[i] = e[i] - w * lr
    return e


def _train(lookup=tf.nn.embedding_lookup, steps=3, opt=None):
    g = tf.Graph()
    with g.as_default():
        E = tf.Variable(E0)
        loss = tf.reduce_sum(lookup(E, IDS) * W)
        opt = opt() if opt is not None else tf.train.GradientDescentOptimizer(0.37)
        train = opt.minimize(loss)
        with tf.Session() as s:
            s.run(tf.global_variables_initializer())
            for _ in range(steps):
                s.run(train)
            return s.run(E)


def test_tensorflows_bits_and_order_of_duplicates():
    got = _train()
    assert got.view(np.int32).tolist() == TF_BITS
    np.testing.assert_array_equal(got, _reference())
    np.testing.assert_array_equal(_train(tf.gather), got)
    np.testing.assert_array_equal(got[2], E0[2])      # a row no id reached: untouched
    # the summed gradient at once is a different number (the old dense update)
    dense = E0.copy()
    G = np.zeros_like(E0)
    np.add.at(G, IDS, W)
    for _ in range(3):
        dense = dense - G * np.float32(0.37)
    assert not np.array_equal(dense, got)


def test_update_reads_the_slices_not_the_dense_gradient():
    E = tf.Variable(E0)
    loss = tf.reduce_sum(tf.nn.embedding_lookup(E, IDS) * W)
    opt = tf.train.GradientDescentOptimizer(0.37)
    (grad, var), = opt.compute_gradients(loss)
    values, rows = sparse_slices(grad)
    train = opt.apply_gradients([(grad, var)])
    ops = tf.get_default_graph().get_operations()
    upd = [o for o in ops if o.type == "ScatterSub"]
    assert len(upd) == 1 and grad not in upd[0].inputs and rows in upd[0].inputs
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        before = s.run(E)                   # a fetched value is the caller's: kept
        _, after, dense = s.run([train, E, grad])   # (TF 1: a fetched ref variable's
        np.testing.assert_array_equal(before, E0)    # value after the run)
        np.testing.assert_array_equal(after, s.run(E))
        G = np.zeros_like(E0)
        np.add.at(G, IDS, W)
        np.testing.assert_array_equal(dense, G)     # the dense gradient, when fetched


def test_a_bad_index_is_an_error_and_writes_nothing():
    E = tf.Variable(E0)
    ids = tf.placeholder(tf.int32, [None])
    train = tf.train.GradientDescentOptimizer(0.5).minimize(
        tf.reduce_sum(tf.gather(E, ids) * 2.0))
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        with pytest.raises(tf.errors.InvalidArgumentError, match="indices"):
            s.run(train, {ids: [0, 9]})
        np.testing.assert_array_equal(s.run(E), E0)
        s.run(train, {ids: [3, 3]})
        np.testing.assert_array_equal(s.run(E)[3], E0[3] - 2 * np.float32(1.0))


def test_two_lookups_and_transformed_gradients():
    """Two gathers of one table: both slices, concatenated (the ids of the first term
    first); a gradient the program changed (clipped, scaled) updates as before."""
    g = tf.Graph()
    with g.as_default():
        E = tf.Variable(E0)
        loss = tf.reduce_sum(tf.gather(E, [0, 2]) * 3.0) + \
            tf.reduce_sum(tf.nn.embedding_lookup(E, [2, 2]) * 5.0)
        opt = tf.train.GradientDescentOptimizer(0.25)
        gv = opt.compute_gradients(loss)
        train = opt.apply_gradients(gv)
        scaled = opt.apply_gradients([(g_ * 2.0, v) for g_, v in gv])
        with tf.Session() as s:
            s.run(tf.global_variables_initializer())
            s.run(train)
            e = s.run(E)
            s.run(scaled)
            e2 = s.run(E)
    want = E0.copy()
    want[0] -= 0.75
    want[2] = ((want[2] - 0.75) - 1.25) - 1.25
    np.testing.assert_array_equal(e, want)
    np.testing.assert_allclose(e2, want - 2 * np.float32(0.25) *
                               np.array([[3.0], [0], [13.0], [0]], np.float32), rtol=1e-6)


# TF 2.15's table after three Adam(0.1) steps of the same program, as int32 bits; the
# dense arithmetic gave -1133901272 for the third number
TF_ADAM_BITS = [[-1097229962, -1105139256, -1133901264],
                [1060799383, 1063196128, 1058854597],
                [1062956471, 1065353216, 1066551589], [1067749961, 1066431762, 1067630133]]


def test_adam_on_slices_gives_tensorflows_bits():
    got = _train(opt=lambda: tf.train.AdamOptimizer(0.1))
    assert got.view(np.int32).tolist() == TF_ADAM_BITS
    np.testing.assert_array_equal(_train(tf.gather, opt=lambda: tf.train.AdamOptimizer(0.1)),
                                  got)
    # Adam moves every row (its m and v decay everywhere): row 2, never looked up, stays
    # only because its m is still zero
    np.testing.assert_array_equal(got[2], E0[2])


def test_adam_on_slices_checks_indices_and_writes_nothing_on_error():
    E = tf.Variable(E0)
    ids = tf.placeholder(tf.int32, [None])
    opt = tf.train.AdamOptimizer(0.1)
    train = opt.minimize(tf.reduce_sum(tf.gather(E, ids)))
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        with pytest.raises(tf.errors.InvalidArgumentError, match="indices"):
            s.run(train, {ids: [1, -1]})
        np.testing.assert_array_equal(s.run(E), E0)
        np.testing.assert_array_equal(s.run(opt.get_slot(E, "m")), np.zeros_like(E0))
        b1p, _ = opt._get_beta_accumulators()
        assert s.run(b1p) == np.float32(0.9)


def test_indexed_slices_gradients_given_by_the_program():
    """``tf.IndexedSlices`` passed to ``apply_gradients`` (TF's own optimizer tests build
    them: gradient_descent_test's testSparseBasic, adam_test's testSparseRepeatedIndices,
    momentum_test's testSparse, all of which now pass under compat/tf_kernel_tests): the
    same updates as the gathers' gradients give, and the dense tensor where converted."""
    vals = W[:3]
    idx = np.array([1, 1, 3], np.int32)
    for make in (lambda: tf.train.GradientDescentOptimizer(0.37),
                 lambda: tf.train.AdamOptimizer(0.1),
                 lambda: tf.train.MomentumOptimizer(0.1, 0.9)):
        outs = []
        for given in (True, False):
            g = tf.Graph()
            with g.as_default():
                E = tf.Variable(E0)
                opt = make()
                if given:
                    grad = tf.IndexedSlices(tf.constant(vals), tf.constant(idx),
                                            tf.constant([4, 3]))
                    train = opt.apply_gradients([(grad, E)])
                else:
                    train = opt.minimize(tf.reduce_sum(tf.gather(E, idx) * vals))
                with tf.Session() as s:
                    s.run(tf.global_variables_initializer())
                    for _ in range(3):
                        s.run(train)
                    outs.append(s.run(E))
        np.testing.assert_array_equal(outs[0], outs[1])
    with tf.Graph().as_default():
        s = tf.IndexedSlices(tf.constant(vals), tf.constant(idx), tf.constant([4, 3]))
        dense = tf.convert_to_tensor(s)
        neg = tf.convert_to_tensor(-s)
        with tf.Session() as sess:
            d, n = sess.run([dense, neg])
        want = np.zeros_like(E0)
        np.add.at(want, idx, vals)
        np.testing.assert_array_equal(d, want)
        np.testing.assert_array_equal(n, -want)
        with pytest.raises(ValueError, match="without dense_shape"):
            tf.convert_to_tensor(tf.IndexedSlices(tf.constant(vals), tf.constant(idx)))
        E = tf.Variable(E0)
        with pytest.raises(TypeError, match="dtype float64"):
            tf.train.GradientDescentOptimizer(0.1).apply_gradients(
                [(tf.IndexedSlices(tf.constant(vals.astype(np.float64)), idx), E)])
        with pytest.raises(TypeError, match="int32 or int64"):
            tf.IndexedSlices(tf.constant(vals), tf.constant([1.0, 2.0, 3.0]))

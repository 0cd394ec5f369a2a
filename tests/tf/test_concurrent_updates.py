"""Session.run from several threads at once (TF 1's Hogwild training, queue runners):
every variable update lands. A run reads the variables it updates, stages the new values
and commits them at its end; a run that committed in between made those reads stale, and
the commit wrote values computed from them over the other run's (4 threads x 50
``assign_add(v, 1)`` left 59 to 76 where TF gives 200, with ``use_locking=True`` too).
A commit now recomputes each such update on the committed values, as TF's kernels read
the variables' current values."""
import threading

import numpy as np
import pytest

import ndgrad.tf as tf

THREADS, STEPS = 4, 40
N = 1 << 15    # (large enough that NumPy lets go of the GIL inside each update)


def _hammer(sess, fetches, feeds=None):
    start = threading.Barrier(THREADS)

    def work():
        start.wait()
        for _ in range(STEPS):
            sess.run(fetches, feeds)
    ts = [threading.Thread(target=work) for _ in range(THREADS)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()


def test_assign_add_and_sub_from_threads_all_land():
    g = tf.Graph()
    with g.as_default():
        v = tf.Variable(np.zeros(1 << 15))
        c = tf.Variable(0, dtype=tf.int64)
        w = tf.Variable(100.0, dtype=tf.float64)
        ops = [tf.assign_add(v, tf.ones([1 << 15], tf.float64), use_locking=True),
               tf.assign_add(c, 1), tf.assign_sub(w, 0.5)]
        init = tf.global_variables_initializer()
    sess = tf.Session(graph=g)
    sess.run(init)
    _hammer(sess, ops)
    vv, cv, wv = sess.run([v, c, w])
    assert np.all(vv == THREADS * STEPS)
    assert cv == THREADS * STEPS
    assert wv == 100.0 - 0.5 * THREADS * STEPS


def _training_graph():
    g = tf.Graph()
    with g.as_default():
        x = tf.placeholder(tf.float64, [N])
        w_sgd = tf.Variable(np.zeros(N))
        w_adam = tf.Variable(np.zeros(N))
        step = tf.train.get_or_create_global_step()
        loss = tf.reduce_sum(w_sgd * x) + tf.reduce_sum(w_adam * x)
        sgd = tf.train.GradientDescentOptimizer(0.25).minimize(
            loss, var_list=[w_sgd], global_step=step)
        adam = tf.train.AdamOptimizer(0.01)
        train_adam = adam.minimize(loss, var_list=[w_adam])
        init = tf.global_variables_initializer()
    sess = tf.Session(graph=g)
    sess.run(init)
    state = [w_sgd, step, adam.get_slot(w_adam, "m"), adam.get_slot(w_adam, "v")]
    return sess, x, [sgd, train_adam], state


def test_optimizer_steps_from_threads_all_land():
    # a linear loss has a constant gradient: every step of SGD, and Adam's moments, are
    # the same whatever the interleaving, so K steps from threads end where K steps in a
    # row do (SGD's weights moved by K * lr * grad, global_step K). (Adam's weights are
    # not compared: its step size reads beta1_power and beta2_power, which TF updates
    # with a read and a separate Assign -- no atomic update in TF either)
    xs = np.linspace(-1.0, 1.0, N)
    k = THREADS * STEPS
    sess, x, train, state = _training_graph()
    for _ in range(k):
        sess.run(train, {x: xs})
    want = sess.run(state)
    sess, x, train, state = _training_graph()
    _hammer(sess, train, {x: xs})
    got = sess.run(state)
    assert got[1] == k
    np.testing.assert_allclose(got[0], -k * 0.25 * xs, rtol=1e-12)
    for a, b in zip(got, want):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-15)


def test_scatter_updates_from_threads_all_land():
    g = tf.Graph()
    with g.as_default():
        v = tf.Variable(np.zeros((8, N // 8)))
        add = tf.scatter_add(v, [0, 3, 3], np.array([1.0, 2.0, 0.5])[:, None] *
                             np.ones(N // 8))
        init = tf.global_variables_initializer()
    sess = tf.Session(graph=g)
    sess.run(init)
    _hammer(sess, add)
    k = THREADS * STEPS
    np.testing.assert_array_equal(sess.run(v)[:, 0], [k, 0, 0, 2.5 * k, 0, 0, 0, 0])


def test_count_up_to_from_threads_stops_at_its_limit():
    # limit_epochs' counter (CountUpTo): each value is handed out once; the runs past
    # the limit raise OutOfRangeError
    g = tf.Graph()
    with g.as_default():
        x = tf.train.limit_epochs(tf.constant(1.0), num_epochs=50)
        init = tf.local_variables_initializer()
    sess = tf.Session(graph=g)
    sess.run(init)
    got = []

    def work():
        while True:
            try:
                got.append(sess.run(x))
            except tf.errors.OutOfRangeError:
                return
    ts = [threading.Thread(target=work) for _ in range(THREADS)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert len(got) == 50


def test_eager_assign_add_from_threads_all_land():
    tf.enable_eager_execution()
    try:
        v = tf.Variable(np.zeros(N))
        start = threading.Barrier(THREADS)

        def work():
            start.wait()
            for _ in range(STEPS):
                v.assign_add(np.ones(N))
                v.assign_sub(np.full(N, 0.5))
        ts = [threading.Thread(target=work) for _ in range(THREADS)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        assert np.all(v.numpy() == 0.5 * THREADS * STEPS)
    finally:
        tf.disable_eager_execution()


def test_eager_optimizer_steps_from_threads_all_land():
    # an eager optimizer step reads the variable (and its slots) and writes it: threads
    # stepping at once wrote over each other's steps (-51 where -100 is right)
    tf.enable_eager_execution()
    try:
        w = tf.Variable(np.zeros(N))
        opt = tf.train.GradientDescentOptimizer(0.5)
        step = tf.Variable(0, dtype=tf.int64)
        g = tf.constant(np.ones(N))
        start = threading.Barrier(THREADS)

        def work():
            start.wait()
            for _ in range(STEPS):
                opt.apply_gradients([(g, w)], global_step=step)
        ts = [threading.Thread(target=work) for _ in range(THREADS)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        assert np.all(w.numpy() == -0.5 * THREADS * STEPS)
        assert int(step.numpy()) == THREADS * STEPS
    finally:
        tf.disable_eager_execution()


@pytest.mark.parametrize("make", [
    lambda: tf.train.MomentumOptimizer(0.1, 0.5),
    lambda: tf.train.AdagradOptimizer(0.1),
    lambda: tf.train.RMSPropOptimizer(0.1, momentum=0.3),
    lambda: tf.train.FtrlOptimizer(0.1, l1_regularization_strength=0.01),
])
@pytest.mark.parametrize("shape", [(2,), (1,)])
def test_two_updates_of_one_variable_in_one_run_both_land(make, shape):
    """(The optimizer fuzz: two update ops of one variable in one run -- tf.group of two
    apply_gradients, or a variable listed twice -- each read the run's starting value,
    so the last one's write undid the first's: Momentum(mu=0) [0.8, 0.8] where TF gives
    [0.7, 0.7], Adagrad 0.90123 for TF's 0.81609.) One run equals the two updates run one
    after the other. (Not Adam: its beta powers are read by both updates before either
    apply_gradients' own finish assigns them, in TF as here.)"""
    def final(together):
        with tf.Graph().as_default():
            w = tf.Variable(np.full(shape, 1.0, np.float32))
            opt = make()
            t1 = opt.apply_gradients([(tf.constant(np.full(shape, 1.0, np.float32)), w)])
            t2 = opt.apply_gradients([(tf.constant(np.full(shape, 2.0, np.float32)), w)])
            with tf.Session() as s:
                s.run(tf.global_variables_initializer())
                if together:
                    s.run(tf.group(t1, t2))
                else:
                    s.run(t1)
                    s.run(t2)
                return s.run(w), [s.run(opt.get_slot(w, n)) for n in opt.get_slot_names()]
    (a, sa), (b, sb) = final(True), final(False)
    np.testing.assert_array_equal(a, b)
    for x, y in zip(sa, sb):
        np.testing.assert_array_equal(x, y)


def test_two_updates_in_one_run_give_tensorflows_values():
    with tf.Graph().as_default():
        w = tf.Variable([1.0, 1.0])
        opt = tf.train.AdagradOptimizer(0.1)
        train = tf.group(opt.apply_gradients([(tf.constant([1.0, 1.0]), w)]),
                         opt.apply_gradients([(tf.constant([2.0, 2.0]), w)]))
        with tf.Session() as s:
            s.run(tf.global_variables_initializer())
            s.run(train)
            np.testing.assert_allclose(s.run(w), [0.81609225, 0.81609225], rtol=1e-7)

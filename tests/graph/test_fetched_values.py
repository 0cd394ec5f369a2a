"""What a compiled plan hands out: ``Session.run`` and ``nd.jit`` results that the run alone
made are returned without a copy, and never share memory with another result, a feed, a
variable's value or a constant."""
import numpy as np

import ndgrad as nd
import ndgrad.tf as tf



def test_jit_results_cse_merged_into_one_value_are_separate_arrays():
    f = nd.jit(lambda x: (nd.sin(x), nd.sin(x), x * 2.0, x * 2.0 + 0.0))
    x = nd.asarray(np.arange(3.0))
    a, b, c, d = f(x)
    assert not np.shares_memory(np.asarray(a), np.asarray(b))
    assert not np.shares_memory(np.asarray(c), np.asarray(d))
    a[0] = 100.0
    c[0] = 100.0
    np.testing.assert_array_equal(np.asarray(b), np.sin(np.arange(3.0)))
    np.testing.assert_array_equal(np.asarray(d), np.arange(3.0) * 2.0)


def test_jit_results_never_share_memory_with_the_arguments_or_each_other():
    def f(x, y):
        s = x * y
        return s, x, s + 0.0, y.reshape(-1), nd.sum(s)
    jf = nd.jit(f)
    x = nd.asarray(np.arange(4.0))
    y = nd.asarray(np.ones(4))
    outs = jf(x, y)
    arrays = [np.asarray(o) for o in outs[:4]]
    for i, a in enumerate(arrays):
        assert not np.shares_memory(a, np.asarray(x)) and not np.shares_memory(
            a, np.asarray(y))
        for b in arrays[i + 1:]:
            assert not np.shares_memory(a, b)
    eager = f(x, y)
    for got, want in zip(outs, eager):
        np.testing.assert_array_equal(np.asarray(got), np.asarray(want))


def test_session_results_are_the_runs_own_arrays():
    g = tf.Graph()
    with g.as_default():
        x = tf.placeholder(tf.float64, (3,))
        v = tf.Variable(np.zeros(3))
        y = tf.sin(x) * 2.0
        y2 = tf.sin(x) * 2.0            # merged with y by CSE
        z = x * 3.0
        assign = tf.assign(v, z)         # z is also the variable's new value
        r = tf.reshape(y, (3, 1))        # a view of y
        init = tf.global_variables_initializer()
    with tf.Session(graph=g) as sess:
        sess.run(init)
        xv = np.arange(3.0)
        got = sess.run([y, y2, z, assign, r, x], {x: xv})
        for i, a in enumerate(got):
            assert not np.shares_memory(a, xv)
            for b in got[i + 1:]:
                assert not np.shares_memory(a, b)
        for a in got:
            a[...] = -1.0
        np.testing.assert_array_equal(sess.run(v), xv * 3.0)
        np.testing.assert_array_equal(xv, np.arange(3.0))
        np.testing.assert_array_equal(sess.run(y, {x: xv}), np.sin(xv) * 2.0)


def test_a_fresh_fetch_is_not_copied_and_the_others_are():
    from ndgrad.graph.compiler import compile_plan
    g = tf.Graph()
    with g.as_default():
        x = tf.placeholder(tf.float64, (4,))
        y = tf.sin(x) * x
        r = tf.reshape(y * 2.0, (2, 2))
        y3 = tf.sin(x) * x               # y again (CSE)
        w = tf.exp(x) + 1.0
        ww = tf.reshape(w, (2, 2))       # a view of w
        u = tf.cos(x) + 1.0
    plan = compile_plan([y, x, r, y3, w, ww, u], [x])
    assert plan.fresh == {6} and plan.repeated == {3}

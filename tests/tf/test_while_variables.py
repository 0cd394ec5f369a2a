"""``tf.while_loop`` bodies and conditions that read variables see the run's writes, as
TensorFlow's; the gradient re-runs the body with the values the forward read, and runs
none of its assignments again.

Before: a condition reading a variable the body assigns was computed once, outside the
loop (``testWhileUpdateVariable_5`` of TF's control_flow_ops_py_test looped until the
process ran out of memory), and the gradient re-ran the body's assignments (the
variable ended 3 steps further, the gradient 300 instead of TF's 72). The numbers are
TensorFlow 2.21's (``tf.compat.v1``, graph mode) for PROGRAM; the oracle test runs it
there again where TensorFlow is installed (``NDGRAD_TF_PYTHON``).
"""
import numpy as np

import ndgrad.tf as tf

PROGRAM = '''
import numpy as np


def update_variable_in_condition(tf):
    var_a = tf.Variable(0, name="a")
    var_b = tf.Variable(0, name="b")

    def body(i):
        asn1 = tf.assign_add(var_a, tf.constant(1))
        asn2 = tf.assign_add(var_b, tf.constant(1))
        with tf.control_dependencies([asn1, asn2]):
            return tf.identity(var_b)
    lp = tf.while_loop(lambda _: tf.less(var_b, 10), body, [var_b], parallel_iterations=1)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        return [s.run(lp), s.run(var_a), s.run(var_b)]


def gradient_sees_the_values_read(tf):
    v = tf.Variable(1.0)
    x = tf.placeholder(tf.float32, ())

    def body(i, y):
        with tf.control_dependencies([tf.assign_add(v, 1.0)]):
            r = tf.identity(v)
        return i + 1, y * x * r
    _, y = tf.while_loop(lambda i, y: i < 3, body, [0, 1.0])
    g = tf.gradients(y, x)[0]
    w = tf.Variable(2.0)
    _, z = tf.while_loop(lambda i, z: i < 3, lambda i, z: (i + 1, z * w + x), [0, 1.0])
    gz = tf.gradients(z, [w, x])
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        out = s.run([y, g], {x: 1.0}) + [s.run(v)] + s.run([z] + gz, {x: 0.5})
    return out


def where_of_singular_branches(tf):
    a = tf.constant(np.array([0.0, -1.0, 4.0], np.float32))
    out = []
    for f in (tf.sqrt, tf.rsqrt, tf.reciprocal, lambda t: tf.sqrt(t) * 2.0,
              lambda t: tf.norm(tf.stack([t, t]), axis=0)):
        y = tf.where(a > 1.0, f(a), a * 3.0)
        out += list(tf.Session().run(tf.gradients(tf.reduce_sum(y), a)[0]))
    x = tf.constant([[-np.inf, -np.inf], [np.inf, 1.0], [1.0, 2.0]])
    out += list(tf.Session().run(tf.reduce_logsumexp(x, axis=1)))
    return out


SCENARIOS = [update_variable_in_condition, gradient_sees_the_values_read,
             where_of_singular_branches]

'''


TF_WANT = {
    "update_variable_in_condition": [10.0, 10.0, 10.0],
    "gradient_sees_the_values_read": [24.0, 72.0, 4.0, 11.5, 14.5, 7.0],
    "where_of_singular_branches": [3.0, 3.0, 0.25, 3.0, 3.0, -0.0625, 3.0, 3.0, -0.0625,
                                   3.0, 3.0, 0.5, 3.0, 3.0, 1.4142135,
                                   -np.inf, np.inf, 2.3132617],
}


def test_gives_tensorflows_numbers(nd_scenarios):
    got = nd_scenarios(PROGRAM)
    for name, want in TF_WANT.items():
        np.testing.assert_allclose(got[name], want, rtol=1e-6, err_msg=name)


def test_oracle_tensorflow(tf_scenarios, nd_scenarios):
    want = tf_scenarios(PROGRAM)
    got = nd_scenarios(PROGRAM)
    for name in want:
        np.testing.assert_allclose(got[name], want[name], rtol=1e-5, err_msg=name)


def test_special_functions_top_k_and_rank():
    tf.reset_default_graph()
    x = tf.constant([0.5, 1.5])
    top = tf.nn.top_k(tf.constant([3.0, 1.0, 2.0]), 2)
    ys = [tf.erf(x), tf.erfc(x), tf.lgamma(x), tf.digamma(x), tf.math.erfinv(x / 2),
          tf.math.xlogy(x, x), tf.math.igamma(x, x)]
    gs = tf.gradients(tf.add_n([tf.reduce_sum(y) for y in ys]), x)
    with tf.Session() as s:
        vals = s.run(ys)
        t = s.run(top)
        s.run(gs)
    sp = __import__("pytest").importorskip("scipy.special")
    xv = np.array([0.5, 1.5])
    want = [sp.erf(xv), sp.erfc(xv), sp.gammaln(xv), sp.digamma(xv), sp.erfinv(xv / 2),
            sp.xlogy(xv, xv), sp.gammainc(xv, xv)]
    for v, w in zip(vals, want):
        np.testing.assert_allclose(v, w, rtol=1e-5)
    np.testing.assert_array_equal(t.values, [3.0, 2.0])
    np.testing.assert_array_equal(t.indices, [0, 2])


def test_queue_ops_in_a_loop_run_every_iteration():
    # TF's testWhileQueue_1: the enqueue ran once per run (a side effect was kept per op,
    # not per execution), the queue held 1 element where TF's holds 10; a dequeue in a
    # body returned the first element every iteration
    tf.reset_default_graph()
    from ndgrad.tf.control_flow import with_dependencies
    q = tf.FIFOQueue(-1, tf.int32)

    def body(i):
        return with_dependencies([q.enqueue((i,))], tf.add(i, 1))
    r = tf.while_loop(lambda i: tf.less(i, 10), body, [tf.constant(0)],
                      parallel_iterations=1)
    q2 = tf.FIFOQueue(10, tf.float32)
    fill = q2.enqueue_many(([1.0, 2.0, 3.0, 4.0],))
    _, total = tf.while_loop(lambda k, t: k < 3, lambda k, t: (k + 1, t + q2.dequeue()),
                             [0, 0.0])
    with tf.Session() as s:
        assert s.run(r) == 10 and s.run(q.size()) == 10
        assert [int(s.run(q.dequeue())) for _ in range(10)] == list(range(10))
        s.run(fill)
        assert s.run(total) == 6.0 and s.run(q2.size()) == 1

"""Departures from TensorFlow 2.15 (tf.compat.v1, graph mode) found by a differential
fuzz of Session runs (1,600 random programs run under both; variables, assignments under
control_dependencies, feeds of intermediates, large fused arrays). Each expected value is
TF's output for the same program."""
import numpy as np
import pytest

import ndgrad.tf as tf


@pytest.fixture(autouse=True)
def _graph():
    with tf.Graph().as_default():
        yield


def test_a_read_ordered_after_an_assign_through_data_sees_the_new_value():
    # TF 1 reads a variable's ref when the reading op runs: an op that runs after an
    # assign (through a data input, or an input made under control_dependencies) sees
    # the assigned value. ndgrad gave [1, 1, 1] (the value from before the run) for both.
    v = tf.Variable(np.ones(3))
    a = tf.assign(v, [5., 6., 7.])
    with tf.control_dependencies([a]):
        c = tf.constant(0., dtype=tf.float64)
    y = v + c
    w = tf.Variable(np.ones(3))
    y2 = w + tf.assign(w, [5., 6., 7.]) * 0
    # a batch-norm-like pattern: the update waits in a block, the read is outside it
    m = tf.Variable(0.0)
    x = tf.placeholder(tf.float32, ())
    upd = tf.assign(m, 0.5 * m + 0.5 * x)
    with tf.control_dependencies([upd]):
        xi = tf.identity(x)
    out = xi - m
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        assert s.run(y).tolist() == [5., 6., 7.]
        assert s.run(y2).tolist() == [5., 6., 7.]
        assert s.run(out, {x: 4.0}) == 2.0          # 4 - (0.5 * 0 + 0.5 * 4)
        assert s.run(out, {x: 4.0}) == 1.0          # 4 - (0.5 * 2 + 0.5 * 4)
        # a read no write precedes still sees the value from before the run
        z = tf.Variable(1.0)
        s.run(z.initializer)
        assert s.run([z * 1.0, tf.assign(z, 9.0)]) == [1.0, 9.0]


def test_a_scalar_op_used_only_as_a_control_input():
    # the plan's code generator raised AttributeError ('ScalarRun' object has no
    # attribute 'out') for a one-element run whose result nothing reads
    x = tf.placeholder(tf.float32, ())
    t = x * 2.0
    with tf.control_dependencies([t]):
        z = tf.identity(x)
    with tf.Session() as s:
        assert s.run(z, {x: 1.0}) == 1.0


def test_a_streamed_region_used_only_as_a_control_input():
    # (131,584 float64 elements: the plan streams exp(-abs(p)) in blocks) the generated
    # code assigned the region's results to no name: IndentationError
    p1 = tf.placeholder(tf.float32, (512, 257))
    p5 = tf.placeholder(tf.float64, (512, 257))
    t11 = tf.exp(-tf.abs(p5))
    with tf.control_dependencies([t11]):
        t16 = tf.clip_by_value(p1, -1.5, 1.5)
    a = np.linspace(-3, 3, 512 * 257).reshape(512, 257)
    with tf.Session() as s:
        r, q = s.run([t16, p5], {p1: a.astype(np.float32), p5: a})
    np.testing.assert_array_equal(r, np.clip(a.astype(np.float32), -1.5, 1.5))
    np.testing.assert_array_equal(q, a)


def test_a_fed_tensor_whose_op_is_a_control_input_keeps_its_fed_value():
    # TF runs t's op (a control input of y) but every reader and fetch of t sees the fed
    # value; ndgrad's plan wrote the computed 6.0 over it ([6, 1, 60]), or raised
    # UnboundLocalError when the reader came first in the fetches
    c = tf.constant([1.0, 2.0, 3.0])
    x = tf.placeholder(tf.float32, ())
    t = tf.reduce_sum(c) * x
    with tf.control_dependencies([t]):
        y = tf.identity(x)
    z = t * 10.0
    with tf.Session() as s:
        assert [float(v) for v in s.run([t, y, z], {x: 1.0, t: -1.0})] == [-1.0, 1.0, -10.0]
        assert [float(v) for v in s.run([z, y], {x: 1.0, t: -1.0})] == [-10.0, 1.0]


def test_fetching_a_fed_variable_or_assignment_gives_the_fed_value():
    # ndgrad gave the variable's stored value ([1, 2, 3]) for a fetch it was fed
    v = tf.Variable(np.array([1., 2., 3.]))
    a = tf.assign_add(v, np.array([100., 100., 100.]))
    y = v * 2
    f = np.array([10., 20., 30.])
    with tf.Session() as s:
        s.run(v.initializer)
        vv, yv = s.run([v, y], {v: f})
        assert vv.tolist() == [10., 20., 30.] and yv.tolist() == [20., 40., 60.]
        assert s.run(a, {a: f}).tolist() == [10., 20., 30.]
        assert s.run(v).tolist() == [1., 2., 3.]


def test_no_control_input_that_is_already_a_data_input_or_dominated():
    # TF's pruning: no control input on an op that already reads it, nor on an op with
    # an input made inside the same block; feeding t then runs none of t's op (ndgrad
    # kept the control input and asked for the unfed placeholder)
    p = tf.placeholder(tf.float64, None)
    t = p * p
    w = tf.Variable(1.0)
    with tf.control_dependencies([t]):
        y = tf.square(t)
        k = tf.constant(2.0, tf.float64)
        u = k * 3.0
    assert y.op.control_inputs == [] and u.op.control_inputs == []
    assert [o.name for o in k.op.control_inputs] == [t.op.name]
    with tf.control_dependencies([tf.assign(w, 2.0)]):
        r = w * 1.0 + w
    # (TF's graph too: only the constant 1.0, made first in the block, waits)
    assert r.op.control_inputs == [] and r.op.inputs[0].op.control_inputs == []
    with tf.Session() as s:
        s.run(w.initializer)
        assert s.run(y, {t: [5., 6.]}).tolist() == [25., 36.]
        assert s.run(r) == 4.0       # both reads after the assign, as TF's


def test_cast_to_the_same_dtype_is_the_tensor_itself():
    x = tf.placeholder(tf.float32, (2,))
    assert tf.cast(x, tf.float32) is x and tf.to_float(x) is x
    assert tf.cast(x, tf.float64) is not x
    c = tf.cast(x, tf.float32)
    y = x * 2
    with tf.Session() as s:
        # feeding the "cast" feeds x itself: y reads it too
        assert s.run(y, {c: [1., 2.]}).tolist() == [2., 4.]


def test_reverse_of_a_tensor_of_unknown_rank():
    x = tf.placeholder(tf.float32, None)
    ys = [tf.reverse(x, ax) for ax in ([0], [-1], [0, 1])]
    g, = tf.gradients(tf.reduce_sum(ys[1] * tf.constant([[1., 2.], [3., 4.]])), x)
    with tf.Session() as s:
        r = s.run(ys + [g], {x: [[1., 2.], [3., 4.]]})
    assert [a.tolist() for a in r] == [[[3., 4.], [1., 2.]], [[2., 1.], [4., 3.]],
                                       [[4., 3.], [2., 1.]], [[2., 1.], [4., 3.]]]


@pytest.mark.parametrize("lv_type", [list, tuple])
@pytest.mark.parametrize("body_type", [list, tuple])
def test_while_loop_results_take_the_body_structure(lv_type, body_type):
    i, x = tf.constant(0), tf.constant(1.0)
    r = tf.while_loop(lambda a, b: a < 3, lambda a, b: body_type([a + 1, b * 2]),
                      lv_type([i, x]))
    assert type(r) is body_type
    with tf.Session() as s:
        assert s.run(list(r)) == [3, 8.0]

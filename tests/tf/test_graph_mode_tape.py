"""tf.GradientTape in graph mode (TF 1's tape over a graph): what it records and which
sources it sees, against TF 2.15's output for the same program."""
import numpy as np
import pytest

import ndgrad.tf as tf


def test_records_the_block_and_sees_watched_and_accessed_sources():
    true_in, false_in = tf.constant(1.), tf.constant(5.)
    x = tf.constant([1.0, 2.0])
    pre = x * 3.0                       # built before the tape: a constant to it
    w = tf.Variable([0.5, -1.0])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(true_in)
        tape.watch(false_in)
        tape.watch(x)
        cond_true = tf.cond(tf.constant(True), lambda: true_in ** 2., lambda: false_in ** 2.)
        y = tf.reduce_sum(x * x * w)
        z = tf.reduce_sum(pre * x)
        inter = x * 2.0
        with tape.stop_recording():
            hidden = tf.reduce_sum(x * 10.0)
        q = tf.reduce_sum(inter ** 2) + hidden
    g1 = tape.gradient(cond_true, [true_in, false_in], output_gradients=3.)
    g2 = tape.gradient(y, [x, w])
    g3 = tape.gradient(z, [x, pre])
    g4 = tape.gradient(q, [x, inter])
    assert tape.gradient(y, tf.constant(1.0)) is None
    assert g3[1] is None
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        got = [[None if a is None else np.asarray(s.run(a)).tolist() for a in g]
               for g in (g1, g2, g3, g4)]
    # TF 2.15: the untaken branch's input gets 0 in graph mode; x * 10.0 under
    # stop_recording adds nothing to x's gradient; pre is no source
    assert got == [[6.0, 0.0], [[1.0, -4.0], [1.0, 4.0]], [[3.0, 6.0], None],
                   [[8.0, 16.0], [4.0, 8.0]]]


def test_non_persistent_tape_and_second_order():
    x = tf.constant(3.0)
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = x ** 3
        dy = inner.gradient(y, x)
    d2y = outer.gradient(dy, x)
    with tf.Session() as s:
        assert s.run([dy, d2y]) == [27.0, 18.0]
    with pytest.raises(RuntimeError, match="only be called once"):
        inner.gradient(y, x)


def test_watch_accessed_variables_false():
    w = tf.Variable(2.0)
    v = tf.Variable(5.0)
    with tf.GradientTape(watch_accessed_variables=False) as tape:
        tape.watch(v)
        y = w * v
    gw, gv = tape.gradient(y, [w, v])
    assert gw is None
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        assert s.run(gv) == 2.0

"""Eager GradientTapes record their own blocks only: each differentiates through the ops
run while it recorded (in its thread), as each TF tape holds a record of its own. The
expected values are TF 2.15's for the same programs (/work/tfvenv, eager). All tapes
share one recorded graph here; before the nodes carried the tapes that recorded them, a
tape differentiated through another tape's ops (12.0 for TF's 4.0) and
``stop_recording`` paused every tape (9.0 for TF's 27.0)."""
import threading

import numpy as np
import pytest

import ndgrad.tf as tf
from ndgrad._ops import registry


@pytest.fixture(autouse=True)
def eager():
    tf.enable_eager_execution()
    yield
    tf.disable_eager_execution()


def _f(g):
    return None if g is None else float(g)


def test_ops_another_tape_recorded_before_are_constants():
    x = tf.constant(2.0)
    with tf.GradientTape() as t0:
        t0.watch(x)
        y = x * x
    with tf.GradientTape() as t:
        t.watch(x)
        z = y * x
    assert _f(t.gradient(z, x)) == 4.0          # TF: y is a constant to t
    assert _f(t0.gradient(y, x)) == 4.0


def test_an_outer_tapes_ops_are_constants_to_an_inner_one():
    v = tf.Variable(2.0)
    with tf.GradientTape() as outer:
        y2 = v * v
        with tf.GradientTape() as inner:
            z2 = y2 * v
        assert _f(inner.gradient(z2, v)) == 4.0   # TF 4.0
    assert _f(outer.gradient(z2, v)) == 12.0      # d(v**3)/dv on the outer tape


def test_an_op_after_a_tape_exited_is_not_on_it():
    x = tf.constant(2.0)
    with tf.GradientTape(persistent=True) as t1:
        t1.watch(x)
        y3 = x * x
    with tf.GradientTape() as t2:
        t2.watch(x)
        z3 = y3 * x
    assert t1.gradient(z3, x) is None            # TF None
    assert _f(t1.gradient(y3, x)) == 4.0
    assert _f(t2.gradient(z3, x)) == 4.0


def test_stop_recording_pauses_that_tape_only():
    x = tf.constant(3.0)
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            with inner.stop_recording():
                z = x * x
            w = z * x
        assert _f(inner.gradient(w, x)) == 9.0      # z is a constant to inner
    assert _f(outer.gradient(w, x)) == 27.0         # TF 27 (3 x**2)
    v = tf.Variable(3.0)
    with tf.GradientTape() as outer2:
        with tf.GradientTape() as inner2:
            with inner2.stop_recording():
                z2 = v * v
    assert _f(outer2.gradient(z2, v)) == 6.0        # TF 6
    assert inner2.gradient(z2, v) is None


def test_tape_state_errors_are_tfs():
    """The errors TF 2.15 raises for a tape in the wrong state (printed by TF)."""
    t = tf.GradientTape()
    with pytest.raises(RuntimeError, match="Trying to stop recording a tape which is not"):
        with t.stop_recording():       # never entered
            pass
    with t:
        with t.stop_recording():
            with pytest.raises(ValueError, match="Tape is not recording"):
                with t.stop_recording():
                    pass
            with pytest.raises(ValueError, match="Tape is not recording"):
                t.reset()
        with pytest.raises(ValueError, match="Tape is still recording"):
            t.__enter__()
    with pytest.raises(ValueError, match="Tape is not recording"):
        t.reset()                      # after the block
    x = tf.constant([1.5, -0.5])
    t2 = tf.GradientTape()
    with t2:
        t2.watch(x)
        assert t2.gradient(x * x, x) is not None
        with pytest.raises(RuntimeError, match="Trying to stop recording"):
            with t2.stop_recording():  # a non-persistent tape, used
                pass
    with pytest.raises(TypeError, match="received None"):
        tf.GradientTape().gradient(None, x)
    with tf.GradientTape() as t3:
        t3.watch(x)
        a, b = x * 2.0, x * x
    with pytest.raises(ValueError, match="None"):
        t3.gradient([a, b], x, output_gradients=[None, x])


def test_tapes_closed_out_of_order():
    """The tape still open keeps recording, and recording stops after the last one
    (the first to close restored the mode from before it opened: the second block's
    gradient was None the first time, and recording stayed on after both closed)."""
    x = tf.constant([1.0, 2.0])
    for _ in range(2):
        t0 = tf.GradientTape()
        t0.__enter__()
        t1 = tf.GradientTape()
        t1.__enter__()
        t1.watch(x)
        t0.__exit__(None, None, None)
        z = x * x
        t1.__exit__(None, None, None)
        assert list(np.asarray(t1.gradient(z, x))) == [2.0, 4.0]   # TF 2.15, both times
        assert not registry.grad_state.enabled
        t1.__exit__(None, None, None)        # closed twice: no error, nothing changes
        assert not registry.grad_state.enabled


def test_a_used_non_persistent_tape_entered_again_starts_anew():
    x = tf.constant(2.0)
    t = tf.GradientTape()
    with t:
        t.watch(x)
        y = x * x
    assert _f(t.gradient(y, x)) == 4.0
    with t:
        t.watch(x)
        z = x * x * x
    assert _f(t.gradient(z, x)) == 12.0         # TF 2.15 (it raised: used once)


def test_watch_inside_its_own_stop_recording_is_ignored():
    x = tf.constant([1.5, -0.5])
    with tf.GradientTape() as t:
        with t.stop_recording():
            t.watch(x)
        b = x * x
    assert t.gradient(b, x) is None              # TF 2.15


def test_a_target_that_is_a_source_gets_its_output_gradient():
    """TF 2.15: a source that is itself a target gets that target's output gradient,
    watched or not, recorded or not (ndgrad gave None, or zeros with 'zero')."""
    x = tf.constant([1.0, 2.0])
    y = x * 3.0
    with tf.GradientTape(persistent=True) as t:
        z = y * 2.0
    gy, gx = t.gradient(y, [y, x])
    assert list(np.asarray(gy)) == [1.0, 1.0] and gx is None
    assert list(np.asarray(t.gradient(x, x))) == [1.0, 1.0]
    assert list(np.asarray(t.gradient(z, z, output_gradients=tf.constant([2.0, 3.0])))) \
        == [2.0, 3.0]
    u = tf.Variable([1.0, 2.0], trainable=False)
    with tf.GradientTape() as t5:
        pass
    (gu,) = t5.gradient(u, [u], unconnected_gradients="zero")
    assert list(np.asarray(gu)) == [1.0, 1.0]


def test_a_watched_value_from_another_tape():
    x = tf.constant(2.0)
    with tf.GradientTape() as t0:
        t0.watch(x)
        y = x * x
    with tf.GradientTape() as t:
        t.watch([x, y])
        z = y * x
    gx, gy = t.gradient(z, [x, y])
    assert (float(gx), float(gy)) == (4.0, 2.0)      # y is a source of its own


def test_a_persistent_tape_entered_twice_records_both_blocks():
    x = tf.constant(2.0)
    t = tf.GradientTape(persistent=True)
    with t:
        t.watch(x)
        y = x * x
    u = y * 10.0                                     # between the blocks: a constant
    with t:
        z = u + y * x
    assert _f(t.gradient(z, x)) == 12.0              # y + 2 x * x, not through u
    assert _f(t.gradient(y, x)) == 4.0


def test_another_threads_ops_are_not_on_this_threads_tape():
    x = tf.constant(2.0)
    ready, done = threading.Event(), threading.Event()
    out = {}

    def other():
        with tf.GradientTape() as tb:
            tb.watch(x)
            out["y"] = x * x
            ready.set()
            done.wait(10)
        out["gb"] = tb.gradient(out["y"], x)
    th = threading.Thread(target=other)
    with tf.GradientTape() as ta:
        ta.watch(x)
        th.start()
        assert ready.wait(10)
        z = out["y"] * x
    done.set()
    th.join()
    assert _f(ta.gradient(z, x)) == 4.0              # y: recorded by the other thread
    assert _f(out["gb"]) == 4.0


def test_nodes_are_plain_when_no_tape_is_open():
    plain = registry.Node
    with tf.GradientTape() as t:
        with tf.GradientTape():
            assert registry.Node is not plain
        assert registry.Node is not plain
        x = tf.constant(1.0)
        t.watch(x)
    assert registry.Node is plain
    import ndgrad as nd
    assert float(nd.grad(lambda a: a * a)(3.0)) == 6.0


def test_second_order_with_nested_tapes_still_works():
    x = tf.constant(1.5)
    with tf.GradientTape() as t2:
        t2.watch(x)
        with tf.GradientTape() as t1:
            t1.watch(x)
            y = tf.sin(x) * x
        g = t1.gradient(y, x)
    gg = t2.gradient(g, x)
    exact = 2 * np.cos(1.5) - 1.5 * np.sin(1.5)
    assert float(gg) == pytest.approx(exact, rel=1e-6)


def test_batch_jacobian_of_an_unconnected_source_is_zeros():
    x = tf.constant([[1.0], [2.0]])
    w = tf.constant([[1.0], [2.0]])
    with tf.GradientTape() as t:
        t.watch([x, w])
        y = x * x * x
    bj = t.batch_jacobian(y, w)                     # TF 2.15: zeros, whatever the mode
    np.testing.assert_array_equal(np.asarray(bj), np.zeros((2, 1, 1)))
    assert bj.dtype == tf.float32


def test_two_non_persistent_tapes_over_one_computation():
    """Each tape's pass frees only what no other tape recorded (the second gradient
    raised 'backward through the graph a second time')."""
    x = tf.constant(2.0)
    t1, t2 = tf.GradientTape(), tf.GradientTape()
    with t1:
        t1.watch(x)
        y = x * x
        with t2:
            t2.watch(x)
            z = y * x
    assert (_f(t1.gradient(z, x)), _f(t2.gradient(z, x))) == (12.0, 4.0)   # TF 2.15
    with pytest.raises(RuntimeError, match="only be called once"):
        t2.gradient(z, x)


@pytest.mark.parametrize("eager_mode", [True, False])
def test_reset_forgets_what_was_recorded(eager_mode):
    if not eager_mode:
        tf.disable_eager_execution()
    try:
        x = tf.constant(2.0)
        with tf.GradientTape(persistent=True) as t:
            t.watch(x)
            y = x * x
            t.reset()
            t.watch(x)
            z = x * x * x
            w = y * x
        # TF 2.15: 12.0 and None (y was recorded before the reset), 4.0 (y a constant)
        got = [t.gradient(v, x) for v in (z, y, w)]
        assert got[1] is None
        if not eager_mode:
            got = tf.Session().run([got[0], got[2]])
        else:
            got = [got[0], got[2]]
        assert [float(g) for g in got] == [12.0, 4.0]
    finally:
        tf.enable_eager_execution()


def test_stop_recording_inside_no_grad_keeps_no_grad():
    """Leaving stop_recording restores the mode from before it (it forced recording on,
    ending an nd.no_grad() block around it early: y was recorded)."""
    import ndgrad as nd
    x = tf.constant(2.0)
    with tf.GradientTape() as t:
        t.watch(x)
        with nd.no_grad():
            with t.stop_recording():
                pass
            y = x * x
        z = x * 3.0
    gy = t.gradient([y, z], x)
    assert _f(gy) == 3.0                     # y is a constant: only z's 3

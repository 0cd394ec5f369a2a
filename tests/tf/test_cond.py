"""``tf.cond`` runs only the branch its predicate takes, as TensorFlow's.

ndgrad used to compute both branches and select: the untaken branch's assignments ran
(a variable ended at the other branch's value), its control dependencies ran, and its
arithmetic leaked into the gradient (``cond(x > 0, sqrt(x), -x)`` at x = -4 gave a NaN
gradient where TF gives -1). Loops and conditionals built under
``control_dependencies`` re-ran the outside ops they wait for once per iteration (or
once more in the gradient). The expected numbers are TensorFlow 2.21's
(``tf.compat.v1``, graph mode, CPU) for PROGRAM; the oracle test runs it there again
where TensorFlow is installed (``NDGRAD_TF_PYTHON``).
"""
import numpy as np
import pytest

import ndgrad.tf as tf

PROGRAM = '''
import numpy as np


def assign_in_branches(tf):
    v = tf.Variable(0.0)
    p = tf.placeholder(tf.bool, ())
    r = tf.cond(p, lambda: tf.assign(v, 1.0), lambda: tf.assign(v, 2.0))
    out = []
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        out += [s.run(r, {p: True}), s.run(v), s.run(r, {p: False}), s.run(v)]
    return out


def control_dependency_in_branch(tf):
    w = tf.Variable(0.0)
    p = tf.placeholder(tf.bool, ())

    def true_fn():
        with tf.control_dependencies([tf.assign_add(w, 10.0)]):
            return tf.constant(1.0)
    r = tf.cond(p, true_fn, lambda: tf.constant(2.0))
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        return [s.run(r, {p: False}), s.run(w), s.run(r, {p: True}), s.run(w)]


def gradient_of_the_taken_branch(tf):
    x = tf.placeholder(tf.float32, ())
    y = tf.cond(x > 0, lambda: tf.sqrt(x), lambda: -x)
    g = tf.gradients(y, x)[0]
    gg = tf.gradients(g, x)[0]
    with tf.Session() as s:
        return [float(v) for xv in (-4.0, 4.0) for v in s.run([y, g, gg], {x: xv})]


def outside_tensors_and_variables(tf):
    x = tf.placeholder(tf.float32, (3,))
    w = tf.Variable([1.0, 2.0, 3.0])
    h = x * w                                  # outside: computed either way
    p = tf.placeholder(tf.bool, ())
    y = tf.cond(p, lambda: tf.reduce_sum(h * h * w), lambda: tf.reduce_sum(tf.exp(h)))
    gx, gw = tf.gradients(y, [x, w])
    xv = np.array([0.5, -1.0, 2.0], np.float32)
    out = []
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        for pv in (True, False):
            yv, a, b = s.run([y, gx, gw], {x: xv, p: pv})
            out += [float(yv)] + a.tolist() + b.tolist()
    return out


def nested_conds(tf):
    x = tf.placeholder(tf.float32, ())
    y = tf.cond(x > 0,
                lambda: tf.cond(x > 2, lambda: x * x * x, lambda: tf.sin(x) * x),
                lambda: tf.cond(x < -2, lambda: tf.log(-x), lambda: x * 3.0))
    g = tf.gradients(y, x)[0]
    gg = tf.gradients(g, x)[0]
    out = []
    with tf.Session() as s:
        for xv in (3.0, 1.0, -1.0, -3.0):
            out += [float(v) for v in s.run([y, g, gg], {x: xv})]
    return out


def cond_in_while_and_while_in_cond(tf):
    x = tf.placeholder(tf.float32, ())
    _, y = tf.while_loop(lambda i, y: i < 4,
                         lambda i, y: (i + 1, tf.cond(y > 3.0, lambda: y - x,
                                                      lambda: y * x)), [0, 1.0])
    p = tf.placeholder(tf.bool, ())
    z = tf.cond(p, lambda: tf.while_loop(lambda i, a: i < 3,
                                         lambda i, a: (i + 1, a * x), [0, 1.0])[1],
                lambda: x + 1.0)
    gy = tf.gradients(y, x)[0]
    gz = tf.gradients(z, x)[0]
    out = []
    with tf.Session() as s:
        for pv in (True, False):
            out += [float(v) for v in s.run([y, gy, z, gz], {x: 2.0, p: pv})]
    return out


def waits_run_once(tf):
    v = tf.Variable(0.0)
    x = tf.Variable(2.0)
    _, y = tf.while_loop(lambda i, y: i < 3, lambda i, y: (i + 1, y * x), [0, 1.0])
    up = tf.assign_add(v, 1.0)
    with tf.control_dependencies([up]):
        g = tf.gradients(y, x)[0]
    p = tf.placeholder(tf.bool, ())
    c = tf.cond(p, lambda: y * 2, lambda: y)
    with tf.control_dependencies([up]):
        g2 = tf.gradients(c, x)[0]
    w = tf.Variable(0.0)
    up2 = tf.assign_add(w, 1.0)
    with tf.control_dependencies([up2]):
        _, y3 = tf.while_loop(lambda i, y: i < 3, lambda i, y: (i + 1, y * x), [0, 1.0])
        c3 = tf.cond(p, lambda: x * 5.0, lambda: x)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        return [s.run(g), s.run(v), s.run(g2, {p: True}), s.run(v), s.run(y3), s.run(w),
                s.run(c3, {p: True}), s.run(w)]


def untaken_branch_reads_uninitialized_variable(tf):
    u = tf.Variable(3.0)
    p = tf.placeholder(tf.bool, ())
    r = tf.cond(p, lambda: u + 1.0, lambda: tf.constant(0.0))
    with tf.Session() as s:
        return [s.run(r, {p: False})]


def stop_gradients_partials(tf):
    a = tf.constant(0.)
    b = 2 * a
    c = 3 * b
    g1 = tf.gradients(a + b, [a, b], stop_gradients=[a, b])
    g2 = tf.gradients(a + b + c, [a], stop_gradients=[b])
    g3 = tf.gradients(a + b + c, [a, b, c], stop_gradients=[b])
    with tf.Session() as s:
        return [float(v) for v in s.run(g1 + g2 + g3)]


SCENARIOS = [assign_in_branches, control_dependency_in_branch,
             gradient_of_the_taken_branch, outside_tensors_and_variables, nested_conds,
             cond_in_while_and_while_in_cond, waits_run_once,
             untaken_branch_reads_uninitialized_variable, stop_gradients_partials]

'''


# TensorFlow 2.21's numbers for PROGRAM (see the module docstring)
TF_WANT = {
    "assign_in_branches": [1.0, 1.0, 2.0, 2.0],
    "control_dependency_in_branch": [2.0, 0.0, 1.0, 10.0],
    "gradient_of_the_taken_branch": [4.0, -1.0, -0.0, 2.0, 0.25, -0.03125],
    "waits_run_once": [12.0, 1.0, 24.0, 2.0, 8.0, 1.0, 10.0, 2.0],
    "untaken_branch_reads_uninitialized_variable": [0.0],
    "stop_gradients_partials": [1.0, 1.0, 1.0, 1.0, 4.0, 1.0],
}


@pytest.fixture(scope="module")
def results(nd_scenarios):
    return nd_scenarios(PROGRAM)


@pytest.mark.parametrize("name", sorted(TF_WANT))
def test_gives_tensorflows_numbers(results, name):
    np.testing.assert_allclose(results[name], TF_WANT[name], rtol=1e-6, err_msg=name)


def test_gradients_match_finite_differences(results):
    # the scenarios without constants above: against the closed forms
    r = results["outside_tensors_and_variables"]
    x = np.array([0.5, -1.0, 2.0])
    w = np.array([1.0, 2.0, 3.0])
    h = x * w
    true = [np.sum(h * h * w)] + list(2 * h * w * w) + list(3 * x * x * w * w)
    false = [np.sum(np.exp(h))] + list(np.exp(h) * w) + list(np.exp(h) * x)
    np.testing.assert_allclose(r, true + false, rtol=1e-5)
    r = results["nested_conds"]
    want = []
    for xv in (3.0, 1.0, -1.0, -3.0):
        if xv > 2:
            want += [xv ** 3, 3 * xv ** 2, 6 * xv]
        elif xv > 0:
            want += [np.sin(xv) * xv, np.cos(xv) * xv + np.sin(xv),
                     2 * np.cos(xv) - np.sin(xv) * xv]
        elif xv < -2:
            want += [np.log(-xv), 1 / xv, -1 / xv ** 2]
        else:
            want += [3 * xv, 3.0, 0.0]
    np.testing.assert_allclose(r, want, rtol=1e-5, atol=1e-6)
    # while of conds: y = 1 -> 2 -> 4 -> 2 -> 4 (x = 2): y*x, y*x, y-x, y*x
    # dy/dx along that path: 1*... by the chain rule: y1 = x, y2 = x^2, y3 = x^2 - x,
    # y4 = x^3 - x^2: 3x^2 - 2x = 8; the loop in the taken branch: x^3 -> 3x^2 = 12
    np.testing.assert_allclose(results["cond_in_while_and_while_in_cond"],
                               [4.0, 8.0, 8.0, 12.0, 4.0, 8.0, 3.0, 1.0])


def test_oracle_tensorflow(tf_scenarios, results):
    want = tf_scenarios(PROGRAM)
    got = results
    for name in want:
        np.testing.assert_allclose(got[name], want[name], rtol=1e-5, atol=1e-6,
                                   err_msg=name)


def test_random_draw_in_branch_is_the_one_the_gradient_sees():
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, (5,))
    p = tf.placeholder(tf.bool, ())
    y = tf.cond(p, lambda: x * tf.random_normal((5,)), lambda: x)
    g = tf.gradients(tf.reduce_sum(y), x)[0]
    xv = np.ones(5, np.float32)
    with tf.Session() as s:
        for _ in range(3):
            yv, gv = s.run([y, g], {x: xv, p: True})
            np.testing.assert_array_equal(gv, yv)     # d(x * r)/dx = r, the same draw
            assert len(set(yv.tolist())) == 5
        yv, gv = s.run([y, g], {x: xv, p: False})
        np.testing.assert_array_equal(yv, xv)
        np.testing.assert_array_equal(gv, np.ones(5))


def test_assignment_in_branch_runs_once_with_its_gradient():
    tf.reset_default_graph()
    v = tf.Variable(1.0)
    x = tf.placeholder(tf.float32, ())
    p = tf.placeholder(tf.bool, ())
    y = tf.cond(p, lambda: tf.assign_add(v, 1.0) * x, lambda: x)
    g = tf.gradients(y, x)[0]
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        yv, gv = s.run([y, g], {x: 3.0, p: True})
        assert (yv, gv, s.run(v)) == (6.0, 2.0, 2.0)
        yv, gv = s.run([y, g], {x: 3.0, p: False})
        assert (yv, gv, s.run(v)) == (3.0, 1.0, 2.0)


def test_structures_singletons_and_python_values():
    tf.reset_default_graph()
    p = tf.placeholder(tf.bool, ())
    x = tf.constant([1.0, 2.0])
    one = tf.cond(p, lambda: [x * 2], lambda: [x])           # strict=False: unpacked
    strict = tf.cond(p, lambda: [x * 2], lambda: [x], strict=True)
    pair = tf.cond(p, lambda: (x, 1.0), lambda: (x + 1, 2.0))  # a Python value: x's dtype
    with tf.Session() as s:
        np.testing.assert_array_equal(s.run(one, {p: True}), [2.0, 4.0])
        assert isinstance(strict, list) and len(strict) == 1
        a, b = s.run(pair, {p: False})
        np.testing.assert_array_equal(a, [2.0, 3.0])
        assert b == 2.0 and b.dtype == np.float32


def test_clear_errors():
    tf.reset_default_graph()
    p = tf.placeholder(tf.bool, ())
    x = tf.constant(1.0)
    with pytest.raises(ValueError, match="float32.*int32|same dtypes"):
        tf.cond(p, lambda: x, lambda: tf.constant(1))
    with pytest.raises(ValueError, match="same structure"):
        tf.cond(p, lambda: (x, x), lambda: x)
    with pytest.raises(ValueError, match="scalar"):
        tf.cond(tf.constant([True, False]), lambda: x, lambda: x)
    with pytest.raises(ValueError, match="bool"):
        tf.cond(tf.constant(1.0), lambda: x, lambda: x)


def test_a_tensor_of_the_other_branch_is_computed_outside():
    # TF accepts it ("although dangerous", its control_flow_ops_py_test says)
    tf.reset_default_graph()
    p = tf.placeholder(tf.bool, ())
    x = tf.constant(1.0)
    leaked = []

    def t():
        leaked.append(x * 3)
        return leaked[0]
    r = tf.cond(p, t, lambda: leaked[0] + 1)
    with tf.Session() as s:
        assert s.run(r, {p: True}) == 3.0 and s.run(r, {p: False}) == 4.0


@pytest.fixture
def eager_mode():
    tf.enable_eager_execution()
    yield
    tf.disable_eager_execution()


def test_eager_runs_one_branch(eager_mode):
    calls = []

    def t():
        calls.append("t")
        return tf.constant(1.0)

    def f():
        calls.append("f")
        return tf.constant(2.0)
    assert float(tf.cond(tf.constant(False), t, f)) == 2.0
    assert calls == ["f"]


def test_dict_results_and_eager_single_loop_variable():
    tf.reset_default_graph()
    p = tf.placeholder(tf.bool, ())
    r = tf.cond(p, lambda: {"a": tf.constant(1), "b": {"c": tf.constant(2.0)}},
                lambda: {"a": tf.constant(3), "b": {"c": tf.constant(4.0)}})
    with tf.Session() as s:
        assert s.run(r, {p: True}) == {"a": 1, "b": {"c": 2.0}}
        assert s.run(r, {p: False}) == {"a": 3, "b": {"c": 4.0}}
    tf.enable_eager_execution()
    try:
        out = tf.while_loop(lambda i: i < 3, lambda i: i + 1, [tf.constant(0)])
        assert int(out) == 3        # one loop variable in a list: the tensor, as TF's
    finally:
        tf.disable_eager_execution()


def test_meta_graph_round_trip_keeps_the_conditional(tmp_path):
    tf.reset_default_graph()
    x = tf.placeholder(tf.float32, (), name="x")
    p = tf.placeholder(tf.bool, (), name="p")
    v = tf.Variable(10.0, name="v")
    y = tf.identity(tf.cond(p, lambda: x * v, lambda: tf.assign_add(v, 1.0) - x), name="y")
    saver = tf.train.Saver()
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        saver.save(s, str(tmp_path / "m"))
    tf.reset_default_graph()
    saver = tf.train.import_meta_graph(str(tmp_path / "m.meta"))
    with tf.Session() as s:
        saver.restore(s, str(tmp_path / "m"))
        assert s.run("y:0", {"x:0": 3.0, "p:0": True}) == 30.0
        assert s.run("v:0") == 10.0                  # the other branch's assign did not run
        assert s.run("y:0", {"x:0": 3.0, "p:0": False}) == 8.0
        assert s.run("v:0") == 11.0


def test_none_is_no_tensor():
    # np.asarray(None, float32) is NaN: a gradient None returned by a while body became
    # a NaN loop variable (TF's testGradInWhileWrtInitialLoopVal); TF raises
    tf.reset_default_graph()
    with pytest.raises(ValueError, match="None values not supported"):
        tf.convert_to_tensor(None, dtype=tf.float32)
    with pytest.raises(TypeError, match="Failed to convert elements"):
        tf.constant([1.0, None], dtype=tf.float32)
    x = tf.placeholder(tf.float32, ())
    with pytest.raises(ValueError, match="None values not supported"):
        tf.while_loop(lambda i, _: i < 3,
                      lambda i, v: (i + 1, tf.gradients(v * 2, x)[0]), [0, x + 1])

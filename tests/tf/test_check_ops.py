"""``tf.Assert``, ``tf.assert_*``, ``tf.check_numerics`` and ``tf.case``: a failing
check fails the run with ``InvalidArgumentError`` and changes no variable; a passing one
changes nothing; ``tf.case`` runs only the chosen function (TF's semantics)."""
import numpy as np
import pytest

import ndgrad.tf as tf


@pytest.fixture(autouse=True)
def graph():
    tf.reset_default_graph()
    yield


CHECKS = [
    ("assert_equal", [1.0, 2.0], [1.0, 2.0], [1.0, 3.0]),
    ("assert_none_equal", [1.0, 2.0], [3.0, 4.0], [1.0, 4.0]),
    ("assert_less", [1.0, 2.0], [2.0, 3.0], [2.0, 3.0 - 1.0]),
    ("assert_less_equal", [1.0, 2.0], [1.0, 2.0], [0.0, 2.0]),
    ("assert_greater", [1.0, 2.0], [0.0, 1.0], [1.0, 1.0]),
    ("assert_greater_equal", [1.0, 2.0], [1.0, 2.0], [1.0, 2.5]),
]


@pytest.mark.parametrize("name,x,ok,bad", CHECKS)
def test_comparison_checks_fail_the_run_and_keep_variables(name, x, ok, bad):
    v = tf.Variable(0.0)
    xt = tf.constant(x)
    y = tf.placeholder(tf.float32, (2,))
    check = getattr(tf, name)(xt, y, message="my check")
    with tf.control_dependencies([check]):
        step = tf.assign_add(v, 1.0)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        assert s.run(step, {y: ok}) == 1.0
        with pytest.raises(tf.errors.InvalidArgumentError, match="my check"):
            s.run(step, {y: bad})
        assert s.run(v) == 1.0                      # the failed run changed nothing
    assert getattr(tf.debugging, name) is getattr(tf, name)


@pytest.mark.parametrize("name,good,bad", [
    ("assert_positive", [1.0, 2.0], [0.0, 1.0]),
    ("assert_negative", [-1.0, -2.0], [0.0, -1.0]),
    ("assert_non_negative", [0.0, 2.0], [-1e-30, 1.0]),
    ("assert_non_positive", [0.0, -2.0], [1e-30, -1.0]),
])
def test_sign_checks(name, good, bad):
    x = tf.placeholder(tf.float32, (2,))
    check = getattr(tf, name)(x)
    with tf.Session() as s:
        s.run(check, {x: good})
        with pytest.raises(tf.errors.InvalidArgumentError, match="did not hold"):
            s.run(check, {x: bad})


def test_assert_message_lists_the_data():
    x = tf.placeholder(tf.float32, ())
    check = tf.Assert(x > 0, ["x must be positive, got", x, "and", [1, 2, 3, 4, 5]],
                      summarize=2)
    with tf.Session() as s:
        s.run(check, {x: 1.0})
        with pytest.raises(tf.errors.InvalidArgumentError) as e:
            s.run(check, {x: -1.5})
    assert e.value.message == ("assertion failed: [x must be positive, got] [-1.5] [and] "
                               "[1 2...]")


def test_static_checks_and_clear_errors():
    with pytest.raises(ValueError, match="must have rank 1.  Received rank 2"):
        tf.assert_rank(tf.zeros((2, 3)), 1)
    assert tf.assert_rank(tf.zeros((2, 3)), 2).type == "NoOp"
    p = tf.placeholder(tf.float32, None)
    r = tf.assert_rank(p, 2)
    with tf.Session() as s:
        s.run(r, {p: np.zeros((2, 2))})
        with pytest.raises(tf.errors.InvalidArgumentError, match="rank"):
            s.run(r, {p: np.zeros(3)})
    with pytest.raises(ValueError, match="Expected scalar"):
        tf.assert_scalar(tf.zeros(2))
    with pytest.raises(TypeError, match="float32; got int32"):
        tf.assert_type(tf.constant(1), tf.float32)
    with pytest.raises(ValueError, match="scalar"):
        tf.Assert(tf.constant([True, False]), ["x"])


def test_check_numerics_and_its_gradient():
    x = tf.placeholder(tf.float32, (2,))
    y = tf.check_numerics(tf.log(x), "log(x)")
    z = tf.check_numerics(x * 0.0 + 1.0 / x, "1/x")
    g = tf.gradients(tf.reduce_sum(y), x)[0]
    with tf.Session() as s:
        np.testing.assert_allclose(s.run(g, {x: [1.0, 2.0]}), [1.0, 0.5])
        with pytest.raises(tf.errors.InvalidArgumentError, match="log\\(x\\) : Tensor had NaN"):
            s.run(y, {x: [1.0, -1.0]})
        with pytest.raises(tf.errors.InvalidArgumentError, match="1/x : Tensor had Inf"):
            s.run(z, {x: [1.0, 0.0]})
    assert tf.verify_tensor_all_finite(tf.constant(1.0), "m").op.type == "CheckNumerics"


def test_case_runs_only_the_chosen_function():
    v = tf.Variable(0.0)
    x = tf.placeholder(tf.int32, ())
    r = tf.case([(x < 0, lambda: tf.assign(v, -1.0)), (x > 0, lambda: tf.assign(v, 1.0))],
                default=lambda: tf.assign(v, 0.5))
    r_last = tf.case([(x < 0, lambda: tf.constant(-1)), (x > 0, lambda: tf.constant(1))])
    r_excl = tf.case({x < 10: lambda: tf.constant(1), x > 0: lambda: tf.constant(2)},
                     default=lambda: tf.constant(0), exclusive=True)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        for xv, want in ((-3, -1.0), (4, 1.0), (0, 0.5)):
            assert s.run(r, {x: xv}) == want and s.run(v) == want
        assert s.run(r_last, {x: -3}) == -1 and s.run(r_last, {x: 3}) == 1
        with pytest.raises(tf.errors.InvalidArgumentError, match="None of conditions"):
            s.run(r_last, {x: 0})
        assert s.run(r_excl, {x: 20}) == 2 and s.run(r_excl, {x: -1}) == 1
        with pytest.raises(tf.errors.InvalidArgumentError, match="exclusive=True"):
            s.run(r_excl, {x: 5})


def test_case_gradient_follows_the_chosen_branch():
    x = tf.placeholder(tf.float32, ())
    y = tf.case([(x < 0, lambda: tf.sqrt(-x)), (x < 1, lambda: x * x)],
                default=lambda: tf.log(x))
    g = tf.gradients(y, x)[0]
    with tf.Session() as s:
        for xv, want in ((-4.0, -0.25), (0.5, 1.0), (2.0, 0.5)):
            assert s.run(g, {x: xv}) == pytest.approx(want)


def test_eager_checks_raise_at_once():
    tf.enable_eager_execution()
    try:
        tf.assert_equal(tf.constant([1.0]), tf.constant([1.0]))
        with pytest.raises(tf.errors.InvalidArgumentError, match="x == y"):
            tf.assert_equal(tf.constant([1.0]), tf.constant([2.0]))
        with pytest.raises(tf.errors.InvalidArgumentError, match="NaN"):
            tf.check_numerics(tf.constant([np.nan]), "m")
        assert float(tf.case([(tf.constant(False), lambda: tf.constant(1.0))],
                             default=lambda: tf.constant(2.0))) == 2.0
    finally:
        tf.disable_eager_execution()


def test_checks_decided_by_constants_raise_when_built():
    # TF's check_ops evaluate constant operands at build time (check_ops_test's static
    # cases); a check that passes statically still builds its Assert
    x, y = tf.constant([3, 4], name="big"), tf.constant([1, 2], name="small")
    with pytest.raises(tf.errors.InvalidArgumentError, match="fail.*big.*small"):
        tf.assert_equal(x, y, message="fail")
    with pytest.raises(tf.errors.InvalidArgumentError, match="did not hold"):
        tf.assert_positive(tf.constant([1.0, 0.0]))
    assert tf.assert_less(y, x).type == "Assert"


def test_eager_control_dependencies_take_eager_checks():
    tf.enable_eager_execution()
    try:
        with tf.control_dependencies([tf.assert_equal(tf.constant(1), tf.constant(1))]):
            out = tf.identity(tf.constant(2.0))
        assert float(out) == 2.0
    finally:
        tf.disable_eager_execution()


def test_near_rank_monotone_and_ensure_shape():
    x = tf.placeholder(tf.float32, None)
    near = tf.assert_near(x, [1.0, 2.0], rtol=0.0, atol=0.1)
    at_least = tf.assert_rank_at_least(x, 2)
    rank_in = tf.assert_rank_in(x, [0, 1])
    shaped = tf.ensure_shape(x, [None, 3])
    assert shaped.shape.as_list() == [None, 3]
    with tf.Session() as s:
        s.run(near, {x: [1.05, 1.95]})
        with pytest.raises(tf.errors.InvalidArgumentError, match="tolerance"):
            s.run(near, {x: [1.2, 2.0]})
        s.run(at_least, {x: np.zeros((2, 2))})
        with pytest.raises(tf.errors.InvalidArgumentError, match="at least 2"):
            s.run(at_least, {x: np.zeros(3)})
        s.run(rank_in, {x: np.zeros(3)})
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"in \[0, 1\]"):
            s.run(rank_in, {x: np.zeros((1, 1))})
        np.testing.assert_array_equal(s.run(shaped, {x: np.ones((2, 3))}), np.ones((2, 3)))
        with pytest.raises(tf.errors.InvalidArgumentError, match="not compatible"):
            s.run(shaped, {x: np.ones((2, 4))})
        assert s.run(tf.is_non_decreasing([1, 1, 2])) and not s.run(
            tf.is_strictly_increasing([1, 1, 2]))
        assert s.run(tf.is_strictly_increasing(tf.zeros((0,))))
    with pytest.raises(ValueError, match="not compatible"):
        tf.ensure_shape(tf.zeros((2, 2)), [3, None])
    with pytest.raises(TypeError, match="integer"):
        tf.assert_integer(tf.constant(1.0))
    # the gradient passes ensure_shape as an identity
    p = tf.placeholder(tf.float32, (None, 2))
    g = tf.gradients(tf.reduce_sum(tf.ensure_shape(p, [None, 2]) * 3.0), p)[0]
    np.testing.assert_array_equal(tf.Session().run(g, {p: np.ones((2, 2))}), 3 * np.ones((2, 2)))

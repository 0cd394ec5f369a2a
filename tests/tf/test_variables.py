"""Variables, initializers, assignments and variable scopes: TF 1's rules and errors."""
import numpy as np
import pytest

import ndgrad.tf as tf


def test_variable_basics():
    v = tf.Variable([1.0, 2.0], name="v")
    assert v.name == "v:0" and v.op.name == "v" and v.op.type == "VariableV2"
    assert v.get_shape().as_list() == [2] and v.dtype.base_dtype == tf.float32
    assert repr(v) == "<tf.Variable 'v:0' shape=(2,) dtype=float32_ref>"
    assert v.initializer.name == "v/Assign" and v.initializer.type == "Assign"
    assert tf.Variable(0).name == "Variable:0"
    assert tf.Variable(0).name == "Variable_1:0"
    assert tf.Variable(0).dtype.base_dtype == tf.int32
    assert tf.Variable(1.5, dtype=tf.float64).dtype.base_dtype == tf.float64
    w = tf.Variable(lambda: tf.ones((2,)), name="lazy")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_array_equal(sess.run(w), [1., 1.])


def test_uninitialized_variable_is_failed_precondition_naming_it():
    with tf.variable_scope("scope"):
        v = tf.get_variable("weights", (2,))
    with tf.Session() as sess:
        with pytest.raises(tf.errors.FailedPreconditionError, match="scope/weights") as e:
            sess.run(v * 2)
    assert "uninitialized value scope/weights" in str(e.value)


def test_values_live_in_the_session():
    v = tf.Variable(1.0)
    inc = tf.assign_add(v, 1.0)
    s1 = tf.Session()
    s2 = tf.Session()
    s1.run(v.initializer)
    s2.run(v.initializer)
    s1.run(inc)
    s1.run(inc)
    assert s1.run(v) == 3.0 and s2.run(v) == 1.0
    s3 = tf.Session()
    with pytest.raises(tf.errors.FailedPreconditionError):
        s3.run(v)


def test_assign_ops():
    v = tf.Variable([1.0, 2.0])
    a = tf.assign(v, [5.0, 6.0])
    add = v.assign_add([1.0, 1.0])
    sub = tf.assign_sub(v, [2.0, 2.0])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_array_equal(sess.run(a), [5., 6.])      # the new value
        assert sess.run(a.op) is None
        np.testing.assert_array_equal(sess.run(add), [6., 7.])
        np.testing.assert_array_equal(sess.run(sub), [4., 5.])
        np.testing.assert_array_equal(sess.run(v), [4., 5.])
        v.load([9.0, 9.0], sess)
        np.testing.assert_array_equal(sess.run(v), [9., 9.])
    with pytest.raises(ValueError):
        tf.assign(v, [1.0, 2.0, 3.0])
    with pytest.raises(TypeError):
        tf.assign(v, tf.constant([1, 2]))


def test_failed_run_leaves_variables_unchanged():
    v = tf.Variable([1.0, 2.0])
    w = tf.Variable(10.0)
    p = tf.placeholder(tf.float32, (None,))
    q = tf.placeholder(tf.float32, (None,))
    upd_w = tf.assign_add(w, 1.0)
    upd_v = tf.assign(v, p + q)          # runtime shape error when p, q differ
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        with pytest.raises(tf.errors.InvalidArgumentError):
            sess.run([upd_w, upd_v], {p: [1., 2.], q: [1., 2., 3.]})
        assert sess.run(w) == 10.0
        np.testing.assert_array_equal(sess.run(v), [1., 2.])
        with pytest.raises(tf.errors.InvalidArgumentError):     # missing feed
            sess.run([upd_w, upd_v], {p: [1., 2.]})
        with pytest.raises(ValueError):                          # bad feed shape
            sess.run([upd_w, upd_v], {p: [[1.]], q: [1.]})
        assert sess.run(w) == 10.0
        sess.run([upd_w, upd_v], {p: [1., 2.], q: [3., 4.]})
        assert sess.run(w) == 11.0
        np.testing.assert_array_equal(sess.run(v), [4., 6.])


def test_collections_and_initializers():
    a = tf.Variable(1.0, name="a")
    b = tf.Variable(2.0, name="b", trainable=False)
    assert tf.global_variables() == [a, b]
    assert tf.trainable_variables() == [a]
    init_a = tf.variables_initializer([a])
    with tf.Session() as sess:
        sess.run(init_a)
        assert sess.run(a) == 1.0
        with pytest.raises(tf.errors.FailedPreconditionError, match="b"):
            sess.run(b)
        sess.run(tf.initialize_all_variables())
        assert sess.run(b) == 2.0
        assert sess.run(tf.is_variable_initialized(b))


def test_initializer_objects():
    tf.set_random_seed(0)
    with tf.variable_scope("init"):
        z = tf.get_variable("z", (2, 3), initializer=tf.zeros_initializer())
        o = tf.get_variable("o", (2,), initializer=tf.ones_initializer())
        c = tf.get_variable("c", (2, 2), initializer=tf.constant_initializer(3.0))
        cl = tf.get_variable("cl", (2, 2), initializer=tf.constant_initializer([1., 2.]))
        n = tf.get_variable("n", (2000,), initializer=tf.random_normal_initializer(1.0, 2.0))
        tn = tf.get_variable("tn", (2000,),
                             initializer=tf.truncated_normal_initializer(stddev=0.5))
        u = tf.get_variable("u", (2000,), initializer=tf.random_uniform_initializer(-2, 3))
        gu = tf.get_variable("gu", (30, 20), initializer=tf.glorot_uniform_initializer())
        gn = tf.get_variable("gn", (30, 20), initializer=tf.glorot_normal_initializer())
        d = tf.get_variable("d", (40, 10))                      # default: glorot uniform
        t = tf.get_variable("t", initializer=tf.constant([1., 2.]))
        a = tf.get_variable("a", initializer=np.arange(3.0))
        i = tf.get_variable("i", (2,), dtype=tf.int32)           # ints: zeros
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        r = sess.run
        assert not r(z).any() and r(z).dtype == np.float32 and r(o).tolist() == [1., 1.]
        assert r(c).tolist() == [[3., 3.], [3., 3.]]
        assert r(cl).tolist() == [[1., 2.], [2., 2.]]          # the last value repeats
        assert abs(r(n).mean() - 1.0) < 0.2 and abs(r(n).std() - 2.0) < 0.2
        assert np.abs(r(tn)).max() <= 1.0
        assert r(u).min() >= -2 and r(u).max() < 3
        limit = np.sqrt(6.0 / 50)
        assert np.abs(r(gu)).max() <= limit and np.abs(r(d)).max() <= np.sqrt(6.0 / 50)
        assert np.abs(r(gn)).max() <= 2 * np.sqrt(2.0 / 50) / .87962566103423978 + 1e-6
        assert r(t).tolist() == [1., 2.] and r(a).dtype == np.float64
        assert r(i).tolist() == [0, 0] and r(i).dtype == np.int32
    assert n.op.name == "init/n"


def test_get_variable_errors():
    with tf.variable_scope("foo"):
        v = tf.get_variable("v", [1])
    with pytest.raises(ValueError, match="Variable foo/v already exists"):
        with tf.variable_scope("foo"):
            tf.get_variable("v", [1])
    with pytest.raises(ValueError, match="Variable foo/w does not exist"):
        with tf.variable_scope("foo", reuse=True):
            tf.get_variable("w", [1])
    with pytest.raises(ValueError, match=r"specified shape \(2,\) and found shape \(1,\)"):
        with tf.variable_scope("foo", reuse=True):
            tf.get_variable("v", [2])
    with pytest.raises(ValueError, match="dtype"):
        with tf.variable_scope("foo", reuse=True):
            tf.get_variable("v", [1], dtype=tf.float64)
    with pytest.raises(ValueError, match="fully defined"):
        tf.get_variable("noshape")
    with pytest.raises(ValueError, match="do not specify shape"):
        tf.get_variable("both", (2,), initializer=tf.constant([1., 2.]))
    with tf.variable_scope("foo", reuse=True):
        assert tf.get_variable("v") is v                       # shape may be omitted


def test_reuse_inheritance_and_auto_reuse():
    with tf.variable_scope("a"):
        v = tf.get_variable("v", [1])
    with tf.variable_scope("a", reuse=True):
        with tf.variable_scope("b", reuse=False):         # False inherits True
            assert tf.get_variable_scope().reuse is True
    with tf.variable_scope("a", reuse=tf.AUTO_REUSE):
        assert tf.get_variable("v", [1]) is v
        w = tf.get_variable("w", [1])                     # created
    with tf.variable_scope("a", reuse=tf.AUTO_REUSE):
        assert tf.get_variable("w", [1]) is w
    assert tf.get_variable_scope().reuse is False


def test_scope_object_and_default_name():
    with tf.variable_scope("outer") as scope:
        v = tf.get_variable("v", [1])
    assert scope.name == "outer"
    with tf.variable_scope(scope, reuse=True):
        assert tf.get_variable("v", [1]) is v
    with tf.variable_scope(None, default_name="layer"):
        a = tf.get_variable("w", [1])
    with tf.variable_scope(None, default_name="layer"):
        b = tf.get_variable("w", [1])
    assert a.name == "layer/w:0" and b.name == "layer_1/w:0"
    with pytest.raises(TypeError):
        with tf.variable_scope(None):
            pass


def test_get_variable_ignores_name_scope_and_reentry_names_ops_afresh():
    with tf.name_scope("ns"):
        with tf.variable_scope("vs"):
            v = tf.get_variable("v", [1])
            x = v + 1.0
    assert v.name == "vs/v:0"
    assert x.name == "ns/vs/add:0"
    with tf.variable_scope("vs", reuse=True):
        v2 = tf.get_variable("v", [1])
        y = v2 * 2.0
    assert v2 is v
    assert y.name == "vs/mul:0"           # "vs" was not yet a name scope at the root
    with tf.variable_scope("vs", reuse=True):
        z = v * 2.0
    assert z.name == "vs_1/mul:0"         # re-entered: a fresh name scope for ops
    assert tf.get_variable_scope().name == ""
    with tf.variable_scope("vs"):
        with tf.name_scope("inner"):
            w = tf.get_variable("w", [1])
    assert w.name == "vs/w:0"


def test_scope_initializer_is_inherited():
    with tf.variable_scope("s", initializer=tf.constant_initializer(4.0)):
        with tf.variable_scope("t"):
            v = tf.get_variable("v", [2])
    with tf.Session() as sess:
        sess.run(v.initializer)
        assert sess.run(v).tolist() == [4., 4.]


def test_group_and_control_dependencies():
    v = tf.Variable(0.0)
    w = tf.Variable(0.0)
    g = tf.group(tf.assign(v, 1.0), tf.assign(w, 2.0))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run(g) is None
        assert sess.run([v, w]) == [1.0, 2.0]
        with tf.control_dependencies([tf.assign_add(v, 5.0)]):
            c = tf.constant(0.0) + 1.0
        sess.run(c)
        assert sess.run(v) == 6.0


def test_reads_ordered_after_an_update_see_it():
    v = tf.Variable(1.0)
    upd = tf.assign_add(v, 5.0)
    with tf.control_dependencies([upd]):
        y = tf.identity(v)
        z = v * 2
    plain = v * 1
    with tf.Session() as s:
        s.run(v.initializer)
        assert s.run(y) == 6.0
        assert s.run(z) == 22.0
        assert s.run([upd, plain])[1] == 11.0      # no ordering: the value before the run
        assert s.run(v) == 16.0


def test_scatter_updates_clipping_and_map_fn():
    v = tf.Variable([1., 2., 3.])
    up = tf.scatter_update(v, [0, 2], [10., 30.])
    ad = tf.scatter_add(v, [1, 1], [1., 1.])          # repeated indices accumulate
    x = tf.constant([[3., 4.], [0., 1.]])
    cl = tf.clip_by_norm(x[0], 1.0)
    (a, b), gn = tf.clip_by_global_norm([x[0], x[1]], 2.0)
    m = tf.map_fn(lambda r: tf.reduce_sum(r * r), x)
    with tf.Session() as s:
        s.run(v.initializer)
        assert s.run(up).tolist() == [10., 2., 30.]
        assert s.run(ad).tolist() == [10., 4., 30.]
        np.testing.assert_allclose(s.run(cl), [0.6, 0.8], rtol=1e-6)
        av, bv, gv = s.run([a, b, gn])
        np.testing.assert_allclose(gv, np.sqrt(26.), rtol=1e-6)
        np.testing.assert_allclose(av, [3. * 2 / np.sqrt(26.), 4. * 2 / np.sqrt(26.)],
                                   rtol=1e-6)
        assert s.run(m).tolist() == [25., 1.]


def test_fetched_arrays_do_not_share_memory_with_variables():
    v = tf.Variable([1., 2.])
    i = tf.identity(v)
    a = tf.assign(v, [3., 4.])
    with tf.Session() as s:
        s.run(v.initializer)
        out = s.run(i)
        out[0] = 100.0
        assert s.run(v).tolist() == [1., 2.]
        out = s.run(a)
        out[0] = 100.0
        assert s.run(v).tolist() == [3., 4.]

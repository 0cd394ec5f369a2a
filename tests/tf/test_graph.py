"""Graphs, names, printing, static shapes, dtypes, sessions and fetches: TensorFlow 1's
documented behaviour, values worked out by hand."""
import collections

import numpy as np
import pytest

import ndgrad.tf as tf


# -- names --------------------------------------------------------------------------------
def test_default_names_and_uniquification():
    assert tf.zeros((2, 2)).name == "zeros:0"
    assert tf.zeros((2, 2)).name == "zeros_1:0"
    assert tf.constant(1.0).name == "Const:0"
    assert tf.constant(1.0).name == "Const_1:0"
    assert tf.fill((2,), 1.0).name == "Fill:0"
    assert tf.ones((1,)).op.name == "ones"


def test_operator_names_are_lower_case_function_names_camel_case():
    a = tf.constant(1.0)
    b = tf.constant(2.0)
    assert (a + b).name == "add:0"
    assert (a * b).name == "mul:0"
    assert (a - b).name == "sub:0"
    assert (a / b).name == "truediv:0"
    assert (-a).name == "Neg:0"
    # case-insensitive: tf.add after the operator's "add" is Add_1
    assert tf.add(a, b).name == "Add_1:0"
    assert tf.multiply(a, b).name == "Mul_1:0"
    assert tf.subtract(a, b).name == "Sub_1:0"
    assert (a + b).name == "add_2:0"
    assert (a + b).op.type == "Add"
    assert tf.multiply(a, b).op.type == "Mul"


def test_explicit_names_are_avoided():
    assert tf.constant(1, name="x").name == "x:0"
    assert tf.constant(1, name="x_1").name == "x_1:0"
    assert tf.constant(1, name="x").name == "x_2:0"
    assert tf.constant(1, name="X").name == "X_3:0"


def test_name_scopes():
    with tf.name_scope("foo"):
        a = tf.constant(1.0, name="a")
        with tf.name_scope("bar"):
            b = tf.add(a, a)
    with tf.name_scope("foo"):
        c = tf.constant(2.0)
    assert a.name == "foo/a:0"
    assert b.name == "foo/bar/Add:0"
    assert c.name == "foo_1/Const:0"
    with tf.name_scope("foo/"):          # a trailing slash re-enters as is
        d = tf.constant(3.0)
    assert d.name == "foo/Const:0"


def test_graph_lookup_and_operation_api():
    a = tf.constant([1.0, 2.0], name="a")
    b = tf.multiply(a, a, name="sq")
    g = tf.get_default_graph()
    assert g.get_tensor_by_name("sq:0") is b
    assert g.get_operation_by_name("sq") is b.op
    op = b.op
    assert op.name == "sq" and op.type == "Mul"
    assert op.inputs == [a, a] and op.outputs == [b]
    assert b.graph is g and b.op.graph is g and b.value_index == 0
    with pytest.raises(KeyError):
        g.get_tensor_by_name("nope:0")


def test_graphs_are_separate():
    g = tf.Graph()
    with g.as_default():
        c = tf.constant(1.0)
        assert tf.get_default_graph() is g
    assert c.graph is g
    assert tf.get_default_graph() is not g
    assert tf.constant(1.0).name == "Const:0"   # names are per graph
    with pytest.raises(ValueError):
        tf.add(c, tf.constant(1.0))


# -- printing -----------------------------------------------------------------------------
def test_str_and_repr():
    t = tf.zeros((2, 2))
    assert str(t) == 'Tensor("zeros:0", shape=(2, 2), dtype=float32)'
    assert repr(t) == "<tf.Tensor 'zeros:0' shape=(2, 2) dtype=float32>"
    p = tf.placeholder(tf.float32, (None, 3))
    assert str(p) == 'Tensor("Placeholder:0", shape=(?, 3), dtype=float32)'
    u = tf.placeholder(tf.int32)
    assert str(u) == 'Tensor("Placeholder_1:0", dtype=int32)'
    s = tf.constant(1)
    assert str(s) == 'Tensor("Const:0", shape=(), dtype=int32)'
    v = tf.constant([1, 2, 3])
    assert str(v.shape) == "(3,)"
    assert str(tf.float32) == "<dtype: 'float32'>"
    assert repr(tf.float32) == "tf.float32"


# -- shapes -------------------------------------------------------------------------------
def test_tensor_shape_api():
    s = tf.TensorShape([None, 3])
    assert s.as_list() == [None, 3]
    assert s.ndims == 2 and len(s) == 2
    assert s[1] == tf.Dimension(3) and s[1].value == 3 and s[0].value is None
    assert repr(s[0]) == "Dimension(None)"
    assert str(s) == "(?, 3)"
    assert s.is_compatible_with([5, 3]) and not s.is_compatible_with([5, 4])
    assert s.merge_with([5, None]).as_list() == [5, 3]
    with pytest.raises(ValueError):
        s.merge_with([5, 4])
    assert not s.is_fully_defined() and tf.TensorShape([2, 2]).is_fully_defined()
    assert tf.TensorShape([2, 2]).num_elements() == 4
    u = tf.TensorShape(None)
    assert u.ndims is None and str(u) == "<unknown>"
    with pytest.raises(ValueError):
        u.as_list()
    assert tuple(tf.TensorShape([2, 3])) == (2, 3)   # tuple-like


def test_partial_shapes_propagate():
    p = tf.placeholder(tf.float32, (None, 3))
    assert (p * 2).get_shape().as_list() == [None, 3]
    assert tf.matmul(p, tf.ones((3, 4))).get_shape().as_list() == [None, 4]
    assert tf.reduce_sum(p, axis=1).get_shape().as_list() == [None]
    assert tf.reduce_sum(p, axis=0).get_shape().as_list() == [3]
    assert tf.reduce_sum(p).get_shape().as_list() == []
    assert tf.reduce_mean(p, axis=1, keepdims=True).get_shape().as_list() == [None, 1]
    assert tf.transpose(p).get_shape().as_list() == [3, None]
    assert p[:, 0].get_shape().as_list() == [None]
    assert p[0].get_shape().as_list() == [3]
    assert tf.reshape(p, (-1,)).get_shape().as_list() == [None]
    assert tf.reshape(p, (-1, 1, 3)).get_shape().as_list() == [None, 1, 3]
    assert tf.concat([p, p], 1).get_shape().as_list() == [None, 6]
    assert tf.expand_dims(p, 1).get_shape().as_list() == [None, 1, 3]
    assert (p + tf.constant([1., 2., 3.])).get_shape().as_list() == [None, 3]
    assert tf.nn.softmax(p).get_shape().as_list() == [None, 3]
    assert tf.argmax(p, 1).get_shape().as_list() == [None]
    u = tf.placeholder(tf.float32)
    assert (u + 1).get_shape().ndims is None


def test_static_shape_errors_at_construction():
    with pytest.raises(ValueError, match="2.*3|3.*2"):
        tf.matmul(tf.ones((2, 2)), tf.ones((3, 3)))
    with pytest.raises(ValueError):
        tf.ones((2, 3)) + tf.ones((4,))
    with pytest.raises(ValueError, match="6"):
        tf.reshape(tf.ones((2, 3)), (4,))


def test_set_shape():
    p = tf.placeholder(tf.float32)
    p.set_shape([None, 2])
    assert p.get_shape().as_list() == [None, 2]
    with pytest.raises(ValueError):
        p.set_shape([3])


# -- dtypes -------------------------------------------------------------------------------
def test_python_value_dtypes():
    assert tf.constant(1).dtype == tf.int32
    assert tf.constant(2 ** 31).dtype == tf.int64
    assert tf.constant(1.0).dtype == tf.float32
    assert tf.constant([1, 2.0]).dtype == tf.float32
    assert tf.constant(True).dtype == tf.bool
    assert tf.constant(np.float64(1.0)).dtype == tf.float64
    assert tf.constant(np.arange(3)).dtype == tf.int64
    assert tf.constant(1, dtype=tf.float32).dtype == tf.float32
    assert tf.zeros((1,)).dtype == tf.float32 and tf.ones((1,), tf.int32).dtype == tf.int32
    with pytest.raises(TypeError):
        tf.constant(1.5, dtype=tf.int32)


def test_dtype_objects():
    assert tf.float32.as_numpy_dtype is np.float32
    assert tf.float32 == np.float32 and tf.as_dtype("float32") is tf.float32
    assert tf.float32.is_floating and tf.int32.is_integer and not tf.int32.is_floating
    assert tf.float32 != tf.float64
    assert np.dtype(tf.float32) == np.float32
    v = tf.Variable(1.0)
    assert v.dtype.name == "float32_ref" and v.dtype.base_dtype == tf.float32
    assert (v + 1).dtype == tf.float32


def test_operator_dtype_rules():
    i = tf.constant(7)
    f = tf.constant(2.0)
    with pytest.raises(TypeError):
        i + f
    with pytest.raises(TypeError):
        tf.add(i, f)
    with pytest.raises(TypeError):
        i * 2.5
    assert (f * 2).dtype == tf.float32        # Python scalars take the tensor's dtype
    assert (i / tf.constant(2)).dtype == tf.float64
    assert (2 * i).dtype == tf.int32
    with tf.Session() as sess:
        assert sess.run(i / tf.constant(2)) == 3.5
        assert sess.run(tf.div(tf.constant(-7), tf.constant(2))) == -4
        assert sess.run(tf.div(tf.constant(-7.0), tf.constant(2.0))) == -3.5
        assert sess.run(i // 2) == 3 and sess.run(tf.constant(-7) % 3) == 2
        m = sess.run(tf.reduce_mean(tf.constant([-3, 2])))
        assert m == 0 and m.dtype == np.int32      # truncates toward zero
        assert sess.run(tf.reduce_mean(tf.constant([1, 2]))) == 1
        assert sess.run(tf.argmax(tf.constant([[1., 5.], [7., 3.]]), 1)).dtype == np.int64
        w = sess.run(tf.where(tf.constant([True, False, True])))
        assert w.dtype == np.int64 and w.tolist() == [[0], [2]]
        s = sess.run(tf.reduce_sum(tf.constant([1, 2])))
        assert s == 3 and s.dtype == np.int32


def test_tensors_hash_and_compare_by_identity():
    a = tf.constant(1.0)
    b = tf.constant(1.0)
    assert (a == a) is True and (a == b) is False and (a != b) is True
    d = {a: 1, b: 2}
    assert d[a] == 1
    with pytest.raises(TypeError):
        bool(a)
    with pytest.raises(TypeError):
        if a:
            pass


# -- the dictionary ------------------------------------------------------------------------
def test_dictionary_values():
    x = tf.constant([[1., 2., 3.], [4., 5., 6.]])
    with tf.Session() as s:
        r = s.run
        np.testing.assert_array_equal(r(x[-1, ::-1]), [6., 5., 4.])
        np.testing.assert_array_equal(r(x[:, 1:]), [[2., 3.], [5., 6.]])
        np.testing.assert_array_equal(r(tf.reduce_sum(x, 0)), [5., 7., 9.])
        np.testing.assert_array_equal(r(tf.reduce_sum(x, 1, keep_dims=True)), [[6.], [15.]])
        np.testing.assert_array_equal(r(tf.reduce_max(x, reduction_indices=[0])), [4., 5., 6.])
        assert r(tf.reduce_min(x)) == 1.0 and r(tf.reduce_prod(x)) == 720.0
        assert r(tf.reduce_any(x > 5)) and not r(tf.reduce_all(x > 5))
        np.testing.assert_array_equal(r(tf.matmul(x, x, transpose_b=True)), [[14., 32.],
                                                                            [32., 77.]])
        np.testing.assert_array_equal(r(tf.matmul(x, x, transpose_a=True))[0], [17., 22., 27.])
        np.testing.assert_array_equal(r(tf.transpose(x)), [[1., 4.], [2., 5.], [3., 6.]])
        assert r(tf.concat([x, x], 0)).shape == (4, 3)
        np.testing.assert_array_equal(r(tf.stack([x[0], x[1]], axis=1)), [[1., 4.], [2., 5.],
                                                                          [3., 6.]])
        a, b = r(tf.unstack(x))
        np.testing.assert_array_equal(b, [4., 5., 6.])
        parts = r(tf.split(x, 3, axis=1))
        assert [p.tolist() for p in parts] == [[[1.], [4.]], [[2.], [5.]], [[3.], [6.]]]
        parts = r(tf.split(x, [1, 2], 1))
        assert parts[1].tolist() == [[2., 3.], [5., 6.]]
        assert r(tf.squeeze(tf.ones((1, 3, 1)))).shape == (3,)
        assert r(tf.expand_dims(x, 0)).shape == (1, 2, 3)
        np.testing.assert_array_equal(r(tf.tile(tf.constant([1, 2]), [2])), [1, 2, 1, 2])
        np.testing.assert_array_equal(r(tf.gather(x, [1, 0, 1])), [[4., 5., 6.], [1., 2., 3.],
                                                                   [4., 5., 6.]])
        np.testing.assert_array_equal(r(tf.slice(x, [0, 1], [2, -1])), [[2., 3.], [5., 6.]])
        np.testing.assert_array_equal(r(tf.one_hot([0, 2], 3)), [[1., 0., 0.], [0., 0., 1.]])
        np.testing.assert_array_equal(r(tf.cast(tf.constant([1.7, -1.7]), tf.int32)), [1, -1])
        np.testing.assert_array_equal(r(tf.clip_by_value(x, 2., 4.))[0], [2., 2., 3.])
        np.testing.assert_array_equal(r(tf.range(5)), [0, 1, 2, 3, 4])
        assert r(tf.range(5)).dtype == np.int32
        np.testing.assert_array_equal(r(tf.range(0., 1., .25)), [0., .25, .5, .75])
        np.testing.assert_array_equal(r(tf.linspace(0., 1., 3)), [0., .5, 1.])
        np.testing.assert_array_equal(r(tf.zeros_like(x)), np.zeros((2, 3)))
        np.testing.assert_array_equal(r(tf.ones_like(x)), np.ones((2, 3)))
        np.testing.assert_array_equal(r(tf.fill([2], 7)), [7, 7])
        np.testing.assert_array_equal(r(tf.where(x > 3, x, -x))[0], [-1., -2., -3.])
        np.testing.assert_array_equal(r(tf.equal(x, 2.))[0], [False, True, False])
        np.testing.assert_array_equal(r(tf.maximum(x, 3.))[0], [3., 3., 3.])
        np.testing.assert_allclose(r(tf.sqrt(tf.square(x))), r(tf.abs(x)))
        np.testing.assert_allclose(r(tf.rsqrt(tf.constant(4.))), 0.5)
        np.testing.assert_allclose(r(tf.pow(x, 2.))[1], [16., 25., 36.])
        np.testing.assert_allclose(r(tf.sigmoid(tf.constant(0.))), 0.5)
        np.testing.assert_allclose(r(tf.exp(tf.log(x))), r(x), rtol=1e-6)
        np.testing.assert_allclose(r(tf.tanh(tf.constant(0.))), 0.)
        np.testing.assert_array_equal(r(tf.neg(x))[0], [-1., -2., -3.])
        np.testing.assert_array_equal(r(tf.sub(x, 1.))[0], [0., 1., 2.])
        np.testing.assert_array_equal(r(tf.shape(x)), [2, 3])
        np.testing.assert_array_equal(r(tf.add_n([x, x, x]))[0], [3., 6., 9.])


def test_nn_functions():
    logits = tf.constant([[1., 2., 3.]])
    with tf.Session() as s:
        sm = s.run(tf.nn.softmax(logits))
        e = np.exp([1., 2., 3.])
        np.testing.assert_allclose(sm[0], e / e.sum(), rtol=1e-6)
        np.testing.assert_allclose(s.run(tf.nn.log_softmax(logits))[0], np.log(e / e.sum()),
                                   rtol=1e-6)
        want = np.log(e.sum()) - 2.0
        for f in (tf.nn.softmax_cross_entropy_with_logits,
                  tf.nn.softmax_cross_entropy_with_logits_v2):
            np.testing.assert_allclose(s.run(f(labels=[[0., 1., 0.]], logits=logits)), [want],
                                       rtol=1e-6)
        np.testing.assert_allclose(s.run(tf.nn.sparse_softmax_cross_entropy_with_logits(
            labels=[1], logits=logits)), [want], rtol=1e-6)
        np.testing.assert_array_equal(s.run(tf.nn.relu(tf.constant([-1., 0., 2.]))),
                                      [0., 0., 2.])
        assert s.run(tf.nn.l2_loss(tf.constant([1., 2., 3.]))) == 7.0
        np.testing.assert_allclose(s.run(tf.nn.sigmoid(tf.constant([0.]))), [0.5])
        np.testing.assert_allclose(s.run(tf.nn.tanh(tf.constant([0.]))), [0.])
        np.testing.assert_allclose(s.run(tf.nn.sigmoid_cross_entropy_with_logits(
            labels=[1.], logits=[0.])), [np.log(2.)], rtol=1e-6)


# -- sessions and fetches -------------------------------------------------------------------
def test_fetch_structures():
    a = tf.constant(1.0, name="a")
    b = tf.constant([2, 3], name="b")
    P = collections.namedtuple("P", "x y")
    noop = tf.no_op()
    with tf.Session() as sess:
        assert sess.run(a) == 1.0
        out = sess.run([a, (b, a), {"k": b}, P(a, [b])])
        assert out[0] == 1.0 and isinstance(out[1], tuple)
        assert out[1][0].tolist() == [2, 3] and out[2]["k"].tolist() == [2, 3]
        assert isinstance(out[3], P) and out[3].x == 1.0 and out[3].y[0].tolist() == [2, 3]
        assert sess.run("a:0") == 1.0
        assert sess.run(["a:0", "b:0"])[1].tolist() == [2, 3]
        assert sess.run(noop) is None and sess.run(a.op) is None
        od = sess.run(collections.OrderedDict([("z", a), ("y", b)]))
        assert isinstance(od, collections.OrderedDict) and list(od) == ["z", "y"]
        with pytest.raises(TypeError):
            sess.run(None)
        with pytest.raises(TypeError):
            sess.run(3)


def test_feeds_by_tensor_and_name():
    p = tf.placeholder(tf.float32, (None, 2), name="p")
    c = tf.constant(3.0)
    y = p * c
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(y, {p: [[1, 2]]}), [[3., 6.]])
        np.testing.assert_array_equal(sess.run(y, {"p:0": [[1, 2]]}), [[3., 6.]])
        # any tensor can be fed
        np.testing.assert_array_equal(sess.run(y, {p: [[1, 1]], c: 10.0}), [[10., 10.]])
        assert sess.run(y, {p: np.ones((1, 2))}).dtype == np.float32
        with pytest.raises(TypeError):
            sess.run(y, {p: tf.ones((1, 2))})


def test_missing_feed_names_the_placeholder():
    p = tf.placeholder(tf.float32, (None, 3), name="images")
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match="images") as e:
            sess.run(p * 2)
    assert "You must feed a value for placeholder tensor 'images'" in str(e.value)
    assert "float" in str(e.value) and "[?,3]" in str(e.value)
    assert isinstance(e.value, tf.errors.OpError)


def test_feed_shape_mismatch_names_both_shapes():
    p = tf.placeholder(tf.float32, (None, 3), name="x")
    with tf.Session() as sess:
        with pytest.raises(ValueError) as e:
            sess.run(p, {p: np.zeros((2, 2))})
    msg = str(e.value)
    assert "(2, 2)" in msg and "'x:0'" in msg and "(?, 3)" in msg


def test_runtime_shape_error_is_invalid_argument():
    p = tf.placeholder(tf.float32, (None,))
    q = tf.placeholder(tf.float32, (None,))
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError):
            sess.run(p + q, {p: np.ones(3), q: np.ones(4)})


def test_only_needed_subgraph_runs_and_each_op_once():
    p = tf.placeholder(tf.float32, name="never_fed")
    c = tf.constant(2.0)
    unused = p * 3                     # noqa: F841 (not fetched: need not be fed)
    v = tf.Variable(0.0)
    inc = tf.assign_add(v, 1.0)
    both = inc + inc                   # the assign op runs once per run
    with tf.Session() as sess:
        assert sess.run(c * 2) == 4.0
        sess.run(v.initializer)
        assert sess.run(both) == 2.0
        assert sess.run(v) == 1.0


def test_plan_is_cached_per_fetches_and_feeds():
    p = tf.placeholder(tf.float32, ())
    y = p * 2
    with tf.Session() as sess:
        for i in range(3):
            assert sess.run(y, {p: i}) == 2 * i
        assert len(sess._plans) == 1
        sess.run([y], {p: 1})              # same flat fetches: the same plan
        assert len(sess._plans) == 1
        assert sess.run([y, y], {p: 1}) == [2.0, 2.0]
        assert len(sess._plans) == 2


def test_eval_and_run_need_a_default_session():
    c = tf.constant(1.0)
    with pytest.raises(ValueError, match="default session"):
        c.eval()
    sess = tf.Session()
    assert c.eval(session=sess) == 1.0
    with sess.as_default():
        assert c.eval() == 1.0
        assert tf.get_default_session() is sess
    assert tf.get_default_session() is None
    v = tf.Variable(3.0)
    with sess.as_default():
        v.initializer.run()
        assert v.eval() == 3.0
    sess.close()
    with pytest.raises(RuntimeError):
        sess.run(c)


def test_interactive_session_installs_itself():
    sess = tf.InteractiveSession()
    assert tf.get_default_session() is sess
    assert tf.constant(2.0).eval() == 2.0
    sess.close()
    assert tf.get_default_session() is None


def test_random_ops_with_graph_seed_replay_per_session():
    tf.set_random_seed(1234)
    r = tf.random_normal((3,))
    u = tf.random_uniform((2,), minval=-1, maxval=1)
    t = tf.truncated_normal((1000,))
    with tf.Session() as s1:
        a1, a2 = s1.run(r), s1.run(r)
        b1 = s1.run(u)
        tv = s1.run(t)
    with tf.Session() as s2:
        assert np.array_equal(s2.run(r), a1) and np.array_equal(s2.run(r), a2)
        assert np.array_equal(s2.run(u), b1)
    assert not np.array_equal(a1, a2)
    assert a1.dtype == np.float32 and (np.abs(b1) <= 1).all()
    assert np.abs(tv).max() <= 2.0


def test_eager_execution_same_names():
    tf.enable_eager_execution()
    assert tf.executing_eagerly()
    a = tf.constant([[1., 2.], [3., 4.]])
    b = tf.reduce_sum(a, axis=1)
    np.testing.assert_array_equal(np.asarray(b), [3., 7.])
    assert np.asarray(b).dtype == np.float32
    np.testing.assert_array_equal(np.asarray(tf.matmul(a, a)), [[7., 10.], [15., 22.]])
    np.testing.assert_array_equal(np.asarray(tf.nn.relu(a - 2)), [[0., 0.], [1., 2.]])
    v = tf.Variable(1.0)
    v.assign_add(2.0)
    assert float(v) == 3.0


def test_eager_variable_owns_its_initial_value():
    tf.enable_eager_execution()
    c = np.array([1.0, 2.0])
    v = tf.Variable(c)
    c[0] = 50.0            # TF copies the initial value: the variable does not change
    np.testing.assert_array_equal(v.numpy(), [1.0, 2.0])
    r = v.read_value()
    v.assign([5.0, 5.0])
    np.testing.assert_array_equal(np.asarray(r), [1.0, 2.0])


def test_layers_dense_and_cond():
    x = tf.placeholder(tf.float32, [None, 4])
    h = tf.layers.dense(x, 8, activation=tf.nn.relu)
    o = tf.layers.dense(h, 2, kernel_initializer=tf.ones_initializer())
    assert [v.name for v in tf.trainable_variables()] == [
        "dense/kernel:0", "dense/bias:0", "dense_1/kernel:0", "dense_1/bias:0"]
    assert h.get_shape().as_list() == [None, 8] and o.get_shape().as_list() == [None, 2]
    p = tf.placeholder(tf.bool, ())
    c = tf.cond(p, lambda: x * 2, lambda: x - 1)
    (g,) = tf.gradients(tf.reduce_sum(c), x)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        assert s.run(o, {x: np.ones((3, 4))}).shape == (3, 2)
        v, gv = s.run([c, g], {x: np.ones((1, 4)), p: True})
        assert v.tolist() == [[2.] * 4] and gv.tolist() == [[2.] * 4]
        v, gv = s.run([c, g], {x: np.ones((1, 4)), p: False})
        assert v.tolist() == [[0.] * 4] and gv.tolist() == [[1.] * 4]


def test_dropout_keeps_shape_and_scales():
    tf.set_random_seed(3)
    x = tf.placeholder(tf.float32, [None, 1000])
    keep = tf.placeholder(tf.float32)
    d = tf.nn.dropout(x, keep)
    assert d.get_shape().as_list() == [None, 1000]
    with tf.Session() as s:
        out = s.run(d, {x: np.ones((2, 1000)), keep: 0.5})
    assert set(np.unique(out).tolist()) <= {0.0, 2.0}
    assert 0.4 < (out == 2.0).mean() < 0.6


def test_more_dictionary_names():
    x = tf.constant([[1., 3., 2.], [4., 0., 5.]])
    p = tf.placeholder(tf.float32, (None, 3))
    vals, idx = tf.nn.top_k(p, 2)
    (g,) = tf.gradients(tf.reduce_sum(vals), p)
    m = tf.boolean_mask(p, p > 1.5)
    (gm,) = tf.gradients(tf.reduce_sum(m * m), p)
    (gp,) = tf.gradients(tf.reduce_sum(tf.pad(p, [[1, 1], [0, 1]]) ** 2), p)
    with tf.Session() as s:
        r = s.run
        assert r(tf.cumsum(x, 1)).tolist() == [[1., 4., 6.], [4., 4., 9.]]
        assert r(tf.cumsum(x, 1, exclusive=True)).tolist() == [[0., 1., 4.], [0., 4., 4.]]
        assert r(tf.cumsum(x, 1, reverse=True)).tolist() == [[6., 5., 2.], [9., 5., 5.]]
        assert r(tf.reverse(x, [1])).tolist() == [[2., 3., 1.], [5., 0., 4.]]
        np.testing.assert_allclose(r(tf.norm(x)), np.sqrt(55.), rtol=1e-6)
        assert r(tf.pad(x, [[1, 0], [0, 2]])).tolist()[0] == [0.] * 5
        assert r(tf.count_nonzero(x)) == 5
        assert r(tf.diag([1., 2.])).tolist() == [[1., 0.], [0., 2.]]
        assert r(tf.trace(tf.constant([[1., 2.], [3., 4.]]))) == 5.0
        np.testing.assert_allclose(r(tf.matrix_inverse(tf.constant([[2., 0.], [0., 4.]]))),
                                   [[.5, 0.], [0., .25]])
        assert r(tf.matrix_determinant(tf.constant([[2., 0.], [0., 4.]]))) == 8.0
        assert r(tf.sequence_mask([1, 3], 4)).tolist() == [[True, False, False, False],
                                                           [True, True, True, False]]
        v, i, gv = r([vals, idx, g], {p: [[1., 3., 2.]]})
        assert v.tolist() == [[3., 2.]] and i.tolist() == [[1, 2]] and gv.tolist() == [[0, 1, 1]]
        mv, gmv = r([m, gm], {p: [[1., 3., 2.]]})
        assert mv.tolist() == [3., 2.] and gmv.tolist() == [[0., 6., 4.]]
        assert r(gp, {p: [[1., 2., 3.]]}).tolist() == [[2., 4., 6.]]
        assert r(tf.py_func(lambda a: a * 2, [x], tf.float32))[1].tolist() == [8., 0., 10.]
        assert r(tf.Print(x, [x], "x: ")).tolist() == r(x).tolist()


def test_slicing_with_a_tensor_index():
    x = tf.placeholder(tf.float32, (None, 3))
    i = tf.placeholder(tf.int32, ())
    y = x[i, 1:]
    assert y.get_shape().as_list() == [2]
    (g,) = tf.gradients(tf.reduce_sum(y * 2), x)
    with tf.Session() as s:
        yv, gv = s.run([y, g], {x: np.arange(6.).reshape(2, 3), i: 1})
    assert yv.tolist() == [4., 5.] and gv.tolist() == [[0., 0., 0.], [0., 2., 2.]]


@pytest.mark.parametrize("nv", [0, 2, 3, -1, 7])
def test_slicing_with_tensor_slice_bounds(nv):
    # x[:n], x[n:], x[::n] ... with a scalar int tensor n (TF runs them; ndgrad raised a
    # TypeError). Values and gradients are NumPy's slicing of the fed value, as TF
    # 2.15's in every case here (start, stop and step; negative and past-the-end n)
    keys = {"a": lambda n: np.s_[:n], "b": lambda n: np.s_[n:],
            "c": lambda n: np.s_[1:n, n - 1:], "d": lambda n: np.s_[::n],
            "e": lambda n: np.s_[-n:, ::-1], "f": lambda n: np.s_[:n, 2],
            "g": lambda n: np.s_[..., :n], "h": lambda n: np.s_[None, :n, None],
            "i": lambda n: np.s_[n:n + 2, 1]}
    xs = np.arange(20, dtype=np.float32).reshape(5, 4)
    for name, key in keys.items():
        if name == "d" and nv == 0:
            continue    # (a zero step: an error on both sides)
        with tf.Graph().as_default():
            x = tf.placeholder(tf.float32, (None, 4))
            n = tf.placeholder(tf.int64 if name == "g" else tf.int32, ())
            y = x[key(n)]
            (g,) = tf.gradients(tf.reduce_sum(y * y), x)
            with tf.Session() as s:
                yv, gv = s.run([y, g], {x: xs, n: nv})
        want = xs[key(nv)]
        np.testing.assert_array_equal(yv, want, err_msg=name)
        gw = np.zeros_like(xs)
        gw[key(nv)] = 2 * want
        np.testing.assert_array_equal(gv, gw, err_msg=name)
        static = y.get_shape().as_list()
        assert len(static) == want.ndim and all(
            d is None or d == w for d, w in zip(static, want.shape)), (name, static)


def test_operators_convert_numpy_operands_to_the_tensor_dtype():
    t = tf.constant([1., 2.])
    assert (np.ones(2) + t).dtype == tf.float32
    assert (np.float64(3) * t).dtype == tf.float32
    assert ([1., 2.] + t).dtype == tf.float32 and (2 ** t).dtype == tf.float32
    with tf.Session() as s:
        assert s.run(np.ones(2) / t).tolist() == [1.0, 0.5]
    with pytest.raises(TypeError):
        tf.add(np.ones(2), t)           # the function form: first input's dtype decides


def test_namespaces_losses_and_config():
    assert tf.compat.v1.placeholder is tf.placeholder
    assert tf.math.reduce_sum is tf.reduce_sum and tf.random.normal is tf.random_normal
    y = tf.constant([1., 2.])
    p = tf.constant([1.5, 2.5])
    mse = tf.losses.mean_squared_error(y, p)
    xent = tf.losses.sparse_softmax_cross_entropy(labels=[1], logits=[[1., 2., 3.]])
    with tf.Session(config=tf.ConfigProto(allow_soft_placement=True)) as s:
        a, b, total = s.run([mse, xent, tf.losses.get_total_loss()])
    assert a == 0.25
    np.testing.assert_allclose(b, np.log(np.exp([1., 2., 3.]).sum()) - 2, rtol=1e-6)
    np.testing.assert_allclose(total, a + b, rtol=1e-6)
    with tf.device("/cpu:0"):
        assert tf.constant(1).name == "Const_2:0"


def test_gradients_through_unknown_rank():
    x = tf.placeholder(tf.float32)
    w = tf.Variable([1., 2.])
    xv = [[1., 2.], [3., 4.]]
    want = {"sum": [4., 6.], "mean": [1., 1.5], "max": [0., 4.], "prod": [192., 96.]}
    losses = {"sum": tf.reduce_sum(x * w), "mean": tf.reduce_mean(x * w),
              "max": tf.reduce_max(x * w), "prod": tf.reduce_prod(x * w)}
    with tf.Session() as s:
        s.run(w.initializer)
        for k, loss in losses.items():
            (g,) = tf.gradients(loss, w)
            assert s.run(g, {x: xv}).tolist() == want[k], k


def test_eager_dictionary_names():
    tf.enable_eager_execution()
    x = tf.constant(np.ones((2, 3), np.float32))
    r = np.asarray
    np.testing.assert_allclose(r(tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=[0, 1], logits=x)), [np.log(3.)] * 2, rtol=1e-6)
    assert r(tf.nn.dropout(x, 0.5)).shape == (2, 3)
    assert r(tf.concat([x, x], 0)).shape == (4, 3) and r(tf.transpose(x)).shape == (3, 2)
    assert r(tf.argmax(x, 1)).dtype == np.int64
    assert r(tf.one_hot([0, 2], 3)).tolist() == [[1., 0., 0.], [0., 0., 1.]]
    assert r(tf.split(x, 3, 1)[0]).shape == (2, 1) and r(tf.shape(x)).tolist() == [2, 3]
    # dense's output records gradients for its trainable variables: its values are read
    # through tf.stop_gradient (numpy.asarray of it raises, as PyTorch's numpy())
    assert r(tf.stop_gradient(tf.layers.dense(x, 4))).shape == (2, 4)
    assert float(tf.reduce_sum(x) + 1) == 7.0


def test_seed_era_spellings_and_strings():
    hello = tf.constant("Hello, TensorFlow!")
    assert str(hello) == 'Tensor("Const:0", shape=(), dtype=string)'
    x = tf.placeholder("float", [None, 2])
    assert x.dtype == tf.float32 and tf.as_dtype("double") == tf.float64
    a = tf.constant([[1., 2.]])
    b = tf.constant([[3., 4.]])
    with tf.Session() as s:
        assert s.run(hello) == b"Hello, TensorFlow!"
        assert s.run(tf.concat(0, [a, b])).tolist() == [[1., 2.], [3., 4.]]
        assert [p.shape for p in s.run(tf.split(1, 2, a))] == [(1, 1), (1, 1)]
        assert s.run(tf.select(tf.constant([True, False]), [1, 2], [3, 4])).tolist() == [1, 4]
        assert s.run(tf.arg_max(a, 1)).tolist() == [1]
        assert s.run(tf.pack([a, b])).shape == (2, 1, 2)


def test_while_loop():
    i = tf.constant(0)
    r = tf.while_loop(lambda i: tf.less(i, 10), lambda i: tf.add(i, 1), [i])
    p = tf.placeholder(tf.float32, ())
    n, x = tf.while_loop(lambda n, x: n < 5, lambda n, x: (n + 1, x * p),
                         (tf.constant(0), tf.constant(1.0)))
    v = tf.Variable(3.0)
    m = tf.while_loop(lambda k: k < 100.0, lambda k: k * v, tf.constant(1.0),
                      maximum_iterations=3)
    with tf.Session() as s:
        s.run(v.initializer)
        assert s.run(r) == 10
        assert s.run([n, x], {p: 2.0}) == [5, 32.0]
        assert s.run(m) == 27.0
    with pytest.raises(ValueError, match="shape_invariants"):
        tf.while_loop(lambda a: tf.reduce_sum(a) < 10, lambda a: tf.concat([a, a], 0),
                      [tf.ones((1,))])


def test_shapes_given_as_tensors():
    x = tf.placeholder(tf.float32, (None, 2, 3))
    z = tf.zeros(tf.shape(x))
    o = tf.ones([tf.shape(x)[0], 1])
    r = tf.reshape(x, [tf.shape(x)[0], -1])
    assert z.get_shape().as_list() == [None, 2, 3] and o.get_shape().as_list() == [None, 1]
    (g,) = tf.gradients(tf.reduce_sum(r * r), x)
    with tf.Session() as s:
        zv, ov, rv, gv = s.run([z, o, r, g], {x: np.ones((4, 2, 3))})
    assert zv.shape == (4, 2, 3) and ov.shape == (4, 1) and rv.shape == (4, 6)
    assert gv.tolist() == (2 * np.ones((4, 2, 3))).tolist()


def test_ndgrad_functions_build_graph_nodes():
    import ndgrad as nd
    t = tf.constant([1., 2.])
    y = nd.sum(nd.sin(t) ** 2)
    assert isinstance(y, tf.Tensor) and y.get_shape().as_list() == []
    with tf.Session() as s:
        np.testing.assert_allclose(s.run(y), np.sum(np.sin([1., 2.]) ** 2), rtol=1e-6)
        (g,) = tf.gradients(y, t)
        np.testing.assert_allclose(s.run(g), 2 * np.sin([1., 2.]) * np.cos([1., 2.]),
                                   rtol=1e-5)


def test_eager_variable_in_place_operators_follow_tf():
    """TF's ResourceVariable: += -= *= /= raise RuntimeError (assign_add ... change a
    variable), item assignment raises TypeError, and the other in-place operators bind
    the name to a new value, leaving the variable as it was (an ndgrad array's in-place
    operators wrote into the variable's buffer: every holder of the variable saw it)."""
    tf.enable_eager_execution()
    v = tf.Variable([1.0, 2.0])
    held = v
    for stmt, err in (("v += 1", RuntimeError), ("v -= 1", RuntimeError),
                      ("v *= 2", RuntimeError), ("v /= 2", RuntimeError),
                      ("v[0] = 5", TypeError)):
        with pytest.raises(err):
            exec(stmt, {"v": v})
        np.testing.assert_array_equal(held.numpy(), np.array([1.0, 2.0], np.float32))
    v **= 2.0
    assert not isinstance(v, type(held))
    np.testing.assert_array_equal(np.asarray(v.detach()), np.array([1.0, 4.0], np.float32))
    np.testing.assert_array_equal(held.numpy(), np.array([1.0, 2.0], np.float32))
    held.assign_add([1.0, 1.0])
    np.testing.assert_array_equal(held.numpy(), np.array([2.0, 3.0], np.float32))

"""Eager mode's ``tf.GradientTape`` against TensorFlow: only what runs inside the tape is
recorded, only watched tensors and accessed trainable variables are sources, tapes nest
(a gradient of a gradient), and eager tensors convert to NumPy as TF's do."""
import subprocess
import threading

import numpy as np
import pytest

import ndgrad as nd
import ndgrad.tf as tf


@pytest.fixture
def eager():
    tf.enable_eager_execution()
    yield
    tf.disable_eager_execution()


def test_a_value_computed_before_the_tape_is_a_constant_to_it(eager):
    v = tf.Variable([1.0, 2.0])
    y = v * v                                     # before the tape: not recorded (TF)
    with tf.GradientTape() as t:
        z = tf.reduce_sum(y * 2.0 + v)
    np.testing.assert_array_equal(np.asarray(t.gradient(z, v)), [1.0, 1.0])   # was [5, 9]
    x = tf.constant([3.0])
    w = x * x
    with tf.GradientTape() as t2:
        t2.watch(x)
        z2 = tf.reduce_sum(w * 2.0 + x)
    np.testing.assert_array_equal(np.asarray(t2.gradient(z2, x)), [1.0])


def test_sources_are_watched_tensors_and_accessed_trainable_variables(eager):
    v = tf.Variable([1.0, 2.0])
    frozen = tf.Variable([1.0, 2.0], trainable=False)
    x = tf.constant([3.0])
    with tf.GradientTape() as t1:
        t1.watch(x)
    with tf.GradientTape(persistent=True) as t2:       # x was watched by another tape only
        z = tf.reduce_sum(x * x) + tf.reduce_sum(frozen * v)
    assert t2.gradient(z, x) is None and t2.gradient(z, frozen) is None
    np.testing.assert_array_equal(np.asarray(t2.gradient(z, v)), [1.0, 2.0])
    with tf.GradientTape(watch_accessed_variables=False) as t3:
        z3 = tf.reduce_sum(v * v)
    assert t3.gradient(z3, v) is None
    with tf.GradientTape(watch_accessed_variables=False) as t4:
        t4.watch(v)
        z4 = tf.reduce_sum(v * v)
    np.testing.assert_array_equal(np.asarray(t4.gradient(z4, v)), [2.0, 4.0])


def test_stop_recording_and_nested_tapes(eager):
    v = tf.Variable([1.0, 2.0])
    with tf.GradientTape() as t:
        a = v * v
        with t.stop_recording():
            b = v * 3.0
        c = tf.reduce_sum(a + b)
    np.testing.assert_array_equal(np.asarray(t.gradient(c, v)), [2.0, 4.0])
    x = tf.constant(3.0)
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = x * x * x
        dy = inner.gradient(y, x)
    assert float(dy) == 27.0
    assert float(outer.gradient(dy, x)) == 18.0              # was None


def test_eager_tensors_convert_to_numpy_as_tensorflows(eager):
    v = tf.Variable([1.0, 2.0])
    with tf.GradientTape() as t:
        q = tf.reduce_sum(v * v)
        inside = np.asarray(q)                 # TF: the values; the tape sees no NumPy code
    assert float(inside) == 5.0
    np.testing.assert_array_equal(np.asarray(t.gradient(q, v)), [2.0, 4.0])
    s = tf.reduce_sum(v * 2.0)
    assert type(s.numpy()) is np.float32 and s.numpy() == 6.0
    assert type(tf.Variable(2.0).numpy()) is np.float32
    np.testing.assert_array_equal((v * 2.0).numpy(), np.float32([2.0, 4.0]))


def test_a_new_thread_records_only_inside_its_tape(eager):
    v = tf.Variable([1.0, 2.0])
    out = {}

    def work():
        y = v * v
        with tf.GradientTape() as t:
            z = tf.reduce_sum(y + v * v)
        out["g"] = np.asarray(t.gradient(z, v))
        out["y_recorded"] = y.requires_grad
    th = threading.Thread(target=work)
    th.start()
    th.join()
    np.testing.assert_array_equal(out["g"], [2.0, 4.0])
    assert out["y_recorded"] is False


def test_leaving_eager_mode_restores_ndgrads_own_rules():
    tf.enable_eager_execution()
    tf.disable_eager_execution()
    x = nd.asarray([1.0, 2.0], requires_grad=True)
    y = x * 3.0
    assert y.requires_grad
    with pytest.raises(TypeError, match="requires grad"):
        np.asarray(y)
    with pytest.raises(TypeError, match="requires grad"):
        y.numpy()
    assert type(nd.asarray(2.0).numpy()) is np.ndarray          # PyTorch's: a 0-d array
    y.sum().backward()
    np.testing.assert_array_equal(np.asarray(x.grad), [3.0, 3.0])


# the tape program, as source: TensorFlow runs the same text in the oracle test
TAPES = r'''
def tape_program(tf):
    v = tf.Variable([1.0, 2.0])
    x = tf.constant(3.0)
    y = v * v
    with tf.GradientTape(persistent=True) as t:
        t.watch(x)
        z = tf.reduce_sum(y * 2.0 + v * x) + x * x
        with t.stop_recording():
            w = tf.reduce_sum(v * 5.0)
        u = z + w
    with tf.GradientTape() as o:
        o.watch(x)
        with tf.GradientTape() as i:
            i.watch(x)
            c = tf.sin(x) * x
        d = i.gradient(c, x)
    return dict(gv=t.gradient(z, v).numpy(), gx=t.gradient(z, x).numpy(),
                gu=t.gradient(u, v).numpy(), d=d.numpy(), dd=o.gradient(d, x).numpy(),
                s=type(z.numpy()).__name__)
'''
_T = {}
exec(TAPES, _T)

TF_SCRIPT = """
import sys, numpy as np
import tensorflow as tf
exec(open(sys.argv[2]).read())
np.savez(sys.argv[1], **tape_program(tf))
"""


def test_tapes_give_tensorflows_gradients(tmp_path, tf_python, eager):
    script, src = tmp_path / "t.py", tmp_path / "tapes.py"
    script.write_text(TF_SCRIPT)
    src.write_text(TAPES)
    subprocess.run([tf_python, str(script), str(tmp_path / "tf.npz"), str(src)], check=True,
                   capture_output=True)
    want = np.load(tmp_path / "tf.npz")
    got = _T["tape_program"](tf)
    for k, g in got.items():
        if k == "s":
            assert g == str(want["s"])
            continue
        assert np.asarray(g).dtype == want[k].dtype, k
        np.testing.assert_allclose(g, want[k], rtol=1e-6, err_msg=k)


def test_watching_an_integer_tensor_warns_and_gives_no_gradient(eager):
    x = tf.constant([1, 2])
    with tf.GradientTape() as t:
        with pytest.warns(UserWarning, match="must be floating"):
            t.watch(x)
        y = tf.reduce_sum(x * 2)
    assert t.gradient(y, x) is None


# Adam in a graph, as source: TensorFlow runs the same text in the oracle test
ADAM = r'''
def adam_graph(tf, np, dt):
    g = tf.Graph()
    with g.as_default():
        a = tf.Variable(np.array([1.0, 2.0], dtype=dt))
        op = tf.train.AdamOptimizer(0.1).minimize(tf.reduce_sum(tf.square(a - 3.0)))
        with tf.Session() as s:
            s.run(tf.global_variables_initializer())
            for _ in range(30):
                s.run(op)
            powers = [np.dtype(v.dtype.as_numpy_dtype).name for v in tf.global_variables()
                      if "power" in v.name]
            return s.run(a).tolist(), powers
'''
exec(ADAM, _T)

OPT_SCRIPT = """
import sys, json, numpy as np
import tensorflow.compat.v1 as tf
tf.disable_eager_execution()
exec(open(sys.argv[1]).read())
out = {}
for dt in ("float32", "float64"):
    out[dt], out[dt + "_powers"] = adam_graph(tf, np, dt)
print(json.dumps(out))
"""


def _adam_run(dt, eager_mode):
    if not eager_mode:
        return _T["adam_graph"](tf, np, dt)
    tf.enable_eager_execution()
    try:
        a = tf.Variable(np.array([1.0, 2.0], dtype=dt))
        opt = tf.train.AdamOptimizer(0.1)
        for _ in range(30):
            with tf.GradientTape() as t:
                loss = tf.reduce_sum(tf.square(a - 3.0))
            opt.apply_gradients(zip(t.gradient(loss, [a]), [a]))
        return np.asarray(a.numpy()).tolist(), None
    finally:
        tf.disable_eager_execution()


def test_adam_gives_tensorflows_numbers_bit_for_bit_in_both_modes_and_dtypes(tmp_path,
                                                                          tf_python):
    """Adam's beta powers are float32 variables for a float64 model too, and eager mode
    reads the hyper-parameters as TF's kernels do (a float32 tensor cast to the
    variable's dtype): both were float64 here, off in the 7th digit after 30 steps."""
    script, src = tmp_path / "t.py", tmp_path / "adam.py"
    script.write_text(OPT_SCRIPT)
    src.write_text(ADAM)
    r = subprocess.run([tf_python, str(script), str(src)], check=True, capture_output=True,
                       text=True)
    import json
    want = json.loads(r.stdout.strip().splitlines()[-1])
    for dt in ("float32", "float64"):
        got, powers = _adam_run(dt, False)
        assert got == want[dt] and powers == want[dt + "_powers"] == ["float32", "float32"]
        assert _adam_run(dt, True)[0] == want[dt]


def test_layers_and_rnns_run_eagerly_and_the_tape_differentiates_them(eager):
    """(batch_normalization compared eager variables with == -- elementwise --, the RNN
    cells asked eager variables for get_shape(): both raised)"""
    x = tf.constant(np.random.default_rng(0).standard_normal((2, 4, 4, 3)).astype(np.float32))
    y = tf.layers.batch_normalization(x, training=True)
    assert tuple(y.shape) == (2, 4, 4, 3)
    seq = tf.constant(np.random.default_rng(1).standard_normal((2, 5, 4)).astype(np.float32))
    with tf.GradientTape() as t:
        out, _ = tf.nn.dynamic_rnn(tf.nn.rnn_cell.LSTMCell(3), seq, dtype=tf.float32)
        loss = tf.reduce_sum(out)
    from ndgrad.tf.eager import trainable_eager_variables   # (TF's collections: empty)
    grads = t.gradient(loss, [v for v in trainable_eager_variables() if "lstm" in v.name])
    assert grads and all(g is not None for g in grads)
    with pytest.raises(NotImplementedError, match="graph mode only"):
        tf.nn.nce_loss(tf.ones([5, 3]), tf.zeros([5]), tf.constant([[1], [2]], tf.int64),
                       tf.ones([2, 3]), 2, 5)


def test_tf_eager_mode_does_not_open_numpy_conversion_inside_ndgrads_verbs(eager):
    """TF's rule (values of a tape's tensors convert to NumPy) is for tapes only: inside
    nd.grad, NumPy code on a traced value would still cut the gradient silently."""
    with pytest.raises(TypeError, match="differentiated"):
        nd.grad(lambda x: nd.sum(nd.asarray(np.asarray(x) * 2.0) * x))(nd.asarray([1.0, 2.0]))
    v = tf.Variable([1.0, 2.0])
    with tf.GradientTape():
        assert np.asarray(v * 2.0).tolist() == [2.0, 4.0]


def test_gradient_of_nested_targets_and_sources(eager):
    # TF flattens the target, sources and output_gradients nests: a dict of targets is
    # their sum (ndgrad took the dict as one unrecorded target: a silent None), a dict of
    # sources gets a dict of gradients
    x = tf.constant([0.5, -1.2, 2.0])
    v = tf.Variable([1.0, 2.0, 3.0])
    with tf.GradientTape(persistent=True) as t:
        t.watch(x)
        y = {"a": x * 2.0, "b": [x * x, v * x]}
    np.testing.assert_allclose(t.gradient(y, x).numpy(), [4.0, 1.6, 9.0])   # TF 2.15.1's
    g = t.gradient(y, {"x": x, "v": [v]})
    assert set(g) == {"x", "v"} and isinstance(g["v"], list)
    np.testing.assert_allclose(g["v"][0].numpy(), [0.5, -1.2, 2.0])
    og = {"a": tf.constant([1.0, 0.0, 0.0]), "b": [tf.constant([0.0, 1.0, 0.0]),
                                                   tf.constant([0.0, 0.0, 1.0])]}
    np.testing.assert_allclose(t.gradient(y, x, output_gradients=og).numpy(),
                               [2.0, -2.4, 3.0])


def test_jacobian_and_batch_jacobian_as_tensorflow(eager):
    # [shape, sum, sum of squares] of TensorFlow 2.15.1's eager results
    x = tf.constant(np.array([[0.1, 0.2, 0.3], [0.4, -0.5, 0.6]]))
    z = tf.constant(np.ones(3))
    w64 = tf.Variable(np.array([[1.0, 2.0], [0.5, -1.0], [2.0, 0.0]]))
    with tf.GradientTape(persistent=True) as t:
        t.watch(x)
        t.watch(z)
        y1 = tf.tanh(x) * tf.reduce_sum(x)
        y2 = tf.matmul(x, w64)
        y3 = tf.reduce_sum(x, axis=1)
        y4 = tf.nn.softmax(x)
    jd = t.jacobian(y2, {"w": w64, "x": x})
    got = [t.jacobian(y1, x), jd["w"], jd["x"], t.jacobian(y3, z),
           t.jacobian(y3, z, unconnected_gradients="zero"), t.batch_jacobian(y4, x),
           t.batch_jacobian(y1, x)]
    want = [[[2, 3, 2, 3], 12.001325364770175, 12.221751463567843],
            [[2, 2, 3, 2], 2.2, 1.82], [[2, 2, 2, 3], 9.0, 20.5], None,
            [[2, 3], 0.0, 0.0], [[2, 3, 3], 0.0, 0.43585688000642253],
            [[2, 3, 3], 12.001325364770175, 15.37596987605508]]
    for v, w_ in zip(got, want):
        if w_ is None:
            assert v is None
            continue
        v = np.asarray(v)
        assert list(v.shape) == w_[0]
        np.testing.assert_allclose([v.sum(), (v * v).sum()], w_[1:], rtol=1e-12, atol=1e-14)
    with pytest.raises(RuntimeError, match="once"):
        with tf.GradientTape() as t2:
            t2.watch(z)
            q = z * z
        t2.jacobian(q, z)
        t2.jacobian(q, z)


def test_the_jacobian_of_an_empty_target_is_empty(eager):
    # an empty target failed in a reshape (a row of zeros stood in for none); TF 2.15.1's
    # shapes, unconnected "zero" too
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    with tf.GradientTape(persistent=True) as t:
        t.watch(x)
        y = x[:, :0] * 2.0
        e = tf.reshape(x, [-1])[:0]
    shapes = [t.jacobian(e, x).shape, t.jacobian(y, x).shape, t.batch_jacobian(y, x).shape,
              t.jacobian(e, x, unconnected_gradients="zero").shape]
    assert [tuple(s) for s in shapes] == [(0, 2, 2), (2, 0, 2, 2), (2, 0, 2), (0, 2, 2)]


def test_eager_optimizer_slots_belong_to_their_variable(eager):
    # the slots were keyed by id(variable): a new variable that got a dead one's id
    # started from the dead one's momentum (its first step -1.9 where -1.0 is right)
    import gc
    opt = tf.train.MomentumOptimizer(1.0, momentum=0.9)
    for _ in range(20):
        w = tf.Variable(np.zeros(3))
        opt.apply_gradients([(tf.constant(np.ones(3)), w)])
        np.testing.assert_array_equal(w.numpy(), [-1.0, -1.0, -1.0])
        del w
        gc.collect()
    # get_slot gives the slot variables (it gave None in eager mode); TensorFlow 2.15.1's
    # values and names for three Adam steps
    w = tf.Variable(np.array([1.0, 2.0]))
    adam = tf.train.AdamOptimizer(0.1)
    for _ in range(3):
        with tf.GradientTape() as t:
            loss = tf.reduce_sum(w * w)
        adam.apply_gradients([(t.gradient(loss, w), w)])
    m, v = adam.get_slot(w, "m"), adam.get_slot(w, "v")
    np.testing.assert_allclose(m.numpy(), [0.48408262, 1.02603359], rtol=1e-8)
    np.testing.assert_allclose(v.numpy(), [0.00979128, 0.04335542], rtol=1e-6)
    np.testing.assert_allclose(w.numpy(), [0.70158733, 1.70062443], rtol=1e-8)
    assert m.name == "Variable/Adam:0" and adam.get_slot(w, "m") is m
    assert adam.get_slot(w, "nope") is None


def test_read_value_and_value_are_reads_of_the_variable(eager):
    # TF's read_value()/value() inside a tape are the variable read: the gradient reaches
    # the variable (ndgrad's were cut off: None); the result is a tensor of its own
    v = tf.Variable([1.0, 2.0])
    with tf.GradientTape(persistent=True) as t:
        a = tf.reduce_sum(v.read_value() ** 2)
        b = tf.reduce_sum(v.value() * 3.0)
    np.testing.assert_array_equal(np.asarray(t.gradient(a, v)), [2.0, 4.0])
    np.testing.assert_array_equal(np.asarray(t.gradient(b, v)), [3.0, 3.0])
    r = v.read_value()
    v.assign([5.0, 6.0])
    assert np.asarray(r).tolist() == [1.0, 2.0] and v.numpy().tolist() == [5.0, 6.0]

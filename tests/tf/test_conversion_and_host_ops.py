"""``convert_to_tensor``'s autopacking of lists that hold tensors, and the host ops
``tf.Print``/``tf.py_func``, in graph and eager mode, against TensorFlow."""
import subprocess
import sys

import numpy as np
import pytest

import ndgrad.tf as tf


def _run(t, feed=None):
    with tf.Session() as s:
        return s.run(t, feed)


def test_a_list_of_graph_tensors_is_packed_with_gradients():
    x = tf.placeholder(tf.float32, (2,))
    packed = tf.convert_to_tensor([x, 2 * x])
    assert packed.shape.as_list() == [2, 2] and packed.dtype == tf.float32
    nested = tf.convert_to_tensor([[x, x], [x, [3, 4]]])        # Python values take x's dtype
    assert nested.shape.as_list() == [2, 2, 2]
    g, = tf.gradients(tf.reduce_sum(packed * packed), x)
    with tf.Session() as s:
        p, n, gv = s.run([packed, nested, g], {x: [1.0, 2.0]})
    np.testing.assert_array_equal(p, [[1, 2], [2, 4]])
    np.testing.assert_array_equal(n, [[[1, 2], [1, 2]], [[1, 2], [3, 4]]])
    np.testing.assert_array_equal(gv, 2 * np.array([1, 2]) + 8 * np.array([1, 2]))
    assert _run(tf.add([x, x], 1.0), {x: [0.5, 1.5]}).tolist() == [[1.5, 2.5], [1.5, 2.5]]


def test_packing_takes_the_first_tensors_dtype_and_casts_only_to_an_asked_dtype():
    x = tf.placeholder(tf.float32, (2,))
    i = tf.constant([1, 2])
    with pytest.raises(TypeError, match="tensor of dtype int32 to float32"):
        tf.convert_to_tensor([x, i])
    with pytest.raises(TypeError, match="Expected int32"):
        tf.convert_to_tensor([i, [0.5, 1.5]])            # a float into the int32 tensor's dtype
    both = tf.convert_to_tensor([x, i], dtype=tf.float64)
    assert both.dtype == tf.float64
    np.testing.assert_array_equal(_run(both, {x: [0.5, 1.5]}), [[0.5, 1.5], [1, 2]])
    # a list without tensors is still a constant, as before
    assert tf.convert_to_tensor([1.0, 2.0]).op.type == "Const"


def test_eager_lists_of_tensors_pack_and_keep_the_tape():
    tf.enable_eager_execution()
    x = tf.constant([1.0, 2.0])
    np.testing.assert_array_equal(np.asarray(tf.convert_to_tensor([x, [5, 6]])),
                                  [[1, 2], [5, 6]])
    v = tf.Variable([1.0, 2.0])
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(tf.convert_to_tensor([v, 3 * v]) ** 2)
    np.testing.assert_array_equal(np.asarray(tape.gradient(y, v)), [20.0, 40.0])
    with pytest.raises(TypeError, match="int32 to float32"):
        tf.convert_to_tensor([x, tf.constant([1, 2])])


def test_print_in_graph_and_eager_mode(capfd):
    x = tf.constant([1.0, 0.1, 1 / 3, 4.0], tf.float32)
    y = tf.Print(x, [x, tf.constant([2.0], tf.float64)], "x: ", first_n=2)
    for _ in range(3):
        np.testing.assert_array_equal(_run(y), np.float32([1.0, 0.1, 1 / 3, 4.0]))
    err = capfd.readouterr().err
    assert err.splitlines() == ["x: [1 0.1 0.333333343...][2]"] * 2
    tf.enable_eager_execution()
    v = tf.Variable([1.0, 2.0])
    with tf.GradientTape() as tape:
        z = tf.reduce_sum(tf.Print(v * 2, [v], "eager: ") * v)
    np.testing.assert_array_equal(np.asarray(tape.gradient(z, v)), [4.0, 8.0])
    assert capfd.readouterr().err == "eager: [1 2]\n"


def test_py_func_in_graph_and_eager_mode():
    x = tf.constant([1.0, 4.0])
    y = tf.py_func(np.sqrt, [x], tf.float32)
    a, b = tf.py_func(lambda v: (v * 2, v.astype(np.int32)), [x], [tf.float32, tf.int32])
    np.testing.assert_array_equal(_run(y), [1.0, 2.0])
    ra, rb = _run([a, b])
    assert rb.dtype == np.int32 and rb.tolist() == [1, 4] and ra.tolist() == [2.0, 8.0]
    # a result of another dtype than Tout is TF 2.15's InvalidArgumentError (checked
    # there: int64 for int32, float64 for float32), not a cast that rounds or wraps;
    # str results are bytes, as TF's
    a2, b2 = tf.py_func(lambda v: (v * 2, v.astype(np.int64)), [x], [tf.float32, tf.int32])
    with pytest.raises(tf.errors.InvalidArgumentError, match="is int64, but expects int32"):
        _run([a2, b2])
    with pytest.raises(tf.errors.InvalidArgumentError, match="is float64, but expects"):
        _run(tf.py_func(lambda v: v.astype(np.float64), [x], tf.float32))
    assert _run(tf.py_func(lambda v: "h\u00e9llo", [x], tf.string)) == "h\u00e9llo".encode()
    with pytest.raises(tf.errors.InternalError, match="Unsupported object type dict"):
        _run(tf.py_func(lambda: {"a": 1}, [], tf.int64))
    op = tf.py_func(lambda v: None, [x], [])
    assert isinstance(op, tf.Operation) and _run(op) is None
    bad = tf.py_func(lambda v: v, [x], [tf.float32, tf.float32])
    with pytest.raises(Exception, match="returned 1 values; Tout names 2"):
        _run(bad)
    tf.enable_eager_execution()
    x = tf.constant([1.0, 4.0])
    r = tf.py_func(np.sqrt, [x], tf.float64)
    assert r.dtype == np.float64 and np.asarray(r).tolist() == [1.0, 2.0]
    with pytest.raises(ValueError, match="returned 1 values; Tout names 2"):
        tf.py_func(lambda v: v, [x], [tf.float32, tf.float32])


TF_SCRIPT = r"""
import sys, numpy as np
import tensorflow.compat.v1 as tf
tf.disable_eager_execution()
x = tf.placeholder(tf.float32, (2,))
p = tf.convert_to_tensor([x, 2 * x])
n = tf.convert_to_tensor([[x, x], [x, [3, 4]]])
c = tf.convert_to_tensor([x, tf.constant([1, 2])], dtype=tf.float64)
g, = tf.gradients(tf.reduce_sum(p * p), x)
y = tf.Print(x, [x, tf.constant([1 / 3], tf.float64)], "x: ")
try:
    tf.convert_to_tensor([x, tf.constant([1, 2])])
    err = "none"
except TypeError as e:
    err = "TypeError"
with tf.Session() as s:
    out = s.run([p, n, c, g, y], {x: [1.0, 0.1]})
np.savez(sys.argv[1], *out, err=np.array(err))
"""


def test_conversions_and_print_give_tensorflows_results(tmp_path, tf_python):
    script = tmp_path / "t.py"
    script.write_text(TF_SCRIPT)
    r = subprocess.run([tf_python, str(script), str(tmp_path / "tf.npz")], check=True,
                       capture_output=True, text=True)
    want = np.load(tmp_path / "tf.npz")
    x = tf.placeholder(tf.float32, (2,))
    p = tf.convert_to_tensor([x, 2 * x])
    n = tf.convert_to_tensor([[x, x], [x, [3, 4]]])
    c = tf.convert_to_tensor([x, tf.constant([1, 2])], dtype=tf.float64)
    g, = tf.gradients(tf.reduce_sum(p * p), x)
    y = tf.Print(x, [x, tf.constant([1 / 3], tf.float64)], "x: ")
    got = _run([p, n, c, g, y], {x: [1.0, 0.1]})
    for k, v in enumerate(got):
        w = want[f"arr_{k}"]
        assert v.dtype == w.dtype and v.shape == w.shape
        np.testing.assert_array_equal(v, w)
    assert str(want["err"]) == "TypeError"
    printed = [line for line in r.stderr.splitlines() if line.startswith("x: ")]
    import io
    import contextlib
    buf = io.StringIO()
    with contextlib.redirect_stderr(buf):
        _run(y, {x: [1.0, 0.1]})
    assert buf.getvalue().splitlines() == printed


def test_py_func_never_splits_an_array_into_outputs():
    """TF reads a returned list or tuple as one value per item and anything else as one
    value: an array of two elements for two outputs is an error, not the two elements; a
    tuple for one output is an error, not an array stacked from it."""
    x = tf.constant([1.0, 4.0])
    two = tf.py_func(lambda v: v, [x], [tf.float32, tf.float32])
    with pytest.raises(Exception, match="returned 1 values; Tout names 2"):
        _run(two)
    one = tf.py_func(lambda v: (v, v), [x], tf.float32)
    with pytest.raises(Exception, match="returned 2 values; Tout names 1"):
        _run(one)
    np.testing.assert_array_equal(_run(tf.py_func(lambda v: [v], [x], tf.float32)), [1, 4])


def test_py_func_error_is_tfs_and_the_function_runs_once():
    """A py_func that raises is TF's OpError for the exception (ValueError:
    InvalidArgumentError, AttributeError: UnknownError), and the function ran once: the
    session's search for the failing step used to call it a second time, which here
    succeeded, so the user's function ran twice and a bare ValueError came out."""
    calls = []

    def f(x):
        calls.append(1)
        if len(calls) == 1:
            raise ValueError("first call fails")
        return x
    y = tf.py_func(f, [tf.constant(1.0)], tf.float32)
    with tf.Session() as s:
        with pytest.raises(tf.errors.InvalidArgumentError, match="ValueError: first call"):
            s.run(y)
        assert len(calls) == 1
        assert s.run(y) == 1.0 and len(calls) == 2

        def g(x):
            raise AttributeError("no attr")
        with pytest.raises(tf.errors.UnknownError, match="AttributeError: no attr"):
            s.run(tf.py_func(g, [1.0], tf.float32))

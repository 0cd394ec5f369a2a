"""NumPy conversion of an array that records a gradient (PyTorch's rule): ``numpy.asarray``,
``numpy.array`` and DLPack export refuse it whenever recording is on, outside the verbs
too; ``x.detach()`` gives the values, ``nd.no_grad()`` allows the conversion, and
``float``/``item``/``tolist``/``repr`` keep working."""
import copy
import math
import pickle
import re
import threading

import numpy as np
import pytest
from hypothesis import given, strategies as st
from hypothesis.extra import numpy as hnp

import ndgrad as nd

_SPECIAL = [0.0, -0.0, 1.5, -2.25, np.inf, -np.inf, np.nan]
_FLOATS = ["float16", "float32", "float64", "complex64", "complex128"]


def _values(dtype):
    el = st.sampled_from(_SPECIAL)
    if np.dtype(dtype).kind == "c":
        el = st.builds(complex, st.sampled_from(_SPECIAL), st.sampled_from(_SPECIAL))
    return hnp.arrays(dtype, hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4),
                      elements=el)


def _same_bits(got, want):
    want = np.asarray(want)
    assert type(got) is np.ndarray
    assert got.dtype == want.dtype and got.shape == want.shape
    np.testing.assert_array_equal(got.reshape(-1).view(np.uint8),
                                  want.reshape(-1).view(np.uint8))


def re_escape(shape):
    return re.escape(str(shape))


# -- the refusal, for a leaf and for a result, by every way out ------------------------------
@pytest.mark.parametrize("how", ["asarray", "array", "array copy", "asanyarray", "dlpack",
                                 "__dlpack__", "vectorize", "emath.sqrt (no ndgrad version)",
                                 "testing"])
def test_numpy_of_an_array_that_requires_grad_is_refused(how):
    conv = {
        "asarray": np.asarray, "array": np.array,
        "array copy": lambda a: np.array(a, dtype=np.float32, copy=True),
        "asanyarray": np.asanyarray, "dlpack": np.from_dlpack,
        "__dlpack__": lambda a: a.__dlpack__(),
        "vectorize": np.vectorize(math.sin),          # NumPy code that never dispatches
        "emath.sqrt (no ndgrad version)": np.emath.sqrt,
        "testing": lambda a: np.testing.assert_allclose(a, [0.5, 2.0, 3.0]),
    }[how]
    x = nd.asarray([0.5, 2.0, 3.0], requires_grad=True)
    y = nd.exp(x)
    for a in (x, y, y[1:]):
        match = "requires grad" + (rf" \(shape \({a.shape[0]},\), dtype float64\).*"
                                   r"x\.detach\(\)" if "no ndgrad" not in how else "")
        with pytest.raises(TypeError, match=match):
            conv(a)
    # nothing was lost: the gradient is still whole
    nd.sum(y * x).backward()
    xv = np.array([0.5, 2.0, 3.0])
    np.testing.assert_allclose(np.asarray(x.grad), np.exp(xv) * (1 + xv), rtol=1e-15)


def test_the_motivating_silent_case_now_raises():
    # NumPy code computing on the values and feeding the result back used to cut the
    # gradient through that path with no error: x.grad came out as (x*x + 1), not 3x^2 + 1
    xv = np.array([0.5, 1.0, 2.0])
    x = nd.asarray(xv, requires_grad=True)
    y = x * x
    with pytest.raises(TypeError, match=r"requires grad \(shape \(3,\), dtype float64\)"):
        nd.asarray(np.asarray(y) + 1.0)
    # NumPy's own function dispatches to ndgrad's and keeps the whole gradient
    z = nd.asarray(np.add(y, 1.0))
    nd.sum(z * x).backward()
    np.testing.assert_allclose(np.asarray(x.grad), 3 * xv ** 2 + 1, rtol=1e-15)
    # the values wanted as a constant: detach() says so, and the gradient follows
    x.grad = None
    c = nd.asarray(np.asarray(y.detach()) + 1.0)
    assert not c.requires_grad
    nd.sum(c * x).backward()
    np.testing.assert_allclose(np.asarray(x.grad), xv ** 2 + 1, rtol=1e-15)


def test_inside_the_verbs_the_refusal_names_the_function_being_differentiated():
    with pytest.raises(TypeError, match=r"function being differentiated computes with "
                                        r"\(shape \(2,\), dtype float32\)"):
        nd.grad(lambda t: nd.sum(np.asarray(t)))(nd.ones(2, dtype=nd.float32))
    with pytest.raises(TypeError, match="function being differentiated"):
        nd.grad(lambda t: nd.sum(nd.asarray(np.from_dlpack(t))))(nd.ones(2))


# -- what stays allowed ----------------------------------------------------------------------
def test_no_grad_allows_the_conversion_and_keeps_the_recorded_gradient():
    xv = np.array([1.0, -2.0, 3.0])
    x = nd.asarray(xv.copy(), requires_grad=True)
    y = nd.sum(x * x)                      # the rule saved x
    with nd.no_grad():
        v = np.asarray(x)                  # x's own buffer: NumPy code may write into it
        d = np.from_dlpack(x * 2.0)        # (nothing recorded here)
        assert float(np.asarray(y)) == 14.0
    np.testing.assert_array_equal(d, 2 * xv)
    v[:] = 0.0
    assert x.tolist() == [0.0, 0.0, 0.0]   # a write through the NumPy view is x's ...
    y.backward()                           # ... and the gradient keeps the forward's values
    np.testing.assert_array_equal(np.asarray(x.grad), 2 * xv)
    # set_grad_enabled(False) is the same switch; enable_grad inside no_grad refuses again
    with nd.set_grad_enabled(False):
        np.asarray(y)
    with nd.no_grad(), nd.enable_grad():
        with pytest.raises(TypeError, match="requires grad"):
            np.asarray(y)


def test_recording_is_per_thread():
    x = nd.asarray([1.0, 2.0], requires_grad=True)
    got = {}

    def other():                           # a new thread records, whatever this one does
        try:
            np.asarray(x)
            got["r"] = "converted"
        except TypeError as e:
            got["r"] = str(e)
    with nd.no_grad():
        np.asarray(x)
        t = threading.Thread(target=other)
        t.start()
        t.join()
    assert "requires grad" in got["r"]


def test_scalars_lists_printing_pickling_and_copies_keep_working():
    x = nd.asarray([1.5, -0.0, np.nan], requires_grad=True)
    y = x * 2.0
    s = nd.sum(x[:2] * 3.0)
    assert float(s) == 4.5 and s.item() == 4.5 and int(s) == 4 and bool(s)
    assert complex(s) == 4.5 + 0j and f"{s:.2f}" == "4.50"
    t = y.tolist()
    assert t[0] == 3.0 and math.copysign(1.0, t[1]) == -1.0 and math.isnan(t[2])
    assert repr(y) == "array([ 3., -0., nan])" and str(y) == "[ 3. -0. nan]"
    assert repr(s) == "np.float64(4.5)"
    assert len(y) == 3 and [float(v) for v in y][0] == 3.0
    p = pickle.loads(pickle.dumps(y))      # values and requires_grad (a new leaf)
    assert p.requires_grad and p.is_leaf
    np.testing.assert_array_equal(np.asarray(p.detach()), [3.0, -0.0, np.nan])
    c = copy.deepcopy(y)                   # a recorded copy: gradients still flow
    nd.nansum(c).backward()
    np.testing.assert_array_equal(np.asarray(x.grad), [2.0, 2.0, 0.0])
    # NumPy's functions that dispatch, and ndgrad's own asarray, keep the gradient
    assert np.sum(y).requires_grad and nd.asarray(y).requires_grad
    assert not nd.asarray(y.detach()).requires_grad


def test_tf_eager_variables_give_their_values_through_numpy():
    import ndgrad.tf as tf
    tf.reset_default_graph()
    tf.enable_eager_execution()
    try:
        w = tf.Variable([1.0, 2.0])            # trainable: records gradients
        assert w.numpy().tolist() == [1.0, 2.0]  # TF's numpy(): a constant to any tape
        # TF's rule in its eager mode: a tensor's values convert to NumPy, also inside a
        # tape (which does not see NumPy code); outside a tape nothing is recorded
        assert np.asarray(w * 2.0).tolist() == [2.0, 4.0]
        with tf.GradientTape():
            assert np.asarray(w * 2.0).tolist() == [2.0, 4.0]
        assert np.asarray(tf.stop_gradient(w * 2.0)).tolist() == [2.0, 4.0]
        # tf.constant of an eager tensor is the tensor (TF's): the gradient through it is
        # kept (it was silently cut); reshaped, its values; get_variable's initial value
        t = w * 3.0
        assert tf.constant(t) is t and not tf.constant(t, shape=(2, 1)).requires_grad
        with pytest.raises(TypeError, match="Expected tensor with type tf.float64"):
            tf.constant(t, dtype=tf.float64)
        with tf.GradientTape() as tape:
            y = tf.reduce_sum(tf.constant(w * 3.0) * w)
        assert tape.gradient(y, w).tolist() == [6.0, 12.0]
        v = tf.get_variable("from_a_tensor", initializer=t)
        assert v.numpy().tolist() == [3.0, 6.0] and v is not t
        # sampling reads the logits' values (no gradient, as TF's): allowed
        s = tf.multinomial(tf.reshape(w, (1, 2)) * 0.0 + tf.log([[1e-30, 1.0]]), 4, seed=3)
        assert s.tolist() == [[1, 1, 1, 1]]
        # a tape's output gradients are constants; the optimizer's update reads values
        with tf.GradientTape() as tape:
            y = w * w
        g = tape.gradient(y, w, output_gradients=w * 1.0)
        assert g.tolist() == [2.0, 8.0]
        tf.train.GradientDescentOptimizer(0.5).apply_gradients([(g, w)])
        assert w.numpy().tolist() == [0.0, -2.0]
    finally:
        tf.disable_eager_execution()
        tf.reset_default_graph()


# -- property: every float dtype, 0-d and empty shapes, NaN/inf/-0 ----------------------------
@given(st.sampled_from(_FLOATS).flatmap(_values), st.sampled_from(["neg", "view", "leaf"]))
def test_refused_with_shape_and_dtype_and_the_values_are_numpys(xv, kind):
    x = nd.asarray(xv.copy(), requires_grad=True)
    y = {"neg": lambda: -x, "view": lambda: x[...], "leaf": lambda: x}[kind]()
    want = {"neg": -xv, "view": xv, "leaf": xv}[kind]
    shape, dtype = re_escape(y.shape), y.dtype
    for conv in (np.asarray, np.from_dlpack):
        with pytest.raises(TypeError, match=rf"requires grad \(shape {shape}, dtype {dtype}\)"):
            conv(y)
    _same_bits(np.asarray(y.detach()), want)
    with nd.no_grad():
        _same_bits(np.asarray(y), want)
        _same_bits(np.from_dlpack(y), want)
    np.testing.assert_array_equal(np.array(y.tolist(), dtype=want.dtype).reshape(want.shape),
                                  want)

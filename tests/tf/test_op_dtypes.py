"""Which dtypes ndgrad.tf's ops take, against TensorFlow 2.15's own answer, and the dtypes
and values of results where ndgrad's NumPy/SciPy forward would differ from TF's kernel.

``data/op_dtypes_tf2_15.json`` holds, for each TF function, the dtypes TF 2.15
(``tf.compat.v1``, graph mode) builds and runs it with; ndgrad.tf must take exactly those
and refuse the others with a TypeError (before, ``tf.sin`` of int32 gave float64,
``tf.nn.relu`` and ``tf.maximum`` of complex ordered complex numbers lexicographically,
``tf.logical_and`` of floats and ``tf.reduce_sum`` of bools gave values).
"""
import json
import os

import numpy as np
import pytest

import ndgrad.tf as tf
from ndgrad.tf.op_dtypes import ALLOWED

_DATA = json.load(open(os.path.join(os.path.dirname(__file__), "data",
                                    "op_dtypes_tf2_15.json")))["accepts"]
_DTYPES = ["bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
           "float16", "float32", "float64", "complex64", "complex128"]


def _function(module, name):
    # (as the probe: tf.<name>, else tf.math.<name>; tf.nn.<name> for module "nn")
    if module:
        return getattr(getattr(tf, module), name)
    return getattr(tf, name, None) or getattr(tf.math, name)


def _accepts(f, dt, k):
    v = np.array([True, False, True]) if dt == "bool" else np.array([1, 2, 3], dtype=dt)
    with tf.Graph().as_default():
        try:
            out = f(*[tf.constant(v) for _ in range(k)])
        except TypeError as e:
            assert "not in list of allowed values" in str(e), str(e)
            return False
        with tf.Session() as s:
            s.run(out)
        return True


def test_the_table_covers_the_probed_functions():
    assert sorted(spec.split(":")[1] for spec in _DATA) == sorted(ALLOWED)


@pytest.mark.parametrize("spec", sorted(_DATA))
def test_accepts_the_dtypes_tensorflow_accepts(spec):
    module, name, k = spec.split(":")
    f = _function(module, name)
    got = [dt for dt in _DTYPES if _accepts(f, dt, int(k))]
    assert got == [dt for dt in _DTYPES if dt in _DATA[spec]]


def test_refused_in_eager_mode_too():
    tf.enable_eager_execution()
    try:
        with pytest.raises(TypeError, match="DataType int32 not in list.*tf.sin, op Sin"):
            tf.sin(tf.constant([1, 2]))
        with pytest.raises(TypeError, match="DataType complex64.*tf.relu"):
            tf.nn.relu(tf.constant([1 + 1j], tf.complex64))
        assert float(tf.sin(tf.constant([0.0]))[0]) == 0.0
    finally:
        tf.disable_eager_execution()


def test_special_functions_keep_float16():
    # SciPy's loops give float64 (erf, lgamma, digamma, xlogy, xlog1py) or float32 (erfinv)
    # for float16; TF's kernels give float16. Values from TF 2.15
    h = tf.constant([0.5, 1.5, 3.0], tf.float16)
    x = tf.constant([[0.1, 0.2, 3.5], [-2., -5., 30.]], dtype=tf.float16)
    y = tf.constant([[0.1, 0.2, 3.5], [3.1, 4., 2.]], dtype=tf.float16)
    outs = [tf.erf(h), tf.lgamma(h), tf.digamma(h), tf.math.xlog1py(h, h),
            tf.math.xlogy(x, y)]
    assert all(t.dtype == tf.float16 for t in outs)
    with tf.Session() as s:
        vals = s.run(outs)
    assert all(v.dtype == np.float16 for v in vals)
    assert vals[0].tolist() == [0.5205078125, 0.96630859375, 1.0]
    assert vals[1].tolist() == [0.572265625, -0.12078857421875, 0.693359375]
    assert vals[2].tolist() == [-1.9638671875, 0.0364990234375, 0.9228515625]
    assert vals[3].tolist() == [0.2027587890625, 1.375, 4.16015625]
    assert vals[4].tolist() == [[-0.230224609375, -0.32177734375, 4.38671875],
                                [-2.26171875, -6.93359375, 20.796875]]
    # no half kernel in TF: refused, not computed in float32
    for f in (tf.math.erfinv, tf.math.ndtri):
        with pytest.raises(TypeError, match="float16 not in list"):
            f(h)
    with pytest.raises(TypeError, match="int32 not in list"):
        tf.erf(tf.constant([1, 2]))


def test_special_function_gradient_in_float16():
    h = tf.constant([0.5, 1.5], tf.float16)
    g, = tf.gradients(tf.reduce_sum(tf.erf(h)), h)
    with tf.Session() as s:
        v = s.run(g)
    assert v.dtype == np.float16
    np.testing.assert_allclose(v, 2 / np.sqrt(np.pi) * np.exp(-np.array([0.5, 1.5]) ** 2),
                               rtol=2e-3)


def test_l2_normalize_of_complex_is_tensorflows():
    # before: x * rsqrt(max(sum(x * x), eps)) with the complex square (magnitudes ~1e5)
    z = tf.constant([[3 + 4j, 1 - 2j], [0j, 1e-7 + 0j]], tf.complex64)
    with tf.Session() as s:
        v = s.run(tf.nn.l2_normalize(z, axis=1))
    assert v.dtype == np.complex64
    np.testing.assert_allclose(v, [[0.547722578048706 + 0.7302967309951782j,
                                    0.18257418274879456 - 0.3651483654975891j],
                                   [0j, 0.10000000149011612 + 0j]], rtol=1e-6)


def test_div_no_nan_broadcasts():
    # TF's DivNoNan broadcasts (80, 1) by (1, 24); TF1's three-argument where does not
    n = tf.constant(np.arange(-2, 2, 1.0).reshape(4, 1), tf.float32)
    d = tf.constant(np.array([[-1.0, 0.0, 2.0]]), tf.float32)
    q = tf.div_no_nan(n, d)
    gn, gd = tf.gradients(tf.reduce_sum(q), [n, d])
    with tf.Session() as s:
        v, a, b = s.run([q, gn, gd])
    assert v.tolist() == [[2.0, 0.0, -1.0], [1.0, 0.0, -0.5], [-0.0, 0.0, 0.0],
                          [-1.0, 0.0, 0.5]]
    # d/dn sum(n / d) = sum over the row of 1 / d (0 where d is 0); d/dd = -sum(n) / d^2
    np.testing.assert_allclose(a, [[-0.5]] * 4)
    np.testing.assert_allclose(b, [[2.0, 0.0, 0.5]])


def test_monotone_checks_compare_elements():
    # TF compares x[1:] - x[:-1] with 0: the difference wraps for uint8 [3, 2, 1] and int8
    # [-100, 100], and is NaN for [inf, inf]; ndgrad.tf gives the true answers
    cases = [(tf.constant([3, 2, 1], tf.uint8), False, False),
             (tf.constant([1, 2, 3], tf.uint8), True, True),
             (tf.constant([-100, 100], tf.int8), True, True),
             (tf.constant([np.inf, np.inf]), True, False),
             (tf.constant([1.0, np.nan, 2.0]), False, False),
             (tf.constant([1.0, 1.0]), True, False),
             (tf.zeros([0]), True, True), (tf.constant([[1, 2], [2, 5]]), True, False)]
    with tf.Session() as s:
        for x, nondec, strict in cases:
            assert s.run(tf.is_non_decreasing(x)) == nondec
            assert s.run(tf.is_strictly_increasing(x)) == strict
    with pytest.raises(TypeError, match="DataType bool"):
        tf.is_non_decreasing(tf.constant([True, False]))


def test_xdivy_values_and_gradients_are_tensorflows():
    # printed by TF 2.15 for the same program
    x = tf.constant([0.0, 3.0, 0.0, -2.0, 1.0])
    y = tf.constant([0.0, 2.0, 5.0, 0.0, np.inf])
    q = tf.math.xdivy(x, y)
    gx, gy = tf.gradients(tf.reduce_sum(q), [x, y])
    x2, y2 = tf.constant([[0.0], [2.0]]), tf.constant([[1.0, 4.0, 0.0]])
    q2 = tf.math.xdivy(x2, y2)
    g2 = tf.gradients(tf.reduce_sum(q2), [x2, y2])
    with tf.Session() as s:
        v = s.run([q, gx, gy, q2] + g2)
    assert v[0].tolist() == [0.0, 1.5, 0.0, -np.inf, 0.0]
    assert v[1].tolist() == [0.0, 0.5, 0.0, np.inf, 0.0]
    assert v[2].tolist() == [0.0, -0.75, 0.0, np.inf, 0.0]
    assert v[3].tolist() == [[0.0, 0.0, 0.0], [2.0, 0.5, np.inf]]
    assert v[4].tolist() == [[0.0], [np.inf]]
    assert v[5].tolist() == [[-2.0, -0.125, -np.inf]]


def test_sort_of_uint64_near_its_maximum():
    x = tf.constant(np.array([5, 1, 2 ** 64 - 1, 0], np.uint64))
    with tf.Session() as s:
        assert s.run(tf.sort(x)).tolist() == [0, 1, 5, 2 ** 64 - 1]
        assert s.run(tf.argsort(x)).tolist() == [3, 1, 0, 2]


@pytest.mark.parametrize("dtype", [tf.float16, tf.float64])
def test_xlogy_and_xlog1py_gradients_are_tensorflows(dtype):
    # TF's gradient is 0 for both operands where x is 0 (the SciPy op's is log(y) there);
    # values and gradients printed by TF 2.15 (float32 differs from TF's in the last bit
    # of log, which is why it is not here)
    x = tf.constant([0.0, 0.0, 0.1, 0.1, -2.0, 3.0], dtype)
    y = tf.constant([3.1, 0.0, 0.0, 3.1, 0.5, -0.5], dtype)
    want = {tf.float16: [
        [[0.0, 0.0, -np.inf, 0.113037109375, 1.38671875, np.nan],
         [0.0, 0.0, -np.inf, 1.130859375, -0.693359375, np.nan],
         [0.0, 0.0, np.inf, 0.032257080078125, -4.0, -6.0]],
        [[0.0, 0.0, 0.0, 0.14111328125, -0.81103515625, -2.080078125],
         [0.0, 0.0, 0.0, 1.4111328125, 0.405517578125, -0.693359375],
         [0.0, 0.0, 0.0999755859375, 0.0243682861328125, -1.3330078125, 6.0]]],
            tf.float64: [
        [[0.0, 0.0, -np.inf, 0.11314021114911006, 1.3862943611198906, np.nan],
         [0.0, 0.0, -np.inf, 1.1314021114911006, -0.6931471805599453, np.nan],
         [0.0, 0.0, np.inf, 0.03225806451612903, -4.0, -6.0]],
        [[0.0, 0.0, 0.0, 0.1410986973710262, -0.8109302162163288, -2.0794415416798357],
         [0.0, 0.0, 0.0, 1.410986973710262, 0.4054651081081644, -0.6931471805599453],
         [0.0, 0.0, 0.1, 0.02439024390243903, -1.3333333333333333, 6.0]]]}[dtype]
    with tf.Session() as s:
        for f, w in zip((tf.math.xlogy, tf.math.xlog1py), want):
            z = f(x, y)
            got = s.run([z] + tf.gradients(tf.reduce_sum(z), [x, y]))
            for g, v in zip(got, w):
                np.testing.assert_array_equal(g, np.asarray(v, g.dtype))

"""tf.train's learning-rate schedules give TensorFlow's values, dtypes and errors.

The expected values are TensorFlow 2.21's (``tf.compat.v1``, CPU), from the programs in
PROGRAM and EAGER_PROGRAM run there; the oracle tests run them again where TensorFlow is
installed (``NDGRAD_TF_PYTHON``).
"""
import functools
import subprocess

import numpy as np
import pytest

import ndgrad.tf as tf

PROGRAM = '''
import numpy as np

STEPS = [0, 1, 4, 5, 9, 10, 11, 15, 19, 20, 21, 29, 30, 31, 69, 70, 100, 1000]
SCHEDULES = {
    "exponential": lambda tf, s: tf.train.exponential_decay(0.1, s, 10, 0.96),
    "exponential_stair": lambda tf, s: tf.train.exponential_decay(0.1, s, 10, 0.5,
                                                                  staircase=True),
    "piecewise": lambda tf, s: tf.train.piecewise_constant(s, [10, 20, 30],
                                                           [1.0, 0.5, 0.25, 0.125]),
    "piecewise_decay": lambda tf, s: tf.train.piecewise_constant_decay(s, [5], [0.3, 0.2]),
    "polynomial": lambda tf, s: tf.train.polynomial_decay(0.1, s, 20),
    "polynomial_pow": lambda tf, s: tf.train.polynomial_decay(0.1, s, 20, 0.01, power=0.5),
    "polynomial_cycle": lambda tf, s: tf.train.polynomial_decay(0.1, s, 10, 0.01, power=2.0,
                                                                cycle=True),
    "natural_exp": lambda tf, s: tf.train.natural_exp_decay(0.1, s, 10, 0.5),
    "natural_exp_stair": lambda tf, s: tf.train.natural_exp_decay(0.1, s, 10, 0.5,
                                                                  staircase=True),
    "inverse_time": lambda tf, s: tf.train.inverse_time_decay(0.1, s, 10, 0.5),
    "inverse_time_stair": lambda tf, s: tf.train.inverse_time_decay(0.1, s, 10, 0.5,
                                                                    staircase=True),
    "cosine": lambda tf, s: tf.train.cosine_decay(0.1, s, 20),
    "cosine_alpha": lambda tf, s: tf.train.cosine_decay(0.1, s, 20, alpha=0.1),
    "restarts": lambda tf, s: tf.train.cosine_decay_restarts(0.1, s, 10),
    "restarts_t1": lambda tf, s: tf.train.cosine_decay_restarts(0.1, s, 10, t_mul=1.0,
                                                                m_mul=0.5, alpha=0.1),
    "restarts_mul": lambda tf, s: tf.train.cosine_decay_restarts(0.1, s, 7, t_mul=1.5,
                                                                 m_mul=0.8),
    "linear_cosine": lambda tf, s: tf.train.linear_cosine_decay(0.1, s, 20),
    "linear_cosine_p": lambda tf, s: tf.train.linear_cosine_decay(0.1, s, 20, num_periods=2,
                                                                  alpha=0.1, beta=0.01),
    "exponential_f64": lambda tf, s: tf.train.exponential_decay(
        tf.constant(0.1, tf.float64), s, 10, 0.96),
    "polynomial_f64": lambda tf, s: tf.train.polynomial_decay(
        tf.constant(0.1, tf.float64), s, 10),
}


def run_graph(tf, feed):
    """Every schedule at every step of STEPS: ``feed`` "placeholder" (an int64 step fed),
    "variable" (the int64 global step, assigned) or "python" (a Python int per step)."""
    out = {}
    g = tf.Graph()
    with g.as_default():
        if feed == "python":
            ts = {k: [f(tf, s) for s in STEPS] for k, f in SCHEDULES.items()}
        else:
            if feed == "placeholder":
                step = tf.placeholder(tf.int64, ())
            else:
                step = tf.train.get_or_create_global_step()
                new = tf.placeholder(tf.int64, ())
                set_step = tf.assign(step, new)
            ts = {k: f(tf, step) for k, f in SCHEDULES.items()}
        with tf.Session(graph=g) as sess:
            sess.run(tf.global_variables_initializer())
            if feed == "python":
                for k, t in ts.items():
                    out[k] = np.array(sess.run(t))
            else:
                res = {k: [] for k in ts}
                for s in STEPS:
                    if feed == "placeholder":
                        vals = sess.run(ts, {step: s})
                    else:
                        sess.run(set_step, {new: s})
                        vals = sess.run(ts)
                    for k in ts:
                        res[k].append(vals[k])
                out = {k: np.array(v) for k, v in res.items()}
    return out
'''

EAGER_PROGRAM = '''
import numpy as np


def run_eager(tf, schedules, steps):
    """Under eager execution: the callable each schedule returns, called after the int64
    step variable is assigned each step of ``steps``."""
    step = tf.Variable(0, dtype=tf.int64)
    fns = {k: f(tf, step) for k, f in schedules.items()}
    out = {k: [] for k in fns}
    for s in steps:
        step.assign(s)
        for k, fn in fns.items():
            out[k].append(np.asarray(fn()))
    return {k: np.array(v) for k, v in out.items()}
'''
_P = {}
exec(PROGRAM, _P)
_E = {}
exec(EAGER_PROGRAM, _E)

# TensorFlow 2.21's values at STEPS (graph mode, the step fed to an int64 placeholder)
TF_VALUES = {
    "exponential": (np.float32, [
        0.100000001, 0.0995926186, 0.0983803794, 0.0979795903, 0.0963926911, 0.0960000008,
        0.0956089124, 0.0940604061, 0.0925369784, 0.0921600014, 0.0917845517, 0.0888355002,
        0.0884735957, 0.0881131664, 0.0754521191, 0.075144738, 0.0664832518, 0.0016870281]),
    "exponential_stair": (np.float32, [
        0.100000001, 0.100000001, 0.100000001, 0.100000001, 0.100000001, 0.0500000007,
        0.0500000007, 0.0500000007, 0.0500000007, 0.0250000004, 0.0250000004, 0.0250000004,
        0.0125000002, 0.0125000002, 0.00156250002, 0.000781250012, 9.76562515e-05,
        7.88860917e-32]),
    "piecewise": (np.float32, [
        1, 1, 1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.125, 0.125, 0.125, 0.125,
        0.125]),
    "piecewise_decay": (np.float32, [
        0.300000012, 0.300000012, 0.300000012, 0.300000012, 0.200000003, 0.200000003,
        0.200000003, 0.200000003, 0.200000003, 0.200000003, 0.200000003, 0.200000003,
        0.200000003, 0.200000003, 0.200000003, 0.200000003, 0.200000003, 0.200000003]),
    "polynomial": (np.float32, [
        0.100000001, 0.0950049981, 0.080020003, 0.0750249997, 0.0550449975, 0.0500500016,
        0.045055002, 0.0250749998, 0.00509500084, 9.99999975e-05, 9.99999975e-05,
        9.99999975e-05, 9.99999975e-05, 9.99999975e-05, 9.99999975e-05, 9.99999975e-05,
        9.99999975e-05, 9.99999975e-05]),
    "polynomial_pow": (np.float32, [
        0.100000001, 0.097721152, 0.0904984474, 0.0879422873, 0.0767457858, 0.0736396089,
        0.0703738332, 0.0549999997, 0.030124614, 0.00999999978, 0.00999999978,
        0.00999999978, 0.00999999978, 0.00999999978, 0.00999999978, 0.00999999978,
        0.00999999978, 0.00999999978]),
    "polynomial_cycle": (np.float32, [
        0.100000001, 0.0828999951, 0.0424000025, 0.0324999988, 0.0109000001, 0.00999999978,
        0.0282249991, 0.015625, 0.0102249999, 0.00999999978, 0.0181000009, 0.0100999996,
        0.00999999978, 0.0145562515, 0.0100183673, 0.00999999978, 0.00999999978,
        0.00999999978]),
    "natural_exp": (np.float32, [
        0.100000001, 0.0951229483, 0.0818730816, 0.0778800771, 0.0637628138, 0.0606530681,
        0.0576949827, 0.0472366586, 0.038674105, 0.0367879458, 0.0349937752, 0.023457028,
        0.0223130174, 0.0212247968, 0.00317456387, 0.00301973871, 0.000673794828,
        1.92875198e-23]),
    "natural_exp_stair": (np.float32, [
        0.100000001, 0.100000001, 0.100000001, 0.100000001, 0.100000001, 0.0606530681,
        0.0606530681, 0.0606530681, 0.0606530681, 0.0367879458, 0.0367879458, 0.0367879458,
        0.0223130174, 0.0223130174, 0.00497870706, 0.00301973871, 0.000673794828,
        1.92875198e-23]),
    "inverse_time": (np.float32, [
        0.100000001, 0.0952381045, 0.0833333284, 0.0799999982, 0.068965517, 0.0666666701,
        0.0645161346, 0.0571428575, 0.051282052, 0.0500000007, 0.0487804823, 0.0408163257,
        0.0399999991, 0.0392156839, 0.0224719122, 0.0222222228, 0.0166666675,
        0.00196078443]),
    "inverse_time_stair": (np.float32, [
        0.100000001, 0.100000001, 0.100000001, 0.100000001, 0.100000001, 0.0666666701,
        0.0666666701, 0.0666666701, 0.0666666701, 0.0500000007, 0.0500000007, 0.0500000007,
        0.0399999991, 0.0399999991, 0.0250000004, 0.0222222228, 0.0166666675,
        0.00196078443]),
    "cosine": (np.float32, [
        0.100000001, 0.0993844196, 0.0904508457, 0.0853553414, 0.0578217208, 0.049999997,
        0.0421782732, 0.0146446619, 0.00061558187, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
    "cosine_alpha": (np.float32, [
        0.100000001, 0.0994459763, 0.0914057642, 0.0868198127, 0.0620395504, 0.054999996,
        0.0479604453, 0.0231801961, 0.010554024, 0.0100000007, 0.0100000007, 0.0100000007,
        0.0100000007, 0.0100000007, 0.0100000007, 0.0100000007, 0.0100000007, 0.0100000007]),
    "restarts": (np.float32, [
        0.100000001, 0.0975528285, 0.0654508471, 0.049999997, 0.00244716997, 0.100000001,
        0.0993844196, 0.0853553414, 0.0578217283, 0.049999997, 0.0421782695, 0.00061558187,
        0.100000001, 0.0998458639, 0.00015413166, 0.100000001, 0.0691341683, 0.0378509909]),
    "restarts_t1": (np.float32, [
        0.100000001, 0.0977975428, 0.0689057633, 0.054999996, 0.0122024529, 0.0550000034,
        0.0538987704, 0.0324999988, 0.01110123, 0.0324999988, 0.0319493823, 0.0105506135,
        0.0212500002, 0.0209746938, 0.010034414, 0.010703125, 0.0100878915, 0.0100000007]),
    "restarts_mul": (np.float32, [
        0.100000001, 0.0950484425, 0.0388739482, 0.0188255012, 0.0730495453, 0.0649395883,
        0.0546136312, 0.0106779104, 0.0625783354, 0.0601030961, 0.0565134175, 0.010826041,
        0.00649174908, 0.0031689913, 0.030224774, 0.0285917167, 0.0311058592,
        0.00516561139]),
    "linear_cosine": (np.float32, [
        0.100100003, 0.094515197, 0.0724606737, 0.0641165078, 0.0319019482, 0.0250999983,
        0.0190802254, 0.00376116531, 0.000130779095, 0.000100000005, 0.000100000005,
        0.000100000005, 0.000100000005, 0.000100000005, 0.000100000005, 0.000100000005,
        0.000100000005, 0.000100000005]),
    "linear_cosine_p": (np.float32, [
        0.111000001, 0.0959733874, 0.00959423278, 0.00100000005, 0.0597930625,
        0.0610000007, 0.0507479608, 0.00100000005, 0.0145676285, 0.0109999999,
        0.0109999999, 0.0109999999, 0.0109999999, 0.0109999999, 0.0109999999, 0.0109999999,
        0.0109999999, 0.0109999999]),
    "exponential_f64": (np.float64, [
        0.10000000000000001, 0.09959261191717822, 0.098380378554385389,
        0.097979588616319876, 0.096392690186764995, 0.095999997854232799,
        0.095608905303465497, 0.094060402969253193, 0.092536980510931649,
        0.092159995880127007, 0.091784547039782338, 0.0888354993048662,
        0.088473594067382949, 0.088113163188708321, 0.075452118994524989,
        0.075144736053504801, 0.066483248738984188, 0.0016870281650789147]),
    "polynomial_f64": (np.float64, [
        0.10000000000000001, 0.090009999999747389, 0.060039999998989513,
        0.050049999998736897, 0.010089999997726407, 9.9999997473787516e-05,
        9.9999997473787516e-05, 9.9999997473787516e-05, 9.9999997473787516e-05,
        9.9999997473787516e-05, 9.9999997473787516e-05, 9.9999997473787516e-05,
        9.9999997473787516e-05, 9.9999997473787516e-05, 9.9999997473787516e-05,
        9.9999997473787516e-05, 9.9999997473787516e-05, 9.9999997473787516e-05]),
}
# NumPy's float32 cos/log/pow and Eigen's differ in the last bits; cosine_decay_restarts'
# geometric periods (a log quotient, floored, and powers of it) take them to ~3e-6
RTOL = 5e-6


@pytest.mark.parametrize("feed", ["placeholder", "variable", "python"])
def test_schedules_give_tensorflows_values(feed):
    got = _P["run_graph"](tf, feed)
    assert sorted(got) == sorted(TF_VALUES)
    for k, (dt, want) in TF_VALUES.items():
        assert got[k].dtype == dt, k
        np.testing.assert_allclose(got[k], np.array(want, dt), rtol=RTOL, atol=1e-12,
                                   err_msg=f"{feed}/{k}")


def test_schedules_under_eager_are_callables_of_the_current_step():
    tf.enable_eager_execution()
    try:
        step = tf.Variable(0, dtype=tf.int64)
        fn = tf.train.polynomial_decay(0.1, step, 20)
        assert isinstance(fn, functools.partial)
        assert float(np.asarray(fn())) == pytest.approx(0.1)
        step.assign(10)
        assert float(np.asarray(fn())) == pytest.approx(0.05005, rel=1e-6)   # re-read
        got = _E["run_eager"](tf, _P["SCHEDULES"], _P["STEPS"])
    finally:
        tf.disable_eager_execution()
    for k, (dt, want) in TF_VALUES.items():
        assert got[k].dtype == dt, k
        np.testing.assert_allclose(got[k], np.array(want, dt), rtol=RTOL, atol=1e-12,
                                   err_msg=k)


def test_graph_results_are_named_tensors():
    step = tf.train.get_or_create_global_step()
    assert tf.train.polynomial_decay(0.1, step, 10).name == "PolynomialDecay:0"
    assert tf.train.cosine_decay_restarts(0.1, step, 10).name == "SGDRDecay:0"
    assert tf.train.inverse_time_decay(0.1, step, 10, 0.5, name="lr").name == "lr:0"


def _value(t):
    with tf.Session() as s:
        return s.run(t)


def test_piecewise_constant_errors_and_casts_as_tensorflows():
    with pytest.raises(ValueError, match="length of boundaries should be 1 less"):
        tf.train.piecewise_constant(5, [1, 2], [0.1, 0.2])
    with pytest.raises(ValueError, match=r"Boundaries \(<dtype: 'int32'>\) must have the "
                                         r"same dtype as x \(<dtype: 'float32'>\)"):
        tf.train.piecewise_constant(5.0, [1, 2], [0.1, 0.2, 0.3])
    with pytest.raises(ValueError, match=r"Boundaries \(<dtype: 'int64'>\) must have the "
                                         r"same dtype as x \(<dtype: 'int32'>\)"):
        tf.train.piecewise_constant(5, np.array([1, 2], np.int64), [0.1, 0.2, 0.3])
    with pytest.raises(ValueError, match=r"Values must have elements all with the same "
                                         r"dtype \(<dtype: 'float32'> vs <dtype: 'int32'>\)"):
        tf.train.piecewise_constant(5, [1, 2], [0.1, 2, 0.3])
    # int32 boundaries for an int64 step are cast (TF's one exception)
    x = tf.constant(2, tf.int64)
    r = tf.train.piecewise_constant(x, [1, 2], [0.1, 0.2, 0.3])
    assert r.dtype == tf.float32 and _value(r) == np.float32(0.2)
    # float steps and boundaries; a NaN step takes TF's default, values[0]
    xf = tf.placeholder(tf.float32, ())
    r = tf.train.piecewise_constant(xf, [0.5, 1.5], [1.0, 2.0, 3.0])
    with tf.Session() as s:
        assert [s.run(r, {xf: v}) for v in (0.5, 0.6, 1.5, 1.6, np.nan)] == [1, 2, 2, 3, 1]


def test_schedule_errors_as_tensorflows():
    with pytest.raises(ValueError, match="None values not supported"):
        tf.train.exponential_decay(0.1, None, 10, 0.5)
    # TF's constant(pi) and where_v2(..., 1.0, ...) are float32: a float64 rate is a
    # TypeError in cosine schedules and in a cycling polynomial decay
    lr64 = tf.constant(0.1, tf.float64)
    with pytest.raises(TypeError, match="float64"):
        tf.train.cosine_decay(lr64, 3, 10)
    with pytest.raises(TypeError, match="float64"):
        tf.train.polynomial_decay(lr64, 3, 10, cycle=True)
    # decay_steps 0 is no error in TF: the arithmetic's inf and nan
    assert _value(tf.train.exponential_decay(0.1, 5, 0, 0.5)) == 0.0
    assert np.isnan(_value(tf.train.polynomial_decay(0.1, 5, 0)))
    assert _value(tf.train.polynomial_decay(0.1, 0, 10, cycle=True)) == np.float32(0.1)
    # a float64 rate keeps float64 (and a NumPy float64 is one)
    r = tf.train.exponential_decay(np.float64(0.1), 3, 10, 0.5)
    assert r.dtype == tf.float64
    assert _value(r) == pytest.approx(0.1 * 0.5 ** 0.3, rel=1e-15)


def test_noisy_linear_cosine_decay_noise_has_the_documented_distribution():
    # lr * ((alpha + linear + N(0, var)) * cosine + beta), var = v0 / (1 + step)**decay
    step = tf.placeholder(tf.int64, ())
    r = tf.train.noisy_linear_cosine_decay(2.0, step, 100, initial_variance=0.5,
                                           variance_decay=0.6, num_periods=0.5,
                                           alpha=0.1, beta=0.01)
    assert r.dtype == tf.float32
    s, n = 30, 2000
    with tf.Session() as sess:
        draws = np.array([sess.run(r, {step: s}) for _ in range(n)], np.float64)
        past = [sess.run(r, {step: 150}) for _ in range(5)]
    frac = s / 100
    cosine = 0.5 * (1 + np.cos(np.pi * frac))
    noise = (draws / 2.0 - 0.01) / cosine - 0.1 - (1 - frac)
    std = np.sqrt(0.5 / (1 + s) ** 0.6)
    assert abs(noise.mean()) < 4 * std / np.sqrt(n)
    assert abs(noise.std() / std - 1) < 0.08
    assert len(np.unique(draws)) > n // 2              # a new draw at each run
    # past decay_steps the cosine factor is 0: lr * beta, no noise
    np.testing.assert_allclose(past, 0.02, rtol=1e-6)


ORACLE = """
import sys, numpy as np
import tensorflow.compat.v1 as tf
tf.disable_v2_behavior()
ns = {}
exec(open(sys.argv[1]).read(), ns)
out = {}
for feed in ("placeholder", "variable", "python"):
    for k, v in ns["run_graph"](tf, feed).items():
        out[feed + "/" + k] = v
np.savez(sys.argv[2], **out)
"""

EAGER_ORACLE = """
import sys, numpy as np
import tensorflow as tf2
ns = {}
exec(open(sys.argv[1]).read(), ns)
exec(open(sys.argv[3]).read(), ns)
np.savez(sys.argv[2], **ns["run_eager"](tf2.compat.v1, ns["SCHEDULES"], ns["STEPS"]))
"""


def _oracle(tmp_path, tf_python, oracle):
    (tmp_path / "program.py").write_text(PROGRAM)
    (tmp_path / "eager.py").write_text(EAGER_PROGRAM)
    (tmp_path / "oracle.py").write_text(oracle)
    subprocess.run([tf_python, str(tmp_path / "oracle.py"), str(tmp_path / "program.py"),
                    str(tmp_path / "tf.npz"), str(tmp_path / "eager.py")], check=True,
                   capture_output=True)
    return np.load(tmp_path / "tf.npz")


def test_every_schedule_and_feed_gives_tensorflows_values(tmp_path, tf_python):
    want = _oracle(tmp_path, tf_python, ORACLE)
    got = {f: _P["run_graph"](tf, f) for f in ("placeholder", "variable", "python")}
    assert len(want.files) == 3 * len(TF_VALUES)
    for key in want.files:
        feed, k = key.split("/")
        assert got[feed][k].dtype == want[key].dtype, key
        np.testing.assert_allclose(got[feed][k], want[key], rtol=RTOL, atol=1e-12,
                                   err_msg=key)


def test_eager_schedules_give_tensorflows_values(tmp_path, tf_python):
    want = _oracle(tmp_path, tf_python, EAGER_ORACLE)
    tf.enable_eager_execution()
    try:
        got = _E["run_eager"](tf, _P["SCHEDULES"], _P["STEPS"])
    finally:
        tf.disable_eager_execution()
    assert sorted(want.files) == sorted(got)
    for k in want.files:
        assert got[k].dtype == want[k].dtype, k
        np.testing.assert_allclose(got[k], want[k], rtol=RTOL, atol=1e-12, err_msg=k)


# -- properties: the documented formulas, in float64, at any step ------------------------
from hypothesis import example, given, settings, strategies as st  # noqa: E402


def _reference(kind, lr, s, d, rate, stair, end, power, alpha):
    """The schedules' formulas (TF's docstrings) in float64."""
    if kind == "exponential":
        p = s / d
        return lr * rate ** (np.floor(p) if stair else p)
    if kind == "inverse_time":
        p = s / d
        return lr / (1 + rate * (np.floor(p) if stair else p))
    if kind == "natural_exp":
        p = s / d
        return lr * np.exp(-rate * (np.floor(p) if stair else p))
    if kind == "polynomial":
        t = min(s, d)
        return (lr - end) * (1 - t / d) ** power + end
    if kind == "polynomial_cycle":
        dd = d * (1.0 if s == 0 else np.ceil(s / d))
        return (lr - end) * (1 - s / dd) ** power + end
    if kind == "cosine":
        t = min(s, d) / d
        return lr * ((1 - alpha) * 0.5 * (1 + np.cos(np.pi * t)) + alpha)
    t = min(s, d)                                   # linear_cosine (num_periods 0.5)
    return lr * ((alpha + (d - t) / d) * 0.5 * (1 + np.cos(np.pi * t / d)) + 0.001)


def _build(kind, lr, step, d, rate, stair, end, power, alpha):
    T = tf.train
    if kind in ("exponential", "inverse_time", "natural_exp"):
        f = {"exponential": T.exponential_decay, "inverse_time": T.inverse_time_decay,
             "natural_exp": T.natural_exp_decay}[kind]
        return f(lr, step, d, rate, staircase=stair)
    if kind.startswith("polynomial"):
        return T.polynomial_decay(lr, step, d, end, power=power,
                                  cycle=kind == "polynomial_cycle")
    if kind == "cosine":
        return T.cosine_decay(lr, step, d, alpha=alpha)
    return T.linear_cosine_decay(lr, step, d, alpha=alpha)


@example(kind="polynomial_cycle", lr=1.0, d=2, rate=0.5, stair=False, end=0.0, power=0.5,
         alpha=0.0, steps=[6779])
@example(kind="natural_exp", lr=1.0, d=338, rate=0.3125, stair=False, end=0.0, power=1.0,
         alpha=0.0, steps=[52502])
@settings(max_examples=40)
@given(kind=st.sampled_from(["exponential", "inverse_time", "natural_exp", "polynomial",
                             "polynomial_cycle", "cosine", "linear_cosine"]),
       lr=st.floats(1e-4, 10.0), d=st.integers(1, 1000), rate=st.floats(0.05, 0.99),
       stair=st.booleans(), end=st.floats(0.0, 1e-3), power=st.floats(0.25, 3.0),
       alpha=st.floats(0.0, 0.5),
       steps=st.lists(st.integers(0, 2 ** 20), min_size=1, max_size=8))
def test_schedules_follow_their_formulas_at_any_step(kind, lr, d, rate, stair, end, power,
                                                     alpha, steps):
    tf.reset_default_graph()
    step = tf.placeholder(tf.int64, ())
    r = _build(kind, lr, step, d, rate, stair, end, power, alpha)
    assert r.dtype == tf.float32
    with tf.Session() as s:
        got = np.array([s.run(r, {step: v}) for v in steps], np.float64)
    # the rate and the step rounded to float32 as TF's casts round them
    want = np.array([_reference(kind, float(np.float32(lr)), float(np.float32(v)), d,
                                float(np.float32(rate)), stair, end, power, alpha)
                     for v in steps])
    # float32 arithmetic: a few ulps per op (rtol 1.2e-5); the exponent p = s/d rounded
    # to float32 moves rate ** p by |p log(rate)| 2^-24 relative; 1 + cos(pi t) and
    # (1 - t)**power cancel near their zeros (atol 1e-6 lr); underflow at 1e-38
    p = max(steps) / d
    # (natural_exp raises exp(-rate), rounded to float32, to the power p: that rounding
    # adds p 2^-24 relative -- 155 steps of decay gave 1.78e-5, the exact power of the
    # float32 values, where TF 2.15.1's float32 pow is 1.3e-5 off it)
    spread = {"exponential": abs(np.log(np.float32(rate))),
              "natural_exp": float(np.float32(rate)) + 1.0}.get(kind, 0.0) * p
    # (1 - t) ** power amplifies (1 - t)'s float32 rounding (2^-24 of 1) by power * (1 -
    # t) ** (power - 1) where t is near 1: with power 0.5 and 1 - t = 1/6780 that is 2.5e-6
    # absolute, TF's own value too (found by a random run)
    amp = 0.0
    if kind.startswith("polynomial"):
        for v in steps:
            s_ = float(np.float32(v))
            dd = d if kind == "polynomial" else d * (1.0 if s_ == 0 else np.ceil(s_ / d))
            rest = max(1 - min(s_, dd) / dd, 2.0 ** -24)
            amp = max(amp, abs(float(np.float32(lr)) - end) * power *
                      rest ** min(power - 1, 0.0) * 2.0 ** -23)
    np.testing.assert_allclose(got, want, rtol=1.2e-5 + spread * 1.2e-7,
                               atol=1e-37 + amp + 1e-6 * lr * (kind not in (
                                   "exponential", "natural_exp", "inverse_time")))

"""``tf.GradientTape.gradient`` with sources in the middle of the computation, as
TensorFlow's: a tensor the block computed from a watched one (or a variable) is a source
too (``tape.gradient(z, y)`` for ``y = x * x``: TF's guide gives 18 at x = 3), and a
source computed from another source leaves that one its total derivative (sources are
not cut points).

ndgrad gave None for such a source, and for ``tape.gradient(y, [x, z])`` with
``z = f(x)`` watched it gave ``x`` None (or only the part not through ``z``): a silent
wrong result. The numbers are TensorFlow 2.21's, eager, for PROGRAM; the oracle test
runs it there again where TensorFlow is installed (``NDGRAD_TF_PYTHON``).
"""
import numpy as np
import pytest

import ndgrad.tf as tf

from tf_oracles import run_eager_program, same_numbers

PROGRAM = '''
def intermediate_source(tf):
    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x
        z = y * y
    return _flat([tape.gradient(z, y)])


def source_and_its_input(tf):
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape(persistent=True) as t:
        t.watch(x)
        z = x * 3.0
        y = tf.reduce_sum(tf.sin(z) * z)
    return _flat(t.gradient(y, [x, z]) + [t.gradient(y, z)])


def watched_intermediate(tf):
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape(persistent=True) as t:
        t.watch(x)
        z = x * 3.0
        t.watch(z)
        y = tf.reduce_sum(tf.sin(z) * z)
    return _flat(t.gradient(y, [z, x]))


def variable_and_intermediate(tf):
    v = tf.Variable([1.0, 2.0])
    with tf.GradientTape(persistent=True) as t:
        z = v * 3.0
        y = tf.reduce_sum(tf.exp(z) * v)
    return _flat(t.gradient(y, [v, z]))


def not_on_the_tape(tf):
    v = tf.Variable([1.0, 2.0])
    c = tf.constant([1.0, 2.0])
    with tf.GradientTape() as t:
        w = c * 3.0
        y = tf.reduce_sum(w * v)
    return _flat(t.gradient(y, [w, c, v]))


def two_paths(tf):
    x = tf.constant(2.0)
    with tf.GradientTape(persistent=True) as t:
        t.watch(x)
        z = x * x
        y = z * x
    return _flat(t.gradient(y, [z, x]) + t.gradient(y, [x, z]))


def gather_and_dense_source(tf):
    v = tf.Variable([1.0, 2.0, 3.0])
    with tf.GradientTape() as t:
        z = v * 3.0
        y = tf.reduce_sum(tf.gather(v, [0, 0])) + tf.reduce_sum(z * z)
    gv, gz = t.gradient(y, [v, z])
    # (Momentum updates only the rows of a gradient that reached v through gathers
    # alone; v's gradient here is dense: it reaches v through z too)
    train = tf.compat.v1.train if hasattr(tf, "compat") else tf.train
    opt = train.MomentumOptimizer(0.5, 0.9)
    opt.apply_gradients([(gv, v)])
    opt.apply_gradients([(gv, v)])
    return _flat([gv, gz, v.numpy() if hasattr(v, "numpy") else v])


def nested_tapes(tf):
    x = tf.constant(1.5)
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            z = x * x
            y = tf.sin(z) * z
        g = inner.gradient(y, z)
    return _flat([g, outer.gradient(g, x)])


def target_is_source(tf):
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape(persistent=True) as t:
        t.watch(x)
        y = x * x
    return _flat([t.gradient(y, y), t.gradient(y, [y, x])[1]])


SCENARIOS = [intermediate_source, source_and_its_input, watched_intermediate,
             variable_and_intermediate, not_on_the_tape, two_paths,
             gather_and_dense_source, nested_tapes, target_is_source]


def run_all(tf):
    return {f.__name__: f(tf) for f in SCENARIOS}
'''

TF_WANT = {
    'intermediate_source': [18.0],
    'source_and_its_input': [-8.486572265625, 16.4448184967041, -2.828857421875, 5.4816060066223145, -2.828857421875, 5.4816060066223145],
    'watched_intermediate': [-2.828857421875, 5.4816060066223145, -8.486572265625, 16.4448184967041],
    'variable_and_intermediate': [80.34214782714844, 2824.00146484375, 20.08553695678711, 806.8576049804688],
    'not_on_the_tape': [None, None, 3.0, 6.0],
    'two_paths': [2.0, 12.0, 12.0, 2.0],
    'gather_and_dense_source': [20.0, 36.0, 54.0, 6.0, 12.0, 18.0, -28.0, -50.19999694824219, -75.30000305175781],
    'nested_tapes': [-0.6353175640106201, -9.021036148071289],
    'target_is_source': [1.0, 1.0, 2.0, 4.0],
}

@pytest.fixture(scope="module")
def results():
    return run_eager_program(PROGRAM)


@pytest.mark.parametrize("name", sorted(TF_WANT))
def test_gives_tensorflows_gradients(results, name):
    same_numbers(results[name], TF_WANT[name], name, rtol=1e-6)


def test_closed_forms(results):
    # (independent of TF's numbers) y = sin(3x) 3x: dy/dz = cos(z) z + sin(z)
    x = np.array([1.0, 2.0])
    z = 3 * x
    dz = np.cos(z) * z + np.sin(z)
    np.testing.assert_allclose(results["source_and_its_input"], list(3 * dz) + list(dz) * 2,
                               rtol=1e-5)
    # y = z x with z = x^2 at x = 2: dy/dz = x, dy/dx = 3 x^2
    assert results["two_paths"] == [2.0, 12.0, 12.0, 2.0]
    # inner: d(sin(z) z)/dz at z = x^2; outer: d/dx of that = (2cos z - z sin z) 2x
    x = 1.5
    z = x * x
    np.testing.assert_allclose(results["nested_tapes"],
                               [np.cos(z) * z + np.sin(z),
                                (2 * np.cos(z) - z * np.sin(z)) * 2 * x], rtol=1e-5)


def test_oracle_tensorflow(tf_eager_oracle, results):
    want = tf_eager_oracle(PROGRAM)
    for name in want:
        same_numbers(results[name], want[name], name, rtol=1e-6)

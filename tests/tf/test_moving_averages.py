"""tf.train.ExponentialMovingAverage, tf.moving_average_variables and
tensorflow.python.training.moving_averages' assign_moving_average /
weighted_moving_average (ndgrad/tf/moving_averages.py): TF's shadow names (under the
current name scope), zero_debias, re-applying, variables_to_restore and values. The
expected output is TF 2.15's (``tf.compat.v1``, ``disable_v2_behavior``) for PROGRAM
with ``import tensorflow.compat.v1 as tf`` (and ``from tensorflow.python.training import
moving_averages``); before, zero_debias=True was refused, the shadows ignored the
current scope, a second apply raised, variables_to_restore dropped a tensor's shadow,
and assign_moving_average / weighted_moving_average / moving_average_variables were
missing. TF's own moving_averages_test.py: 21 of 23 pass (compat/tf_kernel_tests)."""
import contextlib
import io

import ndgrad.tf as tf

PROGRAM = """\
import numpy as np
with tf.Graph().as_default():
    with tf.variable_scope("scope1"):
        v0 = tf.Variable(10.0, name="v0")
        v1 = tf.Variable(30.0, name="v1")
        v2 = tf.Variable(20.0, name="v2", trainable=False)
        t2 = v0 + v1
    with tf.variable_scope("scope2"):
        ema = tf.train.ExponentialMovingAverage(0.25, zero_debias=True, name="foo")
        print(ema.average_name(v0), ema.average_name(t2))
        up = ema.apply([v0, v1, t2])
        up2 = ema.apply([v0])
    print(sorted(ema.variables_to_restore().keys()))
    print(sorted(v.op.name for v in tf.moving_average_variables()))
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        for k in range(3):
            s.run(up)
            s.run(v0.assign_add(1.0))
            print([float(x) for x in s.run([ema.average(v0), ema.average(v1), ema.average(t2)])])
    from ndgrad.tf.python.training import moving_averages
    m = tf.Variable(0.0, name="m")
    a = moving_averages.assign_moving_average(m, 5.0, 0.9)
    b = moving_averages.assign_moving_average(m, 7.0, 0.9, zero_debias=False)
    w = moving_averages.weighted_moving_average(tf.constant(3.0), 0.5, tf.constant(2.0))
    print(sorted(v.op.name for v in tf.global_variables() if v.op.name.startswith(("m/", "Weighted"))))
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        print([float(s.run(a)) for _ in range(3)], float(s.run(b)), float(s.run(w)))
"""

TF_OUTPUT = """\
scope2/scope1/v0/foo scope2/scope1/add/foo
['scope1/v2', 'scope2/scope1/add/foo', 'scope2/scope1/v0/foo', 'scope2/scope1/v1/foo', 'scope2/scope2/scope1/add/foo/biased', 'scope2/scope2/scope1/add/foo/local_step']
['scope1/v0', 'scope1/v1']
[10.0, 30.0, 40.0]
[10.75, 30.0, 40.79999923706055]
[11.6875, 30.0, 41.71428680419922]
['WeightedMovingAvg/value_x_weight', 'WeightedMovingAvg/weight', 'm/biased', 'm/local_step']
[4.999999046325684, 4.999998569488525, 4.999998569488525] 5.19999885559082 3.0
"""


def test_moving_averages_print_tensorflows_output():
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(PROGRAM, {"tf": tf})
    assert out.getvalue() == TF_OUTPUT

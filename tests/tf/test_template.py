"""``tf.make_template`` (template.py) against TensorFlow: the program below printed this
text under TF 2.15 (``tensorflow.compat.v1``): variable names of templates made lazily,
at once (``create_scope_now_``), with bound keyword arguments and inside an outer scope;
scope names; the op names of each call (the name scope of a default-named variable scope
is made unique from the default name, as TF's); values; gradients; and the error for a
trainable variable made after the first call. ndgrad.tf must print the same."""

import pytest

import ndgrad.tf as tf
from tf_printed import printed

PROGRAM = 'def dense(x, units, act=None):\n    w = tf.get_variable("w", [x.shape[-1], units], initializer=lambda shape, dtype=tf.float32, partition_info=None: tf.cast(tf.reshape(tf.range(int(np.prod(shape))), shape), dtype) * 0.1 - 0.2)\n    b = tf.get_variable("b", [units], initializer=tf.constant_initializer(0.1))\n    y = tf.matmul(x, w) + b\n    return act(y) if act else y\ndef net(x):\n    with tf.variable_scope("h"):\n        h = dense(x, 3, tf.tanh)\n    with tf.variable_scope("out"):\n        return dense(h, 1)\nx1 = tf.constant(np.arange(8, dtype=np.float32).reshape(4, 2))\nx2 = tf.constant(np.ones((2, 2), np.float32))\nt1 = tf.make_template("net", net)\nt2 = tf.make_template("net", net)\nt3 = tf.make_template("now", net, create_scope_now_=True)\nt4 = tf.make_template("d", dense, units=2)\ny1, y2, y3 = t1(x1), t1(x2), t2(x1)\ny4 = t3(x1)\ny5 = t4(x2); y6 = t4(x1)\nwith tf.variable_scope("outer"):\n    t5 = tf.make_template("inner", net)\n    y7 = t5(x2)\ny8 = t5(x1)\nprint([v.name for v in tf.global_variables()])\nprint(t1.variable_scope_name, t2.variable_scope_name, t3.variable_scope_name, t5.variable_scope_name)\nprint([v.name for v in t1.trainable_variables], len(t4.variables), t5.non_trainable_variables)\nprint([t.name for t in (y1, y2, y3, y4, y5, y6, y7, y8)])\nloss = tf.reduce_sum(y1) + tf.reduce_sum(y2 * 2.0)\ng = tf.gradients(loss, t1.trainable_variables)\ndef bad(x):\n    return x * tf.Variable(1.0, name="v")\nt6 = tf.make_template("bad", bad)\nt6(x1)\ntry:\n    t6(x1)\nexcept ValueError as e:\n    print("ValueError", str(e).split(":")[0])\nwith tf.Session() as s:\n    s.run(tf.global_variables_initializer())\n    for r in s.run([y1, y2, y3, y4, y5, y6, y7, y8] + g):\n        print(r.shape, np.round(r.ravel()[:3], 5).tolist())\n'

TF_2_15_OUTPUT = "['net/h/w:0', 'net/h/b:0', 'net/out/w:0', 'net/out/b:0', 'net_1/h/w:0', 'net_1/h/b:0', 'net_1/out/w:0', 'net_1/out/b:0', 'now/h/w:0', 'now/h/b:0', 'now/out/w:0', 'now/out/b:0', 'd/w:0', 'd/b:0', 'outer/inner/h/w:0', 'outer/inner/h/b:0', 'outer/inner/out/w:0', 'outer/inner/out/b:0']\nnet/ net_1/ now/ outer/inner/\n['net/h/w:0', 'net/h/b:0', 'net/out/w:0', 'net/out/b:0'] 2 []\n['net/out/add:0', 'net_1/out/add:0', 'net_2/out/add:0', 'now/out/add:0', 'd/add:0', 'd_1/add:0', 'outer/inner/out/add:0', 'inner/out/add:0']\nValueError Trainable variable created when calling a template after the first time, perhaps you used tf.Variable when you meant tf.get_variable\n(4, 1) [0.0313900001347065, 0.05378999933600426, 0.07903999835252762]\n(2, 1) [0.08026000112295151, 0.08026000112295151]\n(4, 1) [0.0313900001347065, 0.05378999933600426, 0.07903999835252762]\n(4, 1) [0.0313900001347065, 0.05378999933600426, 0.07903999835252762]\n(2, 2) [-0.10000000149011612, 0.10000000149011612, -0.10000000149011612]\n(4, 2) [0.10000000149011612, 0.20000000298023224, -0.30000001192092896]\n(2, 1) [0.08026000112295151, 0.08026000112295151]\n(4, 1) [0.0313900001347065, 0.05378999933600426, 0.07903999835252762]\n(2, 3) [-2.9955999851226807, -1.08774995803833, 0.0]\n(3,) [-1.5555399656295776, -0.6667400002479553, 0.0]\n(3, 1) [-0.37994998693466187, 2.863600015640259, 4.558750152587891]\n(1,) [8.0]\n"


def test_templates_print_what_tensorflow_prints():
    assert printed(PROGRAM) == TF_2_15_OUTPUT


def test_eager_templates_share_their_variables():
    """TF's EagerTemplate: later calls reuse (and may add non-trainable variables), the
    template's variables are those its get_variable calls gave."""
    tf.enable_eager_execution()
    try:
        def scale(x, trainable=True, name="w"):
            w = tf.get_variable(name, [], initializer=tf.constant_initializer(2.0),
                                trainable=trainable)
            return x * w
        t = tf.make_template("scale", scale)
        with pytest.raises(ValueError, match="unique_name_"):
            tf.make_template("u", scale, unique_name_="u")
        assert t.variables == []
        a = t(tf.constant(3.0))
        b = t(tf.constant(4.0))
        assert float(a) == 6.0 and float(b) == 8.0
        assert [v.name for v in t.trainable_variables] == ["scale/w:0"]
        t(tf.constant(1.0), trainable=False, name="extra")   # (non-trainable: allowed)
        assert [v.name for v in t.non_trainable_variables] == ["scale/extra:0"]
        with pytest.raises(ValueError, match="Trainable variable created"):
            t(tf.constant(1.0), name="another")
    finally:
        tf.disable_eager_execution()


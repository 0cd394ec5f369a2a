"""Fixes found by running aymericdamien/TensorFlow-Examples' TF1 programs under ndgrad.tf
and TensorFlow side by side (compat/tf_examples/run.py); each compares with TF 2.21's
``compat.v1`` (its numbers written in as constants, and run again when NDGRAD_TF_PYTHON
is set)."""
import json
import subprocess

import numpy as np
import pytest

import ndgrad.tf as tf

# -- variable-scope names on re-entry ----------------------------------------------------
# Source run by both sides: the names of default-named subscopes (as tf.layers makes them)
# when a scope is entered again, by name and as a VariableScope object.
SCOPES = r'''
def scope_names(tf):
    names = []
    def s():
        with tf.variable_scope(None, default_name="s") as sc:
            names.append(sc.name)
            with tf.variable_scope(None, default_name="t") as sc2:
                names.append(sc2.name)
    with tf.Graph().as_default():
        for _ in range(2):
            with tf.variable_scope("A"):
                s(); s()
        with tf.variable_scope("B") as b:
            s()
        for _ in range(2):
            with tf.variable_scope(b):
                s()
        for _ in range(2):
            with tf.variable_scope(None, default_name="top"):
                s()
        with tf.variable_scope("C"):
            with tf.variable_scope("D"):
                s()
            with tf.variable_scope("D"):
                s()
            s()
        with tf.variable_scope("A"):
            with tf.variable_scope(b):
                s()
            s()
    return names


def shared_network(tf, np):
    """dcgan.py's pattern: a network built twice in one scope, the second time with
    reuse=True, must find the first one's variables (layers named dense, dense_1 again)."""
    with tf.Graph().as_default():
        def net(x, reuse=False):
            with tf.variable_scope("Discriminator", reuse=reuse):
                x = tf.layers.dense(x, 3, kernel_initializer=tf.constant_initializer(0.5))
                x = tf.layers.dense(x, 2, kernel_initializer=tf.constant_initializer(0.25))
            return x
        x = tf.placeholder(tf.float32, [None, 4])
        a, b = net(x), net(x * 2.0, reuse=True)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            va, vb = sess.run([a, b], {x: np.ones((1, 4), np.float32)})
        return [v.name for v in tf.global_variables()], va.tolist(), vb.tolist()
'''
_S = {}
exec(SCOPES, _S)

# TF 2.21 (tensorflow.compat.v1, disable_v2_behavior), SCOPES' scope_names(tf):
TF_SCOPE_NAMES = [
    'A/s', 'A/s/t', 'A/s_1', 'A/s_1/t', 'A/s', 'A/s/t', 'A/s_1', 'A/s_1/t',
    'B/s', 'B/s/t', 'B/s', 'B/s/t', 'B/s', 'B/s/t', 'top/s', 'top/s/t', 'top_1/s',
    'top_1/s/t', 'C/D/s', 'C/D/s/t', 'C/D/s', 'C/D/s/t', 'C/s', 'C/s/t', 'B/s', 'B/s/t',
    'A/s', 'A/s/t']


def test_reentered_scopes_name_their_subscopes_as_tensorflow():
    """Leaving a scope resets its subscopes' counts (TF's close_variable_subscopes); a
    VariableScope object's entry restores the counts it found. ndgrad.tf counted on:
    the second ``with variable_scope("A")`` named its subscope ``A/s_2`` (TF: ``A/s``)."""
    assert _S["scope_names"](tf) == TF_SCOPE_NAMES


def test_a_network_built_again_with_reuse_finds_its_variables():
    """Before: ``Variable Discriminator/dense_2/kernel does not exist`` (dcgan.py and
    multigpu_cnn.py stopped there)."""
    names, va, vb = _S["shared_network"](tf, np)
    assert names == ["Discriminator/dense/kernel:0", "Discriminator/dense/bias:0",
                     "Discriminator/dense_1/kernel:0", "Discriminator/dense_1/bias:0"]
    np.testing.assert_allclose(va, [[1.5, 1.5]])  # 4 * 0.5 = 2 per unit, 3 * 2 * 0.25
    np.testing.assert_allclose(vb, [[3.0, 3.0]])


def test_reentering_a_scope_and_recreating_a_default_named_subscope_collides():
    """TF raises here (the second ``A/s/v``); ndgrad.tf silently made ``A/s_2/v``."""
    with tf.variable_scope("A"):
        with tf.variable_scope(None, default_name="s"):
            tf.get_variable("v", [1])
    with tf.variable_scope("A"):
        with tf.variable_scope(None, default_name="s"):
            with pytest.raises(ValueError, match="A/s/v already exists"):
                tf.get_variable("v", [1])


ORACLE = """
import json, os, sys
os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")
import numpy as np
import tensorflow.compat.v1 as tf
tf.disable_v2_behavior()
exec(open(sys.argv[1]).read())
print(json.dumps([scope_names(tf), shared_network(tf, np)]))
"""


def test_scope_names_oracle(tmp_path, tf_python):
    src = tmp_path / "scopes.py"
    src.write_text(SCOPES)
    r = subprocess.run([tf_python, "-c", ORACLE, str(src)], check=True, capture_output=True,
                       text=True)
    names, net = json.loads(r.stdout.strip().splitlines()[-1])
    assert names == TF_SCOPE_NAMES == _S["scope_names"](tf)
    assert [list(x) if isinstance(x, tuple) else x for x in _S["shared_network"](tf, np)] \
        == net

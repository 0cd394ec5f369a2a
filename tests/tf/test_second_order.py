"""Second derivatives through convolution, pooling and reflect/symmetric padding in graph
mode (a gradient penalty's gradient), against central finite differences of the first
derivative and against TensorFlow. They were None: the backward ops had no rules."""
import json
import subprocess

import numpy as np
import pytest

import ndgrad.tf as tf

# the models and the penalty, as source: the TF oracle runs the same text with TensorFlow
MODELS = r'''
RNG = np.random.default_rng(0)
X = RNG.standard_normal((1, 5, 6, 2))
W = RNG.standard_normal((3, 2, 2, 3))
WT = RNG.standard_normal((2, 2, 2, 3))


def _models(pad, st):
    """name -> (x, w) -> scalar whose gradient we differentiate again"""
    s = [1, st, st, 1]
    return {
        "conv": lambda x, w: tf.reduce_sum(tf.sin(tf.nn.conv2d(x, w, s, pad))),
        "pool": lambda x, w: tf.reduce_sum(
            tf.sin(tf.nn.max_pool(x * x, [1, 2, 2, 1], s, pad)))
        + tf.reduce_sum(tf.nn.avg_pool(x * tf.reduce_sum(w), [1, 3, 2, 1], s, pad) ** 2),
        "tconv": lambda x, w: tf.reduce_sum(tf.nn.conv2d_transpose(
            tf.sin(tf.nn.conv2d(x, w, s, pad)), tf.constant(WT) * tf.reduce_sum(w),
            [1, 5, 6, 2], s, pad) ** 2),
        "pad": lambda x, w: tf.reduce_sum(tf.sin(tf.pad(
            x * tf.reduce_sum(w), [[0, 0], [2, 1], [1, 2], [0, 0]],
            "REFLECT" if st == 1 else "SYMMETRIC")) * 3.0),
    }


def _penalty_grads(f, xv, wv):
    """d/d(x, w) of sum(dy/dx ** 2) + sum(cos(dy/dw)), and the penalty itself."""
    g = tf.Graph()
    with g.as_default():
        x, w = tf.constant(xv), tf.constant(wv)
        gx, gw = tf.gradients(f(x, w), [x, w])
        pen = tf.reduce_sum(gx ** 2) + tf.reduce_sum(tf.cos(gw))
        hx, hw = tf.gradients(pen, [x, w])
        with tf.Session() as sess:
            return sess.run([pen, hx, hw])


CASES = [(pad, st, name) for pad, st in [("SAME", 1), ("SAME", 2), ("VALID", 2)]
         for name in ("conv", "pool", "tconv", "pad") if (name, pad) != ("tconv", "VALID")]
'''
_M = {"np": np, "tf": tf}
exec(MODELS, _M)
CASES, X, W = _M["CASES"], _M["X"], _M["W"]
_models, _penalty_grads = _M["_models"], _M["_penalty_grads"]


@pytest.mark.parametrize("pad,st,name", CASES)
def test_second_derivatives_equal_finite_differences(name, pad, st):
    f = _models(pad, st)[name]
    pen, hx, hw = _penalty_grads(f, X, W)
    assert hx is not None and hw is not None
    rng = np.random.default_rng(1)
    for which, h in (("x", hx), ("w", hw)):
        d = rng.standard_normal(h.shape)       # a directional derivative
        eps = 1e-5
        xp, wp = (X + eps * d, W) if which == "x" else (X, W + eps * d)
        xm, wm = (X - eps * d, W) if which == "x" else (X, W - eps * d)
        fd = (_penalty_grads(f, xp, wp)[0] - _penalty_grads(f, xm, wm)[0]) / (2 * eps)
        np.testing.assert_allclose(np.sum(h * d), fd, rtol=2e-5, atol=1e-6)


TF_SCRIPT = """
import json, sys, numpy as np
import tensorflow.compat.v1 as tf
tf.disable_eager_execution()
exec(open(sys.argv[1]).read())
print(json.dumps({f"{name}{pad}{st}": [np.asarray(v).tolist() for v in
                  _penalty_grads(_models(pad, st)[name], X, W)] for pad, st, name in CASES}))
"""


def test_second_derivatives_are_tensorflows(tmp_path, tf_python):
    src = tmp_path / "models.py"
    src.write_text(MODELS)
    script = tmp_path / "t.py"
    script.write_text(TF_SCRIPT)
    r = subprocess.run([tf_python, str(script), str(src)], check=True, capture_output=True,
                       text=True)
    want = json.loads(r.stdout.strip().splitlines()[-1])
    for pad, st, name in CASES:
        got = _penalty_grads(_models(pad, st)[name], X, W)
        for g, w in zip(got, want[f"{name}{pad}{st}"]):
            np.testing.assert_allclose(g, np.asarray(w), rtol=1e-9, atol=1e-9)


# -- the other backward ops that are linear in their cotangent: top_k's scatter, the
# boolean mask's scatter, a segment sum's gather, slicing by a tensor index -------------
GATHERS = r'''
XG = np.random.default_rng(0).standard_normal((3, 5))
GATHER_CASES = {
    "top_k": lambda x: tf.nn.top_k(x * x, 3)[0],
    "mask": lambda x: tf.boolean_mask(x * x, XG > 0),
    "unsorted_segment_sum": lambda x: tf.unsorted_segment_sum(x * x, [1, 0, 1], 3),
    "segment_sum": lambda x: tf.segment_sum(x * x, [0, 0, 1]),
    "slice_by_tensor": lambda x: (x * x)[tf.constant(1)],
}


def _gather_second(name, xv):
    g = tf.Graph()
    with g.as_default():
        x = tf.constant(xv)
        fx = GATHER_CASES[name](x)
        gx, = tf.gradients(tf.reduce_sum(tf.sin(fx) * fx), x)
        pen = tf.reduce_sum(tf.cos(gx) * gx)
        h, = tf.gradients(pen, x)
        with tf.Session() as sess:
            return sess.run([pen, h])
'''
_G = {"np": np, "tf": tf}
exec(GATHERS, _G)


@pytest.mark.parametrize("name", sorted(_G["GATHER_CASES"]))
def test_second_derivatives_through_gathers_and_scatters(name):
    xg = _G["XG"]
    pen, h = _G["_gather_second"](name, xg)
    d = np.random.default_rng(2).standard_normal(xg.shape)
    eps = 1e-6
    fd = (_G["_gather_second"](name, xg + eps * d)[0]
          - _G["_gather_second"](name, xg - eps * d)[0]) / (2 * eps)
    np.testing.assert_allclose(np.sum(h * d), fd, rtol=1e-6, atol=1e-8)


GATHER_SCRIPT = """
import json, sys, numpy as np
import tensorflow.compat.v1 as tf
tf.disable_eager_execution()
exec(open(sys.argv[1]).read())
print(json.dumps({n: [np.asarray(v).tolist() for v in _gather_second(n, XG)]
                  for n in GATHER_CASES}))
"""


def test_second_derivatives_through_gathers_are_tensorflows(tmp_path, tf_python):
    src = tmp_path / "gathers.py"
    src.write_text(GATHERS)
    script = tmp_path / "t.py"
    script.write_text(GATHER_SCRIPT)
    r = subprocess.run([tf_python, str(script), str(src)], check=True, capture_output=True,
                       text=True)
    want = json.loads(r.stdout.strip().splitlines()[-1])
    for name in _G["GATHER_CASES"]:
        for g, w in zip(_G["_gather_second"](name, _G["XG"]), want[name]):
            np.testing.assert_allclose(g, np.asarray(w), rtol=1e-12, atol=1e-12)

"""``space_to_depth``, ``depth_to_space``, ``space_to_batch(_nd)``, ``batch_to_space(_nd)``
against TensorFlow: the program below printed this text under TF 2.15
(``tensorflow.compat.v1``): values, static shapes, gradients through a placeholder of
unknown batch, and the errors' types. ndgrad.tf must print the same."""
import contextlib
import io

import numpy as np

import ndgrad.tf as tf

PROGRAM = 'rng = np.random.RandomState(0)\nx = rng.randn(2, 4, 6, 3).astype(np.float32)\nxp = tf.placeholder(tf.float32, (None, 4, 6, 3))\nouts = {\n "s2d": tf.space_to_depth(x, 2),\n "s2d_ph": tf.space_to_depth(xp, 2),\n "d2s": tf.depth_to_space(rng.randn(2, 2, 3, 8).astype(np.float32), 2),\n "s2b": tf.space_to_batch_nd(x, [2, 3], [[0, 2], [1, 2]]),\n "s2b_ph": tf.space_to_batch_nd(xp, [2, 3], [[0, 2], [1, 2]]),\n "b2s": tf.batch_to_space_nd(rng.randn(12, 2, 3, 2).astype(np.float32), [2, 3], [[1, 0], [2, 3]]),\n "s2b4": tf.space_to_batch(x, [[1, 1], [0, 2]], 2),\n "b2s4": tf.batch_to_space(rng.randn(8, 2, 3, 1).astype(np.float32), [[0, 1], [1, 1]], 2),\n "s2b1d": tf.space_to_batch_nd(rng.randn(3, 6, 2).astype(np.float32), [3], [[1, 2]]),\n}\nw = tf.constant(rng.randn(2, 2, 3, 12).astype(np.float32))\ng1 = tf.gradients(tf.reduce_sum(tf.space_to_depth(xp, 2) * w), xp)[0]\nw2 = tf.constant(rng.randn(12, 4, 3, 3).astype(np.float32))\ng2 = tf.gradients(tf.reduce_sum(tf.space_to_batch_nd(xp, [2, 3], [[2, 2], [1, 2]]) * w2), xp)[0]\nwith tf.Session() as s:\n    for k, v in outs.items():\n        r = s.run(v, {xp: x})\n        print(k, v.shape, r.shape, np.round(r.ravel()[:6], 5).tolist(), float(np.round(r.sum(), 4)))\n    for k, g in (("g1", g1), ("g2", g2)):\n        r = s.run(g, {xp: x}); print(k, g.shape, r.shape, float(np.round(r.sum(), 4)), np.round(r.ravel()[:5], 5).tolist())\nfor f in [lambda: tf.space_to_depth(x, 1), lambda: tf.space_to_depth(rng.randn(1, 3, 4, 1), 2), lambda: tf.batch_to_space_nd(rng.randn(5, 2, 2, 1), [2, 2], [[0,0],[0,0]])]:\n    try: f(); print("no error")\n    except Exception as e: print(type(e).__name__)\n'

TF_2_15_OUTPUT = 's2d (2, 2, 3, 12) (2, 2, 3, 12) [1.764050006866455, 0.400160014629364, 0.9787399768829346, 2.2408900260925293, 1.8675600290298462, -0.9772800207138062] 17.053199768066406\ns2d_ph (?, 2, 3, 12) (2, 2, 3, 12) [1.764050006866455, 0.400160014629364, 0.9787399768829346, 2.2408900260925293, 1.8675600290298462, -0.9772800207138062] 17.053199768066406\nd2s (2, 4, 6, 2) (2, 4, 6, 2) [2.3831400871276855, 0.9444800019264221, -0.9128199815750122, 1.1170200109481812, -0.7447500228881836, -0.8264399766921997] -5.609799861907959\ns2b (12, 3, 3, 3) (12, 3, 3, 3) [0.0, 0.0, 0.0, 0.9500899910926819, -0.15136000514030457, -0.10322000086307526] 17.053199768066406\ns2b_ph (?, 3, 3, 3) (12, 3, 3, 3) [0.0, 0.0, 0.0, 0.9500899910926819, -0.15136000514030457, -0.10322000086307526] 17.053199768066406\nb2s (2, 3, 4, 2) (2, 3, 4, 2) [0.6984599828720093, 0.0037700000684708357, -0.384880006313324, 0.09435000270605087, -0.6840100288391113, 1.6595499515533447] -5.112100124359131\ns2b4 (8, 3, 4, 3) (8, 3, 4, 3) [0.0, 0.0, 0.0, 0.0, 0.0, 0.0] 17.053199768066406\nb2s4 (2, 3, 4, 1) (2, 3, 4, 1) [0.8579199910163879, -1.6567200422286987, 1.1411000490188599, -0.985509991645813, 0.9295099973678589, -0.8076500296592712] 0.6028000116348267\ns2b1d (9, 3, 2) (9, 3, 2) [0.0, 0.0, 0.821590006351471, 0.005289999768137932, -0.0859299972653389, 0.19428999722003937] -1.1425000429153442\ng1 (?, 4, 6, 3) (2, 4, 6, 3) -27.704999923706055 [-2.2886199951171875, 0.25148001313209534, -2.0164101123809814, -0.5394499897956848, -0.27566999197006226]\ng2 (?, 4, 6, 3) (2, 4, 6, 3) -14.388899803161621 [-1.7776700258255005, -0.5327000021934509, 1.090749979019165, -1.102910041809082, -0.10170000046491623]\nValueError\nValueError\nValueError\n'


def test_space_ops_print_what_tensorflow_prints():
    out = io.StringIO()
    with tf.Graph().as_default(), contextlib.redirect_stdout(out):
        exec(PROGRAM, {"tf": tf, "np": np})
    assert out.getvalue() == TF_2_15_OUTPUT


# extract_image_patches in six configurations (VALID / SAME, strides, rates, a window
# larger than the stride) and the gradient of all six through a placeholder
PATCHES_PROGRAM = 'rng = np.random.RandomState(6)\nx = rng.randn(2, 7, 6, 3).astype(np.float32)\nxp = tf.placeholder(tf.float32, (None, 7, 6, 3))\ncases = [([1, 2, 2, 1], [1, 2, 2, 1], [1, 1, 1, 1], "VALID"), ([1, 3, 2, 1], [1, 1, 2, 1], [1, 1, 1, 1], "SAME"),\n         ([1, 2, 3, 1], [1, 2, 1, 1], [1, 2, 2, 1], "SAME"), ([1, 3, 3, 1], [1, 3, 2, 1], [1, 2, 1, 1], "VALID"),\n         ([1, 1, 1, 1], [1, 1, 1, 1], [1, 1, 1, 1], "VALID"), ([1, 4, 4, 1], [1, 5, 5, 1], [1, 1, 1, 1], "SAME")]\nouts = [tf.extract_image_patches(xp, k, s, r, p) for k, s, r, p in cases]\nfor o in outs: print(o.shape)\nws = [tf.constant(rng.randn(*[2] + o.shape.as_list()[1:]).astype(np.float32)) for o in outs]\ng = tf.gradients(tf.add_n([tf.reduce_sum(o * w) for o, w in zip(outs, ws)]), xp)[0]\nwith tf.Session() as s:\n    for r in s.run(outs + [g], {xp: x}):\n        print(r.shape, np.round(r.ravel()[:5], 5).tolist(), round(float(r.sum()), 4))\n'

PATCHES_TF_2_15_OUTPUT = '(?, 3, 3, 12)\n(?, 7, 3, 18)\n(?, 4, 6, 18)\n(?, 1, 2, 27)\n(?, 7, 6, 3)\n(?, 2, 2, 48)\n(2, 3, 3, 12) [-0.31178000569343567, 0.7289999723434448, 0.21782000362873077, -0.8990899920463562, -2.4867799282073975] 3.3083\n(2, 7, 3, 18) [0.0, 0.0, 0.0, 0.0, 0.0] 15.9459\n(2, 4, 6, 18) [0.0, 0.0, 0.0, 0.0, 0.0] 51.9057\n(2, 1, 2, 27) [-0.31178000569343567, 0.7289999723434448, 0.21782000362873077, -0.8990899920463562, -2.4867799282073975] 2.07\n(2, 7, 6, 3) [-0.31178000569343567, 0.7289999723434448, 0.21782000362873077, -0.8990899920463562, -2.4867799282073975] 4.1255\n(2, 2, 2, 48) [0.0, 0.0, 0.0, 0.0, 0.0] -7.2244\n(2, 7, 6, 3) [6.569859981536865, -1.3798199892044067, 0.6913800239562988, -3.3137900829315186, -1.014680027961731] 60.4495\n'


def test_extract_image_patches_prints_what_tensorflow_prints():
    out = io.StringIO()
    with tf.Graph().as_default(), contextlib.redirect_stdout(out):
        exec(PATCHES_PROGRAM, {"tf": tf, "np": np})
    assert out.getvalue() == PATCHES_TF_2_15_OUTPUT

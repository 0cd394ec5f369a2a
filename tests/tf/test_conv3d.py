"""``tf.nn.conv3d``, ``conv3d_transpose``, ``max_pool3d`` and ``avg_pool3d`` (conv3d.py)
against TensorFlow: the program below printed this text under TF 2.15
(``tensorflow.compat.v1``): static shapes, values and the gradients of input and filter
through all eight forward ops. ndgrad.tf must print the same. Then what TensorFlow's CPU
kernels do not pin: dilated convolution (TF's CPU kernel refuses it) against the same
convolution with a zero-filled filter, second derivatives against finite differences,
and the departure at tied maxima: TF's CPU MaxPool3DGrad gives each of k equal maxima
the whole cotangent (k times the derivative along the direction that raises them all);
here the first maximum gets it, as TF's 2-D max_pool and PyTorch."""

import numpy as np
import pytest

import ndgrad.tf as tf
from helpers import fd_grad_np
from tf_printed import printed

PROGRAM = 'rng = np.random.RandomState(7)\nx = rng.randn(2, 5, 6, 4, 3).astype(np.float32)\nxp = tf.placeholder(tf.float32, (None, 5, 6, 4, 3))\nw = tf.constant(rng.randn(2, 3, 2, 3, 4).astype(np.float32))\nouts = [tf.nn.conv3d(xp, w, [1, 1, 1, 1, 1], "SAME"),\n        tf.nn.conv3d(xp, w, [1, 2, 1, 2, 1], "VALID"),\n        tf.nn.conv3d(xp, w, [1, 2, 3, 1, 1], "SAME"),\n        tf.nn.max_pool3d(xp, [1, 2, 2, 2, 1], [1, 2, 2, 2, 1], "SAME"),\n        tf.nn.max_pool3d(xp, [1, 3, 2, 2, 1], [1, 1, 2, 1, 1], "VALID"),\n        tf.nn.avg_pool3d(xp, [1, 2, 3, 2, 1], [1, 2, 2, 2, 1], "SAME"),\n        tf.nn.avg_pool3d(xp, [1, 2, 2, 2, 1], [1, 1, 1, 1, 1], "VALID"),\n        tf.nn.conv3d_transpose(tf.constant(rng.randn(2, 3, 2, 2, 4).astype(np.float32)), tf.constant(rng.randn(2, 2, 3, 5, 4).astype(np.float32)), [2, 5, 4, 3, 5], [1, 2, 2, 2, 1], "SAME"),\n        tf.nn.conv3d_transpose(tf.constant(rng.randn(2, 4, 3, 2, 4).astype(np.float32)), tf.constant(rng.randn(2, 2, 3, 5, 4).astype(np.float32)), [2, 5, 4, 4, 5], [1, 1, 1, 1, 1], "VALID")]\nfor o in outs: print(o.shape)\nws = [tf.constant(rng.randn(*[2] + o.shape.as_list()[1:]).astype(np.float32)) for o in outs[:8]]\nloss = tf.add_n([tf.reduce_sum(o * v) for o, v in zip(outs[:8], ws)])\ng = tf.gradients(loss, [xp, w])\nwith tf.Session() as s:\n    for r in s.run(outs + g, {xp: x}):\n        print(r.shape, np.round(r.ravel()[:3], 4).tolist(), round(float(r.sum()), 3))\n# ties and a grad through ties\nt = tf.constant(np.array([1, 3, 4, 2, 3.5, 0, 1, 3], np.float32).reshape(1, 2, 2, 2, 1))\nmp = tf.nn.max_pool3d(t, [1, 2, 2, 2, 1], [1, 2, 2, 2, 1], "VALID")\ngt = tf.gradients(mp * 5.0, t)[0]\nwith tf.Session() as s:\n    print(s.run(mp).ravel().tolist(), s.run(gt).ravel().tolist())\n'

TF_2_15_OUTPUT = '(?, 5, 6, 4, 4)\n(?, 2, 4, 2, 4)\n(?, 3, 2, 4, 4)\n(?, 3, 3, 2, 3)\n(?, 3, 3, 3, 3)\n(?, 3, 3, 2, 3)\n(?, 4, 5, 3, 3)\n(2, 5, 4, 3, 5)\n(2, 5, 4, 4, 5)\n(2, 5, 6, 4, 4) [-4.096399784088135, -5.111800193786621, -0.5968000292778015] -69.793\n(2, 2, 4, 2, 4) [-1.3385000228881836, -1.3033000230789185, -5.295499801635742] 22.507\n(2, 3, 2, 4, 4) [-1.3385000228881836, -1.3033000230789185, -5.295499801635742] 15.738\n(2, 3, 3, 2, 3) [1.690500020980835, 1.5296000242233276, 1.5032999515533447] 128.945\n(2, 3, 3, 3, 3) [1.690500020980835, 1.5296000242233276, 1.5032999515533447] 236.334\n(2, 3, 3, 2, 3) [0.13339999318122864, 0.11259999871253967, 0.1446000039577484] -6.62\n(2, 4, 5, 3, 3) [0.26840001344680786, 0.2184000015258789, 0.3154999911785126] -9.054\n(2, 5, 4, 3, 5) [0.9925000071525574, -1.3454999923706055, -0.5839999914169312] -64.773\n(2, 5, 4, 4, 5) [1.1704000234603882, 2.257699966430664, 0.8269000053405762] -24.694\n(2, 5, 6, 4, 3) [9.618800163269043, -1.5089999437332153, -0.9577000141143799] 50.514\n(2, 3, 2, 3, 4) [18.87689971923828, -17.954500198364258, -3.6470000743865967] 181.443\n[4.0] [0.0, 0.0, 5.0, 0.0, 0.0, 0.0, 0.0, 0.0]\n'


def test_conv3d_and_pool3d_print_what_tensorflow_prints():
    assert printed(PROGRAM) == TF_2_15_OUTPUT


def test_dilated_conv3d_is_the_convolution_with_a_zero_filled_filter():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((1, 7, 6, 5, 2))
    w = rng.standard_normal((2, 3, 2, 2, 3))
    holes = np.zeros((3, 3, 3, 2, 3))           # (dilations 2, 1, 2: taps 0, 2)
    holes[::2, :, ::2] = w
    with tf.Graph().as_default(), tf.Session() as s:
        a = s.run(tf.nn.conv3d(x, w, [1, 1, 1, 1, 1], "SAME", dilations=[1, 2, 1, 2, 1]))
        b = s.run(tf.nn.conv3d(x, holes, [1, 1, 1, 1, 1], "SAME"))
    np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)


def test_a_tie_sends_the_gradient_to_the_first_maximum():
    x0 = np.array([1, 3, 3, 2, 3, 0, 1, 3], np.float64).reshape(1, 2, 2, 2, 1)
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float64, x0.shape)
        y = tf.reduce_sum(tf.nn.max_pool3d(x, [1, 2, 2, 2, 1], [1, 2, 2, 2, 1], "VALID"))
        g = tf.gradients(y, x)[0]
        with tf.Session() as s:
            gv = s.run(g, {x: x0}).ravel()
            up = np.where(x0 == 3, 1e-6, 0.0)       # (raise all the tied maxima together)
            slope = (s.run(y, {x: x0 + up}) - s.run(y, {x: x0})) / 1e-6
    assert gv.tolist() == [0, 1, 0, 0, 0, 0, 0, 0]     # (TF 2.15: [0, 1, 1, 0, 1, 0, 0, 1])
    np.testing.assert_allclose(np.sum(gv * (x0.ravel() == 3)), slope, rtol=1e-6)


@pytest.mark.parametrize("op", ["conv", "max", "avg", "transpose"])
def test_second_derivatives_match_finite_differences(op):
    """d/dv of <grad_x(<op(x), w>), v> for each op: the backward ops' own rules."""
    rng = np.random.default_rng(3)
    x0 = rng.standard_normal((1, 3, 4, 3, 2))
    v0 = rng.standard_normal(x0.shape)
    with tf.Graph().as_default():
        x = tf.constant(x0)
        k = tf.placeholder(tf.float64, [2, 2, 2, 2, 2])
        if op == "conv":
            y = tf.nn.conv3d(x, k, [1, 1, 2, 1, 1], "SAME")
        elif op == "max":
            y = tf.nn.max_pool3d(x * tf.reduce_sum(k), [1, 2, 2, 2, 1], [1, 1, 2, 1, 1],
                                 "SAME")
        elif op == "avg":
            y = tf.nn.avg_pool3d(x * tf.reduce_sum(k), [1, 2, 2, 2, 1], [1, 1, 2, 1, 1],
                                 "SAME")
        else:
            y = tf.nn.conv3d_transpose(x, k, [1, 6, 8, 6, 2], [1, 2, 2, 2, 1], "SAME")
        wts = tf.constant(rng.standard_normal([1] + y.shape.as_list()[1:]))
        gx = tf.gradients(tf.reduce_sum(y * wts), x)[0]
        second = tf.gradients(tf.reduce_sum(gx * v0), k)[0]
        k0 = rng.standard_normal((2, 2, 2, 2, 2)) * 0.3
        with tf.Session() as s:
            got = s.run(second, {k: k0})
            want = fd_grad_np(lambda kk: float(np.sum(s.run(gx, {k: kk}) * v0)), k0)
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-7)


def test_bad_arguments_are_refused_when_built():
    with tf.Graph().as_default():
        x = tf.zeros([1, 4, 4, 4, 2])
        with pytest.raises(ValueError, match="Depth of input"):
            tf.nn.conv3d(x, tf.zeros([2, 2, 2, 3, 1]), [1, 1, 1, 1, 1], "SAME")
        with pytest.raises(ValueError, match="NDHWC"):
            tf.nn.conv3d(x, tf.zeros([2, 2, 2, 2, 1]), [1, 1, 1, 1, 1], "SAME",
                         data_format="NCDHW")
        with pytest.raises(ValueError, match="Negative dimension size"):
            tf.nn.max_pool3d(x, [1, 5, 1, 1, 1], [1, 1, 1, 1, 1], "VALID")
        with pytest.raises(ValueError, match=r"strides must be \[1, d, h, w, 1\]"):
            tf.nn.avg_pool3d(x, [1, 2, 2, 2, 1], [2, 1, 1, 1, 1], "SAME")

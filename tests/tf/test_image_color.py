"""``tf.image``'s colour spaces, adjustments and measures (image_color.py) against
TensorFlow: the program below printed this text under TF 2.15 (``tensorflow.compat.v1``),
values rounded to 5 decimals: rgb_to_hsv and hsv_to_rgb (bit for bit: TF's formulas),
saturation and hue on float and uint8 images (within a few float32 ulps: TF's
AdjustSaturation / AdjustHue kernels convert through HSV with scalar formulas of their
own), gamma, grayscale_to_rgb, total_variation, psnr (uint8 images with max_val 255),
image_gradients and a gradient. ndgrad.tf must print the same."""

import numpy as np
import pytest

import ndgrad.tf as tf
from tf_printed import printed

PROGRAM = 'rng = np.random.RandomState(11)\nx = rng.rand(2, 4, 5, 3).astype(np.float32)\nx[0, 0, 0] = [0.5, 0.5, 0.5]; x[0, 0, 1] = [0.0, 0.0, 0.0]; x[0, 0, 2] = [0.2, 0.7, 0.7]; x[0, 0, 3] = [0.9, 0.9, 0.1]\nxi = (rng.rand(4, 5, 3) * 255).astype(np.uint8)\nt = tf.constant(x)\nhsv = tf.image.rgb_to_hsv(t)\nouts = [hsv, tf.image.hsv_to_rgb(hsv), tf.image.adjust_saturation(t, 0.3), tf.image.adjust_saturation(t, 2.5),\n        tf.image.adjust_hue(t, 0.2), tf.image.adjust_hue(t, -0.7), tf.image.adjust_gamma(t, 2.2, 0.9),\n        tf.image.adjust_saturation(tf.constant(xi), 1.7), tf.image.adjust_hue(tf.constant(xi), 0.1),\n        tf.image.adjust_gamma(tf.constant(xi), 0.5), tf.image.grayscale_to_rgb(t[..., :1]),\n        tf.image.total_variation(t), tf.image.total_variation(t[0]), tf.image.psnr(t[0], t[1], 1.0),\n        tf.image.psnr(tf.constant(xi), tf.constant(xi[::-1]), 255)] + list(tf.image.image_gradients(t))\nfor o in outs: print(o.shape, o.dtype)\ng = tf.gradients(tf.reduce_sum(tf.image.total_variation(t)) + tf.reduce_sum(tf.image.adjust_gamma(t, 2.0)), t)[0]\nwith tf.Session() as s:\n    for r in s.run(outs + [g]):\n        r = np.asarray(r)\n        print(r.shape, np.round(r.ravel()[:6].astype(np.float64), 5).tolist(), round(float(r.astype(np.float64).sum()), 3))\n'

TF_2_15_OUTPUT = "(2, 4, 5, 3) <dtype: 'float32'>\n(2, 4, 5, 3) <dtype: 'float32'>\n(2, 4, 5, 3) <dtype: 'float32'>\n(2, 4, 5, 3) <dtype: 'float32'>\n(2, 4, 5, 3) <dtype: 'float32'>\n(2, 4, 5, 3) <dtype: 'float32'>\n(2, 4, 5, 3) <dtype: 'float32'>\n(4, 5, 3) <dtype: 'uint8'>\n(4, 5, 3) <dtype: 'uint8'>\n(4, 5, 3) <dtype: 'uint8'>\n(2, 4, 5, 3) <dtype: 'float32'>\n(2,) <dtype: 'float32'>\n() <dtype: 'float32'>\n() <dtype: 'float32'>\n() <dtype: 'float32'>\n(2, 4, 5, 3) <dtype: 'float32'>\n(2, 4, 5, 3) <dtype: 'float32'>\n(2, 4, 5, 3) [0.0, 0.0, 0.5, 0.0, 0.0, 0.0] 73.967\n(2, 4, 5, 3) [0.5, 0.5, 0.5, 0.0, 0.0, 0.0] 59.967\n(2, 4, 5, 3) [0.5, 0.5, 0.5, 0.0, 0.0, 0.0] 79.63\n(2, 4, 5, 3) [0.5, 0.5, 0.5, 0.0, 0.0, 0.0] 46.572\n(2, 4, 5, 3) [0.5, 0.5, 0.5, 0.0, 0.0, 0.0] 60.547\n(2, 4, 5, 3) [0.5, 0.5, 0.5, 0.0, 0.0, 0.0] 60.384\n(2, 4, 5, 3) [0.19587, 0.19587, 0.19587, 0.0, 0.0, 0.0] 33.303\n(4, 5, 3) [60.0, 235.0, 148.0, 97.0, 98.0, 165.0] 6746.0\n(4, 5, 3) [132.0, 224.0, 235.0, 148.0, 125.0, 165.0] 8958.0\n(4, 5, 3) [183.0, 245.0, 217.0, 178.0, 179.0, 205.0] 10740.0\n(2, 4, 5, 3) [0.5, 0.5, 0.5, 0.0, 0.0, 0.0] 67.175\n(2,) [32.71162, 25.92656] 58.638\n() [32.71162] 32.712\n() [7.98465] 7.985\n() [8.32398] 8.324\n(2, 4, 5, 3) [0.13233, -0.47952, -0.38326, 0.31637, 0.15791, 0.75898] -1.779\n(2, 4, 5, 3) [-0.5, -0.5, -0.5, 0.2, 0.7, 0.7] 1.611\n(2, 4, 5, 3) [1.0, 3.0, 3.0, -3.0, -3.0, -3.0] 119.934\n"


def test_image_colour_ops_print_what_tensorflow_prints():
    assert printed(PROGRAM) == TF_2_15_OUTPUT


def test_random_adjustments_stay_in_their_ranges_and_refuse_bad_bounds():
    with tf.Graph().as_default():
        x = tf.constant(np.full((2, 2, 3), 0.5, np.float32))
        ys = [tf.image.random_brightness(x, 0.2, seed=1),
              tf.image.random_contrast(x, 0.5, 1.5, seed=2),
              tf.image.random_saturation(x, 0.5, 1.5, seed=3),
              tf.image.random_hue(x, 0.1, seed=4)]
        with tf.Session() as s:
            b, c, sat, hue = s.run(ys)
        assert np.all(np.abs(b - 0.5) <= 0.2) and np.allclose(c, 0.5)   # (a grey image)
        assert np.allclose(sat, 0.5, atol=1e-6) and np.allclose(hue, 0.5, atol=1e-6)
        for f in (lambda: tf.image.random_brightness(x, -1.0),
                  lambda: tf.image.random_contrast(x, 1.0, 0.5),
                  lambda: tf.image.random_hue(x, 0.6),
                  lambda: tf.image.adjust_hue(x, 1.5),
                  lambda: tf.image.adjust_gamma(x, -1.0)):
            with pytest.raises(ValueError):
                f()

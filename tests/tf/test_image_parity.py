"""tf.image in graph and eager mode: the geometric and colour functions against NumPy
references and TensorFlow (eager mode read graph tensors' private shape and dtype and
raised AttributeError; pad/crop_to_bounding_box, transpose_image, rot90 and
adjust_brightness/contrast were missing)."""
import json
import subprocess

import numpy as np
import pytest

import ndgrad.tf as tf

IMG = np.random.default_rng(0).uniform(0, 1, (2, 5, 6, 3)).astype(np.float32)
U8 = (IMG * 255).astype(np.uint8)


def test_geometry_against_numpy(mode):
    x = tf.constant(IMG)
    for k in range(5):
        np.testing.assert_array_equal(mode(tf.image.rot90(x, k)),
                                      np.rot90(IMG, k, axes=(1, 2)))
        np.testing.assert_array_equal(mode(tf.image.rot90(tf.constant(IMG[0]), k)),
                                      np.rot90(IMG[0], k))
    np.testing.assert_array_equal(mode(tf.image.transpose_image(x)), IMG.transpose(0, 2, 1, 3))
    p = mode(tf.image.pad_to_bounding_box(x, 1, 2, 8, 9))
    assert p.shape == (2, 8, 9, 3) and p.sum() == pytest.approx(IMG.sum(), rel=1e-6)
    np.testing.assert_array_equal(p[:, 1:6, 2:8], IMG)
    np.testing.assert_array_equal(mode(tf.image.crop_to_bounding_box(x, 1, 2, 3, 3)),
                                  IMG[:, 1:4, 2:5])
    with pytest.raises(ValueError, match="exceeds the image"):
        tf.image.crop_to_bounding_box(x, 3, 2, 3, 3)
    with pytest.raises(ValueError, match="smaller than the image"):
        tf.image.pad_to_bounding_box(x, 1, 2, 5, 9)
    g = mode(tf.image.resize_bilinear(x, [7, 4]))   # (eager raised AttributeError)
    assert g.shape == (2, 7, 4, 3) and g.dtype == np.float32


def test_colour_adjustments_against_numpy(mode):
    x = tf.constant(IMG)
    np.testing.assert_allclose(mode(tf.image.adjust_brightness(x, 0.1)), IMG + np.float32(0.1))
    mean = IMG.mean(axis=(1, 2), keepdims=True)
    np.testing.assert_allclose(mode(tf.image.adjust_contrast(x, 1.5)),
                               (IMG - mean) * 1.5 + mean, rtol=1e-5, atol=1e-6)
    b = mode(tf.image.adjust_brightness(tf.constant(U8), 0.1))
    assert b.dtype == np.uint8


TF_SCRIPT = r"""
import json, sys, numpy as np
import tensorflow.compat.v1 as tf
IMG = np.random.default_rng(0).uniform(0, 1, (2, 5, 6, 3)).astype(np.float32)
U8 = (IMG * 255).astype(np.uint8)
x, u = tf.constant(IMG), tf.constant(U8)
out = {
  "rot1": tf.image.rot90(x, 1), "rot3": tf.image.rot90(x, 3), "tr": tf.image.transpose_image(x),
  "pad": tf.image.pad_to_bounding_box(x, 1, 2, 8, 9), "crop": tf.image.crop_to_bounding_box(x, 1, 2, 3, 3),
  "bright": tf.image.adjust_brightness(x, 0.1), "contrast": tf.image.adjust_contrast(x, 1.5),
  "bright_u8": tf.image.adjust_brightness(u, 0.1), "contrast_u8": tf.image.adjust_contrast(u, 1.5),
  "bilinear": tf.image.resize_bilinear(x, [7, 4]), "gray": tf.image.rgb_to_grayscale(x),
  "std": tf.image.per_image_standardization(x),
}
print(json.dumps({k: [v.dtype.name, v.numpy().tolist()] for k, v in out.items()}))
"""


def test_image_functions_give_tensorflows_results(tmp_path, tf_python, mode):
    script = tmp_path / "t.py"
    script.write_text(TF_SCRIPT)
    r = subprocess.run([tf_python, str(script)], check=True, capture_output=True, text=True)
    want = json.loads(r.stdout.strip().splitlines()[-1])
    x, u = tf.constant(IMG), tf.constant(U8)
    got = {
        "rot1": tf.image.rot90(x, 1), "rot3": tf.image.rot90(x, 3),
        "tr": tf.image.transpose_image(x), "pad": tf.image.pad_to_bounding_box(x, 1, 2, 8, 9),
        "crop": tf.image.crop_to_bounding_box(x, 1, 2, 3, 3),
        "bright": tf.image.adjust_brightness(x, 0.1), "contrast": tf.image.adjust_contrast(x, 1.5),
        "bright_u8": tf.image.adjust_brightness(u, 0.1),
        "contrast_u8": tf.image.adjust_contrast(u, 1.5),
        "bilinear": tf.image.resize_bilinear(x, [7, 4]), "gray": tf.image.rgb_to_grayscale(x),
        "std": tf.image.per_image_standardization(x),
    }
    for k, t in got.items():
        v = mode(t)
        dt, w = want[k]
        assert v.dtype == np.dtype(dt), k
        if v.dtype.kind in "iu":
            # (TF's saturating cast of a float32 image may differ by one step where the
            # value lands on a rounding boundary)
            assert np.abs(v.astype(int) - np.asarray(w)).max() <= 1, k
        else:
            np.testing.assert_allclose(v, np.asarray(w, v.dtype), rtol=1e-5, atol=2e-6,
                                       err_msg=k)

"""``tf.image``'s colour spaces and adjustments (``rgb_to_hsv``, ``hsv_to_rgb``,
``grayscale_to_rgb``, ``adjust_saturation``, ``adjust_hue``, ``adjust_gamma``), their
random versions (``random_brightness``, ``random_contrast``, ``random_saturation``,
``random_hue``) and image measures (``total_variation``, ``image_gradients``, ``psnr``):
each composed of ops whose rules give its gradient, with TF's kernels' formulas."""
from __future__ import annotations

import numpy as np

from . import dtypes as _tfd
from .framework import convert_to_tensor, name_scope
from .image_ops import _as_float_image, _npdt, _shp, convert_image_dtype

__all__ = ["rgb_to_hsv", "hsv_to_rgb", "grayscale_to_rgb", "adjust_saturation",
           "adjust_hue", "adjust_gamma", "random_brightness", "random_contrast",
           "random_saturation", "random_hue", "total_variation", "image_gradients", "psnr"]


def _m():
    from . import math_ops
    return math_ops


def _channels(t, what, n=3):
    s = _shp(t)
    if s is not None and s[-1] is not None and s[-1] != n:
        raise ValueError(f"{what}: the last dimension must be {n} (channels), got shape "
                         f"{t.shape}")


def _float_rgb(images, what):
    """``images`` as a float tensor of three channels (what the colour-space kernels
    take)."""
    x = convert_to_tensor(images)
    if _npdt(x).kind != "f":
        raise TypeError(f"{what}: images must be float, got {_npdt(x)}")
    _channels(x, what)
    return x


def _split3(x):
    m = _m()
    return m.unstack(x, num=3, axis=-1)


def rgb_to_hsv(images, name=None):
    """RGB in [0, 1] to hue, saturation, value in [0, 1] (TF's RGBToHSV formulas).

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.image.rgb_to_hsv([[0.5, 0.25, 0.0]]))
    array([[0.08333334, 1.        , 0.5       ]], dtype=float32)
    """
    m = _m()
    with name_scope(name, "rgb_to_hsv", [images]):
        x = _float_rgb(images, "rgb_to_hsv")
        r, g, b = _split3(x)
        v = m.maximum(m.maximum(r, g), b)
        rng = v - m.minimum(m.minimum(r, g), b)
        zero = m.zeros_like(v)
        s = m.where(v > zero, m.div_no_nan(rng, v), zero)
        norm = m.div_no_nan(m.ones_like(rng), rng) * (1.0 / 6.0)
        h = m.where(m.equal(r, v), norm * (g - b),
                    m.where(m.equal(g, v), norm * (b - r) + 2.0 / 6.0,
                            norm * (r - g) + 4.0 / 6.0))
        h = m.where(rng > zero, h, zero)
        h = m.where(h < zero, h + 1.0, h)
        return m.stack([h, s, v], axis=-1)


def hsv_to_rgb(images, name=None):
    """Hue, saturation, value in [0, 1] to RGB (TF's HSVToRGB formulas).

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.image.hsv_to_rgb([[1 / 12, 1.0, 0.5]]))
    array([[0.5 , 0.25, 0.  ]], dtype=float32)
    """
    m = _m()
    with name_scope(name, "hsv_to_rgb", [images]):
        x = _float_rgb(images, "hsv_to_rgb")
        h, s, v = _split3(x)
        dh = h * 6.0

        def clip01(t):
            return m.minimum(m.maximum(t, 0.0), 1.0)
        dr = clip01(m.abs(dh - 3.0) - 1.0)
        dg = clip01(-m.abs(dh - 2.0) + 2.0)
        db = clip01(-m.abs(dh - 4.0) + 2.0)
        one_s = -s + 1.0
        return m.stack([(one_s + s * dr) * v, (one_s + s * dg) * v, (one_s + s * db) * v],
                       axis=-1)


def grayscale_to_rgb(images, name=None):
    """A one-channel image repeated into three channels.

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.image.grayscale_to_rgb([[[0.5]]]))
    array([[[0.5, 0.5, 0.5]]], dtype=float32)
    """
    m = _m()
    with name_scope(name, "grayscale_to_rgb", [images]):
        x = convert_to_tensor(images)
        _channels(x, "grayscale_to_rgb", 1)
        return m.concat([x, x, x], -1)


def _via_hsv(image, fn, name, default):
    with name_scope(name, default, [image]):
        t = convert_to_tensor(image)
        x, orig = _as_float_image(t)
        out = hsv_to_rgb(fn(*_split3(rgb_to_hsv(x))))
        return out if orig is None else convert_image_dtype(out, orig, saturate=True)


def adjust_saturation(image, saturation_factor, name=None):
    """Saturation scaled by ``saturation_factor`` (clipped to [0, 1]) in HSV space.

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.image.adjust_saturation([[[0.5, 0.25, 0.0]]], 0.5))
    array([[[0.5  , 0.375, 0.25 ]]], dtype=float32)
    """
    m = _m()
    return _via_hsv(image, lambda h, s, v: m.stack(
        [h, m.minimum(m.maximum(s * m.cast(saturation_factor, _npdt(s)), 0.0), 1.0), v],
        axis=-1), name, "adjust_saturation")


def adjust_hue(image, delta, name=None):
    """Hue turned by ``delta`` (in [-1, 1]; a full turn is 1) in HSV space.

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.image.adjust_hue([[[1.0, 0.0, 0.0]]], 1 / 3))
    array([[[0., 1., 0.]]], dtype=float32)
    """
    m = _m()
    if isinstance(delta, (int, float)) and not -1 <= delta <= 1:
        raise ValueError(f"adjust_hue: delta must be in the interval [-1, 1], got {delta}")

    def turn(h, s, v):
        h = h + m.cast(delta, _npdt(h))
        h = h - m.floor(h)              # (into [0, 1), as TF's fmod then +1)
        return m.stack([h, s, v], axis=-1)
    return _via_hsv(image, turn, name, "adjust_hue")


def adjust_gamma(image, gamma=1, gain=1):
    """``gain * image ** gamma`` (an integer image scaled to [0, 1] and back).

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.image.adjust_gamma([[[0.25]]], 0.5))
    array([[[0.5]]], dtype=float32)
    """
    m = _m()
    with name_scope(None, "adjust_gamma", [image]):
        t = convert_to_tensor(image)
        if isinstance(gamma, (int, float)) and gamma < 0:
            raise ValueError("Gamma should be a non-negative real number.")
        x, orig = _as_float_image(t)
        dt = _npdt(x)
        out = m.cast(gain, dt) * m.pow(x, m.cast(gamma, dt))
        return out if orig is None else convert_image_dtype(out, orig, saturate=True)


# -- random adjustments (one draw per call of the op, from ndgrad's stream) ------------------
def _uniform(lo, hi, seed):
    from .random_ops import random_uniform
    return random_uniform([], lo, hi, seed=seed)


def random_brightness(image, max_delta, seed=None):
    """``adjust_brightness`` by a delta drawn uniformly from [-max_delta, max_delta).

    >>> import ndgrad.tf as tf
    >>> y = tf.image.random_brightness(tf.zeros([1, 1, 1]), 0.1)
    >>> bool(abs(tf.Session().run(y)[0, 0, 0]) <= 0.1)
    True
    """
    from .image_ops import adjust_brightness
    if max_delta < 0:
        raise ValueError("max_delta must be non-negative.")
    return adjust_brightness(image, _uniform(-max_delta, max_delta, seed))


def _factor(lower, upper, seed):
    """A factor drawn uniformly from [lower, upper), after TF's checks of the range."""
    if upper <= lower:
        raise ValueError("upper must be > lower.")
    if lower < 0:
        raise ValueError("lower must be non-negative.")
    return _uniform(lower, upper, seed)


def random_contrast(image, lower, upper, seed=None):
    """``adjust_contrast`` by a factor drawn uniformly from [lower, upper).

    >>> import ndgrad.tf as tf
    >>> y = tf.image.random_contrast(tf.ones([1, 2, 1]), 0.5, 1.5)
    >>> tf.Session().run(y).tolist()      # a flat image keeps its mean
    [[[1.0], [1.0]]]
    """
    from .image_ops import adjust_contrast
    return adjust_contrast(image, _factor(lower, upper, seed))


def random_saturation(image, lower, upper, seed=None):
    """``adjust_saturation`` by a factor drawn uniformly from [lower, upper).

    >>> import ndgrad.tf as tf
    >>> y = tf.image.random_saturation(tf.ones([1, 1, 3]), 0.5, 1.5)
    >>> tf.Session().run(y).tolist()      # grey has no saturation to change
    [[[1.0, 1.0, 1.0]]]
    """
    return adjust_saturation(image, _factor(lower, upper, seed))


def random_hue(image, max_delta, seed=None):
    """``adjust_hue`` by a delta drawn uniformly from [-max_delta, max_delta).

    >>> import ndgrad.tf as tf
    >>> y = tf.image.random_hue(tf.ones([1, 1, 3]), 0.2)
    >>> tf.Session().run(y).tolist()      # grey has no hue to turn
    [[[1.0, 1.0, 1.0]]]
    """
    if max_delta > 0.5:
        raise ValueError("max_delta must be <= 0.5.")
    if max_delta < 0:
        raise ValueError("max_delta must be non-negative.")
    return adjust_hue(image, _uniform(-max_delta, max_delta, seed))


# -- measures ----------------------------------------------------------------------------------
def total_variation(images, name=None):
    """The sum of absolute differences of neighbouring pixels (vertical and horizontal)
    per image: a scalar for one image (3-D), one per image for a batch (4-D).

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.image.total_variation([[[0.0], [1.0]], [[3.0], [1.0]]]))
    np.float32(6.0)
    """
    m = _m()
    with name_scope(name, "total_variation", [images]):
        x = convert_to_tensor(images)
        s = _shp(x)
        if s is None or len(s) not in (3, 4):
            raise ValueError(f"total_variation: 'images' must be either 3 or 4-dimensional, "
                             f"got shape {x.shape}")
        if len(s) == 3:
            dv = x[1:, :, :] - x[:-1, :, :]
            dh = x[:, 1:, :] - x[:, :-1, :]
            axes = None
        else:
            dv = x[:, 1:, :, :] - x[:, :-1, :, :]
            dh = x[:, :, 1:, :] - x[:, :, :-1, :]
            axes = [1, 2, 3]
        return m.reduce_sum(m.abs(dv), axis=axes) + m.reduce_sum(m.abs(dh), axis=axes)


def image_gradients(image):
    """``(dy, dx)``: each pixel's difference to the next one down and to the right, zero
    in the last row (dy) and last column (dx); a 4-D batch.

    >>> import ndgrad.tf as tf
    >>> dy, dx = tf.image.image_gradients(tf.reshape(tf.range(4.0), [1, 2, 2, 1]))
    >>> tf.Session().run(dx)[0, :, :, 0].tolist()
    [[1.0, 0.0], [1.0, 0.0]]
    """
    m = _m()
    x = convert_to_tensor(image)
    s = _shp(x)
    if s is None or len(s) != 4:
        raise ValueError(f"image_gradients expects a 4D tensor [batch_size, h, w, d], not "
                         f"{x.shape}")
    dy = x[:, 1:, :, :] - x[:, :-1, :, :]
    dx = x[:, :, 1:, :] - x[:, :, :-1, :]
    dy = m.concat([dy, m.zeros_like(x[:, :1, :, :])], 1)
    dx = m.concat([dx, m.zeros_like(x[:, :, :1, :])], 2)
    return dy, dx


def psnr(a, b, max_val, name=None):
    """Peak signal-to-noise ratio of each image pair, in dB, over the last three axes
    (computed in float32, as TF's).

    >>> import ndgrad.tf as tf
    >>> round(float(tf.Session().run(tf.image.psnr([[[0.5]]], [[[0.25]]], 1.0))), 4)
    12.0412
    """
    m = _m()
    with name_scope(name, "PSNR", [a, b]):
        a = convert_to_tensor(a)
        # (TF's: max_val in the images' dtype, then scaled as they are: 255 for uint8
        # images is 1.0)
        mv = convert_image_dtype(m.cast(max_val, _npdt(a)), _tfd.float32)
        x = convert_image_dtype(a, _tfd.float32)
        y = convert_image_dtype(convert_to_tensor(b), _tfd.float32)
        mse = m.reduce_mean(m.squared_difference(x, y), axis=[-3, -2, -1])
        ln10 = float(np.log(np.float32(10.0)))
        psnr_val = m.subtract(20.0 * m.log(mv) / ln10, (10.0 / ln10) * m.log(mse),
                              name="psnr")
        return psnr_val

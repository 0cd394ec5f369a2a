"""``tf.image``: decode and encode PNG/JPEG (through Pillow, an optional extra),
``resize_images`` (bilinear and nearest neighbour, TF 1's pixel convention),
``per_image_standardization``, ``convert_image_dtype``, flips, ``random_flip_left_right``,
``random_crop``, ``central_crop``, ``resize_image_with_crop_or_pad``.

Everything after decoding is built from differentiable graph ops (resizing is a product
with constant interpolation matrices), so ``tf.gradients`` flows through it as in
TensorFlow.

>>> import numpy as np, ndgrad.tf as tf
>>> img = tf.constant(np.arange(4, dtype=np.float32).reshape(2, 2, 1))
>>> with tf.Session() as sess:
...     print(sess.run(tf.image.resize_images(img, [4, 4]))[..., 0])
[[0.  0.5 1.  1. ]
 [1.  1.5 2.  2. ]
 [2.  2.5 3.  3. ]
 [2.  2.5 3.  3. ]]
"""
from __future__ import annotations

import io

import numpy as np

from ..graph import errors as _errors
from ..graph.core import Tensor, get_default_graph
from . import dtypes as _tfd
from .framework import convert_to_tensor
from . import png_decode as _png

__all__ = ["ResizeMethod", "decode_png", "decode_jpeg", "decode_image",
           "encode_png", "encode_jpeg", "resize_images", "resize_bilinear",
           "resize_nearest_neighbor", "per_image_standardization", "convert_image_dtype",
           "flip_left_right", "flip_up_down", "random_flip_left_right",
           "random_flip_up_down", "random_crop", "central_crop",
           "resize_image_with_crop_or_pad", "rgb_to_grayscale", "pad_to_bounding_box",
           "crop_to_bounding_box", "transpose_image", "rot90", "adjust_brightness",
           "adjust_contrast"]

_OBJ = np.dtype(object)


def _shp(t):
    """A tensor's static shape: a graph Tensor's (dims may be None), an eager array's."""
    return t._shape if isinstance(t, Tensor) else tuple(t.shape)


def _npdt(t):
    """A tensor's NumPy dtype (a graph Tensor's or an eager array's)."""
    return t._np_dtype if isinstance(t, Tensor) else np.dtype(t.dtype)


class ResizeMethod:
    """The ``method`` values of ``resize_images`` (TF 1's numbering).

    >>> import ndgrad.tf as tf
    >>> img = tf.constant([[[1], [2]], [[3], [4]]])
    >>> y = tf.image.resize_images(img, [2, 4], method=tf.image.ResizeMethod.NEAREST_NEIGHBOR)
    >>> tf.Session().run(y)[..., 0]
    array([[1, 1, 2, 2],
           [3, 3, 4, 4]], dtype=int32)
    """
    BILINEAR = 0
    NEAREST_NEIGHBOR = 1
    BICUBIC = 2
    AREA = 3


def _pil():
    try:
        from PIL import Image
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError("tf.image's decode/encode ops need Pillow (pip install "
                          "'ndgrad[images]' or pip install pillow)") from e
    return Image


def _decode(type_, contents, channels, name, dtype=np.uint8, fmt=None):
    t = convert_to_tensor(contents, dtype=_tfd.string)
    channels = int(channels or 0)
    if channels not in (0, 1, 2, 3, 4):
        raise ValueError(f"channels must be 0, 1, 2, 3 or 4, got {channels}")
    dt = np.dtype(_tfd.as_dtype(dtype)._np)
    g = get_default_graph()
    modes = {1: "L", 2: "LA", 3: "RGB", 4: "RGBA"}

    def fn(ctx, v):
        Image = _pil()
        data = v[()] if isinstance(v, np.ndarray) else v
        try:
            im = Image.open(io.BytesIO(data))
            if fmt is not None and im.format not in fmt:
                raise ValueError(f"expected {'/'.join(fmt)}, got {im.format}")
            if im.format == "PNG":
                # TensorFlow's libpng transforms on the file's own samples (Pillow's
                # conversions round otherwise, and read 16-bit color as 8 bits)
                return _png.decode(bytes(data), channels, dt)
            if channels == 1 and im.format == "JPEG" and im.mode == "RGB":
                # libjpeg's own grayscale output, the luma it decodes (TF's), not a
                # conversion of the decoded RGB, which rounds otherwise (by up to 7)
                im.draft("L", im.size)
            im.load()
        except Exception as e:  # noqa: BLE001 - Pillow raises many kinds
            raise _errors.InvalidArgumentError(
                None, op, f"{type_}: invalid image data ({e})") from None
        want = modes.get(channels)
        if want is None:   # keep the file's channels
            want = {"1": "L", "L": "L", "LA": "LA", "P": "RGBA" if "transparency" in im.info
                    else "RGB", "RGB": "RGB", "RGBA": "RGBA", "I;16": "I;16"}.get(im.mode,
                                                                                  "RGB")
        if want == "I;16" or (im.mode.startswith("I;16") and dt == np.uint16):
            arr = np.asarray(im, dtype=np.uint16)
        else:
            arr = np.asarray(im.convert(want))
            if dt == np.uint16:
                arr = arr.astype(np.uint16) * 257
        if arr.ndim == 2:
            arr = arr[:, :, None]
        return np.ascontiguousarray(arr.astype(dt, copy=False))
    op = g.special_op(type_, name or type_, (t,), fn,
                      [((None, None, channels or None), dt)])
    return op.outputs[0]


def decode_png(contents, channels=0, dtype=_tfd.uint8, name=None):
    """A PNG as a uint8 (or uint16) tensor of shape [height, width, channels].

    >>> import ndgrad.tf as tf
    >>> png = tf.image.encode_png(tf.constant([[[0, 128, 255]]], dtype=tf.uint8))
    >>> tf.Session().run(tf.image.decode_png(png))
    array([[[  0, 128, 255]]], dtype=uint8)
    """
    return _decode("DecodePng", contents, channels, name, dtype, ("PNG",))


def decode_jpeg(contents, channels=0, ratio=1, fancy_upscaling=True,
                try_recover_truncated=False, acceptable_fraction=1, dct_method="",
                name=None):
    """A JPEG as a uint8 tensor [height, width, channels], decoded by Pillow with
    libjpeg's accurate integer IDCT and fancy upsampling: TensorFlow's values with
    ``dct_method="INTEGER_ACCURATE"``. TF's default ``""`` is "a system-specific default",
    in TF 2.21's builds the fast integer IDCT, whose pixels differ from these by up to a
    few levels; ``"INTEGER_FAST"`` and ``fancy_upscaling=False``, which Pillow cannot
    decode with, raise instead of giving other values.

    >>> import ndgrad.tf as tf
    >>> jpeg = tf.image.encode_jpeg(tf.constant(128, tf.uint8, [8, 8, 3]))
    >>> img = tf.Session().run(tf.image.decode_jpeg(jpeg))
    >>> print(img.shape, img.dtype, img.min(), img.max())
    (8, 8, 3) uint8 128 128
    """
    if ratio != 1:
        raise ValueError(f"decode_jpeg: ratio={ratio} is not provided (only 1)")
    if dct_method not in ("", "INTEGER_ACCURATE"):
        raise ValueError(f"decode_jpeg: dct_method={dct_method!r} is not provided: ndgrad "
                         "decodes with libjpeg's accurate integer IDCT (Pillow), which is "
                         "dct_method='INTEGER_ACCURATE' (or '')")
    if not fancy_upscaling:
        raise ValueError("decode_jpeg: fancy_upscaling=False is not provided (Pillow "
                         "upsamples chroma with libjpeg's fancy upsampling)")
    return _decode("DecodeJpeg", contents, channels, name, np.uint8, ("JPEG",))


def decode_image(contents, channels=None, dtype=_tfd.uint8, name=None,
                 expand_animations=True):
    """A PNG, JPEG, GIF or BMP image as [height, width, channels].

    >>> import ndgrad.tf as tf
    >>> png = tf.image.encode_png(tf.constant([[[1, 2, 3], [4, 5, 6]]], dtype=tf.uint8))
    >>> tf.Session().run(tf.image.decode_image(png))
    array([[[1, 2, 3],
            [4, 5, 6]]], dtype=uint8)
    """
    return _decode("DecodeImage", contents, channels, name, dtype)


def _encode(type_, image, name, fmt, **save_kw):
    t = convert_to_tensor(image)
    g = get_default_graph()

    def fn(ctx, v):
        Image = _pil()
        arr = np.asarray(v)
        if arr.ndim != 3 or arr.shape[2] not in (1, 2, 3, 4):
            raise _errors.InvalidArgumentError(
                None, op, f"image must be 3-dimensional [height, width, channels] with 1-4 "
                f"channels, got shape {list(arr.shape)}")
        if arr.dtype not in (np.uint8, np.uint16) or (arr.dtype == np.uint16 and
                                                       fmt == "JPEG"):
            raise _errors.InvalidArgumentError(
                None, op, f"{type_}: image dtype {arr.dtype} is not supported (uint8"
                f"{' or uint16' if fmt == 'PNG' else ''})")
        mode = {1: "L", 2: "LA", 3: "RGB", 4: "RGBA"}[arr.shape[2]]
        if arr.dtype == np.uint16:
            if arr.shape[2] != 1:
                raise _errors.InvalidArgumentError(
                    None, op, "uint16 PNGs with more than one channel are not provided")
            im = Image.fromarray(arr[:, :, 0].astype(np.uint16), mode="I;16")
        else:
            im = Image.fromarray(arr[:, :, 0] if arr.shape[2] == 1 else arr, mode=mode)
        buf = io.BytesIO()
        im.save(buf, format=fmt, **save_kw)
        return np.array(buf.getvalue(), dtype=_OBJ)
    op = g.special_op(type_, name or type_, (t,), fn, [((), _OBJ)])
    return op.outputs[0]


def encode_png(image, compression=-1, name=None):
    """A [height, width, channels] uint8/uint16 image as PNG bytes.

    >>> import ndgrad.tf as tf
    >>> png = tf.image.encode_png(tf.zeros([2, 2, 3], tf.uint8))
    >>> tf.Session().run(png)[1:4]
    b'PNG'
    """
    level = 6 if compression is None or compression < 0 else int(compression)
    return _encode("EncodePng", image, name, "PNG", compress_level=level)


def encode_jpeg(image, format="", quality=95, progressive=False, optimize_size=False,
                chroma_downsampling=True, density_unit="in", x_density=300, y_density=300,
                xmp_metadata="", name=None):  # noqa: A002
    """A [height, width, channels] uint8 image as JPEG bytes.

    >>> import ndgrad.tf as tf
    >>> jpeg = tf.image.encode_jpeg(tf.zeros([2, 2, 3], tf.uint8))
    >>> list(tf.Session().run(jpeg)[:3])
    [255, 216, 255]
    """
    return _encode("EncodeJpeg", image, name, "JPEG", quality=int(quality))


# -- geometry (differentiable: built from graph ops) --------------------------------------
def _m():
    from . import math_ops
    return math_ops


def _static_hw(t, what):
    s = _shp(t)
    if s is None or len(s) not in (3, 4):
        raise ValueError(f"{what}: 'images' must have 3 or 4 dimensions, shape {s}")
    h, w = s[-3], s[-2]
    if h is None or w is None:
        raise ValueError(f"{what}: the height and width of 'images' must be known "
                         f"statically, shape {tuple(s)}")
    return int(h), int(w)


def _hw(t, what):
    """The height and width of ``images`` (3 or 4 dimensions): ints, None where unknown."""
    s = _shp(t)
    if s is None or len(s) not in (3, 4):
        raise ValueError(f"{what}: 'images' must have 3 or 4 dimensions, shape {s}")
    return [None if d is None else int(d) for d in (s[-3], s[-2])]


def _per_size(t, axis, n, make, dtype, out_shape):
    """``make(n)`` as a constant when the input size ``n`` is static, else made at run
    time from the input's shape (decode_jpeg's images have no static height and width);
    constant to gradients either way."""
    m = _m()
    if n is not None:
        return m.constant(make(n))
    from .extra_ops import py_func
    out = py_func(lambda d: make(int(d)), [m.shape(t)[axis]], dtype, stateful=False)
    out = m.stop_gradient(out)
    out.set_shape(out_shape)
    return out


def _bilinear_matrix(n_in, n_out, align_corners, dt):
    """out = M @ in along one axis: TF 1's bilinear weights (no half-pixel centres)."""
    if align_corners and n_out > 1:
        scale = (n_in - 1) / (n_out - 1)
    else:
        scale = n_in / n_out
    M = np.zeros((n_out, n_in), dtype=np.float64)
    for o in range(n_out):
        src = o * scale
        lo = int(np.floor(src))
        hi = min(lo + 1, n_in - 1)
        frac = src - lo
        M[o, lo] += 1 - frac
        M[o, hi] += frac
    return M.astype(dt)


def _nearest_index(n_in, n_out, align_corners):
    if align_corners and n_out > 1:
        scale = (n_in - 1) / (n_out - 1)
        idx = [min(int(round(o * scale)), n_in - 1) for o in range(n_out)]
    else:
        scale = n_in / n_out
        idx = [min(int(np.floor(o * scale)), n_in - 1) for o in range(n_out)]
    return np.asarray(idx, dtype=np.int32)


def _size(size):
    if isinstance(size, Tensor):
        if size._op._kind == "const":
            size = size._op._attrs["value"].tolist()
        else:
            raise ValueError("resize_images: size must be known statically (a list or a "
                             "constant)")
    size = [int(s) for s in size]
    if len(size) != 2 or min(size) <= 0:
        raise ValueError(f"resize_images: size must be two positive ints, got {size}")
    return size


def resize_images(images, size, method=ResizeMethod.BILINEAR, align_corners=False,
                  preserve_aspect_ratio=False):
    """``images`` ([h, w, c] or [batch, h, w, c]) resized to ``size`` [new_h, new_w]:
    float32 for bilinear (as TF 1), the input's dtype for nearest neighbour.

    >>> import ndgrad.tf as tf
    >>> y = tf.image.resize_images(tf.constant([[[0], [10]]]), [1, 4])
    >>> tf.Session().run(y)[..., 0]
    array([[ 0.,  5., 10., 10.]], dtype=float32)
    """
    if preserve_aspect_ratio:
        raise ValueError("resize_images: preserve_aspect_ratio=True is not provided")
    m = _m()
    from .extra_ops import einsum
    t = convert_to_tensor(images)
    h, w = _hw(t, "resize_images")
    nh, nw = _size(size)
    ax = len(_shp(t)) - 3
    g = get_default_graph()
    with g.name_scope("resize_images" if method != 1 else "resize_nearest_neighbor"):
        if method == ResizeMethod.NEAREST_NEIGHBOR:
            ih = _per_size(t, ax, h, lambda n: _nearest_index(n, nh, align_corners),
                           _tfd.int32, [nh])
            iw = _per_size(t, ax + 1, w, lambda n: _nearest_index(n, nw, align_corners),
                           _tfd.int32, [nw])
            return m.gather(m.gather(t, ih, axis=ax), iw, axis=ax + 1)
        if method != ResizeMethod.BILINEAR:
            raise ValueError(f"resize_images: method {method} (bicubic/area) is not provided; "
                             "use BILINEAR or NEAREST_NEIGHBOR")
        x = t if _npdt(t) == np.float32 else m.cast(t, _tfd.float32)
        Mh = _per_size(t, ax, h, lambda n: _bilinear_matrix(n, nh, align_corners,
                                                            np.float32), _tfd.float32,
                       [nh, None])
        Mw = _per_size(t, ax + 1, w, lambda n: _bilinear_matrix(n, nw, align_corners,
                                                                np.float32), _tfd.float32,
                       [nw, None])
        if len(_shp(t)) == 3:
            return einsum("oh,hwc,pw->opc", Mh, x, Mw)
        return einsum("oh,bhwc,pw->bopc", Mh, x, Mw)


def resize_bilinear(images, size, align_corners=False, name=None, half_pixel_centers=False):
    """Bilinear ``resize_images`` of a [batch, height, width, channels] image (float32).

    >>> import ndgrad.tf as tf
    >>> x = tf.constant([[[[0.0], [10.0]]]])
    >>> y = tf.image.resize_bilinear(x, [1, 3], align_corners=True)
    >>> tf.Session().run(y)[0, :, :, 0]
    array([[ 0.,  5., 10.]], dtype=float32)
    """
    if half_pixel_centers:
        raise ValueError("resize_bilinear: half_pixel_centers=True is not provided")
    return resize_images(images, size, ResizeMethod.BILINEAR, align_corners)


def resize_nearest_neighbor(images, size, align_corners=False, name=None,
                            half_pixel_centers=False):
    """Nearest-neighbour ``resize_images`` of a [batch, height, width, channels] image.

    >>> import ndgrad.tf as tf
    >>> x = tf.constant([[[[1.0], [2.0]]]])
    >>> tf.Session().run(tf.image.resize_nearest_neighbor(x, [1, 4]))[0, :, :, 0]
    array([[1., 1., 2., 2.]], dtype=float32)
    """
    if half_pixel_centers:
        raise ValueError("resize_nearest_neighbor: half_pixel_centers=True is not provided")
    return resize_images(images, size, ResizeMethod.NEAREST_NEIGHBOR, align_corners)


def per_image_standardization(image):
    """``(image - mean) / max(stddev, 1/sqrt(N))`` per image (float32).

    >>> import ndgrad.tf as tf
    >>> y = tf.image.per_image_standardization(tf.constant([[[1.0], [3.0]]]))
    >>> tf.Session().run(y)[..., 0]
    array([[-1.,  1.]], dtype=float32)
    """
    m = _m()
    t = convert_to_tensor(image)
    g = get_default_graph()
    with g.name_scope("per_image_standardization"):
        x = m.cast(t, _tfd.float32) if _npdt(t) != np.float32 else t
        nd_ = len(_shp(x)) if _shp(x) is not None else None
        if nd_ not in (3, 4):
            raise ValueError(f"per_image_standardization: image must have 3 or 4 "
                             f"dimensions, shape {_shp(x)}")
        axes = [-1, -2, -3]
        n = m.cast(m.reduce_prod(m.shape(x)[-3:]), _tfd.float32)
        mean = m.reduce_mean(x, axis=axes, keepdims=True)
        var = m.reduce_mean(m.square(x - mean), axis=axes, keepdims=True)
        adj = m.maximum(m.sqrt(var), m.rsqrt(n))
        return (x - mean) / adj


def convert_image_dtype(image, dtype, saturate=False, name=None):
    """``image`` in ``dtype`` with TF's scaling: integers span [0, MAX], floats [0, 1).

    >>> import ndgrad.tf as tf
    >>> f = tf.image.convert_image_dtype(tf.constant([0, 51, 255], tf.uint8), tf.float32)
    >>> u = tf.image.convert_image_dtype(tf.constant([0.0, 0.5, 1.0]), tf.uint8)
    >>> print(*tf.Session().run([f, u]))
    [0.         0.20000002 1.        ] [  0 127 255]
    """
    m = _m()
    t = convert_to_tensor(image)
    src = np.dtype(_npdt(t))
    dst = np.dtype(_tfd.as_dtype(dtype)._np)
    if src == dst:
        return t
    g = get_default_graph()
    with g.name_scope(name or "convert_image"):
        if src.kind in "iu" and dst.kind in "iu":
            si, di = np.iinfo(src), np.iinfo(dst)
            if si.max > di.max:
                scale = (si.max + 1) // (di.max + 1)
                return m.cast(m.floordiv(t, m.constant(scale, dtype=src)), dst)
            scale = (di.max + 1) // (si.max + 1)
            return m.multiply(m.cast(t, dst), m.constant(scale, dtype=dst))
        if src.kind == "f" and dst.kind == "f":
            return m.cast(t, dst)
        if src.kind in "iu":
            x = m.cast(t, dst)
            return m.multiply(x, m.constant(1.0 / np.iinfo(src).max, dtype=dst))
        scale = np.iinfo(dst).max + 0.5
        x = m.multiply(t, m.constant(scale, dtype=src))
        if saturate:
            x = m.clip_by_value(x, float(np.iinfo(dst).min), float(np.iinfo(dst).max))
        return m.cast(x, dst)


def _flip(image, axis_from_end, name):
    from .extra_ops import reverse
    t = convert_to_tensor(image)
    nd_ = len(_shp(t)) if _shp(t) is not None else None
    if nd_ not in (3, 4):
        raise ValueError(f"{name}: image must have 3 or 4 dimensions, shape {_shp(t)}")
    return reverse(t, [nd_ - axis_from_end])


def flip_left_right(image):
    """Mirror the width dimension.

    >>> import ndgrad.tf as tf
    >>> img = tf.constant([[[1], [2]], [[3], [4]]])
    >>> tf.Session().run(tf.image.flip_left_right(img))[..., 0]
    array([[2, 1],
           [4, 3]], dtype=int32)
    """
    return _flip(image, 2, "flip_left_right")


def flip_up_down(image):
    """Mirror the height dimension.

    >>> import ndgrad.tf as tf
    >>> img = tf.constant([[[1], [2]], [[3], [4]]])
    >>> tf.Session().run(tf.image.flip_up_down(img))[..., 0]
    array([[3, 4],
           [1, 2]], dtype=int32)
    """
    return _flip(image, 3, "flip_up_down")


def _random_flip(image, seed, axis_from_end, name):
    m = _m()
    from .random_ops import random_uniform
    t = convert_to_tensor(image)
    g = get_default_graph()
    with g.name_scope(name):
        u = random_uniform([], 0, 1.0, seed=seed)
        flipped = _flip(t, axis_from_end, name)
        cond = m.less(u, 0.5)
        if _shp(t) is not None and len(_shp(t)) == 4:
            raise ValueError(f"{name}: a single image [h, w, c] is expected (TF 1), got "
                             f"shape {_shp(t)}")
        return m.where(_broadcast_bool(cond, t), flipped, t)


def _broadcast_bool(cond, like):
    m = _m()
    return m.logical_and(m.fill(m.shape(like), True), cond)


def random_flip_left_right(image, seed=None):
    """``image`` mirrored left-right with probability 1/2 (a fresh draw each run).

    >>> import ndgrad.tf as tf
    >>> flip = tf.image.random_flip_left_right(tf.constant([[[1], [2]]]))
    >>> with tf.Session() as s:
    ...     print(sorted({tuple(s.run(flip)[0, :, 0].tolist()) for _ in range(50)}))
    [(1, 2), (2, 1)]
    """
    return _random_flip(image, seed, 2, "random_flip_left_right")


def random_flip_up_down(image, seed=None):
    """``image`` mirrored up-down with probability 1/2 (a fresh draw each run).

    >>> import ndgrad.tf as tf
    >>> flip = tf.image.random_flip_up_down(tf.constant([[[1]], [[2]]]))
    >>> with tf.Session() as s:
    ...     print(sorted({tuple(s.run(flip)[:, 0, 0].tolist()) for _ in range(50)}))
    [(1, 2), (2, 1)]
    """
    return _random_flip(image, seed, 3, "random_flip_up_down")


def random_crop(value, size, seed=None, name=None):
    """A random block of ``value`` of shape ``size`` (same rank), offsets uniform.

    >>> import ndgrad.tf as tf
    >>> crop = tf.image.random_crop(tf.range(10), [3])
    >>> with tf.Session() as s:
    ...     c = s.run(crop)
    >>> print(c.shape, c[1] - c[0], c[2] - c[1], 0 <= c[0] <= 7)
    (3,) 1 1 True
    """
    m = _m()
    t = convert_to_tensor(value)
    size = [int(s) for s in (size.as_list() if hasattr(size, "as_list") else size)]
    shp = _shp(t)
    if shp is None or None in shp or len(shp) != len(size):
        raise ValueError(f"random_crop: value needs a static shape of rank {len(size)}, "
                         f"got {shp}")
    if any(s > d for s, d in zip(size, shp)):
        raise ValueError(f"random_crop: size {size} is larger than value's shape "
                         f"{list(shp)}")
    g = get_default_graph()
    from .random_ops import _seeds
    seeds = _seeds(g, seed)
    limits = [d - s + 1 for d, s in zip(shp, size)]
    with g.name_scope(name or "random_crop"):
        def fn(ctx):
            rng = ctx.session.rng(op, seeds)
            return np.asarray([rng.integers(lim) for lim in limits], dtype=np.int32)
        op = g.special_op("RandomUniformInt", "offset", (), fn,
                          [((len(size),), np.dtype(np.int32))], attrs={"seed": seeds})
        off = op.outputs[0]
        out = t
        for ax, s in enumerate(size):
            if s == shp[ax]:
                continue
            idx = m.add(m.range(s), off[ax])
            out = m.gather(out, idx, axis=ax)
        return out


def central_crop(image, central_fraction):
    """The central ``central_fraction`` of the image's height and width.

    >>> import ndgrad.tf as tf
    >>> img = tf.reshape(tf.range(16), [4, 4, 1])
    >>> tf.Session().run(tf.image.central_crop(img, 0.5))[..., 0]
    array([[ 5,  6],
           [ 9, 10]], dtype=int32)
    """
    t = convert_to_tensor(image)
    if not 0.0 < central_fraction <= 1.0:
        raise ValueError("central_fraction must be within (0, 1]")
    if central_fraction == 1.0:
        return t
    h, w = _static_hw(t, "central_crop")
    oh = int((h - h * central_fraction) / 2)
    ow = int((w - w * central_fraction) / 2)
    return _crop(t, oh, ow, h - 2 * oh, w - 2 * ow)


def _crop(t, top, left, hh, ww):
    m = _m()
    ax = len(_shp(t)) - 3
    out = m.gather(t, m.constant(np.arange(top, top + hh, dtype=np.int32)), axis=ax)
    return m.gather(out, m.constant(np.arange(left, left + ww, dtype=np.int32)), axis=ax + 1)


def resize_image_with_crop_or_pad(image, target_height, target_width):
    """Centre-crop and/or zero-pad ``image`` to [target_height, target_width].

    >>> import ndgrad.tf as tf
    >>> img = tf.constant([[[1], [2]], [[3], [4]]])
    >>> y = tf.image.resize_image_with_crop_or_pad(img, 1, 4)
    >>> tf.Session().run(y)[..., 0]
    array([[0, 1, 2, 0]], dtype=int32)
    """
    from .extra_ops import pad
    t = convert_to_tensor(image)
    h, w = _static_hw(t, "resize_image_with_crop_or_pad")
    th, tw = int(target_height), int(target_width)
    if th <= 0 or tw <= 0:
        raise ValueError("target_height and target_width must be > 0")
    top = max(0, (h - th) // 2)
    left = max(0, (w - tw) // 2)
    out = _crop(t, top, left, min(h, th), min(w, tw))
    ph, pw = max(0, th - h), max(0, tw - w)
    if ph or pw:
        pads = [[0, 0]] * (len(_shp(t)) - 3) + [[ph // 2, ph - ph // 2],
                                                  [pw // 2, pw - pw // 2], [0, 0]]
        out = pad(out, pads)
    return out


def pad_to_bounding_box(image, offset_height, offset_width, target_height, target_width):
    """``image`` placed at (``offset_height``, ``offset_width``) in zeros of
    [target_height, target_width] (3-D or 4-D images).

    >>> import ndgrad.tf as tf
    >>> img = tf.constant([[[1], [2]], [[3], [4]]])
    >>> tf.Session().run(tf.image.pad_to_bounding_box(img, 1, 0, 3, 3))[..., 0]
    array([[0, 0, 0],
           [1, 2, 0],
           [3, 4, 0]], dtype=int32)
    """
    from .extra_ops import pad
    t = convert_to_tensor(image)
    h, w = _static_hw(t, "pad_to_bounding_box")
    oh, ow, th, tw = (int(v) for v in (offset_height, offset_width, target_height,
                                       target_width))
    after_h, after_w = th - oh - h, tw - ow - w
    if oh < 0 or ow < 0:
        raise ValueError("offset_height and offset_width must be >= 0")
    if after_h < 0 or after_w < 0:
        raise ValueError(f"pad_to_bounding_box: target {th}x{tw} is smaller than the "
                         f"image {h}x{w} at offset ({oh}, {ow})")
    return pad(t, [[0, 0]] * (len(_shp(t)) - 3) + [[oh, after_h], [ow, after_w], [0, 0]])


def crop_to_bounding_box(image, offset_height, offset_width, target_height, target_width):
    """The [target_height, target_width] window of ``image`` at (``offset_height``,
    ``offset_width``) (3-D or 4-D images).

    >>> import ndgrad.tf as tf
    >>> img = tf.reshape(tf.range(16), [4, 4, 1])
    >>> tf.Session().run(tf.image.crop_to_bounding_box(img, 1, 2, 2, 2))[..., 0]
    array([[ 6,  7],
           [10, 11]], dtype=int32)
    """
    t = convert_to_tensor(image)
    h, w = _static_hw(t, "crop_to_bounding_box")
    oh, ow, th, tw = (int(v) for v in (offset_height, offset_width, target_height,
                                       target_width))
    if oh < 0 or ow < 0 or th <= 0 or tw <= 0:
        raise ValueError("crop_to_bounding_box: offsets must be >= 0 and the target "
                         "height and width > 0")
    if oh + th > h or ow + tw > w:
        raise ValueError(f"crop_to_bounding_box: the window {th}x{tw} at ({oh}, {ow}) "
                         f"exceeds the image {h}x{w}")
    return _crop(t, oh, ow, th, tw)


def transpose_image(image):
    """Height and width swapped (3-D or 4-D images).

    >>> import ndgrad.tf as tf
    >>> img = tf.constant([[[1], [2], [3]], [[4], [5], [6]]])
    >>> tf.Session().run(tf.image.transpose_image(img))[..., 0]
    array([[1, 4],
           [2, 5],
           [3, 6]], dtype=int32)
    """
    t = convert_to_tensor(image)
    n = len(_static_shape_of(t, "transpose_image"))
    perm = [1, 0, 2] if n == 3 else [0, 2, 1, 3]
    return _m().transpose(t, perm)


def rot90(image, k=1, name=None):
    """``image`` rotated counter-clockwise by ``k`` quarter turns (TF's, as NumPy's
    ``rot90`` over the height and width axes).

    >>> import ndgrad.tf as tf
    >>> img = tf.constant([[[1], [2]], [[3], [4]]])
    >>> tf.Session().run(tf.image.rot90(img))[..., 0]
    array([[2, 4],
           [1, 3]], dtype=int32)
    """
    from .extra_ops import reverse
    t = convert_to_tensor(image)
    n = len(_static_shape_of(t, "rot90"))
    k = int(k) % 4
    h_ax = n - 3
    perm = list(range(n))
    perm[h_ax], perm[h_ax + 1] = perm[h_ax + 1], perm[h_ax]
    if k == 0:
        return t
    if k == 1:
        return _m().transpose(reverse(t, [h_ax + 1]), perm)
    if k == 2:
        return reverse(t, [h_ax, h_ax + 1])
    return reverse(_m().transpose(t, perm), [h_ax + 1])


def _static_shape_of(t, what):
    s = _shp(t)
    if s is None or len(s) not in (3, 4):
        raise ValueError(f"{what}: 'image' must have 3 or 4 dimensions, shape {s}")
    return s


def _as_float_image(t):
    """TF's image adjustments: integer images computed in float32 in [0, 1)."""
    if _npdt(t).kind == "f":
        return t, None
    return convert_image_dtype(t, _tfd.float32), _npdt(t)


def adjust_brightness(image, delta):
    """``image + delta`` (an integer image in float32 in [0, 1), converted back).

    >>> import ndgrad.tf as tf
    >>> f = tf.image.adjust_brightness(tf.constant([[[0.25], [0.5]]]), 0.25)
    >>> u = tf.image.adjust_brightness(tf.constant([[[100], [250]]], tf.uint8), 0.1)
    >>> print(*tf.Session().run([f[..., 0], u[..., 0]]))
    [[0.5  0.75]] [[125 255]]
    """
    t = convert_to_tensor(image)
    x, orig = _as_float_image(t)
    out = _m().add(x, _m().cast(delta, _npdt(x)))
    return out if orig is None else convert_image_dtype(out, orig, saturate=True)


def adjust_contrast(images, contrast_factor):
    """``(x - mean) * contrast_factor + mean``, the mean over each image's height and
    width, per channel (an integer image in float32, converted back).

    >>> import ndgrad.tf as tf
    >>> y = tf.image.adjust_contrast(tf.constant([[[1.0], [3.0]]]), 2.0)
    >>> tf.Session().run(y)[..., 0]
    array([[0., 4.]], dtype=float32)
    """
    t = convert_to_tensor(images)
    x, orig = _as_float_image(t)
    m = _m()
    mean = m.reduce_mean(x, axis=[-3, -2], keepdims=True)
    out = (x - mean) * m.cast(contrast_factor, _npdt(x)) + mean
    return out if orig is None else convert_image_dtype(out, orig, saturate=True)


def rgb_to_grayscale(images, name=None):
    """Luma ``0.2989 R + 0.5870 G + 0.1140 B`` with a channel dimension of 1, computed as
    TF computes it: in float32, an integer image scaled to [0, 1] by
    ``convert_image_dtype`` and converted back (so white stays white).

    >>> import ndgrad.tf as tf
    >>> f = tf.image.rgb_to_grayscale(tf.constant([[[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]]))
    >>> u = tf.image.rgb_to_grayscale(tf.constant([[[255, 255, 255], [100, 50, 10]]], tf.uint8))
    >>> print(*tf.Session().run([f[..., 0], u[..., 0]]))
    [[0.2989 0.587 ]] [[255  60]]
    """
    m = _m()
    t = convert_to_tensor(images)
    x = convert_image_dtype(t, _tfd.float32)
    wts = m.constant(np.asarray([0.2989, 0.587, 0.114], dtype=np.float32))
    gray = m.reduce_sum(m.multiply(x, wts), axis=-1, keepdims=True)
    return convert_image_dtype(gray, _npdt(t))

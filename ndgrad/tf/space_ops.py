"""TF's block rearrangements between space and depth or batch: ``space_to_depth``,
``depth_to_space``, ``space_to_batch_nd``, ``batch_to_space_nd``, ``space_to_batch``,
``batch_to_space`` and ``extract_image_patches``; each composed of pad, reshape,
transpose, slice and stack, whose rules give its gradient."""
from __future__ import annotations

import numbers

import numpy as np

from . import math_ops as M
from .conv import axis_geometry
from .extra_ops import pad as _pad
from .framework import convert_to_tensor, name_scope
from .tensor_util import static_argument

__all__ = ["space_to_depth", "depth_to_space", "space_to_batch_nd", "batch_to_space_nd",
           "space_to_batch", "batch_to_space", "extract_image_patches"]


def _dims(x, what):
    """Each dimension of ``x``: its static size, or a scalar tensor where unknown."""
    s = M._static_shape(x)
    if s is None:
        raise ValueError(f"{what}: the input's rank must be known")
    dyn = None
    out = []
    for i, d in enumerate(s):
        if d is None:
            if dyn is None:
                dyn = M.shape(x)
            out.append(dyn[i])
        else:
            out.append(d)
    return out


def _block(block_size, what):
    if not isinstance(block_size, numbers.Integral) or isinstance(block_size, bool):
        raise TypeError(f"{what}: block_size must be an int, got {block_size!r}")
    if block_size < 2:
        raise ValueError(f"Value for attr 'block_size' of {block_size} must be at least "
                         "minimum 2")
    return int(block_size)


def _divisible(d, b, what, axis):
    if isinstance(d, numbers.Integral) and d % b:
        raise ValueError(f"{what}: dimension {axis} of size {d} must be evenly divisible "
                         f"by {b}")


def _nhwc(x, data_format, what):
    if data_format != "NHWC":
        raise ValueError(f"{what}: only data_format='NHWC' is supported (TF's CPU kernels "
                         f"too); got {data_format!r}")
    s = M._static_shape(x)
    if s is not None and len(s) != 4:
        raise ValueError(f"{what}: the input must be 4-D (NHWC); got shape {x.shape}")


def space_to_depth(input, block_size, name=None, data_format="NHWC"):  # noqa: A002
    """Each ``block_size x block_size`` block of the height and width moved into the
    depth (TF's order: the block's row, then its column, then the channel).

    >>> import numpy as np, ndgrad.tf as tf
    >>> x = np.arange(8).reshape(1, 2, 2, 2)
    >>> tf.Session().run(tf.space_to_depth(x, 2))
    array([[[[0, 1, 2, 3, 4, 5, 6, 7]]]])
    """
    bs = _block(block_size, "space_to_depth")
    with name_scope(name, "SpaceToDepth", [input]):
        x = convert_to_tensor(input)
        _nhwc(x, data_format, "space_to_depth")
        b, h, w, c = _dims(x, "space_to_depth")
        _divisible(h, bs, "space_to_depth", 1)
        _divisible(w, bs, "space_to_depth", 2)
        t = M.reshape(x, [b, h // bs, bs, w // bs, bs, c])
        t = M.transpose(t, [0, 1, 3, 2, 4, 5])
        return M.reshape(t, [b, h // bs, w // bs, bs * bs * c])


def depth_to_space(input, block_size, name=None, data_format="NHWC"):  # noqa: A002
    """The inverse of ``space_to_depth``: the depth spread over ``block_size x
    block_size`` blocks of the height and width.

    >>> import numpy as np, ndgrad.tf as tf
    >>> tf.Session().run(tf.depth_to_space(np.arange(8).reshape(1, 1, 1, 8), 2))[0, :, :, 0]
    array([[0, 2],
           [4, 6]])
    """
    bs = _block(block_size, "depth_to_space")
    with name_scope(name, "DepthToSpace", [input]):
        x = convert_to_tensor(input)
        _nhwc(x, data_format, "depth_to_space")
        b, h, w, c = _dims(x, "depth_to_space")
        _divisible(c, bs * bs, "depth_to_space", 3)
        t = M.reshape(x, [b, h, w, bs, bs, c // (bs * bs)])
        t = M.transpose(t, [0, 1, 3, 2, 4, 5])
        return M.reshape(t, [b, h * bs, w * bs, c // (bs * bs)])


def _static_pairs(v, m, what, arg):
    """``v`` as an (m, 2) list of non-negative ints (block shape and crops/paddings are
    static here)."""
    a = np.asarray(static_argument(v, f"{what}: {arg}"))
    if m == 0 and a.size == 0:
        return []
    if a.dtype.kind not in "iu" or a.shape != (m, 2):
        raise ValueError(f"{what}: {arg} must be integers of shape ({m}, 2); got "
                         f"{a.dtype} of shape {a.shape}")
    if (a < 0).any():
        raise ValueError(f"{what}: {arg} must be non-negative; got {a.tolist()}")
    return a.tolist()


def _block_shape(block_shape, what):
    b = np.asarray(static_argument(block_shape, f"{what}: block_shape"))
    if b.ndim == 1 and b.size == 0:
        return []   # (no block dimension: the input as it is, TF's M = 0)
    if b.dtype.kind not in "iu" or b.ndim != 1:
        raise ValueError(f"{what}: block_shape must be a 1-D list of ints; got "
                         f"{block_shape!r}")
    if (b < 1).any():
        raise ValueError(f"{what}: block_shape must be positive; got {b.tolist()}")
    return [int(v) for v in b]


def _nd_input(value, m, what):
    """(the input as a tensor, its number of dimensions after the M block ones), its rank
    checked."""
    x = convert_to_tensor(value)
    s = M._static_shape(x)
    if s is None or len(s) < m + 1:
        raise ValueError(f"{what}: the input must have rank >= {m + 1} for a block shape of "
                         f"{m} dimensions; got shape {x.shape}")
    return x, len(s) - 1 - m


def space_to_batch_nd(input, block_shape, paddings, name=None):  # noqa: A002
    """The spatial dimensions (1 .. M) padded by ``paddings``, then divided into blocks of
    ``block_shape`` whose positions become part of the batch (TF's order: block position
    major, batch minor). ``block_shape`` and ``paddings`` are static here.

    >>> import numpy as np, ndgrad.tf as tf
    >>> x = np.arange(4).reshape(1, 2, 2, 1)
    >>> tf.Session().run(tf.space_to_batch_nd(x, [2, 2], [[0, 0], [0, 0]]))[:, 0, 0, 0]
    array([0, 1, 2, 3])
    """
    what = "space_to_batch_nd"
    block = _block_shape(block_shape, what)
    m = len(block)
    pads = _static_pairs(paddings, m, what, "paddings")
    with name_scope(name, "SpaceToBatchND", [input]):
        x, rest = _nd_input(input, m, what)
        if any(p != [0, 0] for p in pads):
            x = _pad(x, [[0, 0]] + pads + [[0, 0]] * rest)
        dims = _dims(x, what)
        shape = [dims[0]]
        for i, b in enumerate(block):
            _divisible(dims[1 + i], b, what, 1 + i)
            shape += [dims[1 + i] // b, b]
        t = M.reshape(x, shape + dims[1 + m:])
        perm = ([2 + 2 * i for i in range(m)] + [0] + [1 + 2 * i for i in range(m)] +
                list(range(1 + 2 * m, 1 + 2 * m + rest)))
        t = M.transpose(t, perm)
        return M.reshape(t, [dims[0] * int(np.prod(block))] +
                         [dims[1 + i] // b for i, b in enumerate(block)] + dims[1 + m:])


def batch_to_space_nd(input, block_shape, crops, name=None):  # noqa: A002
    """The inverse of ``space_to_batch_nd``: the batch's block positions moved back into
    the spatial dimensions, which are then cropped by ``crops``.

    >>> import numpy as np, ndgrad.tf as tf
    >>> x = np.arange(4).reshape(4, 1, 1, 1)
    >>> tf.Session().run(tf.batch_to_space_nd(x, [2, 2], [[0, 0], [0, 0]]))[0, :, :, 0]
    array([[0, 1],
           [2, 3]])
    """
    what = "batch_to_space_nd"
    block = _block_shape(block_shape, what)
    m = len(block)
    crop = _static_pairs(crops, m, what, "crops")
    with name_scope(name, "BatchToSpaceND", [input]):
        x, rest = _nd_input(input, m, what)
        dims = _dims(x, what)
        n = int(np.prod(block))
        _divisible(dims[0], n, what, 0)
        t = M.reshape(x, block + [dims[0] // n] + dims[1:])
        perm = [m]
        for i in range(m):
            perm += [m + 1 + i, i]
        perm += list(range(2 * m + 1, 2 * m + 1 + rest))
        t = M.transpose(t, perm)
        full = [dims[1 + i] * b for i, b in enumerate(block)]
        t = M.reshape(t, [dims[0] // n] + full + dims[1 + m:])
        if any(c != [0, 0] for c in crop):
            for i, (lo, hi) in enumerate(crop):
                if isinstance(full[i], numbers.Integral) and lo + hi > full[i]:
                    raise ValueError(f"{what}: crops {crop[i]} are larger than dimension "
                                     f"{1 + i} of size {full[i]}")
            begin = [0] + [lo for lo, _ in crop] + [0] * rest
            size = [-1] + [full[i] - lo - hi for i, (lo, hi) in enumerate(crop)] + \
                [-1] * rest
            t = M.slice(t, begin, size)
        return t


def space_to_batch(input, paddings, block_size=None, name=None, block_shape=None):  # noqa: A002
    """``space_to_batch_nd`` over the height and width (4-D NHWC input) with a square
    block of ``block_size``.

    >>> import numpy as np, ndgrad.tf as tf
    >>> tf.Session().run(tf.space_to_batch(np.ones((1, 4, 4, 1)), [[0, 0], [0, 0]], 2)).shape
    (4, 2, 2, 1)
    """
    bs = block_size if block_size is not None else block_shape
    bs = _block(bs, "space_to_batch")
    return space_to_batch_nd(input, [bs, bs], paddings, name=name or "SpaceToBatch")


def batch_to_space(input, crops, block_size, name=None, block_shape=None):  # noqa: A002
    """``batch_to_space_nd`` over the height and width with a square block of
    ``block_size``.

    >>> import numpy as np, ndgrad.tf as tf
    >>> tf.Session().run(tf.batch_to_space(np.ones((4, 1, 1, 1)), [[0, 0], [0, 0]], 2)).shape
    (1, 2, 2, 1)
    """
    bs = block_size if block_size is not None else block_shape
    bs = _block(bs, "batch_to_space")
    return batch_to_space_nd(input, [bs, bs], crops, name=name or "BatchToSpace")


def _window_arg(v, what, arg):
    v = list(v)
    if len(v) != 4 or v[0] != 1 or v[3] != 1 or any(int(a) < 1 for a in v):
        raise ValueError(f"{what}: {arg} must be [1, rows, cols, 1] of positive ints; got "
                         f"{v}")
    return int(v[1]), int(v[2])


def extract_image_patches(images, ksizes=None, strides=None, rates=None, padding=None,
                          name=None, sizes=None):
    """Each ``ksizes`` window of the height and width (sampled every ``rates`` pixels,
    moved by ``strides``), flattened into the depth in TF's order (window row, window
    column, channel): ``(batch, out_rows, out_cols, rows * cols * depth)``. ``padding``
    is ``"VALID"`` or ``"SAME"`` (TF's split of the padding, the extra pixel after).

    >>> import numpy as np, ndgrad.tf as tf
    >>> x = np.arange(16).reshape(1, 4, 4, 1)
    >>> p = tf.extract_image_patches(x, [1, 2, 2, 1], [1, 2, 2, 1], [1, 1, 1, 1], "VALID")
    >>> tf.Session().run(p)[0, :, :, :].tolist()
    [[[0, 1, 4, 5], [2, 3, 6, 7]], [[8, 9, 12, 13], [10, 11, 14, 15]]]
    """
    what = "extract_image_patches"
    ksizes = ksizes if ksizes is not None else sizes
    kr, kc = _window_arg(ksizes, what, "ksizes")
    sr, sc = _window_arg(strides, what, "strides")
    rr, rc = _window_arg(rates, what, "rates")
    if padding not in ("VALID", "SAME"):
        raise ValueError(f"{what}: padding must be 'VALID' or 'SAME'; got {padding!r}")
    with name_scope(name, "ExtractImagePatches", [images]):
        x = convert_to_tensor(images)
        s = M._static_shape(x)
        if s is None or len(s) != 4 or s[1] is None or s[2] is None:
            raise ValueError(f"{what}: images must be 4-D (NHWC) with known height and "
                             f"width; got shape {x.shape}")
        h, w = s[1], s[2]
        er, ec = kr + (kr - 1) * (rr - 1), kc + (kc - 1) * (rc - 1)   # (dilated window)
        oh, top, bottom = axis_geometry(h, er, sr, padding)
        ow, left, right = axis_geometry(w, ec, sc, padding)
        oh, ow = max(oh, 0), max(ow, 0)        # (a window larger than a VALID input)
        if top or bottom or left or right:
            x = _pad(x, [[0, 0], [top, bottom], [left, right], [0, 0]])
        if oh == 0 or ow == 0:
            return M.zeros([M.shape(x)[0] if s[0] is None else s[0], oh, ow,
                            kr * kc * (s[3] if s[3] is not None else M.shape(x)[3])],
                           dtype=x.dtype)
        parts = []
        for i in range(kr):
            for j in range(kc):
                r0, c0 = i * rr, j * rc
                parts.append(x[:, r0:r0 + (oh - 1) * sr + 1:sr,
                               c0:c0 + (ow - 1) * sc + 1:sc, :])
        t = M.stack(parts, axis=3)     # (batch, oh, ow, rows * cols, depth)
        depth = s[3] if s[3] is not None else M.shape(x)[3]
        return M.reshape(t, [-1 if s[0] is None else s[0], oh, ow, kr * kc * depth])

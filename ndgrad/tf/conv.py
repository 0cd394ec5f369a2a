"""Convolution and pooling as TensorFlow defines them (NHWC input, HWIO filters, "SAME"
padding split with the extra pixel after): ``tf.nn.conv2d``, ``max_pool``, ``avg_pool``,
``conv2d_transpose``, and conv2d's two gradients as TF names them,
``conv2d_backprop_input`` and ``conv2d_backprop_filter``.

Each is an op with its gradient rule beside it; the backward computations are ops too,
with gradient rules of their own (second derivatives: gradient penalties, Hessians).
"""
from __future__ import annotations

import operator


import numpy as np
from numpy.lib.stride_tricks import as_strided

from .._ops.registry import defop, apply
from ..graph.core import Tensor
from .ops import call
from .framework import build, convert_same, convert_to_tensor

__all__ = ["conv2d", "max_pool", "avg_pool", "conv2d_transpose", "conv2d_backprop_input",
           "conv2d_backprop_filter"]


def _padding(padding):
    """``padding`` as the ops take it: "SAME", "VALID", or explicit pads given as TF's four
    (before, after) pairs in NHWC order (none on the batch and channels) made the
    hashable ``((top, bottom), (left, right))``."""
    if isinstance(padding, str) or padding is None:
        return padding
    try:
        pairs = [tuple(int(v) for v in p) for p in padding]
    except TypeError:
        pairs = None
    if pairs is None or len(pairs) != 4 or any(len(p) != 2 for p in pairs):
        raise ValueError(f"padding must be 'SAME', 'VALID' or four (before, after) pairs "
                         f"(NHWC), not {padding!r}")
    if pairs[0] != (0, 0) or pairs[3] != (0, 0):
        raise ValueError(f"explicit padding of the batch and channel dimensions must be 0, "
                         f"got {padding!r}")
    if min(min(p) for p in pairs) < 0:
        raise ValueError(f"All elements of explicit_paddings must be nonnegative, got "
                         f"{padding!r}")
    return (pairs[1], pairs[2])


def _negative_size(H, W, kh, kw):
    """TF's words for a window larger than the (padded) input."""
    k, n = (kh, H) if kh > H else (kw, W)
    return f"Negative dimension size caused by subtracting {k} from {n}"


def axis_geometry(size, k, s, padding):
    """(output size, pad before, pad after) of one spatial dimension of ``size`` under a
    window of ``k`` moved by ``s``: TF's "SAME" (the extra pad after) or "VALID" (an
    output size below 1 where the window is larger than the input: the caller's error).

    >>> axis_geometry(5, 2, 2, "SAME"), axis_geometry(5, 2, 2, "VALID")
    ((3, 0, 1), (2, 0, 0))
    """
    if padding == "SAME":
        o = -(-size // s)
        p = max((o - 1) * s + k - size, 0)
        return o, p // 2, p - p // 2
    if padding == "VALID":
        return (size - k) // s + 1, 0, 0
    raise ValueError(f"padding must be 'SAME' or 'VALID', not {padding!r}")


def _geometry(H, W, kh, kw, sh, sw, padding):
    if type(padding) is tuple:
        # explicit pads ((top, bottom), (left, right)): VALID over the padded input
        (t, b), (l, r) = padding
        oh, ow = (H + t + b - kh) // sh + 1, (W + l + r - kw) // sw + 1
        if oh <= 0 or ow <= 0:
            raise ValueError(_negative_size(H + t + b, W + l + r, kh, kw) +
                             f" (filter {kh}x{kw}, input {H}x{W} padded by {padding})")
        return oh, ow, t, b, l, r
    if padding == "SAME":
        oh, t, b = axis_geometry(H, kh, sh, padding)
        ow, l, r = axis_geometry(W, kw, sw, padding)
        return oh, ow, t, b, l, r
    if padding == "VALID":
        oh, ow = axis_geometry(H, kh, sh, padding)[0], axis_geometry(W, kw, sw, padding)[0]
        if oh <= 0 or ow <= 0:
            raise ValueError(_negative_size(H, W, kh, kw) +
                             f" (filter {kh}x{kw}, input {H}x{W}, padding VALID)")
        return oh, ow, 0, 0, 0, 0
    raise ValueError(f"padding must be 'SAME' or 'VALID', not {padding!r}")


def _patches(x, kh, kw, sh, sw, padding, fill=0.0, dilations=(1, 1)):
    """The (N, oh, ow, kh, kw, C) windows of ``x`` (a read-only view of the padded input);
    ``dilations`` (dh, dw) space a window's taps, as a (kh - 1) dh + 1 high filter with
    holes would (atrous convolution)."""
    N, H, W, C = x.shape
    dh, dw = dilations
    oh, ow, t, b, l, r = _geometry(H, W, (kh - 1) * dh + 1, (kw - 1) * dw + 1, sh, sw,
                                   padding)
    if t or b or l or r:
        x = np.pad(x, ((0, 0), (t, b), (l, r), (0, 0)), constant_values=fill)
    x = np.ascontiguousarray(x)
    s = x.strides
    p = as_strided(x, (N, oh, ow, kh, kw, C),
                   (s[0], s[1] * sh, s[2] * sw, s[1] * dh, s[2] * dw, s[3]), writeable=False)
    return p, (oh, ow, t, l, x.shape)


def _scatter_patches(gp, x_shape, kh, kw, sh, sw, padding, dilations=(1, 1)):
    """Adjoint of _patches: add each window's values back into the (cropped) input."""
    N, H, W, C = x_shape
    dh, dw = dilations
    oh, ow, t, b, l, r = _geometry(H, W, (kh - 1) * dh + 1, (kw - 1) * dw + 1, sh, sw,
                                   padding)
    out = np.zeros((N, H + t + b, W + l + r, C), dtype=gp.dtype)
    for i in range(kh):
        for j in range(kw):
            out[:, i * dh:i * dh + sh * oh:sh, j * dw:j * dw + sw * ow:sw, :] += \
                gp[:, :, :, i, j, :]
    return out[:, t:t + H, l:l + W, :]


def _kw(strides, padding, dilations):
    """The keywords a conv op passes to the ops of its gradient (no ``dilations`` entry
    for an undilated convolution: its graphs keep the parameters they had)."""
    if tuple(dilations) == (1, 1):
        return {"strides": strides, "padding": padding}
    return {"strides": strides, "padding": padding, "dilations": tuple(dilations)}


# -- conv2d ------------------------------------------------------------------------------
def _conv_fwd(xp, x, w, strides, padding, dilations=(1, 1)):
    kh, kw, _, _ = w.shape
    p, _ = _patches(np.asarray(x), kh, kw, strides[1], strides[2], padding,
                    dilations=dilations)
    return np.tensordot(p, np.asarray(w), axes=([3, 4, 5], [0, 1, 2])).astype(x.dtype)


def _conv_input_fwd(xp, g, x, w, strides, padding, dilations=(1, 1)):
    kh, kw, _, _ = w.shape
    gp = np.tensordot(np.asarray(g), np.asarray(w), axes=([3], [3]))
    return _scatter_patches(gp, x.shape, kh, kw, strides[1], strides[2], padding,
                            dilations).astype(g.dtype)


def _conv_filter_fwd(xp, g, x, w, strides, padding, dilations=(1, 1)):
    kh, kw, _, _ = w.shape
    p, _ = _patches(np.asarray(x), kh, kw, strides[1], strides[2], padding,
                    dilations=dilations)
    return np.tensordot(p, np.asarray(g), axes=([0, 1, 2], [0, 1, 2])).astype(g.dtype)


# The backward ops are linear in each operand but the one that gives only a shape, so
# their own gradients are convolutions again (second derivatives: a gradient penalty, a
# Hessian-vector product): for the input gradient I(g, w) = conv2d's transpose,
# <h, I(g, w)> = <conv2d(h, w), g> = <F(g, h), w>; for the filter gradient F(g, x),
# <k, F(g, x)> = <conv2d(x, k), g> = <I(g, k), x>.
def _conv_input_vjp(xp, h, ans, g, x, w, strides, padding, dilations=(1, 1)):
    kw = _kw(strides, padding, dilations)
    return (call(CONV2D, xp, (h, w), kw), None, call(CONV_FILTER, xp, (g, h, w), kw))


def _conv_filter_vjp(xp, k, ans, g, x, w, strides, padding, dilations=(1, 1)):
    kw = _kw(strides, padding, dilations)
    return (call(CONV2D, xp, (x, k), kw), call(CONV_INPUT, xp, (g, x, k), kw), None)


CONV_INPUT = defop("tf.conv2d_backprop_input", _conv_input_fwd, _conv_input_vjp,
                   shape_rule=lambda a, p: [(a[1]._shape, a[0]._np_dtype)])
CONV_FILTER = defop("tf.conv2d_backprop_filter", _conv_filter_fwd, _conv_filter_vjp,
                    shape_rule=lambda a, p: [(a[2]._shape, a[0]._np_dtype)])


def _conv_vjp(xp, g, ans, x, w, strides, padding, dilations=(1, 1)):
    kw = _kw(strides, padding, dilations)
    return (call(CONV_INPUT, xp, (g, x, w), kw), call(CONV_FILTER, xp, (g, x, w), kw))


def _conv_rule(args, params):
    x, w = args
    s = params["strides"]
    if x._shape is None or w._shape is None:
        return [(None, x._np_dtype)]
    N, H, W, C = x._shape
    kh, kw, ci, co = w._shape
    if C is not None and ci is not None and C != ci:
        raise ValueError(f"Depth of input ({C}) is not a multiple of input depth of filter "
                         f"({ci}) for 'Conv2D' with input shapes: {x.shape}, {w.shape}.")
    oh = ow = None
    dh, dw = params.get("dilations", (1, 1))
    if H is not None and kh is not None:
        oh = _geometry(H, 1, (kh - 1) * dh + 1, 1, s[1], 1, params["padding"])[0]
    if W is not None and kw is not None:
        ow = _geometry(1, W, 1, (kw - 1) * dw + 1, 1, s[2], params["padding"])[1]
    return [((N, oh, ow, co), x._np_dtype)]


CONV2D = defop("tf.conv2d", _conv_fwd, _conv_vjp, shape_rule=_conv_rule)


def _nhwc(data_format):
    """The one data format the conv ops compute in (channels last); others are refused."""
    if data_format != "NHWC":
        raise ValueError(f"only data_format='NHWC' is supported, not {data_format!r}")


def _dilations(dilations):
    """TF's ``dilations`` (1, 2 or 4 numbers; NHWC: none on the batch and channels) as
    (dh, dw)."""
    if dilations is None:
        return (1, 1)
    d = [dilations] if isinstance(dilations, (int, np.integer)) else list(dilations)
    try:
        d = [int(v) for v in d]
    except TypeError:
        raise ValueError(f"dilations must be integers, got {dilations!r}") from None
    if len(d) == 1:
        d = [1, d[0], d[0], 1]
    elif len(d) == 2:
        d = [1, d[0], d[1], 1]
    if len(d) != 4 or d[0] != 1 or d[3] != 1:
        raise ValueError(f"dilations must be [1, dh, dw, 1] (NHWC), got {dilations!r}")
    if d[1] < 1 or d[2] < 1:
        raise ValueError(f"dilations must be positive, got {dilations!r}")
    return (d[1], d[2])


def _strides(strides):
    """NHWC strides (or a pooling window) as TF's ``_get_sequence`` reads them: an int or
    a list of 1, 2 or 4 ints (``2`` and ``[2, 3]`` are ``[1, 2, 2, 1]`` and ``[1, 2, 3,
    1]``)."""
    s = [operator.index(strides)] if not hasattr(strides, "__len__") else \
        [operator.index(v) for v in strides]
    if len(s) == 1:
        s = [1, s[0], s[0], 1]
    elif len(s) == 2:
        s = [1, s[0], s[1], 1]
    if len(s) != 4 or s[0] != 1 or s[3] != 1:
        raise ValueError(f"strides must be an int or a list of 1, 2 or 4 ints ([1, sh, sw, "
                         f"1], NHWC), got {strides}")
    return tuple(s)


def conv2d(input, filter=None, strides=None, padding=None, use_cudnn_on_gpu=True,  # noqa
           data_format="NHWC", dilations=(1, 1, 1, 1), name=None, filters=None):
    """2-D convolution of NHWC ``input`` with an HWIO ``filter``; ``padding`` is "SAME",
    "VALID" or explicit (before, after) pairs, ``[[0, 0], [1, 1], [2, 0], [0, 0]]``.

    >>> import ndgrad.tf as tf; tf.reset_default_graph()
    >>> y = tf.nn.conv2d(tf.ones([1, 2, 2, 1]), tf.ones([2, 2, 1, 1]), [1, 1, 1, 1],
    ...                  [[0, 0], [1, 0], [0, 0], [0, 0]])
    >>> tf.Session().run(y)[0, :, :, 0]
    array([[2.],
           [4.]], dtype=float32)
    """
    filter = filter if filter is not None else filters
    _nhwc(data_format)
    params = _kw(_strides(strides), _padding(padding), _dilations(dilations))

    def f():
        x, w = convert_same([input, filter], names=("input", "filter"), op_type="Conv2D")
        return apply(CONV2D, (x, w), params)
    return build(name, "Conv2D", f, graph_args=(input,))


# -- pooling ------------------------------------------------------------------------------
def _pool_rule(args, params):
    x = args[0]
    k, s = params["ksize"], params["strides"]
    if x._shape is None:
        return [(None, x._np_dtype)]
    N, H, W, C = x._shape
    oh = None if H is None else _geometry(H, 1, k[1], 1, s[1], 1, params["padding"])[0]
    ow = None if W is None else _geometry(1, W, 1, k[2], 1, s[2], params["padding"])[1]
    return [((N, oh, ow, C), x._np_dtype)]


def _max_select(x, kh, kw, sh, sw, padding, gradgrad=False):
    """TF's CPU MaxPool on NHWC ``x``: the windows' maxima (N, oh, ow, C) and, per window,
    the (kh * kw) position its gradient goes to. The maximum starts at the dtype's lowest
    value and takes an element only when greater: NaNs are skipped, and a window of NaNs
    and -infs gives the lowest finite value (NumPy's max gave NaN). The gradient kernel
    holds the window's first element and moves to each element greater than the one
    held: the first maximum, or the first element when that is NaN (nothing compares
    greater than it). Padding takes no part."""
    p, _ = _patches(x, kh, kw, sh, sw, padding, fill=0)
    valid, _ = _patches(np.ones(x.shape[:3] + (1,), bool), kh, kw, sh, sw, padding,
                        fill=False)
    N, oh, ow, _, _, C = p.shape
    flat = p.transpose(0, 1, 2, 5, 3, 4).reshape(N, oh, ow, C, kh * kw)
    ok = np.broadcast_to(valid.transpose(0, 1, 2, 5, 3, 4).reshape(
        valid.shape[:3] + (1, kh * kw)), flat.shape)
    if x.dtype.kind == "f":
        lowest = np.finfo(x.dtype).min
        key = np.where(ok & ~np.isnan(flat), flat, -np.inf).astype(x.dtype)
    else:
        lowest = np.iinfo(x.dtype).min
        key = np.where(ok, flat, lowest).astype(x.dtype)
    m = key.max(axis=-1)
    if gradgrad:
        # TF's MaxPoolGradGrad selects afresh: the first element greater than the
        # dtype's lowest value and than those before it; a window without one (NaNs,
        # -infs, the lowest value) selects nothing (-1: its output is 0)
        above = ok & (key > lowest)
        idx = (above & (key == m[..., None])).argmax(axis=-1)
        return None, np.where(above.any(axis=-1), idx, -1)
    idx = ((key == m[..., None]) & ok).argmax(axis=-1)
    if x.dtype.kind == "f":
        first = ok.argmax(axis=-1)
        nan_first = np.isnan(np.take_along_axis(flat, first[..., None], axis=-1)[..., 0])
        idx = np.where(nan_first, first, idx)
    return np.maximum(m, lowest).astype(x.dtype), idx


def _max_fwd(xp, x, ksize, strides, padding):
    x = np.asarray(x)
    return _max_select(x, ksize[1], ksize[2], strides[1], strides[2], padding)[0]


def _max_grad_fwd(xp, g, x, ksize, strides, padding):
    x = np.asarray(x)
    kh, kw = ksize[1], ksize[2]
    _, idx = _max_select(x, kh, kw, strides[1], strides[2], padding)
    N, oh, ow, C = idx.shape
    onehot = (np.arange(kh * kw) == idx[..., None]).astype(g.dtype)
    gp = (onehot * np.asarray(g)[..., None]).reshape(N, oh, ow, C, kh, kw).transpose(
        0, 1, 2, 4, 5, 3)
    return _scatter_patches(gp, x.shape, kh, kw, strides[1], strides[2], padding)


def _max_grad_grad_fwd(xp, h, x, ksize, strides, padding):
    """TF's MaxPoolGradGrad: each window takes ``h`` at the position of its maximum --
    the adjoint of ``_max_grad_fwd`` in its cotangent, except where TF's kernels choose
    differently (a window holding NaN or -inf, ``_max_select``)."""
    x, h = np.asarray(x), np.asarray(h)
    kh, kw = ksize[1], ksize[2]
    _, idx = _max_select(x, kh, kw, strides[1], strides[2], padding, gradgrad=True)
    ph, _ = _patches(h, kh, kw, strides[1], strides[2], padding)
    N, oh, ow, _, _, C = ph.shape
    hflat = ph.transpose(0, 1, 2, 5, 3, 4).reshape(N, oh, ow, C, kh * kw)
    out = np.take_along_axis(hflat, np.maximum(idx, 0)[..., None], axis=-1)[..., 0]
    return np.where(idx >= 0, out, 0).astype(h.dtype)


# (MaxPoolGrad is linear in g, piecewise constant in x: its gradient goes to g only)
MAX_POOL_GRAD = defop("tf.max_pool_grad", _max_grad_fwd,
                      lambda xp, h, ans, g, x, **kw: (call(MAX_POOL_GRAD_GRAD, xp, (h, x), kw),
                                                      None),
                      shape_rule=lambda a, p: [(a[1]._shape, a[0]._np_dtype)])
MAX_POOL_GRAD_GRAD = defop(
    "tf.max_pool_grad_grad", _max_grad_grad_fwd,
    lambda xp, u, ans, h, x, **kw: (call(MAX_POOL_GRAD, xp, (u, x), kw), None),
    shape_rule=lambda a, p: [(_pool_rule([a[1]], p)[0][0], a[0]._np_dtype)])
MAX_POOL = defop("tf.max_pool", _max_fwd,
                 lambda xp, g, ans, x, **kw: (call(MAX_POOL_GRAD, xp, (g, x), kw),),
                 shape_rule=_pool_rule)


def _counts(shape, ksize, strides, padding, dtype):
    ones = np.ones((1,) + tuple(shape[1:3]) + (1,), dtype)
    p, _ = _patches(ones, ksize[1], ksize[2], strides[1], strides[2], padding)
    return p.sum(axis=(3, 4))


def _avg_fwd(xp, x, ksize, strides, padding):
    x = np.asarray(x)
    p, _ = _patches(x, ksize[1], ksize[2], strides[1], strides[2], padding)
    return (p.sum(axis=(3, 4)) / _counts(x.shape, ksize, strides, padding, x.dtype)).astype(
        x.dtype)


def _avg_grad_fwd(xp, g, x, ksize, strides, padding):
    g = np.asarray(g) / _counts(x.shape, ksize, strides, padding, g.dtype)
    kh, kw = ksize[1], ksize[2]
    gp = np.broadcast_to(g[:, :, :, None, None, :], g.shape[:3] + (kh, kw, g.shape[3]))
    return _scatter_patches(gp, x.shape, kh, kw, strides[1], strides[2], padding)


# (AvgPoolGrad is the transpose of avg_pool: its gradient is avg_pool again)
AVG_POOL_GRAD = defop("tf.avg_pool_grad", _avg_grad_fwd,
                      lambda xp, h, ans, g, x, **kw: (call(AVG_POOL, xp, (h,), kw), None),
                      shape_rule=lambda a, p: [(a[1]._shape, a[0]._np_dtype)])
AVG_POOL = defop("tf.avg_pool", _avg_fwd,
                 lambda xp, g, ans, x, **kw: (call(AVG_POOL_GRAD, xp, (g, x), kw),),
                 shape_rule=_pool_rule)


def _pool(op, tfname, value, ksize, strides, padding, data_format, name):
    _nhwc(data_format)
    k = _strides(ksize)
    st = _strides(strides)
    if padding not in ("SAME", "VALID"):
        raise ValueError(f"{tfname}: padding must be 'SAME' or 'VALID', not {padding!r}")
    return build(name, tfname, lambda: apply(op, (convert_to_tensor(value),), {
        "ksize": k, "strides": st, "padding": padding}), graph_args=(value,))


def max_pool(value, ksize, strides, padding, data_format="NHWC", name=None, input=None):  # noqa
    """Max over ``ksize`` windows (NHWC); the gradient goes to each window's maximum.

    >>> import ndgrad.tf as tf
    >>> x = tf.reshape(tf.range(9.0), [1, 3, 3, 1])
    >>> y = tf.nn.max_pool(x, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME")
    >>> tf.Session().run(y)[0, :, :, 0]
    array([[4., 5.],
           [7., 8.]], dtype=float32)
    """
    return _pool(MAX_POOL, "MaxPool", value if value is not None else input, ksize, strides,
                 padding, data_format, name)


def avg_pool(value, ksize, strides, padding, data_format="NHWC", name=None, input=None):  # noqa
    """Mean over ``ksize`` windows (NHWC), padding excluded from the count.

    >>> import ndgrad.tf as tf
    >>> x = tf.reshape(tf.range(9.0), [1, 3, 3, 1])
    >>> y = tf.nn.avg_pool(x, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME")
    >>> tf.Session().run(y)[0, :, :, 0]
    array([[2. , 3.5],
           [6.5, 8. ]], dtype=float32)
    """
    return _pool(AVG_POOL, "AvgPool", value if value is not None else input, ksize, strides,
                 padding, data_format, name)


# -- transposed convolution ---------------------------------------------------------------
def _transpose_fwd(xp, v, w, out_hw, strides, padding, out_nc=(None, None),
                   dilations=(1, 1)):
    v, w = np.asarray(v), np.asarray(w)
    kh, kw, c, _ = w.shape
    H, W = out_hw
    _check_sizes(v, w, out_nc)
    dh, dw = dilations
    oh, ow = _geometry(H, W, (kh - 1) * dh + 1, (kw - 1) * dw + 1, strides[1], strides[2],
                       padding)[:2]
    if v.shape[1:3] != (oh, ow):
        raise ValueError(f"conv2d_transpose: an output of spatial size {H}x{W} convolves to "
                         f"{oh}x{ow} with filter {kh}x{kw}, strides {strides[1:3]} and "
                         f"padding {padding}, but the input is {v.shape[1]}x{v.shape[2]} "
                         f"(input shape {v.shape})")
    gp = np.tensordot(v, w, axes=([3], [3]))
    return _scatter_patches(gp, (v.shape[0], H, W, c), kh, kw, strides[1], strides[2],
                            padding, dilations).astype(v.dtype)


def _check_sizes(v, w, out_nc):
    """The batch and channels ``output_shape`` / ``input_sizes`` name (None: not given as
    numbers) against ``out_backprop``'s batch and the filter's input channels, when run:
    TF's Conv2DBackpropInput refuses a mismatch (a result of another shape than the one
    asked for would be no error)."""
    n, c = out_nc
    if n is not None and v.shape[0] != n:
        raise ValueError(f"Conv2DBackpropInput: input and out_backprop must have the same "
                         f"batch size: input_sizes/output_shape says {n}, out_backprop "
                         f"(shape {v.shape}) has {v.shape[0]}")
    if c is not None and w.shape[2] != c:
        raise ValueError(f"Conv2DBackpropInput: input depth {c} (input_sizes/output_shape) "
                         f"differs from the filter's input depth {w.shape[2]} (filter shape "
                         f"{w.shape})")
    if v.shape[3] != w.shape[3]:
        raise ValueError(f"Conv2DBackpropInput: out_backprop depth {v.shape[3]} (shape "
                         f"{v.shape}) differs from the filter's output depth {w.shape[3]} "
                         f"(filter shape {w.shape})")


def _transpose_filter_fwd(xp, v, g, w, strides, padding, dilations=(1, 1)):
    kh, kw, _, _ = np.shape(w)
    p, _ = _patches(np.asarray(g), kh, kw, strides[1], strides[2], padding,
                    dilations=dilations)
    return np.tensordot(p, np.asarray(v), axes=([0, 1, 2], [0, 1, 2])).astype(v.dtype)


def _transpose_vjp(xp, g, ans, v, w, out_hw, strides, padding, out_nc=(None, None),
                   dilations=(1, 1)):
    kw = _kw(strides, padding, dilations)
    return (call(CONV2D, xp, (g, w), kw), call(_TRANSPOSE_FILTER, xp, (v, g, w), kw))


def _transpose_rule(args, params):
    v, w = args
    n, c = params.get("out_nc", (None, None))
    if v._shape is not None and v._shape[0] is not None:
        if n is not None and n != v._shape[0]:
            raise ValueError(f"Conv2DBackpropInput: input and out_backprop must have the "
                             f"same batch size: input_sizes/output_shape says {n}, "
                             f"out_backprop (shape {v.shape}) has {v._shape[0]}")
        n = v._shape[0]
    if w._shape is not None and w._shape[2] is not None:
        if c is not None and c != w._shape[2]:
            raise ValueError(f"output_shape's channels ({c}) differ from the filter's "
                             f"input channels ({w._shape[2]}), filter shape {w.shape}")
        c = w._shape[2]
    if (v._shape is not None and w._shape is not None and v._shape[3] is not None
            and w._shape[3] is not None and v._shape[3] != w._shape[3]):
        raise ValueError(f"Conv2DBackpropInput: out_backprop depth {v._shape[3]} (shape "
                         f"{v.shape}) differs from the filter's output depth "
                         f"{w._shape[3]} (filter shape {w.shape})")
    return [((n,) + tuple(params["out_hw"]) + (c,), v._np_dtype)]


def _transpose_filter_vjp(xp, k, ans, v, g, w, strides, padding, dilations=(1, 1)):
    # the filter gradient of conv2d_transpose is conv2d's filter gradient F(v, g):
    # <k, F(v, g)> = <conv2d(g, k), v> = <I(v, k), g>
    kw = _kw(strides, padding, dilations)
    return (call(CONV2D, xp, (g, k), kw), call(CONV_INPUT, xp, (v, g, k), kw), None)


_TRANSPOSE_FILTER = defop("tf.conv2d_transpose_filter", _transpose_filter_fwd,
                          _transpose_filter_vjp,
                          shape_rule=lambda a, p: [(a[2]._shape, a[0]._np_dtype)])
CONV2D_TRANSPOSE = defop("tf.conv2d_transpose", _transpose_fwd, _transpose_vjp,
                         save="inputs", shape_rule=_transpose_rule)


def _ensure_batch_fwd(xp, v, n):
    if v.shape[0] != int(np.asarray(n)):
        raise ValueError(f"Conv2DBackpropInput: input and out_backprop must have the same "
                         f"batch size: input_sizes/output_shape says {int(np.asarray(n))}, "
                         f"out_backprop (shape {tuple(v.shape)}) has {v.shape[0]}")
    return v


# ``out_backprop`` passed on once its batch equals a batch size given as a tensor
# (``[tf.shape(x)[0], 28, 28, 1]``), checked when run
_ENSURE_BATCH = defop("tf.conv2d_transpose_ensure_batch", _ensure_batch_fwd,
                      lambda xp, g, ans, v, n: (g, None), save="none",
                      shape_rule=lambda a, p: [(a[0]._shape, a[0]._np_dtype)])


def _known_shape(t):
    """A graph tensor's static shape (None: unknown rank), or an eager array's shape."""
    return t._shape if isinstance(t, Tensor) else tuple(t.shape)


def _sizes(sizes, what):
    """A 4-element NHWC size list given as a list/tuple (numbers, or tensors for the
    batch), a TensorShape, or a 1-D tensor whose height and width the graph tells when
    it is built (a constant, ``tf.stack([tf.shape(x)[0], 14, 14, 1])``: TF's static
    shape inference, ``tensor_util.constant_value_as_shape``); an entry it does not tell
    is the tensor's element, read when run."""
    if isinstance(sizes, Tensor):
        if sizes._op._kind == "const":
            sizes = sizes._op._attrs["value"].tolist()
        else:
            from .tensor_util import constant_value_as_shape
            known = constant_value_as_shape(sizes)
            dims = None if known.dims is None else known.as_list()
            if dims is None or len(dims) != 4 or dims[1] is None or dims[2] is None:
                raise ValueError(
                    f"{what} must be known when the graph is built (a constant, or a "
                    f"list such as [tf.shape(x)[0], 28, 28, 1]); the graph tells "
                    f"{constant_value_as_shape(sizes)} of {sizes}")
            sizes = [sizes[i] if d is None else d for i, d in enumerate(dims)]
    if hasattr(sizes, "as_list"):
        sizes = sizes.as_list()
    sizes = list(np.asarray(sizes).tolist()) if isinstance(sizes, np.ndarray) else list(sizes)
    if len(sizes) != 4:
        raise ValueError(f"{what} must have 4 elements (NHWC), got {sizes}")
    return sizes


def _backprop_input(value, filter, output_shape, strides, padding, data_format,  # noqa: A002
                    dilations, name, default_name, what):
    """conv2d's input gradient (TF's Conv2DBackpropInput), shared by ``conv2d_transpose``
    and ``conv2d_backprop_input``: the result has ``output_shape`` (its height and width
    static), and a batch or channel count there that the operands contradict is refused."""
    _nhwc(data_format)
    params = _kw(_strides(strides), _padding(padding), _dilations(dilations))
    shape = _sizes(output_shape, what)
    try:
        out_hw = (int(shape[1]), int(shape[2]))
    except TypeError:
        raise ValueError(f"conv2d_transpose: {what}'s height and width must be static "
                         f"integers, got {output_shape}") from None
    static = [int(d) if isinstance(d, (int, np.integer)) else None for d in shape]
    batch_t = shape[0] if static[0] is None and shape[0] is not None else None
    out_nc = (static[0], static[3])

    def f():
        v, w = convert_same([value, filter], names=("value", "filter"),
                            op_type="Conv2DBackpropInput")
        if batch_t is not None:
            v = apply(_ENSURE_BATCH, (v, convert_to_tensor(batch_t)))
        return apply(CONV2D_TRANSPOSE, (v, w), dict(params, out_hw=out_hw, out_nc=out_nc))
    return build(name, default_name, f, graph_args=(value,))


def conv2d_transpose(value=None, filter=None, output_shape=None, strides=None,  # noqa: A002
                     padding="SAME", data_format="NHWC", name=None, input=None,  # noqa
                     filters=None, dilations=None):
    """The gradient of ``conv2d`` with respect to its input, used as a layer: NHWC
    ``value`` and an (h, w, out_channels, in_channels) ``filter`` give an output of
    ``output_shape`` (its height and width must be static; the batch may be a tensor,
    checked against ``value``'s when run).

    >>> import ndgrad.tf as tf; tf.reset_default_graph()
    >>> y = tf.nn.conv2d_transpose(tf.ones([1, 2, 2, 1]), tf.ones([2, 2, 1, 1]),
    ...                            [1, 4, 4, 1], [1, 2, 2, 1], "VALID")
    >>> tf.Session().run(y)[0, :, :, 0]
    array([[1., 1., 1., 1.],
           [1., 1., 1., 1.],
           [1., 1., 1., 1.],
           [1., 1., 1., 1.]], dtype=float32)
    """
    value = value if value is not None else input
    filter = filter if filter is not None else filters
    return _backprop_input(value, filter, output_shape, strides, padding, data_format,
                           dilations, name, "conv2d_transpose", "output_shape")


def conv2d_backprop_input(input_sizes, filter=None, out_backprop=None, strides=None,  # noqa
                          padding=None, use_cudnn_on_gpu=True, data_format="NHWC",
                          dilations=(1, 1, 1, 1), name=None, filters=None):
    """The gradient of ``conv2d(x, filter)`` with respect to ``x`` (of shape
    ``input_sizes``: 4 static numbers but the batch, a list or constant tensor), for the
    cotangent ``out_backprop``: TensorFlow's Conv2DBackpropInput, the same op as
    ``conv2d_transpose``.

    >>> import ndgrad.tf as tf; tf.reset_default_graph()
    >>> g = tf.nn.conv2d_backprop_input([1, 3, 3, 1], tf.ones([2, 2, 1, 1]),
    ...                                 tf.ones([1, 2, 2, 1]), [1, 1, 1, 1], "VALID")
    >>> tf.Session().run(g)[0, :, :, 0]
    array([[1., 2., 1.],
           [2., 4., 2.],
           [1., 2., 1.]], dtype=float32)
    """
    filter = filter if filter is not None else filters
    return _backprop_input(out_backprop, filter, input_sizes, strides, padding, data_format,
                           dilations, name, "Conv2DBackpropInput", "input_sizes")


def _filter_sized_fwd(xp, x, g, filter_shape, strides, padding, dilations=(1, 1)):
    x, g = np.asarray(x), np.asarray(g)
    kh, kw, ci, co = filter_shape
    if x.ndim != 4 or g.ndim != 4:
        raise ValueError(f"Conv2DBackpropFilter: input and out_backprop must be 4-D (NHWC), "
                         f"got shapes {x.shape} and {g.shape}")
    dh, dw = dilations
    oh, ow = _geometry(x.shape[1], x.shape[2], (kh - 1) * dh + 1, (kw - 1) * dw + 1,
                       strides[1], strides[2], padding)[:2]
    if x.shape[3] != ci or g.shape[3] != co or g.shape[0] != x.shape[0] or \
            g.shape[1:3] != (oh, ow):
        raise ValueError(f"Conv2DBackpropFilter: filter_sizes {list(filter_shape)}, input of "
                         f"shape {x.shape}, strides {list(strides)} and padding {padding} "
                         f"give out_backprop shape {(x.shape[0], oh, ow, co)}, not "
                         f"{g.shape}")
    p, _ = _patches(x, kh, kw, strides[1], strides[2], padding, dilations=dilations)
    return np.tensordot(p, g, axes=([0, 1, 2], [0, 1, 2])).astype(g.dtype)


def _filter_sized_vjp(xp, k, ans, x, g, filter_shape, strides, padding, dilations=(1, 1)):
    # F(g, x) is linear in each: <k, F(g, x)> = <conv2d(x, k), g> = <I(g, k), x>
    kw = _kw(strides, padding, dilations)
    return (call(CONV_INPUT, xp, (g, x, k), kw), call(CONV2D, xp, (x, k), kw))


_CONV_FILTER_SIZED = defop("tf.conv2d_backprop_filter_sized", _filter_sized_fwd,
                           _filter_sized_vjp,
                           shape_rule=lambda a, p: [(tuple(p["filter_shape"]),
                                                     a[0]._np_dtype)])


def conv2d_backprop_filter(input, filter_sizes, out_backprop, strides, padding,  # noqa: A002
                           use_cudnn_on_gpu=True, data_format="NHWC",
                           dilations=(1, 1, 1, 1), name=None):
    """The gradient of ``conv2d(input, w)`` with respect to the filter ``w`` (of shape
    ``filter_sizes``: 4 static numbers, a list or constant tensor), for the cotangent
    ``out_backprop``: TensorFlow's Conv2DBackpropFilter. Shapes that do not fit together
    are refused when run (or when built, where known).

    >>> import ndgrad.tf as tf; tf.reset_default_graph()
    >>> g = tf.nn.conv2d_backprop_filter(tf.ones([1, 3, 3, 1]), [2, 2, 1, 1],
    ...                                  tf.ones([1, 2, 2, 1]), [1, 1, 1, 1], "VALID")
    >>> tf.Session().run(g)[:, :, 0, 0]
    array([[4., 4.],
           [4., 4.]], dtype=float32)
    """
    _nhwc(data_format)
    params = _kw(_strides(strides), _padding(padding), _dilations(dilations))
    try:
        fs = tuple(int(d) for d in _sizes(filter_sizes, "filter_sizes"))
    except TypeError:
        raise ValueError(f"conv2d_backprop_filter: filter_sizes must be 4 static integers, "
                         f"got {filter_sizes}") from None

    def f():
        x, g = convert_same([input, out_backprop], names=("input", "out_backprop"),
                            op_type="Conv2DBackpropFilter")
        xs, gs = _known_shape(x), _known_shape(g)
        if xs is not None and xs[3] is not None and xs[3] != fs[2]:
            raise ValueError(f"Conv2DBackpropFilter: input depth {xs[3]} (shape {x.shape}) "
                             f"differs from filter_sizes' input depth {fs[2]} ({list(fs)})")
        if gs is not None and gs[3] is not None and gs[3] != fs[3]:
            raise ValueError(f"Conv2DBackpropFilter: out_backprop depth {gs[3]} (shape "
                             f"{g.shape}) differs from filter_sizes' output depth {fs[3]} "
                             f"({list(fs)})")
        return apply(_CONV_FILTER_SIZED, (x, g), dict(params, filter_shape=fs))
    return build(name, "Conv2DBackpropFilter", f, graph_args=(input,))


# -- depthwise and separable convolution ---------------------------------------------------
def _dw_fwd(xp, x, w, strides, padding, dilations=(1, 1)):
    x, w = np.asarray(x), np.asarray(w)
    kh, kw, c, m = w.shape
    if x.shape[3] != c:
        raise ValueError(f"DepthwiseConv2dNative: input depth {x.shape[3]} (shape {x.shape}) "
                         f"differs from the filter's input depth {c} (filter shape "
                         f"{w.shape})")
    p, _ = _patches(x, kh, kw, strides[1], strides[2], padding, dilations=dilations)
    out = np.einsum("nhwijc,ijcm->nhwcm", p, w)
    return out.reshape(out.shape[:3] + (c * m,)).astype(x.dtype)


def _dw_out_check(what, g, x_shape, w_shape, strides, padding, dilations):
    """The cotangent of a depthwise convolution has the shape its input and filter give
    (NumPy's einsum would broadcast a dimension of 1)."""
    kh, kw, c, m = w_shape
    dh, dw = dilations
    oh, ow = _geometry(x_shape[1], x_shape[2], (kh - 1) * dh + 1, (kw - 1) * dw + 1,
                       strides[1], strides[2], padding)[:2]
    want = (x_shape[0], oh, ow, c * m)
    if len(x_shape) != 4 or x_shape[3] != c or tuple(g.shape) != want:
        raise ValueError(f"{what}: input of shape {tuple(x_shape)} and filter of shape "
                         f"{tuple(w_shape)} give out_backprop shape {want}, not "
                         f"{tuple(g.shape)}")


def _dw_input_fwd(xp, g, x, w, strides, padding, dilations=(1, 1)):
    g, w = np.asarray(g), np.asarray(w)
    kh, kw, c, m = w.shape
    _dw_out_check("DepthwiseConv2dNativeBackpropInput", g, tuple(x.shape), w.shape, strides,
                  padding, dilations)
    gp = np.einsum("nhwcm,ijcm->nhwijc", g.reshape(g.shape[:3] + (c, m)), w)
    return _scatter_patches(gp, tuple(x.shape), kh, kw, strides[1], strides[2], padding,
                            dilations).astype(g.dtype)


def _dw_filter_fwd(xp, g, x, w, strides, padding, dilations=(1, 1)):
    g = np.asarray(g)
    kh, kw, c, m = np.shape(w)
    _dw_out_check("DepthwiseConv2dNativeBackpropFilter", g, tuple(np.shape(x)), np.shape(w),
                  strides, padding, dilations)
    p, _ = _patches(np.asarray(x), kh, kw, strides[1], strides[2], padding,
                    dilations=dilations)
    return np.einsum("nhwijc,nhwcm->ijcm", p, g.reshape(g.shape[:3] + (c, m))).astype(
        g.dtype)


# As for conv2d: D(x, w) is linear in each operand, and its two gradients I(g, w) (input)
# and F(g, x) (filter) are the adjoints: <h, I(g, w)> = <D(h, w), g> = <F(g, h), w> and
# <k, F(g, x)> = <D(x, k), g> = <I(g, k), x> (the operand that only gives a shape gets none)
def _dw_vjp(xp, g, ans, x, w, strides, padding, dilations=(1, 1)):
    kw = _kw(strides, padding, dilations)
    return (call(DW_INPUT, xp, (g, x, w), kw), call(DW_FILTER, xp, (g, x, w), kw))


def _dw_input_vjp(xp, h, ans, g, x, w, strides, padding, dilations=(1, 1)):
    kw = _kw(strides, padding, dilations)
    return (call(DEPTHWISE, xp, (h, w), kw), None, call(DW_FILTER, xp, (g, h, w), kw))


def _dw_filter_vjp(xp, k, ans, g, x, w, strides, padding, dilations=(1, 1)):
    kw = _kw(strides, padding, dilations)
    return (call(DEPTHWISE, xp, (x, k), kw), call(DW_INPUT, xp, (g, x, k), kw), None)


def _dw_rule(args, params):
    x, w = args
    if x._shape is None or w._shape is None:
        return [(None, x._np_dtype)]
    C, (kh, kw, ci, m) = x._shape[3], w._shape
    if C is not None and ci is not None and C != ci:
        raise ValueError(f"DepthwiseConv2dNative: input depth {C} (shape {x.shape}) differs "
                         f"from the filter's input depth {ci} (filter shape {w.shape})")
    (N, oh, ow, _), = [r[0] for r in _conv_rule(args, params)]
    c = ci if ci is not None else C
    return [((N, oh, ow, None if c is None or m is None else c * m), x._np_dtype)]


DEPTHWISE = defop("tf.depthwise_conv2d", _dw_fwd, _dw_vjp, shape_rule=_dw_rule)
DW_INPUT = defop("tf.depthwise_conv2d_backprop_input", _dw_input_fwd, _dw_input_vjp,
                 shape_rule=lambda a, p: [(a[1]._shape, a[0]._np_dtype)])
DW_FILTER = defop("tf.depthwise_conv2d_backprop_filter", _dw_filter_fwd, _dw_filter_vjp,
                  shape_rule=lambda a, p: [(a[2]._shape, a[0]._np_dtype)])


def _dw_params(strides, padding, dilations, what):
    st = _strides(strides)
    if st[1] != st[2]:
        raise ValueError(f"{what}: only equal strides in the row and column dimensions are "
                         f"supported (as TensorFlow's kernel), got {list(strides)}")
    dil = _dilations(dilations)
    if max(dil) > 1 and max(st) > 1:
        raise ValueError(f"{what}: a dilation rate above 1 needs strides of 1, got strides "
                         f"{list(strides)} and dilations {list(dil)}")
    return _kw(st, _padding(padding), dil)


def depthwise_conv2d_native(input, filter, strides, padding, data_format="NHWC",  # noqa: A002
                            dilations=(1, 1, 1, 1), name=None):
    """Depthwise 2-D convolution of NHWC ``input`` (C channels) with a (kh, kw, C, M)
    ``filter``: each input channel gets its own M filters; output channel ``c * M + m``.

    >>> import ndgrad.tf as tf; tf.reset_default_graph()
    >>> y = tf.nn.depthwise_conv2d_native(tf.ones([1, 3, 3, 2]), tf.ones([2, 2, 2, 1]),
    ...                                   [1, 1, 1, 1], "VALID")
    >>> tf.Session().run(y)[0, :, :, 1]
    array([[4., 4.],
           [4., 4.]], dtype=float32)
    """
    _nhwc(data_format)
    params = _dw_params(strides, padding, dilations, "DepthwiseConv2dNative")

    def f():
        x, w = convert_same([input, filter], names=("input", "filter"),
                            op_type="DepthwiseConv2dNative")
        return apply(DEPTHWISE, (x, w), params)
    return build(name, "DepthwiseConv2dNative", f, graph_args=(input,))


def depthwise_conv2d(input, filter, strides, padding, rate=None, name=None,  # noqa: A002
                     data_format=None, dilations=None):
    """``depthwise_conv2d_native`` with TF's ``rate`` (dilations (dh, dw)) argument.

    >>> import ndgrad.tf as tf; tf.reset_default_graph()
    >>> tf.nn.depthwise_conv2d(tf.ones([1, 5, 5, 2]), tf.ones([2, 2, 2, 3]), [1, 1, 1, 1],
    ...                        "VALID", rate=[2, 2]).shape.as_list()
    [1, 3, 3, 6]
    """
    if data_format not in (None, "NHWC"):
        raise ValueError("only data_format='NHWC' is supported")
    rate = rate if rate is not None else dilations
    dil = (1, 1) if rate is None else _dilations(rate)
    return depthwise_conv2d_native(input, filter, strides, padding,
                                   dilations=[1, dil[0], dil[1], 1],
                                   name=name or "depthwise")


def _zeros_of(sizes, like, what):
    fs = tuple(int(d) for d in _sizes(sizes, what))
    return convert_to_tensor(np.zeros(fs, dtype=np.dtype(like._np_dtype)
                                      if hasattr(like, "_np_dtype") else like.dtype))


def depthwise_conv2d_native_backprop_input(input_sizes, filter, out_backprop,  # noqa: A002
                                           strides, padding, data_format="NHWC",
                                           dilations=(1, 1, 1, 1), name=None):
    """The gradient of ``depthwise_conv2d_native(x, filter)`` with respect to ``x`` (of
    the static shape ``input_sizes``) for the cotangent ``out_backprop``.

    >>> import ndgrad.tf as tf; tf.reset_default_graph()
    >>> g = tf.nn.depthwise_conv2d_native_backprop_input(
    ...     [1, 3, 3, 1], tf.ones([2, 2, 1, 1]), tf.ones([1, 2, 2, 1]), [1, 1, 1, 1], "VALID")
    >>> tf.Session().run(g)[0, :, :, 0]
    array([[1., 2., 1.],
           [2., 4., 2.],
           [1., 2., 1.]], dtype=float32)
    """
    _nhwc(data_format)
    params = _dw_params(strides, padding, dilations, "DepthwiseConv2dNativeBackpropInput")

    def f():
        g, w = convert_same([out_backprop, filter], names=("out_backprop", "filter"),
                            op_type="DepthwiseConv2dNativeBackpropInput")
        x = _zeros_of(input_sizes, g, "input_sizes")
        if isinstance(w, Tensor):
            _dw_rule((x, w), params)   # (the sizes checked against the filter when built)
        return apply(DW_INPUT, (g, x, w), params)
    return build(name, "DepthwiseConv2dNativeBackpropInput", f, graph_args=(out_backprop,))


def depthwise_conv2d_native_backprop_filter(input, filter_sizes, out_backprop,  # noqa: A002
                                            strides, padding, data_format="NHWC",
                                            dilations=(1, 1, 1, 1), name=None):
    """The gradient of ``depthwise_conv2d_native(input, w)`` with respect to ``w`` (of the
    static shape ``filter_sizes``) for the cotangent ``out_backprop``.

    >>> import ndgrad.tf as tf; tf.reset_default_graph()
    >>> g = tf.nn.depthwise_conv2d_native_backprop_filter(
    ...     tf.ones([1, 3, 3, 1]), [2, 2, 1, 1], tf.ones([1, 2, 2, 1]), [1, 1, 1, 1], "VALID")
    >>> tf.Session().run(g)[:, :, 0, 0]
    array([[4., 4.],
           [4., 4.]], dtype=float32)
    """
    _nhwc(data_format)
    params = _dw_params(strides, padding, dilations, "DepthwiseConv2dNativeBackpropFilter")

    def f():
        x, g = convert_same([input, out_backprop], names=("input", "out_backprop"),
                            op_type="DepthwiseConv2dNativeBackpropFilter")
        w = _zeros_of(filter_sizes, g, "filter_sizes")
        want = _dw_rule((x, w), params)[0][0] if isinstance(x, Tensor) else None
        gs = _known_shape(g)
        if want is not None and gs is not None and all(
                a is not None and b is not None for a, b in zip(want, gs)) \
                and tuple(want) != tuple(gs):
            raise ValueError(f"DepthwiseConv2dNativeBackpropFilter: input {x.shape} and "
                             f"filter_sizes {list(w.shape)} give out_backprop shape "
                             f"{tuple(want)}, not {g.shape}")
        return apply(DW_FILTER, (g, x, w), params)
    return build(name, "DepthwiseConv2dNativeBackpropFilter", f, graph_args=(input,))


def separable_conv2d(input, depthwise_filter, pointwise_filter, strides, padding,  # noqa
                     rate=None, name=None, data_format=None, dilations=None):
    """A depthwise convolution, then a 1x1 convolution mixing its C * M channels with the
    (1, 1, C * M, out) ``pointwise_filter``.

    >>> import ndgrad.tf as tf; tf.reset_default_graph()
    >>> tf.nn.separable_conv2d(tf.ones([1, 5, 5, 2]), tf.ones([3, 3, 2, 2]),
    ...                        tf.ones([1, 1, 4, 7]), [1, 1, 1, 1], "SAME").shape.as_list()
    [1, 5, 5, 7]
    """
    def f():
        d = depthwise_conv2d(input, depthwise_filter, strides, padding, rate=rate,
                             data_format=data_format, dilations=dilations)
        return conv2d(d, pointwise_filter, [1, 1, 1, 1], "VALID")
    return build(name, "separable_conv2d", f, graph_args=(input,))


__all__ += ["depthwise_conv2d", "depthwise_conv2d_native",
            "depthwise_conv2d_native_backprop_input",
            "depthwise_conv2d_native_backprop_filter", "separable_conv2d"]

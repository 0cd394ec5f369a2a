"""Convolution and pooling as TensorFlow defines them (NHWC input, HWIO filters, "SAME"
padding split with the extra pixel after): ``tf.nn.conv2d``, ``max_pool``, ``avg_pool``,
``conv2d_transpose``.

Each is an op with its gradient rule beside it; the backward computations are ops too,
with gradient rules of their own (second derivatives: gradient penalties, Hessians).
"""
from __future__ import annotations

import math

import numpy as np
from numpy.lib.stride_tricks import as_strided

from .._ops.registry import defop, apply
from ..graph.core import Tensor
from .ops import call
from .framework import build, convert_same, convert_to_tensor

__all__ = ["conv2d", "max_pool", "avg_pool", "conv2d_transpose"]


def _geometry(H, W, kh, kw, sh, sw, padding):
    if padding == "SAME":
        oh, ow = math.ceil(H / sh), math.ceil(W / sw)
        ph = max((oh - 1) * sh + kh - H, 0)
        pw = max((ow - 1) * sw + kw - W, 0)
        return oh, ow, ph // 2, ph - ph // 2, pw // 2, pw - pw // 2
    if padding == "VALID":
        oh, ow = (H - kh) // sh + 1, (W - kw) // sw + 1
        if oh <= 0 or ow <= 0:
            raise ValueError(f"filter {kh}x{kw} is larger than the input {H}x{W} "
                             "(padding VALID)")
        return oh, ow, 0, 0, 0, 0
    raise ValueError(f"padding must be 'SAME' or 'VALID', not {padding!r}")


def _patches(x, kh, kw, sh, sw, padding, fill=0.0):
    N, H, W, C = x.shape
    oh, ow, t, b, l, r = _geometry(H, W, kh, kw, sh, sw, padding)
    if t or b or l or r:
        x = np.pad(x, ((0, 0), (t, b), (l, r), (0, 0)), constant_values=fill)
    x = np.ascontiguousarray(x)
    s = x.strides
    p = as_strided(x, (N, oh, ow, kh, kw, C), (s[0], s[1] * sh, s[2] * sw, s[1], s[2], s[3]),
                   writeable=False)
    return p, (oh, ow, t, l, x.shape)


def _scatter_patches(gp, x_shape, kh, kw, sh, sw, padding):
    """Adjoint of _patches: add each window's values back into the (cropped) input."""
    N, H, W, C = x_shape
    oh, ow, t, b, l, r = _geometry(H, W, kh, kw, sh, sw, padding)
    out = np.zeros((N, H + t + b, W + l + r, C), dtype=gp.dtype)
    for i in range(kh):
        for j in range(kw):
            out[:, i:i + sh * oh:sh, j:j + sw * ow:sw, :] += gp[:, :, :, i, j, :]
    return out[:, t:t + H, l:l + W, :]


# -- conv2d ------------------------------------------------------------------------------
def _conv_fwd(xp, x, w, strides, padding):
    kh, kw, _, _ = w.shape
    p, _ = _patches(np.asarray(x), kh, kw, strides[1], strides[2], padding)
    return np.tensordot(p, np.asarray(w), axes=([3, 4, 5], [0, 1, 2])).astype(x.dtype)


def _conv_input_fwd(xp, g, x, w, strides, padding):
    kh, kw, _, _ = w.shape
    gp = np.tensordot(np.asarray(g), np.asarray(w), axes=([3], [3]))
    return _scatter_patches(gp, x.shape, kh, kw, strides[1], strides[2], padding).astype(
        g.dtype)


def _conv_filter_fwd(xp, g, x, w, strides, padding):
    kh, kw, _, _ = w.shape
    p, _ = _patches(np.asarray(x), kh, kw, strides[1], strides[2], padding)
    return np.tensordot(p, np.asarray(g), axes=([0, 1, 2], [0, 1, 2])).astype(g.dtype)


# The backward ops are linear in each operand but the one that gives only a shape, so
# their own gradients are convolutions again (second derivatives: a gradient penalty, a
# Hessian-vector product): for the input gradient I(g, w) = conv2d's transpose,
# <h, I(g, w)> = <conv2d(h, w), g> = <F(g, h), w>; for the filter gradient F(g, x),
# <k, F(g, x)> = <conv2d(x, k), g> = <I(g, k), x>.
def _conv_input_vjp(xp, h, ans, g, x, w, strides, padding):
    kw = {"strides": strides, "padding": padding}
    return (call(CONV2D, xp, (h, w), kw), None, call(CONV_FILTER, xp, (g, h, w), kw))


def _conv_filter_vjp(xp, k, ans, g, x, w, strides, padding):
    kw = {"strides": strides, "padding": padding}
    return (call(CONV2D, xp, (x, k), kw), call(CONV_INPUT, xp, (g, x, k), kw), None)


CONV_INPUT = defop("tf.conv2d_backprop_input", _conv_input_fwd, _conv_input_vjp,
                   shape_rule=lambda a, p: [(a[1]._shape, a[0]._np_dtype)])
CONV_FILTER = defop("tf.conv2d_backprop_filter", _conv_filter_fwd, _conv_filter_vjp,
                    shape_rule=lambda a, p: [(a[2]._shape, a[0]._np_dtype)])


def _conv_vjp(xp, g, ans, x, w, strides, padding):
    kw = {"strides": strides, "padding": padding}
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
    if H is not None and kh is not None:
        oh = _geometry(H, 1, kh, 1, s[1], 1, params["padding"])[0]
    if W is not None and kw is not None:
        ow = _geometry(1, W, 1, kw, 1, s[2], params["padding"])[1]
    return [((N, oh, ow, co), x._np_dtype)]


CONV2D = defop("tf.conv2d", _conv_fwd, _conv_vjp, shape_rule=_conv_rule)


def _strides(strides):
    s = [int(v) for v in strides]
    if len(s) != 4 or s[0] != 1 or s[3] != 1:
        raise ValueError(f"strides must be [1, sh, sw, 1] (NHWC), got {strides}")
    return tuple(s)


def conv2d(input, filter=None, strides=None, padding=None, use_cudnn_on_gpu=True,  # noqa
           data_format="NHWC", dilations=(1, 1, 1, 1), name=None, filters=None):
    """2-D convolution of NHWC ``input`` with an HWIO ``filter``."""
    filter = filter if filter is not None else filters
    if data_format != "NHWC":
        raise ValueError("only data_format='NHWC' is supported")
    if list(dilations) != [1, 1, 1, 1]:
        raise ValueError("dilations other than 1 are not supported")
    st = _strides(strides)

    def f():
        x, w = convert_same([input, filter], names=("input", "filter"), op_type="Conv2D")
        return apply(CONV2D, (x, w), {"strides": st, "padding": padding})
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


def _max_fwd(xp, x, ksize, strides, padding):
    x = np.asarray(x)
    p, _ = _patches(x, ksize[1], ksize[2], strides[1], strides[2], padding, fill=-np.inf)
    return p.max(axis=(3, 4)).astype(x.dtype)


def _max_grad_fwd(xp, g, x, ksize, strides, padding):
    x = np.asarray(x)
    kh, kw = ksize[1], ksize[2]
    p, _ = _patches(x, kh, kw, strides[1], strides[2], padding, fill=-np.inf)
    N, oh, ow, _, _, C = p.shape
    flat = p.transpose(0, 1, 2, 5, 3, 4).reshape(N, oh, ow, C, kh * kw)
    idx = flat.argmax(axis=-1)                      # the first maximum gets the gradient
    onehot = (np.arange(kh * kw) == idx[..., None]).astype(g.dtype)
    gp = (onehot * np.asarray(g)[..., None]).reshape(N, oh, ow, C, kh, kw).transpose(
        0, 1, 2, 4, 5, 3)
    return _scatter_patches(gp, x.shape, kh, kw, strides[1], strides[2], padding)


def _max_grad_grad_fwd(xp, h, x, ksize, strides, padding):
    """The adjoint of ``_max_grad_fwd`` in its cotangent (TF's MaxPoolGradGrad): each
    window takes ``h`` at the position of its (first) maximum."""
    x, h = np.asarray(x), np.asarray(h)
    kh, kw = ksize[1], ksize[2]
    p, _ = _patches(x, kh, kw, strides[1], strides[2], padding, fill=-np.inf)
    ph, _ = _patches(h, kh, kw, strides[1], strides[2], padding)
    N, oh, ow, _, _, C = p.shape
    flat = p.transpose(0, 1, 2, 5, 3, 4).reshape(N, oh, ow, C, kh * kw)
    idx = flat.argmax(axis=-1)
    hflat = ph.transpose(0, 1, 2, 5, 3, 4).reshape(N, oh, ow, C, kh * kw)
    return np.take_along_axis(hflat, idx[..., None], axis=-1)[..., 0].astype(h.dtype)


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
    if data_format != "NHWC":
        raise ValueError("only data_format='NHWC' is supported")
    k = _strides(ksize)
    st = _strides(strides)
    return build(name, tfname, lambda: apply(op, (convert_to_tensor(value),), {
        "ksize": k, "strides": st, "padding": padding}), graph_args=(value,))


def max_pool(value, ksize, strides, padding, data_format="NHWC", name=None, input=None):  # noqa
    """Max over ``ksize`` windows (NHWC); the gradient goes to each window's maximum."""
    return _pool(MAX_POOL, "MaxPool", value if value is not None else input, ksize, strides,
                 padding, data_format, name)


def avg_pool(value, ksize, strides, padding, data_format="NHWC", name=None, input=None):  # noqa
    """Mean over ``ksize`` windows (NHWC), padding excluded from the count."""
    return _pool(AVG_POOL, "AvgPool", value if value is not None else input, ksize, strides,
                 padding, data_format, name)


# -- transposed convolution ---------------------------------------------------------------
def _transpose_fwd(xp, v, w, out_hw, strides, padding):
    v, w = np.asarray(v), np.asarray(w)
    kh, kw, c, _ = w.shape
    H, W = out_hw
    oh, ow = _geometry(H, W, kh, kw, strides[1], strides[2], padding)[:2]
    if v.shape[1:3] != (oh, ow):
        raise ValueError(f"conv2d_transpose: an output of spatial size {H}x{W} convolves to "
                         f"{oh}x{ow} with filter {kh}x{kw}, strides {strides[1:3]} and "
                         f"padding {padding}, but the input is {v.shape[1]}x{v.shape[2]} "
                         f"(input shape {v.shape})")
    gp = np.tensordot(v, w, axes=([3], [3]))
    return _scatter_patches(gp, (v.shape[0], H, W, c), kh, kw, strides[1], strides[2],
                            padding).astype(v.dtype)


def _transpose_filter_fwd(xp, v, g, w, strides, padding):
    kh, kw, _, _ = np.shape(w)
    p, _ = _patches(np.asarray(g), kh, kw, strides[1], strides[2], padding)
    return np.tensordot(p, np.asarray(v), axes=([0, 1, 2], [0, 1, 2])).astype(v.dtype)


def _transpose_vjp(xp, g, ans, v, w, out_hw, strides, padding):
    kw = {"strides": strides, "padding": padding}
    return (call(CONV2D, xp, (g, w), kw), call(_TRANSPOSE_FILTER, xp, (v, g, w), kw))


def _transpose_rule(args, params):
    v, w = args
    n = None if v._shape is None else v._shape[0]
    c = None if w._shape is None else w._shape[2]
    return [((n,) + tuple(params["out_hw"]) + (c,), v._np_dtype)]


def _transpose_filter_vjp(xp, k, ans, v, g, w, strides, padding):
    # the filter gradient of conv2d_transpose is conv2d's filter gradient F(v, g):
    # <k, F(v, g)> = <conv2d(g, k), v> = <I(v, k), g>
    kw = {"strides": strides, "padding": padding}
    return (call(CONV2D, xp, (g, k), kw), call(CONV_INPUT, xp, (v, g, k), kw), None)


_TRANSPOSE_FILTER = defop("tf.conv2d_transpose_filter", _transpose_filter_fwd,
                          _transpose_filter_vjp,
                          shape_rule=lambda a, p: [(a[2]._shape, a[0]._np_dtype)])
CONV2D_TRANSPOSE = defop("tf.conv2d_transpose", _transpose_fwd, _transpose_vjp,
                         save="inputs", shape_rule=_transpose_rule)


def conv2d_transpose(value=None, filter=None, output_shape=None, strides=None,  # noqa: A002
                     padding="SAME", data_format="NHWC", name=None, input=None,  # noqa
                     filters=None, dilations=None):
    """The gradient of ``conv2d`` with respect to its input, used as a layer: NHWC
    ``value`` and an (h, w, out_channels, in_channels) ``filter`` give an output of
    ``output_shape`` (its height and width must be static; the batch may be a tensor).

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
    if data_format != "NHWC":
        raise ValueError("only data_format='NHWC' is supported")
    if dilations is not None and list(dilations) not in ([1, 1, 1, 1], [1, 1]):
        raise ValueError("dilations other than 1 are not supported")
    st = _strides(strides)
    shape = output_shape
    if isinstance(shape, Tensor):
        if shape._op._kind != "const":
            raise ValueError("conv2d_transpose: output_shape's height and width must be "
                             "known when the graph is built (give a list such as "
                             "[tf.shape(x)[0], 28, 28, 1])")
        shape = shape._op._attrs["value"].tolist()
    shape = list(shape)
    if len(shape) != 4:
        raise ValueError(f"output_shape must have 4 elements (NHWC), got {output_shape}")
    try:
        out_hw = (int(shape[1]), int(shape[2]))
    except TypeError:
        raise ValueError("conv2d_transpose: output_shape's height and width must be static "
                         f"integers, got {output_shape}") from None

    def f():
        v, w = convert_same([value, filter], names=("value", "filter"),
                            op_type="Conv2DBackpropInput")
        if w._shape is not None and isinstance(shape[3], (int, np.integer)) and \
                w._shape[2] is not None and w._shape[2] != int(shape[3]):
            raise ValueError(f"output_shape's channels ({shape[3]}) differ from the "
                             f"filter's output channels ({w._shape[2]}), filter shape "
                             f"{w.shape}")
        return apply(CONV2D_TRANSPOSE, (v, w), {"out_hw": out_hw, "strides": st,
                                                "padding": padding})
    return build(name, "conv2d_transpose", f, graph_args=(value,))

"""3-D convolution and pooling as TensorFlow defines them (NDHWC input, DHWIO filters,
"SAME" padding split with the extra element after): ``tf.nn.conv3d``,
``conv3d_transpose``, ``max_pool3d``, ``avg_pool3d``. Each is an op with its gradient
rule beside it; the backward computations are ops with rules of their own (second
derivatives)."""
from __future__ import annotations


import numpy as np
from numpy.lib.stride_tricks import as_strided

from .._ops.registry import defop, apply
from .conv import axis_geometry
from .ops import call
from .framework import build, convert_same, convert_to_tensor

__all__ = ["conv3d", "conv3d_transpose", "max_pool3d", "avg_pool3d"]


def _geometry(size, k, s, padding):
    """(output size, pad before, pad after) of one spatial dimension (conv.py's), a window
    larger than a VALID input refused in TF's words."""
    o, before, after = axis_geometry(size, k, s, padding)
    if o <= 0:
        raise ValueError(f"Negative dimension size caused by subtracting {k} from {size}")
    return o, before, after


def _layout(shape, ks, ss, ds, padding):
    """Per spatial dimension (output size, pad before, pad after) for taps ``ks``,
    strides ``ss`` and dilations ``ds``."""
    return [_geometry(n, (k - 1) * d + 1, s, padding)
            for n, k, s, d in zip(shape[1:4], ks, ss, ds)]


def _patches(x, ks, ss, ds, padding, fill=0):
    """The (N, od, oh, ow, kd, kh, kw, C) windows of NDHWC ``x`` (a read-only view of the
    padded input)."""
    geo = _layout(x.shape, ks, ss, ds, padding)
    pads = [(0, 0)] + [(b, a) for _, b, a in geo] + [(0, 0)]
    if any(p != (0, 0) for p in pads):
        x = np.pad(x, pads, constant_values=fill)
    x = np.ascontiguousarray(x)
    st = x.strides
    out = tuple(o for o, _, _ in geo)
    return as_strided(x, (x.shape[0],) + out + tuple(ks) + (x.shape[4],),
                      (st[0],) + tuple(st[i + 1] * ss[i] for i in range(3)) +
                      tuple(st[i + 1] * ds[i] for i in range(3)) + (st[4],),
                      writeable=False)


def _scatter(gp, x_shape, ks, ss, ds, padding):
    """The adjoint of ``_patches``: each window's values added back into the input."""
    geo = _layout(x_shape, ks, ss, ds, padding)
    (od, b0, a0), (oh, b1, a1), (ow, b2, a2) = geo
    N, D, H, W, C = x_shape
    out = np.zeros((N, D + b0 + a0, H + b1 + a1, W + b2 + a2, C), gp.dtype)
    for i in range(ks[0]):
        for j in range(ks[1]):
            for k in range(ks[2]):
                out[:, i * ds[0]:i * ds[0] + ss[0] * od:ss[0],
                    j * ds[1]:j * ds[1] + ss[1] * oh:ss[1],
                    k * ds[2]:k * ds[2] + ss[2] * ow:ss[2], :] += gp[:, :, :, :, i, j, k, :]
    return out[:, b0:b0 + D, b1:b1 + H, b2:b2 + W, :]


# -- conv3d -------------------------------------------------------------------------------
def _conv_fwd(xp, x, w, strides, padding, dilations):
    x, w = np.asarray(x), np.asarray(w)
    p = _patches(x, w.shape[:3], strides, dilations, padding)
    return np.tensordot(p, w, axes=([4, 5, 6, 7], [0, 1, 2, 3])).astype(x.dtype)


def _conv_input_fwd(xp, g, x, w, strides, padding, dilations):
    g, w = np.asarray(g), np.asarray(w)
    gp = np.tensordot(g, w, axes=([4], [4]))      # (N, od, oh, ow, kd, kh, kw, C)
    return _scatter(gp, np.shape(x), w.shape[:3], strides, dilations, padding).astype(
        g.dtype)


def _conv_filter_fwd(xp, g, x, w, strides, padding, dilations):
    p = _patches(np.asarray(x), np.shape(w)[:3], strides, dilations, padding)
    return np.tensordot(p, np.asarray(g), axes=([0, 1, 2, 3], [0, 1, 2, 3])).astype(
        np.asarray(g).dtype)


# (the backward ops are linear in each operand but the one that gives only a shape; their
# own gradients are convolutions again, as conv2d's: <h, I(g, w)> = <conv3d(h, w), g> =
# <F(g, h), w> and <k, F(g, x)> = <conv3d(x, k), g> = <I(g, k), x>)
def _conv_input_vjp(xp, h, ans, g, x, w, **kw):
    return (call(CONV3D, xp, (h, w), kw), None, call(CONV3D_FILTER, xp, (g, h, w), kw))


def _conv_filter_vjp(xp, k, ans, g, x, w, **kw):
    return (call(CONV3D, xp, (x, k), kw), call(CONV3D_INPUT, xp, (g, x, k), kw), None)


CONV3D_INPUT = defop("tf.conv3d_backprop_input", _conv_input_fwd, _conv_input_vjp,
                     shape_rule=lambda a, p: [(a[1]._shape, a[0]._np_dtype)])
CONV3D_FILTER = defop("tf.conv3d_backprop_filter", _conv_filter_fwd, _conv_filter_vjp,
                      shape_rule=lambda a, p: [(a[2]._shape, a[0]._np_dtype)])


def _conv_rule(args, params):
    x, w = args
    if x._shape is None or w._shape is None:
        return [(None, x._np_dtype)]
    N, *spatial, C = x._shape
    *ks, ci, co = w._shape
    if C is not None and ci is not None and C != ci:
        raise ValueError(f"Depth of input ({C}) is not a multiple of input depth of filter "
                         f"({ci}) for 'Conv3D' with input shapes: {x.shape}, {w.shape}.")
    out = tuple(None if n is None or k is None else
                _geometry(n, (k - 1) * d + 1, s, params["padding"])[0]
                for n, k, s, d in zip(spatial, ks, params["strides"], params["dilations"]))
    return [((N,) + out + (co,), x._np_dtype)]


CONV3D = defop("tf.conv3d", _conv_fwd,
               lambda xp, g, ans, x, w, **kw: (call(CONV3D_INPUT, xp, (g, x, w), kw),
                                               call(CONV3D_FILTER, xp, (g, x, w), kw)),
               shape_rule=_conv_rule)


def _five(v, what, arg, default=None):
    """TF's [1, d, h, w, 1] (NDHWC) as (d, h, w)."""
    if v is None:
        return default
    v = [int(a) for a in v]
    if len(v) != 5 or v[0] != 1 or v[4] != 1 or min(v) < 1:
        raise ValueError(f"{what}: {arg} must be [1, d, h, w, 1] (NDHWC) of positive ints, "
                         f"got {v}")
    return tuple(v[1:4])


def _ndhwc(data_format, what):
    if data_format not in ("NDHWC", None):
        raise ValueError(f"{what}: only data_format='NDHWC' is supported (TF's CPU kernels "
                         f"too), not {data_format!r}")


def _params(strides, padding, dilations, what):
    if padding not in ("SAME", "VALID"):
        raise ValueError(f"{what}: padding must be 'SAME' or 'VALID', not {padding!r}")
    return {"strides": _five(strides, what, "strides"), "padding": padding,
            "dilations": _five(dilations, what, "dilations", (1, 1, 1))}


def conv3d(input, filter=None, strides=None, padding=None, data_format="NDHWC",  # noqa: A002
           dilations=(1, 1, 1, 1, 1), name=None, filters=None):
    """3-D convolution of NDHWC ``input`` with a DHWIO ``filter``.

    >>> import ndgrad.tf as tf
    >>> y = tf.nn.conv3d(tf.ones([1, 2, 2, 2, 1]), tf.ones([2, 2, 2, 1, 1]),
    ...                  [1, 1, 1, 1, 1], "SAME")
    >>> tf.Session().run(y)[0, :, :, :, 0].tolist()
    [[[8.0, 4.0], [4.0, 2.0]], [[4.0, 2.0], [2.0, 1.0]]]
    """
    filter = filter if filter is not None else filters
    _ndhwc(data_format, "conv3d")
    params = _params(strides, padding, dilations, "conv3d")
    if params["dilations"] != (1, 1, 1) and params["strides"] != (1, 1, 1):
        raise ValueError("conv3d: dilations > 1 need strides of 1 (TF's CPU kernel)")

    def f():
        x, w = convert_same([input, filter], names=("input", "filter"), op_type="Conv3D")
        return apply(CONV3D, (x, w), params)
    return build(name, "Conv3D", f, graph_args=(input,))


def _transpose_fwd(xp, v, w, out_shape, strides, padding, dilations):
    return _conv_input_fwd(xp, v, np.zeros(out_shape, np.asarray(v).dtype), w, strides,
                           padding, dilations)


def _transpose_rule(args, params):
    return [(tuple(params["out_shape"]), args[0]._np_dtype)]


def _transpose_vjp(xp, g, ans, v, w, out_shape, **kw):
    # conv3d_transpose(v, w) = I(v, zeros(out), w): linear in v (its adjoint conv3d) and
    # in w (the filter gradient of conv3d at input g and cotangent v)
    return (call(CONV3D, xp, (g, w), kw), call(CONV3D_FILTER, xp, (v, g, w), kw))


CONV3D_TRANSPOSE = defop("tf.conv3d_transpose", _transpose_fwd, _transpose_vjp,
                         shape_rule=_transpose_rule)


def conv3d_transpose(value, filter=None, output_shape=None, strides=None,  # noqa: A002
                     padding="SAME", data_format="NDHWC", name=None, input=None,
                     filters=None, dilations=None):
    """The transpose of ``conv3d`` (its gradient with respect to its input), a DHWOI
    ``filter`` mapping ``value`` to ``output_shape``.

    >>> import ndgrad.tf as tf
    >>> y = tf.nn.conv3d_transpose(tf.ones([1, 1, 1, 1, 1]), tf.ones([2, 2, 2, 1, 1]),
    ...                            [1, 2, 2, 2, 1], [1, 2, 2, 2, 1], "SAME")
    >>> tf.Session().run(y).sum()
    np.float32(8.0)
    """
    value = value if value is not None else input
    filter = filter if filter is not None else filters
    _ndhwc(data_format, "conv3d_transpose")
    params = _params(strides, padding, dilations, "conv3d_transpose")
    out = tuple(int(s) for s in output_shape)
    if len(out) != 5:
        raise ValueError(f"conv3d_transpose: output_shape must have 5 elements, got {out}")

    def f():
        v, w = convert_same([value, filter], names=("value", "filter"),
                            op_type="Conv3DBackpropInputV2")
        ws, vs = w._shape if hasattr(w, "_shape") else w.shape, \
            v._shape if hasattr(v, "_shape") else v.shape
        if ws is not None and ws[3] is not None and ws[3] != out[4]:
            raise ValueError(f"conv3d_transpose: output_shape's depth {out[4]} must equal "
                             f"the filter's output channels {ws[3]}")
        if vs is not None and ws is not None and vs[4] is not None and ws[4] is not None \
                and vs[4] != ws[4]:
            raise ValueError(f"conv3d_transpose: value's depth {vs[4]} must equal the "
                             f"filter's input channels {ws[4]}")
        geo = [_geometry(n, (k - 1) * d + 1, s, params["padding"])[0] for n, k, s, d in
               zip(out[1:4], ws[:3], params["strides"], params["dilations"])]
        if vs is not None and any(a is not None and a != b for a, b in zip(vs[1:4], geo)):
            raise ValueError(f"conv3d_transpose: value of shape {tuple(vs)} does not fit "
                             f"output_shape {out} (conv3d of it gives spatial {geo})")
        return apply(CONV3D_TRANSPOSE, (v, w), dict(params, out_shape=out))
    return build(name, "conv3d_transpose", f, graph_args=(value,))


# -- pooling -------------------------------------------------------------------------------
def _pool_rule(args, params):
    x = args[0]
    if x._shape is None:
        return [(None, x._np_dtype)]
    N, *spatial, C = x._shape
    out = tuple(None if n is None else _geometry(n, k, s, params["padding"])[0]
                for n, k, s in zip(spatial, params["ksize"], params["strides"]))
    return [((N,) + out + (C,), x._np_dtype)]


_ONE = (1, 1, 1)


def _windows(x, ksize, strides, padding, fill):
    p = _patches(np.asarray(x), ksize, strides, _ONE, padding, fill=fill)
    N, od, oh, ow = p.shape[:4]
    # (N, od, oh, ow, C, kd * kh * kw)
    return p.transpose(0, 1, 2, 3, 7, 4, 5, 6).reshape(N, od, oh, ow, p.shape[7], -1)


def _select(x, ksize, strides, padding):
    """Each window's maximum (NaNs ignored unless the window holds nothing else; padding
    takes no part) and the one-hot mask of the element its gradient goes to: the first
    element equal to it (none for a window of NaNs)."""
    x = np.asarray(x)
    floating = x.dtype.kind == "f"
    win = _windows(x, ksize, strides, padding, np.nan if floating else 0)
    valid = _windows(np.ones(x.shape, bool), ksize, strides, padding, False)
    if floating:
        key = np.where(valid & ~np.isnan(win), win, -np.inf)
        seen = (valid & ~np.isnan(win)).any(axis=-1)
        m = np.where(seen, key.max(axis=-1), np.nan).astype(x.dtype)
    else:
        low = np.iinfo(x.dtype).min
        key = np.where(valid, win, low)
        seen = valid.any(axis=-1)
        m = key.max(axis=-1)
    hit = (key == m[..., None]) & valid
    first = hit.argmax(axis=-1)
    onehot = (np.arange(hit.shape[-1]) == first[..., None]) & seen[..., None]
    return m, onehot


def _max_fwd(xp, x, ksize, strides, padding):
    return _select(x, ksize, strides, padding)[0]


def _max_grad_fwd(xp, g, x, ksize, strides, padding):
    """Each window's cotangent to the element ``_select`` picks (the first maximum; TF's
    CPU MaxPool3DGrad gives the whole cotangent to each of several equal maxima, which
    is no derivative of the pooling: see the module's tests)."""
    x, g = np.asarray(x), np.asarray(g)
    _, onehot = _select(x, ksize, strides, padding)
    gp = onehot.astype(g.dtype) * g[..., None]
    N, od, oh, ow, C, _ = gp.shape
    gp = gp.reshape(N, od, oh, ow, C, *ksize).transpose(0, 1, 2, 3, 5, 6, 7, 4)
    return _scatter(gp, x.shape, ksize, strides, _ONE, padding)


def _max_grad_grad_fwd(xp, h, x, ksize, strides, padding):
    """The adjoint of ``_max_grad_fwd`` in its cotangent: each window takes ``h`` at the
    element its maximum's gradient goes to."""
    x, h = np.asarray(x), np.asarray(h)
    _, onehot = _select(x, ksize, strides, padding)
    hw = _windows(h, ksize, strides, padding, 0)
    return (hw * onehot).sum(axis=-1).astype(h.dtype)


MAX_POOL3D_GRAD = defop("tf.max_pool3d_grad", _max_grad_fwd,
                        lambda xp, h, ans, g, x, **kw: (
                            call(MAX_POOL3D_GRAD_GRAD, xp, (h, x), kw), None),
                        shape_rule=lambda a, p: [(a[1]._shape, a[0]._np_dtype)])
MAX_POOL3D_GRAD_GRAD = defop(
    "tf.max_pool3d_grad_grad", _max_grad_grad_fwd,
    lambda xp, u, ans, h, x, **kw: (call(MAX_POOL3D_GRAD, xp, (u, x), kw), None),
    shape_rule=lambda a, p: [(_pool_rule([a[1]], p)[0][0], a[0]._np_dtype)])
MAX_POOL3D = defop("tf.max_pool3d", _max_fwd,
                   lambda xp, g, ans, x, **kw: (call(MAX_POOL3D_GRAD, xp, (g, x), kw),),
                   shape_rule=_pool_rule)


def _counts(shape, ksize, strides, padding, dtype):
    ones = np.ones((1,) + tuple(shape[1:4]) + (1,), dtype)
    return _windows(ones, ksize, strides, padding, 0).sum(axis=-1)


def _avg_fwd(xp, x, ksize, strides, padding):
    x = np.asarray(x)
    s = _windows(x, ksize, strides, padding, 0).sum(axis=-1)
    return (s / _counts(x.shape, ksize, strides, padding, x.dtype)).astype(x.dtype)


def _avg_grad_fwd(xp, g, x, ksize, strides, padding):
    g = np.asarray(g) / _counts(np.shape(x), ksize, strides, padding, np.asarray(g).dtype)
    gp = np.broadcast_to(g[:, :, :, :, None, None, None, :],
                         g.shape[:4] + tuple(ksize) + (g.shape[4],))
    return _scatter(gp, np.shape(x), ksize, strides, _ONE, padding)


AVG_POOL3D_GRAD = defop("tf.avg_pool3d_grad", _avg_grad_fwd,
                        lambda xp, h, ans, g, x, **kw: (call(AVG_POOL3D, xp, (h,), kw),
                                                        None),
                        shape_rule=lambda a, p: [(a[1]._shape, a[0]._np_dtype)])
AVG_POOL3D = defop("tf.avg_pool3d", _avg_fwd,
                   lambda xp, g, ans, x, **kw: (call(AVG_POOL3D_GRAD, xp, (g, x), kw),),
                   shape_rule=_pool_rule)


def _pool(op, tfname, value, ksize, strides, padding, data_format, name):
    _ndhwc(data_format, tfname)
    if padding not in ("SAME", "VALID"):
        raise ValueError(f"{tfname}: padding must be 'SAME' or 'VALID', not {padding!r}")
    params = {"ksize": _five(ksize, tfname, "ksize"),
              "strides": _five(strides, tfname, "strides"), "padding": padding}
    return build(name, tfname, lambda: apply(op, (convert_to_tensor(value),), params),
                 graph_args=(value,))


def max_pool3d(input, ksize, strides, padding, data_format="NDHWC", name=None):  # noqa: A002
    """Max over ``ksize`` windows of NDHWC ``input`` (NaNs ignored unless a window holds
    nothing else); the gradient goes to the window's first maximum.

    >>> import ndgrad.tf as tf
    >>> x = tf.reshape(tf.range(8.0), [1, 2, 2, 2, 1])
    >>> tf.Session().run(tf.nn.max_pool3d(x, [1, 2, 2, 2, 1], [1, 2, 2, 2, 1], "VALID"))
    array([[[[[7.]]]]], dtype=float32)
    """
    return _pool(MAX_POOL3D, "MaxPool3D", input, ksize, strides, padding, data_format, name)


def avg_pool3d(input, ksize, strides, padding, data_format="NDHWC", name=None):  # noqa: A002
    """Mean over ``ksize`` windows of NDHWC ``input``, padding excluded from the count.

    >>> import ndgrad.tf as tf
    >>> x = tf.reshape(tf.range(8.0), [1, 2, 2, 2, 1])
    >>> tf.Session().run(tf.nn.avg_pool3d(x, [1, 2, 2, 2, 1], [1, 2, 2, 2, 1], "VALID"))
    array([[[[[3.5]]]]], dtype=float32)
    """
    return _pool(AVG_POOL3D, "AvgPool3D", input, ksize, strides, padding, data_format, name)

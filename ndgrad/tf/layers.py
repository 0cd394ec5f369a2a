"""``tf.layers``: ``dense``, ``dropout``, ``flatten``, ``conv2d``, ``separable_conv2d``,
``conv2d_transpose``, ``max_pooling2d``, ``average_pooling2d``, ``batch_normalization``
(variables via ``get_variable``, as in TF 1: ``dense/kernel:0``, ``dense/bias:0``, then
``dense_1/...``)."""
from __future__ import annotations

import numpy as np

from . import math_ops as M
from . import nn
from . import state_ops as S
from . import init_ops as _init_ops
from . import variable_scopes as _variable_scope
from . import variables as _variables
from .framework import convert_to_tensor

__all__ = ["dense", "dropout", "flatten", "conv2d", "separable_conv2d", "conv2d_transpose",
           "max_pooling2d", "average_pooling2d", "batch_normalization"]


def _refuse(**options):
    """Layer options ndgrad.tf would otherwise drop silently: a clear error instead."""
    for k, v in options.items():
        if v is not None:
            what = ("TF's optimizers apply constraints" if "constraint" in k else
                    "TF's layers add the activity loss")
            raise ValueError(f"ndgrad.tf.layers does not support {k}={v!r} ({what}; "
                             "ndgrad.tf's do not)")


def dense(inputs, units, activation=None, use_bias=True, kernel_initializer=None,
          bias_initializer=None, kernel_regularizer=None, bias_regularizer=None,
          activity_regularizer=None, kernel_constraint=None, bias_constraint=None,
          trainable=True, name=None, reuse=None):
    """``activation(inputs @ kernel + bias)`` with variables ``<name>/kernel`` and
    ``<name>/bias``.

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default():
    ...     y = tf.layers.dense(tf.ones([2, 3]), 4, kernel_initializer=tf.ones_initializer(),
    ...                         bias_initializer=tf.constant_initializer(0.5))
    ...     with tf.Session() as s:
    ...         s.run(tf.global_variables_initializer())
    ...         print(s.run(y), [v.name for v in tf.trainable_variables()])
    [[3.5 3.5 3.5 3.5]
     [3.5 3.5 3.5 3.5]] ['dense/kernel:0', 'dense/bias:0']
    """
    _refuse(activity_regularizer=activity_regularizer, kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint)
    x = convert_to_tensor(inputs)
    xs = M._static_shape(x)
    in_dim = xs[-1]
    if in_dim is None:
        raise ValueError("The last dimension of the inputs to `Dense` should be defined. "
                         "Found `None`.")
    with _variable_scope.variable_scope(name, default_name="dense", reuse=reuse):
        kernel = _variable_scope.get_variable("kernel", [in_dim, units], dtype=M._dt(x),
                                initializer=kernel_initializer,
                                regularizer=kernel_regularizer, trainable=trainable)
        out = M.tensordot(x, kernel, [[len(xs) - 1], [0]]) if len(xs) > 2 \
            else M.matmul(x, kernel)
        return _bias_activation(out, use_bias, units, M._dt(x), bias_initializer,
                                trainable, activation, bias_regularizer)


def _bias_activation(out, use_bias, units, dt, bias_initializer, trainable, activation,
                     bias_regularizer=None):
    """A layer's ``bias`` variable added (in the open scope), then its activation."""
    if use_bias:
        bias = _variable_scope.get_variable("bias", [units], dtype=dt,
                              initializer=bias_initializer or _init_ops.zeros_initializer(),
                              regularizer=bias_regularizer, trainable=trainable)
        out = nn.bias_add(out, bias)
    if activation is not None:
        out = activation(out)
    return out


def dropout(inputs, rate=0.5, noise_shape=None, seed=None, training=False, name=None):
    """``nn.dropout`` with drop probability ``rate`` when ``training``, else identity.

    >>> import ndgrad.tf as tf
    >>> x = tf.ones([1000])
    >>> with tf.Session() as s:
    ...     print(s.run(tf.layers.dropout(x, rate=0.5))[:4],
    ...           sorted(set(s.run(tf.layers.dropout(x, rate=0.5, training=True)).tolist())))
    [1. 1. 1. 1.] [0.0, 2.0]
    """
    if isinstance(training, bool) or training is None:
        if not training:
            return M.identity(inputs, name=name)
        return nn.dropout(inputs, keep_prob=1 - rate, noise_shape=noise_shape, seed=seed,
                          name=name)
    from .control_flow import cond
    return cond(training, lambda: nn.dropout(inputs, keep_prob=1 - rate, seed=seed),
                lambda: M.identity(inputs), name=name)


def flatten(inputs, name=None, data_format="channels_last"):
    """``inputs`` reshaped to ``(batch, -1)``; with ``data_format="channels_first"`` the
    channel axis is moved last first, as TF's (so both layouts flatten to one order).

    >>> import ndgrad.tf as tf
    >>> x = tf.reshape(tf.range(6), [1, 2, 3])
    >>> with tf.Session() as s:
    ...     print(s.run(tf.layers.flatten(x)),
    ...           s.run(tf.layers.flatten(x, data_format="channels_first")))
    [[0 1 2 3 4 5]] [[0 3 1 4 2 5]]
    """
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(f"The `data_format` argument must be one of 'channels_first', "
                         f"'channels_last'. Received: {data_format!r}")
    x = convert_to_tensor(inputs)
    r = len(M._static_shape(x))
    if data_format == "channels_first" and r > 2:
        x = M.transpose(x, [0] + list(range(2, r)) + [1])
    rest = M._static_shape(x)[1:]
    n = int(np.prod(rest)) if None not in rest else -1
    return M.reshape(x, (-1, n), name=name or "flatten")


def _pair(v, what):
    if isinstance(v, (int, np.integer)):
        return (int(v), int(v))
    v = tuple(int(e) for e in v)
    if len(v) != 2:
        raise ValueError(f"The `{what}` argument must be a tuple of 2 integers. Received: "
                         f"{v}")
    return v


def _channels_known(inputs):
    """A conv layer's input tensor and its number of channels (the last dimension), which
    its kernel's shape needs when the graph is built."""
    x = convert_to_tensor(inputs)
    cin = M._static_shape(x)[-1]
    if cin is None:
        raise ValueError("The channel dimension of the inputs should be defined. Found "
                         "`None`.")
    return x, cin


def _padding(padding):
    p = str(padding).upper()
    if p not in ("SAME", "VALID"):
        raise ValueError(f"The `padding` argument must be one of 'valid', 'same'. "
                         f"Received: {padding}")
    return p


def _channels_last(data_format):
    if data_format not in ("channels_last", None):
        raise ValueError("only data_format='channels_last' is supported, got "
                         f"{data_format!r}")


def conv2d(inputs, filters, kernel_size, strides=(1, 1), padding="valid",
           data_format="channels_last", dilation_rate=(1, 1), activation=None,
           use_bias=True, kernel_initializer=None, bias_initializer=None,
           kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
           kernel_constraint=None, bias_constraint=None, trainable=True, name=None,
           reuse=None):
    """2-D convolution layer: variables ``<name>/kernel`` (h, w, in, filters) and
    ``<name>/bias``; NHWC inputs.

    >>> import ndgrad.tf as tf; tf.reset_default_graph()
    >>> y = tf.layers.conv2d(tf.ones([1, 5, 5, 2]), 3, 3, padding="same")
    >>> y.shape.as_list(), tf.trainable_variables()[0].shape.as_list()
    ([1, 5, 5, 3], [3, 3, 2, 3])
    """
    _refuse(activity_regularizer=activity_regularizer, kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint)
    _channels_last(data_format)
    dh, dw = _pair(dilation_rate, "dilation_rate")
    kh, kw = _pair(kernel_size, "kernel_size")
    sh, sw = _pair(strides, "strides")
    x, cin = _channels_known(inputs)
    with _variable_scope.variable_scope(name, default_name="conv2d", reuse=reuse):
        kernel = _variable_scope.get_variable("kernel", [kh, kw, cin, filters], dtype=M._dt(x),
                                initializer=kernel_initializer,
                                regularizer=kernel_regularizer, trainable=trainable)
        out = nn.convolution(x, kernel, _padding(padding), strides=[sh, sw],
                             dilation_rate=[dh, dw])
        return _bias_activation(out, use_bias, filters, M._dt(x), bias_initializer,
                                trainable, activation, bias_regularizer)


def separable_conv2d(inputs, filters, kernel_size, strides=(1, 1), padding="valid",
                     data_format="channels_last", dilation_rate=(1, 1), depth_multiplier=1,
                     activation=None, use_bias=True, depthwise_initializer=None,
                     pointwise_initializer=None, bias_initializer=None,
                     depthwise_regularizer=None, pointwise_regularizer=None,
                     bias_regularizer=None, activity_regularizer=None,
                     depthwise_constraint=None, pointwise_constraint=None,
                     bias_constraint=None, trainable=True, name=None, reuse=None):
    """Depthwise-separable 2-D convolution layer (``tf.nn.separable_conv2d``): variables
    ``<name>/depthwise_kernel`` (h, w, in, depth_multiplier), ``<name>/pointwise_kernel``
    (1, 1, in * depth_multiplier, filters) and ``<name>/bias``; NHWC inputs.

    >>> import ndgrad.tf as tf; tf.reset_default_graph()
    >>> y = tf.layers.separable_conv2d(tf.ones([1, 5, 5, 2]), 4, 3, depth_multiplier=2)
    >>> y.shape.as_list(), [v.shape.as_list() for v in tf.trainable_variables()]
    ([1, 3, 3, 4], [[3, 3, 2, 2], [1, 1, 4, 4], [4]])
    """
    _refuse(activity_regularizer=activity_regularizer,
            depthwise_constraint=depthwise_constraint,
            pointwise_constraint=pointwise_constraint, bias_constraint=bias_constraint)
    _channels_last(data_format)
    dh, dw = _pair(dilation_rate, "dilation_rate")
    kh, kw = _pair(kernel_size, "kernel_size")
    sh, sw = _pair(strides, "strides")
    x, cin = _channels_known(inputs)
    dm = int(depth_multiplier)
    with _variable_scope.variable_scope(name, default_name="separable_conv2d", reuse=reuse):
        dk = _variable_scope.get_variable("depthwise_kernel", [kh, kw, cin, dm],
                                          dtype=M._dt(x), initializer=depthwise_initializer,
                                          regularizer=depthwise_regularizer,
                                          trainable=trainable)
        pk = _variable_scope.get_variable("pointwise_kernel", [1, 1, cin * dm, filters],
                                          dtype=M._dt(x), initializer=pointwise_initializer,
                                          regularizer=pointwise_regularizer,
                                          trainable=trainable)
        out = nn.separable_conv2d(x, dk, pk, [1, sh, sw, 1], _padding(padding),
                                  rate=[dh, dw])
        return _bias_activation(out, use_bias, filters, M._dt(x), bias_initializer,
                                trainable, activation, bias_regularizer)


def conv2d_transpose(inputs, filters, kernel_size, strides=(1, 1), padding="valid",
                     data_format="channels_last", activation=None, use_bias=True,
                     kernel_initializer=None, bias_initializer=None,
                     kernel_regularizer=None, bias_regularizer=None,
                     activity_regularizer=None, kernel_constraint=None,
                     bias_constraint=None, trainable=True, name=None, reuse=None):
    """Transposed 2-D convolution layer: ``<name>/kernel`` (h, w, filters, in) and
    ``<name>/bias``; the output is ``(H - 1) * s + k`` high ("valid") or ``H * s``
    ("same").

    >>> import ndgrad.tf as tf; tf.reset_default_graph()
    >>> x = tf.placeholder(tf.float32, [None, 3, 3, 2])
    >>> tf.layers.conv2d_transpose(x, 4, 3, strides=2).shape.as_list()
    [None, 7, 7, 4]
    """
    _refuse(activity_regularizer=activity_regularizer, kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint)
    _channels_last(data_format)
    kh, kw = _pair(kernel_size, "kernel_size")
    sh, sw = _pair(strides, "strides")
    pad = _padding(padding)
    x = convert_to_tensor(inputs)
    n, H, W, cin = M._static_shape(x)
    if None in (H, W, cin):
        raise ValueError(f"conv2d_transpose needs static height, width and channels, got "
                         f"inputs of shape {x.shape}")
    if pad == "VALID":
        oh, ow = (H - 1) * sh + max(kh, sh), (W - 1) * sw + max(kw, sw)
    else:
        oh, ow = H * sh, W * sw
    with _variable_scope.variable_scope(name, default_name="conv2d_transpose", reuse=reuse):
        kernel = _variable_scope.get_variable("kernel", [kh, kw, filters, cin], dtype=M._dt(x),
                                initializer=kernel_initializer,
                                regularizer=kernel_regularizer, trainable=trainable)
        batch = n if n is not None else M.shape(x)[0]
        out = nn.conv2d_transpose(x, kernel, [batch, oh, ow, filters], [1, sh, sw, 1],
                                  pad)
        return _bias_activation(out, use_bias, filters, M._dt(x), bias_initializer,
                                trainable, activation, bias_regularizer)


def _pooling(fn, tfname, inputs, pool_size, strides, padding, data_format, name):
    _channels_last(data_format)
    ph, pw = _pair(pool_size, "pool_size")
    sh, sw = _pair(strides, "strides")
    g = S.get_default_graph()
    with g.name_scope(name or tfname):
        return fn(inputs, [1, ph, pw, 1], [1, sh, sw, 1], _padding(padding))


def max_pooling2d(inputs, pool_size, strides, padding="valid", data_format="channels_last",
                  name=None):
    """Max pooling layer (NHWC).

    >>> import ndgrad.tf as tf
    >>> x = tf.reshape(tf.range(16.0), [1, 4, 4, 1])
    >>> tf.Session().run(tf.layers.max_pooling2d(x, 2, 2))[0, :, :, 0]
    array([[ 5.,  7.],
           [13., 15.]], dtype=float32)
    """
    return _pooling(nn.max_pool, "max_pooling2d", inputs, pool_size, strides, padding,
                    data_format, name)


def average_pooling2d(inputs, pool_size, strides, padding="valid",
                      data_format="channels_last", name=None):
    """Average pooling layer (NHWC; padding not counted).

    >>> import ndgrad.tf as tf
    >>> x = tf.reshape(tf.range(16.0), [1, 4, 4, 1])
    >>> tf.Session().run(tf.layers.average_pooling2d(x, 2, 2))[0, :, :, 0]
    array([[ 2.5,  4.5],
           [10.5, 12.5]], dtype=float32)
    """
    return _pooling(nn.avg_pool, "average_pooling2d", inputs, pool_size, strides, padding,
                    data_format, name)


def batch_normalization(inputs, axis=-1, momentum=0.99, epsilon=1e-3, center=True,
                        scale=True, beta_initializer=None, gamma_initializer=None,
                        moving_mean_initializer=None, moving_variance_initializer=None,
                        beta_regularizer=None, gamma_regularizer=None,
                        beta_constraint=None, gamma_constraint=None, training=False,
                        trainable=True, name=None, reuse=None, renorm=False,
                        renorm_clipping=None, renorm_momentum=0.99, fused=None,
                        virtual_batch_size=None, adjustment=None):
    """Batch normalization layer: normalizes with the batch's moments when ``training``
    (a bool or a bool tensor), else with ``<name>/moving_mean`` and
    ``moving_variance``; the ops that move those averages towards the batch's
    (``v -= (v - batch) * (1 - momentum)``; the variance unbiased where Keras uses TF's
    fused kernel: one channel axis, 1 or 3 of a 4-D input, 1 or 4 of a 5-D one) go to
    ``tf.GraphKeys.UPDATE_OPS``.

    >>> import ndgrad.tf as tf; tf.reset_default_graph()
    >>> x = tf.constant([[1.0], [3.0]])
    >>> y = tf.layers.batch_normalization(x, training=True, epsilon=0.0)
    >>> sess = tf.Session(); sess.run(tf.global_variables_initializer())
    >>> sess.run(y).ravel(), len(tf.get_collection(tf.GraphKeys.UPDATE_OPS))
    (array([-1.,  1.], dtype=float32), 2)
    """
    _refuse(beta_constraint=beta_constraint, gamma_constraint=gamma_constraint)
    if renorm or virtual_batch_size is not None or adjustment is not None:
        raise ValueError("batch_normalization: renorm, virtual_batch_size and adjustment "
                         "are not provided by ndgrad.tf")
    x = convert_to_tensor(inputs)
    shape = M._static_shape(x)
    if shape is None:
        raise ValueError("batch_normalization: the rank of the inputs must be known")
    r = len(shape)
    axes = [axis] if isinstance(axis, int) else list(axis)
    axes = [a % r for a in axes]
    if None in [shape[a] for a in axes]:
        raise ValueError(f"Input has undefined `axis` dimension. Input shape: {x.shape}")
    reduce_axes = [i for i in range(r) if i not in axes]
    bshape = [shape[i] if i in axes else 1 for i in range(r)]
    # Keras' parameters: one length per channel for one axis, else the broadcast shape
    # ([1, 6, 6, 1] for axes 1 and 2 of a 4-D input)
    params_shape = [shape[axes[0]]] if len(axes) == 1 else bshape
    dt = M._dt(x)
    # Keras' fused kernel (fused None or True): one channel axis, 1 or 3 of a 4-D input,
    # 1 or 4 of a 5-D one; it moves the variance by the unbiased batch variance
    use_fused = fused is not False and len(axes) == 1 and (
        r == 4 and axes[0] in (1, 3) or r == 5 and axes[0] in (1, 4))
    with _variable_scope.variable_scope(name, default_name="batch_normalization", reuse=reuse):
        gamma = _variable_scope.get_variable("gamma", params_shape, dtype=dt,
                               initializer=gamma_initializer or _init_ops.ones_initializer(),
                               regularizer=gamma_regularizer,
                               trainable=trainable) if scale else None
        beta = _variable_scope.get_variable("beta", params_shape, dtype=dt,
                              initializer=beta_initializer or _init_ops.zeros_initializer(),
                              regularizer=beta_regularizer,
                              trainable=trainable) if center else None
        mm = _variable_scope.get_variable("moving_mean", params_shape, dtype=dt,
                            initializer=moving_mean_initializer or _init_ops.zeros_initializer(),
                            trainable=False)
        mv = _variable_scope.get_variable("moving_variance", params_shape, dtype=dt,
                            initializer=moving_variance_initializer or _init_ops.ones_initializer(),
                            trainable=False)
        g = S.get_default_graph()
        for v in (mm, mv):
            # (by identity: an eager variable's == is elementwise)
            if not any(v is c for c in
                       g.get_collection(_variables.GraphKeys.MOVING_AVERAGE_VARIABLES)):
                g.add_to_collection(_variables.GraphKeys.MOVING_AVERAGE_VARIABLES, v)

        def normalize(mean, var):
            if len(axes) != 1 or axes[0] != r - 1:
                mean, var = M.reshape(mean, bshape), M.reshape(var, bshape)
                gm = None if gamma is None else M.reshape(gamma, bshape)
                bt = None if beta is None else M.reshape(beta, bshape)
            else:
                gm, bt = gamma, beta
            return nn.batch_normalization(x, mean, var, bt, gm, epsilon)

        def batch_stats():
            mean, var = nn.moments(x, reduce_axes)
            if len(axes) != 1:
                mean, var = M.reshape(mean, params_shape), M.reshape(var, params_shape)
            n = 1
            for i in reduce_axes:
                n = n * (shape[i] if shape[i] is not None else M.shape(x)[i])
            if not use_fused:
                return mean, var, var       # Keras' plain path moves by the biased one
            n = M.cast(n, dt)
            # the fused kernel reports the unbiased variance
            unbiased = var * n / M.maximum(n - 1, M.constant(1, dtype=dt))
            return mean, var, unbiased

        static = training if isinstance(training, bool) or training is None else None
        if static is not None and not static:
            return normalize(mm, mv)
        mean, var, unbiased = batch_stats()
        decay = M.constant(1 - momentum, dtype=dt)
        if static:
            out = normalize(mean, var)
            new_mean, new_var = mean, unbiased
        else:
            from .control_flow import cond
            out = cond(training, lambda: normalize(mean, var), lambda: normalize(mm, mv))
            # not training: the averages stay (zero step)
            decay = cond(training, lambda: decay, lambda: M.zeros_like(decay))
            new_mean, new_var = mean, unbiased
        up_m = S.assign_sub(mm, (mm - new_mean) * decay, name="AssignMovingAvg")
        up_v = S.assign_sub(mv, (mv - new_var) * decay, name="AssignMovingAvg_1")
        g.add_to_collection(_variables.GraphKeys.UPDATE_OPS, up_m)
        g.add_to_collection(_variables.GraphKeys.UPDATE_OPS, up_v)
    return out


def conv1d(inputs, filters, kernel_size, strides=1, padding="valid",
           data_format="channels_last", dilation_rate=1, activation=None, use_bias=True,
           kernel_initializer=None, bias_initializer=None, kernel_regularizer=None,
           bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
           bias_constraint=None, trainable=True, name=None, reuse=None):
    """1-D convolution layer over (batch, width, channels): ``<name>/kernel`` (k, in,
    filters) and ``<name>/bias``.

    >>> import ndgrad.tf as tf; tf.reset_default_graph()
    >>> tf.layers.conv1d(tf.ones([2, 10, 3]), 4, 3, padding="same").shape.as_list()
    [2, 10, 4]
    """
    _refuse(activity_regularizer=activity_regularizer, kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint)
    _channels_last(data_format)
    d = _pair(dilation_rate, "dilation_rate")[0]
    k = _pair(kernel_size, "kernel_size")[0]
    s = _pair(strides, "strides")[0]
    x, cin = _channels_known(inputs)
    with _variable_scope.variable_scope(name, default_name="conv1d", reuse=reuse):
        kernel = _variable_scope.get_variable("kernel", [k, cin, filters], dtype=M._dt(x),
                                initializer=kernel_initializer,
                                regularizer=kernel_regularizer, trainable=trainable)
        out = nn.convolution(x, kernel, _padding(padding), strides=[s], dilation_rate=[d])
        return _bias_activation(out, use_bias, filters, M._dt(x), bias_initializer,
                                trainable, activation, bias_regularizer)


def _pooling1d(fn, tfname, inputs, pool_size, strides, padding, data_format, name):
    _channels_last(data_format)
    p = _pair(pool_size, "pool_size")[0]
    s = _pair(strides, "strides")[0]
    g = S.get_default_graph()
    with g.name_scope(name or tfname):
        x = M.expand_dims(convert_to_tensor(inputs), 1)
        return M.squeeze(fn(x, [1, 1, p, 1], [1, 1, s, 1], _padding(padding)), [1])


def max_pooling1d(inputs, pool_size, strides, padding="valid",
                  data_format="channels_last", name=None):
    """Max pooling over the width of (batch, width, channels).

    >>> import ndgrad.tf as tf
    >>> x = tf.reshape(tf.range(6.0), [1, 6, 1])
    >>> tf.Session().run(tf.layers.max_pooling1d(x, 2, 2)).ravel()
    array([1., 3., 5.], dtype=float32)
    """
    return _pooling1d(nn.max_pool, "max_pooling1d", inputs, pool_size, strides, padding,
                      data_format, name)


def average_pooling1d(inputs, pool_size, strides, padding="valid",
                      data_format="channels_last", name=None):
    """Average pooling over the width of (batch, width, channels).

    >>> import ndgrad.tf as tf
    >>> x = tf.reshape(tf.range(6.0), [1, 6, 1])
    >>> tf.Session().run(tf.layers.average_pooling1d(x, 2, 2)).ravel()
    array([0.5, 2.5, 4.5], dtype=float32)
    """
    return _pooling1d(nn.avg_pool, "average_pooling1d", inputs, pool_size, strides,
                      padding, data_format, name)


__all__ += ["conv1d", "max_pooling1d", "average_pooling1d"]


# -- layer objects: the functions above, their variables made on the first call ------
class Layer:
    """A TF 1 layer object: its variable scope (``<name>`` or a fresh ``<base>_N``) is
    fixed on the first call, and later calls share its variables.

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default():
    ...     layer = tf.layers.Dense(2, name="out")
    ...     y = layer(tf.ones([1, 3]))
    ...     print(isinstance(layer, tf.layers.Layer), layer.name,
    ...           [v.name for v in layer.variables])
    True out ['out/kernel:0', 'out/bias:0']
    """

    _base = "layer"

    def __init__(self, *args, name=None, **kwargs):
        self._args = args
        self._kwargs = kwargs
        self._given = name
        self._scope = None
        self.built = False

    @property
    def name(self):
        return self._scope.name.split("/")[-1] if self._scope is not None else (
            self._given or self._base)

    @property
    def variables(self):
        if self._scope is None:
            return []
        pre = self._scope.name + "/"
        return [v for v in _variables.global_variables() if v.op.name.startswith(pre)]

    trainable_variables = trainable_weights = property(
        lambda self: [v for v in self.variables if v in _variables.trainable_variables()])
    weights = variables

    def _scope_for_call(self):
        st = _variable_scope._vs_state(S.get_default_graph())
        cur = st["current"]
        if self._scope is None:
            nm = self._given or _variable_scope._unique_var_scope(st, self._base)
            full = cur.name + "/" + nm if cur.name else nm
            self._scope = _variable_scope.VariableScope(None, full, cur.initializer, cur.dtype)
            return self._scope, None
        return self._scope, True

    def __call__(self, inputs, *args, **kwargs):
        scope, reuse = self._scope_for_call()
        out = self._fn(inputs, *self._args, *args, name=scope, reuse=reuse,
                       **self._kwargs, **kwargs)
        self.built = True
        return out

    apply = __call__


class _Stateless(Layer):
    """A layer without variables (pooling, flatten, dropout): only a name scope."""

    def __call__(self, inputs, *args, **kwargs):
        out = self._fn(inputs, *self._args, *args, name=self._given, **self._kwargs,
                       **kwargs)
        self.built = True
        return out

    apply = __call__


def _layer_class(name, fn, base, stateless=False, doc=None):
    cls = type(name, (_Stateless if stateless else Layer,),
               {"_fn": staticmethod(fn), "_base": base,
                "__doc__": doc or f"The object form of ``tf.layers.{fn.__name__}``."})
    return cls


Dense = _layer_class("Dense", dense, "dense", doc='''The object form of
    ``tf.layers.dense``: variables ``<name>/kernel`` and ``bias`` made on the first call
    and shared by later ones.

    >>> import ndgrad.tf as tf; tf.reset_default_graph()
    >>> d = tf.layers.Dense(4)
    >>> y1, y2 = d(tf.ones([2, 3])), d(tf.zeros([5, 3]))
    >>> [v.name for v in tf.trainable_variables()]
    ['dense/kernel:0', 'dense/bias:0']
    ''')
Conv1D = _layer_class("Conv1D", conv1d, "conv1d", doc='''The object form of
    ``tf.layers.conv1d``.

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default():
    ...     conv = tf.layers.Conv1D(4, 3, padding="same")
    ...     y = conv(tf.ones([2, 10, 3]))
    ...     print(y.shape.as_list(), [v.shape.as_list() for v in conv.variables])
    [2, 10, 4] [[3, 3, 4], [4]]
    ''')
Conv2D = _layer_class("Conv2D", conv2d, "conv2d", doc='''The object form of
    ``tf.layers.conv2d``.

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default():
    ...     conv = tf.layers.Conv2D(1, 2, kernel_initializer=tf.ones_initializer())
    ...     y = conv(tf.ones([1, 3, 3, 1]))
    ...     with tf.Session() as s:
    ...         s.run(tf.global_variables_initializer())
    ...         print(s.run(y)[0, :, :, 0], [v.name for v in conv.variables])
    [[4. 4.]
     [4. 4.]] ['conv2d/kernel:0', 'conv2d/bias:0']
    ''')
Conv2DTranspose = _layer_class("Conv2DTranspose", conv2d_transpose, "conv2d_transpose",
                               doc='''The object form of ``tf.layers.conv2d_transpose``.

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default():
    ...     up = tf.layers.Conv2DTranspose(1, 2, strides=2,
    ...                                    kernel_initializer=tf.ones_initializer())
    ...     y = up(tf.constant([[[[1.0], [2.0]], [[3.0], [4.0]]]]))
    ...     with tf.Session() as s:
    ...         s.run(tf.global_variables_initializer())
    ...         print(s.run(y)[0, :, :, 0])
    [[1. 1. 2. 2.]
     [1. 1. 2. 2.]
     [3. 3. 4. 4.]
     [3. 3. 4. 4.]]
    ''')
SeparableConv2D = _layer_class("SeparableConv2D", separable_conv2d, "separable_conv2d",
                               doc='''The object form of ``tf.layers.separable_conv2d``.

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default():
    ...     conv = tf.layers.SeparableConv2D(4, 3, depth_multiplier=2)
    ...     y = conv(tf.ones([1, 5, 5, 2]))
    ...     print(y.shape.as_list(), [v.shape.as_list() for v in conv.variables])
    [1, 3, 3, 4] [[3, 3, 2, 2], [1, 1, 4, 4], [4]]
    ''')
BatchNormalization = _layer_class("BatchNormalization", batch_normalization, "batch_normalization",
                                  doc='''The object form of ``tf.layers.batch_normalization``.

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default():
    ...     bn = tf.layers.BatchNormalization(epsilon=0.0)
    ...     y = bn(tf.constant([[1.0], [3.0]]), training=True)
    ...     with tf.Session() as s:
    ...         s.run(tf.global_variables_initializer())
    ...         print(s.run(y).ravel(), [v.name for v in bn.trainable_variables])
    [-1.  1.] ['batch_normalization/gamma:0', 'batch_normalization/beta:0']
    ''')
MaxPooling1D = _layer_class("MaxPooling1D", max_pooling1d, "max_pooling1d", True,
                            doc='''The object form of ``tf.layers.max_pooling1d``.

    >>> import ndgrad.tf as tf
    >>> x = tf.reshape(tf.range(6.0), [1, 6, 1])
    >>> tf.Session().run(tf.layers.MaxPooling1D(2, 2)(x)).ravel()
    array([1., 3., 5.], dtype=float32)
    ''')
AveragePooling1D = _layer_class("AveragePooling1D", average_pooling1d, "average_pooling1d", True,
                                doc='''The object form of ``tf.layers.average_pooling1d``.

    >>> import ndgrad.tf as tf
    >>> x = tf.reshape(tf.range(5.0), [1, 5, 1])
    >>> tf.Session().run(tf.layers.AveragePooling1D(2, 2, padding="same")(x)).ravel()
    array([0.5, 2.5, 4. ], dtype=float32)
    ''')
MaxPooling2D = _layer_class("MaxPooling2D", max_pooling2d, "max_pooling2d", True,
                            doc='''The object form of ``tf.layers.max_pooling2d``.

    >>> import ndgrad.tf as tf
    >>> x = tf.reshape(tf.range(9.0), [1, 3, 3, 1])
    >>> tf.Session().run(tf.layers.MaxPooling2D(2, 1)(x))[0, :, :, 0]
    array([[4., 5.],
           [7., 8.]], dtype=float32)
    ''')
AveragePooling2D = _layer_class("AveragePooling2D", average_pooling2d, "average_pooling2d", True,
                                doc='''The object form of ``tf.layers.average_pooling2d``.

    >>> import ndgrad.tf as tf
    >>> x = tf.reshape(tf.range(9.0), [1, 3, 3, 1])
    >>> tf.Session().run(tf.layers.AveragePooling2D(2, 1)(x))[0, :, :, 0]
    array([[2., 3.],
           [5., 6.]], dtype=float32)
    ''')
Flatten = _layer_class("Flatten", flatten, "flatten", True, doc='''The object form of
    ``tf.layers.flatten``.

    >>> import ndgrad.tf as tf
    >>> tf.layers.Flatten()(tf.placeholder(tf.float32, [None, 2, 3])).shape.as_list()
    [None, 6]
    ''')
Dropout = _layer_class("Dropout", dropout, "dropout", True, doc='''The object form of
    ``tf.layers.dropout``.

    >>> import ndgrad.tf as tf
    >>> drop = tf.layers.Dropout(0.5)
    >>> x = tf.ones([1000])
    >>> with tf.Session() as s:
    ...     print(s.run(drop(x))[:4], sorted(set(s.run(drop(x, training=True)).tolist())))
    [1. 1. 1. 1.] [0.0, 2.0]
    ''')

__all__ += ["Layer", "Dense", "Conv1D", "Conv2D", "Conv2DTranspose", "SeparableConv2D",
            "BatchNormalization", "MaxPooling1D", "AveragePooling1D", "MaxPooling2D", "AveragePooling2D",
            "Flatten", "Dropout"]

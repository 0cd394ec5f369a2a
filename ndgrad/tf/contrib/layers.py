"""``tf.contrib.layers``: ``fully_connected``, ``flatten``, ``xavier_initializer`` (and
``variance_scaling_initializer``), with contrib's variable names (``weights``,
``biases``)."""
from __future__ import annotations

import numpy as np

from .. import math_ops as M
from .. import nn
from .. import state_ops as S
from .. import init_ops as _init_ops
from .. import variable_scopes as _variable_scope
from ..framework import build, convert_to_tensor

__all__ = ["fully_connected", "flatten", "xavier_initializer",
           "xavier_initializer_conv2d", "variance_scaling_initializer", "l2_regularizer",
           "l1_regularizer"]


def _check_scale(scale):
    import numbers
    if isinstance(scale, numbers.Integral):
        raise ValueError(f"scale cannot be an integer: {scale}")
    if isinstance(scale, numbers.Real) and scale < 0:
        raise ValueError(f"Setting a scale less than 0 on a regularizer: {scale}")


def l2_regularizer(scale, scope=None):
    """A function ``w -> scale * sum(w ** 2) / 2`` (None for scale 0), for
    ``get_variable(regularizer=...)`` and the layers' ``kernel_regularizer``.

    >>> import ndgrad.tf as tf; tf.reset_default_graph()
    >>> w = tf.get_variable("w", initializer=[3.0, 4.0],
    ...                     regularizer=tf.contrib.layers.l2_regularizer(0.1))
    >>> sess = tf.Session(); sess.run(tf.global_variables_initializer())
    >>> float(sess.run(tf.losses.get_regularization_loss()))
    1.25
    """
    return _regularizer(scale, scope, "l2_regularizer", nn.l2_loss)


def l1_regularizer(scale, scope=None):
    """A function ``w -> scale * sum(|w|)`` (None for scale 0).

    >>> import ndgrad.tf as tf
    >>> r = tf.contrib.layers.l1_regularizer(0.5)(tf.constant([-1.0, 2.0]))
    >>> float(tf.Session().run(r))
    1.5
    """
    return _regularizer(scale, scope, "l1_regularizer",
                        lambda w: M.reduce_sum(M.abs(w)))


def _regularizer(scale, scope, default, penalty):
    """``w -> scale * penalty(w)`` named as contrib names it (the op takes the scope's
    name), or a function returning None for scale 0."""
    _check_scale(scale)
    if scale == 0:
        return lambda weights: None

    def reg(weights):
        return build(scope, default, lambda: M.multiply(M.cast(scale, M._dt(weights)),
                                                        penalty(weights)))
    return reg


def xavier_initializer(uniform=True, seed=None, dtype=np.float32):
    """Glorot's initializer: uniform in ``+-sqrt(6 / (fan_in + fan_out))``, or normal
    (truncated) with the matching variance.

    >>> import ndgrad.tf as tf; tf.reset_default_graph()
    >>> w = tf.get_variable("w", [30, 20], initializer=tf.contrib.layers.xavier_initializer())
    >>> sess = tf.Session(); sess.run(tf.global_variables_initializer())
    >>> bool(abs(sess.run(w)).max() <= (6 / 50) ** 0.5)
    True
    """
    return _init_ops.glorot_uniform_initializer(seed, dtype) if uniform \
        else _init_ops.glorot_normal_initializer(seed, dtype)


xavier_initializer_conv2d = xavier_initializer


def variance_scaling_initializer(factor=2.0, mode="FAN_IN", uniform=False, seed=None,
                                 dtype=np.float32):
    """contrib's He-style initializer (``factor / fan`` variance).

    >>> import ndgrad.tf as tf; tf.reset_default_graph()
    >>> init = tf.contrib.layers.variance_scaling_initializer()
    >>> w = tf.get_variable("w", [200, 100], initializer=init)
    >>> sess = tf.Session(); sess.run(tf.global_variables_initializer())
    >>> round(float(sess.run(w).std() * 10), 0)      # ~sqrt(2 / 200) * 10
    1.0
    """
    if mode not in ("FAN_IN", "FAN_OUT", "FAN_AVG"):
        raise TypeError(f"Unknown mode {mode} [FAN_IN, FAN_OUT, FAN_AVG]")
    return _init_ops.variance_scaling_initializer(
        scale=factor, mode={"FAN_IN": "fan_in", "FAN_OUT": "fan_out",
                            "FAN_AVG": "fan_avg"}[mode],
        distribution="uniform" if uniform else "truncated_normal", seed=seed, dtype=dtype)


def flatten(inputs, outputs_collections=None, scope=None):
    """``inputs`` reshaped to ``(batch, everything else)``.

    >>> import ndgrad.tf as tf; tf.reset_default_graph()
    >>> tf.contrib.layers.flatten(tf.zeros([2, 3, 4]))
    <tf.Tensor 'Flatten/flatten/Reshape:0' shape=(2, 12) dtype=float32>
    """
    g = S.get_default_graph()
    with g.name_scope(scope or "Flatten"):
        x = convert_to_tensor(inputs)
        shape = M._static_shape(x)
        if shape is None or len(shape) < 2:
            raise ValueError(f"Inputs must have a least 2 dimensions, got shape {x.shape}")
        rest = shape[1:]
        n = int(np.prod(rest)) if None not in rest else -1
        with g.name_scope("flatten"):
            if n != -1:
                return M.reshape(x, (-1, n))
            if shape[0] is not None:
                return M.reshape(x, (shape[0], -1))
            return M.reshape(x, M.stack([M.shape(x)[0], -1]))


def fully_connected(inputs, num_outputs, activation_fn=nn.relu, normalizer_fn=None,
                    normalizer_params=None, weights_initializer=None,
                    weights_regularizer=None, biases_initializer=_init_ops.zeros_initializer(),
                    biases_regularizer=None, reuse=None, variables_collections=None,
                    outputs_collections=None, trainable=True, scope=None):
    """``activation_fn(inputs @ weights + biases)`` (ReLU by default) with variables
    ``<scope>/weights`` (Xavier-initialized) and ``<scope>/biases``; ``normalizer_fn``
    replaces the biases, as in contrib.

    >>> import ndgrad.tf as tf; tf.reset_default_graph()
    >>> h = tf.contrib.layers.fully_connected(tf.ones([2, 3]), 4)
    >>> h.shape.as_list(), [v.name for v in tf.trainable_variables()]
    ([2, 4], ['fully_connected/weights:0', 'fully_connected/biases:0'])
    """
    x = convert_to_tensor(inputs)
    shape = M._static_shape(x)
    if shape is None or shape[-1] is None:
        raise ValueError(f"fully_connected: the last dimension of the inputs must be "
                         f"known, got shape {x.shape}")
    with _variable_scope.variable_scope(scope, default_name="fully_connected", reuse=reuse):
        w = _variable_scope.get_variable("weights", [shape[-1], num_outputs], dtype=M._dt(x),
                           initializer=weights_initializer or xavier_initializer(),
                           regularizer=weights_regularizer, trainable=trainable)
        out = M.tensordot(x, w, [[len(shape) - 1], [0]]) if len(shape) > 2 \
            else M.matmul(x, w)
        if normalizer_fn is not None:
            out = normalizer_fn(out, **(normalizer_params or {}))
        elif biases_initializer is not None:
            b = _variable_scope.get_variable("biases", [num_outputs], dtype=M._dt(x),
                               initializer=biases_initializer,
                               regularizer=biases_regularizer, trainable=trainable)
            out = nn.bias_add(out, b)
        if activation_fn is not None:
            out = activation_fn(out)
    return out

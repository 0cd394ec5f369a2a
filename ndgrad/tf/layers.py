"""``tf.layers``: ``dense``, ``dropout``, ``flatten`` (variables via ``get_variable``, as in
TF 1: ``dense/kernel:0``, ``dense/bias:0``, then ``dense_1/...``)."""
from __future__ import annotations

import numpy as np

from . import math_ops as M
from . import nn
from . import state_ops as S
from .framework import convert_to_tensor

__all__ = ["dense", "dropout", "flatten"]


def dense(inputs, units, activation=None, use_bias=True, kernel_initializer=None,
          bias_initializer=None, kernel_regularizer=None, bias_regularizer=None,
          activity_regularizer=None, kernel_constraint=None, bias_constraint=None,
          trainable=True, name=None, reuse=None):
    """``activation(inputs @ kernel + bias)`` with variables ``<name>/kernel`` and
    ``<name>/bias``."""
    x = convert_to_tensor(inputs)
    xs = M._static_shape(x)
    in_dim = xs[-1]
    if in_dim is None:
        raise ValueError("The last dimension of the inputs to `Dense` should be defined. "
                         "Found `None`.")
    with S.variable_scope(name, default_name="dense", reuse=reuse):
        kernel = S.get_variable("kernel", [in_dim, units], dtype=M._dt(x),
                                initializer=kernel_initializer, trainable=trainable)
        out = M.tensordot(x, kernel, [[len(xs) - 1], [0]]) if len(xs) > 2 \
            else M.matmul(x, kernel)
        if use_bias:
            bias = S.get_variable("bias", [units], dtype=M._dt(x),
                                  initializer=bias_initializer or S.zeros_initializer(),
                                  trainable=trainable)
            out = nn.bias_add(out, bias)
        if activation is not None:
            out = activation(out)
    return out


def dropout(inputs, rate=0.5, noise_shape=None, seed=None, training=False, name=None):
    """``nn.dropout`` with drop probability ``rate`` when ``training``, else identity."""
    if isinstance(training, bool) or training is None:
        if not training:
            return M.identity(inputs, name=name)
        return nn.dropout(inputs, keep_prob=1 - rate, noise_shape=noise_shape, seed=seed,
                          name=name)
    from .control_flow import cond
    return cond(training, lambda: nn.dropout(inputs, keep_prob=1 - rate, seed=seed),
                lambda: M.identity(inputs), name=name)


def flatten(inputs, name=None, data_format="channels_last"):
    """``inputs`` reshaped to ``(batch, -1)``."""
    x = convert_to_tensor(inputs)
    rest = M._static_shape(x)[1:]
    n = int(np.prod(rest)) if None not in rest else -1
    return M.reshape(x, (-1, n), name=name or "flatten")

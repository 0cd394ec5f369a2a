"""TF 1.x's sub-namespaces (``tf.math``, ``tf.random``, ``tf.losses``, ``tf.initializers``,
``tf.logging``, ``tf.compat.v1``) and the configuration objects sessions accept."""
from __future__ import annotations

import contextlib
import logging as _logging
import types

import numpy as np

from . import math_ops as M
from . import state_ops as S
from . import init_ops as _init_ops
from . import random_ops as _random_ops
from . import variables as _variables
from . import extra_ops as E
from . import nn
from .framework import build, convert_to_tensor


def _module(name, doc, **items):
    m = types.ModuleType(f"ndgrad.tf.{name}", doc)
    for k, v in items.items():
        setattr(m, k, v)
    return m


math = _module("math", "tf.math: the elementwise and reduction functions.",
               **{n: getattr(M, n) for n in M.__all__},
               **{n: getattr(E, n) for n in ("cumsum", "cumprod", "count_nonzero")},
               log_sigmoid=E.log_sigmoid, softplus=nn.softplus, top_k=E.top_k,
               divide_no_nan=lambda x, y, name=None: M.where(
                   M.equal(y, M.zeros_like(y)), M.zeros_like(x), M.truediv(x, y)))

from . import candidate_sampling as _cs  # noqa: E402
random = _module("random", "tf.random: random tensors and the graph-level seed.",
                 normal=_random_ops.random_normal, uniform=_random_ops.random_uniform,
                 truncated_normal=_random_ops.truncated_normal, shuffle=_random_ops.random_shuffle,
                 set_random_seed=_random_ops.set_random_seed, categorical=_random_ops.categorical,
                 multinomial=_random_ops.multinomial,
                 log_uniform_candidate_sampler=_cs.log_uniform_candidate_sampler,
                 uniform_candidate_sampler=_cs.uniform_candidate_sampler)

initializers = _module(
    "initializers", "tf.initializers.", zeros=_init_ops.zeros_initializer, ones=_init_ops.ones_initializer,
    constant=_init_ops.constant_initializer, random_normal=_init_ops.random_normal_initializer,
    truncated_normal=_init_ops.truncated_normal_initializer,
    random_uniform=_init_ops.random_uniform_initializer, glorot_uniform=_init_ops.glorot_uniform_initializer,
    glorot_normal=_init_ops.glorot_normal_initializer,
    variance_scaling=_init_ops.variance_scaling_initializer,
    global_variables=_variables.global_variables_initializer,
    variables=_variables.variables_initializer)


# -- tf.losses ----------------------------------------------------------------------------
class Reduction:
    NONE = "none"
    SUM = "weighted_sum"
    MEAN = "weighted_mean"
    SUM_OVER_BATCH_SIZE = "weighted_sum_over_batch_size"
    SUM_OVER_NONZERO_WEIGHTS = SUM_BY_NONZERO_WEIGHTS = "weighted_sum_by_nonzero_weights"


def _reduce_loss(losses, weights, reduction):
    losses = convert_to_tensor(losses)
    w = M.cast(convert_to_tensor(weights), losses.dtype) if not isinstance(
        weights, (int, float)) else weights
    weighted = losses * w
    if reduction == Reduction.NONE:
        return weighted
    total = M.reduce_sum(weighted)
    if reduction == Reduction.SUM:
        return total
    if reduction == Reduction.MEAN:
        return total / M.reduce_sum(M.ones_like(losses) * w)
    if reduction == Reduction.SUM_OVER_BATCH_SIZE:
        return total / M.cast(M.size(losses), losses.dtype)
    nonzero = M.reduce_sum(M.cast(M.not_equal(M.ones_like(losses) * w, 0), losses.dtype))
    return M.where(M.greater(nonzero, 0), total / M.maximum(nonzero, 1.0),
                   M.zeros_like(total))


def _loss(name, fn):
    def f(*args, weights=1.0, scope=None, loss_collection="losses",
          reduction=Reduction.SUM_BY_NONZERO_WEIGHTS, **kw):
        def g():
            out = _reduce_loss(fn(*args, **kw), weights, reduction)
            if loss_collection:
                S.get_default_graph().add_to_collection(loss_collection, out)
            return out
        return build(scope, name, g)
    f.__name__ = name
    return f


def _mse(labels, predictions):
    p = convert_to_tensor(predictions)
    return M.square(p - M.cast(convert_to_tensor(labels), p.dtype))


def _abs(labels, predictions):
    p = convert_to_tensor(predictions)
    return M.abs(p - M.cast(convert_to_tensor(labels), p.dtype))


def _huber(labels, predictions, delta=1.0):
    p = convert_to_tensor(predictions)
    err = M.abs(p - M.cast(convert_to_tensor(labels), p.dtype))
    q = M.minimum(err, delta)
    return 0.5 * q * q + delta * (err - q)


def _softmax_xent(onehot_labels, logits, label_smoothing=0):
    return nn.softmax_cross_entropy_with_logits_v2(labels=M.stop_gradient(onehot_labels),
                                                   logits=logits)


def _sparse_xent(labels, logits):
    return nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)


def _sigmoid_xent(multi_class_labels, logits, label_smoothing=0):
    x = convert_to_tensor(logits)
    return nn.sigmoid_cross_entropy_with_logits(labels=M.cast(multi_class_labels, x.dtype),
                                                logits=x)


def _log_loss(labels, predictions, epsilon=1e-7):
    p = convert_to_tensor(predictions)
    y = M.cast(convert_to_tensor(labels), p.dtype)
    return -y * M.log(p + epsilon) - (1 - y) * M.log(1 - p + epsilon)


def _get_regularization_loss(scope=None, name="total_regularization_loss"):
    ls = S.get_default_graph().get_collection("regularization_losses", scope)
    if not ls:
        return M.constant(0.0, name=name)
    return M.add_n(ls, name=name)


def _get_total_loss(add_regularization_losses=True, name="total_loss"):
    ls = S.get_default_graph().get_collection("losses")
    if add_regularization_losses:
        ls = ls + S.get_default_graph().get_collection("regularization_losses")
    return M.add_n(ls, name=name)


losses = _module("losses", "tf.losses: losses reduced by TF's default (the mean over "
                 "nonzero weights), added to the 'losses' collection.",
                 Reduction=Reduction, mean_squared_error=_loss("mean_squared_error", _mse),
                 absolute_difference=_loss("absolute_difference", _abs),
                 huber_loss=_loss("huber_loss", _huber),
                 softmax_cross_entropy=_loss("softmax_cross_entropy_loss", _softmax_xent),
                 sparse_softmax_cross_entropy=_loss("sparse_softmax_cross_entropy_loss",
                                                    _sparse_xent),
                 sigmoid_cross_entropy=_loss("sigmoid_cross_entropy_loss", _sigmoid_xent),
                 log_loss=_loss("log_loss", _log_loss), get_total_loss=_get_total_loss,
                 get_regularization_losses=lambda scope=None: S.get_default_graph(
                 ).get_collection("regularization_losses", scope),
                 get_regularization_loss=_get_regularization_loss,
                 get_losses=lambda scope=None, loss_collection="losses":
                 S.get_default_graph().get_collection(loss_collection, scope))

# -- logging and configuration ---------------------------------------------------------
_log = _logging.getLogger("ndgrad.tf")
logging = _module("logging", "tf.logging: Python logging under the name 'ndgrad.tf'.",
                  DEBUG=_logging.DEBUG, INFO=_logging.INFO, WARN=_logging.WARNING,
                  ERROR=_logging.ERROR, FATAL=_logging.CRITICAL,
                  set_verbosity=_log.setLevel, get_verbosity=_log.getEffectiveLevel,
                  debug=_log.debug, info=_log.info, warn=_log.warning,
                  warning=_log.warning, error=_log.error, fatal=_log.critical)


class ConfigProto:
    """Session configuration: accepted and kept; ndgrad runs on the CPU with NumPy."""

    def __init__(self, **kwargs):
        self.__dict__.update(kwargs)
        self.gpu_options = kwargs.get("gpu_options", GPUOptions())


class GPUOptions:
    def __init__(self, **kwargs):
        self.__dict__.update(kwargs)
        self.allow_growth = kwargs.get("allow_growth", False)


class RunOptions:
    FULL_TRACE = 3
    NO_TRACE = 0

    def __init__(self, **kwargs):
        self.__dict__.update(kwargs)


class RunMetadata:
    def __init__(self, **kwargs):
        self.__dict__.update(kwargs)


def device(device_name_or_function):
    """Device placement: accepted, no effect (ndgrad's graph runs on NumPy)."""
    return contextlib.nullcontext()


def tables_initializer(name="init_all_tables"):
    return S.no_op(name=name)


_ = np

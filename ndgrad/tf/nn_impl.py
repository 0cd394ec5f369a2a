"""TF's nn_impl: the sampled losses (``tf.nn.nce_loss``, ``tf.nn.sampled_softmax_loss``,
computed as TensorFlow's ``_compute_sampled_logits`` does: true and sampled logits from
the rows of ``weights``/``biases``, corrected by the log of the expected counts) and
``tf.nn.fused_batch_norm``."""
from __future__ import annotations

import numpy as np

from . import math_ops as M
from . import nn
from . import op_dtypes as _op_dtypes
from .candidate_sampling import log_uniform_candidate_sampler
from .framework import build, convert_to_tensor

__all__ = ["nce_loss", "sampled_softmax_loss", "fused_batch_norm"]

_FLT_MAX = float(np.finfo(np.float32).max)


def _sampled_logits(weights, biases, labels, inputs, num_sampled, num_classes, num_true,
                    sampled_values, subtract_log_q, remove_accidental_hits,
                    partition_strategy, seed):
    x = convert_to_tensor(inputs)
    lab = convert_to_tensor(labels)
    if M._dt(lab) != np.int64:
        lab = M.cast(lab, np.int64)
    ls = M._static_shape(lab)
    if ls is not None and (len(ls) != 2 or (ls[1] is not None and ls[1] != num_true)):
        raise ValueError(f"labels must have shape (batch, num_true={num_true}), got "
                         f"{lab.shape}")
    flat = M.reshape(lab, [-1])
    if sampled_values is None:
        sampled_values = log_uniform_candidate_sampler(lab, num_true, num_sampled, True,
                                                       num_classes, seed=seed)
    sampled, true_count, sampled_count = (M.stop_gradient(convert_to_tensor(v))
                                          for v in sampled_values)
    sampled = M.cast(sampled, np.int64)
    # TF gathers the true and sampled rows in one lookup and slices; two lookups give
    # the same rows (and gradients)
    true_w = nn.embedding_lookup(weights, flat, partition_strategy=partition_strategy)
    sampled_w = nn.embedding_lookup(weights, sampled, partition_strategy=partition_strategy)
    true_b = nn.embedding_lookup(biases, flat, partition_strategy=partition_strategy)
    sampled_b = nn.embedding_lookup(biases, sampled, partition_strategy=partition_strategy)
    dim = M._static_shape(x)[-1]
    sampled_logits = M.matmul(x, sampled_w, transpose_b=True) + sampled_b
    tw = M.reshape(true_w, [-1, num_true, dim])
    true_logits = M.reduce_sum(M.expand_dims(x, 1) * tw, axis=2) + \
        M.reshape(true_b, [-1, num_true])
    if remove_accidental_hits:
        hits = M.reduce_any(M.equal(M.expand_dims(lab, 2),
                                    M.reshape(sampled, [1, 1, -1])), axis=1)
        sampled_logits = sampled_logits + M.where(
            hits, M.fill(M.shape(hits), -_FLT_MAX), M.zeros_like(sampled_logits))
    if subtract_log_q:
        true_logits = true_logits - M.log(true_count)
        sampled_logits = sampled_logits - M.log(sampled_count)
    logits = M.concat([true_logits, sampled_logits], 1)
    targets = M.concat([M.ones_like(true_logits) / num_true,
                        M.zeros_like(sampled_logits)], 1)
    return logits, targets


def nce_loss(weights, biases, labels, inputs, num_sampled, num_classes, num_true=1,
             sampled_values=None, remove_accidental_hits=False, partition_strategy="mod",
             name="nce_loss"):
    """Noise-contrastive estimation loss per example: sigmoid cross entropy of the true
    classes against ``num_sampled`` classes from the log-uniform sampler (or
    ``sampled_values``), summed over them; shape (batch,).

    >>> import ndgrad.tf as tf; tf.reset_default_graph()
    >>> w, b = tf.ones([10, 4]), tf.zeros([10])
    >>> loss = tf.nn.nce_loss(w, b, [[1], [2]], tf.ones([2, 4]), num_sampled=3,
    ...                       num_classes=10)
    >>> loss.shape.as_list()
    [2]
    """
    def f():
        logits, targets = _sampled_logits(weights, biases, labels, inputs, num_sampled,
                                          num_classes, num_true, sampled_values, True,
                                          remove_accidental_hits, partition_strategy, None)
        losses = nn.sigmoid_cross_entropy_with_logits(labels=targets, logits=logits,
                                                      name="sampled_losses")
        return M.reduce_sum(losses, axis=1)
    return build(name, "nce_loss", f)


def sampled_softmax_loss(weights, biases, labels, inputs, num_sampled, num_classes,
                         num_true=1, sampled_values=None, remove_accidental_hits=True,
                         partition_strategy="mod", name="sampled_softmax_loss", seed=None):
    """Softmax cross entropy over the true classes and ``num_sampled`` sampled ones
    (accidental hits of a true class among the samples removed by default); shape
    (batch,).

    >>> import ndgrad.tf as tf; tf.reset_default_graph()
    >>> sampled = ([3, 4], [[0.5]], [0.5, 0.5])       # fixed (sampled, expected counts)
    >>> loss = tf.nn.sampled_softmax_loss(tf.zeros([10, 4]), tf.zeros([10]), [[1]],
    ...                                   tf.ones([1, 4]), 2, 10, sampled_values=sampled)
    >>> round(float(tf.Session().run(loss)[0]), 4)      # log(3): three equal logits
    1.0986
    """
    def f():
        logits, targets = _sampled_logits(weights, biases, labels, inputs, num_sampled,
                                          num_classes, num_true, sampled_values, True,
                                          remove_accidental_hits, partition_strategy, seed)
        targets = M.stop_gradient(targets)
        return nn.softmax_cross_entropy_with_logits_v2(labels=targets, logits=logits)
    return build(name, "sampled_softmax_loss", f)


_FUSED_LAYOUTS = {"NHWC": -1, "NDHWC": -1, "NCHW": 1, "NCDHW": 1}


def fused_batch_norm(x, scale, offset, mean=None, variance=None, epsilon=0.001,
                     data_format="NHWC", is_training=True, name=None,
                     exponential_avg_factor=1.0):
    """TF's FusedBatchNormV3: ``(y, running_mean, running_var)`` for a 4-D or 5-D ``x``
    (float16 or float32; the statistics float32) normalized per channel (the last axis
    for "NHWC"/"NDHWC", axis 1 for "NCHW"/"NCDHW").

    Training (``is_training``): the batch's mean and biased variance normalize ``x``; the
    variance returned is the unbiased one (``n / (n - 1)``, as TF's kernel), each blended
    with the given ``mean``/``variance`` when ``exponential_avg_factor`` is not 1
    (``(1 - f) * old + f * batch``). Inference: the given ``mean`` and ``variance``
    normalize and are returned. As TF's gradient, ``y``'s reaches ``x``, ``scale`` and
    ``offset``; the statistics returned pass none back.

    >>> import ndgrad.tf as tf
    >>> x = tf.constant([[[[1.0], [3.0]]]])          # NHWC, one channel
    >>> y, m, v = tf.nn.fused_batch_norm(x, [2.0], [0.5], epsilon=0.0)
    >>> with tf.Session() as s:
    ...     print(s.run(tf.reshape(y, [-1])), s.run(m), s.run(v))
    [-1.5  2.5] [2.] [2.]
    """
    if (not is_training or exponential_avg_factor != 1.0) and (
            mean is None or variance is None):
        raise ValueError("Both `mean` and `variance` must be a 1D tensor when `is_training` "
                         "is False or `exponential_avg_factor` != 1.0. Received: `mean` "
                         f"{mean!r} and `variance` {variance!r}")
    if data_format not in _FUSED_LAYOUTS:
        raise ValueError(f"fused_batch_norm: data_format must be one of "
                         f"{', '.join(_FUSED_LAYOUTS)}, got {data_format!r}")

    def f():
        t = convert_to_tensor(x)
        dt = M._dt(t)
        _op_dtypes.refuse(dt, ("float16", "float32"), "x",   # (TF's: half, bfloat16, float)
                          "tf.nn.fused_batch_norm, op FusedBatchNormV3")
        shape = t.shape.as_list() if hasattr(t.shape, "as_list") else list(t.shape)
        if len(shape) not in (4, 5) or len(data_format) != len(shape):
            raise ValueError(f"fused_batch_norm: x must be 4-D or 5-D as data_format "
                             f"{data_format!r} says, got shape {tuple(shape)}")
        ch = _FUSED_LAYOUTS[data_format] % len(shape)
        axes = [a for a in range(len(shape)) if a != ch]
        xf = t if dt == np.float32 else M.cast(t, np.float32)
        sc = convert_to_tensor(scale, dtype=np.float32)
        of = convert_to_tensor(offset, dtype=np.float32)

        def along(v):   # a per-channel vector shaped to broadcast against x
            return v if ch == len(shape) - 1 else M.reshape(v, [-1] + [1] * (len(shape) - 2))
        if is_training:
            m, v = nn.moments(xf, axes)
            y = nn.batch_normalization(xf, along(m), along(v), along(of), along(sc), epsilon)
            known = [shape[a] for a in axes]
            n = (M.constant(float(np.prod(known)), np.float32) if None not in known else
                 M.cast(M.reduce_prod(M.gather(M.shape(xf), axes)), np.float32))
            v = v * (n / M.maximum(n - 1.0, 1.0))
            if exponential_avg_factor != 1.0:
                fa = float(exponential_avg_factor)
                m = (1.0 - fa) * convert_to_tensor(mean, dtype=np.float32) + fa * m
                v = (1.0 - fa) * convert_to_tensor(variance, dtype=np.float32) + fa * v
            m_out, v_out = M.stop_gradient(m), M.stop_gradient(v)
        else:
            m_out = convert_to_tensor(mean, dtype=np.float32)
            v_out = convert_to_tensor(variance, dtype=np.float32)
            y = nn.batch_normalization(xf, along(m_out), along(v_out), along(of), along(sc),
                                       epsilon)
            m_out, v_out = M.identity(m_out), M.identity(v_out)
        if dt != np.float32:
            y = M.cast(y, dt)
        return y, m_out, v_out
    return build(name, "FusedBatchNormV3", f, graph_args=(x,))

"""TF's sampled losses: ``tf.nn.nce_loss`` and ``tf.nn.sampled_softmax_loss``, computed
as TensorFlow's ``_compute_sampled_logits`` does (true and sampled logits from the
rows of ``weights``/``biases``, corrected by the log of the expected counts)."""
from __future__ import annotations

import numpy as np

from . import math_ops as M
from . import nn
from .candidate_sampling import log_uniform_candidate_sampler
from .framework import build, convert_to_tensor

__all__ = ["nce_loss", "sampled_softmax_loss"]

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

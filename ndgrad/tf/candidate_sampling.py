"""``tf.random.log_uniform_candidate_sampler`` (Zipfian, as word2vec's NCE uses it) and
``uniform_candidate_sampler``: sampled classes with their expected counts, for the
sampled losses of ``nn_impl``.

The draws come from NumPy's generator (seeded per session as other random ops), not
TensorFlow's; the distributions and the expected-count formulas are TensorFlow's.
"""
from __future__ import annotations

import numpy as np

from ..graph.core import get_default_graph
from . import framework as _fw
from .framework import convert_to_tensor
from . import random_ops as _random_ops

__all__ = ["log_uniform_candidate_sampler", "uniform_candidate_sampler"]


def _log_uniform_probs(k, range_max):
    k = np.asarray(k, np.float64)
    return (np.log(k + 2) - np.log(k + 1)) / np.log(range_max + 1)


def _log_uniform_draw(rng, n, range_max):
    u = rng.random(n)
    v = np.floor(np.exp(u * np.log(range_max + 1))).astype(np.int64) - 1
    return np.clip(v, 0, range_max - 1)


def _uniform_probs(k, range_max):
    return np.full(np.shape(k), 1.0 / range_max)


def _uniform_draw(rng, n, range_max):
    return rng.integers(0, range_max, size=n).astype(np.int64)


def _sample(rng, true_classes, num_sampled, unique, range_max, draw, probs):
    true_classes = np.asarray(true_classes)
    if unique and num_sampled > range_max:
        raise ValueError(f"Sampler: num_sampled {num_sampled} exceeds range_max "
                         f"{range_max} with unique=True")
    if np.any(true_classes < 0) or np.any(true_classes >= range_max):
        raise ValueError(f"Sampler: true_classes must lie in [0, {range_max}), got "
                         f"{true_classes.ravel().tolist()}")
    if unique:
        picked = []
        seen = set()
        tries = 0
        while len(picked) < num_sampled:
            for v in draw(rng, max(num_sampled - len(picked), 1), range_max):
                tries += 1
                if v not in seen:
                    seen.add(v)
                    picked.append(v)
                    if len(picked) == num_sampled:
                        break
        sampled = np.array(picked, np.int64)

        def expected(k):
            # the probability of drawing k at least once in ``tries`` draws (TF's
            # ExpectedCountHelper: plain p * n when no draw was rejected)
            p = probs(k, range_max)
            if tries == num_sampled:
                return p * num_sampled
            return -np.expm1(tries * np.log1p(-p))
    else:
        sampled = draw(rng, num_sampled, range_max)

        def expected(k):
            return probs(k, range_max) * num_sampled
    return (sampled, expected(true_classes).astype(np.float32),
            expected(sampled).astype(np.float32))


def _sampler(type_, draw, probs, true_classes, num_true, num_sampled, unique, range_max,
             seed, name):
    num_sampled, range_max, num_true = int(num_sampled), int(range_max), int(num_true)

    if _fw.executing_eagerly():
        raise NotImplementedError(
            f"{type_} (and nce_loss / sampled_softmax_loss, which draw with it) runs in graph "
            "mode only in ndgrad.tf: its draws come from the session's random state; build "
            "the loss in a graph (tf.Graph().as_default()) or use the full softmax in eager "
            "mode")

    def f():
        t = convert_to_tensor(true_classes)
        if t._np_dtype.kind not in "iu":
            raise TypeError(f"{type_}: true_classes must be integers, got {t.dtype.name}")
        ts = t._shape
        if ts is not None and (len(ts) != 2 or (ts[1] is not None and ts[1] != num_true)):
            raise ValueError(f"{type_}: true_classes must have shape (batch, num_true="
                             f"{num_true}), got {t.shape}")
        g = get_default_graph()
        seeds = _random_ops._seeds(g, seed)

        def fn(ctx, tc):
            return _sample(ctx.session.rng(op, seeds), tc, num_sampled, unique, range_max,
                           draw, probs)
        batch = None if ts is None else ts[0]
        op = g.special_op(type_, type_, (t,), fn,
                          [((num_sampled,), np.dtype(np.int64)),
                           ((batch, num_true), np.dtype(np.float32)),
                           ((num_sampled,), np.dtype(np.float32))], attrs={"seed": seeds})
        return tuple(op.outputs)
    return _fw.build(name, type_, f, graph_args=(true_classes,))


def log_uniform_candidate_sampler(true_classes, num_true, num_sampled, unique, range_max,
                                  seed=None, name=None):
    """``num_sampled`` classes drawn with ``P(k) = log((k + 2) / (k + 1)) /
    log(range_max + 1)`` (without repeats when ``unique``): ``(sampled_candidates,
    true_expected_count, sampled_expected_count)``.

    >>> import ndgrad.tf as tf; tf.reset_default_graph()
    >>> s, te, se = tf.nn.log_uniform_candidate_sampler([[0]], 1, 5, True, 100, seed=1)
    >>> sampled, t_count = tf.Session().run([s, te])
    >>> len(set(sampled.tolist())), bool(0 < t_count[0, 0] < 1)
    (5, True)
    """
    return _sampler("LogUniformCandidateSampler", _log_uniform_draw, _log_uniform_probs,
                    true_classes, num_true, num_sampled, unique, range_max, seed, name)


def uniform_candidate_sampler(true_classes, num_true, num_sampled, unique, range_max,
                              seed=None, name=None):
    """As ``log_uniform_candidate_sampler`` with every class equally likely.

    >>> import ndgrad.tf as tf; tf.reset_default_graph()
    >>> s, te, se = tf.nn.uniform_candidate_sampler([[0]], 1, 4, False, 8, seed=0)
    >>> tf.Session().run(te)
    array([[0.5]], dtype=float32)
    """
    return _sampler("UniformCandidateSampler", _uniform_draw, _uniform_probs,
                    true_classes, num_true, num_sampled, unique, range_max, seed, name)

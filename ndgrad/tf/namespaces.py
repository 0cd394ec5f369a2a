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
from . import array_ops as _array_ops
from . import framework as _fw
from .framework import build, convert_to_tensor
from .._ops.registry import apply as _apply, defop as _defop
from ..graph import dynamic as _dyn


def _module(name, doc, **items):
    m = types.ModuleType(f"ndgrad.tf.{name}", doc)
    for k, v in items.items():
        setattr(m, k, v)
    return m


math = _module("math", "tf.math: the elementwise and reduction functions.",
               **{n: getattr(M, n) for n in M.__all__},
               **{n: getattr(E, n) for n in ("cumsum", "cumprod", "count_nonzero",
                                             "reduce_euclidean_norm")},
               log_sigmoid=E.log_sigmoid, softplus=nn.softplus, softsign=nn.softsign,
               top_k=E.top_k,
               divide_no_nan=M.div_no_nan, l2_normalize=nn.l2_normalize,
               segment_sum=_array_ops.segment_sum,
               unsorted_segment_sum=_array_ops.unsorted_segment_sum,
               searchsorted=_array_ops.searchsorted)
linalg = _module("linalg", "tf.linalg: TF 1.15's names for the matrix functions "
                 "(tf.linalg.inv is tf.matrix_inverse ...).",
                 matmul=M.matmul, inv=E.matrix_inverse, det=E.matrix_determinant,
                 band_part=_array_ops.matrix_band_part, trace=E.trace, norm=E.norm,
                 eye=M.eye, einsum=E.einsum, tensordot=M.tensordot,
                 l2_normalize=nn.l2_normalize, diag=_array_ops.matrix_diag,
                 diag_part=_array_ops.matrix_diag_part, set_diag=_array_ops.matrix_set_diag,
                 matrix_transpose=_array_ops.matrix_transpose,
                 transpose=_array_ops.matrix_transpose)
from . import linalg_ops as _linalg_ops  # noqa: E402
for _n, _f in dict(cholesky="cholesky", cholesky_solve="cholesky_solve", solve="matrix_solve",
                   triangular_solve="matrix_triangular_solve", lstsq="matrix_solve_ls",
                   eigh="self_adjoint_eig", eigvalsh="self_adjoint_eigvals", svd="svd",
                   qr="qr", logdet="logdet", slogdet="slogdet", adjoint="adjoint",
                   cross="cross").items():
    setattr(linalg, _n, getattr(_linalg_ops, _f))
from . import special_math_ops as _special  # noqa: E402
for _n in _special.__all__:
    setattr(math, _n, getattr(_special, _n))

from . import check_ops as _check  # noqa: E402
debugging = _module("debugging", "tf.debugging: run-time checks (Assert, assert_*, "
                    "check_numerics).", **{n: getattr(_check, n) for n in _check.__all__},
                    is_finite=M.is_finite, is_nan=M.is_nan, is_inf=M.is_inf)

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
    orthogonal=_init_ops.orthogonal_initializer, identity=_init_ops.identity_initializer,
    global_variables=_variables.global_variables_initializer,
    variables=_variables.variables_initializer)


# -- tf.losses ----------------------------------------------------------------------------
class Reduction:
    """How tf.losses reduce the weighted losses (TF's ``tf.losses.Reduction``).

    >>> import ndgrad.tf as tf
    >>> tf.losses.Reduction.MEAN, tf.losses.Reduction.SUM_BY_NONZERO_WEIGHTS
    ('weighted_mean', 'weighted_sum_by_nonzero_weights')
    >>> loss = tf.losses.absolute_difference([0.0, 0.0], [1.0, -3.0],
    ...                                      reduction=tf.losses.Reduction.SUM)
    >>> with tf.Session() as s:
    ...     print(s.run(loss))
    4.0
    """
    NONE = "none"
    SUM = "weighted_sum"
    MEAN = "weighted_mean"
    SUM_OVER_BATCH_SIZE = "weighted_sum_over_batch_size"
    SUM_OVER_NONZERO_WEIGHTS = SUM_BY_NONZERO_WEIGHTS = "weighted_sum_by_nonzero_weights"

    @classmethod
    def all(cls):
        return (cls.NONE, cls.SUM, cls.MEAN, cls.SUM_OVER_BATCH_SIZE,
                cls.SUM_OVER_NONZERO_WEIGHTS, cls.SUM_BY_NONZERO_WEIGHTS)

    @classmethod
    def validate(cls, key):
        if key not in cls.all():
            raise ValueError(f"Invalid Reduction Key {key}.")


def _weights_fit(ls, ws):
    return len(ws) == 0 or len(ws) == len(ls) and all(
        b is None or a is None or b in (1, a) for a, b in zip(ls, ws))


def _check_weights_fwd(xp, losses, w, squeeze=False):
    ls, ws = np.shape(losses), np.shape(w)
    w = np.asarray(w)
    if squeeze and len(ws) == len(ls) + 1 and ws[-1] == 1:
        w, ws = w.reshape(ws[:-1]), ws[:-1]
    if not _weights_fit(ls, ws):
        raise ValueError(f"weights can not be broadcast to values: weights shape {ws}, "
                         f"values shape {ls}")
    return w


def _check_weights_rule(args, params):
    ws = args[1]._shape
    if params.get("squeeze"):
        ws = None  # known when the graph runs
    return [(ws, args[1]._np_dtype)]


_CHECK_WEIGHTS = _defop("tf.check_loss_weights", _check_weights_fwd,
                        lambda xp, g, ans, losses, w, squeeze=False:
                        (None, _dyn.reshape_like(xp, g, w)),
                        save="inputs", shape_rule=_check_weights_rule)


def _check_weights(losses, w, squeeze=False):
    """``w`` when it fits TF's rule: a scalar, or the losses' rank with each dimension 1
    or the losses' (numpy broadcasting would let weights enlarge the losses); checked
    now when both static shapes are known, else when the graph runs."""
    ls, ws = M._static_shape(losses), M._static_shape(w)
    if ls is None or ws is None or None in ls or None in ws:
        if ls is not None and ws is not None and not _weights_fit(ls, ws):
            raise ValueError(f"weights can not be broadcast to values: weights shape "
                             f"{tuple(ws)}, values shape {tuple(ls)}")
        return _apply(_CHECK_WEIGHTS, (losses, w), {"squeeze": squeeze})
    if not _weights_fit(ls, ws):
        raise ValueError(f"weights can not be broadcast to values: weights shape "
                         f"{tuple(ws)}, values shape {tuple(ls)}")
    return w


def compute_weighted_loss(losses, weights=1.0, scope=None, loss_collection="losses",
                          reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """``losses * weights`` reduced by ``reduction`` (TF's default: the sum over the
    number of nonzero weights), added to ``loss_collection``.

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     print(s.run(tf.losses.compute_weighted_loss([1.0, 2.0, 3.0], [1.0, 0.0, 1.0])))
    2.0
    """
    Reduction.validate(reduction)

    def g():
        out = _reduce_loss(losses, weights, reduction)
        if loss_collection:
            S.get_default_graph().add_to_collection(loss_collection, out)
        return out
    return build(scope, "weighted_loss", g)


def _reduce_loss(losses, weights, reduction, squeeze=False):
    """TF's ``compute_weighted_loss``: the losses and weights cast to float32, weighted,
    reduced (the means by ``div_no_nan``: 0 where nothing counts), and the result cast
    back to the losses' dtype -- so float64 losses are reduced in float32, as TF's."""
    losses = convert_to_tensor(losses)
    if weights is None:
        raise ValueError("weights must not be None")
    input_dt = losses.dtype
    lf = M.cast(losses, np.float32)
    w = M.cast(convert_to_tensor(weights), np.float32) if not isinstance(
        weights, (int, float)) else M.constant(weights, np.float32)
    if not isinstance(weights, (int, float)):
        w = _check_weights(lf, w, squeeze)
    weighted = lf * w
    if reduction == Reduction.NONE:
        loss = weighted
    else:
        loss = M.reduce_sum(weighted)
        if reduction == Reduction.MEAN:
            loss = M.div_no_nan(loss, M.reduce_sum(M.ones_like(lf) * w), name="value")
        elif reduction == Reduction.SUM_BY_NONZERO_WEIGHTS:
            loss = M.div_no_nan(loss, _num_present(lf, w), name="value")
        elif reduction == Reduction.SUM_OVER_BATCH_SIZE:
            loss = M.div_no_nan(loss, M.cast(M.size(lf), np.float32), name="value")
    return M.cast(loss, input_dt)


def _num_present(losses, w, per_batch=False):
    """TF's count of the losses' elements whose (broadcast) weight is nonzero: in all,
    or per batch (summed over the other axes, kept)."""
    present = M.where(M.equal(w, 0.0), M.zeros_like(w), M.ones_like(w)) * \
        M.ones_like(losses)
    if per_batch:
        return M.reduce_sum(present, axis=_batch_axes(present), keepdims=True)
    return M.reduce_sum(present)


def _batch_axes(t):
    """The axes after the first (a per-batch reduction), from the static rank."""
    shape = M._static_shape(t)
    if shape is None:
        raise ValueError(f"a per-batch loss needs a known rank; {t} has none (give the "
                         "placeholder a shape; its dimensions may be None)")
    return tuple(range(1, len(shape)))


# each generated tf.losses function's docstring example: (the call, what TensorFlow prints)
_LOSS_EXAMPLES = {
    "mean_squared_error": (
        "tf.losses.mean_squared_error([0.0, 0.0, 0.0], [1.0, 2.0, 3.0], [1.0, 1.0, 0.0])",
        "2.5"),
    "absolute_difference": (
        "tf.losses.absolute_difference([0.0, 0.0, 0.0], [1.0, -2.0, 3.0])", "2.0"),
    "huber_loss": ("tf.losses.huber_loss([0.0, 0.0], [0.5, 3.0])", "1.3125"),
    "softmax_cross_entropy": (
        "tf.losses.softmax_cross_entropy([[0.0, 1.0]], [[2.0, 0.0]])", "2.126928"),
    "sparse_softmax_cross_entropy": (
        "tf.losses.sparse_softmax_cross_entropy([0, 1], [[2.0, 0.0], [2.0, 0.0]])",
        "1.1269281"),
    "sigmoid_cross_entropy": (
        "tf.losses.sigmoid_cross_entropy([[1.0, 0.0]], [[2.0, 2.0]])", "1.1269281"),
    "log_loss": ("tf.losses.log_loss([1.0, 0.0], [0.9, 0.2])", "0.1642519"),
    "hinge_loss": ("tf.losses.hinge_loss([1.0, 0.0], [0.5, 0.5])", "1.0"),
}


def _loss(name, fn, doc, public=None):
    """A tf.losses function with TF's signature: ``fn``'s two leading parameters (by
    their TF names), ``weights=1.0``, ``fn``'s options, ``scope=None``,
    ``loss_collection="losses"``, ``reduction=SUM_BY_NONZERO_WEIGHTS``; ``weights`` is
    the third positional argument, as in TF. Its docstring is ``doc`` and the example
    ``_LOSS_EXAMPLES[public or name]``."""
    import inspect
    P = inspect.Parameter
    fps = list(inspect.signature(fn).parameters.values())
    params = [fps[0].replace(default=None), fps[1].replace(default=None),
              P("weights", P.POSITIONAL_OR_KEYWORD, default=1.0), *fps[2:],
              P("scope", P.POSITIONAL_OR_KEYWORD, default=None),
              P("loss_collection", P.POSITIONAL_OR_KEYWORD, default="losses"),
              P("reduction", P.POSITIONAL_OR_KEYWORD,
                default=Reduction.SUM_BY_NONZERO_WEIGHTS)]
    sig = inspect.Signature(params)
    first, second = fps[0].name, fps[1].name
    opts = [q.name for q in fps[2:]]

    def f(*args, **kwargs):
        b = sig.bind(*args, **kwargs)
        b.apply_defaults()
        a = b.arguments
        Reduction.validate(a["reduction"])
        if a[first] is None or a[second] is None:
            raise ValueError(f"{name}: {first} and {second} must not be None")
        weights = a["weights"]

        def g():
            losses = fn(a[first], a[second], **{k: a[k] for k in opts})
            w = weights
            sparse = fn is _sparse_xent
            if sparse and not isinstance(w, (int, float)) and w is not None:
                # TF squeezes weights that carry the labels' trailing size-1 dimension
                w = convert_to_tensor(w)
                ls, ws = M._static_shape(losses), M._static_shape(w)
                if ls is not None and ws is not None and len(ws) == len(ls) + 1 \
                        and ws[-1] == 1:
                    w = M.squeeze(w, [-1])
            out = _reduce_loss(losses, w, a["reduction"], squeeze=sparse)
            if a["loss_collection"]:
                S.get_default_graph().add_to_collection(a["loss_collection"], out)
            return out
        return build(a["scope"], name, g)
    f.__name__ = name
    call, want = _LOSS_EXAMPLES[public or name]
    f.__doc__ = (f"{doc}\n\n>>> import ndgrad.tf as tf\n>>> loss = {call}\n"
                 f">>> with tf.Session() as s:\n...     print(s.run(loss))\n{want}\n")
    f.__signature__ = sig
    return f


def _same_shape(a, b, what):
    sa, sb = M._static_shape(a), M._static_shape(b)
    if sa is not None and sb is not None and (len(sa) != len(sb) or any(
            x is not None and y is not None and x != y for x, y in zip(sa, sb))):
        raise ValueError(f"{what}: shapes {tuple(sa)} and {tuple(sb)} are incompatible")


def _f32(labels, predictions, what):
    """TF's first step of the regression losses: both cast to float32 (integer and
    float64 inputs alike), their shapes compatible."""
    p = M.cast(convert_to_tensor(predictions), np.float32)
    y = M.cast(convert_to_tensor(labels), np.float32)
    _same_shape(p, y, what)
    return y, p


def _mse(labels, predictions):
    y, p = _f32(labels, predictions, "mean_squared_error")
    return M.squared_difference(p, y)


def _abs(labels, predictions):
    y, p = _f32(labels, predictions, "absolute_difference")
    return M.abs(p - y)


def _huber(labels, predictions, delta=1.0):
    y, p = _f32(labels, predictions, "huber_loss")
    err = M.abs(p - y)
    q = M.minimum(err, delta)
    return 0.5 * q * q + delta * (err - q)


def _softmax_xent(onehot_labels, logits, label_smoothing=0):
    x = convert_to_tensor(logits)
    y = M.cast(convert_to_tensor(onehot_labels), x.dtype)
    _same_shape(x, y, "softmax_cross_entropy")
    if label_smoothing:
        n = M.cast(M.shape(y)[-1], x.dtype)
        y = y * (1.0 - label_smoothing) + label_smoothing / n
    return nn.softmax_cross_entropy_with_logits_v2(labels=M.stop_gradient(y), logits=x)


def _sparse_xent(labels, logits):
    x = convert_to_tensor(logits)
    lab = convert_to_tensor(labels)
    ls, xs = M._static_shape(lab), M._static_shape(x)
    if ls is not None and xs is not None and len(ls) == len(xs) and ls[-1] == 1:
        lab = M.squeeze(lab, [-1])  # TF drops a trailing size-1 label dimension
    return nn.sparse_softmax_cross_entropy_with_logits(labels=lab, logits=x)


def _sigmoid_xent(multi_class_labels, logits, label_smoothing=0):
    x = convert_to_tensor(logits)
    y = M.cast(convert_to_tensor(multi_class_labels), x.dtype)
    _same_shape(x, y, "sigmoid_cross_entropy")
    if label_smoothing:
        y = y * (1.0 - label_smoothing) + 0.5 * label_smoothing
    return nn.sigmoid_cross_entropy_with_logits(labels=y, logits=x)


def _log_loss(labels, predictions, epsilon=1e-7):
    y, p = _f32(labels, predictions, "log_loss")
    return -y * M.log(p + epsilon) - (1 - y) * M.log(1 - p + epsilon)


def _hinge(labels, logits):
    y, x = _f32(labels, logits, "hinge_loss")
    return nn.relu(1.0 - (2.0 * y - 1.0) * x)


def _cosine_distance(labels, predictions, axis=None, weights=1.0, scope=None,
                     loss_collection="losses", reduction=Reduction.SUM_BY_NONZERO_WEIGHTS,
                     dim=None):
    """tf.losses.cosine_distance: ``1 - sum(labels * predictions, axis)`` (kept as a
    size-1 axis; the inputs are taken as unit-normalized, as TF's), weighted and reduced.

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     print(s.run(tf.losses.cosine_distance([[0.0, 1.0], [1.0, 0.0]],
    ...                                           [[0.6, 0.8], [1.0, 0.0]], axis=1)))
    0.099999994
    """
    axis = _fw.deprecated_argument_lookup("axis", axis, "dim", dim)
    if axis is None:
        raise ValueError("You must specify 'axis'.")
    if labels is None or predictions is None:
        raise ValueError("cosine_distance: labels and predictions must not be None")
    Reduction.validate(reduction)

    def g():
        y, p = _f32(labels, predictions, "cosine_distance")
        losses = 1 - M.reduce_sum(p * y, axis=(axis,), keepdims=True)
        out = _reduce_loss(losses, weights, reduction)
        if loss_collection:
            S.get_default_graph().add_to_collection(loss_collection, out)
        return out
    return build(scope, "cosine_distance_loss", g)


def _mean_pairwise_squared_error(labels, predictions, weights=1.0, scope=None,
                                 loss_collection="losses"):
    """tf.losses.mean_pairwise_squared_error: per batch element, the mean over pairs of
    its (nonzero-weighted) entries of ``((p_i - p_j) - (l_i - l_j))**2``, times its
    weight, summed over the batch (TF's formula from the sums of the differences).

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     print(s.run(tf.losses.mean_pairwise_squared_error([[0.0, 1.0, 3.0]],
    ...                                                       [[1.0, 1.0, 1.0]])))
    4.6666665
    """
    if labels is None or predictions is None:
        raise ValueError("mean_pairwise_squared_error: labels and predictions must not "
                         "be None")

    def g():
        y, p = _f32(labels, predictions, "mean_pairwise_squared_error")
        w = M.cast(convert_to_tensor(weights), np.float32)
        w = _check_weights(y, w)
        diffs = p - y
        axis = _batch_axes(diffs)
        present = _num_present(diffs, w, per_batch=True)
        term1 = 2.0 * M.div_no_nan(M.reduce_sum(M.square(diffs), axis=axis, keepdims=True),
                                   M.maximum(present - 1, 0), name="value")
        sum_diff = M.reduce_sum(diffs, axis=axis, keepdims=True)
        term2 = 2.0 * M.div_no_nan(M.square(sum_diff),
                                   M.maximum(present * (present - 1), 0), name="value")
        loss = M.reduce_sum((term1 - term2) * w)
        out = M.where(M.reduce_sum(present) > 0, loss, M.zeros_like(loss), name="value")
        if loss_collection:
            S.get_default_graph().add_to_collection(loss_collection, out)
        return out
    return build(scope, "mean_pairwise_squared_error", g)


def _get_regularization_losses(scope=None):
    """tf.losses.get_regularization_losses: the REGULARIZATION_LOSSES collection (the
    penalties of variables made with a regularizer), filtered by ``scope``.

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default():
    ...     w = tf.get_variable("w", initializer=[3.0, 4.0], regularizer=tf.nn.l2_loss)
    ...     with tf.Session() as s:
    ...         s.run(w.initializer)
    ...         print(*s.run(tf.losses.get_regularization_losses()))
    12.5
    """
    return S.get_default_graph().get_collection("regularization_losses", scope)


def _get_losses(scope=None, loss_collection="losses"):
    """tf.losses.get_losses: the losses the tf.losses functions added to
    ``loss_collection``, filtered by ``scope``.

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default():
    ...     a = tf.losses.absolute_difference([0.0], [2.0])
    ...     b = tf.losses.mean_squared_error([0.0], [3.0])
    ...     print(len(tf.losses.get_losses()), tf.losses.get_losses()[1] is b)
    2 True
    """
    return S.get_default_graph().get_collection(loss_collection, scope)


def _get_regularization_loss(scope=None, name="total_regularization_loss"):
    """tf.losses.get_regularization_loss: the sum of the regularization losses (0.0 when
    there are none).

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default():
    ...     w = tf.get_variable("w", initializer=[3.0, 4.0], regularizer=tf.nn.l2_loss)
    ...     v = tf.get_variable("v", initializer=[1.0], regularizer=tf.nn.l2_loss)
    ...     with tf.Session() as s:
    ...         s.run(tf.global_variables_initializer())
    ...         print(s.run(tf.losses.get_regularization_loss()))
    13.0
    """
    ls = S.get_default_graph().get_collection("regularization_losses", scope)
    if not ls:
        return M.constant(0.0, name=name)
    return M.add_n(ls, name=name)


def _get_total_loss(add_regularization_losses=True, name="total_loss"):
    """tf.losses.get_total_loss: the sum of the 'losses' collection (and of the
    regularization losses unless ``add_regularization_losses=False``).

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default():
    ...     a = tf.losses.absolute_difference([0.0], [2.0])
    ...     b = tf.losses.mean_squared_error([0.0], [3.0])
    ...     with tf.Session() as s:
    ...         print(s.run(tf.losses.get_total_loss()))
    11.0
    """
    ls = S.get_default_graph().get_collection("losses")
    if add_regularization_losses:
        ls = ls + S.get_default_graph().get_collection("regularization_losses")
    return M.add_n(ls, name=name)


mean_squared_error = _loss(
    "mean_squared_error", _mse,
    "mean_squared_error(labels, predictions, weights=1.0, scope=None, "
    "loss_collection='losses', reduction=SUM_BY_NONZERO_WEIGHTS)")
absolute_difference = _loss(
    "absolute_difference", _abs, "absolute_difference(labels, predictions, weights=1.0, ...)")
huber_loss = _loss(
    "huber_loss", _huber, "huber_loss(labels, predictions, weights=1.0, delta=1.0, ...)")
softmax_cross_entropy = _loss(
    "softmax_cross_entropy_loss", _softmax_xent,
    "softmax_cross_entropy(onehot_labels, logits, weights=1.0, label_smoothing=0, ...)",
    "softmax_cross_entropy")
sparse_softmax_cross_entropy = _loss(
    "sparse_softmax_cross_entropy_loss", _sparse_xent,
    "sparse_softmax_cross_entropy(labels, logits, weights=1.0, ...): labels of shape "
    "logits.shape[:-1] (or with a trailing 1)", "sparse_softmax_cross_entropy")
sigmoid_cross_entropy = _loss(
    "sigmoid_cross_entropy_loss", _sigmoid_xent,
    "sigmoid_cross_entropy(multi_class_labels, logits, weights=1.0, label_smoothing=0, ...)",
    "sigmoid_cross_entropy")
log_loss = _loss("log_loss", _log_loss,
                 "log_loss(labels, predictions, weights=1.0, epsilon=1e-7, ...)")
hinge_loss = _loss("hinge_loss", _hinge,
                   "hinge_loss(labels, logits, weights=1.0, ...): labels in {0, 1}")

losses = _module("losses", "tf.losses: losses reduced by TF's default (the mean over "
                 "nonzero weights), added to the 'losses' collection.",
                 Reduction=Reduction, compute_weighted_loss=compute_weighted_loss,
                 mean_squared_error=mean_squared_error,
                 absolute_difference=absolute_difference, huber_loss=huber_loss,
                 softmax_cross_entropy=softmax_cross_entropy,
                 sparse_softmax_cross_entropy=sparse_softmax_cross_entropy,
                 sigmoid_cross_entropy=sigmoid_cross_entropy, log_loss=log_loss,
                 hinge_loss=hinge_loss, cosine_distance=_cosine_distance,
                 mean_pairwise_squared_error=_mean_pairwise_squared_error,
                 get_total_loss=_get_total_loss,
                 get_regularization_losses=_get_regularization_losses,
                 get_regularization_loss=_get_regularization_loss, get_losses=_get_losses)

# -- logging and configuration ---------------------------------------------------------
_log = _logging.getLogger("ndgrad.tf")


def _set_verbosity(v):
    """tf.logging.set_verbosity: the threshold below which messages are dropped
    (``tf.logging.DEBUG`` ... ``tf.logging.FATAL``, or a level's name).

    >>> import ndgrad.tf as tf
    >>> old = tf.logging.get_verbosity()
    >>> tf.logging.set_verbosity(tf.logging.ERROR)
    >>> tf.logging.get_verbosity() == tf.logging.ERROR, tf.logging.ERROR, tf.logging.INFO
    (True, 40, 20)
    >>> tf.logging.set_verbosity(old)
    """
    _log.setLevel(v)


def _get_verbosity():
    """tf.logging.get_verbosity: the logger's effective threshold, an int.

    >>> import ndgrad.tf as tf
    >>> old = tf.logging.get_verbosity()
    >>> tf.logging.set_verbosity("INFO")
    >>> tf.logging.get_verbosity()
    20
    >>> tf.logging.set_verbosity(old)
    """
    return _log.getEffectiveLevel()


logging = _module("logging", "tf.logging: Python logging under the name 'ndgrad.tf'.",
                  DEBUG=_logging.DEBUG, INFO=_logging.INFO, WARN=_logging.WARNING,
                  ERROR=_logging.ERROR, FATAL=_logging.CRITICAL,
                  set_verbosity=_set_verbosity, get_verbosity=_get_verbosity,
                  debug=_log.debug, info=_log.info, warn=_log.warning,
                  warning=_log.warning, error=_log.error, fatal=_log.critical)


class ConfigProto:
    """Session configuration: accepted and kept; ndgrad runs on the CPU with NumPy.
    Fields not given read as TF's defaults (False, 0).

    >>> import ndgrad.tf as tf
    >>> config = tf.ConfigProto(allow_soft_placement=True)
    >>> config.gpu_options.allow_growth = True
    >>> print(config.allow_soft_placement, config.log_device_placement)
    True False
    >>> with tf.Session(config=config) as s:
    ...     print(s.run(tf.constant(2.0) * 3.0))
    6.0
    """

    _DEFAULTS = {"allow_soft_placement": False, "log_device_placement": False,
                 "intra_op_parallelism_threads": 0, "inter_op_parallelism_threads": 0,
                 "operation_timeout_in_ms": 0}

    def __init__(self, **kwargs):
        self.__dict__.update(self._DEFAULTS)
        self.__dict__.update(kwargs)
        self.gpu_options = kwargs.get("gpu_options", GPUOptions())


class GPUOptions:
    """GPU options of a ``ConfigProto``: accepted and kept (no GPU is used).

    >>> import ndgrad.tf as tf
    >>> opts = tf.GPUOptions(per_process_gpu_memory_fraction=0.5)
    >>> print(opts.per_process_gpu_memory_fraction, opts.allow_growth)
    0.5 False
    >>> with tf.Session(config=tf.ConfigProto(gpu_options=opts)) as s:
    ...     print(s.run(tf.constant(1.0) + 1.0))
    2.0
    """

    def __init__(self, **kwargs):
        self.per_process_gpu_memory_fraction = 0.0
        self.visible_device_list = ""
        self.__dict__.update(kwargs)
        self.allow_growth = kwargs.get("allow_growth", False)


class RunOptions:
    """Options of one ``Session.run``: accepted and kept (no trace is recorded).

    >>> import ndgrad.tf as tf
    >>> opts = tf.RunOptions(trace_level=tf.RunOptions.FULL_TRACE)
    >>> print(opts.trace_level == tf.RunOptions.FULL_TRACE, tf.RunOptions().trace_level)
    True 0
    >>> with tf.Session() as s:
    ...     print(s.run(tf.constant(2.0) + 1.0, options=opts))
    3.0
    """
    FULL_TRACE = 3
    NO_TRACE = 0

    def __init__(self, **kwargs):
        self.trace_level = RunOptions.NO_TRACE
        self.timeout_in_ms = 0
        self.__dict__.update(kwargs)


class RunMetadata:
    """What a ``Session.run`` reports back: accepted (nothing is filled in).

    >>> import ndgrad.tf as tf
    >>> meta = tf.RunMetadata()
    >>> with tf.Session() as s:
    ...     print(s.run(tf.constant([1, 2]) * 3, run_metadata=meta))
    [3 6]
    """

    def __init__(self, **kwargs):
        self.__dict__.update(kwargs)


def device(device_name_or_function):
    """Device placement: accepted, no effect (ndgrad's graph runs on NumPy; a tensor's
    ``device`` stays "").

    >>> import ndgrad.tf as tf
    >>> with tf.device("/cpu:0"):
    ...     y = tf.constant([1.0, 2.0]) * 3.0
    >>> with tf.Session() as s:
    ...     print(s.run(y))
    [3. 6.]
    """
    return contextlib.nullcontext()


def tables_initializer(name="init_all_tables"):
    """An op that initializes the graph's lookup tables: ndgrad has none, so a no-op
    (TF's, when no table exists).

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default():
    ...     init = tf.tables_initializer()
    ...     with tf.Session() as s:
    ...         print(init.name, init.type, s.run(init))
    init_all_tables NoOp None
    """
    return S.no_op(name=name)


_ = np

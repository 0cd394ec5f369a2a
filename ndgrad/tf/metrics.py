"""tf.metrics: streaming metrics, each a value tensor and an update op over local variables.

Every metric keeps its running state in local variables (collections
``tf.GraphKeys.LOCAL_VARIABLES`` and ``tf.GraphKeys.METRIC_VARIABLES``, set to zero by
``tf.local_variables_initializer()``) made in ``tf.variable_scope(name, <default>)`` with
TensorFlow 1.15's names (``accuracy/total:0``, ``accuracy/count:0`` ...). Each returns
``(value, update_op)``: running ``update_op`` folds one batch into the state and gives the
metric after it; ``value`` reads the state. Weights broadcast to the values as TF's
``weights_broadcast_ops`` allow (a scalar, or each dimension 1 or the values'); a division
by zero gives 0, as TF's ``div_no_nan``. The metrics are graph-mode only, as TF's
(eager mode: ``RuntimeError``).

>>> import ndgrad.tf as tf
>>> with tf.Graph().as_default():
...     x = tf.placeholder(tf.float32, [None])
...     avg, update = tf.metrics.mean(x)
...     with tf.Session() as s:
...         s.run(tf.local_variables_initializer())
...         print(s.run(update, {x: [1.0, 2.0]}), s.run(update, {x: [6.0]}), s.run(avg))
1.5 3.0 3.0
"""
from __future__ import annotations

import numpy as np

from ..graph.core import get_default_graph
from . import framework as _fw
from . import math_ops as M
from . import state_ops as _so
from . import variables as _variables
from .framework import convert_to_tensor
from .variable_scopes import variable_scope

__all__ = ["mean", "accuracy", "mean_absolute_error", "mean_squared_error",
           "root_mean_squared_error", "true_positives", "false_positives",
           "true_negatives", "false_negatives", "precision", "recall", "mean_tensor",
           "mean_relative_error", "percentage_below", "mean_cosine_distance", "auc",
           "true_positives_at_thresholds", "false_positives_at_thresholds",
           "true_negatives_at_thresholds", "false_negatives_at_thresholds",
           "precision_at_thresholds", "recall_at_thresholds",
           "sensitivity_at_specificity", "specificity_at_sensitivity", "mean_iou",
           "mean_per_class_accuracy"]

# TF's collection of metric state
METRIC_VARIABLES = _variables.GraphKeys.METRIC_VARIABLES


# -- helpers ----------------------------------------------------------------------------
def _graph_only(what):
    if _fw.executing_eagerly():
        raise RuntimeError(f"tf.metrics.{what} when eager execution is enabled.")


def _metric_variable(shape, dtype, name, validate_shape=True):
    """A zero-initialized local variable in LOCAL_VARIABLES and METRIC_VARIABLES."""
    from .math_ops import zeros
    return _variables.Variable(lambda: zeros(shape, dtype), trainable=False,
                               collections=[_variables.GraphKeys.LOCAL_VARIABLES,
                                            METRIC_VARIABLES],
                               validate_shape=validate_shape, name=name)


def _shape(t):
    return t.get_shape()


def _add_to_collections(names, value):
    if names:
        g = get_default_graph()
        for n in names:
            g.add_to_collection(n, value)


def _squeeze_pair(labels, predictions, expected_rank_diff=0):
    """TF's ``confusion_matrix.remove_squeezable_dimensions``: drop the last dimension
    (of size 1) of whichever of the two has one more dimension than expected."""
    from .control_flow import cond
    with _fw.name_scope(None, "remove_squeezable_dimensions"):
        predictions = convert_to_tensor(predictions)
        labels = convert_to_tensor(labels)
        ps, ls = _shape(predictions), _shape(labels)
        pr, lr = ps.ndims, ls.ndims
        if pr is not None and lr is not None:
            diff = pr - lr
            if diff == expected_rank_diff + 1 and ps.dims[-1].is_compatible_with(1):
                predictions = M.squeeze(predictions, [-1])
            elif diff == expected_rank_diff - 1 and ls.dims[-1].is_compatible_with(1):
                labels = M.squeeze(labels, [-1])
            return labels, predictions
        diff = M.rank(predictions) - M.rank(labels)
        if pr is None or ps.dims[-1].is_compatible_with(1):
            p0 = predictions
            predictions = cond(M.equal(expected_rank_diff + 1, diff),
                               lambda: M.squeeze(p0, [-1]), lambda: M.identity(p0))
        if lr is None or ls.dims[-1].is_compatible_with(1):
            l0 = labels
            labels = cond(M.equal(expected_rank_diff - 1, diff),
                          lambda: M.squeeze(l0, [-1]), lambda: M.identity(l0))
        return labels, predictions


def _expand_last(t):
    """``expand_dims(t, -1)``, also for a tensor of unknown rank."""
    if _shape(t).ndims is not None:
        return M.expand_dims(t, -1)
    return M.reshape(t, M.concat([M.shape(t), M.constant([1])], 0))


def _remove_squeezable_dimensions(predictions, labels, weights):
    """TF's metrics_impl helper: squeeze labels/predictions to a common rank, and bring
    ``weights`` to the predictions' rank (squeeze or expand its last dimension by one)."""
    from .control_flow import cond
    predictions = convert_to_tensor(predictions)
    if labels is not None:
        labels, predictions = _squeeze_pair(labels, predictions)
        _shape(predictions).assert_is_compatible_with(_shape(labels))
    if weights is None:
        return predictions, labels, None
    weights = convert_to_tensor(weights)
    ws = _shape(weights)
    wr = ws.ndims
    if wr == 0:
        return predictions, labels, weights
    pr = _shape(predictions).ndims
    if pr is not None and wr is not None:
        if wr - pr == 1:
            weights = M.squeeze(weights, [-1])
        elif pr - wr == 1:
            weights = M.expand_dims(weights, -1)
        return predictions, labels, weights
    w0 = weights
    wrank = M.rank(w0)
    diff = wrank - M.rank(predictions)

    def expand():
        return cond(M.equal(diff, -1), lambda: _expand_last(w0),
                    lambda: M.identity(w0))

    if wr is not None and not ws.dims[-1].is_compatible_with(1):
        def squeeze():
            return M.identity(w0)
    else:
        def squeeze():
            return M.squeeze(w0, [-1])

    weights = cond(M.equal(wrank, 0), lambda: M.identity(w0),
                   lambda: cond(M.equal(diff, 1), squeeze, expand))
    return predictions, labels, weights


_BROADCAST_ERROR = "weights can not be broadcast to values."


def _assert_broadcastable(weights, values):
    """TF's ``weights_broadcast_ops.assert_broadcastable``: ``weights`` is a scalar or has
    the values' rank with each dimension 1 or the values' (ValueError when the static
    shapes decide it, else an op failing the run with InvalidArgumentError)."""
    from .check_ops import Assert
    from .control_flow import cond
    with _fw.name_scope(None, "assert_broadcastable"):
        ws, vs = _shape(weights), _shape(values)
        if ws.ndims is not None and vs.ndims is not None:
            if ws.ndims == 0:
                return _so.no_op(name="static_scalar_check_success")
            if ws.ndims != vs.ndims:
                raise ValueError(f"{_BROADCAST_ERROR} values.rank={vs.ndims}. "
                                 f"weights.rank={ws.ndims}. values.shape={vs}. "
                                 f"weights.shape={ws}. Received weights={weights}, "
                                 f"values={values}")
            if ws.is_fully_defined() and vs.is_fully_defined():
                wl, vl = ws.as_list(), vs.as_list()
                for i, (a, b) in enumerate(zip(wl, vl)):
                    if a not in (1, b):
                        raise ValueError(
                            f"{_BROADCAST_ERROR} Mismatch at dim {i}. values.shape={vl}, "
                            f"weights.shape={wl}. Received weights={weights}, "
                            f"values={values}")
                return _so.no_op(name="static_dims_check_success")
        w_shape = M.shape(weights, name="weights_shape")
        v_shape = M.shape(values, name="values_shape")
        w_rank, v_rank = M.rank(weights), M.rank(values)
        is_scalar = M.equal(0, w_rank, name="is_scalar")

        def dims_ok():
            return M.reduce_all(M.logical_or(M.equal(w_shape, 1),
                                             M.equal(w_shape, v_shape)))

        valid = cond(is_scalar, lambda: M.identity(is_scalar),
                     lambda: cond(M.equal(v_rank, w_rank), dims_ok,
                                  lambda: M.constant(False)))
        return Assert(valid, [_BROADCAST_ERROR, "weights.shape=", weights.name, w_shape,
                              "values.shape=", values.name, v_shape, "is_scalar=",
                              is_scalar])


def _broadcast_weights(weights, values):
    """TF's ``broadcast_weights``: ``weights`` (after the check above) times ones shaped
    as ``values``; equal static shapes pass through as they are."""
    with _fw.name_scope(None, "broadcast_weights"):
        values = convert_to_tensor(values)
        weights = convert_to_tensor(weights, dtype=values._np_dtype)
        ws, vs = _shape(weights), _shape(values)
        if ws.is_fully_defined() and vs.is_fully_defined() and ws.is_compatible_with(vs):
            return weights
        check = _assert_broadcastable(weights, values)
        with _so.control_dependencies([check]):
            return M.multiply(weights, M.ones_like(values))


def _safe_div(num, den, name):
    return M.div_no_nan(num, M.maximum(den, 0), name=name)


# -- means ------------------------------------------------------------------------------
def mean(values, weights=None, metrics_collections=None, updates_collections=None,
         name=None):
    """The (weighted) mean of every value seen: ``total / count`` in local variables
    ``mean/total`` and ``mean/count``.

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default():
    ...     m, update = tf.metrics.mean([1.0, 2.0, 6.0], weights=[1.0, 1.0, 0.0])
    ...     with tf.Session() as s:
    ...         s.run(tf.local_variables_initializer())
    ...         print(s.run(update), s.run(m), [v.name for v in tf.local_variables()])
    1.5 1.5 ['mean/total:0', 'mean/count:0']
    """
    _graph_only("mean is not supported")
    with variable_scope(name, "mean", (values, weights)):
        values = M.cast(values, np.float32)
        total = _metric_variable([], np.float32, name="total")
        count = _metric_variable([], np.float32, name="count")
        if weights is None:
            num_values = M.cast(M.size(values), np.float32)
        else:
            values, _, weights = _remove_squeezable_dimensions(values, None, weights)
            weights = _broadcast_weights(M.cast(weights, np.float32), values)
            values = M.multiply(values, weights)
            num_values = M.reduce_sum(weights)
        update_total = _so.assign_add(total, M.reduce_sum(values))
        with _so.control_dependencies([values]):
            update_count = _so.assign_add(count, num_values)
        value = _safe_div(total, count, "value")
        _add_to_collections(metrics_collections, value)
        update_op = _safe_div(update_total, update_count, "update_op")
        _add_to_collections(updates_collections, update_op)
        return value, update_op


def mean_tensor(values, weights=None, metrics_collections=None, updates_collections=None,
                name=None):
    """The element-wise (weighted) mean of every tensor seen (variables
    ``mean/total_tensor`` and ``mean/count_tensor`` of the values' static shape).

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default():
    ...     x = tf.placeholder(tf.float32, [2])
    ...     m, update = tf.metrics.mean_tensor(x)
    ...     with tf.Session() as s:
    ...         s.run(tf.local_variables_initializer())
    ...         _ = s.run(update, {x: [1.0, 2.0]})
    ...         print(s.run(update, {x: [3.0, 6.0]}))
    [2. 4.]
    """
    _graph_only("mean_tensor is not supported")
    with variable_scope(name, "mean", (values, weights)):
        values = M.cast(values, np.float32)
        if not _shape(values).is_fully_defined():
            raise ValueError(f"mean_tensor: the values' shape must be fully defined, got "
                             f"{_shape(values)} ({values.name})")
        total = _metric_variable(_shape(values).as_list(), np.float32,
                                 name="total_tensor")
        count = _metric_variable(_shape(values).as_list(), np.float32,
                                 name="count_tensor")
        num_values = M.ones_like(values)
        if weights is not None:
            values, _, weights = _remove_squeezable_dimensions(values, None, weights)
            weights = _broadcast_weights(M.cast(weights, np.float32), values)
            values = M.multiply(values, weights)
            num_values = M.multiply(num_values, weights)
        update_total = _so.assign_add(total, values)
        with _so.control_dependencies([values]):
            update_count = _so.assign_add(count, num_values)
        value = _safe_div(total, count, "value")
        _add_to_collections(metrics_collections, value)
        update_op = _safe_div(update_total, update_count, "update_op")
        _add_to_collections(updates_collections, update_op)
        return value, update_op


def accuracy(labels, predictions, weights=None, metrics_collections=None,
             updates_collections=None, name=None):
    """How often ``predictions`` equal ``labels`` (a ``mean`` of the matches, scope
    ``accuracy``); predictions are cast to the labels' dtype.

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default():
    ...     acc, update = tf.metrics.accuracy([1, 0, 1, 1], [1, 1, 1, 0])
    ...     with tf.Session() as s:
    ...         s.run(tf.local_variables_initializer())
    ...         print(s.run(update), s.run(acc))
    0.5 0.5
    """
    _graph_only("accuracy is not supported")
    predictions, labels, weights = _remove_squeezable_dimensions(predictions, labels,
                                                                 weights)
    _shape(predictions).assert_is_compatible_with(_shape(labels))
    if labels._np_dtype != predictions._np_dtype:
        predictions = M.cast(predictions, labels._np_dtype)
    is_correct = M.cast(M.equal(predictions, labels), np.float32)
    return mean(is_correct, weights, metrics_collections, updates_collections,
                name or "accuracy")


def mean_absolute_error(labels, predictions, weights=None, metrics_collections=None,
                        updates_collections=None, name=None):
    """The (weighted) mean of ``|predictions - labels|``.

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default():
    ...     m, update = tf.metrics.mean_absolute_error([1.0, 2.0], [2.0, 5.0])
    ...     with tf.Session() as s:
    ...         s.run(tf.local_variables_initializer())
    ...         print(s.run(update))
    2.0
    """
    _graph_only("mean_absolute_error is not supported")
    predictions, labels, weights = _remove_squeezable_dimensions(predictions, labels,
                                                                 weights)
    return mean(M.abs(predictions - labels), weights, metrics_collections,
                updates_collections, name or "mean_absolute_error")


def mean_squared_error(labels, predictions, weights=None, metrics_collections=None,
                       updates_collections=None, name=None):
    """The (weighted) mean of ``(labels - predictions) ** 2``.

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default():
    ...     m, update = tf.metrics.mean_squared_error([1.0, 2.0], [2.0, 5.0])
    ...     with tf.Session() as s:
    ...         s.run(tf.local_variables_initializer())
    ...         print(s.run(update))
    5.0
    """
    _graph_only("mean_squared_error is not supported")
    predictions, labels, weights = _remove_squeezable_dimensions(predictions, labels,
                                                                 weights)
    return mean(M.squared_difference(labels, predictions), weights, metrics_collections,
                updates_collections, name or "mean_squared_error")


def root_mean_squared_error(labels, predictions, weights=None, metrics_collections=None,
                            updates_collections=None, name=None):
    """The square root of ``mean_squared_error`` (scope ``root_mean_squared_error``).

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default():
    ...     m, update = tf.metrics.root_mean_squared_error([1.0, 2.0], [4.0, 6.0])
    ...     with tf.Session() as s:
    ...         s.run(tf.local_variables_initializer())
    ...         print(s.run(update))
    3.535534
    """
    _graph_only("root_mean_squared_error is not supported")
    predictions, labels, weights = _remove_squeezable_dimensions(predictions, labels,
                                                                 weights)
    mse, update_mse = mean_squared_error(labels, predictions, weights, None, None,
                                         name or "root_mean_squared_error")
    rmse = M.sqrt(mse)
    _add_to_collections(metrics_collections, rmse)
    update_op = M.sqrt(update_mse)
    _add_to_collections(updates_collections, update_op)
    return rmse, update_op


def mean_relative_error(labels, predictions, normalizer, weights=None,
                        metrics_collections=None, updates_collections=None, name=None):
    """The (weighted) mean of ``|labels - predictions| / normalizer`` (0 where the
    normalizer is 0).

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default():
    ...     m, update = tf.metrics.mean_relative_error([1.0, 2.0], [2.0, 5.0],
    ...                                                normalizer=[2.0, 0.0])
    ...     with tf.Session() as s:
    ...         s.run(tf.local_variables_initializer())
    ...         print(s.run(update))
    0.25
    """
    _graph_only("mean_relative_error is not supported")
    predictions, labels, weights = _remove_squeezable_dimensions(predictions, labels,
                                                                 weights)
    predictions, normalizer = _squeeze_pair(predictions, normalizer)
    _shape(predictions).assert_is_compatible_with(_shape(normalizer))
    relative = M.where(M.equal(normalizer, 0.0), M.zeros_like(labels),
                       M.divide(M.abs(labels - predictions), normalizer))
    return mean(relative, weights, metrics_collections, updates_collections,
                name or "mean_relative_error")


def percentage_below(values, threshold, weights=None, metrics_collections=None,
                     updates_collections=None, name=None):
    """The (weighted) fraction of values below ``threshold`` (scope
    ``percentage_below_threshold``).

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default():
    ...     m, update = tf.metrics.percentage_below([1.0, 2.0, 3.0, 4.0], 2.5)
    ...     with tf.Session() as s:
    ...         s.run(tf.local_variables_initializer())
    ...         print(s.run(update))
    0.5
    """
    _graph_only("percentage_below is not supported")
    below = M.cast(M.less(values, threshold), np.float32)
    return mean(below, weights, metrics_collections, updates_collections,
                name or "percentage_below_threshold")


def mean_cosine_distance(labels, predictions, dim, weights=None, metrics_collections=None,
                         updates_collections=None, name=None):
    """``1 - mean(sum(labels * predictions, dim))``: the cosine distance of unit-normalized
    vectors along ``dim``.

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default():
    ...     m, update = tf.metrics.mean_cosine_distance([[1.0, 0.0], [0.0, 1.0]],
    ...                                                 [[1.0, 0.0], [1.0, 0.0]], dim=1)
    ...     with tf.Session() as s:
    ...         s.run(tf.local_variables_initializer())
    ...         print(s.run(update))
    0.5
    """
    _graph_only("mean_cosine_distance is not supported")
    predictions, labels, weights = _remove_squeezable_dimensions(predictions, labels,
                                                                 weights)
    radial = M.reduce_sum(M.multiply(predictions, labels), axis=[dim], keepdims=True)
    m, update = mean(radial, weights, None, None, name or "mean_cosine_distance")
    m = M.subtract(1.0, m)
    update = M.subtract(1.0, update)
    _add_to_collections(metrics_collections, m)
    _add_to_collections(updates_collections, update)
    return m, update


# -- counts, precision, recall ----------------------------------------------------------
def _count_condition(values, weights, metrics_collections, updates_collections):
    """A local ``count`` summing the (weighted) True values; weights have rank 0 or the
    values' rank and multiply them with broadcasting."""
    from .check_ops import assert_rank_in
    count = _metric_variable([], np.float32, name="count")
    values = M.cast(values, np.float32)
    if weights is not None:
        weights = convert_to_tensor(weights)
        vr = _shape(values).ndims
        if vr is not None:
            check = assert_rank_in(weights, (0, vr))
        else:
            from .check_ops import Assert
            wr = M.rank(weights)
            check = Assert(M.logical_or(M.equal(wr, 0), M.equal(wr, M.rank(values))),
                           [f"Tensor {weights.name} must have rank in (0, rank of "
                            f"{values.name}). Received rank:", wr])
        deps = [check] if check is not None else []
        with _so.control_dependencies(deps):
            weights = M.cast(weights, np.float32)
            values = M.multiply(values, weights)
    value = M.identity(count)
    _add_to_collections(metrics_collections, value)
    update_op = _so.assign_add(count, M.reduce_sum(values))
    _add_to_collections(updates_collections, update_op)
    return value, update_op


def _make_count(fname, want_label, want_pred, what):
    def metric(labels, predictions, weights=None, metrics_collections=None,
               updates_collections=None, name=None):
        _graph_only(f"{fname} is not supported")
        with variable_scope(name, fname, (predictions, labels, weights)):
            predictions, labels, weights = _remove_squeezable_dimensions(
                M.cast(predictions, np.bool_), M.cast(labels, np.bool_), weights)
            hit = M.logical_and(M.equal(labels, want_label),
                                M.equal(predictions, want_pred))
            return _count_condition(hit, weights, metrics_collections,
                                    updates_collections)
    metric.__name__ = metric.__qualname__ = fname
    metric.__module__ = __name__
    metric.__doc__ = (
        f"The (weighted) number of {what}: labels {want_label} and predictions "
        f"{want_pred} (both cast to bool), in the local variable ``{fname}/count``.\n\n"
        "    >>> import ndgrad.tf as tf\n"
        "    >>> with tf.Graph().as_default():\n"
        f"    ...     n, update = tf.metrics.{fname}([1, 1, 0, 0], [1, 0, 1, 0],\n"
        "    ...                                     weights=[1.0, 2.0, 3.0, 4.0])\n"
        "    ...     with tf.Session() as s:\n"
        "    ...         s.run(tf.local_variables_initializer())\n"
        "    ...         print(s.run(update), n.name)\n"
        f"    {_COUNT_EXAMPLE[fname]} {fname}/Identity:0\n")
    return metric


_COUNT_EXAMPLE = {"true_positives": "1.0", "false_negatives": "2.0",
                  "false_positives": "3.0", "true_negatives": "4.0"}
true_positives = _make_count("true_positives", True, True, "true positives")
false_negatives = _make_count("false_negatives", True, False, "false negatives")
false_positives = _make_count("false_positives", False, True, "false positives")
true_negatives = _make_count("true_negatives", False, False, "true negatives")


def precision(labels, predictions, weights=None, metrics_collections=None,
              updates_collections=None, name=None):
    """``tp / (tp + fp)`` (0 when nothing was predicted positive), from local counts
    ``precision/true_positives/count`` and ``precision/false_positives/count``.

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default():
    ...     p, update = tf.metrics.precision([1, 1, 0, 0], [1, 0, 1, 1])
    ...     with tf.Session() as s:
    ...         s.run(tf.local_variables_initializer())
    ...         print(s.run(update))
    0.33333334
    """
    _graph_only("precision is not supported")
    return _tp_ratio("precision", false_positives, labels, predictions, weights,
                     metrics_collections, updates_collections, name)


def recall(labels, predictions, weights=None, metrics_collections=None,
           updates_collections=None, name=None):
    """``tp / (tp + fn)`` (0 when no label was positive), from local counts
    ``recall/true_positives/count`` and ``recall/false_negatives/count``.

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default():
    ...     r, update = tf.metrics.recall([1, 1, 0, 1], [1, 0, 1, 1])
    ...     with tf.Session() as s:
    ...         s.run(tf.local_variables_initializer())
    ...         print(s.run(update))
    0.6666667
    """
    _graph_only("recall is not supported is not supported")
    return _tp_ratio("recall", false_negatives, labels, predictions, weights,
                     metrics_collections, updates_collections, name)


def _tp_ratio(kind, other, labels, predictions, weights, metrics_collections,
              updates_collections, name):
    """``tp / (tp + other)`` from local counts (precision: ``other`` the false
    positives, recall: the false negatives), 0 while the denominator is 0."""
    with variable_scope(name, kind, (predictions, labels, weights)):
        predictions, labels, weights = _remove_squeezable_dimensions(
            M.cast(predictions, np.bool_), M.cast(labels, np.bool_), weights)
        tp, tp_update = true_positives(labels, predictions, weights)
        o, o_update = other(labels, predictions, weights)

        def compute(tp, o, name):
            return M.where(M.greater(tp + o, 0), M.divide(tp, tp + o), 0, name)

        value = compute(tp, o, "value")
        _add_to_collections(metrics_collections, value)
        update_op = compute(tp_update, o_update, "update_op")
        _add_to_collections(updates_collections, update_op)
        return value, update_op


# -- confusion counts at thresholds, AUC ------------------------------------------------
_ALL_INCLUDES = ("tp", "fn", "tn", "fp")
_COUNT_NAMES = {"tp": "true_positives", "fn": "false_negatives", "tn": "true_negatives",
                "fp": "false_positives"}


def _confusion_matrix_at_thresholds(labels, predictions, thresholds, weights=None,
                                    includes=None):
    """Local [len(thresholds)] counts of tp/fn/tn/fp where ``prediction > threshold``
    counts as positive; predictions must lie in [0, 1] (checked in the run)."""
    from .check_ops import assert_greater_equal, assert_less_equal
    if includes is None:
        includes = _ALL_INCLUDES
    for inc in includes:
        if inc not in _ALL_INCLUDES:
            raise ValueError(f"Invalid key: {inc}")
    predictions = convert_to_tensor(predictions)
    checks = [assert_greater_equal(predictions, M.cast(0.0, predictions._np_dtype),
                                   message="predictions must be in [0, 1]"),
              assert_less_equal(predictions, M.cast(1.0, predictions._np_dtype),
                                message="predictions must be in [0, 1]")]
    with _so.control_dependencies(checks):
        predictions, labels, weights = _remove_squeezable_dimensions(
            M.identity(M.cast(predictions, np.float32)),
            M.identity(M.cast(labels, np.bool_)), weights)
    n = len(thresholds)
    pred_row = M.reshape(predictions, [1, -1])
    label_row = M.reshape(M.cast(labels, np.bool_), [1, -1])
    thresh = M.reshape(M.constant(np.asarray(thresholds, np.float32)), [n, 1])
    pred_pos = M.greater(pred_row, thresh)                       # [n, N]
    pred_neg = M.logical_not(pred_pos)
    label_pos = M.tile(label_row, [n, 1])
    label_neg = M.logical_not(label_pos)
    if weights is not None:
        weights = _broadcast_weights(M.cast(weights, np.float32), predictions)
        weights_row = M.reshape(weights, [1, -1])
    else:
        weights_row = None
    conditions = {"tp": (label_pos, pred_pos), "fn": (label_pos, pred_neg),
                  "tn": (label_neg, pred_neg), "fp": (label_neg, pred_pos)}
    values, updates = {}, {}
    for key in _ALL_INCLUDES:
        if key not in includes:
            continue
        var = _metric_variable([n], np.float32, name=_COUNT_NAMES[key])
        hit = M.cast(M.logical_and(*conditions[key]), np.float32)
        if weights_row is not None:
            hit = hit * weights_row
        updates[key] = _so.assign_add(var, M.reduce_sum(hit, 1))
        values[key] = var
    return values, updates


def _make_count_at_thresholds(fname, key):
    def metric(labels, predictions, thresholds, weights=None, metrics_collections=None,
               updates_collections=None, name=None):
        _graph_only(f"{fname}_at_thresholds is not supported")
        with variable_scope(name, fname, (predictions, labels, weights)):
            values, updates = _confusion_matrix_at_thresholds(
                labels, predictions, thresholds, weights=weights, includes=(key,))
            value = M.identity(values[key])
            _add_to_collections(metrics_collections, value)
            _add_to_collections(updates_collections, updates[key])
            return value, updates[key]
    metric.__name__ = metric.__qualname__ = fname + "_at_thresholds"
    metric.__module__ = __name__
    metric.__doc__ = (
        f"The (weighted) number of {fname.replace('_', ' ')} at each threshold (a "
        "prediction counts as positive when above it), in the local variable "
        f"``{fname}/{fname}``.\n\n"
        "    >>> import ndgrad.tf as tf\n"
        "    >>> with tf.Graph().as_default():\n"
        f"    ...     n, update = tf.metrics.{fname}_at_thresholds(\n"
        "    ...         [1, 1, 0, 0], tf.constant([0.9, 0.4, 0.6, 0.2]),\n"
        "    ...         thresholds=[0.3, 0.5])\n"
        "    ...     with tf.Session() as s:\n"
        "    ...         s.run(tf.local_variables_initializer())\n"
        "    ...         print(s.run(update))\n"
        f"    {_AT_THRESHOLDS_EXAMPLE[key]}\n")
    return metric


_AT_THRESHOLDS_EXAMPLE = {"tp": "[2. 1.]", "fn": "[0. 1.]", "tn": "[1. 1.]",
                          "fp": "[1. 1.]"}
true_positives_at_thresholds = _make_count_at_thresholds("true_positives", "tp")
false_positives_at_thresholds = _make_count_at_thresholds("false_positives", "fp")
true_negatives_at_thresholds = _make_count_at_thresholds("true_negatives", "tn")
false_negatives_at_thresholds = _make_count_at_thresholds("false_negatives", "fn")


def precision_at_thresholds(labels, predictions, thresholds, weights=None,
                            metrics_collections=None, updates_collections=None, name=None):
    """``tp / (tp + fp + 1e-7)`` at each threshold.

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default():
    ...     p, update = tf.metrics.precision_at_thresholds(
    ...         [1, 1, 0, 0], tf.constant([0.9, 0.4, 0.6, 0.2]), thresholds=[0.3, 0.5])
    ...     with tf.Session() as s:
    ...         s.run(tf.local_variables_initializer())
    ...         print(s.run(update))
    [0.6666667 0.5      ]
    """
    _graph_only("precision_at_thresholds is not supported")
    return _tp_ratio_at_thresholds("precision", "fp", labels, predictions, thresholds,
                                   weights, metrics_collections, updates_collections, name)


def recall_at_thresholds(labels, predictions, thresholds, weights=None,
                         metrics_collections=None, updates_collections=None, name=None):
    """``tp / (tp + fn + 1e-7)`` at each threshold.

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default():
    ...     r, update = tf.metrics.recall_at_thresholds(
    ...         [1, 1, 0, 0], tf.constant([0.9, 0.4, 0.6, 0.2]), thresholds=[0.3, 0.5])
    ...     with tf.Session() as s:
    ...         s.run(tf.local_variables_initializer())
    ...         print(s.run(update))
    [1.  0.5]
    """
    _graph_only("recall_at_thresholds is not supported")
    return _tp_ratio_at_thresholds("recall", "fn", labels, predictions, thresholds,
                                   weights, metrics_collections, updates_collections, name)


def _tp_ratio_at_thresholds(kind, other, labels, predictions, thresholds, weights,
                            metrics_collections, updates_collections, name):
    """``tp / (tp + other + 1e-7)`` at each threshold (precision: ``other`` "fp",
    recall: "fn"), as TF's ``*_at_thresholds``."""
    with variable_scope(name, kind + "_at_thresholds", (predictions, labels, weights)):
        values, updates = _confusion_matrix_at_thresholds(
            labels, predictions, thresholds, weights, includes=("tp", other))
        eps = 1e-7

        def compute(tp, o, name):
            return M.divide(tp, eps + tp + o, name=f"{kind}_{name}")

        value = compute(values["tp"], values[other], "value")
        _add_to_collections(metrics_collections, value)
        update_op = compute(updates["tp"], updates[other], "update_op")
        _add_to_collections(updates_collections, update_op)
        return value, update_op


def _auc_thresholds(num_thresholds, last=1.0 + 1e-7):
    inner = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
    return [0.0 - 1e-7] + inner + [last]


def auc(labels, predictions, weights=None, num_thresholds=200, metrics_collections=None,
        updates_collections=None, curve="ROC", name=None,
        summation_method="trapezoidal", thresholds=None):
    """The area under the ROC or PR curve, from tp/fn/tn/fp counted at
    ``num_thresholds`` thresholds spread evenly over [0, 1] (or ``thresholds`` with
    -1e-7 and 1 + 1e-7 added); ``summation_method``: 'trapezoidal', 'minoring',
    'majoring', or (PR) 'careful_interpolation'.

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default():
    ...     a, update = tf.metrics.auc([0, 0, 1, 1], tf.constant([0.1, 0.4, 0.35, 0.8]))
    ...     with tf.Session() as s:
    ...         s.run(tf.local_variables_initializer())
    ...         print(s.run(update))
    0.74999976
    """
    _graph_only("auc is not supported")
    with variable_scope(name, "auc", (labels, predictions, weights)):
        if curve != "ROC" and curve != "PR":
            raise ValueError(f"Curve must be either ROC or PR. Curve {curve} is unknown.")
        if thresholds is not None:
            inner = sorted(thresholds)
            num_thresholds = len(inner) + 2
            thresholds = [0.0 - 1e-7] + inner + [1.0 + 1e-7]
        else:
            thresholds = _auc_thresholds(num_thresholds)
        values, updates = _confusion_matrix_at_thresholds(labels, predictions,
                                                          thresholds, weights)
        eps = 1.0e-6
        n = num_thresholds

        def interpolate_pr_auc(tp, fp, fn):
            dtp = tp[:n - 1] - tp[1:]
            p = tp + fp
            slope = M.div_no_nan(dtp, M.maximum(p[:n - 1] - p[1:], 0), name="prec_slope")
            intercept = tp[1:] - M.multiply(slope, p[1:])
            ratio = M.where(M.logical_and(p[:n - 1] > 0, p[1:] > 0),
                            M.div_no_nan(p[:n - 1], M.maximum(p[1:], 0),
                                         name="recall_relative_ratio"),
                            M.ones_like(p[1:]))
            return M.reduce_sum(M.div_no_nan(slope * (dtp + intercept * M.log(ratio)),
                                             M.maximum(tp[1:] + fn[1:], 0),
                                             name="pr_auc_increment"),
                                name="interpolate_pr_auc")

        def compute(tp, fn, tn, fp, name):
            if curve == "PR" and summation_method == "careful_interpolation":
                return interpolate_pr_auc(tp, fp, fn)
            rec = M.divide(tp + eps, tp + fn + eps)
            if curve == "ROC":
                x, y = M.divide(fp, fp + tn + eps), rec
            else:
                x, y = rec, M.divide(tp + eps, tp + fp + eps)
            if summation_method in ("trapezoidal", "careful_interpolation"):
                height = (y[:n - 1] + y[1:]) / 2.0
            elif summation_method == "minoring":
                height = M.minimum(y[:n - 1], y[1:])
            elif summation_method == "majoring":
                height = M.maximum(y[:n - 1], y[1:])
            else:
                raise ValueError(f"Invalid summation_method: {summation_method} "
                                 "summation_method should be 'trapezoidal', "
                                 "'careful_interpolation', 'minoring', or 'majoring'.")
            return M.reduce_sum(M.multiply(x[:n - 1] - x[1:], height), name=name)

        value = compute(values["tp"], values["fn"], values["tn"], values["fp"], "value")
        _add_to_collections(metrics_collections, value)
        update_op = compute(updates["tp"], updates["fn"], updates["tn"], updates["fp"],
                            "update_op")
        _add_to_collections(updates_collections, update_op)
        return value, update_op


def sensitivity_at_specificity(labels, predictions, specificity, weights=None,
                               num_thresholds=200, metrics_collections=None,
                               updates_collections=None, name=None):
    """The sensitivity (recall) at the threshold whose specificity is closest to
    ``specificity`` (the first such threshold).

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default():
    ...     v, update = tf.metrics.sensitivity_at_specificity(
    ...         [0, 0, 1, 1], tf.constant([0.1, 0.4, 0.35, 0.8]), specificity=0.5)
    ...     with tf.Session() as s:
    ...         s.run(tf.local_variables_initializer())
    ...         print(s.run(update))
    1.0
    """
    _graph_only("sensitivity_at_specificity is not supported")
    if specificity < 0 or specificity > 1:
        raise ValueError("`specificity` must be in the range [0, 1]. Currently, "
                         f"`specificity` got {specificity}.")
    with variable_scope(name, "sensitivity_at_specificity",
                        (predictions, labels, weights)):
        keps = 1e-7
        values, updates = _confusion_matrix_at_thresholds(
            labels, predictions, _auc_thresholds(num_thresholds), weights)

        def compute(tp, tn, fp, fn, name):
            specs = M.divide(tn, tn + fp + keps)
            i = M.cast(M.argmin(M.abs(specs - specificity), 0), np.int32)
            tpi = M.gather(tp, i)
            return M.divide(tpi, tpi + M.gather(fn, i) + keps, name)

        value = compute(values["tp"], values["tn"], values["fp"], values["fn"], "value")
        _add_to_collections(metrics_collections, value)
        update_op = compute(updates["tp"], updates["tn"], updates["fp"], updates["fn"],
                            "update_op")
        _add_to_collections(updates_collections, update_op)
        return value, update_op


def specificity_at_sensitivity(labels, predictions, sensitivity, weights=None,
                               num_thresholds=200, metrics_collections=None,
                               updates_collections=None, name=None):
    """The specificity at the threshold whose sensitivity is closest to ``sensitivity``
    (the last such threshold).

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default():
    ...     v, update = tf.metrics.specificity_at_sensitivity(
    ...         [0, 0, 1, 1], tf.constant([0.1, 0.4, 0.35, 0.8]), sensitivity=0.5)
    ...     with tf.Session() as s:
    ...         s.run(tf.local_variables_initializer())
    ...         print(s.run(update))
    1.0
    """
    from .extra_ops import cumsum
    _graph_only("specificity_at_sensitivity is not supported")
    if sensitivity < 0 or sensitivity > 1:
        raise ValueError("`sensitivity` must be in the range [0, 1]. Currently, "
                         f"`sensitivity` is {sensitivity}.")
    with variable_scope(name, "specificity_at_sensitivity",
                        (predictions, labels, weights)):
        keps = 1e-7
        values, updates = _confusion_matrix_at_thresholds(
            labels, predictions, _auc_thresholds(num_thresholds, 1.0 - keps), weights)

        def compute(tp, tn, fp, fn, name):
            sens = M.divide(tp, tp + fn + keps)
            dist = M.abs(sens - sensitivity)
            at_min = M.cast(M.equal(dist, M.reduce_min(dist)), np.int64)
            i = M.cast(M.argmax(cumsum(at_min), 0), np.int32)
            tni = M.gather(tn, i)
            return M.divide(tni, tni + M.gather(fp, i) + keps, name)

        value = compute(values["tp"], values["tn"], values["fp"], values["fn"], "value")
        _add_to_collections(metrics_collections, value)
        update_op = compute(updates["tp"], updates["tn"], updates["fp"], updates["fn"],
                            "update_op")
        _add_to_collections(updates_collections, update_op)
        return value, update_op


# -- class metrics: mean IoU, mean per-class accuracy -----------------------------------
def _confusion_matrix(labels, predictions, num_classes, weights):
    """TF's ``confusion_matrix`` (float64): rows labels, columns predictions; labels and
    predictions must lie in [0, num_classes) (checked in the run)."""
    from .array_ops import unsorted_segment_sum
    from .check_ops import assert_less, assert_non_negative
    with _fw.name_scope(None, "confusion_matrix"):
        labels, predictions = _squeeze_pair(M.cast(labels, np.int64),
                                            M.cast(predictions, np.int64))
        n = int(num_classes)
        checks = [assert_non_negative(labels, message="`labels` contains negative values"),
                  assert_non_negative(predictions,
                                      message="`predictions` contains negative values"),
                  assert_less(labels, np.int64(n), message="`labels` out of bound"),
                  assert_less(predictions, np.int64(n),
                              message="`predictions` out of bound")]
        with _so.control_dependencies([c for c in checks if c is not None]):
            labels = M.identity(labels)
            predictions = M.identity(predictions)
        if weights is not None:
            weights = convert_to_tensor(weights)
            _shape(predictions).assert_is_compatible_with(_shape(weights))
            weights = M.cast(weights, np.float64)
            vals = weights
        else:
            vals = M.ones_like(predictions, dtype=np.float64)
        flat = labels * np.int64(n) + predictions
        return M.reshape(unsorted_segment_sum(vals, flat, n * n), [n, n])


def _streaming_confusion_matrix(labels, predictions, num_classes, weights=None):
    total_cm = _metric_variable([num_classes, num_classes], np.float64,
                                name="total_confusion_matrix")
    predictions = M.cast(predictions, np.int64)
    labels = M.cast(labels, np.int64)
    if _shape(predictions).ndims > 1:
        predictions = M.reshape(predictions, [-1])
    if _shape(labels).ndims > 1:
        labels = M.reshape(labels, [-1])
    if weights is not None:
        weights = convert_to_tensor(weights)
        if _shape(weights).ndims > 1:
            weights = M.reshape(weights, [-1])
    current = _confusion_matrix(labels, predictions, num_classes, weights)
    return total_cm, _so.assign_add(total_cm, current)


def mean_iou(labels, predictions, num_classes, weights=None, metrics_collections=None,
             updates_collections=None, name=None):
    """The mean over classes of the intersection over union ``cm[i, i] / (row_i + col_i
    - cm[i, i])`` of the running confusion matrix (local variable
    ``mean_iou/total_confusion_matrix``, float64; classes never seen are left out). The
    update op gives the confusion matrix.

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default():
    ...     m, update = tf.metrics.mean_iou(tf.constant([0, 0, 1, 1]),
    ...                                   tf.constant([0, 1, 1, 1]), num_classes=2)
    ...     with tf.Session() as s:
    ...         s.run(tf.local_variables_initializer())
    ...         print(s.run(update)); print(s.run(m))
    [[1. 1.]
     [0. 2.]]
    0.5833334
    """
    _graph_only("mean_iou is not supported")
    with variable_scope(name, "mean_iou", (predictions, labels, weights)):
        predictions = convert_to_tensor(predictions)
        labels = convert_to_tensor(labels)
        _shape(predictions).assert_is_compatible_with(_shape(labels))
        total_cm, update_op = _streaming_confusion_matrix(labels, predictions,
                                                          num_classes, weights)
        from .extra_ops import diag_part
        rows = M.cast(M.reduce_sum(total_cm, 0), np.float32)
        cols = M.cast(M.reduce_sum(total_cm, 1), np.float32)
        diag = M.cast(diag_part(total_cm), np.float32)
        den = rows + cols - diag
        valid = M.reduce_sum(M.cast(M.not_equal(den, 0), np.float32))
        den = M.where(M.greater(den, 0), den, M.ones_like(den))
        iou = M.divide(diag, den)
        value = M.where(M.greater(valid, 0), M.reduce_sum(iou, name="mean_iou") / valid,
                        0)
        _add_to_collections(metrics_collections, value)
        _add_to_collections(updates_collections, update_op)
        return value, update_op


def mean_per_class_accuracy(labels, predictions, num_classes, weights=None,
                            metrics_collections=None, updates_collections=None,
                            name=None):
    """The mean over classes of each class's (weighted) accuracy, from local
    ``mean_accuracy/total`` and ``mean_accuracy/count`` of ``[num_classes]``; the update
    op gives the per-class accuracies.

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default():
    ...     m, update = tf.metrics.mean_per_class_accuracy(tf.constant([0, 0, 1, 1]),
    ...                                                  tf.constant([0, 1, 1, 1]), 2)
    ...     with tf.Session() as s:
    ...         s.run(tf.local_variables_initializer())
    ...         print(s.run(update), s.run(m))
    [0.5 1. ] 0.75
    """
    from .extra_ops import scatter_add
    _graph_only("mean_per_class_accuracy is not supported")
    with variable_scope(name, "mean_accuracy", (predictions, labels, weights)):
        labels = M.cast(labels, np.int64)
        predictions = convert_to_tensor(predictions)
        if _shape(labels).ndims > 1:
            labels = M.reshape(labels, [-1])
        if _shape(predictions).ndims > 1:
            predictions = M.reshape(predictions, [-1])
        _shape(predictions).assert_is_compatible_with(_shape(labels))
        total = _metric_variable([num_classes], np.float32, name="total")
        count = _metric_variable([num_classes], np.float32, name="count")
        ones = M.ones(M.reshape(M.size(labels), [1]), np.float32)
        if labels._np_dtype != predictions._np_dtype:
            predictions = M.cast(predictions, labels._np_dtype)
        is_correct = M.cast(M.equal(predictions, labels), np.float32)
        if weights is not None:
            weights = convert_to_tensor(weights)
            if _shape(weights).ndims > 1:
                weights = M.reshape(weights, [-1])
            weights = M.cast(weights, np.float32)
            is_correct = is_correct * weights
            ones = ones * weights
        update_total = scatter_add(total, labels, ones)
        update_count = scatter_add(count, labels, is_correct)
        per_class = M.div_no_nan(count, M.maximum(total, 0))
        value = M.reduce_mean(per_class, name="mean_accuracy")
        _add_to_collections(metrics_collections, value)
        update_op = M.div_no_nan(update_count, M.maximum(update_total, 0),
                                 name="update_op")
        _add_to_collections(updates_collections, update_op)
        return value, update_op

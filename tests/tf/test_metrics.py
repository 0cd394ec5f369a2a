"""tf.metrics: streaming metrics against TensorFlow 1.15's semantics (values from
TensorFlow 2.15's tf.compat.v1 in graph mode, for the same programs), variable names and
collections, weights broadcasting checks and errors."""
import numpy as np
import pytest

import ndgrad.tf as tf

# the programs, run by ndgrad.tf here and by TensorFlow in the oracle test: each scenario
# builds metrics, runs the update op once per feed (several batches, empty batches,
# all-zero weights, int/bool labels and predictions) and then the value op
PROGRAM = r'''
import numpy as np


def _steps(tf, value_update, feeds):
    # run the update op once per feed, then the value op; every result flattened
    value, update = value_update
    out = []
    with tf.Session() as s:
        s.run(tf.local_variables_initializer())
        for f in feeds:
            out += np.ravel(s.run(update, f)).tolist()
        out += np.ravel(s.run(value)).tolist()
    return out


def mean_weighted_steps(tf):
    x = tf.placeholder(tf.float32, [None])
    w = tf.placeholder(tf.float32, [None])
    return _steps(tf, tf.metrics.mean(x, weights=w), [
        {x: [1.0, 2.0, 3.5], w: [1.0, 0.5, 2.0]}, {x: [], w: []},
        {x: [4.0, -1.0], w: [0.0, 0.0]}, {x: [10.0], w: [0.25]}])


def mean_empty_and_zero_weights(tf):
    x = tf.placeholder(tf.float32, [None])
    w = tf.placeholder(tf.float32, [None])
    a = _steps(tf, tf.metrics.mean(x), [{x: []}])
    b = _steps(tf, tf.metrics.mean(x, weights=w), [{x: [1.0, 2.0], w: [0.0, 0.0]}])
    return a + b


def mean_int_values_broadcast_weights(tf):
    v = tf.constant([[1, 2, 3], [4, 5, 6]])
    return (_steps(tf, tf.metrics.mean(v, weights=[[1.0], [3.0]]), [{}, {}]) +
            _steps(tf, tf.metrics.mean(v, weights=[[0.5, 1.0, 2.0]]), [{}]) +
            _steps(tf, tf.metrics.mean(v, weights=2.0), [{}]) +
            _steps(tf, tf.metrics.mean(tf.constant([[1.0], [2.0]]),
                                       weights=[3.0, 1.0]), [{}]))


def mean_tensor_steps(tf):
    x = tf.placeholder(tf.float32, [2, 2])
    w = tf.placeholder(tf.float32, [2, 1])
    return (_steps(tf, tf.metrics.mean_tensor(x), [{x: [[1, 2], [3, 4]]},
                                                   {x: [[3, 0], [1, 8]]}]) +
            _steps(tf, tf.metrics.mean_tensor(x, weights=w), [
                {x: [[1, 2], [3, 4]], w: [[1], [0]]},
                {x: [[3, 0], [1, 8]], w: [[3], [0]]}]))


def accuracy_int_labels_bool_predictions(tf):
    labels = tf.placeholder(tf.int32, [None])
    preds = tf.placeholder(tf.bool, [None])
    w = tf.placeholder(tf.float32, [None, 1])
    return (_steps(tf, tf.metrics.accuracy(labels, preds), [
                {labels: [1, 0, 1], preds: [True, True, True]},
                {labels: [0], preds: [False]}]) +
            _steps(tf, tf.metrics.accuracy(labels, preds, weights=w), [
                {labels: [1, 0, 1], preds: [True, True, True], w: [[1], [2], [0.5]]}]))


def accuracy_squeezes(tf):
    labels = tf.constant([[1], [2], [3], [3]])
    preds = tf.constant([1, 2, 0, 3], tf.int64)
    return _steps(tf, tf.metrics.accuracy(labels, preds), [{}])


def errors_mae_mse_rmse(tf):
    labels = tf.placeholder(tf.float32, [None, 3])
    preds = tf.placeholder(tf.float32, [None, 3])
    w = tf.constant([[1.0, 0.0, 2.0]])
    feeds = [{labels: [[1, 2, 3], [4, 5, 6]], preds: [[1.5, 2, 1], [0, 5, 9]]},
             {labels: [[0, 0, 0]], preds: [[1, -1, 2]]}]
    out = []
    for f in (tf.metrics.mean_absolute_error, tf.metrics.mean_squared_error,
              tf.metrics.root_mean_squared_error):
        out += _steps(tf, f(labels, preds), feeds)
        out += _steps(tf, f(labels, preds, weights=w), feeds)
    return out


def relative_error_below_cosine(tf):
    labels = tf.constant([1.0, 2.0, 3.0, 4.0])
    preds = tf.constant([2.0, 2.0, 1.0, 5.0])
    norm = tf.constant([2.0, 0.0, 4.0, 8.0])
    out = _steps(tf, tf.metrics.mean_relative_error(labels, preds, norm), [{}, {}])
    out += _steps(tf, tf.metrics.mean_relative_error(labels, preds, norm,
                                                     weights=[1.0, 1.0, 0.0, 2.0]), [{}])
    out += _steps(tf, tf.metrics.percentage_below([1.0, 2.0, 3.0, 4.0], 2.5), [{}])
    out += _steps(tf, tf.metrics.percentage_below([1, 2, 3, 4], 3,
                                                  weights=[0.0, 1.0, 1.0, 4.0]), [{}])
    a = tf.constant([[0.6, 0.8], [1.0, 0.0], [0.0, -1.0]])
    b = tf.constant([[0.8, 0.6], [0.0, 1.0], [0.0, 1.0]])
    out += _steps(tf, tf.metrics.mean_cosine_distance(a, b, dim=1), [{}])
    out += _steps(tf, tf.metrics.mean_cosine_distance(a, b, dim=1,
                                                      weights=[[1.0], [0.0], [2.0]]), [{}])
    return out


def counts_precision_recall(tf):
    labels = tf.placeholder(tf.int64, [None])
    preds = tf.placeholder(tf.bool, [None])
    w = tf.placeholder(tf.float32, [None])
    feeds = [{labels: [1, 1, 0, 0, 1], preds: [True, False, True, False, True],
              w: [1.0, 2.0, 3.0, 4.0, 0.5]},
             {labels: [0, 2], preds: [False, True], w: [1.0, 1.0]},
             {labels: [], preds: [], w: []}]
    out = []
    for f in (tf.metrics.true_positives, tf.metrics.false_positives,
              tf.metrics.true_negatives, tf.metrics.false_negatives,
              tf.metrics.precision, tf.metrics.recall):
        out += _steps(tf, f(labels, preds), feeds)
        out += _steps(tf, f(labels, preds, weights=w), feeds)
    return out


def precision_recall_nothing_positive(tf):
    labels = tf.constant([0, 0, 0])
    preds = tf.constant([0.0, 0.0, 0.0])
    return (_steps(tf, tf.metrics.precision(labels, preds), [{}]) +
            _steps(tf, tf.metrics.recall(labels, preds), [{}]))


_P = [0.1, 0.4, 0.35, 0.8, 0.65, 0.2, 0.9, 0.05, 0.5, 0.7]
_L = [0, 0, 1, 1, 1, 0, 1, 0, 1, 0]
_W = [1.0, 2.0, 0.5, 1.0, 3.0, 0.0, 1.0, 1.5, 2.0, 1.0]


def auc_variants(tf):
    p = tf.placeholder(tf.float32, [None])
    l = tf.placeholder(tf.int32, [None])
    w = tf.placeholder(tf.float32, [None])
    feeds = [{p: _P[:6], l: _L[:6], w: _W[:6]}, {p: _P[6:], l: _L[6:], w: _W[6:]}]
    out = []
    for curve in ("ROC", "PR"):
        for method in ("trapezoidal", "careful_interpolation", "minoring", "majoring"):
            out += _steps(tf, tf.metrics.auc(l, p, curve=curve, summation_method=method),
                          feeds)
            out += _steps(tf, tf.metrics.auc(l, p, weights=w, curve=curve, num_thresholds=7,
                                             summation_method=method), feeds)
    out += _steps(tf, tf.metrics.auc(l, p, thresholds=[0.6, 0.3, 0.5]), feeds)
    out += _steps(tf, tf.metrics.auc(l, p, curve="PR", thresholds=[0.6, 0.3, 0.5],
                                     summation_method="careful_interpolation"), feeds)
    return out


def auc_bool_labels_2d(tf):
    p = tf.constant([[0.2, 0.7], [0.9, 0.1]])
    l = tf.constant([[False, True], [True, True]])
    return _steps(tf, tf.metrics.auc(l, p, weights=[[1.0], [2.0]]), [{}])


def at_thresholds(tf):
    p = tf.placeholder(tf.float32, [None])
    l = tf.placeholder(tf.int32, [None])
    w = tf.placeholder(tf.float32, [None])
    feeds = [{p: _P[:6], l: _L[:6], w: _W[:6]}, {p: _P[6:], l: _L[6:], w: _W[6:]}]
    th = [0.0, 0.3, 0.5, 0.75, 1.0]
    out = []
    for f in (tf.metrics.true_positives_at_thresholds,
              tf.metrics.false_positives_at_thresholds,
              tf.metrics.true_negatives_at_thresholds,
              tf.metrics.false_negatives_at_thresholds,
              tf.metrics.precision_at_thresholds, tf.metrics.recall_at_thresholds):
        out += _steps(tf, f(l, p, th), feeds)
        out += _steps(tf, f(l, p, th, weights=w), feeds)
    return out


def sensitivity_specificity(tf):
    p = tf.placeholder(tf.float32, [None])
    l = tf.placeholder(tf.int32, [None])
    w = tf.placeholder(tf.float32, [None])
    feeds = [{p: _P[:6], l: _L[:6], w: _W[:6]}, {p: _P[6:], l: _L[6:], w: _W[6:]}]
    out = []
    for v in (0.0, 0.4, 0.7, 1.0):
        out += _steps(tf, tf.metrics.sensitivity_at_specificity(l, p, v), feeds)
        out += _steps(tf, tf.metrics.specificity_at_sensitivity(l, p, v), feeds)
        out += _steps(tf, tf.metrics.sensitivity_at_specificity(l, p, v, weights=w,
                                                                num_thresholds=11), feeds)
        out += _steps(tf, tf.metrics.specificity_at_sensitivity(l, p, v, weights=w,
                                                                num_thresholds=11), feeds)
    return out


def iou_and_per_class_accuracy(tf):
    l = tf.placeholder(tf.int64, [None])
    p = tf.placeholder(tf.int32, [None])
    w = tf.placeholder(tf.float32, [None])
    feeds = [{l: [0, 1, 2, 2, 1], p: [0, 2, 2, 1, 1], w: [1.0, 0.5, 2.0, 1.0, 0.0]},
             {l: [3, 0], p: [3, 3], w: [1.0, 1.0]}]
    out = []
    for f in (tf.metrics.mean_iou, tf.metrics.mean_per_class_accuracy):
        out += _steps(tf, f(l, p, 5), feeds)
        out += _steps(tf, f(l, p, 5, weights=w), feeds)
    l2 = tf.constant([[0, 1], [1, 1]])
    p2 = tf.constant([[0, 0], [1, 1]])
    out += _steps(tf, tf.metrics.mean_iou(l2, p2, 2, weights=tf.constant([[1.0, 2.0], [0.0, 1.0]])),
                  [{}])
    out += _steps(tf, tf.metrics.mean_per_class_accuracy(l2, p2, 2), [{}])
    return out


SCENARIOS = [mean_weighted_steps, mean_empty_and_zero_weights,
             mean_int_values_broadcast_weights, mean_tensor_steps,
             accuracy_int_labels_bool_predictions, accuracy_squeezes, errors_mae_mse_rmse,
             relative_error_below_cosine, counts_precision_recall,
             precision_recall_nothing_positive, auc_variants, auc_bool_labels_2d,
             at_thresholds, sensitivity_specificity, iou_and_per_class_accuracy]
'''

# TensorFlow 2.15 (tf.compat.v1, graph mode): the numbers of each scenario
EXPECTED = {
    "mean_weighted_steps": [
        2.57142854, 2.57142854, 2.57142854, 3.0666666, 3.0666666],
    "mean_empty_and_zero_weights": [
        0, 0, 0, 0],
    "mean_int_values_broadcast_weights": [
        4.25, 4.25, 4.25, 3.92857146, 3.92857146, 3.5, 3.5, 1.25, 1.25],
    "mean_tensor_steps": [
        1, 2, 3, 4, 2, 1, 2, 6, 2, 1, 2, 6, 1, 2, 0, 0, 2.5, 0.5, 0, 0, 2.5, 0.5, 0, 0],
    "accuracy_int_labels_bool_predictions": [
        0.666666687, 0.75, 0.75, 0.428571433, 0.428571433],
    "accuracy_squeezes": [
        0.75, 0.75],
    "errors_mae_mse_rmse": [
        1.58333337, 1.5, 1.5, 2.41666675, 2.16666675, 2.16666675, 4.875, 3.91666675,
        3.91666675, 7.04166651, 5.69444466, 5.69444466, 2.2079401, 1.97905707,
        1.97905707, 2.65361381, 2.38630366, 2.38630366],
    "relative_error_below_cosine": [
        0.28125, 0.28125, 0.28125, 0.1875, 0.1875, 0.5, 0.5, 0.166666672, 0.166666672,
        1.01333332, 1.01333332, 1.34666669, 1.34666669],
    "counts_precision_recall": [
        2, 3, 3, 3, 1.5, 2.5, 2.5, 2.5, 1, 1, 1, 1, 3, 3, 3, 3, 1, 2, 2, 2, 4, 5, 5,
        5, 1, 1, 1, 1, 2, 2, 2, 2, 0.666666687, 0.75, 0.75, 0.75, 0.333333343,
        0.454545468, 0.454545468, 0.454545468, 0.666666687, 0.75, 0.75, 0.75,
        0.428571433, 0.555555582, 0.555555582, 0.555555582],
    "precision_recall_nothing_positive": [
        0, 0, 0, 0],
    "auc_variants": [
        0.888888657, 0.839999855, 0.839999855, 0.962962687, 0.793939292, 0.793939292,
        0.888888657, 0.839999855, 0.839999855, 0.962962687, 0.793939292, 0.793939292,
        0.888888657, 0.839999855, 0.839999855, 0.925925672, 0.721212029, 0.721212029,
        0.888888657, 0.839999855, 0.839999855, 0.999999702, 0.866666496, 0.866666496,
        0.902777553, 0.834761798, 0.834761798, 0.982905746, 0.80238086, 0.80238086,
        0.904106021, 0.836174607, 0.836174607, 0.98016113, 0.798474371, 0.798474371,
        0.888888597, 0.816666543, 0.816666543, 0.965811729, 0.726984084, 0.726984084,
        0.916666389, 0.852856994, 0.852856994, 0.999999762, 0.877777696, 0.877777696,
        0.94444418, 0.819999874, 0.819999874, 0.948857903, 0.741538465, 0.741538465],
    "auc_bool_labels_2d": [
        0.599999487, 0.599999487],
    "at_thresholds": [
        3, 3, 2, 1, 0, 5, 5, 3, 2, 0, 5, 5, 3, 2, 0, 4.5, 4.5, 4, 1, 0, 7.5, 7.5, 5,
        2, 0, 7.5, 7.5, 5, 2, 0, 3, 1, 0, 0, 0, 5, 2, 1, 0, 0, 5, 2, 1, 0, 0, 3, 2, 0,
        0, 0, 5.5, 3, 1, 0, 0, 5.5, 3, 1, 0, 0, 0, 2, 3, 3, 3, 0, 3, 4, 5, 5, 0, 3, 4,
        5, 5, 0, 1, 3, 3, 3, 0, 2.5, 4.5, 5.5, 5.5, 0, 2.5, 4.5, 5.5, 5.5, 0, 0, 1, 2,
        3, 0, 0, 2, 3, 5, 0, 0, 2, 3, 5, 0, 0, 0.5, 3.5, 4.5, 0, 0, 2.5, 5.5, 7.5, 0,
        0, 2.5, 5.5, 7.5, 0.5, 0.75, 1, 0.999999881, 0, 0.5, 0.714285731, 0.75, 1, 0,
        0.5, 0.714285731, 0.75, 1, 0, 0.600000024, 0.692307711, 1, 0.999999881, 0,
        0.576923072, 0.714285731, 0.833333313, 1, 0, 0.576923072, 0.714285731,
        0.833333313, 1, 0, 1, 1, 0.666666687, 0.333333343, 0, 1, 1, 0.600000024,
        0.400000006, 0, 1, 1, 0.600000024, 0.400000006, 0, 1, 1, 0.888888896,
        0.222222224, 0, 1, 1, 0.666666687, 0.266666681, 0, 1, 1, 0.666666687,
        0.266666681, 0],
    "sensitivity_specificity": [
        1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
        1, 1, 0.800000012, 0.800000012, 0.888888896, 0.933333337, 0.933333337, 1,
        0.818181813, 0.818181813, 0.666666687, 0.400000006, 0.400000006, 0.666666687,
        0.600000024, 0.600000024, 0.888888896, 0.266666681, 0.266666681, 0.333333343,
        0.454545468, 0.454545468],
    "iou_and_per_class_accuracy": [
        1, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
        0, 0, 1, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0,
        0.416666687, 1, 0, 0, 0, 0, 0, 0, 0.5, 0, 0, 0, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0.5, 0, 0, 0, 1, 2, 0, 0, 0, 0, 0, 1, 0, 0,
        0, 0, 0, 0, 0.392857134, 1, 0.5, 0.5, 0, 0, 0.5, 0.5, 0.5, 1, 0, 0.5, 1, 0,
        0.666666687, 0, 0, 0.5, 0, 0.666666687, 1, 0, 0.433333337, 1, 0, 2, 1,
        0.333333343, 1, 0.666666687, 0.833333373],
}


def _check(got, want):
    assert sorted(got) == sorted(want)
    for k in want:
        assert len(got[k]) == len(want[k]), k
        # (float32 sums in another order: AUC's trapezoid sums differ in the last bit)
        np.testing.assert_allclose(got[k], want[k], rtol=1e-6, atol=2e-7, err_msg=k)


def test_scenarios_give_tensorflows_values(nd_scenarios):
    _check(nd_scenarios(PROGRAM), EXPECTED)


def test_scenarios_against_tensorflow(nd_scenarios, tf_scenarios):
    _check(nd_scenarios(PROGRAM), tf_scenarios(PROGRAM))


# -- variables, names, collections ------------------------------------------------------
def test_variables_are_local_metric_variables_with_tfs_names():
    tf.metrics.mean(tf.ones([4, 3]))
    tf.metrics.accuracy(tf.constant([1, 0]), tf.constant([1, 1]))
    tf.metrics.precision(tf.constant([1]), tf.constant([True]))
    tf.metrics.auc(tf.constant([1]), tf.constant([0.5]), name="myauc")
    with tf.variable_scope("outer"):
        tf.metrics.mean_iou(tf.constant([1]), tf.constant([1]), 3)
    tf.metrics.mean_tensor(tf.ones([2]))
    names = ["mean/total:0", "mean/count:0", "accuracy/total:0", "accuracy/count:0",
             "precision/true_positives/count:0", "precision/false_positives/count:0",
             "myauc/true_positives:0", "myauc/false_negatives:0", "myauc/true_negatives:0",
             "myauc/false_positives:0", "outer/mean_iou/total_confusion_matrix:0",
             "mean_1/total_tensor:0", "mean_1/count_tensor:0"]
    assert [v.name for v in tf.local_variables()] == names
    assert [v.name for v in tf.get_collection(tf.GraphKeys.METRIC_VARIABLES)] == names
    assert tf.GraphKeys.METRIC_VARIABLES == "metric_variables"
    assert tf.global_variables() == [] and tf.trainable_variables() == []


def test_value_and_update_names_and_collections():
    v, u = tf.metrics.precision(tf.constant([1]), tf.constant([1]),
                                metrics_collections=["mc"], updates_collections=["uc"])
    assert (v.name, u.name) == ("precision/value:0", "precision/update_op:0")
    assert tf.get_collection("mc") == [v] and tf.get_collection("uc") == [u]
    v, u = tf.metrics.mean([1.0])
    assert (v.name, u.name) == ("mean/value:0", "mean/update_op:0")
    v, u = tf.metrics.true_positives(tf.constant([1]), tf.constant([1]))
    assert v.name == "true_positives/Identity:0"
    v, u = tf.metrics.root_mean_squared_error([1.0], [2.0], metrics_collections=["r"])
    assert tf.get_collection("r") == [v]


def test_value_reads_state_and_update_returns_the_updated_value():
    x = tf.placeholder(tf.float32, [None])
    m, update = tf.metrics.mean(x)
    with tf.Session() as s:
        s.run(tf.local_variables_initializer())
        assert s.run(m) == 0.0                      # 0 / 0 is 0
        assert s.run(update, {x: [1.0, 2.0]}) == 1.5
        assert s.run(m) == 1.5 and s.run(m) == 1.5  # reading changes nothing
        assert s.run(update, {x: [6.0]}) == 3.0
        s.run(tf.local_variables_initializer())      # starts again
        assert s.run(m) == 0.0
    assert m.dtype == tf.float32 and update.dtype == tf.float32


def test_uninitialized_metric_fails():
    m, update = tf.metrics.mean([1.0])
    with tf.Session() as s:
        with pytest.raises(tf.errors.FailedPreconditionError):
            s.run(update)


# -- errors -----------------------------------------------------------------------------
def test_static_weights_that_do_not_broadcast_name_the_shapes():
    with pytest.raises(ValueError, match=r"weights can not be broadcast to values\. "
                       r"Mismatch at dim 1\. values\.shape=\[2, 3\], weights\.shape=\[2, 2\]"):
        tf.metrics.mean(tf.ones([2, 3]), weights=tf.ones([2, 2]))
    with pytest.raises(ValueError, match=r"values\.rank=2\. weights\.rank=4\. "
                       r"values\.shape=\(2, 3\)\. weights\.shape=\(1, 2, 3, 4\)"):
        tf.metrics.mean(tf.ones([2, 3]), weights=tf.ones([1, 2, 3, 4]))
    with pytest.raises(ValueError, match="weights can not be broadcast"):
        tf.metrics.auc(tf.constant([[1, 0]]), tf.constant([[0.5, 0.2]]),
                       weights=tf.ones([3, 2]))


def test_dynamic_weights_that_do_not_broadcast_fail_the_run():
    x = tf.placeholder(tf.float32)
    _, update = tf.metrics.mean(x, weights=tf.ones([2, 2]))
    with tf.Session() as s:
        s.run(tf.local_variables_initializer())
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"weights can not be broadcast to values.*\[2 2\].*\[2 3\]"):
            s.run(update, {x: np.ones((2, 3))})
        # a run that broadcasts is fine, and the failed run changed nothing
        assert s.run(update, {x: np.full((2, 2), 3.0)}) == 3.0


def test_weights_rank_adjusted_when_values_rank_unknown():
    x = tf.placeholder(tf.float32)
    _, update = tf.metrics.mean(x, weights=tf.constant([[1.0], [3.0]]))
    with tf.Session() as s:
        s.run(tf.local_variables_initializer())
        assert s.run(update, {x: [2.0, 6.0]}) == 5.0           # weights squeezed
        # weights broadcast over the rows: (20 + 16) / (4 + 8), TF's 3.0
        assert s.run(update, {x: [[2.0, 2.0], [2.0, 2.0]]}) == 3.0


def test_incompatible_labels_and_predictions():
    with pytest.raises(ValueError, match=r"Shapes \(2,\) and \(3,\) are incompatible"):
        tf.metrics.accuracy(tf.constant([1, 2, 3]), tf.constant([1, 2]))
    with pytest.raises(TypeError, match="SquaredDifference"):
        tf.metrics.mean_squared_error(tf.constant([1.0, 2.0]), tf.constant([1, 2]))


def test_count_weights_must_have_rank_zero_or_the_values():
    with pytest.raises(ValueError, match="must have rank in"):
        tf.metrics.true_positives(tf.constant([1, 1]), tf.constant([1, 0]),
                                  weights=tf.ones([2, 2, 2]))


def test_predictions_outside_0_1_fail_the_run():
    p = tf.placeholder(tf.float32, [2])
    _, update = tf.metrics.auc(tf.constant([0, 1]), p)
    with tf.Session() as s:
        s.run(tf.local_variables_initializer())
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"predictions must be in \[0, 1\]"):
            s.run(update, {p: [0.5, 1.5]})


def test_class_ids_out_of_range_fail_the_run():
    lab = tf.placeholder(tf.int32, [2])
    _, update = tf.metrics.mean_iou(lab, tf.constant([0, 1]), 2)
    with tf.Session() as s:
        s.run(tf.local_variables_initializer())
        with pytest.raises(tf.errors.InvalidArgumentError, match="`labels` out of bound"):
            s.run(update, {lab: [0, 3]})
        with pytest.raises(tf.errors.InvalidArgumentError, match="negative"):
            s.run(update, {lab: [0, -1]})


def test_bad_arguments():
    lab, p = tf.constant([0, 1]), tf.constant([0.5, 0.5])
    with pytest.raises(ValueError, match="Curve must be either ROC or PR. Curve XY"):
        tf.metrics.auc(lab, p, curve="XY")
    with pytest.raises(ValueError, match="Invalid summation_method: foo"):
        tf.metrics.auc(lab, p, summation_method="foo")
    with pytest.raises(ValueError, match=r"`specificity` must be in the range \[0, 1\]"):
        tf.metrics.sensitivity_at_specificity(lab, p, 1.5)
    with pytest.raises(ValueError, match=r"`sensitivity` must be in the range \[0, 1\]"):
        tf.metrics.specificity_at_sensitivity(lab, p, -0.1)
    with pytest.raises(ValueError, match=r"fully defined, got \(\?, 2\)"):
        tf.metrics.mean_tensor(tf.placeholder(tf.float32, [None, 2]))


@pytest.mark.parametrize("name", tf.metrics.__all__)
def test_eager_mode_is_refused_as_tf(name):
    tf.enable_eager_execution()
    with pytest.raises(RuntimeError, match=r"tf\.metrics\.\w+ .*when eager execution is "
                       "enabled"):
        getattr(tf.metrics, name)(*([tf.constant([1.0])] * 2), 1)


def test_eager_messages_are_tfs():
    tf.enable_eager_execution()
    with pytest.raises(RuntimeError) as e:
        tf.metrics.mean([1.0])
    assert str(e.value) == ("tf.metrics.mean is not supported when eager execution is "
                            "enabled.")
    with pytest.raises(RuntimeError) as e:           # (TF's own wording)
        tf.metrics.recall([1.0], [1.0])
    assert str(e.value) == ("tf.metrics.recall is not supported is not supported when "
                            "eager execution is enabled.")


def test_scopes_are_uniquified_as_tfs():
    # (TF 2.15's names for the same program)
    for _ in range(2):
        tf.metrics.accuracy(tf.constant([1]), tf.constant([1]))
        tf.metrics.auc(tf.constant([1]), tf.constant([1.0]))
    tf.metrics.recall(tf.constant([1]), tf.constant([1]), name="r")
    assert [v.name for v in tf.local_variables()] == [
        "accuracy/total:0", "accuracy/count:0", "auc/true_positives:0",
        "auc/false_negatives:0", "auc/true_negatives:0", "auc/false_positives:0",
        "accuracy_1/total:0", "accuracy_1/count:0", "auc_1/true_positives:0",
        "auc_1/false_negatives:0", "auc_1/true_negatives:0", "auc_1/false_positives:0",
        "r/true_positives/count:0", "r/false_negatives/count:0"]

"""TF's ``confusion_matrix`` module: ``tf.confusion_matrix`` / ``tf.math.confusion_matrix``
(TF 1's argument order) and ``remove_squeezable_dimensions``, which squeezes a trailing
size-1 axis off labels or predictions whose ranks differ by one.

>>> import ndgrad.tf as tf
>>> with tf.Session() as s:
...     print(s.run(tf.confusion_matrix(labels=[1, 2, 4], predictions=[2, 2, 4])))
[[0 0 0 0 0]
 [0 0 1 0 0]
 [0 0 1 0 0]
 [0 0 0 0 0]
 [0 0 0 0 1]]
"""
from __future__ import annotations

import contextlib

import numpy as np

from .._ops.registry import defop, apply
from ..graph import core as _core
from ..graph import errors
from ..graph.core import Tensor
from . import framework as _fw
from . import math_ops as M
from .framework import convert_to_tensor, np_dtype
from .ops import call

__all__ = ["confusion_matrix", "remove_squeezable_dimensions"]


def _shape(t):
    return t._shape if isinstance(t, Tensor) else tuple(t.shape)


@contextlib.contextmanager
def _scope(name, default, values):
    if _fw.executing_eagerly():
        yield None
        return
    with _fw.name_scope(name, default, [v for v in values if isinstance(v, Tensor)]) as s:
        yield s


def remove_squeezable_dimensions(labels, predictions, expected_rank_diff=0, name=None):
    """``(labels, predictions)`` with the last axis of one of them squeezed away when
    ``rank(predictions) - rank(labels)`` is ``expected_rank_diff`` + 1 (predictions
    squeezed) or - 1 (labels squeezed) and that axis has size 1 (TF's
    ``tensorflow.python.ops.confusion_matrix.remove_squeezable_dimensions``). With
    static ranks this is decided while building; else a ``tf.cond`` on the run's ranks.

    >>> import ndgrad.tf as tf
    >>> from ndgrad.tf.confusion_matrix import remove_squeezable_dimensions
    >>> with tf.Graph().as_default():
    ...     labels, predictions = remove_squeezable_dimensions(tf.zeros([2, 3, 1]),
    ...                                                        tf.zeros([2, 3]))
    ...     print(labels.shape, predictions.shape)
    (2, 3) (2, 3)
    """
    from .control_flow import cond
    with _scope(name, "remove_squeezable_dimensions", [labels, predictions]):
        predictions = convert_to_tensor(predictions)
        labels = convert_to_tensor(labels)
        ps, ls = _shape(predictions), _shape(labels)
        if ps is not None and ls is not None:
            rank_diff = len(ps) - len(ls)
            if rank_diff == expected_rank_diff + 1 and ps[-1] in (None, 1):
                predictions = M.squeeze(predictions, [-1])
            elif rank_diff == expected_rank_diff - 1 and ls[-1] in (None, 1):
                labels = M.squeeze(labels, [-1])
            return labels, predictions
        rank_diff = M.rank(predictions) - M.rank(labels)
        if ps is None or ps[-1] in (None, 1):
            p = predictions
            predictions = cond(M.equal(expected_rank_diff + 1, rank_diff),
                               lambda: M.squeeze(p, [-1]), lambda: p)
        if ls is None or ls[-1] in (None, 1):
            lab = labels
            labels = cond(M.equal(expected_rank_diff - 1, rank_diff),
                          lambda: M.squeeze(lab, [-1]), lambda: lab)
        return labels, predictions


# -- the counting op: TF's scatter_nd of the values at (label, prediction) ---------------
def _check_pairs(labels, predictions):
    if labels.ndim != 1 or predictions.ndim != 1:
        raise errors.InvalidArgumentError(
            None, None, f"confusion_matrix: labels and predictions must be 1-D, got shapes "
            f"{list(labels.shape)} and {list(predictions.shape)}")
    if labels.shape != predictions.shape:
        raise errors.InvalidArgumentError(
            None, None, f"Shapes of all inputs must match: values[0].shape = "
            f"{list(labels.shape)} != values[1].shape = {list(predictions.shape)}")


def _cm_fwd(xp, labels, predictions, values, num_classes, static):
    lab, pred = np.asarray(labels), np.asarray(predictions)
    v = np.asarray(values)
    _check_pairs(lab, pred)
    if v.shape != lab.shape:
        raise errors.InvalidArgumentError(
            None, None, f"confusion_matrix: weights of shape {list(v.shape)} do not match "
            f"predictions of shape {list(pred.shape)}")
    n = int(np.asarray(num_classes))
    if n < 0:
        raise errors.InvalidArgumentError(None, None, f"Dimension {n} must be >= 0")
    bad = (lab < 0) | (lab >= n) | (pred < 0) | (pred >= n)
    if bad.any():
        k = int(np.flatnonzero(bad)[0])
        raise errors.InvalidArgumentError(
            None, None, f"indices[{k}] = [{int(lab[k])}, {int(pred[k])}] does not index "
            f"into shape [{n},{n}]")
    out = np.zeros((n, n), dtype=v.dtype)
    np.add.at(out, (lab, pred), v)
    return out


def _cm_vjp(xp, g, ans, labels, predictions, values, num_classes, static):
    # (TF's scatter_nd gradient: the cotangent gathered at the index pairs)
    return (None, None, call(_CM_GATHER, xp, (g, labels, predictions)), None)


def _cm_gather_fwd(xp, g, labels, predictions):
    return np.asarray(g)[np.asarray(labels), np.asarray(predictions)]


def _cm_gather_vjp(xp, h, ans, g, labels, predictions):
    return (call(_CM_SCATTER_LIKE, xp, (h, labels, predictions, g)), None, None)


def _cm_scatter_like_fwd(xp, h, labels, predictions, g):
    out = np.zeros(np.shape(g), dtype=np.asarray(h).dtype)
    np.add.at(out, (np.asarray(labels), np.asarray(predictions)), np.asarray(h))
    return out


def _cm_scatter_like_vjp(xp, u, ans, h, labels, predictions, g):
    return (call(_CM_GATHER, xp, (u, labels, predictions)), None, None, None)


_CM = defop("tf.confusion_matrix", _cm_fwd, _cm_vjp, save="inputs",
            shape_rule=lambda a, p: [((p["static"], p["static"]), a[2]._np_dtype)])
_CM_GATHER = defop("tf.confusion_matrix_gather", _cm_gather_fwd, _cm_gather_vjp,
                   save="inputs", shape_rule=lambda a, p: [(a[1]._shape, a[0]._np_dtype)])
_CM_SCATTER_LIKE = defop("tf.confusion_matrix_scatter", _cm_scatter_like_fwd,
                         _cm_scatter_like_vjp, save="inputs",
                         shape_rule=lambda a, p: [(a[3]._shape, a[0]._np_dtype)])
_core.TF_TYPES.update({"tf.confusion_matrix": "ScatterNd",
                       "tf.confusion_matrix_gather": "GatherNd",
                       "tf.confusion_matrix_scatter": "ScatterNd"})


def _const(v):
    if isinstance(v, Tensor):
        return np.asarray(v._op._attrs["value"]) if v._op._kind == "const" else None
    return None


def _static_classes(num_classes, labels, predictions):
    """The number of classes when it is known while building (TF's shape inference
    folds constants the same way)."""
    if num_classes is not None:
        if isinstance(num_classes, Tensor):
            v = _const(num_classes)
            return None if v is None else int(v)
        if isinstance(num_classes, (int, np.integer)):
            return int(num_classes)
        return None
    lv, pv = _const(labels), _const(predictions)
    if lv is None or pv is None or lv.size == 0 or pv.size == 0:
        return None
    return int(max(np.max(lv), np.max(pv))) + 1


def confusion_matrix(labels, predictions, num_classes=None, dtype=np.int32, name=None,
                     weights=None):
    """TF 1's ``tf.confusion_matrix`` / ``tf.math.confusion_matrix``: the
    ``[n, n]`` matrix whose entry ``[i, j]`` counts (or, with ``weights``, sums the
    weights of) the pairs with label ``i`` and prediction ``j``, in ``dtype``.

    ``labels`` and ``predictions`` are 1-D of one length (a trailing size-1 axis is
    squeezed off, see ``remove_squeezable_dimensions``), cast to int64; ``n`` is
    ``num_classes`` or ``max(labels, predictions) + 1``. Negative labels or predictions,
    or ones at or above ``num_classes``, fail the run (``InvalidArgumentError`` from the
    ``assert_*`` checks TF adds). The gradient with respect to float ``weights`` is the
    cotangent at each (label, prediction) pair.

    >>> import ndgrad.tf as tf
    >>> cm = tf.confusion_matrix([0, 1, 1], [1, 1, 0], num_classes=3, dtype=tf.float32,
    ...                          weights=[0.5, 1.0, 2.0])
    >>> print(cm.shape, cm.dtype)
    (3, 3) <dtype: 'float32'>
    >>> with tf.Session() as s:
    ...     print(s.run(cm))
    [[0.  0.5 0. ]
     [2.  1.  0. ]
     [0.  0.  0. ]]
    """
    from .check_ops import assert_non_negative, assert_less
    from .control_flow import with_dependencies
    dt = np_dtype(dtype)
    with _scope(name, "confusion_matrix", [predictions, labels, num_classes, weights]):
        labels, predictions = remove_squeezable_dimensions(
            convert_to_tensor(labels, name="labels"),
            convert_to_tensor(predictions, name="predictions"))
        static = _static_classes(num_classes, labels, predictions)
        predictions = M.cast(predictions, np.int64)
        labels = M.cast(labels, np.int64)
        ls, ps = _shape(labels), _shape(predictions)
        for s in (ls, ps):
            if s is not None and len(s) != 1:
                raise ValueError(f"confusion_matrix: labels and predictions must be 1-D "
                                 f"(after squeezing), got shapes {_fmt(ls)} and {_fmt(ps)}")
        if ls is not None and ps is not None and None not in (ls[0], ps[0]) and \
                ls[0] != ps[0]:
            raise ValueError(f"Dimension 0 in both shapes must be equal, but are {ls[0]} "
                             f"and {ps[0]}. Shapes are {_fmt(ls)} and {_fmt(ps)}.")

        labels = with_dependencies([assert_non_negative(
            labels, message="`labels` contains negative values")], labels)
        predictions = with_dependencies([assert_non_negative(
            predictions, message="`predictions` contains negative values")], predictions)
        if num_classes is None:
            n = M.maximum(M.reduce_max(predictions), M.reduce_max(labels)) + 1
        else:
            n = M.cast(num_classes, np.int64)
            labels = with_dependencies([assert_less(
                labels, n, message="`labels` out of bound")], labels)
            predictions = with_dependencies([assert_less(
                predictions, n, message="`predictions` out of bound")], predictions)
        if weights is not None:
            w = convert_to_tensor(weights, name="weights")
            ws = _shape(w)
            if ps is not None and ws is not None and (len(ps) != len(ws) or any(
                    a is not None and b is not None and a != b for a, b in zip(ps, ws))):
                raise ValueError(f"Shapes {_fmt_tuple(ps)} and {_fmt_tuple(ws)} are "
                                 "incompatible")
            values = M.cast(w, dt)
        else:
            values = M.ones_like(predictions, dtype=dt)
        return apply(_CM, (labels, predictions, values, n), {"static": static})


def _fmt(s):
    return "?" if s is None else "[" + ",".join("?" if d is None else str(d) for d in s) + "]"


def _fmt_tuple(s):
    return "<unknown>" if s is None else "(" + ", ".join(
        "None" if d is None else str(d) for d in s) + ("," if len(s) == 1 else "") + ")"

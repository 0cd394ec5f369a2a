"""``tf.nn``: activations, softmax and the cross-entropy losses, built from the
dictionary's ops (numerically stable forms), so their gradients come from those ops'
rules."""
from __future__ import annotations

import numbers

import numpy as np

from .._ops.registry import apply, defop as _defop
from ..graph.core import Tensor as _Tensor
from . import framework as _fw
from . import math_ops as M
from . import op_dtypes as _op_dtypes
from . import ops as _tops
from . import random_ops as _random_ops
from .framework import build, convert_to_tensor
from .conv import (conv2d, max_pool, avg_pool, conv2d_transpose,  # noqa: F401
                   conv2d_backprop_input, conv2d_backprop_filter, depthwise_conv2d,
                   depthwise_conv2d_native, depthwise_conv2d_native_backprop_input,
                   depthwise_conv2d_native_backprop_filter, separable_conv2d)
from .rnn import (rnn_cell, static_rnn, dynamic_rnn, bidirectional_dynamic_rnn,  # noqa: F401
                  static_bidirectional_rnn)

__all__ = ["relu", "relu6", "sigmoid", "tanh", "softplus", "softsign", "elu", "leaky_relu",
           "softmax", "log_softmax", "softmax_cross_entropy_with_logits",
           "softmax_cross_entropy_with_logits_v2", "sparse_softmax_cross_entropy_with_logits",
           "sigmoid_cross_entropy_with_logits", "l2_loss", "l2_normalize", "bias_add",
           "dropout", "embedding_lookup", "moments", "xw_plus_b", "conv2d", "max_pool",
           "avg_pool", "top_k", "batch_normalization", "log_sigmoid", "rnn_cell", "static_rnn",
           "dynamic_rnn", "bidirectional_dynamic_rnn", "static_bidirectional_rnn"]


def top_k(input, k=1, sorted=True, name=None):  # noqa: A002
    """The ``k`` largest values along the last axis and their indices.

    >>> import ndgrad.tf as tf
    >>> values, indices = tf.nn.top_k([[1.0, 5.0, 3.0], [4.0, 2.0, 6.0]], k=2)
    >>> with tf.Session() as s:
    ...     print(s.run(values).tolist(), s.run(indices).tolist())
    [[5.0, 3.0], [6.0, 4.0]] [[1, 2], [2, 0]]
    """
    from .extra_ops import top_k as _top_k
    return _top_k(input, k, sorted, name)


def batch_normalization(x, mean, variance, offset, scale, variance_epsilon, name=None):
    """``(x - mean) / sqrt(variance + variance_epsilon) * scale + offset`` (``offset`` and
    ``scale`` may be None).

    >>> import ndgrad.tf as tf
    >>> y = tf.nn.batch_normalization(tf.constant([1.0, 2.0, 3.0]), mean=2.0, variance=4.0,
    ...                               offset=10.0, scale=3.0, variance_epsilon=0.0)
    >>> with tf.Session() as s:
    ...     print(s.run(y))
    [ 8.5 10.  11.5]
    """
    from .extra_ops import batch_normalization as _bn
    return _bn(x, mean, variance, offset, scale, variance_epsilon, name)


def _checked(fname, value, param="features"):
    """``value`` as a tensor, refused as TF refuses a dtype ``tf.nn.<fname>`` has no
    kernel for (``op_dtypes``)."""
    t = convert_to_tensor(value)
    _op_dtypes.check(fname, M._dt(t), param)
    return t


def relu(features, name=None):
    """``max(features, 0)``; its gradient is 0 at 0 (TensorFlow's convention).

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     print(s.run(tf.nn.relu([-1.0, 0.0, 2.0])))
    [0. 0. 2.]
    """
    return build(name, "Relu", lambda: apply(_tops.RELU, (_checked("relu", features),)),
                 graph_args=(features,))


def relu6(features, name=None):
    """``min(max(features, 0), 6)``.

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     print(s.run(tf.nn.relu6([-1.0, 3.0, 8.0])))
    [0. 3. 6.]
    """
    return build(name, "Relu6", lambda: apply(_tops.RELU6, (_checked("relu6", features),)),
                 graph_args=(features,))


def sigmoid(x, name=None):
    """``1 / (1 + exp(-x))``.

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     print(s.run(tf.nn.sigmoid([-4.0, 0.0, 1.0])))
    [0.01798621 0.5        0.7310586 ]
    """
    return M.sigmoid(x, name=name)


def tanh(x, name=None):
    """Hyperbolic tangent, elementwise.

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     print(s.run(tf.nn.tanh([-1.0, 0.0, 1.0])))
    [-0.7615942  0.         0.7615942]
    """
    return M.tanh(x, name=name)


def softplus(features, name=None):
    """``log(exp(features) + 1)``.

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     print(s.run(tf.nn.softplus([0.0, 2.0])))
    [0.6931472 2.126928 ]
    """
    return build(name, "Softplus", lambda: apply(_tops.SOFTPLUS,
                                                 (_checked("softplus", features),)),
                 graph_args=(features,))


def softsign(features, name=None):
    """``features / (abs(features) + 1)``.

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     print(s.run(tf.nn.softsign([-3.0, 1.0])))
    [-0.75  0.5 ]
    """
    return build(name, "Softsign", lambda: apply(_tops.SOFTSIGN,
                                                 (_checked("softsign", features),)),
                 graph_args=(features,))


def elu(features, name=None):
    """``features`` where positive, ``exp(features) - 1`` elsewhere.

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     print(s.run(tf.nn.elu([-0.5, 2.0])))
    [-0.39346933  2.        ]
    """
    def f():
        x = _checked("elu", features)
        # TF's kernel: x < 0 ? exp(x) - 1 : x, so -0 stays -0 and a NaN takes the x
        # branch (its gradient there is the cotangent, EluGrad's)
        return M.where(x < 0, M.exp(M.minimum(x, M.zeros_like(x))) - 1, x)
    return build(name, "Elu", f, graph_args=(features,))


def leaky_relu(features, alpha=0.2, name=None):
    """``features`` where positive, ``alpha * features`` elsewhere (TF's LeakyRelu kernel:
    any ``alpha``, also above 1 or negative; integer features are cast to float32 first).

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     print(s.run(tf.nn.leaky_relu([-1.0, 2.0], alpha=10)))
    [-10.   2.]
    """
    if isinstance(alpha, np.ndarray):
        alpha = alpha.item()

    def f():
        x = _checked("leaky_relu", features)
        if _fw.np_dtype(x.dtype).kind in "iu":
            x = M.cast(x, "float32")
        # (TF's LeakyRelu takes alpha as a float32 attribute, for float64 features too)
        a = float(np.float32(alpha)) if isinstance(alpha, (int, float)) else alpha
        return M.where(x > 0, x, a * x)
    return build(name, "LeakyRelu", f, graph_args=(features,))


def _axis(logits, axis, dim):
    """TF's ``deprecated_argument_lookup("axis", axis, "dim", dim)``, -1 by default: the
    two may not both be given (before, ``dim`` silently won over ``axis``)."""
    axis = _fw.deprecated_argument_lookup("axis", axis, "dim", dim)
    return -1 if axis is None else int(axis)


def _log_softmax(x, axis):
    m = M.stop_gradient(M.reduce_max(x, axis=axis, keepdims=True))
    shifted = x - m
    return shifted - M.log(M.reduce_sum(M.exp(shifted), axis=axis, keepdims=True))


def softmax(logits, axis=None, name=None, dim=None):
    """``exp(logits) / sum(exp(logits))`` along ``axis`` (the last by default).

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     print(s.run(tf.nn.softmax([[2.0, 0.0, 0.0, 0.0], [1.0, 1.0, 1.0, 1.0]])))
    [[0.7112345  0.09625512 0.09625512 0.09625512]
     [0.25       0.25       0.25       0.25      ]]
    """
    ax = _axis(logits, axis, dim)

    def f():
        x = _checked("softmax", logits, "logits")
        e = M.exp(x - M.stop_gradient(M.reduce_max(x, axis=ax, keepdims=True)))
        return e / M.reduce_sum(e, axis=ax, keepdims=True)
    return build(name, "Softmax", f, graph_args=(logits,))


def log_softmax(logits, axis=None, name=None, dim=None):
    """``logits - log(sum(exp(logits)))`` along ``axis``.

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     print(s.run(tf.nn.log_softmax([[0.0, 0.0], [1.0, 1.0]])))
    [[-0.6931472 -0.6931472]
     [-0.6931472 -0.6931472]]
    """
    ax = _axis(logits, axis, dim)
    return build(name, "LogSoftmax",
                 lambda: _log_softmax(_checked("log_softmax", logits, "logits"), ax),
                 graph_args=(logits,))


def _xent(labels, logits, axis, stop_labels, name):
    """TF's softmax cross entropy: float16 logits computed in float32 (the result cast
    back), labels cast to the logits' dtype; where the two shapes might differ along the
    class axis, TF's kernel's way: both flattened to matrices of rows along ``axis``,
    broadcast against each other, then the row-wise cross entropy, reshaped to the
    logits' shape without ``axis`` (labels (4,) against logits (4, 1) is 4 rows of
    ``-sum([0, 1, 1, 0] * log_softmax([x_i] * 4))``, not a softmax over one class)."""
    def f():
        x = convert_to_tensor(logits)
        dt = M._dt(x)
        if dt == np.float16:
            x = M.cast(x, np.float32)
        y = convert_to_tensor(labels)
        if M._dt(y) != M._dt(x):
            # TF casts labels (integer one-hot rows included) to the logits' dtype
            y = M.cast(y, M._dt(x))
        if stop_labels:
            y = M.stop_gradient(y)
        xs, ys = M._static_shape(x), M._static_shape(y)
        if (xs is not None and ys is not None and len(xs) == len(ys) and len(xs) > 0
                and xs[axis] is not None and xs[axis] == ys[axis]):
            # one class axis of one known length: broadcasting the other axes before or
            # after the softmax is the same
            cost = _xent_cost(x, y, axis)
        else:
            cost = _xent_rows(x, y, axis, xs)
        return M.cast(cost, dt) if dt == np.float16 else cost
    return build(name, "softmax_cross_entropy_with_logits", f, graph_args=(logits,))


def _xent_cost(x, y, axis):
    """``-sum(y * log_softmax(x))`` along ``axis`` with TF's gradients: for the labels
    ``-log_softmax(x)``, for the logits TF's kernel's ``softmax(x) - y``, which is the
    derivative where each row of ``y`` sums to 1 (a probability distribution, as TF
    requires) and not otherwise (multi-hot rows): TF's, whose training ndgrad.tf
    reproduces. The value is ``B``; ``A - stop_gradient(A)`` adds nothing to it and
    gives the logits their gradient (``A = logsumexp(x) - sum(stop_gradient(y) * x)``,
    both shifted by the rows' maximum, whose rounding is TF's kernel's)."""
    shifted = x - M.stop_gradient(M.reduce_max(x, axis=axis, keepdims=True))
    log_sum = M.log(M.reduce_sum(M.exp(shifted), axis=axis, keepdims=True))
    b = M.negative(M.reduce_sum(y * M.stop_gradient(shifted - log_sum), axis=axis))
    a = M.squeeze(log_sum, axis=[axis]) - M.reduce_sum(M.stop_gradient(y) * shifted,
                                                        axis=axis)
    return b + (a - M.stop_gradient(a))


def _xent_rows(x, y, axis, xs):
    """``_xent``'s general case, as TF's kernel: rows along ``axis``, broadcast."""
    if xs is None and axis != -1:
        raise ValueError("softmax_cross_entropy_with_logits: an axis other than -1 needs "
                         "the rank of logits known when the graph is built")
    rank = len(xs) if xs is not None else None
    if rank == 0:
        raise ValueError("logits must have at least one dimension")
    ax = axis % rank if rank is not None else -1
    if rank is not None and ax != rank - 1:
        perm = [i for i in range(rank) if i != ax] + [ax]
        x = M.transpose(x, perm)
        y = M.transpose(y, perm)
    outer = M.shape(x)[:-1]
    xm = M.reshape(x, M.stack([-1, M.shape(x)[-1]]))
    ym = M.reshape(y, M.stack([-1, M.shape(y)[-1]]))
    xb = xm + M.zeros_like(ym)       # (both broadcast to the rows and classes of the two)
    yb = ym + M.zeros_like(xm)
    cost = _xent_cost(xb, yb, -1)
    out = M.reshape(cost, outer)
    if xs is not None and hasattr(out, "set_shape"):
        out.set_shape([d for i, d in enumerate(xs) if i != ax])
    return out


def softmax_cross_entropy_with_logits(_sentinel=None, labels=None, logits=None, dim=-1,
                                      name=None, axis=None):
    """Per-row cross entropy of ``softmax(logits)`` against ``labels`` (no gradient to
    ``labels``, as TF 1's v1 op).

    >>> import ndgrad.tf as tf
    >>> loss = tf.nn.softmax_cross_entropy_with_logits(labels=[[0.0, 1.0], [1.0, 0.0]],
    ...                                                logits=[[0.0, 0.0], [1.0, 0.0]])
    >>> with tf.Session() as s:
    ...     print(s.run(loss))
    [0.6931472  0.31326166]
    """
    if _sentinel is not None:
        raise ValueError("Only call `softmax_cross_entropy_with_logits` with named "
                         "arguments (labels=..., logits=..., ...)")
    if labels is None or logits is None:
        raise ValueError("Both labels and logits must be provided.")
    return _xent(labels, logits, _axis(logits, axis, dim), True, name)


def softmax_cross_entropy_with_logits_v2(labels, logits, axis=None, name=None, dim=None):
    """As ``softmax_cross_entropy_with_logits``, with gradients to ``labels`` too; TF 1's
    signature (``labels`` and ``logits`` may be positional; ``axis`` or the older
    ``dim``, not both).

    >>> import ndgrad.tf as tf
    >>> loss = tf.nn.softmax_cross_entropy_with_logits_v2(labels=[[0.5, 0.5]],
    ...                                                   logits=[[0.0, 1.0]])
    >>> with tf.Session() as s:
    ...     print(s.run(loss))
    [0.8132616]
    """
    return _xent(labels, logits, _axis(logits, axis, dim), False, name)


def sparse_softmax_cross_entropy_with_logits(_sentinel=None, labels=None, logits=None,
                                             name=None):
    """Cross entropy with integer class ``labels`` (one per row of ``logits``).

    >>> import ndgrad.tf as tf
    >>> loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[1, 0],
    ...                                                       logits=[[0.0, 0.0], [1.0, 0.0]])
    >>> with tf.Session() as s:
    ...     print(s.run(loss))
    [0.6931472  0.31326166]
    """
    if _sentinel is not None:
        raise ValueError("Only call `sparse_softmax_cross_entropy_with_logits` with named "
                         "arguments (labels=..., logits=..., ...)")

    def f():
        x = convert_to_tensor(logits)
        lab = convert_to_tensor(labels)
        if M._dt(lab) not in (np.int32, np.int64):
            raise TypeError(f"Value passed to parameter 'labels' has DataType "
                            f"{lab.dtype.name} not in list of allowed values: int32, int64")
        xs = M._static_shape(x)
        ls = M._static_shape(lab)
        depth = xs[-1] if xs is not None else None
        if xs is not None and ls is not None and len(ls) != len(xs) - 1:
            raise ValueError(f"Rank mismatch: Rank of labels (received {len(ls)}) "
                             f"should equal rank of logits minus 1 (received "
                             f"{len(xs)}).")
        checked = apply(_CHECK_LABELS, (lab, x))
        if depth is not None:
            oh = M.one_hot(checked, depth, dtype=x.dtype)
        else:
            # a number of classes known only when run (logits reshaped with a shape
            # tensor, as tf.contrib.seq2seq.sequence_loss does): the one-hot rows compare
            # each label with range(classes)
            n = M.shape(x)[-1]
            oh = M.cast(M.equal(M.expand_dims(checked, -1), M.range(n, dtype=_dt_of(checked))),
                        x.dtype)
        return M.negative(M.reduce_sum(oh * _log_softmax(x, -1), axis=-1))
    return build(name, "SparseSoftmaxCrossEntropyWithLogits", f, graph_args=(logits,))


def _dt_of(t):
    return t._np_dtype if hasattr(t, "_np_dtype") else np.dtype(t.dtype)


def _check_labels_fwd(xp, labels, logits):
    """``labels`` when they fit ``logits`` as TF's kernel demands (shape
    ``logits.shape[:-1]``, values in ``[0, classes)``); one_hot would make any other label
    a zero loss."""
    lab, x = np.asarray(labels), np.asarray(logits)
    if lab.shape != x.shape[:-1]:
        raise ValueError(f"labels must be 1-D per row of logits: logits and labels must "
                         f"have the same first dimensions, got logits shape {x.shape} and "
                         f"labels shape {lab.shape}")
    bad = (lab < 0) | (lab >= x.shape[-1])
    if np.any(bad):
        raise ValueError(f"Received a label value of {lab[bad].flat[0]} which is outside "
                         f"the valid range of [0, {x.shape[-1]}).  Label values: "
                         f"{' '.join(str(v) for v in lab.reshape(-1))}")
    return lab


_CHECK_LABELS = _defop("tf.check_sparse_labels", _check_labels_fwd, None,
                       nondiff="labels are integers", save="none",
                       shape_rule=lambda args, params: [(args[0]._shape,
                                                         args[0]._np_dtype)])


def _same_shape(x, z, what):
    """TF's check for the sigmoid losses: logits and labels of compatible static shapes
    (an elementwise loss; broadcasting (4,) against (4, 1) would give a (4, 4) loss)."""
    xs, zs = M._static_shape(x), M._static_shape(z)
    if _fw.shapes_differ(xs, zs):
        raise ValueError(f"logits and {what} must have the same shape "
                         f"({_fw.shape_text(xs)} vs {_fw.shape_text(zs)})")


def sigmoid_cross_entropy_with_logits(_sentinel=None, labels=None, logits=None, name=None):
    """``max(x, 0) - x * z + log(1 + exp(-|x|))`` for logits x and labels z.

    >>> import ndgrad.tf as tf
    >>> loss = tf.nn.sigmoid_cross_entropy_with_logits(labels=[1.0, 0.0], logits=[0.0, 2.0])
    >>> with tf.Session() as s:
    ...     print(s.run(loss))
    [0.6931472 2.126928 ]
    """
    def f():
        x = convert_to_tensor(logits)
        z = convert_to_tensor(labels)
        _same_shape(x, z, "labels")
        if M._dt(z) != M._dt(x):
            # TF converts labels on their own and its Mul refuses mixed dtypes
            raise TypeError(f"Input 'y' of 'Mul' Op has type {z.dtype.name} that does not "
                            f"match type {x.dtype.name} of argument 'x'.")
        # TF's form: both branches chosen by one ``x >= 0`` test, so at x == 0 the
        # gradient is the smooth function's, sigmoid(0) - z (relu's and abs's own
        # conventions at their kinks gave -z there: zero-initialised logits)
        zeros = M.zeros_like(x)
        cond = M.greater_equal(x, zeros)
        relu_logits = M.where(cond, x, zeros)
        neg_abs_logits = M.where(cond, -x, x)
        return relu_logits - x * z + M.log1p(M.exp(neg_abs_logits))
    return build(name, "logistic_loss", f, graph_args=(logits,))


def weighted_cross_entropy_with_logits(labels=None, logits=None, pos_weight=None,
                                       name=None, targets=None):
    """``sigmoid_cross_entropy_with_logits`` with the positive term weighted by
    ``pos_weight``, in TF's form: ``(1 - z) x + (1 + (q - 1) z) (log1p(exp(-|x|)) +
    relu(-x))`` (``targets`` is TF 1's name for ``labels``).

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     print(s.run(tf.nn.weighted_cross_entropy_with_logits([1.0, 0.0], [0.0, 0.0], 2.0)))
    [1.3862944 0.6931472]
    """
    if targets is not None:
        if labels is not None:
            raise ValueError("Only one of targets and labels may be given")
        labels = targets

    def f():
        x = convert_to_tensor(logits)
        z = convert_to_tensor(labels, dtype=x.dtype)
        _same_shape(x, z, "targets")
        log_weight = 1 + (convert_to_tensor(pos_weight, dtype=x.dtype) - 1) * z
        return (1 - z) * x + log_weight * (M.log1p(M.exp(-M.abs(x))) + relu(-x))
    return build(name, "logistic_loss", f, graph_args=(logits,))


def crelu(features, name=None, axis=-1):
    """``relu`` of ``features`` and of ``-features``, concatenated along ``axis`` (TF's
    concatenated ReLU: twice the size along ``axis``).

    >>> import ndgrad.tf as tf
    >>> print(tf.Session().run(tf.nn.crelu([1.0, -2.0])))
    [1. 0. 0. 2.]
    """
    def f():
        x = _checked("crelu", features)
        return relu(M.concat([x, -x], axis))
    return build(name, "CRelu", f, graph_args=(features,))


def l2_loss(t, name=None):
    """``sum(t ** 2) / 2``.

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     print(s.run(tf.nn.l2_loss([3.0, 4.0])))
    12.5
    """
    def f():
        x = _checked("l2_loss", t, "t")
        return M.reduce_sum(x * x) / 2
    return build(name, "L2Loss", f, graph_args=(t,))


def l2_normalize(x, axis=None, epsilon=1e-12, name=None, dim=None):
    """``x / sqrt(max(sum(x ** 2), epsilon))`` along ``axis`` (all axes by default).

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     print(s.run(tf.nn.l2_normalize([[3.0, 4.0], [0.0, 2.0]], axis=1)))
    [[0.6 0.8]
     [0.  1. ]]
    """
    ax = dim if dim is not None else axis

    def f():
        t = _checked("l2_normalize", x)
        if M._dt(t).kind == "c":
            # TF's: |x|^2 summed in the real dtype, real and imaginary parts scaled
            re, im = M.real(t), M.imag(t)
            sq = M.reduce_sum(M.square(re) + M.square(im), axis=ax, keepdims=True)
            inv = M.rsqrt(M.maximum(sq, epsilon))
            return M.complex(re * inv, im * inv)
        sq = M.reduce_sum(t * t, axis=ax, keepdims=True)
        return t * M.rsqrt(M.maximum(sq, epsilon))
    return build(name, "l2_normalize", f, graph_args=(x,))


def bias_add(value, bias, data_format=None, name=None):
    """``value + bias`` with the 1-D ``bias`` along the channel axis: the last one
    (``data_format`` None, ``"NHWC"``, ``"N...C"``) or axis 1 (``"NCHW"``, ``"NC..."``).

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     print(s.run(tf.nn.bias_add([[[0., 0.], [0., 0.]]], [1., 2.],
    ...                                data_format="NCHW")))
    [[[1. 1.]
      [2. 2.]]]
    """
    channels_first = False
    if data_format is not None:  # TF's reading of data_format
        if data_format.startswith("NC"):
            channels_first = True
        elif not (data_format.startswith("N") and data_format.endswith("C")):
            raise ValueError(f"bias_add: data_format must be of the form 'N...C' or "
                             f"'NC...', got {data_format!r}")

    def f():
        v, b = _fw.convert_same([value, bias], names=("value", "bias"), op_type="BiasAdd")
        from .extra_ops import _static_dims
        vd, bd = _static_dims(v), _static_dims(b)
        if bd is not None and len(bd) != 1:
            raise ValueError(f"bias_add: bias must be 1-D, got shape {tuple(bd)}")
        if vd is not None and len(vd) < 2:
            raise ValueError(f"bias_add: value must be at least 2-D, got shape {tuple(vd)}")
        if channels_first:
            if vd is None:
                raise ValueError("bias_add with a channels-first data_format needs the "
                                 f"rank of value; got {v!r}")
            c = vd[1]
            b = M.reshape(b, [-1] + [1] * (len(vd) - 2))
        else:
            c = None if vd is None else vd[-1]
        if c is not None and bd is not None and bd[0] is not None and c != bd[0]:
            raise ValueError(f"bias_add: bias of shape {tuple(bd)} does not match the "
                             f"channel dimension {c} of value's shape {tuple(vd)} "
                             f"(data_format {data_format!r})")
        return apply(M.REGISTRY["add"], (v, b))
    return build(name, "BiasAdd", f, graph_args=(value, bias))


def xw_plus_b(x, weights, biases, name=None):
    """``matmul(x, weights) + biases``.

    >>> import ndgrad.tf as tf
    >>> y = tf.nn.xw_plus_b([[1.0, 2.0]], [[1.0, 2.0], [3.0, 4.0]], [10.0, 20.0])
    >>> with tf.Session() as s:
    ...     print(s.run(y))
    [[17. 30.]]
    """
    return build(name, "xw_plus_b", lambda: bias_add(M.matmul(x, weights), biases),
                 graph_args=(x,))


def dropout(x, keep_prob=None, noise_shape=None, seed=None, name=None, rate=None):
    """Zero each element with probability ``rate = 1 - keep_prob``; scale the rest by
    ``1 / keep_prob``. TF's checks: a number ``rate`` must be in ``[0, 1)`` (``keep_prob``
    in ``(0, 1]``), a tensor ``rate`` a scalar of ``x``'s dtype, ``x`` floating; a
    ``noise_shape`` dimension given as None is ``x``'s. ``rate=0`` returns ``x`` itself.

    >>> import ndgrad.tf as tf
    >>> y = tf.nn.dropout(tf.ones([1000]), keep_prob=0.5)
    >>> with tf.Session() as s:
    ...     print(sorted(set(s.run(y).tolist())))
    [0.0, 2.0]
    """
    if keep_prob is not None:
        if rate is not None:
            raise ValueError("Cannot specify both 'rate' and 'keep_prob'")
        try:
            rate = 1.0 - keep_prob
        except TypeError:
            raise ValueError(f"keep_prob must be a floating point number or Tensor, got "
                             f"{keep_prob!r}") from None
    if rate is None:
        raise ValueError("You must provide a rate to dropout.")
    is_number = isinstance(rate, numbers.Real) and not isinstance(rate, (bool, np.bool_))
    if is_number and not 0 <= rate < 1:
        raise ValueError(f"`rate` must be a scalar tensor or a float in the range [0, 1). "
                         f"Received: rate={rate}")

    def f():
        t = convert_to_tensor(x)
        dt = M._dt(t)
        if dt.kind != "f":
            raise ValueError(f"`x.dtype` must be a floating point tensor as `x` will be "
                             f"scaled. Received: x_dtype={dt.name}")
        if is_number and rate == 0:
            return t
        if is_number:
            kept = t * convert_to_tensor(1 / (1 - rate), dtype=dt)
            r = rate
        else:
            r = convert_to_tensor(rate)
            rs = M._static_shape(r)
            if rs is not None and len(rs) != 0:   # (an unknown rank is checked when run)
                raise ValueError(f"dropout: rate must be a scalar, got shape {rs}")
            if M._dt(r) != dt:
                raise ValueError(f"`x.dtype` must be compatible with `rate.dtype`. "
                                 f"Received: x.dtype={dt.name} and "
                                 f"rate.dtype={M._dt(r).name}")
            kept = t / (1 - r)
        ts = M._static_shape(t)
        shape = _noise_shape(t, ts, noise_shape)
        u = _random_ops.random_uniform(shape, dtype=dt, seed=seed)
        out = kept * M.cast(M.greater_equal(u, r), dt)
        if ts is not None and hasattr(out, "set_shape"):
            out.set_shape(ts)
        return out
    return build(name, "dropout", f, graph_args=(x,))


def _noise_shape(t, ts, noise_shape):
    """TF's ``_get_noise_shape``: ``t``'s shape, or ``noise_shape`` with a None
    dimension taken from ``t`` where both have the same rank."""
    if noise_shape is None:
        return ts if ts is not None and None not in ts else M.shape(t)
    if isinstance(noise_shape, _Tensor) or ts is None:
        return noise_shape
    dims = noise_shape.as_list() if hasattr(noise_shape, "as_list") else list(noise_shape)
    if len(dims) != len(ts):
        return noise_shape
    dims = [d if d is not None else ts[i] for i, d in enumerate(dims)]
    if None in dims:
        # (a dimension neither gives: taken from t when run)
        return M.stack([d if d is not None else M.shape(t)[i] for i, d in enumerate(dims)])
    return dims


def embedding_lookup(params, ids, partition_strategy="mod", name=None, validate_indices=True,
                     max_norm=None):
    """Rows ``ids`` of ``params``: one tensor, or a list of partitions holding the rows
    ``p, p + n, p + 2n ...`` (``partition_strategy="mod"``) or consecutive blocks, the
    first ``total % n`` one row longer (``"div"``), as TF shards embeddings. Rows are
    clipped to L2 norm ``max_norm`` when given.

    >>> import ndgrad.tf as tf; tf.reset_default_graph()
    >>> parts = [tf.constant([[0.], [2.], [4.]]), tf.constant([[1.], [3.]])]
    >>> tf.Session().run(tf.nn.embedding_lookup(parts, [3, 0, 4])).ravel()
    array([3., 0., 4.], dtype=float32)
    """
    if partition_strategy not in ("mod", "div"):
        raise ValueError(f"Unrecognized partition strategy: {partition_strategy}")
    plist = list(params) if isinstance(params, (list, tuple)) else [params]
    if not plist:
        raise ValueError("Need at least one param")

    def f():
        ps = [convert_to_tensor(p) for p in plist]
        idt = convert_to_tensor(ids)
        if M._dt(idt) not in (np.int32, np.int64):
            raise TypeError(f"embedding_lookup: ids must be int32 or int64, got "
                            f"{idt.dtype.name}")
        if len(ps) == 1:
            out = M.gather(ps[0], idt)
        else:
            n = len(ps)
            rows = [M._static_shape(p)[0] for p in ps]
            if None in rows:
                raise ValueError("embedding_lookup: partitions need a static number of "
                                 f"rows, got {[str(p.shape) for p in ps]}")
            total = sum(rows)
            if partition_strategy == "mod":
                want = [len(range(p, total, n)) for p in range(n)]
            else:
                want = [total // n + (1 if p < total % n else 0) for p in range(n)]
            if rows != want:
                raise ValueError(f"embedding_lookup: partitions of {rows} rows do not "
                                 f"shard {total} rows by '{partition_strategy}' (expected "
                                 f"{want})")
            # TF's way: each id's partition and row there, one gather per partition,
            # the results stitched back in order -- so each partition's gradient is a
            # gather's (sparse: an optimizer leaves the rows a step never touched; a
            # gather from the concatenated table made it dense)
            from .partition_ops import dynamic_partition, dynamic_stitch
            flat = M.reshape(idt, [-1])
            if partition_strategy == "mod":
                part = M.floormod(flat, n)
                local = M.floordiv(flat, n)
            else:
                per, extras = total // n, total % n
                big = per + 1
                part = M.maximum(M.floordiv(flat, big),
                                 M.floordiv(flat - extras, per) if per else flat * 0)
                first = part < extras
                local = M.where(first, M.floormod(flat, big),
                                M.floormod(flat - extras, per) if per else flat * 0)
            pos = M.range(M.size(flat))
            locals_ = dynamic_partition(local, M.cast(part, np.int32), n)
            places = dynamic_partition(pos, M.cast(part, np.int32), n)
            stitched = dynamic_stitch(places, [M.gather(p, i) for p, i in zip(ps, locals_)])
            out = M.reshape(stitched, M.concat([M.shape(idt), M.shape(ps[0])[1:]], 0))
        if max_norm is not None:
            from .extra_ops import clip_by_norm
            r = len(M._static_shape(out))
            k = len(M._static_shape(idt))
            out = clip_by_norm(out, max_norm, axes=list(range(k, r)))
        return out
    return build(name, "embedding_lookup", f)


def moments(x, axes, shift=None, name=None, keep_dims=None, keepdims=None):
    """The mean and (biased) variance of ``x`` over ``axes``.

    >>> import ndgrad.tf as tf
    >>> mean, variance = tf.nn.moments(tf.constant([[1.0, 2.0], [3.0, 6.0]]), axes=[0])
    >>> with tf.Session() as s:
    ...     print(*s.run([mean, variance]))
    [2. 4.] [1. 4.]
    """
    kd = bool(keepdims or keep_dims)

    def f():
        t = convert_to_tensor(x)
        mean = M.reduce_mean(t, axis=axes, keepdims=True)
        var = M.reduce_mean(M.square(t - M.stop_gradient(mean)), axis=axes, keepdims=True)
        if not kd:
            mean = M.squeeze(mean, axis=list(axes))
            var = M.squeeze(var, axis=list(axes))
        return mean, var
    return build(name, "moments", f, graph_args=(x,))


_ = np


from .nn_impl import nce_loss, sampled_softmax_loss, fused_batch_norm  # noqa: E402
from .candidate_sampling import (log_uniform_candidate_sampler,  # noqa: E402
                                 uniform_candidate_sampler)
__all__ += ["nce_loss", "sampled_softmax_loss", "fused_batch_norm",
            "log_uniform_candidate_sampler", "uniform_candidate_sampler", "conv2d_transpose",
            "conv2d_backprop_input", "conv2d_backprop_filter", "depthwise_conv2d",
            "depthwise_conv2d_native", "depthwise_conv2d_native_backprop_input",
            "depthwise_conv2d_native_backprop_filter", "separable_conv2d"]
# (TF 2's names for the native depthwise gradients)
depthwise_conv2d_backprop_input = depthwise_conv2d_native_backprop_input
depthwise_conv2d_backprop_filter = depthwise_conv2d_native_backprop_filter
__all__ += ["depthwise_conv2d_backprop_input", "depthwise_conv2d_backprop_filter"]
from .conv3d import conv3d, conv3d_transpose, max_pool3d, avg_pool3d  # noqa: E402
__all__ += ["conv3d", "conv3d_transpose", "max_pool3d", "avg_pool3d"]


def _in_top_k_fwd(xp, predictions, targets, k):
    p = np.asarray(predictions)
    t = np.asarray(targets).astype(np.int64)
    if p.ndim != 2 or t.shape != (p.shape[0],):
        raise ValueError(f"in_top_k: predictions must be (batch, classes) and targets "
                         f"(batch,), got {p.shape} and {t.shape}")
    ok = (t >= 0) & (t < p.shape[1])
    tv = p[np.arange(p.shape[0]), np.clip(t, 0, max(p.shape[1] - 1, 0))]
    greater = (p > tv[:, None]).sum(axis=1)
    # TF's kernel: a row holding any non-finite prediction "cannot say": False
    return ok & np.isfinite(p).all(axis=1) & (greater < k)


_IN_TOP_K = _defop("tf.in_top_k", _in_top_k_fwd, None, save="none",
                   nondiff="a boolean result has no gradient",
                   shape_rule=lambda args, params: [(None if args[0]._shape is None else
                                                     args[0]._shape[:1], np.dtype(bool))])


def in_top_k(predictions, targets, k, name=None):
    """Whether each row's ``targets`` class is among its ``k`` largest
    ``predictions`` (ties at the boundary count as in; a row with a non-finite
    prediction gives False, as TF's kernel).

    >>> import ndgrad.tf as tf
    >>> p = tf.constant([[0.1, 0.8, 0.1], [0.5, 0.2, 0.3]])
    >>> tf.Session().run(tf.nn.in_top_k(p, [1, 2], 1))
    array([ True, False])
    """
    def f():
        p = convert_to_tensor(predictions)
        t = convert_to_tensor(targets)
        if M._dt(t).kind not in "iu":
            raise TypeError(f"in_top_k: targets must be int32 or int64, got "
                            f"{t.dtype.name}")
        return apply(_IN_TOP_K, (p, t), {"k": int(k)})
    return build(name, "in_top_k", f, graph_args=(predictions,))


def selu(features, name=None):
    """``scale * elu(x)`` with alpha 1.6732632 and scale 1.0507010 (self-normalizing).

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.nn.selu([-1.0, 2.0]))
    array([-1.1113307,  2.101402 ], dtype=float32)
    """
    alpha, scale = 1.6732632423543772848170429916717, 1.0507009873554804934193349852946

    def f():
        x = _checked("selu", features)
        return scale * M.where(x < 0, alpha * elu(x), x)     # slope ``scale`` at 0
    return build(name, "Selu", f, graph_args=(features,))


def swish(features, name=None):
    """``x * sigmoid(x)``.

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.nn.swish([0.0, 1.0]))
    array([0.       , 0.7310586], dtype=float32)
    """
    def f():
        x = _checked("swish", features)
        return M.multiply(x, sigmoid(x))
    return build(name, "swish", f, graph_args=(features,))


def conv1d(value=None, filters=None, stride=1, padding="VALID", use_cudnn_on_gpu=None,
           data_format="NWC", name=None, input=None, dilations=None):  # noqa: A002
    """1-D convolution of (batch, width, in) ``value`` with (k, in, out) ``filters``,
    as TF computes it: a ``conv2d`` over a height-1 image.

    >>> import ndgrad.tf as tf
    >>> y = tf.nn.conv1d(tf.ones([1, 5, 1]), tf.ones([3, 1, 1]), 1, "SAME")
    >>> tf.Session().run(y).ravel()
    array([2., 3., 3., 3., 2.], dtype=float32)
    """
    value = value if value is not None else input
    if data_format not in ("NWC", "NHWC"):
        raise ValueError("only data_format='NWC' is supported")
    d = 1 if dilations is None else dilations
    d = [d] if isinstance(d, (int, np.integer)) else list(d)
    if len(d) not in (1, 3) or (len(d) == 3 and (d[0] != 1 or d[2] != 1)):
        raise ValueError(f"conv1d: dilations must be a number or [1, d, 1] (NWC), got "
                         f"{dilations!r}")
    d = int(d[0] if len(d) == 1 else d[1])
    st = stride if isinstance(stride, (int, np.integer)) else list(stride)
    st = int(st if isinstance(st, (int, np.integer)) else st[0] if len(st) == 1 else st[1])

    def f():
        x = M.expand_dims(convert_to_tensor(value), 1)
        w = M.expand_dims(convert_to_tensor(filters), 0)
        return M.squeeze(conv2d(x, w, [1, 1, st, 1], padding, dilations=[1, 1, d, 1]), [1])
    return build(name, "conv1d", f, graph_args=(value,))


def convolution(input, filter=None, padding=None, strides=None, dilation_rate=None,  # noqa
                name=None, data_format=None, filters=None, dilations=None):
    """TF's N-D ``convolution`` for N = 1 (NWC) and 2 (NHWC): ``strides`` and
    ``dilation_rate`` give one number per spatial dimension (a stride and a dilation above
    1 together are refused, as TF refuses them).

    >>> import ndgrad.tf as tf; tf.reset_default_graph()
    >>> y = tf.nn.convolution(tf.ones([1, 5, 5, 1]), tf.ones([2, 2, 1, 1]), "VALID",
    ...                       dilation_rate=[2, 2])
    >>> tf.Session().run(y)[0, :, :, 0]
    array([[4., 4., 4.],
           [4., 4., 4.],
           [4., 4., 4.]], dtype=float32)
    """
    filter = filter if filter is not None else filters   # noqa: A001
    dilation_rate = dilation_rate if dilation_rate is not None else dilations
    x = convert_to_tensor(input)
    shp = x.shape   # (a TensorShape in a graph, a tuple for an eager array)
    shape = (None if shp.ndims is None else shp.as_list()) if hasattr(shp, "as_list") \
        else list(shp)
    if shape is None:
        raise ValueError(f"convolution needs the rank of {x.name}, which is unknown")
    n = len(shape) - 2
    if n not in (1, 2):
        raise ValueError(f"convolution: input of rank {len(shape)} ({n}-D): only 1-D (NWC) "
                         "and 2-D (NHWC) convolutions are supported")
    if data_format not in (None, "NWC", "NHWC"):
        raise ValueError("only channels-last data formats (NWC, NHWC) are supported")

    def per_dim(v, what):
        v = [1] * n if v is None else [v] * n if isinstance(v, (int, np.integer)) else list(v)
        if len(v) != n:
            raise ValueError(f"convolution: {what} must have {n} entries (one per spatial "
                             f"dimension), got {v}")
        return [int(e) for e in v]
    st, dil = per_dim(strides, "strides"), per_dim(dilation_rate, "dilation_rate")
    if max(st) > 1 and max(dil) > 1:
        raise ValueError(f"`strides > 1` not supported in conjunction with "
                         f"`dilation_rate > 1`. Received: strides={st} and "
                         f"dilation_rate={dil}")
    if n == 1:
        return conv1d(x, filter, st[0], padding, dilations=dil[0], name=name)
    return conv2d(x, filter, [1] + st + [1], padding, dilations=[1] + dil + [1],
                  name=name)


def atrous_conv2d(value, filters, rate, padding, name=None):
    """Atrous (dilated) 2-D convolution: ``conv2d`` with the filter's taps ``rate``
    pixels apart.

    >>> import ndgrad.tf as tf; tf.reset_default_graph()
    >>> y = tf.nn.atrous_conv2d(tf.ones([1, 4, 4, 1]), tf.ones([2, 2, 1, 1]), 2, "VALID")
    >>> tf.Session().run(y).shape
    (1, 2, 2, 1)
    """
    if not isinstance(rate, (int, np.integer)) or rate < 1:
        raise ValueError(f"rate {rate!r} should be a positive integer")
    return conv2d(value, filters, [1, 1, 1, 1], padding, dilations=[1, rate, rate, 1],
                  name=name)


def atrous_conv2d_transpose(value, filters, output_shape, rate, padding, name=None):
    """The transpose of ``atrous_conv2d`` (its gradient with respect to the input, of
    ``output_shape``).

    >>> import ndgrad.tf as tf; tf.reset_default_graph()
    >>> y = tf.nn.atrous_conv2d_transpose(tf.ones([1, 2, 2, 1]), tf.ones([2, 2, 1, 1]),
    ...                                   [1, 4, 4, 1], 2, "VALID")
    >>> tf.Session().run(y)[0, :, :, 0]
    array([[1., 1., 1., 1.],
           [1., 1., 1., 1.],
           [1., 1., 1., 1.],
           [1., 1., 1., 1.]], dtype=float32)
    """
    if not isinstance(rate, (int, np.integer)) or rate < 1:
        raise ValueError(f"rate {rate!r} should be a positive integer")
    return conv2d_transpose(value, filters, output_shape, [1, 1, 1, 1], padding,
                            dilations=[1, rate, rate, 1], name=name)


def conv1d_transpose(input, filters, output_shape, strides, padding="SAME",  # noqa: A002
                     data_format="NWC", dilations=None, name=None):
    """The transpose of ``conv1d`` (its gradient with respect to the input): (batch,
    width, in) ``input``, (k, out_channels, in_channels) ``filters``, and an
    ``output_shape`` of 3 numbers (the batch may be a tensor).

    >>> import ndgrad.tf as tf; tf.reset_default_graph()
    >>> y = tf.nn.conv1d_transpose(tf.ones([1, 3, 1]), tf.ones([2, 1, 1]), [1, 4, 1], 1,
    ...                            "VALID")
    >>> tf.Session().run(y).ravel()
    array([1., 2., 2., 1.], dtype=float32)
    """
    if data_format not in ("NWC", "NHWC"):
        raise ValueError("only data_format='NWC' is supported")

    def one(v, what):
        v = [v] if isinstance(v, (int, np.integer)) else list(v)
        if len(v) == 3 and v[0] == 1 and v[2] == 1:
            v = [v[1]]
        if len(v) != 1:
            raise ValueError(f"conv1d_transpose: {what} must be a number or [1, n, 1], "
                             f"got {v}")
        return int(v[0])
    st, d = one(strides, "strides"), one(1 if dilations is None else dilations, "dilations")
    if isinstance(output_shape, _Tensor):
        if output_shape._op._kind != "const":
            raise ValueError("conv1d_transpose: output_shape must be known when the graph "
                             "is built (a constant, or a list such as [tf.shape(x)[0], "
                             "28, 1])")
        output_shape = output_shape._op._attrs["value"].tolist()
    out = list(output_shape.as_list() if hasattr(output_shape, "as_list") else output_shape)
    if len(out) != 3:
        raise ValueError(f"conv1d_transpose: output_shape must have 3 elements (NWC), got "
                         f"{output_shape}")

    def f():
        x = M.expand_dims(convert_to_tensor(input), 1)
        w = M.expand_dims(convert_to_tensor(filters), 0)
        y = conv2d_transpose(x, w, [out[0], 1, out[1], out[2]], [1, 1, st, 1], padding,
                             dilations=[1, 1, d, 1])
        return M.squeeze(y, [1])
    return build(name, "conv1d_transpose", f, graph_args=(input,))


__all__ += ["in_top_k", "selu", "swish", "conv1d", "convolution", "atrous_conv2d",
            "atrous_conv2d_transpose", "conv1d_transpose"]


def local_response_normalization(input=None, depth_radius=5, bias=1.0, alpha=1.0,  # noqa
                                 beta=0.5, name=None):
    """TF's LRN over the last (depth) axis of a 4-D input: ``x / (bias + alpha *
    sum(x[..., d - r : d + r + 1] ** 2)) ** beta``, built from differentiable ops.

    >>> import ndgrad.tf as tf
    >>> y = tf.nn.lrn(tf.constant([[[[1.0, 2.0, 2.0]]]]), depth_radius=1, alpha=1.0)
    >>> tf.Session().run(y).ravel()
    array([0.40824828, 0.6324555 , 0.6666667 ], dtype=float32)
    """
    from .extra_ops import pad

    def f():
        x = convert_to_tensor(input)
        # (TF's LRN kernels: half, bfloat16 and float only; not in op_dtypes' table,
        # whose probe feeds 3-element vectors to every op)
        _op_dtypes.refuse(M._dt(x), ("float16", "float32"), "input",
                          "tf.nn.local_response_normalization, op LRN")
        shape = M._static_shape(x)
        if shape is None or len(shape) != 4 or shape[-1] is None:
            raise ValueError(f"lrn: input must be 4-D with a known depth, got shape "
                             f"{x.shape}")
        r, depth = int(depth_radius), shape[-1]
        sq = pad(M.square(x), [[0, 0], [0, 0], [0, 0], [r, r]])
        total = sq[:, :, :, 0:depth]
        for i in range(1, 2 * r + 1):
            total = total + sq[:, :, :, i:i + depth]
        return x / M.pow(bias + alpha * total, beta)
    return build(name, "LRN", f, graph_args=(input,))


lrn = local_response_normalization
__all__ += ["local_response_normalization", "lrn"]

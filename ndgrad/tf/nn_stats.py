"""TF1's ``tf.nn`` moment statistics, Poisson loss and 1-D pooling, composed as TF 2.15 composes them."""
from __future__ import annotations

import math

import numpy as np

from .._ops.registry import apply
from . import math_ops as M
from .conv import AVG_POOL, MAX_POOL
from .framework import (build, convert_to_tensor, deprecated_argument_lookup,
                        shape_text, shapes_differ)
from .op_dtypes import refuse

__all__ = ["zero_fraction", "sufficient_statistics", "normalize_moments", "weighted_moments",
           "batch_norm_with_global_normalization", "log_poisson_loss", "max_pool1d",
           "avg_pool1d"]


def zero_fraction(value, name=None):
    """The fraction of zeros in ``value``, a float32 scalar (NaN when ``value`` is empty;
    a NaN counts as nonzero).

    >>> import ndgrad.tf as tf
    >>> from ndgrad.tf.nn_stats import zero_fraction
    >>> with tf.Session() as s:
    ...     print(s.run(zero_fraction([[0.0, 1.0, 0.0], [2.0, 0.0, 3.0]])))
    0.5
    """
    def f():
        t = convert_to_tensor(value, name="value")
        size = M.size(t, out_type=np.int64)
        # TF counts in int32 when the size fits, else int64: the same count
        nonzero = M.reduce_sum(M.cast(M.not_equal(t, M.zeros([], dtype=t.dtype)), np.int64),
                               name="nonzero_count")
        num_zero = size - nonzero
        out = M.cast(num_zero, np.float32) / M.cast(size, np.float32)
        return M.identity(out, name="fraction")
    return build(name, "zero_fraction", f, graph_args=(value,))


def sufficient_statistics(x, axes, shift=None, keep_dims=None, name=None, keepdims=None):
    """The count, the (shifted) sum and the (shifted) sum of squares of ``x`` over
    ``axes``, and ``shift`` (None if not given); the count has ``x``'s dtype.

    >>> import ndgrad.tf as tf
    >>> from ndgrad.tf.nn_stats import sufficient_statistics
    >>> c, m, v, s = sufficient_statistics([[1, 2, 3], [4, 5, 6]], [1])
    >>> with tf.Session() as sess:
    ...     print(*sess.run([c, m, v]), s)
    3 [ 6 15] [14 77] None
    """
    axes = list(set(axes))
    kd = deprecated_argument_lookup("keepdims", keepdims, "keep_dims", keep_dims)
    kd = False if kd is None else kd

    def f():
        t = convert_to_tensor(x, name="x")
        shp = M._static_shape(t)
        if shp is not None and all(shp[d] is not None for d in axes):
            counts = 1
            for d in axes:
                counts *= shp[d]
            counts = M.constant(counts, dtype=t.dtype)
        else:                               # the count is computed in the run
            rank = M.rank(t)
            positive = [a + rank if a < 0 else a for a in axes]
            dims = M.gather(M.cast(M.shape(t), t.dtype), positive)
            counts = M.reduce_prod(dims, name="count")
        sh = shift
        if sh is not None:
            sh = convert_to_tensor(sh, name="shift")
            m_ss = M.subtract(t, sh)
            v_ss = M.squared_difference(t, sh)
        else:
            m_ss = t
            v_ss = M.square(t)
        m_ss = M.reduce_sum(m_ss, axes, keepdims=kd, name="mean_ss")
        v_ss = M.reduce_sum(v_ss, axes, keepdims=kd, name="var_ss")
        return counts, m_ss, v_ss, sh
    return build(name, "sufficient_statistics", f, graph_args=(x,))


def normalize_moments(counts, mean_ss, variance_ss, shift, name=None):
    """The mean and variance from ``sufficient_statistics``' count, sums and shift.

    >>> import ndgrad.tf as tf
    >>> from ndgrad.tf.nn_stats import normalize_moments
    >>> mean, var = normalize_moments(3.0, [6.0, 15.0], [14.0, 77.0], None)
    >>> with tf.Session() as s:
    ...     print(*s.run([mean, var]))
    [2. 5.] [0.666667   0.66666794]
    """
    def f():
        divisor = M.reciprocal(counts, name="divisor")
        if shift is not None:
            shifted_mean = M.multiply(mean_ss, divisor, name="shifted_mean")
            mean = M.add(shifted_mean, shift, name="mean")
        else:
            shifted_mean = M.multiply(mean_ss, divisor, name="mean")
            mean = shifted_mean
        variance = M.subtract(M.multiply(variance_ss, divisor), M.square(shifted_mean),
                              name="variance")
        return mean, variance
    return build(name, "normalize", f, graph_args=(counts, mean_ss, variance_ss))


def weighted_moments(x, axes, frequency_weights, name=None, keep_dims=None, keepdims=None):
    """The ``frequency_weights``-weighted mean and variance of ``x`` over ``axes`` (the
    weights broadcast against ``x``; a zero total weight gives 0).

    >>> import ndgrad.tf as tf
    >>> from ndgrad.tf.nn_stats import weighted_moments
    >>> mean, var = weighted_moments([[1.0, 2.0], [3.0, 6.0]], [0], [[1.0], [3.0]])
    >>> with tf.Session() as s:
    ...     print(*s.run([mean, var]))
    [2.5 5. ] [0.75 3.  ]
    """
    kd = deprecated_argument_lookup("keepdims", keepdims, "keep_dims", keep_dims)
    kd = False if kd is None else kd

    def f():
        t = convert_to_tensor(x, name="x")
        w = convert_to_tensor(frequency_weights, name="frequency_weights")
        needs_cast = M._dt(t) == np.float16
        if needs_cast:                      # fp16 sums computed in float32, as TF
            t = M.cast(t, np.float32)
        if M._dt(w) != M._dt(t):
            w = M.cast(w, M._dt(t))
        weighted_sum = M.reduce_sum(w * t, axes, name="weighted_input_sum", keepdims=True)
        broadcast_w = w + M.zeros_like(t)
        sum_of_weights = M.reduce_sum(broadcast_w, axes, name="sum_of_weights",
                                      keepdims=True)
        mean = M.div_no_nan(weighted_sum, sum_of_weights)
        distsq = M.reduce_sum(w * M.squared_difference(t, mean), axes,
                              name="weighted_distsq", keepdims=True)
        variance = M.div_no_nan(distsq, sum_of_weights)
        if not kd:
            mean = M.squeeze(mean, axis=axes)
            variance = M.squeeze(variance, axis=axes)
        if needs_cast:
            mean = M.cast(mean, np.float16)
            variance = M.cast(variance, np.float16)
        return mean, variance
    return build(name, "weighted_moments", f, graph_args=(x,))


def batch_norm_with_global_normalization(t=None, m=None, v=None, beta=None, gamma=None,
                                         variance_epsilon=None,
                                         scale_after_normalization=None, name=None,
                                         input=None, mean=None, variance=None):  # noqa: A002
    """TF1's deprecated batch normalization: ``tf.nn.batch_normalization(t, m, v, beta,
    gamma if scale_after_normalization else None, variance_epsilon)`` (``input``,
    ``mean``, ``variance``: aliases of ``t``, ``m``, ``v``).

    >>> import ndgrad.tf as tf
    >>> from ndgrad.tf.nn_stats import batch_norm_with_global_normalization
    >>> y = batch_norm_with_global_normalization(tf.constant([[1.0, 2.0], [3.0, 6.0]]),
    ...     [2.0, 4.0], tf.constant([1.0, 4.0]), [0.5, 0.0], [2.0, 3.0], 0.0, True)
    >>> with tf.Session() as s:
    ...     print(s.run(y))
    [[-1.5 -3. ]
     [ 2.5  3. ]]
    """
    t = deprecated_argument_lookup("input", input, "t", t)
    m = deprecated_argument_lookup("mean", mean, "m", m)
    v = deprecated_argument_lookup("variance", variance, "v", v)
    from .extra_ops import batch_normalization
    return batch_normalization(t, m, v, beta, gamma if scale_after_normalization else None,
                               variance_epsilon, name)


def log_poisson_loss(targets, log_input, compute_full_loss=False, name=None):
    """``exp(log_input) - log_input * targets``, elementwise; with ``compute_full_loss``
    plus Stirling's approximation of ``log(targets!)`` where ``targets > 1`` (the
    shapes must be equal: no broadcasting).

    >>> import ndgrad.tf as tf
    >>> from ndgrad.tf.nn_stats import log_poisson_loss
    >>> loss = log_poisson_loss([0.0, 1.0, 3.0], [0.0, 0.5, 1.0], compute_full_loss=True)
    >>> with tf.Session() as s:
    ...     print(s.run(loss).round(5))
    [1.      1.14872 1.48236]
    """
    def f():
        li = convert_to_tensor(log_input, name="log_input")
        tg = convert_to_tensor(targets, name="targets")
        if shapes_differ(M._static_shape(tg), M._static_shape(li)):
            raise ValueError(f"`log_input` and `targets` must have the same shape, received "
                             f"({shape_text(M._static_shape(li))} vs "
                             f"{shape_text(M._static_shape(tg))}).")
        result = M.exp(li) - li * tg
        if compute_full_loss:
            dt = M._dt(tg)
            point_five = M.constant(0.5, dtype=dt)
            two_pi = M.constant(2 * math.pi, dtype=dt)
            stirling = (tg * M.log(tg)) - tg + (point_five * M.log(two_pi * tg))
            zeros = M.zeros_like(tg, dtype=dt)
            ones = M.ones_like(tg, dtype=dt)
            cond = M.logical_and(tg >= zeros, tg <= ones)
            result = result + M.where(cond, zeros, stirling)
        return result
    return build(name, "log_poisson_loss", f, graph_args=(log_input, targets))


def _get_sequence(value, n, channel_index, name):
    """TF's ``nn_ops._get_sequence``: ``ksize``/``strides`` (one number, ``n`` numbers,
    or ``n + 2`` with the batch and channels) as ``n + 2`` numbers."""
    if value is None:
        return [1] * (n + 2)
    if isinstance(value, list):
        pass
    elif isinstance(value, tuple):
        value = list(value)
    elif isinstance(value, (int, np.integer)) or not hasattr(value, "__len__"):
        value = [value]
    else:
        value = list(value)
    if len(value) == n + 2:
        return value
    if len(value) == 1:
        value = value * n
    elif len(value) != n:
        raise ValueError(f"{name} should be of length 1, {n} or {n + 2}. "
                         f"Received: {name}={value} of length {len(value)}")
    return [1, 1] + value if channel_index == 1 else [1] + value + [1]


def _explicit_padding_1d(padding):
    """A list ``padding`` (TF's ``convert_padding(padding, 3)``: three (before, after)
    pairs, NWC) as the pool op's ``((0, 0), (left, right))``."""
    for i, p in enumerate(padding):
        if not isinstance(p, (list, tuple)):
            raise ValueError(f"When `padding` is a list, each element of `padding` must be "
                             f"a list/tuple of size 2. Received: padding={padding} with "
                             f"element at index {i} of type {type(p)}")
        if len(p) != 2:
            raise ValueError(f"When `padding` is a list, each element of `padding` must be "
                             f"a list/tuple of size 2. Received: padding={padding} with "
                             f"element at index {i} of size {len(p)}")
    if len(padding) != 3:
        raise ValueError(f"When padding is a list, it must be of size 3. Received: "
                         f"padding={padding} of size {len(padding)}")
    pairs = [tuple(int(v) for v in p) for p in padding]
    if pairs[0] != (0, 0) or pairs[2] != (0, 0):
        raise ValueError(f"explicit padding of the batch and channel dimensions must be 0, "
                         f"got {padding!r}")
    if min(pairs[1]) < 0:
        raise ValueError(f"All elements of explicit_paddings must be nonnegative, got "
                         f"{padding!r}")
    return ((0, 0), pairs[1])


# TF 2.15's op definitions, in the order its TypeError lists them (bfloat16 and qint8
# have no NumPy dtype)
_POOL_DTYPES = {
    "MaxPool": ("input", ("float16", "bfloat16", "float32", "float64", "int32", "int64",
                          "uint8", "int16", "int8", "uint16", "qint8")),
    "AvgPool": ("value", ("float16", "bfloat16", "float32", "float64")),
}


def _pool1d(op_type, default, input, ksize, strides, padding, data_format, name):  # noqa
    explicit = op_type == "MaxPool"
    if isinstance(padding, (list, tuple)) and data_format == "NCHW_VECT_C":
        raise ValueError(f"`data_format='NCHW_VECT_C'` is not supported with explicit "
                         f"padding. Received: padding={padding}")
    if data_format is None:
        data_format = "NWC"
    channel_index = 1 if data_format.startswith("NC") else 2
    k = [1] + _get_sequence(ksize, 1, channel_index, "ksize")
    s = [1] + _get_sequence(strides, 1, channel_index, "strides")
    if isinstance(padding, (list, tuple)):
        if not explicit:
            raise TypeError(f"Expected string for argument 'padding' not {padding!r}.")
        pad = _explicit_padding_1d(padding)
    elif padding == "EXPLICIT" and explicit:
        raise ValueError("'EXPLICIT' is not a valid value for `padding`. To use explicit "
                         "padding, `padding` must be a list.")
    elif padding in ("SAME", "VALID"):
        pad = padding
    else:
        allowed = '"SAME", "VALID", "EXPLICIT"' if explicit else '"SAME", "VALID"'
        raise ValueError(f"Attr 'padding' of '{op_type}' Op passed string {padding!r} not "
                         f"in: {allowed}.")
    if data_format != "NWC":
        # TF's CPU kernels pool channels-last only (NCW runs on its GPU kernels alone)
        raise ValueError(f"{op_type}: only data_format='NWC' is supported (TensorFlow's "
                         f"CPU kernel refuses {data_format!r})")
    k, s = [int(v) for v in k], [int(v) for v in s]
    if k[0] != 1 or s[0] != 1:
        raise ValueError(f"{op_type}: pooling is not supported on the batch dimension "
                         f"(ksize {k}, strides {s})")
    if k[1] != 1 or s[1] != 1 or k[3] != 1 or s[3] != 1:
        raise ValueError(f"{op_type}: ksize and strides must pool the width only: "
                         f"[1, k, 1] (NWC), got ksize {k[1:]} and strides {s[1:]}")
    if k[2] < 1 or s[2] < 1:
        raise ValueError(f"{op_type}: ksize and strides must be positive, got ksize "
                         f"{k[1:]} and strides {s[1:]}")
    if isinstance(pad, tuple):
        for side, p in zip(("Left", "Right"), pad[1]):
            if p >= k[2]:
                raise ValueError(f"{side} padding {p} needs to be smaller than the window "
                                 f"size {k[2]}")

    def f():
        t = convert_to_tensor(input, name="input")
        param, allowed = _POOL_DTYPES[op_type]
        refuse(M._dt(t), allowed, param)
        shp = M._static_shape(t)
        if shp is not None and len(shp) != 3:
            raise ValueError(f"Shape must be rank 4 but is rank {len(shp) + 1} for "
                             f"'{op_type}' (input of {default}: NWC, 3-D, got shape "
                             f"{shape_text(shp)})")
        # (the 2-D kernels over a height of 1: TF's own way, and its CPU kernels' NaN
        # and gradient rules, conv._max_select)
        op = MAX_POOL if op_type == "MaxPool" else AVG_POOL
        out = apply(op, (M.expand_dims(t, 1),),
                    {"ksize": tuple(k), "strides": tuple(s), "padding": pad})
        return M.squeeze(out, [1])
    return build(name, default, f, graph_args=(input,))


def max_pool1d(input, ksize, strides, padding, data_format="NWC", name=None):  # noqa: A002
    """Max over ``ksize`` windows along the width of NWC ``input``; ``padding`` "SAME",
    "VALID" or three (before, after) pairs (batch and channels 0).

    >>> import ndgrad.tf as tf
    >>> from ndgrad.tf.nn_stats import max_pool1d
    >>> x = tf.reshape(tf.constant([1.0, 5.0, 2.0, 4.0, 3.0]), [1, 5, 1])
    >>> with tf.Session() as s:
    ...     print(s.run(max_pool1d(x, 2, 2, "SAME"))[0, :, 0])
    [5. 4. 3.]
    """
    return _pool1d("MaxPool", "MaxPool1d", input, ksize, strides, padding, data_format,
                   name)


def avg_pool1d(input, ksize, strides, padding, data_format="NWC", name=None):  # noqa: A002
    """Mean over ``ksize`` windows along the width of NWC ``input`` (padding excluded
    from the count).

    >>> import ndgrad.tf as tf
    >>> from ndgrad.tf.nn_stats import avg_pool1d
    >>> x = tf.reshape(tf.constant([1.0, 5.0, 2.0, 4.0, 3.0]), [1, 5, 1])
    >>> with tf.Session() as s:
    ...     print(s.run(avg_pool1d(x, 2, 2, "SAME"))[0, :, 0])
    [3. 3. 3.]
    """
    return _pool1d("AvgPool", "AvgPool1D", input, ksize, strides, padding, data_format,
                   name)

"""``tf.train``'s learning-rate schedules (TF1's ``learning_rate_decay``), built of ops.

Each schedule is TensorFlow's arithmetic (``keras/optimizer_v2/learning_rate_schedule.py``
underneath TF1's functions), op for op in the same order and dtypes: the learning rate's
dtype (a Python number: float32) is the dtype of the result; the step and the other
arguments are cast to it. In graph mode a function returns the decayed rate as a tensor;
under eager execution, as TF1's functions, a callable of no arguments that computes it
from the step's current value (``functools.partial`` of the schedule and the step).
"""
from __future__ import annotations

import functools
import math

import numpy as np

from . import framework as _fw
from . import math_ops as M
from .framework import convert_to_tensor

__all__ = ["exponential_decay", "piecewise_constant", "piecewise_constant_decay",
           "polynomial_decay", "natural_exp_decay", "inverse_time_decay", "cosine_decay",
           "cosine_decay_restarts", "linear_cosine_decay", "noisy_linear_cosine_decay"]


def _decayed(schedule, global_step, name, default):
    """The schedule applied to ``global_step``: a tensor (graph mode, under name scope
    ``name or default``), or the callable TF1's functions return under eager execution."""
    if global_step is None:
        raise ValueError("None values not supported.")   # (TF's, for a None step)

    def call(step):
        return _fw.build(name, default, schedule, step)
    if _fw.executing_eagerly():
        return functools.partial(call, global_step)
    return call(global_step)


def _lr(learning_rate):
    lr = convert_to_tensor(learning_rate, name="initial_learning_rate")
    return lr, _dt(lr)


def _pi(x):
    # TF multiplies by ``constant(math.pi)``: float32 (for a float64 rate TF's Mul is a
    # TypeError, and so it is here)
    return convert_to_tensor(math.pi) * x


def exponential_decay(learning_rate, global_step, decay_steps, decay_rate, staircase=False,
                      name=None):
    """``learning_rate * decay_rate ** (global_step / decay_steps)`` (``staircase``: the
    exponent floored).

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     print(s.run(tf.train.exponential_decay(0.1, 20, 10, 0.5)))
    0.025
    """
    def schedule(step):
        lr, dt = _lr(learning_rate)
        p = M.cast(step, dt) / M.cast(decay_steps, dt)
        if staircase:
            p = M.floor(p)
        return M.multiply(lr, M.pow(M.cast(decay_rate, dt), p))
    return _decayed(schedule, global_step, name, "ExponentialDecay")


def piecewise_constant(x, boundaries, values, name=None):
    """``values[0]`` while ``x <= boundaries[0]``, ``values[i]`` while
    ``boundaries[i-1] < x <= boundaries[i]``, ``values[-1]`` past the last boundary.
    The boundaries have x's dtype (int32 ones are cast to an int64 x), the values one
    dtype; ``len(values) == len(boundaries) + 1``.

    >>> import ndgrad.tf as tf
    >>> r = [tf.train.piecewise_constant(x, [10, 20], [1.0, 0.5, 0.1]) for x in (10, 11, 21)]
    >>> with tf.Session() as s:
    ...     print(*s.run(r))
    1.0 0.5 0.1
    """
    from .control_flow import cond
    boundaries = [convert_to_tensor(b) for b in _flatten(boundaries)]
    values = [convert_to_tensor(v) for v in _flatten(values)]
    xt = convert_to_tensor(x)
    for i, b in enumerate(boundaries):
        if _dt(b) != _dt(xt):
            if _dt(b) == "int32" and _dt(xt) == "int64":
                boundaries[i] = M.cast(b, _dt(xt))
            else:
                raise ValueError(f"Boundaries ({_tf_dtype(b)}) must have the same dtype "
                                 f"as x ({_tf_dtype(xt)}).")
    for v in values[1:]:
        if _dt(v) != _dt(values[0]):
            raise ValueError(f"Values must have elements all with the same dtype "
                             f"({_tf_dtype(values[0])} vs {_tf_dtype(v)}).")
    if len(boundaries) != len(values) - 1:
        raise ValueError("The length of boundaries should be 1 less than the length of "
                         "values")
    if not boundaries:
        raise IndexError("list index out of range")     # (TF's, for no boundaries)

    def schedule(step):
        s = convert_to_tensor(step)
        # TF's case, exclusive: x <= b[0]: v[0]; x > b[-1]: v[-1]; b[i-1] < x <= b[i]:
        # v[i]; otherwise (a NaN x) v[0]
        pairs = [(s <= boundaries[0], values[0]), (s > boundaries[-1], values[-1])]
        for low, high, v in zip(boundaries[:-1], boundaries[1:], values[1:-1]):
            pairs.append((M.logical_and(s > low, s <= high), v))
        out = values[0]
        for pred, v in reversed(pairs):
            out = cond(pred, lambda v=v: M.identity(v), lambda o=out: M.identity(o))
        return out
    return _decayed(schedule, x, name, "PiecewiseConstant")


piecewise_constant_decay = piecewise_constant


def polynomial_decay(learning_rate, global_step, decay_steps, end_learning_rate=0.0001,
                     power=1.0, cycle=False, name=None):
    """``(lr - end) * (1 - step / decay_steps) ** power + end``, the step clipped at
    ``decay_steps`` (``cycle``: decay_steps multiplied by ``ceil(step / decay_steps)``
    instead, 1 at step 0).

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     print(s.run(tf.train.polynomial_decay(0.1, 50, 10, end_learning_rate=0.01)))
    0.01
    """
    def schedule(step):
        lr, dt = _lr(learning_rate)
        end = M.cast(end_learning_rate, dt)
        pw = M.cast(power, dt)
        s = M.cast(step, dt)
        ds = M.cast(decay_steps, dt)
        if cycle:
            c = M.ceil(s / decay_steps)
            # (TF's where_v2 with a Python 1.0: float32, a TypeError for float64)
            mult = M.where(M.equal(s, 0), convert_to_tensor(1.0), c)
            ds = M.multiply(ds, mult)
        else:
            s = M.minimum(s, ds)
        p = M.divide(s, ds)
        return M.add(M.multiply(lr - end, M.pow(1 - p, pw)), end)
    return _decayed(schedule, global_step, name, "PolynomialDecay")


def natural_exp_decay(learning_rate, global_step, decay_steps, decay_rate, staircase=False,
                      name=None):
    """``learning_rate * exp(-decay_rate * global_step / decay_steps)`` (TF's: an
    exponential decay with rate ``exp(-decay_rate)``, computed as a float32 tensor).

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     print(round(float(s.run(tf.train.natural_exp_decay(1.0, 10, 10, 1.0))), 6))
    0.367879
    """
    rate = M.exp(M.negative(decay_rate))
    return exponential_decay(learning_rate, global_step, decay_steps, rate,
                             staircase=staircase, name=name)


def inverse_time_decay(learning_rate, global_step, decay_steps, decay_rate, staircase=False,
                       name=None):
    """``learning_rate / (1 + decay_rate * global_step / decay_steps)`` (``staircase``:
    the quotient floored).

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     print(s.run(tf.train.inverse_time_decay(0.1, 15, 10, 1.0, staircase=True)))
    0.05
    """
    def schedule(step):
        lr, dt = _lr(learning_rate)
        ds = M.cast(decay_steps, dt)
        rate = M.cast(decay_rate, dt)
        p = M.cast(step, dt) / ds
        if staircase:
            p = M.floor(p)
        one = M.cast(convert_to_tensor(1), dt)
        return M.divide(lr, M.add(one, M.multiply(rate, p)))
    return _decayed(schedule, global_step, name, "InverseTimeDecay")


def cosine_decay(learning_rate, global_step, decay_steps, alpha=0.0, name=None):
    """``learning_rate * ((1 - alpha) * 0.5 * (1 + cos(pi * t)) + alpha)``,
    ``t = min(step, decay_steps) / decay_steps``.

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     print(round(float(s.run(tf.train.cosine_decay(0.1, 5, 10))), 6))
    0.05
    """
    def schedule(step):
        lr, dt = _lr(learning_rate)
        ds = M.cast(decay_steps, dt)
        s = M.minimum(M.cast(step, dt), ds)
        frac = s / ds
        cosine = 0.5 * (1.0 + M.cos(_pi(frac)))
        return M.multiply(lr, (1 - alpha) * cosine + alpha)
    return _decayed(schedule, global_step, name, "CosineDecay")


def cosine_decay_restarts(learning_rate, global_step, first_decay_steps, t_mul=2.0,
                          m_mul=1.0, alpha=0.0, name=None):
    """Cosine decay with warm restarts (SGDR): period i is ``first_decay_steps *
    t_mul**i`` steps long and starts from ``learning_rate * m_mul**i``.

    >>> import ndgrad.tf as tf
    >>> r = [tf.train.cosine_decay_restarts(0.1, s, 10) for s in (0, 10, 20, 30)]
    >>> with tf.Session() as s:
    ...     print([round(float(v), 6) for v in s.run(r)])
    [0.1, 0.1, 0.05, 0.1]
    """
    def schedule(step):
        from .control_flow import cond
        lr, dt = _lr(learning_rate)
        first = M.cast(first_decay_steps, dt)
        a = M.cast(alpha, dt)
        tm = M.cast(t_mul, dt)
        mm = M.cast(m_mul, dt)
        frac = M.cast(step, dt) / first

        def compute(frac, geometric):
            if geometric:
                i = M.floor(M.log(1.0 - frac * (1.0 - tm)) / M.log(tm))
                sum_r = (1.0 - tm ** i) / (1.0 - tm)
                return i, (frac - sum_r) / tm ** i
            i = M.floor(frac)
            return i, frac - i
        if isinstance(t_mul, (int, float, np.number)):
            # (TF's cond on ``t_mul == 1``, decided here for a number: ndgrad's cond
            # computes both branches, and the geometric one divides by log(1) = 0)
            i, frac = compute(frac, float(np.asarray(t_mul, dtype=dt)) != 1.0)
        else:
            i, frac = cond(M.equal(tm, 1.0), lambda: compute(frac, False),
                           lambda: compute(frac, True))
        cosine = 0.5 * mm ** i * (1.0 + M.cos(_pi(frac)))
        return M.multiply(lr, (1 - a) * cosine + a)
    return _decayed(schedule, global_step, name, "SGDRDecay")


def _linear_cosine(learning_rate, decay_steps, num_periods, alpha, beta, variance=None):
    """LinearCosineDecay's schedule (``variance``: NoisyLinearCosineDecay's, with
    ``(initial_variance, variance_decay)``), TF's ops in TF's order."""
    def schedule(step):
        lr, dt = _lr(learning_rate)
        ds = M.cast(decay_steps, dt)
        if variance is not None:
            var0 = M.cast(variance[0], dt)
            vdecay = M.cast(variance[1], dt)
        periods = M.cast(num_periods, dt)
        a = M.cast(alpha, dt)
        b = M.cast(beta, dt)
        s = M.minimum(M.cast(step, dt), ds)
        linear = (ds - s) / ds
        if variance is not None:
            from .random_ops import random_normal
            std = M.sqrt(var0 / M.pow(1.0 + s, vdecay))
            # (float32 noise, as TF's: a float64 rate is TF's TypeError in the add)
            linear = linear + random_normal(linear.shape, stddev=std)
        fraction = 2.0 * periods * (s / ds)
        cosine = 0.5 * (1.0 + M.cos(_pi(fraction)))
        return M.multiply(lr, (a + linear) * cosine + b)
    return schedule


def linear_cosine_decay(learning_rate, global_step, decay_steps, num_periods=0.5, alpha=0.0,
                        beta=0.001, name=None):
    """``learning_rate * ((alpha + linear) * cosine + beta)``: ``linear = (decay_steps -
    step) / decay_steps``, ``cosine = 0.5 * (1 + cos(2 pi num_periods step /
    decay_steps))``, the step clipped at ``decay_steps``.

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     print(s.run(tf.train.linear_cosine_decay(1.0, 10, 10, beta=0.25)))
    0.25
    """
    return _decayed(_linear_cosine(learning_rate, decay_steps, num_periods, alpha, beta),
                    global_step, name, "LinearCosineDecay")


def noisy_linear_cosine_decay(learning_rate, global_step, decay_steps, initial_variance=1.0,
                              variance_decay=0.55, num_periods=0.5, alpha=0.0, beta=0.001,
                              name=None):
    """``linear_cosine_decay`` with normal noise added to the linear term: its variance
    ``initial_variance / (1 + step) ** variance_decay`` (a new draw at each evaluation).

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:    # past decay_steps the cosine factor is 0: no noise
    ...     print(s.run(tf.train.noisy_linear_cosine_decay(1.0, 20, 10, beta=0.25)))
    0.25
    """
    return _decayed(_linear_cosine(learning_rate, decay_steps, num_periods, alpha, beta,
                                   (initial_variance, variance_decay)),
                    global_step, name, "NoisyLinearCosineDecay")


def _flatten(xs):
    if isinstance(xs, (list, tuple)):
        return [y for x in xs for y in _flatten(x)]
    return [xs]


def _dt(t):
    """A tensor's (graph mode) or an eager array's NumPy dtype."""
    return np.dtype(t._np_dtype if hasattr(t, "_np_dtype") else t.dtype)


def _tf_dtype(t):
    from .dtypes import as_dtype
    return str(as_dtype(_dt(t)))

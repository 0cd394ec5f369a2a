"""``tf.train.ExponentialMovingAverage``: shadow variables (``<var>/ExponentialMovingAverage``)
that an ``apply()`` op moves towards their variables (or tensors, such as losses)."""
from __future__ import annotations

import numpy as np

from ..graph.core import Tensor
from . import math_ops as M
from . import state_ops as S
from . import variables as _variables
from .framework import convert_to_tensor

__all__ = ["ExponentialMovingAverage"]


class ExponentialMovingAverage:
    """``shadow -= (1 - decay) * (shadow - value)`` for each variable or tensor given to
    ``apply``; with ``num_updates``, the decay is ``min(decay, (1 + n) / (10 + n))``.
    A variable's shadow starts at its initial value, a tensor's at zero.

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default(), tf.Session() as s:
    ...     w = tf.Variable(1.0, name="w")
    ...     ema = tf.train.ExponentialMovingAverage(0.9)
    ...     step = ema.apply([w])
    ...     s.run(tf.global_variables_initializer())
    ...     _ = s.run(w.assign(3.0)); _ = s.run(step)
    ...     print(ema.average_name(w), s.run(ema.average(w)))
    w/ExponentialMovingAverage 1.2
    """

    def __init__(self, decay, num_updates=None, zero_debias=False,
                 name="ExponentialMovingAverage"):
        if zero_debias:
            raise ValueError("ExponentialMovingAverage(zero_debias=True) is not provided "
                             "by ndgrad.tf")
        self._decay = decay
        self._num_updates = num_updates
        self._name = name
        self._averages = {}

    @property
    def name(self):
        return self._name

    def apply(self, var_list=None):
        """The op that moves every shadow one step (the shadows made on first sight)."""
        if var_list is None:
            var_list = _variables.trainable_variables()
        g = S.get_default_graph()
        items = []
        for v in var_list:
            t = v if isinstance(v, Tensor) else convert_to_tensor(v)
            if t._np_dtype.kind != "f":
                raise TypeError(f"The variables must be half, float, or double: {t.name}")
            if t in self._averages:
                raise ValueError(f"Moving average already computed for: {t.op.name}")
            is_var = isinstance(t, _variables.Variable)
            init = t.initialized_value() if is_var else np.zeros(
                t._shape if t._shape is not None and None not in t._shape else (),
                t._np_dtype)
            if not is_var and (t._shape is None or None in t._shape):
                raise ValueError(f"ExponentialMovingAverage: {t.name} needs a static "
                                 f"shape, got {t.shape}")
            with g.name_scope(None):
                shadow = _variables.Variable(init, trainable=False, dtype=t._np_dtype,
                                    name=self.average_name(t))
            if is_var:
                g.add_to_collection(_variables.GraphKeys.MOVING_AVERAGE_VARIABLES, t)
            self._averages[t] = shadow
            items.append((t, shadow))
        with g.name_scope(self._name):
            decay = convert_to_tensor(self._decay, dtype=np.float32, name="decay")
            if self._num_updates is not None:
                n = M.cast(convert_to_tensor(self._num_updates), np.float32)
                decay = M.minimum(decay, (1.0 + n) / (10.0 + n))
            ups = []
            for t, shadow in items:
                d = M.cast(1.0 - decay, t._np_dtype)
                ups.append(S.assign_sub(shadow, (shadow - t) * d))
            return S.group(*ups, name=g.get_name_scope().split("/")[-1] + "/")

    def average(self, var):
        """The shadow of ``var`` (None before ``apply`` saw it)."""
        return self._averages.get(var)

    def average_name(self, var):
        """The name of ``var``'s shadow: ``<var op name>/<this name>``."""
        return var.op.name + "/" + self._name

    def variables_to_restore(self, moving_avg_variables=None):
        """{checkpoint name: variable}: each averaged variable restored from its
        shadow's name, every other variable from its own."""
        if moving_avg_variables is None:
            moving_avg_variables = _variables.trainable_variables() + list(
                S.get_default_graph().get_collection(_variables.GraphKeys.MOVING_AVERAGE_VARIABLES))
        out = {}
        for v in moving_avg_variables:
            out[self.average_name(v)] = v
        shadows = set(self._averages.values())
        for v in _variables.global_variables():
            if v not in shadows and v.op.name not in out and v not in moving_avg_variables:
                out[v.op.name] = v
        return out

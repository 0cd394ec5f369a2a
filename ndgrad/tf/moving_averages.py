"""``tf.train.ExponentialMovingAverage`` and ``assign_moving_average`` (TF's
``training/moving_averages.py``): shadow variables that an update op moves towards their
variables (or tensors, such as losses), optionally debiased (``zero_debias``)."""
from __future__ import annotations

import numpy as np

from ..graph.core import Tensor
from . import math_ops as M
from . import state_ops as S
from . import variables as _variables
from .framework import convert_to_tensor

__all__ = ["ExponentialMovingAverage", "assign_moving_average", "weighted_moving_average",
           "moving_average_variables"]


def moving_average_variables(scope=None):
    """The variables some ``ExponentialMovingAverage.apply`` averages (the collection
    ``MOVING_AVERAGE_VARIABLES``), those under ``scope`` if given.

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default():
    ...     w = tf.Variable(1.0, name="w")
    ...     _ = tf.train.ExponentialMovingAverage(0.9).apply([w])
    ...     print([v.op.name for v in tf.moving_average_variables()])
    ['w']
    """
    return S.get_default_graph().get_collection(
        _variables.GraphKeys.MOVING_AVERAGE_VARIABLES, scope)


def assign_moving_average(variable, value, decay, zero_debias=True, name=None):
    """The op ``variable -= (1 - decay) * (variable - value)``; with ``zero_debias``
    (TF's default here), ``variable`` is set to a debiased average instead: a shadow
    ``biased`` takes that update and a ``local_step`` counts them, and ``variable =
    biased / (1 - decay ** local_step)`` (the shadows made in a variable scope named
    after ``variable``, as TF's). It returns the variable's new value.

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default(), tf.Session() as s:
    ...     v = tf.Variable(0.0, name="v")
    ...     up = assign_moving_average(v, 4.0, 0.5)
    ...     s.run(tf.global_variables_initializer())
    ...     print(s.run(up), s.run(up))
    4.0 4.0
    """
    from . import framework as _fw
    if _fw.executing_eagerly():
        d = M.cast(convert_to_tensor(1.0 - decay), _dtype(variable))
        if zero_debias:
            return _zero_debias(variable, value, d)
        return S.assign_sub(variable, (variable - value) * d)
    g = variable.graph
    with g.name_scope(name or "AssignMovingAvg") as scope:
        d = convert_to_tensor(1.0 - decay, name="decay")
        if d._np_dtype != variable._np_dtype:
            d = M.cast(d, variable._np_dtype)
        if zero_debias:
            return _zero_debias(variable, value, d)
        return S.assign_sub(variable, (variable - value) * d, name=scope)


def _dtype(v):
    """A graph or eager variable's NumPy dtype."""
    dt = getattr(v, "_np_dtype", None)
    return dt if dt is not None else np.dtype(getattr(v.dtype, "as_numpy_dtype", v.dtype))


def _zero_debias(unbiased_var, value, decay):
    """TF's ``_zero_debias``: ``decay`` is ``1 - decay`` of the average."""
    from . import init_ops
    from . import variable_scopes as vs
    with vs.variable_scope(unbiased_var.name.split(":")[0]):
        scope = vs.get_variable_scope()

        def unique(name):
            if scope.reuse:
                return name
            taken = {v.op.name for v in _variables.global_variables()}
            full = scope.name + "/" + name
            if full not in taken:
                return name
            i = 1
            while f"{full}_{i}" in taken:
                i += 1
            return f"{name}_{i}"
        biased = vs.get_variable(unique("biased"), shape=unbiased_var.shape,
                                 dtype=_dtype(unbiased_var),
                                 initializer=init_ops.zeros_initializer(),
                                 trainable=False)
        local_step = vs.get_variable(unique("local_step"), shape=[],
                                     dtype=_dtype(unbiased_var),
                                     initializer=init_ops.zeros_initializer(),
                                     trainable=False)
    update_biased = S.assign_sub(biased, (biased - value) * decay)
    update_local_step = S.assign_add(local_step, 1)
    bias_factor = 1 - M.pow(1.0 - decay, update_local_step)
    from . import framework as _fw
    if _fw.executing_eagerly():
        return S.assign(unbiased_var, update_biased / bias_factor)
    return S.assign(unbiased_var, update_biased / bias_factor,
                    name=S.get_default_graph().get_name_scope() + "/")


def weighted_moving_average(value, decay, weight, truediv=True, collections=None,
                            name=None):
    """The moving average of ``value * weight`` over that of ``weight`` (two shadows,
    ``value_x_weight`` and ``weight``, in a variable scope ``WeightedMovingAvg``), as
    TF's.

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default(), tf.Session() as s:
    ...     avg = weighted_moving_average(tf.constant(3.0), 0.5, tf.constant(2.0))
    ...     s.run(tf.global_variables_initializer())
    ...     print(s.run(avg))
    3.0
    """
    from . import init_ops
    from . import variable_scopes as vs
    value = convert_to_tensor(value)
    weight = convert_to_tensor(weight)
    if collections is None:
        collections = [_variables.GraphKeys.GLOBAL_VARIABLES]
    with vs.variable_scope(name, "WeightedMovingAvg", [value, weight, decay]) as scope:
        vw = vs.get_variable("value_x_weight", shape=value.shape, dtype=value.dtype,
                             initializer=init_ops.zeros_initializer(), trainable=False,
                             collections=collections)
        w = vs.get_variable("weight", shape=weight.shape, dtype=weight.dtype,
                            initializer=init_ops.zeros_initializer(), trainable=False,
                            collections=collections)
        numerator = assign_moving_average(vw, value * weight, decay, zero_debias=False)
        denominator = assign_moving_average(w, weight, decay, zero_debias=False)
        return (M.truediv if truediv else M.div)(numerator, denominator, name=scope.name)


class ExponentialMovingAverage:
    """``shadow -= (1 - decay) * (shadow - value)`` for each variable or tensor given to
    ``apply``; with ``num_updates``, the decay is ``min(decay, (1 + n) / (10 + n))``.
    A variable's shadow starts at its initial value, a tensor's at zero (debiased with
    ``zero_debias=True``, as ``assign_moving_average``). Shadows are named
    ``<current name scope>/<variable's name>/<this name>``, as TF's slots.

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
        self._decay = decay
        self._num_updates = num_updates
        self._zero_debias = zero_debias
        self._name = name
        self._averages = {}

    @property
    def name(self):
        return self._name

    def apply(self, var_list=None):
        """The op that moves every shadow one step (a shadow made on first sight of its
        variable or tensor, reused after)."""
        if var_list is None:
            var_list = _variables.trainable_variables()
        g = S.get_default_graph()
        items = []
        debiased = set()
        for v in var_list:
            t = v if isinstance(v, Tensor) else convert_to_tensor(v)
            if t._np_dtype.kind != "f":
                raise TypeError(f"The variables must be half, float, or double: {t.name}")
            if t not in self._averages:
                is_var = isinstance(t, _variables.Variable)
                if not is_var and (t._shape is None or None in t._shape):
                    raise ValueError(f"ExponentialMovingAverage: {t.name} needs a static "
                                     f"shape, got {t.shape}")
                init = t.initialized_value() if is_var else np.zeros(t._shape, t._np_dtype)
                name = self.average_name(t)
                with g.name_scope(None), g.control_dependencies(None):
                    shadow = _variables.Variable(init, trainable=False, dtype=t._np_dtype,
                                                 name=name)
                if is_var:
                    g.add_to_collection(_variables.GraphKeys.MOVING_AVERAGE_VARIABLES, t)
                elif self._zero_debias:
                    debiased.add(shadow)
                self._averages[t] = shadow
            items.append((t, self._averages[t]))
        with g.name_scope(self._name) as scope:
            decay = convert_to_tensor(self._decay, dtype=np.float32, name="decay")
            if self._num_updates is not None:
                n = M.cast(convert_to_tensor(self._num_updates), np.float32)
                decay = M.minimum(decay, (1.0 + n) / (10.0 + n))
            ups = [assign_moving_average(shadow, t, decay, zero_debias=shadow in debiased)
                   for t, shadow in items]
            return S.group(*ups, name=scope)

    def average(self, var):
        """The shadow of ``var`` (None before ``apply`` saw it)."""
        return self._averages.get(var)

    def average_name(self, var):
        """The name of ``var``'s shadow: its name once made, else the name it would get
        now (``<current name scope>/<var op name>/<this name>``, made unique)."""
        if var in self._averages:
            return self._averages[var].op.name
        return S.get_default_graph().unique_name(var.op.name + "/" + self._name,
                                                 mark_as_used=False)

    def variables_to_restore(self, moving_avg_variables=None):
        """{checkpoint name: variable}: each averaged variable restored from its
        shadow's name, every other global variable (other shadows included) from its
        own, as TF's."""
        if moving_avg_variables is None:
            moving_avg_variables = (_variables.trainable_variables()
                                    + list(moving_average_variables()))
        moving_avg_variables = list(dict.fromkeys(moving_avg_variables))
        out = {}
        for v in moving_avg_variables:
            out[self.average_name(v)] = v
        names = {v.name for v in moving_avg_variables}
        for v in _variables.global_variables():
            if v.name not in names and v.op.name not in out:
                out[v.op.name] = v
        return out

"""``tf.nn.rnn_cell`` (BasicRNNCell, BasicLSTMCell, GRUCell, MultiRNNCell) and
``tf.nn.static_rnn`` / ``tf.nn.dynamic_rnn``.

The recurrence is unrolled over the time steps when the graph is built (their number
must be known statically), so gradients flow through it with the ordinary rules.
Variables are TF 1's: ``rnn/basic_lstm_cell/kernel`` and ``.../bias`` with the gates in
TF's order (i, j, f, o).
"""
from __future__ import annotations

import collections
import types

from . import math_ops as M
from . import state_ops as S
from .framework import convert_to_tensor

__all__ = ["BasicRNNCell", "BasicLSTMCell", "LSTMCell", "GRUCell", "MultiRNNCell",
           "LSTMStateTuple", "static_rnn", "dynamic_rnn", "rnn_cell"]

LSTMStateTuple = collections.namedtuple("LSTMStateTuple", ("c", "h"))


def _linear(args, output_size, bias_initializer=None, kernel_initializer=None):
    x = M.concat(list(args), 1) if len(args) > 1 else args[0]
    in_dim = M._static_shape(x)[-1]
    w = S.get_variable("kernel", [in_dim, output_size], dtype=M._dt(x),
                       initializer=kernel_initializer)
    b = S.get_variable("bias", [output_size], dtype=M._dt(x),
                       initializer=bias_initializer or S.zeros_initializer())
    return M.matmul(x, w) + b


class RNNCell:
    """A cell: ``output, new_state = cell(inputs, state)``; variables are created on the
    first call in scope ``<scope or the cell's name>`` and reused afterwards."""

    _default_name = "rnn_cell"

    def __init__(self, num_units=None, reuse=None, name=None):
        self._num_units = num_units
        self._reuse = reuse
        self._name = name
        self._scope = None

    @property
    def output_size(self):
        return self._num_units

    @property
    def state_size(self):
        return self._num_units

    def zero_state(self, batch_size, dtype):
        return M.zeros([batch_size, self.state_size], dtype=dtype)

    def __call__(self, inputs, state, scope=None):
        if self._scope is None:
            with S.variable_scope(scope or self._name, default_name=self._default_name,
                                  reuse=self._reuse) as vs:
                self._scope = vs
                return self._step(convert_to_tensor(inputs), state)
        with S.variable_scope(self._scope, reuse=True):
            return self._step(convert_to_tensor(inputs), state)


class BasicRNNCell(RNNCell):
    """``h = activation(W [x, h] + b)``."""

    _default_name = "basic_rnn_cell"

    def __init__(self, num_units, activation=None, reuse=None, name=None):
        super().__init__(num_units, reuse, name)
        self._activation = activation or M.tanh

    def _step(self, x, h):
        out = self._activation(_linear([x, h], self._num_units))
        return out, out


class BasicLSTMCell(RNNCell):
    """LSTM with TF's gate order (i, j, f, o) and ``forget_bias`` added to f."""

    _default_name = "basic_lstm_cell"

    def __init__(self, num_units, forget_bias=1.0, state_is_tuple=True, activation=None,
                 reuse=None, name=None):
        super().__init__(num_units, reuse, name)
        self._forget_bias = forget_bias
        self._state_is_tuple = state_is_tuple
        self._activation = activation or M.tanh

    @property
    def state_size(self):
        return LSTMStateTuple(self._num_units, self._num_units) if self._state_is_tuple \
            else 2 * self._num_units

    def zero_state(self, batch_size, dtype):
        z = M.zeros([batch_size, self._num_units], dtype=dtype)
        return LSTMStateTuple(z, z) if self._state_is_tuple else M.concat([z, z], 1)

    def _step(self, x, state):
        if self._state_is_tuple:
            c, h = state
        else:
            c, h = M.split(state, 2, axis=1)
        gates = _linear([x, h], 4 * self._num_units)
        i, j, f, o = M.split(gates, 4, axis=1)
        new_c = c * M.sigmoid(f + self._forget_bias) + M.sigmoid(i) * self._activation(j)
        new_h = self._activation(new_c) * M.sigmoid(o)
        new_state = LSTMStateTuple(new_c, new_h) if self._state_is_tuple else \
            M.concat([new_c, new_h], 1)
        return new_h, new_state


LSTMCell = BasicLSTMCell


class GRUCell(RNNCell):
    """GRU as TF computes it: gates r, u from ``[x, h]``, candidate from ``[x, r * h]``."""

    _default_name = "gru_cell"

    def __init__(self, num_units, activation=None, reuse=None, name=None):
        super().__init__(num_units, reuse, name)
        self._activation = activation or M.tanh

    def _step(self, x, h):
        with S.variable_scope("gates"):
            ru = M.sigmoid(_linear([x, h], 2 * self._num_units,
                                   bias_initializer=S.constant_initializer(1.0)))
        r, u = M.split(ru, 2, axis=1)
        with S.variable_scope("candidate"):
            c = self._activation(_linear([x, r * h], self._num_units))
        new_h = u * h + (1 - u) * c
        return new_h, new_h


class MultiRNNCell(RNNCell):
    """Cells stacked: each one's output is the next one's input."""

    _default_name = "multi_rnn_cell"

    def __init__(self, cells, state_is_tuple=True):
        super().__init__(None)
        self._cells = list(cells)

    @property
    def output_size(self):
        return self._cells[-1].output_size

    @property
    def state_size(self):
        return tuple(c.state_size for c in self._cells)

    def zero_state(self, batch_size, dtype):
        return tuple(c.zero_state(batch_size, dtype) for c in self._cells)

    def _step(self, x, state):
        new = []
        for i, (cell, st) in enumerate(zip(self._cells, state)):
            with S.variable_scope(f"cell_{i}"):
                x, s = cell(x, st)
            new.append(s)
        return x, tuple(new)


def static_rnn(cell, inputs, initial_state=None, dtype=None, sequence_length=None,
               scope=None):
    """Run ``cell`` over the list ``inputs``: ``(outputs list, final state)``."""
    if sequence_length is not None:
        raise NotImplementedError("static_rnn with sequence_length is not supported")
    inputs = [convert_to_tensor(x) for x in inputs]
    with S.variable_scope(scope, default_name="rnn"):
        state = initial_state
        if state is None:
            if dtype is None:
                raise ValueError("If no initial_state is provided, dtype must be specified")
            batch = M._static_shape(inputs[0])[0]
            state = cell.zero_state(batch if batch is not None else M.shape(inputs[0])[0],
                                    dtype)
        outputs = []
        for x in inputs:
            out, state = cell(x, state)
            outputs.append(out)
    return outputs, state


def dynamic_rnn(cell, inputs, sequence_length=None, initial_state=None, dtype=None,
                parallel_iterations=None, swap_memory=False, time_major=False, scope=None):
    """Run ``cell`` over the time axis of ``inputs`` ((batch, time, ...) unless
    ``time_major``): ``(outputs, final state)``; the time steps are unrolled."""
    if sequence_length is not None:
        raise NotImplementedError("dynamic_rnn with sequence_length is not supported")
    x = convert_to_tensor(inputs)
    shape = M._static_shape(x)
    t_axis = 0 if time_major else 1
    steps = shape[t_axis]
    if steps is None:
        raise ValueError("ndgrad.tf unrolls dynamic_rnn: the number of time steps must be "
                         f"known statically; inputs have shape {x.shape}")
    xs = M.unstack(x, num=steps, axis=t_axis)
    with S.variable_scope(scope or "rnn"):
        state = initial_state
        if state is None:
            if dtype is None:
                raise ValueError("If there is no initial_state, you must give a dtype.")
            batch = shape[1 if time_major else 0]
            state = cell.zero_state(batch if batch is not None else M.shape(x)[1 - t_axis],
                                    dtype)
        outs = []
        for xt in xs:
            out, state = cell(xt, state)
            outs.append(out)
    return M.stack(outs, axis=t_axis), state


rnn_cell = types.ModuleType("ndgrad.tf.nn.rnn_cell", "tf.nn.rnn_cell")
for _n in ("BasicRNNCell", "BasicLSTMCell", "LSTMCell", "GRUCell", "MultiRNNCell",
           "LSTMStateTuple", "RNNCell"):
    setattr(rnn_cell, _n, globals()[_n])

"""``tf.nn.rnn_cell`` (BasicRNNCell, BasicLSTMCell, LSTMCell, GRUCell, MultiRNNCell,
DropoutWrapper) and the drivers ``static_rnn``, ``dynamic_rnn``,
``bidirectional_dynamic_rnn``, ``static_bidirectional_rnn``.

Variables are TF 1's (``rnn/basic_lstm_cell/kernel`` and ``.../bias``, LSTM gates in TF's
order i, j, f, o), so checkpoint values mean the same. ``dynamic_rnn`` unrolls when the
number of time steps is known statically and runs a ``tf.while_loop`` (with gradients)
when it is not. With ``sequence_length``, outputs past each sequence's length are zero
and its state stays frozen at its last valid step, as in TensorFlow.
"""
from __future__ import annotations

import collections
import numbers
import re
import types

import numpy as np

from .._ops.registry import defop, apply
from . import math_ops as M
from . import init_ops as _init_ops
from . import variable_scopes as _variable_scope
from .framework import convert_to_tensor, build
from .framework import _unref as _fw_unref
from .._ops import registry as _registry
from ..graph.core import Tensor
from . import nest as _nest


__all__ = ["BasicRNNCell", "BasicLSTMCell", "LSTMCell", "GRUCell", "MultiRNNCell",
           "DropoutWrapper", "ResidualWrapper", "DeviceWrapper", "LSTMStateTuple",
           "static_rnn", "dynamic_rnn",
           "bidirectional_dynamic_rnn", "static_bidirectional_rnn", "reverse_sequence",
           "rnn_cell"]

LSTMStateTuple = collections.namedtuple("LSTMStateTuple", ("c", "h"))
LSTMStateTuple.__doc__ = """An LSTM's state (or state sizes): the cell state ``c`` and the
output ``h``.

>>> import ndgrad.tf as tf
>>> tf.nn.rnn_cell.BasicLSTMCell(3).state_size
LSTMStateTuple(c=3, h=3)
>>> st = tf.nn.rnn_cell.LSTMStateTuple(c=tf.zeros([2, 3]), h=tf.ones([2, 3]))
>>> st.h is st[1]
True
"""


def _linear(args, output_size, bias_initializer=None, kernel_initializer=None):
    x = M.concat(list(args), 1) if len(args) > 1 else args[0]
    in_dim = M._static_shape(x)[-1]
    w = _variable_scope.get_variable("kernel", [in_dim, output_size], dtype=M._dt(x),
                       initializer=kernel_initializer)
    b = _variable_scope.get_variable("bias", [output_size], dtype=M._dt(x),
                       initializer=bias_initializer or _init_ops.zeros_initializer())
    return M.matmul(x, w) + b


def _snake_case(name):
    """TF's ``to_snake_case`` (a layer's default name from its class name)."""
    s = re.sub("(.)([A-Z][a-z0-9]+)", r"\1_\2", name)
    s = re.sub("([a-z])([A-Z])", r"\1_\2", s).lower()
    return s if s[0] != "_" else "private" + s


class RNNCell:
    """A cell: ``output, new_state = cell(inputs, state)``; variables are created on the
    first call in scope ``<scope or the cell's name>`` (by default its class name in
    snake case) and reused afterwards. A new cell defines ``state_size``, ``output_size``
    and ``call(inputs, state)``.

    >>> import ndgrad.tf as tf
    >>> class Running(tf.nn.rnn_cell.RNNCell):
    ...     state_size = output_size = 1
    ...     def call(self, inputs, state):
    ...         return inputs + state, inputs + state
    >>> with tf.Graph().as_default():
    ...     out, last = tf.nn.dynamic_rnn(Running(), tf.ones([2, 3, 1]), dtype=tf.float32)
    ...     print(tf.Session().run(out)[0, :, 0])
    [1. 2. 3.]
    """

    _default_name = "rnn_cell"
    # (the scope of the first call, and whether a call has made the variables: a first
    # call that failed leaves the scope and not this; class defaults, for subclasses
    # that set up no state of their own)
    _scope = None
    _built = False

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # as TF's layers: a subclass's default scope is its class name in snake case
        if "_default_name" not in cls.__dict__:
            cls._default_name = _snake_case(cls.__name__)

    def call(self, inputs, state):
        """One step, ``(output, new_state)``, in the current variable scope: what a
        subclass defines (TF's ``call``)."""
        if type(self)._step is RNNCell._step:
            raise NotImplementedError("Abstract method")
        return self._step(convert_to_tensor(inputs), state)

    def _step(self, inputs, state):
        return self.call(inputs, state)

    def __init__(self, num_units=None, reuse=None, name=None):
        self._num_units = num_units
        self._reuse = reuse
        self._name = name

    @property
    def output_size(self):
        return self._num_units

    @property
    def state_size(self):
        return self._num_units

    def zero_state(self, batch_size, dtype):
        """Zeros of ``[batch_size] + size`` for each size of ``state_size`` (a structure
        of them for a nested state, TF's)."""
        def zeros(size):
            dims = size.as_list() if hasattr(size, "as_list") else [size]
            return M.zeros([batch_size] + dims, dtype=dtype)
        size = self.state_size
        return _nest.map_structure(zeros, size) if _nest.is_nested(size) else zeros(size)

    @property
    def variables(self):
        """The variables the cell made or shares, in the order they were made (TF's
        ``Layer.variables``); none before its first call.

        >>> import ndgrad.tf as tf
        >>> with tf.Graph().as_default():
        ...     cell = tf.nn.rnn_cell.GRUCell(2)
        ...     _ = cell(tf.ones([1, 3]), tf.zeros([1, 2]))
        ...     print([v.name for v in cell.variables][:2], cell.non_trainable_variables)
        ['gru_cell/gates/kernel:0', 'gru_cell/gates/bias:0'] []
        """
        if self._scope is None:
            return []
        prefix = self._scope.name + "/"
        store = _variable_scope._vs_state()["vars"]
        return [v for name, v in store.items() if name.startswith(prefix)]

    weights = variables

    @property
    def trainable_variables(self):
        """The cell's variables made trainable (``variables``)."""
        return [v for v in self.variables if v.trainable]

    trainable_weights = trainable_variables

    @property
    def non_trainable_variables(self):
        """The cell's variables made with ``trainable=False`` (``variables``)."""
        return [v for v in self.variables if not v.trainable]

    non_trainable_weights = non_trainable_variables

    def __call__(self, inputs, state, scope=None):
        if not self._built:
            # (the first call, or a retry after a first call that failed, as TF's layers:
            # the scope is kept, the variables are made, not reused)
            with _variable_scope.variable_scope(
                    self._scope if self._scope is not None else scope or self._name,
                    default_name=self._default_name, reuse=self._reuse) as vs:
                self._scope = vs
                out = self._step(convert_to_tensor(inputs), state)
                self._built = True
                return out
        with _variable_scope.variable_scope(self._scope, reuse=True):
            return self._step(convert_to_tensor(inputs), state)


class BasicRNNCell(RNNCell):
    """``h = activation(W [x, h] + b)``.

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default(), tf.Session() as s:
    ...     with tf.variable_scope('rnn', initializer=tf.constant_initializer(0.5)):
    ...         out, h = tf.nn.rnn_cell.BasicRNNCell(2)(tf.ones([1, 3]), tf.zeros([1, 2]))
    ...     s.run(tf.global_variables_initializer())
    ...     print(s.run(out), [v.name for v in tf.trainable_variables()])
    [[0.9051482 0.9051482]] ['rnn/basic_rnn_cell/kernel:0', 'rnn/basic_rnn_cell/bias:0']
    """

    _default_name = "basic_rnn_cell"

    def __init__(self, num_units, activation=None, reuse=None, name=None):
        super().__init__(num_units, reuse, name)
        self._activation = activation or M.tanh

    def _step(self, x, h):
        out = self._activation(_linear([x, h], self._num_units))
        return out, out


class BasicLSTMCell(RNNCell):
    """LSTM with TF's gate order (i, j, f, o) and ``forget_bias`` added to f.

    >>> import numpy as np, ndgrad.tf as tf
    >>> with tf.Graph().as_default(), tf.Session() as s:
    ...     cell = tf.nn.rnn_cell.BasicLSTMCell(2)
    ...     state = tf.nn.rnn_cell.LSTMStateTuple(c=tf.ones([1, 2]), h=tf.zeros([1, 2]))
    ...     out, new = cell(tf.zeros([1, 3]), state)    # all gates 0: c = sigmoid(0 + 1) * c
    ...     s.run(tf.global_variables_initializer())
    ...     print(s.run(new.c), np.round(s.run(out), 5))
    [[0.7310586 0.7310586]] [[0.31186 0.31186]]
    """

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


class LSTMCell(RNNCell):
    """TF's ``LSTMCell``: gates i, j, f, o from one ``kernel``; optional peepholes
    (``w_f_diag``, ``w_i_diag``, ``w_o_diag``), cell clipping and an output projection
    (``projection/kernel``).

    >>> import ndgrad.tf as tf; tf.reset_default_graph()
    >>> cell = tf.nn.rnn_cell.LSTMCell(4, use_peepholes=True, num_proj=2)
    >>> out, st = tf.nn.dynamic_rnn(cell, tf.ones([1, 3, 5]), dtype=tf.float32)
    >>> out.shape.as_list(), st.c.shape.as_list(), len(tf.trainable_variables())
    ([1, 3, 2], [1, 4], 6)
    """

    _default_name = "lstm_cell"

    def __init__(self, num_units, use_peepholes=False, cell_clip=None, initializer=None,
                 num_proj=None, proj_clip=None, num_unit_shards=None, num_proj_shards=None,
                 forget_bias=1.0, state_is_tuple=True, activation=None, reuse=None,
                 name=None, dtype=None):
        super().__init__(num_units, reuse, name)
        self._use_peepholes = use_peepholes
        self._cell_clip = cell_clip
        self._initializer = initializer
        self._num_proj = num_proj
        self._proj_clip = proj_clip
        self._forget_bias = forget_bias
        self._state_is_tuple = state_is_tuple
        self._activation = activation or M.tanh

    @property
    def output_size(self):
        return self._num_proj or self._num_units

    @property
    def state_size(self):
        m = self._num_proj or self._num_units
        return LSTMStateTuple(self._num_units, m) if self._state_is_tuple \
            else self._num_units + m

    def zero_state(self, batch_size, dtype):
        c = M.zeros([batch_size, self._num_units], dtype=dtype)
        m = M.zeros([batch_size, self.output_size], dtype=dtype)
        return LSTMStateTuple(c, m) if self._state_is_tuple else M.concat([c, m], 1)

    def _step(self, x, state):
        n = self._num_units
        if self._state_is_tuple:
            c_prev, m_prev = state
        else:
            c_prev, m_prev = M.split(state, [n, self.output_size], axis=1)
        gates = _linear([x, m_prev], 4 * n, kernel_initializer=self._initializer)
        i, j, f, o = M.split(gates, 4, axis=1)
        dt = M._dt(x)
        if self._use_peepholes:
            w_f = _variable_scope.get_variable("w_f_diag", [n], dtype=dt, initializer=self._initializer)
            w_i = _variable_scope.get_variable("w_i_diag", [n], dtype=dt, initializer=self._initializer)
            w_o = _variable_scope.get_variable("w_o_diag", [n], dtype=dt, initializer=self._initializer)
            c = (M.sigmoid(f + self._forget_bias + w_f * c_prev) * c_prev +
                 M.sigmoid(i + w_i * c_prev) * self._activation(j))
        else:
            c = (M.sigmoid(f + self._forget_bias) * c_prev +
                 M.sigmoid(i) * self._activation(j))
        if self._cell_clip is not None:
            c = M.clip_by_value(c, -self._cell_clip, self._cell_clip)
        if self._use_peepholes:
            m = M.sigmoid(o + w_o * c) * self._activation(c)
        else:
            m = M.sigmoid(o) * self._activation(c)
        if self._num_proj is not None:
            with _variable_scope.variable_scope("projection"):
                w = _variable_scope.get_variable("kernel", [n, self._num_proj], dtype=dt,
                                   initializer=self._initializer)
            m = M.matmul(m, w)
            if self._proj_clip is not None:
                m = M.clip_by_value(m, -self._proj_clip, self._proj_clip)
        new_state = LSTMStateTuple(c, m) if self._state_is_tuple else M.concat([c, m], 1)
        return m, new_state


class GRUCell(RNNCell):
    """GRU as TF computes it: gates r, u from ``[x, h]``, candidate from ``[x, r * h]``.

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default():
    ...     out, h = tf.nn.rnn_cell.GRUCell(2)(tf.ones([1, 3]), tf.zeros([1, 2]))
    ...     for v in tf.trainable_variables():
    ...         print(v.name, v.shape)
    gru_cell/gates/kernel:0 (5, 4)
    gru_cell/gates/bias:0 (4,)
    gru_cell/candidate/kernel:0 (5, 2)
    gru_cell/candidate/bias:0 (2,)
    """

    _default_name = "gru_cell"

    def __init__(self, num_units, activation=None, reuse=None, kernel_initializer=None,
                 bias_initializer=None, name=None):
        super().__init__(num_units, reuse, name)
        self._activation = activation or M.tanh
        self._kernel_initializer = kernel_initializer
        self._bias_initializer = bias_initializer

    def _step(self, x, h):
        # TF's: both kernels from ``kernel_initializer``; both biases from
        # ``bias_initializer``, by default 1 for the gates and 0 for the candidate
        with _variable_scope.variable_scope("gates"):
            ru = M.sigmoid(_linear(
                [x, h], 2 * self._num_units, kernel_initializer=self._kernel_initializer,
                bias_initializer=(self._bias_initializer or
                                  _init_ops.constant_initializer(1.0))))
        r, u = M.split(ru, 2, axis=1)
        with _variable_scope.variable_scope("candidate"):
            c = self._activation(_linear([x, r * h], self._num_units,
                                         bias_initializer=self._bias_initializer,
                                         kernel_initializer=self._kernel_initializer))
        new_h = u * h + (1 - u) * c
        return new_h, new_h


class MultiRNNCell(RNNCell):
    """Cells stacked: each one's output is the next one's input.

    >>> import ndgrad.tf as tf
    >>> cells = [tf.nn.rnn_cell.BasicLSTMCell(2), tf.nn.rnn_cell.GRUCell(3)]
    >>> stack = tf.nn.rnn_cell.MultiRNNCell(cells)
    >>> stack.state_size, stack.output_size
    ((LSTMStateTuple(c=2, h=2), 3), 3)
    """

    _default_name = "multi_rnn_cell"

    def __init__(self, cells, state_is_tuple=True):
        super().__init__(None)
        if not state_is_tuple:
            raise ValueError("MultiRNNCell(state_is_tuple=False) is deprecated in TF 1 and "
                             "not provided: use state_is_tuple=True")
        self._cells = list(cells)
        if not self._cells:
            raise ValueError("Must specify at least one cell for MultiRNNCell.")

    @property
    def output_size(self):
        return self._cells[-1].output_size

    @property
    def state_size(self):
        return tuple(c.state_size for c in self._cells)

    def zero_state(self, batch_size, dtype):
        return tuple(c.zero_state(batch_size, dtype) for c in self._cells)

    def _step(self, x, state):
        n = len(self._cells)
        if not isinstance(state, (tuple, list)):
            raise ValueError(f"Expected state to be a tuple of length {n}, but received: "
                             f"{state}")
        if len(state) < n:
            # (zip would have skipped the cells past the state's end, silently)
            raise ValueError(f"Expected state to be a tuple of length {n} (one state per "
                             f"cell), but received one of length {len(state)}")
        new = []
        for i, (cell, st) in enumerate(zip(self._cells, state)):
            with _variable_scope.variable_scope(f"cell_{i}"):
                x, s = cell(x, st)
            new.append(s)
        return x, tuple(new)


class _Wrapper(RNNCell):
    """A cell around ``self._cell``: its sizes and zero state are the wrapped cell's."""

    @property
    def output_size(self):
        return self._cell.output_size

    @property
    def state_size(self):
        return self._cell.state_size

    def zero_state(self, batch_size, dtype):
        return self._cell.zero_state(batch_size, dtype)

    @property
    def wrapped_cell(self):
        """The cell this wrapper runs."""
        return self._cell

    @property
    def variables(self):
        return self._cell.variables

    weights = variables


class DropoutWrapper(_Wrapper):
    """Dropout on a cell's inputs, outputs and (except an LSTM's ``c``) state; the keep
    probabilities may be tensors (a placeholder fed 1.0 at test time). Adds no variable
    scope: the wrapped cell's variables keep their names.

    >>> import ndgrad.tf as tf; tf.reset_default_graph()
    >>> keep = tf.placeholder_with_default(1.0, [])
    >>> cell = tf.nn.rnn_cell.DropoutWrapper(tf.nn.rnn_cell.BasicLSTMCell(3),
    ...                                      output_keep_prob=keep)
    >>> _ = tf.nn.dynamic_rnn(cell, tf.ones([2, 4, 3]), dtype=tf.float32)
    >>> tf.trainable_variables()[0].name
    'rnn/basic_lstm_cell/kernel:0'
    """

    def __init__(self, cell, input_keep_prob=1.0, output_keep_prob=1.0,
                 state_keep_prob=1.0, variational_recurrent=False, input_size=None,
                 dtype=None, seed=None, dropout_state_filter_visitor=None):
        super().__init__(None)
        if variational_recurrent:
            raise ValueError("DropoutWrapper(variational_recurrent=True) is not provided "
                             "by ndgrad.tf")
        for nm, p in (("input_keep_prob", input_keep_prob),
                      ("output_keep_prob", output_keep_prob),
                      ("state_keep_prob", state_keep_prob)):
            if isinstance(p, numbers.Real) and not 0 < p <= 1:
                raise ValueError(f"Parameter {nm} must be between 0 and 1: {p}")
        self._cell = cell
        self._in, self._out, self._st = input_keep_prob, output_keep_prob, state_keep_prob
        self._seed = seed


    def _drop(self, x, p):
        from . import nn
        if isinstance(p, numbers.Real) and p == 1:
            return x
        return nn.dropout(x, keep_prob=p, seed=self._seed)

    def __call__(self, inputs, state, scope=None):
        x = self._drop(convert_to_tensor(inputs), self._in)
        out, new_state = self._cell(x, state, scope=scope)
        if not (isinstance(self._st, numbers.Real) and self._st == 1):
            new_state = _map_state(new_state, lambda s, is_c: s if is_c
                                   else self._drop(s, self._st))
        return self._drop(out, self._out), new_state


class ResidualWrapper(_Wrapper):
    """A cell whose output is its input plus the wrapped cell's output (input and
    output sizes must agree); the state is the wrapped cell's.

    >>> import ndgrad.tf as tf; tf.reset_default_graph()
    >>> cell = tf.nn.rnn_cell.ResidualWrapper(tf.nn.rnn_cell.GRUCell(3))
    >>> out, _ = tf.nn.dynamic_rnn(cell, tf.ones([2, 4, 3]), dtype=tf.float32)
    >>> out.shape.as_list()
    [2, 4, 3]
    """

    def __init__(self, cell, residual_fn=None):
        super().__init__(None)
        self._cell = cell
        self._residual_fn = residual_fn


    def __call__(self, inputs, state, scope=None):
        x = convert_to_tensor(inputs)
        out, new_state = self._cell(x, state, scope=scope)
        if self._residual_fn is not None:
            return self._residual_fn(x, out), new_state
        xs, os_ = M._static_shape(x), M._static_shape(out)
        if xs is not None and os_ is not None and xs[-1] is not None and \
                os_[-1] is not None and xs[-1] != os_[-1]:
            raise ValueError(f"ResidualWrapper: the input ({x.shape}) and the cell's "
                             f"output ({out.shape}) must have the same size")
        return x + out, new_state


class DeviceWrapper(_Wrapper):
    """A cell placed on a device: ndgrad has one device per graph, so it runs the
    wrapped cell unchanged.

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default():
    ...     cell = tf.nn.rnn_cell.DeviceWrapper(tf.nn.rnn_cell.GRUCell(3), '/cpu:0')
    ...     out, _ = tf.nn.dynamic_rnn(cell, tf.ones([2, 4, 1]), dtype=tf.float32)
    ...     print(cell.output_size, out.shape, tf.trainable_variables()[0].name)
    3 (2, 4, 3) rnn/gru_cell/gates/kernel:0
    """

    def __init__(self, cell, device):
        super().__init__(None)
        self._cell = cell
        self._device = device


    def __call__(self, inputs, state, scope=None):
        return self._cell(inputs, state, scope=scope)


def _map_state(state, fn, is_c=False):
    """``fn(leaf, is_lstm_c)`` over a (nested) state."""
    if isinstance(state, LSTMStateTuple):
        return LSTMStateTuple(fn(state.c, True), _map_state(state.h, fn))
    if isinstance(state, (list, tuple)):
        return type(state)(_map_state(s, fn) for s in state)
    return fn(state, is_c)


def _zip_state(new, old, fn):
    """``fn(new leaf, old leaf)`` over two states of one structure (a cell's new state
    and its previous one); a state whose structure changed is refused."""
    if _nest.is_nested(new):
        return _nest.map_structure(fn, new, old, check_types=False)
    return fn(new, old)


def _initial_state(cell, initial_state, dtype, batch):
    if initial_state is not None:
        return initial_state
    if dtype is None:
        raise ValueError("If there is no initial_state, you must give a dtype.")
    return cell.zero_state(batch, dtype)


def _nested(x):
    """Whether an RNN's input (or one step's) is a structure of tensors (TF's nested
    inputs: a tuple, named tuple or dict of them, or a list of tensors), not one value
    (a tensor, array or a Python list of numbers, converted as one tensor)."""
    if isinstance(x, (tuple, dict)):
        return True
    return isinstance(x, list) and bool(x) and all(
        isinstance(_fw_unref(v), (Tensor, _registry.Array)) for v in x)


def _as_inputs(x):
    """One step's input (or a whole input) as tensors: each leaf of a structure
    converted, the structure kept; anything else one tensor."""
    if _nested(x):
        return _nest.map_structure(convert_to_tensor, x)
    return convert_to_tensor(x)


def _leaves(x):
    return _nest.flatten(x) if _nested(x) else [x]


def _masked(valid, out, state, old_state):
    """TF's step with sequence lengths: zero output and frozen state where not valid
    (``valid``: a (batch,) bool tensor, each row's step inside its length); outputs and
    states may be nested, and of any rank (the mask is over their batch axis)."""
    def row_mask(t):
        r = len(M._static_shape(t))
        v = M.reshape(valid, [-1] + [1] * (r - 1)) if r > 1 else valid
        return M.logical_and(v, M.ones_like(t, dtype=np.bool_))

    def zero_past(o):
        return M.where(row_mask(o), o, M.zeros_like(o))
    out = _nest.map_structure(zero_past, out) if _nested(out) else zero_past(out)
    return out, _zip_state(state, old_state, lambda n, o: M.where(row_mask(n), n, o))


def _seq_len(sequence_length):
    if sequence_length is None:
        return None
    s = convert_to_tensor(sequence_length)
    shape = M._static_shape(s)   # (a graph tensor's or an eager array's)
    if shape is not None and len(shape) != 1:
        raise ValueError(f"sequence_length must be a vector of length batch_size, but "
                         f"saw shape: {s.shape}")
    return M.cast(s, np.int32)


def _batch_of(x, axis):
    b = M._static_shape(x)[axis]
    return b if b is not None else M.shape(x)[axis]


def static_rnn(cell, inputs, initial_state=None, dtype=None, sequence_length=None,
               scope=None):
    """Run ``cell`` over the list ``inputs`` (each (batch, depth)): ``(outputs list,
    final state)``. With ``sequence_length``, outputs past a sequence's length are zero
    and its state is frozen at its last valid step.

    >>> import ndgrad.tf as tf; tf.reset_default_graph()
    >>> xs = [tf.ones([2, 3]) for _ in range(4)]
    >>> outs, state = tf.nn.static_rnn(tf.nn.rnn_cell.GRUCell(5), xs, dtype=tf.float32,
    ...                                sequence_length=[4, 2])
    >>> len(outs), state.shape.as_list(), tf.trainable_variables()[0].name
    (4, [2, 5], 'rnn/gru_cell/gates/kernel:0')
    """
    inputs = [_as_inputs(x) for x in inputs]
    if not inputs:
        raise ValueError("inputs must not be empty")
    seq = _seq_len(sequence_length)
    with _variable_scope.variable_scope(scope or "rnn"):
        state = _initial_state(cell, initial_state, dtype,
                               _batch_of(_leaves(inputs[0])[0], 0))
        return _unrolled(cell, inputs, state, seq)


def _step(cell, x, state, seq, t):
    """One time step ``t`` (an int or a tensor) of ``cell``, masked by the lengths."""
    out, new_state = cell(x, state)
    if seq is not None:
        out, new_state = _masked(M.greater(seq, t), out, new_state, state)
    return out, new_state


def _unrolled(cell, xs, state, seq):
    outputs = []
    for t, x in enumerate(xs):
        out, state = _step(cell, x, state, seq, t)
        outputs.append(out)
    return outputs, state


def _to_time_major(x):
    r = len(M._static_shape(x))
    return M.transpose(x, [1, 0] + list(range(2, r)))


def dynamic_rnn(cell, inputs, sequence_length=None, initial_state=None, dtype=None,
                parallel_iterations=None, swap_memory=False, time_major=False, scope=None):
    """Run ``cell`` over the time axis of ``inputs`` ((batch, time, ...) unless
    ``time_major``): ``(outputs, final state)``. Unrolled when the time dimension is
    static, else a ``tf.while_loop``; ``sequence_length`` as in ``static_rnn``.

    >>> import ndgrad.tf as tf; tf.reset_default_graph()
    >>> x = tf.placeholder(tf.float32, [None, None, 3])      # batch and time unknown
    >>> out, st = tf.nn.dynamic_rnn(tf.nn.rnn_cell.BasicLSTMCell(4), x, dtype=tf.float32)
    >>> out.shape.as_list(), [v.name for v in tf.trainable_variables()]
    ([None, None, 4], ['rnn/basic_lstm_cell/kernel:0', 'rnn/basic_lstm_cell/bias:0'])
    """
    inputs = _as_inputs(inputs)
    flat = _leaves(inputs)
    if not flat:
        raise ValueError("inputs must not be empty")
    t_axis = 0 if time_major else 1
    for x in flat:
        shape = M._static_shape(x)
        if shape is None or len(shape) < 2:
            raise ValueError(f"inputs must be at least rank 2 (time and batch), got shape "
                             f"{x.shape}")
    x = flat[0]
    steps = next((M._static_shape(f)[t_axis] for f in flat
                  if M._static_shape(f)[t_axis] is not None), None)
    seq = _seq_len(sequence_length)
    with _variable_scope.variable_scope(scope or "rnn"):
        state = _initial_state(cell, initial_state, dtype, _batch_of(x, 1 - t_axis))
        if steps is not None:
            per_leaf = [M.unstack(f, num=steps, axis=t_axis) for f in flat]
            xs = [_nest.pack_sequence_as(inputs, [p[t] for p in per_leaf])
                  if _nested(inputs) else per_leaf[0][t] for t in range(steps)]
            outs, state = _unrolled(cell, xs, state, seq)
            if not _nested(outs[0]):
                return M.stack(outs, axis=t_axis), state
            stacked = [M.stack(list(leaf), axis=t_axis)
                       for leaf in zip(*[_nest.flatten(o) for o in outs])]
            return _nest.pack_sequence_as(outs[0], stacked), state
        if _nested(inputs):
            raise ValueError("dynamic_rnn of nested inputs needs their number of time "
                             "steps known when the graph is built (TF's while loop over "
                             "nested inputs is not provided)")
        return _dynamic_loop(cell, x if time_major else _to_time_major(x), seq, state,
                             time_major)


def _dynamic_loop(cell, x_tm, seq, state, time_major):
    from .control_flow import while_loop
    out_size = cell.output_size
    batch = M._static_shape(x_tm)[1]
    n_steps = M.shape(x_tm)[0]
    dt = M._dt(x_tm)
    acc0 = M.zeros([0, batch if batch is not None else M.shape(x_tm)[1], out_size],
                   dtype=dt)

    def body(t, acc, st):
        out, new_st = _step(cell, M.gather(x_tm, t), st, seq, t)
        return t + 1, M.concat([acc, M.expand_dims(out, 0)], 0), new_st

    shapes = [[], [None, batch, out_size], _zip_state(state, state, lambda a, b: list(
        M._static_shape(a)))]
    _, acc, final = while_loop(lambda t, acc, st: M.less(t, n_steps), body,
                               [M.constant(0, dtype=np.int32), acc0, state],
                               shape_invariants=shapes)
    outputs = acc if time_major else _to_time_major(acc)
    return outputs, final


def reverse_sequence(input, seq_lengths, seq_axis=None, batch_axis=None,  # noqa: A002
                     name=None, seq_dim=None, batch_dim=None):
    """Reverse the first ``seq_lengths[b]`` entries along ``seq_axis`` of each slice
    ``b`` along ``batch_axis``; the rest stay in place.

    >>> import ndgrad.tf as tf; tf.reset_default_graph()
    >>> x = tf.constant([[1, 2, 3, 4], [5, 6, 7, 8]])
    >>> tf.Session().run(tf.reverse_sequence(x, [3, 1], seq_axis=1, batch_axis=0))
    array([[3, 2, 1, 4],
           [5, 6, 7, 8]], dtype=int32)
    """
    seq_axis = seq_axis if seq_axis is not None else seq_dim
    batch_axis = batch_axis if batch_axis is not None else (batch_dim or 0)
    if seq_axis is None:
        raise ValueError("reverse_sequence: seq_axis is required")

    def f():
        x = convert_to_tensor(input)
        ln = convert_to_tensor(seq_lengths)
        return apply(_REVSEQ, (x, ln), {"seq_axis": int(seq_axis),
                                        "batch_axis": int(batch_axis)})
    return build(name, "ReverseSequence", f, graph_args=(input,))


def _revseq_fwd(xp, x, lengths, seq_axis, batch_axis):
    x = np.asarray(x)
    lengths = np.asarray(lengths)
    T = x.shape[seq_axis]
    B = x.shape[batch_axis]
    if lengths.shape != (B,):
        raise ValueError(f"reverse_sequence: seq_lengths has shape {lengths.shape}, "
                         f"expected ({B},) for input of shape {x.shape}")
    if np.any(lengths > T) or np.any(lengths < 0):
        raise ValueError(f"reverse_sequence: seq_lengths {lengths.tolist()} must be in "
                         f"[0, {T}] for input of shape {x.shape}")
    t = np.arange(T)[None, :]
    ln = lengths[:, None]
    idx = np.where(t < ln, ln - 1 - t, t)              # (B, T)
    shape = [1] * x.ndim
    shape[batch_axis], shape[seq_axis] = B, T
    if batch_axis > seq_axis:
        idx = idx.T
    idx = idx.reshape(shape)
    return np.take_along_axis(x, np.broadcast_to(idx, x.shape), axis=seq_axis)


_REVSEQ = defop("tf.reverse_sequence", _revseq_fwd,
                lambda xp, g, ans, x, lengths, seq_axis, batch_axis: (
                    apply(_REVSEQ, (g, lengths), {"seq_axis": seq_axis,
                                                  "batch_axis": batch_axis}), None),
                save="inputs",
                shape_rule=lambda args, params: [(args[0]._shape, args[0]._np_dtype)])


def _reverse_time(x, seq, t_axis):
    if seq is None:
        from .extra_ops import reverse
        return reverse(x, [t_axis])
    return reverse_sequence(x, seq, seq_axis=t_axis, batch_axis=1 - t_axis)


def bidirectional_dynamic_rnn(cell_fw, cell_bw, inputs, sequence_length=None,
                              initial_state_fw=None, initial_state_bw=None, dtype=None,
                              parallel_iterations=None, swap_memory=False,
                              time_major=False, scope=None):
    """A forward and a backward ``dynamic_rnn`` (the backward one over each sequence
    reversed within its length): ``((out_fw, out_bw), (state_fw, state_bw))``, with
    ``out_bw`` back in input order. Variables under ``bidirectional_rnn/fw`` and
    ``.../bw``.

    >>> import ndgrad.tf as tf; tf.reset_default_graph()
    >>> x = tf.zeros([2, 5, 3])
    >>> (fw, bw), _ = tf.nn.bidirectional_dynamic_rnn(
    ...     tf.nn.rnn_cell.GRUCell(4), tf.nn.rnn_cell.GRUCell(2), x, sequence_length=[5, 3],
    ...     dtype=tf.float32)
    >>> fw.shape.as_list(), bw.shape.as_list(), tf.trainable_variables()[0].name
    ([2, 5, 4], [2, 5, 2], 'bidirectional_rnn/fw/gru_cell/gates/kernel:0')
    """
    x = _as_inputs(inputs)
    t_axis = 0 if time_major else 1
    seq = _seq_len(sequence_length)

    def reverse(v):   # (each leaf of nested inputs or outputs)
        if _nested(v):
            return _nest.map_structure(lambda t: _reverse_time(t, seq, t_axis), v)
        return _reverse_time(v, seq, t_axis)
    with _variable_scope.variable_scope(scope or "bidirectional_rnn"):
        with _variable_scope.variable_scope("fw") as fw_scope:
            out_fw, st_fw = dynamic_rnn(cell_fw, x, sequence_length=seq,
                                        initial_state=initial_state_fw, dtype=dtype,
                                        time_major=time_major, scope=fw_scope)
        with _variable_scope.variable_scope("bw") as bw_scope:
            rx = reverse(x)
            rout, st_bw = dynamic_rnn(cell_bw, rx, sequence_length=seq,
                                      initial_state=initial_state_bw, dtype=dtype,
                                      time_major=time_major, scope=bw_scope)
    out_bw = reverse(rout)
    return (out_fw, out_bw), (st_fw, st_bw)


def static_bidirectional_rnn(cell_fw, cell_bw, inputs, initial_state_fw=None,
                             initial_state_bw=None, dtype=None, sequence_length=None,
                             scope=None):
    """``static_rnn`` forwards and over the reversed inputs: ``(outputs, state_fw,
    state_bw)`` with each output the concatenation ``[fw, bw]`` of that time step.

    >>> import ndgrad.tf as tf; tf.reset_default_graph()
    >>> xs = [tf.ones([2, 3]) for _ in range(4)]
    >>> outs, st_fw, st_bw = tf.nn.static_bidirectional_rnn(
    ...     tf.nn.rnn_cell.BasicRNNCell(4), tf.nn.rnn_cell.BasicRNNCell(2), xs,
    ...     dtype=tf.float32)
    >>> len(outs), outs[0].shape.as_list()
    (4, [2, 6])
    """
    inputs = [convert_to_tensor(x) for x in inputs]
    if not inputs:
        raise ValueError("inputs must not be empty")
    seq = _seq_len(sequence_length)
    with _variable_scope.variable_scope(scope or "bidirectional_rnn"):
        with _variable_scope.variable_scope("fw") as fw_scope:
            out_fw, st_fw = static_rnn(cell_fw, inputs, initial_state_fw, dtype, seq,
                                       scope=fw_scope)
        with _variable_scope.variable_scope("bw") as bw_scope:
            if seq is None:
                rin = inputs[::-1]
            else:
                rin = M.unstack(reverse_sequence(M.stack(inputs), seq, 0, 1),
                                num=len(inputs))
            rout, st_bw = static_rnn(cell_bw, rin, initial_state_bw, dtype, seq,
                                     scope=bw_scope)
    if seq is None:
        out_bw = rout[::-1]
    else:
        out_bw = M.unstack(reverse_sequence(M.stack(rout), seq, 0, 1), num=len(inputs))
    outputs = [M.concat([f, b], 1) for f, b in zip(out_fw, out_bw)]
    return outputs, st_fw, st_bw


rnn_cell = types.ModuleType("ndgrad.tf.nn.rnn_cell", "tf.nn.rnn_cell")
for _n in ("BasicRNNCell", "BasicLSTMCell", "LSTMCell", "GRUCell", "MultiRNNCell",
           "LSTMStateTuple", "RNNCell", "DropoutWrapper", "ResidualWrapper",
           "DeviceWrapper"):
    setattr(rnn_cell, _n, globals()[_n])

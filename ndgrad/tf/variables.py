"""Variables, as TF's ``variables`` module: ``tf.Variable`` (graph mode: the output of a
``VariableV2`` op; eager mode: an ndgrad array that ``assign`` replaces), the collections'
``GraphKeys``, and the initializer and report ops over them."""
from __future__ import annotations

import builtins

import threading

import numpy as np

from .._ops import registry as _registry
from ..graph.core import Tensor, get_default_graph
from ..graph.shape import TensorShape, as_shape
from ..graph import errors as _errors
from . import framework as _fw
from .framework import convert_to_tensor, np_dtype
from . import dtypes as _tfd
from . import state_ops as _so

__all__ = []


def _export(f):
    __all__.append(f.__name__)
    return f


class GraphKeys:
    """Standard collection names.

    >>> import ndgrad.tf as tf
    >>> tf.GraphKeys.GLOBAL_VARIABLES, tf.GraphKeys.TRAINABLE_VARIABLES, tf.GraphKeys.UPDATE_OPS
    ('variables', 'trainable_variables', 'update_ops')
    """
    GLOBAL_VARIABLES = "variables"
    VARIABLES = "variables"
    LOCAL_VARIABLES = "local_variables"
    METRIC_VARIABLES = "metric_variables"
    MODEL_VARIABLES = "model_variables"
    TRAINABLE_VARIABLES = "trainable_variables"
    SUMMARIES = "summaries"
    QUEUE_RUNNERS = "queue_runners"
    TABLE_INITIALIZERS = "table_initializer"
    ASSET_FILEPATHS = "asset_filepaths"
    MOVING_AVERAGE_VARIABLES = "moving_average_variables"
    REGULARIZATION_LOSSES = "regularization_losses"
    CONCATENATED_VARIABLES = "concatenated_variables"
    SAVERS = "savers"
    WEIGHTS = "weights"
    BIASES = "biases"
    ACTIVATIONS = "activations"
    UPDATE_OPS = "update_ops"
    LOSSES = "losses"
    GLOBAL_STEP = "global_step"
    TRAIN_OP = "train_op"
    INIT_OP = "init_op"
    LOCAL_INIT_OP = "local_init_op"
    READY_OP = "ready_op"


__all__.append("GraphKeys")


# -- variables --------------------------------------------------------------------------
class Variable(Tensor):
    """A variable: its value lives in each Session; ``initializer`` sets it.

    In graph mode the Variable is the output tensor ``name:0`` of its ``VariableV2`` op,
    so it can be used wherever a tensor can.

    >>> import ndgrad.tf as tf
    >>> v = tf.Variable([1.0, 2.0])
    >>> with tf.Session() as s:
    ...     s.run(v.initializer)
    ...     print(s.run(v.assign_add([10.0, 10.0])), s.run(v * 2.0))
    [11. 12.] [22. 24.]
    """

    def __new__(cls, *args, **kwargs):
        if _fw.executing_eagerly():
            return EagerVariable(*args, **kwargs)
        return object.__new__(cls)

    def __init__(self, initial_value=None, trainable=True, collections=None,
                 validate_shape=True, caching_device=None, name=None, variable_def=None,
                 dtype=None, expected_shape=None, import_scope=None, constraint=None,
                 use_resource=None, synchronization=None, aggregation=None, shape=None):
        if initial_value is None:
            raise ValueError("initial_value must be specified.")
        if constraint is not None:
            raise ValueError("ndgrad.tf's optimizers do not apply variable constraints: "
                             f"constraint={constraint!r} is not supported")
        g = get_default_graph()
        dt = np_dtype(dtype)
        # a variable is created outside any control dependencies (TF's init_scope)
        with g.as_default(), g.control_dependencies(None), \
                g.name_scope(name or "Variable") as scope:
            if callable(initial_value) and not isinstance(initial_value, Tensor):
                with g.name_scope("Initializer"):
                    initial_value = initial_value()
            init = convert_to_tensor(initial_value, dtype=dt, name="initial_value")
            if isinstance(init, Tensor) and dt is not None and init._np_dtype != dt:
                raise ValueError(f"initial value dtype {init._np_dtype.name} != {dt.name}")
            shp = init._shape if validate_shape else None
            if shape is not None:
                shp = as_shape(shape).as_tuple()
            if validate_shape and (shp is None or None in shp):
                raise ValueError(f"initial_value must have a shape specified: {init}")
            op = g.special_op("VariableV2", scope, (), None, [(shp, init._np_dtype)],
                              attrs={"shape": TensorShape(shp), "dtype":
                                     _tfd.of_numpy(init._np_dtype)}, kind="variable")
            Tensor.__init__(self, op, 0, shp, init._np_dtype)
            op.outputs[0] = self
            self._is_ref = True
            vname = op.name

            def read(ctx):
                v = ctx.session._vars.get(op)
                if v is None:
                    raise _errors.FailedPreconditionError(
                        None, op, f"Attempting to use uninitialized value {vname}\n\t "
                        f"[[node {vname}]]")
                return v
            op._fn = read
            op._attrs["variable"] = self
            self._initial_value = init
            self._trainable = builtins.bool(trainable)
            self._validate_shape = validate_shape
            self._initializer_op = _so._assign_op(self, init, "Assign", validate_shape).op
        if collections is None:
            collections = [GraphKeys.GLOBAL_VARIABLES]
        collections = list(collections)
        if trainable and GraphKeys.TRAINABLE_VARIABLES not in collections:
            collections.append(GraphKeys.TRAINABLE_VARIABLES)
        for c in collections:
            g.add_to_collection(c, self)

    # -- TF API ---------------------------------------------------------------------
    @property
    def initializer(self):
        return self._initializer_op

    @property
    def initial_value(self):
        return self._initial_value

    @property
    def trainable(self):
        return self._trainable

    def initialized_value(self):
        return self._initial_value

    def value(self):
        return self

    def read_value(self):
        from .math_ops import identity
        return identity(self, name="read")

    def assign(self, value, use_locking=False, name=None, read_value=True):
        return _so.assign(self, value, name=name)

    def assign_add(self, delta, use_locking=False, name=None, read_value=True):
        return _so.assign_add(self, delta, name=name)

    def assign_sub(self, delta, use_locking=False, name=None, read_value=True):
        return _so.assign_sub(self, delta, name=name)

    def load(self, value, session=None):
        from ..graph.session import _session_for
        s = _session_for(session, self)
        s._write_now(self._op, np.array(value, dtype=self._np_dtype))

    def set_shape(self, shape):
        raise ValueError("Variable shapes cannot be changed with set_shape")

    def __repr__(self):
        return (f"<tf.Variable '{self.name}' shape={TensorShape(self._shape)} "
                f"dtype={self.dtype.name}>")

    __str__ = __repr__

    def to_proto(self, export_scope=None):
        return None


Variable.__module__ = "ndgrad.tf"
VariableV1 = Variable
__all__ += ["Variable", "VariableV1"]


# eager variables' read-modify-write updates (assign_add, assign_sub, an optimizer's step)
# from several threads: one at a time, so that none is lost (reentrant: an optimizer's
# step also counts its global_step)
EAGER_UPDATE = threading.RLock()


class EagerVariable(_registry.Array):
    """A variable in eager mode: an ndgrad Array whose value ``assign`` replaces."""

    __slots__ = ("_name", "_trainable")

    def __init__(self, initial_value=None, trainable=True, collections=None,
                 validate_shape=True, caching_device=None, name=None, variable_def=None,
                 dtype=None, **kw):
        if callable(initial_value):
            initial_value = initial_value()
        a = convert_to_tensor(initial_value, dtype=dtype)
        # the variable's own buffer, as TF's (a NumPy array or tensor it started from may
        # be written afterwards; the variable changes only through assign)
        self._data = _registry.own_copy(a._data)
        self._node = None
        _registry.note_made(self)
        self._name = (name or "Variable") + ":0"
        self._trainable = trainable
        if trainable:
            from .eager import track
            track(self)

    @property
    def name(self):
        return self._name

    @property
    def trainable(self):
        """Whether optimizers update it by default (TF's ``Variable.trainable``)."""
        return self._trainable

    @property
    def _np_dtype(self):   # (what graph code reads of a variable: the same for both kinds)
        return np.dtype(self.dtype)

    def get_shape(self):
        """The static shape, as TF's eager variables give it."""
        from ..graph.shape import as_shape
        return as_shape(self.shape)

    def numpy(self):
        """A NumPy copy of the value (TF's: always allowed; a constant to any tape, even
        for a trainable variable, which records gradients).

        >>> import ndgrad.tf as tf
        >>> tf.enable_eager_execution()
        >>> tf.Variable([1.0, 2.0]).numpy()
        array([1., 2.], dtype=float32)
        >>> tf.disable_eager_execution()
        """
        v = np.array(self.detach())
        return v[()] if v.ndim == 0 else v   # (a 0-d variable: a NumPy scalar, as TF's)

    def assign(self, value, use_locking=False, name=None, read_value=True):
        v = convert_to_tensor(value, dtype=self.dtype)
        if tuple(v.shape) != self.shape:
            raise ValueError(f"Shapes {self.shape} and {tuple(v.shape)} are incompatible")
        _registry.note_write(self)   # (nd.jit: a variable from outside is refused)
        self._data = np.array(v._data, copy=True)
        return self

    def __hash__(self):
        return id(self)

    def assign_add(self, delta, use_locking=False, name=None, read_value=True):
        d = convert_to_tensor(delta, dtype=self.dtype)
        with EAGER_UPDATE:   # (TF's kernel reads and writes the variable as one step)
            return self.assign(self + d)

    def assign_sub(self, delta, use_locking=False, name=None, read_value=True):
        d = convert_to_tensor(delta, dtype=self.dtype)
        with EAGER_UPDATE:
            return self.assign(self - d)

    def read_value(self):
        """The value now, as a tensor of its own (a copy: a later ``assign`` or a write
        into it leaves the other alone). Inside a GradientTape it is the variable read,
        as TF's: the gradient of ``f(v.read_value())`` reaches ``v`` (it was cut).

        >>> import ndgrad.tf as tf
        >>> tf.enable_eager_execution()
        >>> v = tf.Variable([1.0, 2.0])
        >>> with tf.GradientTape() as t:
        ...     y = tf.reduce_sum(v.read_value() ** 2)
        >>> t.gradient(y, v).numpy()
        array([2., 4.], dtype=float32)
        >>> tf.disable_eager_execution()
        """
        from .ops import IDENTITY
        r = _registry.apply(IDENTITY, (self,))
        r._data = self._data.copy()     # (the identity saved nothing: its own buffer)
        return r

    # TF's rules for Python's in-place operators on an eager variable: += -= *= /= raise
    # (``assign_add`` and ``assign`` change a variable; TF's ResourceVariable refuses
    # them), the others bind the name to a new array (TF has no such method, so Python
    # computes ``v = v op x``), and item assignment is refused: the variable's value
    # changes only through assign
    def __iadd__(self, other):
        raise RuntimeError("`variable += value` with `tf.Variable`s is not supported. Use "
                           "`variable.assign_add(value)` to modify the variable, or `out = "
                           "variable + value` if you need to get a new output Tensor.")

    def __isub__(self, other):
        raise RuntimeError("`variable -= value` with `tf.Variable`s is not supported. Use "
                           "`variable.assign_sub(value)` to modify the variable, or `out = "
                           "variable - value` if you need to get a new output Tensor.")

    def __imul__(self, other):
        raise RuntimeError("`var *= value` with `tf.Variable`s is not supported. Use "
                           "`var.assign(var * value)` to modify the variable, or `out = var "
                           "* value` if you need to get a new output Tensor.")

    def __itruediv__(self, other):
        raise RuntimeError("`var /= value` with `tf.Variable`s is not supported. Use "
                           "`var.assign(var / value)` to modify the variable, or `out = var "
                           "/ value` if you need to get a new output Tensor.")

    def __ifloordiv__(self, other):
        return self // other

    def __imod__(self, other):
        return self % other

    def __ipow__(self, other):
        return self ** other

    def __imatmul__(self, other):
        return self @ other

    def __iand__(self, other):
        return self & other

    def __ior__(self, other):
        return self | other

    def __ixor__(self, other):
        return self ^ other

    def __ilshift__(self, other):
        return self << other

    def __irshift__(self, other):
        return self >> other

    def __setitem__(self, key, value):
        raise TypeError("'ResourceVariable' object does not support item assignment")

    value = read_value

    def __repr__(self):
        return (f"<tf.Variable '{self._name}' shape={tuple(self.shape)} "
                f"dtype={self.dtype.name}, numpy={_registry.Array.__repr__(self)}>")


@_export
def global_variables(scope=None):
    """The variables of the default graph's GLOBAL_VARIABLES collection (whose name
    matches ``scope``, if given), in creation order; ``all_variables`` is its old name.

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default():
    ...     a = tf.Variable(1.0, name="a")
    ...     b = tf.Variable(2.0, name="b", trainable=False)
    ...     print([v.name for v in tf.global_variables()], [v.name for v in tf.all_variables()])
    ['a:0', 'b:0'] ['a:0', 'b:0']
    """
    return get_default_graph().get_collection(GraphKeys.GLOBAL_VARIABLES, scope)


all_variables = global_variables


@_export
def trainable_variables(scope=None):
    """The variables created with ``trainable=True`` (the TRAINABLE_VARIABLES collection),
    those an optimizer's ``minimize`` updates by default.

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default():
    ...     a = tf.Variable(1.0, name="a")
    ...     b = tf.Variable(2.0, name="b", trainable=False)
    ...     print([v.name for v in tf.trainable_variables()])
    ['a:0']
    """
    return get_default_graph().get_collection(GraphKeys.TRAINABLE_VARIABLES, scope)


@_export
def local_variables(scope=None):
    """The variables of the LOCAL_VARIABLES collection (not saved, not global).

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default():
    ...     n = tf.Variable(0, name="n", collections=[tf.GraphKeys.LOCAL_VARIABLES])
    ...     print([v.name for v in tf.local_variables()], tf.global_variables())
    ['n:0'] []
    """
    return get_default_graph().get_collection(GraphKeys.LOCAL_VARIABLES, scope)


@_export
def variables_initializer(var_list, name="init"):
    """An op that runs the initializers of ``var_list``.

    >>> import ndgrad.tf as tf
    >>> a = tf.Variable(1.0); b = tf.Variable(2.0)
    >>> with tf.Session() as s:
    ...     s.run(tf.variables_initializer([a]))
    ...     print(s.run(a), s.run(tf.is_variable_initialized(b)))
    1.0 False
    """
    var_list = list(var_list)
    g = get_default_graph()
    with g.control_dependencies([v.initializer for v in var_list]):
        return _so.no_op(name=name)


@_export
def global_variables_initializer():
    """An op that initializes every global variable of the default graph.

    >>> import ndgrad.tf as tf
    >>> v = tf.Variable([1.0, 2.0])
    >>> with tf.Session() as s:
    ...     s.run(tf.global_variables_initializer())
    ...     print(s.run(v))
    [1. 2.]
    """
    return variables_initializer(global_variables(), name="init")


@_export
def local_variables_initializer():
    """An op that initializes every local variable of the default graph (named ``init``,
    made unique: ``init_1`` after ``global_variables_initializer``'s, as in TF).

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default():
    ...     n = tf.Variable(5, collections=[tf.GraphKeys.LOCAL_VARIABLES])
    ...     init = tf.local_variables_initializer()
    ...     with tf.Session() as s:
    ...         s.run(init)
    ...         print(init.name, s.run(n))
    init 5
    """
    return variables_initializer(local_variables(), name="init")


def initialize_all_variables():
    """Seed-era name of ``global_variables_initializer``.

    >>> import ndgrad.tf as tf
    >>> v = tf.Variable([3, 4])
    >>> with tf.Session() as s:
    ...     s.run(tf.initialize_all_variables())
    ...     print(s.run(v))
    [3 4]
    """
    return global_variables_initializer()


def initialize_variables(var_list, name="init"):
    """Old name of ``variables_initializer``.

    >>> import ndgrad.tf as tf
    >>> v = tf.Variable(7.0)
    >>> with tf.Session() as s:
    ...     s.run(tf.initialize_variables([v]))
    ...     print(s.run(v))
    7.0
    """
    return variables_initializer(var_list, name)


__all__ += ["initialize_all_variables", "initialize_variables", "all_variables"]


@_export
def is_variable_initialized(variable):
    """A scalar bool tensor: whether ``variable`` holds a value in the session.

    >>> import ndgrad.tf as tf
    >>> v = tf.Variable(1.0)
    >>> ready = tf.is_variable_initialized(v)
    >>> with tf.Session() as s:
    ...     print(s.run(ready))
    ...     s.run(v.initializer)
    ...     print(s.run(ready))
    False
    True
    """
    g = variable.graph
    vop = variable._op
    op = g.special_op("IsVariableInitialized", "IsVariableInitialized", (),
                      lambda ctx: np.asarray(vop in ctx.session._vars), [((), np.bool_)])
    return op.outputs[0]


@_export
def report_uninitialized_variables(var_list=None, name="report_uninitialized_variables"):
    """A 1-D ``tf.string`` tensor (bytes, as TF's) of the names of the variables not yet
    initialized in the session.

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default():
    ...     a = tf.Variable(1.0, name="a"); b = tf.Variable(2.0, name="b")
    ...     report = tf.report_uninitialized_variables()
    ...     with tf.Session() as s:
    ...         s.run(a.initializer)
    ...         print(s.run(report))
    [b'b']
    """
    vl = list(var_list) if var_list is not None else global_variables()
    g = get_default_graph()

    def fn(ctx):
        names = [v._op.name.encode() for v in vl if v._op not in ctx.session._vars]
        out = np.empty(len(names), dtype=object)   # (np.asarray([]) would be float64)
        out[:] = names
        return out
    op = g.special_op("ReportUninitialized", name, (), fn, [((None,), np.dtype(object))])
    return op.outputs[0]

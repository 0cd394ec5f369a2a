"""Ops that touch session state: placeholders, variables, assignments, random numbers;
initializers, ``variable_scope``/``get_variable`` with TF 1's sharing rules, and
``group``/``no_op``/``control_dependencies``."""
from __future__ import annotations

import builtins
import contextlib
import math
import traceback

import numpy as np

from ..graph.stdns import std as _nd
from .._ops import registry as _registry
from ..graph.core import Tensor, get_default_graph
from ..graph.shape import TensorShape, as_shape
from ..graph import errors as _errors
from . import framework as _fw
from .framework import convert_to_tensor, np_dtype
from . import dtypes as _tfd

__all__ = []


def _export(f):
    __all__.append(f.__name__)
    return f


class GraphKeys:
    """Standard collection names."""
    GLOBAL_VARIABLES = "variables"
    VARIABLES = "variables"
    LOCAL_VARIABLES = "local_variables"
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


def _shape_str(shape):
    if shape is None:
        return ""
    return "[" + ",".join("?" if d is None else str(d) for d in shape) + "]"


# -- placeholders ------------------------------------------------------------------------
@_export
def placeholder(dtype, shape=None, name=None):
    """A tensor whose value must be fed to ``Session.run``."""
    dt = np_dtype(dtype)
    shp = None if shape is None else as_shape(shape).as_tuple()
    if _fw.executing_eagerly():
        raise RuntimeError("tf.placeholder() is not compatible with eager execution.")
    g = get_default_graph()
    op = g.special_op("Placeholder", name or "Placeholder", (), None, [(shp, dt)],
                      attrs={"dtype": _tfd.of_numpy(dt), "shape": TensorShape(shp)},
                      kind="placeholder")
    tname = op.name
    dname = {"float32": "float", "float64": "double"}.get(dt.name, dt.name)
    shape_part = "" if shp is None else f" and shape {_shape_str(shp)}"

    def missing(ctx):
        raise _errors.InvalidArgumentError(
            None, op, f"You must feed a value for placeholder tensor '{tname}' with dtype "
            f"{dname}{shape_part}\n\t [[node {tname}]]")
    op._fn = missing
    return op.outputs[0]


@_export
def placeholder_with_default(input, shape, name=None):  # noqa: A002
    """A tensor that is ``input`` unless fed."""
    t = convert_to_tensor(input)
    shp = as_shape(shape).as_tuple() if shape is not None else t._shape
    g = get_default_graph()
    op = g.special_op("PlaceholderWithDefault", name or "PlaceholderWithDefault", (t,),
                      lambda ctx, v: v, [(shp, t._np_dtype)])
    return op.outputs[0]


# -- variables --------------------------------------------------------------------------
class Variable(Tensor):
    """A variable: its value lives in each Session; ``initializer`` sets it.

    In graph mode the Variable is the output tensor ``name:0`` of its ``VariableV2`` op,
    so it can be used wherever a tensor can.
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
            self._initializer_op = _assign_op(self, init, "Assign", validate_shape).op
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
        return assign(self, value, name=name)

    def assign_add(self, delta, use_locking=False, name=None, read_value=True):
        return assign_add(self, delta, name=name)

    def assign_sub(self, delta, use_locking=False, name=None, read_value=True):
        return assign_sub(self, delta, name=name)

    def load(self, value, session=None):
        from ..graph.session import _session_for
        s = _session_for(session, self)
        s._vars[self._op] = np.array(value, dtype=self._np_dtype)

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
        self._name = (name or "Variable") + ":0"
        self._trainable = trainable
        if trainable:
            from .eager import track
            track(self)

    @property
    def name(self):
        return self._name

    def numpy(self):
        return np.array(self)

    def assign(self, value, use_locking=False, name=None, read_value=True):
        v = convert_to_tensor(value, dtype=self.dtype)
        if tuple(v.shape) != self.shape:
            raise ValueError(f"Shapes {self.shape} and {tuple(v.shape)} are incompatible")
        self._data = np.array(v._data, copy=True)
        return self

    def __hash__(self):
        return id(self)

    def assign_add(self, delta, use_locking=False, name=None, read_value=True):
        return self.assign(self + delta)

    def assign_sub(self, delta, use_locking=False, name=None, read_value=True):
        return self.assign(self - delta)

    def read_value(self):
        return _registry.wrap(self._data)

    value = read_value

    def __repr__(self):
        return (f"<tf.Variable '{self._name}' shape={tuple(self.shape)} "
                f"dtype={self.dtype.name}, numpy={_registry.Array.__repr__(self)}>")


def _assign_op(var, value, name, validate_shape=True, mode="assign"):
    g = var.graph
    op_var = var._op
    vname = op_var.name
    dt = var._np_dtype
    v = convert_to_tensor(value, dtype=dt, name="value") if not isinstance(
        value, Tensor) else value
    if isinstance(v, Tensor) and v._np_dtype != dt:
        raise TypeError(f"Input 'value' of '{'Assign' if mode == 'assign' else 'AssignAdd'}'"
                        f" Op has type {v._np_dtype.name} that does not match type "
                        f"{dt.name}_ref of argument 'ref'.")
    vs = v._shape
    if validate_shape and var._shape is not None and vs is not None and not \
            TensorShape(var._shape).is_compatible_with(vs):
        raise ValueError(f"Shapes {TensorShape(var._shape)} and {TensorShape(vs)} are "
                         "incompatible")
    want = var._shape

    def check(value_arr):
        if validate_shape and want is not None and (
                value_arr.shape if type(value_arr) is np.ndarray else
                np.shape(value_arr)) != want:
            raise _errors.InvalidArgumentError(
                None, op, f"Assign requires shapes of both tensors to match. lhs shape= "
                f"{list(want)} rhs shape= {list(np.shape(value_arr))}")

    def current(ctx):
        cur = ctx.writes.get(op_var)
        if cur is None:
            cur = ctx.session._vars.get(op_var)
        if cur is None:
            raise _errors.FailedPreconditionError(
                None, op, f"Attempting to use uninitialized value {vname}\n\t "
                f"[[node {op.name}]]")
        return cur

    if mode == "assign":
        def fn(ctx, value_arr):  # the variable itself (a ref input) is not read
            check(value_arr)
            new = np.array(value_arr, dtype=dt, copy=True)
            ctx.writes[op_var] = new
            return new
        type_ = "Assign"
    elif mode == "add":
        def fn(ctx, value_arr):
            new = np.asarray(current(ctx) + value_arr, dtype=dt)
            ctx.writes[op_var] = new
            return new
        type_ = "AssignAdd"
    else:
        def fn(ctx, value_arr):
            new = np.asarray(current(ctx) - value_arr, dtype=dt)
            ctx.writes[op_var] = new
            return new
        type_ = "AssignSub"
    shape = var._shape if validate_shape else vs
    op = g.special_op(type_, name, (var, v), fn, [(shape, dt)], attrs={"ref_inputs": 1})
    out = op.outputs[0]
    out._is_ref = True
    return out


def _state_op(ref, value, name, default, mode):
    if isinstance(ref, EagerVariable):
        return {"assign": ref.assign, "add": ref.assign_add, "sub": ref.assign_sub}[mode](
            value)
    if not isinstance(ref, Variable):
        raise TypeError(f"{default} needs a Variable as its first argument; got {ref!r}")
    g = ref.graph
    with g.as_default(), g.name_scope(name or default) as scope:
        out = _assign_op(ref, value, scope, mode=mode)
    return out


@_export
def assign(ref, value, validate_shape=None, use_locking=None, name=None):
    """An op that sets ``ref`` to ``value``; fetched, it gives the new value."""
    return _state_op(ref, value, name, "Assign", "assign")


@_export
def assign_add(ref, value, use_locking=None, name=None):
    """An op that adds ``value`` to ``ref``."""
    return _state_op(ref, value, name, "AssignAdd", "add")


@_export
def assign_sub(ref, value, use_locking=None, name=None):
    """An op that subtracts ``value`` from ``ref``."""
    return _state_op(ref, value, name, "AssignSub", "sub")


# -- grouping -----------------------------------------------------------------------------
def _noop(ctx):
    return ()


@_export
def no_op(name=None):
    g = get_default_graph()
    return g.special_op("NoOp", name or "NoOp", (), _noop, [], kind="noop")


@_export
def group(*inputs, **kwargs):
    """An op that runs all ``inputs`` (ops or tensors) and has no output."""
    name = kwargs.pop("name", None)
    if kwargs:
        raise TypeError(f"Unknown keyword arguments: {list(kwargs)}")
    flat = []
    for i in inputs:
        if isinstance(i, (list, tuple)):
            flat.extend(i)
        else:
            flat.append(i)
    g = get_default_graph()
    if flat:
        e = flat[0]
        e = e._as_graph_element() if hasattr(e, "_as_graph_element") else e
        g = e.graph
    with g.as_default(), g.control_dependencies(flat):
        return no_op(name=name or "group_deps")


@_export
def control_dependencies(control_inputs):
    """Ops created inside run after ``control_inputs``."""
    return get_default_graph().control_dependencies(control_inputs)


@_export
def global_variables(scope=None):
    return get_default_graph().get_collection(GraphKeys.GLOBAL_VARIABLES, scope)


all_variables = global_variables


@_export
def trainable_variables(scope=None):
    return get_default_graph().get_collection(GraphKeys.TRAINABLE_VARIABLES, scope)


@_export
def local_variables(scope=None):
    return get_default_graph().get_collection(GraphKeys.LOCAL_VARIABLES, scope)


@_export
def variables_initializer(var_list, name="init"):
    """An op that runs the initializers of ``var_list``."""
    var_list = list(var_list)
    g = get_default_graph()
    with g.control_dependencies([v.initializer for v in var_list]):
        return no_op(name=name)


@_export
def global_variables_initializer():
    """An op that initializes every global variable of the default graph."""
    return variables_initializer(global_variables(), name="init")


@_export
def local_variables_initializer():
    return variables_initializer(local_variables(), name="init_1")


def initialize_all_variables():
    """Seed-era name of ``global_variables_initializer``."""
    return global_variables_initializer()


def initialize_variables(var_list, name="init"):
    return variables_initializer(var_list, name)


__all__ += ["initialize_all_variables", "initialize_variables", "all_variables"]


@_export
def is_variable_initialized(variable):
    g = variable.graph
    vop = variable._op
    op = g.special_op("IsVariableInitialized", "IsVariableInitialized", (),
                      lambda ctx: np.asarray(vop in ctx.session._vars), [((), np.bool_)])
    return op.outputs[0]


@_export
def report_uninitialized_variables(var_list=None, name="report_uninitialized_variables"):
    """A tensor of the names of the variables not yet initialized in the session."""
    vl = list(var_list) if var_list is not None else global_variables()
    g = get_default_graph()

    def fn(ctx):
        return np.asarray([v._op.name for v in vl if v._op not in ctx.session._vars],
                          dtype=np.str_)
    op = g.special_op("ReportUninitialized", name, (), fn, [((None,), np.dtype("U1"))])
    return op.outputs[0]


# -- random numbers --------------------------------------------------------------------
_DEFAULT_GRAPH_SEED = 87654321
_eager_rng = {"rng": np.random.default_rng()}


@_export
def set_random_seed(seed):
    """The graph-level seed: with it, every new Session replays the same random values."""
    if _fw.executing_eagerly():
        _eager_rng["rng"] = np.random.default_rng(seed)
        return
    get_default_graph().seed = seed


def _seeds(g, op_seed):
    if g.seed is not None:
        return [g.seed, op_seed if op_seed is not None else len(g._ops)]
    if op_seed is not None:
        return [_DEFAULT_GRAPH_SEED, op_seed]
    return None


def _random(type_, draw, shape, dtype, seed, name):
    dt = np_dtype(dtype)
    shape_t = None
    if isinstance(shape, Tensor):
        if shape._op._kind == "const":
            shape = shape._op._attrs["value"].tolist()
        else:
            shape_t = shape
    if shape_t is None:
        shp = tuple(int(s) for s in (shape.as_list() if hasattr(shape, "as_list") else
                                     ([shape] if isinstance(shape, int) else shape)))
    if _fw.executing_eagerly():
        rng = _eager_rng["rng"] if seed is None else np.random.default_rng(seed)
        return _nd.asarray(draw(rng, shp, dt))
    g = get_default_graph()
    seeds = _seeds(g, seed)
    if shape_t is not None:
        n = shape_t._shape[0] if shape_t._shape else None

        def fn_dyn(ctx, s):
            return draw(ctx.session.rng(op, seeds), tuple(int(v) for v in s), dt)
        op = g.special_op(type_, type_, (shape_t,), fn_dyn,
                          [(None if n is None else (None,) * n, dt)], attrs={"seed": seeds})
        return op.outputs[0]

    def fn(ctx):
        return draw(ctx.session.rng(op, seeds), shp, dt)
    op = g.special_op(type_, type_, (), fn, [(shp, dt)], attrs={"seed": seeds})
    return op.outputs[0]


def _normal(rng, shape, dt):
    return rng.standard_normal(shape).astype(dt)


def _truncated(rng, shape, dt):
    out = rng.standard_normal(shape)
    bad = np.abs(out) > 2
    while bad.any():
        out[bad] = rng.standard_normal(int(bad.sum()))
        bad = np.abs(out) > 2
    return out.astype(dt)


def _uniform(rng, shape, dt):
    return rng.random(shape).astype(dt)


def _scaled(name, type_, draw, shape, mean, stddev, dtype, seed):
    from . import math_ops
    dt = np_dtype(dtype)

    def f():
        base = _random(type_, draw, shape, dt, seed, None)
        s = convert_to_tensor(stddev, dtype=dt, name="stddev")
        m = convert_to_tensor(mean, dtype=dt, name="mean")
        return math_ops.add(math_ops.multiply(base, s, name="mul"), m)
    return _fw.build(name, {"RandomStandardNormal": "random_normal",
                            "TruncatedNormal": "truncated_normal"}[type_], f)


@_export
def random_normal(shape, mean=0.0, stddev=1.0, dtype=np.float32, seed=None, name=None):
    """Normal random values (a fresh draw each run; replayed per session with a seed)."""
    return _scaled(name, "RandomStandardNormal", _normal, shape, mean, stddev, dtype, seed)


@_export
def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=np.float32, seed=None, name=None):
    """Normal values redrawn beyond two standard deviations."""
    return _scaled(name, "TruncatedNormal", _truncated, shape, mean, stddev, dtype, seed)


@_export
def random_uniform(shape, minval=0, maxval=None, dtype=np.float32, seed=None, name=None):
    """Uniform random values in ``[minval, maxval)`` (maxval 1 for floats)."""
    from . import math_ops
    dt = np_dtype(dtype)
    if dt.kind in "iu":
        if maxval is None:
            raise ValueError(f"Must specify maxval for integer dtype {dt.name}")
        lo, hi = int(minval), int(maxval)

        def draw(rng, shape, d):
            return rng.integers(lo, hi, size=shape).astype(d)
        return _fw.build(name, "random_uniform",
                         lambda: _random("RandomUniformInt", draw, shape, dt, seed, None))
    if maxval is None:
        maxval = 1.0

    def f():
        base = _random("RandomUniform", _uniform, shape, dt, seed, None)
        lo = convert_to_tensor(minval, dtype=dt, name="min")
        hi = convert_to_tensor(maxval, dtype=dt, name="max")
        return math_ops.add(math_ops.multiply(base, math_ops.subtract(hi, lo, name="sub"),
                                              name="mul"), lo)
    return _fw.build(name, "random_uniform", f)


def _draw_categorical(rng, logits, num_samples, dt):
    logits = np.asarray(logits, np.float64)
    if logits.ndim != 2:
        raise ValueError(f"logits should be a matrix, got shape {logits.shape}")
    if logits.shape[1] == 0 and num_samples > 0:
        raise ValueError("Multinomial: number of classes must be positive, got logits of "
                         f"shape {logits.shape}")
    out = np.empty((logits.shape[0], num_samples), dt)
    for b, row in enumerate(logits):
        m = np.max(row)
        if not np.isfinite(m):
            raise ValueError(f"Multinomial: logits row {b} has no finite maximum: {row}")
        p = np.exp(row - m)
        p /= p.sum()
        out[b] = rng.choice(len(row), size=num_samples, p=p)
    return out


@_export
def multinomial(logits, num_samples, seed=None, name=None, output_dtype=None):
    """``num_samples`` class indices per row of the (batch, classes) ``logits`` (each
    class drawn with probability ``softmax(logits)``): shape (batch, num_samples), int64
    unless ``output_dtype``.

    >>> import ndgrad.tf as tf; tf.reset_default_graph()
    >>> s = tf.multinomial(tf.log([[0.0, 1.0]]), 5, seed=1)
    >>> tf.Session().run(s)
    array([[1, 1, 1, 1, 1]])
    """
    dt = np_dtype(output_dtype) if output_dtype is not None else np.dtype(np.int64)
    n = int(num_samples)
    if _fw.executing_eagerly():
        rng = _eager_rng["rng"] if seed is None else np.random.default_rng(seed)
        return _nd.asarray(_draw_categorical(rng, np.asarray(logits), n, dt))

    def f():
        t = convert_to_tensor(logits)
        if t._shape is not None and len(t._shape) != 2:
            raise ValueError(f"logits should be a matrix, got shape {t.shape}")
        g = get_default_graph()
        seeds = _seeds(g, seed)

        def fn(ctx, v):
            return _draw_categorical(ctx.session.rng(op, seeds), v, n, dt)
        batch = None if t._shape is None else t._shape[0]
        op = g.special_op("Multinomial", "Multinomial", (t,), fn, [((batch, n), dt)],
                          attrs={"seed": seeds})
        return op.outputs[0]
    return _fw.build(name, "multinomial", f, graph_args=(logits,))


def categorical(logits, num_samples, dtype=None, seed=None, name=None):
    """``tf.random.categorical``: ``tf.multinomial`` with ``dtype`` for the result."""
    return _fw.build(name, "categorical", lambda: multinomial(logits, num_samples, seed,
                                                               None, dtype))


@_export
def random_shuffle(value, seed=None, name=None):
    t = convert_to_tensor(value)
    g = get_default_graph()
    seeds = _seeds(g, seed)

    def fn(ctx, v):
        return ctx.session.rng(op, seeds).permutation(v)
    op = g.special_op("RandomShuffle", name or "RandomShuffle", (t,), fn,
                      [(t._shape, t._np_dtype)])
    return op.outputs[0]


# -- initializers ----------------------------------------------------------------------
class Initializer:
    """Base of the initializers: ``init(shape, dtype=None, partition_info=None)``."""

    dtype = np.float32

    def _dt(self, dtype):
        return np_dtype(dtype if dtype is not None else self.dtype)

    def get_config(self):
        return {}


class zeros_initializer(Initializer):
    def __init__(self, dtype=np.float32):
        self.dtype = dtype

    def __call__(self, shape, dtype=None, partition_info=None):
        from . import math_ops
        return math_ops.zeros(shape, self._dt(dtype))


class ones_initializer(Initializer):
    def __init__(self, dtype=np.float32):
        self.dtype = dtype

    def __call__(self, shape, dtype=None, partition_info=None):
        from . import math_ops
        return math_ops.ones(shape, self._dt(dtype))


class constant_initializer(Initializer):
    def __init__(self, value=0, dtype=np.float32, verify_shape=False):
        self.value = value
        self.dtype = dtype
        self.verify_shape = verify_shape

    def __call__(self, shape, dtype=None, partition_info=None, verify_shape=None):
        from . import math_ops
        dt = self._dt(dtype)
        shape = tuple(int(s) for s in shape)
        v = np.asarray(self.value)
        n = int(np.prod(shape))
        if v.size == 1:
            arr = np.full(shape, v.reshape(()), dtype=dt)
        elif v.size == n:
            arr = v.reshape(shape).astype(dt)
        elif v.size < n and not (verify_shape or self.verify_shape):
            flat = np.concatenate([v.reshape(-1), np.full(n - v.size, v.reshape(-1)[-1])])
            arr = flat.reshape(shape).astype(dt)
        else:
            raise ValueError(f"Too many elements provided. Needed at most {n}, but received "
                             f"{v.size}")
        return math_ops.constant(arr, dtype=dt)


class random_normal_initializer(Initializer):
    def __init__(self, mean=0.0, stddev=1.0, seed=None, dtype=np.float32):
        self.mean, self.stddev, self.seed, self.dtype = mean, stddev, seed, dtype

    def __call__(self, shape, dtype=None, partition_info=None):
        return random_normal(shape, self.mean, self.stddev, self._dt(dtype), seed=self.seed)


class truncated_normal_initializer(Initializer):
    def __init__(self, mean=0.0, stddev=1.0, seed=None, dtype=np.float32):
        self.mean, self.stddev, self.seed, self.dtype = mean, stddev, seed, dtype

    def __call__(self, shape, dtype=None, partition_info=None):
        return truncated_normal(shape, self.mean, self.stddev, self._dt(dtype),
                                seed=self.seed)


class random_uniform_initializer(Initializer):
    def __init__(self, minval=0, maxval=None, seed=None, dtype=np.float32):
        self.minval, self.maxval, self.seed, self.dtype = minval, maxval, seed, dtype

    def __call__(self, shape, dtype=None, partition_info=None):
        return random_uniform(shape, self.minval, self.maxval, self._dt(dtype),
                              seed=self.seed)


def _fans(shape):
    shape = tuple(shape)
    if len(shape) < 1:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    if len(shape) == 2:
        return shape[0], shape[1]
    receptive = int(np.prod(shape[:-2]))
    return shape[-2] * receptive, shape[-1] * receptive


class variance_scaling_initializer(Initializer):
    def __init__(self, scale=1.0, mode="fan_in", distribution="truncated_normal", seed=None,
                 dtype=np.float32):
        if distribution == "normal":
            distribution = "truncated_normal"
        self.scale, self.mode, self.distribution = scale, mode, distribution
        self.seed, self.dtype = seed, dtype

    def __call__(self, shape, dtype=None, partition_info=None):
        fan_in, fan_out = _fans(shape)
        n = {"fan_in": fan_in, "fan_out": fan_out,
             "fan_avg": (fan_in + fan_out) / 2.0}[self.mode]
        scale = self.scale / max(1.0, n)
        dt = self._dt(dtype)
        if self.distribution == "truncated_normal":
            stddev = math.sqrt(scale) / .87962566103423978
            return truncated_normal(shape, 0.0, stddev, dt, seed=self.seed)
        if self.distribution == "untruncated_normal":
            return random_normal(shape, 0.0, math.sqrt(scale), dt, seed=self.seed)
        limit = math.sqrt(3.0 * scale)
        return random_uniform(shape, -limit, limit, dt, seed=self.seed)


class glorot_uniform_initializer(variance_scaling_initializer):
    def __init__(self, seed=None, dtype=np.float32):
        super().__init__(1.0, "fan_avg", "uniform", seed, dtype)


class glorot_normal_initializer(variance_scaling_initializer):
    def __init__(self, seed=None, dtype=np.float32):
        super().__init__(1.0, "fan_avg", "truncated_normal", seed, dtype)


for _c in (zeros_initializer, ones_initializer, constant_initializer,
           random_normal_initializer, truncated_normal_initializer,
           random_uniform_initializer, variance_scaling_initializer,
           glorot_uniform_initializer, glorot_normal_initializer):
    __all__.append(_c.__name__)


# -- variable scopes -----------------------------------------------------------------------
class _ReuseMode:
    def __repr__(self):
        return "_ReuseMode.AUTO_REUSE"


AUTO_REUSE = _ReuseMode()
__all__.append("AUTO_REUSE")


class VariableScope:
    """The current variable scope: its ``name`` prefix, ``reuse`` flag, initializer."""

    def __init__(self, reuse, name="", initializer=None, dtype=np.float32,
                 name_scope=""):
        self._reuse = reuse
        self._name = name
        self.initializer = initializer
        self.dtype = dtype
        self._name_scope = name_scope

    @property
    def name(self):
        return self._name

    @property
    def original_name_scope(self):
        return self._name_scope

    @property
    def reuse(self):
        return self._reuse

    def reuse_variables(self):
        """From now on ``get_variable`` in this scope returns existing variables."""
        self._reuse = True

    def set_initializer(self, initializer):
        self.initializer = initializer

    def set_dtype(self, dtype):
        self.dtype = dtype

    def get_variable(self, var_store, name, shape=None, dtype=None, initializer=None,
                     **kw):
        return get_variable(name, shape, dtype, initializer, **kw)

    def __repr__(self):
        return f"<VariableScope name={self._name!r} reuse={self._reuse!r}>"


__all__.append("VariableScope")


def _vs_state(g=None):
    g = g or get_default_graph()
    st = g.state.get("variable_scope")
    if st is None:
        st = g.state["variable_scope"] = {"current": VariableScope(False), "vars": {},
                                          "counts": {}}
    return st


@_export
def get_variable_scope():
    """The current ``VariableScope``."""
    return _vs_state()["current"]


def _unique_var_scope(st, prefix):
    cur = st["current"].name
    name = cur + "/" + prefix if cur else prefix
    if st["counts"].get(name, 0) == 0:
        return prefix
    idx = 1
    while st["counts"].get(f"{name}_{idx}", 0) > 0:
        idx += 1
    return f"{prefix}_{idx}"


@_export
@contextlib.contextmanager
def variable_scope(name_or_scope, default_name=None, values=None, initializer=None,
                   regularizer=None, caching_device=None, partitioner=None,
                   custom_getter=None, reuse=None, dtype=None, use_resource=None,
                   constraint=None, auxiliary_name_scope=True):
    """Prefix ``get_variable`` names with a scope and control their reuse."""
    if name_or_scope is None and default_name is None:
        raise TypeError("If default_name is None then name_or_scope is required")
    if reuse is False:
        reuse = None
    if not (reuse is None or reuse is True or reuse is AUTO_REUSE):
        raise ValueError(f"The reuse parameter must be True or False or None, not {reuse!r}")
    g = get_default_graph()
    st = _vs_state(g)
    old = st["current"]
    if isinstance(name_or_scope, VariableScope):
        new_name = name_or_scope.name
        # TF opens a fresh name scope named after the scope's last part (``vs_1`` on
        # re-entering ``vs``); its variables still go to ``vs/``
        ns = new_name.split("/")[-1] if new_name else ""
        new_reuse = reuse if reuse is not None else name_or_scope.reuse
        init = initializer if initializer is not None else name_or_scope.initializer
        dt = dtype if dtype is not None else name_or_scope.dtype
    else:
        if name_or_scope is not None:
            if not isinstance(name_or_scope, str):
                raise TypeError(f"VariableScope: name_or_scope must be a string or "
                                f"VariableScope, not {name_or_scope!r}")
            name = name_or_scope
        else:
            name = _unique_var_scope(st, default_name)
        new_name = old.name + "/" + name if old.name else name
        ns = name
        new_reuse = reuse or old.reuse
        init = initializer if initializer is not None else old.initializer
        dt = dtype if dtype is not None else old.dtype
    st["counts"][new_name] = st["counts"].get(new_name, 0) + 1
    with g.as_default():
        cm = g.name_scope(ns) if auxiliary_name_scope else contextlib.nullcontext(
            g.get_name_scope() + "/" if g.get_name_scope() else "")
        with cm as scope_name:
            new = VariableScope(new_reuse, new_name, init, dt, name_scope=scope_name)
            st["current"] = new
            try:
                yield new
            finally:
                st["current"] = old


@_export
def get_variable(name, shape=None, dtype=None, initializer=None, regularizer=None,
                 trainable=None, collections=None, caching_device=None, partitioner=None,
                 validate_shape=True, use_resource=None, custom_getter=None,
                 constraint=None, synchronization=None, aggregation=None):
    """The variable ``scope/name``: created if new, shared when the scope reuses.

    A ValueError when it exists and the scope does not reuse, when it is missing and the
    scope reuses (True), or when the shape or dtype differ from the existing one's.
    """
    g = get_default_graph()
    st = _vs_state(g)
    scope = st["current"]
    full = scope.name + "/" + name if scope.name else name
    reuse = scope.reuse
    store = st["vars"]
    want_shape = None if shape is None else as_shape(shape)
    if full in store:
        if reuse is not True and reuse is not AUTO_REUSE:
            raise ValueError(f"Variable {full} already exists, disallowed. Did you mean to "
                             "set reuse=True or reuse=tf.AUTO_REUSE in VarScope? Originally "
                             f"defined at:\n\n{st.get('origins', {}).get(full, '')}")
        found = store[full]
        if want_shape is not None and not want_shape.is_compatible_with(found.get_shape()):
            raise ValueError(f"Trying to share variable {full}, but specified shape "
                             f"{want_shape} and found shape {found.get_shape()}.")
        if dtype is not None and np_dtype(dtype) != found._np_dtype:
            raise ValueError(f"Trying to share variable {full}, but specified dtype "
                             f"{_tfd.as_dtype(dtype).name} and found dtype "
                             f"{found.dtype.base_dtype.name}.")
        return found
    if reuse is True:
        raise ValueError(f"Variable {full} does not exist, or was not created with "
                         "tf.get_variable(). Did you mean to set reuse=tf.AUTO_REUSE in "
                         "VarScope?")
    if initializer is not None and not callable(initializer):
        init_dt = (initializer._np_dtype if isinstance(initializer, Tensor) else
                   _fw.to_numpy_value(initializer).dtype)
        if dtype is not None and np_dtype(dtype) != init_dt:
            raise ValueError(f"Initializer type '{_tfd.of_numpy(init_dt)!r}' and explicit "
                             f"dtype '{_tfd.as_dtype(dtype)!r}' don't match.")
        dtype = init_dt
    dt = np_dtype(dtype if dtype is not None else scope.dtype)
    if initializer is None:
        initializer = scope.initializer
    if initializer is None:
        initializer = glorot_uniform_initializer() if dt.kind in "fc" else \
            zeros_initializer()
    if isinstance(initializer, type) and issubclass(initializer, Initializer):
        initializer = initializer()
    if callable(initializer) and not isinstance(initializer, Tensor):
        if want_shape is None or not want_shape.is_fully_defined():
            raise ValueError(f"Shape of a new variable ({full}) must be fully defined, but "
                             f"instead was {want_shape if want_shape is not None else '<unknown>'}.")
        shp = want_shape.as_list()

        def init_val():
            return initializer(shp, dtype=dt, partition_info=None)
    else:
        if want_shape is not None and isinstance(initializer, Tensor):
            raise ValueError("If initializer is a constant, do not specify shape.")
        if want_shape is not None:
            arr = _fw.to_numpy_value(initializer, dt)
            if not want_shape.is_compatible_with(arr.shape):
                raise ValueError(f"Trying to create variable {full} of shape {want_shape} "
                                 f"from an initial value of shape {arr.shape}")
            initializer = arr
        init_val = initializer
    if trainable is None:
        trainable = True
    with g.name_scope(None):
        v = Variable(init_val, trainable=trainable, collections=collections, name=full,
                     dtype=dt, validate_shape=validate_shape)
    st.setdefault("origins", {})[full] = "".join(traceback.format_stack(limit=4)[:-1])
    store[full] = v
    if regularizer is not None:
        # TF: the penalty, built in "<var>/Regularizer", joins REGULARIZATION_LOSSES
        with g.name_scope(None), g.name_scope(full + "/Regularizer/"):
            penalty = regularizer(v)
        if penalty is not None:
            g.add_to_collection(GraphKeys.REGULARIZATION_LOSSES, penalty)
    return v


@_export
def no_regularizer(_):
    return None

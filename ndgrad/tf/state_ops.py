"""Ops that touch a variable's value in a session, as TF's ``state_ops``: placeholders,
``assign``/``assign_add``/``assign_sub``, and ``group``/``no_op``/``control_dependencies``."""
from __future__ import annotations


import numpy as np

from ..graph.core import Tensor, get_default_graph
from ..graph.shape import TensorShape, as_shape
from ..graph import errors as _errors
from . import framework as _fw
from .framework import convert_to_tensor, np_dtype
from . import dtypes as _tfd
from . import variables as _variables

__all__ = []


def _export(f):
    __all__.append(f.__name__)
    return f


def _shape_str(shape):
    if shape is None:
        return ""
    return "[" + ",".join("?" if d is None else str(d) for d in shape) + "]"


# -- placeholders ------------------------------------------------------------------------
@_export
def placeholder(dtype, shape=None, name=None):
    """A tensor whose value must be fed to ``Session.run``.

    >>> import ndgrad.tf as tf
    >>> x = tf.placeholder(tf.float32, shape=[None, 2])
    >>> x.shape.as_list()
    [None, 2]
    >>> with tf.Session() as s:
    ...     print(s.run(x * 2.0, {x: [[1.0, 2.0], [3.0, 4.0]]}))
    [[2. 4.]
     [6. 8.]]
    """
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
    """A tensor that is ``input`` unless fed; ``shape`` is its static shape (None: any
    shape may be fed). Its gradient passes to ``input``, as TF's (identity).

    >>> import ndgrad.tf as tf
    >>> x = tf.constant([1.0, 2.0])
    >>> y = tf.placeholder_with_default(x, None)
    >>> with tf.Session() as s:
    ...     print(s.run(tf.gradients(3 * y, x)), s.run(y, {y: [5.0, 6.0, 7.0]}))
    [array([3., 3.], dtype=float32)] [5. 6. 7.]
    """
    t = convert_to_tensor(input)
    shp = as_shape(shape).as_tuple() if shape is not None else None
    if shp is not None and t._shape is not None and \
            not TensorShape(shp).is_compatible_with(t._shape):
        raise ValueError(f"placeholder_with_default: the default value's shape "
                         f"{TensorShape(t._shape)} is not compatible with shape "
                         f"{TensorShape(shp)}")
    g = get_default_graph()
    op = g.special_op("PlaceholderWithDefault", name or "PlaceholderWithDefault", (t,),
                      lambda ctx, v: v, [(shp, t._np_dtype)],
                      attrs={"grad": lambda gouts: [gouts[0]]})
    return op.outputs[0]


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
        # (a NumPy scalar's .shape is (): np.shape's dispatch costs about 0.6 us a call,
        # twice a step in Adam's beta-power updates)
        if validate_shape and want is not None and (
                value_arr.shape if type(value_arr) is np.ndarray or
                isinstance(value_arr, np.generic) else np.shape(value_arr)) != want:
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

    ops = (op_var,)
    if mode == "assign":
        def fn(ctx, value_arr):  # the variable itself (a ref input) is not read
            check(value_arr)
            new = np.array(value_arr, dtype=dt, copy=True)
            # (staged as an update that reads no value: RunContext.staged_update inlined,
            # Adam's beta powers are assigned at every step)
            ctx.writes[op_var] = new
            u = ctx.updates
            if u is None:
                u = ctx.updates = []
            u.append((ops, (), (new,), None, ()))
            return new
        type_ = "Assign"
    else:
        # (staged updates: a commit after another run's recomputes them on the committed
        # value, so concurrent runs' increments all land)
        if mode == "add":
            def fn(ctx, value_arr):
                return ctx.update(ops, (current(ctx),), _plus, value_arr, dt)[0]
            type_ = "AssignAdd"
        else:
            def fn(ctx, value_arr):
                return ctx.update(ops, (current(ctx),), _minus, value_arr, dt)[0]
            type_ = "AssignSub"
    shape = var._shape if validate_shape else vs
    op = g.special_op(type_, name, (var, v), fn, [(shape, dt)], attrs={"ref_inputs": 1, "ref_output": True})
    out = op.outputs[0]
    out._is_ref = True
    return out


def _plus(cur, value, dt):
    """AssignAdd's new value (a staged update's redo: ``RunContext.update``)."""
    return (np.asarray(cur + value, dtype=dt),)


def _minus(cur, value, dt):
    """AssignSub's new value."""
    return (np.asarray(cur - value, dtype=dt),)


def _state_op(ref, value, name, default, mode):
    if isinstance(ref, _variables.EagerVariable):
        return {"assign": ref.assign, "add": ref.assign_add, "sub": ref.assign_sub}[mode](
            value)
    if not isinstance(ref, _variables.Variable):
        raise TypeError(f"{default} needs a Variable as its first argument; got {ref!r}")
    g = ref.graph
    with g.as_default(), g.name_scope(name or default) as scope:
        out = _assign_op(ref, value, scope, mode=mode)
    return out


@_export
def assign(ref, value, validate_shape=None, use_locking=None, name=None):
    """An op that sets ``ref`` to ``value``; fetched, it gives the new value.

    >>> import ndgrad.tf as tf
    >>> v = tf.Variable([1.0, 2.0])
    >>> a = tf.assign(v, [5.0, 6.0])
    >>> with tf.Session() as s:
    ...     s.run(v.initializer)
    ...     print(s.run(a), s.run(v))
    [5. 6.] [5. 6.]
    """
    return _state_op(ref, value, name, "Assign", "assign")


@_export
def assign_add(ref, value, use_locking=None, name=None):
    """An op that adds ``value`` to ``ref``; fetched, it gives the new value.

    >>> import ndgrad.tf as tf
    >>> v = tf.Variable(1.0)
    >>> inc = tf.assign_add(v, 2.0)
    >>> with tf.Session() as s:
    ...     s.run(v.initializer)
    ...     print(s.run(inc), s.run(inc))
    3.0 5.0
    """
    return _state_op(ref, value, name, "AssignAdd", "add")


@_export
def assign_sub(ref, value, use_locking=None, name=None):
    """An op that subtracts ``value`` from ``ref``; fetched, it gives the new value.

    >>> import ndgrad.tf as tf
    >>> v = tf.Variable([10, 20])
    >>> dec = tf.assign_sub(v, [1, 2])
    >>> with tf.Session() as s:
    ...     s.run(v.initializer)
    ...     print(s.run(dec), s.run(dec))
    [ 9 18] [ 8 16]
    """
    return _state_op(ref, value, name, "AssignSub", "sub")


# -- grouping -----------------------------------------------------------------------------
def _noop(ctx):
    return ()


@_export
def no_op(name=None):
    """An op that does nothing; run, it gives None (a target for control dependencies).

    >>> import ndgrad.tf as tf
    >>> nothing = tf.no_op()
    >>> with tf.Session() as s:
    ...     print(nothing.type, s.run(nothing))
    NoOp None
    """
    g = get_default_graph()
    return g.special_op("NoOp", name or "NoOp", (), _noop, [], kind="noop")


@_export
def group(*inputs, **kwargs):
    """An op that runs all ``inputs`` (ops or tensors) and has no output.

    >>> import ndgrad.tf as tf
    >>> a = tf.Variable(1.0); b = tf.Variable(2.0)
    >>> both = tf.group(tf.assign_add(a, 1.0), tf.assign_sub(b, 1.0))
    >>> with tf.Session() as s:
    ...     s.run(tf.variables_initializer([a, b]))
    ...     print(s.run(both), s.run(a), s.run(b))
    None 2.0 1.0
    """
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
    """Ops created inside run after ``control_inputs``. In eager mode everything runs in
    order already: a no-op context (TF's), whatever the inputs (an eager check's None).

    >>> import ndgrad.tf as tf
    >>> v = tf.Variable(0.0)
    >>> with tf.control_dependencies([tf.assign_add(v, 1.0)]):
    ...     step = tf.no_op()
    >>> with tf.Session() as s:
    ...     s.run(v.initializer)
    ...     s.run(step); s.run(step)
    ...     print(s.run(v))
    2.0
    """
    from .framework import executing_eagerly
    if executing_eagerly():
        import contextlib
        return contextlib.nullcontext()
    return get_default_graph().control_dependencies(control_inputs)

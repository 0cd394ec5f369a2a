"""The TF 1 dictionary of array functions: TF's names, argument conventions
(``reduction_indices``, ``keep_dims``, ``transpose_a``) and float32 defaults, each
applying registry ops (ndgrad's own, or the TF-specific ones of ``ops.py``)."""
from __future__ import annotations

import builtins
import numbers

import numpy as np

from ..graph.stdns import std as _nd
from .._ops import registry as _registry
from .._ops.registry import REGISTRY, apply, defop as _defop
from ..graph.core import Tensor
from ..graph import dynamic as _dyn
from ..graph import core as _core
from ..graph import errors as _fw_errors
from ..graph.shape import as_shape as _as_shape
from . import dtypes as _tfd
from . import op_dtypes as _op_dtypes
from . import framework as _fw
from . import ops as _tops
from .framework import build, convert_same, convert_to_tensor, np_dtype

__all__ = []


def _export(f):
    __all__.append(f.__name__)
    return f


def _reg(name):
    return REGISTRY[name]


def _x(v, dtype=None, name=None):
    return convert_to_tensor(v, dtype=dtype, name=name)


def _static_shape(t):
    """A tensor's static shape (tuple of int/None, None for unknown rank); an eager
    array's shape."""
    if isinstance(t, Tensor):
        return t._shape
    return tuple(t.shape)


def _dt(t):
    return t._np_dtype if isinstance(t, Tensor) else np.dtype(t.dtype)


# -- creation ----------------------------------------------------------------------------
def _shape_arg(shape):
    if isinstance(shape, Tensor):
        raise TypeError("a shape given as a symbolic tensor is not supported; pass a tuple")
    if isinstance(shape, (int, np.integer)):
        return (int(shape),)
    if hasattr(shape, "as_list"):
        shape = shape.as_list()
    return tuple(int(s) for s in shape)


def _const(value, name):
    if _fw.executing_eagerly():
        return _nd.asarray(value)
    return _fw.get_default_graph().constant(value, name=name)


def _is_dynamic(shape):
    """A shape given as a tensor, or as a list holding tensors (known at run time)."""
    if isinstance(_fw._unref(shape), Tensor):
        return True
    return isinstance(shape, (list, tuple)) and any(
        isinstance(_fw._unref(s), Tensor) for s in shape)


def _shape_tensor(shape):
    """(an int32 shape tensor, its static shape) for a dynamic shape: the static shape
    as far as the graph determines it (``tensor_util.constant_value_as_shape``, TF's
    partial evaluation: ``tf.shape`` of a partly known tensor, its slices, stacks and
    concatenations, constants)."""
    from .tensor_util import constant_value_as_dim, constant_value_as_shape
    shape = _fw._unref(shape)
    if isinstance(shape, Tensor):
        if shape._shape is not None and len(shape._shape) != 1:
            raise ValueError(f"Shape must be rank 1 but is rank {len(shape._shape)} for "
                             f"the shape argument '{shape.name}'")
        return shape, constant_value_as_shape(shape).as_tuple()
    parts, static = [], []
    for s in shape:
        s = _fw._unref(s)
        if isinstance(s, Tensor):
            parts.append(cast(reshape(s, (1,)), np.int32) if _dt(s) != np.int32
                         else reshape(s, (1,)))
            static.append(constant_value_as_dim(s) if not s._shape else
                          constant_value_as_shape(parts[-1]).as_tuple()[0])
        else:
            parts.append(constant([int(s)], dtype=np.int32))
            static.append(None if int(s) == -1 else int(s))
    return concat(parts, 0), tuple(static)


def _filled(shape, value, dtype, name):
    if not _is_dynamic(shape):
        return _const(np.full(_shape_arg(shape), value, dtype=dtype), name)

    def f():
        s, static = _shape_tensor(shape)
        return apply(_FILL_DYN, (s,), {"value": value, "dtype": np.dtype(dtype),
                                       "static": static})
    return build(None, name, f)


@_export
def zeros(shape, dtype=np.float32, name=None):
    """A tensor of zeros (float32 by default); ``shape`` may hold tensors.

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.zeros([2, 2]))
    array([[0., 0.],
           [0., 0.]], dtype=float32)
    """
    return _filled(shape, 0, np_dtype(dtype), name or "zeros")


@_export
def ones(shape, dtype=np.float32, name=None):
    """A tensor of ones (float32 by default); ``shape`` may hold tensors.

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.ones((1, 2)))
    array([[1., 1.]], dtype=float32)
    """
    return _filled(shape, 1, np_dtype(dtype), name or "ones")


@_export
def fill(dims, value, name=None):
    """A tensor of shape ``dims`` filled with ``value`` (its dtype by TF's rules). In eager
    mode the result of an eager tensor ``value`` is differentiable in it (TF's).

    >>> import ndgrad.tf as tf
    >>> tf.enable_eager_execution()
    >>> w = tf.Variable(2.0)
    >>> with tf.GradientTape() as tape:
    ...     y = tf.reduce_sum(tf.fill([3], w * w))
    >>> float(tape.gradient(y, w))
    12.0
    >>> tf.disable_eager_execution()
    """
    if _fw.executing_eagerly() and isinstance(value, _registry.Array) and \
            not _is_dynamic(dims):
        return _nd.full(_shape_arg(dims), value, dtype=value.dtype)
    if isinstance(_fw._unref(value), Tensor):
        # a graph tensor's value: known when the graph runs, broadcast to ``dims`` (its
        # gradient sums over them, TF's Fill gradient)
        def f():
            t = _x(value)
            if _static_shape(t) is not None and _static_shape(t) != ():
                raise ValueError(f"Shape must be rank 0 but is rank {len(_static_shape(t))} "
                                 "for 'Fill' (value)")
            if _is_dynamic(dims):
                # (dims known when the graph runs, ``tf.fill(tf.shape(x), v)``: the value
                # broadcast to the shape of a tensor of those dims)
                s, static = _shape_tensor(dims)
                like = apply(_FILL_DYN, (s,), {"value": 0, "dtype": np.dtype(np.int8),
                                               "static": static})
                return _dyn.broadcast_like(_nd, t, like)
            return _nd.broadcast_to(t, _shape_arg(dims))
        return build(name, "Fill", f, graph_args=(value,))
    v = _fw.to_numpy_value(value)
    return _filled(dims, v, v.dtype, name or "Fill")


@_export
def broadcast_to(input, shape, name=None):  # noqa: A002
    """``input`` broadcast to ``shape`` (NumPy's rules, TF 1.13's ``tf.broadcast_to``);
    its gradient sums over the broadcast axes. ``shape`` is static here.

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.broadcast_to([1, 2], [2, 2]))
    array([[1, 2],
           [1, 2]], dtype=int32)
    """
    def f():
        return _nd.broadcast_to(_x(input), _shape_arg(shape))
    return build(name, "BroadcastTo", f, graph_args=(input,))


_FILL_DYN = _defop("tf.fill", lambda xp, s, value, dtype, static: np.full(
    tuple(int(d) for d in np.asarray(s)), value, dtype=dtype), None,
    shape_rule=lambda args, params: [(params["static"], np.dtype(params["dtype"]))],
    nondiff="a constant of a runtime shape", save="none")


@_export
def constant(value, dtype=None, shape=None, name="Const", verify_shape=False):
    """A constant tensor; Python floats become float32, ints int32. In eager mode an eager
    tensor of the same dtype and shape is returned as it is (TF's), so a gradient through
    it is kept; reshaped or filled, its values are taken (TF's eager reshape and fill
    record nothing either).

    >>> import ndgrad.tf as tf
    >>> tf.enable_eager_execution()
    >>> w = tf.Variable([1.0, 2.0]); t = w * 2.0
    >>> tf.constant(t) is t, tf.constant(t, shape=(2, 1)).requires_grad
    (True, False)
    >>> tf.disable_eager_execution()
    """
    if _fw.executing_eagerly() and isinstance(value, _registry.Array):
        dt = np_dtype(dtype)
        if dt is not None and dt != value.dtype:
            raise TypeError(f"Expected tensor with type {_tfd.of_numpy(dt)!r} not "
                            f"{_tfd.of_numpy(value.dtype)!r}")
        if shape is None or _shape_arg(shape) == tuple(value.shape):
            return value
        value = _fw.eager_values(value)
    arr = _fw.to_numpy_value(value, np_dtype(dtype))
    if _fw.executing_eagerly() and isinstance(value, np.ndarray) and \
            np.may_share_memory(arr, value):
        arr = arr.copy()     # (the constant holds its values: see framework.eager_tensor)
    if shape is not None:
        shape = _shape_arg(shape)
        if arr.size == 1:
            arr = np.full(shape, arr.reshape(()), dtype=arr.dtype)
        elif arr.size == int(np.prod(shape)) and not verify_shape:
            arr = arr.reshape(shape)
        elif arr.shape != shape:
            raise TypeError(f"Expected Tensor's shape: {shape}, got {arr.shape}.") if \
                verify_shape else ValueError(f"Too many elements provided. Needed at most "
                                             f"{int(np.prod(shape))}, but received "
                                             f"{arr.size}")
    return _const(arr, name)


@_export
def zeros_like(tensor, dtype=None, name=None, optimize=True):
    """Zeros with the (runtime) shape of ``tensor``.

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.zeros_like([[1, 2], [3, 4]]))
    array([[0, 0],
           [0, 0]], dtype=int32)
    """
    if _fw.executing_eagerly():
        return _nd.zeros_like(_x(tensor), dtype=np_dtype(dtype))
    # (a value converted inside the op's scope, as TF names it: 'zeros_like/tensor')
    return build(name, "zeros_like", lambda: _dyn.zeros_like(_x(tensor, name="tensor"), np_dtype(dtype)))


@_export
def ones_like(tensor, dtype=None, name=None, optimize=True):
    """Ones with the (runtime) shape of ``tensor``.

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.ones_like([1.5, 2.5]))
    array([1., 1.], dtype=float32)
    """
    if _fw.executing_eagerly():
        return _nd.ones_like(_x(tensor), dtype=np_dtype(dtype))
    # (a value converted inside the op's scope, as TF names it: 'ones_like/tensor')
    return build(name, "ones_like", lambda: _dyn.ones_like(_x(tensor, name="tensor"), np_dtype(dtype)))


@_export
def range(start, limit=None, delta=1, dtype=None, name="range"):  # noqa: A001
    """Numbers from ``start`` to ``limit`` (exclusive) by ``delta``; int32 for ints.

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.range(1, 10, 3))
    array([1, 4, 7], dtype=int32)
    >>> tf.Session().run(tf.range(0.0, 1.0, 0.3))
    array([0.        , 0.3       , 0.6       , 0.90000004], dtype=float32)
    """
    if limit is None:
        start, limit = 0, start
    parts = [_fw._unref(v) for v in (start, limit, delta)]
    if any(isinstance(v, _registry.Array) for v in parts):
        # eager bounds (``tf.range(tf.size(x))``): scalars read as values; the dtype is
        # TF's, the highest of the bounds' (a Python number's as convert_to_tensor's)
        vals, dts = [], []
        for what, v in zip(("start", "limit", "delta"), parts):
            if isinstance(v, _registry.Array):
                a = _fw.eager_values(v)
                if a.ndim:
                    raise _fw_errors.InvalidArgumentError(
                        None, None, f"{what} must be a scalar, not shape {list(a.shape)}")
                vals.append(a[()])
                dts.append(a.dtype)
            else:
                vals.append(v)
                dts.append(_fw.python_dtype(v))
        dt = np_dtype(dtype) if dtype is not None else _range_dtype(dts)
        return _const(_range_values(*vals, dt), name)
    if any(isinstance(v, Tensor) for v in parts):
        # a bound known at run time (``tf.range(tf.shape(x)[0])``)
        def f():
            ts = [v if isinstance(v, Tensor) else None for v in parts]
            known = [t for t in ts if t is not None]
            dt = np_dtype(dtype) if dtype is not None else _range_dtype(
                [t._np_dtype for t in known])
            args = [cast(v, dt) if isinstance(v, Tensor) and _dt(v) != dt else
                    (v if isinstance(v, Tensor) else constant(v, dtype=dt))
                    for v in parts]
            return apply(_RANGE, tuple(args), {})
        return build(None, name, f)
    if dtype is None:
        dt = _fw.python_dtype([start, limit, delta])
    else:
        dt = np_dtype(dtype)
    try:
        values = _range_values(start, limit, delta, dt)
    except _fw_errors.InvalidArgumentError as e:
        if _fw.executing_eagerly():
            raise
        raise ValueError(e.message) from None   # (TF: its shape function, at graph time)
    return _const(values, name)


def _range_values(start, limit, delta, dt):
    """TF's Range kernel: ``ceil(|limit - start| / |delta|)`` values (worked out in
    ``dt``), value i is ``start + i * delta`` worked out in ``dt`` -- so float32's
    ``range(0, 1, 0.3)`` ends in 0.90000004, not 0.9 -- and InvalidArgumentError for a
    zero ``delta`` or one that points away from ``limit``."""
    InvalidArgumentError = _fw_errors.InvalidArgumentError
    dt = np.dtype(dt)
    t = dt.type
    s, lim, d = t(start), t(limit), t(delta)
    if d == 0:
        raise InvalidArgumentError(None, None, f"Requires delta != 0: {delta}")
    if (d > 0 and s > lim) or (d < 0 and s < lim):
        raise InvalidArgumentError(None, None, f"Requires start {'<=' if d > 0 else '>='} "
                                   f"limit when delta {'>' if d > 0 else '<'} 0: "
                                   f"{start}/{limit}")
    if dt.kind in "iu":
        return np.arange(s, lim, d, dtype=dt)
    with np.errstate(all="ignore"):
        n = int(np.ceil(np.abs((lim - s) / d)))
        return s + np.arange(n, dtype=dt) * d    # (each rounded in dt, as the kernel)


def _range_dtype(dts):
    """TF's tf.range: the highest of int32 < int64 < float32 < float64 among the bounds
    (``range(int64, float32)`` is float32, where NumPy's promotion gives float64)."""
    order = [np.dtype(np.int32), np.dtype(np.int64), np.dtype(np.float32),
             np.dtype(np.float64)]
    if all(np.dtype(d) in order for d in dts):
        return max((np.dtype(d) for d in dts), key=order.index)
    return np.result_type(*dts)


def _range_fwd(xp, start, limit, delta):
    dt = np.result_type(start, limit, delta)
    return _range_values(start[()] if hasattr(start, "shape") else start,
                         limit[()] if hasattr(limit, "shape") else limit,
                         delta[()] if hasattr(delta, "shape") else delta, dt)


_RANGE = _defop("tf.range", _range_fwd, None, save="none",
                nondiff="a range of numbers has no gradient in TensorFlow",
                shape_rule=lambda args, params: [((None,), args[0]._np_dtype)])


@_export
def linspace(start, stop, num, name=None):
    """``num`` evenly spaced values from ``start`` to ``stop`` (float32 for floats),
    worked out as TF's LinSpace kernel does, in that dtype: ``step = (stop - start) /
    (num - 1)``, value i ``start + step * i``, the last one ``stop`` itself.

    >>> import ndgrad.tf as tf
    >>> print(tf.Session().run(tf.lin_space(0.0, 1.0, 5)))
    [0.   0.25 0.5  0.75 1.  ]
    """
    dt = _fw.python_dtype(start) if not isinstance(start, np.ndarray) else start.dtype
    if np.dtype(dt).kind in "iub":
        dt = np.dtype(np.float64)   # (integer bounds: float64 values, as TF 2's lin_space)
    n = int(num)
    if n <= 0:
        raise _fw_errors.InvalidArgumentError(None, None,
                                              f"Requires num > 0: {n}")
    t = np.dtype(dt).type
    lo, hi = t(start), t(stop)
    if n == 1:
        values = np.array([lo], dtype=dt)
    else:
        step = t((hi - lo) / t(n - 1))
        values = (lo + step * np.arange(n, dtype=dt)).astype(dt)
        values[-1] = hi
    return _const(values, name or "LinSpace")


lin_space = linspace
__all__.append("lin_space")


@_export
def eye(num_rows, num_columns=None, batch_shape=None, dtype=np.float32, name=None):
    """An identity matrix (``num_rows`` x ``num_columns``), repeated over ``batch_shape``.

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.eye(2, batch_shape=[3])).shape
    (3, 2, 2)
    """
    dt = np_dtype(dtype)
    if not (_is_dynamic([num_rows, num_columns]) or
            (batch_shape is not None and _is_dynamic(batch_shape))):
        m = np.eye(num_rows, num_columns, dtype=dt)
        if batch_shape is not None:
            bs = tuple(int(d) for d in batch_shape)
            m = np.broadcast_to(m, bs + m.shape).copy()
        return _const(m, name or "eye")

    def f():
        # sizes known at run time (TF's eye of placeholders): one op of the whole shape,
        # batch dimensions then rows and columns, with the static shape as far as known
        nm, static = _shape_tensor([num_rows, num_rows if num_columns is None
                                    else num_columns])
        s = nm
        if batch_shape is not None:
            b, b_static = _shape_tensor(batch_shape if _is_dynamic(batch_shape) else
                                        [int(d) for d in batch_shape])
            s = concat([b, nm], 0)
            static = None if b_static is None else b_static + static
        return apply(_EYE_DYN, (s,), {"dtype": dt, "static": static})
    return build(None, name or "eye", f)


def _eye_forward(xp, s, dtype, static):
    s = tuple(int(d) for d in np.asarray(s))
    if len(s) < 2 or any(d < 0 for d in s):
        raise ValueError(f"eye: sizes must be non-negative; got batch shape {s[:-2]}, "
                         f"{s[-2] if len(s) > 1 else '?'} rows and {s[-1]} columns")
    return np.broadcast_to(np.eye(s[-2], s[-1], dtype=dtype), s).copy()


_EYE_DYN = _defop("tf.eye", _eye_forward, None,
                  shape_rule=lambda args, params: [(params["static"],
                                                    np.dtype(params["dtype"]))],
                  nondiff="a constant of a runtime shape", save="none")


# -- elementwise ------------------------------------------------------------------------
def int_checked(reg, a):
    """The op that computes ``reg`` (a registry op) on ``a``'s dtype in TF's way: integer
    ``floor_divide`` / ``remainder`` raise on a zero divisor as TF's CPU kernels do
    ("Integer division by zero"), where NumPy's give 0; floating ones are TF's FloorDiv
    (``floor(x / y)``) and FloorMod (a zero keeps the sign of ``x``), where NumPy's
    differ (``_FLOAT_FLOORDIV``)."""
    kind = _dt(a).kind
    if kind in "fc" and reg is REGISTRY["pow"]:
        return _TF_POW
    if kind in "iu":
        if reg is REGISTRY["floor_divide"]:
            return _INT_FLOORDIV
        if reg is REGISTRY["remainder"]:
            return _INT_FLOORMOD
    elif kind == "f":
        if reg is REGISTRY["floor_divide"]:
            return _FLOAT_FLOORDIV
        if reg is REGISTRY["remainder"]:
            return _FLOAT_FLOORMOD
    return reg


def _binary(reg, default, x, y, name, op_type, check=None):
    """TF's binary op ``op_type`` as registry op ``reg``; ``check``: the TF function's
    name in ``op_dtypes`` (its operands' dtypes are checked against TF's kernels)."""
    def f():
        a, b = convert_same([x, y], op_type=op_type)
        if check is not None:
            _op_dtypes.check(check, _dt(a), "x", op_type)
        return apply(int_checked(reg, a), (a, b))
    return build(name, default, f, graph_args=(x, y))


def _unary(reg, default, x, name, check=None):
    """TF's unary op ``default`` as registry op ``reg`` (``check``: as ``_binary``'s).
    NumPy would give values where TF has none: uint8 ``-1`` wraps to 255, integer
    ``reciprocal`` truncates ``1 / 2`` to 0, ``sin`` of an integer is float64."""
    def f():
        t = _x(x, name="x")
        if check is not None:
            _op_dtypes.check(check, _dt(t), "x", default)
        return apply(reg, (t,))
    return build(name, default, f, graph_args=(x,))


def _make_binary(tfname, regname, pyname):
    def f(x, y, name=None):
        return _binary(_reg(regname) if isinstance(regname, str) else regname, tfname,
                       x, y, name, tfname, check=pyname)
    return f


def _make_unary(tfname, regname, pyname):
    def f(x, name=None):
        return _unary(_reg(regname) if isinstance(regname, str) else regname, tfname, x,
                      name, check=pyname)
    return f


_BINARIES = {
    "add": ("Add", "add"), "subtract": ("Sub", "subtract"), "multiply": ("Mul", "multiply"),
    "floor_div": ("FloorDiv", "floor_divide"), "floormod": ("FloorMod", "remainder"),
    "mod": ("FloorMod", "remainder"), "maximum": ("Maximum", _tops.MAXIMUM),
    "minimum": ("Minimum", _tops.MINIMUM), "equal": ("Equal", "equal"),
    "not_equal": ("NotEqual", "not_equal"), "less": ("Less", "less"),
    "less_equal": ("LessEqual", "less_equal"), "greater": ("Greater", "greater"),
    "greater_equal": ("GreaterEqual", "greater_equal"),
    "logical_and": ("LogicalAnd", "logical_and"), "logical_or": ("LogicalOr", "logical_or"),
    "logical_xor": ("LogicalXor", "logical_xor"), "atan2": ("Atan2", "atan2"),
}
_UNARIES = {
    "negative": ("Neg", "negative"), "abs": ("Abs", "abs"), "square": ("Square", "square"),
    "sqrt": ("Sqrt", "sqrt"), "exp": ("Exp", "exp"), "log": ("Log", "log"),
    "log1p": ("Log1p", "log1p"), "expm1": ("Expm1", "expm1"), "sin": ("Sin", "sin"),
    "cos": ("Cos", "cos"), "tan": ("Tan", "tan"), "asin": ("Asin", "asin"),
    "acos": ("Acos", "acos"), "atan": ("Atan", "atan"), "sinh": ("Sinh", "sinh"),
    "cosh": ("Cosh", "cosh"), "tanh": ("Tanh", "tanh"), "sign": ("Sign", _tops.SIGN),
    "floor": ("Floor", "floor"), "ceil": ("Ceil", "ceil"), "round": ("Round", "round"),
    "reciprocal": ("Reciprocal", "reciprocal"), "logical_not": ("LogicalNot", "logical_not"),
    "sigmoid": ("Sigmoid", _tops.SIGMOID), "is_nan": ("IsNan", "isnan"),
    "is_inf": ("IsInf", "isinf"), "is_finite": ("IsFinite", "isfinite"),
    "asinh": ("Asinh", "asinh"), "acosh": ("Acosh", "acosh"), "atanh": ("Atanh", "atanh"),
    "conj": ("Conj", "conj"), "real": ("Real", "real"), "imag": ("Imag", "imag"),
    "rint": ("Rint", "round"),   # (both round half to even)
    "identity": ("Identity", _tops.IDENTITY), "stop_gradient": ("StopGradient",
                                                                 _tops.STOP_GRADIENT),
}

# Each generated function's docstring example: name -> (source lines..., the output), typed
# from TensorFlow 2.15's tf.compat.v1 graph mode (never computed here). Transcendental
# results are rounded to 5 decimals, so that a last-bit difference between CPUs' float32
# math does not show.
_ELEMENTWISE_EXAMPLES = {
    "add": ("tf.Session().run(tf.add([1, 2], 10))", "array([11, 12], dtype=int32)"),
    "subtract": ("tf.Session().run(tf.subtract([5.0, 1.0], [2.0, 3.0]))",
                 "array([ 3., -2.], dtype=float32)"),
    "multiply": ("tf.Session().run(tf.multiply([[1, 2], [3, 4]], [10, 100]))",
                 "array([[ 10, 200],\n       [ 30, 400]], dtype=int32)"),
    "floor_div": ("tf.Session().run(tf.floor_div([7, -7], 2))",
                  "array([ 3, -4], dtype=int32)"),
    "floormod": ("tf.Session().run(tf.floormod([7, -7], 3))", "array([1, 2], dtype=int32)"),
    "mod": ("tf.Session().run(tf.mod([-7.5, 7.5], [2.0, -2.0]))",
            "array([ 0.5, -0.5], dtype=float32)"),
    "maximum": ("tf.Session().run(tf.maximum([1.0, 5.0], [3.0, 2.0]))",
                "array([3., 5.], dtype=float32)"),
    "minimum": ("tf.Session().run(tf.minimum([1, 5], 3))", "array([1, 3], dtype=int32)"),
    "equal": ("tf.Session().run(tf.equal([1, 2, 3], [1, 0, 3]))",
              "array([ True, False,  True])"),
    "not_equal": ("tf.Session().run(tf.not_equal([1, 2, 3], [1, 0, 3]))",
                  "array([False,  True, False])"),
    "less": ("tf.Session().run(tf.less([1, 2, 3], 2))", "array([ True, False, False])"),
    "less_equal": ("tf.Session().run(tf.less_equal([1, 2, 3], 2))",
                   "array([ True,  True, False])"),
    "greater": ("tf.Session().run(tf.greater([1, 2, 3], 2))",
                "array([False, False,  True])"),
    "greater_equal": ("tf.Session().run(tf.greater_equal([1, 2, 3], 2))",
                      "array([False,  True,  True])"),
    "logical_and": ("tf.Session().run(tf.logical_and([True, True, False], [True, False, False]))",
                    "array([ True, False, False])"),
    "logical_or": ("tf.Session().run(tf.logical_or([True, True, False], [True, False, False]))",
                   "array([ True,  True, False])"),
    "logical_xor": ("tf.Session().run(tf.logical_xor([True, True, False], [True, False, False]))",
                    "array([False,  True, False])"),
    "atan2": ("tf.Session().run(tf.atan2([1.0, 1.0], [1.0, -1.0])).round(5)   # atan2(y, x)",
              "array([0.7854 , 2.35619], dtype=float32)"),
    "negative": ("tf.Session().run(tf.negative([1, -2]))", "array([-1,  2], dtype=int32)"),
    "abs": ("tf.Session().run(tf.abs([-2.0, 3 + 4j]))", "array([2., 5.])"),
    "square": ("tf.Session().run(tf.square([-3, 2]))", "array([9, 4], dtype=int32)"),
    "sqrt": ("tf.Session().run(tf.sqrt([4.0, 9.0]))", "array([2., 3.], dtype=float32)"),
    "exp": ("tf.Session().run(tf.exp([0.0, 1.0])).round(5)",
            "array([1.     , 2.71828], dtype=float32)"),
    "log": ("tf.Session().run(tf.log([1.0, 100.0])).round(5)",
            "array([0.     , 4.60517], dtype=float32)"),
    "log1p": ("tf.Session().run(tf.log1p([0.0, 1e-10]))",
              "array([0.e+00, 1.e-10], dtype=float32)"),
    "expm1": ("tf.Session().run(tf.expm1([0.0, 1e-10]))",
              "array([0.e+00, 1.e-10], dtype=float32)"),
    "sin": ("tf.Session().run(tf.sin([0.0, 1.5707964])).round(5)",
            "array([0., 1.], dtype=float32)"),
    "cos": ("tf.Session().run(tf.cos([0.0, 3.1415927])).round(5)",
            "array([ 1., -1.], dtype=float32)"),
    "tan": ("tf.Session().run(tf.tan([0.0, 0.7853982])).round(5)",
            "array([0., 1.], dtype=float32)"),
    "asin": ("tf.Session().run(tf.asin([0.0, 1.0])).round(5)",
             "array([0.    , 1.5708], dtype=float32)"),
    "acos": ("tf.Session().run(tf.acos([1.0, -1.0])).round(5)",
             "array([0.     , 3.14159], dtype=float32)"),
    "atan": ("tf.Session().run(tf.atan([0.0, 1.0])).round(5)",
             "array([0.    , 0.7854], dtype=float32)"),
    "sinh": ("tf.Session().run(tf.sinh([0.0, 1.0])).round(5)",
             "array([0.    , 1.1752], dtype=float32)"),
    "cosh": ("tf.Session().run(tf.cosh([0.0, 1.0])).round(5)",
             "array([1.     , 1.54308], dtype=float32)"),
    "tanh": ("tf.Session().run(tf.tanh([0.0, 1.0])).round(5)",
             "array([0.     , 0.76159], dtype=float32)"),
    "sign": ("tf.Session().run(tf.sign([-2.0, 0.0, 3.0]))",
             "array([-1.,  0.,  1.], dtype=float32)"),
    "floor": ("tf.Session().run(tf.floor([-1.5, 1.5]))", "array([-2.,  1.], dtype=float32)"),
    "ceil": ("tf.Session().run(tf.ceil([-1.5, 1.5]))", "array([-1.,  2.], dtype=float32)"),
    "round": ("tf.Session().run(tf.round([0.5, 1.5, 2.5, -2.5]))   # half to even",
              "array([ 0.,  2.,  2., -2.], dtype=float32)"),
    "reciprocal": ("tf.Session().run(tf.reciprocal([2.0, -4.0]))",
                   "array([ 0.5 , -0.25], dtype=float32)"),
    "logical_not": ("tf.Session().run(tf.logical_not([True, False]))",
                    "array([False,  True])"),
    "sigmoid": ("tf.Session().run(tf.sigmoid([0.0, 2.0])).round(5)",
                "array([0.5   , 0.8808], dtype=float32)"),
    "is_nan": ('tf.Session().run(tf.is_nan([1.0, float("nan"), float("inf")]))',
               "array([False,  True, False])"),
    "is_inf": ('tf.Session().run(tf.is_inf([1.0, float("nan"), float("-inf")]))',
               "array([False, False,  True])"),
    "is_finite": ('tf.Session().run(tf.is_finite([1.0, float("nan"), float("inf")]))',
                  "array([ True, False, False])"),
    "asinh": ("tf.Session().run(tf.asinh([0.0, 1.0])).round(5)",
              "array([0.     , 0.88137], dtype=float32)"),
    "acosh": ("tf.Session().run(tf.acosh([1.0, 2.0])).round(5)",
              "array([0.     , 1.31696], dtype=float32)"),
    "atanh": ("tf.Session().run(tf.atanh([0.0, 0.5])).round(5)",
              "array([0.     , 0.54931], dtype=float32)"),
    "conj": ("tf.Session().run(tf.conj([1 + 2j, 3 - 4j]))", "array([1.-2.j, 3.+4.j])"),
    "real": ("tf.Session().run(tf.real([1 + 2j, 3 - 4j]))", "array([1., 3.])"),
    "imag": ("tf.Session().run(tf.imag([1 + 2j, 3 - 4j]))", "array([ 2., -4.])"),
    "rint": ("tf.Session().run(tf.rint([0.5, 1.5, -1.7]))",
             "array([ 0.,  2., -2.], dtype=float32)"),
    "identity": ("tf.Session().run(tf.identity([1, 2]))", "array([1, 2], dtype=int32)"),
    "stop_gradient": ("x = tf.constant([3.0])",
                      "tf.Session().run(tf.gradients(x * tf.stop_gradient(x), x)[0])",
                      "array([3.], dtype=float32)"),
}


def _with_example(doc, example):
    """``doc`` followed by a doctest example: (source lines..., the expected output)."""
    *src, want = example
    lines = [">>> import ndgrad.tf as tf"] + [">>> " + ln for ln in src] + [want]
    return doc + "\n\n" + "\n".join(lines) + "\n"


for _n, (_t, _r) in _BINARIES.items():
    _f = _make_binary(_t, _r, _n)
    _f.__name__ = _f.__qualname__ = _n
    _f.__doc__ = _with_example(f"TF's ``tf.{_n}`` (op type ``{_t}``), elementwise with "
                               "broadcasting.", _ELEMENTWISE_EXAMPLES[_n])
    globals()[_n] = _f
    __all__.append(_n)
for _n, (_t, _r) in _UNARIES.items():
    _f = _make_unary(_t, _r, _n)
    _f.__name__ = _f.__qualname__ = _n
    _f.__doc__ = _with_example(f"TF's ``tf.{_n}`` (op type ``{_t}``), elementwise.",
                               _ELEMENTWISE_EXAMPLES[_n])
    globals()[_n] = _f
    __all__.append(_n)
del _f   # (left here, doctest would collect the last function under the name ``_f``)

sub = subtract      # noqa: F821 (seed-era names)
mul = multiply      # noqa: F821
neg = negative      # noqa: F821
__all__ += ["sub", "mul", "neg"]


@_export
def floordiv(x, y, name=None):
    """Floor division (``x // y``).

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.floordiv([7.0, -7.0], 2.0))
    array([ 3., -4.], dtype=float32)
    """
    return _binary(_reg("floor_divide"), "floordiv", x, y, name, "FloorDiv",
                   check="floordiv")


def _truncatediv_fwd(xp, x, y):
    x, y = np.asarray(x), np.asarray(y)
    if x.dtype.kind in "iu":
        if np.any(y == 0):
            raise ValueError("Integer division by zero in truncatediv")
        q = np.abs(x) // np.abs(y)
        return np.where((x < 0) != (y < 0), -q, q).astype(np.result_type(x, y))
    return np.trunc(x / y)


def _truncatemod_fwd(xp, x, y):
    x, y = np.asarray(x), np.asarray(y)
    if x.dtype.kind in "iu" and np.any(y == 0):
        raise ValueError("Integer division by zero in truncatemod")
    return np.fmod(x, y)


def _int_floordiv_fwd(xp, x, y):
    x, y = np.asarray(x), np.asarray(y)
    if np.any(y == 0):
        raise ValueError("Integer division by zero")
    return np.floor_divide(x, y)


def _int_floormod_fwd(xp, x, y):
    x, y = np.asarray(x), np.asarray(y)
    if np.any(y == 0):
        raise ValueError("Integer division by zero")
    return np.remainder(x, y)


def _trunc_rule(args, params):
    from ..graph.core import broadcast_static
    a, b = args
    dt = np.result_type(a._np_dtype, b._np_dtype)
    if a._shape is None or b._shape is None:
        return [(None, dt)]
    return [(broadcast_static([a._shape, b._shape]), dt)]


_TRUNCATEDIV = _defop("tf.truncatediv", _truncatediv_fwd, None,
                      nondiff="TensorFlow defines no gradient for TruncateDiv",
                      save="none", shape_rule=_trunc_rule)
_TRUNCATEMOD = _defop("tf.truncatemod", _truncatemod_fwd, None,
                      nograd="TensorFlow defines no gradient for TruncateMod",
                      shape_rule=_trunc_rule)


_INT_FLOORDIV = _defop("tf.int_floordiv", _int_floordiv_fwd, None,
                       nondiff="integer FloorDiv has no gradient", save="none",
                       shape_rule=_trunc_rule)
_INT_FLOORMOD = _defop("tf.int_floormod", _int_floormod_fwd, None,
                       nondiff="integer FloorMod has no gradient", save="none",
                       shape_rule=_trunc_rule)


def _float_floordiv_fwd(xp, x, y):
    # TF's FloorDiv kernel for floats: the quotient rounded, then floored. NumPy's
    # floor_divide is exact through fmod: 1.0 // 0.1 is 9.0 there (1.0 is 9 * 0.1 plus
    # 0.0999...), 10.0 in TF, whose results ndgrad.tf gives
    return xp.floor(xp.divide(x, y))


def _float_floormod_fwd(xp, x, y):
    # TF's FloorMod kernel for floats: fmod(x, y), plus y where that is nonzero and its
    # sign differs from y's: NumPy's remainder (the standard's) but for a zero, which
    # keeps fmod's sign, x's (-4.0 mod 2.0 is -0.0), where remainder gives y's
    r = xp.remainder(x, y)
    return xp.where(r == 0, xp.copysign(xp.zeros_like(r), x), r)


def _float_floormod_vjp(xp, g, ans, x, y):
    # TF's FloorMod gradient: (g, -g * floor_div(x, y)), its quotient TF's FloorDiv
    return (g, -g * xp.floor(xp.divide(x, y)))


_FLOAT_FLOORDIV = _defop("tf.float_floordiv", _float_floordiv_fwd, None,
                         nondiff="piecewise constant: its derivative is zero wherever it "
                                 "exists", save="none", shape_rule=_trunc_rule)
_FLOAT_FLOORMOD = _defop("tf.float_floormod", _float_floormod_fwd, _float_floormod_vjp,
                         shape_rule=_trunc_rule)
def _tf_pow_vjp(xp, g, ans, x, y, _needs=None):
    # TF 2.15's PowGrad (math_grad._PowGrad): g * y * x**(y - 1) and g * x**y * log(x),
    # log(x) taken as 0 where x <= 0 (x == 0 for complex), so a negative base with a
    # trainable exponent gives 0 for the exponent, not NaN, and x = y = 0 gives NaN for x
    # (0 * inf). ndgrad's own pow rule is JAX's; ndgrad.tf uses TF's, which its training
    # reproduces.
    gx = g * y * x ** (y - 1) if _needs is None or _needs[0] else None
    if _needs is not None and not _needs[1]:
        return (gx, None)      # (a constant exponent: no log)
    mask = (x != 0) if xp.isdtype(x.dtype, "complex floating") else (x > 0)
    safe = xp.where(mask, x, xp.ones_like(x))
    log_x = xp.where(mask, xp.log(safe), xp.zeros_like(x))
    return (gx, g * ans * log_x)


_TF_POW = _defop("tf.pow", REGISTRY["pow"].forward, _tf_pow_vjp, save="both",
                 shape_rule=REGISTRY["pow"].shape_rule)
_core.TF_TYPES.update({"tf.pow": "Pow", "tf.unique": "Unique", "tf.div_no_nan": "DivNoNan"})
_core.TF_TYPES.update({"tf.int_floordiv": "FloorDiv", "tf.int_floormod": "FloorMod",
                       "tf.float_floordiv": "FloorDiv", "tf.float_floormod": "FloorMod"})


@_export
def truncatediv(x, y, name=None):
    """``x / y`` rounded towards zero (C's integer division); floats too.

    >>> import ndgrad.tf as tf
    >>> tf.truncatediv(tf.constant([-7, 7]), tf.constant([2, -2])).eval(session=tf.Session())
    array([-3, -3], dtype=int32)
    """
    return _binary(_TRUNCATEDIV, "TruncateDiv", x, y, name, "TruncateDiv",
                   check="truncatediv")


@_export
def truncatemod(x, y, name=None):
    """The remainder of ``truncatediv``: it takes the sign of ``x`` (C's ``fmod``).

    >>> import ndgrad.tf as tf
    >>> tf.truncatemod(tf.constant([-7., 7.]), tf.constant([2., -2.])).eval(
    ...     session=tf.Session())
    array([-1.,  1.], dtype=float32)
    """
    return _binary(_TRUNCATEMOD, "TruncateMod", x, y, name, "TruncateMod",
                   check="truncatemod")


@_export
def rsqrt(x, name=None):
    """``1 / sqrt(x)``.

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.rsqrt([4.0, 16.0]))
    array([0.5 , 0.25], dtype=float32)
    """
    def f():
        t = _x(x)
        _op_dtypes.check("rsqrt", _dt(t))
        return _nd.reciprocal(_nd.sqrt(t))
    return build(name, "Rsqrt", f, graph_args=(x,))


@_export
def squared_difference(x, y, name=None):
    """``(x - y) ** 2`` elementwise with broadcasting; for complex input TF's
    ``conj(x - y) * (x - y)``.

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.squared_difference([1.0, 5.0], 3.0))
    array([4., 4.], dtype=float32)
    >>> tf.Session().run(tf.squared_difference([1j, 2 + 1j], [0j, 0j]))
    array([1.+0.j, 5.+0.j])
    """
    def f():
        a, b = convert_same([x, y], op_type="SquaredDifference")
        _op_dtypes.check("squared_difference", _dt(a))
        d = apply(_reg("subtract"), (a, b))
        # TF's: conj(x - y) * (x - y), |x - y|**2 for complex input (not (x - y)**2)
        return apply(_reg("multiply"), (d, apply(_reg("conj"), (d,)) if _dt(d).kind == "c"
                                            else d))
    return build(name, "SquaredDifference", f, graph_args=(x, y))


@_export
def pow(x, y, name=None):  # noqa: A001
    """``x ** y`` elementwise.

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.pow([2, 3], 3))
    array([ 8, 27], dtype=int32)
    >>> tf.Session().run(tf.pow([2.0, 4.0], [3.0, 0.5]))
    array([8., 2.], dtype=float32)
    """
    return _binary(_reg("pow"), "Pow", x, y, name, "Pow", check="pow")


def _int_to_float(dt):
    if dt.kind in "iu":
        return np.dtype("float32") if dt.itemsize <= 2 else np.dtype("float64")
    return dt


@_export
def truediv(x, y, name=None):
    """True division; integers are cast to floats first (int32 -> float64).

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.truediv([7, -7], 2))
    array([ 3.5, -3.5])
    """
    def f():
        a, b = convert_same([x, y], op_type="RealDiv")
        dt = _dt(a)
        _op_dtypes.check("truediv", dt)
        if dt.kind in "iu":
            a = _nd.astype(a, _int_to_float(dt))
            b = _nd.astype(b, _int_to_float(dt))
        return apply(_reg("divide"), (a, b))
    return build(name, "truediv", f, graph_args=(x, y))


@_export
def divide(x, y, name=None):
    """``x / y`` (TF's ``divide`` is true division).

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.divide([7.0, 1.0], [2.0, 4.0]))
    array([3.5 , 0.25], dtype=float32)
    >>> tf.Session().run(tf.divide(tf.constant([7, -7]), 2))
    array([ 3.5, -3.5])
    """
    return truediv(x, y, name=name)


@_export
def div(x, y, name=None):
    """Python 2 division: floors for integers, divides for floats.

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.div([7, -7], 2))
    array([ 3, -4], dtype=int32)
    >>> tf.Session().run(tf.div([7.0, -7.0], 2.0))
    array([ 3.5, -3.5], dtype=float32)
    """
    def f():
        a, b = convert_same([x, y], op_type="Div")
        _op_dtypes.check("div", _dt(a))
        if _dt(a).kind in "iu":
            return apply(_INT_FLOORDIV, (a, b))
        return apply(_reg("divide"), (a, b))
    return build(name, "div", f, graph_args=(x, y))


@_export
def realdiv(x, y, name=None):
    """``x / y`` for floating and complex tensors (TF's RealDiv, which has no integer
    kernel: integers raise here, where ``tf.divide`` casts them to float).

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.realdiv([7.0, 1.0], [2.0, 4.0]))
    array([3.5 , 0.25], dtype=float32)
    """
    def f():
        a, b = convert_same([x, y], op_type="RealDiv")
        _op_dtypes.check("realdiv", _dt(a))   # (tf.divide / tf.truediv cast integers)
        return apply(_reg("divide"), (a, b))
    return build(name, "RealDiv", f, graph_args=(x, y))


def select(condition, t, e, name=None):
    """TF 0.x's name of the three-argument ``where``.

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.select([True, False], [1, 2], [10, 20]))
    array([ 1, 20], dtype=int32)
    """
    return where(condition, t, e, name=name)


__all__.append("select")


def _add_n_fwd(xp, *ts):
    # TF's AddN kernel: every input of one shape (no broadcasting), summed in order
    for t in ts[1:]:
        if tuple(t.shape) != tuple(ts[0].shape):
            from ..graph.errors import InvalidArgumentError
            raise InvalidArgumentError(
                None, None, f"Inputs to operation AddN of type AddN must have the same size "
                f"and shape.  Input 0: {list(ts[0].shape)} != input: {list(t.shape)}")
    out = ts[0]
    for t in ts[1:]:
        out = out + t
    return out


def _add_n_rule(args, params):
    shape = args[0]._shape
    for a in args[1:]:
        shape = _merged_shape(shape, a._shape, args)
    return [(shape, args[0]._np_dtype)]


def _merged_shape(s1, s2, args):
    """Two static shapes of one tensor's (None where unknown), merged; a ValueError (TF's,
    at graph build) where they cannot be the same shape."""
    if s1 is None or s2 is None:
        return s1 if s2 is None else s2
    if len(s1) != len(s2):
        raise ValueError(f"Shapes must be equal rank, but are {len(s1)} and {len(s2)} for "
                         f"'AddN' with input shapes: "
                         f"{', '.join(str(list(a._shape)) for a in args)}.")
    out = []
    for k, (a, b) in enumerate(zip(s1, s2)):
        if a is not None and b is not None and a != b:
            raise ValueError(f"Dimension {k} in both shapes must be equal, but are {a} and "
                             f"{b} for 'AddN' with input shapes: "
                             f"{', '.join(str(list(x._shape)) for x in args)}.")
        out.append(a if a is not None else b)
    return tuple(out)


_ADD_N = _defop("tf.add_n", _add_n_fwd, lambda xp, g, ans, *ts: (g,) * len(ts),
                save="none", shape_rule=_add_n_rule)


@_export
def add_n(inputs, name=None):
    """The sum of a list of tensors of one shape and dtype (TF's AddN: inputs of other
    shapes are refused, never broadcast).

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.add_n([[1, 2], [3, 4], [5, 6]]))
    array([ 9, 12], dtype=int32)
    """
    def f():
        ts = convert_same(list(inputs), names=[f"inputs_{i}" for i in builtins.range(
            len(inputs))], op_type="AddN")
        if len(ts) == 1:
            return apply(_tops.IDENTITY, (ts[0],))
        static = [getattr(t, "_shape", None) for t in ts]
        if all(isinstance(t, Tensor) for t in ts):
            _add_n_rule(ts, {})          # (TF's build-time check of the static shapes)
        elif len({tuple(np.shape(t)) for t in ts}) > 1 and None not in static:
            _add_n_fwd(None, *[np.empty(np.shape(t)) for t in ts])   # (eager: TF's error)
        return apply(_ADD_N, tuple(ts))
    return build(name, "AddN", f, graph_args=tuple(inputs))


@_export
def accumulate_n(inputs, shape=None, tensor_dtype=None, name=None):
    """The sum of a list of tensors of one shape and dtype (``add_n``; ``shape`` and
    ``tensor_dtype``, when given, must be theirs).

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.accumulate_n([[1.0, 2.0], [3.0, 4.0]]))
    array([4., 6.], dtype=float32)
    """
    inputs = list(inputs) if isinstance(inputs, (list, tuple)) else None
    if not inputs:
        raise ValueError("inputs must be a non-empty list of tensors of one shape and dtype")
    ts = [convert_to_tensor(t) for t in inputs]
    want = None if shape is None else _as_shape(shape)
    for t in ts:
        s = _as_shape(t.shape)
        if want is not None and not want.is_compatible_with(s):
            raise ValueError(f"Shapes {want} and {s} are not compatible")
        want = s if want is None else want.merge_with(s)
    if tensor_dtype is not None:
        dt = np_dtype(tensor_dtype)
        for t in ts:
            if np.dtype(getattr(t, "_np_dtype", None) or t.dtype) != dt:
                raise TypeError(f"accumulate_n: tensor_dtype is {dt.name}, an input is "
                                f"{t.dtype}")
    return add_n(ts, name=name)


@_export
def cast(x, dtype, name=None):
    """``x`` converted to ``dtype`` (floats to ints truncate); numbers to or from
    ``tf.string`` are TF's UnimplementedError (``tf.as_string`` / ``string_to_number``
    convert text).

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.cast([1.7, -1.7], tf.int32))
    array([ 1, -1], dtype=int32)
    """
    if isinstance(x, Tensor) and x._np_dtype == np.dtype(np_dtype(dtype)):
        return x     # (TF's: no Cast op; feeding the "cast" feeds x itself)

    def f():
        t = _x(x)
        src, dst = np.dtype(_dt(t)), np.dtype(np_dtype(dtype))
        if (src.kind in "OSU") != (dst.kind in "OSU"):
            from ..graph import errors as _errors
            raise _errors.UnimplementedError(
                None, None, f"Cast {_tfd_name(src)} to {_tfd_name(dst)} is not supported")
        return _nd.astype(t, dst)
    return build(name, "Cast", f, graph_args=(x,))


def _tfd_name(dt):
    from .dtypes import as_dtype
    return "string" if np.dtype(dt).kind in "OSU" else as_dtype(dt).name


def _caster(dt, nm):
    def f(x, name=nm):
        return cast(x, dt, name=name)
    f.__name__ = nm
    return f


to_float = _caster(np.float32, "ToFloat")
to_double = _caster(np.float64, "ToDouble")
to_int32 = _caster(np.int32, "ToInt32")
to_int64 = _caster(np.int64, "ToInt64")
to_float.__doc__ = """``cast(x, tf.float32)``.

>>> import ndgrad.tf as tf
>>> tf.Session().run(tf.to_float([1, 2]))
array([1., 2.], dtype=float32)
"""
to_double.__doc__ = """``cast(x, tf.float64)``.

>>> import ndgrad.tf as tf
>>> tf.Session().run(tf.to_double([1, 2]))
array([1., 2.])
"""
to_int32.__doc__ = """``cast(x, tf.int32)`` (floats are truncated towards zero).

>>> import ndgrad.tf as tf
>>> tf.Session().run(tf.to_int32([1.9, -1.9]))
array([ 1, -1], dtype=int32)
"""
to_int64.__doc__ = """``cast(x, tf.int64)`` (floats are truncated towards zero).

>>> import ndgrad.tf as tf
>>> tf.Session().run(tf.to_int64([2.5, -2.5]))
array([ 2, -2])
"""
__all__ += ["to_float", "to_double", "to_int32", "to_int64"]


def _div_no_nan_fwd(xp, x, y):
    is0 = y == 0
    q = xp.divide(x, xp.where(is0, xp.ones_like(y), y))   # (a safe divisor: no warning)
    return xp.where(is0, xp.zeros_like(q), q)


def _div_no_nan_vjp(xp, g, ans, x, y):
    # TF's _DivNoNanGrad (gx = div_no_nan(g, y), gy = g * div_no_nan(div_no_nan(-x, y), y),
    # 0 where y is 0), in ndgrad's complex convention (tf.gradients conjugates at its
    # boundary: TF's conj(y) is y here); its roundings are TF's
    gx = _tops.call(_DIV_NO_NAN, xp, (g, y))
    inner = _tops.call(_DIV_NO_NAN, xp, (xp.negative(x), y))
    return (gx, xp.multiply(g, _tops.call(_DIV_NO_NAN, xp, (inner, y))))


_DIV_NO_NAN = _defop("tf.div_no_nan", _div_no_nan_fwd, _div_no_nan_vjp,
                     shape_rule=_trunc_rule)


@_export
def div_no_nan(x, y, name=None):
    """``x / y``, and 0 where ``y`` is 0 -- its gradient too: TF's DivNoNan, broadcasting
    ((80, 1) by (1, 24)); integers are divided as floats (int32 -> float64, as
    ``tf.truediv``).

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.div_no_nan([1.0, 2.0], [0.0, 4.0]))
    array([0. , 0.5], dtype=float32)
    """
    def f():
        a, b = convert_same([x, y], names=("x", "y"), op_type="DivNoNan")
        dt = _dt(a)
        _op_dtypes.check("div_no_nan", dt)
        if dt.kind in "iu":
            a = _nd.astype(a, _int_to_float(dt))
            b = _nd.astype(b, _int_to_float(dt))
        return apply(_DIV_NO_NAN, (a, b))
    return build(name, "div_no_nan", f, graph_args=(x, y))


# -- xlogy, xlog1py, xdivy: 0 where x is 0 ---------------------------------------------
def _x_or_zero_fwd(kind):
    """The forward of ``kind``: ``x * log(y)``, ``x * log1p(y)`` or ``x / y`` where ``x``
    is not 0, and 0 where it is (``y`` read as a safe value there), as TF's kernels."""
    def fwd(xp, x, y):
        is0 = x == 0
        if kind == "xlogy":
            q = x * xp.log(xp.where(is0, xp.ones_like(y), y))
        elif kind == "xlog1py":
            q = x * xp.log1p(xp.where(is0, xp.zeros_like(y), y))
        else:
            q = x / xp.where(is0, xp.ones_like(y), y)
        return xp.where(is0, xp.zeros_like(q), q)
    if kind != "xdivy":
        fwd = _quiet_forward(fwd)
    return fwd


def _quiet_forward(fwd):
    # (log(0) where x is not 0 is -inf, as TF's, which reports no floating-point error)
    def quiet(xp, x, y):
        with np.errstate(all="ignore"):
            return fwd(xp, x, y)
    return quiet


def _x_or_zero_vjp(kind):
    """TF's gradients (_XLogyGrad, _XLog1pyGrad, _XDivyGrad), written with these ops as
    TF's are (so their own gradients are TF's too): the cotangent times each partial
    derivative, which is 0 where ``x`` is 0 -- a product, so a nan or inf cotangent
    gives nan there (a select gave 0)."""
    def vjp(xp, g, ans, x, y):
        def op(k, a, b):
            return _tops.call(_X_OR_ZERO[k], xp, (a, b))
        nz = xp.astype(x != 0, x.dtype)
        if kind == "xlogy":
            px, py = op("xlogy", nz, y), op("xdivy", x, y)
        elif kind == "xlog1py":
            px, py = op("xlog1py", nz, y), op("xdivy", x, y + 1)
        else:
            px, py = op("xdivy", nz, y), op("xdivy", -x, y * y)
        return (g * px, g * py)
    return vjp


_X_OR_ZERO = {kind: _defop(f"tf.{kind}", _x_or_zero_fwd(kind), _x_or_zero_vjp(kind),
                           shape_rule=_trunc_rule)
              for kind in ("xlogy", "xlog1py", "xdivy")}


def _x_or_zero(x, y, kind, op_type):
    def f():
        a, b = convert_same([x, y], names=("x", "y"), op_type=op_type)
        _op_dtypes.check(kind, _dt(a))
        return apply(_X_OR_ZERO[kind], (a, b))
    return f


@_export
def xlogy(x, y, name=None):
    """``x * log(y)``, and 0 where ``x`` is 0 (also where ``y`` is 0), as TF's Xlogy,
    computed in the operands' dtype; its gradient is TF's: the cotangent times 0 for both
    operands where ``x`` is 0 (not ``log(y)``), else times ``log(y)`` and ``x / y``.

    >>> import ndgrad.tf as tf
    >>> x = tf.constant([0.0, 2.0], tf.float64)
    >>> with tf.Session() as s:
    ...     print(s.run(tf.math.xlogy(x, [0.0, 3.0])))
    [0.         2.19722458]
    """
    return build(name, "Xlogy", _x_or_zero(x, y, "xlogy", "Xlogy"), graph_args=(x, y))


@_export
def xlog1py(x, y, name=None):
    """``x * log1p(y)``, and 0 where ``x`` is 0, as TF's Xlog1py; its gradient is TF's:
    the cotangent times 0 for both operands where ``x`` is 0, else times ``log1p(y)``
    and ``x / (1 + y)``.

    >>> import ndgrad.tf as tf
    >>> x = tf.constant([0.0, 2.0], tf.float64)
    >>> with tf.Session() as s:
    ...     print(s.run(tf.math.xlog1py(x, [-1.0, 3.0])))
    [0.         2.77258872]
    """
    return build(name, "Xlog1py", _x_or_zero(x, y, "xlog1py", "Xlog1py"),
                 graph_args=(x, y))


@_export
def xdivy(x, y, name=None):
    """``x / y``, and 0 where ``x`` is 0 (also where ``y`` is 0), as TF's Xdivy; its
    gradient is TF's: the cotangent times 0 where ``x`` is 0, else times ``1 / y`` and
    ``-x / y**2``.

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.math.xdivy([0.0, 3.0, 0.0], [0.0, 2.0, 5.0]))
    array([0. , 1.5, 0. ], dtype=float32)
    """
    return build(name, "Xdivy", _x_or_zero(x, y, "xdivy", "Xdivy"), graph_args=(x, y))


@_export
def clip_by_value(t, clip_value_min, clip_value_max, name=None):
    """``t`` clamped to ``[clip_value_min, clip_value_max]``.

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.clip_by_value([-2.0, 0.5, 3.0], 0.0, 1.0))
    array([0. , 0.5, 1. ], dtype=float32)
    """
    def f():
        a, lo, hi = convert_same([t, clip_value_min, clip_value_max],
                                 names=("t", "clip_value_min", "clip_value_max"),
                                 op_type="ClipByValue")
        out = _nd.clip(a, lo, hi)
        sa, so = _static_shape(a), _static_shape(out)
        if not compatible(sa, so):
            # TF: the bounds broadcast to t, never t to the bounds
            raise ValueError(f"clip_by_value: the bounds would change the shape of t from "
                             f"{tuple(sa)} to {tuple(so)}")
        from .extra_ops import _slices, _from_slices
        sl = _slices(t)
        if sl is not None:
            # a gradient through gathers: TF clips the IndexedSlices' values, repeated
            # rows one by one, and the rows stay sparse (the summed dense gradient was
            # clipped, and every row updated: -2.5 where TF gives -5.5)
            return _from_slices(_nd.clip(sl[0], lo, hi), sl[1], a)
        return out
    return build(name, "clip_by_value", f, graph_args=(t,))


@_export
def where(condition, x=None, y=None, name=None):
    """With x and y: elements of x where condition, else y. Alone: the int64
    coordinates of the true elements, shape (n, rank).

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.where([True, False], [[1, 2], [3, 4]], [[5, 6], [7, 8]]))
    array([[1, 2],
           [7, 8]], dtype=int32)
    >>> tf.Session().run(tf.where([[True, False], [False, True]]))
    array([[0, 0],
           [1, 1]])
    """
    if (x is None) != (y is None):
        raise ValueError("x and y must both be non-None or both be None.")
    if x is None:
        return build(name, "Where", lambda: apply(_tops.WHERE_INDICES, (_x(condition),)),
                     graph_args=(condition,))

    def f():
        c = _x(condition, dtype=np.bool_)
        a, b = convert_same([x, y], op_type="Select")
        _check_select(_static_shape(c), _static_shape(a), _static_shape(b))
        return apply(SELECT, (c, a, b))
    return build(name, "Select", f, graph_args=(condition, x, y))


@_export
def where_v2(condition, x=None, y=None, name=None):
    """TF's ``where_v2``: with x and y, the three broadcast against each other (NumPy's
    rule: ``tf.where``'s vector condition picks rows, this one's picks along the last
    axis); alone, the coordinates of the true elements.

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.where_v2([True, False], [[1, 2], [3, 4]], [[5, 6], [7, 8]]))
    array([[1, 6],
           [3, 8]], dtype=int32)
    """
    if (x is None) != (y is None):
        raise ValueError("x and y must both be non-None or both be None.")
    if x is None:
        return where(condition, name=name)

    def f():
        c = _x(condition, dtype=np.bool_)
        a, b = convert_same([x, y], op_type="SelectV2")
        return apply(_reg("where"), (c, a, b))
    return build(name, "SelectV2", f, graph_args=(condition, x, y))


def compatible(s1, s2):
    """Whether two static shapes (tuples with None for unknown dimensions, or None for an
    unknown rank) can be the same shape at run time (TensorShape's rule)."""
    return _as_shape(s1).is_compatible_with(s2)


def _check_select(sc, sa, sb):
    """TF1's Select (``tf.where`` with x and y) does not broadcast: x and y have one
    shape, and the condition has it too, or is a scalar, or is a vector over x's first
    dimension that picks whole rows (NumPy's broadcasting would align it with the *last*
    dimension: other rows or columns picked, silently). Refuses what TF refuses, from
    static shapes (None: not known) here at graph build and from the values' shapes at
    run time (``_select_forward``)."""
    if sa is None or sb is None or sc is None:
        return
    if not compatible(sa, sb):
        raise ValueError(f"tf.where: x of shape {tuple(sa)} and y of shape {tuple(sb)} must "
                         "have the same shape (TF1's where does not broadcast; "
                         "tf.where_v2 does)")
    if len(sc) == 0 or compatible(sc, sa):
        return
    if len(sc) == 1 and len(sa) > 1:
        if sc[0] is not None and sa[0] is not None and sc[0] != sa[0]:
            raise ValueError(f"tf.where: a vector condition of length {sc[0]} picks rows "
                             f"of x, whose first dimension is {sa[0]} (shape {tuple(sa)})")
        return
    raise ValueError(f"tf.where: the condition of shape {tuple(sc)} must have x's shape "
                     f"{tuple(sa)}, be a scalar, or be a vector over x's first dimension")


def _select_forward(xp, c, a, b):
    """TF1's Select on values: ``_check_select`` on their shapes (known here even where
    the graph's are not), then a vector condition over x's rows shaped to pick rows."""
    sc, sa = tuple(c.shape), tuple(a.shape)
    _check_select(sc, sa, tuple(b.shape))
    if len(sc) == 1 and len(sa) > 1:
        c = xp.reshape(c, (-1,) + (1,) * (len(sa) - 1))
    return xp.where(c, a, b)


def _select_vjp(xp, g, ans, c, a, b):
    z = xp.zeros_like(g)
    return (None, _tops.call(SELECT, xp, (c, g, z)), _tops.call(SELECT, xp, (c, z, g)))


SELECT = _defop("tf.select", _select_forward, _select_vjp,
                shape_rule=lambda args, params: [
                    (args[1]._shape if args[1]._shape is not None else args[2]._shape,
                     args[1]._np_dtype)])


# -- reductions --------------------------------------------------------------------------
def _axes_arg(axis, reduction_indices, keepdims, keep_dims):
    if reduction_indices is not None:
        if axis is not None:
            raise ValueError("Can not specify both 'axis' and 'reduction_indices'.")
        axis = reduction_indices
    if keep_dims is not None:
        if keepdims is not None:
            raise ValueError("Can not specify both 'keepdims' and 'keep_dims'.")
        keepdims = keep_dims
    if isinstance(axis, Tensor):
        raise TypeError("a reduction axis given as a symbolic tensor is not supported")
    if axis is not None:
        arr = np.asarray(axis)
        if arr.ndim > 1:
            raise ValueError(f"reduction axis must be at most rank 1 (a scalar or a list "
                             f"of axes), got {axis!r} of shape {arr.shape}")
        axis = tuple(int(a) for a in arr.reshape(-1).tolist())
    return axis, builtins.bool(keepdims)


def _distinct_axes(axes, t):
    """``axes`` with each axis once (TF's reductions take ``(0, 0)`` and, for rank 2,
    ``(0, -2)``: one axis named twice is reduced once), where ``t``'s rank is known and
    every axis is in its range (out of range is the reduction's own error). In the order
    given: reduce_prod's gradient, as TF's, moves the reduced axes to the front in it
    (a reduction's value does not depend on it)."""
    if axes is None or len(axes) < 2:
        return axes
    shape = _static_shape(t)
    if shape is None or not shape:
        return axes
    r = len(shape)
    if not all(-r <= a < r for a in axes):
        return axes
    return tuple(dict.fromkeys(a % r for a in axes))


def _make_reduce(kind, tfname):
    op = _tops.REDUCE[kind]

    def f(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None,
          keep_dims=None):
        axes, kd = _axes_arg(axis, reduction_indices, keepdims, keep_dims)

        def g():
            t = _x(input_tensor)
            _op_dtypes.check(f"reduce_{kind}", _dt(t), "input")
            return apply(op, (t,), {"axes": _distinct_axes(axes, t), "keepdims": kd})
        return build(name, tfname, g, graph_args=(input_tensor,))
    f.__name__ = f"reduce_{kind}"
    f.__doc__ = (f"``reduce_{kind}(input_tensor, axis=None, keepdims=None, name=None, "
                 f"reduction_indices=None, keep_dims=None)``: TF's {tfname} over ``axis`` "
                 "(all axes by default).")
    return f


# the generated reductions' docstring examples (as _ELEMENTWISE_EXAMPLES: typed from
# TensorFlow's output)
_REDUCE_EXAMPLES = {
    "sum": ("tf.Session().run(tf.reduce_sum([[1, 2], [3, 4]], axis=0))",
            "array([4, 6], dtype=int32)"),
    "mean": ("tf.Session().run(tf.reduce_mean([[1.0, 2.0], [3.0, 5.0]], axis=1, keepdims=True))",
             "array([[1.5],\n       [4. ]], dtype=float32)"),
    "max": ("tf.Session().run(tf.reduce_max([[1, 5], [4, 2]], axis=1))",
            "array([5, 4], dtype=int32)"),
    "min": ("tf.Session().run(tf.reduce_min([[1, 5], [4, 2]], reduction_indices=0))",
            "array([1, 2], dtype=int32)"),
    "prod": ("tf.Session().run(tf.reduce_prod([[1.0, 2.0], [3.0, 4.0]], axis=1))",
             "array([ 2., 12.], dtype=float32)"),
    "any": ("tf.Session().run(tf.reduce_any([[True, False], [False, False]], axis=1))",
            "array([ True, False])"),
    "all": ("tf.Session().run(tf.reduce_all([[True, False], [True, True]], axis=1))",
            "array([False,  True])"),
}

for _k, _t in [("sum", "Sum"), ("mean", "Mean"), ("max", "Max"), ("min", "Min"),
               ("prod", "Prod"), ("any", "Any"), ("all", "All")]:
    globals()[f"reduce_{_k}"] = _make_reduce(_k, _t)
    globals()[f"reduce_{_k}"].__doc__ = _with_example(globals()[f"reduce_{_k}"].__doc__,
                                                      _REDUCE_EXAMPLES[_k])
    __all__.append(f"reduce_{_k}")


@_export
def reduce_logsumexp(input_tensor, axis=None, keepdims=None, name=None,
                     reduction_indices=None, keep_dims=None):
    """``log(reduce_sum(exp(input_tensor)))`` over ``axis`` (all axes by default), worked
    out stably: shifted by the maximum, so large or very negative values do not overflow.

    >>> import ndgrad.tf as tf
    >>> x = [[0.0, 0.0], [1.0, -1000.0]]
    >>> tf.Session().run(tf.reduce_logsumexp(x, axis=1)).round(5)
    array([0.69315, 1.     ], dtype=float32)
    """
    axes0, kd = _axes_arg(axis, reduction_indices, keepdims, keep_dims)

    def f():
        t = _x(input_tensor)
        _op_dtypes.check("reduce_logsumexp", _dt(t), "input_tensor")
        axes = _distinct_axes(axes0, t)
        raw = reduce_max(t, axis=axes, keepdims=True)
        # a shift that is not finite (every value -inf, or one +inf) is taken as 0, as
        # TF's: -inf - -inf would make the result NaN where TF's is -inf (or +inf)
        m = stop_gradient(where(is_finite(raw), raw, zeros_like(raw)))  # noqa: F821
        s = reduce_sum(exp(t - m), axis=axes, keepdims=True)  # noqa: F821
        out = log(s) + m  # noqa: F821
        if not kd:
            out = squeeze(out, axis=list(axes) if axes is not None else None)
        return out
    return build(name, "ReduceLogSumExp", f, graph_args=(input_tensor,))


@_export
def reduce_variance(input_tensor, axis=None, keepdims=False, name=None):
    """The variance over ``axis`` (all axes by default), as TF computes it: the mean of
    the squared deviations from the mean (``|x - mean|**2`` for complex input, a real
    result); integer input is refused.

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     print(s.run(tf.math.reduce_variance(tf.constant([[1.0, 2.0], [3.0, 4.0]]), 0)))
    [1. 1.]
    """
    def f():
        t = _x(input_tensor)
        if _dt(t).kind not in "fc":
            raise TypeError(f"Input must be either real or complex, got {_dt(t).name}")
        diff = t - reduce_mean(t, axis=axis, keepdims=True)
        if _dt(t).kind == "c":
            sq = real(diff * conj(diff))   # noqa: F821 (defined from _UNARIES)
        else:
            sq = square(diff)              # noqa: F821
        return reduce_mean(sq, axis=axis, keepdims=keepdims)   # noqa: F821
    return build(name, "reduce_variance", f, graph_args=(input_tensor,))


@_export
def reduce_std(input_tensor, axis=None, keepdims=False, name=None):
    """The standard deviation over ``axis``: ``sqrt(reduce_variance(...))`` (TF's).

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     print(s.run(tf.math.reduce_std(tf.constant([1.0, 3.0]))))
    1.0
    """
    return build(name, "reduce_std", lambda: sqrt(   # noqa: F821
        reduce_variance(input_tensor, axis=axis, keepdims=keepdims)),
        graph_args=(input_tensor,))


def _argm(op, tfname, pyname):
    def f(input, axis=None, name=None, dimension=None, output_type=np.int64):  # noqa: A002
        if dimension is not None:
            if axis is not None:
                raise ValueError("Cannot specify both 'axis' and 'dimension'")
            axis = dimension
        axis = 0 if axis is None else int(axis)

        def g():
            t = _x(input)
            _op_dtypes.check(pyname, _dt(t), "input")
            return apply(op, (t,), {"axis": axis, "output_type": np_dtype(output_type)})
        return build(name, tfname, g, graph_args=(input,))
    return f


argmax = _argm(_tops.ARGMAX, "ArgMax", "argmax")
argmin = _argm(_tops.ARGMIN, "ArgMin", "argmin")
arg_max, arg_min = argmax, argmin          # TF 0.x names
argmax.__doc__ = """The int64 index of the largest value along ``axis`` (0 by default; TF 0.x's
``dimension`` too); ``output_type=tf.int32`` for int32 indices.

>>> import ndgrad.tf as tf
>>> tf.Session().run(tf.argmax([[1, 9, 3], [8, 2, 7]], axis=1))
array([1, 0])
>>> tf.Session().run(tf.argmax([[1, 9, 3], [8, 2, 7]]))
array([1, 0, 1])
"""
argmin.__doc__ = """The int64 index of the smallest value along ``axis`` (0 by default; TF
0.x's ``dimension`` too); ``output_type=tf.int32`` for int32 indices.

>>> import ndgrad.tf as tf
>>> tf.Session().run(tf.argmin([[1, 9, 3], [8, 2, 7]], axis=1))
array([0, 1])
>>> tf.Session().run(tf.argmin([[1, 9, 3], [8, 2, 7]], output_type=tf.int32))
array([0, 1, 0], dtype=int32)
"""
__all__ += ["argmax", "argmin", "arg_max", "arg_min"]


# -- linear algebra ----------------------------------------------------------------------
def _assert_rank_fwd(xp, x, rank, what):
    if x.ndim != rank:
        raise ValueError(f"MatMul: input '{what}' (given with an unknown rank) has shape "
                         f"{tuple(x.shape)} at run time; rank {rank} was needed")
    return x


_ASSERT_RANK = _defop("tf.ensure_rank", _assert_rank_fwd,
                      lambda xp, g, ans, x, rank, what: (g,), save="none",
                      shape_rule=lambda args, params: [((None,) * params["rank"],
                                                        args[0]._np_dtype)])


def _rank_known(t, what):
    """``t``'s static shape, or a ValueError naming it when its rank is unknown."""
    s = _static_shape(t)
    if s is None:
        raise ValueError(f"{what} needs the rank of {t.name}, which is unknown; give the "
                         "placeholder a shape (dims may be None)")
    return s


def _axis_of(axis, ts, what):
    """``axis`` made non-negative with the first known rank among ``ts``."""
    for t in ts:
        s = _static_shape(t)
        if s is not None:
            if not -max(len(s), 1) <= axis < max(len(s), 1):
                raise ValueError(f"{what}: axis {axis} is out of range for {t.name} of "
                                 f"shape {t.shape}")
            return axis % max(len(s), 1)
    if axis < 0:
        _rank_known(ts[0], f"{what} with a negative axis")
    return axis


@_export
def matmul(a, b, transpose_a=False, transpose_b=False, adjoint_a=False, adjoint_b=False,
           a_is_sparse=False, b_is_sparse=False, name=None):
    """Matrix product, with either operand transposed (``transpose_*``) or conjugate-
    transposed (``adjoint_*``) first.

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.matmul([[1j, 2.0]], [[1j, 2.0]], adjoint_b=True))
    array([[5.+0.j]])
    """
    if transpose_a and adjoint_a:
        raise ValueError("Only one of transpose_a and adjoint_a can be True.")
    if transpose_b and adjoint_b:
        raise ValueError("Only one of transpose_b and adjoint_b can be True.")

    def f():
        x, y = convert_same([a, b], names=("a", "b"), op_type="MatMul")
        if _dt(x).kind not in "fiuc":
            raise TypeError(f"Value passed to parameter 'a' has DataType {_dt(x).name} not "
                            "in list of allowed values")
        for t, nm in ((x, "a"), (y, "b")):
            s = _static_shape(t)
            if s is not None and len(s) < 2:
                raise ValueError(f"Shape must be rank 2 but is rank {len(s)} for 'MatMul' "
                                 f"(input '{nm}' has shape {t.shape})")
        # an operand of unknown rank: the other's rank, checked when run (TF would pick
        # a batched matmul; the rank it gets at run time must then match)
        rx, ry = _static_shape(x), _static_shape(y)
        if rx is None and ry is not None:
            x = apply(_ASSERT_RANK, (x,), {"rank": len(ry), "what": "a"})
        elif ry is None and rx is not None:
            y = apply(_ASSERT_RANK, (y,), {"rank": len(rx), "what": "b"})
        elif rx is None and ry is None:
            x = apply(_ASSERT_RANK, (x,), {"rank": 2, "what": "a"})
            y = apply(_ASSERT_RANK, (y,), {"rank": 2, "what": "b"})
        if transpose_a or adjoint_a:
            x = apply(_tops.TRANSPOSE_LAST2, (x,))
            if adjoint_a and _dt(x).kind == "c":
                x = _nd.conj(x)
        if transpose_b or adjoint_b:
            y = apply(_tops.TRANSPOSE_LAST2, (y,))
            if adjoint_b and _dt(y).kind == "c":
                y = _nd.conj(y)
        return apply(REGISTRY["matmul"], (x, y))
    return build(name, "MatMul", f, graph_args=(a, b))


@_export
def tensordot(a, b, axes, name=None):
    """The sum of products over axes of ``a`` and ``b``: ``axes`` is the number of last
    axes of ``a`` summed with as many first axes of ``b``, or two lists of axes.

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.tensordot([[1.0, 2.0], [3.0, 4.0]], [1.0, 10.0], axes=1))
    array([21., 43.], dtype=float32)
    """
    def f():
        x, y = convert_same([a, b], names=("a", "b"), op_type="MatMul")
        return _nd.tensordot(x, y, axes=axes)
    return build(name, "Tensordot", f, graph_args=(a, b))


# -- shapes ------------------------------------------------------------------------------
@_export
def reshape(tensor, shape, name=None):
    """``tensor`` with a new shape (one dim may be -1; the shape may hold tensors).

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.reshape(tf.range(6), [2, -1]))
    array([[0, 1, 2],
           [3, 4, 5]], dtype=int32)
    """
    def f():
        t = _x(tensor)
        if _is_dynamic(shape):
            s, static = _shape_tensor(shape)
            return apply(_tops.RESHAPE_DYN, (t, s), {"static": static})
        return apply(_tops.RESHAPE, (t,), {"shape": _shape_arg_neg(shape)})
    return build(name, "Reshape", f, graph_args=(tensor,))


def _shape_arg_neg(shape):
    if isinstance(shape, Tensor):
        raise TypeError("a shape given as a symbolic tensor is not supported; pass a tuple")
    if isinstance(shape, (int, np.integer)):
        return (int(shape),)
    if hasattr(shape, "as_list"):
        shape = [-1 if s is None else s for s in shape.as_list()]
    return tuple(int(s) for s in shape)


@_export
def shape(input, name=None, out_type=np.int32):  # noqa: A002
    """The shape of ``input`` as a 1-D int32 tensor (a constant when it is static).

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.shape(tf.zeros([2, 3])))
    array([2, 3], dtype=int32)
    """
    t = _x(input)
    dt = np_dtype(out_type)
    if _fw.executing_eagerly():
        return _nd.asarray(np.asarray(t.shape, dtype=dt))
    s = t._shape
    if s is not None and None not in s:
        return _fw.get_default_graph().constant(np.asarray(s, dtype=dt), name=name or
                                                "Shape")
    return build(name, "Shape", lambda: apply(_SHAPE_OP, (t,), {"dtype": dt}),
                 graph_args=(t,))


_SHAPE_OP = _defop(
    "tf.shape", lambda xp, x, dtype: np.asarray(np.shape(x), dtype=dtype), None,
    shape_rule=lambda args, params: [((None if args[0]._shape is None else
                                       len(args[0]._shape),), np.dtype(params["dtype"]))],
    nondiff="integer result", save="none")


@_export
def size(input, name=None, out_type=np.int32):  # noqa: A002
    """The number of elements of ``input``, an int32 scalar (``out_type``).

    >>> import ndgrad.tf as tf
    >>> print(tf.Session().run(tf.size(tf.zeros([2, 3]))))
    6
    """
    t = _x(input)
    if isinstance(t, Tensor) and t._shape is not None and None not in t._shape:
        return constant(int(np.prod(t._shape)), dtype=out_type, name=name or "Size")
    return build(name, "Size", lambda: reduce_prod(shape(t, out_type=out_type)),  # noqa
                 graph_args=(t,))


@_export
def rank(input, name=None):  # noqa: A002
    """The number of dimensions of ``input`` (a constant when the rank is static, else
    computed in the run from the fed value's shape).

    >>> import ndgrad.tf as tf
    >>> print(tf.Session().run(tf.rank(tf.zeros([2, 3]))))
    2
    """
    t = _x(input)
    s = _static_shape(t)
    if s is not None:
        return constant(len(s), dtype=np.int32, name=name or "Rank")
    return build(name, "Rank", lambda: size(shape(t)), graph_args=(t,))


@_export
def transpose(a, perm=None, name="transpose", conjugate=False):
    """``a`` with its axes permuted (reversed by default); ``conjugate`` also conjugates
    complex values (TF's ``conjugate_transpose``).

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.transpose([[1, 2, 3]]))
    array([[1],
           [2],
           [3]], dtype=int32)
    >>> tf.Session().run(tf.transpose(tf.zeros([2, 3, 4]), perm=[2, 0, 1])).shape
    (4, 2, 3)
    """
    def f():
        t = _x(a)
        p = perm
        if p is None:
            if _static_shape(t) is None:
                return apply(_REVERSE_AXES, (t,))     # the rank is known at run time
            n = len(_static_shape(t))
            p = tuple(builtins.range(n - 1, -1, -1))
        out = apply(_tops.TRANSPOSE, (t,), {"perm": tuple(int(i) for i in p)})
        if conjugate and _dt(t).kind == "c":
            out = _nd.conj(out)
        return out
    return build(name, "transpose", f, graph_args=(a,))


@_export
def concat(values, axis, name="concat"):
    """Join tensors along an existing axis (TF 0.x's ``concat(axis, values)`` order is
    accepted too).

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.concat([[[1, 2]], [[3, 4]]], axis=1))
    array([[1, 2, 3, 4]], dtype=int32)
    """
    if isinstance(values, (int, np.integer)) and isinstance(axis, (list, tuple)):
        values, axis = axis, values

    def f():
        ts = convert_same(list(values), names=[f"values_{i}" for i in builtins.range(
            len(values))], op_type="ConcatV2")
        ax = _axis_of(int(axis), ts, "concat")
        if len(ts) == 1:
            return apply(_tops.IDENTITY, (ts[0],))
        return apply(_tops.CONCAT, tuple(ts), {"axis": ax})
    return build(name, "concat", f, graph_args=tuple(values))


@_export
def stack(values, axis=0, name="stack"):
    """Join tensors of one shape along a new axis.

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.stack([[1, 2], [3, 4]], axis=1))
    array([[1, 3],
           [2, 4]], dtype=int32)
    """
    def f():
        ts = convert_same(list(values), names=[f"values_{i}" for i in builtins.range(
            len(values))], op_type="Pack")
        shapes = [_static_shape(t) for t in ts]
        if any(s is None for s in shapes):
            if int(axis) < 0:
                _rank_known(ts[[s is None for s in shapes].index(True)], "stack with a "
                            "negative axis")
            ex = [expand_dims(t, axis) for t in ts]  # noqa: F821
            return apply(_tops.CONCAT, tuple(ex), {"axis": int(axis)}) \
                if len(ex) > 1 else apply(_tops.IDENTITY, (ex[0],))
        for s in shapes[1:]:
            if len(s) != len(shapes[0]) or any(a is not None and b is not None and a != b
                                               for a, b in zip(s, shapes[0])):
                raise ValueError(f"Shapes {shapes[0]} and {s} are not compatible".replace(
                    "None", "?"))
        ex = [expand_dims(t, axis) for t in ts]  # noqa: F821
        return apply(_tops.CONCAT, tuple(ex), {"axis": int(axis) % (len(shapes[0]) + 1)}) \
            if len(ex) > 1 else apply(_tops.IDENTITY, (ex[0],))
    return build(name, "stack", f, graph_args=tuple(values))


pack = stack
__all__.append("pack")


@_export
def unstack(value, num=None, axis=0, name="unstack"):
    """The slices of ``value`` along ``axis``, as a list.

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.unstack([[1, 2], [3, 4]], axis=1))
    [array([1, 3], dtype=int32), array([2, 4], dtype=int32)]
    """
    def f():
        t = _x(value)
        s = _static_shape(t)
        if s is None and num is not None and axis >= 0:
            return [t[(builtins.slice(None),) * axis + (i,)] for i in builtins.range(num)]
        s = _rank_known(t, "unstack without num or with a negative axis")
        n = num if num is not None else s[axis]
        if n is None:
            raise ValueError(f"Cannot infer num from shape {s}")
        ax = axis % len(s)
        return [t[(builtins.slice(None),) * ax + (i,)] for i in builtins.range(n)]
    return build(name, "unstack", f, graph_args=(value,))


unpack = unstack
__all__.append("unpack")


def _split_even_fwd(xp, x, num, axis):
    d = x.shape[axis]
    if d % num:
        raise ValueError(f"Dimension size must be evenly divisible by {num} but is {d} "
                         f"for 'split' of a tensor of shape {tuple(x.shape)}")
    return _tops._split_fwd(xp, x, (d // num,) * num, axis)


def _split_even_rule(args, params):
    x = args[0]
    shape = None if x._shape is None else tuple(
        None if i == params["axis"] else d for i, d in enumerate(x._shape))
    return [(shape, x._np_dtype)] * params["num"]


_SPLIT_EVEN = _defop("tf.split_even", _split_even_fwd,
                     lambda xp, gs, ans, x, num, axis: (_tops.call(
                         _tops.CONCAT, xp, tuple(gs), {"axis": axis}),),
                     save="ans", multi=True, shape_rule=_split_even_rule)


@_export
def split(value=None, num_or_size_splits=None, axis=0, num=None, name="split",
          split_dim=None, num_split=None):
    """Pieces of ``value`` along ``axis``: ``n`` equal ones, or of the given sizes (TF
    0.x's ``split(split_dim, num_split, value)`` order is accepted too).

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.split([1, 2, 3, 4, 5], [2, -1]))
    [array([1, 2], dtype=int32), array([3, 4, 5], dtype=int32)]
    >>> [a.shape for a in tf.Session().run(tf.split(tf.zeros([2, 6]), 3, axis=1))]
    [(2, 2), (2, 2), (2, 2)]
    """
    if split_dim is not None or num_split is not None:
        axis = split_dim if split_dim is not None else axis
        num_or_size_splits = num_split
    elif isinstance(value, (int, np.integer)) and isinstance(num_or_size_splits,
                                                             (int, np.integer)) \
            and not isinstance(axis, (int, np.integer)):
        value, num_or_size_splits, axis = axis, num_or_size_splits, value

    def f():
        t = _x(value)
        ax = _axis_of(int(axis), [t], "split")
        s = _static_shape(t)
        if s is None:
            s = (None,) * (ax + 1)
        if isinstance(num_or_size_splits, numbers.Integral):
            n = int(num_or_size_splits)
            d = s[ax]
            if n < 1:
                raise ValueError(f"split: num_or_size_splits must be at least 1, got {n}")
            if d is None:
                # known only at run time: n equal pieces, checked when run
                return list(apply(_SPLIT_EVEN, (t,), {"num": n, "axis": ax}))
            if d % n:
                raise ValueError(f"Dimension size must be evenly divisible by {n} but is "
                                 f"{d} for 'split' with input shapes: {t.shape}")
            sizes = (d // n,) * n
        else:
            sizes = tuple(int(v) for v in num_or_size_splits)
            d = s[ax]
            if sizes.count(-1) > 1 or any(v < -1 for v in sizes):
                raise ValueError(f"split: size_splits may hold one -1 and otherwise "
                                 f"non-negative sizes, got {list(sizes)}")
            rest = sum(v for v in sizes if v != -1)
            if d is not None and (rest > d if -1 in sizes else rest != d):
                raise ValueError(f"split: size_splits {list(sizes)} do not fit dimension "
                                 f"{ax} of size {d} (shape {t.shape})")
        return list(apply(_tops.SPLIT, (t,), {"sizes": sizes, "axis": ax}))
    return build(name, "split", f, graph_args=(value,))


_SQUEEZE_ALL = _defop("tf.squeeze_all", lambda xp, x: xp.squeeze(
    x, axis=tuple(i for i, d in enumerate(x.shape) if d == 1)),
    lambda xp, g, ans, x: (_dyn.reshape_like(xp, g, x),), save="inputs",
    shape_rule=lambda args, params: [(None, args[0]._np_dtype)])
_REVERSE_AXES = _defop("tf.transpose_reversed",
                       lambda xp, x: xp.permute_dims(x, tuple(builtins.range(x.ndim))[::-1]),
                       lambda xp, g, ans, x: (_tops.call(_REVERSE_AXES, xp, (g,)),),
                       save="none", shape_rule=lambda args, params: [
                           (None if args[0]._shape is None else tuple(args[0]._shape)[::-1],
                            args[0]._np_dtype)])


@_export
def squeeze(input, axis=None, name=None, squeeze_dims=None):  # noqa: A002
    """``input`` without its size-1 dims (or only those in ``axis``).

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.squeeze(tf.zeros([1, 2, 1]))).shape
    (2,)
    >>> tf.Session().run(tf.squeeze(tf.zeros([1, 2, 1]), axis=[2])).shape
    (1, 2)
    """
    if squeeze_dims is not None:
        axis = squeeze_dims

    def f():
        t = _x(input)
        s = _static_shape(t)
        if axis is None or isinstance(axis, (list, tuple)) and len(axis) == 0:
            # TF: an empty axis list squeezes every size-1 dim, as None does
            if s is None or None in s:
                # which dims are 1 is known only at run time
                return apply(_SQUEEZE_ALL, (t,))
            ax = tuple(i for i, d in enumerate(s) if d == 1)
        else:
            ax = []
            for a in (axis if isinstance(axis, (list, tuple)) else [axis]):
                a = int(a)
                if s is not None and not -len(s) <= a < len(s):
                    raise ValueError(f"Tried to squeeze dim index {a} for tensor with "
                                     f"{len(s)} dimensions.")
                # (an unknown rank keeps a negative axis: squeezed from the end when run)
                ax.append(a if s is None else a % len(s))
            ax = tuple(ax)
            for a in ax if s is not None else ():
                if s[a] is not None and s[a] != 1:
                    raise ValueError(f"Can not squeeze dim[{a}], expected a dimension of 1, "
                                     f"got {s[a]} for 'Squeeze' with input shapes: "
                                     f"{t.shape}.")
        return apply(_tops.SQUEEZE, (t,), {"axis": ax})
    return build(name, "Squeeze", f, graph_args=(input,))


@_export
def expand_dims(input, axis=None, name=None, dim=None):  # noqa: A002
    """``input`` with a new size-1 dim at ``axis``.

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.expand_dims([1, 2], -1))
    array([[1],
           [2]], dtype=int32)
    """
    if dim is not None:
        axis = dim

    def f():
        t = _x(input)
        a = int(axis)
        if a < 0:
            rank = len(_rank_known(t, "expand_dims with a negative axis"))
            if a < -rank - 1:  # TF: axis in [-rank - 1, rank]
                raise ValueError(f"expand_dims: axis {a} is out of range [{-rank - 1}, "
                                 f"{rank}] for a tensor of rank {rank}")
            a = a + rank + 1
        return apply(_tops.EXPAND_DIMS, (t,), {"axis": a})
    return build(name, "ExpandDims", f, graph_args=(input,))


@_export
def tile(input, multiples, name=None):  # noqa: A002
    """``input`` repeated ``multiples[i]`` times along each axis.

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.tile([[1, 2]], [2, 2]))
    array([[1, 2, 1, 2],
           [1, 2, 1, 2]], dtype=int32)
    """
    def const(v):
        # an integer graph constant's value (TF folds it into the static shape); other
        # tensors stay (a float one reaches the dtype check below)
        return (np.asarray(v._op._attrs["value"]) if isinstance(v, Tensor)
                and v._op._kind == "const" and v._np_dtype.kind in "iu" else v)

    def f():
        t = _x(input)
        mults = multiples
        if isinstance(mults, Tensor):
            mults = const(mults)
        elif isinstance(mults, (list, tuple)):
            mults = [const(v) for v in mults]
        if isinstance(mults, Tensor) or (isinstance(mults, (list, tuple)) and any(
                isinstance(v, Tensor) for v in mults)):
            # multiples known only in the run (TF's Tile takes a tensor)
            mt = convert_to_tensor(mults)
            if mt._np_dtype.kind not in "iu":
                raise TypeError(f"Value passed to parameter 'multiples' has DataType "
                                f"{mt._np_dtype.name} not in list of allowed values: "
                                "int32, int64")
            ms, xs = mt._shape, _static_shape(t)
            if ms is not None and (len(ms) != 1 or xs is not None and ms[0] is not None
                                   and ms[0] != len(xs)):
                raise ValueError(f"Shape must be rank {len(xs) if xs is not None else 1} "
                                 f"but is rank {len(ms)} for 'Tile'" if len(ms) != 1 else
                                 f"Dimension must be {len(xs)} but is {ms[0]} for 'Tile'")
            return apply(_tops.TILE_DYNAMIC, (t, mt), {})
        if any(np.asarray(v).dtype.kind not in "iu" for v in mults):
            # (int() would truncate 2.5 to 2: TF's int32 conversion refuses it)
            raise TypeError(f"Value passed to parameter 'multiples' must be integers "
                            f"(int32, int64), got {list(mults)!r}")
        m = tuple(int(v) for v in mults)
        if _static_shape(t) is not None and len(m) != len(_static_shape(t)):
            raise ValueError(f"Shape must be rank {len(_static_shape(t))} but is rank "
                             f"{len(m)} for 'Tile'")
        return apply(_tops.TILE, (t,), {"multiples": m})
    return build(name, "Tile", f, graph_args=(input,))


@_export
def gather(params, indices, validate_indices=None, name=None, axis=None, batch_dims=0):
    """Slices of ``params`` at integer ``indices`` along ``axis``; with ``batch_dims``
    the leading dimensions of both are batch dimensions, each batch row of ``indices``
    picking from its own row of ``params`` (``axis`` then defaults to ``batch_dims``).

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.gather([[1, 2], [3, 4], [5, 6]], [2, 0]))
    array([[5, 6],
           [1, 2]], dtype=int32)
    >>> tf.Session().run(tf.gather([[1, 2, 3], [4, 5, 6]], [2, 0], axis=1))
    array([[3, 1],
           [6, 4]], dtype=int32)
    >>> tf.Session().run(tf.gather([[1, 2, 3], [4, 5, 6]], [[2], [0]], batch_dims=1))
    array([[3],
           [4]], dtype=int32)
    """
    def f():
        p = _x(params)
        i = _x(indices)
        if _dt(i).kind not in "iu":
            raise TypeError(f"Value passed to parameter 'indices' has DataType {_dt(i).name}"
                            " not in list of allowed values: int32, int64")
        if not batch_dims:     # (0, or None as TF takes it)
            return apply(_tops.GATHER, (p, i), {"axis": _axis_of(
                0 if axis is None else int(axis), [p], "gather")})
        return _batch_gather(p, i, batch_dims, axis)
    return build(name, "GatherV2", f, graph_args=(params,))


def _batch_gather(p, i, batch_dims, axis):
    """``gather`` with batch dimensions (TF's rules for the arguments)."""
    from .array_ops import batched_gather
    ps, ix = _static_shape(p), _static_shape(i)
    if ps is None or ix is None:
        raise ValueError("gather with batch_dims: the ranks of params and indices must be "
                         "known when the graph is built")
    b = int(batch_dims)
    if b < 0:
        b += len(ix)
    if not 0 <= b <= len(ix):
        raise ValueError(f"batch_dims = {batch_dims} must be in [{-len(ix)}, {len(ix)}] "
                         f"for indices of rank {len(ix)}")
    a = b if axis is None else int(axis)
    if a < 0:
        a += len(ps)
    if not 0 <= a < len(ps):
        raise ValueError(f"axis = {axis} is out of range for params of rank {len(ps)}")
    if b > a:
        raise ValueError(f"batch_dims = {batch_dims} must be less than or equal to "
                         f"axis = {axis}")
    for d, (x, y) in enumerate(zip(ps[:b], ix[:b])):
        if x is not None and y is not None and x != y:
            raise ValueError(f"params.shape[:{b}] = {list(ps[:b])} and indices.shape[:{b}] "
                             f"= {list(ix[:b])} must be equal (the batch dimensions)")
    return batched_gather(p, i, b, a)


@_export
def slice(input_, begin, size, name=None):  # noqa: A001
    """The block of ``input_`` starting at ``begin`` of ``size`` (-1: to the end).

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.slice([[1, 2, 3], [4, 5, 6]], [0, 1], [2, -1]))
    array([[2, 3],
           [5, 6]], dtype=int32)
    """
    def f():
        t = _x(input_)
        bs = [int(b) for b in begin]
        ss = [int(s) for s in size]
        dims = t.shape.as_list() if hasattr(t.shape, "as_list") else list(t.shape)
        if len(bs) != len(dims) or len(ss) != len(dims):
            raise ValueError(f"Slice: begin {bs} and size {ss} need one entry per dimension "
                             f"of a tensor of shape {dims}")
        for k, (b, n, d) in enumerate(zip(bs, ss, dims)):
            # TF's checks (a negative begin, which Python slicing would take from the
            # end, or a block past the end, which it would cut short, is an error)
            if b < 0 or n < -1 or d is not None and (b > d or n != -1 and b + n > d):
                raise _fw_errors.InvalidArgumentError(
                    None, None, f"Expected begin[{k}] in [0, {d}] and size[{k}] in "
                    f"[0, {d} - begin[{k}]] (or -1), got begin {bs}, size {ss} for "
                    f"shape {dims}")
        key = tuple(builtins.slice(b, None if n == -1 else b + n) for b, n in zip(bs, ss))
        return _dyn.strided_slice(t, key)
    return build(name, "Slice", f, graph_args=(input_,))


@_export
def one_hot(indices, depth, on_value=None, off_value=None, axis=None, dtype=None,
            name=None):
    """One-hot rows: ``on_value`` (1) at each index, ``off_value`` (0) elsewhere.

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.one_hot([0, 2], 3))
    array([[1., 0., 0.],
           [0., 0., 1.]], dtype=float32)
    >>> tf.Session().run(tf.one_hot([1, -1], 2, on_value=5, off_value=-5))
    array([[-5,  5],
           [-5, -5]], dtype=int32)
    """
    def f():
        i = _x(indices)
        dt = np_dtype(dtype) if dtype is not None else (
            _fw.to_numpy_value(on_value).dtype if on_value is not None else np.dtype(
                np.float32))
        on = 1 if on_value is None else on_value
        off = 0 if off_value is None else off_value
        return apply(_tops.ONE_HOT, (i,), {"depth": int(depth), "on": on, "off": off,
                                           "axis": -1 if axis is None else int(axis),
                                           "dtype": dt})
    return build(name, "one_hot", f, graph_args=(indices,))


# -- bincount -----------------------------------------------------------------------------
def _bincount_fwd(xp, arr, size, dtype, static):
    """TF's Bincount kernel: how often each value in ``[0, size)`` occurs in ``arr``
    (values at or above ``size`` are skipped), in ``dtype``."""
    a = np.asarray(arr).reshape(-1)
    n = int(np.asarray(size))
    if n < 0:
        raise _fw_errors.InvalidArgumentError(None, None,
                                              f"size ({n}) must be non-negative")
    if a.size and a.min() < 0:
        raise _fw_errors.InvalidArgumentError(None, None, "Input arr must be non-negative!")
    return np.bincount(a[a < n], minlength=n)[:n].astype(dtype)


def _bincount_rule(args, params):
    return [((params["static"],), np.dtype(params["dtype"]))]


_BINCOUNT = _defop("tf.bincount", _bincount_fwd, None, shape_rule=_bincount_rule,
                   nondiff="TF registers no gradient for Bincount", save="none")


def _segment_sum_n_fwd(xp, data, ids, size, static):
    """TF's UnsortedSegmentSum with the number of segments a run-time value: rows of
    negative ids are dropped, an id at or above ``size`` is an error."""
    d, ids = np.asarray(data), np.asarray(ids)
    n = int(np.asarray(size))
    if d.shape[:ids.ndim] != ids.shape:
        raise _fw_errors.InvalidArgumentError(
            None, None, f"data.shape = {list(d.shape)} does not start with "
            f"segment_ids.shape = {list(ids.shape)}")
    if n < 0:
        raise _fw_errors.InvalidArgumentError(
            None, None, f"num_segments ({n}) must be non-negative")
    flat = ids.reshape(-1)
    bad = np.flatnonzero(flat >= n)
    if bad.size:
        k = int(bad[0])
        pos = ",".join(str(int(i)) for i in np.unravel_index(k, ids.shape)) if ids.ndim \
            else ""
        raise _fw_errors.InvalidArgumentError(
            None, None, f"segment_ids[{pos}] = {int(flat[k])} is out of range [0, {n})")
    out = np.zeros((n,) + d.shape[ids.ndim:], dtype=d.dtype)
    keep = ids >= 0
    np.add.at(out, ids[keep], d[keep])
    return out


def _segment_sum_n_vjp(xp, g, ans, data, ids, size, static):
    # TF's _UnsortedSegmentSumGrad: the cotangent gathered at the ids, 0 for negative ones
    from .array_ops import SEGMENT_GATHER
    return (_tops.call(SEGMENT_GATHER, xp, (g, ids)), None, None)


def _segment_sum_n_rule(args, params):
    d, ids = args[0], args[1]
    if d._shape is None or ids._shape is None:
        return [(None, d._np_dtype)]
    return [((params["static"],) + tuple(d._shape[len(ids._shape):]), d._np_dtype)]


_SEGMENT_SUM_N = _defop("tf.unsorted_segment_sum_n", _segment_sum_n_fwd,
                        _segment_sum_n_vjp, save="inputs", shape_rule=_segment_sum_n_rule)
_core.TF_TYPES.update({"tf.bincount": "Bincount",
                       "tf.unsorted_segment_sum_n": "UnsortedSegmentSum"})


def _const_value(v):
    """``v``'s value when it is known while building: a Python/NumPy value or a graph
    constant (None otherwise)."""
    if isinstance(v, Tensor):
        return np.asarray(v._op._attrs["value"]) if v._op._kind == "const" else None
    if isinstance(v, _registry.Array):
        return None
    try:
        return np.asarray(v)
    except Exception:   # (a nest of tensors)
        return None


@_export
def bincount(arr, weights=None, minlength=None, maxlength=None, dtype=np.int32):
    """TF 1.15's ``tf.bincount`` / ``tf.math.bincount``: the count of each value of the
    int32 tensor ``arr`` (any shape), in a vector of length ``max(arr) + 1`` (0 for an
    empty ``arr``), at least ``minlength`` and at most ``maxlength`` long.

    Without ``weights``: TF's Bincount in ``dtype`` (int32, int64, float32 or float64);
    a negative value fails the run (``InvalidArgumentError``) and values at or above
    ``maxlength`` are skipped. With ``weights`` (of ``arr``'s shape, or extending it):
    TF 1.15's ``unsorted_segment_sum(weights, arr, length)`` in the weights' dtype, with
    its gradient with respect to ``weights``; negative values are dropped and a value at
    or above ``maxlength`` fails the run. (TF 2's ``tf.compat.v1.bincount`` differs
    there: it refuses negative values and skips large ones either way, and has no
    gradient.)

    >>> import ndgrad.tf as tf
    >>> b = tf.bincount([1, 1, 2, 5])
    >>> print(b.shape, b.dtype)
    (6,) <dtype: 'int32'>
    >>> with tf.Session() as s:
    ...     print(s.run(b))
    ...     print(s.run(tf.bincount([1, 1, 2, 5], minlength=8, maxlength=4)))
    ...     print(s.run(tf.bincount([1, 1, 2, 5], weights=[0.5, 1.0, 2.0, 3.0])))
    [0 2 1 0 0 1]
    [0 2 1 0]
    [0.  1.5 2.  0.  0.  3. ]
    """
    dt = np_dtype(dtype)

    def f():
        a = _x(arr, dtype=np.int32, name="arr")
        # the length, known while building when arr (and the limits) are constants
        static = None
        av = _const_value(a)
        if av is not None:
            static = int(av.max()) + 1 if av.size else 0
        out_size = cast(greater(size(a), 0), np.int32) * (reduce_max(a) + 1)
        for lim, fn, pick in ((minlength, maximum, builtins.max),
                              (maxlength, minimum, builtins.min)):
            if lim is None:
                continue
            lv = _const_value(lim)
            lt = _x(lim, dtype=np.int32, name="minlength" if fn is maximum else "maxlength")
            out_size = fn(lt, out_size)
            static = None if static is None or lv is None else pick(int(lv), static)
        if weights is not None:
            w = _x(weights, name="weights")
            ws, ash = _static_shape(w), _static_shape(a)
            if ws is not None and ash is not None and (
                    len(ws) < len(ash) or any(p is not None and q is not None and p != q
                                              for p, q in zip(ws, ash))):
                raise ValueError(f"bincount: weights of shape {list(ws)} must have the "
                                 f"shape of arr {list(ash)} (or extend it)")
            return apply(_SEGMENT_SUM_N, (w, a, out_size), {"static": static})
        if dt not in (np.int32, np.int64, np.float32, np.float64):
            raise TypeError(f"Value passed to parameter 'weights' has DataType {dt.name} "
                            f"not in list of allowed values: int32, int64, float32, "
                            f"float64")
        return apply(_BINCOUNT, (a, out_size), {"dtype": dt, "static": static})
    return build(None, "bincount", f)


@_export
def angle(input, name=None):  # noqa: A002
    """The argument of each complex element, ``atan2(imag, real)`` in the real dtype (TF's
    Angle); for real input, pi where an element is negative and 0 elsewhere (TF's rule).
    The gradient is TF's ``-g / (imag + i real)``: this composition of real, imag and
    atan2 gives it through their TF gradients.

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     print(s.run(tf.angle(tf.constant([1 + 1j, -2 + 0j, 3 - 4j]))))
    ...     print(s.run(tf.angle([-1.5, 0.0, 2.0])))
    [ 0.78539816  3.14159265 -0.92729522]
    [3.1415927 0.        0.       ]
    """
    def f():
        t = _x(input)
        _op_dtypes.check("angle", _dt(t), "input")
        if _dt(t).kind == "c":
            return atan2(imag(t), real(t))
        return where(less(t, 0), fill(shape(t), np.array(np.pi, _dt(t))),
                     zeros_like(t))
    return build(name, "Angle", f, graph_args=(input,))


@_export
def complex(real, imag, name=None):  # noqa: A001
    """The complex tensor ``real + imag * 1j`` (TF's Complex, broadcasting): complex64
    from float32 parts, complex128 from float64 ones; infinite and signed-zero parts are
    kept as given (no arithmetic). The parts' gradients are the real and imaginary parts
    of the cotangent.

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.complex([2.25, 3.25], [4.75, 5.75]))
    array([2.25+4.75j, 3.25+5.75j], dtype=complex64)
    """
    from .._ops.elementwise import _complex_parts_op

    def f():
        re, im = convert_same([real, imag], names=("real", "imag"), op_type="Complex")
        dt = _dt(re)
        if dt not in (np.float32, np.float64):
            raise TypeError(f"Value passed to parameter 'real' has DataType {dt.name} not "
                            "in list of allowed values: float32, float64")
        out = np.complex64 if dt == np.float32 else np.complex128
        return apply(_complex_parts_op, (re, im), {"dtype": np.dtype(out)})
    return build(name, "Complex", f, graph_args=(real, imag))

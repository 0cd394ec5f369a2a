"""TF 1 conventions on top of ``ndgrad.graph``: value conversion with TF's dtype rules,
op naming (a function's result named after its scope, operators in lower case), the
eager switch, and the Tensor operators with TF's dtype checks."""
from __future__ import annotations

import builtins
import contextlib

import numpy as np

from ..graph import core as _core
from ..graph.core import Tensor, Operation, get_default_graph
from ..graph.shape import as_shape
from .._ops import registry as _registry
from .._ops.registry import REGISTRY, apply
from . import dtypes as _tfd

_EAGER = {"on": False}


def executing_eagerly():
    """Whether TF names compute on concrete values (after ``enable_eager_execution``).

    >>> import ndgrad.tf as tf
    >>> tf.executing_eagerly()
    False
    """
    return _EAGER["on"]


def enable_eager_execution(config=None, device_policy=None, execution_mode=None):
    """From now on the TF names compute at once on concrete ndgrad arrays, with
    TensorFlow's eager rules: operations record gradients only inside a
    ``tf.GradientTape`` (in its thread), and a tensor's values convert to NumPy
    (``numpy.asarray(t)``, ``t.numpy()``, a NumPy scalar for a 0-d tensor) also where a
    tape records it -- the tape does not see NumPy code, as TF's does not.

    >>> import ndgrad.tf as tf
    >>> tf.enable_eager_execution()
    >>> print(tf.executing_eagerly(), tf.reduce_sum([1.0, 2.0]).numpy())
    True 3.0
    >>> tf.disable_eager_execution()
    """
    _EAGER["on"] = True
    _registry.set_recording_default(False)
    _registry.TF_TENSORS["on"] = True


def disable_eager_execution():
    """Back to graph mode (and ndgrad's own rules: recording on, PyTorch's NumPy
    conversion rule).

    >>> import ndgrad.tf as tf
    >>> tf.enable_eager_execution()
    >>> tf.disable_eager_execution()
    >>> tf.executing_eagerly(), tf.is_tensor(tf.constant(1.0))
    (False, True)
    """
    _EAGER["on"] = False
    _registry.set_recording_default(True)
    _registry.TF_TENSORS["on"] = False


# -- the dtype view of graph tensors ----------------------------------------------------
def _dtype_of(t):
    if getattr(t, "_is_ref", False):
        return _tfd.ref_of(t._np_dtype)
    return _tfd.of_numpy(t._np_dtype)


_core.dtype_view["fn"] = _dtype_of


# -- conversion ------------------------------------------------------------------------
def _scan(value, acc):
    if isinstance(value, (list, tuple)):
        for v in value:
            _scan(v, acc)
    elif isinstance(value, builtins.bool) or isinstance(value, np.bool_):
        acc["bool"] = True
    elif isinstance(value, (int, np.integer)) and not isinstance(value, np.ndarray):
        acc["int"] = True
        acc["big"] = acc.get("big", False) or not (-2 ** 31 <= int(value) < 2 ** 31)
    elif isinstance(value, float):
        acc["float"] = True
    elif isinstance(value, complex):
        acc["complex"] = True
    elif isinstance(value, (str, bytes)):
        acc["str"] = True
    elif isinstance(value, (np.ndarray, np.generic)):
        acc.setdefault("np", []).append(value.dtype)
    elif _tensor_like(value):
        raise _NestOfTensors("a nest of lists containing tensors has no NumPy value; "
                             "convert_to_tensor packs it (tf.stack), as TensorFlow does")
    else:
        acc["other"] = value


class _NestOfTensors(TypeError):
    """A list nest with a tensor in it met where a NumPy value is needed: TF's
    conversion packs such a nest (``_autopack``)."""


def _tensor_like(v):
    """Whether ``v`` is a tensor for TF's autopacking: a graph Tensor (or what converts to
    one: a Variable), or in eager mode an ndgrad Array (an eager tensor)."""
    from .._ops.registry import Array
    v = _unref(v)
    return isinstance(v, Tensor) or (_EAGER["on"] and isinstance(v, Array))


def _nest_dtype(value):
    """The dtype of the first tensor of a list nest, depth first (TF's
    ``_get_dtype_from_nested_lists``), or None."""
    for v in value:
        if isinstance(v, (list, tuple)):
            dt = _nest_dtype(v)
            if dt is not None:
                return dt
        elif _tensor_like(v):
            v = _unref(v)
            return np.dtype(v._np_dtype if isinstance(v, Tensor) else v.dtype)
    return None


def _autopack(value, dtype, name):
    """TF's autopacking: a list nest with tensors in it is ``tf.stack`` of its elements
    (recursively), converted to ``dtype`` -- the first tensor's dtype unless one is asked
    for; tensors of another dtype are cast to an asked-for dtype, as TF does."""
    from . import math_ops
    asked = dtype

    def conv(v):
        if isinstance(v, (list, tuple)):
            return pack(v) if _nest_dtype(v) is not None else convert_to_tensor(v, dtype)
        if _tensor_like(v):
            t = _unref(v)
            have = np.dtype(t._np_dtype if isinstance(t, Tensor) else t.dtype)
            if have != dtype:
                if asked is None:
                    raise TypeError(f"Cannot convert a list containing a tensor of dtype "
                                    f"{have.name} to {dtype.name} (Tensor is: {t!r})")
                return math_ops.cast(t, dtype)
            return t
        return convert_to_tensor(v, dtype)

    def pack(v):
        return math_ops.stack([conv(e) for e in v], name=name or "packed")
    dtype = asked if asked is not None else _nest_dtype(value)
    return pack(value)


def python_dtype(value):
    """TF's dtype for a Python value: ints int32 (int64 from 2**31), floats float32."""
    acc = {}
    _scan(value, acc)
    if "other" in acc:
        raise TypeError(f"Failed to convert object of type {type(acc['other'])} to Tensor. "
                        f"Contents: {value!r}. Consider casting elements to a supported type.")
    if acc.get("str"):
        return np.dtype(object)
    if "np" in acc and not any(k in acc for k in ("float", "int", "bool", "complex")):
        return np.result_type(*acc["np"])
    if acc.get("complex"):
        return np.dtype("complex128")
    if acc.get("float"):
        return np.dtype("float32")
    if acc.get("int"):
        return np.dtype("int64" if acc.get("big") else "int32")
    if acc.get("bool"):
        return np.dtype("bool")
    if "np" in acc:
        return np.result_type(*acc["np"])
    return np.dtype("float32")   # an empty list


def _check_compatible(value, dtype):
    """TF refuses to convert Python floats to an integer dtype (and the like)."""
    acc = {}
    _scan(value, acc)
    kind = dtype.kind
    bad = None
    if kind in "iu" and (acc.get("float") or acc.get("complex")):
        bad = "float"
    elif kind == "f" and acc.get("complex"):
        bad = "complex"
    elif kind == "b" and (acc.get("int") or acc.get("float")):
        bad = "number"
    if bad:
        first = _first_scalar(value)
        raise TypeError(f"Expected {dtype.name}, got {first!r} of type "
                        f"'{type(first).__name__}' instead.")


def _first_scalar(value):
    while isinstance(value, (list, tuple)) and value:
        for v in value:
            if isinstance(v, (float, complex)) or isinstance(v, (list, tuple)):
                value = v
                break
        else:
            value = value[0]
    return value


def _strings(value):
    """Strings (str or bytes; nested lists, tuples or NumPy arrays of them) as a NumPy
    object array of bytes, TF's string tensors: str items UTF-8 encoded."""
    a = np.asarray(value, dtype=object)
    out = np.empty(a.shape, dtype=object)
    for i, v in np.ndenumerate(a):
        out[i] = v.encode() if isinstance(v, str) else bytes(v) if isinstance(
            v, np.bytes_) else v
    return out


def np_dtype(dtype):
    if dtype is None:
        return None
    return _tfd.as_dtype(dtype)._np


def _has_none(value):
    return any(v is None or isinstance(v, (list, tuple)) and _has_none(v) for v in value)


def to_numpy_value(value, dtype=None):
    """A Python/NumPy value as a NumPy array with TF's dtype rules."""
    from .._ops.registry import Array
    if value is None:
        # (NumPy would make NaN of it under a float dtype: a tensor nobody asked for)
        raise ValueError("None values not supported.")
    if isinstance(value, Array):
        value = np.asarray(value)
    if isinstance(value, (list, tuple)) and _has_none(value):
        raise TypeError(f"Failed to convert elements of {value!r} to Tensor. Consider "
                        "casting elements to a supported type.")
    if dtype is None:
        if isinstance(value, (np.ndarray, np.generic)) and value.dtype.kind in "US":
            return _strings(value)   # NumPy's str and bytes arrays are tf.string too
        if isinstance(value, (np.ndarray, np.generic)):
            _tfd.of_numpy(value.dtype)   # (a datetime, void ... dtype: TF's TypeError)
            return np.asarray(value)
        dtype = python_dtype(value)
        if dtype.kind == "O":
            return _strings(value)
    else:
        if np.dtype(dtype).kind == "O":   # tf.string: Python str becomes bytes, as in TF
            # (a NumPy array as it is: tolist() of an empty (0, 1) array is [], which
            # lost its shape; a NumPy scalar as its Python value)
            return _strings(value.item() if isinstance(value, np.generic) else value)
        if not isinstance(value, (np.ndarray, np.generic)):
            _check_compatible(value, dtype)
    return np.asarray(value, dtype=dtype)


def eager_values(value, dtype=None):
    """The NumPy values of an eager value that TF reads as data, never as part of a
    gradient (an optimizer's update, a summary, sampling, a tape's output gradients): a
    tensor or variable that records gradients is read through ``detach()``
    (``numpy.asarray`` of it raises).

    >>> import ndgrad as nd
    >>> eager_values(nd.asarray([1.0, 2.0], requires_grad=True) * 2.0)
    array([2., 4.])
    """
    from .._ops.registry import Array
    if isinstance(value, Array):
        value = value.detach()
    return np.asarray(value, dtype=dtype)


def graph_of(*values):
    for v in values:
        v = _unref(v)
        if isinstance(v, Tensor):
            return v.graph
    return get_default_graph()


def _unref(v):
    conv = getattr(v, "_as_graph_element", None)
    if conv is not None and not isinstance(v, (Tensor, Operation)):
        return conv()
    return v


def convert_to_tensor(value, dtype=None, name=None, preferred_dtype=None, graph=None):
    """A symbolic tensor for ``value`` (a Tensor, Variable, NumPy array, list, scalar);
    in eager mode an ndgrad Array. Python floats become float32 and ints int32; NumPy
    arrays keep their dtype; a tensor is returned as is.

    >>> import ndgrad.tf as tf
    >>> import numpy as np
    >>> tf.convert_to_tensor([1.0, 2.0]).dtype, tf.convert_to_tensor(np.array([1.0, 2.0])).dtype
    (tf.float32, tf.float64)
    >>> t = tf.convert_to_tensor([[1, 2], [3, 4]])
    >>> print(t.dtype, t.shape.as_list(), tf.convert_to_tensor(t) is t)
    <dtype: 'int32'> [2, 2] True
    """
    dt = np_dtype(dtype)
    value = _unref(value)
    if not isinstance(value, Tensor):
        dense = getattr(type(value), "_convert_to_tensor", None)
        if dense is not None:        # (an IndexedSlices: its dense tensor)
            value = dense(value)
    if isinstance(value, Tensor):
        if dt is not None and value._np_dtype != dt:
            raise ValueError(f"Tensor conversion requested dtype {dt.name} for Tensor with "
                             f"dtype {value._np_dtype.name}: {value!r}")
        return value
    if isinstance(value, Operation):
        raise TypeError(f"Can not convert an Operation into a Tensor ({value.name}).")
    if isinstance(value, (list, tuple)):
        try:
            return _convert_value(value, dt, name, preferred_dtype, graph)
        except _NestOfTensors:
            return _autopack(value, dt, name)
    return _convert_value(value, dt, name, preferred_dtype, graph)


def _convert_value(value, dt, name, preferred_dtype, graph):
    """``convert_to_tensor`` of a value that is no Tensor: eager, an Array; in a graph,
    a constant."""
    from .._ops.registry import Array
    if _EAGER["on"]:
        if isinstance(value, Array):
            if dt is not None and value.dtype != dt:
                raise ValueError(f"Tensor conversion requested dtype {dt.name} for Tensor "
                                 f"with dtype {value.dtype.name}")
            return value
        if dt is None and preferred_dtype is not None:
            try:
                return eager_tensor(to_numpy_value(value, np_dtype(preferred_dtype)), value)
            except (TypeError, ValueError):
                pass
        return eager_tensor(to_numpy_value(value, dt), value)
    if dt is None and preferred_dtype is not None:
        try:
            arr = to_numpy_value(value, np_dtype(preferred_dtype))
        except (TypeError, ValueError):
            arr = to_numpy_value(value)
    else:
        arr = to_numpy_value(value, dt)
    g = graph if graph is not None else get_default_graph()
    return g.constant(arr, name=name or "Const")


def deprecated_argument_lookup(new_name, new_value, old_name, old_value):
    """TF's ``deprecated_argument_lookup``: the value given under either name (None if
    neither); both given is TF's ValueError.

    >>> deprecated_argument_lookup("axis", None, "dim", 1)
    1
    """
    if old_value is not None:
        if new_value is not None:
            raise ValueError(f"Cannot specify both '{old_name}' and '{new_name}'.")
        return old_value
    return new_value


def shapes_differ(a, b):
    """Whether static shapes ``a`` and ``b`` (tuples with None for unknown dimensions, or
    None for an unknown rank) cannot be one shape (TF's ``is_compatible_with``, negated).

    >>> shapes_differ((4,), (4, 1)), shapes_differ((None, 1), (4, 1)), shapes_differ(None, (3,))
    (True, False, False)
    """
    return not as_shape(a).is_compatible_with(as_shape(b))


def shape_text(s):
    """A static shape as TF prints it in its messages: ``(4, ?)``, ``(3,)``, ``<unknown>``."""
    if s is None:
        return "<unknown>"
    return "(" + ", ".join("?" if d is None else str(d) for d in s) + \
        ("," if len(s) == 1 else "") + ")"


def eager_tensor(arr, source):
    """An eager tensor of NumPy array ``arr`` converted from ``source``: its own copy
    where ``arr`` may share memory with a NumPy ``source`` (a TF tensor holds its values;
    before, ``a[0] = 100`` after ``tf.constant(a)`` changed the constant).

    >>> import numpy as np
    >>> a = np.array([1.0, 2.0])
    >>> t = eager_tensor(a, a)
    >>> a[0] = 100.0
    >>> np.asarray(t).tolist()
    [1.0, 2.0]
    """
    import ndgrad as nd
    if isinstance(source, np.ndarray) and np.may_share_memory(arr, source):
        arr = arr.copy()
    return nd.asarray(arr)


def is_tensor(x):
    """Whether ``x`` is a tensor (a graph Tensor, a Variable, or in eager mode an
    ndgrad Array), not a value that would convert to one.

    >>> import ndgrad.tf as tf
    >>> tf.is_tensor(tf.constant(1.0)), tf.is_tensor(tf.Variable(1.0)), tf.is_tensor([1.0])
    (True, True, False)
    """
    from .._ops.registry import Array
    return isinstance(_unref(x), (Tensor, Array))


# -- naming ----------------------------------------------------------------------------
def _finish(g, out, scope, start):
    """Name the op that produced ``out`` after ``scope`` (TF names a function's result
    after its name scope)."""
    t = out[0] if isinstance(out, (list, tuple)) and out else out
    if isinstance(t, Tensor):
        op = t._op
        target = scope[:-1]
        if op.graph is g and op.name != target and target not in g._by_name and (
                len(g._ops) > start and _created_after(g, op, start)):
            g._rename(op, target)
    return out


def _created_after(g, op, start):
    ops = g._ops
    for i in range(len(ops) - 1, start - 1, -1):
        if ops[i] is op:
            return True
    return False


def build(name, default, fn, *args, graph_args=()):
    """Run ``fn(*args)`` inside name scope ``name or default`` and name its result after
    the scope; in eager mode just call it."""
    if _EAGER["on"]:
        return fn(*args)
    g = graph_of(*graph_args) if graph_args else get_default_graph()
    start = len(g._ops)
    with g.as_default(), g.name_scope(name or default) as scope:
        out = fn(*args)
    return _finish(g, out, scope, start)


def convert_same(values, names=("x", "y"), dtype=None, op_type="Op"):
    """Convert op inputs the way TF's op builder does: the first typed input fixes the
    dtype the others convert to; a mismatch is a TypeError naming both inputs."""
    vals = [_unref(v) for v in values]
    from .._ops.registry import Array
    dt = np_dtype(dtype)
    ref_name = None
    for v, n in zip(vals, names):
        if isinstance(v, (Tensor, Array)) or (isinstance(v, np.ndarray) and dt is None):
            if dt is None:
                dt = np.dtype(v._np_dtype if isinstance(v, Tensor) else v.dtype)
                ref_name = n
                break
    out = []
    g = graph_of(*vals)
    for v, n in zip(vals, names):
        if isinstance(v, Tensor) or isinstance(v, Array):
            vd = np.dtype(v._np_dtype if isinstance(v, Tensor) else v.dtype)
            if dt is not None and vd != dt:
                raise TypeError(f"Input '{n}' of '{op_type}' Op has type {vd.name} that does "
                                f"not match type {dt.name} of argument '{ref_name}'.")
            out.append(v)
        else:
            t = convert_to_tensor(v, dtype=dt, name=n, graph=g)
            if dt is None:
                dt = np.dtype(t._np_dtype if isinstance(t, Tensor) else t.dtype)
                ref_name = n
            out.append(t)
    return out


# -- Tensor operators with TF's conversion and names --------------------------------------
_OP_TYPES = {"add": "Add", "sub": "Sub", "mul": "Mul", "truediv": "RealDiv",
             "floordiv": "FloorDiv", "mod": "FloorMod", "pow": "Pow", "matmul": "MatMul",
             "and": "LogicalAnd", "or": "LogicalOr", "xor": "LogicalXor", "lt": "Less",
             "le": "LessEqual", "gt": "Greater", "ge": "GreaterEqual"}
_CMP_NAMES = {"lt": "Less", "le": "LessEqual", "gt": "Greater", "ge": "GreaterEqual"}


def _binary_operator(dunder, reg_name, self, other, reflected):
    from . import math_ops
    if isinstance(other, (np.ndarray, np.generic)):
        other = other.astype(self._np_dtype)     # TF casts NumPy operands to the tensor's
    if reflected:
        a, b = other, self
    else:
        a, b = self, other
    name = _CMP_NAMES.get(dunder, dunder)
    if dunder == "truediv":
        return math_ops.truediv(a, b, name=name)
    if dunder == "matmul":
        return math_ops.matmul(a, b, name=name)
    if dunder == "pow":
        return math_ops.pow(a, b, name=name)

    def f():
        # the other operand converts to this tensor's dtype (TF's operator rule)
        o = _unref(other)
        if not isinstance(o, Tensor):
            try:
                o = convert_to_tensor(o, dtype=self._np_dtype,
                                      name="x" if reflected else "y", graph=self.graph)
            except TypeError as e:
                raise _Unconvertible(e) from e
        x, y = convert_same([o, self] if reflected else [self, o], op_type=_OP_TYPES[dunder])
        return apply(math_ops.int_checked(REGISTRY[reg_name], x), (x, y))
    try:
        return build(None, name, f, graph_args=(self,))
    except _Unconvertible as e:
        # TF's operator wrapper: an operand no tensor converts from (a TypeError of the
        # conversion alone) gives way to its reflected method, if it has one (Python then
        # calls ``other.__radd__``); else TF's TypeError
        if not reflected and hasattr(type(other), f"__r{dunder}__"):
            return NotImplemented
        raise TypeError(f"Expected {np.dtype(self._np_dtype).name}, got {other!r} of type "
                        f"'{type(other).__name__}' instead.") from e.__cause__


class _Unconvertible(Exception):
    """(internal) The other operand of a tensor's operator did not convert."""


def _unary_operator(reg_name, tf_name, self):
    return build(None, tf_name, lambda: apply(REGISTRY[reg_name], (self,)), graph_args=(self,))


def _tensor_in_key(k):
    """Whether slicing-key item ``k`` is a tensor or a slice with a tensor bound."""
    k = _unref(k)
    return isinstance(k, Tensor) or isinstance(k, slice) and any(
        isinstance(_unref(p), Tensor) for p in (k.start, k.stop, k.step))


def _getitem(self, key):
    from ..graph.dynamic import strided_slice
    items = key if isinstance(key, tuple) else (key,)
    if any(_tensor_in_key(k) for k in items):
        from . import ops as _tops

        def index(k, idx):
            # a scalar integer tensor (an item, or a slice's start, stop or step: x[:n])
            # goes into idx; its place in the key is marked
            k = _unref(k)
            if not isinstance(k, Tensor):
                return k
            if k._np_dtype.kind not in "iu" or (k._shape is not None and k._shape):
                raise TypeError("Only scalar int32/int64 tensors are valid indices, "
                                f"got {k}")
            idx.append(k)
            return _tops.TENSOR_INDEX

        def f():
            template, idx = [], []
            for k in items:
                k = _unref(k)
                if isinstance(k, slice):
                    template.append(slice(*(index(p, idx) for p in (k.start, k.stop,
                                                                   k.step))))
                else:
                    template.append(index(k, idx))
            return apply(_tops.SLICE_DYN, (self,) + tuple(idx), {"template": tuple(template)})
        return build(None, "strided_slice", f, graph_args=(self,))
    return build(None, "strided_slice", lambda: strided_slice(self, key), graph_args=(self,))


_core.operator_impl["binary"] = _binary_operator
_core.operator_impl["unary"] = _unary_operator
_core.operator_impl["getitem"] = _getitem


@contextlib.contextmanager
def name_scope(name, default_name=None, values=None):
    """TF's ``name_scope``: ops created inside get ``name/`` prefixes (uniquified).

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default():
    ...     with tf.name_scope("layer"):
    ...         c = tf.constant(1.0, name="c")
    ...     with tf.name_scope("layer") as scope:
    ...         print(c.name, scope)
    layer/c:0 layer_1/
    """
    g = graph_of(*(values or ()))
    n = name if name is not None else default_name
    with g.as_default(), g.name_scope(n) as scope:
        yield scope

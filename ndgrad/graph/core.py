"""Graphs of registry ops: ``Graph``, ``Operation``, symbolic ``Tensor``.

A symbolic tensor has a static shape (dims may be None) and a dtype, never a value; its
value exists only inside ``Session.run``. Any ndgrad function given a symbolic tensor adds
a node to that tensor's graph instead of computing (the registry hands the op to
``graph_apply``), so graph mode reuses every op -- forward, gradient rule -- of eager mode.

Static shapes come from abstract evaluation: an op's own forward runs on small dummy
arrays (unknown dims tried at two sizes; the dims that differ are unknown), unless the op
carries a ``shape_rule``.
"""
from __future__ import annotations

import contextlib
import re
import threading

import numpy as np

from .._ops import registry as _registry
from .._ops.registry import REGISTRY, apply
from .._backend import numpy_backend
from .. import _dtypes
from .shape import TensorShape, Dimension

_npx = numpy_backend.xp

__all__ = ["Graph", "Operation", "Tensor", "get_default_graph", "reset_default_graph",
           "graph_apply"]

_VALID_OP_NAME = re.compile(r"^[A-Za-z0-9.][A-Za-z0-9_.\-/>]*$")
_VALID_SCOPE_NAME = re.compile(r"^[A-Za-z0-9_.\-/>]*$")

# registry op name -> TensorFlow op type (the default name of a node)
TF_TYPES = {
    "add": "Add", "subtract": "Sub", "multiply": "Mul", "divide": "RealDiv",
    "floor_divide": "FloorDiv", "remainder": "FloorMod", "negative": "Neg", "pow": "Pow",
    "matmul": "MatMul", "sum": "Sum", "reshape": "Reshape", "abs": "Abs", "exp": "Exp",
    "log": "Log", "sqrt": "Sqrt", "square": "Square", "sin": "Sin", "cos": "Cos",
    "tanh": "Tanh", "equal": "Equal", "not_equal": "NotEqual", "less": "Less",
    "less_equal": "LessEqual", "greater": "Greater", "greater_equal": "GreaterEqual",
    "logical_and": "LogicalAnd", "logical_or": "LogicalOr", "logical_not": "LogicalNot",
    "logical_xor": "LogicalXor", "maximum": "Maximum", "minimum": "Minimum",
    "where": "Select", "astype": "Cast", "matrix_transpose": "Transpose",
    "broadcast_to": "BroadcastTo", "stack": "Pack", "reciprocal": "Reciprocal",
    "sign": "Sign", "floor": "Floor", "ceil": "Ceil", "round": "Round", "getitem":
    "strided_slice", "take": "GatherV2", "clip": "ClipByValue",
    # graph-mode and TensorFlow-specific ops
    "strided_slice": "StridedSlice", "scatter_like": "StridedSliceGrad",
    "unbroadcast_to": "Sum", "unbroadcast_like": "UnbroadcastLike",
    "broadcast_like": "BroadcastLike", "reshape_like": "Reshape",
    "ones_like_dynamic": "OnesLike", "zeros_like_dynamic": "ZerosLike",
    "tf.reduce_sum": "Sum", "tf.reduce_mean": "Mean", "tf.reduce_max": "Max",
    "tf.reduce_min": "Min", "tf.reduce_prod": "Prod", "tf.reduce_any": "Any",
    "tf.reduce_all": "All", "tf.mean_grad": "MeanGrad", "tf.maximum": "Maximum",
    "tf.minimum": "Minimum", "tf.relu": "Relu", "tf.relu6": "Relu6", "tf.sigmoid": "Sigmoid", "tf.sign": "Sign",
    "tf.softplus": "Softplus", "tf.softsign": "Softsign", "tf.identity": "Identity", "tf.stop_gradient": "StopGradient",
    "tf.reshape": "Reshape", "tf.squeeze": "Squeeze", "tf.expand_dims": "ExpandDims",
    "tf.concat": "ConcatV2", "tf.concat_grad": "ConcatGrad", "tf.split": "SplitV",
    "tf.gather": "GatherV2", "tf.gather_grad": "UnsortedSegmentSum", "tf.tile": "Tile",
    "tf.tile_grad": "TileGrad", "tf.transpose": "Transpose",
    "tf.matrix_transpose": "Transpose", "tf.argmax": "ArgMax", "tf.argmin": "ArgMin",
    "tf.where_indices": "Where", "tf.one_hot": "OneHot", "tf.shape": "Shape",
    "tf.fill": "Fill", "tf.reshape_dynamic": "Reshape", "tf.conv2d": "Conv2D",
    "tf.conv2d_backprop_input": "Conv2DBackpropInput",
    "tf.conv2d_backprop_filter": "Conv2DBackpropFilter", "tf.max_pool": "MaxPool",
    "tf.max_pool_grad": "MaxPoolGrad", "tf.avg_pool": "AvgPool",
    "tf.avg_pool_grad": "AvgPoolGrad", "tf.split_even": "Split",
    "tf.truncatediv": "TruncateDiv", "tf.truncatemod": "TruncateMod",
    "tf.reverse_sequence": "ReverseSequence", "tf.conv2d_transpose": "Conv2DBackpropInput",
    "tf.conv2d_transpose_filter": "Conv2DBackpropFilter", "tf.ensure_rank": "EnsureShape",
    "tf.conv2d_backprop_filter_sized": "Conv2DBackpropFilter",
    "tf.conv2d_transpose_ensure_batch": "Identity",
    "tf.depthwise_conv2d": "DepthwiseConv2dNative",
    "tf.depthwise_conv2d_backprop_input": "DepthwiseConv2dNativeBackpropInput",
    "tf.depthwise_conv2d_backprop_filter": "DepthwiseConv2dNativeBackpropFilter",
    "tf.in_top_k": "InTopKV2", "tf.range": "Range", "tf.expand_like": "ExpandDims",
    "tf.gather_nd": "GatherNd", "tf.gather_nd_grad": "ScatterNd",
    "tf.scatter_nd": "ScatterNd", "tf.segment_sum": "UnsortedSegmentSum",
    "tf.segment_gather": "GatherV2", "tf.squeeze_all": "Squeeze",
    "tf.transpose_reversed": "Transpose",
}


def tf_type(op_name):
    t = TF_TYPES.get(op_name)
    if t is None:
        t = "".join(p[:1].upper() + p[1:] for p in op_name.replace(".", "_").split("_"))
    return t


class _State(threading.local):
    def __init__(self):
        self.graph_stack = []
        self.grad_mode = 0      # >0 while tf.gradients builds: NumPy operator semantics


_state = _State()
_default_graph = None


def get_default_graph():
    """The graph new ops go to: the innermost ``g.as_default()``, else the global one.

    >>> import ndgrad.tf as tf
    >>> g = tf.Graph()
    >>> with g.as_default():
    ...     print(tf.get_default_graph() is g, tf.constant(1.0).graph is g)
    True True
    """
    global _default_graph
    if _state.graph_stack:
        return _state.graph_stack[-1]
    if _default_graph is None:
        _default_graph = Graph()
    return _default_graph


def reset_default_graph():
    """A fresh global default graph (not allowed inside a ``with g.as_default()``).

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default():
    ...     tf.reset_default_graph()  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    AssertionError: Do not use tf.reset_default_graph() to clear nested graphs. ...
    """
    global _default_graph
    if _state.graph_stack:
        raise AssertionError("Do not use tf.reset_default_graph() to clear nested graphs. "
                             "If you need a cleared graph, exit the nesting and create a "
                             "new graph.")
    _default_graph = Graph()


class Graph:
    """A dataflow graph: operations in creation order, names, collections, scopes.

    >>> g = Graph()
    >>> g.unique_name("zeros"), g.unique_name("zeros"), g.unique_name("Zeros")
    ('zeros', 'zeros_1', 'Zeros_2')
    """

    def __init__(self):
        self._ops = []
        self._by_name = {}
        self._names_in_use = {}
        self._name_stack = ""
        self._collections = {}
        self._control_stack = []
        self.seed = None
        self._finalized = False
        self.state = {}         # per-graph state of the layers above (variable store ...)
        self._version = 0

    # -- defaults and scopes -------------------------------------------------------------
    @contextlib.contextmanager
    def as_default(self):
        _state.graph_stack.append(self)
        try:
            yield self
        finally:
            _state.graph_stack.pop()

    def unique_name(self, name, mark_as_used=True):
        """``name`` under the current name scope, made unique (case-insensitively)."""
        if self._name_stack:
            name = self._name_stack + "/" + name
        key = name.lower()
        i = self._names_in_use.get(key, 0)
        if mark_as_used:
            self._names_in_use[key] = i + 1
        if i > 0:
            base = key
            while key in self._names_in_use:
                key = f"{base}_{i}"
                i += 1
            if mark_as_used:
                self._names_in_use[key] = 1
            name = f"{name}_{i - 1}"
        return name

    def get_name_scope(self):
        return self._name_stack

    @contextlib.contextmanager
    def name_scope(self, name):
        """TF's name scope: ``name`` uniquified (``a``, ``a_1``...), or used as is when it
        ends in "/"; None or "" resets to the root. Yields the scope with a trailing "/"."""
        if name:
            if not isinstance(name, str):
                raise TypeError(f"name scope must be a string, not {name!r}")
            regex = _VALID_SCOPE_NAME if self._name_stack else _VALID_OP_NAME
            if not regex.match(name):
                raise ValueError(f"'{name}' is not a valid scope name")
        old = self._name_stack
        if not name:
            new = ""
        elif name[-1] == "/":
            new = name[:-1]
        else:
            new = self.unique_name(name)
        self._name_stack = new
        try:
            yield new + "/" if new else ""
        finally:
            self._name_stack = old

    @contextlib.contextmanager
    def control_dependencies(self, control_inputs):
        """Ops created inside run after ``control_inputs`` (None clears the outer ones)."""
        if control_inputs is None:
            saved = self._control_stack
            self._control_stack = []
            try:
                yield
            finally:
                self._control_stack = saved
            return
        ops = []
        for c in control_inputs:
            c = self.as_graph_element(c)
            ops.append(c if isinstance(c, Operation) else c.op)
        # (the block's control inputs, and the ops made inside it: see _new_op)
        self._control_stack.append((ops, set()))
        try:
            yield
        finally:
            self._control_stack.pop()

    # -- collections ------------------------------------------------------------------
    def add_to_collection(self, name, value):
        self._collections.setdefault(name, []).append(value)

    def add_to_collections(self, names, value):
        for n in ([names] if isinstance(names, str) else names):
            self.add_to_collection(n, value)

    def get_collection(self, name, scope=None):
        items = self._collections.get(name, [])
        if scope is None:
            return list(items)
        rx = re.compile(scope)
        return [i for i in items if rx.match(getattr(i, "name", ""))]

    def get_collection_ref(self, name):
        return self._collections.setdefault(name, [])

    def get_all_collection_keys(self):
        return list(self._collections)

    def clear_collection(self, name):
        self._collections.pop(name, None)

    # -- lookup -----------------------------------------------------------------------
    def get_operations(self):
        return list(self._ops)

    def get_operation_by_name(self, name):
        try:
            return self._by_name[name]
        except KeyError:
            raise KeyError(f"The name '{name}' refers to an Operation not in the graph."
                           ) from None

    def get_tensor_by_name(self, name):
        if ":" not in name:
            raise ValueError(f"The name '{name}' looks like an (invalid) Operation name, "
                             "not a Tensor. Tensor names must be of the form "
                             "\"<op_name>:<output_index>\".")
        op_name, _, idx = name.rpartition(":")
        op = self._by_name.get(op_name)
        if op is None:
            raise KeyError(f"The name '{name}' refers to a Tensor which does not exist. The "
                           f"operation, '{op_name}', does not exist in the graph.")
        try:
            return op.outputs[int(idx)]
        except (IndexError, ValueError):
            raise KeyError(f"The name '{name}' refers to a Tensor which does not exist. The "
                           f"operation, '{op_name}', exists but only has "
                           f"{len(op.outputs)} outputs.") from None

    def as_graph_element(self, obj, allow_tensor=True, allow_operation=True):
        if isinstance(obj, str):
            if ":" in obj:
                if not allow_tensor:
                    raise ValueError(f"Name '{obj}' appears to refer to a Tensor, not an "
                                     "Operation.")
                return self.get_tensor_by_name(obj)
            if not allow_operation:
                raise ValueError(f"The name '{obj}' looks like an (invalid) Operation name, "
                                 "not a Tensor.")
            return self.get_operation_by_name(obj)
        conv = getattr(obj, "_as_graph_element", None)
        if conv is not None:
            obj = conv()
        if isinstance(obj, Tensor):
            if obj.graph is not self:
                raise ValueError(f"Tensor {obj} is not an element of this graph.")
            return obj
        if isinstance(obj, Operation):
            if obj.graph is not self:
                raise ValueError(f"Operation {obj} is not an element of this graph.")
            return obj
        raise TypeError(f"Can not convert a {type(obj).__name__} into a Tensor or Operation.")

    def finalize(self):
        self._finalized = True

    @property
    def finalized(self):
        return self._finalized

    @property
    def version(self):
        return self._version

    # -- building ---------------------------------------------------------------------
    def _new_op(self, name, type_, args, params=None, op=None, fn=None, out_specs=(),
                attrs=None, kind="op"):
        if self._finalized:
            raise RuntimeError("Graph is finalized and cannot be modified.")
        if name.endswith("/"):
            name = name[:-1]
        else:
            name = self.unique_name(name)
        o = Operation(self, name, type_, tuple(args), params or {}, op, fn, attrs or {}, kind)
        o.outputs = [Tensor(o, i, s, d) for i, (s, d) in enumerate(out_specs)]
        if self._control_stack:
            # TF's pruning (Graph._control_dependencies_for_inputs): a block adds nothing
            # to an op with an input made inside that block (that input waits already),
            # and no control input that is already a data input's op. Feeding that data
            # input then does not run its op (`y = square(t)` under
            # control_dependencies([t]), t fed: TF runs no op of t's)
            inputs = {a._op for a in args if isinstance(a, Tensor)}
            seen = []
            for ops, made in self._control_stack:
                if inputs and not inputs.isdisjoint(made):
                    continue
                for c in ops:
                    if c not in seen and c not in inputs:
                        seen.append(c)
            o.control_inputs = seen
            for _, made in self._control_stack:
                made.add(o)
        self._ops.append(o)
        self._by_name[name] = o
        self._version += 1
        return o

    def _rename(self, op, new_name):
        """Give ``op`` the name of the scope it was built in (TF names a composite's
        result after the scope)."""
        del self._by_name[op.name]
        op._name = new_name
        self._by_name[new_name] = op

    def constant(self, value, name="Const"):
        """A Const node holding ``value`` (a NumPy array, kept read-only)."""
        value = np.array(value, copy=True) if not isinstance(value, np.ndarray) else value.copy()
        value.flags.writeable = False
        o = self._new_op(name, "Const", (), kind="const",
                         out_specs=[(value.shape, value.dtype)], attrs={"value": value})
        return o.outputs[0]

    def apply_registry_op(self, op, args, params, name=None):
        """A node applying registry ``op``; returns its Tensor (tuple for multi ops)."""
        specs = infer(op, args, params)
        o = self._new_op(name or tf_type(op.name), tf_type(op.name), args, params, op=op,
                         out_specs=specs)
        if op.multi:
            return tuple(o.outputs)
        return o.outputs[0]

    def special_op(self, type_, name, args, fn, out_specs, attrs=None, kind="special"):
        """A node running ``fn(ctx, *input_values)`` inside a session (placeholders,
        variables, assignments, random numbers: the ops that touch session state)."""
        return self._new_op(name, type_, args, fn=fn, out_specs=out_specs, attrs=attrs,
                            kind=kind)


class Operation:
    """A node: a registry op (or a session-state op) applied to input tensors.

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default():
    ...     c = tf.constant(2.0, name="c")
    ...     y = tf.square(c, name="y")
    ...     print(y.op.name, y.op.type, [t.name for t in y.op.inputs], y.op.outputs[0] is y)
    y Square ['c:0'] True
    """

    __slots__ = ("graph", "_name", "type", "_args", "_params", "_op", "_fn", "_attrs",
                 "_kind", "outputs", "control_inputs", "__weakref__")

    def __init__(self, graph, name, type_, args, params, op, fn, attrs, kind):
        self.graph = graph
        self._name = name
        self.type = type_
        self._args = args
        self._params = params
        self._op = op
        self._fn = fn
        self._attrs = attrs
        self._kind = kind
        self.outputs = []
        self.control_inputs = []

    @property
    def name(self):
        return self._name

    @property
    def inputs(self):
        return [a for a in self._args if isinstance(a, Tensor)]

    @property
    def device(self):
        return ""

    def values(self):
        return tuple(self.outputs)

    def get_attr(self, name):
        if name in self._attrs:
            return self._attrs[name]
        if name in self._params:
            return self._params[name]
        raise ValueError(f"Operation '{self._name}' has no attr named '{name}'.")

    def run(self, feed_dict=None, session=None):
        """Run this op in ``session`` (default: the default session)."""
        from .session import _session_for
        _session_for(session, self).run(self, feed_dict=feed_dict)

    def __repr__(self):
        return f"<tf.Operation '{self._name}' type={self.type}>"

    def __str__(self):
        ins = "".join(f'\ninput: "{t.name}"' for t in self.inputs)
        return f'name: "{self._name}"\nop: "{self.type}"{ins}\n'


# Tensor.dtype goes through this hook; ndgrad.tf installs its DType view
dtype_view = {"fn": None}
# the Python operators of a Tensor; ndgrad.tf installs TF's conversion and naming
operator_impl = {"binary": None, "unary": None, "getitem": None}

_BINARY = {"add": "add", "sub": "subtract", "mul": "multiply", "truediv": "divide",
           "floordiv": "floor_divide", "mod": "remainder", "pow": "pow", "matmul": "matmul",
           "and": "logical_and", "or": "logical_or", "xor": "logical_xor"}
_COMPARE = {"lt": "less", "le": "less_equal", "gt": "greater", "ge": "greater_equal"}


class Tensor:
    """A symbolic tensor: output ``value_index`` of operation ``op``.

    It has a static shape and a dtype, never a value (``eval()`` or ``Session.run``
    compute one). Tensors hash and compare by identity, as in TensorFlow 1.

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default():
    ...     t = tf.constant([[1.0, 2.0]], name="t")
    ...     print(t.name, t.op.type, t.shape.as_list(), t.dtype)
    ...     with tf.Session():
    ...         print(t.eval())
    t:0 Const [1, 2] <dtype: 'float32'>
    [[1. 2.]]
    """

    __slots__ = ("_op", "_index", "_shape", "_np_dtype", "__weakref__", "__dict__")
    __array_priority__ = 10000
    __array_ufunc__ = None   # NumPy operators defer to ours

    def __init__(self, op, index, shape, np_dtype):
        self._op = op
        self._index = index
        self._shape = None if shape is None else tuple(shape)
        self._np_dtype = np.dtype(np_dtype)

    # -- identity ---------------------------------------------------------------------
    @property
    def op(self):
        return self._op

    @property
    def graph(self):
        return self._op.graph

    @property
    def name(self):
        return f"{self._op.name}:{self._index}"

    @property
    def value_index(self):
        return self._index

    @property
    def device(self):
        return ""

    def consumers(self):
        return [o for o in self.graph._ops if any(a is self for a in o._args)]

    @property
    def dtype(self):
        f = dtype_view["fn"]
        return f(self) if f is not None else self._np_dtype

    # -- static shape -------------------------------------------------------------------
    @property
    def shape(self):
        return TensorShape(self._shape)

    def get_shape(self):
        return TensorShape(self._shape)

    def set_shape(self, shape):
        merged = TensorShape(self._shape).merge_with(shape)
        self._shape = merged.as_tuple()

    @property
    def ndim(self):
        if self._shape is None:
            raise ValueError(f"the rank of {self.name} is unknown")
        return len(self._shape)

    # -- evaluation -------------------------------------------------------------------
    def eval(self, feed_dict=None, session=None):
        """This tensor's value in ``session`` (default: the default session)."""
        from .session import _session_for
        return _session_for(session, self).run(self, feed_dict=feed_dict)

    # -- printing ---------------------------------------------------------------------
    def _dtype_name(self):
        return self.dtype.name if hasattr(self.dtype, "name") else str(self.dtype)

    def __str__(self):
        shape = "" if self._shape is None else f", shape={TensorShape(self._shape)}"
        return f'Tensor("{self.name}"{shape}, dtype={self._dtype_name()})'

    def __repr__(self):
        shape = "" if self._shape is None else f" shape={TensorShape(self._shape)}"
        return f"<tf.Tensor '{self.name}'{shape} dtype={self._dtype_name()}>"

    # -- Python protocol --------------------------------------------------------------
    __hash__ = object.__hash__

    def __eq__(self, other):
        if _state.grad_mode:
            return apply(REGISTRY["equal"], (self, other))
        return self is other

    def __ne__(self, other):
        if _state.grad_mode:
            return apply(REGISTRY["not_equal"], (self, other))
        return self is not other

    def __bool__(self):
        raise TypeError("Using a `tf.Tensor` as a Python `bool` is not allowed. Use `if t is "
                        "not None:` instead of `if t:` to test if a tensor is defined, and use"
                        " TensorFlow ops such as tf.cond to execute subgraphs conditioned on "
                        "the value of a tensor.")

    def __iter__(self):
        if self._shape is None:
            raise TypeError("Cannot iterate over a tensor with unknown shape.")
        if not self._shape:
            raise TypeError("Cannot iterate over a scalar tensor.")
        n = self._shape[0]
        if n is None:
            raise TypeError("Cannot iterate over a tensor with unknown first dimension.")
        return (self[i] for i in range(n))

    def __len__(self):
        raise TypeError(f"len is not well defined for symbolic Tensors. ({self.name}) Please "
                        "call `x.shape` rather than `len(x)` for shape information.")

    def __array__(self, dtype=None, copy=None):
        raise NotImplementedError(f"Cannot convert a symbolic Tensor ({self.name}) to a numpy "
                                  "array.")

    def __getitem__(self, key):
        f = operator_impl["getitem"]
        if f is not None and not _state.grad_mode:
            return f(self, key)
        from .dynamic import strided_slice
        return strided_slice(self, key)

    def _as_graph_element(self):
        return self


def _make_binary(dunder, reg_name, reflected):
    def method(self, other):
        f = operator_impl["binary"]
        if f is not None and not _state.grad_mode:
            return f(dunder, reg_name, self, other, reflected)
        args = (other, self) if reflected else (self, other)
        return apply(REGISTRY[reg_name], args)
    method.__name__ = f"__{'r' if reflected else ''}{dunder}__"
    return method


def _make_unary(dunder, reg_name, tf_name):
    def method(self):
        f = operator_impl["unary"]
        if f is not None and not _state.grad_mode:
            return f(reg_name, tf_name, self)
        return apply(REGISTRY[reg_name], (self,))
    method.__name__ = f"__{dunder}__"
    return method


for _d, _r in _BINARY.items():
    setattr(Tensor, f"__{_d}__", _make_binary(_d, _r, False))
    setattr(Tensor, f"__r{_d}__", _make_binary(_d, _r, True))
for _d, _r in _COMPARE.items():
    setattr(Tensor, f"__{_d}__", _make_binary(_d, _r, False))
Tensor.__neg__ = _make_unary("neg", "negative", "Neg")
Tensor.__abs__ = _make_unary("abs", "abs", "Abs")
Tensor.__invert__ = _make_unary("invert", "logical_not", "LogicalNot")


def ancestors(ops, stop=(), control=False, follow=None, skipped=None):
    """The set of ``ops`` and every op they depend on through their inputs (and their
    control inputs when ``control``), not looking past the tensors in ``stop``.
    ``follow``: a set of ops; only control inputs in it are walked, the others are
    added to ``skipped`` (``outside_waits``)."""
    seen = set()
    stack = list(ops)
    while stack:
        op = stack.pop()
        if op in seen:
            continue
        seen.add(op)
        for a in op._args:
            if isinstance(a, Tensor) and a not in stop and a._op not in seen:
                stack.append(a._op)
        if control:
            stack.extend(c for c in op.control_inputs if c not in seen)
        elif follow is not None:
            for c in op.control_inputs:
                if c in follow:
                    stack.append(c)
                else:
                    skipped.add(c)
    return seen


def outside_waits(fetch, fed, inside):
    """The ops outside ``inside`` (a set of ops: a branch's or a loop body's) that the
    ops computing ``fetch`` (not past the ``fed`` tensors) wait for through control
    inputs -- a branch or a gradient built under ``control_dependencies`` (an
    optimizer's, after the batch-norm updates). The node running the sub-graph waits
    for them once, and the sub-graph does not run them again (TensorFlow likewise moves
    such external control edges to the loop's or cond's entry)."""
    outside = set()
    ancestors([t if isinstance(t, Operation) else t._op for t in fetch
               if isinstance(t, Operation) or t not in fed], fed, follow=inside,
              skipped=outside)
    return {c for c in outside if c._kind != "variable"}


@contextlib.contextmanager
def gradient_mode():
    """Inside, Tensor operators follow ndgrad's (NumPy) semantics: the gradient rules,
    written for arrays, build graph with ``x == y`` elementwise."""
    _state.grad_mode += 1
    try:
        yield
    finally:
        _state.grad_mode -= 1


# -- the registry hook ----------------------------------------------------------------
def _plain(v):
    """Static-shape objects in params as plain ints/None; tf dtypes as NumPy dtypes."""
    if isinstance(v, TensorShape):
        return v.as_tuple()
    if isinstance(v, Dimension):
        return v.value
    if isinstance(v, tuple) and any(isinstance(e, Dimension) for e in v):
        return tuple(e.value if isinstance(e, Dimension) else e for e in v)
    if type(v).__module__.startswith("ndgrad.tf"):
        try:
            return _dtypes.as_dtype(v)
        except Exception:
            return v
    return v


def graph_apply(op, arrays, params):
    """Add ``op`` applied to ``arrays`` to the graph of its symbolic inputs."""
    g = first = None
    for a in arrays:
        if isinstance(a, Tensor):
            if g is None:
                g, first = a.graph, a
            elif a.graph is not g:
                raise ValueError(f"{a} must be from the same graph as {first}.")
    args = []
    for a in arrays:
        if isinstance(a, Tensor):
            t = getattr(a, "_as_graph_element", None)
            args.append(a if t is None else t())
        elif a is None or isinstance(a, (bool, int, float, complex)):
            args.append(a)
        else:
            args.append(g.constant(np.asarray(a)))
    params = {k: _plain(v) for k, v in params.items()} if params else {}
    return g.apply_registry_op(op, args, params)


_registry.graph_hooks["types"] = (Tensor,)
_registry.graph_hooks["apply"] = graph_apply


# -- static shape inference ------------------------------------------------------------
def _dummy(a, sub, fill=0):
    if not isinstance(a, Tensor):
        return a
    if a._op._kind == "const":
        return a._op._attrs["value"]
    shape = tuple(sub if d is None else d for d in a._shape)
    if fill:
        return np.full(shape, fill, dtype=a._np_dtype)
    return np.zeros(shape, dtype=a._np_dtype)


def _outs(op, out):
    outs = out if op.multi else (out,)
    return [(tuple(np.shape(o)), _dtype_of_output(o)) for o in outs]


def _dtype_of_output(o):
    """An output's dtype; a Python bytes / str (one element taken out of an object array
    of strings, as a 0-d gather gives) is a string tensor (object), not NumPy's
    fixed-width ``S``/``U`` dtype of its length."""
    if hasattr(o, "dtype"):
        return np.dtype(o.dtype)
    if isinstance(o, (bytes, str)):
        return np.dtype(object)
    return np.asarray(o).dtype


def _run(op, args, params, sub, fill=0):
    with np.errstate(all="ignore"):
        return _outs(op, op.forward(_npx, *[_dummy(a, sub, fill) for a in args], **params))


def _describe(args):
    return ", ".join(str(TensorShape(a._shape)) if isinstance(a, Tensor) else repr(a)
                     for a in args)


def infer(op, args, params):
    """[(static shape, dtype)] for each output of ``op`` applied to ``args``."""
    if op.shape_rule is not None:
        return op.shape_rule(args, params)
    tensors = [a for a in args if isinstance(a, Tensor)]
    if any(t._shape is None for t in tensors):
        # unknown rank: the dtype from a scalar stand-in, the shape unknown
        subst = [Tensor.__new__(Tensor) if isinstance(a, Tensor) else a for a in args]
        for s, a in zip(subst, args):
            if isinstance(a, Tensor):
                s._op, s._shape, s._np_dtype = a._op, (a._shape if a._shape is not None
                                                       else ()), a._np_dtype
                if a._shape is None:
                    s._op = _NOT_CONST
        try:
            specs = _run(op, subst, params, 1)
            return [(None, d) for _, d in specs]
        except Exception:
            pass
        # a scalar stand-in the op refuses (a matrix function, say): stand-ins of rank
        # 1 to 4 tell the output dtypes (an SVD's singular values of a complex input are
        # real); only when every one fails is the first input's dtype assumed
        for rank in (2, 1, 3, 4):
            for s, a in zip(subst, args):
                if isinstance(a, Tensor) and a._shape is None:
                    s._shape = (2,) * rank
            try:
                return [(None, d) for _, d in _run(op, subst, params, 1)]
            except Exception:
                continue
        return [(None, tensors[0]._np_dtype)]
    unknown = any(None in t._shape for t in tensors)
    if not unknown:
        try:
            return _run(op, args, params, 1)
        except Exception as e:
            # zeros may be outside the op's domain (multigammaln, cholesky): try ones
            try:
                return _run(op, args, params, 1, fill=1)
            except Exception:
                pass
            raise ValueError(f"{tf_type(op.name)} ({op.name}): cannot apply to inputs of "
                             f"shapes {_describe(args)}: {e}") from None
    for small, large in ((2, 3), (17, 19)):
        # (17, 19): an unknown dimension that constant indices, a slice or a segment id
        # reach beyond 2 or 3 (tf.gather(x, [0, 2, 2]) of a (?, ?) x)
        try:
            a = _run(op, args, params, small)
            b = _run(op, args, params, large)
            return [(tuple(x if x == y else None for x, y in zip(sa, sb))
                     if len(sa) == len(sb) else None, da)
                    for (sa, da), (sb, _) in zip(a, b)]
        except Exception:
            pass
    try:
        a = _run(op, args, params, 1)
        return [(tuple(None if x == 1 else x for x in sa), da) for sa, da in a]
    except Exception as e:
        found = _pinned_search(op, args, params)
        if found is not None:
            return found
        raise ValueError(f"{tf_type(op.name)} ({op.name}): cannot apply to inputs of shapes "
                         f"{_describe(args)}: {e}") from None


def _run_with(op, args, params, sizes):
    """``_run`` with the unknown dimension ``(argument index, axis)`` of each key of
    ``sizes`` taken as its value."""
    vals = []
    for i, a in enumerate(args):
        if isinstance(a, Tensor) and a._op._kind != "const":
            a = np.zeros(tuple(sizes[i, k] if d is None else d
                               for k, d in enumerate(a._shape)), dtype=a._np_dtype)
        vals.append(_dummy(a, 1))
    with np.errstate(all="ignore"):
        return _outs(op, op.forward(_npx, *vals, **params))


def _pinned_search(op, args, params):
    """Static shapes where an unknown dimension must equal a known one of another input
    (``concat([x, h], 1)`` of a ``(?, 5)`` placeholder and a ``(2, 4)`` state, ``stack``,
    ``tensordot`` of a ``(?, ?)`` and a ``(784, 10)``), which the uniform stand-ins of
    ``infer`` cannot meet; None when no stand-in runs, or when a dimension looks pinned
    to a size no other input has (a divisibility rule, say: then nothing is claimed).

    A base assignment that runs is sought (each unknown dimension the known size at its
    place, counted from the right, in the other inputs; then every unknown dimension one
    known size), then every unknown dimension is moved (by 1, 2, 7 and to twice its
    size), and pairs of them by 1: an output dimension that any run which succeeds
    changes is unknown (None), the others static. A dimension that no move lets run is
    pinned -- only where its base size is a known size of another input, the equality
    the ops this serves require."""
    slots = [(i, k) for i, a in enumerate(args)
             if isinstance(a, Tensor) and a._op._kind != "const"
             for k, d in enumerate(a._shape) if d is None]
    if not slots or len(slots) > 12:
        return None
    tensors = [(i, a._shape) for i, a in enumerate(args) if isinstance(a, Tensor)]
    place = {}
    for i, k in slots:
        back = len(args[i]._shape) - k
        seen = {s[len(s) - back] for j, s in tensors
                if j != i and len(s) >= back and s[len(s) - back] is not None}
        place[i, k] = seen.pop() if len(seen) == 1 else 2
    known = sorted({d for _, s in tensors for d in s if d is not None and d > 1})[:8]
    for base in [place] + [dict.fromkeys(slots, v) for v in known]:
        try:
            ref = _run_with(op, args, params, base)
        except Exception:
            continue
        shapes = [list(sa) for sa, _ in ref]
        moves = [{s: v} for s in slots
                 for v in sorted({base[s] + 1, base[s] + 2, base[s] + 7, 2 * base[s]})]
        if len(slots) <= 8:
            moves += [{s: base[s] + 1, t: base[t] + 1}
                      for n, s in enumerate(slots) for t in slots[n + 1:]]
        free = set()
        for move in moves:
            try:
                got = _run_with(op, args, params, {**base, **move})
            except Exception:
                continue
            free.update(move)
            for n, (sb, _) in enumerate(got):
                if shapes[n] is None or len(sb) != len(shapes[n]):
                    shapes[n] = None
                else:
                    shapes[n] = [x if x == y else None for x, y in zip(shapes[n], sb)]
        for i, k in slots:
            if (i, k) not in free and base[i, k] not in {
                    d for j, sh in tensors if j != i for d in sh if d is not None}:
                return None
        return [(None if s is None else tuple(s), d) for s, (_, d) in zip(shapes, ref)]
    return None


class _NotConst:
    _kind = "unknown"


_NOT_CONST = _NotConst()


# -- shape rules for the cheap and common ops (no dummy arithmetic on big arrays) ------
def broadcast_static(shapes):
    """Broadcast static shapes with None dims; ValueError naming both when impossible."""
    out = []
    n = max(len(s) for s in shapes)
    for i in range(1, n + 1):
        dim = 1
        for s in shapes:
            if i > len(s):
                continue
            d = s[-i]
            if d == 1:
                continue
            if dim == 1:
                dim = d
            elif d is None:
                continue
            elif dim is None:
                dim = d
            elif d != dim:
                raise ValueError("Dimensions must be equal, but are "
                                 f"{dim} and {d} for shapes "
                                 + " and ".join(str(TensorShape(x)) for x in shapes))
        if dim == 1 and any(i <= len(s) and s[-i] is None for s in shapes):
            dim = None
        out.append(dim)
    return tuple(reversed(out))


def _elementwise_rule(op):
    def rule(args, params):
        tensors = [a for a in args if isinstance(a, Tensor)]
        with np.errstate(all="ignore"):
            small = op.forward(_npx, *[np.zeros((), a._np_dtype) if isinstance(a, Tensor)
                                       else a for a in args], **params)
        dt = np.asarray(small).dtype if not hasattr(small, "dtype") else np.dtype(small.dtype)
        if any(t._shape is None for t in tensors):
            return [(None, dt)]
        return [(broadcast_static([t._shape for t in tensors] or [()]), dt)]
    return rule


def _matmul_rule(args, params):
    a, b = args
    dt = np.result_type(a._np_dtype if isinstance(a, Tensor) else a,
                        b._np_dtype if isinstance(b, Tensor) else b)
    sa, sb = a._shape, b._shape
    if sa is None or sb is None:
        return [(None, dt)]
    if len(sa) < 2 or len(sb) < 2:
        return _run(REGISTRY["matmul"], args, params, 2) if None not in sa + sb else [
            (None, dt)]
    k1, k2 = sa[-1], sb[-2]
    if k1 is not None and k2 is not None and k1 != k2:
        raise ValueError(f"Dimensions must be equal, but are {k1} and {k2} for 'MatMul' "
                         f"with input shapes: {list(TensorShape(sa).as_list())}, "
                         f"{list(TensorShape(sb).as_list())}.".replace("None", "?"))
    batch = broadcast_static([sa[:-2], sb[:-2]])
    return [(batch + (sa[-2], sb[-1]), dt)]


def _install_rules():
    from .._ops import elementwise
    for name, vjp, _ in elementwise.UNARY + elementwise.BINARY:
        op = REGISTRY.get(name)
        if op is not None and op.shape_rule is None:
            op.shape_rule = _elementwise_rule(op)
    if REGISTRY["matmul"].shape_rule is None:
        REGISTRY["matmul"].shape_rule = _matmul_rule


_install_rules()

"""GraphDef and MetaGraphDef protos of ndgrad graphs (for TensorBoard and ``.meta`` files).

Each node keeps ndgrad's op name and TensorFlow's op type (``MatMul``, ``Add``,
``Placeholder``, ``VariableV2`` ...), its inputs (``^name`` for control inputs), device,
``dtype``/``T``, ``shape`` and ``_output_shapes`` attributes and, for constants, the value;
name scopes are the ``/`` in the names, which TensorBoard draws as groups. Nodes also carry
``_ndgrad_op`` / ``_ndgrad_params`` so that ``import_meta_graph`` can rebuild the ops.

The protos are the ``tensorboard`` package's copies of TensorFlow's (``tensorboard.compat
.proto``), imported when a function here is called (extra ``viz``).

>>> import ndgrad.tf as tf
>>> g = tf.Graph()
>>> with g.as_default():
...     x = tf.placeholder(tf.float32, (None, 2), name="x")
...     y = tf.matmul(x, tf.ones((2, 1)), name="y")
>>> gd = graph_def(g)
>>> [(n.name, n.op) for n in gd.node]
[('x', 'Placeholder'), ('ones', 'Const'), ('y', 'MatMul')]
"""
from __future__ import annotations

import json

import numpy as np

from ..graph.core import Tensor
from . import checkpoint_bundle as _cb

__all__ = ["graph_def", "meta_graph_def", "DEVICE", "input_name", "write_graph"]

DEVICE = "/device:CPU:0"    # every ndgrad graph op runs on the NumPy (CPU) backend


def _protos():
    from tensorboard.compat.proto import graph_pb2, node_def_pb2, attr_value_pb2  # noqa
    from tensorboard.compat.proto import tensor_pb2, tensor_shape_pb2
    return graph_pb2, node_def_pb2, attr_value_pb2, tensor_pb2, tensor_shape_pb2


def _dtype_enum(np_dtype):
    if np.dtype(np_dtype).kind == "O":
        return 7                # DT_STRING
    try:
        return _cb.dtype_enum(np_dtype)
    except TypeError:
        return 0


def _shape_proto(tsp, shape):
    p = tsp.TensorShapeProto()
    if shape is None:
        p.unknown_rank = True
        return p
    for d in shape:
        p.dim.add(size=-1 if d is None else int(d))
    return p


def _tensor_proto(tp, tsp, value):
    value = np.asarray(value)
    p = tp.TensorProto(dtype=_dtype_enum(value.dtype),
                       tensor_shape=_shape_proto(tsp, value.shape))
    if value.dtype.kind == "O":
        p.string_val.extend(v if isinstance(v, bytes) else str(v).encode()
                            for v in value.reshape(-1))
    elif p.dtype:
        p.tensor_content = value.astype(value.dtype.newbyteorder("<")).tobytes()
    return p


def input_name(t):
    """A tensor as a GraphDef input: ``op`` for output 0, ``op:i`` otherwise."""
    return t.op.name if t.value_index == 0 else f"{t.op.name}:{t.value_index}"


def _encode(o):
    """A JSON-able form of op params/args that decodes to equal values of the same types
    (NumPy scalars keep their dtype: NumPy 2 promotes them differently from Python's)."""
    if isinstance(o, np.generic):
        return {"__npscalar__": [o.dtype.str, _encode(o.item())]}
    if isinstance(o, np.ndarray):
        if o.dtype.kind not in "biufc":
            raise TypeError(f"array of dtype {o.dtype}")
        return {"__ndarray__": [o.dtype.str, list(o.shape),
                                [_encode(v) for v in o.reshape(-1).tolist()]]}
    if isinstance(o, complex):
        return {"__complex__": [o.real, o.imag]}
    if isinstance(o, np.dtype):
        return {"__dtype__": o.str}
    if isinstance(o, slice):
        return {"__slice__": [_encode(o.start), _encode(o.stop), _encode(o.step)]}
    if o is Ellipsis:
        return {"__ellipsis__": True}
    if isinstance(o, (list, tuple)):
        return [_encode(v) for v in o]
    if isinstance(o, dict):
        if not all(isinstance(k, str) for k in o):
            raise TypeError("dict with non-str keys")
        return {k: _encode(v) for k, v in o.items()}
    if o is None or isinstance(o, (bool, int, float, str)):
        return o
    raise TypeError(type(o).__name__)


def _jsonable(params):
    """JSON text of ``params``, or None when they hold something it cannot carry."""
    try:
        return json.dumps(_encode(params), sort_keys=True)
    except (TypeError, ValueError):
        return None


# random ops with a static shape, rebuilt on import with the same seeds
_RANDOM = ("RandomStandardNormal", "TruncatedNormal", "RandomUniform")


def node_def(op):
    """The NodeDef proto of one ndgrad Operation."""
    _, node_def_pb2, av, tp, tsp = _protos()
    n = node_def_pb2.NodeDef(name=op.name, op=op.type, device=DEVICE)
    n.input.extend(input_name(t) for t in op.inputs)
    n.input.extend("^" + c.name for c in op.control_inputs)
    outs = op.outputs
    if outs:
        n.attr["_output_shapes"].CopyFrom(av.AttrValue(list=av.AttrValue.ListValue(
            shape=[_shape_proto(tsp, t._shape) for t in outs])))
        n.attr["_output_types"].CopyFrom(av.AttrValue(list=av.AttrValue.ListValue(
            type=[_dtype_enum(t._np_dtype) for t in outs])))
    kind = op._kind
    if kind in ("const", "placeholder", "variable") and outs:
        n.attr["dtype"].CopyFrom(av.AttrValue(type=_dtype_enum(outs[0]._np_dtype)))
    elif op.inputs or outs:
        t = op.inputs[0] if op.inputs else outs[0]
        n.attr["T"].CopyFrom(av.AttrValue(type=_dtype_enum(t._np_dtype)))
    if kind == "const":
        n.attr["value"].CopyFrom(av.AttrValue(tensor=_tensor_proto(tp, tsp,
                                                                   op._attrs["value"])))
    if kind in ("placeholder", "variable") and outs:
        n.attr["shape"].CopyFrom(av.AttrValue(shape=_shape_proto(tsp, outs[0]._shape)))
    seed = op._attrs.get("seed") if op.type in _RANDOM else None
    if seed is not None:
        n.attr["_ndgrad_seed"].CopyFrom(av.AttrValue(list=av.AttrValue.ListValue(
            i=[int(v) for v in seed])))
    source = (op._attrs.get("cond") or {}).get("source") if op.type == "If" else None
    if source is not None:
        # a conditional: its branches' results and the ops of each branch (all of them
        # nodes of this GraphDef), from which the import rebuilds it
        def ref(x):
            return x.name if isinstance(x, Tensor) else "^" + x.name
        n.attr["_ndgrad_cond"].CopyFrom(av.AttrValue(s=json.dumps({
            "true": [ref(x) for x in source[0]], "false": [ref(x) for x in source[1]],
            "true_ops": [o.name for o in source[2]],
            "false_ops": [o.name for o in source[3]],
            "refs": len(op._attrs["cond"]["refs"])}).encode()))
    if op._op is not None:
        # enough to rebuild the op on import; left out (so the import stubs the op) when
        # its params or constant arguments cannot be carried exactly
        params = _jsonable(op._params)
        consts = [None if isinstance(a, Tensor) else a for a in op._args]
        args = _jsonable(consts)
        if params is not None and args is not None:
            n.attr["_ndgrad_op"].CopyFrom(av.AttrValue(s=op._op.name.encode()))
            n.attr["_ndgrad_params"].CopyFrom(av.AttrValue(s=params.encode()))
            n.attr["_ndgrad_args"].CopyFrom(av.AttrValue(s=args.encode()))
    return n


def graph_def(graph, ops=None):
    """The GraphDef of ``graph`` (or of the operations ``ops`` only, in graph order).

    Graph order is creation order, so every node comes after its inputs.
    """
    graph_pb2 = _protos()[0]
    from tensorboard.compat.proto import versions_pb2
    gd = graph_pb2.GraphDef(versions=versions_pb2.VersionDef(producer=27))
    keep = None if ops is None else set(ops)
    for op in graph.get_operations():
        if keep is None or op in keep:
            gd.node.append(node_def(op))
    return gd


def meta_graph_def(graph, saver=None, collection_list=None):
    """A MetaGraphDef: the graph, the saver's checkpoint settings and the collections
    whose members are graph elements (stored by name, as TensorFlow's node_list)."""
    from tensorboard.compat.proto import meta_graph_pb2, saver_pb2
    mg = meta_graph_pb2.MetaGraphDef()
    mg.meta_info_def.tensorflow_version = "1.15.0-ndgrad"
    mg.meta_info_def.tensorflow_git_version = "ndgrad"
    mg.graph_def.CopyFrom(graph_def(graph))
    if saver is not None:
        # ndgrad's Saver works without save/restore ops in the graph, so the SaverDef
        # names none (TensorFlow's names ops that only its own graphs have)
        mg.saver_def.CopyFrom(saver_pb2.SaverDef(
            max_to_keep=saver._max_to_keep or 0,
            sharded=False, keep_checkpoint_every_n_hours=saver._keep_hours,
            version=saver_pb2.SaverDef.V2))
    keys = collection_list if collection_list is not None else \
        graph.get_all_collection_keys()
    for key in sorted(keys):
        if not isinstance(key, str):
            continue
        names = []
        for item in graph.get_collection(key):
            name = getattr(item, "name", None)
            if isinstance(item, Tensor) or (name is not None and hasattr(item, "type")):
                names.append(name)
        if names:
            mg.collection_def[key].node_list.value.extend(names)
    return mg


# -- import: rebuild the ops of a graph ndgrad wrote -----------------------------------------
def _decode(o):
    if isinstance(o, list):
        return tuple(_decode(v) for v in o)
    if isinstance(o, dict):
        if "__npscalar__" in o:
            dt, v = o["__npscalar__"]
            return np.dtype(dt).type(_decode(v))
        if "__ndarray__" in o:
            dt, shape, vals = o["__ndarray__"]
            return np.array([_decode(v) for v in vals], dtype=np.dtype(dt)).reshape(shape)
        if "__complex__" in o:
            return complex(*o["__complex__"])
        if "__dtype__" in o:
            return np.dtype(o["__dtype__"])
        if "__slice__" in o:
            return slice(*(_decode(v) for v in o["__slice__"]))
        if "__ellipsis__" in o:
            return Ellipsis
        return {k: _decode(v) for k, v in o.items()}
    return o


def _np_of(enum):
    if enum == 7:
        return np.dtype(object)
    t = _cb._DT_TO_NP.get(enum)
    if t is None:
        raise ValueError(f"DataType {enum} is not supported by ndgrad")
    return np.dtype(t)


def _shape_of(sp):
    if sp.unknown_rank:
        return None
    return tuple(None if d.size < 0 else d.size for d in sp.dim)


def _const_value(tproto):
    dt = _np_of(tproto.dtype)
    shape = _shape_of(tproto.tensor_shape)
    if dt.kind == "O":
        vals = list(tproto.string_val)
        a = np.empty(len(vals), dtype=object)
        a[:] = vals
        return a.reshape(shape) if vals else np.empty(shape, dtype=object)
    if tproto.tensor_content or 0 in shape:
        return np.frombuffer(tproto.tensor_content,
                             dtype=dt.newbyteorder("<")).astype(dt).reshape(shape)
    raise ValueError("a Const without tensor_content was not written by ndgrad")


def _check_outputs(n, op):
    """A rebuilt op must have the recorded output shapes and dtypes, else the import
    stops."""
    want = [_shape_of(sp) for sp in n.attr["_output_shapes"].list.shape] \
        if "_output_shapes" in n.attr else None
    got = [t._shape for t in op.outputs]
    types = list(n.attr["_output_types"].list.type) if "_output_types" in n.attr else None
    got_types = [_dtype_enum(t._np_dtype) for t in op.outputs]
    if (want is not None and want != got) or (types is not None and types != got_types):
        raise ValueError(f"import: rebuilt node {n.name!r} ({n.op}) has outputs {got} "
                         f"{got_types}, the GraphDef records {want} {types}")


def import_graph_def_nodes(gd, collections=None, import_scope=None):
    """Rebuild the nodes of GraphDef ``gd`` (as ``graph_def`` writes them) in the default
    graph; returns {node name: new Operation}. Ops ndgrad cannot rebuild from a proto
    (optimizer updates, gradient helpers, summaries...) become nodes of the same name, type and
    outputs that raise a clear error when run; everything a checkpoint restores still works.
    """
    from ..graph.core import get_default_graph
    from .._ops.registry import REGISTRY
    from ..graph import errors as _errors
    from . import state_ops as _so
    from . import random_ops as _random_ops
    from . import variables as _variables

    g = get_default_graph()
    collections = collections or {}
    var_colls = {}
    for key, names in collections.items():
        for n in names:
            var_colls.setdefault(n.split(":")[0], []).append(key)
    prefix = (import_scope.rstrip("/") + "/") if import_scope else ""
    nodes = list(gd.node)
    by_name = {n.name: n for n in nodes}
    init_assign = {}          # variable name -> (its initializer Assign node, value input)
    for n in nodes:
        if n.op == "Assign" and n.name.endswith("/Assign") and n.input and \
                n.name[:-len("/Assign")] == n.input[0].split(":")[0] and \
                by_name.get(n.input[0].split(":")[0], None) is not None and \
                by_name[n.input[0].split(":")[0]].op == "VariableV2":
            init_assign[n.input[0].split(":")[0]] = n
    ops = {}

    def tensor(ref):
        name, _, idx = ref.partition(":")
        op = ops.get(name)
        if op is None:
            raise ValueError(f"node input {ref!r} refers to a node not defined before it")
        return op.outputs[int(idx) if idx else 0]

    def exact(name):
        full = prefix + name
        got = g.unique_name(full)
        if got != full:
            raise ValueError(f"cannot import node {full!r}: the name is already used in "
                             "this graph (pass import_scope)")
        return full + "/"

    def out_specs(n):
        shapes = [_shape_of(s) for s in n.attr["_output_shapes"].list.shape] \
            if "_output_shapes" in n.attr else []
        types = [_np_of(t) for t in n.attr["_output_types"].list.type] \
            if "_output_types" in n.attr else []
        if len(types) != len(shapes):
            raise ValueError(f"import: node {n.name!r} ({n.op}) was not written by ndgrad "
                             "(no _output_types); ndgrad imports the graphs it wrote")
        return list(zip(shapes, types))

    def random(n):
        draw = {"RandomStandardNormal": _random_ops._normal, "TruncatedNormal": _random_ops._truncated,
                "RandomUniform": _random_ops._uniform}[n.op]
        ((shape, dt),) = out_specs(n)
        seeds = list(n.attr["_ndgrad_seed"].list.i) if "_ndgrad_seed" in n.attr else None

        def fn(ctx):
            return draw(ctx.session.rng(op, seeds), shape, dt)
        op = g.special_op(n.op, exact(n.name), (), fn, [(shape, dt)], attrs={"seed": seeds})
        return op

    def stub(n, inputs):
        name, typ = prefix + n.name, n.op

        def fail(ctx, *vals):
            raise _errors.UnimplementedError(
                None, None, f"op {name!r} (type {typ}) was imported from a MetaGraphDef; "
                "ndgrad rebuilds constants, placeholders, variables, assignments "
                "(assign, assign_add, assign_sub), conditionals, random draws and array "
                "ops from a GraphDef, not this one")
        return g.special_op(typ, exact(n.name), inputs, fail, out_specs(n))

    def cond_node(n, inputs):
        from ..graph.cond import build_cond
        spec = json.loads(n.attr["_ndgrad_cond"].s.decode())

        def res(r):
            return ops[r[1:]] if r.startswith("^") else tensor(r)
        # the predicate: the first computed input (after the variables it reads)
        pred = inputs[spec["refs"]]
        outs = build_cond(g, pred, [res(r) for r in spec["true"]],
                          [res(r) for r in spec["false"]],
                          {ops[x] for x in spec["true_ops"] if x in ops},
                          {ops[x] for x in spec["false_ops"] if x in ops}, exact(n.name))
        out = outs[0].op
        _check_outputs(n, out)
        return out

    for n in nodes:
        ctrl = [ops[c[1:]] for c in n.input if c.startswith("^")]
        inputs = [tensor(i) for i in n.input if not i.startswith("^")]
        with g.control_dependencies(ctrl or None):
            if n.op == "Const":
                out = g.constant(_const_value(n.attr["value"].tensor), exact(n.name)).op
            elif n.op in ("Placeholder", "PlaceholderV2"):
                exact(n.name)
                g._names_in_use[(prefix + n.name).lower()] = 0
                out = _so.placeholder(_np_of(n.attr["dtype"].type),
                                      _shape_of(n.attr["shape"].shape),
                                      name=prefix + n.name).op
            elif n.op == "VariableV2":
                a = init_assign.get(n.name)
                if a is None:
                    out = stub(n, inputs)
                else:
                    init = tensor(a.input[1])
                    colls = var_colls.get(n.name, [_variables.GraphKeys.GLOBAL_VARIABLES])
                    trainable = _variables.GraphKeys.TRAINABLE_VARIABLES in colls
                    exact(n.name)
                    g._names_in_use[(prefix + n.name).lower()] = 0
                    with g.control_dependencies(None):
                        v = _variables.Variable(init, trainable=trainable, name=prefix + n.name,
                                         collections=[c for c in colls
                                                      if c != _variables.GraphKeys.TRAINABLE_VARIABLES])
                    out = v.op
                    ops[a.name] = v.initializer
            elif n.name in ops:          # a variable's initializer, made with it
                continue
            elif n.op in _RANDOM and not inputs and len(out_specs(n)) == 1 and \
                    None not in (out_specs(n)[0][0] or (None,)):
                out = random(n)
            elif n.op == "NoOp":
                out = _so.no_op(name=exact(n.name))
            elif n.op == "Assign" and len(inputs) == 2:
                out = _so.assign(inputs[0], inputs[1], name=exact(n.name)).op
            elif n.op in ("AssignAdd", "AssignSub") and len(inputs) == 2 and \
                    inputs[0]._op._kind == "variable":
                f = _so.assign_add if n.op == "AssignAdd" else _so.assign_sub
                out = f(inputs[0], inputs[1], name=exact(n.name)).op
            elif n.op == "If" and "_ndgrad_cond" in n.attr:
                out = cond_node(n, inputs)
            elif "_ndgrad_op" in n.attr and n.attr["_ndgrad_op"].s.decode() in REGISTRY:
                rop = REGISTRY[n.attr["_ndgrad_op"].s.decode()]
                params = _decode(json.loads(n.attr["_ndgrad_params"].s.decode()))
                consts = _decode(json.loads(n.attr["_ndgrad_args"].s.decode()))
                it = iter(inputs)
                args = tuple(next(it) if c is None else c for c in consts)
                res = g.apply_registry_op(rop, args, params, name=exact(n.name))
                out = (res[0] if isinstance(res, tuple) else res).op
                _check_outputs(n, out)
            else:
                out = stub(n, inputs)
        ops[n.name] = out
    for key, names in collections.items():
        if key in (_variables.GraphKeys.GLOBAL_VARIABLES, _variables.GraphKeys.TRAINABLE_VARIABLES):
            continue
        for ref in names:
            op = ops.get(ref.split(":")[0])
            if op is not None:
                g.add_to_collection(key, op.outputs[0] if ":" in ref and op.outputs else op)
    return ops


def write_graph(graph_or_graph_def, logdir, name, as_text=True):
    """Write a graph's GraphDef to ``logdir/name`` (text format by default, as
    ``tf.train.write_graph``); returns the path."""
    import os
    gd = graph_or_graph_def if hasattr(graph_or_graph_def, "SerializeToString") else \
        graph_def(graph_or_graph_def)
    os.makedirs(logdir, exist_ok=True)
    path = os.path.join(logdir, name)
    with open(path, "wb") as f:
        f.write(str(gd).encode() if as_text else gd.SerializeToString())
    return path


# TF's spellings on ndgrad's graph and session objects: graph.as_graph_def(), sess.graph_def
def _as_graph_def(self, from_version=None, add_shapes=False):
    """This graph's GraphDef proto (needs the tensorboard package's protos)."""
    return graph_def(self)


def _install():
    from ..graph.core import Graph
    from ..graph.session import Session
    if not hasattr(Graph, "as_graph_def"):
        Graph.as_graph_def = _as_graph_def
    if not hasattr(Session, "graph_def"):
        Session.graph_def = property(lambda self: graph_def(self.graph),
                                     doc="The session graph's GraphDef proto.")


_install()

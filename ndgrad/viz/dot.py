"""DOT text for a graph, a fetch's subgraph or an eager result's recorded gradient graph."""
from __future__ import annotations

import html
import os

import numpy as np

from .._ops.registry import _Same

__all__ = ["to_dot", "render"]

_KIND_COLOR = {"placeholder": "#fff2cc", "variable": "#dae8fc", "const": "#e8e8e8",
               "leaf": "#dae8fc"}


def _shape_text(shape):
    if shape is None:
        return "<unknown>"
    return "(" + ", ".join("?" if d is None else str(d) for d in shape) + \
        ("," if len(shape) == 1 else "") + ")"


def _dtype_text(dt):
    if dt is None:
        return ""
    dt = np.dtype(dt)
    return "string" if dt.kind == "O" else dt.name


def _q(s):
    return '"' + str(s).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _label(short, typ, detail):
    parts = [html.escape(short), f"<b>{html.escape(typ)}</b>"]
    if detail:
        parts.append(html.escape(detail))
    return "<" + "<br/>".join(parts) + ">"


class _Dot:
    """Nodes (with their scope path) and edges, printed with scopes as nested clusters."""

    def __init__(self):
        self.nodes = []   # (id, scope list, attrs text)
        self.edges = []

    def node(self, nid, scopes, label, color=None):
        attrs = f"label={label}" + (f', fillcolor="{color}"' if color else "")
        self.nodes.append((nid, scopes, attrs))

    def edge(self, a, b, label=None, control=False):
        attrs = []
        if label:
            attrs.append(f"label={_q(label)}")
        if control:
            attrs.append('style=dashed, color="#999999"')
        self.edges.append(f"  {_q(a)} -> {_q(b)}" + (f" [{', '.join(attrs)}]" if attrs
                                                      else "") + ";")

    def text(self):
        out = ["digraph G {",
               '  rankdir=BT; node [shape=box, style="rounded,filled", fillcolor="#f5f5f5", '
               'fontname="Helvetica", fontsize=10]; edge [fontname="Helvetica", fontsize=9];']
        tree = {}
        for nid, scopes, attrs in self.nodes:
            t = tree
            for s in scopes:
                t = t.setdefault(("scope", s), {})
            t.setdefault(("nodes",), []).append((nid, attrs))

        def emit(t, path, indent):
            for nid, attrs in t.get(("nodes",), []):
                out.append(f"{indent}{_q(nid)} [{attrs}];")
            for key, sub in t.items():
                if key[0] != "scope":
                    continue
                p = path + [key[1]]
                out.append(f"{indent}subgraph {_q('cluster_' + '/'.join(p))} {{")
                out.append(f'{indent}  label={_q(key[1])}; style="rounded,dashed"; '
                           'color="#888888";')
                emit(sub, p, indent + "  ")
                out.append(f"{indent}}}")
        emit(tree, [], "  ")
        out.extend(self.edges)
        out.append("}")
        return "\n".join(out) + "\n"


# -- graph mode ---------------------------------------------------------------------------------
def _graph_ops(target):
    from ..graph.core import Graph, Operation, Tensor
    if isinstance(target, Graph):
        return target.get_operations()
    items = target if isinstance(target, (list, tuple)) else [target]
    roots = []
    for t in items:
        conv = getattr(t, "_as_graph_element", None)
        t = conv() if conv is not None else t
        if isinstance(t, Tensor):
            roots.append(t.op)
        elif isinstance(t, Operation):
            roots.append(t)
        else:
            raise TypeError(f"to_dot: cannot draw {type(t).__name__} {t!r}; pass a Graph, a "
                            "Tensor or Operation (or a list of them), or an ndgrad array "
                            "that recorded a gradient graph")
    graph = roots[0].graph
    if any(r.graph is not graph for r in roots):
        raise ValueError("to_dot: the fetches belong to different graphs")
    seen = set()
    stack = list(roots)
    while stack:
        op = stack.pop()
        if op in seen:
            continue
        seen.add(op)
        stack.extend(t.op for t in op.inputs)
        stack.extend(op.control_inputs)
    return [op for op in graph.get_operations() if op in seen]


def _graph_dot(ops):
    d = _Dot()
    keep = set(ops)
    for op in ops:
        parts = op.name.split("/")
        detail = "; ".join(f"{_shape_text(t._shape)} {_dtype_text(t._np_dtype)}"
                           for t in op.outputs)
        d.node(op.name, parts[:-1], _label(parts[-1], op.type, detail),
               _KIND_COLOR.get(op._kind))
    for op in ops:
        for t in op.inputs:
            if t.op in keep:
                d.edge(t.op.name, op.name, _shape_text(t._shape))
        for c in op.control_inputs:
            if c in keep:
                d.edge(c.name, op.name, control=True)
    return d.text()


# -- eager gradient graph --------------------------------------------------------------------------
def _eager_dot(arr):
    node = arr._node
    if node is None:
        raise ValueError("to_dot: this array recorded no gradient graph (make an input with "
                         "requires_grad=True, or compute it inside nd.grad)")
    ids = {}
    order = []
    shapes = {}                 # node -> output shape, from a consumer or the result
    dtypes = {}                 # node -> output dtype, from a consumer's saved input
    shapes[id(node)] = tuple(arr.shape)
    stack = [node]
    while stack:
        n = stack.pop()
        if n is None or id(n) in ids:
            continue
        ids[id(n)] = f"n{len(ids)}"
        order.append(n)
        ins = _input_shapes(n, shapes.get(id(n)))
        for i, p in enumerate(n.parents):
            if p is not None and i < len(ins) and ins[i] is not None:
                shapes.setdefault(id(p), ins[i])
            saved = n.inputs[i] if n.inputs is not None and i < len(n.inputs) else None
            if p is not None and hasattr(saved, "dtype"):
                dtypes.setdefault(id(p), saved.dtype)
            stack.append(p)
    d = _Dot()
    for n in reversed(order):
        if n.op is None:
            leaf = n.leaf() if n.leaf is not None else None
            shape = tuple(leaf.shape) if leaf is not None else shapes.get(id(n))
            dt = _dtype_text(leaf.dtype) if leaf is not None else ""
            d.node(ids[id(n)], [], _label("input", "leaf", f"{_shape_text(shape)} {dt}"
                                          .strip()), _KIND_COLOR["leaf"])
            continue
        dt = ""
        if n is node:
            dt = _dtype_text(arr.dtype)
        elif n.ans is not None and hasattr(n.ans, "dtype"):
            dt = _dtype_text(n.ans.dtype)
        elif id(n) in dtypes:
            dt = _dtype_text(dtypes[id(n)])
        shape = shapes.get(id(n))
        d.node(ids[id(n)], [], _label(n.op.name, "op", f"{_shape_text(shape)} {dt}".strip()
                                      if shape is not None else dt))
    for n in order:
        ins = _input_shapes(n, shapes.get(id(n)))
        for i, p in enumerate(n.parents):
            if p is not None:
                s = ins[i] if i < len(ins) else None
                d.edge(ids[id(p)], ids[id(n)], _shape_text(s) if s is not None else None)
    return d.text()


def _input_shapes(n, out_shape):
    """The shapes of node ``n``'s array inputs as recorded; an elementwise op on one
    array (or an array and a Python number) records none (``SAME1``/``SAME2``): its
    array input has the result's shape ``out_shape``."""
    if isinstance(n.shapes, _Same):
        return (out_shape,) if len(n.shapes) == 1 else tuple(
            out_shape if p is not None else None for p in n.parents)
    return n.shapes or ()


def to_dot(target):
    """Graphviz DOT text of ``target``: a ``tf.Graph`` (every op), a Tensor / Operation or a
    list of them (the subgraph they depend on, control inputs dashed), or an ndgrad array
    whose computation was recorded for gradients (the ops backward would walk). Nodes show
    the op type, output shape and dtype; graph name scopes become clusters.

    >>> import ndgrad as nd
    >>> x = nd.asarray([1.0, 2.0], requires_grad=True)
    >>> print(to_dot(nd.sum(x * x)).splitlines()[2])
      "n2" [label=<input<br/><b>leaf</b><br/>(2,) float64>, fillcolor="#dae8fc"];
    """
    from .._array import Array
    if isinstance(target, Array):
        return _eager_dot(target)
    return _graph_dot(_graph_ops(target))


def render(target, path, format=None, engine="dot"):
    """Draw ``target`` (see ``to_dot``) to ``path``; the format comes from the extension
    (``.svg``, ``.png``, ``.pdf``) unless given. Needs the ``graphviz`` package and its
    ``dot`` program. Returns ``path``."""
    fmt = format or os.path.splitext(os.fspath(path))[1].lstrip(".").lower()
    if not fmt:
        raise ValueError(f"render: cannot tell the format of {path!r}; give format='svg' "
                         "or 'png', or a file extension")
    try:
        import graphviz
    except ImportError:
        raise ImportError("ndgrad.viz.render needs the graphviz package (pip install "
                          "'ndgrad[viz]') and Graphviz's dot program; to_dot needs "
                          "neither") from None
    text = to_dot(target)
    try:
        data = graphviz.Source(text, engine=engine).pipe(format=fmt)
    except graphviz.ExecutableNotFound:
        raise RuntimeError("ndgrad.viz.render: Graphviz's 'dot' program is not on PATH "
                           "(install Graphviz, e.g. apt-get install graphviz)") from None
    except ValueError as e:
        raise ValueError(f"render: {e}") from None
    with open(path, "wb") as f:
        f.write(data)
    return path

"""``tf.print`` (TF's ``print_v2``): tensors and Python structures formatted as TF's
``PrintV2`` kernel formats them (``SummarizeValue``: ``summarize`` elements at each end of
every dimension, floats in their shortest exact form, strings quoted), written when the
op runs (graph mode) or at once (eager mode)."""
from __future__ import annotations

import pprint
import sys

import numpy as np

from . import framework as _fw
from .framework import convert_to_tensor
from .nest import flatten as _flatten, pack_sequence_as as _pack
from ..graph.core import Tensor
from .._ops import registry as _registry

__all__ = ["print_v2"]


def _escape(b):
    """A string element as TF 2.15's ``PrintV2`` escapes it (``Utf8SafeCEscape``: quotes,
    backslashes and control characters escaped; UTF-8 bytes kept)."""
    if isinstance(b, str):
        b = b.encode("utf-8")
    out = []
    for c in bytes(b):
        ch = chr(c)
        if ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif ch in "\"'\\":
            out.append("\\" + ch)
        elif 0x20 <= c < 0x7f:
            out.append(ch)
        elif c >= 0x80:
            out.append(None)      # (a UTF-8 byte: kept, decoded with its neighbours)
            out.append(c)
        else:
            out.append("\\%03o" % c)
    text, raw = [], bytearray()
    it = iter(out)
    for piece in it:
        if piece is None:
            raw.append(next(it))
            continue
        if raw:
            text.append(raw.decode("utf-8", "replace"))
            raw = bytearray()
        text.append(piece)
    if raw:
        text.append(raw.decode("utf-8", "replace"))
    return "".join(text)


def _element(e):
    """One element as ``PrintOneElement(..., print_v2=true)`` writes it."""
    from .extra_ops import _tf_str
    if isinstance(e, (bytes, str)):
        return '"' + _escape(e) + '"'
    if isinstance(e, (bool, np.bool_)):
        return "1" if e else "0"
    if isinstance(e, np.complexfloating):
        return "?"                # (TF 2.15's kernel has no text for complex elements)
    if isinstance(e, np.float16):
        e = np.float32(e)         # (printed as the float it widens to, as TF's)
    if isinstance(e, np.floating):
        if np.isnan(e):
            return "nan"
        if np.isinf(e):
            return "inf" if e > 0 else "-inf"
        return _tf_str(e)
    return str(e)


def _summarize(a, summarize):
    """TF's ``SummarizeValue`` for ``PrintV2``: ``summarize`` elements at each end of
    every dimension (all of them for a negative value), ``...`` between."""
    a = np.asarray(a)
    if a.ndim == 0:
        return _element(a[()])
    n = a.size if summarize is None or summarize < 0 else min(int(summarize), a.size)
    out = []

    def spacing(dim):
        if dim == a.ndim - 1:
            out.append(" ")
        else:
            out.append("\n" * (a.ndim - dim - 1) + " " * (dim + 1))

    def one(dim, idx):
        if dim == a.ndim:
            out.append(_element(a[idx]))
            return
        out.append("[")
        count = a.shape[dim]
        for i in range(min(n, count)):
            if i:
                spacing(dim)
            one(dim + 1, idx + (i,))
        if count > 2 * n:
            spacing(dim)
            out.append("...")
        for i in range(max(n, count - n), count):
            spacing(dim)
            one(dim + 1, idx + (i,))
        out.append("]")
    one(0, ())
    return "".join(out)


def _is_tensor(x):
    return isinstance(_fw._unref(x), (Tensor, _registry.Array))


def _template(inputs, sep):
    """TF's template for ``inputs``: each tensor a placeholder, a Python string as it
    is, any other input (a structure holding tensors, a number) ``pprint.pformat``-ed;
    and the tensors in order."""
    free = _pack(list(inputs), ["" if _is_tensor(x) else x for x in _flatten(list(inputs))])
    mark = "{}"
    text = " ".join(pprint.pformat(x) for x in free)
    while mark in text:
        mark = "{" + mark + "}"   # (TF's _generate_placeholder_string)
    templates, tensors = [], []
    for item in inputs:
        holders = []
        for x in _flatten(item):
            if _is_tensor(x):
                tensors.append(x)
                holders.append(mark)
            else:
                holders.append(x)
        if isinstance(item, str):
            templates.append(item)
        else:
            templates.append(pprint.pformat(_pack(item, holders) if isinstance(
                item, (list, tuple, dict)) else holders[0]))
    template = sep.join(templates).replace("'" + mark + "'", mark)
    return template, mark, tensors


def _render(template, mark, values, summarize):
    parts = template.split(mark)
    out = [parts[0]]
    for v, rest in zip(values, parts[1:]):
        out.append(_summarize(v, summarize))
        out.append(rest)
    return "".join(out)


def _writer(output_stream):
    """Where the text goes: a Python stream (``sys.stdout``, ``sys.stderr``), a
    ``file://`` path (appended to), or a logging function (``tf.logging.info``)."""
    if isinstance(output_stream, str):
        if not output_stream.startswith("file://"):
            raise ValueError(f"Unsupported output stream, logging level, or file: "
                             f"{output_stream!r}; tf.print writes to sys.stdout, "
                             f"sys.stderr, a 'file://' path or a logging function")
        path = output_stream[len("file://"):]

        def write(text):
            with open(path, "a") as f:
                f.write(text)
        return write
    if hasattr(output_stream, "write"):
        def write(text):
            output_stream.write(text)
            if hasattr(output_stream, "flush"):
                output_stream.flush()
        return write
    if callable(output_stream):   # a logging function: one record, without the end
        return lambda text: output_stream(text[:-1] if text.endswith("\n") else text)
    raise ValueError(f"Unsupported output stream, logging level, or file: "
                     f"{output_stream!r}")


def print_v2(*inputs, **kwargs):
    """Print ``inputs`` (tensors, strings, structures holding tensors) separated by
    ``sep`` and followed by ``end``: at once in eager mode (returns None); in graph mode
    an op that prints each time it runs (run it, or make it a control dependency).

    >>> import sys, ndgrad.tf as tf
    >>> with tf.Graph().as_default():
    ...     p = tf.print("x:", tf.range(10), {"b": tf.constant(True)},
    ...                  output_stream=sys.stdout)
    ...     tf.Session().run(p)
    x: [0 1 2 ... 7 8 9] {'b': 1}
    """
    output_stream = kwargs.pop("output_stream", sys.stderr)
    summarize = kwargs.pop("summarize", 3)
    sep = kwargs.pop("sep", " ")
    end = kwargs.pop("end", "\n")
    name = kwargs.pop("name", None)
    if kwargs:
        raise ValueError(f"Unrecognized keyword arguments for tf.print: {sorted(kwargs)}")
    write = _writer(output_stream)
    template, mark, tensors = _template(inputs, sep)
    tensors = [convert_to_tensor(t) for t in tensors]

    def text(values):
        if len(inputs) == 1 and len(values) == 1 and template == mark:
            v = np.asarray(values[0])
            if v.ndim == 0 and v.dtype.kind in "OSU":
                s = v[()]     # (a single string scalar: its text, unquoted, as TF's)
                return (s.decode("utf-8", "replace") if isinstance(s, bytes) else str(s))
        return _render(template, mark, values, summarize)

    if _fw.executing_eagerly():
        write(text([_fw.eager_values(t) for t in tensors]) + end)
        return None
    g = _fw.get_default_graph()

    def fn(ctx, *values):
        write(text(values) + end)
        return []
    return g.special_op("PrintV2", name or "PrintV2", tuple(tensors), fn, [])

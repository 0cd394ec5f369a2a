"""``tf.summary``: TensorBoard summaries as graph ops, ``FileWriter`` and eager writers.

A summary op's ``Session.run`` value is a serialized ``Summary`` proto (bytes), as in
TensorFlow; ``FileWriter.add_summary`` writes it to an event file that ``tensorboard
--logdir`` reads. The protos are the ``tensorboard`` package's own
(``tensorboard.compat.proto``), imported when a summary is computed or a writer made (extra
``viz``); the event file is written by ``event_file_writer.py``.

>>> import tempfile, ndgrad.tf as tf
>>> g = tf.Graph()
>>> with g.as_default():
...     loss = tf.constant(0.5)
...     s = tf.summary.scalar("loss", loss)
...     with tf.Session() as sess:
...         data = sess.run(s)
>>> from tensorboard.compat.proto.summary_pb2 import Summary
>>> type(data).__name__, Summary.FromString(data).value[0]
('bytes', tag: "loss"
simple_value: 0.5
)
"""
from __future__ import annotations

import atexit
import contextlib
import os
import re
import struct
import threading
import time
import weakref
import zlib

import numpy as np

from ..graph.core import Tensor, get_default_graph
from ..graph import errors as _errors
from . import framework as _fw
from .framework import convert_to_tensor

__all__ = ["scalar", "histogram", "image", "text", "merge", "merge_all", "FileWriter",
           "FileWriterCache", "create_file_writer", "flush", "SummaryWriter",
           "get_summary_description", "summary_iterator"]

SUMMARIES = "summaries"
_STRING = np.dtype(object)


def _pb():
    from tensorboard.compat.proto import summary_pb2
    return summary_pb2


def _bytes_value(summary):
    return np.array(summary.SerializeToString(), dtype=object)


def clean_tag(name):
    """A tag TensorBoard accepts: characters other than letters, digits, ``_-/.`` become
    ``_`` and leading slashes go (as TensorFlow's ``summary_op_util.clean_tag``)."""
    if name is None:
        return None
    new = re.sub(r"[^-/\w\.]", "_", name).lstrip("/")
    return new


def _summary_op(type_, name, inputs, make, collections, family=None, tag=None):
    """A node ``type_`` whose value is the serialized Summary ``make(tag, *values)``; the
    op is named after the (unique) scope ``[family/]name`` and the tag is that scope, with
    the family prefixed once more, as TensorFlow's summary_scope does (the pre-1.0 names
    pass their ``tag`` as is)."""
    g = get_default_graph()
    name, family = clean_tag(name), clean_tag(family)
    with g.name_scope(name if not family else f"{family}/{name}") as scope:
        if tag is None:
            tag = scope.rstrip("/") if not family else f"{family}/{scope.rstrip('/')}"

    def fn(ctx, *vals):
        return _bytes_value(make(tag, *vals))
    op = g.special_op(type_, scope, inputs, fn, [((), _STRING)])
    out = op.outputs[0]
    for c in (collections if collections is not None else [SUMMARIES]):
        g.add_to_collection(c, out)
    return out


# -- scalar -------------------------------------------------------------------------------------
def _scalar_summary(tag, value):
    v = np.asarray(value)
    if v.size != 1:
        raise _errors.InvalidArgumentError(
            None, None, f"tags and values are not the same shape: [] != {list(v.shape)} "
            f"(tag '{tag}')")
    pb = _pb()
    return pb.Summary(value=[pb.Summary.Value(tag=tag, simple_value=_float32_value(v))])


def _float32_value(v):
    """A summary's value as TF's ScalarSummary casts it: to float32 from its own type (an
    int64 through float64 first was rounded twice: 2**60 + 2**36 + 1 became 2**60)."""
    return float(np.asarray(v).reshape(()).astype(np.float32))


def scalar(name, tensor, collections=None, family=None, step=None, description=None):
    """A scalar summary (graph mode: an op; eager mode: written at ``step`` to the default
    writer, returning whether it was written).

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default():
    ...     s = tf.summary.scalar("loss", tf.constant(1.0))
    >>> s
    <tf.Tensor 'loss:0' shape=() dtype=string>
    """
    if _fw.executing_eagerly():
        return _eager_write(name, step, lambda tag: _scalar_summary(tag, _np(tensor)))
    t = convert_to_tensor(tensor)
    return _summary_op("ScalarSummary", name, (t,), _scalar_summary, collections, family)


# -- histogram ----------------------------------------------------------------------------------
def _default_limits():
    pos = []
    v = 1.0e-12
    while v < 1.0e20:
        pos.append(v)
        v *= 1.1
    pos.append(np.finfo(np.float64).max)
    return np.array([-x for x in reversed(pos)] + [0.0] + pos)


_LIMITS = None


def histogram_proto(values):
    """TensorFlow's HistogramProto of ``values``: its default exponential buckets (10%
    wider each, 1e-12 .. 1e20, mirrored), runs of empty buckets merged.

    >>> h = histogram_proto([1.0, 1.0, 2.0])
    >>> h.num, h.sum, [c for c in h.bucket if c]
    (3.0, 4.0, [2.0, 1.0])
    """
    global _LIMITS
    if _LIMITS is None:
        _LIMITS = _default_limits()
    from tensorboard.compat.proto import summary_pb2  # noqa: F401 (HistogramProto lives here)
    from tensorboard.compat.proto.summary_pb2 import HistogramProto
    x = np.asarray(values, dtype=np.float64).reshape(-1)
    counts = np.bincount(np.searchsorted(_LIMITS, x, side="right"),
                         minlength=len(_LIMITS))[:len(_LIMITS)]
    h = HistogramProto(min=float(x.min()) if x.size else np.finfo(np.float64).max,
                       max=float(x.max()) if x.size else -np.finfo(np.float64).max,
                       num=float(x.size),
                       # (TF adds the doubles one at a time: a running sum, not NumPy's
                       # pairwise one, which differed in the last bits)
                       sum=float(np.cumsum(x)[-1]) if x.size else 0.0,
                       sum_squares=float(np.cumsum(x * x)[-1]) if x.size else 0.0)
    i = 0
    n = len(counts)
    while i < n:
        end, count = _LIMITS[i], counts[i]
        i += 1
        if count == 0:
            while i < n and counts[i] == 0:
                end, count = _LIMITS[i], counts[i]
                i += 1
        h.bucket_limit.append(float(end))
        h.bucket.append(float(count))
    if not h.bucket:
        h.bucket_limit.append(float(np.finfo(np.float64).max))
        h.bucket.append(0.0)
    return h


def _histogram_summary(tag, values):
    v = np.asarray(values)
    if v.dtype.kind not in "biuf":
        raise _errors.InvalidArgumentError(None, None, f"histogram '{tag}': values of dtype "
                                           f"{v.dtype} are not real numbers")
    v = v.astype(np.float64)
    if np.isnan(v).any():
        raise _errors.InvalidArgumentError(None, None, f"Nan in summary histogram for: {tag}")
    if np.isinf(v).any():
        raise _errors.InvalidArgumentError(None, None, f"Infinity in summary histogram "
                                           f"for: {tag}")
    pb = _pb()
    return pb.Summary(value=[pb.Summary.Value(tag=tag, histo=histogram_proto(v))])


def histogram(name, values, collections=None, family=None, step=None, buckets=None,
              description=None):
    """A histogram summary of ``values`` (TensorFlow's bucket layout).

    >>> import ndgrad.tf as tf
    >>> from tensorboard.compat.proto.summary_pb2 import Summary
    >>> with tf.Graph().as_default(), tf.Session() as s:
    ...     h = tf.summary.histogram("weights", tf.constant([1.0, 1.0, 2.0, -0.5]))
    ...     v = Summary.FromString(s.run(h)).value[0]
    >>> v.tag, v.histo.num, v.histo.sum, v.histo.min, v.histo.max
    ('weights', 4.0, 3.5, -0.5, 2.0)
    >>> [c for c in v.histo.bucket if c]
    [1.0, 2.0, 1.0]
    """
    if _fw.executing_eagerly():
        return _eager_write(name, step, lambda tag: _histogram_summary(tag, _np(values)))
    t = convert_to_tensor(values)
    return _summary_op("HistogramSummary", name, (t,), _histogram_summary, collections,
                       family)


# -- image ------------------------------------------------------------------------------------
def encode_png(pixels):
    """PNG bytes of a uint8 (height, width, channels) array, channels 1, 2, 3 or 4
    (no dependency: zlib and the PNG chunk layout)."""
    h, w, c = pixels.shape
    color = {1: 0, 2: 4, 3: 2, 4: 6}[c]
    raw = b"".join(b"\x00" + pixels[r].tobytes() for r in range(h))

    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, color,
                                                              0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b""))


def _to_uint8(img):
    """TensorFlow's image-summary scaling (summary_image_op.cc): uint8 as is; over the
    pixels whose channels are all finite, the largest value goes to 255 when none is
    negative, else the largest magnitude to 127 around 128 (a scale of 0 where that value
    is below 1e-6), the extremes and the scale found in float32, the pixels scaled in the
    image's own type and cast to uint8 by truncation; a pixel with a non-finite channel
    painted TF's bad color (red: 255, 0, 0, 255, its first channels). (Rounding instead of
    truncating moved 9 of 20 pixels of a ramp, 1e-7 everywhere gave 255 for 0, and a NaN
    channel left its pixel's others.)"""
    if img.dtype == np.uint8:
        return img
    x = img if img.dtype.kind == "f" else img.astype(np.float64)
    dt, f32 = x.dtype.type, np.float32
    finite = np.isfinite(x).all(axis=-1)
    vals = x[finite].astype(f32)
    lo, hi = (vals.min(), vals.max()) if vals.size else (f32(np.inf), f32(-np.inf))
    zero = f32(1e-6)
    if lo < 0:
        m = max(abs(lo), abs(hi))
        scale, offset = dt(f32(0) if m < zero else f32(127) / m), dt(128)
    else:
        scale, offset = dt(f32(0) if hi < zero else f32(255) / hi), dt(0)
    with np.errstate(invalid="ignore", over="ignore"):
        y = (np.where(finite[..., None], x, dt(0)) * scale + offset).astype(np.uint8)
    y[~finite] = np.array([255, 0, 0, 255], np.uint8)[:x.shape[-1]]
    return y


def _image_summary(max_outputs):
    def make(tag, images):
        a = np.asarray(images)
        if a.ndim != 4 or a.shape[-1] not in (1, 3, 4):
            raise _errors.InvalidArgumentError(
                None, None, f"image summary '{tag}': tensor must be 4-D with last dim 1, "
                f"3, or 4, not {list(a.shape)}")
        pb = _pb()
        n = min(max_outputs, a.shape[0])
        vals = []
        for i in range(n):
            px = _to_uint8(a[i])
            t = f"{tag}/image/{i}" if max_outputs > 1 else f"{tag}/image"
            vals.append(pb.Summary.Value(tag=t, image=pb.Summary.Image(
                height=px.shape[0], width=px.shape[1], colorspace=px.shape[2],
                encoded_image_string=encode_png(px))))
        return pb.Summary(value=vals)
    return make


def image(name, tensor, max_outputs=3, collections=None, family=None, step=None,
          description=None):
    """Image summaries of the first ``max_outputs`` images of a [batch, h, w, c] tensor.

    >>> import numpy as np, ndgrad.tf as tf
    >>> from tensorboard.compat.proto.summary_pb2 import Summary
    >>> imgs = np.zeros((4, 2, 3, 1), np.float32)      # 4 images, 2x3, grayscale
    >>> with tf.Graph().as_default(), tf.Session() as s:
    ...     im = tf.summary.image("batch", imgs, max_outputs=2)
    ...     vals = Summary.FromString(s.run(im)).value
    >>> [(v.tag, v.image.height, v.image.width, v.image.colorspace) for v in vals]
    [('batch/image/0', 2, 3, 1), ('batch/image/1', 2, 3, 1)]
    """
    if _fw.executing_eagerly():
        return _eager_write(name, step, lambda tag: _image_summary(max_outputs)(
            tag, _np(tensor)))
    t = convert_to_tensor(tensor)
    return _summary_op("ImageSummary", name, (t,), _image_summary(max_outputs), collections,
                       family)


# -- text -------------------------------------------------------------------------------------
def _text_summary(tag, value):
    from tensorboard.compat.proto import tensor_pb2, tensor_shape_pb2
    a = np.asarray(value, dtype=object)
    pb = _pb()
    tp = tensor_pb2.TensorProto(dtype=7, tensor_shape=tensor_shape_pb2.TensorShapeProto(
        dim=[tensor_shape_pb2.TensorShapeProto.Dim(size=d) for d in a.shape]))
    tp.string_val.extend(v if isinstance(v, bytes) else str(v).encode()
                         for v in a.reshape(-1))
    meta = pb.SummaryMetadata(plugin_data=pb.SummaryMetadata.PluginData(plugin_name="text"))
    return pb.Summary(value=[pb.Summary.Value(tag=tag, metadata=meta, tensor=tp)])


def text(name, tensor, collections=None, step=None, description=None):
    """A text summary of a string tensor (TensorBoard's text dashboard).

    >>> import ndgrad.tf as tf
    >>> from tensorboard.compat.proto.summary_pb2 import Summary
    >>> with tf.Graph().as_default(), tf.Session() as s:
    ...     t = tf.summary.text("note", tf.constant("hello"))
    ...     v = Summary.FromString(s.run(t)).value[0]
    >>> v.tag, v.metadata.plugin_data.plugin_name, v.tensor.string_val
    ('note', 'text', [b'hello'])
    """
    if _fw.executing_eagerly():
        return _eager_write(name, step, lambda tag: _text_summary(tag, _np(tensor)))
    t = tensor if isinstance(tensor, Tensor) else convert_to_tensor(tensor)
    if t._np_dtype != _STRING:
        raise ValueError(f"tf.summary.text needs a string tensor, not {t.dtype.name} ({t})")
    return _summary_op("TensorSummaryV2", name, (t,), _text_summary, collections)


# -- merging ----------------------------------------------------------------------------------
def _merge_values(vals):
    pb = _pb()
    out = pb.Summary()
    seen = set()
    for v in vals:
        for raw in np.asarray(v, dtype=object).reshape(-1):
            s = pb.Summary()
            s.ParseFromString(bytes(raw))
            for val in s.value:
                if val.tag in seen:
                    raise _errors.InvalidArgumentError(
                        None, None, f"Duplicate tag {val.tag} found in summary inputs")
                seen.add(val.tag)
                out.value.append(val)
    return out


def merge(inputs, collections=None, name=None):
    """One Summary holding all values of the summaries ``inputs`` (duplicate tags are an
    error when it runs).

    >>> import ndgrad.tf as tf
    >>> from tensorboard.compat.proto.summary_pb2 import Summary
    >>> with tf.Graph().as_default():
    ...     m = tf.summary.merge([tf.summary.scalar("a", 1.0), tf.summary.scalar("b", 2.0)])
    ...     [v.tag for v in Summary.FromString(tf.Session().run(m)).value]
    ['a', 'b']
    """
    g = get_default_graph()
    ts = tuple(convert_to_tensor(t) for t in inputs)

    def fn(ctx, *vals):
        return _bytes_value(_merge_values(vals))
    op = g.special_op("MergeSummary", g.unique_name(name or "Merge/MergeSummary"), ts, fn,
                      [((), _STRING)])
    out = op.outputs[0]
    for c in (collections or []):
        g.add_to_collection(c, out)
    return out


def merge_all(key=SUMMARIES, scope=None, name=None):
    """``merge`` of every summary in collection ``key`` (None when there is none).

    >>> import ndgrad.tf as tf
    >>> from tensorboard.compat.proto.summary_pb2 import Summary
    >>> with tf.Graph().as_default(), tf.Session() as s:
    ...     print(tf.summary.merge_all())
    ...     _ = tf.summary.scalar("loss", 0.5)
    ...     _ = tf.summary.histogram("w", [1.0, 2.0])
    ...     m = tf.summary.merge_all()
    ...     print([v.tag for v in Summary.FromString(s.run(m)).value])
    None
    ['loss', 'w']
    """
    ss = get_default_graph().get_collection(key, scope)
    return merge(ss, name=name) if ss else None


# -- the names before TF 1.0 (tf.scalar_summary ...): the tag is used as given ---------------
def scalar_summary(tags, values, collections=None, name=None):
    """``tf.scalar_summary`` (TF 0.x): a scalar summary whose tag is ``tags`` as given.

    >>> import ndgrad.tf as tf
    >>> from tensorboard.compat.proto.summary_pb2 import Summary
    >>> with tf.Graph().as_default(), tf.Session() as s, tf.name_scope("layer"):
    ...     v = Summary.FromString(s.run(tf.scalar_summary("loss", 0.5))).value[0]
    >>> v.tag, v.simple_value
    ('loss', 0.5)
    """
    t = convert_to_tensor(values)
    if isinstance(tags, (list, tuple, np.ndarray)) or (
            isinstance(tags, Tensor) and tags.op._kind == "const" and
            np.asarray(tags.op._attrs["value"]).ndim):
        # TF's ScalarSummary op: a tags tensor of the values' shape, one value per tag
        arr = np.asarray(tags.op._attrs["value"] if isinstance(tags, Tensor) else tags,
                         dtype=object)
        names = [_tag_text(a) for a in arr.reshape(-1)]
        shape = arr.shape

        def make(tag, value):
            v = np.asarray(value)
            if v.shape != shape:
                raise _errors.InvalidArgumentError(
                    None, None, f"tags and values are not the same shape: {list(shape)} != "
                    f"{list(v.shape)} (tag '{names[0] if names else ''}')")
            pb = _pb()
            return pb.Summary(value=[pb.Summary.Value(tag=n, simple_value=_float32_value(x))
                                     for n, x in zip(names, v.reshape(-1))])
        return _summary_op("ScalarSummary", name or "ScalarSummary", (t,), make,
                           collections, tag="")
    return _summary_op("ScalarSummary", name or "ScalarSummary", (t,), _scalar_summary,
                       collections, tag=_tag_text(tags))


def histogram_summary(tag, values, collections=None, name=None):
    """``tf.histogram_summary`` (TF 0.x).

    >>> import ndgrad.tf as tf
    >>> from tensorboard.compat.proto.summary_pb2 import Summary
    >>> with tf.Graph().as_default(), tf.Session() as s, tf.name_scope("layer"):
    ...     h = tf.histogram_summary("w", [1.0, 2.0, 2.0])
    ...     v = Summary.FromString(s.run(h)).value[0]
    >>> v.tag, v.histo.num, v.histo.sum
    ('w', 3.0, 5.0)
    """
    t = convert_to_tensor(values)
    return _summary_op("HistogramSummary", name or "HistogramSummary", (t,),
                       _histogram_summary, collections, tag=_tag_text(tag))


def image_summary(tag, tensor, max_images=3, collections=None, name=None):
    """``tf.image_summary`` (TF 0.x).

    >>> import numpy as np, ndgrad.tf as tf
    >>> from tensorboard.compat.proto.summary_pb2 import Summary
    >>> imgs = np.ones((3, 2, 2, 3), np.float32)     # 3 RGB images of 2x2
    >>> with tf.Graph().as_default(), tf.Session() as s, tf.name_scope("layer"):
    ...     im = tf.image_summary("img", imgs, max_images=2)
    ...     vals = Summary.FromString(s.run(im)).value
    >>> [(v.tag, v.image.height, v.image.width, v.image.colorspace) for v in vals]
    [('img/image/0', 2, 2, 3), ('img/image/1', 2, 2, 3)]
    """
    t = convert_to_tensor(tensor)
    return _summary_op("ImageSummary", name or "ImageSummary", (t,),
                       _image_summary(max_images), collections, tag=_tag_text(tag))


def merge_all_summaries(key=SUMMARIES):
    """``tf.merge_all_summaries`` (TF 0.x).

    >>> import ndgrad.tf as tf
    >>> from tensorboard.compat.proto.summary_pb2 import Summary
    >>> with tf.Graph().as_default(), tf.Session() as s:
    ...     _ = tf.scalar_summary("a", 1.0)
    ...     _ = tf.scalar_summary("b", 2.0)
    ...     m = tf.merge_all_summaries()
    ...     print([(v.tag, v.simple_value) for v in Summary.FromString(s.run(m)).value])
    [('a', 1.0), ('b', 2.0)]
    """
    return merge_all(key)


def _tag_text(tag):
    if isinstance(tag, Tensor):
        v = tag.op._attrs.get("value") if tag.op._kind == "const" else None
        if v is None or np.asarray(v).size != 1:
            raise ValueError(f"a summary tag must be a string or a string constant, not {tag}")
        tag = np.asarray(v).reshape(()).item()
    return tag.decode() if isinstance(tag, bytes) else str(tag)


def get_summary_description(node_def):
    """The SummaryDescription proto that a ``TensorSummary`` node's ``description``
    attribute holds as JSON (TensorFlow's rule: any other op is a ValueError -- the
    summaries made today, ``TensorSummaryV2`` included, have no description).

    >>> import ndgrad.tf as tf
    >>> from tensorboard.compat.proto.node_def_pb2 import NodeDef
    >>> node = NodeDef(name="s", op="TensorSummary")
    >>> node.attr["description"].s = b'{"type_hint": "scalar"}'
    >>> tf.summary.get_summary_description(node).type_hint
    'scalar'
    >>> with tf.Graph().as_default() as g:
    ...     t = tf.summary.text("note", tf.constant("hello"))
    ...     node, = [n for n in g.as_graph_def().node if n.name == t.op.name]
    ...     tf.summary.get_summary_description(node)
    Traceback (most recent call last):
        ...
    ValueError: Can't get_summary_description on TensorSummaryV2
    """
    if node_def.op != "TensorSummary":
        raise ValueError(f"Can't get_summary_description on {node_def.op}")
    from google.protobuf import json_format
    desc = _pb().SummaryDescription()
    raw = node_def.attr["description"].s
    json_format.Parse(raw.decode() if isinstance(raw, bytes) else str(raw), desc)
    return desc


def summary_iterator(path):
    """The Event protos of event file ``path``, in order (``tf.train.summary_iterator``).

    >>> import glob, os, tempfile, ndgrad.tf as tf
    >>> d = tempfile.mkdtemp()
    >>> with tf.Graph().as_default(), tf.Session() as s:
    ...     w = tf.summary.FileWriter(d)
    ...     for step in range(3):
    ...         w.add_summary(s.run(tf.summary.scalar("loss", 1.0 / (step + 1))), global_step=step)
    ...     w.close()
    >>> events = list(tf.train.summary_iterator(glob.glob(os.path.join(d, "events.*"))[0]))
    >>> events[0].file_version
    'brain.Event:2'
    >>> [(e.step, v.tag, round(v.simple_value, 4)) for e in events[1:] for v in e.summary.value]
    [(0, 'loss', 1.0), (1, 'loss_1', 0.5), (2, 'loss_2', 0.3333)]
    """
    from tensorboard.backend.event_processing.event_file_loader import (
        LegacyEventFileLoader)
    if not os.path.isfile(path):
        raise FileNotFoundError(f"no event file {path}")
    yield from LegacyEventFileLoader(os.fspath(path)).Load()   # the protos as written


# -- writers ----------------------------------------------------------------------------------
def _event_pb():
    from tensorboard.compat.proto import event_pb2
    return event_pb2


_open_writers = weakref.WeakSet()


@atexit.register
def _flush_at_exit():
    """Programs that never close their writer still get their events on disk."""
    for w in list(_open_writers):
        try:
            w.close()
        except Exception:  # noqa: BLE001 -- interpreter shutdown: nothing left to report to
            pass


class FileWriter:
    """Writes summaries, graphs and events to an event file in ``logdir`` (closed, and so
    flushed, at interpreter exit if the program does not close it).

    >>> import tempfile, ndgrad.tf as tf
    >>> d = tempfile.mkdtemp()
    >>> with tf.Graph().as_default() as g, tf.Session() as sess:
    ...     s = tf.summary.scalar("loss", tf.constant(0.25))
    ...     w = tf.summary.FileWriter(d, g)
    ...     w.add_summary(sess.run(s), global_step=3)
    ...     w.close()
    >>> from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
    >>> ea = EventAccumulator(d); _ = ea.Reload()
    >>> [(e.step, e.value) for e in ea.Scalars("loss")]
    [(3, 0.25)]
    """

    def __init__(self, logdir, graph=None, max_queue=10, flush_secs=120, graph_def=None,
                 filename_suffix=None, session=None):
        from .event_file_writer import EventFileWriter
        self._logdir = os.fspath(logdir)
        self._args = (max_queue, flush_secs, filename_suffix or "")
        self._writer = EventFileWriter(self._logdir, max_queue, flush_secs,
                                       filename_suffix or "")
        self._closed = False
        _open_writers.add(self)
        if graph is not None and hasattr(graph, "SerializeToString"):
            graph, graph_def = None, graph      # a GraphDef passed as graph (TF accepts it)
        if graph is not None or graph_def is not None:
            self.add_graph(graph, graph_def=graph_def)

    def get_logdir(self):
        return self._logdir

    def add_event(self, event):
        if self._closed:
            return
        self._writer.add_event(event)

    def _event(self, global_step=None, **fields):
        ev = _event_pb().Event(wall_time=time.time(), **fields)
        if global_step is not None:
            ev.step = int(global_step)
        return ev

    def add_summary(self, summary, global_step=None):
        """Add a Summary (a proto or the bytes a summary op returned)."""
        pb = _pb()
        if isinstance(summary, (bytes, np.ndarray, np.bytes_)):
            s = pb.Summary()
            s.ParseFromString(bytes(np.asarray(summary, dtype=object).reshape(())[()])
                              if isinstance(summary, np.ndarray) else bytes(summary))
            summary = s
        if not isinstance(summary, pb.Summary):
            raise TypeError(f"add_summary needs a Summary proto or its serialized bytes, "
                            f"not {type(summary).__name__}")
        self.add_event(self._event(global_step, summary=summary))

    def add_graph(self, graph, global_step=None, graph_def=None):
        """Add the GraphDef of ``graph`` (TensorBoard's graph dashboard)."""
        from . import graph_def as _gd
        if graph is not None and graph_def is not None:
            raise ValueError("Please pass only graph, or graph_def (deprecated), but not "
                             "both.")
        gd = graph_def if graph_def is not None else _gd.graph_def(graph)
        self.add_event(self._event(global_step, graph_def=gd.SerializeToString()))

    def add_meta_graph(self, meta_graph_def, global_step=None):
        self.add_event(self._event(global_step,
                                   meta_graph_def=meta_graph_def.SerializeToString()))

    def add_run_metadata(self, run_metadata, tag, global_step=None):
        """Record ``tag`` with an empty RunMetadata (ndgrad does not trace step stats)."""
        ev = _event_pb()
        self.add_event(self._event(global_step, tagged_run_metadata=ev.TaggedRunMetadata(
            tag=tag, run_metadata=b"")))

    def add_session_log(self, session_log, global_step=None):
        self.add_event(self._event(global_step, session_log=session_log))

    def flush(self):
        if not self._closed:
            self._writer.flush()

    def close(self):
        if not self._closed:
            self._writer.flush()
            self._writer.close()
            self._closed = True
            _open_writers.discard(self)

    def reopen(self):
        """Open a new event file in the same logdir after ``close``."""
        if self._closed:
            from .event_file_writer import EventFileWriter
            self._writer = EventFileWriter(self._logdir, *self._args)
            self._closed = False
            _open_writers.add(self)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


SummaryWriter = FileWriter


class FileWriterCache:
    """One FileWriter per logdir.

    >>> import tempfile, ndgrad.tf as tf
    >>> d = tempfile.mkdtemp()
    >>> with tf.Graph().as_default():
    ...     w = tf.summary.FileWriterCache.get(d)
    ...     print(tf.summary.FileWriterCache.get(d) is w, type(w).__name__)
    True FileWriter
    >>> tf.summary.FileWriterCache.clear()
    >>> with tf.Graph().as_default():
    ...     print(tf.summary.FileWriterCache.get(d) is w)
    False
    >>> tf.summary.FileWriterCache.clear()
    """

    _cache = {}
    _lock = threading.Lock()

    @staticmethod
    def get(logdir):
        with FileWriterCache._lock:
            w = FileWriterCache._cache.get(logdir)
            if w is None:
                w = FileWriterCache._cache[logdir] = FileWriter(logdir,
                                                                graph=get_default_graph())
            return w

    @staticmethod
    def clear():
        with FileWriterCache._lock:
            for w in FileWriterCache._cache.values():
                w.close()
            FileWriterCache._cache.clear()


# -- eager mode (TF 2 style) ----------------------------------------------------------------
class _DefaultWriter(threading.local):
    def __init__(self):
        self.stack = []


_default = _DefaultWriter()


class _EagerWriter:
    def __init__(self, logdir, max_queue=10, flush_millis=120000, filename_suffix=None):
        self._fw = FileWriter(logdir, max_queue=max_queue, flush_secs=flush_millis / 1000,
                              filename_suffix=filename_suffix)

    @contextlib.contextmanager
    def as_default(self, step=None):
        _default.stack.append(self)
        try:
            yield self
        finally:
            _default.stack.remove(self)
            self.flush()

    def set_as_default(self, step=None):
        _default.stack.append(self)

    def flush(self):
        self._fw.flush()

    def close(self):
        self._fw.close()

    def init(self):
        pass


def create_file_writer(logdir, max_queue=None, flush_millis=None, filename_suffix=None,
                       name=None):
    """An eager-mode summary writer: ``with w.as_default(): tf.summary.scalar(name, v,
    step=s)``.

    >>> import glob, os, tempfile, ndgrad.tf as tf
    >>> tf.enable_eager_execution()
    >>> d = tempfile.mkdtemp()
    >>> writer = tf.summary.create_file_writer(d)
    >>> with writer.as_default():
    ...     for step in range(3):
    ...         _ = tf.summary.scalar("loss", 1.0 / (step + 1), step=step)
    >>> tf.disable_eager_execution()
    >>> events = tf.train.summary_iterator(glob.glob(os.path.join(d, "events.*"))[0])
    >>> [(e.step, v.tag) for e in events for v in e.summary.value]
    [(0, 'loss'), (1, 'loss'), (2, 'loss')]
    """
    return _EagerWriter(logdir, max_queue or 10, flush_millis or 120000, filename_suffix)


create_file_writer_v2 = create_file_writer


def flush(writer=None, name=None):
    """Flush ``writer`` (default: the current default writer).

    >>> import glob, os, tempfile, ndgrad.tf as tf
    >>> tf.enable_eager_execution()
    >>> d = tempfile.mkdtemp()
    >>> writer = tf.summary.create_file_writer(d, flush_millis=10000000)
    >>> def steps():
    ...     events = tf.train.summary_iterator(glob.glob(os.path.join(d, "events.*"))[0])
    ...     return [e.step for e in events if e.summary.value]
    >>> with writer.as_default():
    ...     _ = tf.summary.scalar("loss", 0.5, step=7)
    ...     _ = tf.summary.flush()
    ...     print(steps())
    [7]
    >>> tf.disable_eager_execution()
    """
    w = writer or (_default.stack[-1] if _default.stack else None)
    if w is not None:
        w.flush()


def _np(x):
    return _fw.eager_values(x.numpy() if hasattr(x, "numpy") else x)


def _eager_write(name, step, make):
    if not _default.stack:
        return False
    if step is None:
        raise ValueError("No step set. Please specify one either through the `step` "
                         "argument or through tf.summary.experimental.set_step()")
    w = _default.stack[-1]
    w._fw.add_summary(make(name), global_step=int(_np(step)))
    return True


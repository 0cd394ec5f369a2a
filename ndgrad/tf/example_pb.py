"""``tf.train.Example`` and its parts (``Features``, ``Feature``, ``BytesList``,
``FloatList``, ``Int64List``, ``FeatureList``, ``FeatureLists``, ``SequenceExample``):
protobuf messages with TensorFlow's field numbers (``tensorflow/core/example/*.proto``), so
serialized records are byte-compatible with TensorFlow's. Built on the ``protobuf`` package
(an optional extra), imported when a message class is first used.

>>> from ndgrad.tf.example_pb import messages
>>> m = messages()
>>> ex = m.Example(features=m.Features(feature={
...     "x": m.Feature(int64_list=m.Int64List(value=[1, 2]))}))
>>> m.Example.FromString(ex.SerializeToString()).features.feature["x"].int64_list.value[:]
[1, 2]
"""
from __future__ import annotations

import functools
import types

__all__ = ["messages"]

_NAMES = ("BytesList", "FloatList", "Int64List", "Feature", "Features", "FeatureList",
          "FeatureLists", "Example", "SequenceExample")


def _file_descriptor():
    from google.protobuf import descriptor_pb2 as d

    F = d.FieldDescriptorProto
    fdp = d.FileDescriptorProto(name="ndgrad/tensorflow/core/example/example.proto",
                                package="tensorflow", syntax="proto3")

    def msg(name, *fields, nested=(), oneofs=()):
        m = fdp.message_type.add(name=name)
        for o in oneofs:
            m.oneof_decl.add(name=o)
        for fname, num, typ, label, tname, oneof, packed in fields:
            f = m.field.add(name=fname, number=num, type=typ, label=label)
            if tname:
                f.type_name = tname
            if oneof is not None:
                f.oneof_index = oneof
            if packed:
                f.options.packed = True
        for n in nested:
            m.nested_type.add().CopyFrom(n)
        return m

    REP, OPT = F.LABEL_REPEATED, F.LABEL_OPTIONAL
    msg("BytesList", ("value", 1, F.TYPE_BYTES, REP, None, None, False))
    msg("FloatList", ("value", 1, F.TYPE_FLOAT, REP, None, None, True))
    msg("Int64List", ("value", 1, F.TYPE_INT64, REP, None, None, True))
    msg("Feature",
        ("bytes_list", 1, F.TYPE_MESSAGE, OPT, ".tensorflow.BytesList", 0, False),
        ("float_list", 2, F.TYPE_MESSAGE, OPT, ".tensorflow.FloatList", 0, False),
        ("int64_list", 3, F.TYPE_MESSAGE, OPT, ".tensorflow.Int64List", 0, False),
        oneofs=("kind",))

    def map_entry(name, value_type):
        e = d.DescriptorProto(name=name)
        e.field.add(name="key", number=1, type=F.TYPE_STRING, label=OPT)
        e.field.add(name="value", number=2, type=F.TYPE_MESSAGE, label=OPT,
                    type_name=value_type)
        e.options.map_entry = True
        return e

    msg("Features", ("feature", 1, F.TYPE_MESSAGE, REP, ".tensorflow.Features.FeatureEntry",
                     None, False),
        nested=(map_entry("FeatureEntry", ".tensorflow.Feature"),))
    msg("FeatureList", ("feature", 1, F.TYPE_MESSAGE, REP, ".tensorflow.Feature", None, False))
    msg("FeatureLists", ("feature_list", 1, F.TYPE_MESSAGE, REP,
                         ".tensorflow.FeatureLists.FeatureListEntry", None, False),
        nested=(map_entry("FeatureListEntry", ".tensorflow.FeatureList"),))
    msg("Example", ("features", 1, F.TYPE_MESSAGE, OPT, ".tensorflow.Features", None, False))
    msg("SequenceExample",
        ("context", 1, F.TYPE_MESSAGE, OPT, ".tensorflow.Features", None, False),
        ("feature_lists", 2, F.TYPE_MESSAGE, OPT, ".tensorflow.FeatureLists", None, False))
    return fdp


@functools.lru_cache(maxsize=None)
def messages():
    """A namespace of the message classes (built once, in a private descriptor pool so they
    never clash with TensorFlow's own classes when both are imported)."""
    try:
        from google.protobuf import descriptor_pool, message_factory
    except ImportError as e:  # pragma: no cover - depends on the environment
        raise ImportError("tf.train.Example and TFRecord parsing need the 'protobuf' package "
                          "(pip install 'ndgrad[viz]' or pip install protobuf)") from e
    pool = descriptor_pool.DescriptorPool()
    fd = pool.Add(_file_descriptor())
    ns = types.SimpleNamespace()
    for name in _NAMES:
        desc = pool.FindMessageTypeByName("tensorflow." + name)
        setattr(ns, name, message_factory.GetMessageClass(desc))
    del fd
    return ns


def __getattr__(name):
    if name in _NAMES:
        return getattr(messages(), name)
    raise AttributeError(f"module 'ndgrad.tf.example_pb' has no attribute {name!r}")

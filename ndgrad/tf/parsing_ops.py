"""Parsing ops: ``tf.decode_csv``, ``tf.decode_raw``, ``tf.parse_single_example`` and
``tf.parse_example`` with ``FixedLenFeature`` / ``VarLenFeature`` (``tf.train.Example``
records, as TFRecord files hold them), and ``tf.string_to_number``.

>>> import ndgrad.tf as tf
>>> a, b = tf.decode_csv(tf.constant(["1,x", "2,"]), record_defaults=[[0], ["none"]])
>>> with tf.Session() as sess:
...     print(sess.run([a, b]))
[array([1, 2], dtype=int32), array([b'x', b'none'], dtype=object)]
"""
from __future__ import annotations

import collections
import re

import numpy as np

from ..graph import errors as _errors
from ..graph.core import Tensor, get_default_graph
from . import dtypes as _tfd
from . import framework as _fw
from .framework import convert_to_tensor
from .sparse_tensor import SparseTensor

__all__ = ["decode_csv", "decode_raw", "parse_single_example", "parse_example",
           "FixedLenFeature", "VarLenFeature", "string_to_number"]

_OBJ = np.dtype(object)

FixedLenFeature = collections.namedtuple("FixedLenFeature", ["shape", "dtype",
                                                             "default_value"])
FixedLenFeature.__new__.__defaults__ = (None,)
FixedLenFeature.__doc__ = """A feature of fixed shape: ``FixedLenFeature(shape, dtype,
default_value=None)``.

>>> import ndgrad.tf as tf
>>> ex = tf.train.Example(features=tf.train.Features(feature={
...     "x": tf.train.Feature(int64_list=tf.train.Int64List(value=[1, 2]))}))
>>> f = tf.parse_single_example(ex.SerializeToString(), {
...     "x": tf.FixedLenFeature([2], tf.int64),
...     "y": tf.FixedLenFeature([], tf.float32, default_value=0.5)})
>>> with tf.Session() as sess:
...     print(*sess.run([f["x"], f["y"]]))
[1 2] 0.5
"""
VarLenFeature = collections.namedtuple("VarLenFeature", ["dtype"])
VarLenFeature.__doc__ = """A feature of any length, parsed into a SparseTensor.

>>> import ndgrad.tf as tf
>>> def example(*v):
...     return tf.train.Example(features=tf.train.Features(feature={"v": tf.train.Feature(
...         float_list=tf.train.FloatList(value=v))})).SerializeToString()
>>> f = tf.parse_example([example(1.5), example(2.5, 3.5)],
...                      {"v": tf.VarLenFeature(tf.float32)})
>>> with tf.Session() as sess:
...     v = sess.run(f["v"])
>>> print(v.indices.tolist(), v.values, v.dense_shape)
[[0, 0], [1, 0], [1, 1]] [1.5 2.5 3.5] [2 2]
"""


def _b(v):
    return v if isinstance(v, bytes) else str(v).encode()


_SPACE = b" \t\n\v\f\r"     # C's isspace, which TF's number parsers skip
_INT = re.compile(rb"-?[0-9]+")
# double-conversion's StringToDouble as TF configures it (leading/trailing spaces, hex
# integers, case-insensitive "inf"/"nan"; spaces alone are 0)
_FLOAT = re.compile(rb"[+-]?(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|inf|nan|"
                    rb"0x[0-9a-f]+)", re.IGNORECASE)


def _parse_number(text, dt):
    """The value of CSV field ``text`` (bytes) as TF's DecodeCSV kernel reads it, or None
    where TF's parser refuses it: integers by ``safe_strto32/64`` (spaces around, an
    optional ``-``, ASCII digits, in range: no ``+``, no ``_``, no other digits), floats
    by double-conversion's StringToDouble (no ``infinity``, no ``_``)."""
    t = text.strip(_SPACE)
    if dt.kind in "iu":
        if not _INT.fullmatch(t):
            return None
        v = int(t)
        info = np.iinfo(dt)
        return v if info.min <= v <= info.max else None
    if not t:
        return 0.0 if text else None    # (spaces alone: double-conversion's empty value)
    if not _FLOAT.fullmatch(t):
        return None
    body = t.lstrip(b"+-").lower()
    if body.startswith(b"0x"):
        v = float(int(body, 16))
        return -v if t.startswith(b"-") else v
    return float(t)


def _convert_field(op, text, dt, col, rec):
    if dt.kind == "O":
        return _b(text)
    v = _parse_number(_b(text), dt)
    if v is None:
        s = _b(text).decode("utf-8", "replace")
        kind = {"i": "int", "u": "int", "f": "float"}[dt.kind]
        what = "int32" if dt == np.int32 else ("int64" if dt.kind in "iu" else kind)
        raise _errors.InvalidArgumentError(
            None, op, f"Field {col} in record {rec} is not a valid {what}: {s}")
    return v


def _csv_fields(op, data, delim, use_quote, select_cols):
    """The fields of one CSV record (bytes) as TF's DecodeCSV kernel splits it
    (``ExtractFields``): a newline or carriage return before a field is skipped; an
    unquoted field may hold no quote (with quoting on) and no CR/LF; a quoted one escapes
    its quotes by doubling them and must end with a quote before the delimiter or the end;
    a record ending in the delimiter has an empty last field. With ``select_cols`` only
    those fields are kept, and the split stops after the last one."""
    out = []
    n = len(data)
    i = 0
    parsed = 0
    sel = 0
    q, nl, cr = ord('"'), ord("\n"), ord("\r")
    err = _errors.InvalidArgumentError
    while i < n:
        c = data[i]
        if c == nl or c == cr:
            i += 1
            continue
        include = select_cols is None or select_cols[sel] == parsed
        field = bytearray()
        if use_quote and c == q:
            i += 1
            while i < n - 1 and (data[i] != q or data[i + 1] != delim):
                if data[i] != q:
                    field.append(data[i])
                    i += 1
                else:
                    if data[i + 1] != q:
                        raise err(None, op, "Quote inside a string has to be escaped by "
                                  "another quote")
                    field.append(q)
                    i += 2
            if not (i < n and data[i] == q and (i == n - 1 or data[i + 1] == delim)):
                raise err(None, op, "Quoted field has to end with quote followed by delim "
                          "or end")
            i += 2
        else:
            while i < n and data[i] != delim:
                c = data[i]
                if (use_quote and c == q) or c == nl or c == cr:
                    raise err(None, op, "Unquoted fields cannot have quotes/CRLFs inside")
                field.append(c)
                i += 1
            i += 1
        parsed += 1
        if include:
            out.append(bytes(field))
            sel += 1
            if select_cols is not None and sel == len(select_cols):
                return out
    if n and (select_cols is None or (sel < len(select_cols) and
                                      select_cols[sel] == parsed)) and data[-1] == delim:
        out.append(b"")
    return out


def decode_csv(records, record_defaults, field_delim=",", use_quote_delim=True, name=None,
               na_value="", select_cols=None):
    """One tensor per column of the CSV ``records`` (a string tensor of any shape), of
    each column's ``record_defaults`` dtype; an empty field takes its default (a column
    whose default is empty is required).

    >>> import ndgrad.tf as tf
    >>> a, b = tf.decode_csv(["1,2.5", "3,"], record_defaults=[[0], [-1.0]])
    >>> with tf.Session() as sess:
    ...     print(*sess.run([a, b]))
    [1 3] [ 2.5 -1. ]
    """
    recs = convert_to_tensor(records, dtype=_tfd.string, name="records")
    defaults = []
    for i, d in enumerate(record_defaults):
        if isinstance(d, Tensor):
            defaults.append(d)
            continue
        arr = d if isinstance(d, np.ndarray) else None
        if arr is None:
            vals = list(d) if isinstance(d, (list, tuple)) else [d]
            if len(vals) > 1:
                raise ValueError(f"record_defaults[{i}] must hold at most one value")
            if vals and isinstance(vals[0], Tensor):     # [tf.constant(9, tf.int64)]
                defaults.append(convert_to_tensor(vals, name=f"record_defaults_{i}"))
                continue
            if vals and isinstance(vals[0], (list, tuple, np.ndarray)):
                raise ValueError(f"Shape must be at most rank 1 but is rank "
                                 f"{np.ndim(vals)} for 'DecodeCSV': record_defaults[{i}] "
                                 f"is {d!r}")
            if vals and isinstance(vals[0], (str, bytes)):
                arr = np.array([_b(vals[0])], dtype=_OBJ)
            elif vals and isinstance(vals[0], float):
                arr = np.array(vals, dtype=np.float32)
            elif vals and isinstance(vals[0], (bool, np.bool_)):
                raise TypeError(f"record_defaults[{i}]: bool columns are not CSV types")
            elif vals:
                arr = np.array(vals, dtype=np.int32)
            else:
                raise ValueError(f"record_defaults[{i}] is empty: give an empty tensor of "
                                 "the column's dtype, e.g. tf.constant([], tf.float32)")
        defaults.append(convert_to_tensor(arr, name=f"record_defaults_{i}"))
    for i, d in enumerate(defaults):
        if d._shape is not None and len(d._shape) > 1:
            raise ValueError(f"Shape must be at most rank 1 but is rank {len(d._shape)} for "
                             f"'DecodeCSV': record_defaults[{i}] has shape {d._shape}")
    if select_cols is not None:
        select_cols = [int(c) for c in select_cols]
        if any(c < 0 for c in select_cols):
            raise ValueError("select_cols contains negative values.")
        if sorted(set(select_cols)) != select_cols:
            raise ValueError("select_cols must be strictly increasing")
        if len(select_cols) != len(defaults):
            raise ValueError(f"Length of select_cols ({len(select_cols)}) and "
                             f"record_defaults ({len(defaults)}) should match")
    dts = [d._np_dtype for d in defaults]
    if len(_b(field_delim)) != 1:
        raise ValueError(f"field_delim must be one character, got {field_delim!r}")
    g = get_default_graph()
    na = _b(na_value)
    delim = _b(field_delim)[0]

    def fn(ctx, rec_vals, *dvals):
        arr = np.asarray(rec_vals, dtype=object)
        flat = arr.reshape(-1)
        cols = [np.empty(flat.shape, dtype=dt) for dt in dts]
        for r, rec in enumerate(flat):
            fields = _csv_fields(op, _b(rec), delim, use_quote_delim, select_cols)
            if len(fields) != len(dts):
                raise _errors.InvalidArgumentError(
                    None, op, f"Expect {len(dts)} fields but have {len(fields)} in record "
                    f"{r}")
            for c, (fb, dt, dv) in enumerate(zip(fields, dts, dvals)):
                if fb == b"" or (na and fb == na):
                    if np.size(dv) == 0:
                        raise _errors.InvalidArgumentError(
                            None, op, f"Field {c} is required but missing in record {r}!")
                    cols[c][r] = np.ravel(dv)[0]
                else:
                    cols[c][r] = _convert_field(op, fb, dt, c, r)
        out = tuple(col.reshape(arr.shape) for col in cols)
        return out if len(out) != 1 else out[0]   # (one column: one output's value)
    specs = [(recs._shape, dt) for dt in dts]
    op = g.special_op("DecodeCSV", name or "DecodeCSV", (recs, *defaults), fn, specs)
    return list(op.outputs)


def decode_raw(bytes, out_type, little_endian=True, name=None):  # noqa: A002
    """The bytes of each string as a vector of ``out_type`` (shape: input's + [n]); all
    strings must have the same length, a multiple of the type's size.

    >>> import ndgrad.tf as tf
    >>> s = tf.constant([b"\\x01\\x00\\x02\\x00"])
    >>> with tf.Session() as sess:
    ...     print(sess.run(tf.decode_raw(s, tf.int16)), sess.run(tf.decode_raw(s, tf.uint8)))
    ...     print(sess.run(tf.decode_raw(s, tf.int16, little_endian=False)))
    [[1 2]] [[1 0 2 0]]
    [[256 512]]
    """
    t = convert_to_tensor(bytes, dtype=_tfd.string, name="bytes")
    dt = np.dtype(_tfd.as_dtype(out_type)._np).newbyteorder("<" if little_endian else ">")
    if dt.kind == "O":
        raise TypeError("decode_raw: out_type must be a numeric dtype")
    g = get_default_graph()
    native = dt.newbyteorder("=")

    def fn(ctx, v):
        arr = np.asarray(v, dtype=object)
        flat = arr.reshape(-1)
        n = None
        rows = []
        for i, s in enumerate(flat):
            s = _b(s)
            if len(s) % dt.itemsize:
                raise _errors.InvalidArgumentError(
                    None, op, f"Input to DecodeRaw has length {len(s)} that is not a "
                    f"multiple of {dt.itemsize}, the size of {native.name}")
            if n is None:
                n = len(s)
            elif len(s) != n:
                raise _errors.InvalidArgumentError(
                    None, op, f"DecodeRaw requires input strings to all be the same size, "
                    f"but element {i} has size {len(s)} != {n}")
            rows.append(np.frombuffer(s, dtype=dt).astype(native))
        k = (n or 0) // dt.itemsize
        out = np.stack(rows) if rows else np.empty((0, k), dtype=native)
        return out.reshape(arr.shape + (k,))
    shp = None if t._shape is None else t._shape + (None,)
    op = g.special_op("DecodeRaw", name or "DecodeRaw", (t,), fn, [(shp, native)])
    return op.outputs[0]


def string_to_number(string_tensor, out_type=_tfd.float32, name=None):
    """Each string parsed as a number of ``out_type``.

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as sess:
    ...     print(sess.run(tf.string_to_number(["1.5", "-2e1"])))
    ...     print(sess.run(tf.string_to_number(["7", "-3"], out_type=tf.int32)))
    [  1.5 -20. ]
    [ 7 -3]
    """
    t = convert_to_tensor(string_tensor, dtype=_tfd.string)
    dt = np.dtype(_tfd.as_dtype(out_type)._np)
    g = get_default_graph()

    def fn(ctx, v):
        arr = np.asarray(v, dtype=object)
        out = np.empty(arr.shape, dtype=dt)
        for i, s in np.ndenumerate(arr):
            v = _parse_number(_b(s), dt)     # (TF's SafeStringToNumeric: DecodeCSV's)
            if v is None:
                raise _errors.InvalidArgumentError(
                    None, op, f"StringToNumberOp could not correctly convert string: "
                    f"{_b(s).decode('utf-8', 'replace')}")
            out[i] = v
        return out
    op = g.special_op("StringToNumber", name or "StringToNumber", (t,), fn, [(t._shape, dt)])
    return op.outputs[0]


# -- tf.train.Example -----------------------------------------------------------------
_KIND = {np.dtype(np.float32): "float_list", np.dtype(np.int64): "int64_list", _OBJ:
         "bytes_list"}
_TYPE_NAME = {"float_list": "float", "int64_list": "int64", "bytes_list": "string"}


def _feature_dtype(name, f):
    dt = np.dtype(_tfd.as_dtype(f.dtype)._np)
    if dt not in _KIND:
        raise ValueError(f"Feature {name!r}: dtype {dt.name} is not one of float32, int64, "
                         "string (the types an Example holds)")
    return dt


def _parse_one(op, m, serialized, features, names, r):
    try:
        ex = m.Example.FromString(_b(serialized))
    except Exception as e:  # noqa: BLE001 - protobuf's DecodeError and friends
        raise _errors.InvalidArgumentError(
            None, op, f"Could not parse example input, value: '{_b(serialized)[:40]!r}' "
            f"({e})") from None
    feats = ex.features.feature
    out = {}
    for key in names:
        f = features[key]
        dt = _feature_dtype(key, f)
        kind = _KIND[dt]
        if key in feats:
            fe = feats[key]
            which = fe.WhichOneof("kind")
            if which is None:        # a Feature with no list at all counts as missing (TF)
                vals = None
            elif which != kind:
                raise _errors.InvalidArgumentError(
                    None, op, f"Name: <unknown>, Key: {key}, Index: {r}. "
                    f"Data types don't match. Data type: {_TYPE_NAME[which]} but expected "
                    f"type: {_TYPE_NAME[kind]}")
            else:
                vals = list(getattr(fe, kind).value)
        else:
            vals = None
        out[key] = vals
    return out


def _parse(serialized, features, name, example_names, batched, type_):
    from .example_pb import messages
    s = convert_to_tensor(serialized, dtype=_tfd.string, name="serialized")
    names = sorted(features)
    fixed = [k for k in names if isinstance(features[k], FixedLenFeature)]
    var = [k for k in names if isinstance(features[k], VarLenFeature)]
    other = [k for k in names if k not in fixed and k not in var]
    if other:
        raise ValueError(f"Unsupported feature type for {other}: use FixedLenFeature or "
                         "VarLenFeature")
    shapes = {k: tuple(int(d) for d in (features[k].shape if not isinstance(
        features[k].shape, int) else [features[k].shape])) for k in fixed}
    defaults = {}
    for k in fixed:
        f = features[k]
        if f.default_value is not None:
            dt = _feature_dtype(k, f)
            dv = np.asarray(f.default_value if dt.kind != "O" else
                            _fw._strings(f.default_value), dtype=dt)   # (str as UTF-8 bytes)
            n = int(np.prod(shapes[k]))
            if dv.size == 0 and n == 0:
                continue             # TF: an empty default makes the feature required
            if dv.size == 1 and n != 1:
                dv = np.full(shapes[k], dv.reshape(()), dtype=dt)
            if dv.size != n:
                raise ValueError(f"Feature {k!r}: default_value has {dv.size} values, the "
                                 f"shape {list(shapes[k])} needs {n}")
            defaults[k] = dv.reshape(shapes[k])
    g = get_default_graph()

    def fn(ctx, ser):
        m = messages()
        arr = np.asarray(ser, dtype=object)
        recs = list(arr.reshape(-1)) if batched else [arr.reshape(())[()]]
        parsed = [_parse_one(op, m, rec, features, names, r)
                  for r, rec in enumerate(recs)]
        outs = []
        for k in fixed:
            dt = _feature_dtype(k, features[k])
            n = int(np.prod(shapes[k]))
            rows = []
            for r, p in enumerate(parsed):
                vals = p[k]
                if vals is None:     # (present but empty is a size mismatch, as in TF)
                    if k not in defaults:
                        raise _errors.InvalidArgumentError(
                            None, op, f"Name: <unknown>, Feature: {k} (data type: "
                            f"{_TYPE_NAME[_KIND[dt]]}) is required but could not be found.")
                    rows.append(defaults[k])
                    continue
                if len(vals) != n:
                    raise _errors.InvalidArgumentError(
                        None, op, f"Name: <unknown>, Key: {k}, Index: {r}.  Number of "
                        f"{_TYPE_NAME[_KIND[dt]]} values != expected.  Values size: "
                        f"{len(vals)} but output shape: {list(shapes[k])}")
                a = np.empty(n, dtype=dt)
                a[:] = vals
                rows.append(a.reshape(shapes[k]))
            outs.append(np.stack(rows) if batched else rows[0])
        for k in var:
            dt = _feature_dtype(k, features[k])
            idx, vals = [], []
            width = 0
            for r, p in enumerate(parsed):
                v = p[k] or []
                width = max(width, len(v))
                for j, x in enumerate(v):
                    idx.append([r, j] if batched else [j])
                    vals.append(x)
            va = np.empty(len(vals), dtype=dt)
            va[:] = vals
            ia = np.asarray(idx, dtype=np.int64).reshape(-1, 2 if batched else 1)
            shape = np.asarray([len(parsed), width] if batched else [width], dtype=np.int64)
            outs.extend([ia, va, shape])
        return tuple(outs) if len(outs) != 1 else outs[0]
    specs = []
    lead = (s._shape[0] if s._shape else None,) if batched else ()
    for k in fixed:
        specs.append((lead + shapes[k], _feature_dtype(k, features[k])))
    for k in var:
        r = 2 if batched else 1
        specs.extend([((None, r), np.dtype(np.int64)),
                      ((None,), _feature_dtype(k, features[k])),
                      ((r,), np.dtype(np.int64))])
    op = g.special_op(type_, name or type_, (s,), fn, specs)
    outs = list(op.outputs)
    result = {}
    for i, k in enumerate(fixed):
        result[k] = outs[i]
    base = len(fixed)
    for j, k in enumerate(var):
        result[k] = SparseTensor.__new__(SparseTensor)
        sp = result[k]
        sp._indices, sp._values, sp._dense_shape = outs[base + 3 * j: base + 3 * j + 3]
    return result


def parse_single_example(serialized, features, name=None, example_names=None):
    """A dict of tensors from one serialized ``tf.train.Example`` (a string scalar):
    FixedLenFeature -> a dense tensor of its shape, VarLenFeature -> a SparseTensor.

    >>> import ndgrad.tf as tf
    >>> ex = tf.train.Example(features=tf.train.Features(feature={
    ...     "name": tf.train.Feature(bytes_list=tf.train.BytesList(value=[b"cat"])),
    ...     "size": tf.train.Feature(float_list=tf.train.FloatList(value=[0.5, 2.0]))}))
    >>> f = tf.parse_single_example(ex.SerializeToString(), {
    ...     "name": tf.FixedLenFeature([], tf.string),
    ...     "size": tf.FixedLenFeature([2], tf.float32)})
    >>> with tf.Session() as sess:
    ...     print(*sess.run([f["name"], f["size"]]))
    b'cat' [0.5 2. ]
    """
    return _parse(serialized, features, name, example_names, False, "ParseSingleExample")


def parse_example(serialized, features, name=None, example_names=None):
    """Like ``parse_single_example`` for a vector of serialized Examples: dense features
    get a leading batch dimension; sparse ones index ``[example, position]``.

    >>> import ndgrad.tf as tf
    >>> def example(x):
    ...     return tf.train.Example(features=tf.train.Features(feature={"x": tf.train.Feature(
    ...         int64_list=tf.train.Int64List(value=x))})).SerializeToString()
    >>> f = tf.parse_example([example([1, 2]), example([3, 4])],
    ...                      {"x": tf.FixedLenFeature([2], tf.int64)})
    >>> with tf.Session() as sess:
    ...     print(sess.run(f["x"]))
    [[1 2]
     [3 4]]
    """
    return _parse(serialized, features, name, example_names, True, "ParseExample")

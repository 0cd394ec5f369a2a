"""TensorFlow's V2 checkpoint format (the tensor bundle), read and written without TensorFlow.

A checkpoint ``prefix`` is two files:

- ``prefix.data-00000-of-00001``: the tensors' raw little-endian bytes, one after another;
- ``prefix.index``: a LevelDB-style immutable table (SSTable) mapping each tensor's name to
  a ``BundleEntryProto`` (dtype, shape, shard, offset, size, masked CRC32C of the bytes),
  plus a header entry under the empty key (a ``BundleHeaderProto``: shard count,
  endianness, format version).

Written from the published descriptions (tensorflow/core/protobuf/tensor_bundle.proto,
tensorflow/core/util/tensor_bundle/, tensorflow/core/lib/io/table_builder.cc, format.cc,
block_builder.cc). The two small protos are encoded here by hand, so reading and writing a
checkpoint needs neither TensorFlow nor protobuf.

>>> import tempfile, os, numpy as np
>>> d = tempfile.mkdtemp(); p = os.path.join(d, "model.ckpt")
>>> write_bundle(p, {"w": np.arange(6, dtype=np.float32).reshape(2, 3)})
>>> r = BundleReader(p)
>>> r.shapes(), r.get("w")[1]
({'w': (2, 3)}, array([3., 4., 5.], dtype=float32))
"""
from __future__ import annotations

import os
import struct

import numpy as np

__all__ = ["crc32c", "masked_crc32c", "write_bundle", "BundleReader", "CheckpointError",
           "UnsupportedTensorError", "data_path", "index_path"]


class CheckpointError(ValueError):
    """A checkpoint file is damaged, truncated, or not a TensorFlow V2 checkpoint."""


class UnsupportedTensorError(CheckpointError):
    """A well-formed entry ndgrad cannot read (resource or variant tensors)."""


# -- CRC32C (Castagnoli), as TensorFlow masks it ------------------------------------------
def _crc_table():
    table = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        table.append(c)
    return table


_TABLE = None


def _table():
    """The byte table (built at first use)."""
    global _TABLE
    if _TABLE is None:
        _TABLE = _crc_table()
    return _TABLE


def _crc32c_py(data, crc=0):
    t = _table()
    c = crc ^ 0xFFFFFFFF
    for b in bytes(data):
        c = t[(c ^ b) & 0xFF] ^ (c >> 8)
    return c ^ 0xFFFFFFFF


def _shift_tables(n):
    """Four 256-entry tables applying "feed ``n`` zero bytes" to a raw CRC register (a
    linear map over GF(2)): ``S(r) = t0[r & 255] ^ t1[(r >> 8) & 255] ^ ...``."""
    t = _table()

    def one_zero_byte(r):
        return t[r & 0xFF] ^ (r >> 8)

    def apply(cols, r):
        out = 0
        j = 0
        while r:
            if r & 1:
                out ^= cols[j]
            r >>= 1
            j += 1
        return out
    # the map as its 32 columns; square-and-multiply on the byte count
    result = [1 << j for j in range(32)]
    power = [one_zero_byte(1 << j) for j in range(32)]
    while n:
        if n & 1:
            result = [apply(power, c) for c in result]
        power = [apply(power, c) for c in power]
        n >>= 1
    return [[apply(result, b << (8 * k)) for b in range(256)] for k in range(4)]


def _crc32c_numpy(data, crc=0):
    """CRC32C of a large buffer with NumPy: the buffer is cut into K equal chunks whose raw
    CRC registers advance together, one byte of every chunk per step; the chunk CRCs are
    then joined with the "shift by L zero bytes" map, and the tail is done byte by byte."""
    buf = np.frombuffer(bytes(data), dtype=np.uint8)
    n = buf.size
    k = 1024 if n >= 1 << 22 else 256
    length = n // k
    table = np.array(_table(), dtype=np.uint32)
    cols = buf[:k * length].reshape(k, length).T.copy()       # (L, K): step j, chunk i
    regs = np.zeros(k, dtype=np.uint32)
    regs[0] = crc ^ 0xFFFFFFFF
    for j in range(length):
        regs = table[(regs ^ cols[j]) & 0xFF] ^ (regs >> 8)
    t0, t1, t2, t3 = _shift_tables(length)
    acc = int(regs[0])
    for r in regs[1:].tolist():
        acc = t0[acc & 0xFF] ^ t1[(acc >> 8) & 0xFF] ^ t2[(acc >> 16) & 0xFF] ^ \
            t3[acc >> 24] ^ r
    return _crc32c_py(buf[k * length:].tobytes(), acc ^ 0xFFFFFFFF)


def crc32c(data, crc=0):
    """CRC32C of ``data``, continuing from ``crc`` (the ``crc32c`` package where installed,
    else NumPy for large buffers and pure Python for small ones).

    >>> hex(crc32c(b"123456789")), crc32c(b"6789", crc32c(b"12345")) == crc32c(b"123456789")
    ('0xe3069283', True)
    """
    try:
        import crc32c as _fast
    except ImportError:
        if len(data) >= 1 << 16:
            return _crc32c_numpy(data, crc)
        return _crc32c_py(data, crc)
    return _fast.crc32c(bytes(data), crc)


def mask(c):
    """TensorFlow's masked CRC: rotate right by 15 bits and add 0xa282ead8."""
    return ((((c >> 15) | (c << 17)) & 0xFFFFFFFF) + 0xA282EAD8) & 0xFFFFFFFF


def masked_crc32c(data):
    return mask(crc32c(data))


# -- string tensors: [varint64 lengths][masked crc of the lengths][bytes...] ------------------
def _string_bytes(a):
    """The data-file bytes of an object array of bytes, and their (unmasked) CRC32C. The
    CRC covers each length as 4 little-endian bytes (8 above 2**32 - 1), the masked
    length checksum, then the strings, as TensorFlow's WriteStringTensor."""
    elems = []
    for v in a.reshape(-1):
        if isinstance(v, str):
            v = v.encode()
        if not isinstance(v, (bytes, np.bytes_)):
            raise TypeError(f"a string tensor holds bytes or str, not {type(v).__name__}")
        elems.append(bytes(v))
    lengths = b"".join(_varint(len(e)) for e in elems)
    crc = 0
    for e in elems:
        n = len(e)
        crc = crc32c(struct.pack("<I", n) if n <= 0xFFFFFFFF else struct.pack("<Q", n), crc)
    check = struct.pack("<I", mask(crc))
    crc = crc32c(check, crc)
    for e in elems:
        crc = crc32c(e, crc)
    return lengths + check + b"".join(elems), crc


def _read_strings(raw, shape, where):
    n = int(np.prod(shape, dtype=np.int64))
    pos, lens, crc = 0, [], 0
    for _ in range(n):
        k, pos = _read_varint(raw, pos)
        lens.append(k)
        crc = crc32c(struct.pack("<I", k) if k <= 0xFFFFFFFF else struct.pack("<Q", k), crc)
    if pos + 4 > len(raw) or struct.unpack_from("<I", raw, pos)[0] != mask(crc):
        raise CheckpointError(f"{where}: string lengths checksum mismatch")
    crc = crc32c(raw[pos:pos + 4], crc)
    pos += 4
    out = np.empty(n, dtype=object)
    for i, k in enumerate(lens):
        out[i] = bytes(raw[pos:pos + k])
        crc = crc32c(out[i], crc)
        pos += k
    if pos != len(raw):
        raise CheckpointError(f"{where}: string tensor bytes do not add up")
    return out.reshape(shape), crc


# -- protobuf wire format, the few pieces the two protos need -----------------------------
def _varint(n):
    n &= 0xFFFFFFFFFFFFFFFF
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def _read_varint(buf, pos):
    shift = result = 0
    while True:
        if pos >= len(buf):
            raise CheckpointError("truncated varint")
        b = buf[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        if not b & 0x80:
            return result, pos
        shift += 7
        if shift > 63:
            raise CheckpointError("varint too long")


def _field(num, wire, payload):
    key = _varint((num << 3) | wire)
    if wire == 0:
        return key + _varint(payload)
    if wire == 2:
        return key + _varint(len(payload)) + payload
    if wire == 5:
        return key + struct.pack("<I", payload)
    raise AssertionError(wire)


def _parse(buf):
    """{field number: [values]} of one message (varints as ints, others as bytes)."""
    out = {}
    pos = 0
    while pos < len(buf):
        key, pos = _read_varint(buf, pos)
        num, wire = key >> 3, key & 7
        if wire == 0:
            val, pos = _read_varint(buf, pos)
        elif wire == 1:
            val, pos = struct.unpack_from("<Q", buf, pos)[0], pos + 8
        elif wire == 2:
            n, pos = _read_varint(buf, pos)
            val, pos = bytes(buf[pos:pos + n]), pos + n
        elif wire == 5:
            val, pos = struct.unpack_from("<I", buf, pos)[0], pos + 4
        else:
            raise CheckpointError(f"unsupported protobuf wire type {wire}")
        if pos > len(buf):
            raise CheckpointError("truncated protobuf message")
        out.setdefault(num, []).append(val)
    return out


# TensorFlow's DataType enum (types.proto) <-> NumPy
_DT_TO_NP = {1: np.float32, 2: np.float64, 3: np.int32, 4: np.uint8, 5: np.int16, 6: np.int8,
             8: np.complex64, 9: np.int64, 10: np.bool_, 17: np.uint16, 18: np.complex128,
             19: np.float16, 22: np.uint32, 23: np.uint64}
_NP_TO_DT = {np.dtype(v): k for k, v in _DT_TO_NP.items()}
DT_NAMES = {1: "float32", 2: "float64", 3: "int32", 4: "uint8", 5: "int16", 6: "int8",
            7: "string", 8: "complex64", 9: "int64", 10: "bool", 14: "bfloat16",
            17: "uint16", 18: "complex128", 19: "float16", 20: "resource", 21: "variant",
            22: "uint32", 23: "uint64"}


# types.proto's enum names, as TensorFlow prints them
DT_ENUM_NAMES = {1: "DT_FLOAT", 2: "DT_DOUBLE", 3: "DT_INT32", 4: "DT_UINT8", 5: "DT_INT16",
                 6: "DT_INT8", 7: "DT_STRING", 8: "DT_COMPLEX64", 9: "DT_INT64",
                 10: "DT_BOOL", 14: "DT_BFLOAT16", 17: "DT_UINT16", 18: "DT_COMPLEX128",
                 19: "DT_HALF", 20: "DT_RESOURCE", 21: "DT_VARIANT", 22: "DT_UINT32",
                 23: "DT_UINT64"}


def dtype_enum(np_dtype):
    """TensorFlow's DataType number of a NumPy dtype (object arrays hold strings)."""
    if np.dtype(np_dtype).kind in "OSU":
        return 7
    try:
        return _NP_TO_DT[np.dtype(np_dtype)]
    except KeyError:
        raise TypeError(f"dtype {np.dtype(np_dtype)} cannot be stored in a TensorFlow "
                        f"checkpoint; valid: {sorted(d.name for d in _NP_TO_DT)}") from None


def _shape_proto(shape):
    return b"".join(_field(2, 2, _field(1, 0, int(d)) if d else b"") for d in shape)


def _entry_proto(dtype, shape, offset, size, crc):
    msg = _field(1, 0, dtype) + _field(2, 2, _shape_proto(shape))
    if offset:
        msg += _field(4, 0, offset)
    if size:
        msg += _field(5, 0, size)
    return msg + _field(6, 5, crc)


def _header_proto():
    # num_shards = 1, endianness LITTLE (0, the default), version {producer: 1}
    return _field(1, 0, 1) + _field(3, 2, _field(1, 0, 1))


# -- the table (LevelDB's SSTable layout, no compression) ---------------------------------
_MAGIC = 0xDB4775248B80FB57
_FOOTER = 48
_RESTART_INTERVAL = 16
_BLOCK_SIZE = 262144


def _block(entries):
    """One block: prefix-compressed keys, restart points every 16 entries."""
    out = bytearray()
    restarts = []
    prev = b""
    for i, (k, v) in enumerate(entries):
        if i % _RESTART_INTERVAL == 0:
            restarts.append(len(out))
            shared = 0
        else:
            shared = 0
            while shared < min(len(prev), len(k)) and prev[shared] == k[shared]:
                shared += 1
        out += _varint(shared) + _varint(len(k) - shared) + _varint(len(v))
        out += k[shared:] + v
        prev = k
    if not restarts:
        restarts = [0]
    out += b"".join(struct.pack("<I", r) for r in restarts)
    out += struct.pack("<I", len(restarts))
    return bytes(out)


def _write_block(f, contents):
    offset = f.tell()
    trailer_type = b"\x00"          # kNoCompression
    f.write(contents + trailer_type + struct.pack("<I", masked_crc32c(contents + trailer_type)))
    return _varint(offset) + _varint(len(contents))


def _separator(start, limit):
    """A short key >= ``start`` and < ``limit`` (LevelDB's bytewise FindShortestSeparator)."""
    n = min(len(start), len(limit))
    i = 0
    while i < n and start[i] == limit[i]:
        i += 1
    if i < n and start[i] < 0xFF and start[i] + 1 < limit[i]:
        return start[:i] + bytes([start[i] + 1])
    return start


def _successor(key):
    """A short key >= ``key`` (LevelDB's bytewise FindShortSuccessor)."""
    for i, b in enumerate(key):
        if b != 0xFF:
            return key[:i] + bytes([b + 1])
    return key


def _write_table(path, items):
    """``items``: sorted (key bytes, value bytes); the index keys are shortened as
    LevelDB's (and TensorFlow's) table builder shortens them, so the file is byte-for-byte
    what TensorFlow writes for the same tensors."""
    with open(path, "wb") as f:
        index = []
        pending, size, last_handle = [], 0, None
        for k, v in items:
            if last_handle is not None:
                index.append((_separator(pending_last, k), last_handle))
                last_handle = None
            pending.append((k, v))
            size += len(k) + len(v) + 8
            if size >= _BLOCK_SIZE:
                pending_last = pending[-1][0]
                last_handle = _write_block(f, _block(pending))
                pending, size = [], 0
        if pending:
            pending_last = pending[-1][0]
            last_handle = _write_block(f, _block(pending))
        if last_handle is not None:
            index.append((_successor(pending_last), last_handle))
        meta = _write_block(f, _block([]))
        idx = _write_block(f, _block(index))
        footer = (meta + idx).ljust(40, b"\x00")
        f.write(footer + struct.pack("<II", _MAGIC & 0xFFFFFFFF, _MAGIC >> 32))


def _read_block(buf, handle, where):
    off, pos = _read_varint(handle, 0)
    n, _ = _read_varint(handle, pos)
    if off + n + 5 > len(buf):
        raise CheckpointError(f"{where}: truncated (a block ends at byte {off + n + 5}, "
                              f"the file has {len(buf)})")
    contents = buf[off:off + n]
    trailer = buf[off + n:off + n + 5]
    if trailer[0] != 0:
        raise CheckpointError(f"{where}: compressed blocks (type {trailer[0]}) are not "
                              "supported")
    if struct.unpack("<I", trailer[1:])[0] != masked_crc32c(buf[off:off + n + 1]):
        raise CheckpointError(f"{where}: block checksum mismatch (the file is damaged)")
    return contents


def _block_entries(block, where):
    if len(block) < 4:
        raise CheckpointError(f"{where}: bad block")
    nrest = struct.unpack_from("<I", block, len(block) - 4)[0]
    end = len(block) - 4 - 4 * nrest
    if end < 0:
        raise CheckpointError(f"{where}: bad block restart array")
    pos, key, out = 0, b"", []
    while pos < end:
        shared, pos = _read_varint(block, pos)
        nonshared, pos = _read_varint(block, pos)
        vlen, pos = _read_varint(block, pos)
        key = key[:shared] + bytes(block[pos:pos + nonshared])
        pos += nonshared
        out.append((key, bytes(block[pos:pos + vlen])))
        pos += vlen
    return out


def _read_table(path):
    try:
        with open(path, "rb") as f:
            buf = f.read()
    except FileNotFoundError:
        raise CheckpointError(f"{path}: no such checkpoint index file") from None
    if len(buf) < _FOOTER:
        raise CheckpointError(f"{path}: truncated ({len(buf)} bytes is shorter than a "
                              "table footer)")
    footer = buf[-_FOOTER:]
    lo, hi = struct.unpack("<II", footer[40:])
    if (hi << 32 | lo) != _MAGIC:
        raise CheckpointError(f"{path}: not a TensorFlow V2 checkpoint index (bad magic "
                              "number; truncated or another format)")
    _, pos = _read_varint(footer, 0)
    _, pos = _read_varint(footer, pos)
    idx_handle = footer[pos:40]
    items = []
    for _, handle in _block_entries(_read_block(buf, idx_handle, path), path):
        items.extend(_block_entries(_read_block(buf, handle, path), path))
    return items


# -- bundles --------------------------------------------------------------------------------
def index_path(prefix):
    return f"{prefix}.index"


def data_path(prefix, shard=0, num_shards=1):
    return f"{prefix}.data-{shard:05d}-of-{num_shards:05d}"


def write_bundle(prefix, tensors):
    """Write ``{name: NumPy array}`` as a V2 checkpoint at ``prefix`` (atomically: files
    are written under temporary names and renamed when complete)."""
    names = sorted(tensors)
    arrays = {}
    for n in names:
        a = np.asarray(tensors[n])
        dtype_enum(a.dtype)
        if a.dtype.kind == "U":
            a = np.vectorize(lambda u: u.encode(), otypes=[object])(a) if a.size else \
                np.empty(a.shape, dtype=object)
        arrays[n] = a if a.dtype.kind in "OS" else a.astype(a.dtype.newbyteorder("<"),
                                                             copy=False)
    d = os.path.dirname(os.path.abspath(prefix))
    os.makedirs(d, exist_ok=True)
    data_tmp = data_path(prefix) + ".tempstate"
    index_tmp = index_path(prefix) + ".tempstate"
    items = [(b"", _header_proto())]
    try:
        with open(data_tmp, "wb") as f:
            offset = 0
            for n in names:
                a = arrays[n]
                if a.dtype.kind in "OS":
                    raw, crc = _string_bytes(a)
                else:
                    raw = a.tobytes()
                    crc = crc32c(raw)
                f.write(raw)
                items.append((n.encode(), _entry_proto(dtype_enum(a.dtype), a.shape, offset,
                                                       len(raw), mask(crc))))
                offset += len(raw)
        _write_table(index_tmp, items)
        os.replace(data_tmp, data_path(prefix))
        os.replace(index_tmp, index_path(prefix))
    finally:
        for p in (data_tmp, index_tmp):
            if os.path.exists(p):
                os.remove(p)


def _entry(e):
    """A parsed BundleEntryProto's fields: dtype, shape, shard, offset, size, crc."""
    dims = []
    for sh in e.get(2, []):
        for d in _parse(sh).get(2, []):
            dims.append(_parse(d).get(1, [0])[0])
    return dict(dtype=e.get(1, [0])[0], shape=tuple(dims), shard=e.get(3, [0])[0],
                offset=e.get(4, [0])[0], size=e.get(5, [0])[0], crc=e.get(6, [None])[0])


def _slice_extents(proto, shape, name):
    """A TensorSliceProto's ((start, length), ...), a full extent's length -1 (it has none),
    as TF's TensorSlice holds them."""
    exts = [_parse(x) for x in _parse(proto).get(1, [])]
    if len(exts) != len(shape):
        raise CheckpointError(f"tensor {name!r}: a slice of rank {len(exts)} for a tensor of "
                              f"shape {list(shape)}")
    out = []
    for x in exts:
        start = _signed64(x.get(1, [0])[0])
        out.append((start, _signed64(x[2][0])) if 2 in x else (0, -1))
    return tuple(out)


def _np_type(dtype_enum):
    """The NumPy type of a bundle entry's DataType (object for strings), or None."""
    return object if dtype_enum == 7 else _DT_TO_NP.get(dtype_enum)


def _signed64(v):
    return v - (1 << 64) if v >= 1 << 63 else v


def _slice_text(ext):
    return ",".join("-" if n == -1 else f"{a}:{a + n}" for a, n in ext)


def encode_tensor_name_slice(name, extents):
    """The bundle key of one slice of tensor ``name`` (TF's EncodeTensorNameSlice: the
    OrderedCode of 0, the name, the rank and each dimension's start and length; a full
    extent is (0, -1))."""
    def num(v):                                   # WriteNumIncreasing
        b = v.to_bytes((v.bit_length() + 7) // 8, "big")
        return bytes([len(b)]) + b

    def signed(v):                                # WriteSignedNumIncreasing
        x = ~v if v < 0 else v
        if x < 64:
            return bytes([(0x80 ^ v) & 0xFF])
        n = x.bit_length() // 7 + 1
        b = bytearray((v & ((1 << 80) - 1)).to_bytes(10, "big")[10 - n:])
        h0, h1 = _SIGNED_HEADER[n]
        b[0] ^= h0
        b[1] ^= h1
        return bytes(b)
    raw = name.encode()
    text = b"".join(b"\x00\xff" if c == 0 else b"\xff\x00" if c == 255 else bytes([c])
                    for c in raw) + b"\x00\x01"
    out = num(0) + text + num(len(extents))
    for start, length in extents:
        out += signed(start) + signed(length)
    return out


_SIGNED_HEADER = {2: (0xC0, 0), 3: (0xE0, 0), 4: (0xF0, 0), 5: (0xF8, 0), 6: (0xFC, 0),
                  7: (0xFE, 0), 8: (0xFF, 0), 9: (0xFF, 0x80), 10: (0xFF, 0xC0)}


class BundleReader:
    """The entries of a V2 checkpoint; ``get(name)`` reads and CRC-checks one tensor."""

    def __init__(self, prefix):
        self.prefix = prefix
        ipath = index_path(prefix)
        items = _read_table(ipath)
        if not items or items[0][0] != b"":
            raise CheckpointError(f"{ipath}: the bundle header entry is missing")
        header = _parse(items[0][1])
        self.num_shards = header.get(1, [1])[0] or 1
        if header.get(2, [0])[0] != 0:
            raise CheckpointError(f"{ipath}: a big-endian checkpoint is not supported")
        self._entries = {}
        slice_items = {}
        for k, v in items[1:]:
            if k[:1] == b"\x00":     # a slice of a partitioned tensor: read through its
                slice_items[k] = v   # full tensor's entry
                continue
            e = _parse(v)
            entry = _entry(e)
            if e.get(7):
                entry["slices"] = [_slice_extents(sl, entry["shape"], k.decode())
                                   for sl in e[7]]
            self._entries[k.decode()] = entry
        for name, entry in self._entries.items():
            for i, ext in enumerate(entry.get("slices", ())):
                key = encode_tensor_name_slice(name, ext)
                if key not in slice_items:
                    raise CheckpointError(
                        f"{ipath}: slice {_slice_text(ext)} of tensor {name!r} is missing")
                entry["slices"][i] = (ext, _entry(_parse(slice_items[key])))
        self._data = {}

    def names(self):
        return sorted(self._entries)

    def has(self, name):
        return name in self._entries

    def shapes(self):
        return {n: e["shape"] for n, e in sorted(self._entries.items())}

    def dtypes(self):
        """{name: NumPy dtype} (object for strings; None for dtypes ndgrad cannot hold,
        such as resources and variants)."""
        out = {}
        for n, e in sorted(self._entries.items()):
            t = _np_type(e["dtype"])
            out[n] = np.dtype(t) if t is not None else None
        return out

    def _shard(self, i):
        if i not in self._data:
            p = data_path(self.prefix, i, self.num_shards)
            try:
                with open(p, "rb") as f:
                    self._data[i] = f.read()
            except FileNotFoundError:
                raise CheckpointError(f"{p}: checkpoint data file is missing") from None
        return self._data[i]

    def get(self, name):
        e = self._entries.get(name)
        if e is None:
            raise KeyError(f"tensor {name!r} is not in checkpoint {self.prefix}")
        if "slices" not in e:
            return self._read(e, name)
        # a partitioned variable: its slices placed in the full tensor, as TF's reader does
        # (a dtype it cannot read: each slice's _read says so)
        t = _np_type(e["dtype"])
        out = np.empty(e["shape"], dtype=object if t is None else t)
        seen = np.zeros(e["shape"], dtype=bool)
        for ext, se in e["slices"]:
            label = f"{name}[{_slice_text(ext)}]"
            if se["dtype"] != e["dtype"]:
                raise CheckpointError(f"{self.prefix}: slice {label} has dtype "
                                      f"{DT_NAMES.get(se['dtype'], se['dtype'])}, its tensor "
                                      f"{DT_NAMES.get(e['dtype'], e['dtype'])}")
            idx = tuple(slice(None) if n == -1 else slice(a, a + n) for a, n in ext)
            if out[idx].shape != tuple(se["shape"]):
                raise CheckpointError(f"{self.prefix}: slice {label} has shape "
                                      f"{list(se['shape'])}, its extent "
                                      f"{list(out[idx].shape)}")
            out[idx] = self._read(se, label)
            seen[idx] = True
        if not seen.all():
            raise CheckpointError(f"{self.prefix}: the slices of tensor {name!r} do not "
                                  f"cover its shape {list(e['shape'])}")
        return out

    def _read(self, e, name):
        t = _np_type(e["dtype"])
        if t is None:
            raise UnsupportedTensorError(
                f"{self.prefix}: tensor {name!r} has dtype "
                f"{DT_NAMES.get(e['dtype'], e['dtype'])}, which ndgrad cannot read")
        dpath = data_path(self.prefix, e["shard"], self.num_shards)
        buf = self._shard(e["shard"])
        raw = buf[e["offset"]:e["offset"] + e["size"]]
        if len(raw) != e["size"]:
            raise CheckpointError(f"{dpath}: truncated (tensor {name!r} needs bytes "
                                  f"{e['offset']}..{e['offset'] + e['size']}, the file has "
                                  f"{len(buf)})")
        if t is object:
            out, crc = _read_strings(raw, e["shape"], f"{dpath}: tensor {name!r}")
        else:
            crc = crc32c(raw)
        if e["crc"] is not None and mask(crc) != e["crc"]:
            raise CheckpointError(f"{dpath}: checksum mismatch for tensor {name!r} (the "
                                  "file is damaged)")
        if t is object:
            return out
        dt = np.dtype(t).newbyteorder("<")
        n = int(np.prod(e["shape"], dtype=np.int64))
        if n * dt.itemsize != len(raw):
            raise CheckpointError(f"{dpath}: tensor {name!r} has {len(raw)} bytes, its "
                                  f"shape {e['shape']} and dtype {dt.name} need "
                                  f"{n * dt.itemsize}")
        return np.frombuffer(raw, dtype=dt).astype(np.dtype(t)).reshape(e["shape"])

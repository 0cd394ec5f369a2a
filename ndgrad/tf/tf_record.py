"""TFRecord files: the framing (length, masked CRC32C of the length, data, masked CRC32C of
the data), ``tf.python_io.TFRecordWriter``, ``tf_record_iterator`` and ``TFRecordOptions``.

Each record on disk is ``uint64 length | uint32 masked_crc(length) | data |
uint32 masked_crc(data)``, little-endian, where ``masked_crc(x) = rotr15(crc32c(x)) +
0xa282ead8`` -- TensorFlow's published format, so files cross between ndgrad and
TensorFlow both ways. GZIP and ZLIB compression wrap the whole stream, as TensorFlow does.

>>> import os, tempfile
>>> path = os.path.join(tempfile.mkdtemp(), "a.tfrecord")
>>> with TFRecordWriter(path) as w:
...     w.write(b"hello"); w.write(b"")
>>> list(tf_record_iterator(path))
[b'hello', b'']
"""
from __future__ import annotations

import gzip
import os
import struct
import zlib

from ..graph.errors import DataLossError
from .checkpoint_bundle import crc32c, masked_crc32c as _bundle_masked  # noqa: F401

__all__ = ["TFRecordWriter", "tf_record_iterator", "TFRecordOptions",
           "TFRecordCompressionType", "crc32c", "masked_crc32c", "DataLossError"]


def masked_crc32c(data: bytes) -> int:
    """TensorFlow's masked CRC: ``rotr15(crc32c(data)) + 0xa282ead8`` (mod 2**32).

    >>> hex(masked_crc32c(b"123456789"))
    '0xc78ab0e5'
    """
    return _bundle_masked(data)


def _loss(msg):
    return DataLossError(None, None, msg)


class TFRecordCompressionType:
    """The compression of a TFRecord file: ``NONE`` (0), ``ZLIB`` (1) or ``GZIP`` (2).

    >>> import os, tempfile
    >>> import ndgrad.tf as tf
    >>> path = os.path.join(tempfile.mkdtemp(), "r.tfrecord.gz")
    >>> opts = tf.python_io.TFRecordOptions(tf.python_io.TFRecordCompressionType.GZIP)
    >>> with tf.python_io.TFRecordWriter(path, opts) as w:
    ...     w.write(b"abc")
    >>> with open(path, "rb") as f:
    ...     print(f.read(2).hex())
    1f8b
    >>> list(tf.python_io.tf_record_iterator(path, opts))
    [b'abc']
    """

    NONE = 0
    ZLIB = 1
    GZIP = 2


_NAMES = {"": 0, None: 0, "NONE": 0, "ZLIB": 1, "GZIP": 2}


class TFRecordOptions:
    """Options for TFRecord files: ``compression_type`` '' / 'ZLIB' / 'GZIP'.

    >>> import os, tempfile, zlib
    >>> import ndgrad.tf as tf
    >>> path = os.path.join(tempfile.mkdtemp(), "r.tfrecord")
    >>> opts = tf.python_io.TFRecordOptions("ZLIB")
    >>> tf.python_io.TFRecordOptions.get_compression_type_string(opts)
    'ZLIB'
    >>> with tf.python_io.TFRecordWriter(path, opts) as w:
    ...     w.write(b"abc")
    >>> with open(path, "rb") as f:
    ...     print(zlib.decompress(f.read()).hex())
    0300000000000000b099490e6162636e57f121
    >>> list(tf.python_io.tf_record_iterator(path, opts))
    [b'abc']
    """

    compression_type_map = {0: "", 1: "ZLIB", 2: "GZIP"}

    def __init__(self, compression_type=None):
        if isinstance(compression_type, int):
            if compression_type not in (0, 1, 2):
                raise ValueError(f"compression_type {compression_type} is not one of "
                                 "NONE (0), ZLIB (1), GZIP (2)")
            self.compression_type = compression_type
        else:
            key = compression_type.upper() if isinstance(compression_type, str) else None
            if key not in _NAMES:
                raise ValueError(f"compression_type {compression_type!r} is not one of "
                                 "'', 'ZLIB', 'GZIP'")
            self.compression_type = _NAMES[key]

    @classmethod
    def get_compression_type_string(cls, options):
        if options is None:
            return ""
        if isinstance(options, TFRecordOptions):
            return cls.compression_type_map[options.compression_type]
        return cls.compression_type_map[TFRecordOptions(options).compression_type]


def _compression(options):
    if options is None:
        return 0
    if isinstance(options, TFRecordOptions):
        return options.compression_type
    return TFRecordOptions(options).compression_type


def frame(data: bytes) -> bytes:
    """One record as it is written to disk."""
    data = bytes(data)
    length = struct.pack("<Q", len(data))
    return (length + struct.pack("<I", masked_crc32c(length)) + data
            + struct.pack("<I", masked_crc32c(data)))


class TFRecordWriter:
    """Write records to a TFRecord file (``tf.python_io.TFRecordWriter``).

    Records are bytes (``str`` is encoded as UTF-8, protos are serialized); ``close``
    (or leaving a ``with`` block) finishes the file.

    >>> import os, tempfile
    >>> import ndgrad.tf as tf
    >>> path = os.path.join(tempfile.mkdtemp(), "r.tfrecord")
    >>> with tf.python_io.TFRecordWriter(path) as w:
    ...     w.write(b"abc")
    >>> with open(path, "rb") as f:
    ...     print(f.read().hex())
    0300000000000000b099490e6162636e57f121
    """

    def __init__(self, path, options=None):
        self._path = os.fspath(path)
        self._comp = _compression(options)
        raw = open(self._path, "wb")
        if self._comp == TFRecordCompressionType.GZIP:
            self._f = gzip.GzipFile(fileobj=raw, mode="wb")
            self._raw = raw
        elif self._comp == TFRecordCompressionType.ZLIB:
            self._f = raw
            self._z = zlib.compressobj()
            self._raw = raw
        else:
            self._f = raw
            self._raw = raw
        self._closed = False

    def write(self, record):
        if self._closed:
            raise ValueError(f"write to a closed TFRecordWriter ({self._path})")
        if hasattr(record, "SerializeToString"):
            record = record.SerializeToString()
        elif isinstance(record, str):
            record = record.encode("utf-8")
        data = frame(record)
        if self._comp == TFRecordCompressionType.ZLIB:
            self._f.write(self._z.compress(data))
        else:
            self._f.write(data)

    def flush(self):
        if not self._closed:
            self._f.flush()

    def close(self):
        if self._closed:
            return
        self._closed = True
        if self._comp == TFRecordCompressionType.ZLIB:
            self._f.write(self._z.flush())
        self._f.close()
        if self._raw is not self._f:
            self._raw.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False


def _open_stream(path, comp):
    with open(path, "rb") as f:
        raw = f.read()
    if comp == TFRecordCompressionType.GZIP:
        try:
            return gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as e:
            raise _loss(f"{path}: not a GZIP-compressed TFRecord file ({e})") from None
    if comp == TFRecordCompressionType.ZLIB:
        try:
            return zlib.decompress(raw)
        except zlib.error as e:
            raise _loss(f"{path}: not a ZLIB-compressed TFRecord file ({e})") from None
    return raw


def read_records(path, options=None):
    """Yield ``(offset, record)`` for each record of a TFRecord file, checking both CRCs;
    a truncated record or a bad checksum raises DataLossError naming the file and offset."""
    path = os.fspath(path)
    buf = _open_stream(path, _compression(options))
    pos, n = 0, len(buf)
    while pos < n:
        if n - pos < 12:
            raise _loss(f"{path}: truncated record header at offset {pos}")
        head = buf[pos:pos + 8]
        (length,) = struct.unpack("<Q", head)
        (lcrc,) = struct.unpack("<I", buf[pos + 8:pos + 12])
        if lcrc != masked_crc32c(head):
            raise _loss(f"{path}: corrupted record at offset {pos} (length checksum "
                                "mismatch)")
        start = pos + 12
        end = start + length
        if end + 4 > n:
            raise _loss(f"{path}: truncated record at offset {pos} (needs {length} "
                                f"bytes of data, {max(0, n - start - 4)} left)")
        data = buf[start:end]
        (dcrc,) = struct.unpack("<I", buf[end:end + 4])
        if dcrc != masked_crc32c(data):
            raise _loss(f"{path}: corrupted record at offset {pos} (data checksum "
                                "mismatch)")
        yield pos, bytes(data)
        pos = end + 4


def tf_record_iterator(path, options=None):
    """An iterator over the records (bytes) of a TFRecord file.

    >>> import os, tempfile
    >>> import ndgrad.tf as tf
    >>> path = os.path.join(tempfile.mkdtemp(), "r.tfrecord")
    >>> with tf.python_io.TFRecordWriter(path) as w:
    ...     for rec in [b"first", b"", b"third"]:
    ...         w.write(rec)
    >>> list(tf.python_io.tf_record_iterator(path))
    [b'first', b'', b'third']
    """
    for _, rec in read_records(path, options):
        yield rec

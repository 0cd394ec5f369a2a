"""TF 1 readers and file ops: ``TextLineReader``, ``WholeFileReader``, ``TFRecordReader``,
``FixedLengthRecordReader`` (``read``, ``read_up_to``, ``num_records_produced``,
``num_work_units_completed``, ``reset``), ``tf.read_file``, ``tf.write_file``,
``tf.matching_files``.

A reader takes work units (file names) from a queue of strings -- usually a
``string_input_producer`` -- and gives ``(key, value)`` string scalars one record at a
time; its position lives in the Session, like a queue's contents.

>>> import os, tempfile
>>> import ndgrad.tf as tf
>>> path = os.path.join(tempfile.mkdtemp(), "a.csv")
>>> _ = open(path, "w").write("1,2\\n3,4\\n")
>>> q = tf.FIFOQueue(1, tf.string)
>>> key, value = tf.TextLineReader().read(q)
>>> with tf.Session() as sess:
...     sess.run(q.enqueue([path]))
...     sess.run(q.close())
...     print(sess.run(value), sess.run(value))
b'1,2' b'3,4'
"""
from __future__ import annotations

import glob
import os
import threading

import numpy as np

from ..graph import errors as _errors
from ..graph.core import get_default_graph
from . import dtypes as _tfd
from .framework import convert_to_tensor

__all__ = ["ReaderBase", "TextLineReader", "WholeFileReader", "TFRecordReader",
           "FixedLengthRecordReader", "IdentityReader", "read_file", "write_file",
           "matching_files"]

_OBJ = np.dtype(object)


def _s(v):
    if isinstance(v, np.ndarray):
        v = v[()]
    return v.decode() if isinstance(v, bytes) else str(v)


class _ReaderState:
    def __init__(self):
        self.lock = threading.Lock()
        self.records = None     # iterator of (key, value) over the current work unit
        self.produced = 0
        self.completed = 0


class ReaderBase:
    """A reader of records: ``read(queue)`` gives the next ``(key, value)``, taking a new
    work unit from ``queue`` when the current one is exhausted.

    >>> import ndgrad.tf as tf
    >>> q = tf.FIFOQueue(3, tf.string)
    >>> reader = tf.IdentityReader()
    >>> keys, values = reader.read_up_to(q, 2)
    >>> with tf.Session() as sess:
    ...     sess.run(q.enqueue_many([["a", "b", "c"]]))
    ...     print(sess.run(values), sess.run(values))
    ...     print(sess.run(reader.num_records_produced()),
    ...           sess.run(reader.num_work_units_completed()))
    ...     sess.run(reader.reset())
    ...     print(sess.run(reader.num_records_produced()))
    [b'a'] [b'b']
    2 2
    0
    """

    _type = "ReaderV2"
    _one_record = False      # a work unit is one record (its end known on reading it)

    def __init__(self, name=None):
        g = get_default_graph()
        self._graph = g

        def fn(ctx):
            st = ctx.session.resource(op, _ReaderState)
            h = np.empty((), dtype=object)
            h[()] = st
            return h
        op = g.special_op(self._type, name or self._type, (), fn, [((), _OBJ)])
        self._op = op
        self._ref = op.outputs[0]

    @property
    def reader_ref(self):
        return self._ref

    @property
    def supports_serialize(self):
        return False

    def _records(self, path):
        """(key, value) pairs of one work unit; subclasses define it."""
        raise TypeError(f"{type(self).__name__} is not a reader kind")

    def _open(self, op, work):
        path = _s(work)
        if not os.path.exists(path):
            raise _errors.NotFoundError(None, op, f"{path}; No such file or directory")
        try:
            return iter(self._records(path))
        except OSError as e:
            raise _errors.NotFoundError(None, op, f"{path}: {e}") from None

    def _next(self, op, st, qh):
        """The next record, taking new work units from the queue ``qh`` as needed."""
        while True:
            if st.records is None:
                work = qh.take(op, 1, False)[0][0]
                st.records = self._open(op, work)
            kv = self._next_in_unit(op, st)
            if kv is not None:
                return kv

    def _next_in_unit(self, op, st):
        """The next record of the current work unit, or None at its end (where TF's
        ``ReadUpTo`` stops once it has records)."""
        if st.records is None:
            return None
        try:
            k, v = next(st.records)
        except StopIteration:
            st.records = None
            st.completed += 1
            return None
        except _errors.OpError:
            raise
        except (OSError, ValueError) as e:
            raise _errors.DataLossError(None, op, str(e)) from None
        st.produced += 1
        if self._one_record:        # TF ends such a work unit with its record
            st.records = None
            st.completed += 1
        return k, v

    def read(self, queue, name=None):
        """``(key, value)``: the next record (string scalars)."""
        qref = queue.queue_ref if hasattr(queue, "queue_ref") else queue
        g = self._graph

        def fn(ctx, rh, qh):
            done = ctx.replay(op)
            if done is not None:
                return done
            st = rh[()]
            with st.lock:
                k, v = self._next(op, st, qh[()])
            res = (np.array(k, dtype=_OBJ), np.array(v, dtype=_OBJ))
            ctx.record(op, res)
            return res
        op = g.special_op("ReaderReadV2", name or "ReaderReadV2", (self._ref, qref), fn,
                          [((), _OBJ), ((), _OBJ)])
        return op.outputs[0], op.outputs[1]

    def read_up_to(self, queue, num_records, name=None):
        """Up to ``num_records`` records as two string vectors: fewer at the end of a
        work unit (a file), as in TensorFlow."""
        qref = queue.queue_ref if hasattr(queue, "queue_ref") else queue
        g = self._graph
        n = int(num_records)

        def fn(ctx, rh, qh):
            done = ctx.replay(op)
            if done is not None:
                return done
            st = rh[()]
            keys, vals = [], []
            with st.lock:
                while len(keys) < n:
                    if not keys:
                        k, v = self._next(op, st, qh[()])
                    else:
                        kv = self._next_in_unit(op, st)
                        if kv is None:
                            break
                        k, v = kv
                    keys.append(k)
                    vals.append(v)
            ko = np.empty(len(keys), dtype=_OBJ)
            ko[:] = keys
            vo = np.empty(len(vals), dtype=_OBJ)
            vo[:] = vals
            ctx.record(op, (ko, vo))
            return ko, vo
        op = g.special_op("ReaderReadUpToV2", name or "ReaderReadUpToV2", (self._ref, qref),
                          fn, [((None,), _OBJ), ((None,), _OBJ)])
        return op.outputs[0], op.outputs[1]

    def _stat(self, type_, attr, name):
        def fn(ctx, rh):
            return np.int64(getattr(rh[()], attr))
        return self._graph.special_op(type_, name or type_, (self._ref,), fn,
                                      [((), np.dtype(np.int64))]).outputs[0]

    def num_records_produced(self, name=None):
        return self._stat("ReaderNumRecordsProducedV2", "produced", name)

    def num_work_units_completed(self, name=None):
        return self._stat("ReaderNumWorkUnitsCompletedV2", "completed", name)

    def reset(self, name=None):
        """An op that forgets the current work unit and the counts."""
        def fn(ctx, rh):
            st = rh[()]
            with st.lock:
                st.records, st.produced, st.completed = None, 0, 0
            return ()
        return self._graph.special_op("ReaderResetV2", name or "ReaderResetV2", (self._ref,),
                                      fn, [])


class TextLineReader(ReaderBase):
    """Lines of text files; key ``b"file:line"`` (1-based), value the line without its
    newline; ``skip_header_lines`` lines skipped at the top of each file.

    >>> import os, tempfile
    >>> import ndgrad.tf as tf
    >>> path = os.path.join(tempfile.mkdtemp(), "data.csv")
    >>> with open(path, "w") as f:
    ...     _ = f.write("x,y\\n1,2\\n3,4\\n")
    >>> q = tf.FIFOQueue(1, tf.string)
    >>> key, value = tf.TextLineReader(skip_header_lines=1).read(q)
    >>> with tf.Session() as sess:
    ...     sess.run(q.enqueue([path]))
    ...     for _ in range(2):
    ...         k, v = sess.run([key, value]); print(k[len(path):], v)
    b':2' b'1,2'
    b':3' b'3,4'
    """

    _type = "TextLineReaderV2"

    def __init__(self, skip_header_lines=None, name=None):
        self._skip = int(skip_header_lines or 0)
        super().__init__(name)

    def _records(self, path):
        with open(path, "rb") as f:
            data = f.read()
        lines = data.split(b"\n")
        if lines and lines[-1] == b"":
            lines.pop()
        for i, line in enumerate(lines, 1):
            if i <= self._skip:
                continue
            if line.endswith(b"\r"):
                line = line[:-1]
            yield f"{path}:{i}".encode(), line


class WholeFileReader(ReaderBase):
    """Whole files: key the file name, value its contents.

    >>> import os, tempfile
    >>> import ndgrad.tf as tf
    >>> path = os.path.join(tempfile.mkdtemp(), "a.txt")
    >>> with open(path, "w") as f:
    ...     _ = f.write("one\\ntwo\\n")
    >>> q = tf.FIFOQueue(1, tf.string)
    >>> key, value = tf.WholeFileReader().read(q)
    >>> with tf.Session() as sess:
    ...     sess.run(q.enqueue([path]))
    ...     k, v = sess.run([key, value])
    ...     print(k == path.encode(), v)
    True b'one\\ntwo\\n'
    """

    _type = "WholeFileReaderV2"
    _one_record = True

    def _records(self, path):
        with open(path, "rb") as f:
            yield path.encode(), f.read()


class TFRecordReader(ReaderBase):
    """Records of TFRecord files (CRC-checked): key ``b"file:offset"``.

    >>> import os, tempfile
    >>> import ndgrad.tf as tf
    >>> path = os.path.join(tempfile.mkdtemp(), "r.tfrecord")
    >>> with tf.python_io.TFRecordWriter(path) as w:
    ...     w.write(b"abc"); w.write(b"de")
    >>> q = tf.FIFOQueue(1, tf.string)
    >>> key, value = tf.TFRecordReader().read(q)
    >>> with tf.Session() as sess:
    ...     sess.run(q.enqueue([path]))
    ...     for _ in range(2):
    ...         k, v = sess.run([key, value]); print(k[len(path):], v)
    b':0' b'abc'
    b':19' b'de'
    """

    _type = "TFRecordReaderV2"

    def __init__(self, name=None, options=None):
        self._options = options
        super().__init__(name)

    def _records(self, path):
        from .tf_record import read_records
        for off, rec in read_records(path, self._options):
            yield f"{path}:{off}".encode(), rec


class FixedLengthRecordReader(ReaderBase):
    """Fixed-size records (``record_bytes`` each, after ``header_bytes`` and before
    ``footer_bytes``; ``hop_bytes`` apart when given).

    >>> import os, tempfile
    >>> import ndgrad.tf as tf
    >>> path = os.path.join(tempfile.mkdtemp(), "r.bin")
    >>> with open(path, "wb") as f:
    ...     _ = f.write(b"HDRabcdefFT")
    >>> q = tf.FIFOQueue(1, tf.string)
    >>> reader = tf.FixedLengthRecordReader(3, header_bytes=3, footer_bytes=2)
    >>> key, value = reader.read(q)
    >>> with tf.Session() as sess:
    ...     sess.run(q.enqueue([path]))
    ...     for _ in range(2):
    ...         k, v = sess.run([key, value]); print(k[len(path):], v)
    b':0' b'abc'
    b':1' b'def'
    """

    _type = "FixedLengthRecordReaderV2"

    def __init__(self, record_bytes, header_bytes=None, footer_bytes=None, hop_bytes=None,
                 name=None, encoding=None):
        if encoding not in (None, ""):
            raise ValueError(f"FixedLengthRecordReader: encoding {encoding!r} is not provided "
                             "(only uncompressed files)")
        self._rec = int(record_bytes)
        self._head = int(header_bytes or 0)
        self._foot = int(footer_bytes or 0)
        self._hop = int(hop_bytes or 0) or self._rec
        super().__init__(name)

    def _records(self, path):
        with open(path, "rb") as f:
            data = f.read()
        body = data[self._head:len(data) - self._foot]
        i = 0
        pos = 0
        while pos + self._rec <= len(body):
            yield f"{path}:{i}".encode(), body[pos:pos + self._rec]
            pos += self._hop
            i += 1


class IdentityReader(ReaderBase):
    """Each work unit is one record: key and value are the work unit itself.

    >>> import ndgrad.tf as tf
    >>> q = tf.FIFOQueue(2, tf.string)
    >>> key, value = tf.IdentityReader().read(q)
    >>> with tf.Session() as sess:
    ...     sess.run(q.enqueue_many([["a", "b"]]))
    ...     print(*sess.run([key, value])); print(*sess.run([key, value]))
    b'a' b'a'
    b'b' b'b'
    """

    _type = "IdentityReaderV2"
    _one_record = True

    def _open(self, op, work):
        w = work[()] if isinstance(work, np.ndarray) else work
        return iter([(w, w)])


def read_file(filename, name=None):
    """The contents of file ``filename`` (a string scalar).

    >>> import os, tempfile
    >>> import ndgrad.tf as tf
    >>> path = os.path.join(tempfile.mkdtemp(), "a.txt")
    >>> with open(path, "wb") as f:
    ...     _ = f.write(b"hello\\n")
    >>> with tf.Session() as sess:
    ...     print(sess.run(tf.read_file(path)))
    b'hello\\n'
    """
    t = convert_to_tensor(filename, dtype=_tfd.string)
    g = get_default_graph()

    def fn(ctx, f):
        path = _s(f)
        try:
            with open(path, "rb") as fh:
                data = fh.read()
        except FileNotFoundError:
            raise _errors.NotFoundError(None, op, f"{path}; No such file or directory") \
                from None
        return np.array(data, dtype=_OBJ)
    op = g.special_op("ReadFile", name or "ReadFile", (t,), fn, [((), _OBJ)])
    return op.outputs[0]


def write_file(filename, contents, name=None):
    """An op that writes string ``contents`` to ``filename``.

    >>> import os, tempfile
    >>> import ndgrad.tf as tf
    >>> path = os.path.join(tempfile.mkdtemp(), "out.txt")
    >>> with tf.Session() as sess:
    ...     sess.run(tf.write_file(path, "written by a graph"))
    >>> with open(path, "rb") as f:
    ...     print(f.read())
    b'written by a graph'
    """
    f_t = convert_to_tensor(filename, dtype=_tfd.string)
    c_t = convert_to_tensor(contents, dtype=_tfd.string)
    g = get_default_graph()

    def fn(ctx, f, c):
        if ctx.replay(op) is not None:
            return ()
        data = c[()] if isinstance(c, np.ndarray) else c
        parent = os.path.dirname(_s(f))
        if parent:
            os.makedirs(parent, exist_ok=True)   # (TF's WriteFile creates the directories)
        with open(_s(f), "wb") as fh:
            fh.write(data if isinstance(data, bytes) else str(data).encode())
        ctx.record(op, True)
        return ()
    op = g.special_op("WriteFile", name or "WriteFile", (f_t, c_t), fn, [])
    return op


def matching_files(pattern, name=None):
    """The sorted file names matching glob ``pattern`` (a string vector).

    >>> import os, tempfile
    >>> import ndgrad.tf as tf
    >>> d = tempfile.mkdtemp()
    >>> for n in ["b.txt", "a.txt", "c.csv"]:
    ...     open(os.path.join(d, n), "w").close()
    >>> with tf.Session() as sess:
    ...     found = sess.run(tf.matching_files(os.path.join(d, "*.txt")))
    >>> [os.path.basename(f) for f in found]
    [b'a.txt', b'b.txt']
    """
    t = convert_to_tensor(pattern, dtype=_tfd.string)
    g = get_default_graph()

    def fn(ctx, p):
        pats = [_s(x) for x in np.ravel(p)] if np.ndim(p) else [_s(p)]
        found = sorted({m for pat in pats for m in glob.glob(pat)})
        out = np.empty(len(found), dtype=_OBJ)
        out[:] = [m.encode() for m in found]
        return out
    op = g.special_op("MatchingFiles", name or "MatchingFiles", (t,), fn, [((None,), _OBJ)])
    return op.outputs[0]

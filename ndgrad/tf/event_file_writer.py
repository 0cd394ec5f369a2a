"""TensorBoard event files (TF's ``summary/writer/event_file_writer.py``): Event protos
framed as TFRecords by ``tf_record.frame``, whose CRC32C is NumPy's for large records.

TensorBoard's own writer computes each record's CRC in pure Python (about 5 MB/s here): a
graph holding its data as constants (``Dataset.from_tensor_slices`` of a NumPy array, as
CS20's MNIST lecture builds it) took seconds to close. This writer keeps its file, its
name and its flushing: every event is framed and written when added (under a lock, from
any thread), the file is flushed after ``max_queue`` events, by ``flush()`` /
``close()``, and every ``flush_secs`` by a daemon thread.

>>> import glob, os, tempfile
>>> from tensorboard.compat.proto import event_pb2
>>> from ndgrad.tf.event_file_writer import EventFileWriter
>>> from ndgrad.tf.tf_record import tf_record_iterator
>>> d = tempfile.mkdtemp()
>>> w = EventFileWriter(d)
>>> w.add_event(event_pb2.Event(step=7, wall_time=1.0))
>>> w.close()
>>> [event_pb2.Event.FromString(r).step for r in tf_record_iterator(glob.glob(
...     os.path.join(d, "events.out.tfevents.*"))[0])]
[0, 7]
"""
from __future__ import annotations

import itertools
import os
import socket
import threading
import time

from .tf_record import frame

__all__ = ["EventFileWriter"]

_uid = itertools.count()


def _event_pb():
    from tensorboard.compat.proto import event_pb2
    return event_pb2


class EventFileWriter:
    """Writes Event protos to a new event file in ``logdir`` (created if missing), named
    as TensorBoard names it: ``events.out.tfevents.<time>.<host>.<pid>.<n><suffix>``."""

    def __init__(self, logdir, max_queue_size=10, flush_secs=120, filename_suffix=""):
        self._logdir = logdir
        os.makedirs(logdir, exist_ok=True)
        self._file_name = os.path.join(
            logdir, "events.out.tfevents.%010d.%s.%s.%s" % (
                time.time(), socket.gethostname(), os.getpid(), next(_uid))) + \
            (filename_suffix or "")
        self._f = open(self._file_name, "wb")
        self._lock = threading.Lock()
        self._pending = 0
        self._max_queue = max(int(max_queue_size), 1)
        self._closed = False
        self._stop = threading.Event()
        pb = _event_pb()
        self.add_event(pb.Event(wall_time=time.time(), file_version="brain.Event:2",
                                source_metadata=pb.SourceMetadata(
                                    writer="tensorboard.summary.writer.event_file_writer")))
        self.flush()
        if flush_secs and flush_secs > 0:
            t = threading.Thread(target=self._flush_every, args=(float(flush_secs),),
                                 name="EventFileWriter flush", daemon=True)
            t.start()

    def _flush_every(self, secs):
        while not self._stop.wait(secs):
            self.flush()

    def get_logdir(self):
        return self._logdir

    def add_event(self, event):
        """Write ``event`` (an Event proto) to the file (flushed after ``max_queue``)."""
        if not isinstance(event, _event_pb().Event):
            raise TypeError(f"Expected an event_pb2.Event proto, but got {type(event)}")
        record = frame(event.SerializeToString())
        with self._lock:
            if self._closed:
                raise ValueError(f"add_event on a closed event file ({self._file_name})")
            self._f.write(record)
            self._pending += 1
            if self._pending >= self._max_queue:
                self._f.flush()
                self._pending = 0

    def flush(self):
        """Make every event added so far visible in the file."""
        with self._lock:
            if not self._closed:
                self._f.flush()
                self._pending = 0

    def close(self):
        """Flush, stop the flushing thread and close the file (again: nothing)."""
        self._stop.set()
        with self._lock:
            if not self._closed:
                self._closed = True
                self._f.close()

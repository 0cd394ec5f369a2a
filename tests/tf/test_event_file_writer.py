"""ndgrad/tf/event_file_writer.py: event files TensorBoard reads (its EventAccumulator and
its own record reader check every CRC), with TensorBoard's writer's flushing."""
import glob
import os
import threading
import time

import numpy as np
import pytest

pytest.importorskip("tensorboard")

import ndgrad.tf as tf  # noqa: E402
from ndgrad.tf.event_file_writer import EventFileWriter  # noqa: E402
from ndgrad.tf.tf_record import tf_record_iterator  # noqa: E402
from tensorboard.compat.proto import event_pb2, graph_pb2  # noqa: E402


def _events(d):
    (path,) = glob.glob(os.path.join(d, "events.out.tfevents.*"))
    return [event_pb2.Event.FromString(r) for r in tf_record_iterator(path)]


def test_a_graph_holding_its_data_as_constants(tmp_path):
    """A graph with a 4M-element constant (a dataset built from NumPy arrays) goes to the
    event file whole: TensorBoard's reader accepts its records (CRC32C of a 16 MB record
    computed with NumPy), the graph parses back with the constant's bytes."""
    x = np.random.default_rng(0).standard_normal((4096, 1024)).astype(np.float32)
    g = tf.Graph()
    with g.as_default():
        c = tf.constant(x, name="big")
        tf.reduce_sum(c, name="total")
    w = tf.summary.FileWriter(str(tmp_path), g)
    w.close()
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
    ea = EventAccumulator(str(tmp_path), size_guidance={"graph": 1})
    ea.Reload()
    gd = ea.Graph()
    node = next(n for n in gd.node if n.name == "big")
    got = np.frombuffer(node.attr["value"].tensor.tensor_content, np.float32)
    assert np.array_equal(got, x.ravel())
    evs = _events(str(tmp_path))
    assert evs[0].file_version == "brain.Event:2"
    assert graph_pb2.GraphDef.FromString(evs[1].graph_def).node[0].name == "big"


def test_flushing_max_queue_flush_and_the_timer(tmp_path):
    d1, d2, d3 = (str(tmp_path / k) for k in "abc")
    w = EventFileWriter(d1, max_queue_size=2, flush_secs=0)
    w.add_event(event_pb2.Event(step=1))
    assert [e.step for e in _events(d1)] == [0]          # one pending event
    w.add_event(event_pb2.Event(step=2))
    assert [e.step for e in _events(d1)] == [0, 1, 2]    # max_queue reached: flushed
    w.add_event(event_pb2.Event(step=3))
    w.flush()
    assert [e.step for e in _events(d1)][-1] == 3
    w.close()
    w.close()
    with pytest.raises(ValueError, match="closed"):
        w.add_event(event_pb2.Event(step=4))
    with pytest.raises(TypeError, match="Event proto"):
        EventFileWriter(d2).add_event(b"bytes")
    # the daemon thread flushes every flush_secs with no further event
    w = EventFileWriter(d3, max_queue_size=100, flush_secs=0.05)
    w.add_event(event_pb2.Event(step=9))
    deadline = time.monotonic() + 10
    while [e.step for e in _events(d3)][-1:] != [9] and time.monotonic() < deadline:
        time.sleep(0.02)
    assert [e.step for e in _events(d3)] == [0, 9]
    w.close()


def test_events_from_many_threads_are_whole_records(tmp_path):
    w = EventFileWriter(str(tmp_path), max_queue_size=7)

    def add(k):
        for i in range(50):
            w.add_event(event_pb2.Event(step=k * 1000 + i, file_version="x" * (i * 37)))
    ts = [threading.Thread(target=add, args=(k,)) for k in range(4)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    w.close()
    steps = [e.step for e in _events(str(tmp_path))][1:]
    assert sorted(steps) == sorted(k * 1000 + i for k in range(4) for i in range(50))
    for k in range(4):   # each thread's events in its order
        mine = [s for s in steps if s // 1000 == k]
        assert mine == sorted(mine)

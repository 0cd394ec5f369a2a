"""``tf.train.QueueRunner``: background threads that run a queue's enqueue ops, with
``add_queue_runner`` and ``start_queue_runners``.

Each thread runs its enqueue op until the coordinator asks to stop or the input ends
(an ``OutOfRangeError`` from upstream closes the queue, so its readers drain it and then
see ``OutOfRangeError`` themselves); any other error is reported to the coordinator and
the queue is closed. Threads are daemons by default, as in TensorFlow.
"""
from __future__ import annotations

import threading
import weakref

from ..graph import errors as _errors
from ..graph.core import get_default_graph
from ..graph.session import get_default_session

__all__ = ["QueueRunner", "add_queue_runner", "start_queue_runners"]

QUEUE_RUNNERS = "queue_runners"


class QueueRunner:
    """Holds the enqueue ops of one queue and runs them in threads.

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default(), tf.Session() as sess:
    ...     q = tf.FIFOQueue(10, tf.int32, shapes=[])
    ...     qr = tf.train.QueueRunner(q, [q.enqueue(7)])
    ...     coord = tf.train.Coordinator()
    ...     threads = qr.create_threads(sess, coord=coord, start=True)
    ...     print(sess.run(q.dequeue_many(3)))
    ...     coord.request_stop(); coord.join(threads)
    [7 7 7]
    """

    def __init__(self, queue=None, enqueue_ops=None, close_op=None, cancel_op=None,
                 queue_closed_exception_types=None, queue_runner_def=None, import_scope=None):
        if queue is None or not enqueue_ops:
            raise ValueError("QueueRunner needs a queue and a non-empty list of enqueue ops")
        self._queue = queue
        self._enqueue_ops = list(enqueue_ops)
        self._close_op = close_op if close_op is not None else queue.close()
        self._cancel_op = (cancel_op if cancel_op is not None
                           else queue.close(cancel_pending_enqueues=True))
        self._closed_types = tuple(queue_closed_exception_types or (_errors.OutOfRangeError,))
        self._lock = threading.Lock()
        self._runs = weakref.WeakKeyDictionary()   # session -> threads still running
        self._exceptions = []

    @property
    def queue(self):
        return self._queue

    @property
    def enqueue_ops(self):
        return list(self._enqueue_ops)

    @property
    def close_op(self):
        return self._close_op

    @property
    def cancel_op(self):
        return self._cancel_op

    @property
    def name(self):
        return self._queue.name

    @property
    def exceptions_raised(self):
        return list(self._exceptions)

    def _run(self, sess, op, coord):
        decremented = False
        try:
            while not (coord is not None and coord.should_stop()):
                try:
                    sess.run(op)
                except self._closed_types:
                    with self._lock:
                        self._runs[sess] -= 1
                        decremented = True
                        last = self._runs[sess] == 0
                    if last:
                        try:
                            sess.run(self._close_op)
                        except Exception:   # noqa: BLE001 - the session may be closing
                            pass
                    return
        except _errors.CancelledError:
            return                            # the session or the queue was closed
        except RuntimeError as e:
            if "closed Session" in str(e):
                return
            self._report(e, coord)
        except Exception as e:   # noqa: BLE001 - reported to the coordinator
            self._report(e, coord)
        finally:
            if not decremented:
                with self._lock:
                    self._runs[sess] = self._runs.get(sess, 1) - 1

    def _report(self, e, coord):
        with self._lock:
            self._exceptions.append(e)
        if coord is not None:
            coord.request_stop(e)
        else:
            raise e

    def _close_on_stop(self, sess, coord):
        coord.wait_for_stop()
        try:
            sess.run(self._cancel_op)
        except Exception:   # noqa: BLE001 - the session may already be closed
            pass

    def create_threads(self, sess, coord=None, daemon=False, start=False):
        """The threads of this runner for ``sess`` (one per enqueue op, plus one that
        closes the queue when ``coord`` stops); started when ``start``."""
        with self._lock:
            if self._runs.get(sess, 0) > 0:
                return []                 # already running for this session
            self._runs[sess] = len(self._enqueue_ops)
            self._exceptions = []
        threads = [threading.Thread(target=self._run, args=(sess, op, coord), daemon=daemon,
                                    name=f"QueueRunner:{self.name}:{i}")
                   for i, op in enumerate(self._enqueue_ops)]
        if coord is not None:
            threads.append(threading.Thread(target=self._close_on_stop, args=(sess, coord),
                                            daemon=True, name=f"QueueRunnerCloser:{self.name}"))
        for t in threads:
            if coord is not None:
                coord.register_thread(t)
            if start:
                t.start()
        return threads


def add_queue_runner(qr, collection=QUEUE_RUNNERS):
    """Add ``qr`` to the graph's queue-runner collection (``start_queue_runners`` runs it).

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default():
    ...     q = tf.FIFOQueue(10, tf.int32)
    ...     tf.train.add_queue_runner(tf.train.QueueRunner(q, [q.enqueue(7)]))
    ...     print(len(tf.get_collection(tf.GraphKeys.QUEUE_RUNNERS)))
    1
    """
    get_default_graph().add_to_collection(collection, qr)


def start_queue_runners(sess=None, coord=None, daemon=True, start=True,
                        collection=QUEUE_RUNNERS):
    """Start the threads of every queue runner in the graph's collection; returns them.

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default(), tf.Session() as sess:
    ...     q = tf.FIFOQueue(10, [tf.int32, tf.float32], shapes=[[], []])
    ...     tf.train.add_queue_runner(tf.train.QueueRunner(q, [q.enqueue([1, 0.5])]))
    ...     coord = tf.train.Coordinator()
    ...     threads = tf.train.start_queue_runners(sess, coord)
    ...     print(*sess.run(q.dequeue_many(2)))
    ...     coord.request_stop(); coord.join(threads)
    [1 1] [0.5 0.5]
    """
    if sess is None:
        sess = get_default_session()
        if sess is None:
            raise ValueError("Cannot start queue runners: No default session is registered. "
                             "Use `with sess.as_default()` or pass an explicit session to "
                             "tf.start_queue_runners(sess=sess)")
    threads = []
    with sess.graph.as_default():
        for qr in sess.graph.get_collection(collection):
            threads.extend(qr.create_threads(sess, coord=coord, daemon=daemon, start=start))
    return threads

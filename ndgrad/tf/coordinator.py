"""``tf.train.Coordinator``: stop a group of threads together and pass on the first error.

>>> import threading
>>> coord = Coordinator()
>>> def work():
...     with coord.stop_on_exception():
...         raise ValueError("boom")
>>> t = threading.Thread(target=work); t.start()
>>> try:
...     coord.join([t])
... except ValueError as e:
...     print("re-raised:", e)
re-raised: boom
"""
from __future__ import annotations

import contextlib
import sys
import threading
import time

from ..graph import errors as _errors

__all__ = ["Coordinator", "LooperThread"]


class Coordinator:
    """Threads check ``should_stop()``; any of them may ``request_stop(ex)``; ``join``
    waits for them and re-raises the first exception reported (OutOfRangeError, the
    normal end of an input, counts as a clean stop, as in TensorFlow).

    >>> import threading, ndgrad.tf as tf
    >>> coord = tf.train.Coordinator()
    >>> def read():
    ...     with coord.stop_on_exception():
    ...         raise tf.errors.OutOfRangeError(None, None, "end of input")
    >>> t = threading.Thread(target=read); t.start()
    >>> coord.join([t])
    >>> coord.should_stop()
    True
    """

    def __init__(self, clean_stop_exception_types=None):
        if clean_stop_exception_types is None:
            clean_stop_exception_types = (_errors.OutOfRangeError,)
        self._clean = tuple(clean_stop_exception_types)
        self._lock = threading.Lock()
        self._stop_event = threading.Event()
        self._exc_info = None
        self._joined = False
        self._registered = set()

    def _filter(self, ex):
        if isinstance(ex, tuple):
            ex2 = ex[1]
        else:
            ex2 = ex
        if isinstance(ex2, self._clean):
            return None
        return ex

    def request_stop(self, ex=None):
        """Ask every thread to stop; ``ex`` (an exception or exc_info) is re-raised by
        ``join`` unless it is a clean-stop type.

        >>> import ndgrad.tf as tf
        >>> coord = tf.train.Coordinator()
        >>> try:
        ...     raise ValueError("bad input")
        ... except ValueError as e:
        ...     coord.request_stop(e)      # (TF reads the traceback from sys.exc_info())
        >>> coord.should_stop(), coord.wait_for_stop(0.01)
        (True, True)
        >>> coord.join()
        Traceback (most recent call last):
            ...
        ValueError: bad input
        """
        with self._lock:
            ex = self._filter(ex)
            if self._joined:
                if isinstance(ex, tuple):
                    raise ex[1].with_traceback(ex[2])
                if ex is not None:
                    raise ex
            if ex is not None and self._exc_info is None:
                if isinstance(ex, tuple):
                    self._exc_info = ex
                else:
                    self._exc_info = (type(ex), ex, ex.__traceback__ or
                                      (sys.exc_info()[2] if sys.exc_info()[1] is ex else None))
            self._stop_event.set()

    def clear_stop(self):
        """Forget a stop request and its exception.

        >>> import ndgrad.tf as tf
        >>> coord = tf.train.Coordinator()
        >>> coord.request_stop()
        >>> coord.clear_stop()
        >>> coord.should_stop()
        False
        """
        with self._lock:
            self._joined = False
            self._exc_info = None
            self._stop_event.clear()

    def should_stop(self):
        return self._stop_event.is_set()

    @contextlib.contextmanager
    def stop_on_exception(self):
        """Report any exception raised in the block with ``request_stop``."""
        try:
            yield
        except BaseException:   # noqa: B902 - reported, as TensorFlow's does
            self.request_stop(ex=sys.exc_info())

    def wait_for_stop(self, timeout=None):
        """Wait until a stop is requested; True if it was."""
        return self._stop_event.wait(timeout)

    def register_thread(self, thread):
        with self._lock:
            self._registered.add(thread)

    def join(self, threads=None, stop_grace_period_secs=120, ignore_live_threads=False):
        """Wait for ``threads`` (and the registered ones) after a stop request, then
        re-raise the first exception reported; threads still alive after the grace
        period raise RuntimeError naming them (unless ``ignore_live_threads``).

        >>> import threading, ndgrad.tf as tf
        >>> coord = tf.train.Coordinator()
        >>> def work():
        ...     with coord.stop_on_exception():
        ...         raise ValueError("bad record")
        >>> t = threading.Thread(target=work); t.start()
        >>> coord.join([t])
        Traceback (most recent call last):
            ...
        ValueError: bad record
        """
        threads = set(threads or ()) | self._registered
        while any(t.is_alive() for t in threads) and not self.wait_for_stop(0.1):
            pass
        deadline = time.monotonic() + stop_grace_period_secs
        for t in threads:
            t.join(max(0.0, deadline - time.monotonic()))
        alive = [t.name for t in threads if t.is_alive()]
        with self._lock:
            self._joined = True
            self._registered = set()
            exc = self._exc_info
        if exc is not None:
            raise exc[1].with_traceback(exc[2])
        if alive and not ignore_live_threads:
            raise RuntimeError("Coordinator stopped with threads still running: "
                               + " ".join(alive))

    @property
    def joined(self):
        return self._joined

    def raise_requested_exception(self):
        with self._lock:
            if self._exc_info is not None:
                exc = self._exc_info
                raise exc[1].with_traceback(exc[2])

    def LooperThread(self, timer_interval_secs, target, args=None, kwargs=None):
        return LooperThread.loop(self, timer_interval_secs, target, args, kwargs)


class LooperThread(threading.Thread):
    """A thread that calls ``target`` repeatedly (every ``timer_interval_secs``) until the
    coordinator stops.

    >>> import ndgrad.tf as tf
    >>> coord = tf.train.Coordinator()
    >>> calls = []
    >>> def tick():
    ...     calls.append(len(calls))
    ...     if len(calls) == 3:
    ...         coord.request_stop()
    >>> t = tf.train.LooperThread.loop(coord, None, tick)
    >>> coord.join([t])
    >>> calls
    [0, 1, 2]
    """

    def __init__(self, coord, timer_interval_secs, target=None, args=None, kwargs=None):
        super().__init__(daemon=True)
        self._coord = coord
        self._interval = timer_interval_secs
        self._target_fn = target
        self._args = args or ()
        self._kwargs = kwargs or {}
        coord.register_thread(self)

    @staticmethod
    def loop(coord, timer_interval_secs, target, args=None, kwargs=None):
        t = LooperThread(coord, timer_interval_secs, target, args, kwargs)
        t.start()
        return t

    def run(self):
        with self._coord.stop_on_exception():
            if self._interval is None:
                while not self._coord.should_stop():
                    self._target_fn(*self._args, **self._kwargs)
            else:
                while not self._coord.wait_for_stop(self._interval):
                    self._target_fn(*self._args, **self._kwargs)

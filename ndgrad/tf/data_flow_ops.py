"""TF 1 queues: ``tf.FIFOQueue``, ``tf.RandomShuffleQueue``, ``tf.PaddingFIFOQueue``
(``enqueue``, ``enqueue_many``, ``dequeue``, ``dequeue_many``, ``dequeue_up_to``, ``size``,
``close``, ``is_closed``).

A queue's contents live in the Session (one queue per session, as TensorFlow keeps them
in the session's resource manager); its ops block as TensorFlow's do -- a dequeue waits
for elements, an enqueue for room -- so queue runners in background threads can feed a
training loop. A dequeue from a closed queue with too few elements raises
``tf.errors.OutOfRangeError``; an enqueue into a closed queue, or any op blocked when the
session closes, raises ``tf.errors.CancelledError``.

>>> import ndgrad.tf as tf
>>> q = tf.FIFOQueue(3, tf.float32)
>>> init = q.enqueue_many(([0., 10., 20.],))
>>> x = q.dequeue()
>>> with tf.Session() as sess:
...     sess.run(init)
...     print(sess.run([x, x + 1]), sess.run(q.size()))
[np.float32(0.0), np.float32(1.0)] 2
"""
from __future__ import annotations

import collections
import threading

import numpy as np

from ..graph import errors as _errors
from ..graph.core import Tensor, get_default_graph
from ..graph.shape import TensorShape
from . import dtypes as _tfd
from .framework import convert_to_tensor

__all__ = ["QueueBase", "FIFOQueue", "RandomShuffleQueue", "PaddingFIFOQueue"]


def _as_shape(s):
    if s is None:
        return None
    ts = s if isinstance(s, TensorShape) else TensorShape(s)
    return None if ts.ndims is None else tuple(ts.as_list())


def _count(n):
    """``dequeue_many``'s ``n``: a Python int, a graph constant's value, or an int32 tensor
    read when the op runs (TF takes any of them)."""
    if isinstance(n, Tensor) or hasattr(n, "_as_graph_element"):
        t = convert_to_tensor(n)
        if t._op._kind == "const":
            return int(np.asarray(t._op._attrs["value"]))
        if np.dtype(t._np_dtype).kind not in "iu" or (t._shape is not None and t._shape):
            raise TypeError(f"dequeue_many: n must be an int32 scalar, got {t!r}")
        return t
    return int(n)


def _zero(dt):
    return b"" if dt.kind == "O" else dt.type(0)


class _QueueState:
    """A queue's contents in one session; ``cv`` guards everything."""

    def __init__(self, q, rng):
        self.q = q
        self.items = collections.deque() if q._kind != "RandomShuffleQueue" else []
        self.closed = False
        self.cancel_pending = False
        self.cancelled = False
        self.cv = threading.Condition()
        self.rng = rng
        # dequeue attempts in arrival order (TF's): only the first takes elements
        self.takers = collections.deque()

    def cancel(self):
        with self.cv:
            self.cancelled = True
            self.cv.notify_all()

    def _raise_cancelled(self, op, what):
        raise _errors.CancelledError(None, op, f"{what} operation was cancelled "
                                     f"(the session of {self.q._kind} '{self.q.name}' was "
                                     "closed)")

    def put(self, op, rows):
        q = self.q
        with self.cv:
            if self.closed:
                raise _errors.CancelledError(None, op, f"{q._kind} '{q.name}' is closed.")
            for row in rows:
                while True:
                    if self.cancelled:
                        self._raise_cancelled(op, "Enqueue")
                    if self.closed and self.cancel_pending:
                        raise _errors.CancelledError(
                            None, op, f"{q._kind} '{q.name}' is closed (pending enqueue "
                            "cancelled).")
                    if len(self.items) < q._capacity:
                        break
                    self.cv.wait()
                self.items.append(row)
                self.cv.notify_all()

    def take(self, op, n, up_to):
        """``n`` rows (fewer only when ``up_to`` and the queue is closed), taken as TF's
        queues take them: attempts are served in arrival order, and the first takes rows
        as they arrive (above ``min_after_dequeue`` while the queue is open), so a
        ``dequeue_many`` larger than the capacity completes as producers refill the
        queue. A ``dequeue_many`` that a close leaves short puts its rows back at the
        front and raises OutOfRangeError, as TF's."""
        q = self.q
        me = object()
        out = []
        with self.cv:
            self.takers.append(me)
            try:
                while True:
                    if self.cancelled:
                        self._restore(out)
                        self._raise_cancelled(op, "Dequeue")
                    if self.takers[0] is me:
                        keep = q._min_after_dequeue if not self.closed else 0
                        took = False
                        while len(out) < n and len(self.items) > keep:
                            out.append(self._pop_one())
                            took = True
                        if took:
                            self.cv.notify_all()     # (room for blocked enqueues)
                        if len(out) == n:
                            return out
                        if self.closed:
                            if up_to and (out or self.items):
                                while len(out) < n and self.items:
                                    out.append(self._pop_one())
                                return out
                            size = len(out) + len(self.items)
                            self._restore(out)
                            raise _errors.OutOfRangeError(
                                None, op, f"{q._kind} '{q.name}' is closed and has "
                                f"insufficient elements (requested {n}, current size "
                                f"{size})")
                    self.cv.wait()
            finally:
                self.takers.remove(me)
                self.cv.notify_all()          # (the next attempt's turn)

    def _pop_one(self):
        if isinstance(self.items, list):      # random shuffle: any element
            i = int(self.rng.integers(len(self.items)))
            self.items[i], self.items[-1] = self.items[-1], self.items[i]
            return self.items.pop()
        return self.items.popleft()

    def _restore(self, rows):
        """Rows an unfinished attempt took, back at the front in their order."""
        if isinstance(self.items, list):
            self.items.extend(rows)
        else:
            self.items.extendleft(reversed(rows))
        rows.clear()

    def close(self, cancel_pending):
        """Close: later enqueues fail; with ``cancel_pending`` enqueues blocked on a full
        queue fail too (otherwise they still finish when room appears, as in TF)."""
        with self.cv:
            self.closed = True
            self.cancel_pending = self.cancel_pending or bool(cancel_pending)
            self.cv.notify_all()


def _check_shared(op, q, other):
    """TF's check that queue ``q`` may share the state ``other`` made under one
    ``shared_name``: the same kind, capacity, component types and shapes (and
    ``min_after_dequeue`` for a RandomShuffleQueue)."""
    what = None
    if q._kind != other._kind:
        what = f"kind {q._kind} vs. {other._kind}"
    elif q._capacity != other._capacity:
        what = f"capacity {q._capacity} vs. {other._capacity}"
    elif q._np != other._np:
        what = (f"component types {[d.name for d in q._np]} vs. "
                f"{[d.name for d in other._np]}")
    elif q._shapes != other._shapes:
        what = f"component shapes {q._shapes} vs. {other._shapes}"
    elif getattr(q, "_min_after_dequeue", None) != getattr(other, "_min_after_dequeue", None):
        what = (f"min_after_dequeue {q._min_after_dequeue} vs. "
                f"{other._min_after_dequeue}")
    if what is not None:
        raise _errors.InvalidArgumentError(
            None, op, f"Shared queue '{op.name}' has {what} (another queue of the same "
            "shared_name made it in this session)")


class QueueBase:
    """A queue of tuples of tensors (components with fixed dtypes, optionally shapes and
    names); the shared base of the three queue kinds.

    >>> import ndgrad.tf as tf
    >>> q = tf.FIFOQueue(5, tf.int32, shapes=[])
    >>> with tf.Session() as sess:
    ...     sess.run(q.enqueue_many([[1, 2, 3]]))
    ...     sess.run(q.close())
    ...     print(sess.run(q.dequeue_up_to(5)), sess.run(q.is_closed()), sess.run(q.size()))
    [1 2 3] True 0
    """

    _kind = "FIFOQueue"
    _min_after_dequeue = 0

    def __init__(self, capacity, dtypes, shapes=None, names=None, shared_name=None,
                 name="fifo_queue", seed=None):
        if not isinstance(dtypes, (list, tuple)):
            dtypes = [dtypes]
        self._dtypes = [_tfd.as_dtype(d) for d in dtypes]
        self._np = [d._np for d in self._dtypes]
        if shapes is not None:
            # one shape or a list of them, told apart as TF's _as_shape_list does: a
            # list of ints and Nones (``[]`` too) is one shape
            if not isinstance(shapes, (list, tuple)) or all(
                    d is None or isinstance(d, (int, np.integer)) for d in shapes):
                shapes = [shapes]
            if len(shapes) != len(self._dtypes):
                raise ValueError(f"Queue shapes must have the same length as dtypes "
                                 f"({len(shapes)} shapes for {len(self._dtypes)} dtypes)")
            self._shapes = [_as_shape(s) for s in shapes]
        else:
            self._shapes = [None] * len(self._dtypes)
        if names is not None:
            if not isinstance(names, (list, tuple)):
                names = [names]
            if len(names) != len(self._dtypes):
                raise ValueError(f"Queue names must have the same length as dtypes "
                                 f"({len(names)} names for {len(self._dtypes)} dtypes)")
        self._names = list(names) if names is not None else None
        if int(capacity) <= 0 and capacity != -1:
            raise ValueError(f"Queue capacity must be positive, got {capacity}")
        self._capacity = int(capacity) if capacity > 0 else 2 ** 31 - 1
        self._seed = seed
        g = get_default_graph()
        self._graph = g
        type_ = self._kind + "V2"
        seeds = None
        if self._kind == "RandomShuffleQueue":
            from .random_ops import _seeds
            seeds = _seeds(g, seed)
        self_ = self

        def make_state(ctx, op):
            rng = np.random.default_rng(seeds)
            return _QueueState(self_, rng)

        # queues of one ``shared_name`` share their state in a session (TF's resource
        # manager); one that differs in kind, capacity, types or shapes is refused
        key = ("queue", shared_name) if shared_name else None

        def fn(ctx):
            st = ctx.session.resource(op, lambda: make_state(ctx, op), key)
            if key is not None and st.q is not self_:
                _check_shared(op, self_, st.q)
            h = np.empty((), dtype=object)
            h[()] = st
            return h
        op = g.special_op(type_, name, (), fn, [((), np.dtype(object))],
                          attrs={"capacity": self._capacity, "component_types": self._np,
                                 "shapes": self._shapes})
        self._op = op
        self._ref = op.outputs[0]

    # -- properties -----------------------------------------------------------------
    @property
    def queue_ref(self):
        return self._ref

    @property
    def name(self):
        return self._op.name

    @property
    def dtypes(self):
        return list(self._dtypes)

    @property
    def shapes(self):
        return [TensorShape(s) for s in self._shapes]

    @property
    def names(self):
        return self._names

    # -- building -------------------------------------------------------------------
    def _components(self, vals, many):
        if self._names is not None:
            if not isinstance(vals, dict):
                raise ValueError("Queue with names requires a dict of values to enqueue")
            if set(vals) != set(self._names):
                raise ValueError(f"Keys in dictionary to enqueue {sorted(vals)} do not match "
                                 f"the names of the queue {sorted(self._names)}")
            vals = [vals[n] for n in self._names]
        elif isinstance(vals, dict):
            raise ValueError("Queue without names cannot enqueue a dict")
        if not isinstance(vals, (list, tuple)):
            vals = [vals]
        if len(vals) != len(self._dtypes):
            raise ValueError(f"Expected {len(self._dtypes)} components to enqueue, got "
                             f"{len(vals)}")
        out = []
        for i, (v, dt, shp) in enumerate(zip(vals, self._dtypes, self._shapes)):
            t = convert_to_tensor(v, dtype=dt, name=f"component_{i}")
            ts = t._shape
            if shp is not None and ts is not None:
                have = ts[1:] if many else ts
                if many and len(ts) == 0:
                    raise ValueError(f"enqueue_many component {i} must have at least one "
                                     "dimension (the one to split)")
                if not TensorShape(have).is_compatible_with(TensorShape(shp)):
                    raise ValueError(f"Shape {TensorShape(have)} of component {i} is not "
                                     f"compatible with the queue's shape {TensorShape(shp)}")
            out.append(t)
        return out

    def _check_row(self, op, row):
        for i, (v, shp) in enumerate(zip(row, self._shapes)):
            if shp is not None and (len(shp) != v.ndim or any(
                    d is not None and d != s for d, s in zip(shp, v.shape))):
                raise _errors.InvalidArgumentError(
                    None, op, f"Shape mismatch in tuple component {i}. Expected "
                    f"{list(shp)}, got {list(v.shape)}")

    def enqueue(self, vals, name=None):
        """An op that puts one element (a tuple of components) in the queue."""
        comps = self._components(vals, many=False)
        g = self._graph
        np_dts = self._np

        def fn(ctx, h, *values):
            if ctx.replay(op) is not None:
                return ()
            row = tuple(np.array(v, dtype=dt, copy=True) for v, dt in zip(values, np_dts))
            self._check_row(op, row)
            h[()].put(op, [row])
            ctx.record(op, True)
            return ()
        op = g.special_op("QueueEnqueueV2", name or "QueueEnqueueV2",
                          (self._ref, *comps), fn, [])
        return op

    def enqueue_many(self, vals, name=None):
        """An op that puts the slices along dimension 0 of each component in the queue."""
        comps = self._components(vals, many=True)
        g = self._graph
        np_dts = self._np

        def fn(ctx, h, *values):
            if ctx.replay(op) is not None:
                return ()
            arrs = [np.asarray(v, dtype=dt) for v, dt in zip(values, np_dts)]
            n = {a.shape[0] if a.ndim else None for a in arrs}
            if None in n or len(n) != 1:
                raise _errors.InvalidArgumentError(
                    None, op, "Shape mismatch in tuple components: enqueue_many needs the "
                    f"same dimension 0 in every component, got "
                    f"{[list(a.shape) for a in arrs]}")
            rows = [tuple(np.array(a[i], dtype=dt, copy=True) for a, dt in zip(arrs, np_dts))
                    for i in range(n.pop())]
            for r in rows:
                self._check_row(op, r)
            h[()].put(op, rows)
            ctx.record(op, True)
            return ()
        op = g.special_op("QueueEnqueueManyV2", name or "QueueEnqueueManyV2",
                          (self._ref, *comps), fn, [])
        return op

    def _dequeue_op(self, type_, name, n, up_to):
        g = self._graph
        batched = n is not None
        n_t = n if isinstance(n, Tensor) else None   # (a count known when run)
        specs = []
        for shp, dt in zip(self._shapes, self._np):
            if not batched:
                specs.append((shp, dt))
            else:
                lead = None if up_to or n_t is not None else int(n)
                specs.append((None if shp is None else (lead,) + tuple(shp), dt))
        kind = self._kind

        def fn(ctx, h, *count):
            done = ctx.replay(op)
            if done is not None:
                return done
            if batched and kind != "PaddingFIFOQueue" and any(s is None for s in self._shapes):
                raise _errors.InvalidArgumentError(
                    None, op, f"{kind}'s DequeueMany and DequeueUpTo require the components "
                    "to have specified shapes.")
            k = int(np.asarray(count[0])) if count else n
            if batched and k < 0:
                raise _errors.InvalidArgumentError(
                    None, op, f"Dequeue{'UpTo' if up_to else 'Many'} requested {k} < 0 "
                    "elements")
            rows = h[()].take(op, k if batched else 1, up_to)
            if not batched:
                out = list(rows[0])
            elif not rows:        # dequeue_many(0): empty stacks of the component shapes
                out = [np.zeros((0,) + tuple(0 if d is None else d for d in shp or ()), dt)
                       for shp, dt in zip(self._shapes, self._np)]
            elif kind == "PaddingFIFOQueue":
                out = []
                for i, dt in enumerate(self._np):
                    parts = [r[i] for r in rows]
                    shape = tuple(max(p.shape[d] for p in parts) for d in range(parts[0].ndim))
                    buf = np.full((len(parts),) + shape, _zero(dt), dtype=dt)
                    for j, p in enumerate(parts):
                        buf[(j,) + tuple(slice(0, s) for s in p.shape)] = p
                    out.append(buf)
            else:
                out = [np.stack([r[i] for r in rows]).astype(dt, copy=False)
                       for i, dt in enumerate(self._np)]
            res = out[0] if len(out) == 1 else tuple(out)
            ctx.record(op, res)
            return res
        op = g.special_op(type_, name or type_, (self._ref,) + ((n_t,) if n_t is not None
                                                               else ()), fn, specs)
        outs = list(op.outputs)
        if self._names is not None:
            return dict(zip(self._names, outs))
        return outs[0] if len(outs) == 1 else outs

    def dequeue(self, name=None):
        """One element; blocks until one is there (OutOfRangeError once closed and empty)."""
        return self._dequeue_op("QueueDequeueV2", name, None, False)

    def dequeue_many(self, n, name=None):
        """``n`` elements stacked along a new dimension 0; blocks until ``n`` are there."""
        return self._dequeue_op("QueueDequeueManyV2", name, _count(n), False)

    def dequeue_up_to(self, n, name=None):
        """Like ``dequeue_many``, but a closed queue gives what it has left (at least 1)."""
        return self._dequeue_op("QueueDequeueUpToV2", name, _count(n), True)

    def size(self, name=None):
        """The number of elements in the queue, an int32 scalar."""
        def fn(ctx, h):
            st = h[()]
            with st.cv:
                return np.int32(len(st.items))
        return self._graph.special_op("QueueSizeV2", name or "QueueSizeV2", (self._ref,), fn,
                                      [((), np.dtype(np.int32))]).outputs[0]

    def close(self, cancel_pending_enqueues=False, name=None):
        """An op that closes the queue: later enqueues fail; dequeues drain what is left."""
        def fn(ctx, h):
            h[()].close(cancel_pending_enqueues)
            return ()
        return self._graph.special_op("QueueCloseV2", name or "QueueCloseV2", (self._ref,),
                                      fn, [], attrs={"cancel_pending_enqueues":
                                                     bool(cancel_pending_enqueues)})

    def is_closed(self, name=None):
        """A bool scalar: whether the queue is closed."""
        def fn(ctx, h):
            return np.bool_(h[()].closed)
        return self._graph.special_op("QueueIsClosedV2", name or "QueueIsClosedV2",
                                      (self._ref,), fn, [((), np.dtype(bool))]).outputs[0]


class FIFOQueue(QueueBase):
    """A queue that gives elements in first-in first-out order.

    >>> import ndgrad.tf as tf
    >>> q = tf.FIFOQueue(4, [tf.int32, tf.string], shapes=[[], []])
    >>> enq = q.enqueue_many([[1, 2, 3], ["a", "b", "c"]])
    >>> with tf.Session() as sess:
    ...     sess.run(enq)
    ...     print(*sess.run(q.dequeue_many(2)))
    ...     print(*sess.run(q.dequeue()))
    [1 2] [b'a' b'b']
    3 b'c'
    """

    _kind = "FIFOQueue"

    def __init__(self, capacity, dtypes, shapes=None, names=None, shared_name=None,
                 name="fifo_queue"):
        super().__init__(capacity, dtypes, shapes, names, shared_name, name)


class PaddingFIFOQueue(QueueBase):
    """A FIFO queue whose ``dequeue_many`` pads each component (zeros, or b'' for
    strings) to the largest shape in the batch; shapes may have None dimensions.

    >>> import ndgrad.tf as tf
    >>> q = tf.PaddingFIFOQueue(3, tf.int32, shapes=[[None]])
    >>> with tf.Session() as sess:
    ...     sess.run(q.enqueue([[1, 2, 3]]))
    ...     sess.run(q.enqueue([[4]]))
    ...     print(sess.run(q.dequeue_many(2)))
    [[1 2 3]
     [4 0 0]]
    """

    _kind = "PaddingFIFOQueue"

    def __init__(self, capacity, dtypes, shapes, names=None, shared_name=None,
                 name="padding_fifo_queue"):
        if shapes is None:
            raise ValueError("PaddingFIFOQueue needs shapes (dimensions may be None)")
        super().__init__(capacity, dtypes, shapes, names, shared_name, name)
        if any(s is None for s in self._shapes):
            raise ValueError("PaddingFIFOQueue needs the rank of every component: "
                             f"shapes {shapes}")


class RandomShuffleQueue(QueueBase):
    """A queue that gives its elements in random order, keeping at least
    ``min_after_dequeue`` of them until it is closed (so the mix stays good).

    >>> import ndgrad.tf as tf
    >>> q = tf.RandomShuffleQueue(10, min_after_dequeue=2, dtypes=tf.int32, shapes=[])
    >>> with tf.Session() as sess:
    ...     sess.run(q.enqueue_many([[1, 2, 3, 4, 5]]))
    ...     a = sess.run(q.dequeue_many(3)); print(sess.run(q.size()))
    ...     sess.run(q.close())
    ...     b = sess.run(q.dequeue_up_to(10)); print(sorted(a.tolist() + b.tolist()))
    2
    [1, 2, 3, 4, 5]
    """

    _kind = "RandomShuffleQueue"

    def __init__(self, capacity, min_after_dequeue, dtypes, shapes=None, names=None,
                 seed=None, shared_name=None, name="random_shuffle_queue"):
        if min_after_dequeue >= capacity:
            raise ValueError(f"min_after_dequeue ({min_after_dequeue}) must be less than "
                             f"capacity ({capacity})")
        self._min_after_dequeue = int(min_after_dequeue)
        super().__init__(capacity, dtypes, shapes, names, shared_name, name, seed=seed)

"""TF 1's queue-based input pipeline (``tf.train``): ``input_producer``,
``string_input_producer``, ``range_input_producer``, ``slice_input_producer``,
``limit_epochs``, ``batch``, ``shuffle_batch``, ``batch_join``, ``shuffle_batch_join``,
``maybe_batch``.

Each producer or batcher is a queue plus a ``QueueRunner`` added to the graph's
``QUEUE_RUNNERS`` collection; ``tf.train.start_queue_runners`` starts their threads.
With ``num_epochs`` a producer counts epochs in a local variable (initialize it with
``tf.local_variables_initializer()``, as in TensorFlow) and ends the input with
``OutOfRangeError`` after the last one.

>>> import ndgrad.tf as tf
>>> x = tf.train.slice_input_producer([tf.constant([1, 2, 3])], num_epochs=1,
...                                   shuffle=False)
>>> b = tf.train.batch(x, batch_size=2, allow_smaller_final_batch=True)
>>> with tf.Session() as sess:
...     sess.run(tf.local_variables_initializer())
...     coord = tf.train.Coordinator()
...     threads = tf.train.start_queue_runners(sess, coord)
...     try:
...         while True:
...             print(sess.run(b))
...     except tf.errors.OutOfRangeError:
...         print("done")
...     coord.request_stop(); coord.join(threads)
[1 2]
[3]
done
"""
from __future__ import annotations

import numpy as np

from ..graph import errors as _errors
from ..graph.core import Tensor, get_default_graph
from ..graph.shape import TensorShape
from . import data_flow_ops as _dfo
from .framework import convert_to_tensor
from .queue_runner import QueueRunner, add_queue_runner

__all__ = ["limit_epochs", "input_producer", "string_input_producer", "range_input_producer",
           "slice_input_producer", "batch", "shuffle_batch", "batch_join",
           "shuffle_batch_join", "maybe_batch"]


def _count_up(cur):
    """CountUpTo's new value (a staged update: recomputed on the committed count where
    another run counted since this one read it)."""
    return (np.int64(int(cur) + 1),)


def limit_epochs(tensor, num_epochs=None, name=None):
    """``tensor`` for ``num_epochs`` evaluations, then OutOfRangeError (None: forever).

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default(), tf.Session() as sess:
    ...     x = tf.train.limit_epochs(tf.constant([1, 2]), num_epochs=2)
    ...     sess.run(tf.local_variables_initializer())
    ...     print(sess.run(x), sess.run(x))
    ...     try:
    ...         sess.run(x)
    ...     except tf.errors.OutOfRangeError:
    ...         print("OutOfRangeError")
    [1 2] [1 2]
    OutOfRangeError
    """
    t = convert_to_tensor(tensor)
    if num_epochs is None:
        return t
    if num_epochs <= 0:
        raise ValueError(f"num_epochs must be > 0 not {num_epochs}.")
    from .variables import GraphKeys, Variable
    g = get_default_graph()
    with g.name_scope(name or "limit_epochs") as scope:
        counter = Variable(np.int64(0), name="epochs", trainable=False,
                           collections=[GraphKeys.LOCAL_VARIABLES])
        var_op = counter._op
        limit = int(num_epochs)

        def fn(ctx, value):
            cur = ctx.writes.get(var_op)
            if cur is None:
                cur = ctx.session._vars.get(var_op)
            if cur is None:
                raise _errors.FailedPreconditionError(
                    None, op, f"Attempting to use uninitialized value {var_op.name} (run "
                    "tf.local_variables_initializer() first)")
            if int(cur) >= limit:
                raise _errors.OutOfRangeError(
                    None, op, f"Reached limit of {limit}")
            ctx.update((var_op,), (cur,), _count_up)
            return value
        op = g.special_op("CountUpTo", scope, (t,), fn, [(t._shape, t._np_dtype)],
                          attrs={"limit": limit})
    return op.outputs[0]


def input_producer(input_tensor, element_shape=None, num_epochs=None, shuffle=True,
                   seed=None, capacity=32, shared_name=None, summary_name=None, name=None,
                   cancel_op=None):
    """A queue fed (by a QueueRunner) with the rows of ``input_tensor``, epoch after
    epoch, each epoch shuffled when ``shuffle``.

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default(), tf.Session() as sess:
    ...     q = tf.train.input_producer(tf.constant([[1, 2], [3, 4]]), shuffle=False)
    ...     coord = tf.train.Coordinator()
    ...     threads = tf.train.start_queue_runners(sess, coord)
    ...     print(sess.run(q.dequeue_many(3)))
    ...     coord.request_stop(); coord.join(threads)
    [[1 2]
     [3 4]
     [1 2]]
    """
    g = get_default_graph()
    with g.name_scope(name or "input_producer"):
        t = convert_to_tensor(input_tensor, name="input")
        shp = t._shape
        if element_shape is None:
            if shp is None or len(shp) == 0:
                raise ValueError("Either `input_tensor` must have a fully defined shape "
                                 "(rank >= 1) or `element_shape` must be specified")
            element_shape = shp[1:]
        if shuffle:
            from .random_ops import random_shuffle
            t = random_shuffle(t, seed=seed)
        t = limit_epochs(t, num_epochs)
        q = _dfo.FIFOQueue(capacity, [t._np_dtype], shapes=[element_shape],
                           shared_name=shared_name, name="fifo_queue")
        enq = q.enqueue_many([t])
        add_queue_runner(QueueRunner(q, [enq], cancel_op=cancel_op))
    return q


def string_input_producer(string_tensor, num_epochs=None, shuffle=True, seed=None,
                          capacity=32, shared_name=None, name=None, cancel_op=None):
    """A queue of strings (file names, usually) for a reader, ``num_epochs`` times over.

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default(), tf.Session() as sess:
    ...     q = tf.train.string_input_producer(["a.csv", "b.csv"], num_epochs=2, shuffle=False)
    ...     sess.run(tf.local_variables_initializer())
    ...     coord = tf.train.Coordinator()
    ...     threads = tf.train.start_queue_runners(sess, coord)
    ...     print(sess.run(q.dequeue_up_to(10)))
    ...     coord.request_stop(); coord.join(threads)
    [b'a.csv' b'b.csv' b'a.csv' b'b.csv']
    """
    if not isinstance(string_tensor, Tensor):
        vals = list(string_tensor) if not isinstance(string_tensor, (str, bytes)) else [
            string_tensor]
        if not vals:
            raise ValueError("string_input_producer requires a non-null input tensor")
        string_tensor = np.array([v.encode() if isinstance(v, str) else bytes(v)
                                  for v in vals], dtype=object)
    g = get_default_graph()
    with g.name_scope(name or "input_producer"):
        from . import dtypes as _tfd
        t = convert_to_tensor(string_tensor, dtype=_tfd.string)
        return input_producer(t, (), num_epochs, shuffle, seed, capacity, shared_name,
                              name="", cancel_op=cancel_op)


def range_input_producer(limit, num_epochs=None, shuffle=True, seed=None, capacity=32,
                         shared_name=None, name=None):
    """A queue of the integers ``0 .. limit-1`` (int32), ``num_epochs`` times over.

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default(), tf.Session() as sess:
    ...     q = tf.train.range_input_producer(3, shuffle=False)
    ...     coord = tf.train.Coordinator()
    ...     threads = tf.train.start_queue_runners(sess, coord)
    ...     print(sess.run(q.dequeue_many(5)))
    ...     coord.request_stop(); coord.join(threads)
    [0 1 2 0 1]
    """
    g = get_default_graph()
    with g.name_scope(name or "input_producer"):
        from . import math_ops
        r = math_ops.range(limit)
        return input_producer(r, (), num_epochs, shuffle, seed, capacity, shared_name,
                              name="")


def slice_input_producer(tensor_list, num_epochs=None, shuffle=True, seed=None,
                         capacity=32, shared_name=None, name=None):
    """One row of each tensor in ``tensor_list`` (the same row index for all) per
    dequeue: a list of tensors.

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default(), tf.Session() as sess:
    ...     x, y = tf.train.slice_input_producer([[1, 2, 3], [10., 20., 30.]], shuffle=False)
    ...     coord = tf.train.Coordinator()
    ...     threads = tf.train.start_queue_runners(sess, coord)
    ...     print(*sess.run([x, y])); print(*sess.run([x, y]))
    ...     coord.request_stop(); coord.join(threads)
    1 10.0
    2 20.0
    """
    tensors = [convert_to_tensor(t) for t in tensor_list]
    if not tensors:
        raise ValueError("Expected at least one tensor in slice_input_producer().")
    n = tensors[0]._shape[0] if tensors[0]._shape else None
    for t in tensors[1:]:
        m = t._shape[0] if t._shape else None
        if n is not None and m is not None and n != m:
            raise ValueError(f"slice_input_producer: all tensors need the same first "
                             f"dimension, got {n} and {m}")
    if n is None:
        raise ValueError("slice_input_producer needs the first dimension of its tensors "
                         "known statically")
    g = get_default_graph()
    with g.name_scope(name or "input_producer"):
        from . import math_ops
        q = range_input_producer(n, num_epochs, shuffle, seed, capacity, shared_name)
        index = q.dequeue()
        return [math_ops.gather(t, index) for t in tensors]


# -- batching ---------------------------------------------------------------------------
def _flatten(tensors):
    if isinstance(tensors, dict):
        keys = sorted(tensors)
        return [tensors[k] for k in keys], lambda out: dict(zip(keys, out))
    if isinstance(tensors, (list, tuple)):
        # a list of one tensor gives that tensor, as TF's batchers do (a queue of one
        # component dequeues a tensor, not a list: tf.train.batch([image], 32) is a Tensor)
        return list(tensors), (lambda out: out[0] if len(out) == 1 else list(out))
    return [tensors], lambda out: out[0]


def _shapes(tensors, shapes, enqueue_many):
    if shapes is not None:
        return [TensorShape(s) for s in shapes]
    out = []
    for t in tensors:
        s = t._shape
        if s is None:
            raise ValueError(f"All shapes must be fully defined: {t} has an unknown shape; "
                             "pass shapes= or set dynamic_pad=True")
        s = s[1:] if enqueue_many else s
        out.append(TensorShape(s))
    return out


def _batcher(kind, tensors_list, batch_size, num_threads, capacity, enqueue_many, shapes,
             dynamic_pad, allow_smaller_final_batch, shared_name, name, min_after_dequeue=0,
             seed=None, keep_input=None):
    g = get_default_graph()
    first, rebuild = _flatten(tensors_list[0])
    with g.name_scope(name):
        lists = []
        for tl in tensors_list:
            flat, _ = _flatten(tl)
            lists.append([convert_to_tensor(t) for t in flat])
        flat = lists[0]
        dts = [t._np_dtype for t in flat]
        for other in lists[1:]:
            if [t._np_dtype for t in other] != dts:
                raise TypeError("Expected types to be the same in every tensor list of a "
                                "batch_join")
        if dynamic_pad:
            shp = shapes if shapes is not None else [
                (t._shape[1:] if enqueue_many else t._shape) for t in flat]
            if any(s is None for s in shp):
                raise ValueError("dynamic_pad needs the rank of every tensor")
            q = _dfo.PaddingFIFOQueue(capacity, dts, shp, shared_name=shared_name,
                                      name="padding_fifo_queue")
        else:
            shp = _shapes(flat, shapes, enqueue_many)
            if not all(s.is_fully_defined() for s in shp):
                raise ValueError(f"All shapes must be fully defined: {shp}")
            if kind == "shuffle":
                q = _dfo.RandomShuffleQueue(capacity, min_after_dequeue, dts, shp, seed=seed,
                                            shared_name=shared_name,
                                            name="random_shuffle_queue")
            else:
                q = _dfo.FIFOQueue(capacity, dts, shp, shared_name=shared_name,
                                   name="fifo_queue")
        enqs = []
        for lst in lists:
            for _ in range(max(1, int(num_threads)) if len(lists) == 1 else 1):
                enqs.append(q.enqueue_many(lst) if enqueue_many else q.enqueue(lst))
        add_queue_runner(QueueRunner(q, enqs))
        out = (q.dequeue_up_to(batch_size, name=kind if kind != "shuffle" else None)
               if allow_smaller_final_batch else q.dequeue_many(batch_size))
    if not isinstance(out, list):
        out = [out]
    return rebuild(out)


def batch(tensors, batch_size, num_threads=1, capacity=32, enqueue_many=False, shapes=None,
          dynamic_pad=False, allow_smaller_final_batch=False, shared_name=None, name=None):
    """Batches of ``batch_size`` from ``tensors`` (a tensor, list or dict), in order.

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default(), tf.Session() as sess:
    ...     x = tf.train.range_input_producer(5, num_epochs=1, shuffle=False).dequeue()
    ...     b = tf.train.batch([x, x * 10], batch_size=3, allow_smaller_final_batch=True)
    ...     sess.run(tf.local_variables_initializer())
    ...     coord = tf.train.Coordinator()
    ...     threads = tf.train.start_queue_runners(sess, coord)
    ...     print(*sess.run(b)); print(*sess.run(b))
    ...     coord.request_stop(); coord.join(threads)
    [0 1 2] [ 0 10 20]
    [3 4] [30 40]
    """
    return _batcher("batch", [tensors], batch_size, num_threads, capacity, enqueue_many,
                    shapes, dynamic_pad, allow_smaller_final_batch, shared_name,
                    name or "batch")


def maybe_batch(tensors, keep_input, batch_size, **kw):
    """``batch`` of the inputs for which ``keep_input`` is True (a Python bool here).

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default(), tf.Session() as sess:
    ...     x = tf.train.range_input_producer(5, shuffle=False).dequeue()
    ...     b = tf.train.maybe_batch([x, -x], keep_input=True, batch_size=4)
    ...     coord = tf.train.Coordinator()
    ...     threads = tf.train.start_queue_runners(sess, coord)
    ...     print(*sess.run(b))
    ...     coord.request_stop(); coord.join(threads)
    [0 1 2 3] [ 0 -1 -2 -3]
    """
    if keep_input is not True:
        raise ValueError("maybe_batch: only keep_input=True (a Python bool) is provided")
    return batch(tensors, batch_size, **kw)


def shuffle_batch(tensors, batch_size, capacity, min_after_dequeue, num_threads=1,
                  seed=None, enqueue_many=False, shapes=None, allow_smaller_final_batch=False,
                  shared_name=None, name=None):
    """Batches of ``batch_size`` drawn at random from a queue holding at least
    ``min_after_dequeue`` elements.

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default(), tf.Session() as sess:
    ...     x = tf.train.range_input_producer(6, num_epochs=1, shuffle=False).dequeue()
    ...     b = tf.train.shuffle_batch([x, x * 10], batch_size=6, capacity=10, min_after_dequeue=3)
    ...     sess.run(tf.local_variables_initializer())
    ...     coord = tf.train.Coordinator()
    ...     threads = tf.train.start_queue_runners(sess, coord)
    ...     xs, ys = sess.run(b); print(sorted(xs.tolist()), (ys == 10 * xs).all())
    ...     coord.request_stop(); coord.join(threads)
    [0, 1, 2, 3, 4, 5] True
    """
    return _batcher("shuffle", [tensors], batch_size, num_threads, capacity, enqueue_many,
                    shapes, False, allow_smaller_final_batch, shared_name,
                    name or "shuffle_batch", min_after_dequeue, seed)


def batch_join(tensors_list, batch_size, capacity=32, enqueue_many=False, shapes=None,
               dynamic_pad=False, allow_smaller_final_batch=False, shared_name=None,
               name=None):
    """``batch`` over several lists of tensors, one enqueue thread per list.

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default(), tf.Session() as sess:
    ...     a = tf.train.range_input_producer(2, num_epochs=1, shuffle=False).dequeue()
    ...     b = tf.train.range_input_producer(2, num_epochs=1, shuffle=False).dequeue()
    ...     x, src = tf.train.batch_join([[a, "a"], [b, "b"]], batch_size=4)
    ...     sess.run(tf.local_variables_initializer())
    ...     coord = tf.train.Coordinator()
    ...     threads = tf.train.start_queue_runners(sess, coord)
    ...     print(sorted(zip(*[v.tolist() for v in sess.run([x, src])])))
    ...     coord.request_stop(); coord.join(threads)
    [(0, b'a'), (0, b'b'), (1, b'a'), (1, b'b')]
    """
    return _batcher("batch", list(tensors_list), batch_size, 1, capacity, enqueue_many,
                    shapes, dynamic_pad, allow_smaller_final_batch, shared_name,
                    name or "batch_join")


def shuffle_batch_join(tensors_list, batch_size, capacity, min_after_dequeue, seed=None,
                       enqueue_many=False, shapes=None, allow_smaller_final_batch=False,
                       shared_name=None, name=None):
    """``shuffle_batch`` over several lists of tensors, one enqueue thread per list.

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default(), tf.Session() as sess:
    ...     a = tf.train.range_input_producer(3, num_epochs=1, shuffle=False).dequeue()
    ...     b = tf.train.range_input_producer(3, num_epochs=1, shuffle=False).dequeue() + 10
    ...     x, y = tf.train.shuffle_batch_join([[a, -a], [b, -b]], 6, capacity=8,
    ...                                        min_after_dequeue=2)
    ...     sess.run(tf.local_variables_initializer())
    ...     coord = tf.train.Coordinator()
    ...     threads = tf.train.start_queue_runners(sess, coord)
    ...     xs, ys = sess.run([x, y]); print(sorted(xs.tolist()), (ys == -xs).all())
    ...     coord.request_stop(); coord.join(threads)
    [0, 1, 2, 10, 11, 12] True
    """
    return _batcher("shuffle", list(tensors_list), batch_size, 1, capacity, enqueue_many,
                    shapes, False, allow_smaller_final_batch, shared_name,
                    name or "shuffle_batch_join", min_after_dequeue, seed)

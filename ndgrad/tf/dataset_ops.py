"""``tf.data``: ``Dataset`` pipelines over tensors (TF's ``data/ops/dataset_ops.py``) and
their TF 1 graph-mode iterators (``data/ops/iterator_ops.py``).

A dataset is a description: sources (``from_tensor_slices``, ``from_tensors``, ``range``,
``from_generator``)
and transformations (``batch``, ``repeat``, ``shuffle``, ``take``, ``skip``, ``prefetch``,
``zip``, ``concatenate``, ``map``, ``filter``). Its source tensors are graph tensors
(NumPy values become
constants; placeholders are fed when the iterator is initialized). An iterator's state
lives in the Session, as TensorFlow keeps it in the session's resource manager:
``make_initializable_iterator()`` gives ``initializer`` (evaluates the sources and starts
over) and ``get_next()`` (the next element, once per ``session.run`` however often it is
fetched; ``tf.errors.OutOfRangeError`` at the end); ``make_one_shot_iterator()`` starts
on its first ``get_next``; ``Iterator.from_structure(types, shapes)`` makes one that
``make_initializer(dataset)`` switches between datasets of that structure. In eager mode
a dataset is iterated with ``for``.
``map`` and ``filter`` build their function once, on placeholders standing for one
element (in the dataset's graph, as TF traces it into a function), and run that sub-graph
for each element inside the run that asks for it; placeholders the function captures
take the values fed when the iterator was initialized, as TF evaluates captured tensors
at initialization. In eager mode they call the function on each element.
``TextLineDataset`` and ``TFRecordDataset`` read files named by a string scalar or
vector. ``apply``, ``shard``, ``cache`` (in memory) and ``unbatch`` (also
``tf.data.experimental.unbatch()``) are there; ``flat_map`` / ``interleave`` /
``padded_batch`` are not provided (AttributeError).

>>> import ndgrad.tf as tf
>>> ds = tf.data.Dataset.from_tensor_slices(([1, 2, 3, 4, 5], [10, 20, 30, 40, 50]))
>>> x, y = ds.batch(2).make_one_shot_iterator().get_next()
>>> with tf.Session() as sess:
...     print(sess.run([x, y]), sess.run(x + y))
[array([1, 2], dtype=int32), array([10, 20], dtype=int32)] [33 44]
"""
from __future__ import annotations

import itertools
import threading

import numpy as np

from ..graph import errors as _errors
from ..graph.core import Tensor, get_default_graph
from ..graph.shape import TensorShape
from . import dtypes as _tfd
from .framework import _strings, convert_to_tensor, executing_eagerly

__all__ = ["Dataset", "Iterator", "make_one_shot_iterator", "make_initializable_iterator",
           "TextLineDataset", "TFRecordDataset"]


# -- element structures: a tensor, a tuple (nested) or a dict of them -------------------

def _flatten(s):
    if isinstance(s, tuple):
        return [x for e in s for x in _flatten(e)]
    if isinstance(s, dict):
        return [x for k in sorted(s) for x in _flatten(s[k])]
    return [s]


def _pack(template, flat):
    it = iter(flat)

    def go(t):
        if isinstance(t, tuple):
            return tuple(go(e) for e in t)
        if isinstance(t, dict):
            return {k: go(t[k]) for k in sorted(t)}
        return next(it)
    return go(template)


def _same_structure(a, b):
    if isinstance(a, tuple) or isinstance(b, tuple):
        return isinstance(a, tuple) and isinstance(b, tuple) and len(a) == len(b) and all(
            _same_structure(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) or isinstance(b, dict):
        return isinstance(a, dict) and isinstance(b, dict) and sorted(a) == sorted(b) and \
            all(_same_structure(a[k], b[k]) for k in a)
    return True


def _as_structure(value):
    """``value`` with lists of tensors read as tuples only at the top of a tuple/dict, as
    TF's nest does (a Python list is one tensor)."""
    if isinstance(value, tuple):
        return tuple(_as_structure(v) for v in value)
    if isinstance(value, dict):
        return {k: _as_structure(v) for k, v in value.items()}
    return value


def _shape_of(t):
    if isinstance(t, Tensor):
        return t._shape
    return tuple(np.shape(t))


def _values(tensors):
    """Eager tensors' values (eager mode's sources)."""
    return [np.asarray(t) for t in tensors]


# -- datasets ----------------------------------------------------------------------------

class _Typed:
    """TF 1's ``output_types`` / ``output_shapes`` of an element structure (``_structure``,
    ``_types``, ``_shapes``): what datasets and iterators both report."""

    @property
    def output_types(self):
        return _pack(self._structure, [_tfd.as_dtype(t) for t in self._types])

    @property
    def output_shapes(self):
        return _pack(self._structure, [TensorShape(None if s is None else list(s))
                                       for s in self._shapes])


class Dataset(_Typed):
    """A pipeline of elements (see the module docstring). Subclasses give ``_types``
    (NumPy dtypes), ``_shapes`` (tuples, None for an unknown dimension or rank),
    ``_structure`` (the element's template) and ``_run(env)``: a Python iterator over flat
    tuples of NumPy arrays, ``env`` mapping each source to its evaluated tensors and each
    shuffle to its random state.

    >>> import ndgrad.tf as tf
    >>> ds = tf.data.Dataset.range(10).filter(lambda x: tf.equal(x % 3, 0)).map(lambda x: x * 2)
    >>> x = ds.batch(3).make_one_shot_iterator().get_next()
    >>> with tf.Session() as sess:
    ...     print(sess.run(x), sess.run(x))
    [ 0  6 12] [18]
    """

    _children: tuple = ()

    # sources
    @staticmethod
    def from_tensor_slices(tensors):
        """The slices of ``tensors`` (a tensor, tuple or dict of them) along dimension 0."""
        return _TensorSlices(tensors)

    @staticmethod
    def from_tensors(tensors):
        """One element: ``tensors``."""
        return _Tensors(tensors)

    @staticmethod
    def from_generator(generator, output_types, output_shapes=None, args=None):
        """The elements ``generator(*args)`` yields, called anew each time an iterator
        starts (``args``: tensors, evaluated then and passed as NumPy values). Each element
        has the structure of ``output_types`` (a dtype, or a tuple or dict of them) and is
        converted as TF does (``np.asarray(value, dtype)``: a float array asked for as
        int32 is cast); one of another structure, dtype or a shape incompatible with
        ``output_shapes`` (default: unknown) stops the run with TF's
        ``InvalidArgumentError``.

        >>> import ndgrad.tf as tf
        >>> def gen():
        ...     for i in range(3):
        ...         yield i, [i] * i
        >>> ds = tf.data.Dataset.from_generator(gen, (tf.int64, tf.int32),
        ...                                     (tf.TensorShape([]), tf.TensorShape([None])))
        >>> i, v = ds.make_one_shot_iterator().get_next()
        >>> with tf.Session() as sess:
        ...     for _ in range(3):
        ...         a, b = sess.run([i, v])
        ...         print(a, b, b.dtype)
        0 [] int32
        1 [1] int32
        2 [2 2] int32
        """
        return _Generator(generator, output_types, output_shapes, args)

    @staticmethod
    def range(*args):
        """int64 scalars ``range(start, stop, step)`` as Python's ``range``."""
        return _Range(*args)

    @staticmethod
    def zip(datasets):
        """Elements of a tuple (or dict) of datasets side by side, as long as the shortest."""
        return _Zip(datasets)

    # transformations
    def batch(self, batch_size, drop_remainder=False):
        """``batch_size`` consecutive elements stacked along a new dimension 0 (the last
        batch smaller unless ``drop_remainder``)."""
        return _Batch(self, batch_size, drop_remainder)

    def repeat(self, count=None):
        """The elements ``count`` times (``None`` or -1: forever)."""
        return _Repeat(self, count)

    def shuffle(self, buffer_size, seed=None, reshuffle_each_iteration=None):
        """Elements drawn at random from a buffer of ``buffer_size`` (TF's algorithm; the
        random stream is ndgrad's, seeded from the graph and op seeds as TF's ops are)."""
        return _Shuffle(self, buffer_size, seed, reshuffle_each_iteration)

    def take(self, count):
        """The first ``count`` elements (-1: all)."""
        return _Take(self, count)

    def skip(self, count):
        """All but the first ``count`` elements (-1: none)."""
        return _Skip(self, count)

    def prefetch(self, buffer_size):
        """The same elements (elements are made when asked for; nothing runs ahead)."""
        return _Prefetch(self)

    def map(self, map_func, num_parallel_calls=None):
        """Elements ``map_func(element)`` (a tuple element is passed as positional
        arguments, as TF does); ``num_parallel_calls`` changes nothing here."""
        return _Map(self, map_func)

    def filter(self, predicate):
        """The elements for which ``predicate(element)`` (a bool scalar) is true."""
        return _Filter(self, predicate)

    def concatenate(self, dataset):
        """This dataset's elements, then ``dataset``'s (same structure and dtypes)."""
        return _Concatenate(self, dataset)

    def apply(self, transformation_func):
        """``transformation_func(self)``, which must give a dataset (``tf.data.
        experimental``'s transformations are such functions).

        >>> import ndgrad.tf as tf
        >>> ds = tf.data.Dataset.range(6).batch(4).apply(tf.data.experimental.unbatch())
        >>> x = ds.make_one_shot_iterator().get_next()
        >>> with tf.Session() as sess:
        ...     print([int(sess.run(x)) for _ in range(6)])
        [0, 1, 2, 3, 4, 5]
        """
        out = transformation_func(self)
        if not isinstance(out, Dataset):
            raise TypeError(f"`transformation_func` must return a Dataset, got {out!r}")
        return out

    def shard(self, num_shards, index):
        """Every ``num_shards``-th element, starting at element ``index`` (one worker's
        share).

        >>> import ndgrad.tf as tf
        >>> x = tf.data.Dataset.range(10).shard(3, 1).make_one_shot_iterator().get_next()
        >>> with tf.Session() as sess:
        ...     print([int(sess.run(x)) for _ in range(3)])
        [1, 4, 7]
        """
        return _Shard(self, num_shards, index)

    def cache(self, filename=""):
        """The same elements, computed once: an iterator's first full pass keeps them in
        memory and every later pass (``cache().repeat()``) gives the kept ones, so an
        upstream ``shuffle`` or random ``map`` is not run again (TF's ``cache``; a pass
        that stops early keeps nothing). A ``filename`` (TF's cache on disk) is refused.

        >>> import ndgrad.tf as tf
        >>> x = tf.data.Dataset.range(3).cache().repeat(2).make_one_shot_iterator().get_next()
        >>> with tf.Session() as sess:
        ...     print([int(sess.run(x)) for _ in range(6)])
        [0, 1, 2, 0, 1, 2]
        """
        if filename:
            raise ValueError(f"Dataset.cache({filename!r}): a cache on disk is not "
                             "supported; cache() keeps the elements in memory")
        return _Cache(self)

    def unbatch(self):
        """The rows of each element's components (dimension 0 split off), one element
        each: ``batch``'s inverse.

        >>> import ndgrad.tf as tf
        >>> x = tf.data.Dataset.range(5).batch(2).unbatch().make_one_shot_iterator().get_next()
        >>> with tf.Session() as sess:
        ...     print([int(sess.run(x)) for _ in range(5)])
        [0, 1, 2, 3, 4]
        """
        return _Unbatch(self)

    # TF 1 properties and iterators
    def make_one_shot_iterator(self):
        """An iterator that starts on its first ``get_next``."""
        return Iterator(self, one_shot=True)

    def make_initializable_iterator(self, shared_name=None):
        """An iterator started (and restarted) by running its ``initializer``."""
        return Iterator(self, one_shot=False)

    def __iter__(self):
        if not executing_eagerly():
            raise RuntimeError("`tf.data.Dataset` only supports Python-style iteration in "
                               "eager mode or within tf.function.")
        env = {src: _values(src._tensors) for src in self._sources()}
        env["eager"] = True
        for flat in self._run(env):
            yield _pack(self._structure, [convert_to_tensor(v) for v in flat])

    # internals
    def _sources(self):
        out = []
        for d in self._walk():
            if isinstance(d, _Source) and d not in out:
                out.append(d)
        return out

    def _walk(self):
        yield self
        for c in self._children:
            yield from c._walk()

    def _start(self, source_values):
        """(a Python iterator over the flat elements, its environment: the caller puts
        the current run's context under ``"ctx"`` before each ``next``)."""
        env = dict(zip(self._sources(), source_values))
        return self._run(env), env


class _Source(Dataset):
    def __init__(self, tensors):
        self._structure = _as_structure(tensors)
        flat = _flatten(self._structure)
        self._tensors = [convert_to_tensor(t) for t in flat]
        self._types = [np.dtype(_tfd.as_dtype(t.dtype).as_numpy_dtype) for t in self._tensors]


class _TensorSlices(_Source):
    def __init__(self, tensors):
        super().__init__(tensors)
        shapes = [_shape_of(t) for t in self._tensors]
        for t, s in zip(self._tensors, shapes):
            if s is not None and len(s) == 0:
                raise ValueError(f"Unbatching a tensor is only supported for rank >= 1 "
                                 f"(from_tensor_slices got a scalar of dtype {t.dtype})")
        lead = {s[0] for s in shapes if s is not None and s[0] is not None}
        if len(lead) > 1:
            raise ValueError(f"Dimensions {sorted(lead)} are not compatible: every "
                             f"component of from_tensor_slices needs the same dimension 0 "
                             f"(shapes {[list(s) for s in shapes]})")
        self._shapes = [None if s is None else tuple(s[1:]) for s in shapes]

    def _run(self, env):
        vals = env[self]
        n = {v.shape[0] if v.ndim else None for v in vals}
        if None in n or len(n) != 1:
            raise _errors.InvalidArgumentError(
                None, None, f"from_tensor_slices: all components need the same dimension "
                f"0 and rank >= 1, got shapes {[list(v.shape) for v in vals]}")
        for i in range(n.pop()):
            yield tuple(v[i] for v in vals)


class _Tensors(_Source):
    def __init__(self, tensors):
        super().__init__(tensors)
        self._shapes = [_shape_of(t) for t in self._tensors]

    def _run(self, env):
        yield tuple(env[self])


def _flatten_up_to(template, value, what):
    """``value``'s leaves at ``template``'s (a tuple or dict structure) leaves, as TF's
    ``nest.flatten_up_to``: sequences of the same type and length, dicts with the same
    keys; a TypeError naming ``what`` otherwise."""
    if isinstance(template, tuple):
        if not isinstance(value, tuple) or len(value) != len(template):
            raise TypeError(what)
        return [x for t, v in zip(template, value) for x in _flatten_up_to(t, v, what)]
    if isinstance(template, dict):
        if not isinstance(value, dict) or sorted(value) != sorted(template):
            raise TypeError(what)
        return [x for k in sorted(template) for x in _flatten_up_to(template[k], value[k],
                                                                     what)]
    return [value]


def _tuples(structure):
    """A structure of dtypes or shapes with its lists read as tuples (TF's nest treats
    both as sequences); a TensorShape or a list of dimensions is one leaf for shapes."""
    if isinstance(structure, (tuple, list)):
        return tuple(_tuples(e) for e in structure)
    if isinstance(structure, dict):
        return {k: _tuples(v) for k, v in structure.items()}
    return structure


class _Generator(_Source):
    def __init__(self, generator, output_types, output_shapes=None, args=None):
        if not callable(generator):
            raise TypeError(f"`generator` must be callable, got {generator!r}")
        super().__init__(tuple(args) if args is not None else ())
        self._gen = generator
        self._structure = _tuples(output_types)
        flat_types = _flatten(self._structure)
        self._types = [np.dtype(_tfd.as_dtype(t).as_numpy_dtype) for t in flat_types]
        if output_shapes is None:
            self._tshapes = [TensorShape(None)] * len(flat_types)
        else:
            # (a shape is a leaf: a TensorShape, or a list or tuple of dimensions)
            def shape_leaves(tmpl, shp):
                if isinstance(tmpl, tuple):
                    if not isinstance(shp, (tuple, list)) or len(shp) != len(tmpl):
                        raise TypeError(f"`output_shapes` must have the structure of "
                                        f"`output_types` ({output_types}), got "
                                        f"{output_shapes}")
                    return [x for t, v in zip(tmpl, shp) for x in shape_leaves(t, v)]
                if isinstance(tmpl, dict):
                    if not isinstance(shp, dict) or sorted(shp) != sorted(tmpl):
                        raise TypeError(f"`output_shapes` must have the keys of "
                                        f"`output_types` ({sorted(tmpl)}), got "
                                        f"{output_shapes}")
                    return [x for k in sorted(tmpl) for x in shape_leaves(tmpl[k], shp[k])]
                return [TensorShape(shp)]
            self._tshapes = shape_leaves(self._structure, output_shapes)
        self._shapes = [None if s.dims is None else tuple(s.as_list())
                        for s in self._tshapes]

    def _run(self, env):
        args = env[self] if self._tensors else ()
        what = None
        for value in self._gen(*args):
            try:
                flat = _flatten_up_to(self._structure, value, "")
            except TypeError:
                raise _errors.InvalidArgumentError(
                    None, None, f"TypeError: `generator` yielded an element that did not "
                    f"match the expected structure. The expected structure was "
                    f"{self.output_types}, but the yielded element was {value}.") from None
            out = []
            for v, dt, shape in zip(flat, self._types, self._tshapes):
                try:
                    a = _generated(v, dt)
                except (TypeError, ValueError):
                    what = _tfd.as_dtype(dt).name
                    raise _errors.InvalidArgumentError(
                        None, None, f"TypeError: `generator` yielded an element that "
                        f"could not be converted to the expected type. The expected type "
                        f"was {what}, but the yielded element was {v}.") from None
                if not shape.is_compatible_with(a.shape):
                    raise _errors.InvalidArgumentError(
                        None, None, f"ValueError: `generator` yielded an element of shape "
                        f"{a.shape} where an element of shape {shape} was expected.")
                out.append(a)
            yield tuple(out)


def _generated(v, dt):
    """A generated value as TF converts it: a NumPy value by ``np.asarray(v, dt)`` (TF's
    ``FuncRegistry._convert``: a float array asked for as int32 is cast, as a fed one is);
    a Python number or list by ``convert_to_tensor``'s rules, which refuse a float for an
    integer dtype, a complex for a real one and a string for a number (TF 2.15), and here
    an int out of the dtype's range too (TF 2.15 wraps it silently); strings become bytes
    objects."""
    if dt == object:
        if np.asarray(v).dtype.kind not in "USO":
            raise TypeError(f"not a string: {v!r}")
        return _strings(v)
    if not isinstance(v, (np.ndarray, np.generic)):
        a = np.asarray(v)
        if a.size and (a.dtype.kind in "USO" or (a.dtype.kind in "fc" and dt.kind in "biu")
                       or (a.dtype.kind == "c" and dt.kind == "f")):
            raise TypeError(f"{v!r} is not a {dt.name} value")
        if a.dtype.kind in "iu" and dt.kind in "iu":
            info = np.iinfo(dt)
            if a.size and (a.min() < info.min or a.max() > info.max):
                raise ValueError(f"{v!r} is out of {dt.name}'s range")
    return np.asarray(v, dtype=dt, order="C")


class _Range(_Source):
    def __init__(self, *args):
        if not 1 <= len(args) <= 3:
            raise ValueError(f"Dataset.range takes 1 to 3 arguments (start, stop, step), "
                             f"got {len(args)}")
        super().__init__(tuple(np.int64(a) if not isinstance(a, Tensor) else a
                               for a in args))
        self._structure = 0   # the element is one scalar, not the argument tuple
        self._types, self._shapes = [np.dtype(np.int64)], [()]

    def _run(self, env):
        r = range(*(int(v) for v in env[self]))
        for i in r:
            yield (np.int64(i),)


class _FileSource(_Source):
    """Elements read from the files a string scalar or vector names, one file after the
    other (``TextLineDataset``, ``TFRecordDataset``); each element one string."""

    def __init__(self, filenames, compression_type):
        comp = compression_type or ""
        if comp not in ("", "GZIP", "ZLIB"):
            raise ValueError(f"compression_type must be '', 'GZIP' or 'ZLIB', got "
                             f"{compression_type!r}")
        self._compression = comp
        super().__init__((convert_to_tensor(filenames, dtype=_tfd.string),))
        s = _shape_of(self._tensors[0])
        if s is not None and len(s) > 1:
            raise ValueError(f"filenames must be a string scalar or vector, got shape "
                             f"{list(s)}")
        self._structure = 0
        self._types, self._shapes = [np.dtype(object)], [()]

    def _run(self, env):
        names = np.asarray(env[self][0], dtype=object).reshape(-1)
        for name in names.tolist():
            path = name.decode("utf-8") if isinstance(name, bytes) else str(name)
            for item in self._read(path):
                yield (item,)

    def _bytes(self, path):
        import gzip
        import zlib
        try:
            with open(path, "rb") as f:
                raw = f.read()
        except FileNotFoundError:
            raise _errors.NotFoundError(None, None, f"{path}; No such file or directory") \
                from None
        try:
            if self._compression == "GZIP":
                return gzip.decompress(raw)
            if self._compression == "ZLIB":
                return zlib.decompress(raw)
        except (OSError, EOFError, zlib.error) as e:
            raise _errors.DataLossError(None, None, f"{path}: not {self._compression}-"
                                                    f"compressed ({e})") from None
        return raw


class _TextLine(_FileSource):
    def _read(self, path):
        data = self._bytes(path)
        lines = data.split(b"\n")
        if lines and lines[-1] == b"":
            lines.pop()     # (a final newline ends the last line; no empty line after it)
        for line in lines:
            yield line[:-1] if line.endswith(b"\r") else line   # (TF's ReadLine: \r\n too)


class _TFRecord(_FileSource):
    def _read(self, path):
        from . import tf_record
        import os
        if not os.path.exists(path):
            raise _errors.NotFoundError(None, None, f"{path}; No such file or directory")
        for _, rec in tf_record.read_records(path, self._compression or None):
            yield rec


def TextLineDataset(filenames, compression_type=None, buffer_size=None):  # noqa: N802
    r"""The lines of one or more text files (without their ``\n`` or ``\r\n``), one
    string element each (``compression_type``: ``"GZIP"``, ``"ZLIB"``).

    >>> import os, tempfile, ndgrad.tf as tf
    >>> path = os.path.join(tempfile.mkdtemp(), "a.txt")
    >>> _ = open(path, "w").write("x,1\ny,2\n")
    >>> line = tf.data.TextLineDataset(path).make_one_shot_iterator().get_next()
    >>> with tf.Session() as s:
    ...     print(s.run(line), s.run(line))
    b'x,1' b'y,2'
    """
    return _TextLine(filenames, compression_type)


def TFRecordDataset(filenames, compression_type=None, buffer_size=None,  # noqa: N802
                    num_parallel_reads=None):
    """The records of one or more TFRecord files, one string element each, their CRCs
    checked (``compression_type``: ``"GZIP"``, ``"ZLIB"``).

    >>> import os, tempfile, ndgrad.tf as tf
    >>> path = os.path.join(tempfile.mkdtemp(), "r.tfrecord")
    >>> with tf.python_io.TFRecordWriter(path) as w:
    ...     w.write(b"first"); w.write(b"second")
    >>> rec = tf.data.TFRecordDataset([path]).make_one_shot_iterator().get_next()
    >>> with tf.Session() as s:
    ...     print(s.run(rec), s.run(rec))
    b'first' b'second'
    """
    return _TFRecord(filenames, compression_type)


class _Unary(Dataset):
    def __init__(self, child):
        self._child = child
        self._children = (child,)
        self._structure, self._types, self._shapes = \
            child._structure, child._types, child._shapes


class _Prefetch(_Unary):
    def _run(self, env):
        return self._child._run(env)


def _count(count, what):
    c = -1 if count is None else int(count)
    if c < -1:
        raise ValueError(f"{what} count must be -1 (all) or >= 0, got {c}")
    return c


class _Repeat(_Unary):
    def __init__(self, child, count):
        super().__init__(child)
        self._n = _count(count, "repeat")

    def _run(self, env):
        for _ in (itertools.count() if self._n == -1 else range(self._n)):
            empty = True
            for e in self._child._run(env):
                empty = False
                yield e
            if empty:  # as TF: an empty input repeated forever is empty
                return


class _Take(_Unary):
    def __init__(self, child, count):
        super().__init__(child)
        self._n = _count(count, "take")

    def _run(self, env):
        it = self._child._run(env)
        return it if self._n == -1 else itertools.islice(it, self._n)


class _Skip(_Unary):
    def __init__(self, child, count):
        super().__init__(child)
        self._n = _count(count, "skip")

    def _run(self, env):
        it = self._child._run(env)
        if self._n == -1:
            return iter(())
        return itertools.islice(it, self._n, None)


class _Batch(_Unary):
    def __init__(self, child, batch_size, drop_remainder):
        super().__init__(child)
        self._n = int(batch_size)
        if self._n <= 0:
            raise ValueError(f"Batch size must be greater than zero, got {self._n}")
        self._drop = bool(drop_remainder)
        lead = self._n if self._drop else None
        self._shapes = [None if s is None else (lead,) + tuple(s) for s in child._shapes]

    def _run(self, env):
        it = self._child._run(env)
        while True:
            rows = list(itertools.islice(it, self._n))
            if not rows or (self._drop and len(rows) < self._n):
                return
            out = []
            for i, dt in enumerate(self._types):
                parts = [np.asarray(r[i]) for r in rows]
                for j, p in enumerate(parts[1:], 1):
                    if p.shape != parts[0].shape:
                        raise _errors.InvalidArgumentError(
                            None, None, f"Cannot batch tensors with different shapes in "
                            f"component {i}. First element had shape {list(parts[0].shape)}"
                            f" and element {j} had shape {list(p.shape)}.")
                out.append(np.stack(parts).astype(dt, copy=False))
            yield tuple(out)


class _Shard(_Unary):
    def __init__(self, child, num_shards, index):
        super().__init__(child)
        n, i = _int_arg(num_shards, "num_shards"), _int_arg(index, "index")
        if n <= 0:
            raise _errors.InvalidArgumentError(
                None, None, f"Number of shards must be greater than zero (got {n}).")
        if not 0 <= i < n:
            raise _errors.InvalidArgumentError(
                None, None, f"Index must be between 0 and {n - 1} (currently index = {i}).")
        self._n, self._i = n, i

    def _run(self, env):
        return itertools.islice(self._child._run(env), self._i, None, self._n)


def _int_arg(v, what):
    """A Python int from an integer (a 0-d integer array, a constant tensor)."""
    from .._ops._common import integer_arg
    if isinstance(v, Tensor):
        from .tensor_util import constant_value
        c = constant_value(v)
        if c is None:
            raise TypeError(f"{what} must be known when the dataset is built; got {v!r}")
        v = c
    return integer_arg(v, what)


class _Cache(_Unary):
    def _run(self, env):
        key = ("cache", self)
        kept = env.get(key)
        if kept is not None:
            yield from kept
            return
        rows = []
        for e in self._child._run(env):
            rows.append(e)
            yield e
        env[key] = rows        # (a full pass: later passes give these)


class _Unbatch(_Unary):
    def __init__(self, child):
        super().__init__(child)
        for s in child._shapes:
            if s is not None and len(s) == 0:
                raise ValueError("Cannot unbatch an input with scalar components.")
        self._shapes = [None if s is None else tuple(s)[1:] for s in child._shapes]

    def _run(self, env):
        for e in self._child._run(env):
            parts = [np.asarray(c) for c in e]
            n = None
            for i, p in enumerate(parts):
                if p.ndim == 0:
                    raise _errors.InvalidArgumentError(
                        None, None, "Input element must have a non-scalar value in each "
                        f"component (component {i} is a scalar).")
                if n is None:
                    n = p.shape[0]
                elif p.shape[0] != n:
                    raise _errors.InvalidArgumentError(
                        None, None, "Input element must have the same batch size in each "
                        f"component. Component 0 had size {n} but component {i} had "
                        f"size {p.shape[0]}.")
            for r in range(n or 0):
                yield tuple(p[r] for p in parts)


def unbatch():
    """``tf.data.experimental.unbatch()``: a transformation for ``Dataset.apply`` that
    splits each element's components along dimension 0 (``Dataset.unbatch``).

    >>> import ndgrad.tf as tf
    >>> ds = tf.data.Dataset.from_tensors([[1, 2], [3, 4]]).apply(
    ...     tf.data.experimental.unbatch())
    >>> x = ds.make_one_shot_iterator().get_next()
    >>> with tf.Session() as sess:
    ...     print(sess.run(x), sess.run(x))
    [1 2] [3 4]
    """
    return lambda dataset: dataset.unbatch()


class _Shuffle(_Unary):
    def __init__(self, child, buffer_size, seed, reshuffle):
        super().__init__(child)
        self._size = int(buffer_size)
        if self._size <= 0:
            raise ValueError(f"buffer_size must be greater than zero, got {self._size}")
        from .random_ops import _seeds
        self._seeds = _seeds(get_default_graph(), seed) if not executing_eagerly() else (
            None if seed is None else [seed])
        self._reshuffle = True if reshuffle is None else bool(reshuffle)

    def _rng(self, env):
        key = ("rng", self)
        if not self._reshuffle or key not in env:
            env[key] = np.random.default_rng(self._seeds)
        return env[key]

    def _run(self, env):
        rng = self._rng(env)
        it = self._child._run(env)
        buf = list(itertools.islice(it, self._size))
        while buf:
            i = int(rng.integers(len(buf)))
            out = buf[i]
            nxt = next(it, None)
            if nxt is None:
                buf[i] = buf[-1]
                buf.pop()
            else:
                buf[i] = nxt
            yield out


class _Function:
    """A dataset function applied to one element: built once on placeholders in graph
    mode (run per element with ``ctx.run_sub``), called directly in eager mode."""

    def __init__(self, child, fn, what):
        self._fn, self._child, self._what = fn, child, what
        self._graph = None
        if executing_eagerly():
            return
        from .state_ops import placeholder
        g = get_default_graph()
        self._graph = g
        self._args = [placeholder(_tfd.as_dtype(dt), shape=None if sh is None else list(sh),
                                  name=f"{what}_arg")
                      for dt, sh in zip(child._types, child._shapes)]
        out = self._call(_pack(child._structure, self._args))
        self._structure = _as_structure(out)
        self._outs = [convert_to_tensor(t) for t in _flatten(self._structure)]

    def _call(self, element):
        if isinstance(element, tuple):
            return self._fn(*element)
        return self._fn(element)

    def __call__(self, env, flat):
        """The function's flat outputs (NumPy) on the flat element ``flat``."""
        if env.get("eager"):
            out = self._call(_pack(self._child._structure,
                                   [convert_to_tensor(v) for v in flat]))
            return [np.asarray(v) for v in _flatten(_as_structure(out))]
        feeds = dict(env["feeds"])   # captured placeholders: the initializer's feeds
        feeds.update(zip(self._args, flat))
        ctx = env["ctx"]
        return [np.asarray(v) for v in ctx.run_sub(self._outs, feeds)]


class _Map(_Unary):
    def __init__(self, child, fn):
        super().__init__(child)
        self._f = _Function(child, fn, "map")
        if self._f._graph is not None:
            self._structure = self._f._structure
            self._types = [np.dtype(_tfd.as_dtype(t.dtype).as_numpy_dtype)
                           for t in self._f._outs]
            self._shapes = [_shape_of(t) for t in self._f._outs]
        else:  # eager: the structure of the first element's result
            first = next(iter(child._run({**{src: _values(src._tensors)
                                               for src in child._sources()},
                                            "eager": True})), None)
            if first is None:
                raise ValueError("map in eager mode on an empty dataset: the element "
                                 "structure is unknown")
            out = self._f._call(_pack(child._structure, [convert_to_tensor(v)
                                                         for v in first]))
            self._structure = _as_structure(out)
            vals = [np.asarray(v) for v in _flatten(self._structure)]
            self._types = [v.dtype for v in vals]
            self._shapes = [None for _ in vals]

    def _run(self, env):
        for flat in self._child._run(env):
            yield tuple(self._f(env, flat))


class _Filter(_Unary):
    def __init__(self, child, predicate):
        super().__init__(child)
        self._f = _Function(child, predicate, "filter")
        if self._f._graph is not None:
            outs = self._f._outs
            if len(outs) != 1 or outs[0]._np_dtype != np.bool_ or outs[0]._shape not in (
                    (), None):
                raise ValueError(f"filter's predicate must return a bool scalar tensor, "
                                 f"got {outs}")

    def _run(self, env):
        for flat in self._child._run(env):
            keep = self._f(env, flat)
            if len(keep) != 1 or keep[0].shape != () or keep[0].dtype != np.bool_:
                raise _errors.InvalidArgumentError(
                    None, None, f"filter's predicate must return a bool scalar, got "
                    f"{[(v.dtype.name, list(v.shape)) for v in keep]}")
            if keep[0]:
                yield flat


def _check_same(a, b, what):
    if a._types != b._types or _flatten_shape_ranks(a) != _flatten_shape_ranks(b) or \
            type(a._structure) is not type(b._structure):
        raise TypeError(f"{what}: the datasets' elements differ: types "
                        f"{[t.name for t in a._types]} vs {[t.name for t in b._types]}, "
                        f"shapes {a._shapes} vs {b._shapes}")


def _flatten_shape_ranks(d):
    return [None if s is None else len(s) for s in d._shapes]


class _Concatenate(Dataset):
    def __init__(self, a, b):
        _check_same(a, b, "concatenate")
        self._children = (a, b)
        self._structure, self._types = a._structure, a._types
        self._shapes = [None if sa is None or sb is None else
                        tuple(x if x == y else None for x, y in zip(sa, sb))
                        for sa, sb in zip(a._shapes, b._shapes)]

    def _run(self, env):
        yield from self._children[0]._run(env)
        yield from self._children[1]._run(env)


class _Zip(Dataset):
    def __init__(self, datasets):
        if isinstance(datasets, Dataset) or not isinstance(datasets, (tuple, dict)):
            raise TypeError(f"Dataset.zip takes a tuple or dict of datasets, got "
                            f"{type(datasets).__name__}")
        flat = _flatten(datasets)
        if not all(isinstance(d, Dataset) for d in flat):
            raise TypeError("Dataset.zip: every item must be a Dataset")
        self._children = tuple(flat)
        self._structure = _pack(datasets, [d._structure for d in flat])
        self._types = [t for d in flat for t in d._types]
        self._shapes = [s for d in flat for s in d._shapes]

    def _run(self, env):
        for parts in zip(*(d._run(env) for d in self._children)):
            yield tuple(x for p in parts for x in p)


# -- iterators (graph mode) --------------------------------------------------------------

class _IteratorState:
    def __init__(self):
        self.gen = self.env = None
        self.lock = threading.Lock()


class Iterator(_Typed):
    """A TF 1 iterator: ``get_next()``, ``initializer`` (see the module docstring),
    ``output_types`` / ``output_shapes``; ``Iterator.from_structure`` makes one that any
    dataset of that structure initializes (``make_initializer``), as TF's reinitializable
    iterators.

    >>> import ndgrad.tf as tf
    >>> it = tf.data.Iterator.from_structure(tf.int64, [])
    >>> x = it.get_next()
    >>> init_a = it.make_initializer(tf.data.Dataset.range(3))
    >>> init_b = it.make_initializer(tf.data.Dataset.range(10, 12))
    >>> with tf.Session() as sess:
    ...     sess.run(init_a); print(sess.run(x), sess.run(x))
    ...     sess.run(init_b); print(sess.run(x), sess.run(x))
    0 1
    10 11
    """

    def __init__(self, dataset, one_shot):
        self._setup(dataset._structure, dataset._types, dataset._shapes,
                    "OneShotIterator" if one_shot else "IteratorV2")
        self._one_shot = dataset if one_shot else None
        self._initializer = None if one_shot else self.make_initializer(dataset)

    def _setup(self, structure, types, shapes, kind):
        if executing_eagerly():
            raise RuntimeError("dataset iterators are graph-mode objects: in eager mode, "
                               "iterate the dataset with `for element in dataset`")
        g = self._graph = get_default_graph()
        self._structure, self._types, self._shapes = structure, list(types), list(shapes)

        def handle_fn(ctx):
            h = np.empty((), dtype=object)
            h[()] = ctx.session.resource(handle, _IteratorState)
            return h
        handle = g.special_op(kind, kind, (), handle_fn, [((), np.dtype(object))])
        self._handle = handle.outputs[0]

    @staticmethod
    def from_structure(output_types, output_shapes=None, shared_name=None,
                       output_classes=None):
        """An iterator for elements of this structure, started by
        ``make_initializer(dataset)`` of any dataset with the same types."""
        structure = _as_structure(output_types)
        types = [np.dtype(_tfd.as_dtype(t).as_numpy_dtype) for t in _flatten(structure)]
        if output_shapes is None:
            shapes = [None] * len(types)
        else:
            flat = _flatten(_as_structure(output_shapes))
            if len(flat) != len(types):
                raise ValueError(f"output_shapes has {len(flat)} components, output_types "
                                 f"{len(types)}")
            shapes = [None if TensorShape(sh).ndims is None else tuple(TensorShape(sh)
                                                                        .as_list())
                      for sh in flat]
        it = Iterator.__new__(Iterator)
        it._setup(structure, types, shapes, "Iterator")
        it._one_shot, it._initializer = None, None
        return it

    def make_initializer(self, dataset, name=None):
        """An op that (re)starts this iterator on ``dataset`` (same structure and types;
        shapes compatible)."""
        if not _same_structure(self._structure, dataset._structure):
            raise ValueError(f"The two structures don't have the same nested structure: "
                             f"the iterator's elements are {self.output_types}, the "
                             f"dataset's {dataset.output_types}")
        if dataset._types != self._types:
            raise TypeError(f"Expected output types {[t.name for t in self._types]} but got "
                            f"dataset with output types {[t.name for t in dataset._types]}.")
        for a, b in zip(self._shapes, dataset._shapes):
            if a is not None and b is not None and (len(a) != len(b) or any(
                    x is not None and y is not None and x != y for x, y in zip(a, b))):
                raise TypeError(f"Expected output shapes compatible with {self._shapes} "
                                f"but got dataset with output shapes {dataset._shapes}.")
        tensors, start = self._inputs(dataset)

        def init_fn(ctx, h, *vals):
            if ctx.replay(init) is None:
                st = h[()]
                with st.lock:
                    st.gen, st.env = start(vals)
                    st.env["feeds"] = ctx.fed()
                ctx.record(init, True)
            return ()
        init = self._graph.special_op("MakeIterator", name or "MakeIterator",
                                      (self._handle, *tensors), init_fn, [])
        return init

    @staticmethod
    def _inputs(dataset):
        """(the dataset's source tensors, a function starting it on their values)."""
        sources = dataset._sources()
        tensors = [t for src in sources for t in src._tensors]
        ends = list(itertools.accumulate(len(src._tensors) for src in sources))
        splits = list(zip([0] + ends[:-1], ends))

        def start(vals):
            return dataset._start([[np.asarray(v) for v in vals[a:b]] for a, b in splits])
        return tensors, start

    @property
    def initializer(self):
        if self._initializer is None:
            raise ValueError("Iterator does not have an initializer: a one-shot iterator "
                             "starts on its first get_next(), one made by from_structure "
                             "by make_initializer(dataset)")
        return self._initializer

    def get_next(self, name=None):
        """The next element (tensors in the dataset's structure); each ``session.run``
        that fetches it advances the iterator once."""
        g, types, shapes = self._graph, self._types, self._shapes
        if self._one_shot is not None:
            tensors, start = self._inputs(self._one_shot)
        else:
            tensors, start = [], None

        def fn(ctx, h, *vals):
            done = ctx.replay(op)
            if done is not None:
                return done
            st = h[()]
            with st.lock:
                if st.gen is None:
                    if start is None:
                        raise _errors.FailedPreconditionError(
                            None, op, "GetNext() failed because the iterator has not been "
                            "initialized. Ensure that you have run the initializer "
                            "operation for this iterator before getting the next element.")
                    st.gen, st.env = start(vals)
                    st.env["feeds"] = ctx.fed()
                st.env["ctx"] = ctx
                try:
                    flat = next(st.gen)
                except StopIteration:
                    raise _errors.OutOfRangeError(None, op, "End of sequence") from None
                except _errors.OpError:
                    raise
                except Exception as e:
                    # Python code of the pipeline (a generator, a map function) raised:
                    # an OpError now, as TF's py_func reports it -- a later retry of this
                    # step (the session's search for the failing step) would meet a
                    # finished generator and report the end of the data instead
                    raise _errors.from_python(op, e) from e
                finally:
                    st.env.pop("ctx", None)
            out = [np.asarray(v, dtype=dt) for v, dt in zip(flat, types)]
            for v, s, i in zip(out, shapes, itertools.count()):
                if s is not None and (v.ndim != len(s) or any(
                        d is not None and d != e for d, e in zip(s, v.shape))):
                    raise _errors.InvalidArgumentError(
                        None, op, f"component {i} of the element has shape "
                        f"{list(v.shape)}, the iterator's shape is {list(s)}")
            res = out[0] if len(out) == 1 else tuple(out)
            ctx.record(op, res)
            return res
        op = g.special_op("IteratorGetNext", name or "IteratorGetNext",
                          (self._handle, *tensors), fn, list(zip(shapes, types)))
        return _pack(self._structure, list(op.outputs))


def make_one_shot_iterator(dataset):
    """``dataset.make_one_shot_iterator()`` (``tf.data.make_one_shot_iterator``).

    >>> import ndgrad.tf as tf
    >>> ds = tf.data.Dataset.from_tensor_slices({"a": [1, 2], "b": [0.5, 1.5]})
    >>> x = tf.data.make_one_shot_iterator(ds).get_next()
    >>> with tf.Session() as sess:
    ...     print(sess.run(x["a"]), sess.run(x["b"]))
    ...     try:
    ...         sess.run(x["a"])
    ...     except tf.errors.OutOfRangeError:
    ...         print("OutOfRangeError")
    1 1.5
    OutOfRangeError
    """
    return dataset.make_one_shot_iterator()


def make_initializable_iterator(dataset, shared_name=None):
    """``dataset.make_initializable_iterator()``.

    >>> import ndgrad.tf as tf
    >>> n = tf.placeholder(tf.int64, [])
    >>> it = tf.data.make_initializable_iterator(tf.data.Dataset.range(n))
    >>> x = it.get_next()
    >>> with tf.Session() as sess:
    ...     sess.run(it.initializer, feed_dict={n: 2})
    ...     print(sess.run(x), sess.run(x))
    ...     sess.run(it.initializer, feed_dict={n: 1})
    ...     print(sess.run(x))
    0 1
    0
    """
    return dataset.make_initializable_iterator()

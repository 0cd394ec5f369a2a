"""``tf.GradientTape``: in eager mode over ndgrad's autograd (the same nodes and
rules as ``nd.grad``; trainable eager variables are gradient leaves from creation), in
graph mode over ``tf.gradients`` restricted to the ops the tape recorded."""
from __future__ import annotations

import contextlib
import itertools
import threading
import warnings
import weakref

import numpy as np

from .._ops import registry as _registry
from .._ops.registry import grad_state, own_copy, wrap
from .._autograd.backward import _writeable, make_leaf, run_backward
from .framework import eager_values

__all__ = ["GradientTape"]

_trainable = []
_trainable_ids = {}   # id -> weak reference, of the trainable eager variables alive


def track(var):
    """Record a trainable eager variable (for optimizers' default var_list)."""
    if var.dtype.kind in "fc":
        make_leaf(var)
        var._node.leaf = None      # gradients come back through tapes, not into .grad
        _trainable.append(weakref.ref(var))
        k = id(var)
        _trainable_ids[k] = weakref.ref(var, lambda _r, k=k: _trainable_ids.pop(k, None))


def trainable_eager_variables():
    out = []
    for r in _trainable:
        v = r()
        if v is not None:
            out.append(v)
    return out


# A gradient that reached its source only through gathers of rows (TF's IndexedSlices):
# its rows, for the optimizers that update just those (``train.Optimizer._sparse_step``),
# as graph mode's ``graph.gradients.sparse_rows``. {id(gradient): (weak ref, rows)}
_SPARSE = {}


def _note_sparse(g, rows):
    key = id(g)
    _SPARSE[key] = (weakref.ref(g, lambda _r, k=key: _SPARSE.pop(k, None)), rows)


def sparse_rows(g):
    """The rows (a 1-d integer array, repeats possible) outside which eager gradient
    ``g`` is zero by construction (it reached its source only through gathers), or
    None."""
    e = _SPARSE.get(id(g))
    return e[1] if e is not None and e[0]() is g else None


def _gathered_rows(roots, sources, cut=()):
    """{source node: its rows} for the sources every consumer recorded between them and
    ``roots`` (not past the ``cut`` nodes) reads through an op of ``SPARSE_ROWS_RULES``
    (a gather along axis 0)."""
    from ..graph.gradients import SPARSE_ROWS_RULES
    rows, dense, seen = {}, set(), set()
    stack = list(roots)
    while stack:
        n = stack.pop()
        if n in seen or n in cut:
            continue
        seen.add(n)
        inputs = n.inputs
        for k, p in enumerate(n.parents):
            if p is None:
                continue
            # (past a source too: a source computed from another one, z = f(x), is one of
            # x's consumers, whose gradient reaches x densely unless it is a gather)
            stack.append(p)
            if p not in sources:
                continue
            rule = SPARSE_ROWS_RULES.get(n.op) if k == 0 and inputs else None
            r = rule(inputs, n.params) if rule is not None else None
            if r is None:
                dense.add(p)
            else:
                rows.setdefault(p, []).append(np.asarray(r).reshape(-1))
    return {p: np.concatenate(r) for p, r in rows.items() if p not in dense}


class _Recording(threading.local):
    """The ids of the eager tapes recording in this thread (TF's tape set is per thread:
    another thread's operations are not on this thread's tapes); how many are open
    (recording or inside ``stop_recording``), and the recording mode before the first
    of them opened."""
    tapes = frozenset()
    open = 0
    base = None


_recording = _Recording()
_tape_ids = itertools.count(1)


class _TapedNode(_registry.Node):
    """A Node that keeps the ids of the eager tapes its thread was recording on when it
    was made. All tapes share one recorded graph; each differentiates through the nodes
    it recorded only, as each TF tape holds a record of its own (a tape differentiated
    through ops another tape recorded before it was entered: z = y * x with y = x * x
    from an earlier tape gave 12.0 for TF's 4.0)."""
    __slots__ = ("tapes",)

    def __init__(self):
        self.tapes = _recording.tapes


_PLAIN_NODE = _registry.Node
_open_tapes = [0]
_open_lock = threading.Lock()


def _count_open(delta):
    """Nodes are stamped (``_TapedNode``) while some eager tape is open in any thread:
    the op hot path makes plain nodes the rest of the time, at no cost."""
    with _open_lock:
        _open_tapes[0] += delta
        _registry.Node = _TapedNode if _open_tapes[0] else _PLAIN_NODE


def _on(tape_id, node):
    """Whether ``node`` was recorded while tape ``tape_id`` recorded (a leaf: always)."""
    return node.op is None or tape_id in getattr(node, "tapes", ())


class GradientTape:
    """Records computations; ``tape.gradient(target, sources)`` differentiates.

    As TensorFlow's: only operations run inside the ``with`` block (in its thread) are
    recorded -- a value computed before it is a constant to the tape -- and the sources
    are the trainable variables the block reads (unless ``watch_accessed_variables=False``)
    and the tensors given to ``watch``; the gradient for any other source is None.

    >>> import ndgrad.tf as tf
    >>> tf.enable_eager_execution()
    >>> x = tf.constant(3.0)
    >>> with tf.GradientTape() as tape:
    ...     tape.watch(x)
    ...     y = x * x
    >>> float(tape.gradient(y, x))
    6.0
    >>> tf.disable_eager_execution()

    In graph mode (TF 1's tape over a graph) it records the ops built inside the block
    (outside ``stop_recording``; ops another thread adds to the graph meanwhile count
    too) and ``gradient`` builds ``tf.gradients`` through those alone:

    >>> x = tf.constant([1.0, 2.0])
    >>> with tf.GradientTape() as tape:
    ...     tape.watch(x)
    ...     y = tf.reduce_sum(x ** 3)
    >>> tf.Session().run(tape.gradient(y, x))
    array([ 3., 12.], dtype=float32)
    """

    def __init__(self, persistent=False, watch_accessed_variables=True):
        self._persistent = persistent
        self._used = False
        self._watch_accessed = watch_accessed_variables
        self._watched = set()     # the nodes ``watch`` named (held: no id is reused)
        self._graph = None        # graph mode: the graph, and the spans of its op list
        self._spans = []          # ([start, end]) built while the tape recorded
        self._id = next(_tape_ids)   # eager: the stamp of the nodes it records
        self._eager_open = False
        self._entered = False

    def _recording_now(self):
        """Whether the tape records: inside its block, outside its ``stop_recording``."""
        if self._graph is not None:
            return bool(self._spans) and self._spans[-1][1] is None
        return self._id in _recording.tapes

    def _forget(self):
        """A new tape's state in this one (TF: a non-persistent tape's gradient drops its
        record, ``reset`` replaces it): nothing recorded or watched."""
        self._used = False
        self._watched = set()
        self._spans = []
        if self._graph is not None:
            self._graph_watched = set()
        old, self._id = self._id, next(_tape_ids)
        if old in _recording.tapes:
            _recording.tapes = (_recording.tapes - {old}) | {self._id}

    def __enter__(self):
        from .framework import executing_eagerly
        if self._eager_open or self._graph is not None and self._recording_now():
            raise ValueError("Tape is still recording, This can happen if you try to "
                             "re-enter an already-active tape.")
        if self._used and not self._persistent:
            self._forget()     # (TF: the used tape's record is gone; a new one starts)
        self._entered = True
        if not executing_eagerly():
            from ..graph.core import get_default_graph
            graph = get_default_graph()
            if graph is not self._graph:
                self._graph, self._graph_watched, self._spans = graph, set(), []
            self._spans.append([len(graph._ops), None])
            self._prev = _registry.saved_grad_mode()
            grad_state.enabled = True
            return self
        self._graph = None
        _count_open(1)
        self._eager_open = True
        if not _recording.open:
            # (the mode outside every eager tape of this thread: restored when the last
            # one closes, whatever order they close in)
            _recording.base = _registry.saved_grad_mode()
        _recording.open += 1
        _recording.tapes = _recording.tapes | {self._id}
        grad_state.enabled = True
        return self

    def __exit__(self, *exc):
        if not self._eager_open:
            if self._graph is not None:      # (an eager tape closed twice: nothing to do)
                _registry.restore_grad_mode(self._prev)
                self._close_span()
            return False
        self._eager_open = False
        _recording.tapes = _recording.tapes - {self._id}
        _recording.open -= 1
        if not _recording.open:
            _registry.restore_grad_mode(_recording.base)
        else:
            # another tape is open: recording goes on while one of them records (a tape
            # that closed out of order restored the mode from before it opened, and
            # turned recording off under the tape still open)
            grad_state.enabled = bool(_recording.tapes)
        _count_open(-1)
        return False

    def _close_span(self):
        if self._graph is not None and self._spans and self._spans[-1][1] is None:
            self._spans[-1][1] = len(self._graph._ops)

    def _check_recording(self):
        if self._used and not self._persistent or not self._entered:
            raise RuntimeError("Trying to stop recording a tape which is not recording.")
        if not self._recording_now():
            raise ValueError("Tape is not recording.")

    @contextlib.contextmanager
    def stop_recording(self):
        """Operations in this block are not recorded on this tape (TF's
        ``tape.stop_recording()``); other tapes open around it go on recording.

        >>> import ndgrad.tf as tf
        >>> tf.enable_eager_execution()
        >>> x = tf.constant(3.0)
        >>> with tf.GradientTape() as outer:
        ...     outer.watch(x)
        ...     with tf.GradientTape() as inner:
        ...         inner.watch(x)
        ...         with inner.stop_recording():
        ...             y = x * x
        >>> print(inner.gradient(y, x), float(outer.gradient(y, x)))
        None 6.0
        >>> tf.disable_eager_execution()
        """
        self._check_recording()
        prev = _registry.saved_grad_mode()
        if self._graph is not None:
            self._close_span()
            grad_state.enabled = False
            try:
                yield
            finally:
                _registry.restore_grad_mode(prev)
                self._spans.append([len(self._graph._ops), None])
            return
        _recording.tapes = _recording.tapes - {self._id}
        if not _recording.tapes:
            grad_state.enabled = False
        try:
            yield
        finally:
            if self._eager_open:
                _recording.tapes = _recording.tapes | {self._id}
            # (the mode from before the block: forcing recording on ended a no_grad
            # block around this one early)
            _registry.restore_grad_mode(prev)

    def reset(self):
        """Forget everything recorded and watched so far, as leaving the block and
        entering it again with a new tape (TF's ``tape.reset()``); recording goes on.
        A tape that does not record raises TF's ValueError.

        >>> import ndgrad.tf as tf
        >>> tf.enable_eager_execution()
        >>> x = tf.constant(2.0)
        >>> with tf.GradientTape() as t:
        ...     t.watch(x)
        ...     y = x * x
        ...     t.reset()
        ...     t.watch(x)
        ...     z = y * x
        >>> float(t.gradient(z, x))
        4.0
        >>> tf.disable_eager_execution()
        """
        if not self._recording_now() or self._used and not self._persistent:
            raise ValueError("Tape is not recording.")
        self._forget()
        if self._graph is not None:
            self._spans = [[len(self._graph._ops), None]]

    def watch(self, tensor):
        ts = tensor if isinstance(tensor, (list, tuple)) else [tensor]
        if self._graph is not None:
            return self._watch_graph(ts)
        if self._eager_open and self._id not in _recording.tapes:
            return     # (inside its own stop_recording: TF's tape ignores the watch)
        for t in ts:
            if not isinstance(t, _registry.Array):
                raise TypeError(f"GradientTape.watch needs an eager tensor, got {t!r}")
            if t.dtype.kind not in "fc":
                # TF: a warning, and the tensor is no source (its gradient is None)
                warnings.warn(f"The dtype of the watched tensor must be floating (e.g. "
                              f"tf.float32), got {t.dtype}", stacklevel=2)
                continue
            if t._node is None:
                make_leaf(t)
                t._node.leaf = None
            self._watched.add(t._node)

    def _sees(self, s):
        """Whether source ``s`` is one of this tape's: a watched tensor, a trainable
        variable (when the tape watches the variables it accesses), or a tensor the
        block computed from one of those (TF: ``tape.gradient(z, y)`` for an
        intermediate ``y = x * x`` of a watched ``x``)."""
        node = getattr(s, "_node", None)
        if node is None:
            return False
        if node in self._watched or self._is_variable(s):
            return True
        return node.op is not None and _on(self._id, node) and self._derived(node)

    def _is_variable(self, s):
        if not self._watch_accessed:
            return False
        r = _trainable_ids.get(id(s))
        return r is not None and r() is s

    def _derived(self, node):
        """Whether recorded node ``node`` was computed, by ops this tape recorded, from a
        watched tensor or (when the tape watches what it accesses) a trainable
        variable."""
        var_nodes = ({id(v._node) for v in trainable_eager_variables()
                      if v._node is not None} if self._watch_accessed else set())
        seen = set()
        stack = [node]
        while stack:
            n = stack.pop()
            if n is None or id(n) in seen:
                continue
            seen.add(id(n))
            if n in self._watched or id(n) in var_nodes:
                return True
            if _on(self._id, n):
                stack.extend(n.parents)
        return False

    def _cut(self, roots):
        """The recorded nodes reachable from ``roots`` through this tape's nodes that
        this tape did not record (made before it was entered, inside its
        ``stop_recording``, after it exited, or by another thread): constants to it.
        Also whether some node it walks is on another tape too (its saved values must
        outlive this pass: that tape's gradient reads them)."""
        cut, seen = set(), set()
        shared = False
        stack = list(roots)
        while stack:
            n = stack.pop()
            if n is None or n in seen:
                continue
            seen.add(n)
            if not _on(self._id, n):
                cut.add(n)
                continue
            if not shared and n.op is not None and len(n.tapes) > 1:
                shared = True
            stack.extend(n.parents)
        return cut, shared

    def _watch_graph(self, ts):
        """``watch`` in graph mode (TF 1's tape over a graph): symbolic tensors."""
        from .framework import convert_to_tensor
        for t in ts:
            t = convert_to_tensor(t)
            if np.dtype(t._np_dtype).kind not in "fc":
                warnings.warn(f"The dtype of the watched tensor must be floating (e.g. "
                              f"tf.float32), got {t._np_dtype}", stacklevel=3)
                continue
            self._graph_watched.add(t)

    def _graph_gradient(self, target, sources, output_gradients):
        """``gradient`` in graph mode: ``tf.gradients`` through the ops built while the
        tape recorded, for the sources the tape sees (watched tensors, trainable
        variables those ops read, or tensors those ops computed from them); None for the
        others, as TF's tape."""
        from .gradients_api import gradients
        from .framework import convert_to_tensor
        self._close_span()
        ops_list = self._graph._ops
        ordered = []          # (the spans are in creation order: so are their ops)
        for start, end in self._spans:
            ordered.extend(ops_list[start:len(ops_list) if end is None else end])
        recorded = set(ordered)
        single = not isinstance(sources, (list, tuple))
        srcs = [convert_to_tensor(s) for s in ([sources] if single else list(sources))]
        trainable = {id(v) for v in self._graph.get_collection("trainable_variables")} \
            if self._watch_accessed else set()
        read = {id(a) for op in recorded for a in op._args}
        seen = set(self._graph_watched)
        for op in ordered:
            if any(a in seen or (id(a) in trainable and id(a) in read) for a in op._args):
                seen.update(op.outputs)

        def sees(s):
            return s in seen or (id(s) in trainable and id(s) in read)
        targets = target if isinstance(target, (list, tuple)) else [target]
        og = output_gradients
        if og is not None and not isinstance(og, (list, tuple)):
            og = [og]
        if og is not None:
            og = [None if g is None else convert_to_tensor(
                g, dtype=convert_to_tensor(t).dtype) for g, t in zip(og, targets)]
        live = [s for s in srcs if sees(s)]
        found = dict(zip(live, gradients(list(targets), live, grad_ys=og,
                                         _only_ops=recorded))) if live else {}
        out = [found.get(s) if sees(s) else None for s in srcs]
        return out[0] if single else out

    def gradient(self, target, sources, output_gradients=None,
                 unconnected_gradients="none"):
        """The gradient of ``target`` (a tensor or a nest of them: their sum) with respect
        to ``sources`` (a tensor or variable, or a nest of them: the gradients in the same
        nest, as TF's ``nest.pack_sequence_as``); ``output_gradients`` (a nest like
        ``target``'s) weight the targets. None for a source the targets do not depend on
        (zeros of its shape with ``unconnected_gradients="zero"``, or
        ``tf.UnconnectedGradients.ZERO``).

        >>> import ndgrad.tf as tf
        >>> tf.enable_eager_execution()
        >>> x = tf.constant([1.0, 2.0])
        >>> with tf.GradientTape() as t:
        ...     t.watch(x)
        ...     y = {"a": x * 3.0, "b": [x * x]}
        >>> print(t.gradient(y, {"x": x})["x"])
        [5. 7.]
        >>> tf.disable_eager_execution()
        """
        if self._used and not self._persistent:
            raise RuntimeError("GradientTape.gradient can only be called once on "
                               "non-persistent tapes.")
        mode = str(getattr(unconnected_gradients, "value", unconnected_gradients)).lower()
        if mode not in ("none", "zero"):
            raise ValueError(f"Unknown value for unconnected_gradients: "
                             f"{unconnected_gradients!r}")
        self._used = True
        # (TF flattens the three nests: a dict or nested list of targets is their sum, a
        # dict of sources gets a dict of gradients; a dict was taken as one unrecorded
        # target or source, a silent None)
        from .nest import flatten, is_nested, pack_sequence_as
        if target is None:
            raise TypeError("Argument `target` should be a list or nested structure of "
                            "Tensors, Variables or CompositeTensors to be differentiated, "
                            "but received None.")
        flat_targets = flatten(target)
        flat_sources = flatten(sources)
        if output_gradients is not None:
            output_gradients = flatten(output_gradients)
            if len(output_gradients) != len(flat_targets):
                raise ValueError(f"output_gradients has {len(output_gradients)} element(s) "
                                 f"where target has {len(flat_targets)}")
            for k, g in enumerate(output_gradients):
                if g is None:
                    raise ValueError("Attempt to convert a value (None) with an unsupported "
                                     "type (<class 'NoneType'>) to a Tensor: "
                                     f"output_gradients has None at position {k}")
        if self._graph is not None:
            grads = self._graph_gradient(flat_targets, flat_sources, output_gradients)
        else:
            grads = self._eager_gradient(flat_targets, flat_sources, output_gradients)
        grads = [self._target_itself(s, flat_targets, output_gradients) if g is None
                 else g for g, s in zip(grads, flat_sources)]
        if mode == "zero":
            from .math_ops import zeros_like
            grads = [zeros_like(s) if g is None else g for g, s in zip(grads, flat_sources)]
        return pack_sequence_as(sources, grads) if is_nested(sources) else grads[0]

    @staticmethod
    def _target_itself(source, targets, output_gradients):
        """A source the tape does not see that is itself a target: TF's gradient is that
        target's output gradient (ones by default; summed over repeats), whatever the
        tape recorded or watched (``tape.gradient(x, x)`` is ones; it was None, and zeros
        with ``unconnected_gradients="zero"``)."""
        from .math_ops import ones_like
        from .framework import convert_to_tensor
        total = None
        for k, t in enumerate(targets):
            if t is not source:
                continue
            og = output_gradients[k] if output_gradients is not None else None
            og = ones_like(t) if og is None else convert_to_tensor(og, dtype=t.dtype)
            total = og if total is None else total + og
        return total

    def _flat_gradients(self, target, flat_sources, og, retain):
        if self._graph is not None:
            return self._graph_gradient([target], flat_sources, [og])
        return self._eager_gradient([target], flat_sources, [og], retain=retain)

    def _rows(self, what, target, sources, unconnected_gradients, cotangents):
        """Gradients of ``target`` weighted by each of ``cotangents`` (a list), per flat
        source a list of rows (None where unconnected); the tape used once. Returns the
        flat sources, their rows and whether unconnected rows are zeros."""
        from .nest import flatten
        if self._used and not self._persistent:
            raise RuntimeError(f"GradientTape.{what} can only be called once on "
                               "non-persistent tapes.")
        self._used = True
        mode = str(getattr(unconnected_gradients, "value", unconnected_gradients)).lower()
        if mode not in ("none", "zero"):
            raise ValueError(f"Unknown value for unconnected_gradients: "
                             f"{unconnected_gradients!r}")
        flat = flatten(sources)
        rows = [[] for _ in flat]
        for k, og in enumerate(cotangents):
            grads = self._flat_gradients(target, flat, og, retain=k < len(cotangents) - 1)
            for r, g in zip(rows, grads):
                r.append(g)
        return flat, rows, mode == "zero"

    @staticmethod
    def _stacked(s, r, zero):
        """Source ``s``'s gradient rows ``r`` stacked (``[len(r)] + s.shape``): zeros for
        the unconnected rows; None where no row is connected, unless ``zero``; an empty
        stack for no rows (an empty target: an empty Jacobian, as TF's)."""
        from .math_ops import stack, zeros_like
        if not r:
            return stack([zeros_like(s)])[:0]
        if all(g is None for g in r):
            return stack([zeros_like(s)] * len(r)) if zero else None
        return stack([zeros_like(s) if g is None else g for g in r])

    @classmethod
    def _assemble(cls, flat, rows, shape_of, zero, sources):
        from .nest import is_nested, pack_sequence_as
        from .math_ops import reshape
        out = []
        for s, r in zip(flat, rows):
            st = cls._stacked(s, r, zero)
            out.append(None if st is None else reshape(st, shape_of(s)))
        return pack_sequence_as(sources, out) if is_nested(sources) else out[0]

    def jacobian(self, target, sources, unconnected_gradients="none",
                 parallel_iterations=None, experimental_use_pfor=True):
        """d ``target`` / d ``sources``: per source a tensor of shape ``target.shape +
        source.shape`` (None, or zeros with ``unconnected_gradients="zero"``, where the
        target does not depend on it); ``sources`` may be a nest. One backward pass per
        element of ``target``, whose shape must be known.

        >>> import ndgrad.tf as tf
        >>> tf.enable_eager_execution()
        >>> x = tf.constant([1.0, 2.0])
        >>> with tf.GradientTape() as t:
        ...     t.watch(x)
        ...     y = x * x
        >>> print(t.jacobian(y, x))
        [[2. 0.]
         [0. 4.]]
        >>> tf.disable_eager_execution()
        """
        from .framework import convert_to_tensor
        from .math_ops import _dt
        target = convert_to_tensor(target)
        tshape = _static_shape(target, "jacobian's target")
        n = int(np.prod(tshape, dtype=np.int64))
        dt = _dt(target)
        ogs = [np.eye(1, n, k, dtype=dt).reshape(tshape) for k in range(n)]
        flat, rows, zero = self._rows("jacobian", target, sources, unconnected_gradients,
                                      ogs)
        return self._assemble(flat, rows, lambda s: list(tshape) + _shape_list(s), zero,
                              sources)

    def batch_jacobian(self, target, source, unconnected_gradients="none",
                       parallel_iterations=None, experimental_use_pfor=True):
        """Per example ``i`` of dimension 0, d ``target[i]`` / d ``source[i]``: shape
        ``[b] + target.shape[1:] + source.shape[1:]`` (examples must not depend on each
        other's inputs, as TF assumes). The batch size may be unknown in graph mode.

        >>> import ndgrad.tf as tf
        >>> tf.enable_eager_execution()
        >>> x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
        >>> with tf.GradientTape() as t:
        ...     t.watch(x)
        ...     y = x * x
        >>> print(t.batch_jacobian(y, x)[1])
        [[6. 0.]
         [0. 8.]]
        >>> tf.disable_eager_execution()
        """
        from .framework import convert_to_tensor
        from .math_ops import _dt, concat, ones_like, reshape, shape, transpose
        target = convert_to_tensor(target)
        tshape = _static_shape(target, "batch_jacobian's target", batch=True)
        m = int(np.prod(tshape[1:], dtype=np.int64))
        dt = _dt(target)
        # (one pass per element of an example, every example's at once)
        ogs = [ones_like(target) * np.eye(1, m, j, dtype=dt).reshape((1,) + tuple(tshape[1:]))
               for j in range(m)]
        flat, rows, zero = self._rows("batch_jacobian", target, source,
                                      unconnected_gradients, ogs)
        (s,), (r,) = flat, rows
        b = shape(s)[0:1]
        new_shape = concat([b, np.asarray(list(tshape[1:]) + _shape_list(s)[1:],
                                          dtype=np.int32)], 0)
        st = self._stacked(s, r, zero)     # [m, b, s...]
        if st is None:
            # (TF 2.15 returns zeros for an unconnected source whatever
            # unconnected_gradients says: "to maintain compatibility")
            from .math_ops import zeros
            return zeros(new_shape, dtype=dt)
        rank = len(_shape_list(s))
        st = transpose(st, [1, 0] + list(range(2, rank + 1)))
        return reshape(st, new_shape)

    def _eager_gradient(self, targets, srcs, output_gradients, retain=False):
        """``gradient`` in eager mode, on flat lists; the gradients as a list
        (``retain``: keep the recorded graph for another pass, as a persistent tape)."""
        # called while a tape records (an outer one, for a gradient of this gradient):
        # the gradient computation is recorded too, as TF's
        create = grad_state.enabled
        roots, gs = [], []
        for i, t in enumerate(targets):
            if isinstance(t, _registry.Array) and t._node is not None:
                og = output_gradients[i] if isinstance(output_gradients, (list, tuple)) \
                    else output_gradients
                d = t._data
                roots.append(t._node)
                # TF's complex convention from ndgrad's: conjugated cotangents in and
                # out (see ndgrad.tf.gradients)
                cplx = d.dtype.kind == "c"
                if create and isinstance(og, _registry.Array) and og.dtype == d.dtype:
                    # (recorded: a gradient of this gradient sees through it)
                    if cplx:
                        from .._ops.elementwise import conj
                        og = conj(og)
                    gs.append(og)
                    continue
                if og is None:
                    ogv = np.ones_like(d)
                else:
                    ogv = eager_values(og, dtype=d.dtype)
                    if cplx:
                        ogv = np.asarray(np.conj(ogv))
                gs.append(wrap(ogv) if create else ogv)
        stop = {s._node for s in srcs if isinstance(s, _registry.Array) and self._sees(s)}
        cut, shared = self._cut(roots) if roots and stop else ((), False)
        gathered = _gathered_rows(roots, stop, cut) if roots and stop and not create else {}
        # (a source computed from another source is passed through: each gets its total
        # derivative, as TF's)
        keep = self._persistent or create or retain or shared
        found = run_backward(roots, gs, retain_graph=keep, create_graph=create, stop=stop,
                             through=True, cut=cut) if roots and stop else {}
        out = []
        given = set()
        for s in srcs:
            g = found.get(s._node) if isinstance(s, _registry.Array) and self._sees(s) \
                else None
            if g is not None and not isinstance(g, _registry.Array):
                g = np.asarray(g)
                if g.dtype.kind == "c":
                    g = np.asarray(np.conj(g))
                if id(g) in given or not _writeable(g):
                    # one cotangent reached two sources (x + y), or it is a read-only
                    # view (a broadcast, or a value a rule kept): each gradient its own
                    g = own_copy(g)
                given.add(id(g))
                g = wrap(g)
                rows = gathered.get(s._node)
                if rows is not None:
                    _note_sparse(g, rows)
            elif isinstance(g, _registry.Array) and np.dtype(g.dtype).kind == "c":
                import ndgrad
                g = ndgrad.conj(g)  # recorded, for a tape around this one
            out.append(g)
        return out


def _dims(t):
    """``t``'s dimensions (None where unknown), or None for an unknown rank."""
    if isinstance(t, _registry.Array):     # (an eager tensor, or a variable's value)
        return list(t.shape)
    s = t.get_shape() if hasattr(t, "get_shape") else None
    if s is None:
        return list(np.shape(t))
    return None if s.ndims is None else s.as_list()


def _shape_list(t):
    return [-1 if d is None else int(d) for d in (_dims(t) or [])]


def _static_shape(t, what, batch=False):
    """``t``'s shape as ints (the batch dimension may be unknown with ``batch``)."""
    dims = _dims(t)
    if dims is None:
        raise ValueError(f"{what} needs a known rank; got {t!r}")
    if batch and not dims:
        raise ValueError(f"{what} must have a batch dimension (rank >= 1); got {t!r}")
    rest = dims[1:] if batch else dims
    if any(d is None for d in rest):
        raise ValueError(f"{what} needs a known shape (but for the batch dimension); got "
                         f"{dims}")
    return [dims[0] if dims[0] is not None else -1] + rest if batch else dims

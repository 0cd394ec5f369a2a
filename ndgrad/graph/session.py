"""The executor: ``Session.run`` with a compiled plan per (fetches, feed keys).

A plan is the topologically sorted list of the ops the fetches need (stopping at fed
tensors), each a step ``forward(xp, *input values, **params)`` on raw NumPy arrays -- no
Array wrappers, no recording. Constants sit in the plan's value template. Session state
(variable values, random generators) lives in the Session, so two sessions over one
graph hold independent values. A run stages its variable writes and commits them only
when every step succeeded: a failed run changes nothing.
"""
from __future__ import annotations

import collections
import contextlib
import sys
import threading

import numpy as np

from .. import _backend
from .._ops.registry import Array as _Array
from .._ops.sharing import _COUNTS
from .._backend import numpy_backend
from .._fperr import ignore as quiet, restore as loud
from . import errors
from .compiler import compile_plan, generic_runner, Options
from .core import Operation, Tensor, get_default_graph, _state as _graph_state
from .shape import TensorShape

_npx = numpy_backend.xp


# in-place commits rely on reference counts, where they are exact (``sharing._COUNTS``:
# CPython 3.11-3.13 with the GIL; elsewhere new arrays)
_getrefcount = sys.getrefcount if _COUNTS else (lambda o: -1)

__all__ = ["Session", "InteractiveSession", "get_default_session", "Options"]


class _SessState(threading.local):
    def __init__(self):
        self.stack = []


_sess = _SessState()


def get_default_session():
    """The innermost session entered with ``with sess:`` / ``sess.as_default()``, or the
    open ``InteractiveSession``; None when there is none.

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     print(tf.get_default_session() is s, tf.constant(3.0).eval())
    True 3.0
    """
    return _sess.stack[-1] if _sess.stack else None


def _session_for(session, elem):
    s = session if session is not None else get_default_session()
    if s is None:
        what = "tensor" if isinstance(elem, Tensor) else "operation"
        verb = "eval" if isinstance(elem, Tensor) else "run"
        raise ValueError(f"Cannot evaluate {what} using `{verb}()`: No default session is "
                         f"registered. Use `with sess.as_default()` or pass an explicit "
                         f"session to `{verb}(session=sess)`")
    if elem.graph is not s.graph:
        raise ValueError(f"Cannot use the given session to evaluate {type(elem).__name__.lower()}:"
                         f" the {type(elem).__name__.lower()}'s graph is different from the "
                         "session's graph.")
    return s


class RunContext:
    """What a session-state op sees during one run."""

    __slots__ = ("session", "writes", "feeds", "_plan", "_feed_values", "effects",
                 "deferred", "_cursor", "updates", "generation")

    def __init__(self, session, plan=None, feed_values=(), effects=None):
        self.session = session
        self.writes = {}
        self.deferred = None     # [(variable op, its value, operand, ufunc)]: see defer
        # [(variable ops, the values read, the new values, redo, extra)]: see update
        self.updates = None
        # the session's commit count when the run began: a commit that finds it
        # unchanged knows no other run wrote variables in between
        self.generation = session._generation
        # values of ops with side effects outside the session's staged writes (a queue's
        # dequeue), kept so that re-running a failed plan to find the failing step
        # replays them instead of repeating the effect
        self.effects = {} if effects is None else effects
        self._cursor = {}
        self._plan = plan
        self._feed_values = feed_values

    def replay(self, op):
        """The recorded result of ``op``'s next execution in this run (an op with a side
        effect, run again by the interpreter that finds a failing step), or None: run it
        and ``record`` the result. An op inside a loop runs once per iteration: each
        execution has its own record."""
        lst = self.effects.get(op)
        k = self._cursor.get(op, 0)
        if lst is not None and k < len(lst):
            self._cursor[op] = k + 1
            return lst[k]
        return None

    def record(self, op, value):
        """Keep ``value`` (not None) as the result of ``op``'s execution just made."""
        self.effects.setdefault(op, []).append(value)
        self._cursor[op] = self._cursor.get(op, 0) + 1

    def fed(self):
        """{tensor: value} of this run's feeds (for ops that run sub-plans, e.g. loops)."""
        if self._plan is None:
            return {}
        return dict(zip(self._plan.feed_tensors, self._feed_values))

    def defer(self, var_op, old, operand, ufunc):
        """Stage ``ufunc(old, operand)`` as the variable's new value, computed at the
        commit: into ``old``'s own buffer when nothing else holds it (an in-place
        update, as TensorFlow's kernels make), else into a new array. Only for a value
        nothing in this run reads again (the plan compiler's ``defer`` pass decides)."""
        if self.deferred is None:
            self.deferred = []
        self.deferred.append((var_op, old, operand, ufunc))

    def update(self, ops, read, redo, *extra):
        """Stage ``redo(*read, *extra)`` -- new values of the variables ``ops`` computed
        from their values ``read`` in this run and from ``extra`` (a gradient, an
        operand) -- and return them. A commit that finds another run committed since
        this one began recomputes ``redo`` on the committed values of ``ops`` (TF's
        update kernels read the variables' current values: concurrent runs' updates all
        land). ``redo`` must be a pure function of its arguments, and ``extra`` values
        that no later step writes into. A variable another update of this run staged is
        read at that staged value (TF's kernels read the variable's current value: two
        unordered updates of one variable in a run both land; the second undid the
        first)."""
        w = self.writes
        if w and any(o in w for o in ops):
            read = tuple(w.get(o, r) for o, r in zip(ops, read))
        new = redo(*read, *extra)
        self.staged_update(ops, read, new, redo, extra)
        return new

    def staged_update(self, ops, read, new, redo, extra=()):
        """``update`` for a caller that computed ``new = redo(*read, *extra)`` itself;
        ``redo`` None: values that read none of the variables (an assign)."""
        w = self.writes
        for o, v in zip(ops, new):
            w[o] = v
        if self.updates is None:
            self.updates = []
        self.updates.append((ops, read, new, redo, extra))

    def run_sub(self, fetches, feeds, done=()):
        """Values of ``fetches`` computed inside this run (sharing its staged writes),
        with ``feeds``; the sub-plan is compiled once per session. Ops in ``done`` (a
        frozenset: ops this run has run already) are not run again."""
        return self.session._run_sub(self, fetches, feeds, done)


class _Staged:
    """Variable values for a sub-plan: the run's staged writes over the session's."""

    __slots__ = ("writes", "base")

    def __init__(self, writes, base):
        self.writes = writes
        self.base = base

    def get(self, var_op, default=None):
        v = self.writes.get(var_op)
        return v if v is not None else self.base.get(var_op, default)


def _compile(fetch_elems, feed_tensors, options=None, defer=True, done=()):
    """The plan computing ``fetch_elems`` from ``feed_tensors`` (see ``compiler``):
    ``plan.fast(vals, ctx, store)`` runs it on NumPy values."""
    return compile_plan(fetch_elems, feed_tensors, options, defer, done)


def _type_name(np_dtype):
    return {"float32": "float", "float64": "double", "int32": "int32", "int64": "int64",
            "bool": "bool", "float16": "half"}.get(np.dtype(np_dtype).name,
                                                   np.dtype(np_dtype).name)


def _foreign_backend(value):
    """The Backend of a non-NumPy backend array (array_api_strict, CuPy, Dask), or None
    for anything else (NumPy arrays, Python values, ndgrad Arrays)."""
    t = type(value)
    bk = _backend._backends_by_type.get(t)
    if bk is not None:
        return None if bk is numpy_backend else bk
    root = t.__module__.partition(".")[0]
    make = {"array_api_strict": "strict_backend", "cupy": "cupy_backend",
            "dask": "dask_backend"}.get(root)
    if make is None or not hasattr(value, "__array_namespace__") or \
            getattr(_backend, make, None) is None:
        return None
    bk = getattr(_backend, make)()
    return bk if type(value) in _backend._backends_by_type else None


def _check_shape(t, shape):
    want = t._shape
    # a lazy backend's unknown dims (None, or NaN in Dask) match anything
    if want is not None and (len(want) != len(shape) or any(
            d is not None and s is not None and s == s and d != s
            for d, s in zip(want, shape))):
        raise ValueError(f"Cannot feed value of shape {tuple(shape)!r} for Tensor "
                         f"'{t.name}', which has shape '{TensorShape(want)}'")


def _convert_feed(t, value):
    if isinstance(value, Tensor):
        raise TypeError("The value of a feed cannot be a tf.Tensor object. Acceptable feed "
                        "values include Python scalars, strings, lists, numpy ndarrays, or "
                        "TensorHandles. For reference, the tensor object was "
                        f"{value} which was passed to the feed with key {t}.")
    dt = t._np_dtype
    if type(value) is np.ndarray and value.dtype == dt and t._shape is not None and \
            value.shape == t._shape:
        # the common case, nothing to convert or check (but a string array's str items)
        return value if dt.kind != "O" else _utf8(value)
    if type(value) is not np.ndarray:
        if type(value) is _Array and type(value._data) is not np.ndarray:
            value = value._data   # an ndgrad array on another backend feeds its data there
        bk = _foreign_backend(value)
        if bk is not None:
            # another backend's array stays on its backend (a lazy one stays lazy)
            _check_shape(t, value.shape)
            if bk.ndgrad_dtype(value.dtype) != dt:
                try:
                    value = bk.xp.astype(value, bk.dtype(dt))
                except Exception as e:
                    raise ValueError(f"Cannot feed {bk.name} value of dtype {value.dtype} "
                                     f"for Tensor '{t.name}' of dtype {dt.name}: {e}") \
                        from None
            return value
    if isinstance(value, int) and not isinstance(value, bool) and dt.kind in "iu":
        if np.asarray(value, dtype=dt) != value:
            raise TypeError(f"Type of feed value {value} with type {type(value)} is not "
                            f"compatible with Tensor type {dt.name}. Try explicitly setting "
                            "the type of the feed tensor to a larger type (e.g. int64).")
    try:
        v = np.asarray(value, dtype=dt)
    except (TypeError, ValueError) as e:
        raise ValueError(f"Cannot feed value {value!r} for Tensor '{t.name}' of dtype "
                         f"{dt.name}: {e}") from None
    _check_shape(t, v.shape)
    if dt.kind == "O":
        v = _utf8(v)
    return v


_OBJECT = np.dtype(object)


def _utf8(v):
    """A fed string array as the graph's string values are: str items UTF-8 encoded
    (``identity`` of a fed ``'é'`` gave ``'é'`` where TF gives ``b'\\xc3\\xa9'``)."""
    out = None
    for i, x in np.ndenumerate(v):
        if isinstance(x, (str, np.bytes_)):
            if out is None:
                out = v.copy()
            out[i] = x.encode() if isinstance(x, str) else bytes(x)
    return v if out is None else out


def _feeds_backend(feed_values):
    """The one non-NumPy backend among the feeds (None: all NumPy); mixing two backends
    is an error naming both."""
    bk = None
    for v in feed_values:
        if type(v) is not np.ndarray:
            b = _foreign_backend(v)
            if b is not None and b is not bk:
                if bk is not None:
                    raise ValueError(f"feed_dict mixes arrays of two backends: {bk.name} "
                                     f"and {b.name}; feed one backend's arrays per run")
                bk = b
    return bk


def _donation_ok(plan, feed_values):
    """Donated feeds may be written into: writeable NumPy arrays sharing no memory with
    another feed."""
    donated = plan.donated_feeds
    for i in donated:
        v = feed_values[i]
        if type(v) is not np.ndarray or not v.flags.writeable:
            return False
        for k, w in enumerate(feed_values):
            if k != i and isinstance(w, np.ndarray) and np.may_share_memory(v, w):
                return False
    return True


def _out(v, copy):
    """A fetched value as the user gets it: NumPy scalars for 0-d results, and a copy of
    an array (a result may share memory with a variable's value, a feed or another
    result) unless ``copy`` is false: an array only this run has seen (``plan.fresh``)."""
    if type(v) is np.ndarray:
        if v.ndim == 0:
            return v[()]
        return v.copy() if copy else v
    if isinstance(v, np.generic) or _foreign_backend(v) is not None:
        return v           # another backend's result stays there (a Dask one lazy)
    if isinstance(v, (bytes, str)):
        return v           # one string (a 0-d string tensor's value), as TF gives it
    return np.asarray(v)


class Session:
    """Runs graph elements: ``sess.run(fetches, feed_dict)``; holds variable values.

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as sess:
    ...     print(sess.run(tf.constant(5.0) * tf.constant(6.0)))
    30.0
    """

    def __init__(self, target="", graph=None, config=None, *, compile_options=None):
        self.graph = graph if graph is not None else get_default_graph()
        # which plan-compiler passes run (``Options``; None: all but donation)
        self.compile_options = compile_options
        self._vars = {}          # variable op -> value
        self._rngs = {}          # random op -> numpy Generator
        self._plans = {}
        self._resolved = {}      # (fetches, feed keys) of a flat run -> its plan (run)
        self._closed = False
        self._ctx_stack = []
        self._resources = {}     # op -> per-session resource (a queue's state)
        self._res_lock = threading.Lock()
        self._inflight = []      # one entry per run in progress (list ops are atomic)
        self._committing = False
        self._commit_lock = threading.Lock()
        self._generation = 0     # commits of variable writes (under _commit_lock)

    # -- context management -----------------------------------------------------------
    @contextlib.contextmanager
    def as_default(self):
        _sess.stack.append(self)
        try:
            with self.graph.as_default():
                yield self
        finally:
            _sess.stack.remove(self) if self in _sess.stack else None

    def __enter__(self):
        cm = self.as_default()
        cm.__enter__()
        self._ctx_stack.append(cm)
        return self

    def __exit__(self, *exc):
        cm = self._ctx_stack.pop()
        cm.__exit__(*exc)
        self.close()
        return False

    def close(self):
        self._closed = True
        self._vars = {}
        self._rngs = {}
        with self._res_lock:
            res, self._resources = self._resources, {}
        for r in res.values():   # wake ops blocked on a resource (CancelledError)
            cancel = getattr(r, "cancel", None)
            if cancel is not None:
                cancel()

    @property
    def sess_str(self):
        return ""

    # -- state used by ops ------------------------------------------------------------
    def rng(self, op, seed):
        """The random generator of op ``op`` in this session (replayed per session when
        seeded)."""
        r = self._rngs.get(op)
        if r is None:
            r = self._rngs[op] = np.random.default_rng(seed)
        return r

    def resource(self, op, make, key=None):
        """The per-session resource of ``op`` (made by ``make()`` on first use), or of
        ``key`` when given (ops sharing a resource by name); a closed session's resources
        are cancelled."""
        key = op if key is None else key
        r = self._resources.get(key)
        if r is None:
            with self._res_lock:
                if self._closed:
                    raise errors.CancelledError(None, op, "Session has been closed.")
                r = self._resources.get(key)
                if r is None:
                    r = self._resources[key] = make()
        return r

    # -- running ----------------------------------------------------------------------
    def _element(self, f):
        g = self.graph
        if isinstance(f, str):
            return g.as_graph_element(f)
        conv = getattr(f, "_as_graph_element", None)
        if conv is not None:
            f = conv()
        if isinstance(f, (Tensor, Operation)):
            if f.graph is not g:
                raise ValueError(f"Fetch argument {f!r} cannot be interpreted as a Tensor. "
                                 f"({f} is not an element of this graph.)")
            return f
        raise TypeError(f"Fetch argument {f!r} has invalid type {type(f)}, must be a string "
                        "or Tensor. (Can not convert a "
                        f"{type(f).__name__} into a Tensor or Operation.)")

    def _flatten(self, fetches, flat):
        """Fetch structure -> a rebuild function; elements appended to ``flat``."""
        if isinstance(fetches, (list, tuple)) and not hasattr(fetches, "_as_graph_element"):
            parts = [self._flatten(f, flat) for f in fetches]
            t = type(fetches)
            if t is list:
                return lambda vals: [p(vals) for p in parts]
            if t is tuple:
                return lambda vals: tuple(p(vals) for p in parts)
            if hasattr(fetches, "_fields"):  # namedtuple
                return lambda vals: t(*[p(vals) for p in parts])
            return lambda vals: t([p(vals) for p in parts])
        if isinstance(fetches, collections.abc.Mapping):
            keys = list(fetches)
            parts = [self._flatten(fetches[k], flat) for k in keys]
            t = type(fetches)

            def rebuild(vals):
                d = t() if t is not dict else {}
                for k, p in zip(keys, parts):
                    d[k] = p(vals)
                return d
            return rebuild
        if fetches is None:
            raise TypeError(f"Fetch argument None has invalid type {type(None)}")
        parts = getattr(fetches, "_fetch_parts", None)
        if parts is not None:      # a composite (a sparse tensor): its parts, rebuilt
            elems, make = parts()
            inner = self._flatten(list(elems), flat)
            return lambda vals: make(inner(vals))
        i = len(flat)
        flat.append(self._element(fetches))
        return lambda vals: vals[i]

    def run(self, fetches, feed_dict=None, options=None, run_metadata=None):
        """Values of ``fetches`` (a tensor, an op, a name, or a nest of them); ops give
        None. ``feed_dict`` maps tensors (or their names) to values."""
        if self._closed:
            raise RuntimeError("Attempted to use a closed Session.")
        tf_ = type(fetches)
        key = None
        if tf_ is list or tf_ is tuple:
            # a flat list of fetches with the feed keys of an earlier run: its plan and
            # feed tensors, resolved and checked then (graph elements never change)
            key = (tuple(fetches), tuple(feed_dict) if feed_dict else ())
            try:
                hit = self._resolved.get(key)
            except TypeError:     # (a nested list among the fetches)
                hit = key = None
            if hit is not None:
                plan, feed_tensors, rebuild = hit
                return self._run_plan(plan, feed_tensors,
                                      feed_dict.values() if feed_dict else (), rebuild)
        g = self.graph
        if (tf_ is list or tf_ is tuple) and all(
                isinstance(f, (Tensor, Operation)) and f.graph is g for f in fetches):
            flat = fetches       # the common case: a flat list of graph elements
            rebuild = list if tf_ is list else tuple
        else:
            flat = []
            rebuild = self._flatten(fetches, flat)
        if feed_dict and any(hasattr(k, "_feed_parts") for k in feed_dict):
            # a key fed in parts (a sparse tensor: its indices, values and shape): the
            # run of its parts (a key of that kind is never among ``_resolved``'s)
            parts = {}
            for k, v in feed_dict.items():
                parts.update(k._feed_parts(v) if hasattr(k, "_feed_parts") else [(k, v)])
            return self.run(fetches, parts, options, run_metadata)
        feed_tensors = []
        if feed_dict:
            for k in feed_dict:
                t = k if type(k) is Tensor and k._op.graph is g else self._element(k)
                if isinstance(t, Operation):
                    raise TypeError(f"Cannot interpret feed_dict key as Tensor: Can not "
                                    f"convert an Operation into a Tensor ({t.name}).")
                feed_tensors.append(t)
        pkey = (tuple(flat), tuple(feed_tensors))
        plan = self._plans.get(pkey)
        if plan is None:
            plan = self._plans[pkey] = _compile(flat, feed_tensors, self.compile_options)
        out = self._run_plan(plan, feed_tensors, feed_dict.values() if feed_dict else (),
                             rebuild)
        if key is not None and flat is fetches and len(self._resolved) < 256:
            self._resolved[key] = (plan, tuple(feed_tensors), rebuild)
        return out

    def _run_plan(self, plan, feed_tensors, values, rebuild):
        """Convert and check the feeds, run ``plan``, and give the fetched values."""
        feed_values = []
        given_numpy = None
        all_numpy = True       # every converted feed a NumPy array: no backend to find
        for t, v in zip(feed_tensors, values):
            if type(v) is np.ndarray and v.dtype == t._np_dtype and v.shape == t._shape \
                    and v.dtype is not _OBJECT:
                feed_values.append(v)       # (``_convert_feed``'s common case)
                given_numpy = t
                continue
            c = _convert_feed(t, v)
            feed_values.append(c)
            if type(c) is not np.ndarray:
                all_numpy = False
            if type(v) is np.ndarray:
                given_numpy = t
        if given_numpy is not None and not all_numpy:
            bk = _feeds_backend(feed_values)
            if bk is not None:
                raise ValueError(f"feed_dict mixes a NumPy array (fed for "
                                 f"'{given_numpy.name}') with {bk.name} arrays; feed "
                                 "one backend's arrays per run")
        values = self._execute(plan, feed_values, all_numpy)
        if plan.variable_fetches:
            # a variable fetched itself gives its value after the run (TF 1's fetch of a
            # ref variable: sess.run([train_op, W]) shows the trained W); the ops inside
            # the run read the values from before it
            values = list(values)
            got = self._vars.get
            for k, vop in plan.variable_fetches:
                values[k] = got(vop, values[k])
        if _lower.CHECK_SPECIAL_OUTPUTS:
            _check_fetched(plan, values)
        fresh = plan.fresh
        return rebuild([None if s is None else _out(v, k not in fresh)
                        for k, (s, v) in enumerate(zip(plan.fetch_slots, values))])

    def _execute(self, plan, feed_values, all_numpy=False):
        if all_numpy and plan.stateless and not plan.donated_feeds:
            return self._execute_stateless(plan, feed_values)
        bk = _feeds_backend(feed_values) if feed_values and not all_numpy else None
        if bk is None:
            vals = list(plan.template)
            fast = plan.fast
            if plan.donated_feeds and not _donation_ok(plan, feed_values):
                fast = plan.fast_nodonate
            xp = _npx
        else:
            run, tmpl = generic_runner(plan, bk)
            vals = list(tmpl)
            xp = bk.xp
            # Python values fed beside the backend's arrays (converted to NumPy by the
            # feed check) join that backend
            feed_values = [xp.asarray(v) if isinstance(v, (np.ndarray, np.generic)) and
                           v.dtype.kind in "biufc" else v for v in feed_values]

            def fast(vals, ctx, store):
                return run(xp, vals, ctx, store)
        for s, v in zip(plan.feed_slots, feed_values):
            vals[s] = v
        ctx = RunContext(self, plan, feed_values)
        inflight = self._inflight
        inflight.append(None)
        if self._committing:
            with self._commit_lock:      # wait: a commit writes into variables' buffers
                pass
        try:
            token = quiet()
            try:
                out = fast(vals, ctx, self._vars)
            finally:
                loud(token)
        except errors.OpError:
            inflight.pop()
            raise
        except Exception:
            inflight.pop()
            # find the failing step with the step-by-step interpreter (no side effects:
            # writes are only staged) and report it
            self._interpret(plan, list(vals), ctx.effects, xp)
            raise
        except BaseException:
            inflight.pop()
            raise
        try:
            if ctx.writes or ctx.deferred is not None:
                self._commit(ctx)
        finally:
            inflight.pop()
        return out

    def _commit(self, ctx):
        """Write a run's staged values into the session's variables, under the commit
        lock. Where another run committed since this one began, the updates it staged
        (``RunContext.update``) are recomputed on the committed values and the deferred
        ones applied to them: the run read values that are stale now, and writing what
        it computed from them would undo the other run's updates."""
        with self._commit_lock:
            writes = ctx.writes
            if ctx.updates is not None and ctx.generation != self._generation:
                writes = self._rebased(ctx)
            if writes:
                self._vars.update(writes)
            self._generation += 1
            if ctx.deferred is not None:
                # (runs that begin now wait: the deferred updates write in place)
                self._committing = True
                try:
                    self._apply_deferred(ctx.deferred)
                finally:
                    self._committing = False

    def _write_now(self, var_op, value):
        """Set a variable's value outside any run (``Variable.load``), as one commit."""
        with self._commit_lock:
            self._vars[var_op] = value
            self._generation += 1

    def _rebased(self, ctx):
        """The run's writes with each staged update whose variables changed since it
        read them recomputed on their current values, in the run's order (a later
        update of the same variable reads the earlier one's recomputed value). A
        variable that a plain write (an assign) set after its last update keeps that
        write."""
        vars_ = self._vars
        now = {}         # variable op -> its value after the updates so far
        staged = {}      # variable op -> the value its last update staged in the run
        for ops, read, new, redo, extra in ctx.updates:
            staged.update(zip(ops, new))
            if redo is not None:
                cur = tuple(now[o] if o in now else vars_.get(o) for o in ops)
                if any(a is not b for a, b in zip(cur, read)):
                    new = tuple(redo(*cur, *extra))
            now.update(zip(ops, new))
        writes = dict(ctx.writes)
        for o, v in now.items():
            if writes.get(o) is staged[o]:
                writes[o] = v
        return writes

    def _execute_stateless(self, plan, feed_values):
        """``_execute`` for a plan of registry ops alone (no variables, assignments or
        other session state: ``nd.jit``'s plans, pure fetches) on NumPy feeds: it reads
        and stages nothing of the session's, so it needs no run context and waits for no
        commit."""
        vals = list(plan.template)
        for s, v in zip(plan.feed_slots, feed_values):
            vals[s] = v
        try:
            token = quiet()
            try:
                return plan.fast(vals, None, None)
            finally:
                loud(token)
        except errors.OpError:
            raise
        except Exception:
            # find the failing step with the step-by-step interpreter and report it
            self._interpret(plan, list(vals), None, _npx)
            raise

    def _apply_deferred(self, deferred):
        """Apply the run's deferred updates (``RunContext.defer``), under the commit lock
        (``_commit``), to the variables' current values: in place when the variable
        still holds the value the update read, owns its buffer, and nothing else refers
        to it -- no fetched value, view, saved copy or other run (counted: the session's
        dict, the loop's name, getrefcount's argument); otherwise into a new array. A
        value another run committed since is updated too (its update stays)."""
        alone = len(self._inflight) == 1
        vars_ = self._vars
        for k in range(len(deferred)):
            var_op, old, operand, ufunc = deferred[k]
            deferred[k] = None
            cur = vars_.get(var_op)
            if cur is not old:   # another run committed since: update its value
                vars_[var_op] = ufunc(old if cur is None else cur, operand)
            elif alone and old.base is None and old.flags.writeable and \
                    _getrefcount(old) == 4:   # (the dict, old, cur, the argument)
                ufunc(old, operand, out=old)
            else:
                vars_[var_op] = ufunc(old, operand)
            del old, operand, cur

    def _run_sub(self, ctx, fetches, feeds, done=()):
        tensors = list(feeds)
        key = ("sub", tuple(fetches), tuple(tensors), done)
        plan = self._plans.get(key)
        if plan is None:
            # (a sub-plan may run many times in one run: a deferred update would be
            # applied once per time, where staged writes keep the last)
            plan = self._plans[key] = _compile(list(fetches), tensors, defer=False,
                                               done=done)
        vals = list(plan.template)
        for s, t in zip(plan.feed_slots, tensors):
            vals[s] = feeds[t]
        # a sub-plan (a loop's iteration, a branch) reads variables as the run's earlier
        # writes left them: TF's loop that assigns a variable its condition reads ends
        store = self._vars if not ctx.writes else _Staged(ctx.writes, self._vars)
        return plan.fast(vals, ctx, store)

    def _interpret(self, plan, vals, effects=None, xp=None):
        ctx = RunContext(self, effects=effects)
        npx = _npx if xp is None else xp
        step = None
        try:
            with np.errstate(all="ignore"):
                for step in plan.steps:
                    code, f, idx, params, out, _ = step
                    if code == 0:
                        vals[out] = f(npx, *[vals[i] for i in idx], **params)
                    elif code == 2:
                        vals[out] = f(ctx, *[vals[i] for i in idx])
                    elif code == 1:
                        for o, v in zip(out, f(npx, *[vals[i] for i in idx], **params)):
                            vals[o] = v
                    else:
                        for o, v in zip(out, f(ctx, *[vals[i] for i in idx])):
                            vals[o] = v
        except errors.OpError:
            raise
        except Exception as e:
            op = step[5] if step is not None else None
            name = op.name if op is not None else "?"
            raise errors.InvalidArgumentError(
                None, op, f"{type(e).__name__} in op '{name}' ({op.type if op else '?'}): "
                f"{e}") from e

    def list_devices(self):
        return []

    def make_callable(self, fetches, feed_list=None):
        feed_list = list(feed_list or [])

        def call(*args):
            return self.run(fetches, dict(zip(feed_list, args)))
        return call


class InteractiveSession(Session):
    """A session that installs itself as the default session (for shells and notebooks).

    >>> import ndgrad.tf as tf
    >>> sess = tf.InteractiveSession()
    >>> tf.ones((2,)).eval()
    array([1., 1.], dtype=float32)
    >>> sess.close()
    """

    def __init__(self, target="", graph=None, config=None, *, compile_options=None):
        super().__init__(target, graph, config, compile_options=compile_options)
        _sess.stack.append(self)
        _graph_state.graph_stack.append(self.graph)
        self._entered = True

    def close(self):
        super().close()
        if getattr(self, "_entered", False):
            self._entered = False
            if self in _sess.stack:
                _sess.stack.remove(self)
            gs = _graph_state.graph_stack
            for i in range(len(gs) - 1, -1, -1):
                if gs[i] is self.graph:
                    del gs[i]
                    break


_lower = sys.modules["ndgrad.graph.compiler.lower"]


def _check_fetched(plan, values):
    """(tests: ``CHECK_SPECIAL_OUTPUTS``) each fetched value against its tensor's static
    shape and dtype: a static shape that the run's value contradicts is a bug of shape
    inference, which later ops would act on."""
    for s, v in zip(plan.fetch_slots, values):
        t = plan.slot_tensor.get(s) if s is not None else None
        if t is None or v is None:
            continue
        wrong = _lower.spec_mismatch(t._shape, t._np_dtype, v)
        if wrong:
            raise AssertionError(f"fetched {t.name} {wrong}")

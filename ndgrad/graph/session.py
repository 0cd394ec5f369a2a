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
import threading

import numpy as np

from .._backend import numpy_backend
from . import errors
from .core import Operation, Tensor, get_default_graph, _state as _graph_state
from .shape import TensorShape

_npx = numpy_backend.xp

try:   # NumPy's error state as a context variable: set "ignore" for a run in ~0.1 us
    from numpy._core._ufunc_config import _extobj_contextvar as _errvar
    from numpy._core.umath import _make_extobj
    _IGNORE = _make_extobj(all="ignore")
except Exception:  # pragma: no cover - other NumPy versions: the public context manager
    _errvar = None

__all__ = ["Session", "InteractiveSession", "get_default_session"]


class _SessState(threading.local):
    def __init__(self):
        self.stack = []


_sess = _SessState()


def get_default_session():
    """The innermost session entered with ``with sess:`` / ``sess.as_default()``, or the
    open ``InteractiveSession``; None when there is none."""
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

    __slots__ = ("session", "writes", "feeds", "_plan", "_feed_values", "effects")

    def __init__(self, session, plan=None, feed_values=(), effects=None):
        self.session = session
        self.writes = {}
        # values of ops with side effects outside the session's staged writes (a queue's
        # dequeue), kept so that re-running a failed plan to find the failing step
        # replays them instead of repeating the effect
        self.effects = {} if effects is None else effects
        self._plan = plan
        self._feed_values = feed_values

    def fed(self):
        """{tensor: value} of this run's feeds (for ops that run sub-plans, e.g. loops)."""
        if self._plan is None:
            return {}
        return dict(zip(self._plan.feed_tensors, self._feed_values))

    def run_sub(self, fetches, feeds):
        """Values of ``fetches`` computed inside this run (sharing its staged writes),
        with ``feeds``; the sub-plan is compiled once per session."""
        return self.session._run_sub(self, fetches, feeds)


_OP, _MULTI, _SPECIAL, _SPECIAL_MULTI = 0, 1, 2, 3


class _Plan:
    __slots__ = ("template", "steps", "feed_slots", "fetch_slots", "copy_slots", "fast",
                 "feed_tensors", "fast_by_xp")


def _topo(targets, fed):
    """Ops needed for ``targets``, inputs first; stops at fed tensors."""
    order = []
    state = {}
    for root in targets:
        if root in state:
            continue
        stack = [(root, False)]
        while stack:
            op, done = stack.pop()
            if done:
                state[op] = 2
                order.append(op)
                continue
            s = state.get(op)
            if s == 2:
                continue
            if s == 1:
                continue
            state[op] = 1
            stack.append((op, True))
            for c in reversed(op.control_inputs):
                if state.get(c) is None:
                    stack.append((c, False))
            skip = op._attrs.get("ref_inputs", 0) if op._kind != "op" else 0
            for a in reversed(op._args[skip:]):
                if isinstance(a, Tensor) and a not in fed and state.get(a._op) is None:
                    stack.append((a._op, False))
    return order


class _Reread:
    """The step that reads a variable after the writes staged earlier in the run."""
    _kind = "reread"

    def __init__(self, var_op):
        self.name = var_op.name
        self.type = "ReadVariable"


def _reread(var_op):
    def fn(ctx):
        v = ctx.writes.get(var_op)
        if v is None:
            v = ctx.session._vars.get(var_op)
        if v is None:
            return var_op._fn(ctx)     # raises FailedPreconditionError naming it
        return v
    return fn


def _compile(fetch_elems, feed_tensors):
    fed = set(feed_tensors)
    targets = []
    for e in fetch_elems:
        op = e if isinstance(e, Operation) else e._op
        if not (isinstance(e, Tensor) and e in fed):
            targets.append(op)
    order = _topo(targets, fed)
    slot = {}
    template = []

    def slot_of(t):
        s = slot.get(t)
        if s is None:
            s = slot[t] = len(template)
            template.append(None)
        return s

    plan = _Plan()
    plan.feed_slots = [slot_of(t) for t in feed_tensors]
    plan.feed_tensors = list(feed_tensors)
    steps = []
    copy_slots = set()
    known = set()                     # slots whose value is fixed at compile time
    for op in order:
        if op._kind == "const":
            s = slot_of(op.outputs[0])
            template[s] = op._attrs["value"]
            known.add(s)
            continue
        idx = []
        skip = op._attrs.get("ref_inputs", 0) if op._kind != "op" else 0
        after_writes = bool(op.control_inputs)
        for a in op._args[skip:]:
            if after_writes and isinstance(a, Tensor) and a._op._kind == "variable":
                # an op ordered after other ops reads a variable as those left it
                s = len(template)
                template.append(None)
                steps.append((_SPECIAL, _reread(a._op), (), None, s, _Reread(a._op)))
                idx.append(s)
            elif isinstance(a, Tensor):
                idx.append(slot_of(a))
            else:
                s = len(template)
                template.append(a)
                known.add(s)
                idx.append(s)
        idx = tuple(idx)
        outs = [slot_of(t) for t in op.outputs]
        if op._kind == "op":
            multi = op._op.multi
            if all(i in known for i in idx) and not any(o in plan.feed_slots for o in outs):
                # constant folding: every input is a constant
                try:
                    with np.errstate(all="ignore"):
                        r = op._op.forward(_npx, *[template[i] for i in idx], **op._params)
                except Exception:
                    r = None
                else:
                    for o, v in zip(outs, r if multi else (r,)):
                        template[o] = v
                        known.add(o)
                    continue
            if multi:
                steps.append((_MULTI, op._op.forward, idx, op._params, tuple(outs), op))
            else:
                steps.append((_OP, op._op.forward, idx, op._params, outs[0], op))
        else:
            if op._kind == "variable":
                copy_slots.update(outs)
            if len(outs) == 1:
                steps.append((_SPECIAL, op._fn, idx, None, outs[0], op))
            else:
                steps.append((_SPECIAL_MULTI, op._fn, idx, None, tuple(outs), op))
    plan.template = template
    plan.steps = steps
    plan.fetch_slots = [None if isinstance(e, Operation) else slot[e] for e in fetch_elems]
    plan.copy_slots = copy_slots
    plan.fast = _generate(plan)
    plan.fast_by_xp = None
    return plan


def _fast_for(plan, feed_values):
    """The plan's function for its feeds' backend: the NumPy one, or (Dask-fed runs)
    the same steps generated against the Dask namespace, so the fetches stay lazy."""
    for v in feed_values:
        if type(v) is not np.ndarray and _is_dask(v):
            from .._backend import dask_backend
            xp = dask_backend().xp
            if plan.fast_by_xp is None:
                plan.fast_by_xp = {}
            f = plan.fast_by_xp.get(xp)
            if f is None:
                f = plan.fast_by_xp[xp] = _generate(plan, xp)
            return f
    return plan.fast


def _is_dask(v):
    t = type(v)
    return t.__name__ == "Array" and t.__module__.startswith("dask.array")


def _direct_table():
    from .._ops import elementwise
    from .._ops.registry import REGISTRY
    table = {}
    for name, vjp, _ in elementwise.UNARY + elementwise.BINARY:
        op = REGISTRY.get(name)
        fn = getattr(_npx, name, None)
        if op is not None and fn is not None and op.forward.__qualname__.startswith(
                "_forward."):
            table[op.forward] = fn
    # forwards that are one NumPy call with the same arguments
    for name, fn in (("matmul", np.matmul), ("matrix_transpose", np.matrix_transpose)):
        op = REGISTRY.get(name)
        if op is not None:
            table[op.forward] = fn
    return table


_DIRECT = _direct_table()


def _generate(plan, xp=_npx):
    """The plan as one straight-line Python function (no interpreter loop per step):
    ``fast(vals, ctx, store) -> values of the fetch slots``; its ops get namespace ``xp``."""
    env = {"npx": xp}
    used = set()
    body = []
    # free each intermediate after its last use (peak memory near an interpreter's)
    keep = {s for s in plan.fetch_slots if s is not None}
    last = {}
    for i, st in enumerate(plan.steps):
        for j in st[2]:
            last[j] = i
    free_after = {}
    for i, st in enumerate(plan.steps):
        for o in (st[4] if isinstance(st[4], tuple) else (st[4],)):
            if o not in keep:
                free_after.setdefault(last.get(o, i), []).append(o)
    for i, (code, f, idx, params, out, op) in enumerate(plan.steps):
        env[f"F{i}"] = f
        used.update(idx)
        args = "".join(f", v{j}" for j in idx)
        direct = _DIRECT.get(f) if code == _OP and not params and xp is _npx else None
        if direct is not None:
            # an elementwise table op: its forward is ``getattr(xp, name)(*args)``
            env[f"F{i}"] = direct
            body.append(f"    v{out} = F{i}({args[2:]})")
        elif code == _OP or code == _MULTI:
            kw = ""
            if params:
                env[f"P{i}"] = params
                kw = f", **P{i}"
            target = f"v{out}" if code == _OP else (
                ", ".join(f"v{o}" for o in out) + ("," if len(out) == 1 else ""))
            if code == _MULTI and not out:
                target = "_"
            body.append(f"    {target} = F{i}(npx{args}{kw})")
        elif op._kind == "variable":
            env[f"K{i}"] = op
            body.append(f"    v{out} = store.get(K{i})")
            body.append(f"    if v{out} is None: v{out} = F{i}(ctx)")
        elif code == _SPECIAL:
            body.append(f"    v{out} = F{i}(ctx{args})")
        else:
            if out:
                body.append("    " + ", ".join(f"v{o}" for o in out) +
                            ("," if len(out) == 1 else "") + f" = F{i}(ctx{args})")
            else:
                body.append(f"    F{i}(ctx{args})")
        dead = free_after.get(i)
        if dead:
            body.append("    del " + ", ".join(f"v{o}" for o in dead))
    produced = {o for st in plan.steps for o in (st[4] if isinstance(st[4], tuple)
                                                   else (st[4],))}
    loads = sorted((used | {s for s in plan.fetch_slots if s is not None}) - produced)
    head = [f"    v{s} = vals[{s}]" for s in loads]
    ret = "    return (" + "".join(f"v{s}, " if s is not None else "None, "
                               for s in plan.fetch_slots) + ")"
    src = "def fast(vals, ctx, store):\n" + "\n".join(head + body + [ret]) + "\n"
    exec(compile(src, "<ndgrad plan>", "exec"), env)
    return env["fast"]


def _type_name(np_dtype):
    return {"float32": "float", "float64": "double", "int32": "int32", "int64": "int64",
            "bool": "bool", "float16": "half"}.get(np.dtype(np_dtype).name,
                                                   np.dtype(np_dtype).name)


def _convert_feed(t, value):
    if isinstance(value, Tensor):
        raise TypeError("The value of a feed cannot be a tf.Tensor object. Acceptable feed "
                        "values include Python scalars, strings, lists, numpy ndarrays, or "
                        "TensorHandles. For reference, the tensor object was "
                        f"{value} which was passed to the feed with key {t}.")
    dt = t._np_dtype
    if type(value) is np.ndarray and value.dtype == dt and t._shape is not None and \
            value.shape == t._shape:
        return value       # the common case, nothing to convert or check
    if type(value) is not np.ndarray and (_is_dask(value) or _is_dask(getattr(
            value, "_data", None))):
        return _dask_feed(t, getattr(value, "_data", value), dt)
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
    return _shape_checked(t, v)


def _shape_checked(t, v):
    shape = t._shape
    if shape is not None and (len(shape) != v.ndim or any(
            d is not None and d != s for d, s in zip(shape, v.shape))):
        raise ValueError(f"Cannot feed value of shape {v.shape!r} for Tensor '{t.name}', "
                         f"which has shape '{TensorShape(shape)}'")
    return v


def _dask_feed(t, v, dt):
    """A Dask array fed as it is (lazy), cast to the placeholder's dtype, shape checked."""
    return _shape_checked(t, v if v.dtype == dt else v.astype(dt))


def _out(v, copy):
    """A fetched value as the user gets it: NumPy scalars for 0-d results, and always a
    copy for arrays (a result may share memory with a variable's value or a feed)."""
    if type(v) is np.ndarray:
        if v.ndim == 0:
            return v[()]
        return v.copy()
    if isinstance(v, np.generic):
        return v
    if _is_dask(v):
        return v           # a Dask-fed run's fetches stay lazy until .compute()
    return np.asarray(v)


class Session:
    """Runs graph elements: ``sess.run(fetches, feed_dict)``; holds variable values.

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as sess:
    ...     print(sess.run(tf.constant(5.0) * tf.constant(6.0)))
    30.0
    """

    def __init__(self, target="", graph=None, config=None):
        self.graph = graph if graph is not None else get_default_graph()
        self._vars = {}          # variable op -> value
        self._rngs = {}          # random op -> numpy Generator
        self._plans = {}
        self._closed = False
        self._ctx_stack = []
        self._resources = {}     # op -> per-session resource (a queue's state)
        self._res_lock = threading.Lock()

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

    def resource(self, op, make):
        """The per-session resource of ``op`` (made by ``make()`` on first use); a closed
        session's resources are cancelled."""
        r = self._resources.get(op)
        if r is None:
            with self._res_lock:
                if self._closed:
                    raise errors.CancelledError(None, op, "Session has been closed.")
                r = self._resources.get(op)
                if r is None:
                    r = self._resources[op] = make()
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
        g = self.graph
        tf_ = type(fetches)
        if (tf_ is list or tf_ is tuple) and all(
                isinstance(f, (Tensor, Operation)) and f.graph is g for f in fetches):
            flat = fetches       # the common case: a flat list of graph elements
            rebuild = list if tf_ is list else tuple
        else:
            flat = []
            rebuild = self._flatten(fetches, flat)
        feed_tensors = []
        feed_values = []
        if feed_dict:
            for k, v in feed_dict.items():
                t = k if type(k) is Tensor and k._op.graph is g else self._element(k)
                if isinstance(t, Operation):
                    raise TypeError(f"Cannot interpret feed_dict key as Tensor: Can not "
                                    f"convert an Operation into a Tensor ({t.name}).")
                feed_tensors.append(t)
                feed_values.append(_convert_feed(t, v))
        key = (tuple(flat), tuple(feed_tensors))
        plan = self._plans.get(key)
        if plan is None:
            plan = self._plans[key] = _compile(flat, feed_tensors)
        values = self._execute(plan, feed_values)
        copy = plan.copy_slots
        results = [None if s is None else _out(v, s in copy)
                   for s, v in zip(plan.fetch_slots, values)]
        return rebuild(results)

    def _execute(self, plan, feed_values):
        vals = list(plan.template)
        for s, v in zip(plan.feed_slots, feed_values):
            vals[s] = v
        ctx = RunContext(self, plan, feed_values)
        fast = _fast_for(plan, feed_values) if feed_values else plan.fast
        try:
            if _errvar is not None:
                token = _errvar.set(_IGNORE)
                try:
                    out = fast(vals, ctx, self._vars)
                finally:
                    _errvar.reset(token)
            else:
                with np.errstate(all="ignore"):
                    out = fast(vals, ctx, self._vars)
        except errors.OpError:
            raise
        except Exception:
            # find the failing step with the step-by-step interpreter (no side effects:
            # writes are only staged) and report it
            self._interpret(plan, list(vals), ctx.effects)
            raise
        if ctx.writes:
            self._vars.update(ctx.writes)
        return out

    def _run_sub(self, ctx, fetches, feeds):
        tensors = list(feeds)
        key = ("sub", tuple(fetches), tuple(tensors))
        plan = self._plans.get(key)
        if plan is None:
            plan = self._plans[key] = _compile(list(fetches), tensors)
        vals = list(plan.template)
        for s, t in zip(plan.feed_slots, tensors):
            vals[s] = feeds[t]
        return plan.fast(vals, ctx, self._vars)

    def _interpret(self, plan, vals, effects=None):
        ctx = RunContext(self, effects=effects)
        npx = _npx
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

    def __init__(self, target="", graph=None, config=None):
        super().__init__(target, graph, config)
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

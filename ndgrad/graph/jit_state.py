"""What a jitted function rebinds outside itself while it is traced.

``nd.jit`` runs a function's Python code only when it traces. A function that rebinds a
name it reads from outside its arguments (``state["t"] += 1``, ``self.w = self.w - lr *
g``) does so at every eager call; the compiled code would not, and JAX silently keeps
running on the trace's values. Here the places the function reads by name
(``jit_guards``' chains, the attributes of the objects they reach, the globals of its
module) are recorded before the trace (``Before``) and compared after it:

- a *traced value* stored there (``self.w = self.w - lr * g``, ``history.append(loss)``)
  would leak out of the trace, and later calls would not update it: the call is refused,
  naming the place, and what was there is put back;
- another value (a counter, a schedule's step), or an iterator the trace advanced
  (``next(it)``), makes the trace's guard expect no value: the next call traces again
  and runs the function's Python code, as the eager function does at every call (a
  warning at trace time says so: pass such state as an argument to compile once). A name
  bound for the first time, or from None (a cache the function fills), is traced once
  more and then stays compiled.

A container changed through its own methods with values that are not traced
(``calls.append(1)``, the idiom that counts traces) is not a rebinding: that runs once,
while tracing, as in JAX.
"""
from __future__ import annotations

import functools
import types
import warnings

from . import jit_guards as _guards

_MISSING = _guards._MISSING
_MAX_COPY = 10_000   # entries of a list or dict copied to be put back
# what a guard expects of a chain its trace rebound: no value is the same, so every call
# traces again (the compiled code cannot rebind it, as each eager call does)
_REBOUND = object()


def _plain_dict(obj):
    """``obj``'s instance ``__dict__`` when it is a plain dict (read without user code)."""
    if isinstance(obj, (type, types.ModuleType, types.FunctionType)) or obj is _MISSING:
        return None
    try:
        d = object.__getattribute__(obj, "__dict__")
    except (AttributeError, TypeError):
        return None
    return d if type(d) is dict else None


class Before:
    """The values a function's chains reach and the namespaces they pass through, taken
    before a trace (``reader``: ``jit_guards.read``'s, for this call's ``args`` and
    ``kwargs``)."""

    __slots__ = ("args", "kwargs", "values", "spaces", "containers", "cells", "iters")

    def __init__(self, fun, reader, args, kwargs):
        self.args = args
        self.kwargs = kwargs
        self.values = {}       # chain key -> (root, steps, value before)
        self.spaces = {}       # id -> (namespace dict, its copy, how names in it read)
        self.containers = {}   # id -> (list or dict reached, its copy, its name)
        self.cells = []        # (closure cell, its name, what it held before)
        self.iters = {}        # chain key -> where the iterator it reaches stood before
        f = (fun.__func__ if isinstance(fun, types.MethodType) else
             fun.func if isinstance(fun, functools.partial) else fun)
        f = _guards._unwrap(f)
        if isinstance(f, types.FunctionType):
            # the function's own module and closure: a name it only stores to
            # (``global last; last = y``) is no chain, but a leak there is one too
            self._space(f.__globals__, "")
            for name, cell in zip(f.__code__.co_freevars, f.__closure__ or ()):
                try:
                    self.cells.append((cell, name, cell.cell_contents))
                except ValueError:
                    self.cells.append((cell, name, _MISSING))
        for key, (root, steps) in reader.chains.items():
            v, n = _guards._resolve(root, steps, args, kwargs)
            if n == len(steps):
                self.values[key] = (root, steps, v)
                if _is_iterator(v):
                    self.iters[key] = _iter_state(v)
            if root[0] == "dict":
                self._space(root[1], "")
            w = _guards._root_value(root, args, kwargs)
            for k in range(n + 1):
                d = _plain_dict(w)
                if d is not None:
                    self._space(d, _guards._describe(root, steps[:k]) + ".")
                if type(w) in (list, dict) and id(w) not in self.containers \
                        and len(w) <= _MAX_COPY:
                    self.containers[id(w)] = (w, w.copy(), _guards._describe(root, steps[:k]))
                if k < n:
                    w = _guards._step(w, steps[k])

    def _space(self, d, prefix):
        if id(d) not in self.spaces:
            self.spaces[id(d)] = (d, dict(d), prefix)

    def leaked(self, traced):
        """Where a value of type ``traced`` (or a list, tuple or dict holding one, up to
        three levels down) is now found that was not there before: the first place's
        name, after putting back every such place as it was (None when there is none;
        ``(name, False)`` when some place could not be put back: a container reached
        through a call's result)."""
        def holds(v, depth=3):
            if isinstance(v, traced):
                return True
            t = type(v)
            if t not in (list, tuple, dict) or len(v) > _MAX_COPY or not depth:
                return False
            return any(holds(e, depth - 1) for e in (v.values() if t is dict else v))

        first = None
        for d, copy, prefix in self.spaces.values():
            for k in [k for k, v in d.items() if holds(v)]:
                first = first or f"{prefix}{k}"
                if k not in copy:
                    del d[k]
                elif copy[k] is not d[k]:
                    d[k] = copy[k]
                # (else a container that was there before now holds one: put back below
                # when a chain reached it, refused either way)
        for c, copy, name in self.containers.values():
            if holds(c):
                first = first or name
                if type(c) is dict:
                    c.clear()
                    c.update(copy)
                else:
                    c[:] = copy
        cells = [(root[1], root[2], before) for root, steps, before in
                 self.values.values() if not steps and root[0] == "cell"]
        for cell, name, before in cells + self.cells:
            v = _guards._root_value(("cell", cell, name))
            if holds(v) and v is not before:
                first = first or name
                if before is _MISSING:
                    del cell.cell_contents
                else:
                    cell.cell_contents = before
        if first is not None and any(holds(v) for d, _, _ in self.spaces.values()
                                     for v in d.values()):
            # (a container no chain reached, that held no traced value before: it
            # cannot be put back)
            first = (first, False)
        return first

    @staticmethod
    def refuse_leak(where, what):
        """Raise RuntimeError for a traced value the trace of ``what`` stored at
        ``where`` (``leaked``'s answer; nothing when None)."""
        if where is not None:
            back = type(where) is not tuple
            where = where if back else where[0]
            raise RuntimeError(
                f"nd.jit({what}) stored a traced value in `{where}` while tracing: it would "
                "leak out of the trace, and later calls of the compiled code would not "
                "store theirs. Return the new value and assign it outside the jitted "
                f"function (`loss, w = step(w, x)`); `{where}` "
                + ("is as it was before this call" if back else
                   "still holds it (reached through a call, it could not be put back)"))

    def rebound(self):
        """The chains that reach another value now than before (``jit_guards.same``
        tells): a list of (chain key, name, value before)."""
        out = []
        for key, (root, steps, before) in self.values.items():
            now, n = _guards._resolve(root, steps, self.args, self.kwargs)
            if n == len(steps) and (not _guards.same(before, now) or (
                    key in self.iters and now is before and
                    (self.iters[key] is None or _iter_state(now) != self.iters[key]))):
                # (rebound, or an iterator the trace advanced: next(it) runs at every
                # eager call)
                out.append((key, _guards._describe(root, steps), before))
        return out


def _is_iterator(v):
    """Whether ``v`` is a builtin iterator or a generator (the program's own iterator
    classes keep their place in attributes, which the chains of ``__next__`` read)."""
    if isinstance(v, types.GeneratorType):
        return True
    t = type(v)
    nxt = _guards._class_attr(t, "__next__")
    return nxt is not _guards._MISSING and not isinstance(nxt, types.FunctionType) and \
        _guards._class_attr(t, "__iter__") is not _guards._MISSING


def _iter_state(it):
    """Where iterator ``it`` stands, comparably (None when that cannot be read: it is
    then taken to move at every call)."""
    if isinstance(it, types.GeneratorType):
        return None   # (its place is its frame's: taken to move)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")   # (itertools' pickling is deprecated)
            red = it.__reduce__()
    except Exception:
        return None

    def flat(v):
        if isinstance(v, tuple):
            return tuple(flat(e) for e in v)
        return v if type(v) in _guards._SCALARS else ("id", id(v))
    return flat(red)


def expect_before(guards, rebound):
    """Make ``guards`` (a trace's, recorded after it) expect no value for the ``rebound``
    chains, so the next call traces again (and runs the Python code that rebinds them:
    a trace that rebinds nothing is then kept, as for a cache). Returns the names,
    and whether a warning should say so: not when every one was bound for the first time
    or from None (a cache the function fills: traced once more, then compiled)."""
    if guards is None or not rebound:
        return frozenset(), False
    at = {_guards.chain_key(r, s): k for k, (r, s) in enumerate(guards.chains)}
    names = []
    cache = True
    for key, name, before in rebound:
        k = at.get(key)
        if k is None:
            continue
        guards.expected[k] = _REBOUND
        names.append(name)
        first = (before is _MISSING or before is None or
                 key[3] and key[3][-1][0] == "len" and before == 0)   # (filled once)
        if not first:
            cache = False
    return frozenset(names), bool(names) and not cache


def warn_rebound(names, what):
    """The one warning per jitted function ``what`` that rebinds ``names`` while
    tracing."""
    names = sorted(names)
    shown = ", ".join(f"`{n}`" for n in names[:3]) + (" ..." if len(names) > 3 else "")
    warnings.warn(
        f"nd.jit({what}) rebinds (or advances) {shown} while tracing. Its Python code "
        "runs only when "
        "it is traced, so each call that finds the name rebound traces it again (and "
        "runs that code, as the eager function does at every call). To compile it "
        "once, pass such state as an argument and return its new value.", stacklevel=4)

"""Random generators an ``nd.jit`` trace draws from: refused, with their state restored.

``nd.jit`` runs a function's Python code once, while tracing, and compiles in what it
computed from outside its arguments. A draw from NumPy's or Python's random generators
would be made once: every call of the compiled function would return the numbers of
that one draw, where the eager function draws new ones at every call (JAX documents
this as a sharp bit of its jit; ``ndgrad.random`` already refuses inside ``nd.jit``).
Here the generators a function can reach by name are found before the trace (the chains
``jit_guards`` reads from globals, closure cells, ``self`` and object arguments: a
``numpy.random.Generator``, a ``RandomState``, a bit generator, a ``random.Random``,
and NumPy's and Python's global generators when the code names ``random``), their
state is recorded, and a trace after which one has moved is refused with the
generator's name, once its state is put back: the failed call draws nothing.

Not seen (as in JAX): a generator made inside the function from fresh entropy
(``np.random.default_rng()`` without a seed), one reached only through a call's
result, and other impure reads (``time.time()``, a file). A generator another thread
draws from while the first call traces is refused too: trace once before such a thread
starts, or pass the samples as arguments.
"""
from __future__ import annotations

import random as _pyrandom
import types

import numpy as np

from . import jit_guards as _guards

_NP_GLOBAL = np.random.mtrand._rand          # behind np.random.normal, np.random.seed ...
_PY_GLOBAL = getattr(_pyrandom, "_inst", None)   # behind random.random, random.seed ...
_GLOBAL_NAMES = {id(_NP_GLOBAL): "NumPy's global generator (np.random.*)",
                 id(_PY_GLOBAL): "Python's random module"}
_GENERATORS = (np.random.Generator, np.random.RandomState, np.random.BitGenerator,
               _pyrandom.Random)


def _state(gen):
    """A comparable copy of ``gen``'s state (arrays as bytes), and the raw state that
    puts it back."""
    if isinstance(gen, np.random.Generator):
        raw = gen.bit_generator.state
    elif isinstance(gen, np.random.RandomState):
        raw = gen.get_state(legacy=False)
    elif isinstance(gen, np.random.BitGenerator):
        raw = gen.state
    else:
        raw = gen.getstate()
    return _comparable(raw), raw


def _comparable(v):
    if isinstance(v, dict):
        return tuple((k, _comparable(x)) for k, x in sorted(v.items(), key=lambda kv: str(kv[0])))
    if isinstance(v, (list, tuple)):
        return tuple(_comparable(x) for x in v)
    if isinstance(v, np.ndarray):
        return (v.dtype.str, v.shape, v.tobytes())
    return v


def _restore(gen, raw):
    if isinstance(gen, np.random.Generator):
        gen.bit_generator.state = raw
    elif isinstance(gen, np.random.RandomState):
        gen.set_state(raw)
    elif isinstance(gen, np.random.BitGenerator):
        gen.state = raw
    else:
        gen.setstate(raw)


def _module_name(m):
    return getattr(m, "__name__", "") or ""


def _names_random(reader):
    """Whether some code the reader read loads a name ``random`` (``np.random.normal``,
    ``random.random()``)."""
    return any("random" in k[0].co_names for k in reader.seen)


def generators(fun, args=(), kwargs=None, reader=None):
    """The random generators ``fun`` can reach by name when called with ``args`` and
    ``kwargs``: a list of (generator, how the function names it). ``reader``:
    ``jit_guards.read(fun, args, kwargs)`` when already made.

    >>> import numpy as np
    >>> program = {"np": np}
    >>> exec("rng = np.random.default_rng(0)\\ndef f(x):\\n    return x + rng.normal()",
    ...      program)
    >>> [name for _, name in generators(program["f"], (1.0,))]
    ['`rng`']
    """
    r = reader if reader is not None else _guards.read(fun, args, kwargs)
    found = {}
    args = tuple(args)
    kwargs = dict(kwargs or {})
    for root, steps in r.chains.values():
        for k in range(len(steps) + 1):   # (each prefix: `rng` of `rng.normal`)
            v, n = _guards._resolve(root, steps[:k], args, kwargs)
            if n != k:
                break
            _note(v, f"`{_guards._describe(root, steps[:k])}`", found, r)
    for v in list(args) + list(kwargs.values()):
        if isinstance(v, _GENERATORS):   # (a generator passed as an argument)
            found.setdefault(id(v), (v, "a generator passed as an argument"))
    return list(found.values())


def _note(v, name, found, reader):
    """Add to ``found`` the generator that value ``v`` (named ``name``) is, or whose
    method it is, or the global one a module of NumPy's or Python's gives access to."""
    owner = (v.__self__ if isinstance(v, (types.MethodType, types.BuiltinMethodType))
             else None)   # (no other attribute read: no user code runs here)
    if isinstance(owner, _GENERATORS):
        v = owner   # (from numpy.random import normal: the global generator's method)
    if isinstance(v, types.ModuleType):
        m = _module_name(v)
        if (m == "numpy" or m.startswith("numpy.random")) and (
                m != "numpy" or _names_random(reader)):
            v = _NP_GLOBAL
        elif m == "random" and _PY_GLOBAL is not None:
            v = _PY_GLOBAL
    if isinstance(v, _GENERATORS):
        found.setdefault(id(v), (v, _GLOBAL_NAMES.get(id(v), name)))


class Watch:
    """The states of the generators a trace can draw from, recorded before it
    (``Watch(fun, args, kwargs, reader)``, ``reader`` as for ``generators``);
    ``check(what)`` after it refuses a draw."""

    __slots__ = ("states",)

    def __init__(self, fun, args=(), kwargs=None, reader=None):
        self.states = []
        for gen, name in generators(fun, args, kwargs, reader):
            try:
                state, raw = _state(gen)
            except Exception:   # (a subclass whose state cannot be read: not watched)
                continue
            self.states.append((gen, name, state, raw))

    def check(self, what):
        """Raise RuntimeError naming the first generator whose state moved since the
        watch began, after putting every moved generator back (the failed call draws
        nothing). ``what``: the jitted function, as the error names it."""
        moved = []
        for gen, name, state, raw in self.states:
            try:
                now, _ = _state(gen)
            except Exception:
                continue
            if now != state:
                moved.append((gen, name, raw))
        if not moved:
            return
        for gen, _, raw in moved:
            _restore(gen, raw)
        raise RuntimeError(
            f"nd.jit({what}) drew random numbers from {moved[0][1]} while tracing: the "
            "compiled function would return the numbers of that one draw at every call, "
            "where the function itself draws new ones. Draw outside the jitted function "
            "and pass the samples as an argument (the generator's state is as it was "
            "before this call)")

"""The names a jitted function reads from outside its arguments, checked at each call.

Globals, closure cells and ``self``, with the attributes and dict entries read from them:
one bound to another value after the trace makes ``nd.jit`` trace again.

``nd.jit`` runs the Python code of a function once, while tracing, and compiles in what
it read from outside its arguments. In-place writes into such arrays are caught by the
trace's captures (``jit._stale``); a *rebinding* is not a write: ``lr = 2.0``,
``model.w = new_w`` or ``cfg["scale"] = 3`` leave the old object untouched, so the
compiled code would keep running on the old value. JAX documents that staleness;
torch.compile guards against it. Here the function's bytecode (and that of the user
functions and methods it reaches by name, up to 6 calls deep) is read for the chains
``name.attr.attr[key]`` it loads from its globals, its closure cells, ``self``, its
defaults (read through ``__defaults__`` and ``__kwdefaults__``, so rebinding those counts
too), the values a ``functools.partial`` bound, and the objects the call passes (also
through ``*args`` and ``**kwargs``); after the trace each chain's object is recorded, and
every call compares the objects the chains reach now with those (identity; equal Python
or NumPy scalars count as the same, with -0.0 and 0.0 told apart). A difference means
the function would read another value: ``nd.jit`` traces again. Chains stop at anything
whose reading could run code (properties, ``__getattr__`` for a name the object does not
hold, descriptors other than slots), so checking never calls user code; that code itself
is read instead, with ``self`` the object (``self.lr`` returning ``self._lr`` is checked
as ``self._lr``). A bound method, an object's ``__call__``, a classmethod (``cls`` the
class, also when called on an object), ``self.__class__`` and a metaclass's attributes
are read as such; so is every function along a ``functools.wraps`` chain (the wrapper's
own names too), also under ``partial`` or ``nd.grad``. A constant key may be any scalar,
tuple of scalars or enum member (``D[0, "w"]``). Containers are dicts, lists, tuples
and the subclasses that read their entries by C's own methods (OrderedDict, defaultdict,
a namedtuple, whose fields are read too, a class that adds only other methods), deques
and mappingproxies; ``type(obj).k`` reads obj's class, and a module imported inside the
function (``import cfg``, ``from cfg import lr``) is read as globals are. A descriptor of
the program's own class is read as its ``__get__``'s code (with the instance), a module's
``__getattr__`` (PEP 562) as its code. A container a chain reaches whole (``for W, b
in params``, ``self.layers``), or before a method that reads it (``cfg.get(name)``,
``params.values()``), also has its length and entries checked (up to
64; entries under keys of the program's own types are not, and a loop over such a dict
warns), and the methods of the program's own objects in it are read; a set of up to 64
scalars is checked as one value. One entry under a key known at the trace --
``D.get("k")``, ``"k" in D``, ``D[name]`` or ``D.get(name)`` with ``name`` a scalar
parameter never assigned to -- is its own chain, in a container of any length.
``getattr(obj, "name"[, default])`` with a constant name is ``obj.name``. A container of
more than 64 entries read otherwise (a loop, ``zip``, ``sum``, a slice, a computed
index), a set of other objects, more than 256 chains, helpers more than 6 calls deep or
containers nested deeper than that are not fully checked, and a warning at trace time
says so (a container over 64 entries nested in another one is not, silently). What a
program function, method, property getter or called object returns is read on as the
chains its ``return`` statements read (``get_config().lr`` is ``CONFIG.lr`` for a
``get_config`` that returns ``CONFIG``; ``model.cfg.w`` is ``model._cfg.w`` for a property
returning ``self._cfg``), also a tuple, list or dict display or a slice it returns
(``return A, B``), a return in an except handler, a generator's yields (a
``contextlib.contextmanager``'s ``with use() as c``), and through ``functools.wraps``
wrappers, ``lru_cache`` and ``partial``; calls inside calls up to 4 deep (deeper: the
warning). A value a conditional expression, ``or`` or ``and`` gives is any branch's
(``(A if c else B).w``). What the chains cannot see (a result that is no chain: a new
object, what a library function returns -- ``list(self.layers)``, ``D.get(k, A)``'s
default --, a return inside a ``with`` block; code the function reaches by a name
computed at run time, ``super().k``, a class pattern of ``match``, a library class whose
item access is Python code (UserDict), ``vars(obj)``, ``obj.__dict__[k]``, ``locals()``,
what a function or lambda made inside the function returns, a ``**kwargs`` entry
returned, a walrus returned, a ``__call__`` that is a staticmethod, classmethod or
partialmethod, a metaclass's property, a property of a dict subclass that reads its own
entries, a getter called as ``type(obj).prop.fget(obj)``, ``getattr(f(), "k")`` on 3.11,
entries a ``partial``'s ``keywords`` dict gets after it is made) stays as JAX has it; where such a path led to
an array, the trace says so in a warning (``jit._unguarded``).

A local that takes a chain's object (``m = model``, ``a, b = PAIR``, ``with ctx as c``)
reads on from it (``m.w`` is ``model.w``); a loop variable, a subscript by a computed key
(``self.layers[i]``) and a comprehension's iterator read on from every entry
(``layer.w`` is ``LAYERS[k].w`` for each k, with the length); a parameter that nested
code captures (``lambda: self.w``) is read there too. A value an expression makes of
chains -- a loop over ``enumerate(L)``, ``zip(A, B)``, ``sorted(D.values())`` or
``L[1:]``, a display ``ms = [A, B]``, a swap, a starred or nested unpacking, ``D.get(k)``
-- is read as each object (each entry of each container) read on its line; a subscript
by a key expression (``L[i - 1]``) as every entry; the parameters of the program's
helpers called on a line (two levels deep) and of a lambda made there as what is read on
that line. The code is read twice without its control flow, so a local reads on from
every binding of it, even one laid out after the load (a loop's ``m = B``): more checks
than needed, never fewer. ``with ctx as c``: c reads on from ctx and from what the
program's ``__enter__`` returns. Not seen: a name a nested function rebinds with
``nonlocal``, a class body inside the function, ``except E as e``, a walrus inside a
comprehension, objects inside a list or dict passed as an argument, a linked structure
walked further than the code's text shows (``n = n.next`` in a loop: two links) or
through recursion deeper than two helper levels, and a dict key of the program's own
type whose hash equals a key the function reads (its ``__eq__`` would run at each
check).
"""
from __future__ import annotations

import bisect
import collections
import dis
import enum
import functools
import inspect
import math
import os
import sys
import sysconfig
import types
import warnings

import numpy as np

_MISSING = object()    # a name or key that is not there (its later arrival is a change)
_UNSAFE = object()     # reading further could run user code: the chain stops before it

_MAX_GUARDS = 256
_OBJECT_CLASS = object.__dict__["__class__"]   # (obj.__class__ where no class redefines it)
_MAX_ENTRIES = 64
_MAX_DEPTH = 6
_MAX_HOPS = 4     # calls' and properties' results read on from, one inside another

# code here is library code: not read for chains (its globals do not change under a
# user's program); functions of these top-level packages neither
_LIBRARIES = frozenset(("ndgrad", "numpy", "scipy", "dask", "distributed", "jax", "torch",
                        "autograd", "cupy", "numexpr", "array_api_compat", "functools",
                        "builtins", "abc", "typing", "contextlib"))
_LIB_DIRS = tuple(os.path.normcase(os.path.abspath(p)) + os.sep for p in {
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))),   # the ndgrad package
    *(sysconfig.get_paths()[k] for k in ("stdlib", "platstdlib", "purelib", "platlib"))})
_SCALARS = (int, float, complex, bool, str, bytes, type(None))


def _safe_key(k, depth=3):
    """Whether dict key ``k`` hashes and compares without the program's code: a scalar, a
    tuple or frozenset of such, or a member of an enum that does not redefine hashing."""
    t = type(k)
    if t in _SCALARS:
        return True
    if t is tuple or t is frozenset:
        return depth > 0 and len(k) <= _MAX_ENTRIES and all(_safe_key(e, depth - 1)
                                                            for e in k)
    if isinstance(k, enum.Enum):
        return all(not isinstance(f, types.FunctionType) or f.__module__ == "enum"
                   for f in (_class_attr(t, "__hash__"), _class_attr(t, "__eq__")))
    return False


def _user_code(fn):
    """Whether ``fn`` (a Python function) is the program's own code, to be read."""
    key = (getattr(fn, "__module__", None), fn.__code__.co_filename)
    known = _USER_CODE.get(key)
    if known is None:
        if (key[0] or "").split(".")[0] in _LIBRARIES:
            known = False
        else:
            f = os.path.normcase(os.path.abspath(key[1]))
            known = not f.startswith(_LIB_DIRS)
        if len(_USER_CODE) < 4096:
            _USER_CODE[key] = known
    return known


_USER_CODE = {}   # (module name, file name) -> _user_code's answer


def _library_module(m):
    if not isinstance(m, types.ModuleType):
        return False
    top = m.__name__.split(".")[0]
    return top in _LIBRARIES or top in sys.stdlib_module_names


_TYPE_MRO = type.__dict__["__mro__"].__get__       # (a metaclass's __getattribute__ or
_TYPE_DICT = type.__dict__["__dict__"].__get__     # __getattr__ is never asked)


def _class_attr(cls, name):
    """``name`` in the dict of ``cls`` or a class of its MRO, read without the program's
    code (``_MISSING`` if none; ``cls`` not a class: ``_MISSING``)."""
    if not issubclass(type(cls), type):
        return _MISSING
    for k in _TYPE_MRO(cls):
        d = _TYPE_DICT(k)
        if name in d:
            return d[name]
    return _MISSING


def _is(v, types_):
    """``isinstance(v, types_)`` by ``type(v)`` alone: never reads a ``__class__`` the
    program defines (a proxy's property)."""
    return issubclass(type(v), types_)


# the methods a read of a container's entries may call; a subclass that defines one of
# them in Python (UserDict, a dict subclass with its own __getitem__) is read no further
_ENTRY_METHODS = ("__getitem__", "__len__", "__iter__", "__contains__", "get", "keys",
                  "values", "items")
_TUPLEGETTER = type(collections.namedtuple("_T", "a").a)   # a namedtuple field


def _kind(v):
    """``"map"`` or ``"seq"`` for a container whose entries can be read without the
    program's code -- dict, list, tuple, a subclass of them whose reading methods are
    all C's (OrderedDict, defaultdict, a namedtuple, a class that adds only other
    methods), a deque, a mappingproxy -- else None."""
    t = type(v)
    if t is dict or t is types.MappingProxyType:
        return "map"
    if t is list or t is tuple or t is collections.deque:
        return "seq"
    if _is(v, (dict, list, tuple, collections.deque)) and not any(
            type(_class_attr(t, m)) is types.FunctionType for m in _ENTRY_METHODS):
        return "map" if _is(v, dict) else "seq"
    return None


def _entries(v, kind):
    """The keys under which ``_step`` reads ``v``'s entries (a map's safe keys)."""
    if kind == "seq":
        return range(_c_len(v))
    return [k for k in (dict.keys(v) if _is(v, dict) else v.keys()) if _safe_key(k)]


def _c_len(v):
    return (dict.__len__(v) if _is(v, dict) else list.__len__(v) if
            _is(v, list) else tuple.__len__(v) if _is(v, tuple) else len(v))


def _c_get(v, k):
    """Entry ``k`` of a container ``_kind`` accepts, by C's own lookup (a dict
    subclass's __missing__ is not called: a missing key is ``_MISSING``)."""
    if _is(v, dict):
        return dict.get(v, k, _MISSING)
    if type(v) is types.MappingProxyType:
        return v.get(k, _MISSING)
    if type(k) is not int:
        return _UNSAFE
    n = _c_len(v)
    if not -n <= k < n:
        return _MISSING
    return (list.__getitem__(v, k) if _is(v, list) else tuple.__getitem__(v, k)
            if _is(v, tuple) else v[k])


def _step(obj, step):
    """One link of a chain, read without running user code: ``_UNSAFE`` where it would."""
    kind, name = step
    if kind == "call":   # (a call's result: the callee's returned chains, never read)
        return _UNSAFE
    if kind == "set":   # (a set's entries, as one frozen value: scalars alone)
        if type(obj) not in (set, frozenset) or len(obj) > _MAX_ENTRIES or not all(
                type(e) in _SCALARS for e in obj):
            return _UNSAFE
        return frozenset(obj)
    if kind == "class":   # (``type(obj)``: no user code)
        return type(obj)
    if kind == "len":
        return _c_len(obj) if _kind(obj) is not None else _UNSAFE
    if kind == "item":
        return _c_get(obj, name) if _kind(obj) is not None else _UNSAFE
    if _is(obj, types.ModuleType):
        v = obj.__dict__.get(name, _MISSING)
        # (a name it does not hold runs its __getattr__, PEP 562: read as code instead)
        return _UNSAFE if v is _MISSING and "__getattr__" in obj.__dict__ else v
    if _is(obj, type):
        v = _class_attr(obj, name)
        if _is(v, (staticmethod, classmethod)):
            return v.__func__
        if v is _MISSING and _class_attr(type(obj), "__getattr__") is not _MISSING:
            return _UNSAFE
        if v is _MISSING and type(obj) is not type:
            # a metaclass's attribute (a plain value: a method or property is code)
            v = _class_attr(type(obj), name)
            return v if v is _MISSING or _class_attr(type(v), "__get__") is _MISSING \
                else _UNSAFE
        return v if v is _MISSING or _class_attr(type(v), "__get__") is _MISSING or \
            type(v) is types.FunctionType else _UNSAFE
    t = type(obj)
    if type(_class_attr(t, "__getattribute__")) is types.FunctionType:
        return _UNSAFE   # (reading runs the class's own code; the reader reads that code)
    if name == "__class__" and _class_attr(t, name) is _OBJECT_CLASS:
        return t
    # (a __getattr__ runs only where the usual lookup finds nothing)
    missing = _UNSAFE if _class_attr(t, "__getattr__") is not _MISSING else _MISSING
    ca = _class_attr(t, name)
    if ca is not _MISSING:
        ct = type(ca)
        if ct is types.MemberDescriptorType or ct is _TUPLEGETTER:
            # a __slots__ entry, a namedtuple's field: no user code
            try:
                return ca.__get__(obj, t)
            except (AttributeError, IndexError):
                return missing
        if _class_attr(ct, "__set__") is not _MISSING or \
                _class_attr(ct, "__delete__") is not _MISSING:
            return _UNSAFE                      # a property or another data descriptor
    # (the instance dict by object's own slot: a ``__dict__`` the class defines is code)
    dd = _class_attr(t, "__dict__")
    if dd is not _MISSING and type(dd) not in (types.GetSetDescriptorType,
                                                types.MemberDescriptorType):
        return _UNSAFE
    try:
        d = object.__getattribute__(obj, "__dict__")
    except AttributeError:
        d = None
    if type(d) is dict and name in d:
        return d[name]
    if ca is _MISSING:
        return missing
    if _is(ca, (staticmethod, classmethod)):
        return ca.__func__
    if type(ca) is types.FunctionType or _class_attr(type(ca), "__get__") is _MISSING:
        return ca   # a method's function, or a class-level constant
    return _UNSAFE


def _root_value(root, args=None, kwargs=None):
    """What a chain's root holds now: a global (``dict``), a closure cell, a fixed object
    (a method's ``self``), or the call's positional argument ``arg`` (``args``) or
    keyword argument ``kwarg`` (``kwargs``)."""
    kind = root[0]
    if kind == "arg":
        return args[root[1]] if args is not None and root[1] < len(args) else _MISSING
    if kind == "kwarg":
        return kwargs.get(root[1], _MISSING) if kwargs else _MISSING
    if kind == "dict":
        return root[1].get(root[2], _MISSING)
    if kind == "cell":
        try:
            return root[1].cell_contents
        except ValueError:
            return _MISSING
    if kind == "default":   # (function, name, parameter position or keyword-only name)
        fn, at = root[1], root[3]
        if type(at) is str:
            d = fn.__kwdefaults__
            return d.get(at, _MISSING) if d else _MISSING
        d = fn.__defaults__ or ()
        k = at - fn.__code__.co_argcount + len(d)
        return d[k] if 0 <= k < len(d) else _MISSING
    return root[1]


def _resolve(root, steps, args=None, kwargs=None):
    """The object the chain reaches now, and how many of its steps could be read."""
    v = _root_value(root, args, kwargs)
    for n, s in enumerate(steps):
        if v is _MISSING:
            return v, n
        w = _step(v, s)
        if w is _UNSAFE:
            return v, n
        v = w
    return v, len(steps)


def same(a, b):
    """Whether ``a`` (recorded) and ``b`` (now) are one value for the compiled code: the
    same object, equal scalars of one type, or tuples of such. 0.0 and -0.0 differ; two
    Python float NaNs are one value, NumPy scalars are compared bit for bit.

    >>> from ndgrad.graph.jit_guards import same
    >>> same(2.0, float("2.0")), same(0.0, -0.0), same([1], [1]), same((2, 3), (2, 3))
    (True, False, False, True)
    """
    if a is b:
        return True
    t = type(a)
    if t is not type(b):
        return False
    if t is float:
        return (a == b and math.copysign(1.0, a) == math.copysign(1.0, b)) or (a != a and b != b)
    if t is complex:
        return same(a.real, b.real) and same(a.imag, b.imag)
    if t in _SCALARS:
        return a == b
    if t is tuple:   # (a shape, a pair of settings: compared entry by entry)
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if t is frozenset:   # (a set's entries, scalars: ``_step``'s "set")
        return a == b
    if _is(a, np.generic):
        return a.dtype == b.dtype and a.tobytes() == b.tobytes()
    return False


def _describe(root, steps):
    name = root[2]
    for kind, s in steps:
        name = (f"len({name})" if kind == "len" else f"set({name})" if kind == "set" else
                f"type({name})" if kind == "class" else f"{name}()" if kind == "call" else
                name + (f".{s}" if kind == "attr" else f"[{s!r}]"))
    return name


# the methods of a list, tuple or dict that read its entries
_READS = frozenset(("get", "values", "items", "keys", "copy", "index", "count",
                    "__getitem__", "__contains__", "__iter__", "__len__", "__reversed__"))
_READS_ALL = _READS - {"get", "__getitem__", "__contains__", "__len__"}   # (every entry)


# the instructions that load a constant: 3.14 loads the ints 0-255 with LOAD_SMALL_INT
# (``params[1]``, ``getattr(obj, "n", 0)``), earlier versions with LOAD_CONST
_CONSTANTS = frozenset(("LOAD_CONST", "LOAD_SMALL_INT"))


# the instructions that do nothing to the stack: a function with over 255 names or
# constants (127 names on 3.12+) has EXTENDED_ARG before some loads, NOP marks lines,
# 3.14's NOT_TAKEN marks a branch for monitoring
_NO_OPS = frozenset(("EXTENDED_ARG", "NOP", "CACHE", "NOT_TAKEN"))


def _loaded_local(op, arg):
    """The local variable an instruction pushes, or None: LOAD_FAST and its 3.12-3.14
    forms (LOAD_FAST_CHECK, LOAD_FAST_BORROW), the superinstructions that push two
    (3.13's LOAD_FAST_LOAD_FAST, 3.14's LOAD_FAST_BORROW_LOAD_FAST_BORROW: the chain goes
    on from the last) and the one that stores one and pushes another
    (STORE_FAST_LOAD_FAST, 3.13+)."""
    if not op.startswith("LOAD_FAST") and op != "STORE_FAST_LOAD_FAST":
        return None
    return arg[-1] if type(arg) is tuple else arg


_CALL_OPS = frozenset(("PRECALL", "CALL", "CALL_FUNCTION", "CALL_METHOD"))
_JUMP_OPS = frozenset(dis.hasjrel) | frozenset(dis.hasjabs) | frozenset(
    getattr(dis, "hasjump", ()))


def _call_of(ins, i, before):
    """The index of the call that takes the value instruction ``i`` pushes as its
    positional argument ``before`` (0: the first) and at most one more after it
    (``getattr(obj, "name", default)``, ``d.get("k", default)``), or None. The default may
    be any expression without a jump: the stack is followed to the call, and a value
    that takes ours in (``getattr(obj, "w" + s)``) is none."""
    d = 0   # (values pushed above ours: the default's, one when it is complete)
    for k in range(i + 1, min(len(ins), i + 48)):
        x = ins[k]
        if x.opname in _CALL_OPS and d <= 1 and x.arg == before + 1 + d:
            # (3.11: PRECALL, then CALL)
            return k + 1 if k + 1 < len(ins) and ins[k + 1].opname == "CALL" and \
                x.opname == "PRECALL" else k
        if x.opcode in _JUMP_OPS or x.opname.startswith(("SWAP", "ROT", "UNPACK")) or (
                d == 0 and x.opname.startswith(("LOAD_ATTR", "LOAD_METHOD", "LOAD_SUPER"))):
            return None
        d = _pushed(x, d)
        if d is None or d <= 0:   # (ours was taken in, or nothing is pushed)
            return None
    return None


def _call_on(ins, i, offsets):
    """The index of the call that calls the value on top of the stack before instruction
    ``i`` (a chain's object: ``get_config()``, ``model.config(1, k=2)``), or None. Its
    arguments are pushed above it (after the NULL that 3.13+ pushes after a callable
    loaded from a local or cell); a call takes them all (CALL_KW also the names). One
    path through a conditional expression among the arguments is followed (the
    condition falls through, the first branch's jump over the second is taken)."""
    k = i + 1 if i < len(ins) and ins[i].opname == "PUSH_NULL" else i
    d = 0
    for _ in range(48):
        if k >= len(ins):
            return None
        x = ins[k]
        if x.opname.startswith("POP_JUMP") and type(x.argval) is int and x.argval > x.offset:
            d = _pushed(x, d)       # (the condition, popped; the jump not taken)
            if d is None or d < 0:
                return None
            k += 1
            continue
        if x.opname in ("JUMP_FORWARD", "JUMP") and type(x.argval) is int and \
                x.argval > x.offset:
            k = bisect.bisect_left(offsets, x.argval)   # (over the other branch)
            continue
        if x.opname in ("CALL", "PRECALL", "CALL_KW") and x.arg == d - (x.opname == "CALL_KW"):
            return k + 1 if k + 1 < len(ins) and ins[k + 1].opname == "CALL" and \
                x.opname == "PRECALL" else k
        if x.opname == "CALL_FUNCTION_EX" and d == (2 if x.arg is None else 1 + (x.arg & 1)):
            # (``fn(*a, **k)``: the args tuple, and the kwargs dict where flag 1 says so;
            # 3.14 always pushes a kwargs slot)
            return k
        if x.opcode in _JUMP_OPS or x.opname.startswith(("SWAP", "ROT", "UNPACK")):
            return None
        d = _pushed(x, d)
        if d is None or d <= 0:   # (ours was taken in: no callee)
            return None
        k += 1
    return None


def _join_of(ins, i, offsets):
    """The index of the instruction where the value on top of the stack before
    instruction ``i`` is read again after a forward jump that keeps it (a conditional
    expression's first branch jumping over the second; ``A or B``, ``A and B``: 3.11's
    JUMP_IF_TRUE_OR_POP, 3.12+'s COPY 1 and POP_JUMP_IF_TRUE), or None."""
    x = ins[i]
    if x.opname in ("JUMP_FORWARD", "JUMP", "JUMP_NO_INTERRUPT", "JUMP_IF_TRUE_OR_POP",
                    "JUMP_IF_FALSE_OR_POP"):
        target = x.argval
    elif x.opname == "COPY" and x.arg == 1:
        j = i + 1
        while j < len(ins) and ins[j].opname == "TO_BOOL":
            j += 1
        if j >= len(ins) or ins[j].opname not in (
                "POP_JUMP_IF_TRUE", "POP_JUMP_IF_FALSE", "POP_JUMP_FORWARD_IF_TRUE",
                "POP_JUMP_FORWARD_IF_FALSE"):
            return None
        target = ins[j].argval
    else:
        return None
    if type(target) is not int:
        return None
    t = bisect.bisect_left(offsets, target)
    return t if i < t < len(ins) else None


def _pushed(x, d):
    """The stack depth ``d`` after instruction ``x`` (None where dis cannot tell)."""
    try:
        return d + (dis.stack_effect(x.opcode, x.arg, jump=False) if x.arg is not None
                    else dis.stack_effect(x.opcode, jump=False))
    except ValueError:
        return None


def _ending(ins, i, start, steps, keys):
    """How the chain (``steps``) loaded from instruction ``start`` on and ending at
    instruction ``i`` is used: ``"loop"`` (a loop over it), ``("key", k, how)``: one entry
    under a key known now (a constant, or a parameter ``keys`` holds), read by
    ``.get(k)`` (how ``"get"``), ``k in D`` (``"in"``) or ``D[k]`` (``"sub"``);
    ``"len"``: its length alone (``len(D)``, ``D is None``, ``if D``); else None."""
    x = ins[i]
    op = x.opname
    if op == "GET_ITER":
        return "loop"

    def key(y):
        if y.opname in _CONSTANTS:
            return (y.argval,) if _safe_key(y.argval) else None
        name = _loaded_local(y.opname, y.argval)
        return (keys[name],) if keys and name in keys else None

    k = key(x)
    if k is not None:
        nx = ins[i + 1].opname if i + 1 < len(ins) else ""
        if steps and steps[-1] == ("attr", "get") and _call_of(ins, i, 0) is not None:
            return ("key", k[0], "get")
        if x.opname not in _CONSTANTS and (
                nx == "BINARY_SUBSCR" or nx == "BINARY_OP" and ins[i + 1].argrepr == "[]"):
            return ("key", k[0], "sub")
        if nx == "IS_OP" and x.opname in _CONSTANTS:
            return "len"
    if start is not None and start > 0:
        p = ins[start - 1]
        if op == "CONTAINS_OP":
            k = key(p)
            if k is not None:
                return ("key", k[0], "in")
        if op in _CALL_OPS and x.arg == 1 and p.opname == "LOAD_GLOBAL" and \
                p.argval == "len":
            return "len"
    if op == "TO_BOOL" or op.startswith("POP_JUMP"):
        return "len"
    return None


# instructions that push one value and read nothing else: a subscript's computed key
_ONE_LOAD = frozenset(("LOAD_GLOBAL", "LOAD_DEREF", "LOAD_CONST", "LOAD_SMALL_INT",
                       "LOAD_NAME"))
# between a loop's GET_ITER and its FOR_ITER (3.12+ inlined comprehensions)
_LOOP_SETUP = frozenset(("LOAD_FAST_AND_CLEAR", "SWAP", "BUILD_LIST", "BUILD_MAP",
                         "BUILD_SET", "GET_ITER"))
_EACH = ("each", None)   # a chain step: every entry of the container (``_Reader._expand``)


_ITER = ("iter", None)   # the end of a chain that is an iterator (a comprehension's .0)
_CALL = ("call", None)   # a chain step: what calling the object returns (``_Reader._expand``)
_ANY = ("any", None)     # a loosely bound value: the object itself, or an entry of it
_DISPLAYS = frozenset(("BUILD_TUPLE", "BUILD_LIST", "BUILD_MAP", "BUILD_CONST_KEY_MAP",
                       "LIST_EXTEND", "BINARY_SLICE", "LIST_TO_TUPLE"))
_STORES = frozenset(("STORE_FAST", "STORE_DEREF", "STORE_FAST_LOAD_FAST",
                     "STORE_FAST_STORE_FAST"))


def _canon(steps):
    """Steps with each ``_ANY`` that has a step after it resolved as ``_expand`` reads it
    (the object itself: an entry or every-entry step after it dropped), so chains that
    read the same places have one form (a trailing ``_ANY`` stays: it still drops the
    step a later load adds)."""
    if _ANY not in steps[:-1]:
        return steps
    out = []
    drop = False
    for s in steps:
        if drop:
            drop = False
            if s[0] == "item" or s == _EACH:
                continue
        if s == _ANY:
            drop = True
            continue
        out.append(s)
    if drop:
        out.append(_ANY)
    return tuple(out) if type(steps) is tuple else out


class _Held(list):
    """Chains a local holds, with their ``chain_key``s (``known``): joining more chains
    costs what those add, not what the local held already."""
    __slots__ = ("known",)


def _joined(have, new):
    """Chains ``have`` and those of ``new`` not among them, compared by ``chain_key``
    (roots hold arrays and the program's objects: never compared by ==); ``have`` itself
    where ``new`` adds none (lists of chains are never changed in place)."""
    known = have.known if type(have) is _Held else {chain_key(r, st) for r, st in have}
    out = None
    for r, st in new:
        st = _canon(st)
        k = chain_key(r, st)
        if k not in known:
            if out is None:
                out = _Held(have)
                out.known = known = set(known)
            known.add(k)
            out.append((r, st))
    if out is not None:
        return out
    if type(have) is not _Held:
        have = _Held(have)
        have.known = known
    return have


def _holds(reader, root, steps):
    """What chain ``root`` + ``steps`` reaches now, for a local or parameter that takes
    it: ``"entries"`` (a container: its entries), ``"function"``, ``"object"`` (an
    object of the program), else None (a module, class, number, array, nothing)."""
    v, n = _resolve(root, steps, reader.args, reader.kwargs)
    if n < len(steps) or v is _MISSING:
        return None
    if _kind(v) is not None:
        return "entries"
    if _is(v, (types.FunctionType, types.MethodType, types.BuiltinFunctionType)):
        # (the program's own: ``act = relu if c else tanh`` then ``act(x)`` reads its
        # code; a library function holds nothing the program rebinds)
        f = getattr(v, "__func__", v)
        return "function" if _is(f, types.FunctionType) and _user_code(f) else None
    if _static_object(v) and not _is(v, (type, types.ModuleType)):
        return "object"
    return None


def _hold(srcs, name, chains):
    """Local ``name`` holds ``chains`` too (beside what it held)."""
    srcs[name] = _joined(srcs.get(name, []), chains)


def _object_chain(reader, c, depth=0):
    """Whether chain ``c`` reaches (now) an object of the program or a container: what
    a helper's parameter may take from its call's line (not a function, module, class,
    number or array)."""
    if any(x[0] in ("each", "iter", "any", "pair", "call") for x in c[1]):
        # (a loop's entry, or a value made of chains: each chain it stands for now --
        # ``FNS[i](h)`` passes no object where every entry of FNS is a function; a
        # container too long to be expanded stands for itself, a container)
        return any(_holds(reader, r, st) in ("entries", "object")
                   for r, st, _ in reader._expand(c[0], c[1], None, depth))
    return _holds(reader, c[0], c[1]) in ("entries", "object")


def _subscript_of(ins, i):
    """The index of the subscript that takes the container below instruction ``i`` with
    the key the instructions from ``i`` on compute (``L[i - 1]``), or None."""
    d = 0
    for k in range(i, min(len(ins), i + 24)):
        x = ins[k]
        if d == 1 and _subscript(x):
            return k
        if x.opcode in _JUMP_OPS or x.opname.startswith(("SWAP", "ROT", "COPY", "STORE",
                                                          "POP", "RETURN")):
            return None
        d = _pushed(x, d)
        if d is None or d <= 0:
            return None
    return None


def _for_iter(ins, i):
    """The index of the FOR_ITER of the loop whose GET_ITER is instruction ``i`` (past
    3.12+'s set-up of an inlined comprehension), or None."""
    j = i + 1
    while j < len(ins) and ins[j].opname in _LOOP_SETUP:
        j += 1
    return j if j < len(ins) and ins[j].opname == "FOR_ITER" else None


def _subscript(ins):
    return ins.opname == "BINARY_SUBSCR" or (ins.opname == "BINARY_OP"
                                             and ins.argrepr == "[]")


def _targets(ins, j):
    """The locals the stores from instruction ``j`` on bind, as (name, path) pairs: path
    () for a plain store, (k,) for the k-th value of an unpacking, (k, m) for the m-th
    of a nested one (``(a, b), c = P``); a starred name takes the path of its first
    value."""
    return _unpacked(ins, j)[0]


def _unpacked(ins, j, path=()):
    """``_targets``'s pairs from instruction ``j``, and the index after them."""
    if j >= len(ins):
        return [], j
    op, arg = ins[j].opname, ins[j].argval
    if op in ("STORE_FAST", "STORE_DEREF", "STORE_FAST_LOAD_FAST"):
        return [(arg[0] if type(arg) is tuple else arg, path)], j + 1
    if op == "STORE_FAST_STORE_FAST" and not path:
        return [(arg[0], path)], j + 1
    n = arg
    if op == "UNPACK_EX" and type(ins[j].arg) is int:
        # (``first, *rest = L``: the names before the star and after it, and the star)
        n = (ins[j].arg & 0xFF) + 1 + (ins[j].arg >> 8)
    elif op != "UNPACK_SEQUENCE" or type(arg) is not int:
        return [], j + 1
    out, k, j = [], 0, j + 1
    while k < n and j < len(ins):
        op, a = ins[j].opname, ins[j].argval
        if op == "STORE_FAST_STORE_FAST":
            out.extend([(a[0], path + (k,)), (a[1], path + (k + 1,))])
            k, j = k + 2, j + 1
            continue
        got, nj = _unpacked(ins, j, path + (k,))
        if nj == j + 1 and not got and op not in ("UNPACK_SEQUENCE", "UNPACK_EX"):
            # (an attribute or subscript target: its place is skipped, the rest read on)
            if not op.startswith("STORE"):
                break
        out.extend(got)
        k, j = k + 1, nj
    return out, j


def chain_key(root, steps):
    """The key of chain ``root`` + ``steps`` (one per place read, whatever it holds)."""
    return (root[0], root[1] if root[0] in ("arg", "kwarg") else id(root[1]),
            root[2] if root[0] in ("dict", "default") else None, tuple(steps))


class _Reader:
    """Reads functions' bytecode for the chains they load (``collect``)."""

    def __init__(self, args=None, kwargs=None):
        self.chains = {}      # (root key, steps) -> (root, steps)
        self.seen = set()     # (code, id of self, argument chains) already read
        self.args = args      # the traced call's positional arguments (``arg`` roots)
        self.kwargs = kwargs  # and its keyword arguments (``kwarg`` roots)
        self.unchecked = None  # what could not be checked (collect warns), or None
        self.cut = {}         # such keys not read, too deep -> the name
        self.returned = {}    # (code, id of self) -> the chains the function returns
        self._rooted = {}     # _returned's chains with self's root, by what reached it

    def add(self, root, steps):
        if root[0] == "obj" and not steps:
            return   # (a fixed object itself: always the same, nothing to check)
        if len(self.chains) >= _MAX_GUARDS:
            self.unchecked = f"the names it reads beyond the first {_MAX_GUARDS}"
            return
        key = chain_key(root, steps)
        if key not in self.chains:
            self.chains[key] = (root, tuple(steps))

    def function(self, fn, depth, self_obj=_MISSING, arg_roots=(), fixed=None, label=None,
                 kw_roots=(), provided=None, self_chain=None, arg_chains=()):
        """Read ``fn``'s code (and what it reaches) for chains: from its globals and
        closure cells, from ``self`` (a method read from ``self_obj``), and at the top
        level from the call's positional arguments at ``arg_roots`` (positions in the
        call) and the parameters a ``functools.partial`` bound (``fixed``: name ->
        object). ``label``: how warnings name ``self_obj`` (``model.layers[1]``);
        ``kw_roots``: the call's keyword arguments that are objects; ``provided``: how
        many positional and which keyword arguments the call gave (the rest take their
        defaults, whose objects are roots too: ``def f(x, cfg=CONFIG)``, read through
        the function's ``__defaults__``, so rebinding those is seen too). A bound method
        is its function with ``self`` (``partial(m.f, 2.0)``, ``nd.grad(m.loss)``), an
        object its class's ``__call__``; a wrapper made by ``functools.wraps`` is read,
        and then the function it wraps, with the same arguments."""
        args = (depth, self_obj, arg_roots, fixed, label, kw_roots, provided, self_chain,
                arg_chains)
        for _ in range(10):
            if isinstance(fn, types.MethodType) and self_obj is _MISSING:
                fn, self_obj = fn.__func__, fn.__self__
            elif isinstance(fn, types.FunctionType):
                wrapped = fn.__dict__.get("__wrapped__")
                if wrapped is None:
                    break
                self._function(fn, *args)
                fn = wrapped
            elif self_obj is _MISSING and not isinstance(fn, (type, functools.partial)) and \
                    isinstance(_class_attr(type(fn), "__call__"), types.FunctionType):
                fn, self_obj = _class_attr(type(fn), "__call__"), fn
            else:
                break
            args = (depth, self_obj, arg_roots, fixed, label, kw_roots, provided,
                    self_chain if self_obj is args[1] else None, arg_chains)
        self._function(fn, *args)

    def _function(self, fn, depth, self_obj, arg_roots, fixed, label, kw_roots, provided,
                  self_chain=None, arg_chains=()):
        if not isinstance(fn, types.FunctionType) or not _user_code(fn):
            return
        key = (fn.__code__, id(self_obj),
               frozenset(chain_key(r, st) for r, st in arg_chains))
        if key in self.seen:
            return
        if depth > _MAX_DEPTH:
            self.cut[key] = fn.__qualname__
            return
        self.seen.add(key)
        code = fn.__code__
        cells = dict(zip(code.co_freevars, fn.__closure__ or ()))
        local = {}
        if self_obj is not _MISSING and code.co_argcount:
            local[code.co_varnames[0]] = ("obj", self_obj, label or code.co_varnames[0])
        shift = len([n for n in (fixed or {}) if type(n) is int]) + (self_obj is not _MISSING)
        for pos in arg_roots:
            if pos + shift < code.co_argcount:
                name = code.co_varnames[pos + shift]
                local[name] = ("arg", pos, name)
        params = code.co_varnames[:code.co_argcount + code.co_kwonlyargcount]
        for name in kw_roots:
            if name in params:
                local[name] = ("kwarg", name, name)
        bound = self_obj is not _MISSING
        for name, obj in (fixed or {}).items():
            if type(name) is int:
                name = (code.co_varnames[name + bound] if name + bound < code.co_argcount
                        else None)
            # (a container or an array a partial bound is no argument of the call: read
            # as a global is)
            if name is not None and type(obj) not in _SCALARS:
                local[name] = ("obj", obj, name)
        n_given, kw_given = provided if provided is not None else (0, ())
        pos = code.co_varnames[:code.co_argcount]
        defaults = fn.__defaults__ or ()
        for k, name in enumerate(pos[len(pos) - len(defaults):]):
            j = len(pos) - len(defaults) + k
            if j >= n_given + shift and name not in kw_given and name not in local:
                local[name] = ("default", fn, name, j)
        for name in (fn.__kwdefaults__ or {}):
            if name not in kw_given and name not in local:
                local[name] = ("default", fn, name, name)
        if provided is not None:
            # *args and **kwargs of the call: ``ms[0].w`` is argument k's ``.w``
            n = code.co_argcount + code.co_kwonlyargcount
            if code.co_flags & inspect.CO_VARARGS:
                if code.co_argcount >= shift:
                    local[code.co_varnames[n]] = ("varargs", code.co_argcount - shift,
                                                  code.co_varnames[n])
                n += 1
            if code.co_flags & inspect.CO_VARKEYWORDS:
                local[code.co_varnames[n]] = ("varkw", None, code.co_varnames[n])
        keys = None
        if provided is not None:
            keys = self._keys(fn, fixed, shift, self_obj is not _MISSING, n_given, kw_given)
        # what each parameter holds: its root, the chains on the helper's call line
        # (``arg_chains``), and for ``self`` the chain that reached it (an entry of a
        # container: ``LAYERS[3].w``, shared with a loop's own checks) where one did
        srcs = {n: [(r, ())] for n, r in local.items()}
        first = 1 if self_obj is not _MISSING else 0
        if arg_chains:
            for n in code.co_varnames[first:code.co_argcount + code.co_kwonlyargcount]:
                _hold(srcs, n, arg_chains)
        if self_chain is not None and first and code.co_argcount:
            srcs[code.co_varnames[0]] = [self_chain]
        rets = self._code(code, fn.__globals__, cells, depth, keys, srcs)
        k = (code, id(self_obj))
        self.returned[k] = _joined(self.returned.get(k, []), rets)
        if self_obj is not _MISSING:
            self._methods(self_obj, depth, label, self_chain)

    def _keys(self, fn, fixed, shift, bound, n_given, kw_given):
        """The parameters of ``fn`` (the jitted function) that hold a Python scalar in
        this call, never assigned to in the function: name -> value. Such a value is part
        of the call's signature (or a default, itself a chain), so ``REGISTRY[name]`` or
        ``REGISTRY.get(name)`` reads one known entry."""
        code = fn.__code__
        names = code.co_varnames[:code.co_argcount + code.co_kwonlyargcount]
        vals = {}
        for k, v in (fixed or {}).items():
            if type(k) is int:
                k = names[k + bound] if k + bound < code.co_argcount else None
            vals[k] = v
        for pos, v in enumerate(self.args or ()):
            if pos + shift < code.co_argcount:
                vals[names[pos + shift]] = v
        vals.update((k, v) for k, v in (self.kwargs or {}).items() if k in names)
        pos = names[:code.co_argcount]
        defaults = fn.__defaults__ or ()
        for k, (name, d) in enumerate(zip(pos[len(pos) - len(defaults):], defaults)):
            if len(pos) - len(defaults) + k >= n_given + shift and name not in kw_given:
                vals.setdefault(name, d)
        for name, d in (fn.__kwdefaults__ or {}).items():
            if name not in kw_given:
                vals.setdefault(name, d)
        stored = set()
        for x in dis.get_instructions(code):
            if x.opname.startswith(("STORE_FAST", "DELETE_FAST")):
                stored.update(x.argval if type(x.argval) is tuple else (x.argval,))
        return {k: v for k, v in vals.items()
                if type(v) in _SCALARS and k is not None and k not in stored}

    def _methods(self, obj, depth, label, chain=None):
        """Read every method of ``obj``'s own (program) classes with ``self`` = ``obj``:
        the ones it calls through ``super()``, or by a name computed at run time, and the
        getters of its properties (``self.lr`` returning ``self._lr``). ``chain``: the
        (root, steps) that reaches ``obj``, for ``self``'s reads (an entry of a
        container); else they are rooted at ``obj`` itself."""
        for klass in type(obj).__mro__:
            for f in vars(klass).values():
                if len(self.chains) >= _MAX_GUARDS:
                    return
                if isinstance(f, property):
                    f = f.fget
                elif isinstance(f, functools.cached_property):
                    f = f.func
                if isinstance(f, types.FunctionType) and _user_code(f):
                    self.function(f, depth + 1, obj, label=label, self_chain=chain)

    def _code(self, code, glb, cells, depth, keys, srcs):
        """Read one code object's chains. ``keys``: its scalar parameters (name ->
        value); ``srcs``: the chains its locals hold (name -> [(root, steps), ...]): a
        function's parameters (``self``, object arguments, defaults), nested code's free
        variables and the ``.0`` iterator a comprehension or generator expression
        receives. Locals bound while reading join them."""
        # (an EXTENDED_ARG, a NOP or a CACHE entry between two instructions is no link of
        # a chain: dis already folds EXTENDED_ARG's bits into the next instruction's arg)
        ins = [x for x in dis.get_instructions(code) if x.opname not in _NO_OPS]
        # Read twice: the first pass only learns what the locals hold, so a load that
        # comes before the store reaching it in the code (a loop's ``m = B`` after its
        # ``m.w``, an except handler laid out after the join) reads on from it too
        for _ in range(2):
            found, iterated, rets = self._read(ins, glb, cells, keys, srcs)
        self._chains(code, glb, cells, depth, found, iterated, srcs)
        return rets

    def _read(self, ins, glb, cells, keys, srcs):
        """One pass over the instructions: the chains they load (root, steps, use, line),
        the chains iterated over and the chains returned; what the locals take goes into
        ``srcs``."""
        found = []
        iterated = []    # chains this code iterates over (``.0`` of its nested code)
        rets = []        # chains it returns (``return CONFIG``, ``return self.cfg``)
        cur = None       # the chains being read: [[root, steps], ...] (alternatives)
        i = 0
        by_name = False   # (the chain follows the builtin getattr or hasattr)
        start = None      # (where the chain's root was loaded)
        resume = {}       # index of a getattr call -> its chains, read on after the call
        importing = None  # the module of a ``from ... import`` being read
        joins = {}        # index of a jump's target -> the chains on the stack when it jumps
        offsets = [x.offset for x in ins]
        while i < len(ins):
            op, arg = ins[i].opname, ins[i].argval
            if i in joins:
                # the join of a conditional expression, ``or``, ``and``: the value is
                # that of any branch (``(A if c else B).w`` reads A.w and B.w)
                back = [[r, list(st)] for r, st in joins.pop(i)]
                if cur is None:
                    cur, start = back, None
                else:
                    cur = cur + back
            if cur is not None:
                t = _join_of(ins, i, offsets)
                if t is not None:
                    joins[t] = joins.get(t, []) + [(r, tuple(st)) for r, st in cur]
                if (by_name and op == "LOAD_CONST" and type(arg) is str
                        and _call_of(ins, i, 1) is not None):
                    # getattr(obj, "name"[, default]), hasattr(obj, "name"): obj.name,
                    # and what follows the call reads on from it (getattr(obj, "v", [])[0])
                    for c in cur:
                        c[1].append(("attr", arg))
                    resume[_call_of(ins, i, 1)] = cur
                    by_name = False
                    i += 1
                    continue
                if op in ("LOAD_ATTR", "LOAD_METHOD", "IMPORT_FROM"):
                    for c in cur:
                        c[1].append(("attr", arg))
                    i += 1    # (getattr(self.cfg, "lr"): by_name stays)
                    continue
                if (op in _CONSTANTS and i + 1 < len(ins) and _subscript(ins[i + 1])
                        and _safe_key(arg)):
                    for c in cur:
                        c[1].append(("item", arg))
                    i += 2
                    continue
                name = _loaded_local(op, arg)
                if ((op in _ONE_LOAD and op not in _CONSTANTS) or name is not None and
                        type(arg) is not tuple and not (keys and name in keys)) and \
                        i + 1 < len(ins) and _subscript(ins[i + 1]):
                    # a subscript by a computed key (``self.layers[i]``, ``P[name]``):
                    # the chain goes on from every entry (a key a scalar parameter holds
                    # is one entry: ``_ending``)
                    for c in cur:
                        c[1].append(_EACH)
                    i += 2
                    continue
                end = _ending(ins, i, start, cur[0][1], keys)
                line = ins[i].positions.lineno
                found.extend((r, st, end, line) for r, st in cur)
                self._bind(ins, i, cur, srcs, iterated)
                if op == "RETURN_VALUE" or op == "YIELD_VALUE" or (
                        op == "SWAP" and i + 2 < len(ins) and ins[i + 1].opname ==
                        "POP_EXCEPT" and ins[i + 2].opname == "RETURN_VALUE"):
                    # (also ``return A`` in an except handler)
                    rets.extend((r, tuple(st)) for r, st in cur)
                j = None if type(end) is tuple else _subscript_of(ins, i)
                if j is not None:
                    # a subscript by a key expression (``LS[i - 1]``, ``L[len(L) - 1]``):
                    # after it, the chain goes on from every entry
                    resume[j] = [[r, list(st) + [_EACH]] for r, st in cur]
                elif type(end) is tuple and end[2] == "get":
                    # ``D.get("k")``: after the call, the chain goes on from that entry
                    j = _call_of(ins, i, 0)
                    if j is not None:
                        resume[j] = [[r, list(st[:-1]) + [("item", end[1])]]
                                     for r, st in cur]
                else:
                    # a call of the chain's object (``get_config().lr``, ``c =
                    # model.config()``): after it, the chain goes on from what the
                    # callee returns (``_expand`` reads that)
                    j = _call_on(ins, i, offsets)
                    if j is not None and j not in resume:
                        resume[j] = [[r, list(st) + [_CALL]] for r, st in cur]
                if (op in _CALL_OPS and ins[i].arg == 1 and start and
                        ins[start - 1].opname == "LOAD_GLOBAL" and
                        ins[start - 1].argval == "type" and "type" not in glb):
                    # ``type(obj).k``: the chain reads on from obj's class
                    j = i + 1 if op == "PRECALL" and i + 1 < len(ins) else i
                    resume[j + 1] = [[r, list(st) + [("class", None)]] for r, st in cur]
                    i = j + 1
                    cur = None
                    if i in resume:
                        cur, start = [[r, list(st)] for r, st in resume.pop(i)], None
                    continue
                cur = None
            if cur is None and (op in _STORES or op == "UNPACK_SEQUENCE"
                                or op == "UNPACK_EX"):
                # a store of what an expression made of chains on this line
                # (``ms = [A, B]``, ``a, b = b, a``, ``m = D.get("b")``, ``first, *rest =
                # L``): the locals take each of them (an entry of each container)
                line = ins[i].positions.lineno
                cands = [(r, st) for r, st, _, ln in found if ln == line]
                bound = [(r, st if st[-1:] == (_ANY,) else st + (_ANY,))
                         for r, st in self._loose(cands)]
                if bound:
                    names = ([(n, ()) for n in arg] if op == "STORE_FAST_STORE_FAST"
                             else _targets(ins, i))
                    for name, _ in names:
                        _hold(srcs, name, bound)
            if (op == "RETURN_VALUE" or op == "YIELD_VALUE") and i and \
                    ins[i].positions.lineno and (ins[i - 1].opname in _DISPLAYS or
                                                 _subscript(ins[i - 1])):
                # a return (or a generator's yield: what next() or a contextmanager's
                # __enter__ gives) of a display or a subscript of chains on its line
                # (``return A, B``, ``return {"a": A}``, ``return self.layers[1:]``):
                # each of them (an entry of each container)
                # (not from what calls there return, or what was bound loosely
                # already: what this code returns would feed itself -- x = layer(x))
                line = ins[i].positions.lineno
                cands = [(r, st) for r, st, _, ln in found if ln == line and
                         _CALL not in st and _ANY not in st]
                rets.extend((r, st + (_ANY,)) for r, st in self._loose(cands))
            if op == "GET_ITER" and cur is None:
                # a loop over what a call or an expression made of chains on this line
                # (enumerate(LAYERS), zip(A, B), sorted(D.values()), L[1:], (A, B)):
                # its variables take every entry of each container read there, or
                # each object (more checks than needed, never fewer)
                line = ins[i].positions.lineno
                cands = [(r, st) for r, st, _, ln in found if ln == line]
                self._bind_loose(ins, i, cands, srcs)
            was_by_name, by_name = by_name, False
            name = _loaded_local(op, arg)
            if op == "LOAD_GLOBAL" and isinstance(arg, str):
                if arg in glb:
                    cur = [[("dict", glb, arg), []]]
                else:
                    by_name = arg in ("getattr", "hasattr")
            elif op in ("LOAD_DEREF", "LOAD_CLASSDEREF") and arg in cells:
                cur = [[("cell", cells[arg], arg), []]]
            elif op in ("LOAD_DEREF", "LOAD_CLASSDEREF") and srcs.get(arg):
                # a parameter or alias this code shares with nested code (a cell)
                cur = [[r, list(st)] for r, st in srcs[arg]]
            elif (type(arg) is tuple and op.startswith("LOAD_FAST") and srcs.get(arg[0])
                  and i + 1 < len(ins) and _subscript(ins[i + 1])):
                # (3.13+: LOAD_FAST_LOAD_FAST (P, i) BINARY_SUBSCR: P's entries)
                cur = [[r, list(st) + [_EACH]] for r, st in srcs[arg[0]]]
                start = None
                i += 2
                continue
            elif name is not None and (srcs.get(name) or type(arg) is tuple
                                       and srcs.get(arg[0])):
                cur = [[r, list(st)] for r, st in srcs.get(name, ())] or None
                if type(arg) is tuple and srcs.get(arg[0]):
                    # (the first of two locals pushed at once is on this line too: a
                    # swap's ``a, b = b, a``, a call's ``helper(c, x)``)
                    found.extend((r, tuple(st), None, ins[i].positions.lineno)
                                 for r, st in srcs[arg[0]])
            elif op == "IMPORT_NAME" and type(arg) is str:
                # an import inside the function (``import cfg``, ``from cfg import lr``):
                # the program's own module, whose names are read as globals
                frm = ins[i - 1].argval if i else None
                importing = sys.modules.get(arg if frm else arg.partition(".")[0])
                if importing is not None and not _library_module(importing):
                    cur = [[("obj", importing, importing.__name__), []]]
                else:
                    importing = None
            elif op == "IMPORT_FROM" and importing is not None:
                cur = [[("obj", importing, importing.__name__), [("attr", arg)]]]
            if op == "POP_TOP":
                importing = None
            start = i
            if i in resume:
                cur, start = [[r, list(st)] for r, st in resume.pop(i)], None
            if cur is not None and was_by_name:
                by_name = True   # (its first argument: the chain just started)
            i += 1
        if cur is not None:
            found.extend((r, st, None, ins[-1].positions.lineno) for r, st in cur)
        return found, iterated, rets

    def _chains(self, code, glb, cells, depth, found, iterated, srcs):
        """Record the chains ``found`` (``_read``), what they reach, and read the nested
        code."""
        on_line = {}    # line -> the chains read on it (a call's arguments, a loop's)
        objs_on_line = {}   # line -> those of them that reach objects (helpers' arguments)
        for r, st, _, line in found:
            on_line.setdefault(line, []).append((r, tuple(st)))
        # (each chain once: a line reads the same chain in several ways)
        once = {}
        for f in found:
            st = _canon(tuple(f[1]))
            once.setdefault((chain_key(f[0], st), f[2] if type(f[2]) is not tuple
                             else ("key", id(f[2][1]), f[2][2]), f[3]), (f[0], st, *f[2:]))
        found = list(once.values())
        # (chains read on from a property getter's result join the found ones, each
        # once: ``model.cfg.lr`` with ``cfg`` a property returning ``self._cfg``)
        pending, substituted = [], set()

        def chains():
            for f in found:
                for e in self._expand(*f[:3], depth):
                    yield (*e, f[3], 0)
            while pending:
                yield pending.pop()

        for root, steps, end, line, hops in chains():
            if root[0] in ("varargs", "varkw"):
                root, steps = self._vararg(root, steps, depth)
                if root is None:
                    continue
            looped = end == "loop"
            full = len(steps)
            chain_steps = steps
            v, n = _resolve(root, steps, self.args, self.kwargs)
            # (a chain cut before a method of its object -- ``calls.append(1)`` -- does
            # not read the object's entries: only a whole chain's container is read, or
            # one cut before a method that reads it: ``cfg.get("lr")``, ``P.values()``)
            whole = n == len(steps) or (
                n == len(steps) - 1 and steps[n][0] == "attr" and steps[n][1] in _READS
                and _kind(v) is not None)
            looped = looped or whole and n < len(steps) and steps[n][1] in _READS_ALL
            steps = steps[:n]
            # (a library module's names do not change under the program: the chain is
            # checked up to the module)
            w = _root_value(root, self.args, self.kwargs)
            for k in range(len(steps) + 1):
                if _library_module(w):
                    steps = steps[:k]
                    v = w
                    break
                if k < len(steps):
                    w = _step(w, steps[k])
            self.add(root, steps)
            # (a helper's parameters take the chains on its call's line that reach the
            # program's objects or containers: two levels of helpers deep, up to 8
            # chains of up to 8 steps, so recursion and reading stay bounded)
            args = []
            if depth < 2 and (isinstance(v, types.FunctionType) or _static_object(v)) \
                    and not _is(v, (type, types.ModuleType)):
                if line not in objs_on_line:
                    objs_on_line[line] = [(chain_key(*c), c) for c in _joined(
                        [], on_line.get(line, ())) if len(c[1]) <= 8
                        and _object_chain(self, c, depth)][:9]
                me = chain_key(root, steps)
                args = [c for k, c in objs_on_line[line] if k != me][:8]
            self._follow(v, steps, root, depth, args)
            keyed = type(end) is tuple and len(steps) == n == full - (end[2] == "get") and (
                _kind(v) == "map" or _kind(v) == "seq" and end[2] == "sub"
                and type(end[1]) is int)
            if keyed:
                # one entry, under a key known now: that entry (even in a container too
                # long to be checked whole)
                sub = tuple(steps) + (("item", end[1]),)
                self.add(root, sub)
                e = _step(v, ("item", end[1]))
                if e is not _MISSING and e is not _UNSAFE:
                    self._entry(e, root, sub, depth)
            if whole:
                self._contents(v, root, steps, depth, looped,
                               use=not keyed and end != "len")
            elif v is not _MISSING and len(steps) == n and _static_object(v) and \
                    not isinstance(v, (type, types.ModuleType)):
                # a chain cut at an object whose reading runs its class's code (a
                # property, __getattr__): that code, with self = the object
                self._methods(v, depth, _describe(root, steps))
                if n < full and chain_steps[n][0] == "attr":
                    self._descriptor(v, chain_steps[n][1], depth)
                    for r, st, e in self._property(v, root, chain_steps, n, end, depth,
                                                   hops):
                        k = chain_key(r, st)
                        if k not in substituted:
                            substituted.add(k)
                            pending.append((r, st, e, line, hops + 1))
            elif isinstance(v, types.ModuleType) and len(steps) == n < full and \
                    chain_steps[n][0] == "attr":
                # a module's __getattr__ (PEP 562) for a name it does not hold
                g = v.__dict__.get("__getattr__")
                if isinstance(g, types.FunctionType) and _user_code(g):
                    self.function(g, depth + 1)
        # nested code (lambdas, comprehensions, inner functions): the same globals; a
        # free variable of theirs that is one of this function's is this function's cell
        # (or a parameter or alias of this code's, captured: what it holds); a
        # comprehension's or generator expression's ``.0`` is the iterator of what this
        # code iterates over (each chain ending in a loop: an over-approximation)
        for c in code.co_consts:
            if isinstance(c, types.CodeType):
                inner = {k: v for k, v in cells.items() if k in c.co_freevars}
                sub = {k: srcs[k] for k in c.co_freevars if k in srcs}
                if c.co_argcount and c.co_varnames[0] == ".0" and iterated:
                    sub[".0"] = iterated
                elif c.co_argcount:
                    # (a lambda or inner function's parameters: what the chains on the
                    # line that makes it hold -- map(lambda l: l.w, LAYERS))
                    cands = self._loose(on_line.get(c.co_firstlineno, ()))
                    for n in c.co_varnames[:c.co_argcount]:
                        if cands and n not in sub:
                            sub[n] = cands
                self._code(c, glb, inner, depth, None, sub)

    def _bind(self, ins, i, cur, srcs, iterated):
        """What the locals take from chains ``cur``, which end at instruction ``i``: a
        store (``m = g``), an unpacking (``a, b = PAIR``), a loop (``for l in LAYERS``,
        ``for k, v in D.items()``, a comprehension's), ``with ctx as c``. The local then
        holds the chain (every entry of it, for a loop), so ``m.w`` reads ``g.w`` and
        ``l.w`` reads ``LAYERS[k].w`` for each k. Read without control flow: a local
        bound twice holds both (more checks, never fewer)."""
        op = ins[i].opname
        pair = ()
        if op == "CALL" or op == "PRECALL":
            # ``D.values()`` / ``D.items()``: a loop over the dict's values
            j = i + (1 if op == "PRECALL" else 0) + 1
            last = [st[-1] if st else None for _, st in cur]
            if not (j < len(ins) and ins[j].opname == "GET_ITER" and ins[i].argval == 0
                    and all(s in (("attr", "values"), ("attr", "items")) for s in last)):
                return
            if last[0] == ("attr", "items"):
                pair = (("pair", 1),)     # (k, v): the value is the pair's second entry
            cur = [(r, tuple(st[:-1])) for r, st in cur]
            i, op = j, "GET_ITER"
        if op == "BEFORE_WITH" or op == "COPY" and i + 1 < len(ins) and \
                ins[i + 1].opname == "LOAD_SPECIAL":
            # ``with ctx as c``: c is what ctx.__enter__() returns, read as ctx itself
            # (an object's __enter__ returns it; a check too many where it does not)
            j = i + 1
            while op == "COPY" and j < min(len(ins), i + 8) and ins[j].opname != "CALL":
                j += 1
            targets = _targets(ins, j + (op == "COPY"))
            # (and what the program's __enter__ returns: ``_expand`` reads its code)
            cur = list(cur) + [(r, tuple(st) + (("attr", "__enter__"), _CALL))
                               for r, st in cur]
        elif op in ("GET_ITER", "FOR_ITER"):
            cur = [(r, tuple(st)) for r, st in cur]
            if op == "GET_ITER":
                # (a comprehension's ``.0``: an iterator over the same entries)
                iterated.extend((r, st + pair if _ITER in st else st + (_ITER,) + pair)
                                for r, st in cur)
                i = _for_iter(ins, i)
                if i is None:
                    return
            # each value the loop takes: every entry (an iterator ``.0``'s entries)
            cur = [(r, tuple(_EACH if s == _ITER else s for s in st) + pair
                    if _ITER in st else st + (_EACH,) + pair) for r, st in cur]
            targets = _targets(ins, i + 1)
        else:
            targets = _targets(ins, i)
        for name, path in targets:
            for r, st in cur:
                st = tuple(st)
                if st and st[-1][0] == "pair":     # (the value of an items() pair)
                    if not path or path[0] != st[-1][1]:
                        continue
                    st, path = st[:-1], path[1:]
                _hold(srcs, name, [(r, st + tuple(("item", k) for k in path))])

    def _bind_loose(self, ins, i, cands, srcs):
        """The variables of the loop whose GET_ITER is instruction ``i`` take each
        entry of the containers among chains ``cands`` (a dict's values, also through
        ``.items()``/``.values()``/``.keys()``), and the objects among them."""
        j = _for_iter(ins, i)
        bound = self._loose(cands) if j is not None else ()
        for name, path in _targets(ins, j + 1) if bound else ():
            # (a name inside an unpacking: the entry itself, or its place in the entry
            # with or without the loop's own pair -- ``for i, (a, b) in enumerate(P)``)
            ends = {(), tuple(path), tuple(path[1:])}
            _hold(srcs, name, [(r, st + tuple(("item", k) for k in e))
                               for r, st in bound for e in ends])

    def _loose(self, cands):
        """What a value made of chains ``cands`` may hold: every entry of each container
        among them (a dict's values, also through ``.items()``/``.values()``/
        ``.keys()``), and each object."""
        out = []
        for r, st in cands:
            st = tuple(st)
            if st and st[-1] in (("attr", "items"), ("attr", "values"), ("attr", "keys"),
                                 ("attr", "get"), ("attr", "pop"), ("attr", "setdefault")):
                st = st[:-1]
            if st[-1:] == (_CALL,):
                # (a call's result: the object, or each entry of a container returned)
                out = _joined(out, [(r, st), (r, st + (_EACH,))])
                continue
            if any(x[0] in ("each", "iter", "any", "pair", "call") for x in st):
                out = _joined(out, [(r, st)])   # (a loop's entry, a call's result)
                continue
            held = _holds(self, r, st)
            if held is not None:
                out = _joined(out, [(r, st + (_EACH,) if held == "entries" else st)])
        return out

    def _expand(self, root, steps, end, depth=0, hops=0):
        """Chain ``root`` + ``steps`` (used as ``end`` says: ``_ending``) with each
        ``_EACH`` step (every entry) replaced by each key of the container its prefix
        reaches now, and that container's length. A container over ``_MAX_ENTRIES``
        entries, with keys of the program's own types, or no container at all, is
        yielded whole as looped over (``_contents`` checks or says unchecked). A
        ``_CALL`` step (a call of the object the prefix reaches) is replaced by each
        chain the callee returns (``get_config().lr`` is ``CONFIG.lr`` where
        ``get_config`` returns ``CONFIG``; ``model.config().lr`` is ``model.cfg.lr``
        where the method returns ``self.cfg``), up to ``_MAX_HOPS`` calls and
        properties one inside another; a result that is no chain (``return x * 2``, a
        new object) yields nothing: the callee's own reads are read as its code."""
        # (an iterator's entries are the container's; an items() pair's value is the
        # entry the chain reaches)
        steps = tuple(_EACH if s == _ITER else s for s in steps if s[0] != "pair")
        if _ANY in steps:
            # (a local bound loosely -- ``ms = [A, B]`` -- holds the object itself: a
            # subscript or loop over it is that object, not an entry of it)
            out = []
            for s in steps:
                if out and out[-1] == _ANY:
                    out.pop()
                    if s[0] == "item" or s == _EACH:
                        continue
                out.append(s)
            if out and out[-1] == _ANY:
                out.pop()
            steps = tuple(out)
        k = next((j for j, s in enumerate(steps) if s == _EACH or s == _CALL), None)
        if k is None:
            yield root, list(steps), end
            return
        v, n = _resolve(root, steps[:k], self.args, self.kwargs)
        if n < k and v is not _MISSING and steps[n][0] == "attr" and _static_object(v) \
                and not _is(v, (type, types.ModuleType)):
            # (the prefix is cut at a property: read on from what its getter returns)
            yield from self._property(v, root, steps, n, end, depth, hops)
        if steps[k] == _CALL:
            # (the callee chain itself is found as its own, and read as code)
            if n == k:
                fn, owner, label, chain = self._callee(v, root, steps[:k])
                if fn is not None and hops >= _MAX_HOPS:
                    self.unchecked = (f"what `{_describe(root, steps[:k])}` returns (more "
                                      f"than {_MAX_HOPS} calls inside calls)")
                elif fn is not None:
                    for r, st in self._returned(fn, owner, label, chain, depth):
                        yield from self._expand(r, tuple(st) + steps[k + 1:], end,
                                                depth + 1, hops + 1)
            return
        kind = _kind(v) if n == k else None
        keys = None if kind is None else _entries(v, kind)
        if keys is None or len(keys) > _MAX_ENTRIES or len(keys) < _c_len(v):
            yield root, list(steps[:k]), "loop"
            return
        yield root, list(steps[:k]) + [("len", None)], None
        for key in keys:
            yield from self._expand(root, steps[:k] + (("item", key),) + steps[k + 1:],
                                    end, depth, hops)

    def _property(self, obj, root, steps, n, end, depth, hops):
        """Chain ``root`` + ``steps`` is cut at ``obj`` (its first ``n`` steps) before
        attribute ``steps[n]``: where that is a property of the program's own class, the
        chains read on from what its getter returns, with ``self`` the object reached by
        the first ``n`` steps (``model.cfg.lr`` is ``model._cfg.lr`` for a getter that
        returns ``self._cfg``)."""
        ca = _class_attr(type(obj), steps[n][1])
        if not isinstance(ca, property) or \
                not isinstance(ca.fget, types.FunctionType) or not _user_code(ca.fget):
            return
        if hops >= _MAX_HOPS:
            self.unchecked = (f"what `{_describe(root, steps[:n + 1])}` returns (more "
                              f"than {_MAX_HOPS} calls and properties inside calls)")
            return
        for r, st in self._returned(ca.fget, obj, _describe(root, steps[:n]),
                                    (root, tuple(steps[:n])), depth):
            yield from self._expand(r, tuple(st) + tuple(steps[n + 1:]), end, depth + 1,
                                    hops + 1)

    def _callee(self, v, root, steps):
        """What calling ``v`` (the object chain ``root`` + ``steps`` reaches) runs:
        (function, its ``self`` or ``_MISSING``, how warnings name that ``self``, the
        chain that reaches it), function None where it is no Python function or object
        with a ``__call__`` of its class. A function read from an object's class is
        its method (``self`` the object, a classmethod's ``cls`` the class)."""
        if isinstance(v, types.FunctionType):
            owner, label = _MISSING, None
            if steps and steps[-1][0] == "attr":
                prefix, n = _resolve(root, steps[:-1], self.args, self.kwargs)
                label = _describe(root, steps[:-1])
                if n == len(steps) - 1 and prefix is not _MISSING and \
                        not isinstance(prefix, types.ModuleType):
                    # (a classmethod's cls: the class, also when read from an object)
                    klass = prefix if isinstance(prefix, type) else type(prefix)
                    ca = _class_attr(klass, steps[-1][1])
                    if isinstance(ca, classmethod):
                        owner = klass
                        label = label if klass is prefix else f"type({label})"
                    elif not isinstance(prefix, type) and not isinstance(ca, staticmethod):
                        owner = prefix
            if owner is _MISSING:
                return v, owner, None, None
            return v, owner, label, ((root, tuple(steps[:-1]))
                                     if not isinstance(owner, type) and steps else None)
        if isinstance(v, types.MethodType):
            return v.__func__, v.__self__, None, None
        if isinstance(v, functools.partial):
            # (what the function returns; parameters the partial bound hold nothing)
            return self._callee(v.func, None, ())
        if v is not _MISSING and _static_object(v) and \
                not isinstance(v, (type, types.ModuleType)):
            try:
                d = object.__getattribute__(v, "__dict__")
            except AttributeError:
                d = None
            if type(d) is dict and isinstance(d.get("__wrapped__"), types.FunctionType):
                # (a wrapper object made by functools.update_wrapper: lru_cache's)
                return self._callee(d["__wrapped__"], None, ())
            call = _class_attr(type(v), "__call__")
            if isinstance(call, types.FunctionType):
                return call, v, (_describe(root, steps) if root is not None else None), \
                    ((root, tuple(steps)) if root is not None else None)
        return None, _MISSING, None, None

    def _returned(self, fn, owner, label, chain, depth):
        """The chains function ``fn`` returns, called with ``self`` ``owner`` (reached by
        ``chain``, which then roots what it returns from ``self``), read now if it was
        not read yet."""
        if not _user_code(fn):
            # (a library's wrapper of a program function: contextmanager's, wraps')
            fn = _unwrap(fn)
            if not isinstance(fn, types.FunctionType) or not _user_code(fn):
                return ()
        key = (fn.__code__, id(owner))
        if key not in self.returned:
            self.function(fn, depth + 1, owner, label=label, self_chain=chain)
        rets = self.returned.get(key, ())
        if owner is _MISSING or chain is None or not rets:
            return rets
        # (``self``'s chains rooted where the call reached it; kept per what is known)
        memo = (key, chain_key(*chain), len(rets))
        out = self._rooted.get(memo)
        if out is None:
            out = self._rooted[memo] = [
                (chain[0], tuple(chain[1]) + tuple(st)) if r[0] == "obj" and r[1] is owner
                else (r, st) for r, st in rets]
        return out

    def _descriptor(self, obj, name, depth):
        """Attribute ``name`` of ``obj`` comes from a descriptor of the program's own
        class (its ``__get__`` is Python code): that code, with its ``self`` the
        descriptor and its instance parameter ``obj``."""
        ca = _class_attr(type(obj), name)
        get = _MISSING if ca is _MISSING else _class_attr(type(ca), "__get__")
        if isinstance(get, types.FunctionType) and _user_code(get) and \
                get.__code__.co_argcount >= 2:
            self.function(get, depth + 1, ca, fixed={get.__code__.co_varnames[1]: obj})

    def _vararg(self, root, steps, depth):
        """A chain from the call's ``*args`` (``root`` ``("varargs", start, name)``) or
        ``**kwargs``, as one from the argument it indexes (``ms[0].w``: argument
        ``start``'s ``.w``), or (None, None): an argument that is no object, or the whole
        tuple or dict, whose objects' methods are read (their identity is in the call's
        signature)."""
        name = root[2]
        if steps and steps[0][0] == "item":
            k = steps[0][1]
            if root[0] == "varargs" and type(k) is int and 0 <= k < len(self.args) - root[1] \
                    and _static_object(self.args[root[1] + k]):
                return ("arg", root[1] + k, f"{name}[{k}]"), steps[1:]
            if root[0] == "varkw" and k in self.kwargs and _static_object(self.kwargs[k]):
                return ("kwarg", k, f"{name}[{k!r}]"), steps[1:]
            return None, None
        for a in (self.args[root[1]:] if root[0] == "varargs" else self.kwargs.values()):
            if _static_object(a) and not isinstance(a, (type, types.ModuleType)):
                self._methods(a, depth, name)
        return None, None

    def _contents(self, v, root, steps, depth, looped=False, use=False):
        """For a list, tuple or dict a chain reaches (parameters ``[(W, b), ...]``,
        layers): its length and each entry, and what the entries run when called (a
        layer object's methods) -- a loop over it reads them all. ``use``: the function
        may read any entry (``zip(A, B)``, ``sum(A)``, ``A[i]``), so a container too long to
        be checked is said unchecked, as one looped over (``looped``)."""
        t = type(v)
        if (t is set or t is frozenset) and depth <= _MAX_DEPTH:
            # its entries as one frozen value (entries that are scalars: a set of
            # objects, or over 64 entries, is said unchecked)
            if _step(v, ("set", None)) is _UNSAFE:
                self.unchecked = f"the entries of the set `{_describe(root, steps)}`"
            else:
                self.add(root, tuple(steps) + (("set", None),))
            return
        kind = _kind(v)
        if kind is None:
            return
        if depth > _MAX_DEPTH:
            self.unchecked = (f"the entries of `{_describe(root, steps)}` (nested more than "
                              f"{_MAX_DEPTH} levels deep)")
            return
        size = _c_len(v)
        if size > _MAX_ENTRIES:
            # (its length is checked still: len(A); one entry read under a key known at
            # the trace, REGISTRY.get("k") or REGISTRY[name] with name a parameter, is its
            # own chain)
            self.add(root, tuple(steps) + (("len", None),))
            if looped or use:
                self.unchecked = (f"the entries of `{_describe(root, steps)}` ({size} of "
                                  f"them; up to {_MAX_ENTRIES} are checked)")
            return
        self.add(root, tuple(steps) + (("len", None),))
        keys = _entries(v, kind)
        if looped and len(keys) < size:
            self.unchecked = (f"the entries of `{_describe(root, steps)}` under keys "
                              "of the program's own types")
        for k in keys:
            if len(self.chains) >= _MAX_GUARDS:
                return
            sub = tuple(steps) + (("item", k),)
            self.add(root, sub)
            self._entry(_c_get(v, k), root, sub, depth)

    def _entry(self, e, root, sub, depth):
        """What entry ``e`` of a container (at chain ``root`` + ``sub``) holds or runs."""
        if _kind(e) is not None:
            self._contents(e, root, sub, depth + 1)
        elif isinstance(e, (types.FunctionType, types.MethodType)):
            self._follow(e, sub, root, depth)
        elif _static_object(e) and not isinstance(e, (type, types.ModuleType)):
            # an object of the program's own class: every method it may run
            self._methods(e, depth, _describe(root, sub), (root, tuple(sub)))

    def _follow(self, v, steps, root, depth, arg_chains=()):
        """Read the code a chain's object runs when called: a function, a method (with
        ``self`` the object it was read from) or an object's ``__call__``.
        ``arg_chains``: the chains read on the line of the call; the parameters of a
        program function called there read on from each (``dense(y, self.l2)``: ``p.w``
        in ``dense`` is ``self.l2.w``; more checks than needed, never fewer)."""
        if v is not _MISSING and not isinstance(v, (types.FunctionType, types.MethodType,
                                                    type, types.ModuleType) + _SCALARS):
            try:
                d = object.__getattribute__(v, "__dict__")
            except AttributeError:
                d = None
            wrapped = d.get("__wrapped__") if type(d) is dict else None
            if wrapped is not None and depth < _MAX_DEPTH:
                # a wrapper made by functools.update_wrapper (another nd.jit function,
                # inlined into this trace): the function it wraps, and the functions it
                # holds (a custom_vjp's fwd and bwd rules)
                self._follow(wrapped, (), root, depth + 1)
                for f in list(d.values()):
                    if f is not wrapped and isinstance(f, (types.FunctionType,
                                                           types.MethodType)):
                        self._follow(f, (), root, depth + 1)
                return
        # a function, a method, an object's __call__ (``self`` read through the chain
        # that reached it: an entry of a container, ``LAYERS[3].w``, shares its checks)
        fn, owner, label, chain = self._callee(v, root, steps)
        if fn is not None:
            self.function(fn, depth + 1, owner, label=label, arg_chains=tuple(arg_chains),
                          self_chain=chain)


def _unwrap(fn):
    for _ in range(10):
        w = getattr(fn, "__wrapped__", None) if isinstance(fn, types.FunctionType) else None
        if w is None:
            break
        fn = w
    return fn


class Guards:
    """The chains a trace depends on, with the objects they reached after the trace."""

    __slots__ = ("chains", "expected", "check")

    def __init__(self, chains, args=None, kwargs=None):
        self.chains = chains
        self.expected = [_resolve(r, s, args, kwargs)[0] for r, s in chains]
        self.check = self._compile()

    def _compile(self):
        """``check(args, kwargs)``: whether every chain still reaches its recorded object,
        for a call with these arguments (identity only: the common case, a few
        dict reads; ``changed`` then compares values)."""
        env = {"_resolve": _resolve, "_M": _MISSING, "_E": self.expected}
        terms = []
        for k, (root, steps) in enumerate(self.chains):
            if root[0] == "dict" and not steps:
                env[f"D{k}"] = root[1]
                terms.append(f"D{k}.get({root[2]!r}, _M) is _E[{k}]")
            else:
                env[f"R{k}"] = root
                env[f"S{k}"] = steps
                terms.append(f"_resolve(R{k}, S{k}, A, K)[0] is _E[{k}]")
        src = "def check(A=None, K=None):\n    return " + (" and ".join(terms) or "True") + "\n"
        exec(compile(src, "<nd.jit guards>", "exec"), env)
        return env["check"]

    def names(self):
        """The chains checked, as the function spells them (``model.w``, ``cfg['k']``)."""
        return [_describe(r, s) for r, s in self.chains]

    def changed(self, args=None, kwargs=None):
        """The name of the first chain that now reaches another value, for a call with
        positional arguments ``args`` (None if none: chains that reach an equal scalar
        are recorded anew, so ``check`` passes)."""
        for k, (root, steps) in enumerate(self.chains):
            now = _resolve(root, steps, args, kwargs)[0]
            if now is self.expected[k]:
                continue
            if same(self.expected[k], now):
                self.expected[k] = now
                continue
            return _describe(root, steps)
        return None


def _static_object(v):
    """An argument whose attributes a chain may read: not an array or a traced value
    (fed), not a container of them (a pytree), not a Python scalar or string (its value is
    in the signature)."""
    if isinstance(v, (list, tuple, dict, np.ndarray, np.generic) + _SCALARS):
        return False
    t = type(v)
    return (_class_attr(t, "__array_namespace__") is _MISSING
            and _class_attr(t, "_as_graph_element") is _MISSING)


def collect(fun, args=(), kwargs=None):
    """The guards of jitted function ``fun`` traced on positional arguments ``args``
    (None when it reads nothing by name). Chains from an argument are rooted in the
    position, so each call checks its own argument there (a decorated method's ``self``).

    >>> from ndgrad.graph.jit_guards import collect
    >>> program = {}
    >>> exec("rate = 0.5\\ndef f(x):\\n    return x * rate", program)
    >>> g = collect(program["f"])
    >>> g.names(), g.check()
    (['rate'], True)
    >>> program["rate"] = 2.0
    >>> g.check(), g.changed()
    (False, 'rate')
    """
    args = tuple(args)
    kwargs = dict(kwargs or {})
    r = read(fun, args, kwargs)
    if r.unchecked is not None:
        name = getattr(fun, "__qualname__", None) or repr(fun)
        warnings.warn(f"nd.jit({name}): {r.unchecked} are not checked at each call, so "
                      "a change there after the trace is not seen (the compiled code "
                      "keeps the values it read). Pass such values as arguments.",
                      stacklevel=4)
    if not r.chains:
        return None
    return Guards(list(r.chains.values()), args, kwargs)


def read(fun, args=(), kwargs=None):
    """The reader of ``collect`` after reading ``fun`` for a call with ``args`` and
    ``kwargs``: its ``chains`` (key -> (root, steps)), the code it read (``seen``: (code
    object, id of self, argument chains) keys) and what it could not check
    (``unchecked``). Warns
    nothing (``collect`` does)."""
    args = tuple(args)
    kwargs = dict(kwargs or {})
    r = _Reader(args, kwargs)
    roots = tuple(i for i, a in enumerate(args) if _static_object(a))
    kw_roots = tuple(k for k, a in kwargs.items() if _static_object(a))
    if isinstance(fun, types.MethodType):
        # (self is bound: call position i is the function's parameter i + 1)
        r.function(fun.__func__, 0, fun.__self__, roots, kw_roots=kw_roots,
                   provided=(len(args), tuple(kwargs)))
    elif isinstance(fun, functools.partial):
        fixed = dict(enumerate(fun.args))
        fixed.update(fun.keywords or {})
        r.function(fun.func, 0, _MISSING, roots, fixed, kw_roots=kw_roots,
                   provided=(len(args), tuple(kwargs) + tuple(fun.keywords or ())))
    else:
        r.function(fun, 0, _MISSING, roots, kw_roots=kw_roots,
                   provided=(len(args), tuple(kwargs)))
        if not isinstance(_unwrap(fun), types.FunctionType) and callable(fun):
            r._follow(fun, (), None, 0)
    for i in roots:
        # an object argument the cache tells by identity (a decorated method's self):
        # its methods, which the function may reach through super() or a computed name
        t = type(args[i])
        if t.__hash__ is object.__hash__ and t.__eq__ is object.__eq__:
            code = getattr(_unwrap(fun), "__code__", None)
            name = (code.co_varnames[i] if code is not None and not
                    isinstance(fun, (types.MethodType, functools.partial)) and
                    i < code.co_argcount else f"argument {i}")
            r._methods(args[i], 0, name)
    cut = [name for key, name in r.cut.items() if key not in r.seen]
    if cut:
        r.unchecked = (f"the names read by {', '.join(sorted(set(cut))[:3])} (more than "
                       f"{_MAX_DEPTH} calls deep)")
    return r

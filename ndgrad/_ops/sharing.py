"""Buffers ndgrad shares with code outside it, and the private copies recorded rules keep.

``nd.asarray(c)`` wraps a NumPy array ``c`` without copying (NumPy's ``asarray``
semantics: a write into ``c`` is seen through the ndgrad array), and ``numpy.asarray(x)``
hands out an ndgrad array's buffer. Writes through ndgrad are seen by the gradient code
(copy-on-write, ``_autograd/inplace.py``); writes through such a NumPy alias are not. So
a recorded rule never keeps such a *shared* buffer by reference: it saves a private copy
taken when the op ran (``private``), and an export of a buffer some rule already saved
moves the ndgrad array onto a fresh copy first (``Array.__array__``). Otherwise
``y = nd.sum(x * nd.asarray(c)); c[0] = 100; y.backward()`` would silently give the
gradient of values the forward never used.

A shared buffer is known by its *root*, the array at the end of its ``.base`` chain
(so views of it are shared too); the roots are kept in ``_SHARED`` by id, with a weak
reference that removes the entry when the root dies.

>>> import numpy, ndgrad as nd
>>> c = numpy.array([3.0, 4.0])
>>> x = nd.asarray([1.0, 1.0], requires_grad=True)
>>> y = nd.sum(x * nd.asarray(c))
>>> c[0] = 100.0                 # a write ndgrad cannot see
>>> y.backward()
>>> x.grad                       # the values the forward used
array([3., 4.])
"""
from __future__ import annotations

import sys
import sysconfig
import weakref
from sys import getrefcount as _refs

# Reference counts prove a buffer unshared only where they are exact: CPython 3.11-3.13
# with the GIL. There a call from Python code to a Python function moves the caller's
# stack reference into the callee, and a C function's argument holds a reference of its
# own, so every reference to an object is one the counted call chain holds or someone
# else's. 3.14 pushes borrowed references (LOAD_FAST_BORROW): ``getrefcount(d)`` of a
# local ``d`` is one less there, so a count that means "nobody else" on 3.13 means "one
# other holder" on 3.14 (measured on 3.14.10). Free-threaded builds defer counts. Every
# test of a count in ndgrad goes through this flag; elsewhere nothing is proven unshared
# (a copy or a fresh array instead: slower, never wrong).
_COUNTS = (sys.implementation.name == "cpython" and (3, 11) <= sys.version_info[:2] <= (3, 13)
           and not sysconfig.get_config_var("Py_GIL_DISABLED"))
_SHARED: dict = {}       # id(root) -> weak reference to the root (None: not weakrefable)


def root_of(d):
    """The array at the end of ``d``'s ``.base`` chain (``d`` itself when it owns its
    memory), passing through non-array bases that have a ``base`` of their own (NumPy's
    ``as_strided`` holder); a non-array owner (``bytes``, ``mmap``) ends the chain."""
    r = d
    t = type(d)
    b = d.base
    while b is not None:
        if type(b) is t:
            r = b
        b = getattr(b, "base", None)
    return r


def _forget(key):
    return lambda _ref: _SHARED.pop(key, None)


def mark_shared(d):
    """Record that backend array ``d``'s buffer is reachable from outside ndgrad (a NumPy
    array it wraps, or one it handed out). Returns ``d``."""
    b = getattr(d, "base", False)
    if b is False:
        return d      # (no buffer of its own to write into: a lazy Dask array)
    r = d if b is None else root_of(d)
    k = id(r)
    if k not in _SHARED:
        try:
            _SHARED[k] = weakref.ref(r, _forget(k))
        except TypeError:
            # an array type without weak references: its id stays marked after it dies
            # (a later array at that address is copied once for nothing, never missed)
            _SHARED[k] = None
    return d


def is_shared(d):
    """Whether ``d``'s buffer was marked shared (``mark_shared``)."""
    if not _SHARED:
        return False
    b = getattr(d, "base", False)
    if b is False:
        return False
    return id(d if b is None else root_of(d)) in _SHARED


def shared_now(d, held):
    """Whether a rule must copy ``d`` rather than keep it: its buffer was marked shared
    and someone outside ndgrad may still write into it. ``held``: the references to
    ``d`` the calling ndgrad code holds (the Array's slot, its own locals). A marked
    buffer that owns its memory and has no other reference (the NumPy array the caller
    passed to ``asarray`` is gone: ``nd.asarray(numpy.loadtxt(...))``) is unshared from
    now on, since nothing outside can reach it again but an export, which marks it anew.
    """
    b = getattr(d, "base", False)
    if b is False:
        return False
    if b is None:
        k = id(d)
        if k not in _SHARED:
            return False
        if _COUNTS and _refs(d) == held + 2:   # + this parameter, getrefcount's argument
            _SHARED.pop(k, None)
            return False
        return True
    r = root_of(d)
    k = id(r)
    if k not in _SHARED:
        return False
    if (_COUNTS and r is b and b.base is None and _refs(b) == 4
            and _refs(d) == held + 2):
        # a view whose owner only it holds (``b``: d.base, the locals b and r,
        # getrefcount's argument), itself held only by the caller (``numpy.linspace``'s result)
        _SHARED.pop(k, None)
        return False
    return True


"""NumPy's array methods and attributes on ``nd.Array``, installed from one table.

``x.sum(0)``, ``x.reshape(2, 3)``, ``x.astype('int32')``, ``x.sort()`` (in place),
``x.T`` (all axes reversed, as NumPy), ``x.flat``, ``x.base``, ``x.flags`` ... Each
method forwards to the NumPy-layer function of the same name (``ndgrad._numpy``), so
the methods are differentiable exactly where the functions are; the Array class keeps
only state and dunders (no god class), and this module is the one place NumPy's method
surface lives.
"""
from __future__ import annotations

import builtins
import importlib
import math
import operator

import numpy as np

from ._ops import registry as _registry

from ._array import Array
from ._backend import backend_of
# (bound once: a function-level import costs about 1 us a call; this module is imported
# by the NumPy face's package, after the layers below it)
from ._dtypes import as_dtype as _as_dtype
from ._ops import elementwise as _elementwise
from ._ops.creation import asarray as _std_asarray
from ._ops.dtype_functions import astype as _std_astype
from ._numpy.creation import in_order as _in_order
# the NumPy face's shape functions themselves: a method's ``self`` is an ndgrad array,
# which the package's wrappers (data of other kinds to NumPy) let through anyway
_shape_fns = importlib.import_module("ndgrad._numpy.shape")

_ndarray = np.ndarray


def _np():
    """ndgrad's NumPy face (bound at the first call: a function-level import costs about
    1 us a call, and most methods call this)."""
    m = _NUMPY[0]
    if m is None:
        from . import _numpy as m
        _NUMPY[0] = m
    return m


_NUMPY = [None]


def _host(x):
    _registry.note_read(x)
    d = x._data
    return d if type(d) is _ndarray else backend_of(d).to_numpy(d)


def _shape_args(shape):
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        return tuple(shape[0])
    if len(shape) == 1 and isinstance(shape[0], (np.ndarray, Array)) and shape[0].ndim == 1:
        # NumPy accepts an array of axes / sizes (x.transpose(np.argsort(p))), of integers
        from ._ops._common import shape_tuple
        return shape_tuple(shape[0] if isinstance(shape[0], np.ndarray) else _host(shape[0]))
    if len(shape) == 1 and shape[0] is None:
        return None
    return tuple(shape)


# -- methods -------------------------------------------------------------------------------
def reshape(self, *shape, order="C", copy=None):
    """``x.reshape(2, 3)`` or ``x.reshape((2, 3))`` (NumPy's varargs).

    >>> import ndgrad as np
    >>> np.arange(6).reshape(2, 3)
    array([[0, 1, 2],
           [3, 4, 5]])
    """
    return _shape_fns.reshape(self, _shape_args(shape), order=order, copy=copy)


def transpose(self, *axes):
    """``x.transpose()`` reverses the axes; ``x.transpose(1, 0, 2)`` permutes them.

    >>> import ndgrad as np
    >>> np.ones((1, 2, 3)).transpose(2, 0, 1).shape
    (3, 1, 2)
    """
    return _shape_fns.transpose(self, _shape_args(axes) if axes else None)


def flatten(self, order="C"):
    """A flattened copy.

    >>> import ndgrad as np
    >>> np.asarray([[1, 2], [3, 4]]).flatten()
    array([1, 2, 3, 4])
    """
    return _std_asarray(_shape_fns.ravel(self, order), copy=True)


def ravel(self, order="C"):
    """The flattened array (a view when possible)."""
    return _shape_fns.ravel(self, order)


def astype(self, dtype, order="K", casting="unsafe", subok=True, copy=True):
    """``x`` converted to ``dtype`` (any spelling: 'int32', np.float32, float).

    >>> import ndgrad as np
    >>> np.asarray([1.7, -1.7]).astype('int32')
    array([ 1, -1], dtype=int32)
    """
    if _non_numeric_dtype(dtype):  # records, strings, dates: NumPy's array, as NumPy
        from ._numpy._core import nodiff_guard
        nodiff_guard(f"astype({dtype!r})", self)
        return _host(self).astype(dtype, order=order, casting=casting, copy=True)
    dt = _as_dtype(dtype)
    if not copy and dt == self.dtype:
        return self
    return _registry.as_0d_kind_of(_std_astype(self, dt), self)


def _non_numeric_dtype(dtype):
    try:
        d = np.dtype(dtype)
    except TypeError:
        return False
    return d.kind not in "biufc" or d.fields is not None


def copy(self, order="C"):
    """A copy (differentiable), laid out as ``order`` asks ('C', 'F', 'A', 'K').

    >>> import ndgrad as np
    >>> np.ones((2, 3)).copy(order='F').flags.f_contiguous
    True
    """
    return _registry.as_0d_kind_of(_in_order(_std_asarray(self, copy=True), order, self),
                                   self)


def tolist(self):
    """Nested Python lists of Python scalars.

    >>> import ndgrad as np
    >>> np.arange(4).reshape(2, 2).tolist()
    [[0, 1], [2, 3]]
    """
    return _host(self).tolist()


def item(self, *args):
    """One element as a Python scalar.

    >>> import ndgrad as np
    >>> np.asarray([[1.5, 2.5]]).item(1)
    2.5
    """
    return _host(self).item(*args)


def fill(self, value):
    """Set every element to ``value``, in place.

    >>> import ndgrad as np
    >>> x = np.zeros(2); x.fill(3.0); x
    array([3., 3.])
    """
    self[...] = value


def sort(self, axis=-1, kind=None, order=None, *, stable=None, descending=False):
    """Sort in place (as NumPy's ``x.sort()``; ``descending`` as NumPy 2.5's, NaN last).

    >>> import ndgrad as np
    >>> x = np.asarray([3, 1, 2]); x.sort(); x
    array([1, 2, 3])
    >>> x.sort(descending=True); x
    array([3, 2, 1])
    """
    self[...] = _np().sort(self, axis, kind, order, stable=stable,
                           descending=bool(descending))


def argsort(self, axis=-1, kind=None, order=None, *, stable=None, descending=False):
    """Indices that sort ``x`` (``descending`` as NumPy 2.5's, NaN last).

    >>> import ndgrad as np
    >>> np.asarray([3.0, 1.0, 2.0]).argsort(descending=True)
    array([0, 2, 1])
    """
    return _np().argsort(self, axis, kind, order, stable=stable,
                         descending=bool(descending))


def partition(self, kth, axis=-1, kind="introselect", order=None):
    """Partition in place (``kind`` and ``order`` checked as NumPy's: only
    ``'introselect'``, no ``order`` without fields; an axis, not None, as NumPy's method)."""
    if axis is None:
        raise TypeError("x.partition(kth, axis=None): the method partitions in place along "
                        "an axis; an integer axis is needed ('NoneType' object cannot be "
                        "interpreted as an integer)")
    self[...] = _np().partition(self, kth, axis, kind, order)


def argpartition(self, kth, axis=-1, kind="introselect", order=None):
    """Indices that partition ``x``."""
    return _np().argpartition(self, kth, axis, kind, order)


def view(self, dtype=None, type=None):  # noqa: A002
    """A new array sharing memory with ``x`` (writes through it reach ``x``).

    ``x.view(MySubclass)`` (a subclass of NumPy's ndarray: ``np.recarray``, a user's
    class with ``__array_finalize__``) gives NumPy's view of the buffer as that class,
    as NumPy does; it is NumPy's array, so it does not differentiate, and it is refused
    while ``x`` takes part in a gradient computation (``x.detach().view(...)``).

    >>> import ndgrad as np
    >>> x = np.zeros(2); v = x.view(); v[0] = 1.0; x
    array([1., 0.])
    >>> np.zeros(2).view(np.recarray).shape
    (2,)
    """
    if isinstance(dtype, builtins_type) and issubclass(dtype, (np.ndarray, Array)):
        dtype, type = None, dtype
    if type is not None and type is not Array:
        return _subclass_view(self, dtype, type)
    if dtype is None or np.dtype(dtype) == self.dtype:
        return self[...]
    d = self._data
    if d.__class__ is not _ndarray:
        raise TypeError("view(dtype) reinterprets memory: only on the NumPy backend")
    from ._autograd.inplace import share_out, view_as_dtype
    if np.dtype(dtype).kind not in "biufc":  # records, void rows: NumPy's view of the data
        return share_out(self).view(dtype)   # (NumPy code may write into it now)
    if self._node is not None:
        from ._ops.registry import grad_state
        if grad_state.enabled:
            raise TypeError(f"x.view({np.dtype(dtype)}) reinterprets the bits of x, which "
                            "takes part in a gradient computation: the view has no "
                            "derivative. Use x.detach().view(...) for the values")
    return view_as_dtype(self, np.dtype(dtype))


builtins_type = type


def _subclass_view(self, dtype, cls):
    if not (isinstance(cls, builtins_type) and issubclass(cls, np.ndarray)):
        raise TypeError(f"view(type=...) needs a subclass of numpy.ndarray, not {cls!r}")
    from ._ops.registry import grad_state
    if self._node is not None and grad_state.enabled:
        raise TypeError(f"x.view({cls.__name__}) gives NumPy's array, which does not "
                        "differentiate, and x takes part in a gradient computation; use "
                        "x.detach().view(...) if the values are all you need")
    d = self._data
    if type(d) is not _ndarray:
        raise TypeError(f"x.view({cls.__name__}) shares NumPy memory: only on the NumPy "
                        f"backend (x is on {self.device}); use x.to_device('cpu') first")
    from ._autograd.inplace import share_out
    d = share_out(self)   # NumPy's array over x's buffer: NumPy code may write into it
    return d.view(cls) if dtype is None else d.view(dtype, cls)


def tobytes(self, order="C"):
    return _host(self).tobytes(order)


def setflags(self, write=None, align=None, uic=None):
    """NumPy's ``a.setflags``: ``write=False`` makes the array read-only (see
    ``flags.writeable``).

    >>> import ndgrad as np
    >>> a = np.zeros(2); a.setflags(write=False); a.flags.writeable
    False
    """
    if type(self._data) is _ndarray:
        self._data.setflags(write=write, align=align, uic=uic)
    elif write is not None:
        self.flags.writeable = write


def _bytes_dunder(self):
    """``bytes(x)``: the values' bytes in C order, as NumPy's buffer gives them; a 0-d
    integer array is a count, as NumPy's takes ``bytes(int)``'s path through
    ``__index__`` (``bytes(np.asarray(3))`` is three zero bytes).

    >>> import ndgrad as np
    >>> bytes(np.asarray([1, 2], dtype=np.uint8))
    b'\\x01\\x02'
    """
    if self.ndim == 0 and self.dtype.kind in "iu":
        return bytes(self.__index__())
    return tobytes(self)


def dump(self, file):
    """Pickle the array to ``file`` (a path or a binary file), as NumPy's ``a.dump``;
    ``np.load(file, allow_pickle=True)`` or ``pickle.load`` reads it back (gradient
    requests kept).

    >>> import ndgrad as np, io, pickle
    >>> f = io.BytesIO(); np.arange(3).dump(f); _ = f.seek(0); pickle.load(f)
    array([0, 1, 2])
    """
    import os
    import pickle
    if isinstance(file, (str, bytes, os.PathLike)):
        with open(file, "wb") as f:
            pickle.dump(self, f, protocol=2)
    else:
        pickle.dump(self, file, protocol=2)


def tofile(self, fid, sep="", format="%s"):  # noqa: A002  (NumPy's parameter name)
    """The array written to ``fid`` (a path or an open file) as raw bytes in C order, or
    as text with ``sep``, as NumPy's ``a.tofile`` (``np.fromfile`` reads it back; NumPy's
    ``np.save`` writes through it).

    >>> import ndgrad as np, os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "a.bin")
    >>> np.asarray([1.5, 2.5]).tofile(path); np.fromfile(path)
    array([1.5, 2.5])
    """
    _host(self).tofile(fid, sep, format)


def dumps(self):
    """The array pickled to bytes (NumPy's ``a.dumps()``; ``pickle.loads`` reads it).

    >>> import ndgrad as np, pickle
    >>> pickle.loads(np.asarray([1.5]).dumps())
    array([1.5])
    """
    import pickle
    return pickle.dumps(self, protocol=2)


def conj(self, out=None):
    """Complex conjugate (the array itself for real dtypes); ``out=`` (also positional, as
    NumPy's method takes it) receives it.

    >>> import ndgrad as np
    >>> o = np.empty(1, complex); _ = np.asarray([1 - 1j]).conjugate(o); o
    array([1.+1.j])
    """
    if out is not None:
        return _np().conjugate(self, out=out)
    return _elementwise.conj(self) if self.dtype.kind == "c" else self


def choose(self, *choices, out=None, mode="raise"):
    """``x.choose(choices, out=None, mode='raise')``; as NumPy's method, several positional
    arguments are the choices themselves (``idx.choose(a, b, c)``), out and mode then by
    keyword only.

    >>> import ndgrad as np
    >>> np.asarray([0, 1]).choose([10, 11], [20, 21])
    array([10, 21])
    """
    if not choices:
        raise TypeError("choose() missing required argument 'choices' (pos 1)")
    return _np().choose(self, choices[0] if len(choices) == 1 else choices, out=out,
                        mode=mode)


def nonzero(self):
    return _np().nonzero(self)


def squeeze(self, axis=None):
    return _shape_fns.squeeze(self, axis)


def swapaxes(self, axis1, axis2):
    return _shape_fns.swapaxes(self, axis1, axis2)


def dot(self, b, out=None):
    return _np().dot(self, b, out)


def clip(self, min=None, max=None, out=None, **kwargs):  # noqa: A002
    return _np().clip(self, min, max, out, **kwargs)


def round(self, decimals=0, out=None):  # noqa: A001
    return _np().around(self, decimals, out)


def resize(self, *new_shape, refcheck=True):
    """Change shape and size in place (new elements are zero, as NumPy's method).

    As NumPy, a view cannot be resized, and an array with live views cannot be
    unless ``refcheck=False`` (the views then keep the old buffer). NumPy's check
    also counts other Python references to the array; ndgrad counts only views.

    >>> import ndgrad as np
    >>> a = np.arange(3); a.resize((2, 2)); a
    array([[0, 1],
           [2, 0]])
    """
    from ._autograd.inplace import _live_views
    if not isinstance(refcheck, (bool, int, np.bool_)):
        raise TypeError(f"resize: refcheck must be a bool, not {type(refcheck).__name__}")
    shape = _shape_args(new_shape)
    if shape is None or not new_shape:
        # x.resize() and x.resize(None) change nothing, as NumPy's (they made x 0-d)
        return None
    shape = tuple(operator.index(n) for n in shape)
    if any(n < 0 for n in shape):
        # (x.resize(-1) gave a (size + 1,) array; NumPy refuses negative sizes)
        raise ValueError(f"negative dimensions not allowed (resize to {shape})")
    if getattr(self, "_base", None) is not None:
        raise ValueError("cannot resize this array: it does not own its data")
    views = _live_views(self)
    if refcheck and views:
        raise ValueError("cannot resize an array that references or is referenced\n"
                         "by another array in this way.\nUse the np.resize function "
                         "or refcheck=False")
    n = int(np.prod(shape))
    flat = _np().ravel(self)
    if n <= flat.shape[0]:
        new = flat[:n]
    else:
        new = _np().concatenate([flat, _np().zeros(n - flat.shape[0], self.dtype)])
    _replace(self, _np().array(_np().reshape(new, shape)))  # a buffer of its own
    for w in views:  # refcheck=False: the views keep the old buffer, as copies
        w._base = None
        w._chain = ()
    self._views = []


def _replace(self, new):
    _registry.note_write(self)
    if self._node is not None:
        raise RuntimeError("changing the shape of an array that takes part in a gradient "
                           "computation in place is not supported; use x.reshape(...)")
    self._data = new._data


# methods that forward their arguments unchanged to the NumPy function of the same name
_FORWARD = ["sum", "prod", "mean", "std", "var", "max", "min", "argmax", "argmin", "any",
            "all", "cumsum", "cumprod", "repeat", "take", "trace", "diagonal", "searchsorted",
            "put"]


def _forward(name):
    def method(self, *args, **kwargs):
        return getattr(_np(), name)(self, *args, **kwargs)
    method.__name__ = method.__qualname__ = name
    method.__doc__ = f"``x.{name}(...)`` is ``np.{name}(x, ...)`` (NumPy's method)."
    return method


# -- attributes ------------------------------------------------------------------------------
class _Flat:
    """``x.flat``: the flattened view; ``x.flat[i] = v`` writes ``x``, and ``x.flat[a:b]``
    reads a copy, as NumPy's flat iterator.

    >>> import ndgrad as np
    >>> x = np.zeros((2, 2)); x.flat[3] = 7.0; x
    array([[0., 0.],
           [0., 7.]])
    """

    __slots__ = ("_a",)

    def __init__(self, a):
        self._a = a

    @staticmethod
    def _check(key):
        # NumPy's flat iterator has one axis: no newaxis (a[None] would add one)
        if key is None or isinstance(key, tuple) and any(k is None for k in key):
            raise IndexError("only integers, slices (`:`), ellipsis (`...`) and integer or "
                             "boolean arrays are valid indices")
        if isinstance(key, np.bool_) or type(key) is list and key and all(
                isinstance(k, (bool, np.bool_)) for k in key):
            # (NumPy's refusal: a list of booleans was read as a mask, np.True_ as 0)
            raise IndexError("boolean indices for iterators are not supported because of "
                             "previous behavior that was confusing (valid boolean indices "
                             "are expected to work in the future)")

    def _index(self, key):
        a = self._a
        self._check(key)
        if isinstance(key, Array):
            key = _host(key)
        pos = np.arange(a.size)[key]
        return np.unravel_index(pos, a.shape)

    @staticmethod
    def _bool0(key):
        """A 0-d boolean index (``True``, a 0-d boolean array) as a bool,
        with NumPy's DeprecationWarning; None for any other index. NumPy reads it as the
        first element (True) or none (False); as an index of ravel() it added an axis
        and took every element (``x.flat[True] = v`` wrote all of ``x``)."""
        if isinstance(key, bool) or (
                isinstance(key, (Array, _ndarray)) and key.ndim == 0 and
                key.dtype == np.bool_):
            import warnings
            warnings.warn("Using a 0-dimensional boolean index on a flat iterator is "
                          "deprecated", DeprecationWarning, stacklevel=3)
            return bool(key)
        return None

    def __getitem__(self, key):
        self._check(key)
        b = self._bool0(key)
        if b is not None:
            r = _np().ravel(self._a)
            return r[0] if b else r[:0]
        r = _np().ravel(self._a)[key]
        # NumPy's flat iterator gives a copy (a write into it never reaches ``x``)
        return r.copy() if r.ndim else r

    def __delitem__(self, key):
        # (NumPy's flat iterator's error; Python's AttributeError __delitem__ was raised)
        raise TypeError("Cannot delete array elements (del x.flat[...])")

    def __setitem__(self, key, value):
        from ._ops.creation import asarray
        a = self._a
        self._check(key)
        if type(key) is tuple and not key:
            raise IndexError("Assigning to a flat iterator with a 0-D index is not "
                             "supported")
        b = self._bool0(key)
        if b is not None:
            if not b:
                return
            key = 0
        if a.ndim == 0:
            # (a 0-d array's flat iterator has its one element: unravel_index of () gave
            # no index arrays, and the write raised IndexError)
            self._check(key)
            picked = np.arange(1)[_host(key) if isinstance(key, Array) else key]
            if np.ndim(picked) == 0:
                # (one element: a sequence is refused, as NumPy's)
                if (value.ndim if isinstance(value, Array) else np.ndim(value)):
                    raise ValueError("setting an array element with a sequence.")
                a[...] = value
            elif np.size(picked):
                # the values repeated to the number of positions, written in order (the
                # last lands): x.flat[:] = [5, 6] gives 5, as NumPy's (it gave 6)
                v = asarray(value, dtype=a.dtype) if not isinstance(value, Array) else value
                v = _np().ravel(v)
                if v.shape[0] != np.size(picked):
                    v = _np().resize(v, (np.size(picked),))
                a[...] = v[-1]
            return
        idx = self._index(key)
        if np.ndim(idx[0]) == 0:
            a[tuple(int(i) for i in idx)] = value
            return
        n = idx[0].size
        v = _np().ravel(asarray(value, dtype=a.dtype) if not isinstance(value, Array)
                        else value)
        if v.shape[0] not in (1, n):
            v = _np().resize(v, (n,))  # NumPy repeats the values to fill
        a[tuple(asarray(i) for i in idx)] = v

    def __iter__(self):
        r = _np().ravel(self._a)
        for i in range(r.shape[0]):
            yield r[i]

    def __len__(self):
        return self._a.size

    def __array__(self, dtype=None, copy=None):
        a = self._a
        if type(a._data) is _ndarray:
            from ._autograd.inplace import share_out
            r = share_out(a).reshape(-1)   # (a view: NumPy code may write into it)
            if r.size > 1 and not np.may_share_memory(r, a._data):
                # a copy (a strided array), read-only as NumPy's: writes into it would not
                # reach the array (it was writeable)
                r.flags.writeable = False
            return r
        return _host(a).reshape(-1)

    @property
    def base(self):
        return self._a

    def copy(self):
        return flatten(self._a)


def _flat(self):
    return _Flat(self)


def _set_flat(self, value):
    # NumPy's ``x.flat = v``: every element written, the values repeated to fill
    _Flat(self)[:] = value


def _scalar_only(name):
    """``x.is_integer`` and the other methods NumPy's scalars have and its arrays do not:
    a 0-d value standing for NumPy's scalar (``x.sum()``, an element of ``for v in x``)
    has its scalar's method; any other array has none (AttributeError, so ``hasattr`` is
    False, as for NumPy's arrays).

    >>> import ndgrad as np
    >>> [v.is_integer() for v in np.asarray([1.0, 1.5])]
    [True, False]
    """
    def get(self):
        if not self._data.shape and _registry.stands_for_scalar(self):
            return getattr(_host(self)[()], name)   # (NumPy's AttributeError where none)
        raise AttributeError(f"'numpy.ndarray' object has no attribute '{name}'")
    get.__name__ = name
    get.__doc__ = _scalar_only.__doc__
    return property(get)


def _nbytes(self):
    return self.size * self.dtype.itemsize


def _itemsize(self):
    return self.dtype.itemsize


def _strides(self):
    d = self._data
    if type(d) is _ndarray:
        return d.strides
    s, acc = [], self.dtype.itemsize
    for n in reversed(self.shape):
        s.append(acc)
        acc *= n
    return tuple(reversed(s))


def _real(self):
    if self.dtype.kind == "c":
        return _elementwise.real(self)
    return self


def _set_real(self, value):
    if self.dtype.kind == "c":
        from ._ops.elementwise import complex_from_parts
        self[...] = complex_from_parts(_part(value, self), _imag(self), self.dtype)
    else:
        self[...] = value


def _part(value, a):
    """``value`` as a real or imaginary part of complex ``a`` (its real dtype, on its
    device), as NumPy's assignment casts it."""
    from ._ops.creation import asarray
    dt = np.finfo(a.dtype).dtype   # (complex64's parts are float32)
    if isinstance(value, Array):
        return value if value.dtype == dt else value.astype(dt)
    return asarray(value, dtype=dt, device=a.device)


def _imag(self):
    if self.dtype.kind == "c":
        return _elementwise.imag(self)
    return _np().imag(self)   # (zeros, read-only: NumPy's)


def _set_imag(self, value):
    if self.dtype.kind != "c":
        raise TypeError("array does not have imaginary part to set")
    from ._ops.elementwise import complex_from_parts
    self[...] = complex_from_parts(_real(self), _part(value, self), self.dtype)


def _base(self):
    return getattr(self, "_base", None)


_NP_FLAGS = type(np.empty(0).flags)


class _Flags:
    """``x.flags``: NumPy's memory-layout flags of the buffer.

    >>> import ndgrad as np
    >>> np.ones((2, 3)).T.flags.c_contiguous
    False
    """

    def __init__(self, a):
        self._a = a
        d = a._data
        self._f = d.flags if type(d) is _ndarray else None

    def _get(self, name):
        if self._f is not None:
            return self._f[name]
        return {"C_CONTIGUOUS": True, "F_CONTIGUOUS": self._a.ndim <= 1, "OWNDATA": True,
                "WRITEABLE": True, "ALIGNED": True, "WRITEBACKIFCOPY": False}[name]

    c_contiguous = property(lambda s: s._get("C_CONTIGUOUS"))
    f_contiguous = property(lambda s: s._get("F_CONTIGUOUS"))
    contiguous = c_contiguous
    fortran = f_contiguous   # (NumPy's alias)
    owndata = property(lambda s: s._get("OWNDATA") and _base(s._a) is None)
    aligned = property(lambda s: s._get("ALIGNED"))
    writebackifcopy = property(lambda s: s._get("WRITEBACKIFCOPY"))

    @property
    def writeable(self):
        return self._get("WRITEABLE")

    @writeable.setter
    def writeable(self, flag):
        if self._f is not None:
            self._f.writeable = flag
        elif not flag:
            # (it was ignored: the writes it asks to refuse went through)
            raise ValueError(f"flags.writeable = False: an array on device "
                             f"{self._a.device!r} has no read-only flag, so ndgrad cannot "
                             "refuse writes into it")

    # NumPy's combined flags
    fnc = property(lambda s: s.f_contiguous and not s.c_contiguous)
    forc = property(lambda s: s.f_contiguous or s.c_contiguous)
    behaved = property(lambda s: s.aligned and s.writeable)
    carray = property(lambda s: s.behaved and s.c_contiguous)
    farray = property(lambda s: s.behaved and s.f_contiguous and not s.c_contiguous)

    def __getitem__(self, key):
        key = {"C": "C_CONTIGUOUS", "F": "F_CONTIGUOUS", "W": "WRITEABLE",
               "O": "OWNDATA", "A": "ALIGNED", "X": "WRITEBACKIFCOPY", "B": "BEHAVED",
               "CA": "CARRAY", "FA": "FARRAY"}.get(key, key.upper())
        if key in ("OWNDATA", "FNC", "FORC", "BEHAVED", "CARRAY", "FARRAY"):
            return getattr(self, key.lower())
        return self._get(key)

    _NAMES = ("C_CONTIGUOUS", "F_CONTIGUOUS", "OWNDATA", "WRITEABLE", "ALIGNED",
              "WRITEBACKIFCOPY")

    def __eq__(self, other):
        # (NumPy's flags objects compare their flags; these compared by identity)
        if isinstance(other, (_Flags, _NP_FLAGS)):
            return all(self[n] == other[n] for n in self._NAMES)
        return NotImplemented

    __hash__ = None

    def __repr__(self):
        return "\n".join(f"  {n} : {self[n]}" for n in self._NAMES) + "\n"


def _flags(self):
    return _Flags(self)


def _T(self):
    """NumPy's ``x.T``: all axes reversed (the array itself below two dimensions).

    >>> import ndgrad as np
    >>> np.ones((2, 3, 4)).T.shape
    (4, 3, 2)
    """
    if self.ndim == 2:
        if _matrix_transpose is None:
            _bind_matrix_transpose()
        return _matrix_transpose(self)
    return _np().transpose(self)


_matrix_transpose = None


def _bind_matrix_transpose():
    # (bound at the first ``x.T``: a function-level import costs about 1 us a call)
    global _matrix_transpose
    from ._ops.linalg import matrix_transpose
    _matrix_transpose = matrix_transpose


def _get_shape(self):
    s = self._data.shape
    if type(s) is tuple and type(self._data) is _ndarray:
        return s
    # a Dask length not known until computed is nan there, None in the standard
    return tuple(None if n != n else n for n in s)


def _set_shape(self, shape):
    d = self._data
    if type(d) is _ndarray:
        # NumPy changes the shape in place only where the buffer allows it (no copy):
        # otherwise its AttributeError (a copy was made, so the array left its views)
        probe = d.view()
        probe.shape = shape
    _replace(self, _np().reshape(self, shape))


def _contains(self, value):
    return bool(_np().any(self == value))


def _round_dunder(self, ndigits=None):
    # (builtins.round: this module's ``round`` is the array method, which would give
    # a 0-d array 3.0 where NumPy's round(np.float64(2.7)) is the Python int 3)
    if self.dtype.kind == "b" and not self.ndim:
        raise TypeError("type numpy.bool doesn't define __round__ method")
    if ndigits is None:
        return builtins.round(self.item()) if self.size == 1 else _np().around(self)
    return _np().around(self, ndigits)


def _trunc_dunder(self):
    """``math.trunc(x[0])`` as NumPy's scalars: a float64 one (a Python float) gives the
    Python int; every other scalar type, and any NumPy array (a 0-d one too), has no
    ``__trunc__``: the same TypeError. (``math.floor``/``ceil`` need no method: they
    fall back to ``float(x)``, as NumPy's arrays and non-float64 scalars do.)"""
    if not _registry.stands_for_scalar(self):
        raise TypeError("type numpy.ndarray doesn't define __trunc__ method")
    dt = self.dtype
    if dt != np.float64:
        raise TypeError(f"type numpy.{dt.type.__name__} doesn't define __trunc__ method")
    return math.trunc(self.item())


def _divmod(self, other):
    return _np().floor_divide(self, other), _np().remainder(self, other)


def compress(self, condition, axis=None, out=None):
    """``x.compress(condition, axis)``: the slices of ``x`` where ``condition`` is true
    (NumPy's ``np.compress(condition, x, axis)``: the condition comes first there).

    >>> import ndgrad as np
    >>> np.asarray([1.0, 0.0, 2.0]).compress([True, False, True])
    array([1., 2.])
    """
    return _np().compress(condition, self, axis=axis, out=out)


def _rdivmod(self, other):
    return _np().floor_divide(other, self), _np().remainder(other, self)


METHODS = {"reshape": reshape, "transpose": transpose, "flatten": flatten, "ravel": ravel,
           "astype": astype, "copy": copy, "tolist": tolist, "item": item, "fill": fill,
           "sort": sort, "argsort": argsort, "partition": partition,
           "argpartition": argpartition, "view": view, "tobytes": tobytes, "dump": dump,
           "tofile": tofile, "dumps": dumps, "__bytes__": _bytes_dunder, "setflags": setflags,
           "conj": conj, "conjugate": conj, "nonzero": nonzero, "squeeze": squeeze,
           "swapaxes": swapaxes, "dot": dot, "clip": clip, "round": round,
           "resize": resize, "compress": compress, "choose": choose, "__contains__": _contains, "__round__": _round_dunder,
           "__trunc__": _trunc_dunder,
           "__divmod__": _divmod, "__rdivmod__": _rdivmod}
METHODS.update({n: _forward(n) for n in _FORWARD})
ATTRIBUTES = {"flat": property(_flat, _set_flat), "nbytes": property(_nbytes),
              "itemsize": property(_itemsize), "strides": property(_strides),
              "real": property(_real, _set_real), "imag": property(_imag, _set_imag),
              "base": property(_base), "flags": property(_flags), "T": property(_T),
              "is_integer": _scalar_only("is_integer"),
              "as_integer_ratio": _scalar_only("as_integer_ratio"),
              "bit_count": _scalar_only("bit_count"),
              "shape": property(_get_shape, _set_shape, doc="The shape; assigning to it "
                                "reshapes in place, as NumPy.")}


def install():
    for name, m in METHODS.items():
        setattr(Array, name, m)
    for name, p in ATTRIBUTES.items():
        setattr(Array, name, p)


install()

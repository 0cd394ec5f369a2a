"""NumPy's file and text I/O on ndgrad arrays: loadtxt, genfromtxt, save/load/savez, fromfile.

Reading is NumPy's own reader; what it returns comes back as NumPy returns it, with
numeric arrays as ndgrad arrays. Arrays of data ndgrad arrays do not hold (strings,
records from ``dtype=[...]`` or ``names=True``, dates, objects) stay NumPy's own
arrays, so field access, sorting by field and printing are NumPy's. ``load`` of an
``.npz`` gives an :class:`NpzFile` whose members load lazily as ndgrad arrays. As in
NumPy, loading never runs code from a file (a pickle) unless the caller passes
``allow_pickle=True``.
"""
from __future__ import annotations

import numpy as np

from .. import _dtypes
from ._core import to_numpy

__all__ = ["loadtxt", "genfromtxt", "savetxt", "save", "load", "savez", "savez_compressed",
           "fromfile", "fromregex"]


def as_loaded(value):
    """A value NumPy's reader returned, with numeric NumPy arrays as ndgrad arrays
    (lists and tuples of them too, as ``unpack=True`` gives); anything else unchanged."""
    if type(value) is np.ndarray and value.dtype.kind in "biufc":
        from .._ops.creation import asarray
        return asarray(value)
    if isinstance(value, list):
        return [as_loaded(v) for v in value]
    if isinstance(value, tuple):
        return tuple(as_loaded(v) for v in value)
    return value


def loadtxt(fname, dtype=float, *args, **kwargs):
    """NumPy's ``loadtxt``: numeric tables as ndgrad arrays, structured or string
    ``dtype`` as NumPy's arrays (field access and printing as NumPy).

    >>> import ndgrad as np, io
    >>> np.loadtxt(io.StringIO('1 2'))
    array([1., 2.])
    >>> t = np.loadtxt(io.StringIO('a 1\\nb 2'), dtype=[('k', 'U1'), ('v', 'i8')])
    >>> t['v'], t[1]
    (array([1, 2]), np.void(('b', 2), dtype=[('k', '<U1'), ('v', '<i8')]))
    """
    return as_loaded(np.loadtxt(fname, dtype, *args, **kwargs))


def genfromtxt(fname, dtype=float, *args, **kwargs):
    """NumPy's ``genfromtxt``: numeric tables as ndgrad arrays; ``names=``, structured
    or string dtypes and ``dtype=None`` give NumPy's arrays (as NumPy), masked results
    NumPy's masked arrays.

    >>> import ndgrad as np, io
    >>> np.genfromtxt(io.StringIO('1 2'))
    array([1., 2.])
    >>> t = np.genfromtxt(io.StringIO('x,y\\n1,2.5\\n3,4.5'), delimiter=',', names=True)
    >>> t['y']
    array([2.5, 4.5])
    """
    return as_loaded(np.genfromtxt(fname, dtype, *args, **kwargs))


def _host(a):
    """A value to write: ndgrad arrays as their NumPy values, everything else as is."""
    from .._ops import registry as _registry
    if isinstance(a, _registry.Array):
        return to_numpy(a)
    return a


def savetxt(fname, X, *args, **kwargs):
    """NumPy's ``savetxt`` (ndgrad arrays are written as their values).

    >>> import ndgrad as np, io
    >>> f = io.StringIO(); np.savetxt(f, np.asarray([[1, 2]]), fmt='%d'); f.getvalue()
    '1 2\\n'
    """
    np.savetxt(fname, _host(X), *args, **kwargs)


def save(file, arr, allow_pickle=True, **kwargs):
    """NumPy's ``save`` (``.npy``); ndgrad arrays are written as their values (and load
    back as ndgrad arrays).

    >>> import ndgrad as np, io
    >>> f = io.BytesIO(); np.save(f, np.arange(3)); _ = f.seek(0); np.load(f)
    array([0, 1, 2])
    """
    np.save(file, _host(arr), allow_pickle=allow_pickle, **kwargs)


def savez(file, *args, allow_pickle=True, **kwds):
    """NumPy's ``savez``: several arrays in one uncompressed ``.npz``.

    >>> import ndgrad as np, io
    >>> f = io.BytesIO(); np.savez(f, w=np.ones(2)); _ = f.seek(0)
    >>> np.load(f)['w']
    array([1., 1.])
    """
    np.savez(file, *[_host(a) for a in args], allow_pickle=allow_pickle,
             **{k: _host(v) for k, v in kwds.items()})


def savez_compressed(file, *args, allow_pickle=True, **kwds):
    """NumPy's ``savez_compressed``: several arrays in one compressed ``.npz``.

    >>> import ndgrad as np, io
    >>> f = io.BytesIO(); np.savez_compressed(f, np.ones(2)); _ = f.seek(0)
    >>> np.load(f).files
    ['arr_0']
    """
    np.savez_compressed(file, *[_host(a) for a in args], allow_pickle=allow_pickle,
                        **{k: _host(v) for k, v in kwds.items()})


class NpzFile:
    """The arrays of an ``.npz`` file, each read when first asked for, as ndgrad arrays
    (NumPy's ``NpzFile``: ``.files``, ``f['name']``, ``f.f.name``, a context manager,
    ``close()``).

    >>> import ndgrad as np, io
    >>> f = io.BytesIO(); np.savez(f, a=np.arange(2), b=np.ones(1)); _ = f.seek(0)
    >>> with np.load(f) as data:
    ...     data.files, data['a']
    (['a', 'b'], array([0, 1]))
    """

    def __init__(self, npz):
        self._npz = npz
        self.f = _Fields(self)

    @property
    def files(self):
        return self._npz.files

    @property
    def zip(self):
        return self._npz.zip

    @property
    def fid(self):
        return self._npz.fid

    def __getitem__(self, key):
        return as_loaded(self._npz[key])

    def get(self, key, default=None):
        return self[key] if key in self else default

    def __contains__(self, key):
        return key in self._npz

    def __iter__(self):
        return iter(self._npz)

    def __len__(self):
        return len(self._npz)

    def keys(self):
        return self._npz.keys()

    def values(self):
        return [self[k] for k in self.files]

    def items(self):
        return [(k, self[k]) for k in self.files]

    def close(self):
        self._npz.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        try:
            self.close()
        except Exception:  # pragma: no cover - interpreter shutdown
            pass

    def __repr__(self):
        return repr(self._npz)   # (NumPy's words: a drop-in prints what NumPy prints)


# ``isinstance(np.load(f), np.lib.npyio.NpzFile)`` holds, as for NumPy's own (NumPy's class is
# an abstract Mapping; this one is registered as its virtual subclass, not derived from it:
# NumPy's methods read a zip member table this class keeps elsewhere). It was False, so code
# telling an .npz from an .npy took the array branch.
np.lib.npyio.NpzFile.register(NpzFile)


class _Fields:
    """``npz.f.name``: attribute access to the members. It holds its NpzFile weakly (NumPy's
    BagObj does): a strong reference made a cycle, so a dropped NpzFile (and its open file)
    waited for the garbage collector instead of going at once."""

    def __init__(self, owner):
        object.__setattr__(self, "_owner", __import__("weakref").proxy(owner))

    def __getattr__(self, key):
        try:
            return self._owner[key]
        except KeyError:
            raise AttributeError(key) from None

    def __dir__(self):
        return list(self._owner.files)


def load(file, mmap_mode=None, allow_pickle=False, fix_imports=True, encoding="ASCII", *,
         max_header_size=10000):
    """NumPy's ``load``: ``.npy`` numeric arrays come back as ndgrad arrays, ``.npz``
    files as a lazy :class:`NpzFile`; pickles (``a.dump(path)``, object arrays) load
    only with ``allow_pickle=True`` (NumPy's rule: a pickle can run code).

    >>> import ndgrad as np, io
    >>> f = io.BytesIO(); np.save(f, np.asarray([1.5, 2.5])); _ = f.seek(0)
    >>> np.load(f)
    array([1.5, 2.5])
    """
    r = np.load(file, mmap_mode=mmap_mode, allow_pickle=allow_pickle,
                fix_imports=fix_imports, encoding=encoding, max_header_size=max_header_size)
    if isinstance(r, np.lib.npyio.NpzFile):
        return NpzFile(r)
    if isinstance(r, np.memmap):
        return r  # a memory map stays NumPy's (ndgrad has no memory-mapped arrays)
    return as_loaded(r)


def fromfile(file, dtype=float, count=-1, sep="", offset=0, *, like=None):
    """An array from a binary or text file (NumPy's reader).

    >>> import ndgrad as np, tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "a.txt"); _ = open(p, "w").write("1 2")
    >>> np.fromfile(p, sep=" ")
    array([1., 2.])
    """
    dt = _dtypes.as_dtype(dtype) if _numeric_dtype(dtype) else dtype
    return as_loaded(np.fromfile(file, dtype=dt, count=count, sep=sep, offset=offset))


def _numeric_dtype(dtype):
    try:
        return np.dtype(dtype).kind in "biufc" and np.dtype(dtype).fields is None
    except TypeError:
        return True



def fromregex(file, regexp, dtype, encoding=None):
    """NumPy's ``fromregex``: a structured array (NumPy's) from the groups a regular
    expression matches in a text file.

    >>> import ndgrad as np, io
    >>> t = np.fromregex(io.StringIO('a=1 b=2'), r'(\\w)=(\\d)', [('k', 'U1'), ('v', 'i8')])
    >>> t['v']
    array([1, 2])
    """
    return as_loaded(np.fromregex(file, regexp, dtype, encoding=encoding))

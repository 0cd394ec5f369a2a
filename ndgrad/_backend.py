"""Backends and devices.

A backend is an array-API namespace that computes: NumPy (device "cpu", the default),
CuPy (devices "cuda:N", imported only when asked for), Dask (device "dask": chunked,
lazily evaluated arrays, imported only when asked for or met), and two TEST backends (not
devices): array_api_strict (device "strict", proves ndgrad uses nothing beyond the standard)
and the CuPy-rules backend (device "cupy_rules", ``_cupy_rules``: NumPy behind CuPy's rules,
so CI without a GPU fails wherever CuPy would).
Arrays hold raw backend arrays; an op finds its backend from its inputs' types.
"""
from __future__ import annotations

import os

import types

import numpy as np
import array_api_compat.numpy as _compat_np

__all__ = ["Device", "as_device", "backend_of", "default_device", "set_default_device",
           "numpy_backend"]


class Backend:
    """One computing namespace: its array type, its namespace, dtype conversions."""

    __slots__ = ("name", "xp", "array_type", "_to_bk", "_from_bk", "native_dtypes")

    def __init__(self, name, xp, array_type, to_bk=None, from_bk=None):
        self.name = name
        self.xp = xp
        self.array_type = array_type
        self._to_bk = to_bk
        self._from_bk = from_bk
        # numpy and cupy take numpy dtype objects as they are
        self.native_dtypes = to_bk is None

    def dtype(self, dt):
        """ndgrad dtype (a numpy dtype) -> this backend's dtype object."""
        if dt is None or self.native_dtypes:
            return dt
        return self._to_bk[dt]

    def ndgrad_dtype(self, bdt):
        if self.native_dtypes:
            return bdt
        return self._from_bk[bdt]

    def to_numpy(self, data):
        """A NumPy array holding the same values (copying off the GPU where needed)."""
        if self is numpy_backend:
            return data
        if self.name in ("cupy", "cupy_rules"):
            return data.get()
        if self.name == "dask":
            return np.asarray(data.compute())
        return np.asarray(data._array) if self.name == "array_api_strict" else np.asarray(data)

    def __repr__(self):
        return f"<ndgrad backend {self.name}>"


def _numpy_namespace():
    """The NumPy backend's namespace: ``array_api_compat.numpy`` with the functions that
    the ops' forwards and gradient rules call on every small array made cheaper. Each
    replacement, given a ``numpy.ndarray`` (exactly that type) and the arguments it
    handles, makes the very call the original ends in (``x.reshape(shape)``,
    ``np.add.reduce``, ``x.swapaxes(-1, -2)`` ...), so values, dtype, views, flags and
    errors are the same; anything else goes to the original function. Saves the
    Python layers (``np.reshape``'s ``_wrapfunc``, ``np.sum``'s ``_wrapreduction``,
    array_api_compat's ``xp=`` wrappers): about 0.3-1 us per call, most of a rule's
    cost on small arrays. ``tests/test_eager_engine.py`` compares each one with the
    original."""
    ns = types.ModuleType("ndgrad._backend.numpy_namespace", _compat_np.__doc__)
    ns.__dict__.update({k: v for k, v in vars(_compat_np).items()
                        if k not in ("__name__", "__doc__", "__spec__", "__loader__")})
    nd = np.ndarray
    novalue = np._NoValue
    add_reduce = np.add.reduce
    c = _compat_np

    def reshape(a, /, shape, order="C", *, copy=None):
        if type(a) is nd and copy is None and order == "C":
            return a.reshape(shape)
        return c.reshape(a, shape, order, copy=copy)

    def sum(a, axis=None, dtype=None, out=None, keepdims=novalue, initial=novalue,  # noqa: A001
            where=novalue):
        if type(a) is nd and out is None and initial is novalue and where is novalue:
            if keepdims is novalue:
                return add_reduce(a, axis, dtype)
            return add_reduce(a, axis, dtype, keepdims=keepdims)
        return c.sum(a, axis, dtype, out, keepdims=keepdims, initial=initial, where=where)

    def matrix_transpose(x, /):
        if type(x) is nd and x.ndim >= 2:
            return x.swapaxes(-1, -2)
        return c.matrix_transpose(x)

    def permute_dims(x, /, axes):
        if type(x) is nd:
            return x.transpose(axes)
        return c.permute_dims(x, axes)

    def astype(x, dtype, /, *, copy=True, device=None):
        if type(x) is nd and device is None:
            return x.astype(dtype=dtype, copy=copy)
        return c.astype(x, dtype, copy=copy, device=device)

    def expand_dims(a, axis):
        if type(a) is nd and type(axis) is int:
            n = a.ndim + 1
            if -n <= axis < n:
                if axis < 0:
                    axis += n
                s = a.shape
                return a.reshape(s[:axis] + (1,) + s[axis:])
        return c.expand_dims(a, axis)

    def squeeze(a, axis=None):
        if type(a) is nd:
            return a.squeeze() if axis is None else a.squeeze(axis=axis)
        return c.squeeze(a, axis)

    def zeros_like(x, /, *, dtype=None, device=None, **kwargs):
        if device is None:
            return np.zeros_like(x, dtype=dtype, **kwargs)
        return c.zeros_like(x, dtype=dtype, device=device, **kwargs)

    def ones_like(x, /, *, dtype=None, device=None, **kwargs):
        if device is None:
            return np.ones_like(x, dtype=dtype, **kwargs)
        return c.ones_like(x, dtype=dtype, device=device, **kwargs)

    def asarray(obj, /, *, dtype=None, device=None, copy=None, **kwargs):
        if type(obj) is nd and copy is True and (device is None or device == "cpu") \
                and not kwargs:
            return np.array(obj, copy=True, dtype=dtype)
        return c.asarray(obj, dtype=dtype, device=device, copy=copy, **kwargs)

    def filled(name):
        # zeros, ones, empty: array_api_compat checks the device, then calls NumPy's
        npf = getattr(np, name)
        cf = getattr(c, name)

        def f(shape, *, dtype=None, device=None, **kwargs):
            if (device is None or device == "cpu") and not kwargs:
                return npf(shape, dtype)
            return cf(shape, dtype=dtype, device=device, **kwargs)
        f.__name__ = name
        return f

    fast = [matrix_transpose, permute_dims, astype, zeros_like, ones_like, asarray,
            filled("zeros"), filled("ones"), filled("empty")]
    # NumPy's own functions, where array_api_compat takes them as they are (its wrapper
    # of an older NumPy's may differ: that one stays)
    fast += [f for f in (reshape, sum, expand_dims, squeeze)
             if getattr(c, f.__name__) is getattr(np, f.__name__)]
    for f in fast:
        f.__doc__ = getattr(c, f.__name__).__doc__
        f.__qualname__ = f.__name__
        f.__module__ = ns.__name__
        setattr(ns, f.__name__, f)
    ns.matmul = np.matmul   # (array_api_compat's matmul is np.matmul(x1, x2, **kwargs))
    return ns


_npx = _numpy_namespace()
numpy_backend = Backend("numpy", _npx, np.ndarray)
_backends_by_type = {np.ndarray: numpy_backend}
_strict_backend = None
_cupy_backend = None
_cupy_rules_backend = None
_dask_backend = None


def strict_backend():
    global _strict_backend
    if _strict_backend is None:
        import array_api_strict as s
        names = ["bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
                 "uint64", "float32", "float64", "complex64", "complex128"]
        to_bk = {np.dtype(n): getattr(s, n) for n in names}
        from_bk = {v: k for k, v in to_bk.items()}
        _strict_backend = Backend("array_api_strict", s, type(s.asarray(0)), to_bk, from_bk)
        _backends_by_type[_strict_backend.array_type] = _strict_backend
    return _strict_backend


def cupy_backend():
    global _cupy_backend
    if _cupy_backend is None:
        try:
            import cupy
            import array_api_compat.cupy as cpx
        except ImportError as e:  # pragma: no cover - depends on the machine
            raise RuntimeError(
                "device 'cuda' needs CuPy: pip install 'ndgrad[cuda]' on a machine with "
                f"an NVIDIA GPU ({e})") from None
        _cupy_backend = Backend("cupy", cpx, cupy.ndarray)
        _backends_by_type[cupy.ndarray] = _cupy_backend
    return _cupy_backend


def cupy_rules_backend():
    """The CuPy-rules test backend (``ndgrad._cupy_rules``), loaded on first use."""
    global _cupy_rules_backend
    if _cupy_rules_backend is None:
        from . import _cupy_rules
        _cupy_rules_backend = Backend("cupy_rules", _cupy_rules.xp, _cupy_rules.ndarray)
        _backends_by_type[_cupy_rules.ndarray] = _cupy_rules_backend
    return _cupy_rules_backend


def to_numpy(data):
    """A NumPy array of a raw backend array's values: itself on NumPy, an explicit copy to
    the host elsewhere (``.get()`` on CuPy, counted on the CuPy-rules test backend)."""
    if type(data) is np.ndarray:
        return data
    return backend_of(data).to_numpy(data)
def dask_backend():
    """The Dask backend (``array_api_compat.dask.array`` completed in ``_dask.py``),
    loaded on first use."""
    global _dask_backend
    if _dask_backend is None:
        try:
            import dask.array as da
            from ._dask import namespace
        except ImportError as e:  # pragma: no cover - depends on the machine
            raise RuntimeError(f"device 'dask' needs Dask: pip install 'ndgrad[dask]' ({e})"
                               ) from None
        _dask_backend = Backend("dask", namespace, da.Array)
        _backends_by_type[da.Array] = _dask_backend
    return _dask_backend


def _is_dask_type(t):
    # a dask.array.Array met before the Dask backend was loaded (dask imported by the user)
    return t.__name__ == "Array" and t.__module__.startswith("dask.array")


def known_backend(data):
    """The Backend of a raw backend array, or None for anything else (lists, scalars)."""
    bk = _backends_by_type.get(type(data))
    if bk is None and _is_dask_type(type(data)):
        return dask_backend()
    return bk


def backend_of(data):
    """The Backend whose array type ``data`` is (raw backend arrays only)."""
    bk = _backends_by_type.get(type(data))
    if bk is None:
        bk = known_backend(data)
        if bk is None:
            raise TypeError(f"not a backend array: {type(data).__name__}")
    return bk


class Device:
    """A place arrays live: ``Device("cpu")``, ``Device("cuda:0")``, ``Device("dask")``,
    ``Device("strict")``.

    >>> import ndgrad as nd
    >>> str(nd.asarray([1.0]).device)
    'cpu'
    """

    __slots__ = ("kind", "index")

    def __init__(self, kind, index=0):
        self.kind = kind
        self.index = index

    @property
    def backend(self):
        if self.kind == "cpu":
            return numpy_backend
        if self.kind == "cuda":
            return cupy_backend()
        if self.kind == "cupy_rules":
            return cupy_rules_backend()
        if self.kind == "dask":
            return dask_backend()
        return strict_backend()

    def __str__(self):
        return f"cuda:{self.index}" if self.kind == "cuda" else self.kind

    def __repr__(self):
        return f"Device('{self}')"

    def __eq__(self, other):
        if isinstance(other, str):
            try:
                other = as_device(other)
            except ValueError:
                return False
        return (isinstance(other, Device) and other.kind == self.kind
                and other.index == self.index)

    def __hash__(self):
        return hash((self.kind, self.index))


CPU = Device("cpu")
STRICT = Device("strict")
CUPY_RULES = Device("cupy_rules")
DASK = Device("dask")
_default_device = CPU  # NDGRAD_DEFAULT_DEVICE (e.g. "strict", "cuda") changes it at import
VALID_DEVICES = ("'cpu', 'cuda', 'cuda:N' (N a GPU number), 'dask' (dask.array), or the test "
                 "backends 'strict' (array_api_strict) and 'cupy_rules' (NumPy under CuPy's "
                 "rules, not a GPU)")


def as_device(device):
    """Parse a device given as a Device, a string, or a backend's own device object."""
    if device is None:
        return _default_device
    if isinstance(device, Device):
        return device
    if isinstance(device, str):
        name = device.strip().lower()
        if name == "cpu":
            return CPU
        if name in ("strict", "array_api_strict"):
            return STRICT
        if name == "cupy_rules":
            return CUPY_RULES
        if name == "dask":
            return DASK
        if name == "cuda":
            return Device("cuda", 0)
        if name.startswith("cuda:") and name[5:].isdigit():
            return Device("cuda", int(name[5:]))
        if name.startswith("gpu:") and name[4:].isdigit() or name == "gpu":
            return as_device("cuda" + name[3:])
        raise ValueError(f"unknown device {device!r}; valid devices are {VALID_DEVICES}")
    # a backend's own device object: cupy.cuda.Device, array_api_strict.Device
    mod = type(device).__module__
    if mod == "ndgrad._cupy_rules":
        return CUPY_RULES
    if mod.startswith("cupy"):
        return Device("cuda", int(device.id))
    if mod.startswith("array_api_strict"):
        return STRICT
    if mod.startswith("array_api_compat") and repr(device) == "DASK_DEVICE":
        return DASK
    raise ValueError(f"unknown device {device!r}; valid devices are {VALID_DEVICES}")


def device_of(data):
    """The ndgrad Device of a raw backend array."""
    t = type(data)
    if t is np.ndarray:
        return CPU
    bk = backend_of(data)
    if bk.name == "cupy":
        return Device("cuda", int(data.device.id))
    if bk.name == "cupy_rules":
        return CUPY_RULES
    if bk.name == "dask":
        return DASK
    return STRICT


def backend_device(device):
    """The backend's own device object for an ndgrad Device (what ``device=`` wants)."""
    if device.kind in ("cpu", "dask"):
        return "cpu"   # (array_api_compat's Dask namespace: a NumPy-backed Dask array is "cpu")
    if device.kind == "cuda":
        import cupy
        return cupy.cuda.Device(device.index)
    if device.kind == "cupy_rules":
        from ._cupy_rules import DEVICE
        return DEVICE
    import array_api_strict as s
    return s.Device("CPU_DEVICE")


def default_device():
    return _default_device


def set_default_device(device):
    """Set the device new arrays are made on; returns the previous default.

    >>> import ndgrad as nd
    >>> old = nd.set_default_device("cpu")
    """
    global _default_device
    old = _default_device
    _default_device = as_device(device)
    _default_device.backend  # fail early if the backend cannot load
    return old


if os.environ.get("NDGRAD_DEFAULT_DEVICE"):
    _default_device = as_device(os.environ["NDGRAD_DEFAULT_DEVICE"])

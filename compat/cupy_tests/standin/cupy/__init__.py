"""A stand-in ``cupy`` for running CuPy's test suite against ndgrad (compat/cupy_tests/run.py).

Every public name is ndgrad's (``cupy.ndarray`` is ndgrad's Array, ``cupy.fft`` is ndgrad.fft
...), so each CuPy test body runs once with ``xp=numpy`` and once with ``xp=ndgrad`` and the
results are compared.  ``asnumpy`` and ``get_array_module`` are CuPy's two host helpers,
written over ndgrad.  CUDA-only parts (``cupy.cuda``, ``cupy._core``, fft plans) are
``CupyOnly`` placeholders: a test that reaches one is skipped with the name it reached, so
those tests count as "CuPy-only" rather than as ndgrad failures.  Never imported by ndgrad's
own code paths here: the runner puts this folder first on ``sys.path`` of the test process only.
"""
import builtins
import sys
import types
import warnings

import numpy
import pytest

import ndgrad

for _name in dir(ndgrad):
    if not _name.startswith("_") and _name != "testing":   # ours, below
        globals()[_name] = getattr(ndgrad, _name)
ndarray = ndgrad.Array


def __getattr__(name):
    raise AttributeError(f"module 'cupy' (ndgrad stand-in) has no attribute {name!r}: "
                         f"ndgrad has no {name!r}")


def asnumpy(a, stream=None, order="C", out=None, blocking=True):
    """A NumPy copy of ``a`` (CuPy's device-to-host copy)."""
    host = numpy.array(a, order=order) if isinstance(a, ndgrad.Array) else numpy.asarray(a, order=order)
    if out is not None:
        out[...] = host
        return out
    return host


def get_array_module(*args):
    """This stand-in module if any argument is an ndgrad array, else NumPy."""
    return sys.modules[__name__] if builtins.any(isinstance(a, ndgrad.Array) for a in args) \
        else numpy


class _MemoryPool:
    """CuPy's device memory pool, which tests empty between cases: nothing to free here."""

    def free_all_blocks(self, stream=None):
        pass

    def used_bytes(self):
        return 0

    def total_bytes(self):
        return 0

    def n_free_blocks(self):
        return 0


_pool, _pinned_pool = _MemoryPool(), _MemoryPool()


def get_default_memory_pool():
    return _pool


def get_default_pinned_memory_pool():
    return _pinned_pool


class CupyOnly:
    """A CuPy/CUDA-only name: using it (call, attribute, ``with``, ``bool``) skips the test."""

    def __init__(self, path):
        self._path = path

    def _skip(self, *args, **kwargs):
        pytest.skip(f"CuPy-only: {self._path} (CUDA internals; no ndgrad counterpart)")

    __call__ = __enter__ = __bool__ = __iter__ = __index__ = _skip

    def __exit__(self, *exc):
        return False

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return CupyOnly(f"{self._path}.{name}")


class CupyOnlyModule(types.ModuleType):
    """A module of ``CupyOnly`` placeholders, with a few concrete values tests read at import."""

    def __init__(self, name, **values):
        super().__init__(name)
        self.__dict__.update(values)
        self.__path__ = []

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return CupyOnly(f"{self.__name__}.{name}")


def _module(name, **values):
    mod = CupyOnlyModule(name, **values)
    sys.modules[name] = mod
    parent, _, child = name.rpartition(".")
    setattr(sys.modules[parent], child, mod)
    return mod


class _Device:
    def __init__(self, device=0):
        self.id = device
        self.compute_capability = "90"

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def use(self):
        pass

    def synchronize(self):
        pass


class _ContextValue:
    def __init__(self, value):
        self.value = value

    def get(self):
        return self.value

    def set(self, value):
        self.value = value


cuda = _module("cupy.cuda", Device=_Device)
_module("cupy.cuda.runtime", is_hip=False, runtimeGetVersion=lambda: 12080,
        getDeviceCount=lambda: 1)
_module("cupy.cuda.driver", get_build_version=lambda: 12080)
_module("cupy.cuda.cub", available=False)
_module("cupy.cuda.cutensor", available=False)
_module("cupy.cuda.device", get_compute_capability=lambda: "90")
_module("cupy.cuda.cufft")
_module("cupy.cuda.memory")
# cuBLAS compute types (TF32 ...): a matmul setting with no counterpart; the tests that set
# one compare matmul's values, which ndgrad computes in the operands' dtype
_compute_types = {}
_module("cupy._core", get_compute_type=lambda dtype: _compute_types.get(dtype, 0),
        set_compute_type=lambda dtype, t: _compute_types.__setitem__(dtype, t))
_accelerators = {"routine": [], "reduction": []}
_module("cupy._core._accelerator",
        get_routine_accelerators=lambda: list(_accelerators["routine"]),
        set_routine_accelerators=lambda a: _accelerators.__setitem__("routine", list(a)),
        get_reduction_accelerators=lambda: list(_accelerators["reduction"]),
        set_reduction_accelerators=lambda a: _accelerators.__setitem__("reduction", list(a)),
        ACCELERATOR_CUB=1, ACCELERATOR_CUTENSOR=2)
_module("cupy._core._cub_reduction")
_module("cupy._core._routines_linalg")
_module("cupy._util", PerformanceWarning=type("PerformanceWarning", (RuntimeWarning,), {}))
_module("cupy.cublas")
_module("cupy._indexing")
_module("cupy._indexing.generate")

# ndgrad's own modules under CuPy's names (copies of their public names, so that CuPy's
# CUDA-only submodules can sit beside them)
exceptions = ndgrad.exceptions
sys.modules["cupy.exceptions"] = ndgrad.exceptions
for _sub in ("fft", "linalg", "random", "lib", "polynomial"):
    if hasattr(ndgrad, _sub):
        _mod = types.ModuleType(f"cupy.{_sub}", getattr(ndgrad, _sub).__doc__)
        _mod.__dict__.update({k: v for k, v in vars(getattr(ndgrad, _sub)).items()
                              if not k.startswith("__")})
        _mod.__path__ = []
        sys.modules[f"cupy.{_sub}"] = _mod
        globals()[_sub] = _mod
# cuFFT's plan settings, read by the fft tests' decorators (CuPy deprecates the planning
# switch with a warning the decorators expect); plans do not change ndgrad's values


class _FftConfig(CupyOnlyModule):
    _nd_planning = True

    @property
    def enable_nd_planning(self):
        warnings.warn("enable_nd_planning is deprecated (stand-in)", DeprecationWarning, 2)
        return self._nd_planning

    @enable_nd_planning.setter
    def enable_nd_planning(self, value):
        warnings.warn("enable_nd_planning is deprecated (stand-in)", DeprecationWarning, 2)
        self._nd_planning = value


_config = _FftConfig("cupy.fft.config", _use_multi_gpus=_ContextValue(False),
                     _devices=_ContextValue(None))
sys.modules["cupy.fft.config"] = _config
fft.config = _config
_module("cupy.fft._fft")
_module("cupy.linalg._util", stacked_identity=lambda batch_shape, n, dtype: ndgrad.broadcast_to(
    ndgrad.eye(n, dtype=dtype), tuple(batch_shape) + (n, n)))

from cupy import testing  # noqa: E402

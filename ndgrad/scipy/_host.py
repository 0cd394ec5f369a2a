"""Where ``ndgrad.scipy``'s forward values come from: SciPy, ``cupyx.scipy``, or a clear refusal.

A forward gets the backend namespace ``xp``; ``library_function(xp, "special", "gamma",
"ndgrad.scipy.special.gamma")`` returns SciPy's function on NumPy, CuPy's on CUDA, and
raises on backends that have neither (array_api_strict), naming the function and backend,
instead of computing on the host and returning an array of the wrong backend.
"""
from __future__ import annotations

import importlib


def backend_kind(xp):
    """"numpy", "cupy", "dask", "strict" or "ndgrad" for a namespace a forward or rule is
    given."""
    name = getattr(xp, "__name__", "") or ""
    if name == "ndgrad" or type(xp).__module__.startswith("ndgrad."):
        return "ndgrad"  # ndgrad itself, or graph mode's namespace of its standard functions
    if "cupy" in name or name.startswith("ndgrad._rules_namespace"):
        return "cupy"   # (the CuPy-rules test backend takes CuPy's path, with its cupyx)
    if "array_api_strict" in name:
        return "strict"
    if "dask" in name:
        return "dask"
    return "numpy"


def _import(modname, public):
    try:
        return importlib.import_module(modname)
    except ImportError as e:
        extra = "pip install 'ndgrad[scipy]'" if modname.startswith("scipy") else \
            "pip install 'ndgrad[cuda]' (CuPy) on a machine with an NVIDIA GPU"
        raise ImportError(f"{public} needs {modname.split('.')[0]}: {extra} ({e})") from None


def library_function(xp, module, name, public):
    """SciPy's (NumPy backend) or cupyx.scipy's (CuPy backend) ``module.name``."""
    kind = backend_kind(xp)
    if kind == "numpy":
        mod = _import(f"scipy.{module}", public)
    elif kind == "cupy":
        rules = getattr(xp, "cupyx", None)   # the CuPy-rules test backend's stand-in
        mod = rules.scipy(module) if rules is not None else \
            _import(f"cupyx.scipy.{module}", public)
    elif kind == "dask" and module == "special":
        return _blockwise(getattr(_import("scipy.special", public), name), public)
    elif kind == "dask" and module == "linalg" and name in ("expm", "logm", "sqrtm"):
        return _per_matrix(getattr(_import("scipy.linalg", public), name), public)
    else:
        raise TypeError(f"{public} does not run on the {_BACKEND_NAMES.get(kind, kind)} "
                        f"backend: it needs scipy.{module}.{name}, which the array API "
                        "standard cannot express; move the arrays to device 'cpu' (SciPy) "
                        "or 'cuda' (cupyx.scipy) first")
    fn = getattr(mod, name, None)
    if fn is None:
        raise TypeError(f"{public} does not run on the {kind} backend: "
                        f"{mod.__name__}.{name} does not exist in the installed version")
    return fn


_BACKEND_NAMES = {"strict": "array_api_strict", "ndgrad": "ndgrad", "dask": "Dask"}


def _per_matrix(fn, public):
    """SciPy's matrix function ``fn`` applied lazily to each matrix of a Dask array."""
    def one(b):
        out = fn(b)
        out = out[0] if isinstance(out, tuple) else out
        if out.dtype.kind == "c" and b.dtype.kind != "c":
            raise ValueError(f"{public}: the result is complex for this real matrix; pass "
                             "a complex matrix")
        return out.astype(b.dtype, copy=False)

    def run(a):
        from .._dask import per_matrix
        return per_matrix(one, a, 2, a.dtype)
    return run


def _blockwise(fn, public):
    """SciPy's elementwise special function ``fn`` applied chunk by chunk to Dask arrays
    (lazily: ``map_blocks`` broadcasts and aligns the chunks)."""
    def run(*args, **kw):
        if "axis" in kw or "axes" in kw:
            raise TypeError(f"{public} does not run on the Dask backend: it reduces along "
                            "an axis, which chunk-by-chunk SciPy cannot; move the arrays "
                            "to device 'cpu' first")
        import dask.array as da
        import numpy as np
        # the result dtype: SciPy's own, from a one-element call at a value in its domain
        dt = np.asarray(fn(*[np.full((), 10, a.dtype) if hasattr(a, "dtype") else a
                             for a in args], **kw)).dtype
        return da.map_blocks(lambda *a: fn(*a, **kw), *args, dtype=dt)
    return run


class _RawOps:
    """A module's ops as their forwards on raw arrays of one backend."""

    __slots__ = ("xp", "ops")

    def __init__(self, xp, ops):
        self.xp = xp
        self.ops = ops

    def __getattr__(self, name):
        op = self.ops[name]
        xp = self.xp
        return lambda *args, **kw: op.forward(xp, *args, **kw)


def rule_namespace(xp, module, ops):
    """The functions of ``module`` for a gradient rule run with ``xp``: the public
    functions (which record, so the rule differentiates again) when ``xp`` is ndgrad's,
    the ops' raw forwards (``ops``: name -> Op, called with raw arrays) otherwise."""
    if backend_kind(xp) == "ndgrad":
        return module
    return _RawOps(xp, ops)

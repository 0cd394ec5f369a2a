"""The array API standard's functions of ndgrad (``ndgrad._ops.*``) as one namespace.

``ndgrad``'s top-level names may be NumPy-signature wrappers (the NumPy drop-in layer)
that convert their inputs to Arrays; gradient rules and graph building want the
standard's functions themselves, which hand symbolic tensors to the graph. Rules are
written against the standard's names, so this namespace is what graph mode passes them
as ``xp``.
"""
from __future__ import annotations

import importlib

import numpy as np

_MODULES = ("elementwise", "statistical", "manipulation", "linalg", "searching", "sorting",
            "sets", "utility", "creation", "indexing", "dtype_functions")


class _StdNamespace:
    def __init__(self):
        self._cache = {}

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        f = self._cache.get(name)
        if f is not None:
            return f
        if name in _LIKE:
            f = self._cache[name] = _like_function(name)
            return f
        for m in _MODULES:
            mod = importlib.import_module(f"ndgrad._ops.{m}")
            f = mod.__dict__.get(name)
            if f is not None and callable(f) and name in getattr(mod, "__all__", (name,)):
                self._cache[name] = f
                return f
        import ndgrad
        f = getattr(ndgrad, name)      # dtypes, constants, extras
        self._cache[name] = f
        return f

    def __repr__(self):
        return "<ndgrad standard namespace>"


_LIKE = ("zeros_like", "ones_like", "empty_like", "full_like")


def _like_function(name):
    """``zeros_like`` & co.: of a graph tensor, a node that makes the array in the run
    (its shape may be known only then, and a tensor has no device of the standard's);
    of anything else, the standard's function."""
    from ndgrad._ops import creation
    from . import dynamic
    from .core import Tensor
    std_fn = getattr(creation, name)

    def f(x, /, *args, dtype=None, device=None, **kwargs):
        if not isinstance(x, Tensor):
            return std_fn(x, *args, dtype=dtype, device=device, **kwargs)
        if name == "ones_like":
            return dynamic.ones_like(x, dtype)
        if name == "full_like":
            # (ones times fill in the dtype full_like gives: x's unless dtype says,
            # the fill converted to it, as NumPy's)
            fill = args[0] if args else kwargs["fill_value"]
            want = np.dtype(dtype) if dtype is not None else x._np_dtype
            return std.multiply(dynamic.ones_like(x, want), want.type(fill))
        return dynamic.zeros_like(x, dtype)
    f.__name__ = name
    return f


std = _StdNamespace()

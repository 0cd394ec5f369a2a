"""``numpy.core`` (NumPy's old name for its core): ``records``, and its submodules' names.

``np.core.records.fromarrays`` is ``np.rec.fromarrays``; ``np.core.numeric.isclose`` and
the like (``numeric``, ``fromnumeric``, ``multiarray``, ``umath``, ``shape_base``, ...)
reach ndgrad's own functions of those names.
"""
from __future__ import annotations

import types

from . import records  # noqa: F401

# NumPy's core submodules whose public functions are ndgrad's top-level functions
_ALIASES = ("numeric", "fromnumeric", "multiarray", "umath", "shape_base", "function_base",
            "numerictypes", "arrayprint", "einsumfunc", "getlimits")


class _Submodule(types.ModuleType):
    """``np.core.<name>``: ndgrad's functions, then NumPy's ``numpy._core.<name>``."""

    def __getattr__(self, attr):
        import importlib
        import ndgrad
        if hasattr(ndgrad, attr):
            return getattr(ndgrad, attr)
        sub = self.__name__.rsplit(".", 1)[1]
        return getattr(importlib.import_module(f"numpy._core.{sub}"), attr)


_SUBMODULES = {}


def __getattr__(name):
    import ndgrad
    if name in _ALIASES:
        if name not in _SUBMODULES:
            _SUBMODULES[name] = _Submodule(f"{__name__}.{name}")
        return _SUBMODULES[name]
    if hasattr(ndgrad, name):
        return getattr(ndgrad, name)
    import numpy._core
    try:
        return getattr(numpy._core, name)
    except AttributeError:
        raise AttributeError(f"module 'ndgrad.core' has no attribute {name!r}") from None

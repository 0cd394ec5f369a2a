"""``numpy.core`` (NumPy's old name for its core): ``records``, and its submodules' names.

``np.core.records.fromarrays`` is ``np.rec.fromarrays``; ``np.core.numeric.isclose`` and
the like (``numeric``, ``fromnumeric``, ``multiarray``, ``umath``, ``shape_base``, ...)
reach ndgrad's own functions of those names.
"""
from __future__ import annotations

from . import records  # noqa: F401

# NumPy's core submodules whose public functions are ndgrad's top-level functions
_ALIASES = ("numeric", "fromnumeric", "multiarray", "umath", "shape_base", "function_base",
            "numerictypes", "arrayprint", "einsumfunc", "getlimits")


def __getattr__(name):
    import ndgrad
    if name in _ALIASES:
        return ndgrad
    if hasattr(ndgrad, name):
        return getattr(ndgrad, name)
    import numpy._core
    try:
        return getattr(numpy._core, name)
    except AttributeError:
        raise AttributeError(f"module 'ndgrad.core' has no attribute {name!r}") from None

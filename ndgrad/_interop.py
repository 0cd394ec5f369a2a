"""NumPy's own functions on ndgrad arrays: ``__array_ufunc__`` / ``__array_function__``."""
from __future__ import annotations


def array_ufunc(ufunc, method, inputs, kwargs):
    return NotImplemented


def array_function(func, types, args, kwargs):
    return NotImplemented

"""``numpy.lib`` for ndgrad arrays: ``stride_tricks`` (views that differentiate),
``recfunctions`` (structured arrays), and NumPy's other ``numpy.lib`` names.

>>> import ndgrad as np
>>> np.lib.stride_tricks.sliding_window_view(np.arange(4), 2)
array([[0, 1],
       [1, 2],
       [2, 3]])
"""
from __future__ import annotations

import numpy as _np

from . import stride_tricks, recfunctions  # noqa: F401

scimath = _np.lib.scimath
NumpyVersion = _np.lib.NumpyVersion


def __getattr__(name):
    # the rest of numpy.lib (format, npyio, mixins, introspect, ...) is NumPy's own
    try:
        return getattr(_np.lib, name)
    except AttributeError:
        raise AttributeError(f"module 'ndgrad.lib' has no attribute {name!r}") from None

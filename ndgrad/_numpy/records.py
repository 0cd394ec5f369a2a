"""Record arrays: ``np.recarray``, ``np.record``, ``np.rec`` (``fromarrays``, ``fromrecords`` ...).

Records are not ndgrad data (ndgrad arrays hold booleans and numbers), so these are
NumPy's own classes and functions, as NumPy has them; ndgrad arrays passed in are read as
their values, and a numeric field read from a record array is NumPy's (``r.x``), as in
NumPy. ``x.view(np.recarray)`` works on ndgrad arrays too (``nd.Array.view``).
``np.rec`` is this module; ``ndgrad.core.records`` and ``ndgrad._core.records`` are it
under NumPy's other names.
"""
from __future__ import annotations

import sys

import numpy as np
from numpy._core import records as _np_records

from ._core import is_array, to_numpy, nodiff_guard

__all__ = ["recarray", "record", "format_parser", "rec"]
# np.rec's own names
NAMES = list(_np_records.__all__)

recarray = np.recarray
record = np.record
format_parser = np.rec.format_parser


def host_value(v):
    """``v`` with ndgrad arrays (also inside lists and tuples) as their NumPy values, for
    NumPy's record and recfunctions code; refuses arrays that take part in a gradient
    computation (the result would silently not differentiate)."""
    if is_array(v):
        nodiff_guard("a record-array function", v)
        return to_numpy(v)
    if isinstance(v, list):
        return [host_value(u) for u in v]
    if isinstance(v, tuple):
        return tuple(host_value(u) for u in v)
    return v


def numpy_function(npf, where="np.rec", result=None):
    """NumPy's ``npf`` with ndgrad arrays among the arguments read as their values (and
    its result passed through ``result`` when given). The docstring is one line naming
    NumPy's function (NumPy's own examples print NumPy's arrays, not run here)."""
    def f(*args, **kwargs):
        res = npf(*[host_value(a) for a in args],
                  **{k: host_value(v) for k, v in kwargs.items()})
        return res if result is None else result(res)
    f.__name__ = f.__qualname__ = npf.__name__
    f.__module__ = __name__
    first = (npf.__doc__ or "").strip().splitlines()
    f.__doc__ = (f"NumPy's ``{where}.{npf.__name__}`` on the values of ndgrad arrays: "
                 f"{first[0] if first else ''}")
    f.__wrapped_numpy__ = npf
    return f


fromarrays = numpy_function(_np_records.fromarrays)
fromrecords = numpy_function(_np_records.fromrecords)
fromstring = numpy_function(_np_records.fromstring)
fromfile = numpy_function(_np_records.fromfile)
array = numpy_function(_np_records.array)
find_duplicate = _np_records.find_duplicate

fromarrays.__doc__ = """A record array from a list of columns (NumPy's ``np.rec.fromarrays``);
columns may be ndgrad arrays.

>>> import ndgrad as np
>>> r = np.rec.fromarrays([np.asarray([1, 2]), np.asarray([0.5, 1.5])], names='a,b')
>>> r.b, r[0]
(array([0.5, 1.5]), np.record((1, 0.5), dtype=[('a', '<i8'), ('b', '<f8')]))
"""

rec = sys.modules[__name__]

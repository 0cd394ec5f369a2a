"""``numpy.lib.recfunctions``: NumPy's functions on structured arrays.

Structured arrays are NumPy's own arrays in ndgrad (records are not ndgrad data), so
these are NumPy's functions; ndgrad arrays given to them are read as their values
(``unstructured_to_structured(nd_array, dtype)``), and numeric results come back as
ndgrad arrays (``structured_to_unstructured``), as every numeric result does.

>>> import ndgrad as np
>>> import ndgrad.lib.recfunctions as rfn
>>> a = np.array([(1, 2.0), (3, 4.0)], dtype=[('x', 'i4'), ('y', 'f8')])
>>> rfn.structured_to_unstructured(a)
array([[1., 2.],
       [3., 4.]])
>>> rfn.drop_fields(a, 'x')
array([(2.,), (4.,)], dtype=[('y', '<f8')])
"""
from __future__ import annotations

from numpy.lib import recfunctions as _rfn

from .._numpy.records import numpy_function
from .._numpy.io import as_loaded

__all__ = list(_rfn.__all__)


for _name in __all__:
    globals()[_name] = numpy_function(getattr(_rfn, _name), "numpy.lib.recfunctions",
                                      as_loaded)
    globals()[_name].__module__ = __name__
del _name


def __getattr__(name):
    # NumPy's private helpers (_get_fieldspec ...) that programs and tests reach for
    try:
        return getattr(_rfn, name)
    except AttributeError:
        raise AttributeError(f"module 'ndgrad.lib.recfunctions' has no attribute "
                             f"{name!r}") from None

"""NumPy's namespace beyond the array API standard (the drop-in layer).

``import ndgrad as np`` runs ordinary NumPy programs: this package adds NumPy's names
(grouped as NumPy groups them: aliases, creation, shape, math, stats, indexing, misc,
scalars) and gives the standard's functions NumPy's signatures where NumPy's is a
superset (``np.sum(x, 0)``, ``np.zeros(3, int)``, ``np.clip(x, a_min=0)``); those
delegate to the standard's functions, which stay the single implementation. Importing it
also installs NumPy's array methods on ``nd.Array`` (``_methods``) and the ufunc methods
(``np.add.at``, ``np.maximum.accumulate`` ...).

Data ndgrad arrays do not hold (strings, dates, records: NumPy arrays of them, lists of
strings, or a non-numeric ``dtype=``) passed to a NumPy name go to NumPy's function of
that name, so ``np.unique(['b', 'a', 'b'])`` and ``np.sort(records, order='age')`` work
as in NumPy and return NumPy's arrays; the standard layer underneath (``ndgrad._ops``)
keeps its clear refusal, and so do the hot elementwise functions.
"""
from __future__ import annotations

import functools

import numpy as _np

from . import aliases, creation, shape, math, stats, indexing, misc, scalars, io, records
from .._ops.creation import is_masked

_MODULES = (aliases, creation, shape, math, stats, indexing, misc, scalars, io, records)
_EXPORTS = {}
for _m in _MODULES:
    for _name in _m.__all__:
        _obj = getattr(_m, _name, None)
        if _name == "std" and _m is stats:
            _obj = stats.std_
        if _obj is None and _name == "divmod":
            _obj = aliases.divmod_
        if _obj is not None:
            _EXPORTS[_name] = _obj


_NUMBERS = (int, float)


def _non_numeric(a):
    t = type(a)
    if t is float or t is int:
        return False
    if t is _np.ndarray:
        return a.dtype.kind not in "biufc"
    if t is list or t is tuple:
        # (a first element that is a Python number: numeric, as _non_numeric_data finds,
        # which reads the first element only)
        if a and type(a[0]) in _NUMBERS:
            return False
        return creation._non_numeric_data(a)
    return is_masked(a)   # (NumPy's functions honour the mask: they compute it)


def _numpy_for_non_numeric(name, f):
    """``f``, handing calls whose positional data are strings/dates/records, or numpy.ma
    masked arrays, to NumPy."""
    npf = getattr(_np, name, None)
    if npf is None or not callable(npf) or isinstance(f, type) or not callable(f) \
            or getattr(npf, "__module__", "") == "numpy.random":
        return f

    from .._array import Array

    def numpy_call(args, kwargs):
        # ndgrad arrays among the arguments as NumPy's (NumPy would hand a call with one
        # back to ndgrad through __array_function__: an endless loop)
        args = [_np.asarray(a) if isinstance(a, Array) else a for a in args]
        kwargs = {k: _np.asarray(v) if isinstance(v, Array) else v for k, v in kwargs.items()}
        return npf(*args, **kwargs)

    @functools.wraps(f)
    def g(*args, **kwargs):
        for a in args:
            if type(a) is not Array and _non_numeric(a):
                return numpy_call(args, kwargs)
        if kwargs and "dtype" in kwargs and creation._non_numeric(kwargs["dtype"]):
            return numpy_call(args, kwargs)
        return f(*args, **kwargs)
    return g


def _elementwise_names():
    from .._ops import elementwise
    return set(elementwise.__all__)


# the hot elementwise names and NumPy's own objects stay as they are; every other name
# (the standard's included: np.sort, np.asarray, np.reshape ...) hands such data to NumPy
_DIRECT = ({n for n in aliases.__all__ if isinstance(getattr(_np, n, None), _np.ufunc)}
           | set(misc.__all__) | set(scalars.__all__) | set(io.__all__)
           | set(records.__all__)
           | _elementwise_names())
for _name, _obj in list(_EXPORTS.items()):
    if _name not in _DIRECT and _obj is not getattr(_np, _name, None):
        _EXPORTS[_name] = _numpy_for_non_numeric(_name, _obj)


def _whole_reduction(slow, std_f, floating_only):
    """NumPy's ``sum``/``mean`` (``slow``, the non-numeric wrapper over ``stats``), with
    the commonest call -- one ndgrad Array, no other argument -- handed straight to the
    standard's function ``std_f`` (what ``stats`` calls then, after its argument
    conversions, which an Array with the defaults does not need: about 1 us less).
    ``floating_only``: the fast call needs a floating/complex NumPy array (``mean``
    casts integers to float64 first)."""
    from .._array import Array

    def f(*args, **kwargs):
        if len(args) == 1 and not kwargs:
            a = args[0]
            if type(a) is Array and (not floating_only or (
                    type(a._data) is _np.ndarray and a._data.dtype.kind in "fc")):
                return std_f(a)
        return slow(*args, **kwargs)
    return functools.update_wrapper(f, slow)


def _fast_reductions():
    from .._ops import statistical
    return {"sum": _whole_reduction(_EXPORTS["sum"], statistical.sum, False),
            "mean": _whole_reduction(_EXPORTS["mean"], statistical.mean, True)}


_EXPORTS.update(_fast_reductions())
globals().update(_EXPORTS)
__all__ = sorted(_EXPORTS)

from .. import _methods  # noqa: E402,F401  (installs NumPy's array methods on nd.Array)

misc.install_ufunc_methods(_EXPORTS)

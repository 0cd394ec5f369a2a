"""Sorting functions: argsort (indices, no gradient) and sort (differentiable: the
gradient of a sorted element goes back to the position it came from)."""
from __future__ import annotations

import numpy as _np

from .._backend import numpy_backend
from .registry import defop, apply, nondiff
from ._common import normalize_axis_index
from .stable_argsort import stable_argsort

_npx, _ndarray = numpy_backend.xp, _np.ndarray


def _as_array(x):
    if hasattr(x, "shape"):
        return x
    from .creation import asarray
    return asarray(x)


def _descending_key(xp, x):
    """A key whose ascending order is ``x``'s descending order with NaN last, as NumPy
    2.5's ``sort(..., descending=True)``: ``-x`` for real and complex floating values
    (exact; -0.0 and 0.0 stay equal, and a complex value with a NaN part keeps NumPy's
    place), ``~x`` for integers (no overflow at the minimum), ``not x`` for booleans.
    Each map is its own inverse, and equal values have equal keys, so a stable
    ascending sort of the key is the stable descending sort of ``x``. (Flipping an
    ascending sort, array_api_compat's way, puts NaN first and reverses ties.)"""
    if xp.isdtype(x.dtype, "bool"):
        return xp.logical_not(x)
    if xp.isdtype(x.dtype, "integral"):
        return xp.bitwise_invert(x)
    return xp.negative(x)


def _argsort_forward(xp, x, axis, descending, stable):
    if descending:
        x = _descending_key(xp, x)
    if stable and xp is _npx and type(x) is _ndarray:
        # NumPy's stable argsort is a merge sort (radix for 8/16-bit integers): the same
        # indices come faster from its SIMD value sort of keys that carry the positions
        return stable_argsort(x, axis)
    return xp.argsort(x, axis=axis, stable=stable)


_argsort_op = defop("argsort", _argsort_forward, None,
                    **nondiff("integer indices: piecewise constant"))


# Stability costs: NumPy's stable sort of float64 is a merge sort, about 10x its default
# (SIMD quicksort), so stable=False must reach the backend's fast sort. Sorted VALUES can
# still tell the two apart only through equal values with different bits (-0.0 and 0.0).
def _sort_forward(xp, x, axis, descending, stable):
    if descending:
        # (NaN last; a stable sort keeps equal values, -0.0 and 0.0, in their order)
        return _descending_key(xp, xp.sort(_descending_key(xp, x), axis=axis,
                                           stable=stable))
    return xp.sort(x, axis=axis, stable=stable)


def _sort_vjp(xp, g, ans, x, axis, descending, stable):
    # sort(x) = take_along_axis(x, order): the cotangent goes back through the inverse
    # permutation (a gather again, so higher orders need nothing new)
    # (tied values take their cotangents in stable order whatever the forward's
    # stability, as JAX's; the permutation has no ties, so its own sort need not be)
    order = _argsort_forward(xp, x, axis, descending, True)
    inverse = xp.argsort(order, axis=axis, stable=False)
    return (xp.take_along_axis(g, inverse, axis=axis),)


_sort_op = defop("sort", _sort_forward, _sort_vjp, save="inputs")


def _sort_params(name, x, axis, descending, stable):
    x = _as_array(x)
    if x.ndim == 0:
        raise ValueError(f"{name} needs an array of at least one dimension; x is 0-d")
    return x, {"axis": normalize_axis_index(axis, x.ndim), "descending": bool(descending),
               "stable": bool(stable)}


def argsort(x, /, *, axis=-1, descending=False, stable=True):
    """Indices that sort ``x`` along ``axis`` (stable: ties keep their order, also when
    ``descending``). NaN sorts last in both directions, as in NumPy 2.5.

    >>> import ndgrad as nd
    >>> nd.argsort(nd.asarray([3., 1., 2.]))
    array([1, 2, 0])
    """
    x, params = _sort_params("argsort", x, axis, descending, stable)
    return apply(_argsort_op, (x,), params)


def sort(x, /, *, axis=-1, descending=False, stable=True):
    """A sorted copy of ``x`` along ``axis``; differentiable (each gradient element
    returns to the position its value came from). NaN sorts last in both directions,
    as in NumPy 2.5 (the standard leaves NaN's place to the library).

    >>> import ndgrad as nd
    >>> nd.sort(nd.asarray([3., 1., 2.]), descending=True)
    array([3., 2., 1.])
    """
    x, params = _sort_params("sort", x, axis, descending, stable)
    return apply(_sort_op, (x,), params)


__all__ = ['argsort', 'sort']

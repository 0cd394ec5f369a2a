"""Set functions: unique_all, unique_counts, unique_inverse, unique_values, isin.

The results are the standard's named tuples; none has a gradient (they pick and count
values): a gradient asked through one raises ``NoGradientError``. NaNs are all distinct, as the standard says (and array_api_compat.numpy does).
"""
from __future__ import annotations

from collections import namedtuple

import numpy as np

from .registry import defop, apply, nondiff

# (the unique values move with x, so a zero gradient would be wrong; at the duplicates
# that are the point of unique, no derivative exists: a gradient through them raises)
_SETS = "set operation: picks and counts values; no derivative where values repeat"

UniqueAllResult = namedtuple("UniqueAllResult", ["values", "indices", "inverse_indices",
                                                 "counts"])
UniqueCountsResult = namedtuple("UniqueCountsResult", ["values", "counts"])
UniqueInverseResult = namedtuple("UniqueInverseResult", ["values", "inverse_indices"])


def _as_array(x):
    if hasattr(x, "shape"):
        return x
    from .creation import asarray
    return asarray(x)


def _unique_forward(name):
    def forward(xp, x):
        return tuple(getattr(xp, name)(x))
    return forward


_unique_all_op = defop("unique_all", _unique_forward("unique_all"), None, multi=True,
                       nograd=_SETS)
_unique_counts_op = defop("unique_counts", _unique_forward("unique_counts"), None,
                          multi=True, nograd=_SETS)
_unique_inverse_op = defop("unique_inverse", _unique_forward("unique_inverse"), None,
                           multi=True, nograd=_SETS)


def _unique_values_forward(xp, x):
    # NumPy's own on NumPy arrays: since NumPy 2.3 it gives integers in its hash table's
    # order, not sorted (the standard leaves the order open); array_api_compat sorts
    f = getattr(np, "unique_values", None)
    if type(x) is np.ndarray and f is not None:
        return f(x)
    return xp.unique_values(x)


_unique_values_op = defop("unique_values", _unique_values_forward, None, nograd=_SETS)


def unique_all(x, /):
    """Unique values (sorted), the first index of each, the inverse indices (x's shape)
    and the counts.

    >>> import ndgrad as nd
    >>> nd.unique_all(nd.asarray([3, 1, 1, 2])).counts
    array([2, 1, 1])
    """
    return UniqueAllResult(*apply(_unique_all_op, (_as_array(x),)))


def unique_counts(x, /):
    """Unique values (sorted) and how often each occurs.

    >>> import ndgrad as nd
    >>> nd.unique_counts(nd.asarray([3, 1, 1, 2]))
    UniqueCountsResult(values=array([1, 2, 3]), counts=array([2, 1, 1]))
    """
    return UniqueCountsResult(*apply(_unique_counts_op, (_as_array(x),)))


def unique_inverse(x, /):
    """Unique values (sorted) and, for each element of ``x``, the index of its value.

    >>> import ndgrad as nd
    >>> nd.unique_inverse(nd.asarray([3, 1, 1, 2])).inverse_indices
    array([2, 0, 0, 1])
    """
    return UniqueInverseResult(*apply(_unique_inverse_op, (_as_array(x),)))


def unique_values(x, /):
    """The unique values of ``x`` (flattened), in NumPy's order on NumPy arrays (sorted,
    but for integers NumPy 2.3 and later give them in their hash table's order: the
    standard leaves the order open), sorted elsewhere.

    >>> import ndgrad as nd
    >>> nd.unique_values(nd.asarray([[3.0, 1.0], [1.0, 2.0]]))
    array([1., 2., 3.])
    """
    return apply(_unique_values_op, (_as_array(x),))


def _isin_forward(xp, x1, x2, invert):
    # invert by hand: array_api_strict 2.6 ignores ``invert``
    found = xp.isin(x1, x2)
    return xp.logical_not(found) if invert else found


_isin_op = defop("isin", _isin_forward, None, **nondiff("boolean result"))


def isin(x1, x2, /, *, invert=False):
    """For each element of ``x1``, whether it occurs in ``x2`` (``invert``: whether not).
    Either argument may be a Python int (not both).

    >>> import ndgrad as nd
    >>> nd.isin(nd.asarray([1, 2, 3]), nd.asarray([2, 5]))
    array([False,  True, False])
    """
    if not hasattr(x1, "shape") and not hasattr(x2, "shape"):
        raise TypeError("isin needs at least one array argument; got "
                        f"{type(x1).__name__} and {type(x2).__name__}")
    return apply(_isin_op, (x1, x2), {"invert": bool(invert)})


__all__ = ['unique_all', 'unique_counts', 'unique_inverse', 'unique_values', 'isin']

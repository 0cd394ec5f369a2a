"""Searching functions: argmax, argmin, nonzero, where, searchsorted, count_nonzero."""
from __future__ import annotations

from .registry import defop, apply


def _where_vjp(xp, g, ans, cond, x1, x2):
    return (None, xp.where(cond, g, 0.0), xp.where(cond, 0.0, g))


_where_op = defop("where", lambda xp, c, a, b: xp.where(c, a, b), _where_vjp)


def where(condition, x1, x2, /):
    """Elements of ``x1`` where ``condition`` holds, of ``x2`` elsewhere.

    The gradient of the unselected branch is zero (as in JAX: guard NaN-producing
    branches by also selecting their inputs).

    >>> import ndgrad as nd
    >>> nd.where(nd.asarray([True, False]), nd.asarray([1., 2.]), 0.0)
    array([1., 0.])
    """
    return apply(_where_op, (condition, x1, x2))


__all__ = ['where']

"""Linear algebra in the main namespace: matmul, matrix_transpose, tensordot, vecdot.
(The ``linalg`` extension is ``ndgrad/linalg.py`` over ops in ``_ops/linalg_ext.py``.)"""
from __future__ import annotations

import numpy as np

import operator

from .registry import defop, apply

_ndarray = np.ndarray
_np_matmul = np.matmul


def _matmul_vjp(xp, g, ans, a, b, _needs=(True, True)):
    need_a, need_b = _needs or (True, True)
    if type(g) is _ndarray and type(a) is _ndarray and type(b) is _ndarray \
            and a.ndim > 1 and b.ndim > 1:
        # NumPy matrices (an MLP's layers): the same products, without the namespace's
        # Python wrappers around matmul and the transpose
        return (_np_matmul(g, b.mT) if need_a else None,
                _np_matmul(a.mT, g) if need_b else None)
    if a.ndim == 1 and b.ndim == 1:  # a dot product: g is 0-d
        return (g * b if need_a else None, g * a if need_b else None)
    # 1-D operands are promoted to matrices the way matmul does, then shapes restored
    a2 = a if a.ndim > 1 else xp.expand_dims(a, axis=0)
    b2 = b if b.ndim > 1 else xp.expand_dims(b, axis=-1)
    g2 = g
    if a.ndim == 1:
        g2 = xp.expand_dims(g2, axis=-2)
    if b.ndim == 1:
        g2 = xp.expand_dims(g2, axis=-1)
    ga = gb = None
    if need_a:  # a constant operand (the data, say) costs no product
        ga = xp.matmul(g2, xp.matrix_transpose(b2))
        if a.ndim == 1:
            ga = xp.squeeze(ga, axis=-2)
    if need_b:
        gb = xp.matmul(xp.matrix_transpose(a2), g2)
        if b.ndim == 1:
            gb = xp.squeeze(gb, axis=-1)
    return (ga, gb)


def _matmul_shape_error(a, b):
    """The error for operands that do not align, naming both shapes (NumPy's own message
    names only the two sizes)."""
    s1, s2 = tuple(getattr(a, "shape", ())), tuple(getattr(b, "shape", ()))
    if not s1 or not s2:
        return ValueError(f"matmul: operands must be at least 1-D; got shapes {s1} and {s2}")
    k2 = s2[-2] if len(s2) > 1 else s2[0]
    if s1[-1] != k2:
        return ValueError(f"matmul: shapes {s1} and {s2} do not align ({s1[-1]} (dim "
                          f"{len(s1) - 1}) != {k2} (dim {max(len(s2) - 2, 0)}))")
    return ValueError(f"matmul: the batch shapes of {s1} and {s2} do not broadcast")


def _matmul_forward(xp, a, b):
    try:
        return xp.matmul(a, b)
    except ValueError:
        raise _matmul_shape_error(a, b) from None


def _matmul_np(a, b):
    try:
        return np.matmul(a, b)
    except ValueError:
        raise _matmul_shape_error(a, b) from None


_matmul_forward.npfn = _matmul_np  # the eager NumPy path calls the ufunc itself
_matmul_op = defop("matmul", _matmul_forward, _matmul_vjp)


def matmul(x1, x2, /):
    """Matrix product (``@``), batched over leading axes.

    >>> import ndgrad as nd
    >>> nd.matmul(nd.ones((2, 2)), nd.ones((2, 2)))
    array([[2., 2.],
           [2., 2.]])
    """
    if not hasattr(x1, "shape") or not hasattr(x2, "shape"):
        # array-likes (NumPy's np.linalg.matmul takes lists)
        from .creation import asarray
        x1 = x1 if hasattr(x1, "shape") else asarray(x1)
        x2 = x2 if hasattr(x2, "shape") else asarray(x2)
    s1, s2 = x1.shape, x2.shape
    if not s1 or not s2:
        raise ValueError(f"matmul: operands must be at least 1-D; got shapes {s1} and {s2}")
    k1 = s1[-1]
    k2 = s2[-2] if len(s2) > 1 else s2[0]
    if k1 != k2 and k1 is not None and k2 is not None:
        raise ValueError(f"matmul: shapes {s1} and {s2} do not align ({k1} != {k2})")
    return apply(_matmul_op, (x1, x2))


_mt_op = defop("matrix_transpose", lambda xp, x: xp.matrix_transpose(x),
               lambda xp, g, ans, x: (xp.matrix_transpose(g),), save="none", view=True)


def matrix_transpose(x, /):
    """Swap the last two axes.

    >>> import ndgrad as nd
    >>> nd.matrix_transpose(nd.asarray([[1, 2]]))
    array([[1],
           [2]])
    """
    if x.ndim < 2:
        raise ValueError(f"matrix_transpose: array must be at least 2-dimensional; shape {x.shape}")
    return apply(_mt_op, (x,))


# -- tensordot ------------------------------------------------------------------------
def _tensordot_axes(axes, nd1, nd2, s1, s2):
    """``axes`` as two lists of non-negative axes (x1's, x2's), checked against shapes."""
    if isinstance(axes, (tuple, list)) and len(axes) == 2 and not isinstance(axes[0], int):
        a1, a2 = list(axes[0]), list(axes[1])
    else:
        try:
            n = operator.index(axes)
        except TypeError:
            raise TypeError(f"tensordot: axes must be an int or a pair of sequences of ints, "
                            f"not {axes!r}") from None
        if n < 0 or n > nd1 or n > nd2:
            raise ValueError(f"tensordot: axes={n} is out of range for shapes {s1} and {s2}")
        a1, a2 = list(range(nd1 - n, nd1)), list(range(n))
    if len(a1) != len(a2):
        raise ValueError(f"tensordot: axes {axes!r} name {len(a1)} axes of x1 but {len(a2)} "
                         "of x2")
    out1, out2 = [], []
    for i, j in zip(a1, a2):
        i, j = operator.index(i), operator.index(j)
        if not -nd1 <= i < nd1 or not -nd2 <= j < nd2:
            raise ValueError(f"tensordot: axes {axes!r} out of range for shapes {s1} and {s2}")
        i, j = i % nd1, j % nd2
        if s1[i] != s2[j] and s1[i] is not None and s2[j] is not None:
            raise ValueError(f"tensordot: shapes {s1} and {s2} do not align on axes {i} and "
                             f"{j} ({s1[i]} != {s2[j]})")
        out1.append(i)
        out2.append(j)
    if len(set(out1)) != len(out1) or len(set(out2)) != len(out2):
        raise ValueError(f"tensordot: repeated axes in {axes!r}")
    return out1, out2


def _permute_back(xp, a, current):
    """``a`` whose axis k is input axis ``current[k]``, permuted into input order."""
    perm = tuple(current.index(i) for i in range(len(current)))
    if perm == tuple(range(len(perm))):
        return a
    return xp.permute_dims(a, perm)


def _tensordot_vjp(xp, g, ans, a, b, axes):
    ax_a, ax_b = axes
    na, nb = a.ndim, b.ndim
    free_a = [i for i in range(na) if i not in ax_a]
    free_b = [j for j in range(nb) if j not in ax_b]
    nfa, nfb = len(free_a), len(free_b)
    # ga: contract g's x2-part with b's free axes; what remains of b is its contracted axes,
    # in b's order, each standing for the x1 axis it was paired with
    ga = xp.tensordot(g, b, axes=(tuple(range(nfa, nfa + nfb)), tuple(free_b)))
    by_b = sorted(range(len(ax_b)), key=lambda k: ax_b[k])
    ga = _permute_back(xp, ga, free_a + [ax_a[k] for k in by_b])
    gb = xp.tensordot(a, g, axes=(tuple(free_a), tuple(range(nfa))))
    by_a = sorted(range(len(ax_a)), key=lambda k: ax_a[k])
    gb = _permute_back(xp, gb, [ax_b[k] for k in by_a] + free_b)
    return (ga, gb)


_tensordot_op = defop("tensordot", lambda xp, a, b, axes: xp.tensordot(
    a, b, axes=(tuple(axes[0]), tuple(axes[1]))), _tensordot_vjp)


def tensordot(x1, x2, /, *, axes=2):
    """Sum products over the given axes (the last ``axes`` of ``x1`` with the first of ``x2``,
    or the pairs of axes in ``(x1_axes, x2_axes)``).

    >>> import ndgrad as nd
    >>> a = nd.reshape(nd.arange(6.0), (2, 3))
    >>> nd.tensordot(a, a, axes=([1], [1]))
    array([[ 5., 14.],
           [14., 50.]])
    """
    s1, s2 = tuple(x1.shape), tuple(x2.shape)
    ax = _tensordot_axes(axes, len(s1), len(s2), s1, s2)
    return apply(_tensordot_op, (x1, x2), {"axes": ax})


# -- vecdot -------------------------------------------------------------------------
def _is_complex(xp, a):
    return xp.isdtype(a.dtype, "complex floating")


def _vecdot_vjp(xp, g, ans, a, b, axis):
    # out = sum(conj(a) * b): the cotangent gains the reduced axis back (axis < 0)
    pos = g.ndim + 1 + axis
    ge = xp.expand_dims(g, axis=pos)
    if _is_complex(xp, a) or _is_complex(xp, b) or _is_complex(xp, ge):
        return (xp.conj(ge * b), ge * xp.conj(a))
    return (ge * b, ge * a)


_vecdot_op = defop("vecdot", lambda xp, a, b, axis: xp.vecdot(a, b, axis=axis), _vecdot_vjp)


def vecdot(x1, x2, /, *, axis=-1):
    """Dot product of vectors along ``axis`` (conjugating ``x1``), broadcast over the rest.

    >>> import ndgrad as nd
    >>> nd.vecdot(nd.asarray([[1., 2.], [3., 4.]]), nd.asarray([1., 1.]))
    array([3., 7.])
    """
    s1, s2 = tuple(x1.shape), tuple(x2.shape)
    n = max(len(s1), len(s2))
    if n == 0:
        raise ValueError("vecdot needs at least 1-D arrays; got two 0-d arrays")
    try:
        ax = operator.index(axis)
    except TypeError:
        raise TypeError(f"vecdot: axis must be an int, not {axis!r}") from None
    if not -n <= ax < n:
        raise IndexError(f"vecdot: axis {axis} is out of bounds for shapes {s1} and {s2}")
    ax = ax - n if ax >= 0 else ax
    if -ax > len(s1) or -ax > len(s2):
        raise ValueError(f"vecdot: axis {axis} does not exist in both shapes {s1} and {s2}")
    if s1[ax] != s2[ax] and s1[ax] is not None and s2[ax] is not None:
        raise ValueError(f"vecdot: shapes {s1} and {s2} differ along axis {axis} "
                         f"({s1[ax]} != {s2[ax]})")
    return apply(_vecdot_op, (x1, x2), {"axis": ax})


__all__ = ['matmul', 'matrix_transpose', 'tensordot', 'vecdot']

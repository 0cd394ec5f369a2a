"""Linear algebra in the main namespace: matmul, matrix_transpose, tensordot, vecdot.
(The ``linalg`` extension is ``ndgrad/linalg.py`` over ops in ``_ops/linalg_ext.py``.)"""
from __future__ import annotations

from .registry import defop, apply


def _matmul_vjp(xp, g, ans, a, b):
    # 1-D operands are promoted to matrices the way matmul does, then shapes restored
    a2 = a if a.ndim > 1 else xp.reshape(a, (1, a.shape[0]))
    b2 = b if b.ndim > 1 else xp.reshape(b, (b.shape[0], 1))
    g2 = g
    if a.ndim == 1:
        g2 = xp.expand_dims(g2, axis=-2)
    if b.ndim == 1:
        g2 = xp.expand_dims(g2, axis=-1)
    ga = xp.matmul(g2, xp.matrix_transpose(b2))
    gb = xp.matmul(xp.matrix_transpose(a2), g2)
    if a.ndim == 1:
        ga = xp.reshape(ga, ga.shape[:-2] + (ga.shape[-1],))
    if b.ndim == 1:
        gb = xp.reshape(gb, gb.shape[:-2] + (gb.shape[-2],))
    return (ga, gb)


_matmul_op = defop("matmul", lambda xp, a, b: xp.matmul(a, b), _matmul_vjp)


def matmul(x1, x2, /):
    """Matrix product (``@``), batched over leading axes.

    >>> import ndgrad as nd
    >>> nd.matmul(nd.ones((2, 2)), nd.ones((2, 2)))
    array([[2., 2.],
           [2., 2.]])
    """
    s1, s2 = getattr(x1, "shape", ()), getattr(x2, "shape", ())
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
        raise ValueError(f"matrix_transpose needs at least 2 dimensions; shape {x.shape}")
    return apply(_mt_op, (x,))


__all__ = ['matmul', 'matrix_transpose']

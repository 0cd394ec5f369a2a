"""``ndgrad.linalg``: the array API linalg extension (standard 2025.12), differentiable.

Every function has the standard's signature; on the NumPy backend the results equal
``array_api_compat.numpy.linalg``'s (NumPy's, except that ``eig``/``eigvals`` always give
complex results and ``solve`` treats ``x2`` as a vector only when it is 1-D, as the
standard says). The gradient rules live beside the ops in ``ndgrad/_ops/linalg_ext.py``.

Gradients assume the input is away from a degeneracy: distinct eigenvalues (``eigh``,
``eig``), distinct nonzero singular values (``svd``), full rank (``qr``, ``pinv``).
``cholesky``, ``eigh`` and ``eigvalsh`` read one triangle of their input and give the
symmetrised gradient. ``eig``'s eigenvector gradient is exact for losses that do not
depend on each eigenvector's phase. ``matrix_rank`` has no gradient (an integer).

>>> import ndgrad as nd
>>> a = nd.asarray([[2.0, 1.0], [1.0, 3.0]])
>>> nd.grad(lambda a: nd.linalg.det(a))(a)
array([[ 3., -1.],
       [-1.,  2.]])
"""
from __future__ import annotations

import operator
from typing import NamedTuple

from . import _dtypes
from ._ops import linalg_ext as _ext
from ._ops._common import normalize_axis
from ._ops.linalg import matmul, matrix_transpose, tensordot, vecdot
from ._ops.registry import apply, Array


class EighResult(NamedTuple):
    eigenvalues: Array
    eigenvectors: Array


class EigResult(NamedTuple):
    eigenvalues: Array
    eigenvectors: Array


class QRResult(NamedTuple):
    Q: Array
    R: Array


class SlogdetResult(NamedTuple):
    sign: Array
    logabsdet: Array


class SVDResult(NamedTuple):
    U: Array
    S: Array
    Vh: Array


def _matrices(x, name):
    shape = tuple(x.shape)
    if len(shape) < 2:
        raise ValueError(f"linalg.{name} needs an array of at least 2 dimensions (a stack of "
                         f"matrices); got shape {shape}")
    return shape


def _square(x, name):
    shape = _matrices(x, name)
    if shape[-1] != shape[-2]:
        raise ValueError(f"linalg.{name} needs square matrices; got shape {shape} "
                         f"({shape[-2]}x{shape[-1]})")
    return shape


def _real_input(x):
    return x.dtype.kind != "c"


# -- decompositions ----------------------------------------------------------------------
def cholesky(x, /, *, upper=False):
    """The Cholesky factor of a symmetric (Hermitian) positive-definite matrix (stack):
    lower-triangular ``L`` with ``x = L @ L.mT``, or upper ``U = L.mT`` with ``upper=True``.

    >>> import ndgrad as nd
    >>> nd.linalg.cholesky(nd.asarray([[4.0, 2.0], [2.0, 5.0]]))
    array([[2., 0.],
           [1., 2.]])
    """
    _square(x, "cholesky")
    return apply(_ext.cholesky_op, (x,), {"upper": bool(upper)})


def eigh(x, /):
    """Eigenvalues (ascending) and eigenvectors of a symmetric (Hermitian) matrix (stack),
    as ``EighResult(eigenvalues, eigenvectors)``.

    >>> import ndgrad as nd
    >>> nd.linalg.eigh(nd.asarray([[2.0, 0.0], [0.0, 1.0]])).eigenvalues
    array([1., 2.])
    """
    _square(x, "eigh")
    return EighResult(*apply(_ext.eigh_op, (x,)))


def eigvalsh(x, /):
    """Eigenvalues (ascending) of a symmetric (Hermitian) matrix (stack).

    >>> import ndgrad as nd
    >>> nd.linalg.eigvalsh(nd.asarray([[2.0, 0.0], [0.0, 1.0]]))
    array([1., 2.])
    """
    _square(x, "eigvalsh")
    return apply(_ext.eigvalsh_op, (x,))


def eig(x, /):
    """Eigenvalues and unit-norm eigenvectors of a general square matrix (stack), always
    complex, as ``EigResult(eigenvalues, eigenvectors)``.

    >>> import ndgrad as nd
    >>> nd.linalg.eig(nd.asarray([[2.0, 0.0], [0.0, 1.0]])).eigenvalues
    array([2.+0.j, 1.+0.j])
    """
    _square(x, "eig")
    return EigResult(*apply(_ext.eig_op, (x,), {"real_input": _real_input(x)}))


def eigvals(x, /):
    """Eigenvalues of a general square matrix (stack), always complex.

    >>> import ndgrad as nd
    >>> nd.linalg.eigvals(nd.asarray([[0.0, -1.0], [1.0, 0.0]]))
    array([0.+1.j, 0.-1.j])
    """
    _square(x, "eigvals")
    return apply(_ext.eigvals_op, (x,), {"real_input": _real_input(x)})


def qr(x, /, *, mode="reduced"):
    """QR decomposition ``x = Q @ R`` as ``QRResult(Q, R)``; ``mode`` is "reduced"
    (``Q`` is M x K, K = min(M, N)) or "complete" (``Q`` is M x M).

    >>> import ndgrad as nd
    >>> q, r = nd.linalg.qr(nd.asarray([[3.0, 1.0], [4.0, 2.0]]))
    >>> r.shape
    (2, 2)
    """
    if mode not in ("reduced", "complete"):
        raise ValueError(f"linalg.qr: mode must be 'reduced' or 'complete', not {mode!r}")
    _matrices(x, "qr")
    return QRResult(*apply(_ext.qr_op, (x,), {"mode": mode}))


def svd(x, /, *, full_matrices=True):
    """Singular value decomposition ``x = U @ diag(S) @ Vh`` as ``SVDResult(U, S, Vh)``,
    singular values in descending order.

    >>> import ndgrad as nd
    >>> nd.linalg.svd(nd.asarray([[3.0, 0.0], [0.0, 4.0]])).S
    array([4., 3.])
    """
    _matrices(x, "svd")
    return SVDResult(*apply(_ext.svd_op, (x,), {"full_matrices": bool(full_matrices)}))


def svdvals(x, /):
    """Singular values of a matrix (stack), in descending order.

    >>> import ndgrad as nd
    >>> nd.linalg.svdvals(nd.asarray([[3.0, 0.0], [0.0, 4.0]]))
    array([4., 3.])
    """
    _matrices(x, "svdvals")
    return apply(_ext.svdvals_op, (x,))


# -- inverses, determinants, solving ----------------------------------------------------
def inv(x, /):
    """The inverse of a square matrix (stack).

    >>> import ndgrad as nd
    >>> nd.linalg.inv(nd.asarray([[2.0, 0.0], [0.0, 4.0]]))
    array([[0.5 , 0.  ],
           [0.  , 0.25]])
    """
    _square(x, "inv")
    return apply(_ext.inv_op, (x,))


def det(x, /):
    """The determinant of a square matrix (stack).

    >>> import ndgrad as nd
    >>> nd.linalg.det(nd.asarray([[2.0, 1.0], [1.0, 3.0]]))
    array(5.)
    """
    _square(x, "det")
    return apply(_ext.det_op, (x,))


def slogdet(x, /):
    """Sign and natural log of the absolute determinant, as
    ``SlogdetResult(sign, logabsdet)`` (the sign has no gradient).

    >>> import ndgrad as nd
    >>> nd.linalg.slogdet(nd.asarray([[-2.0, 0.0], [0.0, 1.0]])).sign
    array(-1.)
    """
    _square(x, "slogdet")
    return SlogdetResult(*apply(_ext.slogdet_op, (x,)))


def solve(x1, x2, /):
    """The solution ``X`` of ``x1 @ X = x2``; ``x2`` is one vector when 1-D, else a stack
    of matrices (batch dimensions broadcast).

    >>> import ndgrad as nd
    >>> nd.linalg.solve(nd.asarray([[2.0, 0.0], [0.0, 4.0]]), nd.asarray([1.0, 1.0]))
    array([0.5 , 0.25])
    """
    s1 = _square(x1, "solve")
    s2 = tuple(getattr(x2, "shape", ()))
    if not s2:
        raise ValueError(f"linalg.solve: x2 must be at least 1-D; got shape {s2}")
    m = s2[0] if len(s2) == 1 else s2[-2]
    if m != s1[-1]:
        raise ValueError(f"linalg.solve: shapes {s1} and {s2} do not align ({s1[-1]} != {m})")
    return apply(_ext.solve_op, (x1, x2))


def pinv(x, /, *, rtol=None):
    """The Moore-Penrose pseudo-inverse; singular values below ``rtol`` times the largest
    count as zero (default ``max(M, N) * eps``).

    >>> import ndgrad as nd
    >>> nd.linalg.pinv(nd.asarray([[2.0, 0.0], [0.0, 0.0]]))
    array([[0.5, 0. ],
           [0. , 0. ]])
    """
    _matrices(x, "pinv")
    return apply(_ext.pinv_op, (x, rtol))


def matrix_rank(x, /, *, rtol=None):
    """The rank: the number of singular values above ``rtol`` times the largest (no
    gradient: an integer).

    >>> import ndgrad as nd
    >>> nd.linalg.matrix_rank(nd.asarray([[1.0, 2.0], [2.0, 4.0]]))
    array(1)
    """
    _matrices(x, "matrix_rank")
    return apply(_ext.matrix_rank_op, (x, rtol))


def matrix_power(x, n, /):
    """``x`` (square) raised to the integer power ``n`` (negative: of the inverse).

    >>> import ndgrad as nd
    >>> nd.linalg.matrix_power(nd.asarray([[1.0, 1.0], [0.0, 1.0]]), 3)
    array([[1., 3.],
           [0., 1.]])
    """
    try:
        n = operator.index(n)
    except TypeError:
        raise TypeError(f"linalg.matrix_power: n must be an integer, not {n!r}") from None
    _square(x, "matrix_power")
    return apply(_ext.matrix_power_op, (x,), {"n": n})


# -- norms -------------------------------------------------------------------------------
_MATRIX_ORDS = ("fro", "nuc", 1, -1, 2, -2, float("inf"), float("-inf"))


def matrix_norm(x, /, *, keepdims=False, ord="fro"):  # noqa: A002 (the standard's name)
    """Matrix norm over the last two axes: "fro", "nuc", 1, -1, 2, -2, inf, -inf.

    >>> import ndgrad as nd
    >>> nd.linalg.matrix_norm(nd.asarray([[3.0, 0.0], [0.0, 4.0]]))
    array(5.)
    >>> nd.linalg.matrix_norm(nd.asarray([[3.0, 0.0], [0.0, 4.0]]), ord=2)
    array(4.)
    """
    if not any(ord == o and type(ord) is not bool for o in _MATRIX_ORDS):
        raise ValueError(f"linalg.matrix_norm: ord must be one of 'fro', 'nuc', 1, -1, 2, "
                         f"-2, inf, -inf; got {ord!r}")
    _matrices(x, "matrix_norm")
    return apply(_ext.matrix_norm_op, (x,), {"keepdims": bool(keepdims), "ord": ord})


def vector_norm(x, /, *, axis=None, keepdims=False, ord=2):  # noqa: A002
    """Vector p-norm over ``axis`` (all axes by default); ``ord`` any real number or
    +-inf (0 counts nonzeros, negative orders are the standard's "non-norms").

    >>> import ndgrad as nd
    >>> nd.linalg.vector_norm(nd.asarray([3.0, 4.0]))
    array(5.)
    >>> nd.linalg.vector_norm(nd.asarray([3.0, -4.0]), ord=1)
    array(7.)
    """
    if isinstance(ord, (str, bool)) or not isinstance(ord, (int, float)):
        raise ValueError(f"linalg.vector_norm: ord must be a number (or inf, -inf); got "
                         f"{ord!r}")
    axes = normalize_axis(axis, len(x.shape))
    ax = axis if axis is None or isinstance(axis, int) else tuple(axis)
    return apply(_ext.vector_norm_op, (x,), {"axis": ax, "keepdims": bool(keepdims),
                                             "ord": ord, "axes": axes})


# -- products, diagonals -------------------------------------------------------------
def cross(x1, x2, /, *, axis=-1):
    """Cross product of 3-vectors along ``axis`` (broadcast over the other axes).

    >>> import ndgrad as nd
    >>> nd.linalg.cross(nd.asarray([1.0, 0.0, 0.0]), nd.asarray([0.0, 1.0, 0.0]))
    array([0., 0., 1.])
    """
    s1, s2 = tuple(x1.shape), tuple(x2.shape)
    try:
        ax = operator.index(axis)
    except TypeError:
        raise TypeError(f"linalg.cross: axis must be an int, not {axis!r}") from None
    for s in (s1, s2):
        if not -len(s) <= ax < len(s) or s[ax] != 3:
            raise ValueError(f"linalg.cross: axis {axis} must have size 3 in both arrays; "
                             f"got shapes {s1} and {s2}")
    if ax >= 0 and len(s1) == len(s2):
        ax -= len(s1)
    return apply(_ext.cross_op, (x1, x2), {"axis": ax})


def outer(x1, x2, /):
    """Outer product of two vectors.

    >>> import ndgrad as nd
    >>> nd.linalg.outer(nd.asarray([1.0, 2.0]), nd.asarray([1.0, 10.0]))
    array([[ 1., 10.],
           [ 2., 20.]])
    """
    if len(x1.shape) != 1 or len(x2.shape) != 1:
        raise ValueError(f"linalg.outer needs two 1-D arrays; got shapes {tuple(x1.shape)} "
                         f"and {tuple(x2.shape)}")
    return apply(_ext.outer_op, (x1, x2))


def trace(x, /, *, offset=0, dtype=None):
    """Sum of the ``offset`` diagonal of each matrix (last two axes).

    >>> import ndgrad as nd
    >>> nd.linalg.trace(nd.asarray([[1.0, 2.0], [3.0, 4.0]]))
    array(5.)
    """
    shape = _matrices(x, "trace")
    return apply(_ext.trace_op, (x,), {"offset": operator.index(offset),
                                       "dtype": _dtypes.as_dtype(dtype), "shape": shape})


def diagonal(x, /, *, offset=0):
    """The ``offset`` diagonal of each matrix (last two axes); a read-only view on NumPy.

    >>> import ndgrad as nd
    >>> nd.linalg.diagonal(nd.asarray([[1.0, 2.0], [3.0, 4.0]]), offset=1)
    array([2.])
    """
    shape = _matrices(x, "diagonal")
    return apply(_ext.diagonal_op, (x,), {"offset": operator.index(offset), "shape": shape})


__all__ = ["cholesky", "cross", "det", "diagonal", "eig", "eigh", "eigvals", "eigvalsh",
           "inv", "matmul", "matrix_norm", "matrix_power", "matrix_rank", "matrix_transpose",
           "outer", "pinv", "qr", "slogdet", "solve", "svd", "svdvals", "tensordot",
           "trace", "vecdot", "vector_norm",
           "EigResult", "EighResult", "QRResult", "SVDResult", "SlogdetResult"]

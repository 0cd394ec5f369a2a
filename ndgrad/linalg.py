"""``ndgrad.linalg``: the array API linalg extension (standard 2025.12), differentiable.

Every function has the standard's signature; where ``numpy.linalg``'s differs, it is a
superset taking NumPy's arguments too (``svd(x, full_matrices, compute_uv)``,
``qr(x, "r")``, ``eigh(x, UPLO)``, ``pinv(x, rcond)``, ``matrix_rank(x, tol)``), since NumPy
code calls these, directly or through ``__array_function__``; NumPy's extra names (``norm``,
``multi_dot``, ``cond``, ``lstsq``, ``tensorinv``, ``tensorsolve``, ``LinAlgError``) are
here too. On
the NumPy backend the results equal ``array_api_compat.numpy.linalg``'s (NumPy's, except
that ``eig``/``eigvals`` always give complex results, ``solve`` treats ``x2`` as a vector
only when it is 1-D, and ``pinv``'s default cutoff is the standard's). The gradient rules
live beside the ops in ``ndgrad/_ops/linalg_ext.py``.

Gradients assume the input is away from a degeneracy: distinct eigenvalues (``eigh``,
``eig``), distinct nonzero singular values (``svd``), full rank (``qr``, ``pinv``).
``cholesky``, ``eigh`` and ``eigvalsh`` read one triangle of their input (NumPy's: the lower
one, the upper one for ``cholesky(upper=True)``, or ``UPLO``'s; the real part of the
diagonal), and their gradient is the gradient of
that function: it lies in the triangle read (``x_bar = g + g^H`` below the diagonal for
"L", ``real(g)`` on it, 0 above), so finite differences of ndgrad's own function agree.
JAX symmetrizes the input instead; for a symmetric input built from parameters
(``a = b + b.mT``) the chain rule gives the same gradient either way. ``eig``'s eigenvector gradient is exact for losses that do not
depend on each eigenvector's phase. ``matrix_rank`` has no gradient (an integer).

>>> import ndgrad as nd
>>> a = nd.asarray([[2.0, 1.0], [1.0, 3.0]])
>>> nd.grad(lambda a: nd.linalg.det(a))(a)
array([[ 3., -1.],
       [-1.,  2.]])
"""
from __future__ import annotations

import functools
import operator
from typing import NamedTuple

import numpy as _np

from . import _dtypes
from ._ops import linalg_ext as _ext
from ._ops._common import normalize_axis as _normalize_axis
from ._ops.linalg import matmul, matrix_transpose, tensordot, vecdot
from ._ops import registry as _registry
from ._ops.registry import apply as _apply, Array
from ._ops._common import as_arrays as _arrays
from ._ops._common import number_arg


class EighResult(NamedTuple):
    """``eigh``'s result: the eigenvalues (ascending) and the eigenvectors (columns).

    >>> import ndgrad as np
    >>> np.linalg.eigh(np.asarray([[2.0, 0.0], [0.0, 1.0]])).eigenvalues
    array([1., 2.])
    """
    eigenvalues: Array
    eigenvectors: Array


class EigResult(NamedTuple):
    """``eig``'s result: the eigenvalues and the unit-norm eigenvectors (columns),
    complex.

    >>> import ndgrad as np
    >>> np.linalg.eig(np.asarray([[2.0, 0.0], [0.0, 3.0]])).eigenvalues
    array([2.+0.j, 3.+0.j])
    """
    eigenvalues: Array
    eigenvectors: Array


class QRResult(NamedTuple):
    """``qr``'s result: ``Q`` with orthonormal columns and upper triangular ``R``.

    >>> import ndgrad as np
    >>> abs(np.linalg.qr(np.asarray([[3.0, 0.0], [4.0, 5.0]])).R)
    array([[5., 4.],
           [0., 3.]])
    """
    Q: Array
    R: Array


class SlogdetResult(NamedTuple):
    """``slogdet``'s result: the determinant's sign and the log of its magnitude.

    >>> import ndgrad as np
    >>> np.linalg.slogdet(np.asarray([[2.0, 0.0], [0.0, -3.0]]))
    SlogdetResult(sign=np.float64(-1.0), logabsdet=np.float64(1.791759469228055))
    """
    sign: Array
    logabsdet: Array


class SVDResult(NamedTuple):
    """``svd``'s result: ``U``, the singular values ``S`` (descending) and ``Vh``.

    >>> import ndgrad as np
    >>> np.linalg.svd(np.asarray([[3.0, 0.0], [0.0, 4.0]])).S
    array([4., 3.])
    """
    U: Array
    S: Array
    Vh: Array


def _static_shape(x):
    """``x``'s shape as ints (None for unknown dims of a graph tensor); None for an unknown
    rank."""
    try:
        dims = tuple(x.shape)
    except (ValueError, TypeError):
        return None
    return tuple(getattr(d, "value", d) for d in dims)


def _matrices(x, name):
    shape = _static_shape(x)
    if shape is None:  # a graph tensor of unknown rank: checked when it runs
        return None
    if len(shape) < 2:
        # NumPy's LinAlgError (a ValueError), so ``except LinAlgError`` catches it
        raise _np.linalg.LinAlgError(f"linalg.{name} needs an array of at least 2 dimensions "
                                     f"(a stack of matrices); got shape {shape}")
    return shape


def _square(x, name):
    shape = _matrices(x, name)
    if shape is not None and None not in shape[-2:] and shape[-1] != shape[-2]:
        raise _np.linalg.LinAlgError(f"linalg.{name} needs square matrices; got shape "
                                     f"{shape} ({shape[-2]}x{shape[-1]})")
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
    x = _arrays(x)
    _square(x, "cholesky")
    return _apply(_ext.cholesky_op, (x,), {"upper": bool(upper)})


def eigh(x, /, UPLO="L"):  # noqa: N803 (NumPy's name)
    """Eigenvalues (ascending) and eigenvectors of a symmetric (Hermitian) matrix (stack),
    as ``EighResult(eigenvalues, eigenvectors)``; only the ``UPLO`` ("L" or "U", NumPy's
    extra) triangle is read.

    >>> import ndgrad as nd
    >>> nd.linalg.eigh(nd.asarray([[2.0, 0.0], [0.0, 1.0]])).eigenvalues
    array([1., 2.])
    """
    x = _arrays(x)
    _square(x, "eigh")
    return EighResult(*_apply(_ext.eigh_op, (x,), {"uplo": _uplo(UPLO, "eigh")}))


def eigvalsh(x, /, UPLO="L"):  # noqa: N803
    """Eigenvalues (ascending) of a symmetric (Hermitian) matrix (stack), reading its
    ``UPLO`` triangle.

    >>> import ndgrad as nd
    >>> nd.linalg.eigvalsh(nd.asarray([[2.0, 0.0], [0.0, 1.0]]))
    array([1., 2.])
    """
    x = _arrays(x)
    _square(x, "eigvalsh")
    return _apply(_ext.eigvalsh_op, (x,), {"uplo": _uplo(UPLO, "eigvalsh")})


def _uplo(uplo, name):
    u = str(uplo).upper()
    if u not in ("L", "U"):
        raise ValueError(f"linalg.{name}: UPLO must be 'L' or 'U', not {uplo!r}")
    return u


def eig(x, /):
    """Eigenvalues and unit-norm eigenvectors of a general square matrix (stack), always
    complex, as ``EigResult(eigenvalues, eigenvectors)``.

    >>> import ndgrad as nd
    >>> nd.linalg.eig(nd.asarray([[2.0, 0.0], [0.0, 1.0]])).eigenvalues
    array([2.+0.j, 1.+0.j])
    """
    x = _arrays(x)
    _square(x, "eig")
    return EigResult(*_apply(_ext.eig_op, (x,), {"real_input": _real_input(x)}))


def eigvals(x, /):
    """Eigenvalues of a general square matrix (stack), always complex.

    >>> import ndgrad as nd
    >>> nd.linalg.eigvals(nd.asarray([[0.0, -1.0], [1.0, 0.0]]))
    array([0.+1.j, 0.-1.j])
    """
    x = _arrays(x)
    _square(x, "eigvals")
    return _apply(_ext.eigvals_op, (x,), {"real_input": _real_input(x)})


def qr(x, /, mode="reduced"):
    """QR decomposition ``x = Q @ R`` as ``QRResult(Q, R)``; ``mode`` is "reduced"
    (``Q`` is M x K, K = min(M, N)) or "complete" (``Q`` is M x M), or NumPy's "r" (``R``
    alone) or "raw" (LAPACK's ``(h, tau)``, no gradient).

    >>> import ndgrad as nd
    >>> q, r = nd.linalg.qr(nd.asarray([[3.0, 1.0], [4.0, 2.0]]))
    >>> r.shape
    (2, 2)
    """
    x = _arrays(x)
    if mode not in ("reduced", "complete", "r", "raw"):
        raise ValueError(f"linalg.qr: mode must be 'reduced' or 'complete' (or NumPy's 'r' "
                         f"or 'raw'), not {mode!r}")
    _matrices(x, "qr")
    if mode == "raw":
        return _qr_raw(x)
    if mode == "r":  # NumPy: the R of the reduced decomposition, the same values
        return _apply(_ext.qr_op, (x,), {"mode": "reduced"})[1]
    return QRResult(*_apply(_ext.qr_op, (x,), {"mode": mode}))


def _qr_raw(x):
    """NumPy's ``qr(mode='raw')``: LAPACK's Householder reflectors and scaling factors
    ``(h, tau)`` (``h`` transposed, as NumPy gives it); NumPy's values, no gradient."""
    if not _numpy_values(x) or x._node is not None and _registry.grad_state.enabled:
        raise TypeError("linalg.qr(mode='raw') (LAPACK's reflectors) has no gradient in "
                        "ndgrad and takes NumPy data: detach the input, or use mode "
                        "'reduced'/'complete'")
    from ._numpy._core import host_result
    h, tau = _np.linalg.qr(x._data, mode="raw")
    return host_result(h, like=x), host_result(tau, like=x)


def svd(x, /, full_matrices=True, compute_uv=True, hermitian=False):
    """Singular value decomposition ``x = U @ diag(S) @ Vh`` as ``SVDResult(U, S, Vh)``,
    singular values in descending order (NumPy's ``compute_uv=False``: ``S`` alone).

    >>> import ndgrad as nd
    >>> nd.linalg.svd(nd.asarray([[3.0, 0.0], [0.0, 4.0]])).S
    array([4., 3.])
    """
    x = _arrays(x)
    _matrices(x, "svd")
    if hermitian:
        return _svd_hermitian(x, compute_uv)
    if not compute_uv:
        return _apply(_ext.svdvals_op, (x,))
    return SVDResult(*_apply(_ext.svd_op, (x,), {"full_matrices": bool(full_matrices)}))


def _numpy_values(x):
    """Whether ``x`` is an Array of NumPy data whose values may be read here (not a graph
    tensor or an ``nd.jit`` traced value)."""
    return (isinstance(x, Array) and not isinstance(x, _registry.graph_hooks["types"])
            and type(x._data) is _np.ndarray)


def _svd_hermitian(x, compute_uv):
    """NumPy's ``svd(hermitian=True)``: from ``eigh`` (the lower triangle read), the
    singular values the eigenvalues' magnitudes in descending order, their signs moved into
    ``Vh``; NumPy's own steps, so its values, and differentiable as ``eigh`` is."""
    from ._ops import elementwise as ew, manipulation as mp, sorting
    from ._ops.creation import asarray, ones_like
    from ._ops.indexing import take_along_axis
    _square(x, "svd")
    if not compute_uv:
        return mp.flip(sorting.sort(ew.abs(eigvalsh(x)), axis=-1), axis=-1)
    w, u = eigh(x)
    # (NumPy's copysign(1.0, w), not sign(w): a zero eigenvalue keeps a unit sign)
    sgn, s = ew.copysign(ones_like(w), w), ew.abs(w)
    if _numpy_values(s):   # (NumPy's own argsort: its order of ties)
        idx = asarray(_np.argsort(s._data, axis=-1)[..., ::-1].copy())
    else:
        idx = mp.flip(sorting.argsort(s, axis=-1), axis=-1)
    sgn, s = take_along_axis(sgn, idx, axis=-1), take_along_axis(s, idx, axis=-1)
    u = take_along_axis(u, mp.expand_dims(idx, axis=-2), axis=-1)
    vh = ew.conj(matrix_transpose(u * mp.expand_dims(sgn, axis=-2)))
    return SVDResult(u, s, vh)


def svdvals(x, /):
    """Singular values of a matrix (stack), in descending order.

    >>> import ndgrad as nd
    >>> nd.linalg.svdvals(nd.asarray([[3.0, 0.0], [0.0, 4.0]]))
    array([4., 3.])
    """
    x = _arrays(x)
    _matrices(x, "svdvals")
    return _apply(_ext.svdvals_op, (x,))


# -- inverses, determinants, solving ----------------------------------------------------
def inv(x, /):
    """The inverse of a square matrix (stack).

    >>> import ndgrad as nd
    >>> nd.linalg.inv(nd.asarray([[2.0, 0.0], [0.0, 4.0]]))
    array([[0.5 , 0.  ],
           [0.  , 0.25]])
    """
    x = _arrays(x)
    _square(x, "inv")
    return _apply(_ext.inv_op, (x,))


def det(x, /):
    """The determinant of a square matrix (stack); its gradient (``det * inv(x).mT``) needs
    an invertible matrix.

    >>> import ndgrad as nd
    >>> nd.linalg.det(nd.asarray([[2.0, 1.0], [1.0, 3.0]]))
    np.float64(5.000000000000001)
    """
    x = _arrays(x)
    _square(x, "det")
    return _apply(_ext.det_op, (x,))


def slogdet(x, /):
    """Sign and natural log of the absolute determinant, as
    ``SlogdetResult(sign, logabsdet)`` (the sign has no gradient).

    >>> import ndgrad as nd
    >>> nd.linalg.slogdet(nd.asarray([[-2.0, 0.0], [0.0, 1.0]])).sign
    np.float64(-1.0)
    """
    x = _arrays(x)
    _square(x, "slogdet")
    return SlogdetResult(*_apply(_ext.slogdet_op, (x,)))


def solve(x1, x2, /):
    """The solution ``X`` of ``x1 @ X = x2``; ``x2`` is one vector when 1-D, else a stack
    of matrices (batch dimensions broadcast).

    >>> import ndgrad as nd
    >>> nd.linalg.solve(nd.asarray([[2.0, 0.0], [0.0, 4.0]]), nd.asarray([1.0, 1.0]))
    array([0.5 , 0.25])
    """
    x1, x2 = _arrays(x1, x2)
    s1 = _square(x1, "solve")
    s2 = _static_shape(x2)
    if s2 is not None and not s2:
        raise ValueError(f"linalg.solve: x2 must be at least 1-D; got shape {s2}")
    m = None if s2 is None else s2[0] if len(s2) == 1 else s2[-2]
    if s1 is not None and None not in (m, s1[-1]) and m != s1[-1]:
        raise ValueError(f"linalg.solve: shapes {s1} and {s2} do not align ({s1[-1]} != {m})")
    return _apply(_ext.solve_op, (x1, x2))


class _NoValue:
    """The default of an argument whose absence means something else than None."""
    def __repr__(self):
        return "<no value>"


_NOVALUE = _NoValue()


def pinv(x, /, rcond=None, hermitian=False, *, rtol=_NOVALUE):
    """The Moore-Penrose pseudo-inverse; singular values below ``rtol`` (NumPy's
    ``rcond``) times the largest count as zero. As NumPy: ``rtol=None`` is the standard's
    ``max(M, N) * eps``, and neither given is NumPy's ``rcond=1e-15`` (the float32 cutoffs
    differ by eight orders of magnitude).

    The gradient: with a default cutoff, that of the pseudo-inverse along matrices of
    ``x``'s rank (Golub and Pereyra); with a cutoff given, that of the inverse of the
    truncated matrix, where the cutoff drops singular values that are not 0 (its second
    derivative goes through svd's, which is nan at repeated singular values).

    >>> import ndgrad as nd
    >>> nd.linalg.pinv(nd.asarray([[2.0, 0.0], [0.0, 0.0]]))
    array([[0.5, 0. ],
           [0. , 0. ]])
    """
    x = _arrays(x)
    _matrices(x, "pinv")
    cut = True   # (a cutoff the caller chose: its gradient is the truncated inverse's)
    if rcond is None:
        if rtol is _NOVALUE:
            rtol = 1e-15        # NumPy's default
            cut = False
    elif rtol is not _NOVALUE:
        raise ValueError("linalg.pinv: `rtol` and `rcond` can't be both set (rcond is NumPy's "
                         "older name of rtol)")
    else:
        rtol = rcond
    if rtol is None:   # (the standard's max(M, N) * eps: a default cutoff too)
        cut = False
    if hermitian:
        return _pinv_hermitian(x, rtol, cut)
    return _apply(_ext.pinv_op, (x, rtol), {"cut": cut})


def _pinv_hermitian(x, rtol, cut):
    """NumPy's ``pinv(hermitian=True)``: its values (from ``eigh`` of the lower triangle);
    the gradient that of the pseudo-inverse of the Hermitian matrix the lower triangle
    and the diagonal's real part define (the same function, without eigh's
    1/(w_i - w_j) at repeated eigenvalues). (The diagonal's imaginary part, which eigh
    never reads, was kept: a complex gradient 277 off where it was nonzero.)"""
    from ._ops import elementwise as ew
    from ._ops.creation import tril, triu
    _square(x, "pinv")
    if _np.dtype(x.dtype).kind == "c":
        low = tril(x, k=-1)
        h = low + ew.conj(matrix_transpose(low)) + tril(triu(ew.real(x)))
    else:
        h = tril(x) + matrix_transpose(tril(x, k=-1))
    sur = _apply(_ext.pinv_op, (h, rtol), {"cut": cut})
    if not _numpy_values(x) or isinstance(rtol, Array) and not _numpy_values(rtol):
        return sur
    r = rtol._data if isinstance(rtol, Array) else (
        max(x.shape[-2:]) * _np.finfo(x.dtype).eps if rtol is None else rtol)
    value = _registry.wrap(_np.asarray(_np.linalg.pinv(x._data, rcond=r, hermitian=True)))
    if sur._node is None:
        return value
    from ._numpy.aliases import _exact
    return _exact(value, sur)


def matrix_rank(x, /, tol=None, hermitian=False, *, rtol=None):
    """The rank: the number of singular values above ``rtol`` times the largest (or above
    NumPy's absolute ``tol``); no gradient, an integer.

    >>> import ndgrad as nd
    >>> nd.linalg.matrix_rank(nd.asarray([[1.0, 2.0], [2.0, 4.0]]))
    np.int64(1)
    """
    x = _arrays(x)
    if len(x.shape) < 2:
        # NumPy's rank of a vector or a 0-d value: 1 unless it is all zeros, a Python int
        # (it raised LinAlgError)
        from ._ops.utility import any as _any
        return int(bool(_any(x != 0)))
    _matrices(x, "matrix_rank")
    if tol is not None and rtol is not None:
        raise ValueError("linalg.matrix_rank: `tol` and `rtol` can't be both set (tol absolute, "
                         "rtol relative to the largest singular value)")
    if tol is None and not hermitian or 0 in x.shape[-2:]:   # (empty matrices: rank 0)
        return _apply(_ext.matrix_rank_op, (x, rtol))
    from ._ops import statistical as st, elementwise as ew, manipulation as mp
    from ._ops.creation import asarray
    from ._ops.dtype_functions import astype
    s = svd(x, compute_uv=False, hermitian=hermitian)

    def per_matrix(v):   # one value per matrix of the stack (NumPy's v[..., newaxis])
        if isinstance(v, (int, float)):
            return v
        return mp.expand_dims(v if isinstance(v, Array) else asarray(v, device=x.device),
                              axis=-1)
    if tol is None:   # NumPy's: rtol times the largest singular value of each matrix
        r = (float(max(x.shape[-2:]) * _np.finfo(s.dtype).eps) if rtol is None
             else per_matrix(rtol))
        tol = st.max(s, axis=-1, keepdims=True) * r
    else:
        tol = per_matrix(tol)
    return st.sum(astype(ew.greater(s, tol), _dtypes.default_index), axis=-1)


def matrix_power(x, n, /):
    """``x`` (square) raised to the integer power ``n`` (negative: of the inverse).

    >>> import ndgrad as nd
    >>> nd.linalg.matrix_power(nd.asarray([[1.0, 1.0], [0.0, 1.0]]), 3)
    array([[1., 3.],
           [0., 1.]])
    """
    x = _arrays(x)
    try:
        n = operator.index(n)
    except TypeError:
        raise TypeError(f"linalg.matrix_power: n must be an integer, not {n!r}") from None
    _square(x, "matrix_power")
    return _apply(_ext.matrix_power_op, (x,), {"n": n})


# -- norms -------------------------------------------------------------------------------
_MATRIX_ORDS = ("fro", "nuc", 1, -1, 2, -2, float("inf"), float("-inf"))


def matrix_norm(x, /, *, keepdims=False, ord="fro"):  # noqa: A002 (the standard's name)
    """Matrix norm over the last two axes: "fro", "nuc", 1, -1, 2, -2, inf, -inf.

    >>> import ndgrad as nd
    >>> nd.linalg.matrix_norm(nd.asarray([[3.0, 0.0], [0.0, 4.0]]))
    np.float64(5.0)
    >>> nd.linalg.matrix_norm(nd.asarray([[3.0, 0.0], [0.0, 4.0]]), ord=2)
    np.float64(4.0)
    """
    x = _arrays(x)
    if not any(ord == o and type(ord) is not bool for o in _MATRIX_ORDS):
        raise ValueError(f"linalg.matrix_norm: ord must be one of 'fro', 'nuc', 1, -1, 2, "
                         f"-2, inf, -inf; got {ord!r}")
    _matrices(x, "matrix_norm")
    return _apply(_ext.matrix_norm_op, (x,), {"keepdims": bool(keepdims), "ord": ord})


def vector_norm(x, /, *, axis=None, keepdims=False, ord=2):  # noqa: A002
    """Vector p-norm over ``axis`` (all axes by default); ``ord`` any real number or
    +-inf (0 counts nonzeros, negative orders are the standard's "non-norms").

    >>> import ndgrad as nd
    >>> nd.linalg.vector_norm(nd.asarray([3.0, 4.0]))
    np.float64(5.0)
    >>> nd.linalg.vector_norm(nd.asarray([3.0, -4.0]), ord=1)
    np.float64(7.0)
    """
    x = _arrays(x)
    if ord is None:    # (NumPy's: its norm's default, the 2-norm)
        ord = 2
    ord = number_arg(ord)
    if isinstance(ord, (str, bool)) or not isinstance(ord, (int, float)):
        raise ValueError(f"linalg.vector_norm: ord must be a number (or inf, -inf); got "
                         f"{ord!r}")
    axes = _normalize_axis(axis, len(x.shape))
    ax = axis if axis is None or isinstance(axis, int) else tuple(axis)
    return _apply(_ext.vector_norm_op, (x,), {"axis": ax, "keepdims": bool(keepdims),
                                             "ord": ord, "axes": axes})


# -- products, diagonals -------------------------------------------------------------
def cross(x1, x2, /, *, axis=-1):
    """Cross product of 3-vectors along ``axis`` (broadcast over the other axes).

    >>> import ndgrad as nd
    >>> nd.linalg.cross(nd.asarray([1.0, 0.0, 0.0]), nd.asarray([0.0, 1.0, 0.0]))
    array([0., 0., 1.])
    """
    x1, x2 = _arrays(x1, x2)
    s1, s2 = tuple(x1.shape), tuple(x2.shape)
    try:
        ax = operator.index(axis)
    except TypeError:
        raise TypeError(f"linalg.cross: axis must be an int, not {axis!r}") from None
    for s in (s1, s2):
        if not -len(s) <= ax < len(s) or s[ax] != 3:
            raise ValueError(f"linalg.cross: input arrays must be (arrays of) 3-dimensional "
                             f"vectors: axis {axis} must have size 3 in both; got shapes {s1} "
                             f"and {s2}")
    if ax >= 0 and len(s1) == len(s2):
        ax -= len(s1)
    return _apply(_ext.cross_op, (x1, x2), {"axis": ax})


def outer(x1, x2, /):
    """Outer product of two vectors.

    >>> import ndgrad as nd
    >>> nd.linalg.outer(nd.asarray([1.0, 2.0]), nd.asarray([1.0, 10.0]))
    array([[ 1., 10.],
           [ 2., 20.]])
    """
    x1, x2 = _arrays(x1, x2)
    if len(x1.shape) != 1 or len(x2.shape) != 1:
        raise ValueError(f"Input arrays must be one-dimensional: linalg.outer needs two 1-D "
                         f"arrays; got shapes {tuple(x1.shape)} and {tuple(x2.shape)}")
    return _apply(_ext.outer_op, (x1, x2))


def trace(x, /, *, offset=0, dtype=None):
    """Sum of the ``offset`` diagonal of each matrix (last two axes).

    >>> import ndgrad as nd
    >>> nd.linalg.trace(nd.asarray([[1.0, 2.0], [3.0, 4.0]]))
    np.float64(5.0)
    """
    x = _arrays(x)
    shape = _matrices(x, "trace")
    return _apply(_ext.trace_op, (x,), {"offset": operator.index(offset),
                                       "dtype": _dtypes.as_dtype(dtype), "shape": shape})


def diagonal(x, /, *, offset=0):
    """The ``offset`` diagonal of each matrix (last two axes); a read-only view on NumPy.

    >>> import ndgrad as nd
    >>> nd.linalg.diagonal(nd.asarray([[1.0, 2.0], [3.0, 4.0]]), offset=1)
    array([2.])
    """
    x = _arrays(x)
    shape = _matrices(x, "diagonal")
    return _apply(_ext.diagonal_op, (x,), {"offset": operator.index(offset), "shape": shape})


# -- NumPy's linalg names beyond the standard (the drop-in layer) ----------------------------
LinAlgError = _np.linalg.LinAlgError


def _inexact(x):
    from ._ops.creation import asarray
    from ._ops.dtype_functions import astype
    x = x if isinstance(x, Array) else asarray(x)
    return x if x.dtype.kind in "fc" else astype(x, _dtypes.default_float)


def _numpy_norm(x, np_ord, np_axis, keepdims, p, axes):
    """NumPy's ``linalg.norm(x, np_ord, np_axis, keepdims)``, a vector ``p``-norm over
    ``axes``, as a recorded op (its values NumPy's own, its gradient vector_norm's)."""
    try:
        p = float(p)
    except (TypeError, ValueError):
        raise ValueError(f"Invalid norm order {np_ord!r} for vectors") from None
    return _apply(_ext.numpy_norm_op, (x,), {"np_ord": np_ord, "np_axis": np_axis,
                                            "keepdims": bool(keepdims), "ord": p,
                                            "axes": axes})


def norm(x, ord=None, axis=None, keepdims=False):  # noqa: A002 (NumPy's names)
    """NumPy's ``linalg.norm``: a vector norm (``axis`` an int) or a matrix norm (``axis``
    a pair); by default the 2-norm of the flattened array. Differentiable.

    >>> import ndgrad as nd
    >>> nd.linalg.norm(nd.asarray([[3.0, 0.0], [0.0, 4.0]]))
    np.float64(5.0)
    >>> nd.linalg.norm(nd.asarray([[1.0, -2.0], [3.0, 4.0]]), ord=1, axis=1)
    array([3., 7.])
    """
    from ._ops import elementwise as ew, statistical as st, manipulation as mp
    x = _inexact(x)
    if type(x) is Array and type(x._data) is _np.ndarray and (
            x._node is None or not _registry.grad_state.enabled):
        # no gradient to record: NumPy's own (one BLAS dot for the default; the same
        # reductions otherwise, without an op per step)
        return _registry.wrap(_np.asarray(_np.linalg.norm(x._data, ord, axis, keepdims)))
    nd = x.ndim
    if axis is None:
        if ord is None or (ord in ("f", "fro") and nd == 2) or (ord == 2 and nd == 1):
            return _numpy_norm(x, ord, None, keepdims, 2, tuple(range(nd)))
        axis = tuple(range(nd))
    elif not isinstance(axis, tuple):
        try:
            axis = (operator.index(axis),)
        except TypeError:
            raise TypeError(f"linalg.norm: axis must be None, an int or a tuple of ints, "
                            f"not {axis!r}") from None
    if len(axis) == 1:
        if isinstance(ord, str):
            raise ValueError(f"Invalid norm order '{ord}' for vectors")
        p = 2 if ord is None else ord
        return _numpy_norm(x, ord, axis, keepdims, p, _normalize_axis(axis[0], nd))
    if len(axis) != 2:
        raise ValueError(f"Improper number of dimensions to norm: axis {axis}")
    row, col = (_normalize_axis(a, nd)[0] for a in axis)
    if row == col:
        raise ValueError(f"Duplicate axes given: axis {axis}")
    if ord in (2, -2, "nuc"):
        # (matrix_norm's op: the same values as NumPy's, and its rule at ties and zero
        # singular values)
        ret = matrix_norm(mp.moveaxis(x, (row, col), (-2, -1)), ord=ord)
    elif ord in (1, -1):
        red = st.max if ord == 1 else st.min
        ret = red(st.sum(ew.abs(x), axis=row), axis=col - 1 if col > row else col)
    elif ord in (float("inf"), float("-inf")):
        red = st.max if ord > 0 else st.min
        ret = red(st.sum(ew.abs(x), axis=col), axis=row - 1 if row > col else row)
    elif ord in (None, "fro", "f"):
        return _numpy_norm(x, ord, axis, keepdims, 2, tuple(sorted((row, col))))
    else:
        raise ValueError(f"Invalid norm order {ord!r} for matrices")
    if keepdims:
        shape = list(x.shape)
        shape[row] = shape[col] = 1
        ret = mp.reshape(ret, tuple(shape))
    return ret


def multi_dot(arrays, *, out=None):
    """NumPy's ``linalg.multi_dot``: the product of a chain of matrices, multiplied in the
    cheapest order (the first/last may be vectors), each product NumPy's ``dot``; two
    arrays are ``dot`` of any dimensions; ``out=`` receives the last product.

    >>> import ndgrad as nd
    >>> nd.linalg.multi_dot([nd.ones((2, 3)), nd.ones((3, 4)), nd.ones(4)])
    array([12., 12.])
    """
    from ._ops import manipulation as mp
    from ._ops.creation import asarray
    from ._numpy.math import dot
    arrays = [a if isinstance(a, Array) else asarray(a) for a in arrays]
    n = len(arrays)
    if n < 2:
        raise ValueError("Expecting at least two arrays.")
    if n == 2:
        # (NumPy's dot, of any dimensions: matmul gave (2, 3, 5) for (3, 4) x (2, 4, 5),
        # where NumPy's is (3, 2, 5))
        return dot(arrays[0], arrays[1], out=out)
    first, last = arrays[0].ndim, arrays[-1].ndim
    if first == 1:
        arrays[0] = mp.reshape(arrays[0], (1, -1))
    if last == 1:
        arrays[-1] = mp.reshape(arrays[-1], (-1, 1))
    for a in arrays:
        if a.ndim != 2:
            raise ValueError(f"{a.ndim}-dimensional array given. Array must be "
                             f"two-dimensional (shape {a.shape}; the first and last may "
                             "be 1-D)")
    if n == 3:
        a, b, c = arrays
        (a0, a1b0), (b1c0, c1) = a.shape, c.shape
        # the cost of (AB)C against A(BC), as NumPy compares them
        left_first = a0 * b1c0 * (a1b0 + c1) < a1b0 * c1 * (a0 + b1c0)
        res = dot(dot(a, b), c, out=out) if left_first else dot(a, dot(b, c), out=out)
    else:
        split = _chain_order([a.shape[0] for a in arrays] + [arrays[-1].shape[1]])
        res = _chain_product(dot, arrays, split, 0, n - 1, out)
    if first == 1 and last == 1:
        return res[0, 0]
    if first == 1 or last == 1:
        return mp.reshape(res, (-1,))
    return res


def _chain_order(dims):
    """split[i][j]: where the cheapest product of matrices i..j splits (matrix-chain DP,
    ties resolved to the first split as NumPy does)."""
    n = len(dims) - 1
    cost = [[0] * n for _ in range(n)]
    split = [[0] * n for _ in range(n)]
    for length in range(1, n):
        for i in range(n - length):
            j = i + length
            best = None
            for k in range(i, j):
                c = cost[i][k] + cost[k + 1][j] + dims[i] * dims[k + 1] * dims[j + 1]
                if best is None or c < best:
                    best, split[i][j] = c, k
            cost[i][j] = best
    return split


def _chain_product(dot, arrays, split, i, j, out=None):
    if i == j:
        return arrays[i]
    k = split[i][j]
    return dot(_chain_product(dot, arrays, split, i, k),
               _chain_product(dot, arrays, split, k + 1, j), out=out)


def cond(x, p=None):
    """NumPy's ``linalg.cond``: the condition number in norm ``p`` (default 2, from the
    singular values); a singular matrix gives inf.

    >>> import ndgrad as nd
    >>> nd.linalg.cond(nd.asarray([[2.0, 0.0], [0.0, 0.5]]))
    np.float64(4.0)
    """
    from ._ops import elementwise as ew, utility as ut
    from ._ops.searching import where
    x = _inexact(x)
    shape = _matrices(x, "cond")
    if 0 in shape[-2:]:
        raise LinAlgError("cond is not defined on empty arrays")
    # (NumPy 2.5 gives nan singular values for a matrix with a nan or inf, so such a
    # cond is nan or inf; NumPy 2.4's SVD raises: ndgrad does what the installed one does)
    sv = _cond_svdvals if _numpy_cond_takes_nonfinite() else svdvals
    with _np.errstate(all="ignore"):
        if p is None or p == 2 or p == -2:
            s = sv(x)
            r = s[..., -1] / s[..., 0] if p == -2 else s[..., 0] / s[..., -1]
        elif p == "nuc" and sv is _cond_svdvals:
            # (NumPy 2.5: the sums of the singular values, nan for a failed inverse)
            from ._ops.statistical import sum as total
            _square(x, "cond")
            r = total(sv(x), axis=-1) * total(sv(_inv_or_inf(x)), axis=-1)
        else:
            _square(x, "cond")
            dt = _np.dtype(x.dtype)
            if dt in (_np.float32, _np.complex64):
                # NumPy inverts in double precision and casts the product of the norms
                # back (inverting in float32 was 1 ulp off in 446 of 1,800 cases)
                from ._ops.dtype_functions import astype
                wide = _np.complex128 if dt.kind == "c" else _np.float64
                r = astype(norm(x, p, axis=(-2, -1)) *
                           norm(_inv_or_inf(astype(x, wide)), p, axis=(-2, -1)),
                           _np.float32)
            else:
                r = norm(x, p, axis=(-2, -1)) * norm(_inv_or_inf(x), p, axis=(-2, -1))
    # nan from a singular matrix means infinitely ill-conditioned (unless x had nans)
    bad = ew.logical_and(ew.isnan(r), ew.logical_not(ut.any(ew.isnan(x), axis=(-2, -1))))
    return where(bad, float("inf"), r)


@functools.cache
def _numpy_cond_takes_nonfinite():
    """Whether the installed NumPy's ``cond`` gives nan (not LinAlgError) for a matrix
    holding a nan (NumPy 2.5, gh-32591), asked once."""
    try:
        with _np.errstate(all="ignore"):
            return bool(_np.isnan(_np.linalg.cond(_np.array([[_np.nan]]))))
    except _np.linalg.LinAlgError:
        return False


def _cond_svdvals(x):
    """``svdvals``, with nan singular values (no error) for the matrices of a stack that
    hold a nan or inf, as NumPy 2.5's cond computes them. (No test of the values in
    Python: the same ops run under nd.jit, where they are not known.)"""
    from ._ops import elementwise as ew, utility as ut
    from ._ops.manipulation import expand_dims
    from ._ops.searching import where
    bad = ut.any(ew.logical_not(ew.isfinite(x)), axis=(-2, -1))
    s = svdvals(where(expand_dims(expand_dims(bad, axis=-1), axis=-1), 0.0, x))
    return where(expand_dims(bad, axis=-1), float("nan"), s)


def _inv_or_inf(x):
    """inv, with a singular matrix of a stack giving infinities (as NumPy's cond sees it)."""
    from ._ops import manipulation as mp
    from ._ops.creation import full_like
    try:
        return inv(x)
    except LinAlgError:
        if x.ndim == 2:
            return full_like(x, float("inf"))
    flat = mp.reshape(x, (-1,) + x.shape[-2:])
    return mp.reshape(mp.stack([_inv_or_inf(m) for m in mp.unstack(flat)]), x.shape)


def tensorinv(a, ind=2):
    """NumPy's ``linalg.tensorinv``: the inverse of ``a`` seen as a matrix of its first
    ``ind`` axes by the rest, reshaped back.

    >>> import ndgrad as nd
    >>> nd.linalg.tensorinv(nd.reshape(nd.eye(4) * 2.0, (4, 2, 2)), ind=1).shape
    (2, 2, 4)
    """
    from ._ops import manipulation as mp
    a = _inexact(a)
    if ind <= 0:
        raise ValueError(f"linalg.tensorinv: invalid ind argument {ind} (must be > 0)")
    old = a.shape
    prod = 1
    for k in old[ind:]:
        prod *= k
    ia = inv(mp.reshape(a, (prod, -1)))
    return mp.reshape(ia, old[ind:] + old[:ind])


def tensorsolve(a, b, axes=None):
    """NumPy's ``linalg.tensorsolve``: ``x`` with ``tensordot(a, x, axes=x.ndim) == b``.

    >>> import ndgrad as nd
    >>> a = nd.reshape(nd.eye(6) * 2.0, (2, 3, 6))
    >>> nd.linalg.tensorsolve(a, nd.ones((2, 3))).shape
    (6,)
    """
    from ._ops import manipulation as mp
    a, b = _inexact(a), _inexact(b)
    if type(a) is Array and type(b) is Array and type(a._data) is _np.ndarray and type(
            b._data) is _np.ndarray and (a._node is None and b._node is None or
                                         not _registry.grad_state.enabled):
        # no gradient to record: NumPy's own (no permute and three reshape ops)
        return _registry.wrap(_np.asarray(_np.linalg.tensorsolve(a._data, b._data, axes)))
    an = a.ndim
    if axes is not None:
        order = list(range(an))
        for k in axes:
            order.remove(k)
            order.insert(an, k)
        a = mp.permute_dims(a, tuple(order))
    old = a.shape[-(an - b.ndim):]
    prod = 1
    for k in old:
        prod *= k
    if a.size != prod ** 2:
        raise LinAlgError(f"linalg.tensorsolve: a of shape {a.shape} and b of shape "
                          f"{b.shape} need prod(a.shape[b.ndim:]) == prod(a.shape[:b.ndim])")
    res = solve(mp.reshape(a, (prod, prod)), mp.reshape(b, (-1,)))
    return mp.reshape(res, old)


def lstsq(a, b, rcond=None):
    """NumPy's ``linalg.lstsq``: the least-squares solution of ``a @ x = b`` as
    ``(x, residuals, rank, s)``; differentiable (``x``, ``residuals``, ``s``) while ``a``
    keeps its rank.

    >>> import ndgrad as nd
    >>> x, res, rank, s = nd.linalg.lstsq(nd.asarray([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]),
    ...                                   nd.asarray([1.0, 2.0, 3.0]))
    >>> x
    array([1., 2.])
    """
    a, b = _arrays(a, b)
    sa, sb = _static_shape(a), _static_shape(b)
    # (NumPy's LinAlgError, a ValueError: ``except LinAlgError`` catches these as NumPy's)
    if sa is not None and len(sa) != 2:
        raise _np.linalg.LinAlgError(f"linalg.lstsq needs a 2-D a; got shape {sa}")
    if sb is not None and len(sb) not in (1, 2):
        raise _np.linalg.LinAlgError(f"linalg.lstsq needs a 1-D or 2-D b; got shape {sb}")
    if sb is not None and sa is not None and sb[0] != sa[0]:
        raise _np.linalg.LinAlgError(f"linalg.lstsq: Incompatible dimensions: b of shape {sb} "
                                     f"does not match a of shape {sa} (b needs a's number of "
                                     "rows)")
    return tuple(_apply(_ext.lstsq_op, (a, b), {"rcond": rcond}))


__all__ = ["cholesky", "cross", "det", "diagonal", "eig", "eigh", "eigvals", "eigvalsh",
           "inv", "matmul", "matrix_norm", "matrix_power", "matrix_rank", "matrix_transpose",
           "outer", "pinv", "qr", "slogdet", "solve", "svd", "svdvals", "tensordot",
           "trace", "vecdot", "vector_norm",
           "EigResult", "EighResult", "QRResult", "SVDResult", "SlogdetResult",
           # NumPy's
           "LinAlgError", "norm", "multi_dot", "cond", "tensorinv", "tensorsolve", "lstsq"]

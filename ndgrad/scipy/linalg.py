"""Differentiable ``scipy.linalg``: SciPy's signatures over ndgrad's linalg ops, plus the ops
ndgrad.linalg lacks (``solve_triangular``, ``expm``, ``logm``, ``sqrtm``), each with its rule.

``cholesky``, ``det``, ``inv``, ``solve``, ``eigh``, ``svd`` reuse ``ndgrad.linalg``'s ops
(their rules live there). The matrix functions' rules use one identity: for a primary
matrix function f, ``f([[A, E], [0, A]])`` has the Fréchet derivative ``L_f(A, E)`` in its
upper-right block, and the adjoint of ``L_f(A, .)`` is ``L_f(A^T, .)``; so each rule is
the op itself on a block matrix, and differentiates again.
"""
from __future__ import annotations

import sys

from .._ops.registry import defop, apply
from .._ops.linalg_ext import _invertible_dummies_rule, _shape
from ._host import backend_kind, library_function, rule_namespace

OPS = {}


def _ns(xp):
    return rule_namespace(xp, sys.modules[__name__], OPS)


def _arr(x):
    from .._ops._common import as_arrays  # (graph tensors pass through)
    return as_arrays(x)


def _square(a, name):
    if a.ndim < 2 or a.shape[-1] != a.shape[-2]:
        raise ValueError(f"ndgrad.scipy.linalg.{name}: expected a square matrix (stack), "
                         f"got shape {tuple(a.shape)}")


def _real(a, name):
    if a.dtype.kind == "c":
        raise TypeError(f"ndgrad.scipy.linalg.{name}: complex matrices are not supported "
                        f"(dtype {a.dtype})")


def _T(xp, a):
    return xp.matrix_transpose(a)


# -- solve_triangular ----------------------------------------------------------------------
def _trans_flag(trans):
    if trans in (0, "N"):
        return False
    if trans in (1, "T", 2, "C"):
        return True  # (real matrices: the conjugate transpose is the transpose)
    raise ValueError(f"solve_triangular: trans must be 0, 1, 2, 'N', 'T' or 'C', got {trans!r}")


def _tri_forward(xp, a, b, trans, lower, unit_diagonal):
    kind = backend_kind(xp)
    if kind in ("numpy", "cupy"):
        fn = library_function(xp, "linalg", "solve_triangular",
                              "ndgrad.scipy.linalg.solve_triangular")
        return xp.asarray(fn(a, b, trans=1 if trans else 0, lower=lower,
                             unit_diagonal=unit_diagonal))
    # other backends: the standard's solve on the triangle SciPy reads (the same solution)
    m = xp.tril(a) if lower else xp.triu(a)
    if unit_diagonal:
        n = a.shape[-1]
        eye = xp.eye(n, dtype=a.dtype, device=a.device)
        m = m * (1 - eye) + eye
    if trans:
        m = _T(xp, m)
    if b.ndim == 1:
        return xp.linalg.solve(m, b[:, None])[:, 0]
    return xp.linalg.solve(m, b)


def _tri_vjp(xp, g, ans, a, b, trans, lower, unit_diagonal, _needs=None):
    # op(A) X = B with op(A) = A or A^T: gB = op(A)^-T G, g op(A) = -gB X^T
    la = _ns(xp)
    gb = la._solve_triangular(a, g, not trans, lower, unit_diagonal)
    ga = None
    if _needs is None or _needs[0]:
        if b.ndim == 1:
            gop = -gb[:, None] * ans[None, :]
        else:
            gop = -xp.matmul(gb, _T(xp, ans))
        ga = _T(xp, gop) if trans else gop
        ga = xp.tril(ga, k=-1 if unit_diagonal else 0) if lower else \
            xp.triu(ga, k=1 if unit_diagonal else 0)
    return (ga, gb)


# (graph mode: static shapes from invertible stand-ins, as ndgrad.linalg's solvers)
OPS["_solve_triangular"] = defop("scipy.linalg.solve_triangular", _tri_forward, _tri_vjp,
                                 save="both", shape_rule=_invertible_dummies_rule(_tri_forward))


def _solve_triangular(a, b, trans, lower, unit_diagonal):
    return apply(OPS["_solve_triangular"], (a, b), {"trans": trans, "lower": lower,
                                                     "unit_diagonal": unit_diagonal})


def solve_triangular(a, b, trans=0, lower=False, unit_diagonal=False, overwrite_b=False,
                     check_finite=True):
    """Solve ``a x = b`` (or ``a^T x = b`` with ``trans``) for triangular ``a``, reading
    only its ``lower`` (else upper) triangle; ``unit_diagonal`` takes the diagonal as ones.
    Differentiable in ``a`` (its triangle) and ``b``.

    >>> import ndgrad as nd
    >>> from ndgrad.scipy import linalg
    >>> linalg.solve_triangular(nd.asarray([[2.0, 1.0], [0.0, 4.0]]), nd.asarray([3.0, 4.0]))
    array([1., 1.])
    """
    a, b = _arr(a), _arr(b)
    _square(a, "solve_triangular")
    _real(a, "solve_triangular")
    n = a.shape[-1]
    if b.ndim == 0 or b.shape[0] != n:
        raise ValueError(f"ndgrad.scipy.linalg.solve_triangular: a of shape {tuple(a.shape)}"
                         f" and b of shape {tuple(b.shape)} are incompatible")
    if a.ndim != 2 or b.ndim > 2:
        raise ValueError("ndgrad.scipy.linalg.solve_triangular: a must be (n, n) and b "
                         f"(n,) or (n, k); got {tuple(a.shape)} and {tuple(b.shape)}")
    return _solve_triangular(a, b, _trans_flag(trans), bool(lower), bool(unit_diagonal))


# -- cholesky, cho_factor, cho_solve --------------------------------------------------------
def cholesky(a, lower=False, overwrite_a=False, check_finite=True):
    """The Cholesky factor, upper (SciPy's default) or ``lower``: ``a = U^T U = L L^T``.
    Reads the triangle of ``a`` it returns, as SciPy (its gradient lies in that triangle).

    >>> import ndgrad as nd
    >>> from ndgrad.scipy import linalg
    >>> linalg.cholesky(nd.asarray([[4.0, 2.0], [2.0, 5.0]]))
    array([[2., 1.],
           [0., 2.]])
    """
    import ndgrad as nd
    a = _arr(a)
    return nd.linalg.cholesky(a, upper=not lower)


def cho_factor(a, lower=False, overwrite_a=False, check_finite=True):
    """``(c, lower)`` for ``cho_solve``. Unlike SciPy, ``c`` is the clean triangular factor
    (zeros in the other triangle, as JAX), not the factor over the input's leftovers.

    >>> import ndgrad as nd
    >>> from ndgrad.scipy import linalg
    >>> linalg.cho_factor(nd.asarray([[4.0, 2.0], [2.0, 5.0]]), lower=True)
    (array([[2., 0.],
           [1., 2.]]), True)
    """
    return cholesky(a, lower=lower), bool(lower)


def cho_solve(c_and_lower, b, overwrite_b=False, check_finite=True):
    """Solve ``a x = b`` given ``cho_factor(a)``: two triangular solves, differentiable in
    the factor and ``b``.

    >>> import ndgrad as nd
    >>> from ndgrad.scipy import linalg
    >>> f = linalg.cho_factor(nd.asarray([[4.0, 2.0], [2.0, 5.0]]))
    >>> linalg.cho_solve(f, nd.asarray([6.0, 7.0]))
    array([1., 1.])
    """
    c, lower = c_and_lower
    c, b = _arr(c), _arr(b)
    _square(c, "cho_solve")
    lower = bool(lower)
    # lower: L L^T x = b; upper: U^T U x = b
    y = solve_triangular(c, b, trans=0 if lower else 1, lower=lower)
    return solve_triangular(c, y, trans=1 if lower else 0, lower=lower)


# -- det, inv, solve, eigh, svd: ndgrad.linalg's ops with SciPy's signatures ---------------
def det(a, overwrite_a=False, check_finite=True):
    """The determinant (stack).

    >>> import ndgrad as nd
    >>> from ndgrad.scipy import linalg
    >>> linalg.det(nd.asarray([[2.0, 1.0], [1.0, 3.0]]))
    np.float64(5.000000000000001)
    """
    import ndgrad as nd
    return nd.linalg.det(_arr(a))


def inv(a, overwrite_a=False, check_finite=True):
    """The inverse (stack).

    >>> import ndgrad as nd
    >>> from ndgrad.scipy import linalg
    >>> linalg.inv(nd.asarray([[2.0, 0.0], [0.0, 4.0]]))
    array([[0.5 , 0.  ],
           [0.  , 0.25]])
    """
    import ndgrad as nd
    return nd.linalg.inv(_arr(a))


_ASSUME = ("gen", "general", "sym", "symmetric", "her", "hermitian", "pos", "positive definite",
           "diagonal", "upper triangular", "lower triangular")


def solve(a, b, lower=False, overwrite_a=False, overwrite_b=False, check_finite=True,
          assume_a=None, transposed=False):
    """Solve ``a x = b`` as SciPy: ``assume_a`` "gen" (default), "sym"/"her"/"pos" (only
    the ``lower`` or upper triangle of ``a`` is read, as SciPy's LAPACK drivers),
    "diagonal", "upper triangular", "lower triangular"; ``transposed`` solves ``a^T x = b``.
    Differentiable in ``a`` (what is read of it) and ``b``.

    >>> import ndgrad as nd
    >>> from ndgrad.scipy import linalg
    >>> linalg.solve(nd.asarray([[3.0, 1.0], [9.0, 2.0]]), nd.asarray([5.0, 12.0]),
    ...              assume_a="sym")  # reads the upper triangle: 9.0 is not used
    array([-0.4,  6.2])
    """
    import ndgrad as nd
    a, b = _arr(a), _arr(b)
    _square(a, "solve")
    _real(a, "solve")
    kind = "gen" if assume_a is None else assume_a
    if kind not in _ASSUME:
        raise ValueError(f"ndgrad.scipy.linalg.solve: unknown assume_a {assume_a!r}; "
                         f"valid: {', '.join(repr(k) for k in _ASSUME)}")
    n = a.shape[-1]
    if a.ndim != 2 or b.ndim == 0 or b.ndim > 2 or b.shape[0] != n:
        raise ValueError(f"ndgrad.scipy.linalg.solve: a of shape {tuple(a.shape)} and b of "
                         f"shape {tuple(b.shape)} are incompatible (a (n, n), b (n,) or "
                         "(n, k))")
    if kind in ("upper triangular", "lower triangular"):
        return solve_triangular(a, b, trans=1 if transposed else 0,
                                lower=kind == "lower triangular")
    if kind == "diagonal":
        d = nd.linalg.diagonal(a)
        return b / (d if b.ndim == 1 else d[:, None])
    if kind in ("pos", "positive definite"):
        # SciPy's posv: the Cholesky factor of the triangle read, then two triangular
        # solves; a matrix that is not positive definite raises LinAlgError, as SciPy's
        # (an LU solve of the mirrored matrix answered it silently)
        return cho_solve(cho_factor(a, lower=lower), b)
    if kind not in ("gen", "general"):
        # symmetric solvers read one triangle: mirror it
        tri = nd.tril(a) if lower else nd.triu(a)
        strict = nd.tril(a, k=-1) if lower else nd.triu(a, k=1)
        a = tri + nd.matrix_transpose(strict)
    elif transposed:
        a = nd.matrix_transpose(a)
    if b.ndim == 1:
        return nd.linalg.solve(a, b[:, None])[:, 0]
    return nd.linalg.solve(a, b)


def eigh(a, b=None, lower=True, eigvals_only=False, overwrite_a=False, overwrite_b=False,
         type=1, check_finite=True, subset_by_index=None, subset_by_value=None,  # noqa: A002
         driver=None):
    """Eigenvalues (ascending) and eigenvectors of a symmetric matrix reading its ``lower``
    (else upper) triangle; with ``b`` (positive definite) the generalized problem
    ``a v = w b v`` with ``v^T b v = I``, as SciPy. Differentiable in ``a`` and ``b`` for
    distinct eigenvalues.

    >>> import ndgrad as nd
    >>> from ndgrad.scipy import linalg
    >>> linalg.eigh(nd.asarray([[2.0, 0.0], [0.0, 1.0]]), eigvals_only=True)
    array([1., 2.])
    """
    import ndgrad as nd
    for name, val, default in (("type", type, 1), ("subset_by_index", subset_by_index, None),
                               ("subset_by_value", subset_by_value, None)):
        if val != default:
            raise ValueError(f"ndgrad.scipy.linalg.eigh: {name}={val!r} is not supported "
                             f"(only {default!r})")
    a = _arr(a)
    _square(a, "eigh")
    uplo = "L" if lower else "U"
    if b is None:
        w, v = nd.linalg.eigh(a, UPLO=uplo)
    else:
        b = _arr(b)
        # b's factor from b's own `lower` (else upper) triangle, as SciPy reads it (the
        # lower one alone was read: a different problem where the triangles disagree)
        low = (nd.linalg.cholesky(b) if lower
               else nd.matrix_transpose(nd.linalg.cholesky(b, upper=True)))
        # C = L^-1 A L^-T (A mirrored from its triangle): symmetric, same eigenvalues
        tri = nd.tril(a) if lower else nd.triu(a)
        strict = nd.tril(a, k=-1) if lower else nd.triu(a, k=1)
        full = tri + nd.matrix_transpose(strict)
        li = solve_triangular(low, nd.eye(a.shape[-1], dtype=low.dtype, device=low.device),
                              lower=True)
        c = li @ full @ nd.matrix_transpose(li)
        w, u = nd.linalg.eigh((c + nd.matrix_transpose(c)) * 0.5)
        v = solve_triangular(low, u, trans=1, lower=True)
    return w if eigvals_only else (w, v)


def svd(a, full_matrices=True, compute_uv=True, overwrite_a=False, check_finite=True,
        lapack_driver="gesdd"):
    """``(U, s, Vh)`` with ``a = U @ diag(s) @ Vh`` (``s`` alone for ``compute_uv=False``).

    >>> import ndgrad as nd
    >>> from ndgrad.scipy import linalg
    >>> linalg.svd(nd.asarray([[3.0, 0.0], [0.0, 4.0]]), compute_uv=False)
    array([4., 3.])
    """
    import ndgrad as nd
    a = _arr(a)
    if not compute_uv:
        return nd.linalg.svdvals(a)
    return tuple(nd.linalg.svd(a, full_matrices=full_matrices))


# -- matrix functions: expm, logm, sqrtm ------------------------------------------------------
def _block(xp, a, e):
    """[[a, e], [0, a]] over the last two axes."""
    z = a * 0.0  # (zeros_like is not available on graph tensors; a is finite here)
    top = xp.concat([a, e], axis=-1)
    bottom = xp.concat([z, a], axis=-1)
    return xp.concat([top, bottom], axis=-2)


def _frechet_adjoint(name):
    def vjp(xp, g, ans, a):
        shape = _shape(a)
        n = shape[-1]
        at = _T(xp, a)
        big = getattr(_ns(xp), name)(_block(xp, at, xp.astype(g, at.dtype)
                                            if g.dtype != at.dtype else g))
        # (graph tensors index as TensorFlow's: no Ellipsis; 2-D needs none)
        return (big[:n, n:] if len(shape) == 2 else big[..., :n, n:],)
    vjp.__name__ = f"_{name}_vjp"
    return vjp


def _matfun_forward(name):
    public = f"ndgrad.scipy.linalg.{name}"

    def forward(xp, a):
        fn = library_function(xp, "linalg", name, public)
        out = fn(a)
        if isinstance(out, tuple):  # older SciPy's sqrtm(disp=...) forms
            out = out[0]
        out = xp.asarray(out)
        if out.dtype != a.dtype and str(out.dtype).startswith("complex") and \
                not str(a.dtype).startswith("complex"):
            raise ValueError(f"{public}: the result is complex for this real matrix (it "
                             "has eigenvalues on the closed negative real axis); pass a "
                             "complex matrix")
        return out
    forward.__name__ = f"_{name}_forward"
    return forward


for _name in ("expm", "logm", "sqrtm"):
    _fwd = _matfun_forward(_name)
    OPS[_name] = defop(f"scipy.linalg.{_name}", _fwd, _frechet_adjoint(_name), save="inputs",
                       shape_rule=_invertible_dummies_rule(_fwd))


def _matfun(name, a):
    a = _arr(a)
    _square(a, name)
    if a.dtype.kind in "biu":
        import ndgrad as nd
        a = nd.astype(a, nd.float64)
    return apply(OPS[name], (a,))


def expm(A):
    """The matrix exponential (stack), SciPy's Padé approximation; its gradient is the
    Fréchet derivative at ``A^T`` (computed as ``expm`` of a block matrix).

    >>> import ndgrad as nd
    >>> from ndgrad.scipy import linalg
    >>> linalg.expm(nd.asarray([[0.0, 1.0], [0.0, 0.0]]))
    array([[1., 1.],
           [0., 1.]])
    """
    return _matfun("expm", A)


def logm(A, disp=True):
    """The principal matrix logarithm; real matrices whose logarithm is complex are refused
    (pass a complex matrix). Gradient: the Fréchet derivative of logm at ``A^T``.

    >>> import ndgrad as nd
    >>> from ndgrad.scipy import linalg
    >>> linalg.logm(nd.asarray([[1.0, 1.0], [0.0, 1.0]]))
    array([[0., 1.],
           [0., 0.]])
    """
    return _matfun("logm", A)


def sqrtm(A, disp=True, blocksize=64):
    """The principal matrix square root; real matrices whose root is complex are refused.
    Gradient: the Fréchet derivative of sqrtm at ``A^T``.

    >>> import ndgrad as nd
    >>> from ndgrad.scipy import linalg
    >>> linalg.sqrtm(nd.asarray([[4.0, 0.0], [0.0, 9.0]]))
    array([[2., 0.],
           [0., 3.]])
    """
    return _matfun("sqrtm", A)


__all__ = ["solve_triangular", "cholesky", "cho_factor", "cho_solve", "det", "inv", "solve",
           "eigh", "svd", "expm", "logm", "sqrtm"]

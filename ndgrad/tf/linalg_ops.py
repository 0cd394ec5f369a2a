"""TF 1's matrix decompositions and solvers: ``tf.cholesky``, ``tf.cholesky_solve``,
``tf.matrix_solve``, ``tf.matrix_triangular_solve``, ``tf.matrix_solve_ls``,
``tf.self_adjoint_eig``, ``tf.self_adjoint_eigvals``, ``tf.svd``, ``tf.qr`` and
``tf.linalg.logdet`` / ``slogdet`` / ``adjoint``.

Each kernel is an op declared here once, its forward (LAPACK through NumPy) beside
TensorFlow's own gradient function (``tensorflow/python/ops/linalg_grad.py``, as of TF
2.15), which differs from ndgrad's registry rules: TF symmetrizes the Cholesky gradient and
puts the self-adjoint eigendecomposition's into the lower triangle with a halved diagonal;
its SVD and eigen rules use the "safe reciprocal" ``x / (x^2 + 1e-20)`` (a repeated
eigen/singular value gives a finite gradient, not NaN); its SVD rule refuses
``full_matrices=True`` with ``|m - n| > 1`` and unknown inner dims, its QR rule dynamic
shapes and ``full_matrices=True`` with more rows than columns (``NotImplementedError``, as
TF). The rules are written as TF writes them, in TF's (conjugate) convention for complex
numbers, and converted to ndgrad's with ``_via_conjugate``.

Runtime errors are TF 1.x's: ``tf.cholesky`` (and ``logdet``) of a matrix that is not
positive definite raises ``InvalidArgumentError`` ("Cholesky decomposition was not
successful", TF 2.x's CPU kernel returns NaN instead), ``tf.matrix_solve`` of a singular
matrix ``InvalidArgumentError`` ("Input matrix is not invertible."). A triangular solve
with a zero on the diagonal gives inf/NaN, as TF's.

Known differences: eigenvectors and singular vectors come from LAPACK, TF's from Eigen;
neither documents a sign (or, for complex ones, a phase), and the two may differ by one
(TF's own tests compare them up to sign). QR's factors are both Householder's and agree.
``float16`` inputs are computed in float32 and rounded back (NumPy's LAPACK has no half
precision; TF's Eigen computes in half). ``matrix_triangular_solve`` broadcasts batch dims
as TF 2.x does (TF 1.15 asked for equal ones). ``matrix_solve_ls(fast=False)`` is the
minimum-norm least-squares solution (TF's complete orthogonal decomposition; its rank
cut-off may differ on numerically rank-deficient matrices), with no gradient (TF's).
"""
from __future__ import annotations

import numpy as np

from .._ops.registry import defop, apply
from .._ops.linalg_ext import _via_conjugate, _shape
from ..graph import errors
from .framework import build, convert_to_tensor, convert_same
from .ops import call
from . import ops as _ops, op_dtypes as _op_dtypes
from .math_ops import _dt

__all__ = ["cholesky", "cholesky_solve", "matrix_solve", "matrix_triangular_solve",
           "matrix_solve_ls", "self_adjoint_eig", "self_adjoint_eigvals", "svd", "qr",
           "cross"]
# (tf.linalg.logdet, slogdet and adjoint have no top-level name in TF 1.15: they are in
# the tf.linalg namespace only)

_ALLOWED = ("float64", "float32", "float16", "complex64", "complex128")


# -- forwards' helpers ---------------------------------------------------------------------
def _lapack(x):
    """``x`` as an array LAPACK takes (float16 computed in float32) and its own dtype."""
    x = np.asarray(x)
    return (x.astype(np.float32) if x.dtype == np.float16 else x), x.dtype


def _check_dtype(t, op_type, param="input"):
    dt = np.dtype(t._np_dtype if hasattr(t, "_np_dtype") else t.dtype)
    if dt.name not in _ALLOWED:
        raise TypeError(f"Value passed to parameter '{param}' has DataType {_tfname(dt)} not "
                        f"in list of allowed values: {', '.join(_ALLOWED)} (op {op_type})")
    return dt


def _tfname(dt):
    return {"int32": "int32", "int64": "int64", "bool": "bool"}.get(dt.name, dt.name)


def _static(t):
    s = getattr(t, "_shape", "eager")
    if s == "eager":
        return tuple(t.shape)
    return None if s is None else tuple(s)


def _fmt(s):
    return "?" if s is None else "[" + ",".join("?" if d is None else str(d) for d in s) + "]"


def _need_rank2(s, op_type, *others):
    if s is not None and len(s) < 2:
        raise ValueError(f"Shape must be at least rank 2 but is rank {len(s)} for "
                         f"'{op_type}' (op: '{op_type}') with input shapes: "
                         f"{', '.join(_fmt(o) for o in (s,) + others)}.")


def _need_square(s, op_type, *others):
    _need_rank2(s, op_type, *others)
    if s is not None and s[-1] is not None and s[-2] is not None and s[-1] != s[-2]:
        raise ValueError(f"Dimensions must be equal, but are {s[-2]} and {s[-1]} for "
                         f"'{op_type}' (op: '{op_type}') with input shapes: "
                         f"{', '.join(_fmt(o) for o in (s,) + others)}.")


def _merge(a, b):
    return a if b is None else b


def _H(xp, a):
    t = xp.matrix_transpose(a)
    return xp.conj(t) if xp.isdtype(a.dtype, "complex floating") else t


def _row(xp, v):
    return xp.expand_dims(v, axis=-2)


def _col(xp, v):
    return xp.expand_dims(v, axis=-1)


def _safe_reciprocal(x):
    """TF's ``_SafeReciprocal``: ``x / (x^2 + 1e-20)``, 0 at 0 (a repeated eigen- or
    singular value adds nothing instead of NaN)."""
    return x / (x * x + 1e-20)


def _f_matrix(xp, w):
    """TF's ``f``: ``_SafeReciprocal(w_j - w_i)`` with its diagonal set to 0 by
    ``matrix_set_diag`` -- which also cuts the diagonal's derivative (1e20 from the
    safe reciprocal at 0) out of second derivatives, as in TF."""
    from .array_ops import SET_DIAG
    return call(SET_DIAG, xp, (_safe_reciprocal(_row(xp, w) - _col(xp, w)),
                               xp.zeros_like(w)))


def _lower_sym(xp, a):
    """``band_part(a + a^H, -1, 0)`` with its diagonal halved (TF's SelfAdjointEig rule)."""
    s = a + _H(xp, a)
    return (xp.tril(s) + xp.tril(s, k=-1)) * 0.5


def _diag_of_product(xp, a, b):
    """The diagonal of ``a^H b`` (column by column), without forming the product."""
    return xp.sum(xp.conj(a) * b if xp.isdtype(a.dtype, "complex floating") else a * b,
                  axis=-2)


# -- Cholesky ------------------------------------------------------------------------------
def _cholesky_fwd(xp, x):
    a, dt = _lapack(x)
    if a.shape[-1] == 0:
        return np.zeros(a.shape, dt)
    try:
        out = np.linalg.cholesky(a)     # (reads the lower triangle, as TF's Eigen LLT)
    except np.linalg.LinAlgError:
        raise errors.InvalidArgumentError(
            None, None, "Cholesky decomposition was not successful. The input might not be "
            "valid.") from None
    return out.astype(dt, copy=False)


def _cholesky_grad(xp, g, ans, x):
    # TF's _CholeskyGrad: A_bar = sym(L^-H Phi(L^H G) L^-1), Phi the lower triangle with a
    # halved diagonal, symmetrized by (A_bar + A_bar^H) / 2
    lo = ans
    middle = xp.matmul(_H(xp, lo), g)
    middle = (xp.tril(middle) + xp.tril(middle, k=-1)) * 0.5
    y = _trisolve(xp, lo, middle, True, True)                   # L^-H Phi
    grad_a = _H(xp, _trisolve(xp, lo, _H(xp, y), True, True))   # (L^-H Phi) L^-1
    return ((grad_a + _H(xp, grad_a)) * 0.5,)


def _square_rule(op_type, out=lambda s: s):
    def rule(args, params):
        s = args[0]._shape
        _need_square(s, op_type)
        return [(None if s is None else out(tuple(s[:-2]) + (_merge(s[-2], s[-1]),) * 2),
                 args[0]._np_dtype)]
    return rule


CHOLESKY = defop("tf.cholesky", _cholesky_fwd, _via_conjugate(_cholesky_grad), save="ans",
                 shape_rule=_square_rule("Cholesky"))


# -- triangular solve ------------------------------------------------------------------------
def _batch(a, b, name):
    try:
        return np.broadcast_shapes(a.shape[:-2], b.shape[:-2])
    except ValueError:
        raise errors.InvalidArgumentError(
            None, None, f"{name}: incompatible batch dims: matrix shape {a.shape}, rhs shape "
            f"{b.shape}") from None


def _trisolve_fwd(xp, a, b, lower, adjoint):
    a, dt = _lapack(a)
    b = np.asarray(b).astype(a.dtype, copy=False)
    n, k = a.shape[-1], b.shape[-1]
    if a.shape[-2] != n or b.shape[-2] != n:
        raise errors.InvalidArgumentError(
            None, None, f"MatrixTriangularSolve: matrix must be square and rhs must have as "
            f"many rows: matrix shape {a.shape}, rhs shape {b.shape}")
    batch = _batch(a, b, "MatrixTriangularSolve")
    m = np.tril(a) if lower else np.triu(a)
    if adjoint:
        m = np.conj(np.swapaxes(m, -1, -2))
        lower = not lower
    m = np.broadcast_to(m, batch + (n, n))
    b = np.broadcast_to(b, batch + (n, k))
    if n == 0 or k == 0:
        return np.zeros(batch + (n, k), dt)
    if not np.all(np.diagonal(m, axis1=-2, axis2=-1) != 0):
        # (TF 1.x's CPU kernel; TF 2.x's returns inf/NaN)
        raise errors.InvalidArgumentError(None, None, "Input matrix is not invertible.")
    return np.linalg.solve(m, b).astype(dt, copy=False)


def _trisolve_grad(xp, g, ans, a, b, lower, adjoint):
    # TF's _MatrixTriangularSolveGrad
    grad_b = _trisolve(xp, a, g, lower, not adjoint)
    if adjoint:
        grad_a = -xp.matmul(ans, _H(xp, grad_b))
    else:
        grad_a = -xp.matmul(grad_b, _H(xp, ans))
    grad_a = xp.tril(grad_a) if lower else xp.triu(grad_a)
    return grad_a, grad_b


def _solve_rule(op_type, broadcast):
    def rule(args, params):
        sa, sb = args[0]._shape, args[1]._shape
        _need_square(sa, op_type, sb)
        _need_rank2(sb, op_type, sa)
        if sa is None or sb is None:
            return [(None, args[0]._np_dtype)]
        n = _merge(sa[-1], sa[-2])
        if n is not None and sb[-2] is not None and n != sb[-2]:
            raise ValueError(f"Dimensions must be equal, but are {n} and {sb[-2]} for "
                             f"'{op_type}' (op: '{op_type}') with input shapes: {_fmt(sa)}, "
                             f"{_fmt(sb)}.")
        ba, bb = sa[:-2], sb[:-2]
        if broadcast:
            batch = _broadcast_static(ba, bb, op_type, sa, sb)
        else:
            if len(ba) != len(bb):
                raise ValueError(f"Shapes must be equal rank, but are {len(ba)} and "
                                 f"{len(bb)} for '{op_type}' (op: '{op_type}') with input "
                                 f"shapes: {_fmt(sa)}, {_fmt(sb)}.")
            batch = []
            for x, y in zip(ba, bb):
                if x is not None and y is not None and x != y:
                    raise ValueError(f"Dimensions must be equal, but are {x} and {y} for "
                                     f"'{op_type}' (op: '{op_type}') with input shapes: "
                                     f"{_fmt(sa)}, {_fmt(sb)}.")
                batch.append(_merge(x, y))
        return [(tuple(batch) + (_merge(n, sb[-2]), sb[-1]), args[0]._np_dtype)]
    return rule


def _broadcast_static(ba, bb, op_type, sa, sb):
    out = []
    for i in range(max(len(ba), len(bb))):
        x = ba[len(ba) - 1 - i] if i < len(ba) else 1
        y = bb[len(bb) - 1 - i] if i < len(bb) else 1
        if x == 1:
            out.append(y)
        elif y == 1:
            out.append(x)
        elif x is None or y is None:
            out.append(_merge(x, y) if x is None and y is None else (x if y is None else y))
        elif x != y:
            raise ValueError(f"Incompatible shapes: batch dims of {_fmt(sa)} and {_fmt(sb)} "
                             f"do not broadcast ('{op_type}')")
        else:
            out.append(x)
    return out[::-1]


TRISOLVE = defop("tf.matrix_triangular_solve", _trisolve_fwd, _via_conjugate(_trisolve_grad),
                 save="both", shape_rule=_solve_rule("MatrixTriangularSolve", True))


def _trisolve(xp, a, b, lower, adjoint):
    return call(TRISOLVE, xp, (a, b), {"lower": lower, "adjoint": adjoint})


# -- general solve -------------------------------------------------------------------------
def _solve_fwd(xp, a, b, adjoint):
    a, dt = _lapack(a)
    b = np.asarray(b).astype(a.dtype, copy=False)
    if a.shape[:-2] != b.shape[:-2] or a.shape[-2] != b.shape[-2]:
        raise errors.InvalidArgumentError(
            None, None, f"MatrixSolve: input matrix and right-hand side must have the same "
            f"batch shape and number of rows: {a.shape}, {b.shape}")
    if a.shape[-1] == 0 or b.shape[-1] == 0:
        return np.zeros(b.shape, dt)
    if adjoint:
        a = np.conj(np.swapaxes(a, -1, -2))
    try:
        return np.linalg.solve(a, b).astype(dt, copy=False)
    except np.linalg.LinAlgError:
        raise errors.InvalidArgumentError(None, None, "Input matrix is not invertible.") \
            from None


def _solve_grad(xp, g, ans, a, b, adjoint):
    # TF's _MatrixSolveGrad
    grad_b = call(SOLVE, xp, (a, g), {"adjoint": not adjoint})
    if adjoint:
        return -xp.matmul(ans, _H(xp, grad_b)), grad_b
    return -xp.matmul(grad_b, _H(xp, ans)), grad_b


SOLVE = defop("tf.matrix_solve", _solve_fwd, _via_conjugate(_solve_grad), save="both",
              shape_rule=_solve_rule("MatrixSolve", False))


# -- self-adjoint eigendecomposition ---------------------------------------------------------
def _eigh_fwd(xp, x):
    a, dt = _lapack(x)
    if a.shape[-1] == 0:
        return np.zeros(a.shape[:-1], dt), np.zeros(a.shape, dt)
    e, v = np.linalg.eigh(a)            # (the lower triangle, as TF's)
    return e.astype(dt), v.astype(dt, copy=False)   # (e has the input's dtype in TF)


def _eigh_grad(xp, g, ans, x):
    # TF's _SelfAdjointEigV2Grad (compute_v=True)
    e, v = ans
    ge, gv = g
    f = _f_matrix(xp, e)                                   # f[i, j] = 1 / (e_j - e_i)
    vh = _H(xp, v)
    grad_a = xp.matmul(v * _row(xp, ge), vh) + xp.matmul(
        v, xp.matmul(f * xp.matmul(vh, gv), vh))
    return (_lower_sym(xp, grad_a),)


def _eigvals_fwd(xp, x):
    return _eigh_fwd(xp, x)[0]


def _eigvals_grad(xp, g, ans, x):
    # TF's _SelfAdjointEigV2Grad (compute_v=False): the eigenvectors recomputed
    v = call(EIGH, xp, (x,))[1]
    return (_lower_sym(xp, xp.matmul(v * _row(xp, g), _H(xp, v))),)


def _eigh_rule(args, params):
    s = args[0]._shape
    _need_square(s, "SelfAdjointEigV2")
    dt = args[0]._np_dtype
    if s is None:
        return [(None, dt), (None, dt)]
    n = _merge(s[-2], s[-1])
    return [(tuple(s[:-2]) + (n,), dt), (tuple(s[:-2]) + (n, n), dt)]


EIGH = defop("tf.self_adjoint_eig", _eigh_fwd, _via_conjugate(_eigh_grad), save="ans",
             multi=True, shape_rule=_eigh_rule)
EIGVALSH = defop("tf.self_adjoint_eigvals", _eigvals_fwd, _via_conjugate(_eigvals_grad),
                 save="inputs", shape_rule=lambda args, params: _eigh_rule(args, params)[:1])


# -- SVD -------------------------------------------------------------------------------------
def _real_dtype(dt):
    return np.dtype(np.float32 if dt == np.complex64 else
                    np.float64 if dt == np.complex128 else dt)


def _svd_fwd(xp, x, full_matrices):
    a, dt = _lapack(x)
    m, n = a.shape[-2:]
    p = min(m, n)
    if p == 0:
        batch = a.shape[:-2]
        eye = np.eye
        return (np.zeros(batch + (0,), _real_dtype(dt)),
                np.broadcast_to(eye(m, m if full_matrices else 0, dtype=dt), batch +
                                (m, m if full_matrices else 0)).copy(),
                np.broadcast_to(eye(n, n if full_matrices else 0, dtype=dt), batch +
                                (n, n if full_matrices else 0)).copy())
    u, s, vh = np.linalg.svd(a, full_matrices=full_matrices)
    v = np.conj(np.swapaxes(vh, -1, -2)) if np.iscomplexobj(vh) else np.swapaxes(vh, -1, -2)
    return (s.astype(_real_dtype(dt), copy=False), u.astype(dt, copy=False),
            np.ascontiguousarray(v).astype(dt, copy=False))


def _svdvals_fwd(xp, x):
    a, dt = _lapack(x)
    if min(a.shape[-2:]) == 0:
        return np.zeros(a.shape[:-2] + (0,), _real_dtype(dt))
    return np.linalg.svd(a, compute_uv=False).astype(_real_dtype(dt), copy=False)


def _svd_grad(xp, g, ans, x, full_matrices):
    # TF's _SvdGrad (compute_uv=True)
    gs, gu, gv = g
    s, u, v = ans
    m, n = _shape(x)[-2:]
    if m is None or n is None:
        raise NotImplementedError("SVD gradient has not been implemented for input with "
                                  "unknown inner matrix shape.")
    cplx = xp.isdtype(x.dtype, "complex floating")
    if cplx:
        s = xp.astype(s, x.dtype)
        gs = xp.astype(gs, x.dtype)
    use_adjoint = m > n
    if use_adjoint:
        m, n = n, m
        u, v = v, u
        gu, gv = gv, gu
    if full_matrices and abs(m - n) > 1:
        raise NotImplementedError(
            "svd gradient is not implemented for abs(m - n) > 1 when full_matrices is "
            f"True. Received: m={m} and n={n} from op input with shape {_shape(x)}.")
    s2 = s * s
    f = _f_matrix(xp, s2)
    sinv = _safe_reciprocal(s)
    v1 = v[..., :, :m]
    gv1 = gv[..., :, :m]
    u_gu = xp.matmul(_H(xp, u), gu)
    v_gv = xp.matmul(_H(xp, v1), gv1)
    f_u = f * u_gu
    f_v = f * v_gv
    nouv = (f_u + _H(xp, f_u)) * _row(xp, s) + _col(xp, s) * (f_v + _H(xp, f_v))
    v1h = _H(xp, v1)
    grad = xp.matmul(u * _row(xp, gs), v1h) + xp.matmul(u, xp.matmul(nouv, v1h))
    if m != n:
        gv1t = _H(xp, gv1)
        term2 = gv1t - xp.matmul(xp.matmul(gv1t, v1), v1h)
        if full_matrices:
            v2 = v[..., :, m:n]
            gv2 = gv[..., :, m:n]
            term2 = term2 - xp.matmul(xp.matmul(v1h, gv2), _H(xp, v2))
        grad = grad + xp.matmul(u * _row(xp, sinv), term2)
    if cplx:
        d = _diag_of_product(xp, v1, gv1)            # diag(V1^H gV1)
        w = sinv * (xp.conj(d) - d) * 0.5
        grad = grad + xp.matmul(u * _row(xp, w), v1h)
    return (_H(xp, grad) if use_adjoint else grad,)


def _svdvals_grad(xp, g, ans, x):
    # TF's _SvdGrad (compute_uv=False): U diag(gs) V^H from a recomputed SVD
    s, u, v = call(SVD, xp, (x,), {"full_matrices": False})
    if xp.isdtype(x.dtype, "complex floating"):
        g = xp.astype(g, x.dtype)
    return (xp.matmul(u * _row(xp, g), _H(xp, v)),)


def _svd_rule(args, params):
    s = args[0]._shape
    _need_rank2(s, "Svd")
    dt = np.dtype(args[0]._np_dtype)
    rdt = _real_dtype(dt)
    full = params.get("full_matrices", False)
    if s is None:
        return [(None, rdt), (None, dt), (None, dt)]
    batch, (m, n) = tuple(s[:-2]), s[-2:]
    p = None if m is None or n is None else min(m, n)
    return [(batch + (p,), rdt), (batch + (m, m if full else p), dt),
            (batch + (n, n if full else p), dt)]


SVD = defop("tf.svd", _svd_fwd, _via_conjugate(_svd_grad), save="both", multi=True,
            shape_rule=_svd_rule)
SVDVALS = defop("tf.svdvals", _svdvals_fwd, _via_conjugate(_svdvals_grad), save="inputs",
                shape_rule=lambda args, params: _svd_rule(args, params)[:1])


# -- QR --------------------------------------------------------------------------------------
def _qr_fwd(xp, x, full_matrices):
    a, dt = _lapack(x)
    m, n = a.shape[-2:]
    if min(m, n) == 0:
        k = m if full_matrices else min(m, n)
        batch = a.shape[:-2]
        return (np.broadcast_to(np.eye(m, k, dtype=dt), batch + (m, k)).copy(),
                np.zeros(batch + (k, n), dt))
    q, r = np.linalg.qr(a, mode="complete" if full_matrices else "reduced")
    return q.astype(dt, copy=False), r.astype(dt, copy=False)


def _qr_grad(xp, g, ans, x, full_matrices):
    # TF's _QrGrad (arXiv 2009.10071)
    dq, dr = g
    q, r = ans
    rs, qs = _shape(r), _shape(q)
    if None in rs[-2:]:
        raise NotImplementedError("QrGrad not implemented with dynamic shapes. Received "
                                  f"r.shape: {rs}")
    if rs[-2] > rs[-1] and qs[-2] == qs[-1]:
        raise NotImplementedError("QrGrad not implemented when nrows > ncols and "
                                  f"full_matrices is true. Received r.shape={rs} with "
                                  f"nrows={rs[-2]}and ncols={rs[-1]}.")
    cplx = xp.isdtype(x.dtype, "complex floating")

    def tri(b, r):
        # b R^-H for upper-triangular R
        return _H(xp, _trisolve(xp, r, _H(xp, b), False, False))

    def square_deep(q, r, dq, dr):
        qdq = xp.matmul(_H(xp, q), dq)
        rdr = xp.matmul(r, _H(xp, dr))
        low = xp.tril(qdq - _H(xp, qdq) + rdr - _H(xp, rdr))
        ret = xp.matmul(q, dr + tri(low, r)) + tri(dq - xp.matmul(q, qdq), r)
        if cplx:
            d = xp.sum(r * xp.conj(dr), axis=-1) - xp.conj(_diag_of_product(xp, q, dq))
            corr = d - xp.astype(xp.real(d), d.dtype)     # i Im(diag(R dR^H - dQ^H Q))
            ret = ret + tri(q * _row(xp, xp.conj(corr)), r)
        return ret

    nrows, ncols = qs[-2], rs[-1]
    if nrows >= ncols:
        return (square_deep(q, r, dq, dr),)
    y = x[..., :, nrows:]
    u = r[..., :, :nrows]
    dv = dr[..., :, nrows:]
    du = dr[..., :, :nrows]
    dy = xp.matmul(q, dv)
    dx = square_deep(q, u, dq + xp.matmul(y, _H(xp, dv)), du)
    return (xp.concat([dx, dy], axis=-1),)


def _qr_rule(args, params):
    s = args[0]._shape
    _need_rank2(s, "Qr")
    dt = args[0]._np_dtype
    if s is None:
        return [(None, dt), (None, dt)]
    batch, (m, n) = tuple(s[:-2]), s[-2:]
    if params["full_matrices"]:
        return [(batch + (m, m), dt), (batch + (m, n), dt)]
    p = None if m is None or n is None else min(m, n)
    return [(batch + (m, p), dt), (batch + (p, n), dt)]


QR = defop("tf.qr", _qr_fwd, _via_conjugate(_qr_grad), save="both", multi=True,
           shape_rule=_qr_rule)


# -- log-determinant -------------------------------------------------------------------------
def _slogdet_fwd(xp, x):
    a, dt = _lapack(x)
    if a.shape[-1] == 0:
        return np.ones(a.shape[:-2], dt), np.zeros(a.shape[:-2], dt)
    with np.errstate(all="ignore"):
        sign, logabs = np.linalg.slogdet(a)
    return np.asarray(sign).astype(dt), np.asarray(logabs).astype(dt)


def _slogdet_grad(xp, g, ans, x):
    # TF's _LogMatrixDeterminantGrad: the sign's cotangent is not used
    _, gl = g
    inv_h = xp.linalg.inv(_H(xp, x))
    return (xp.expand_dims(xp.expand_dims(gl, axis=-1), axis=-1) * inv_h,)


def _slogdet_rule(args, params):
    s = args[0]._shape
    _need_square(s, "LogMatrixDeterminant")
    dt = args[0]._np_dtype
    b = None if s is None else tuple(s[:-2])
    return [(b, dt), (b, dt)]


SLOGDET = defop("tf.slogdet", _slogdet_fwd, _via_conjugate(_slogdet_grad), save="inputs",
                multi=True, shape_rule=_slogdet_rule)


# -- public functions ------------------------------------------------------------------------
def _input(x, op_type, name="input"):
    t = convert_to_tensor(x, name=name)
    _check_dtype(t, op_type, name)
    return t


def _eager_shape_check(t, check, op_type, *others):
    """The graph's static checks on an eager value (its shape is known)."""
    if not hasattr(t, "_shape"):
        try:
            check(tuple(t.shape), op_type, *[tuple(o.shape) for o in others])
        except ValueError as e:     # (eager TF: the kernel's InvalidArgumentError)
            raise errors.InvalidArgumentError(None, None, str(e)) from None


def _eager_rule_check(rule, *ts):
    if not hasattr(ts[0], "_shape"):
        try:
            rule([_Spec(t) for t in ts], {})
        except ValueError as e:
            raise errors.InvalidArgumentError(None, None, str(e)) from None


def cholesky(input, name=None):  # noqa: A002
    """The Cholesky factor ``L`` (lower triangular, ``L L^H = input``) of each matrix in the
    last two axes; only the lower triangle of ``input`` is read. A matrix that is not
    positive definite raises ``InvalidArgumentError`` when run (TF 1.x's CPU kernel).

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     print(s.run(tf.cholesky([[4.0, 2.0], [2.0, 5.0]])))
    [[2. 0.]
     [1. 2.]]
    """
    def f():
        t = _input(input, "Cholesky")
        _eager_shape_check(t, _need_square, "Cholesky")
        return apply(CHOLESKY, (t,))
    return build(name, "Cholesky", f, graph_args=(input,))


def _two_inputs(matrix, rhs, op_type, names=("matrix", "rhs")):
    a, b = convert_same([matrix, rhs], names=names, op_type=op_type)
    _check_dtype(a, op_type, names[0])
    return a, b


def matrix_triangular_solve(matrix, rhs, lower=True, adjoint=False, name=None):
    """``X`` with ``matrix @ X = rhs`` (``adjoint(matrix) @ X = rhs`` with ``adjoint``)
    for triangular ``matrix``: only its lower (``lower=True``) or upper triangle is read.
    Batch dims broadcast.

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     print(s.run(tf.matrix_triangular_solve([[2.0, 0.0], [1.0, 4.0]], [[2.0], [9.0]])))
    [[1.]
     [2.]]
    """
    def f():
        a, b = _two_inputs(matrix, rhs, "MatrixTriangularSolve")
        _eager_rule_check(_solve_rule("MatrixTriangularSolve", True), a, b)
        return apply(TRISOLVE, (a, b), {"lower": bool(lower), "adjoint": bool(adjoint)})
    return build(name, "triangular_solve", f, graph_args=(matrix, rhs))


class _Spec:
    """An eager value seen as a static-shape record, to run a shape rule's checks."""

    def __init__(self, t):
        self._shape = tuple(t.shape)
        self._np_dtype = np.dtype(t.dtype)


def matrix_solve(matrix, rhs, adjoint=False, name=None):
    """``X`` with ``matrix @ X = rhs`` (``adjoint(matrix) @ X = rhs`` with ``adjoint``),
    for each square matrix in the last two axes (batch dims equal). A singular matrix
    raises ``InvalidArgumentError`` when run.

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     print(s.run(tf.matrix_solve([[2.0, 1.0], [1.0, 3.0]], [[3.0], [5.0]])))
    [[0.8]
     [1.4]]
    """
    def f():
        a, b = _two_inputs(matrix, rhs, "MatrixSolve")
        _eager_rule_check(_solve_rule("MatrixSolve", False), a, b)
        return apply(SOLVE, (a, b), {"adjoint": bool(adjoint)})
    return build(name, "MatrixSolve", f, graph_args=(matrix, rhs))


def cholesky_solve(chol, rhs, name=None):
    """``X`` with ``A @ X = rhs`` given ``chol = tf.cholesky(A)``: two triangular solves.

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     c = tf.cholesky([[4.0, 2.0], [2.0, 5.0]])
    ...     print(s.run(tf.cholesky_solve(c, [[6.0], [7.0]])))
    [[1.]
     [1.]]
    """
    def f():
        c, b = _two_inputs(chol, rhs, "MatrixTriangularSolve", names=("matrix", "rhs"))
        y = matrix_triangular_solve(c, b, lower=True, adjoint=False)
        return matrix_triangular_solve(c, y, lower=True, adjoint=True)
    return build(name, "cholesky_solve", f, graph_args=(chol, rhs))


def _gramian_cholesky(a, l2, first_kind):
    from . import math_ops as M
    gram = M.matmul(a, a, adjoint_a=first_kind, adjoint_b=not first_kind)
    if not (isinstance(l2, (int, float)) and l2 == 0):
        s = _static(a)
        k = s[-1] if first_kind else s[-2]
        if k is None:
            k = M.shape(a)[-1 if first_kind else -2]
        if isinstance(l2, (int, float, np.generic)):
            l2 = convert_to_tensor(l2, dtype=gram.dtype)   # (0.3 stays 0.3 in float64)
        gram = gram + M.cast(l2, gram.dtype) * M.eye(k, dtype=gram.dtype)
    return cholesky(gram)


def _lstsq_fwd(xp, a, b):
    a, dt = _lapack(a)
    b = np.asarray(b).astype(a.dtype, copy=False)
    batch = a.shape[:-2]
    out = np.zeros(batch + (a.shape[-1], b.shape[-1]), a.dtype)
    for i in np.ndindex(*batch):
        out[i] = np.linalg.lstsq(a[i], b[i], rcond=None)[0]
    return out.astype(dt, copy=False)


def _msls_fwd(xp, a, b, l2):
    """TF's fast least squares (Cholesky of the regularized normal equations), the
    formula chosen by the shape at run time."""
    a, dt = _lapack(a)
    b = np.asarray(b).astype(a.dtype, copy=False)
    ah = np.conj(np.swapaxes(a, -1, -2))
    m, n = a.shape[-2:]
    first = m >= n
    gram = ah @ a if first else a @ ah
    gram = gram + np.asarray(l2, a.dtype) * np.eye(gram.shape[-1], dtype=a.dtype)
    chol = _cholesky_fwd(xp, gram)
    if first:
        return _chol_solve(chol, ah @ b).astype(dt, copy=False)
    return (ah @ _chol_solve(chol, b)).astype(dt, copy=False)


def _chol_solve(chol, b):
    y = _trisolve_fwd(None, chol, b, True, False)
    return _trisolve_fwd(None, chol, y, True, True)


def _msls_grad_fwd(xp, a, b, x, g, l2):
    """TF's _MatrixSolveLsGrad (its _Overdetermined / _Underdetermined by the run-time
    shape), in TF's (conjugate) convention."""
    a, dt = _lapack(a)
    b, x, g = (np.asarray(v).astype(a.dtype, copy=False) for v in (b, x, g))
    ah = np.conj(np.swapaxes(a, -1, -2))
    H = lambda v: np.conj(np.swapaxes(v, -1, -2))  # noqa: E731
    m, n = a.shape[-2:]
    if m >= n:
        gram = ah @ a + np.asarray(l2, a.dtype) * np.eye(n, dtype=a.dtype)
        z = _chol_solve(_cholesky_fwd(xp, gram), g)
        xzt = x @ H(z)
        ga = -a @ (xzt + np.swapaxes(xzt, -1, -2)) + b @ H(z)
        gb = a @ z
    else:
        gram = a @ ah + np.asarray(l2, a.dtype) * np.eye(m, dtype=a.dtype)
        chol = _cholesky_fwd(xp, gram)
        gb = _chol_solve(chol, a @ g)
        tmp = _chol_solve(chol, b)
        ga = -gb @ (H(tmp) @ a) + tmp @ H(g - ah @ gb)
    return ga.astype(dt, copy=False), gb.astype(dt, copy=False)


def _msls_vjp(xp, g, ans, a, b, l2):
    ga, gb = call(MSLS_GRAD, xp, (a, b, ans, g, l2))
    return ga, gb, None


MSLS_GRAD = defop("tf.matrix_solve_ls_grad", _msls_grad_fwd, None, save="none", multi=True,
                  nograd="no second derivative of matrix_solve_ls with unknown matrix dims "
                  "(give the matrix a static shape: the gradient is then built of ops "
                  "that differentiate again)",
                  shape_rule=lambda args, params: [(args[0]._shape, args[0]._np_dtype),
                                                   (args[1]._shape, args[1]._np_dtype)])
MSLS = defop("tf.matrix_solve_ls", _msls_fwd, _via_conjugate(_msls_vjp), save="both",
             shape_rule=lambda args, params: [(
                 None if args[0]._shape is None or args[1]._shape is None else
                 tuple(args[0]._shape[:-2]) + (args[0]._shape[-1], args[1]._shape[-1]),
                 args[0]._np_dtype)])

LSTSQ_SLOW = defop("tf.matrix_solve_ls_slow", _lstsq_fwd, None, save="none",
                   nograd="Gradient not defined for fast=False (TF's MatrixSolveLs)")


def matrix_solve_ls(matrix, rhs, l2_regularizer=0.0, fast=True, name=None):
    """The least-squares solutions ``X`` of ``matrix @ X = rhs`` (each matrix in the last
    two axes): with ``fast`` (TF's default) from the Cholesky factor of the regularized
    normal equations, ``(A^H A + l2 I)^-1 A^H rhs`` for tall and square ``A``,
    ``A^H (A A^H + l2 I)^-1 rhs`` for wide ones; with ``fast=False`` the minimum-norm
    solution (``l2_regularizer`` ignored, no gradient -- TF's).

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     print(s.run(tf.matrix_solve_ls([[1.0, 0.0], [0.0, 2.0], [0.0, 0.0]],
    ...                                    [[1.0], [4.0], [5.0]])))
    [[1.]
     [2.]]
    """
    def f():
        a, b = _two_inputs(matrix, rhs, "MatrixSolveLs")
        if np.dtype(_dt(a)) == np.complex128 and not (
                isinstance(l2_regularizer, (int, float)) and l2_regularizer == 0):
            raise NotImplementedError("matrix_solve_ls is currently disabled for complex128 "
                                      "and l2_regularizer != 0 due to poor accuracy.")
        sa, sb = _static(a), _static(b)
        _need_rank2(sa, "MatrixSolveLs", sb)
        _need_rank2(sb, "MatrixSolveLs", sa)
        if not fast:
            if sa is not None and sb is not None and sa[-2] is not None and \
                    sb[-2] is not None and sa[-2] != sb[-2]:
                raise ValueError(f"Dimensions must be equal, but are {sa[-2]} and {sb[-2]} "
                                 f"for 'MatrixSolveLs' with input shapes: {_fmt(sa)}, "
                                 f"{_fmt(sb)}.")
            return apply(LSTSQ_SLOW, (a, b))
        from . import math_ops as M
        if sa is None or sa[-2] is None or sa[-1] is None:
            # the formula chosen at run time (TF: a tf.cond); TF's MatrixSolveLs gradient
            l2 = (convert_to_tensor(l2_regularizer, dtype=_dt(a))
                  if isinstance(l2_regularizer, (int, float, np.generic))
                  else M.cast(l2_regularizer, _dt(a)))
            return apply(MSLS, (a, b, l2))
        if sa[-2] >= sa[-1]:
            chol = _gramian_cholesky(a, l2_regularizer, True)
            return cholesky_solve(chol, M.matmul(a, b, adjoint_a=True))
        chol = _gramian_cholesky(a, l2_regularizer, False)
        return M.matmul(a, cholesky_solve(chol, b), adjoint_a=True)
    return build(name, "matrix_solve_ls", f, graph_args=(matrix, rhs))


def _dt(t):
    return t._np_dtype if hasattr(t, "_np_dtype") else t.dtype


def self_adjoint_eig(tensor, name=None):
    """The eigenvalues (ascending) and eigenvectors (columns) of each self-adjoint matrix
    in the last two axes: ``(e, v)``; only the lower triangle is read. The eigenvalues have
    the input's dtype (complex for a complex input, as TF). Eigenvector signs are LAPACK's
    (TF's Eigen may pick the other sign).

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     e, v = s.run(tf.self_adjoint_eig([[2.0, 0.0], [0.0, 1.0]]))
    ...     print(e)
    ...     print(abs(v))
    [1. 2.]
    [[0. 1.]
     [1. 0.]]
    """
    def f():
        t = _input(tensor, "SelfAdjointEigV2")
        _eager_shape_check(t, _need_square, "SelfAdjointEigV2")
        return tuple(apply(EIGH, (t,)))
    return build(name, "SelfAdjointEigV2", f, graph_args=(tensor,))


def self_adjoint_eigvals(tensor, name=None):
    """The eigenvalues (ascending) of each self-adjoint matrix in the last two axes.

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     print(s.run(tf.self_adjoint_eigvals([[2.0, 0.0], [0.0, 1.0]])))
    [1. 2.]
    """
    def f():
        t = _input(tensor, "SelfAdjointEigV2")
        _eager_shape_check(t, _need_square, "SelfAdjointEigV2")
        return apply(EIGVALSH, (t,))
    return build(name, "SelfAdjointEigV2", f, graph_args=(tensor,))


def svd(tensor, full_matrices=False, compute_uv=True, name=None):
    """The singular value decomposition ``tensor = u @ diag(s) @ adjoint(v)`` of each
    matrix in the last two axes, as ``(s, u, v)`` (TF's order, and ``v``, not its adjoint);
    ``s`` alone with ``compute_uv=False``. ``s`` is real and descending. Singular vector
    signs are LAPACK's (TF's Eigen may pick the other sign of a pair).

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     print(s.run(tf.svd([[3.0, 0.0], [0.0, -4.0]], compute_uv=False)))
    [4. 3.]
    """
    def f():
        t = _input(tensor, "Svd")
        _eager_shape_check(t, _need_rank2, "Svd")
        if not compute_uv:
            return apply(SVDVALS, (t,))
        return tuple(apply(SVD, (t,), {"full_matrices": bool(full_matrices)}))
    return build(name, "Svd", f, graph_args=(tensor,))


def qr(input, full_matrices=False, name=None):  # noqa: A002
    """The QR decomposition ``input = q @ r`` of each matrix in the last two axes (``q``
    with orthonormal columns, ``r`` upper triangular); ``full_matrices`` gives the square
    ``q``.

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     q, r = s.run(tf.qr([[3.0, 0.0], [4.0, 5.0]]))
    ...     print(q)
    ...     print(r)
    [[-0.6 -0.8]
     [-0.8  0.6]]
    [[-5. -4.]
     [ 0.  3.]]
    """
    def f():
        t = _input(input, "Qr")
        _eager_shape_check(t, _need_rank2, "Qr")
        return _Qr(*apply(QR, (t,), {"full_matrices": bool(full_matrices)}))
    return build(name, "Qr", f, graph_args=(input,))


def slogdet(input, name=None):  # noqa: A002
    """``(sign, log_abs_determinant)`` of each square matrix in the last two axes, both in
    the input's dtype (the sign of a complex determinant is its phase ``det / |det|``).

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     sign, log_abs_det = s.run(tf.linalg.slogdet([[1.0, 2.0], [3.0, 4.0]]))
    ...     print(sign, log_abs_det)
    -1.0 0.6931472
    """
    def f():
        t = _input(input, "LogMatrixDeterminant")
        _eager_shape_check(t, _need_square, "LogMatrixDeterminant")
        return _Slogdet(*apply(SLOGDET, (t,)))
    return build(name, "LogMatrixDeterminant", f, graph_args=(input,))


def logdet(matrix, name=None):
    """``log(det(matrix))`` of each Hermitian positive definite matrix, from its Cholesky
    factor: ``2 * sum(log(real(diag(chol))))``.

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     print(s.run(tf.linalg.logdet([[4.0, 2.0], [2.0, 5.0]])))
    2.7725887
    """
    def f():
        from . import math_ops as M
        from .array_ops import matrix_diag_part
        chol = cholesky(matrix)
        return 2.0 * M.reduce_sum(M.log(M.real(matrix_diag_part(chol))), axis=[-1])
    return build(name, "logdet", f, graph_args=(matrix,))


def adjoint(matrix, name=None):
    """The conjugate transpose of each matrix in the last two axes.

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     print(s.run(tf.linalg.adjoint([[1 + 1j, 2 + 2j], [3 + 3j, 4 + 4j]])))
    [[1.-1.j 3.-3.j]
     [2.-2.j 4.-4.j]]
    """
    from .array_ops import matrix_transpose

    def f():
        return matrix_transpose(convert_to_tensor(matrix, name="matrix"), conjugate=True)
    return build(name, "adjoint", f, graph_args=(matrix,))


import collections as _collections  # noqa: E402

_Qr = _collections.namedtuple("Qr", ["q", "r"])
_Slogdet = _collections.namedtuple("LogMatrixDeterminant", ["sign", "log_abs_determinant"])


def cross(a, b, name=None):
    """The cross product of the 3-element vectors in the last axis of ``a`` and ``b``
    (``tf.linalg.cross``; both of one shape, which TF does not broadcast).

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     print(s.run(tf.cross([1.0, 0.0, 0.0], [0.0, 1.0, 0.0])))
    [0. 0. 1.]
    """
    def f():
        x, y = convert_same([a, b], names=("a", "b"), op_type="Cross")
        _op_dtypes.check("cross", _dt(x), "a", "Cross")
        _eager_rule_check(_ops.CROSS.shape_rule, x, y)
        return apply(_ops.CROSS, (x, y))
    return build(name, "Cross", f, graph_args=(a, b))

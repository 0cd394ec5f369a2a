"""Ops of the array API ``linalg`` extension, each with its gradient rule beside it.

The public functions (with the standard's signatures, checks and docstrings) are in
``ndgrad/linalg.py``; this file holds the ops. A rule is ``vjp(xp, g, ans, *inputs,
**params)`` over the namespace ``xp`` it is given: the raw backend namespace for a
first-order backward, ndgrad itself for higher orders. Rules therefore use only names that
exist in both (``xp.matmul``, ``xp.matrix_transpose``, ``xp.linalg.solve``, ``xp.linalg.inv``,
``xp.linalg.svd`` ...), and never NumPy directly, so they differentiate again.

Complex cotangents follow JAX's convention: the cotangent ``c`` of ``z`` stands for the
real linear map ``dz -> real(c * dz)`` (holomorphic rules multiply by the derivative
without conjugating); a real input gets the real part. The rules of the decompositions
are the textbook formulas (with ``^H``), which are in the conjugate convention; the
wrapper ``_via_conjugate`` converts. Gradients of complex decompositions are exact for
losses that do not depend on the phase of each singular/eigen vector. The symmetric
(Hermitian) ones, ``cholesky``, ``eigh``, ``eigvalsh``, read only one triangle of their
input (as NumPy: the lower one, or ``UPLO``'s), and the real part of its diagonal; their
gradient is that of the function as computed, so it lies in that triangle (see
``_one_triangle``) and agrees with finite differences of ndgrad's own function.
"""
from __future__ import annotations

from .._backend import _backends_by_type, backend_of
from .registry import defop, nondiff
from . import registry as _registry
from . import numpy_exact as _numpy_exact


# -- helpers shared by the rules (raw namespace or ndgrad alike) -------------------------
def _shape(a):
    """``a.shape`` as ints (graph tensors give Dimension objects; None where unknown)."""
    return tuple(getattr(d, "value", d) for d in a.shape)


def _T(xp, a):
    return xp.matrix_transpose(a)


def _mm(xp, *ms):
    out = ms[0]
    for m in ms[1:]:
        out = xp.matmul(out, m)
    return out


def _is_complex(xp, a):
    return xp.isdtype(a.dtype, "complex floating")


def _conj(xp, a):
    return xp.conj(a) if _is_complex(xp, a) else a


def _H(xp, a):
    """Conjugate transpose of the last two axes."""
    return _conj(xp, _T(xp, a))


def _mat(xp, v):
    """(...,) -> (..., 1, 1), to scale a stack of matrices."""
    return xp.expand_dims(xp.expand_dims(v, axis=-1), axis=-1)


def _col(xp, v):
    """(..., n) -> (..., n, 1)."""
    return xp.expand_dims(v, axis=-1)


def _row(xp, v):
    """(..., n) -> (..., 1, n)."""
    return xp.expand_dims(v, axis=-2)


def _device_kw(like):
    """``device=`` of ``like`` (graph tensors have none: "" -- then the default)."""
    dev = getattr(like, "device", None)
    return {"device": dev} if dev else {}


def _eye(xp, n, like, m=None, k=0):
    return xp.eye(n, m, k=k, dtype=like.dtype, **_device_kw(like))


def _off_diag_inverse(xp, w):
    """F[..., i, j] = 1 / (w[j] - w[i]) off the diagonal, 0 on it (distinct w assumed)."""
    n = _shape(w)[-1]
    eye = _eye(xp, n, w)
    diff = _row(xp, w) - _col(xp, w)
    return (1 - eye) / (diff + eye)


def _times_f(xp, f, prod):
    """``f * prod`` for ``f = _off_diag_inverse(...)``, 0 where ``f`` is infinite (a
    repeated eigenvalue or singular value) and ``prod`` is 0: a term whose cotangent is 0
    there (the eigenvectors or singular vectors unused: ``eigh(a)[0]``, ``svd(a)[1]`` of
    the identity) adds nothing, not ``0 * inf = nan``. A nonzero cotangent on a repeated
    pair stays infinite or nan: that derivative does not exist. Only on concrete backend
    arrays (a first-order backward's values): anything else -- a recorded rule (higher
    orders, and forward mode, which differentiates this rule at a zero cotangent), a
    traced or symbolic value -- keeps the plain product, linear in ``prod``."""
    out = f * prod
    if _backends_by_type.get(type(prod)) is None:
        return out
    return xp.where(xp.isinf(f) & (prod == 0), xp.zeros_like(out), out)


def _real_if(xp, ct, real_input):
    return xp.real(ct) if real_input and _is_complex(xp, ct) else ct


def _as_tuple(xp, out):
    return tuple(xp.asarray(o) for o in out)


def _via_conjugate(rule):
    """A rule written in the conjugate convention (PyTorch's: the cotangent ``c`` of ``z``
    stands for ``dz -> real(conj(c) * dz)``, the textbook formulas with ``^H``) as a rule in
    ours: conjugate the cotangents going in and coming out (no-ops on real arrays)."""
    def vjp(xp, g, ans, *inputs, **params):
        g = [_conj(xp, gi) for gi in g] if isinstance(g, list) else _conj(xp, g)
        out = rule(xp, g, ans, *inputs, **params)
        return tuple(None if o is None else _conj(xp, o) for o in out)
    vjp.__name__ = rule.__name__
    return vjp


def _strip_unused(xp, part, what):
    """Refuse a gradient that would reach outputs the rule cannot handle (a host check in a
    backward pass, only on the rare full-size decompositions of non-square matrices)."""
    if float(xp.sum(xp.abs(part))) != 0.0:
        raise ValueError(f"{what}: no gradient through the extra columns of a full-size "
                         "decomposition of a non-square matrix; use the reduced form")


# -- static shapes in graph mode ---------------------------------------------------------
def _invertible_dummies_rule(forward):
    """A graph-mode shape rule: run ``forward`` on invertible stand-ins (2 * identity) of the
    inputs' static shapes, unknown dims tried at two sizes (the zeros the graph would use
    otherwise are singular: inv, solve, cholesky would fail); one (shape, dtype) per output,
    also for an input of unknown rank."""
    def rule(args, params):
        import numpy as np  # the stand-ins are NumPy arrays whatever the backend
        from .._backend import numpy_backend
        from .. import _dtypes
        symbolic = tuple(_registry.graph_hooks["types"])

        def dummy(a, sub):
            if not isinstance(a, symbolic):
                return a
            dt = _dtypes.as_dtype(a.dtype)
            if a.shape.rank is None:
                return None
            shape = tuple(sub if d is None else d for d in a.shape.as_list())
            if len(shape) < 2:
                return np.ones(shape, dtype=dt)
            return np.broadcast_to(np.eye(shape[-2], shape[-1], dtype=dt) * 2, shape).copy()

        def run(ins):
            out = forward(numpy_backend.xp, *ins, **params)
            return [np.asarray(o) for o in (out if isinstance(out, tuple) else (out,))]

        runs = []
        for sub in (2, 3):
            ins = [dummy(a, sub) for a in args]
            if any(d is None for d in ins):  # unknown rank: dtypes only
                sq = [np.eye(2) * 2 if isinstance(a, symbolic) else a for a in args]
                return [(None, o.dtype) for o in run(sq)]
            runs.append(run(ins))
        return [(tuple(x if x == y else None for x, y in zip(a.shape, b.shape)), a.dtype)
                for a, b in zip(*runs)]
    return rule


# -- inv, det, slogdet, solve --------------------------------------------------------
def _inv_vjp(xp, g, ans, x):
    at = _T(xp, ans)
    return (-_mm(xp, at, g, at),)


def _inv_forward(xp, x):
    return xp.linalg.inv(x)


inv_op = defop("linalg.inv", _inv_forward, _inv_vjp, save="ans",
               shape_rule=_invertible_dummies_rule(_inv_forward))


def _det_vjp(xp, g, ans, x):
    # d det / dA is the cofactor matrix adj(A)^T, det(A) A^-T where A is invertible; a
    # singular A (a zero determinant, or one inv cannot invert) has a cofactor matrix too
    # -- det is a polynomial -- which the SVD gives without dividing by a zero singular
    # value, as PyTorch's linalg_det_backward does. A recording rule (higher orders,
    # forward mode, graphs and nd.jit) records ``det_cotangent_op``: the same values, and
    # a rule of its own that stays exact at (nearly) singular matrices, where
    # det(A) A^-T differentiated again lost every digit (the second derivative 3x off at
    # a determinant of 1e-17, 4.3 off at a singular matrix under nd.jit) or raised.
    # Lazy Dask values keep det(A) A^-T (the singularity check would compute them).
    if isinstance(x, _registry.graph_hooks["types"]) or (
            isinstance(x, _registry.Array) and _concrete(x._data) is not None):
        return (_registry.apply(det_cotangent_op, (x, g, ans)),)
    if isinstance(x, _registry.Array) or backend_of(x).name == "dask":
        return (_mat(xp, g * ans) * _T(xp, xp.linalg.inv(x)),)
    if not bool(xp.any(ans == 0)):
        try:
            return (_mat(xp, g * ans) * _T(xp, xp.linalg.inv(x)),)
        except _numpy_exact.LinAlgError:
            pass
    return (_mat(xp, g) * _T(xp, _adjugate_svd(xp, x)),)


def _adjugate_svd(xp, x):
    """adj(A) of a (stack of) square matrices, singular ones too: with A = U S Vh,
    adj(A) = det(Vh) det(U) Vh^H adj(S) U^H, adj(S) the products of the other singular
    values (no division by a zero one)."""
    u, s, vh = xp.linalg.svd(x)
    _, before, after = _running_products(xp, s)
    others = before * after
    if _is_complex(xp, x):
        others = xp.astype(others, x.dtype)
    phase = xp.linalg.det(vh) * xp.linalg.det(u)
    return _mat(xp, phase) * xp.matmul(_H(xp, vh) * others[..., None, :], _H(xp, u))


# Above this reciprocal condition number (smallest over largest singular value) the
# rules below differentiated again (third and higher derivatives of det) use
# det(A) A^-T, exact to any order at an invertible matrix; below it, the SVD form, which
# has no derivative at repeated singular values (see _checked_svd_vjp). det(A) A^-T
# differentiated is about 1e-16 / rcond off (1e-12 at 1e-4, 0.9 at 1e-16, measured on
# 3 x 3 matrices against exact rational derivatives), the SVD form about 1e-15
_INV_RCOND = 1e-4
# Below this gap between two singular values (relative to the largest), the SVD form is
# not differentiated (its derivative divides by the gap)
_SVD_GAP = 1e-6


def _concrete(d):
    """The backend of raw array ``d`` when its values can be read now (not Dask's lazy
    ones, not a traced or symbolic value), else None."""
    b = _backends_by_type.get(type(d))
    return None if b is None or b.name == "dask" else b


def _singular_values(x):
    """(namespace, singular values) of recorded Array ``x``'s concrete values (a host
    check on a higher-order rule's input), or (None, None) for lazy or symbolic values."""
    d = x._data if isinstance(x, _registry.Array) else x
    b = _concrete(d)
    if b is None or not _shape(d)[-1]:
        return None, None
    return b.xp, b.xp.linalg.svdvals(d)


def _running_products(xp, s):
    """``(shifted, before, after)`` along the last axis of ``s``: ``s[j - 1]`` at ``j``
    (1 at 0), the product of the ``s[l]`` before ``l = i`` and of those after, each
    without a division (a zero ``s`` stays exact)."""
    ones = xp.ones_like(s[..., :1])
    shifted = xp.concat([ones, s[..., :-1]], axis=-1)
    before = xp.cumulative_prod(shifted, axis=-1)
    after = xp.flip(xp.cumulative_prod(xp.concat([ones, xp.flip(s[..., 1:], axis=-1)],
                                                 axis=-1), axis=-1), axis=-1)
    return shifted, before, after


def _well_conditioned(x):
    xp, s = _singular_values(x)
    return s is not None and bool(xp.all(s[..., -1] > s[..., 0] * _INV_RCOND))


def _pair_products(xp, s):
    """``P[..., i, j]``: the product of ``s[..., l]`` over every ``l`` but ``i`` and ``j``
    (``i != j``), without a division (a zero ``s`` stays exact); 0 on the diagonal."""
    n = _shape(s)[-1]
    shifted, before, after = _running_products(xp, s)   # (l < i and l > j below)
    idx = xp.arange(n, **_device_kw(s))
    zero = xp.zeros_like(_col(xp, s[..., :1]))                # (..., 1, 1)
    one = zero + 1
    above = _row(xp, idx) > _col(xp, idx) + 1                 # j > i + 1
    mid = xp.cumulative_prod(xp.where(above, _row(xp, shifted), one), axis=-1)
    upper = _col(xp, before) * mid * _row(xp, after)          # l < i, i < l < j, l > j
    up = _row(xp, idx) > _col(xp, idx)
    return xp.where(up, upper, xp.where(_T(xp, up), _T(xp, upper), zero))


def _checked_svd_vjp(xp, g, ans, x, full_matrices):
    """svd's rule, refused where two singular values of ``x`` are (nearly) equal or, for
    complex ``x``, one is 0 (there the SVD has no derivative: NaN or a wrong number). The
    SVD form of the adjugate's rule reads the SVD through this op only where a derivative
    of it is taken (a third derivative of det at an ill-conditioned matrix)."""
    raw, s = _singular_values(x)
    if s is not None:
        d = x._data if isinstance(x, _registry.Array) else x
        complex_ = _is_complex(raw, d)
        gaps = s[..., :-1] - s[..., 1:]
        if complex_:   # (the phase term divides by each singular value)
            gaps = raw.concat([gaps, s[..., -1:]], axis=-1)
        if bool(raw.any(gaps <= s[..., :1] * _SVD_GAP)):
            raise _numpy_exact.LinAlgError(
                "linalg.det: a third or higher derivative at an ill-conditioned matrix "
                f"(shape {_shape(d)}, dtype {d.dtype}) with two (nearly) equal singular "
                "values" + (" or a zero one" if complex_ else "") + " is not available: "
                "it reads the singular vectors' derivative, which does not exist there "
                "(the value and the first and second derivatives are exact)")
    return _via_conjugate(_svd_vjp)(xp, g, ans, x, full_matrices)


checked_svd_op = defop("linalg.checked_svd", lambda xp, x, full_matrices: _as_tuple(
    xp, xp.linalg.svd(x, full_matrices=full_matrices)), _checked_svd_vjp, save="both",
    multi=True)


def _adjugate_vjp(xp, g, ans, x):
    # adj is a polynomial; with x = U S Vh and dx = U B Vh (B = U^H dx Vh^H),
    # adj(x + dx) = c Vh^H adj(S + B) U^H exactly, c = det(Vh) det(U), and to first
    # order adj(S + B) - adj(S) is -B[i, j] P[i, j] off the diagonal and
    # sum_{k != i} B[k, k] P[i, k] on it (P: _pair_products of S). No singular value
    # divides, none is differenced: exact at singular and repeated singular values.
    # The transpose of that linear map (holomorphic: no conjugation) applied to g.
    if _registry.is_recorded(x):
        u, s, vh = _registry.apply(checked_svd_op, (x,), {"full_matrices": True})
    else:
        u, s, vh = xp.linalg.svd(x)
    p = _pair_products(xp, s)
    c = xp.linalg.det(vh) * xp.linalg.det(u)
    if _is_complex(xp, x):
        p = xp.astype(p, x.dtype)
        u, vh = _conj(xp, u), _conj(xp, vh)
    h = _mat(xp, c) * _mm(xp, vh, g, u)
    eye = _eye(xp, _shape(x)[-1], p)
    hd = xp.sum(h * eye, axis=-1)                              # diag(h)
    k = -h * p * (1 - eye) + eye * xp.matmul(p, _col(xp, hd))
    return (_mm(xp, u, k, vh),)


# adj(A) of square matrices by the SVD (no public function: the cofactor matrix of
# det_cotangent_op's rule)
adjugate_op = defop("linalg.adjugate", _adjugate_svd, _adjugate_vjp, save="inputs")


def _cofactor_vjp(xp, c, x):
    """The cotangent of ``x`` from ``c``, the cotangent of its cofactor matrix
    adj(x)^T: the SVD form (``_adjugate_vjp``, exact everywhere) on values and on an
    ill-conditioned recorded ``x``; det(x) x^-T's derivative, recorded, at a
    well-conditioned one (the SVD form's own derivative does not exist at repeated
    singular values: the identity's)."""
    if isinstance(x, _registry.Array) and _well_conditioned(x):
        inv_t = _T(xp, xp.linalg.inv(x))
        d = _mat(xp, xp.linalg.det(x))
        tr = _mat(xp, xp.sum(c * inv_t, axis=(-2, -1)))
        return d * (tr * inv_t - _mm(xp, inv_t, _T(xp, c), inv_t))
    return _adjugate_vjp(xp, _T(xp, c), None, x)[0]


def _det_cotangent_forward(xp, x, g, ans):
    return _det_vjp(xp, g, ans, x)[0]


def _det_cotangent_vjp(xp, ct, out, x, g, ans, _needs=None):
    # out = g adj(x)^T (ans = det(x) only helps compute it): x's cotangent is the
    # cofactor matrix's, g's the cofactor matrix contracted with ct; ans gets none
    gx = gg = None
    if _needs is None or _needs[0]:
        gx = _cofactor_vjp(xp, _mat(xp, g) * ct, x)
    if _needs is None or _needs[1]:
        adj = (_registry.apply(adjugate_op, (x,)) if _registry.is_recorded(x)
               else _adjugate_svd(xp, x))
        gg = xp.sum(ct * _T(xp, adj), axis=(-2, -1))
    return (gx, gg, None)


# det's cotangent g adj(x)^T (x, g, det(x)): det's recorded rule (see _det_vjp)
det_cotangent_op = defop("linalg.det_cotangent", _det_cotangent_forward,
                         _det_cotangent_vjp, save="inputs")


det_op = defop("linalg.det", lambda xp, x: xp.asarray(xp.linalg.det(x)), _det_vjp,
               save="both")


def _slogdet_vjp(xp, g, ans, x):
    # d logabsdet = re tr(A^-1 dA); a real sign is piecewise constant, a complex one (the
    # phase) moves: d sign = i sign im tr(A^-1 dA). logabsdet is real: a complex
    # cotangent (from real(logabsdet * c)) counts by its real part only
    ct = _registry.real_cotangent(xp, g[1])
    if _is_complex(xp, ans[0]):
        ct = ct + 1j * xp.imag(g[0] * ans[0])
    try:
        inv = xp.linalg.inv(x)
    except _numpy_exact.LinAlgError:
        raise _numpy_exact.LinAlgError(
            "the gradient of linalg.slogdet at a singular matrix is infinite (its "
            "logabsdet is -inf there); linalg.det has a finite gradient at such a "
            "matrix") from None
    return (_mat(xp, ct) * _T(xp, inv),)


slogdet_op = defop("linalg.slogdet", lambda xp, x: _as_tuple(xp, xp.linalg.slogdet(x)),
                   _slogdet_vjp, save="both", multi=True)


def _solve_vjp(xp, g, ans, a, b):
    at = _T(xp, a)
    if b.ndim == 1:  # b is one vector (for every matrix of the stack)
        gb = xp.linalg.solve(at, _col(xp, g))
        ga = -gb * _row(xp, ans)
        return (ga, xp.squeeze(gb, axis=-1))
    gb = xp.linalg.solve(at, g)
    return (-xp.matmul(gb, _T(xp, ans)), gb)


def _solve_forward(xp, a, b):
    return xp.linalg.solve(a, b)


solve_op = defop("linalg.solve", _solve_forward, _solve_vjp, save="both",
                 shape_rule=_invertible_dummies_rule(_solve_forward))


# -- cholesky, eigh, eigvalsh ------------------------------------------------------------
def _sym(xp, a):
    return (a + _H(xp, a)) * 0.5


def _one_triangle(xp, g, lower):
    """The gradient with respect to the input of a function that reads one triangle of
    it, from a cotangent ``g`` (ours, JAX's convention) valid for Hermitian perturbations
    of the matrix it builds: A[i, j] = x[i, j] and A[j, i] = conj(x[i, j]) in the triangle
    read (i > j for "L"), A[i, i] = real(x[i, i]). So x_bar = (g + g^H) off the diagonal
    in that triangle, real(g) on the diagonal, 0 in the other triangle. (JAX symmetrizes
    the input instead, (x + x^H) / 2, and gives the symmetric gradient; on a Hermitian x
    built from parameters both give the same chain-rule gradient.)"""
    full = g + _H(xp, g)
    off = xp.tril(full, k=-1) if lower else xp.triu(full, k=1)
    diag = g * _eye(xp, _shape(g)[-1], g)
    if _is_complex(xp, diag):
        diag = xp.astype(xp.real(diag), g.dtype)
    return off + diag


def _reading_triangle(rule, uplo=None):
    """A rule (ours) whose input is read in one triangle: the one ``uplo(params)`` names
    ("L" or "U"; cholesky's: "U" with ``upper``), or the op's ``uplo``."""
    def vjp(xp, g, ans, x, **params):
        (gx,) = rule(xp, g, ans, x, **params)
        return (_one_triangle(xp, gx, (uplo(params) if uplo else params["uplo"]) == "L"),)
    vjp.__name__ = rule.__name__
    return vjp


def _cholesky_vjp(xp, g, ans, x, upper):
    # U = L^H: L and its cotangent are the conjugate transposes (not just transposes)
    low = _H(xp, ans) if upper else ans
    gl = _H(xp, g) if upper else g
    n = _shape(low)[-1]
    # Murray (2016): A_bar = sym(L^-H Phi(L^H G) L^-1), Phi = lower part, halved diagonal
    phi = xp.tril(_mm(xp, _H(xp, low), gl)) * (1 - 0.5 * _eye(xp, n, low))
    linv = xp.linalg.inv(low)
    return (_sym(xp, _mm(xp, _H(xp, linv), phi, linv)),)


def _cholesky_forward(xp, x, upper):
    # the lower factor reads the lower triangle; the upper one the upper triangle, as
    # NumPy's (LAPACK's 'U' path) and SciPy's lower=False: for a matrix given by its
    # upper triangle alone (a triu of it) reading the lower one was a silent wrong factor
    if not upper:
        return xp.linalg.cholesky(x)
    if xp is _numpy_xp():
        return _numpy_exact.cholesky_upper(x)
    # (other backends: the conjugate transpose of the lower factor of x^H, whose lower
    # triangle is x's upper one conjugated; array_api_strict's upper=True reads the lower)
    return _H(xp, xp.linalg.cholesky(_H(xp, x)))


cholesky_op = defop("linalg.cholesky", _cholesky_forward,
                    _reading_triangle(_via_conjugate(_cholesky_vjp),
                                      lambda params: "U" if params["upper"] else "L"),
                    save="ans", shape_rule=_invertible_dummies_rule(_cholesky_forward))


def _eigh_call(xp, x, uplo, name="eigh"):
    """``xp.linalg.eigh``/``eigvalsh`` reading the ``uplo`` triangle ("L" or "U"), for raw
    arrays and ndgrad Arrays alike (array_api_strict reads "L" only: the conjugate
    transpose's lower triangle is then the upper one)."""
    f = getattr(xp.linalg, name)
    if uplo == "L":
        return f(x)
    if isinstance(x, _registry.Array) or xp is _numpy_xp():
        return f(x, UPLO=uplo)
    return f(_H(xp, x))


def _numpy_xp():
    from .._backend import numpy_backend
    return numpy_backend.xp


def _eigh_vjp(xp, g, ans, x, uplo):
    w, v = ans
    gw, gv = g
    gw = _real_g(xp, gw)  # the eigenvalues are real (a complex cotangent: its real part)
    n = _shape(w)[-1]
    inner = _times_f(xp, _off_diag_inverse(xp, w), _mm(xp, _H(xp, v), gv))
    inner = inner + _row(xp, gw) * _eye(xp, n, inner)
    return (_sym(xp, _mm(xp, v, inner, _H(xp, v))),)


eigh_op = defop("linalg.eigh", lambda xp, x, uplo: _as_tuple(xp, _eigh_call(xp, x, uplo)),
                _reading_triangle(_via_conjugate(_eigh_vjp)), save="ans", multi=True)


def _eigvalsh_vjp(xp, g, ans, x, uplo):
    g = _real_g(xp, g)
    w, v = _eigh_call(xp, x, uplo)
    return (_sym(xp, xp.matmul(v * _row(xp, g), _H(xp, v))),)


eigvalsh_op = defop("linalg.eigvalsh", lambda xp, x, uplo: _eigh_call(xp, x, uplo, "eigvalsh"),
                    _reading_triangle(_via_conjugate(_eigvalsh_vjp)), save="inputs")


# -- eig, eigvals (general matrices; complex results) ------------------------------------
def _eig_vjp(xp, g, ans, x, real_input):
    w, v = ans
    gw, gv = g
    n = _shape(w)[-1]
    # eigenvectors have unit norm: remove the part of the cotangent along that constraint
    c = xp.real(xp.sum(v * gv, axis=-2))
    h = gv - xp.conj(v) * _row(xp, c)
    inner = _times_f(xp, _off_diag_inverse(xp, w), xp.matmul(_T(xp, v), h))
    inner = inner + _row(xp, gw) * _eye(xp, n, inner)
    ct = _mm(xp, _T(xp, xp.linalg.inv(v)), inner, _T(xp, v))
    return (_real_if(xp, ct, real_input),)


eig_op = defop("linalg.eig", lambda xp, x, real_input: _as_tuple(xp, xp.linalg.eig(x)),
               _eig_vjp, save="ans", multi=True)


def _eigvals_vjp(xp, g, ans, x, real_input):
    w, v = xp.linalg.eig(x)
    ct = xp.matmul(_T(xp, xp.linalg.inv(v)), _col(xp, g) * _T(xp, v))
    return (_real_if(xp, ct, real_input),)


eigvals_op = defop("linalg.eigvals", lambda xp, x, real_input: xp.linalg.eigvals(x),
                   _eigvals_vjp, save="inputs")


# -- svd, svdvals, pinv ------------------------------------------------------------------
def _svd_vjp(xp, g, ans, x, full_matrices):
    u, s, vh = ans
    gu, gs, gvh = g
    gs = _real_g(xp, gs)  # the singular values are real
    m, n = _shape(u)[-2], _shape(vh)[-1]
    k = _shape(s)[-1]
    if full_matrices and m != n:
        if m > k:
            _strip_unused(xp, gu[..., k:], "svd")
            u, gu = u[..., :k], gu[..., :k]
        if n > k:
            _strip_unused(xp, gvh[..., k:, :], "svd")
            vh, gvh = vh[..., :k, :], gvh[..., :k, :]
    gv = _H(xp, gvh)
    s2 = s * s
    f = _off_diag_inverse(xp, s2)
    uhgu = _mm(xp, _H(xp, u), gu)
    vhgv = _mm(xp, vh, gv)
    j = _times_f(xp, f, uhgu - _H(xp, uhgu))
    kk = _times_f(xp, f, vhgv - _H(xp, vhgv))
    inner = j * _row(xp, s) + _col(xp, s) * kk + _row(xp, gs) * _eye(xp, k, j)
    if _is_complex(xp, uhgu):  # the phase of each singular pair: i Im(diag(U^H gU)) / S
        im = xp.imag(xp.sum(xp.conj(u) * gu, axis=-2)) / s
        inner = inner + _row(xp, im) * _eye(xp, k, j) * 1j
    ct = _mm(xp, u, inner, vh)
    sinv = 1 / s
    if m > k:  # the part of gu outside u's column space
        ct = ct + xp.matmul((gu - xp.matmul(u, uhgu)) * _row(xp, sinv), vh)
    if n > k:  # the part of gv outside v's column space
        ct = ct + xp.matmul(u * _row(xp, sinv), _H(xp, gv) - xp.matmul(_H(xp, vhgv), vh))
    return (ct,)


svd_op = defop("linalg.svd", lambda xp, x, full_matrices: _as_tuple(
    xp, xp.linalg.svd(x, full_matrices=full_matrices)), _via_conjugate(_svd_vjp), save="ans",
    multi=True)


def _svdvals_vjp(xp, g, ans, x):
    g = _real_g(xp, g)
    u, s, vh = xp.linalg.svd(x, full_matrices=False)
    return (xp.matmul(u * _row(xp, g), vh),)


svdvals_op = defop("linalg.svdvals", lambda xp, x: xp.linalg.svdvals(x),
                   _via_conjugate(_svdvals_vjp), save="inputs")


def _pinv_vjp(xp, g, ans, a, rtol, cut=False):
    if cut:
        # a cutoff the caller chose (pinv(rtol=), lstsq(rcond=)) may drop singular values
        # that are not 0: the function is then the pseudo-inverse of the truncated
        # matrix, which the formula below (for the matrix itself, its rank constant) does
        # not differentiate. (NumPy's default cutoff, 1e-15, drops only values that are 0
        # to rounding: there the formula below is the derivative along the matrices of
        # that rank, and its own derivative has no singularity at repeated singular
        # values, where the truncated rule's, through svd's, divides by 0)
        return (_truncated_pinv_ct(xp, g, a, rtol), None)
    # Golub & Pereyra: exact while the rank stays constant
    p, ph, gh = ans, _H(xp, ans), _H(xp, g)
    t = _mm(xp, gh, p, ph)
    t = t - _mm(xp, a, p, t)                   # (I - A P) G^H P P^H
    u = _mm(xp, ph, p, gh)
    u = u - _mm(xp, u, p, a)                   # P^H P G^H (I - P A)
    # At full row rank A P = I, at full column rank P A = I, near A as well: those terms
    # are then zero as functions of A, but computed they are differences of numbers of
    # size |P|^2 |G| whose derivatives (higher order) lose all digits (pinv(X^T X)'s
    # second derivative was 28% off at cond 1.5e5). The rank is trace(P A).
    m, n = a.shape[-2], a.shape[-1]
    rank = xp.sum(p * _T(xp, a), axis=(-2, -1))
    rank = xp.real(rank) if _is_complex(xp, rank) else rank
    t = t * _mat(xp, xp.astype(rank < m - 0.5, t.dtype))
    u = u * _mat(xp, xp.astype(rank < n - 0.5, u.dtype))
    return (-_mm(xp, ph, g, ph) + t + u, None)


def _truncated_pinv_ct(xp, g, a, rtol):
    """The cotangent of ``a`` for ``P = pinv(a, rtol)`` (conjugate convention): with the
    thin SVD ``a = U S V^H`` and NumPy's cutoff (``s > rtol * max(s)`` kept), ``P = V F
    U^H``, ``F`` 1/s on the kept values and 0 on the others. Differentiating the SVD, the
    terms that divide by ``s_j**2 - s_i**2`` pair a kept value with a dropped one (never
    equal: the cutoff lies between them) or cancel (two kept values: ``-dM_ij / (s_i
    s_j)``, with ``dM = U^H dA V``; two dropped ones: 0), so the formula has no
    singularity even at repeated or zero singular values:

        ct = U (A o H + B^T o H^H) V^H + U D U^H G^H (I - V V^H) + (I - U U^H) G^H V D V^H

    with ``H = V^H G U``, ``D`` = 1/s**2 on the kept values, and ``A``, ``B`` the
    coefficients of ``dM_ij`` and ``conj(dM_ji)`` in ``(V^H dP U)_ij``. Equal to the
    constant-rank formula where nothing is dropped (the inverse: ``-P^H G P^H``)."""
    u, s, vh = xp.linalg.svd(a, full_matrices=False)
    m, n, k = _shape(u)[-2], _shape(vh)[-1], _shape(s)[-1]
    r = xp.asarray(rtol, dtype=s.dtype, **_device_kw(s)) if not hasattr(rtol, "shape") \
        else rtol
    cut = _col(xp, r) * xp.max(s, axis=-1, keepdims=True) if _shape(r) else \
        r * xp.max(s, axis=-1, keepdims=True)
    kept = s > cut
    one = xp.ones_like(s)
    safe = xp.where(kept, s, one)
    ki, kj = _col(xp, kept), _row(xp, kept)
    si, sj = _col(xp, s), _row(xp, s)
    ti, tj = _col(xp, safe), _row(xp, safe)
    mixed = xp.logical_xor(ki, kj)                  # one kept, one dropped
    den = xp.where(mixed, sj * sj - si * si, _col(xp, one) * _row(xp, one))
    zero = xp.zeros_like(den)
    both = xp.logical_and(ki, kj)
    i_only = xp.logical_and(ki, xp.logical_not(kj))
    j_only = xp.logical_and(xp.logical_not(ki), kj)
    coef_a = xp.where(both, -1 / (ti * tj),
                      xp.where(i_only, -sj / (ti * den), xp.where(j_only, si / (tj * den),
                                                                    zero)))
    coef_b = xp.where(i_only, -1 / den, xp.where(j_only, 1 / den, zero))
    h = _mm(xp, vh, g, u)
    ct = _mm(xp, u, coef_a * h + _T(xp, coef_b) * _H(xp, h), vh)
    d = _row(xp, xp.where(kept, 1 / (safe * safe), xp.zeros_like(s)))
    gh = _H(xp, g)
    if n > k:   # (V is not square: the part of G^H outside V's columns)
        x = _mm(xp, u * d, _H(xp, u), gh)
        ct = ct + x - _mm(xp, x, _H(xp, vh), vh)
    if m > k:   # (U is not square)
        y = _mm(xp, _mm(xp, gh, _H(xp, vh)) * d, vh)
        ct = ct + y - _mm(xp, u, _H(xp, u), y)
    return ct


def _pinv_forward(xp, a, rtol, cut=False):
    return xp.linalg.pinv(a) if rtol is None else xp.linalg.pinv(a, rtol=rtol)


pinv_op = defop("linalg.pinv", _pinv_forward, _via_conjugate(_pinv_vjp), save="both")


def _rank_forward(xp, a, rtol):
    if 0 in a.shape[-2:]:   # no singular values: rank 0 (NumPy's; the largest of none raised)
        return xp.zeros(a.shape[:-2], dtype=xp.int64)
    return xp.linalg.matrix_rank(a) if rtol is None else xp.linalg.matrix_rank(a, rtol=rtol)


matrix_rank_op = defop("linalg.matrix_rank", _rank_forward, None,
                       **nondiff("integer result (a count of singular values)"))


# -- qr -----------------------------------------------------------------------------
def _copyltu(xp, m):
    """The lower triangle mirrored onto the upper (conjugated); the diagonal's real part
    (R's diagonal is real, so its imaginary part carries no information)."""
    low = xp.tril(m, k=-1)
    diag = xp.real(m) if _is_complex(xp, m) else m
    return low + _H(xp, low) + diag * _eye(xp, _shape(m)[-1], diag)


def _qr_square_tall(xp, q, r, gq, gr):
    # Liao et al. (2019): A_bar = (gQ + Q copyltu(M)) R^-H, M = R gR^H - gQ^H Q
    mm = xp.matmul(r, _H(xp, gr)) - xp.matmul(_H(xp, gq), q)
    b = gq + xp.matmul(q, _copyltu(xp, mm))
    return _H(xp, xp.linalg.solve(r, _H(xp, b)))


def _qr_vjp(xp, g, ans, x, mode):
    q, r = ans
    gq, gr = g
    m, n = _shape(q)[-2], _shape(r)[-1]
    if m > n and _shape(q)[-1] == m:  # complete mode of a tall matrix: keep Q's first n columns
        _strip_unused(xp, gq[..., n:], "qr")
        q, gq = q[..., :n], gq[..., :n]
        r, gr = r[..., :n, :], gr[..., :n, :]
    if m >= n:
        return (_qr_square_tall(xp, q, r, gq, gr),)
    # wide: A = [X | Y] with X = Q U square, Y = Q V
    u, gu = r[..., :m], gr[..., :m]
    y, gv = x[..., m:], gr[..., m:]
    gx = _qr_square_tall(xp, q, u, gq + xp.matmul(y, _H(xp, gv)), gu)
    gy = xp.matmul(q, gv)
    return (xp.concat([gx, gy], axis=-1),)


qr_op = defop("linalg.qr", lambda xp, x, mode: _as_tuple(xp, xp.linalg.qr(x, mode=mode)),
              _via_conjugate(_qr_vjp), save="both", multi=True)


# -- norms -----------------------------------------------------------------------------
def _share_ties(xp, hit, axes):
    """A 0/1 mask of the elements attaining a max/min, ties sharing the gradient evenly."""
    return hit / xp.sum(hit, axis=axes, keepdims=True)


def _unit(xp, x):
    """conj(sign(x)): d|x| = Re(conj(sign(x)) dx). For complex x it is conj(x) / |x| (0 at
    0, as JAX), written so that it differentiates again (sign has no gradient)."""
    if not _is_complex(xp, x):
        return xp.sign(x)
    r = xp.abs(x)
    return xp.conj(x) / xp.where(r == 0, 1.0, r)


def _real_g(xp, g):
    """A norm is real: a complex cotangent (from a complex constant downstream) stands for
    its real part."""
    return xp.real(g) if _is_complex(xp, g) else g


def _matrix_norm_vjp(xp, g, ans, x, keepdims, ord):
    g = _real_g(xp, g)
    if not keepdims:
        g, ans = _mat(xp, g), _mat(xp, ans)
    if ord == "fro":  # 0 at a zero matrix (the minimum-norm subgradient, as vector_norm)
        zero = ans == 0
        return (g * xp.where(zero, 0.0, 1.0 / xp.where(zero, 1.0, ans)) * _conj(xp, x),)
    if ord in ("nuc", 2, -2):
        # U diag(w) V^H, w the derivative of the norm in each singular value: 1 for the
        # nuclear norm, max's (min's) even split among tied singular values for 2 (-2),
        # and 0 for a singular value of 0 (a kink, as abs's at 0: the minimum-norm
        # subgradient, so a norm at the zero matrix has gradient 0 as every other norm;
        # the singular vectors of a zero singular value are arbitrary, their sign too)
        u, s, vh = xp.linalg.svd(x, full_matrices=False)
        if ord == "nuc":
            w = xp.astype(s != 0, s.dtype)
        else:
            ext = (xp.max if ord == 2 else xp.min)(s, axis=-1, keepdims=True)
            w = _share_ties(xp, xp.astype(s == ext, s.dtype), (-1,))
            w = xp.where(ext == 0, xp.zeros_like(w), w)
        return (g * _conj(xp, xp.matmul(u * xp.expand_dims(w, axis=-2), vh)),)
    # 1, -1 (max/min column sum of |x|), inf, -inf (rows)
    axis = -2 if ord in (1, -1) else -1
    sums = xp.sum(xp.abs(x), axis=axis, keepdims=True)
    hit = xp.astype(sums == ans, ans.dtype)
    w = _share_ties(xp, hit, (-1 if axis == -2 else -2,))
    return (g * w * _unit(xp, x),)


matrix_norm_op = defop("linalg.matrix_norm", lambda xp, x, keepdims, ord: xp.linalg.matrix_norm(
    x, keepdims=keepdims, ord=ord), _matrix_norm_vjp, save="both")


def _vector_norm_vjp(xp, g, ans, x, axis, keepdims, ord, axes):
    if ord == 0:
        return (None,)  # a count of nonzeros: piecewise constant
    g = _real_g(xp, g)
    if not keepdims:
        for a in sorted(axes):
            g, ans = xp.expand_dims(g, axis=a), xp.expand_dims(ans, axis=a)
    if ord in (float("inf"), float("-inf")):
        hit = xp.astype(xp.abs(x) == ans, ans.dtype)
        return (g * _share_ties(xp, hit, axes) * _unit(xp, x),)
    # PyTorch's conventions where the norm is not differentiable (its norm_backward):
    # the minimum-norm subgradient 0 at an all-zero slice (p > 1), and 0 at a zero
    # element for p < 1 (where |x|^p has an infinite slope). The zero is the Jacobian's,
    # times g: a NaN or inf cotangent stays NaN there (sqrt(norm(x)) at 0 is NaN, as in
    # PyTorch and JAX), never a 0 that hides it
    zero = ans == 0
    if ord == 2:
        safe = xp.where(zero, 1.0, ans)
        return (g * xp.where(zero, 0.0, 1.0 / safe) * _conj(xp, x),)
    if ord == 1:
        return (g * _unit(xp, x),)
    ax = xp.abs(x)
    if ord > 1:
        r = (ax / xp.where(zero, 1.0, ans)) ** (ord - 1)
        return (g * _unit(xp, x) * r,)      # (r is 0 on an all-zero slice)
    # p < 1 (negative p too): sign(x) |x|^(p-1) ans^(1-p), 0 at x == 0; a zero element
    # makes a negative-p norm 0, and ans^(1-p) then zeroes the whole slice
    xz = ax == 0
    w = xp.where(xz, 0.0, xp.where(xz, 1.0, ax) ** (ord - 1))
    return (g * _unit(xp, x) * w * ans ** (1 - ord),)


vector_norm_op = defop("linalg.vector_norm", lambda xp, x, axis, keepdims, ord, axes:
                       xp.linalg.vector_norm(x, axis=axis, keepdims=keepdims, ord=ord),
                       _vector_norm_vjp, save="both")


def _numpy_norm_forward(xp, x, np_ord, np_axis, keepdims, ord, axes):
    """NumPy's own ``linalg.norm`` on NumPy (its values bit for bit: the flattened 2-norm
    is a BLAS dot there, not a sum); the standard's ``vector_norm`` elsewhere."""
    if xp is _numpy_xp():
        return _numpy_exact.norm(x, np_ord, np_axis, keepdims)
    return xp.linalg.vector_norm(x, axis=axes, keepdims=keepdims, ord=ord)


def _numpy_norm_vjp(xp, g, ans, x, np_ord, np_axis, keepdims, ord, axes):
    return _vector_norm_vjp(xp, g, ans, x, axes, keepdims, ord, axes)


# NumPy's ``linalg.norm`` for its vector norms (any ``ord`` over one axis or the flattened
# array) and the Frobenius norm (the 2-norm over a pair of axes): ``ord`` is that vector
# order, ``axes`` the normalized reduced axes
numpy_norm_op = defop("linalg.norm", _numpy_norm_forward, _numpy_norm_vjp, save="both")


# -- matrix_power, trace, diagonal, cross, outer -----------------------------------------
def _power_vjp(xp, g, a, n):
    """Cotangent of A**n (n >= 1): sum over k of (A^T)^k G (A^T)^(n-1-k)."""
    at = _T(xp, a)
    powers = [None, at]
    for _ in range(n - 2):
        powers.append(xp.matmul(powers[-1], at))

    def left(k, m):
        return m if k == 0 else xp.matmul(powers[k], m)

    total = None
    for k in range(n):
        term = left(k, g)
        if n - 1 - k:
            term = xp.matmul(term, powers[n - 1 - k])
        total = term if total is None else total + term
    return total


def _matrix_power_vjp(xp, g, ans, x, n):
    if n == 0:
        return (None,)
    if n > 0:
        return (_power_vjp(xp, g, x, n),)
    b = xp.linalg.inv(x)
    gb = _power_vjp(xp, g, b, -n)
    bt = _T(xp, b)
    return (-_mm(xp, bt, gb, bt),)


def _matrix_power_forward(xp, x, n):
    return xp.linalg.matrix_power(x, n)


matrix_power_op = defop("linalg.matrix_power", _matrix_power_forward, _matrix_power_vjp,
                        save="inputs", shape_rule=_invertible_dummies_rule(_matrix_power_forward))


def _trace_forward(xp, x, offset, dtype, shape):
    from .creation import _bdtype
    if dtype is None:
        return xp.linalg.trace(x, offset=offset)
    return xp.linalg.trace(x, offset=offset, dtype=_bdtype(xp, dtype))


def _trace_vjp(xp, g, ans, x, offset, dtype, shape):
    return (_mat(xp, g) * _eye(xp, shape[-2], g, shape[-1], k=offset),)


trace_op = defop("linalg.trace", _trace_forward, _trace_vjp, save="none")


def _diag_len(n, m, offset):
    return max(0, min(n + min(offset, 0), m - max(offset, 0)))


def _diagonal_vjp(xp, g, ans, x, offset, shape):
    n, m = shape[-2], shape[-1]
    d = _shape(g)[-1]
    # scatter g onto the diagonal: R diag(g) C^T with 0/1 placement matrices R, C
    rows = _eye(xp, n, g, d, k=-max(-offset, 0))
    cols = _eye(xp, m, g, d, k=-max(offset, 0))
    return (xp.matmul(rows * _row(xp, g), _T(xp, cols)),)


diagonal_op = defop("linalg.diagonal", lambda xp, x, offset, shape: xp.linalg.diagonal(
    x, offset=offset), _diagonal_vjp, save="none", view=True)


def _cross_vjp(xp, g, ans, a, b, axis):
    return (xp.linalg.cross(b, g, axis=axis), xp.linalg.cross(g, a, axis=axis))


cross_op = defop("linalg.cross", lambda xp, a, b, axis: xp.linalg.cross(a, b, axis=axis),
                 _cross_vjp)


def _outer_vjp(xp, g, ans, a, b):
    return (xp.matmul(g, b), xp.matmul(a, g))


outer_op = defop("linalg.outer", lambda xp, a, b: xp.linalg.outer(a, b), _outer_vjp)


# multi-output ops: their static shapes from the same stand-ins (one spec per output, also
# for an input of unknown rank)
for _op in (slogdet_op, eigh_op, eig_op, svd_op, checked_svd_op, qr_op):
    _op.shape_rule = _invertible_dummies_rule(_op.forward)
del _op


# -- lstsq (NumPy's name; not in the standard) -----------------------------------------
def _lstsq_forward(xp, a, b, rcond):
    """NumPy's ``lstsq`` where the backend has it; else from the standard's functions."""
    f = getattr(xp.linalg, "lstsq", None)
    if f is not None:
        return _as_tuple(xp, f(a, b, rcond=rcond))
    m, n = _shape(a)
    tol = rcond if rcond is not None else max(m, n) * xp.finfo(a.dtype).eps
    x = xp.matmul(xp.linalg.pinv(a, rtol=tol), b)
    rank = xp.astype(xp.linalg.matrix_rank(a, rtol=tol), xp.int32)
    if int(rank) == n and m > n:  # full column rank: the squared residual norms
        r = b - xp.matmul(a, x)
        res = xp.sum(xp.real(xp.conj(r) * r), axis=0)
        res = xp.reshape(res, (1,)) if b.ndim == 1 else res
    else:
        res = xp.zeros((0,), dtype=xp.real(a[:0, :0]).dtype, **_device_kw(a))
    return (x, res, rank, xp.linalg.svdvals(a))


def _lstsq_vjp(xp, g, ans, a, b, rcond):
    # x = pinv(a) @ b: exact while the rank stays constant (full rank in practice)
    x, res, rank, s = ans
    gx, gres, _, gs = g
    # (the residuals and singular values are real: a complex cotangent counts by its real
    # part; conj, which _via_conjugate applied, does not change that part)
    gres, gs = _registry.real_cotangent(xp, gres), _registry.real_cotangent(xp, gs)
    # (rtol=None: the standard's max(M, N) * eps, lstsq's cutoff, in both namespaces;
    # ndgrad's pinv(a) alone is NumPy's 1e-15)
    p = xp.linalg.pinv(a, rtol=rcond)
    vec = b.ndim == 1
    gx2, b2, x2 = (_col(xp, gx), _col(xp, b), _col(xp, x)) if vec else (gx, b, x)
    # (an explicit rcond may drop singular values that are not 0: pinv's rule for it)
    ga, _ = _pinv_vjp(xp, xp.matmul(gx2, _H(xp, b2)), p, a, rcond, cut=rcond is not None)
    gb = xp.matmul(_H(xp, p), gx2)
    if _shape(res)[0]:  # the squared residuals: d|r|^2 = 2 r . (db - da x)
        r2 = b2 - xp.matmul(a, x2)
        w = 2 * r2 * _row(xp, gres)
        gb = gb + w
        ga = ga - xp.matmul(w, _H(xp, x2))
    u, _s, vh = xp.linalg.svd(a, full_matrices=False)  # the singular values' part
    ga = ga + xp.matmul(u * _row(xp, gs), vh)
    if vec:
        gb = xp.squeeze(gb, axis=-1)
    return (ga, gb, None)


# (the rule is in the conjugate convention, as pinv's that it calls)
lstsq_op = defop("linalg.lstsq", _lstsq_forward, _via_conjugate(_lstsq_vjp), save="both",
                 multi=True)

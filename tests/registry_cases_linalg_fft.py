"""Gradient cases for the registry walk (tests/test_registry.py) of the linalg and fft ops.

``registry_cases(Case, M, S, V, spd)`` returns {op name: Case}; the registry test adds them
to its table, so every ``linalg.*`` and ``fft.*`` op is checked there too (the thorough
checks, all orders and options, are in test_linalg.py and test_fft.py).
"""
import numpy as np

import ndgrad as nd


def _orth(a):  # an orthogonal matrix from any draw
    return np.linalg.qr(a + 3 * np.eye(a.shape[-1]))[0]


def _sym_distinct(a):  # symmetric, eigenvalues 1, 2, 3 (distinct)
    q = _orth(a)
    return q @ np.diag([1.0, 2.0, 3.0]) @ q.T


def _real_distinct(a):  # non-symmetric, real eigenvalues 1, 2, 3
    p = np.eye(3) + 0.2 * a
    return p @ np.diag([1.0, 2.0, 3.0]) @ np.linalg.inv(p)


def _sym(x):
    return (x + nd.matrix_transpose(x)) * 0.5


def _cplx(a, b):
    return nd.astype(a, nd.complex128) + nd.astype(b, nd.complex128) * 1j


def registry_cases(Case, M, S, V, spd):
    _LA, _F, _CPLX, _spd = nd.linalg, nd.fft, _cplx, spd
    from ndgrad._ops import linalg_ext as _LE
    from ndgrad._ops.registry import apply as _apply
    return {
        # linalg extension (decompositions: first order, away from degeneracies)
        "linalg.inv": Case(_LA.inv, [M], prep=lambda a: (_spd(a),)),
        "linalg.det": Case(_LA.det, [M], prep=lambda a: (_spd(a),)),
        # det's recorded rule and its parts (test_linalg.py checks them at singular and
        # ill-conditioned matrices against exact rational derivatives)
        "linalg.det_cotangent": Case(lambda x, g: _apply(_LE.det_cotangent_op, (
            x, g, _LA.det(x))), [M, ()], prep=lambda a, g: (a + 3 * np.eye(3), g)),
        "linalg.adjugate": Case(lambda x: _apply(_LE.adjugate_op, (x,)), [M],
                                prep=lambda a: (_orth(a) @ np.diag([3.0, 2.0, 1.0]),)),
        "linalg.checked_svd": Case(lambda x: (lambda r: (r[0] @ r[2], r[1]))(_apply(
            _LE.checked_svd_op, (x,), {"full_matrices": True})), [M], order=1,
            prep=lambda a: (_orth(a) @ np.diag([3.0, 2.0, 1.0]) @ _orth(a.T).T,)),
        "linalg.slogdet": Case(lambda x: _LA.slogdet(x).logabsdet, [M],
                               prep=lambda a: (_spd(a),)),
        "linalg.solve": Case(_LA.solve, [M, (3, 2)], prep=lambda a, b: (_spd(a), b)),
        "linalg.cholesky": Case(lambda x: _LA.cholesky(_sym(x)), [M], order=1,
                                prep=lambda a: (_spd(a),)),
        "linalg.eigh": Case(lambda x: (lambda r: (r.eigenvalues, r.eigenvectors ** 2))(
            _LA.eigh(_sym(x))), [M], order=1, prep=lambda a: (_sym_distinct(a),)),
        "linalg.eigvalsh": Case(lambda x: _LA.eigvalsh(_sym(x)), [M], order=1,
                                prep=lambda a: (_sym_distinct(a),)),
        # (eigenvalue order is unspecified: losses that do not depend on it)
        "linalg.eig": Case(lambda x: (lambda r: nd.sum(nd.real(r.eigenvalues) * nd.real(
            r.eigenvectors) ** 2, axis=1))(_LA.eig(x)), [M], order=1,
            prep=lambda a: (_real_distinct(a),)),
        "linalg.eigvals": Case(lambda x: nd.sum(nd.real(_LA.eigvals(x)) ** 3), [M], order=1,
                               prep=lambda a: (_real_distinct(a),)),
        "linalg.svd": Case(lambda x: (lambda r: (r.U @ r.Vh, r.S))(_LA.svd(
            x, full_matrices=False)), [(4, 3)], order=1,
            prep=lambda a: (_orth(np.resize(a, (4, 4)))[:, :3] @ np.diag([3.0, 2.0, 1.0]) @ _orth(
                a[:3]).T,)),
        "linalg.svdvals": Case(_LA.svdvals, [M], order=1, prep=lambda a: (
            _orth(a) @ np.diag([3.0, 2.0, 1.0]) @ _orth(a.T).T,)),
        "linalg.pinv": Case(_LA.pinv, [(3, 2)], prep=lambda a: (a + np.eye(3, 2) * 3,)),
        # (a generic offset: Householder QR flips signs where a sub-column is exactly zero)
        "linalg.qr": Case(lambda x: tuple(_LA.qr(x)), [(4, 3)], order=1, prep=lambda a: (
            a + np.random.default_rng(0).standard_normal((4, 3)) + np.eye(4, 3) * 4,)),
        "linalg.matrix_norm": Case(lambda x: _LA.matrix_norm(x, ord="nuc"), [M], order=1,
                                   prep=lambda a: (_orth(a) @ np.diag([3.0, 2.0, 1.0]),)),
        "linalg.vector_norm": Case(lambda x: _LA.vector_norm(x, ord=3, axis=0), [(3, 2)], 0.3, 2),
        "linalg.norm": Case(lambda x: _LA.norm(x, ord=3, axis=0), [(3, 2)], 0.3, 2),
        "linalg.matrix_power": Case(lambda x: _LA.matrix_power(x, 3), [M]),
        "linalg.trace": Case(lambda x: _LA.trace(x, offset=1), [(2, 3)]),
        "linalg.diagonal": Case(lambda x: _LA.diagonal(x, offset=-1), [(3, 2)]),
        "linalg.cross": Case(_LA.cross, [(2, 3), (3,)]),
        "linalg.outer": Case(_LA.outer, [S, (2,)]),
        "linalg.lstsq": Case(lambda a, b: (lambda r: (r[0], r[1], r[3]))(_LA.lstsq(a, b)),
                             [(4, 2), V], order=1,
                             prep=lambda a, b: (a + np.eye(4, 2) * [4.0, 9.0], b)),
        # fft extension (complex results seen through real parts)
        "fft.fft": Case(lambda x: nd.real(_F.fft(x, n=4) * (1 - 2j)), [S], order=1),
        "fft.ifft": Case(lambda a, b: nd.real(_F.ifft(_CPLX(a, b)) * (1 - 2j)), [S, S], order=1),
        "fft.fftn": Case(lambda x: nd.real(_F.fftn(x, norm="ortho") * (1 - 2j)), [(2, 3)],
                         order=1),
        "fft.ifftn": Case(lambda a, b: nd.real(_F.ifftn(_CPLX(a, b)) * (1 - 2j)), [(2, 3), (2, 3)],
                          order=1),
        "fft.rfft": Case(lambda x: nd.real(_F.rfft(x) * (1 - 2j)), [V], order=1),
        "fft.irfft": Case(lambda a, b: _F.irfft(_CPLX(a, b)), [S, S], order=1),
        "fft.hfft": Case(lambda a, b: _F.hfft(_CPLX(a, b), n=5), [S, S], order=1),
        "fft.ihfft": Case(lambda x: nd.real(_F.ihfft(x) * (1 - 2j)), [V], order=1),
        "fft.rfftn": Case(lambda x: nd.real(_F.rfftn(x) * (1 - 2j)), [(2, 4)], order=1),
        "fft.irfftn": Case(lambda a, b: _F.irfftn(_CPLX(a, b)), [(2, 3), (2, 3)], order=1),
        "fft.fftshift": Case(lambda x: _F.fftshift(x) * nd.asarray(
            [1.0, 2.0, 3.0], device=x.device), [S]),
        "fft.ifftshift": Case(lambda x: _F.ifftshift(x) * nd.asarray(
            [1.0, 2.0, 3.0], device=x.device), [S]),
    }

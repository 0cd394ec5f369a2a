"""ndgrad.scipy.linalg against scipy.linalg's values and finite differences (first and second
order): triangular solves with every option, Cholesky factor/solve, SciPy's solve with
assume_a, generalized eigh, and the matrix functions with Fréchet-derivative gradients."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

sl = pytest.importorskip("scipy.linalg")

import ndgrad as nd  # noqa: E402
from ndgrad.scipy import linalg  # noqa: E402


def _mat(data, n, lo=-1.0, hi=1.0):
    vals = data.draw(st.lists(st.floats(lo, hi, width=64), min_size=n * n, max_size=n * n))
    return np.asarray(vals).reshape(n, n)


def _spd(m):
    return m @ m.T + m.shape[0] * np.eye(m.shape[0])


def _tri(m, lower):
    t = np.tril(m) if lower else np.triu(m)
    return t + 2 * np.eye(m.shape[0]) * np.sign(np.diag(t) + 1e-3) + np.diag(np.sign(np.diag(t)))


@pytest.mark.parametrize("trans", [0, "T"])
@pytest.mark.parametrize("lower", [False, True])
@pytest.mark.parametrize("unit", [False, True])
@pytest.mark.parametrize("bdim", [1, 2])
@settings(max_examples=2, deadline=None)
@given(data=st.data())
def test_solve_triangular(trans, lower, unit, bdim, data):
    n = 3
    a = _mat(data, n)
    a = a + 3 * np.eye(n)  # the garbage triangle stays: SciPy must not read it, nor we
    b = _mat(data, n)[:, 0] if bdim == 1 else _mat(data, n)[:, :2]
    want = sl.solve_triangular(a, b, trans=trans, lower=lower, unit_diagonal=unit)
    got = linalg.solve_triangular(nd.asarray(a), nd.asarray(b), trans=trans, lower=lower,
                                  unit_diagonal=unit)
    np.testing.assert_allclose(np.asarray(got), want, rtol=1e-12, atol=1e-12)
    f = lambda m, v: linalg.solve_triangular(m, v, trans=trans, lower=lower,  # noqa: E731
                                             unit_diagonal=unit)
    nd.check_grads(f, nd.asarray(a), nd.asarray(b), order=2, rtol=1e-4, atol=1e-6)
    # strict backend: the standard's solve on the triangle read
    gs = f(nd.asarray(a, device="strict"), nd.asarray(b, device="strict"))
    assert str(gs.device) == "strict"
    np.testing.assert_allclose(np.asarray(gs), want, rtol=1e-10, atol=1e-12)


def test_solve_triangular_gradient_reaches_only_the_triangle_read():
    a = nd.asarray([[2.0, 5.0], [1.0, 4.0]])
    g = nd.grad(lambda m: nd.sum(linalg.solve_triangular(m, nd.asarray([1.0, 2.0]),
                                                         lower=True)))(a)
    assert float(g[0, 1]) == 0.0 and float(g[1, 0]) != 0.0
    g = nd.grad(lambda m: nd.sum(linalg.solve_triangular(m, nd.asarray([1.0, 2.0]),
                                                         unit_diagonal=True)))(a)
    assert float(g[0, 0]) == 0.0 and float(g[1, 1]) == 0.0 and float(g[1, 0]) == 0.0


@pytest.mark.parametrize("lower", [False, True])
@settings(max_examples=2, deadline=None)
@given(data=st.data())
def test_cholesky_cho_factor_cho_solve(lower, data):
    a = _spd(_mat(data, 3))
    b = _mat(data, 3)[:, :2]
    np.testing.assert_allclose(np.asarray(linalg.cholesky(nd.asarray(a), lower=lower)),
                               sl.cholesky(a, lower=lower), rtol=1e-12)
    c, low = linalg.cho_factor(nd.asarray(a), lower=lower)
    assert low is lower
    want = sl.cho_solve(sl.cho_factor(a, lower=lower), b)
    np.testing.assert_allclose(np.asarray(linalg.cho_solve((c, low), nd.asarray(b))), want,
                               rtol=1e-12)
    # (2 x 2 for the second-order check: its cost grows with the inputs' size squared)
    nd.check_grads(lambda m, v: linalg.cho_solve(linalg.cho_factor(m @ m.mT + 2 * nd.eye(2),
                                                                   lower=lower), v),
                   nd.asarray(_mat(data, 2)), nd.asarray(b[:2]), order=2, rtol=1e-4,
                   atol=1e-6)


@pytest.mark.parametrize("assume_a", [None, "gen", "sym", "pos", "diagonal", "upper triangular",
                                      "lower triangular"])
@pytest.mark.parametrize("lower", [False, True])
def test_solve_assume_a_as_scipy(assume_a, lower):
    rng = np.random.default_rng(3)
    m = rng.normal(size=(3, 3))
    a = m @ m.T + 3 * np.eye(3)
    a[0, 2] += 0.7  # not symmetric: the triangle read matters
    b = rng.normal(size=(3,))
    want = sl.solve(a, b, assume_a=assume_a, lower=lower)
    got = linalg.solve(nd.asarray(a), nd.asarray(b), assume_a=assume_a, lower=lower)
    np.testing.assert_allclose(np.asarray(got), want, rtol=1e-12)
    nd.check_grads(lambda x, y: linalg.solve(x, y, assume_a=assume_a, lower=lower),
                   nd.asarray(a), nd.asarray(b), order=2, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(np.asarray(linalg.solve(nd.asarray(a), nd.asarray(b),
                                                       transposed=True)),
                               sl.solve(a, b, transposed=True), rtol=1e-12)
    with pytest.raises(ValueError, match="unknown assume_a 'banana'"):
        linalg.solve(nd.asarray(a), nd.asarray(b), assume_a="banana")


@pytest.mark.parametrize("lower", [False, True])
def test_solve_pos_refuses_a_triangle_that_is_not_positive_definite(lower):
    # SciPy's posv raises where the triangle read is not positive definite; ndgrad solved
    # the mirrored matrix by LU and answered silently
    a = np.array([[4.0, 100.0], [100.0, 3.0]])
    a[(0, 1) if lower else (1, 0)] = 1.0   # the unread triangle alone would be positive definite
    with pytest.raises(np.linalg.LinAlgError):
        sl.solve(a, np.ones(2), assume_a="pos", lower=lower)
    with pytest.raises(np.linalg.LinAlgError, match="positive definite"):
        linalg.solve(nd.asarray(a), nd.asarray(np.ones(2)), assume_a="pos", lower=lower)


def test_det_inv_svd_eigh_as_scipy():
    rng = np.random.default_rng(4)
    a = rng.normal(size=(3, 3))
    s = a + a.T
    np.testing.assert_allclose(float(linalg.det(nd.asarray(a))), sl.det(a), rtol=1e-12)
    np.testing.assert_allclose(np.asarray(linalg.inv(nd.asarray(a))), sl.inv(a), rtol=1e-10)
    np.testing.assert_allclose(np.asarray(linalg.svd(nd.asarray(a), compute_uv=False)),
                               sl.svd(a, compute_uv=False), rtol=1e-12)
    u, sv, vh = linalg.svd(nd.asarray(a))
    np.testing.assert_allclose(np.asarray((u * sv) @ vh), a, atol=1e-12)
    for lower in (True, False):
        w, v = linalg.eigh(nd.asarray(np.triu(s) if not lower else np.tril(s)), lower=lower)
        ww, vv = sl.eigh(np.triu(s) if not lower else np.tril(s), lower=lower)
        np.testing.assert_allclose(np.asarray(w), ww, rtol=1e-12)
        np.testing.assert_allclose(np.abs(np.asarray(v)), np.abs(vv), atol=1e-10)


def test_generalized_eigh_as_scipy_and_differentiable():
    rng = np.random.default_rng(5)
    a = rng.normal(size=(3, 3))
    a = a + a.T
    m = rng.normal(size=(3, 3))
    b = m @ m.T + 3 * np.eye(3)
    w, v = linalg.eigh(nd.asarray(a), nd.asarray(b))
    ww, vv = sl.eigh(a, b)
    np.testing.assert_allclose(np.asarray(w), ww, rtol=1e-10)
    np.testing.assert_allclose(np.abs(np.asarray(v)), np.abs(vv), atol=1e-10)
    nd.check_grads(lambda x, y: linalg.eigh(x + x.mT, y @ y.mT + 2 * nd.eye(2),
                                            eigvals_only=True),
                   nd.asarray(a[:2, :2]), nd.asarray(m[:2, :2]), order=2, rtol=1e-4,
                   atol=1e-6)


@pytest.mark.parametrize("name", ["expm", "logm", "sqrtm"])
@settings(max_examples=4, deadline=None)
@given(data=st.data())
def test_matrix_functions_values_and_frechet_gradients(name, data):
    n = data.draw(st.integers(1, 3))
    m = _mat(data, n, -0.5, 0.5)
    # logm and sqrtm: eigenvalues near 1 (principal branch, real result)
    a = m if name == "expm" else np.eye(n) + 0.5 * m
    want = getattr(sl, name)(a)
    got = getattr(linalg, name)(nd.asarray(a))
    np.testing.assert_allclose(np.asarray(got), np.real(want), rtol=1e-8, atol=1e-10)
    nd.check_grads(getattr(linalg, name), nd.asarray(a), order=2, rtol=1e-4, atol=1e-6)


def test_expm_batched_and_gradient_of_a_scalar_loss():
    rng = np.random.default_rng(6)
    a = rng.normal(size=(2, 3, 3)) * 0.3
    np.testing.assert_allclose(np.asarray(linalg.expm(nd.asarray(a))), sl.expm(a), rtol=1e-10)
    nd.check_grads(lambda x: nd.sum(linalg.expm(x) ** 2), nd.asarray(a), order=2, rtol=1e-4)


def test_refusals_are_clear():
    with pytest.raises(ValueError, match="complex"):
        linalg.sqrtm(nd.asarray([[-1.0, 0.0], [0.0, 1.0]]))
    with pytest.raises(TypeError, match=r"linalg\.expm.*array_api_strict"):
        linalg.expm(nd.eye(2, device="strict"))
    with pytest.raises(ValueError, match=r"square.*\(2, 3\)"):
        linalg.expm(nd.ones((2, 3)))
    with pytest.raises(ValueError, match=r"\(3, 3\) and b of shape \(2,\)"):
        linalg.solve_triangular(nd.eye(3), nd.ones(2))


@pytest.mark.slow
@pytest.mark.parametrize("name", ["expm", "logm", "sqrtm"])
@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_matrix_functions_slow(name, data):
    test_matrix_functions_values_and_frechet_gradients.hypothesis.inner_test(name, data)


@pytest.mark.slow
@pytest.mark.parametrize("lower", [False, True])
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_cholesky_cho_solve_slow(lower, data):
    test_cholesky_cho_factor_cho_solve.hypothesis.inner_test(lower, data)


@pytest.mark.parametrize("lower", [True, False])
def test_generalized_eigh_reads_b_in_the_triangle_asked(lower):
    # SciPy's eigh(a, b, lower=False) reads the upper triangles of a AND b; ndgrad read
    # b's lower one always: with other numbers there (still positive definite) it solved
    # another problem, silently
    rng = np.random.default_rng(7)
    a = rng.normal(size=(3, 3))
    a = a + a.T
    b = rng.normal(size=(3, 3))
    b = b @ b.T + 3 * np.eye(3)
    junk = np.triu(np.full((3, 3), 0.3), 1) if lower else np.tril(np.full((3, 3), 0.3), -1)
    a, b = a + junk, b + junk
    w = sl.eigh(a, b, lower=lower, eigvals_only=True)
    got = linalg.eigh(nd.asarray(a), nd.asarray(b), lower=lower, eigvals_only=True)
    np.testing.assert_allclose(np.asarray(got), w, rtol=1e-12)
    # the gradient in b: central differences of SciPy's (it lies in the triangle read)
    c = np.array([1.0, -2.0, 0.5])
    g = np.asarray(nd.grad(lambda t: nd.sum(nd.asarray(c) * linalg.eigh(
        nd.asarray(a), t, lower=lower, eigvals_only=True)))(nd.asarray(b)))
    fd = np.zeros((3, 3))
    for idx in np.ndindex(3, 3):
        e = np.zeros((3, 3))
        e[idx] = 1e-6
        fd[idx] = c @ (sl.eigh(a, b + e, lower=lower, eigvals_only=True)
                       - sl.eigh(a, b - e, lower=lower, eigvals_only=True)) / 2e-6
    np.testing.assert_allclose(g, fd, rtol=1e-5, atol=1e-7)

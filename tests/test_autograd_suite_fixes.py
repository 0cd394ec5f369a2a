"""Fixes found by running HIPS autograd's own test suite against ndgrad.autograd
(compat/autograd_tests/run.py): each test here failed before its fix."""
import numpy as onp
import pytest

import ndgrad.autograd as ag
import ndgrad.autograd.numpy as np


@pytest.mark.parametrize("op", [ag.grad, ag.value_and_grad])
@pytest.mark.parametrize("x", [1.0, onp.array([1.0, 2.0]) + 0j])
def test_grad_of_complex_output_is_an_error(op, x):
    # autograd's test_direct.py::test_grad_complex_output; ndgrad.autograd returned the
    # derivative of the real part (1.0) silently
    def fun(x):
        return np.sum(x * (1.0 + 0.2j))
    with pytest.raises(TypeError, match="real scalar-output.*complex128"):
        op(fun)(x)


def test_grad_and_aux_of_complex_output_is_an_error():
    with pytest.raises(TypeError, match="grad_and_aux only applies to real scalar-output"):
        ag.grad_and_aux(lambda x: (x * 1j, None))(1.0)


def test_grad_of_real_part_and_holomorphic_grad_still_work():
    assert ag.grad(lambda x: np.real(x * (1.0 + 0.2j)))(1.0) == 1.0
    g = ag.holomorphic_grad(lambda x: x * (1.0 + 0.2j))(1.0 + 0j)
    assert g == 1.0 + 0.2j
    # a complex input with a real output keeps autograd's convention (conjugate)
    onp.testing.assert_allclose(ag.grad(lambda z: np.abs(z) ** 2)(1.0 + 1.0j), 2 - 2j)


# --- names autograd's tests import (each checked against SciPy / NumPy / finite differences) ---

def test_autograd_numpy_submodules_are_autograds():
    # np.linalg was ndgrad.linalg (the star import bound it), so np.linalg.T was missing
    import ndgrad.autograd.numpy.linalg as agl
    assert np.linalg is agl and np.linalg.T(np.ones((2, 3, 4))).shape == (2, 4, 3)
    assert np.fft.__name__.endswith("autograd.numpy.fft")
    assert np.random.__name__.endswith("autograd.numpy.random")


def test_make_diagonal_inverts_diagonal():
    from ndgrad.autograd.test_util import check_grads
    d = onp.random.RandomState(0).randn(3, 4)
    a = np.make_diagonal(d, axis1=-1, axis2=-2)
    onp.testing.assert_array_equal(onp.diagonal(onp.asarray(a), axis1=-1, axis2=-2), d)
    assert onp.count_nonzero(onp.asarray(a)) == 12
    check_grads(lambda d: np.make_diagonal(d, axis1=-1, axis2=-2))(d)
    with pytest.raises(ValueError, match="offset=0"):
        np.make_diagonal(d, offset=1)


def test_where_keywords_and_native_types():
    assert np.where(True, 1, 2) == 1 and type(np.where(True, 1, 2)) is int
    assert np.where([True, False], [1, 2], [3, 4]) == [1, 4]
    onp.testing.assert_array_equal(
        np.where(condition=[True, False, True], x=onp.arange(3.0), y=-onp.ones(3)), [0, -1, 2])
    with pytest.raises(ValueError, match="both or neither"):
        np.where(True, 1)


def test_primitive_vjps_table_and_deprecated_rules():
    import warnings
    from ndgrad.autograd.core import primitive, primitive_vjps
    f = primitive(lambda x, y: x * y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        f.defgrad(lambda ans, x, y: lambda g: y * g)
        f.defvjp(lambda g, ans, vs, gvs, x, y: x * g, argnum=1)
    assert ag.grad(f, 0)(2.0, 3.0) == 3.0 and ag.grad(f, 1)(2.0, 3.0) == 2.0
    rules = primitive_vjps.pop(f)
    with pytest.raises(NotImplementedError, match="VJP of"):
        ag.grad(f)(2.0, 3.0)
    primitive_vjps[f] = rules
    assert ag.grad(f)(2.0, 3.0) == 3.0
    assert primitive_vjps.pop(np.sin, None) is None  # ndgrad's own rules are not listed
    assert ag.grad(np.sin)(0.0) == 1.0


def test_autograd_convolve_axes_matches_scipy():
    sps = pytest.importorskip("scipy.signal")
    from ndgrad.autograd.scipy.signal import convolve
    from ndgrad.autograd.test_util import check_grads
    rs = onp.random.RandomState(1)
    a, b = rs.randn(3, 5), rs.randn(3, 4, 2)
    for mode in ("full", "valid", "same"):
        got = convolve(a, b, axes=([1], [1]), dot_axes=([0], [0]), mode=mode)
        want = sum(onp.stack([sps.convolve(a[i], b[i, :, k], mode) for k in range(2)])
                   for i in range(3))
        onp.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)
    check_grads(lambda a, b: convolve(a, b, axes=([1], [1]), dot_axes=([0], [0]),
                                      mode="valid"), (0, 1), modes=["rev", "fwd"])(a, b)


def test_solve_banded_and_sylvester_match_scipy_with_gradients():
    sl = pytest.importorskip("scipy.linalg")
    from ndgrad.autograd.scipy.linalg import solve_banded, solve_sylvester
    from ndgrad.autograd.test_util import check_grads
    rs = onp.random.RandomState(2)
    ab = rs.randn(4, 6)
    ab[2] += 4.0  # (l, u) = (1, 2): the diagonal is row u
    b = rs.randn(6, 2)
    onp.testing.assert_allclose(solve_banded((1, 2), ab, b), sl.solve_banded((1, 2), ab, b))
    check_grads(lambda ab, b: solve_banded((1, 2), ab, b), (0, 1), modes=["rev"])(ab, b)
    a, bb, q = rs.randn(3, 3), rs.randn(2, 2), rs.randn(3, 2)
    onp.testing.assert_allclose(solve_sylvester(a, bb, q), sl.solve_sylvester(a, bb, q))
    check_grads(solve_sylvester, (0, 1, 2), modes=["rev", "fwd"])(a, bb, q)


def test_singular_mvn_and_entropy_match_scipy():
    st = pytest.importorskip("scipy.stats")
    import ndgrad.autograd.scipy.stats.multivariate_normal as mvn
    cov = onp.zeros((3, 3))
    cov[:2, :2] = [[2.0, 0.5], [0.5, 1.0]]
    x = onp.array([[0.3, -1.0, 0.0], [1.0, 2.0, 0.0], [0.0, 0.0, 1.0]])
    for f in ("logpdf", "pdf"):
        onp.testing.assert_allclose(
            getattr(mvn, f)(x, onp.zeros(3), cov, allow_singular=True),
            getattr(st.multivariate_normal, f)(x, onp.zeros(3), cov, allow_singular=True))
    g = ag.grad(mvn.logpdf)(x[0], onp.zeros(3), cov, True)
    onp.testing.assert_allclose(g, -onp.linalg.pinv(cov) @ x[0])
    assert onp.isnan(ag.grad(mvn.logpdf)(x[2], onp.zeros(3), cov, True)).all()  # off support
    c = onp.array([[2.0, 0.3], [0.3, 1.0]])
    onp.testing.assert_allclose(mvn.entropy(onp.zeros(2), c),
                                st.multivariate_normal.entropy(onp.zeros(2), c))
    onp.testing.assert_allclose(ag.grad(mvn.entropy, 1)(onp.zeros(2), c),
                                0.5 * onp.linalg.inv(c).T)


@pytest.mark.parametrize("shape", [(5, 5), (7, 5), (2, 5, 5)])
def test_pinv_second_order_through_a_product_is_accurate(shape):
    # autograd's test_linalg.py::test_pinv failed under other seeds (--seed 1, 8) where
    # autograd passed: the second derivative of pinv(X^T X) was 28% off at cond(X^T X)
    # = 1.5e5 (autograd: 3e-4). For full rank, pinv is inv, whose rule is well conditioned
    rs = onp.random.RandomState(0)
    x = rs.randn(*shape)
    x[..., :, 0] = x[..., :, 1] + 1e-2 * rs.randn(*shape[:-1])
    v, w = rs.randn(*shape[:-2], 5, 5), rs.randn(*shape)

    def second(inv):
        f = lambda x: inv(np.matmul(np.swapaxes(x, -1, -2), x))
        return onp.asarray(ag.grad(lambda x: np.sum(w * ag.make_vjp(f)(x)[0](v)))(x))
    want = second(np.linalg.inv)
    got = second(np.linalg.pinv)
    # (the two are computed otherwise, an SVD and an LU, whose roundings a second
    # derivative magnifies by about cond(X^T X)**2 * eps = 2e-6: 1.2e-7 on an AMD EPYC's
    # OpenBLAS kernels, below 1e-7 on others. The bug this pins was 28% off)
    assert onp.abs(got - want).max() <= 1e-5 * onp.abs(want).max()

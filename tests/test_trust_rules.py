"""Reproducers of issue 8's silent wrong results in gradient rules, each pinned to the
right value (JAX's conventions where the math leaves a choice)."""
import math

import numpy as np
import pytest

import ndgrad as nd
from test_autograd import fd_grad as _fd_grad  # element-by-element central differences
from test_grad_fuzz import check_modes  # the fuzz's finite-difference checks, all modes


# -- 1. aliasing: no rule treats two operands as one variable because they share a buffer --
def test_constant_sharing_the_differentiated_buffer_is_a_constant():
    x = nd.asarray([1.0, 2.0, 3.0])
    np.testing.assert_array_equal(np.asarray(nd.grad(lambda t: nd.sum(t * x))(x)),
                                  [1.0, 2.0, 3.0])
    np.testing.assert_array_equal(np.asarray(nd.grad(lambda t: nd.sum(x * t))(x)),
                                  [1.0, 2.0, 3.0])
    # a penalty towards the starting point at the starting point: gradient 0
    w0 = nd.asarray([0.5, -1.0])
    pen = lambda w: nd.sum((w - w0) * (w - w0)) + nd.sum(w * w0)  # noqa: E731
    np.testing.assert_allclose(np.asarray(nd.grad(pen)(w0)), [0.5, -1.0])
    # the same variable twice is still counted twice
    np.testing.assert_array_equal(np.asarray(nd.grad(lambda t: nd.sum(t * t))(x)),
                                  [2.0, 4.0, 6.0])


# -- 2. pow at zero --------------------------------------------------------------------------
def _derivs(f, x, n=3):
    out, g = [], f
    for _ in range(n):
        g = nd.grad(g)
        out.append(float(g(nd.asarray(x))))
    return out


@pytest.mark.parametrize("expo, want", [
    (0, [0, 0, 0]), (0.0, [0, 0, 0]), (1, [1, 0, 0]), (1.0, [1, 0, 0]), (2, [0, 2, 0]),
    (2.0, [0, 2, 0]), (3, [0, 0, 6])])
def test_pow_derivatives_at_zero(expo, want):
    assert _derivs(lambda x: x ** expo, 0.0) == want
    # the same with the exponent an array (0-d, no gradient asked for it)
    e = nd.asarray(float(expo))
    assert _derivs(lambda x: x ** e, 0.0) == want


def test_polynomial_features_at_zero_have_finite_gradients():
    w = nd.asarray([1.0, 2.0, 3.0, 4.0])
    f = lambda x: nd.sum(nd.column_stack([x ** p for p in range(4)]) @ w)  # noqa: E731
    x = np.asarray([0.0, 0.5, -1.0])
    g = np.asarray(nd.grad(f)(nd.asarray(x)))
    np.testing.assert_allclose(g, 2.0 + 6.0 * x + 12.0 * x ** 2)


def test_pow_exponent_derivative_conventions():
    zero = nd.asarray(0.0)
    assert float(nd.grad(lambda y: zero ** y)(nd.asarray(2.0))) == 0.0   # x == 0: 0 (JAX)
    assert math.isnan(float(nd.grad(lambda y: nd.asarray(-2.0) ** y)(nd.asarray(3.0))))
    assert float(nd.grad(lambda x: x ** 3)(nd.asarray(-2.0))) == 12.0      # negative base
    assert float(nd.grad(lambda x: x ** nd.asarray(3.0))(nd.asarray(-2.0))) == 12.0
    # the mixed partial d/dy (y x**(y-1)) at y == 0 is 1/x, not the 0 of x**0's slope
    mixed = nd.grad(lambda y: nd.grad(lambda x: x ** y)(nd.asarray(2.0)))(nd.asarray(0.0))
    assert float(mixed) == pytest.approx(0.5)


# -- 3. eigh, eigvalsh, cholesky: the gradient of the function as computed ----------------
def _lower_differs():
    rng = np.random.default_rng(3)
    b = rng.standard_normal((3, 3))
    a = b @ b.T + 3 * np.eye(3)
    a[0, 2] += 5.0  # the upper triangle disagrees with the lower one
    a[1, 2] -= 2.0
    return a


@pytest.mark.parametrize("name, f, lower", [
    ("eigvalsh", lambda x: nd.sum(nd.linalg.eigvalsh(x) * nd.asarray([1.0, -2.0, 0.5])), True),
    ("eigvalsh U", lambda x: nd.sum(nd.linalg.eigvalsh(x, UPLO="U") ** 3), False),
    ("eigh", lambda x: nd.sum(nd.linalg.eigh(x).eigenvectors ** 4), True),
    ("cholesky", lambda x: nd.sum(nd.linalg.cholesky(x) * nd.reshape(
        nd.arange(9.0), (3, 3))), True),
    # (upper=True reads the upper triangle, as NumPy's LAPACK 'U' path)
    ("cholesky upper", lambda x: nd.sum(nd.linalg.cholesky(x, upper=True) ** 3), False)])
def test_one_triangle_readers_match_their_own_finite_differences(name, f, lower):
    a = _lower_differs()
    g = np.asarray(nd.grad(f)(nd.asarray(a)))
    np.testing.assert_allclose(g, _fd_grad(f, a), rtol=1e-5, atol=1e-6)
    other = np.triu(g, 1) if lower else np.tril(g, -1)
    assert not other.any()  # the triangle not read gets no gradient


def test_symmetric_input_built_from_parameters_gets_the_usual_gradient():
    # a = b + b.T: the chain rule through the triangle gives JAX's symmetric answer
    rng = np.random.default_rng(4)
    b = rng.standard_normal((3, 3))
    f = lambda b: nd.sum(nd.linalg.eigvalsh(b + nd.matrix_transpose(b)) ** 2)  # noqa: E731
    w, v = np.linalg.eigh(b + b.T)
    expected = 2 * (v @ np.diag(2 * w) @ v.T)  # d/db of sum(w**2), through a = b + b.T
    np.testing.assert_allclose(np.asarray(nd.grad(f)(nd.asarray(b))), expected, rtol=1e-9)


def test_complex_one_triangle_readers():
    rng = np.random.default_rng(5)
    z = rng.standard_normal((3, 3)) + 1j * rng.standard_normal((3, 3))
    a = z @ z.conj().T + 3 * np.eye(3)
    a[0, 2] += 1 + 2j  # the upper triangle disagrees; the diagonal has an imaginary part
    a[1, 1] += 0.3j
    for f in (lambda x: nd.linalg.eigvalsh(x),
              lambda x: (lambda r: (r.eigenvalues, nd.real(r.eigenvectors * nd.conj(
                  r.eigenvectors))))(nd.linalg.eigh(x, UPLO="U")),
              lambda x: nd.linalg.cholesky(x),
              lambda x: nd.linalg.cholesky(x, upper=True)):  # U = L^H, not L^T
        check_modes(f, [nd.asarray(a)], modes=("rev",))


# -- 4. std / var of one element, constant slices ---------------------------------------
def test_std_var_of_one_element_have_derivative_zero():
    x = nd.asarray([2.0])
    for f in (nd.std, nd.var):
        assert float(nd.grad(lambda t: f(t))(x)[0]) == 0.0
        _, t = nd.jvp(f, (x,), (nd.asarray([1.0]),))
        assert float(t) == 0.0
    # slices of size 1 along the reduced axis
    y = nd.asarray([[1.0], [4.0], [-2.0]])
    for f in (nd.std, nd.var):
        g = nd.grad(lambda t: nd.sum(f(t, axis=1) * nd.asarray([1.0, 2.0, 3.0])))(y)
        np.testing.assert_array_equal(np.asarray(g), np.zeros((3, 1)))
    # second order too
    h = nd.hessian(lambda t: nd.std(t))(x)
    np.testing.assert_array_equal(np.asarray(h), [[0.0]])


def test_std_at_a_constant_slice_is_zero_as_the_norms_and_var_is_zero():
    # the std is a 2-norm of the centred values, not differentiable where they are all 0:
    # the minimum-norm subgradient 0 (PyTorch's; what vector_norm and linalg.norm give at
    # 0), not the formula's 0 / 0 (JAX's nan, what this gave before)
    c = nd.asarray([1.5, 1.5, 1.5])  # exactly representable: the centred values are 0
    np.testing.assert_array_equal(np.asarray(nd.grad(nd.std)(c)), [0.0, 0.0, 0.0])
    np.testing.assert_array_equal(np.asarray(nd.grad(nd.var)(c)), [0.0, 0.0, 0.0])
    np.testing.assert_array_equal(np.asarray(nd.grad(nd.linalg.vector_norm)(c - 1.5)),
                                  [0.0, 0.0, 0.0])
    # one constant column among others, ddof=1, complex: 0 there, the formula elsewhere
    m = nd.asarray([[1.0, 2.0], [1.0, 3.0]])
    g = nd.grad(lambda t: nd.sum(nd.std(t, axis=0, ddof=1)))(m)
    np.testing.assert_allclose(np.asarray(g), [[0.0, -1 / math.sqrt(2)],
                                               [0.0, 1 / math.sqrt(2)]])
    z = nd.asarray([1 + 1j, 1 + 1j])
    np.testing.assert_array_equal(np.asarray(nd.grad(nd.std)(z)), [0j, 0j])
    # nanstd too (it was sqrt(nanvar): sqrt's inf times 0, nan), and its values stay
    # NumPy's (0 at a constant slice, nan for an all-nan one)
    c = nd.asarray([1.5, np.nan, 1.5])
    np.testing.assert_array_equal(np.asarray(nd.grad(nd.nanstd)(c)), [0.0, 0.0, 0.0])
    rows = np.array([[1.5, np.nan, 1.5], [np.nan, np.nan, np.nan], [1.0, 2.0, np.nan]])
    want = np.nanstd(rows, axis=1)
    got = nd.nanstd(nd.asarray(rows, requires_grad=True), axis=1).detach()
    np.testing.assert_array_equal(np.asarray(got), want)


# -- 5. complex rules ---------------------------------------------------------------------
def test_complex_tangents_of_real_outputs_have_the_right_real_part():
    z, t = nd.asarray(1 + 2j), nd.asarray(0.3 + 0.7j)
    _, ta = nd.jvp(nd.abs, (z,), (t,))
    assert np.real(np.asarray(ta)) == pytest.approx((0.3 * 1 + 0.7 * 2) / math.sqrt(5))
    _, ti = nd.jvp(nd.imag, (z,), (t,))
    assert np.real(np.asarray(ti)) == pytest.approx(0.7)
    _, tr = nd.jvp(nd.real, (z,), (t,))
    assert np.real(np.asarray(tr)) == pytest.approx(0.3)
    _, tg = nd.jvp(nd.angle, (z,), (t,))
    assert np.real(np.asarray(tg)) == pytest.approx(np.imag((0.3 + 0.7j) / (1 + 2j)))


def test_complex_tangents_of_real_outputs_are_real():
    z, t = nd.asarray(1 + 2j), nd.asarray(0.3 + 0.7j)
    for f in (nd.abs, nd.imag, nd.real, nd.angle):
        _, tt = nd.jvp(f, (z,), (t,))
        assert np.asarray(tt).dtype.kind == "f", f


def test_complex_gradients_of_angle_abs_imag():
    z = nd.asarray(1 + 2j)
    # JAX's convention: grad of a real f(x + iy) is df/dx - i df/dy
    assert complex(nd.grad(nd.angle)(z)) == pytest.approx(-0.4 - 0.2j)
    assert complex(nd.grad(nd.abs)(z)) == pytest.approx((1 - 2j) / math.sqrt(5))
    assert complex(nd.grad(nd.imag)(z)) == pytest.approx(-1j)
    assert complex(nd.grad(nd.abs)(nd.asarray(0j))) == 0  # JAX: 0 at 0


def test_complex_second_order_of_abs_svd_eig():
    rng = np.random.default_rng(6)
    z = rng.standard_normal((3,)) + 1j * rng.standard_normal((3,))
    check_modes(nd.abs, [nd.asarray(z)], modes=("rev", "revrev"))
    m = rng.standard_normal((3, 3)) + 1j * rng.standard_normal((3, 3))
    sq = lambda v: nd.real(v * nd.conj(v))  # noqa: E731
    check_modes(lambda x: (lambda r: (r.U @ r.Vh, r.S, sq(r.U)))(
        nd.linalg.svd(x, full_matrices=False)), [nd.asarray(m + 2 * np.eye(3))],
        modes=("rev", "revrev"))
    p = np.eye(3) + 0.2 * m
    a = p @ np.diag([1.0, 2.0, 3.0]) @ np.linalg.inv(p)
    check_modes(lambda x: (lambda r: nd.sum(r.eigenvalues * sq(r.eigenvectors), axis=1))(
        nd.linalg.eig(x)), [nd.asarray(a)], modes=("rev", "revrev"))


# -- 6. cumulative_prod's forward mode at zeros ----------------------------------------------
def test_cumprod_jvp_at_zeros():
    f = lambda z: nd.sum(nd.cumprod(z))  # noqa: E731
    x = nd.asarray([1.0, 0.0, 2.0])
    _, t = nd.jvp(f, (x,), (nd.asarray([1.0, 1.0, 1.0]),))
    assert float(t) == 4.0  # grad [1, 3, 0]
    np.testing.assert_array_equal(np.asarray(nd.grad(f)(x)), [1.0, 3.0, 0.0])


def test_cumprod_all_modes_at_zeros_along_an_axis():
    x = np.asarray([[0.5, 0.0], [0.0, 1.5], [2.0, -1.0], [0.0, 0.7]])
    check_modes(lambda v: nd.cumulative_prod(v, axis=0), [nd.asarray(x)])
    check_modes(lambda v: nd.cumulative_prod(v, axis=1, include_initial=True), [nd.asarray(x)])


def test_jvp_with_an_output_feeding_another_output():
    a, b = nd.asarray([1.0, 2.0]), nd.asarray([0.7, 1.3])

    def f(a, b):
        c = a / b
        return (c, c * a)
    _, (tc, tca) = nd.jvp(f, (a, b), (nd.asarray([1.0, 0.0]), nd.asarray([0.0, 1.0])))
    np.testing.assert_allclose(np.asarray(tc), [1 / 0.7, -2 / 1.3 ** 2])
    np.testing.assert_allclose(np.asarray(tca), [2 / 0.7, -4 / 1.3 ** 2])


def test_prod_second_order_with_subnormal_factors():
    # found by the slow fuzz: cumulative_prod's recorded rule divided by a subnormal x
    x = np.asarray([[6e-8, 1.77, 1.82], [7.3e-259, -2.2e-309, -1.14]])
    check_modes(lambda v: nd.prod(v, axis=1), [nd.asarray(x)])
    check_modes(lambda v: nd.cumulative_prod(v, axis=1), [nd.asarray(x)])

"""Gradients where the textbook rule loses digits, against references that keep them.

Each rule here once read a quantity that had already lost its digits: ``1 - tanh(x)**2``
from the rounded tanh, ``1 - x*x`` near ``|x| = 1``, ``expm1(x) + 1`` below -37,
``x*x + 1`` overflowing, sinc's ``cos y / y - sin y / y**2``. The results were silently
wrong (a 0 gradient, or a few correct digits) where PyTorch's, JAX's and TF's are wrong
alike. float32 inputs are checked against the same derivative in float64; float64 inputs
against NumPy's extended precision (``longdouble``, 64-bit mantissa on x86), where there
is one.
"""
import math

import numpy as np
import pytest

import ndgrad as nd

LD = np.longdouble
HAS_EXTENDED = np.finfo(LD).eps < np.finfo(np.float64).eps

# name, ndgrad function, derivative written to keep its digits (evaluated in a wider
# dtype), points
CASES = [
    ("tanh", nd.tanh, lambda x: 1 / np.cosh(x) ** 2,
     [-40.0, -19.5, -10.0, -5.0, -0.5, 0.0, 1e-8, 0.7, 5.0, 9.5, 12.0, 30.0]),
    ("expm1", nd.expm1, np.exp, [-700.0, -487.3, -40.0, -1.0, -1e-9, 0.0, 2.5, 30.0]),
    ("arcsin", nd.arcsin, lambda x: 1 / np.sqrt((1 - x) * (1 + x)),
     [-0.99999994, -0.9998, -0.5, 0.0, 0.3, 0.9998, 0.99999994]),
    ("arccos", nd.arccos, lambda x: -1 / np.sqrt((1 - x) * (1 + x)),
     [-0.99999994, -0.9998, 0.0, 0.9998, 0.99999994]),
    ("arctanh", nd.arctanh, lambda x: 1 / ((1 - x) * (1 + x)),
     [-0.99999994, -0.9998, 0.25, 0.9998, 0.99999994]),
    ("arcsinh", nd.arcsinh, lambda x: 1 / np.sqrt(x * x + 1),
     [-3e37, -1e20, -2.0, 0.0, 1e-30, 7.0, 1e19, 3e37]),
    ("arccosh", nd.arccosh, lambda x: 1 / np.sqrt((x - 1) * (x + 1)),
     [1.0000001, 1.5, 10.0, 1e19, 3e37]),
    ("sinc", nd.sinc,
     lambda x: (np.pi * x * np.cos(np.pi * x) - np.sin(np.pi * x)) / (np.pi * x * x),
     [-1.1, -0.7, 0.3, 0.9, 1.3]),   # (|pi x| > 1: the closed form; pi x's rounding
    # in the input's dtype moves sinc' far more beyond, in the forward as well)
]


def _check(f, dref, points, dtype, wide, rtol):
    x = np.asarray(points, dtype)
    g = np.asarray(nd.grad(lambda t: nd.sum(f(t)))(nd.asarray(x)))
    assert g.dtype == dtype
    with np.errstate(all="ignore"):
        # (rounded to the dtype: exp(-487) is 0 in float32)
        want = dref(x.astype(wide)).astype(dtype).astype(wide)
    np.testing.assert_allclose(g.astype(wide), want, rtol=rtol, atol=0)


@pytest.mark.parametrize("name, f, dref, points", CASES, ids=[c[0] for c in CASES])
def test_float32_gradient_against_float64(name, f, dref, points):
    # (float32 before: tanh' at 5.0 off by 3e-4 and 0 beyond 9; asin' at 0.9998 by 4e-5;
    # asinh' 0 past 1e19 (x*x overflows); expm1' 0 below -17; sinc' 0 near 6e-5)
    _check(f, dref, points, np.float32, np.float64, rtol=4 * np.finfo(np.float32).eps)


@pytest.mark.skipif(not HAS_EXTENDED, reason="no extended-precision longdouble here")
@pytest.mark.parametrize("name, f, dref, points", CASES, ids=[c[0] for c in CASES])
def test_float64_gradient_against_longdouble(name, f, dref, points):
    pts = {"arcsinh": [-1.57e258, -2.0, 0.0, 7.0, 9.3e69, 1e300],
           "arccosh": [1.0 + 2 ** -40, 1.5, 2e174, 1e300],
           "tanh": [-67.0, -30.0, -10.0, 0.5, 10.0, 19.5, 40.0, 300.0],
           "arcsin": [-1 + 2 ** -40, -0.9999999973, 0.3, 0.99999999, 1 - 2 ** -50],
           "arccos": [-1 + 2 ** -40, 0.99999999, 1 - 2 ** -50],
           "arctanh": [-1 + 2 ** -40, 0.99999999, 1 - 2 ** -50]}.get(name, points)
    _check(f, dref, pts, np.float64, LD, rtol=4 * np.finfo(np.float64).eps)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sinc_gradient_near_zero(dtype):
    # pi (y cos y - sin y) / y**2 with y = pi x is -pi**2 x / 3 (1 - y**2/10 + y**4/280) to
    # within y**6 / 15120 of itself; the differentiated composition lost its digits here (float64
    # at 1e-5: 3e-7 relative error; float32 at 6e-5: 0)
    x = np.asarray([-3e-3, -1e-5, -1e-12, 0.0, 1e-300 if dtype == np.float64 else 1e-40,
                    6.4e-5, 1e-3, 2e-3], dtype)
    y = np.pi * x.astype(np.float64)
    want = -np.pi * y / 3 * (1 - y * y / 10 + y ** 4 / 280)
    g = np.asarray(nd.grad(lambda t: nd.sum(nd.sinc(t)))(nd.asarray(x)))
    np.testing.assert_allclose(g, want, rtol=8 * np.finfo(dtype).eps,
                               atol=float(np.finfo(dtype).smallest_subnormal))
    # the second derivative at 0 is -pi**2 / 3
    h = nd.grad(nd.grad(nd.sinc))(nd.asarray(dtype(0.0)))
    assert math.isclose(float(h), -math.pi ** 2 / 3, rel_tol=8 * np.finfo(dtype).eps)


def test_sinc_value_is_numpys_under_recording():
    # the op's forward takes NumPy's own steps (pi x, 0 replaced by eps, sin(y) / y)
    x = np.concatenate([[0.0, -0.0, 1e-320, 0.5, 1.0],
                        np.random.default_rng(0).normal(size=50) * 3])
    for dtype in (np.float16, np.float32, np.float64, np.complex128):
        xs = x.astype(dtype)
        out = []
        nd.grad(lambda t: (out.append(nd.sinc(t)), nd.sum(nd.real(out[0])))[1])(
            nd.asarray(xs))
        with np.errstate(all="ignore"):
            want = np.sinc(xs)
        got = np.asarray(out[0].detach())
        assert got.dtype == want.dtype
        np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("z", [-2 + 0.1j, -2 - 0.1j, -0.5 - 2j, 0.5 + 2j, 3 - 1j])
def test_complex_arccosh_gradient_follows_its_branch(z):
    # d/dz acosh z = 1 / (sqrt(z - 1) sqrt(z + 1)); 1 / sqrt(z*z - 1) had the opposite
    # sign wherever Re z < 0, silently. Against central differences of NumPy's arccosh
    h = 1e-7
    fd = (np.arccosh(z + h) - np.arccosh(z - h)) / (2 * h)
    g = complex(nd.grad(nd.arccosh, holomorphic=True)(nd.asarray(z)))
    assert abs(g - fd) <= 1e-6 * abs(fd)


def test_i0_gradient_is_i1_everywhere():
    # nd.i0's gradient was a 40-term power series': right near 0, silently wrong past
    # |x| = 40 (at 700: 7.4e104 where I1(700) is 1.5e302), under nd.jit as well
    sp = pytest.importorskip("scipy.special")
    x = np.asarray([-709.0, -45.0, -20.0, -3.0, 0.0, 1e-300, 0.5, 19.99, 20.0, 60.0, 700.0])
    want = sp.i1(x)
    g = np.asarray(nd.grad(lambda t: nd.sum(nd.i0(t)))(nd.asarray(x)))
    np.testing.assert_allclose(g, want, rtol=1e-13, atol=0)
    gj = np.asarray(nd.jit(nd.grad(lambda t: nd.sum(nd.i0(t))))(nd.asarray(x)))
    np.testing.assert_allclose(gj, want, rtol=1e-13, atol=0)
    # the second derivative, I0 - I1/x (1/2 at 0)
    h = [float(nd.grad(nd.grad(nd.i0))(nd.asarray(v))) for v in (0.0, 3.0, 50.0)]
    np.testing.assert_allclose(h, [0.5, sp.i0(3.0) - sp.i1(3.0) / 3, sp.i0(50.0) - sp.i1(50.0) / 50],
                               rtol=1e-13)
    # the value stays NumPy's own
    out = []
    nd.grad(lambda t: (out.append(nd.i0(t)), nd.sum(out[0]))[1])(nd.asarray(x[1:-1]))
    np.testing.assert_array_equal(np.asarray(out[0].detach()), np.i0(x[1:-1]))

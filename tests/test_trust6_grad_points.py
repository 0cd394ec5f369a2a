"""Gradients at special points against PyTorch's and JAX's (docs/gradient_special_points.md).

The peers' numbers were read off PyTorch 2.13 (CPU) and JAX 0.10.2 (x64) with a script
outside the repository (``torch.autograd.grad`` / ``jax.grad`` of the same expression, in
float64). Where both agree ndgrad has their value; where they disagree the table says which
one ndgrad follows. Changed here: ``cbrt`` at +-0 (JAX: +inf, the limit from both sides; was
NaN), ``copysign(x, y)`` in x at x = 0 (PyTorch: 0, abs's subgradient, as ndgrad's
``abs``; was 1), ``arctan2`` away from the origin (no underflow in r^2), ``clip`` of a NaN
(0, as both and as TensorFlow's ``clip_by_value``; was 1).
"""
import math
import warnings

import numpy as np
import pytest

import ndgrad as nd

inf, nan = math.inf, math.nan

# name, f, point (a float, a pair for two arguments, a list for a vector), ndgrad's value,
# (PyTorch's, JAX's) value
POINTS = [
    ("cbrt at 0", nd.cbrt, 0.0, inf, (None, inf)),            # (PyTorch has no cbrt)
    ("cbrt at -0", nd.cbrt, -0.0, inf, (None, inf)),
    ("sqrt at 0", nd.sqrt, 0.0, inf, (inf, inf)),
    ("sqrt at -0", nd.sqrt, -0.0, -inf, (-inf, -inf)),
    ("x**0.5 at 0", lambda x: x ** 0.5, 0.0, inf, (inf, inf)),
    ("x**2 at 0", lambda x: x ** 2, 0.0, 0.0, (0.0, 0.0)),
    ("x**1.5 at 0", lambda x: x ** 1.5, 0.0, 0.0, (0.0, 0.0)),
    ("x**0 at 0", lambda x: x ** 0.0, 0.0, 0.0, (0.0, nan)),
    ("x**-1 at 0", lambda x: x ** -1.0, 0.0, -inf, (-inf, -inf)),
    ("power(0, y) at 0", lambda y: nd.power(0.0, y), 0.0, 0.0, (0.0, 0.0)),
    ("x**y at (0, 0)", lambda x, y: x ** y, (0.0, 0.0), [0.0, 0.0], ([0.0, 0.0], [nan, 0.0])),
    ("x**y at (0, 0.5)", lambda x, y: x ** y, (0.0, 0.5), [inf, 0.0], ([inf, 0.0],) * 2),
    ("x**y at (-1, 2)", lambda x, y: x ** y, (-1.0, 2.0), [-2.0, nan], ([-2.0, nan],) * 2),
    ("abs at 0", nd.abs, 0.0, 0.0, (0.0, 1.0)),
    ("abs at -0", nd.abs, -0.0, 0.0, (0.0, 1.0)),
    ("sign at 0", nd.sign, 0.0, 0.0, (0.0, 0.0)),
    ("log at 0", nd.log, 0.0, inf, (inf, inf)),
    ("log1p at -1", nd.log1p, -1.0, inf, (inf, inf)),
    ("arcsin at 1", nd.arcsin, 1.0, inf, (inf, inf)),
    ("arccos at 1", nd.arccos, 1.0, -inf, (-inf, -inf)),
    ("arctanh at 1", nd.arctanh, 1.0, inf, (inf, inf)),
    ("hypot at (0, 0)", nd.hypot, (0.0, 0.0), [0.0, 0.0], ([nan, nan], [0.5, 0.5])),
    # (the origin: JAX's and TensorFlow's NaN, the rule ndgrad.tf shares; PyTorch's 0)
    ("arctan2 at (0, 0)", nd.arctan2, (0.0, 0.0), [nan, nan], ([0.0, 0.0], [nan, nan])),
    ("arctan2 at (0, -0)", nd.arctan2, (0.0, -0.0), [nan, nan], ([0.0, 0.0], [nan, nan])),
    ("copysign at (0, 1)", nd.copysign, (0.0, 1.0), [0.0, 0.0], ([0.0, 0.0], [1.0, 0.0])),
    ("copysign at (-0, 1)", nd.copysign, (-0.0, 1.0), [0.0, 0.0], ([0.0, 0.0], [1.0, 0.0])),
    ("copysign at (1, 0)", nd.copysign, (1.0, 0.0), [1.0, 0.0], ([1.0, 0.0],) * 2),
    ("maximum tie", nd.maximum, (1.0, 1.0), [0.5, 0.5], ([0.5, 0.5],) * 2),
    ("minimum tie", nd.minimum, (1.0, 1.0), [0.5, 0.5], ([0.5, 0.5],) * 2),
    ("fmax tie", nd.fmax, (1.0, 1.0), [0.5, 0.5], ([1.0, 0.0], [0.0, 1.0])),
    ("relu at 0", lambda x: nd.maximum(x, 0.0), 0.0, 0.5, (0.5, 0.5)),
    ("clip at the upper bound", lambda x: nd.clip(x, 0.0, 1.0), 1.0, 1.0, (1.0, 0.5)),
    ("clip at the lower bound", lambda x: nd.clip(x, 0.0, 1.0), 0.0, 1.0, (1.0, 0.5)),
    # (a NaN x: 0, as TensorFlow 2.15's tf.clip_by_value too; it was 1, a mask rule said
    # to be TensorFlow's that its public clip_by_value does not use)
    ("clip of nan", lambda x: nd.sum(nd.clip(x, 0.0, 1.0)), [nan, 0.5], [0.0, 1.0],
     ([0.0, 1.0],) * 2),
    ("norm at 0", nd.linalg.norm, [0.0, 0.0], [0.0, 0.0], ([0.0, 0.0], [nan, nan])),
    ("norm at inf", nd.linalg.norm, [inf, 1.0], [nan, 0.0], ([nan, 0.0],) * 2),
    ("max tie", nd.max, [1.0, 1.0], [0.5, 0.5], ([0.5, 0.5],) * 2),
    ("std of a constant", nd.std, [1.0, 1.0], [0.0, 0.0], ([0.0, 0.0], [nan, nan])),
    ("var of a constant", nd.var, [1.0, 1.0], [0.0, 0.0], ([0.0, 0.0],) * 2),
    ("prod with two zeros", nd.prod, [0.0, 0.0, 2.0], [0.0, 0.0, 0.0], ([0.0, 0.0, 0.0],) * 2),
    ("prod with one zero", nd.prod, [0.0, 3.0, 2.0], [6.0, 0.0, 0.0], ([6.0, 0.0, 0.0],) * 2),
    ("cumprod with a zero", lambda x: nd.sum(nd.cumprod(x)), [2.0, 0.0, 3.0], [1.0, 8.0, 0.0],
     ([1.0, 8.0, 0.0],) * 2),
    ("logaddexp at (-inf, -inf)", nd.logaddexp, (-inf, -inf), [nan, nan], ([nan, nan],) * 2),
    ("logaddexp at (inf, inf)", nd.logaddexp, (inf, inf), [nan, nan],
     ([nan, nan], [1.0, 1.0])),
    ("x*log(x) at 0", lambda x: x * nd.log(x), 0.0, nan, (nan, nan)),
    ("sinc at 0", nd.sinc, 0.0, 0.0, (0.0, 0.0)),
    ("exp at -inf", nd.exp, -inf, 0.0, (0.0, 0.0)),
    ("tanh at inf", nd.tanh, inf, 0.0, (0.0, 0.0)),
    ("sqrt at inf", nd.sqrt, inf, 0.0, (0.0, 0.0)),
    ("0/0", nd.divide, (0.0, 0.0), [inf, nan], ([inf, nan],) * 2),
]


def _grad(f, p):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")     # (the forward's own, log(0)'s ...)
        if isinstance(p, tuple):
            g = nd.grad(f, argnums=(0, 1))(nd.asarray(p[0]), nd.asarray(p[1]))
            return [float(v) for v in g]
        if isinstance(p, list):
            return [float(v) for v in nd.grad(f)(nd.asarray(p))]
        return float(nd.grad(f)(nd.asarray(p)))


@pytest.mark.parametrize("name,f,p,want,peers", POINTS, ids=[c[0] for c in POINTS])
def test_gradient_at_a_special_point(name, f, p, want, peers):
    got = _grad(f, p)
    np.testing.assert_array_equal(np.asarray(got, float), np.asarray(want, float), err_msg=name)
    torch_v, jax_v = peers
    # the table's choice: a peer's value (when they agree, theirs), or the documented
    # convention (hypot at the origin: the 2-norm's 0, as linalg.norm; fmax on a tie:
    # maximum's even split)
    if name in ("hypot at (0, 0)", "fmax tie"):
        return       # (the conventions the docs name: neither peer's)
    if torch_v is not None and np.array_equal(torch_v, jax_v, equal_nan=True):
        np.testing.assert_array_equal(np.asarray(got, float), np.asarray(torch_v, float))
    else:
        assert any(v is not None and np.array_equal(np.asarray(got, float), np.asarray(v, float),
                                                      equal_nan=True) for v in peers), name


def test_cbrt_derivatives_away_from_zero_and_second_order():
    x = nd.asarray([8.0, -27.0, 1e-300, -0.125])
    g = nd.grad(lambda x: nd.sum(nd.cbrt(x)))(x)
    c = np.cbrt(np.asarray(x))
    np.testing.assert_allclose(g, 1.0 / (3.0 * c * c), rtol=1e-15)
    h = nd.hessian(lambda x: nd.sum(nd.cbrt(x)))(nd.asarray([8.0, -27.0]))
    np.testing.assert_allclose(np.diag(np.asarray(h)), [-2.0 / 9.0 / 32.0, 2.0 / 9.0 / 243.0],
                               rtol=1e-14)
    # the value stays NumPy's cube root, float32 too
    for dt in (np.float64, np.float32):
        v = np.asarray([0.0, -0.0, 27.0, -8.0, 3.0], dt)
        y = nd.cbrt(nd.asarray(v, requires_grad=True))
        np.testing.assert_array_equal(np.asarray(y.detach()), np.cbrt(v))
        assert y.dtype == dt and np.signbit(np.asarray(y.detach())[1])


def test_arctan2_gradient_has_no_underflow_or_overflow_in_r_squared():
    y = nd.asarray([1e-200, 1e300, 3.0, -2.0])
    x = nd.asarray([1e-200, 1e300, 4.0, 0.5])
    gy, gx = nd.grad(lambda y, x: nd.sum(nd.arctan2(y, x)), argnums=(0, 1))(y, x)
    yn, xn = np.asarray(y), np.asarray(x)
    r = np.hypot(yn, xn)
    np.testing.assert_allclose(gy, (xn / r) / r, rtol=1e-15)
    np.testing.assert_allclose(gx, -(yn / r) / r, rtol=1e-15)
    assert np.all(np.isfinite(np.asarray(gy))) and float(gy[0]) > 1e199


NAN = float("nan")
# a NaN or inf cotangent reaching a norm at 0: the rule's zero is the Jacobian's, times the
# cotangent, so NaN stays NaN (PyTorch and JAX give NaN for every row; ndgrad gave 0, a
# finite number hiding the NaN)
NAN_THROUGH_NORMS = {
    "sqrt(norm(x))": lambda x: nd.sqrt(nd.linalg.norm(x)),
    "norm(x) * nan": lambda x: nd.linalg.norm(x) * NAN,
    "vector_norm(x) * nan": lambda x: nd.linalg.vector_norm(x) * NAN,
    "vector_norm(x, 3) * nan": lambda x: nd.linalg.vector_norm(x, ord=3) * NAN,
    "matrix_norm(fro) * nan": lambda x: nd.linalg.matrix_norm(
        nd.reshape(nd.concat([x, x]), (2, 2))) * NAN,
    "sum(x / norm(x))": lambda x: nd.sum(x / nd.linalg.norm(x)),
}


@pytest.mark.parametrize("name", sorted(NAN_THROUGH_NORMS))
def test_a_nan_cotangent_through_a_norm_at_zero_stays_nan(name):
    f = NAN_THROUGH_NORMS[name]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        g = nd.grad(f)(nd.zeros(2))
    assert np.all(np.isnan(np.asarray(g))), (name, g)
    # a finite cotangent still gets the subgradient 0 there, and the derivative elsewhere
    for h in (nd.linalg.norm, lambda x: nd.linalg.vector_norm(x, ord=3),
              lambda x: nd.linalg.matrix_norm(nd.reshape(nd.concat([x, x]), (2, 2)))):
        np.testing.assert_array_equal(nd.grad(lambda x: 2.0 * h(x))(nd.zeros(2)), [0.0, 0.0])
    np.testing.assert_allclose(nd.grad(nd.linalg.norm)(nd.asarray([3.0, 4.0])), [0.6, 0.8])

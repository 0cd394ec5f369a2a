"""sqrt's and reciprocal's rules give 0 where their cotangent is 0, not 0 * inf = NaN:
``where(d > 0, sqrt(d), 0)`` differentiates to 0 where the branch is not taken (TF 2's
SqrtGrad/ReciprocalGrad kernels; JAX and PyTorch give NaN there). Where a cotangent
reaches the singular point, the gradient stays the true infinite one."""
import numpy as np
import pytest

import ndgrad as nd


def safe_sqrt(x):
    return nd.sum(nd.where(x > 0, nd.sqrt(x), 0.0))


def safe_inv(x):
    return nd.sum(nd.where(x != 0, 1.0 / x, 0.0))


def safe_recip(x):
    return nd.sum(nd.where(x != 0, nd.reciprocal(x), 0.0))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_first_order(dtype):
    x = nd.asarray(np.array([-1.0, 0.0, 4.0], dtype))
    np.testing.assert_array_equal(np.asarray(nd.grad(safe_sqrt)(x)), [0.0, 0.0, 0.25])
    np.testing.assert_array_equal(np.asarray(nd.grad(safe_recip)(x)), [-1.0, 0.0, -0.0625])
    # a cotangent that reaches the singular point: the derivative itself
    assert float(nd.grad(nd.sqrt)(nd.asarray(dtype(0.0)))) == np.inf
    assert float(nd.grad(nd.reciprocal)(nd.asarray(dtype(0.0)))) == -np.inf
    # (1 / x is divide, whose rule reads the operand: JAX's and TF's NaN there)
    assert np.isnan(np.asarray(nd.grad(safe_inv)(x))[1])


def test_higher_order_jit_and_jacobian():
    x = nd.asarray([-1.0, 0.0, 4.0])
    # second order runs the rules recorded: the fix-up is an op there (where)
    h = nd.grad(lambda x: nd.sum(nd.grad(safe_sqrt)(x)))(x)
    np.testing.assert_allclose(np.asarray(h), [0.0, 0.0, -1 / 32])
    np.testing.assert_array_equal(np.asarray(nd.jit(nd.grad(safe_sqrt))(x)),
                                  [0.0, 0.0, 0.25])
    j = nd.jacobian(lambda x: nd.where(x > 0, nd.sqrt(x), 0.0))(x)
    np.testing.assert_array_equal(np.asarray(j), np.diag([0.0, 0.0, 0.25]))


def test_finite_factors_unchanged_and_no_warning_state_change():
    x = nd.asarray(np.linspace(0.5, 3.0, 7))
    np.testing.assert_allclose(np.asarray(nd.grad(lambda x: nd.sum(nd.sqrt(x)))(x)),
                               0.5 / np.sqrt(np.linspace(0.5, 3.0, 7)))
    before = np.geterr()
    nd.grad(safe_sqrt)(nd.asarray([-1.0, 4.0]))
    assert np.geterr() == before

"""What a fuzz of higher-order and forward-mode derivatives against JAX 0.10 (x64) found:
each case's expected value is eager ndgrad's, JAX's and central finite differences' (they
agree), or JAX's refusal's kind."""
import numpy as np
import pytest

import ndgrad as nd

RNG = np.random.default_rng(0)
C = RNG.normal(size=(3, 3))
W3 = RNG.normal(size=3)


def _spd(x):
    a = nd.reshape(x, (3, 3))
    return a @ a.T + 0.5 * nd.eye(3)


OPS = {
    "matmul": lambda x: nd.reshape(x, (3, 3)) @ C,
    "dot": lambda x: nd.dot(nd.reshape(x, (3, 3)), C),
    "inv": lambda x: nd.linalg.inv(_spd(x)),
    "pinv": lambda x: nd.linalg.pinv(nd.reshape(x, (3, 3))),
    "eigh_vectors_sq": lambda x: nd.linalg.eigh(_spd(x))[1] ** 2,
    "matrix_power": lambda x: nd.linalg.matrix_power(nd.reshape(x, (3, 3)), 3),
    "multi_dot": lambda x: nd.linalg.multi_dot([nd.reshape(x, (3, 3)), C, C.T]),
    "cholesky": lambda x: nd.linalg.cholesky(_spd(x)),
    "solve": lambda x: nd.linalg.solve(_spd(x), C),
}
REDUCE = {
    "sum": lambda y: nd.sum(y),
    "mean": lambda y: nd.mean(y),
    "sum0_w": lambda y: nd.sum(nd.sum(y, axis=0) * W3),
    "sum1_w": lambda y: nd.sum(nd.sum(y, axis=1) * W3),
    "keepdims": lambda y: nd.sum(nd.sum(y, axis=1, keepdims=True) * W3),
}


@pytest.mark.parametrize("red", sorted(REDUCE))
@pytest.mark.parametrize("op", sorted(OPS))
def test_jit_of_a_gradient_through_a_matrix_product_is_eagers(op, red):
    """(nd.jit's simplify pass fed a sum's seed un-broadcast to every NumPy ufunc reading
    it, generalized ones (matmul) included: 51 of the fuzz's 115 op x reduction pairs
    raised a shape error, and a sum over cholesky's rows gave a wrong gradient; 36 of
    these 46 cases failed.)"""
    x = nd.asarray(RNG.normal(size=9) if op != "matrix_power" else RNG.normal(size=9) / 2)

    def f(t):
        return nd.sin(REDUCE[red](OPS[op](t)))
    want = np.asarray(nd.grad(f)(x))
    got = np.asarray(nd.jit(nd.grad(f))(x))
    np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12)
    v, g = nd.jit(nd.value_and_grad(f))(x)
    np.testing.assert_allclose(np.asarray(g), want, rtol=1e-10, atol=1e-12)


def test_jit_value_and_grad_of_a_broadcast_matmul():
    A = RNG.normal(size=(3, 3))

    def f(x):
        return nd.sum(nd.broadcast_to(x[0], (3, 3)) @ A)
    x = nd.asarray([0.3, 0.7])
    v, g = nd.jit(nd.value_and_grad(f))(x)
    np.testing.assert_allclose(np.asarray(g), np.asarray(nd.grad(f)(x)), rtol=1e-12)

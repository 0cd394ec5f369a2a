"""Norm gradients at zero and elsewhere, through every norm entry point.

At an all-zero slice the 2-norm, the Frobenius norm and the p-norms (p > 1) have no
derivative; ndgrad gives the minimum-norm subgradient 0 there (PyTorch's ``norm_backward``:
its ``scale_v.masked_fill_(norm == 0, 0)``), and for p < 1 it gives 0 at a zero element
(PyTorch's ``masked_fill(self == 0, 0)`` of ``|x|^(p-1)``). These used to be NaN through
``linalg.norm`` (any vector/Frobenius order), ``matrix_norm('fro')`` and ``vector_norm``
with p != 1, 2. Elsewhere the gradients match central finite differences, and the values of
``linalg.norm`` stay NumPy's own bit for bit while a gradient is recorded.
"""
import numpy as np
import pytest

import ndgrad as nd
from helpers import fd_grad

LA = nd.linalg
INF = float("inf")


# (name, function of an ndgrad array, the shapes it takes)
ENTRY_POINTS = [
    ("norm", lambda x: LA.norm(x), [(3,), (2, 3), (2, 2, 2)]),
    ("norm_keepdims", lambda x: LA.norm(x, keepdims=True), [(3,), (2, 3)]),
    ("norm_ord2_vector", lambda x: LA.norm(x, ord=2), [(3,)]),
    ("norm_fro", lambda x: LA.norm(x, "fro"), [(2, 3)]),
    ("norm_axis1", lambda x: LA.norm(x, axis=1), [(2, 3), (2, 3, 2)]),
    ("norm_axis_neg", lambda x: LA.norm(x, axis=-1, keepdims=True), [(2, 3)]),
    ("norm_axis_tuple1", lambda x: LA.norm(x, ord=2, axis=(0,)), [(2, 3)]),
    ("norm_fro_pair", lambda x: LA.norm(x, "fro", axis=(2, 0)), [(2, 3, 2)]),
    ("norm_fro_pair_keep", lambda x: LA.norm(x, axis=(0, 1), keepdims=True), [(2, 3)]),
    ("norm_p3", lambda x: LA.norm(x, ord=3, axis=1), [(2, 3)]),
    ("norm_p3_flat", lambda x: LA.norm(x, ord=3), [(3,)]),
    ("norm_p1.5", lambda x: LA.norm(x, ord=1.5, axis=0), [(3, 2)]),
    ("norm_inf", lambda x: LA.norm(x, ord=INF, axis=1), [(2, 3)]),
    ("norm_1", lambda x: LA.norm(x, ord=1, axis=-1), [(2, 3)]),
    ("matrix_norm", lambda x: LA.matrix_norm(x), [(2, 3), (2, 2, 3)]),
    ("matrix_norm_keep", lambda x: LA.matrix_norm(x, keepdims=True), [(2, 3)]),
    ("vector_norm", lambda x: LA.vector_norm(x), [(3,), (2, 3)]),
    ("vector_norm_axis", lambda x: LA.vector_norm(x, axis=(0, 2)), [(2, 3, 2)]),
    ("vector_norm_p3", lambda x: LA.vector_norm(x, ord=3), [(3,), (2, 3)]),
    ("vector_norm_p3_axis", lambda x: LA.vector_norm(x, ord=3, axis=1, keepdims=True),
     [(2, 3)]),
    ("vector_norm_p1.5", lambda x: LA.vector_norm(x, ord=1.5, axis=0), [(3, 2)]),
    ("vector_norm_p4", lambda x: LA.vector_norm(x, ord=4.0), [(2, 3)]),
    ("np_dispatch", lambda x: np.linalg.norm(x, axis=-1), [(2, 3)]),
]
CASES = [(n, f, s) for n, f, shapes in ENTRY_POINTS for s in shapes]
IDS = [f"{n}-{s}" for n, f, s in CASES]


def _loss(f):
    # a weighted sum, so every output element gets its own cotangent
    def loss(x):
        y = f(x)
        w = nd.asarray(np.arange(1.0, 1.0 + y.size).reshape(y.shape))
        return nd.sum(y * w)
    return loss


@pytest.mark.parametrize("dtype", ["float32", "float64", "complex128"])
@pytest.mark.parametrize("name,f,shape", CASES, ids=IDS)
def test_gradient_at_zero_is_zero(name, f, shape, dtype):
    x = nd.zeros(shape, dtype=dtype)
    g = nd.grad(_loss(f))(x)
    assert g.dtype == x.dtype and g.shape == x.shape
    np.testing.assert_array_equal(np.asarray(g), np.zeros(shape, dtype))


@pytest.mark.parametrize("name,f,shape", CASES, ids=IDS)
def test_gradient_with_one_zero_slice(name, f, shape):
    # the first slice along axis 0 all zero, the rest generic: 0 on the zero slice where
    # it forms its own norm, finite differences elsewhere
    rng = np.random.default_rng(3)
    a = rng.uniform(0.5, 2.0, shape) * rng.choice([-1.0, 1.0], shape)
    a[0] = 0.0
    g = np.asarray(nd.grad(_loss(f))(nd.asarray(a)))
    assert np.isfinite(g).all(), g
    # finite differences on the nonzero entries (the function is smooth there)
    fd = fd_grad(_loss(f), a)
    np.testing.assert_allclose(g[1:], fd[1:], rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("name,f,shape", CASES, ids=IDS)
def test_gradient_matches_finite_differences(name, f, shape):
    rng = np.random.default_rng(7)
    a = rng.uniform(0.5, 2.0, shape) * rng.choice([-1.0, 1.0], shape)
    a.flat[0] = 3.0  # no ties for the inf-norm
    g = nd.grad(_loss(f))(nd.asarray(a))
    np.testing.assert_allclose(np.asarray(g), fd_grad(_loss(f), a), rtol=1e-6, atol=1e-7)


def _fd_complex(loss, z, eps=1e-6):
    """JAX's convention: the cotangent of z is d/dRe - i d/dIm."""
    gr, gi = np.zeros(z.shape), np.zeros(z.shape)
    for i in np.ndindex(z.shape):
        for d, out in ((1.0, gr), (1j, gi)):
            a, b = z.copy(), z.copy()
            a[i] += eps * d
            b[i] -= eps * d
            out[i] = (float(loss(nd.asarray(a))) - float(loss(nd.asarray(b)))) / (2 * eps)
    return gr - 1j * gi


@pytest.mark.parametrize("name,f,shape", CASES[::3], ids=IDS[::3])
def test_complex_gradient_matches_finite_differences(name, f, shape):
    rng = np.random.default_rng(11)
    z = rng.uniform(-2, 2, shape) + 1j * rng.uniform(-2, 2, shape)
    z.flat[0] = 4 + 3j
    g = nd.grad(_loss(f))(nd.asarray(z))
    np.testing.assert_allclose(np.asarray(g), _fd_complex(_loss(f), z), rtol=1e-6,
                               atol=1e-7)


@pytest.mark.parametrize("ord", [0.5, -1.0, -2.0])
def test_p_below_one_zero_element(ord):
    # PyTorch: sign(x) |x|^(p-1) ans^(1-p), 0 at x == 0 (an infinite slope there); a zero
    # element makes a negative-p norm 0, so its whole gradient is 0 (the norm stays 0
    # while the other elements move: finite differences agree)
    a = np.array([[0.0, 1.5, -2.0], [0.5, -1.0, 3.0]])
    for f in (lambda x: LA.vector_norm(x, ord=ord, axis=1),
              lambda x: LA.norm(x, ord=ord, axis=1)):
        g = np.asarray(nd.grad(_loss(f))(nd.asarray(a)))
        assert g[0, 0] == 0.0
        if ord < 0:
            np.testing.assert_array_equal(g[0], 0.0)
        fd = fd_grad(_loss(f), a)
        np.testing.assert_allclose(g[0, 1:], fd[0, 1:], rtol=1e-6, atol=1e-7)
        np.testing.assert_allclose(g[1], fd[1], rtol=1e-6, atol=1e-7)


def test_ord_zero_has_zero_gradient():
    g = nd.grad(lambda x: LA.norm(x, ord=0, axis=0) @ nd.ones(2))(nd.ones((3, 2)))
    np.testing.assert_array_equal(np.asarray(g), 0.0)


# -- values: NumPy's own, bit for bit, while a gradient is recorded ------------------------
VALUE_CALLS = [
    ((5, 7), {}), ((5, 7), {"ord": "fro"}), ((5, 7), {"axis": 1}),
    ((5, 7), {"axis": 0, "keepdims": True}), ((4, 5, 6), {"axis": (2, 0)}),
    ((4, 5, 6), {"axis": (0, 1), "keepdims": True}), ((5, 7), {"ord": 3, "axis": 1}),
    ((5, 7), {"ord": -1.5, "axis": 0}), ((5, 7), {"ord": 0, "axis": 1}),
    ((5, 7), {"ord": INF, "axis": 1}), ((5, 7), {"ord": -INF, "axis": 1}),
    ((37,), {}), ((37,), {"ord": 2}), ((37,), {"ord": 0.5}), ((), {}),
    ((0, 3), {"axis": 1}), ((3, 0), {"axis": 1}), ((0, 3), {}),
    ((3, 0), {"ord": INF, "axis": 1}),
]


@pytest.mark.parametrize("dtype", ["float32", "float64", "complex64", "complex128"])
@pytest.mark.parametrize("shape,kw", VALUE_CALLS, ids=[str(c) for c in VALUE_CALLS])
def test_recorded_values_are_numpys(shape, kw, dtype):
    rng = np.random.default_rng(5)
    a = rng.standard_normal(shape)
    if dtype.startswith("complex"):
        a = a + 1j * rng.standard_normal(shape)
    a = a.astype(dtype)
    for src in (a, np.asfortranarray(a), a.T.copy().T):  # the layout sets NumPy's order
        want = np.linalg.norm(src, **kw)
        x = nd.asarray(src, requires_grad=True)
        got = LA.norm(x, **kw)
        assert got._node is not None or src.size == 0 or kw.get("ord") == 0
        np.testing.assert_array_equal(np.asarray(got.detach()), want)
        assert got.dtype == want.dtype and got.shape == want.shape
        if src.size and kw.get("ord") != 0:
            got.sum().backward() if got.shape else got.backward()
            assert x.grad.shape == src.shape and np.isfinite(np.asarray(x.grad)).all()


def test_empty_gradients():
    for shape, kw in [((0, 3), {"axis": 1}), ((3, 0), {"axis": 1}), ((0, 3), {}),
                      ((3, 0), {"axis": 1, "ord": 3})]:
        g = nd.grad(lambda x: nd.sum(LA.norm(x, **kw)))(nd.zeros(shape))
        assert g.shape == shape


# -- second order: still recorded, still right ---------------------------------------------
@pytest.mark.parametrize("f", [lambda x: LA.norm(x), lambda x: LA.norm(x, ord=3),
                               lambda x: LA.vector_norm(x, ord=1.5),
                               lambda x: LA.matrix_norm(nd.reshape(x, (2, 2))),
                               lambda x: LA.norm(x, ord=0.5)],
                         ids=["norm", "norm3", "vector_norm1.5", "fro", "norm0.5"])
def test_hessian_away_from_zero(f):
    a = np.array([0.7, -1.2, 2.0, 0.4])
    h = np.asarray(nd.hessian(f)(nd.asarray(a)))
    fd = np.stack([fd_grad(lambda x, i=i: nd.grad(f)(x)[i], a) for i in range(4)])
    np.testing.assert_allclose(h, fd, rtol=1e-5, atol=1e-6)


def test_grad_of_grad_at_zero_slice():
    # the gradient at a zero slice (0) is itself differentiated: finite, not NaN
    a = np.array([[0.0, 0.0], [3.0, 4.0]])

    def g(x):
        return nd.grad(lambda y: nd.sum(LA.norm(y, axis=1)))(x)

    np.testing.assert_allclose(np.asarray(g(nd.asarray(a))), [[0, 0], [0.6, 0.8]])
    gg = np.asarray(nd.grad(lambda x: nd.sum(g(x) * nd.asarray([[1.0, 2.0], [1.0, 2.0]])))(
        nd.asarray(a)))
    assert np.isfinite(gg).all()
    # row 2: d/dx of (x0 + 2 x1) / |x| at (3, 4), by finite differences
    fd = fd_grad(lambda x: nd.sum(g(x) * nd.asarray([[1.0, 2.0], [1.0, 2.0]])), a)
    np.testing.assert_allclose(gg[1], fd[1], rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("ord", [2, -2, "nuc"])
@pytest.mark.parametrize("fn", ["matrix_norm", "norm"])
def test_spectral_and_nuclear_norms_at_zero_ties_and_zero_singular_values(ord, fn):
    # one rule for both spellings: a norm at the zero matrix has gradient 0 (every other
    # norm's minimum-norm subgradient); tied extreme singular values share evenly (max's
    # rule, PyTorch's amax and JAX's max of the singular values: I/3 at the identity);
    # an exactly zero singular value adds nothing (abs's 0 at 0)
    f = ((lambda a: nd.linalg.matrix_norm(a, ord=ord)) if fn == "matrix_norm"
         else (lambda a: nd.linalg.norm(a, ord=ord)))
    g0 = np.asarray(nd.grad(f)(nd.zeros((3, 3))))
    np.testing.assert_array_equal(g0, np.zeros((3, 3)))
    gi = np.asarray(nd.grad(f)(nd.asarray(np.eye(3))))
    np.testing.assert_allclose(gi, np.eye(3) / 3 if ord in (2, -2) else np.eye(3),
                               atol=1e-15)
    gd = np.asarray(nd.grad(f)(nd.asarray(np.diag([3.0, 0.0]))))
    want = {2: np.diag([1.0, 0.0]), -2: np.zeros((2, 2)), "nuc": np.diag([1.0, 0.0])}[ord]
    np.testing.assert_allclose(np.abs(gd), want, atol=1e-15)
    # away from such points both spellings agree with each other and with differences
    a = np.array([[2.0, -1.0, 0.5], [0.3, 1.5, -2.0], [1.0, 0.2, 0.7]])
    g = np.asarray(nd.grad(f)(nd.asarray(a)))
    np.testing.assert_allclose(g, fd_grad(f, a), rtol=1e-6, atol=1e-8)

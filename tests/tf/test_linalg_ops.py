"""tf.cholesky, tf.matrix_solve, tf.matrix_triangular_solve, tf.matrix_solve_ls,
tf.self_adjoint_eig(vals), tf.svd, tf.qr, tf.linalg.logdet/slogdet/adjoint: values and
gradients against literals printed by TensorFlow 2.15 (tf.compat.v1, graph mode), NumPy,
finite differences, and (with $NDGRAD_TF_PYTHON) TensorFlow itself."""
import json
import subprocess

import numpy as np
import pytest

import ndgrad.tf as tf
from ndgrad.graph import errors


@pytest.fixture(autouse=True)
def _fresh_graph():
    tf.reset_default_graph()
    yield


def run(t, feed=None):
    with tf.Session() as s:
        return s.run(t, feed)


def grad(f, x0):
    x = tf.constant(x0)
    return run(tf.gradients(f(x), x)[0])


def fd_grad(f, x0, eps=1e-6):
    """Central differences of the scalar ``f`` at ``x0`` (float64)."""
    x = tf.placeholder(tf.float64, x0.shape)
    y = f(x)
    out = np.zeros_like(x0)
    with tf.Session() as s:
        for i in np.ndindex(*x0.shape):
            d = np.zeros_like(x0)
            d[i] = eps
            out[i] = (s.run(y, {x: x0 + d}) - s.run(y, {x: x0 - d})) / (2 * eps)
    return out


def spd(n, batch=(), seed=0):
    a = np.random.RandomState(seed).randn(*batch, n, n)
    return a @ np.swapaxes(a, -1, -2) + n * np.eye(n)


# -- values: literals from TensorFlow 2.15 ---------------------------------------------------
def test_cholesky_reads_the_lower_triangle():
    out = run(tf.cholesky(tf.constant([[4., 100.], [2., 3.]])))
    np.testing.assert_allclose(out, [[2., 0.], [1., 1.4142135]], rtol=1e-6)
    assert out.dtype == np.float32


def test_cholesky_batches_and_empty():
    a = spd(3, (2, 4))
    out = run(tf.cholesky(a))
    np.testing.assert_allclose(out, np.linalg.cholesky(a), rtol=1e-12)
    assert run(tf.cholesky(tf.zeros((3, 0, 0)))).shape == (3, 0, 0)


def test_cholesky_not_positive_definite_raises_at_run_time():
    c = tf.cholesky(tf.constant([[1., 2.], [2., 1.]]))   # (TF 1.x's CPU kernel raises)
    with pytest.raises(errors.InvalidArgumentError, match="Cholesky decomposition was not"):
        run(c)


def test_matrix_solve_values_adjoint_and_singular():
    a = [[2.0, 1.0], [1.0, 3.0]]
    np.testing.assert_allclose(run(tf.matrix_solve(a, [[3.0], [5.0]])), [[0.8], [1.4]],
                               rtol=1e-6)
    m = np.random.RandomState(1).randn(2, 3, 3)
    b = np.random.RandomState(2).randn(2, 3, 2)
    np.testing.assert_allclose(run(tf.matrix_solve(m, b, adjoint=True)),
                               np.linalg.solve(np.swapaxes(m, -1, -2), b), rtol=1e-10)
    with pytest.raises(errors.InvalidArgumentError, match="not invertible"):
        run(tf.matrix_solve(tf.constant([[1., 2.], [2., 4.]]), tf.constant([[1.], [1.]])))


def test_matrix_solve_needs_equal_batch_ranks():
    with pytest.raises(ValueError, match="equal rank"):
        tf.matrix_solve(tf.ones((3, 2, 2)), tf.ones((2, 1)))


def test_matrix_triangular_solve_literals():
    ts = tf.matrix_triangular_solve
    np.testing.assert_allclose(run(ts(tf.constant([[2., 100.], [2., 4.]]), [[1.], [1.]])),
                               [[0.5], [0.]])
    np.testing.assert_allclose(run(ts(tf.constant([[2., 1.], [100., 4.]]), [[1.], [1.]],
                                      lower=False, adjoint=True)), [[0.5], [0.125]])
    # a zero on the diagonal: TF 1.x's InvalidArgumentError (TF 2.15 gives inf / -inf)
    with pytest.raises(errors.InvalidArgumentError, match="not invertible"):
        run(ts(tf.constant([[0., 0.], [2., 4.]]), [[1.], [1.]]))
    # batch dims broadcast (TF 2's MatrixTriangularSolve)
    out = run(ts(tf.ones((3, 2, 2)) + tf.eye(2), tf.ones((2, 1))))
    np.testing.assert_allclose(out, np.tile([[0.5], [0.25]], (3, 1, 1)))


def test_cholesky_solve():
    c = tf.cholesky(tf.constant([[4., 2.], [2., 3.]]))
    np.testing.assert_allclose(run(tf.cholesky_solve(c, [[1.], [2.]])),
                               [[-0.12499997], [0.74999994]], rtol=1e-6)


def test_self_adjoint_eig_values_and_dtypes():
    e, v = run(tf.self_adjoint_eig(tf.constant([[2., 100.], [1., 2.]])))   # lower triangle
    np.testing.assert_allclose(e, [0.99999994, 2.9999998], rtol=1e-6)
    np.testing.assert_allclose(np.abs(v), np.full((2, 2), 0.70710677), rtol=1e-6)
    a = np.array([[2., 1j], [-1j, 3.]], np.complex64)
    e, v = tf.self_adjoint_eig(a)
    assert e.dtype == tf.complex64 and v.dtype == tf.complex64     # (TF: e has the input's)
    assert tf.self_adjoint_eigvals(a).dtype == tf.complex64
    np.testing.assert_allclose(run(e), [1.3819659, 3.6180334], rtol=1e-6)


def test_svd_order_shapes_and_values():
    x = tf.constant([[1., 2.], [3., 4.], [5., 6.]])
    s, u, v = tf.svd(x)
    assert (s.shape.as_list(), u.shape.as_list(), v.shape.as_list()) == ([2], [3, 2], [2, 2])
    s_, u_, v_ = run([s, u, v])
    np.testing.assert_allclose(s_, [9.525518, 0.51429987], rtol=1e-5)
    np.testing.assert_allclose(np.abs(v_), [[0.61962956, 0.78489447],
                                            [0.78489447, 0.61962956]], rtol=1e-5)
    np.testing.assert_allclose((u_ * s_) @ v_.T, run(x), atol=1e-5)   # v, not v^H
    s, u, v = tf.svd(x, full_matrices=True)
    assert (u.shape.as_list(), v.shape.as_list()) == ([3, 3], [2, 2])
    s = tf.svd(tf.constant([[1., 2.], [3., 4.]], tf.complex64), compute_uv=False)
    assert s.dtype == tf.float32


def test_qr_literals():
    x = tf.constant([[1., 2.], [3., 4.], [5., 6.]])
    q, r = run(tf.qr(x))
    np.testing.assert_allclose(q, [[-0.16903079, 0.897085], [-0.5070925, 0.2760267],
                                   [-0.8451542, -0.34503305]], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(r, [[-5.91608, -7.437357], [0., 0.82807845]], rtol=1e-5)
    q, r = tf.qr(x, full_matrices=True)
    assert q.shape.as_list() == [3, 3] and r.shape.as_list() == [3, 2]
    q, r = run(tf.qr(tf.constant([[1., 2., 3.], [4., 5., 6.]])))
    np.testing.assert_allclose(r, [[-4.1231055, -5.3357835, -6.548462],
                                   [0., -0.72760725, -1.455214]], rtol=1e-5)


def test_matrix_solve_ls_literals():
    a = tf.constant([[1., 2.], [3., 4.], [5., 6.]])
    b = tf.constant([[1.], [2.], [4.]])
    np.testing.assert_allclose(run(tf.matrix_solve_ls(a, b)), [[0.66665846], [0.08333983]],
                               rtol=1e-3)
    np.testing.assert_allclose(run(tf.matrix_solve_ls(a, b, l2_regularizer=0.5)),
                               [[0.42293978], [0.2724009]], rtol=1e-5)
    np.testing.assert_allclose(run(tf.matrix_solve_ls(a, b, fast=False)),
                               [[0.6666668], [0.08333323]], rtol=1e-5)
    # fast=False ignores the regularizer (TF's complete orthogonal decomposition)
    np.testing.assert_allclose(run(tf.matrix_solve_ls(a, b, l2_regularizer=0.5, fast=False)),
                               [[0.6666668], [0.08333323]], rtol=1e-5)
    wide = tf.constant([[1., 2., 3.], [4., 5., 6.]])
    np.testing.assert_allclose(run(tf.matrix_solve_ls(wide, [[1.], [2.]])),
                               [[-0.05555537], [0.11111116], [0.27777767]], atol=1e-6)
    # rank deficient, fast=False: the minimum-norm solution
    rd = tf.constant([[1., 2.], [2., 4.], [3., 6.]])
    np.testing.assert_allclose(run(tf.matrix_solve_ls(rd, b, fast=False)),
                               [[0.24285713], [0.4857142]], rtol=1e-5)


def test_matrix_solve_ls_unknown_dims_value_and_gradient():
    for shape in [(4, 3), (3, 5)]:
        a0 = np.random.RandomState(1).randn(*shape)
        b0 = np.random.RandomState(2).randn(shape[0], 2)
        a = tf.placeholder(tf.float64, (None, None))
        b = tf.placeholder(tf.float64, (None, None))
        x = tf.matrix_solve_ls(a, b, l2_regularizer=0.2)
        loss = tf.reduce_sum(x ** 2)
        ga, gb = tf.gradients(loss, [a, b])
        ak, bk = tf.constant(a0), tf.constant(b0)
        xk = tf.matrix_solve_ls(ak, bk, l2_regularizer=0.2)
        gak, gbk = tf.gradients(tf.reduce_sum(xk ** 2), [ak, bk])
        with tf.Session() as s:
            got = s.run([x, ga, gb], {a: a0, b: b0})
            want = s.run([xk, gak, gbk])
        for g_, w_ in zip(got, want):
            np.testing.assert_allclose(g_, w_, rtol=1e-10, atol=1e-12)


def test_matrix_solve_ls_errors():
    a = tf.constant(np.eye(2, dtype=np.complex128))
    with pytest.raises(NotImplementedError, match="complex128"):
        tf.matrix_solve_ls(a, a, l2_regularizer=0.1)
    x = tf.constant([[1., 2.], [3., 4.], [5., 6.]])
    y = tf.matrix_solve_ls(x, tf.ones((3, 1)), fast=False)
    with pytest.raises(Exception, match="fast=False"):
        run(tf.gradients(tf.reduce_sum(y), x))


def test_logdet_slogdet_adjoint():
    assert np.isclose(run(tf.linalg.logdet([[2., 1.], [1., 2.]])), 1.0986123)
    sign, lad = run(tf.linalg.slogdet([[1., 2.], [3., 4.]]))
    assert sign == -1.0 and np.isclose(lad, 0.6931472)
    sign, lad = run(tf.linalg.slogdet([[1., 2.], [2., 4.]]))
    assert sign == 0.0 and lad == -np.inf
    r = run(tf.linalg.slogdet(tf.constant([[1. + 1j, 2.], [3., 4.]], tf.complex64)))
    np.testing.assert_allclose(r.sign, -0.44721356 + 0.8944272j, rtol=1e-6)
    np.testing.assert_allclose(r.log_abs_determinant, 1.4978662 + 0j, rtol=1e-6)
    assert r.log_abs_determinant.dtype == np.complex64
    out = run(tf.linalg.adjoint(tf.constant([[1. + 1j, 2.], [3., 4.]], tf.complex64)))
    np.testing.assert_array_equal(out, [[1 - 1j, 3], [2, 4]])
    with pytest.raises(errors.InvalidArgumentError, match="Cholesky"):
        run(tf.linalg.logdet([[1., 2.], [2., 1.]]))


def test_linalg_namespace_names():
    pairs = dict(cholesky=tf.cholesky, cholesky_solve=tf.cholesky_solve, solve=tf.matrix_solve,
                 triangular_solve=tf.matrix_triangular_solve, lstsq=tf.matrix_solve_ls,
                 eigh=tf.self_adjoint_eig, eigvalsh=tf.self_adjoint_eigvals, svd=tf.svd,
                 qr=tf.qr)
    for k, f in pairs.items():
        assert getattr(tf.linalg, k) is f
    for k in ("logdet", "slogdet", "adjoint"):
        assert callable(getattr(tf.linalg, k))


# -- static shapes and build-time errors --------------------------------------------------------
def test_static_shapes_with_unknown_dims():
    p = tf.placeholder(tf.float32, (None, 3, 3))
    assert tf.cholesky(p).shape.as_list() == [None, 3, 3]
    e, v = tf.self_adjoint_eig(p)
    assert e.shape.as_list() == [None, 3] and v.shape.as_list() == [None, 3, 3]
    q = tf.placeholder(tf.float32, (None, None))
    s, u, v = tf.svd(q)
    assert s.shape.as_list() == [None] and u.shape.as_list() == [None, None]
    s, u, v = tf.svd(tf.placeholder(tf.float32, (2, 3)))
    assert (s.shape.as_list(), u.shape.as_list(), v.shape.as_list()) == ([2], [2, 2], [3, 2])
    q, r = tf.qr(tf.placeholder(tf.float32, (2, 3)))
    assert q.shape.as_list() == [2, 2] and r.shape.as_list() == [2, 3]
    assert tf.matrix_solve(p, tf.placeholder(tf.float32, (None, 3, 2))).shape.as_list() == \
        [None, 3, 2]
    sign, lad = tf.linalg.slogdet(p)
    assert sign.shape.as_list() == [None]
    out = run(tf.cholesky(q), {q: [[4., 0.], [0., 9.]]})
    np.testing.assert_array_equal(out, [[2., 0.], [0., 3.]])


@pytest.mark.parametrize("f", [tf.cholesky, tf.self_adjoint_eig, tf.linalg.slogdet,
                               tf.self_adjoint_eigvals])
def test_non_square_and_rank_errors(f):
    with pytest.raises(ValueError, match="Dimensions must be equal, but are 2 and 3"):
        f(tf.placeholder(tf.float32, (2, 3)))
    with pytest.raises(ValueError, match="at least rank 2"):
        f(tf.placeholder(tf.float32, (3,)))


@pytest.mark.parametrize("f", [tf.cholesky, tf.self_adjoint_eig, tf.svd, tf.qr,
                               tf.linalg.slogdet])
def test_dtype_errors(f):
    with pytest.raises(TypeError, match="int32 not in list of allowed values"):
        f(tf.constant([[1, 2], [3, 4]]))


def test_float16_and_complex_supported():
    out = run(tf.cholesky(tf.constant([[4., 2.], [2., 5.]], tf.float16)))
    assert out.dtype == np.float16
    np.testing.assert_array_equal(out, [[2., 0.], [1., 2.]])
    a = np.array([[4., 1j], [-1j, 5.]])
    out = run(tf.cholesky(a))
    np.testing.assert_allclose(out @ out.conj().T, a, atol=1e-12)


# -- gradients: TF's conventions, literals from TF 2.15, finite differences --------------------
X = np.array([[4.0, 2.0], [1.0, 5.0]])


def test_cholesky_gradient_is_tfs_symmetrized_one():
    g = grad(lambda x: tf.reduce_sum(tf.cholesky(x) * [[1., 0.], [2., 3.]]), X)
    np.testing.assert_allclose(g, [[0.16801545010073032, 0.3279381995970787],
                                   [0.3279381995970787, 0.6882472016116852]], rtol=1e-12)


def test_self_adjoint_eig_gradient_is_tfs_lower_triangle():
    g = grad(lambda x: tf.reduce_sum(tf.self_adjoint_eigvals(x) * [1., 3.]), X)
    np.testing.assert_allclose(g, [[1.5527864045000417, 0.], [1.788854381999831,
                                                              2.4472135954999574]], rtol=1e-12)
    g2 = grad(lambda x: tf.reduce_sum(tf.self_adjoint_eig(x)[0] * [1., 3.]), X)
    np.testing.assert_allclose(g2, g, rtol=1e-12)


def test_degenerate_spectrum_gradients_are_finite_as_tfs():
    y = np.eye(3)
    np.testing.assert_array_equal(grad(lambda x: tf.reduce_sum(tf.self_adjoint_eig(x)[1] ** 2),
                                       y), np.zeros((3, 3)))
    np.testing.assert_array_equal(grad(lambda x: tf.reduce_sum(tf.svd(x)[1] ** 2), y),
                                  np.zeros((3, 3)))


def test_slogdet_and_triangular_solve_gradient_literals():
    g = grad(lambda x: tf.linalg.slogdet(x)[1], X)
    np.testing.assert_allclose(g, [[0.2777777777777778, -0.05555555555555555],
                                   [-0.1111111111111111, 0.2222222222222222]], rtol=1e-12)
    g = grad(lambda x: tf.reduce_sum(tf.matrix_triangular_solve(x, [[1.], [2.]])), X)
    np.testing.assert_allclose(g, [[-0.05, 0.], [-0.05, -0.07]], rtol=1e-12)


def _sym(x):
    return (x + tf.matrix_transpose(x)) / 2


FD_CASES = {
    # functions whose input is used fully (symmetrized first where the op reads a triangle:
    # then TF's gradient and finite differences agree)
    "cholesky": (lambda x: tf.reduce_sum(tf.cholesky(_sym(x)) * [[1., 0.], [2., 3.]]),
                 spd(2)),
    "logdet": (lambda x: tf.linalg.logdet(_sym(x)), spd(3, seed=3)),
    "eigvalsh": (lambda x: tf.reduce_sum(tf.self_adjoint_eigvals(_sym(x)) * [1., 2., 5.]),
                 spd(3, seed=4)),
    "eigh_vectors": (lambda x: tf.reduce_sum(tf.self_adjoint_eig(_sym(x))[1] ** 2
                                             * [[1., 2., 3.]]), spd(3, seed=5)),
    "solve": (lambda x: tf.reduce_sum(tf.matrix_solve(x, [[1.], [2.], [3.]])), spd(3) + 1),
    "solve_adjoint": (lambda x: tf.reduce_sum(tf.matrix_solve(x, [[1.], [2.], [3.]],
                                                              adjoint=True) ** 2), spd(3) + 1),
    "cholesky_solve": (lambda x: tf.reduce_sum(tf.cholesky_solve(
        tf.cholesky(_sym(x)), [[1.], [2.], [3.]])), spd(3, seed=6)),
    "slogdet": (lambda x: tf.linalg.slogdet(x)[1], np.random.RandomState(7).randn(3, 3)),
    "svdvals": (lambda x: tf.reduce_sum(tf.svd(x, compute_uv=False) * [1., 2.]),
                np.random.RandomState(8).randn(3, 2)),
    "svd_u_sq": (lambda x: tf.reduce_sum(tf.svd(x)[1] ** 2 * [[1., 2.]]),
                 np.random.RandomState(9).randn(3, 2)),
    "svd_v_sq_wide": (lambda x: tf.reduce_sum(tf.svd(x)[2] ** 2 * [[1., 2.]]),
                      np.random.RandomState(10).randn(2, 4)),
    "svd_full": (lambda x: tf.reduce_sum(tf.svd(x, full_matrices=True)[0] ** 2),
                 np.random.RandomState(11).randn(3, 2)),
    "qr_tall": (lambda x: tf.reduce_sum(tf.qr(x)[0] * [[1., 2.]]) + tf.reduce_sum(tf.qr(x)[1] ** 2),
                np.random.RandomState(12).randn(4, 2)),
    "qr_wide": (lambda x: tf.reduce_sum(tf.qr(x)[0] * [[1., 2.]]) + tf.reduce_sum(tf.qr(x)[1] ** 2),
                np.random.RandomState(13).randn(2, 4)),
    "lstsq_tall": (lambda x: tf.reduce_sum(tf.matrix_solve_ls(x, [[1.], [2.], [3.], [4.]],
                                                              l2_regularizer=0.1)),
                   np.random.RandomState(14).randn(4, 2)),
    "lstsq_wide": (lambda x: tf.reduce_sum(tf.matrix_solve_ls(x, [[1.], [2.]]) ** 2),
                   np.random.RandomState(15).randn(2, 3)),
}


@pytest.mark.parametrize("case", sorted(FD_CASES))
def test_gradient_matches_finite_differences(case):
    f, x0 = FD_CASES[case]
    np.testing.assert_allclose(grad(f, x0), fd_grad(f, x0), rtol=1e-5, atol=1e-6)


def test_triangular_solve_gradient_lives_in_the_triangle():
    g = grad(lambda x: tf.reduce_sum(tf.matrix_triangular_solve(x, [[1.], [2.]], lower=False)),
             X)
    assert g[1, 0] == 0


def test_batched_gradient_broadcast_rhs():
    a = spd(2, (3,)) + 1
    g = grad(lambda x: tf.reduce_sum(tf.matrix_triangular_solve(
        tf.constant(a), tf.reshape(x, (2, 1)))), np.array([1., 2.]))
    assert g.shape == (2,)
    want = sum(np.linalg.solve(np.tril(a[i]).T, np.ones(2)) for i in range(3))
    np.testing.assert_allclose(g, want, rtol=1e-10)


def test_gradient_limits_are_tfs():
    x = tf.constant(np.random.RandomState(0).randn(4, 2))
    s, u, v = tf.svd(x, full_matrices=True)
    with pytest.raises(NotImplementedError, match="abs\\(m - n\\) > 1"):
        tf.gradients(tf.reduce_sum(u), x)
    q, r = tf.qr(x, full_matrices=True)
    with pytest.raises(NotImplementedError, match="nrows > ncols"):
        tf.gradients(tf.reduce_sum(q), x)
    p = tf.placeholder(tf.float64, (None, None))
    with pytest.raises(NotImplementedError, match="unknown inner matrix shape"):
        tf.gradients(tf.reduce_sum(tf.svd(p)[1]), p)
    with pytest.raises(NotImplementedError, match="dynamic shapes"):
        tf.gradients(tf.reduce_sum(tf.qr(p)[1]), p)


# -- eager mode ------------------------------------------------------------------------------
@pytest.fixture
def eager():
    tf.enable_eager_execution()
    yield
    tf.disable_eager_execution()


def test_eager_values_gradients_and_errors(eager):
    a = tf.constant(X)
    np.testing.assert_allclose(tf.cholesky(a).numpy(), np.linalg.cholesky(X), rtol=1e-12)
    with tf.GradientTape() as t:
        t.watch(a)
        y = tf.reduce_sum(tf.cholesky(a) * [[1., 0.], [2., 3.]])
    np.testing.assert_allclose(t.gradient(y, a).numpy(),
                               [[0.16801545010073032, 0.3279381995970787],
                                [0.3279381995970787, 0.6882472016116852]], rtol=1e-12)
    s, u, v = tf.svd(a)
    np.testing.assert_allclose((u.numpy() * s.numpy()) @ v.numpy().T, X, atol=1e-12)
    with pytest.raises(errors.InvalidArgumentError, match="Cholesky decomposition"):
        tf.cholesky([[1., 2.], [2., 1.]])
    with pytest.raises(errors.InvalidArgumentError, match="not invertible"):
        tf.matrix_solve([[1., 2.], [2., 4.]], [[1.], [1.]])
    with pytest.raises(errors.InvalidArgumentError, match="Dimensions must be equal"):
        tf.cholesky(tf.ones((2, 3)))


# -- against TensorFlow itself ---------------------------------------------------------------
ORACLE = r'''
import sys, json, numpy as np
if sys.argv[1] == "tf":
    import tensorflow.compat.v1 as tf
    tf.disable_eager_execution()
else:
    import ndgrad.tf as tf
rng = np.random.RandomState(0)
out = {}
def gen(shape, dt):
    a = rng.randn(*shape)
    if np.dtype(dt).kind == "c":
        a = a + 1j * rng.randn(*shape)
    return a.astype(dt)
def spd(n, batch, dt):
    a = gen(batch + (n, n), dt)
    return (a @ np.conj(np.swapaxes(a, -1, -2)) + n * np.eye(n)).astype(dt)
s = tf.Session()
def rec(name, fn, *inputs):
    xs = [tf.constant(v) for v in inputs]
    ys = fn(*xs)
    ys = list(ys) if isinstance(ys, (tuple, list)) else [ys]
    r = np.random.RandomState(1)
    loss = 0
    for y in ys:
        w = r.randn(*y.shape.as_list())
        if y.dtype.is_complex:
            w = w + 1j * r.randn(*y.shape.as_list())
        loss = loss + tf.reduce_sum(tf.real(y * tf.constant(w.astype(y.dtype.as_numpy_dtype))))
    gs = [g for g in tf.gradients(loss, xs) if g is not None]
    for i, v in enumerate(s.run(ys + gs)):
        v = np.asarray(v)
        out[f"{name}/{i}"] = [str(v.dtype), list(v.shape), np.real(v).ravel().tolist(),
                              np.imag(v).ravel().tolist()]
def svd_inv(full):
    def f(a):
        s_, u, v = tf.svd(a, full_matrices=full)
        k = min(a.shape.as_list()[-2:])
        return (s_, tf.matmul(u[..., :, :k] * tf.cast(s_[..., None, :], a.dtype), v[..., :, :k],
                              adjoint_b=True), u[..., :, :k] * tf.conj(u[..., :, :k]),
                v[..., :, :k] * tf.conj(v[..., :, :k]))
    return f
for dt in [np.float32, np.float64, np.complex64, np.complex128]:
    d = np.dtype(dt).name
    A = spd(3, (2,), dt)
    N = (A + np.triu(gen((2, 3, 3), dt), 1)).astype(dt)
    rec("chol_" + d, tf.cholesky, N)
    rec("eigvalsh_" + d, tf.self_adjoint_eigvals, N)
    rec("eigh_" + d, lambda x: (lambda e, v: (e, v * tf.conj(v)))(*tf.self_adjoint_eig(x)), N)
    M = gen((2, 3, 3), dt) + 3 * np.eye(3, dtype=dt)
    B = gen((2, 3, 2), dt)
    rec("solve_" + d, tf.matrix_solve, M, B)
    rec("solve_adj_" + d, lambda a, b: tf.matrix_solve(a, b, adjoint=True), M, B)
    for lo in (True, False):
        for adj in (True, False):
            rec(f"tri_{lo}_{adj}_{d}", lambda a, b: tf.matrix_triangular_solve(
                a, b, lower=lo, adjoint=adj), M, B)
    rec("tri_bcast_" + d, tf.matrix_triangular_solve, M[0], B)
    rec("cholsolve_" + d, lambda a, b: tf.cholesky_solve(tf.cholesky(a), b), A, B)
    rec("slogdet_" + d, lambda a: tf.linalg.slogdet(a), M)
    rec("logdet_" + d, tf.linalg.logdet, A)
    for shape in [(2, 3, 3), (2, 4, 3), (3, 4), (4, 2)]:
        X = gen(shape, dt)
        sh = "x".join(map(str, shape))
        rec(f"svdvals_{sh}_{d}", lambda a: tf.svd(a, compute_uv=False), X)
        rec(f"svd_{sh}_{d}", svd_inv(False), X)
        if abs(shape[-1] - shape[-2]) <= 1:
            rec(f"svdfull_{sh}_{d}", svd_inv(True), X)
        rec(f"qr_{sh}_{d}", tf.qr, X)
        if shape[-2] <= shape[-1]:
            rec(f"qrfull_{sh}_{d}", lambda a: tf.qr(a, full_matrices=True), X)
    if dt != np.complex128:
        for shape in [(2, 4, 3), (3, 4)]:
            X = gen(shape, dt)
            Bl = gen(shape[:-1] + (2,), dt)
            sh = "x".join(map(str, shape))
            rec(f"lstsq_{sh}_{d}", tf.matrix_solve_ls, X, Bl)
            rec(f"lstsq_reg_{sh}_{d}", lambda a, b: tf.matrix_solve_ls(
                a, b, l2_regularizer=0.3), X, Bl)
print(json.dumps(out))
'''


def test_values_and_gradients_equal_tensorflows(tf_python, tmp_path):
    import os
    import sys
    prog = tmp_path / "prog.py"
    prog.write_text(ORACLE)
    env = dict(os.environ, PYTHONPATH=os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__)))), TF_CPP_MIN_LOG_LEVEL="3")

    def side(py, which):
        r = subprocess.run([py, str(prog), which], capture_output=True, text=True, env=env,
                           timeout=600)
        assert r.returncode == 0, r.stderr[-3000:]
        return json.loads(r.stdout.strip().splitlines()[-1])

    want = side(tf_python, "tf")
    got = side(sys.executable, "nd")
    assert set(want) == set(got)
    for k in want:
        wd, ws, wr, wi = want[k]
        gd, gs, gr, gi = got[k]
        assert (gd, gs) == (wd, ws), k
        tol = 2e-3 if wd in ("float32", "complex64") else 1e-8
        w = np.array(wr) + 1j * np.array(wi)
        g = np.array(gr) + 1j * np.array(gi)
        np.testing.assert_allclose(g, w, rtol=tol, atol=tol, err_msg=k)


@pytest.mark.parametrize("case", ["eigh_v", "svd_u", "svd_v", "chol", "qr"])
def test_second_derivatives_match_finite_differences(case):
    # (TF's f matrix has its diagonal set to 0 after the safe reciprocal: without it a
    # second derivative picks up 1e20-sized terms that cancel badly)
    rng = np.random.RandomState(0)
    a0 = rng.randn(3, 3)
    w, w2 = rng.randn(3, 3), rng.randn(3, 3)
    x0 = a0 @ a0.T + 3 * np.eye(3) if case in ("eigh_v", "chol") else a0
    f = {"eigh_v": lambda x: tf.reduce_sum(tf.self_adjoint_eig(x)[1] ** 2 * w),
         "svd_u": lambda x: tf.reduce_sum(tf.svd(x)[1] ** 2 * w),
         "svd_v": lambda x: tf.reduce_sum(tf.svd(x)[2] ** 2 * w),
         "chol": lambda x: tf.reduce_sum(tf.cholesky(_sym(x)) * w),
         "qr": lambda x: tf.reduce_sum(tf.qr(x)[0] * w) + tf.reduce_sum(tf.qr(x)[1] * w2)}[case]

    def first(x):
        return tf.reduce_sum(tf.gradients(f(x), x)[0] * w2)
    np.testing.assert_allclose(grad(first, x0), fd_grad(first, x0), rtol=1e-5, atol=1e-6)

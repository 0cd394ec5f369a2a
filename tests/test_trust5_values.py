"""NumPy's values bit for bit where ndgrad composed them otherwise (found in the trust5
sweep by computing each function with and without a recorded gradient): the composition
of a recorded path, or of both paths, rounded differently from NumPy's own loop."""
import numpy as np
import pytest

import ndgrad as nd
from helpers import fd_grad


def _bits(got, want):
    got = np.asarray(got.detach() if isinstance(got, nd.Array) else got)
    want = np.asarray(want)
    assert got.dtype == want.dtype and got.shape == want.shape, (got.dtype, want.dtype)
    np.testing.assert_array_equal(got, want)
    np.testing.assert_array_equal(np.signbit(got.real), np.signbit(want.real))
    if got.dtype.kind == "c":
        np.testing.assert_array_equal(np.signbit(got.imag), np.signbit(want.imag))


def _cplx(rng, shape, dt):
    return (rng.standard_normal(shape) + 1j * rng.standard_normal(shape)).astype(dt)


# -- vecmat of complex operands: NumPy's conjugating loop, not conj(v) @ A (BLAS) ----------
@pytest.mark.parametrize("dt", ["complex64", "complex128"])
@pytest.mark.parametrize("rec", [False, True])
def test_vecmat_complex_values(dt, rec):
    rng = np.random.default_rng(0)
    for vs, ms in [((5, 4), (4, 3)), ((4,), (4, 3)), ((2, 1, 7), (3, 7, 2))]:
        v, m = _cplx(rng, vs, dt), _cplx(rng, ms, dt)
        _bits(nd.vecmat(nd.asarray(v, requires_grad=rec), nd.asarray(m, requires_grad=rec)),
              np.vecmat(v, m))


def test_vecmat_complex_gradient():
    rng = np.random.default_rng(1)
    v, m = _cplx(rng, (3,), "complex128"), _cplx(rng, (3, 2), "complex128")
    # L = real(sum(w * vecmat(v, m))) is linear in conj(v): d/dv by finite differences
    w = nd.asarray(np.array([1.0 + 2j, -0.5 + 1j]))

    def loss_re(vr):
        return nd.sum(nd.real(w * nd.vecmat(vr + 1j * nd.asarray(v.imag), nd.asarray(m))))

    g = nd.grad(lambda z: nd.sum(nd.real(w * nd.vecmat(z, nd.asarray(m)))))(nd.asarray(v))
    np.testing.assert_allclose(np.real(np.asarray(g)), fd_grad(loss_re, v.real), rtol=1e-7)


# -- vander of complex x with a gradient: NumPy's multiply.accumulate ---------------------
@pytest.mark.parametrize("dt", ["complex64", "complex128"])
def test_vander_complex_recorded_values(dt):
    rng = np.random.default_rng(2)
    for n in (4, 9):
        x = _cplx(rng, (n,), dt) * 2
        for kw in ({}, {"N": 6, "increasing": True}, {"N": 1}):
            _bits(nd.vander(nd.asarray(x, requires_grad=True), **kw), np.vander(x, **kw))
    g = nd.grad(lambda t: nd.real(nd.sum(nd.vander(t, 3))))(nd.asarray(np.array([1 + 1j, 2.0])))
    # d/dz of z^2 + z + 1 (holomorphic): 2z + 1
    np.testing.assert_allclose(np.asarray(g), [3 + 2j, 5.0])


# -- average with weights: the weights summed once, in the result's dtype -----------------
AVG = [((5, 4), 0, (5,)), ((5, 4), 1, (4,)), ((3, 40, 2), 1, (40,)), ((5, 4), None, (5, 4)),
       ((5, 4), 1, (5, 4)), ((50,), 0, (50,))]


@pytest.mark.parametrize("dt", ["float32", "float64", "complex64", "complex128"])
@pytest.mark.parametrize("shape,axis,wshape", AVG, ids=[str(c) for c in AVG])
def test_average_weighted_recorded_values(dt, shape, axis, wshape):
    rng = np.random.default_rng(3)
    a = rng.standard_normal(shape).astype(dt)
    if dt.startswith("complex"):
        a = a + 1j * rng.standard_normal(shape).astype(dt)
    w = np.abs(rng.standard_normal(wshape))
    for kd in (False, True):
        want = np.average(a, axis=axis, weights=w, keepdims=kd, returned=True)
        got = nd.average(nd.asarray(a, requires_grad=True), axis=axis,
                         weights=nd.asarray(w, requires_grad=True), keepdims=kd,
                         returned=True)
        for g, wv in zip(got, want):
            _bits(g, wv)


def test_average_weighted_gradient():
    a = np.array([[1.0, 2.0, 4.0], [3.0, -1.0, 0.5]])
    w = np.array([1.0, 3.0])
    ga = nd.grad(lambda t: nd.sum(nd.average(t, axis=0, weights=nd.asarray(w)) *
                                  nd.asarray([1.0, 2.0, 3.0])))(nd.asarray(a))
    np.testing.assert_allclose(np.asarray(ga), [[0.25, 0.5, 0.75], [0.75, 1.5, 2.25]])

    def f(t):
        return nd.sum(nd.average(nd.asarray(a), axis=0, weights=t) * nd.asarray([1.0, 2.0,
                                                                               3.0]))
    np.testing.assert_allclose(np.asarray(nd.grad(f)(nd.asarray(w))), fd_grad(f, w),
                               rtol=1e-7)


# -- nanmax/nanmin: initial= and where= were ignored (silently), tied zeros ---------------
NAN_ROWS = np.array([[1.0, np.nan, 2.0], [np.nan, np.nan, np.nan], [-3.0, 0.5, np.nan]])


@pytest.mark.parametrize("name", ["nanmax", "nanmin"])
@pytest.mark.parametrize("rec", [False, True])
def test_nanmax_nanmin_initial_and_where(name, rec):
    f, g = getattr(nd, name), getattr(np, name)
    init = 5.0 if name == "nanmax" else -5.0
    mask = np.array([True, True, False])
    calls = [{"initial": init}, {"initial": init, "axis": 1},
             {"initial": 0.75, "axis": 1, "keepdims": True},
             {"initial": 0.0, "where": mask}, {"initial": 0.0, "where": mask, "axis": 1},
             {"initial": init, "axis": 0}]
    for kw in calls:
        want = g(NAN_ROWS, **kw)
        got = f(nd.asarray(NAN_ROWS, requires_grad=rec),
                **{k: nd.asarray(v) if k == "where" else v for k, v in kw.items()})
        _bits(got, want)
    with pytest.raises(ValueError, match="initial"):
        f(nd.asarray(NAN_ROWS, requires_grad=rec), where=nd.asarray(mask))


def test_nanmax_initial_gradient():
    x = nd.asarray([1.0, np.nan, 2.0])
    np.testing.assert_array_equal(
        np.asarray(nd.grad(lambda t: nd.nanmax(t, initial=1.5))(x)), [0, 0, 1])
    np.testing.assert_array_equal(
        np.asarray(nd.grad(lambda t: nd.nanmax(t, initial=5.0))(x)), [0, 0, 0])
    np.testing.assert_array_equal(np.asarray(nd.grad(lambda t: nd.nanmin(
        t, initial=9.0, where=nd.asarray([True, False, False])))(x)), [1, 0, 0])


@pytest.mark.parametrize("dt", ["float16", "float32", "float64"])
def test_nanmax_nanmin_tied_zeros_recorded(dt):
    # fmax/fmin.reduce keep the first of 0.0 and -0.0 (max keeps 0.0): NumPy's own
    for row in ([0.0, -0.0, -1.0], [-0.0, 0.0, -1.0], [np.nan, -0.0, 0.0]):
        a = np.array(row, dtype=dt)
        for name in ("nanmax", "nanmin"):
            src = a if name == "nanmax" else -a
            _bits(getattr(nd, name)(nd.asarray(src, requires_grad=True)),
                  getattr(np, name)(src))


@pytest.mark.parametrize("name", ["max", "min", "amax", "amin", "nanmax", "nanmin"])
def test_empty_reduction_with_initial(name):
    # NumPy reduces an empty slice to ``initial``; ndgrad raised NumPy's no-identity error
    for shape, axis in [((0,), None), ((0, 3), 0), ((0, 3), 1), ((2, 0), None)]:
        for kd in (False, True):
            for dt in ("float64", "int8"):
                want = getattr(np, name)(np.zeros(shape, dt), axis=axis, initial=3,
                                         keepdims=kd)
                _bits(getattr(nd, name)(nd.zeros(shape, dtype=dt), axis=axis, initial=3,
                                        keepdims=kd), want)


# -- sum/prod with where=: NumPy's masked loop's value ------------------------------------
@pytest.mark.parametrize("name", ["sum", "prod"])
@pytest.mark.parametrize("rec", [False, True])
def test_sum_prod_where_values(name, rec):
    rng = np.random.default_rng(4)
    a = rng.standard_normal((3, 4))
    m = rng.random((3, 4)) > 0.4
    for kw in ({"where": m}, {"where": m, "axis": 1, "initial": 2.0},
               {"where": m, "axis": 0, "keepdims": True}):
        want = getattr(np, name)(a, **kw)
        x = nd.asarray(a, requires_grad=rec)
        ndkw = {k: nd.asarray(v) if k == "where" else v for k, v in kw.items()}
        _bits(getattr(nd, name)(x, **ndkw), want)
        _bits(getattr(x, name)(**ndkw), want)
    w = nd.asarray(np.arange(1.0, 5.0))

    def f(x):
        return nd.sum(getattr(nd, name)(x, axis=0, where=nd.asarray(m)) * w)
    np.testing.assert_allclose(np.asarray(nd.grad(f)(nd.asarray(a))), fd_grad(f, a),
                               rtol=1e-6, atol=1e-8)


# -- x.compress(condition): NumPy's np.compress takes the condition first -----------------
def test_compress_method_argument_order():
    b = np.array([5.0, 0.0, 7.0])
    c = np.array([True, True, False])
    for cond in (c, nd.asarray(c), [1, 1, 0]):
        _bits(nd.asarray(b).compress(cond), b.compress(np.asarray(cond)))
    a = np.arange(12.0).reshape(3, 4)
    _bits(nd.asarray(a).compress([True, False, True], axis=0),
          a.compress([True, False, True], axis=0))
    _bits(nd.asarray(a).compress(condition=[0, 1], axis=1), a.compress([0, 1], axis=1))
    g = nd.grad(lambda x: nd.sum(x.compress([True, False, True]) * nd.asarray([2.0, 3.0])))(
        nd.asarray(b))
    np.testing.assert_array_equal(np.asarray(g), [2.0, 0.0, 3.0])


# -- cholesky(upper=True): NumPy's own upper factor, not the lower factor's L^H -----------
@pytest.mark.parametrize("dt", ["float64", "float32", "complex128", "complex64"])
@pytest.mark.parametrize("rec", [False, True])
def test_cholesky_upper_values_are_numpys(dt, rec):
    rng = np.random.default_rng(0)
    a = (rng.standard_normal((2, 3, 4, 4)) + 4 * np.eye(4)).astype(dt)
    if dt.startswith("complex"):
        a = a + 1j * rng.standard_normal(a.shape).astype(dt)
    h = a @ np.swapaxes(a.conj(), -1, -2)
    h = (h + np.swapaxes(h.conj(), -1, -2)) / 2     # exactly Hermitian
    _bits(nd.linalg.cholesky(nd.asarray(h, requires_grad=rec), upper=True),
          np.linalg.cholesky(h, upper=True))
    # the gradient: of the upper triangle's matrix (NumPy's 'U' path reads that one),
    # against finite differences
    if not rec and dt == "float64":
        x0 = h[0, 0]
        w = nd.asarray(rng.standard_normal((4, 4)))

        def f(x):
            return nd.sum(nd.linalg.cholesky(x, upper=True) * w)
        g = np.asarray(nd.grad(f)(nd.asarray(x0)))
        np.testing.assert_allclose(g, fd_grad(f, x0), atol=1e-6)
        assert not np.tril(g, -1).any()   # the upper triangle is the one read


# -- pinv's default cutoff: NumPy's rcond=1e-15 when neither rcond nor rtol is given ------
def test_pinv_default_cutoff_is_numpys():
    cases = [np.diag([1.0, 1e-8]).astype(np.float32),    # kept by NumPy, dropped by 4*eps32
             np.diag([1.0, 5e-16]),                        # dropped by NumPy, kept by 2*eps
             np.array([[1.0, 2.0], [3.0, 4.0]]), np.ones((3, 2))]
    for a in cases:
        for kw in ({}, {"rtol": None}, {"rcond": 1e-3}, {"rtol": 1e-3}):
            want = np.linalg.pinv(a, **kw)
            for rec in (False, True):
                _bits(nd.linalg.pinv(nd.asarray(a, requires_grad=rec), **kw), want)
    for kw in ({"rcond": 1e-3, "rtol": None}, {"rcond": 1e-3, "rtol": 1e-3}):
        with pytest.raises(ValueError, match="rcond"):
            nd.linalg.pinv(nd.eye(2), **kw)


def test_lstsq_second_order_uses_lstsq_cutoff():
    # the rule's pinv takes lstsq's cutoff (max(M, N) * eps) at every order
    a = np.array([[1.0, 0.0], [1.0, 1.0], [1.0, 2.0]])
    b = np.array([1.0, 2.0, 2.5])

    def f(t):
        return nd.sum(nd.linalg.lstsq(t, nd.asarray(b))[0] ** 2)
    h = np.asarray(nd.grad(lambda t: nd.sum(nd.grad(f)(t) ** 2))(nd.asarray(a)))
    np.testing.assert_allclose(
        h, fd_grad(lambda t: nd.sum(nd.grad(f)(t) ** 2), a, eps=1e-5), rtol=1e-4, atol=1e-6)


# -- hermitian=True (svd, pinv, matrix_rank): NumPy's eigh-based variants -----------------
def _herm_inputs(dt):
    rng = np.random.default_rng(0)
    a = rng.standard_normal((2, 4, 4)).astype(dt)
    if dt.startswith("complex"):
        a = a + 1j * rng.standard_normal(a.shape)
    h = a + np.swapaxes(a.conj(), -1, -2)
    h[1] = np.diag([2.0, -2.0, 1.0, 0.0]).astype(dt)   # ties in |w|, a zero eigenvalue
    return h, a     # Hermitian, and not (the lower triangle is the one read)


@pytest.mark.parametrize("dt", ["float64", "float32", "complex128"])
@pytest.mark.parametrize("rec", [False, True])
def test_hermitian_variants_values(dt, rec):
    for src in _herm_inputs(dt):
        x = nd.asarray(src, requires_grad=rec)
        for g, w in zip(nd.linalg.svd(x, hermitian=True), np.linalg.svd(src, hermitian=True)):
            _bits(g, w)
        _bits(nd.linalg.svd(x, compute_uv=False, hermitian=True),
              np.linalg.svd(src, compute_uv=False, hermitian=True))
        _bits(nd.linalg.pinv(x, hermitian=True), np.linalg.pinv(src, hermitian=True))
        _bits(nd.linalg.pinv(x, rcond=0.3, hermitian=True),
              np.linalg.pinv(src, rcond=0.3, hermitian=True))
        _bits(nd.linalg.matrix_rank(x, hermitian=True),
              np.linalg.matrix_rank(src, hermitian=True))
        _bits(nd.linalg.matrix_rank(x, tol=np.array([0.5, 1.5]), hermitian=True),
              np.linalg.matrix_rank(src, tol=np.array([0.5, 1.5]), hermitian=True))


def test_hermitian_pinv_and_svdvals_gradients():
    rng = np.random.default_rng(1)
    b = rng.standard_normal((3, 3))
    w = nd.asarray(rng.standard_normal((3, 3)))

    def f(x):
        return nd.sum(nd.linalg.pinv(x, hermitian=True) * w)
    for a in (b + b.T + 4 * np.eye(3), b, np.eye(3)):   # the identity: repeated eigenvalues
        g = np.asarray(nd.grad(f)(nd.asarray(a)))
        np.testing.assert_allclose(g, fd_grad(f, a), atol=1e-6)
        assert not np.triu(g, 1).any()

    def f2(x):
        return nd.sum(nd.linalg.svd(x, compute_uv=False, hermitian=True) *
                      nd.asarray([1.0, 2.0, 3.0]))
    a = b + b.T
    a[0, 0] = -9.0
    np.testing.assert_allclose(np.asarray(nd.grad(f2)(nd.asarray(a))), fd_grad(f2, a),
                               atol=1e-6)


@pytest.mark.parametrize("dt", ["complex128", "complex64"])
def test_complex_hermitian_pinv_gradient_ignores_the_diagonals_imaginary_part(dt):
    """(The FFT/linalg fuzz: NumPy's eigh reads the lower triangle and the diagonal's real
    part; the gradient kept the diagonal's imaginary part: 0.11j off on a Hermitian input,
    277 off where the diagonal's imaginary part was nonzero.) Finite differences of
    NumPy's own pinv in x's real and imaginary directions (autograd's convention)."""
    rng = np.random.default_rng(0)
    w = rng.standard_normal((3, 3))
    b = (rng.standard_normal((3, 3)) + 1j * rng.standard_normal((3, 3)))

    def loss(xp, a, **kw):
        return xp.sum(xp.real(xp.linalg.pinv(a, hermitian=True, **kw)) * w)
    for a in (b + b.conj().T, b):
        for kw in ({}, {"rtol": 0.05}):
            g = np.asarray(nd.grad(lambda t: loss(nd, t, **kw))(nd.asarray(a.astype(dt))))
            h, want = 1e-6, np.zeros((3, 3), complex)
            for i in range(3):
                for j in range(3):
                    e = np.zeros((3, 3))
                    e[i, j] = h
                    want[i, j] = (loss(np, a + e, **kw) - loss(np, a - e, **kw)) / (2 * h) \
                        - 1j * (loss(np, a + 1j * e, **kw) - loss(np, a - 1j * e, **kw)) / (2 * h)
            tol = 1e-5 if dt == "complex128" else 2e-2
            np.testing.assert_allclose(g, want, rtol=tol, atol=tol * np.abs(want).max())
            assert not np.imag(np.diagonal(g)).any()


def test_matrix_rank_tolerance_per_matrix_of_a_stack():
    # an array tol (or rtol) holds one value per matrix: it broadcast against the singular
    # values instead ([2, 2] here, silently)
    x = np.stack([np.diag([1.0, 0.5]), np.diag([3.0, 0.1])])
    for kw in ({"tol": np.array([0.6, 0.05])}, {"rtol": np.array([0.6, 0.02])}):
        want = np.linalg.matrix_rank(x, **kw)
        np.testing.assert_array_equal(want, [1, 2])
        _bits(nd.linalg.matrix_rank(nd.asarray(x), **kw), want)
        _bits(nd.linalg.matrix_rank(nd.asarray(x), **{k: nd.asarray(v) for k, v in kw.items()}),
              want)


# -- cov with weights: NumPy's operand order, its complex average, its in-place centring --
@pytest.mark.parametrize("dt", ["float64", "float32", "complex128", "complex64"])
@pytest.mark.parametrize("rec", [False, True])
def test_cov_weighted_values(dt, rec):
    rng = np.random.default_rng(6)
    for _ in range(4):
        m = rng.standard_normal((3, 6))
        if dt.startswith("complex"):
            m = m + 1j * rng.standard_normal((3, 6))
        m = m.astype(dt)
        fw, aw = rng.integers(1, 4, 6), rng.random(6) + 0.1
        low = np.float32 if dt in ("float64", "float32") else np.complex64
        for kw in ({"fweights": fw}, {"aweights": aw}, {"fweights": fw, "aweights": aw},
                   {"fweights": fw, "aweights": aw, "ddof": 2}, {"aweights": aw, "ddof": 0},
                   {"aweights": aw, "dtype": low}, {"dtype": low}):
            want = np.cov(m, **kw)
            got = nd.cov(nd.asarray(m, requires_grad=rec),
                         **{k: nd.asarray(v) if isinstance(v, np.ndarray) else v
                            for k, v in kw.items()})
            _bits(got, want)


def test_cov_weighted_gradients():
    rng = np.random.default_rng(7)
    m = rng.standard_normal((2, 5)) + 1j * rng.standard_normal((2, 5))
    fw, aw = np.array([1, 2, 1, 1, 3]), rng.random(5) + 0.2
    w = nd.asarray(rng.standard_normal((2, 2)))

    def f_aw(a):
        return nd.sum(nd.real(nd.cov(nd.asarray(m), fweights=nd.asarray(fw), aweights=a) * w))
    np.testing.assert_allclose(np.asarray(nd.grad(f_aw)(nd.asarray(aw))), fd_grad(f_aw, aw),
                               atol=1e-7)

    def f_m(re):
        return nd.sum(nd.real(nd.cov(re + 1j * nd.asarray(m.imag), aweights=nd.asarray(aw)) * w))
    np.testing.assert_allclose(np.asarray(nd.real(nd.grad(f_m)(nd.asarray(m.real)))),
                               fd_grad(f_m, m.real), atol=1e-7)


# -- NumPy-only ufuncs silently ignored signature= (float64 where NumPy gives float32) ----
@pytest.mark.parametrize("name", ["fmax", "heaviside", "cbrt", "exp2", "fabs", "modf"])
def test_numpy_ufuncs_refuse_signature(name):
    n = getattr(np, name).nin
    args = (nd.asarray([1.1, 2.2]),) * n
    sig = "f" * n + "->" + "f" * getattr(np, name).nout
    with pytest.raises(TypeError, match="signature"):
        getattr(nd, name)(*args, signature=sig)
    _bits(getattr(nd, name)(*args, dtype=np.float32)
          if getattr(np, name).nout == 1 else getattr(nd, name)(*args, dtype=np.float32)[0],
          getattr(np, name)(*(np.array([1.1, 2.2]),) * n, dtype=np.float32)
          if getattr(np, name).nout == 1
          else getattr(np, name)(*(np.array([1.1, 2.2]),) * n, dtype=np.float32)[0])


# -- the NumPy-value paths above under nd.jit: traced values, no host reads ---------------
JITTED = {
    "vecmat c": lambda x: nd.sum(nd.real(nd.vecmat(x + 1j, nd.ones((4, 2)) * (1 + 2j)))),
    "vander c": lambda x: nd.sum(nd.real(nd.vander(x + 1j, 3))),
    "pad odd": lambda x: nd.sum(nd.pad(x, 2, mode="reflect", reflect_type="odd") ** 2),
    "pinv herm": lambda x: nd.sum(nd.linalg.pinv(nd.reshape(x, (2, 2)) + nd.matrix_transpose(
        nd.reshape(x, (2, 2))), hermitian=True)),
    "svd herm": lambda x: nd.sum(nd.abs(nd.linalg.svd(nd.reshape(x, (2, 2)) + nd.matrix_transpose(
        nd.reshape(x, (2, 2))), hermitian=True)[0])),
    "norm": lambda x: nd.linalg.norm(x) + nd.linalg.norm(x, 3),
    "mean where": lambda x: nd.mean(x, where=nd.asarray([True, False, True, True])),
    "sum where": lambda x: nd.sum(x, where=nd.asarray([True, False, True, True])),
    "nanvar mean": lambda x: nd.nanvar(x, mean=nd.asarray(0.1)),
    "cov aw": lambda x: nd.sum(nd.cov(nd.stack([x, x * x]), aweights=nd.asarray([1., 2., 3., 4.]))),
    "cholesky upper": lambda x: nd.sum(nd.linalg.cholesky(nd.reshape(x, (2, 2)) @ nd.matrix_transpose(
        nd.reshape(x, (2, 2))) + nd.eye(2), upper=True)),
}


@pytest.mark.parametrize("name", sorted(JITTED))
def test_new_paths_under_jit(name):
    f = nd.value_and_grad(JITTED[name])
    j = nd.jit(f)
    for v in ([0.8, 1.5, 1.2, 0.9], [2.0, 0.6, 0.5, 5.0]):   # a second call: no stale value
        got, want = j(nd.asarray(v)), f(nd.asarray(v))
        np.testing.assert_allclose(np.asarray(got[0]), np.asarray(want[0]), rtol=1e-12)
        np.testing.assert_allclose(np.asarray(got[1]), np.asarray(want[1]), rtol=1e-12,
                                   atol=1e-14)


@pytest.mark.parametrize("shapes", [[(3, 4), (2, 4, 5)], [(2, 3, 4), (5, 4, 2)],
                                    [(2, 3, 4), (4,)], [(3,), (2, 3, 4)], [(4,), (4,)],
                                    [(5, 6), (6, 3), (3,)], [(6,), (6, 3), (3, 2)],
                                    [(4,), (4, 5), (5, 6), (6, 2), (2,)]])
def test_multi_dot_and_nd_dot_are_numpys(shapes):
    """(The FFT/linalg fuzz: multi_dot of two arrays was matmul, (2, 3, 5) for
    (3, 4) x (2, 4, 5) where NumPy's dot gives (3, 2, 5); a recorded N-d dot's values
    were matmul's or tensordot's bits.) Bits equal NumPy's, recorded or not and with
    reversed operands; the gradient is the product's."""
    rng = np.random.default_rng(len(shapes))
    for dt in ("float64", "float32"):
        src = [rng.standard_normal(s).astype(dt) for s in shapes]
        for arrays in (src, [a[..., ::-1] for a in src]):
            want = np.linalg.multi_dot(arrays)
            for rec in (False, True):
                got = nd.linalg.multi_dot([nd.asarray(a, requires_grad=rec) for a in arrays])
                _bits(got.detach() if rec else got, want)
            if len(arrays) == 2:
                _bits(nd.dot(*[nd.asarray(a, requires_grad=True) for a in arrays]).detach(),
                      np.dot(*arrays))
    w = rng.standard_normal(np.shape(np.linalg.multi_dot(src)))
    x0 = src[0].astype(float)

    def f(x):
        return nd.sum(nd.linalg.multi_dot([x] + [nd.asarray(a.astype(float))
                                                 for a in src[1:]]) * w)
    np.testing.assert_allclose(np.asarray(nd.grad(f)(nd.asarray(x0))), fd_grad(f, x0),
                               rtol=1e-6, atol=1e-8)
    if len(src) == 2:
        o = np.empty(np.shape(np.linalg.multi_dot(src)), src[0].dtype)
        assert nd.linalg.multi_dot([nd.asarray(a) for a in src], out=o) is o
        np.testing.assert_array_equal(o, np.linalg.multi_dot(src))


@pytest.mark.parametrize("dt", ["float32", "complex64", "float64"])
def test_cond_of_single_precision_inverts_in_double_as_numpy(dt):
    """(The FFT/linalg fuzz: cond(x, p) of float32 / complex64 inverted in float32, 1 ulp
    off NumPy's in 446 of 1,800 cases; NumPy inverts in double and casts the product.)"""
    rng = np.random.default_rng(2)
    for k in (1, 2, 3, 5):
        a = rng.standard_normal((4, k, k)) + 1j * rng.standard_normal((4, k, k))
        x = (a if dt.startswith("complex") else a.real).astype(dt)
        for p in (1, -1, np.inf, -np.inf, "fro", "nuc"):
            want = np.linalg.cond(x, p)
            for rec in (False, True):
                got = nd.linalg.cond(nd.asarray(x, requires_grad=rec), p)
                _bits(got.detach() if rec else got, want)

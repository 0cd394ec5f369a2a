"""Gradients at ties, zeros and singular points, against finite differences and the
conventions PyTorch and JAX document (found in the trust5 sweep; each was a NaN or an error
where the function has a derivative or a minimum-norm subgradient)."""
import numpy as np
import pytest

import ndgrad as nd
from helpers import fd_grad


# -- hypot at (0, 0): the 2-norm of (x, y), so 0 as vector_norm (JAX's hypot), not NaN ----
def test_hypot_gradient_at_origin_is_zero():
    gx, gy = nd.grad(lambda x, y: nd.sum(nd.hypot(x, y)), argnums=(0, 1))(
        nd.asarray([0.0, 3.0, -0.0]), nd.asarray([0.0, 4.0, 0.0]))
    np.testing.assert_array_equal(np.asarray(gx), [0.0, 0.6, 0.0])
    np.testing.assert_array_equal(np.asarray(gy), [0.0, 0.8, 0.0])
    for dt in ("float32", "float64"):
        g = nd.grad(lambda x: nd.sum(nd.hypot(x, 0.0)))(nd.zeros(2, dtype=dt))
        assert g.dtype == dt
        np.testing.assert_array_equal(np.asarray(g), 0.0)


def test_hypot_gradient_matches_finite_differences():
    a = np.array([0.3, -1.2, 2.0, 0.0])
    b = np.array([0.5, 0.4, -1.0, 0.7])
    g = nd.grad(lambda x: nd.sum(nd.hypot(x, nd.asarray(b)) * nd.asarray([1.0, 2.0, 3.0,
                                                                          4.0])))
    f = (lambda x: nd.sum(nd.hypot(x, nd.asarray(b)) * nd.asarray([1.0, 2.0, 3.0, 4.0])))
    np.testing.assert_allclose(np.asarray(g(nd.asarray(a))), fd_grad(f, a), rtol=1e-7,
                               atol=1e-8)
    # second order away from the origin still records
    h = nd.grad(lambda x: nd.sum(nd.grad(lambda t: nd.sum(nd.hypot(t, 2.0)))(x)))(
        nd.asarray([1.5]))
    np.testing.assert_allclose(np.asarray(h), [4.0 / 6.25 ** 1.5])


# -- det of a singular matrix: the cofactor matrix (the adjugate's transpose), as PyTorch --
def _cofactors(a):
    n = a.shape[-1]
    c = np.zeros_like(a)
    for i in range(n):
        for j in range(n):
            m = np.delete(np.delete(a, i, 0), j, 1)
            c[i, j] = (-1) ** (i + j) * (np.linalg.det(m) if n > 1 else 1.0)
    return c


SINGULAR = [
    np.array([[1.0, 2.0], [2.0, 4.0]]),
    np.zeros((2, 2)),
    np.ones((3, 3)),
    np.diag([2.0, 3.0, 0.0]),
    np.array([[0.0, 1.0, 2.0], [0.0, 3.0, 4.0], [0.0, 5.0, 7.0]]),
    np.array([[1.0, 2.0, 0.0, 1.0], [0.0, 1.0, 0.0, 0.0], [2.0, 4.0, 0.0, 2.0],
              [1.0, 1.0, 1.0, 1.0]]),
]


@pytest.mark.parametrize("a", SINGULAR, ids=range(len(SINGULAR)))
def test_det_gradient_of_singular_matrix(a):
    assert np.linalg.matrix_rank(a) < a.shape[0]
    g = np.asarray(nd.grad(nd.linalg.det)(nd.asarray(a)))
    np.testing.assert_allclose(g, _cofactors(a), atol=1e-12)
    # det is a polynomial: central differences are exact to rounding
    np.testing.assert_allclose(g, fd_grad(nd.linalg.det, a, eps=1e-4), atol=1e-8)


def test_det_gradient_singular_in_a_stack_and_complex():
    b = np.stack([SINGULAR[0], np.array([[1.0, 2.0], [3.0, 4.0]])])
    g = nd.grad(lambda x: nd.sum(nd.linalg.det(x) * nd.asarray([1.0, 2.0])))(nd.asarray(b))
    np.testing.assert_allclose(np.asarray(g), [_cofactors(b[0]), 2 * _cofactors(b[1])],
                               atol=1e-12)
    z = np.array([[1 + 1j, 2.0], [2 + 2j, 4.0]])
    gz = nd.grad(lambda x: nd.real(nd.linalg.det(x)))(nd.asarray(z))
    # holomorphic: the cotangent of z for real(det) is the cofactor matrix itself
    np.testing.assert_allclose(np.asarray(gz), _cofactors(z), atol=1e-12)
    g32 = nd.grad(nd.linalg.det)(nd.asarray(SINGULAR[0].astype(np.float32)))
    assert g32.dtype == np.float32
    np.testing.assert_allclose(np.asarray(g32), _cofactors(SINGULAR[0]), atol=1e-5)


# -- pad(reflect_type="odd") while recording: the odd reflection was ignored --------------
@pytest.mark.parametrize("mode", ["reflect", "symmetric"])
@pytest.mark.parametrize("pw", [3, 9, ((1, 2), (4, 0))], ids=["3", "9", "uneven"])
def test_pad_odd_reflection_recorded(mode, pw):
    rng = np.random.default_rng(0)
    for dt in ("float64", "float32"):
        a = rng.standard_normal((4, 3)).astype(dt)
        want = np.pad(a, pw, mode=mode, reflect_type="odd")
        got = nd.pad(nd.asarray(a, requires_grad=True), pw, mode=mode, reflect_type="odd")
        assert got.dtype == want.dtype
        np.testing.assert_array_equal(np.asarray(got.detach()), want)
    w = nd.asarray(rng.standard_normal(want.shape))
    a = a.astype(np.float64)

    def f(x):
        return nd.sum(nd.pad(x, pw, mode=mode, reflect_type="odd") * w)
    np.testing.assert_allclose(np.asarray(nd.grad(f)(nd.asarray(a))), fd_grad(f, a),
                               atol=1e-7)


def test_pad_refuses_keywords_of_other_modes_while_recording():
    x = nd.asarray([1.0, 2.0], requires_grad=True)
    with pytest.raises(ValueError, match="constant_values"):
        nd.pad(x, 2, mode="edge", constant_values=3)
    with pytest.raises(ValueError, match="reflect_type"):
        nd.pad(x, 1, mode="reflect", reflect_type="sideways")


# -- polydiv: the gradient was silently 0 (NumPy on the values) ---------------------------
POLYS = [(np.array([0.3, -1.2, 2.0, 0.5, 1.1, -0.7, 0.2]), np.array([1.0, 2.0, 0.5])),
         (np.array([1.0, -3.0, 2.0]), np.array([1.0, -1.0])),
         (np.array([2.0, 1.0]), np.array([1.0, 2.0, 3.0])),
         (np.array([0.5, -1.0, 2.0, 3.0]), np.array([2.5]))]


@pytest.mark.parametrize("u,v", POLYS, ids=range(len(POLYS)))
def test_polydiv_values_and_gradients(u, v):
    q, r = np.polydiv(u, v)
    gq, gr = nd.polydiv(nd.asarray(u, requires_grad=True), nd.asarray(v, requires_grad=True))
    np.testing.assert_array_equal(np.asarray(gq.detach()), q)
    np.testing.assert_array_equal(np.asarray(gr.detach()), r)
    rng = np.random.default_rng(1)
    wq, wr = nd.asarray(rng.standard_normal(q.shape)), nd.asarray(rng.standard_normal(r.shape))

    def loss(a, b):
        qq, rr = nd.polydiv(a, b)
        return nd.sum(qq * wq) + nd.sum(rr * wr)
    gu = nd.grad(lambda a: loss(a, nd.asarray(v)))(nd.asarray(u))
    gv = nd.grad(lambda b: loss(nd.asarray(u), b))(nd.asarray(v))
    np.testing.assert_allclose(np.asarray(gu), fd_grad(lambda a: loss(a, nd.asarray(v)), u),
                               atol=1e-6)
    np.testing.assert_allclose(np.asarray(gv), fd_grad(lambda b: loss(nd.asarray(u), b), v),
                               atol=1e-6)


# -- quantile/percentile: the gradient in q was silently 0 (q taken as host values) -------
QFUNCS = [("quantile", lambda a, q: nd.quantile(a, q)),
          ("percentile", lambda a, q: nd.percentile(a, q * 100)),
          ("nanquantile", lambda a, q: nd.nanquantile(a, q)),
          ("nanpercentile", lambda a, q: nd.nanpercentile(a, q * 100)),
          ("quantile axis", lambda a, q: nd.quantile(nd.reshape(a, (2, 2)), q, axis=1))]


@pytest.mark.parametrize("name,f", QFUNCS, ids=[c[0] for c in QFUNCS])
def test_quantile_gradient_in_q(name, f):
    a = np.array([1.0, 4.0, 2.0, 8.0])
    if name.startswith("nan"):
        a = np.array([1.0, 4.0, np.nan, 2.0, 8.0])
    w = nd.asarray(np.arange(1.0, 5.0).reshape(2, 2) if "axis" in name else [1.0, 2.0])

    def loss(q):
        return nd.sum(f(nd.asarray(a), q) * w)
    q0 = np.array([0.3, 0.7])
    g = np.asarray(nd.grad(loss)(nd.asarray(q0)))
    assert np.abs(g).min() > 0
    np.testing.assert_allclose(g, fd_grad(loss, q0), rtol=1e-6)
    # and in both the data and q at once, the values NumPy's
    got = f(nd.asarray(a, requires_grad=True), nd.asarray(q0, requires_grad=True))
    want = f(nd.asarray(a), nd.asarray(q0))
    np.testing.assert_array_equal(np.asarray(got.detach()), np.asarray(want))


def test_quantile_methods_computed_by_numpy_refuse_a_recorded_q():
    with pytest.raises(TypeError, match="no gradient"):
        nd.quantile(nd.asarray([1.0, 4.0, 2.0]), nd.asarray(0.3, requires_grad=True),
                    method="hazen")


# -- arange of recorded end points / step, gradient's recorded spacing: silently 0 -------
ARANGES = [("start", lambda p: nd.arange(p[0], 3.0, 1.0), [0.2], [6.0]),
           ("step", lambda p: nd.arange(0.2, 2.5, p[0]), [0.9], [8.0]),
           ("stop", lambda p: nd.arange(0.2, p[0], 1.0), [2.5], [0.0]),
           ("all", lambda p: nd.arange(p[0], p[1], p[2]), [0.2, 2.5, 0.9], [6.0, 0.0, 8.0])]


@pytest.mark.parametrize("name,f,p0,want", ARANGES, ids=[c[0] for c in ARANGES])
def test_arange_gradient_in_its_arguments(name, f, p0, want):
    w = nd.asarray([1.0, 2.0, 3.0])
    g = nd.grad(lambda p: nd.sum(f(p) * w))(nd.asarray(p0))
    np.testing.assert_allclose(np.asarray(g), want)
    np.testing.assert_allclose(np.asarray(g), fd_grad(lambda p: nd.sum(f(p) * w), p0))
    s = nd.asarray(0.2, requires_grad=True)
    np.testing.assert_array_equal(np.asarray(nd.arange(s, 3.0, 0.7).detach()),
                                  np.arange(0.2, 3.0, 0.7))


@pytest.mark.parametrize("edge_order", [1, 2])
def test_gradient_recorded_scalar_spacing(edge_order):
    x = nd.asarray([0.3, -1.2, 2.0, 0.7])
    w = nd.asarray([1.0, 2.0, 3.0, 4.0])

    def f(p):
        return nd.sum(nd.gradient(x * p[1], p[0], edge_order=edge_order) * w)
    p0 = np.array([0.5, 2.0])
    np.testing.assert_allclose(np.asarray(nd.grad(f)(nd.asarray(p0))), fd_grad(f, p0),
                               rtol=1e-6)
    h = nd.asarray(0.5, requires_grad=True)
    np.testing.assert_array_equal(np.asarray(nd.gradient(x, h, edge_order=edge_order).detach()),
                                  np.gradient(np.asarray(x), 0.5, edge_order=edge_order))
    # recorded coordinate arrays are differentiable too (they were refused)
    c0 = np.array([0.0, 1.0, 3.0, 4.0])

    def fc(c):
        return nd.sum(nd.gradient(x, c, edge_order=edge_order) * w)
    np.testing.assert_allclose(np.asarray(nd.grad(fc)(nd.asarray(c0))), fd_grad(fc, c0),
                               rtol=1e-6)


def test_unwrap_array_period():
    p = np.array([0.0, 5.0, 10.0])
    want = np.unwrap(p, period=6.0)
    for per in (np.float64(6.0), nd.asarray(6.0)):
        for rec in (False, True):
            got = nd.unwrap(nd.asarray(p, requires_grad=rec), period=per)
            np.testing.assert_array_equal(np.asarray(got.detach()), want)
    with pytest.raises(TypeError, match="period"):
        nd.unwrap(nd.asarray(p), period=nd.asarray(6.0, requires_grad=True))


# -- unique(axis=...) of a recorded array: the gradient was silently cut -------------------
def test_unique_axis_gradient_and_signed_zeros():
    a = np.array([[1.0, 2.0], [3.0, 4.0], [1.0, 2.0]])
    w = nd.asarray([[1.0, 2.0], [3.0, 4.0]])
    g = nd.grad(lambda x: nd.sum(nd.unique(x, axis=0) * w))(nd.asarray(a))
    # each unique row's gradient goes to its first occurrence
    np.testing.assert_array_equal(np.asarray(g), [[1.0, 2.0], [3.0, 4.0], [0.0, 0.0]])
    vals, inv = nd.unique(nd.asarray(a, requires_grad=True), axis=0, return_inverse=True)
    want = np.unique(a, axis=0, return_inverse=True)
    np.testing.assert_array_equal(np.asarray(vals.detach()), want[0])
    np.testing.assert_array_equal(np.asarray(inv), want[1])
    # NumPy's sort decides which of 0.0 and -0.0 stays: its values, recorded or not
    b = np.array([0.0, -0.0, 1.0, -2.5, 1.0], np.float16)
    for rec in (False, True):
        got = np.asarray(nd.unique(nd.asarray(b, requires_grad=rec)).detach())
        np.testing.assert_array_equal(np.signbit(got), np.signbit(np.unique(b)))
    c = np.array([np.nan, 1.0, np.nan])
    for en in (True, False):
        got = nd.unique(nd.asarray(c, requires_grad=True), equal_nan=en)
        np.testing.assert_array_equal(np.asarray(got.detach()), np.unique(c, equal_nan=en))


# -- lists of recorded arrays as one array argument; ix_ of recorded vectors --------------
def test_list_of_recorded_arrays_keeps_the_gradient():
    # NumPy's fast paths were taken for a list argument whatever it held: a constant
    w = nd.asarray([1.0, 2.0, 3.0])

    def f(t):
        return nd.sum(nd.ediff1d([t, t * 3]) * w)
    g = nd.grad(f)(nd.asarray([1.0, 2.5]))
    np.testing.assert_array_equal(np.asarray(g), [-4.0, 8.0])
    x = nd.asarray([1.0, 2.5], requires_grad=True)
    np.testing.assert_array_equal(np.asarray(nd.ediff1d([x, x * 2]).detach()),
                                  np.ediff1d([[1.0, 2.5], [2.0, 5.0]]))


def test_ix_keeps_the_gradient_of_recorded_vectors():
    y = nd.asarray([3.0, 4.0, 5.0])

    def f(t):
        a, b = nd.ix_(t, y)
        return nd.sum(a * b)
    np.testing.assert_array_equal(np.asarray(nd.grad(f)(nd.asarray([1.0, 2.5]))), [12.0, 12.0])
    got = nd.ix_(nd.asarray([1.0, 2.5], requires_grad=True), y)
    want = np.ix_(np.array([1.0, 2.5]), np.array([3.0, 4.0, 5.0]))
    for g_, w_ in zip(got, want):
        np.testing.assert_array_equal(np.asarray(g_.detach()), w_)
    np.testing.assert_array_equal(np.asarray(nd.ix_(nd.asarray([True, False, True]))[0]),
                                  np.ix_(np.array([True, False, True]))[0])


# -- clip with lo > hi: NumPy's min(max(x, lo), hi) is hi everywhere ---------------------
CLIPS = [(2.0, 1.0), (0.0, 1.0), (np.array([0.0, 2.0, 0.0, 2.0]), 1.0),
         (0.5, np.array([1.0, 0.2, 5.0, 0.0]))]


@pytest.mark.parametrize("lo,hi", CLIPS, ids=range(len(CLIPS)))
def test_clip_gradients_with_crossed_bounds(lo, hi):
    x0 = np.array([-1.0, 0.5, 3.0, 1.2])
    w = nd.asarray([1.0, 2.0, 3.0, 4.0])
    lo_a = np.broadcast_to(np.asarray(lo, float), (4,)).copy()
    hi_a = np.broadcast_to(np.asarray(hi, float), (4,)).copy()

    def fx(t):
        return nd.sum(nd.clip(t, nd.asarray(lo) if isinstance(lo, np.ndarray) else lo,
                              nd.asarray(hi) if isinstance(hi, np.ndarray) else hi) * w)

    def fl(t):
        return nd.sum(nd.clip(nd.asarray(x0), t, nd.asarray(hi_a)) * w)

    def fh(t):
        return nd.sum(nd.clip(nd.asarray(x0), nd.asarray(lo_a), t) * w)
    for f, p in ((fx, x0), (fl, lo_a), (fh, hi_a)):
        np.testing.assert_allclose(np.asarray(nd.grad(f)(nd.asarray(p))), fd_grad(f, p),
                                   atol=1e-8)
    # scalar bounds: the bound that sets every value gets the whole gradient
    assert float(nd.grad(lambda h: nd.sum(nd.clip(nd.asarray([-1.0, 0.5, 3.0]), 2.0, h)))(
        nd.asarray(1.0))) == 3.0
    assert float(nd.grad(lambda lo_: nd.sum(nd.clip(nd.asarray([-1.0, 0.5, 3.0]), lo_, 1.0)))(
        nd.asarray(2.0))) == 0.0

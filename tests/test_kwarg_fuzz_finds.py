"""What the keyword-argument gradient fuzz against JAX (NumPy functions with their rarer
keywords) found: gradients that were refused (``polyint``, ``pad``'s statistic, ramp and
empty modes, quantiles by Hyndman and Fan's other methods), and, while adding them,
``percentile(method=...)`` of those methods off NumPy (array_api_strict, CuPy): NumPy
was handed the fraction q / 100 as the percentile, so the 30th percentile by ``hazen``
of 1..10 was 1.0 where NumPy gives 3.5."""
import warnings

import numpy as np
import pytest

import ndgrad as nd
from helpers import fd_grad_np, host

HF = ["inverted_cdf", "averaged_inverted_cdf", "closest_observation",
      "interpolated_inverted_cdf", "hazen", "weibull", "median_unbiased", "normal_unbiased"]


def _same(got, ref):
    got, ref = np.asarray(got), np.asarray(ref)
    assert got.shape == ref.shape and got.dtype == ref.dtype
    np.testing.assert_array_equal(got, ref)
    np.testing.assert_array_equal(np.signbit(got), np.signbit(ref))


def _recorded_value(f, x):
    """``f(x)``'s value as recorded inside ``nd.grad`` (the differentiable path)."""
    seen = {}

    def g(v):
        r = f(v)
        seen["r"] = r.detach()
        return nd.sum(r)
    nd.grad(g)(nd.asarray(x))
    return np.asarray(seen["r"])


def _check_grad(f, x, rtol=1e-6):
    x = np.asarray(x, dtype=np.float64)
    c = np.cos(np.arange(np.asarray(f(np, x)).size) + 0.5).reshape(np.shape(f(np, x)))
    g = nd.grad(lambda v: nd.sum(f(nd, v) * c))(nd.asarray(x))
    fd = fd_grad_np(lambda v: np.sum(f(np, v) * c), x)
    np.testing.assert_allclose(np.asarray(g), fd, rtol=rtol, atol=1e-7)
    jg = nd.jit(nd.grad(lambda v: nd.sum(f(nd, v) * c)))(nd.asarray(x))
    np.testing.assert_allclose(np.asarray(jg), np.asarray(g), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("device", ["strict", "cupy_rules"])
@pytest.mark.parametrize("method", HF)
def test_percentile_by_every_method_off_numpy(device, method):
    x = np.arange(1.0, 11.0)
    a = nd.asarray(x, device=device)
    for fn, q in (("percentile", 30), ("nanpercentile", [5, 30, 97]), ("quantile", 0.3),
                  ("nanquantile", [0.05, 0.3, 0.97])):
        got = host(getattr(nd, fn)(a, q, method=method))
        np.testing.assert_array_equal(got, getattr(np, fn)(x, q, method=method))


@pytest.mark.parametrize("method", HF)
def test_quantile_methods_values_recorded_and_gradients(method):
    rng = np.random.default_rng(len(method))
    x = rng.standard_normal((4, 7)) * 10
    xn = x.copy()
    xn[1, 3] = np.nan
    q = np.array([0.0, 1e-9, 0.13, 0.5, 0.77, 1 - 1e-9, 1.0])
    for fn, data, qq in (("quantile", x, q), ("percentile", x, q * 100),
                         ("nanquantile", xn, q), ("nanpercentile", xn, q * 100)):
        for axis in (None, 0, 1):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                ref = getattr(np, fn)(data, qq, axis=axis, method=method)
                _same(_recorded_value(lambda v: getattr(nd, fn)(v, qq, axis=axis,
                                                                method=method), data), ref)
    for axis in (None, 0, 1):
        _check_grad(lambda xp, v: xp.quantile(v, q[2:5], axis=axis, method=method), x)
        _check_grad(lambda xp, v: xp.percentile(v, 100 * q[2:5], axis=axis, method=method,
                                                keepdims=True), x)


def test_quantile_methods_on_integers_and_booleans():
    x = np.array([[3, -1, 4, 1], [5, 9, 2, 6]])
    for method in HF:
        ref = np.quantile(x, [0.2, 0.9], axis=1, method=method)
        _same(nd.quantile(nd.asarray(x, device="strict"), [0.2, 0.9], axis=1,
                          method=method).to_device("cpu"), ref)
    b = np.array([True, False, True])   # (array_api_strict sorts no booleans)
    _same(host(nd.quantile(nd.asarray(b, device="cupy_rules"), 0.5, method="inverted_cdf")),
          np.quantile(b, 0.5, method="inverted_cdf"))
    with pytest.raises(TypeError, match="boolean subtract"):   # (NumPy's error)
        nd.quantile(nd.asarray(b, device="cupy_rules"), 0.5, method="hazen")


def test_quantile_methods_under_jit():
    x = nd.asarray(np.arange(10.0)[::-1] ** 1.5)
    for method in HF:
        np.testing.assert_array_equal(
            np.asarray(nd.jit(lambda v: nd.percentile(v, [10, 30, 90], method=method))(x)),
            np.percentile(np.asarray(x), [10, 30, 90], method=method))


def test_quantile_gradient_in_q_by_other_methods_is_refused():
    with pytest.raises(TypeError, match="has no gradient"):
        nd.grad(lambda q: nd.quantile(nd.asarray([1.0, 2.0, 4.0]), q, method="hazen"))(
            nd.asarray(0.3))


PAD_CASES = [
    ("maximum", {}), ("minimum", {}), ("mean", {}), ("median", {}),
    ("maximum", {"stat_length": 2}), ("mean", {"stat_length": ((1, 3), (2, 1))}),
    ("median", {"stat_length": ((3, 1), (1, 4))}), ("minimum", {"stat_length": 1}),
    ("linear_ramp", {}), ("linear_ramp", {"end_values": ((1.5, -2.0), (0.25, 3.0))}),
    ("linear_ramp", {"end_values": 4}),
]


@pytest.mark.parametrize("mode,kw", PAD_CASES)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_pad_modes_from_values(mode, kw, dtype):
    rng = np.random.default_rng(7)
    x = (rng.permutation(12).reshape(3, 4) + rng.uniform(0, 0.5, (3, 4))).astype(dtype)
    pw = ((2, 1), (1, 3))
    ref = np.pad(x, pw, mode=mode, **kw)
    _same(_recorded_value(lambda v: nd.pad(v, pw, mode=mode, **kw), x), ref)
    np.testing.assert_allclose(np.asarray(nd.jit(lambda v: nd.pad(v, pw, mode=mode, **kw))(
        nd.asarray(x))), ref, rtol=1e-6 if dtype == np.float32 else 1e-15)
    if dtype == np.float64:
        _check_grad(lambda xp, v: xp.pad(v, pw, mode=mode, **kw), x)


def test_pad_empty_mode_and_refusals():
    x = np.arange(1.0, 7.0).reshape(2, 3)
    g = nd.grad(lambda v: nd.sum(nd.pad(v, 2, mode="empty")[2:4, 2:5] * 3.0))(nd.asarray(x))
    np.testing.assert_array_equal(np.asarray(g), np.full((2, 3), 3.0))
    with pytest.raises(ValueError, match="stat_length of 0"):
        nd.grad(lambda v: nd.sum(nd.pad(v, 1, mode="maximum", stat_length=0)))(nd.asarray(x))
    e = nd.asarray([2.0])
    with pytest.raises(TypeError, match="no gradient"):
        with nd.enable_grad():
            e.requires_grad_()
            nd.pad(nd.asarray(x), 1, mode="linear_ramp", end_values=e)


def test_polyint_gradient():
    p = np.array([3.0, -2.0, 0.5])
    for m, k in ((1, None), (2, None), (3, [1.0, 2.0, 3.0]), (2, 1.5)):
        _same(_recorded_value(lambda v: nd.polyint(v, m, k), p), np.polyint(p, m, k))
        _check_grad(lambda xp, v: xp.polyint(v, m, k), p)
    # in the integration constants too
    kk = np.array([1.0, -2.0])
    c = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    g = nd.grad(lambda k: nd.sum(nd.polyint(nd.asarray(p), 2, k) * c))(nd.asarray(kk))
    np.testing.assert_allclose(np.asarray(g), fd_grad_np(
        lambda k: np.sum(np.polyint(p, 2, k) * c), kk), rtol=1e-7)


@pytest.mark.parametrize("axes", [[(-1, -2), (-1, -2), (-1, -2)], [(-1, -2), (-1, -2), (0, 1)],
                                  [(2, 1), (2, 1), (2, 0)], [(0, 2), (1, 2), (1, 2)]])
def test_matmul_axes(axes):
    rng = np.random.default_rng(3)
    a, b = rng.standard_normal((2, 3, 4)), rng.standard_normal((2, 5, 3))
    if axes[0] == (0, 2):
        a, b = rng.standard_normal((3, 2, 4)), rng.standard_normal((2, 4, 5))
    ref = np.matmul(a, b, axes=axes)
    _same(nd.matmul(nd.asarray(a), nd.asarray(b), axes=axes), ref)
    np.testing.assert_allclose(host(nd.matmul(nd.asarray(a, device="strict"),
                                              nd.asarray(b, device="strict"), axes=axes)),
                               ref, rtol=1e-13)
    _check_grad(lambda xp, v: xp.matmul(v, b, axes=axes), a)
    _check_grad(lambda xp, v: xp.matmul(a, v, axes=axes), b)
    with pytest.raises(ValueError, match="repeated"):
        nd.matmul(nd.asarray(a), nd.asarray(b), axes=[(1, 1), (0, 1), (0, 1)])


def test_dot_of_a_0d_operand_under_jit():
    x = np.arange(1.0, 7.0).reshape(2, 3)
    np.testing.assert_array_equal(np.asarray(nd.jit(lambda s: nd.dot(s, x))(np.float64(2.0))),
                                  2 * x)
    v, g = nd.jit(nd.value_and_grad(lambda s: nd.sum(nd.inner(x, s))))(np.float64(2.0))
    assert float(v) == 42.0 and float(g) == 21.0


@pytest.mark.parametrize("edge_order", [1, 2])
def test_gradient_in_its_coordinate_arrays(edge_order):
    rng = np.random.default_rng(edge_order)
    F = rng.standard_normal((4, 5))
    w = rng.standard_normal((4, 5))
    for cx in (np.array([0.0, 1.0, 3.0, 3.5, 6.0]), np.arange(5.0)):   # (equal steps too)
        cy = np.array([-1.0, 0.5, 0.75, 2.0])
        ref = np.gradient(F, cy, cx, edge_order=edge_order)
        for k in (0, 1):
            _same(_recorded_value(lambda x: nd.gradient(nd.asarray(F), nd.asarray(cy), x,
                                                        edge_order=edge_order)[k], cx), ref[k])

        def loss(xp, f, y, x):
            gy, gx = xp.gradient(f, y, x, edge_order=edge_order)
            return xp.sum(gy * w) + xp.sum(gx * w * w)
        got = nd.grad(lambda f, y, x: loss(nd, f, y, x), (0, 1, 2))(
            nd.asarray(F), nd.asarray(cy), nd.asarray(cx))
        for g, i, v in zip(got, range(3), (F, cy, cx)):
            def at(t, i=i):
                args = [F, cy, cx]
                args[i] = t
                return loss(np, *args)
            np.testing.assert_allclose(np.asarray(g), fd_grad_np(at, v), rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("name", ["quantile", "nanquantile", "percentile", "nanpercentile"])
def test_weighted_quantile_gradient(name):
    rng = np.random.default_rng(11)
    x = rng.standard_normal((3, 5))
    if name.startswith("nan"):
        x[1, 2] = np.nan
    w = rng.integers(0, 4, (3, 5)).astype(float)
    w[:, 0] += 1
    q = np.array([0.0, 0.3, 0.8, 1.0]) * (100 if "percentile" in name else 1)
    cases = ((None, w), (1, w)) + (() if name.startswith("nan") else ((0, w[:, 0]),))
    for axis, wt in cases:   # (NumPy's nanquantile itself fails for 1-D weights)
        ref = getattr(np, name)(x, q, axis=axis, method="inverted_cdf", weights=wt)
        _same(_recorded_value(lambda v: getattr(nd, name)(v, q, axis=axis,
                                                          method="inverted_cdf", weights=wt),
                              x), ref)
        c = np.cos(np.arange(ref.size)).reshape(ref.shape)
        g = nd.grad(lambda v: nd.sum(getattr(nd, name)(v, q, axis=axis, method="inverted_cdf",
                                                        weights=wt) * c))(nd.asarray(x))
        if not name.startswith("nan"):
            np.testing.assert_allclose(np.asarray(g), fd_grad_np(lambda v: np.sum(getattr(
                np, name)(v, q, axis=axis, method="inverted_cdf", weights=wt) * c), x),
                atol=1e-7)
        else:   # each picked element gets its cotangent; a NaN is never picked
            assert np.asarray(g)[1, 2] == 0.0
            np.testing.assert_allclose(np.asarray(g).sum(), c.sum(), rtol=1e-12)
    _same(host(nd.quantile(nd.asarray(x, device="strict"), 0.6, method="inverted_cdf",
                           weights=w)), np.asarray(np.quantile(x, 0.6, method="inverted_cdf",
                                                               weights=w)))


@pytest.mark.parametrize("device", ["strict", "cupy_rules"])
def test_gradient_off_numpy_equals_numpy(device):
    # (equal coordinate steps take the uniform formula with a NumPy float64 step, which
    # array_api_strict refused as an operand)
    F = np.random.default_rng(2).standard_normal((4, 5)).astype(np.float32)
    for c, eo in ((np.array([0.0, 0.5, 1.0, 1.5]), 1), (np.array([0.0, 0.5, 1.0, 1.5]), 2),
                  (np.array([0.0, 1.0, 1.5, 4.0]), 2), (np.float32(0.5), 1)):
        got = host(nd.gradient(nd.asarray(F, device=device),
                               nd.asarray(c, device=device) if np.ndim(c) else c, axis=0,
                               edge_order=eo))
        _same(got, np.gradient(F, c, axis=0, edge_order=eo))

"""What a differential fuzz of NumPy-face functions on ndgrad's other backends
(array_api_strict, the CuPy-rules stand-in) against NumPy found: results that differed
from NumPy's in value, dtype or kind with no error, on those backends or on all."""
import warnings

import numpy as np
import pytest

import ndgrad as nd
from helpers import host


def _same(got, ref):
    got, ref = np.asarray(got), np.asarray(ref)
    assert got.shape == ref.shape and got.dtype == ref.dtype, (got, ref)
    np.testing.assert_array_equal(got, ref)
    if got.dtype.kind in "fc":   # (zeros' signs; a NaN's sign bit is no value)
        for part in ((np.real, np.imag) if got.dtype.kind == "c" else (lambda v: v,)):
            g, r = part(got), part(ref)
            keep = ~np.isnan(r)
            np.testing.assert_array_equal(np.signbit(g[keep]), np.signbit(r[keep]))


DEVICES = ["cpu", "strict", "cupy_rules"]


@pytest.mark.parametrize("device", DEVICES)
def test_reductions_cast_initial_to_their_dtype(device):
    # a NumPy float64 initial made a float32 sum float64 (and a 0-d array, not a scalar)
    x = np.float32([1.5, 2.5, 4.0])
    cases = [("sum", x, {"initial": np.float64(1.0)}),
             ("prod", x.reshape(3, 1), {"axis": 0, "initial": np.float64(1.5)}),
             ("sum", np.int32([1, 2]), {"initial": 1.5}),
             ("prod", np.int8([3, 4]), {"initial": 2.7}),
             ("sum", x, {"dtype": np.float64, "initial": np.float32(0.1)}),
             ("max", x, {"initial": np.float64(5.5), "where": [True, False, True]}),
             ("min", x, {"initial": np.float64(-1.0), "where": [True, False, True]})]
    for name, v, kw in cases:
        if device == "strict" and v.dtype == np.int8 and name == "prod":
            continue   # (array_api_strict's prod of int8 is its own int8 loop)
        ref = getattr(np, name)(v, **kw)
        got = getattr(nd, name)(nd.asarray(v, device=device), **kw)
        _same(host(got), ref)
        if device == "cpu":
            assert repr(got) == repr(ref)   # (printed as NumPy's scalar for a 0-d result)
    g = nd.grad(lambda v: nd.sum(v * 2.0, initial=np.float64(1.0)))(nd.asarray(x))
    _same(np.asarray(g), np.full(3, 2.0, np.float32))


def test_ravel_and_reshape_read_the_device_layout():
    # order 'A' / 'K' read the memory layout on CuPy too (it was C order there: permuted
    # values, and gradients following them)
    c = np.arange(6.0).reshape(2, 3)
    f = np.asfortranarray(c)
    F = nd.asarray(f, device="cupy_rules")
    assert F._data.flags.f_contiguous
    _same(host(nd.ravel(F, order="A")), np.ravel(f, order="A"))
    _same(host(F.flatten("A")), f.flatten("A"))
    _same(host(nd.reshape(F, (3, 2), order="A")), np.reshape(f, (3, 2), order="A"))
    T = nd.asarray(c, device="cupy_rules").T
    _same(host(nd.ravel(T, order="K")), np.ravel(c.T, order="K"))
    w = nd.asarray(np.arange(6.0), device="cupy_rules")
    g = nd.grad(lambda z: nd.sum(nd.ravel(z, order="A") * w))(F)
    _same(host(g), np.asarray(nd.grad(lambda z: nd.sum(nd.ravel(z, order="A") * np.arange(
        6.0)))(nd.asarray(f))))


@pytest.mark.parametrize("device", ["strict", "cupy_rules"])
def test_complex_sign_at_infinities_and_subnormals(device):
    z = np.array([np.inf + 1j, 1 - 1j * np.inf, -np.inf + 0j, 1e-320 + 0j, 5e-324j,
                  complex(np.inf, np.inf), complex(np.nan, 1), complex(np.inf, np.nan),
                  3 + 4j, 0j, complex(-0.0, -0.0), complex(1e308, 1e308)])
    for dt in (np.complex128, np.complex64):
        with np.errstate(all="ignore"):
            _same(host(nd.sign(nd.asarray(z.astype(dt), device=device))),
                  np.sign(z.astype(dt)))


@pytest.mark.parametrize("device", ["strict", "cupy_rules"])
def test_nanmax_nanmin_pass_over_a_nan_initial(device):
    x = np.array([[1.0, np.nan, 3.0], [np.nan, np.nan, np.nan], [2.0, 5.0, np.nan]])
    w = np.array([[True, False, True], [True, True, True], [False, False, True]])
    with np.errstate(all="ignore"):
        for name in ("nanmax", "nanmin"):
            for kw in ({"initial": np.nan}, {"initial": np.nan, "where": w},
                       {"initial": 4.0, "where": w}):
                for axis in (0, 1, None):
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        ref = getattr(np, name)(x, axis=axis, **kw)
                        got = getattr(nd, name)(nd.asarray(x, device=device), axis=axis, **kw)
                    _same(host(got), ref)


@pytest.mark.parametrize("device", ["strict", "cupy_rules"])
def test_fmod_divmod_modf_heaviside_remainder_special_values(device):
    rng = np.random.default_rng(0)
    vals = np.concatenate([rng.standard_normal(60) * 10.0 ** rng.integers(-5, 25, 60),
                           [0.0, -0.0, np.inf, -np.inf, np.nan, 1e-320, 3.0, -3.0, 1e20,
                            1e300, 0.5, 7.0]])
    a, b = rng.choice(vals, 2000), rng.choice(vals, 2000)
    for dt in (np.float64, np.float32):
        A, B = a.astype(dt), b.astype(dt)
        dA, dB = nd.asarray(A, device=device), nd.asarray(B, device=device)
        with np.errstate(all="ignore"):
            for name in ("fmod", "remainder", "heaviside"):
                _same(host(getattr(nd, name)(dA, dB)), getattr(np, name)(A, B))
            for g, r in zip(nd.divmod(dA, dB), np.divmod(A, B)):
                _same(host(g), r)
            for g, r in zip(nd.modf(dA), np.modf(A)):
                _same(host(g), r)
    ai, bi = rng.integers(-50, 50, 300), rng.integers(1, 9, 300) * rng.choice([-1, 1], 300)
    _same(host(nd.fmod(nd.asarray(ai, device=device), nd.asarray(bi, device=device))),
          np.fmod(ai, bi))
    # the gradient is fmod's (1 in a, -trunc(a / b) in b)
    ga, gb = nd.grad(lambda x, y: nd.sum(nd.fmod(x, y)), (0, 1))(
        nd.asarray([7.5, -7.5, 2.0]), nd.asarray([2.0, 2.0, -3.0]))
    _same(np.asarray(ga), np.ones(3))
    _same(np.asarray(gb), -np.trunc(np.array([7.5, -7.5, 2.0]) / [2.0, 2.0, -3.0]))


@pytest.mark.parametrize("device", ["strict", "cupy_rules"])
def test_quantile_at_an_integer_q_keeps_the_data_dtype(device):
    # NumPy's linear method takes the elements themselves at an integer q (float64 before)
    x32 = np.float32([[1.0, 5.0, 9.0], [2.0, np.nan, 3.0]])
    xi = np.array([[3, 1, 5], [4, 2, 6]])
    for name, x, q in (("quantile", x32, [0, 1]), ("nanquantile", x32, np.int64(1)),
                       ("quantile", xi, [0, 1]), ("quantile", x32, [0.0, 1.0])):
        for axis in (None, 1):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                ref = getattr(np, name)(x, q, axis=axis)
                _same(host(getattr(nd, name)(nd.asarray(x, device=device), q, axis=axis)),
                      ref)


@pytest.mark.parametrize("device", DEVICES)
def test_numpy_scalar_and_array_arguments_numpy_accepts(device):
    x32 = np.float32([1.0, 2.5, 4.0, 7.25])
    dx = nd.asarray(x32, device=device)
    # round's decimals and var/std's ddof as NumPy scalars (np.int64 ddof was refused;
    # on CuPy an np.int64 decimals made the result float64)
    _same(host(nd.round(dx, np.int64(1))), np.round(x32, np.int64(1)))
    for dd in (np.int64(1), np.int32(2), np.float32(0.5), np.float64(0.5)):
        for f in ("var", "std"):
            _same(host(getattr(nd, f)(dx, ddof=dd)), getattr(np, f)(x32, ddof=dd))
    _same(host(nd.resize(nd.asarray(np.arange(4.0), device=device), np.int64(3))),
          np.resize(np.arange(4.0), np.int64(3)))
    X = np.arange(6.0).reshape(2, 3)
    for kw in ({"ord": None}, {"ord": None, "axis": 1}, {"ord": np.int64(1)}):
        np.testing.assert_allclose(host(nd.linalg.vector_norm(nd.asarray(X, device=device),
                                                              **kw)),
                                   np.linalg.vector_norm(X, **kw), rtol=1e-15)


def test_full_like_takes_an_array_fill():
    x = np.arange(4.0)
    for fv, shape in ((np.asarray(2.5), None), ([1, 2, 3, 4], None),
                      (np.array([[1.5], [2.5]]), (2, 4))):
        _same(np.asarray(nd.full_like(nd.asarray(x), fv, shape=shape)),
              np.full_like(x, fv, shape=shape))
    _same(np.asarray(nd.full_like(nd.asarray(np.arange(4)), [1.7, 2, 3, 4])),
          np.full_like(np.arange(4), [1.7, 2, 3, 4]))
    g = nd.grad(lambda f: nd.sum(nd.full_like(nd.asarray(np.zeros((3, 2))), f) * 2.0))(
        nd.asarray([1.0, 2.0]))
    _same(np.asarray(g), np.array([6.0, 6.0]))


def test_fft_of_float16_is_complex64_off_numpy():
    x = np.float16([1.0, 2.0, 0.5, 3.0])
    # (NumPy's hfft / irfft of float16 are float16; the CuPy stand-in gives float32: left)
    for f in ("fft", "ifft", "rfft", "fftn", "ifftn", "rfftn", "ihfft", "fft2"):
        if f == "fft2":
            x = x.reshape(2, 2)
        got = host(getattr(nd.fft, f)(nd.asarray(x, device="cupy_rules")))
        ref = getattr(np.fft, f)(x)
        assert got.dtype == ref.dtype, f
        np.testing.assert_allclose(got, ref, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("device", ["strict", "cupy_rules"])
def test_fft_of_integers_and_booleans_is_complex128_off_numpy(device):
    for dt in (np.int8, np.int32, np.int64, np.bool_):
        x = np.array([1, 0, 1, 1]).astype(dt)
        got = host(nd.fft.fft(nd.asarray(x, device=device)))
        assert got.dtype == np.fft.fft(x).dtype == np.complex128
        np.testing.assert_allclose(got, np.fft.fft(x), rtol=1e-15)

"""Reproducers of issue 8's NumPy values, dtypes and errors: each one NumPy's answer.

(The systematic search is tests/numpy/test_differential.py; these pin the cases the issue
names, so a regression is reported by name.)
"""
import math
import warnings

import numpy as np
import pytest

import ndgrad as nd
from helpers import exact as same  # dtype, shape and values exactly as NumPy's


# -- values --------------------------------------------------------------------------------
def test_power_honours_dtype():
    same(nd.power(100, 100, dtype=nd.float64), np.power(100, 100, dtype=np.float64))
    assert float(nd.power(100, 100, dtype=nd.float64)) == 1e200


def test_dtype_keyword_on_standard_ufuncs():
    x = np.asarray([1, 2, 127], np.int8)
    same(nd.add(nd.asarray(x), x, dtype=np.float64), np.add(x, x, dtype=np.float64))
    same(nd.sin(nd.asarray([True, False]), dtype=np.float32),
         np.sin([True, False], dtype=np.float32))
    with pytest.raises(TypeError):
        nd.equal(nd.asarray(x), x, dtype=np.float64)  # NumPy: no such loop
    with pytest.raises(TypeError):
        nd.cos(nd.asarray(x), dtype=np.int64)


def test_out_where_and_casting():
    o = nd.zeros(3)
    r = nd.add(nd.asarray([1.0, 2.0, 3.0]), 1.0, out=o, where=nd.asarray([True, False, True]))
    assert r is o
    same(o, np.asarray([2.0, 0.0, 4.0]))
    with pytest.raises(TypeError):  # float64 into int64 is not 'same_kind'
        nd.add(nd.asarray([1.5]), 1.0, out=nd.zeros(1, dtype=nd.int64))
    with pytest.raises(OverflowError):  # a Python int stays weak: out of int8's range
        nd.subtract(-32768, nd.asarray(np.int8([1])), out=nd.zeros(1))


def test_clip_result_dtype():
    u = np.asarray([0, 1, 3], np.uint8)
    same(nd.clip(nd.asarray(u), 0.5, 2.5), np.clip(u, 0.5, 2.5))  # float64 [0.5, 1, 2.5]
    same(nd.clip(nd.asarray([0, 9]), nd.asarray(np.int32([4])), None),
         np.clip(np.asarray([0, 9]), np.int32([4]), None))  # [4, 9]
    same(nd.clip(nd.asarray(np.uint8([0, 9])), -1, 300), np.clip(np.uint8([0, 9]), -1, 300))


def test_median_of_infinities():
    same(nd.median(nd.asarray([math.inf, 1.0, 2.0, math.inf])), np.float64(math.inf))
    same(nd.median(nd.asarray([-0.0])), np.median([-0.0]))


def test_heaviside_of_nan():
    assert math.isnan(float(nd.heaviside(math.nan, 0.5)))
    same(nd.heaviside(nd.asarray([1, 0, -1]), 1), np.heaviside([1, 0, -1], 1))  # float64


def test_imag_of_real_input():
    same(nd.imag(nd.asarray([math.nan, math.inf, 1.0])), np.zeros(3))


# -- result dtypes ------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["cbrt", "exp2", "deg2rad", "fabs", "rad2deg", "rint"])
@pytest.mark.parametrize("dtype", ["int8", "uint8", "bool", "int16", "float32"])
def test_numpy_ufunc_dtypes(name, dtype):
    x = np.asarray([0, 1, 1], dtype)
    same(getattr(nd, name)(nd.asarray(x)), getattr(np, name)(x))


def test_float_power_and_heaviside_dtypes():
    x = np.asarray([1.5, 2.0], np.float32)
    same(nd.float_power(nd.asarray(x), 2), np.float_power(x, 2))  # float64
    same(nd.heaviside(nd.asarray([1, -1]), nd.asarray([0, 0])), np.heaviside([1, -1], [0, 0]))
    same(nd.rint(nd.asarray([1, 2])), np.rint([1, 2]))  # float64


def test_gradients_through_exact_numpy_values():
    x = nd.asarray([1.0, 8.0])
    g = nd.grad(lambda t: nd.sum(nd.cbrt(t) + nd.exp2(t) + nd.logaddexp2(t, t)))(x)
    expect = (1 / 3) * np.asarray([1.0, 8.0]) ** (-2 / 3) + np.log(2) * 2 ** np.asarray(
        [1.0, 8.0]) + 1.0
    np.testing.assert_allclose(np.asarray(g), expect, rtol=1e-12)


# -- errors as NumPy ----------------------------------------------------------------------
@pytest.mark.parametrize("name", ["fabs", "deg2rad"])
def test_no_loop_for_complex(name):
    with pytest.raises(TypeError):
        getattr(nd, name)(nd.asarray([1j]))


def test_heaviside_complex_raises():
    with pytest.raises(TypeError):
        nd.heaviside(nd.asarray([1j]), 0.5)


def test_flip_0d_axis():
    with pytest.raises(np.exceptions.AxisError):
        nd.flip(nd.asarray(1.0), axis=0)


def test_fmax_python_int_out_of_range():
    with pytest.raises(OverflowError):
        nd.fmax(np.uint8(255), -1)
    with pytest.raises(OverflowError):
        nd.fmax(nd.asarray(np.uint8([255])), -1)


def test_round_bool_decimals():
    with pytest.raises(TypeError):
        nd.round(nd.asarray([True]), 1)


@pytest.mark.parametrize("f, shape", [("inv", (2, 3)), ("det", (3,)), ("inv", (3,)),
                                      ("det", (2, 3))])
def test_linalg_shape_errors_are_linalgerror(f, shape):
    with pytest.raises(nd.linalg.LinAlgError):
        getattr(nd.linalg, f)(nd.ones(shape))
    assert nd.linalg.LinAlgError is np.linalg.LinAlgError


def test_linalg_solve_non_square():
    with pytest.raises(np.linalg.LinAlgError):
        nd.linalg.solve(nd.ones((2, 3)), nd.ones(2))


def test_bad_axes_classes():
    with pytest.raises(np.exceptions.AxisError):
        nd.take_along_axis(nd.ones((2, 3)), nd.asarray([[0]]), axis=2)
    with pytest.raises(np.exceptions.AxisError):
        nd.transpose(nd.ones((2, 3)), (0, 2))
    with pytest.raises(ValueError):
        nd.transpose(nd.ones((2, 3)), (0, 0))
    with pytest.raises(np.exceptions.AxisError):
        nd.sum(nd.ones((2, 3)), axis=2)


def test_no_internal_errors_on_0d():
    same(nd.squeeze(nd.asarray(1.0), axis=0), np.squeeze(np.asarray(1.0), axis=0))
    same(nd.argmin(nd.asarray(1.0), axis=0), np.argmin(np.asarray(1.0), axis=0))
    with pytest.raises(ValueError, match="at least one dimensional"):
        nd.diff(nd.asarray(1.0))
    same(nd.sum(nd.asarray(2.0), axis=-1), np.float64(2.0))
    same(nd.argsort(nd.asarray(2.0)), np.argsort(np.asarray(2.0)))
    same(nd.repeat(nd.asarray(2.0), 2, axis=0), np.repeat(np.asarray(2.0), 2, axis=0))


@pytest.mark.parametrize("f", ["max", "min", "ptp", "amax", "nanmax"])
def test_reductions_over_nonempty_axis_of_empty(f):
    z = np.zeros((0, 3))
    same(getattr(nd, f)(nd.asarray(z), axis=-1), getattr(np, f)(z, axis=-1))
    with pytest.raises(ValueError):
        getattr(nd, f)(nd.asarray(z), axis=0)


def test_median_over_empty_axis():
    with np.errstate(all="ignore"), pytest.warns(RuntimeWarning):
        same(nd.median(nd.zeros((3, 0)), axis=1), np.full(3, np.nan))
    same(nd.median(nd.zeros((0, 3)), axis=1), np.zeros(0))


def test_matmul_error_names_both_shapes():
    with pytest.raises(ValueError, match=r"\(2, 3\).*\(4, 5\)"):
        nd.ones((2, 3)) @ nd.ones((4, 5))


def test_matmul_error_in_session_names_op_and_shapes():
    tf = pytest.importorskip("ndgrad.tf")
    a = tf.placeholder(tf.float32, shape=None)
    b = tf.placeholder(tf.float32, shape=None)
    c = tf.matmul(a, b, name="my_matmul")
    with tf.Session() as s:
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"my_matmul.*\(2, 3\).*\(4, 5\)"):
            s.run(c, {a: np.ones((2, 3)), b: np.ones((4, 5))})


# -- Python and NumPy scalars; einsum's interleaved form ----------------------------------
def test_sign_of_python_scalars():
    same(nd.sign(1.1), np.sign(1.1))
    same(nd.sign(-0.0), np.sign(-0.0))
    same(nd.sign(1 + 1j), np.sign(1 + 1j))
    with pytest.raises(TypeError):
        nd.sign(True)  # NumPy has no bool loop


def test_einsum_interleaved_sublists():
    a, b = np.arange(6.0).reshape(2, 3), np.arange(12.0).reshape(3, 4)
    same(nd.einsum(nd.asarray(a), [0, 1], nd.asarray(b), [1, 2], [0, 2]),
         np.einsum(a, [0, 1], b, [1, 2], [0, 2]))
    same(nd.einsum(nd.asarray(a), [0, 1], nd.asarray(b), [1, 2]),
         np.einsum(a, [0, 1], b, [1, 2]))
    same(nd.einsum(nd.asarray(a), [Ellipsis, 1], [Ellipsis]),
         np.einsum(a, [Ellipsis, 1], [Ellipsis]))


def test_gufunc_and_clip_keywords_are_honoured_or_refused():
    a, b = np.int8([[100, 100]]), np.int8([[100], [100]])
    same(nd.matmul(nd.asarray(a), nd.asarray(b), dtype=np.float64),
         np.matmul(a, b, dtype=np.float64))  # not int8's wrapped 32
    same(nd.clip(nd.asarray([1, 5]), 2, 3, dtype=np.float32),
         np.clip(np.asarray([1, 5]), 2, 3, dtype=np.float32))
    # axes= is honoured (it was refused); a keyword ndgrad lacks is refused, not ignored
    same(nd.matmul(nd.asarray(a), nd.asarray(b), axes=[(0, 1), (0, 1), (1, 0)]),
         np.matmul(a, b, axes=[(0, 1), (0, 1), (1, 0)]))
    with pytest.raises(TypeError, match="signature"):
        nd.matmul(nd.asarray(a), nd.asarray(b), signature="ll->l")


@pytest.mark.parametrize("name", ["fabs", "exp2", "cbrt", "deg2rad", "rint"])
def test_numpy_ufuncs_build_graph_ops(name):
    tf = pytest.importorskip("ndgrad.tf")
    x = tf.placeholder(tf.float32, shape=(2,))
    y = getattr(nd, name)(x)
    v = np.asarray([1.0, -8.0], np.float32)
    with tf.Session() as s:
        got = s.run(y, {x: v})
    np.testing.assert_allclose(got, getattr(np, name)(v), rtol=1e-6)
    assert got.dtype == getattr(np, name)(v).dtype


def test_numpy_ufuncs_respect_errstate():
    with np.errstate(invalid="raise"), pytest.raises(FloatingPointError):
        nd.fmod(nd.asarray([1.0]), 0.0)
    with np.errstate(all="ignore"):
        assert math.isnan(float(nd.fmod(nd.asarray(1.0), 0.0)))


# -- the slow differential search, names n..z and non-letters (engineer "slowb") ---------------
def test_lone_python_scalar_is_int64_under_casting_no():
    for name in ("tan", "tanh"):
        with pytest.raises(TypeError):
            getattr(np, name)(0, casting="no")  # NumPy: int64 -> float64 is not 'no'
        with pytest.raises(TypeError):
            getattr(nd, name)(0, casting="no")
        with pytest.raises(TypeError):
            getattr(nd, name)(0, dtype=np.float64, casting="no", out=nd.zeros(()))
    same(nd.sqrt(1, casting="same_kind", dtype=np.float32),
         np.sqrt(1, casting="same_kind", dtype=np.float32))
    same(nd.add(nd.asarray(np.int8([1])), 1, casting="no"),
         np.add(np.int8([1]), 1, casting="no"))  # (with an array the scalar stays weak)


def test_out_cast_is_refused_before_computing():
    x1, x2 = np.asarray(False), np.asarray(-1, np.int8)
    with pytest.raises(TypeError):  # NumPy's UFuncTypeError, not the negative-power one
        np.power(x1, x2, out=np.zeros((), np.uint8))
    for name in ("pow", "power"):
        o = nd.zeros((), dtype=nd.uint8)
        with pytest.raises(TypeError, match="uint8"):
            getattr(nd, name)(nd.asarray(x1), nd.asarray(x2), out=o)
        o = nd.asarray(np.float64(7.0))
        with pytest.raises(ValueError, match="negative"):  # NumPy also raises
            getattr(nd, name)(nd.asarray(x1), nd.asarray(x2), out=o, casting="unsafe")
        assert float(o) == 7.0  # (NumPy leaves a partial write there; ndgrad loses nothing)


def test_nanmean_divides_as_numpy():
    x = np.full((2, 3), 4.271873e+06j, np.complex64)
    same(nd.nanmean(nd.asarray(x)), np.nanmean(x))  # complex128 division, cast back
    y = np.asarray([1.0, np.nan, 2.0, 3.0], np.float32)
    same(nd.nanmean(nd.asarray(y)), np.nanmean(y))


def test_nanmin_nanmax_all_nan_keep_numpys_nan():
    x = np.asarray([complex(np.nan, -0.0)], np.complex64)
    with pytest.warns(RuntimeWarning):
        got = nd.nanmin(nd.asarray(x))
    with pytest.warns(RuntimeWarning):
        exp = np.nanmin(x)
    assert np.signbit(np.asarray(got).imag) and np.signbit(exp.imag)
    with pytest.warns(RuntimeWarning):
        got = np.asarray(nd.nanmax(nd.asarray(x)))
    assert np.isnan(got.real) and np.signbit(got.imag) and got.dtype == np.complex64


def test_vander_powers_are_running_products():
    x = np.asarray([complex(0, -0.0)] * 3, np.complex64)
    got, exp = np.asarray(nd.vander(nd.asarray(x))), np.vander(x)
    same(got, exp)
    assert np.array_equal(np.signbit(got.imag), np.signbit(exp.imag))
    z = np.asarray([1.1, -0.7, 3.3])
    same(nd.vander(nd.asarray(z), 5), np.vander(z, 5))  # bit-exact: x*x*x, not x**3
    g = nd.grad(lambda t: nd.sum(nd.vander(t, 3)))(nd.asarray([2.0, 3.0]))
    same(g, np.asarray([2 * 2.0 + 1, 2 * 3.0 + 1]))


def test_complex_vdot_is_numpys_value():
    a, b = np.asarray(1 + 0j, np.complex64), np.asarray(complex(np.inf, 0), np.complex64)
    with np.errstate(all="ignore"):
        exp = np.vdot(a, b)
    got = nd.vdot(nd.asarray(a), nd.asarray(b))
    assert np.isnan(np.asarray(got).real) == np.isnan(exp.real)
    u, v = np.asarray([1 + 2j, 3 - 1j]), np.asarray([2 - 1j, 1 + 1j])
    same(nd.vdot(nd.asarray(u), nd.asarray(v)), np.vdot(u, v))  # conjugates the first
    f = np.full((2, 3), 1.1, np.float32)  # BLAS's order of summation, to the last bit
    same(nd.vdot(nd.asarray(np.ones((2, 3), bool)), nd.asarray(f)), np.vdot(np.ones((2, 3), bool), f))
    g = nd.grad(lambda t: nd.real(nd.vdot(nd.asarray(u), t)))(nd.asarray(v))
    same(g, np.conj(u))  # (JAX's convention for a real function of a complex input)


def test_nanmedian_small_slices_sum_in_the_data_dtype():
    x = np.full((2, 1, 3), 6.55e4, np.float16)
    with np.errstate(all="ignore"):
        same(nd.nanmedian(nd.asarray(x), axis=0), np.nanmedian(x, axis=0))  # inf, as NumPy
        same(nd.nanmedian(nd.asarray(x)), np.nanmedian(x))  # whole array: no overflow
        y = np.asarray([[1.7e308], [1.0]])
        same(nd.nanmedian(nd.asarray(y), axis=1), np.nanmedian(y, axis=1))
    z = np.asarray([[1.0, 2.0, np.nan, 4.0], [-0.0, -0.0, 5.0, np.nan]])
    same(nd.nanmedian(nd.asarray(z), axis=1), np.nanmedian(z, axis=1))


def test_unwrap_keeps_the_first_element():
    x = np.asarray([-0.0], np.float16)
    got = np.asarray(nd.unwrap(nd.asarray(x)))
    same(got, np.unwrap(x))
    assert np.signbit(got[0])
    y = np.asarray([[-0.0, 6.0, 0.5], [-0.0, -0.0, 7.0]])
    for ax in (0, 1, -1):
        r, e = np.asarray(nd.unwrap(nd.asarray(y), axis=ax)), np.unwrap(y, axis=ax)
        same(r, e)
        assert np.array_equal(np.signbit(r), np.signbit(e))


def test_polymul_is_numpys_poly1d_product():
    for a, b in [(np.zeros((), bool), np.zeros(0, bool)), (np.zeros(0), np.zeros(0)),
                 (np.ones(2), np.zeros(0)), (np.zeros(0, np.int8), np.ones(2, np.int8)),
                 (np.asarray([0, -0.0, 1, 2]), np.asarray([0, 3.0])),
                 (np.asarray([np.nan, 1]), np.asarray([0j, 1]))]:
        same(nd.polymul(nd.asarray(a), nd.asarray(b)), np.polymul(a, b))  # leading 0s dropped
    with pytest.raises(ValueError, match="1d"):
        nd.polymul(nd.ones((2, 2)), nd.ones(2))
    # the gradient of the returned coefficients (x^2, x^1, x^0 of the product), a dropped
    # leading zero included: d(x^2 coefficient)/d t[0] = b's x^0 coefficient, 2
    b = nd.asarray([0.0, 1.0, 2.0])
    same(nd.grad(lambda t: nd.sum(nd.polymul(t, b)))(nd.asarray([0.0, 1.0, 3.0])),
         np.asarray([2.0, 3.0, 3.0]))


# -- slow differential search, functions a-m (engineer "slowa") ---------------------------
def test_where_out_keeps_the_unsafe_output_cast():
    # uint64 ~0 cast into an int64 out= under where= is -1 (NumPy), not a float round trip
    x, w = np.zeros(2, np.uint64), np.asarray([True, False])
    o_np, o_nd = np.full(2, 5, np.int64), nd.asarray(np.full(2, 5, np.int64))
    np.invert(x, out=o_np, where=w)
    r = nd.invert(nd.asarray(x), out=o_nd, where=nd.asarray(w))
    same(o_nd, o_np)
    same(r, o_np)
    assert int(o_nd[0]) == -1 and int(o_nd[1]) == 5


def test_interp_lengths_differ_raises_valueerror():
    with pytest.raises(ValueError, match="same length"):
        nd.interp(nd.asarray(np.zeros(0, bool)), nd.asarray([False]), nd.asarray(np.zeros(0)))
    with pytest.raises(ValueError, match="same length"):
        nd.interp(1.0, [1, 2], [3])
    with pytest.raises(ValueError, match="empty"):
        nd.interp(1.0, [], [])
    for args in [(1.0, [1j, 2], [1, 2]), (1j, [1, 2], [1, 2]), (1.0, np.zeros(0, complex), [])]:
        with pytest.raises(TypeError):  # x and xp must be real (NumPy's TypeError)
            np.interp(*args)
        with pytest.raises(TypeError, match="real"):
            nd.interp(*args)
    same(nd.interp(1.5, [1, 2], [1j, 2]), np.interp(1.5, [1, 2], [1j, 2]))
    # float64 (complex128) results whatever the float width (float16 stayed float16)
    x, xp = np.float16(0.5) * np.ones((), np.float16), np.asarray([0, 1], np.float32)
    for fp in (np.asarray([0, 1], np.float16), np.asarray([0, 1j], np.complex64)):
        same(nd.interp(nd.asarray(x), nd.asarray(xp), nd.asarray(fp)), np.interp(x, xp, fp))
    same(nd.interp(7, [1, 2, 3], [3, 2, 0], period=4), np.interp(7, [1, 2, 3], [3, 2, 0],
                                                                  period=4))


def test_isfortran_of_a_python_scalar_raises_as_numpy():
    with pytest.raises(AttributeError):
        np.isfortran(False)
    with pytest.raises(AttributeError, match="flags"):
        nd.isfortran(False)
    assert nd.isfortran(np.ones((2, 2), order="F")) is True
    assert nd.isfortran(np.float64(1.0)) is False


def test_floor_divide_departure_rule_with_a_narrower_out():
    # the departures table's rule computes in the loop's dtype (float64 tiny / 0 is inf)
    # before casting into a float32 out=, as ndgrad does
    from ndgrad._numpy.departures import DEPARTURES
    x1, x2 = np.asarray(np.finfo(np.float64).tiny), np.asarray([0.0, np.inf], np.float16)
    o = np.zeros(2, np.float32)
    DEPARTURES["floor_divide"]["rule"](x1, x2, out=o)
    o_nd = nd.asarray(np.zeros(2, np.float32))
    nd.floor_divide(nd.asarray(x1), nd.asarray(x2), out=o_nd)
    same(o_nd, o)
    same(o, np.asarray([np.inf, 0.0], np.float32))
    # complex inf with dtype=float64, casting='unsafe' runs the float64 loop: the
    # standard's inf // 1 is inf (NumPy: nan), and the table says so
    from ndgrad._numpy.departures import departure_for
    x1, kw = np.asarray([complex(np.inf, 0)], np.complex64), {"dtype": np.float64,
                                                              "casting": "unsafe"}
    assert departure_for("floor_divide", (x1, np.asarray([True])), kw) is not None
    same(nd.floor_divide(nd.asarray(x1), nd.asarray([True]), **kw), np.asarray([np.inf]))


@pytest.mark.parametrize("name", ["cov", "corrcoef"])
def test_cov_corrcoef_as_numpy(name):
    rng = np.random.default_rng(3)
    x = rng.normal(size=(3, 5))
    xc = x + 1j * rng.normal(size=(3, 5))
    cases = [((np.zeros(0, bool), np.zeros(0, bool)), {}),  # no observations: nan (0/0)
             ((np.zeros((0, 3), bool), np.zeros((), bool)), {}),  # no variables: (0, 0)
             ((x.astype(np.float32),), {}),  # float32 gives float64
             ((x,), {"dtype": np.float32}), ((xc,), {}), ((xc,), {"dtype": np.complex64}),
             ((x[:1],), {"rowvar": False})]
    if name == "cov":
        cases.append(((np.asarray([1.0, 2.0]),), {"ddof": 3}))  # fact < 0: inf, not -0.5
    for args, kw in cases:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            same(getattr(nd, name)(*[nd.asarray(a) for a in args], **kw),
                 getattr(np, name)(*args, **kw))
    for args in [(np.zeros((0, 3)), np.zeros((2, 1, 3))), (np.zeros((2, 1, 3)),)]:
        with pytest.raises(ValueError, match="more than 2 dimensions"):
            getattr(np, name)(*args)
        with pytest.raises(ValueError, match="more than 2 dimensions"):
            getattr(nd, name)(*[nd.asarray(a) for a in args])
    with pytest.warns(RuntimeWarning, match="Degrees of freedom"):
        nd.cov(nd.asarray([1.0, 2.0]), ddof=2)


# -- found by the merged main's 20x differential search --------------------------------
@pytest.mark.parametrize("axis", [0, -1, None, 1])
def test_compress_of_a_0d_array_is_numpys(axis):
    def run(m):
        try:
            return m.compress(m.asarray([True]), m.asarray(5.0), axis=axis), None
        except Exception as e:  # noqa: BLE001 - compared with NumPy's
            return None, type(e)
    got, gerr = run(nd)
    exp, eerr = run(np)
    assert (gerr is None) == (eerr is None), (gerr, eerr)
    if eerr is None:
        np.testing.assert_array_equal(np.asarray(got), exp)
        assert np.asarray(got).dtype == exp.dtype
    else:
        assert issubclass(gerr, eerr) or issubclass(eerr, gerr), (gerr, eerr)


# -- numpy.poly1d operands (found by CuPy's lib_tests/test_polynomial.py) ------------------
_POLY_VALUES = [np.poly1d([1, 2]), np.poly1d([3.0, 0, -1]), [1, 2, 3], np.array([2.0, 1.0]),
                3, 2.5]


def _poly_outcome(r):
    if isinstance(r, tuple):
        return tuple(_poly_outcome(x) for x in r)
    kind = "poly1d" if isinstance(r, np.poly1d) else "array"
    a = np.asarray(r)
    return kind, a.dtype.str, a.tolist()


@pytest.mark.parametrize("name", ["polyadd", "polysub", "polymul", "polydiv", "polyval"])
def test_poly_functions_with_poly1d_operands_as_numpy(name):
    """NumPy returns poly1d objects where an operand is one, and ``polyval`` with a poly1d
    ``x`` composes: ``polyval([1, 2], poly1d([1, 0]))`` is ``poly1d([1, 2])``, where
    ndgrad evaluated p at the coefficients 1 and 0 and gave ``[3, 2]``."""
    for a in _POLY_VALUES:
        for b in _POLY_VALUES:
            try:
                want = _poly_outcome(getattr(np, name)(a, b))
            except Exception as e:  # noqa: BLE001 (NumPy's error class is the answer)
                want = type(e)
            conv = [nd.asarray(v) if isinstance(v, (list, np.ndarray)) else v for v in (a, b)]
            try:
                got = _poly_outcome(getattr(nd, name)(*conv))
            except Exception as e:  # noqa: BLE001
                got = type(e)
            assert got == want, (name, a, b)


def test_polyval_composes_a_poly1d_argument_and_poly1d_results_carry_no_gradient():
    p = nd.asarray([1.0, 2.0])
    got = nd.polyval(p, np.poly1d([1.0, 0.0]))
    assert isinstance(got, np.poly1d) and got.coeffs.tolist() == [1.0, 2.0]
    assert isinstance(nd.polyder(np.poly1d([1, 1, 1])), np.poly1d)
    assert isinstance(nd.polyint(np.poly1d([3, 2])), np.poly1d)
    p.requires_grad_()
    with pytest.raises(TypeError, match="poly1d"):
        nd.polyval(p, np.poly1d([1.0, 0.0]))
    with pytest.raises(TypeError, match="poly1d"):
        nd.polyadd(np.poly1d([1.0]), p)


# -- ufunc.at with repeated indices (found by CuPy's core_tests/test_ufunc_methods.py) -----
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64, np.int8, np.uint16])
@pytest.mark.parametrize("name", ["add", "subtract"])
def test_ufunc_at_applies_repeated_indices_one_after_another(name, dtype):
    """NumPy's ``add.at`` adds each repeated index's value in turn, rounding each sum
    (float16: 2048 + 1 + 1 stays 2048); ndgrad added the values' sum once (2050), and
    float64 differed in the last bit. The value is NumPy's, recorded or not."""
    rng = np.random.default_rng(0)
    x0 = (rng.random(50) * 100).astype(dtype)
    idx = rng.integers(0, 50, 50)
    vals = (rng.random(50) * 3).astype(dtype)
    for b in (3, vals, 2048):
        want = x0.copy()
        getattr(np, name).at(want, idx, np.asarray(b).astype(dtype))
        got = nd.asarray(x0.copy())
        getattr(nd, name).at(got, nd.asarray(idx), nd.asarray(np.asarray(b).astype(dtype)))
        same(got, want)
    half = np.full(3, 2048, np.float16)
    np.add.at(half, [0, 0, 0, 0], np.float16(1))
    h = nd.full(3, 2048, dtype=np.float16)
    nd.add.at(h, [0, 0, 0, 0], 1)
    same(h, half)
    if np.dtype(dtype).kind == "f":
        w = nd.asarray(vals.astype(np.float64))
        w.requires_grad_()
        z = nd.asarray(x0.astype(np.float64))
        getattr(nd, name).at(z, nd.asarray(idx), w)
        want = x0.astype(np.float64)
        getattr(np, name).at(want, idx, vals.astype(np.float64))
        same(z.detach(), want)
        z.sum().backward()
        same(w.grad, np.full(50, -1.0 if name == "subtract" else 1.0))


_AT_KEYS = {"mask": np.random.default_rng(1).random((3, 4, 5)) > 0.5,
            "slice+list": (slice(None), [1, 2]), "repeats": ([1, 1], slice(None)),
            "None": (None, [1, -1]), "pairs": ([1, 0], [2, 1]), "ellipsis": (Ellipsis, 1)}


@pytest.mark.parametrize("key", sorted(_AT_KEYS))
@pytest.mark.parametrize("name", ["maximum", "minimum", "multiply", "negative"])
def test_ufunc_at_with_masks_slices_and_none_as_numpy(name, key):
    """``np.maximum.at(a, mask, 1)`` sets the mask's True places; ndgrad read the mask as
    the integer indices 0 and 1 and set every element of rows 0 and 1 (found by CuPy's
    core_tests/test_ndarray_scatter.py); slices and None in the key raised. Recorded,
    the same places, and the gradient of the values matches central differences."""
    k = _AT_KEYS[key]
    rng = np.random.default_rng(2)
    for dt in (np.float64, np.int32):
        a = (rng.random((3, 4, 5)) * 5).astype(dt)
        args = () if name == "negative" else (np.asarray(2, dt),)
        want = a.copy()
        getattr(np, name).at(want, k, *args)
        got = nd.asarray(a.copy())
        getattr(nd, name).at(got, k, *args)
        same(got, want)
    if name == "negative":
        return
    n = np.zeros((3, 4, 5))[k].size
    x0, v0 = rng.random((3, 4, 5)), rng.random(np.zeros((3, 4, 5))[k].shape)

    def f(x, v):
        y = x * 1.0
        getattr(nd, name).at(y, k, v)
        return nd.sum(y * y)

    def f_np(x, v):
        y = x.copy()
        getattr(np, name).at(y, k, v)
        return np.sum(y * y)
    value, (gx, gv) = nd.value_and_grad(f, (0, 1))(nd.asarray(x0), nd.asarray(v0))
    assert float(value) == f_np(x0, v0)
    eps = 1e-6
    flat = v0.reshape(-1)
    num = np.zeros(n)
    for i in range(n):
        d = np.zeros(n)
        d[i] = eps
        num[i] = (f_np(x0, (flat + d).reshape(v0.shape))
                  - f_np(x0, (flat - d).reshape(v0.shape))) / (2 * eps)
    np.testing.assert_allclose(np.asarray(gv).reshape(-1), num, rtol=1e-5, atol=1e-6)


# -- two-output ufuncs with some outputs given (found by CuPy's test_ndarray_ufunc.py) ----
@pytest.mark.parametrize("call, given", [
    ("m.divmod(A, B, None, None)", ()), ("m.divmod(A, B, O)", (0,)),
    ("m.divmod(A, B, out=(None, O))", (1,)), ("m.divmod(A, B, out=(O, None))", (0,)),
    ("m.modf(A, O)", (0,)), ("m.frexp(A, None, None)", ()), ("m.modf(A, None, O)", (1,))])
def test_two_output_ufuncs_return_fresh_results_where_no_out_is_given(call, given):
    """NumPy returns a fresh array for each output without an ``out``; ndgrad returned
    ``(None, None)`` for ``divmod(a, b, None, None)``, a 1-tuple for ``divmod(a, b, q)``
    and None in place of the remainder for ``out=(q, None)``."""
    a = np.arange(6.0).reshape(2, 3) + 1
    b = a[::-1].copy()
    got = []
    for m in (np, nd):
        A, B, O = m.asarray(a), m.asarray(b), m.zeros((2, 3))
        r = eval(call)
        assert isinstance(r, tuple) and len(r) == 2
        for k in range(2):
            assert (r[k] is O) == (k in given), (m.__name__, k)
        got.append([np.asarray(x) for x in r])
    for g, w in zip(got[1], got[0]):
        same(g, w)


# -- piecewise as NumPy computes it (found by CuPy's functional_tests/test_piecewise.py) ---
_PIECES = [
    (lambda x: [x < 0, x > 0], [10, 1, 2]),
    (lambda x: x < 1, [lambda v: v * 2, 7]),
    (lambda x: [x < 1], [lambda v: v.sum() if v.size else v, lambda v: -v]),
    (lambda x: True, [3]),
    (lambda x: [x != 0, x == 0], [2.5, 100]),
    (lambda x: [x < 1, x > -1], [lambda v: v + 1, lambda v: v * 0]),
]


@pytest.mark.parametrize("k", range(len(_PIECES)))
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int8, np.bool_, np.complex128])
@pytest.mark.parametrize("shape", [(), (5,), (2, 3), (0,)])
def test_piecewise_as_numpy(k, dtype, shape):
    """NumPy's piecewise: ``y = zeros_like(x)`` and ``y[cond] = piece`` in turn, a function
    piece called on ``x[cond]`` alone. ndgrad selected with ``where`` from each function
    applied to all of ``x``: ``lambda v: v.sum()`` summed every element, a bool ``x``
    gave int64 (``[1, 10, 1]`` for NumPy's ``[True, True, True]``) and a 0-d ``x`` a
    NumPy scalar."""
    conds, funcs = _PIECES[k]
    rng = np.random.default_rng(k)
    x0 = (rng.standard_normal(shape) * 3).astype(dtype) if dtype is not np.bool_ else \
        rng.random(shape) > 0.5
    outcomes = []
    for m in (np, nd):
        x = m.asarray(x0.copy())
        try:
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                r = m.piecewise(x, conds(x), funcs)
            outcomes.append((np.ndim(r), np.asarray(r).dtype, np.asarray(r).tolist()))
        except Exception as e:  # noqa: BLE001 (NumPy's error class is the answer)
            outcomes.append(type(e))
    assert outcomes[1] == outcomes[0]


def test_piecewise_pieces_see_only_their_elements_in_gradients_too():
    # sqrt of the positive elements only: no NaN from the negatives in the gradient
    g = nd.grad(lambda x: nd.sum(nd.piecewise(x, [x > 0], [nd.sqrt, 0.0])))
    same(g(nd.asarray([-1.0, 4.0, 0.0])), np.array([0.0, 0.25, 0.0]))
    x0 = np.array([-1.0, -3.0, 2.0, 5.0])

    def f(m, x):
        return m.sum(m.piecewise(x, [x < 0], [lambda v: v.mean() * v, lambda v: v ** 2]))
    got = np.asarray(nd.grad(lambda x: f(nd, x))(nd.asarray(x0)))
    num = [(f(np, x0 + e) - f(np, x0 - e)) / 2e-6 for e in np.eye(4) * 1e-6]
    np.testing.assert_allclose(got, num, rtol=1e-6)


def test_piecewise_function_piece_refused_where_its_count_is_unknown():
    pytest.importorskip("dask.array")
    x = nd.asarray(np.array([-1.0, 2.0, 3.0]), device="dask")
    with pytest.raises(ValueError, match="not known before computing"):
        nd.piecewise(x, [x < 0], [lambda v: v * 2, 3.0])   # (it gave zeros there)
    same(nd.piecewise(x, [x < 0], [1.0, 3.0]), np.array([1.0, 3.0, 3.0]))


# -- found by running NumPy's own numpy/lib tests with ndgrad as ``np`` ---------------------
def test_histogramdd_reads_a_sequence_as_coordinate_arrays():
    """A list of D arrays is D coordinates (NumPy); ndgrad stacked it into N points, so
    three length-3 arrays gave the transposed histogram without an error."""
    rng = np.random.default_rng(0)
    for n in (3, 5):
        x = rng.random((n, 3))
        cols = [x[:, i] for i in range(3)]
        kw = dict(bins=(4, 3, 2), range=[[-2, 2], [0, 3], [0, 2]])
        want = np.histogramdd(cols, **kw)[0]
        same(nd.histogramdd([nd.asarray(c) for c in cols], **kw)[0], want)
        same(nd.histogramdd(cols, **kw)[0], want)
        same(nd.histogramdd(nd.asarray(x), **kw)[0], np.histogramdd(x, **kw)[0])


def test_isscalar_of_values_standing_for_numpy_scalars():
    a = nd.asarray([[10.0, 7.0, 4.0], [3.0, 2.0, 1.0]])
    assert nd.isscalar(nd.quantile(a, 0.5)) is np.isscalar(np.quantile(np.asarray(a), 0.5))
    assert nd.isscalar(nd.sum(a)) and nd.isscalar(3.0)
    assert not nd.isscalar(nd.asarray(2.0)) and not nd.isscalar(a)


def test_result_type_takes_numpy_arrays_and_scalars():
    for args in ((np.asarray([1.0], np.float32), np.asarray([1.0])),
                 (np.asarray([1], np.int8), 1.5), (np.float32(1), 1.0),
                 (np.asarray(1, np.int16), np.int8(1))):
        assert nd.result_type(*args) == np.result_type(*args)


@pytest.mark.parametrize("kw", [dict(fweights=np.array([1.5, 2, 3])),
                                dict(fweights=np.ones((2, 3), int)),
                                dict(fweights=np.ones(2, int)), dict(fweights=-np.ones(3, int)),
                                dict(aweights=np.ones((2, 3))), dict(aweights=np.ones(2)),
                                dict(aweights=-np.ones(3))])
def test_cov_refuses_the_weights_numpy_refuses(kw):
    # (non-integer and negative weights gave a covariance)
    x = np.array([[0, 2], [1, 1], [2, 0]]).T
    with pytest.raises(Exception) as want:
        np.cov(x, **kw)
    with pytest.raises(want.type):
        nd.cov(nd.asarray(x), **{k: nd.asarray(v) for k, v in kw.items()})


@pytest.mark.parametrize("name", ["var", "std", "nanvar", "nanstd"])
def test_ddof_and_correction_together_refused(name):
    # (both were taken, and correction won)
    with pytest.raises(ValueError, match="simultaneously"):
        getattr(nd, name)(nd.asarray([1.0, 2.0, 4.0]), ddof=1, correction=1)
    same(getattr(nd, name)(nd.asarray([1.0, 2.0, 4.0]), ddof=0, correction=1),
         getattr(np, name)(np.asarray([1.0, 2.0, 4.0]), ddof=0, correction=1))


@pytest.mark.parametrize("name", ["var", "std"])
@pytest.mark.parametrize("code", "FD")
def test_var_std_in_a_complex_dtype_are_complex(name, code):
    m = np.eye(3)
    for axis in (1, None):
        same(getattr(nd, name)(nd.asarray(m), dtype=np.dtype(code), axis=axis),
             getattr(np, name)(m, dtype=np.dtype(code), axis=axis))


def test_vectorize_attributes_are_numpys():
    calls = [0]

    @nd.vectorize
    def f(x):
        calls[0] += 1
        return x ** 2
    f.cache = True   # (ignored: the first element was computed twice)
    same(f(nd.arange(5)), np.arange(5) ** 2)
    assert calls[0] == 5 and f.__name__ == "f"

    @nd.vectorize(otypes=[float])   # (keywords only: it raised)
    def g(x):
        return x * 2
    same(g(nd.arange(3)), np.arange(3) * 2.0)


def test_host_functions_return_their_out():
    x = nd.asarray([[3.0, np.nan, 1.0], [0.0, 5.0, 2.0]])
    for name in ("nanargmin", "nanargmax"):
        o = nd.zeros((2,), dtype=np.int64)
        assert getattr(nd, name)(x, axis=1, out=o) is o
        same(o, getattr(np, name)(np.asarray(x), axis=1))


@pytest.mark.parametrize("method", ["lower", "higher", "nearest", "inverted_cdf",
                                    "closest_observation", "linear"])
def test_quantile_methods_that_pick_a_value_write_an_integer_out(method):
    for mod in (np, nd):
        o = mod.zeros((), dtype=np.int64)
        try:
            r = mod.percentile(mod.arange(10), 50, method=method, out=o)
        except TypeError:
            assert method == "linear"
            continue
        assert r is o and int(np.asarray(o)) == int(np.percentile(np.arange(10), 50,
                                                                  method=method))


def test_isin_passes_kind_and_assume_unique_to_numpy():
    with pytest.raises(ValueError):
        nd.isin(nd.asarray([1, 2]), nd.asarray([2]), kind="quicksort")
    big = np.array([-1, np.iinfo(np.int64).max])
    with pytest.raises(RuntimeError):
        nd.isin(nd.asarray([1, 2]), nd.asarray(big), kind="table")
    same(nd.isin(nd.asarray([1, 2, 3]), nd.asarray([2, 4]), kind="table"),
         np.array([False, True, False]))


def test_small_numpy_behaviours():
    x = [0, 1, 2]
    assert nd.diff(x, n=0) is x
    same(nd.bincount([], minlength=3), np.bincount([], minlength=3))
    a = nd.zeros(2)
    a.setflags(write=False)
    with pytest.raises(ValueError, match="read-only"):
        a[0] = 1


# -- found by running NumPy's own numpy/_core tests with ndgrad as ``np`` -------------------
def test_block_of_one_array_is_a_new_array():
    a = nd.eye(3)
    for arrays in (a, [a], [[a]]):
        b = nd.block(arrays)
        b[0, 0] = 7   # (block(a) was a itself: this wrote into a)
        assert float(a[0, 0]) == 1.0


@pytest.mark.parametrize("setter", ["real", "imag"])
@pytest.mark.parametrize("value", [-0.0, np.inf, -np.inf, np.nan, [1.0, -0.0]])
@pytest.mark.parametrize("dtype", [np.complex128, np.complex64])
def test_setting_real_or_imag_writes_the_part_as_given(setter, value, dtype):
    """``x.imag = inf`` made the real part NaN (``re + inf * 1j``), and ``x.imag = -0.0``
    lost the zero's sign (log's branch cut then took the other side)."""
    start = np.array([1 + 2j, -0.5 + 0j], dtype)
    x, y = nd.asarray(start.copy()), start.copy()
    setattr(x, setter, value)
    setattr(y, setter, value)
    got = np.asarray(x)
    assert got.dtype == y.dtype
    for part in ("real", "imag"):
        g, w = getattr(got, part), getattr(y, part)
        assert np.array_equal(g, w, equal_nan=True) and \
            np.array_equal(np.signbit(g), np.signbit(w)), part


def test_setting_imag_is_differentiable():
    z = nd.asarray([1 + 2j, 3 - 1j])

    def f(v):
        w = z * 1.0
        w.imag = v
        return nd.sum(nd.abs(w) ** 2)
    np.testing.assert_allclose(np.asarray(nd.grad(f)(nd.asarray([0.5, -2.0]))),
                               [1.0, -4.0], rtol=1e-14)


def test_isclose_and_allclose_keep_python_numbers_weak():
    # NEP 50: the Python float is taken in float32 (True); as a float64 array it was False
    a = np.asarray(1.0, np.float32)
    b = 0.9999999999999998
    assert bool(nd.isclose(nd.asarray(a), b, atol=0, rtol=0)) == bool(
        np.isclose(a, b, atol=0, rtol=0)) is True
    assert nd.allclose(nd.asarray(a), b, atol=0, rtol=0) is True


@pytest.mark.parametrize("ends", [(np.array([-120.0, 1.0]), -100.0),
                                  (np.array([1 + 1j, -2.0]), np.array([3 + 0j, -3.0])),
                                  (2.0, np.array([8.0, 1 / 8, -1.0])),
                                  (np.array([[1.0], [2.0]]), np.array([10.0, 20.0]))])
@pytest.mark.parametrize("dtype", [None, np.complex128])
def test_geomspace_with_array_ends_as_numpy(ends, dtype):
    """It was ``exp(linspace(log start, log stop))``: NaN for negative ends (NumPy rotates
    them to the positive reals) and another path round the origin for complex ones."""
    s0, s1 = ends
    with np.errstate(all="ignore"):
        want = np.geomspace(s0, s1, 5, axis=-1, dtype=dtype)
        a = nd.asarray(s0) if isinstance(s0, np.ndarray) else s0
        b = nd.asarray(s1) if isinstance(s1, np.ndarray) else s1
        np.testing.assert_allclose(np.asarray(nd.geomspace(a, b, 5, axis=-1, dtype=dtype)),
                                   want, rtol=1e-12, equal_nan=True)
        r = nd.asarray(np.asarray(s0, np.result_type(np.asarray(s0).dtype, float)),
                       requires_grad=True)
        got = nd.geomspace(r, b, 5, axis=-1, dtype=dtype)
        np.testing.assert_allclose(np.asarray(got.detach()), want, rtol=1e-12, equal_nan=True)


def test_geomspace_gradient_with_negative_ends():
    def f(m, s):
        return m.sum(m.geomspace(s, -100.0, 5) ** 2)
    g = float(nd.grad(lambda s: f(nd, s))(nd.asarray(-3.0)))
    num = (f(np, -3.0 + 1e-6) - f(np, -3.0 - 1e-6)) / 2e-6
    assert abs(g - num) < 1e-5 * abs(num)


def test_logspace_with_an_array_base_as_numpy():
    for s0, s1, axis, base in [(np.array([0.0, 1.0]), 2, 0, np.array([2.0, 10.0])),
                               (0, np.array([1.0, 2.0]), 1, 3.0),
                               (np.array([0.0, 1.0]), 2.0, -1, np.array([[2.0], [3.0]]))]:
        want = np.logspace(s0, s1, 4, base=base, axis=axis)
        b = nd.asarray(base) if isinstance(base, np.ndarray) else base
        a = nd.asarray(np.asarray(s0, float), requires_grad=True)
        np.testing.assert_allclose(np.asarray(nd.logspace(a, s1, 4, base=b, axis=axis)
                                              .detach()), want, rtol=1e-13)


def test_flat_write_into_a_0d_array_and_casting_none():
    x = nd.asarray(False)
    x.flat[0] = True   # (IndexError: unravel_index of a 0-d shape)
    assert bool(x) and nd.argwhere(x).shape == (1, 0)
    with pytest.raises(TypeError, match="casting must be str"):
        # (casting=None skipped the check: a float result truncated into an int out)
        nd.clip(nd.arange(5, dtype=np.int32), 0.0, 2.0, out=nd.zeros(5, np.int32),
                casting=None)


def test_einsum_sublists_of_0d_integer_arrays():
    a = nd.arange(6).reshape(2, 3)
    same(nd.einsum(a, list(nd.arange(2)), [1]), np.einsum(np.asarray(a), [0, 1], [1]))


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_linspace_with_array_ends_keeps_denormal_steps(dtype):
    """NumPy's rule (gh-5437): where the step underflows to 0 the samples are
    ``(t / div) * delta``; with an array end ndgrad multiplied by the zero step and gave all
    zeros."""
    stop = np.nextafter(dtype(0), dtype(1)) * 5
    want = np.linspace(0, stop, 10, endpoint=False, dtype=dtype)
    same(nd.linspace(0, nd.asarray(stop), 10, endpoint=False, dtype=dtype), want)
    assert np.any(want)


def test_flags_objects_compare_by_their_flags():
    a, b = nd.ones((2, 3)), nd.ones((2, 3))
    assert a.flags == b.flags and a.flags == np.ones((2, 3)).flags
    assert not a.flags == a.T.flags


@pytest.mark.parametrize("call", [
    "m.linspace(0, 1, num=2.5)",                     # (was 2 samples)
    "m.reshape(m.ones((2, 2)), (True, -1))",         # (was (1, -1))
    "m.ones((2, 2)).reshape(True, -1)",
    "m.take(m.arange(10), 5, mode='rais')",          # (was mode 'raise')
    "m.take(m.arange(3), [0], False)",               # (was axis 0)
    "m.require(m.ones(2), requirements='Z')",        # (was ignored)
])
def test_arguments_numpy_refuses_are_refused(call):
    with pytest.raises(Exception) as want:
        eval(call, {"m": np})
    with pytest.raises(want.type):
        eval(call, {"m": nd})


def test_flat_with_a_0d_boolean_index_and_require():
    a = nd.arange(9).reshape((3, 3))
    with pytest.warns(DeprecationWarning):
        assert int(a.flat[True]) == 0   # (every element, with an axis added)
    with pytest.warns(DeprecationWarning):
        assert a.flat[False].shape == (0,)
    v = nd.ones((4, 4))[:, ::2]          # a view: "O" (own data) needs a copy
    r = nd.require(v, requirements="O")
    r[0, 0] = 5
    assert float(v[0, 0]) == 1.0
    assert nd.require(nd.ones((2, 2)), requirements="F").flags.f_contiguous


@pytest.mark.parametrize("name, args", [
    ("logspace", (np.array([0.5, 1.5], np.float32), 2, 3)),
    ("logspace", (np.array([0.5, 1.5], np.float32), np.float32(2), 3)),
    ("geomspace", (np.array([0.5, 1.5], np.float32), 100, 3)),
    ("logspace", (np.array([0.5, 1.5], np.float32), 2, 3, True,
                  np.array([2.0, 3.0], np.float32)))])
def test_logspace_geomspace_recorded_equal_numpy_in_float32(name, args):
    """Recorded (and under nd.jit) the compositions gave float64 samples of float32 ends
    (a Python base made a strong float64 array), 1e-5 away from NumPy's float32 ones;
    geomspace computes in at least float64, as NumPy's ``zeros((), None)`` makes it."""
    want = getattr(np, name)(*args)
    conv = [nd.asarray(a) if isinstance(a, np.ndarray) else a for a in args]
    same(getattr(nd, name)(*conv), want)
    conv[0] = nd.asarray(args[0], requires_grad=True)
    same(getattr(nd, name)(*conv).detach(), want)
    f = nd.jit(lambda x: getattr(nd, name)(x, *conv[1:]))
    same(f(nd.asarray(args[0])), want)

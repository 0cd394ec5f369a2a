"""Differential test of the NumPy face: every public function that takes arrays, called
with the same drawn inputs in ndgrad and in NumPy, must give NumPy's value (NaN-aware and
exact, signs of zeros included), dtype and shape, or raise where NumPy raises (an
exception of the same family).

Inputs: every dtype (bool, int8..uint64, float16/32/64, complex64/128), NaN, +-inf, +-0,
the extremes of each integer type, empty and 0-d shapes, broadcasting, Python scalars and
NumPy scalars. The functions and the kinds of argument they take are the tables below,
built against ``dir(ndgrad)``; ``test_every_public_function_is_listed`` fails when a
public name is in neither the tables nor ``LEFT_OUT`` (each with its reason).

Departures required by the array API standard are read from ONE table,
``ndgrad._numpy.departures.DEPARTURES``: a case it names is checked against the
standard's rule written there instead of NumPy's.
"""
from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st, HealthCheck

import ndgrad as nd
from ndgrad._numpy.departures import DEPARTURES, departure_for

DTYPES = ["bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
          "float16", "float32", "float64", "complex64", "complex128"]
PY = ["py_bool", "py_int", "py_float", "py_complex", "np_scalar"]

# -- the functions, by the kind of arguments they take ----------------------------------
UNARY = """abs absolute acos acosh arccos arccosh arcsin arcsinh arctan arctanh asin asinh
atan atanh bitwise_count bitwise_invert bitwise_not invert cbrt ceil conj conjugate cos
cosh deg2rad degrees exp exp2 expm1 fabs fix floor i0 imag iscomplex isfinite isinf isnan
isneginf isposinf isreal log log10 log1p log2 logical_not nan_to_num negative positive
rad2deg radians real reciprocal rint sign signbit sin sinc sinh spacing sqrt square tan
tanh trunc angle frexp modf round around real_if_close sort_complex""".split()
# functions with NumPy's ufunc keywords (dtype=, out=, where=, casting=)
UFUNC_UNARY = """abs absolute acos acosh arccos arccosh arcsin arcsinh arctan arctanh asin
asinh atan atanh bitwise_count bitwise_invert bitwise_not invert cbrt ceil conj conjugate
cos cosh deg2rad degrees exp exp2 expm1 fabs floor isfinite isinf isnan logical_not
negative positive rad2deg radians reciprocal rint sign signbit sin sinh spacing sqrt square
tan tanh trunc""".split()
BINARY = """add arctan2 atan2 bitwise_and bitwise_or bitwise_xor bitwise_left_shift left_shift
bitwise_right_shift right_shift copysign divide true_divide equal float_power floor_divide
fmax fmin fmod gcd lcm greater greater_equal heaviside hypot ldexp less less_equal logaddexp
logaddexp2 logical_and logical_or logical_xor maximum minimum mod remainder multiply
nextafter not_equal pow power subtract divmod isclose""".split()
UFUNC_BINARY = [n for n in BINARY if n not in ("isclose",)]
# reductions and axis functions: name -> the keyword sets to call them with
_AX = [{}, {"axis": 0}, {"axis": -1}, {"axis": 1}]
_AXK = _AX + [{"axis": -1, "keepdims": True}]
REDUCE = {n: _AXK for n in """all any amax amin max min sum prod mean std var median nanmax
nanmin nansum nanprod nanmean nanstd nanvar nanmedian ptp count_nonzero""".split()}
REDUCE.update({n: _AX for n in """argmax argmin nanargmax nanargmin cumsum cumprod nancumsum
nancumprod sort argsort diff flip squeeze average""".split()})
REDUCE.update({"cumulative_sum": [{"axis": 0}], "cumulative_prod": [{"axis": 0}],
               "expand_dims": [{"axis": 0}, {"axis": -1}, {"axis": 3}],
               "ediff1d": [{}], "ravel": [{}], "trim_zeros": [{}], "flatnonzero": [{}],
               "nonzero": [{}], "argwhere": [{}], "unique": [{}], "atleast_1d": [{}],
               "atleast_2d": [{}], "atleast_3d": [{}], "transpose": [{}, {"axes": (1, 0)},
                                                                    {"axes": (0, 2)}],
               "fliplr": [{}], "flipud": [{}], "rot90": [{}], "diagonal": [{}],
               "trace": [{}], "tril": [{}], "triu": [{}], "matrix_transpose": [{}],
               "copy": [{}], "asarray": [{}], "array": [{}], "zeros_like": [{}],
               "ones_like": [{}], "empty_like": None, "sort_complex": [{}],
               "swapaxes": [{"axis1": 0, "axis2": -1}], "moveaxis": [
                   {"source": 0, "destination": -1}],
               "roll": [{"shift": 1}, {"shift": -2, "axis": 0}],
               "repeat": [{"repeats": 2}, {"repeats": 2, "axis": 0}],
               "tile": [{"reps": 2}], "around": [{"decimals": 1}, {"decimals": -1}],
               "round": [{"decimals": 1}, {"decimals": -1}],
               "percentile": [{"q": 50}, {"q": 30, "axis": 0}],
               "quantile": [{"q": 0.5}, {"q": 0.3, "axis": -1}],
               "nanpercentile": [{"q": 50}], "nanquantile": [{"q": 0.5, "axis": 0}]})
REDUCE = {k: v for k, v in REDUCE.items() if v is not None}
SHAPES = [(3, 4), (0, 3), (), (2, 0), (4,)]

# -- inputs -------------------------------------------------------------------------------
_FLOATS = [0.0, -0.0, 1.0, -1.0, 0.5, -2.5, 3.0, 100.0, math.nan, math.inf, -math.inf]


def values_of(dt):
    """Special values of a dtype (or the scalars of a Python kind)."""
    if dt == "bool" or dt == "py_bool":
        return [False, True]
    if dt == "py_int":
        return [0, 3, -2]
    if dt == "py_float":
        return [0.0, -0.0, 2.5, math.nan, -math.inf]
    if dt == "py_complex":
        return [0j, 1 - 2j, complex(math.inf, 0)]
    if dt == "np_scalar":
        return [np.float32(1.5), np.int16(-3), np.uint8(255), np.complex64(1j), np.True_]
    d = np.dtype(dt)
    if d.kind == "i":
        ii = np.iinfo(d)
        return [0, 1, -1, 2, -7, 100, int(ii.min), int(ii.max)]
    if d.kind == "u":
        return [0, 1, 2, 7, 100, int(np.iinfo(d).max)]
    if d.kind == "f":
        return _FLOATS + [float(np.finfo(d).tiny), float(np.finfo(d).max)]
    re = [0.0, -0.0, 1.0, -1.5, math.nan, math.inf, -math.inf]
    return [complex(a, b) for a in re for b in re]


def unary_inputs(dt):
    """Arguments lists: one array of all special values, or each Python scalar."""
    if dt in PY:
        return [(v,) for v in values_of(dt)]
    return [(np.asarray(values_of(dt), dtype=dt),)]


def binary_inputs(d1, d2):
    """Every pair of special values, by broadcasting a column against a row."""
    if d1 in PY and d2 in PY:
        return [(a, b) for a in values_of(d1) for b in values_of(d2)]
    if d1 in PY:
        return [(a, np.asarray(values_of(d2), dtype=d2)) for a in values_of(d1)]
    if d2 in PY:
        return [(np.asarray(values_of(d1), dtype=d1), b) for b in values_of(d2)]
    return [(np.asarray(values_of(d1), dtype=d1)[:, None],
             np.asarray(values_of(d2), dtype=d2))]


def shaped_input(dt, shape):
    """An array of the shape filled cyclically with the dtype's special values."""
    vals = np.asarray(values_of(dt), dtype=dt)
    n = int(np.prod(shape))
    return np.resize(vals, n).reshape(shape) if n else np.zeros(shape, dt)


# -- the comparison -----------------------------------------------------------------------
_FAMILIES = (np.linalg.LinAlgError, np.exceptions.AxisError, OverflowError,
             ZeroDivisionError, FloatingPointError, IndexError, KeyError, TypeError,
             ValueError, ArithmeticError, RuntimeError)


def _family(exc):
    for f in _FAMILIES:
        if isinstance(exc, f):
            return f
    return type(exc)


def _to_nd(a):
    return nd.asarray(a) if type(a) is np.ndarray else a


def _call(f, args, kw):
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            return f(*args, **kw), None
        except Exception as e:  # noqa: BLE001 (any exception is compared with NumPy's)
            return None, e


def _same_array(name, a, e):
    """'' when ndgrad's ``a`` equals NumPy's ``e`` (dtype, shape, values), else why."""
    if isinstance(e, (tuple, list)):
        if not isinstance(a, (tuple, list)) or len(a) != len(e):
            return f"NumPy gives a {type(e).__name__} of {len(e)}, ndgrad {type(a).__name__}"
        for x, y in zip(a, e):
            r = _same_array(name, x, y)
            if r:
                return r
        return ""
    if isinstance(e, (bool, int, float, complex)) and not isinstance(a, nd.Array) \
            and type(a) is not type(e) and not isinstance(a, np.generic):
        return f"NumPy gives {type(e).__name__} {e!r}, ndgrad {type(a).__name__} {a!r}"
    try:
        act = np.asarray(a)
    except Exception as ex:  # noqa: BLE001
        return f"ndgrad's result {type(a).__name__} is not convertible: {ex}"
    exp = np.asarray(e)
    if act.dtype != exp.dtype:
        return f"dtype {act.dtype}, NumPy {exp.dtype}"
    if act.shape != exp.shape:
        return f"shape {act.shape}, NumPy {exp.shape}"
    if exp.dtype.kind in "fc":
        parts = [(act, exp)] if exp.dtype.kind == "f" else [
            (act.real, exp.real), (act.imag, exp.imag)]
        for x, y in parts:
            bad = ~(((x == y) & (np.signbit(x) == np.signbit(y))) | (np.isnan(x) & np.isnan(y)))
            if bad.any():
                i = np.argwhere(bad)[0]
                return f"value {act[tuple(i)]!r}, NumPy {exp[tuple(i)]!r} at {tuple(i)}"
    elif exp.dtype.kind in "biu":
        if not np.array_equal(act, exp):
            i = np.argwhere(act != exp)[0]
            return f"value {act[tuple(i)]!r}, NumPy {exp[tuple(i)]!r} at {tuple(i)}"
    return ""


def _describe(args, kw):
    def d(a):
        if type(a) is np.ndarray:
            return f"{a.dtype}{list(a.shape)}"
        return f"{type(a).__name__}({a!r})"
    return ", ".join([d(a) for a in args] + [f"{k}={v!r}" for k, v in kw.items()])


def compare(name, args, kw=None):
    """'' when ``nd.<name>(*args, **kw)`` agrees with NumPy's (or the departures table),
    else a line saying how it differs."""
    kw = kw or {}
    ndkw = {k: _to_nd(v) for k, v in kw.items()}
    expected, nperr = _call(getattr(np, name), args, kw)
    got, nderr = _call(getattr(nd, name), [_to_nd(a) for a in args], ndkw)
    dep = departure_for(name, args, kw)
    where = f"{name}({_describe(args, kw)})"
    if dep is not None:
        expected, nperr = _call(dep["rule"], args, kw)
    if nperr is not None:
        if nderr is None:
            return f"{where}: NumPy raises {type(nperr).__name__}: {nperr}; ndgrad returns"
        if not isinstance(nderr, _family(nperr)):
            return (f"{where}: NumPy raises {type(nperr).__name__}, ndgrad "
                    f"{type(nderr).__name__}: {nderr}")
        return ""
    if nderr is not None:
        return f"{where}: ndgrad raises {type(nderr).__name__}: {nderr}"
    why = _same_array(name, got, expected)
    return f"{where}: {why}" if why else ""

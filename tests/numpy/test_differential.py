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
from hypothesis import assume, given, settings, strategies as st, HealthCheck

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
REDUCE.update({
    "asanyarray": [{}], "ascontiguousarray": [{}], "asfortranarray": [{}],
    "asarray_chkfinite": [{}], "astype": [{"dtype": np.float32}, {"dtype": np.int8},
                                         {"dtype": np.bool_}, {"dtype": np.complex64}],
    "diag": [{}, {"k": 1}], "diagflat": [{}, {"k": -1}],
    "reshape": [{"shape": (-1,)}, {"shape": (2, -1)}, {"shape": (4, 3)}],
    "broadcast_to": [{"shape": (2, 3, 4)}, {"shape": (4,)}],
    "array_split": [{"indices_or_sections": 2}, {"indices_or_sections": 3, "axis": -1}],
    "split": [{"indices_or_sections": 1}, {"indices_or_sections": [1, 2]}],
    "hsplit": [{"indices_or_sections": 1}], "vsplit": [{"indices_or_sections": 1}],
    "dsplit": [{"indices_or_sections": 1}],
    "delete": [{"obj": 0}, {"obj": 1, "axis": 0}, {"obj": [0, 2], "axis": -1}],
    "insert": [{"obj": 1, "values": 5}, {"obj": 0, "values": 2.5, "axis": 0}],
    "append": [{"values": [1, 2]}, {"values": 0.5, "axis": None}],
    "pad": [{"pad_width": 1}, {"pad_width": 1, "mode": "edge"},
            {"pad_width": 2, "mode": "reflect"}],
    "bincount": [{}], "packbits": [{}], "unpackbits": [{}],
    "gradient": [{}], "trapezoid": [{}], "unwrap": [{}],
    "histogram": [{}, {"bins": 3}], "histogram_bin_edges": [{}],
    "unique_values": [{}], "unique_counts": [{}], "unique_inverse": [{}], "unique_all": [{}],
    "rollaxis": [{"axis": 1}], "permute_dims": [{"axes": (1, 0)}], "unstack": [{}],
    "polyder": [{}], "polyint": [{}], "vander": [{}, {"N": 2}],
    "iscomplexobj": [{}], "isrealobj": [{}], "isscalar": [{}], "ndim": [{}], "shape": [{}],
    "size": [{}], "isfortran": [{}], "real_if_close": [{}],
    "full_like": [{"fill_value": 3}, {"fill_value": 0.5}, {"fill_value": -1}],
    "sum": _AXK + [{"dtype": np.float32}, {"initial": 1}],
    "prod": _AXK + [{"dtype": np.int8}],
    "cumsum": _AX + [{"dtype": np.float32}],
    "mean": _AXK + [{"dtype": np.float32}],
    "std": _AXK + [{"ddof": 1}], "var": _AXK + [{"ddof": 1}],
    "tril_indices_from": [{}], "triu_indices_from": [{}], "diag_indices_from": [{}],
})
REDUCE = {k: v for k, v in REDUCE.items() if v is not None}

# two arrays (shapes drawn independently: mismatches must raise as NumPy raises)
ARRAY2 = {n: [{}] for n in """matmul dot inner outer vdot kron tensordot vecdot matvec vecmat
convolve correlate polyadd polysub polymul polyval isin intersect1d union1d setdiff1d
setxor1d searchsorted digitize allclose array_equal array_equiv take take_along_axis
compress extract cov corrcoef polyfit""".split()}
ARRAY2.update({"cross": [{}, {"axis": 0}], "tensordot": [{"axes": 1}, {"axes": 0}],
               "take": [{}, {"axis": 0}], "take_along_axis": [{"axis": -1}, {"axis": 0}],
               "compress": [{}, {"axis": 0}], "searchsorted": [{}, {"side": "right"}],
               "digitize": [{}, {"right": True}], "polyfit": [{"deg": 1}],
               "convolve": [{}, {"mode": "same"}, {"mode": "valid"}],
               "correlate": [{}, {"mode": "full"}], "isin": [{}, {"invert": True}]})
# a list of arrays
LISTS = {n: [{}] for n in """concatenate concat stack hstack vstack column_stack dstack
row_stack block broadcast_arrays""".split()}
LISTS.update({"concatenate": [{}, {"axis": 0}, {"axis": None}], "concat": [{}, {"axis": -1}],
              "stack": [{}, {"axis": -1}]})
# three arrays
ARRAY3 = {"where": [{}], "clip": [{}], "interp": [{}], "select": None}
ARRAY3 = {k: v for k, v in ARRAY3.items() if v is not None}
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
    if isinstance(a, list) and a and all(type(x) is np.ndarray for x in a):
        return [nd.asarray(x) for x in a]
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
    if isinstance(a, nd.Array) and a.ndim == 0 and (
            isinstance(e, np.generic) or type(e) is np.ndarray and e.ndim == 0):
        # NumPy's scalar (immutable: ``s += 1`` rebinds s) or its 0-d array (written in
        # place); ndgrad's 0-d result says which it stands for, and prints as that
        want, got = type(e) is np.ndarray, bool(getattr(a, "_array0d", False))
        if want != got:
            kind = {True: "a 0-d array", False: "a scalar"}
            return f"NumPy gives {kind[want]} {e!r}, ndgrad {kind[got]} {a!r}"
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
        if isinstance(a, list):
            return "[" + ", ".join(d(x) for x in a) + "]"
        return f"{type(a).__name__}({a!r})"
    return ", ".join([d(a) for a in args] + [f"{k}={v!r}" for k, v in kw.items()])


def _numpy_crashes(args, kw):
    if "out" not in kw or "where" not in kw:
        return False
    ints = [a for a in args if type(a) is int]
    arrays = [a for a in args if isinstance(a, np.ndarray) and a.dtype.kind in "iu"]
    return any(not (np.iinfo(a.dtype).min <= i <= np.iinfo(a.dtype).max)
               for i in ints for a in arrays)


def compare(name, args, kw=None, nd_kw=None):
    """'' when ``nd.<name>(*args, **kw)`` agrees with NumPy's (or the departures table),
    else a line saying how it differs. ``nd_kw`` overrides keywords for ndgrad's call
    (its own ``out=`` array)."""
    kw = kw or {}
    # NumPy 2.4's own ufunc segfaults on a Python int out of range of an integer operand
    # together with out= and where= (np.equal(31034, int8 array, where=w, out=complex64
    # array) kills the process); ndgrad answers it, but NumPy cannot be the oracle there
    assume(not _numpy_crashes(args, kw))
    ndkw = {k: _to_nd(v) for k, v in kw.items()}
    ndkw.update(nd_kw or {})
    expected, nperr = _call(getattr(np, name), args, kw)
    got, nderr = _call(getattr(nd, name), [_to_nd(a) for a in args], ndkw)
    dep = departure_for(name, args, kw)
    where = f"{name}({_describe(args, kw)})"
    if dep is not None:
        expected, nperr = _call(dep["rule"], args, kw)
    if nperr is not None:
        if isinstance(nperr, AttributeError) and nderr is not None:
            return ""  # NumPy's own crash on a Python scalar (np.rollaxis(True, 1)): any error
        if nderr is None:
            return f"{where}: NumPy raises {type(nperr).__name__}: {nperr}; ndgrad returns"
        if not isinstance(nderr, _family(nperr)):
            return (f"{where}: NumPy raises {type(nperr).__name__}, ndgrad "
                    f"{type(nderr).__name__}: {nderr}")
        return ""
    if nderr is not None:
        return f"{where}: ndgrad raises {type(nderr).__name__}: {nderr}"
    if name in UNORDERED:
        got, expected = np.sort(np.asarray(got)), np.sort(np.asarray(expected))
    why = _same_array(name, got, expected)
    return f"{where}: {why}" if why else ""


# -- what the differential test leaves out, and why ---------------------------------------
_LEFT = {
    "no array input (creation from shapes, ranges or scalars; tests/numpy/test_np_parity.py)":
        """arange bartlett blackman empty eye full hamming hanning identity indices kaiser
        linspace logspace geomspace ones zeros tri tril_indices triu_indices diag_indices
        mask_indices fromfunction fromiter frombuffer fromstring""",
    "no NumPy counterpart (ndgrad's autograd verbs and extras)": """grad value_and_grad vjp
        jvp jacobian hessian check_grads custom_vjp no_grad enable_grad is_grad_enabled
        set_default_device logsumexp in1d trapz product elementwise_grad hvp""",
    "dtype and type queries, not values (checked by test_np_coverage / test_core)":
        """can_cast common_type finfo iinfo isdtype issubdtype min_scalar_type mintypecode
        promote_types result_type typename bool complex64 complex128 float16 float32 float64
        int8 int16 int32 int64 uint8 uint16 uint32 uint64""",
    "printing, configuration and I/O (tests/numpy/test_np_programs.py; the 'programs' "
    "engineer owns loadtxt/genfromtxt/save/load)": """array2string array_repr array_str
        base_repr binary_repr format_float_positional format_float_scientific get_include
        get_printoptions set_printoptions printoptions getbufsize setbufsize geterr seterr
        geterrcall seterrcall info show_config show_runtime load save savez savez_compressed
        savetxt loadtxt genfromtxt fromfile fromregex""",
    "dates and business days (NumPy arrays of datetime64; passed through to NumPy)":
        """busday_count busday_offset is_busday datetime_as_string datetime_data isnat""",
    "mutate their argument in place (compared by test_np_methods / test_np_oneliners)":
        """copyto place put putmask fill_diagonal put_along_axis""",
    "take callables or iterators, not arrays": """apply_along_axis apply_over_axes
        frompyfunc piecewise iterable ndenumerate nested_iters""",
    "index helpers whose arguments are shapes or index tuples (tests/numpy/test_np_parity)":
        """ravel_multi_index unravel_index ix_ broadcast_shapes meshgrid""",
    "memory and layout queries (no values to compare)": """may_share_memory shares_memory
        require from_dlpack asmatrix resize broadcast""",
    "uninitialized values (NumPy's empty_like; its shape and dtype: test_np_parity)":
        """empty_like""",
    "the order of the other elements is unspecified (NumPy's introselect)":
        """partition argpartition""",
    "several arguments of several kinds; covered by tests/numpy/test_np_parity.py":
        """choose select lexsort histogram2d histogramdd einsum einsum_path poly roots
        polydiv trace sinc""",
}
LEFT_OUT = {n: why for why, names in _LEFT.items() for n in names.split()}

# results whose order NumPy leaves unspecified (its hash-based unique): compared sorted
UNORDERED = {"unique_values"}


def _tables():
    """name -> (kind, keyword sets)."""
    t = {}
    for n in UNARY:
        t[n] = ("unary", [{}])
    for n in BINARY:
        t[n] = ("binary", [{}])
    for n, kws in REDUCE.items():
        t[n] = ("array1", kws)
    for n, kws in ARRAY2.items():
        t[n] = ("array2", kws)
    for n, kws in LISTS.items():
        t[n] = ("lists", kws)
    for n, kws in ARRAY3.items():
        t[n] = ("array3", kws)
    return t


TABLES = _tables()


def test_every_public_function_is_listed():
    """Every public callable of ``ndgrad`` that NumPy also has is compared here or left
    out with its reason (a new function cannot ship untested by accident)."""
    missing = []
    for n in dir(nd):
        obj = getattr(nd, n)
        if n.startswith("_") or not callable(obj) or isinstance(obj, type):
            continue
        if n not in TABLES and n not in LEFT_OUT:
            missing.append(n)
    assert not missing, f"public functions neither compared nor left out with a reason: {missing}"
    stale = [n for n in list(TABLES) + list(LEFT_OUT) if not hasattr(nd, n)]
    assert not stale, f"listed names ndgrad does not have: {stale}"


# -- hypothesis strategies ----------------------------------------------------------------
from hypothesis.extra import numpy as hnp  # noqa: E402

_SHAPES = [(), (0,), (1,), (3,), (2, 3), (0, 3), (3, 0), (2, 1, 3), (3, 3)]


@st.composite
def arrays(draw, dtype=None, shape=None):
    dt = draw(st.sampled_from(DTYPES)) if dtype is None else dtype
    shp = draw(st.sampled_from(_SHAPES)) if shape is None else shape
    elems = st.one_of(st.sampled_from(values_of(dt)), hnp.from_dtype(np.dtype(dt)))
    return draw(hnp.arrays(np.dtype(dt), shp, elements=elems))


@st.composite
def operands(draw, shape=None):
    """An operand: an array, or (for a 0-d draw) a Python or NumPy scalar."""
    a = draw(arrays(shape=shape))
    if a.shape == () and draw(st.booleans()):
        return a[()] if draw(st.booleans()) else a.item()
    return a


_OUT_DTYPES = [np.float64, np.float32, np.float16, np.int64, np.int8, np.uint8, np.bool_,
               np.complex128, np.complex64]


@st.composite
def ufunc_keywords(draw, shape):
    """NumPy's ufunc keywords: dtype=, casting=, out= (with where=)."""
    kw = {}
    if draw(st.integers(0, 3)) == 0:
        kw["dtype"] = np.dtype(draw(st.sampled_from(_OUT_DTYPES)))
    if draw(st.integers(0, 5)) == 0:
        kw["casting"] = draw(st.sampled_from(["unsafe", "safe", "same_kind", "no"]))
    if shape is not None and draw(st.integers(0, 3)) == 0:
        kw["out"] = np.zeros(shape, draw(st.sampled_from(_OUT_DTYPES)))
        if draw(st.booleans()):
            kw["where"] = draw(hnp.arrays(np.bool_, shape))
    return kw


def _bshape(*xs):
    try:
        return np.broadcast_shapes(*[np.shape(x) for x in xs])
    except ValueError:
        return None


def draw_call(data, name):
    """(args, kwargs) for one call of ``name``, drawn by its kind."""
    kind, kws = TABLES[name]
    if kind == "unary":
        x = data.draw(operands(), label="x")
        kw = data.draw(ufunc_keywords(np.shape(x)), label="kw") if name in UFUNC_UNARY else {}
        return (x,), kw
    if kind == "binary":
        if data.draw(st.integers(0, 9), label="mismatch") == 0:
            s1, s2 = data.draw(st.sampled_from(_SHAPES)), data.draw(st.sampled_from(_SHAPES))
        else:
            s1, s2 = data.draw(hnp.mutually_broadcastable_shapes(
                num_shapes=2, min_dims=0, max_dims=3, max_side=3)).input_shapes
        x1, x2 = data.draw(operands(shape=s1), label="x1"), data.draw(
            operands(shape=s2), label="x2")
        kw = {}
        if name in UFUNC_BINARY:
            kw = data.draw(ufunc_keywords(_bshape(x1, x2)), label="kw")
        return (x1, x2), kw
    kw = dict(data.draw(st.sampled_from(kws), label="kw"))
    if kind == "array1":
        return (data.draw(operands(), label="x"),), kw
    if kind == "array2":
        return (data.draw(arrays(), label="a"), data.draw(arrays(), label="b")), kw
    if kind == "lists":
        n = data.draw(st.integers(1, 3), label="n")
        shp = data.draw(st.sampled_from(_SHAPES), label="shape")
        xs = [data.draw(arrays(shape=shp if data.draw(st.booleans()) else None))
              for _ in range(n)]
        return (xs,), kw
    a = data.draw(arrays(), label="a")
    return (a, data.draw(operands(), label="b"), data.draw(operands(), label="c")), kw


def check(name, args, kw):
    """The comparison of one call; a failure message says how ndgrad differs."""
    kw = dict(kw)
    out = kw.pop("out", None)
    if out is None:
        why = compare(name, args, kw)
        assert not why, why
        return
    np_out, nd_out = out.copy(), nd.asarray(out.copy())
    why = compare(name, args, {**kw, "out": np_out}, nd_kw={"out": nd_out})
    assert not why, why
    dep = departure_for(name, args, {**kw, "out": np_out})
    if _call(dep["rule"] if dep else getattr(np, name), args,
             {**kw, "out": out.copy()})[1] is not None:
        return  # both raised: NumPy may leave a partial write in out=, ndgrad leaves it
    why = _same_array(name, nd_out, np_out)
    assert not why, f"{name}: out= holds {why}"


# Open gaps (found by this test, still to fix), each with a call that shows it: the
# hypothesis search skips them, ``test_known_gaps_still_differ`` checks each call still
# differs (so a fix fails it, and the entry must go). Report these; never add one silently.
def _b(shape=()):
    return np.zeros(shape, bool)


KNOWN_GAPS = {}   # none left: the last three (cov, corrcoef, polymul) were fixed


def test_known_gaps_still_differ():
    for name, (why, args) in KNOWN_GAPS.items():
        assert compare(name, args), f"{name} now agrees with NumPy: remove its KNOWN_GAPS entry"


# CI examples per function (the "ci" profile's 25 would cost about 2 minutes over the
# ~280 functions); the slow variant searches with 20x as many
CI_EXAMPLES = 10
_SETTINGS = dict(deadline=None, derandomize=True,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                        HealthCheck.filter_too_much])


def _names():
    return [pytest.param(n, marks=pytest.mark.skip(reason="known gap: " + KNOWN_GAPS[n][0]))
            if n in KNOWN_GAPS else
            pytest.param(n, marks=pytest.mark.skip(reason=f"NumPy {np.__version__} has no {n}"))
            if not hasattr(np, n) else n for n in sorted(TABLES)]


@pytest.mark.parametrize("name", _names())
@given(data=st.data())
@settings(max_examples=CI_EXAMPLES, **_SETTINGS)
def test_same_as_numpy(name, data):
    args, kw = draw_call(data, name)
    check(name, args, kw)


@pytest.mark.slow
@pytest.mark.parametrize("name", _names())
@given(data=st.data())
@settings(max_examples=20 * CI_EXAMPLES, **_SETTINGS)
def test_same_as_numpy_slow(name, data):
    """The same search with 20x the CI profile's examples (--runslow)."""
    args, kw = draw_call(data, name)
    check(name, args, kw)


def test_departures_are_the_standards():
    """The table's cases: ndgrad follows the rule written there, not NumPy."""
    for name, d in DEPARTURES.items():
        assert d["reason"] and d["inputs"] and callable(d["rule"])
    assert not compare("floor_divide", (np.asarray([1.0, -1.0, 0.0]), -math.inf))
    assert nd.floor_divide(nd.asarray(1.0), -math.inf) == 0.0  # -0.0; NumPy: -1.0
    assert not compare("expm1", (np.asarray([complex(-0.0, 0.0), complex(math.inf, 0)]),))


def test_cases_the_slow_search_found_2026_12_06():
    """Calls the --runslow search found ndgrad answering otherwise than NumPy (each
    failed before its fix): floor_divide's departure seen in the loop's dtype (an int32
    that dtype=float16 makes -inf), complex inner with an infinity (NumPy's BLAS value),
    real_if_close of a 0-d complex array (a 0-d array back), and a Python int the
    requested integer loop cannot hold (NumPy's OverflowError first)."""
    f16 = {"dtype": np.dtype("float16"), "casting": "unsafe"}
    big = (np.asarray(True), np.asarray(-2147483648, dtype=np.int32))
    check("floor_divide", big, f16)
    check("floor_divide", big, {**f16, "out": np.zeros(())})
    a = np.asarray([1 + 0j, 0, 0], dtype=np.complex64)
    b = np.asarray([[[complex(0, math.inf), 0, 0]], [[0, 0, 0]]], dtype=np.complex64)
    check("inner", (a, b), {})
    check("inner", (a.astype(np.complex128), b[0, 0].astype(np.complex128)), {})
    check("real_if_close", (np.asarray(0j, dtype=np.complex64),), {})
    check("real_if_close", (np.complex64(1 + 1e-9j),), {})
    check("subtract", (-1, np.asarray([0], dtype=np.int8)), {"dtype": np.dtype("uint8")})
    check("subtract", (-1, np.asarray([0], dtype=np.int8)),
          {"dtype": np.dtype("uint8"), "out": np.zeros(1)})


def test_floor_divide_departure_with_a_python_int_infinite_in_the_loop():
    """The slow search's case of 2026-12-06 (second run): a Python int beside float16 is
    weak, so floor_divide runs the float16 loop, where -2**31 (or 2**70) is -inf (inf);
    ndgrad follows the standard's rule there (-inf // 1 is -inf; NumPy: nan), and the
    departure table looked for infinities in the operands as given, expecting NumPy's
    nan. The table now looks in the loop's dtype; ndgrad's values are unchanged."""
    f16 = np.asarray([1.0, 0.0], dtype=np.float16)
    for x1 in (-2147483648, 2 ** 70):
        check("floor_divide", (x1, f16), {"casting": "unsafe"})
        check("floor_divide", (x1, f16[:1]), {"casting": "unsafe", "out": np.zeros(1)})
        check("floor_divide", (f16, x1), {})
    # the promotion's own loop: an int32 array beside float16 runs float64, no infinity
    check("floor_divide", (np.asarray([-2147483648], dtype=np.int32), f16[:1]), {})


def test_complex_inner_under_jit_and_recorded():
    """inner's NumPy value is read only where the operands hold NumPy data: under nd.jit
    (traced values) it is the tensordot, which a check of the operands' memory broke;
    recorded, the value is NumPy's and the gradient the tensordot's."""
    a = nd.asarray(np.array([[1 + 2j, 3], [0.5j, 2]]))
    b = nd.asarray(np.array([2 - 1j, 1 + 0.5j]))
    want = np.inner(np.asarray(a), np.asarray(b))
    np.testing.assert_allclose(np.asarray(nd.jit(lambda a, b: nd.inner(a, b))(a, b)), want,
                               rtol=1e-15)
    np.testing.assert_array_equal(np.asarray(nd.inner(a, b)), want)
    g = nd.grad(lambda z: nd.real(nd.sum(nd.inner(z, b))))(a)
    np.testing.assert_allclose(np.asarray(g), np.broadcast_to(np.asarray(b), (2, 2)))


@pytest.mark.parametrize("name", ["vdot", "inner"])
@pytest.mark.parametrize("dtype", ["float16", "float32", "float64", "complex64", "complex128"])
def test_vdot_and_inner_give_numpys_bits_eager_recorded_and_jitted(name, dtype):
    """vdot and inner are BLAS's dot in NumPy (its own summation order, its own
    infinities: nan+infj where the product formula gives nan+nanj). Eager, recorded and
    nd.jit calls all give NumPy's bits: the value is an op of the graph, computed by
    NumPy's function when the plan runs (nd.jit of vdot raised ConcretizationTypeError;
    a composition gives other last bits), and the gradient is the product's."""
    rng = np.random.default_rng(7)
    n = 37
    a = rng.standard_normal(n) * 10.0 ** rng.integers(-3, 4, n)
    b = rng.standard_normal(n)
    if dtype.startswith("complex"):
        a = a + 1j * rng.standard_normal(n)
        b = b + 1j * rng.standard_normal(n)
    cases = [(a.astype(dtype), b.astype(dtype))]
    a1, b1 = np.array([np.inf], dtype), np.array([1j if "complex" in dtype else 0.0], dtype)
    cases.append((a1, b1))
    f = getattr(nd, name)
    npf = getattr(np, name)
    jf = nd.jit(lambda x, y: f(x, y))
    for x, y in cases:
        with np.errstate(all="ignore"):
            want = npf(x, y)
        xa, ya = nd.asarray(x), nd.asarray(y)
        with np.errstate(all="ignore"):
            got = [f(xa, ya), jf(xa, ya),
                   nd.value_and_grad(lambda t: nd.real(f(t, ya)))(nd.asarray(x))[0]]
        for i, v in enumerate(got[:2]):
            assert type(v) is not np.ndarray and v.dtype == want.dtype, (i, v)
            np.testing.assert_array_equal(np.asarray(v), want, strict=True)
        np.testing.assert_array_equal(np.asarray(got[2]), np.real(want))
    # the gradient of Re f(x, y) in x: conj(y) for vdot (it conjugates x), y for inner
    x, y = cases[0]
    want_g = np.conj(y) if name == "vdot" else y
    for h in (nd.grad(lambda t: nd.real(f(t, nd.asarray(y)))),
              nd.jit(nd.grad(lambda t: nd.real(f(t, nd.asarray(y)))))):
        np.testing.assert_array_equal(np.asarray(h(nd.asarray(x))), want_g)


# -- nd.jit of the NumPy face ---------------------------------------------------------------
# Each function of the tables above, called eagerly and under nd.jit on the same arrays:
# the jitted call gives eager's values, dtypes and shapes (bits, signs of zeros), or
# nd.jit's own refusal (ConcretizationTypeError: a Python value or a memory layout read
# from a traced value; TracerShapeError: a shape that depends on the values), never
# another value or another error. Functions that must trace are listed: each was once
# refused because it read its operands' memory (vdot, ravel, copy, convolve ...), or
# gave another value (complex vecmat's signs of zeros: the composition's, not NumPy's).
_JIT_MUST_TRACE = {"ravel", "copy", "array", "asfortranarray", "vdot", "inner", "vecmat",
                   "isneginf", "isposinf", "isreal", "iscomplex", "nanargmax",
                   "nanargmin", "digitize", "convolve", "correlate", "isclose",
                   "nan_to_num", "round", "around", "nanmax", "nanmin", "nanmean",
                   "nanvar", "nanstd", "median", "percentile", "quantile", "i0",
                   "unwrap", "histogram", "sort_complex", "sum", "matmul", "where",
                   "concatenate", "nanmedian", "nanpercentile", "nanquantile",
                   "packbits", "unpackbits", "histogram_bin_edges"}

# (function, dtype) pairs that may refuse although the function must trace: none now.
# Complex median (lexicographic, NumPy's on host values) traces as an op whose gradient
# raises; run as an op without a rule, nd.jit(nd.grad) would hand back zeros (the
# gradient test below fails then)
_JIT_MAY_REFUSE = set()


def _table_calls(x, y, v, m, extra=True):
    """(name, args, kwargs) for every function of the tables above, on the arrays ``x``
    and ``y`` (or a vector ``v`` and a matrix ``m``); ``extra``: also with a Python int
    operand, and the functions of a list of arrays."""
    for n in UNARY:
        yield n, (x,), {}
    for n in BINARY:
        yield n, (x, y), {}
        if extra:
            yield n, (x, 2), {}
    for n, kws in REDUCE.items():
        for k in kws:
            yield n, (x,), k
    for n, kws in ARRAY2.items():
        for k in kws:
            yield n, (x, m), k
            yield n, (v, v), k
    if extra:
        for n, kws in LISTS.items():
            for k in kws:
                yield n, ([x, y],), k
    for n, kws in ARRAY3.items():
        for k in kws:
            yield n, ((np.real(x) > 0) if n == "where" else x, x, y), k


def _jit_cases(dt):
    yield from _table_calls(shaped_input(dt, (3, 4)), shaped_input(dt, (3, 4))[::-1].copy(),
                            shaped_input(dt, (4,)), shaped_input(dt, (4, 3)))


def _jit_outcome(name, args, kw):
    """'ok', 'refused', None (eager raises: nothing to compare) or what differs."""
    from ndgrad.graph.jit import ConcretizationTypeError, TracerShapeError
    nargs = [nd.asarray(a) if isinstance(a, np.ndarray) else
             [nd.asarray(b) for b in a] if isinstance(a, list) else a for a in args]
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            eager = getattr(nd, name)(*nargs, **kw)
        except Exception:
            return None
        pos = [i for i, a in enumerate(nargs) if isinstance(a, (nd.Array, list))]

        def f(*vals):
            call = list(nargs)
            for i, val in zip(pos, vals):
                call[i] = val
            return getattr(nd, name)(*call, **kw)
        try:
            jitted = nd.jit(f)(*[nargs[i] for i in pos])
        except (ConcretizationTypeError, TracerShapeError):
            return "refused"
        except Exception as e:   # any other error is no clear refusal
            return f"{type(e).__name__}: {e}"

    def leaves(o):
        if isinstance(o, (list, tuple)):
            for i in o:
                yield from leaves(i)
        else:
            yield o
    el, jl = list(leaves(eager)), list(leaves(jitted))
    if len(el) != len(jl):
        return f"{len(jl)} results under nd.jit, {len(el)} eager"
    for a, b in zip(el, jl):
        if isinstance(a, (bool, int, float, complex)) or isinstance(b, (bool, int, float,
                                                                         complex)):
            if type(a) is not type(b) or not (a == b or a != a and b != b):
                return f"{b!r} under nd.jit, {a!r} eager"
            continue
        A, B = np.asarray(a), np.asarray(b)
        if A.shape != B.shape or A.dtype != B.dtype:
            return f"{B.dtype}{B.shape} under nd.jit, {A.dtype}{A.shape} eager"
        same = np.array_equal(A, B, equal_nan=A.dtype.kind in "fc")
        if same and A.dtype.kind in "fc":
            same = (np.array_equal(np.signbit(A.real), np.signbit(B.real)) and
                    np.array_equal(np.signbit(A.imag), np.signbit(B.imag)))
        if not same:
            return f"values {B.ravel()[:4]} under nd.jit, {A.ravel()[:4]} eager"
    return "ok"


@pytest.mark.parametrize("dt", ["float64", "float32", "int64", "complex128", "bool"])
def test_jit_gives_eager_values_or_refuses_clearly(dt):
    bad = []
    for name, args, kw in _jit_cases(dt):
        out = _jit_outcome(name, args, kw)
        if out is None or out == "ok" or out == "refused" and (
                name not in _JIT_MUST_TRACE or (name, dt) in _JIT_MAY_REFUSE):
            continue
        kinds = ", ".join(str(getattr(a, "dtype", type(a).__name__)) for a in args)
        bad.append(f"{name}({kinds}, {kw}): {out}")
    assert not bad, "\n".join(bad)


# Under nd.jit(nd.grad(F)), F a weighted sum of a function's floating outputs: eager's
# gradient (to 1e-10), or nd.jit's refusal, or both refuse. Where eager refuses and the
# jitted gradient is a number, the function must be piecewise constant in its floating
# inputs (its derivative is zero wherever it exists) and the jitted gradient exactly zero:
# a NumPy value computed without a gradient must never hand a zero gradient for a
# function that moves with its input (complex median did, for one commit).
_JIT_ZERO_GRADIENT = {"round", "around", "spacing"}   # complex round, spacing: no rule eagerly


def _weighted_sum_of_outputs(name, nargs, kw, pos):
    def F(*vals):
        call = list(nargs)
        for i, val in zip(pos, vals):
            call[i] = val
        total = None
        out = getattr(nd, name)(*call, **kw)
        for k, o in enumerate(o for o in (out if isinstance(out, tuple) else (out,))):
            if not hasattr(o, "dtype") or o.dtype.kind not in "fc":
                continue
            size = int(np.prod(o.shape))
            w = nd.asarray(np.cos(np.arange(size) + k).reshape(o.shape))
            t = nd.sum(nd.real(o) * w)
            if o.dtype.kind == "c":
                t = t + nd.sum(nd.imag(o) * w)
            total = t if total is None else total + t
        return total
    return F


def _jit_gradient_cases(dt, rng):
    x = rng.uniform(-2, 2, (3, 4)).astype(dt)
    if dt.startswith("complex"):
        x = x + 1j * rng.uniform(-1, 1, (3, 4))
    y = rng.uniform(0.5, 2, (3, 4)).astype(dt)
    v, m = rng.uniform(-2, 2, 4).astype(dt), rng.uniform(-2, 2, (4, 3)).astype(dt)
    yield from _table_calls(x, y, v, m, extra=False)


@pytest.mark.parametrize("dt", ["float64", "complex128"])
def test_jit_gradients_are_eagers_or_refused(dt):
    from ndgrad.graph.jit import ConcretizationTypeError, TracerShapeError
    bad = []
    for name, args, kw in _jit_gradient_cases(dt, np.random.default_rng(1)):
        nargs = [nd.asarray(a) if isinstance(a, np.ndarray) else a for a in args]
        pos = [i for i, a in enumerate(nargs) if isinstance(a, nd.Array) and
               a.dtype.kind in "fc"]
        F = _weighted_sum_of_outputs(name, nargs, kw, pos)
        xs = [nargs[i] for i in pos]
        nums = tuple(range(len(pos)))
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            try:
                if not pos or F(*xs) is None:
                    continue
            except Exception:
                continue
            try:
                eager = nd.grad(F, nums)(*xs)
            except Exception:
                eager = None
            try:
                jitted = nd.jit(nd.grad(F, nums))(*xs)
            except (ConcretizationTypeError, TracerShapeError):
                continue
            except Exception as e:   # (both refusing, e.g. NoGradientError, is fine)
                if eager is not None:
                    bad.append(f"{name} {kw}: nd.jit raised {type(e).__name__}: {e}")
                continue
        if eager is None:
            if name not in _JIT_ZERO_GRADIENT or any(np.any(np.asarray(g)) for g in jitted):
                bad.append(f"{name} {kw}: eager refuses, nd.jit gives {jitted}")
            continue
        for a, b in zip(eager, jitted):
            if not np.allclose(np.asarray(a), np.asarray(b), rtol=1e-10, atol=1e-12,
                               equal_nan=True):
                bad.append(f"{name} {kw}: gradient {np.asarray(b).ravel()[:3]} under "
                           f"nd.jit, {np.asarray(a).ravel()[:3]} eager")
                break
    assert not bad, "\n".join(bad)


def test_a_host_op_name_has_one_meaning():
    """make_host_op hands back the op it made for a name only when asked with the same
    function and gradient kind: a second function under one name ran the first one's
    forward (and its zero gradient where the second needs a raising one)."""
    from ndgrad._numpy._core import make_host_op
    op = make_host_op("sort_complex", np.sort_complex, moves=True)
    assert make_host_op("sort_complex", np.sort_complex, moves=True) is op
    assert op.nograd   # (a gradient through sorted values raises, never a zero)
    with pytest.raises(ValueError, match="numpy.sort_complex"):
        make_host_op("sort_complex", np.sort_complex)          # no raising rule
    with pytest.raises(ValueError, match="numpy.sort_complex"):
        make_host_op("sort_complex", np.sort, moves=True)      # another function

"""NumPy parity: each NumPy function on ndgrad arrays gives NumPy's values, dtype, shape
and printed text (fixed cases from _cases.py, then hypothesis inputs)."""
import math
import os
import sys
import warnings

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

import ndgrad as nd

sys.path.insert(0, os.path.dirname(__file__))
from _np_cases import CASES  # noqa: E402


def to_nd(v, device="cpu"):
    if isinstance(v, np.ndarray):
        return nd.asarray(v, device=device)
    if isinstance(v, list) and any(isinstance(u, np.ndarray) for u in v):
        return [to_nd(u, device) for u in v]
    if isinstance(v, tuple):
        return tuple(to_nd(u, device) for u in v)
    return v


def same(expected, got, exact_text=True, rtol=1e-12):
    """Values, dtype, shape and str() of ``got`` (ndgrad) equal ``expected`` (NumPy)."""
    if isinstance(expected, (tuple, list)):
        assert isinstance(got, (tuple, list)) and len(got) == len(expected)
        for e, g in zip(expected, got):
            same(e, g, exact_text, rtol)
        return
    if isinstance(expected, (np.ndarray, np.generic)):
        assert isinstance(got, nd.Array), f"expected an ndgrad array, got {type(got)}"
        host = np.asarray(got.to_device("cpu"))
        assert host.shape == np.shape(expected)
        assert host.dtype == expected.dtype
        if expected.dtype.kind in "fc":
            np.testing.assert_allclose(host, expected, rtol=rtol, atol=1e-13, equal_nan=True)
        else:
            np.testing.assert_array_equal(host, expected)
        if exact_text and str(got.device) == "cpu":
            assert str(got) == str(expected)
            if isinstance(expected, np.ndarray) and expected.ndim:
                assert repr(got) == repr(expected)
        return
    assert expected == got or (expected != expected and got != got)


@pytest.mark.parametrize("name,args,kwargs", CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_case_matches_numpy(name, args, kwargs):
    expected = getattr(np, name)(*args, **kwargs)
    got = getattr(nd, name)(*to_nd(args), **kwargs)
    same(expected, got)


STRICT_CASES = [c for c in CASES if c[0] in {
    "concatenate", "vstack", "hstack", "stack", "split", "transpose", "swapaxes", "pad",
    "append", "insert", "delete", "where", "cumsum", "diff", "convolve", "correlate",
    "interp", "trapezoid", "median", "percentile", "quantile", "average", "nansum",
    "nanmean", "nanmax", "sum", "mean", "std", "var", "max", "min", "sort", "einsum",
    "kron", "cross", "dot", "outer", "inner", "tile", "repeat", "roll", "flip",
    "gradient", "cov", "select", "sinc", "around", "unique", "histogram", "ptp"}]


@pytest.mark.parametrize("name,args,kwargs", STRICT_CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(STRICT_CASES)])
def test_case_on_strict_backend(name, args, kwargs):
    expected = getattr(np, name)(*args, **kwargs)
    got = getattr(nd, name)(*to_nd(args, "strict"), **kwargs)
    same(expected, got, exact_text=False)


# -- hypothesis inputs ------------------------------------------------------------------------
floats = st.floats(-10, 10, allow_nan=False, width=64)
mats = hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=3, min_side=1,
                                               max_side=4), elements=floats)
f32 = hnp.arrays(np.float32, hnp.array_shapes(min_dims=1, max_dims=2, min_side=1,
                                              max_side=5),
                 elements=st.floats(-10, 10, allow_nan=False, width=32))
ints = hnp.arrays(np.int64, hnp.array_shapes(min_dims=1, max_dims=2, min_side=1, max_side=5),
                  elements=st.integers(-20, 20))

REDUCTIONS = ["sum", "mean", "std", "var", "max", "min", "prod", "ptp", "median", "argmax",
              "argmin", "cumsum", "nansum", "nanmean", "nanmax", "amin", "average", "any",
              "all", "count_nonzero", "sort", "argsort", "diff", "flip", "roll", "squeeze"]


@pytest.mark.parametrize("name", REDUCTIONS)
@settings(max_examples=8)
@given(x=st.one_of(mats, f32, ints), data=st.data())
def test_axis_functions(name, x, data):
    axis = data.draw(st.one_of(st.none(), st.integers(-x.ndim, x.ndim - 1)), label="axis")
    if name in ("roll",):
        args, kw = (1,), {"axis": axis}
    elif name in ("diff", "cumsum", "sort", "argsort", "flip", "median", "average"):
        args, kw = (), {"axis": axis}
        if name == "diff" and axis is None:
            kw = {}
    elif name == "squeeze":
        args, kw = (), {}
    else:
        args, kw = (axis,), {}
    if name in ("sort", "argsort"):
        kw["kind"] = "stable"
    if name in ("sum", "mean", "prod") and x.dtype == np.float32:
        rtol = 1e-5
    else:
        rtol = 1e-12 if x.dtype != np.float32 else 1e-6
    expected = getattr(np, name)(x, *args, **kw)
    got = getattr(nd, name)(nd.asarray(x), *args, **kw)
    same(expected, got, exact_text=False, rtol=rtol)


ELEMENTWISE = ["arccos", "arcsin", "arctan", "arcsinh", "absolute", "fabs", "exp2", "cbrt",
               "deg2rad", "rad2deg", "sinc", "fix", "rint", "nan_to_num", "angle", "real",
               "imag", "conjugate", "degrees", "radians"]


@pytest.mark.parametrize("name", ELEMENTWISE)
@settings(max_examples=8)
@given(x=mats)
def test_elementwise_numpy_names(name, x):
    if name in ("arccos", "arcsin"):
        x = np.tanh(x)
    expected = getattr(np, name)(x)
    got = getattr(nd, name)(nd.asarray(x))
    same(expected, got, exact_text=False)


BINARY = ["power", "arctan2", "fmod", "fmax", "fmin", "logaddexp2", "float_power", "mod",
          "true_divide", "heaviside", "hypot", "copysign"]


@pytest.mark.parametrize("name", BINARY)
@settings(max_examples=8)
@given(x=mats, y=floats)
def test_binary_numpy_names(name, x, y):
    if name in ("power", "float_power"):
        x = np.abs(x) + 0.5
    if name in ("fmod", "mod", "true_divide") and y == 0:
        y = 1.5
    expected = getattr(np, name)(x, y)
    got = getattr(nd, name)(nd.asarray(x), y)
    same(expected, got, exact_text=False, rtol=1e-10)


@settings(max_examples=15)
@given(x=mats, q=st.lists(st.floats(0, 1), min_size=1, max_size=3),
       method=st.sampled_from(["linear", "lower", "higher", "nearest", "midpoint"]))
def test_quantile_methods(x, q, method):
    same(np.quantile(x, q, method=method), nd.quantile(nd.asarray(x), q, method=method),
         exact_text=False)
    same(np.percentile(x, [v * 100 for v in q], axis=0, method=method),
         nd.percentile(nd.asarray(x), [v * 100 for v in q], axis=0, method=method),
         exact_text=False, rtol=1e-10)


@settings(max_examples=15)
@given(a=hnp.arrays(np.float64, st.integers(1, 6), elements=floats),
       v=hnp.arrays(np.float64, st.integers(1, 6), elements=floats),
       mode=st.sampled_from(["full", "same", "valid"]))
def test_convolve_correlate(a, v, mode):
    same(np.convolve(a, v, mode), nd.convolve(nd.asarray(a), nd.asarray(v), mode),
         exact_text=False, rtol=1e-9)
    same(np.correlate(a, v, mode), nd.correlate(nd.asarray(a), nd.asarray(v), mode),
         exact_text=False, rtol=1e-9)


@settings(max_examples=15)
@given(data=st.data())
def test_einsum_random_specs(data):
    letters = "abcd"
    n_ops = data.draw(st.integers(1, 3))
    size = {c: data.draw(st.integers(1, 3)) for c in letters}
    subs = [data.draw(st.text(alphabet=letters, min_size=1, max_size=3)) for _ in range(n_ops)]
    ops = [np.random.default_rng(i).standard_normal([size[c] for c in s])
           for i, s in enumerate(subs)]
    spec = ",".join(subs)
    expected = np.einsum(spec, *ops)
    same(expected, nd.einsum(spec, *[nd.asarray(o) for o in ops]), exact_text=False,
         rtol=1e-9)


@settings(max_examples=15)
@given(x=ints)
def test_set_functions(x):
    y = x[..., ::-1] + 1
    for name in ("unique", "union1d", "intersect1d", "setdiff1d", "setxor1d", "isin", "in1d"):
        args = (x,) if name == "unique" else (x, y)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            expected = getattr(np, name)(*args) if hasattr(np, name) else None
        if expected is None:
            continue
        same(expected, getattr(nd, name)(*[nd.asarray(a) for a in args]))
    r = np.unique(x, return_index=True, return_inverse=True, return_counts=True)
    same(r, nd.unique(nd.asarray(x), return_index=True, return_inverse=True,
                      return_counts=True))


def test_printing_matches_numpy():
    x = np.linspace(0, 1, 7) ** 3
    a = nd.asarray(x)
    assert str(a) == str(x) and repr(a) == repr(x)
    with nd.printoptions(precision=3, suppress=True):
        assert str(a) == str(x)
        assert str(a) == np.array2string(x)
    with nd.printoptions(precision=2):
        assert repr(nd.asarray(x)) == repr(x)
    assert nd.get_printoptions()["precision"] == 8
    assert nd.array_str(a) == np.array_str(x)
    assert nd.array2string(a, separator=",") == np.array2string(x, separator=",")


def test_constants_types_and_errstate():
    assert nd.pi == np.pi and nd.e == np.e and nd.euler_gamma == np.euler_gamma
    assert math.isinf(nd.inf) and math.isnan(nd.nan) and nd.newaxis is None
    assert nd.zeros((2,), dtype=nd.int_).dtype == np.int64
    assert nd.ones(2, nd.double).dtype == np.float64 and nd.single(3.0) == np.float32(3.0)
    assert nd.iinfo(nd.int8).max == 127 and nd.finfo(nd.float32).eps == np.finfo(np.float32).eps
    assert isinstance(nd.asarray([1.0]), nd.ndarray)
    with nd.errstate(divide="ignore"):
        r = nd.asarray([1.0]) / 0.0
    assert np.isinf(np.asarray(r)).all()
    x = nd.arange(6)[:, nd.newaxis]
    assert x.shape == (6, 1)


def test_index_tricks():
    same(np.r_[1:4, 0, np.array([7, 8])], nd.r_[1:4, 0, nd.asarray([7, 8])])
    same(np.c_[np.array([1, 2]), np.array([3, 4])], nd.c_[nd.asarray([1, 2]), nd.asarray([3, 4])])
    same(np.r_["0,2", [1, 2], [3, 4]], nd.r_["0,2", [1, 2], [3, 4]])
    same(np.mgrid[0:2, 0:3], nd.mgrid[0:2, 0:3])
    same(tuple(np.ogrid[0:2, 0:3]), tuple(nd.ogrid[0:2, 0:3]))
    same(np.mgrid[0:1:5j], nd.mgrid[0:1:5j])
    a = np.arange(12).reshape(3, 4)
    same(a[np.ix_([0, 2], [1, 3])], nd.asarray(a)[nd.ix_([0, 2], [1, 3])])
    # r_ with recorded gradients concatenates with ndgrad ops
    x = nd.asarray([1.0, 2.0], requires_grad=True)
    y = nd.r_[x, 3.0, x]
    assert y.requires_grad
    y.sum().backward()
    same(np.array([2.0, 2.0]), x.grad)


@settings(max_examples=15)
@given(x=mats, data=st.data())
def test_shape_functions_random(x, data):
    ax = data.draw(st.integers(-x.ndim, x.ndim - 1), label="axis")
    n = x.shape[ax]
    a = nd.asarray(x)
    same(np.concatenate([x, x], axis=ax), nd.concatenate([a, a], axis=ax), exact_text=False)
    same(np.array_split(x, 2, axis=ax), nd.array_split(a, 2, axis=ax), exact_text=False)
    k = data.draw(st.integers(0, n), label="index")
    same(np.insert(x, k, 7.5, axis=ax), nd.insert(a, k, 7.5, axis=ax), exact_text=False)
    if n > 0:
        d = data.draw(st.integers(0, n - 1), label="delete")
        same(np.delete(x, d, axis=ax), nd.delete(a, d, axis=ax), exact_text=False)
    pw = data.draw(st.integers(0, 2), label="pad")
    mode = data.draw(st.sampled_from(["constant", "edge", "wrap", "symmetric"]), label="mode")
    same(np.pad(x, pw, mode=mode), nd.pad(a, pw, mode=mode), exact_text=False)
    same(np.moveaxis(x, ax, 0), nd.moveaxis(a, ax, 0), exact_text=False)
    same(np.roll(x, 2, axis=ax), nd.roll(a, 2, axis=ax), exact_text=False)
    same(np.repeat(x, 2, axis=ax), nd.repeat(a, 2, axis=ax), exact_text=False)
    same(np.tile(x, (2,) * x.ndim), nd.tile(a, (2,) * x.ndim), exact_text=False)
    same(np.expand_dims(x, ax), nd.expand_dims(a, ax), exact_text=False)
    same(np.flip(x, ax), nd.flip(a, ax), exact_text=False)
    same(np.atleast_3d(x), nd.atleast_3d(a), exact_text=False)


def test_non_numeric_data_gets_numpys_arrays():
    # strings, dates and records are not ndgrad data: every NumPy name given them (or a
    # dtype of them) gives NumPy's arrays (printing as NumPy's); the standard layer
    # underneath refuses them (tests/test_core.py)
    dates = nd.arange("2016-07", "2016-08", dtype="datetime64[D]")
    assert isinstance(dates, np.ndarray)
    assert str(dates) == str(np.arange("2016-07", "2016-08", dtype="datetime64[D]"))
    assert isinstance(nd.array(["a", "b"]), np.ndarray)
    z = nd.zeros(2, [("position", float, 2), ("color", int)])
    assert str(z) == str(np.zeros(2, [("position", float, 2), ("color", int)]))
    assert isinstance(nd.asarray(["a", "b"]), np.ndarray)
    assert repr(nd.full(2, "ab")) == repr(np.full(2, "ab"))
    assert repr(nd.zeros(2, dtype="U2")) == repr(np.zeros(2, dtype="U2"))
    assert isinstance(nd.arange(3), nd.Array) and isinstance(nd.array([1.5]), nd.Array)


@pytest.mark.parametrize("args,kwargs", [((5,), {}), ((1, 2, 0.25), {}), ((10, 0, -2), {}),
                                         ((1.0, 4.0), {}), ((3,), {"dtype": float}),
                                         ((5,), {"step": 2}), ((1, 10, 3), {"dtype": "int32"})])
def test_arange_matches_numpy_on_both_backends(args, kwargs):
    same(np.arange(*args, **kwargs), nd.arange(*args, **kwargs))
    same(np.arange(*args, **kwargs), nd.arange(*args, **kwargs, device="strict"),
         exact_text=False)


def test_numpy_only_names_hand_strings_and_records_to_numpy():
    assert nd.unique(["b", "a", "b"]).tolist() == ["a", "b"]
    got = nd.concatenate([np.array(["a"]), np.array(["b"])])
    assert isinstance(got, np.ndarray) and got.tolist() == ["a", "b"]
    z = np.random.default_rng(0).integers(0, 2, (6, 3))
    rows = nd.ascontiguousarray(nd.asarray(z)).view(np.dtype((np.void, 8 * 3)))
    _, idx = nd.unique(rows, return_index=True)
    same(np.unique(z, axis=0), nd.unique(nd.asarray(z)[idx], axis=0))
    # the standard's names too, as NumPy's (np.sort of strings, of records by field)
    assert nd.sort(["b", "a"]).tolist() == ["a", "b"]
    rec = np.array([(1, 2.5), (2, 0.5)], dtype=[("a", "i8"), ("b", "f8")])
    assert nd.sort(rec, order="b")["a"].tolist() == [2, 1]


# NumPy's C functions read an axis as a C integer and refuse a bool; Python's
# operator.index (ndgrad's axis normalization) takes True as 1. Each call below raised in
# NumPy and returned an array in ndgrad before the check.
_BOOL_AXIS_CALLS = {
    "transpose": lambda m, a: m.transpose(a, (True, False)),
    "x.transpose": lambda m, a: m.asarray(a).transpose(True, False),
    "squeeze": lambda m, a: m.squeeze(a, axis=False),
    "x.squeeze": lambda m, a: m.asarray(a).squeeze(np.True_),
    "concatenate": lambda m, a: m.concatenate([a, a], axis=True),
    "cumsum": lambda m, a: m.cumsum(a, axis=True),
    "cumprod": lambda m, a: m.cumprod(a, axis=np.True_),
    "nancumsum": lambda m, a: m.nancumsum(a, axis=True),
    "trapezoid": lambda m, a: m.trapezoid(a, axis=True),
}


@pytest.mark.parametrize("name", sorted(_BOOL_AXIS_CALLS))
def test_a_boolean_axis_is_refused_where_numpy_refuses_it(name):
    call = _BOOL_AXIS_CALLS[name]
    x = np.ones((1, 3))
    with pytest.raises(TypeError) as np_err:
        call(np, x)
    with pytest.raises(TypeError) as nd_err:
        call(nd, nd.asarray(x))
    assert str(nd_err.value) == str(np_err.value)
    # the integers themselves still work, as NumPy's
    assert nd.transpose(nd.asarray(x), (np.int8(1), 0)).shape == (3, 1)

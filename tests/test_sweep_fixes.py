"""Pins the semantics of the fast paths the per-function timing sweep (benchmarks/sweep.py)
led to: each fixed function must still give NumPy's exact values (bits of signed zeros,
NaN placement, tie order where NumPy guarantees or fixes it, dtypes, empty and 0-d shapes)
and its gradients."""
import math

import numpy as np
import pytest
from hypothesis import given, strategies as st
from hypothesis.extra import numpy as hnp

import ndgrad as nd
from helpers import hyp  # noqa: E402

DTYPES = ["bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
          "float16", "float32", "float64", "complex64", "complex128"]
_SPECIAL = [0.0, -0.0, 1.0, -1.0, 2.5, math.nan, math.inf, -math.inf]


def _elements(dtype):
    d = np.dtype(dtype)
    if d.kind == "b":
        return st.booleans()
    if d.kind in "iu":
        info = np.iinfo(d)
        return st.sampled_from([0, 1, 2, int(info.max), int(info.min)]) | st.integers(
            int(info.min), int(info.max))
    if d.kind == "f":
        return st.sampled_from(_SPECIAL)     # few values: many ties, -0.0 beside 0.0, NaN
    return st.builds(complex, st.sampled_from(_SPECIAL), st.sampled_from(_SPECIAL))


def _arrays(dtype, min_dims=1):
    return hnp.arrays(dtype, hnp.array_shapes(min_dims=min_dims, max_dims=3, min_side=0,
                                              max_side=40), elements=_elements(dtype))


def assert_bits_equal(got, want):
    """Same dtype, shape and values, signs of zeros included, NaN where NaN is (an ndgrad
    array that records a gradient is compared through ``detach()``)."""
    got = np.asarray(got.detach() if isinstance(got, nd.Array) else got)
    want = np.asarray(want)
    assert got.dtype == want.dtype, (got.dtype, want.dtype)
    assert got.shape == want.shape, (got.shape, want.shape)
    if want.dtype.kind in "fc":
        for g, w in ((got.real, want.real), (got.imag, want.imag)):
            same = ((g == w) & (np.signbit(g) == np.signbit(w))) | (np.isnan(g) & np.isnan(w))
            assert same.all(), (got, want)
    else:
        np.testing.assert_array_equal(got, want)


# -- sort / argsort: NumPy's default is its fast unstable sort, not the stable merge sort --
KINDS = [{}, {"kind": "quicksort"}, {"kind": "stable"}, {"kind": "mergesort"},
         {"stable": True}, {"stable": False}]


@pytest.mark.parametrize("dtype", DTYPES)
@hyp()
@given(data=st.data())
def test_sort_and_argsort_are_numpys_bit_for_bit(dtype, data):
    x = data.draw(_arrays(dtype))
    kw = data.draw(st.sampled_from(KINDS))
    axis = data.draw(st.integers(-x.ndim, x.ndim - 1) | st.none())
    a = nd.asarray(x)
    assert_bits_equal(nd.sort(a, axis=axis, **kw), np.sort(x, axis=axis, **kw))
    # argsort's default is the standard's stable order (a departure: NumPy's is unspecified)
    akw = kw or {"kind": "stable"}
    assert_bits_equal(nd.argsort(a, axis=axis, **kw), np.argsort(x, axis=axis, **akw))
    # the methods take the same keywords
    assert_bits_equal(a.argsort(axis=-1, **kw), x.argsort(axis=-1, **akw))
    b, y = nd.asarray(x.copy()), x.copy()
    b.sort(axis=-1, **kw)
    y.sort(axis=-1, **kw)
    assert_bits_equal(b, y)


def test_sort_places_nan_last_and_keeps_signed_zeros_in_stable_order():
    x = np.array([0.0, np.nan, -0.0, -np.inf, 0.0, -0.0, np.inf, 1.0, np.nan])
    got = np.asarray(nd.sort(nd.asarray(x), stable=True))
    np.testing.assert_array_equal(np.signbit(got), np.signbit(np.sort(x, kind="stable")))
    assert np.isnan(got[-2:]).all() and got[0] == -np.inf and got[-3] == np.inf
    np.testing.assert_array_equal(np.signbit(got[1:5]), [False, True, False, True])
    # descending and stable: NaN last as NumPy 2.5's, equal values in their original
    # order too
    got = np.asarray(nd.sort(nd.asarray(x), stable=True, descending=True))
    assert np.isnan(got[-2:]).all() and got[0] == np.inf and got[-3] == -np.inf
    zeros = got[(got == 0)]
    np.testing.assert_array_equal(np.signbit(zeros), [False, True, False, True])


def test_argsort_stable_keeps_equal_keys_in_order_also_descending():
    x = nd.asarray([2, 1, 2, 1, 2, 0])
    np.testing.assert_array_equal(nd.argsort(x, stable=True), [5, 1, 3, 0, 2, 4])
    np.testing.assert_array_equal(nd.argsort(x, kind="stable", descending=True),
                                  [0, 2, 4, 1, 3, 5])


def test_sort_kind_errors_are_numpys():
    x = nd.asarray([2.0, 1.0])
    with pytest.raises(ValueError, match="sort kind must be one of"):
        nd.sort(x, kind="bogo")
    with pytest.raises(ValueError, match="can't be provided at the same time"):
        nd.argsort(x, kind="stable", stable=True)
    with pytest.raises(np.exceptions.AxisError):
        nd.sort(nd.asarray(1.0))
    np.testing.assert_array_equal(nd.argsort(nd.asarray(1.0)), np.argsort(np.float64(1.0)))


@pytest.mark.parametrize("kw", [{}, {"stable": True}, {"descending": True}])
def test_sort_gradient_after_the_fast_path(kw):
    rng = np.random.default_rng(1)
    x = nd.asarray(rng.permutation(12).reshape(3, 4) * 0.5 - 2.0)
    nd.check_grads(lambda v: nd.sort(v, axis=0, **kw), x, order=2)
    # ties: the cotangents go to the tied inputs in their original order (as JAX)
    w = nd.asarray([1.0, 10.0, 100.0])
    g = nd.grad(lambda v: nd.sum(nd.sort(v) * w))(nd.asarray([5.0, 5.0, 1.0]))
    np.testing.assert_array_equal(g, [10.0, 100.0, 1.0])


# -- empty / empty_like: NumPy's uninitialised memory, not a zero-filled pass ----------------
@pytest.mark.parametrize("dtype", DTYPES)
def test_empty_and_empty_like_keep_numpys_shape_dtype_and_layout(dtype):
    for order in "CF":
        e, want = nd.empty((3, 4), dtype=dtype, order=order), np.empty((3, 4), dtype, order)
        assert isinstance(e, nd.Array)
        assert (e.shape, e.dtype, e.flags["F_CONTIGUOUS"], e.flags["C_CONTIGUOUS"]) == (
            want.shape, want.dtype, want.flags["F_CONTIGUOUS"], want.flags["C_CONTIGUOUS"])
    proto = np.asfortranarray(np.ones((2, 3), dtype))
    for kw in ({}, {"dtype": "float32"}, {"shape": (5,)}, {"order": "C"}):
        e, want = nd.empty_like(nd.asarray(proto), **kw), np.empty_like(proto, **kw)
        assert (e.shape, e.dtype, e.strides) == (want.shape, want.dtype, want.strides)
    e = nd.empty(0, dtype=dtype)
    assert e.shape == (0,) and e.dtype == np.dtype(dtype)
    e = nd.empty((), dtype=dtype)
    e[()] = 1
    assert_bits_equal(e, np.ones((), dtype))


# -- floor_divide: the eager fast path checks for infinities instead of dividing twice ------
@pytest.mark.parametrize("dtype", ["float16", "float32", "float64", "int8", "uint16",
                                   "int64"])
@hyp()
@given(data=st.data())
def test_floor_divide_fast_path_keeps_the_standards_special_cases(dtype, data):
    shape = data.draw(hnp.array_shapes(min_dims=0, max_dims=2, min_side=0, max_side=6))
    elements = _elements(dtype).filter(lambda v: np.dtype(dtype).kind == "f" or v != 0)
    x1 = data.draw(hnp.arrays(dtype, shape, elements=_elements(dtype)))
    x2 = data.draw(hnp.arrays(dtype, shape, elements=elements))
    with np.errstate(all="ignore"):
        want = np.floor_divide(x1, x2)
        if want.dtype.kind == "f":       # the standard's rule at infinite operands
            inf = np.isinf(x1) | np.isinf(x2)
            want = np.where(inf, x1 / x2, want).astype(want.dtype)
        got = nd.floor_divide(nd.asarray(x1), nd.asarray(x2))
        assert_bits_equal(got, want)
        if x1.ndim and x1.dtype.kind == "f":
            y = nd.asarray(x1.copy())
            y //= nd.asarray(x2)                           # the in-place path
            assert_bits_equal(y, want)
            assert_bits_equal(nd.floor_divide(nd.asarray(x1), math.inf),
                              (x1 / math.inf).astype(x1.dtype))   # every case is special


# -- delete / insert: slices joined by one concat instead of a gather or a sort ---------------
def _obj(data, n):
    small = st.integers(-n, n - 1) if n else st.nothing()
    return data.draw(st.one_of(
        small, st.lists(small, max_size=5), st.lists(small, min_size=20, max_size=40),
        st.builds(slice, st.integers(-n - 1, n + 1) | st.none(),
                  st.integers(-n - 1, n + 1) | st.none(), st.sampled_from([None, 1, 2, -1])),
        hnp.arrays(bool, n)))


@hyp()
@given(data=st.data())
def test_delete_is_numpys(data):
    x = data.draw(hnp.arrays("float64", hnp.array_shapes(min_dims=1, max_dims=3, max_side=30),
                             elements=st.sampled_from(_SPECIAL)))
    axis = data.draw(st.none() | st.integers(-x.ndim, x.ndim - 1))
    n = x.size if axis is None else x.shape[axis]
    obj = _obj(data, n)
    with np.errstate(all="ignore"):
        want = np.delete(x, obj, axis=axis)
    got = nd.delete(nd.asarray(x), obj, axis=axis)
    assert_bits_equal(got, want)
    # the recorded path (slices joined by one concat): NumPy's values too
    assert_bits_equal(nd.delete(nd.asarray(x, requires_grad=True), obj, axis=axis), want)


@hyp()
@given(data=st.data())
def test_insert_is_numpys(data):
    x = data.draw(hnp.arrays("int32", hnp.array_shapes(min_dims=1, max_dims=2, max_side=20)))
    axis = data.draw(st.none() | st.integers(-x.ndim, x.ndim - 1))
    n = x.size if axis is None else x.shape[axis]
    obj = data.draw(st.integers(-n, n) | st.lists(st.integers(-n, n), min_size=1, max_size=20)
                    | st.just([0]))
    values = data.draw(st.sampled_from([7, 2.5, [1, 2, 3], [[5], [6]]]))
    try:
        want = np.insert(x, obj, values, axis=axis)
    except (ValueError, IndexError) as e:
        with pytest.raises(type(e)):
            nd.insert(nd.asarray(x), obj, values, axis=axis)
        return
    assert_bits_equal(nd.insert(nd.asarray(x), obj, values, axis=axis), want)
    # the recorded path (slices joined by one concat): NumPy's values too
    xf = x.astype(np.float64)
    assert_bits_equal(nd.insert(nd.asarray(xf, requires_grad=True), obj, values, axis=axis),
                      np.insert(xf, obj, values, axis=axis))


def test_delete_insert_give_new_arrays_and_gradients():
    x = nd.asarray(np.arange(12.0).reshape(3, 4))
    d = nd.delete(x, [0, 1], axis=0)                 # one run: still a copy, never a view
    d[...] = -1.0
    np.testing.assert_array_equal(x, np.arange(12.0).reshape(3, 4))
    w = nd.arange(14.0)
    g = nd.grad(lambda t: nd.sum(nd.insert(t, [1, 2], 5.0) * w))(nd.asarray(np.arange(12.0)))
    np.testing.assert_array_equal(g, [0, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13])
    g = nd.grad(lambda t: nd.sum(nd.delete(t, [1, 2]) * nd.arange(10.0)))(
        nd.asarray(np.arange(12.0)))
    np.testing.assert_array_equal(g, [0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    with pytest.raises(IndexError, match="index 5 is out of bounds for axis 0 with size 5"):
        nd.delete(nd.arange(5), 5)


# -- order statistics, nanmax/nanmin, partition, interp: NumPy's own function where no
# gradient is recorded; the differentiable composition (still NumPy's values) otherwise --
_ORDER_STATS = [("median", None, {}), ("nanmedian", None, {}), ("quantile", 0.3, {}),
                ("quantile", [0.0, 0.5, 1.0], {"method": "lower"}),
                ("nanquantile", 0.75, {"method": "nearest"}), ("percentile", 50, {}),
                ("percentile", [10, 90], {"method": "midpoint"}),
                ("nanpercentile", 25.0, {}), ("nanmax", None, {}), ("nanmin", None, {})]


def _zeros_folded_if_mixed(x, got, want):
    """``got``, ``want`` as they are, or with the signs of their zeros folded when ``x`` holds
    both +0.0 and -0.0: those are equal keys, and which one an order statistic lands on is
    the selection algorithm's (NumPy partitions, the differentiable path sorts)."""
    z = np.signbit(x[x == 0])
    if z.any() and not z.all():
        return np.asarray(getattr(got, "detach", lambda: got)()) + 0.0, np.asarray(want) + 0.0
    return got, want


@pytest.mark.parametrize("name,q,kw", _ORDER_STATS)
@pytest.mark.parametrize("dtype", ["float16", "float32", "float64", "int16", "uint8"])
@hyp()
@given(data=st.data())
def test_order_statistics_are_numpys_with_and_without_recording(name, q, kw, dtype, data):
    x = data.draw(hnp.arrays(dtype, hnp.array_shapes(min_dims=1, max_dims=3, min_side=1,
                                                     max_side=7), elements=_elements(dtype)))
    axis = data.draw(st.none() | st.integers(-x.ndim, x.ndim - 1))
    keepdims = data.draw(st.booleans())
    args = () if q is None else (q,)
    with np.errstate(all="ignore"), pytest.warns() if False else _quiet():
        want = getattr(np, name)(x, *args, axis=axis, keepdims=keepdims, **kw)
        got = getattr(nd, name)(nd.asarray(x), *args, axis=axis, keepdims=keepdims, **kw)
        assert isinstance(got, nd.Array)
        assert_bits_equal(got, want)
        if x.dtype.kind == "f":                        # the recorded, differentiable path
            t = nd.asarray(x, requires_grad=True)
            rec = getattr(nd, name)(t, *args, axis=axis, keepdims=keepdims, **kw)
            assert_bits_equal(*_zeros_folded_if_mixed(x, rec, want))


def _quiet():
    import warnings
    w = warnings.catch_warnings()
    w.__enter__()
    warnings.simplefilter("ignore")

    class _Exit:
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            w.__exit__(*exc)
    return _Exit()


@hyp()
@given(data=st.data())
def test_partition_is_numpys_arrangement_and_keeps_its_gradient(data):
    x = data.draw(hnp.arrays("float64", hnp.array_shapes(min_dims=1, max_dims=2, max_side=20),
                             elements=st.sampled_from(_SPECIAL) | st.floats(-5, 5)))
    axis = data.draw(st.integers(-x.ndim, x.ndim - 1))
    kth = data.draw(st.integers(0, x.shape[axis] - 1))
    assert_bits_equal(nd.partition(nd.asarray(x), kth, axis=axis), np.partition(x, kth, axis=axis))
    assert_bits_equal(nd.partition(nd.asarray(x), kth, axis=None), np.partition(x, kth, axis=None)
                      ) if kth < x.size else None
    t = nd.asarray(x, requires_grad=True)           # recorded: the same k-th element
    got = np.asarray(nd.partition(t, kth, axis=axis).detach())
    assert_bits_equal(*_zeros_folded_if_mixed(
        x, np.take(got, [kth], axis=axis), np.take(np.partition(x, kth, axis=axis), [kth],
                                                   axis=axis)))
    g = nd.grad(lambda v: nd.sum(nd.partition(v, kth, axis=axis)))(nd.asarray(x))
    np.testing.assert_array_equal(g, np.ones_like(x))


@hyp()
@given(data=st.data())
def test_interp_is_numpys_with_and_without_recording(data):
    xp = np.unique(data.draw(hnp.arrays("float64", st.integers(1, 8),
                                        elements=st.floats(-10, 10))))
    fp = data.draw(hnp.arrays("float64", xp.shape, elements=st.sampled_from(_SPECIAL[:5])
                              | st.floats(-5, 5)))
    x = data.draw(hnp.arrays("float64", st.integers(0, 10),
                             elements=st.floats(-12, 12) | st.sampled_from(list(xp) + [
                                 math.nan, math.inf]) if xp.size else st.floats(-1, 1)))
    left = data.draw(st.none() | st.just(-7.5))
    want = np.interp(x, xp, fp, left=left)
    assert_bits_equal(nd.interp(nd.asarray(x), nd.asarray(xp), nd.asarray(fp), left=left), want)
    assert_bits_equal(nd.interp(nd.asarray(x), nd.asarray(xp), nd.asarray(fp, requires_grad=True),
                                left=left), want)


def test_interp_and_median_still_differentiate():
    xp, fp = nd.asarray([1.0, 2.0, 3.0]), nd.asarray([3.0, 2.0, 0.0])
    g = nd.grad(lambda t: nd.sum(nd.interp(t, xp, fp)))(nd.asarray([1.5, 2.5]))
    np.testing.assert_array_equal(g, [-1.0, -2.0])
    g = nd.grad(lambda t: nd.median(t))(nd.asarray([3.0, 1.0, 2.0, 10.0]))
    np.testing.assert_array_equal(g, [0.5, 0.0, 0.5, 0.0])
    g = nd.grad(lambda t: nd.nanmax(t))(nd.asarray([3.0, np.nan, 5.0]))
    np.testing.assert_array_equal(g, [0.0, 0.0, 1.0])


@hyp()
@given(data=st.data())
def test_choose_is_numpys_with_and_without_recording(data):
    n = data.draw(st.integers(1, 4))
    shape = data.draw(hnp.array_shapes(min_dims=0, max_dims=2, min_side=0, max_side=5))
    mode = data.draw(st.sampled_from(["raise", "wrap", "clip"]))
    idx = data.draw(hnp.arrays("int64", shape, elements=st.integers(-1 if mode != "raise" else 0,
                                                                    n if mode != "raise"
                                                                    else n - 1)))
    choices = [data.draw(hnp.arrays("float64", shape, elements=st.sampled_from(_SPECIAL)))
               for _ in range(n)]
    want = np.choose(idx, choices, mode=mode)
    assert_bits_equal(nd.choose(nd.asarray(idx), [nd.asarray(c) for c in choices], mode=mode),
                      want)
    recorded = [nd.asarray(c, requires_grad=True) for c in choices]
    assert_bits_equal(nd.choose(nd.asarray(idx), recorded, mode=mode), want)


# -- repeat, pad, resize, nanmean/nanvar/nanstd: NumPy's own where nothing is recorded ------
_SHAPE_FNS = [("repeat", (2,), {}), ("repeat", (3,), {"axis": 0}), ("pad", (1,), {}),
              ("pad", ((1, 2),), {"mode": "edge"}), ("pad", (2,), {"mode": "wrap"}),
              ("pad", (1,), {"constant_values": -0.0}), ("resize", ((3, 5),), {}),
              ("nanmean", (), {"axis": 0}), ("nanvar", (), {"ddof": 1}),
              ("nanstd", (), {"axis": -1, "keepdims": True}), ("nanvar", (), {"correction": 0}),
              ("tile", ((2, 1),), {}), ("tile", (3,), {})]


@pytest.mark.parametrize("name,args,kw", _SHAPE_FNS)
@hyp()
@given(data=st.data())
def test_numpy_fast_paths_match_the_recorded_paths_and_numpy(name, args, kw, data):
    dtype = data.draw(st.sampled_from(["float32", "float64"]))
    x = data.draw(hnp.arrays(dtype, hnp.array_shapes(min_dims=1, max_dims=2, min_side=1,
                                                     max_side=6), elements=_elements(dtype)))
    with np.errstate(all="ignore"), _quiet():
        want = getattr(np, name)(x, *args, **kw)
        assert_bits_equal(getattr(nd, name)(nd.asarray(x), *args, **kw), want)
        got = getattr(nd, name)(nd.asarray(x, requires_grad=True), *args, **kw)
    if name.startswith("nan"):                 # a sum in another order: to rounding
        np.testing.assert_allclose(np.asarray(got.detach()), want, rtol=2e-6 if dtype == "float32"
                                   else 1e-13, equal_nan=True)
    else:
        assert_bits_equal(got, want)


@hyp()
@given(data=st.data())
def test_vdot_and_vander_fast_paths_are_numpys(data):
    dtype = data.draw(st.sampled_from(["float64", "complex128", "int64", "float32"]))
    n = data.draw(st.integers(1, 8))
    x = data.draw(hnp.arrays(dtype, n, elements=_elements(dtype)))
    y = data.draw(hnp.arrays(dtype, n, elements=_elements(dtype)))
    with np.errstate(all="ignore"):
        assert_bits_equal(nd.vdot(nd.asarray(x), nd.asarray(y)), np.vdot(x, y))
        cols = data.draw(st.none() | st.integers(0, 5))
        inc = data.draw(st.booleans())
        assert_bits_equal(nd.vander(nd.asarray(x), cols, inc), np.vander(x, cols, inc))
        if x.dtype.kind == "f":                        # the recorded path: NumPy's values
            t = nd.asarray(x, requires_grad=True)
            assert_bits_equal(nd.vander(t, cols, inc), np.vander(x, cols, inc))


@pytest.mark.parametrize("dtype", ["float64", "float32", "int64", "int8", "complex128"])
@hyp()
@given(data=st.data())
def test_default_argsort_is_numpys_without_ties_and_stable_with_them(dtype, data):
    n = data.draw(st.integers(0, 300))
    distinct = np.random.default_rng(data.draw(st.integers(0, 99))).permutation(n)
    x = (distinct - n // 2).astype(dtype)
    if data.draw(st.booleans()) and n > 3:          # ties, -0.0 beside 0.0, NaNs
        k = data.draw(st.integers(1, 3))
        x[:k] = x[-k:]
        if x.dtype.kind in "fc" and data.draw(st.booleans()):
            x[k] = np.nan
            x[-1] = np.nan
            x[1] = -0.0
    x = x.reshape(data.draw(st.sampled_from([(-1,), (1, -1)])))
    got = nd.argsort(nd.asarray(x))
    assert_bits_equal(got, np.argsort(x, kind="stable"))
    if np.unique(x).size == x.size and not (x.dtype.kind in "fc" and np.isnan(x).any()):
        assert_bits_equal(got, np.argsort(x))       # no ties: NumPy's default indices too


# -- round 2: NumPy's own where nothing is recorded (unstack, the in-place writers, and
# compositions that cost extra passes) --------------------------------------------------
def _builtin_type(e):
    """The built-in exception class ``e`` is (NumPy's UFuncTypeError is a TypeError)."""
    return next(c for c in type(e).__mro__ if c.__module__ == "builtins")


def _same_or_same_error(np_call, nd_call):
    """``nd_call()`` gives ``np_call()``'s result bit for bit, or raises the same type."""
    with np.errstate(all="ignore"), _quiet():
        try:
            want = np_call()
        except Exception as e:                     # noqa: BLE001 (NumPy's own error)
            with pytest.raises(_builtin_type(e)):
                nd_call()
            return None
        got = nd_call()
    if isinstance(want, (tuple, list)):
        assert isinstance(got, tuple) and len(got) == len(want)
        for g, w in zip(got, want):
            assert isinstance(g, nd.Array)
            assert_bits_equal(g, w)
    else:
        assert isinstance(got, nd.Array)
        assert_bits_equal(got, want)
    return got


# name, draws (data, x) -> (args after x, kwargs), input dtypes
_ROUND2 = {
    "around": (lambda d, x: ((d.draw(st.sampled_from([-1, 1, 2])),), {}), DTYPES),
    "nan_to_num": (lambda d, x: ((), d.draw(st.sampled_from(
        [{}, {"nan": -1.5, "posinf": 7.0}, {"neginf": -0.0}]))), DTYPES),
    "sinc": (lambda d, x: ((), {}), DTYPES),
    "trapezoid": (lambda d, x: ((), d.draw(st.sampled_from(
        [{}, {"dx": 0.5}, {"axis": 0}, {"x": np.linspace(0.0, 1.0, x.shape[-1]) ** 2}]))),
        DTYPES),
    "append": (lambda d, x: ((d.draw(st.sampled_from([[1, 2], [-0.0], []])),), {}), DTYPES),
    "argmax": (lambda d, x: ((), {"axis": d.draw(st.none() | st.integers(-x.ndim, x.ndim - 1)),
                                  "keepdims": d.draw(st.booleans())}), DTYPES),
    "argmin": (lambda d, x: ((), {"axis": d.draw(st.none() | st.integers(-x.ndim, x.ndim - 1)),
                                  "keepdims": d.draw(st.booleans())}), DTYPES),
    "linalg.norm": (lambda d, x: ((), d.draw(st.sampled_from(
        [{}, {"ord": 1, "axis": -1}, {"ord": np.inf, "axis": 0}, {"ord": 0, "axis": -1},
         {"ord": 3, "axis": -1, "keepdims": True}, {"keepdims": True}]))),
        ["bool", "int16", "float16", "float32", "float64", "complex128"]),
    "extract": (lambda d, x: ((), {}), DTYPES),
    "ediff1d": (lambda d, x: ((), d.draw(st.sampled_from(
        [{}, {"to_end": [7, -0.0]}, {"to_begin": 2}, {"to_begin": [], "to_end": 1.5}]))),
        DTYPES),
    "compress": (lambda d, x: ((), {"axis": d.draw(st.none() | st.integers(-x.ndim,
                                                                           x.ndim - 1))}),
                 DTYPES),
    "average": (lambda d, x: ((), d.draw(st.sampled_from(
        [{}, {"axis": 0}, {"axis": -1, "keepdims": True}, {"returned": True},
         {"weights": np.arange(x.size, dtype=float).reshape(x.shape) % 3},
         {"axis": -1, "weights": np.linspace(1.0, 2.0, x.shape[-1]), "returned": True}]))),
        ["bool", "int32", "float16", "float32", "float64", "complex128"]),
    "clip": (lambda d, x: ((d.draw(st.sampled_from([None, 0.0, -1.0, 2, -300])),
                            d.draw(st.sampled_from([None, 1.0, 2.5, math.nan, 300]))), {}),
             DTYPES),
    "unwrap": (lambda d, x: ((), d.draw(st.sampled_from(
        [{}, {"axis": 0}, {"discont": 4.0}, {"period": 2.0}]))),
        ["int16", "float16", "float32", "float64"]),
    "unstack": (lambda d, x: ((), {"axis": d.draw(st.integers(-x.ndim, x.ndim - 1))}),
                DTYPES),
    "gradient": (lambda d, x: d.draw(st.sampled_from(
        [((), {}), ((0.5,), {"edge_order": 2}), ((), {"axis": -1}),
         ((np.cumsum(np.arange(1.0, x.shape[-1] + 1.0)) if x.ndim else 1.0,),
          {"axis": -1, "edge_order": d.draw(st.sampled_from([1, 2]))})])),
        ["bool", "int16", "float16", "float32", "float64", "complex128"]),
}


def _call(name, x, args, kw, lib, recorded=False):
    """``name`` called the test's way on NumPy (``lib`` np) or ndgrad; ``recorded``: ``x``
    requires grad (the differentiable composition runs)."""
    f = getattr(lib.linalg, name[7:]) if name.startswith("linalg.") else getattr(lib, name)
    conv = (lambda v: v) if lib is np else nd.asarray
    xx = x if lib is np else nd.asarray(x, requires_grad=recorded)
    if name == "extract":                               # (condition, arr)
        return f(conv(x != 0), xx)
    if name == "compress":                              # (condition along axis, a)
        n = x.size if kw["axis"] is None else x.shape[kw["axis"]]
        return f(conv(np.arange(n) % 3 != 1), xx, **kw)
    kw = {k: conv(v) if isinstance(v, np.ndarray) else v for k, v in kw.items()}
    return f(xx, *args, **kw)


@pytest.mark.parametrize("name", sorted(_ROUND2))
@hyp()
@given(data=st.data())
def test_round2_fast_paths_are_numpys_with_and_without_recording(name, data):
    draw_args, dtypes = _ROUND2[name]
    dtype = data.draw(st.sampled_from(dtypes))
    x = data.draw(_arrays(dtype))
    args, kw = draw_args(data, x)
    got = _same_or_same_error(lambda: _call(name, x, args, kw, np),
                              lambda: _call(name, x, args, kw, nd))
    if got is None or x.dtype.kind not in "f":
        return
    # the recorded (differentiable) composition: NumPy's values to rounding
    with np.errstate(all="ignore"), _quiet():
        want = _call(name, x, args, kw, np)
        rec = _call(name, x, args, kw, nd, recorded=True)
    for g, w in zip(rec if isinstance(rec, tuple) else (rec,),
                    want if isinstance(want, tuple) else (want,)):
        w = np.asarray(w)
        assert np.asarray(g.detach()).shape == w.shape
        np.testing.assert_allclose(np.asarray(g.detach()).astype(w.dtype), w,
                                   rtol=2e-3 if x.dtype == np.float16 else 1e-5, atol=1e-300,
                                   equal_nan=True)


@pytest.mark.parametrize("dtype", ["bool", "int32", "uint8", "float32", "float64", "complex64"])
@hyp()
@given(data=st.data())
def test_poly_diag_meshgrid_fast_paths_are_numpys(dtype, data):
    a = data.draw(hnp.arrays(dtype, st.integers(0, 9), elements=_elements(dtype)))
    b = data.draw(hnp.arrays(dtype, st.integers(0, 9), elements=_elements(dtype)))
    k = data.draw(st.integers(-3, 3))
    cases = [("polyadd", (a, b), {}), ("polysub", (a, b), {}), ("polyval", (a, b), {}),
             ("diag", (a, k), {}), ("diagflat", (a, k), {}),
             ("meshgrid", (a, b), {"indexing": data.draw(st.sampled_from(["xy", "ij"])),
                                   "sparse": data.draw(st.booleans())})]
    for name, args, kw in cases:
        if name == "polysub" and dtype == "bool":
            continue          # NumPy refuses boolean subtract: so does ndgrad (another error)
        ndargs = tuple(nd.asarray(v) if isinstance(v, np.ndarray) else v for v in args)
        _same_or_same_error(lambda: getattr(np, name)(*args, **kw),
                            lambda: getattr(nd, name)(*ndargs, **kw))


def test_round2_fast_paths_keep_their_gradients():
    rng = np.random.default_rng(3)
    x = nd.asarray(rng.uniform(0.2, 0.9, (3, 4)))
    v = nd.asarray(rng.uniform(0.2, 0.9, 5))
    for f in (lambda t: nd.around(t * 3.0, 1) + t, lambda t: nd.nan_to_num(t),
              lambda t: nd.sinc(t), lambda t: nd.trapezoid(t, axis=0),
              lambda t: nd.trapezoid(t, x=nd.asarray([0.0, 0.1, 0.5, 0.6])),
              lambda t: nd.append(t, [1.0, 2.0]), lambda t: nd.linalg.norm(t),
              lambda t: nd.linalg.norm(t, ord=3, axis=1), lambda t: nd.extract(t > 0.5, t),
              lambda t: nd.stack(nd.unstack(t, axis=1)[::-1]) * 2.0,
              lambda t: nd.meshgrid(t[0], t[1])[1], lambda t: nd.diagflat(t, 1),
              lambda t: nd.clip(t, 0.4, 0.8), lambda t: nd.unwrap(t * 9.0, axis=0),
              lambda t: nd.delete(t, [0, 2], axis=1), lambda t: nd.insert(t, 1, 5.0),
              lambda t: nd.ediff1d(t, to_begin=[1.0]), lambda t: nd.compress([1, 0, 1], t, 0),
              lambda t: nd.average(t, axis=0, weights=nd.asarray([1.0, 2.0, 3.0]))):
        nd.check_grads(f, x, order=1)
    for f in (lambda t: nd.polyadd(t, v[:2]), lambda t: nd.polysub(v[:2], t),
              lambda t: nd.polyval(t, v), lambda t: nd.polyval(v[:3], t)):
        nd.check_grads(f, v, order=1)


def test_unstack_gives_views_that_writes_keep_right():
    x = nd.asarray(np.arange(24.0).reshape(2, 3, 4))
    for axis in (0, 1, 2, -1):
        parts = nd.unstack(x, axis=axis)
        want = np.unstack(np.arange(24.0).reshape(2, 3, 4), axis=axis)
        assert len(parts) == len(want)
        for p, w in zip(parts, want):
            assert_bits_equal(p, w)
    # a write through a slice reaches x, and one into x reaches the slice (NumPy's views)
    rows = nd.unstack(x, axis=1)
    rows[1][0, 0] = -5.0
    assert x[0, 1, 0] == -5.0
    x[1, 1, 3] = 7.0
    assert rows[1][1, 3] == 7.0
    # a buffer a recorded rule reads is moved onto a copy first: the gradient keeps the
    # forward's values, the slices still alias x
    t = nd.asarray(np.arange(6.0).reshape(2, 3), requires_grad=True)
    y = t * 1.0
    loss = nd.sum(y * y)
    with nd.no_grad():
        cols = nd.unstack(y, axis=1)
        cols[0][...] = 100.0
    assert y[0, 0] == 100.0 and y[1, 0] == 100.0
    loss.backward()
    np.testing.assert_array_equal(t.grad, 2.0 * np.arange(6.0).reshape(2, 3))
    # empty axes, 1-D input (0-d arrays, as the general path), 0-d refused
    assert nd.unstack(nd.zeros((0, 3))) == ()
    assert [p.shape for p in nd.unstack(nd.zeros((2, 0)))] == [(0,), (0,)]
    one = nd.unstack(nd.asarray([1.5, -0.0]))
    assert [p.shape for p in one] == [(), ()] and np.signbit(one[1])
    with pytest.raises(ValueError):
        nd.unstack(nd.asarray(1.0))


# the in-place writers: NumPy's own into the buffer when the write is not recorded
_WRITERS = ["put", "putmask", "place", "put_along_axis"]


def _writer_args(name, data, x):
    n = x.size
    v = data.draw(st.lists(st.sampled_from(_SPECIAL[:6]), min_size=1, max_size=5))
    if name == "put":
        mode = data.draw(st.sampled_from(["raise", "wrap", "clip"]))
        span = (-n, n - 1) if mode == "raise" else (-2 * n - 1, 2 * n + 1)
        ind = data.draw(st.lists(st.integers(*span), max_size=8)) if n else []
        if n and data.draw(st.booleans()):
            ind = ind + [n + 3]                      # out of bounds: raise refuses it
        return (ind, v), {"mode": mode}
    if name in ("putmask", "place"):
        return (data.draw(hnp.arrays(bool, x.shape)), v), {}
    ax = data.draw(st.integers(-x.ndim, x.ndim - 1))
    m = x.shape[ax]
    shape = list(x.shape)
    shape[ax] = data.draw(st.integers(1, 3))
    idx = data.draw(hnp.arrays("int64", tuple(shape), elements=st.integers(
        -m, m if m else 0)))                        # m: out of bounds, refused
    return (idx, v[0]), {"axis": ax}


@pytest.mark.parametrize("target", ["ndgrad", "numpy"])
@pytest.mark.parametrize("name", _WRITERS)
@pytest.mark.parametrize("dtype", ["bool", "int8", "uint16", "int64", "float32", "float64",
                                   "complex128"])
@hyp()
@given(data=st.data())
def test_inplace_writers_are_numpys_and_lose_nothing_on_error(target, name, dtype, data):
    x = data.draw(_arrays(dtype))
    args, kw = _writer_args(name, data, x)
    # into an ndgrad array, or into a plain NumPy one (index and values then as ndgrad
    # arrays or as given)
    a, want = (nd.asarray(x.copy()) if target == "ndgrad" else x.copy()), x.copy()
    as_nd = target == "ndgrad" or data.draw(st.booleans())
    ndargs = tuple(nd.asarray(u) if as_nd and isinstance(u, np.ndarray) else u for u in args)
    with np.errstate(all="ignore"), _quiet():
        try:
            getattr(np, name)(want, *args, **kw)
        except Exception as e:                      # noqa: BLE001
            with pytest.raises(_builtin_type(e)):
                getattr(nd, name)(a, *ndargs, **kw)
            assert_bits_equal(a, x)                 # nothing written (NumPy's put writes
            return                                  # the elements before a bad index)
        assert getattr(nd, name)(a, *ndargs, **kw) is None
    assert type(a) is (nd.Array if target == "ndgrad" else np.ndarray)
    assert_bits_equal(a, want)


@pytest.mark.parametrize("name", _WRITERS)
def test_inplace_writers_keep_views_saved_values_and_gradients(name):
    base = np.arange(12.0).reshape(3, 4)
    calls = {"put": ([0, 5], [-1.0, -2.0]), "putmask": (base > 6, [-1.0, -2.0]),
             "place": (base > 6, [-1.0, -2.0]),
             "put_along_axis": (np.array([[0], [1], [2]]), -1.0)}
    args = calls[name]
    kw = {"axis": 1} if name == "put_along_axis" else {}
    want = base.copy()
    getattr(np, name)(want, *args, **kw)
    # a view sees the write
    a = nd.asarray(base.copy())
    row = a[1]
    getattr(nd, name)(a, *args, **kw)
    assert_bits_equal(a, want)
    assert_bits_equal(row, want[1])
    # into a strided view: the writes reach the base, as NumPy's
    a, w = nd.asarray(base.copy()), base.copy()
    if name == "put_along_axis":
        args_v = (np.array([[1], [0], [1]]), -1.0)
    else:
        args_v = (args[0][:, ::2] if isinstance(args[0], np.ndarray) else args[0], args[1])
    getattr(nd, name)(a[:, ::2], *args_v, **kw)
    getattr(np, name)(w[:, ::2], *args_v, **kw)
    assert_bits_equal(a, w)
    # a saved buffer is copied first: the gradient is the forward's
    t = nd.asarray(base, requires_grad=True)
    y = t * 1.0
    loss = nd.sum(y * y)
    with nd.no_grad():
        getattr(nd, name)(y, *args, **kw)
    assert_bits_equal(y, want)
    loss.backward()
    np.testing.assert_array_equal(t.grad, 2.0 * base)
    # recorded: the written entries get no gradient, the values' gradient flows
    t = nd.asarray(base, requires_grad=True)
    vals = nd.asarray(np.atleast_1d(np.asarray(args[1], float)), requires_grad=True)
    y = t * 1.0
    getattr(nd, name)(y, args[0], vals if name != "put_along_axis" else vals[0], **kw)
    assert_bits_equal(y, want)
    nd.sum(y * y).backward()
    np.testing.assert_array_equal(t.grad, np.where(want == base, 2.0 * base, 0.0))
    assert np.all(np.asarray(vals.grad) != 0)
    # a leaf that requires grad is refused, as any write into it
    leaf = nd.asarray(base, requires_grad=True)
    with pytest.raises(RuntimeError, match="in-place"):
        getattr(nd, name)(leaf, *args, **kw)


@pytest.mark.parametrize("name,modes", [("convolve", ["full", "same", "valid"]),
                                        ("correlate", ["valid", "full", "same"]),
                                        ("polymul", [None])])
@pytest.mark.parametrize("dtype", ["int16", "float32", "float64", "complex128"])
@hyp()
@given(data=st.data())
def test_convolutions_are_numpys_bit_for_bit_also_recorded(name, modes, dtype, data):
    # NumPy's own loop's rounding (the differentiable composition's matmul rounds
    # otherwise): without recording NumPy's function, with it NumPy's value carrying the
    # composition's gradient
    el = (st.integers(-50, 50) if dtype == "int16" else
          st.floats(-3, 3, width=32 if dtype == "float32" else 64))
    a = data.draw(hnp.arrays(dtype, st.integers(0, 40), elements=el))
    v = data.draw(hnp.arrays(dtype, st.integers(0, 9), elements=el))
    mode = data.draw(st.sampled_from(modes))
    kw = {} if mode is None else {"mode": mode}
    f = getattr(nd, name)
    _same_or_same_error(lambda: getattr(np, name)(a, v, **kw),
                        lambda: f(nd.asarray(a), nd.asarray(v), **kw))
    if dtype in ("float32", "float64") and a.size and v.size:
        _same_or_same_error(lambda: getattr(np, name)(a, v, **kw),
                            lambda: f(nd.asarray(a, requires_grad=True), nd.asarray(v), **kw))


def test_convolutions_keep_their_gradients():
    rng = np.random.default_rng(5)
    a, v = nd.asarray(rng.normal(size=7)), nd.asarray(rng.normal(size=3))
    for mode in ("full", "same", "valid"):
        nd.check_grads(lambda s, t: nd.convolve(s, t, mode), a, v, order=1)
        nd.check_grads(lambda s, t: nd.correlate(s, t, mode), a, v, order=1)
    nd.check_grads(lambda s, t: nd.polymul(s, t), a, v, order=1)


@pytest.mark.parametrize("dtype", DTYPES)
def test_fortran_copies_are_numpys_layout_and_values(dtype):
    x = np.arange(24).reshape(2, 3, 4).astype(dtype)[:, ::-1]     # neither C nor F
    for src in (x, nd.asarray(x)):
        for kw in ({}, {"dtype": "float32"}, {"dtype": "complex128"}):
            got, want = nd.asfortranarray(src, **kw), np.asfortranarray(x, **kw)
            assert_bits_equal(got, want)
            assert got.strides == want.strides
        for ndmin in (0, 4, 5):
            got, want = nd.array(src, order="F", ndmin=ndmin), np.array(x, order="F",
                                                                         ndmin=ndmin)
            assert_bits_equal(got, want)
            assert got.strides == want.strides
    a = nd.asarray(x)
    f = nd.asfortranarray(a)
    f[0, 0, 0] = 1                                   # a copy: the source is untouched
    assert_bits_equal(a, x)
    if np.dtype(dtype).kind == "f":                  # recorded: the copy's gradient
        g = nd.grad(lambda t: nd.sum(nd.asfortranarray(t) * 2.0))(nd.asarray(x))
        np.testing.assert_array_equal(g, np.full(x.shape, 2.0, dtype))


@pytest.mark.parametrize("dtype", [None] + DTYPES)
def test_creation_fast_paths_are_numpys(dtype):
    proto = np.arange(24, dtype=np.float32).reshape(2, 3, 4).transpose(2, 0, 1)  # strided
    for fill in (2, -0.0, True, 1.5 - 2j, np.float32(3.25), np.int8(-7)):
        with _quiet(), np.errstate(all="ignore"):
            for order in ("C", "F"):
                _same_or_same_error(lambda: np.full((3, 2), fill, dtype, order),
                                    lambda: nd.full((3, 2), fill, dtype, order))
            _same_or_same_error(lambda: np.full((), fill, dtype), lambda: nd.full((), fill,
                                                                                   dtype))
            for p in (proto, proto[0], np.float64(2.0) * proto[..., 0, 0]):
                for kw in ({}, {"order": "C"}, {"shape": (5,)}, {"order": "F"}):
                    got = _same_or_same_error(
                        lambda: np.full_like(p, fill, dtype, **kw),
                        lambda: nd.full_like(nd.asarray(p), fill, dtype, **kw))
                    if got is not None:
                        assert got.strides == np.full_like(p, fill, dtype, **kw).strides
                    got = _same_or_same_error(lambda: np.ones_like(p, dtype, **kw),
                                              lambda: nd.ones_like(nd.asarray(p), dtype, **kw))
                    assert got.strides == np.ones_like(p, dtype, **kw).strides
    if dtype is None or np.dtype(dtype).kind in "iuf":
        for args in ((5,), (2, 9, 3), (1.5, 4.0, 0.5), (10, 0, -3)):
            _same_or_same_error(lambda: np.arange(*args, dtype=dtype),
                                lambda: nd.arange(*args, dtype=dtype))
    # 0-d creation prints as NumPy's does; results are fresh, writable arrays
    assert repr(nd.full((), 1.5)) == repr(np.full((), 1.5))
    a = nd.asarray(proto)
    o = nd.ones_like(a)
    o[0, 0, 0] = 9.0
    assert_bits_equal(a, proto)


def test_creation_fast_paths_inside_jit_and_on_another_default_device():
    @nd.jit
    def f(x):
        out = nd.full(x.shape, 2.0)        # a constant of the trace: writes of traced values
        out[0] = x[0] * 3.0
        return out + nd.ones_like(x) + nd.full_like(x, 0.5)
    x = nd.asarray([1.0, 2.0, 3.0])
    np.testing.assert_array_equal(f(x), [4.5, 3.5, 3.5])
    np.testing.assert_array_equal(f(nd.asarray([2.0, 0.0, 0.0])), [7.5, 3.5, 3.5])
    g = nd.grad(lambda t: nd.sum(f(t) * t))(x)          # d/dt0 (3 t0 + 1.5) t0 = 7.5
    np.testing.assert_array_equal(g, [7.5, 3.5, 3.5])
    # another default device: created arrays go there, not to NumPy
    a = nd.asarray([1.0, 2.0])
    old = nd.set_default_device("strict")
    try:
        for made in (nd.full(2, 1.5), nd.full((), np.float32(2)), nd.arange(3),
                     nd.ones_like(np.ones(2)), nd.full_like(np.ones(2), 7)):
            assert str(made.device) == "strict"
    finally:
        nd.set_default_device(old)
    assert str(nd.ones_like(a).device) == "cpu" and str(nd.full(2, 1.0).device) == "cpu"


def test_numpy_fast_paths_leave_traced_values_to_the_graph():
    # inside nd.jit an argument has no data to hand to NumPy: the standard's ops trace it
    @nd.jit
    def f(x):
        return (nd.argmax(x), nd.argmin(x), nd.ones_like(x) * nd.full_like(x, 2.0),
                nd.clip(x, 0.0, 1.5), nd.linalg.norm(x), nd.around(x, 1), nd.sinc(x),
                nd.nan_to_num(x), nd.trapezoid(x), nd.polyval(x, x), nd.average(x),
                nd.append(x, x))
    for v in ([1.0, 3.0, 2.0], [5.0, -1.0, 0.5]):
        x = np.asarray(v)
        am, an, c, cl, *rest = f(nd.asarray(x))
        want = (np.linalg.norm(x), np.around(x, 1), np.sinc(x), np.nan_to_num(x),
                np.trapezoid(x), np.polyval(x, x), np.average(x), np.append(x, x))
        for r, w in zip(rest, want):
            np.testing.assert_allclose(r, w, rtol=1e-14)
        assert int(am) == np.argmax(x) and int(an) == np.argmin(x)
        np.testing.assert_array_equal(c, np.full(3, 2.0))
        np.testing.assert_array_equal(cl, np.clip(x, 0.0, 1.5))


@pytest.mark.parametrize("dtype", ["int32", "float32", "float64", "complex128"])
def test_tensorsolve_is_numpys_and_keeps_its_gradient(dtype):
    rng = np.random.default_rng(11)
    a = (rng.normal(size=(6, 3, 2)) * 4).astype(dtype) + np.eye(6).reshape(6, 3, 2) * 9
    b = (rng.normal(size=6) * 4).astype(dtype)
    for axes in (None, (0,)):
        _same_or_same_error(lambda: np.linalg.tensorsolve(a, b, axes),
                            lambda: nd.linalg.tensorsolve(nd.asarray(a), nd.asarray(b), axes))
    if dtype == "float64":
        rec = nd.linalg.tensorsolve(nd.asarray(a, requires_grad=True), nd.asarray(b))
        np.testing.assert_allclose(rec.detach(), np.linalg.tensorsolve(a, b), rtol=1e-12)
        nd.check_grads(lambda s, t: nd.linalg.tensorsolve(s, t), nd.asarray(a),
                       nd.asarray(b), order=1)
    with pytest.raises(np.linalg.LinAlgError):
        nd.linalg.tensorsolve(nd.asarray(a[:5]), nd.asarray(b[:5]))


# -- argsort's default (stable) order for floats: positions carried in the sorted keys -----
from ndgrad._ops import stable_argsort as _sa  # noqa: E402


@pytest.fixture
def packed_always(monkeypatch):
    """Every float array of two elements or more takes the packed-key path."""
    monkeypatch.setattr(_sa, "PACKED_MIN_SIZE", 0)


def _assert_stable_argsort(x, axis):
    got = _sa.stable_argsort(x, axis)
    want = np.argsort(x, axis=axis, kind="stable")
    assert got.dtype == want.dtype and got.shape == want.shape
    assert got.flags.c_contiguous
    np.testing.assert_array_equal(got, want)


_FLOAT_SPECIAL = [0.0, -0.0, 1.0, -1.0, 2.5, -2.5, 5e-324, -5e-324, 1e308, -1e308,
                  math.inf, -math.inf, math.nan]


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
@hyp()
@given(data=st.data())
def test_packed_argsort_is_numpys_stable_argsort(packed_always, dtype, data):
    # few distinct values (ties, -0.0 beside 0.0, denormals, infinities, NaN), or any
    elements = st.sampled_from(_FLOAT_SPECIAL) | st.floats(width=np.dtype(dtype).itemsize * 8)
    x = data.draw(hnp.arrays(dtype, hnp.array_shapes(min_dims=1, max_dims=3, min_side=0,
                                                     max_side=30), elements=elements))
    axis = data.draw(st.integers(-x.ndim, x.ndim - 1))
    if data.draw(st.booleans()) and x.ndim > 1:
        x = x.swapaxes(0, -1)                       # a strided input
    _assert_stable_argsort(x, axis)
    assert_bits_equal(nd.argsort(nd.asarray(x), axis=axis), np.argsort(x, axis=axis,
                                                                       kind="stable"))


def _colliding(n, k, rng, sign=1.0):
    """n values of which k pairs agree in all but their lowest bits (the bits that carry
    the positions in the packed keys): distinct values whose keys collide."""
    x = rng.uniform(0.1, 0.9, n) * sign
    bits = (n - 1).bit_length()
    src = rng.choice(n, k, replace=False)
    dst = rng.choice(np.setdiff1d(np.arange(n), src), k, replace=False)
    x.view(np.int64)[dst] = (x.view(np.int64)[src] & ~((1 << bits) - 1)) | rng.integers(
        0, 1 << bits, k)
    x[dst[: k // 3]] = x[src[: k // 3]]             # and some exact ties
    return x


@pytest.mark.parametrize("sign", [1.0, -1.0])
@pytest.mark.parametrize("shape", [(4096,), (16, 512)])
def test_packed_argsort_fixes_colliding_runs(monkeypatch, sign, shape):
    rng = np.random.default_rng(5)
    x = _colliding(int(np.prod(shape)), 40, rng, sign).reshape(shape)
    x[..., ::7] *= -1.0                             # both signs in every row
    fixed = []
    real_fix = _sa._fix_runs
    monkeypatch.setattr(_sa, "_fix_runs", lambda *a: fixed.append(1) or real_fix(*a))
    assert isinstance(_sa._packed_argsort(x), np.ndarray) and fixed  # the fix-up ran, and sufficed
    _assert_stable_argsort(x, -1)


def test_packed_argsort_hands_what_keys_cannot_carry_to_numpy():
    rng = np.random.default_rng(6)
    x = rng.standard_normal(5000)
    for bad in (math.nan, math.inf, -math.inf):
        y = x.copy()
        y[[10, 4000]] = bad                           # two: one of them has nonzero low bits
        assert _sa._packed_argsort(y) is None
        _assert_stable_argsort(y, -1)
    ties = rng.integers(0, 5, 5000).astype(float)     # runs everywhere: NumPy's stable sort
    assert _sa._packed_argsort(ties) is False
    _assert_stable_argsort(ties, -1)


@pytest.mark.parametrize("shape,axis", [((1 << 16,), 0), ((64, 1024), -1), ((64, 1024), 0),
                                        ((8, 4, 300), 1)])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_packed_argsort_large(shape, axis, dtype):
    x = np.random.default_rng(7).standard_normal(shape).astype(dtype)
    x.reshape(-1)[::97] = 0.0
    x.reshape(-1)[::89] = -0.0
    _assert_stable_argsort(x, axis)


@pytest.mark.parametrize("dtype", ["int64", "int32", "uint8", "intp"])
def test_put_checks_every_index_before_writing(dtype):
    n = 6
    for ind in ([0, 5, -6, -1], [5, 0], [-7], [6], [1, 6], [0, 1, 2, -7], [3, 2**31 - 1]):
        x = np.arange(n, dtype=float)
        ind = np.asarray(ind)
        if dtype in ("uint8",) and (ind < 0).any() or np.iinfo(dtype).max < ind.max():
            continue
        ind = ind.astype(dtype)
        a, want = nd.asarray(x.copy()), x.copy()
        try:
            np.put(want, ind, [10.0, 20.0, 30.0, 40.0])
        except IndexError as e:
            with pytest.raises(IndexError, match=str(e).split(" is ")[0]):
                nd.put(a, nd.asarray(ind), [10.0, 20.0, 30.0, 40.0])
            assert_bits_equal(a, x)                 # nothing written
            continue
        nd.put(a, nd.asarray(ind), [10.0, 20.0, 30.0, 40.0])
        assert_bits_equal(a, want)


@pytest.mark.parametrize("dtype", ["bool", "int8", "uint16", "int32", "uint32", "int64",
                                   "uint64"])
@hyp()
@given(data=st.data())
def test_packed_int_argsort_is_numpys_stable_argsort(packed_always, dtype, data):
    info = np.iinfo(dtype) if dtype != "bool" else None
    if info is None:
        elements = st.booleans()
    else:       # a few values (ties), the extremes (spans too wide to pack), or any
        lo, hi = int(info.min), int(info.max)
        elements = st.sampled_from([0, 1, 5, lo, hi, lo + 1, hi - 1]) | st.integers(lo, hi)
        if data.draw(st.booleans()):
            elements = st.integers(max(lo, -1000), min(hi, 1000))   # narrow: packed
    x = data.draw(hnp.arrays(dtype, hnp.array_shapes(min_dims=1, max_dims=3, min_side=0,
                                                     max_side=30), elements=elements))
    axis = data.draw(st.integers(-x.ndim, x.ndim - 1))
    _assert_stable_argsort(x, axis)
    assert_bits_equal(nd.argsort(nd.asarray(x), axis=axis), np.argsort(x, axis=axis,
                                                                       kind="stable"))


def test_packed_int_argsort_packs_or_declines():
    rng = np.random.default_rng(8)
    x = rng.integers(-(1 << 40), 1 << 40, (64, 1024))          # span 2^41 + 10 bits: packed
    assert isinstance(_sa._packed_int_argsort(x), np.ndarray)
    _assert_stable_argsort(x, -1)
    _assert_stable_argsort(x, 0)
    wide = x.copy()
    wide[3, 7] = np.iinfo(np.int64).max                        # no room for the positions
    assert _sa._packed_int_argsort(wide) is None
    _assert_stable_argsort(wide, -1)
    wide = np.abs(x)
    wide[5, 9] = 1 << 62                 # a span of 2^62: 10 position bits overflow it
    assert _sa._packed_int_argsort(wide) is None
    _assert_stable_argsort(wide, -1)
    u = rng.integers(0, 1 << 20, 5000).astype(np.uint64) + np.uint64(2**63)
    assert isinstance(_sa._packed_int_argsort(u), np.ndarray)  # (near the top of uint64)
    _assert_stable_argsort(u, -1)
    # the op's own forward (array API argsort, stable by default) and sort's gradient
    v = rng.standard_normal(3000)
    np.testing.assert_array_equal(nd.argsort(nd.asarray(v, requires_grad=True), stable=True),
                                  np.argsort(v, kind="stable"))
    xs = nd.asarray(np.repeat(rng.standard_normal(1500), 2))   # ties: cotangents in order
    w = nd.asarray(np.arange(3000.0))
    g = nd.grad(lambda t: nd.sum(nd.sort(t) * w))(xs)
    order = np.argsort(np.asarray(xs), kind="stable")
    want = np.empty(3000)
    want[order] = np.arange(3000.0)
    np.testing.assert_array_equal(g, want)


# -- the in-place writers into a plain NumPy array: NumPy's own write, nothing recorded ----
@pytest.mark.parametrize("name", _WRITERS)
def test_inplace_writers_into_numpy_arrays_refuse_recorded_values(name):
    target = np.zeros((2, 3))
    v = nd.asarray(np.ones(6), requires_grad=True)
    args = {"put": ([0, 1], v), "putmask": (target > -1, v), "place": (target > -1, v),
            "put_along_axis": (np.zeros((2, 1), dtype=np.int64), v[:2].reshape(2, 1), 1)}
    with pytest.raises(TypeError, match="requires grad"):
        getattr(nd, name)(target, *args[name])
    np.testing.assert_array_equal(target, 0.0)
    with nd.no_grad():                              # (under no_grad the values may go)
        getattr(nd, name)(target, *args[name])
    assert target.sum() > 0


def test_packed_argsort_runs_never_cross_rows():
    # row r's largest value equals row r + 1's smallest: their sorted keys are neighbours
    # in memory and agree above the position bits, but they are in two rows
    rng = np.random.default_rng(9)
    x = rng.uniform(0.0, 1.0, (8, 512)) + np.arange(8.0)[:, None]
    x[:, -1] = np.arange(8.0) + 0.999999
    x[1:, 0] = x[:-1, -1]
    x[2, 5] = x[2, 6]                                   # and one tie inside a row
    assert isinstance(_sa._packed_argsort(x), np.ndarray)
    _assert_stable_argsort(x, -1)

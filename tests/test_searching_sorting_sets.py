"""Searching, sorting and set functions against NumPy / array_api_compat.numpy (values,
dtypes, shapes), the gradients of where and sort, and the ops that have none."""
import array_api_compat.numpy as npx
import numpy as np
import pytest
from hypothesis import given, strategies as st
from hypothesis.extra import numpy as hnp

import ndgrad as nd
from helpers import host  # noqa: E402  (an explicit copy off any device)
from helpers import hyp  # noqa: E402
from ndgrad._ops import searching as SE
from ndgrad._ops import sorting as SO
from ndgrad._ops import sets as SETS
from ndgrad._ops.registry import REGISTRY

# the standard's functions as implemented in ndgrad._ops (the namespace may give
# NumPy-signature wrappers of them, tested with the NumPy layer)
A = host  # an explicit copy off any device


def _check_same(got, want):
    want = host(want)
    assert isinstance(got, nd.Array), type(got)
    assert got.dtype == want.dtype, (got.dtype, want.dtype)
    assert got.shape == want.shape, (got.shape, want.shape)
    np.testing.assert_array_equal(A(got), want)


def small_arrays(dtype=np.float64, min_dims=1, max_dims=3, min_side=1, max_side=5,
                 elements=None):
    # few distinct values, so ties are common (argmax picks the first, sort is stable)
    if elements is None:
        elements = st.integers(-3, 3).map(float) if np.dtype(dtype).kind == "f" \
            else st.integers(-3, 3)
    return hnp.arrays(dtype, hnp.array_shapes(min_dims=min_dims, max_dims=max_dims,
                                              min_side=min_side, max_side=max_side),
                      elements=elements)


# -- argmax, argmin --------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["argmax", "argmin"])
@hyp()
@given(x=small_arrays(), data=st.data(), keepdims=st.booleans())
def test_argmax_argmin_match_numpy(name, device, x, data, keepdims):
    axis = data.draw(st.none() | st.integers(-x.ndim, x.ndim - 1))
    got = getattr(SE, name)(nd.asarray(x, device=device), axis=axis, keepdims=keepdims)
    _check_same(got, getattr(npx, name)(x, axis=axis, keepdims=keepdims))


def test_argmax_errors(device):
    with pytest.raises(ValueError, match=r"argmax of an empty array \(shape \(0,\)\)"):
        SE.argmax(nd.asarray(np.zeros(0), device=device))
    with pytest.raises(TypeError, match="one axis"):
        SE.argmin(nd.asarray(np.zeros((2, 2)), device=device), axis=(0, 1))


# -- nonzero, count_nonzero ------------------------------------------------------------------
@hyp()
@given(x=small_arrays(np.int64, min_side=0))
def test_nonzero_matches_numpy(device, x):
    got = SE.nonzero(nd.asarray(x, device=device))
    want = np.nonzero(x)
    assert isinstance(got, tuple) and len(got) == len(want) == x.ndim
    for g, w in zip(got, want):
        _check_same(g, w)


def test_nonzero_of_0d_is_an_error(device):
    with pytest.raises(ValueError, match="0-d"):
        SE.nonzero(nd.asarray(1.0, device=device))


@hyp()
@given(x=small_arrays(np.float64, min_side=0), data=st.data(), keepdims=st.booleans())
def test_count_nonzero_matches_numpy(device, x, data, keepdims):
    axis = data.draw(st.none() | st.integers(-x.ndim, x.ndim - 1) | st.lists(
        st.integers(0, x.ndim - 1), unique=True, max_size=x.ndim).map(tuple))
    got = SE.count_nonzero(nd.asarray(x, device=device), axis=axis, keepdims=keepdims)
    _check_same(got, npx.count_nonzero(x, axis=axis, keepdims=keepdims))


# -- searchsorted ----------------------------------------------------------------------------
@hyp()
@given(x1=small_arrays(max_dims=1, min_side=0), x2=small_arrays(max_dims=2),
       side=st.sampled_from(["left", "right"]), use_sorter=st.booleans())
def test_searchsorted_matches_numpy(device, x1, x2, side, use_sorter):
    if use_sorter:
        sorter = np.argsort(x1, kind="stable")
        got = SE.searchsorted(nd.asarray(x1, device=device), nd.asarray(x2, device=device),
                              side=side, sorter=nd.asarray(sorter, device=device))
        want = np.searchsorted(x1, x2, side=side, sorter=sorter)
    else:
        x1 = np.sort(x1)
        got = SE.searchsorted(nd.asarray(x1, device=device), nd.asarray(x2, device=device),
                              side=side)
        want = np.searchsorted(x1, x2, side=side)
    _check_same(got, want)


def test_searchsorted_scalar_and_errors(device):
    x1 = nd.asarray([1.0, 2.0, 2.0, 3.0], device=device)
    _check_same(SE.searchsorted(x1, 2.0), host(1))
    _check_same(SE.searchsorted(x1, 2.0, side="right"), host(3))
    with pytest.raises(ValueError, match=r"1-D x1; got shape \(2, 2\)"):
        SE.searchsorted(nd.ones((2, 2), device=device), 1.0)
    with pytest.raises(ValueError, match="side must be 'left' or 'right'"):
        SE.searchsorted(x1, 1.0, side="middle")


# -- where -----------------------------------------------------------------------------------
@hyp()
@given(data=st.data())
def test_where_matches_numpy(device, data):
    # three shapes that broadcast together (each alone broadcasting with the condition's
    # shape is not enough: (2, 1), (2,) and (3,) do not)
    shapes = data.draw(hnp.mutually_broadcastable_shapes(num_shapes=3, max_dims=3,
                                                         max_side=3)).input_shapes
    c = data.draw(hnp.arrays(bool, shapes[0]))
    x1 = data.draw(hnp.arrays(np.float64, shapes[1], elements=st.floats(-5, 5)))
    x2 = data.draw(hnp.arrays(np.float32, shapes[2], elements=st.floats(-5, 5, width=32)))
    got = SE.where(nd.asarray(c, device=device), nd.asarray(x1, device=device),
                   nd.asarray(x2, device=device))
    _check_same(got, np.where(c, x1, x2))


def test_where_gradient(device):
    c = nd.asarray([True, False, True], device=device)
    x1 = nd.asarray([1.0, 2.0, 3.0], device=device)
    x2 = nd.asarray([[4.0, 5.0, 6.0], [7.0, 8.0, 9.0]], device=device)
    g1, g2 = nd.grad(lambda a, b: nd.sum(SE.where(c, a, b) ** 2), argnums=(0, 1))(x1, x2)
    np.testing.assert_array_equal(A(g1), [4.0, 0.0, 12.0])
    np.testing.assert_array_equal(A(g2), [[0, 10.0, 0], [0, 16.0, 0]])
    nd.check_grads(lambda a, b: SE.where(c, a * a, b), x1, x2, order=2)


# -- argsort, sort ---------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["argsort", "sort"])
@hyp()
@given(x=small_arrays(), data=st.data(), descending=st.booleans())
def test_sort_argsort_match_numpy(name, device, x, data, descending):
    axis = data.draw(st.integers(-x.ndim, x.ndim - 1))
    got = getattr(SO, name)(nd.asarray(x, device=device), axis=axis, descending=descending)
    _check_same(got, getattr(npx, name)(x, axis=axis, descending=descending, stable=True))


@hyp()
@given(x=small_arrays(np.int64, max_dims=1))
def test_argsort_is_stable_also_descending(device, x):
    idx = A(SO.argsort(nd.asarray(x, device=device), descending=True))
    keys = [(-v, i) for i, v in enumerate(x)]  # by value descending, then original order
    np.testing.assert_array_equal(idx, [i for _, i in sorted(keys)])


def _distinct(x, seed=0):
    rng = np.random.default_rng(seed)
    return rng.permutation(x.size).reshape(x.shape) * 0.7 - 1.3


@pytest.mark.parametrize("axis", [0, 1, -1])
@pytest.mark.parametrize("descending", [False, True])
def test_sort_gradient(axis, descending, device):
    x = nd.asarray(_distinct(np.zeros((3, 4)), seed=axis + 3), device=device)
    nd.check_grads(lambda v: SO.sort(v, axis=axis, descending=descending), x, order=2)


def test_sort_gradient_returns_to_the_source_position(device):
    x = nd.asarray([3.0, 1.0, 2.0], device=device)
    w = nd.asarray([10.0, 20.0, 30.0], device=device)
    g = nd.grad(lambda v: nd.sum(SO.sort(v) * w))(x)  # sorted: 1 (from 1), 2 (2), 3 (0)
    np.testing.assert_array_equal(A(g), [30.0, 10.0, 20.0])
    g = nd.grad(lambda v: nd.sum(SO.sort(v, descending=True) * w))(x)
    np.testing.assert_array_equal(A(g), [10.0, 30.0, 20.0])


def test_sort_errors(device):
    with pytest.raises(ValueError, match="0-d"):
        SO.sort(nd.asarray(1.0, device=device))
    with pytest.raises(IndexError, match="axis 2 is out of bounds"):
        SO.argsort(nd.ones((2, 2), device=device), axis=2)


# -- sets ------------------------------------------------------------------------------------
set_inputs = (small_arrays(np.int64, min_side=0)
              | small_arrays(np.float64, min_side=0,
                             elements=st.sampled_from([-1.0, 0.0, 2.5, np.nan])))


def _same_tuple(got, want, fields):
    assert type(got).__name__ == type(want).__name__
    assert got._fields == want._fields == fields
    for g, w in zip(got, want):
        _check_same(g, w)


@hyp()
@given(x=set_inputs)
def test_unique_functions_match_array_api_compat_numpy(device, x):
    xa = nd.asarray(x, device=device)
    _same_tuple(SETS.unique_all(xa), npx.unique_all(x),
                ("values", "indices", "inverse_indices", "counts"))
    _same_tuple(SETS.unique_counts(xa), npx.unique_counts(x), ("values", "counts"))
    _same_tuple(SETS.unique_inverse(xa), npx.unique_inverse(x), ("values", "inverse_indices"))
    # (NumPy's own order on NumPy: since NumPy 2.3 its unique_values gives integers in
    # its hash table's order; array_api_compat and the other backends sort)
    _check_same(SETS.unique_values(xa),
                np.unique_values(x) if device == "cpu" else npx.unique_values(x))


def test_unique_values_prints_as_numpys():
    x = np.array([3, 1, 2, 3, 1, 5, -4, 100, 7, 7, 9])
    assert repr(nd.unique_values(nd.asarray(x))) == repr(np.unique_values(x))


def test_unique_nans_are_distinct(device):
    x = nd.asarray([np.nan, 1.0, np.nan, 1.0], device=device)
    r = SETS.unique_counts(x)
    assert r.values.shape == (3,) and A(r.counts).tolist() == [2, 1, 1]
    assert SETS.unique_inverse(x).inverse_indices.shape == (4,)


@hyp()
@given(x1=small_arrays(np.int64, min_side=0), x2=small_arrays(np.int64, min_side=0),
       invert=st.booleans())
def test_isin_matches_numpy(device, x1, x2, invert):
    got = SETS.isin(nd.asarray(x1, device=device), nd.asarray(x2, device=device), invert=invert)
    _check_same(got, np.isin(x1, x2, invert=invert))


def test_isin_with_a_python_int(device):
    x = nd.asarray([3, 1, 1, 2], device=device)
    _check_same(SETS.isin(x, 1), host([False, True, True, False]))
    _check_same(SETS.isin(x, 1, invert=True), host([True, False, False, True]))
    _check_same(SETS.isin(2, x), host(True))
    with pytest.raises(TypeError, match="at least one array"):
        SETS.isin(1, 2)


# -- which ops have gradients ----------------------------------------------------------------
NO_GRADIENT = ["argmax", "argmin", "nonzero", "searchsorted", "count_nonzero", "argsort",
               "unique_all", "unique_counts", "unique_inverse", "unique_values", "isin"]


@pytest.mark.parametrize("name", NO_GRADIENT)
def test_index_and_set_ops_say_why_they_have_no_gradient(name):
    op = REGISTRY[name]
    assert not op.differentiable and op.nondiff_reason


def test_index_results_are_constants_in_a_gradient(device):
    # argmax inside a differentiated function: its result carries no gradient, and the
    # value it picks does
    x = nd.asarray([[1.0, 5.0], [7.0, 3.0]], device=device)
    g = nd.grad(lambda v: nd.sum(nd.take_along_axis(
        v, SE.argmax(v, axis=1, keepdims=True), axis=1)))(x)
    np.testing.assert_array_equal(A(g), [[0.0, 1.0], [1.0, 0.0]])
    assert not SE.argmax(x.requires_grad_() * 1.0).requires_grad


# -- descending: NaN last, as NumPy 2.5's sort(..., descending=True) ------------------------
def _descending_reference(x):
    """The stable descending order of 1-d ``x`` by Python's own sort: values from the
    largest down, NaN last (a complex value by NumPy's classes: no NaN part, a NaN
    imaginary part, a NaN real part, both), equal values in their original order."""
    def key(i):
        v = x[i]
        if np.iscomplexobj(x):
            re, im = float(v.real), float(v.imag)
            cls = 2 * (re != re) + (im != im)
            return (cls, 0.0 if re != re else -re, 0.0 if im != im else -im, i)
        v = float(v) if x.dtype.kind == "f" else int(v)
        return (v != v, 0 if v != v else -v, i)
    return sorted(range(len(x)), key=key)


_SPECIAL = [0.0, -0.0, 1.0, -1.0, 2.5, np.inf, -np.inf, np.nan]


@hyp()
@given(data=st.data(), dtype=st.sampled_from(
    ["float64", "float32", "float16", "complex128", "complex64", "int8", "uint8", "int64",
     "bool"]))
def test_descending_sort_puts_nan_last_and_keeps_ties_in_order(device, data, dtype):
    n = data.draw(st.integers(0, 9))
    if dtype == "bool":
        x = np.array(data.draw(st.lists(st.booleans(), min_size=n, max_size=n)), bool)
    elif np.dtype(dtype).kind in "iu":
        info = np.iinfo(dtype)
        x = np.array(data.draw(st.lists(st.sampled_from([info.min, info.max, 0, 1, 3]),
                                        min_size=n, max_size=n)), dtype)
    else:
        pick = st.lists(st.sampled_from(_SPECIAL), min_size=n, max_size=n)
        x = np.array(data.draw(pick), dtype if np.dtype(dtype).kind == "f" else float)
        if np.dtype(dtype).kind == "c":
            with np.errstate(invalid="ignore"):
                x = (x + 1j * np.array(data.draw(pick))).astype(dtype)
    if device == "strict" and (dtype in ("float16", "bool") or dtype.startswith("complex")):
        return     # (array_api_strict has no float16 and sorts no complex or bool values)
    want = _descending_reference(x)
    a = nd.asarray(x, device=device)
    np.testing.assert_array_equal(A(SO.argsort(a, descending=True)), want)
    np.testing.assert_array_equal(A(nd.argsort(a, descending=True)), want)
    got = A(SO.sort(a, descending=True))
    assert got.dtype == x.dtype and got.tobytes() == x[want].tobytes()   # (bit for bit)
    # the fast sort: the same values (its order of -0.0 and 0.0, and a NaN's sign bit,
    # are the backend's own, as NumPy's)
    np.testing.assert_array_equal(A(SO.sort(a, descending=True, stable=False)), got)
    if "descending" in np.sort.__doc__:     # (NumPy 2.5 and later: its own rule)
        np.testing.assert_array_equal(want, np.argsort(x, descending=True, stable=True))
    # the methods, as NumPy 2.5's x.sort(descending=True) and x.argsort(descending=True)
    if device != "strict":
        np.testing.assert_array_equal(A(a.argsort(descending=True, stable=True)), want)
        m = nd.asarray(x.copy(), device=device)
        m.sort(descending=True, stable=True)
        assert A(m).tobytes() == x[want].tobytes()

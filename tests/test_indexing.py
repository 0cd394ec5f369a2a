"""Indexing: ``x[key]`` (basic, integer-array, boolean), ``take``, ``take_along_axis``:
values against NumPy, gradients (scatter-add of the cotangent, repeats accumulate) against
finite differences to second order, views, errors."""
import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st, HealthCheck
from hypothesis.extra import numpy as hnp

import ndgrad as nd
from helpers import host  # noqa: E402  (an explicit copy off any device)
from ndgrad._ops import indexing as I  # the standard's take / take_along_axis


def hsettings(**kw):
    """settings for a @given test that also takes the (stateless) device fixture;
    ``max_examples`` is a budget for the "ci" profile (25), scaled for the others."""
    if "max_examples" in kw:
        kw["max_examples"] = max(1, kw["max_examples"] * settings.default.max_examples // 25)
    return settings(suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow, HealthCheck.data_too_large],
                    **kw)


def same(res, expected):
    expected = host(expected)
    assert isinstance(res, nd.Array)
    assert res.dtype == expected.dtype, (res.dtype, expected.dtype)
    assert res.shape == expected.shape, (res.shape, expected.shape)
    np.testing.assert_array_equal(host(res), expected)


_shapes = hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4)
_values = st.sampled_from([np.float64, np.float32, np.int64, np.bool_]).flatmap(
    lambda dt: hnp.arrays(dt, _shapes))


# -- getitem values -----------------------------------------------------------------------
@hsettings(max_examples=20)
@given(data=st.data(), a=_values)
def test_basic_indexing_matches_numpy(device, data, a):
    key = data.draw(hnp.basic_indices(a.shape, allow_newaxis=True, allow_ellipsis=True),
                    label="key")
    x = nd.asarray(a, device=device)
    same(x[key], a[key])


@hsettings(max_examples=20)
@given(data=st.data(), a=_values)
def test_integer_array_indexing_matches_numpy(device, data, a):
    # one integer array per axis (the form the standard specifies), negatives allowed
    n = data.draw(st.integers(0, 5))
    idx = tuple(host(data.draw(st.lists(st.integers(-s, s - 1), min_size=n,
                                              max_size=n)), dtype=np.int64)
                for s in a.shape)
    x = nd.asarray(a, device=device)
    same(x[tuple(nd.asarray(i, device=device) for i in idx)], a[idx])
    if device == "cpu":  # NumPy's own forms: lists, mixed with slices
        same(x[[int(v) for v in idx[0]]], a[list(idx[0])])
        same(x[idx[0]], a[idx[0]])
        same(x[(slice(None),) * (a.ndim - 1) + (idx[-1],)], a[..., idx[-1]])


@hsettings(max_examples=20)
@given(data=st.data(), a=_values)
def test_boolean_mask_indexing_matches_numpy(device, data, a):
    mask = data.draw(hnp.arrays(np.bool_, a.shape), label="mask")
    x = nd.asarray(a, device=device)
    same(x[nd.asarray(mask, device=device)], a[mask])
    m0 = mask.reshape(-1)[: a.shape[0]] if mask.size >= a.shape[0] else mask[..., :1]
    if device == "cpu":
        same(x[m0], a[m0])
    same(x[x == x], a[a == a])


def test_index_key_types():
    a = np.arange(12.0).reshape(3, 4)
    x = nd.asarray(a)
    same(x[np.int64(1)], a[1])
    same(x[nd.asarray(2)], a[2])
    same(x[1, np.int32(-1)], a[1, -1])
    same(x[host([True, False, True])], a[[True, False, True]])
    same(x[None, ..., 1], a[None, ..., 1])
    same(x[::-1, ::2], a[::-1, ::2])


# -- getitem gradients ------------------------------------------------------------------
def _gcases(dev):
    arr = lambda v: nd.asarray(host(v), device=dev)  # noqa: E731
    return {
        "int": lambda x: x[1] ** 2,
        "slice": lambda x: x[:, 1:3] ** 2,
        "negative_step": lambda x: x[::-1, ::2] * x[:, :2],
        "newaxis_ellipsis": lambda x: x[None, ..., 0] ** 3,
        "int_arrays_repeated": lambda x: x[arr([0, 1, 1, 0]), arr([2, 2, 2, -1])] ** 2,
        "int_array_rows": lambda x: x[arr([1, 1, 0]), arr([0, 0, 3])] * x[0, 0],
        "bool_mask": lambda x: x[x > 0.0] ** 2,
        "bool_mask_array": lambda x: x[arr([[True, False, True, True],
                                           [False, False, True, False]])] ** 3,
    }


@pytest.mark.parametrize("case", sorted(_gcases("cpu")))
@hsettings(max_examples=2)
@given(a=hnp.arrays(np.float64, (2, 4), elements=st.floats(0.2, 2) | st.floats(-2, -0.2)))
def test_getitem_gradients(device, case, a):
    nd.check_grads(_gcases(device)[case], nd.asarray(a, device=device), order=2)


@pytest.mark.parametrize("key", ["list", "slice_then_array"])
def test_getitem_gradient_numpy_forms(key):
    a = np.arange(1.0, 9.0).reshape(2, 4)
    if key == "list":
        nd.check_grads(lambda x: x[[1, 1, 0]] ** 2, nd.asarray(a), order=2)
    else:
        nd.check_grads(lambda x: x[:, [3, 0, 3]] ** 2, nd.asarray(a), order=2)


def test_repeated_indices_accumulate(device):
    x = nd.asarray(host([1.0, 2.0, 3.0]), device=device)
    idx = nd.asarray(host([0, 0, 2, 0]), device=device)
    g = nd.grad(lambda x: nd.sum(x[idx]))(x)
    np.testing.assert_array_equal(host(g), [3.0, 0.0, 1.0])
    g = nd.grad(lambda x: nd.sum(I.take(x, idx)))(x)
    np.testing.assert_array_equal(host(g), [3.0, 0.0, 1.0])


def test_basic_getitem_is_a_view_and_advanced_is_not():
    assert nd._REGISTRY["getitem"].view
    a = np.arange(6.0).reshape(2, 3)
    x = nd.asarray(a)
    assert np.shares_memory(host(x[1:, ::2]), a)
    assert not np.shares_memory(host(x[[0, 1]]), a)


def test_write_into_advanced_index_result_stays_there(device):
    # NumPy copies for integer-array and boolean keys (even when the copy has a base):
    # writing into the result changes neither the array nor its gradient
    a = np.arange(1.0, 7.0).reshape(2, 3)
    cols = nd.asarray(host([0, 1]), device=device)
    rows = nd.asarray(host([0, 1]), device=device)

    def f(x):
        y = x * 1.0
        v = y[rows, cols] if device == "strict" else y[:, [0, 1]]
        v *= 10.0
        w = y[y > 2.0]
        w += 1.0
        return nd.sum(y * y) + nd.sum(v) + nd.sum(w * w), y
    (val, y), g = nd.value_and_grad(f, has_aux=True)(nd.asarray(a, device=device))
    np.testing.assert_array_equal(host(y), a)
    hit = np.zeros((2, 3))
    if device == "strict":
        hit[[0, 1], [0, 1]] = 1
    else:
        hit[:, [0, 1]] = 1
    np.testing.assert_allclose(host(g), 2 * a + 10 * hit + 2 * (a + 1) * (a > 2))
    assert not nd._REGISTRY["getitem_advanced"].view


def test_write_through_getitem_view_reaches_gradient(device):
    def f(x):
        y = x * 1.0
        row = y[1]
        row *= 5.0
        return nd.sum(y * y)
    a = np.arange(1.0, 7.0).reshape(2, 3)
    g = nd.grad(f)(nd.asarray(a, device=device))
    expected = 2 * a * host([[1.0], [25.0]])
    np.testing.assert_allclose(host(g), expected)


# -- take ------------------------------------------------------------------------------
@hsettings(max_examples=20)
@given(data=st.data(), a=_values)
def test_take_matches_numpy(device, data, a):
    axis = data.draw(st.integers(-a.ndim, a.ndim - 1), label="axis")
    s = a.shape[axis]
    idx = host(data.draw(st.lists(st.integers(-s, s - 1), max_size=6)), dtype=np.int64)
    x = nd.asarray(a, device=device)
    i = nd.asarray(idx, device=device)
    same(I.take(x, i, axis=axis), np.take(a, idx, axis=axis))
    if a.ndim == 1:
        same(I.take(x, i), np.take(a, idx))


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_take_gradients(device, axis):
    a = np.random.default_rng(1).standard_normal((3, 4))
    s = a.shape[axis]
    idx = nd.asarray(host([s - 1, 0, -1, 1, 0]), device=device)
    nd.check_grads(lambda x: I.take(x, idx, axis=axis) ** 2, nd.asarray(a, device=device),
                   order=2)


def test_take_errors():
    x = nd.zeros((2, 3))
    with pytest.raises(ValueError, match=r"axis.*\(2, 3\)"):
        I.take(x, nd.asarray([0]))
    with pytest.raises(ValueError, match="one-dimensional"):
        I.take(x, nd.asarray([[0]]), axis=0)
    with pytest.raises(IndexError, match="out of bounds"):
        I.take(x, nd.asarray([0]), axis=2)


# -- take_along_axis --------------------------------------------------------------------
@hsettings(max_examples=20)
@given(data=st.data(), a=_values)
def test_take_along_axis_matches_numpy(device, data, a):
    axis = data.draw(st.integers(-a.ndim, a.ndim - 1), label="axis")
    ax = axis % a.ndim
    # indices broadcast with x outside ``axis``: some dims 1 in either
    ishape = tuple(data.draw(st.integers(0, 4)) if d == ax else
                   (1 if data.draw(st.booleans()) else s) for d, s in enumerate(a.shape))
    s = a.shape[ax]
    idx = data.draw(hnp.arrays(np.int64, ishape, elements=st.integers(-s, s - 1)))
    x = nd.asarray(a, device=device)
    same(I.take_along_axis(x, nd.asarray(idx, device=device), axis=axis),
         np.take_along_axis(a, idx, axis=axis))


def test_take_along_axis_argmax_pattern(device):
    a = host([[1.0, 5.0, 2.0], [7.0, 3.0, 9.0]])
    x = nd.asarray(a, device=device)
    i = nd.argmax(x, axis=1, keepdims=True)
    same(I.take_along_axis(x, i, axis=1), [[5.0], [9.0]])
    g = nd.grad(lambda x: nd.sum(I.take_along_axis(x, i, axis=1)))(x)
    np.testing.assert_array_equal(host(g), [[0, 1, 0], [0, 0, 1]])


@pytest.mark.parametrize("case", ["same_shape", "repeats", "x_broadcasts",
                                  "indices_broadcast", "axis0"])
def test_take_along_axis_gradients(device, case):
    rng = np.random.default_rng(2)
    a = rng.standard_normal((2, 3))
    idx = {"same_shape": [[2, 0, 1], [1, 1, -1]], "repeats": [[0, 0, 0, 2], [1, 1, 2, 2]],
           "x_broadcasts": [[0, 2], [1, 1]], "indices_broadcast": [[2, 0, 0, 1]],
           "axis0": [[1, 0, 1], [1, 1, 0], [0, 0, 0]]}[case]
    i = nd.asarray(host(idx), device=device)
    x = nd.asarray(a if case != "x_broadcasts" else a[:1], device=device)
    axis = 0 if case == "axis0" else -1
    nd.check_grads(lambda x: I.take_along_axis(x, i, axis=axis) ** 2, x, order=2)


def test_take_along_axis_errors():
    x = nd.zeros((2, 3))
    with pytest.raises(ValueError, match="dimensions"):
        I.take_along_axis(x, nd.asarray([0, 1]), axis=1)
    with pytest.raises(ValueError, match=r"\(2, 3\).*\(3, 1\)"):
        I.take_along_axis(x, nd.asarray([[0], [1], [0]]), axis=1)
    with pytest.raises(IndexError, match="out of bounds"):
        I.take_along_axis(x, nd.asarray([[0]]), axis=2)


def test_gather_rule_third_order(device):
    # the scatter-add's rule gathers with NumPy's indexing (an op too): differentiating a
    # gradient whose cotangent depends on x goes through the gather's own rule
    idx = nd.asarray(host([0, 0, 2]), device=device)
    x = nd.asarray(host([0.5, 1.0, 2.0]), device=device)
    nd.check_grads(lambda x: nd.grad(lambda y: nd.sum(y[idx] ** 3))(x) * x, x, order=2)
    nd.check_grads(lambda x: nd.grad(lambda y: nd.sum(I.take(y, idx) ** 3))(x) * x, x,
                   order=2)


def test_take_along_axis_gradient_third_order(device):
    i = nd.asarray(host([[1, 1, 0, 2]]), device=device)
    x = nd.asarray(host([[0.5, 1.0, 2.0], [1.5, -1.0, 0.3]]), device=device)
    nd.check_grads(lambda x: nd.grad(lambda y: nd.sum(
        I.take_along_axis(y, i, axis=1) ** 3))(x) * x, x, order=2)


def test_gradients_in_graph_mode():
    # the same rules build a graph's gradient; indices are graph inputs, not parameters
    from ndgrad import graph as G
    from ndgrad._ops.statistical import sum as S
    a = np.arange(1.0, 7.0).reshape(2, 3)
    idx = nd.asarray(host([0, 2, 2]))
    tal = nd.asarray(host([[0, 0, 2]]))

    def f(x):
        return S(I.take(x, idx, axis=1) ** 2) + S(I.take_along_axis(x, tal, axis=1) ** 3) \
            + S(x[:, 1:] * x[:, :2])
    g = G.Graph()
    with g.as_default():
        c = g.constant(a)
        grads = G.gradients(f(c), [c])
        with G.Session() as s:
            got = s.run(grads)[0]
    np.testing.assert_allclose(got, host(nd.grad(f)(nd.asarray(a))))


@pytest.mark.parametrize("mode", ["wrap", "clip", "raise"])
@pytest.mark.parametrize("shape,ind", [((0, 0), [-1, 0, 1]), ((0, 2), [0]), ((0, 2), []),
                                       ((2, 0), [5]), ((3,), [4]), ((3,), [-4])])
def test_take_along_an_empty_axis_is_numpy_25s(shape, ind, mode):
    """NumPy 2.5: wrap and clip on an empty axis give an empty result where the result
    has no elements, and "cannot do a non-empty take from an empty axes." where it has
    some; raise checks the indices first. (NumPy 2.4's wrap loops forever there, so the
    expected values are written out: NumPy 2.5's, checked by hand.)"""
    a = nd.asarray(np.empty(shape))
    i = nd.asarray(np.array(ind, dtype=np.intp))
    n = shape[0]
    out_shape = (len(ind),) + shape[1:]
    with warnings.catch_warnings():
        warnings.simplefilter("error")      # (no division by the empty axis's size)
        if n == 0 and math.prod(out_shape) and mode != "raise" or \
                mode == "raise" and n == 0 and ind == [0]:
            with pytest.raises(IndexError, match="non-empty take from an empty axes"):
                nd.take(a, i, axis=0, mode=mode)
        elif mode == "raise" and any(not -n <= k < n for k in ind):
            with pytest.raises(IndexError, match="out of bounds"):
                nd.take(a, i, axis=0, mode=mode)
        else:
            r = np.asarray(nd.take(a, i, axis=0, mode=mode))
            assert r.shape == out_shape
            if r.size and n:
                k = np.array(ind) % n if mode == "wrap" else np.clip(ind, 0, n - 1)
                np.testing.assert_array_equal(r, np.asarray(a)[k])

"""Utility functions: all, any (against NumPy, no gradient) and diff (against NumPy,
gradients of first and second order, including through prepend/append)."""
import numpy as np
import pytest
from hypothesis import given, strategies as st
from hypothesis.extra import numpy as hnp

import ndgrad as nd
from helpers import host  # noqa: E402  (an explicit copy off any device)
from helpers import hyp  # noqa: E402
from ndgrad._ops import utility as U
from ndgrad._ops.registry import REGISTRY

# the standard's functions as implemented in ndgrad._ops (the namespace may give
# NumPy-signature wrappers of them, tested with the NumPy layer)
A = host  # an explicit copy off any device


def _check_same(got, want):
    want = host(want)
    assert isinstance(got, nd.Array)
    assert got.dtype == want.dtype, (got.dtype, want.dtype)
    assert got.shape == want.shape, (got.shape, want.shape)
    np.testing.assert_allclose(A(got), want, rtol=1e-12, atol=0)


shapes = hnp.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=4)


@st.composite
def array_and_axes(draw, dtype):
    x = draw(hnp.arrays(dtype, shapes, elements=st.integers(-2, 2) if dtype != bool else None))
    kind = draw(st.sampled_from(["none", "int", "tuple"]))
    if kind == "none":
        return x, None
    if kind == "int":
        return x, draw(st.integers(-x.ndim, x.ndim - 1))
    return x, tuple(draw(st.lists(st.integers(0, x.ndim - 1), unique=True, max_size=x.ndim)))


@pytest.mark.parametrize("name", ["all", "any"])
@pytest.mark.parametrize("dtype", [bool, np.int32, np.float64])
@hyp()
@given(data=st.data(), keepdims=st.booleans())
def test_all_any_match_numpy(name, dtype, device, data, keepdims):
    x, axis = data.draw(array_and_axes(dtype))
    got = getattr(U, name)(nd.asarray(x, device=device), axis=axis, keepdims=keepdims)
    _check_same(got, getattr(np, name)(x, axis=axis, keepdims=keepdims))


def test_all_any_have_no_gradient():
    for name in ("all", "any"):
        assert not REGISTRY[name].differentiable
        assert "boolean" in REGISTRY[name].nondiff_reason


@st.composite
def diff_case(draw, dtype=np.float64):
    x = draw(hnp.arrays(dtype, hnp.array_shapes(min_dims=1, max_dims=3, min_side=1,
                                                max_side=4),
                        elements=st.integers(-20, 20).map(float if dtype == np.float64
                                                          else int)))
    axis = draw(st.integers(-x.ndim, x.ndim - 1))
    ax = axis % x.ndim
    extra = {}
    for name in ("prepend", "append"):
        kind = draw(st.sampled_from(["none", "array", "scalar"]))
        if kind == "array":
            shape = list(x.shape)
            shape[ax] = draw(st.integers(0, 3))
            extra[name] = np.arange(np.prod(shape), dtype=dtype).reshape(shape) - 1
        elif kind == "scalar":
            extra[name] = draw(st.integers(-3, 3))
    total = x.shape[ax] + sum(v.shape[ax] if hasattr(v, "shape") else 1
                              for v in extra.values())
    n = draw(st.integers(0, total))
    return x, axis, n, extra


@hyp()
@given(case=diff_case())
def test_diff_matches_numpy(device, case):
    x, axis, n, extra = case
    kw = {k: (nd.asarray(v, device=device) if isinstance(v, np.ndarray) else v)
          for k, v in extra.items()}
    got = U.diff(nd.asarray(x, device=device), axis=axis, n=n, **kw)
    _check_same(got, np.diff(x, axis=axis, n=n, **extra))


@hyp()
@given(case=diff_case(np.int32))
def test_diff_integers_match_numpy(device, case):
    x, axis, n, extra = case
    extra = {k: v for k, v in extra.items() if isinstance(v, np.ndarray)}
    kw = {k: nd.asarray(v, device=device) for k, v in extra.items()}
    got = U.diff(nd.asarray(x, device=device), axis=axis, n=n, **kw)
    _check_same(got, np.diff(x, axis=axis, n=n, **extra))


def test_diff_scalar_prepend_promotes_as_numpy():
    # NumPy makes a Python scalar a (default-dtype) array before joining
    x = host([1.0, 2.0], dtype=np.float32)
    _check_same(U.diff(nd.asarray(x), prepend=0), np.diff(x, prepend=0))
    xi = host([1, 4], dtype=np.int16)
    _check_same(U.diff(nd.asarray(xi), append=2.5), np.diff(xi, append=2.5))


@pytest.mark.parametrize("n", [1, 2, 3])
@pytest.mark.parametrize("axis", [0, -1])
def test_diff_gradients(n, axis, device):
    rng = np.random.default_rng(n)
    x = nd.asarray(rng.standard_normal((3, 4)), device=device)
    p = nd.asarray(rng.standard_normal((2, 4) if axis == 0 else (3, 2)), device=device)
    a = nd.asarray(rng.standard_normal((1, 4) if axis == 0 else (3, 1)), device=device)
    nd.check_grads(lambda x: U.diff(x, axis=axis, n=n), x, order=2)
    nd.check_grads(lambda x, p, a: U.diff(x, axis=axis, n=n, prepend=p, append=a),
                   x, p, a, order=2)
    # a Python scalar and a 0-d array broadcast along the axis, as in NumPy
    s = nd.asarray(0.25, device=device)
    nd.check_grads(lambda x, s: U.diff(x, axis=axis, n=n, prepend=1.5, append=s), x, s,
                   order=2)


def test_diff_gradient_values(device):
    x = nd.asarray([1.0, 4.0, 9.0, 16.0], device=device)
    w = nd.asarray([1.0, 10.0, 100.0], device=device)
    g = nd.grad(lambda v: nd.sum(U.diff(v) * w))(x)
    np.testing.assert_array_equal(A(g), [-1.0, -9.0, -90.0, 100.0])
    g = nd.grad(lambda v: nd.sum(U.diff(v, n=0)))(x)  # n=0 is the identity
    np.testing.assert_array_equal(A(g), [1.0, 1.0, 1.0, 1.0])


def test_diff_transpose_differentiates_again(device):
    # the gradient of diff is linear in the cotangent; differentiating the pullback with
    # respect to the cotangent gives diff back
    x0 = nd.asarray([1.0, 2.0, 4.0, 8.0, 3.0], device=device)
    pre = nd.asarray([0.5], device=device)

    def pulled(ct):
        _, pullback = nd.vjp(lambda x: U.diff(x, n=2, prepend=pre), x0)
        return pullback(ct)

    ct = nd.asarray([0.3, -1.0, 2.0, 0.7], device=device)
    np.testing.assert_allclose(A(pulled(ct)[0]), [-1.6, 4.3, -4.3, 0.6, 0.7], rtol=1e-12)
    nd.check_grads(pulled, ct, order=2)


def test_diff_errors(device):
    x = nd.asarray(np.ones((2, 3)), device=device)
    with pytest.raises(ValueError, match="n must be non-negative, got -1"):
        U.diff(x, n=-1)
    with pytest.raises(ValueError, match=r"prepend of shape \(3, 1\) must match x's shape "
                                         r"\(2, 3\) except along axis 1"):
        U.diff(x, prepend=nd.ones((3, 1), device=device))
    with pytest.raises(IndexError, match="axis 2 is out of bounds"):
        U.diff(x, axis=2)
    with pytest.raises(ValueError, match="0-d"):
        U.diff(nd.asarray(1.0, device=device))

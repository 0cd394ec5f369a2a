"""Manipulation functions (and broadcast_shapes) of the array API standard: values,
dtypes and shapes against NumPy on hypothesis inputs, gradients against finite
differences, views, and errors."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st, HealthCheck
from hypothesis.extra import numpy as hnp

import ndgrad as nd
from helpers import host  # noqa: E402  (an explicit copy off any device)
# the standard's implementations (the public namespace may wrap them with NumPy's
# signatures; those wrappers are tested with the NumPy layer)
from ndgrad._ops import manipulation as M, dtype_functions as D



def fixture_ok(f=None, **kw):
    """settings for a @given test that also takes the (stateless) device fixture."""
    if "max_examples" in kw:  # a budget for the "ci" profile (25), scaled for others
        kw["max_examples"] = max(1, kw["max_examples"] * settings.default.max_examples // 25)
    deco = settings(suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow, HealthCheck.data_too_large],
                    **kw)
    return deco(f) if f is not None else deco

DTYPES = [np.float64, np.float32, np.int64, np.int32, np.bool_]


def _arrays(min_dims=1, max_dims=3, max_side=4, dtypes=DTYPES, min_side=1):
    shapes = hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=min_side,
                              max_side=max_side)
    return st.sampled_from(dtypes).flatmap(
        lambda dt: hnp.arrays(dt, shapes, elements=_elements(dt)))


def _elements(dt):
    if dt == np.bool_:
        return st.booleans()
    if np.dtype(dt).kind == "i":
        return st.integers(-100, 100)
    return st.floats(-10, 10, width=np.dtype(dt).itemsize * 8)


def check(res, expected):
    """ndgrad result equals NumPy's: values, dtype, shape."""
    expected = host(expected)
    assert isinstance(res, nd.Array)
    assert res.dtype == expected.dtype, (res.dtype, expected.dtype)
    assert res.shape == expected.shape, (res.shape, expected.shape)
    np.testing.assert_array_equal(host(res), expected)


def _axis(data, ndim):
    return data.draw(st.integers(-ndim, ndim - 1), label="axis")


# -- values against NumPy --------------------------------------------------------------
@fixture_ok
@given(data=st.data(), a=_arrays())
def test_flip_permute_moveaxis_roll(device, data, a):
    x = nd.asarray(a, device=device)
    ndim = a.ndim
    ax = _axis(data, ndim)
    check(M.flip(x), np.flip(a))
    check(M.flip(x, axis=ax), np.flip(a, axis=ax))
    axes = tuple(data.draw(st.permutations(range(ndim))))
    neg = tuple(a_ - ndim if data.draw(st.booleans()) else a_ for a_ in axes)
    check(M.permute_dims(x, neg), np.transpose(a, axes))
    src = _axis(data, ndim)
    dst = _axis(data, ndim)
    check(M.moveaxis(x, src, dst), np.moveaxis(a, src, dst))
    shift = data.draw(st.integers(-5, 5))
    check(M.roll(x, shift), np.roll(a, shift))
    check(M.roll(x, shift, axis=ax), np.roll(a, shift, axis=ax))
    if ndim >= 2:
        check(M.roll(x, (shift, 1), axis=(0, -1)), np.roll(a, (shift, 1), axis=(0, -1)))
        check(M.roll(x, shift, axis=(0, 1)), np.roll(a, shift, axis=(0, 1)))
        check(M.moveaxis(x, (0, 1), (-1, 0)), np.moveaxis(a, (0, 1), (-1, 0)))
        check(M.flip(x, axis=(0, -1)), np.flip(a, axis=(0, -1)))


@fixture_ok
@given(data=st.data(), a=_arrays(min_dims=0))
def test_expand_dims_squeeze(device, data, a):
    x = nd.asarray(a, device=device)
    ax = data.draw(st.integers(-a.ndim - 1, a.ndim), label="axis")
    e = M.expand_dims(x, axis=ax)
    check(e, np.expand_dims(a, ax))
    check(M.squeeze(e, axis=ax), a)
    # a tuple of positions in the result (2025.12)
    m = a.ndim + 2
    axes = data.draw(st.lists(st.integers(-m, m - 1), min_size=2, max_size=2,
                              unique_by=lambda v: v % m), label="axes")
    check(M.expand_dims(x, axis=tuple(axes)), np.expand_dims(a, tuple(axes)))
    ones = tuple(i for i, s in enumerate(a.shape) if s == 1)
    check(M.squeeze(x, axis=ones), np.squeeze(a, axis=ones))


@fixture_ok
@given(data=st.data(), a=_arrays(max_dims=2))
def test_concat_stack_unstack(device, data, a):
    x = nd.asarray(a, device=device)
    ax = _axis(data, a.ndim)
    b = np.concatenate([a, a[:1] if ax % a.ndim == 0 else a], axis=ax)[..., :]
    y = nd.asarray(b, device=device)
    check(M.concat([x, y], axis=ax), np.concatenate([a, b], axis=ax))
    check(M.concat((x, y, x), axis=None), np.concatenate([a, b, a], axis=None))
    check(M.concat([x]), a)
    check(M.stack([x, x], axis=ax), np.stack([a, a], axis=ax))
    parts = M.unstack(x, axis=ax)
    assert isinstance(parts, tuple)
    expected = np.unstack(a, axis=ax)
    assert len(parts) == len(expected)
    for p, e in zip(parts, expected):
        check(p, e)


def test_concat_promotes(device):
    a = nd.asarray(np.ones((2,), np.float32), device=device)
    b = nd.asarray(np.zeros((3,), np.float64), device=device)
    check(M.concat([a, b]), np.concatenate([np.ones(2, np.float32), np.zeros(3)]))


@fixture_ok
@given(data=st.data(), a=_arrays(max_dims=3, max_side=3))
def test_repeat_tile(device, data, a):
    x = nd.asarray(a, device=device)
    r = data.draw(st.integers(0, 3))
    check(M.repeat(x, r), np.repeat(a, r))
    ax = _axis(data, a.ndim)
    check(M.repeat(x, r, axis=ax), np.repeat(a, r, axis=ax))
    counts = host(data.draw(st.lists(st.integers(0, 3), min_size=a.shape[ax],
                                           max_size=a.shape[ax])), dtype=np.int64)
    check(M.repeat(x, nd.asarray(counts, device=device), axis=ax),
          np.repeat(a, counts, axis=ax))
    check(M.repeat(x, M.reshape(nd.asarray(host([2]), device=device), ())),
          np.repeat(a, 2))
    check(M.repeat(x, np.int64(r), axis=ax), np.repeat(a, r, axis=ax))
    check(M.repeat(x, nd.asarray(host([2]), device=device)), np.repeat(a, [2]))
    flat = host(data.draw(st.lists(st.integers(0, 2), min_size=a.size,
                                         max_size=a.size)), dtype=np.int64)
    check(M.repeat(x, nd.asarray(flat, device=device)), np.repeat(a, flat))
    reps = tuple(data.draw(st.lists(st.integers(1, 3), min_size=1, max_size=4)))
    check(M.tile(x, reps), np.tile(a, reps))


@fixture_ok
@given(data=st.data(), a=_arrays(max_dims=3))
def test_broadcasting(device, data, a):
    x = nd.asarray(a, device=device)
    # a second shape that broadcasts with a's: some dims set to 1, maybe more leading dims
    other = tuple(1 if data.draw(st.booleans()) else s for s in a.shape)
    other = tuple(data.draw(st.lists(st.integers(1, 3), max_size=2))) + other
    b = np.ones(other, dtype=np.float32)
    y = nd.asarray(b, device=device)
    assert D.broadcast_shapes(a.shape, other) == np.broadcast_shapes(a.shape, other)
    res = M.broadcast_arrays(x, y)
    assert isinstance(res, tuple) and len(res) == 2
    for r, e in zip(res, np.broadcast_arrays(a, b)):
        check(r, e)
    shape = np.broadcast_shapes(a.shape, other)
    check(M.broadcast_to(x, shape), np.broadcast_to(a, shape))
    check(M.reshape(x, (-1,)), a.reshape(-1))
    check(M.reshape(x, a.shape[::-1]), a.reshape(a.shape[::-1]))


def test_broadcast_shapes_rules():
    assert D.broadcast_shapes() == ()
    assert D.broadcast_shapes((3,)) == (3,)
    assert D.broadcast_shapes((2, 1), (1, 3), (3,)) == (2, 3)
    assert D.broadcast_shapes((0,), (1,)) == (0,)
    assert D.broadcast_shapes((5, 1), ()) == (5, 1)
    assert D.broadcast_shapes(3, (2, 1)) == np.broadcast_shapes(3, (2, 1))
    # unknown dimensions (graph static shapes) propagate, or take a known size > 1
    assert D.broadcast_shapes((None, 1), (4,)) == (None, 4)
    assert D.broadcast_shapes((None,), (1,)) == (None,)
    assert D.broadcast_shapes((None,), (3,)) == (3,)
    with pytest.raises(ValueError, match=r"\(2,\).*\(3,\)"):
        D.broadcast_shapes((2,), (3,))
    with pytest.raises(ValueError):
        D.broadcast_shapes((2, 3), (4, 1, 2))


# -- gradients --------------------------------------------------------------------------
def _floats(shape):
    return hnp.arrays(np.float64, shape, elements=st.floats(-2, 2))


def _grad_cases(dev):
    idx = nd.asarray(host([1, 0, 2]), device=dev)
    idx6 = nd.asarray(host([0, 2, 1, 0, 3, 1]), device=dev)
    return {
        "concat": lambda x: M.concat([x, x * x], axis=1),
        "concat_none": lambda x: M.concat([x * x, x[:1]], axis=None),
        "concat_neg": lambda x: M.concat([x, x * x], axis=-2),
        "stack": lambda x: M.stack([x, x * x], axis=-1),
        "unstack": lambda x: M.unstack(x * x, axis=1)[2] * M.unstack(x, axis=-1)[0],
        "unstack_all": lambda x: M.stack(M.unstack(x * x, axis=-1)),
        "flip": lambda x: M.flip(x) * x,
        "flip_axis": lambda x: M.flip(x, axis=-1) * x,
        "roll": lambda x: M.roll(x, 2) * x,
        "roll_axes": lambda x: M.roll(x, (1, -1), axis=(0, 1)) * x,
        "permute_dims": lambda x: M.permute_dims(x[None] * x[:, None], (2, -3, 1)),
        "moveaxis": lambda x: M.moveaxis(x[None] * x[:, None], (0, 1), (-1, 0)),
        "repeat_int": lambda x: M.repeat(x * x, 2, axis=1),
        "repeat_flat": lambda x: M.repeat(x, 2) ** 2,
        "repeat_array": lambda x: M.repeat(x, idx, axis=1) ** 2,
        "repeat_array_flat": lambda x: M.repeat(x, idx6) ** 2,
        "tile": lambda x: M.tile(x, (2, 1, 2)) ** 2,
        "tile_short": lambda x: M.tile(x, (3,)) ** 2,
        "squeeze": lambda x: M.squeeze(M.reshape(x, (1, 2, 1, 3)), axis=(0, -2)) ** 2,
        "expand_dims": lambda x: M.expand_dims(x, axis=(0, -1)) * x[..., None],
        "broadcast_arrays": lambda x: M.broadcast_arrays(x, x[:1] * x[:1],
                                                          x[0, 0])[1] * x,
        "broadcast_to": lambda x: M.broadcast_to(x[:1], (4, 2, 3)) ** 2,
        "reshape": lambda x: M.reshape(x, (3, 2)) ** 2,
    }


GRAD_CASES = sorted(_grad_cases("cpu"))


@pytest.mark.parametrize("name", GRAD_CASES)
@fixture_ok(max_examples=2)
@given(a=_floats((2, 3)))
def test_gradients(device, name, a):
    f = _grad_cases(device)[name]
    nd.check_grads(f, nd.asarray(a, device=device), order=2)


def test_concat_gradient_keeps_input_dtype(device):
    x = nd.asarray(np.ones((2,)), device=device)
    y = nd.asarray(host([1.0, 2.0], dtype=np.float32), device=device)
    g = nd.grad(lambda y: nd.sum(M.concat([x, y]) ** 2))(y)
    assert g.dtype == nd.float32
    np.testing.assert_allclose(host(g), [2.0, 4.0])


def test_unstack_unused_slices_get_zero_gradient(device):
    x = nd.asarray(np.arange(6.0).reshape(3, 2), device=device)
    g = nd.grad(lambda x: nd.sum(M.unstack(x)[1] * 3.0))(x)
    np.testing.assert_array_equal(host(g), [[0, 0], [3, 3], [0, 0]])


def test_repeat_array_gradient_counts(device):
    x = nd.asarray(host([1.0, 2.0, 3.0]), device=device)
    r = nd.asarray(host([2, 0, 3]), device=device)
    g = nd.grad(lambda x: nd.sum(M.repeat(x, r)))(x)
    np.testing.assert_array_equal(host(g), [2.0, 0.0, 3.0])
    g = nd.grad(lambda x: nd.sum(M.tile(x, (2, 2))))(x)
    np.testing.assert_array_equal(host(g), [4.0, 4.0, 4.0])


# -- views ------------------------------------------------------------------------------
VIEW_OPS = {
    "permute_dims": lambda x: M.permute_dims(x, (1, 0)),
    "flip": lambda x: M.flip(x),
    "squeeze": lambda x: M.squeeze(M.expand_dims(x, axis=0), axis=0),
    "expand_dims": lambda x: M.expand_dims(x, axis=1),
    "moveaxis": lambda x: M.moveaxis(x, 0, 1),
    "broadcast_to": lambda x: M.broadcast_to(x, (2, 2, 3)),
    "reshape": lambda x: M.reshape(x, (3, 2)),
}


@pytest.mark.parametrize("name", sorted(VIEW_OPS))
def test_view_ops_are_views(name):
    assert nd._REGISTRY[name].view
    a = np.arange(6.0).reshape(2, 3)
    x = nd.asarray(a)
    r = VIEW_OPS[name](x)
    assert np.shares_memory(host(r), host(x))


@pytest.mark.parametrize("name", ["concat", "repeat", "tile", "roll"])
def test_copying_ops_are_not_views(name):
    assert not nd._REGISTRY[name].view


@pytest.mark.parametrize("name", ["flip", "permute_dims", "moveaxis", "unstack"])
def test_write_through_view_reaches_base_and_gradient(device, name):
    a = np.arange(1.0, 7.0).reshape(2, 3)
    w = np.random.default_rng(0).standard_normal((2, 3))

    def f(x):
        y = x * 1.0
        if name == "unstack":
            v = M.unstack(y)[0]
        elif name == "flip":
            v = M.flip(y)
        elif name == "permute_dims":
            v = M.permute_dims(y, (1, 0))
        else:
            v = M.moveaxis(y, 0, -1)
        v *= 3.0
        return nd.sum(y * nd.asarray(w, device=device)), y

    x = nd.asarray(a, device=device)
    (val, y), g = nd.value_and_grad(f, has_aux=True)(x)
    scale = np.ones((2, 3)) * 3.0
    if name == "unstack":
        scale[1] = 1.0
    if device == "cpu":  # NumPy semantics: the write is seen through the base
        np.testing.assert_allclose(host(y), a * scale)
    np.testing.assert_allclose(host(g), w * scale)


# -- errors -----------------------------------------------------------------------------
def test_errors_name_the_problem():
    x = nd.zeros((2, 3))
    with pytest.raises(ValueError, match=r"axis 1 .*\(2, 3\)"):
        M.squeeze(x, axis=1)
    with pytest.raises(IndexError, match="out of bounds"):
        M.expand_dims(x, axis=3)
    with pytest.raises(IndexError, match="out of bounds"):
        M.squeeze(x, axis=2)
    with pytest.raises(ValueError, match="repeated"):
        M.expand_dims(x, axis=(0, -4))
    with pytest.raises(ValueError, match=r"\(2, 3\).*\(2, 4\)"):
        M.concat([x, nd.zeros((2, 4))], axis=0)
    with pytest.raises(ValueError, match="number of dimensions"):
        M.concat([x, nd.zeros((3,))])
    with pytest.raises(ValueError, match="permutation"):
        M.permute_dims(x, (0, 0))
    with pytest.raises(ValueError, match="same length"):
        M.roll(x, (1, 2), axis=(0,))
    with pytest.raises(ValueError, match=r"\(4,\)"):
        M.repeat(x, nd.asarray([1, 2, 3, 4]), axis=1)
    with pytest.raises(TypeError, match="integer"):
        M.repeat(x, nd.asarray([1.0, 2.0]), axis=0)
    with pytest.raises(ValueError, match="same number"):
        M.moveaxis(x, (0, 1), 0)
    with pytest.raises(ValueError, match="at least one"):
        M.concat([])
    with pytest.raises(ValueError, match="0-d"):
        M.unstack(nd.asarray(1.0))
    with pytest.raises(ValueError, match=r"\(2, 3\).*\(3, 3\)"):
        M.broadcast_arrays(x, nd.zeros((3, 3)))


def test_graph_mode_values_and_gradients():
    # a graph applies the same ops and builds its gradient from the same rules
    from ndgrad import graph as G
    from ndgrad._ops.statistical import sum as S
    counts = nd.asarray(host([1, 0, 2]))

    def f(c):
        return {
            "concat": M.concat([c, c * c], axis=1), "concat_none": M.concat([c, c], axis=None),
            "flip": M.flip(c, axis=0) * c, "roll": M.roll(c, (1, 2), axis=(0, 1)) * c,
            "permute": M.permute_dims(c, (1, 0)) * M.moveaxis(c, 0, 1),
            "repeat": M.repeat(c, 2, axis=1) ** 2,
            "repeat_counts": M.repeat(c, counts, axis=1) ** 2,
            "tile": M.tile(c, (2, 1)) ** 2, "unstack": M.unstack(c * c)[1],
            "squeeze": M.squeeze(M.expand_dims(c, axis=(0, 2)), axis=(0, 2)) ** 3,
            "stack": M.stack([c, c * c], axis=-1), "broadcast": M.broadcast_arrays(c, c[0])[1] * c,
        }
    a = np.arange(1.0, 7.0).reshape(2, 3)
    eager = {k: host(v) for k, v in f(nd.asarray(a)).items()}
    g = G.Graph()
    with g.as_default():
        c = g.constant(a)
        outs = f(c)
        loss = None
        for v in outs.values():
            loss = S(v) if loss is None else loss + S(v)
        grads = G.gradients(loss, [c])
        with G.Session() as s:
            for k, v in outs.items():
                np.testing.assert_array_equal(s.run(v), eager[k], err_msg=k)
            got = s.run(grads)[0]

    def total(x):
        return sum(S(v) for v in f(x).values())
    np.testing.assert_allclose(got, host(nd.grad(total)(nd.asarray(a))))


def test_reshape_that_copies_is_not_a_view(device):
    # NumPy's reshape of a transposed array copies (and the copy has a base): a write into
    # it must reach neither the array nor its gradient; a reshape that is a view must
    def f(x):
        y = x * 1.0
        r = M.reshape(M.permute_dims(y, (1, 0)), (6,))  # a copy
        r *= 10.0
        v = M.reshape(y, (3, 2))  # a view
        v *= 2.0
        return nd.sum(y * y) + nd.sum(r), y
    a = np.arange(6.0).reshape(2, 3)
    (val, y), g = nd.value_and_grad(f, has_aux=True)(nd.asarray(a, device=device))
    np.testing.assert_array_equal(host(y), 2 * a)
    np.testing.assert_allclose(host(g), 8 * a + 10)

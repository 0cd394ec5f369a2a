"""NumPy's array methods and attributes on nd.Array, and NumPy's view semantics."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis.extra import numpy as hnp
from hypothesis import strategies as st

import ndgrad as nd

arrays = hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=3, min_side=1,
                                                 max_side=4),
                    elements=st.floats(-5, 5, allow_nan=False))

METHOD_CALLS = [
    ("sum", (), {}), ("sum", (0,), {}), ("mean", (), {}), ("std", (), {"ddof": 0}),
    ("var", (), {}), ("max", (), {}), ("min", (0,), {}), ("argmax", (), {}),
    ("argmin", (), {}), ("prod", (), {}), ("any", (), {}), ("all", (), {}),
    ("cumsum", (), {}), ("cumprod", (), {}), ("flatten", (), {}), ("ravel", (), {}),
    ("astype", ("int32",), {}), ("astype", (np.float32,), {}), ("copy", (), {}),
    ("clip", (-1, 1), {}), ("round", (1,), {}), ("nonzero", (), {}), ("argsort", (), {}),
    ("squeeze", (), {}), ("transpose", (), {}), ("conj", (), {}), ("repeat", (2,), {}),
    ("take", ([0],), {}), ("diagonal", (), {}), ("trace", (), {}),
]


@pytest.mark.parametrize("name,args,kwargs", METHOD_CALLS,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(METHOD_CALLS)])
@settings(max_examples=6)
@given(a=arrays)
def test_methods_match_numpy(name, args, kwargs, a):
    if name in ("diagonal", "trace") and a.ndim < 2:
        a = a.reshape(1, -1)
    if name == "argsort":
        kwargs = dict(kwargs, kind="stable")
    expected = getattr(a, name)(*args, **kwargs)
    got = getattr(nd.asarray(a), name)(*args, **kwargs)
    if isinstance(expected, tuple):
        for e, g in zip(expected, got):
            np.testing.assert_array_equal(np.asarray(g), e)
        return
    assert got.shape == np.shape(expected) and got.dtype == np.asarray(expected).dtype
    np.testing.assert_allclose(np.asarray(got), expected, rtol=1e-12, atol=1e-13)


def test_reshape_transpose_varargs_and_T():
    a = np.arange(24.0).reshape(2, 3, 4)
    x = nd.asarray(a)
    assert x.reshape(4, 6).shape == (4, 6) and x.reshape((6, 4)).shape == (6, 4)
    assert x.reshape(-1).shape == (24,)
    np.testing.assert_array_equal(np.asarray(x.transpose(1, 0, 2)), a.transpose(1, 0, 2))
    np.testing.assert_array_equal(np.asarray(x.transpose((2, 0, 1))), a.transpose((2, 0, 1)))
    np.testing.assert_array_equal(np.asarray(x.T), a.T)
    v = nd.asarray([1.0, 2.0])
    assert v.T.shape == (2,)
    np.testing.assert_array_equal(np.asarray(x.swapaxes(0, 2)), a.swapaxes(0, 2))


def test_scalar_conversions_and_attributes():
    a = np.arange(6, dtype=np.int32).reshape(2, 3)
    x = nd.asarray(a)
    assert x.tolist() == a.tolist() and x.item(4) == 4 and x[1, 2].item() == 5
    assert x.nbytes == a.nbytes and x.itemsize == 4 and x.strides == a.strides
    assert x.flags.c_contiguous and x.flags["C_CONTIGUOUS"] and x.flags.writeable
    assert not x.T.flags.c_contiguous
    z = nd.asarray([1 + 2j, 3 - 1j])
    np.testing.assert_array_equal(np.asarray(z.real), [1.0, 3.0])
    np.testing.assert_array_equal(np.asarray(z.imag), [2.0, -1.0])
    np.testing.assert_array_equal(np.asarray(z.conj()), [1 - 2j, 3 + 1j])
    r = nd.asarray([1.0, 2.0])
    assert r.real is r
    assert 2.0 in r and 5.0 not in r


def test_in_place_methods():
    x = nd.asarray([3.0, 1.0, 2.0])
    assert x.sort() is None
    np.testing.assert_array_equal(np.asarray(x), [1.0, 2.0, 3.0])
    x.fill(7.0)
    np.testing.assert_array_equal(np.asarray(x), [7.0, 7.0, 7.0])
    y = nd.arange(6)
    y.shape = (2, 3)
    assert y.shape == (2, 3)
    f = nd.zeros((2, 2))
    f.flat[1] = 5.0
    f.flat[[2, 3]] = 9.0
    np.testing.assert_array_equal(np.asarray(f), [[0.0, 5.0], [9.0, 9.0]])
    assert [float(v) for v in nd.asarray([[1.0, 2.0]]).flat] == [1.0, 2.0]


def test_views_share_memory_with_their_base():
    base = nd.arange(12.0)
    m = base.reshape(3, 4)
    assert m.base is base and base.base is None
    assert nd.shares_memory(base, m) and nd.may_share_memory(base, m[1:, ::2])
    t = m.T
    s = m[1]
    v = m.view()
    t[0, 0] = 100.0  # m[0, 0]
    s[1] = -1.0  # m[1, 1]
    v[2, 3] = 55.0
    np.testing.assert_array_equal(np.asarray(base)[[0, 5, 11]], [100.0, -1.0, 55.0])
    d = nd.diagonal(m)
    assert d.shape == (3,)
    c = m.copy()
    assert not nd.shares_memory(c, m) and c.flags.owndata
    assert not m.flags.owndata


def test_methods_are_differentiable():
    a = nd.asarray(np.arange(1.0, 7.0))

    def f(x):
        return x.reshape(2, 3).T.mean(0).std() + x.max() + x.clip(2.5, 4.5).sum() + x.dot(x)
    nd.check_grads(f, a, order=1)


def test_astype_accepts_numpy_spellings():
    x = nd.asarray([1.7, -2.2])
    for d in ("int32", np.int32, np.dtype("int32"), int, "float32", float):
        assert x.astype(d).dtype == np.asarray([1.7, -2.2]).astype(d).dtype


def test_dtype_names_construct_numpy_scalars_and_stay_dtypes():
    for name in ("bool", "int8", "int32", "int64", "uint8", "float32", "float64",
                 "complex64"):
        t = getattr(nd, name)
        assert t == np.dtype(name) and np.dtype(name) == t and str(t) == name
        sc = np.dtype(name).type      # (hashes as NumPy's scalar type: test_trust5_dtypes)
        assert hash(t) == hash(sc) and {sc: 1}[t] == 1 and {t: 1}[sc] == 1
        assert nd.zeros(2, dtype=t).dtype == np.dtype(name)
        assert np.zeros(2, dtype=t).dtype == np.dtype(name)  # NumPy takes it too
    v = nd.float32(3.0)
    assert type(v) is np.float32 and repr(v) == repr(np.float32(3.0))
    assert isinstance(np.int64(1), nd.int64) and not isinstance(1.0, nd.int64)
    assert nd.asarray([1.5]).astype(nd.int32).dtype == np.int32
    assert nd.isdtype(nd.float64, "real floating") and nd.result_type(nd.int8, nd.float32) == np.float32


def test_diagonal_is_a_view_and_matches_numpy():
    for shape in [(3, 4), (4, 3), (3, 3), (1, 5)]:
        a = np.arange(int(np.prod(shape))).reshape(shape)
        for k in range(-5, 6):
            np.testing.assert_array_equal(np.asarray(nd.diagonal(nd.asarray(a), k)),
                                          np.diagonal(a, k))
    m = nd.arange(9.0).reshape(3, 3)
    assert nd.shares_memory(nd.diagonal(m), m) and nd.shares_memory(m.diagonal(1), m)
    nd.check_grads(lambda x: nd.diagonal(x, 1) * nd.diagonal(x, -1),
                   nd.asarray(np.arange(9.0).reshape(3, 3)))


def test_in_place_methods_keep_gradients_right():
    w = nd.asarray([1.0, 2.0, 3.0, 4.0])

    def sort_in_place(x):
        y = x * 1.0
        y.sort()
        return (y * w).sum()

    def flat_and_put(x):
        y = x * 2.0
        y.flat[1] = x[0] ** 2
        nd.put(y, [3], x[2] * 3.0)
        return (y * w).sum()

    x = nd.asarray([0.3, -1.2, 2.5, 0.9])
    nd.check_grads(sort_in_place, x, order=1)
    nd.check_grads(flat_and_put, x, order=1)
    g = nd.grad(sort_in_place)(x)
    np.testing.assert_allclose(np.asarray(g), [2.0, 1.0, 4.0, 3.0])


def test_imag_of_a_real_array_is_read_only_zeros_as_numpys():
    """NumPy's ``imag`` of a real array (function and attribute) is read-only zeros: a
    write into it raises there, so it must here too (a writable copy took the write and
    reached nothing)."""
    import ndgrad as nd
    a = np.array([1.0, -2.0, np.nan])
    x = nd.asarray(a.copy())
    for got, want in ((nd.imag(x), np.imag(a)), (x.imag, a.imag)):
        np.testing.assert_array_equal(np.asarray(got), want)
        assert got.dtype == want.dtype and not got.flags.writeable
        with pytest.raises(ValueError, match="read-only"):
            got[0] = 1.0
    np.testing.assert_array_equal(np.asarray(x), a)
    z = nd.asarray(np.array([1 + 2j]))
    zi = nd.imag(z)
    zi[0] = 5.0                                  # complex: a view, written through (NumPy)
    assert complex(z[0]) == 1 + 5j


@pytest.mark.parametrize("v,dt", [(0.001, np.float32), (3, None), (2.5, None), (300, "int16"),
                                  (True, None), (-0.0, None), (7, "float64"), (2**40, None)])
def test_asarray_of_a_python_number_is_numpys(v, dt):
    """(the Python-number fast path of the NumPy face's asarray)"""
    import ndgrad as nd
    got, want = nd.asarray(v, dtype=dt), np.asarray(v, dtype=dt)
    assert got.dtype == want.dtype and got.shape == () and repr(got) == repr(want)
    assert np.signbit(np.asarray(got)) == np.signbit(want)
    with pytest.raises(OverflowError):
        nd.asarray(300, dtype=np.int8)

"""The core: dtypes and promotion, creation functions, asarray, the Array type's
attributes, operators, indexing, conversion and printing, devices, DLPack, namespace
info, and the special cases where ndgrad follows the standard rather than NumPy.

Values, dtypes and shapes are compared with NumPy on hypothesis inputs, on every backend
(the ``device`` fixture); error messages are checked for what they must name.
"""
import math
import operator

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st, HealthCheck
from hypothesis.extra import numpy as hnp

import ndgrad as nd
from helpers import host  # noqa: E402  (an explicit copy off any device)


def hsettings(**kw):
    """settings for a @given test that also takes the (stateless) device fixture."""
    return settings(suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow, HealthCheck.data_too_large],
                    **kw)


def same(x, expected):
    """``x`` (an ndgrad Array) has NumPy's values, dtype and shape."""
    expected = host(expected)
    assert isinstance(x, nd.Array)
    assert x.dtype == expected.dtype, (x.dtype, expected.dtype)
    assert x.shape == expected.shape, (x.shape, expected.shape)
    np.testing.assert_array_equal(host(x), expected)


STANDARD_DTYPES = ["bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
                   "uint64", "float32", "float64", "complex64", "complex128"]
NUMERIC = [d for d in STANDARD_DTYPES if d != "bool"]
SMALL_SHAPES = hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4)


def values(dtype, shape=SMALL_SHAPES, finite=True):
    """NumPy arrays of ``dtype`` (small magnitudes, so products stay in range)."""
    d = np.dtype(dtype)
    if d.kind == "b":
        elements = st.booleans()
    elif d.kind in "iu":
        info = np.iinfo(d)
        elements = st.integers(max(info.min, -20), min(info.max, 20))
    elif d.kind == "f":
        elements = st.floats(-100, 100, width=d.itemsize * 8) if finite else None
    else:
        elements = st.complex_numbers(max_magnitude=100, width=d.itemsize * 8)
    return hnp.arrays(d, shape, elements=elements)


# -- dtypes ------------------------------------------------------------------------------
def test_dtype_objects_are_numpys():
    for name in STANDARD_DTYPES:
        assert getattr(nd, name) == np.dtype(name)
        assert str(getattr(nd, name)) == name


@settings(max_examples=60)
@given(st.sampled_from(STANDARD_DTYPES), st.sampled_from(STANDARD_DTYPES))
def test_result_type_and_can_cast_match_numpy(a, b):
    try:
        expected = np.result_type(np.dtype(a), np.dtype(b))
    except TypeError:
        expected = None
    if expected is not None:
        assert nd.result_type(getattr(nd, a), getattr(nd, b)) == expected
        assert nd.result_type(nd.zeros(1, dtype=a), b) == expected
    assert nd.can_cast(getattr(nd, a), getattr(nd, b)) == np.can_cast(a, b)


def test_result_type_with_python_scalars_is_numpy2s():
    assert nd.result_type(nd.int8, 1) == np.int8
    assert nd.result_type(nd.float32, 1.0) == np.float32
    assert nd.result_type(nd.int16, 1.0) == np.float64
    assert nd.result_type(nd.float32, 1j) == np.complex64
    with pytest.raises(ValueError):
        nd.result_type()


@pytest.mark.parametrize("name", ["float32", "float64", "complex64", "complex128"])
def test_finfo_gives_python_floats_equal_to_numpys(name):
    ref = np.finfo(np.dtype(name))
    for arg in (getattr(nd, name), name, nd.ones(1, dtype=name)):
        f = nd.finfo(arg)
        assert type(f.bits) is int and f.bits == ref.bits
        for field in ("eps", "max", "min", "smallest_normal"):
            # a Python float (the standard), and NumPy's own np.float64 for float64,
            # which is both (NumPy's type and printing; docs in _dtypes.finfo_object)
            v = getattr(f, field)
            assert isinstance(v, float)
            assert type(v) is (np.float64 if ref.dtype == np.float64 else float)
            assert v == float(getattr(ref, field))
            if ref.dtype == np.float64:
                assert repr(v) == repr(getattr(ref, field))
        assert f.dtype == ref.dtype  # the real dtype for complex, as the standard says
        assert f.tiny == ref.tiny  # NumPy's other fields stay available
    assert repr(nd.finfo(name)) == repr(ref)


@pytest.mark.parametrize("name", ["int8", "int16", "int32", "int64", "uint8", "uint16",
                                  "uint32", "uint64"])
def test_iinfo_matches_numpy(name):
    ref = np.iinfo(np.dtype(name))
    for arg in (getattr(nd, name), nd.ones(1, dtype=name)):
        i = nd.iinfo(arg)
        assert (i.bits, i.min, i.max, i.dtype) == (ref.bits, ref.min, ref.max, ref.dtype)
        assert type(i.max) is int


def test_finfo_and_iinfo_refuse_the_wrong_kind():
    with pytest.raises(ValueError, match="int32.*iinfo"):
        nd.finfo(nd.int32)
    with pytest.raises(ValueError, match="float32.*finfo"):
        nd.iinfo(nd.float32)


def test_isdtype_kinds():
    assert nd.isdtype(nd.int8, "signed integer")
    assert nd.isdtype(nd.uint8, ("signed integer", "unsigned integer"))
    assert nd.isdtype(nd.uint8, "integral") and not nd.isdtype(nd.uint8, "real floating")
    assert nd.isdtype(nd.complex64, "numeric") and not nd.isdtype(nd.bool, "numeric")
    assert nd.isdtype(nd.float32, nd.float32) and not nd.isdtype(nd.float32, nd.float64)
    with pytest.raises(ValueError, match="valid kinds are .*real floating"):
        nd.isdtype(nd.float32, "reals")


@pytest.mark.parametrize("bad", ["float8", "floot32", "str"])
def test_unknown_dtype_names_list_the_valid_ones(bad):
    # NumPy's names give NumPy's string arrays for dtype="str" (as NumPy); the standard
    # layer underneath refuses it
    from ndgrad._ops import creation as standard
    xp = standard if bad == "str" else nd
    for make in (lambda: xp.asarray([1], dtype=bad), lambda: xp.zeros(2, dtype=bad),
                 lambda: xp.full(2, 1, dtype=bad)):
        with pytest.raises(TypeError) as info:
            make()
        msg = str(info.value)
        assert repr(bad) in msg
        for valid in ("bool", "int8", "uint64", "float32", "float64", "complex128"):
            assert valid in msg


# -- devices -----------------------------------------------------------------------------
def test_devices_print_and_compare():
    assert str(nd.asarray([1.0]).device) == "cpu"
    assert str(nd.asarray([1.0], device="strict").device) == "strict"
    assert nd.asarray([1.0]).device == "cpu"
    assert nd.Device("cuda", 1) != nd.Device("cuda", 0)
    assert str(nd.Device("cuda", 1)) == "cuda:1"


@pytest.mark.parametrize("bad", ["tpu", "cuda:x", "gpu-2"])
def test_unknown_device_names_list_the_valid_ones(bad):
    for make in (lambda: nd.zeros(2, device=bad), lambda: nd.asarray([1.0], device=bad),
                 lambda: nd.asarray([1.0]).to_device(bad)):
        with pytest.raises(ValueError) as info:
            make()
        msg = str(info.value)
        assert repr(bad) in msg and "'cpu'" in msg and "'cuda:N'" in msg and "'strict'" in msg


@pytest.mark.parametrize("op", [operator.add, operator.mul, operator.lt, nd.maximum,
                                nd.matmul])
def test_an_op_on_two_devices_names_both(op):
    a = nd.ones((2, 2))
    b = nd.ones((2, 2), device="strict")
    for x, y, first, second in ((a, b, "cpu", "strict"), (b, a, "strict", "cpu")):
        with pytest.raises(ValueError) as info:
            op(x, y)
        msg = str(info.value)
        assert first in msg and second in msg and msg.index(first) < msg.rindex(second)


@hsettings(max_examples=15)
@given(v=values("float64"))
def test_to_device_round_trip_keeps_values(device, v):
    x = nd.asarray(v, device=device)
    for target in ("cpu", "strict", device):
        y = x.to_device(target)
        assert str(y.device) == target
        same(y, v)
    assert x.to_device(device) is x  # already there: the same array


def test_to_device_is_differentiable():
    x = nd.asarray([1.0, 2.0, -0.5])
    g = nd.grad(lambda t: nd.sum(t.to_device("strict") ** 3))(x)
    assert str(g.device) == "cpu"
    same(g, 3 * host(x) ** 2)
    nd.check_grads(lambda t: nd.sum(nd.sin(t.to_device("strict"))), x, order=2)


def test_asarray_of_an_array_moves_it_and_copies_only_when_asked(device):
    x = nd.asarray([1.0, 2.0])
    y = nd.asarray(x, device=device)
    assert str(y.device) == device
    same(y, [1.0, 2.0])
    assert nd.asarray(x) is x
    with pytest.raises(ValueError, match="copy=False"):
        nd.asarray(x, device="strict", copy=False)


# -- namespace info ------------------------------------------------------------------------
def test_namespace_info():
    info = nd.__array_namespace_info__()
    assert info.capabilities()["boolean indexing"] is True
    assert info.capabilities()["data-dependent shapes"] is True
    assert info.default_device() == "cpu"
    assert isinstance(info.devices(), tuple) and "cpu" in info.devices()
    defaults = info.default_dtypes()
    assert defaults == {"real floating": nd.float64, "complex floating": nd.complex128,
                        "integral": nd.int64, "indexing": nd.int64}
    assert set(info.dtypes()) == set(STANDARD_DTYPES)
    assert set(info.dtypes(kind="unsigned integer")) == {"uint8", "uint16", "uint32",
                                                         "uint64"}
    assert set(info.dtypes(kind=("bool", "complex floating"))) == {"bool", "complex64",
                                                                   "complex128"}
    with pytest.raises(ValueError, match="valid devices"):
        info.dtypes(device="tpu")
    old = nd.set_default_device("strict")
    try:  # the default device is always among the devices
        assert "strict" in info.devices() and info.default_device() == "strict"
        assert str(nd.zeros(2).device) == "strict"
        # NumPy arrays are host data, like lists: they go to the default device
        assert str(nd.asarray(np.arange(3.0)).device) == "strict"
        assert str(nd.linspace(0, 1, 3).device) == "strict"
    finally:
        nd.set_default_device(old)
    assert "strict" not in info.devices()
    assert nd.__array_api_version__ == "2025.12"
    assert nd.asarray(1).__array_namespace__() is nd
    with pytest.raises(ValueError, match="2025.12"):
        nd.asarray(1).__array_namespace__(api_version="2019.01")


# -- creation ------------------------------------------------------------------------------
def test_creation_functions_match_numpy(device):
    same(nd.zeros((2, 3), device=device), np.zeros((2, 3)))
    same(nd.zeros(3, dtype="int32", device=device), np.zeros(3, dtype="int32"))
    same(nd.ones((0, 2), device=device), np.ones((0, 2)))
    assert nd.empty((2, 1), dtype=nd.uint8, device=device).shape == (2, 1)
    assert nd.empty((2, 1), dtype=nd.uint8, device=device).dtype == nd.uint8
    same(nd.full((2,), 7, device=device), np.full((2,), 7))
    same(nd.full((2,), 7.5, device=device), np.full((2,), 7.5))
    same(nd.full((2,), True, device=device), np.full((2,), True))
    same(nd.full((2,), 1j, device=device), np.full((2,), 1j))
    same(nd.full((2,), 3, dtype=nd.float32, device=device), np.full((2,), 3, "float32"))
    same(nd.full((2,), nd.asarray(2.5), device=device), np.full((2,), 2.5))
    same(nd.arange(5, device=device), np.arange(5))
    same(nd.arange(0, 1, 0.25, device=device), np.arange(0, 1, 0.25))
    same(nd.arange(10, 2, -3, dtype=nd.int16, device=device),
         np.arange(10, 2, -3, dtype=np.int16))
    same(nd.linspace(0, 1, 5, device=device), np.linspace(0, 1, 5))
    same(nd.linspace(0, 1, 4, endpoint=False, device=device),
         np.linspace(0, 1, 4, endpoint=False))
    same(nd.linspace(0, 1j, 3, device=device), np.linspace(0, 1j, 3))
    same(nd.eye(3, 2, k=-1, device=device), np.eye(3, 2, k=-1))
    same(nd.eye(2, dtype=nd.int8, device=device), np.eye(2, dtype=np.int8))
    for x in (nd.zeros(2, device=device), nd.arange(3, device=device)):
        assert str(x.device) == device


@hsettings(max_examples=20)
@given(v=st.sampled_from(NUMERIC).flatmap(values))
def test_like_functions_match_numpy(device, v):
    x = nd.asarray(v, device=device)
    same(nd.zeros_like(x), np.zeros_like(v))
    same(nd.ones_like(x), np.ones_like(v))
    same(nd.full_like(x, 3), np.full_like(v, 3))
    same(nd.ones_like(x, dtype=nd.float32), np.ones_like(v, dtype=np.float32))
    assert nd.empty_like(x).shape == v.shape and nd.empty_like(x).dtype == v.dtype
    for y in (nd.zeros_like(x), nd.empty_like(x), nd.full_like(x, 1)):
        assert str(y.device) == device


@hsettings(max_examples=15)
@given(v=values("float64", hnp.array_shapes(min_dims=2, max_dims=3, max_side=4)),
       k=st.integers(-3, 3))
def test_tril_triu_match_numpy(device, v, k):
    x = nd.asarray(v, device=device)
    same(nd.tril(x, k=k), np.tril(v, k=k))
    same(nd.triu(x, k=k), np.triu(v, k=k))


@pytest.mark.parametrize("indexing", ["xy", "ij"])
def test_meshgrid_returns_a_tuple_as_numpy(device, indexing):
    a, b, c = np.arange(2), np.arange(3), np.arange(4)
    out = nd.meshgrid(*(nd.asarray(t, device=device) for t in (a, b, c)), indexing=indexing)
    ref = np.meshgrid(a, b, c, indexing=indexing)
    assert type(out) is tuple and len(out) == 3
    for o, r in zip(out, ref):
        same(o, r)
    assert nd.meshgrid() == ()


@hsettings(max_examples=25)
@given(v=st.sampled_from(STANDARD_DTYPES).flatmap(values))
def test_asarray_matches_numpy(device, v):
    same(nd.asarray(v, device=device), v)
    same(nd.asarray(v.tolist(), device=device), host(v.tolist()))
    if v.size:
        same(nd.asarray(v, dtype=nd.complex128, device=device), v.astype(np.complex128))


def test_asarray_scalars_and_nested_lists(device):
    same(nd.asarray(3, device=device), host(3))
    same(nd.asarray(3.5, device=device), host(3.5))
    same(nd.asarray(True, device=device), host(True))
    same(nd.asarray(2 - 1j, device=device), host(2 - 1j))
    same(nd.asarray(np.float32(1.5), device=device), host(np.float32(1.5)))
    same(nd.asarray([[1, 2], [3, 4]], dtype="float32", device=device),
         host([[1, 2], [3, 4]], dtype="float32"))
    same(nd.asarray([], device=device), host([]))
    same(nd.asarray([nd.asarray(1.0), nd.asarray(2.0)]), host([1.0, 2.0]))


def test_asarray_copy_semantics_follow_numpy():
    a = np.arange(3.0)
    shared = nd.asarray(a, copy=False)
    shared[0] = 5.0
    assert a[0] == 5.0
    copied = nd.asarray(a, copy=True)
    copied[0] = 7.0
    assert a[0] == 5.0
    with pytest.raises(ValueError, match="copy=False.*list"):
        nd.asarray([1.0, 2.0], copy=False)
    with pytest.raises(ValueError, match="copy=False.*float32"):
        nd.asarray(a, dtype=nd.float32, copy=False)
    x = nd.asarray([1.0, 2.0])
    y = nd.asarray(x, copy=True)
    y[0] = 9.0
    same(x, [1.0, 2.0])


@pytest.mark.parametrize("ragged, dim, lens", [
    ([[1, 2], [3]], 1, "2 and 1"),
    ([[[1], [2]], [[3], [4, 5]]], 2, "1 and 2"),
    ([1, [2, 3]], 1, "a scalar and 2"),
])
def test_ragged_asarray_names_the_dimension(device, ragged, dim, lens):
    with pytest.raises(ValueError) as info:
        nd.asarray(ragged, device=device)
    msg = str(info.value)
    assert f"dimension {dim} is ragged" in msg and lens in msg


# -- the Array object ------------------------------------------------------------------------
@hsettings(max_examples=20)
@given(v=st.sampled_from(STANDARD_DTYPES).flatmap(values))
def test_attributes(device, v):
    x = nd.asarray(v, device=device)
    assert x.shape == v.shape and type(x.shape) is tuple
    assert x.ndim == v.ndim and x.size == v.size and x.dtype == v.dtype
    assert str(x.device) == device
    same(x.mT if x.ndim >= 2 else x, np.swapaxes(v, -1, -2) if v.ndim >= 2 else v)
    if x.ndim == 2:
        same(x.T, v.T)


@hsettings(max_examples=40)
@given(v=st.sampled_from(STANDARD_DTYPES).flatmap(
    lambda d: values(d, hnp.array_shapes(min_dims=0, max_dims=3, max_side=5), finite=False)))
def test_str_and_repr_are_numpys(device, v):
    x = nd.asarray(v, device=device)
    assert str(x) == str(v)
    if device == "cpu":
        assert repr(x) == repr(v)
    else:
        assert repr(x) == repr(v)[:-1] + f", device='{device}')"


def test_repr_of_the_issue_example():
    assert repr(nd.asarray([2.0, 2.0])) == "array([2., 2.])"
    assert repr(nd.asarray([1, 2], dtype=nd.int8)) == "array([1, 2], dtype=int8)"
    assert repr(nd.asarray(1.5, dtype=nd.float32)) == "array(1.5, dtype=float32)"


BINARY_OPS = [operator.add, operator.sub, operator.mul, operator.truediv, operator.floordiv,
              operator.mod, operator.pow, operator.eq, operator.ne, operator.lt, operator.le,
              operator.gt, operator.ge]
BITWISE_OPS = [operator.and_, operator.or_, operator.xor, operator.lshift, operator.rshift]


@hsettings(max_examples=30)
@given(data=st.data(), dtype=st.sampled_from(["int8", "int32", "uint8", "int64",
                                              "float32", "float64"]),
       op=st.sampled_from(BINARY_OPS + BITWISE_OPS))
def test_operators_with_arrays_and_python_scalars_match_numpy(device, data, dtype, op):
    if op in BITWISE_OPS and dtype.startswith("float"):
        dtype = "int16"
    if op is operator.truediv and device == "strict" and not dtype.startswith("float"):
        dtype = "float32"  # the standard (strict) divides floating arrays only
    v = data.draw(values(dtype, hnp.array_shapes(min_dims=0, max_dims=2, max_side=3)))
    w = data.draw(values(dtype, v.shape))
    if np.dtype(dtype).kind in "iu":
        if op in (operator.floordiv, operator.mod, operator.truediv):
            w = np.where(w == 0, 1, w).astype(dtype)
        if op in (operator.pow, operator.lshift, operator.rshift):
            v, w = np.abs(v) % 4, np.abs(w) % 4
    s = data.draw(st.integers(1, 3) if np.dtype(dtype).kind in "iu" or op in BITWISE_OPS
                  else st.floats(0.5, 3))
    x, y = nd.asarray(v, device=device), nd.asarray(w, device=device)
    with np.errstate(all="ignore"):
        same(op(x, y), op(v, w))
        same(op(x, s), op(v, s))        # the scalar is weak: the array's dtype wins
        same(op(s, x), op(s, v))        # reflected
        iop = getattr(operator, "i" + op.__name__.strip("_"), None)  # iadd, iand ...
        if iop is not None and host(op(v, s)).dtype == v.dtype:
            z = nd.asarray(v, device=device)
            zv = v.copy()
            z = iop(z, s)
            zv = iop(zv, s)
            same(z, zv)


@hsettings(max_examples=20)
@given(v=values("float64", hnp.array_shapes(min_dims=1, max_dims=2, max_side=4)))
def test_unary_operators_and_matmul(device, v):
    x = nd.asarray(v, device=device)
    same(-x, -v)
    same(+x, +v)
    same(abs(x), abs(v))
    m = v.reshape(v.shape[0], -1)
    xm = nd.asarray(m, device=device)
    np.testing.assert_allclose(host(xm.mT @ xm), m.T @ m)
    i = nd.asarray(v.astype(np.int32), device=device)
    same(~i, ~v.astype(np.int32))
    b = nd.asarray(v > 0, device=device)
    same(~b, ~(v > 0))


def test_in_place_keeps_the_dtype_and_refuses_unsafe_casts():
    x = nd.asarray([1, 2], dtype=nd.int8)
    x += 3
    same(x, host([4, 5], dtype=np.int8))
    y = nd.asarray([1.0, 2.0], dtype=nd.float32)
    y *= nd.asarray([2.0, 2.0], dtype=nd.float32)
    same(y, host([2.0, 4.0], dtype=np.float32))
    with pytest.raises(TypeError):
        x += nd.asarray([1.5, 2.5])


def test_shape_mismatch_names_both_shapes(device):
    with pytest.raises(ValueError) as info:
        nd.ones((2, 3), device=device) + nd.ones((4,), device=device)
    msg = str(info.value)
    assert "(2,3)" in msg.replace(" ", "") and "(4,)" in msg.replace(" ", "")


# -- indexing ----------------------------------------------------------------------------
KEYS = [0, -1, slice(None), slice(1, None, 2), slice(None, None, -1), (Ellipsis, 0),
        (None, 0), (0, Ellipsis, None), ()]


@hsettings(max_examples=20)
@given(v=values("float64", hnp.array_shapes(min_dims=1, max_dims=3, min_side=1,
                                            max_side=4)),
       key=st.sampled_from(KEYS))
def test_getitem_basic_matches_numpy(device, v, key):
    same(nd.asarray(v, device=device)[key], v[key])


@hsettings(max_examples=20)
@given(data=st.data(), v=values("int32", hnp.array_shapes(min_dims=1, max_dims=3,
                                                          min_side=1, max_side=4)))
def test_getitem_integer_arrays_and_masks_match_numpy(device, data, v):
    x = nd.asarray(v, device=device)
    idx = data.draw(hnp.arrays(np.int64, st.integers(0, 3),
                               elements=st.integers(-v.shape[0], v.shape[0] - 1)))
    mask = data.draw(hnp.arrays(np.bool_, v.shape))
    same(x[nd.asarray(mask, device=device)], v[mask])
    same(x[nd.asarray(True, device=device)], v[np.True_])
    # the standard's integer-array keys: one array (or int) per axis
    same(x[(nd.asarray(idx, device=device),) + (0,) * (v.ndim - 1)],
         v[(idx,) + (0,) * (v.ndim - 1)])
    if device == "cpu":  # NumPy's beyond the standard: missing axes, slices beside arrays
        same(x[nd.asarray(idx, device=device)], v[idx])
        same(x[nd.asarray(idx, device=device), ...], v[idx, ...])
    if v.ndim >= 2 and device == "cpu":
        i2 = idx % v.shape[1]
        same(x[:, nd.asarray(i2, device=device)], v[:, i2])


@hsettings(max_examples=20)
@given(data=st.data(), v=values("float64", hnp.array_shapes(min_dims=1, max_dims=2,
                                                            min_side=1, max_side=4)))
def test_setitem_matches_numpy(device, data, v):
    x = nd.asarray(v, device=device)
    ref = v.copy()
    x[0] = 1.5
    ref[0] = 1.5
    same(x, ref)
    x[...] = nd.asarray(ref * 2, device=device)
    ref[...] = ref * 2
    same(x, ref)
    mask = data.draw(hnp.arrays(np.bool_, v.shape))
    x[nd.asarray(mask, device=device)] = -1.0
    ref[mask] = -1.0
    same(x, ref)
    if device == "cpu":  # the standard has no integer-array writes (strict refuses them)
        x[nd.asarray([0], device=device)] = 3.0
        ref[[0]] = 3.0
        same(x, ref)


def test_setitem_through_a_view_reaches_the_base(device):
    x = nd.zeros((2, 3), device=device)
    row = x[1]
    row[1:] = 4.0
    same(x, [[0.0, 0.0, 0.0], [0.0, 4.0, 4.0]])


def test_indexing_errors():
    x = nd.zeros((2, 3))
    with pytest.raises(IndexError):
        x[2]
    with pytest.raises(IndexError):
        x[0, 0, 0]


# -- conversion to Python ------------------------------------------------------------------
def test_python_scalar_conversion(device):
    assert bool(nd.asarray(True, device=device)) is True
    assert int(nd.asarray(3, dtype=nd.uint8, device=device)) == 3
    assert float(nd.asarray(2.5, dtype=nd.float32, device=device)) == 2.5
    assert complex(nd.asarray(1 + 2j, device=device)) == 1 + 2j
    assert operator.index(nd.asarray(4, device=device)) == 4
    assert [10, 20, 30][nd.asarray(1, device=device)] == 20
    with pytest.raises(TypeError, match="integer"):
        operator.index(nd.asarray(1.0, device=device))
    with pytest.raises(TypeError, match=r"shape \(2,\)"):
        float(nd.asarray([1.0, 2.0], device=device))
    with pytest.raises(ValueError, match=r"shape \(2,\)"):  # NumPy's error type
        bool(nd.asarray([1.0, 2.0], device=device))
    assert math.isnan(float(nd.asarray(float("nan"), device=device)))


def test_len_iter_and_format():
    x = nd.asarray([[1, 2], [3, 4]])
    assert len(x) == 2
    same(list(x)[1], [3, 4])
    assert f"{nd.asarray(1.5):.2f}" == "1.50"
    with pytest.raises(TypeError):
        len(nd.asarray(1.0))


# -- DLPack ----------------------------------------------------------------------------------
def test_dlpack_round_trips_share_memory():
    a = np.arange(4.0)
    x = nd.from_dlpack(a)
    same(x, a)
    a[0] = 10.0
    assert float(x[0]) == 10.0
    y = nd.asarray([1.0, 2.0, 3.0])
    assert y.__dlpack_device__() == (1, 0)
    back = np.from_dlpack(y)
    same(y, back)
    z = nd.from_dlpack(y, copy=True)
    z[0] = -1.0
    assert float(y[0]) == 1.0
    same(nd.from_dlpack(y, device="strict"), [1.0, 2.0, 3.0])
    s = nd.asarray([1.0, 2.0], device="strict")
    assert str(nd.from_dlpack(s).device) == "strict"  # stays where it lives
    assert str(nd.from_dlpack(s, device="cpu").device) == "cpu"
    with pytest.raises(TypeError, match="__dlpack__"):
        nd.from_dlpack([1, 2])


def test_numpy_conversion():
    x = nd.asarray([1.0, 2.0])
    same(x, np.asarray(x))
    assert np.asarray(x, dtype=np.float32).dtype == np.float32
    assert np.shares_memory(np.asarray(x), np.asarray(x))
    with pytest.raises(ValueError, match="copy"):
        np.asarray(x, dtype=np.float32, copy=False)
    with pytest.raises(ValueError, match="copy"):
        np.asarray([1, 2], copy=False)  # (NumPy's own, for comparison)
    same(nd.asarray([1, 2], device="strict"), np.asarray(nd.asarray([1, 2], device="strict")))
    with pytest.raises(TypeError, match="not allowed"):   # as CuPy refuses it
        np.asarray(nd.asarray([1, 2], device="cupy_rules"))


# -- the standard over NumPy: visible exceptions to the elementwise table ------------------
def test_floor_divide_at_infinity_follows_the_standard(device):
    inf = math.inf
    x = nd.asarray([inf, inf, -inf, -inf, 1.0, -1.0, 1.0, -1.0, 7.0, -7.0], device=device)
    y = nd.asarray([2.0, -2.0, 2.0, -2.0, -inf, inf, inf, -inf, 2.0, 2.0], device=device)
    want = [inf, -inf, -inf, inf, -0.0, -0.0, 0.0, 0.0, 3.0, -4.0]
    for out in (x // y, nd.floor_divide(x, y)):
        same(out, want)
        np.testing.assert_array_equal(np.signbit(host(out)), np.signbit(want))
    z = nd.asarray([inf, -1.0], device=device)
    z //= 2.0
    same(z, [inf, -1.0])
    same(nd.asarray([7, -7], device=device) // 2, [3, -4])  # integers: NumPy's
    if device == "cpu":  # in place: NumPy's same_kind casting rule still holds
        w = nd.asarray([5, 7])
        with pytest.raises(TypeError, match="same_kind"):
            w //= 2.5
        same(w, [5, 7])


def test_complex_expm1_and_tanh_special_cases(device):
    inf, nan = math.inf, math.nan
    z = nd.asarray([complex(-inf, inf), complex(inf, 0.0), complex(-0.0, 0.0),
                    complex(nan, 0.0), 0.5 + 0.25j], device=device)
    out = host(nd.expm1(z))
    np.testing.assert_array_equal(out[:2], [-1 + 0j, complex(inf, 0.0)])
    assert out[2] == 0 and not np.signbit(out[2].real)
    assert np.isnan(out[3].real) and out[3].imag == 0
    np.testing.assert_allclose(out[4], np.expm1(0.5 + 0.25j))
    t = host(nd.tanh(nd.asarray([complex(inf, 2.0), complex(-inf, -2.0), 0.5 + 0.5j],
                                device=device)))
    assert t[0] == 1 and not np.signbit(t[0].imag)
    assert t[1] == -1 and np.signbit(t[1].imag)
    np.testing.assert_allclose(t[2], np.tanh(0.5 + 0.5j))


def test_non_numeric_values_and_shapes_are_refused_clearly():
    # the standard layer refuses strings and objects (np.asarray/np.full of them give
    # NumPy's arrays, tests/numpy/test_np_parity.py)
    from ndgrad._ops import creation as standard
    for f, bad in ((standard.asarray, ["a", "b"]), (standard.asarray, [None]),
                   (standard.asarray, "abc")):
        with pytest.raises(TypeError) as info:
            f(bad)
        assert "float64" in str(info.value) and "bool" in str(info.value)
    with pytest.raises(TypeError, match="fill_value.*str"):
        standard.full(2, "a")
    with pytest.raises(TypeError, match=r"\(2\.5,\)"):
        nd.zeros((2.5,))
    with pytest.raises(ValueError, match=r"\(2, -1\)"):
        nd.ones((2, -1))
    same(nd.zeros(np.int64(2)), np.zeros(2))


def test_complex_sign_of_zero_is_zero(device):
    z = nd.asarray([complex(-0.0, 0.0), complex(-0.0, -0.0), 3 + 4j], device=device)
    out = host(nd.sign(z))
    np.testing.assert_array_equal(out[:2], [0, 0])
    np.testing.assert_allclose(out[2], np.sign(3 + 4j))
    assert not np.signbit(out[:2].real).any() and not np.signbit(out[:2].imag).any()


def test_default_device_from_the_environment():
    import os
    import subprocess
    import sys
    code = "import ndgrad as nd; print(nd.zeros(1).device)"
    env = dict(os.environ, NDGRAD_DEFAULT_DEVICE="strict")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                         text=True, check=True).stdout.strip()
    assert out == "strict"
    env["NDGRAD_DEFAULT_DEVICE"] = "tpu"
    bad = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                         text=True)
    assert bad.returncode != 0 and "valid devices are" in bad.stderr

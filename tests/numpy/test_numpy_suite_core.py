"""Fixes found by NumPy's own _core tests run against ndgrad (compat/numpy/numpy_tests.py):
each case compares ndgrad with NumPy directly (value, dtype, shape)."""
import numpy as np
import pytest

import ndgrad as nd


def same(a, e):
    a, e = np.asarray(a), np.asarray(e)
    assert a.dtype == e.dtype, (a.dtype, e.dtype)
    assert a.shape == e.shape, (a.shape, e.shape)
    np.testing.assert_array_equal(a, e)


# -- values --------------------------------------------------------------------------------
@pytest.mark.skipif(np.dtype(np.longdouble) == np.float64, reason="long double is double")
@pytest.mark.parametrize("t", [np.longdouble, np.clongdouble])
def test_list_of_long_double_arrays_keeps_their_bits(t):
    # NumPy fills a long double array from a list's non-NumPy array-likes through float():
    # maximum([d], [nextafter(d)]) gave d (TestMaximum::test_precision)
    d = np.longdouble(0.1)
    e = t(np.nextafter(d, np.inf))
    n = nd.nextafter(nd.longdouble(0.1), nd.inf) if t is np.longdouble else nd.asarray(e)
    same(nd.maximum([t(d)], [n]), np.maximum([t(d)], [e]))
    same(nd.fmax([n], [t(d)]), np.fmax([e], [t(d)]))
    same(nd.array([[n, n]]), np.array([[e, e]]))


@pytest.mark.parametrize("name", ["zeros_like", "empty_like", "ones_like", "full_like"])
@pytest.mark.parametrize("shape", [None, (4, 2, 3), (3, 2, 4)])
def test_like_functions_keep_a_strided_prototypes_layout(name, shape):
    # order='K' of a prototype neither C nor F contiguous: NumPy keeps its axis order (the
    # strides of zeros_like / empty_like were C's; TestLikeFuncs::test_zeros_like)
    def run(m):
        d = m.arange(24.0).reshape(2, 3, 4).transpose(1, 0, 2)
        args = (5,) if name == "full_like" else ()
        return getattr(m, name)(d, *args, shape=shape)
    r, e = run(nd), run(np)
    assert r.strides == e.strides
    assert r.shape == e.shape and r.dtype == e.dtype
    if name != "empty_like":
        same(r, e)


def _raises_as_numpy(f, *args, **kwargs):
    with pytest.raises(Exception) as e:
        f(np, *args, **kwargs)
    # (the builtin class: NumPy raises its own subclasses, UFuncTypeError ...)
    kind = next(t for t in type(e.value).__mro__ if t.__module__ == "builtins")
    with pytest.raises(kind):
        f(nd, *args, **kwargs)


@pytest.mark.parametrize("casting", ["same_kind", None, "safe"])
def test_numpy_ufunc_out_into_ndgrad_array_keeps_the_casting_rule(casting):
    # numpy.add(numpy_int_array, 1.5, out=ndgrad_int_array) truncated the float result into
    # out; NumPy refuses it (TestClip::test_simple_int32_inout, through ndarray.clip)
    a = np.arange(5, dtype=np.int32)

    def add(m):
        return np.add(a, 1.5, out=m.zeros(5, dtype=m.int32), casting=casting)

    def clip(m):
        return a.clip(np.float64(0), np.float64(2), out=m.zeros(5, dtype=m.int32),
                      casting=casting)
    _raises_as_numpy(add)
    _raises_as_numpy(clip)


def test_numpy_ufunc_out_into_ndgrad_array_where_numpy_writes():
    a = np.arange(5, dtype=np.int32)
    for m in (np, nd):
        o = m.zeros(5, dtype=m.int32)
        np.add(a, 1.5, out=o, casting="unsafe")
        same(o, np.add(a, 1.5).astype(np.int32))
        o = m.zeros(5)
        np.add(a, 1, out=o)
        same(o, np.arange(1.0, 6.0))
    same(np.add.reduce(np.array([1.5, 2.5]), out=nd.zeros((), int)), np.asarray(4))


@pytest.mark.parametrize("order", ["C", "F", "A"])
@pytest.mark.parametrize("copy", [False, True, None])
@pytest.mark.parametrize("layout", ["C", "F"])
def test_reshape_copy_keyword_with_order(order, copy, layout):
    # reshape(a, s, order='F', copy=False) of a C array copied silently (NumPy: ValueError,
    # no view possible; TestNonarrayArgs::test_reshape_copy_arg)
    def run(m, method):
        a = m.array(m.arange(24).reshape(2, 3, 4), order=layout)
        r = (a.reshape((12, 2), order=order, copy=copy) if method else
             m.reshape(a, (12, 2), order=order, copy=copy))
        return r, bool(np.shares_memory(r, a)) if m is np else bool(nd.shares_memory(r, a))
    for method in (False, True):
        try:
            e, e_shared = run(np, method)
        except ValueError:
            with pytest.raises(ValueError, match="Unable to avoid creating a copy"):
                run(nd, method)
            continue
        r, r_shared = run(nd, method)
        same(r, e)
        assert r_shared == e_shared


def test_size_of_several_axes():
    # np.size(a, axis=tuple) raised TypeError (TestNonarrayArgs::test_size)
    a = [[1, 2, 3], [4, 5, 6]]
    for axis in [(), (0,), (1,), (0, 1), (-1, 0)]:
        assert nd.size(a, axis) == np.size(a, axis)
    _raises_as_numpy(lambda m: m.size(a, (0, 0)))
    _raises_as_numpy(lambda m: m.size(a, (2,)))


def test_moveaxis_takes_any_sequence_and_names_the_argument():
    # a range was refused (TestMoveaxis::test_preserve_order); errors name source/destination
    x = np.zeros((1, 2, 3, 4))
    for s, d in [(range(4), range(4)), (range(2), [3, 2]), (np.int64(0), -1)]:
        assert nd.moveaxis(nd.asarray(x), s, d).shape == np.moveaxis(x, s, d).shape
    with pytest.raises(np.exceptions.AxisError, match="source"):
        nd.moveaxis(nd.asarray(x), 4, 0)
    with pytest.raises(np.exceptions.AxisError, match="destination"):
        nd.moveaxis(nd.asarray(x), 0, -5)
    with pytest.raises(ValueError, match="repeated axis in `destination`"):
        nd.moveaxis(nd.asarray(x), [0, 1], [1, 1])


def test_reshape_without_a_shape():
    with pytest.raises(TypeError, match="missing 1 required positional argument: 'shape'"):
        nd.reshape(nd.arange(4))
    _raises_as_numpy(lambda m: m.reshape(m.arange(4), (2, 2), newshape=(4,)))


def test_astype_of_a_list_is_a_type_error():
    # AttributeError 'list' object has no attribute 'dtype' (TestAsType::test_astype)
    with pytest.raises(TypeError, match="Input should be a NumPy array or scalar"):
        nd.astype([[1, 2], [3, 4]], nd.float64)
    same(nd.astype(np.int64(10), nd.float64), np.astype(np.int64(10), np.float64))


def test_only_a_0d_integer_array_is_an_index():
    # a[b:b:b] and operator.index(b) of a one-element b of shape (1, 1, 1) worked
    # (NumPy: TypeError; TestIndexing::test_index_no_array_to_index)
    import operator
    b = nd.array([[[1]]])
    with pytest.raises(TypeError):
        b[b:b:b]
    with pytest.raises(TypeError):
        operator.index(nd.array([2]))
    with pytest.raises(TypeError):
        [1, 2, 3][nd.array([1])]
    assert operator.index(nd.array(2)) == 2
    assert [1, 2, 3][nd.arange(3)[1]] == 2


@pytest.mark.parametrize("key", [True, False, np.array(True), np.array(False), "nd-true"])
def test_flat_with_a_0d_boolean_index(key):
    # x.flat[True] = v wrote every element, x.flat[array(True)] read shape (1, n)
    # (NumPy: the first element, or none for False; TestFlatiterIndexing)
    k = nd.asarray(True) if isinstance(key, str) else key
    ek = True if isinstance(key, str) else key
    a, e = nd.arange(9).reshape(3, 3), np.arange(9).reshape(3, 3)
    with pytest.warns(DeprecationWarning):
        got = a.flat[k]
    with pytest.warns(DeprecationWarning):
        same(got, e.flat[ek])
    with pytest.warns(DeprecationWarning):
        a.flat[k] = 10
    with pytest.warns(DeprecationWarning):
        e.flat[ek] = 10
    same(a, e)


def test_flat_refuses_what_numpy_refuses():
    for key in [np.True_, [True, False] * 4 + [True]]:
        with pytest.raises(IndexError, match="boolean indices for iterators"):
            nd.arange(9).flat[key]
        with pytest.raises(IndexError, match="boolean indices for iterators"):
            nd.arange(9).flat[key] = 1
    same(nd.arange(9).flat[[True, 1]], np.arange(9).flat[[True, 1]])
    a = nd.arange(9).reshape(3, 3)
    with pytest.raises(IndexError, match="0-D index"):
        a.flat[()] = 70
    same(a, np.arange(9).reshape(3, 3))


def test_einsum_argument_errors_as_numpy():
    # no operands was Python's TypeError, out='test' an AttributeError, a bad order= or
    # casting= taken (TestEinsum::test_einsum_errors / test_einsum_specific_errors)
    for f in ("einsum", "einsum_path"):
        _raises_as_numpy(lambda m: getattr(m, f)())
        _raises_as_numpy(lambda m: getattr(m, f)(""))
    _raises_as_numpy(lambda m: m.einsum("", 0, out="test"))
    _raises_as_numpy(lambda m: m.einsum("", 0, order="W"))
    _raises_as_numpy(lambda m: m.einsum("", 0, casting="blah"))
    same(nd.einsum("i,i", nd.arange(3.0), nd.arange(3.0), order="C", casting="no"),
         np.einsum("i,i", np.arange(3.0), np.arange(3.0), order="C", casting="no"))
    with pytest.raises(TypeError, match="out must be an array"):
        nd.add(1, 2, out=[0])


@pytest.mark.parametrize("shape", [(5,), (4, 1), (1, 4), (2, 4)])
def test_concatenate_and_stack_need_out_of_the_results_shape(shape):
    # an out of shape (1, 4) or (2, 4) took the (4,) result broadcast (NumPy: ValueError;
    # TestConcatenate::test_bad_out_shape)
    _raises_as_numpy(lambda m: m.concatenate(([1, 2], [3, 4]), out=m.empty(shape)))
    _raises_as_numpy(lambda m: m.stack(([1, 2], [3, 4]), axis=0,
                                       out=m.empty(shape[::-1] + (2,))))
    o = nd.empty(4)
    same(nd.concatenate(([1, 2], [3, 4]), out=o), np.concatenate(([1, 2], [3, 4]),
                                                                 out=np.empty(4)))


def test_concat_has_numpys_signature():
    # numpy.concat is numpy.concatenate: axis positional, out=, dtype= (ndgrad's was the
    # standard's concat(arrays, /, *, axis=0); TestConcatenate::test_out_and_dtype)
    a = [np.arange(2.0), np.arange(3.0)]
    same(nd.concat(a, 0), np.concat(a, 0))
    same(nd.concat(a, None, dtype=np.float32), np.concat(a, None, dtype=np.float32))
    o, e = nd.empty(5, dtype=nd.complex64), np.empty(5, dtype=np.complex64)
    nd.concat(a, out=o)
    np.concat(a, out=e)
    same(o, e)
    _raises_as_numpy(lambda m: m.concat(a, dtype=np.int64))


def test_result_type_of_none():
    # raised 'needs at least one array or dtype' (TestTypes::test_result_type)
    assert nd.result_type(None) == np.result_type(None)
    assert nd.result_type(None, np.float32) == np.result_type(None, np.float32)


@pytest.mark.parametrize("name", ["bool", "int8", "int16", "uint32", "float16", "float32",
                                  "float64", "complex64"])
@pytest.mark.parametrize("kind", ["generic", "number", "integer", "signedinteger",
                                  "unsignedinteger", "inexact", "floating",
                                  "complexfloating"])
def test_issubclass_of_a_scalar_type_and_an_abstract_one(name, kind):
    # issubclass(np.int16, np.unsignedinteger) raised 'arg 1 must be a class'
    # (TestRationalFunctions::test_gcd)
    assert issubclass(getattr(nd, name), getattr(nd, kind)) == issubclass(
        getattr(np, name), getattr(np, kind))


@pytest.mark.parametrize("name", ["add", "sin", "fmax", "hypot"])
def test_out_tuple_longer_than_the_outputs_is_refused(name):
    # np.add(a, 2, out=(o, o)) wrote o (NumPy: ValueError; TestOut::test_out_subok)
    args = (np.arange(3.0),) * getattr(np, name).nin
    _raises_as_numpy(lambda m: getattr(m, name)(*args, out=(m.zeros(3), m.zeros(3))))
    o, e = nd.zeros(3), np.zeros(3)
    getattr(nd, name)(*args, out=(o,))
    getattr(np, name)(*args, out=(e,))
    same(o, e)


@pytest.mark.skipif(np.dtype(np.longdouble) == np.float64, reason="long double is double")
@pytest.mark.parametrize("t", [np.longdouble, np.clongdouble, "g", "G"])
def test_finfo_of_long_double_keeps_its_values(t):
    # its fields were Python floats: max inf, min -inf, smallest_normal 0.0
    # (TestFloatExceptions::test_floating_exceptions[g])
    f, e = nd.finfo(t), np.finfo(t)
    for name in ("max", "min", "eps", "smallest_normal", "tiny", "resolution"):
        got, want = getattr(f, name), getattr(e, name)
        assert type(got) is type(want) and got == want, name


def test_cross_of_a_0d_array_names_it():
    # the error was moveaxis's 'source -1 is out of bounds' (TestCross::test_zero_dimension)
    for a, b in [(0, [1, 2, 3]), ([1, 2, 3], 3)]:
        with pytest.raises(ValueError, match="At least one array has zero dimension"):
            nd.cross(a, b)


def test_array_ufunc_called_directly_with_no_ufunc():
    with pytest.raises(TypeError):
        nd.asarray(1).__array_ufunc__(1, 2)


def test_clip_refuses_a_bound_given_twice():
    # clip(a, a_min=2, min=3) clipped at 2 (NumPy: ValueError)
    a = np.arange(5)
    _raises_as_numpy(lambda m: m.clip(a, a_min=2, a_max=4, min=3))
    _raises_as_numpy(lambda m: m.clip(a, a_min=2, a_max=4, max=3))
    same(nd.clip(a, a_min=1, a_max=3), np.clip(a, a_min=1, a_max=3))
    same(nd.clip(a, min=1, max=3), np.clip(a, min=1, max=3))


def test_numpy_ufunc_on_ndgrad_arrays_casts_the_inputs_to_dtype():
    # numpy.multiply(ndgrad_array, 2, dtype=int, casting='unsafe') cast the float result
    # ([3, 5]) where NumPy casts the inputs first ([2, 4]); dtype=int under same_kind and
    # casting='no' were taken where NumPy refuses them
    x, e = nd.asarray([1.5, 2.5]), np.asarray([1.5, 2.5])
    same(np.multiply(x, 2, dtype=int, casting="unsafe"),
         np.multiply(e, 2, dtype=int, casting="unsafe"))
    same(np.sqrt(x, dtype=np.float32), np.sqrt(e, dtype=np.float32))
    for m, v in ((np, e), (nd, x)):
        with pytest.raises(TypeError):
            np.add(v, 1, dtype=int)
        with pytest.raises(TypeError):
            np.add(np.asarray([1, 2]), v, casting="no")
        with pytest.raises(TypeError):
            np.add(v, 1, casting=None)


def test_scalar_type_names_reach_numpys_scalar_type_attributes():
    # NumPy's _core test_arrayprint calls np.float64.fromhex: ndgrad's name forwarded to
    # the dtype only (AttributeError); the scalar type's own attributes are reached too
    assert repr(nd.float64.fromhex("0x1.8p1")) == repr(np.float64.fromhex("0x1.8p1"))
    assert nd.int64.bit_count(nd.int64(7)) == np.int64.bit_count(np.int64(7)) == 3
    assert nd.float32.itemsize == 4 and nd.float32.kind == "f"   # (the dtype's, as before)
    with pytest.raises(AttributeError):
        nd.float32.fromhex   # noqa: B018 (NumPy's float32 has none either)

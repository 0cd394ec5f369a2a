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


# -- found by _core/tests/test_multiarray.py ----------------------------------------------------
@pytest.mark.parametrize("make", [lambda m: m.ones(10)[::2], lambda m: m.arange(6.0)[::-1],
                                  lambda m: m.arange(12).reshape(3, 4)[:, 1]])
def test_contiguous_conversions_of_a_strided_1d_array(make):
    # np.ascontiguousarray(np.ones(10)[::2]).flags.c_contiguous was False (1-d arrays were
    # taken as contiguous whatever their step; TestArrayConstruction::test_array_cont)
    for f in (lambda m, a: m.ascontiguousarray(a), lambda m, a: m.asfortranarray(a),
              lambda m, a: m.asarray(a, order="C"), lambda m, a: m.asarray(a, order="F"),
              lambda m, a: m.array(a, order="C"), lambda m, a: m.array(a, order="F", copy=None)):
        r, e = f(nd, make(nd)), f(np, make(np))
        same(r, e)
        assert (r.flags.c_contiguous, r.flags.f_contiguous) == (
            e.flags.c_contiguous, e.flags.f_contiguous)
        assert r.strides == e.strides
    with pytest.raises(ValueError):
        nd.asarray(make(nd), order="C", copy=False)


def test_frombuffer_is_a_view_of_the_buffer():
    # np.frombuffer copied the bytes: writes did not reach a bytearray, and the array over
    # bytes was writeable where NumPy's is read-only (TestFlags::test_writeable_from_readonly)
    for m in (np, nd):
        b = bytearray(4)
        a = m.frombuffer(b, dtype=m.uint8)
        a[1] = 9
        assert b == bytearray(b"\x00\x09\x00\x00")
        v = m.frombuffer(b"\x00" * 4, dtype=m.uint8)
        assert not v.flags.writeable
        with pytest.raises(ValueError):
            v.setflags(write=True)
        with pytest.raises(ValueError):
            v[0] = 1
    same(nd.frombuffer(b"\x01\x00\x02\x00", dtype=nd.int16, count=1, offset=2),
         np.frombuffer(b"\x01\x00\x02\x00", dtype=np.int16, count=1, offset=2))


@pytest.mark.parametrize("shape", [(1,), (1, 1), (1, 1, 1, 1, 1)])
@pytest.mark.parametrize("conv", [int, float, complex])
def test_python_scalar_of_a_one_element_array_with_dimensions(shape, conv):
    # float(np.array([7.])) gave 7.0; NumPy 2.4 raises TypeError (only 0-d arrays convert;
    # TestMethods::test__complex__should_not_work); bool() of it still works in both
    _raises_as_numpy(lambda m: conv(m.ones(shape)))
    assert bool(nd.ones(shape)) is bool(np.ones(shape)) is True
    assert conv(nd.ones(())) == conv(np.ones(())) and conv(nd.ones(shape)[(0,) * len(shape)]) == 1


def test_partition_kind_and_order_are_checked():
    # x.partition(2, kind='nonsense'), x.argpartition(...) and np.argpartition(x, 2,
    # kind=...) ignored kind (and order) where NumPy raises (TestMethods::test_partition)
    for f in (lambda m, x: x.partition(2, kind="nonsense"),
              lambda m, x: x.argpartition(2, kind="nonsense"),
              lambda m, x: m.argpartition(x, 2, kind="\u00e4"),
              lambda m, x: m.argpartition(x, 2, order="a"),
              lambda m, x: x.partition(2, order="a")):
        _raises_as_numpy(lambda m: f(m, m.arange(10)[::-1].copy()))
    x, e = nd.arange(10)[::-1].copy(), np.arange(10)[::-1].copy()
    x.partition(3, kind="introselect")
    e.partition(3, kind="introselect")
    assert x[3] == e[3] == 3


def test_searchsorted_sorter_out_of_range():
    # a sorter index past the array: NumPy's ValueError (ndgrad's take raised IndexError;
    # TestMethods::test_searchsorted_with_invalid_sorter)
    _raises_as_numpy(lambda m: m.searchsorted(m.arange(5), 4, sorter=[0, 1, 2, 3, 5]))
    # (NumPy checks only the indices its search visits: a negative one is refused always)
    with pytest.raises(ValueError, match="Sorter index out of range"):
        nd.searchsorted(nd.arange(5), 4, sorter=[-1, 0, 1, 2, 3])
    same(nd.searchsorted(nd.asarray([3, 1, 2]), [2, 3], sorter=[1, 2, 0]),
         np.searchsorted(np.asarray([3, 1, 2]), [2, 3], sorter=[1, 2, 0]))


def test_array_copy_and_ndmax_keywords():
    # np.array(x, copy='x') copied (a non-empty string taken as True); NumPy refuses strings.
    # ndmax (NumPy 2.4) was an unexpected keyword (TestCreation::test_ndmax_*)
    _raises_as_numpy(lambda m: m.array([1, 2], copy="always"))
    data = [[[1], [2]], [[3], [4]]]
    for n in (3, 4, 64):
        same(nd.array(data, ndmax=n), np.array(data, ndmax=n))
    same(nd.array(nd.ones((2, 2)), ndmax=1), np.array(np.ones((2, 2)), ndmax=1))
    for kw in ({"ndmax": 2}, {"ndmax": 0}, {"ndmax": -1}, {"ndmax": 65},
               {"ndmax": 1, "ndmin": 2}):
        _raises_as_numpy(lambda m: m.array(data, **kw))
    r = nd.array([[1, 2, 3], [4, 5]], ndmax=1, dtype=object)
    assert r.shape == (2,) and r.dtype == object


def test_flags_fortran():
    # x.flags.fortran: NumPy's alias of f_contiguous (AttributeError; TestMethods::test_copy)
    for make in (lambda m: m.ones((2, 3), order="F"), lambda m: m.ones((2, 3)),
                 lambda m: m.ones(3)):
        assert make(nd).flags.fortran == make(np).flags.fortran


@pytest.mark.parametrize("name", ["sum", "prod", "mean", "std", "var", "max", "min", "argmax",
                                  "argmin", "ptp", "any", "all", "nansum", "nanmean",
                                  "nanstd", "nanvar", "nanmax", "nanmin", "nanargmax",
                                  "median"])
@pytest.mark.parametrize("shape", [(1, 10), (2, 10), (10, 1)])
@pytest.mark.parametrize("grad", [False, True])
def test_reduction_out_has_the_results_shape_exactly(name, shape, grad):
    # np.argmax(a, axis=1, out=np.empty((2, 10), intp)) of a (10, 5) array wrote the (10,)
    # result into both rows; NumPy refuses an out= of any shape but the result's
    # (TestArgmaxArgminCommon::test_np_argmin_argmax_keepdims, ::test_output_shape)
    dt = np.intp if "arg" in name else bool if name in ("any", "all") else np.float64
    x = np.arange(50.0).reshape(10, 5)

    def run(m, a):
        out = m.zeros(shape, dtype=dt)
        getattr(m, name)(a, axis=1, out=out)
        return out
    with pytest.raises(ValueError):
        run(np, x)
    a = nd.asarray(x, requires_grad=grad and dt == np.float64)
    with pytest.raises(ValueError):
        run(nd, a)
    out = nd.zeros(10, dtype=dt)
    getattr(nd, name)(a.detach() if grad else a, axis=1, out=out)
    e = np.zeros(10, dtype=dt)
    getattr(np, name)(x, axis=1, out=e)
    same(out, e)


def test_quantile_out_broadcasts_as_numpys():
    # (NumPy's quantile, percentile and nanmedian write out= through a ufunc: a result
    # broadcast into a larger out is NumPy's behaviour there, kept)
    x = np.arange(50.0).reshape(10, 5)
    for f in (lambda m, o: m.quantile(m.asarray(x), 0.5, axis=1, out=o),
              lambda m, o: m.nanmedian(m.asarray(x), axis=1, out=o)):
        o1, o2 = nd.zeros((2, 10)), np.zeros((2, 10))
        f(nd, o1)
        f(np, o2)
        same(o1, o2)


@pytest.mark.parametrize("ops", [(1000, [1]), (-1, [1]), (3, [1, 2]), ([1, 2], 300)])
def test_choose_python_scalar_choices_are_weak(ops):
    # np.choose([0], [uint8 array, 3]) gave int64 (the scalar made an int64 array first);
    # NumPy's Python scalars take the arrays' dtype (TestChoose::test_output_dtype)
    def run(m):
        chs = [m.asarray(c, dtype=m.uint8) if isinstance(c, list) else c for c in ops]
        return m.choose([0, 1][:len(chs)], chs)
    same(run(nd), run(np))
    f32 = [1.0, 2.0]
    same(nd.choose([0, 1], [nd.asarray(f32, dtype=nd.float32), 3.5]),
         np.choose([0, 1], [np.asarray(f32, dtype=np.float32), 3.5]))
    x = nd.asarray(np.asarray(f32, dtype=np.float32), requires_grad=True)
    r = nd.choose([0, 1], [x, 3.5])   # (the recorded path: the same dtype)
    assert r.dtype == np.float32
    r.sum().backward()
    same(x.grad, np.asarray([1.0, 0.0], dtype=np.float32))


def test_choose_method_takes_the_choices_as_arguments():
    # idx.choose(a, b, c): NumPy's method reads several positional arguments as the choices
    # (TypeError; TestArgmaxArgminCommon::test_all)
    idx = [0, 1, 2, 1]
    ch = [[10, 11, 12, 13], [20, 21, 22, 23], [30, 31, 32, 33]]
    same(nd.asarray(idx).choose(*ch), np.asarray(idx).choose(*ch))
    same(nd.asarray(idx).choose(ch), np.asarray(idx).choose(ch))
    two = [[10, 11], [20, 21]]
    same(nd.asarray([0, 5]).choose(two, mode="clip"), np.asarray([0, 5]).choose(two,
                                                                             mode="clip"))


@pytest.mark.parametrize("f", ["array", "asarray", "asanyarray"])
def test_copy_modes(f):
    # np.array(a, copy=np._CopyMode.IF_NEEDED) raised; copy=_CopyMode.NEVER or np.False_
    # copied where NumPy refuses (a transpose asked C-ordered)
    # (TestArrayCreationCopyArgument::test_compatible_cast, ::test_striding_not_ok)
    mode = np._CopyMode
    for copy in (mode.IF_NEEDED, mode.NEVER, np.False_, mode.ALWAYS, np.True_):
        a, e = nd.arange(3), np.arange(3)
        assert nd.shares_memory(getattr(nd, f)(a, copy=copy), a) == np.shares_memory(
            getattr(np, f)(e, copy=copy), e)
    for copy in (mode.NEVER, np.False_):
        _raises_as_numpy(lambda m: getattr(m, f)(m.ones((2, 3)).T, copy=copy, order="C"))
    _raises_as_numpy(lambda m: getattr(m, f)([1], copy="never"))


def test_arange_start_by_keyword_needs_stop():
    # np.arange(start=4) gave arange(4) (start taken as stop); NumPy refuses it
    # (TestArange::test_require_range)
    _raises_as_numpy(lambda m: m.arange(start=4))
    for kw in ({"stop": 3}, {"start": 1, "stop": 3}, {"start": 1, "stop": 7, "step": 2}):
        same(nd.arange(**kw), np.arange(**kw))
    same(nd.arange(1, stop=3), np.arange(1, stop=3))
    same(nd.arange(1, 5, 2, "float32"), np.arange(1, 5, 2, "float32"))


def test_resize_method_arguments():
    # x.resize() and x.resize(None) made x 0-d (NumPy leaves it), x.resize(-1) gave 10
    # elements of a (3, 3) array (NumPy: ValueError) (TestResize::test_none_shape,
    # ::test_invalid_arguments)
    for args in ((), (None,)):
        x, e = nd.eye(3), np.eye(3)
        x.resize(*args)
        e.resize(*args)
        same(x, e)
    for args, kw in (((-1,), {}), ((2, -1), {}), (("hi",), {}), ((3,), {"refcheck": "hi"})):
        _raises_as_numpy(lambda m: m.eye(3).resize(*args, **kw))
    for args in (((),), (3, 2, 1), (5,)):
        x, e = nd.eye(3), np.eye(3)
        x.resize(*args, refcheck=False)
        e.resize(*args, refcheck=False)
        same(x, e)


def test_small_method_and_keyword_parities():
    # '{:30}'.format(array([pi])) padded the text (NumPy: TypeError, TestFormat);
    # to_device(..., stream=1) ignored the stream (NumPy: ValueError, TestDevice);
    # putmask(a=x, ...) took a by keyword (NumPy: positional only, TestPutmask::test_kwargs);
    # x.conjugate(out) took no out (TestMethods::test_conjugate_out)
    _raises_as_numpy(lambda m: "{:30}".format(m.array([m.pi])))
    assert "{}".format(nd.array([1.5, 2.0])) == "{}".format(np.array([1.5, 2.0]))
    assert "{:.2f}".format(nd.array(1.5)) == "{:.2f}".format(np.array(1.5))
    _raises_as_numpy(lambda m: m.arange(5).to_device("cpu", stream=1))
    _raises_as_numpy(lambda m: m.putmask(a=m.zeros(2), mask=[0, 1], values=[-1, -2]))
    x, e = nd.zeros(2), np.zeros(2)
    nd.putmask(x, values=[-1, -2], mask=[0, 1])
    np.putmask(e, values=[-1, -2], mask=[0, 1])
    same(x, e)
    a = [1 - 1j, 1 + 1j, 23 + 23j]
    o, oe = nd.empty(3, complex), np.empty(3, complex)
    assert nd.asarray(a).conjugate(o) is o
    np.asarray(a).conjugate(oe)
    same(o, oe)
    same(nd.asanyarray([1.0], device="cpu"), np.asanyarray([1.0], device="cpu"))


def test_flat_iterator_details():
    # b.flat.__array__() of a strided b is a copy: NumPy makes it read-only (a write into it
    # would not reach b; it was writeable), and del x.flat[i] is NumPy's TypeError (an
    # AttributeError) (TestFlat::test___array__, test_flat_element_deletion)
    for make in (lambda m: m.arange(20.0).reshape(4, 5)[::2, ::2],
                 lambda m: m.arange(20.0).reshape(4, 5)):
        r, e = make(nd).flat.__array__(), make(np).flat.__array__()
        same(r, e)
        assert r.flags.writeable == e.flags.writeable
    _raises_as_numpy(lambda m: m.ones(3).flat.__delitem__(1))


def test_partition_method_needs_an_axis():
    # x.partition(2, axis=None): NumPy's method refuses it (TypeError); ndgrad partitioned
    # the flattened copy (a 1-d x was changed, a 2-d one raised a broadcast ValueError)
    for shape in ((10,), (2, 5)):
        _raises_as_numpy(lambda m: m.arange(10).reshape(shape).partition(2, axis=None))
    same(nd.partition(nd.arange(10).reshape(2, 5), 9, axis=None),
         np.partition(np.arange(10).reshape(2, 5), 9, axis=None))

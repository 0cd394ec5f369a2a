"""Cases found by NumPy's own lib, linalg and fft test modules run against ndgrad
(compat/numpy/numpy_tests.py): each compared with NumPy directly.

(The failures left are listed, with the reason, in
compat/numpy/numpy_tests_xfails.txt.)
"""
import numpy as np
import pytest

import ndgrad as nd
from helpers import exact as same  # dtype, shape and values exactly as NumPy's


# -- silent wrong results --------------------------------------------------------------------
def test_finfo_longdouble_keeps_its_values():
    # (a Python float held them: max inf, smallest_normal 0.0, 1.0 + eps == 1.0)
    for t in (np.longdouble, np.clongdouble):
        f, e = nd.finfo(t), np.finfo(t)
        for name in ("eps", "max", "min", "smallest_normal"):
            got = getattr(f, name)
            assert got == getattr(e, name) and type(got) is type(getattr(e, name)), name
    eps = nd.finfo(nd.longdouble).eps
    assert 1.0 + eps != 1.0
    # NumPy's histograms test_precision: the range's lower edge above the value
    count, edges = nd.histogram(nd.asarray([1.0], nd.float16), bins=1,
                                range=nd.asarray([1.0 + eps, 2.0], nd.longdouble))
    ecount, eedges = np.histogram(np.asarray([1.0], np.float16), bins=1,
                                  range=np.asarray([1.0 + np.finfo(np.longdouble).eps, 2.0],
                                                   np.longdouble))
    same(count, ecount)
    same(edges, eedges)


def test_quantile_of_python_objects_refused_not_wrapped():
    # NumPy computes in Fractions (its answer is a Fraction); ndgrad handed back an Array of
    # dtype object, which ndgrad arrays are not (its arithmetic and dtype rules differ)
    from fractions import Fraction
    assert np.quantile([1, 2], q=Fraction(1, 3)) == Fraction(4, 3)
    for f in (lambda: nd.quantile([1, 2], q=Fraction(1, 3)),
              lambda: nd.percentile([1, 2], q=[Fraction(100, 3)])):
        with pytest.raises(TypeError, match="booleans and numbers.*dtype object"):
            f()
    same(nd.quantile([1, 2], 0.25), np.quantile([1, 2], 0.25))


def test_trim_zeros_list_in_list_out():
    # (an Array came back: `trim_zeros(l) + [5]` added elementwise where NumPy's appends)
    for filt in ([0, 1, 2, 0], (0, 0, 3, 0), [0, 0], [], [1.5, 0.0]):
        for trim in ("fb", "f", "b"):
            got, want = nd.trim_zeros(filt, trim), np.trim_zeros(filt, trim)
            assert type(got) is type(want) and got == want, (filt, trim, got, want)
    assert nd.trim_zeros([0, 1, 0]) + [5] == [1, 5]
    same(nd.trim_zeros(nd.asarray([0, 1, 2, 0])), np.trim_zeros(np.asarray([0, 1, 2, 0])))
    same(nd.trim_zeros(np.asarray([[0, 0], [0, 3]])), np.trim_zeros(np.asarray([[0, 0], [0, 3]])))


def test_apply_along_axis_masked_results_refused():
    # NumPy's result is a masked array; ndgrad's dropped the mask (the masked values shown)
    a = np.arange(6.0).reshape(3, 2)
    assert isinstance(np.apply_along_axis(lambda v: np.ma.masked_where(v > 2, v), 0, a),
                      np.ma.MaskedArray)
    with pytest.raises(TypeError, match="masked array"):
        nd.apply_along_axis(lambda v: np.ma.masked_where(v > 2, v), 0, nd.asarray(a))
    same(nd.apply_along_axis(lambda v: v[::-1] * 2, 0, nd.asarray(a)),
         np.apply_along_axis(lambda v: v[::-1] * 2, 0, a))


# -- errors where NumPy works, and NumPy's error types ---------------------------------------
def test_matrix_rank_of_empty_matrices():
    for shape in ((0, 0), (3, 0), (0, 3), (2, 0, 0), (2, 3, 0)):
        for kw in ({}, {"tol": 0.1}, {"rtol": 0.1}, {"hermitian": True}):
            if kw.get("hermitian") and shape[-1] != shape[-2]:
                continue
            same(nd.linalg.matrix_rank(nd.zeros(shape), **kw),
                 np.linalg.matrix_rank(np.zeros(shape), **kw))


def test_lstsq_shape_errors_are_linalgerror():
    a = nd.asarray([[0.0, 1.0], [1.0, 1.0], [2.0, 1.0], [3.0, 1.0]])
    with pytest.raises(np.linalg.LinAlgError, match="Incompatible dimensions"):
        nd.linalg.lstsq(a, nd.ones(5))
    with pytest.raises(np.linalg.LinAlgError):
        nd.linalg.lstsq(nd.ones((2, 2, 2)), nd.ones(2))
    with pytest.raises(ValueError):   # (LinAlgError is a ValueError, as before)
        nd.linalg.lstsq(a, nd.ones(5))


def test_iscomplexobj_of_duck_dtypes():
    class DtypeIsAType(list):
        @property
        def dtype(self):
            return complex

    class ScalarType(np.complex128):
        pass

    class DuckDtype:
        type, kind, name = ScalarType, "c", "duck"

    class HasDuckDtype:
        dtype = DuckDtype

    for x in (DtypeIsAType([1j]), HasDuckDtype(), [1j], [1.0], nd.asarray([1j]),
              nd.asarray([1.0]), 1j, "a", None):
        assert nd.iscomplexobj(x) == np.iscomplexobj(x), x
        assert nd.isrealobj(x) == np.isrealobj(x), x


def test_inplace_functions_refuse_a_list_with_typeerror():
    # (NumPy's TypeError; ndgrad raised AttributeError on the list's missing .dtype)
    for f in (lambda: nd.place([1, 2, 3], [True, False, True], [0]),
              lambda: nd.putmask([1, 2, 3], [True, False, True], [0]),
              lambda: nd.put([1, 2], [0], [5]),
              lambda: nd.copyto([1, 2], [3, 4])):
        with pytest.raises(TypeError, match="must be an array"):
            f()
    a, e = nd.arange(4), np.arange(4)
    nd.place(a, a > 1, [9])
    np.place(e, e > 1, [9])
    same(a, e)


def test_dtype_classes_as_dtype():
    same(nd.zeros(2, dtype=np.dtypes.Float32DType), np.zeros(2, dtype=np.dtypes.Float32DType))
    same(nd.add(nd.asarray([1, 2]), 1, dtype=np.dtypes.Float64DType),
         np.add([1, 2], 1, dtype=np.dtypes.Float64DType))
    same(nd.asarray([1, 2]).astype(np.dtypes.Int8DType), np.asarray([1, 2]).astype(np.int8))


def test_cumulative_sum_and_prod_out():
    for f in ("cumulative_sum", "cumulative_prod"):
        x = np.arange(1, 5).reshape(2, 2)
        for kw in ({"axis": 0, "include_initial": True}, {"axis": 1}):
            shape = getattr(np, f)(x, **kw).shape
            o, eo = nd.zeros(shape), np.zeros(shape)
            r = getattr(nd, f)(nd.asarray(x), out=o, **kw)
            getattr(np, f)(x, out=eo, **kw)
            assert r is o
            same(o, eo)
        with pytest.raises(ValueError):
            getattr(nd, f)(nd.asarray([1, 2, 3]), out=nd.zeros(2))


def test_fft_out():
    rng = np.random.default_rng(0)
    y = rng.random((6, 6)) + 1j * rng.random((6, 6))
    for ax in (0, 1):
        o = nd.zeros((6, 6), dtype=nd.complex128)
        assert nd.fft.fft(nd.asarray(y), axis=ax, out=o) is o
        same(o, np.fft.fft(y, axis=ax))
        # into part of the input itself, as NumPy's
        got, want = nd.asarray(y), y.copy()
        key = (slice(None, 3),) if ax == 0 else (slice(None), slice(None, 3))
        nd.fft.fft(got, n=3, axis=ax, out=got[key])
        np.fft.fft(want, n=3, axis=ax, out=want[key])
        same(got, want)
    r = rng.random((4, 5, 6))
    for f, shape in (("rfftn", (4, 5, 4)), ("fftn", (4, 5, 6)), ("fft2", (4, 5, 6)),
                     ("rfft", (4, 5, 4)), ("ihfft", (4, 5, 4))):
        o, eo = nd.zeros(shape, dtype=nd.complex128), np.zeros(shape, complex)
        assert getattr(nd.fft, f)(nd.asarray(r), out=o) is o
        getattr(np.fft, f)(r, out=eo)
        np.testing.assert_allclose(np.asarray(o), eo, rtol=1e-12, atol=1e-12)
    eo = np.zeros(6)
    assert nd.fft.irfft(nd.asarray(np.fft.rfft(r[0, 0])), out=eo) is eo
    np.testing.assert_allclose(eo, r[0, 0])
    x = nd.arange(30.0)
    with pytest.raises(TypeError, match="ArrayType"):
        nd.fft.fft(x, out="")
    with pytest.raises(ValueError, match="wrong shape"):
        nd.fft.fft(x, out=nd.zeros((5, 6), dtype=nd.complex128))
    with pytest.raises(TypeError, match="Cannot cast"):
        nd.fft.fft(x, out=nd.zeros(30))


def test_fftn_repeated_axes_transform_again():
    # (NumPy transforms along a repeated axis again, with that entry's length; ndgrad raised)
    x = np.random.default_rng(1).random((4, 5, 6))
    for f in ("fftn", "ifftn", "rfftn", "irfftn"):
        for axes, s in (((0, 0, 1), None), ((1, 0, 1), (3, 4, 6)), ((2, 2), (5, -1))):
            got = getattr(nd.fft, f)(nd.asarray(x), s=s, axes=axes)
            want = getattr(np.fft, f)(x, s=s, axes=axes)
            assert got.shape == want.shape and got.dtype == want.dtype
            np.testing.assert_allclose(np.asarray(got), want, rtol=1e-10, atol=1e-10)
    # the gradient: of the composed one-dimensional transforms, against finite differences
    x0 = x[0]

    def loss(xp, v):
        return xp.sum(xp.abs(xp.fft.rfftn(v, s=(5, 4, 6), axes=(0, 0, 1))) ** 2)

    g = np.asarray(nd.grad(lambda v: loss(nd, v))(nd.asarray(x0)))
    num, h = np.zeros_like(x0), 1e-6
    for i in np.ndindex(x0.shape):
        a, b = x0.copy(), x0.copy()
        a[i] += h
        b[i] -= h
        num[i] = (loss(np, a) - loss(np, b)) / (2 * h)
    np.testing.assert_allclose(g, num, rtol=1e-5, atol=1e-5)


def test_tofile_and_numpys_format_writer(tmp_path):
    # (NumPy's np.lib.format.write_array, and np.save into a real file, call a.tofile)
    import numpy.lib.format as fmt
    path = tmp_path / "a.npy"
    for e in (np.arange(6.0).reshape(2, 3), np.asarray([1j, 2]),
              np.asfortranarray(np.arange(6).reshape(2, 3)), np.arange(6.0).reshape(2, 3)[:, ::2]):
        with open(path, "wb") as f:
            fmt.write_array(f, nd.asarray(e))
        with open(path, "rb") as f:
            same(fmt.read_array(f), e)
    nd.asarray([1.5, 2.5]).tofile(path, sep=",")
    np.asarray([1.5, 2.5]).tofile(tmp_path / "b.txt", sep=",")
    assert path.read_text() == (tmp_path / "b.txt").read_text()


def test_broadcast_arrays_returns_inputs_of_the_broadcast_shape():
    # NumPy returns such an input itself (writable: a write lands in it); ndgrad returned a
    # read-only view, so `a += 1` raised where NumPy updates x
    x = nd.arange(3.0)
    a, b = nd.broadcast_arrays(x, nd.zeros((2, 3)))
    assert b.flags.writeable and not a.flags.writeable   # (the broadcast one stays read-only)
    for mod in (np, nd):
        x = mod.arange(3.0)
        (c,) = mod.broadcast_arrays(x)
        assert c is x and c.flags.writeable
        c += 1
        same(x, np.arange(1.0, 4.0))
    g = nd.grad(lambda v: nd.sum(nd.broadcast_arrays(v, nd.ones((2, 3)))[0] * 2))
    same(g(nd.arange(3.0)), np.full(3, 4.0))


def test_pad_function_mode_and_numpys_mode_error():
    def tens(vector, pad_width, iaxis, kwargs):
        vector[:pad_width[0]] = 10
        vector[-pad_width[1]:] = 10

    x = np.arange(6).reshape(2, 3)
    same(nd.pad(nd.asarray(x), 2, tens), np.pad(x, 2, tens))
    for mode in (1, None, True):
        with pytest.raises(ValueError, match=f"mode '{mode}' is not supported"):
            nd.pad(nd.arange(3), 1, mode)
    with pytest.raises(ValueError):   # (recorded for a gradient: the differentiable modes)
        nd.grad(lambda v: nd.sum(nd.pad(v, 1, tens)))(nd.arange(3.0))


def test_numpys_error_words():
    with pytest.raises(ValueError, match="at least 2-d"):
        nd.diag_indices_from(nd.arange(3))
    with pytest.raises(ValueError, match="equal length"):
        nd.diag_indices_from(nd.zeros((2, 3)))
    for f in (nd.column_stack, nd.dstack, nd.vstack, nd.hstack):
        with pytest.raises(TypeError, match="arrays to stack must be"):
            f(v for v in ([1], [2]))


def test_host_functions_have_numpys_signature():
    import inspect
    for name in ("nanargmin", "nanargmax"):
        assert (list(inspect.signature(getattr(nd, name)).parameters)
                == list(inspect.signature(getattr(np, name)).parameters))


def test_nan_moments_of_empty_slices_warn_as_numpy():
    # (ndgrad's own path warned "invalid value encountered in divide", once or twice)
    import warnings
    for f in ("nanmean", "nanvar", "nanstd"):
        for shape, axis in (((0, 3), 0), ((0, 3), None), ((3, 0), 1), ((2, 0), (0, 1))):
            got = []
            for xp, x in ((np, np.zeros(shape)), (nd, nd.zeros(shape))):
                with warnings.catch_warnings(record=True) as w:
                    warnings.simplefilter("always")
                    r = getattr(xp, f)(x, axis=axis)
                got.append((np.asarray(r), [(i.category, str(i.message)) for i in w]))
            (e, we), (r, wr) = got
            same(r, e)
            assert wr == we, (f, shape, axis, wr, we)


def test_qr_raw_mode():
    for a in ([[1.0, 2.0], [3.0, 4.0]], np.zeros((0, 3)), np.zeros((3, 0)),
              np.arange(24.0).reshape(2, 3, 4), [[1 + 1j, 2], [3, 4j]], [[1, 2], [3, 4]]):
        got = nd.linalg.qr(nd.asarray(a), mode="raw")
        want = np.linalg.qr(np.asarray(a), mode="raw")
        assert type(got) is tuple and len(got) == 2
        for g, w in zip(got, want):
            np.testing.assert_allclose(np.asarray(g), w, rtol=1e-12, atol=1e-12)
            assert g.dtype == w.dtype and g.shape == w.shape
    with pytest.raises(TypeError, match="no gradient"):
        nd.grad(lambda v: nd.sum(nd.linalg.qr(v, mode="raw")[0]))(nd.eye(2))


def test_loaded_npz_makes_no_reference_cycle():
    # (NpzFile.f held the NpzFile strongly: the file stayed open until a garbage collection)
    import io
    from numpy.testing import assert_no_gc_cycles
    f = io.BytesIO()
    nd.savez(f, [1, 2, 3], b=nd.ones(2))
    f.seek(0)
    with assert_no_gc_cycles():
        nd.load(f)
    f.seek(0)
    z = nd.load(f)
    same(z.f.arr_0, np.asarray([1, 2, 3]))
    assert sorted(dir(z.f)) == ["arr_0", "b"]
    with pytest.raises(AttributeError):
        z.f.nope

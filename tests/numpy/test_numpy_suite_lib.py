"""Cases found by NumPy's own lib, linalg and fft test modules run against ndgrad
(compat/numpy/numpy_tests.py): each compared with NumPy directly.

(The failures left are listed, with the reason, in
compat/numpy/numpy_tests_xfails_lib.txt.)
"""
import numpy as np
import pytest

import ndgrad as nd


def same(a, e):
    a, e = np.asarray(a), np.asarray(e)
    assert a.dtype == e.dtype, (a.dtype, e.dtype)
    assert a.shape == e.shape, (a.shape, e.shape)
    np.testing.assert_array_equal(a, e)


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

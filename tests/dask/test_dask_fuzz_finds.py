"""What a differential fuzz of random programs on Dask-backed arrays (about 2,800 programs,
four chunkings each, values, dtypes, lazy shapes and gradients against the same program
on NumPy-backed arrays) found; Dask's own indexing gave these, and ndgrad passed them on:

- a reversed slice whose start lies before the axis (``x[-5::-1]`` of 4 elements: NumPy's
  empty selection) took the whole axis, in values, gradients and writes;
- an integer and an index array apart (``x[1, :, [0, 2, 3]]``) kept the array's dimension
  in place where NumPy puts it first (a transposed value, or a wrong shape);
- slicing by a Dask index array ``[0]`` gave the lazy shape of the whole axis;
- var/std with a correction past the count gave nan where NumPy's is inf.
"""
import numpy as np
import pytest

da = pytest.importorskip("dask.array")
import ndgrad as nd  # noqa: E402


def _dask(a, chunks=2):
    return nd.asarray(a, device="dask", chunks=chunks)


@pytest.mark.parametrize("key", [np.s_[-5::-1], np.s_[-6:-3:-1], np.s_[-9:2], np.s_[5:],
                                 np.s_[::-2], np.s_[-1:-9:-3], np.s_[1:-1]])
@pytest.mark.parametrize("chunks", [1, 2, 4])
def test_slices_out_of_range(key, chunks):
    a = np.arange(4.0)
    x = _dask(a, chunks)
    got = x[key]
    assert tuple(got.shape) == a[key].shape
    np.testing.assert_array_equal(np.asarray(got), a[key])

    def f(t):
        return nd.sum(t[key] * 2.0) + nd.sum(t)
    np.testing.assert_array_equal(np.asarray(nd.grad(f)(x)), np.asarray(nd.grad(f)(
        nd.asarray(a))))
    y, z = x * 1, a * 1
    y[key] = 9.0
    z[key] = 9.0
    np.testing.assert_array_equal(np.asarray(y), z)


@pytest.mark.parametrize("key", [(1, slice(None), [0, 2, 3]), (0, Ellipsis, [0, 1]),
                                 ([1, 0], slice(None), 2), (slice(None), [0, 2], [1, 3]),
                                 (1, [0, 2], slice(1, 3))])
def test_separated_index_arrays_follow_numpy(key):
    a = np.arange(24.0).reshape(2, 3, 4)
    got = _dask(a)[key]
    assert tuple(got.shape) == a[key].shape
    np.testing.assert_array_equal(np.asarray(got), a[key])
    w = np.arange(a[key].size, dtype=float).reshape(a[key].shape)
    wd = nd.asarray(w, device="dask")
    np.testing.assert_array_equal(
        np.asarray(nd.grad(lambda t: nd.sum(t[key] * wd))(_dask(a))),
        np.asarray(nd.grad(lambda t: nd.sum(t[key] * w))(nd.asarray(a))))


@pytest.mark.parametrize("idx", [[0], [1], [0, 1], [1, 1]])
def test_a_dask_index_array_gives_numpys_shape(idx):
    a = np.arange(10.0).reshape(2, 5)
    x = nd.asarray(a, device="dask")
    i = nd.asarray(np.array(idx), device="dask")
    r = x[i]
    assert tuple(r.shape) == a[idx].shape and len(r) == len(idx)
    np.testing.assert_array_equal(np.asarray(r), a[idx])


@pytest.mark.parametrize("name", ["var", "std"])
def test_moments_with_a_correction_past_the_count(name):
    a = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 7.0]])
    with np.errstate(all="ignore"):
        for kw in ({"axis": 0, "ddof": 3}, {"axis": 0, "ddof": 2}, {"ddof": 9},
                   {"axis": 1, "ddof": 1}):
            want = getattr(np, name)(a, **kw)
            got = np.asarray(getattr(nd, name)(_dask(a), **kw))
            np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("idx,axis", [([0], 0), ([1, 0], 0), ([4, 0, -1], 1), ([0, 0], 0)])
def test_take_gives_numpys_shape(idx, axis):
    a = np.arange(10.0).reshape(2, 5)
    r = nd.take(nd.asarray(a, device="dask"), idx, axis=axis)
    assert tuple(r.shape) == np.take(a, idx, axis=axis).shape
    np.testing.assert_array_equal(np.asarray(r), np.take(a, idx, axis=axis))

"""The Dask device: lazy wrapping, chunks, compute/persist, transfers, printing, errors."""
import numpy as np
import pytest

da = pytest.importorskip("dask.array")
import dask  # noqa: E402

import ndgrad as nd  # noqa: E402


def test_asarray_wraps_a_dask_array_lazily(counting):
    d = da.arange(12.0, chunks=5).reshape(3, 4)
    x = nd.asarray(d)
    assert str(x.device) == "dask" and x.device == "dask" and x.device == nd.Device("dask")
    assert x._data is d                      # wrapped, not copied or computed
    assert x.shape == (3, 4) and x.dtype == nd.float64 and x.ndim == 2 and x.size == 12
    r = repr(x)
    assert r.startswith("Array(dask.array<") and "device='dask'" in r
    assert counting.calls == 0
    np.testing.assert_array_equal(np.asarray(x), np.arange(12.0).reshape(3, 4))
    assert counting.calls == 1


def test_chunks_and_device_moves(counting):
    host = np.arange(10.0)
    x = nd.asarray(host, device="dask", chunks=3)
    assert x._data.chunks == ((3, 3, 3, 1),)
    y = nd.asarray(x, chunks=5)                # rechunk a Dask array
    assert y._data.chunks == ((5, 5),)
    z = nd.asarray([1.0, 2.0], device="dask")
    assert str(z.device) == "dask"
    c = nd.asarray(host).to_device("dask")
    assert str(c.device) == "dask"
    assert counting.calls == 0
    back = x.to_device("cpu")                  # a transfer computes, as asked
    assert counting.calls == 1 and type(back._data) is np.ndarray
    np.testing.assert_array_equal(back._data, host)
    with pytest.raises(ValueError, match="device='dask'"):
        nd.asarray(host, chunks=3)             # chunks only mean something on Dask


def test_to_device_copies_host_data():
    # a later write into the source must not reach the lazy graph
    src = nd.asarray([1.0, 2.0, 3.0])
    d = src.to_device("dask")
    src[0] = 99.0
    host = np.array([5.0, 6.0])
    e = nd.asarray(host, device="dask", chunks=1)
    host[0] = -1.0
    np.testing.assert_array_equal(d.compute()._data, [1.0, 2.0, 3.0])
    np.testing.assert_array_equal(e.compute()._data, [5.0, 6.0])


def test_compute_and_persist(counting):
    x = nd.asarray(da.linspace(0, 1, 7, chunks=3))
    y = nd.sin(x) * 2
    c = y.compute()
    assert counting.calls == 1 and str(c.device) == "cpu"
    np.testing.assert_allclose(c._data, np.sin(np.linspace(0, 1, 7)) * 2, rtol=1e-15)
    p = y.persist()
    assert counting.calls == 2 and str(p.device) == "dask"
    assert len(p._data.dask) == len(p._data.chunks[0])   # the chunks are held values now
    np.testing.assert_array_equal(p.compute()._data, c._data)
    # a CPU array's compute/persist are itself (compute copies to a CPU array)
    a = nd.asarray([1.0])
    assert a.persist() is a and a.compute() is a


def test_persist_and_compute_keep_the_gradient(counting):
    w = nd.asarray(np.array([0.5, -1.0, 2.0]), device="dask", chunks=2, requires_grad=True)
    h = nd.tanh(w).persist()
    loss = nd.sum(h ** 2)
    loss.backward()
    assert counting.calls == 1                 # the persist, nothing else
    assert str(w.grad.device) == "dask"
    t = np.tanh([0.5, -1.0, 2.0])
    np.testing.assert_allclose(w.grad.compute()._data, 2 * t * (1 - t ** 2), rtol=1e-14)
    g = nd.grad(lambda v: nd.sum(v.compute() ** 3))(w)   # compute is differentiable
    assert g.requires_grad        # (w requires grad: the gradient is differentiable in it)
    np.testing.assert_allclose(np.asarray(g.detach()), 3 * np.array([0.5, -1.0, 2.0]) ** 2)


def test_mixing_devices_is_the_standards_error():
    x = nd.asarray(da.ones(3, chunks=2))
    for other in (nd.ones(3), np.ones(3)):
        with pytest.raises(ValueError, match="different devices: dask and cpu"):
            x + other
        with pytest.raises(ValueError, match="different devices"):
            other * x if isinstance(other, nd.Array) else nd.multiply(other, x)
    # Python numbers and lists are not arrays on a device: they join the Dask graph
    np.testing.assert_array_equal(np.asarray(x + 1 + [1.0, 2.0, 3.0]), [3.0, 4.0, 5.0])


def test_data_dependent_shapes_stay_lazy_with_unknown_lengths(counting):
    x = nd.asarray(da.from_array(np.array([3.0, -1.0, 2.0, -5.0, 3.0]), chunks=2))
    m = x[x > 0]
    u = nd.unique_values(x)
    (i,) = nd.nonzero(x > 0)
    assert m.shape == (None,) and u.shape == (None,) and i.shape == (None,)
    assert counting.calls == 0
    np.testing.assert_array_equal(np.asarray(m), [3.0, 2.0, 3.0])
    np.testing.assert_array_equal(np.sort(np.asarray(u)), [-5.0, -1.0, 2.0, 3.0])
    np.testing.assert_array_equal(np.asarray(i), [0, 2, 4])
    # the gradient through a length Dask does not know yet is refused by name, and the
    # where() form the message suggests is lazy and right
    with pytest.raises(ValueError, match="not known until computed.*nd.where"):
        nd.grad(lambda t: nd.sum(t[t > 0] ** 2))(x)
    g = nd.grad(lambda t: nd.sum(nd.where(t > 0, t, 0.0) ** 2))(x)
    assert counting.calls == 3
    np.testing.assert_array_equal(np.asarray(g), [6.0, 0.0, 4.0, 0.0, 6.0])


def test_scalar_conversion_is_an_explicit_compute(counting):
    s = nd.sum(nd.asarray(da.ones(4, chunks=2)))
    assert counting.calls == 0
    assert float(s) == 4.0 and counting.calls == 1


def test_eye_is_numpys_for_every_shape_and_chunking():
    # (dask.array.eye puts ones off the diagonal for some non-square chunkings)
    with dask.config.set({"array.chunk-size": "64B"}):
        for n in (0, 1, 3, 5, 6):
            for m in (0, 2, 4, 5, 7):
                for k in (-3, -1, 0, 1, 2):
                    e = nd.eye(n, m, k=k, device="dask")
                    np.testing.assert_array_equal(np.asarray(e), np.eye(n, m, k))


def test_advanced_indexing_and_its_gradient_are_lazy(counting):
    a = np.arange(12.0).reshape(3, 4)
    x = nd.asarray(a, device="dask", chunks=2)
    cpu = nd.asarray(a)

    def f(t):
        return (nd.sum(t[[2, 0, 2], [1, 1, 3]] ** 2) + nd.sum(t[::-1, 1:] * 3)
                + nd.sum(t[1] ** 3) + nd.sum(nd.take(t, nd.asarray([2, 2, 0], device=t.device),
                                                     axis=1) ** 2))
    v, g = nd.value_and_grad(f)(x)
    assert counting.calls == 0 and str(g.device) == "dask"
    v0, g0 = nd.value_and_grad(f)(cpu)
    np.testing.assert_allclose(float(v), float(v0))
    np.testing.assert_allclose(np.asarray(g), np.asarray(g0))


def test_forward_mode_and_second_order_are_lazy(counting):
    a = np.array([[0.3, -1.2, 2.0], [0.5, 0.1, -0.7]])
    v = np.array([[1.0, 0.5, -1.0], [2.0, 0.0, 1.0]])

    def f(t):
        return nd.sum(nd.tanh(t) * t ** 2) + nd.sum(t @ nd.matrix_transpose(t))
    x = nd.asarray(a, device="dask", chunks=2)
    t = nd.asarray(v, device="dask", chunks=2)
    out, tan = nd.jvp(f, (x,), (t,))
    h = nd.hessian(f)(x)
    hv = nd.hvp(f, (x,), (t,))
    assert counting.calls == 0 and str(h.device) == "dask"
    out0, tan0 = nd.jvp(f, (nd.asarray(a),), (nd.asarray(v),))
    h0 = nd.hessian(f)(nd.asarray(a))
    np.testing.assert_allclose(float(out), float(out0), rtol=1e-13)
    np.testing.assert_allclose(float(tan), float(tan0), rtol=1e-13)
    np.testing.assert_allclose(np.asarray(h), np.asarray(h0), rtol=1e-12, atol=1e-14)
    hv0 = nd.hvp(f, (nd.asarray(a),), (nd.asarray(v),))
    np.testing.assert_allclose(np.asarray(hv), np.asarray(hv0), rtol=1e-12, atol=1e-14)


def test_numpy_indexing_forms_dask_lacks(counting):
    a = np.arange(24.0).reshape(2, 3, 4)
    x = nd.asarray(a, device="dask", chunks=2)
    j = nd.asarray([2, 0, 2], device="dask")
    k = nd.asarray([[1], [2]], device="dask")
    z = nd.asarray(np.float64(3.0), device="dask")
    cases = [
        (x[:, j, k[0]], a[:, [2, 0, 2], [1]]),          # Dask index arrays, point-wise
        (x[1, k], a[1, [[1], [2]]]),                    # an integer with an index array
        (x[None, 0, j], a[None, 0, [2, 0, 2]]),         # None with an index array
        (x[..., nd.asarray([3, 3])], a[..., [3, 3]]),
        (z[nd.asarray(True, device="dask")], np.float64(3.0)[np.True_]),  # a 0-d mask
    ]
    assert counting.calls == 0
    for got, want in cases[:4]:
        assert got.shape == want.shape                  # NumPy's shape, known lazily
    assert cases[4][0].shape == (None,)                 # a mask's count is not known yet
    for got, want in cases:
        np.testing.assert_array_equal(np.asarray(got), want)
    with pytest.raises(IndexError, match="out of bounds"):
        x[5, j]


@pytest.mark.parametrize("call", [
    lambda x: nd.median(x), lambda x: nd.nanmean(x), lambda x: nd.histogram(x),
    lambda x: nd.unique(x), lambda x: nd.unwrap(x),
    lambda x: nd.argwhere(x), lambda x: nd.trim_zeros(x), lambda x: nd.lexsort([x]),
    lambda x: nd.percentile(x, 50.0)])
def test_numpy_functions_needing_host_values_refuse_instead_of_computing(counting, call):
    # a function computed by NumPy on host values would compute the whole Dask array:
    # it raises, naming what to do, and nothing ran
    x = nd.asarray(da.arange(12.0, chunks=4))
    with pytest.raises(TypeError, match=r"Dask array.*compute"):
        call(x)
    assert counting.calls == 0
    # after an explicit compute, the CPU array's values
    assert str(call(x.compute())) == str(call(nd.asarray(np.arange(12.0))))


@pytest.mark.parametrize("name", ["fmod", "frexp", "ldexp", "logaddexp2", "heaviside",
                                  "spacing", "modf"])
def test_numpy_ufuncs_beyond_the_standard_stay_lazy_and_are_numpys(counting, name):
    # NumPy's ufunc through Dask's __array_ufunc__, block by block: NumPy's values (the
    # surrogate formulas are for gradients only: fmod's a - trunc(a/b) b gave 0 for
    # fmod(1e20, 3), NumPy's 1)
    a = np.array([1e20, 5.3, -7.5, 1e300, np.nan, 0.5])
    b = np.array([3.0, 2.0, 2.0, 7.0, 1.0, np.nan])
    u = getattr(np, name)
    args = (a,) if u.nin == 1 else (a, np.array([1, 2, 3, -1, 0, 2]) if name == "ldexp" else b)
    got = getattr(nd, name)(*[nd.asarray(da.from_array(v, chunks=2)) for v in args])
    assert counting.calls == 0
    want = u(*args)
    for g, w in zip(got if isinstance(got, tuple) else (got,),
                    want if isinstance(want, tuple) else (want,)):
        g = np.asarray(g)
        assert g.dtype == w.dtype
        np.testing.assert_array_equal(g, w)


def test_isin_stays_lazy_and_is_numpys(counting):
    x = nd.asarray(da.from_array(np.array([[1, 5], [3, 2]]), chunks=1))
    t = nd.asarray(da.from_array(np.array([2, 3, 9]), chunks=2))
    got = nd.isin(x, t)
    got_inv = nd.isin(x, t, invert=True)
    assert counting.calls == 0 and got.device == x.device
    np.testing.assert_array_equal(np.asarray(got), np.isin([[1, 5], [3, 2]], [2, 3, 9]))
    np.testing.assert_array_equal(np.asarray(got_inv),
                                  np.isin([[1, 5], [3, 2]], [2, 3, 9], invert=True))

"""Values, dtypes and gradients on Dask equal the NumPy backend's across dtypes and shapes
(float32, complex, integers, booleans; empty and 0-d arrays), all built lazily."""
import numpy as np
import pytest

pytest.importorskip("dask")
import dask  # noqa: E402

import ndgrad as nd  # noqa: E402
from dask_helpers import CountingScheduler  # noqa: E402

DTYPES = ["float32", "float64", "complex64", "complex128", "int32", "int64", "uint8", "bool"]
SHAPES = [(), (0,), (3, 0), (5,), (3, 4)]

FUNCS = {
    "sin": nd.sin, "exp": nd.exp, "abs": nd.abs, "negative": nd.negative,
    "sqrt": nd.sqrt, "square": nd.square, "sign": nd.sign, "isnan": nd.isnan,
    "real": nd.real, "conj": nd.conj, "logical_not": nd.logical_not,
    "add": lambda x: x + x, "mul_scalar": lambda x: x * 3, "truediv": lambda x: x / 2,
    "pow": lambda x: x ** 2, "equal": lambda x: x == x, "less": lambda x: x < 1,
    "sum": nd.sum, "prod": nd.prod, "mean": nd.mean, "max": nd.max, "min": nd.min,
    "sum_axis0": lambda x: nd.sum(x, axis=0), "cumulative_sum": lambda x: nd.cumulative_sum(
        nd.reshape(x, (-1,))), "any": nd.any, "all": nd.all,
    "argmax": lambda x: nd.argmax(nd.reshape(x, (-1,))), "sort": lambda x: nd.sort(
        nd.reshape(x, (-1,))), "flip": nd.flip, "reshape": lambda x: nd.reshape(x, (-1,)),
    "expand_dims": lambda x: nd.expand_dims(x, axis=0), "matmul": lambda x: nd.reshape(
        x, (-1,)) @ nd.reshape(x, (-1,)), "where": lambda x: nd.where(x == x, x, x),
    "astype_f32": lambda x: nd.astype(x, nd.float32), "clip": lambda x: nd.clip(x, 0, 2)
    if x.dtype.kind in "iuf" else x, "stack": lambda x: nd.stack([x, x]),
    "concat": lambda x: nd.concat([nd.reshape(x, (-1,))] * 2), "roll": lambda x: nd.roll(
        x, 1), "zeros_like": nd.zeros_like, "full_like": lambda x: nd.full_like(x, 1),
}


def _raw(dtype, shape, seed=0):
    rng = np.random.default_rng(seed)
    v = rng.uniform(-3, 3, shape)
    if dtype.startswith("complex"):
        v = v + 1j * rng.uniform(-3, 3, shape)
    return np.asarray(v).astype(dtype)


def _same(out, ref):
    a, b = np.asarray(out), np.asarray(ref)
    assert a.dtype == b.dtype and a.shape == b.shape, (a.dtype, b.dtype, a.shape, b.shape)
    if a.dtype.kind in "fc":
        tol = 1e-5 if a.dtype in (np.float32, np.complex64) else 1e-12
        np.testing.assert_allclose(a, b, rtol=tol, atol=tol, equal_nan=True)
    else:
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("dtype", DTYPES)
def test_values_and_dtypes_equal_numpy(dtype):
    counter = CountingScheduler()
    checked = 0
    for shape in SHAPES:
        raw = _raw(dtype, shape)
        cpu = nd.asarray(raw)
        x = nd.asarray(raw, device="dask", chunks=2)
        for name, f in FUNCS.items():
            try:
                ref = f(cpu)
            except Exception as e:
                # what the NumPy backend refuses, the Dask backend refuses the same way
                # (NumPy's UFuncTypeError is a TypeError)
                with pytest.raises(TypeError if isinstance(e, TypeError) else type(e)):
                    with dask.config.set(scheduler=counter):
                        f(x).compute()
                continue
            with dask.config.set(scheduler=counter):
                before = counter.calls
                out = f(x)
                assert counter.calls == before, f"{name} on {dtype}{shape} computed"
            assert str(out.device) == "dask", name
            _same(out, ref)
            checked += 1
    assert checked > 100


@pytest.mark.parametrize("dtype", ["float32", "complex64", "complex128"])
def test_gradients_in_float32_and_complex(dtype):
    raw = _raw(dtype, (3, 4), seed=1)

    def f(t):
        y = nd.sin(t) * t + nd.exp(-t * nd.conj(t)) + (t @ nd.matrix_transpose(t))[0, 1]
        return nd.sum(nd.real(y * nd.conj(y)))
    counter = CountingScheduler()
    with dask.config.set(scheduler=counter):
        v, g = nd.value_and_grad(f)(nd.asarray(raw, device="dask", chunks=2))
        assert counter.calls == 0
    v0, g0 = nd.value_and_grad(f)(nd.asarray(raw))
    assert g.dtype == g0.dtype == np.dtype(dtype)
    _same(v, v0)
    _same(g, g0)

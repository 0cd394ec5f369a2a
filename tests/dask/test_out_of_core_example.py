"""``examples/out_of_core_regression.py`` at a small size: the Dask run's coefficients equal
an in-memory NumPy-backend run on the same data, and each step's graph is lazy."""
import importlib.util
import os

import numpy as np
import pytest

pytest.importorskip("dask")
import dask  # noqa: E402

import ndgrad as nd  # noqa: E402
from dask_helpers import CountingScheduler  # noqa: E402

_PATH = os.path.join(os.path.dirname(__file__), "..", "..", "examples",
                     "out_of_core_regression.py")


def _example():
    spec = importlib.util.spec_from_file_location("out_of_core_regression", _PATH)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_dask_run_equals_the_in_memory_run():
    ex = _example()
    x, y = ex.dataset(rows=5000, chunk_rows=700, seed=3)       # 8 chunks, the last short
    assert str(x.device) == "dask" and x._data.chunks[0][-1] == 5000 - 7 * 700
    w, b, losses = ex.fit(x, y, steps=6)
    # the same data in memory: the chunks made one by one, joined, on the NumPy backend
    z = np.concatenate([ex.make_chunk(i, n, 3) for i, n in enumerate(x._data.chunks[0])])
    np.testing.assert_array_equal(np.asarray(x), z[:, :16])
    w0, b0, losses0 = ex.fit(nd.asarray(z[:, :16]), nd.asarray(z[:, 16]), steps=6)
    np.testing.assert_allclose(w, w0, rtol=1e-11, atol=1e-14)
    np.testing.assert_allclose(b, b0, rtol=1e-11, atol=1e-14)
    np.testing.assert_allclose(losses, losses0, rtol=1e-12)
    assert losses[-1] < losses[0] and np.corrcoef(w, ex.true_coefficients()[0])[0, 1] > 0.9


def test_a_step_graph_is_lazy_and_one_pass():
    ex = _example()
    x, y = ex.dataset(rows=3000, chunk_rows=1000)
    counter = CountingScheduler()
    vg = nd.value_and_grad(ex.loss_fn, argnums=(0, 1))
    with dask.config.set(scheduler=counter):
        loss, (gw, gb) = vg(nd.zeros(16, device="dask"), nd.zeros((), device="dask"), x, y)
        assert counter.calls == 0
        dask.compute(loss, gw, gb)
        assert counter.calls == 1


def test_main_prints_coefficients_and_peak_memory(capsys):
    ex = _example()
    ex.main(["--rows", "2000", "--chunk-rows", "500", "--steps", "2"])
    out = capsys.readouterr().out
    assert "coefficients:" in out and "peak resident memory:" in out and "4 chunks" in out

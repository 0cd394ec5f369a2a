"""A value-and-gradient computation on a 2-worker ``dask.distributed`` cluster (loopback)."""
import numpy as np
import pytest

pytest.importorskip("dask")
distributed = pytest.importorskip("distributed")

import ndgrad as nd  # noqa: E402


def _loss(w, x, y):
    p = nd.sigmoid(x @ w) if hasattr(nd, "sigmoid") else 1 / (1 + nd.exp(-(x @ w)))
    return -nd.mean(y * nd.log(p) + (1 - y) * nd.log(1 - p)) + 0.01 * nd.sum(w * w)


def test_value_and_grad_run_on_the_cluster_workers():
    rng = np.random.default_rng(0)
    xh = rng.normal(size=(400, 5))
    yh = (xh @ np.arange(1.0, 6.0) + rng.normal(size=400) > 0).astype(np.float64)
    wh = rng.normal(size=5) * 0.1
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  protocol="tcp", host="127.0.0.1", dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        workers = set(client.scheduler_info()["workers"])
        assert len(workers) == 2
        x = nd.asarray(xh, device="dask", chunks=(50, 5))
        y = nd.asarray(yh, device="dask", chunks=50)
        w = nd.asarray(wh, device="dask")
        value, grad = nd.value_and_grad(_loss)(w, x, y)     # lazy: a graph, no tasks yet
        assert str(grad.device) == "dask"
        with distributed.get_task_stream(client) as stream:
            v, g = value.compute(), grad.compute()           # the active Client computes
        ran_on = {t["worker"] for t in stream.data}
        assert len(stream.data) >= 16                     # every chunk's pieces, as tasks
        assert ran_on <= workers and len(ran_on) == 2, ran_on   # both workers took part
    v0, g0 = nd.value_and_grad(_loss)(nd.asarray(wh), nd.asarray(xh), nd.asarray(yh))
    np.testing.assert_allclose(float(v), float(v0), rtol=1e-12)
    np.testing.assert_allclose(np.asarray(g), np.asarray(g0), rtol=1e-11)

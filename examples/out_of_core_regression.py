"""Logistic regression on a Dask array larger than memory: ``python examples/out_of_core_regression.py``.

The data set (10^8 rows x 16 features, float64: 12.8 GB, by default) is never held whole.
It is a Dask array whose chunks are generated from their own seeds (``--seed`` and the
chunk's number) whenever a computation needs them. Full-batch gradient descent then
builds, each step, one lazy ``nd.value_and_grad`` graph over all the chunks and computes
the loss and both gradients in one pass (``dask.compute``): each chunk is generated,
used and dropped, so the process holds a few chunks at a time, whatever ``--rows`` is.
It prints the loss per step, the coefficients and the peak resident memory.

    python examples/out_of_core_regression.py --rows 10000000 --chunk-rows 500000 --steps 10

Run it on a cluster by starting a ``dask.distributed.Client`` first (``--scheduler``
takes the scheduler's address); the same code then computes on the workers.
"""
from __future__ import annotations

import argparse
import resource
import sys
import time

import numpy as np

import ndgrad as nd

FEATURES = 16


def true_coefficients(d=FEATURES):
    """The coefficients (and intercept) the labels are drawn from."""
    return np.linspace(-1.0, 1.0, d), 0.25


def make_chunk(index, rows, seed, d=FEATURES):
    """Chunk ``index`` of the data: ``rows`` x (``d`` features + the 0/1 label), float64,
    drawn from its own seed, so any chunk can be made again, anywhere, alone."""
    rng = np.random.default_rng([seed, index])
    x = rng.standard_normal((rows, d))
    w, b = true_coefficients(d)
    p = 1.0 / (1.0 + np.exp(-(x @ w + b)))
    y = (rng.random(rows) < p).astype(np.float64)
    return np.concatenate([x, y[:, None]], axis=1)


def dataset(rows, chunk_rows, seed=0, d=FEATURES):
    """``(X, y)`` as lazy ndgrad arrays on device "dask", chunk ``i`` from ``make_chunk(i)``."""
    import dask.array as da
    sizes = [chunk_rows] * (rows // chunk_rows) + ([rows % chunk_rows] if rows % chunk_rows
                                                    else [])

    def block(block_id=None):
        i = block_id[0]
        return make_chunk(i, sizes[i], seed, d)
    z = da.map_blocks(block, chunks=(tuple(sizes), (d + 1,)), dtype=np.float64)
    z = nd.asarray(z)
    return z[:, :d], z[:, d]


def loss_fn(w, b, x, y):
    """The mean logistic loss, log(1 + e^z) - y z with z = x @ w + b."""
    z = x @ w + b
    return nd.mean(nd.logaddexp(0.0, z) - y * z)


def fit(x, y, steps, lr=1.0, log=None):
    """Full-batch gradient descent from zero; the parameters stay on the CPU and go to the
    data's device for each step's graph. Returns ``(w, b, losses)`` as NumPy values."""
    import dask
    d = x.shape[1]
    w = nd.zeros(d)
    b = nd.zeros(())
    vg = nd.value_and_grad(loss_fn, argnums=(0, 1))
    losses = []
    for step in range(steps):
        loss, (gw, gb) = vg(w.to_device(x.device), b.to_device(x.device), x, y)
        if str(x.device) == "dask":
            loss, gw, gb = dask.compute(loss, gw, gb)   # one pass over the chunks
        w = w - lr * gw
        b = b - lr * gb
        losses.append(float(loss))
        if log is not None:
            log(f"step {step:3d}  loss {losses[-1]:.6f}")
    return np.asarray(w), float(b), losses


def peak_rss_mb():
    """This process's peak resident memory in MB (Linux reports KB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rows", type=int, default=10 ** 8)
    p.add_argument("--chunk-rows", type=int, default=500_000)
    p.add_argument("--steps", type=int, default=10)
    p.add_argument("--lr", type=float, default=1.0)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--scheduler", default=None,
                   help="a dask.distributed scheduler address (default: local threads)")
    a = p.parse_args(argv)
    client = None
    if a.scheduler:
        from distributed import Client
        client = Client(a.scheduler)
    x, y = dataset(a.rows, a.chunk_rows, a.seed)
    gb = a.rows * (FEATURES + 1) * 8 / 1e9
    print(f"data: {a.rows} x {FEATURES} float64 + labels = {gb:.2f} GB in "
          f"{len(x._data.chunks[0])} chunks of {a.chunk_rows} rows, generated lazily")
    t0 = time.perf_counter()
    w, b, _ = fit(x, y, a.steps, a.lr, log=print)
    secs = time.perf_counter() - t0
    print("coefficients:", np.array2string(w, precision=4, max_line_width=100))
    print(f"intercept: {b:.4f}")
    print(f"time: {secs:.1f} s for {a.steps} steps ({secs / max(a.steps, 1):.2f} s/step)")
    print(f"peak resident memory: {peak_rss_mb():.0f} MB")
    if client is not None:
        client.close()
    return w, b


if __name__ == "__main__":
    main()

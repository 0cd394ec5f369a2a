"""Fixed cost per call of common NumPy-face calls: ndgrad beside NumPy, in one run.

Each call is timed by the thread's CPU time, best of ``--repeat`` rounds of ``--number``
calls, on a (64, 64) float64 array (small enough that the arithmetic is negligible: the
time is what each library spends per call), interleaved ndgrad / NumPy round by round.

    python benchmarks/fixed_costs.py                 # about 20 s
    python benchmarks/fixed_costs.py --repeat 9 --number 50000
"""
from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import ndgrad as nd  # noqa: E402


def cases():
    a = np.random.default_rng(0).random((64, 64))
    x = nd.asarray(a.copy())
    a3 = np.random.default_rng(1).random((4, 1, 8))
    x3 = nd.asarray(a3.copy())
    return [
        ("x.copy()", lambda: a.copy(), lambda: x.copy()),
        ("x.astype(float32)", lambda: a.astype(np.float32), lambda: x.astype(np.float32)),
        ("copy(x)", lambda: np.copy(a), lambda: nd.copy(x)),
        ("zeros((8, 8))", lambda: np.zeros((8, 8)), lambda: nd.zeros((8, 8))),
        ("ones((8, 8))", lambda: np.ones((8, 8)), lambda: nd.ones((8, 8))),
        ("array([1., 2., 3.])", lambda: np.array([1., 2., 3.]),
         lambda: nd.array([1., 2., 3.])),
        ("asarray(x)", lambda: np.asarray(a), lambda: nd.asarray(x)),
        ("concatenate([x, x])", lambda: np.concatenate([a, a]),
         lambda: nd.concatenate([x, x])),
        ("stack([x, x])", lambda: np.stack([a, a]), lambda: nd.stack([x, x])),
        ("x.flatten()", lambda: a.flatten(), lambda: x.flatten()),
        ("x.transpose()", lambda: a.transpose(), lambda: x.transpose()),
        ("x.reshape(-1)", lambda: a.reshape(-1), lambda: x.reshape(-1)),
        ("x3.squeeze()", lambda: a3.squeeze(), lambda: x3.squeeze()),
        ("x.swapaxes(0, 1)", lambda: a.swapaxes(0, 1), lambda: x.swapaxes(0, 1)),
        ("x + 1.0", lambda: a + 1.0, lambda: x + 1.0),
        ("sin(x)", lambda: np.sin(a), lambda: nd.sin(x)),
        ("sum(x)", lambda: np.sum(a), lambda: nd.sum(x)),
    ]


def _round(f, number):
    t = time.thread_time()
    for _ in range(number):
        f()
    return (time.thread_time() - t) / number


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--repeat", type=int, default=7)
    p.add_argument("--number", type=int, default=20000)
    args = p.parse_args(argv)
    print("| call | NumPy (us) | ndgrad (us) | ratio |\n|---|---:|---:|---:|")
    for name, npf, ndf in cases():
        best_np = best_nd = float("inf")
        for _ in range(args.repeat):
            best_np = min(best_np, _round(npf, args.number))
            best_nd = min(best_nd, _round(ndf, args.number))
        print(f"| `{name}` | {best_np * 1e6:.2f} | {best_nd * 1e6:.2f} | "
              f"{best_nd / best_np:.1f}x |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

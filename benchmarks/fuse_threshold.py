#!/usr/bin/env python
"""Where numexpr starts to beat NumPy op by op: the plan compiler's fusion thresholds.

    python benchmarks/fuse_threshold.py

Times ``sin(a)*a + exp(-(a*a))`` (5 ops) and a 100-op chain through one numexpr call
against NumPy op by op (with ``out=`` into a dead temporary, as a compiled plan does),
one thread each, at sizes from 8 to 4M elements, and prints the ratios.
``ndgrad/graph/compiler/fuse.py`` takes MIN_SIZE, SMALL_MAX_SIZE and SMALL_MIN_OPS from
such a run.
"""
from __future__ import annotations

import os
import timeit

os.environ["NUMEXPR_NUM_THREADS"] = "1"
os.environ["OMP_NUM_THREADS"] = "1"

import numpy as np  # noqa: E402


def _best(f, n):
    return min(timeit.repeat(f, number=n, repeat=5)) / n


def main():
    try:
        import numexpr
    except ImportError:
        print("numexpr is not installed: plans run op by op (no fusion)")
        return
    numexpr.set_num_threads(1)
    kw = dict(out=None, order="K", casting="safe", ex_uses_vml=False)
    five = numexpr.NumExpr("sin(a)*a+exp(-(a*a))", signature=[("a", np.float64)])
    chain = "a"
    for _ in range(25):
        chain = f"(cos(sin({chain}) * a) + 0.5)"
    hundred = numexpr.NumExpr(chain, signature=[("a", np.float64)])

    def np_five(a):
        t = np.sin(a)
        np.multiply(t, a, t)
        u = np.multiply(a, a)
        np.negative(u, u)
        np.exp(u, u)
        np.add(t, u, t)
        return t

    def np_hundred(a):
        h = a
        for _ in range(25):
            h = np.sin(h)
            np.multiply(h, a, h)
            np.cos(h, h)
            np.add(h, 0.5, h)
        return h

    print(f"{'elements':>9}  {'5 ops: numexpr/NumPy':>22}  {'100 ops: numexpr/NumPy':>24}")
    for n in (8, 64, 256, 1024, 16384, 65536, 131072, 262144, 4 << 20):
        a = np.random.default_rng(0).uniform(-2, 2, n)
        k = max(3, 200000 // n)
        r5 = _best(lambda: five(a, **kw), k) / _best(lambda: np_five(a), k)
        k100 = max(3, k // 20)
        r100 = _best(lambda: hundred(a, **kw), k100) / _best(lambda: np_hundred(a), k100)
        print(f"{n:>9}  {r5:>21.2f}x  {r100:>23.2f}x")


if __name__ == "__main__":
    main()

#!/usr/bin/env python
"""The floors under two compiled targets: the work in the hand-written NumPy baseline that
no bit-identical implementation can skip, as a ratio to that baseline.

    python benchmarks/floors.py              # both sections, ~1 minute
    python benchmarks/floors.py mlp --rounds 15

``mlp``: the MLP step's eight matrix products (three forward; the weights' and the hidden
layers' cotangents backward), each with the step's own operands, against the hand step
(forward, backward, in-place SGD). A plan that gives the unoptimised plan's bits calls
the same BLAS products, so their time is under any compiled row; what a target leaves for
everything else (softmax, relu masks, bias sums, the update of 269k parameters) is
``target * hand - products``.

``bigarray``: ``sin``, ``cos`` and ``exp`` over the 4M float64 input (each into a buffer
that exists already) and the first touch of one fresh 32 MB array (the gradient handed
back: the kernel zeroes its pages), against the hand value and gradient. The plan calls
the same ufuncs on every element (a blocked plan too), so these are under its time.

Each line is the best of ``--rounds`` rounds by the thread's CPU time, the pieces and the
rows interleaved round by round (as ``run.py``); the compiled rows (``nd.jit``) are timed
beside them for comparison.
"""
from __future__ import annotations

from one_thread import HERE, ROOT  # noqa: F401  (first: one thread, before NumPy)

import argparse  # noqa: E402
import gc  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

import ndgrad as nd  # noqa: E402
from benchmarks.workloads import bigarray, mlp  # noqa: E402

clock = time.thread_time


def best_of(fns, number, rounds):
    """{name: best seconds per call} for ``fns`` ({name: (fn, calls per round)}), the
    functions interleaved round by round."""
    best = {k: float("inf") for k in fns}
    for _ in range(rounds):
        for k, fn in fns.items():
            n = number[k]
            gc.collect()
            t0 = clock()
            for _ in range(n):
                fn()
            best[k] = min(best[k], (clock() - t0) / n)
    return best


def mlp_pieces():
    """The hand step, its eight products (each a closure over the step's own operands),
    and the compiled step."""
    params, x, _, onehot = mlp._data()
    W1, b1, W2, b2, W3, b3 = params
    h1 = x @ W1 + b1
    a1 = np.maximum(h1, 0)
    h2 = a1 @ W2 + b2
    a2 = np.maximum(h2, 0)
    dz = np.full((x.shape[0], W3.shape[1]), 1e-3, np.float32)
    dh2 = (dz @ W3.T) * (h2 > 0)
    dh1 = (dh2 @ W2.T) * (h1 > 0)
    products = [lambda: x @ W1, lambda: a1 @ W2, lambda: a2 @ W3, lambda: a2.T @ dz,
                lambda: dz @ W3.T, lambda: a1.T @ dh2, lambda: dh2 @ W2.T,
                lambda: x.T @ dh1]

    def all_products():
        for p in products:
            p()

    p_np = [p.copy() for p in params]

    def hand_step():
        _, grads = mlp.numpy_loss_and_grads(p_np, x, onehot)
        for p, g in zip(p_np, grads):
            p -= mlp.LR * g

    loss, _ = mlp.make_ndgrad_loss()
    vg = nd.value_and_grad(loss)
    step = nd.jit(lambda ps, x, oh: (lambda lg: (lg[0], [p - mlp.LR * g for p, g in zip(
        ps, lg[1])]))(vg(ps, x, oh)))
    state = [[nd.asarray(p.copy()) for p in params]]
    xn, ohn = nd.asarray(x.copy()), nd.asarray(onehot.copy())

    def jit_step():
        _, state[0] = step(state[0], xn, ohn)
    jit_step()
    return {"hand NumPy step": hand_step, "the 8 products": all_products,
            "nd.jit step": jit_step}, 0.95


def bigarray_pieces(n=bigarray.N):
    x = np.random.default_rng(0).uniform(-2.0, 2.0, n)
    out = np.empty_like(x)
    out.fill(0.0)

    def transcendental():
        np.sin(x, out=out)
        np.cos(x, out=out)
        np.exp(x, out=out)

    def fresh_array_extra():
        # a fresh array's first touch beyond writing an existing one (the difference of
        # the two, taken by the caller): pages the kernel zeroes on the first write
        np.empty(n).fill(1.0)

    def refill():
        out.fill(1.0)

    xn = nd.asarray(x.copy())
    jvg = nd.jit(nd.value_and_grad(bigarray.ndgrad_f))
    jvg(xn)
    return {"hand NumPy value + gradient": lambda: bigarray.numpy_value_and_grad(x),
            "sin + cos + exp": transcendental, "fresh 32 MB array": fresh_array_extra,
            "fill of an existing one": refill, "nd.jit(value_and_grad)": lambda: jvg(xn)}, 0.8


def report(title, times, base, target, floor_keys, extra=None):
    hand = times[base]
    print(f"\n== {title}")
    for k, t in times.items():
        print(f"  {k:32} {t * 1e3:9.3f} ms   {t / hand:5.3f}x")
    floor = sum(times[k] for k in floor_keys) + (extra or 0.0)
    print(f"  floor (bit-identical)            {floor * 1e3:9.3f} ms   {floor / hand:5.3f}x")
    room = target * hand - floor
    print(f"  target {target}x leaves {room * 1e6:8.1f} us for all other work")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("sections", nargs="*", default=["mlp", "bigarray"])
    ap.add_argument("--rounds", type=int, default=9)
    args = ap.parse_args(argv)
    if "mlp" in args.sections:
        fns, target = mlp_pieces()
        times = best_of(fns, {k: 50 for k in fns}, args.rounds)
        report("mlp: 784-256-256-10 SGD step, batch 128, float32", times, "hand NumPy step",
               target, ["the 8 products"])
        print(f"  the compiled step's other work: "
              f"{(times['nd.jit step'] - times['the 8 products']) * 1e6:.1f} us")
    if "bigarray" in args.sections:
        fns, target = bigarray_pieces()
        times = best_of(fns, {k: 2 for k in fns}, args.rounds)
        first_touch = max(0.0, times["fresh 32 MB array"] - times["fill of an existing one"])
        report("bigarray: sum(sin(x)*x + exp(-x*x)), 4M float64, value + gradient", times,
               "hand NumPy value + gradient", target, ["sin + cos + exp"], first_touch)
        print(f"  (first touch of the fresh output: {first_touch * 1e3:.3f} ms, in the floor)")


if __name__ == "__main__":
    main()

#!/usr/bin/env python
"""Where ndgrad's time goes: the op-application path, piece by piece, against NumPy.

    python benchmarks/breakdown.py            # all sections
    python benchmarks/breakdown.py chain mlp  # some: chain, mlp, bigarray, whatif

For each workload, one ``nd.value_and_grad`` call is split into
  forward   — the user's function with recording on (ops applied through registry.apply),
  backward  — ``run_backward``, split again into the gradient rules themselves (each
              op's ``vjp``, timed by wrapping it) and the engine around them (walking
              nodes, dependency counts, unbroadcast checks, cotangent accumulation),
  rest      — value_and_grad's own setup and result wrapping,
next to the hand-written NumPy forward and backward. The ``chain`` section adds per-op
micro-timings (a bare ufunc, an ndgrad op without and with recording, a Node, an Array).
Timings are best-of-rounds; the instrumented split comes from the fastest instrumented
round, with the wrapper's own cost measured and subtracted.
"""
from __future__ import annotations

import os

from one_thread import HERE, ROOT  # noqa: E402,F401  (first: one thread, before NumPy)

import argparse  # noqa: E402
import collections  # noqa: E402
import gc  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402


import numpy as np  # noqa: E402

import ndgrad as nd  # noqa: E402
from ndgrad._autograd import functional as _functional  # noqa: E402
from ndgrad._autograd.backward import make_leaf  # noqa: E402
from ndgrad._ops.registry import REGISTRY  # noqa: E402

from benchmarks.workloads import bigarray, chain, mlp  # noqa: E402

# thread CPU time by default: on a shared machine the wall clock also counts the time
# spent waiting for a core (``--clock wall`` to use perf_counter)
perf = time.thread_time


def best(fn, number, rounds):
    """Best per-call seconds over ``rounds`` rounds of ``number`` calls."""
    b = float("inf")
    for _ in range(rounds):
        gc.collect()
        t0 = perf()
        for _ in range(number):
            fn()
        b = min(b, (perf() - t0) / number)
    return b


def us(s):
    return f"{s * 1e6:9.2f} us"


def ms(s):
    return f"{s * 1e3:9.2f} ms"


# ------------------------------------------------------------ splitting one call
def capture_rule_calls(run):
    """The (op name, vjp, args, kwargs) of every gradient rule that ``run()`` calls."""
    calls, saved = [], []
    for op in REGISTRY.values():
        if op.vjp is not None:
            saved.append((op, op.vjp))

            def spy(*a, _op=op, _vjp=op.vjp, **k):
                calls.append((_op.name, _vjp, a, k))
                return _vjp(*a, **k)
            op.vjp = spy
    try:
        run()
    finally:
        for op, vjp in saved:
            op.vjp = vjp
    return calls


def split(f, leaves, consts, number, rounds):
    """Time the pieces of differentiating ``f(*leaves, *consts)`` (leaves: NumPy values).

    forward:  ``f`` with recording on (the leaves made with ``make_leaf``);
    backward: ``run_backward`` alone on a freshly recorded graph, as value_and_grad runs it;
    rules:    every gradient rule that backward calls, captured once and replayed alone
              with the very arguments it got (no timer inside the engine).
    Returns (forward, backward, {op name: (seconds, count)}) per call.
    """
    from ndgrad._autograd.backward import run_backward
    arrs = []
    for v in leaves:
        a = nd.asarray(v)
        make_leaf(a)
        arrs.append(a)
    args = arrs + list(consts)
    t_fwd = best(lambda: f(*args), number, rounds)

    def one_backward():
        y = f(*args)
        for a in arrs:
            a._grad = None
        gc.disable()
        t0 = perf()
        run_backward([y._node], [np.ones_like(y._data)])
        dt = perf() - t0
        gc.enable()
        return dt
    t_bwd = min(min(one_backward() for _ in range(number)) for _ in range(rounds))

    y = f(*args)
    calls = capture_rule_calls(lambda: run_backward([y._node], [np.ones_like(y._data)]))
    rules = collections.defaultdict(lambda: [0.0, 0])
    for name, vjp, a, k in calls:
        rules[name][0] += best(lambda: vjp(*a, **k), number, rounds)
        rules[name][1] += 1
    return t_fwd, t_bwd, {k: tuple(v) for k, v in rules.items()}


def print_split(title, t_vg, fwd_rec, fwd_nograd, bwd, rules, hand_total, hand_fwd, fmt):
    rule_sum = sum(s for s, _ in rules.values())
    print(f"\n{title}")
    print(f"  ndgrad value_and_grad                  {fmt(t_vg)}   "
          f"(hand NumPy fwd+bwd {fmt(hand_total)}: {t_vg / hand_total:.2f}x)")
    print(f"    forward, recording                   {fmt(fwd_rec)}   "
          f"(unrecorded {fmt(fwd_nograd)}; NumPy forward {fmt(hand_fwd)})")
    print(f"    run_backward                         {fmt(bwd)}   "
          f"(hand backward ~ {fmt(hand_total - hand_fwd)})")
    print(f"      gradient rules (vjp bodies)        {fmt(rule_sum)}")
    print(f"      engine around them                 {fmt(bwd - rule_sum)}")
    print(f"    rest (value_and_grad's own work)     {fmt(t_vg - fwd_rec - bwd)}")
    print("    rules by op (per call: time, count):")
    for name, (s, c) in sorted(rules.items(), key=lambda kv: -kv[1][0]):
        print(f"      {name:20} {fmt(s)}  x{c:g}")


# ------------------------------------------------------------ sections
def section_chain(rounds):
    print("=" * 78)
    print("chain: 100 elementwise ops on (8,) float64 (per-op overhead)")
    x, a = chain._data()
    xn, an = nd.asarray(x), nd.asarray(a)
    xr = nd.asarray(x)
    make_leaf(xr)
    n = 20000
    rows = [
        ("np.sin(x)", lambda: np.sin(x), "nd.sin(x)", lambda: nd.sin(xn), lambda: nd.sin(xr)),
        ("x * a", lambda: x * a, "x * a", lambda: xn * an, lambda: xr * an),
        ("np.tanh(x)", lambda: np.tanh(x), "nd.tanh(x)", lambda: nd.tanh(xn),
         lambda: nd.tanh(xr)),
        ("x + 0.5", lambda: x + 0.5, "x + 0.5", lambda: xn + 0.5, lambda: xr + 0.5),
    ]
    print(f"\n  {'NumPy':14} {'':>12}   {'ndgrad':14} {'no grad':>12} {'recording':>12}"
          f"   {'no-grad/np':>10} {'rec/np':>7}")
    tot = [0.0, 0.0, 0.0]
    for npname, npf, ndname, ndf, ndr in rows:
        t_np, t_nd, t_rec = best(npf, n, rounds), best(ndf, n, rounds), best(ndr, n, rounds)
        tot[0] += t_np
        tot[1] += t_nd
        tot[2] += t_rec
        print(f"  {npname:14} {us(t_np)}   {ndname:14} {us(t_nd)} {us(t_rec)}   "
              f"{t_nd / t_np:9.2f}x {t_rec / t_np:6.2f}x")
    print(f"  {'mean of 4':14} {us(tot[0] / 4)}   {'':14} {us(tot[1] / 4)} {us(tot[2] / 4)}"
          f"   {tot[1] / tot[0]:9.2f}x {tot[2] / tot[0]:6.2f}x")

    from ndgrad._ops import registry as R
    op = R.REGISTRY["sin"]
    t_node = best(lambda: R.new_node(op, (None,), None, None, {}, ((8,),)), n, rounds)
    t_arr = best(lambda: R._new(R.Array), n, rounds)
    print(f"\n  building one Node: {us(t_node)};  one bare Array (object.__new__): {us(t_arr)}")

    # the engine alone: 100 ``positive`` ops, whose rule returns g untouched
    def pos_chain(x):
        for _ in range(100):
            x = nd.positive(x)
        return x

    def pos_backward():
        y = pos_chain(xr)
        t0 = perf()
        y.backward(np.ones(8))
        return perf() - t0
    t_pos_fwd = best(lambda: pos_chain(xr), 500, rounds) / 100
    t_pos_np = best(lambda: np.positive(x), n, rounds)
    t_pos_bwd = min(min(pos_backward() for _ in range(200)) for _ in range(rounds)) / 100
    print(f"  np.positive(x) {us(t_pos_np)}; nd.positive(x) recording {us(t_pos_fwd)}; "
          f"backward per node when the rule does nothing (engine only) {us(t_pos_bwd)}")

    vg0 = nd.value_and_grad(lambda x, a: nd.sum(x))
    t_fixed = best(lambda: vg0(xn, an), 5000, rounds)
    print(f"  value_and_grad of nd.sum(x) alone (fixed cost of a call): {us(t_fixed)}")

    vg = nd.value_and_grad(chain.ndgrad_f)
    t_vg = best(lambda: vg(xn, an), 300, rounds)
    hand = best(lambda: chain.numpy_value_and_grad(x, a), 500, rounds)
    hand_fwd = best(lambda: chain.numpy_forward(x, a), 500, rounds)
    fwd_nograd = best(lambda: chain.ndgrad_f(xn, an), 500, rounds)
    fwd, bwd, rules = split(chain.ndgrad_f, [x], [an], 300, rounds)
    print_split("  one value_and_grad call (101 recorded ops):", t_vg, fwd, fwd_nograd, bwd,
                rules, hand, hand_fwd, us)
    nrules = sum(c for _, c in rules.values())
    rule_sum = sum(s for s, _ in rules.values())
    print(f"    per node: rule {us(rule_sum / nrules)}, engine {us((bwd - rule_sum) / nrules)}"
          f"; per op forward with recording {us(fwd / 101)}")
    # the hand backward's ufunc calls for comparison
    t_hand_bwd_cycle = (hand - hand_fwd) / chain.CYCLES
    print(f"    hand backward per 4-op cycle {us(t_hand_bwd_cycle)} "
          f"(6 ufunc calls: t*t, 1-, g*, g*a, cos, g*)")


def section_mlp(rounds):
    print("=" * 78)
    print("mlp: 784-256-256-10 step, batch 128, float32")
    params, x, labels, onehot = mlp._data()
    W1, b1, W2, b2, W3, b3 = params
    hand = best(lambda: mlp.numpy_loss_and_grads(params, x, onehot), 20, rounds)

    def np_forward():
        a1 = np.maximum(x @ W1 + b1, 0.0)
        a2 = np.maximum(a1 @ W2 + b2, 0.0)
        z = a2 @ W3 + b3
        z = z - np.max(z, axis=1, keepdims=True)
        logp = z - np.log(np.sum(np.exp(z), axis=1, keepdims=True))
        return -np.sum(onehot * logp) / mlp.BATCH
    hand_fwd = best(np_forward, 20, rounds)
    loss, note = mlp.make_ndgrad_loss()
    pn = [nd.asarray(p) for p in params]
    xn, on = nd.asarray(x), nd.asarray(onehot)
    fwd_nograd = best(lambda: loss(pn, xn, on), 20, rounds)
    vg = nd.value_and_grad(loss)
    t_vg = best(lambda: vg(pn, xn, on), 20, rounds)

    def loss_flat(*a):
        return loss(list(a[:6]), a[6], a[7])
    fwd, bwd, rules = split(loss_flat, params, [xn, on], 20, rounds)
    print_split("  one value_and_grad call (no SGD update):", t_vg, fwd, fwd_nograd, bwd, rules,
                hand, hand_fwd, ms)
    if note:
        print(f"    note: {note}")

    g1 = (x @ W1 > 0).astype(np.float32)
    h1 = x @ W1 + b1
    print("\n  matmuls of the first layer's backward (128x784 @ 784x256 forward):")
    print(f"    dW1 = x.T @ g      {ms(best(lambda: x.T @ g1, 20, rounds))}   needed")
    print(f"    dx  = g @ W1.T     {ms(best(lambda: g1 @ W1.T, 20, rounds))}   NOT needed "
          "(x is data), computed by matmul's rule anyway")
    print(f"    forward x @ W1     {ms(best(lambda: x @ W1, 20, rounds))}")
    from ndgrad._ops.elementwise import _maximum_vjp
    print("\n  relu backward on (128, 256):")
    print(f"    maximum's rule (ties split): {ms(best(lambda: _maximum_vjp(np, g1, None, h1, 0.0), 200, rounds))}"
          f";  hand g * (h > 0): {ms(best(lambda: g1 * (h1 > 0), 200, rounds))}")


def section_bigarray(rounds):
    print("=" * 78)
    n = bigarray.N
    print(f"bigarray: sum(sin(x)*x + exp(-x*x)) on {n} float64")
    x = np.random.default_rng(0).uniform(-2.0, 2.0, n)
    xn = nd.asarray(x)
    hand = best(lambda: bigarray.numpy_value_and_grad(x), 1, rounds)
    hand_fwd = best(lambda: np.sum(np.sin(x) * x + np.exp(-x * x)), 1, rounds)
    fwd_nograd = best(lambda: bigarray.ndgrad_f(xn), 1, rounds)
    vg = nd.value_and_grad(bigarray.ndgrad_f)
    t_vg = best(lambda: vg(xn), 1, rounds)
    fwd, bwd, rules = split(bigarray.ndgrad_f, [x], [], 1, rounds)
    print_split("  one value_and_grad call:", t_vg, fwd, fwd_nograd, bwd, rules, hand, hand_fwd,
                ms)
    t = {k: best(f, 1, rounds) for k, f in [
        ("sin", lambda: np.sin(x)), ("cos", lambda: np.cos(x)), ("exp", lambda: np.exp(x)),
        ("mul", lambda: x * x), ("add", lambda: x + x)]}
    print("\n  one pass over the array: " + ", ".join(f"{k} {ms(v).strip()}"
                                                    for k, v in t.items()))
    print("  passes: hand = sin, neg, mul, exp, mul, add, sum | cos, mul, add, mul, mul, sub"
          " (13, 3 transcendental)")


class _swap_rule:
    """Replace op ``name``'s vjp by ``make(original)`` inside a with-block."""

    def __init__(self, name, make):
        self.op = REGISTRY[name]
        self.make = make

    def __enter__(self):
        self.orig = self.op.vjp
        self.op.vjp = self.make(self.orig)

    def __exit__(self, *exc):
        self.op.vjp = self.orig


def section_whatif(rounds):
    """Measured what-ifs: each suggestion applied by monkeypatching (ndgrad untouched)."""
    print("=" * 78)
    print("what-if: the suggested changes, applied by monkeypatching, measured")

    # -- mlp: the matmul rule skipping the input that needs no gradient; a cheap relu rule
    params, x, labels, onehot = mlp._data()
    loss, _ = mlp.make_ndgrad_loss()
    vg = nd.value_and_grad(loss)
    pn = [nd.asarray(p) for p in params]
    xn, on = nd.asarray(x), nd.asarray(onehot)
    hand = best(lambda: mlp.numpy_loss_and_grads(params, x, onehot), 20, rounds)
    t0 = best(lambda: vg(pn, xn, on), 20, rounds)

    def skip_data_grad(orig):
        def rule(xp, g, ans, a, b, **k):
            if a is x:      # the batch: data, its parent is None, nobody reads this gradient
                return (None, xp.matmul(xp.matrix_transpose(a), g))
            return orig(xp, g, ans, a, b, **k)
        return rule

    def relu_rule(orig):
        def rule(xp, g, ans, a, b, **k):
            if type(b) in (float, int):   # maximum(h, 0.0): ties split, no g - gx
                return (g * (a > b) + (0.5 * g) * (a == b), None)
            return orig(xp, g, ans, a, b, **k)
        return rule

    with _swap_rule("matmul", skip_data_grad):
        t1 = best(lambda: vg(pn, xn, on), 20, rounds)
        with _swap_rule("maximum", relu_rule):
            t2 = best(lambda: vg(pn, xn, on), 20, rounds)
    print("\n  mlp value_and_grad (no update), ratio to hand NumPy fwd+bwd:")
    print(f"    as is                                        {ms(t0)}  {t0 / hand:.2f}x")
    print(f"    matmul rule skips the gradient of the data x {ms(t1)}  {t1 / hand:.2f}x")
    print(f"    + maximum(h, scalar) rule without where/g-gx {ms(t2)}  {t2 / hand:.2f}x")

    # -- chain: multiply's rule skipping the constant operand's gradient
    xc, ac = chain._data()
    xcn, acn = nd.asarray(xc), nd.asarray(ac)
    vgc = nd.value_and_grad(chain.ndgrad_f)
    hand_c = best(lambda: chain.numpy_value_and_grad(xc, ac), 500, rounds)
    c0 = best(lambda: vgc(xcn, acn), 300, rounds)

    def mul_skip_const(orig):
        def rule(xp, g, ans, a, b, **k):
            if b is ac:     # the constant array a: its parent is None
                return (g * b, None)
            return orig(xp, g, ans, a, b, **k)
        return rule
    with _swap_rule("multiply", mul_skip_const):
        c1 = best(lambda: vgc(xcn, acn), 300, rounds)
    print("\n  chain value_and_grad, ratio to hand NumPy fwd+bwd:")
    print(f"    as is                                        {us(c0)}  {c0 / hand_c:.2f}x")
    print(f"    multiply rule skips the constant's gradient  {us(c1)}  {c1 / hand_c:.2f}x")


SECTIONS = {"chain": section_chain, "mlp": section_mlp, "bigarray": section_bigarray,
            "whatif": section_whatif}


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("sections", nargs="*", metavar="SECTION",
                   help=f"any of {', '.join(SECTIONS)} (default: all)")
    p.add_argument("--rounds", type=int, default=7, help="best of this many rounds")
    p.add_argument("--clock", choices=("cpu", "wall"), default="cpu",
                   help="thread CPU time (default) or wall clock (perf_counter)")
    args = p.parse_args(argv)
    global perf
    perf = time.thread_time if args.clock == "cpu" else time.perf_counter
    for name in args.sections or list(SECTIONS):
        if name not in SECTIONS:
            p.error(f"unknown section {name!r}; choose from {', '.join(SECTIONS)}")
        SECTIONS[name](args.rounds)


if __name__ == "__main__":
    main()

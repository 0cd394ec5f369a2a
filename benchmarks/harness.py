"""Timing, checking and memory measurement shared by the workloads.

Every workload is a list of :class:`Impl` — one way of computing the same thing. One of
them is the baseline (hand-written NumPy); every other time is reported as a ratio to it,
measured in the same process, with the implementations interleaved round by round so that
drift (thermal, other processes) hits all of them alike. The time of an implementation is
the best of ``repeat`` rounds; a round runs the step enough times to last ``min_time``.
Each round also records the thread's CPU time (``time.thread_time``): on a loaded machine
the wall clock counts the time the process waited for a core, the CPU time does not, so
when the two ratios disagree the machine was busy.
"""
from __future__ import annotations

import gc
import time
import tracemalloc
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np


@dataclass
class Impl:
    """One implementation of a workload.

    step:    one timed iteration (no arguments).
    check:   returns ``(value, [gradients...])`` as NumPy values, compared with the
             baseline's before timing (None: not compared).
    memory:  a function run once under tracemalloc for the peak extra memory (None: not
             measured; tracemalloc sees NumPy's allocations, not PyTorch's).
    primary: the ndgrad row the workload's target applies to.
    target / mem_target: a row's own targets (the compiled rows have stricter ones).
    skip:    why this implementation does not run (missing library ...).
    """
    name: str
    step: Callable[[], Any] | None = None
    check: Callable[[], tuple] | None = None
    memory: Callable[[], Any] | None = None
    baseline: bool = False
    primary: bool = False
    note: str = ""
    skip: str = ""
    rtol: float = 1e-7
    atol: float = 0.0
    # a target of this row's own (the compiled rows: Session.run, nd.jit), besides the
    # workload's target for its primary row
    target: float | None = None
    mem_target: float | None = None
    # the implementation whose time this row's ratio is taken to (None: the baseline),
    # e.g. the forward-only rows against "NumPy forward only"
    ratio_to: str | None = None
    # filled by run()
    seconds: float | None = None         # best round, wall clock (perf_counter)
    cpu_seconds: float | None = None     # best round, this thread's CPU time (thread_time)
    rounds: list = field(default_factory=list)
    cpu_rounds: list = field(default_factory=list)
    number: int = 0
    peak_bytes: int | None = None
    check_error: str = ""


@dataclass
class Workload:
    key: str
    title: str
    unit: str                      # what one iteration is ("call", "step", "500 steps")
    target: float | None           # ratio to the baseline the primary ndgrad row must meet
    impls: list
    mem_target: float | None = None
    notes: list = field(default_factory=list)


def skipped(name, reason):
    return Impl(name, skip=reason)


# ------------------------------------------------------------------ checking
def _as_np(v):
    if hasattr(v, "detach"):                       # torch tensors
        v = v.detach().cpu().numpy()
    return np.asarray(v, dtype=np.float64)


def compare(ref, got, rtol, atol):
    """'' when ``got`` matches ``ref`` (a (value, [grads]) pair), else what differs."""
    (rv, rgs), (gv, ggs) = ref, got
    pairs = [("value", rv, gv)] + [(f"grad[{i}]", a, b) for i, (a, b) in
                                   enumerate(zip(rgs, ggs))]
    if len(rgs) != len(ggs):
        return f"{len(ggs)} gradients, expected {len(rgs)}"
    for what, a, b in pairs:
        a, b = _as_np(a), _as_np(b)
        if a.shape != b.shape:
            return f"{what}: shape {b.shape}, expected {a.shape}"
        if not np.allclose(a, b, rtol=rtol, atol=atol):
            err = np.max(np.abs(a - b) / (np.abs(a) + atol + 1e-300))
            return f"{what}: max relative error {err:.2e} > rtol {rtol:g}"
    return ""


# ------------------------------------------------------------------ memory
def peak_extra_memory(fn):
    """Peak bytes allocated (as tracemalloc sees them) above the level before ``fn()``,
    with ``fn``'s result still held at the end (so a returned gradient counts)."""
    gc.collect()
    tracemalloc.start()
    try:
        base, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        result = fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del result
    return peak - base


# ------------------------------------------------------------------ timing
def _calibrate(step, min_time):
    """How many calls make one round last at least ``min_time`` seconds."""
    number = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(number):
            step()
        dt = time.perf_counter() - t0
        if dt >= min_time or number >= 1 << 20:
            return number
        number = max(number * 2, int(number * min_time / max(dt, 1e-9) * 1.1))


def time_impls(impls, repeat, min_time, log=print):
    live = [i for i in impls if not i.skip and not i.check_error]
    for impl in live:
        impl.step()                                  # warm up (imports, caches)
        impl.number = _calibrate(impl.step, min_time)
    for r in range(repeat):
        for impl in live:
            gc.collect()
            step, number = impl.step, impl.number
            c0 = time.thread_time()
            t0 = time.perf_counter()
            for _ in range(number):
                step()
            t1 = time.perf_counter()
            c1 = time.thread_time()
            impl.rounds.append((t1 - t0) / number)
            impl.cpu_rounds.append((c1 - c0) / number)
    for impl in live:
        impl.seconds = min(impl.rounds)
        impl.cpu_seconds = min(impl.cpu_rounds)


def run_workload(w: Workload, repeat, min_time, log=print):
    base = next(i for i in w.impls if i.baseline)
    ref = base.check() if base.check else None
    for impl in w.impls:
        if impl.skip or impl.baseline or impl.check is None or ref is None:
            continue
        try:
            impl.check_error = compare(ref, impl.check(), impl.rtol, impl.atol)
        except Exception as e:                       # a broken implementation: report it
            impl.check_error = f"{type(e).__name__}: {e}"
        if impl.check_error:
            log(f"  ! {impl.name}: result differs from {base.name}: {impl.check_error}")
    for impl in w.impls:
        if impl.memory is not None and not impl.skip and not impl.check_error:
            impl.peak_bytes = peak_extra_memory(impl.memory)
    time_impls(w.impls, repeat, min_time, log)
    return w


def fmt_time(s):
    """A duration for a results table: microseconds, milliseconds or seconds ("-": none)."""
    if s is None:
        return "-"
    if s < 1e-3:
        return f"{s * 1e6:.1f} us"
    if s < 1:
        return f"{s * 1e3:.2f} ms"
    return f"{s:.3f} s"

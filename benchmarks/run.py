#!/usr/bin/env python
"""Run ndgrad's benchmarks: ratios to hand-written NumPy, measured in one process.

    python benchmarks/run.py                      # every workload
    python benchmarks/run.py chain mlp            # some of them
    python benchmarks/run.py --quick              # fewer, shorter rounds (a smoke run)
    python benchmarks/run.py --repeat 15 --min-time 0.5
    python benchmarks/run.py chain --profile      # + cProfile of ndgrad's row

Writes benchmarks/results/latest.json (git-ignored). See benchmarks/README.md.
"""
from __future__ import annotations

import os

from one_thread import HERE, ROOT  # noqa: E402,F401  (first: one thread, before NumPy)

import argparse  # noqa: E402
import cProfile  # noqa: E402
import datetime  # noqa: E402
import io  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import pstats  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402


import numpy as np  # noqa: E402

from benchmarks.harness import fmt_time, run_workload  # noqa: E402
from benchmarks.workloads import WORKLOADS  # noqa: E402
from benchmarks.workloads import peers  # noqa: E402


def _mb(b):
    return "-" if b is None else f"{b / 2**20:.1f} MB"


def rows_of(w):
    base = next(i for i in w.impls if i.baseline)
    rows = []
    by_name = {i.name: i for i in w.impls}
    for impl in w.impls:
        den = by_name[impl.ratio_to] if impl.ratio_to else base
        ratio = (impl.seconds / den.seconds
                 if impl.seconds is not None and den.seconds else None)
        cpu_ratio = (impl.cpu_seconds / den.cpu_seconds
                     if impl.cpu_seconds is not None and den.cpu_seconds else None)
        mem_ratio = (impl.peak_bytes / base.peak_bytes
                     if impl.peak_bytes is not None and base.peak_bytes else None)
        status = ""
        target = impl.target if impl.target is not None else (
            w.target if impl.primary else None)
        mem_target = impl.mem_target if impl.mem_target is not None else (
            w.mem_target if impl.primary else None)
        if target is not None and ratio is not None:
            missed = [] if ratio <= target else ["time"]
            # memory to 2 decimals: tracemalloc also counts a few KB of Python objects
            if (mem_target is not None and mem_ratio is not None
                    and round(mem_ratio, 2) > mem_target):
                missed.append("mem")
            status = "ok" if not missed else "MISS " + "+".join(missed)
        paired = None
        if impl.rounds and len(impl.rounds) == len(den.rounds):
            # each round's time over the baseline's in the same round, median: a second
            # estimate of the ratio, robust where load changes from round to round
            paired = float(np.median(np.array(impl.rounds) / np.array(den.rounds)))
        rows.append({
            "workload": w.key, "implementation": impl.name,
            "seconds": impl.seconds, "unit": w.unit, "ratio": ratio,
            "ratio_to": den.name,
            "ratio_median_paired": paired,
            "cpu_seconds": impl.cpu_seconds, "cpu_ratio": cpu_ratio,
            "cpu_rounds": impl.cpu_rounds,
            "target": target,
            "status": status,
            "peak_bytes": impl.peak_bytes, "mem_ratio": mem_ratio,
            "mem_target": mem_target,
            "number": impl.number, "rounds": impl.rounds,
            "skipped": impl.skip or None,
            "error": impl.check_error or None,
            "note": impl.note or None,
        })
    return rows


def print_table(workloads, out=sys.stdout):
    head = (f"{'implementation':36} {'time/iter':>12} {'ratio':>7} {'target':>7} "
            f"{'':9} {'cpu x':>6} {'peak mem':>9} {'mem x':>6}  note")
    for w in workloads:
        print(f"\n== {w.key}: {w.title}  (time per {w.unit}, best round, wall clock; ratio "
              f"to {next(i for i in w.impls if i.baseline).name}; cpu x: the same ratio in "
              "thread CPU time)", file=out)
        print(head, file=out)
        print("-" * len(head), file=out)
        base_name = next(i for i in w.impls if i.baseline).name
        for r in rows_of(w):
            if r["skipped"]:
                print(f"{r['implementation']:36} {'skipped':>12}  {r['skipped']}", file=out)
                continue
            if r["error"]:
                print(f"{r['implementation']:36} {'WRONG':>12}  {r['error']}", file=out)
                continue
            ratio = "-" if r["ratio"] is None else f"{r['ratio']:.2f}x"
            tgt = ""
            if r["target"] is not None:
                tgt = f"<={r['target']:g}x"
            mem = _mb(r["peak_bytes"]) if r["peak_bytes"] is not None else ""
            memx = "" if r["mem_ratio"] is None else f"{r['mem_ratio']:.2f}x"
            if r["mem_target"] is not None and memx:
                memx += f" (<={r['mem_target']:g}x)"
            cpux = "-" if r["cpu_ratio"] is None else f"{r['cpu_ratio']:.2f}x"
            note = r["note"] or ""
            if r["ratio_to"] != base_name:
                note = f"ratio to {r['ratio_to']}" + (f"; {note}" if note else "")
            print(f"{r['implementation']:36} {fmt_time(r['seconds']):>12} {ratio:>7} "
                  f"{tgt:>7} {r['status']:9} {cpux:>6} {mem:>9} {memx:>6}  {note}",
                  file=out)
        for n in w.notes:
            print(f"  note: {n}", file=out)


def profile_impl(w, seconds, top, out=sys.stdout):
    """cProfile the workload's ndgrad row for about ``seconds`` seconds."""
    live = [i for i in w.impls if not i.skip and not i.check_error]
    impl = next((i for i in live if i.primary), None) or next(
        (i for i in live if i.name.startswith("ndgrad")), None)
    if impl is None:
        return
    n = max(1, int(seconds / impl.seconds)) if impl.seconds else 1
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(n):
        impl.step()
    prof.disable()
    s = io.StringIO()
    st = pstats.Stats(prof, stream=s)
    st.sort_stats("tottime").print_stats(top)
    print(f"\n-- profile of {w.key} / {impl.name}: {n} iterations (cProfile, sorted by own "
          "time; cProfile inflates per-call costs)", file=out)
    print(s.getvalue(), file=out)


def environment():
    env = {"python": platform.python_version(), "numpy": np.__version__,
           "platform": platform.platform(), "machine": platform.machine(),
           "cpu_count": os.cpu_count(),
           "threads": {v: os.environ.get(v) for v in ("OMP_NUM_THREADS",
                                                      "OPENBLAS_NUM_THREADS")}}
    try:
        import ndgrad
        env["ndgrad"] = ndgrad.__version__
    except Exception:
        pass
    if peers.torch is not None:
        env["torch"] = peers.torch.__version__
        env["torch_threads"] = peers.torch.get_num_threads()
    if peers.autograd is not None:
        from importlib.metadata import version
        env["autograd"] = version("autograd")
    try:
        import subprocess
        env["git"] = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"],
                                    capture_output=True, text=True).stdout.strip()
    except Exception:
        pass
    return env


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("workloads", nargs="*", metavar="WORKLOAD", help=f"any of {', '.join(WORKLOADS)} (default: all)")
    p.add_argument("--repeat", type=int, default=25,
                   help="timed rounds per implementation; the best is kept (default 25)")
    p.add_argument("--min-time", type=float, default=0.08,
                   help="seconds each round lasts at least (default 0.08)")
    p.add_argument("--quick", action="store_true",
                   help="3 rounds of >= 0.05 s, a 1M-element big array: a smoke run")
    p.add_argument("--big-n", type=int, default=None,
                   help="elements in the big-array workload (default 4M = 4*2**20)")
    p.add_argument("--profile", action="store_true",
                   help="also cProfile the ndgrad row of each workload")
    p.add_argument("--profile-top", type=int, default=30)
    p.add_argument("--json", default=os.path.join(HERE, "results", "latest.json"),
                   help="where to write the results (default benchmarks/results/latest.json)")
    args = p.parse_args(argv)
    names = args.workloads or list(WORKLOADS)
    unknown = [n for n in names if n not in WORKLOADS]
    if unknown:
        p.error(f"unknown workload(s) {', '.join(unknown)}; choose from {', '.join(WORKLOADS)}")
    if args.quick:
        args.repeat, args.min_time = 3, 0.05
        args.big_n = args.big_n or 2**20

    env = environment()
    print(f"ndgrad benchmarks — python {env['python']}, numpy {env['numpy']}, "
          f"torch {env.get('torch', 'absent')}, autograd {env.get('autograd', 'absent')}; "
          f"one thread each; best of {args.repeat} rounds of >= {args.min_time:g} s")
    done = []
    t_start = time.perf_counter()
    for name in names:
        t0 = time.perf_counter()
        w = WORKLOADS[name].build(args)
        print(f"[{name}] {w.title} ...", flush=True)
        run_workload(w, args.repeat, args.min_time)
        print(f"[{name}] {time.perf_counter() - t0:.1f} s", flush=True)
        done.append(w)
    print_table(done)
    if args.profile:
        for w in done:
            profile_impl(w, 2.0, args.profile_top)

    result = {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
              "environment": env, "repeat": args.repeat, "min_time": args.min_time,
              "total_seconds": time.perf_counter() - t_start,
              "workloads": {w.key: {"title": w.title, "unit": w.unit, "target": w.target,
                                    "mem_target": w.mem_target, "rows": rows_of(w)}
                            for w in done}}
    os.makedirs(os.path.dirname(os.path.abspath(args.json)), exist_ok=True)
    with open(args.json, "w") as f:
        json.dump(result, f, indent=1)
    print(f"\nwrote {os.path.relpath(args.json)}")
    return 0  # a missed target is reported in the table, not an error


if __name__ == "__main__":
    sys.exit(main())

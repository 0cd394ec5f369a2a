"""Run CuPy's NumPy-comparison tests with ndgrad in CuPy's place.

    CUPY_DIR=<checkout of github.com/cupy/cupy> python compat/cupy_tests/run.py \
        [--xfails compat/cupy_tests/xfails.txt] [--timeout 1800] [--keep DIR] [-v] \
        [test paths relative to tests/cupy_tests, or pytest args ...]

CuPy's tests run each body twice, with ``xp=numpy`` and ``xp=cupy``, and compare the results.
The chosen folders of the checkout's ``tests/cupy_tests`` are copied into a temporary folder
(nothing of CuPy's is kept in this repository) and pytest runs there with
``compat/cupy_tests/standin`` first on ``sys.path``: its ``cupy`` package is ndgrad under
CuPy's names, its ``cupy.testing`` ndgrad's own re-implementation of the comparison
decorators (see ``standin/cupy/__init__.py``).  CuPy's own ``conftest.py`` is not used.

The summary lists passed / failed / skipped per file, then every failure with its category
from ``--xfails FILE`` (lines ``<test id or glob>  # (a|b|d) <reason>``; see README.md); the
run exits 1 on a failure not listed there and names listed entries that no longer fail.
"""
import argparse
import fnmatch
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))

DEFAULT = ["math_tests", "core_tests/test_ndarray_elementwise_op.py", "manipulation_tests",
           "sorting_tests", "statistics_tests", "logic_tests", "creation_tests",
           "indexing_tests", "linalg_tests", "fft_tests/test_fft.py"]

PLUGIN = r'''"""pytest plugin: writes each test's outcome as JSON to $NDGRAD_CUPY_RESULTS."""
import json
import os

import cupy

assert cupy.ndarray.__module__.startswith("ndgrad"), cupy   # the stand-in, not real CuPy

_results = {}


def pytest_collectreport(report):
    if report.failed:
        _results[report.nodeid or "<collection>"] = ["error", str(report.longrepr)[-3000:]]


def pytest_runtest_logreport(report):
    nodeid = report.nodeid
    if report.when == "call":
        outcome = report.outcome
        if hasattr(report, "wasxfail"):
            outcome = "passed" if report.passed else "skipped"
        text = str(report.longrepr)[-3000:] if report.failed else (
            str(report.longrepr[-1]) if report.skipped and isinstance(report.longrepr, tuple)
            else "")
        _results[nodeid] = [outcome, text]
    elif report.failed:  # setup or teardown
        _results[nodeid] = ["error", str(report.longrepr)[-3000:]]
    elif report.skipped and report.when == "setup":
        _results[nodeid] = ["skipped", str(report.longrepr[-1])
                            if isinstance(report.longrepr, tuple) else ""]


def pytest_sessionfinish(session, exitstatus):
    with open(os.environ["NDGRAD_CUPY_RESULTS"], "w") as f:
        json.dump(_results, f)
'''

CATEGORIES = {"a": "CuPy-only API or behaviour", "b": "unsupported in ndgrad (clear error)",
              "d": "ndgrad's documented departure", "t": "the test's own assumption"}


def read_xfails(path):
    """``{pattern: (category, reason)}`` from lines ``<id or glob>  # (x) <reason>``."""
    out = {}
    with open(path) as f:
        for i, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            pattern, _, reason = line.partition("#")
            m = re.match(r"\s*\(([a-z])\)\s*(\S.*)", reason)
            if not m or m.group(1) not in CATEGORIES:
                sys.exit(f"{path}:{i}: every entry needs '# (category) reason', category one "
                         f"of {', '.join(CATEGORIES)}: {line!r}")
            out[pattern.strip()] = (m.group(1), m.group(2))
    return out


def listed(nodeid, xfails):
    return next((p for p in xfails if fnmatch.fnmatchcase(nodeid, p)), None)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--xfails", help="known failures, one '<id or glob>  # (x) reason' a line")
    ap.add_argument("--timeout", type=float, default=1800, help="seconds for the whole run")
    ap.add_argument("--keep", help="copy the tests here instead of a temporary folder")
    ap.add_argument("--json", help="write the outcomes here as JSON")
    ap.add_argument("-v", "--verbose", action="store_true", help="print each failure's text")
    ap.add_argument("pytest_args", nargs="*",
                    help="test paths under tests/cupy_tests (default: the NumPy-comparison "
                    "folders) and pytest options (-k ...)")
    args = ap.parse_args()
    src = os.environ.get("CUPY_DIR")
    if not src or not os.path.isdir(os.path.join(src, "tests", "cupy_tests")):
        sys.exit("set CUPY_DIR to a checkout of github.com/cupy/cupy (with tests/cupy_tests); "
                 f"got {src!r}")
    xfails = read_xfails(args.xfails) if args.xfails else {}
    paths = [a for a in args.pytest_args if not a.startswith("-")
             and os.path.exists(os.path.join(src, "tests", "cupy_tests", a.split("::")[0]))]
    options = [a for a in args.pytest_args if a not in paths]

    work = args.keep or tempfile.mkdtemp(prefix="ndgrad_cupy_tests_")
    try:
        tests = os.path.join(work, "tests")
        if os.path.exists(tests):
            shutil.rmtree(tests)
        shutil.copytree(os.path.join(src, "tests", "cupy_tests"),
                        os.path.join(tests, "cupy_tests"))
        plugdir = os.path.join(work, "plugin")
        os.makedirs(plugdir, exist_ok=True)
        with open(os.path.join(plugdir, "ndgrad_as_cupy.py"), "w") as f:
            f.write(PLUGIN)
        results = os.path.join(work, "results.json")
        if os.path.exists(results):
            os.remove(results)
        env = dict(os.environ, NDGRAD_CUPY_RESULTS=results,
                   PYTHONPATH=os.pathsep.join([os.path.join(HERE, "standin"), plugdir, REPO]))
        targets = [os.path.join("cupy_tests", p) for p in (paths or DEFAULT)]
        cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
               "-p", "ndgrad_as_cupy", "--rootdir", tests, "--continue-on-collection-errors",
               "-o", "addopts=", "-W", "ignore", *options, *targets]
        try:
            proc = subprocess.run(cmd, cwd=tests, env=env, timeout=args.timeout,
                                  capture_output=True, text=True)
        except subprocess.TimeoutExpired:
            sys.exit(f"the run passed --timeout {args.timeout:g} s")
        if "INTERNALERROR" in proc.stdout + proc.stderr or proc.returncode not in (0, 1):
            sys.stdout.write(proc.stdout[-5000:] + proc.stderr[-5000:])
            sys.exit(f"pytest stopped early (exit status {proc.returncode}): the counts "
                     "would be partial")
        if not os.path.exists(results):
            sys.stdout.write(proc.stdout[-5000:] + proc.stderr[-5000:])
            sys.exit(f"pytest wrote no results (exit status {proc.returncode})")
        with open(results) as f:
            outcomes = json.load(f)
        if not outcomes:
            sys.stdout.write(proc.stdout[-3000:] + proc.stderr[-3000:])
            sys.exit("pytest ran no tests (check the paths)")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(outcomes, f, indent=0)
    return report(outcomes, xfails, args.verbose)


def report(outcomes, xfails, verbose):
    per_file = defaultdict(Counter)
    for nodeid, (outcome, _) in outcomes.items():
        per_file[nodeid.split("::")[0].replace("cupy_tests/", "")][outcome] += 1
    kinds = ("passed", "failed", "error", "skipped")
    width = max(len(n) for n in per_file) + 2
    print(f"{'file':<{width}}" + "".join(f"{k:>9}" for k in kinds))
    total = Counter()
    for name in sorted(per_file):
        total.update(per_file[name])
        print(f"{name:<{width}}" + "".join(f"{per_file[name][k]:>9}" for k in kinds))
    print(f"{'total':<{width}}" + "".join(f"{total[k]:>9}" for k in kinds))

    cupy_only = sum(1 for o, text in outcomes.values() if o == "skipped" and "CuPy-only" in text)
    print(f"\nskipped as CuPy-only (the ndgrad run reached CUDA internals, or needs GPUs): "
          f"{cupy_only} of {total['skipped']} skipped")

    bad = {n: r for n, r in outcomes.items() if r[0] in ("failed", "error")}
    known = {n: listed(n, xfails) for n in bad}
    new = sorted(n for n in bad if known[n] is None)
    by_cat = Counter(xfails[p][0] for p in known.values() if p)
    print(f"\n{len(bad)} failures: " + ", ".join(
        f"{by_cat[c]} ({c}) {CATEGORIES[c]}" for c in CATEGORIES) + f", {len(new)} unlisted")
    for n in sorted(bad):
        tag = f"({xfails[known[n]][0]}) {xfails[known[n]][1]}" if known[n] else "NEW"
        print(f"  {bad[n][0]:<6} {n}  [{tag}]")
        if verbose or (known[n] is None and len(new) <= 30):
            last = bad[n][1].strip().splitlines()
            print("\n".join("         | " + s for s in last[-(60 if verbose else 8):]))
    stale = sorted(p for p in xfails if not any(fnmatch.fnmatchcase(n, p) for n in bad))
    if stale:
        print(f"\n{len(stale)} --xfails entries matched no failure (fixed? remove them):")
        for p in stale:
            print(f"  {p}")
    print(f"\n{len(new)} unlisted failures" if new else "\nno unlisted failures")
    return 1 if new else 0


if __name__ == "__main__":
    sys.exit(main())

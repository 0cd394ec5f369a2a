"""Run CuPy's NumPy-comparison tests with ndgrad in CuPy's place.

    CUPY_DIR=<checkout of github.com/cupy/cupy> python compat/cupy_tests/run.py \
        [--xfails compat/cupy_tests/xfails.txt] [--timeout 1800] [--keep DIR] [-v] \
        [--json OUT.json | --from-json OUT.json] \
        [test paths relative to tests/cupy_tests, or pytest args ...]

CuPy's tests run each body twice, with ``xp=numpy`` and ``xp=cupy``, and compare the results.
The chosen folders of the checkout's ``tests/cupy_tests`` are copied into a temporary folder
(nothing of CuPy's is kept in this repository) and pytest runs there with
``compat/cupy_tests/standin`` first on ``sys.path``: its ``cupy`` package is ndgrad under
CuPy's names, its ``cupy.testing`` ndgrad's own re-implementation of the comparison
decorators (see ``standin/cupy/__init__.py``).  CuPy's own ``conftest.py`` is not used.

The summary lists passed / failed / skipped per file, then every failure with its category
from ``--xfails FILE`` (lines ``<test id or glob>  # (a|b|c|d|t) <reason>``; README.md); the
run exits 1 on a failure not listed there and names listed entries that no longer fail.
"""
import argparse
import json
import os
import re
import shutil
import sys
import tempfile
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.dirname(HERE))
from _runner import (print_table, read_xfails, report_failures, run_pytest,  # noqa: E402
                     write_plugin)

DEFAULT = ["math_tests", "core_tests/test_ndarray_elementwise_op.py", "manipulation_tests",
           "sorting_tests", "statistics_tests", "logic_tests", "creation_tests",
           "indexing_tests", "linalg_tests", "fft_tests/test_fft.py",
           # (added 2026-12-05: the rest of CuPy's NumPy comparisons that run on a CPU)
           "binary_tests", "padding_tests", "polynomial_tests", "lib_tests", "misc_tests",
           "functional_tests", "io_tests"] + [
    f"core_tests/test_{name}.py" for name in (
        "ndarray", "ndarray_adv_indexing", "ndarray_indexing", "ndarray_reduction",
        "ndarray_math", "ndarray_unary_op", "ndarray_complex_ops", "ndarray_copy_and_view",
        "ndarray_conversion", "nep50_examples", "ndarray_scatter", "ufunc_methods",
        "ndarray_ufunc", "array_function", "iter", "flags", "ndarray_owndata",
        "ndarray_contiguity", "ndarray_get")]

PLUGIN = '''"""pytest plugin: the stand-in cupy is ndgrad; outcomes go to $NDGRAD_COMPAT_RESULTS."""
import cupy

assert cupy.ndarray.__module__.startswith("ndgrad"), cupy   # the stand-in, not real CuPy
'''

CATEGORIES = {"a": "CuPy-only API or behaviour", "b": "unsupported in ndgrad (clear error)",
              "c": "ndgrad departs from NumPy, not fixed yet", "d": "ndgrad's documented departure",
              "t": "the test's own assumption"}


def _category(reason):
    """'(x) reason', x one of a, b, c, d, t"""
    m = re.match(r"\(([a-z])\)\s*(\S.*)", reason)
    return (m.group(1), m.group(2)) if m and m.group(1) in CATEGORIES else None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--xfails", help="known failures, one '<id or glob>  # (x) reason' a line")
    ap.add_argument("--timeout", type=float, default=1800, help="seconds for the whole run")
    ap.add_argument("--keep", help="copy the tests here instead of a temporary folder")
    ap.add_argument("--json", help="write the outcomes here as JSON")
    ap.add_argument("--from-json", help="report the outcomes saved by --json (no run)")
    ap.add_argument("-v", "--verbose", action="store_true", help="print each failure's text")
    ap.add_argument("pytest_args", nargs="*",
                    help="test paths under tests/cupy_tests (default: the NumPy-comparison "
                    "folders) and pytest options (-k ...)")
    args = ap.parse_args()
    xfails = read_xfails(args.xfails, _category) if args.xfails else {}
    if args.from_json:
        with open(args.from_json) as f:
            return report(json.load(f), xfails, args.verbose)
    src = os.environ.get("CUPY_DIR")
    if not src or not os.path.isdir(os.path.join(src, "tests", "cupy_tests")):
        sys.exit("set CUPY_DIR to a checkout of github.com/cupy/cupy (with tests/cupy_tests); "
                 f"got {src!r}")
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
        write_plugin(plugdir, "ndgrad_as_cupy", PLUGIN)
        env = dict(os.environ,
                   PYTHONPATH=os.pathsep.join([os.path.join(HERE, "standin"), plugdir, REPO]))
        targets = [os.path.join("cupy_tests", p) for p in (paths or DEFAULT)]
        cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
               "-p", "ndgrad_as_cupy", "--rootdir", tests, "--continue-on-collection-errors",
               "-o", "addopts=", "-W", "ignore", *options, *targets]
        outcomes = run_pytest(cmd, tests, env, args.timeout, os.path.join(work, "results.json"))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(outcomes, f, indent=0)
    return report(outcomes, xfails, args.verbose)


def report(outcomes, xfails, verbose):
    total = print_table(outcomes, strip="cupy_tests/")
    cupy_only = sum(1 for o, text in outcomes.values() if o == "skipped" and "CuPy-only" in text)
    print(f"\nskipped as CuPy-only (the ndgrad run reached CUDA internals, or needs GPUs): "
          f"{cupy_only} of {total['skipped']} skipped")

    def header(bad, known, new):
        by_cat = Counter(xfails[p][0] for p in known.values() if p)
        return f"\n{len(bad)} failures: " + ", ".join(
            f"{by_cat[c]} ({c}) {CATEGORIES[c]}" for c in CATEGORIES) + f", {len(new)} unlisted"
    return report_failures(outcomes, xfails, lambda p: f"({xfails[p][0]}) {xfails[p][1]}",
                           header, 60 if verbose else 0, 8, 30)


if __name__ == "__main__":
    sys.exit(main())

"""NumPy's own test suite (the files the installed NumPy ships) run with ndgrad as ``np``.

    PYTHONPATH=$PWD python compat/numpy/numpy_tests.py [--summary] [--json FILE] \
        [--from-json FILE] [--xfails compat/numpy/numpy_tests_xfails.txt] [-v] \
        [files ...] [pytest args]

The listed test modules are copied from the installed ``numpy`` package (nothing of NumPy's is
kept in this repository) into a temporary folder, rewritten so that ``import numpy as np`` and
``from numpy import ...`` take ndgrad's names (``np.__config__``, ``np.matrix`` and ``np.ma``
stay NumPy's: ndgrad has none), and run with a ``conftest.py`` that hands ``numpy.testing``'s
comparisons NumPy copies of ndgrad arrays (they compare NumPy arrays; the values compared are
ndgrad's). Each failure is NumPy's own test of a value, dtype, error or behaviour that ndgrad
answers otherwise: a lead, not a verdict (many test NumPy's internals, ndarray subclasses,
object, string and datetime dtypes, ``np.matrix``, ``np.ma``, the C API, which ndgrad does not
have by design). ``--summary`` groups the failures by their message, most frequent first.
``--xfails FILE`` (lines ``<test id or glob>  # (<b|c>) <reason>``; ``*`` is the only
wildcard, a parametrized id's brackets are literal) lists the known failures; the exit status is 1 when a failure is not listed (entries for files not run are
not reported stale).
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
from _runner import (listed, print_table, read_xfails, report_failures,  # noqa: E402
                     run_pytest, write_plugin)

# (relative to the numpy package; the modules whose tests compare values through the public
# API: numpy/lib's function modules, numpy/_core's numeric, ufunc, indexing, promotion,
# casting and regression tests, linalg, fft and random. test_multiarray, the largest, takes
# about 6 minutes alone: 14000 tests, 12000 of them its sort/partition cases, and
# TestMethods::test_sort_degraded's 500000 steps of x = x[:-2] through ndgrad's indexing,
# about 30 s. To run a part of it:
#   numpy_tests.py --xfails ... -- _core/tests/test_multiarray.py -k TestMethods)
DEFAULT = [f"lib/tests/test_{n}.py" for n in (
    "function_base", "nanfunctions", "arraysetops", "histograms", "twodim_base", "shape_base",
    "ufunclike", "polynomial", "type_check", "index_tricks", "arraypad", "stride_tricks",
    "io", "format", "regression", "packbits")] + [
    f"_core/tests/test_{n}.py" for n in (
        "umath", "umath_complex", "numeric", "shape_base", "function_base", "indexing",
        "einsum", "scalarmath", "item_selection", "numerictypes", "arrayprint",
        "mem_overlap", "indexerrors", "errstate", "multiarray", "nep50_promotions",
        "regression", "casting_floatingpoint_errors", "half", "longdouble", "getlimits",
        "scalar_methods", "multithreading")] + [
    "linalg/tests/test_linalg.py", "linalg/tests/test_regression.py",
    "fft/tests/test_pocketfft.py", "fft/tests/test_helper.py",
    "random/tests/test_generator_mt19937.py", "random/tests/test_random.py"]

REWRITES = [
    (re.compile(r"^import numpy as np$", re.M), "import ndgrad as np"),
    (re.compile(r"^from numpy import ", re.M), "from ndgrad import "),
    # (numpy/random's tests: ndgrad's Generator and RandomState, NumPy's bit generators)
    (re.compile(r"^from numpy\.random import ", re.M), "from ndgrad.random import "),
    # NumPy's own objects ndgrad has no counterpart of
    (re.compile(r"\bnp\.__config__"), '__import__("numpy").__config__'),
    (re.compile(r"\bnp\.matrix\("), '__import__("numpy").matrix('),
    (re.compile(r"\bnp\.ma\."), '__import__("numpy").ma.'),
    (re.compile(r"\bnp\._CopyMode\b"), '__import__("numpy")._CopyMode'),   # (private)
    # a parametrize value made at import time (an object array, which ndgrad refuses: the
    # whole module would fail to collect)
    (re.compile(r"np\.array\(\[0, 2\*\*64, 0\]\)"), '__import__("numpy").array([0, 2**64, 0])'),
    # test_multiarray's TestTemporaryElide::test_extension_incref_elide hands an ndgrad
    # array to NumPy's C test helper incref_elide, which takes it for an ndarray and
    # crashes the interpreter (a segmentation fault ends the whole run): skipped there
    (re.compile(r"^(\s+)from numpy\._core\._multiarray_tests import incref_elide$", re.M),
     r'\1pytest.skip("NumPy\'s C test helper incref_elide reads its argument as an ndarray '
     r'(an ndgrad array crashes the interpreter)")'),
    # test_multiarray's TestMatmul keeps np.matmul as a class attribute: NumPy's ufunc does
    # not bind as a method, ndgrad's Python function does (self.matmul(a, b) would pass
    # self as a): a staticmethod there, so the tests reach matmul's values
    (re.compile(r"^(\s+)matmul = np\.matmul$", re.M), r"\1matmul = staticmethod(np.matmul)"),
    # test_multiarray's TestMatmulInplace lists its dtype pairs in its class body, object
    # dtype included (the module would not load)
    (re.compile(r"if np\.can_cast\(j, i\):\n(\s+)DTYPES\[f\"\{i\}-\{j\}\"\] = \(np\.dtype\(i\), np\.dtype\(j\)\)"),
     'if __import__("numpy").can_cast(j, i):\n\\1DTYPES[f"{i}-{j}"] = '
     '(__import__("numpy").dtype(i), __import__("numpy").dtype(j))'),
]

CONFTEST = '''"""numpy.testing's comparisons given NumPy copies of ndgrad arrays."""
import numpy as np
import numpy.ma.testutils as _mat   # (some modules compare with these)
import numpy.testing as npt

import ndgrad


def _conv(x):
    if isinstance(x, ndgrad.ndarray):
        return np.asarray(x.detach() if x.requires_grad else x)
    if type(x) in (list, tuple) and any(isinstance(i, ndgrad.ndarray) for i in x):
        return type(x)(_conv(i) for i in x)
    return x


def _wrap(f):
    def g(*args, **kwargs):
        return f(*[_conv(a) for a in args], **{k: _conv(v) for k, v in kwargs.items()})
    g.__name__ = f.__name__
    return g


for _module in (npt, _mat):
    for _n in ("assert_equal", "assert_array_equal", "assert_almost_equal",
               "assert_array_almost_equal", "assert_allclose", "assert_array_less",
               "assert_array_max_ulp", "assert_approx_equal", "assert_equal_records"):
        if hasattr(_module, _n):
            setattr(_module, _n, _wrap(getattr(_module, _n)))
'''

PLUGIN = '''"""pytest plugin: outcomes go to $NDGRAD_COMPAT_RESULTS; the address space is
capped (some of NumPy's tests allocate tens of GiB: a MemoryError there, not the machine's
out-of-memory killer)."""
import os
import resource

import ndgrad  # noqa: F401

_cap = int(os.environ.get("NDGRAD_COMPAT_MEMORY_GB", "8")) << 30
resource.setrlimit(resource.RLIMIT_AS, (_cap, resource.getrlimit(resource.RLIMIT_AS)[1]))
'''


def copy_tests(files, dest):
    """The NumPy test modules ``files`` copied into ``dest`` and rewritten (``REWRITES``);
    returns the copied names."""
    import numpy
    root = os.path.dirname(numpy.__file__)
    names = []
    for rel in files:
        src = os.path.join(root, rel)
        if not os.path.exists(src):
            sys.exit(f"no {rel} in the installed NumPy ({root})")
        with open(src) as f:
            text = f.read()
        for pattern, repl in REWRITES:
            text = pattern.sub(repl, text)
        name = rel.replace("/tests/", "_").replace("/", "_")
        with open(os.path.join(dest, name), "w") as f:
            f.write(text)
        names.append(name)
    with open(os.path.join(dest, "conftest.py"), "w") as f:
        f.write(CONFTEST)
    return names


def summary(outcomes, top=60):
    """The failures grouped by their last error line with numbers blanked, most frequent
    first, each with one test id."""
    groups, example = Counter(), {}
    for nodeid, (outcome, text) in outcomes.items():
        if outcome not in ("failed", "error"):
            continue
        lines = [ln.strip() for ln in (text or "").splitlines() if ln.strip().startswith("E ")]
        key = re.sub(r"\d+", "N", lines[0][1:].strip() if lines else outcome)[:110]
        groups[key] += 1
        example.setdefault(key, nodeid)
    for key, n in groups.most_common(top):
        print(f"{n:5d}  {key}\n       e.g. {example[key]}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--timeout", type=float, default=1800, help="seconds for the whole run")
    ap.add_argument("--json", help="write the outcomes here as JSON")
    ap.add_argument("--from-json", help="report the outcomes saved by --json (no run)")
    ap.add_argument("--summary", action="store_true", help="group the failures by message")
    ap.add_argument("-v", "--verbose", action="store_true", help="print each failure's text")
    ap.add_argument("--xfails", help="known failures, one '<id or glob>  # reason' a line")
    ap.add_argument("args", nargs="*", help="test files relative to the numpy package "
                    "(default: DEFAULT) and pytest options (-k ...)")
    args = ap.parse_args()
    xfails = read_xfails(args.xfails) if args.xfails else None
    if args.from_json:
        with open(args.from_json) as f:
            outcomes = json.load(f)
    else:
        files = [a for a in args.args if a.endswith(".py")] or DEFAULT
        options = [a for a in args.args if not a.endswith(".py")]
        work = tempfile.mkdtemp(prefix="ndgrad_numpy_tests_")
        try:
            tests = os.path.join(work, "tests")
            os.makedirs(tests)
            names = copy_tests(files, tests)
            plugdir = os.path.join(work, "plugin")
            write_plugin(plugdir, "ndgrad_as_numpy", PLUGIN)
            env = dict(os.environ, PYTHONPATH=os.pathsep.join([plugdir, REPO]))
            cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                   "-p", "ndgrad_as_numpy", "--rootdir", tests, "-o", "addopts=",
                   "--continue-on-collection-errors", "-W", "ignore", *options, *names]
            outcomes = run_pytest(cmd, tests, env, args.timeout,
                                  os.path.join(work, "results.json"))
        finally:
            shutil.rmtree(work, ignore_errors=True)
        if args.json:
            with open(args.json, "w") as f:
                json.dump(outcomes, f, indent=0)
    print_table(outcomes)
    if args.summary:
        print()
        summary(outcomes)
    if args.verbose:
        for nodeid, (outcome, text) in sorted(outcomes.items()):
            if outcome in ("failed", "error") and not (xfails and listed(nodeid, xfails,
                                                                         True)):
                print(f"\n{outcome} {nodeid}\n{text}")
    if xfails is None:
        return 0
    run = {n.split("::")[0] for n in outcomes}
    xfails = {p: r for p, r in xfails.items() if p.split("::")[0] in run or "::" not in p}
    return report_failures(
        outcomes, xfails, lambda p: f"known: {xfails[p]}",
        lambda bad, known, new: f"\n{len(bad)} failures, {len(bad) - len(new)} of them listed "
                                "in --xfails:", 0, 8, 30, literal_brackets=True)


if __name__ == "__main__":
    sys.exit(main())

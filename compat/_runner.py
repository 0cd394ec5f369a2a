"""Shared parts of the runners of external pytest suites in compat/: the pytest hooks that record
each test's outcome, running pytest on a copied suite, xfails matching and the per-file table."""
import fnmatch
import json
import os
import subprocess
import sys
from collections import Counter, defaultdict

# Appended to a runner's plugin module: each test's outcome (and a failure's text, a skip's
# reason) written as JSON to $NDGRAD_COMPAT_RESULTS when the session ends.
RESULTS_HOOKS = r'''
import json as _json
import os as _os

_results = {}


def pytest_collectreport(report):
    if report.failed:
        _results[report.nodeid or "<collection>"] = ["error", str(report.longrepr)[-3000:]]


def _reason(report):
    return str(report.longrepr[-1]) if isinstance(report.longrepr, tuple) else ""


def pytest_runtest_logreport(report):
    nodeid = report.nodeid
    if report.when == "call":
        outcome = report.outcome
        if hasattr(report, "wasxfail"):
            outcome = "passed" if report.passed else "skipped"
        text = (str(report.longrepr)[-3000:] if report.failed
                else _reason(report) if report.skipped else "")
        _results[nodeid] = [outcome, text]
    elif report.failed:  # setup or teardown
        _results[nodeid] = ["error", str(report.longrepr)[-3000:]]
    elif report.skipped and report.when == "setup":
        _results[nodeid] = ["skipped", _reason(report)]


def pytest_sessionfinish(session, exitstatus):
    with open(_os.environ["NDGRAD_COMPAT_RESULTS"], "w") as f:
        _json.dump(_results, f)
'''


def write_plugin(plugdir, name, header):
    """``plugdir/name.py``: ``header`` (the runner's own set-up) and the recording hooks."""
    os.makedirs(plugdir, exist_ok=True)
    with open(os.path.join(plugdir, name + ".py"), "w") as f:
        f.write(header + "\n" + RESULTS_HOOKS)


def run_pytest(cmd, cwd, env, timeout, results):
    """Run ``cmd`` (pytest with a plugin from ``write_plugin``) and return its outcomes
    ``{nodeid: [outcome, text]}``; exit with pytest's output when it stopped early or
    recorded nothing (the counts would be partial)."""
    if os.path.exists(results):
        os.remove(results)
    env = dict(env, NDGRAD_COMPAT_RESULTS=results)
    try:
        proc = subprocess.run(cmd, cwd=cwd, env=env, timeout=timeout, capture_output=True,
                              text=True)
    except subprocess.TimeoutExpired:
        sys.exit(f"the run passed --timeout {timeout:g} s")
    tail = proc.stdout[-5000:] + proc.stderr[-5000:]
    if "INTERNALERROR" in proc.stdout + proc.stderr or proc.returncode not in (0, 1):
        sys.stdout.write(tail)
        sys.exit(f"pytest stopped early (exit status {proc.returncode}): the counts would "
                 "be partial")
    if not os.path.exists(results):
        sys.stdout.write(tail)
        sys.exit(f"pytest wrote no results (exit status {proc.returncode})")
    with open(results) as f:
        outcomes = json.load(f)
    if not outcomes:
        sys.stdout.write(tail)
        sys.exit("pytest ran no tests (check the pytest arguments)")
    return outcomes


def listed(nodeid, patterns):
    """The first pattern (a test id or glob) that ``nodeid`` matches, or None."""
    return next((p for p in patterns if fnmatch.fnmatchcase(nodeid, p)), None)


def print_table(outcomes, strip=""):
    """Passed / failed / errors / skipped per file (``strip`` cut from the file names), and
    the totals, which are returned."""
    per_file = defaultdict(Counter)
    for nodeid, (outcome, _) in outcomes.items():
        per_file[nodeid.split("::")[0].replace(strip, "", 1)][outcome] += 1
    kinds = ("passed", "failed", "error", "skipped")
    width = max(28, max(len(n) for n in per_file) + 2)
    print(f"{'file':<{width}}" + "".join(f"{k:>9}" for k in kinds))
    total = Counter()
    for name in sorted(per_file):
        total.update(per_file[name])
        print(f"{name:<{width}}" + "".join(f"{per_file[name][k]:>9}" for k in kinds))
    print(f"{'total':<{width}}" + "".join(f"{total[k]:>9}" for k in kinds))
    return total


def print_failure(outcome, nodeid, tag, text, lines):
    """One failure's line and the last ``lines`` lines of its text (none when 0)."""
    print(f"  {outcome:<6} {nodeid}  [{tag}]")
    if lines:
        last = text.strip().splitlines()
        print("\n".join("         | " + s for s in last[-lines:]))


def print_stale(patterns, failed):
    """The xfails patterns no failure matched."""
    stale = sorted(p for p in patterns if not any(fnmatch.fnmatchcase(n, p) for n in failed))
    if stale:
        print(f"\n{len(stale)} --xfails entries matched no failure (fixed? remove them):")
        for p in stale:
            print(f"  {p}")

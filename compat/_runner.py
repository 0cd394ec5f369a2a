"""Shared parts of the runners of external pytest suites in compat/: the pytest hooks that record
each test's outcome, running pytest on a copied suite, xfails matching and the per-file table."""
import fnmatch
import json
import os
import re
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


def read_xfails(path, parse=None):
    """``{pattern: reason}`` from lines ``<test id or glob>  # <reason>`` (blank lines and
    lines starting with '#' skipped); ``parse(reason)`` may return the stored value, or None
    to refuse the line. Exits naming the first bad line."""
    out = {}
    with open(path) as f:
        for i, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            pattern, sep, reason = line.partition("#")
            value = reason.strip() if sep and reason.strip() else None
            if value is not None and parse is not None:
                value = parse(value)
            if value is None:
                sys.exit(f"{path}:{i}: every entry needs a reason after '#'"
                         f"{' in the form ' + parse.__doc__ if parse and parse.__doc__ else ''}"
                         f": {line!r}")
            out[pattern.strip()] = value
    return out


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


def listed(nodeid, patterns, literal_brackets=False):
    """The first pattern (a test id or glob) that ``nodeid`` matches, or None.
    ``literal_brackets``: ``*`` and ``?`` are the only wildcards (a parametrized id's
    ``[...]`` is itself, not fnmatch's character class)."""
    return next((p for p in patterns if _match(nodeid, p, literal_brackets)), None)


def _match(nodeid, pattern, literal_brackets=False):
    if literal_brackets:
        pattern = re.sub(r"[\[\]]", lambda m: "[" + m.group(0) + "]", pattern)
    return fnmatch.fnmatchcase(nodeid, pattern)


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


def report_failures(outcomes, patterns, describe, header, lines, new_lines, max_new,
                    literal_brackets=False):
    """Print every failure (``[describe(pattern)]`` for one an xfails pattern matches,
    ``[NEW]`` otherwise) after ``header(failed, matched, new)``, the last ``lines`` lines of
    each text (``new_lines`` for a new one while there are at most ``max_new``), the patterns
    no failure matched, and a closing count; 1 when a failure is new, else 0."""
    bad = {n: r for n, r in outcomes.items() if r[0] in ("failed", "error")}
    known = {n: listed(n, patterns, literal_brackets) for n in bad}
    new = sorted(n for n in bad if known[n] is None)
    if bad:
        print(header(bad, known, new))
        for n in sorted(bad):
            print(f"  {bad[n][0]:<6} {n}  [{describe(known[n]) if known[n] else 'NEW'}]")
            shown = lines or (new_lines if known[n] is None and len(new) <= max_new else 0)
            if shown:
                last = bad[n][1].strip().splitlines()
                print("\n".join("         | " + s for s in last[-shown:]))
    stale = sorted(p for p in patterns if not any(_match(n, p, literal_brackets)
                                                  for n in bad))
    if stale:
        print(f"\n{len(stale)} --xfails entries matched no failure (fixed? remove them):")
        for p in stale:
            print(f"  {p}")
    print(f"\n{len(new)} unlisted failures" if new else "\nno unlisted failures")
    return 1 if new else 0

#!/usr/bin/env python
"""Run the array API conformance suite (data-apis/array-api-tests) against ndgrad.

    python compat/array_api/run.py                    # clone at the pinned commit, run
    ARRAY_API_TESTS_DIR=/path/to/array-api-tests python compat/array_api/run.py
    python compat/array_api/run.py --max-examples 50 -- -k test_creation
    python compat/array_api/run.py --device strict    # every array on array_api_strict
    python compat/array_api/run.py --device dask      # every array a Dask array
    python compat/array_api/run.py --module array_api_compat.dask.array --report out.json

Where the network allows, the suite is cloned at ``PINNED_COMMIT`` (with its
``array-api`` submodule, which holds the standard's stubs) into
``compat/array_api/.array-api-tests``; otherwise set ``ARRAY_API_TESTS_DIR`` to a
checkout of that commit. ndindex and pytest-json-report (the suite's own requirements)
are installed when missing. The suite runs with ``ARRAY_API_TESTS_MODULE=ndgrad``,
standard 2025.12, the linalg and fft extensions enabled and ``xfails.txt`` beside this
script (``xfails_dask.txt`` with ``--device dask``; ``--module`` runs another namespace,
e.g. array_api_compat's Dask one for comparison, with no xfails; ``--report`` keeps
every test's outcome as JSON); the script prints the counts passed / xfailed / skipped / failed and exits
non-zero when a test fails or the xfails file breaks its rules (every entry preceded by
a one-line ``# reason``; at most 1% of the collected tests xfailed).
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO_URL = "https://github.com/data-apis/array-api-tests.git"
PINNED_COMMIT = "55fcc60179efa2680ddd6cd926ddf17b83530e2b"
API_VERSION = "2025.12"
MAX_XFAIL_FRACTION = 0.01

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]  # the ndgrad repository
XFAILS = HERE / "xfails.txt"
XFAILS_BY_DEVICE = {"dask": HERE / "xfails_dask.txt", "cupy_rules": HERE / "xfails_cupy_rules.txt"}
CLONE_DIR = HERE / ".array-api-tests"


def log(msg):
    print(f"[array-api-tests] {msg}", flush=True)


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def ensure_checkout():
    """A checkout of array-api-tests at the pinned commit: the env var's, or a fresh clone."""
    env_dir = os.environ.get("ARRAY_API_TESTS_DIR")
    if env_dir:
        path = Path(env_dir).expanduser().resolve()
        if not (path / "array_api_tests").is_dir():
            sys.exit(f"ARRAY_API_TESTS_DIR={env_dir} is not an array-api-tests checkout "
                     "(no array_api_tests/ folder in it)")
        _check_commit(path)
        return path
    if (CLONE_DIR / "array_api_tests").is_dir():
        _check_commit(CLONE_DIR)
        return CLONE_DIR
    log(f"cloning {REPO_URL} at {PINNED_COMMIT[:12]} into {CLONE_DIR}")
    try:
        run(["git", "clone", "--quiet", REPO_URL, str(CLONE_DIR)])
        run(["git", "-C", str(CLONE_DIR), "checkout", "--quiet", PINNED_COMMIT])
        run(["git", "-C", str(CLONE_DIR), "submodule", "update", "--init", "--quiet"])
    except (subprocess.CalledProcessError, FileNotFoundError) as e:
        sys.exit(f"could not clone {REPO_URL} ({e}); without network access, set "
                 "ARRAY_API_TESTS_DIR to a checkout of commit "
                 f"{PINNED_COMMIT} with its array-api submodule populated")
    return CLONE_DIR


def _check_commit(path):
    try:
        head = subprocess.run(["git", "-C", str(path), "rev-parse", "HEAD"], check=True,
                              capture_output=True, text=True).stdout.strip()
    except (subprocess.CalledProcessError, FileNotFoundError):
        log(f"warning: cannot read the commit of {path}; expected {PINNED_COMMIT}")
        return
    if head != PINNED_COMMIT:
        log(f"warning: {path} is at {head[:12]}, not the pinned {PINNED_COMMIT[:12]}")
    stubs = path / "array-api" / "src" / "array_api_stubs"
    if not stubs.is_dir():
        sys.exit(f"{path}/array-api is empty: run `git submodule update --init` there")


def ensure_requirements():
    """Install the suite's own requirements when missing (pip, the ordinary client)."""
    needed = {"ndindex": "ndindex", "pytest_jsonreport": "pytest-json-report",
              "hypothesis": "hypothesis", "pytest": "pytest"}
    missing = [pkg for mod, pkg in needed.items() if importlib.util.find_spec(mod) is None]
    if missing:
        log(f"installing {' '.join(missing)}")
        run([sys.executable, "-m", "pip", "install", "--quiet", *missing])


def read_xfails(path=XFAILS):
    """The xfail ids, each checked to have a one-line ``# reason`` just above it."""
    ids, problems = [], []
    prev = ""
    for n, raw in enumerate(path.read_text().splitlines(), 1):
        line = raw.strip()
        if line and not line.startswith("#"):
            if not prev.startswith("#") or len(prev.lstrip("# ").strip()) == 0:
                problems.append(f"{path.name}:{n}: {line} has no '# reason' line above it")
            if "#" in line:
                problems.append(f"{path.name}:{n}: put the reason on its own line above "
                                "(the suite reads the whole line as a test id)")
            ids.append(line)
        prev = line
    return ids, problems


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--max-examples", type=int,
                   default=int(os.environ.get("ARRAY_API_TESTS_MAX_EXAMPLES", 20)),
                   help="hypothesis examples per test (default 20)")
    p.add_argument("--derandomize", action="store_true",
                   help="derandomize hypothesis (reproducible runs)")
    p.add_argument("--device", default=None,
                   help="ndgrad's default device for the run: 'cpu' (NumPy, the default), "
                        "'strict' (array_api_strict: proves ndgrad uses only the standard) "
                        "'dask' (Dask arrays: xfails_dask.txt), 'cupy_rules' (the CuPy-rules test backend: xfails_cupy_rules.txt) or 'cuda' (CuPy); sets "
                        "NDGRAD_DEFAULT_DEVICE")
    p.add_argument("--module", default="ndgrad",
                   help="the namespace under test (default ndgrad; e.g. "
                        "array_api_compat.dask.array to compare with, run without xfails)")
    p.add_argument("--report", default=None,
                   help="write {test id: outcome} of every test to this JSON file")
    p.add_argument("pytest_args", nargs="*", help="extra pytest arguments (after --)")
    args = p.parse_args(argv)

    xfails = XFAILS_BY_DEVICE.get(args.device, XFAILS)
    xfail_ids, problems = read_xfails(xfails) if args.module == "ndgrad" else ([], [])
    for msg in problems:
        log(msg)
    checkout = ensure_checkout()
    ensure_requirements()

    env = dict(os.environ)
    env["ARRAY_API_TESTS_MODULE"] = args.module
    env["ARRAY_API_TESTS_VERSION"] = API_VERSION
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    if args.device:
        env["NDGRAD_DEFAULT_DEVICE"] = args.device
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        cmd = [sys.executable, "-m", "pytest", "array_api_tests/", "-q", "-rfE",
               "-p", "no:cacheprovider", "-W", "ignore", "--tb=short",
               f"--max-examples={args.max_examples}",
               "--json-report", f"--json-report-file={report}", *args.pytest_args]
        if args.module == "ndgrad":
            cmd.insert(cmd.index("--json-report"), f"--xfails-file={xfails}")
        if args.derandomize:
            cmd.append("--derandomize")
        dev = f"NDGRAD_DEFAULT_DEVICE={args.device} " if args.device else ""
        log(f"{dev}ARRAY_API_TESTS_MODULE={args.module} ARRAY_API_TESTS_VERSION=2025.12 "
            f"(cd {checkout} && python {' '.join(cmd[1:])})")
        rc = subprocess.call(cmd, cwd=checkout, env=env)
        if not report.exists():
            sys.exit(f"pytest did not write its report (exit code {rc})")
        data = json.loads(report.read_text())
        summary = data.get("summary", {})
        if args.report:
            outcomes = {t["nodeid"]: t["outcome"] for t in data.get("tests", [])}
            Path(args.report).write_text(json.dumps(outcomes, indent=0, sort_keys=True))

    counts = {k: summary.get(k, 0) for k in ("passed", "xfailed", "xpassed", "skipped",
                                             "failed", "error")}
    total = sum(counts.values())  # the tests that ran (collected, less any deselected)
    collected = max(summary.get("collected", total), total)  # the whole suite
    xfail_share = (counts["xfailed"] + counts["xpassed"]) / max(collected, 1)
    print()
    print(f"{args.module} vs array-api-tests {PINNED_COMMIT[:12]} (standard {API_VERSION}, "
          f"--max-examples={args.max_examples}"
          f"{', device ' + (args.device or 'cpu') if args.module == 'ndgrad' else ''}): "
          f"{total} of {collected} tests ran")
    print("passed={passed} xfailed={xfailed} xpassed={xpassed} skipped={skipped} "
          "failed={failed} errors={error}".format(**counts))
    print(f"xfails file: {len(xfail_ids)} entries, {xfail_share:.2%} of the suite's tests "
          f"(limit {MAX_XFAIL_FRACTION:.0%})")
    ok = (counts["failed"] == 0 and counts["error"] == 0 and not problems
          and xfail_share <= MAX_XFAIL_FRACTION)
    if xfail_share > MAX_XFAIL_FRACTION:
        log("too many xfails: fix the causes instead of listing more tests")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

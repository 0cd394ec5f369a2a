"""Run HIPS autograd's own test suite against ndgrad.autograd.

    AUTOGRAD_DIR=<checkout of github.com/HIPS/autograd> python compat/autograd_tests/run.py \
        [--xfails compat/autograd_tests/xfails.txt] [--timeout 1200] [--keep DIR] \
        [--seed N] [--both-modes] [pytest args ...]

The checkout's ``tests/`` folder is copied into a temporary folder (nothing of autograd's
is kept in this repository) and pytest runs there with a plugin, ``ndgrad_as_autograd``,
loaded before any test module: it puts a finder first on ``sys.meta_path`` that answers
every ``autograd`` and ``autograd.<name>`` import with ``ndgrad.autograd`` /
``ndgrad.autograd.<name>`` (the same module objects, so ``autograd.numpy is
ndgrad.autograd.numpy``), and records each test's outcome. A name ndgrad.autograd lacks
fails as ``No module named 'autograd.<name>'``; the real autograd, even when installed,
is never imported.

The summary lists passed / failed / errors / skipped per file, then every failure. With
``--xfails FILE`` (lines ``<test id or glob>  # <reason>``; the reason is required) a
listed failure counts as expected; the run exits 1 on any failure not listed, and names
listed entries that passed (stale ones) without failing for them.
"""
import argparse
import os
import re
import shutil
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(REPO, "compat"))
from _runner import (print_table, read_xfails, report_failures, run_pytest,  # noqa: E402
                     write_plugin)

PLUGIN = r'''"""pytest plugin: ``import autograd...`` resolves to ``ndgrad.autograd...``; outcomes
are written as JSON to $NDGRAD_COMPAT_RESULTS."""
import importlib
import importlib.abc
import importlib.util
import sys


class _Alias(importlib.abc.Loader):
    def __init__(self, target):
        self.target = target

    def create_module(self, spec):
        return self.target

    def exec_module(self, module):
        # the import system wrote the alias spec onto the shared module: put its own back
        module.__spec__ = self.target_spec


class _Finder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path=None, target=None):
        if fullname != "autograd" and not fullname.startswith("autograd."):
            return None
        real = "ndgrad." + fullname
        try:
            mod = importlib.import_module(real)
        except ModuleNotFoundError as e:
            if e.name == real or (e.name and real.startswith(e.name + ".")):
                raise ModuleNotFoundError(
                    f"No module named {fullname!r} (ndgrad.autograd has no {real!r})",
                    name=fullname) from None
            raise
        loader = _Alias(mod)
        loader.target_spec = mod.__spec__
        return importlib.util.spec_from_loader(fullname, loader,
                                               is_package=hasattr(mod, "__path__"))


for _name in [n for n in sys.modules if n == "autograd" or n.startswith("autograd.")]:
    del sys.modules[_name]
sys.meta_path.insert(0, _Finder())

import autograd  # noqa: E402

assert autograd.__name__ == "ndgrad.autograd", autograd
'''


def reseed(conftest, seed):
    """Make the copied conftest's autouse fixture seed with ``seed``."""
    text = open(conftest).read()
    new, n = re.subn(r"np\.random\.seed\(\d+\)", f"np.random.seed({seed})", text)
    if n != 1:
        sys.exit(f"--seed: expected one np.random.seed(...) call in {conftest}; found {n}")
    with open(conftest, "w") as f:
        f.write(new)


REV_ONLY = re.compile(r"= partial\((check_grads|combo_check|unary_ufunc_check), "
                      r"modes=\[\"rev\"\]\)")


def both_modes(tests):
    """Make the copied files' ``x = partial(check, modes=["rev"])`` check both modes."""
    found = 0
    for name in ("test_linalg.py", "test_fft.py", "test_scipy.py"):
        path = os.path.join(tests, name)
        if not os.path.exists(path):
            continue
        text, n = REV_ONLY.subn(r'= partial(\1, modes=["fwd", "rev"])', open(path).read())
        found += n
        with open(path, "w") as f:
            f.write(text)
    if not found:
        sys.exit("--both-modes: no reverse-only partial(...) found to rewrite")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--xfails", help="known failures, one '<id or glob>  # reason' a line")
    ap.add_argument("--timeout", type=float, default=1200, help="seconds for the whole run")
    ap.add_argument("--keep", help="copy the tests here instead of a temporary folder")
    ap.add_argument("--seed", type=int, help="seed NumPy's global stream with this before "
                    "each test instead of autograd's 42 (its conftest's fixture), to draw "
                    "other random arguments")
    ap.add_argument("--both-modes", action="store_true",
                    help="check forward mode too where autograd's tests check reverse mode "
                    "only (test_linalg, test_fft, test_scipy: autograd lacks those JVPs)")
    ap.add_argument("-v", "--verbose", action="store_true", help="print each failure's traceback")
    ap.add_argument("pytest_args", nargs="*", help="passed to pytest (test files, -k ...)")
    args = ap.parse_args()
    src = os.environ.get("AUTOGRAD_DIR")
    if not src or not os.path.isdir(os.path.join(src, "tests")):
        sys.exit("set AUTOGRAD_DIR to a checkout of github.com/HIPS/autograd "
                 f"(with a tests/ folder); got {src!r}")
    xfails = read_xfails(args.xfails) if args.xfails else {}

    work = args.keep or tempfile.mkdtemp(prefix="ndgrad_autograd_tests_")
    try:
        tests = os.path.join(work, "tests")
        if os.path.exists(tests):
            shutil.rmtree(tests)
        shutil.copytree(os.path.join(src, "tests"), tests)
        if args.seed is not None:
            reseed(os.path.join(tests, "conftest.py"), args.seed)
        if args.both_modes:
            both_modes(tests)
        plugdir = os.path.join(work, "plugin")
        write_plugin(plugdir, "ndgrad_as_autograd", PLUGIN)
        env = dict(os.environ, PYTHONPATH=os.pathsep.join([plugdir, REPO]))
        cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
               "-p", "ndgrad_as_autograd", "--rootdir", tests,
               "--continue-on-collection-errors", "-o", "addopts=",
               *(args.pytest_args or [tests])]
        outcomes = run_pytest(cmd, tests, env, args.timeout, os.path.join(work, "results.json"))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return report(outcomes, xfails, args.verbose)


def report(outcomes, xfails, verbose):
    print_table(outcomes)
    return report_failures(
        outcomes, xfails, lambda p: f"known: {xfails[p]}",
        lambda bad, known, new: f"\n{len(bad)} failures, {len(bad) - len(new)} of them listed "
                                "in --xfails:", 40 if verbose else 0, 6, 20)


if __name__ == "__main__":
    sys.exit(main())

"""Public NumPy notebooks, run under NumPy and under ndgrad, every cell's output compared:
the Scientific Python Lectures' NumPy chapters, NumPy's own tutorials and the Python Data
Science Handbook's NumPy chapter.

Sets (``--set``): ``lectures``: ``intro/numpy/*.md`` of
github.com/scipy-lectures/scientific-python-lectures; ``tutorials``: ``content/*.md`` of
github.com/numpy/numpy-tutorials that need no network; ``pdsh``: the Jupyter notebooks
``notebooks/02.*.ipynb`` of github.com/jakevdp/PythonDataScienceHandbook (chapter 2,
"Introduction to NumPy"). Each notebook runs in a copy of
its repository's files (``git archive``: the data files it reads), cell by cell in one
namespace, as a notebook does, once with ``np`` bound to NumPy
(the reference: what NumPy prints today) and once with ``np`` bound to ndgrad (``import
numpy as np`` then means ndgrad, as ``import ndgrad as np`` does for a user), after
``np.random.seed(0)``, with ``default_rng()`` called without a seed given seed 0 (both
libraries draw the same streams from a seed; an unseeded generator would differ between
any two runs). A cell's output is what it prints plus the repr of its last
expression (what a notebook shows). Cells with IPython syntax (magics, shell escapes) or ``help()`` are skipped; matplotlib is a
stand-in that accepts every call (no figures), and ``scipy.datasets.face`` (a download) a
deterministic image of its shape. A cell is *same* when both outputs are
equal, *ndgrad error* when only ndgrad raises (a clear error: listed with its message),
*different* when both run and print different text (read each one), *skipped* when NumPy
itself raises (cells that need files or the network) or after an ndgrad error in that
chapter stops it (its later cells would read state ndgrad could not make).

    python compat/numpy/notebooks.py [--set lectures|tutorials|pdsh] [--src CHECKOUT] [NAME ...] [-v]

Nothing of theirs is kept in this repository (``--src``: a checkout or a bare mirror).
"""
from __future__ import annotations

import argparse
import ast
import contextlib
import io
import os
import re
import signal
import subprocess
import shutil
import sys
import tempfile
import types
import warnings

import numpy

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", ".."))
import ndgrad  # noqa: E402

SETS = {
    "lectures": ("/work/.mirror/scipy-lectures+scientific-python-lectures/repo", "intro/numpy",
                 ["array_object", "operations", "elaborate_arrays", "advanced_operations"]),
    # (the MNIST one downloads data; the x-ray one reads images with imageio; the style
    # guide and contributing pages hold no program)
    "tutorials": ("/work/.mirror/numpy+numpy-tutorials/repo", "content",
                  ["mooreslaw-tutorial", "save-load-arrays", "tutorial-ma",
                   "tutorial-plotting-fractals", "tutorial-static_equilibrium",
                   "tutorial-svd", "tutorial-air-quality-analysis"]),
    "pdsh": ("/work/.mirror/jakevdp+PythonDataScienceHandbook/repo", "notebooks",
             ["02.00-Introduction-to-NumPy", "02.01-Understanding-Data-Types",
              "02.02-The-Basics-Of-NumPy-Arrays", "02.03-Computation-on-arrays-ufuncs",
              "02.04-Computation-on-arrays-aggregates",
              "02.05-Computation-on-arrays-broadcasting", "02.06-Boolean-Arrays-and-Masks",
              "02.07-Fancy-Indexing", "02.08-Sorting", "02.09-Structured-Data-NumPy"]),
}
TIMEOUT = 60


def materialize(src, dest):
    """The repository's files under ``dest`` (a checkout is copied, a bare mirror
    archived): notebooks read their data files by relative path."""
    if os.path.isdir(os.path.join(src, ".git")) or not os.path.exists(
            os.path.join(src, "HEAD")):
        shutil.copytree(src, dest, dirs_exist_ok=True)
        return
    tar = subprocess.run(["git", "-C", src, "archive", "HEAD"], check=True,
                         capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", dest], input=tar, check=True)


def cells(text):
    """The code cells' sources (``{code-cell}`` blocks of MyST, option lines dropped; the
    code cells of a Jupyter notebook's JSON)."""
    if text.lstrip().startswith("{"):
        import json
        return ["".join(c["source"]).strip("\n") + "\n"
                for c in json.loads(text)["cells"] if c["cell_type"] == "code"]
    out = []
    for m in re.finditer(r"^```\{code-cell\}[^\n]*\n(.*?)^```", text, re.S | re.M):
        body = "\n".join(ln for ln in m.group(1).splitlines() if not ln.startswith(":"))
        out.append(body.strip("\n") + "\n")
    return out


class _Anything(types.ModuleType):
    """matplotlib stand-in: every attribute, call and item is another stand-in."""

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return _Anything(name)

    def __call__(self, *a, **k):
        return _Anything("result")

    def __getitem__(self, k):
        return _Anything("item")

    def __iter__(self):
        return iter([_Anything("a"), _Anything("b")])


class _Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise _Timeout


def run_cell(code, ns):
    """(output text, error or None): what the cell prints and its last expression's repr."""
    code = re.sub(r"^(\s*)import numpy as np\s*$", r"\1pass", code, flags=re.M)
    tree = ast.parse(code)
    last = None
    if tree.body and isinstance(tree.body[-1], ast.Expr):
        last = ast.Expression(tree.body.pop().value)
    buf = io.StringIO()
    err = None
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(TIMEOUT)
    try:
        with contextlib.redirect_stdout(buf), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            exec(compile(tree, "<cell>", "exec"), ns)
            if last is not None:
                v = eval(compile(last, "<cell>", "eval"), ns)
                if v is not None and not isinstance(v, _Anything):
                    print(repr(v))
    except _Timeout:
        err = "timeout"
    except BaseException as e:   # noqa: BLE001 (a cell may raise anything)
        err = f"{type(e).__name__}: {str(e)[:300]}"
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    return buf.getvalue(), err


def _face(gray=False):
    """Stand-in for ``scipy.datasets.face()`` (a download): a deterministic image of its
    shape and dtype, the same under NumPy and ndgrad."""
    img = numpy.random.default_rng(0).integers(0, 256, (768, 1024, 3), dtype=numpy.uint8)
    return img.mean(axis=2).astype(numpy.uint8) if gray else img


def _namespace(lib):
    plt = _Anything("matplotlib.pyplot")
    mpl = _Anything("matplotlib")
    mpl.pyplot = plt
    sys.modules.setdefault("matplotlib", mpl)
    sys.modules.setdefault("matplotlib.pyplot", plt)
    for name in ("mpl_toolkits", "mpl_toolkits.axes_grid1"):
        sys.modules.setdefault(name, _Anything(name))
    try:
        import scipy
        datasets = types.ModuleType("scipy.datasets")
        datasets.face = _face
        scipy.datasets = datasets
        sys.modules["scipy.datasets"] = datasets
    except ImportError:
        pass
    lib.random.seed(0)
    return {"__name__": "__lecture__", "np": lib, "plt": plt}


def _seed_default_rng(lib):
    """``lib.random.default_rng`` that takes seed 0 when called without one (each library's
    own function wrapped once: ``from numpy.random import default_rng`` in a cell gets it
    too)."""
    orig = lib.random.default_rng
    if getattr(orig, "_seeded", False):
        return

    def default_rng(seed=None):
        return orig(0 if seed is None else seed)
    default_rng._seeded = True
    lib.random.default_rng = default_rng


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--set", default="lectures", choices=sorted(SETS))
    p.add_argument("--src", help="a checkout (or bare mirror) of the set's repository")
    p.add_argument("names", nargs="*")
    p.add_argument("-v", action="store_true", help="print both outputs of each difference")
    a = p.parse_args(argv)
    src, folder, names = SETS[a.set]
    src = os.path.abspath(a.src or src)
    _seed_default_rng(numpy)
    _seed_default_rng(ndgrad)
    root = tempfile.mkdtemp(prefix="ndgrad-compat-")
    materialize(src, root)
    counts = {"same": 0, "ndgrad error": 0, "different": 0, "skipped": 0}
    for ch in a.names or names:
        os.chdir(os.path.join(root, folder))   # (notebooks read and write files here)
        path = f"{ch}.md" if os.path.exists(f"{ch}.md") else f"{ch}.ipynb"
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
        ns_np, ns_nd = _namespace(numpy), _namespace(ndgrad)
        stopped = False
        for k, code in enumerate(cells(text)):
            where = f"{ch}[{k}]"
            try:
                ast.parse(code)
                ipython = False
            except SyntaxError:
                ipython = True     # (shell escapes, ``cd``, ``?`` help)
            if stopped or ipython or re.search(r"^\s*[%!]|\bhelp\(|\bnp\.info\(|"
                                               r"\bnp\.lookfor\(", code, re.M):
                counts["skipped"] += 1
                continue
            # (ndgrad.random draws from NumPy's global generator, the same stream for
            # the same seed: each run of the cell starts from the same state)
            state = numpy.random.get_state()
            want, werr = run_cell(code, ns_np)
            numpy.random.set_state(state)
            got, gerr = run_cell(code, ns_nd)
            if werr is not None:
                counts["skipped"] += 1
                continue
            stopped = classify(f"{where} {code.strip()[:120]!r}", want, got, gerr, counts,
                               a.v) == "ndgrad error"
    print(", ".join(f"{k}: {v}" for k, v in counts.items()))
    return 0


def classify(label, want, got, gerr, counts, verbose):
    """Count and report one comparison: "ndgrad error" (only ndgrad raised), "different"
    (both ran, printed text differs; both texts shown when ``verbose``) or "same"."""
    if gerr is not None:
        kind = "ndgrad error"
        print(f"{label}: ndgrad error: {gerr}")
    elif got != want:
        kind = "different"
        print(f"{label}: DIFFERENT")
        if verbose:
            print("   numpy:\n" + "".join(f"     {ln}\n" for ln in want.splitlines()))
            print("   ndgrad:\n" + "".join(f"     {ln}\n" for ln in got.splitlines()))
    else:
        kind = "same"
    counts[kind] += 1
    return kind


if __name__ == "__main__":
    sys.exit(main())

"""rougier/numpy-100's 100 exercise solutions, run under NumPy and under ndgrad, output compared.

Each solution (``< aN`` block of ``source/exercises100.ktx``) runs twice in a fresh
namespace, after ``np.random.seed(0)``: once with ``np`` bound to NumPy (the reference:
what NumPy prints today) and once with ``np`` bound to ndgrad (``import numpy as np``
lines and ``np.`` names then mean ndgrad, as ``import ndgrad as np`` does for a user). An
exercise is *same* when both print the same text, *ndgrad error* when only ndgrad raises
(a clear error: acceptable, listed with the message), *different* when both run and print
different text (read each: a silently different value is the worst bug this project can
have), and *skipped* when NumPy itself raises or the solution needs IPython magics,
pandas or a file.

    python compat/numpy/exercises100.py [--src PATH_TO_numpy-100] [N ...] [-v]

``--src``: a checkout of github.com/rougier/numpy-100 (or a bare mirror: read with
``git show``); nothing of it is kept in this repository.
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile

import numpy

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", ".."))
import ndgrad  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from notebooks import classify, run_cell  # noqa: E402  (one way to run a piece of code and catch its output)



def read_source(src):
    path = os.path.join(src, "source", "exercises100.ktx")
    if os.path.exists(path):
        with open(path, encoding="utf-8") as fh:
            return fh.read()
    return subprocess.run(["git", "-C", src, "show", "HEAD:source/exercises100.ktx"],
                          check=True, capture_output=True, text=True).stdout


def solutions(text):
    """{n: code} from the ``< aN`` blocks."""
    out = {}
    for m in re.finditer(r"^< a(\d+)\n(.*?)(?=^< [qha]\d+\n|\Z)", text, re.S | re.M):
        out[int(m.group(1))] = m.group(2).rstrip() + "\n"
    return out


def run(code, lib):
    """(printed text, error or None) of ``code`` with ``np`` bound to ``lib`` (a fresh
    namespace, NumPy's global random state seeded 0), as a notebook cell runs it."""
    lib.random.seed(0)
    try:
        return run_cell(code, {"__name__": "__exercise__", "np": lib})
    finally:
        numpy.set_printoptions()    # (solutions change print options)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--src", default=os.environ.get("NUMPY100_DIR",
                                                   "/work/.mirror/rougier+numpy-100/repo"))
    p.add_argument("numbers", nargs="*", type=int)
    p.add_argument("-v", action="store_true", help="print both outputs of each difference")
    a = p.parse_args(argv)
    a.src = os.path.abspath(a.src)
    os.chdir(tempfile.mkdtemp(prefix="ndgrad-compat-"))   # (solutions write files)
    sols = solutions(read_source(a.src))
    counts = {"same": 0, "ndgrad error": 0, "different": 0, "skipped": 0}
    for n in sorted(a.numbers or sols):
        code = sols[n]
        if re.search(r"^\s*%|pandas|numba|scipy|np\.info|np\.show_config|__version__", code,
                     re.M):
            counts["skipped"] += 1
            print(f"{n:3d} skipped (IPython magic, another library or NumPy's own metadata)")
            continue
        want, werr = run(code, numpy)
        if werr is not None:
            counts["skipped"] += 1
            print(f"{n:3d} skipped (NumPy raises: {werr[:100]})")
            continue
        got, gerr = run(code, ndgrad)
        classify(f"{n:3d}", want, got, gerr, counts, a.v)
    print(", ".join(f"{k}: {v}" for k, v in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())

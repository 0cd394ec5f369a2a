"""How much of NumPy's public API ndgrad provides.

Lists the public callables of ``numpy``, ``numpy.linalg``, ``numpy.fft`` and
``numpy.random`` (functions, ufuncs and classes; not submodules, constants or NumPy's
own ``test`` runner) and checks
which ndgrad's matching namespace defines. Prints one percentage per namespace, and with
``--missing`` the uncovered names with the reason each is not provided.

    python compat/numpy/coverage.py [--missing]
"""
from __future__ import annotations

import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", ".."))
import ndgrad  # noqa: E402

# why a NumPy name is deliberately not provided (the rest are simply not written yet)
REASONS = {
    # legacy or object-dtype machinery with no array-API meaning
    "matrix": "NumPy discourages np.matrix; ndgrad has arrays and @",
    "memmap": "memory-mapped files: a NumPy-buffer feature; read with np.memmap then asarray",
    "chararray": "string arrays are outside ndgrad's numeric dtypes",
    "char": "string arrays are outside ndgrad's numeric dtypes",
    "flatiter": "x.flat returns ndgrad's own flat iterator",
    "ndarray": "provided as ndgrad.ndarray = ndgrad.Array",
    "from_dlpack": "provided by the standard layer",
    "getbufsize": "ufunc buffer tuning of NumPy's C loops",
    "setbufsize": "ufunc buffer tuning of NumPy's C loops",
    "get_array_wrap": "subclass machinery",
    "add_docstring": "C-level docstring helper",
    "add_newdoc": "C-level docstring helper",
    "add_newdoc_ufunc": "C-level docstring helper",
    "lookfor": "NumPy documentation search",
    "asmatrix": "provided (returns a 2-D array)",
    "bmat": "np.matrix construction",
    "deprecate": "NumPy's deprecation helper",
    "unique_values": "provided by the standard layer",
}


def public_callables(mod):
    names = []
    for n in dir(mod):
        if n.startswith("_"):
            continue
        try:
            obj = getattr(mod, n)
        except Exception:
            continue
        if type(obj).__name__ in ("module", "PytestTester") or not callable(obj):
            continue  # submodules, constants, and NumPy's own test runner (not API)
        names.append(n)
    return sorted(names)


def coverage():
    rows = []
    for npname, ndname in [("numpy", "ndgrad"), ("numpy.linalg", "ndgrad.linalg"),
                           ("numpy.fft", "ndgrad.fft"), ("numpy.random", "ndgrad.random")]:
        npmod = np
        for part in npname.split(".")[1:]:
            npmod = getattr(npmod, part)
        ndmod = ndgrad
        for part in ndname.split(".")[1:]:
            ndmod = getattr(ndmod, part, None)
        names = public_callables(npmod)
        have = [n for n in names if ndmod is not None and hasattr(ndmod, n)]
        missing = [n for n in names if n not in have]
        rows.append((npname, names, have, missing))
    return rows


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--missing", action="store_true", help="list the uncovered names")
    args = p.parse_args(argv)
    rows = coverage()
    print(f"NumPy {np.__version__}, ndgrad {ndgrad.__version__}")
    print(f"{'namespace':<14} {'covered':>8} {'total':>6} {'percent':>8}")
    for name, names, have, missing in rows:
        pct = 100.0 * len(have) / max(len(names), 1)
        print(f"{name:<14} {len(have):>8} {len(names):>6} {pct:>7.1f}%")
    if args.missing:
        for name, names, have, missing in rows:
            if not missing:
                continue
            print(f"\nnot in ndgrad ({name}):")
            for n in missing:
                print(f"  {n}: {REASONS.get(n, 'not implemented yet')}")
    return rows


if __name__ == "__main__":
    main()

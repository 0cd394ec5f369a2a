"""NumPy's own docstring examples, run under NumPy and under ndgrad, output compared.

For every public name of ``numpy``, ``numpy.linalg`` and ``numpy.fft`` that ndgrad also
provides, each ``>>>`` example of NumPy's
docstring runs twice in a fresh namespace per name: once with ``np`` bound to NumPy (the
reference: the output NumPy prints today, not the docstring's text, which may be stale)
and once with ``np`` bound to ndgrad. An example is *same* when both print the same text,
*ndgrad error* when only ndgrad raises (a clear error: acceptable, listed), *different*
when both run and print different text (the case to read: a silently different value,
or a harmless difference such as an object id or a timing), and skipped when NumPy
itself raises (examples that need files, plotting or earlier state).

    python compat/numpy/docstrings.py [NAME ...] [--quiet]     (NAME: sum, linalg.solve ...)
"""
from __future__ import annotations

import contextlib
import doctest
import io
import os
import signal
import sys
import warnings

import numpy

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", ".."))
import ndgrad  # noqa: E402


def _examples(obj):
    try:
        return doctest.DocTestParser().get_examples(getattr(obj, "__doc__", None) or "")
    except ValueError:
        return []


def _alarm(*_):
    raise TimeoutError("example ran over 5 s")


def _run(examples, module):
    """The printed output (or the error) of each example, run in order in one namespace."""
    namespace = {"np": module, "numpy": module}
    outs = []
    signal.signal(signal.SIGALRM, _alarm)
    for ex in examples:
        buf = io.StringIO()
        try:
            with contextlib.redirect_stdout(buf), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                numpy.random.seed(0)
                try:
                    code = compile(ex.source, "<example>", "single")
                except SyntaxError:
                    code = compile(ex.source, "<example>", "exec")
                signal.alarm(5)
                try:
                    exec(code, namespace)
                finally:
                    signal.alarm(0)
            outs.append((True, buf.getvalue()))
        except Exception as e:   # noqa: BLE001 (an example's own error is a result)
            outs.append((False, f"{type(e).__name__}: {str(e)[:150]}"))
    return outs


def main(argv=None):
    args = sys.argv[1:] if argv is None else argv
    # (examples write files such as test.npy: run them in a scratch folder)
    import tempfile
    os.chdir(tempfile.mkdtemp(prefix="ndgrad-docstrings-"))
    quiet = "--quiet" in args
    names = [a for a in args if not a.startswith("--")] or (
        sorted(n for n in dir(numpy) if not n.startswith("_"))
        + [f"{sub}.{n}" for sub in ("linalg", "fft")
           for n in sorted(dir(getattr(numpy, sub))) if not n.startswith("_")])
    counts = {"same": 0, "ndgrad error": 0, "different": 0, "skipped (NumPy raises)": 0}
    options = numpy.get_printoptions()
    for name in names:
        obj, mine = numpy, ndgrad
        for part in name.split("."):
            obj, mine = getattr(obj, part, None), getattr(mine, part, None)
        if obj is None or mine is None:
            continue
        examples = _examples(obj)
        if not examples:
            continue
        ref = _run(examples, numpy)
        numpy.set_printoptions(**options)     # (an example may change them)
        got = _run(examples, ndgrad)
        numpy.set_printoptions(**options)
        for ex, (ok_a, out_a), (ok_b, out_b) in zip(examples, ref, got):
            src = ex.source.strip().replace("\n", " ")[:100]
            if not ok_a:
                counts["skipped (NumPy raises)"] += 1
            elif ok_b and out_a == out_b:
                counts["same"] += 1
            elif not ok_b:
                counts["ndgrad error"] += 1
                if not quiet:
                    print(f"ERROR     {name}: {src!r}\n          {out_b}")
            else:
                counts["different"] += 1
                if not quiet:
                    print(f"DIFFERENT {name}: {src!r}\n   NumPy : {out_a.strip()[:300]!r}"
                          f"\n   ndgrad: {out_b.strip()[:300]!r}")
    print(", ".join(f"{k}: {v}" for k, v in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())

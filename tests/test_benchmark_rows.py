"""Every row of the benchmark workloads computes what the hand-written NumPy computes
(the check each row runs before it is timed; no timing here): an eager, Session or
nd.jit fast path that gave a different value would show as WRONG in a benchmark run,
which no test ran."""
import argparse
import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from benchmarks.harness import compare  # noqa: E402
from benchmarks.workloads import WORKLOADS  # noqa: E402


@pytest.mark.parametrize("name", sorted(WORKLOADS))
def test_every_benchmark_row_computes_the_hand_written_result(name):
    w = WORKLOADS[name].build(argparse.Namespace(big_n=2**16))
    base = next(i for i in w.impls if i.baseline)
    ref = base.check()
    checked = 0
    for impl in w.impls:
        if impl.skip or impl.baseline or impl.check is None:
            continue
        assert compare(ref, impl.check(), impl.rtol, impl.atol) == "", impl.name
        checked += 1
    assert checked >= 2

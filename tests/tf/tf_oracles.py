"""Helpers of the tests that compare ndgrad.tf with TensorFlow on eager programs: a
PROGRAM string defines ``run_all(tf)`` returning {name: a list of numbers, None or
strings}; ``run_eager_program`` runs it under ndgrad.tf, the ``tf_eager_oracle`` fixture
(conftest.py) under TensorFlow. Both run ``PRELUDE`` first: ``np`` and ``_flat``."""
import math

import ndgrad.tf as tf

# what every PROGRAM may use: numpy, and ``_flat(values)``, the numbers of a list of
# tensors (None for a missing gradient), flattened into one list
PRELUDE = """
import numpy as np


def _flat(vs):
    out = []
    for v in vs:
        if v is None:
            out.append(None)
        else:
            out.extend(float(a) for a in np.asarray(v).reshape(-1))
    return out
"""

EAGER_ORACLE = """
import json, sys
import tensorflow as tf
ns = {}
exec(open(sys.argv[1]).read(), ns)
json.dump(ns["run_all"](tf), open(sys.argv[2], "w"))
"""


def run_eager_program(program):
    """``program``'s ``run_all`` under ndgrad.tf in eager mode."""
    tf.enable_eager_execution()
    try:
        ns = {}
        exec(PRELUDE + program, ns)
        return ns["run_all"](tf)
    finally:
        tf.disable_eager_execution()


def same_numbers(got, want, name, rtol=2e-5):
    """``got`` has ``want``'s numbers: None and strings exactly, NaN where NaN, infinities
    equal, other numbers within ``rtol`` (relative; absolute below 1)."""
    assert isinstance(got, list), (name, got)
    assert len(got) == len(want), (name, got, want)
    for k, (g, w) in enumerate(zip(got, want)):
        if w is None or g is None or isinstance(w, str):
            assert g == w, (name, k, got, want)
        elif math.isnan(w) or math.isinf(w):
            assert g == w or (math.isnan(g) and math.isnan(w)), (name, k, g, w)
        else:
            assert abs(g - w) <= rtol * max(1.0, abs(w)), (name, k, g, w)

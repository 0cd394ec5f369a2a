"""Thirteen classic TF 1 tutorial programs (tests/tf/programs/, written in the public
tutorials' style) run under ndgrad.tf and give TensorFlow's numbers.

The reference numbers in tests/tf/programs/reference.json were obtained by running the
same programs under TensorFlow 2.21 CPU, tf.compat.v1 graph mode (see
tests/tf/programs/make_reference.py for the command). Deterministic programs (NumPy
initial values and data) must agree to float32 rounding; the two random-initialised
ones (word2vec with NCE, the autoencoder) within the tolerance each states.
"""
import importlib
import json
import os
import sys

import numpy as np
import pytest

import ndgrad.tf as tf

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from programs.make_reference import PROGRAMS, run  # noqa: E402

with open(os.path.join(os.path.dirname(__file__), "programs", "reference.json")) as _fh:
    REFERENCE = json.load(_fh)


def test_every_program_has_reference_numbers():
    assert sorted(REFERENCE) == sorted(PROGRAMS)
    assert len(PROGRAMS) >= 10


@pytest.mark.parametrize("name", PROGRAMS)
def test_program_gives_tensorflows_numbers(name):
    mod = importlib.import_module(f"programs.{name}")
    got = run(name, tf)
    want = REFERENCE[name]
    assert sorted(got) == sorted(want)
    exact = getattr(mod, "EXACT", ())
    for key in want:
        tol = {"rtol": 0, "atol": 0} if key in exact else mod.TOLERANCE
        np.testing.assert_allclose(got[key], want[key], err_msg=f"{name}: {key}", **tol)

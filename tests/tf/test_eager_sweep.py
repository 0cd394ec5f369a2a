"""ndgrad.tf's eager values and ``GradientTape`` gradients (and the same in graph mode,
``tf.gradients``) against TensorFlow 2.21's for about 180 ops and dtypes (``tests/tf/reference/eager_sweep_cases.py``; the numbers in
``eager_sweep_tf.json`` are TF's). The sweep found ``tf.sign``'s gradient (None where TF
gives zeros), ``tf.range`` of eager tensors, and names TF 1.15 has that ndgrad.tf lacked
(``tf.sort``, ``tf.argsort``, ``tf.math.reduce_std``/``reduce_variance``,
``tf.math.l2_normalize``, ``tf.nn.weighted_cross_entropy_with_logits``, ``tf.nn.crelu``,
``tf.matrix_band_part``, ``tf.math.segment_sum``); the oracle test reruns the cases
under TensorFlow where it is installed (``NDGRAD_TF_PYTHON``)."""
import json
import os
import subprocess
import sys

import numpy as np
import pytest

import ndgrad.tf as tf

from tf_oracles import same_numbers

REF = os.path.join(os.path.dirname(__file__), "reference")
sys.path.insert(0, REF)
import eager_sweep_cases  # noqa: E402

with open(os.path.join(REF, "eager_sweep_tf.json")) as _fh:
    TF_WANT = json.load(_fh)

# Where ndgrad departs from TF on purpose (README, "TF1 programs"): the
# derivative of cumprod at a zero factor. TF divides by the input (its gradient there is
# 0, which is wrong); ndgrad's is the exact one: here d(sum w * cumprod(x))/dx[0, 2] =
# w[0, 2] * x[0, 0] * x[0, 1] = 3 * 0.75
DEPARTURES = {"cumprod/float32": {9: 2.25}, "cumprod/float64": {9: 2.25}}


@pytest.fixture(scope="module")
def results():
    tf.enable_eager_execution()
    try:
        return eager_sweep_cases.run_all(tf)
    finally:
        tf.disable_eager_execution()


def _want(name, numbers=None):
    """TF's numbers for case ``name`` (``numbers``: another run's), the departures
    applied."""
    want = list((numbers or TF_WANT)[name])
    for k, v in DEPARTURES.get(name, {}).items():
        want[k] = v
    return want


@pytest.mark.parametrize("name", sorted(TF_WANT))
def test_gives_tensorflows_numbers(results, name):
    same_numbers(results[name], _want(name), name)


@pytest.fixture(scope="module")
def graph_results():
    tf.disable_eager_execution()
    tf.reset_default_graph()
    return eager_sweep_cases.run_all_graph(tf)


@pytest.mark.parametrize("name", sorted(TF_WANT))
def test_graph_mode_gives_tensorflows_numbers(graph_results, name):
    same_numbers(graph_results[name], _want(name), name)


def test_departures_are_departures():
    # (the table above holds only real differences from TF's numbers)
    for name, fix in DEPARTURES.items():
        for k, v in fix.items():
            assert TF_WANT[name][k] != v


def test_oracle_tensorflow(tf_python, tmp_path, results):
    out = tmp_path / "tf.json"
    env = dict(os.environ, BACKEND="tf", TF_ENABLE_ONEDNN_OPTS="0")
    subprocess.run([tf_python, os.path.join(REF, "eager_sweep_cases.py"), str(out)],
                   check=True, capture_output=True, env=env)
    want = json.loads(out.read_text())
    for name in want:
        same_numbers(results[name], _want(name, want), name)

"""Each test of ndgrad.tf starts from a fresh default graph with no default session."""
import pytest

import ndgrad.tf as tf
from ndgrad.graph import session as _session
from ndgrad.graph import core as _core


@pytest.fixture(autouse=True)
def fresh_graph():
    _session._sess.stack.clear()
    _core._state.graph_stack.clear()
    tf.disable_eager_execution()
    tf.reset_default_graph()
    yield
    _session._sess.stack.clear()
    _core._state.graph_stack.clear()
    tf.disable_eager_execution()


@pytest.fixture
def tf_python():
    """A Python that has TensorFlow, for oracle checks in a subprocess: $NDGRAD_TF_PYTHON,
    else this one if it has TensorFlow; the test is skipped otherwise."""
    import importlib.util
    import os
    import sys
    p = os.environ.get("NDGRAD_TF_PYTHON")
    if p:
        return p
    if importlib.util.find_spec("tensorflow") is not None:
        return sys.executable
    pytest.skip("TensorFlow is not installed (set NDGRAD_TF_PYTHON to a Python that has it)")


# scenario programs run on both sides: a PROGRAM string defines SCENARIOS, functions of
# ``tf`` that build a graph, run it and return numbers (tests/tf/test_cond.py)
_SCENARIO_RUNNER = """

def run_all(tf):
    out = {}
    for f in SCENARIOS:
        tf.reset_default_graph()
        out[f.__name__] = [float(v) for v in f(tf)]
    return out
"""

_SCENARIO_ORACLE = """
import json, sys
import tensorflow.compat.v1 as tf
tf.disable_eager_execution()
ns = {}
exec(open(sys.argv[1]).read(), ns)
json.dump(ns["run_all"](tf), open(sys.argv[2], "w"))
"""


def run_scenarios(program, tf_module):
    """{scenario name: its numbers} of ``program``'s SCENARIOS run with ``tf_module``."""
    ns = {}
    exec(program + _SCENARIO_RUNNER, ns)
    return ns["run_all"](tf_module)


@pytest.fixture
def tf_scenarios(tf_python, tmp_path):
    """``program`` -> TensorFlow's numbers for its SCENARIOS (a subprocess)."""
    import json
    import subprocess

    def run(program):
        (tmp_path / "program.py").write_text(program + _SCENARIO_RUNNER)
        (tmp_path / "oracle.py").write_text(_SCENARIO_ORACLE)
        subprocess.run([tf_python, str(tmp_path / "oracle.py"),
                        str(tmp_path / "program.py"), str(tmp_path / "tf.json")],
                       check=True, capture_output=True)
        return json.loads((tmp_path / "tf.json").read_text())
    return run


@pytest.fixture(scope="session")
def nd_scenarios():
    """``program`` -> ndgrad.tf's numbers for its SCENARIOS."""
    import ndgrad.tf as ndtf
    return lambda program: run_scenarios(program, ndtf)


class _Mode(str):
    """The TF mode a test runs in ("graph" or "eager"); called on a tensor, its value in
    that mode (a session run, or the eager array's values)."""

    def __call__(self, t):
        import numpy as np
        if tf.executing_eagerly():
            return np.asarray(t)
        with tf.Session() as s:
            return s.run(t)


@pytest.fixture(params=["graph", "eager"])
def mode(request):
    """Each test twice: in graph mode and in eager mode (``mode(t)``: t's value)."""
    m = _Mode(request.param)
    if m == "eager":
        tf.enable_eager_execution()
    yield m
    tf.disable_eager_execution()


@pytest.fixture
def tf_eager_oracle(tf_python, tmp_path):
    """``program`` -> TensorFlow's numbers for its ``run_all`` (TF 2, eager; a
    subprocess; tests/tf/tf_oracles.py)."""
    import json
    import subprocess
    from tf_oracles import EAGER_ORACLE, PRELUDE

    def run(program):
        (tmp_path / "program.py").write_text(PRELUDE + program)
        (tmp_path / "oracle.py").write_text(EAGER_ORACLE)
        subprocess.run([tf_python, str(tmp_path / "oracle.py"), str(tmp_path / "program.py"),
                        str(tmp_path / "tf.json")], check=True, capture_output=True)
        return json.loads((tmp_path / "tf.json").read_text())
    return run

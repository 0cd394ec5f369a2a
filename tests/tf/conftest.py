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

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

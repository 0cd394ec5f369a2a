"""Graph-layer tests build graphs: TF1 graph mode for every test here."""
import pytest

import ndgrad.tf as tf


@pytest.fixture(autouse=True)
def graph_mode():
    tf.disable_eager_execution()
    yield

"""Test set-up: hypothesis profiles and the backend fixture.

CI uses the derandomized "ci" profile so a red run is reproducible; set
HYPOTHESIS_PROFILE=dev locally to search harder. Tests marked ``slow`` (searches with 20x
the examples) are off unless ``--runslow`` is given: ``python -m pytest --runslow -m slow``.
"""
import os

import importlib

import pytest
from hypothesis import settings, HealthCheck

# every graph session-state op's values are checked against its outputs' static shapes
# and dtypes when it runs (ndgrad/graph/compiler/lower.py; the module, not the package's
# function of the same name)
importlib.import_module("ndgrad.graph.compiler.lower").CHECK_SPECIAL_OUTPUTS = True

settings.register_profile("ci", derandomize=True, max_examples=25, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow,
                                                 HealthCheck.data_too_large])
settings.register_profile("dev", max_examples=200, deadline=None)
settings.register_profile("slow", derandomize=True, max_examples=500, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow,
                                                 HealthCheck.data_too_large])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# tests/ is on sys.path (rootdir conftest), so test files share ``helpers``


def pytest_addoption(parser):
    parser.addoption("--runslow", action="store_true", default=False,
                     help="run tests marked slow (20x the hypothesis examples)")


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: a long search, off in CI; --runslow turns it on")


def pytest_collection_modifyitems(config, items):
    if config.getoption("--runslow"):
        return
    skip = pytest.mark.skip(reason="slow: pass --runslow to run")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


def _cupy_available():
    try:
        import cupy
        return cupy.cuda.runtime.getDeviceCount() > 0
    except Exception:
        return False


BACKENDS = [
    pytest.param("cpu", id="numpy"),
    pytest.param("strict", id="array_api_strict"),
    # a TEST backend, not a device: NumPy behind CuPy's rules (ndgrad/_cupy_rules.py), so
    # every code path that would break on a GPU fails here without one
    pytest.param("cupy_rules", id="cupy_rules"),
    pytest.param("cuda", id="cupy", marks=pytest.mark.skipif(
        not _cupy_available(), reason="CuPy with a GPU is not available")),
]


@pytest.fixture(params=BACKENDS)
def device(request):
    """Run a test on each backend; arrays made with ``device=device`` live there."""
    return request.param

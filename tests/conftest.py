"""Test set-up: hypothesis profiles and the backend fixture.

CI uses the derandomized "ci" profile so a red run is reproducible; set
HYPOTHESIS_PROFILE=dev locally to search harder.
"""
import os

import pytest
from hypothesis import settings, HealthCheck

settings.register_profile("ci", derandomize=True, max_examples=25, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow,
                                                 HealthCheck.data_too_large])
settings.register_profile("dev", max_examples=200, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def _cupy_available():
    try:
        import cupy
        return cupy.cuda.runtime.getDeviceCount() > 0
    except Exception:
        return False


BACKENDS = [
    pytest.param("cpu", id="numpy"),
    pytest.param("strict", id="array_api_strict"),
    pytest.param("cuda", id="cupy", marks=pytest.mark.skipif(
        not _cupy_available(), reason="CuPy with a GPU is not available")),
]


@pytest.fixture(params=BACKENDS)
def device(request):
    """Run a test on each backend; arrays made with ``device=device`` live there."""
    return request.param

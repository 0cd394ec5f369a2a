"""Fixtures for the Dask backend's tests: a scheduler that counts every computation."""
import pytest

pytest.importorskip("dask")


from dask_helpers import CountingScheduler  # noqa: E402  (this folder is on sys.path)


@pytest.fixture
def counting():
    """A CountingScheduler installed as Dask's scheduler for the test."""
    import dask
    counter = CountingScheduler()
    with dask.config.set(scheduler=counter):
        yield counter

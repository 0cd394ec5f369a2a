"""Fixtures for the Dask backend's tests: a scheduler that counts every computation."""
import pytest

pytest.importorskip("dask")


class CountingScheduler:
    """Dask's synchronous scheduler, counting the graphs it is asked to compute:
    ``with dask.config.set(scheduler=counter):`` then ``counter.calls == 0`` proves that
    nothing was computed."""

    def __init__(self):
        self.calls = 0

    def __call__(self, dsk, keys, **kwargs):
        from dask.local import get_sync
        self.calls += 1
        return get_sync(dsk, keys, **kwargs)


@pytest.fixture
def counting():
    """A CountingScheduler installed as Dask's scheduler for the test."""
    import dask
    counter = CountingScheduler()
    with dask.config.set(scheduler=counter):
        yield counter

"""Shared by the Dask tests: a scheduler that counts every computation."""


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

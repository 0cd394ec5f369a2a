"""``__array_namespace_info__()``: what this namespace supports (array API inspection)."""
from __future__ import annotations

from . import _dtypes
from ._backend import as_device, default_device, CPU, Device


class Info:
    """Capabilities, devices and default dtypes of the ndgrad namespace.

    >>> import ndgrad as nd
    >>> nd.__array_namespace_info__().default_dtypes()["real floating"]
    dtype('float64')
    """

    def capabilities(self):
        return {"boolean indexing": True, "data-dependent shapes": True,
                "max dimensions": 64}

    def default_device(self):
        return default_device()

    def devices(self):
        devs = [CPU]
        try:
            import cupy
            devs += [Device("cuda", i) for i in range(cupy.cuda.runtime.getDeviceCount())]
        except Exception:  # no CuPy or no GPU: the CPU only
            pass
        if default_device() not in devs:  # e.g. "strict", when made the default
            devs.append(default_device())
        return tuple(devs)  # a tuple since 2025.12

    def default_dtypes(self, *, device=None):
        if device is not None:
            as_device(device)
        return {"real floating": _dtypes.default_float, "complex floating":
                _dtypes.default_complex, "integral": _dtypes.default_int,
                "indexing": _dtypes.default_index}

    def dtypes(self, *, device=None, kind=None):
        if device is not None:
            as_device(device)
        all_ = {str(d): d for d in _dtypes.all_dtypes}
        if kind is None:
            return all_
        return {n: d for n, d in all_.items() if _dtypes.isdtype(d, kind)}


_info = Info()


def __array_namespace_info__():
    return _info

"""Differentiable SciPy: ``special``, ``stats``, ``linalg``, ``signal``, ``integrate`` as registry ops.

Forward values come from SciPy on the CPU and from ``cupyx.scipy`` on CUDA devices (both
imported only when a function runs); functions the array API standard can express also
run on the ``strict`` backend, the others refuse it with an error naming the function.

>>> import ndgrad as nd
>>> import ndgrad.scipy as nsp
>>> float(nsp.special.expit(nd.asarray(0.0)))
0.5
"""
from __future__ import annotations

from . import special, stats, linalg, signal, integrate  # noqa: F401

__all__ = ["special", "stats", "linalg", "signal", "integrate"]

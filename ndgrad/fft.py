"""``ndgrad.fft``: the array API fft extension (and NumPy's fft names)."""
from __future__ import annotations

__all__ = []

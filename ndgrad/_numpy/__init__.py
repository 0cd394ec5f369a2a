"""NumPy's namespace beyond the array API standard (the drop-in layer)."""
from __future__ import annotations

__all__ = []

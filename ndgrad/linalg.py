"""``ndgrad.linalg``: the array API linalg extension (and NumPy's linalg names)."""
from __future__ import annotations

__all__ = []

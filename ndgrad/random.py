"""``ndgrad.random``: NumPy's random module on ndgrad arrays."""
from __future__ import annotations

__all__ = []

"""Sorting functions of the array API standard (filled in by the ops work)."""
from __future__ import annotations

from .registry import defop, apply  # noqa: F401

__all__ = []

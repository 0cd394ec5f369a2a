"""``numpy._core`` (NumPy 2's name for its core): the same as ``ndgrad.core``."""
from __future__ import annotations

from ..core import records, __getattr__  # noqa: F401

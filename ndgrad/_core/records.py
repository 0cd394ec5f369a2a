"""``numpy._core.records``: record arrays (the same module as ``ndgrad.core.records``)."""
from __future__ import annotations

from ..core.records import *  # noqa: F401,F403
from ..core.records import __all__  # noqa: F401

"""``numpy.core.records``: record arrays (``np.rec``; see ``ndgrad._numpy.records``)."""
from __future__ import annotations

from .._numpy.records import (recarray, record, format_parser, fromarrays,  # noqa: F401
                              fromrecords, fromstring, fromfile, array, find_duplicate, NAMES)

__all__ = list(NAMES)

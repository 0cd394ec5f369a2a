"""Where ndgrad's NumPy face departs from NumPy on purpose: one table, a reason each.

Every other result of a NumPy name has NumPy's value, dtype and shape (the differential
test, ``tests/numpy/test_differential.py``, checks that and reads this table for the
cases below: it compares them with the rule written here instead of NumPy).
"""
from __future__ import annotations

# function -> {"reason": why, "inputs": which inputs it concerns (text),
#              "applies": predicate(args, kwargs) -> bool, "rule": the expected result}
DEPARTURES: dict = {}


def departure_for(name, args, kwargs):
    """The table's entry for this call, or None when NumPy's result is the rule."""
    d = DEPARTURES.get(name)
    if d is not None and d["applies"](args, kwargs):
        return d
    return None

"""NumPy's floating-point error reports switched off for a span of ndgrad's own work, at a
context variable's cost (``np.errstate(all="ignore")`` is about 1 us a use)."""
from __future__ import annotations

import numpy as np

try:   # NumPy 2's error state is a context variable holding one "extobj"
    from numpy._core._ufunc_config import _extobj_contextvar as _VAR
    from numpy._core.umath import _make_extobj
except Exception:  # pragma: no cover - other NumPy versions: the public context manager
    _VAR = None

# (the state current when the quiet twin was made, that twin): the twin keeps everything
# of the current state but the error modes (its buffer size and error callback), so it is
# remade when the user's state changes (np.setbufsize, np.seterrcall, an np.errstate)
_twin = (None, None)


def ignore():
    """Enter NumPy's all-ignore error state, as ``np.errstate(all="ignore")`` does; returns
    the token ``restore`` takes to go back to the caller's state.

    >>> import numpy as np
    >>> from ndgrad._fperr import ignore, restore
    >>> token = ignore()
    >>> np.geterr()["divide"]
    'ignore'
    >>> restore(token)
    """
    global _twin
    if _VAR is None:
        state = np.errstate(all="ignore")
        state.__enter__()
        return state
    cur = _VAR.get()
    twin = _twin
    if twin[0] is not cur:
        # (made while ``cur`` is current: _make_extobj copies its unnamed fields)
        twin = _twin = (cur, _make_extobj(all="ignore"))
    return _VAR.set(twin[1])


def restore(token):
    """Go back to the error state ``ignore`` left."""
    if _VAR is None:
        token.__exit__(None, None, None)
    else:
        _VAR.reset(token)

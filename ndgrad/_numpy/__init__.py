"""NumPy's namespace beyond the array API standard (the drop-in layer).

``import ndgrad as np`` runs ordinary NumPy programs: this package adds NumPy's names
(grouped as NumPy groups them: aliases, creation, shape, math, stats, indexing, misc,
scalars)
and gives the standard's functions NumPy's signatures where NumPy's is a superset
(``np.sum(x, 0)``, ``np.zeros(3, int)``, ``np.clip(x, a_min=0)``); those delegate to the
standard's functions, which stay the single implementation. Importing it also installs
NumPy's array methods on ``nd.Array`` (``_methods``) and the ufunc methods
(``np.add.at``, ``np.maximum.accumulate`` ...).
"""
from __future__ import annotations

from . import aliases, creation, shape, math, stats, indexing, misc, scalars

_MODULES = (aliases, creation, shape, math, stats, indexing, misc, scalars)
_EXPORTS = {}
for _m in _MODULES:
    for _name in _m.__all__:
        _obj = getattr(_m, _name, None)
        if _name == "std" and _m is stats:
            _obj = stats.std_
        if _obj is None and _name == "divmod":
            _obj = aliases.divmod_
        if _obj is not None:
            _EXPORTS[_name] = _obj
globals().update(_EXPORTS)
__all__ = sorted(_EXPORTS)

from .. import _methods  # noqa: E402,F401  (installs NumPy's array methods on nd.Array)

misc.install_ufunc_methods(_EXPORTS)

"""NumPy's own functions for op forwards on the NumPy backend, where the standard's
wrappers compute otherwise (``linalg.norm``'s BLAS dot, the upper Cholesky factor), and
NumPy's ``LinAlgError`` for rules that catch it; the op files' rules stay free of NumPy."""
from __future__ import annotations

import numpy as np

LinAlgError = np.linalg.LinAlgError


def norm(x, ord, axis, keepdims):  # noqa: A002 (NumPy's names)
    """``numpy.linalg.norm`` as an array (a 0-d result too)."""
    return np.asarray(np.linalg.norm(x, ord, axis, keepdims))


def cholesky_upper(x):
    """NumPy's upper Cholesky factor (LAPACK's 'U' path), which reads ``x``'s upper
    triangle."""
    return np.linalg.cholesky(x, upper=True)

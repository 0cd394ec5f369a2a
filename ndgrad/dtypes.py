"""``numpy.dtypes``: NumPy's dtype classes (ndgrad's dtypes are NumPy's dtype objects).

>>> import ndgrad as np
>>> isinstance(np.asarray([1.0]).dtype, np.dtypes.Float64DType)
True
"""
from __future__ import annotations

from numpy.dtypes import *  # noqa: F401,F403
from numpy.dtypes import __all__  # noqa: F401

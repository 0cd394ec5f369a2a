"""autograd.numpy's face: ndgrad's NumPy namespace (every function differentiates), with
``random``, ``linalg`` and ``fft``.

>>> import ndgrad.autograd.numpy as np
>>> print(np.sum(np.ones((2, 3)), axis=1))
[3. 3.]
"""
import numpy as _onp

from ndgrad import *  # noqa: F401,F403
from . import linalg, fft, random  # noqa: F401,E402

__version__ = _onp.__version__  # autograd.numpy reports the NumPy it wraps

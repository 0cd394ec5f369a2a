"""A stand-in ``cupyx`` for compat/cupy_tests: ``errstate`` is ndgrad's; the rest is CuPy-only."""
import sys

import ndgrad
from cupy import CupyOnlyModule

errstate = ndgrad.errstate


def __getattr__(name):
    return getattr(sys.modules["cupyx._rest"], name)


sys.modules["cupyx._rest"] = CupyOnlyModule("cupyx")
for _sub in ("scipy", "scipy.fftpack", "scipy.sparse", "cusolver", "cutensor"):
    sys.modules[f"cupyx.{_sub}"] = CupyOnlyModule(f"cupyx.{_sub}")

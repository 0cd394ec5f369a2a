"""ndgrad: NumPy-compatible arrays that differentiate, with a TensorFlow-1 graph mode.

>>> import ndgrad as nd
>>> f = lambda x: nd.sum(nd.sin(x) * x)
>>> g = nd.grad(f)(nd.asarray([0.0, 1.0]))
>>> g.shape
(2,)
"""
from __future__ import annotations

__version__ = "0.1.0"
__array_api_version__ = "2025.12"

from ._dtypes import (bool, int8, int16, int32, int64, uint8, uint16, uint32, uint64,  # noqa
                      float16, float32, float64, complex64, complex128,
                      isdtype, result_type, can_cast, finfo, iinfo)
from ._backend import Device, set_default_device  # noqa: F401
from ._array import Array, install_operators as _install_operators  # noqa: F401
from ._ops.registry import REGISTRY as _REGISTRY  # noqa: F401
from ._ops.elementwise import *  # noqa: F401,F403
from ._ops.elementwise import clip  # noqa: F401
from ._ops.creation import (asarray, zeros, ones, empty, full, zeros_like, ones_like,  # noqa
                            empty_like, full_like, arange, eye, linspace, from_dlpack, tril,
                            triu, meshgrid)
from ._ops.statistical import *  # noqa: F401,F403
from ._ops.manipulation import *  # noqa: F401,F403
from ._ops.linalg import *  # noqa: F401,F403
from ._ops.dtype_functions import *  # noqa: F401,F403
from ._ops.indexing import take, take_along_axis  # noqa: F401
from ._ops.searching import *  # noqa: F401,F403
from ._ops.utility import *  # noqa: F401,F403
from ._ops.sorting import *  # noqa: F401,F403
from ._ops.sets import *  # noqa: F401,F403
from . import linalg, fft, random  # noqa: F401
from ._numpy import *  # noqa: F401,F403
from . import lib, dtypes, core, _core  # noqa: F401,E402  (NumPy's submodules)
from ._info import __array_namespace_info__  # noqa: F401
from ._autograd.functional import (grad, value_and_grad, vjp, jvp, jacobian, hessian,  # noqa
                                   check_grads)
from ._autograd.custom_vjp import custom_vjp  # noqa: F401
from ._autograd.extra_verbs import elementwise_grad, hvp  # noqa: F401
from ._autograd.modes import no_grad, enable_grad, set_grad_enabled, is_grad_enabled  # noqa

_install_operators()


def __getattr__(name):
    # nd.jit lives in the graph layer, imported on first use
    if name == "jit":
        from .graph.jit import jit
        return jit
    raise AttributeError(f"module 'ndgrad' has no attribute {name!r}")

e = 2.718281828459045
inf = float("inf")
nan = float("nan")
pi = 3.141592653589793
newaxis = None

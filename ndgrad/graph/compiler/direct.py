"""Registry forwards that are exactly one NumPy call with the same arguments, so a plan
on NumPy values may call NumPy directly (and pass ``out=`` to the ufuncs among them)."""
from __future__ import annotations

import numpy as np

from ..._backend import numpy_backend

_npx = numpy_backend.xp
_TABLE = None
_EXCEPTIONS = None


def _exceptions():
    """{registry forward: (NumPy function, result dtype kinds where they differ)}: the
    table's visible exceptions (e.g. tanh's complex special cases) equal NumPy's own
    function for every other result dtype."""
    global _EXCEPTIONS
    if _EXCEPTIONS is None:
        from ..._ops import elementwise
        _EXCEPTIONS = {fwd: (getattr(np, name), kinds)
                       for name, (fwd, kinds) in elementwise.EXCEPTIONS.items()}
    return _EXCEPTIONS


def table():
    """{registry forward: NumPy function} (built on first use)."""
    global _TABLE
    if _TABLE is None:
        from ..._ops import elementwise
        from ..._ops.registry import REGISTRY
        t = {}
        for name, _vjp, _ in elementwise.UNARY + elementwise.BINARY:
            op = REGISTRY.get(name)
            fn = getattr(_npx, name, None)
            if op is not None and fn is not None and op.forward.__qualname__.startswith(
                    "_forward."):
                t[op.forward] = fn
        for name, fn in (("matmul", np.matmul), ("matrix_transpose", np.matrix_transpose)):
            op = REGISTRY.get(name)
            if op is not None:
                t[op.forward] = fn
        _TABLE = t
    return _TABLE


def direct_fn(step):
    """The NumPy function a step may call directly, or None."""
    if step[0] != 0 or step[3]:
        return None
    fn = table().get(step[1])
    if fn is None:
        exc = _exceptions().get(step[1])
        if exc is not None:
            outs = getattr(step[5], "outputs", None)
            # the graph's static dtype is the run's (inferred with the same forward)
            if outs and outs[0]._np_dtype is not None and \
                    outs[0]._np_dtype.kind not in exc[1]:
                return exc[0]
    return fn


def is_ufunc_step(step):
    """A step that is one NumPy ufunc call: a fresh result, no views, takes ``out=``."""
    return isinstance(direct_fn(step), np.ufunc)


def op_name(step):
    """The registry name of a step's op (None for session-state steps)."""
    op = step[5]
    reg = getattr(op, "_op", None)
    return getattr(reg, "name", None)

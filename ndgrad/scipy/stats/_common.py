"""Helpers shared by the distribution modules: argument conversion and support masks."""
from __future__ import annotations

import math

LOG_2PI = math.log(2.0 * math.pi)
LOG_2 = math.log(2.0)


def floats(*args):
    """The arguments as floating ndgrad Arrays of one dtype on the first Array's device.

    The dtype is that of the array arguments (integers count as float64); Python numbers
    are weak, as in NumPy 2 and JAX: float32 values with ``loc=0`` stay float32."""
    import ndgrad as nd
    from ..._array import Array
    from ... import _dtypes
    from ..._ops import registry
    kinds = (Array,) + tuple(registry.graph_hooks["types"])  # (graph tensors pass through)
    first = next((a for a in args if isinstance(a, Array)), None)
    dev = first.device if first is not None else None
    weak = [type(a) in (int, float, bool) for a in args]
    out = [a if isinstance(a, kinds) else nd.asarray(a, device=dev) for a in args]
    dtypes = [_dtypes.as_dtype(a.dtype) for a in out]
    dts = [d if d.kind == "f" else nd.float64 for d, w in zip(dtypes, weak) if not w]
    dt = nd.result_type(*dts) if dts else nd.float64
    return [a if d == dt else nd.astype(a, dt) for a, d in zip(out, dtypes)]


def scalar(out):
    """A 0-d result as SciPy gives it: its scalar (``np.float64(0.5)``), not the 0-d
    array NumPy's ``where`` makes."""
    from ..._ops.registry import with_0d_kind
    return with_0d_kind(out, False)


def safe(cond, x, fill=1.0):
    """``x`` where ``cond``, ``fill`` elsewhere: keeps nan/inf out of the unselected
    branch's gradient (the safe-where pattern)."""
    import ndgrad as nd
    return scalar(nd.where(cond, x, fill))


def nan_unless(cond, value):
    """``value`` where the parameters are valid, nan elsewhere (SciPy's answer)."""
    import ndgrad as nd
    return scalar(nd.where(cond, value, nd.nan))


def scaled(x, loc, scale):
    """(x - loc) / scale with a safe scale, and the validity mask scale > 0."""
    ok = scale > 0
    s = safe(ok, scale)
    return (x - loc) / s, s, ok


def log_cdf(cdf, sf):
    """log(cdf), through log1p(-sf) where cdf > 1/2 or sf < 1/2 (accurate as the cdf nears
    1); ``sf`` is the complement computed directly (not 1 - cdf). (Either test: SciPy's
    gammainc gives 0 for a subnormal shape where its gammaincc gives the tiny complement,
    and log(0) was -inf where SciPy's logcdf is -6e-310.)"""
    import ndgrad as nd
    upper = (cdf > 0.5) | ((sf < 0.5) & (cdf == cdf))   # (a NaN cdf: invalid parameters)
    return scalar(nd.where(upper, nd.log1p(-nd.where(upper, sf, 0.0)),
                           nd.log(nd.where(upper, 1.0, cdf))))


def log_density_on_half_line(x, p, loc, scale, inside):
    """A log density supported on ``y = (x - loc) / scale >= 0`` with a shape ``p``:
    ``inside(y, p) - log(scale)`` there, -inf below, nan where ``scale <= 0`` or
    ``p <= 0`` (SciPy's answers); gamma's and chi2's."""
    import ndgrad as nd
    x, p, loc, scale = floats(x, p, loc, scale)
    y, s, ok = scaled(x, loc, scale)
    ok = ok & (p > 0)
    p = safe(ok, p)
    on = y >= 0
    ys = safe(on, y)
    return nan_unless(ok, nd.where(on, inside(ys, p) - nd.log(s), -nd.inf))

"""NumPy's elementwise names: aliases of the standard's functions (``arccos`` is ``acos``,
``power`` is ``pow`` ...) and the elementwise functions NumPy has beyond the standard
(``exp2``, ``cbrt``, ``fmod``, ``deg2rad``, ``nan_to_num``, ``isclose`` ...).

One table of aliases; each generated function takes NumPy's ufunc conveniences
(array-likes, ``out=``, ``where=``, ``dtype=``) and calls the standard's function, so
it is differentiable exactly where the standard's is.
"""
from __future__ import annotations

import math as _math

import numpy as np

from ._core import std, arr, is_array, to_numpy, host, wrap_result

# NumPy name -> the standard's name
ALIASES = {
    "arccos": "acos", "arccosh": "acosh", "arcsin": "asin", "arcsinh": "asinh",
    "arctan": "atan", "arctanh": "atanh", "arctan2": "atan2", "power": "pow",
    "absolute": "abs", "invert": "bitwise_invert", "bitwise_not": "bitwise_invert",
    "left_shift": "bitwise_left_shift", "right_shift": "bitwise_right_shift",
    "mod": "remainder", "true_divide": "divide", "conjugate": "conj",
}
# standard names NumPy programs call with ufunc keywords (out=, dtype=, where=)
UFUNC_NAMES = [
    "abs", "acos", "acosh", "asin", "asinh", "atan", "atanh", "atan2", "add", "subtract",
    "multiply", "divide", "floor_divide", "remainder", "pow", "negative", "positive",
    "exp", "expm1", "log", "log1p", "log2", "log10", "sqrt", "square", "sin", "cos", "tan",
    "sinh", "cosh", "tanh", "floor", "ceil", "trunc", "sign", "maximum", "minimum",
    "hypot", "logaddexp", "copysign", "nextafter", "signbit", "isnan", "isinf", "isfinite",
    "equal", "not_equal", "less", "less_equal", "greater", "greater_equal", "logical_and",
    "logical_or", "logical_xor", "logical_not", "bitwise_and", "bitwise_or", "bitwise_xor",
    "bitwise_invert", "bitwise_left_shift", "bitwise_right_shift", "conj", "real", "imag",
    "reciprocal",
]
_UNARY = {"abs", "acos", "acosh", "asin", "asinh", "atan", "atanh", "negative", "positive",
          "exp", "expm1", "log", "log1p", "log2", "log10", "sqrt", "square", "sin", "cos",
          "tan", "sinh", "cosh", "tanh", "floor", "ceil", "trunc", "sign", "signbit", "isnan",
          "isinf", "isfinite", "logical_not", "bitwise_invert", "conj", "real", "imag",
          "reciprocal"}
__all__ = []


def _finish(res, out, where, dtype):
    if dtype is not None:
        res = arr(res, dtype)
    if where is not True and where is not None:
        if out is None:
            raise ValueError("where= without out= leaves entries unset; pass out= as well")
        res = std("where")(arr(where), res, out)
    if out is None:
        return res
    if isinstance(out, tuple):
        out = out[0]
    out[...] = res
    return out


def _make(npname, stdname):
    fn = std(stdname)  # the standard's function, resolved once (it exists by now)
    unary = stdname in _UNARY
    if unary:
        def f(x, /, out=None, *, where=True, dtype=None, casting=None, order=None,
              subok=None):
            if out is None and where is True and dtype is None:
                return fn(x)  # the common call: one extra frame, nothing else
            return _finish(fn(arr(x)), out, where, dtype)
    else:
        def f(x1, x2, /, out=None, *, where=True, dtype=None, casting=None, order=None,
              subok=None):
            if out is None and where is True and dtype is None:
                return fn(x1, x2)
            return _finish(fn(x1, x2), out, where, dtype)
    f.__name__ = f.__qualname__ = npname
    ex = "1" if "bitwise" in stdname else ("True" if "logical" in stdname else "0.5")
    f.__doc__ = (f"NumPy's ``{npname}``: the standard's ``{stdname}`` with NumPy's ufunc "
                 f"keywords (``out=``, ``where=``, ``dtype=``).\n\n    >>> import ndgrad as np"
                 f"\n    >>> np.{npname}(" + (f"[{ex}])" if unary else f"[{ex}], [{ex}])") +
                 ".shape\n    (1,)\n")
    return f


for _np_name, _std_name in ALIASES.items():
    globals()[_np_name] = _make(_np_name, _std_name)
    __all__.append(_np_name)
# the standard's own names with NumPy's ufunc keywords (``np.add(a, b, out=b)``); names
# with a NumPy version of their own elsewhere in this package are left to it
for _n in UFUNC_NAMES:
    if _n not in ("real", "imag"):
        globals()[_n] = _make(_n, _n)
        __all__.append(_n)


def _f(x):
    x = arr(x)
    return arr(x, np.float64) if x.dtype.kind not in "fc" else x


def _out(res, out):
    if out is None:
        return res
    out[...] = res
    return out


def fabs(x, /, out=None, **kw):
    """Absolute value as a float.

    >>> import ndgrad as np
    >>> np.fabs([-1, 2])
    array([1., 2.])
    """
    return _out(std("abs")(_f(x)), out)


def exp2(x, /, out=None, **kw):
    """``2 ** x`` (differentiable).

    >>> import ndgrad as np
    >>> np.exp2([1.0, 3.0])
    array([2., 8.])
    """
    return _out(std("pow")(2.0, _f(x)), out)


def cbrt(x, /, out=None, **kw):
    """Real cube root (differentiable away from 0).

    >>> import ndgrad as np
    >>> np.cbrt([-8.0, 27.0])
    array([-2.,  3.])
    """
    x = _f(x)
    exact = arr(np.cbrt(to_numpy(x)), like=x)
    return _out(_exact(exact, std("sign")(x) * std("abs")(x) ** (1.0 / 3.0)), out)


def _exact(value, surrogate):
    """``value`` (NumPy's exact result) carrying the gradient of ``surrogate``."""
    if surrogate._node is None:
        return value
    return value + (surrogate - surrogate.detach())


def float_power(x1, x2, /, out=None, **kw):
    """``x1 ** x2`` in float64 (differentiable).

    >>> import ndgrad as np
    >>> np.float_power(2, 3)
    np.float64(8.0)
    """
    return _out(std("pow")(_f(x1), _f(x2) if not isinstance(x2, (int, float)) else
                           float(x2)), out)


def logaddexp2(x1, x2, /, out=None, **kw):
    """``log2(2**x1 + 2**x2)`` (differentiable).

    >>> import ndgrad as np
    >>> np.logaddexp2(1.0, 1.0)
    np.float64(2.0)
    """
    ln2 = _math.log(2.0)
    return _out(std("logaddexp")(_f(x1) * ln2, _f(x2) * ln2) / ln2, out)


def fmax(x1, x2, /, out=None, **kw):
    """Elementwise maximum that ignores NaN.

    >>> import ndgrad as np
    >>> np.fmax([1.0, np.nan], [np.nan, 2.0])
    array([1., 2.])
    """
    a, b = arr(x1), arr(x2)
    m = std("maximum")(a, b)
    if a.dtype.kind in "fc" or b.dtype.kind in "fc":
        m = std("where")(std("isnan")(b), a, std("where")(std("isnan")(a), b, m))
    return _out(m, out)


def fmin(x1, x2, /, out=None, **kw):
    """Elementwise minimum that ignores NaN.

    >>> import ndgrad as np
    >>> np.fmin([1.0, np.nan], [np.nan, 2.0])
    array([1., 2.])
    """
    a, b = arr(x1), arr(x2)
    m = std("minimum")(a, b)
    if a.dtype.kind in "fc" or b.dtype.kind in "fc":
        m = std("where")(std("isnan")(b), a, std("where")(std("isnan")(a), b, m))
    return _out(m, out)


def fmod(x1, x2, /, out=None, **kw):
    """C's remainder (the sign of the dividend), NumPy's exact values; differentiable.

    >>> import ndgrad as np
    >>> np.fmod([-3, 3], 2)
    array([-1,  1])
    """
    a, b = arr(x1), arr(x2)
    val = arr(np.fmod(to_numpy(a), to_numpy(b)), like=a)
    if val.dtype.kind not in "fc":
        return _out(val, out)
    k = arr(np.trunc(np.divide(to_numpy(a), to_numpy(b))), like=a)
    return _out(_exact(val, a - k * b), out)


def divmod_(x1, x2, /, out1=None, out2=None, **kw):
    """``(x1 // x2, x1 % x2)``.

    >>> import ndgrad as np
    >>> np.divmod([7], [2])
    (array([3]), array([1]))
    """
    return std("floor_divide")(arr(x1), x2), std("remainder")(arr(x1), x2)


divmod_.__name__ = divmod_.__qualname__ = "divmod"


def modf(x, /, *args, **kw):
    """Fractional and integral parts (with the sign of ``x``).

    >>> import ndgrad as np
    >>> np.modf([-1.5, 2.25])
    (array([-0.5 ,  0.25]), array([-1.,  2.]))
    """
    x = _f(x)
    t = std("trunc")(x)
    return std("copysign")(x - t, x), t


def ldexp(x1, x2, /, out=None, **kw):
    """``x1 * 2 ** x2`` (differentiable in ``x1``).

    >>> import ndgrad as np
    >>> np.ldexp(3.0, 2)
    np.float64(12.0)
    """
    x1 = arr(x1)
    e = arr(np.ldexp(1.0, to_numpy(arr(x2))), like=x1)
    return _out(_f(x1) * e, out)


def frexp(x, /, *args, **kw):
    """Mantissa and exponent: ``x == m * 2**e``.

    >>> import ndgrad as np
    >>> np.frexp(8.0)
    (np.float64(0.5), array(4, dtype=int32))
    """
    x = _f(x)
    m, e = np.frexp(to_numpy(x))
    return x / arr(np.ldexp(1.0, e), like=x), arr(e, like=x)


def deg2rad(x, /, out=None, **kw):
    """Degrees to radians (differentiable).

    >>> import ndgrad as np
    >>> np.deg2rad(180.0)
    np.float64(3.141592653589793)
    """
    return _out(_f(x) * (_math.pi / 180.0), out)


def rad2deg(x, /, out=None, **kw):
    """Radians to degrees (differentiable).

    >>> import ndgrad as np
    >>> np.rad2deg(np.pi)
    np.float64(180.0)
    """
    return _out(_f(x) * (180.0 / _math.pi), out)


radians = deg2rad
degrees = rad2deg


def rint(x, /, out=None, **kw):
    """Round to the nearest integer (half to even), keeping the dtype.

    >>> import ndgrad as np
    >>> np.rint([0.5, 1.5, 2.5])
    array([0., 2., 2.])
    """
    return _out(std("round")(arr(x)), out)


def angle(z, deg=False):
    """The argument of complex numbers (0 or pi for reals).

    >>> import ndgrad as np
    >>> np.angle([1.0, -1.0])
    array([0.        , 3.14159265])
    """
    z = arr(z)
    if z.dtype.kind == "c":
        a = std("atan2")(std("imag")(z), std("real")(z))
    else:
        zf = _f(z)
        a = std("atan2")(std("zeros_like")(zf), zf)
    return a * (180.0 / _math.pi) if deg else a


def real(val):
    """The real part (the array itself for real input).

    >>> import ndgrad as np
    >>> np.real([1 + 2j])
    array([1.])
    """
    v = arr(val)
    return std("real")(v) if v.dtype.kind == "c" else v


def imag(val):
    """The imaginary part (zeros for real input).

    >>> import ndgrad as np
    >>> np.imag([1 + 2j])
    array([2.])
    """
    v = arr(val)
    return std("imag")(v) if v.dtype.kind == "c" else v * 0


def nan_to_num(x, copy=True, nan=0.0, posinf=None, neginf=None):
    """NaN and infinities replaced by finite numbers (differentiable elsewhere).

    >>> import ndgrad as np
    >>> np.nan_to_num([np.nan, np.inf, 1.0])
    array([0.00000000e+000, 1.79769313e+308, 1.00000000e+000])
    """
    x = arr(x)
    if x.dtype.kind not in "fc":
        return x
    fi = np.finfo(x.dtype if x.dtype.kind == "f" else np.float64)
    hi = fi.max if posinf is None else posinf
    lo = fi.min if neginf is None else neginf
    if x.dtype.kind == "c":
        r = nan_to_num(std("real")(x), nan=nan, posinf=posinf, neginf=neginf)
        i = nan_to_num(std("imag")(x), nan=nan, posinf=posinf, neginf=neginf)
        return r + i * 1j
    y = std("where")(std("isnan")(x), nan, x)
    y = std("where")(std("isinf")(y) & (y > 0), hi, y)
    y = std("where")(std("isinf")(y) & (y < 0), lo, y)
    return arr(y, x.dtype)


def real_if_close(a, tol=100):
    """Real part when all imaginary parts are tiny.

    >>> import ndgrad as np
    >>> np.real_if_close([2.1 + 4e-16j])
    array([2.1])
    """
    a = arr(a)
    if a.dtype.kind != "c":
        return a
    t = tol * np.finfo(a.dtype).eps if tol > 1 else tol
    if np.all(np.abs(np.imag(to_numpy(a))) < t):
        return std("real")(a)
    return a


def isclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    """Elementwise ``|a - b| <= atol + rtol * |b|``.

    >>> import ndgrad as np
    >>> np.isclose([1.0, 2.0], [1.0, 2.1])
    array([ True, False])
    """
    return wrap_result(np.isclose(to_numpy(arr(a)), to_numpy(arr(b)), rtol=rtol, atol=atol,
                                  equal_nan=equal_nan))


def allclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    """Whether all elements are close (a Python bool).

    >>> import ndgrad as np
    >>> np.allclose([1.0, 2.0], [1.0, 2.0 + 1e-9])
    True
    """
    return bool(np.allclose(to_numpy(arr(a)), to_numpy(arr(b)), rtol=rtol, atol=atol,
                            equal_nan=equal_nan))


def array_equal(a1, a2, equal_nan=False):
    """Whether two arrays have the same shape and elements (a Python bool).

    >>> import ndgrad as np
    >>> np.array_equal([1, 2], [1, 2])
    True
    """
    return bool(np.array_equal(to_numpy(arr(a1)), to_numpy(arr(a2)), equal_nan=equal_nan))


def array_equiv(a1, a2):
    """Whether two arrays are equal after broadcasting (a Python bool).

    >>> import ndgrad as np
    >>> np.array_equiv([1, 2], [[1, 2], [1, 2]])
    True
    """
    return bool(np.array_equiv(to_numpy(arr(a1)), to_numpy(arr(a2))))


isneginf = host("isneginf", "[-np.inf, 0.0]")
isposinf = host("isposinf", "[np.inf, 0.0]")
isreal = host("isreal", "[1 + 1j, 2 + 0j]")
iscomplex = host("iscomplex", "[1 + 1j, 2 + 0j]")
gcd = host("gcd", "[12, 20], 8", nargs=2)
lcm = host("lcm", "[12, 20], 8", nargs=2)
spacing = host("spacing", "[1.0]")
bitwise_count = host("bitwise_count", "[7, 8]")


def iscomplexobj(x):
    """Whether ``x`` has a complex dtype.

    >>> import ndgrad as np
    >>> np.iscomplexobj([1j])
    True
    """
    return arr(x).dtype.kind == "c" if not hasattr(x, "dtype") else x.dtype.kind == "c"


def isrealobj(x):
    """Whether ``x`` has a non-complex dtype.

    >>> import ndgrad as np
    >>> np.isrealobj([1.0])
    True
    """
    return not iscomplexobj(x)


def isscalar(element):
    """Whether ``element`` is a scalar (ndgrad arrays, even 0-d, are not; as NumPy).

    >>> import ndgrad as np
    >>> np.isscalar(3.0), np.isscalar(np.asarray(3.0))
    (True, False)
    """
    return np.isscalar(element)


def isfortran(a):
    """Whether ``a`` is Fortran-contiguous and not C-contiguous (NumPy's test).

    >>> import ndgrad as np
    >>> np.isfortran(np.eye(2)), np.isfortran(np.eye(2, order='F'))
    (False, True)
    """
    d = a._data if is_array(a) else np.asarray(a)
    return type(d) is np.ndarray and bool(np.isfortran(d))


__all__ += ["fabs", "exp2", "cbrt", "float_power", "logaddexp2", "fmax", "fmin", "fmod",
            "divmod", "modf", "ldexp", "frexp", "deg2rad", "rad2deg", "radians", "degrees",
            "rint", "angle", "real", "imag", "nan_to_num", "real_if_close", "isclose",
            "allclose", "array_equal", "array_equiv", "isneginf", "isposinf", "isreal",
            "iscomplex", "gcd", "lcm", "spacing", "bitwise_count", "iscomplexobj",
            "isrealobj", "isscalar", "isfortran"]
globals()["divmod"] = divmod_

"""Elementwise functions: one table, one op each, the gradient rule beside the forward.

Every row is (standard name, gradient rule or a reason it has none, what the rule reads).
A rule is ``vjp(xp, g, ans, *inputs) -> tuple``; ``xp`` is the raw backend namespace in a
first-order backward pass and ndgrad itself for higher orders, so rules use only names
common to both. The public functions are generated with the standard's signatures
(``f(x, /)``, ``f(x1, x2, /)``) and a docstring each.
"""
from __future__ import annotations

import cmath
import math

import numpy as _np

from . import registry as _registry
from .registry import defop, apply, nondiff, reuse_entry, NO_PARAMS
from ._common import owned, times, times_fresh, times_last
from .._backend import backend_of, numpy_backend

_npx = numpy_backend.xp
_ndarray = _np.ndarray

_LN2 = math.log(2.0)
_LN10 = math.log(10.0)


_PY_SCALARS = frozenset((int, float, complex, bool))
# the size from which a rule writes a masked product into a cotangent it owns: here the
# win is the allocation and its cold cache lines, which pays from a few pages on
_SMALL_BYTES = 1 << 14


def _isscalar(v):
    return type(v) in _PY_SCALARS


class NoGrad(str):
    """A table entry for an op whose result moves with its inputs but which has no
    gradient in ndgrad: the op records, and a gradient through it raises this reason
    (``registry.Op``'s ``nograd``)."""


# -- gradient rules that need more than one line ----------------------------------------
def _pow_vjp(xp, g, ans, x, y):
    # JAX's conventions at 0: d/dx x**y is 0 where y == 0 (x**0 is the constant 1, even
    # at x = 0), else y * x**(y - 1) (so x**1 has slope 1 and x**2 slope 0 at 0, to every
    # order); d/dy x**y = x**y log x is 0 at x == 0 and nan for x < 0.
    gx = None if _isscalar(x) else _pow_dx(xp, g, x, y)
    if _isscalar(y):
        return (gx, None)
    # d/dy x**y = x**y log x; 0 where x == 0 (as JAX), nan for a real x < 0 as the math
    # says. A complex power (a complex x, or a complex y: NumPy computes a real x ** a
    # complex y in complex) takes the complex log, log|x| + i pi for x < 0 (it was nan
    # there, and a complex Python number x raised TypeError)
    cplx = xp.isdtype(ans.dtype, "complex floating")
    if _isscalar(x):
        if x == 0:
            return (gx, g * ans * 0.0)
        if cplx or type(x) is complex:
            return (gx, g * ans * cmath.log(x))
        return (gx, g * ans * (math.log(x) if x > 0 else math.nan))
    safe = xp.where(x == 0, 1.0, x)
    if cplx and not xp.isdtype(safe.dtype, "complex floating"):
        safe = xp.astype(safe, ans.dtype)
    gy = g * ans * xp.where(x == 0, 0.0, xp.log(safe))
    return (gx, gy)


def _pow_dx(xp, g, x, y):
    if _isscalar(y):
        if y == 2:   # (x ** 1 is x, bit for bit: one product fewer for the common square)
            return g * y * x
        return xp.zeros_like(g) if y == 0 else g * y * x ** (y - 1)
    # y * x**(y - 1) is 0 * inf only where x == y == 0: there 0, and its branch is made
    # finite (x taken as 1) so no nan leaks into derivatives of this rule. Where only y is
    # 0 the formula stands: its derivative in y, x**-1, is the true mixed partial.
    both = (y == 0) & (x == 0)
    safe = xp.where(both, 1.0, x)
    return xp.where(both, 0.0, g * y * safe ** (y - 1))


def _imag_vjp(xp, g, ans, x):
    # imag(z) moves with the imaginary part of z's tangent: Im(t) = Re(-1j * t), so the
    # cotangent is -1j * g (JAX's convention); for real input imag is the constant 0
    # (g stands for a real output: a complex g, from a complex constant downstream, is
    # projected to its real part first)
    if not xp.isdtype(x.dtype, "complex floating"):
        return (None,)
    return (_real_part(xp, g) * -1j,)


def _sign_vjp(xp, g, ans, x):
    # real sign is piecewise constant: no cotangent (its derivative is zero wherever it
    # exists). Complex sign is z / |z| (NumPy 2, the standard), smooth away from 0: with
    # dw/dz = 1 / (2|z|) and dw/dconj(z) = -z**2 / (2|z|**3), the cotangent is
    # (g - conj(g) * conj(w)**2) / (2|z|) (JAX's convention, as abs's rule); 0 at z == 0,
    # where sign is 0 (abs's choice there). Written with conj, abs and where, so it
    # differentiates again.
    if not xp.isdtype(x.dtype, "complex floating"):
        return (None,)
    a = xp.abs(x)
    zero = a == 0
    cw = xp.conj(ans)
    return (xp.where(zero, 0, (g - xp.conj(g) * (cw * cw)) / (2 * xp.where(zero, 1, a))),)


_real_part = _registry.real_cotangent


def _abs_vjp(xp, g, ans, x):
    if not xp.isdtype(x.dtype, "complex floating"):
        return (g * xp.sign(x),)
    # d|z| = Re(conj(z) dz) / |z|: the cotangent is g * conj(z) / |z| (JAX's convention),
    # 0 at z == 0 (JAX); written with conj and abs, not sign, so it differentiates again
    safe = xp.where(ans == 0, 1.0, ans)
    return (_real_part(xp, g) * xp.conj(x) / safe,)


def _no_cotangent_no_gradient(xp, g, a, f):
    """``f(g, a)`` -- a rule's cotangent from ``g`` and the value ``a`` it reads -- with 0
    wherever ``g`` is 0: sqrt's and reciprocal's factor is infinite at 0 (and NaN past
    sqrt's domain), and a zero cotangent there -- from a ``where`` that did not take
    this branch: ``where(d > 0, sqrt(d), 0)`` -- gives 0, not NaN, as TensorFlow's
    SqrtGrad/RsqrtGrad/ReciprocalGrad kernels give (JAX and PyTorch give NaN: their
    well-known ``where`` gradient trap). On NumPy the fix-up runs only when the result
    holds a non-finite value; recorded (higher orders, graphs) the rule reads ``a = 1``
    at those points, so that it stays linear in ``g`` and its derivatives finite."""
    if type(g) is _np.ndarray or isinstance(g, _np.generic):
        r = f(g, a)
        if type(r) is _np.ndarray:
            if r.dtype.kind in "fc" and not _np.isfinite(r).all():
                zero = _np.broadcast_to(g, r.shape) == 0
                if zero.any():
                    r = r.copy() if not r.flags.writeable else r
                    r[zero] = 0
            return r
        if isinstance(r, _np.generic) and g == 0 and not _np.isfinite(r):
            return r.dtype.type(0)
        return r
    # (linear in g: forward-over-reverse differentiates this rule in g at g = 0, so no
    # where() may select on g's value around the rule; only the singular points with a
    # zero cotangent read a = 1 instead)
    none = (g == 0) & ~xp.isfinite(f(1.0, a))
    return f(g, xp.where(none, 1.0, a))


def _tie_split(xp, g, x, y, greater, needs):
    # maximum/minimum: the gradient goes to the winner; ties split it evenly (JAX).
    gx = _tie_share(g, x, y, greater)
    if needs is not None and not needs[1]:
        return (gx, None)  # relu-style maximum(h, 0.0): no share for the constant
    return (gx, g - gx)


_recorded = _registry.is_recorded


def _tie_share(g, x, y, greater):
    """``g`` times the first operand's weight in maximum (``greater``) or minimum: 1 where
    it wins, 0.5 on a tie, 0 where it loses -- one op, so recording rules (higher orders,
    graphs, ``nd.jit``) apply it as one step."""
    if _recorded(g) or _recorded(x) or _recorded(y):
        return apply(_tie_share_op, (g, x, y), {"greater": greater})
    return _tie_share_forward(None, g, x, y, greater)


def _tie_share_forward(xp, g, x, y, greater, out=None):
    # (``out``: a buffer of the result's shape and dtype that nothing reads any more, the
    # product may take it when no tie needs g's own values afterwards: ``g`` itself where
    # ``_maximum_vjp`` proved it the engine's alone, or a compiled plan's dead buffer,
    # ``out_operand`` below)
    if type(g) is _np.ndarray or isinstance(g, _np.generic):
        # NumPy (an array, or the scalar a plan's 0-d step gives): g * mask (a bool
        # operand multiplies as 0/1, exactly), then the ties
        # halved in place -- 2-3 passes instead of the weight's 6; the same numbers
        # as g * (win + 0.5 * tie): g * 1, g * 0 and g * 0.5 are each one rounding
        wins = _np.greater(x, y) if greater else _np.less(x, y)
        tie = _np.equal(x, y)
        if not tie.any():
            if (type(out) is _np.ndarray and out.shape == g.shape == wins.shape
                    and out.dtype == g.dtype and g.dtype.kind == "f"):
                return _np.multiply(g, wins, out=out)
            return _np.multiply(g, wins)
        gx = _np.multiply(g, wins)
        if type(gx) is _np.ndarray:
            _np.multiply(g, 0.5, out=gx, where=tie)
        else:
            gx = g * 0.5           # (0-d operands: NumPy scalars, no out=)
        return gx
    xp = backend_of(g).xp
    dt = g.dtype
    wins = (x > y) if greater else (x < y)
    return g * (xp.astype(wins, dt) + 0.5 * xp.astype(x == y, dt))


def _tie_share_vjp(xp, h, ans, g, x, y, greater):
    # linear in g with the same weight; the weight is piecewise constant in x and y
    return (_tie_share(h, x, y, greater), None, None)


_tie_share_op = defop("tie_share", _tie_share_forward, _tie_share_vjp, save="inputs")
# a compiled plan may hand ``g``'s dead buffer as ``out`` (``graph/compiler/reuse.py``):
# the function reads its operands without making views, and writes ``out`` or makes a
# new array (where ties need ``g``'s values after the product)
_tie_share_forward.out_operand = 0


def _maximum_vjp(xp, g, ans, x, y, _needs=None):
    if type(g) is _ndarray and _needs is not None and not _needs[1]:
        # first order on NumPy, relu-style maximum(h, 0.0): nothing is recorded; a
        # cotangent the engine alone holds (a matmul's fresh product, in an MLP) takes
        # the masked product, as hand-written ``dh *= (h > 0)``
        mine = owned(g, _SMALL_BYTES)
        return (_tie_share_forward(None, g, x, y, True, g if mine else None), None)
    return _tie_split(xp, g, x, y, True, _needs)


def _minimum_vjp(xp, g, ans, x, y, _needs=None):
    return _tie_split(xp, g, x, y, False, _needs)


def _copysign_vjp(xp, g, ans, x, y):
    if _isscalar(x):
        return (None, None)  # (the standard's signbit takes arrays only)
    # +-1 where x is not zero; 0 at x == +-0, where copysign(x, 1) is |x|: abs's
    # subgradient there (PyTorch's, for both; JAX gives 1)
    return (xp.where(x == 0, 0.0, xp.where(xp.signbit(x) == xp.signbit(ans), g, -g)), None)


def _atan2_vjp(xp, g, ans, y, x):
    # (x, -y) / r^2 with r = hypot(y, x): (x / r) / r, so a tiny or huge r does not
    # underflow or overflow in r^2 (1e-200 gave inf, the true value is 5e199). NaN at the
    # origin, where the angle has no derivative: JAX's and TensorFlow's value (ndgrad.tf
    # shares this rule); PyTorch gives 0
    r = xp.hypot(y, x)
    return (g * (x / r) / r, -g * (y / r) / r)


def _hypot_vjp(xp, g, ans, x, y):
    # (x, y) / r; 0 at r == 0, the 2-norm's minimum-norm subgradient (as
    # linalg.vector_norm, and JAX's hypot), not 0 / 0
    r = xp.where(ans == 0, 1.0, ans)
    return (g * x / r, g * y / r)


def _remainder_vjp(xp, g, ans, x, y):
    return (g, -g * xp.floor_divide(x, y) if not _isscalar(y) else None)


def _divide_vjp(xp, g, ans, x, y):
    gx = g / y
    if _isscalar(y):
        if type(gx) is not _ndarray and type(g) is _ndarray:
            gx = _np.asarray(gx)   # (a loss's ``/ n``: NumPy's scalar, kept 0-d, see below)
        return (gx, None)
    return (gx, -gx * ans)


def _mul_vjp(xp, g, ans, x, y, _needs=None):
    # Each operand gets its own share, and backward sums them when the operands are one
    # variable: two raw buffers being one object says nothing about the operands being
    # one variable (a constant may share the differentiated input's buffer). It does say
    # the two shares are equal, bit for bit: ``x * x`` computes ``g * x`` once.
    if type(g) is _ndarray and g.base is not None:
        return _mul_vjp_view(g, x, y, _needs)
    if _needs is not None:
        if x is y and _needs[0] and _needs[1]:
            gx = g * x
            return (gx, gx)
        return (g * y if _needs[0] else None, g * x if _needs[1] else None)
    return (g * y if not _isscalar(x) else None, g * x if not _isscalar(y) else None)


def _mul_vjp_view(g, x, y, needs):
    """``_mul_vjp`` for a NumPy view cotangent: maybe sum's unit spread (``times``), or a
    read-only view of a dead buffer, which the last product may take (``times_last``)."""
    if needs is None:
        needs = (not _isscalar(x), not _isscalar(y))
    if needs[0] and needs[1]:
        if x is y:
            gx = times_last(g, x)
            return (gx, gx)
        gx = times(g, y)
        return (gx, times_last(g, x))
    return (times_last(g, y) if needs[0] else None, times_last(g, x) if needs[1] else None)


def _negative_vjp(xp, g, ans, x):
    if owned(g):   # the engine's alone: negated in place (no new array, no page faults)
        return (_np.negative(g, out=g),)
    r = -g
    if type(r) is not _ndarray and type(g) is _ndarray:
        # NumPy gives a scalar for a 0-d array (a loss's ``-sum``): kept a 0-d array, so
        # first-order backward keeps its array path for the next node
        r = _np.asarray(r)
    return (r,)


def _exp_vjp(xp, g, ans, x):
    if type(g) is _ndarray and g.base is not None:
        return (times(g, ans),)
    return (g * ans,)


def _add_vjp(xp, g, ans, x, y):
    return (g, g)


def _subtract_vjp(xp, g, ans, x, y):
    return (g, -g)


# (first-order backward hands g to the first operand without calling these where the
# second is a constant: ``registry.Op.passes_first``)
_add_vjp.passes_first = _subtract_vjp.passes_first = True

def _tanh_vjp(xp, g, ans, x):
    # 1 / cosh(x)**2, not 1 - ans**2: ans keeps no digits of 1 - tanh(x) once |x| is
    # large (float32 at x = 5: 3e-4 relative error; 0 for |x| > 9, float64 > 19, where the
    # derivative is 4 exp(-2|x|)). Divided twice: cosh(x)**2 overflows (float16 past
    # |x| = 6.3) where the derivative is still a float. Differentiated again, cosh(x) =
    # inf past |x| = 710 meets a zero cotangent: cosh's rule gives 0 there (_cosh_vjp)
    c = xp.cosh(x)
    return (g / c / c,)


def _cosh_vjp(xp, g, ans, x):
    # sinh(x) is infinite past |x| = 710 (float64): a zero cotangent there gives 0, not
    # NaN -- tanh's rule g / cosh(x) / cosh(x) differentiated again sends cosh exactly
    # 0 at such x, and tanh's second and third derivatives were NaN (JAX: -0.0 and 0.0
    # at x = 1000)
    return (_no_cotangent_no_gradient(xp, g, x, lambda g, a: g * xp.sinh(a)),)


def _sinh_vjp(xp, g, ans, x):
    # (cosh(x) infinite past |x| = 710: as _cosh_vjp)
    return (_no_cotangent_no_gradient(xp, g, x, lambda g, a: g * xp.cosh(a)),)


def _asinh_vjp(xp, g, ans, x):
    # 1 / hypot(x, 1) for real x: x * x + 1 overflowed to inf past 1e154 (a 0 gradient
    # where it is 1/|x|); complex x keeps (z**2 + 1)**-1/2, the principal branch
    if xp.isdtype(x.dtype, "complex floating"):
        return (g / xp.sqrt(x * x + 1),)
    return (g / xp.hypot(x, xp.ones_like(x)),)


def _sin_vjp(xp, g, ans, x):
    if type(g) is _ndarray and g.base is not None:
        return (times_fresh(g, xp.cos(x)),)
    return (g * xp.cos(x),)   # (NumPy writes a large product into cos's temporary)


_NONDIFF_INT = "integer or boolean result"
_NONDIFF_PIECEWISE = "piecewise constant: its derivative is zero wherever it exists"

# name, vjp (or a reason string for ops without a gradient), what the rule reads
UNARY = [
    ("abs", _abs_vjp, "both"),
    # asin, acos, atanh: 1 - x*x as (1 - x)(1 + x), both exact near |x| = 1 where 1 - x*x
    # keeps few digits (float32 asin' at x = 0.9998: 4e-5 relative error). acosh:
    # (z - 1)**-1/2 (z + 1)**-1/2, its branch for complex z (1/sqrt(z*z - 1) has the wrong
    # sign where Re z < 0) and no overflow of x*x for large real x
    ("acos", lambda xp, g, ans, x: (-g / xp.sqrt((1 - x) * (1 + x)),), "inputs"),
    ("acosh", lambda xp, g, ans, x: (g / (xp.sqrt(x - 1) * xp.sqrt(x + 1)),), "inputs"),
    ("asin", lambda xp, g, ans, x: (g / xp.sqrt((1 - x) * (1 + x)),), "inputs"),
    ("asinh", _asinh_vjp, "inputs"),
    ("atan", lambda xp, g, ans, x: (g / (1 + x * x),), "inputs"),
    ("atanh", lambda xp, g, ans, x: (g / ((1 - x) * (1 + x)),), "inputs"),
    ("bitwise_invert", _NONDIFF_INT, None),
    ("ceil", _NONDIFF_PIECEWISE, None),
    ("conj", lambda xp, g, ans, x: (xp.conj(g),), "none"),
    ("cos", lambda xp, g, ans, x: (-g * xp.sin(x),), "inputs"),
    ("cosh", _cosh_vjp, "inputs"),
    ("exp", _exp_vjp, "ans"),
    # (exp(x), not ans + 1: expm1 is -1 to the last bit below x = -37, exp(x) is not)
    ("expm1", lambda xp, g, ans, x: (g * xp.exp(x),), "inputs"),
    ("floor", _NONDIFF_PIECEWISE, None),
    ("imag", _imag_vjp, "inputs"),
    ("isfinite", _NONDIFF_INT, None),
    ("isinf", _NONDIFF_INT, None),
    ("isnan", _NONDIFF_INT, None),
    ("log", lambda xp, g, ans, x: (g / x,), "inputs"),
    ("log1p", lambda xp, g, ans, x: (g / (1 + x),), "inputs"),
    ("log2", lambda xp, g, ans, x: (g / (x * _LN2),), "inputs"),
    ("log10", lambda xp, g, ans, x: (g / (x * _LN10),), "inputs"),
    ("logical_not", _NONDIFF_INT, None),
    ("negative", _negative_vjp, "none"),
    ("positive", lambda xp, g, ans, x: (g,), "none"),
    ("real", lambda xp, g, ans, x: (xp.real(g),), "none"),
    ("reciprocal", lambda xp, g, ans, x: (
        _no_cotangent_no_gradient(xp, g, ans, lambda g, a: -g * a * a),), "ans"),
    ("round", _NONDIFF_PIECEWISE, None),
    ("sign", _sign_vjp, "both"),
    ("signbit", _NONDIFF_INT, None),
    ("sin", _sin_vjp, "inputs"),
    ("sinh", _sinh_vjp, "inputs"),
    ("sqrt", lambda xp, g, ans, x: (
        _no_cotangent_no_gradient(xp, g, ans, lambda g, a: g / (2 * a)),), "ans"),
    ("square", lambda xp, g, ans, x: (2 * g * x,), "inputs"),
    ("tan", lambda xp, g, ans, x: (g * (1 + ans * ans),), "ans"),
    ("tanh", _tanh_vjp, "inputs"),
    ("trunc", _NONDIFF_PIECEWISE, None),
]

BINARY = [
    ("add", _add_vjp, "none"),
    ("atan2", _atan2_vjp, "inputs"),
    ("bitwise_and", _NONDIFF_INT, None),
    ("bitwise_left_shift", _NONDIFF_INT, None),
    ("bitwise_or", _NONDIFF_INT, None),
    ("bitwise_right_shift", _NONDIFF_INT, None),
    ("bitwise_xor", _NONDIFF_INT, None),
    ("copysign", _copysign_vjp, "both"),
    ("divide", _divide_vjp, "both"),
    ("equal", _NONDIFF_INT, None),
    ("floor_divide", _NONDIFF_PIECEWISE, None),
    ("greater", _NONDIFF_INT, None),
    ("greater_equal", _NONDIFF_INT, None),
    ("hypot", _hypot_vjp, "both"),
    ("less", _NONDIFF_INT, None),
    ("less_equal", _NONDIFF_INT, None),
    ("logaddexp", lambda xp, g, ans, x, y: (g * xp.exp(x - ans), g * xp.exp(y - ans)), "both"),
    ("logical_and", _NONDIFF_INT, None),
    ("logical_or", _NONDIFF_INT, None),
    ("logical_xor", _NONDIFF_INT, None),
    ("maximum", _maximum_vjp, "inputs"),
    ("minimum", _minimum_vjp, "inputs"),
    ("multiply", _mul_vjp, "inputs"),
    # (its result moves with x1, one float away: neither a zero gradient nor 1 is a rule
    # anyone agrees on -- JAX defines none either -- so a gradient through it raises)
    ("nextafter", NoGrad("the next float after x1 toward x2"), None),
    ("not_equal", _NONDIFF_INT, None),
    ("pow", _pow_vjp, "both"),
    ("remainder", _remainder_vjp, "inputs"),
    ("subtract", _subtract_vjp, "none"),
]

_EXAMPLE_INPUT = {"acosh": "[1.5, 2.0]", "bitwise_invert": "[1, 2]", "logical_not": "[True, False]"}
_BINARY_EXAMPLE = {"bitwise_and": "[1, 2]", "bitwise_or": "[1, 2]", "bitwise_xor": "[1, 2]",
                   "bitwise_left_shift": "[1, 2]", "bitwise_right_shift": "[1, 2]",
                   "logical_and": "[True, False]", "logical_or": "[True, False]",
                   "logical_xor": "[True, False]"}


def _doc(name, arity, vjp):
    grad = ("Differentiable." if callable(vjp) else f"No gradient: {vjp}.")
    if arity == 1:
        arg = _EXAMPLE_INPUT.get(name, "[0.25, 0.5]")
        ex = f">>> y = nd.{name}(nd.asarray({arg}))"
    else:
        arg = _BINARY_EXAMPLE.get(name, "[0.25, 0.5]")
        ex = f">>> y = nd.{name}(nd.asarray({arg}), nd.asarray({arg}))"
    return (f"Elementwise ``{name}`` (array API standard; NumPy's result on the NumPy "
            f"backend). {grad}\n\n>>> import ndgrad as nd\n{ex}\n>>> y.shape\n(2,)\n")


# NumPy 2.4's maximum and minimum loops are vectorised for two arrays but not for an
# array beside a scalar (stride 0): ``np.maximum(h, 0.0)`` on 32768 float32 takes about
# 19 us, ``np.maximum(h, zeros)`` about 7 (float64: 37 and 12). So an array of the
# scalar, made in the result's own buffer, is the faster way to the same bits.
_EXTREMUM_FILL_MIN = 8192      # elements (below, the broadcast loop costs about the same)
_FILL_INT = 1 << 24            # Python ints converted exactly by both paths
# a call writing into a given buffer (a dead operand's: buffer reuse) fills a temporary
# array: up to this many elements (8 MB of float64), so reuse still bounds the peak of a
# large computation (NumPy's own call holds the operand and a result at once too)
_FILL_TEMP_MAX = 1 << 20
# the native float32/float64 dtypes by equality (a byte-swapped array's result is native,
# as NumPy's; a dtype with metadata gives the plain one): the buffer's dtype
_FILL_DTYPES = {_np.dtype(_np.float32): _np.dtype(_np.float32),
                _np.dtype(_np.float64): _np.dtype(_np.float64)}


def _fill_exact(s):
    """Whether Python number ``s`` is one the filled way converts as NumPy's weak-scalar
    conversion does, exactly: an int up to 2**24 (exact in float32), a finite float
    within float32's range (no overflow to inf in one path and not the other)."""
    t = type(s)
    if t is int:
        return -_FILL_INT <= s <= _FILL_INT
    return t is float and -1e38 < s < 1e38


def _run_filled(ufunc, arr, s, first, dt, out):
    """``ufunc(arr, s)`` (``first``; else ``ufunc(s, arr)``) array against array: ``s``
    filled into a new array of ``arr``'s shape and dtype ``dt``, which takes the result
    unless ``out`` is given (then a temporary: ``out`` may be ``arr`` itself)."""
    full = _np.empty(arr.shape, dt)
    full.fill(s)
    if out is None:
        out = full
    return ufunc(arr, full, out=out) if first else ufunc(full, arr, out=out)


def _scalar_filled(ufunc):
    """``ufunc`` (np.maximum or np.minimum) for the eager NumPy path: for a C-contiguous
    native float32/float64 array of at least ``_EXTREMUM_FILL_MIN`` elements beside a finite
    Python float (or a small int), the scalar is written into a fresh array of the
    result's shape and dtype (NumPy's weak-scalar conversion, exactly) and the ufunc runs
    array against array into it, in the operands' order: the same bits, NaN, signed zeros
    and infinities included (a test compares every case). A call with ``out=`` (a dead
    operand's buffer, given by apply's buffer reuse) of the array's shape and dtype fills a
    temporary instead, up to ``_FILL_TEMP_MAX`` elements. Anything else is the ufunc
    itself."""
    def f(a, b, out=None):
        ta = type(a)
        tb = type(b)
        if ta is _ndarray and (tb is float or tb is int):
            arr, s, first = a, b, True
        elif tb is _ndarray and (ta is float or ta is int):
            arr, s, first = b, a, False
        else:
            return ufunc(a, b) if out is None else ufunc(a, b, out=out)
        n = arr.size
        if n >= _EXTREMUM_FILL_MIN and arr.flags.c_contiguous and _fill_exact(s) and (
                out is None or n <= _FILL_TEMP_MAX and type(out) is _ndarray
                and out.shape == arr.shape):
            dt = _FILL_DTYPES.get(arr.dtype)
            if dt is not None and (out is None or out.dtype == dt):
                return _run_filled(ufunc, arr, s, first, dt, out)
        return ufunc(a, b) if out is None else ufunc(a, b, out=out)
    f.ufunc = ufunc   # (takes ``out=`` as the ufunc: apply's buffer reuse may pass one)
    return f


_FILLED = {"maximum": _scalar_filled(_np.maximum), "minimum": _scalar_filled(_np.minimum)}


def constant_filled(ufunc, const, first, shape, dtype):
    """For a compiled plan's step ``ufunc(x, const)`` (``first``; else ``ufunc(const,
    x)``), ``ufunc`` np.maximum or np.minimum, ``const`` a constant of the plan and ``x``
    an array of static ``shape`` and ``dtype``: a function of ``x`` alone that takes
    ``_scalar_filled``'s filled way when its conditions hold (checked here once for the
    constant and the static shape, and at each call for the array itself), else calls
    the step's ufunc with ``const``; None where the filled way never applies.

    The function takes ``out=`` as the ufunc does (a plan's buffer reuse may pass one;
    the filled array is then a temporary, up to ``_FILL_TEMP_MAX`` elements).
    ``const`` may be a finite Python float (within float32's range), a small Python int,
    or a read-only 0-d array of ``x``'s own dtype (``nd.jit`` traces ``maximum(h, 0.0)``
    so); a 0-d array of another dtype promotes, and is left to the ufunc.

    >>> import numpy as np
    >>> f = constant_filled(np.maximum, 0.0, True, (128, 128), np.dtype(np.float32))
    >>> x = np.linspace(-1, 1, 128 * 128, dtype=np.float32).reshape(128, 128)
    >>> bool(np.array_equal(f(x), np.maximum(x, 0.0))), f(x).dtype
    (True, dtype('float32'))
    """
    if ufunc is not _np.maximum and ufunc is not _np.minimum:
        return None
    dt = _FILL_DTYPES.get(dtype)
    if dt is None or shape is None or None in shape or math.prod(shape) < _EXTREMUM_FILL_MIN:
        return None
    shape = tuple(shape)
    temp_ok = math.prod(shape) <= _FILL_TEMP_MAX
    if type(const) is _ndarray:
        if const.ndim or const.dtype != dt or const.flags.writeable:
            return None
        s = const.item()      # (a value of dt: filled into dt exactly)
        if not math.isfinite(s):
            return None
    elif _fill_exact(const):
        s = const
    else:
        return None

    def filled(x, out=None):
        # (``out``: the plan's dead buffer of the result's shape and dtype, ``x``'s own
        # where the reuse pass gives it: the filled array is then a temporary)
        if (type(x) is _ndarray and x.shape == shape and x.dtype == dt
                and x.flags.c_contiguous and (out is None or temp_ok)):
            return _run_filled(ufunc, x, s, first, dt, out)
        return ufunc(x, const, out=out) if first else ufunc(const, x, out=out)
    return filled


def _forward(name):
    if name in EXCEPTIONS:
        forward, kinds = EXCEPTIONS[name]
        # NumPy's own ufunc (Python scalars welcome; array_api_compat's sign needs arrays)
        forward.npfn = _FAST_EXCEPTIONS.get(name) or (
            _numpy_unless(getattr(_np, name), forward, kinds) if kinds
            else getattr(_npx, name))
        return forward

    def forward(xp, *args):
        return getattr(xp, name)(*args)
    # the eager NumPy hot path calls it directly
    forward.npfn = _FILLED.get(name) or getattr(_npx, name)
    return forward


# -- visible exceptions to the table: where NumPy breaks the standard's special cases ----
def _floor_divide_forward(xp, x1, x2):
    # NumPy gives nan for inf // finite and -1.0 for -1.0 // inf, as Python's float
    # floor division does; the standard prefers floor(x1 / x2) there, +-inf and +-0 (its
    # notes allow Python's values, the conformance suite checks the preferred ones): with
    # an infinite operand the quotient x1 / x2 already is the floored result (nan stays
    # nan). (On NumPy the correction runs only when an operand may hold an infinity:
    # ``_maybe_inf``.)
    q = xp.floor_divide(x1, x2)
    if not _isrealfloat(q) or (xp is _npx and not (_maybe_inf(x1, q.dtype) or
                                                   _maybe_inf(x2, q.dtype))):
        return q
    # (a Python number takes the loop's dtype: beside float16, -2**31 is -inf there)
    with _np.errstate(over="ignore"):
        a1 = xp.asarray(x1, dtype=q.dtype) if _isscalar(x1) else x1
        a2 = xp.asarray(x2, dtype=q.dtype) if _isscalar(x2) else x2
    return xp.where(xp.isinf(a1) | xp.isinf(a2), a1 / a2, q)


_FLOAT_MAX = {n: float(_np.finfo(f"float{8 * n}").max) for n in (2, 4, 8)}


def _maybe_inf(x, dtype):
    """False only where NumPy operand ``x`` holds no infinity in the loop's ``dtype`` (a
    Python number is cast there: -2**31 is -inf in float16): a sum is inf or nan
    whenever an element is infinite (NaN or an overflow is a false alarm: it costs only
    the exact path). One pass, no temporary; float16/32 are summed in float64 (no false
    alarm by overflow)."""
    if _isscalar(x):
        # (beyond the dtype's largest finite number it may round to inf: a NaN is a
        # false alarm too)
        return not abs(x) <= _FLOAT_MAX[dtype.itemsize]
    if x.dtype.kind == "f":
        if x.size < 4096:
            return bool(_np.isinf(x).any())   # (small: the plain test costs less)
        with _np.errstate(over="ignore", invalid="ignore"):   # (no warning of its own)
            return not _np.isfinite(_np.add.reduce(
                x, axis=None, dtype=_np.float64 if x.dtype.itemsize < 8 else None))
    return x.dtype.kind not in "biu"


def _floor_divide_fast(x1, x2):
    """The eager NumPy hot path of floor_divide (the forward above)."""
    return _floor_divide_forward(_npx, x1, x2)


def _expm1_forward(xp, x):
    # NumPy's complex expm1 gives nan+nanj for every non-finite input and -0+0j at
    # -0+0j; the standard's special cases are those of exp(x) - 1 there (e.g.
    # expm1(-inf+infj) = -1+0j, expm1(-0+0j) = +0+0j), exact at those points.
    y = xp.expm1(x)
    if not _iscomplex(y):
        return y
    return xp.where(xp.isfinite(x) & (x != 0), y, xp.exp(x) - 1)


def _tanh_forward(xp, x):
    # NumPy's complex tanh(+-inf + bj), b finite, has the sign of sin(2b) in its zero
    # imaginary part; the standard says +-1 + 0j with the zero carrying the sign of b.
    y = xp.tanh(x)
    if not _iscomplex(y):
        return y
    re, im = xp.real(x), xp.imag(x)
    one = xp.where(re > 0, xp.asarray(1 + 0j, dtype=y.dtype),
                   xp.asarray(-1 + 0j, dtype=y.dtype))
    limit = xp.where(xp.signbit(im), xp.conj(one), one)
    y = xp.where(xp.isinf(re) & xp.isfinite(im), limit, y)
    if xp is _npx:
        return y
    # CuPy's tanh(+-0 + inf j) differs from the standard's +-0 + NaN j (also for a NaN
    # imaginary part): built here, the zero's sign by -conj, whatever the backend gives
    zn = xp.asarray(complex(0.0, math.nan), dtype=y.dtype)
    return xp.where((re == 0) & ~xp.isfinite(im), xp.where(xp.signbit(re), -xp.conj(zn), zn),
                    y)


def _remainder_forward(xp, x1, x2):
    # NumPy's remainder follows Python's % at infinities (the standard's special cases);
    # CuPy's differs there (x1 - floor(x1 / x2) * x2 gives nan for 1 % inf), so on other
    # backends those cases are built: x1 infinite -> nan; x2 infinite, x1 finite -> x1 when
    # the signs agree, x2 when they differ, and a zero x1 -> zero with x2's sign; a NaN x1
    # stays NaN (it gave x2 there)
    r = xp.remainder(x1, x2)
    if xp is _npx or not _isrealfloat(r):
        return r
    a1 = xp.asarray(x1, dtype=r.dtype) if _isscalar(x1) else xp.astype(x1, r.dtype, copy=False)
    a2 = xp.asarray(x2, dtype=r.dtype) if _isscalar(x2) else xp.astype(x2, r.dtype, copy=False)
    zero = xp.copysign(xp.zeros_like(r), a2)
    at_inf = xp.where(a1 == 0, zero, xp.where((a1 > 0) == (a2 > 0), a1, a2))
    fin = xp.where(xp.isinf(a2) & ~xp.isnan(a1), at_inf, r)   # (NaN % inf stays NaN)
    return xp.where(xp.isinf(a1), xp.full_like(r, math.nan), fin)


def _sign_forward(xp, x):
    # the standard: sign(+-0 +-0j) = 0 + 0j; array_api_strict gives -0+0j at -0+0j
    if _isscalar(x):
        return _np.sign(x)
    if xp is not _npx and _iscomplex(x):
        return _complex_sign(xp, x)
    y = (_np.sign if xp is _npx else xp.sign)(x)  # NumPy's own, without compat's warning
    if not _iscomplex(y):
        return y
    return xp.where(x == 0, xp.zeros_like(y), y)


def _complex_sign(xp, x):
    """NumPy's complex sign on another backend: ``z / hypot(re, im)`` by parts, 0 at 0,
    NaN where the modulus is NaN, the unit of the infinite part where one part is
    infinite (both: NaN). The standard's ``z / |z|`` gave nan+nanj at inf+1j and inf+nanj
    at 1e-320 (a complex division by a subnormal)."""
    from .._dtypes import as_dtype
    re, im = xp.real(x), xp.imag(x)
    a = xp.hypot(re, im)
    nan = xp.asarray(float("nan"), dtype=re.dtype)
    zero = xp.zeros_like(re)
    # (finite parts over an infinite modulus give 0, as NumPy's loop)
    safe = xp.where((a == 0) | xp.isnan(a), xp.ones_like(a), a)
    out_re, out_im = re / safe, im / safe
    rinf, iinf = xp.isinf(re), xp.isinf(im)
    out_re = xp.where(rinf, xp.where(iinf, nan, xp.sign(re)), xp.where(iinf, zero, out_re))
    out_im = xp.where(iinf, xp.where(rinf, nan, xp.sign(im)), xp.where(rinf, zero, out_im))
    dead = xp.isnan(a)
    out_re = xp.where(dead, nan, xp.where(a == 0, zero, out_re))
    out_im = xp.where(dead, nan, xp.where(a == 0, zero, out_im))
    return _complex_parts_forward(xp, out_re, out_im, as_dtype(x.dtype))


def floor_divide_into(x1, x2, out, casting="same_kind"):
    """``out[...] = x1 // x2`` on NumPy arrays, as ``np.floor_divide(x1, x2, out=out,
    casting=casting)`` (in-place ``//=``) but with the special cases above. A result of
    another shape than ``out`` is NumPy's ValueError, nothing written (``copyto`` would
    drop a leading 1: ``v //= m`` with ``v`` (3,) and ``m`` (1, 3) wrote into ``v``)."""
    q = _floor_divide_fast(x1, x2)
    qd = _np.asarray(q).dtype
    if not _np.can_cast(qd, out.dtype, casting):   # (NumPy's first check, its error)
        _np.floor_divide(_np.ones((), qd), _np.ones((), qd),
                         out=_np.empty((), out.dtype), casting=casting)
    if _np.shape(q) != out.shape:
        raise ValueError(f"non-broadcastable output operand with shape {out.shape} doesn't "
                         f"match the broadcast shape {_np.shape(q)}")
    _npx.copyto(out, q, casting=casting)


def _isrealfloat(a):
    return str(a.dtype).rsplit(".", 1)[-1] in ("float32", "float64", "float16")


def _iscomplex(a):
    return str(a.dtype).rsplit(".", 1)[-1] in ("complex64", "complex128")


def _numpy_unless(npfn, forward, kinds):
    """The eager NumPy hot path of an exception: NumPy's function, and the exception's
    forward only for result dtypes of ``kinds`` (where the special cases live)."""
    def fast(*args):
        out = npfn(*args)
        kind = out.dtype.kind if type(out) is _np.ndarray else _np.asarray(out).dtype.kind
        return forward(_npx, *args) if kind in kinds else out
    # where only complex results are corrected: NumPy's function itself is the forward of
    # a real (not complex) NumPy array (registry.ufunc_entry calls it directly)
    fast.real_npfn = npfn if kinds == "c" else None
    return fast


# name -> (forward, the NumPy dtype kinds of results it corrects)
# an exception's own eager NumPy hot path, where it beats _numpy_unless's "NumPy's, then
# the forward again"
_FAST_EXCEPTIONS = {"floor_divide": _floor_divide_fast}
EXCEPTIONS = {"floor_divide": (_floor_divide_forward, "f"), "expm1": (_expm1_forward, "c"),
              "tanh": (_tanh_forward, "c"), "sign": (_sign_forward, "c"),
              "remainder": (_remainder_forward, "")}   # (NumPy's own is right: never called)


def _grad_kw(vjp, save):
    if isinstance(vjp, NoGrad):
        return {"nograd": str(vjp)}
    return {"save": save} if callable(vjp) else nondiff(vjp)


def _make_unary(name, vjp, save):
    op = defop(name, _forward(name), vjp if callable(vjp) else None, **_grad_kw(vjp, save))

    def f(x, /):
        return apply(op, (x,), NO_PARAMS, True)  # (reuse: see registry.reuse_entry)
    f.__name__ = f.__qualname__ = name
    f.__doc__ = _doc(name, 1, vjp)
    f._op = op
    return reuse_entry(f)  # x goes straight to the op: a dead temporary's buffer may be reused


def _make_binary(name, vjp, save):
    op = defop(name, _forward(name), vjp if callable(vjp) else None, **_grad_kw(vjp, save))

    def f(x1, x2, /):
        return apply(op, (x1, x2), NO_PARAMS, True)
    f.__name__ = f.__qualname__ = name
    f.__doc__ = _doc(name, 2, vjp)
    f._op = op
    return reuse_entry(f)


__all__ = []
for _name, _vjp, _save in UNARY:
    globals()[_name] = _make_unary(_name, _vjp, _save)
    __all__.append(_name)
for _name, _vjp, _save in BINARY:
    globals()[_name] = _make_binary(_name, _vjp, _save)
    __all__.append(_name)


# -- clip: the one elementwise function with optional operands --------------------------
def _clip_forward(xp, x, lo, hi):
    if type(x) is _ndarray and x.dtype.kind in "iu":
        # (not array_api_compat's NumPy clip (1.16): for an integer x it clamps array
        # bounds to x's range by writing into them -- the caller's arrays -- and raises
        # OverflowError when a bound's dtype cannot hold x's range.) NumPy's clip, exact in
        # the promoted dtype, then the bounds' effect clamped to x's range: a bound beyond
        # it acts as x's extreme value, as array_api_compat means it to.
        if lo is None and hi is None:
            return x.copy()
        r = _np.clip(x, lo, hi)
        if r.dtype != x.dtype:
            info = _np.iinfo(x.dtype)
            r = _np.clip(r, info.min, info.max).astype(x.dtype)
        return r
    return xp.clip(x, lo, hi)


def _clip_vjp(xp, g, ans, x, lo, hi):
    # NumPy's clip is min(max(x, lo), hi): where lo > hi every element is hi (the
    # gradient goes to hi, none to lo or x). x's share is masked where x < lo or x > hi,
    # and where x is NaN: 0 there, as PyTorch, JAX and TensorFlow's tf.clip_by_value
    # (a minimum and a maximum, each masking a NaN) give
    inside = g
    glo = ghi = None
    below = None if lo is None else x < lo
    above = None if hi is None else x > hi
    if below is not None and above is not None:
        crossed = lo > hi
        if not (_isscalar(crossed) and not crossed):
            below = xp.logical_and(below, xp.logical_not(crossed)) if not _isscalar(
                crossed) else xp.zeros_like(below)
            above = xp.logical_or(above, crossed) if not _isscalar(crossed) else \
                xp.ones_like(above)
    if below is not None:
        inside = xp.where(below, 0.0, inside)
        if not _isscalar(lo):
            glo = xp.where(below, g, 0.0)
    if above is not None:
        inside = xp.where(above, 0.0, inside)
        if not _isscalar(hi):
            ghi = xp.where(above, g, 0.0)
    if (below is not None or above is not None) and xp.isdtype(x.dtype, "real floating"):
        inside = xp.where(x == x, inside, 0.0)
    return (inside, glo, ghi)


_clip_op = defop("clip", _clip_forward, _clip_vjp)


def clip(x, /, min=None, max=None):  # noqa: A002 (the standard's names)
    """Clamp each element to ``[min, max]`` (either bound may be None).

    The gradient flows to ``x`` where it is inside the bounds, to an array bound where
    it clamps.

    >>> import ndgrad as nd
    >>> nd.clip(nd.asarray([-1.0, 0.5, 2.0]), 0.0, 1.0)
    array([0. , 0.5, 1. ])
    """
    return apply(_clip_op, (x, min, max))


__all__.append("clip")


# -- a complex array from its real and imaginary parts --------------------------------------
def _complex_parts_forward(xp, re, im, dtype):
    # the parts written as they are: ``re + im * 1j`` is no such construction (inf * 1j is
    # nan + inf j, which made the real part NaN; -0.0 * 1j lost the zero's sign)
    if isinstance(re, (int, float, _np.generic)):
        re = _np.asarray(re)   # (a Python or NumPy scalar part)
    if isinstance(im, (int, float, _np.generic)):
        im = _np.asarray(im)
    if type(re) is _ndarray and type(im) is _ndarray:
        out = _np.empty(_np.broadcast_shapes(re.shape, im.shape), dtype)
        out.real = re
        out.imag = im
        return out
    bk = backend_of(re if type(re) is not _ndarray else im)
    if bk.name == "dask":
        import dask.array as da
        return da.map_blocks(lambda r, i: _complex_parts_forward(_np, _np.asarray(r),
                                                                  _np.asarray(i), dtype),
                             re, im, dtype=dtype)
    if bk.name == "cupy":
        out = xp.empty(_np.broadcast_shapes(re.shape, im.shape), dtype=dtype)
        out.real = re
        out.imag = im
        return out
    # (a backend with the standard's functions alone, the test backends: NumPy's
    # construction on the host values; the arithmetic is not exact)
    host = _complex_parts_forward(_np, _np.asarray(bk.to_numpy(re)),
                                  _np.asarray(bk.to_numpy(im)), dtype)
    return bk.xp.asarray(host)


def _complex_parts_vjp(xp, g, ans, re, im, dtype):
    # JAX's lax.complex: the real part's cotangent Re g, the imaginary part's -Im g
    if not xp.isdtype(g.dtype, "complex floating"):
        return (g, None)
    return (xp.real(g), -xp.imag(g))


_complex_parts_op = defop("complex_from_parts", _complex_parts_forward, _complex_parts_vjp,
                          save="none")


def complex_from_parts(re, im, dtype):
    """The complex array of ``dtype`` with real part ``re`` and imaginary part ``im``
    (broadcast together; NumPy's ``x.real = v`` / ``x.imag = v`` write them so):
    infinite and signed-zero parts kept as they are. Differentiable in both.

    >>> import numpy as np
    >>> from ndgrad._ops.elementwise import complex_from_parts
    >>> import ndgrad as nd
    >>> complex_from_parts(nd.asarray([1.0]), nd.asarray([np.inf]), np.complex128)
    array([1.+infj])
    """
    return apply(_complex_parts_op, (re, im), {"dtype": _np.dtype(dtype)})

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

from .. import _dtypes
from .._ops import registry as _registry
from .._ops.registry import defop, apply, wrap, NO_PARAMS as _NOP
from .._ops.creation import with_numpy_elements
from ._core import write_out as _out, out_array_check, ufunc_out_check
from ._core import std, arr, arrs, is_array, is_symbolic, to_numpy, host, nodiff_guard, _first_line, host_result, wrap_result
from ._core import copy_of, make_host_op
from ._core import plain_numpy as _plain

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


def _dtype_of(x):
    """What NumPy's type resolution sees of an argument: a dtype, or a Python scalar's
    type (a weak scalar, NumPy 2's rule)."""
    if is_array(x) or isinstance(x, (np.ndarray, np.generic)):
        return x.dtype
    if is_symbolic(x):  # a graph tensor: its static dtype
        return np.dtype(getattr(x.dtype, "as_numpy_dtype", x.dtype))
    if type(x) is bool:
        return np.dtype(bool)  # (NumPy treats Python bools as bool, not weakly)
    if type(x) in (int, float, complex):
        return type(x)
    return np.asarray(x).dtype


def ufunc_loop(npf, xs, dtype=None, casting="same_kind"):
    """NumPy's loop for ufunc ``npf`` on these arguments: (input dtypes, output dtypes).
    NumPy's own TypeError when it has none (``fabs`` of complex, ``equal(..., dtype=float)``)."""
    sig = tuple(_dtype_of(x) for x in xs) + (None,) * npf.nout
    if npf.nin == 1 and isinstance(sig[0], type):
        # a lone Python scalar is not weak to NumPy: tan(0, casting='no') casts int64
        sig = (np.asarray(xs[0]).dtype,) + sig[1:]
    if dtype is None:
        res = npf.resolve_dtypes(sig, casting=casting)
    else:  # NumPy's rule: dtype= fixes the output's dtype, signature=(None, ..., dtype)
        if isinstance(dtype, type) and issubclass(dtype, np.dtype):   # (NumPy 2's DTypes)
            dtype = _dtypes.dtype_class_instance(dtype) or dtype
        res = npf.resolve_dtypes(sig, signature=(None,) * npf.nin + (np.dtype(dtype),)
                                 * npf.nout, casting=casting)
    return res[:npf.nin], res[npf.nin:]


def _cast_to_loop(xs, in_dts):
    like = next((x for x in xs if is_array(x)), None)
    # (a Python scalar is cast as NumPy casts it to the loop: complex to int under
    # casting='unsafe' drops the imaginary part)
    return [(x if _dtype_of(x) == dt else std("astype")(x, dt)) if is_symbolic(x) else
            arr(x, dt) if is_array(x) else arr(_py_cast(x, dt), dt, like=like)
            for x, dt in zip(xs, in_dts)]


def _py_cast(x, dt):
    if type(x) in (bool, int, float, complex) and np.dtype(dt).kind not in "c" and \
            type(x) is complex:
        with np.errstate(all="ignore"), __import__("warnings").catch_warnings():
            __import__("warnings").simplefilter("ignore")
            return np.asarray(x).astype(dt)
    return x


def _store(name, res, out, where, casting):
    """``res`` written into ``out`` as NumPy's ufuncs do (``where=`` keeps ``out``
    elsewhere; the output cast must be allowed by ``casting``)."""
    if out is None:
        if where is not True and where is not None:
            raise ValueError("where= without out= leaves entries unset; pass out= as well")
        return res
    single = not isinstance(res, tuple)
    outs = (out if isinstance(out, tuple) else (out,))
    ress = (res,) if single else res
    for r, o in zip(ress, outs):
        if o is None:
            continue
        out_array_check(o)
        ufunc_out_check(name, r.dtype, o, casting)
    done = []
    for r, o in zip(ress, outs):
        if o is None:
            done.append(r)   # (no out for this result: NumPy returns it fresh)
            continue
        if where is not True and where is not None:
            # cast to out's dtype first (NumPy's unsafe output cast: uint64 max -> int64
            # -1), so that where's promotion of the pair (uint64, int64 -> float64)
            # cannot round the result
            r = std("where")(arr(where), arr(r, o.dtype), o)
        _out(r, o)
        done.append(o)
    return done[0] if single else tuple(done)


def _check_out(npname, xs, out, dtype, casting):
    """NumPy's order of errors, before anything is computed: the loop (none: the call
    itself raises NumPy's TypeError), then a Python int that the loop's integer dtype
    cannot hold (its OverflowError, before any casting check: ``subtract(-1, int8,
    dtype=uint8)``, ``lcm(int8, -32768, out=uint8)``), then an ``out=`` the loop's result
    cannot be cast to (``power(False, int8(-1), out=uint8)`` raises the casting
    TypeError, not the negative-power ValueError)."""
    if out is None and dtype is None:
        return
    uf = getattr(np, npname)
    if any(type(x) is int for x in xs):
        try:
            # (the loop dtype= or the promotion names: found whatever the casting rule,
            # which NumPy checks after converting the Python ints)
            loop_in = ufunc_loop(uf, xs, dtype, "unsafe")[0]
        except TypeError:
            loop_in = ()
        for x, dt in zip(xs, loop_in):
            if type(x) is int and dt.kind in "iu":
                np.array(x, dtype=dt)
    if out is None:
        return
    try:
        out_dts = ufunc_loop(uf, xs, dtype, casting)[1]
    except TypeError:
        return  # (no loop under this casting: the call itself raises NumPy's error)
    for dt, o in zip(out_dts, out if isinstance(out, tuple) else (out,)):
        if o is not None and hasattr(o, "dtype"):
            ufunc_out_check(npname, dt, o, casting)


def _finish(npname, fn, xs, out, where, dtype, casting):
    if isinstance(out, tuple):
        # (one output: a longer tuple was read as its first entry, NumPy's ValueError)
        if len(out) != 1:
            raise ValueError(f"{npname}: the 'out' tuple must have exactly one entry per "
                             f"ufunc output (1); got {len(out)}")
        out = out[0]
    _check_out(npname, xs, out, dtype, casting)
    if dtype is not None or casting != "same_kind":
        in_dts, out_dts = ufunc_loop(getattr(np, npname), xs, dtype, casting)
        res = fn(*_cast_to_loop(xs, in_dts))
        if res.dtype != out_dts[0]:
            res = arr(res, out_dts[0])
    else:  # (Python scalars stay weak: out of range for the array's dtype is an error)
        res = fn(*xs)
        if not is_array(res):
            res = arr(res)
    return _store(npname, res, out, where, casting)


def _make(npname, stdname):
    fn = std(stdname)  # the standard's function, resolved once (it exists by now)
    # an elementwise function of the table is its op: the common call applies it
    # directly (one frame less), exactly as the standard's function does
    op = getattr(fn, "_op", None)
    unary = stdname in _UNARY
    if unary and op is not None:
        # the op's own entry: apply's hot path inline (see registry.ufunc_entry)
        f = _registry.ufunc_entry(
            op, lambda x, out, where, dtype, casting: _finish(npname, fn, (x,), out, where,
                                                               dtype, casting))
    elif unary:
        def f(x, /, out=None, *, where=True, dtype=None, casting="same_kind", order=None,
              subok=None):
            if out is None and where is True and dtype is None and casting == "same_kind":
                return fn(x)
            return _finish(npname, fn, (x,), out, where, dtype, casting)
    else:
        def f(x1, x2, /, out=None, *, where=True, dtype=None, casting="same_kind",
              order=None, subok=None):
            if out is None and where is True and dtype is None and casting == "same_kind":
                return fn(x1, x2) if op is None else apply(op, (x1, x2), _NOP, True)
            return _finish(npname, fn, (x1, x2), out, where, dtype, casting)
    # the common call hands its operands straight to the op: a dead temporary's
    # buffer may take the result (see registry.reuse_entry)
    _registry.reuse_entry(f)
    f.__name__ = f.__qualname__ = npname
    ex = "1" if "bitwise" in stdname else ("True" if "logical" in stdname else "0.5")
    f.__doc__ = (f"NumPy's ``{npname}``: the standard's ``{stdname}`` with NumPy's ufunc "
                 f"keywords (``out=``, ``where=``, ``dtype=``, ``casting=``).\n\n"
                 f"    >>> import ndgrad as np"
                 f"\n    >>> np.{npname}(" + (f"[{ex}])" if unary else f"[{ex}], [{ex}])") +
                 ".shape\n    (1,)\n")
    return f


def _records(xs):
    return _registry.grad_state.enabled and any(
        is_array(x) and x._node is not None for x in xs)


def _on_numpy(xs):
    return all(type(x._data) is np.ndarray for x in xs if is_array(x)) and not any(
        is_symbolic(x) for x in xs)


def _ufunc_value_forward(xp, *xs, name):
    """NumPy's ufunc ``name`` on the inputs (cast to its loop's dtypes): NumPy arrays, or a
    Dask or CuPy array through that library's ``__array_ufunc__``."""
    return getattr(np, name)(*xs)


# NumPy's value of a ufunc beyond the standard (its gradient is a surrogate's: _exact)
_UFUNC_VALUE = (
    defop("numpy.ufunc_value", _ufunc_value_forward, None, save="none",
          nondiff="NumPy's value of a ufunc; its gradient is the surrogate's"),
    defop("numpy.ufunc_values", _ufunc_value_forward, None, save="none", multi=True,
          nondiff="NumPy's values of a ufunc; its gradient is the surrogate's"))


def _function_value_forward(xp, *xs, name, **kw):
    """NumPy's function ``name`` (``vdot``, ``convolve`` ...) on the inputs, with its
    keywords."""
    return getattr(np, name)(*xs, **kw)


# NumPy's value of a function that is no ufunc (its gradient is a surrogate's: _exact)
_FUNCTION_VALUE = defop("numpy.function_value", _function_value_forward, None,
                        save="none",
                        nondiff="NumPy's value of a function; its gradient is the surrogate's")


def numpys_value(npname, arrays, surrogate, host=False, **kw):
    """NumPy's own ``npname(*arrays, **kw)`` (its loop's or BLAS's rounding, its own
    infinities) carrying the gradient of ``surrogate``, the same function written with
    the standard's ops. The value is an op of the graph, so a traced call (``nd.jit``,
    graph mode) computes NumPy's function when it runs and gives eager's bits. Other
    backends (CuPy, Dask, the standard-only test backend) keep the surrogate's values,
    or with ``host`` take NumPy's computed on their values."""
    if all(is_symbolic(x) or type(x._data) is np.ndarray for x in arrays):
        return _exact(apply(_FUNCTION_VALUE, tuple(arrays), dict(kw, name=npname)),
                      surrogate)
    if host:
        value = getattr(np, npname)(*[to_numpy(x) for x in arrays], **kw)
        return _exact(host_result(value, like=arrays[0]), surrogate)
    return surrogate


def _native(xs):
    """Whether NumPy's ufunc can compute on these inputs where they are: traced or graph
    values (run by NumPy), Dask and CuPy arrays (their ``__array_ufunc__``). The test
    backend ``strict`` (the standard alone) keeps the surrogate's values."""
    for x in xs:
        if is_symbolic(x):
            continue
        if is_array(x) and getattr(x._data, "__array_ufunc__", None) is None:
            return False
    return True


def numpy_ufunc(npname, surrogate=None):
    """A NumPy ufunc beyond the standard, with NumPy's exact values, dtypes, errors and
    keywords (``out=``, ``where=``, ``dtype=``, ``casting=``).

    On the NumPy backend the value is NumPy's ufunc on the values; the gradient (when an
    input records one) is that of ``surrogate``, the same function written with the
    standard's differentiable ops, called on the inputs cast to NumPy's loop dtypes.
    Other backends compute ``surrogate`` there, in NumPy's loop dtypes. Without a
    surrogate the function has no gradient (an input that records one is refused).
    """
    npf = getattr(np, npname)
    nin, nout = npf.nin, npf.nout

    def compute(xs, dtype, casting):
        if _on_numpy(xs):
            kw = {"casting": casting}
            if dtype is not None:
                kw["dtype"] = dtype
            vals = [to_numpy(x) if is_array(x) else with_numpy_elements(x) for x in xs]
            res = npf(*vals, **kw)  # (under the caller's np.errstate, as NumPy's own call)
            res = res if nout > 1 else (res,)
            if not _records(xs):
                return tuple(wrap(np.asarray(r)) for r in res)
            if surrogate is None:
                nodiff_guard(npname, *xs)
            in_dts, _ = ufunc_loop(npf, xs, dtype, casting)
            sur = surrogate(*_cast_to_loop(xs, in_dts))
            sur = sur if isinstance(sur, tuple) else (sur,)
            return tuple(_exact(wrap(np.asarray(r)), arr(s, r.dtype) if s is not None else None)
                         for r, s in zip(res, sur))
        in_dts, out_dts = ufunc_loop(npf, xs, dtype, casting)
        if _native(xs):
            # a traced value (nd.jit, a graph), or a Dask or CuPy array: NumPy's ufunc
            # itself when the step runs (through the backend's __array_ufunc__), the
            # surrogate only for the gradient -- its values are not NumPy's (fmod's
            # a - trunc(a/b) b is 0 for fmod(1e20, 3), NumPy's 1)
            if surrogate is None:
                nodiff_guard(npname, *xs)
            cast = _cast_to_loop(xs, in_dts)
            res = apply(_UFUNC_VALUE[nout > 1], tuple(cast), {"name": npname})
            res = res if nout > 1 else (res,)
            res = tuple(r if _dtype_of(r) == dt else std("astype")(r, dt)
                        for r, dt in zip(res, out_dts))
            if surrogate is None or not (_records(xs) or any(is_symbolic(x) for x in xs)):
                return res
            sur = surrogate(*cast)
            sur = sur if isinstance(sur, tuple) else (sur,)
            return tuple(_exact(r, s if s is None or _dtype_of(s) == _dtype_of(r) else
                                std("astype")(s, _dtype_of(r))) for r, s in zip(res, sur))
        if surrogate is None:
            nodiff_guard(npname, *xs)
            like = next(x for x in xs if is_array(x))
            vals = [to_numpy(x) if is_array(x) else with_numpy_elements(x) for x in xs]
            res = npf(*vals, **({"dtype": dtype} if dtype is not None else {}),
                      casting=casting)
            res = res if nout > 1 else (res,)
            return tuple(arr(np.asarray(r), like=like) for r in res)
        sur = surrogate(*_cast_to_loop(xs, in_dts))
        sur = sur if isinstance(sur, tuple) else (sur,)
        return tuple(s if _dtype_of(s) == dt else std("astype")(s, dt)
                     for s, dt in zip(sur, out_dts))

    def f(*args, out=None, where=True, dtype=None, casting="same_kind", order="K",
          subok=True, signature=None):
        if not nin <= len(args) <= nin + nout:
            raise TypeError(f"{npname}() takes from {nin} to {nin + nout} positional "
                            f"arguments but {len(args)} were given")
        if signature is not None:   # (it was silently ignored: NumPy's loop dtypes lost)
            raise TypeError(f"{npname}: ndgrad does not support signature=; give dtype= "
                            "(the output's dtype) instead")
        xs, pos_out = args[:nin], args[nin:]
        if pos_out:
            if out is not None:
                raise TypeError(f"{npname}: cannot specify 'out' as both a positional "
                                "and keyword argument")
            # (fewer positional outs than outputs: NumPy makes the rest, ``divmod(a, b, q)``)
            out = pos_out + (None,) * (nout - len(pos_out)) if nout > 1 else pos_out[0]
        if out is not None and nout > 1 and not isinstance(out, tuple):
            raise TypeError("'out' must be a tuple of arrays")
        if isinstance(out, tuple) and len(out) != nout:
            raise ValueError(f"{npname}: the 'out' tuple must have exactly one entry per "
                             f"ufunc output ({nout}); got {len(out)}")
        if isinstance(out, tuple) and nout == 1:
            out = out[0]
        if isinstance(out, tuple) and all(o is None for o in out):
            out = None
        _check_out(npname, xs, out, dtype, casting)
        res = compute(xs, dtype, casting)
        res = res[0] if nout == 1 else res
        return _store(npname, res, out, where, casting)
    f.__name__ = f.__qualname__ = npname
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


def _exact_forward(xp, value, surrogate):
    return value


# NumPy's exact value, the gradient of a surrogate (the function written with the
# standard's ops): both are computed, only the value is returned
_exact_op = defop("numpy.exact_value", _exact_forward,
                  lambda xp, g, ans, value, surrogate: (None, g), save="none")


def _exact(value, surrogate):
    """``value`` (NumPy's exact result) carrying the gradient of ``surrogate``."""
    if surrogate is None or (not is_symbolic(surrogate) and surrogate._node is None):
        return value
    return apply(_exact_op, (value, surrogate))


_LN2 = _math.log(2.0)


def _fmax_like(pick):
    def sur(a, b):
        m = std(pick)(a, b)
        if a.dtype.kind in "fc":
            m = std("where")(std("isnan")(b), a, std("where")(std("isnan")(a), b, m))
        return m
    return sur


def _modf_sur(x):
    t = std("trunc")(x)
    frac = std("copysign")(x - t, x)
    if _dtype_of(x).kind == "f":   # (modf(+-inf) is (+-0.0, +-inf); inf - inf was NaN)
        frac = std("where")(std("isinf")(x), std("copysign")(std("zeros_like")(x), x), frac)
    return frac, t


def _frexp_sur(x, _m=None):
    # (the exponent and the power of two are NumPy's own values, as ops: no host read,
    # so a traced x works too; the mantissa's gradient is 1 / 2**e)
    e = apply(_UFUNC_VALUE[1], (x,), {"name": "frexp"})[1]
    return x / _pow2(e, x), e


def _pow2(e, like):
    """2.0 ** e (integers ``e``) in ``like``'s dtype, by NumPy's ldexp, as an op."""
    two = apply(_UFUNC_VALUE[0], (std("ones_like")(like), e), {"name": "ldexp"})
    return two if _dtype_of(two) == _dtype_of(like) else std("astype")(two, _dtype_of(like))


def _ldexp_sur(x1, x2):
    return x1 * _pow2(x2, x1)


def _cbrt_forward(xp, x):
    f = getattr(xp, "cbrt", None)
    if f is not None:
        return f(x)
    # (a backend without cbrt: the real cube root, zeros kept with their sign)
    return xp.where(x == 0, x, xp.sign(x) * xp.abs(x) ** (1.0 / 3.0))


def _cbrt_vjp(xp, g, ans, x):
    # 1 / (3 cbrt(x)^2): +inf at 0 from either side (JAX's value there, and the limit), where
    # the composition sign(x) |x|^(1/3) gave sign'(0) * inf = NaN
    return (g / (3.0 * (ans * ans)),)


# NumPy's cube root as one op: its gradient from its own value
_cbrt_op = defop("numpy.cbrt", _cbrt_forward, _cbrt_vjp, save="ans")


def _fmod_sur(a, b):
    """fmod written with the standard's ops: its value (where NumPy's fmod is not at hand)
    is ``remainder(a, copysign(b, a))`` -- the divisor given a's sign, so the remainder
    already has fmod's sign and is never adjusted, hence exact (``a - trunc(a / b) * b``
    gave 0 for fmod(1e20, 3), NaN for fmod(2.5, inf), +0.0 for fmod(-0.0, 1)); its
    gradient that of ``a - trunc(a / b) * b``."""
    if _dtype_of(a).kind not in "f" or _dtype_of(b).kind not in "f":
        r = std("remainder")(a, b)   # (integers: the sign of b, moved to a's)
        return std("where")((r != 0) & ((r < 0) != (a < 0)), r - b, r)
    value = std("remainder")(a, std("copysign")(b, a))
    return _exact(value.detach(), a - std("trunc")(a / b).detach() * b)


def _divmod_sur(a, b):
    """divmod with the standard's ops: NumPy's quotient (its npy_divmod: (a - fmod) / b,
    one less where the remainder changes sign, rounded to the nearest whole number; NaN
    where the remainder is, 0 with the sign of a / b) -- floor_divide's special cases are
    the standard's (inf // 2 is inf there, NaN in NumPy's divmod) -- and the remainder."""
    q = std("floor_divide")(a, b)
    r = std("remainder")(a, b)
    if _dtype_of(q).kind != "f":
        return q, r
    with np.errstate(all="ignore"):
        m = _fmod_sur(a, b).detach()
        div = (a - m) / b
        div = std("where")((m != 0) & ((b < 0) != (m < 0)), div - 1.0, div)
        fl = std("floor")(div)
        fl = std("where")(div - fl > 0.5, fl + 1.0, fl)
        fl = std("where")(div == 0, std("copysign")(std("zeros_like")(div), a / b), fl)
        fl = std("where")(b == 0, a / b, fl)
    return _exact(fl.detach(), q), r


# NumPy's ufuncs beyond the standard: NumPy's name, and the function written with the
# standard's ops that gives the gradient (None: no gradient)
NUMPY_UFUNCS = {
    "fabs": lambda x: std("abs")(x),
    "exp2": lambda x: std("pow")(2.0, x),
    "cbrt": lambda x: apply(_cbrt_op, (x,), _NOP),
    "float_power": lambda a, b: std("pow")(a, b),
    "logaddexp2": lambda a, b: std("logaddexp")(a * _LN2, b * _LN2) / _LN2,
    "fmax": _fmax_like("maximum"),
    "fmin": _fmax_like("minimum"),
    "fmod": _fmod_sur,
    "divmod": _divmod_sur,
    "modf": _modf_sur,
    "ldexp": _ldexp_sur,
    "frexp": _frexp_sur,
    "deg2rad": lambda x: x * (_math.pi / 180.0),
    "rad2deg": lambda x: x * (180.0 / _math.pi),
    "radians": lambda x: x * (_math.pi / 180.0),
    "degrees": lambda x: x * (180.0 / _math.pi),
    "rint": lambda x: std("round")(x),
    "heaviside": lambda a, b: std("where")(
        std("isnan")(a), float("nan"), std("where")(a < 0, 0.0, std("where")(a > 0, 1.0, b))),
    "gcd": None,
    "lcm": None,
    "spacing": None,
    "bitwise_count": None,
}
_EXAMPLES = {"fabs": ("[-1, 2]", "array([1., 2.])"), "exp2": ("[1.0, 3.0]", "array([2., 8.])"),
             "cbrt": ("[-8.0, 27.0]", "array([-2.,  3.])"),
             "float_power": ("2, 3", "np.float64(8.0)"),
             "logaddexp2": ("1.0, 1.0", "np.float64(2.0)"),
             "fmax": ("[1.0, np.nan], [np.nan, 2.0]", "array([1., 2.])"),
             "fmin": ("[1.0, np.nan], [np.nan, 2.0]", "array([1., 2.])"),
             "fmod": ("[-3, 3], 2", "array([-1,  1])"),
             "divmod": ("[7], [2]", "(array([3]), array([1]))"),
             "modf": ("[-1.5, 2.25]", "(array([-0.5 ,  0.25]), array([-1.,  2.]))"),
             "ldexp": ("3.0, 2", "np.float64(12.0)"),
             "frexp": ("8.0", "(np.float64(0.5), np.int32(4))"),
             "deg2rad": ("180.0", "np.float64(3.141592653589793)"),
             "radians": ("180.0", "np.float64(3.141592653589793)"),
             "rad2deg": ("np.pi", "np.float64(180.0)"),
             "degrees": ("np.pi", "np.float64(180.0)"),
             "rint": ("[0.5, 1.5, 2.5]", "array([0., 2., 2.])"),
             "heaviside": ("[-1.0, 0.0, 2.0], 0.5", "array([0. , 0.5, 1. ])"),
             "gcd": ("[12, 20], 8", "array([4, 4])"), "lcm": ("[12, 20], 8", "array([24, 40])"),
             "spacing": ("[1.0]", "array([2.22044605e-16])"),
             "bitwise_count": ("[7, 8]", "array([3, 1], dtype=uint8)")}

for _n, _sur in NUMPY_UFUNCS.items():
    _f = numpy_ufunc(_n, _sur)
    _ex, _shown = _EXAMPLES[_n]
    _f.__doc__ = (f"NumPy's ufunc ``{_n}``: {_first_line(getattr(np, _n))} NumPy's values, "
                  f"dtypes, errors and keywords; "
                  + ("differentiable" if _sur is not None else "no gradient")
                  + f".\n\n    >>> import ndgrad as np\n    >>> np.{_n}({_ex})\n    {_shown}\n")
    globals()[_n] = _f
divmod_ = globals()["divmod"]


def angle(z, deg=False):
    """The argument of complex numbers (0 or pi for reals).

    >>> import ndgrad as np
    >>> np.angle([1.0, -1.0])
    array([0.        , 3.14159265])
    """
    z = arr(z)
    if z.dtype.kind == "c":
        a = std("atan2")(std("imag")(z), std("real")(z))
    else:  # NumPy: arctan2(0, z), in the dtype NumPy's loop gives (float16 for int8)
        (_, dt), _ = ufunc_loop(np.arctan2, (0, z))
        zf = arr(z, dt)
        a = std("atan2")(std("zeros_like")(zf), zf)
    return a * (180.0 / _math.pi) if deg else a


def real(val):
    """The real part (the array itself for real input).

    >>> import ndgrad as np
    >>> np.real([1 + 2j])
    array([1.])
    """
    if type(val) in (bool, int, float, complex) or isinstance(val, np.generic):
        return val.real  # NumPy: the scalar's own .real
    v = arr(val)
    return _registry.as_0d_kind_of(std("real")(v), v) if v.dtype.kind == "c" else v


def imag(val):
    """The imaginary part (zeros for real input).

    >>> import ndgrad as np
    >>> np.imag([1 + 2j])
    array([2.])
    """
    if type(val) in (bool, int, float, complex) or isinstance(val, np.generic):
        return val.imag  # NumPy: the scalar's own .imag
    v = arr(val)
    # real input: zeros of its dtype (NumPy), also where it is nan or inf; read-only, as
    # NumPy's (a write into it would reach nothing: NumPy raises, and so does ndgrad)
    if v.dtype.kind == "c":
        return _registry.as_0d_kind_of(std("imag")(v), v)
    if is_symbolic(v):
        # zeros of its dtype, +0 (a graph tensor's shape may be unknown: from v itself;
        # v * 0 gave nan where v is nan or inf, -0 where v < 0, and int for bool)
        if v.dtype == np.bool_:
            return v != v
        return std("where")(std("isfinite")(v), v, 1) * 0 + 0
    z = std("zeros_like")(v)
    if type(z._data) is np.ndarray:
        z._data.flags.writeable = False
    return _registry.as_0d_kind_of(z, v)   # (x.imag of a scalar: a scalar)


def nan_to_num(x, copy=True, nan=0.0, posinf=None, neginf=None):
    """NaN and infinities replaced by finite numbers (differentiable elsewhere).

    >>> import ndgrad as np
    >>> np.nan_to_num([np.nan, np.inf, 1.0])
    array([0.00000000e+000, 1.79769313e+308, 1.00000000e+000])
    """
    if not copy:
        # NumPy's copy=False: x itself, written in place (an integer x as it is); a list
        # or scalar cannot be written
        if not (is_array(x) or isinstance(x, np.ndarray)):
            raise ValueError("Unable to avoid copy while creating an array as requested "
                             f"(nan_to_num(copy=False) of a {type(x).__name__}).")
        if np.dtype(x.dtype).kind in "fc":
            _out(nan_to_num(x, True, nan, posinf, neginf), x)
        return x
    x = arr(x)
    if copy and _plain(x):
        # no gradient to record: NumPy's own (one copy replaced in place; the composition
        # makes three masks and three selects). An integer input is copied, as NumPy's.
        return host_result(np.nan_to_num(to_numpy(x), nan=nan, posinf=posinf,
                                         neginf=neginf), like=x)
    if x.dtype.kind not in "fc":
        return x
    fi = np.finfo(x.dtype if x.dtype.kind == "f" else np.float64)
    hi = fi.max if posinf is None else posinf
    lo = fi.min if neginf is None else neginf
    if x.dtype.kind == "c":
        # NumPy's value (the parts replaced apart, signed zeros kept; also under nd.jit);
        # the gradient of the parts recombined
        if not is_symbolic(x) and x._node is None:   # (nothing to differentiate)
            return host_result(np.nan_to_num(to_numpy(x), nan=nan, posinf=posinf,
                                             neginf=neginf), like=x)
        r = nan_to_num(std("real")(x), nan=nan, posinf=posinf, neginf=neginf)
        i = nan_to_num(std("imag")(x), nan=nan, posinf=posinf, neginf=neginf)
        return numpys_value("nan_to_num", (x,), arr(r + i * 1j, x.dtype), host=True,
                            nan=nan, posinf=posinf, neginf=neginf)
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
    if not a.shape and not getattr(a, "_array0d", False):
        # NumPy's asanyarray first: a scalar (or a 0-d value standing for one) comes back
        # as a 0-d *array*, as does its real part (a fresh value: scalars are immutable)
        a = _registry.with_0d_kind(copy_of(a), True)
    if a.dtype.kind != "c":
        return a
    t = tol * np.finfo(a.dtype).eps if tol > 1 else tol
    if np.all(np.abs(np.imag(to_numpy(a))) < t):
        return _registry.as_0d_kind_of(std("real")(a), a)
    return a


def isclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    """Elementwise ``|a - b| <= atol + rtol * |b|``.

    >>> import ndgrad as np
    >>> np.isclose([1.0, 2.0], [1.0, 2.1])
    array([ True, False])
    """
    if is_symbolic(a) or is_symbolic(b):
        # nd.jit or graph values: NumPy's isclose as an op, run when the plan runs (a
        # Python number stays one: NumPy's weak scalar, as eager's)
        names = tuple(n for n, v in (("a", a), ("b", b)) if is_array(v) or is_symbolic(v))
        kw = {n: v for n, v in (("a", a), ("b", b)) if n not in names}
        return apply(_ISCLOSE, tuple(v for n, v in (("a", a), ("b", b)) if n in names),
                     {"_rest": (), "_kw": dict(kw, names=names, rtol=rtol, atol=atol,
                                              equal_nan=equal_nan)})
    like = a if is_array(a) else b if is_array(b) else None
    return wrap_result(np.isclose(_host_operand(a), _host_operand(b), rtol=rtol, atol=atol,
                                  equal_nan=equal_nan), like=like)


def _isclose_named(*arrays, names, **kw):
    """NumPy's isclose with its array operands given by name (``a``, ``b``)."""
    return np.isclose(**dict(zip(names, arrays)), **kw)


_ISCLOSE = make_host_op("isclose", _isclose_named)


def _host_operand(x):
    """An operand for NumPy's own function: an array's values; a Python number as it is
    (NumPy's weak scalar: ``isclose(float32(1), 0.9999999999999998, atol=0, rtol=0)`` is
    True in float32, and was False compared as a float64 array)."""
    if type(x) in (bool, int, float, complex):
        return x
    return to_numpy(x if is_array(x) else arr(x))


def allclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    """Whether all elements are close (a Python bool).

    >>> import ndgrad as np
    >>> np.allclose([1.0, 2.0], [1.0, 2.0 + 1e-9])
    True
    """
    return bool(np.allclose(_host_operand(a), _host_operand(b), rtol=rtol, atol=atol,
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


def iscomplexobj(x):
    """Whether ``x`` has a complex dtype.

    >>> import ndgrad as np
    >>> np.iscomplexobj([1j])
    True
    """
    d = getattr(x, "dtype", None)
    if isinstance(d, np.dtype):
        return d.kind == "c"
    # (NumPy's rule for any other object: strings and None too, and a duck ``dtype`` that is
    # a Python type or has a ``.type``, as pandas' dtypes)
    return np.iscomplexobj(x)


def isrealobj(x):
    """Whether ``x`` has a non-complex dtype.

    >>> import ndgrad as np
    >>> np.isrealobj([1.0])
    True
    """
    return not iscomplexobj(x)


def isscalar(element):
    """Whether ``element`` is a scalar, as NumPy: a 0-d array is not, and a 0-d ndgrad
    value standing for NumPy's scalar (``np.sum(x)``, ``np.quantile(x, 0.5)``, which
    NumPy returns as ``np.float64``) is.

    >>> import ndgrad as np
    >>> np.isscalar(3.0), np.isscalar(np.asarray(3.0)), np.isscalar(np.sum(np.ones(2)))
    (True, False, True)
    """
    if is_array(element):
        return _registry.stands_for_scalar(element)
    return np.isscalar(element)


def isfortran(a):
    """Whether ``a`` is Fortran-contiguous and not C-contiguous (NumPy's test).

    >>> import ndgrad as np
    >>> np.isfortran(np.eye(2)), np.isfortran(np.eye(2, order='F'))
    (False, True)
    """
    if not is_array(a) and not is_symbolic(a):
        # NumPy's own answer for its arrays and scalars, and its AttributeError
        # ('list' object has no attribute 'flags') for anything else
        return bool(np.isfortran(a))
    # (an nd.jit value has no memory layout: reading its memory raises nd.jit's error,
    # unless it is a constant of the trace)
    d = a._data
    return type(d) is np.ndarray and bool(np.isfortran(d))


__all__ += ["fabs", "exp2", "cbrt", "float_power", "logaddexp2", "fmax", "fmin", "fmod",
            "divmod", "modf", "ldexp", "frexp", "deg2rad", "rad2deg", "radians", "degrees",
            "rint", "angle", "real", "imag", "nan_to_num", "real_if_close", "isclose",
            "allclose", "array_equal", "array_equiv", "isneginf", "isposinf", "isreal",
            "iscomplex", "heaviside", "gcd", "lcm", "spacing", "bitwise_count", "iscomplexobj",
            "isrealobj", "isscalar", "isfortran"]

"""Where ndgrad's NumPy face departs from NumPy on purpose: one table, a reason each.

Every other result of a NumPy name has NumPy's value, dtype and shape; the differential
test (``tests/numpy/test_differential.py``) checks that, and for the calls this table
names it checks the rule written here instead of NumPy's. Each departure is one the
Python array API standard requires (ndgrad is also a conformant array API namespace, and
the conformance suite checks these cases); the README's "Where ndgrad departs from NumPy"
section is this table in words.

>>> from ndgrad._numpy.departures import DEPARTURES
>>> sorted(DEPARTURES)
['argsort', 'expm1', 'floor_divide', 'linalg.eig', 'linalg.eigvals']
"""
from __future__ import annotations

import warnings

import numpy as np


def _has_inf(*xs):
    with np.errstate(all="ignore"):
        return any(np.any(np.isinf(np.asarray(x))) for x in xs
                   if np.asarray(x).dtype.kind in "fc")


def _has_inf_in(dtype, *xs):
    """Whether an operand is infinite once cast to the loop's ``dtype`` (dtype= with
    casting='unsafe': int32's -2**31 is -inf in float16, a complex operand its real
    part)."""
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return any(np.any(np.isinf(np.asarray(x).astype(dtype))) for x in xs)


def _loop_has_inf(args):
    """Whether the operands of a call without dtype= run a real floating loop in which
    one of them is infinite: NumPy's promotion picks the loop (a Python int is weak:
    beside float16 it runs the float16 loop, where -2**31 or 2**70 is infinite)."""
    try:
        dt = np.result_type(*args)
    except (TypeError, OverflowError, ValueError):
        return _has_inf(*args) and _real_float_result("floor_divide", *args)
    return dt.kind == "f" and _has_inf_in(dt, *args)


def _real_float_result(name, *xs):
    try:
        return np.result_type(*[x if hasattr(x, "dtype") else type(x) for x in xs],
                              *(() if name != "floor_divide" else ())).kind == "f"
    except TypeError:
        return False


def _floor_divide_rule(x1, x2, out=None, where=True, **kw):
    """NumPy's floor_divide, except with an infinite operand: x1 / x2 (the standard's
    preferred special cases, floor(x1 / x2): 1 // -inf is -0.0, where NumPy, like Python's
    float //, gives -1.0; the standard's notes allow Python's values, the conformance
    suite checks the preferred ones). Computed in
    the loop's dtype, then cast into ``out`` (never in ``out``'s dtype: a float64 tiny
    divided by 0 is inf, even when ``out`` is float32, where tiny would be 0)."""
    with np.errstate(all="ignore"):
        if out is not None:  # NumPy's casting errors for out=
            np.floor_divide(x1, x2, out=out, where=where, **kw)
        q = np.floor_divide(x1, x2, **kw)
        if q.dtype.kind == "f":
            a1, a2 = np.asarray(x1, dtype=q.dtype), np.asarray(x2, dtype=q.dtype)
            q = np.where(np.isinf(a1) | np.isinf(a2), np.true_divide(a1, a2, **kw), q)[()]
        if out is None:
            return q
        np.copyto(out, q, casting="unsafe", where=where)
        return out


def _expm1_rule(x, **kw):
    """NumPy's expm1, except for complex input that is zero or not finite: exp(x) - 1
    (the standard's special cases; NumPy gives nan+nanj for every non-finite input)."""
    with np.errstate(all="ignore"):
        y = np.expm1(x, **kw)
        if np.asarray(y).dtype.kind != "c":
            return y
        xc = np.asarray(x, dtype=np.asarray(y).dtype)
        return np.where(np.isfinite(xc) & (xc != 0), y, np.exp(xc) - 1)[()]


def _complex_result(x, dtype=None, **kw):
    return np.dtype(dtype if dtype is not None else np.asarray(x).dtype).kind == "c"


def _eig_rule(a):
    w, v = np.linalg.eig(a)
    c = np.result_type(w.dtype, np.complex64)
    return w.astype(c), v.astype(c)


def _eigvals_rule(a):
    w = np.linalg.eigvals(a)
    return w.astype(np.result_type(w.dtype, np.complex64))


def _argsort_rule(a, axis=-1, **kw):
    return np.argsort(a, axis=axis, kind="stable", **kw)


# function -> reason (why ndgrad departs), inputs (the calls concerned, in words),
# applies(args, kwargs) -> bool, rule(*args, **kwargs) -> the expected result
DEPARTURES: dict = {
    "floor_divide": {
        "reason": "the array API standard's special cases for infinite operands "
                  "(x // +-inf and +-inf // x follow x / y: 1.0 // -inf is -0.0; NumPy: -1.0)",
        "inputs": "real floating results with an infinite operand",
        "applies": lambda args, kw: (
            # the loop's dtype: dtype= when given (complex inf with dtype=float64 and
            # casting='unsafe' runs the float64 loop; an int too large for float16 is
            # inf there), else the operands' promotion
            np.dtype(kw["dtype"]).kind == "f" and _has_inf_in(kw["dtype"], *args)
            if kw.get("dtype") is not None
            else _loop_has_inf(args)),
        "rule": _floor_divide_rule,
    },
    "expm1": {
        "reason": "the array API standard's complex special cases (expm1(-0+0j) is +0+0j, "
                  "expm1(+inf+0j) is +inf+0j; NumPy: -0+0j and inf+nanj)",
        "inputs": "complex input (or dtype=complex) that is zero or not finite",
        "applies": lambda args, kw: _complex_result(*args, **kw),
        "rule": _expm1_rule,
    },
    "argsort": {
        "reason": "the array API standard's argsort is stable by default (equal keys keep "
                  "their order); NumPy's default leaves the order of equal keys unspecified",
        "inputs": "arrays with equal keys (or several NaNs), without kind= or stable=",
        "applies": lambda args, kw: "kind" not in kw and "stable" not in kw,
        "rule": _argsort_rule,
    },
    "linalg.eig": {
        "reason": "the array API standard returns complex eigenvalues and eigenvectors "
                  "always; NumPy returns real ones when every eigenvalue is real",
        "inputs": "real matrices with only real eigenvalues",
        "applies": lambda args, kw: True,
        "rule": _eig_rule,
    },
    "linalg.eigvals": {
        "reason": "as linalg.eig: always complex (the standard)",
        "inputs": "real matrices with only real eigenvalues",
        "applies": lambda args, kw: True,
        "rule": _eigvals_rule,
    },
}


def departure_for(name, args, kwargs):
    """The table's entry for this call, or None when NumPy's result is the rule."""
    d = DEPARTURES.get(name)
    if d is not None and d["applies"](args, kwargs):
        return d
    return None

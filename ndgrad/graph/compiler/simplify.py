"""Algebraic simplification that changes no bit of any result: a broadcast
(``broadcast_like``, ``broadcast_to``) that only feeds elementwise ufuncs is left to
their own broadcasting, ``x * 1`` and ``x ** 1`` are ``x``, and a select of zeros
(``where(mask, g, 0.0)``, the gradient of relu and maximum) is an integer multiply by
the mask. Steps decided by constants and static shapes alone become constants (a small
``broadcast_like(1.0, x)``, a sum's gradient seed; ``logical_and(False, x)``), and a
``where`` on a constant condition is the operand it picks (``pow``'s gradient guards
``0 ** 0`` with both where the exponent is a nonzero constant).

Both rewrites are exact on NumPy's semantics: an elementwise ufunc of a broadcast
operand equals the ufunc of the operand itself when the result's shape is set by the
other operands (the result dtype does not depend on shapes: NEP 50); ``x * 1`` is ``x``
bit for bit for real x (NaN, inf and -0.0 included) when the product keeps x's dtype and
shape. Gradient graphs are full of both (``broadcast_like(1.0, x)`` seeds a sum's
gradient), and each costs a pass over memory on big arrays.

``where(c, a, 0)`` with a boolean ``c`` keeps ``a``'s bits where ``c`` holds and puts
zero bits elsewhere: the product of ``a``'s bits, read as unsigned integers of its
width, with ``c`` (0 or 1) is exactly that, for every value of ``a`` (NaN, inf, -0.0).
NumPy's ``where`` branches per element (about 3.5 ns each on a random mask, ~12x the
multiply), and a relu's mask is random. Only a positive zero qualifies (its bits are
all zero), and only where the zero does not change the result's dtype; the step checks
the operands' types and dtypes per run and calls ``where`` otherwise.
"""
from __future__ import annotations

import numpy as np

from ..._backend import numpy_backend
from .direct import direct_fn, is_ufunc_step, op_name

_npx = numpy_backend.xp


def _static_shape(plan, s):
    if s in plan.known:
        return np.shape(plan.template[s])
    t = plan.slot_tensor.get(s)
    if t is None or t._shape is None or None in t._shape:
        return None
    return tuple(t._shape)


def _static_dtype(plan, s):
    if s in plan.known:
        v = plan.template[s]
        return v.dtype if isinstance(v, (np.ndarray, np.generic)) else None
    t = plan.slot_tensor.get(s)
    return None if t is None else t._np_dtype


# shape-only ops: {registry name: position of the operand whose shape (and dtype) alone
# they read}
_SHAPE_ONLY = {"broadcast_like": 1, "ones_like_dynamic": 0, "zeros_like_dynamic": 0}
# the most elements a shape-only op's result may have to become a constant (a constant
# stays in the plan's memory, and what folding makes of it too)
_SHAPE_ONLY_MAX = 4096


def _all_of(value, truth):
    """Whether every element of a known value is ``truth`` (as a condition)."""
    try:
        a = np.asarray(value)
    except Exception:
        return False
    if a.dtype.kind not in "biuf" or a.size == 0:
        return False
    b = a.astype(bool)
    return bool(b.all()) if truth else not b.any()


def _shape_only_and_known_conditions(plan, fetched):
    """Rules 0, 4 and 5 (see ``simplify``): steps whose value the known constants and the
    static shapes decide become constants; selects on a known condition become aliases.
    Returns (rewrites, {slot: slot it aliases})."""
    known = plan.known
    n = 0
    alias = {}
    kept = []
    for st in plan.steps:
        st = st[:2] + (tuple(alias.get(j, j) for j in st[2]),) + st[3:]
        name = op_name(st) if st[0] == 0 and st[5] not in plan.anchored else None
        out = st[4]
        if name in _SHAPE_ONLY and out not in fetched:
            k = _SHAPE_ONLY[name]
            ref = st[2][k]
            shape, dt = _static_shape(plan, ref), _static_dtype(plan, ref)
            if shape is not None and dt is not None and ref not in known and all(
                    j in known for m, j in enumerate(st[2]) if m != k) and \
                    int(np.prod(shape)) <= _SHAPE_ONLY_MAX:
                args = [np.empty(shape, dt) if m == k else plan.template[j]
                        for m, j in enumerate(st[2])]
                try:
                    v = st[1](_npx, *args, **st[3])
                except Exception:
                    v = None       # (the run reports the error where it happens)
                if v is not None and np.shape(v) == _static_shape(plan, out):
                    plan.template[out] = v
                    known.add(out)
                    n += 1
                    continue
        elif name in ("logical_and", "logical_or") and out not in fetched:
            # and(False, x) / or(True, x): decided by the known operand alone
            absorbing = name == "logical_or"
            shape = _static_shape(plan, out)
            if shape is not None and _static_dtype(plan, out) == np.bool_ and any(
                    j in known and _all_of(plan.template[j], absorbing) for j in st[2]):
                # (a broadcast view: no memory however large)
                plan.template[out] = np.broadcast_to(np.bool_(absorbing), shape)
                known.add(out)
                n += 1
                continue
        elif name == "where" and out not in fetched and st[2][0] in known:
            c, a, b = st[2]
            for pick, truth in ((a, True), (b, False)):
                if _all_of(plan.template[c], truth) and pick not in known and \
                        _static_shape(plan, pick) is not None and \
                        _static_shape(plan, pick) == _static_shape(plan, out) and \
                        _static_dtype(plan, pick) == _static_dtype(plan, out):
                    alias[out] = pick
                    break
            if out in alias:
                n += 1
                continue
        kept.append(st)
    plan.steps = kept
    return n, alias


def simplify(plan):
    """Rewrite the plan's steps in place; returns the number of rewrites."""
    fetched = {s for s in plan.fetch_slots if s is not None}
    # 0. a shape-only op (broadcast_like(1.0, x): a sum's gradient seed) of known
    #    operands and a shape operand of known static shape and dtype: a constant
    # 4. logical_and(all-False constant, x), logical_or(all-True constant, x): a constant
    # 5. where(all-True constant, a, b) is a, where(all-False constant, a, b) is b (when
    #    the result keeps that operand's dtype and shape)
    n, alias = _shape_only_and_known_conditions(plan, fetched)
    # 1. broadcast_like(g, ref) or broadcast_to(g, shape) (a sum's gradient) read by
    #    elementwise ufuncs: read g instead
    bcast = {}
    for st in plan.steps:
        if op_name(st) in ("broadcast_like", "broadcast_to") and st[0] == 0:
            bcast[st[4]] = st[2][0]
    steps = list(plan.steps)
    if bcast:
        for i, st in enumerate(steps):
            if not is_ufunc_step(st) or direct_fn(st).signature is not None or \
                    not any(j in bcast for j in st[2]):
                # (a generalized ufunc -- matmul -- reads its operands' core dimensions:
                # fed the seed un-broadcast, nd.jit(nd.grad) of sum(A @ C) raised, and of
                # a sum over cholesky's rows gave a wrong gradient)
                continue
            out_shape = _static_shape(plan, st[4])
            if out_shape is None:
                continue
            idx = list(st[2])
            for k, j in enumerate(idx):
                if j not in bcast:
                    continue
                others = [_static_shape(plan, o) for m, o in enumerate(idx) if m != k]
                if any(o is None for o in others):
                    continue
                try:
                    rest = np.broadcast_shapes(*others) if others else ()
                except ValueError:
                    continue
                if rest == out_shape:
                    idx[k] = bcast[j]
                    n += 1
            steps[i] = st[:2] + (tuple(idx),) + st[3:]
    # 2. x * 1 (a known all-ones real constant) that keeps x's dtype and shape: x;
    #    x ** 1 (a 0-d constant one; pow's gradient x ** (2 - 1)) likewise
    #    (``_power_of_one``)
    kept = []
    for st in steps:
        st = st[:2] + (tuple(alias.get(j, j) for j in st[2]),) + st[3:]
        if op_name(st) == "multiply" and is_ufunc_step(st) and st[4] not in fetched:
            a, b = st[2]
            for x, one in ((a, b), (b, a)):
                if one not in plan.known or x == one:
                    continue
                c = plan.template[one]
                if type(c) is bool or not isinstance(c, (int, float, np.ndarray, np.generic)):
                    continue
                c = np.asarray(c)
                if c.dtype.kind not in "iuf" or not (c == 1).all():
                    continue
                xd = _static_dtype(plan, x)
                if xd is None or xd.kind not in "iuf" or \
                        _static_dtype(plan, st[4]) != xd or \
                        _static_shape(plan, x) is None or \
                        _static_shape(plan, x) != _static_shape(plan, st[4]):
                    continue
                alias[st[4]] = x
                n += 1
                break
            if st[4] in alias:
                continue
        elif op_name(st) in ("pow", "power", "tf.pow") and is_ufunc_step(st) and \
                st[4] not in fetched and _power_of_one(plan, st):
            alias[st[4]] = st[2][0]
            n += 1
            continue
        kept.append(st)
    plan.steps = kept
    # 6. a Python number operand of a float ufunc step whose other operands all have the
    #    result's dtype: a 0-d array of that dtype (NEP 50 converts the weak number to
    #    it, the same rounding; NumPy parses a 0-d array operand ~0.2 us faster)
    typed = {}
    numbers = _numbers(plan)
    for i, st in enumerate(plan.steps):
        if not numbers or not any(j in numbers for j in st[2]) or not is_ufunc_step(st):
            continue
        dt = _static_dtype(plan, st[4])
        if dt is None or dt.kind != "f":
            continue
        others = [j for j in st[2] if j not in plan.known]
        if not others or any(_static_dtype(plan, j) != dt for j in others):
            continue
        idx = []
        for j in st[2]:
            if j in numbers:
                key = (j, dt)
                if key not in typed:
                    with np.errstate(all="ignore"):
                        typed[key] = len(plan.template)
                        c = np.array(plan.template[j], dt)
                        c.flags.writeable = False    # (a constant: nothing writes it)
                        plan.template.append(c)
                        plan.known.add(typed[key])
                j = typed[key]
                n += 1
            idx.append(j)
        plan.steps[i] = st[:2] + (tuple(idx),) + st[3:]
    # 3. where(c, a, +0) / where(c, +0, a): an integer multiply by the (boolean) mask
    for i, st in enumerate(plan.steps):
        if op_name(st) != "where" or st[0] != 0 or st[3]:
            continue
        c, a, b = st[2]
        for keep, x, z in ((True, a, b), (False, b, a)):
            if z in plan.known and x not in plan.known and _positive_zero(
                    plan.template[z]) and _static_dtype(plan, c) == np.bool_:
                f = _select_keep if keep else _select_drop
                plan.steps[i] = (st[0], f) + st[2:]
                n += 1
                break
    return n


def _power_of_one(plan, st):
    """Whether step ``st`` is ``power(x, 1)`` that gives ``x`` bit for bit: a 0-d
    exponent constant equal to 1 and ``x`` of float32, float64 or an integer dtype,
    kept by the result (dtype and shape). NumPy's float power loop returns its operand
    itself for a broadcast (stride-0) exponent of 1 (checked over every float32 and a
    sample of float64 bit patterns, NaN payloads included); an integer power by 1 is one
    multiply-free step. An array of ones as the exponent runs the C library's pow per
    element, which quiets signalling NaNs: left as it is, as are float16 and the other
    float types (computed through float32)."""
    x, e = st[2]
    if e not in plan.known or x in plan.known or x == e:
        return False
    c = plan.template[e]
    if type(c) is bool or not isinstance(c, (int, float, np.ndarray, np.generic)) or \
            np.ndim(c) != 0:
        return False
    c = np.asarray(c)
    if c.dtype.kind not in "iuf" or c != 1:
        return False
    xd = _static_dtype(plan, x)
    if xd is None or not (xd.kind in "iu" or xd in _POW_FLOATS) or \
            _static_dtype(plan, st[4]) != xd:
        return False
    shape = _static_shape(plan, x)
    return shape is not None and shape == _static_shape(plan, st[4])


_POW_FLOATS = (np.dtype(np.float32), np.dtype(np.float64))


def _is_number(v):
    """A Python float, or an int every float dtype holds exactly (no double rounding)."""
    return type(v) is float or (type(v) is int and abs(v) <= 2 ** 24)


def _numbers(plan):
    return {j for j in plan.known if _is_number(plan.template[j])}


_UINT = {1: np.uint8, 2: np.uint16, 4: np.uint32, 8: np.uint64}


def _positive_zero(z):
    """A 0-d zero of all-zero bits (0, 0.0, False, 0j; not -0.0) the compiler may
    rely on: a Python number or a NumPy 0-d value."""
    if type(z) in (int, float, complex):
        z = np.asarray(z)
    elif not isinstance(z, (np.ndarray, np.generic)) or np.ndim(z) != 0:
        return False
    return z.dtype.kind in "iufc" and not z.tobytes().strip(b"\0")


def _keeps_dtype(a, z):
    """Whether ``where(c, a, z)`` has ``a``'s dtype (NEP 50: a Python number is weak)."""
    t = type(z)
    if t is float or t is complex:
        return a.dtype.kind in "fc" and (t is float or a.dtype.kind == "c")
    if t is int:
        return a.dtype.kind in "iufc"
    return isinstance(z, (np.ndarray, np.generic)) and z.dtype == a.dtype


# below these many mask elements ``where`` is faster than the multiply (its fixed cost is
# lower; measured on (n,) float32, a random mask)
_KEEP_MIN, _DROP_MIN = 1024, 2048


def _select_by_mask(c, a, z, out=None):
    """``a``'s bits where ``c``, zero bits elsewhere, or None where the integer form
    does not apply (then the caller runs ``where``). ``out``: a dead array the product
    may be written into where it has the operands' shape and ``a``'s dtype (``a``
    itself included: each element is read before it is written)."""
    if type(a) is np.ndarray and type(c) is np.ndarray and c.dtype == np.bool_:
        dt = a.dtype
        u = _UINT.get(dt.itemsize)
        if u is not None and dt.kind in "iufc" and dt.isnative and _keeps_dtype(a, z):
            if type(out) is np.ndarray and out.dtype == dt and \
                    out.shape == a.shape == c.shape:
                np.multiply(a.view(u), c, out=out.view(u))
                return out
            r = np.multiply(a.view(u), c)
            if type(r) is np.ndarray:
                return r.view(dt)
    return None


def _select_keep(xp, c, a, z, out=None):
    """``where(c, a, z)`` for a positive zero ``z``: ``a``'s bits times the mask (into
    ``out`` where given and it applies)."""
    r = None if type(c) is not np.ndarray or c.size < _KEEP_MIN else \
        _select_by_mask(c, a, z, out)
    return xp.where(c, a, z) if r is None else r


def _select_drop(xp, c, z, a, out=None):
    """``where(c, z, a)`` for a positive zero ``z``: ``a``'s bits times ``not c``."""
    r = None
    if type(c) is np.ndarray and c.dtype == np.bool_ and c.size >= _DROP_MIN:
        r = _select_by_mask(np.logical_not(c), a, z, out)
    return xp.where(c, z, a) if r is None else r


# the operand whose dead buffer may take the result (``reuse``: ``out=``); the selects
# read their operands without making views and give new arrays (or ``out``)
_select_keep.out_operand = 1
_select_drop.out_operand = 2


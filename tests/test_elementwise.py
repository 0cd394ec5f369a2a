"""Elementwise functions, driven by the tables in ndgrad/_ops/elementwise.py: a row added
there is tested here without editing this file (values, dtype and shape against NumPy,
broadcasting, Python scalars, gradients or their absence), plus the Array operators and
the JAX conventions for gradients at ties, kinks and guarded branches."""
import math
import operator

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st, HealthCheck
from hypothesis.extra import numpy as hnp

import ndgrad as nd
from helpers import host  # noqa: E402  (an explicit copy off any device)
from ndgrad._ops import elementwise as E  # the tables' own functions
from ndgrad._ops.elementwise import UNARY, BINARY

UNARY_ROWS = {name: vjp for name, vjp, _ in UNARY}
BINARY_ROWS = {name: vjp for name, vjp, _ in BINARY}
ALL_ROWS = {**UNARY_ROWS, **BINARY_ROWS, "clip": "differentiable"}


def hsettings(**kw):
    """settings for a @given test that also takes the (stateless) device fixture;
    ``max_examples`` is a budget for the "ci" profile (25), scaled for the others."""
    if "max_examples" in kw:
        kw["max_examples"] = max(1, kw["max_examples"] * settings.default.max_examples // 25)
    return settings(suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow, HealthCheck.data_too_large],
                    **kw)


# -- the NumPy function of the same meaning -----------------------------------------------
NUMPY_NAMES = {"acos": "arccos", "acosh": "arccosh", "asin": "arcsin", "asinh": "arcsinh",
               "atan": "arctan", "atanh": "arctanh", "atan2": "arctan2",
               "bitwise_invert": "invert", "bitwise_left_shift": "left_shift",
               "bitwise_right_shift": "right_shift", "pow": "power"}


def numpy_fn(name):
    return getattr(np, NUMPY_NAMES.get(name, name))


# -- the dtypes each function takes (the standard's categories) ----------------------------
FLOAT = [np.float32, np.float64]
INT = [np.int32, np.int64, np.uint8]
BOOL = [np.bool_]
COMPLEX = [np.complex128]
NUMERIC = FLOAT + INT
ONLY_INT = {"bitwise_left_shift", "bitwise_right_shift"}
INT_OR_BOOL = {"bitwise_invert", "bitwise_and", "bitwise_or", "bitwise_xor"}
ONLY_BOOL = {"logical_not", "logical_and", "logical_or", "logical_xor"}
NUMERIC_FUNCS = {"abs", "ceil", "floor", "round", "trunc", "sign", "negative", "positive",
                 "square", "isfinite", "isinf", "isnan", "add", "subtract", "multiply",
                 "floor_divide", "remainder", "maximum", "minimum", "pow", "less",
                 "less_equal", "greater", "greater_equal", "clip"}
EQUALITY = {"equal", "not_equal"}  # numeric and bool
COMPLEX_PARTS = {"real", "imag", "conj"}


def dtypes_for(name, device):
    if name in ONLY_INT:
        return INT
    if name in INT_OR_BOOL:
        return INT + BOOL
    if name in ONLY_BOOL:
        return BOOL
    if name in NUMERIC_FUNCS:
        return NUMERIC
    if name in EQUALITY:
        return NUMERIC + BOOL
    if name in COMPLEX_PARTS:
        # the standard: real/conj numeric, imag complex; NumPy takes real input for all
        return COMPLEX if (name == "imag" and device == "strict") else FLOAT + COMPLEX
    if name == "divide" and device == "cpu":
        return NUMERIC  # NumPy's true division of integers gives float64
    return FLOAT  # every other row takes floating-point input


SPECIAL_FLOATS = [0.0, -0.0, 1.0, -1.0, 0.5, math.inf, -math.inf, math.nan]
# rows whose forward is a visible exception to the table, where ndgrad follows the
# standard's special cases instead of NumPy (non-finite operands): compared with NumPy on
# finite values only
STANDARD_SPECIALS = set(getattr(E, "EXCEPTIONS", {}))


def _specials(name):
    if name in STANDARD_SPECIALS:
        return [v for v in SPECIAL_FLOATS if math.isfinite(v)]
    return SPECIAL_FLOATS


def elements(dtype, name=None, role=0):
    """Values for argument ``role`` of ``name``: NumPy-defined everywhere (no integer
    powers with negative exponents, shifts by less than the width, no integer division
    by zero)."""
    dt = np.dtype(dtype)
    if dt.kind == "b":
        return st.booleans()
    if dt.kind in "iu":
        lo = 0 if dt.kind == "u" else -20
        if name == "pow":
            return st.integers(0 if dt.kind == "u" else -4, 4) if role == 0 \
                else st.integers(0, 4)
        if name in ONLY_INT and role == 1:
            return st.integers(0, 6)
        if name in ("floor_divide", "remainder", "divide") and role == 1:
            return st.integers(1, 7) | st.integers(lo, -1) if lo else st.integers(1, 7)
        return st.integers(lo, 20)
    width = 32 if dt in (np.float32, np.complex64) else 64
    real = st.floats(-10, 10, width=width) | st.sampled_from(_specials(name))
    if dt.kind == "c":
        return st.builds(complex, real, real)
    return real


def draw_array(data, dtype, shape, name=None, role=0):
    return data.draw(hnp.arrays(dtype, shape, elements=elements(dtype, name, role)),
                     label=f"x{role + 1}")


def same(res, expected, device):
    """``res`` equals NumPy's ``expected``: values (NaN == NaN), dtype and shape."""
    expected = host(expected)
    assert isinstance(res, nd.Array), type(res)
    assert res.dtype == expected.dtype, (res.dtype, expected.dtype)
    assert res.shape == expected.shape, (res.shape, expected.shape)
    np.testing.assert_array_equal(host(res), expected)


def call_numpy(fn, *args):
    with np.errstate(all="ignore"):
        return fn(*args)


def call_nd(fn, *args):
    with np.errstate(all="ignore"):
        return fn(*args)


# -- values, dtypes and shapes against NumPy ----------------------------------------------
@pytest.mark.parametrize("name", sorted(UNARY_ROWS))
@hsettings(max_examples=8)
@given(data=st.data())
def test_unary_matches_numpy(device, name, data):
    dtype = data.draw(st.sampled_from(dtypes_for(name, device)), label="dtype")
    a = draw_array(data, dtype, hnp.array_shapes(min_dims=0, max_dims=3, max_side=4), name)
    res = call_nd(getattr(E, name), nd.asarray(a, device=device))
    same(res, call_numpy(numpy_fn(name), a), device)


@pytest.mark.parametrize("name", sorted(BINARY_ROWS))
@hsettings(max_examples=8)
@given(data=st.data())
def test_binary_matches_numpy_with_broadcasting(device, name, data):
    dtype = data.draw(st.sampled_from(dtypes_for(name, device)), label="dtype")
    s1, s2 = data.draw(hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=3,
                                                          max_side=4), label="shapes").input_shapes
    a = draw_array(data, dtype, s1, name, 0)
    b = draw_array(data, dtype, s2, name, 1)
    res = call_nd(getattr(E, name), nd.asarray(a, device=device), nd.asarray(b, device=device))
    want = call_numpy(numpy_fn(name), a, b)
    if device == "strict" and name == "pow" and (np.ndim(a) == 0) != (np.ndim(b) == 0):
        # array_api_strict makes a 0-d operand beside an array 1-d before calling NumPy,
        # and NumPy's float32 power differs between its loops: (-inf) ** 0.5 is inf from
        # a 0-d (broadcast) base and nan from a 1-d one (its SIMD loop), a NumPy quirk
        # (found by a random run); either of NumPy's answers is NumPy's
        alt = call_numpy(numpy_fn(name), *[np.reshape(v, (1,)) if np.ndim(v) == 0 else v
                                           for v in (a, b)])
        if not isinstance(alt, Exception) and np.shape(alt) == np.shape(want):
            try:
                same(res, alt, device)
                return
            except AssertionError:
                pass
    same(res, want, device)


def _scalar_for(dtype, name, role):
    """A Python scalar of the array's kind (the standard's rule; NumPy 2 promotes it
    weakly, keeping the array's dtype)."""
    kind = np.dtype(dtype).kind
    if kind == "b":
        return st.booleans()
    if kind in "iu":
        return elements(np.int8 if kind == "i" else np.uint8, name, role)
    return st.floats(-10, 10) | st.sampled_from(
        [0.0, 2.0] + ([math.inf] if name not in STANDARD_SPECIALS else []))


@pytest.mark.parametrize("name", sorted(BINARY_ROWS))
@hsettings(max_examples=6)
@given(data=st.data())
def test_binary_python_scalars(device, name, data):
    dtype = data.draw(st.sampled_from(dtypes_for(name, device)), label="dtype")
    f = getattr(E, name)
    shape = data.draw(hnp.array_shapes(min_dims=0, max_dims=2, max_side=3))
    a = draw_array(data, dtype, shape, name, 0)
    s = data.draw(_scalar_for(dtype, name, 1), label="scalar")
    x = nd.asarray(a, device=device)
    same(call_nd(f, x, s), call_numpy(numpy_fn(name), a, s), device)
    b = draw_array(data, dtype, shape, name, 1)
    s0 = data.draw(_scalar_for(dtype, name, 0), label="scalar0")
    same(call_nd(f, s0, nd.asarray(b, device=device)), call_numpy(numpy_fn(name), s0, b),
         device)


@pytest.mark.parametrize("name", sorted(n for n in BINARY_ROWS
                                         if np.int32 in dtypes_for(n, "cpu")))
def test_binary_mixed_kind_scalar_on_numpy(name):
    # beyond the standard, NumPy's promotion: an integer array with a float scalar
    a = host([1, 2, 3], dtype=np.int32)
    try:
        expected = call_numpy(numpy_fn(name), a, 2.5)
    except TypeError:  # bitwise functions refuse floats
        with pytest.raises(TypeError):
            getattr(E, name)(nd.asarray(a), 2.5)
        return
    same(call_nd(getattr(E, name), nd.asarray(a), 2.5), expected, "cpu")


@hsettings(max_examples=10)
@given(data=st.data())
def test_clip_matches_numpy(device, data):
    dtype = data.draw(st.sampled_from(dtypes_for("clip", device)), label="dtype")
    a = draw_array(data, dtype, hnp.array_shapes(min_dims=0, max_dims=2, max_side=4))
    lo = data.draw(st.none() | st.integers(0, 5), label="min")
    hi = data.draw(st.none() | st.integers(5, 10), label="max")
    if np.dtype(dtype).kind == "f" and data.draw(st.booleans()):
        lo = None if lo is None else float(lo)
        hi = None if hi is None else float(hi)
    x = nd.asarray(a, device=device)
    same(E.clip(x, lo, hi), np.clip(a, lo, hi), device)
    same(E.clip(x, min=lo), np.clip(a, lo, None), device)
    # array bounds broadcast against x
    lo_a = host([0, 1], dtype=dtype)[:1]
    same(E.clip(x, nd.asarray(lo_a, device=device), hi), np.clip(a, lo_a, hi), device)


# -- the Array operators ---------------------------------------------------------------
ARITH = ["+", "-", "*", "/", "//", "%", "**"]
BITWISE = ["&", "|", "^", "<<", ">>"]
COMPARE = ["<", "<=", "==", "!=", ">=", ">"]
OPS = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv,
       "//": operator.floordiv, "%": operator.mod, "**": operator.pow, "@": operator.matmul,
       "&": operator.and_, "|": operator.or_, "^": operator.xor, "<<": operator.lshift,
       ">>": operator.rshift, "<": operator.lt, "<=": operator.le, "==": operator.eq,
       "!=": operator.ne, ">=": operator.ge, ">": operator.gt}
IOPS = {"+": operator.iadd, "-": operator.isub, "*": operator.imul, "/": operator.itruediv,
        "//": operator.ifloordiv, "%": operator.imod, "**": operator.ipow,
        "@": operator.imatmul, "&": operator.iand, "|": operator.ior, "^": operator.ixor,
        "<<": operator.ilshift, ">>": operator.irshift}
# the table row each operator applies (for its argument domains)
OP_ROW = {"+": "add", "-": "subtract", "*": "multiply", "/": "divide", "//": "floor_divide",
          "%": "remainder", "**": "pow", "&": "bitwise_and", "|": "bitwise_or",
          "^": "bitwise_xor", "<<": "bitwise_left_shift", ">>": "bitwise_right_shift",
          "<": "less", "<=": "less_equal", "==": "equal", "!=": "not_equal",
          ">=": "greater_equal", ">": "greater"}


def _op_dtypes(sym, device):
    if sym in BITWISE:
        return INT if sym in ("<<", ">>") else INT + BOOL
    if sym == "/" and device == "strict":
        return FLOAT
    return FLOAT + INT


@pytest.mark.parametrize("sym", ARITH + BITWISE + COMPARE)
@hsettings(max_examples=8)
@given(data=st.data())
def test_operators(device, sym, data):
    row = OP_ROW[sym]
    dtype = data.draw(st.sampled_from(_op_dtypes(sym, device)), label="dtype")
    s1, s2 = data.draw(hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=2,
                                                          max_side=3)).input_shapes
    a = draw_array(data, dtype, s1, row, 0)
    b = draw_array(data, dtype, s2, row, 1)
    x, y = nd.asarray(a, device=device), nd.asarray(b, device=device)
    op = OPS[sym]
    same(call_nd(op, x, y), call_numpy(op, a, b), device)
    # reflected: a Python scalar on the left
    s = data.draw(_scalar_for(dtype, row, 0), label="scalar")
    same(call_nd(op, s, y), call_numpy(op, s, b), device)
    same(call_nd(op, x, s if sym not in ("<<", ">>", "**") else 1),
         call_numpy(op, a, s if sym not in ("<<", ">>", "**") else 1), device)


@pytest.mark.parametrize("sym", ARITH + BITWISE)
@hsettings(max_examples=6)
@given(data=st.data())
def test_inplace_operators(device, sym, data):
    row = OP_ROW[sym]
    dtypes = [d for d in _op_dtypes(sym, device) if not (sym == "/" and d not in FLOAT)]
    dtype = data.draw(st.sampled_from(dtypes), label="dtype")
    shape = data.draw(hnp.array_shapes(min_dims=1, max_dims=2, max_side=3))
    a = draw_array(data, dtype, shape, row, 0)
    b = draw_array(data, dtype, shape[1:], row, 1)  # broadcasts into a
    x = nd.asarray(a.copy(), device=device)
    before = x
    res = call_nd(IOPS[sym], x, nd.asarray(b, device=device))
    expected = a.copy()
    call_numpy(IOPS[sym], expected, b)
    assert res is before  # in place: the same Array
    same(res, expected, device)


def test_matmul_operator(device):
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((2, 3)), rng.standard_normal((3, 3))
    x, y = nd.asarray(a.copy(), device=device), nd.asarray(b, device=device)
    np.testing.assert_allclose(host(x @ y), a @ b)
    np.testing.assert_allclose(host(y.__rmatmul__(x)), a @ b)
    x @= y
    np.testing.assert_allclose(host(x), a @ b)
    assert (x @ y).dtype == nd.float64


@pytest.mark.parametrize("dtype", FLOAT + INT + BOOL)
def test_unary_operators(device, dtype):
    a = host([1, 0, 3], dtype=dtype)
    x = nd.asarray(a, device=device)
    if np.dtype(dtype).kind != "b":
        same(-x, -a, device)
        same(+x, +a, device)
        same(abs(x), abs(a), device)
    if np.dtype(dtype).kind in "iub":
        same(~x, ~a, device)


def test_inplace_keeps_dtype_or_refuses():
    x = nd.asarray(host([1, 2], dtype=np.int32))
    x += 1
    assert x.dtype == nd.int32
    with pytest.raises(TypeError):
        x /= 2


# -- gradients --------------------------------------------------------------------------
def _floats(lo, hi):
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False)


def _away(gap, hi):
    """|v| in [gap, hi]: away from a kink at zero."""
    return _floats(gap, hi) | _floats(-hi, -gap)


# the values each differentiable row is smooth on (default: [-2, 2])
UNARY_DOMAIN = {
    "abs": _away(0.2, 2), "acos": _floats(-0.9, 0.9), "asin": _floats(-0.9, 0.9),
    "atanh": _floats(-0.9, 0.9), "acosh": _floats(1.2, 4), "log": _floats(0.2, 4),
    "log2": _floats(0.2, 4), "log10": _floats(0.2, 4), "log1p": _floats(-0.8, 4),
    "sqrt": _floats(0.2, 4), "reciprocal": _away(0.3, 3), "tan": _floats(-1.2, 1.2),
    "sign": _away(0.2, 2),
}
X_SHAPE, Y_SHAPE = (2, 1), (3,)  # binary gradients are checked through broadcasting


def _pair(ex, ey):
    def draw(data):
        return (data.draw(hnp.arrays(np.float64, X_SHAPE, elements=ex), label="x1"),
                data.draw(hnp.arrays(np.float64, Y_SHAPE, elements=ey), label="x2"))
    return draw


def _no_ties(data):
    # x near even integers, y near odd ones: |x - y| >= 0.4 for every broadcast pair
    k = st.integers(-1, 1)
    u = _floats(-0.3, 0.3)
    x = data.draw(hnp.arrays(np.float64, X_SHAPE, elements=st.builds(
        lambda k, u: 2 * k + u, k, u)))
    y = data.draw(hnp.arrays(np.float64, Y_SHAPE, elements=st.builds(
        lambda k, u: 2 * k + 1 + u, k, u)))
    return x, y


def _remainder_domain(data):
    # one divisor (broadcast), dividends whose quotient is 0.1 away from an integer
    y = data.draw(_floats(1.0, 2.0))
    q = data.draw(hnp.arrays(np.float64, (2, 3), elements=st.builds(
        lambda k, f: k + f, st.integers(-2, 2), _floats(0.1, 0.9))))
    return q * y, host([y])


BINARY_DOMAIN = {
    "divide": _pair(_floats(-2, 2), _away(0.5, 2)),
    "pow": _pair(_floats(0.3, 2), _floats(-2, 2)),
    "hypot": _pair(_away(0.2, 2), _away(0.2, 2)),
    "atan2": _pair(_floats(-2, 2), _floats(0.2, 2)),
    "copysign": _pair(_away(0.2, 2), _away(0.2, 2)),
    "maximum": _no_ties,
    "minimum": _no_ties,
    "remainder": _remainder_domain,
}
# (imag's rule is for complex input, which the standard's imag requires: it is checked
# with complex draws in test_grad_fuzz.py)
DIFF_UNARY = sorted(n for n, v in UNARY_ROWS.items() if callable(v) and n != "imag")
DIFF_BINARY = sorted(n for n, v in BINARY_ROWS.items() if callable(v))
NONDIFF = sorted(n for n, v in {**UNARY_ROWS, **BINARY_ROWS}.items() if not callable(v))


@pytest.mark.parametrize("name", DIFF_UNARY)
@hsettings(max_examples=2)
@given(data=st.data())
def test_unary_gradients(device, name, data):
    a = data.draw(hnp.arrays(np.float64, (3,), elements=UNARY_DOMAIN.get(
        name, _floats(-2, 2))))
    nd.check_grads(getattr(E, name), nd.asarray(a, device=device), order=2)


@pytest.mark.parametrize("name", DIFF_BINARY)
@hsettings(max_examples=2)
@given(data=st.data())
def test_binary_gradients(device, name, data):
    a, b = BINARY_DOMAIN.get(name, _pair(_floats(-2, 2), _floats(-2, 2)))(data)
    f = getattr(E, name)
    x, y = nd.asarray(a, device=device), nd.asarray(b, device=device)
    nd.check_grads(f, x, y, order=2)
    # with a Python scalar for either operand
    nd.check_grads(lambda x: f(x, float(b.flat[0])), x, order=1)
    nd.check_grads(lambda y: f(float(a.flat[0]), y), y, order=1)


@hsettings(max_examples=3)
@given(data=st.data())
def test_clip_gradients(device, data):
    x = data.draw(hnp.arrays(np.float64, (4,), elements=_floats(-2, -1.2) |
                             _floats(-0.3, 0.3) | _floats(1.2, 2)))
    lo = data.draw(hnp.arrays(np.float64, (4,), elements=_floats(-1, -0.5)))
    hi = data.draw(hnp.arrays(np.float64, (4,), elements=_floats(0.5, 1)))
    X, L, H = (nd.asarray(v, device=device) for v in (x, lo, hi))
    nd.check_grads(E.clip, X, L, H, order=2)
    nd.check_grads(lambda x: E.clip(x, -0.75, 0.75), X, order=2)
    nd.check_grads(lambda x, h: E.clip(x, None, h), X, H, order=2)
    g = nd.grad(lambda x: nd.sum(E.clip(x, -0.75, 0.75)))(X)
    np.testing.assert_array_equal(host(g), (np.abs(x) < 0.75).astype(float))


@pytest.mark.parametrize("name", DIFF_UNARY + DIFF_BINARY)
def test_differentiable_rows_record(name):
    x = nd.asarray([0.5, 0.7], requires_grad=True)
    args = (x,) if name in UNARY_ROWS else (x, x)
    assert getattr(E, name)(*args).requires_grad
    assert nd._REGISTRY[name].differentiable


@pytest.mark.parametrize("name", NONDIFF)
def test_nondifferentiable_rows_give_constants(device, name):
    op = nd._REGISTRY[name]
    assert not op.differentiable
    assert isinstance(op.nondiff_reason, str) and op.nondiff_reason
    dtype = dtypes_for(name, device)[0]
    a = host([0.5, 1.5, 2.0], dtype=dtype) if np.dtype(dtype).kind in "fc" \
        else host([1, 0, 1], dtype=dtype)
    x = nd.asarray(a, device=device)
    if np.dtype(dtype).kind == "f":
        x.requires_grad_()
        assert x.requires_grad
    args = (x,) if name in UNARY_ROWS else (x, x)
    res = getattr(E, name)(*args)
    if op.nograd is None:
        assert not res.requires_grad
    elif x.requires_grad:
        # (its result moves with x: it records, and a gradient through it raises)
        assert res.requires_grad
        from ndgrad._ops.registry import NoGradientError
        with pytest.raises(NoGradientError, match=name):
            nd.sum(res).backward()


# -- JAX conventions --------------------------------------------------------------------
def test_maximum_minimum_ties_split_evenly(device):
    x = nd.asarray([1.0, 2.0, 3.0], device=device)
    y = nd.asarray([1.0, 5.0, 0.0], device=device)
    for f, win in ((E.maximum, ([0.5, 0.0, 1.0], [0.5, 1.0, 0.0])),
                   (E.minimum, ([0.5, 1.0, 0.0], [0.5, 0.0, 1.0]))):
        gx, gy = nd.grad(lambda a, b: nd.sum(f(a, b)), argnums=(0, 1))(x, y)
        np.testing.assert_array_equal(host(gx), win[0])
        np.testing.assert_array_equal(host(gy), win[1])
    # a Python scalar tie
    g = nd.grad(lambda a: nd.sum(E.maximum(a, 2.0)))(x)
    np.testing.assert_array_equal(host(g), [0.0, 0.5, 1.0])


_SPECIAL = st.sampled_from([0.0, -0.0, 1.0, -1.0, 0.5, np.inf, -np.inf, np.nan, 3.0])


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), dt=st.sampled_from([np.float16, np.float32, np.float64]),
       shape=st.sampled_from([(), (5,), (3, 4)]), scalar=st.booleans())
def test_maximum_minimum_cotangent_is_the_weight_formula_bit_for_bit(data, dt, shape,
                                                                     scalar):
    # the rule's one op (g times the mask, ties halved in place) gives exactly
    # g * (win + 0.5 * tie) -- the JAX weight -- at NaN/inf/+-0, ties, every float dtype,
    # 0-d and broadcast operands
    arr = hnp.arrays(dt, shape, elements=_SPECIAL)
    x = data.draw(arr)
    y = data.draw(_SPECIAL) if scalar else data.draw(hnp.arrays(
        dt, shape[-1:] if shape else (), elements=_SPECIAL))
    g = data.draw(arr)
    for f, npf in ((E.maximum, np.greater), (E.minimum, np.less)):
        yy = y if scalar else nd.asarray(y)
        ans, vjp = nd.vjp(lambda a: f(a, yy), nd.asarray(x))
        with np.errstate(all="ignore"):
            (got,) = vjp(nd.asarray(g))
            w = npf(x, y).astype(dt) + dt(0.5) * np.equal(x, y).astype(dt)
            want = g * w
        got = np.asarray(got)
        assert got.dtype == want.dtype and got.shape == np.shape(want)
        assert got.tobytes() == np.asarray(want).tobytes(), (x, y, g, got, want)
        if not scalar:   # the second operand's share: g - the first's, summed to its shape
            _, vjp2 = nd.vjp(lambda a, b: f(a, b), nd.asarray(x), nd.asarray(y))
            with np.errstate(all="ignore"):
                g2 = np.asarray(vjp2(nd.asarray(g))[1])
                want2 = np.asarray(g - want).reshape((-1,) + np.shape(y)).sum(
                    0, dtype=dt) if np.ndim(want) > np.ndim(y) else g - want
            assert g2.tobytes() == np.asarray(want2).tobytes()


def test_abs_gradient_at_zero_is_zero(device):
    g = nd.grad(lambda a: nd.sum(E.abs(a)))(nd.asarray([0.0, -0.0, -2.0, 3.0],
                                                       device=device))
    np.testing.assert_array_equal(host(g), [0.0, 0.0, -1.0, 1.0])


def test_sqrt_gradient_at_zero_is_inf(device):
    with np.errstate(divide="ignore"):
        g = nd.grad(lambda a: nd.sum(E.sqrt(a)))(nd.asarray([0.0, 4.0], device=device))
    np.testing.assert_array_equal(host(g), [np.inf, 0.25])


def test_guarded_where_gives_no_nan(device):
    def f(a):
        safe = nd.where(a > 0, a, 1.0)  # the inner where keeps log's input in its domain
        return nd.sum(nd.where(a > 0, E.log(safe), 0.0))
    x = nd.asarray([-1.0, 0.0, 2.0], device=device)
    g = nd.grad(f)(x)
    np.testing.assert_array_equal(host(g), [0.0, 0.0, 0.5])
    h = nd.grad(lambda a: nd.sum(nd.grad(f)(a)))(x)
    assert not np.isnan(host(h)).any()
    np.testing.assert_array_equal(host(h), [0.0, 0.0, -0.25])


def test_pow_gradient_at_zero_base(device):
    # d/dy 0**y is 0 (JAX), not nan from log(0)
    x = nd.asarray([0.0, 2.0], device=device)
    y = nd.asarray([2.0, 3.0], device=device)
    gx, gy = nd.grad(lambda a, b: nd.sum(a ** b), argnums=(0, 1))(x, y)
    np.testing.assert_allclose(host(gx), [0.0, 12.0])
    np.testing.assert_allclose(host(gy), [0.0, 8.0 * math.log(2.0)])


def test_every_row_is_a_public_function():
    for name in ALL_ROWS:
        f = getattr(E, name)
        assert f.__name__ == name
        assert f.__doc__ and ">>>" in f.__doc__
        assert name in nd._REGISTRY
        assert callable(getattr(nd, name))  # in the public namespace (maybe NumPy-flavoured)


@pytest.mark.parametrize("dt", ["int8", "int16", "int32", "int64", "uint8", "uint16"])
def test_clip_never_writes_into_the_callers_bound_arrays(dt):
    """array_api_compat's NumPy clip clamps array bounds to an integer x's range by writing
    into them: the bounds a caller passes (ndgrad or NumPy arrays, writable or not) must
    keep their values, and the result is NumPy's."""
    x = np.array([0, 1, 100], dtype=dt)
    lo = np.array([-300, 0, 0], dtype=np.int16)
    hi = np.array([1, 300, 50], dtype=np.int16)
    want_lo, want_hi = lo.copy(), hi.copy()
    ro = lo.copy()
    ro.flags.writeable = False
    for a, b in ((lo, hi), (nd.asarray(lo), nd.asarray(hi)), (ro, hi)):
        got = nd.clip(nd.asarray(x), a, b)
        want = np.clip(x, want_lo, want_hi)      # (NumPy's promotion: the NumPy face)
        assert got.dtype == want.dtype
        np.testing.assert_array_equal(np.asarray(got), want)
        from ndgrad._ops.elementwise import clip as op_clip
        assert op_clip(nd.asarray(x), a, b).dtype == np.dtype(dt)   # the op: x's dtype
        np.testing.assert_array_equal(np.asarray(a), want_lo)
        np.testing.assert_array_equal(np.asarray(b), want_hi)
    np.testing.assert_array_equal(np.asarray(nd.clip(nd.asarray(x), 1, 50)),
                                  np.clip(x, 1, 50))


# -- maximum / minimum beside a Python number: the filled-array path ---------------------
_FILL_SPECIALS = [0.0, -0.0, 1.5, -2.25, 1e-310, np.inf, -np.inf, np.nan, 3e38, 7, -3]


@pytest.mark.parametrize("name", ["maximum", "minimum"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("scalar", [0.0, -0.0, 0.1, -1e-30, 1e38, -1e38, 5, -(1 << 24),
                                    1 << 24])
def test_extremum_with_a_scalar_is_numpys_bit_for_bit(name, dtype, scalar):
    # NumPy's maximum/minimum beside a scalar is ~3x slower than beside an array; above
    # _EXTREMUM_FILL_MIN elements ndgrad fills an array with the scalar: the result must
    # be NumPy's own, bit for bit (NaN, signed zeros, infinities, subnormals, both orders)
    from ndgrad._ops import elementwise
    n = elementwise._EXTREMUM_FILL_MIN + 37
    rng = np.random.default_rng(abs(hash((name, dtype, scalar))) % 2**32)
    a = (rng.standard_normal(n) * 10).astype(dtype)
    a[rng.integers(0, n, 200)] = rng.choice(np.array(_FILL_SPECIALS, dtype=dtype), 200)
    f = getattr(nd, name)
    uf = getattr(np, name)
    for x in (a, a.reshape(-1, 1)[: n // 2 * 2].reshape(2, -1)):
        for got, want in ((f(nd.asarray(x), scalar), uf(x, scalar)),
                          (f(scalar, nd.asarray(x)), uf(scalar, x))):
            g = np.asarray(got)
            assert g.dtype == want.dtype and g.shape == want.shape
            assert g.tobytes() == want.tobytes()
    # recorded too: value and the gradient (ties at the scalar split as ever)
    xr = nd.asarray(a, requires_grad=True)
    y = f(xr, scalar)
    assert np.asarray(y.detach()).tobytes() == uf(a, scalar).tobytes()


def test_extremum_fill_path_leaves_other_calls_to_numpy():
    from ndgrad._ops import elementwise
    n = elementwise._EXTREMUM_FILL_MIN + 1
    fill = elementwise._FILLED["maximum"]
    a = np.linspace(-1, 1, n)
    # a strided array, an int array, NaN or a huge scalar, float16, out=: NumPy's call
    for args in [(a[::2], 0.0), (np.arange(n), 0.5), (a, np.nan), (a, 1e300),
                 (a.astype(np.float16), 0.0), (a, np.float64(0.0)), (a, True), (a, a),
                 (a.astype(">f8"), 0.0), (0.5, a.astype(">f4"))]:
        want = np.maximum(*args)
        got = fill(*args)
        # (a byte-swapped operand: NumPy's result is native, and so is ndgrad's)
        assert got.dtype == want.dtype and got.dtype.isnative == want.dtype.isnative
        assert got.tobytes() == want.tobytes()
    out = np.empty_like(a)
    assert fill(a, 0.0, out=out) is out
    np.testing.assert_array_equal(out, np.maximum(a, 0.0))
    # the result never aliases the operand
    r = fill(a, 0.0)
    assert r is not a and not np.shares_memory(r, a)
    with np.errstate(all="raise"):     # no floating-point error of its own
        fill(np.full(n, np.nan), 0.0)
    # and the filled path is the one taken above the size (array against array, into
    # the filled buffer), not below it
    calls = []

    def spy(*args, **kw):
        calls.append((tuple(type(x) for x in args), "out" in kw))
        return np.maximum(*args, **kw)
    spied = elementwise._scalar_filled(spy)
    spied(a, 0.0)
    spied(0.0, a)
    spied(a[:100], 0.0)
    assert calls == [((np.ndarray, np.ndarray), True), ((np.ndarray, np.ndarray), True),
                     ((np.ndarray, float), False)]


@pytest.mark.parametrize("name", ["maximum", "minimum"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_extremum_with_a_scalar_into_a_buffer_is_numpys_bit_for_bit(name, dtype):
    # with out= (apply's buffer reuse hands a dead operand's buffer: the relu of an
    # inference step) the number fills a temporary and the ufunc runs array against
    # array into out, also where out is the operand itself: NumPy's bits
    from ndgrad._ops import elementwise
    fill = elementwise._FILLED[name]
    uf = getattr(np, name)
    n = elementwise._EXTREMUM_FILL_MIN + 37
    rng = np.random.default_rng(abs(hash((name, dtype))) % 2**32)
    a = (rng.standard_normal(n) * 10).astype(dtype)
    a[rng.integers(0, n, 200)] = rng.choice(np.array(_FILL_SPECIALS, dtype=dtype), 200)
    for scalar in [0.0, -0.0, 0.1, -2.5, 1e-30, 7, -(1 << 24)]:
        for first in (True, False):
            want = uf(a, scalar) if first else uf(scalar, a)
            for into_operand in (True, False):
                x = a.copy()
                out = x if into_operand else np.empty_like(a)
                got = fill(x, scalar, out=out) if first else fill(scalar, x, out=out)
                assert got is out and got.dtype == want.dtype
                assert got.tobytes() == want.tobytes()
    # the eager no-grad path: the product is a dead temporary whose buffer takes the result
    got = np.asarray(getattr(nd, name)(nd.asarray(a) * 1.0, 0.0))
    assert got.tobytes() == uf(a * 1.0, 0.0).tobytes()
    # filled into out up to the temporary's size limit and for out of the array's own
    # dtype; the ufunc with the number above the limit and for another out dtype
    calls = []

    def spy(*args, **kw):
        calls.append((tuple(type(x) for x in args), "out" in kw))
        return uf(*args, **kw)
    spied = elementwise._scalar_filled(spy)
    spied(a, 0.0, out=np.empty_like(a))
    big = np.zeros(elementwise._FILL_TEMP_MAX + 1, dtype)
    spied(big, 0.0, out=big)
    other = np.empty(n, np.float64 if dtype == "float32" else np.float32)
    r = spied(a, 0.0, out=other) if dtype == "float32" else None
    assert calls[:2] == [((np.ndarray, np.ndarray), True), ((np.ndarray, float), True)]
    if r is not None:
        assert calls[2] == ((np.ndarray, float), True)
        assert r.tobytes() == uf(a, 0.0, out=np.empty_like(other)).tobytes()


def test_unary_ufunc_entries_keep_numpys_keywords_and_signature():
    import inspect
    x = nd.asarray([0.5, -1.0])
    assert str(inspect.signature(nd.sin)) == str(inspect.signature(
        lambda x, /, out=None, *, where=True, dtype=None, casting="same_kind", order=None,
        subok=None: None))
    with pytest.raises(TypeError, match="unexpected keyword argument 'foo'"):
        nd.sin(x, foo=1)
    with pytest.raises(TypeError, match="unexpected keyword argument 'foo'"):
        nd.absolute(x, foo=1)
    with pytest.raises(TypeError):
        nd.sin(x, None, True)      # where= is keyword-only, as NumPy's
    o = nd.empty(2)
    assert nd.sin(x, o) is o and nd.sin(x, out=o) is o
    np.testing.assert_array_equal(np.asarray(o), np.sin(np.asarray(x)))
    assert nd.sin(x, dtype=np.float32).dtype == np.float32
    np.testing.assert_array_equal(np.asarray(nd.sin(x, where=True, casting="same_kind",
                                                    order="K", subok=True)),
                                  np.sin([0.5, -1.0]))
    m = nd.full(2, 7.0)
    nd.sin(x, out=m, where=nd.asarray([True, False]))
    np.testing.assert_array_equal(np.asarray(m), [np.sin(0.5), 7.0])


def test_power_in_its_exponent_for_a_complex_result():
    # d/dy x**y = x**y log x with the complex log where the power is complex: a real
    # x < 0 with a complex y (NumPy computes it in complex) gave nan, and a complex Python
    # base raised TypeError
    y = nd.asarray(np.array([0.5 + 0.3j, 1.5 - 1j]))
    nd.check_grads(lambda y: nd.asarray([-2.0, 3.0]) ** y, y, order=2)
    nd.check_grads(lambda y: (-2.0) ** y, y, order=2)
    nd.check_grads(lambda y: (1 + 1j) ** y, y, order=2)
    g = nd.grad(lambda y: nd.sum(nd.real((-2.0) ** y)))(y)
    want = (-2.0 + 0j) ** np.asarray(y) * np.log(-2.0 + 0j)   # (f holomorphic: f'(y))
    np.testing.assert_allclose(np.asarray(g), want, rtol=1e-13)
    # a real power of a negative base stays nan (x**y log x has no real value there)
    assert np.isnan(float(nd.grad(lambda y: (-2.0) ** y)(nd.asarray(2.0))))

"""NumPy's scalars and its 0-d arrays under in-place operators, as ndgrad's 0-d values
stand for them.

NumPy gives a scalar (immutable) from reductions, integer indexing and arithmetic, and a
0-d *array* (mutable) from creation functions, copies and views. ``t = s; t += 1`` leaves
``s`` alone when ``s`` is a scalar and changes it when ``s`` is a 0-d array. ndgrad's
0-d results used to be written in place whatever they stood for: ``m = a.max(); m2 = m;
m2 -= 1`` changed ``m`` silently. Each case here runs the same code under NumPy and under
ndgrad and compares every name's value, type (scalar or 0-d array) and dtype."""
import numpy as np
import pytest
from hypothesis import example, given, settings, strategies as st

import ndgrad as nd

# code run with ``xp`` bound to NumPy, then to ndgrad; the names it leaves are compared
PROGRAMS = {
    "sum, alias, +=": "a = xp.arange(1., 5.); s = a.sum(); t = s; t += 1",
    "max, alias, -=": "a = xp.arange(1., 5.); m = a.max(); m2 = m; m2 -= 1",
    "element, alias, *=": "a = xp.arange(1., 5.); e = a[2]; f = e; f *= 10",
    "element of 2-d, *=": "b = xp.arange(6.).reshape(2, 3); e = b[1, 2]; e *= 10",
    "int scalar += float": "a = xp.arange(4); i = a[2]; j = i; j += 1.5",
    "float32 scalar += float": "a = xp.arange(4, dtype=xp.float32); s = a.sum(); s += 0.1",
    "scalar += array": "a = xp.arange(3.); s = a[1]; s += a",
    "scalar **= 2": "a = xp.arange(3.); s = a[2]; u = s; u **= 2",
    "mean, loop": "a = xp.arange(4.); acc = a.mean(); keep = acc\nfor v in a: acc += v",
    "0-d array, alias, +=": "z = xp.array(3.); w = z; w += 1",
    "zeros(()), alias, *=": "z = xp.zeros(()); w = z; w *= 5; w += 2",
    "asarray of a scalar": "a = xp.arange(3.); z = xp.asarray(a[1]); w = z; w += 1",
    "copy of a 0-d array": "z = xp.array(2.); c = z.copy(); d = c; d += 1",
    "copy of a scalar": "a = xp.arange(3.); c = a.sum().copy(); d = c; d += 1",
    "astype of a 0-d array": "z = xp.array(2.); c = z.astype(xp.float32); d = c; d += 1",
    "0-d view [...]": "b = xp.arange(3.); v = b[0, ...]; v += 10",
    "reshape(()) view": "c = xp.arange(1.); r = c.reshape(()); r *= 7; c += 1",
    "squeeze view": "c = xp.ones((1, 1)); r = c.squeeze(); r -= 3",
    "view()": "z = xp.array(4.); v = z.view(); v += 1",
    "np.copy of a scalar": "a = xp.arange(3.); c = xp.copy(a[2]); d = c; d += 1",
    "pad of a 0-d": "p = xp.pad(xp.array(1.5), 0); q = p; q += 1",
}


def _run(src, xp):
    env = {"xp": xp}
    exec(src, env)
    return {k: v for k, v in env.items() if k != "xp" and not k.startswith("__")}


def _kind(v):
    if isinstance(v, nd.Array):
        if v.ndim:
            return ("array", str(v.dtype))
        return ("0-d array" if getattr(v, "_array0d", False) else "scalar", str(v.dtype))
    if isinstance(v, np.generic):
        return ("scalar", str(v.dtype))
    if isinstance(v, np.ndarray):
        return ("0-d array" if v.ndim == 0 else "array", str(v.dtype))
    return (type(v).__name__, "")


@pytest.mark.parametrize("name", list(PROGRAMS))
def test_names_after_in_place_operators_are_numpys(name):
    want = _run(PROGRAMS[name], np)
    got = _run(PROGRAMS[name], nd)
    assert set(want) == set(got)
    for k in want:
        w, g = want[k], got[k]
        assert _kind(g) == _kind(w), (k, w, g)
        np.testing.assert_array_equal(np.asarray(g), np.asarray(w), err_msg=k)
        assert repr(g) == repr(w), (k, w, g)


_DTYPES = ["bool", "int8", "int64", "uint8", "float16", "float32", "float64",
           "complex128"]
_OPS = ["+=", "-=", "*=", "/=", "//=", "%=", "**=", "&=", "|=", "^="]


@given(dtype=st.sampled_from(_DTYPES), op=st.sampled_from(_OPS),
       other=st.sampled_from([1, 2, -1, 0.5, 1.5, True, "array"]),
       made=st.sampled_from(["element", "reduction", "created"]))
def test_in_place_operators_on_zero_d_values_are_numpys(dtype, op, other, made):
    """Every operator, dtype and operand: ``t = s; t op= o`` leaves ``s`` and gives ``t``
    as NumPy's scalar (or 0-d array) does, or raises NumPy's error class."""
    base = np.array([3, 2, 1, 0]).astype(dtype)
    results = []
    for xp in (np, nd):
        a = xp.asarray(base.copy())
        s = (a[1] if made == "element" else a.max() if made == "reduction"
             else xp.asarray(base[1]))
        o = a if other == "array" else other
        env = {"s": s, "o": o}
        try:
            with np.errstate(all="ignore"):
                exec(f"t = s\nt {op} o", env)
        except Exception as e:   # noqa: BLE001 (the same family as NumPy's)
            results.append(("error", type(e).__mro__[-2] if isinstance(e, TypeError)
                            else type(e)))
            continue
        results.append(tuple((_kind(v), repr(np.asarray(v).tolist()))
                             for v in (env["s"], env["t"], a)))
    if results[0][0] == "error":
        assert results[1][0] == "error", results
    else:
        assert results[1] == results[0]


def test_gradient_through_rebound_scalars():
    """``s += v`` on a scalar inside a differentiated function builds ``s + v``: the
    gradient is the sum's, and the array the scalar came from is not written."""
    def f(x):
        s = x[0]
        for k in range(1, 3):
            s += x[k] * x[k]
        m = nd.max(x)
        m2 = m
        m2 *= 3.0
        return s + m + m2
    x = nd.asarray([1.0, 2.0, 3.0])
    g = nd.grad(f)(x)
    np.testing.assert_allclose(np.asarray(g), [1.0, 4.0, 6.0 + 1.0 + 3.0])
    np.testing.assert_array_equal(np.asarray(x), [1.0, 2.0, 3.0])


def test_a_zero_d_array_argument_stays_one_inside_grad():
    """A 0-d *array* passed to ``nd.grad`` is written in place by ``+=`` inside ``f``
    (so a second name for it sees the write), as NumPy's 0-d array is; a Python or NumPy
    scalar argument is rebound, as NumPy's scalar is."""
    def f(x):
        y = x
        y += 1.0
        return x * x
    assert float(nd.grad(f)(nd.asarray(3.0))) == 8.0            # d/dx (x + 1)^2
    assert float(nd.grad(f)(np.array(3.0))) == 8.0
    assert float(nd.grad(f)(3.0)) == 6.0                         # d/dx x^2
    assert float(nd.grad(f)(np.float64(3.0))) == 6.0


# what NumPy gives for 0-d results of these calls: its scalar or a 0-d array
KINDS = [
    "np.array(3.)", "np.asarray(3.)", "np.zeros(())", "np.full((), 2.)",
    "np.array(3.).copy()", "np.copy(np.array(3.))", "np.array(3.)[...]",
    "np.array(3.)[()]", "np.array([3.]).reshape(())", "np.squeeze(np.array([3.]))",
    "np.array([3.]).squeeze()", "np.array(3.).astype(np.float32)", "np.asarray(np.float64(2))",
    "np.sum(np.arange(3.))", "np.arange(3.)[1]", "np.arange(3.) @ np.arange(3.)",
    "np.array(3.) + 1", "-np.array(3.)", "np.sin(np.array(3.))", "np.arange(3.).max()",
    "np.array(3.).T", "np.array(3.).view()", "np.arange(3.)[1, ...]",
    "np.array(3.).reshape(1).reshape(())", "np.array([[1.]])[0, 0]",
    "np.take(np.arange(3.), 1)", "np.take(np.arange(3.), np.array(1))",
    "np.real(np.float64(2.))", "np.arange(3.).sum().copy()", "np.pad(np.array(1.), 0)",
    "np.i0(0.0)", "np.tensordot(np.array(1.), np.array(2.), 0)",
    "np.unique_inverse(np.array(1)).inverse_indices", "np.ravel(np.array(3.))[0]",
    "np.imag(np.arange(3.).sum())", "np.real(np.array(2 + 1j))", "np.imag(np.array(2 + 1j))",
    "np.imag(np.array(2.))", "np.real(np.arange(3.).sum() + 1j)", "np.inner([1, 2], [3, 4])",
]


@pytest.mark.parametrize("src", KINDS)
def test_zero_d_results_are_numpys_kind(src):
    want = eval(src, {"np": np})
    got = eval(src, {"np": nd})
    assert _kind(got) == _kind(want), (src, want, got)
    assert repr(got) == repr(want)


# -- arithmetic on elements: NumPy's scalar arithmetic, not its array ufuncs -------------
_BIN_OPS = ["+", "-", "*", "/", "//", "%", "**", "<", "==", "&", "|", "^", "<<", ">>"]
_ELEM_DTYPES = ["bool", "int8", "uint8", "int64", "float16", "float32", "float64",
                "complex64", "complex128"]


# (found by a random search: a bool element ** 2 gave int8, NumPy's array operator's
# square, where NumPy's scalar power gives int64)
@example(dtype="bool", op="**", other=2, other_kind="python", reflected=False,
         values=[1.0, 1.0])
# (and: 0.5j + a float64 element is Python's complex, as NumPy's float64 is a Python float)
@example(dtype="float64", op="+", other=0.5j, other_kind="python", reflected=True,
         values=[1.0, 1.0])
@settings(max_examples=300)
@given(dtype=st.sampled_from(_ELEM_DTYPES), op=st.sampled_from(_BIN_OPS),
       other=st.one_of(st.sampled_from([2, -3, 0, True, 2.5, -0.5, 0.5j, 3.5]),
                       st.floats(-50, 50, width=32)),
       other_kind=st.sampled_from(["python", "element", "numpy scalar"]),
       reflected=st.booleans(),
       values=st.lists(st.floats(0.25, 20, width=32), min_size=2, max_size=2))
def test_operators_on_elements_give_numpys_scalar_arithmetic(dtype, op, other, other_kind,
                                                             reflected, values):
    """``x[0] OP y`` for an element of every dtype and every operand kind: NumPy's
    scalar result, printed the same (NumPy's scalar ``**`` is the C library's ``pow``,
    not the array ufunc's: they differ in the last bit for about 1 in 5 float32 pairs),
    or an error of the same class."""
    base = np.array(values).astype(dtype)
    outs = []
    for xp in (np, nd):
        a = xp.asarray(base.copy())
        s = a[0]
        if other_kind == "element":
            o = xp.asarray(np.array([other, 1.0]).astype("float32"))[0]
        elif other_kind == "numpy scalar":
            o = np.float64(other) if isinstance(other, float) else np.int64(other) \
                if type(other) is int else other
        else:
            o = other
        env = {"s": s, "o": o}
        if reflected and op == "==" and type(o) is complex and dtype == "float64":
            # NumPy: Python's complex.__eq__ (a Python bool); Python calls ndgrad's
            # s.__eq__(o) for it, which cannot tell it from s == o (np.bool in NumPy)
            return
        try:
            with np.errstate(all="ignore"):
                r = eval(f"o {op} s" if reflected else f"s {op} o", env)
        except Exception as e:   # noqa: BLE001 (the same class as NumPy's)
            outs.append(("error", TypeError if isinstance(e, TypeError) else type(e)))
            continue
        outs.append((_kind(r), repr(r)))
    assert outs[1] == outs[0]


@pytest.mark.parametrize("e", [-1, 2, 3, -2])
def test_complex_scalar_power_keeps_numpys_sign_of_zero(e):
    # (the dev-profile search: NumPy's complex128 scalar gives (2+0j) ** -1 as 0.5+0j,
    # its array loop 0.5-0j; the scalar's value was compared with == and not taken)
    s = np.array([3, 2, 1, 0]).astype("complex128")[1]
    t = nd.asarray(np.array([3, 2, 1, 0]).astype("complex128"))[1]
    want = s ** e
    for got in (t ** e, _inplace_pow(t, e)):
        assert repr(got) == repr(want)


def _inplace_pow(t, e):
    t **= e
    return t

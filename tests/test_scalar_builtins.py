"""Python's builtins on the elements ndgrad gives for ``x[i]`` (0-d arrays that print
and act as NumPy's scalars): ``round``, ``math.trunc``, ``math.floor``, ``math.ceil``
give what NumPy's scalars give. ``round(x[i])`` gave a 0-d array 3.0 where NumPy gives
the Python int 3 (the method ``round`` shadowed the builtin), and ``math.trunc(x[i])``
raised for a float64 element."""
import math
import warnings

import numpy as np
import pytest

import ndgrad as nd

VALUES = [2.7, -2.5, 0.5, -0.0, 1e16 + 1.0, 3.0]


def _outcome(f):
    try:
        r = f()
    except Exception as e:
        return ("error", type(e))
    # (a NumPy scalar and ndgrad's 0-d array print alike; a Python int or float must
    # be one on both sides)
    return (type(r).__name__ if type(r) in (int, float, bool) else "numpy", repr(r))


@pytest.mark.parametrize("dtype", ["float64", "float32", "float16", "int64", "uint8",
                                   "int8", "bool"])
@pytest.mark.parametrize("fn", [round, lambda v: round(v, 0), lambda v: round(v, 1),
                                lambda v: round(v, -1), math.trunc, math.floor,
                                math.ceil], ids=["round", "round0", "round1", "round-1",
                                                 "trunc", "floor", "ceil"])
def test_builtins_on_elements_as_numpys_scalars(dtype, fn):
    with np.errstate(all="ignore"):
        a = np.array(VALUES).astype(dtype)
    x = nd.asarray(a.copy())
    for i in range(len(VALUES)):
        assert _outcome(lambda: fn(x[i])) == _outcome(lambda: fn(a[i])), (dtype, i)


def test_zero_d_arrays_keep_numpys_errors():
    # a 0-d NumPy array (not a scalar) has no __trunc__ (nor __round__)
    z = nd.asarray(np.array(2.7))
    with pytest.raises(TypeError, match="__trunc__"):
        math.trunc(z)
    with pytest.raises(TypeError, match="__trunc__"):
        math.trunc(np.array(2.7))
    assert math.floor(z) == math.floor(np.array(2.7)) == 2


@pytest.mark.parametrize("dtype", ["complex64", "complex128"])
@pytest.mark.parametrize("fn", [int, float, complex])
@pytest.mark.parametrize("made", ["element", "sum", "0-d array"])
def test_int_and_float_of_complex_values_as_numpys(dtype, fn, made):
    """NumPy's complex *scalar* converts to int/float by its real part, with a
    ComplexWarning; its complex 0-d array raises TypeError."""
    def outcome(xp):
        a = xp.asarray(np.array([3.7 + 2j, 1.0]).astype(dtype))
        v = a[0] if made == "element" else a.sum() if made == "sum" else xp.asarray(a[0])
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always")
            try:
                r = fn(v)
            except TypeError:
                return "TypeError"
        return (type(r), r, [w.category for w in seen])
    assert outcome(nd) == outcome(np)

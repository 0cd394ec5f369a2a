"""``isinstance``/``issubclass``/``issubdtype`` with the namespace's scalar types, as NumPy.

ndgrad has no scalar type of its own: where NumPy gives a scalar (``x[0]``, ``x.sum()``,
arithmetic on those) ndgrad gives a 0-d array that prints as NumPy's scalar. NumPy code
under ``import ndgrad as np`` tests such values with ``isinstance(v, np.floating)`` /
``np.integer`` / ``np.float32`` (a JSON encoder's ``if isinstance(o, np.integer)``): those
were silently False. The abstract types (``generic`` ... ``complexfloating``) are now
subclasses of NumPy's own whose instance test also takes those 0-d arrays; the dtype
names (``float32`` ...) take them too; a 0-d array from a creation function
(``np.asarray(1.0)``, an array in NumPy as well) and arrays of any other shape do not.
"""
import numpy as np
import pytest

import ndgrad as nd

ABSTRACT = ["generic", "number", "integer", "signedinteger", "unsignedinteger", "inexact",
            "floating", "complexfloating"]
NAMES = ABSTRACT + ["bool", "int8", "int64", "uint8", "uint64", "float16", "float32",
                    "float64", "complex64", "complex128"]


def _np_type(name):
    return np.bool_ if name == "bool" else getattr(np, name)


def _values(m, dtype):
    x = m.asarray([1, 0, 3], dtype=dtype)
    return {"x[0]": x[0], "x.sum()": x.sum() if dtype != "bool" else x[1],
            "x[0] * x[1]": x[0] * x[1], "x.max()": x.max(),
            "asarray(x[0])": m.asarray(x[0]), "array(x.max())": m.array(x.max()),
            "copy(x[0])": m.copy(x[0]), "asarray(1)": m.asarray(1, dtype=dtype),
            "zeros(())": m.zeros((), dtype=dtype), "x": x, "x[:1]": x[:1]}


@pytest.mark.parametrize("dtype", ["bool", "int8", "int64", "uint8", "float16", "float32",
                                   "float64", "complex64", "complex128"])
def test_isinstance_as_numpy(dtype):
    ours, theirs = _values(nd, dtype), _values(np, dtype)
    for what in ours:
        for name in NAMES:
            want = isinstance(theirs[what], _np_type(name))
            assert isinstance(ours[what], getattr(nd, name)) == want, (what, name)


@pytest.mark.parametrize("name", ABSTRACT)
def test_abstract_types_are_numpys_in_every_subclass_test(name):
    t, ref = getattr(nd, name), getattr(np, name)
    assert issubclass(t, ref) and issubclass(t, t)
    for other in ABSTRACT:
        assert issubclass(t, getattr(np, other)) == issubclass(ref, getattr(np, other))
        assert issubclass(getattr(nd, other), t) == issubclass(getattr(np, other), ref)
    for dt in ["bool", "int8", "uint16", "int64", "float16", "float32", "float64",
               "complex64", "complex128"]:
        want = np.issubdtype(dt, ref)
        assert np.issubdtype(dt, t) == want and nd.issubdtype(dt, t) == want
        assert np.issubdtype(np.dtype(dt).type, t) == want
        assert issubclass(np.dtype(dt).type, t) == want
        assert nd.issubdtype(nd.zeros(1, dtype=dt).dtype, t) == want
    for v in (np.float64(1.0), np.int8(1), np.complex64(1j), 1.0, 1):
        assert isinstance(v, t) == isinstance(v, ref)
    with pytest.raises(TypeError):
        np.dtype(nd.floating)   # as np.dtype(np.floating)


def test_converting_a_numpy_scalar_stand_in_gives_a_0d_array():
    x, xn = nd.asarray([1.5, 2.0]), np.asarray([1.5, 2.0])
    for f in (lambda m, v: m.asarray(v), lambda m, v: m.array(v), lambda m, v: m.copy(v),
              lambda m, v: m.asanyarray(v), lambda m, v: m.asarray(v, dtype=m.float32)):
        for pick in (lambda v: v[0], lambda v: v.sum(), lambda v: v[0] * v[1]):
            assert repr(f(nd, pick(x))) == repr(f(np, pick(xn)))
    s = x[0]
    assert repr(s) == "np.float64(1.5)" and nd.asarray(s) is not s     # s stays a scalar
    np.testing.assert_array_equal(nd.grad(lambda v: nd.asarray(v[0]) * 3.0)(x), [3.0, 0.0])
    a0 = nd.asarray(2.0)
    assert nd.asarray(a0) is a0                                           # an array already

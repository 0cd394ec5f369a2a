"""``nd.finfo`` fields in arithmetic: NumPy's printed results (float64's fields are NumPy's
own np.float64; float32's and float16's are the standard's Python floats, which NumPy's
rules treat as weak scalars, so arithmetic with the dtype's arrays and scalars matches)."""
import numpy as np
import pytest

import ndgrad as nd


@pytest.mark.parametrize("name", ["float16", "float32", "float64"])
@pytest.mark.parametrize("field", ["eps", "smallest_normal", "max", "min", "tiny",
                                   "resolution"])
def test_finfo_arithmetic_prints_as_numpy(name, field):
    ours, ref = getattr(nd.finfo(getattr(nd, name)), field), getattr(np.finfo(name), field)
    assert ours == ref and isinstance(ours, (float, np.floating))
    one_nd, one_np = getattr(nd, name)(1), np.dtype(name).type(1)
    with np.errstate(over="ignore"):
        assert repr(one_nd + ours) == repr(one_np + ref)
        assert repr(one_nd * ours) == repr(one_np * ref)
        a, b = nd.asarray([1.0, 2.0], dtype=name) * ours, np.asarray([1.0, 2.0], name) * ref
    assert a.dtype == b.dtype and repr(a) == repr(b)
    if name == "float64":
        assert type(ours) is np.float64 and repr(ours) == repr(ref)


def test_the_standards_fields_are_python_floats():
    for name in ("float16", "float32", "float64", "complex64", "complex128"):
        f = nd.finfo(name)
        for field in ("eps", "max", "min", "smallest_normal"):
            assert isinstance(getattr(f, field), float), (name, field)

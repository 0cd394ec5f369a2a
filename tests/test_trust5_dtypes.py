"""``nd.float32`` and friends in dicts and sets: exactly NumPy's ``np.float32``.

In NumPy, ``np.float32`` is the scalar type; ``np.dtype('float32') == np.float32`` is True
while their hashes differ, so a table keyed by ``np.float32`` finds ``x.dtype.type`` and
misses ``x.dtype``. ndgrad's names are its dtype objects (equal to ``np.dtype(name)``) and
hash as NumPy's scalar types, so every dict/set lookup gives the outcome the same lookup
gives with NumPy's ``np.float32``: NumPy code's ``{np.float32: ...}[x.dtype.type]`` and
``x.dtype.type in {np.float32}`` work (they raised KeyError / were silently False while
the names hashed as ``np.dtype(name)``), and ``{np.float32: ...}[x.dtype]`` misses as it
does with NumPy's namespace (array API code that must find ``x.dtype`` compares with ==,
which works with both).
"""
import numpy as np
import pytest

import ndgrad as nd

NAMES = ["bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
         "float16", "float32", "float64", "complex64", "complex128"]


@pytest.mark.parametrize("name", NAMES)
def test_numpy_dtype_and_scalar_type_disagree_in_numpy_itself(name):
    d, t = np.dtype(name), getattr(np, name if name != "bool" else "bool_")
    assert d == t and hash(d) != hash(t)
    assert {t: 1}.get(d) is None


@pytest.mark.parametrize("name", NAMES)
def test_ndgrad_names_hash_as_numpys_scalar_types(name):
    ours, theirs = getattr(nd, name), np.dtype(name).type    # np.float32 in NumPy
    x = nd.zeros(2, dtype=ours)
    assert type(x.dtype) is type(np.dtype(name)) and x.dtype == np.dtype(name)
    keys = [theirs, x.dtype, x.dtype.type, np.dtype(name), np.asarray([0], dtype=name).dtype,
            ours, name]
    for k in keys:
        # as the stored key and as the looked-up key, ndgrad's name behaves as NumPy's
        # np.float32, lookup by lookup
        assert ({ours: 1}.get(k) == 1) == ({theirs: 1}.get(k) == 1), k
        assert ({k: 1}.get(ours) == 1) == ({k: 1}.get(theirs) == 1), k
        assert (k in {ours}) == (k in {theirs}), k
        assert hash(ours) == hash(theirs)
    # NumPy code's dtype dispatch tables, read by x.dtype.type
    assert {ours: "hit"}[x.dtype.type] == "hit" and x.dtype.type in {ours}
    assert x.dtype.type in {nd.float32, nd.float64, nd.int64, nd.bool, nd.uint8, nd.int8,
                            nd.int16, nd.int32, nd.uint16, nd.uint32, nd.uint64, nd.float16,
                            nd.complex64, nd.complex128}
    # comparing finds x.dtype (NumPy's namespace and the array API's portable way)
    assert x.dtype == ours and x.dtype in (ours,) and nd.isdtype(x.dtype, ours)


def test_numpy_scalars_and_dtype_queries_as_numpy():
    x = nd.asarray([1.5, 2.5], dtype=nd.float32)
    assert x.dtype.type is np.float32 and type(x.dtype.type(3)) is np.float32
    assert np.dtype(x.dtype) is np.dtype(np.float32) and x.dtype == "float32"
    assert np.issubdtype(x.dtype, np.floating) and nd.issubdtype(x.dtype, nd.floating)
    assert {nd.float32: "f4", nd.float64: "f8"}[x.dtype.type] == "f4"
    assert {np.float32: "f4"}[nd.asarray([1.0], dtype=np.float32).dtype.type] == "f4"

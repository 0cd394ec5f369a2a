"""``nd.float32`` and friends in dicts and sets: exactly NumPy's dtype objects.

``nd.float32 == np.float32`` is True while their hashes differ, so ``{np.float32: 1}``
misses ``nd.float32``. That is NumPy's own behaviour for its dtype objects:
``np.dtype('float32') == np.float32`` is True and their hashes differ too. ndgrad's names
are the standard's dtype objects (``xp.float32`` keys must find ``x.dtype``, which is a
NumPy dtype), so they hash as ``np.dtype(name)``; they cannot also hash as the scalar type.
These tests pin that every dict/set lookup gives the same outcome with ndgrad's name as with
``np.dtype(name)``, and that the mismatch with the scalar type is NumPy's.
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
def test_ndgrad_names_hash_as_numpys_dtype_objects(name):
    ours, theirs = getattr(nd, name), np.dtype(name)
    x = nd.zeros(2, dtype=ours)
    assert type(x.dtype) is type(theirs) and x.dtype == theirs
    keys = [theirs, x.dtype, theirs.type, np.asarray([0], dtype=name).dtype, ours,
            name]
    for k in keys:
        # as the stored key and as the looked-up key, ndgrad's name behaves as NumPy's
        # dtype object, lookup by lookup
        assert ({ours: 1}.get(k) == 1) == ({theirs: 1}.get(k) == 1), k
        assert ({k: 1}.get(ours) == 1) == ({k: 1}.get(theirs) == 1), k
        assert (k in {ours}) == (k in {theirs}), k
        assert (ours == k) == (theirs == k), k
        assert hash(ours) == hash(theirs)
    # the array API pattern: a table keyed by the namespace's dtypes, read by x.dtype
    assert {ours: "hit"}[x.dtype] == "hit" and x.dtype in {ours}

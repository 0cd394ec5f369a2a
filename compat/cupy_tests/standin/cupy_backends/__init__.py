"""CuPy's CUDA bindings package as ``CupyOnly`` placeholders: test modules that import
``cupy_backends.cuda.api.runtime`` (``core_tests/test_ndarray.py``) load, and a test that
uses one of its names is skipped as CuPy-only."""
import sys

import cupy as _cupy

__path__ = []
for _name in ("cupy_backends.cuda", "cupy_backends.cuda.api", "cupy_backends.cuda.api.driver",
              "cupy_backends.cuda.api.runtime", "cupy_backends.cuda.stream",
              "cupy_backends.cuda.libs"):
    _mod = _cupy.CupyOnlyModule(_name, is_hip=False)
    sys.modules[_name] = _mod
    _parent, _, _child = _name.rpartition(".")
    setattr(sys.modules[_parent], _child, _mod)

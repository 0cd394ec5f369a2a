"""The NumPy coverage script runs and ndgrad covers at least 90% of NumPy's main namespace
and all of numpy.random; every deliberately missing name has a reason."""
import importlib.util
import os


def _load():
    path = os.path.join(os.path.dirname(__file__), "..", "..", "compat", "numpy", "coverage.py")
    spec = importlib.util.spec_from_file_location("numpy_coverage", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_coverage_of_numpy_namespaces():
    mod = _load()
    rows = {name: (names, have, missing) for name, names, have, missing in mod.coverage()}
    names, have, missing = rows["numpy"]
    assert len(have) / len(names) >= 0.9, missing
    assert not rows["numpy.random"][2]
    # what the main namespace lacks is there on purpose, each with its reason
    assert all(n in mod.REASONS for n in missing), [n for n in missing if n not in mod.REASONS]
    assert all(hasattr(__import__("ndgrad"), n) for n in have)

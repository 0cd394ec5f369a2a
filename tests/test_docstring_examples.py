"""Every public function and class of ndgrad's namespaces (the NumPy face, linalg, fft,
random, ndgrad.tf and its TF namespaces) carries a docstring example, which pytest runs as
a doctest (the project's standard). Objects that are NumPy's or the standard library's
own (re-exported dtypes, NumPy's bit generators, the logging module's functions) carry
their own documentation and are not counted."""
import inspect
import types

import pytest

import ndgrad as nd
import ndgrad.tf as tf

_TF_SPACES = ["nn", "train", "layers", "image", "io", "losses", "math", "random", "linalg",
              "summary", "logging", "data", "initializers", "sparse", "python_io",
              "debugging", "contrib", "metrics", "manip"]
SPACES = {"ndgrad": nd, "ndgrad.linalg": nd.linalg, "ndgrad.fft": nd.fft,
          "ndgrad.random": nd.random, "ndgrad.tf": tf,
          **{f"ndgrad.tf.{s}": getattr(tf, s) for s in _TF_SPACES}}


def _public(ns):
    """(name, object) of the public callables of ``ns`` that ndgrad defines: a module's
    ``__all__`` where it has one (its imports are no API), else every name."""
    names = getattr(ns, "__all__", None) if isinstance(ns, types.ModuleType) else None
    for n in (names if names is not None else dir(ns)):
        if n.startswith("_"):
            continue
        o = getattr(ns, n, None)
        if o is None or not callable(o) or inspect.ismodule(o):
            continue
        if inspect.isclass(o) and issubclass(o, BaseException):
            continue
        if not (getattr(o, "__module__", "") or "").startswith("ndgrad"):
            continue
        yield n, o


@pytest.mark.parametrize("space", list(SPACES))
def test_every_public_function_has_a_docstring_example(space):
    missing = [n for n, o in _public(SPACES[space]) if ">>>" not in (o.__doc__ or "")]
    assert not missing, f"{space}: no docstring example for {missing}"


def test_the_check_sees_the_namespaces():
    # (a check that found no names would pass whatever the docstrings say)
    counts = {s: sum(1 for _ in _public(ns)) for s, ns in SPACES.items()}
    assert counts["ndgrad"] > 400 and counts["ndgrad.tf"] > 250, counts
    assert counts["ndgrad.tf.nn"] > 30 and counts["ndgrad.random"] > 40, counts

"""Run a TF1 program case under ndgrad.tf and compare its outputs with TensorFlow's
printed ones: the harness of the tests whose expected values were printed by TF 2.15 and
pasted in (tests/tf/test_bitwise_ops.py, test_nn_stats.py). A case is ``fn()`` building
a graph and returning its outputs (None for a None gradient, a tuple for a Python value,
or ``_feed(...)`` for a placeholder with its value)."""
import math
import warnings

import numpy as np

import ndgrad.tf as tf


def _feed(tf, fn, val, dt, shape):
    p = tf.placeholder(dt, shape=shape)
    outs = fn(p)
    return [("__feed__", p, val, outs)]


# -- running a case and comparing it with TF's outputs -----------------------------------
def _enc(v):
    """A fetched value as (dtype, shape, values): floats as the shortest string that
    reads back in their dtype ('nan', 'inf'), complex as [re, im] pairs."""
    a = np.asarray(v)
    if a.dtype.kind == "c":
        vals = [[_fstr(z.real, a.real.dtype), _fstr(z.imag, a.real.dtype)] for z in a.ravel()]
    elif a.dtype.kind == "f":
        vals = [_fstr(x, a.dtype) for x in a.ravel()]
    elif a.dtype.kind == "b":
        vals = [bool(x) for x in a.ravel()]
    else:
        vals = [int(x) for x in a.ravel()]
    return [a.dtype.name, list(a.shape), vals]


def _fstr(x, dt):
    x = dt.type(x)
    return "nan" if np.isnan(x) else str(x) if dt != np.float64 else repr(float(x))


def _static(t):
    s = t.shape
    if s.ndims is None:
        return None
    return [None if d is None else int(d) for d in s.as_list()]


def run_case(tf, fn):
    """Build ``fn``'s graph in a fresh default graph and run it: {'out': [...]} (per
    output: None for a None gradient, ['py', repr] for a Python value, else
    [static shape, dtype, shape, values]) or {'err': type name}."""
    tf.reset_default_graph()
    try:
        outs = fn()
        feed = {}
        if outs and isinstance(outs[0], tuple) and outs[0][0] == "__feed__":
            _, p, val, outs = outs[0]
            feed = {p: val}
        run = [o for o in outs if o is not None and not isinstance(o, tuple)]
        with tf.Session() as s:
            vals = iter(s.run(run, feed_dict=feed))
        res = []
        for o in outs:
            if o is None:
                res.append(None)
            elif isinstance(o, tuple):
                res.append(["py", repr(o)])
            else:
                res.append([_static(o)] + _enc(next(vals)))
        return {"out": res}
    except Exception as e:  # noqa: BLE001
        return {"err": type(e).__name__}


def _num(s):
    return float(s)


def _close(got, exp, dtype):
    """Equal values: exactly for integers and bools; floats equal up to the last bits
    (TF's and NumPy's exp/log/rsqrt differ there), NaN where TF has NaN."""
    if dtype.startswith("complex"):
        return all(_close(g, e, "float32" if dtype == "complex64" else "float64")
                   for g, e in zip(got, exp))
    if not dtype.startswith("float"):
        return got == exp
    tol = {"float16": 2e-3, "float32": 2e-6, "float64": 1e-13}[dtype]
    for g, e in zip(got, exp):
        g, e = _num(g), _num(e)
        if math.isnan(e) or math.isnan(g):
            if not (math.isnan(e) and math.isnan(g)):
                return False
        elif math.isinf(e) or math.isinf(g):
            if g != e:
                return False
        elif abs(g - e) > tol * max(1.0, abs(e)):
            return False
    return True


def _compare(label, got, exp, eager=False):
    """``got`` (run_case's result, or eager outputs) against TF's ``exp``."""
    assert len(got) == len(exp), (label, got, exp)
    for i, (g, e) in enumerate(zip(got, exp)):
        if e is None or g is None:
            assert g is None and e is None, (label, i, "a None gradient on one side only", g, e)
            continue
        if e[0] == "py":
            assert g == e, (label, i, g, e)
            continue
        if not eager:
            assert g[0] == e[0], (label, i, "static shape", g[0], e[0])
            g = g[1:]
        e = e[1:]
        assert g[0] == e[0], (label, i, "dtype", g[0], e[0])
        assert g[1] == e[1], (label, i, "shape", g[1], e[1])
        assert _close(g[2], e[2], e[0]), (label, i, "values", g[2], e[2])


def _eager_outputs(fn):
    tf.enable_eager_execution()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        outs = fn()
    return [None if o is None else ["py", repr(o)] if isinstance(o, tuple) else _enc(o)
            for o in outs]


def check_graph_case(label, fn, exp, build_time):
    """Case ``fn`` in graph mode against TF's result ``exp``; ``build_time``: {label: the
    error ndgrad raises when the graph is built where TF's is InvalidArgumentError when
    it runs}."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = run_case(tf, fn)
    if "err" in exp or "err" in got:
        assert got.get("err") == build_time.get(label, exp.get("err")), (label, got, exp)
        if label in build_time:
            assert exp["err"] == "InvalidArgumentError"
        return
    _compare(label, got["out"], exp["out"])


# cases that need graph mode (tf.gradients, unknown shapes, placeholders)
GRAPH_ONLY = ("grad", "unknown", "second order", "placeholder")


def oracle_tests(cases, results, build_time, graph_only=GRAPH_ONLY):
    """A TF-oracle module's two tests: every case in graph mode against TF's recorded
    ``results``, and in eager mode each case with outputs whose label names none of
    ``graph_only`` (gradients, unknown shapes, placeholders). Assign them to the module's
    ``test_graph_mode_matches_tf, test_eager_mode_matches_tf``."""
    import pytest
    assert set(cases) == set(results)

    @pytest.mark.parametrize("label", list(results))
    def test_graph_mode_matches_tf(label):
        check_graph_case(label, cases[label], results[label], build_time)

    @pytest.mark.parametrize("label", [k for k, v in results.items() if "out" in v and not
                                       any(w in k for w in graph_only)])
    def test_eager_mode_matches_tf(label):
        _compare(label, _eager_outputs(cases[label]), results[label]["out"], eager=True)

    return test_graph_mode_matches_tf, test_eager_mode_matches_tf

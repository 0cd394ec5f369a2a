"""nd.jit and the arrays a function reads from outside its arguments: the compiled code
holds their values at trace time, so a call after a write into one (ndgrad's or NumPy's)
traces again and gives eager's result, never the old values."""
import threading
import warnings

import numpy as np
import pytest

import ndgrad as nd


def _call(f, *args):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return np.asarray(f(*args))


@pytest.mark.parametrize("how", ["ndgrad_setitem", "ndgrad_iadd", "numpy_alias",
                                 "numpy_closure", "nan", "signed_zero"])
def test_a_write_after_the_trace_gives_eager_values(how):
    base = np.array([1.0, 2.0, 0.0])
    w = nd.asarray(base.copy())
    c = base.copy()
    cn = nd.asarray(c)                   # shares c's memory

    def f(x):
        if how == "numpy_closure":
            return x * c                 # a NumPy array the function closes over
        if how == "numpy_alias":
            return x * cn
        return x * w
    jf = nd.jit(f)
    x = nd.ones(3)
    np.testing.assert_array_equal(_call(jf, x), f(x))
    if how == "ndgrad_setitem":
        w[1] = 7.0
    elif how == "ndgrad_iadd":
        w += 1.0
    elif how in ("numpy_alias", "numpy_closure"):
        c[0] = -5.0
    elif how == "nan":
        w[0] = np.nan
    else:
        w[2] = -0.0
    want = np.asarray(f(x))
    got = _call(jf, x)
    np.testing.assert_array_equal(got, want)
    assert np.array_equal(np.signbit(got), np.signbit(want))
    assert jf.trace_count == 2
    _call(jf, x)                         # unchanged since: no new trace
    assert jf.trace_count == 2


def test_values_computed_eagerly_from_a_captured_array_follow_it():
    w = nd.asarray([1.0, 2.0])
    c = np.array([1.0, 3.0])
    fs = [lambda x: x * nd.sum(w),                    # an op on it alone (run at trace time)
          lambda x: x * float(w[1]),                  # a Python number from it
          lambda x: x + nd.median(nd.asarray(c)),     # a host-style function of it
          lambda x: x * np.sum(np.asarray(w)),        # NumPy on it
          lambda x: x * w.item(0)]
    jfs = [nd.jit(f) for f in fs]
    x = nd.ones(2)
    for f, jf in zip(fs, jfs):
        np.testing.assert_array_equal(_call(jf, x), np.asarray(f(x)))
    w[0] = 10.0
    w[1] = 20.0
    c[1] = 9.0
    for f, jf in zip(fs, jfs):
        np.testing.assert_array_equal(_call(jf, x), np.asarray(f(x)))


def test_value_and_grad_under_jit_follows_a_closed_over_parameter():
    # the common training-loop pitfall: parameters updated in place, read by closure
    w = nd.asarray([0.5, -1.0])

    def loss(x):
        return nd.sum(nd.sin(x * w))
    step = nd.jit(nd.value_and_grad(loss))
    x = nd.asarray([1.0, 2.0])
    for _ in range(3):
        v_eager, g_eager = nd.value_and_grad(loss)(x)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            v, g = step(x)
        np.testing.assert_allclose(np.asarray(v), np.asarray(v_eager), rtol=1e-15)
        np.testing.assert_allclose(np.asarray(g), np.asarray(g_eager), rtol=1e-15)
        w -= 0.1


def test_the_retrace_warns_once_and_names_the_array():
    w = nd.asarray(np.zeros((2, 3), dtype=np.float32))
    jf = nd.jit(lambda x: x + w)
    jf(nd.ones((2, 3), dtype="float32"))
    w[0, 0] = 1.0
    with pytest.warns(UserWarning, match=r"shape \(2, 3\), dtype float32"):
        jf(nd.ones((2, 3), dtype="float32"))
    w[0, 0] = 2.0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = jf(nd.ones((2, 3), dtype="float32"))    # no second warning
    assert float(out[0, 0]) == 3.0


def test_arguments_and_arrays_made_inside_are_not_captured():
    def f(x, y):
        z = nd.zeros(3)
        return x * y + z + nd.sum(x)
    jf = nd.jit(f)
    x, y = nd.ones(3), nd.arange(3.0)
    jf(x, y)
    tr = next(iter(jf._cache.values()))
    assert not any(a is x or a is y for a, *_ in tr.captured)
    x[0] = 5.0        # an argument's new value is fed, never a reason to retrace
    np.testing.assert_array_equal(np.asarray(jf(x, y)), np.asarray(f(x, y)))
    assert jf.trace_count == 1


def test_a_trace_in_one_thread_captures_nothing_from_another():
    w = nd.asarray([1.0, 2.0])
    jf = nd.jit(lambda x: x * w)
    stop = threading.Event()
    other = []

    def busy():
        a = nd.asarray([3.0, 4.0])
        while not stop.is_set():
            other.append(float(nd.sum(a * a)))
    t = threading.Thread(target=busy)
    t.start()
    try:
        for k in range(20):
            w[0] = float(k)
            np.testing.assert_array_equal(_call(jf, nd.ones(2)), [float(k), 2.0])
    finally:
        stop.set()
        t.join()
    assert set(other) == {25.0}
    tr = next(iter(jf._cache.values()))
    assert len(tr.captured) <= 2          # w (and its Const), not the thread's arrays


from hypothesis import given, strategies as st  # noqa: E402

_READS = ["op", "scalar", "numpy", "view", "host"]
_WRITES = ["none", "setitem", "iadd", "numpy_alias", "numpy_closure", "rebind_values"]


@given(st.lists(st.sampled_from(_READS), min_size=1, max_size=4),
       st.lists(st.sampled_from(_WRITES), min_size=1, max_size=4),
       st.lists(st.floats(-3, 3), min_size=3, max_size=3))
def test_random_reads_and_writes_match_eager(reads, writes, vals):
    c = np.array(vals)
    w = nd.asarray(c.copy())
    cn = nd.asarray(c)

    def f(x):
        h = x
        for r in reads:
            if r == "op":
                h = h * w
            elif r == "scalar":
                h = h + float(w[0])
            elif r == "numpy":
                h = h + c
            elif r == "view":
                h = h * cn[::-1]
            else:
                h = h + nd.median(w)
        return h
    jf = nd.jit(f)
    x = nd.asarray([0.5, -1.0, 2.0])
    for k in writes:
        if k == "setitem":
            w[1] = w[1] * 2.0 + 1.0
        elif k == "iadd":
            w += 0.25
        elif k == "numpy_alias":
            c[2] = -c[2] - 1.0
        elif k == "numpy_closure":
            c[0] += 3.0
        elif k == "rebind_values":
            w[...] = nd.asarray(c) * 0.5
        np.testing.assert_array_equal(_call(jf, x), np.asarray(f(x)))


@pytest.mark.parametrize("name", ["unwrap", "histogram", "median", "trim_zeros"])
def test_host_functions_on_a_traced_value_are_a_clear_error(name):
    # (they recursed until RecursionError: NumPy's function dispatched back to ndgrad's)
    from ndgrad.graph.jit import ConcretizationTypeError
    f = getattr(nd, name)

    def g(x):
        return f(x) if name != "histogram" else f(x)[0]
    jf = nd.jit(g)
    try:
        jf(nd.ones(3))
    except ConcretizationTypeError as e:
        assert "traced value" in str(e)
    else:   # a function with a traceable path must give eager's values
        np.testing.assert_array_equal(np.asarray(jf(nd.ones(3))), np.asarray(g(nd.ones(3))))


def test_constants_of_the_trace_are_not_captures_but_outside_arrays_are():
    """Host code and trace-time ops reading the trace's own constants (read-only graph
    values) add no capture for every call to compare; an outside array still is one, and
    a write into it still traces again."""
    import warnings
    w = nd.asarray([1.0, 1.0])

    def f(x):
        z = nd.zeros(2) + 3.0
        n = int(z[0])                  # host code on a constant
        s = float(nd.sum(z))           # a trace-time op on constants, then host code
        return x * n + s + w

    jf = nd.jit(f)
    x = nd.asarray([1.0, 2.0])
    np.testing.assert_array_equal(np.asarray(jf(x)), np.asarray(f(x)))
    (tr,) = jf._cache.values()
    srcs = [src for src, _, _ in tr.captured]
    assert srcs and all(src is w for src in srcs)
    w[0] = 5.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        np.testing.assert_array_equal(np.asarray(jf(x)), np.asarray(f(x)))
    assert jf.trace_count == 2


TABLE = np.array([1.0, 2.0, 3.0])
SETTINGS = {"scale": np.array([2.0])}


@pytest.mark.parametrize("read", ["method", "element", "python_sum", "attribute"])
def test_a_numpy_array_read_by_numpy_code_follows_writes(read):
    # NumPy's own code on a NumPy array the function reaches by name (no ndgrad op sees
    # the read): a later write into it retraces too
    class Holder:
        pass
    h = Holder()
    h.arr = np.array([5.0, 1.0])

    def f(x):
        if read == "method":
            return x * TABLE.sum()
        if read == "element":
            return x * SETTINGS["scale"][0]
        if read == "python_sum":
            return x * float(sum(TABLE))
        return x * h.arr.max()
    jf = nd.jit(f)
    x = nd.asarray([1.0, -1.0])
    old = (TABLE.copy(), SETTINGS["scale"].copy())
    try:
        np.testing.assert_array_equal(_call(jf, x), np.asarray(f(x)))
        TABLE[0] = 10.0
        SETTINGS["scale"][0] = -3.0
        h.arr[1] = 9.0
        np.testing.assert_array_equal(_call(jf, x), np.asarray(f(x)))
    finally:
        TABLE[:] = old[0]
        SETTINGS["scale"][:] = old[1]


def test_a_large_numpy_array_read_by_name_only_warns(monkeypatch):
    from ndgrad.graph import jit as jit_module
    monkeypatch.setattr(jit_module, "_NAMED_NUMPY_BYTES", 16)
    big = np.arange(8.0)

    def f(x):
        return x * big.shape[0]
    jf = nd.jit(f)
    with pytest.warns(UserWarning, match=r"reads the NumPy array `big`"):
        jf(nd.ones(2))
    assert not any(c[0] is big for c in next(iter(jf._cache.values())).captured)

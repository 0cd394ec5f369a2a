"""What a jitted function rebinds outside itself while tracing (``graph/jit_state.py``):
traced values stored outside are refused and put back; other rebound state makes the
next call trace again, so every call gives the eager function's values and leaves the
state as eager calls leave it."""
import warnings

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import ndgrad as nd

COUNTER = {"t": 0}
HISTORY = []
LEAKED = None


def _eq(a, b):
    np.testing.assert_array_equal(np.asarray(a), np.asarray(b))


def test_a_traced_value_stored_on_self_is_refused_and_put_back():
    class Model:
        def __init__(self):
            self.w = nd.asarray([1.0, 2.0])

        @nd.jit
        def step(self, x):
            loss, g = nd.value_and_grad(lambda w: nd.sum((w * x) ** 2))(self.w)
            self.w = self.w - 0.1 * g        # (eager: a new w at every call)
            return loss

    m = Model()
    w0 = m.w
    with pytest.raises(RuntimeError, match=r"stored a traced value in `self\.w`"):
        m.step(nd.ones(2))
    assert m.w is w0     # put back: the failed call changed nothing


def test_a_traced_value_stored_in_a_global_list_or_name_is_refused():
    @nd.jit
    def f(x):
        y = nd.sin(x)
        HISTORY.append(y)
        return y

    with pytest.raises(RuntimeError, match="HISTORY"):
        f(nd.ones(2))
    assert HISTORY == []

    @nd.jit
    def g(x):
        global LEAKED
        LEAKED = x * 2.0
        return x

    with pytest.raises(RuntimeError, match="LEAKED"):
        g(nd.ones(2))
    assert LEAKED is None


def test_a_traced_value_stored_in_a_closure_cell_is_refused():
    last = None

    def f(x):
        nonlocal last
        y = x + 1.0
        if last is None:
            last = y
        return y

    with pytest.raises(RuntimeError, match="last"):
        nd.jit(f)(nd.ones(2))
    assert last is None


def test_a_counter_used_in_the_computation_gives_eager_values():
    # a schedule that keeps its step outside: each call sees the next step
    def f(x):
        COUNTER["t"] += 1
        return x * 0.5 ** COUNTER["t"]

    COUNTER["t"] = 0
    eager = [np.asarray(f(nd.ones(2))) for _ in range(4)]
    COUNTER["t"] = 0
    j = nd.jit(f)
    with pytest.warns(UserWarning, match=r"rebinds \(or advances\) `COUNTER\['t'\]`"):
        got = [np.asarray(j(nd.ones(2))) for _ in range(4)]
    for a, b in zip(got, eager):
        _eq(a, b)
    assert COUNTER["t"] == 4


def test_an_attribute_counter_on_a_decorated_method():
    class Sched:
        def __init__(self):
            self.step = 0

        @nd.jit
        def __call__(self, x):
            self.step += 1
            return x / self.step

    s = Sched()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        vals = [float(nd.sum(s(nd.ones(1)))) for _ in range(3)]
    assert vals == [1.0, 0.5, 1.0 / 3.0] and s.step == 3


def test_a_cache_filled_while_tracing_compiles_after_one_more_trace():
    cache = {}

    def f(x):
        if "k" not in cache:
            cache["k"] = 3.0      # filled once: eager's later calls leave it as it is
        return x * cache["k"]

    j = nd.jit(f)
    with warnings.catch_warnings():
        warnings.simplefilter("error")   # no warning for a cache
        for _ in range(4):
            _eq(j(nd.ones(2)), [3.0, 3.0])
    assert j.trace_count == 2


def test_a_function_that_rebinds_nothing_traces_once():
    scale = 2.0

    @nd.jit
    def f(x):
        return x * scale

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for _ in range(3):
            _eq(f(nd.ones(2)), [2.0, 2.0])
    assert f.trace_count == 1


@settings(max_examples=30, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(["bump", "reset", "call", "scale"]), min_size=1,
                max_size=10))
def test_random_sequences_of_stateful_calls_match_eager(ops):
    # the same program run eagerly and jitted: the values and the state agree
    def make():
        state = {"n": 0, "s": 1.0}

        def f(x):
            state["n"] += 1
            return x * state["s"] + state["n"]
        return state, f

    se, fe = make()
    sj, fj = make()
    fj = nd.jit(fj)
    x = nd.asarray([1.0, -2.0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for op in ops:
            for s in (se, sj):
                if op == "bump":
                    s["n"] += 10
                elif op == "reset":
                    s["n"] = 0
                elif op == "scale":
                    s["s"] = -s["s"] * 1.5
            if op == "call":
                _eq(fj(x), fe(x))
            assert se == sj
        _eq(fj(x), fe(x))
        assert se == sj


def test_rebinding_to_an_equal_value_is_no_change():
    class M:
        def __init__(self):
            self.last_shape = None
            self.mode = "train"

        @nd.jit
        def __call__(self, x):
            self.last_shape = x.shape     # equal at every call of one signature
            self.mode = "train"
            return x * 2.0

    m = M()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for _ in range(4):
            _eq(m(nd.ones(3)), [2.0, 2.0, 2.0])
    assert m.last_shape == (3,)
    assert M.__call__.trace_count <= 2     # (the first binding: traced once more)


def test_an_iterator_advanced_while_tracing_advances_at_every_call():
    import itertools

    def gen():
        k = 0
        while True:
            k += 1
            yield float(k)
    for make in (lambda: iter([1.0, 2.0, 3.0, 4.0]), lambda: itertools.count(1), gen):
        it = make()

        def f(x):
            return x * next(it)
        jf = nd.jit(f)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            got = [float(jf(nd.ones(1))[0]) for _ in range(3)]
        assert got == [1.0, 2.0, 3.0], (make, got)


def test_a_traced_value_nested_in_a_container_is_refused():
    store = {}

    @nd.jit
    def f(x):
        y = x * 2.0
        store["deep"] = [[y]]
        return y

    with pytest.raises(RuntimeError, match="store"):
        f(nd.ones(2))
    assert store == {}


def test_a_trace_that_fails_or_draws_leaves_no_traced_value_behind():
    class M:
        def __init__(self):
            self.w = nd.asarray([1.0, 2.0])

    m = M()
    w0 = m.w

    @nd.jit
    def fails(x):
        m.w = m.w * x
        if nd.sum(m.w) > 0:      # Python control flow on a traced value: refused
            return x
        return -x

    with pytest.raises(Exception, match="bool"):
        fails(nd.ones(2))
    assert m.w is w0

    @nd.jit
    def draws(x):
        m.w = m.w * x
        return x + np.random.normal()

    with pytest.raises(RuntimeError, match="global generator"):
        draws(nd.ones(2))
    assert m.w is w0


LOG = []


def _log():
    return LOG          # (read for chains: LOG is put back)


def test_a_traced_value_put_into_a_module_list_through_a_call_is_refused():
    @nd.jit
    def f(x):
        y = x + 1.0
        _log().append(y)
        return y

    with pytest.raises(RuntimeError, match="LOG.*as it was"):
        f(nd.ones(2))
    assert LOG == []

    @nd.jit
    def g(x):
        y = x + 1.0
        globals()["LOG"].append(y)   # (no chain reaches LOG: it cannot be put back)
        return y

    try:
        with pytest.raises(RuntimeError, match="LOG.*could not be put back"):
            g(nd.ones(2))
    finally:
        LOG.clear()

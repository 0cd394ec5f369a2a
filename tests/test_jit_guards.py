"""nd.jit and names rebound after the trace (``graph/jit_guards.py``): a global, a closure
variable, an attribute or a dict entry the function reads, bound to another value, makes
the next call trace again, so the compiled code never runs on the old value (JAX keeps
the old one silently; torch.compile guards and recompiles)."""
import collections
import contextlib
import functools
import types
import warnings

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import ndgrad as nd

lr = 0.5
scale = {"s": 1.0}


class Box:
    pass


box = Box()
box.w = nd.asarray([1.0, 1.0])


def _f(x):
    return x * lr


def _g(x):
    return x * scale["s"]


def _h(x):
    return x * box.w


def _helper(x):
    return x * lr


def _top(x):
    return _helper(x) + 1.0


X = nd.asarray([1.0, 2.0])


def _call(j, f, x=X):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = j(x)
    want = f(x)
    np.testing.assert_array_equal(np.asarray(got), np.asarray(want))
    return got


@pytest.fixture(autouse=True)
def _restore():
    global lr
    saved = (lr, scale["s"], box.w)
    yield
    lr, scale["s"], box.w = saved


@pytest.mark.parametrize("fn", [_f, _g, _h, _top])
def test_a_rebound_name_retraces_and_gives_eager_values(fn):
    global lr
    j = nd.jit(fn)
    _call(j, fn)
    assert j.trace_count == 1
    lr = 3.0
    scale["s"] = 3.0
    box.w = nd.asarray([3.0, 4.0])
    _call(j, fn)
    assert j.trace_count == 2
    _call(j, fn)
    assert j.trace_count == 2


def test_the_warning_names_what_was_rebound_once():
    global lr
    j = nd.jit(_f)
    j(X)
    lr = 7.0
    with pytest.warns(UserWarning, match=r"`lr`.*another value"):
        j(X)
    lr = 8.0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        np.testing.assert_array_equal(np.asarray(j(X)), [8.0, 16.0])


def test_an_equal_scalar_is_no_change_but_minus_zero_is():
    global lr
    lr = 2.0
    j = nd.jit(_f)
    _call(j, _f)
    lr = float("2.0") + 0.0          # another float object, the same value
    _call(j, _f)
    assert j.trace_count == 1
    lr = 0.0
    _call(j, _f)
    lr = -0.0                        # equal, but x * -0.0 has the other sign
    got = _call(j, _f)
    assert np.signbit(np.asarray(got)).all()
    lr = np.float32(1.5)
    _call(j, _f)
    lr = np.float32(1.5)             # a NumPy scalar of the same value and dtype
    n = j.trace_count
    _call(j, _f)
    assert j.trace_count == n
    lr = np.float64(1.5)             # the same value, another dtype
    _call(j, _f)
    assert j.trace_count == n + 1


def test_closure_cells_methods_and_wrapped_functions():
    k = 2.0

    def f(x):
        return x * k

    j = nd.jit(f)
    _call(j, f)
    k = 5.0          # noqa: F841 (the closure's cell)
    _call(j, f)

    class Model:
        factor = 1.0

        def __init__(self):
            self.w = nd.asarray([1.0, 1.0])

        def loss(self, x):
            return nd.sum(x * self.w) * self.factor

    m = Model()
    jl = nd.jit(m.loss)
    _call(jl, m.loss)
    m.w = nd.asarray([2.0, -1.0])
    _call(jl, m.loss)
    Model.factor = 4.0               # a class attribute read through self
    _call(jl, m.loss)

    vg = nd.value_and_grad(lambda w: nd.sum(w * k))
    jvg = nd.jit(vg)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        v0, g0 = jvg(X)
        k = -3.0
        v1, g1 = jvg(X)
    np.testing.assert_array_equal(np.asarray(g1), [-3.0, -3.0])
    assert float(v1) == -9.0


def test_checking_runs_no_user_code():
    calls = []

    class Lazy:
        @property
        def w(self):
            calls.append(1)
            return 2.0

        def __getattr__(self, name):
            calls.append(name)
            return 3.0

    obj = Lazy()

    def f(x):
        return x * obj.w * obj.other

    j = nd.jit(f)
    _call(j, f)
    n = len(calls)
    for _ in range(5):
        j(X)
    assert len(calls) == n          # the compiled calls read neither
    assert j.trace_count == 1


def test_state_the_function_rebinds_while_tracing_is_rebound_at_every_call():
    # Python code runs only when tracing; a name the trace rebound makes the next call
    # trace again (where JAX keeps the trace's values): state as the eager calls leave it
    state = {"calls": 0}

    def f(x):
        state["calls"] += 1
        return x * 2.0

    j = nd.jit(f)
    with pytest.warns(UserWarning,
                      match=r"rebinds \(or advances\) `state\['calls'\]` while tracing"):
        for _ in range(3):
            j(X)
    assert j.trace_count == 3 and state["calls"] == 3


@settings(max_examples=40, deadline=None, derandomize=True)
@given(st.lists(st.tuples(st.sampled_from(["lr", "s", "w", "none"]),
                          st.sampled_from([0.0, -0.0, 1.0, 2.5, -1.0, float("nan")])),
                min_size=1, max_size=8))
def test_random_rebindings_match_eager(steps):
    global lr

    def f(x):
        return x * lr + scale["s"] * box.w

    j = nd.jit(f)
    for which, v in steps:
        if which == "lr":
            lr = v
        elif which == "s":
            scale["s"] = v
        elif which == "w":
            box.w = nd.asarray([v, 1.0])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            got = np.asarray(j(X))
        want = np.asarray(f(X))
        assert got.tobytes() == want.tobytes(), (which, v, got, want)


def test_a_decorated_method_follows_its_instance():
    # @nd.jit on a method: self is a static argument (its identity is the cache key), so
    # the trace read self.w once; a rebinding, or a write into the new array, must reach
    # the next call (both gave the first trace's 6.0 before)
    class Model:
        def __init__(self):
            self.w = nd.asarray([1.0, 1.0])
            self.s = 2.0

        @nd.jit
        def loss(self, x):
            return nd.sum(x * self.w) * self.s

    def eager(m):
        return float(nd.sum(X * m.w) * m.s)

    m, m2 = Model(), Model()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert float(m.loss(X)) == eager(m) == 6.0
        m.w = nd.asarray([3.0, 3.0])
        assert float(m.loss(X)) == eager(m) == 18.0
        m.s = 10.0
        assert float(m.loss(X)) == eager(m) == 90.0
        m.w -= 1.0
        assert float(m.loss(X)) == eager(m) == 60.0
        assert float(m2.loss(X)) == eager(m2) == 6.0


def test_object_arguments_and_partials():
    import functools

    class Cfg:
        k = 1.0

    c = Cfg()

    def g(x, cfg):
        return x * cfg.k

    def h(cfg, x):
        return x * cfg.k * lr

    jg = nd.jit(g)
    jh = nd.jit(functools.partial(h, c))
    for k in (1.0, 4.0, -0.0, 2.5):
        c.k = k
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            np.testing.assert_array_equal(np.asarray(jg(X, c)), np.asarray(g(X, c)))
            np.testing.assert_array_equal(np.asarray(jh(X)), np.asarray(h(c, X)))


def test_a_jitted_function_called_inside_another_is_read_too():
    # the inner nd.jit function is inlined into the outer trace: its global is the
    # outer's dependency (the outer call gave the first trace's [2, 3] before)
    global lr
    lr = 1.0

    @nd.jit
    def inner(x):
        return x * lr

    @nd.jit
    def outer(x):
        return inner(x) + 1.0

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        np.testing.assert_array_equal(np.asarray(outer(X)), [2.0, 3.0])
        lr = 3.0
        np.testing.assert_array_equal(np.asarray(outer(X)), [4.0, 7.0])
        np.testing.assert_array_equal(np.asarray(inner(X)), [3.0, 6.0])


def test_entries_of_lists_and_layers_read_in_a_loop():
    # a loop over a list of (W, b) pairs or of layer objects reads every entry: replacing
    # one, appending one or rebinding a layer's weight retraces (each gave the old value)
    params = [(nd.asarray([1.0, 1.0]), 0.0), (nd.asarray([2.0, 2.0]), 1.0)]

    def f(x):
        for W, b in params:
            x = x * W + b
        return x

    class Layer:
        def __init__(self, w):
            self.w = nd.asarray(w)

        def __call__(self, x):
            return x * self.w

    class Model:
        def __init__(self):
            self.layers = [Layer([1.0, 1.0]), Layer([2.0, 2.0])]

        def forward(self, x):
            for layer in self.layers:
                x = layer(x)
            return x

    m = Model()
    jf, jm = nd.jit(f), nd.jit(m.forward)
    steps = [lambda: params.__setitem__(0, (nd.asarray([3.0, 3.0]), 0.0)),
             lambda: params.append((nd.asarray([1.0, 1.0]), 5.0)),
             lambda: setattr(m.layers[1], "w", nd.asarray([5.0, 5.0])),
             lambda: m.layers.append(Layer([-1.0, 2.0]))]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for step in [lambda: None] + steps:
            step()
            np.testing.assert_array_equal(np.asarray(jf(X)), np.asarray(f(X)))
            np.testing.assert_array_equal(np.asarray(jm(X)), np.asarray(m.forward(X)))


def test_methods_reached_through_super_are_read():
    class Base:
        def __init__(self):
            self.w = nd.asarray([1.0, 1.0])

        def forward(self, x):
            return x * self.w

    class Child(Base):
        def forward(self, x):
            return super().forward(x) + 1.0

        @nd.jit
        def doubled(self, x):
            return super().forward(x) * 2.0

    c = Child()
    j = nd.jit(c.forward)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        j(X), c.doubled(X)
        c.w = nd.asarray([4.0, -1.0])   # (both gave the first trace's values before)
        np.testing.assert_array_equal(np.asarray(j(X)), np.asarray(c.forward(X)))
        np.testing.assert_array_equal(np.asarray(c.doubled(X)),
                                      np.asarray(Base.forward(c, X) * 2.0))


def test_keyword_object_arguments():
    class Cfg:
        k = 1.0

    c = Cfg()

    def f(x, *, cfg):
        return x * cfg.k

    def g(x, cfg=None):
        return x * cfg.k

    jf, jg = nd.jit(f), nd.jit(g)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for k in (1.0, 3.0, -2.0):
            c.k = k
            np.testing.assert_array_equal(np.asarray(jf(X, cfg=c)), np.asarray(f(X, cfg=c)))
            np.testing.assert_array_equal(np.asarray(jg(X, cfg=c)), np.asarray(g(X, cfg=c)))


class _Config:
    k = 1.0


_CONFIG = _Config()


def _with_default(x, cfg=_CONFIG):
    return x * cfg.k


def _calls_with_default(x):
    return _with_default(x) + 1.0


def test_objects_given_as_default_values():
    # def f(x, cfg=CONFIG): the default's attributes are read as a global's would be
    jf, jt = nd.jit(_with_default), nd.jit(_calls_with_default)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for k in (1.0, 3.0, -0.5):
                _CONFIG.k = k
                np.testing.assert_array_equal(np.asarray(jf(X)), np.asarray(_with_default(X)))
                np.testing.assert_array_equal(np.asarray(jt(X)),
                                              np.asarray(_calls_with_default(X)))
    finally:
        _CONFIG.k = 1.0


def test_what_cannot_be_checked_is_said():
    big = [nd.asarray([float(i), 1.0]) for i in range(100)]

    def f(x):
        y = x
        for w in big:
            y = y + w
        return y

    with pytest.warns(UserWarning, match=r"entries of `big` \(100 of them"):
        nd.jit(f)(X)


def test_state_read_through_properties_getattr_and_namespaces():
    # a chain that stops at an object whose reading runs its class's code (a property, a
    # __getattr__): that code is read (not run) for the chains it loads from self
    import functools
    import types

    class Opt:
        def __init__(self):
            self._lr = 0.5

        @property
        def lr(self):
            return self._lr

        @nd.jit
        def step(self, w, g):
            return w - self.lr * g

    class Config:
        def __init__(self):
            self._d = {"s": 2.0}

        def __getattr__(self, name):
            return self._d[name]

    class Cached:
        def __init__(self):
            self.k = 2.0

        @functools.cached_property
        def double(self):
            return self.k * 2

    o, cfg, ns, cp = Opt(), Config(), types.SimpleNamespace(a=3.0), Cached()
    w = nd.asarray([1.0])
    fs = [lambda x: o.step(x, w), lambda x: x * cfg.s, lambda x: x * ns.a,
          lambda x: x * cp.double]
    js = [nd.jit(f) for f in fs]
    for j, f in zip(js, fs):
        _call(j, f)
    o._lr = 0.1
    cfg._d["s"] = 7.0
    ns.a = 4.0
    del cp.__dict__["double"]
    cp.k = 10.0
    for j, f in zip(js, fs):
        _call(j, f)     # (eager's values: each call traced again)


CFG = {"lr": 0.5}
PARAMS = {"w": 1.0, "b": 2.0}
ORDER = [1.0, 2.0]


def test_entries_read_through_container_methods_and_getattr_by_name():
    # cfg.get("lr"), P.values(), max(L) and getattr(obj, "name"): the entries read
    class Holder:
        pass
    h = Holder()
    h.s = 3.0
    fs = [lambda x: x * CFG.get("lr", 0.1), lambda x: sum(v * x for v in PARAMS.values()),
          lambda x: x * max(ORDER), lambda x: x * getattr(h, "s"),
          lambda x: x * getattr(h, "t", 1.5) if hasattr(h, "u") else x]
    js = [nd.jit(f) for f in fs]
    old = (dict(CFG), dict(PARAMS), list(ORDER))
    try:
        for j, f in zip(js, fs):
            _call(j, f)
        CFG["lr"] = 2.0
        PARAMS["b"] = 5.0
        ORDER.append(9.0)
        h.s = 4.0
        h.t = -1.0
        h.u = True
        for j, f in zip(js, fs):
            _call(j, f)
    finally:
        CFG.clear(), CFG.update(old[0]), PARAMS.clear(), PARAMS.update(old[1])
        ORDER[:] = old[2]


def test_a_lookup_by_computed_key_in_a_large_registry_gives_no_warning():
    table = {f"k{i}": float(i) for i in range(200)}

    def f(x, name="k3"):
        return x * table.get(name, 0.0)

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _call(nd.jit(f), f)


BWD_SCALE = 2.0


def test_a_custom_vjp_rule_reading_a_global_is_read_too():
    @nd.custom_vjp
    def f(x):
        return nd.sin(x)

    f.defvjp(lambda x: (nd.sin(x), x), lambda res, g: (g * nd.cos(res) * BWD_SCALE,))
    gf = nd.grad(lambda x: nd.sum(f(x)))
    jg = nd.jit(gf)
    global BWD_SCALE
    try:
        _call(jg, gf)
        BWD_SCALE = 5.0      # read by the bwd rule only
        _call(jg, gf)
    finally:
        BWD_SCALE = 2.0


def test_getattr_on_an_attribute_chain():
    class Cfg:
        pass

    class Model:
        def __init__(self):
            self.cfg = Cfg()
            self.cfg.lr = 0.5

    m = Model()

    def f(x):
        return x * getattr(m.cfg, "lr")
    j = nd.jit(f)
    _call(j, f)
    m.cfg.lr = 3.0
    _call(j, f)


def test_sets_of_scalars_are_checked_and_other_sets_are_said():
    levels = {1.0, 2.0}

    def f(x):
        return x * max(levels)
    j = nd.jit(f)
    _call(j, f)
    levels.add(7.0)
    _call(j, f)

    class Tag:
        pass
    tags = {Tag(), Tag()}

    def g(x):
        return x * len(tags)
    with pytest.warns(UserWarning, match="the set `tags`"):
        nd.jit(g)(X)


# -- every bytecode dialect the reader meets (3.11-3.14) ----------------------------------
# 3.14 loads the ints 0-255 with LOAD_SMALL_INT and subscripts with BINARY_OP "[]", and
# pushes locals as LOAD_FAST_BORROW; 3.13 fuses a store and a load on one line into
# STORE_FAST_LOAD_FAST. On 3.14.10 ``x * P[70]`` over a 100-entry global list kept the
# traced P[70] after ``P[70] = ...`` (a chain cut at the small int, the container too long
# to be checked whole): a stale value, silently. The cases run natively and with the
# interpreter's instructions rewritten into the other dialects.
_BIG = [nd.asarray([float(i)]) for i in range(100)]
_BIG_D = {i: nd.asarray([float(i)]) for i in range(100)}
_BIG_S = list(range(300))


class _Layers:
    def __init__(self):
        self.ws = [nd.asarray([float(i)]) for i in range(90)]
        self.b = nd.asarray([1.0])

    def __call__(self, x):
        return x * self.ws[85]


# (one method each: the reader also reads an object's other methods with self = it)
class _Fused:
    def __init__(self):
        vars(self)["b"] = nd.asarray([1.0])

    def __call__(self, x):
        t = x; y = self.b   # noqa: E702 (one line: 3.13 fuses the store and the load)
        return t * y


class _ByName:
    def __init__(self):
        vars(self)["b"] = nd.asarray([1.0])

    def __call__(self, x):
        return x * getattr(self, "b", 0)


def _rebinding_cases():
    def big_list():
        f = nd.jit(lambda x: x * _BIG[70])
        return f, lambda: _BIG.__setitem__(70, nd.asarray([-1.0])), -1.0

    def big_dict():
        f = nd.jit(lambda x: x * _BIG_D[80])
        return f, lambda: _BIG_D.__setitem__(80, nd.asarray([-2.0])), -2.0

    def big_scalars():
        f = nd.jit(lambda x: x * _BIG_S[200])
        return f, lambda: _BIG_S.__setitem__(200, -4), -4.0

    def attribute_list():
        m = _Layers()
        return nd.jit(m), lambda: m.ws.__setitem__(85, nd.asarray([-6.0])), -6.0

    def fused_store_load():
        m = _Fused()
        return nd.jit(m), lambda: setattr(m, "b", nd.asarray([-7.0])), -7.0

    def getattr_small_int_default():
        m = _ByName()
        return nd.jit(m), lambda: setattr(m, "b", nd.asarray([-8.0])), -8.0

    # objects read through a local: an alias, a loop variable, an unpacking, a computed
    # index, a dict's values, ``with ... as``; self captured by nested code (a cell)
    def alias():
        o = _Obj(1.0)

        def f(x):
            m = o
            return x * m.w
        return nd.jit(f), lambda: setattr(o, "w", 3.0), 3.0

    def loop_variable():
        layers = [_Obj(1.0), _Obj(2.0)]

        def f(x):
            for layer in layers:
                x = x * layer.w
            return x
        return nd.jit(f), lambda: setattr(layers[1], "w", 5.0), 5.0

    def unpacking():
        pair = (_Obj(1.0), _Obj(2.0))

        def f(x):
            a, b = pair
            return x * a.w + b.w
        return nd.jit(f), lambda: setattr(pair[0], "w", 4.0), 6.0

    def computed_index():
        m = _Net([1.0, 2.0])
        return nd.jit(m), lambda: setattr(m.layers[1], "w", 5.0), 5.0

    def dict_values():
        d = {"a": _Obj(1.0), "b": _Obj(2.0)}

        def f(x):
            for v in d.values():
                x = x * v.w
            return x
        return nd.jit(f), lambda: setattr(d["b"], "w", 7.0), 7.0

    def dict_items():
        d = {"a": _Obj(1.0), "b": _Obj(2.0)}

        def f(x):
            for k, v in d.items():
                x = x * v.w
            return x
        return nd.jit(f), lambda: setattr(d["a"], "w", 3.0), 6.0

    def with_as():
        o = _Obj(1.0)

        def f(x):
            with o as c:
                return x * c.w
        return nd.jit(f), lambda: setattr(o, "w", 3.0), 3.0

    def generator_over_objects():
        layers = [_Obj(1.0), _Obj(2.0)]

        def f(x):
            return sum(x * layer.w for layer in layers)
        return nd.jit(f), lambda: setattr(layers[0], "w", 4.0), 6.0

    def nested_loops():
        rows = [[_Obj(1.0), _Obj(2.0)], [_Obj(3.0)]]

        def f(x):
            for row in rows:
                for o in row:
                    x = x * o.w
            return x
        return nd.jit(f), lambda: setattr(rows[1][0], "w", 5.0), 10.0

    def generator_over_items():
        d = {"a": _Obj(1.0), "b": _Obj(2.0)}

        def f(x):
            return sum(x * v.w for k, v in d.items())
        return nd.jit(f), lambda: setattr(d["b"], "w", 4.0), 5.0

    # containers whose entries C reads (no program code): OrderedDict, defaultdict, a
    # dict or list subclass adding other methods, a mappingproxy, a deque, a namedtuple
    def mapping_types():
        class Named(dict):
            def total(self):
                return len(self)
        od = collections.OrderedDict(k=1.0)
        dd = collections.defaultdict(float, k=1.0)
        sub = Named(k=1.0)
        proxy_of = {"k": 1.0}
        proxy = types.MappingProxyType(proxy_of)

        def f(x):
            return x * od["k"] * dd["k"] * sub["k"] * proxy["k"]

        def rebind():
            od["k"], dd["k"], sub["k"], proxy_of["k"] = 2.0, 3.0, 5.0, 7.0
        return nd.jit(f), rebind, 210.0

    def sequence_types():
        class Seq(list):
            pass
        seq, dq = Seq([1.0, 1.0]), collections.deque([1.0, 1.0])
        nt = collections.namedtuple("NT", "a ws")(1.0, [1.0, 1.0])

        def f(x):
            return x * seq[1] * dq[1] * nt.ws[1]

        def rebind():
            seq[1], dq[1], nt.ws[1] = 2.0, 3.0, 5.0
        return nd.jit(f), rebind, 30.0

    def class_of_self():
        class K:
            k = 1.0

            def __call__(self, x):
                return x * type(self).k
        m = K()
        return nd.jit(m), lambda: setattr(K, "k", 3.0), 3.0

    def descriptor_of_the_program():
        class Param:
            def __init__(self, n):
                self.n = n

            def __get__(self, obj, owner=None):
                return obj._store[self.n]

        class P:
            w = Param("w")

            def __init__(self):
                self._store = {"w": 1.0}
        p = P()
        return nd.jit(lambda x: x * p.w), lambda: p._store.__setitem__("w", 3.0), 3.0

    def module_getattr():
        mod = types.ModuleType("ndgrad_guard_lazy")
        mod._store = {"lr": 1.0}
        mod.__getattr__ = lambda name: mod._store[name]
        return nd.jit(lambda x: x * mod.lr), lambda: mod._store.__setitem__("lr", 3.0), 3.0

    # round two: loops through builtins and slices, a helper's parameters, values built
    # of chains (displays, swaps, starred and nested unpacking), key expressions, .get,
    # and a store that reaches a load laid out before it
    def enumerate_zip_slice():
        a, b = [_Obj(1.0), _Obj(2.0)], [_Obj(1.0), _Obj(1.0)]

        def f(x):
            for i, layer in enumerate(a):
                x = x * layer.w
            for p, q in zip(a, b):
                x = x * q.w
            for layer in a[1:]:
                x = x * layer.w
            return x
        return nd.jit(f), lambda: (setattr(a[1], "w", 3.0), setattr(b[0], "w", 5.0)), 45.0

    def enumerate_pairs():
        pairs = [(_Obj(1.0), _Obj(2.0)), (_Obj(3.0), _Obj(1.0))]

        def f(x):
            for i, (a, b) in enumerate(pairs):
                x = x * a.w + b.w
            return x
        return nd.jit(f), lambda: setattr(pairs[1][1], "w", 7.0), 16.0

    def helper_parameters():
        o, k = _Obj(1.0), _Obj(1.0)

        def dense(y, m, scale=None):
            return y * m.w * scale.w

        def f(x):
            return dense(x, o, scale=k)
        return nd.jit(f), lambda: (setattr(o, "w", 2.0), setattr(k, "w", 3.0)), 6.0

    def lambda_over_a_map():
        layers = [_Obj(1.0), _Obj(2.0)]

        def f(x):
            return x * sum(map(lambda layer: layer.w, layers))
        return nd.jit(f), lambda: setattr(layers[0], "w", 4.0), 6.0

    def values_built_of_chains():
        a, b, lst = _Obj(1.0), _Obj(2.0), [_Obj(3.0), _Obj(4.0)]
        pairs = [((_Obj(1.0), _Obj(1.0)), _Obj(1.0))]

        def f(x):
            ms = [a, b]
            p, q = a, b
            p, q = q, p
            first, *rest = lst
            for (u, v), c in pairs:
                x = x * v.w
            return x * ms[1].w * p.w * first.w

        def rebind():
            b.w, lst[0].w, pairs[0][0][1].w = 5.0, 7.0, 11.0
        return nd.jit(f), rebind, 11.0 * 5.0 * 5.0 * 7.0

    def key_expressions_and_get():
        lst, d = [_Obj(1.0), _Obj(2.0)], {"b": _Obj(3.0)}

        def f(x, i=2):
            m = d.get("b")
            return x * lst[i - 1].w * d.get("b").w * m.w
        return nd.jit(f), lambda: (setattr(lst[1], "w", 5.0), setattr(d["b"], "w", 7.0)), \
            245.0

    def store_after_its_load():
        a, b = _Obj(1.0), _Obj(2.0)

        def f(x):
            m = a
            for _ in range(2):
                x = x * m.w
                m = b
            return x
        return nd.jit(f), lambda: setattr(b, "w", 7.0), 7.0

    def self_in_a_lambda():
        m = _Captures(1.0)
        return nd.jit(m), lambda: setattr(m, "w", 3.0), 6.0

    # objects read on from what a call returns: a function, a method, a property, a
    # called object, a lookup by a computed key, calls inside calls, keywords, a cell
    def call_result():
        o = _Obj(1.0)

        def get():
            return o

        def f(x):
            return x * get().w
        return nd.jit(f), lambda: setattr(o, "w", 3.0), 3.0

    def call_result_in_a_local():
        o = _Obj(1.0)

        def get(k=0):
            return o

        def f(x):
            c = get(k=1)
            return x * c.w
        return nd.jit(f), lambda: setattr(o, "w", 4.0), 4.0

    def method_and_property_results():
        m = _Holder(_Cfg(1.0))

        def f(x):
            return x * m.config().w * m.cfg.w * m.cfg.scaled()
        return nd.jit(f), lambda: setattr(m._cfg, "w", 2.0), 16.0

    def called_object_result():
        m = _Holder(_Obj(1.0))

        def f(x):
            return x * m().w
        return nd.jit(f), lambda: setattr(m._cfg, "w", 5.0), 5.0

    def lookup_by_key_and_calls_inside_calls():
        reg = {"a": _Obj(1.0), "b": _Obj(2.0)}

        def lookup(name):
            return reg[name]

        def first():
            return lookup("a")

        def f(x):
            return x * first().w * lookup("b").w
        return nd.jit(f), lambda: setattr(reg["a"], "w", 3.0), 6.0

    def rebound_behind_a_call():
        box = [_Obj(1.0)]

        def current():
            return box[0]

        def f(x):
            return x * current().w
        return nd.jit(f), lambda: box.__setitem__(0, _Obj(-2.0)), -2.0

    # what a call returns, through a display, a wrapper or a loop
    def returned_tuple_and_dict():
        a, b = _Obj(1.0), _Obj(2.0)

        def pair():
            return a, b

        def table():
            return {"a": a, "b": b}

        def f(x):
            first, second = pair()
            return x * second.w * table()["b"].w * pair()[1].w
        return nd.jit(f), lambda: setattr(b, "w", 3.0), 27.0

    def returned_through_wrappers():
        o = _Obj(1.0)

        def deco(fn):
            @functools.wraps(fn)
            def wrapper(*a, **k):
                return fn(*a, **k)
            return wrapper

        @deco
        def get():
            return o

        @functools.lru_cache(maxsize=None)
        def cached():
            return o

        @contextlib.contextmanager
        def use():
            yield o

        def f(x):
            with use() as c:
                return x * get().w * cached().w * c.w
        return nd.jit(f), lambda: setattr(o, "w", 2.0), 8.0

    def _loop_and_handler():
        layers = [_Obj(1.0), _Obj(2.0)]
        a = _Obj(3.0)

        def get_layers():
            return layers

        def fallback():
            try:
                return {}["missing"]
            except KeyError:
                return a

        def f(x):
            for i, layer in enumerate(get_layers()):
                x = x * layer.w
            return x * fallback().w
        return f, layers, a

    def loop_over_a_call():
        f, layers, _ = _loop_and_handler()
        return nd.jit(f), lambda: setattr(layers[1], "w", 5.0), 15.0

    def return_in_an_except_handler():
        f, _, a = _loop_and_handler()
        return nd.jit(f), lambda: setattr(a, "w", 2.0), 4.0

    def with_enter_returning_another_object():
        inner = _Obj(1.0)
        ctx = _Enters(inner)

        def f(x):
            with ctx as c:
                return x * c.w
        return nd.jit(f), lambda: setattr(inner, "w", 6.0), 6.0

    # an object read on from a conditional expression or ``or``/``and``: either branch
    # (each form alone: the object rebound is read on only through its first branch)
    def _branch(form):
        a, b, flag = _Obj(1.0), _Obj(2.0), [True]
        f = {"if_else": lambda x: x * (a if flag[0] else b).w,
             "or": lambda x: x * (a or b).w,
             "and": lambda x: x * (b and a if flag[0] else b).w}[form]
        return nd.jit(f), lambda: setattr(a, "w", 5.0), 5.0

    def conditional_expression_as_an_argument():
        a, b, flag = _Obj(1.0), _Obj(2.0), [True]

        def ident(m):
            return m

        def f(x):
            return x * ident(a if flag[0] else b).w
        return nd.jit(f), lambda: setattr(a, "w", 5.0), 5.0

    def conditional_expression():
        return _branch("if_else")

    def or_expression():
        return _branch("or")

    def nested_conditional():
        return _branch("and")

    return [big_list, big_dict, big_scalars, attribute_list, fused_store_load,
            getattr_small_int_default, alias, loop_variable, unpacking, computed_index,
            dict_values, dict_items, with_as, generator_over_objects, nested_loops,
            generator_over_items, self_in_a_lambda, mapping_types, sequence_types,
            class_of_self, descriptor_of_the_program, module_getattr, enumerate_zip_slice,
            enumerate_pairs,
            helper_parameters, lambda_over_a_map, values_built_of_chains,
            key_expressions_and_get, store_after_its_load, call_result,
            call_result_in_a_local, method_and_property_results, called_object_result,
            lookup_by_key_and_calls_inside_calls, rebound_behind_a_call,
            conditional_expression, or_expression, nested_conditional,
            conditional_expression_as_an_argument,
            with_enter_returning_another_object, returned_tuple_and_dict,
            returned_through_wrappers, loop_over_a_call, return_in_an_except_handler]


class _Obj:
    def __init__(self, w):
        self.w = w

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


class _Enters:
    def __init__(self, inner):
        self.inner = inner

    def __enter__(self):
        return self.inner

    def __exit__(self, *exc):
        return False


class _Cfg(_Obj):
    def scaled(self):
        return self.w * 2.0


class _Holder:
    """Reached through calls: a method, a property and ``__call__`` return ``_cfg``,
    whose own method reads its ``w``."""
    def __init__(self, cfg):
        self._cfg = cfg

    def config(self):
        return self._cfg

    @property
    def cfg(self):
        return self._cfg

    def __call__(self):
        return self._cfg


class _Net:
    def __init__(self, ws):
        self.layers = [_Obj(w) for w in ws]

    def __call__(self, x):
        for i in range(len(self.layers)):
            x = x * self.layers[i].w
        return x


class _Captures:
    def __init__(self, w):
        self.w = w

    def __call__(self, x):
        scale = lambda: self.w   # noqa: E731 (self is a cell of this method)
        return x * scale() + sum(self.w for _ in range(1))


def _as_dialect(dialect):
    """``dis.get_instructions`` with this interpreter's instructions renamed into
    ``dialect``'s ("3.11": as they are)."""
    import dis
    real = dis.get_instructions

    def rewritten(code, *a, **k):
        out = []
        for ins in real(code, *a, **k):
            op, arg = ins.opname, ins.argval
            if dialect == "3.14":
                if op == "LOAD_CONST" and type(arg) is int and 0 <= arg <= 255:
                    ins = ins._replace(opname="LOAD_SMALL_INT")
                elif op == "BINARY_SUBSCR":
                    ins = ins._replace(opname="BINARY_OP", argrepr="[]")
                elif op in ("LOAD_FAST", "LOAD_FAST_CHECK"):
                    ins = ins._replace(opname="LOAD_FAST_BORROW")
                elif op == "LOAD_FAST_LOAD_FAST":
                    ins = ins._replace(opname="LOAD_FAST_BORROW_LOAD_FAST_BORROW")
                elif op.startswith("POP_JUMP") and "NONE" not in op:
                    # (3.14 marks the branch not taken: a NOT_TAKEN after the jump)
                    out.append(ins)
                    ins = ins._replace(opname="NOT_TAKEN", opcode=dis.opmap["NOP"],
                                       arg=None, argval=None, argrepr="")
            elif dialect == "3.13-fused" and op.startswith("LOAD_FAST") and out and \
                    out[-1].opname == "STORE_FAST" and type(arg) is str:
                ins = ins._replace(opname="STORE_FAST_LOAD_FAST",
                                   argval=(out.pop().argval, arg))
            out.append(ins)
        return iter(out)
    return rewritten


@pytest.mark.parametrize("dialect", ["native", "3.14", "3.13-fused"])
@pytest.mark.parametrize("case", _rebinding_cases(), ids=lambda c: c.__name__)
def test_rebinding_read_through_any_bytecode_dialect_retraces(case, dialect, monkeypatch):
    from ndgrad.graph import jit_guards
    saved = (list(_BIG), dict(_BIG_D), list(_BIG_S))
    if dialect != "native":
        monkeypatch.setattr(jit_guards.dis, "get_instructions", _as_dialect(dialect))
    try:
        f, rebind, want = case()
        one = nd.asarray([1.0])
        before = float(np.asarray(f(one))[0])
        rebind()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            after = float(np.asarray(f(one))[0])
        assert after == want, (before, after)
    finally:
        _BIG[:], _BIG_S[:] = saved[0], saved[2]
        _BIG_D.clear()
        _BIG_D.update(saved[1])


def test_an_array_read_by_a_path_the_guards_cannot_follow_is_said():
    """The guard reader cannot follow every path (a library mapping's own lookup in
    Python: UserDict; an instance's ``__dict__``): an array the trace reached that way is
    named in a warning, once; arrays read by global, closure or attribute names, and
    default values, are not."""
    class Model:
        def __init__(self):
            self._w = nd.asarray([2.0, 2.0])

    table, model = collections.UserDict(w=nd.asarray([1.0, 1.0])), Model()
    W = nd.asarray([3.0, 3.0])

    def by_subclass(x):
        return x * table["w"]

    def by_descriptor(x):
        return x * model.__dict__["_w"]

    def by_name(x, v=W):
        return x * W * v * model._w

    x = nd.asarray([1.0, 2.0])
    for f, said in ((by_subclass, True), (by_descriptor, True), (by_name, False)):
        jf = nd.jit(f)
        with warnings.catch_warnings(record=True) as rec:
            warnings.simplefilter("always")
            jf(x)
            jf(x + 1.0)
        msgs = [str(r.message) for r in rec if "cannot follow" in str(r.message)]
        assert len(msgs) == said, (f.__name__, msgs)
        if said:
            assert "shape (2,)" in msgs[0] and "float64" in msgs[0]


_NP_W = np.array([1.0, 2.0, 3.0])


def test_a_numpy_array_read_by_name_through_asarray_or_a_view_is_no_unfollowed_path():
    """``nd.asarray(W)`` for a global NumPy ``W`` wraps W's memory in a new ndgrad array,
    and ``W[::-1]``, ``nd.asarray(W).T`` are views of it: the guard chain ``W`` reaches
    them, so no warning says otherwise; a write into W and a rebinding of W are both
    seen (the values follow eager's)."""
    global _NP_W
    x = nd.asarray([1.0, 1.0, 1.0])
    saved = _NP_W
    try:
        for body in (lambda x: x * nd.asarray(_NP_W), lambda x: x * _NP_W[::-1],
                     lambda x: x * nd.asarray(_NP_W).T, lambda x: x * nd.asarray(_NP_W[1:2])):
            _NP_W = np.array([1.0, 2.0, 3.0])
            jf = nd.jit(body)
            with warnings.catch_warnings(record=True) as rec:
                warnings.simplefilter("always")
                np.testing.assert_array_equal(np.asarray(jf(x)), np.asarray(body(x)))
                _NP_W[:] = [4.0, 5.0, 6.0]          # a write
                np.testing.assert_array_equal(np.asarray(jf(x)), np.asarray(body(x)))
                _NP_W = np.array([7.0, 8.0, 9.0])   # a rebinding
                np.testing.assert_array_equal(np.asarray(jf(x)), np.asarray(body(x)))
            assert not [r for r in rec if "cannot follow" in str(r.message)]
            assert jf.trace_count == 3
    finally:
        _NP_W = saved


def test_a_module_imported_inside_the_function_is_read_as_its_globals(tmp_path,
                                                                      monkeypatch):
    (tmp_path / "ndgrad_guard_cfg.py").write_text("lr = 1.0\nscale = 2.0\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    import ndgrad_guard_cfg as cfg

    def f(x):
        import ndgrad_guard_cfg
        from ndgrad_guard_cfg import scale
        return x * ndgrad_guard_cfg.lr * scale

    jf = nd.jit(f)
    one = nd.asarray([1.0])
    assert float(np.asarray(jf(one))[0]) == 2.0
    cfg.lr, cfg.scale = 3.0, 5.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert float(np.asarray(jf(one))[0]) == 15.0


def test_checking_at_each_call_runs_none_of_the_programs_code():
    """After the trace a call only checks the chains; objects whose class, metaclass or
    instance dict answer through the program's code (a proxy's ``__class__`` property,
    a ``__getattribute__``, a metaclass's ``__getattribute__`` or ``__getattr__``, a
    ``__dict__`` property) are read by type and by C's own slots, never through it.
    (isinstance and getattr on them ran that code at every call.)"""
    ran = []

    class Holder:
        pass

    class Proxy:
        @property
        def __class__(self):
            ran.append("proxy")
            return Proxy

    class Loud:
        def __getattribute__(self, n):
            ran.append("getattribute")
            return object.__getattribute__(self, n)

    class Meta(type):
        def __getattribute__(cls, n):
            ran.append("meta getattribute")
            return type.__getattribute__(cls, n)

    class Meta2(type):
        def __getattr__(cls, n):
            ran.append("meta getattr")
            raise AttributeError(n)

    class K(metaclass=Meta):
        lr = 2.0

    class V(metaclass=Meta2):
        pass

    class Cfg:
        SCALE = Loud()
        KV = V()

    class DictProp:
        @property
        def __dict__(self):
            ran.append("dict property")
            return {"w": 2.0}

    g = Holder()
    g.p = Proxy()
    g.p.w = 2.0
    object.__setattr__(Cfg.SCALE, "v", 3.0)
    Cfg.KV.v = 3.0
    g.t = DictProp()
    g.t.w = 2.0
    cfg = Cfg()
    x = nd.asarray([1.0, 2.0])
    for f in (lambda x: x * g.p.w, lambda x: x * cfg.SCALE.v, lambda x: x * K.lr,
              lambda x: x * cfg.KV.v, lambda x: x * g.t.w):
        jf = nd.jit(f)
        jf(x)
        del ran[:]
        first = np.asarray(jf(x))
        del ran[:]
        for _ in range(3):
            np.testing.assert_array_equal(np.asarray(jf(x)), first)
        assert ran == [], ran


def test_a_loop_over_64_layers_keeps_every_check_within_the_budget():
    """The methods of a container's entries are read with ``self`` the entry's chain
    (``LAYERS[k]``), so their reads are the loop's own chains: 64 layers with ``w`` and
    ``b`` need 194 checks, under the 256 budget (the entries' own copies of them, and a
    fixed object's empty chain, used it up and the last layers went unchecked)."""
    class Layer:
        def __init__(self, w, b):
            self.w, self.b = w, b

        def __repr__(self):
            return f"Layer({self.w}, {self.b})"

    layers = [Layer(1.0, 0.0) for _ in range(64)]

    def f(x):
        for layer in layers:
            x = x * layer.w + layer.b
        return x

    jf = nd.jit(f)
    x = nd.asarray([1.0, 2.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")        # (no "not checked" warning)
        jf(x)
    layers[63].b = 5.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        np.testing.assert_array_equal(np.asarray(jf(x)), [6.0, 7.0])

"""The eager fast paths' memory tricks never change a value someone can still see.

Two tricks are tested: (1) in the no-grad path, an elementwise op writes its result into a
dead temporary operand's buffer (NumPy's temporary elision, ``registry._dead``); (2) first-
order backward accumulates cotangents in place when the engine alone holds the buffer
(``backward._add_into``). Each test holds references in one more way (names, lists,
closures, NumPy arrays from ``np.asarray``, ndgrad views, ``.base``, weak references,
recorded nodes, other threads) and checks the held values after the op.
"""
import gc
import sys
import threading
import tracemalloc
import weakref

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

import ndgrad as nd
from ndgrad._ops import registry

pytestmark = pytest.mark.skipif(not registry._REUSE,
                                reason="buffer reuse is off on this Python build")

N = 1 << 16           # float64: 512 KiB, above registry.REUSE_BYTES


def _x():
    return nd.asarray(np.linspace(-2.0, 2.0, N))


def _peak_arrays(fn):
    """Peak traced memory during ``fn()``, in arrays of N float64."""
    gc.collect()
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        fn()
        return (tracemalloc.get_traced_memory()[1] - base) / (8 * N)
    finally:
        tracemalloc.stop()


# -- reuse happens where the operand is dead --------------------------------------------
def test_dead_temporary_takes_the_result():
    x = _x()
    expect = np.sum(np.sin(np.asarray(x)) * np.asarray(x))
    assert float(nd.sum(nd.multiply(nd.sin(x), x))) == expect
    # sin's temporary takes the product: one array at the peak, not two
    assert _peak_arrays(lambda: nd.sum(nd.multiply(nd.sin(x), x))) < 1.5
    assert _peak_arrays(lambda: nd.exp(nd.sin(nd.cos(x)))) < 1.5
    # a named operand keeps its buffer: two arrays
    def named():
        t = nd.sin(x)
        return nd.multiply(t, x), t
    assert _peak_arrays(named) > 1.5


def test_numpy_face_and_standard_functions_both_reuse():
    x = _x()
    from ndgrad._ops import elementwise
    assert _peak_arrays(lambda: elementwise.exp(elementwise.sin(x))) < 1.5
    assert _peak_arrays(lambda: nd.add(nd.sin(x), 1.0)) < 1.5
    assert _peak_arrays(lambda: nd.add(1.0, nd.sin(x))) < 1.5


# -- references held every way: the held values never change ----------------------------
def _holders():
    """(name, make) pairs: make(t) stores a reference to temporary ``t`` (or something
    that sees its buffer) and returns (t, check) where check() -> the values seen now."""
    def name(t, store):
        store["t"] = t
        return lambda: np.array(store["t"])

    def in_list(t, store):
        store["l"] = [t]
        return lambda: np.array(store["l"][0])

    def in_closure(t, store):
        def f():
            return np.array(t)
        store["f"] = f
        return f

    def numpy_view(t, store):
        v = np.asarray(t)           # the raw buffer itself
        store["v"] = v
        return lambda: store["v"].copy()

    def numpy_slice(t, store):
        v = np.asarray(t)[1:]       # a NumPy view of the buffer (holds it as .base)
        store["v"] = v
        return lambda: store["v"].copy()

    def ndgrad_view(t, store):
        v = t[1:]
        store["v"] = v
        return lambda: np.array(store["v"])

    def ndgrad_reshape(t, store):
        v = nd.reshape(t, (2, -1))
        store["v"] = v
        return lambda: np.array(store["v"])

    def detached(t, store):
        v = t.detach()
        store["v"] = v
        return lambda: np.array(store["v"])

    def weak(t, store):
        store["keep"] = t           # the weakref alone would let it die; keep it too
        r = weakref.ref(t)
        return lambda: np.array(r())

    def numpy_object_array(t, store):
        o = np.empty(1, dtype=object)
        o[0] = t
        store["o"] = o
        return lambda: np.array(store["o"][0])

    def dict_value(t, store):
        store["d"] = {"k": t}
        return lambda: np.array(store["d"]["k"])

    return [name, in_list, in_closure, numpy_view, numpy_slice, ndgrad_view,
            ndgrad_reshape, detached, weak, numpy_object_array, dict_value]


HOLDERS = _holders()


# each use calls the op on ``mk()`` directly: without a holder the temporary is dead
USES = {
    "unary": lambda mk: nd.exp(mk()),
    "binary": lambda mk: nd.multiply(mk(), 2.0),
    "binary_right": lambda mk: nd.subtract(1.0, mk()),
    "two_temporaries": lambda mk: nd.add(mk(), nd.cos(_X)),
    "operators": lambda mk: mk() * 2.0 + 1.0,
}
_X = None


@pytest.mark.parametrize("use", sorted(USES))
@pytest.mark.parametrize("hold", HOLDERS, ids=lambda h: h.__name__)
def test_held_values_never_change(hold, use):
    global _X
    x = _X = _x()
    xs = np.asarray(x).copy()
    store, checks = {}, []

    def mk():
        t = nd.sin(x)
        checks.append(hold(t, store))
        return t
    r = USES[use](mk)
    seen = checks[0]().ravel()
    np.testing.assert_array_equal(seen, np.sin(xs)[-seen.size:])
    want = USES[use](lambda: nd.asarray(np.sin(xs)))
    np.testing.assert_array_equal(np.asarray(r), np.asarray(want))
    np.testing.assert_array_equal(np.asarray(x), xs)


# recorded temporaries: a dead one may take the result of an op whose rule reads no input
# (exp, tanh, sqrt: the result; negative, add: nothing), never one a rule still reads
_RECORDED_USES = {
    "unary_ans": lambda mk: nd.exp(mk()),
    "unary_none": lambda mk: nd.negative(mk()),
    "chain": lambda mk: nd.tanh(nd.negative(mk())),
    "binary": lambda mk: nd.add(mk(), 1.0),
    "saves_input": lambda mk: nd.sin(mk()),
}


def _recorded_want(use, xs):
    """The use's values and the gradient of sum(use(sin(x))), from fresh NumPy buffers."""
    s = np.sin(xs)
    c = np.cos(xs)
    if use == "unary_ans":
        return np.exp(s), np.exp(s) * c
    if use == "unary_none":
        return -s, -c
    if use == "chain":
        t = np.tanh(-s)
        return t, (1.0 - t * t) * -c
    if use == "binary":
        return s + 1.0, c
    return np.sin(s), np.cos(s) * c


@pytest.mark.parametrize("use", sorted(_RECORDED_USES))
@pytest.mark.parametrize("hold", HOLDERS + [None],
                         ids=lambda h: "dead" if h is None else h.__name__)
def test_recorded_held_values_and_gradients_never_change(hold, use):
    x = _x()
    xs = np.asarray(x).copy()
    w = nd.asarray(xs.copy(), requires_grad=True)
    store, checks = {}, []

    def mk():
        t = nd.sin(w)             # recorded: w requires grad
        if hold is not None:
            with nd.no_grad():    # (NumPy conversions of recorded arrays: values only)
                checks.append(hold(t, store))
        return t
    r = _RECORDED_USES[use](mk)
    want_r, want_g = _recorded_want(use, xs)
    def held_values_unchanged():
        if checks:
            with nd.no_grad():
                seen = checks[0]().ravel()
            np.testing.assert_array_equal(seen, np.sin(xs)[-seen.size:])
    held_values_unchanged()
    np.testing.assert_array_equal(np.asarray(r.detach()), want_r)
    nd.sum(r).backward()
    np.testing.assert_allclose(np.asarray(w.grad), want_g, rtol=1e-13, atol=1e-15)
    held_values_unchanged()
    np.testing.assert_array_equal(np.asarray(w.detach()), xs)


@pytest.mark.parametrize("use", sorted(_RECORDED_USES))
def test_recorded_uses_inside_value_and_grad(use):
    x = _x()
    xs = np.asarray(x).copy()
    f = _RECORDED_USES[use]
    v, g = nd.value_and_grad(lambda a: nd.sum(f(lambda: nd.sin(a))))(x)
    want_r, want_g = _recorded_want(use, xs)
    np.testing.assert_allclose(float(v), np.sum(want_r), rtol=1e-13)
    np.testing.assert_allclose(np.asarray(g), want_g, rtol=1e-13, atol=1e-15)
    np.testing.assert_array_equal(np.asarray(x), xs)


def test_recorded_dead_temporary_takes_the_result():
    x = _x()
    w = nd.asarray(np.asarray(x).copy(), requires_grad=True)
    # sin's recorded temporary takes negative's result, which takes exp's: one array at
    # the peak beside w (the graph keeps exp's result, which its rule reads)
    assert _peak_arrays(lambda: nd.exp(nd.negative(nd.sin(w)))) < 1.5
    # a temporary a rule reads (sin saves its input) keeps its buffer
    assert _peak_arrays(lambda: nd.sin(nd.cos(w))) > 1.5
    # a retained gradient holds the array (a weak reference): no reuse
    def retained():
        t = nd.sin(w)
        t.retain_grad()
        return nd.exp(t), t
    assert _peak_arrays(retained) > 1.5


@pytest.mark.parametrize("producer, want_grad", [
    (nd.exp, np.exp),                            # exp's rule reads its result
    (nd.sqrt, lambda v: 0.5 / np.sqrt(v)),       # sqrt's too
    (lambda a: a * a, lambda v: 2.0 * v),        # multiply's rule reads its inputs
])
def test_recorded_operand_a_rule_reads_keeps_its_buffer(producer, want_grad):
    xs = np.linspace(0.5, 2.0, N)
    w = nd.asarray(xs.copy(), requires_grad=True)
    r = nd.negative(nd.tanh(nd.negative(producer(w))))
    nd.sum(r).backward()
    p = np.asarray(producer(nd.asarray(xs)))
    np.testing.assert_allclose(np.asarray(w.grad), want_grad(xs) / np.cosh(-p) ** 2,
                               rtol=1e-13)


def test_recorded_reference_checks_can_fail(monkeypatch):
    # with the count check disabled, a held recorded operand is overwritten: the
    # recorded tests above would see it (they are not vacuous)
    monkeypatch.setattr(registry, "_dead", lambda x, d, *rest: True)
    w = nd.asarray(np.linspace(-2.0, 2.0, N), requires_grad=True)
    t = nd.sin(w)
    want = np.array(t.detach())
    nd.exp(t)
    assert not np.array_equal(np.asarray(t.detach()), want)


def test_numpy_object_array_items_keep_their_values():
    # NumPy's object loops call the operators on items with borrowed references: the
    # item looks like a stack temporary to a reference count, and must not be reused
    x = _x()
    o = np.empty(2, dtype=object)
    o[0] = nd.sin(x)
    o[1] = nd.cos(x)
    want0, want1 = np.sin(np.asarray(x)), np.cos(np.asarray(x))
    r = o * 2.0
    r = -o
    r = o + o
    del r
    np.testing.assert_array_equal(np.asarray(o[0]), want0)
    np.testing.assert_array_equal(np.asarray(o[1]), want1)


def test_leaf_and_recorded_operands_are_never_reused():
    x = _x()
    xs = np.asarray(x).copy()
    # a requires_grad leaf under no_grad (its .grad is written through a weak reference)
    w = nd.asarray(xs.copy(), requires_grad=True)
    with nd.no_grad():
        y = nd.exp(w)
    np.testing.assert_array_equal(np.asarray(w.detach()), xs)
    np.testing.assert_array_equal(np.asarray(y), np.exp(xs))
    # recorded values: the saved inputs of sin must survive exp of a temporary
    v, g = nd.value_and_grad(lambda a: nd.sum(nd.exp(nd.sin(a)) * a))(x)
    s = np.sin(xs)
    np.testing.assert_allclose(float(v), np.sum(np.exp(s) * xs))
    np.testing.assert_allclose(np.asarray(g), np.exp(s) * np.cos(xs) * xs + np.exp(s))


def test_value_and_grad_input_buffer_is_never_reused():
    x = _x()
    xs = np.asarray(x).copy()
    seen = []

    def f(a):
        b = nd.exp(a)          # ``a`` is the caller's buffer: must stay
        seen.append(np.asarray(x).copy())
        return nd.sum(b)
    v, g = nd.value_and_grad(f)(x)
    np.testing.assert_array_equal(seen[0], xs)
    np.testing.assert_array_equal(np.asarray(x), xs)
    np.testing.assert_allclose(np.asarray(g), np.exp(xs))


def test_no_reuse_when_dtype_or_shape_changes():
    x = _x()
    xs = np.asarray(x)
    # comparison: bool result; broadcasting widens the result; float32 + float64 array
    np.testing.assert_array_equal(np.asarray(nd.less(nd.sin(x), 0.0)), np.sin(xs) < 0.0)
    col = nd.asarray(np.linspace(0, 1, 4).reshape(4, 1))
    row = nd.sin(nd.asarray(np.linspace(-1, 1, N)))
    np.testing.assert_array_equal(np.asarray(nd.add(row, col)),
                                  np.sin(np.linspace(-1, 1, N)) + np.linspace(0, 1, 4)[:, None])
    f32 = nd.asarray(xs.astype(np.float32))
    r = nd.add(nd.sin(f32), x)
    assert r.dtype == np.float64
    np.testing.assert_array_equal(np.asarray(r), np.sin(xs.astype(np.float32)) + xs)


def test_threads_each_see_their_own_values():
    x = _x()
    xs = np.asarray(x).copy()
    errors = []

    def work(k):
        try:
            for _ in range(20):
                t = nd.sin(x)
                keep = [t]
                r = nd.multiply(nd.exp(nd.cos(x)), float(k))
                np.testing.assert_array_equal(np.asarray(keep[0]), np.sin(xs))
                np.testing.assert_array_equal(np.asarray(r), np.exp(np.cos(xs)) * k)
        except AssertionError as e:  # pragma: no cover (reported below)
            errors.append(e)
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)
    try:
        ts = [threading.Thread(target=work, args=(k,)) for k in range(1, 4)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
    finally:
        sys.setswitchinterval(old)
    assert not errors, errors[0]
    np.testing.assert_array_equal(np.asarray(x), xs)


def test_the_reference_checks_can_fail(monkeypatch):
    # with the count check disabled, a held operand is overwritten: the tests above
    # would see it (they are not vacuous)
    monkeypatch.setattr(registry, "_dead", lambda x, d, *rest: True)
    x = _x()
    t = nd.sin(x)
    want = np.array(t)
    nd.exp(t)
    assert not np.array_equal(np.asarray(t), want)


# -- every ufunc op: the reused-buffer result equals NumPy's, bit for bit ----------------
# (the core's: ndgrad.tf registers ufunc ops of its own, "tf.pow", with TF's rules, once
# it is imported; which tests ran first decided whether they were drawn, and the
# elementwise module has no function of that name)
def _ufunc_ops():
    from ndgrad._ops import elementwise
    return sorted(name for name, op in registry.REGISTRY.items()
                  if op.ufunc is not None and callable(getattr(elementwise, name, None)))


_UFUNC_OPS = _ufunc_ops()


class _ReuseSmall:
    """Reuse on small arrays too (hypothesis draws small ones)."""

    def __enter__(self):
        self.old = registry.REUSE_BYTES
        registry.REUSE_BYTES = 0

    def __exit__(self, *exc):
        registry.REUSE_BYTES = self.old


def _std(name):
    from ndgrad._ops import elementwise
    return getattr(elementwise, name)


_BUFS = []


def _fresh(a):
    # an ndgrad temporary nobody else holds, over a buffer of its own; a weak reference
    # to the buffer tells afterwards whether the op's result took it
    t = nd.asarray(a, copy=True)
    _BUFS.append(weakref.ref(t._data))
    return t


_dtypes = st.sampled_from([np.float64, np.float32, np.int64, np.int8, np.uint8,
                           np.complex128, np.bool_])


_CASES = dict(name=st.sampled_from(_UFUNC_OPS), dt=_dtypes,
              shape=hnp.array_shapes(min_dims=0, max_dims=3, max_side=4), data=st.data())


@settings(max_examples=40)
@given(**_CASES)
def test_every_ufunc_op_gives_numpy_values(name, dt, shape, data):
    _check_ufunc_op(name, dt, shape, data)


@pytest.mark.slow
@settings(max_examples=800)
@given(**_CASES)
def test_every_ufunc_op_gives_numpy_values_slow(name, dt, shape, data):
    _check_ufunc_op(name, dt, shape, data)


def _check_ufunc_op(name, dt, shape, data):
    op = registry.REGISTRY[name]
    a = data.draw(hnp.arrays(dt, shape, elements=_elements(dt)))
    nargs = op.ufunc.nin
    if nargs == 1:
        other = None
    else:
        kind = data.draw(st.sampled_from(["same", "broadcast", "scalar", "left"]))
        if kind == "scalar":
            other = data.draw(st.sampled_from([2, 0.5, -1.5, True]))
        elif kind == "broadcast" and shape:
            other = data.draw(hnp.arrays(dt, shape[-1:], elements=_elements(dt)))
        else:
            other = data.draw(hnp.arrays(dt, shape, elements=_elements(dt)))
    with np.errstate(all="ignore"), _ReuseSmall():
        try:
            want = op.ufunc(a, *(() if other is None else (other,)))
        except Exception as e:
            want = e
        held = None
        try:
            f = _std(name)
            if other is None:
                got = f(_fresh(a))
            elif isinstance(other, np.ndarray):
                held = nd.asarray(other)
                got = f(_fresh(a), held)
            else:
                got = f(_fresh(a), other)
        except Exception as e:
            got = e
    if isinstance(want, Exception):
        assert isinstance(got, Exception)
        return
    assert not isinstance(got, Exception), got
    reused = _BUFS.pop()() is got._data
    _BUFS.clear()
    got = np.asarray(got)
    assert got.dtype == want.dtype and got.shape == want.shape
    np.testing.assert_array_equal(got, want)
    # the temporary's buffer takes every real result of its dtype and shape (not
    # vacuous); complex results never (NumPy's complex multiply differs in place)
    # (a Python bool operand takes the general path, which does not reuse)
    assert reused == (want.dtype == a.dtype and want.shape == a.shape
                      and a.dtype.kind != "c" and not isinstance(other, bool))
    if held is not None:
        np.testing.assert_array_equal(np.asarray(held), other)


def _elements(dt):
    dt = np.dtype(dt)
    if dt.kind == "f":
        return st.floats(width=8 * dt.itemsize, allow_nan=True, allow_infinity=True)
    if dt.kind == "c":
        return st.complex_numbers(allow_nan=True, allow_infinity=True,
                                  width=8 * dt.itemsize)
    if dt.kind == "b":
        return st.booleans()
    info = np.iinfo(dt)
    return st.integers(max(info.min, -100), min(info.max, 100))


# -- in-place cotangent accumulation in backward ----------------------------------------
def test_accumulation_never_writes_into_the_callers_gradient():
    x = nd.asarray(np.linspace(0.1, 1.0, N), requires_grad=True)
    y = x * x + nd.sin(x) + x
    gy = np.full(N, 0.5)
    gy0 = gy.copy()
    y.backward(gy)
    np.testing.assert_array_equal(gy, gy0)
    xs = np.linspace(0.1, 1.0, N)
    np.testing.assert_allclose(np.asarray(x.grad), 0.5 * (2 * xs + np.cos(xs) + 1))


def test_accumulation_with_one_cotangent_sent_to_two_parents():
    # add's rule sends the same g to both parents; accumulating into one must not
    # change the other's
    def f(a, b):
        s = a + b
        return nd.sum(s * a + s * b + a * 3.0)
    a = nd.asarray(np.linspace(0.0, 1.0, N))
    b = nd.asarray(np.linspace(1.0, 2.0, N))
    ga, gb = nd.grad(f, argnums=(0, 1))(a, b)
    an, bn = np.asarray(a), np.asarray(b)
    np.testing.assert_allclose(np.asarray(ga), 2 * an + 2 * bn + 3.0)
    np.testing.assert_allclose(np.asarray(gb), 2 * an + 2 * bn)


def test_retained_graph_gives_the_same_gradient_twice():
    x = nd.asarray(np.linspace(0.1, 1.0, N), requires_grad=True)
    y = nd.sum(x * x + nd.exp(x) * x)
    y.backward(retain_graph=True)
    g1 = np.asarray(x.grad).copy()
    x.grad = None
    y.backward()
    np.testing.assert_array_equal(np.asarray(x.grad), g1)


def test_bigarray_backward_peak_stays_near_numpy():
    # sum(sin(x)*x + exp(-x*x)): hand-written NumPy peaks at 4 arrays (gradient included)
    x = _x()
    vg = nd.value_and_grad(lambda a: nd.sum(nd.sin(a) * a + nd.exp(-a * a)))
    vg(x)
    assert _peak_arrays(lambda: vg(x)) <= 5.1


# -- value_and_grad's inputs: updated in place afterwards, copied only when needed -------
def _ptr(a):
    return a._data.__array_interface__["data"][0]


@pytest.mark.parametrize("pytree", [False, True])
def test_input_updated_in_place_after_value_and_grad_needs_no_copy(pytree):
    # (a buffer of its own: np.linspace's result is a view, which keeps the mark)
    p = nd.asarray(np.linspace(0.0, 1.0, 64).copy())
    if pytree:
        vg = nd.value_and_grad(lambda ps: nd.sum(nd.sin(ps[0]) * ps[0]))
        v, (g,) = vg([p])
    else:
        vg = nd.value_and_grad(lambda q: nd.sum(nd.sin(q) * q))
        v, g = vg(p)
    before = _ptr(p)
    p -= 0.1 * g                 # an optimizer step: the buffer is nobody else's
    assert _ptr(p) == before
    want = np.linspace(0.0, 1.0, 64)
    want = want - 0.1 * (np.cos(want) * want + np.sin(want))
    np.testing.assert_allclose(np.asarray(p), want)


def test_input_still_read_by_a_live_graph_is_copied_before_a_write():
    p = nd.asarray(np.linspace(0.0, 1.0, 64))
    # aux is recorded: its node keeps p's values for a later gradient
    vg = nd.value_and_grad(lambda q: (nd.sum(q * q), q * 3.0 * q), has_aux=True)
    (v, aux), g = vg(p)
    before = _ptr(p)
    p -= 1.0
    assert _ptr(p) != before     # copy-on-write: the graph's saved values stay
    np.testing.assert_allclose(np.asarray(p), np.linspace(0.0, 1.0, 64) - 1.0)
    # a buffer NumPy code shares (here a NumPy view of the input) is never kept by
    # reference: the call's rules read one private copy, so ``q`` needs no mark
    q = nd.asarray(np.linspace(0.0, 1.0, 64))
    view = np.asarray(q)
    nd.value_and_grad(lambda a: nd.sum(a * a))(q)
    assert not getattr(q, "_saved", False)
    del view


def test_errors_are_the_ops_own():
    x = _x()
    with pytest.raises(ValueError, match="broadcast"):
        nd.add(nd.sin(x), nd.asarray(np.ones(3)))
    with pytest.raises(TypeError):
        nd.bitwise_and(nd.sin(x), 1)      # no loop for float64

"""The eager engine's first-order walk on random graph shapes, against HIPS autograd.

The walk carries a ready parent straight to the next step, unrolls one-parent nodes and
accumulates cotangents in place when it alone holds them; these tests draw programs whose
graphs have every shape that matters to that (chains, diamonds, an operand used twice in
one op, constants in either position, outputs of the same node used many times, unused
branches) and compare value and gradients with HIPS autograd, on small and large arrays.
"""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import ndgrad as nd

autograd = pytest.importorskip("autograd")
anp = pytest.importorskip("autograd.numpy")

# (name, arity, ndgrad, autograd.numpy): smooth on the values drawn
OPS = [
    ("sin", 1, nd.sin, anp.sin), ("tanh", 1, nd.tanh, anp.tanh),
    ("exp_small", 1, lambda a: nd.exp(a * 0.1), lambda a: anp.exp(a * 0.1)),
    ("neg", 1, lambda a: -a, lambda a: -a),
    ("square", 1, lambda a: a * a, lambda a: a * a),
    ("add", 2, lambda a, b: a + b, lambda a, b: a + b),
    ("sub", 2, lambda a, b: a - b, lambda a, b: a - b),
    ("mul", 2, lambda a, b: a * b, lambda a, b: a * b),
    ("fn_mul", 2, nd.multiply, anp.multiply),
    ("const_left", 1, lambda a: 0.5 - a, lambda a: 0.5 - a),
    ("const_right", 1, lambda a: a * 1.5 + 0.25, lambda a: a * 1.5 + 0.25),
]


@st.composite
def programs(draw):
    """A straight-line program: each step applies an op to earlier values (any of them,
    so values are reused: diamonds, fan-out, the same value twice in one op)."""
    n_in = draw(st.integers(1, 3))
    steps = []
    for i in range(draw(st.integers(1, 12))):
        k = draw(st.integers(0, len(OPS) - 1))
        arity = OPS[k][1]
        avail = n_in + i
        args = [draw(st.integers(0, avail - 1)) for _ in range(arity)]
        steps.append((k, args))
    # the output sums some of the values (unused ones stay as dead branches)
    outs = draw(st.lists(st.integers(0, n_in + len(steps) - 1), min_size=1, max_size=3))
    return n_in, steps, outs


def _run(ns, n_in, steps, outs, xs, sum_fn):
    vals = list(xs)
    for k, args in steps:
        f = OPS[k][2] if ns == "nd" else OPS[k][3]
        vals.append(f(*[vals[a] for a in args]))
    total = None
    for o in outs:
        s = sum_fn(vals[o] * vals[o])
        total = s if total is None else total + s
    return total


def _check(prog, size, seed):
    n_in, steps, outs = prog
    rng = np.random.default_rng(seed)
    xs = [rng.uniform(-1.0, 1.0, size) for _ in range(n_in)]
    nums = tuple(range(n_in))
    v, g = nd.value_and_grad(
        lambda *a: _run("nd", n_in, steps, outs, a, nd.sum), argnums=nums)(
        *[nd.asarray(x) for x in xs])
    av, ag = autograd.value_and_grad(
        lambda *a: _run("ag", n_in, steps, outs, a, anp.sum), argnum=nums)(*xs)
    np.testing.assert_allclose(float(v), av, rtol=1e-12, atol=1e-12)
    for gi, agi in zip(g, ag):
        np.testing.assert_allclose(np.asarray(gi), agi, rtol=1e-10, atol=1e-12)
    # the imperative verbs walk the same engine, accumulating into .grad
    leaves = [nd.asarray(x, requires_grad=True) for x in xs]
    _run("nd", n_in, steps, outs, leaves, nd.sum).backward()
    for leaf, agi in zip(leaves, ag):
        got = leaf.grad if leaf.grad is not None else np.zeros(size)
        np.testing.assert_allclose(np.asarray(got), agi, rtol=1e-10, atol=1e-12)
    # the inputs are unchanged
    rng = np.random.default_rng(seed)
    for x in xs:
        np.testing.assert_array_equal(x, rng.uniform(-1.0, 1.0, size))


@settings(max_examples=60)
@given(prog=programs(), seed=st.integers(0, 2**16))
def test_random_graphs_small_arrays(prog, seed):
    _check(prog, 5, seed)


@settings(max_examples=8)
@given(prog=programs(), seed=st.integers(0, 2**16))
def test_random_graphs_large_arrays(prog, seed):
    # above the size where buffers are reused and cotangents accumulated in place
    _check(prog, 1 << 15, seed)


@pytest.mark.slow
@settings(max_examples=1200)
@given(prog=programs(), seed=st.integers(0, 2**16))
def test_random_graphs_small_arrays_slow(prog, seed):
    _check(prog, 5, seed)


def test_second_backward_without_retain_raises_and_with_retain_repeats():
    x = nd.asarray([0.3, -0.2], requires_grad=True)
    y = nd.sum(nd.sin(x) * x)
    y.backward(retain_graph=True)
    g1 = np.asarray(x.grad).copy()
    y.backward()
    np.testing.assert_allclose(np.asarray(x.grad), 2 * g1)
    with pytest.raises(RuntimeError, match="second time"):
        y.backward()


# -- value_and_grad's plain path (plain NumPy-backed arguments) equals the general one ---
def _as_general(args):
    # the same arguments, each in a one-entry dict: value_and_grad's general path (flat
    # lists and tuples of arrays take the plain path too: test_plain_sequences.py)
    return [{"v": a} for a in args]


CASES = [
    ("sum", lambda a, b: nd.sum(a), 0),
    ("shared cotangent", lambda a, b: nd.sum(a + b), (0, 1)),
    ("repeated argnum", lambda a, b: nd.sum(a * a * b), (0, 0)),
    ("independent", lambda a, b: nd.sum(b * 2.0), (0, 1)),
    ("0-d", lambda a, b: a[0] * b[1], (1, 0)),
    ("float32 with float64", lambda a, b: nd.sum(nd.astype(a, nd.float32) * 2.0), 0),
]


@pytest.mark.parametrize("name,f,argnums", CASES, ids=[c[0] for c in CASES])
def test_plain_path_equals_general_path(name, f, argnums):
    xs = [np.array([0.5, -1.5, 2.0]), np.array([1.0, 0.25, -0.75])]
    plain = nd.value_and_grad(f, argnums=argnums)(*[nd.asarray(x) for x in xs])
    nums = (argnums,) if isinstance(argnums, int) else argnums
    general = nd.value_and_grad(lambda a, b: f(a["v"], b["v"]), argnums=argnums)(
        *_as_general([nd.asarray(x) for x in xs]))
    assert float(plain[0]) == float(general[0])
    pg = (plain[1],) if isinstance(argnums, int) else plain[1]
    gg = (general[1],) if isinstance(argnums, int) else general[1]
    assert len(pg) == len(gg) == len(nums)
    seen = set()
    for p, g in zip(pg, gg):
        g = g["v"]
        assert p.dtype == g.dtype and p.shape == g.shape
        np.testing.assert_array_equal(np.asarray(p), np.asarray(g))
        # each gradient is the caller's own writable array (a repeated argnum takes
        # the general path, which hands the one gradient back twice)
        d = np.asarray(p)
        assert d.flags.writeable and (id(d) not in seen or len(set(nums)) < len(nums))
        seen.add(id(d))
    for x, a in zip(xs, [np.array([0.5, -1.5, 2.0]), np.array([1.0, 0.25, -0.75])]):
        np.testing.assert_array_equal(x, a)


def test_repeated_argnum_results_are_recorded_only_with_an_outer_computation():
    # at top level both gradients and the value are plain values (numpy.asarray works);
    # with an input that requires grad they stay recorded, and backward through them
    # gives the second derivative
    f = lambda a, b: nd.sum(a * a * b)  # noqa: E731
    av, bv = np.array([0.5, -1.5, 2.0]), np.array([1.0, 0.25, -0.75])
    v, (g0, g1) = nd.value_and_grad(f, argnums=(0, 0))(nd.asarray(av), nd.asarray(bv))
    assert not (v.requires_grad or g0.requires_grad or g1.requires_grad)
    np.testing.assert_array_equal(np.asarray(g0), 2 * av * bv)
    np.testing.assert_array_equal(np.asarray(g1), 2 * av * bv)
    assert float(np.asarray(v)) == float(np.sum(av * av * bv))
    a = nd.asarray(av.copy(), requires_grad=True)
    v, (g0, g1) = nd.value_and_grad(f, argnums=(0, 0))(a, nd.asarray(bv))
    assert v.requires_grad and g0.requires_grad and g1.requires_grad
    nd.sum(g0).backward()
    np.testing.assert_allclose(np.asarray(a.grad), 2 * bv, rtol=1e-15)


def test_plain_path_errors_and_aux():
    x = nd.asarray([1.0, 2.0])
    with pytest.raises(TypeError, match="scalar"):
        nd.value_and_grad(lambda a: a * 2.0)(x)
    with pytest.raises(TypeError, match="pair"):
        nd.value_and_grad(lambda a: nd.sum(a), has_aux=True)(x)
    (v, aux), g = nd.value_and_grad(lambda a: (nd.sum(a * a), "aux"), has_aux=True)(x)
    assert aux == "aux" and float(v) == 5.0
    np.testing.assert_array_equal(np.asarray(g), [2.0, 4.0])
    # an integer input takes the general path and its error
    with pytest.raises(TypeError):
        nd.value_and_grad(lambda a: nd.sum(a))(nd.asarray([1, 2]))


def test_plain_path_with_no_argnums():
    v, g = nd.value_and_grad(lambda a: nd.sum(a * a), argnums=())(nd.asarray([1.0, 2.0]))
    assert float(v) == 5.0 and g == ()


# -- the operators' inline unrecorded path (registry.operator_method) equals apply's -----
import operator as _operator  # noqa: E402

from ndgrad._ops import registry as _registry  # noqa: E402

_OPERATORS = [("add", "add"), ("sub", "subtract"), ("mul", "multiply"),
              ("truediv", "divide"), ("floordiv", "floor_divide"), ("mod", "remainder"),
              ("pow", "pow"), ("and_", "bitwise_and"), ("or_", "bitwise_or"),
              ("xor", "bitwise_xor"), ("lshift", "bitwise_left_shift"),
              ("rshift", "bitwise_right_shift"), ("eq", "equal"), ("ne", "not_equal"),
              ("lt", "less"), ("le", "less_equal"), ("gt", "greater"),
              ("ge", "greater_equal")]


def _operands():
    f64 = np.array([1.5, -0.0, np.inf, np.nan, -2.0, 3.0])
    return [nd.asarray(f64), nd.asarray(f64.astype(np.float32)),
            nd.asarray(np.array([3, -1, 0, 7, 2, 1])), nd.asarray(np.array(2.5)),
            nd.asarray(np.array([True, False, True, True, False, False])),
            2, -3, 0.5, -0.0, True, 1 + 2j, np.float32(1.5)]


def _outcome(f):
    try:
        with np.errstate(all="ignore"):
            r = f()
    except Exception as e:   # the same error type from both paths
        return ("error", type(e))
    return ("value", r.dtype, np.asarray(r._data).tolist(), r._node is None)


@pytest.mark.parametrize("pyname,opname", _OPERATORS, ids=[o[0] for o in _OPERATORS])
def test_operator_inline_path_equals_apply(pyname, opname):
    op = _registry.REGISTRY[opname]
    pyop = getattr(_operator, pyname)
    vals = _operands()
    for a in vals:
        for b in vals:
            if not isinstance(a, nd.Array) and not isinstance(b, nd.Array):
                continue
            got = _outcome(lambda: pyop(a, b))
            if (pyname == "pow" and b.__class__ is int and b == 2
                    and isinstance(a, nd.Array) and a.dtype.kind == "b"):
                # (NumPy's ``**`` takes a Python 2 as square: int8 for booleans)
                want = _outcome(lambda: _registry.apply(_registry.REGISTRY["square"], (a,)))
            else:
                want = _outcome(lambda: _registry.apply(op, (a, b)))
            assert str(got) == str(want), (pyname, a, b)   # (str: nan == nan)


def test_operator_inline_path_records_and_leaves_shared_buffers_alone():
    w = nd.asarray([1.0, 2.0], requires_grad=True)
    c = np.array([3.0, 4.0])
    cn = nd.asarray(c)
    y = nd.sum(cn * w) + nd.sum(2.0 - w)
    c[0] = 100.0   # a write through the NumPy alias after the forward
    y.backward()
    np.testing.assert_array_equal(np.asarray(w.grad), [2.0, 3.0])
    # the shared operand second, a recorded one on either side, a reflected operator, and
    # a rule that reads its result (the saved buffers are private; the values right)
    for f, want in [(lambda w, cn: w * cn, [3.0, 4.0]),
                    (lambda w, cn: cn / w, [-3.0, -1.0]),
                    (lambda w, cn: w ** cn, [3.0, 32.0]),
                    (lambda w, cn: 3.0 * (w * cn), [9.0, 12.0])]:
        w = nd.asarray([1.0, 2.0], requires_grad=True)
        c = np.array([3.0, 4.0])
        cn = nd.asarray(c)
        y = nd.sum(f(w, cn))
        c[:] = -7.0
        y.backward()
        np.testing.assert_allclose(np.asarray(w.grad), want, rtol=1e-15)


# -- rules of any arity, with params and the _needs mask, get their inputs in order ------
def test_rules_get_their_inputs_by_arity():
    seen = []

    def fwd3(xp, a, b, c, scale=1.0):
        return (a * b + c) * scale

    def vjp3(xp, g, ans, a, b, c, scale=1.0, _needs=None):
        seen.append((_needs, scale))
        return (g * b * scale, g * a * scale, g * scale)

    op3 = _registry.Op("test_engine_fma", fwd3, vjp3)
    x = nd.asarray([1.0, 2.0])
    y = nd.asarray([3.0, 5.0])
    z = nd.asarray([0.5, 0.25])
    for params in ({}, {"scale": 2.0}):
        gs = nd.grad(lambda a, b, c: nd.sum(_registry.apply(op3, (a, b, c), params)),
                     argnums=(0, 1, 2))(x, y, z)
        s = params.get("scale", 1.0)
        np.testing.assert_array_equal(np.asarray(gs[0]), s * np.array([3.0, 5.0]))
        np.testing.assert_array_equal(np.asarray(gs[1]), s * np.array([1.0, 2.0]))
        np.testing.assert_array_equal(np.asarray(gs[2]), [s, s])
    assert seen == [((True, True, True), 1.0), ((True, True, True), 2.0)]
    # a constant operand: the mask says so
    seen.clear()
    nd.grad(lambda a: nd.sum(_registry.apply(op3, (a, y, z))))(x)
    assert seen == [((True, False, False), 1.0)]


# -- _unbroadcast's NumPy path equals the namespace's sum and reshape, bit for bit -------
@st.composite
def _broadcasts(draw):
    shape = tuple(draw(st.lists(st.integers(0, 3), max_size=3)))
    gshape = tuple(draw(st.lists(st.integers(0, 3), max_size=2)))
    gshape = gshape + tuple(draw(st.integers(0, 3)) if s == 1 else s for s in shape)
    dt = draw(st.sampled_from([np.float64, np.float32, np.complex128]))
    return shape, gshape, dt


@settings(max_examples=60)
@given(case=_broadcasts(), seed=st.integers(0, 2**16))
def test_unbroadcast_numpy_path_equals_the_namespaces(case, seed):
    from ndgrad._autograd.backward import _unbroadcast
    shape, gshape, dt = case
    g = np.random.default_rng(seed).standard_normal(gshape).astype(dt)
    lead = len(gshape) - len(shape)
    axes = tuple(range(lead)) + tuple(i + lead for i, s in enumerate(shape)
                                      if s == 1 and gshape[i + lead] != 1)
    want = np.reshape(np.sum(g, axis=axes, keepdims=True), shape) if axes else g
    got = _unbroadcast(np, g, shape)
    assert type(got) is np.ndarray and got.shape == shape and got.dtype == g.dtype
    np.testing.assert_array_equal(got, want)


# -- the NumPy backend's namespace: its fast functions equal array_api_compat's ----------
import array_api_compat.numpy as _compat_np  # noqa: E402

from ndgrad._backend import numpy_backend as _numpy_backend  # noqa: E402

_FAST = _numpy_backend.xp


def _result(f):
    """What a call gives, all of it: the error's type and message, or the value, its
    type, dtype, shape, strides, flags, and whether it is a view of the input."""
    try:
        with np.errstate(all="ignore"):
            r = f()
    except Exception as e:
        return ("error", type(e), str(e))
    if not isinstance(r, (np.ndarray, np.generic)):
        return ("other", type(r), r)
    a = np.asarray(r)
    return ("value", type(r), r.dtype, r.shape, a.strides, a.flags.writeable,
            a.flags.c_contiguous, a.flags.f_contiguous, a.tobytes())


@st.composite
def _arrays(draw):
    shape = tuple(draw(st.lists(st.integers(0, 3), max_size=4)))
    dt = draw(st.sampled_from([np.float64, np.float32, np.complex64, np.int32, np.int8,
                               np.uint16, np.bool_]))
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    x = np.asarray(rng.standard_normal(shape) * 3).astype(dt)
    special = draw(st.sampled_from(["none", "nan", "inf", "-0"]))
    if x.size and x.dtype.kind in "fc" and special != "none":
        x.flat[0] = {"nan": np.nan, "inf": -np.inf, "-0": -0.0}[special]
    layout = draw(st.sampled_from(["c", "f", "view", "readonly", "0-d scalar"]))
    if layout == "f":
        x = np.asfortranarray(x)
    elif layout == "view" and x.ndim:
        x = x[..., ::-1]
    elif layout == "readonly":
        x.flags.writeable = False
    elif layout == "0-d scalar" and x.ndim == 0:
        x = x[()]          # a NumPy scalar: the original function's path
    return x


_AXES = st.one_of(st.none(), st.integers(-5, 4), st.tuples(st.integers(-4, 3)),
                  st.tuples(st.integers(-4, 3), st.integers(-4, 3)))


@settings(max_examples=150)
@given(x=_arrays(), axis=_AXES, keepdims=st.sampled_from([None, False, True]),
       dtype=st.sampled_from([None, np.float64, np.int64, np.complex128]),
       shape=st.sampled_from([(-1,), (1, -1), (-1, 1, 1), (2, -1), (), (0,), (5, 7)]),
       perm_seed=st.integers(0, 100), copy=st.sampled_from([None, True, False]))
def test_numpy_namespace_fast_functions_equal_array_api_compats(
        x, axis, keepdims, dtype, shape, perm_seed, copy):
    """Each function the NumPy backend's namespace replaces gives what
    ``array_api_compat.numpy``'s gives: the same values, dtype, strides, flags, view or
    copy, and the same error -- on every dtype, layout (C, Fortran, a reversed view,
    read-only), NaN/inf/-0, empty and 0-d shapes, NumPy scalars."""
    f, c = _FAST, _compat_np
    kd = {} if keepdims is None else {"keepdims": keepdims}
    perm = tuple(np.random.default_rng(perm_seed).permutation(max(np.ndim(x), 0)))
    pairs = [
        (lambda ns: ns.sum(x, axis=axis, dtype=dtype, **kd)),
        (lambda ns: ns.sum(x, axis=axis, **kd)),
        (lambda ns: ns.sum(x)),
        (lambda ns: ns.reshape(x, shape)),
        (lambda ns: ns.reshape(x, shape, copy=copy)),
        (lambda ns: ns.matrix_transpose(x)),
        (lambda ns: ns.permute_dims(x, perm)),
        (lambda ns: ns.permute_dims(x, (0,) * np.ndim(x))),
        (lambda ns: ns.astype(x, dtype or np.float32)),
        (lambda ns: ns.astype(x, dtype or np.float32, copy=False)),
        (lambda ns: ns.expand_dims(x, axis if type(axis) is int else 0)),
        (lambda ns: ns.expand_dims(x, axis=axis if axis is not None else -1)),
        (lambda ns: ns.squeeze(x)),
        (lambda ns: ns.squeeze(x, axis=axis)),
        (lambda ns: ns.zeros_like(x)),
        (lambda ns: ns.ones_like(x, dtype=dtype)),
        (lambda ns: ns.matmul(x, x)),
        (lambda ns: ns.matmul(x, ns.matrix_transpose(x))),
        (lambda ns: ns.asarray(x, copy=True)),
        (lambda ns: ns.asarray(x, dtype=dtype, copy=copy)),
        (lambda ns: ns.asarray(x, copy=True, device="cpu")),
        (lambda ns: ns.asarray(x, copy=True, device="cuda")),
        (lambda ns: ns.zeros(np.shape(x), dtype=dtype)),
        (lambda ns: ns.ones(shape if -1 not in shape else np.shape(x), device="cpu")),
        (lambda ns: ns.empty(np.shape(x), dtype=dtype).shape),
        (lambda ns: ns.zeros(np.shape(x), device="cuda")),
    ]
    for k, call in enumerate(pairs):
        got, want = _result(lambda: call(f)), _result(lambda: call(c))
        assert str(got) == str(want), (k, x, axis, keepdims, dtype, shape)
        # a view stays a view of the same memory (or neither is)
        if got[0] == "value" and isinstance(x, np.ndarray):
            assert (np.shares_memory(call(f), x) == np.shares_memory(call(c), x)), k


def test_numpy_namespace_is_the_backends_everywhere():
    """Ops and rules compare the namespace by identity (``xp is numpy_backend.xp``):
    every module that keeps one holds the same object, and it has every name
    array_api_compat's has."""
    from ndgrad._autograd import backward
    from ndgrad._ops import elementwise, registry
    assert backward._npx is registry._npx is elementwise._npx is _FAST
    missing = [n for n in dir(_compat_np) if not n.startswith("__") and not hasattr(_FAST, n)]
    assert not missing


# -- the NumPy-face unary functions' inline path (registry.ufunc_entry) equals apply's ---
from ndgrad._numpy import aliases as _aliases  # noqa: E402

_UNARY_FACES = sorted((np_name, _aliases.ALIASES.get(np_name, np_name))
                      for np_name in list(_aliases.UFUNC_NAMES) + list(_aliases.ALIASES)
                      if _aliases.ALIASES.get(np_name, np_name) in _aliases._UNARY
                      # (the entries ufunc_entry made: nd.imag, say, is NumPy's own face)
                      and getattr(getattr(nd, np_name), "_op", None) is not None)


def _unary_operands():
    f64 = np.array([1.5, -0.0, np.inf, np.nan, -2.0, 0.25])
    c128 = np.array([np.inf + 1j, -np.inf - 2j, 0.5 - 0.5j, -0.0 + 0j, np.nan + 0j, 1j])
    return [f64, f64.astype(np.float32), f64.astype(np.float16), c128,
            c128.astype(np.complex64), np.array([3, -1, 0, 7]), np.array(0.75),
            np.array([True, False]), np.zeros((0, 2))]


@pytest.mark.parametrize("np_name,std_name", _UNARY_FACES, ids=[n for n, _ in _UNARY_FACES])
def test_unary_face_inline_path_equals_apply(np_name, std_name):
    f = getattr(nd, np_name)
    op = _registry.REGISTRY[std_name]
    assert f._op is op
    for v in _unary_operands():
        got = _outcome(lambda: f(nd.asarray(v.copy())))
        want = _outcome(lambda: _registry.apply(op, (nd.asarray(v.copy()),)))
        assert str(got) == str(want), (np_name, v)
        if v.dtype.kind not in "fc" or op.vjp is None:
            continue
        # recorded: the same node (rule inputs, saved result, shapes), so the same
        # cotangent, bit for bit
        outs = []
        for g in (f, lambda a: _registry.apply(op, (a,))):
            leaf = nd.asarray(v.copy(), requires_grad=True)
            y = g(leaf)
            node = y._node
            if node is None:     # (imag of a real array: a constant, both ways)
                outs.append(None)
                continue
            assert node.op is op and node.parents == (leaf._node,)
            # (an elementwise op records no input shape, SAME1: its input has the
            # result's shape)
            shapes = ((tuple(y.shape),) if isinstance(node.shapes, _registry._Same)
                      else node.shapes)
            outs.append((shapes, node.params, str(np.asarray(y.detach()).tolist()),
                         None if node.inputs is None else
                         [str(np.asarray(i).tolist()) for i in node.inputs],
                         None if node.ans is None else str(np.asarray(node.ans).tolist()),
                         getattr(leaf, "_saved", False) if node.inputs is not None
                         else None,
                         getattr(y, "_saved", False)))
        assert outs[0] == outs[1], np_name


def test_unary_face_inline_path_copies_a_shared_buffer():
    """The inline recorded path keeps the sharing check: a buffer NumPy code shares is
    saved as a private copy, so a write through the NumPy alias after the forward does
    not change the gradient."""
    c = np.array([0.5, 1.0])
    x = nd.asarray(c)                       # shares c's buffer
    x.requires_grad_()
    y = nd.sum(nd.sin(x))
    c[0] = 100.0                            # NumPy writes where the rule reads
    y.backward()
    np.testing.assert_array_equal(np.asarray(x.grad), np.cos([0.5, 1.0]))


def test_plain_path_keeps_the_saved_mark_while_another_graph_reads_the_input():
    """value_and_grad's plain path drops an input's saved mark only when the buffer is
    the input's alone: a live graph recorded earlier (its rule reads the input's values)
    keeps the mark, so a later in-place write copies first and that graph's gradient is
    the one of the values it used; once the graph is gone, the write needs no copy."""
    p = nd.asarray(np.array([0.5, 1.0, 2.0]))
    w = nd.asarray(np.array([1.0, 1.0, 1.0]), requires_grad=True)
    y = nd.sum(w * p)                  # multiply's rule keeps p's buffer
    v, g = nd.value_and_grad(lambda q: nd.sum(q * q))(p)
    np.testing.assert_array_equal(np.asarray(g), [1.0, 2.0, 4.0])
    p -= 10.0                          # copy-on-write: y's rule still reads the old values
    y.backward()
    np.testing.assert_array_equal(np.asarray(w.grad), [0.5, 1.0, 2.0])
    np.testing.assert_array_equal(np.asarray(p), [-9.5, -9.0, -8.0])
    del y
    v, g = nd.value_and_grad(lambda q: nd.sum(q * q))(p)
    before = p._data.__array_interface__["data"][0]
    p -= 1.0                           # nobody else reads the buffer: written in place
    assert p._data.__array_interface__["data"][0] == before
    np.testing.assert_array_equal(np.asarray(p), [-10.5, -10.0, -9.0])


# -- nd.sum / nd.mean of one Array: the standard's function directly, as stats would ----
@pytest.mark.parametrize("name", ["sum", "mean"])
def test_whole_array_reduction_shortcut_equals_the_numpy_layer(name):
    from ndgrad._numpy import stats
    fast, slow = getattr(nd, name), getattr(stats, name)
    for v in [np.array([1.5, -0.0, np.inf, 2.0]), np.array([np.nan, 1.0], np.float32),
              np.array([[1, 2], [3, 4]]), np.array([True, False, True]), np.array(2.5),
              np.zeros((0, 3)), np.array([1 + 2j, -3j]), np.array([250, 10], np.uint8)]:
        got = _outcome(lambda: fast(nd.asarray(v)))
        want = _outcome(lambda: slow(nd.asarray(v)))
        assert str(got) == str(want), (name, v)
        if v.dtype.kind == "f":
            gf = nd.grad(lambda a: fast(a * a))(nd.asarray(v))
            gs = nd.grad(lambda a: slow(a * a))(nd.asarray(v))
            np.testing.assert_array_equal(np.asarray(gf), np.asarray(gs))
    # every other call is the NumPy layer's: positional and keyword arguments, lists,
    # strings (NumPy's own function)
    x = nd.asarray(np.array([[1.0, 2.0], [3.0, 4.0]]))
    for args, kw in [((x, 0), {}), ((x,), {"axis": 1}), ((x,), {"keepdims": True}),
                     (([1, 2, 3],), {}), ((x, None, np.float32), {})]:
        assert str(_outcome(lambda: fast(*args, **kw))) == str(
            _outcome(lambda: slow(*args, **kw)))
    if name == "sum":
        assert fast(np.array(["a", "b"], dtype=object)) == "ab"


# -- dependency counting (with its one-parent shortcut) equals a plain edge count -------
def _reference_dependencies(roots, stop):
    from ndgrad._autograd import backward
    deps, seen, outside = {}, set(), False
    todo = list(dict.fromkeys(roots))
    rootset = set(todo)
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        if node in stop:
            continue
        ps = [p for p in node.parents if p is not None]
        if not ps:
            outside = True
        for p in ps:
            deps[p] = deps.get(p, 0) + 1
            if p not in seen and p not in rootset:
                todo.append(p)
    if outside and stop:
        backward._prune(roots, stop, deps)
    return deps


@settings(max_examples=80)
@given(prog=programs(), seed=st.integers(0, 2**16), n_roots=st.integers(1, 3),
       stop_kind=st.sampled_from(["none", "leaves", "some"]))
def test_dependency_counts_equal_a_plain_edge_count(prog, seed, n_roots, stop_kind):
    from ndgrad._autograd import backward
    n_in, steps, outs = prog
    rng = np.random.default_rng(seed)
    leaves = [nd.asarray(rng.uniform(-1, 1, 3), requires_grad=True) for _ in range(n_in)]
    vals = list(leaves)
    for k, args in steps:
        vals.append(OPS[k][2](*[vals[a] for a in args]))
    nodes = [v._node for v in vals if v._node is not None]
    roots = [nodes[int(i)] for i in rng.integers(0, len(nodes), n_roots)]
    stop = {"none": set(), "leaves": {l._node for l in leaves},
            "some": {nodes[int(i)] for i in rng.integers(0, len(nodes), 2)}}[stop_kind]
    want = _reference_dependencies(roots, stop)
    assert backward._dependencies(roots, stop) == want
    if stop_kind != "some":
        # stop nodes that are all leaves: run_backward's ``inner=False`` walk (one root:
        # the single-root walk with its one-parent branch)
        assert backward._dependencies(roots, stop, inner=False) == want


def test_dependency_count_of_a_node_whose_one_parent_is_a_constant():
    """A node whose only parent slot is a constant is a source: with stop nodes, the
    nodes that cannot reach one get a count that never runs out (never processed)."""
    from ndgrad._autograd import backward
    op = _registry.REGISTRY["sin"]
    leaf = backward.new_node(None, (), None, None, None, ())
    a = backward.new_node(op, (None,), None, None, {}, ((2,),))
    b = backward.new_node(op, (leaf,), None, None, {}, ((2,),))
    root = backward.new_node(_registry.REGISTRY["add"], (a, b), None, None, {},
                             ((2,), (2,)))
    for inner in (True, False):
        deps = backward._dependencies([root], {leaf}, inner=inner)
        assert deps == _reference_dependencies([root], {leaf})
        assert deps[b] == 1 and deps[leaf] == 1 and deps[a] == backward._NEVER


def test_the_value_stays_marked_while_an_aux_graph_reads_its_buffer():
    """value_and_grad's plain path marks the value it returns saved exactly when a rule
    still holds its buffer (an aux computed from the output): a write into the value
    then copies first and the aux's rule keeps the forward's value; otherwise the value
    is the caller's to write in place."""
    w = nd.asarray([2.0], requires_grad=True)

    def f(a):
        y = nd.sum(a * a)
        return y, y * w              # the aux's multiply saves y's buffer

    (v, aux), g = nd.value_and_grad(f, has_aux=True)(nd.asarray([1.0, 3.0]))
    saved = aux._node.inputs[0]
    assert saved is v._data
    v[...] = 110.0
    assert float(v) == 110.0 and float(saved) == 10.0   # (the aux's rule reads 10)
    # no rule reads it: written in place
    v, g = nd.value_and_grad(lambda a: nd.sum(a * a))(nd.asarray([1.0, 3.0]))
    before = v._data
    v[...] = 11.0
    assert v._data is before and float(v) == 11.0
    # the value stands for NumPy's scalar: ``+=`` binds a new value, the old one stays
    u = v
    u += 1.0
    assert float(v) == 11.0 and float(u) == 12.0 and v._data is before


# -- the sum rule's one-element cotangent and pow's square, each against its long form ----
@pytest.mark.parametrize("shape,axis,keepdims", [
    ((5, 1), 0, False), ((5, 1), 0, True), ((1, 4, 1), (0, 2), False), ((3,), None, False),
    ((2, 3), None, True), ((), None, False), ((0, 1), 0, False), ((1, 1), 1, False)])
def test_sum_rule_with_a_one_element_cotangent_spreads_it_over_the_input(
        shape, axis, keepdims):
    """A cotangent of one element (a full sum's, or a partial sum's whose result has one
    element) goes straight to a zero-stride view of the input's shape: each element of the
    gradient is the cotangent's value, whatever the axes and keepdims."""
    x = nd.asarray(np.random.default_rng(0).standard_normal(shape))
    out_shape = np.sum(np.asarray(x), axis=axis, keepdims=keepdims).shape
    ct = nd.asarray(np.full(out_shape, -2.5))
    _, pull = nd.vjp(lambda a: nd.sum(a, axis=axis, keepdims=keepdims), x)
    g, = pull(ct)
    assert g.shape == shape
    np.testing.assert_array_equal(np.asarray(g), np.full(shape, -2.5))
    # and through a rule downstream (the spread is read-only: the product is fresh)
    gg = nd.grad(lambda a: nd.sum(nd.sum(a * 3.0, axis=axis, keepdims=keepdims)))(x)
    np.testing.assert_array_equal(np.asarray(gg), np.full(shape, 3.0))
    gg[...] = 0   # the caller's own writable array


@pytest.mark.parametrize("dt", [np.float64, np.float32, np.complex128])
@pytest.mark.parametrize("y", [2, 2.0])
def test_pow_square_rule_equals_the_general_formula(dt, y):
    """``x ** 2``'s rule skips ``x ** 1`` (which NumPy computes as x itself): the gradient
    is ``g * 2 * x`` bit for bit, and its derivative (second order) is 2."""
    rng = np.random.default_rng(1)
    xv = rng.standard_normal(7).astype(dt)
    if np.dtype(dt).kind == "c":
        xv = xv + 1j * rng.standard_normal(7)
        f = lambda a: nd.sum(nd.real(a ** y))   # noqa: E731
    else:
        f = lambda a: nd.sum(nd.sin(a) ** y)    # noqa: E731
        xv = np.concatenate([xv, np.array([0.0, -0.0, np.inf, np.nan], dt)])
    g = np.asarray(nd.grad(f)(nd.asarray(xv)))
    if np.dtype(dt).kind == "c":
        want = 1.0 * y * xv ** (y - 1)   # (JAX: d/dx - i d/dy of Re(z**2) is 2z)
    else:
        s = np.sin(xv)
        want = (np.ones_like(xv) * y * s ** (y - 1)) * np.cos(xv)
    np.testing.assert_array_equal(g, want.astype(dt))
    if np.dtype(dt).kind == "f":
        h = nd.grad(lambda a: nd.sum(nd.grad(lambda b: nd.sum(b ** y))(a)))(nd.asarray(xv[:7]))
        np.testing.assert_array_equal(np.asarray(h), np.full(7, 2.0, dt))


# -- x + c, x - c: first-order backward hands g on without calling the rule -------------
@pytest.mark.parametrize("case", ["x+c", "x-c", "c-x", "c+x", "x+C", "x-C", "C-x", "x+x",
                                  "x-x", "x+y", "x-y"])
def test_add_and_subtract_with_a_constant_hand_on_the_cotangent(case):
    rng = np.random.default_rng(3)
    x0 = rng.standard_normal((3, 1))
    y0 = rng.standard_normal((3, 1))
    C0 = rng.standard_normal((1, 4))
    w = rng.standard_normal((3, 4))
    C = nd.asarray(C0)
    wn = nd.asarray(w)

    def f(x, y):
        r = {"x+c": lambda: x + 0.5, "x-c": lambda: x - 0.5, "c-x": lambda: 0.5 - x,
             "c+x": lambda: 0.5 + x, "x+C": lambda: x + C, "x-C": lambda: x - C,
             "C-x": lambda: C - x, "x+x": lambda: x + x, "x-x": lambda: x - x,
             "x+y": lambda: x + y, "x-y": lambda: x - y}[case]()
        return nd.sum(nd.sin(r) * (wn if r.shape == (3, 4) else wn[:, :1]))

    gx, gy = nd.grad(f, (0, 1))(nd.asarray(x0), nd.asarray(y0))
    # central differences
    def fnum(a, b):
        with nd.no_grad():
            return float(f(nd.asarray(a), nd.asarray(b)))
    eps = 1e-6
    for g, which in ((gx, 0), (gy, 1)):
        num = np.zeros((3, 1))
        for i in range(3):
            d = np.zeros((3, 1))
            d[i, 0] = eps
            a, b = (x0 + d, y0) if which == 0 else (x0, y0 + d)
            a2, b2 = (x0 - d, y0) if which == 0 else (x0, y0 - d)
            num[i, 0] = (fnum(a, b) - fnum(a2, b2)) / (2 * eps)
        np.testing.assert_allclose(np.asarray(g), num, rtol=1e-6, atol=1e-9)
    # y.backward() and a second order agree too
    xr = nd.asarray(x0, requires_grad=True)
    f(xr, nd.asarray(y0)).backward()
    np.testing.assert_allclose(np.asarray(xr.grad), np.asarray(gx), rtol=1e-15)

"""The sign rewrites (ndgrad/graph/compiler/signs.py): bit for bit the unoptimised plan's
results on random programs of negations, products and sums in every real float dtype;
integers and complex numbers left alone; a fetched value stays a fresh array."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

import ndgrad as nd
import ndgrad.tf as tf
from ndgrad.graph.compiler import NONE, Options, compile_plan
from ndgrad.graph.compiler import signs as signs_mod
from ndgrad.graph.compiler.direct import op_name
from ndgrad.graph.session import Session

from test_compiler import same_bits   # dtype, shape, NaN positions, the other bits


@pytest.fixture(autouse=True)
def graph_mode():
    tf.disable_eager_execution()
    yield


# simplify (with the sign rules), CSE and pruning: the passes that change the steps
SIGNS = Options(fold=False, fuse=False, reuse=False, stream=False, scalar=False)
ALONE = Options(fold=False, cse=False, prune=False, fuse=False, reuse=False, stream=False,
                scalar=False)

SPECIAL = [0.0, -0.0, np.inf, -np.inf, np.nan, 1e-300, -5e-324, 1e300, -1.7e308, 65504.0,
           3e38, -1e-45]
DTYPES = [np.float16, np.float32, np.float64]


@st.composite
def sign_programs(draw):
    """Negations, products and sums (and a few other ops) over two placeholders of one
    float dtype, constants of several kinds, many repeats; fetches and a gradient."""
    dt = draw(st.sampled_from(DTYPES))
    fits = [v for v in SPECIAL if not np.isfinite(v) or abs(v) <= float(np.finfo(dt).max)]
    elements = st.floats(-4, 4, width=16 if dt == np.float16 else 32 if dt == np.float32
                         else 64) | st.sampled_from(fits)
    shape = draw(st.sampled_from([(3,), (2, 3), ()]))
    feeds = [draw(hnp.arrays(dt, shape, elements=elements)) for _ in range(2)]
    consts = [draw(st.sampled_from([2.0, -0.5, 3, 0.0, -0.0])),
              draw(hnp.arrays(dt, (3,), elements=elements)),
              draw(hnp.arrays(dt, (), elements=elements))]
    recipe = []
    n_in = 2 + len(consts)
    for _ in range(draw(st.integers(3, 14))):
        n = n_in + len(recipe)

        def pick():
            return n - 1 - draw(st.integers(0, n - 1))
        kind = draw(st.sampled_from(["neg", "neg", "mul", "mul", "add", "same", "again",
                                     "exp", "sub"]))
        if kind == "again" and recipe:
            recipe.append(recipe[draw(st.integers(0, len(recipe) - 1))])
        elif kind in ("neg", "exp", "again"):
            recipe.append(("exp" if kind == "exp" else "neg", pick()))
        elif kind == "same":
            a = pick()
            recipe.append((draw(st.sampled_from(["add", "mul"])), a, a))
        else:
            recipe.append((kind, pick(), pick()))
    total = n_in + len(recipe)
    fetch = [total - 1] + draw(st.lists(st.integers(2, total - 1), max_size=3))
    grad = draw(st.booleans())

    def build():
        g = tf.Graph()
        with g.as_default():
            phs = [tf.placeholder(dt, shape) for _ in range(2)]
            nodes = phs + [c if isinstance(c, (int, float)) else tf.constant(c)
                           for c in consts]
            fns = {"neg": tf.negative, "exp": tf.exp, "mul": tf.multiply, "add": tf.add,
                   "sub": tf.subtract}
            for r in recipe:
                args = [nodes[i] for i in r[1:]]
                if all(isinstance(a, (int, float)) for a in args):
                    args[0] = tf.constant(args[0], dt)
                nodes.append(fns[r[0]](*args))
            nodes = [tf.convert_to_tensor(x, dt) for x in nodes]
            fetched = [nodes[i] for i in fetch]
            if grad:
                gr, = tf.gradients(tf.reduce_sum(nodes[-1]), [phs[0]])
                if gr is not None:
                    fetched.append(gr)
        return g, phs, fetched

    return build, feeds


def run(prog, options):
    build, feeds = prog
    g, phs, fetched = build()
    with Session(graph=g, compile_options=options) as s:
        fd = {p: f.copy() for p, f in zip(phs, feeds)}
        with np.errstate(all="ignore"):
            return s.run(fetched, fd), s.run(fetched, fd)


@pytest.mark.parametrize("keep_all", [True, False], ids=["every rewrite", "where it pays"])
@pytest.mark.parametrize("options", [SIGNS, ALONE], ids=["with cse and prune", "alone"])
@settings(max_examples=60)
@given(prog=sign_programs())
def test_sign_rewrites_give_the_unoptimised_plans_bits(options, keep_all, prog):
    ref, _ = run(prog, NONE)
    signs_mod.KEEP_ALL = keep_all
    try:
        got, again = run(prog, options)
    finally:
        signs_mod.KEEP_ALL = False
    for r, a, b in zip(ref, got, again):
        same_bits(a, r)
        same_bits(b, r)


def test_a_negation_read_elsewhere_is_left_in_its_product(monkeypatch):
    # a * -b + -b: moving the negation out of the product would add a step (the
    # negation stays for the sum, and nothing merges): the rewrite is undone
    g = tf.Graph()
    with g.as_default():
        a = tf.placeholder(tf.float64, (1000,))
        b = tf.placeholder(tf.float64, (1000,))
        nb = -b
        y = a * nb + nb
    assert _names([y], [a, b]) == _names_without_signs(monkeypatch, [y], [a, b]) == [
        "negative", "multiply", "add"]


def _names(fetches, feeds, options=SIGNS):
    return [op_name(s) for s in compile_plan(fetches, feeds, options).steps]


def _names_without_signs(monkeypatch, fetches, feeds):
    with monkeypatch.context() as m:
        m.setattr("ndgrad.graph.compiler.signs.rewrite", lambda plan, merge=True: 0)
        return _names(fetches, feeds)


def test_the_gradient_of_exp_of_minus_x_squared_has_one_product_and_one_scaling(
        monkeypatch):
    g = tf.Graph()
    with g.as_default():
        x = tf.placeholder(tf.float64, (5,))
        y = tf.reduce_sum(tf.sin(x) * x + tf.exp(-x * x))
        gx, = tf.gradients(y, [x])
    # without the rules: a negation, two products and a sum for exp(-x*x)'s gradient
    before = _names_without_signs(monkeypatch, [y, gx], [x])
    assert len(before) == 15 and before.count("negative") == 2
    names = _names([y, gx], [x])
    assert len(names) == 13 and names.count("negative") == 1
    xv = np.linspace(-3, 3, 5)
    with Session(graph=g) as s:
        v, gv = s.run([y, gx], {x: xv})
    with Session(graph=g, compile_options=NONE) as s:
        v0, gv0 = s.run([y, gx], {x: xv})
    same_bits(v, v0)
    same_bits(gv, gv0)
    # the numbers themselves, against NumPy's formula for the gradient
    np.testing.assert_allclose(gv, np.cos(xv) * xv + np.sin(xv) - 2 * xv * np.exp(-xv * xv),
                               rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize("dt", [np.int8, np.int32, np.int64, np.complex64, np.complex128])
def test_integers_and_complex_numbers_are_left_alone(dt, monkeypatch):
    # -INT_MIN is INT_MIN: a * -b is not -(a * b) for integers; complex products round
    # their parts together
    g = tf.Graph()
    with g.as_default():
        a = tf.placeholder(dt, (3,))
        b = tf.placeholder(dt, (3,))
        y = a * -b
        z = (-b) + (-b)
        w = -(-(a * b))
    assert _names([y, z, w], [a, b]) == _names_without_signs(monkeypatch, [y, z, w], [a, b])
    if np.dtype(dt).kind == "i":
        lo = np.iinfo(dt).min
        av, bv = np.array([3, -1, 2], dt), np.array([lo, lo, 1], dt)
    else:
        av, bv = (np.array([1 + 2j, np.inf + 0j, -0.0 + 1j], dt),
                  np.array([3 - 1j, 1 + 1j, 2 + 0j], dt))
    with Session(graph=g) as s, np.errstate(all="ignore"):
        got = s.run([y, z, w], {a: av, b: bv})
        np.testing.assert_array_equal(got[0], av * -bv)
        np.testing.assert_array_equal(got[1], (-bv) + (-bv))
        np.testing.assert_array_equal(got[2], -(-(av * bv)))


def test_a_fetched_double_negation_is_a_fresh_array():
    g = tf.Graph()
    with g.as_default():
        x = tf.placeholder(tf.float64, (3,))
        y = -(-x)
        z = tf.exp(-(-x))
    xv = np.array([1.0, -0.0, np.nan])
    keep = xv.copy()
    names = _names([y, z], [x])
    assert names.count("negative") == 2      # y's own two stay; z reads x
    with Session(graph=g) as s:
        yv, zv = s.run([y, z], {x: xv})
    assert yv is not xv and not np.shares_memory(yv, xv)
    yv[0] = 5.0
    same_bits(xv, keep)
    same_bits(zv, np.exp(keep))


def test_jit_gradients_keep_their_bits():
    # nd.jit compiles through the same passes: the same numbers as eager code
    def f(x):
        return nd.sum(nd.exp(-x * x) * 3.0 + x * -x)
    x = nd.asarray(np.array([0.5, -1.5, 0.0, -0.0, 2.0, 1e-200]))
    v0, g0 = nd.value_and_grad(f)(x)
    v1, g1 = nd.jit(nd.value_and_grad(f))(x)
    same_bits(v1, v0)
    same_bits(g1, g0)

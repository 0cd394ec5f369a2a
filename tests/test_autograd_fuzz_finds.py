"""What a differential fuzz of random NumPy programs against HIPS autograd, NumPy and
finite differences found (values and gradients, eager and under ``nd.jit``), pinned:

- ``nd.jit`` dropped ``initial=``, ``where=`` and ``out=`` of ``min``/``max`` (and of
  ``x.min()``/``x.max()``): the traced value took a shortcut to the standard's
  reduction, so ``nd.jit(lambda a: nd.max(a, initial=10.0))`` gave the plain maximum
  and its gradient, with no error. Graph tensors (``ndgrad.tf``) took the same shortcut.
- einsum's gradient failed where NumPy's einsum broadcasts a letter of length 1 against
  a longer one (``'ij,jk->jk'`` with j of 1 in one operand and 3 in the other): the
  cotangent kept the other term's length (ValueError: cannot reshape).
"""
import warnings

import numpy as np
import pytest

import ndgrad as nd
from helpers import fd_grad_np as _fd


X = np.array([3.0, -20.0, 0.5])
MASK = np.array([True, False, True])

# (function of an ndgrad array, the same on NumPy arrays)
EXTREMES = [
    (lambda a: nd.max(a, initial=10.0), lambda a: np.max(a, initial=10.0)),
    (lambda a: nd.min(a, initial=-30.0), lambda a: np.min(a, initial=-30.0)),
    (lambda a: nd.min(a, where=MASK, initial=10.0),
     lambda a: np.min(a, where=MASK, initial=10.0)),
    (lambda a: nd.max(a, where=a < 0, initial=-100.0),
     lambda a: np.max(a, where=a < 0, initial=-100.0)),
    (lambda a: nd.amax(a, initial=5.0), lambda a: np.amax(a, initial=5.0)),
    (lambda a: a.max(initial=10.0), lambda a: a.max(initial=10.0)),
    (lambda a: a.min(where=MASK, initial=0.0), lambda a: a.min(where=MASK, initial=0.0)),
    (lambda a: nd.max(nd.reshape(a, (1, 3)), axis=0, initial=1.0, keepdims=True),
     lambda a: np.max(a.reshape(1, 3), axis=0, initial=1.0, keepdims=True)),
]


@pytest.mark.parametrize("k", range(len(EXTREMES)))
def test_jit_min_max_keep_initial_and_where(k):
    f, npf = EXTREMES[k]
    want = npf(X)
    np.testing.assert_array_equal(np.asarray(f(nd.asarray(X))), want)
    np.testing.assert_array_equal(np.asarray(nd.jit(f)(nd.asarray(X))), want)

    def loss(a):
        return nd.sum(f(a))
    g_eager = np.asarray(nd.grad(loss)(nd.asarray(X)))
    g_jit = np.asarray(nd.jit(nd.grad(loss))(nd.asarray(X)))
    np.testing.assert_allclose(g_eager, _fd(lambda v: float(np.sum(npf(v))), X), atol=1e-8)
    np.testing.assert_array_equal(g_jit, g_eager)


def test_jit_max_writes_out_and_refuses_a_mask_without_initial():
    def h(a):
        z = nd.zeros(())
        nd.max(a, out=z)
        return z
    assert float(nd.jit(h)(nd.asarray([1.0, 5.0]))) == 5.0 == float(h(nd.asarray([1.0, 5.0])))
    with pytest.raises(ValueError, match="to use a where mask one has to specify 'initial'"):
        nd.jit(lambda a: nd.max(a, where=a > 0))(nd.asarray(X))
    # an empty reduction under jit: initial, as NumPy
    got = nd.jit(lambda a: nd.min(a, axis=1, initial=-1.0))(nd.asarray(np.zeros((2, 0))))
    np.testing.assert_array_equal(np.asarray(got), np.min(np.zeros((2, 0)), axis=1,
                                                          initial=-1.0))


def test_graph_tensors_min_max_keep_initial_and_where():
    import ndgrad.tf as tf
    g = tf.Graph()
    with g.as_default():
        p = tf.placeholder(tf.float64, (3,))
        r = [nd.max(p, initial=10.0), nd.min(p, where=MASK, initial=10.0),
             nd.max(p, where=MASK, initial=-50.0)]
        with tf.Session() as s:
            got = s.run(r, {p: X})
    assert [float(v) for v in got] == [np.max(X, initial=10.0),
                                       np.min(X, where=MASK, initial=10.0),
                                       np.max(X, where=MASK, initial=-50.0)]


# einsum specs whose operands broadcast a letter of length 1 (NumPy's einsum allows it)
BROADCAST_EINSUMS = [
    ("ij,jk->jk", [(3, 1), (3, 1)]),
    ("ij,jk->ik", [(2, 1), (4, 3)]),
    ("ij,jk->ik", [(2, 4), (1, 3)]),
    ("i,i->", [(1,), (5,)]),
    ("i,i->i", [(5,), (1,)]),
    ("...i,...i->...", [(2, 1, 3), (4, 3)]),
    ("ij,ij->ij", [(1, 3), (2, 1)]),
    ("ii,i->i", [(1, 1), (3,)]),
    ("ij,jk,kl->il", [(2, 1), (3, 4), (1, 2)]),
]


@pytest.mark.parametrize("spec,shapes", BROADCAST_EINSUMS)
def test_einsum_gradient_where_a_letter_broadcasts(spec, shapes):
    rng = np.random.default_rng(len(spec) + len(shapes))
    ops = [rng.standard_normal(s) for s in shapes]
    w = rng.standard_normal(np.einsum(spec, *ops).shape)
    for k in range(len(ops)):
        def f(u, k=k):
            o = list(ops)
            o[k] = u
            return float(np.sum(np.einsum(spec, *o) * w))

        def fn(u, k=k):
            o = [nd.asarray(v) for v in ops]
            o[k] = u
            return nd.sum(nd.einsum(spec, *o) * w)
        g = np.asarray(nd.grad(fn)(nd.asarray(ops[k])))
        assert g.shape == ops[k].shape
        np.testing.assert_allclose(g, _fd(f, ops[k]), atol=1e-7)
        np.testing.assert_allclose(np.asarray(nd.jit(nd.grad(fn))(nd.asarray(ops[k]))), g,
                                   rtol=1e-12, atol=1e-14)


def test_einsum_second_order_where_a_letter_broadcasts():
    rng = np.random.default_rng(7)
    a, b = rng.standard_normal((3, 1)), rng.standard_normal((3, 2))

    def f(u):
        return nd.sum(nd.einsum("ij,jk->ik", u * u, b) ** 2)
    h = np.asarray(nd.hessian(f)(nd.asarray(a)))
    gfun = nd.grad(f)
    fd = np.stack([_fd(lambda v, i=i: float(np.asarray(gfun(nd.asarray(v)))[i]), a)
                   for i in np.ndindex(a.shape)]).reshape(h.shape)
    np.testing.assert_allclose(h, fd, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("b", [None, 2.0, -1.0, [1.0, -0.5]])
@pytest.mark.parametrize("axis", [None, 0, -1])
@pytest.mark.parametrize("keepdims", [False, True])
def test_scipy_logsumexp_reads_a_0d_input_as_shape_1(b, axis, keepdims):
    """SciPy's logsumexp takes a 0-d ``a`` as one of shape (1,) (``atleast_1d`` after
    broadcasting with ``b``): axis 0 and -1 are valid, and keepdims gives (1,); ndgrad's
    gave shape () and refused axis 0."""
    from ndgrad.scipy.special import logsumexp
    bb = None if b is None else nd.asarray(b)
    got = logsumexp(nd.asarray(0.5), axis=axis, b=bb, keepdims=keepdims)
    n = 1 if b is None or np.ndim(b) == 0 else len(b)
    want_shape = (1,) if keepdims else ()
    assert np.shape(np.asarray(got)) == want_shape
    s = np.exp(0.5) * (1.0 if b is None else np.sum(np.broadcast_to(b, (n,))))
    np.testing.assert_allclose(np.asarray(got), np.broadcast_to(np.log(s) if s > 0 else
                                                                np.nan, want_shape))
    sp = pytest.importorskip("scipy.special")
    np.testing.assert_array_equal(np.asarray(got), sp.logsumexp(
        np.asarray(0.5), axis=axis, b=None if b is None else np.asarray(b),
        keepdims=keepdims))


# -- ndgrad.scipy against SciPy (a fuzz of special, stats, linalg, signal, integrate) ------
@pytest.mark.parametrize("axis", [-1, 1, 0, None, (0, 1)])
def test_scipy_logsumexp_reads_axis_against_the_broadcast_shape(axis):
    """b of more dimensions than a: the axis was read against a's own (a 1-D a's -1 is
    0, and axis 0 of the (2, 3) broadcast was reduced: value, shape and gradient)."""
    from ndgrad.scipy.special import logsumexp
    sp = pytest.importorskip("scipy.special")
    a, b = np.array([1.0, 2.0, 3.0]), np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    got = np.asarray(logsumexp(nd.asarray(a), axis=axis, b=nd.asarray(b)))
    want = sp.logsumexp(a, axis=axis, b=b)
    assert got.shape == np.shape(want)
    np.testing.assert_allclose(got, want, rtol=1e-14)
    g = np.asarray(nd.grad(lambda u: nd.sum(logsumexp(u, axis=axis, b=nd.asarray(b))))(
        nd.asarray(a)))
    np.testing.assert_allclose(g, _fd(lambda u: float(np.sum(sp.logsumexp(u, axis=axis,
                                                                            b=b))), a),
                               rtol=1e-7)


@pytest.mark.parametrize("df", [0.5, 3.0, 150.0, 250.0, 1e6, 1e12, 1e15, 1e20])
def test_t_logpdf_keeps_its_digits_at_large_df(df):
    """log Gamma((df + 1)/2) - log Gamma(df/2) cancelled: t.logpdf(0.5, 1e15) was +2.03
    for -1.04394, and its derivative in df 0 at df = 1e8."""
    from ndgrad.scipy.stats import t
    sp = pytest.importorskip("scipy.stats")
    for x in (0.5, -3.0, 40.0):
        np.testing.assert_allclose(float(t.logpdf(nd.asarray(x), df)), sp.t.logpdf(x, df),
                                   rtol=1e-12)
    g = float(nd.grad(lambda d: t.logpdf(0.5, d))(nd.asarray(df)))
    # d/d(df) at x = 0.5 is 0.359375 / df**2 + O(df**-3) for large df (mpmath): within
    # 1e-3 up to 1e12 (past that the derivative of the log1p term cancels: the absolute
    # error stays below 1e-28)
    if 1e6 <= df <= 1e12:
        np.testing.assert_allclose(g * df ** 2, 0.359375, rtol=1e-3)


def test_beta_cdf_keeps_float32():
    from ndgrad.scipy.stats import beta
    x = nd.asarray(np.array([0.25, 0.5, 1.5, -1.0], np.float32))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert beta.cdf(x, np.float32(2), np.float32(3)).dtype == np.float32
        assert beta.logcdf(x, np.float32(2), np.float32(3)).dtype == np.float32


# -- nd.jit against eager (a fuzz of random programs, wrappers and static arguments) ------
def test_jit_of_a_wrapper_of_a_jitted_function_runs_the_wrapper():
    import functools
    x, y = nd.asarray([0.0, 1.0, 2.0]), nd.ones(3)

    def f(a, b):
        return nd.sum(nd.tanh(a) * b)
    g = nd.grad(nd.jit(f), argnums=(0, 1))
    want = g(x, y)
    got = nd.jit(g)(x, y)         # (it ran f: 1.7256..., f's value, not the gradients)
    for w, v in zip(want, got):
        np.testing.assert_array_equal(np.asarray(v), np.asarray(w))
    jf = nd.jit(f)

    @functools.wraps(jf)
    def double(a, b):
        return 2 * jf(a, b)
    assert float(nd.jit(double)(x, y)) == float(double(x, y)) == 2 * float(f(x, y))


@pytest.mark.parametrize("first,second", [((2,), (2.0,)), ((0.0,), (-0.0,)),
                                          ((1.5,), (np.float64(1.5),)),
                                          (np.float32(0.0), np.float32(-0.0)),
                                          (("s", 2), ("s", 2.0))])
def test_jit_static_arguments_are_keyed_exactly(first, second):
    def h(x, k):
        return x * (k[-1] if isinstance(k, tuple) else k)
    jh = nd.jit(h, static_argnums=1)
    for x in (nd.asarray(np.arange(3)), nd.asarray([1.0, -1.0])):
        for k in (first, second):
            want, got = np.asarray(h(x, k)), np.asarray(jh(x, k))
            assert got.dtype == want.dtype and got.tobytes() == want.tobytes()


def test_jit_write_into_a_fortran_order_intermediate_keeps_eager_bits():
    a = np.random.default_rng(0).standard_normal((400, 120)).T   # Fortran order

    def f(x):
        v = x * 1.0
        v[1:] += x[:-1]
        return nd.sum(v, axis=1)
    x = nd.asarray(a)
    np.testing.assert_array_equal(np.asarray(nd.jit(f)(x)), np.asarray(f(x)))


# -- ndgrad.autograd against HIPS autograd's API (a fuzz of its verbs and structures) -----
def test_make_jvp_checks_its_tangents():
    import ndgrad.autograd as ag
    import ndgrad.autograd.numpy as anp
    x3 = np.array([1.0, 2.0, 3.0])
    # a list tangent is an array (it was: its first element only, [2, 2, 2])
    np.testing.assert_array_equal(np.asarray(ag.make_jvp(lambda x: x * 2.0)(x3)(
        [1.0, 2.0, 3.0])[1]), [2.0, 4.0, 6.0])
    with pytest.raises(ValueError, match="shape"):
        ag.make_jvp(lambda x: x * 2.0)(1.5)(np.array([1.0, 5.0]))       # (summed: 12)
    with pytest.raises(ValueError, match="shape"):
        ag.make_jvp(lambda x: anp.sin(x))(x3)(np.ones((2, 3)))          # (rows summed)
    with pytest.raises(TypeError, match="complex tangent"):
        ag.make_jvp(lambda x: x * 2.0)(x3)(1j * np.ones(3))             # (gave 0)
    with pytest.raises(ValueError, match="structure"):
        ag.make_jvp(lambda d: d["a"] * d["b"])({"a": 2.0, "b": 3.0})({"b": 1.0, "c": 0.0})


def test_dict_gradients_keep_the_dicts_key_order():
    import ndgrad.autograd as ag
    import ndgrad.autograd.numpy as anp
    from ndgrad.autograd.misc import flatten
    p = {"z": np.array([1.0, 2.0]), "a": np.array([3.0])}

    def loss(q):
        return anp.sum(q["z"] ** 2) + anp.sum(3 * q["a"])
    for g in (ag.grad(loss)(p), nd.grad(loss)(p)):
        assert list(g) == ["z", "a"]            # (sorted: zip(values, values) mispaired)
        np.testing.assert_array_equal(np.asarray(g["z"]), [2.0, 4.0])
    v, unflatten = flatten(p)
    np.testing.assert_array_equal(np.asarray(v), [3.0, 1.0, 2.0])   # (autograd's order)
    assert list(unflatten(v)) == ["z", "a"]


def test_autograd_jacobian_refuses_complex_outputs():
    import ndgrad.autograd as ag
    import ndgrad.autograd.numpy as anp
    x = np.array([1.0, 2.0])
    with pytest.raises(TypeError, match="complex-valued"):
        ag.jacobian(lambda v: anp.exp(1j * v))(x)      # (gave Re(i e^{ix}) only)
    with pytest.raises(TypeError, match="complex-valued"):
        ag.jacobian(anp.conj)(x + 1j)                  # (gave the identity's)
    np.testing.assert_array_equal(np.asarray(ag.jacobian(lambda v: v ** 2)(x)),
                                  [[2.0, 0.0], [0.0, 4.0]])

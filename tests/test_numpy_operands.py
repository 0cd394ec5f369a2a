"""A NumPy array beside an ndgrad array in a binary operator (``X @ W``, ``y - pred``,
``A * mask``): NumPy's values and dtypes, a constant operand for the gradient, and a rule
that reads the values the forward used even when the caller writes into its NumPy
array before backward runs."""
import operator

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import ndgrad as nd

OPS = [operator.add, operator.sub, operator.mul, operator.truediv, operator.pow,
       operator.floordiv, operator.mod, operator.eq, operator.ne, operator.lt,
       operator.le, operator.gt, operator.ge]
INT_OPS = [operator.and_, operator.or_, operator.xor, operator.lshift, operator.rshift]
DTYPES = ["float32", "float64", "int8", "int64", "uint16", "bool", "complex64"]


def _same(got, want):
    assert isinstance(got, nd.Array)
    g = np.asarray(got)
    assert g.dtype == want.dtype and g.shape == want.shape, (g.dtype, want.dtype, g.shape)
    np.testing.assert_array_equal(g, want)


def _numpy_result(op, a, b):
    try:
        with np.errstate(all="ignore"):
            return op(a, b), None
    except Exception as e:   # (NumPy refuses: ndgrad must refuse too)
        return None, type(e)


def _check_both_orders(op, a, b):
    """``op`` on NumPy array ``a`` and ndgrad ``b``, then ndgrad ``a`` and NumPy ``b``:
    NumPy's values and dtype (on NumPy arrays), or the exception type NumPy raises."""
    want, err = _numpy_result(op, a, b)
    for x, y in ((a, nd.asarray(b)), (nd.asarray(a), b)):
        if err is not None:
            with pytest.raises(err):
                with np.errstate(all="ignore"):
                    op(x, y)
            continue
        with np.errstate(all="ignore"):
            got = op(x, y)
        _same(got, want)


@pytest.mark.parametrize("op", OPS + INT_OPS, ids=lambda o: o.__name__)
@pytest.mark.parametrize("dt1", DTYPES)
@pytest.mark.parametrize("dt2", ["float32", "int64", "bool"])
def test_values_and_dtypes_both_orders(op, dt1, dt2):
    rng = np.random.default_rng(0)
    a = (rng.uniform(1, 4, (3, 4)) * 3).astype(dt1)
    b = (rng.uniform(1, 4, (4,)) * 3).astype(dt2)
    _check_both_orders(op, a, b)


def test_matmul_both_orders():
    rng = np.random.default_rng(1)
    X = rng.standard_normal((5, 3)).astype(np.float32)
    W = rng.standard_normal((3, 2)).astype(np.float32)
    _same(X @ nd.asarray(W), X @ W)
    _same(nd.asarray(X) @ W, X @ W)
    with pytest.raises(ValueError):
        X @ nd.asarray(X)


@pytest.mark.parametrize("numpy_left", [True, False])
@pytest.mark.parametrize("op", [operator.mul, operator.matmul, operator.truediv,
                                operator.pow, operator.sub], ids=lambda o: o.__name__)
def test_gradient_reads_the_forward_values(numpy_left, op):
    # the caller writes into its NumPy operand between forward and backward: the rule
    # must read the values the forward used (a private copy), as NumPy code would
    rng = np.random.default_rng(2)
    c = rng.uniform(0.5, 1.5, (3, 3))
    w0 = rng.uniform(0.5, 1.5, (3, 3))

    def f(w, c):
        y = op(c, w) if numpy_left else op(w, c)
        return nd.sum(y * y)

    want = nd.grad(lambda w: f(w, nd.asarray(c)))(nd.asarray(w0))
    w = nd.asarray(w0)
    w.requires_grad_()
    c_mut = c.copy()
    loss = f(w, c_mut)
    c_mut[...] = 100.0            # (after the forward, before backward)
    loss.backward()
    np.testing.assert_allclose(np.asarray(w.grad), np.asarray(want), rtol=1e-12)
    np.testing.assert_array_equal(c_mut, 100.0)


@pytest.mark.parametrize("numpy_left", [True, False])
def test_gradient_matches_finite_differences(numpy_left):
    rng = np.random.default_rng(3)
    X = rng.standard_normal((6, 3))
    y = rng.standard_normal((6, 1))

    def loss(W):
        pred = X @ W if numpy_left else nd.matmul(nd.asarray(X), W)
        r = y - pred if numpy_left else pred - y
        return nd.sum(r * r)

    W0 = rng.standard_normal((3, 1))
    g = np.asarray(nd.grad(loss)(nd.asarray(W0)))
    eps = 1e-6
    fd = np.zeros_like(W0)
    for i in range(3):
        d = np.zeros_like(W0)
        d[i] = eps
        fd[i] = (float(loss(nd.asarray(W0 + d))) - float(loss(nd.asarray(W0 - d)))) / (2 * eps)
    np.testing.assert_allclose(g, fd, rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(g, -2 * X.T @ (y - X @ W0) if numpy_left
                               else 2 * X.T @ (X @ W0 - y), rtol=1e-12)


def test_large_numpy_operand_is_never_written():
    # buffer reuse must not take the caller's NumPy array (it has a name: alive)
    big = np.ones(1 << 16)
    a = nd.asarray(np.full(1 << 16, 2.0))
    r1 = big + a
    r2 = a * big
    r3 = big - nd.sin(a)
    np.testing.assert_array_equal(big, 1.0)
    np.testing.assert_array_equal(np.asarray(r1), 3.0)
    np.testing.assert_array_equal(np.asarray(r2), 2.0)
    np.testing.assert_allclose(np.asarray(r3), 1.0 - np.sin(2.0))


def test_other_calls_keep_numpy_dispatch():
    x = np.arange(4.0)
    a = nd.asarray([1.0, 2.0, 3.0, 4.0])
    out = nd.zeros(4)
    r = np.add(x, a, out=out)
    assert r is out
    np.testing.assert_array_equal(np.asarray(out), x + np.arange(1.0, 5.0))
    # a string array is NumPy's business: the same error as NumPy gives
    with pytest.raises(Exception):
        np.array(["a", "b", "c", "d"]) + a
    # an ndarray subclass keeps the general path: a masked array is refused (its mask
    # would be dropped), in both orders
    m = np.ma.masked_array(x, mask=[0, 1, 0, 0])
    with pytest.raises(TypeError, match="masked"):
        a + m
    with pytest.raises(TypeError, match="masked"):
        np.add(nd.asarray(x), m)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.sampled_from(OPS), st.sampled_from(DTYPES), st.sampled_from(DTYPES),
       st.sampled_from([(), (0,), (3,), (2, 3)]), st.sampled_from([(), (1,), (3,)]),
       st.sampled_from([np.nan, np.inf, -0.0, 0.0, 1.5]))
def test_special_values_any_shape(op, dt1, dt2, s1, s2, v):
    with np.errstate(all="ignore"):
        a = np.full(s1, v).astype(dt1)
        b = np.full(s2, 2.0).astype(dt2)
    _check_both_orders(op, a, b)


SCALARS = [np.float32(1.5), np.float64(2.5), np.int8(3), np.uint8(200), np.int64(-7),
           np.bool_(True), np.float16(0.5), np.complex64(1 + 2j), 2, 2.5, True, 1 + 1j]
SCALAR_OPS = [operator.add, operator.sub, operator.mul, operator.truediv, operator.pow,
              operator.floordiv, operator.mod, operator.lt, operator.eq]


@pytest.mark.parametrize("op", SCALAR_OPS, ids=lambda o: o.__name__)
@pytest.mark.parametrize("dtype", ["float32", "int8", "uint16", "float64", "bool"])
def test_numpy_and_python_scalars_as_numpy(op, dtype):
    # NumPy's own operator is the reference, including its quirks: ``bool ** 2`` is
    # int8 (NumPy's ``**`` takes a Python 2 as square), where numpy.power gives int64
    a = np.array([1, 0, 3], dtype=dtype) if dtype != "bool" else np.array([True, False])
    for s in SCALARS:
        for left in (True, False):
            try:
                with np.errstate(all="ignore"):
                    want = op(s, a) if left else op(a, s)
            except Exception as e:
                with pytest.raises(type(e)):
                    with np.errstate(all="ignore"):
                        op(s, nd.asarray(a)) if left else op(nd.asarray(a), s)
                continue
            with np.errstate(all="ignore"):
                got = op(s, nd.asarray(a)) if left else op(nd.asarray(a), s)
            _same(got, np.asarray(want))


POWER_DTYPES = ["bool", "int8", "uint8", "int64", "float16", "float32", "float64",
                "longdouble", "complex64", "complex128"]


@pytest.mark.parametrize("dtype", POWER_DTYPES)
@pytest.mark.parametrize("e", [2, -1, 0, 1, 3, 0.5, 2.0, -1.0, -0.5, True, np.int64(2)],
                         ids=repr)
def test_power_operator_as_numpys(dtype, e):
    # NumPy's ``**`` and ``**=`` take a Python int 2 / -1 and a Python float 0.5 as
    # square / reciprocal / sqrt: for complex numbers those differ from numpy.power in
    # the last bits ((-1+0j) ** 0.5 is 1j, power gives 6e-17+1j), bool ** 2 is int8, and
    # float16's ** 0.5 keeps -0.0 and gives NaN at -inf (power: 0.0 and inf)
    rng = np.random.default_rng(0)
    if dtype == "bool":
        a = np.array([True, False, True])
    elif dtype.startswith("complex"):
        a = (rng.uniform(-3, 3, 20) + 1j * rng.uniform(-3, 3, 20)).astype(dtype)
        a[:4] = [-1, 0, -0.0, 1j]
    elif dtype[0] in "iu":
        a = rng.integers(1, 9, 20).astype(dtype)
    else:
        a = rng.uniform(-3, 3, 20).astype(dtype)
        a[:3] = [-0.0, np.inf, -np.inf]
    for inplace in (False, True):
        try:
            with np.errstate(all="ignore"):
                want = a.copy()
                if inplace:
                    want **= e
                else:
                    want = want ** e
        except Exception as err:
            with pytest.raises(type(err)):
                with np.errstate(all="ignore"):
                    got = nd.asarray(a.copy())
                    if inplace:
                        got **= e
                    else:
                        got ** e
            continue
        with np.errstate(all="ignore"):
            got = nd.asarray(a.copy())
            if inplace:
                got **= e
            else:
                got = got ** e
        _same(got, want)


@pytest.mark.parametrize("e", [2, -1, 0.5])
def test_power_shortcut_gradients_are_powers(e):
    z0 = np.array([1 + 2j, -1 + 0.5j, 0.3 - 0.7j])

    def f(z, inplace):
        w = z * 1.0
        if inplace:
            w **= e
        else:
            w = w ** e
        return nd.sum(nd.real(w) * nd.imag(w) + nd.abs(w))

    want = nd.grad(lambda z: nd.sum(nd.real(nd.power(z, e)) * nd.imag(nd.power(z, e))
                                    + nd.abs(nd.power(z, e))))(nd.asarray(z0))
    for inplace in (False, True):
        got = nd.grad(lambda z: f(z, inplace))(nd.asarray(z0))
        np.testing.assert_allclose(np.asarray(got), np.asarray(want), rtol=1e-12)

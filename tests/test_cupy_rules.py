"""The CuPy-rules test backend (device "cupy_rules"): its rules, and that a training step on
it makes no host transfers but the values the user fetches."""
import numpy as np
import pytest

import ndgrad as nd
from ndgrad import _cupy_rules as cr
from ndgrad._cupy_rules import count_transfers

from helpers import host

DEV = "cupy_rules"


def raw(values, dtype=None):
    return nd.asarray(values, dtype=dtype, device=DEV)._data


# -- the rules ------------------------------------------------------------------------------

def test_array_is_its_own_type_on_its_own_device():
    x = nd.asarray([1.0, 2.0], device=DEV)
    assert type(x._data) is cr.ndarray and not isinstance(x._data, np.ndarray)
    assert x.device == DEV and str(x.device) == "cupy_rules"
    assert x._data.device is cr.DEVICE
    assert nd.asarray([1.0], device=cr.DEVICE).device == DEV   # its own device object parses
    with pytest.raises(ValueError, match="cupy_rules"):
        nd.asarray([1.0], device="gpu_rules")   # the error lists it among the valid devices


def test_implicit_conversion_to_host_raises_as_cupy():
    d = raw([1.0, 2.0])
    with pytest.raises(TypeError, match="Implicit conversion to a NumPy array is not allowed"):
        np.asarray(d)
    with pytest.raises(TypeError, match="to NumPy is not allowed"):
        np.asarray(nd.asarray([1.0, 2.0], device=DEV))
    for conv in (float, int, complex, bool):
        with pytest.raises(TypeError, match="0-d"):
            conv(d)
        with pytest.raises(TypeError, match="0-d"):
            conv(raw([1.0]))   # size 1 but not 0-d
    with count_transfers() as c:
        assert float(raw(2.5)) == 2.5 and int(raw(3)) == 3 and bool(raw(True)) is True
    assert c.to_host == 3   # a 0-d conversion is a (counted) sync, as on CuPy


def test_numpy_functions_and_operands_are_refused():
    d = raw([1.0, 2.0])
    with pytest.raises(TypeError, match="may_share_memory"):
        np.may_share_memory(d, d)
    with pytest.raises(TypeError):
        np.einsum("i->", d)
    with pytest.raises(TypeError, match="NumPy"):
        d + np.ones(2)
    with pytest.raises(TypeError, match="NumPy"):
        cr.xp.add(d, np.ones(2))
    with pytest.raises(BufferError):
        np.from_dlpack(d)
    with pytest.raises(AttributeError):
        cr.xp.histogram   # a NumPy-only name: not in the namespace
    # NumPy's ufuncs run on it as CuPy's do, giving its own arrays
    assert type(np.add(d, 1.0)) is cr.ndarray


def test_scalars_stay_0d_device_arrays():
    d = raw([[1.0, 2.0], [3.0, 4.0]])
    for r in (cr.xp.sum(d), d[0, 1], d[0][1], cr.xp.max(d), d.sum(), d[1].mean(),
              cr.xp.linalg.det(d), list(raw([1, 2]))[0]):
        assert type(r) is cr.ndarray and r.shape == (), type(r)
    s = nd.sum(nd.asarray(d))
    assert type(s._data) is cr.ndarray


def test_explicit_transfers_are_counted():
    d = raw([1.0, 2.0])
    with count_transfers() as c:
        h = d.get()
        nd.asarray(d).to_device("cpu")
        d.item(0)
    assert type(h) is np.ndarray and c.to_host == 3
    with count_transfers() as c:
        cr.xp.asarray(np.ones(3))
    assert c.to_host == 0 and c.to_device == 1


def test_zero_fill_loses_the_sign_as_cupy_and_ndgrad_keeps_it():
    # the backend memsets a zero fill as CuPy does ...
    assert not np.signbit(cr.xp.full((2,), -0.0).get()).any()
    assert not np.signbit(cr.xp.asarray(-0.0).get())
    # ... and ndgrad's results still carry the sign
    assert np.signbit(host(nd.full((2,), -0.0, device=DEV))).all()
    assert np.signbit(host(nd.asarray(-0.0, device=DEV)))
    z = host(nd.full((2,), complex(-0.0, -0.0), device=DEV))
    assert np.signbit(z.real).all() and np.signbit(z.imag).all()


def test_values_and_grads_equal_numpy_backend():
    def f(w):
        return nd.sum(nd.tanh(w[1:] * w[:-1]) ** 2) + nd.max(w) - w[[0, 2, 0]].sum()
    w = np.array([0.3, -1.2, 0.7, 2.0])
    v_cpu, g_cpu = nd.value_and_grad(f)(nd.asarray(w))
    v_dev, g_dev = nd.value_and_grad(f)(nd.asarray(w, device=DEV))
    assert g_dev.device == DEV
    np.testing.assert_allclose(host(v_dev), host(v_cpu), rtol=1e-14)
    np.testing.assert_allclose(host(g_dev), host(g_cpu), rtol=1e-14)


# -- a training step makes no host transfer but the user's fetches ------------------------

def _mlp_params(device, rng):
    sizes = [(8, 16), (16, 16), (16, 3)]
    return [(nd.asarray(rng.normal(size=s) / np.sqrt(s[0]), device=device),
             nd.asarray(np.zeros(s[1]), device=device)) for s in sizes]


def _mlp_loss(params, x, y):
    h = x
    for i, (w, b) in enumerate(params):
        h = h @ w + b
        if i < len(params) - 1:
            h = nd.maximum(h, 0.0)
    logz = nd.log(nd.sum(nd.exp(h - nd.max(h, axis=1, keepdims=True)), axis=1)) \
        + nd.max(h, axis=1)
    return nd.mean(logz - nd.sum(h * y, axis=1))


def _train(device, steps=3):
    rng = np.random.default_rng(0)
    params = _mlp_params(device, rng)
    x = nd.asarray(rng.normal(size=(32, 8)), device=device)
    y = nd.asarray(np.eye(3)[rng.integers(0, 3, 32)], device=device)
    step = nd.value_and_grad(_mlp_loss)
    with count_transfers() as c:
        for _ in range(steps):
            loss, grads = step(params, x, y)
            params = [(w - 0.1 * gw, b - 0.1 * gb) for (w, b), (gw, gb) in zip(params, grads)]
    return params, loss, c


def test_mlp_sgd_steps_make_no_host_transfer():
    params, loss, c = _train(DEV)
    assert c.to_host == 0 and c.to_device == 0, c
    assert all(type(w._data) is cr.ndarray for p in params for w in p)
    with count_transfers() as fetch:
        value = float(loss)     # the one value the user fetches
    assert fetch.to_host == 1
    params_cpu, loss_cpu, _ = _train("cpu")
    assert value == pytest.approx(float(loss_cpu), rel=1e-12)
    np.testing.assert_allclose(host(params[0][0]), host(params_cpu[0][0]), rtol=1e-12)


def test_backward_and_update_in_place_make_no_host_transfer():
    rng = np.random.default_rng(1)
    w = nd.asarray(rng.normal(size=(4, 3)), device=DEV, requires_grad=True)
    x = nd.asarray(rng.normal(size=(5, 4)), device=DEV)
    with count_transfers() as c:
        for _ in range(2):
            loss = nd.sum((x @ w) ** 2)
            loss.backward()
            with nd.no_grad():
                w -= 0.01 * w.grad
            w.grad = None
    assert c.to_host == 0, c
    assert w.device == DEV


# -- host-computed NumPy extras and random draws stay on the inputs' device -----------------

EXTRAS = {
    "packbits": (lambda b, i, f: nd.packbits(b), lambda b, i, f: np.packbits(b)),
    "lexsort": (lambda b, i, f: nd.lexsort((i, f)), lambda b, i, f: np.lexsort((i, f))),
    "argpartition": (lambda b, i, f: nd.argpartition(f, 1), lambda b, i, f: np.argpartition(f, 1)),
    "sort_complex": (lambda b, i, f: nd.sort_complex(f), lambda b, i, f: np.sort_complex(f)),
    "isin": (lambda b, i, f: nd.isin(i, [1, 3]), lambda b, i, f: np.isin(i, [1, 3])),
    "union1d": (lambda b, i, f: nd.union1d(i, [7]), lambda b, i, f: np.union1d(i, [7])),
    "setdiff1d": (lambda b, i, f: nd.setdiff1d(i, [1]), lambda b, i, f: np.setdiff1d(i, [1])),
    "unravel_index": (lambda b, i, f: nd.unravel_index(i, (2, 2))[1],
                      lambda b, i, f: np.unravel_index(i, (2, 2))[1]),
    "roots": (lambda b, i, f: nd.roots(f), lambda b, i, f: np.roots(f)),
    "polyfit": (lambda b, i, f: nd.polyfit(f, f * f, 2), lambda b, i, f: np.polyfit(f, f * f, 2)),
    "histogram": (lambda b, i, f: nd.histogram(f, bins=2)[0],
                  lambda b, i, f: np.histogram(f, bins=2)[0]),
    "bincount": (lambda b, i, f: nd.bincount(i), lambda b, i, f: np.bincount(i)),
    "isclose": (lambda b, i, f: nd.isclose(f, 2.0), lambda b, i, f: np.isclose(f, 2.0)),
    "add.outer": (lambda b, i, f: nd.add.outer(f, f), lambda b, i, f: np.add.outer(f, f)),
}


@pytest.mark.parametrize("name", sorted(EXTRAS))
def test_host_computed_extras_stay_on_the_device(name):
    mine, numpys = EXTRAS[name]
    vals = (np.array([True, False, True]), np.array([3, 1, 2]), np.array([3.0, 1.0, 2.0]))
    got = mine(*(nd.asarray(v, device=DEV) for v in vals))
    assert got.device == DEV
    np.testing.assert_allclose(host(got), numpys(*vals), rtol=1e-12)


def test_writes_of_host_helpers_stay_on_the_device():
    a = nd.zeros(4, device=DEV)
    nd.put(a, [0, 2], [1.0, 2.0])
    b = nd.zeros((3, 3), device=DEV)
    nd.fill_diagonal(b, 5.0)
    assert a.device == DEV and b.device == DEV
    np.testing.assert_array_equal(host(a), [1.0, 0.0, 2.0, 0.0])
    np.testing.assert_array_equal(host(b), 5.0 * np.eye(3))


def test_random_draws_with_device_parameters_land_on_the_device():
    loc = nd.asarray([0.0, 100.0], device=DEV)
    nd.random.seed(3)
    with count_transfers() as c:
        r = nd.random.normal(loc, 1.0)
    assert r.device == DEV and c.to_host == 1   # the parameters, copied explicitly
    np.random.seed(3)
    np.testing.assert_array_equal(host(r), np.random.normal([0.0, 100.0], 1.0))
    x = nd.arange(5, device=DEV)
    assert nd.random.permutation(x).device == DEV
    assert nd.random.default_rng(0).permuted(x).device == DEV


def test_session_fed_device_arrays_computes_on_the_device_without_transfers():
    # a Session plan takes its namespace from its feeds: device feeds (ndgrad arrays on the
    # device or the backend's raw arrays) run there, with no host round trip, and the fetch
    # stays on the device (the user moves it); values equal the NumPy-fed run's
    import ndgrad.tf as tf
    g = tf.Graph()
    with g.as_default():
        x = tf.placeholder(tf.float64, (2,))
        y = tf.reduce_sum(x * x)
        gx, = tf.gradients(y, [x])
        with tf.Session() as sess:
            # the first run moves the plan's constants to the device, once per plan
            sess.run([y, gx], {x: nd.asarray([0.0, 0.0], device=DEV)})
            sess.run(y, {x: nd.asarray([0.0, 0.0], device=DEV)})
            with count_transfers() as c:
                v, gv = sess.run([y, gx], {x: nd.asarray([1.0, 2.0], device=DEV)})
                v2 = sess.run(y, {x: nd.asarray([3.0, 4.0], device=DEV)._data})
            assert c.to_host == 0 and c.to_device == 0, c
            assert type(v) is cr.ndarray and type(gv) is cr.ndarray
            assert float(v) == 5.0 and gv.get().tolist() == [2.0, 4.0] and float(v2) == 25.0
            assert sess.run(y, {x: nd.asarray([1.0, 2.0], device=DEV).to_device("cpu")}) == 5.0


def test_indexing_gradients_and_einsum_stay_on_the_device():
    # the gather/scatter of an indexing gradient and einsum take CuPy's path (scatter_add
    # on the device), with no host round trip
    w = nd.asarray([0.3, -1.2, 0.7, 2.0], device=DEV)

    def f(v):
        m = nd.asarray(np.arange(6.0).reshape(2, 3), device=v.device)
        return (nd.sum(v[[0, 2, 0]] ** 2) + nd.sum(v[1:3] * v[:2])
                + nd.einsum("i,i->", v, v) + nd.sum(nd.einsum("ij,j->i", m, v[:3])))
    with count_transfers() as c:
        g = nd.grad(f)(w)
        h = nd.hessian(f)(w)
    assert c.to_host == 0, c
    g_cpu = nd.grad(f)(nd.asarray(host(w)))
    np.testing.assert_allclose(host(g), host(g_cpu), rtol=1e-14)
    assert h.device == DEV and h.shape == (4, 4)


def test_from_dlpack_off_the_device_is_an_explicit_copy():
    x = nd.asarray([1.0, 2.0], device=DEV)
    with count_transfers() as c:
        y = nd.from_dlpack(x, device="cpu")
    assert y.device == "cpu" and c.to_host == 1
    np.testing.assert_array_equal(np.asarray(y), [1.0, 2.0])
    with pytest.raises(BufferError, match="copy=False"):
        nd.from_dlpack(x, device="cpu", copy=False)
    with pytest.raises(BufferError):
        np.from_dlpack(x)   # NumPy cannot read device memory, as with a CUDA capsule


def test_special_values_cupy_gets_wrong_are_built_on_every_backend(device):
    # complex tanh at a zero real part with an infinite/NaN imaginary part, and remainder
    # with infinite operands: the standard's values (NumPy's), built on non-NumPy backends
    # so that CuPy's own differences cannot show through (checked here on strict and
    # cupy_rules, where the construction runs; on a GPU by compat/gpu/run_all.sh)
    inf, nan = np.inf, np.nan
    z = np.array([complex(0.0, inf), complex(-0.0, inf), complex(0.0, nan),
                  complex(-0.0, -inf), complex(inf, 1.0), complex(0.5, 0.25)])
    got = host(nd.tanh(nd.asarray(z, device=device)))
    with np.errstate(all="ignore"):
        want = np.tanh(z)
    np.testing.assert_array_equal(got, want)
    np.testing.assert_array_equal(np.signbit(got.real), np.signbit(want.real))
    a = np.array([1.0, -1.0, 1.0, -1.0, 0.0, -0.0, 0.0, -0.0, inf, -inf, 5.5, -5.5])
    b = np.array([inf, inf, -inf, -inf, inf, inf, -inf, -inf, 2.0, inf, 2.0, 2.0])
    got = host(nd.remainder(nd.asarray(a, device=device), nd.asarray(b, device=device)))
    with np.errstate(all="ignore"):
        want = np.remainder(a, b)
    np.testing.assert_array_equal(got, want)
    real = ~np.isnan(want)   # (a NaN's sign means nothing)
    np.testing.assert_array_equal(np.signbit(got[real]), np.signbit(want[real]))
    got = host(nd.remainder(nd.asarray(a, device=device), inf))
    with np.errstate(all="ignore"):
        np.testing.assert_array_equal(got, np.remainder(a, inf))

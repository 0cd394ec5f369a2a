"""Every ndgrad.scipy module on each backend (the ``device`` fixture: numpy, array_api_strict,
and CuPy -- through cupyx.scipy -- where a GPU is present): values equal SciPy's and stay
on the input's device, gradients run there; the strict backend computes what the standard
expresses and refuses the rest with an error naming the function and the backend."""
import numpy as np
import pytest

sp = pytest.importorskip("scipy.special")
import scipy.signal as ssig  # noqa: E402
import scipy.linalg as sl  # noqa: E402
import scipy.stats as ss  # noqa: E402

import ndgrad as nd  # noqa: E402
from helpers import host  # noqa: E402  (an explicit copy off any device)
from ndgrad.scipy import special, stats, linalg, signal  # noqa: E402

X = host([0.3, 0.7, 1.9])
# (what to call, SciPy's value, whether array_api_strict computes it)
CASES = {
    "expit": (lambda x: special.expit(x), sp.expit(X), True),
    "xlogy": (lambda x: special.xlogy(x, x), sp.xlogy(X, X), True),
    "softmax": (lambda x: special.softmax(x), sp.softmax(X), True),
    "logsumexp": (lambda x: special.logsumexp(x), sp.logsumexp(X), True),
    "entr": (lambda x: special.entr(x), sp.entr(X), True),
    "gammaln": (lambda x: special.gammaln(x), sp.gammaln(X), False),
    "digamma": (lambda x: special.digamma(x), sp.digamma(X), False),
    "erf": (lambda x: special.erf(x), sp.erf(X), False),
    "i0e": (lambda x: special.i0e(x), sp.i0e(X), False),
    "norm.logpdf": (lambda x: stats.norm.logpdf(x, 0.5, 2.0), ss.norm.logpdf(X, 0.5, 2.0), True),
    "norm.cdf": (lambda x: stats.norm.cdf(x), ss.norm.cdf(X), False),
    "gamma.logpdf": (lambda x: stats.gamma.logpdf(x, 2.0), ss.gamma.logpdf(X, 2.0), False),
    "convolve": (lambda x: signal.convolve(x, x), ssig.convolve(X, X), False),
    "expm": (lambda x: linalg.expm(nd.reshape(x[:2], (2, 1)) * nd.reshape(x[1:], (1, 2))),
             sl.expm(np.outer(X[:2], X[1:])), False),
    "solve_triangular": (lambda x: linalg.solve_triangular(
        nd.reshape(x[:2], (2, 1)) * nd.reshape(x[1:], (1, 2)) + 2 * nd.eye(2, device=x.device),
        x[:2], lower=True),
        sl.solve_triangular(np.outer(X[:2], X[1:]) + 2 * np.eye(2), X[:2], lower=True), True),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_backend(name, device):
    f, want, strict_ok = CASES[name]
    x = nd.asarray(X, device=device)
    if device == "strict" and not strict_ok:
        with pytest.raises(TypeError, match="array_api_strict"):
            f(x)
        return
    got = f(x)
    assert got.device == x.device
    np.testing.assert_allclose(host(got),
                               want, rtol=1e-10, atol=1e-12)
    g = nd.grad(lambda v: nd.sum(f(v)))(x)
    assert g.device == x.device and g.shape == x.shape
    assert np.all(np.isfinite(host(g)))


GRAPH = {
    "expm": lambda a, b: nd.sum(linalg.expm(a)),
    "logm": lambda a, b: nd.sum(linalg.logm(a)),
    "sqrtm": lambda a, b: nd.sum(linalg.sqrtm(a)),
    "solve_triangular": lambda a, b: nd.sum(linalg.solve_triangular(a, b, lower=True)),
    "convolve": lambda a, b: nd.sum(signal.convolve(a, nd.reshape(b, (1, 2)), mode="same")),
    "gammainc": lambda a, b: nd.sum(special.gammainc(b, b)),
    "logsumexp_b": lambda a, b: special.logsumexp(b, b=b),
    "norm.logpdf": lambda a, b: nd.sum(stats.norm.logpdf(b, 0.5, a[0, 0])),
}


@pytest.mark.parametrize("name", sorted(GRAPH))
def test_graph_mode_matches_eager(name):
    tf = pytest.importorskip("ndgrad.tf")
    av = host([[1.2, 0.1], [0.2, 0.9]])
    bv = host([0.7, 1.3])
    f = GRAPH[name]
    want = f(nd.asarray(av), nd.asarray(bv))
    want_g = nd.grad(f, argnums=(0, 1))(nd.asarray(av), nd.asarray(bv))
    g = tf.Graph()
    with g.as_default():
        a = tf.placeholder(tf.float64, shape=(2, 2))
        b = tf.placeholder(tf.float64, shape=(2,))
        out = f(a, b)
        grads = tf.gradients(out, [a, b])
        with tf.Session() as sess:
            fetch = [out] + [x for x in grads if x is not None]
            got = sess.run(fetch, feed_dict={a: av, b: bv})
    np.testing.assert_allclose(got[0], host(want), rtol=1e-12)
    wants = [w for w, x in zip(want_g, grads) if x is not None]
    for gv, wv in zip(got[1:], wants):
        np.testing.assert_allclose(gv, host(wv), rtol=1e-10, atol=1e-14)

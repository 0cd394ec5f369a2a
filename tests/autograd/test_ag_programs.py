"""Small autograd programs in the style of autograd's examples (a classifier, an RNN, GP
regression, black-box variational inference, an ODE fit, a mixture model), each written
once against the module names ``autograd``, ``np`` and ``npr``: run with ndgrad.autograd,
and with HIPS autograd where it is installed, they must print the same numbers."""
import importlib

import numpy as onp
import pytest

scipy = pytest.importorskip("scipy")
import scipy.optimize  # noqa: E402


def faces(name):
    """(autograd, autograd.numpy, autograd.numpy.random, misc.optimizers) of a library."""
    mods = [importlib.import_module(f"{name}{m}") for m in
            ("", ".numpy", ".numpy.random", ".misc.optimizers", ".test_util")]
    return mods


def ndgrad_faces():
    return faces("ndgrad.autograd")


def autograd_faces():
    pytest.importorskip("autograd")
    return faces("autograd")


# ---------------------------------------------------------------- programs

def mlp_classifier(autograd, np, npr, optimizers, test_util):
    rs = npr.RandomState(0)
    n, d, k = 60, 3, 3
    X = rs.randn(n, d)
    labels = onp.argmax(onp.asarray(X) @ onp.array([[1.0, -1, 0], [0, 1, -1], [-1, 0, 1]]),
                        axis=1)
    T = onp.eye(k)[labels]
    sizes = [d, 8, k]
    params = [(0.3 * rs.randn(m, n2), 0.1 * rs.randn(n2)) for m, n2 in zip(sizes[:-1],
                                                                         sizes[1:])]

    def predict(params, x):
        for W, b in params[:-1]:
            x = np.tanh(np.dot(x, W) + b)
        W, b = params[-1]
        out = np.dot(x, W) + b
        m = np.max(out, axis=1, keepdims=True)
        return out - (m + np.log(np.sum(np.exp(out - m), axis=1, keepdims=True)))

    def loss(params, i):
        l2 = sum(np.sum(W ** 2) for W, _ in params)
        return -np.sum(predict(params, X) * T) / n + 1e-3 * l2

    trace = [float(loss(params, 0))]
    test_util.check_grads(lambda p: loss(p, 0), modes=["rev"], order=1)(params)
    out = optimizers.adam(autograd.grad(loss), params, step_size=0.05, num_iters=80,
                          callback=lambda p, i, g: trace.append(float(loss(p, i)))
                          if i % 20 == 19 else None)
    acc = float(np.mean(np.argmax(predict(out, X), axis=1) == labels))
    return trace + [acc]


def rnn(autograd, np, npr, optimizers, test_util):
    rs = npr.RandomState(1)
    seq_len, n_in, n_h = 12, 2, 5
    t = onp.linspace(0, 3, seq_len)
    inputs = onp.stack([onp.sin(t), onp.cos(2 * t)], axis=1)[:, None, :]  # (T, batch=1, 2)
    targets = onp.sin(t + 0.5)[:, None]

    def init():
        return {"Wx": 0.3 * rs.randn(n_in, n_h), "Wh": 0.3 * rs.randn(n_h, n_h),
                "b": onp.zeros(n_h), "Wo": 0.3 * rs.randn(n_h, 1)}

    def run(p):
        h = np.zeros((1, n_h))
        outs = []
        for x in inputs:
            h = np.tanh(np.dot(x, p["Wx"]) + np.dot(h, p["Wh"]) + p["b"])
            outs.append(np.dot(h, p["Wo"]))
        return np.concatenate(outs, axis=0)

    def loss(p, i=0):
        return np.mean((run(p) - targets) ** 2)

    params = init()
    test_util.check_grads(loss, modes=["rev"], order=1)(params)
    trace = [float(loss(params))]
    out = optimizers.rmsprop(autograd.grad(loss), params, step_size=0.02, num_iters=60)
    return trace + [float(loss(out))]


def gp_regression(autograd, np, npr, optimizers, test_util):
    rs = npr.RandomState(2)
    X = onp.linspace(-3, 3, 15)[:, None]
    y = onp.sin(X[:, 0]) + 0.1 * rs.randn(15)

    def nll(hyp):
        log_amp, log_len, log_noise = hyp[0], hyp[1], hyp[2]
        d = (X - X.T) / np.exp(log_len)
        K = np.exp(2 * log_amp) * np.exp(-0.5 * d ** 2) + (np.exp(2 * log_noise) + 1e-6) * \
            np.eye(15)
        alpha = np.linalg.solve(K, y)
        sign, logdet = np.linalg.slogdet(K)
        return 0.5 * np.dot(y, alpha) + 0.5 * logdet + 7.5 * np.log(2 * np.pi)

    h0 = onp.array([0.0, 0.0, -1.0])
    test_util.check_grads(nll, modes=["rev"], order=2)(h0)
    vg = autograd.value_and_grad(nll)
    res = scipy.optimize.minimize(lambda h: tuple(onp.asarray(v, dtype=float) for v in vg(h)),
                                  h0, jac=True, method="BFGS", options={"maxiter": 15})
    H = autograd.hessian(nll)(res.x)
    return [float(nll(h0)), float(res.fun)] + list(onp.asarray(res.x)) + \
        list(onp.linalg.eigvalsh(onp.asarray(H)))


def black_box_svi(autograd, np, npr, optimizers, test_util):
    D, num_samples = 2, 40
    rs = npr.RandomState(3)

    def log_density(z):
        mu, log_sigma = z[:, 0], z[:, 1]
        sigma_density = -0.5 * log_sigma ** 2 / 1.35 ** 2
        mu_density = -0.5 * mu ** 2 * np.exp(-2 * log_sigma) - log_sigma
        return sigma_density + mu_density

    draws = [rs.randn(num_samples, D) for _ in range(50)]

    def elbo(params, t):
        mean, log_std = params[:D], params[D:]
        samples = draws[t % 50] * np.exp(log_std) + mean
        entropy = 0.5 * D * (1.0 + np.log(2 * np.pi)) + np.sum(log_std)
        return -(entropy + np.mean(log_density(samples)))

    init = np.concatenate([-1 * onp.ones(D), -5 * onp.ones(D)])
    trace = []
    out = optimizers.adam(autograd.grad(elbo), init, step_size=0.1, num_iters=100,
                          callback=lambda p, t, g: trace.append(float(elbo(p, t)))
                          if t % 25 == 0 else None)
    return trace + list(onp.asarray(out))


def ode_fit(autograd, np, npr, optimizers, test_util):
    # fit the decay rate and forcing of dy/dt = -k y + a sin(t) integrated with RK4
    def integrate(theta, y0=1.0, h=0.2, steps=15):
        k, a = theta[0], theta[1]
        f = lambda y, t: -k * y + a * np.sin(t)
        ys, y, t = [y0], y0, 0.0
        for _ in range(steps):
            k1 = f(y, t)
            k2 = f(y + 0.5 * h * k1, t + 0.5 * h)
            k3 = f(y + 0.5 * h * k2, t + 0.5 * h)
            k4 = f(y + h * k3, t + h)
            y = y + h / 6.0 * (k1 + 2 * k2 + 2 * k3 + k4)
            t += h
            ys.append(y)
        return np.stack(ys) if hasattr(np, "stack") else np.array(ys)

    true = onp.array([0.7, 1.3])
    data = onp.asarray(integrate(true))

    def loss(theta):
        return np.sum((integrate(theta) - data) ** 2)

    theta = onp.array([0.2, 0.5])
    test_util.check_grads(loss, modes=["fwd"], order=1)(theta)
    test_util.check_grads(loss, modes=["rev"], order=2)(theta)
    trace = [float(loss(theta))]
    for _ in range(4):  # Newton steps with the exact Hessian
        g = autograd.grad(loss)(theta)
        H = autograd.hessian(loss)(theta)
        theta = theta - onp.linalg.solve(onp.asarray(H), onp.asarray(g))
        trace.append(float(loss(theta)))
    jac = autograd.jacobian(integrate)(theta)
    return trace + list(onp.asarray(theta)) + [float(onp.sum(onp.abs(onp.asarray(jac))))]


def mixture_model(autograd, np, npr, optimizers, test_util):
    rs = npr.RandomState(4)
    data = onp.concatenate([rs.randn(30) * 0.5 - 2, rs.randn(30) * 0.8 + 1.5])

    def unpack(p):
        return p[:2], p[2:4], p[4:6]

    def nll(p):
        logits, means, log_stds = unpack(p)
        log_w = logits - np.log(np.sum(np.exp(logits)))
        z = (data[:, None] - means) / np.exp(log_stds)
        comp = log_w - 0.5 * z ** 2 - log_stds - 0.5 * np.log(2 * np.pi)
        m = np.max(comp, axis=1, keepdims=True)
        return -np.sum(np.log(np.sum(np.exp(comp - m), axis=1)) + m[:, 0])

    p0 = onp.array([0.0, 0.0, -1.0, 1.0, 0.0, 0.0])
    hvp = autograd.hessian_vector_product(nll)
    res = scipy.optimize.minimize(lambda p: float(nll(p)),
                                  p0, jac=lambda p: onp.asarray(autograd.grad(nll)(p)),
                                  hessp=lambda p, v: onp.asarray(hvp(p, v)),
                                  method="trust-ncg", options={"maxiter": 20})
    return [float(nll(p0)), float(res.fun)] + sorted(onp.asarray(res.x)[2:4])


PROGRAMS = [mlp_classifier, rnn, gp_regression, black_box_svi, ode_fit, mixture_model]


@pytest.mark.parametrize("program", PROGRAMS, ids=lambda p: p.__name__)
def test_program_runs_and_learns(program):
    numbers = program(*ndgrad_faces())
    assert all(onp.isfinite(numbers))
    assert numbers[1] < numbers[0]  # the objective went down


@pytest.mark.parametrize("program", PROGRAMS, ids=lambda p: p.__name__)
def test_program_matches_autograd(program):
    ref = program(*autograd_faces())
    got = program(*ndgrad_faces())
    onp.testing.assert_allclose(got, ref, rtol=1e-7, atol=1e-9)

"""(4) The seed course's linear regression (tensorflow-tutorial-slides, "Linear Regression
in TensorFlow" 1-4): 1000 samples ``y = x + 20 sin(x / 10)``, float32, minibatches of 100,
``y_pred = X @ W + b``, ``loss = sum((y - y_pred)**2 / n_samples)``, 500 Adam steps with
TensorFlow's defaults (lr 0.001, beta1 0.9, beta2 0.999, epsilon 1e-8).

One iteration is the whole 500-step loop from the same initial W (drawn once) and b = 0.
The slide draws ``np.random.choice(n_samples, batch_size)`` in each step; here the 500
index vectors are drawn once beforehand (same for every implementation), and each step
gathers its batch ``X_data[indices]`` inside the loop, so the timing is the library's
work, not NumPy's random generator. The check compares the final W and b.
"""
from __future__ import annotations

import math

import numpy as np

import ndgrad as nd

from ..harness import Impl, Workload, skipped
from .peers import anp, autograd, autograd_missing, torch, torch_missing

N_SAMPLES = 1000
BATCH = 100
STEPS = 500
LR, B1, B2, EPS = 0.001, 0.9, 0.999, 1e-8
F32 = np.float32


def _data():
    X_data = np.arange(100, step=.1)
    y_data = X_data + 20 * np.sin(X_data / 10)
    X_data = np.reshape(X_data, (N_SAMPLES, 1)).astype(F32)
    y_data = np.reshape(y_data, (N_SAMPLES, 1)).astype(F32)
    rng = np.random.default_rng(0)
    W0 = rng.standard_normal((1, 1)).astype(F32)
    b0 = np.zeros((1,), F32)
    indices = rng.choice(N_SAMPLES, (STEPS, BATCH))
    return X_data, y_data, W0, b0, indices


def _lr_t(t):
    """TensorFlow's AdamOptimizer step size at step t (1-based)."""
    return LR * math.sqrt(1 - B2 ** t) / (1 - B1 ** t)


# ---------------------------------------------------------------- hand-written NumPy
def _adam(sqrt, p, m, v, g, lr_t):
    """One Adam update (TF's form: bias-corrected rate, epsilon outside the root); the
    same helper for every implementation, so the rows differ only in the gradients."""
    m = B1 * m + (1 - B1) * g
    v = B2 * v + (1 - B2) * g * g
    return p - lr_t * m / (sqrt(v) + EPS), m, v


def numpy_train(X_data, y_data, W0, b0, indices):
    W, b = W0.copy(), b0.copy()
    mW, vW, mb, vb = (np.zeros_like(W), np.zeros_like(W), np.zeros_like(b),
                      np.zeros_like(b))
    for t in range(1, STEPS + 1):
        idx = indices[t - 1]
        X_batch, y_batch = X_data[idx], y_data[idx]
        y_pred = X_batch @ W + b
        r = y_batch - y_pred
        loss = np.sum(r ** 2 / N_SAMPLES)           # noqa: F841 (fetched, as the slide)
        d = -2.0 * r / N_SAMPLES
        gW = X_batch.T @ d
        gb = np.sum(d, axis=0)
        lr_t = _lr_t(t)
        W, mW, vW = _adam(np.sqrt, W, mW, vW, gW, lr_t)
        b, mb, vb = _adam(np.sqrt, b, mb, vb, gb, lr_t)
    return W, b


# ---------------------------------------------------------------- ndgrad eager
def _ndgrad_loss(W, b, X_batch, y_batch):
    y_pred = X_batch @ W + b
    return nd.sum((y_batch - y_pred) ** 2 / N_SAMPLES)


def ndgrad_train(X_data, y_data, W0, b0, indices, vg=nd.value_and_grad(_ndgrad_loss, (0, 1))):
    W, b = nd.asarray(W0), nd.asarray(b0)
    mW, vW, mb, vb = nd.zeros_like(W), nd.zeros_like(W), nd.zeros_like(b), nd.zeros_like(b)
    for t in range(1, STEPS + 1):
        idx = indices[t - 1]
        X_batch, y_batch = X_data[idx], y_data[idx]
        loss, (gW, gb) = vg(W, b, X_batch, y_batch)
        lr_t = _lr_t(t)
        W, mW, vW = _adam(nd.sqrt, W, mW, vW, gW, lr_t)
        b, mb, vb = _adam(nd.sqrt, b, mb, vb, gb, lr_t)
    return W, b


def _ndgrad_adam_step(W, b, mW, vW, mb, vb, X_batch, y_batch, lr_t):
    loss, (gW, gb) = nd.value_and_grad(_ndgrad_loss, (0, 1))(W, b, X_batch, y_batch)
    W, mW, vW = _adam(nd.sqrt, W, mW, vW, gW, lr_t)
    b, mb, vb = _adam(nd.sqrt, b, mb, vb, gb, lr_t)
    return W, b, mW, vW, mb, vb


def ndgrad_jit_train(X_data, y_data, W0, b0, indices, step=nd.jit(_ndgrad_adam_step)):
    """The eager training step compiled by nd.jit (the step size is an array argument in
    the parameters' dtype: a Python float would be static, one trace per value, and a
    float64 one would promote float32 parameters)."""
    W, b = nd.asarray(W0), nd.asarray(b0)
    mW, vW, mb, vb = nd.zeros_like(W), nd.zeros_like(W), nd.zeros_like(b), nd.zeros_like(b)
    lrs = [nd.asarray(_lr_t(t), dtype=W.dtype) for t in range(1, STEPS + 1)]
    for t in range(STEPS):
        idx = indices[t]
        W, b, mW, vW, mb, vb = step(W, b, mW, vW, mb, vb, X_data[idx], y_data[idx], lrs[t])
    return W, b


def autograd_train(X_data, y_data, W0, b0, indices):
    def loss_fn(W, b, X_batch, y_batch):
        return anp.sum((y_batch - (X_batch @ W + b)) ** 2 / N_SAMPLES)
    vg = autograd.value_and_grad(loss_fn, (0, 1))
    W, b = W0.copy(), b0.copy()
    mW, vW, mb, vb = (np.zeros_like(W), np.zeros_like(W), np.zeros_like(b),
                      np.zeros_like(b))
    for t in range(1, STEPS + 1):
        idx = indices[t - 1]
        loss, (gW, gb) = vg(W, b, X_data[idx], y_data[idx])
        lr_t = _lr_t(t)
        W, mW, vW = _adam(np.sqrt, W, mW, vW, gW, lr_t)
        b, mb, vb = _adam(np.sqrt, b, mb, vb, gb, lr_t)
    return W, b


# ---------------------------------------------------------------- ndgrad.tf (the slide)
def build_tf_session(X_data, y_data, W0, b0, indices):
    """The slide's graph and session; returns ``train`` (init + 500 steps), or raises
    where ndgrad.tf lacks a piece (the caller then skips this row with the error)."""
    import contextlib

    import ndgrad.tf as tf

    # a graph of its own where ndgrad.tf has tf.Graph, else the default graph
    scope = tf.Graph().as_default() if hasattr(tf, "Graph") else contextlib.nullcontext()
    with scope:
        X = tf.placeholder(tf.float32, shape=(BATCH, 1))
        y = tf.placeholder(tf.float32, shape=(BATCH, 1))
        with tf.variable_scope("linear-regression"):
            W = tf.get_variable("weights", (1, 1),
                                initializer=tf.constant_initializer(float(W0[0, 0])))
            b = tf.get_variable("bias", (1,), initializer=tf.constant_initializer(0.0))
            y_pred = tf.matmul(X, W) + b
            loss = tf.reduce_sum((y - y_pred) ** 2 / N_SAMPLES)
        opt_operation = tf.train.AdamOptimizer().minimize(loss)
        init = (tf.global_variables_initializer() if hasattr(tf, "global_variables_initializer")
                else tf.initialize_all_variables())
        sess = tf.Session()

    def train():
        sess.run(init)
        for t in range(STEPS):
            idx = indices[t]
            X_batch, y_batch = X_data[idx], y_data[idx]
            _, loss_val = sess.run([opt_operation, loss], feed_dict={X: X_batch, y: y_batch})
        return sess.run([W, b])
    return train


def _wb_check(train):
    def check():
        W, b = train()
        return np.asarray(W)[0, 0], [np.asarray(W), np.asarray(b)]
    return check


def build(args):
    X_data, y_data, W0, b0, indices = _data()
    impls = []
    np_train = lambda: numpy_train(X_data, y_data, W0, b0, indices)  # noqa: E731
    impls.append(Impl("hand NumPy + hand Adam", np_train, check=_wb_check(np_train),
                      baseline=True))

    # arrays ndgrad owns, as the NumPy code owns its own (a buffer shared with NumPy code
    # costs a copy at each recorded use: ndgrad/_ops/sharing.py)
    Xn, yn = nd.asarray(X_data.copy()), nd.asarray(y_data.copy())
    nd_train = lambda: ndgrad_train(Xn, yn, W0, b0, indices)  # noqa: E731
    impls.append(Impl("ndgrad value_and_grad + hand Adam", nd_train,
                      check=_wb_check(nd_train), rtol=1e-4, atol=1e-5, primary=True))

    jit_train = lambda: ndgrad_jit_train(Xn, yn, W0, b0, indices)  # noqa: E731
    impls.append(Impl("ndgrad nd.jit(step) + Adam in the step", jit_train,
                      check=_wb_check(jit_train), rtol=1e-4, atol=1e-5, target=1.0))

    try:
        tf_train = build_tf_session(X_data, y_data, W0, b0, indices)
    except Exception as e:  # ndgrad.tf missing or incomplete: say what, run the rest
        impls.append(skipped("ndgrad.tf Session.run", f"{type(e).__name__}: {e}"))
    else:
        impls.append(Impl("ndgrad.tf Session.run", tf_train, check=_wb_check(tf_train),
                          target=1.0, rtol=1e-4, atol=1e-5))

    if torch is None:
        impls.append(skipped("PyTorch eager + optim.Adam", torch_missing))
    else:
        Xt, yt = torch.from_numpy(X_data), torch.from_numpy(y_data)
        idx_t = [torch.from_numpy(i) for i in indices]

        def torch_train():
            W = torch.from_numpy(W0.copy()).requires_grad_()
            b = torch.from_numpy(b0.copy()).requires_grad_()
            opt = torch.optim.Adam([W, b], lr=LR, betas=(B1, B2), eps=EPS)
            for t in range(STEPS):
                idx = idx_t[t]
                X_batch, y_batch = Xt[idx], yt[idx]
                opt.zero_grad()
                loss = torch.sum((y_batch - (X_batch @ W + b)) ** 2 / N_SAMPLES)
                loss.backward()
                opt.step()
            return W.detach(), b.detach()
        impls.append(Impl("PyTorch eager + optim.Adam", torch_train,
                          check=_wb_check(torch_train), rtol=1e-3, atol=1e-4,
                          note="torch's epsilon placement differs slightly"))

    if autograd is None:
        impls.append(skipped("HIPS autograd + hand Adam", autograd_missing))
    else:
        ag_train = lambda: autograd_train(X_data, y_data, W0, b0, indices)  # noqa: E731
        impls.append(Impl("HIPS autograd + hand Adam", ag_train, check=_wb_check(ag_train),
                          rtol=1e-4, atol=1e-5))

    return Workload("linreg", "seed linear regression, 500 Adam steps (batch 100)",
                    f"{STEPS} steps", 2.5, impls)

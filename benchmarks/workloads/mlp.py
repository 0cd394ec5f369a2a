"""(2) One MLP training step: 784-256-256-10, batch 128, float32, relu, softmax
cross-entropy (mean over the batch), plain SGD update of all six parameters.

Every implementation starts from the same parameters and batch; the check compares the
loss and the six gradients at the initial parameters. The update is in place in every
implementation (``p -= lr * g``), as each library's users write it.
"""
from __future__ import annotations

import numpy as np

import ndgrad as nd

from ..harness import Impl, Workload, skipped
from .peers import anp, autograd, autograd_missing, torch, torch_missing

SIZES = (784, 256, 256, 10)
BATCH = 128
LR = 0.01
F32 = np.float32


def _data():
    rng = np.random.default_rng(0)
    params = []
    for fan_in, fan_out in zip(SIZES[:-1], SIZES[1:]):
        params.append((rng.standard_normal((fan_in, fan_out)) * np.sqrt(2.0 / fan_in))
                      .astype(F32))
        params.append(np.zeros(fan_out, F32) + F32(0.01))
    x = rng.standard_normal((BATCH, SIZES[0])).astype(F32)
    labels = rng.integers(0, SIZES[-1], BATCH)
    onehot = np.zeros((BATCH, SIZES[-1]), F32)
    onehot[np.arange(BATCH), labels] = 1
    return params, x, labels, onehot


# ---------------------------------------------------------------- hand-written NumPy
def numpy_loss_and_grads(params, x, onehot):
    W1, b1, W2, b2, W3, b3 = params
    h1 = x @ W1 + b1
    a1 = np.maximum(h1, 0)
    h2 = a1 @ W2 + b2
    a2 = np.maximum(h2, 0)
    z = a2 @ W3 + b3
    z = z - np.max(z, axis=1, keepdims=True)
    ez = np.exp(z)
    sez = np.sum(ez, axis=1, keepdims=True)
    logp = z - np.log(sez)
    loss = -np.sum(onehot * logp) / BATCH

    dz = (ez / sez - onehot) / BATCH
    dW3 = a2.T @ dz
    db3 = np.sum(dz, axis=0)
    dh2 = (dz @ W3.T) * (h2 > 0)
    dW2 = a1.T @ dh2
    db2 = np.sum(dh2, axis=0)
    dh1 = (dh2 @ W2.T) * (h1 > 0)
    dW1 = x.T @ dh1
    db1 = np.sum(dh1, axis=0)
    return loss, [dW1, db1, dW2, db2, dW3, db3]


# ---------------------------------------------------------------- ndgrad
def _ndgrad_max_shift():
    """``z - max(z)`` for a stable softmax, as NumPy code writes it; where nd.max is not
    (yet) differentiable, the shift is taken without gradient (it does not change it)."""
    mx = getattr(nd, "max", None)
    op = nd._REGISTRY.get("max")
    if mx is not None and op is not None and op.vjp is not None:
        return lambda z: z - nd.max(z, axis=1, keepdims=True), ""
    return (lambda z: z - nd.asarray(np.max(np.asarray(z.detach()), axis=1, keepdims=True)),
            "nd.max not differentiable yet: softmax shift taken without gradient")


def make_ndgrad_loss():
    shift, note = _ndgrad_max_shift()

    def loss(params, x, onehot):
        W1, b1, W2, b2, W3, b3 = params
        a1 = nd.maximum(x @ W1 + b1, 0.0)
        a2 = nd.maximum(a1 @ W2 + b2, 0.0)
        z = shift(a2 @ W3 + b3)
        logp = z - nd.log(nd.sum(nd.exp(z), axis=1, keepdims=True))
        return -nd.sum(onehot * logp) / BATCH
    return loss, note


def autograd_loss(params, x, onehot):
    W1, b1, W2, b2, W3, b3 = params
    a1 = anp.maximum(x @ W1 + b1, 0.0)
    a2 = anp.maximum(a1 @ W2 + b2, 0.0)
    z = a2 @ W3 + b3
    z = z - anp.max(z, axis=1, keepdims=True)
    logp = z - anp.log(anp.sum(anp.exp(z), axis=1, keepdims=True))
    return -anp.sum(onehot * logp) / BATCH


def session_impls(params0, x, onehot, options=None, label="ndgrad.tf Session.run"):
    """The same SGD step as a TF1 graph: variables, ``GradientDescentOptimizer``,
    ``sess.run([train_op, loss], feed_dict)``."""
    import ndgrad.tf as tf
    g = tf.Graph()
    with g.as_default():
        xt = tf.placeholder(tf.float32, x.shape)
        oh = tf.placeholder(tf.float32, onehot.shape)
        ps = [tf.Variable(p) for p in params0]
        W1, b1, W2, b2, W3, b3 = ps
        a1 = tf.maximum(tf.matmul(xt, W1) + b1, 0.0)
        a2 = tf.maximum(tf.matmul(a1, W2) + b2, 0.0)
        z = tf.matmul(a2, W3) + b3
        z = z - tf.reduce_max(z, axis=1, keepdims=True)
        logp = z - tf.log(tf.reduce_sum(tf.exp(z), axis=1, keepdims=True))
        loss = -tf.reduce_sum(oh * logp) / BATCH
        grads = tf.gradients(loss, ps)
        train = tf.train.GradientDescentOptimizer(LR).minimize(loss)
        init = tf.global_variables_initializer()
    sess = tf.Session(graph=g, compile_options=options)
    sess.run(init)
    check_sess = tf.Session(graph=g, compile_options=options)
    check_sess.run(init)
    feeds = {xt: x, oh: onehot}
    fetch = [train, loss]

    def check():
        v, gs = check_sess.run([loss, grads], feeds)
        return v, gs
    return [Impl(label, lambda: sess.run(fetch, feeds), check=check, rtol=1e-4, atol=1e-6,
                 target=0.95)]


def build(args):
    params0, x, labels, onehot = _data()
    impls = []

    p_np = [p.copy() for p in params0]

    def np_step():
        loss, grads = numpy_loss_and_grads(p_np, x, onehot)
        for p, g in zip(p_np, grads):
            p -= LR * g
        return loss
    impls.append(Impl("hand NumPy fwd+bwd+SGD", np_step, baseline=True,
                      check=lambda: numpy_loss_and_grads(params0, x, onehot)))

    loss_nd, note = make_ndgrad_loss()
    vg = nd.value_and_grad(loss_nd)
    p_nd = [nd.asarray(p.copy()) for p in params0]
    x_nd, oh_nd = nd.asarray(x.copy()), nd.asarray(onehot.copy())   # ndgrad's own

    def nd_step():
        loss, grads = vg(p_nd, x_nd, oh_nd)
        for p, g in zip(p_nd, grads):
            p -= LR * g
        return loss

    def nd_check():
        v, gs = vg([nd.asarray(p) for p in params0], x_nd, oh_nd)
        return np.asarray(v), [np.asarray(g) for g in gs]
    impls.append(Impl("ndgrad value_and_grad+SGD", nd_step, check=nd_check, primary=True,
                      rtol=1e-4, atol=1e-6, note=note))
    impls.extend(session_impls(params0, x, onehot))

    def sgd(params, x, onehot):
        loss, grads = vg(params, x, onehot)
        return loss, [p - LR * g for p, g in zip(params, grads)]
    jstep = nd.jit(sgd)
    p_jit = [[nd.asarray(p.copy()) for p in params0]]

    def jit_step():
        loss, p_jit[0] = jstep(p_jit[0], x_nd, oh_nd)
        return loss

    jvg = nd.jit(vg)

    def jit_check():
        v, gs = jvg([nd.asarray(p) for p in params0], x_nd, oh_nd)
        return np.asarray(v), [np.asarray(g) for g in gs]
    impls.append(Impl("ndgrad nd.jit(value_and_grad+SGD)", jit_step, check=jit_check,
                      rtol=1e-4, atol=1e-6, target=0.95))

    if torch is None:
        impls.append(skipped("PyTorch eager", torch_missing))
    else:
        F = torch.nn.functional
        p_t = [torch.from_numpy(p.copy()).requires_grad_() for p in params0]
        xt, yt = torch.from_numpy(x), torch.from_numpy(labels)

        def torch_loss(ps):
            W1, b1, W2, b2, W3, b3 = ps
            a1 = torch.relu(xt @ W1 + b1)
            a2 = torch.relu(a1 @ W2 + b2)
            return F.cross_entropy(a2 @ W3 + b3, yt)

        def torch_step():
            loss = torch_loss(p_t)
            loss.backward()
            with torch.no_grad():
                for p in p_t:
                    p -= LR * p.grad
                    p.grad = None
            return loss

        def torch_check():
            ps = [torch.from_numpy(p.copy()).requires_grad_() for p in params0]
            loss = torch_loss(ps)
            loss.backward()
            return loss, [p.grad for p in ps]
        impls.append(Impl("PyTorch eager", torch_step, check=torch_check, rtol=1e-4,
                          atol=1e-6, note="relu + F.cross_entropy"))

    if autograd is None:
        impls.append(skipped("HIPS autograd", autograd_missing))
    else:
        agvg = autograd.value_and_grad(autograd_loss)
        p_ag = [p.copy() for p in params0]

        def ag_step():
            loss, grads = agvg(p_ag, x, onehot)
            for p, g in zip(p_ag, grads):
                p -= LR * g
            return loss

        def ag_check():
            v, gs = agvg([p.copy() for p in params0], x, onehot)
            return v, gs
        impls.append(Impl("HIPS autograd", ag_step, check=ag_check, rtol=1e-4, atol=1e-6))

    return Workload("mlp", "MLP 784-256-256-10 SGD step, batch 128, float32", "step",
                    1.1, impls)

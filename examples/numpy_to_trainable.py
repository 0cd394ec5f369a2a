"""From a NumPy forward pass to a trained model by changing one import.

The network below is plain NumPy code (``np.tanh``, ``@``, ``np.exp``, ``x.max(axis=1,
keepdims=True)``, ``np.log``, ``x.mean()``); with ``import ndgrad as np`` the same code is
differentiable, so ``nd.value_and_grad`` gives the loss and its gradients and a
hand-written Adam loop trains it on a synthetic two-spirals-like classification task.

    python examples/numpy_to_trainable.py
"""
import time

import ndgrad as np  # the only change to the NumPy code below
import ndgrad as nd


# -- the NumPy forward pass, unchanged ---------------------------------------------------
def init_params(rng, n_in, n_hidden, n_out):
    return {
        "W1": rng.standard_normal((n_in, n_hidden)) * np.sqrt(2.0 / n_in),
        "b1": np.zeros(n_hidden),
        "W2": rng.standard_normal((n_hidden, n_out)) * np.sqrt(1.0 / n_hidden),
        "b2": np.zeros(n_out),
    }


def forward(params, X):
    h = np.tanh(X @ params["W1"] + params["b1"])
    return h @ params["W2"] + params["b2"]


def cross_entropy(params, X, y):
    logits = forward(params, X)
    logits = logits - logits.max(axis=1, keepdims=True)
    log_probs = logits - np.log(np.sum(np.exp(logits), axis=1, keepdims=True))
    return -np.mean(log_probs[np.arange(len(y)), y])


def accuracy(params, X, y):
    return float(np.mean(np.argmax(forward(params, X), axis=1) == y))


# -- data: three interleaved spirals ------------------------------------------------------
def make_spirals(rng, n_per_class=100, n_classes=3):
    X, y = [], []
    for k in range(n_classes):
        r = np.linspace(0.05, 1.0, n_per_class)
        t = np.linspace(k * 4.0, (k + 1) * 4.0, n_per_class) + rng.standard_normal(
            n_per_class) * 0.2
        X.append(np.column_stack([r * np.sin(t), r * np.cos(t)]))
        y.append(np.full(n_per_class, k))
    return np.concatenate(X), np.concatenate(y)


# -- training: value_and_grad and a hand-written Adam ---------------------------------------
def adam(params, grads, state, step, lr=0.02, b1=0.9, b2=0.999, eps=1e-8):
    new = {}
    for k in params:
        m, v = state[k]
        m = b1 * m + (1 - b1) * grads[k]
        v = b2 * v + (1 - b2) * grads[k] ** 2
        state[k] = (m, v)
        m_hat = m / (1 - b1 ** step)
        v_hat = v / (1 - b2 ** step)
        new[k] = params[k] - lr * m_hat / (np.sqrt(v_hat) + eps)
    return new


def main(steps=600, log_every=100):
    start = time.perf_counter()
    rng = np.random.default_rng(0)
    X, y = make_spirals(rng)
    params = init_params(rng, 2, 64, 3)
    state = {k: (np.zeros_like(p), np.zeros_like(p)) for k, p in params.items()}
    loss_and_grad = nd.value_and_grad(cross_entropy)
    print(f"accuracy before training: {accuracy(params, X, y):.3f}")
    for step in range(1, steps + 1):
        loss, grads = loss_and_grad(params, X, y)
        params = adam(params, grads, state, step)
        if step == 1 or step % log_every == 0:
            print(f"step {step:4d}  loss {float(loss):.4f}")
    acc = accuracy(params, X, y)
    print(f"final accuracy: {acc:.3f}  ({time.perf_counter() - start:.1f} s)")
    return float(loss), acc


if __name__ == "__main__":
    main()

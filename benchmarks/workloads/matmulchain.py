"""(5) A 512x512 float64 matmul chain, value + gradient: ``sum(x @ W1 @ W2 @ W3)``.

Here BLAS does nearly all the work (three matmuls forward, six backward), so a library
can only lose: by a copy, a transposed operand BLAS cannot take as is, or a temporary
too many. The gradient is taken with respect to the three weight matrices.
"""
from __future__ import annotations

import numpy as np

import ndgrad as nd

from ..harness import Impl, Workload

N = 512
DEPTH = 3


def _data():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((N, N)) / np.sqrt(N)
    ws = [rng.standard_normal((N, N)) / np.sqrt(N) for _ in range(DEPTH)]
    return x, ws


# ---------------------------------------------------------------- hand-written NumPy
def numpy_value_and_grad(x, ws):
    hs = [x]
    for w in ws:
        hs.append(hs[-1] @ w)
    value = np.sum(hs[-1])
    g = np.ones_like(hs[-1])
    grads = [None] * len(ws)
    for i in range(len(ws) - 1, -1, -1):
        grads[i] = hs[i].T @ g
        if i:
            g = g @ ws[i].T
    return value, grads


# ---------------------------------------------------------------- ndgrad
def ndgrad_f(ws, x):
    h = x
    for w in ws:
        h = h @ w
    return nd.sum(h)


def build(args):
    x, ws = _data()
    impls = []

    def np_check():
        return numpy_value_and_grad(x, ws)
    impls.append(Impl("hand NumPy fwd+bwd", lambda: numpy_value_and_grad(x, ws),
                      check=np_check, baseline=True))

    xn, wn = nd.asarray(x.copy()), [nd.asarray(w.copy()) for w in ws]   # ndgrad's own
    vg = nd.value_and_grad(ndgrad_f)

    def nd_check():
        v, gs = vg(wn, xn)
        return np.asarray(v), [np.asarray(g) for g in gs]
    impls.append(Impl("ndgrad value_and_grad", lambda: vg(wn, xn), check=nd_check,
                      primary=True, rtol=1e-10, atol=1e-10))

    jvg = nd.jit(vg)

    def jit_check():
        v, gs = jvg(wn, xn)
        return np.asarray(v), [np.asarray(g) for g in gs]
    impls.append(Impl("ndgrad nd.jit(value_and_grad)", lambda: jvg(wn, xn),
                      check=jit_check, rtol=1e-10, atol=1e-10, target=1.02))
    return Workload("matmulchain", f"sum(x @ W1 @ W2 @ W3), {N}x{N} float64, value + grad",
                    "call", 1.03, impls)

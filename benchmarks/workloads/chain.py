"""(1) Per-op overhead: 100 elementwise ops on a (8,) float64 array, value + gradient.

The chain repeats four ops 25 times — ``sin``, multiply by a constant (8,) array,
``tanh``, add a Python scalar — and sums the result. On 8 elements every op's arithmetic
is negligible, so the time is what each library spends per op in Python/C++ dispatch
(and, for the autodiff libraries, recording a node and running its rule backward).
"""
from __future__ import annotations

import numpy as np

import ndgrad as nd

from ..harness import Impl, Workload, skipped
from .peers import anp, autograd, autograd_missing, torch, torch_missing

CYCLES = 25          # 4 ops each: 100 ops (then one sum)
N = 8


def _data():
    rng = np.random.default_rng(0)
    x = rng.uniform(-1.0, 1.0, N)
    a = rng.uniform(0.5, 1.5, N)
    return x, a


# ---------------------------------------------------------------- hand-written NumPy
def cycles(xp, x, a):
    """The chain's 100 ops in any namespace with sin and tanh (NumPy, ndgrad, ndgrad.tf,
    torch, autograd.numpy): 25 times sin, multiply by ``a``, tanh, add 0.5."""
    h = x
    for _ in range(CYCLES):
        h = xp.sin(h)
        h = h * a
        h = xp.tanh(h)
        h = h + 0.5
    return h


def numpy_forward(x, a):
    return np.sum(cycles(np, x, a))


def numpy_value_and_grad(x, a):
    """Forward keeping what backward needs, then the hand-derived backward."""
    saved = []
    h = x
    for _ in range(CYCLES):
        s_in = h
        h = np.sin(h)
        h = h * a
        t = np.tanh(h)
        h = t + 0.5
        saved.append((s_in, t))
    value = np.sum(h)
    g = np.ones_like(h)
    for s_in, t in reversed(saved):
        g = g * (1.0 - t * t)       # tanh
        g = g * a                   # * a
        g = g * np.cos(s_in)        # sin
    return value, g


# ---------------------------------------------------------------- the autodiff libraries
def chain_f(xp, x, a):
    """The workload in any namespace with sin, tanh and sum (ndgrad, torch, autograd.numpy)."""
    return xp.sum(cycles(xp, x, a))


def ndgrad_f(x, a):
    return chain_f(nd, x, a)


def torch_f(x, a):
    return chain_f(torch, x, a)


def autograd_f(x, a):
    return chain_f(anp, x, a)


def session_impls(x, a, options=None, label="ndgrad.tf Session.run"):
    """Rows for the same chain as a TF1 graph run by ``Session.run`` (x and a fed): value
    + gradient (``tf.gradients``) and forward only. ``options``: plan-compiler passes."""
    import ndgrad.tf as tf
    g = tf.Graph()
    with g.as_default():
        xt = tf.placeholder(tf.float64, (N,))
        at = tf.placeholder(tf.float64, (N,))
        y = tf.reduce_sum(cycles(tf, xt, at))
        gx, = tf.gradients(y, [xt])
    sess = tf.Session(graph=g, compile_options=options)
    fetch_vg, fetch_y, feeds = [y, gx], [y], {xt: x, at: a}

    def check():
        v, gv = sess.run(fetch_vg, feeds)
        return v, [gv]
    return [Impl(label + " (value+grad)", lambda: sess.run(fetch_vg, feeds), check=check,
                 rtol=1e-12, target=1.0),
            Impl(label + " (forward only)", lambda: sess.run(fetch_y, feeds), target=0.9,
                 ratio_to="NumPy forward only")]


def build(args):
    x, a = _data()
    impls = []

    def np_check():
        v, g = numpy_value_and_grad(x, a)
        return v, [g]
    impls.append(Impl("hand NumPy fwd+bwd", lambda: numpy_value_and_grad(x, a),
                      check=np_check, baseline=True))
    impls.append(Impl("NumPy forward only", lambda: numpy_forward(x, a),
                      note="no gradient"))

    xn, an = nd.asarray(x.copy()), nd.asarray(a.copy())   # ndgrad's own buffers
    vg = nd.value_and_grad(ndgrad_f)

    def nd_check():
        v, g = vg(xn, an)
        return np.asarray(v), [np.asarray(g)]
    impls.append(Impl("ndgrad value_and_grad", lambda: vg(xn, an), check=nd_check,
                      primary=True, rtol=1e-12))

    def nd_backward():
        xr = nd.asarray(x, requires_grad=True)
        y = ndgrad_f(xr, an)
        y.backward()
        return y, xr.grad

    def nd_backward_check():
        y, g = nd_backward()
        return np.asarray(y.detach()), [np.asarray(g)]
    impls.append(Impl("ndgrad y.backward()", nd_backward, check=nd_backward_check,
                      rtol=1e-12, note="imperative verbs"))
    impls.append(Impl("ndgrad forward only", lambda: ndgrad_f(xn, an), target=2.4,
                      ratio_to="NumPy forward only", note="no gradient recorded"))
    impls.extend(session_impls(x, a))

    jvg = nd.jit(nd.value_and_grad(ndgrad_f))

    def jit_check():
        v, g = jvg(xn, an)
        return np.asarray(v), [np.asarray(g)]
    impls.append(Impl("ndgrad nd.jit(value_and_grad)", lambda: jvg(xn, an),
                      check=jit_check, rtol=1e-12, target=1.0,
                      note="compiled: forward and backward in one plan"))
    jf = nd.jit(ndgrad_f)
    impls.append(Impl("ndgrad nd.jit forward only", lambda: jf(xn, an), target=0.9,
                      ratio_to="NumPy forward only"))

    if torch is None:
        impls.append(skipped("PyTorch eager fwd+bwd", torch_missing))
    else:
        xt0, at = torch.from_numpy(x.copy()), torch.from_numpy(a.copy())

        def torch_step():
            xt = xt0.detach().requires_grad_()
            y = torch_f(xt, at)
            y.backward()
            return y, xt.grad

        def torch_check():
            y, g = torch_step()
            return y, [g]
        impls.append(Impl("PyTorch eager fwd+bwd", torch_step, check=torch_check,
                          rtol=1e-12))

    if autograd is None:
        impls.append(skipped("HIPS autograd", autograd_missing))
    else:
        avg = autograd.value_and_grad(autograd_f)

        def ag_check():
            v, g = avg(x, a)
            return v, [g]
        impls.append(Impl("HIPS autograd", lambda: avg(x, a), check=ag_check, rtol=1e-12))

    return Workload("chain", "100 elementwise ops on (8,) float64, value + grad", "call",
                    2.5, impls)

"""(3) ``sum(sin(x) * x + exp(-x * x))`` on 4M float64, value + gradient, with peak memory.

Here the arithmetic dominates (each op streams 32 MB), so what counts is how many
temporaries each library makes and keeps: the time ratio shows extra passes over
memory, the memory ratio shows intermediates held longer than hand-written code does.
Peak memory is what tracemalloc sees during one call above the level before it, the
returned gradient included (NumPy reports its allocations to tracemalloc; PyTorch does
not, so its memory is not measured).
"""
from __future__ import annotations

import numpy as np

import ndgrad as nd

from ..harness import Impl, Workload, skipped
from .peers import anp, autograd, autograd_missing, torch, torch_missing

N = 4 * 1024 * 1024


def numpy_value_and_grad(x):
    s = np.sin(x)
    e = np.exp(-x * x)
    value = np.sum(s * x + e)
    grad = np.cos(x) * x + s - 2.0 * x * e
    return value, grad


def ndgrad_f(x):
    return nd.sum(nd.sin(x) * x + nd.exp(-x * x))


def torch_f(x):
    return torch.sum(torch.sin(x) * x + torch.exp(-x * x))


def autograd_f(x):
    return anp.sum(anp.sin(x) * x + anp.exp(-x * x))


def session_impls(x, options=None, label="ndgrad.tf Session.run"):
    """The same value + gradient as a TF1 graph run by ``Session.run`` (x fed)."""
    import ndgrad.tf as tf
    g = tf.Graph()
    with g.as_default():
        xt = tf.placeholder(tf.float64, x.shape)
        y = tf.reduce_sum(tf.sin(xt) * xt + tf.exp(-xt * xt))
        gx, = tf.gradients(y, [xt])
    sess = tf.Session(graph=g, compile_options=options)
    fetch, feeds = [y, gx], {xt: x}

    def check():
        v, gv = sess.run(fetch, feeds)
        return v, [gv]
    return [Impl(label, lambda: sess.run(fetch, feeds), check=check,
                 memory=lambda: sess.run(fetch, feeds), rtol=1e-10, atol=1e-12, target=0.8,
                 mem_target=1.0)]


def build(args):
    n = args.big_n or N
    x = np.random.default_rng(0).uniform(-2.0, 2.0, n)
    impls = []
    impls.append(Impl("hand NumPy fwd+bwd", lambda: numpy_value_and_grad(x),
                      check=lambda: (lambda v, g: (v, [g]))(*numpy_value_and_grad(x)),
                      memory=lambda: numpy_value_and_grad(x), baseline=True))

    xn = nd.asarray(x.copy())   # ndgrad's own buffer (a shared one is copied per call)
    vg = nd.value_and_grad(ndgrad_f)

    def nd_check():
        v, g = vg(xn)
        return np.asarray(v), [np.asarray(g)]
    impls.append(Impl("ndgrad value_and_grad", lambda: vg(xn), check=nd_check,
                      memory=lambda: vg(xn), primary=True, rtol=1e-10, atol=1e-12))
    impls.extend(session_impls(x))

    jvg = nd.jit(nd.value_and_grad(ndgrad_f))

    def jit_check():
        v, g = jvg(xn)
        return np.asarray(v), [np.asarray(g)]
    impls.append(Impl("ndgrad nd.jit(value_and_grad)", lambda: jvg(xn), check=jit_check,
                      memory=lambda: jvg(xn), rtol=1e-10, atol=1e-12, target=0.8,
                      mem_target=1.0))

    if torch is None:
        impls.append(skipped("PyTorch eager fwd+bwd", torch_missing))
    else:
        xt0 = torch.from_numpy(x)

        def torch_step():
            xt = xt0.detach().requires_grad_()
            y = torch_f(xt)
            y.backward()
            return y, xt.grad

        def torch_check():
            y, g = torch_step()
            return y, [g]
        impls.append(Impl("PyTorch eager fwd+bwd", torch_step, check=torch_check,
                          rtol=1e-10, atol=1e-12, note="memory not visible to tracemalloc"))

    if autograd is None:
        impls.append(skipped("HIPS autograd", autograd_missing))
    else:
        avg = autograd.value_and_grad(autograd_f)

        def ag_check():
            v, g = avg(x)
            return v, [g]
        impls.append(Impl("HIPS autograd", lambda: avg(x), check=ag_check,
                          memory=lambda: avg(x), rtol=1e-10, atol=1e-12))

    return Workload("bigarray", f"sum(sin(x)*x + exp(-x*x)), {n / 2**20:g}M float64, "
                    "value + grad", "call", 1.15, impls, mem_target=1.25)

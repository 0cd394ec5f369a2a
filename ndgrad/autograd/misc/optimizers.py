"""autograd's gradient-descent optimizers (sgd with momentum, rmsprop, adam) over nests of
arrays: ``adam(grad, x0, callback=None, num_iters=100, step_size=0.001, ...)`` where
``grad(x, i)`` gives the gradient at step ``i``. Written with ndgrad ops, so they too
can be differentiated."""
from __future__ import annotations

import functools

from .flatten import flatten


def _np():
    import ndgrad
    return ndgrad


def unflatten_optimizer(optimize):
    """Lift an optimizer over flat vectors to one over nests (lists/tuples/dicts)."""
    @functools.wraps(optimize)
    def _optimize(grad, x0, callback=None, *args, **kwargs):
        _x0, unflatten = flatten(x0)

        def _grad(x, i):
            return flatten(grad(unflatten(x), i))[0]
        if callback:
            def _callback(x, i, g):
                return callback(unflatten(x), i, unflatten(g))
        else:
            _callback = None
        return unflatten(optimize(_grad, _x0, _callback, *args, **kwargs))
    return _optimize


@unflatten_optimizer
def sgd(grad, x, callback=None, num_iters=200, step_size=0.1, mass=0.9):
    """Stochastic gradient descent with momentum ``mass``.

    >>> import ndgrad.autograd.numpy as np
    >>> x = sgd(lambda x, i: 2 * x, np.array([1.0]), num_iters=100)
    >>> bool(abs(x[0]) < 1e-2)
    True
    """
    np = _np()
    velocity = np.zeros(len(x))
    for i in range(num_iters):
        g = grad(x, i)
        if callback:
            callback(x, i, g)
        velocity = mass * velocity - (1.0 - mass) * g
        x = x + step_size * velocity
    return x


@unflatten_optimizer
def rmsprop(grad, x, callback=None, num_iters=100, step_size=0.1, gamma=0.9, eps=10**-8):
    """Root-mean-square propagation: steps scaled by a running RMS of the gradient.

    >>> import ndgrad.autograd.numpy as np
    >>> x = rmsprop(lambda x, i: 2 * x, np.array([1.0]), num_iters=200, step_size=0.01)
    >>> bool(abs(x[0]) < 0.05)
    True
    """
    np = _np()
    avg_sq_grad = np.ones(len(x))
    for i in range(num_iters):
        g = grad(x, i)
        if callback:
            callback(x, i, g)
        avg_sq_grad = avg_sq_grad * gamma + g ** 2 * (1 - gamma)
        x = x - step_size * g / (np.sqrt(avg_sq_grad) + eps)
    return x


@unflatten_optimizer
def adam(grad, x, callback=None, num_iters=100, step_size=0.001, b1=0.9, b2=0.999,
         eps=10**-8):
    """Adam (Kingma & Ba, arXiv:1412.6980): momentum plus RMS scaling, bias-corrected.

    >>> import ndgrad.autograd.numpy as np
    >>> x = adam(lambda x, i: {"a": 2 * x["a"]}, {"a": np.array([1.0])}, num_iters=500,
    ...          step_size=0.05)
    >>> bool(abs(x["a"][0]) < 0.05)
    True
    """
    np = _np()
    m = np.zeros(len(x))
    v = np.zeros(len(x))
    for i in range(num_iters):
        g = grad(x, i)
        if callback:
            callback(x, i, g)
        m = (1 - b1) * g + b1 * m
        v = (1 - b2) * (g ** 2) + b2 * v
        mhat = m / (1 - b1 ** (i + 1))
        vhat = v / (1 - b2 ** (i + 1))
        x = x - step_size * mhat / (np.sqrt(vhat) + eps)
    return x

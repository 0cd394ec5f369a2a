"""``fixed_point(f, a, x0, distance, tol)``: iterate ``x = f(a)(x)`` to convergence, with
the gradient with respect to ``a`` by the implicit-function theorem (a second fixed-point
iteration on the adjoint), not by differentiating through the iterations."""
from __future__ import annotations

from ..core import make_vjp
from ..extend import primitive, defvjp
from ..vspace import vspace


@primitive
def fixed_point(f, a, x0, distance, tol):
    """The fixed point of ``f(a)`` reached from ``x0``.

    >>> import ndgrad.autograd as ag, ndgrad.autograd.numpy as np
    >>> newton_sqrt = lambda a: lambda x: 0.5 * (x + a / x)
    >>> dist = lambda x, y: np.abs(x - y)
    >>> s = lambda a: fixed_point(newton_sqrt, a, 1.0, dist, 1e-10)
    >>> print(round(float(s(2.0)), 6), round(float(ag.grad(s)(2.0)), 6))
    1.414214 0.353553
    """
    _f = f(a)
    x, x_prev = _f(x0), x0
    while distance(x, x_prev) > tol:
        x, x_prev = _f(x), x
    return x


def _fixed_point_vjp(ans, f, a, x0, distance, tol):
    def rev_iter(params):
        a, x_star, x_star_bar = params
        vjp_x, _ = make_vjp(f(a), x_star)
        vs = vspace(x_star)
        return lambda g: vs.add(vjp_x(g), x_star_bar)

    vjp_a, _ = make_vjp(lambda ay: f(ay[0])(ay[1]), (a, ans))

    def vjp(g):
        w = fixed_point(rev_iter, (a, ans, g), vspace(x0).zeros(), distance, tol)
        return vjp_a(w)[0]
    return vjp


defvjp(fixed_point, None, _fixed_point_vjp, None)

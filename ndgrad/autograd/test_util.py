"""autograd's gradient checks: ``check_grads(fun, argnum=0, modes=['fwd', 'rev'],
order=2)(*args)`` compares forward- and reverse-mode products with central differences,
recursively to ``order``; ``combo_check`` runs it over all combinations of arguments."""
from __future__ import annotations

from itertools import product

from .core import make_jvp, make_vjp
from .vspace import vspace
from .wrap_util import get_name, unary_to_nary

TOL = 1e-6
RTOL = 1e-6
EPS = 1e-6


def scalar_close(a, b):
    a, b = float(a), float(b)
    return abs(a - b) < TOL or abs(a - b) / abs(a + b) < RTOL


def make_numerical_jvp(f, x):
    """``v -> (f(x + v eps/2) - f(x - v eps/2)) / eps``."""
    y = f(x)
    x_vs, y_vs = vspace(x), vspace(y)

    def jvp(v):
        f_plus = f(x_vs.add(x, x_vs.scalar_mul(v, EPS / 2)))
        f_minus = f(x_vs.add(x, x_vs.scalar_mul(v, -EPS / 2)))
        return y_vs.scalar_mul(y_vs.add(f_plus, y_vs.scalar_mul(f_minus, -1.0)), 1.0 / EPS)
    return jvp


def check_vjp(f, x):
    """``<v, vjp(u)>`` against ``<u, numerical jvp(v)>`` for random ``u``, ``v``."""
    vjp, y = make_vjp(f, x)
    jvp = make_numerical_jvp(f, x)
    x_vs, y_vs = vspace(x), vspace(y)
    x_v, y_v = x_vs.randn(), y_vs.randn()
    vjp_y = x_vs.covector(vjp(y_vs.covector(y_v)))
    if vspace(vjp_y) != x_vs:
        raise AssertionError(f"VJP of {get_name(f)} has the wrong space:\n{vspace(vjp_y)}\n"
                             f"expected\n{x_vs}")
    exact = x_vs.inner_prod(x_v, vjp_y)
    numeric = y_vs.inner_prod(y_v, jvp(x_v))
    assert scalar_close(numeric, exact), (
        f"Derivative (VJP) check of {get_name(f)} failed with arg {x}:\n"
        f"analytic: {exact}\nnumeric:  {numeric}")


def check_jvp(f, x):
    """The forward-mode product against central differences along a random tangent."""
    jvp = make_jvp(f, x)
    jvp_numeric = make_numerical_jvp(f, x)
    x_v = vspace(x).randn()
    check_equivalent(jvp(x_v)[1], jvp_numeric(x_v))


def check_equivalent(x, y):
    x_vs, y_vs = vspace(x), vspace(y)
    assert x_vs == y_vs, f"VSpace mismatch:\nx: {x_vs}\ny: {y_vs}"
    v = x_vs.randn()
    assert scalar_close(x_vs.inner_prod(x, v), x_vs.inner_prod(y, v)), (
        f"Value mismatch:\nx: {x}\ny: {y}")


@unary_to_nary
def check_grads(f, x, modes=None, order=2):
    """Check ``f``'s derivatives with respect to argument ``argnum`` at the given
    arguments; raises AssertionError naming the failing check.

    >>> import ndgrad.autograd.numpy as np
    >>> check_grads(lambda x: np.sin(x) * x, modes=["fwd", "rev"], order=2)(np.array([0.5]))
    """
    modes = ["fwd", "rev"] if modes is None else list(modes)
    bad = [m for m in modes if m not in ("fwd", "rev")]
    if bad:
        raise ValueError(f"check_grads modes must be 'fwd' and/or 'rev'; got {bad}")
    if "fwd" in modes:
        check_jvp(f, x)
        if order > 1:
            def jvp_f(x, v):
                return make_jvp(f, x)(v)[1]
            jvp_f.__name__ = f"jvp_{get_name(f)}"
            v = vspace(x).randn()
            check_grads(jvp_f, (0, 1), modes, order=order - 1)(x, v)
    if "rev" in modes:
        check_vjp(f, x)
        if order > 1:
            def vjp_f(x, v):
                return make_vjp(f, x)[0](v)
            vjp_f.__name__ = f"vjp_{get_name(f)}"
            v = vspace(f(x)).randn()
            check_grads(vjp_f, (0, 1), modes, order=order - 1)(x, v)


def combo_check(fun, *args, **kwargs):
    """``combo_check(fun, argnums, modes=..., order=...)(arg_lists..., kw=[values])``:
    ``check_grads`` on every combination of the listed argument values."""
    def checker(f):
        return check_grads(f, *args, **kwargs)

    def _combo_check(*arg_lists, **kwarg_lists):
        kw_pairs = [[(k, v) for v in vs] for k, vs in kwarg_lists.items()]
        for a in product(*arg_lists):
            for kw in product(*kw_pairs):
                checker(fun)(*a, **dict(kw))
    return _combo_check

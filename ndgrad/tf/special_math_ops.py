"""TF's special functions (``tf.erf``, ``tf.lgamma``, ``tf.digamma``, ``tf.math.erfinv``,
``igamma``, ``xlogy`` ...): ndgrad's differentiable SciPy special ops (``ndgrad.scipy``,
which needs SciPy) applied in the graph or eagerly.

>>> import ndgrad.tf as tf
>>> with tf.Session() as s:
...     print(s.run(tf.erf(tf.constant([0.0, 1.0]))))
[0.        0.8427008]
"""
from __future__ import annotations

from .._ops.registry import apply, REGISTRY
from .framework import build, convert_same
from .math_ops import _x

__all__ = ["erf", "erfc", "erfinv", "erfcinv", "ndtri", "lgamma", "digamma", "polygamma",
           "igamma", "igammac", "xlogy", "xlog1py"]


def _op(name):
    """The registry op ``scipy.special.<name>`` (registered when ``ndgrad.scipy.special``
    is imported; SciPy computes its values)."""
    key = "scipy.special." + name
    if key not in REGISTRY:
        try:
            import ndgrad.scipy.special  # noqa: F401
        except ImportError as e:
            raise ImportError(f"tf.{name} needs SciPy (pip install scipy): {e}") from None
    return REGISTRY[key]


def _make(sp_name, tf_type, arity):
    """TF's ``tf.math.<name>`` over ``scipy.special.<sp_name>``: ``f(x)`` or ``f(a, x)``
    (two operands converted together, as TF's op builder does)."""
    def g(args):
        if arity == 1:
            return apply(_op(sp_name), (_x(args[0], name="x"),))
        u, v = convert_same(list(args), names=("a", "x"), op_type=tf_type)
        return apply(_op(sp_name), (u, v))

    if arity == 1:
        def f(x, name=None):
            return build(name, tf_type, lambda: g((x,)), graph_args=(x,))
    else:
        def f(a, x, name=None):
            return build(name, tf_type, lambda: g((a, x)), graph_args=(a, x))
    return f


# TF name: (scipy.special name, TF op type, number of operands)
_FUNCTIONS = {"erf": ("erf", "Erf", 1), "erfc": ("erfc", "Erfc", 1),
              "erfinv": ("erfinv", "Erfinv", 1), "erfcinv": ("erfcinv", "Erfcinv", 1),
              "ndtri": ("ndtri", "Ndtri", 1), "lgamma": ("gammaln", "Lgamma", 1),
              "digamma": ("digamma", "Digamma", 1),
              "polygamma": ("polygamma", "Polygamma", 2), "igamma": ("gammainc", "Igamma", 2),
              "igammac": ("gammaincc", "Igammac", 2), "xlogy": ("xlogy", "Xlogy", 2),
              "xlog1py": ("xlog1py", "Xlog1py", 2)}

for _n, (_s, _t, _k) in _FUNCTIONS.items():
    _f = _make(_s, _t, _k)
    _f.__name__ = _f.__qualname__ = _n
    _f.__doc__ = (f"TF's ``tf.math.{_n}`` (op type ``{_t}``), elementwise"
                  f"{' with broadcasting' if _k == 2 else ''}: ``scipy.special.{_s}`` with "
                  "its gradient (needs SciPy).")
    globals()[_n] = _f

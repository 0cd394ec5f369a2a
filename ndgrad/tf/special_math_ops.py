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


def _unary(sp_name, tf_type):
    def f(x, name=None):
        return build(name, tf_type, lambda: apply(_op(sp_name), (_x(x, name="x"),)),
                     graph_args=(x,))
    return f


def _binary(sp_name, tf_type):
    def f(a, x, name=None):
        def g():
            u, v = convert_same([a, x], names=("a", "x"), op_type=tf_type)
            return apply(_op(sp_name), (u, v))
        return build(name, tf_type, g, graph_args=(a, x))
    return f


_UNARY = {"erf": ("erf", "Erf"), "erfc": ("erfc", "Erfc"), "erfinv": ("erfinv", "Erfinv"),
          "erfcinv": ("erfcinv", "Erfcinv"), "ndtri": ("ndtri", "Ndtri"),
          "lgamma": ("gammaln", "Lgamma"), "digamma": ("digamma", "Digamma")}
_BINARY = {"polygamma": ("polygamma", "Polygamma"), "igamma": ("gammainc", "Igamma"),
           "igammac": ("gammaincc", "Igammac"), "xlogy": ("xlogy", "Xlogy"),
           "xlog1py": ("xlog1py", "Xlog1py")}

for _n, (_s, _t) in _UNARY.items():
    _f = _unary(_s, _t)
    _f.__name__ = _f.__qualname__ = _n
    _f.__doc__ = (f"TF's ``tf.math.{_n}`` (op type ``{_t}``), elementwise: "
                  f"``scipy.special.{_s}`` with its gradient (needs SciPy).")
    globals()[_n] = _f
for _n, (_s, _t) in _BINARY.items():
    _f = _binary(_s, _t)
    _f.__name__ = _f.__qualname__ = _n
    _f.__doc__ = (f"TF's ``tf.math.{_n}`` (op type ``{_t}``), elementwise with "
                  f"broadcasting: ``scipy.special.{_s}`` with its gradient (needs SciPy).")
    globals()[_n] = _f

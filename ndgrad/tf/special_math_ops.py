"""TF's special functions (``tf.erf``, ``tf.lgamma``, ``tf.digamma``, ``tf.math.erfinv``,
``igamma`` ...): ndgrad's differentiable SciPy special ops (``ndgrad.scipy``,
which needs SciPy) applied in the graph or eagerly.

>>> import ndgrad.tf as tf
>>> with tf.Session() as s:
...     print(s.run(tf.erf(tf.constant([0.0, 1.0]))))
[0.        0.8427008]
"""
from __future__ import annotations

import numpy as np

from .._ops.registry import apply, REGISTRY
from .framework import build, convert_same
from .math_ops import _dt, _nd, _x
from .op_dtypes import refuse

__all__ = ["erf", "erfc", "erfinv", "erfcinv", "ndtri", "lgamma", "digamma", "polygamma",
           "igamma", "igammac"]


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


# the dtypes TF 2.15's kernels take (bfloat16 aside, which ndgrad has not)
_REAL = ("float16", "float32", "float64")
_ALLOWED = {"Igamma": ("float32", "float64"), "Igammac": ("float32", "float64"),
            "Polygamma": ("float32", "float64"), "Erfinv": ("float32", "float64"),
            "Ndtri": ("float32", "float64"), "Erfcinv": ("float32", "float64")}


def _checked(t, tf_type, param):
    """``t``'s dtype, where TF's kernel has one for it; else TF's TypeError."""
    return refuse(_dt(t), _ALLOWED.get(tf_type, _REAL), param, f"op {tf_type}")


def _make(sp_name, tf_type, arity):
    """TF's ``tf.math.<name>`` over ``scipy.special.<sp_name>``: ``f(x)`` or ``f(a, x)``
    (two operands converted together, as TF's op builder does). The result has the
    operands' dtype, as TF's kernels give: SciPy's loops return float64 for float16
    (``erf``, ``xlogy`` ...), which is rounded back here."""
    def g(args):
        if arity == 1:
            u = _x(args[0], name="x")
            dt = _checked(u, tf_type, "x")
            r = apply(_op(sp_name), (u,))
        else:
            u, v = convert_same(list(args), names=("a", "x"), op_type=tf_type)
            dt = _checked(u, tf_type, "a")
            if tf_type == "Polygamma":
                # (TF's PolygammaGrad gives the order n no gradient: None, not an error)
                from .math_ops import stop_gradient
                u = stop_gradient(u)
            r = apply(_op(sp_name), (u, v))
        return r if np.dtype(_dt(r)) == dt else _nd.astype(r, dt)

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
              "igammac": ("gammaincc", "Igammac", 2)}

# TF name: (the operand, the call, what TF prints), typed from TensorFlow's output (in
# float64: TF's float32 kernels of erf, digamma ... differ from the correctly rounded
# values in the last place)
_EXAMPLES = {
    "erf": ("[-1.0, 0.0, 0.5]", "tf.erf(x)", "[-0.84270079  0.          0.52049988]"),
    "erfc": ("[0.0, 1.0, 2.0]", "tf.erfc(x)", "[1.         0.15729921 0.00467773]"),
    "erfinv": ("[0.0, 0.5, -0.5]", "tf.math.erfinv(x)",
               "[ 0.          0.47693628 -0.47693628]"),
    "erfcinv": ("[1.0, 0.5, 1.5]", "tf.math.erfcinv(x)",
                "[-0.          0.47693628 -0.47693628]"),
    "ndtri": ("[0.5, 0.975]", "tf.math.ndtri(x)", "[0.         1.95996398]"),
    "lgamma": ("[0.5, 1.0, 10.0]", "tf.lgamma(x)", "[ 0.57236494  0.         12.80182748]"),
    "digamma": ("[1.0, 2.0]", "tf.digamma(x)", "[-0.57721566  0.42278434]"),
    "polygamma": ("[1.0, 2.0]", "tf.polygamma(x, [1.0, 1.0])", "[ 1.64493407 -2.40411381]"),
    "igamma": ("1.0", "tf.igamma(x, [1.0, 2.0])", "[0.63212056 0.86466472]"),
    "igammac": ("1.0", "tf.igammac(x, [1.0, 2.0])", "[0.36787944 0.13533528]"),
}


def _doc(name, sp_name, tf_type, arity):
    x, call, want = _EXAMPLES[name]
    return (f"TF's ``tf.math.{name}`` (op type ``{tf_type}``), elementwise"
            f"{' with broadcasting' if arity == 2 else ''}: ``scipy.special.{sp_name}`` "
            "with its gradient (needs SciPy).\n\n"
            "    >>> import ndgrad.tf as tf\n"
            f"    >>> x = tf.constant({x}, tf.float64)\n"
            "    >>> with tf.Session() as s:\n"
            f"    ...     print(s.run({call}))\n"
            f"    {want}\n    ")


for _n, (_s, _t, _k) in _FUNCTIONS.items():
    _f = _make(_s, _t, _k)
    _f.__name__ = _f.__qualname__ = _n
    _f.__doc__ = _doc(_n, _s, _t, _k)
    globals()[_n] = _f
del _n, _s, _t, _k, _f


def lbeta(x, name=None):
    """TF's ``tf.lbeta`` / ``tf.math.lbeta``: the log of the multivariate Beta function
    over the last axis, ``sum(lgamma(x), -1) - lgamma(sum(x, -1))`` (TF's formula and
    hence its gradient). An empty last axis gives ``-inf`` (``0 - lgamma(0)``); a scalar
    has no last axis (ValueError). Needs SciPy.

    >>> import ndgrad.tf as tf
    >>> x = tf.constant([[1.0, 2.0, 3.0], [0.5, 0.5, 4.0]], tf.float64)
    >>> with tf.Session() as s:
    ...     print(s.run(tf.lbeta(x)))
    ...     print(s.run(tf.lbeta(tf.zeros([2, 0]))))
    [-4.09434456 -0.24156448]
    [-inf -inf]
    """
    from . import math_ops as M

    def f():
        t = _x(x, name="x")
        import numpy as np
        from ..graph.core import Tensor
        symbolic = isinstance(t, Tensor)
        dt = t._np_dtype if symbolic else np.dtype(t.dtype)
        if np.dtype(dt) not in (np.float16, np.float32, np.float64):
            raise TypeError(f"Value passed to parameter 'x' has DataType {np.dtype(dt).name} "
                            f"not in list of allowed values: bfloat16, float16, float32, "
                            f"float64")
        shape = t._shape if symbolic else tuple(t.shape)
        if shape is not None and len(shape) == 0:
            # (TF's Sum refuses axis -1 of a scalar; ndgrad's reduce_sum lets it through)
            raise ValueError("Invalid reduction dimension -1 for input with 0 dimensions. "
                             f"for 'lbeta/Sum' (op: 'Sum') with input shapes: [], [1].")
        # (reduce_sum([]) = 0 and lgamma(0) = inf: an empty last axis gives -inf)
        log_prod_gamma_x = M.reduce_sum(lgamma(t), axis=[-1])
        log_gamma_sum_x = lgamma(M.reduce_sum(t, axis=[-1]))
        return log_prod_gamma_x - log_gamma_sum_x
    return build(name, "lbeta", f, graph_args=(x,))


__all__.append("lbeta")

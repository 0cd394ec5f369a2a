"""``tf.gradients`` and the graph-collection helpers."""
from __future__ import annotations

import enum

import numpy as np

from ..graph.core import get_default_graph
from ..graph.gradients import gradients as _gradients, note_sparse_rows, sparse_rows

__all__ = ["gradients", "hessians", "UnconnectedGradients", "AggregationMethod", "get_collection",
           "get_collection_ref", "add_to_collection",
           "add_to_collections", "newaxis"]

newaxis = None


def gradients(ys, xs, grad_ys=None, name="gradients", colocate_gradients_with_ops=False,
              gate_gradients=False, aggregation_method=None, stop_gradients=None,
              unconnected_gradients="none", _only_ops=None):
    """Symbolic derivatives of ``sum(ys)`` with respect to each of ``xs``: a list, None
    where ``ys`` do not depend on an x. Built from the same gradient rules as eager mode.

    Complex values follow TF's convention: the gradient of ``a * z`` is ``conj(a)``
    times the incoming gradient (ndgrad's rules, like autograd's, give ``a`` times it),
    so a real loss's gradient is ``dL/dRe(z) + i dL/dIm(z)``, the direction TF's
    optimizers step along.

    >>> import ndgrad.tf as tf
    >>> z = tf.constant(3 + 4j, dtype=tf.complex128)
    >>> one = tf.constant(1 + 0j, tf.complex128)
    >>> tf.Session().run(tf.gradients((1 + 2j) * z, z, grad_ys=one))
    [np.complex128(1-2j)]

    A complex y needs its ``grad_ys`` (TF's TypeError otherwise: no natural 1 for it).
    """
    unconnected = getattr(unconnected_gradients, "value", unconnected_gradients)
    if unconnected not in ("none", "zero"):
        raise ValueError(f"Unknown value for unconnected_gradients: {unconnected!r}")
    if aggregation_method not in (None, 0, 1, 2):
        raise ValueError(f"Invalid aggregation_method specified {aggregation_method!r}.")
    _complex_ys_need_grad_ys(ys, grad_ys)
    if grad_ys is not None:
        single = not isinstance(grad_ys, (list, tuple))
        gl = [grad_ys] if single else list(grad_ys)
        gl = [None if g is None else _conj_if_complex(g) for g in gl]
        grad_ys = gl[0] if single else gl
    out = _gradients(ys, xs, grad_ys=grad_ys, name=name, stop_gradients=stop_gradients,
                     only_ops=_only_ops)
    out = [None if g is None else _sparse_conj(g) for g in out]
    if unconnected == "zero":
        from .math_ops import zeros_like
        xl = xs if isinstance(xs, (list, tuple)) else [xs]
        out = [zeros_like(x) if g is None else g for g, x in zip(out, xl)]
    return out


def hessians(ys, xs, name="hessians", colocate_gradients_with_ops=False,
             gate_gradients=False, aggregation_method=None):
    """For each x in ``xs``, the Hessian of ``sum(ys)``: the gradient of each element of
    ``tf.gradients(ys, x)`` with respect to ``x``, of shape ``x.shape + x.shape``.

    As TF's: built from gradients of gradients (so any op with a differentiable gradient
    rule works), and a ValueError where the gradient does not depend on ``x`` at first or
    second order (``ys`` constant or linear in ``x``: TF's TensorArray refuses the None
    gradient) -- here also where ``x``'s shape is not fully known when the graph is built
    (TF loops over the elements at run time; ndgrad builds one gradient per element).

    >>> import ndgrad.tf as tf
    >>> x = tf.constant([1.0, 2.0])
    >>> h, = tf.hessians(tf.reduce_sum(x ** 3), x)
    >>> tf.Session().run(h)
    array([[ 6.,  0.],
           [ 0., 12.]], dtype=float32)
    """
    from . import math_ops as M
    from .framework import convert_to_tensor
    xl = list(xs) if isinstance(xs, (list, tuple)) else [xs]
    first = gradients(ys, xl, name=name, aggregation_method=aggregation_method)
    out = []
    for k, (g, x) in enumerate(zip(first, xl)):
        x = convert_to_tensor(x)
        if g is None:
            raise ValueError(f"hessians: ys do not depend on xs[{k}] ({x!r})")
        shape = M._static_shape(x)
        if shape is None or None in shape:
            raise ValueError(f"hessians: the shape of xs[{k}] ({x!r}) must be fully known "
                             f"when the graph is built, got {shape}")
        flat = M.reshape(g, [-1])
        rows = []
        for j in range(int(np.prod(shape, dtype=np.int64))):
            h = gradients(flat[j], x, name=name)[0]
            if h is None:
                raise ValueError(f"hessians: the gradient of ys with respect to xs[{k}] "
                                 f"({x!r}) does not depend on it (ys are linear in it); "
                                 "its Hessian is zero")
            rows.append(h)
        if not rows:
            out.append(M.zeros(list(shape) * 2, dtype=x.dtype))
            continue
        out.append(M.reshape(M.stack(rows), list(shape) * 2))
    return out


def _complex_ys_need_grad_ys(ys, grad_ys):
    """TF's rule: a complex y's cotangent must be given (there is no natural 1 for it)."""
    from .framework import convert_to_tensor, np_dtype
    yl = ys if isinstance(ys, (list, tuple)) else [ys]
    gl = (grad_ys if isinstance(grad_ys, (list, tuple)) else [grad_ys]) \
        if grad_ys is not None else [None] * len(yl)
    for y, g in zip(yl, gl):
        if g is None:
            dt = np_dtype(convert_to_tensor(y).dtype)
            if dt.kind == "c":
                raise TypeError(f"Gradients of complex tensors must set grad_ys (y.dtype = "
                                f"tf.{dt.name})")


class UnconnectedGradients(enum.Enum):
    """What ``tf.gradients`` gives for an x that the ys do not depend on: None (``NONE``,
    the default) or zeros of x's shape (``ZERO``).

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default():
    ...     x, y = tf.constant(1.0), tf.constant(2.0)
    ...     zero = tf.UnconnectedGradients.ZERO
    ...     print(tf.Session().run(tf.gradients(y, x, unconnected_gradients=zero)))
    [np.float32(0.0)]
    """
    NONE = "none"
    ZERO = "zero"


class AggregationMethod:
    """TF's names for how ``tf.gradients`` sums the cotangents of a tensor used several
    times; ndgrad sums them one way whichever is named (the sum is the same up to the
    order of floating-point additions).

    >>> import ndgrad.tf as tf
    >>> tf.AggregationMethod.ADD_N
    0
    """
    ADD_N = 0
    DEFAULT = ADD_N
    EXPERIMENTAL_TREE = 1
    EXPERIMENTAL_ACCUMULATE_N = 2


def _sparse_conj(g):
    """``_conj_if_complex``, keeping the rows a sparse gradient is zero outside."""
    c = _conj_if_complex(g)
    if c is not g:
        note_sparse_rows(c, sparse_rows(g))
    return c


def _conj_if_complex(g):
    """TF's complex-gradient convention from ndgrad's (autograd's): conjugated
    cotangents in and out."""
    from .framework import convert_to_tensor, np_dtype
    from ..graph.stdns import std as _nd
    t = convert_to_tensor(g)
    return _nd.conj(t) if np_dtype(t.dtype).kind == "c" else g


def get_collection(key, scope=None):
    """A copy of the default graph's collection ``key``; with ``scope``, only the items
    whose name starts with it.

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default():
    ...     with tf.name_scope("a"):
    ...         x = tf.Variable(1.0, name="x")
    ...     y = tf.Variable(2.0, name="y")
    ...     print([v.name for v in tf.get_collection(tf.GraphKeys.GLOBAL_VARIABLES, "a")])
    ['a/x:0']
    """
    return get_default_graph().get_collection(key, scope)


def get_collection_ref(key):
    """The default graph's collection ``key`` itself (a list: changing it changes the
    collection; ``get_collection`` gives a copy).

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default():
    ...     ref = tf.get_collection_ref("things")
    ...     ref.append(1)
    ...     copy = tf.get_collection("things")
    ...     copy.append(2)
    ...     print(tf.get_collection("things"), ref)
    [1] [1]
    """
    return get_default_graph().get_collection_ref(key)


def add_to_collection(name, value):
    """Appends ``value`` to the default graph's collection ``name``.

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default():
    ...     tf.add_to_collection("my", tf.constant(1.0, name="one"))
    ...     tf.add_to_collection("my", tf.constant(2.0, name="two"))
    ...     print([t.name for t in tf.get_collection("my")])
    ['one:0', 'two:0']
    """
    get_default_graph().add_to_collection(name, value)


def add_to_collections(names, value):
    """Appends ``value`` to each of the default graph's collections ``names``.

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default():
    ...     tf.add_to_collections(["a", "b"], 3.0)
    ...     print(tf.get_collection("a"), tf.get_collection("b"))
    [3.0] [3.0]
    """
    get_default_graph().add_to_collections(names, value)

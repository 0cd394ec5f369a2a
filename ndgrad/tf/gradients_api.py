"""``tf.gradients`` and the graph-collection helpers."""
from __future__ import annotations

from ..graph.core import get_default_graph
from ..graph.gradients import gradients as _gradients, note_sparse_rows, sparse_rows

__all__ = ["gradients", "get_collection", "get_collection_ref", "add_to_collection",
           "add_to_collections", "newaxis"]

newaxis = None


def gradients(ys, xs, grad_ys=None, name="gradients", colocate_gradients_with_ops=False,
              gate_gradients=False, aggregation_method=None, stop_gradients=None,
              unconnected_gradients="none"):
    """Symbolic derivatives of ``sum(ys)`` with respect to each of ``xs``: a list, None
    where ``ys`` do not depend on an x. Built from the same gradient rules as eager mode.

    Complex values follow TF's convention: the gradient of ``a * z`` is ``conj(a)``
    times the incoming gradient (ndgrad's rules, like autograd's, give ``a`` times it),
    so a real loss's gradient is ``dL/dRe(z) + i dL/dIm(z)``, the direction TF's
    optimizers step along.

    >>> import ndgrad.tf as tf
    >>> z = tf.constant(3 + 4j, dtype=tf.complex128)
    >>> tf.Session().run(tf.gradients((1 + 2j) * z, z))
    [np.complex128(1-2j)]
    """
    if grad_ys is not None:
        single = not isinstance(grad_ys, (list, tuple))
        gl = [grad_ys] if single else list(grad_ys)
        gl = [None if g is None else _conj_if_complex(g) for g in gl]
        grad_ys = gl[0] if single else gl
    out = _gradients(ys, xs, grad_ys=grad_ys, name=name, stop_gradients=stop_gradients)
    out = [None if g is None else _sparse_conj(g) for g in out]
    if unconnected_gradients == "zero":
        from .math_ops import zeros_like
        xl = xs if isinstance(xs, (list, tuple)) else [xs]
        out = [zeros_like(x) if g is None else g for g, x in zip(out, xl)]
    return out


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

"""``tf.gradients`` and the graph-collection helpers."""
from __future__ import annotations

from ..graph.core import get_default_graph
from ..graph.gradients import gradients as _gradients

__all__ = ["gradients", "get_collection", "get_collection_ref", "add_to_collection",
           "add_to_collections", "newaxis"]

newaxis = None


def gradients(ys, xs, grad_ys=None, name="gradients", colocate_gradients_with_ops=False,
              gate_gradients=False, aggregation_method=None, stop_gradients=None,
              unconnected_gradients="none"):
    """Symbolic derivatives of ``sum(ys)`` with respect to each of ``xs``: a list, None
    where ``ys`` do not depend on an x. Built from the same gradient rules as eager mode.
    """
    out = _gradients(ys, xs, grad_ys=grad_ys, name=name, stop_gradients=stop_gradients)
    if unconnected_gradients == "zero":
        from .math_ops import zeros_like
        xl = xs if isinstance(xs, (list, tuple)) else [xs]
        out = [zeros_like(x) if g is None else g for g, x in zip(out, xl)]
    return out


def get_collection(key, scope=None):
    return get_default_graph().get_collection(key, scope)


def get_collection_ref(key):
    return get_default_graph().get_collection_ref(key)


def add_to_collection(name, value):
    get_default_graph().add_to_collection(name, value)


def add_to_collections(names, value):
    get_default_graph().add_to_collections(names, value)

"""Lazy graphs of ndgrad's registry ops (TensorFlow 1 style), and a Session to run them.

Graph mode is another way of applying the ops of ``ndgrad._ops``: an ndgrad function
given a symbolic ``Tensor`` adds a node to its ``Graph``; ``Session.run`` computes the
nodes a fetch needs with a plan compiled once per (fetches, feed keys);
``gradients`` builds the backward pass from the same gradient rules as eager mode.
The TensorFlow names and argument conventions live in ``ndgrad.tf``.
"""
from __future__ import annotations

from .shape import Dimension, TensorShape, as_shape, as_dimension  # noqa: F401
from .core import (Graph, Operation, Tensor, get_default_graph,  # noqa: F401
                   reset_default_graph, graph_apply, gradient_mode, broadcast_static)
from .session import Session, InteractiveSession, get_default_session  # noqa: F401
from .gradients import gradients  # noqa: F401
from . import errors, dynamic  # noqa: F401

__all__ = ["Dimension", "TensorShape", "Graph", "Operation", "Tensor", "get_default_graph",
           "reset_default_graph", "Session", "InteractiveSession", "get_default_session",
           "gradients", "errors"]

"""Pictures of graphs: ``to_dot`` (Graphviz DOT text, no dependency) and ``render`` (SVG/PNG
through the ``graphviz`` package, extra ``viz``).

>>> import ndgrad.tf as tf, ndgrad.viz as viz
>>> g = tf.Graph()
>>> with g.as_default():
...     x = tf.placeholder(tf.float32, (None, 2), name="x")
...     with tf.name_scope("layer"):
...         y = tf.matmul(x, tf.ones((2, 3)), name="y")
>>> print(viz.to_dot(y))                        # doctest: +NORMALIZE_WHITESPACE
digraph G {
  rankdir=BT; node [shape=box, style="rounded,filled", fillcolor="#f5f5f5", fontname="Helvetica", fontsize=10]; edge [fontname="Helvetica", fontsize=9];
  "x" [label=<x<br/><b>Placeholder</b><br/>(?, 2) float32>, fillcolor="#fff2cc"];
  subgraph "cluster_layer" {
    label="layer"; style="rounded,dashed"; color="#888888";
    "layer/ones" [label=<ones<br/><b>Const</b><br/>(2, 3) float32>, fillcolor="#e8e8e8"];
    "layer/y" [label=<y<br/><b>MatMul</b><br/>(?, 3) float32>];
  }
  "x" -> "layer/y" [label="(?, 2)"];
  "layer/ones" -> "layer/y" [label="(2, 3)"];
}
"""
from .dot import to_dot, render  # noqa: F401

__all__ = ["to_dot", "render"]

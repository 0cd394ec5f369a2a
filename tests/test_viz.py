"""ndgrad.viz: DOT text of graphs, fetch subgraphs and eager gradient graphs (parsed back
with a small DOT reader here), and rendering through Graphviz where it is installed."""
import re
import shutil

import numpy as np
import pytest

import ndgrad as nd
import ndgrad.tf as tf
import ndgrad.viz as viz


def _parse(dot):
    """(nodes {id: label text}, edges [(a, b, attrs)], clusters {name: [node ids]})."""
    nodes, edges, clusters, stack = {}, [], {}, []
    for line in dot.splitlines():
        line = line.strip()
        m = re.match(r'subgraph "cluster_(.*)" \{', line)
        if m:
            stack.append(m.group(1))
            clusters[m.group(1)] = []
            continue
        if line == "}" and stack:
            stack.pop()
            continue
        m = re.match(r'"(.*)" -> "(.*)"(?: \[(.*)\])?;', line)
        if m:
            edges.append(m.groups())
            continue
        m = re.match(r'"(.*)" \[label=<(.*)>(.*)\];', line)
        if m:
            nodes[m.group(1)] = re.sub(r"<br/>", "|", re.sub(r"</?b>", "", m.group(2)))
            for c in stack:
                clusters[c].append(m.group(1))
    assert dot.startswith("digraph G {") and dot.rstrip().endswith("}")
    return nodes, edges, clusters


@pytest.fixture
def graph():
    g = tf.Graph()
    with g.as_default():
        x = tf.placeholder(tf.float32, (None, 3), name="x")
        with tf.variable_scope("lin"):
            w = tf.get_variable("w", (3, 1))
            y = tf.matmul(x, w, name="pred") + 1.0
        with tf.name_scope("loss"):
            loss = tf.reduce_mean(y ** 2)
        train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    return g, x, w, loss, train


def test_whole_graph_has_every_op_with_type_shape_dtype(graph):
    g, x, w, loss, train = graph
    nodes, edges, clusters = _parse(viz.to_dot(g))
    assert set(nodes) == {op.name for op in g.get_operations()}
    assert nodes["x"] == "x|Placeholder|(?, 3) float32"
    assert nodes["lin/w"] == "w|VariableV2|(3, 1) float32"
    assert nodes["lin/pred"] == "pred|MatMul|(?, 1) float32"
    assert ("x", "lin/pred", 'label="(?, 3)"') in edges
    assert {"lin/w", "lin/pred"} <= set(clusters["lin"])
    assert "loss/Mean" in clusters["loss"] and "x" not in clusters["lin"]
    assert "lin/w/Initializer" in clusters          # nested scopes nest clusters
    assert set(clusters["lin/w/Initializer"]) <= set(clusters["lin/w"]) <= set(
        clusters["lin"])
    # control dependencies are dashed
    assert any(b == train.name and "dashed" in (a_ or "") for _, b, a_ in edges)


def test_fetch_subgraph_only_has_what_the_fetch_needs(graph):
    g, x, w, loss, train = graph
    nodes, edges, _ = _parse(viz.to_dot(loss))
    assert "loss/Mean" in nodes and "lin/w" in nodes and "x" in nodes
    assert not any(n.startswith("gradients") or n.endswith("Assign") for n in nodes)
    both, _, _ = _parse(viz.to_dot([loss, w.initializer]))
    assert "lin/w/Assign" in both
    with pytest.raises(TypeError, match="cannot draw"):
        viz.to_dot(3.0)
    g2 = tf.Graph()
    with g2.as_default():
        other = tf.constant(1.0)
    with pytest.raises(ValueError, match="different graphs"):
        viz.to_dot([loss, other])


def test_eager_gradient_graph():
    x = nd.asarray(np.ones((2, 3)), requires_grad=True)
    w = nd.asarray(np.ones(3, np.float32))
    y = nd.sum(nd.sin(x) * w, axis=1)
    nodes, edges, _ = _parse(viz.to_dot(y))
    labels = sorted(nodes.values())
    assert "sum|op|(2,) float64" in labels
    assert "input|leaf|(2, 3) float64" in labels
    assert "sin|op|(2, 3) float64" in labels     # dtype from multiply's saved input
    assert any(v.startswith("multiply|op|(2, 3)") for v in labels)
    assert len(edges) == 3          # leaf -> sin -> multiply -> sum (w is a constant)
    with pytest.raises(ValueError, match="no gradient graph"):
        viz.to_dot(nd.asarray([1.0]))


def test_render_svg_and_png(graph, tmp_path):
    pytest.importorskip("graphviz")
    if shutil.which("dot") is None:
        pytest.skip("Graphviz's dot program is not installed")
    g, x, w, loss, train = graph
    svg = viz.render(loss, str(tmp_path / "loss.svg"))
    text = open(svg).read()
    assert "<svg" in text and "MatMul" in text and "cluster_lin" in text
    png = viz.render(g, str(tmp_path / "g.png"))
    assert open(png, "rb").read(8) == b"\x89PNG\r\n\x1a\n"
    with pytest.raises(ValueError, match="format"):
        viz.render(g, str(tmp_path / "noext"))

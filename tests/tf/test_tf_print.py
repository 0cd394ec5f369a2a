"""``tf.print`` (logging_ops.py) against TensorFlow: each program below printed its
text under TF 2.15 (the graph programs under ``tensorflow.compat.v1``, the eager one
under TF 2's eager mode): number formats (float32's 6/9 and float64's 15/17 significant
digits, float16 widened, -0, nan, inf), bools, quoted and escaped strings, ``summarize``
at each end of every dimension, empty tensors, Python structures through
``pprint.pformat``, ``sep`` / ``end``, and the op's type. ndgrad.tf must print the same."""
import contextlib
import io
import sys

import numpy as np
import pytest

import ndgrad.tf as tf

GRAPH_PROGRAM = 'vals = [tf.constant([1.5, 2.0, 0.1, 1e-5, 123456789.0]), tf.constant(np.arange(12).reshape(3, 4)),\n        tf.constant(np.arange(20)), tf.constant(3.25, tf.float64), tf.constant([0.1, 1/3], tf.float64),\n        tf.constant(["ab", "c"]), tf.constant([True, False]), tf.constant(np.arange(60).reshape(3, 4, 5)),\n        tf.constant(np.float32(np.nan)), tf.constant([-np.inf, 0.0, -0.0], tf.float32), tf.constant(7, tf.int64)]\nops = [tf.print(v, output_stream=sys.stdout) for v in vals]\nops.append(tf.print("x =", vals[0], {"a": vals[3], "b": [vals[6], 5]}, output_stream=sys.stdout, sep="|", end="!\\n"))\nops.append(tf.print(vals[2], summarize=2, output_stream=sys.stdout))\nops.append(tf.print(vals[7], summarize=-1, output_stream=sys.stdout))\nwith tf.Session() as s:\n    for o in ops:\n        s.run(o); sys.stdout.flush()\nprint(type(ops[0]).__name__, ops[0].name if hasattr(ops[0], "name") else "")\n'

GRAPH_TF_2_15_OUTPUT = '[1.5 2 0.1 1e-05 123456792]\n[[0 1 2 3]\n [4 5 6 7]\n [8 9 10 11]]\n[0 1 2 ... 17 18 19]\n3.25\n[0.1 0.33333333333333331]\n["ab" "c"]\n[1 0]\n[[[0 1 2 3 4]\n  [5 6 7 8 9]\n  [10 11 12 13 14]\n  [15 16 17 18 19]]\n\n [[20 21 22 23 24]\n  [25 26 27 28 29]\n  [30 31 32 33 34]\n  [35 36 37 38 39]]\n\n [[40 41 42 43 44]\n  [45 46 47 48 49]\n  [50 51 52 53 54]\n  [55 56 57 58 59]]]\nnan\n[-inf 0 -0]\n7\nx =|[1.5 2 0.1 1e-05 123456792]|{\'a\': 3.25, \'b\': [[1 0], 5]}!\n[0 1 ... 18 19]\n[[[0 1 2 3 4]\n  [5 6 7 8 9]\n  [10 11 12 13 14]\n  [15 16 17 18 19]]\n\n [[20 21 22 23 24]\n  [25 26 27 28 29]\n  [30 31 32 33 34]\n  [35 36 37 38 39]]\n\n [[40 41 42 43 44]\n  [45 46 47 48 49]\n  [50 51 52 53 54]\n  [55 56 57 58 59]]]\nOperation PrintV2\n'

EDGE_PROGRAM = 'o = lambda *a, **k: tf.print(*a, output_stream=sys.stdout, **k)\nops = [\n  o(tf.zeros([0])), o(tf.zeros([2, 0])), o(tf.zeros([0, 3])),\n  o(tf.constant("just a string")), o(tf.constant(["new\\nline", "tab\\t", \'q"uote\', "é"])),\n  o(5, None, [1, "s"], (tf.constant(2),)),\n  o(tf.constant(np.arange(100).reshape(10, 10)), summarize=2),\n  o(tf.constant(np.arange(100).reshape(10, 10)), summarize=0),\n  o({"k" * 30: tf.constant([1, 2]), "z" * 30: list(range(12)), "m": "text"}),\n  o(tf.constant([1 + 2j, 0.5 - 1j], tf.complex64)),\n  o(tf.constant(np.float64(1e100)), tf.constant(np.float32(3.4e38)), tf.constant(np.float16(0.1))),\n  o(tf.constant(np.arange(8, dtype=np.uint8)), tf.constant([-1, 2], tf.int64)),\n  o("a", "b", sep=""),\n  o(),\n]\nwith tf.Session() as s:\n    for op in ops:\n        s.run(op); sys.stdout.flush()\n'

EDGE_TF_2_15_OUTPUT = '[]\n[\n ...]\n[]\njust a string\n["new\\nline" "tab\\t" "q\\"uote" "é"]\n5 None [1, \'s\'] (2,)\n[[0 1 ... 8 9]\n [10 11 ... 18 19]\n ...\n [80 81 ... 88 89]\n [90 91 ... 98 99]]\n[\n ...]\n{\'kkkkkkkkkkkkkkkkkkkkkkkkkkkkkk\': [1 2],\n \'m\': \'text\',\n \'zzzzzzzzzzzzzzzzzzzzzzzzzzzzzz\': [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]}\n[? ?]\n1e+100 3.4e+38 0.0999755859\n[0 1 2 ... 5 6 7] [-1 2]\nab\n\n'

EAGER_PROGRAM = 'x = tf.constant([[1.5, 2.0], [3.0, 4.0]])\nr = tf.print("eager:", x * 2, {"s": tf.reduce_sum(x)}, output_stream=sys.stdout)\nsys.stdout.flush()\nprint(r)\nv = tf.Variable([1.0, 2.0])\ntf.print(v, output_stream=sys.stdout); sys.stdout.flush()\n'

EAGER_TF_2_15_OUTPUT = "eager: [[3 4]\n [6 8]] {'s': 10.5}\nNone\n[1 2]\n"


def _run(program, eager=False):
    out = io.StringIO()
    if eager:
        tf.enable_eager_execution()
    try:
        with contextlib.redirect_stdout(out):
            # (the program names sys.stdout when it runs: the redirected stream)
            exec(program, {"tf": tf, "np": np, "sys": sys})
    finally:
        if eager:
            tf.disable_eager_execution()
    return out.getvalue()


@pytest.mark.parametrize("program, want", [(GRAPH_PROGRAM, GRAPH_TF_2_15_OUTPUT),
                                           (EDGE_PROGRAM, EDGE_TF_2_15_OUTPUT)])
def test_graph_mode_prints_what_tensorflow_prints(program, want):
    with tf.Graph().as_default():
        assert _run(program) == want


def test_eager_mode_prints_what_tensorflow_prints():
    assert _run(EAGER_PROGRAM, eager=True) == EAGER_TF_2_15_OUTPUT


def test_file_streams_and_logging_functions(tmp_path):
    path = tmp_path / "log.txt"
    seen = []
    with tf.Graph().as_default():
        a = tf.print("to a file", tf.constant([1, 2]), output_stream="file://" + str(path))
        b = tf.print("logged", output_stream=seen.append)
        with tf.Session() as s:
            s.run([a, b])
            s.run(a)
    assert path.read_text() == "to a file [1 2]\nto a file [1 2]\n"
    assert seen == ["logged"]
    with pytest.raises(ValueError, match="Unsupported output stream"):
        tf.print("x", output_stream="stdout")
    with pytest.raises(ValueError, match="Unrecognized keyword"):
        tf.print("x", file=sys.stdout)


def test_the_op_prints_only_when_run():
    out = io.StringIO()
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None])
        p = tf.print("x:", x, output_stream=out)
        with tf.control_dependencies([p]):
            y = x * 2.0
        assert out.getvalue() == ""
        with tf.Session() as s:
            assert s.run(y, {x: [1.0, 2.5]}).tolist() == [2.0, 5.0]
    assert out.getvalue() == "x: [1 2.5]\n"

"""compat/tf_examples (TensorFlow-Examples' TF1 programs under ndgrad.tf and TF): the
output comparison, the synthetic MNIST and the harness's shims, so that the tool itself
cannot silently pass."""
import os
import subprocess
import sys

import numpy as np
import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
TOOL = os.path.join(REPO, "compat", "tf_examples")


def _load(name, path):
    import importlib.util
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


_run = _load("tf_examples_run", os.path.join(TOOL, "run.py"))
synthetic_data = _load("tf_examples_synthetic_data", os.path.join(TOOL, "synthetic_data.py"))


def test_compare_flags_numbers_text_and_missing_lines():
    ok, text_ok, rows, n = _run.compare("loss= 0.10000 acc 0.5\n", "loss= 0.10001 acc 0.5\n",
                                        1e-4, 1e-6)
    assert ok and text_ok and n == 2
    ok, _, rows, _ = _run.compare("loss= 0.1000\n", "loss= 0.1010\n", 1e-4, 1e-6)
    assert not ok and rows[0][2] == "DIFFER"
    ok, text_ok, rows, _ = _run.compare("W= 1.0\n", "b= 1.0\n", 1e-4, 1e-6)
    assert ok and not text_ok and rows[0][2] == "text"
    ok, _, rows, _ = _run.compare("a 1\n", "a 1\nb 2\n", 1e-4, 1e-6)
    assert not ok and rows[1][2] == "COUNT"
    ok, _, _, _ = _run.compare("x nan\n", "x 1.0\n", 1e-4, 1e-6)
    assert not ok
    ok, _, _, _ = _run.compare("t 12 Examples/sec\n", "t 99 Examples/sec\n", 1e-4, 1e-6,
                               mask=r"\d+ Examples/sec")
    assert ok


def test_float64_rewrite_and_step_substitutions():
    src = 'x = tf.placeholder("float", [None])\ny = tf.cast(x, tf.float32)\nnum_steps = 500\n'
    out = _run.prepare(src, {r"(?m)^num_steps = 500": "num_steps = 5"}, float64=True)
    assert out == ('x = tf.placeholder("float64", [None])\ny = tf.cast(x, tf.float64)\n'
                   'num_steps = 5\n')
    with pytest.raises(ValueError, match="matched nothing"):
        _run.prepare(src, {r"training_epochs = 3": "training_epochs = 1"})
    assert _run.prepare('p = "/tmp/model.ckpt"', {}) == 'p = "./model.ckpt"'


def test_synthetic_mnist_has_the_readers_api_and_epoch_rollover(monkeypatch):
    monkeypatch.setenv("NDGRAD_TFEX_MNIST", "30,5,7")
    m = synthetic_data.read_data_sets("/nowhere", one_hot=True)
    assert m.train.images.shape == (30, 784) and m.train.images.dtype == np.float32
    assert m.train.labels.shape == (30, 10) and m.train.labels.dtype == np.float64
    assert (m.train.labels.sum(1) == 1).all() and m.test.num_examples == 7
    assert 0 <= m.train.images.min() and m.train.images.max() <= 1
    dense = synthetic_data.read_data_sets("/nowhere")
    assert dense.validation.labels.dtype == np.uint8 and dense.validation.labels.shape == (5,)
    np.testing.assert_array_equal(m.test.images, dense.test.images)  # deterministic
    seen = [m.train.next_batch(8) for _ in range(4)]  # 32 > 30: the last one rolls over
    assert [b[0].shape[0] for b in seen] == [8, 8, 8, 8] and m.train.epochs_completed == 1
    first_epoch = np.concatenate([b[0] for b in seen])[:30]
    assert sorted(map(bytes, first_epoch)) == sorted(map(bytes, dense.train.images))


PROGRAM = '''
import numpy as np
import tensorflow as tf
from tensorflow.examples.tutorials.mnist import input_data
mnist = input_data.read_data_sets("/tmp/data/", one_hot=True)
x = tf.placeholder(tf.float32, [None, 784])
y = tf.placeholder(tf.float32, [None, 10])
w = tf.Variable(tf.random_normal([784, 16], stddev=0.1))
h = tf.nn.dropout(tf.nn.relu(tf.matmul(x, w)), keep_prob=0.8)
h = tf.layers.dropout(h, rate=0.25, training=True)
logits = tf.layers.dense(h, 10)
eps = tf.random_normal(tf.shape(logits))
loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(logits=logits, labels=y))
train = tf.train.AdamOptimizer(0.01).minimize(loss + 0.0 * tf.reduce_sum(eps))
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    print("init %.6f %.6f" % (sess.run(tf.reduce_sum(w)),
                              sess.run(tf.reduce_sum(tf.trainable_variables()[1]))))
    for step in range(5):
        bx, by = mnist.train.next_batch(32)
        _, l, e = sess.run([train, loss, tf.reduce_sum(eps)], {x: bx, y: by})
        print("step %d loss %.6f eps %.6f" % (step, l, e))
'''


def _harness(python, side, tmp_path):
    d = tmp_path / side
    d.mkdir()
    (d / "prog.py").write_text(PROGRAM)
    env = dict(os.environ, PYTHONPATH=REPO, NDGRAD_TFEX_MNIST="200,20,20",
               TF_CPP_MIN_LOG_LEVEL="3")
    r = subprocess.run([python, os.path.join(TOOL, "harness.py"), side, "prog.py"], cwd=d,
                       env=env, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-3000:]
    return r.stdout


def test_harness_runs_a_tf1_program_under_ndgrad(tmp_path):
    out = _harness(sys.executable, "ndgrad", tmp_path)
    lines = out.splitlines()
    assert lines[0].startswith("init ") and len(lines) == 6
    # the same draws on a second run: the shims are deterministic
    again = tmp_path / "again"
    again.mkdir()
    assert _harness(sys.executable, "ndgrad", again) == out
    eps = [float(ln.split()[-1]) for ln in lines[1:]]
    assert len(set(eps)) == 5  # a run-time-shaped draw is drawn anew on every run


def test_harness_gives_both_sides_the_same_draws(tmp_path, tf_python):
    nd, tf = _harness(sys.executable, "ndgrad", tmp_path), _harness(tf_python, "tf", tmp_path)
    ok, text_ok, rows, n = _run.compare(nd, tf, 1e-5, 1e-6)
    assert ok and text_ok and n == 17, rows


def test_run_side_writes_the_programs_data_files_beside_it(tmp_path):
    """A suite's ``data`` option: the repository's files the program reads are written
    beside it, on each side, before it runs."""
    src = ("import numpy as np\n"
           "print(np.loadtxt('data/d.csv', delimiter=',').sum())\n")
    rc, out, err, _ = _run.run_side("ndgrad", sys.executable, (src, {}), "reads_data",
                                    str(tmp_path), 60, data={"data/d.csv": "1,2\n3,4.5\n"})
    assert rc == 0, err
    assert out.strip() == "10.5"
    assert (tmp_path / "reads_data.ndgrad" / "data" / "d.csv").read_text() == "1,2\n3,4.5\n"


def test_helper_modules_beside_the_program_import_the_sides_tensorflow(tmp_path):
    """A program's own helper module (CS20's ``import utils``, written beside it by
    ``data``) that imports tensorflow gets the side's TensorFlow (ndgrad.tf here), and
    ``synthetic`` writes the stand-ins the program reads (text8.zip)."""
    src = ("import os, utils\nfrom libs.deep import NAME\n"
           "print(utils.tf.__name__, utils.double(3.0), os.path.getsize('data/t8.zip') > 0,"
           " NAME)\n")
    helper = "import tensorflow as tf\ndef double(x):\n    return tf.Session().run(" \
             "tf.constant(x) * 2)\n"
    deep = "import tensorflow.examples.tutorials.mnist.input_data as d\nNAME = d.__name__\n"
    rc, out, err, _ = _run.run_side("ndgrad", sys.executable, (src, {}), "helper",
                                    str(tmp_path), 120,
                                    data={"utils.py": helper, "libs/__init__.py": "",
                                          "libs/deep.py": deep},
                                    synthetic={"text8": "data/t8.zip"})
    assert rc == 0, err
    assert out.split() == ["ndgrad.tf", "6.0", "True", "synthetic_data"]


def test_compare_ignores_numpys_column_padding_not_numbers():
    """NumPy pads a printed array's columns to its longest number: a float32 value one ulp
    away (one digit more) moves the padding, which is no difference; the numbers are
    still compared."""
    ok, text_ok, _, n = _run.compare("[0.2689414 0.5       0.7310586]\n",
                                     "[0.26894143 0.5        0.7310586 ]\n", 1e-4, 1e-6)
    assert ok and text_ok and n == 3
    ok, text_ok, _, _ = _run.compare(" [0.8647439 ]] b = [[1.1488467]]\n",
                                     " [0.86474395]] b = [[1.1488466]]\n", 1e-4, 1e-6)
    assert ok and text_ok
    ok, text_ok, _, _ = _run.compare("array([[-0.05868853,  0.00526696],\n",
                                     "array([[-0.0586885 ,  0.00526695],\n", 1e-4, 1e-6)
    assert ok and text_ok
    ok, _, rows, _ = _run.compare("[0.2689414 0.5]\n", "[0.26894143 0.6]\n", 1e-4, 1e-6)
    assert not ok and rows[0][2] == "DIFFER"
    _, text_ok, _, _ = _run.compare("A = [1.]\n", "b = [1.]\n", 1e-4, 1e-6)
    assert not text_ok


def test_compare_follows_numbers_across_numpys_line_wrapping():
    """A digit more moves numbers to the next line of a wrapped array (and may add a
    line): the numbers are then compared as one stream; a real difference, or a line of
    text that is not there, still fails."""
    nd = ("[0.7859379 0.7859379 3.867214  3.867214  3.867214\n"
          " 1.842544  2.2378378]\n")
    tf = ("[0.78593796 0.78593796 3.8672142  3.8672142\n"
          " 3.8672142  1.842544   2.2378378 ]\n")
    ok, text_ok, rows, n = _run.compare(nd, tf, 1e-4, 1e-6)
    assert ok and text_ok and n == 7 and all(m == "" for _, _, m in rows)
    ok, _, _, _ = _run.compare(nd, tf.replace("1.842544", "1.9"), 1e-4, 1e-6)
    assert not ok
    ok, text_ok, _, _ = _run.compare(nd + "done\n", tf, 1e-4, 1e-6)
    assert not (ok and text_ok)
    ok, _, _, _ = _run.compare(nd, tf.replace(" 2.2378378 ]", "]"), 1e-4, 1e-6)
    assert not ok

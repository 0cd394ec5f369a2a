"""tf.summary and FileWriter: event files read back with TensorBoard's own reader (tags,
steps, values, histograms, images, text, graph nodes), and -- where a Python with
TensorFlow is available -- summaries compared with TensorFlow's."""
import io
import os
import subprocess
import sys

import numpy as np
import pytest

import ndgrad.tf as tf

pytest.importorskip("tensorboard")
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator  # noqa
from tensorboard.compat.proto import summary_pb2  # noqa: E402


def _read(logdir):
    ea = EventAccumulator(str(logdir), size_guidance={"tensors": 0, "scalars": 0,
                                                      "histograms": 0, "images": 0})
    ea.Reload()
    return ea


def _model():
    x = tf.placeholder(tf.float32, (None, 3), name="x")
    y = tf.placeholder(tf.float32, (None, 1), name="y")
    with tf.variable_scope("linear"):
        w = tf.get_variable("w", initializer=np.array([[0.1], [0.2], [0.3]], np.float32))
        pred = tf.matmul(x, w, name="pred")
    with tf.name_scope("loss"):
        loss = tf.reduce_mean(tf.square(pred - y))
    train = tf.train.GradientDescentOptimizer(0.01).minimize(loss)
    return x, y, w, loss, train


def test_scalar_op_value_is_a_serialized_summary():
    s = tf.summary.scalar("loss", tf.constant(2.5))
    s2 = tf.summary.scalar("loss", tf.constant([4.0]))
    assert s.dtype == tf.string and s.op.type == "ScalarSummary"
    assert s in tf.get_collection(tf.GraphKeys.SUMMARIES)
    with tf.Session() as sess:
        a, b = sess.run([s, s2])
    assert isinstance(a, bytes)
    pa, pb = summary_pb2.Summary.FromString(a), summary_pb2.Summary.FromString(b)
    assert (pa.value[0].tag, pa.value[0].simple_value) == ("loss", 2.5)
    assert pb.value[0].tag == "loss_1"       # TF uniquifies the tag with the op name
    with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError,
                                             match="same shape"):
        sess.run(tf.summary.scalar("bad", tf.constant([1.0, 2.0])))


def test_training_loop_logs_read_back_by_tensorboard(tmp_path):
    x, y, w, loss, train = _model()
    tf.summary.scalar("loss", loss)
    tf.summary.histogram("weights", w)
    merged = tf.summary.merge_all()
    rng = np.random.default_rng(0)
    X = rng.normal(size=(8, 3)).astype(np.float32)
    Y = X.sum(1, keepdims=True)
    losses = []
    with tf.Session() as sess:
        writer = tf.summary.FileWriter(str(tmp_path), sess.graph)
        assert writer.get_logdir() == str(tmp_path)
        sess.run(tf.global_variables_initializer())
        for step in range(5):
            summ, lv, _ = sess.run([merged, loss, train], {x: X, y: Y})
            writer.add_summary(summ, step)
            losses.append(lv)
        wv = sess.run(w)
        writer.add_summary(sess.run(merged, {x: X, y: Y}), 5)
        writer.add_run_metadata(tf.RunMetadata(), "step4", 4)
        writer.close()
    ea = _read(tmp_path)
    tags = ea.Tags()
    # "loss" is taken by the name scope, so TF's tag (and op) is "loss_1"
    assert tags["scalars"] == ["loss_1"] and tags["histograms"] == ["weights"]
    ev = ea.Scalars("loss_1")
    assert [e.step for e in ev] == list(range(6))
    np.testing.assert_array_equal([e.value for e in ev[:5]], np.float32(losses))
    h = ea.Histograms("weights")[-1].histogram_value
    assert h.num == 3 and h.min == pytest.approx(wv.min()) and sum(h.bucket) == 3
    assert h.sum == pytest.approx(float(wv.sum()), rel=1e-6)
    assert tags["run_metadata"] == ["step4"]
    names = {n.name: n for n in ea.Graph().node}
    assert {"x", "linear/w", "linear/pred", "loss/Mean", "GradientDescent"} <= set(names)
    assert names["linear/pred"].op == "MatMul"
    assert names["linear/w"].op == "VariableV2"
    assert names["x"].op == "Placeholder"
    assert list(names["linear/pred"].input) == ["x", "linear/w"]
    assert names["linear/pred"].device == "/device:CPU:0"
    shp = names["linear/pred"].attr["_output_shapes"].list.shape[0]
    assert [d.size for d in shp.dim] == [-1, 1]
    assert names["x"].attr["dtype"].type == 1   # DT_FLOAT


def test_histogram_buckets_follow_tensorflows_layout():
    from ndgrad.tf.summary import histogram_proto
    h = histogram_proto([0.0, 1.0, 1.0, -2.5])
    assert (h.min, h.max, h.num, h.sum, h.sum_squares) == (-2.5, 1.0, 4.0, -0.5, 8.25)
    # non-empty buckets are kept, runs of empty ones merged into the next limit
    limits = np.array(h.bucket_limit)
    counts = np.array(h.bucket)
    assert counts.sum() == 4 and np.all(np.diff(limits) > 0)
    for v in (0.0, 1.0, -2.5):
        i = np.searchsorted(limits, v, side="right")
        assert counts[i] > 0
    assert limits[-1] == np.finfo(np.float64).max
    empty = histogram_proto([])
    assert list(empty.bucket) == [0.0]
    with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError,
                                             match="Nan in summary histogram for: h"):
        sess.run(tf.summary.histogram("h", tf.constant([1.0, np.nan])))


def test_image_and_text_summaries(tmp_path):
    Image = pytest.importorskip("PIL.Image")
    imgs = np.zeros((3, 4, 5, 3), np.float32)
    imgs[0, 1, 2] = [1.0, 0.5, 0.0]
    imgs[1] = -1.0
    imgs[1, 0, 0] = 1.0
    tf.summary.image("pics", tf.constant(imgs), max_outputs=2)
    tf.summary.image("gray", tf.constant(np.arange(12, dtype=np.uint8).reshape(1, 3, 4, 1)),
                     max_outputs=1)
    tf.summary.text("notes", tf.constant(b"hello **tensorboard**"))
    merged = tf.summary.merge_all()
    with tf.Session() as sess:
        w = tf.summary.FileWriter(str(tmp_path))
        w.add_summary(sess.run(merged), 3)
        w.flush()
        w.close()
    ea = _read(tmp_path)
    assert ea.Tags()["images"] == ["pics/image/0", "pics/image/1", "gray/image"]
    im0 = ea.Images("pics/image/0")[0]
    assert (im0.step, im0.width, im0.height) == (3, 5, 4)
    px = np.asarray(Image.open(io.BytesIO(im0.encoded_image_string)))
    assert px.shape == (4, 5, 3)
    np.testing.assert_array_equal(px[1, 2], [255, 127, 0])   # max to 255, 127.5 truncated
    px1 = np.asarray(Image.open(io.BytesIO(ea.Images("pics/image/1")[0]
                                            .encoded_image_string)))
    np.testing.assert_array_equal(px1[0, 0], [255, 255, 255])  # 127 * 1 + 128
    np.testing.assert_array_equal(px1[1, 1], [1, 1, 1])        # -127 + 128
    gray = np.asarray(Image.open(io.BytesIO(ea.Images("gray/image")[0]
                                            .encoded_image_string)))
    np.testing.assert_array_equal(gray, np.arange(12).reshape(3, 4))
    t = ea.Tensors("notes")[0].tensor_proto
    assert list(t.string_val) == [b"hello **tensorboard**"]
    with pytest.raises(ValueError, match="string tensor"):
        tf.summary.text("bad", tf.constant(1.0))


def test_merge_rejects_duplicate_tags_and_merge_all_of_nothing():
    assert tf.summary.merge_all() is None
    a = tf.summary.scalar("a", 1.0, collections=[])
    a2 = tf.summary.scalar("a", 2.0, collections=[])
    ok = tf.summary.merge([a, a2])
    with tf.Session() as sess:
        s = summary_pb2.Summary.FromString(sess.run(ok))
        assert [v.tag for v in s.value] == ["a", "a_1"]
        dup = tf.summary.merge([a, a])
        with pytest.raises(tf.errors.InvalidArgumentError, match="Duplicate tag a"):
            sess.run(dup)


def test_file_writer_reopen_cache_and_add_graph(tmp_path):
    _model()
    w = tf.summary.FileWriter(str(tmp_path / "a"))
    w.add_graph(tf.get_default_graph(), global_step=1)
    s = summary_pb2.Summary(value=[summary_pb2.Summary.Value(tag="t", simple_value=1.0)])
    w.add_summary(s, 1)
    w.close()
    w.add_summary(s, 2)          # ignored after close, as TF's
    w.reopen()
    w.add_summary(summary_pb2.Summary(value=[summary_pb2.Summary.Value(
        tag="t", simple_value=3.0)]).SerializeToString(), 3)
    w.close()
    assert len(os.listdir(tmp_path / "a")) == 2
    ea = _read(tmp_path / "a")
    assert [(e.step, e.value) for e in ea.Scalars("t")] == [(1, 1.0), (3, 3.0)]
    assert "linear/w" in {n.name for n in ea.Graph().node}
    c = tf.summary.FileWriterCache.get(str(tmp_path / "b"))
    assert tf.summary.FileWriterCache.get(str(tmp_path / "b")) is c
    tf.summary.FileWriterCache.clear()
    with pytest.raises(TypeError, match="Summary proto"):
        w.add_summary(3.0)


def test_eager_writer(tmp_path):
    tf.enable_eager_execution()
    assert tf.summary.scalar("nothing", 1.0, step=0) is False   # no default writer
    writer = tf.summary.create_file_writer(str(tmp_path))
    with writer.as_default():
        for step in range(3):
            assert tf.summary.scalar("loss", tf.constant(1.0) / (step + 1), step=step)
        tf.summary.histogram("h", tf.constant([1.0, 2.0, 2.0]), step=2)
        w = tf.Variable([1.0, 3.0])     # trainable: what is computed from it records
        assert tf.summary.scalar("wloss", tf.reduce_sum(w * w), step=0)
        tf.summary.histogram("wh", w * 2.0, step=0)
        with pytest.raises(ValueError, match="No step set"):
            tf.summary.scalar("loss", 1.0)
        tf.summary.flush()
    ea = _read(tmp_path)
    assert [(e.step, e.value) for e in ea.Scalars("loss")] == [
        (0, 1.0), (1, 0.5), (2, pytest.approx(1 / 3))]
    assert ea.Histograms("h")[0].histogram_value.num == 3
    assert ea.Scalars("wloss")[0].value == 10.0
    assert ea.Histograms("wh")[0].histogram_value.sum == 8.0


# -- TensorFlow's own summaries (the tf_python fixture) --------------------------------
TF_SUMMARIES = """
import sys, numpy as np, tensorflow as tf
v1 = tf.compat.v1
v1.disable_eager_execution()
vals = np.load(sys.argv[1])
s = [v1.summary.scalar("loss", tf.constant(2.5)),
     v1.summary.histogram("h", tf.constant(vals["h"])),
     v1.summary.image("im", tf.constant(vals["im"]), max_outputs=2),
     v1.summary.image("im16", tf.constant(vals["im16"]), max_outputs=3),
     v1.summary.image("im64", tf.constant(vals["im64"]), max_outputs=3),
     v1.summary.scalar("big", tf.constant(vals["big"]))]
with v1.Session() as sess:
    out = sess.run(v1.summary.merge(s))
open(sys.argv[2], "wb").write(out)
"""


def test_summaries_match_tensorflows(tmp_path, tf_python):
    Image = pytest.importorskip("PIL.Image")
    rng = np.random.default_rng(1)
    h = np.concatenate([rng.normal(size=200), [0.0, 0.0, 1e-13, -3e5, 7.0]])
    im = rng.normal(size=(2, 3, 4, 3)).astype(np.float32)
    im[1] = np.abs(im[1])
    # float16 and float64 images: a ramp, a tiny one, non-finite channels, integers
    im64 = np.stack([np.linspace(0, 1, 60).reshape(4, 5, 3), np.full((4, 5, 3), 1e-7),
                     rng.integers(0, 400, (4, 5, 3)).astype(float)])
    im64[2, 0, 0, 1], im64[2, 1, 1, 0] = np.nan, -np.inf
    im16 = (rng.normal(size=(3, 4, 5, 1)) * [[[[1.0]]], [[[1e-3]]], [[[300.0]]]]).astype(
        np.float16)
    big = np.int64(2**60 + 2**36 + 1)
    np.savez(tmp_path / "in.npz", h=h, im=im, im16=im16, im64=im64, big=big)
    (tmp_path / "s.py").write_text(TF_SUMMARIES)
    subprocess.run([tf_python, str(tmp_path / "s.py"), str(tmp_path / "in.npz"),
                    str(tmp_path / "out.pb")], check=True, capture_output=True)
    theirs = summary_pb2.Summary.FromString((tmp_path / "out.pb").read_bytes())
    s = [tf.summary.scalar("loss", tf.constant(2.5)),
         tf.summary.histogram("h", tf.constant(h)),
         tf.summary.image("im", tf.constant(im), max_outputs=2),
         tf.summary.image("im16", tf.constant(im16), max_outputs=3),
         tf.summary.image("im64", tf.constant(im64), max_outputs=3),
         tf.summary.scalar("big", tf.constant(big))]
    with tf.Session() as sess:
        ours = summary_pb2.Summary.FromString(sess.run(tf.summary.merge(s)))
    assert [v.tag for v in ours.value] == [v.tag for v in theirs.value]
    assert ours.value[0] == theirs.value[0]
    ho, ht = ours.value[1].histo, theirs.value[1].histo
    assert list(ho.bucket) == list(ht.bucket)
    np.testing.assert_allclose(ho.bucket_limit, ht.bucket_limit, rtol=1e-12)
    assert (ho.min, ho.max, ho.num) == (ht.min, ht.max, ht.num)
    assert (ho.sum, ho.sum_squares) == (ht.sum, ht.sum_squares)
    assert ours.value[-1] == theirs.value[-1]
    for vo, vt in zip(ours.value[2:-1], theirs.value[2:-1]):
        a = np.asarray(Image.open(io.BytesIO(vo.image.encoded_image_string)))
        b = np.asarray(Image.open(io.BytesIO(vt.image.encoded_image_string)))
        assert (vo.image.height, vo.image.width, vo.image.colorspace) == (
            vt.image.height, vt.image.width, vt.image.colorspace)
        np.testing.assert_array_equal(a, b, err_msg=vo.tag)


def test_family_and_tag_cleaning_follow_tensorflow(tmp_path):
    a = tf.summary.scalar("acc", 1.0, family="train")
    b = tf.summary.scalar("bad name!", 2.0)
    assert a.op.name == "train/acc" and b.op.name == "bad_name_"
    with tf.Session() as sess:
        w = tf.summary.FileWriter(str(tmp_path))
        w.add_summary(sess.run(a), 1)
        w.add_summary(sess.run(b), 2)
        w.close()
    (path,) = [os.path.join(tmp_path, f) for f in os.listdir(tmp_path)]
    events = list(tf.train.summary_iterator(path))
    assert events[0].file_version == "brain.Event:2"
    got = [(e.step, v.tag, v.simple_value) for e in events[1:] for v in e.summary.value]
    # TF's summary_scope puts the family in the scope and once more in the tag
    assert got == [(1, "train/train/acc", 1.0), (2, "bad_name_", 2.0)]


def test_pre_1_0_names_and_write_graph(tmp_path):
    x = tf.placeholder(tf.float32, (2,), name="x")
    with tf.name_scope("train"):
        s1 = tf.scalar_summary("my loss", tf.reduce_sum(x))
        s2 = tf.histogram_summary(tf.constant("hist"), x)
    assert tf.merge_summary([s1, s2]) is not None
    merged = tf.merge_all_summaries()
    with tf.Session() as sess:
        w = tf.train.SummaryWriter(str(tmp_path / "logs"), sess.graph)
        w.add_summary(sess.run(merged, {x: [1.0, 2.0]}), 0)
        w.close()
    ea = _read(tmp_path / "logs")
    assert ea.Tags()["scalars"] == ["my loss"]       # the tag is used as given
    assert ea.Scalars("my loss")[0].value == 3.0
    assert ea.Histograms("hist")[0].histogram_value.num == 2
    path = tf.train.write_graph(tf.get_default_graph(), str(tmp_path), "g.pbtxt")
    text = open(path).read()
    assert 'name: "x"' in text and 'op: "Placeholder"' in text
    from tensorboard.compat.proto import graph_pb2
    gd = graph_pb2.GraphDef.FromString(open(tf.train.write_graph(
        tf.get_default_graph(), str(tmp_path), "g.pb", as_text=False), "rb").read())
    assert gd.node[0].name == "x"


def test_graph_def_spellings(tmp_path):
    x = tf.placeholder(tf.float32, (2,), name="x")
    tf.identity(x * 2.0, name="y")
    gd = tf.get_default_graph().as_graph_def()
    assert [n.name for n in gd.node] == ["x", "mul/y", "mul", "y"]
    with tf.Session() as sess:
        w = tf.summary.FileWriter(str(tmp_path), sess.graph_def)   # a GraphDef works too
        w.close()
    assert [n.name for n in _read(tmp_path).Graph().node] == ["x", "mul/y", "mul", "y"]


def test_unclosed_writer_is_flushed_at_exit(tmp_path):
    prog = (f"import ndgrad.tf as tf\n"
            f"s = tf.summary.scalar('x', tf.constant(4.0))\n"
            f"w = tf.summary.FileWriter({str(tmp_path)!r}, flush_secs=1000)\n"
            f"w.add_summary(tf.Session().run(s), 7)\n")
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    subprocess.run([sys.executable, "-c", prog], check=True, cwd=root,
                   env=dict(os.environ, PYTHONPATH=root))
    assert [(e.step, e.value) for e in _read(tmp_path).Scalars("x")] == [(7, 4.0)]


# -- the classic TensorBoard lesson, one source text for ndgrad and TensorFlow -------------------
TENSORBOARD_LESSON = '''
import json, sys
import numpy as np
{tf_import}
logdir = sys.argv[1]
rng = np.random.RandomState(0)
X_train = rng.rand(64, 8).astype(np.float32)
y_train = np.eye(3, dtype=np.float32)[(X_train[:, :3].argmax(1))]

with tf.name_scope("input"):
    x = tf.placeholder(tf.float32, [None, 8], name="x-input")
    y_ = tf.placeholder(tf.float32, [None, 3], name="y-input")
with tf.name_scope("layer"):
    with tf.name_scope("weights"):
        W = tf.Variable(tf.zeros([8, 3]))
        tf.summary.histogram("weights", W)
    with tf.name_scope("biases"):
        b = tf.Variable(tf.zeros([3]))
    with tf.name_scope("Wx_plus_b"):
        y = tf.matmul(x, W) + b
with tf.name_scope("cross_entropy"):
    cross_entropy = tf.reduce_mean(
        tf.nn.softmax_cross_entropy_with_logits_v2(labels=y_, logits=y))
tf.summary.scalar("cross_entropy", cross_entropy)
with tf.name_scope("train"):
    train_step = tf.train.GradientDescentOptimizer(0.5).minimize(cross_entropy)
with tf.name_scope("accuracy"):
    correct = tf.equal(tf.argmax(y, 1), tf.argmax(y_, 1))
    accuracy = tf.reduce_mean(tf.cast(correct, tf.float32))
tf.summary.scalar("accuracy", accuracy)
merged = tf.summary.merge_all()

sess = tf.Session()
writer = tf.summary.FileWriter(logdir, sess.graph)
sess.run(tf.global_variables_initializer())
losses = []
for i in range(20):
    summary, loss, _ = sess.run([merged, cross_entropy, train_step],
                                feed_dict={{x: X_train, y_: y_train}})
    writer.add_summary(summary, i)
    losses.append(float(loss))
writer.close()
print(json.dumps({{"losses": losses, "accuracy": float(sess.run(
    accuracy, {{x: X_train, y_: y_train}}))}}))
'''


def _tb_lesson(tmp_path, python, tf_import, sub):
    import json
    src = tmp_path / f"{sub}.py"
    src.write_text(TENSORBOARD_LESSON.format(tf_import=tf_import))
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    r = subprocess.run([python, str(src), str(tmp_path / sub)], capture_output=True,
                       text=True, env=dict(os.environ, PYTHONPATH=root), cwd=root)
    assert r.returncode == 0, r.stderr[-3000:]
    return json.loads(r.stdout.strip().splitlines()[-1]), _read(tmp_path / sub)


def test_tensorboard_lesson(tmp_path):
    out, ea = _tb_lesson(tmp_path, sys.executable, "import ndgrad.tf as tf", "nd")
    assert out["losses"][0] == pytest.approx(np.log(3), rel=1e-6)   # zero weights
    assert out["losses"][-1] < out["losses"][0]
    tags = ea.Tags()
    assert tags["scalars"] == ["cross_entropy_1", "accuracy_1"]
    assert tags["histograms"] == ["layer/weights/weights"]
    np.testing.assert_allclose([e.value for e in ea.Scalars("cross_entropy_1")],
                               out["losses"], rtol=1e-6)
    names = {n.name for n in ea.Graph().node}
    assert {"input/x-input", "layer/weights/Variable", "layer/Wx_plus_b/MatMul",
            "train/GradientDescent", "accuracy/Mean"} <= names


def test_tensorboard_lesson_gives_tensorflows_results(tmp_path, tf_python):
    ours, ea = _tb_lesson(tmp_path, sys.executable, "import ndgrad.tf as tf", "nd")
    theirs, ea_tf = _tb_lesson(tmp_path, tf_python, "import tensorflow.compat.v1 as tf\n"
                               "tf.disable_v2_behavior()", "tf")
    np.testing.assert_allclose(ours["losses"], theirs["losses"], rtol=2e-5)
    assert ours["accuracy"] == theirs["accuracy"]
    assert ea.Tags()["scalars"] == ea_tf.Tags()["scalars"]
    assert ea.Tags()["histograms"] == ea_tf.Tags()["histograms"]
    # every op TensorFlow's graph has under the lesson's scopes, ndgrad's has (TF adds
    # save/, gradient and initializer internals of its own)
    ours_n = {n.name: n.op for n in ea.Graph().node}
    theirs_n = {n.name: n.op for n in ea_tf.Graph().node}
    for name in ("input/x-input", "layer/weights/Variable", "layer/Wx_plus_b/MatMul",
                 "cross_entropy/Mean", "accuracy/Equal", "accuracy/Cast"):
        assert ours_n[name] == theirs_n[name], name
    # `+` is Add in ndgrad (TF 1.x's type), AddV2 in TensorFlow 2's compat.v1
    assert (ours_n["layer/Wx_plus_b/add"], theirs_n["layer/Wx_plus_b/add"]) == ("Add", "AddV2")


def test_scalar_summary_of_a_tags_vector():
    # TF's ScalarSummary op (tf.scalar_summary of TF 0.x; summary_v1_ops_test): one value
    # per tag, tags of the values' shape; TF 2.15's raw op gave the same protos and error
    # (before: a list of tags was one tag, and the two values an error)
    from tensorboard.compat.proto.summary_pb2 import Summary
    from ndgrad.graph import errors
    const = tf.constant([10.0, 20.0])
    summ = tf.scalar_summary(["c1", "c2"], const, name="mysumm")
    bad = tf.scalar_summary(["a", "b", "c"], const)
    with tf.Session() as s:
        v = Summary.FromString(s.run(summ))
        with pytest.raises(errors.InvalidArgumentError,
                           match=r"not the same shape: \[3\] != \[2\]"):
            s.run(bad)
    assert summ.get_shape().as_list() == [] and summ.name == "mysumm:0"
    assert [(x.tag, x.simple_value) for x in v.value] == [("c1", 10.0), ("c2", 20.0)]


def test_image_scaling_is_tensorflows():
    """Image summaries scale as TF's summary_image_op.cc does (the values below are TF
    2.15's): truncation to uint8, not rounding (rounding moved 9 of a 20-pixel ramp's
    pixels); a largest value under 1e-6 scales by 0 (1e-7 everywhere gave 255); a pixel
    with a non-finite channel is painted red, all of its channels."""
    from ndgrad.tf.summary import _to_uint8
    ramp = np.linspace(0, 1, 20, dtype=np.float32).reshape(4, 5, 1)
    np.testing.assert_array_equal(_to_uint8(ramp).ravel(), [
        0, 13, 26, 40, 53, 67, 80, 93, 107, 120, 134, 147, 161, 174, 187, 201, 214, 228,
        241, 255])
    np.testing.assert_array_equal(_to_uint8(np.full((2, 2, 3), 1e-7, np.float32)), 0)
    img = np.array([[[0.5, np.nan, 0.2], [0.1, 0.2, 0.3]]], np.float32)
    # (the largest finite pixel's 0.3 goes to 255: the NaN pixel's 0.5 is left out)
    np.testing.assert_array_equal(_to_uint8(img), [[[255, 0, 0], [84, 169, 254]]])
    # float64: the extremes and the scale in float32, 291 * (255 / 291) truncated to 254
    np.testing.assert_array_equal(_to_uint8(np.array([[[98.0], [291.0]]])), [[[85], [254]]])
    # nothing finite: every pixel the bad color's first channels
    np.testing.assert_array_equal(_to_uint8(np.full((1, 2, 4), np.inf, np.float32)),
                                  [[[255, 0, 0, 255]] * 2])


def test_scalar_and_histogram_sums_are_tensorflows():
    """A scalar summary's int64 is cast straight to float32 (through float64 it was
    rounded twice: 2**60 + 2**36 + 1 gave 2**60); a histogram's sums add one value at a
    time, as TF's histogram does, not pairwise."""
    s = tf.summary.scalar("big", tf.constant(np.int64(2**60 + 2**36 + 1)))
    with tf.Session() as sess:
        v = summary_pb2.Summary.FromString(sess.run(s)).value[0].simple_value
    assert v == float(np.int64(2**60 + 2**36 + 1).astype(np.float32)) == 1.1529216420458004e18
    from ndgrad.tf.summary import histogram_proto
    x = np.random.default_rng(3).normal(size=1000) * 1e8 + 1e-3
    total = 0.0
    squares = 0.0
    for xi in x:
        total += float(xi)
        squares += float(xi) * float(xi)
    h = histogram_proto(x)
    assert (h.sum, h.sum_squares) == (total, squares)
    assert float(x.sum()) != total or float((x * x).sum()) != squares  # the test can fail

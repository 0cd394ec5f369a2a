"""TF 1 input pipelines: queues, queue runners, readers, CSV and Example parsing, TFRecord
files and tf.image, checked against TensorFlow's documented behaviour and, where the
numbers are TensorFlow's own, against values TensorFlow 2.21 (``tf.compat.v1``) computed
(``tests/tf/data/*``, made by the script quoted in each test)."""
import gzip
import os
import subprocess
import sys
import threading
import time

import numpy as np
import pytest

import ndgrad.tf as tf

DATA = os.path.join(os.path.dirname(__file__), "data")


@pytest.fixture(autouse=True)
def _fresh_graph():
    tf.reset_default_graph()
    yield


# -- queues ---------------------------------------------------------------------------
def test_fifo_order_size_close_and_out_of_range():
    q = tf.FIFOQueue(10, [tf.int32, tf.string], shapes=[[], []])
    enq = q.enqueue_many(([1, 2, 3], ["a", "b", "c"]))
    x, s = q.dequeue()
    many = q.dequeue_many(2)
    with tf.Session() as sess:
        sess.run(enq)
        assert sess.run(q.size()) == 3
        assert sess.run([x, s]) == [1, b"a"]
        a, b = sess.run(many)
        np.testing.assert_array_equal(a, [2, 3])
        assert list(b) == [b"b", b"c"]
        sess.run(q.close())
        assert sess.run(q.is_closed())
        with pytest.raises(tf.errors.OutOfRangeError, match="is closed and has insufficient"):
            sess.run(x)
        with pytest.raises(tf.errors.CancelledError, match="is closed"):
            sess.run(enq)


def test_queue_state_is_per_session_and_shape_checked():
    q = tf.FIFOQueue(3, tf.float32, shapes=[[2]])
    with pytest.raises(ValueError, match="not compatible"):
        q.enqueue(([1.0, 2.0, 3.0],))
    p = tf.placeholder(tf.float32)
    enq = q.enqueue(p)
    with tf.Session() as s1, tf.Session() as s2:
        s1.run(enq, {p: [1, 2]})
        assert s1.run(q.size()) == 1 and s2.run(q.size()) == 0
        with pytest.raises(tf.errors.InvalidArgumentError, match="Expected \\[2\\], got \\[3\\]"):
            s1.run(enq, {p: [1, 2, 3]})
        assert s1.run(q.size()) == 1        # the failed run enqueued nothing


def test_dequeue_blocks_until_another_thread_enqueues():
    q = tf.FIFOQueue(1, tf.float32)
    p = tf.placeholder(tf.float32, [])
    enq = q.enqueue(p)
    x = q.dequeue()
    with tf.Session() as sess:
        def later():
            time.sleep(0.2)
            sess.run(enq, {p: 7.0})
        t = threading.Thread(target=later)
        t.start()
        start = time.monotonic()
        assert sess.run(x) == 7.0
        assert time.monotonic() - start >= 0.15
        t.join()
        # capacity 1: a second enqueue waits for a dequeue
        sess.run(enq, {p: 1.0})
        t = threading.Thread(target=lambda: sess.run(enq, {p: 2.0}))
        t.start()
        time.sleep(0.1)
        assert t.is_alive()
        assert sess.run(x) == 1.0
        t.join(5)
        assert sess.run(x) == 2.0


def test_closing_the_session_cancels_a_blocked_dequeue():
    q = tf.FIFOQueue(2, tf.float32)
    x = q.dequeue()
    sess = tf.Session()
    caught = []

    def reader():
        try:
            sess.run(x)
        except tf.errors.CancelledError as e:
            caught.append(e)
    t = threading.Thread(target=reader)
    t.start()
    time.sleep(0.1)
    sess.close()
    t.join(5)
    assert not t.is_alive() and len(caught) == 1


def test_dequeue_up_to_and_padding_queue():
    q = tf.PaddingFIFOQueue(5, [tf.int64], shapes=[[None]])
    p = tf.placeholder(tf.int64, [None])
    enq = q.enqueue([p])
    batch = q.dequeue_many(2)
    with tf.Session() as sess:
        sess.run(enq, {p: [1]})
        sess.run(enq, {p: [2, 3, 4]})
        np.testing.assert_array_equal(sess.run(batch), [[1, 0, 0], [2, 3, 4]])
    q2 = tf.FIFOQueue(5, tf.int32, shapes=[[]])
    fill = q2.enqueue_many([[1, 2, 3]])
    up = q2.dequeue_up_to(2)
    with tf.Session() as sess:
        sess.run(fill)
        sess.run(q2.close())
        np.testing.assert_array_equal(sess.run(up), [1, 2])
        np.testing.assert_array_equal(sess.run(up), [3])
        with pytest.raises(tf.errors.OutOfRangeError):
            sess.run(up)


def test_random_shuffle_queue_keeps_min_after_dequeue_and_replays_with_a_seed():
    def run():
        tf.reset_default_graph()
        tf.set_random_seed(3)
        q = tf.RandomShuffleQueue(20, 5, tf.int32, shapes=[[]], seed=1)
        enq = q.enqueue_many([list(range(10))])
        x = q.dequeue()
        out = []
        with tf.Session() as sess:
            sess.run(enq)
            for _ in range(5):
                out.append(int(sess.run(x)))
            assert sess.run(q.size()) == 5
            # 5 left = min_after_dequeue: the next dequeue would block until closed
            sess.run(q.close())
            out += [int(sess.run(x)) for _ in range(5)]
        return out
    a, b = run(), run()
    assert sorted(a) == list(range(10))
    assert a == b and a != list(range(10))


def test_a_failed_run_does_not_consume_queue_elements_twice():
    q = tf.FIFOQueue(5, tf.float32, shapes=[[]])
    enq = q.enqueue_many([[1.0, 2.0, 3.0]])
    x = q.dequeue()

    def boom(v):
        raise ValueError("boom")
    y = tf.py_func(boom, [x], tf.float32)
    with tf.Session() as sess:
        sess.run(enq)
        with pytest.raises(Exception, match="boom"):
            sess.run(y)
        # the failing run consumed one element (as TF), not two
        assert sess.run(q.size()) == 2
        assert sess.run(x) == 2.0


# -- queue runners, producers, batching ------------------------------------------------
def _run_all(sess, fetch):
    coord = tf.train.Coordinator()
    threads = tf.train.start_queue_runners(sess=sess, coord=coord)
    out = []
    try:
        while not coord.should_stop():
            out.append(sess.run(fetch))
    except tf.errors.OutOfRangeError:
        pass
    finally:
        coord.request_stop()
    coord.join(threads)
    return out


def test_slice_input_producer_epochs_and_batches_in_order():
    x = np.arange(10, dtype=np.float32)
    y = np.arange(10, dtype=np.int64) * 10
    xs, ys = tf.train.slice_input_producer([x, y], num_epochs=2, shuffle=False)
    bx, by = tf.train.batch([xs, ys], batch_size=4, allow_smaller_final_batch=True)
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        got = _run_all(sess, [bx, by])
    flat_x = np.concatenate([g[0] for g in got])
    flat_y = np.concatenate([g[1] for g in got])
    np.testing.assert_array_equal(flat_x, np.concatenate([x, x]))
    np.testing.assert_array_equal(flat_y, flat_x.astype(np.int64) * 10)
    assert [len(g[0]) for g in got] == [4, 4, 4, 4, 4]


def test_producer_needs_local_initializer_and_reports_it():
    q = tf.train.string_input_producer(["a", "b"], num_epochs=1)
    x = q.dequeue()
    with tf.Session() as sess:
        coord = tf.train.Coordinator()
        threads = tf.train.start_queue_runners(sess=sess, coord=coord)
        with pytest.raises(tf.errors.FailedPreconditionError, match="epochs"):
            coord.join(threads, stop_grace_period_secs=5)
        del x


def test_shuffle_batch_draws_every_row_once_per_epoch():
    data = np.arange(20, dtype=np.int32)
    (row,) = tf.train.slice_input_producer([data], num_epochs=1, shuffle=True, seed=2)
    b = tf.train.shuffle_batch([row], batch_size=5, capacity=20, min_after_dequeue=5,
                               seed=4, allow_smaller_final_batch=True)
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        got = np.concatenate(list(_run_all(sess, b)))
    assert sorted(got.tolist()) == list(range(20))
    assert got.tolist() != list(range(20))


def test_coordinator_reraises_the_first_error_and_ignores_out_of_range():
    coord = tf.train.Coordinator()
    coord.request_stop(tf.errors.OutOfRangeError(None, None, "end"))
    coord.join([])
    coord = tf.train.Coordinator()

    def bad():
        with coord.stop_on_exception():
            raise RuntimeError("reader broke")
    t = threading.Thread(target=bad)
    t.start()
    with pytest.raises(RuntimeError, match="reader broke"):
        coord.join([t])


# -- readers and CSV -------------------------------------------------------------------
def _write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text)
    return str(p)


def test_queue_fed_csv_reader_program(tmp_path):
    # the classic TF 1 tutorial shape: file names -> TextLineReader -> decode_csv -> batch
    f1 = _write(tmp_path, "a.csv", "x,y,label\n1.5,2,cat\n3.5,,dog\n")
    f2 = _write(tmp_path, "b.csv", "x,y,label\n-1,7,\n")
    files = tf.train.string_input_producer([f1, f2], num_epochs=1, shuffle=False)
    reader = tf.TextLineReader(skip_header_lines=1)
    key, line = reader.read(files)
    x, y, label = tf.decode_csv(line, record_defaults=[[0.0], [-1], ["none"]])
    feats = tf.stack([x, tf.cast(y, tf.float32)])
    bf, bl, bk = tf.train.batch([feats, label, key], batch_size=2,
                                allow_smaller_final_batch=True)
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        got = _run_all(sess, [bf, bl, bk])
    f = np.concatenate([g[0] for g in got])
    np.testing.assert_array_equal(f, np.array([[1.5, 2], [3.5, -1], [-1, 7]], np.float32))
    assert [v for g in got for v in g[1]] == [b"cat", b"dog", b"none"]
    assert [v for g in got for v in g[2]] == [f"{f1}:2".encode(), f"{f1}:3".encode(),
                                              f"{f2}:2".encode()]


@pytest.mark.parametrize("line,defaults,msg", [
    ("1,2", [[0], [0], [0]], "Expect 3 fields but have 2 in record 0"),
    ("1,abc", [[0], [0.0]], "Field 1 in record 0 is not a valid float: abc"),
    ("1,", [[0], tf.constant([], tf.int32)], "Field 1 is required but missing in record 0"),
    ("99999999999,1", [[0], [0]], "Field 0 in record 0 is not a valid int32"),
])
def test_decode_csv_errors_name_the_field_and_record(line, defaults, msg):
    out = tf.decode_csv(tf.constant(line), record_defaults=defaults)
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError, match=msg):
            sess.run(out)


def test_decode_csv_quotes_and_delimiters():
    a, b = tf.decode_csv(tf.constant(['"x;y";2', 'z;3']), [[""], [0]], field_delim=";")
    with tf.Session() as sess:
        va, vb = sess.run([a, b])
    assert list(va) == [b"x;y", b"z"] and vb.tolist() == [2, 3] and vb.dtype == np.int32


def test_whole_file_reader_read_file_and_decode_raw(tmp_path):
    raw = np.arange(6, dtype="<f4").tobytes()
    p = tmp_path / "f.bin"
    p.write_bytes(raw)
    q = tf.train.string_input_producer([str(p)], num_epochs=1, shuffle=False)
    k, v = tf.WholeFileReader().read(q)
    dec = tf.decode_raw(v, tf.float32)
    dec2 = tf.decode_raw(tf.read_file(str(p)), tf.int16)
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        coord = tf.train.Coordinator()
        threads = tf.train.start_queue_runners(sess, coord)
        kv, d = sess.run([k, dec])
        coord.request_stop()
        coord.join(threads)
        np.testing.assert_array_equal(d, np.arange(6, dtype=np.float32))
        assert kv == str(p).encode()
        np.testing.assert_array_equal(sess.run(dec2), np.frombuffer(raw, "<i2"))
        bad = tf.decode_raw(tf.constant([b"abcd", b"abc"]), tf.uint8)
        with pytest.raises(tf.errors.InvalidArgumentError, match="same size"):
            sess.run(bad)
        with pytest.raises(tf.errors.NotFoundError, match="nope"):
            sess.run(tf.read_file(str(tmp_path / "nope")))


def test_fixed_length_record_reader(tmp_path):
    p = tmp_path / "r.bin"
    p.write_bytes(b"HH" + bytes(range(12)) + b"F")
    q = tf.FIFOQueue(1, tf.string)
    k, v = tf.FixedLengthRecordReader(4, header_bytes=2, footer_bytes=1).read(q)
    with tf.Session() as sess:
        sess.run(q.enqueue([str(p)]))
        sess.run(q.close())
        recs = [sess.run(v) for _ in range(3)]
        with pytest.raises(tf.errors.OutOfRangeError):
            sess.run(v)
    assert recs == [bytes(range(0, 4)), bytes(range(4, 8)), bytes(range(8, 12))]


# -- TFRecord and tf.train.Example -------------------------------------------------------
def _example(i):
    return tf.train.Example(features=tf.train.Features(feature={
        "label": tf.train.Feature(int64_list=tf.train.Int64List(value=[i])),
        "x": tf.train.Feature(float_list=tf.train.FloatList(value=[i * 0.5, -i])),
        "name": tf.train.Feature(bytes_list=tf.train.BytesList(value=[b"item%d" % i])),
        "tags": tf.train.Feature(int64_list=tf.train.Int64List(value=list(range(i)))),
    }))


FEATURES = {"label": tf.FixedLenFeature([], tf.int64),
            "x": tf.FixedLenFeature([2], tf.float32),
            "name": tf.FixedLenFeature([], tf.string),
            "tags": tf.VarLenFeature(tf.int64)}


def test_tensorflow_written_tfrecord_reads_and_parses():
    # tests/tf/data/tf_written.tfrecord: three Examples written by TensorFlow 2.21's
    # tf.io.TFRecordWriter, the same records as _example(0..2)
    path = os.path.join(DATA, "tf_written.tfrecord")
    recs = list(tf.python_io.tf_record_iterator(path))
    from ndgrad.tf.example_pb import messages
    assert [messages().Example.FromString(r) for r in recs] == [_example(i) for i in range(3)]
    parsed = tf.parse_example(tf.constant(np.array(recs, dtype=object)), FEATURES)
    with tf.Session() as sess:
        out = sess.run(parsed)
    np.testing.assert_array_equal(out["label"], [0, 1, 2])
    np.testing.assert_array_equal(out["x"], np.array([[0, 0], [0.5, -1], [1, -2]], np.float32))
    assert list(out["name"]) == [b"item0", b"item1", b"item2"]
    sp = out["tags"]
    assert isinstance(sp, tf.SparseTensorValue)
    np.testing.assert_array_equal(sp.indices, [[1, 0], [2, 0], [2, 1]])
    np.testing.assert_array_equal(sp.values, [0, 0, 1])
    np.testing.assert_array_equal(sp.dense_shape, [3, 2])


@pytest.mark.parametrize("compression", [None, "GZIP", "ZLIB"])
def test_tfrecord_round_trip_through_a_reader_and_shuffle_batch(tmp_path, compression):
    path = str(tmp_path / "d.tfrecord")
    opts = tf.python_io.TFRecordOptions(compression) if compression else None
    with tf.python_io.TFRecordWriter(path, opts) as w:
        for i in range(6):
            w.write(_example(i).SerializeToString())
    if compression == "GZIP":
        assert gzip.open(path).read(8)      # really a gzip stream
    files = tf.train.string_input_producer([path], num_epochs=1)
    _, ser = tf.TFRecordReader(options=opts).read(files)
    ex = tf.parse_single_example(ser, FEATURES)
    dense = tf.sparse_tensor_to_dense(ex["tags"], default_value=-1)
    lab, x = tf.train.shuffle_batch([ex["label"], ex["x"]], batch_size=3, capacity=10,
                                    min_after_dequeue=2, seed=1,
                                    allow_smaller_final_batch=True)
    with tf.Session() as sess:
        sess.run(tf.local_variables_initializer())
        got = _run_all(sess, [lab, x])
    labels = np.concatenate([g[0] for g in got])
    xs = np.concatenate([g[1] for g in got])
    assert sorted(labels.tolist()) == list(range(6))
    np.testing.assert_array_equal(xs[:, 0], labels * 0.5)
    tf.reset_default_graph()
    ser2 = tf.constant(_example(3).SerializeToString())
    ex2 = tf.parse_single_example(ser2, FEATURES)
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(tf.sparse_tensor_to_dense(ex2["tags"])),
                                      [0, 1, 2])
    del dense


def test_corrupted_and_truncated_tfrecords_raise_data_loss_naming_the_file(tmp_path):
    path = str(tmp_path / "c.tfrecord")
    with tf.python_io.TFRecordWriter(path) as w:
        w.write(b"abcdef")
        w.write(b"ghij")
    raw = open(path, "rb").read()
    bad = bytearray(raw)
    bad[14] ^= 0xFF                      # a data byte of the first record
    open(path, "wb").write(bytes(bad))
    with pytest.raises(tf.errors.DataLossError, match="c.tfrecord.*offset 0"):
        list(tf.python_io.tf_record_iterator(path))
    open(path, "wb").write(raw[:-3])
    with pytest.raises(tf.errors.DataLossError, match="truncated record at offset 22"):
        list(tf.python_io.tf_record_iterator(path))


def test_parse_errors_name_the_feature():
    bad = {"label": tf.FixedLenFeature([], tf.float32)}
    missing = {"other": tf.FixedLenFeature([], tf.int64)}
    ok_default = {"other": tf.FixedLenFeature([2], tf.int64, default_value=[7, 8])}
    count = {"x": tf.FixedLenFeature([3], tf.float32)}
    s = tf.constant(_example(1).SerializeToString())
    with tf.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match="Data type: int64 but expected type: float"):
            sess.run(tf.parse_single_example(s, bad))
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match="other \\(data type: int64\\) is required"):
            sess.run(tf.parse_single_example(s, missing))
        np.testing.assert_array_equal(sess.run(tf.parse_single_example(s, ok_default))["other"],
                                      [7, 8])
        with pytest.raises(tf.errors.InvalidArgumentError, match="Values size: 2"):
            sess.run(tf.parse_single_example(s, count))


def test_present_empty_and_kindless_features_and_string_defaults_are_tensorflows():
    """(A TF file-format fuzz; the outcomes are TF 2.15's.) A feature present with an
    empty list is a size mismatch even where a default exists (the default was used); a
    Feature with no list is missing; an empty default makes a feature required; a string
    default comes back as bytes (a str came back as str)."""
    E, F, Fe = tf.train.Example, tf.train.Features, tf.train.Feature
    empty = E(features=F(feature={"a": Fe(int64_list=tf.train.Int64List(value=[]))}))
    kindless = E(features=F(feature={"a": Fe()}))
    absent = E()
    three = {"a": tf.FixedLenFeature([3], tf.int64, default_value=[1, 2, 3])}
    nothing = {"a": tf.FixedLenFeature([0], tf.int64, default_value=[])}
    with tf.Session() as sess:
        def run(ex, feats):
            return sess.run(tf.parse_example([ex.SerializeToString()], feats))["a"]
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"Values size: 0 but output shape: \[3\]"):
            run(empty, three)
        np.testing.assert_array_equal(run(kindless, three), [[1, 2, 3]])
        np.testing.assert_array_equal(run(absent, three), [[1, 2, 3]])
        assert run(empty, nothing).shape == (1, 0)
        for ex in (kindless, absent):
            with pytest.raises(tf.errors.InvalidArgumentError, match="a .* is required"):
                run(ex, nothing)
        s = sess.run(tf.parse_single_example(absent.SerializeToString(), {
            "s": tf.FixedLenFeature([2], tf.string, default_value=["\u00e9", b"x"])}))["s"]
        assert list(s) == ["\u00e9".encode(), b"x"]


def test_ndgrad_written_tfrecord_reads_in_tensorflow(tmp_path):
    tfpy = os.environ.get("NDGRAD_TF_PYTHON")
    if tfpy is None:
        pytest.importorskip("tensorflow")
        tfpy = sys.executable
    path = str(tmp_path / "n.tfrecord")
    with tf.python_io.TFRecordWriter(path) as w:
        for i in range(3):
            w.write(_example(i))
    code = ("import sys, tensorflow as tf\n"
            "for r in tf.compat.v1.io.tf_record_iterator(sys.argv[1]):\n"
            "    e = tf.train.Example.FromString(r)\n"
            "    print(e.features.feature['label'].int64_list.value[0], "
            "list(e.features.feature['x'].float_list.value))\n")
    out = subprocess.run([tfpy, "-c", code, path], capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split("\n")[:3] == ["0 [0.0, 0.0]", "1 [0.5, -1.0]", "2 [1.0, -2.0]"]


# -- tf.image ----------------------------------------------------------------------------
def test_image_ops_equal_tensorflows_values():
    # tests/tf/data/image_ref_tf2_21.npz holds TF 2.21 (tf.compat.v1, graph mode) results:
    #   r  = resize_images(img, [5, 4]);  r2 = resize_images(img, [2, 7], align_corners=True)
    #   r3 = resize_images(uint8(img), [4, 3], method=NEAREST_NEIGHBOR)
    #   st = per_image_standardization(img[0])
    #   c1 = convert_image_dtype(uint8 [0,1,128,255], float32)
    #   c2 = convert_image_dtype(float32 [0,.25,.999,1], uint8)
    #   c3 = convert_image_dtype(uint8 [0,1,200,255], int32)
    d = np.load(os.path.join(DATA, "image_ref_tf2_21.npz"))
    img = d["img"]
    im = tf.image
    with tf.Session() as sess:
        got = sess.run({
            "r": im.resize_images(img, [5, 4]),
            "r2": im.resize_images(img, [2, 7], align_corners=True),
            "r3": im.resize_images(img.astype(np.uint8), [4, 3],
                                   method=im.ResizeMethod.NEAREST_NEIGHBOR),
            "st": im.per_image_standardization(img[0]),
            "c1": im.convert_image_dtype(np.array([0, 1, 128, 255], np.uint8), tf.float32),
            "c2": im.convert_image_dtype(np.array([0., .25, .999, 1.], np.float32), tf.uint8),
            "c3": im.convert_image_dtype(np.array([0, 1, 200, 255], np.uint8), tf.int32)})
    for k, v in got.items():
        assert v.dtype == d[k].dtype, k
        assert v.shape == d[k].shape, k
        np.testing.assert_allclose(v, d[k], rtol=1e-6, atol=3e-6, err_msg=k)


def test_resize_is_differentiable_as_in_tensorflow():
    x = tf.placeholder(tf.float32, [3, 4, 1])
    y = tf.reduce_sum(tf.image.resize_images(x, [6, 5]) * np.arange(30, dtype=np.float32
                                                                   ).reshape(6, 5, 1))
    (g,) = tf.gradients(y, [x])
    v = np.random.default_rng(0).normal(size=(3, 4, 1)).astype(np.float32)
    with tf.Session() as sess:
        gv = sess.run(g, {x: v})
        eps = 1e-2
        fd = np.zeros_like(v)
        for idx in np.ndindex(v.shape):
            e = np.zeros_like(v)
            e[idx] = eps
            fd[idx] = (sess.run(y, {x: v + e}) - sess.run(y, {x: v - e})) / (2 * eps)
    np.testing.assert_allclose(gv, fd, rtol=2e-3, atol=2e-3)


def test_png_round_trip_flips_and_random_crop():
    pytest.importorskip("PIL")
    rgb = (np.arange(4 * 5 * 3) % 256).astype(np.uint8).reshape(4, 5, 3)
    png = tf.image.encode_png(rgb)
    back = tf.image.decode_png(png, channels=3)
    gray = tf.image.decode_png(png, channels=1)
    crop = tf.image.random_crop(tf.constant(rgb), [2, 3, 3], seed=1)
    with tf.Session() as sess:
        b, gr = sess.run([back, gray])
        np.testing.assert_array_equal(b, rgb)
        assert gr.shape == (4, 5, 1)
        np.testing.assert_array_equal(sess.run(tf.image.flip_left_right(rgb)), rgb[:, ::-1])
        np.testing.assert_array_equal(sess.run(tf.image.flip_up_down(rgb)), rgb[::-1])
        c = sess.run(crop)
        assert c.shape == (2, 3, 3)
        hits = [(i, j) for i in range(3) for j in range(3)
                if np.array_equal(rgb[i:i + 2, j:j + 3], c)]
        assert hits
        flips = {sess.run(tf.image.random_flip_left_right(rgb, seed=5))[0, 0, 0]
                 for _ in range(1)}
        assert flips <= {rgb[0, 0, 0], rgb[0, -1, 0]}
        with pytest.raises(tf.errors.InvalidArgumentError, match="invalid image data"):
            sess.run(tf.image.decode_png(tf.constant(b"not a png")))


def test_close_lets_a_blocked_enqueue_finish_unless_pending_enqueues_are_cancelled():
    for cancel in (False, True):
        tf.reset_default_graph()
        q = tf.FIFOQueue(1, tf.float32, shapes=[[]])
        p = tf.placeholder(tf.float32, [])
        enq = q.enqueue(p)
        x = q.dequeue()
        with tf.Session() as sess:
            sess.run(enq, {p: 1.0})
            errs = []

            def blocked():
                try:
                    sess.run(enq, {p: 2.0})
                except tf.errors.CancelledError as e:
                    errs.append(e)
            t = threading.Thread(target=blocked)
            t.start()
            time.sleep(0.1)
            sess.run(q.close(cancel_pending_enqueues=cancel))
            if cancel:
                t.join(5)
                assert len(errs) == 1
                assert sess.run(x) == 1.0
            else:
                assert sess.run(x) == 1.0       # room: the pending enqueue finishes
                t.join(5)
                assert not errs and sess.run(x) == 2.0
            with pytest.raises(tf.errors.OutOfRangeError):
                sess.run(x)


@pytest.mark.parametrize("make", [
    lambda t: tf.train.batch(t, 2), lambda t: tf.train.maybe_batch(t, True, 2),
    lambda t: tf.train.shuffle_batch(t, 2, capacity=4, min_after_dequeue=1),
    lambda t: tf.train.batch_join([t], 2),
    lambda t: tf.train.shuffle_batch_join([t], 2, capacity=4, min_after_dequeue=1)])
def test_batching_a_list_of_one_tensor_gives_a_tensor(make):
    # TF's batchers dequeue a one-component queue as a tensor: tf.train.batch([image], 32)
    # is a Tensor of shape [32, ...] (a list of it went on as a [1, 32, ...] stack)
    with tf.Graph().as_default():
        x = tf.constant([1.0, 2.0])
        one = make([x])
        assert isinstance(one, tf.Tensor) and one.shape.as_list() == [2, 2]
        two = make([x, tf.constant(3)])
        assert isinstance(two, list) and len(two) == 2
        d = make({"a": x})
        assert isinstance(d, dict) and isinstance(d["a"], tf.Tensor)

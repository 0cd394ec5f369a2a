"""tf.train.Saver and TensorFlow's V2 checkpoint format: byte layout, round trips through a
fresh process, a checkpoint TensorFlow wrote (tests/tf/data/tf_adam), damaged files, and --
where a Python with TensorFlow is available -- restores in TensorFlow itself."""
import os
import struct
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

import ndgrad.tf as tf
from ndgrad.tf import checkpoint_bundle as cb

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "tf_adam")


def tf_adam_graph():
    """The graph of tests/tf/data/make_tf_checkpoint.py, with ndgrad."""
    x = tf.placeholder(tf.float32, (None, 3), name="x")
    y = tf.placeholder(tf.float32, (None, 2), name="y")
    with tf.variable_scope("dense"):
        kernel = tf.get_variable("kernel", initializer=np.arange(6, dtype=np.float32)
                                 .reshape(3, 2) / 10)
        bias = tf.get_variable("bias", initializer=np.array([0.5, -0.5], np.float32))
    tf.Variable(np.array([7, -3], np.int32), name="counter", trainable=False)
    tf.Variable(np.float64(2.25), name="scale", trainable=False)
    tf.Variable(np.array([True, False, True]), name="flag", trainable=False)
    step = tf.train.get_or_create_global_step()
    loss = tf.reduce_mean(tf.square(tf.matmul(x, kernel) + bias - y))
    train = tf.train.AdamOptimizer(0.1).minimize(loss, global_step=step)
    feed = {x: np.array([[1, 2, 3], [4, 5, 6]], np.float32),
            y: np.array([[1, 0], [0, 1]], np.float32)}
    return train, feed


def train_and_save(prefix, steps):
    """Build ``tf_adam_graph``, take ``steps`` Adam steps, save at ``prefix-<steps>``;
    returns {variable name: value}."""
    train, feed = tf_adam_graph()
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(steps):
            sess.run(train, feed)
        saver.save(sess, prefix, global_step=steps)
        return {v.op.name: sess.run(v) for v in tf.global_variables()}


TF_NAMES = ["beta1_power", "beta2_power", "counter", "dense/bias", "dense/bias/Adam",
            "dense/bias/Adam_1", "dense/kernel", "dense/kernel/Adam", "dense/kernel/Adam_1",
            "flag", "global_step", "scale"]


# -- the format ---------------------------------------------------------------------------------
def test_crc32c_known_values_and_fallback():
    # RFC 3720 check value, and the pure-Python table agrees with the crc32c package
    assert cb._crc32c_py(b"123456789") == 0xE3069283
    assert cb._crc32c_py(b"") == 0
    rng = np.random.default_rng(0)
    for n in (1, 7, 100):
        data = rng.integers(0, 256, n, dtype=np.uint8).tobytes()
        assert cb._crc32c_py(data) == cb.crc32c(data)
    c = cb.crc32c(b"abc")
    assert cb.masked_crc32c(b"abc") == ((((c >> 15) | (c << 17)) + 0xA282EAD8) & 0xFFFFFFFF)


@pytest.mark.parametrize("n", [256, 65536, 65536 + 255, 70001])
def test_crc32c_numpy_path_matches_the_byte_loop(n):
    """The NumPy fallback (chunks advanced together, joined with the zero-shift map) gives
    the byte loop's CRC, continued from a nonzero CRC too."""
    data = np.random.default_rng(n).integers(0, 256, n, dtype=np.uint8).tobytes()
    for start in (0, 0xDEADBEEF):
        assert cb._crc32c_numpy(data, start) == cb._crc32c_py(data, start)


def test_bytes_written_match_what_tensorflow_wrote(tmp_path):
    """Writing the TF checkpoint's own tensors reproduces its .index and .data byte for
    byte (SSTable blocks, key shortening, CRCs, entry protos)."""
    r = cb.BundleReader(os.path.join(DATA, "model.ckpt-1"))
    tensors = {n: r.get(n) for n in r.names()}
    p = str(tmp_path / "copy")
    cb.write_bundle(p, tensors)
    for suffix in (".index", ".data-00000-of-00001"):
        with open(p + suffix, "rb") as f, open(os.path.join(DATA, "model.ckpt-1" + suffix),
                                               "rb") as g:
            assert f.read() == g.read(), suffix


def test_layout_of_a_written_bundle(tmp_path):
    p = str(tmp_path / "m")
    a = np.arange(6, dtype=np.float32).reshape(2, 3)
    b = np.array([1, -2], dtype=np.int64)
    cb.write_bundle(p, {"w": a, "b": b, "s": np.float64(0.5)})
    data = open(p + ".data-00000-of-00001", "rb").read()
    # raw little-endian bytes, in sorted name order
    assert data == b.astype("<i8").tobytes() + np.float64(0.5).tobytes() + a.tobytes()
    index = open(p + ".index", "rb").read()
    lo, hi = struct.unpack("<II", index[-8:])
    assert (hi << 32 | lo) == 0xDB4775248B80FB57
    items = cb._read_table(p + ".index")
    assert [k for k, _ in items] == [b"", b"b", b"s", b"w"]
    header = cb._parse(items[0][1])
    assert header[1] == [1]                      # num_shards
    entry = cb._parse(items[3][1])               # w
    assert entry[1] == [1]                       # DT_FLOAT
    assert entry[4] == [24] and entry[5] == [24]  # offset, size
    assert entry[6] == [cb.masked_crc32c(a.tobytes())]
    r = cb.BundleReader(p)
    assert r.shapes() == {"b": (2,), "s": (), "w": (2, 3)}
    assert r.get("s").shape == () and r.get("s") == 0.5


def test_many_tensors_span_several_blocks(tmp_path, monkeypatch):
    # TensorFlow's blocks are 256 KiB; smaller ones exercise the same index logic faster
    monkeypatch.setattr(cb, "_BLOCK_SIZE", 1024)
    p = str(tmp_path / "big")
    ts = {f"layer{i:05d}/kernel": np.array([i, -i], np.int64) for i in range(3000)}
    cb.write_bundle(p, ts)
    index = cb._read_table(p + ".index")
    assert len(index) == 3001
    buf = open(p + ".index", "rb").read()
    _, pos = cb._read_varint(buf[-48:], 0)
    _, pos = cb._read_varint(buf[-48:], pos)
    blocks = cb._block_entries(cb._read_block(buf, buf[-48:][pos:40], p), p)
    assert len(blocks) > 100
    # each index key separates its block from the next: last key <= separator < next first
    contents = [cb._block_entries(cb._read_block(buf, h, p), p) for _, h in blocks]
    for i, (sep, _) in enumerate(blocks):
        assert contents[i][-1][0] <= sep
        if i + 1 < len(blocks):
            assert sep < contents[i + 1][0][0]
    assert cb._separator(b"abcx", b"abez") == b"abd"
    assert cb._separator(b"ab", b"abc") == b"ab" and cb._successor(b"\xffa") == b"\xffb"
    r = cb.BundleReader(p)
    for n in ("layer00000/kernel", "layer01500/kernel", "layer02999/kernel"):
        np.testing.assert_array_equal(r.get(n), ts[n])


def test_every_dtype_and_empty_shapes_round_trip(tmp_path):
    p = str(tmp_path / "d")
    ts = {f"t_{np.dtype(d).name}": np.arange(6).reshape(2, 3).astype(d)
          for d in (np.float16, np.float32, np.float64, np.int8, np.int16, np.int32,
                    np.int64, np.uint8, np.uint16, np.uint32, np.uint64, np.bool_,
                    np.complex64, np.complex128)}
    ts["empty"] = np.zeros((0, 4), np.float32)
    ts["nan"] = np.array([np.nan, -np.inf, -0.0], np.float32)
    cb.write_bundle(p, ts)
    r = cb.BundleReader(p)
    for n, v in ts.items():
        got = r.get(n)
        assert got.dtype == v.dtype and got.shape == v.shape
        np.testing.assert_array_equal(got, v)
    assert np.signbit(r.get("nan")[2])
    with pytest.raises(TypeError, match="cannot be stored"):
        cb.write_bundle(p, {"s": np.array(["2020-01-01"], dtype="datetime64[D]")})


_DTYPES = [np.float16, np.float32, np.float64, np.int8, np.int16, np.int32, np.int64,
           np.uint8, np.uint16, np.uint32, np.uint64, np.bool_, np.complex64, np.complex128]


@st.composite
def _tensors(draw):
    out = {}
    for i in range(draw(st.integers(0, 4))):
        dt = np.dtype(draw(st.sampled_from(_DTYPES)))
        shape = draw(hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4))
        name = draw(st.text(st.characters(min_codepoint=32, max_codepoint=0x2FF),
                            min_size=1, max_size=12))
        out[name] = draw(hnp.arrays(dt, shape))   # NaN, inf, -0.0 and extremes included
    return out


@settings(deadline=None)
@given(_tensors())
def test_bundle_round_trip_property(tensors):
    import tempfile
    with tempfile.TemporaryDirectory() as d:
        p = os.path.join(d, "h")
        cb.write_bundle(p, tensors)
        r = cb.BundleReader(p)
        assert r.names() == sorted(tensors)
        for n, v in tensors.items():
            got = r.get(n)
            assert got.dtype == v.dtype and got.shape == v.shape
            # bit-exact, so NaN payloads and the sign of zero survive
            assert got.tobytes() == np.ascontiguousarray(v).tobytes()


def test_string_tensors(tmp_path):
    p = str(tmp_path / "s")
    strs = np.empty((2, 2), dtype=object)
    strs[:] = [[b"", b"a"], [b"\xff\x00z", b"x" * 300]]
    cb.write_bundle(p, {"strs": strs, "one": np.array(b"hello", dtype=object),
                        "text": np.array(["caf\u00e9"]), "none": np.empty((0,), object)})
    r = cb.BundleReader(p)
    np.testing.assert_array_equal(r.get("strs"), strs)
    assert r.get("one").shape == () and r.get("one")[()] == b"hello"
    assert list(r.get("text")) == ["caf\u00e9".encode()] and r.get("none").shape == (0,)
    assert r.dtypes()["strs"] == np.dtype(object)
    # damage one length byte: the lengths checksum catches it
    data = p + ".data-00000-of-00001"
    raw = bytearray(open(data, "rb").read())
    off = r._entries["strs"]["offset"]
    raw[off + 1] ^= 1
    open(data, "wb").write(bytes(raw))
    with pytest.raises(cb.CheckpointError, match="'strs'"):
        cb.BundleReader(p).get("strs")


def test_tensorflow2_object_checkpoint_with_strings(tmp_path):
    """tests/tf/data/tf2_object: tf.train.Checkpoint(v=Variable([1.5, -2.0]),
    s=Variable([b"ab", b"", b"\\xffz"])) written by TensorFlow 2.21."""
    p = os.path.join(os.path.dirname(DATA), "tf2_object", "ck")
    names = [n for n, _ in tf.train.list_variables(p)]
    assert names == ["_CHECKPOINTABLE_OBJECT_GRAPH", "s/.ATTRIBUTES/VARIABLE_VALUE",
                     "v/.ATTRIBUTES/VARIABLE_VALUE"]
    r = tf.train.load_checkpoint(p)
    assert list(r.get_tensor("s/.ATTRIBUTES/VARIABLE_VALUE")) == [b"ab", b"", b"\xffz"]
    np.testing.assert_array_equal(r.get_tensor("v/.ATTRIBUTES/VARIABLE_VALUE"),
                                  np.array([1.5, -2.0], np.float32))
    graph = r.get_tensor("_CHECKPOINTABLE_OBJECT_GRAPH")[()]
    assert isinstance(graph, bytes) and b"VARIABLE_VALUE" in graph
    # what ndgrad writes for the same tensors has TensorFlow's sizes and checksums
    theirs = cb.BundleReader(p)
    cb.write_bundle(str(tmp_path / "ck"), {n: theirs.get(n) for n in names})
    ours = cb.BundleReader(str(tmp_path / "ck"))
    for n in names:
        assert ours._entries[n]["crc"] == theirs._entries[n]["crc"], n
        assert ours._entries[n]["size"] == theirs._entries[n]["size"], n




# -- a checkpoint TensorFlow wrote ----------------------------------------------------------------
def test_reader_of_tensorflows_checkpoint():
    assert tf.train.latest_checkpoint(DATA) == os.path.join(DATA, "model.ckpt-1")
    st = tf.train.get_checkpoint_state(DATA)
    assert st.all_model_checkpoint_paths == [os.path.join(DATA, "model.ckpt-1")]
    assert [n for n, _ in tf.train.list_variables(DATA)] == TF_NAMES
    r = tf.train.NewCheckpointReader(os.path.join(DATA, "model.ckpt-1"))
    assert r.get_variable_to_shape_map()["dense/kernel"] == [3, 2]
    assert r.get_variable_to_dtype_map()["scale"] == tf.float64
    assert r.has_tensor("dense/bias/Adam") and not r.has_tensor("dense/bias/Adam_2")
    np.testing.assert_array_equal(r.get_tensor("counter"), [7, -3])
    assert r.get_tensor("global_step") == 1
    np.testing.assert_array_equal(tf.train.load_variable(DATA, "flag:0"), [True, False, True])
    with pytest.raises(tf.errors.NotFoundError, match="nope"):
        r.get_tensor("nope")
    # TensorFlow 2.21's NewCheckpointReader(...).debug_string() of this checkpoint
    assert r.debug_string().decode().splitlines()[-4:] == [
        "dense/kernel/Adam_1 (DT_FLOAT) [3,2]", "flag (DT_BOOL) [3]",
        "global_step (DT_INT64) []", "scale (DT_DOUBLE) []"]


def test_restore_tensorflows_checkpoint_with_adam_slots():
    train, feed = tf_adam_graph()
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train, feed)           # the same step TensorFlow took
        ours = {v.op.name: sess.run(v) for v in tf.global_variables()}
        for v in tf.global_variables():  # scramble, then restore
            v.load(np.zeros(v.shape.as_list(), v.dtype.as_numpy_dtype), sess)
        saver.restore(sess, tf.train.latest_checkpoint(DATA))
        restored = {v.op.name: sess.run(v) for v in tf.global_variables()}
    assert sorted(restored) == TF_NAMES
    r = tf.train.load_checkpoint(DATA)
    for n in TF_NAMES:
        np.testing.assert_array_equal(restored[n], r.get_tensor(n))
        # ndgrad's Adam step agrees with TensorFlow's to float32 rounding
        np.testing.assert_allclose(ours[n], r.get_tensor(n), rtol=2e-6, atol=1e-7)


def test_tensorflows_partitioned_variables_read_and_restore_whole():
    """TF saves a partitioned variable as slices of one full tensor under binary
    (OrderedCode) keys; its reader gives the full tensor. ndgrad's reader raised a
    UnicodeDecodeError on those keys; now it places the slices (tests/tf/data/
    tf_partitioned: 3 row slices, 2 of 150 int64 rows (a start past 63), 2 column
    slices)."""
    sys.path.insert(0, os.path.join(os.path.dirname(DATA)))
    try:
        from make_tf_checkpoint import PARTITIONED
    finally:
        sys.path.pop(0)
    d = os.path.join(os.path.dirname(DATA), "tf_partitioned")
    r = tf.train.NewCheckpointReader(os.path.join(d, "model.ckpt"))
    assert r.get_variable_to_shape_map() == {n: list(v.shape)
                                             for n, (v, _, _) in PARTITIONED.items()}
    for n, (full, _, _) in PARTITIONED.items():
        got = r.get_tensor(n)
        assert got.dtype == full.dtype
        np.testing.assert_array_equal(got, full)
    # restored into one (unpartitioned) variable each, as the partitioner's refusal says
    vs = {n: tf.get_variable(n.replace("/", "_"), shape=v.shape, dtype=v.dtype)
          for n, (v, _, _) in PARTITIONED.items()}
    with tf.Session() as sess:
        tf.train.Saver(var_list=vs).restore(sess, os.path.join(d, "model.ckpt"))
        for n, (full, _, _) in PARTITIONED.items():
            np.testing.assert_array_equal(sess.run(vs[n]), full)
    # the key of every slice is TF's encoding (the index holds exactly those keys)
    items = cb._read_table(cb.index_path(os.path.join(d, "model.ckpt")))
    slice_keys = sorted(k for k, _ in items if k[:1] == b"\x00")
    ours = sorted(cb.encode_tensor_name_slice(n, ext)
                  for n, e in r._bundle._entries.items() for ext, _ in e["slices"])
    assert slice_keys == ours and len(ours) == 7


def test_a_missing_slice_is_named(tmp_path):
    import shutil
    d = os.path.join(os.path.dirname(DATA), "tf_partitioned")
    for f in os.listdir(d):
        shutil.copy(os.path.join(d, f), tmp_path / f)
    prefix = str(tmp_path / "model.ckpt")
    items = cb._read_table(cb.index_path(prefix))
    gone = cb.encode_tensor_name_slice("emb", ((4, 3), (0, 4)))
    assert gone in dict(items)
    os.remove(cb.index_path(prefix))
    cb._write_table(cb.index_path(prefix), [(k, v) for k, v in items if k != gone])
    with pytest.raises(cb.CheckpointError, match=r"slice 4:7,0:4 of tensor 'emb' is missing"):
        cb.BundleReader(prefix)


def test_slice_keys_are_tensorflows_ordered_code():
    """EncodeTensorNameSlice's bytes: the keys TF 2.15's SaveV2 wrote for one-row slices
    ``"{start},1:-"`` / ``"{start},1:0,1"`` of tensor 't' (OrderedCode: one byte below 64,
    a header of n bits above)."""
    tf_keys = {64: b"\xc0@\x81\x80\x81", 8191: b"\xdf\xff\x81\x80\x7f",
               8192: b"\xe0 \x00\x81\x80\x81",
               2**34: b"\xfc\x04" + b"\x00" * 4 + b"\x81\x80\x7f",
               2**60: b"\xff\x90" + b"\x00" * 7 + b"\x81\x80\x7f"}
    for start, tail in tf_keys.items():
        cols = (0, -1) if tail.endswith(b"\x7f") else (0, 1)
        assert cb.encode_tensor_name_slice("t", ((start, 1), cols)) == (
            b"\x00t\x00\x01\x01\x02" + tail)
    # a zero or 0xff byte of a name is escaped as OrderedCode escapes it
    assert cb.encode_tensor_name_slice("\x00", ()) == b"\x00\x00\xff\x00\x01\x00"


# -- Saver --------------------------------------------------------------------------------------
def _model():
    with tf.variable_scope("net"):
        w = tf.get_variable("w", initializer=np.array([[1.0, 2.0], [3.0, 4.0]], np.float32))
        b = tf.get_variable("b", initializer=np.array([0.5, 0.25], np.float32))
    n = tf.Variable(np.int64(3), name="n", trainable=False)
    return w, b, n


def test_save_restore_and_state_file(tmp_path):
    w, b, n = _model()
    saver = tf.train.Saver()
    d = str(tmp_path)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        path = saver.save(sess, os.path.join(d, "model.ckpt"), global_step=7)
        assert path == os.path.join(d, "model.ckpt-7")
        sess.run(tf.assign(w, tf.zeros((2, 2))))
        saver.restore(sess, path)
        np.testing.assert_array_equal(sess.run(w), [[1, 2], [3, 4]])
    assert sorted(os.listdir(d)) == ["checkpoint", "model.ckpt-7.data-00000-of-00001",
                                     "model.ckpt-7.index", "model.ckpt-7.meta"]
    text = open(os.path.join(d, "checkpoint")).read()
    assert text.startswith(f'model_checkpoint_path: "{path}"\n'
                           f'all_model_checkpoint_paths: "{path}"\n')
    assert tf.train.checkpoint_exists(path) and not tf.train.checkpoint_exists(path + "x")
    assert tf.train.list_variables(d) == [("n", []), ("net/b", [2]), ("net/w", [2, 2])]


def test_var_list_dict_renames_and_relative_paths(tmp_path):
    w, b, n = _model()
    saver = tf.train.Saver({"kernel": w}, save_relative_paths=True)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        saver.save(sess, str(tmp_path / "m"), write_meta_graph=False)
    assert tf.train.list_variables(str(tmp_path)) == [("kernel", [2, 2])]
    assert 'model_checkpoint_path: "m"' in open(tmp_path / "checkpoint").read()
    assert tf.train.latest_checkpoint(str(tmp_path)) == str(tmp_path / "m")
    with pytest.raises(ValueError, match="same name"):
        tf.train.Saver([w, w])
    with pytest.raises(ValueError, match="doesn't exist"):
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            saver.save(sess, str(tmp_path / "no" / "such" / "m"))


def test_max_to_keep_deletes_old_checkpoints(tmp_path):
    _model()
    saver = tf.train.Saver(max_to_keep=2)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        paths = [saver.save(sess, str(tmp_path / "m"), global_step=i) for i in range(4)]
    assert saver.last_checkpoints == paths[2:]
    assert not any(os.path.exists(paths[0] + s) for s in (".index", ".meta",
                                                          ".data-00000-of-00001"))
    assert all(os.path.exists(p + ".index") for p in paths[2:])
    st = tf.train.get_checkpoint_state(str(tmp_path))
    assert st.model_checkpoint_path == paths[3] and st.all_model_checkpoint_paths == paths[2:]


def test_round_trip_through_a_fresh_process(tmp_path):
    prog = textwrap.dedent(f"""
        import numpy as np, sys
        sys.path.insert(0, {os.path.dirname(os.path.abspath(__file__))!r})
        from test_saver import train_and_save
        vals = train_and_save({str(tmp_path / 'model.ckpt')!r}, 3)
        np.savez({str(tmp_path / 'expect.npz')!r},
                 **{{k.replace('/', '.'): v for k, v in vals.items()}})
        """)
    env = dict(os.environ, PYTHONPATH=ROOT)
    subprocess.run([sys.executable, "-c", prog], check=True, env=env, cwd=ROOT)
    tf_adam_graph()
    saver = tf.train.Saver()
    expect = np.load(tmp_path / "expect.npz")
    with tf.Session() as sess:
        saver.restore(sess, tf.train.latest_checkpoint(str(tmp_path)))
        for v in tf.global_variables():
            got = sess.run(v)
            want = expect[v.op.name.replace("/", ".")]
            assert got.dtype == want.dtype
            np.testing.assert_array_equal(got, want)


# -- damaged and mismatched checkpoints leave every variable unchanged --------------------
def _saved(tmp_path):
    w, b, n = _model()
    saver = tf.train.Saver()
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())
    path = saver.save(sess, str(tmp_path / "m"), write_meta_graph=False)
    sess.run([tf.assign(w, -tf.ones((2, 2))), tf.assign(b, -tf.ones(2))])
    return sess, saver, path, (w, b, n)


def _unchanged(sess, vs):
    w, b, n = vs
    np.testing.assert_array_equal(sess.run(w), -np.ones((2, 2)))
    np.testing.assert_array_equal(sess.run(b), -np.ones(2))
    assert sess.run(n) == 3


def test_bad_crc_in_data_names_file_and_tensor(tmp_path):
    sess, saver, path, vs = _saved(tmp_path)
    data = path + ".data-00000-of-00001"
    raw = bytearray(open(data, "rb").read())
    raw[-1] ^= 0x40                       # inside net/w, the last tensor
    open(data, "wb").write(bytes(raw))
    with pytest.raises(tf.errors.DataLossError, match=r"data-00000-of-00001.*'net/w'"):
        saver.restore(sess, path)
    _unchanged(sess, vs)


@pytest.mark.parametrize("damage", ["truncate_index", "flip_index", "truncate_data",
                                    "remove_data"])
def test_damaged_files(tmp_path, damage):
    sess, saver, path, vs = _saved(tmp_path)
    index, data = path + ".index", path + ".data-00000-of-00001"
    if damage == "truncate_index":
        raw = open(index, "rb").read()
        open(index, "wb").write(raw[:len(raw) // 2])
    elif damage == "flip_index":
        raw = bytearray(open(index, "rb").read())
        raw[3] ^= 1
        open(index, "wb").write(bytes(raw))
    elif damage == "truncate_data":
        raw = open(data, "rb").read()
        open(data, "wb").write(raw[:-3])
    else:
        os.remove(data)
    with pytest.raises(tf.errors.DataLossError, match=r"/m\.(index|data)"):
        saver.restore(sess, path)
    _unchanged(sess, vs)


def test_missing_variable_and_mismatches(tmp_path):
    sess, saver, path, vs = _saved(tmp_path)
    with sess.graph.as_default():
        extra = tf.Variable(np.zeros(2, np.float32), name="extra")
        wide = tf.Variable(np.zeros(3, np.float32), name="wide")
        ints = tf.Variable(np.zeros(2, np.int32), name="ints")
    sess.run([extra.initializer, wide.initializer, ints.initializer])
    w, b, n = vs
    with pytest.raises(tf.errors.NotFoundError, match="Key extra not found in checkpoint"):
        tf.train.Saver([w, b, extra]).restore(sess, path)
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"wide.*\[3\].*net/b.*\[2\]"):
        tf.train.Saver({"net/w": w, "net/b": wide}).restore(sess, path)
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"int32.*float32"):
        tf.train.Saver({"net/w": w, "net/b": ints}).restore(sess, path)
    with pytest.raises(ValueError, match="not a valid checkpoint"):
        saver.restore(sess, str(tmp_path / "nothing"))
    _unchanged(sess, vs)


# -- MetaGraphDef --------------------------------------------------------------------------------
def test_import_meta_graph_restores_and_runs(tmp_path):
    pytest.importorskip("tensorboard")
    x = tf.placeholder(tf.float32, (None, 2), name="x")
    w, b, n = _model()
    out = tf.nn.relu(tf.matmul(x, w) + b, name="out")
    tf.add_to_collection("predict", out)
    saver = tf.train.Saver()
    xv = np.array([[1.0, -2.0]], np.float32)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        want = sess.run(out, {x: xv})
        path = saver.save(sess, str(tmp_path / "m"))
    tf.reset_default_graph()
    saver2 = tf.train.import_meta_graph(path + ".meta")
    g = tf.get_default_graph()
    assert [v.op.name for v in tf.global_variables()] == ["net/w", "net/b", "n"]
    assert [v.op.name for v in tf.trainable_variables()] == ["net/w", "net/b"]
    with tf.Session() as sess:
        saver2.restore(sess, path)
        np.testing.assert_array_equal(sess.run("out:0", {"x:0": xv}), want)
        np.testing.assert_array_equal(sess.run(tf.get_collection("predict")[0],
                                               {g.get_tensor_by_name("x:0"): xv}), want)


# -- TensorFlow itself (the tf_python fixture: this Python or $NDGRAD_TF_PYTHON) -----------
TF_RESTORE = """
import sys, numpy as np, tensorflow as tf
v1 = tf.compat.v1
v1.disable_eager_execution()
x = v1.placeholder(tf.float32, (None, 3), name="x")
y = v1.placeholder(tf.float32, (None, 2), name="y")
with v1.variable_scope("dense"):
    kernel = v1.get_variable("kernel", (3, 2))
    bias = v1.get_variable("bias", (2,))
v1.Variable(np.zeros(2, np.int32), name="counter", trainable=False)
v1.Variable(np.float64(0), name="scale", trainable=False)
v1.Variable(np.zeros(3, bool), name="flag", trainable=False)
step = v1.train.get_or_create_global_step()
loss = tf.reduce_mean(tf.square(tf.matmul(x, kernel) + bias - y))
train = v1.train.AdamOptimizer(0.1).minimize(loss, global_step=step)
saver = v1.train.Saver()
with v1.Session() as sess:
    saver.restore(sess, v1.train.latest_checkpoint(sys.argv[1]))
    vals = {v.op.name.replace("/", "."): sess.run(v) for v in v1.global_variables()}
    np.savez(sys.argv[2], **vals)
"""


def test_tensorflow_restores_ndgrads_checkpoint(tmp_path, tf_python):
    ours = train_and_save(str(tmp_path / "model.ckpt"), 2)
    script = tmp_path / "restore.py"
    script.write_text(TF_RESTORE)
    subprocess.run([tf_python, str(script), str(tmp_path), str(tmp_path / "tf.npz")], check=True,
                   capture_output=True)
    got = np.load(tmp_path / "tf.npz")
    assert sorted(k.replace(".", "/") for k in got.files) == TF_NAMES
    for n, v in ours.items():
        assert got[n.replace("/", ".")].dtype == v.dtype
        np.testing.assert_array_equal(got[n.replace("/", ".")], v)


def test_ndgrad_restores_a_checkpoint_tensorflow_writes_now(tmp_path, tf_python):
    subprocess.run([tf_python, os.path.join(ROOT, "tests", "tf", "data", "make_tf_checkpoint.py"),
                    str(tmp_path)], check=True, capture_output=True)
    tf_adam_graph()
    saver = tf.train.Saver()
    with tf.Session() as sess:
        saver.restore(sess, tf.train.latest_checkpoint(str(tmp_path)))
        vals = {v.op.name: sess.run(v) for v in tf.global_variables()}
    # the values ndgrad restored are the ones this TensorFlow wrote, bit for bit; the
    # stored checkpoint (another TensorFlow build, another CPU) has the same tensors, its
    # Adam slots equal to 1 ulp (TF 2.15 on an AMD EPYC: 1.0200002 against 1.0200003)
    fresh = cb.BundleReader(str(tmp_path / "model.ckpt-1"))
    stored = cb.BundleReader(os.path.join(DATA, "model.ckpt-1"))
    for n in TF_NAMES:
        np.testing.assert_array_equal(vals[n], fresh.get(n))
        want = stored.get(n)
        assert fresh.get(n).dtype == want.dtype and fresh.get(n).shape == want.shape
        np.testing.assert_allclose(fresh.get(n), want, rtol=1e-6, atol=0)




def test_import_meta_graph_under_a_scope_keeps_checkpoint_names(tmp_path):
    pytest.importorskip("tensorboard")
    step = tf.train.get_or_create_global_step()
    v = tf.Variable(np.float32(1.5), name="v")
    inc = tf.assign_add(step, 5)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run([inc, tf.assign(v, 4.0)])
        path = tf.train.Saver().save(sess, str(tmp_path / "m"), global_step=step)
    assert path.endswith("m-5")
    tf.reset_default_graph()
    saver = tf.train.import_meta_graph(path + ".meta", import_scope="imp")
    assert [x.op.name for x in tf.global_variables()] == ["imp/global_step", "imp/v"]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assert sess.run("imp/v:0") == 1.5           # the initializer was rebuilt
        saver.restore(sess, path)
        assert sess.run("imp/v:0") == 4.0 and sess.run("imp/global_step:0") == 5


def test_keep_checkpoint_every_n_hours(tmp_path, monkeypatch):
    import ndgrad.tf.saver as sv
    now = [1000.0]
    monkeypatch.setattr(sv.time, "time", lambda: now[0])
    _model()
    saver = tf.train.Saver(max_to_keep=1, keep_checkpoint_every_n_hours=1.0)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        paths = []
        for i in range(4):
            now[0] = 1000.0 + i * 2400     # 40 minutes apart
            paths.append(saver.save(sess, str(tmp_path / "m"), global_step=i,
                                    write_meta_graph=False))
    # m-0 (t=0) and m-1 (40 min) go; m-2 (80 min, past the hour mark) is kept
    assert [os.path.exists(p + ".index") for p in paths] == [False, False, True, True]


def test_eager_variables_save_and_restore(tmp_path):
    tf.enable_eager_execution()
    try:
        v = tf.Variable(np.array([1.0, 2.0], np.float32), name="ev")
        saver = tf.train.Saver([v])
        path = saver.save(None, str(tmp_path / "e"))
        v.assign(np.array([0.0, 0.0], np.float32))
        saver.restore(None, path)
        np.testing.assert_array_equal(v.numpy(), [1.0, 2.0])
        assert tf.train.list_variables(path) == [("ev", [2])]
    finally:
        tf.disable_eager_execution()


def test_import_meta_graph_rebuilds_array_ops_and_random_initializers(tmp_path):
    pytest.importorskip("tensorboard")
    tf.set_random_seed(3)
    x = tf.placeholder(tf.float32, (None, 4), name="x")
    w = tf.get_variable("w", (4, 2), initializer=tf.random_normal_initializer())
    u = tf.Variable(tf.random_uniform((2,)), name="u")
    tn = tf.Variable(tf.truncated_normal((3,), seed=7), name="tn")
    h = tf.nn.relu(tf.matmul(x, w) + u)
    b = tf.concat([h, tf.reduce_sum(h, axis=[1], keepdims=True)], axis=1)[:, 1:3] * 2.0
    f = tf.nn.softmax(tf.expand_dims(tf.reshape(tf.transpose(b), (-1,)), 0))
    g = tf.reduce_mean(tf.cast(tf.argmax(f, axis=1), tf.float32)) + tf.reduce_max(x ** 2)
    k = tf.gather(tf.constant([1.0, 2.0, 3.0]), tf.constant([2, 0]))
    out = tf.identity(g + tf.reduce_sum(k) + tf.reduce_sum(tf.tanh(f)) + tf.reduce_sum(tn),
                      name="out")
    train = tf.train.AdamOptimizer().minimize(out)
    xv = np.random.default_rng(0).random((3, 4)).astype(np.float32)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        want = sess.run([out, w, u, tn], {x: xv})
    tf.train.export_meta_graph(str(tmp_path / "m.meta"))
    tf.reset_default_graph()
    tf.train.import_meta_graph(str(tmp_path / "m.meta"))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())     # the same seeded draws
        got = sess.run(["out:0", "w:0", "u:0", "tn:0"], {"x:0": xv})
        for a, b_ in zip(want, got):
            np.testing.assert_array_equal(a, b_)
        with pytest.raises(tf.errors.UnimplementedError, match=r"'Adam/update_w/ApplyAdam'"):
            sess.run(train.name, {"x:0": xv})


def test_without_tensorboard_the_checkpoint_is_written_and_meta_skipped(tmp_path, monkeypatch):
    import builtins
    real_import = builtins.__import__

    def no_tensorboard(name, *args, **kw):
        if name.startswith("tensorboard"):
            raise ImportError(f"No module named {name!r} (blocked by the test)")
        return real_import(name, *args, **kw)
    _model()
    saver = tf.train.Saver()
    monkeypatch.setattr(builtins, "__import__", no_tensorboard)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        with pytest.warns(UserWarning, match=r"m\.meta.*ndgrad\[viz\]"):
            path = saver.save(sess, str(tmp_path / "m"))
    assert sorted(os.listdir(tmp_path)) == ["checkpoint", "m.data-00000-of-00001", "m.index"]
    assert tf.train.list_variables(path)[0] == ("n", [])


def test_graph_def_params_round_trip_with_their_types():
    import json
    from ndgrad.tf import graph_def as gd
    vals = [np.float64(1.5), np.float32(-0.0), np.int8(3), (1, (2, None)), slice(1, None, 2),
            Ellipsis, np.dtype(np.int16), np.arange(4, dtype=np.uint8).reshape(2, 2),
            2 + 3j, {"axis": (0, -1), "keepdims": True}, float("nan")]
    back = gd._decode(json.loads(gd._jsonable(vals)))
    for a, b in zip(vals, back):
        assert type(a) is type(b), (a, b)
        if isinstance(a, np.ndarray):
            assert a.dtype == b.dtype and (a == b).all()
        elif isinstance(a, float) and a != a:
            assert b != b
        else:
            assert a == b or (isinstance(a, np.floating) and np.signbit(a) == np.signbit(b))
    assert gd._jsonable([object()]) is None      # such an op is not rebuilt, but stubbed


# -- the classic save/restore lesson, one source text for ndgrad and TensorFlow ------------------
SAVE_RESTORE_LESSON = '''
import json, os, sys
import numpy as np
{tf_import}
out_dir = sys.argv[1]
results = {{}}

# part 1: build, run and save a small graph
w1 = tf.placeholder("float", name="w1")
w2 = tf.placeholder("float", name="w2")
b1 = tf.Variable(2.0, name="bias")
w3 = tf.add(w1, w2)
w4 = tf.multiply(w3, b1, name="op_to_restore")
counter = tf.Variable(0, name="counter")
bump = tf.assign_add(counter, 1)
saver = tf.train.Saver(max_to_keep=2)
sess = tf.Session()
sess.run(tf.global_variables_initializer())
results["first"] = float(sess.run(w4, {{w1: 4, w2: 8}}))
for step in (1000, 2000, 3000):
    sess.run(bump)
    saver.save(sess, os.path.join(out_dir, "my_test_model"), global_step=step)
sess.close()
results["kept"] = sorted(f for f in os.listdir(out_dir) if f.endswith(".index"))

# part 2: a new graph from the .meta file, values from the newest checkpoint
tf.reset_default_graph()
sess = tf.Session()
saver = tf.train.import_meta_graph(os.path.join(out_dir, "my_test_model-3000.meta"))
saver.restore(sess, tf.train.latest_checkpoint(out_dir))
graph = tf.get_default_graph()
w1 = graph.get_tensor_by_name("w1:0")
w2 = graph.get_tensor_by_name("w2:0")
op_to_restore = graph.get_tensor_by_name("op_to_restore:0")
results["restored"] = float(sess.run(op_to_restore, {{w1: 13.0, w2: 17.0}}))
results["counter"] = int(sess.run("counter:0"))
results["bias"] = float(sess.run("bias:0"))

# part 3: the same variables rebuilt by code, restored by name
tf.reset_default_graph()
bias = tf.Variable(0.0, name="bias")
counter = tf.Variable(0, name="counter")
with tf.Session() as sess:
    tf.train.Saver().restore(sess, tf.train.latest_checkpoint(out_dir))
    results["by_code"] = [float(sess.run(bias)), int(sess.run(counter))]
reader = tf.train.NewCheckpointReader(tf.train.latest_checkpoint(out_dir))
results["shapes"] = sorted(reader.get_variable_to_shape_map().items())
print(json.dumps(results))
'''


def _lesson(tmp_path, python, tf_import, sub):
    d = tmp_path / sub
    d.mkdir()
    src = tmp_path / f"{sub}.py"
    src.write_text(SAVE_RESTORE_LESSON.format(tf_import=tf_import))
    r = subprocess.run([python, str(src), str(d)], capture_output=True, text=True,
                       env=dict(os.environ, PYTHONPATH=ROOT), cwd=ROOT)
    assert r.returncode == 0, r.stderr[-3000:]
    import json
    return json.loads(r.stdout.strip().splitlines()[-1])


def test_save_restore_lesson(tmp_path):
    got = _lesson(tmp_path, sys.executable, "import ndgrad.tf as tf", "nd")
    assert got == {"first": 24.0, "kept": ["my_test_model-2000.index",
                                           "my_test_model-3000.index"],
                   "restored": 60.0, "counter": 3, "bias": 2.0, "by_code": [2.0, 3],
                   "shapes": [["bias", []], ["counter", []]]}


def test_save_restore_lesson_gives_tensorflows_results(tmp_path, tf_python):
    ours = _lesson(tmp_path, sys.executable, "import ndgrad.tf as tf", "nd")
    theirs = _lesson(tmp_path, tf_python, "import tensorflow.compat.v1 as tf\n"
                     "tf.disable_v2_behavior()", "tf")
    assert ours == theirs


def test_init_from_checkpoint(tmp_path):
    with tf.variable_scope("new"):
        k = tf.get_variable("kernel", (3, 2))
        bias = tf.get_variable("bias", (2,))
    c = tf.Variable(np.zeros(2, np.int32), name="c")
    before = [v.initializer for v in (k, bias, c)]
    for bad, msg in [({"dense/kernel": c}, r"Shape of variable c:0 \(\[2\]\)"),
                     ({"counter": bias}, "dtype of variable new/bias"),
                     ({"dense/": "nothere/"}, "no variable of the graph is under scope"),
                     ({"nope": c}, "Tensor nope is not found"),
                     ({"dense/": "new/", "scale": c}, "Shape")]:
        with pytest.raises(ValueError, match=msg):
            tf.train.init_from_checkpoint(DATA, bad)
    assert [v.initializer for v in (k, bias, c)] == before    # nothing changed
    tf.train.init_from_checkpoint(DATA, {"dense/": "new/", "counter": "c"})
    r = tf.train.load_checkpoint(DATA)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_array_equal(sess.run(k), r.get_tensor("dense/kernel"))
        np.testing.assert_array_equal(sess.run(bias), r.get_tensor("dense/bias"))
        np.testing.assert_array_equal(sess.run(c), [7, -3])


def test_save_makes_the_checkpoints_own_folder_not_the_ones_above(tmp_path):
    """TF's bundle writer makes the checkpoint's folder (one level): ``saver.save(sess,
    './model/dnn.ckpt')`` in a fresh directory works (golbin's TensorBoard/Saver
    chapter), where ndgrad refused it; a missing folder above it is TF's ValueError, and
    nothing is written."""
    import os
    g = tf.Graph()
    with g.as_default():
        w = tf.Variable(1.5, name="w")
        saver = tf.train.Saver()
        with tf.Session() as s:
            s.run(tf.global_variables_initializer())
            p = saver.save(s, str(tmp_path / "model" / "dnn.ckpt"), global_step=2)
            assert sorted(os.listdir(tmp_path / "model")) == [
                "checkpoint", "dnn.ckpt-2.data-00000-of-00001", "dnn.ckpt-2.index",
                "dnn.ckpt-2.meta"]
            with pytest.raises(ValueError, match="Parent directory of .* doesn't exist"):
                saver.save(s, str(tmp_path / "a" / "b" / "dnn.ckpt"))
            assert not (tmp_path / "a").exists()
            s.run(w.assign(7.0))
            saver.restore(s, p)
            assert s.run(w) == 1.5

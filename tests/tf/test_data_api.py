"""tf.data (ndgrad/tf/dataset_ops.py): pipelines and TF 1 iterators give TensorFlow's
elements, shapes, dtypes and end-of-sequence errors (checked against TF 2.21's compat.v1;
TensorFlow-Examples' tensorflow_dataset_api.py needed them, compat/tf_examples)."""
import json
import subprocess

import numpy as np
import pytest

import ndgrad.tf as tf

# Source run by both sides (the oracle test runs it under TensorFlow)
PROGRAM = r'''
def data_program(tf, np):
    """Runs dataset pipelines in a graph; returns what every fetch gave (lists)."""
    out = {}
    with tf.Graph().as_default():
        x = tf.placeholder(tf.float32, [None, 2])
        ds = tf.data.Dataset.from_tensor_slices((x, tf.constant([5, 6, 7, 8, 9])))
        it = ds.repeat(2).skip(1).batch(4).make_initializable_iterator()
        a, b = it.get_next()
        d = tf.data.Dataset.from_tensor_slices({"k": [1.5, 2.5, 3.5]})
        d = d.concatenate(tf.data.Dataset.from_tensor_slices({"k": [9.0]})).take(3)
        z = tf.data.Dataset.zip((d, tf.data.Dataset.range(10, 20, 4)))
        zi = z.batch(2, drop_remainder=True).make_one_shot_iterator()
        zn = zi.get_next()
        one = tf.data.Dataset.from_tensors(np.arange(6).reshape(2, 3)).repeat(2)
        on = one.make_one_shot_iterator().get_next()
        out["shapes"] = [str(s) for s in (a.shape, b.shape, zn[0]["k"].shape, zn[1].shape,
                                          on.shape)]
        out["types"] = [t.name for t in (a.dtype, b.dtype, zn[0]["k"].dtype, zn[1].dtype,
                                         on.dtype)]
        with tf.Session() as s:
            got = []
            for feed in (np.arange(10, dtype=np.float32).reshape(5, 2),
                         np.ones((2, 2), np.float32)):
                s.run(it.initializer, {x: feed[:, :]} if feed.shape[0] == 5 else
                      {x: np.ones((5, 2), np.float32) * 2})
                while True:
                    try:
                        va, vb = s.run([a, b])
                    except tf.errors.OutOfRangeError:
                        got.append("end")
                        break
                    got.append([va.tolist(), vb.tolist()])
            out["batches"] = got
            r = s.run(zn)
            out["zip"] = [r[0]["k"].tolist(), r[1].tolist()]
            try:
                s.run(zn)
                out["zip_end"] = "more"
            except tf.errors.OutOfRangeError:
                out["zip_end"] = "end"
            out["one"] = [s.run(on).tolist(), s.run([on, on])[0].tolist()]
            try:
                s.run(on)
                out["one_end"] = "more"
            except tf.errors.OutOfRangeError:
                out["one_end"] = "end"
    return out
def map_program(tf, np):
    out = {}
    with tf.Graph().as_default():
        scale = tf.placeholder(tf.float32, [])
        ds = tf.data.Dataset.from_tensor_slices((np.arange(6, dtype=np.float32),
                                                 np.arange(6, dtype=np.int64)))
        ds = ds.map(lambda a, b: {"s": a * scale, "p": tf.cast(b, tf.float32) + a,
                                  "v": tf.stack([a, a + 1.0])})
        ds = ds.filter(lambda d: d["p"] > 2.5).batch(2)
        it = ds.make_initializable_iterator()
        nx = it.get_next()
        out["shapes"] = {k: str(v.shape) for k, v in nx.items()}
        out["types"] = {k: v.dtype.name for k, v in nx.items()}
        m2 = tf.data.Dataset.range(4).map(lambda i: (i * 2, tf.cast(i, tf.float64) / 3))
        n2 = m2.make_one_shot_iterator().get_next()
        with tf.Session() as s:
            got = []
            for sc in (2.0, -1.0):
                s.run(it.initializer, {scale: sc})
                while True:
                    try:
                        v = s.run(nx)
                    except tf.errors.OutOfRangeError:
                        break
                    got.append({k: x.tolist() for k, x in v.items()})
            out["batches"] = got
            out["pairs"] = [[int(a), float(b)] for a, b in (s.run(n2) for _ in range(4))]
    return out
def reinit_program(tf, np):
    """A reinitializable iterator switched between a training and a validation set."""
    out = {}
    with tf.Graph().as_default():
        train = tf.data.Dataset.from_tensor_slices(
            (np.arange(10, dtype=np.float32), np.arange(10) % 3)).batch(4)
        val = tf.data.Dataset.from_tensor_slices(
            (np.array([100.0, 200.0], np.float32), np.array([7, 8]))).batch(4)
        it = tf.data.Iterator.from_structure(train.output_types, train.output_shapes)
        x, y = it.get_next()
        ti, vi = it.make_initializer(train), it.make_initializer(val)
        out["spec"] = [str(x.shape), x.dtype.name, str(y.shape), y.dtype.name]
        seq = []
        with tf.Session() as s:
            for init in (ti, vi, ti):
                s.run(init)
                seq.append([v.tolist() for v in s.run([x, y])])
            try:
                tf.data.Iterator.from_structure(train.output_types).make_initializer(
                    tf.data.Dataset.range(3))
                out["mismatch"] = "accepted"
            except (TypeError, ValueError) as e:
                out["mismatch"] = type(e).__name__
        out["seq"] = seq
    return out
'''
_P = {}
exec(PROGRAM, _P)

# data_program(tf, np) under TF 2.21 (tensorflow.compat.v1, disable_v2_behavior), as JSON
TF_OUT = json.loads('''
{"shapes": ["(?, 2)", "(?,)", "(2,)", "(2,)", "(2, 3)"], "types": ["float32", "int32", "float32", "int64", "int64"], "batches": [[[[2.0, 3.0], [4.0, 5.0], [6.0, 7.0], [8.0, 9.0]], [6, 7, 8, 9]], [[[0.0, 1.0], [2.0, 3.0], [4.0, 5.0], [6.0, 7.0]], [5, 6, 7, 8]], [[[8.0, 9.0]], [9]], "end", [[[2.0, 2.0], [2.0, 2.0], [2.0, 2.0], [2.0, 2.0]], [6, 7, 8, 9]], [[[2.0, 2.0], [2.0, 2.0], [2.0, 2.0], [2.0, 2.0]], [5, 6, 7, 8]], [[[2.0, 2.0]], [9]], "end"], "zip": [[1.5, 2.5], [10, 14]], "zip_end": "end", "one": [[[0, 1, 2], [3, 4, 5]], [[0, 1, 2], [3, 4, 5]]], "one_end": "end"}
''')

# map_program(tf, np) under TF 2.21, as JSON (map and filter; a captured placeholder takes
# the value fed to the initializer)
TF_MAP_OUT = json.loads('''
{"shapes": {"s": "(?,)", "p": "(?,)", "v": "(?, 2)"}, "types": {"s": "float32", "p": "float32", "v": "float32"}, "batches": [{"s": [4.0, 6.0], "p": [4.0, 6.0], "v": [[2.0, 3.0], [3.0, 4.0]]}, {"s": [8.0, 10.0], "p": [8.0, 10.0], "v": [[4.0, 5.0], [5.0, 6.0]]}, {"s": [-2.0, -3.0], "p": [4.0, 6.0], "v": [[2.0, 3.0], [3.0, 4.0]]}, {"s": [-4.0, -5.0], "p": [8.0, 10.0], "v": [[4.0, 5.0], [5.0, 6.0]]}], "pairs": [[0, 0.0], [2, 0.3333333333333333], [4, 0.6666666666666666], [6, 1.0]]}
''')

# reinit_program(tf, np) under TF 2.21, as JSON (Iterator.from_structure / make_initializer)
TF_REINIT_OUT = json.loads('''
{"spec": ["(?,)", "float32", "(?,)", "int64"], "mismatch": "ValueError", "seq": [[[0.0, 1.0, 2.0, 3.0], [0, 1, 2, 0]], [[100.0, 200.0], [7, 8]], [[0.0, 1.0, 2.0, 3.0], [0, 1, 2, 0]]]}
''')


def test_pipelines_give_tensorflows_elements():
    assert json.loads(json.dumps(_P["data_program"](tf, np))) == TF_OUT


def test_reinitializable_iterator_gives_tensorflows_elements():
    assert json.loads(json.dumps(_P["reinit_program"](tf, np))) == TF_REINIT_OUT


def test_map_and_filter_give_tensorflows_elements():
    assert json.loads(json.dumps(_P["map_program"](tf, np))) == TF_MAP_OUT


ORACLE = """
import json, sys, numpy as np
import tensorflow.compat.v1 as tf
tf.disable_v2_behavior()
exec(open(sys.argv[1]).read())
print(json.dumps([data_program(tf, np), map_program(tf, np), reinit_program(tf, np)]))
"""


def test_pipelines_oracle(tmp_path, tf_python):
    src = tmp_path / "prog.py"
    src.write_text(PROGRAM)
    r = subprocess.run([tf_python, "-c", ORACLE, str(src)], check=True, capture_output=True,
                       text=True)
    assert json.loads(r.stdout.strip().splitlines()[-1]) \
        == [TF_OUT, TF_MAP_OUT, TF_REINIT_OUT]


def _passes(ds, *counts):
    """The first ``counts[k]`` elements of pass ``k`` of an initializable iterator over
    ``ds`` (one initialization per pass, in one session)."""
    it = ds.make_initializable_iterator()
    x = it.get_next()
    out = []
    with tf.Session() as s:
        for n in counts:
            s.run(it.initializer)
            out.append([int(s.run(x)) for _ in range(n)])
    return out


def test_shuffle_permutes_reshuffles_each_epoch_and_repeats_per_seed():
    """TF's random stream is not ndgrad's: the order is checked for what TF documents."""
    first, again = _passes(tf.data.Dataset.range(50).shuffle(50, seed=3).repeat(2), 100, 100)
    assert sorted(first[:50]) == sorted(first[50:]) == list(range(50))
    assert first[:50] != first[50:] and first[:50] != list(range(50))
    assert again == first  # a seeded pipeline restarts with the same order
    fixed = tf.data.Dataset.range(20).shuffle(5, seed=1, reshuffle_each_iteration=False)
    n = fixed.repeat(2).make_one_shot_iterator().get_next()
    with tf.Session() as s:
        got = [int(s.run(n)) for _ in range(40)]
    assert got[:20] == got[20:] and sorted(got[:20]) == list(range(20))
    # a buffer of 5 moves no element earlier than 4 places ahead of its position
    assert all(got.index(v) >= v - 4 for v in range(20))


def test_errors_are_tensorflows():
    it = tf.data.Dataset.range(3).make_initializable_iterator()
    with tf.Session() as s:
        with pytest.raises(tf.errors.FailedPreconditionError, match="not been initialized"):
            s.run(it.get_next())
    ragged = tf.data.Dataset.from_tensors([1, 2]).concatenate(
        tf.data.Dataset.from_tensors([1, 2, 3])).batch(2)
    nx = ragged.make_one_shot_iterator().get_next()
    with tf.Session() as s:
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"different shapes in component 0.*\[2\].*\[3\]"):
            s.run(nx)
    with pytest.raises(ValueError, match="same dimension 0"):
        tf.data.Dataset.from_tensor_slices((np.zeros(3), np.zeros(4)))
    with pytest.raises(RuntimeError, match="eager mode"):
        iter(tf.data.Dataset.range(2)).__next__()
    with pytest.raises(ValueError, match="one-shot"):
        tf.data.Dataset.range(2).make_one_shot_iterator().initializer


@pytest.fixture
def eager():
    tf.enable_eager_execution()
    yield
    tf.disable_eager_execution()


def test_eager_iteration(eager):
    ds = tf.data.Dataset.from_tensor_slices(([1.0, 2.0, 3.0], [4, 5, 6])).batch(2)
    got = [(np.asarray(a).tolist(), np.asarray(b).tolist()) for a, b in ds]
    assert got == [([1.0, 2.0], [4, 5]), ([3.0], [6])]
    with pytest.raises(RuntimeError, match="iterate the dataset"):
        ds.make_one_shot_iterator()
    m = tf.data.Dataset.range(5).map(lambda i: i * 3).filter(lambda v: v % 2 == 0)
    assert [int(np.asarray(v)) for v in m] == [0, 6, 12]


def _elements(ds, n=100):
    x = ds.make_one_shot_iterator().get_next()
    out = []
    with tf.Session() as s:
        for _ in range(n):
            try:
                v = s.run(x)
            except tf.errors.OutOfRangeError:
                return out
            out.append(np.asarray(v).tolist())
    return out


def test_apply_shard_cache_unbatch_as_tensorflow():
    # TensorFlow 2.15.1's elements (compat.v1 graph mode)
    D = tf.data.Dataset
    assert _elements(D.range(10).shard(3, 1)) == [1, 4, 7]
    assert _elements(D.range(3).apply(lambda ds: ds.map(lambda x: x + 1))) == [1, 2, 3]
    assert _elements(D.range(3).cache().repeat(2)) == [0, 1, 2, 0, 1, 2]
    assert _elements(D.range(6).batch(4).apply(tf.data.experimental.unbatch())) == \
        [0, 1, 2, 3, 4, 5]
    assert _elements(D.from_tensor_slices(np.arange(6).reshape(3, 2)).batch(2).unbatch()) \
        == [[0, 1], [2, 3], [4, 5]]
    with pytest.raises(tf.errors.InvalidArgumentError):
        D.range(10).shard(3, 3)
    with pytest.raises(TypeError):
        D.range(10).apply(lambda ds: 3)
    with pytest.raises(ValueError):
        D.range(10).unbatch()          # scalar components


def test_cache_keeps_the_first_pass_of_a_shuffle():
    # a second pass over cache() gives the first pass's elements (the shuffle upstream
    # does not run again); without cache each pass reshuffles
    D = tf.data.Dataset
    got = _elements(D.range(20).shuffle(20, seed=3).cache().repeat(3))
    assert got[:20] == got[20:40] == got[40:] and sorted(got[:20]) == list(range(20))
    plain = _elements(D.range(20).shuffle(20, seed=3).repeat(3))
    assert plain[:20] != plain[20:40] or plain[20:40] != plain[40:]
    # a pass cut short keeps nothing: the next pass runs the shuffle again
    first, again = _passes(D.range(20).shuffle(20, seed=3).cache(), 5, 20)
    assert sorted(again) == list(range(20)) and len(first) == 5

"""Optimizers update only the rows a gradient reached through gathers, as TensorFlow's.

TF's gradient of ``tf.gather``/``tf.nn.embedding_lookup`` with respect to a variable is an
IndexedSlices, and its optimizers apply it with their sparse kernels, which leave every
other row -- and its slots -- untouched. With momentum or a decaying mean square, a
dense update with zeros there still moves those rows: ndgrad did that, and an embedding
trained with MomentumOptimizer or RMSPropOptimizer silently drifted from TF's (rows seen
in an earlier batch kept moving). The expected values below are TensorFlow 2.21's
(``tf.compat.v1``, graph mode, CPU), from the program in PROGRAM run there; the oracle
test runs it again where TensorFlow is installed (``NDGRAD_TF_PYTHON``).
"""
import subprocess

import numpy as np
import pytest

import ndgrad.tf as tf
from ndgrad.graph.gradients import sparse_rows

PROGRAM = '''
import numpy as np

E0 = np.arange(24, dtype=np.float32).reshape(6, 4) / 10.0
OPTIMIZERS = {
    "momentum": lambda tf: tf.train.MomentumOptimizer(0.1, 0.9),
    "nesterov": lambda tf: tf.train.MomentumOptimizer(0.1, 0.9, use_nesterov=True),
    "rmsprop": lambda tf: tf.train.RMSPropOptimizer(0.1),
    "rmsprop_mom_centered": lambda tf: tf.train.RMSPropOptimizer(0.1, momentum=0.5,
                                                                 centered=True),
    "adagrad": lambda tf: tf.train.AdagradOptimizer(0.1),
    "adam": lambda tf: tf.train.AdamOptimizer(0.1),
    "sgd": lambda tf: tf.train.GradientDescentOptimizer(0.1),
}


def train(tf, opt_name, lookup):
    """8 steps on an embedding table through ``lookup`` ("embedding", "gather" with
    repeated ids in a batch, "one_hot": the same loss through a dense matmul)."""
    g = tf.Graph()
    with g.as_default():
        E = tf.Variable(E0)
        ids = tf.placeholder(tf.int32, (None,))
        if lookup == "one_hot":
            rows = tf.matmul(tf.one_hot(ids, 6), E)
        elif lookup == "embedding":
            rows = tf.nn.embedding_lookup(E, ids)
        else:
            rows = tf.gather(E, ids)
        loss = tf.reduce_sum(tf.square(rows - 1.0) * tf.constant([1.0, 2.0, 3.0, 4.0]))
        train_op = OPTIMIZERS[opt_name](tf).minimize(loss)
        init = tf.global_variables_initializer()
    batches = [[0, 2], [2, 3], [0, 0, 5] if lookup != "embedding" else [0, 5], [1]] * 2
    with tf.Session(graph=g) as s:
        s.run(init)
        for b in batches:
            s.run(train_op, {ids: b})
        return s.run(E)
'''
_P = {}
exec(PROGRAM, _P)

# TensorFlow 2.21's tables after the 8 steps (see the module docstring)
TF_VALUES = {
    ("momentum", "embedding"): [
        [1.3086, 1.729, 1.61456, 1.2861599], [0.724, 1.0, 1.152, 1.204],
        [1.06172, 1.081, 1.0, 0.95912004], [1.092, 1.0, 0.848, 0.65999997],
        [1.6, 1.7, 1.8, 1.9], [1.4599999, 1.0, 0.54399997, 0.11600006]],
    ("nesterov", "gather"): [
        [1.3950409, 0.9716358, 0.8330977, 0.9531117], [0.86656, 1.1331999, 1.1865599, 1.1132799],
        [1.0649645, 1.0350101, 1.0, 1.004901], [1.0444801, 0.92008007, 0.81344, 0.8112],
        [1.6, 1.7, 1.8, 1.9], [1.2224, 0.70696, 0.44032001, 0.50912]],
    ("rmsprop", "embedding"): [
        [0.52024657, 0.71374077, 0.8200384, 0.8951075],
        [0.6124129, 0.78763205, 0.89753234, 0.9669272],
        [0.92783207, 0.99099773, 1.0, 1.0000118], [1.1235673, 1.1092738, 1.1024677, 1.1254065],
        [1.6, 1.7, 1.8, 1.9], [1.6872513, 1.6637887, 1.7205973, 1.8022796]],
    ("rmsprop_mom_centered", "gather"): [
        [0.9352721, 1.116309, 1.1693029, 1.1782434],
        [0.67419386, 0.8828458, 1.0044718, 1.0712811],
        [0.98718244, 1.0230316, 1.0, 1.0012876], [1.1025282, 1.0484043, 0.9955282, 0.9822431],
        [1.6, 1.7, 1.8, 1.9], [1.5897623, 1.5062759, 1.5386169, 1.60991]],
}


@pytest.mark.parametrize("key", sorted(TF_VALUES))
def test_sparse_updates_give_tensorflows_tables(key):
    got = _P["train"](tf, *key)
    np.testing.assert_allclose(got, np.float32(TF_VALUES[key]), rtol=2e-6, atol=1e-6)
    # the row no batch reached is the initial one, bit for bit
    np.testing.assert_array_equal(got[4], _P["E0"][4])


@pytest.mark.parametrize("opt", ["momentum", "rmsprop", "rmsprop_mom_centered", "adagrad",
                                 "adam", "sgd"])
def test_a_dense_path_to_the_same_loss_updates_every_row(opt):
    # one_hot @ E reaches E densely: TF (and ndgrad) update every row, slots included
    dense = _P["train"](tf, opt, "one_hot")
    sparse = _P["train"](tf, opt, "gather")
    moved = not np.allclose(dense, sparse, rtol=1e-6)
    assert moved == (opt in ("momentum", "rmsprop", "rmsprop_mom_centered")), opt


def test_which_gradients_are_sparse():
    E = tf.Variable(np.ones((6, 4), np.float32))
    ids = tf.placeholder(tf.int32, (None,))
    looked = tf.reduce_sum(tf.nn.embedding_lookup(E, ids) ** 2)
    g, = tf.gradients(looked, [E])
    assert sparse_rows(g) is not None
    g2, = tf.gradients(looked + tf.reduce_sum(tf.gather(E, ids)), [E])
    assert sparse_rows(g2) is not None          # two gathers: their rows together
    g3, = tf.gradients(looked + tf.reduce_sum(E), [E])
    assert sparse_rows(g3) is None              # a dense term: dense, as TF's sum
    g4, = tf.gradients(tf.reduce_sum(tf.gather(E, [1, 2], axis=1)), [E])
    assert sparse_rows(g4) is None              # columns: TF's gradient is dense too
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        dense, rows = s.run([g2, sparse_rows(g2)], {ids: [0, 3, 3]})
    np.testing.assert_array_equal(np.sort(rows), [0, 0, 3, 3, 3, 3])
    np.testing.assert_array_equal(np.flatnonzero(np.abs(dense).sum(axis=1)), [0, 3])


def test_sparse_update_with_an_out_of_range_id_is_a_clear_error():
    E = tf.Variable(np.ones((3, 2), np.float32))
    ids = tf.placeholder(tf.int32, (None,))
    train = tf.train.MomentumOptimizer(0.1, 0.9).minimize(
        tf.reduce_sum(tf.gather(E, ids)))
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        before = s.run(E)
        with pytest.raises(tf.errors.InvalidArgumentError):
            s.run(train, {ids: [0, 7]})
        np.testing.assert_array_equal(s.run(E), before)   # nothing written


ORACLE = """
import sys, numpy as np
import tensorflow.compat.v1 as tf
tf.disable_v2_behavior()
ns = {}
exec(open(sys.argv[1]).read(), ns)
out = {}
for opt in ns["OPTIMIZERS"]:
    for lookup in ("embedding", "gather", "one_hot"):
        out[opt + "/" + lookup] = ns["train"](tf, opt, lookup)
np.savez(sys.argv[2], **out)
"""


def test_every_optimizer_and_lookup_gives_tensorflows_table(tmp_path, tf_python):
    (tmp_path / "program.py").write_text(PROGRAM)
    (tmp_path / "oracle.py").write_text(ORACLE)
    subprocess.run([tf_python, str(tmp_path / "oracle.py"), str(tmp_path / "program.py"),
                    str(tmp_path / "tf.npz")], check=True, capture_output=True)
    want = np.load(tmp_path / "tf.npz")
    for key in want.files:
        opt, lookup = key.split("/")
        np.testing.assert_allclose(_P["train"](tf, opt, lookup), want[key], rtol=2e-6,
                                   atol=1e-6, err_msg=key)


EAGER_PROGRAM = '''
import numpy as np


def train_eager(tf, opt, gather):
    """The graph program's steps in eager mode: a tape per step, apply_gradients."""
    E = tf.Variable(np.arange(24, dtype=np.float32).reshape(6, 4) / 10.0)
    for b in [[0, 2], [2, 3], [0, 0, 5], [1]] * 2:
        with tf.GradientTape() as t:
            rows = tf.gather(E, b) if gather else tf.matmul(tf.one_hot(b, 6), E)
            loss = tf.reduce_sum(tf.square(rows - 1.0) * tf.constant([1.0, 2.0, 3.0, 4.0]))
        grads = t.gradient(loss, [E])
        opt.apply_gradients(zip(grads, [E]))
    return E.numpy()
'''
_E = {}
exec(EAGER_PROGRAM, _E)


@pytest.fixture
def eager_mode():
    tf.enable_eager_execution()
    yield
    tf.disable_eager_execution()


@pytest.mark.parametrize("key", [("nesterov", "gather"), ("rmsprop_mom_centered", "gather")])
def test_eager_tapes_and_optimizers_update_only_gathered_rows(key, eager_mode):
    # TF's tape gives an IndexedSlices for a gather too: the same tables as graph mode
    got = _E["train_eager"](tf, _P["OPTIMIZERS"][key[0]](tf), True)
    np.testing.assert_allclose(got, np.float32(TF_VALUES[key]), rtol=2e-6, atol=1e-6)
    dense = _E["train_eager"](tf, _P["OPTIMIZERS"][key[0]](tf), False)
    assert not np.allclose(dense, got, rtol=1e-6)     # the dense path moves every row


EAGER_ORACLE = """
import sys, numpy as np
import tensorflow as tf
ns = {}
exec(open(sys.argv[1]).read(), ns)
exec(open(sys.argv[3]).read(), ns)
out = {}
for opt in ("momentum", "nesterov", "rmsprop", "rmsprop_mom_centered", "adam"):
    for gather in (True, False):
        out[opt + "/" + str(gather)] = ns["train_eager"](
            tf, ns["OPTIMIZERS"][opt](tf.compat.v1), gather)
np.savez(sys.argv[2], **out)
"""


def test_eager_optimizers_give_tensorflows_tables(tmp_path, tf_python, eager_mode):
    (tmp_path / "program.py").write_text(PROGRAM)
    (tmp_path / "eager.py").write_text(EAGER_PROGRAM)
    (tmp_path / "oracle.py").write_text(EAGER_ORACLE)
    subprocess.run([tf_python, str(tmp_path / "oracle.py"), str(tmp_path / "program.py"),
                    str(tmp_path / "tf.npz"), str(tmp_path / "eager.py")], check=True,
                   capture_output=True)
    want = np.load(tmp_path / "tf.npz")
    for key in want.files:
        opt, gather = key.split("/")
        got = _E["train_eager"](tf, _P["OPTIMIZERS"][opt](tf), gather == "True")
        np.testing.assert_allclose(got, want[key], rtol=2e-6, atol=1e-6, err_msg=key)


CLIP_PROGRAM = '''
import numpy as np


def train_clipped(tf, opt_name, clip="global"):
    """An embedding and a dense weight, gradients clipped by their global norm (the
    common TF1 pattern) before Momentum / RMSProp: TF keeps the embedding's gradient an
    IndexedSlices through clip_by_global_norm, so only the looked-up rows move."""
    g = tf.Graph()
    with g.as_default():
        E = tf.Variable(np.arange(24, dtype=np.float32).reshape(6, 4) / 10.0)
        W = tf.Variable(np.ones((4, 1), np.float32))
        ids = tf.placeholder(tf.int32, (None,))
        loss = tf.reduce_sum(tf.square(tf.matmul(tf.nn.embedding_lookup(E, ids), W) - 3.0))
        opt = (tf.train.MomentumOptimizer(0.05, 0.9) if opt_name == "momentum"
               else tf.train.RMSPropOptimizer(0.05))
        gv = opt.compute_gradients(loss, [E, W])
        grads = ([tf.clip_by_norm(gr, 1.0) for gr, _ in gv] if clip == "norm" else
                 tf.clip_by_global_norm([gr for gr, _ in gv], 1.0)[0])
        train = opt.apply_gradients(zip(grads, [E, W]))
        init = tf.global_variables_initializer()
    with tf.Session(graph=g) as s:
        s.run(init)
        for b in [[0, 2], [2, 3], [1, 5], [4]] * 2:   # (no id twice in a batch: see below)
            s.run(train, {ids: b})
        return np.concatenate([s.run(E), s.run(W).T])
'''
_C = {}
exec(CLIP_PROGRAM, _C)

# TensorFlow 2.21's E (6 rows) and W (transposed, last row) after the 8 steps
TF_CLIPPED = {
    "momentum": [
        [0.06909781, 0.16903508, 0.26897237, 0.36890966], [0.4069052, 0.50689554, 0.60688597, 0.70687634],
        [0.7582004, 0.85819376, 0.95818716, 1.0581806], [1.1628212, 1.2628106, 1.3628001, 1.4627898],
        [1.5689015, 1.6689603, 1.7690188, 1.8690774], [1.9708724, 2.07088, 2.1708875, 2.2708948],
        [0.567072, 0.5596135, 0.552155, 0.54469657]],
    "rmsprop": [
        [0.050900646, 0.15082841, 0.25075734, 0.3506875], [0.4042886, 0.50428283, 0.6042773, 0.704272],
        [0.7783486, 0.8783562, 0.97836345, 1.0783702], [1.1726961, 1.2726725, 1.3726486, 1.4726245],
        [1.5751777, 1.6752344, 1.7752894, 1.8753425], [1.9776409, 2.0776672, 2.1776924, 2.2777166],
        [0.8381271, 0.8336439, 0.8293215, 0.8251638]],
}


# the same with each gradient clipped by its own norm (tf.clip_by_norm keeps an
# IndexedSlices too)
TF_CLIPPED_BY_NORM = {
    "momentum": [
        [0.06894486, 0.16967037, 0.2703959, 0.3711214], [0.41986346, 0.52090895, 0.62195456, 0.72300005],
        [0.7630247, 0.8633117, 0.9635989, 1.063886], [1.1334229, 1.2318335, 1.3302443, 1.428655],
        [1.5329744, 1.6294352, 1.7258959, 1.8223567], [1.9353067, 2.0330105, 2.130715, 2.2284188],
        [0.3631456, 0.4250105, 0.4868753, 0.54874015]],
    "rmsprop": [
        [0.05130199, 0.1514027, 0.25151828, 0.35164806], [0.41060755, 0.51082194, 0.6110493, 0.71127546],
        [0.7737949, 0.8735125, 0.9732202, 1.072933], [1.1501522, 1.2491367, 1.3480955, 1.4470878],
        [1.5484008, 1.6475298, 1.7465748, 1.8455969], [1.949495, 2.0485907, 2.1476347, 2.2466831],
        [0.7741284, 0.79525733, 0.81961197, 0.84532624]],
}


@pytest.mark.parametrize("opt", sorted(TF_CLIPPED))
@pytest.mark.parametrize("clip", ["global", "norm"])
def test_clipping_keeps_a_gathered_gradients_rows(opt, clip):
    # before: the clipped gradient was a plain dense tensor, every row of E moved
    # (0.15 away from TF's table with Momentum)
    want = (TF_CLIPPED if clip == "global" else TF_CLIPPED_BY_NORM)[opt]
    np.testing.assert_allclose(_C["train_clipped"](tf, opt, clip), np.float32(want),
                               rtol=2e-6, atol=1e-6)


def test_clip_by_global_norm_oracle(tmp_path, tf_python):
    (tmp_path / "clip.py").write_text(CLIP_PROGRAM)
    script = ("import sys, numpy as np\nimport tensorflow.compat.v1 as tf\n"
              "tf.disable_v2_behavior()\nns = {}\nexec(open(sys.argv[1]).read(), ns)\n"
              "np.savez(sys.argv[2], **{o + '/' + c: ns['train_clipped'](tf, o, c) "
              "for o in ('momentum', 'rmsprop') for c in ('global', 'norm')})\n")
    (tmp_path / "oracle.py").write_text(script)
    subprocess.run([tf_python, str(tmp_path / "oracle.py"), str(tmp_path / "clip.py"),
                    str(tmp_path / "tf.npz")], check=True, capture_output=True)
    want = np.load(tmp_path / "tf.npz")
    for k in want.files:
        o, c = k.split("/")
        np.testing.assert_allclose(_C["train_clipped"](tf, o, c), want[k], rtol=2e-6,
                                   atol=1e-6, err_msg=k)


@pytest.mark.parametrize("kind, want", [
    ("global_norm", [-5.8640647, 1.0194193, 3.0]),
    ("norm", [-5.8640647, 1.0194193, 3.0]),
    ("value", [-5.5, 1.0, 3.0]),
])
def test_clipping_a_gather_gradient_clips_its_slices_as_tensorflow(kind, want):
    """(The optimizer fuzz against TF 2.15, whose values these are: with a row gathered
    twice, TF's global_norm / clip_by_norm / clip_by_value work on the IndexedSlices'
    unsummed values; ndgrad worked on the summed dense gradient: -3.95 and -2.5 for row 0,
    and clip_by_value dropped the rows, so every row moved.)"""
    E = tf.Variable([[1.0], [2.0], [3.0]])
    loss = tf.reduce_sum(tf.gather(E, [0, 0, 1]) * [[3.0], [4.0], [1.0]])
    opt = tf.train.GradientDescentOptimizer(1.0)
    (g, v), = opt.compute_gradients(loss, var_list=[E])
    if kind == "global_norm":
        (gc,), norm = tf.clip_by_global_norm([g], 5.0)
    elif kind == "norm":
        gc, norm = tf.clip_by_norm(g, 5.0), tf.global_norm([g])
    else:
        gc, norm = tf.clip_by_value(g, -3.5, 3.5), tf.global_norm([g])
    train = opt.apply_gradients([(gc, v)])
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        assert s.run(norm) == pytest.approx(np.sqrt(26.0))    # slices 3, 4, 1
        s.run(train)
        np.testing.assert_allclose(s.run(E).ravel(), want, rtol=1e-6)


def test_clip_by_value_keeps_a_gather_gradient_sparse():
    """(TF 2.15's values: clip_by_value of a gather gradient made it dense, so Momentum
    moved the rows the second step never touched.)"""
    E = tf.Variable([[1.0], [2.0], [3.0]])
    idx = tf.placeholder(tf.int32, [None])
    opt = tf.train.MomentumOptimizer(0.1, 0.9)
    (g, v), = opt.compute_gradients(tf.reduce_sum(tf.gather(E, idx)), var_list=[E])
    train = opt.apply_gradients([(tf.clip_by_value(g, -10.0, 10.0), v)])
    _row_1_untouched_in_step_2(E, idx, opt, train)


def _row_1_untouched_in_step_2(E, idx, opt, train):
    """Two Momentum(0.1, 0.9) steps of sum(rows idx of E), rows [0, 1] then [0]: TF 2.15
    leaves row 1 and its momentum as the first step left them."""
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        s.run(train, {idx: [0, 1]})
        s.run(train, {idx: [0]})
        np.testing.assert_allclose(s.run(E).ravel(), [0.71, 1.9, 3.0], rtol=1e-6)
        np.testing.assert_allclose(s.run(opt.get_slot(E, "momentum")).ravel(),
                                   [1.9, 1.0, 0.0], rtol=1e-6)


@pytest.mark.parametrize("path", [
    lambda E, i: tf.gather(tf.identity(E), i),
    lambda E, i: tf.gather(E.read_value(), i),
    lambda E, i: tf.cast(tf.gather(tf.cast(E, tf.float64), i), tf.float32),
])
def test_a_gather_behind_identity_or_cast_stays_sparse(path):
    """(TF 2.15's values: its gradient there is still an IndexedSlices; ndgrad's was dense,
    so Momentum moved row 1, which the second step never touched.)"""
    E = tf.Variable([[1.0], [2.0], [3.0]])
    idx = tf.placeholder(tf.int32, [None])
    opt = tf.train.MomentumOptimizer(0.1, 0.9)
    train = opt.minimize(tf.reduce_sum(path(E, idx)))
    _row_1_untouched_in_step_2(E, idx, opt, train)


def test_grad_loss_of_another_shape_is_refused():
    """(A (2,) grad_loss of a scalar loss was broadcast and trained; TF raises.)"""
    w = tf.Variable([1.0, 1.0])
    loss = tf.reduce_sum(w)
    with pytest.raises(ValueError, match=r"grad_ys has shape \[2\], incompatible"):
        tf.train.GradientDescentOptimizer(0.1).minimize(loss, grad_loss=tf.constant([1., 3.]))
    with pytest.raises(ValueError, match=r"grad_ys has shape \[2\]"):
        tf.gradients(loss, w, grad_ys=tf.constant([1., 3.]))


def test_partitioned_embedding_lookup_keeps_each_partition_sparse():
    """(The lookup gathered from the concatenated partitions, so each partition's
    gradient was dense and Momentum moved rows a step never touched; TF 2.15's values.)"""
    E1 = tf.Variable([[1.0], [2.0], [3.0]])
    E2 = tf.Variable([[4.0], [5.0], [6.0]])
    idx = tf.placeholder(tf.int32, [None])
    loss = tf.reduce_sum(tf.nn.embedding_lookup([E1, E2], idx, partition_strategy="mod"))
    opt = tf.train.MomentumOptimizer(0.1, 0.9)
    train = opt.minimize(loss)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        s.run(train, {idx: [0, 1, 2]})
        s.run(train, {idx: [0]})
        np.testing.assert_allclose(s.run(E1).ravel(), [0.71, 1.9, 3.0], rtol=1e-6)
        np.testing.assert_allclose(s.run(E2).ravel(), [3.9, 5.0, 6.0], rtol=1e-6)

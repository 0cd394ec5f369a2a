"""``tf.sparse_tensor_dense_matmul`` and ``tf.nn.embedding_lookup_sparse`` (sparse_ops.py)
against TensorFlow: the program below printed this text under TF 2.15
(``tensorflow.compat.v1``): products with each adjoint, gradients to the sparse values and
the dense operands, the three combiners with and without weights (a row without ids in
the middle is zero, the rows end at the last id), partitioned tables and the table's
gradient. ndgrad.tf must print the same."""

import numpy as np

import ndgrad.tf as tf
from tf_printed import printed

PROGRAM = 'rng = np.random.RandomState(9)\nidx = [[0, 1], [0, 3], [2, 0], [2, 2], [3, 3], [0, 2]]\nvals = tf.constant(rng.randn(6).astype(np.float32))\na = tf.SparseTensor(idx, vals, [4, 5])\nb = tf.constant(rng.randn(5, 3).astype(np.float32))\nbt = tf.constant(rng.randn(3, 5).astype(np.float32))\nb4 = tf.constant(rng.randn(4, 2).astype(np.float32))\nouts = [tf.sparse_tensor_dense_matmul(a, b), tf.sparse_tensor_dense_matmul(a, bt, adjoint_b=True),\n        tf.sparse_tensor_dense_matmul(a, b4, adjoint_a=True)]\ng = tf.gradients(tf.reduce_sum(outs[0] * outs[0]) + tf.reduce_sum(outs[2]), [vals, b, b4])\ntable = tf.constant(rng.randn(6, 3).astype(np.float32))\nids = tf.SparseTensor([[0, 0], [0, 1], [0, 2], [2, 0], [2, 1], [3, 0]], tf.constant([1, 5, 1, 0, 3, 2], tf.int64), [5, 3])\nw = tf.SparseTensor([[0, 0], [0, 1], [0, 2], [2, 0], [2, 1], [3, 0]], tf.constant([0.5, 2.0, 1.0, 1.5, 0.25, 3.0]), [5, 3])\nemb = [tf.nn.embedding_lookup_sparse(table, ids, None, combiner=c) for c in ("sum", "mean", "sqrtn")]\nemb += [tf.nn.embedding_lookup_sparse(table, ids, w, combiner=c) for c in ("sum", "mean", "sqrtn")]\nparts = [tf.constant(rng.randn(3, 3).astype(np.float32)), tf.constant(rng.randn(3, 3).astype(np.float32))]\nemb.append(tf.nn.embedding_lookup_sparse(parts, ids, w, combiner="mean"))\nge = tf.convert_to_tensor(tf.gradients(tf.reduce_sum(emb[4] * emb[4]), table)[0])\nfor o in outs + emb: print(o.shape)\nwith tf.Session() as s:\n    for r in s.run(outs + g + emb + [ge]):\n        r = np.asarray(r)\n        print(r.shape, np.round(r.ravel()[:4], 4).tolist(), round(float(r.sum()), 3))\n'

TF_2_15_OUTPUT = '(4, 3)\n(4, 3)\n(5, 2)\n(?, 3)\n(?, 3)\n(?, 3)\n(?, 3)\n(?, 3)\n(?, 3)\n(?, 3)\n(4, 3) [-0.26820001006126404, -0.7864000201225281, -0.614300012588501, 0.0] 0.399\n(4, 3) [-0.33160001039505005, 0.8457000255584717, 0.5023000240325928, 0.0] -1.297\n(5, 2) [0.7325999736785889, 0.06279999762773514, 0.0013000000035390258, 0.0012000000569969416] -0.844\n(6,) [-0.6176000237464905, 0.621999979019165, -6.486999988555908, 1.9457999467849731] -8.494\n(5, 3) [-3.7715001106262207, -1.2024999856948853, -0.5472000241279602, -0.0006000000284984708] -2.709\n(4, 2) [-0.769599974155426, -0.769599974155426, 0.0, 0.0] -4.554\n(4, 3) [-1.1995999813079834, 0.41620001196861267, -0.04780000075697899, 0.0] -7.317\n(4, 3) [-0.39989998936653137, 0.1386999934911728, -0.01590000092983246, 0.0] -4.728\n(4, 3) [-0.6926000118255615, 0.2402999997138977, -0.02759999968111515, 0.0] -5.774\n(4, 3) [-2.0234999656677246, 2.4291999340057373, -2.1575000286102295, 0.0] -9.245\n(4, 3) [-0.5781000256538391, 0.694100022315979, -0.6164000034332275, 0.0] -3.056\n(4, 3) [-0.8830999732017517, 1.0601999759674072, -0.9416000247001648, 0.0] -3.341\n(4, 3) [0.14569999277591705, 0.36959999799728394, 0.01679999940097332, 0.0] -1.087\n(6, 3) [-1.0356999635696411, -2.006700038909912, 2.803100109100342, -0.49549999833106995] -6.113\n'


def test_sparse_products_and_embeddings_print_what_tensorflow_prints():
    assert printed(PROGRAM) == TF_2_15_OUTPUT


def test_embeddings_of_a_table_of_rank_three():
    """TF's testGradientsEmbeddingLookupSparse: weights against (ids, 2, 3) embeddings
    (a broadcast ValueError before the weights were reshaped to the embeddings' rank)."""
    with tf.Graph().as_default():
        table = tf.constant(np.arange(24, dtype=np.float64).reshape(4, 2, 3))
        ids = tf.SparseTensor([[0, 0], [0, 1], [1, 0]], tf.constant([1, 3, 0], tf.int64),
                              [2, 2])
        w = tf.SparseTensor([[0, 0], [0, 1], [1, 0]], tf.constant([1.0, 3.0, 2.0],
                                                                  tf.float64), [2, 2])
        out = tf.nn.embedding_lookup_sparse(table, ids, w, combiner="mean")
        with tf.Session() as s:
            got = s.run(out)
    t = np.arange(24, dtype=np.float64).reshape(4, 2, 3)
    np.testing.assert_allclose(got, [(t[1] + 3 * t[3]) / 4, t[0]])

"""nce_loss / sampled_softmax_loss with fixed sampled values, under TensorFlow or
ndgrad.tf. Reference values: TensorFlow 2.21 CPU, tf.compat.v1 graph mode:

    TF_ENABLE_ONEDNN_OPTS=0 BACKEND=tf python tests/tf/reference/sampled_losses.py \\
        tests/tf/reference/sampled_losses_tf.json
"""
import os
import json
import sys
import numpy as np
if os.environ.get("BACKEND") == "tf":
    import tensorflow.compat.v1 as tf; tf.disable_eager_execution()
else:
    import ndgrad.tf as tf


def run_all():
    rng = np.random.RandomState(0)
    V, D, B = 20, 4, 5
    W = rng.randn(V, D).astype(np.float32); b = rng.randn(V).astype(np.float32); X = rng.randn(B, D).astype(np.float32)
    labels = np.array([[1], [3], [7], [3], [19]])
    sampled = np.array([3, 0, 11, 5, 1, 2], np.int64)
    tc = rng.uniform(0.1, 0.9, (B, 1)).astype(np.float32); sc = rng.uniform(0.1, 0.9, 6).astype(np.float32)
    res = {}
    for strat in ["mod", "div"]:
        tf.reset_default_graph()
        w = tf.Variable(W); bb = tf.Variable(b); x = tf.Variable(X)
        wp = [tf.Variable(W[p::2]) for p in range(2)] if strat == "mod" else [tf.Variable(W[:10]), tf.Variable(W[10:])]
        l1 = tf.nn.nce_loss(w, bb, labels, x, 6, V, sampled_values=(sampled, tc, sc))
        l2 = tf.nn.sampled_softmax_loss(wp, bb, labels, x, 6, V, sampled_values=(sampled, tc, sc), partition_strategy=strat)
        l3 = tf.nn.nce_loss(w, bb, labels, x, 6, V, sampled_values=(sampled, tc, sc), remove_accidental_hits=True)
        gs = [tf.convert_to_tensor(g) for g in tf.gradients(tf.reduce_sum(l1) + 2 * tf.reduce_sum(l2) + tf.reduce_sum(l3), [w, bb, x] + wp)]
        with tf.Session() as s:
            s.run(tf.global_variables_initializer())
            res[strat] = {"vals": [np.asarray(v).tolist() for v in s.run([l1, l2, l3] + gs)]}
    return res


if __name__ == "__main__":
    with open(sys.argv[1], "w") as fh:
        json.dump(run_all(), fh)


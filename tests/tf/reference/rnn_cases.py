"""RNN cases run under TensorFlow and ndgrad.tf alike (outputs, final states and the
gradients of their squared sum with respect to every variable and the inputs).

The reference values in rnn_tf.json were made with TensorFlow 2.21 CPU under
tf.compat.v1 (graph mode; the TF1 cells from its legacy rnn_cell_impl, as Keras 3 hides
tf.nn.rnn_cell), with TF_ENABLE_ONEDNN_OPTS=0:

    TF_ENABLE_ONEDNN_OPTS=0 BACKEND=tf python tests/tf/reference/rnn_cases.py \\
        tests/tf/reference/rnn_tf.json

Every variable gets the same numpy-made values in both (seeded by its name), so the
comparison is exact to float32 rounding.
"""
import os
import sys
import json
import numpy as np
if os.environ.get("BACKEND") == "tf":
    import tensorflow.compat.v1 as tf; tf.disable_eager_execution()
    from tensorflow.python.keras.layers.legacy_rnn import rnn_cell_impl as rnn
    sbr = tf.nn.static_bidirectional_rnn
else:
    import ndgrad.tf as tf
    rnn = tf.nn.rnn_cell; sbr = tf.nn.static_bidirectional_rnn


def run_case(res, name, build, none_time=False):
    tf.reset_default_graph()
    rng = np.random.RandomState(0)
    xv = rng.randn(3, 4, 2).astype(np.float32)
    x = tf.placeholder(tf.float32, [3, None, 2] if none_time else [3, 4, 2])
    seq = tf.placeholder(tf.int32, [3])
    outs = build(x, seq)
    flat = []

    def fl(o):
        if isinstance(o, (list, tuple)):
            for e in o: fl(e)
        else: flat.append(o)
    fl(outs)
    loss = sum(tf.reduce_sum(o * o) for o in flat)
    vs = tf.trainable_variables()
    grads = tf.gradients(loss, vs + [x])
    with tf.Session() as s:
        s.run(tf.global_variables_initializer())
        for v in vs:
            r = np.random.RandomState(sum(map(ord, v.name)))
            s.run(v.assign(r.uniform(-0.5, 0.5, v.shape.as_list()).astype(np.float32)))
        vals = s.run(flat + grads, {x: xv, seq: [4, 2, 1]})
    res[name] = {"names": sorted(v.name for v in vs),
                 "vals": [np.round(np.asarray(v, np.float64), 8).tolist() for v in vals]}


CASES = {
 "basic_lstm_dyn": lambda x, seq: tf.nn.dynamic_rnn(rnn.BasicLSTMCell(3), x, sequence_length=seq, dtype=tf.float32),
 "lstm_peep_proj": lambda x, seq: tf.nn.dynamic_rnn(rnn.LSTMCell(3, use_peepholes=True, num_proj=2), x, sequence_length=seq, dtype=tf.float32),
 "gru_dyn": lambda x, seq: tf.nn.dynamic_rnn(rnn.GRUCell(3), x, sequence_length=seq, dtype=tf.float32),
 "basic_rnn_nolen": lambda x, seq: tf.nn.dynamic_rnn(rnn.BasicRNNCell(3), x, dtype=tf.float32),
 "multi": lambda x, seq: tf.nn.dynamic_rnn(rnn.MultiRNNCell([rnn.BasicLSTMCell(3), rnn.GRUCell(2)]), x, sequence_length=seq, dtype=tf.float32),
 "bidi": lambda x, seq: tf.nn.bidirectional_dynamic_rnn(rnn.BasicLSTMCell(3), rnn.GRUCell(2), x, sequence_length=seq, dtype=tf.float32),
 "static_len": lambda x, seq: tf.nn.static_rnn(rnn.BasicLSTMCell(3), tf.unstack(x, 4, 1), sequence_length=seq, dtype=tf.float32),
 "time_major": lambda x, seq: tf.nn.dynamic_rnn(
     rnn.GRUCell(3), tf.transpose(x, [1, 0, 2]), sequence_length=seq, dtype=tf.float32,
     time_major=True),
 "initial_state": lambda x, seq: tf.nn.dynamic_rnn(
     rnn.BasicLSTMCell(3), x, sequence_length=seq,
     initial_state=rnn.LSTMStateTuple(tf.ones([3, 3]) * 0.5, tf.reduce_sum(x, 1)[:, :1] *
                                      tf.ones([1, 3]))),
 "bidi_time_major": lambda x, seq: tf.nn.bidirectional_dynamic_rnn(
     rnn.BasicRNNCell(2), rnn.GRUCell(2), tf.transpose(x, [1, 0, 2]), sequence_length=seq,
     dtype=tf.float32, time_major=True),
 "residual": lambda x, seq: tf.nn.dynamic_rnn(
     rnn.MultiRNNCell([rnn.GRUCell(2), rnn.ResidualWrapper(rnn.BasicLSTMCell(2))]), x,
     sequence_length=seq, dtype=tf.float32),
 "static_bidi": lambda x, seq: sbr(rnn.BasicLSTMCell(3), rnn.BasicLSTMCell(2), tf.unstack(x, 4, 1), sequence_length=seq, dtype=tf.float32),
}
NONE_TIME = ["basic_lstm_dyn", "bidi", "multi", "time_major", "initial_state",
             "bidi_time_major"]


def run_all(names=None):
    res = {}
    for k, f in CASES.items():
        if names is None or k in names:
            run_case(res, k, f)
    for k in NONE_TIME:
        if names is None or k + "_none" in names:
            run_case(res, k + "_none", CASES[k], none_time=True)
    return res


if __name__ == "__main__":
    with open(sys.argv[1], "w") as fh:
        json.dump(run_all(), fh)

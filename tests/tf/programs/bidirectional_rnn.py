"""A bidirectional GRU/LSTM tagger-style classifier (``bidirectional_dynamic_rnn`` with
lengths, forward and backward outputs concatenated, a multi-layer forward cell).
Weights set from NumPy: exact."""
from .numpy_init import assign_numpy_values
from .rnn_lengths import make_sequences

TOLERANCE = {"rtol": 1e-4, "atol": 2e-6}


def main(tf, steps=10):
    data, labels, lengths = make_sequences(seed=5)
    x = tf.placeholder(tf.float32, [None, 8, 1])
    y = tf.placeholder(tf.float32, [None, 2])
    seqlen = tf.placeholder(tf.int32, [None])
    fw = tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.GRUCell(6),
                                      tf.nn.rnn_cell.GRUCell(4)])
    bw = tf.nn.rnn_cell.LSTMCell(5, use_peepholes=True)
    (out_fw, out_bw), (st_fw, st_bw) = tf.nn.bidirectional_dynamic_rnn(
        fw, bw, x, sequence_length=seqlen, dtype=tf.float32)
    outputs = tf.concat([out_fw, out_bw], 2)
    mask = tf.sequence_mask(seqlen, 8, dtype=tf.float32)
    pooled = tf.reduce_sum(outputs * tf.expand_dims(mask, 2), 1) / tf.expand_dims(
        tf.cast(seqlen, tf.float32), 1)
    logits = tf.layers.dense(tf.concat([pooled, st_fw[-1], st_bw.h], 1), 2)
    cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(labels=y,
                                                                      logits=logits))
    train = tf.train.AdamOptimizer(0.02).minimize(cost)
    names = sorted(v.name for v in tf.trainable_variables())
    costs = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assign_numpy_values(sess, tf)
        feed = {x: data, y: labels, seqlen: lengths}
        for step in range(steps):
            b = slice((step * 16) % 48, (step * 16) % 48 + 16)
            sess.run(train, {x: data[b], y: labels[b], seqlen: lengths[b]})
            if step % 5 == 4:
                costs.append(sess.run(cost, feed))
    return {"cost": costs, "n_variables": len(names),
            "name_hash": sum(sum(map(ord, n)) * (i + 1) for i, n in enumerate(names))}

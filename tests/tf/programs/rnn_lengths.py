"""An LSTM over sequences of different lengths (the "dynamic RNN" lesson): padded
batches, ``sequence_length``, the last relevant output picked by the lengths, an
unknown time dimension. Weights set from NumPy: exact."""
import numpy as np

from .numpy_init import assign_numpy_values

TOLERANCE = {"rtol": 1e-4, "atol": 2e-6}


def make_sequences(n=48, max_len=8, seed=0):
    """Toy task: is the sum of a variable-length sequence positive?"""
    rng = np.random.RandomState(seed)
    lengths = rng.randint(2, max_len + 1, n)
    x = np.zeros((n, max_len, 1), np.float32)
    for i, L in enumerate(lengths):
        x[i, :L, 0] = rng.randn(L)
    y = (x.sum(axis=(1, 2)) > 0).astype(np.int64)
    return x, np.eye(2, dtype=np.float32)[y], lengths


def main(tf, steps=15):
    data, labels, lengths = make_sequences()
    n_hidden = 8
    x = tf.placeholder("float", [None, None, 1])
    y = tf.placeholder("float", [None, 2])
    seqlen = tf.placeholder(tf.int32, [None])
    W = tf.Variable(tf.random_normal([n_hidden, 2]))
    b = tf.Variable(tf.random_normal([2]))

    lstm_cell = tf.nn.rnn_cell.BasicLSTMCell(n_hidden)
    outputs, states = tf.nn.dynamic_rnn(lstm_cell, x, dtype=tf.float32,
                                        sequence_length=seqlen)
    # the output at each sequence's last step: flatten and gather
    batch_size = tf.shape(outputs)[0]
    max_len = tf.shape(outputs)[1]
    index = tf.range(0, batch_size) * max_len + (seqlen - 1)
    last = tf.gather(tf.reshape(outputs, [-1, n_hidden]), index)
    logits = tf.matmul(last, W) + b
    cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(logits=logits, labels=y))
    optimizer = tf.train.AdamOptimizer(learning_rate=0.02).minimize(cost)
    accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(logits, 1), tf.argmax(y, 1)),
                                      tf.float32))
    costs = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assign_numpy_values(sess, tf)
        feed = {x: data, y: labels, seqlen: lengths}
        for step in range(steps):
            b_ = slice((step * 16) % 48, (step * 16) % 48 + 16)
            L = int(lengths[b_].max())          # pad each batch to its own longest
            sess.run(optimizer, {x: data[b_, :L], y: labels[b_], seqlen: lengths[b_]})
            if step % 5 == 4:
                costs.append(sess.run(cost, feed))
        acc, final_c = sess.run([accuracy, tf.reduce_sum(states.c)], feed)
    return {"cost": costs, "accuracy": acc, "final_state_sum": final_c}

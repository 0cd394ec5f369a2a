"""The classic MNIST-style recurrent classifier: images as sequences of rows,
``transpose`` / ``reshape(-1, n_input)`` / ``tf.split(x, n_steps, 0)`` of a batch of
unknown size, then ``static_rnn`` over the list (the "recurrent network" lesson of the
TF 1.0 era). Weights set from NumPy: exact."""
from .cnn import make_images
from .numpy_init import assign_numpy_values

TOLERANCE = {"rtol": 1e-4, "atol": 2e-6}


def main(tf, steps=10):
    images, labels = make_images(seed=3)
    n_input, n_steps, n_hidden, n_classes = 12, 12, 10, 2
    x = tf.placeholder("float", [None, n_steps, n_input])
    y = tf.placeholder("float", [None, n_classes])
    weights = {"out": tf.Variable(tf.random_normal([n_hidden, n_classes]))}
    biases = {"out": tf.Variable(tf.random_normal([n_classes]))}

    def RNN(x, weights, biases):
        x = tf.transpose(x, [1, 0, 2])
        x = tf.reshape(x, [-1, n_input])
        x = tf.split(x, n_steps, 0)
        lstm_cell = tf.nn.rnn_cell.BasicLSTMCell(n_hidden, forget_bias=1.0)
        outputs, states = tf.nn.static_rnn(lstm_cell, x, dtype=tf.float32)
        return tf.matmul(outputs[-1], weights["out"]) + biases["out"]

    pred = RNN(x, weights, biases)
    cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(logits=pred, labels=y))
    optimizer = tf.train.RMSPropOptimizer(learning_rate=0.01).minimize(cost)
    accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(pred, 1), tf.argmax(y, 1)),
                                      tf.float32))
    data = images[..., 0]
    costs = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assign_numpy_values(sess, tf)
        for step in range(steps):
            b = slice((step * 16) % 64, (step * 16) % 64 + 16)
            sess.run(optimizer, feed_dict={x: data[b], y: labels[b]})
            if step % 5 == 4:
                costs.append(sess.run(cost, {x: data, y: labels}))
        acc = sess.run(accuracy, {x: data, y: labels})
    return {"cost": costs, "accuracy": acc}

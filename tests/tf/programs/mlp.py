"""A two-hidden-layer perceptron (the "neural networks" lesson): dict-of-weights style,
ReLU, softmax_cross_entropy_with_logits_v2, Adam. Weights from NumPy: exact."""
import numpy as np

from .logistic_regression import make_data

TOLERANCE = {"rtol": 5e-5, "atol": 1e-6}


def main(tf, steps=30):
    data_x, data_y = make_data(seed=1)
    n_hidden_1, n_hidden_2, n_input, n_classes = 16, 8, 5, 3
    rng = np.random.RandomState(42)

    def init(*shape):
        return (rng.randn(*shape) * 0.3).astype(np.float32)
    X = tf.placeholder("float", [None, n_input])
    Y = tf.placeholder("float", [None, n_classes])
    weights = {
        "h1": tf.Variable(init(n_input, n_hidden_1)),
        "h2": tf.Variable(init(n_hidden_1, n_hidden_2)),
        "out": tf.Variable(init(n_hidden_2, n_classes)),
    }
    biases = {
        "b1": tf.Variable(init(n_hidden_1)),
        "b2": tf.Variable(init(n_hidden_2)),
        "out": tf.Variable(init(n_classes)),
    }

    def multilayer_perceptron(x):
        layer_1 = tf.nn.relu(tf.add(tf.matmul(x, weights["h1"]), biases["b1"]))
        layer_2 = tf.nn.relu(tf.add(tf.matmul(layer_1, weights["h2"]), biases["b2"]))
        return tf.matmul(layer_2, weights["out"]) + biases["out"]

    logits = multilayer_perceptron(X)
    loss_op = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits_v2(
        logits=logits, labels=Y))
    train_op = tf.train.AdamOptimizer(learning_rate=0.01).minimize(loss_op)
    correct_pred = tf.equal(tf.argmax(logits, 1), tf.argmax(Y, 1))
    accuracy = tf.reduce_mean(tf.cast(correct_pred, tf.float32))
    losses = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for step in range(1, steps + 1):
            batch = slice((step * 40) % 200, (step * 40) % 200 + 40)
            sess.run(train_op, feed_dict={X: data_x[batch], Y: data_y[batch]})
            if step % 10 == 0:
                losses.append(sess.run(loss_op, feed_dict={X: data_x, Y: data_y}))
        acc = sess.run(accuracy, feed_dict={X: data_x, Y: data_y})
    return {"loss": losses, "accuracy": acc}

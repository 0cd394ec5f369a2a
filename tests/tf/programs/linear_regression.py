"""Linear regression with placeholders and gradient descent, one sample per step (the
"basic models" lesson). Deterministic: compared exactly (float32 rounding)."""
import numpy as np

TOLERANCE = {"rtol": 2e-5, "atol": 1e-6}


def main(tf, epochs=20):
    train_X = np.asarray([3.3, 4.4, 5.5, 6.71, 6.93, 4.168, 9.779, 6.182, 7.59, 2.167,
                          7.042, 10.791, 5.313, 7.997, 5.654, 9.27, 3.1])
    train_Y = np.asarray([1.7, 2.76, 2.09, 3.19, 1.694, 1.573, 3.366, 2.596, 2.53, 1.221,
                          2.827, 3.465, 1.65, 2.904, 2.42, 2.94, 1.3])
    n_samples = train_X.shape[0]
    learning_rate = 0.01

    X = tf.placeholder("float")
    Y = tf.placeholder("float")
    W = tf.Variable(0.3, name="weight")
    b = tf.Variable(-0.2, name="bias")
    pred = tf.add(tf.multiply(X, W), b)
    cost = tf.reduce_sum(tf.pow(pred - Y, 2)) / (2 * n_samples)
    optimizer = tf.train.GradientDescentOptimizer(learning_rate).minimize(cost)
    init = tf.global_variables_initializer()

    costs = []
    with tf.Session() as sess:
        sess.run(init)
        for epoch in range(epochs):
            for (x, y) in zip(train_X, train_Y):
                sess.run(optimizer, feed_dict={X: x, Y: y})
            if (epoch + 1) % 5 == 0:
                costs.append(sess.run(cost, feed_dict={X: train_X, Y: train_Y}))
        w, bias = sess.run([W, b])
    return {"cost": costs, "W": w, "b": bias}

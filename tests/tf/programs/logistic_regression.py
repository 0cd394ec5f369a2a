"""Softmax (logistic) regression on a synthetic 3-class data set, mini-batches and the
hand-written cross entropy of the beginners' tutorial. Deterministic: exact."""
import numpy as np

TOLERANCE = {"rtol": 2e-5, "atol": 1e-6}


def make_data(n=240, seed=0):
    rng = np.random.RandomState(seed)
    centers = rng.randn(3, 5) * 2
    labels = rng.randint(0, 3, n)
    x = (centers[labels] + rng.randn(n, 5)).astype(np.float32)
    return x, np.eye(3, dtype=np.float32)[labels]


def main(tf, epochs=5, batch_size=40):
    data_x, data_y = make_data()
    x = tf.placeholder(tf.float32, [None, 5])
    y = tf.placeholder(tf.float32, [None, 3])
    W = tf.Variable(tf.zeros([5, 3]))
    b = tf.Variable(tf.zeros([3]))
    pred = tf.nn.softmax(tf.matmul(x, W) + b)
    cost = tf.reduce_mean(-tf.reduce_sum(y * tf.log(pred), reduction_indices=1))
    optimizer = tf.train.GradientDescentOptimizer(0.1).minimize(cost)
    correct = tf.equal(tf.argmax(pred, 1), tf.argmax(y, 1))
    accuracy = tf.reduce_mean(tf.cast(correct, tf.float32))

    costs = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for epoch in range(epochs):
            avg_cost = 0.
            total_batch = len(data_x) // batch_size
            for i in range(total_batch):
                bx = data_x[i * batch_size:(i + 1) * batch_size]
                by = data_y[i * batch_size:(i + 1) * batch_size]
                _, c = sess.run([optimizer, cost], feed_dict={x: bx, y: by})
                avg_cost += c / total_batch
            costs.append(avg_cost)
        acc = accuracy.eval({x: data_x, y: data_y})
    return {"cost": costs, "accuracy": acc}

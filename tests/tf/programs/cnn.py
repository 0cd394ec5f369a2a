"""A convolutional network (the "CNN" lesson): conv2d + max_pool twice, a dense layer
with dropout (keep_prob a placeholder), Adam, on synthetic 12x12 images of bars.
Weights from NumPy and keep_prob 1.0 while training: exact."""
import numpy as np

TOLERANCE = {"rtol": 1e-4, "atol": 2e-6}


def make_images(n=64, seed=0):
    rng = np.random.RandomState(seed)
    labels = rng.randint(0, 2, n)
    img = rng.rand(n, 12, 12, 1).astype(np.float32) * 0.3
    for i, lab in enumerate(labels):
        k = rng.randint(2, 10)
        if lab:
            img[i, :, k, 0] += 1.0           # a vertical bar
        else:
            img[i, k, :, 0] += 1.0           # a horizontal bar
    return img, np.eye(2, dtype=np.float32)[labels]


def main(tf, steps=12):
    images, labels = make_images()
    rng = np.random.RandomState(7)

    def w(*shape):
        return tf.Variable((rng.randn(*shape) * 0.2).astype(np.float32))

    def conv2d(x, W, b, strides=1):
        x = tf.nn.conv2d(x, W, strides=[1, strides, strides, 1], padding="SAME")
        return tf.nn.relu(tf.nn.bias_add(x, b))

    def maxpool2d(x, k=2):
        return tf.nn.max_pool(x, ksize=[1, k, k, 1], strides=[1, k, k, 1], padding="SAME")

    X = tf.placeholder(tf.float32, [None, 12, 12, 1])
    Y = tf.placeholder(tf.float32, [None, 2])
    keep_prob = tf.placeholder(tf.float32)
    weights = {"wc1": w(3, 3, 1, 4), "wc2": w(3, 3, 4, 8), "wd1": w(3 * 3 * 8, 16),
               "out": w(16, 2)}
    biases = {"bc1": w(4), "bc2": w(8), "bd1": w(16), "out": w(2)}
    conv1 = maxpool2d(conv2d(X, weights["wc1"], biases["bc1"]))
    conv2 = maxpool2d(conv2d(conv1, weights["wc2"], biases["bc2"]))
    fc1 = tf.reshape(conv2, [-1, weights["wd1"].get_shape().as_list()[0]])
    fc1 = tf.nn.relu(tf.add(tf.matmul(fc1, weights["wd1"]), biases["bd1"]))
    fc1 = tf.nn.dropout(fc1, keep_prob)
    logits = tf.add(tf.matmul(fc1, weights["out"]), biases["out"])
    loss_op = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(logits=logits,
                                                                      labels=Y))
    train_op = tf.train.AdamOptimizer(learning_rate=0.01).minimize(loss_op)
    accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(logits, 1), tf.argmax(Y, 1)),
                                      tf.float32))
    losses = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for step in range(steps):
            b = slice((step * 16) % 64, (step * 16) % 64 + 16)
            sess.run(train_op, feed_dict={X: images[b], Y: labels[b], keep_prob: 1.0})
            if step % 4 == 3:
                losses.append(sess.run(loss_op, {X: images, Y: labels, keep_prob: 1.0}))
        acc = sess.run(accuracy, {X: images, Y: labels, keep_prob: 1.0})
    return {"loss": losses, "accuracy": acc}

"""Whole TF 1 programs of the classic tutorials, unchanged but for the import."""
import numpy as np

import ndgrad.tf as tf


def test_get_started_fit_a_line():
    # TensorFlow's 0.x "getting started": learns W = 0.1, b = 0.3
    np.random.seed(0)
    x_data = np.random.rand(100).astype(np.float32)
    y_data = x_data * 0.1 + 0.3
    W = tf.Variable(tf.random_uniform([1], -1.0, 1.0))
    b = tf.Variable(tf.zeros([1]))
    y = W * x_data + b
    loss = tf.reduce_mean(tf.square(y - y_data))
    optimizer = tf.train.GradientDescentOptimizer(0.5)
    train = optimizer.minimize(loss)
    init = tf.initialize_all_variables()
    sess = tf.Session()
    sess.run(init)
    for step in range(201):
        sess.run(train)
    np.testing.assert_allclose(sess.run(W), [0.1], atol=1e-3)
    np.testing.assert_allclose(sess.run(b), [0.3], atol=1e-3)
    sess.close()


def test_softmax_regression_beginners_style():
    rng = np.random.RandomState(0)
    centers = rng.randn(3, 8) * 3
    labels = rng.randint(0, 3, 300)
    xs = (centers[labels] + rng.randn(300, 8)).astype(np.float32)
    ys = np.eye(3, dtype=np.float32)[labels]
    sess = tf.InteractiveSession()
    x = tf.placeholder(tf.float32, [None, 8])
    W = tf.Variable(tf.zeros([8, 3]))
    b = tf.Variable(tf.zeros([3]))
    y = tf.nn.softmax(tf.matmul(x, W) + b)
    y_ = tf.placeholder(tf.float32, [None, 3])
    cross_entropy = tf.reduce_mean(-tf.reduce_sum(y_ * tf.log(y), reduction_indices=[1]))
    train_step = tf.train.GradientDescentOptimizer(0.05).minimize(cross_entropy)
    tf.global_variables_initializer().run()
    for i in range(100):
        batch = rng.choice(300, 50)
        train_step.run(feed_dict={x: xs[batch], y_: ys[batch]})
    correct_prediction = tf.equal(tf.argmax(y, 1), tf.argmax(y_, 1))
    accuracy = tf.reduce_mean(tf.cast(correct_prediction, tf.float32))
    acc = accuracy.eval(feed_dict={x: xs, y_: ys})
    assert acc.dtype == np.float32 and acc > 0.9
    sess.close()


def test_deep_mnist_style_cnn_builds_and_steps():
    def weight_variable(shape):
        initial = tf.truncated_normal(shape, stddev=0.1)
        return tf.Variable(initial)

    def bias_variable(shape):
        initial = tf.constant(0.1, shape=shape)
        return tf.Variable(initial)

    def conv2d(x, W):
        return tf.nn.conv2d(x, W, strides=[1, 1, 1, 1], padding='SAME')

    def max_pool_2x2(x):
        return tf.nn.max_pool(x, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding='SAME')

    x = tf.placeholder(tf.float32, shape=[None, 64])
    y_ = tf.placeholder(tf.float32, shape=[None, 10])
    x_image = tf.reshape(x, [-1, 8, 8, 1])
    W_conv1 = weight_variable([3, 3, 1, 4])
    b_conv1 = bias_variable([4])
    h_conv1 = tf.nn.relu(conv2d(x_image, W_conv1) + b_conv1)
    h_pool1 = max_pool_2x2(h_conv1)
    assert h_pool1.get_shape().as_list() == [None, 4, 4, 4]
    W_fc1 = weight_variable([4 * 4 * 4, 16])
    b_fc1 = bias_variable([16])
    h_pool1_flat = tf.reshape(h_pool1, [-1, 4 * 4 * 4])
    h_fc1 = tf.nn.relu(tf.matmul(h_pool1_flat, W_fc1) + b_fc1)
    keep_prob = tf.placeholder(tf.float32)
    h_fc1_drop = tf.nn.dropout(h_fc1, keep_prob)
    W_fc2 = weight_variable([16, 10])
    b_fc2 = bias_variable([10])
    y_conv = tf.matmul(h_fc1_drop, W_fc2) + b_fc2
    cross_entropy = tf.reduce_mean(
        tf.nn.softmax_cross_entropy_with_logits(labels=y_, logits=y_conv))
    train_step = tf.train.AdamOptimizer(1e-3).minimize(cross_entropy)
    rng = np.random.RandomState(0)
    xs = rng.rand(20, 64).astype(np.float32)
    ys = np.eye(10, dtype=np.float32)[rng.randint(0, 10, 20)]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        before = sess.run(cross_entropy, {x: xs, y_: ys, keep_prob: 1.0})
        for _ in range(20):
            train_step.run(feed_dict={x: xs, y_: ys, keep_prob: 1.0})
        after = sess.run(cross_entropy, {x: xs, y_: ys, keep_prob: 1.0})
    assert after < before

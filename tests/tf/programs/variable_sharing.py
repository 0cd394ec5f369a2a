"""Variable sharing (the "sharing variables" guide): a conv-relu block written with
``get_variable`` under ``variable_scope``, called for two images with
``reuse=True`` / ``reuse_variables()`` / a re-entered scope object, then trained.
Initial values from ``constant_initializer`` of NumPy arrays: exact."""
import numpy as np

TOLERANCE = {"rtol": 5e-5, "atol": 1e-6}


def main(tf, steps=10):
    rng = np.random.RandomState(11)
    k1 = (rng.randn(3, 3, 1, 2) * 0.3).astype(np.float32)
    k2 = (rng.randn(3, 3, 2, 2) * 0.3).astype(np.float32)

    def conv_relu(input, kernel_shape, bias_shape, init):
        weights = tf.get_variable("weights", kernel_shape,
                                  initializer=tf.constant_initializer(init))
        biases = tf.get_variable("biases", bias_shape,
                                 initializer=tf.constant_initializer(0.1))
        conv = tf.nn.conv2d(input, weights, strides=[1, 1, 1, 1], padding="SAME")
        return tf.nn.relu(conv + biases)

    def my_image_filter(input_images):
        with tf.variable_scope("conv1"):
            relu1 = conv_relu(input_images, [3, 3, 1, 2], [2], k1)
        with tf.variable_scope("conv2"):
            return conv_relu(relu1, [3, 3, 2, 2], [2], k2)

    image1 = tf.placeholder(tf.float32, [None, 6, 6, 1])
    image2 = tf.placeholder(tf.float32, [None, 6, 6, 1])
    with tf.variable_scope("image_filters") as scope:
        result1 = my_image_filter(image1)
        scope.reuse_variables()
        result2 = my_image_filter(image2)
    with tf.variable_scope(scope, reuse=True):
        result3 = my_image_filter(image1)
    with tf.variable_scope("image_filters", reuse=True):
        w = tf.get_variable("conv1/weights")
    n_vars = len(tf.global_variables())
    loss = tf.reduce_mean(tf.square(result1 - 1.0)) + tf.reduce_mean(tf.square(result2))
    train = tf.train.MomentumOptimizer(0.1, 0.9).minimize(loss)
    rng2 = np.random.RandomState(0)
    a = rng2.rand(4, 6, 6, 1).astype(np.float32)
    b = rng2.rand(4, 6, 6, 1).astype(np.float32)
    losses = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for i in range(steps):
            _, lv = sess.run([train, loss], {image1: a, image2: b})
            losses.append(lv)
        same = float(np.array_equal(*sess.run([result1, result3], {image1: a})))
        wsum = sess.run(tf.reduce_sum(w))
    return {"loss": losses[::3], "n_vars": n_vars, "same_output": same, "w_sum": wsum}

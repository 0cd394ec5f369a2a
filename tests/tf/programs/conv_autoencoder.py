"""A convolutional autoencoder: ``tf.layers.conv2d`` / ``max_pooling2d`` down,
``conv2d_transpose`` up, ``average_pooling2d`` in the bottleneck, sigmoid output,
Adam. Weights set from NumPy: exact."""
import numpy as np

from .cnn import make_images
from .numpy_init import assign_numpy_values

TOLERANCE = {"rtol": 1e-4, "atol": 2e-6}


def main(tf, steps=10):
    images, _ = make_images(n=32, seed=9)
    images = np.clip(images, 0, 1)
    inputs = tf.placeholder(tf.float32, (None, 12, 12, 1), name="inputs")
    conv1 = tf.layers.conv2d(inputs, 4, (3, 3), padding="same", activation=tf.nn.relu)
    pool1 = tf.layers.max_pooling2d(conv1, (2, 2), (2, 2), padding="same")
    conv2 = tf.layers.conv2d(pool1, 8, (3, 3), padding="same", activation=tf.nn.relu)
    encoded = tf.layers.average_pooling2d(conv2, (2, 2), (2, 2), padding="same")
    up1 = tf.layers.conv2d_transpose(encoded, 8, 3, strides=2, padding="same",
                                     activation=tf.nn.relu)
    up2 = tf.layers.conv2d_transpose(up1, 4, 2, strides=2, padding="valid",
                                     activation=tf.nn.relu)
    logits = tf.layers.conv2d(up2, 1, (3, 3), padding="same")
    decoded = tf.nn.sigmoid(logits)
    loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=inputs,
                                                                  logits=logits))
    opt = tf.train.AdamOptimizer(0.01).minimize(loss)
    losses = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assign_numpy_values(sess, tf, scale=0.2)
        for i in range(steps):
            b = slice((i * 8) % 32, (i * 8) % 32 + 8)
            sess.run(opt, feed_dict={inputs: images[b]})
            if i % 3 == 2:
                losses.append(sess.run(loss, {inputs: images}))
        out = sess.run(decoded, {inputs: images[:2]})
    return {"loss": losses, "decoded_sum": float(out.sum()),
            "decoded_shape": list(out.shape)}

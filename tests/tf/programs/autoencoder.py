"""A dense autoencoder (the "autoencoder" lesson): encoder/decoder weight dicts
initialised with ``tf.random_normal``, sigmoid layers, squared error, RMSProp.

Random: the initial weights come from each library's generator, so the reconstruction
loss is compared within a stated tolerance (TOLERANCE)."""
import numpy as np

# reconstruction loss within 15% of TensorFlow's (averaged over 3 seeds)
TOLERANCE = {"rtol": 0.15, "atol": 0.0}


def make_patterns(n=128, seed=0):
    rng = np.random.RandomState(seed)
    basis = (rng.rand(4, 16) > 0.5).astype(np.float32)
    mix = rng.rand(n, 4)
    mix /= mix.sum(1, keepdims=True)
    return (mix @ basis).astype(np.float32)


def run_once(tf, seed, steps):
    tf.reset_default_graph()
    tf.set_random_seed(seed)
    data = make_patterns()
    num_input, num_hidden_1, num_hidden_2 = 16, 8, 4
    X = tf.placeholder("float", [None, num_input])
    weights = {
        "encoder_h1": tf.Variable(tf.random_normal([num_input, num_hidden_1])),
        "encoder_h2": tf.Variable(tf.random_normal([num_hidden_1, num_hidden_2])),
        "decoder_h1": tf.Variable(tf.random_normal([num_hidden_2, num_hidden_1])),
        "decoder_h2": tf.Variable(tf.random_normal([num_hidden_1, num_input])),
    }
    biases = {
        "encoder_b1": tf.Variable(tf.random_normal([num_hidden_1])),
        "encoder_b2": tf.Variable(tf.random_normal([num_hidden_2])),
        "decoder_b1": tf.Variable(tf.random_normal([num_hidden_1])),
        "decoder_b2": tf.Variable(tf.random_normal([num_input])),
    }

    def encoder(x):
        layer_1 = tf.nn.sigmoid(tf.add(tf.matmul(x, weights["encoder_h1"]),
                                       biases["encoder_b1"]))
        return tf.nn.sigmoid(tf.add(tf.matmul(layer_1, weights["encoder_h2"]),
                                    biases["encoder_b2"]))

    def decoder(x):
        layer_1 = tf.nn.sigmoid(tf.add(tf.matmul(x, weights["decoder_h1"]),
                                       biases["decoder_b1"]))
        return tf.nn.sigmoid(tf.add(tf.matmul(layer_1, weights["decoder_h2"]),
                                    biases["decoder_b2"]))

    y_pred = decoder(encoder(X))
    loss = tf.reduce_mean(tf.pow(X - y_pred, 2))
    optimizer = tf.train.RMSPropOptimizer(0.01).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for i in range(steps):
            b = slice((i * 32) % 128, (i * 32) % 128 + 32)
            sess.run(optimizer, feed_dict={X: data[b]})
        return sess.run(loss, feed_dict={X: data})


def main(tf, steps=400):
    return {"final_loss": float(np.mean([run_once(tf, s, steps) for s in (1, 2, 3)]))}

"""A generative adversarial network on 1-D data (the "GAN" lesson): generator and
discriminator as weight dicts, the two losses with sigmoid cross entropy, two Adam
optimizers each over its own ``var_list``, noise fed from NumPy. Weights and noise from
NumPy: exact."""
import numpy as np

TOLERANCE = {"rtol": 2e-4, "atol": 1e-5}


def main(tf, steps=40):
    rng = np.random.RandomState(3)

    def xavier(shape):
        return tf.Variable((rng.randn(*shape) / np.sqrt(shape[0] / 2.)).astype(np.float32))

    def sample_Z(m, n):
        return rng.uniform(-1., 1., size=[m, n]).astype(np.float32)

    def sample_real(m):
        return (rng.randn(m, 1) * 0.5 + 3.0).astype(np.float32)

    Z = tf.placeholder(tf.float32, shape=[None, 4])
    X = tf.placeholder(tf.float32, shape=[None, 1])
    G_W1, G_b1 = xavier([4, 16]), tf.Variable(tf.zeros(shape=[16]))
    G_W2, G_b2 = xavier([16, 1]), tf.Variable(tf.zeros(shape=[1]))
    D_W1, D_b1 = xavier([1, 16]), tf.Variable(tf.zeros(shape=[16]))
    D_W2, D_b2 = xavier([16, 1]), tf.Variable(tf.zeros(shape=[1]))
    theta_G = [G_W1, G_W2, G_b1, G_b2]
    theta_D = [D_W1, D_W2, D_b1, D_b2]

    def generator(z):
        return tf.matmul(tf.nn.relu(tf.matmul(z, G_W1) + G_b1), G_W2) + G_b2

    def discriminator(x):
        return tf.matmul(tf.nn.leaky_relu(tf.matmul(x, D_W1) + D_b1), D_W2) + D_b2

    G_sample = generator(Z)
    D_logit_real = discriminator(X)
    D_logit_fake = discriminator(G_sample)
    D_loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(
        logits=D_logit_real, labels=tf.ones_like(D_logit_real))) + tf.reduce_mean(
        tf.nn.sigmoid_cross_entropy_with_logits(logits=D_logit_fake,
                                                labels=tf.zeros_like(D_logit_fake)))
    G_loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(
        logits=D_logit_fake, labels=tf.ones_like(D_logit_fake)))
    D_solver = tf.train.AdamOptimizer(0.01).minimize(D_loss, var_list=theta_D)
    G_solver = tf.train.AdamOptimizer(0.01).minimize(G_loss, var_list=theta_G)

    d_losses, g_losses = [], []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for it in range(steps):
            _, d = sess.run([D_solver, D_loss], feed_dict={X: sample_real(32),
                                                           Z: sample_Z(32, 4)})
            _, g = sess.run([G_solver, G_loss], feed_dict={Z: sample_Z(32, 4)})
            if it % 10 == 9:
                d_losses.append(d)
                g_losses.append(g)
        gen_mean = sess.run(tf.reduce_mean(G_sample), feed_dict={Z: sample_Z(256, 4)})
    return {"D_loss": d_losses, "G_loss": g_losses, "generated_mean": gen_mean}

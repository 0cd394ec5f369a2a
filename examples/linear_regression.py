"""Linear regression, the seed course's TensorFlow example, run unchanged on ndgrad.

Part 1 is the slides' TensorFlow 1 program with ``import ndgrad.tf as tf``: data
y = x + 20 sin(x/10), placeholders for minibatches of 100, ``variable_scope`` and
``get_variable`` for the weights and bias, Adam, 500 minibatch steps.
Part 2 trains the same model NumPy-style: ndgrad's ``value_and_grad`` and a hand-written
Adam loop.

Part 1 also saves a checkpoint in TensorFlow's own format (``checkpoints/linear_regression``,
restorable by TensorFlow's ``tf.compat.v1.train.Saver``) and, when the ``tensorboard``
package is installed, TensorBoard logs of the loss curve and the graph
(``tensorboard --logdir logs``).

    python examples/linear_regression.py
"""
import importlib.util
import os

import numpy as np

import ndgrad as nd
import ndgrad.tf as tf

np.random.seed(0)

# Define input data
X_data = np.arange(100, step=.1)
y_data = X_data + 20 * np.sin(X_data / 10)

# Define data size and batch size
n_samples = 1000
batch_size = 100

# Tensorflow is finicky about shapes, so resize
X_data = np.reshape(X_data, (n_samples, 1))
y_data = np.reshape(y_data, (n_samples, 1))

# ---------------------------------------------------------------------------------------
# Part 1: the TensorFlow 1 program of the slides
# ---------------------------------------------------------------------------------------
tf.set_random_seed(0)

# Define placeholders for input
X = tf.placeholder(tf.float32, shape=(batch_size, 1))
y = tf.placeholder(tf.float32, shape=(batch_size, 1))

# Define variables to be learned
with tf.variable_scope("linear-regression"):
    W = tf.get_variable("weights", (1, 1),
                        initializer=tf.random_normal_initializer())
    b = tf.get_variable("bias", (1,),
                        initializer=tf.constant_initializer(0.0))
    y_pred = tf.matmul(X, W) + b
    loss = tf.reduce_sum((y - y_pred)**2 / n_samples)

# Define optimizer operation
opt_operation = tf.train.AdamOptimizer().minimize(loss)

# TensorBoard logs (loss curve and graph) where the tensorboard package is installed;
# checkpoints in TensorFlow's format need nothing more
logs = importlib.util.find_spec("tensorboard") is not None
if logs:
    loss_summary = tf.summary.scalar("loss", loss)
ckpt_dir = os.path.join("checkpoints", "linear_regression")
os.makedirs(ckpt_dir, exist_ok=True)
saver = tf.train.Saver()

print("TensorFlow 1 graph (ndgrad.tf), Adam, 500 minibatch steps")
with tf.Session() as sess:
    if logs:
        writer = tf.summary.FileWriter(os.path.join("logs", "linear_regression"), sess.graph)
    # Initialize Variables in graph
    sess.run(tf.initialize_all_variables())
    # Gradient descent loop for 500 steps
    for step in range(500):
        # Select random minibatch
        indices = np.random.choice(n_samples, batch_size)
        X_batch, y_batch = X_data[indices], y_data[indices]
        # Do gradient descent step
        fetches = [opt_operation, loss] + ([loss_summary] if logs else [])
        _, loss_val, *summary = sess.run(fetches, feed_dict={X: X_batch, y: y_batch})
        if logs:
            writer.add_summary(summary[0], step)
        if step % 50 == 0 or step == 499:
            print(f"  step {step:3d}  loss {loss_val:10.4f}")
    W_val, b_val = sess.run([W, b])
    ckpt = saver.save(sess, os.path.join(ckpt_dir, "model.ckpt"), global_step=500,
                      write_meta_graph=logs)
    if logs:
        writer.close()
print(f"  learned W = {W_val[0, 0]:.4f}, b = {b_val[0]:.4f}")
W_ls, b_ls = np.polyfit(X_data[:, 0], y_data[:, 0], 1)
print(f"  (least squares on all the data: W = {W_ls:.4f}, b = {b_ls:.4f}; Adam's default "
      "step of 0.001 moves W by at most ~0.5 in 500 steps)")

with tf.Session() as sess:      # a fresh session: the variables come from the checkpoint
    saver.restore(sess, tf.train.latest_checkpoint(ckpt_dir))
    assert (sess.run(W) == W_val).all()
print(f"  checkpoint {ckpt} (TensorFlow's V2 format) restored in a new session")
if logs:
    print(f"  TensorBoard logs in {os.path.join('logs', 'linear_regression')}: "
          "tensorboard --logdir logs")
else:
    print("  (no TensorBoard logs: pip install tensorboard, or 'ndgrad[viz]', to write them)")

try:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
except ImportError:
    plt = None
if plt is not None:
    plt.scatter(X_data[:, 0], y_data[:, 0], s=2, label="data")
    plt.plot(X_data[:, 0], X_data[:, 0] * W_val[0, 0] + b_val[0], "r", label="fit")
    plt.legend()
    plt.savefig("linear_regression.png")
    print("  plot saved to linear_regression.png")

# ---------------------------------------------------------------------------------------
# Part 2: the same model NumPy-style, with ndgrad's value_and_grad and a hand-written Adam
# ---------------------------------------------------------------------------------------
np.random.seed(0)
Xf = X_data.astype(np.float32)
yf = y_data.astype(np.float32)


def model_loss(params, Xb, yb):
    Wp, bp = params
    pred = nd.matmul(Xb, Wp) + bp
    return nd.sum((yb - pred) ** 2 / n_samples)


loss_and_grad = nd.value_and_grad(model_loss)
params = [nd.asarray(np.random.randn(1, 1).astype(np.float32)),
          nd.asarray(np.zeros(1, dtype=np.float32))]
m = [nd.zeros_like(p) for p in params]
v = [nd.zeros_like(p) for p in params]
lr, beta1, beta2, eps = 0.001, 0.9, 0.999, 1e-8

print("ndgrad eager (value_and_grad + hand-written Adam), 500 minibatch steps")
for step in range(1, 501):
    indices = np.random.choice(n_samples, batch_size)
    Xb, yb = nd.asarray(Xf[indices]), nd.asarray(yf[indices])
    loss_val, grads = loss_and_grad(params, Xb, yb)
    lr_t = lr * np.sqrt(1 - beta2 ** step) / (1 - beta1 ** step)
    for i, g in enumerate(grads):
        m[i] = beta1 * m[i] + (1 - beta1) * g
        v[i] = beta2 * v[i] + (1 - beta2) * g * g
        params[i] = params[i] - lr_t * m[i] / (nd.sqrt(v[i]) + eps)
    if (step - 1) % 50 == 0 or step == 500:
        print(f"  step {step - 1:3d}  loss {float(loss_val):10.4f}")
print(f"  learned W = {float(params[0][0, 0]):.4f}, b = {float(params[1][0]):.4f}")

"""An MLP with batch normalization (the "batch norm" lesson): ``tf.layers.dense`` +
``batch_normalization(training=is_training)``, the update ops run through
``control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS))``, ``dropout`` with a
training flag, evaluation with the moving averages. Weights set from NumPy, dropout
only in the (unmeasured) flag's other branch: exact."""
from .logistic_regression import make_data
from .numpy_init import assign_numpy_values

TOLERANCE = {"rtol": 1e-4, "atol": 2e-6}


def main(tf, steps=20):
    data_x, data_y = make_data(seed=2)
    x = tf.placeholder(tf.float32, [None, 5])
    y = tf.placeholder(tf.float32, [None, 3])
    is_training = tf.placeholder(tf.bool, [])
    h = tf.layers.dense(x, 16, use_bias=False)
    h = tf.layers.batch_normalization(h, training=is_training, momentum=0.9)
    h = tf.nn.relu(h)
    h = tf.layers.dropout(h, rate=0.0, training=is_training)
    h = tf.layers.dense(h, 8, activation=tf.nn.tanh)
    h = tf.layers.batch_normalization(h, training=is_training, momentum=0.9)
    logits = tf.layers.dense(h, 3)
    loss = tf.losses.softmax_cross_entropy(y, logits)
    update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    with tf.control_dependencies(update_ops):
        train_op = tf.train.AdamOptimizer(0.01).minimize(loss)
    accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(logits, 1), tf.argmax(y, 1)),
                                      tf.float32))
    moving = [v for v in tf.global_variables() if "moving_mean" in v.name]
    losses = []
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        assign_numpy_values(sess, tf)
        for step in range(steps):
            b = slice((step * 40) % 240, (step * 40) % 240 + 40)
            sess.run(train_op, {x: data_x[b], y: data_y[b], is_training: True})
            if step % 5 == 4:
                losses.append(sess.run(loss, {x: data_x, y: data_y, is_training: False}))
        acc = sess.run(accuracy, {x: data_x, y: data_y, is_training: False})
        mm = sess.run(tf.reduce_sum(moving[0]))
    return {"eval_loss": losses, "accuracy": acc, "moving_mean_sum": mm,
            "n_update_ops": len(update_ops)}

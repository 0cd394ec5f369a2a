"""Regenerate tests/tf/data/tf_adam/: a tiny checkpoint written by TensorFlow itself.

Run with a Python that has TensorFlow (2.x, through tf.compat.v1):

    python tests/tf/data/make_tf_checkpoint.py tests/tf/data/tf_adam
    python tests/tf/data/make_tf_checkpoint.py --object tests/tf/data/tf2_object

The graph matches ``tf_adam_graph`` in tests/tf/test_saver.py: a dense layer under
``dense/`` (kernel 3x2 = arange/10, bias [0.5, -0.5]), an int32 counter, a float64 scale,
a bool flag and the global step, trained one Adam step on a fixed batch.
"""
import sys

import numpy as np


def main(out):
    import tensorflow as tf

    v1 = tf.compat.v1
    v1.disable_eager_execution()

    x = v1.placeholder(tf.float32, (None, 3), name="x")
    y = v1.placeholder(tf.float32, (None, 2), name="y")
    with v1.variable_scope("dense"):
        kernel = v1.get_variable("kernel", initializer=np.arange(6, dtype=np.float32)
                                 .reshape(3, 2) / 10)
        bias = v1.get_variable("bias", initializer=np.array([0.5, -0.5], np.float32))
    counter = v1.Variable(np.array([7, -3], np.int32), name="counter", trainable=False)
    scale = v1.Variable(np.float64(2.25), name="scale", trainable=False)
    flag = v1.Variable(np.array([True, False, True]), name="flag", trainable=False)
    step = v1.train.get_or_create_global_step()
    loss = tf.reduce_mean(tf.square(tf.matmul(x, kernel) + bias - y))
    train = v1.train.AdamOptimizer(0.1).minimize(loss, global_step=step)
    saver = v1.train.Saver(save_relative_paths=True)
    X = np.array([[1, 2, 3], [4, 5, 6]], np.float32)
    Y = np.array([[1, 0], [0, 1]], np.float32)
    with v1.Session() as sess:
        sess.run(v1.global_variables_initializer())
        sess.run(train, {x: X, y: Y})
        print(saver.save(sess, out + "/model.ckpt", global_step=step, write_meta_graph=False))


def object_checkpoint(out):
    """A TF 2 object-based checkpoint: string tensors (the object graph, a string
    variable) beside numeric ones."""
    import tensorflow as tf
    ck = tf.train.Checkpoint(v=tf.Variable([1.5, -2.0]), s=tf.Variable([b"ab", b"", b"\xffz"]))
    print(ck.write(out + "/ck"))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--object"]:
        object_checkpoint(sys.argv[2])
    else:
        main(sys.argv[1])

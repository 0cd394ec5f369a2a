"""Regenerate tests/tf/data/tf_adam/: a tiny checkpoint written by TensorFlow itself.

Run with a Python that has TensorFlow (2.x, through tf.compat.v1):

    python tests/tf/data/make_tf_checkpoint.py tests/tf/data/tf_adam
    python tests/tf/data/make_tf_checkpoint.py --object tests/tf/data/tf2_object
    python tests/tf/data/make_tf_checkpoint.py --partitioned tests/tf/data/tf_partitioned

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
    # (variables of other dtypes, saved beside the model's)
    v1.Variable(np.array([7, -3], np.int32), name="counter", trainable=False)
    v1.Variable(np.float64(2.25), name="scale", trainable=False)
    v1.Variable(np.array([True, False, True]), name="flag", trainable=False)
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


PARTITIONED = {  # name: (full value, number of parts, axis)
    "emb": (np.arange(40, dtype=np.float32).reshape(10, 4) / 8, 3, 0),
    "big": (np.arange(300, dtype=np.int64).reshape(150, 2) - 7, 2, 0),
    "scope/cols": (np.arange(21, dtype=np.float64).reshape(3, 7) / 4 - 1, 2, 1),
}


def partitioned_checkpoint(out):
    """Partitioned variables: TF saves each as slices of one full tensor (starts past
    63 take OrderedCode's two-byte form)."""
    import tensorflow as tf
    v1 = tf.compat.v1
    v1.disable_eager_execution()

    def init_from(full):
        def init(shape, dtype=None, partition_info=None):
            off = partition_info.var_offset if partition_info else [0] * len(shape)
            return tf.constant(full[tuple(slice(o, o + n) for o, n in zip(off, shape))],
                               dtype=dtype)
        return init
    for name, (full, parts, axis) in PARTITIONED.items():
        scope, _, short = name.rpartition("/")
        with v1.variable_scope(scope or v1.get_variable_scope()):
            v1.get_variable(short, shape=full.shape, dtype=tf.as_dtype(full.dtype),
                            initializer=init_from(full),
                            partitioner=v1.fixed_size_partitioner(parts, axis=axis))
    saver = v1.train.Saver()
    with v1.Session() as sess:
        sess.run(v1.global_variables_initializer())
        print(saver.save(sess, out + "/model.ckpt", write_meta_graph=False))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--object"]:
        object_checkpoint(sys.argv[2])
    elif sys.argv[1:2] == ["--partitioned"]:
        partitioned_checkpoint(sys.argv[2])
    else:
        main(sys.argv[1])

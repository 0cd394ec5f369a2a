"""Identical starting values under TensorFlow and ndgrad: every trainable variable set
from a NumPy generator seeded by its name (for programs whose layers create their own
variables)."""
import numpy as np


def assign_numpy_values(sess, tf, scale=0.3):
    for v in tf.trainable_variables():
        rng = np.random.RandomState(sum(map(ord, v.name)))
        shape = v.get_shape().as_list()
        sess.run(v.assign((rng.randn(*shape) * scale).astype(np.float32)))

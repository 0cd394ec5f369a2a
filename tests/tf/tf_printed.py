"""The text a program prints under ndgrad.tf, run as its TensorFlow reference was made:
in a fresh default graph, with ``tf`` and ``np`` (and any other names given) as its
globals. Tests compare it with the text TF 2.15 printed for the same program."""
import contextlib
import io

import numpy as np

import ndgrad.tf as tf


def printed(program, **names):
    """What ``program`` writes to stdout (its exceptions propagate).

    >>> printed("print(tf.constant(2) * 3)")
    'Tensor("mul:0", shape=(), dtype=int32)\\n'
    """
    out = io.StringIO()
    with tf.Graph().as_default(), contextlib.redirect_stdout(out):
        exec(program, {"tf": tf, "np": np, **names})
    return out.getvalue()

"""``tf.contrib``: the pieces TF 1 tutorials use most (``contrib.rnn``, ``contrib.layers``);
the rest of contrib is not provided (see the README's table)."""
from . import rnn, layers  # noqa: F401

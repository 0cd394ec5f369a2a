"""``tensorflow.python.layers.utils``: ``smart_cond``."""
from __future__ import annotations

from ....graph.core import Tensor


def smart_cond(pred, true_fn=None, false_fn=None, name=None):
    """``true_fn()`` or ``false_fn()`` when ``pred`` is known when the graph is built (a
    Python bool, 0 or 1, or a tensor whose value the graph determines), else
    ``tf.cond(pred, true_fn, false_fn)``, as TF's.

    >>> import ndgrad.tf as tf
    >>> from ndgrad.tf.python.layers.utils import smart_cond
    >>> smart_cond(True, lambda: 1, lambda: 2)
    1
    >>> t = tf.placeholder(tf.bool, [])
    >>> int(tf.Session().run(smart_cond(t, lambda: tf.constant(1), lambda: tf.constant(2)),
    ...                      {t: False}))
    2
    """
    from ... import cond
    from ...tensor_util import constant_value
    if isinstance(pred, Tensor):
        v = constant_value(pred)
        if v is None:
            return cond(pred, true_fn, false_fn, name=name)
        pred = bool(v)
    elif isinstance(pred, bool) or pred in (0, 1):    # (TF's: 1, 0, 1.0 and NumPy bools too)
        pred = bool(pred)
    else:
        raise TypeError(f"`pred` must be a Tensor, or a Python bool, or 1 or 0. Found "
                        f"instead: {type(pred)}")
    return true_fn() if pred else false_fn()

"""``tensorflow.python.training``: ``moving_averages`` (``assign_moving_average``, which
TF1 programs' batch-norm layers import from there)."""
from . import moving_averages  # noqa: F401

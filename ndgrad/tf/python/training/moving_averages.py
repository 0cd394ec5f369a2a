"""``tensorflow.python.training.moving_averages``: ndgrad.tf's ``assign_moving_average``, ``weighted_moving_average``,
``ExponentialMovingAverage`` (``ndgrad/tf/moving_averages.py``)."""
from ...moving_averages import (ExponentialMovingAverage,  # noqa: F401
                                assign_moving_average, weighted_moving_average)

"""``tf.contrib.rnn``: the cells and drivers of ``tf.nn.rnn_cell`` / ``tf.nn`` under their
contrib names."""
from ..rnn import (BasicRNNCell, BasicLSTMCell, LSTMCell, GRUCell, MultiRNNCell,  # noqa
                   DropoutWrapper, ResidualWrapper, DeviceWrapper, RNNCell, LSTMStateTuple, static_rnn, dynamic_rnn,
                   static_bidirectional_rnn, bidirectional_dynamic_rnn)

__all__ = ["BasicRNNCell", "BasicLSTMCell", "LSTMCell", "GRUCell", "MultiRNNCell",
           "DropoutWrapper", "ResidualWrapper", "DeviceWrapper", "RNNCell", "LSTMStateTuple", "static_rnn", "dynamic_rnn",
           "static_bidirectional_rnn", "bidirectional_dynamic_rnn"]

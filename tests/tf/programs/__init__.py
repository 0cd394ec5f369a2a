"""Classic TF 1 tutorial programs (written for ndgrad in the tutorials' style), each a
``main(tf)`` run under ``ndgrad.tf`` by the tests and under TensorFlow for the
reference numbers (``make_reference.py``)."""

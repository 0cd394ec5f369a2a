"""Run every tutorial program under TensorFlow (tf.compat.v1, graph mode) and write the
numbers the tests compare with:

    TF_USE_LEGACY_KERAS=1 TF_ENABLE_ONEDNN_OPTS=0 \\
        /work/tfvenv/bin/python tests/tf/programs/make_reference.py \\
        tests/tf/programs/reference.json

(TensorFlow 2.21 CPU; TF_USE_LEGACY_KERAS=1 with the tf_keras package gives the TF 1
``tf.layers`` and ``tf.nn.rnn_cell``). With ``--ndgrad`` it runs them under ndgrad.tf.
"""
import importlib
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

PROGRAMS = ["linear_regression", "logistic_regression", "mlp", "cnn", "rnn_lengths",
            "static_rnn_split", "bidirectional_rnn", "word2vec_nce", "gan", "autoencoder",
            "variable_sharing", "batchnorm_mlp", "conv_autoencoder"]


def load_tf(ndgrad=False):
    if ndgrad:
        import ndgrad.tf as tf
        return tf
    import tensorflow.compat.v1 as tf
    tf.disable_eager_execution()
    return tf


def run(name, tf):
    mod = importlib.import_module(f"programs.{name}")
    tf.reset_default_graph()
    out = mod.main(tf)
    return {k: [float(v) for v in (vals if isinstance(vals, (list, tuple)) else [vals])]
            for k, vals in out.items()}


if __name__ == "__main__":
    tf = load_tf("--ndgrad" in sys.argv)
    names = [a for a in sys.argv[2:] if not a.startswith("--")] or PROGRAMS
    res = {n: run(n, tf) for n in names}
    with open(sys.argv[1], "w") as fh:
        json.dump(res, fh, indent=1)

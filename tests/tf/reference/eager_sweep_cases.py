"""An eager sweep of ndgrad.tf against TensorFlow: about 180 ops and dtypes (the
elementwise and reduction functions at float32 and float64, and nn / array / linear
algebra ops), each a value and its ``GradientTape`` gradient of a weighted sum. Run
under TensorFlow or ndgrad.tf; reference values from TensorFlow 2.21 CPU
(``tf.compat.v1``, eager):

    BACKEND=tf python tests/tf/reference/eager_sweep_cases.py tests/tf/reference/eager_sweep_tf.json

``run_all_graph`` runs the same cases in graph mode (TF's graph mode gives the same
numbers, checked on 2026-12-05).
"""
import json
import os
import sys

import numpy as np

X = [[-1.5, -0.5, 0.0], [0.25, 1.0, 2.5]]
POS = [[0.5, 1.0, 1.5], [2.0, 3.0, 4.5]]
UNIT = [[-0.9, -0.5, 0.0], [0.25, 0.5, 0.9]]

UNARY = ["abs", "sin", "cos", "tan", "tanh", "sigmoid", "exp", "square", "negative",
         "softplus", "erf", "atan", "sinh", "cosh", "expm1", "log_sigmoid", "elu", "selu",
         "relu", "relu6", "softsign", "sign", "floor", "round", "reciprocal_pos", "sqrt_pos",
         "rsqrt_pos", "log_pos", "log1p_pos", "asin_unit", "acos_unit", "atanh_unit",
         "lgamma_pos", "digamma_pos", "leaky_relu", "softmax", "log_softmax", "l2_normalize",
         "cumsum", "cumprod", "reduce_max", "reduce_min", "reduce_prod", "reduce_mean",
         "reduce_logsumexp", "reduce_std", "reduce_variance", "norm", "transpose", "reverse",
         "reshape", "tile", "pad", "gather", "boolean_mask", "top_k", "sort", "matrix_square"]


def _get(tf, name):
    import functools
    nn = tf.nn
    m = tf.math
    table = {
        "abs": tf.abs, "sin": tf.sin, "cos": tf.cos, "tan": tf.tan, "tanh": tf.tanh,
        "sigmoid": tf.sigmoid, "exp": tf.exp, "square": tf.square, "negative": tf.negative,
        "softplus": nn.softplus, "erf": m.erf, "atan": tf.atan, "sinh": tf.sinh,
        "cosh": tf.cosh, "expm1": tf.math.expm1, "log_sigmoid": m.log_sigmoid,
        "elu": nn.elu, "selu": nn.selu, "relu": nn.relu, "relu6": nn.relu6,
        "softsign": nn.softsign, "sign": tf.sign, "floor": tf.floor, "round": tf.round,
        "reciprocal_pos": tf.math.reciprocal, "sqrt_pos": tf.sqrt, "rsqrt_pos": tf.math.rsqrt,
        "log_pos": tf.math.log, "log1p_pos": tf.math.log1p, "asin_unit": tf.asin,
        "acos_unit": tf.acos, "atanh_unit": tf.atanh, "lgamma_pos": tf.math.lgamma,
        "digamma_pos": tf.math.digamma, "leaky_relu": lambda x: nn.leaky_relu(x, 0.2),
        "softmax": nn.softmax, "log_softmax": nn.log_softmax,
        "l2_normalize": lambda x: tf.math.l2_normalize(x, axis=1),
        "cumsum": lambda x: tf.cumsum(x, axis=1, exclusive=True, reverse=True),
        "cumprod": lambda x: tf.math.cumprod(x, axis=1),
        "reduce_max": lambda x: tf.reduce_max(x, axis=1),
        "reduce_min": lambda x: tf.reduce_min(x, axis=0),
        "reduce_prod": lambda x: tf.reduce_prod(x, axis=1),
        "reduce_mean": lambda x: tf.reduce_mean(x, axis=0, keepdims=True),
        "reduce_logsumexp": lambda x: tf.reduce_logsumexp(x, axis=1),
        "reduce_std": lambda x: tf.math.reduce_std(x, axis=1),
        "reduce_variance": lambda x: tf.math.reduce_variance(x),
        "norm": lambda x: tf.norm(x, axis=1),
        "transpose": tf.transpose, "reverse": lambda x: tf.reverse(x, [1]),
        "reshape": lambda x: tf.reshape(x, (3, 2)), "tile": lambda x: tf.tile(x, [2, 1]),
        "pad": lambda x: tf.pad(x, [[1, 0], [0, 2]], mode="REFLECT") if False else tf.pad(x, [[1, 0], [0, 2]]),
        "gather": lambda x: tf.gather(x, [2, 0, 2], axis=1),
        "boolean_mask": lambda x: tf.boolean_mask(x, x > 0.3),
        "top_k": lambda x: tf.nn.top_k(x, 2).values,
        "sort": lambda x: tf.sort(x, axis=1, direction="DESCENDING"),
        "matrix_square": lambda x: tf.matmul(x, x, transpose_b=True),
    }
    return table[name]


def run_unary(tf):
    out = {}
    for name in UNARY:
        base = POS if name.endswith("_pos") else UNIT if name.endswith("_unit") else X
        for dt in ("float32", "float64"):
            try:
                f = _get(tf, name)
                x = tf.constant(np.array(base, dtype=dt))
                with tf.GradientTape() as t:
                    t.watch(x)
                    y = f(x)
                    l = tf.reduce_sum(y * tf.reshape(tf.cast(tf.range(tf.size(y)) % 3 + 1, y.dtype), tf.shape(y)))
                g = t.gradient(l, x)
                out[name + "/" + dt] = [str(np.asarray(y).dtype)] + [float(v) for v in np.asarray(y).reshape(-1)] + ([None] if g is None else [float(v) for v in np.asarray(g).reshape(-1)])
            except Exception as e:
                out[name + "/" + dt] = "error: " + type(e).__name__ + ": " + str(e)[:120]
    return out


rng = np.random.RandomState(0)
A = rng.uniform(-1, 1, (2, 3, 4)).astype(np.float32)
M = rng.uniform(-1, 1, (3, 4)).astype(np.float32)
IMG = rng.uniform(-1, 1, (1, 5, 5, 2)).astype(np.float32)
K = rng.uniform(-1, 1, (3, 3, 2, 3)).astype(np.float32)
LOGITS = rng.uniform(-2, 2, (4, 5)).astype(np.float32)


def cases(tf):
    nn = tf.nn
    c = tf.constant
    return {
        "conv2d_same": (lambda x: nn.conv2d(x, c(K), [1, 1, 1, 1], "SAME"), IMG),
        "conv2d_valid_s2": (lambda x: nn.conv2d(x, c(K), [1, 2, 2, 1], "VALID"), IMG),
        "conv2d_filter_grad": (lambda k: nn.conv2d(c(IMG), k, [1, 1, 1, 1], "SAME"), K),
        "max_pool": (lambda x: nn.max_pool(x, [1, 2, 2, 1], [1, 2, 2, 1], "SAME"), IMG),
        "avg_pool": (lambda x: nn.avg_pool(x, [1, 3, 3, 1], [1, 2, 2, 1], "VALID"), IMG),
        "softmax_xent": (lambda z: nn.softmax_cross_entropy_with_logits(labels=nn.softmax(c(LOGITS[::-1])), logits=z), LOGITS),
        "sparse_xent": (lambda z: nn.sparse_softmax_cross_entropy_with_logits(labels=c([0, 4, 2, 1]), logits=z), LOGITS),
        "sigmoid_xent": (lambda z: nn.sigmoid_cross_entropy_with_logits(labels=c((LOGITS > 0).astype(np.float32)), logits=z), LOGITS),
        "weighted_xent": (lambda z: nn.weighted_cross_entropy_with_logits(c((LOGITS > 0).astype(np.float32)), z, 2.0) if True else None, LOGITS),
        "embedding_lookup": (lambda w: nn.embedding_lookup(w, c([2, 0, 2])), M),
        "moments": (lambda x: tf.concat([tf.reshape(t, [-1]) for t in nn.moments(x, axes=[0, 1])], 0), A),
        "batch_norm": (lambda x: nn.batch_normalization(x, c(0.1), c(1.5), c(0.2), c(0.9), 1e-3), A),
        "lrn": (lambda x: nn.local_response_normalization(x, 2, 1.0, 0.5, 0.75), IMG),
        "bias_add": (lambda x: nn.bias_add(x, c(np.arange(4, dtype=np.float32))), A),
        "dropout_rate0": (lambda x: nn.dropout(x, keep_prob=1.0), A),
        "concat": (lambda x: tf.concat([x, x * 2], axis=1), A),
        "stack_unstack": (lambda x: tf.stack(tf.unstack(x, axis=2)[::-1], axis=0), A),
        "strided_slice": (lambda x: x[:, ::-2, 1:3], A),
        "slice": (lambda x: tf.slice(x, [0, 1, 1], [2, 2, -1]), A),
        "gather_axis1": (lambda x: tf.gather(x, [2, 2, 0], axis=1), A),
        "gather_nd": (lambda x: tf.gather_nd(x, [[0, 1], [1, 2], [0, 1]]), A),
        "scatter_nd": (lambda x: tf.scatter_nd([[1], [3], [1]], x, [5, 4]), M),
        "where3": (lambda x: tf.where(x > 0, x * x, -x), A),
        "one_hot_mul": (lambda x: tf.one_hot([1, 0, 3], 4) * x, M),
        "tile": (lambda x: tf.tile(x, [1, 2, 1]), A),
        "pad_reflect": (lambda x: tf.pad(x, [[0, 0], [1, 1], [2, 0]], mode="REFLECT"), A),
        "pad_symmetric": (lambda x: tf.pad(x, [[0, 0], [1, 2], [0, 1]], mode="SYMMETRIC"), A),
        "split": (lambda x: tf.split(x, [1, 3], axis=2)[1], A),
        "reverse_sequence": (lambda x: tf.reverse_sequence(x, [2, 3], seq_axis=1, batch_axis=0), A),
        "segment_sum": (lambda x: tf.math.segment_sum(x, [0, 0, 2]), M),
        "unsorted_segment_sum": (lambda x: tf.math.unsorted_segment_sum(x, [1, 0, 1], 3), M),
        "boolean_mask": (lambda x: tf.boolean_mask(x, [True, False, True]), M),
        "matmul_tt": (lambda x: tf.matmul(x, x, transpose_a=True), M),
        "matmul_batch": (lambda x: tf.matmul(x, x, transpose_b=True), A),
        "einsum": (lambda x: tf.einsum("bij,bkj->bik", x, x), A),
        "tensordot": (lambda x: tf.tensordot(x, tf.constant(M), axes=[[1, 2], [0, 1]]), A),
        "cumsum_excl_rev": (lambda x: tf.cumsum(x, axis=2, exclusive=True, reverse=True), A),
        "logsumexp": (lambda x: tf.reduce_logsumexp(x, axis=[0, 2]), A),
        "pow": (lambda x: tf.pow(tf.abs(x) + 0.5, x), M),
        "squared_difference": (lambda x: tf.squared_difference(x, tf.constant(0.3)), M),
        "clip_by_value": (lambda x: tf.clip_by_value(x, -0.3, 0.4), M),
        "clip_by_norm": (lambda x: tf.clip_by_norm(x, 1.0, axes=[1]), M),
        "clip_by_global_norm": (lambda x: tf.clip_by_global_norm([x, x * 2], 1.5)[0][1], M),
        "add_n": (lambda x: tf.add_n([x, x * x, tf.sin(x)]), M),
        "truncatediv_float": (lambda x: tf.truncatediv(x * 10, tf.constant(3.0)) + x, M),
        "floordiv_mod": (lambda x: tf.floormod(x * 10, 3.0), M),
        "matrix_inverse": (lambda x: tf.matrix_inverse(x[:3, :3] + 3 * tf.eye(3)), M),
        "determinant": (lambda x: tf.matrix_determinant(x[:3, :3] + 2 * tf.eye(3)), M),
        "norm_fro": (lambda x: tf.norm(x), M),
        "norm_ord1_axis": (lambda x: tf.norm(x, ord=1, axis=1), M),
        "transpose_perm": (lambda x: tf.transpose(x, [2, 0, 1]), A),
        "expand_squeeze": (lambda x: tf.squeeze(tf.expand_dims(x, 1), [1]) * 2, M),
        "reduce_prod_axis": (lambda x: tf.reduce_prod(x, axis=1), M),
        "argmax_gather": (lambda x: tf.gather(tf.reshape(x, [-1]), tf.argmax(tf.reshape(x, [-1]))), M),
        "diag_part": (lambda x: tf.diag_part(x[:, :3]), M),
        "matrix_band_part": (lambda x: tf.matrix_band_part(x, 1, 0), M),
        "softmax_axis0": (lambda x: tf.nn.softmax(x, axis=0), M),
        "log_softmax_axis0": (lambda x: tf.nn.log_softmax(x, axis=0), M),
        "leaky_relu": (lambda x: tf.nn.leaky_relu(x, 0.3), M),
        "crelu": (lambda x: tf.nn.crelu(x), M),
        "l2_loss": (lambda x: tf.nn.l2_loss(x), M),
        "in_top_k_mask": (lambda x: tf.cast(tf.nn.in_top_k(x, [1, 0, 2], 2), tf.float32)[:, None] * x, M),
        "weighted_xent_targets": (lambda z: nn.weighted_cross_entropy_with_logits(targets=c((LOGITS > 0).astype(np.float32)), logits=z, pos_weight=0.5), LOGITS),
        "crelu_axis0": (lambda x: tf.nn.crelu(x, axis=0), M),
        "band_part_upper": (lambda x: tf.matrix_band_part(x, 0, -1), A),
        "band_part_inf": (lambda x: tf.matrix_band_part(x + tf.constant([[0.0, 0, 0, 0], [np.inf, 0, 0, 0], [0, 0, 0, 0]]), 0, 1), M),
    }


def run_nn(tf):
    out = {}
    for name, (f, x0) in cases(tf).items():
        try:
            x = tf.constant(x0)
            with tf.GradientTape() as t:
                t.watch(x)
                y = f(x)
                w = tf.reshape(tf.cast(tf.range(tf.size(y)) % 5 + 1, y.dtype), tf.shape(y))
                loss = tf.reduce_sum(y * w)
            g = t.gradient(loss, x)
            if g is not None:
                g = tf.convert_to_tensor(g)   # (TF: IndexedSlices from a gather)
            out[name] = [float(v) for v in np.asarray(y).reshape(-1)] + ([None] if g is None else [float(v) for v in np.asarray(g).reshape(-1)])
        except Exception as e:
            out[name] = "error: " + type(e).__name__ + ": " + str(e)[:150]
    return out

def run_all(tf):
    out = {}
    out.update(run_unary(tf))
    out.update(run_nn(tf))
    return out


def run_all_graph(tf):
    """The same cases in graph mode: a placeholder fed the input, ``tf.gradients`` for
    the gradient, one ``Session.run`` (TF's graph mode gives the same numbers)."""
    def one(f, x0, weights_mod, with_dtype):
        x = tf.placeholder(tf.as_dtype(x0.dtype), x0.shape)
        y = f(x)
        w = tf.reshape(tf.cast(tf.range(tf.size(y)) % weights_mod + 1, y.dtype), tf.shape(y))
        g = tf.gradients(tf.reduce_sum(y * w), x)[0]
        fetch = [y] if g is None else [y, tf.convert_to_tensor(g)]
        with tf.Session() as s:
            vals = s.run(fetch, {x: x0})
        head = [str(np.asarray(vals[0]).dtype)] if with_dtype else []
        return head + [float(v) for v in np.asarray(vals[0]).reshape(-1)] + (
            [None] if g is None else [float(v) for v in np.asarray(vals[1]).reshape(-1)])

    out = {}
    for name in UNARY:
        base = POS if name.endswith("_pos") else UNIT if name.endswith("_unit") else X
        for dt in ("float32", "float64"):
            try:
                out[name + "/" + dt] = one(_get(tf, name), np.array(base, dtype=dt), 3, True)
            except Exception as e:
                out[name + "/" + dt] = "error: " + type(e).__name__ + ": " + str(e)[:150]
    for name, (f, x0) in cases(tf).items():
        try:
            out[name] = one(f, x0, 5, False)
        except Exception as e:
            out[name] = "error: " + type(e).__name__ + ": " + str(e)[:150]
    return out


if __name__ == "__main__":
    if os.environ.get("BACKEND") == "tf":
        import tensorflow.compat.v1 as tf
    else:
        import ndgrad.tf as tf
        tf.enable_eager_execution()
    with open(sys.argv[1], "w") as fh:
        json.dump(run_all(tf), fh, indent=0)

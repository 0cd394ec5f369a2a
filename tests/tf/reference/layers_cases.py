"""tf.layers cases (conv2d and conv1d, dilated too, separable_conv2d, conv2d_transpose, pooling, batch_normalization with its update
ops, dense + flatten) run under TensorFlow or ndgrad.tf: outputs, gradients of their
squared sum, and the moving averages after the UPDATE_OPS ran. Reference values from
TensorFlow 2.21 CPU (tf.compat.v1; its TF1 layers need the tf_keras package):

    TF_USE_LEGACY_KERAS=1 TF_ENABLE_ONEDNN_OPTS=0 BACKEND=tf \\
        python tests/tf/reference/layers_cases.py tests/tf/reference/layers_tf.json
"""
import os
import sys
import json
import numpy as np
if os.environ.get("BACKEND") == "tf":
    import tensorflow.compat.v1 as tf
    tf.disable_eager_execution()
else:
    import ndgrad.tf as tf

def setw(s):
    for v in tf.global_variables():
        r = np.random.RandomState(sum(map(ord, v.name)))
        if "moving_variance" in v.name or "gamma" in v.name:
            val = r.uniform(0.5, 1.5, v.shape.as_list())
        else:
            val = r.uniform(-0.5, 0.5, v.shape.as_list())
        s.run(v.assign(val.astype(np.float32)))


def case(res, name, build, xshape):
    tf.reset_default_graph()
    xv = np.random.RandomState(1).randn(*xshape).astype(np.float32)
    x = tf.placeholder(tf.float32, [None] + list(xshape[1:]))
    out = build(x)
    outs = out if isinstance(out, list) else [out]
    loss = sum(tf.reduce_sum(o * o) for o in outs)
    vs = tf.trainable_variables()
    grads = tf.gradients(loss, vs + [x])
    upd = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    with tf.Session() as s:
        s.run(tf.global_variables_initializer()); setw(s)
        vals = s.run(outs + grads, {x: xv})
        if upd:
            s.run(upd, {x: xv})
            vals += s.run([v for v in tf.global_variables() if "moving" in v.name])
    res[name] = {"names": sorted(v.name for v in tf.global_variables()),
                 "shapes": [list(np.shape(v)) for v in vals],
                 "vals": [np.round(np.asarray(v, np.float64), 7).tolist() for v in vals]}
L = tf.layers
CASES = {
    "conv_same": (lambda x: L.conv2d(x, 3, 3, padding="same", activation=tf.nn.relu), (2, 5, 5, 2)),
    "conv_valid_s2": (lambda x: L.conv2d(x, 2, (3, 2), strides=2), (2, 7, 6, 1)),
    "conv_dilated": (lambda x: L.conv2d(x, 2, 3, padding="same", dilation_rate=(2, 3)), (2, 7, 8, 2)),
    "conv1d_dilated": (lambda x: L.conv1d(x, 2, 3, dilation_rate=2), (2, 9, 3)),
    "sepconv_same": (lambda x: L.separable_conv2d(x, 3, 3, padding="same", depth_multiplier=2, activation=tf.nn.relu), (2, 5, 6, 2)),
    "sepconv_dilated": (lambda x: L.separable_conv2d(x, 2, (3, 2), dilation_rate=(2, 1)), (2, 7, 6, 3)),
    "convT_valid_s2": (lambda x: L.conv2d_transpose(x, 2, 3, strides=2), (2, 3, 3, 2)),
    "convT_same_s2": (lambda x: L.conv2d_transpose(x, 3, 4, strides=2, padding="same"), (2, 3, 4, 2)),
    "pools": (lambda x: [L.max_pooling2d(x, 2, 2), L.average_pooling2d(x, 3, 2, padding="same")], (2, 5, 5, 2)),
    "bn2d_train": (lambda x: L.batch_normalization(x, training=True), (6, 3)),
    "bn4d_train": (lambda x: L.batch_normalization(x, training=True, momentum=0.9), (3, 2, 2, 2)),
    "bn_infer": (lambda x: L.batch_normalization(x, training=False), (4, 3)),
    "bn_ph": (lambda x: L.batch_normalization(x, training=tf.placeholder_with_default(True, [])), (4, 2, 2, 3)),
    "bn_axis1": (lambda x: L.batch_normalization(x, axis=1, training=True), (4, 3, 2)),
    "dense_flat": (lambda x: L.dense(L.flatten(x), 4, activation=tf.nn.sigmoid), (3, 2, 3)),
}


def run_all(names=None):
    res = {}
    for name, (build, shape) in CASES.items():
        if names is None or name in names:
            case(res, name, build, shape)
    return res


if __name__ == "__main__":
    with open(sys.argv[1], "w") as fh:
        json.dump(run_all(), fh)

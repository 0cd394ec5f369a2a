"""``ndgrad.tf.nn_stats`` (tf.nn.zero_fraction, sufficient_statistics, normalize_moments,
weighted_moments, batch_norm_with_global_normalization, log_poisson_loss, max_pool1d,
avg_pool1d) against TensorFlow 2.15.

Each case of ``nn_cases`` was run with TF 2.15 (``tf.compat.v1``, graph mode, CPU) and its
outputs -- static shape, dtype, shape and values of every output and gradient (None where
TF's ``tf.gradients`` gives None), or the exception type -- were printed and pasted into
``TF_RESULTS`` (floats as the shortest string that reads back in their dtype). Here each
case runs in graph mode and, where it needs neither gradients nor feeds, eagerly; the
gradients are also checked against central differences. TensorFlow is not needed.
"""

import numpy as np
import pytest

import ndgrad.tf as tf
from ndgrad.tf import nn_stats
from helpers import fd_grad_np
from tf_oracle import _compare, _enc, _feed, oracle_tests

X2 = [[1.0, 2.0, 0.5], [3.0, -6.0, 0.25]]
W2 = [[1.0, 2.0, 0.0], [3.0, 0.5, 1.5]]


def nn_cases(tf, nn):
    C = []
    add = lambda label, fn: C.append((label, fn))
    # ---------------- zero_fraction
    for v, dt in [([0.0, 1.0, 0.0, 2.0], "float32"), ([[0, 3], [0, 0]], "int32"),
                  ([], "float32"), ([float("nan"), 0.0, 0.0], "float32"),
                  ([0.0, -0.0, 1e-30], "float64"), ([0, 1, 0], "uint8"), ([0, 1, 2], "int64"),
                  ([True, False, False], "bool"), ([0j, 1j, 0j, 0j], "complex64"),
                  ([0.0, 2.0, 0.0], "float16"), (np.zeros((0, 3)).tolist(), "float64")]:
        add(f"zero_fraction {dt} {v}", lambda v=v, dt=dt: [nn.zero_fraction(tf.constant(v, dtype=dt, shape=np.shape(v)))])
    add("zero_fraction list", lambda: [nn.zero_fraction([[0.0, 1.0], [2.0, 0.0]])])
    add("zero_fraction placeholder", lambda: _feed(tf, lambda p: [nn.zero_fraction(p)], [[0.0, 1.0, 0.0]], "float32", [None, None]))
    add("zero_fraction grad", lambda: _grads(tf, lambda x: nn.zero_fraction(x), [[0.0, 1.0], [2.0, 0.0]]))
    # ---------------- sufficient_statistics
    for axes, shift, kd in [([0], None, None), ([1], None, True), ([0, 1], None, False),
                            ([-1], 1.5, None), ([0, 0], None, None), ([1, -2], [0.5, 1.0, 2.0], True)]:
        def f(axes=axes, shift=shift, kd=kd):
            x = tf.constant(X2)
            c, m, v, s = nn.sufficient_statistics(x, axes, shift=shift, keep_dims=kd)
            return [c, m, v] + ([] if s is None else [s]) + [("shift_is_none", s is None)]
        add(f"sufficient_statistics axes={axes} shift={shift} kd={kd}", f)
    add("sufficient_statistics int", lambda: list(nn.sufficient_statistics([[1, 2, 3], [4, 5, 6]], [1])[:3]))
    add("sufficient_statistics int shift", lambda: list(nn.sufficient_statistics([[1, 2, 3], [4, 5, 6]], [0], shift=2)))
    add("sufficient_statistics int8 shift", lambda: list(nn.sufficient_statistics(tf.constant([[1, 2]], tf.int8), [0], shift=tf.constant(1, tf.int8))))
    add("sufficient_statistics keepdims", lambda: list(nn.sufficient_statistics(X2, [0], keepdims=True)[:3]))
    add("sufficient_statistics both kd", lambda: list(nn.sufficient_statistics(X2, [0], keepdims=True, keep_dims=True)[:3]))
    add("sufficient_statistics axis out of range", lambda: list(nn.sufficient_statistics(X2, [2])[:3]))
    add("sufficient_statistics unknown", lambda: _feed(tf, lambda p: list(nn.sufficient_statistics(p, [0, -1])[:3]), [[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]], "float32", [None, 3, None]))
    add("sufficient_statistics unknown rank", lambda: _feed(tf, lambda p: list(nn.sufficient_statistics(p, [0, -1], shift=1.0)[:3]), [[1.0, 2.0], [3.0, 4.0]], "float64", None))
    add("sufficient_statistics empty", lambda: list(nn.sufficient_statistics(tf.zeros([0, 2]), [0])[:3]))
    add("sufficient_statistics grad", lambda: _grads(tf, lambda x, s: _sum(tf, nn.sufficient_statistics(x, [1], shift=s)[1:3], [1.0, 0.5]), X2, [[0.5], [-1.0]]))
    add("sufficient_statistics grad noshift", lambda: _grads(tf, lambda x: _sum(tf, nn.sufficient_statistics(x, [0, 1])[1:3], [2.0, 0.5]), X2))
    # ---------------- normalize_moments
    add("normalize_moments noshift", lambda: list(nn.normalize_moments(3.0, [6.0, 15.0], [14.0, 77.0], None)))
    add("normalize_moments shift", lambda: list(nn.normalize_moments(tf.constant(2.0), tf.constant([1.0, -3.0]), tf.constant([5.0, 9.0]), tf.constant([0.5, 1.0]))))
    add("normalize_moments f64", lambda: list(nn.normalize_moments(tf.constant(3.0, tf.float64), tf.constant([6.0, 15.0], tf.float64), tf.constant([14.0, 77.0], tf.float64), None)))
    add("normalize_moments zero count", lambda: list(nn.normalize_moments(0.0, [0.0], [0.0], None)))
    add("normalize_moments int", lambda: list(nn.normalize_moments(3, [6, 15], [14, 77], None)))
    add("normalize_moments dtype mismatch", lambda: list(nn.normalize_moments(tf.constant(3.0), tf.constant([6.0], tf.float64), tf.constant([14.0], tf.float64), None)))
    add("normalize_moments grad", lambda: _grads(tf, lambda c, m, v, s: _sum(tf, nn.normalize_moments(c, m, v, s), [1.0, 0.5]), 3.0, [6.0, 15.0], [14.0, 77.0], [0.5, 1.0]))
    add("stats roundtrip", lambda: list(nn.normalize_moments(*nn.sufficient_statistics(tf.constant(X2), [0], shift=tf.constant([1.0, 0.0, 0.0])))))
    # ---------------- weighted_moments
    for axes, w, kd in [([0], W2, None), ([1], [[1.0], [2.0]], True), ([0, 1], W2, False),
                        ([-1], [0.5, 1.0, 2.0], None), ([0], [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0]], None),
                        ([1], 2.0, None), ([0], [[1], [3]], None)]:
        add(f"weighted_moments axes={axes} w={w} kd={kd}", lambda axes=axes, w=w, kd=kd: list(nn.weighted_moments(tf.constant(X2), axes, w, keep_dims=kd)))
    add("weighted_moments f16", lambda: list(nn.weighted_moments(tf.constant(X2, tf.float16), [0], tf.constant(W2, tf.float16))))
    add("weighted_moments f64 w32", lambda: list(nn.weighted_moments(tf.constant(X2, tf.float64), [1], tf.constant(W2))))
    add("weighted_moments int", lambda: list(nn.weighted_moments([[1, 2], [3, 4]], [0], [[1], [1]])))
    add("weighted_moments nan", lambda: list(nn.weighted_moments([[1.0, float("nan")], [3.0, 4.0]], [0], [[1.0], [1.0]])))
    add("weighted_moments keepdims", lambda: list(nn.weighted_moments(X2, [0], W2, keepdims=True)))
    add("weighted_moments grad", lambda: _grads(tf, lambda x, w: _sum(tf, nn.weighted_moments(x, [0], w), [1.0, 0.5]), X2, W2))
    add("weighted_moments grad bcast", lambda: _grads(tf, lambda x, w: _sum(tf, nn.weighted_moments(x, [1], w, keep_dims=True), [1.0, 0.7]), X2, [[1.0], [2.0]]))
    add("weighted_moments grad zero weights", lambda: _grads(tf, lambda x, w: _sum(tf, nn.weighted_moments(x, [0], w), [1.0, 0.7]), X2, [[0.0, 1.0, 0.0], [0.0, 2.0, 0.0]]))
    # ---------------- batch_norm_with_global_normalization
    T4 = np.arange(24, dtype=np.float32).reshape(2, 2, 2, 3).tolist()
    M3, V3, B3, G3 = [1.0, 2.0, 3.0], [0.5, 4.0, 9.0], [0.1, 0.2, -0.3], [2.0, -1.0, 0.5]
    for san in (True, False):
        add(f"bn_global san={san}", lambda san=san: [nn.batch_norm_with_global_normalization(tf.constant(T4), tf.constant(M3), tf.constant(V3), B3, G3, 0.001, san)])
    add("bn_global aliases", lambda: [nn.batch_norm_with_global_normalization(input=tf.constant(T4), mean=M3, variance=tf.constant(V3), beta=tf.constant(B3), gamma=G3, variance_epsilon=0.01, scale_after_normalization=True)])
    add("bn_global f16", lambda: [nn.batch_norm_with_global_normalization(tf.constant(T4, tf.float16), tf.constant(M3, tf.float16), tf.constant(V3, tf.float16), tf.constant(B3, tf.float16), tf.constant(G3, tf.float16), 0.001, True)])
    add("bn_global no beta", lambda: [nn.batch_norm_with_global_normalization(tf.constant(T4), tf.constant(M3), tf.constant(V3), None, tf.constant(G3), 0.001, True)])
    add("bn_global nan", lambda: [nn.batch_norm_with_global_normalization(tf.constant([[1.0, float("nan")]]), tf.constant([float("nan"), 0.0]), tf.constant([1.0, -1.0]), tf.constant([0.0, 0.0]), tf.constant([1.0, 1.0]), 0.0, True)])
    add("bn_global both", lambda: [nn.batch_norm_with_global_normalization(t=tf.constant(T4), input=tf.constant(T4), m=M3, v=V3, beta=B3, gamma=G3, variance_epsilon=0.01, scale_after_normalization=True)])
    add("bn_global f64 params f32 x", lambda: [nn.batch_norm_with_global_normalization(tf.constant(T4), tf.constant(M3, tf.float64), tf.constant(V3, tf.float64), tf.constant(B3, tf.float64), tf.constant(G3, tf.float64), 0.001, True)])
    add("bn_global mixed", lambda: [nn.batch_norm_with_global_normalization(tf.constant(T4, tf.float64), M3, tf.constant(V3), B3, G3, 0.001, True)])
    add("bn_global zero var", lambda: [nn.batch_norm_with_global_normalization(tf.constant([[1.0, 2.0]]), [1.0, 1.0], tf.constant([0.0, 0.0]), [0.0, 0.0], [1.0, 1.0], 0.0, True)])
    add("bn_global grad", lambda: _grads(tf, lambda t, m, v, b, g: _sum(tf, [nn.batch_norm_with_global_normalization(t, m, v, b, g, 0.001, True)], [1.0]) + 0.0 * tf.reduce_sum(t * t * t), np.array(T4)[:, :1].tolist(), M3, V3, B3, G3))
    add("bn_global grad nosan", lambda: _grads(tf, lambda t, m, v, b, g: _sum(tf, [tf.square(nn.batch_norm_with_global_normalization(t, m, v, b, g, 0.01, False))], [1.0]), np.array(T4)[:, :1].tolist(), M3, V3, B3, G3))
    # ---------------- log_poisson_loss
    TG = [0.0, 0.5, 1.0, 2.0, 3.0, 10.0, -1.0]
    LI = [0.0, 0.5, -1.0, 1.0, 2.0, 0.3, 0.1]
    for full in (False, True):
        add(f"log_poisson full={full}", lambda full=full: [nn.log_poisson_loss(TG, LI, compute_full_loss=full)])
        add(f"log_poisson f64 full={full}", lambda full=full: [nn.log_poisson_loss(tf.constant(TG, tf.float64), tf.constant(LI, tf.float64), compute_full_loss=full)])
        add(f"log_poisson grad full={full}", lambda full=full: _grads(tf, lambda t, l: _sum(tf, [nn.log_poisson_loss(t, l, full)], [1.0]), TG, LI))
    add("log_poisson nan", lambda: [nn.log_poisson_loss([float("nan"), 1.0], [0.0, float("nan")], True)])
    add("log_poisson shape mismatch", lambda: [nn.log_poisson_loss([1.0, 2.0], [[1.0, 2.0]])])
    add("log_poisson shape mismatch2", lambda: [nn.log_poisson_loss([1.0, 2.0, 3.0], [1.0, 2.0])])
    add("log_poisson scalar vs vec", lambda: [nn.log_poisson_loss(1.0, [1.0, 2.0])])
    add("log_poisson dtype mismatch", lambda: [nn.log_poisson_loss(tf.constant([1.0]), tf.constant([1.0], tf.float64))])
    add("log_poisson int", lambda: [nn.log_poisson_loss([1, 2], [1, 2])])
    add("log_poisson f16 full", lambda: [nn.log_poisson_loss(tf.constant(TG, tf.float16), tf.constant(LI, tf.float16), True)])
    add("log_poisson unknown", lambda: _feed(tf, lambda p: [nn.log_poisson_loss(p, tf.constant([[0.5, 1.0]]), True)], [[2.0, 3.0]], "float32", [None, 2]))
    add("log_poisson empty", lambda: [nn.log_poisson_loss(tf.zeros([0]), tf.zeros([0]), True)])
    # ---------------- pools
    P = np.array([[[1.0, -1.0], [5.0, 2.0], [2.0, 2.0], [4.0, 0.0], [3.0, 7.0]],
                  [[0.0, 1.0], [-2.0, 3.0], [6.0, 6.0], [1.0, 1.0], [2.0, -5.0]]], np.float32).tolist()
    for pool in ("max_pool1d", "avg_pool1d"):
        for k, s, pad in [(2, 2, "SAME"), (2, 2, "VALID"), ([3], [1], "SAME"), ([1, 3, 1], [1, 2, 1], "VALID"),
                          (5, 1, "VALID"), (7, 3, "SAME"), (1, 1, "VALID"), (6, 1, "VALID"), ((2,), (3,), "SAME")]:
            add(f"{pool} k={k} s={s} {pad}", lambda pool=pool, k=k, s=s, pad=pad: [getattr(nn, pool)(tf.constant(P), k, s, pad)])
            add(f"{pool} grad k={k} s={s} {pad}", lambda pool=pool, k=k, s=s, pad=pad: _grads(tf, lambda x: _sum(tf, [tf.square(getattr(nn, pool)(x, k, s, pad))], [1.0]), P))
        add(f"{pool} f64", lambda pool=pool: [getattr(nn, pool)(tf.constant(P, tf.float64), 2, 1, "SAME")])
        add(f"{pool} f16", lambda pool=pool: [getattr(nn, pool)(tf.constant(P, tf.float16), 3, 2, "SAME")])
        for dt in ("int32", "int64", "int8", "uint8", "uint16", "int16", "uint32", "uint64", "bool", "complex64"):
            add(f"{pool} {dt}", lambda pool=pool, dt=dt: [getattr(nn, pool)(tf.cast(tf.constant(P), dt), 2, 2, "VALID")])
            add(f"{pool} {dt} same", lambda pool=pool, dt=dt: [getattr(nn, pool)(tf.cast(tf.constant(P), dt), 2, 2, "SAME")])
        add(f"{pool} NCW", lambda pool=pool: [getattr(nn, pool)(tf.constant(P), 2, 2, "SAME", data_format="NCW")])
        add(f"{pool} bad pad", lambda pool=pool: [getattr(nn, pool)(tf.constant(P), 2, 2, "FULL")])
        add(f"{pool} rank2", lambda pool=pool: [getattr(nn, pool)(tf.constant([[1.0, 2.0]]), 1, 1, "SAME")])
        add(f"{pool} ksize len2", lambda pool=pool: [getattr(nn, pool)(tf.constant(P), [2, 2], 1, "SAME")])
        add(f"{pool} empty batch", lambda pool=pool: [getattr(nn, pool)(tf.zeros([0, 4, 2]), 2, 2, "VALID")])
        add(f"{pool} unknown", lambda pool=pool: _feed(tf, lambda p: [getattr(nn, pool)(p, 2, 2, "SAME")], P, "float32", [None, None, 2]))
        add(f"{pool} nan", lambda pool=pool: [getattr(nn, pool)(tf.constant([[[float("nan")], [1.0], [2.0], [float("nan")]]]), 2, 1, "VALID")])
        add(f"{pool} explicit", lambda pool=pool: [getattr(nn, pool)(tf.constant(P), 2, 2, [[0, 0], [1, 0], [0, 0]])])
        add(f"{pool} explicit grad", lambda pool=pool: _grads(tf, lambda x: _sum(tf, [tf.square(getattr(nn, pool)(x, 3, 2, [[0, 0], [1, 2], [0, 0]]))], [1.0]), P))
        add(f"{pool} explicit big", lambda pool=pool: [getattr(nn, pool)(tf.constant(P), 2, 1, [[0, 0], [3, 0], [0, 0]])])
        add(f"{pool} explicit batch", lambda pool=pool: [getattr(nn, pool)(tf.constant(P), 2, 1, [[1, 0], [0, 0], [0, 0]])])
        add(f"{pool} explicit len2", lambda pool=pool: [getattr(nn, pool)(tf.constant(P), 2, 1, [[0, 0], [1, 1]])])
        add(f"{pool} EXPLICIT str", lambda pool=pool: [getattr(nn, pool)(tf.constant(P), 2, 1, "EXPLICIT")])
        add(f"{pool} explicit int", lambda pool=pool: [getattr(nn, pool)(tf.constant(P, tf.int32) if False else tf.cast(tf.constant(P), tf.int32), 2, 2, [[0, 0], [1, 0], [0, 0]])])
    # ---------------- max_pool1d NaN / inf / second order
    NP = [[[float("nan"), 5.0], [1.0, float("nan")], [float("nan"), float("nan")], [float("nan"), 2.0], [3.0, float("nan")], [2.0, 1.0], [float("nan"), 9.0]]]
    for k, s, pad in [(2, 1, "VALID"), (3, 2, "SAME"), (2, 1, [[0, 0], [1, 1], [0, 0]]), (4, 1, "SAME"), (3, 3, "VALID")]:
        add(f"max_pool1d nan grad k={k} s={s} {pad}", lambda k=k, s=s, pad=pad: _grads(tf, lambda x: _sum(tf, [nn.max_pool1d(x, k, s, pad)], [1.0]), NP))
    IP = [[[-float("inf"), 0.0], [-float("inf"), -0.0], [1.0, float("inf")], [float("inf"), float("inf")], [float("nan"), -1.0]]]
    add("max_pool1d inf grad", lambda: _grads(tf, lambda x: _sum(tf, [nn.max_pool1d(x, 2, 1, "SAME")], [1.0]), IP))
    add("max_pool1d f16 nan", lambda: [nn.max_pool1d(tf.constant(NP, tf.float16), 2, 1, "VALID")])
    add("max_pool1d f64 nan", lambda: [nn.max_pool1d(tf.constant(NP, tf.float64), 2, 1, "VALID")])
    add("max_pool1d ties grad", lambda: _grads(tf, lambda x: _sum(tf, [nn.max_pool1d(x, 3, 1, "SAME")], [1.0]), [[[1.0], [1.0], [0.5], [2.0], [2.0], [2.0]]]))
    def second(pool):
        x = tf.constant([[[1.0, 0.0], [3.0, 2.0], [2.0, -1.0], [0.5, 4.0], [0.7, 4.0]]])
        y = getattr(nn, pool)(x, 2, 1, "SAME")
        w = tf.reshape(tf.range(1.0, 11.0), [1, 5, 2])
        g = tf.gradients(tf.reduce_sum(y * y * w), x)[0]
        gg = tf.gradients(tf.reduce_sum(g * g * tf.reverse(w, [1])), x)[0]
        return [y, g, gg]
    for pool in ("max_pool1d", "avg_pool1d"):
        add(f"{pool} second order", lambda pool=pool: second(pool))
        add(f"{pool} big grad", lambda pool=pool: _grads(tf, lambda x: _sum(tf, [tf.sin(getattr(nn, pool)(x, 4, 3, "SAME"))], [1.0]), (np.sin(np.arange(3 * 11 * 4)) * 3).reshape(3, 11, 4).tolist()))
        add(f"{pool} empty width", lambda pool=pool: [getattr(nn, pool)(tf.zeros([2, 0, 3]), 1, 1, "SAME")])
    mp_int = np.array([[[-5, 7], [-7, -128], [-2, 3], [-9, 3], [-1, 0]]])
    for dt in ("int8", "int16", "int32", "int64", "uint8", "uint16"):
        add(f"max_pool1d {dt} paddings", lambda dt=dt: [nn.max_pool1d(tf.constant(mp_int.astype(dt)), 2, 2, "SAME"), nn.max_pool1d(tf.constant(mp_int.astype(dt)), 3, 2, [[0, 0], [2, 1], [0, 0]]), nn.max_pool1d(tf.constant(mp_int.astype(dt)), 4, 1, "SAME")])
    return C

def _sum(tf, outs, ws):
    tot = 0.0
    for o, w in zip(outs, ws):
        tot = tot + w * tf.reduce_sum(o * tf.cast(tf.reshape(tf.range(1, tf.size(o) + 1), tf.shape(o)), o.dtype))
    return tot


def _grads(tf, fn, *vals):
    xs = [tf.constant(v, dtype=tf.float32) for v in vals]
    y = fn(*xs)
    return [y] + list(tf.gradients(y, xs))



# -- TF 2.15's outputs (printed by TF, pasted) ------------------------------------------
TF_RESULTS = {
    'zero_fraction float32 [0.0, 1.0, 0.0, 2.0]': {'out': [[[], 'float32', [], ['0.5']]]},
    'zero_fraction int32 [[0, 3], [0, 0]]': {'out': [[[], 'float32', [], ['0.75']]]},
    'zero_fraction float32 []': {'out': [[[], 'float32', [], ['nan']]]},
    'zero_fraction float32 [nan, 0.0, 0.0]': {'out': [[[], 'float32', [], ['0.6666667']]]},
    'zero_fraction float64 [0.0, -0.0, 1e-30]': {'out': [[[], 'float32', [], ['0.6666667']]]},
    'zero_fraction uint8 [0, 1, 0]': {'out': [[[], 'float32', [], ['0.6666667']]]},
    'zero_fraction int64 [0, 1, 2]': {'out': [[[], 'float32', [], ['0.33333334']]]},
    'zero_fraction bool [True, False, False]': {'out': [[[], 'float32', [], ['0.6666667']]]},
    'zero_fraction complex64 [0j, 1j, 0j, 0j]': {'out': [[[], 'float32', [], ['0.75']]]},
    'zero_fraction float16 [0.0, 2.0, 0.0]': {'out': [[[], 'float32', [], ['0.6666667']]]},
    'zero_fraction float64 []': {'out': [[[], 'float32', [], ['nan']]]},
    'zero_fraction list': {'out': [[[], 'float32', [], ['0.5']]]},
    'zero_fraction placeholder': {'out': [[[], 'float32', [], ['0.6666667']]]},
    'zero_fraction grad': {'out': [[[], 'float32', [], ['0.5']], None]},
    'sufficient_statistics axes=[0] shift=None kd=None': {'out': [[[], 'float32', [], ['2.0']], [[3], 'float32', [3], ['4.0', '-4.0', '0.75']], [[3], 'float32', [3], ['10.0', '40.0', '0.3125']], ['py', "('shift_is_none', True)"]]},
    'sufficient_statistics axes=[1] shift=None kd=True': {'out': [[[], 'float32', [], ['3.0']], [[2, 1], 'float32', [2, 1], ['3.5', '-2.75']], [[2, 1], 'float32', [2, 1], ['5.25', '45.0625']], ['py', "('shift_is_none', True)"]]},
    'sufficient_statistics axes=[0, 1] shift=None kd=False': {'out': [[[], 'float32', [], ['6.0']], [[], 'float32', [], ['0.75']], [[], 'float32', [], ['50.3125']], ['py', "('shift_is_none', True)"]]},
    'sufficient_statistics axes=[-1] shift=1.5 kd=None': {'out': [[[], 'float32', [], ['3.0']], [[2], 'float32', [2], ['-1.0', '-7.25']], [[2], 'float32', [2], ['1.5', '60.0625']], [[], 'float32', [], ['1.5']], ['py', "('shift_is_none', False)"]]},
    'sufficient_statistics axes=[0, 0] shift=None kd=None': {'out': [[[], 'float32', [], ['2.0']], [[3], 'float32', [3], ['4.0', '-4.0', '0.75']], [[3], 'float32', [3], ['10.0', '40.0', '0.3125']], ['py', "('shift_is_none', True)"]]},
    'sufficient_statistics axes=[1, -2] shift=[0.5, 1.0, 2.0] kd=True': {'out': [[[], 'float32', [], ['6.0']], [[1, 1], 'float32', [1, 1], ['-6.25']], [[1, 1], 'float32', [1, 1], ['61.8125']], [[3], 'float32', [3], ['0.5', '1.0', '2.0']], ['py', "('shift_is_none', False)"]]},
    'sufficient_statistics int': {'out': [[[], 'int32', [], [3]], [[2], 'int32', [2], [6, 15]], [[2], 'int32', [2], [14, 77]]]},
    'sufficient_statistics int shift': {'out': [[[], 'int32', [], [2]], [[3], 'int32', [3], [1, 3, 5]], [[3], 'int32', [3], [5, 9, 17]], [[], 'int32', [], [2]]]},
    'sufficient_statistics int8 shift': {'err': 'TypeError'},
    'sufficient_statistics keepdims': {'out': [[[], 'float32', [], ['2.0']], [[1, 3], 'float32', [1, 3], ['4.0', '-4.0', '0.75']], [[1, 3], 'float32', [1, 3], ['10.0', '40.0', '0.3125']]]},
    'sufficient_statistics both kd': {'err': 'ValueError'},
    'sufficient_statistics axis out of range': {'err': 'IndexError'},
    'sufficient_statistics unknown': {'out': [[[], 'float32', [], ['2.0']], [[3], 'float32', [3], ['3.0', '7.0', '11.0']], [[3], 'float32', [3], ['5.0', '25.0', '61.0']]]},
    'sufficient_statistics unknown rank': {'err': 'TypeError'},
    'sufficient_statistics empty': {'out': [[[], 'float32', [], ['0.0']], [[2], 'float32', [2], ['0.0', '0.0']], [[2], 'float32', [2], ['0.0', '0.0']]]},
    'sufficient_statistics grad': {'out': [[[], 'float32', [], ['46.3125']], [[2, 3], 'float32', [2, 3], ['1.5', '2.5', '1.0', '10.0', '-8.0', '4.5']], [[2, 1], 'float32', [2, 1], ['-5.0', '-6.5']]]},
    'sufficient_statistics grad noshift': {'out': [[[], 'float32', [], ['26.65625']], [[2, 3], 'float32', [2, 3], ['3.0', '4.0', '2.5', '5.0', '-4.0', '2.25']]]},
    'normalize_moments noshift': {'out': [[[2], 'float32', [2], ['2.0', '5.0']], [[2], 'float32', [2], ['0.666667', '0.66666794']]]},
    'normalize_moments shift': {'out': [[[2], 'float32', [2], ['1.0', '-0.5']], [[2], 'float32', [2], ['2.25', '2.25']]]},
    'normalize_moments f64': {'out': [[[2], 'float64', [2], ['2.0', '5.0']], [[2], 'float64', [2], ['0.6666666666666661', '0.6666666666666643']]]},
    'normalize_moments zero count': {'out': [[[1], 'float32', [1], ['nan']], [[1], 'float32', [1], ['nan']]]},
    'normalize_moments int': {'err': 'InvalidArgumentError'},
    'normalize_moments dtype mismatch': {'err': 'TypeError'},
    'normalize_moments grad': {'out': [[[], 'float32', [], ['15.500002']], [[], 'float32', [], ['4.666667']], [[2], 'float32', [2], ['-0.33333334', '-2.6666667']], [[2], 'float32', [2], ['0.16666667', '0.33333334']], [[2], 'float32', [2], ['1.0', '2.0']]]},
    'stats roundtrip': {'out': [[[3], 'float32', [3], ['2.0', '-2.0', '0.375']], [[3], 'float32', [3], ['1.0', '16.0', '0.015625']]]},
    'weighted_moments axes=[0] w=[[1.0, 2.0, 0.0], [3.0, 0.5, 1.5]] kd=None': {'out': [[[3], 'float32', [3], ['2.5', '0.4', '0.25']], [[3], 'float32', [3], ['0.75', '10.240001', '0.0']]]},
    'weighted_moments axes=[1] w=[[1.0], [2.0]] kd=True': {'out': [[[2, 1], 'float32', [2, 1], ['1.1666666', '-0.9166667']], [[2, 1], 'float32', [2, 1], ['0.38888893', '14.180556']]]},
    'weighted_moments axes=[0, 1] w=[[1.0, 2.0, 0.0], [3.0, 0.5, 1.5]] kd=False': {'out': [[[], 'float32', [], ['1.421875']], [[], 'float32', [], ['4.73999']]]},
    'weighted_moments axes=[-1] w=[0.5, 1.0, 2.0] kd=None': {'out': [[[2], 'float32', [2], ['1.0', '-1.1428572']], [[2], 'float32', [2], ['0.42857143', '10.301021']]]},
    'weighted_moments axes=[0] w=[[0.0, 0.0, 0.0], [0.0, 0.0, 0.0]] kd=None': {'out': [[[3], 'float32', [3], ['0.0', '0.0', '0.0']], [[3], 'float32', [3], ['0.0', '0.0', '0.0']]]},
    'weighted_moments axes=[1] w=2.0 kd=None': {'out': [[[2], 'float32', [2], ['1.1666666', '-0.9166667']], [[2], 'float32', [2], ['0.38888893', '14.180556']]]},
    'weighted_moments axes=[0] w=[[1], [3]] kd=None': {'out': [[[3], 'float32', [3], ['2.5', '-4.0', '0.3125']], [[3], 'float32', [3], ['0.75', '12.0', '0.01171875']]]},
    'weighted_moments f16': {'out': [[[3], 'float16', [3], ['2.5', '0.4', '0.25']], [[3], 'float16', [3], ['0.75', '10.24', '0.0']]]},
    'weighted_moments f64 w32': {'out': [[[2], 'float64', [2], ['1.6666666666666667', '1.275']], [[2], 'float64', [2], ['0.2222222222222222', '7.393125']]]},
    'weighted_moments int': {'err': 'TypeError'},
    'weighted_moments nan': {'out': [[[2], 'float32', [2], ['2.0', 'nan']], [[2], 'float32', [2], ['1.0', 'nan']]]},
    'weighted_moments keepdims': {'out': [[[1, 3], 'float32', [1, 3], ['2.5', '0.4', '0.25']], [[1, 3], 'float32', [1, 3], ['0.75', '10.240001', '0.0']]]},
    'weighted_moments grad': {'out': [[[], 'float32', [], ['14.665001']], [[2, 3], 'float32', [2, 3], ['-0.125', '4.1600003', '0.0', '1.125', '-2.16', '3.0']], [[2, 3], 'float32', [2, 3], ['-0.1875', '-1.7920003', '0.5625', '0.0625', '7.168', '0.0']]]},
    'weighted_moments grad bcast': {'out': [[[], 'float32', [], ['19.458336']], [[2, 3], 'float32', [2, 3], ['0.25555557', '0.7222222', '0.02222222', '4.322222', '-4.0777783', '1.7555556']], [[2, 1], 'float32', [2, 1], ['1.1920929e-07', '2.9802322e-07']]]},
    'weighted_moments grad zero weights': {'out': [[[], 'float32', [], ['13.244444']], [[2, 3], 'float32', [2, 3], ['0.0', '5.6444445', '0.0', '0.0', '-3.6444445', '0.0']], [[2, 3], 'float32', [2, 3], ['0.0', '10.192593', '0.0', '0.0', '-5.0962963', '0.0']]]},
    'bn_global san=True': {'out': [[[2, 2, 2, 3], 'float32', [2, 2, 2, 3], ['-2.725603', '0.6999376', '-0.46665743', '5.7512054', '-0.799875', '0.033314764', '14.228014', '-2.2996876', '0.533287', '22.704824', '-3.7995002', '1.0332592', '31.181631', '-5.2993126', '1.5332313', '39.65844', '-6.7991257', '2.0332036', '48.135254', '-8.298939', '2.5331757', '56.61206', '-9.798751', '3.033148']]]},
    'bn_global san=False': {'out': [[[2, 2, 2, 3], 'float32', [2, 2, 2, 3], ['-1.3128015', '-0.29993755', '-0.6333148', '2.925603', '1.1998751', '0.3666296', '7.164007', '2.6996877', '1.366574', '11.402412', '4.1995', '2.3665185', '15.640816', '5.6993127', '3.3664627', '19.879221', '7.1991253', '4.3664074', '24.117626', '8.698938', '5.3663516', '28.35603', '10.1987505', '6.3662963']]]},
    'bn_global aliases': {'out': [[[2, 2, 2, 3], 'float32', [2, 2, 2, 3], ['-2.70056', '0.6993762', '-0.46657413', '5.70112', '-0.7987523', '0.03314829', '14.1028', '-2.2968807', '0.53287077', '22.50448', '-3.7950096', '1.0325933', '30.90616', '-5.293138', '1.5323157', '39.30784', '-6.7912664', '2.0320382', '47.70952', '-8.289395', '2.5317605', '56.1112', '-9.787523', '3.031483']]]},
    'bn_global f16': {'out': [[[2, 2, 2, 3], 'float16', [2, 2, 2, 3], ['-2.725', '0.7', '-0.4666', '5.742', '-0.8', '0.0332', '14.21', '-2.3', '0.533', '22.7', '-3.8', '1.033', '31.16', '-5.3', '1.532', '39.66', '-6.8', '2.031', '48.12', '-8.3', '2.531', '56.6', '-9.8', '3.031']]]},
    'bn_global no beta': {'out': [[[2, 2, 2, 3], 'float32', [2, 2, 2, 3], ['-2.825603', '0.49993753', '-0.16665742', '5.6512055', '-0.99987507', '0.33331478', '14.128014', '-2.4996877', '0.833287', '22.604824', '-3.9995003', '1.3332592', '31.08163', '-5.499313', '1.8332313', '39.55844', '-6.9991255', '2.3332038', '48.03525', '-8.498939', '2.8331757', '56.51206', '-9.998751', '3.333148']]]},
    'bn_global nan': {'out': [[[1, 2], 'float32', [1, 2], ['nan', 'nan']]]},
    'bn_global both': {'err': 'ValueError'},
    'bn_global f64 params f32 x': {'out': [[[2, 2, 2, 3], 'float32', [2, 2, 2, 3], ['-2.7256029', '0.69993746', '-0.46665743', '5.7512054', '-0.799875', '0.033314764', '14.228014', '-2.2996874', '0.533287', '22.704824', '-3.7995', '1.0332592', '31.181631', '-5.2993126', '1.5332313', '39.658443', '-6.799125', '2.0332036', '48.135254', '-8.298938', '2.5331757', '56.61206', '-9.79875', '3.033148']]]},
    'bn_global mixed': {'out': [[[2, 2, 2, 3], 'float64', [2, 2, 2, 3], ['-2.7256031036376953', '0.6999375820159912', '-0.466657429933548', '5.751205921173096', '-0.799875020980835', '0.0333147794008255', '14.228014945983887', '-2.299687623977661', '0.533286988735199', '22.704823970794678', '-3.7995002269744873', '1.0332591980695724', '31.18163299560547', '-5.2993128299713135', '1.533231407403946', '39.65844202041626', '-6.79912543296814', '2.0332036167383194', '48.13525104522705', '-8.298938035964966', '2.533175826072693', '56.61206007003784', '-9.798750638961792', '3.0331480354070663']]]},
    'bn_global zero var': {'out': [[[1, 2], 'float32', [1, 2], ['nan', 'nan']]]},
    'bn_global grad': {'out': [[[], 'float32', [], ['552.3481']], [[2, 1, 2, 3], 'float32', [2, 1, 2, 3], ['2.825603', '-0.99987507', '0.49997222', '11.302412', '-2.4996877', '0.99994445', '19.77922', '-3.9995003', '1.4999167', '28.256031', '-5.499313', '1.9998889']], [[3], 'float32', [3], ['-62.163265', '12.998376', '-4.999722']], [[3], 'float32', [3], ['-631.67175', '15.619144', '-2.5551295']], [[3], 'float32', [3], ['22.0', '26.0', '30.0']], [[3], 'float32', [3], ['316.46753', '124.98438', '91.99489']]]},
    'bn_global grad nosan': {'out': [[[], 'float32', [], ['6768.1597']], [[2, 1, 2, 3], 'float32', [2, 1, 2, 3], ['-3.6415122', '-0.59800535', '-1.2655936', '32.492767', '5.986284', '1.4643728', '303.92114', '45.48828', '20.176582', '551.8201', '79.00524', '34.893234']], [[3], 'float32', [3], ['-884.5925', '-129.8818', '-55.268593']], [[3], 'float32', [3], ['-10918.861', '-201.87221', '-39.658268']], [[3], 'float32', [3], ['631.72546', '260.0881', '165.89787']], None]},
    'log_poisson full=False': {'out': [[[7], 'float32', [7], ['1.0', '1.3987212', '1.3678794', '0.71828175', '1.3890562', '-1.6501411', '1.205171']]]},
    'log_poisson f64 full=False': {'out': [[[7], 'float64', [7], ['1.0', '1.3987212707001282', '1.3678794411714423', '0.7182818284590455', '1.3890560989306504', '-1.6501411924239968', '1.2051709180756478']]]},
    'log_poisson grad full=False': {'out': [[[], 'float32', [], ['16.25484']], [[7], 'float32', [7], ['-0.0', '-1.0', '3.0', '-4.0', '-10.0', '-1.8000001', '-0.7']], [[7], 'float32', [7], ['1.0', '2.2974424', '-1.8963616', '2.873127', '21.945282', '-51.90085', '14.7361965']]]},
    'log_poisson full=True': {'out': [[[7], 'float32', [7], ['1.0', '1.3987212', '1.3678794', '1.3700882', '3.1531377', '13.445943', 'nan']]]},
    'log_poisson f64 full=True': {'out': [[[7], 'float64', [7], ['1.0', '1.3987212707001282', '1.3678794411714423', '1.3700883130635815', '3.153137642473707', '13.44594081721816', 'nan']]]},
    'log_poisson grad full=True': {'out': [[[], 'float32', [], ['nan']], [[7], 'float32', [7], ['nan', '-1.0', '3.0', '-0.22741127', '-3.673606', '12.31551', 'nan']], [[7], 'float32', [7], ['1.0', '2.2974424', '-1.8963616', '2.873127', '21.945282', '-51.90085', '14.7361965']]]},
    'log_poisson nan': {'out': [[[2], 'float32', [2], ['nan', 'nan']]]},
    'log_poisson shape mismatch': {'err': 'ValueError'},
    'log_poisson shape mismatch2': {'err': 'ValueError'},
    'log_poisson scalar vs vec': {'err': 'ValueError'},
    'log_poisson dtype mismatch': {'err': 'TypeError'},
    'log_poisson int': {'err': 'TypeError'},
    'log_poisson f16 full': {'out': [[[7], 'float16', [7], ['1.0', '1.398', '1.368', '1.371', '3.156', '13.45', 'nan']]]},
    'log_poisson unknown': {'out': [[[None, 2], 'float32', [1, 2], ['1.3005277', '1.4823633']]]},
    'log_poisson empty': {'out': [[[0], 'float32', [0], []]]},
    'max_pool1d k=2 s=2 SAME': {'out': [[[2, 3, 2], 'float32', [2, 3, 2], ['5.0', '2.0', '4.0', '2.0', '3.0', '7.0', '0.0', '3.0', '6.0', '6.0', '2.0', '-5.0']]]},
    'max_pool1d grad k=2 s=2 SAME': {'out': [[[], 'float32', [], ['1536.0']], [[2, 5, 2], 'float32', [2, 5, 2], ['0.0', '0.0', '10.0', '8.0', '0.0', '16.0', '24.0', '0.0', '30.0', '84.0', '0.0', '0.0', '0.0', '48.0', '108.0', '120.0', '0.0', '0.0', '44.0', '-120.0']]]},
    'max_pool1d k=2 s=2 VALID': {'out': [[[2, 2, 2], 'float32', [2, 2, 2], ['5.0', '2.0', '4.0', '2.0', '0.0', '3.0', '6.0', '6.0']]]},
    'max_pool1d grad k=2 s=2 VALID': {'out': [[[], 'float32', [], ['691.0']], [[2, 5, 2], 'float32', [2, 5, 2], ['0.0', '0.0', '10.0', '8.0', '0.0', '16.0', '24.0', '0.0', '0.0', '0.0', '0.0', '0.0', '0.0', '36.0', '84.0', '96.0', '0.0', '0.0', '0.0', '0.0']]]},
    'max_pool1d k=[3] s=[1] SAME': {'out': [[[2, 5, 2], 'float32', [2, 5, 2], ['5.0', '2.0', '5.0', '2.0', '5.0', '2.0', '4.0', '7.0', '4.0', '7.0', '0.0', '3.0', '6.0', '6.0', '6.0', '6.0', '6.0', '6.0', '2.0', '1.0']]]},
    'max_pool1d grad k=[3] s=[1] SAME': {'out': [[[], 'float32', [], ['4963.0']], [[2, 5, 2], 'float32', [2, 5, 2], ['0.0', '0.0', '90.0', '48.0', '0.0', '0.0', '128.0', '0.0', '0.0', '252.0', '0.0', '0.0', '0.0', '72.0', '540.0', '576.0', '0.0', '40.0', '76.0', '0.0']]]},
    'max_pool1d k=[1, 3, 1] s=[1, 2, 1] VALID': {'out': [[[2, 2, 2], 'float32', [2, 2, 2], ['5.0', '2.0', '4.0', '7.0', '6.0', '6.0', '6.0', '6.0']]]},
    'max_pool1d grad k=[1, 3, 1] s=[1, 2, 1] VALID': {'out': [[[], 'float32', [], ['1213.0']], [[2, 5, 2], 'float32', [2, 5, 2], ['0.0', '0.0', '10.0', '8.0', '0.0', '0.0', '24.0', '0.0', '0.0', '56.0', '0.0', '0.0', '0.0', '0.0', '144.0', '168.0', '0.0', '0.0', '0.0', '0.0']]]},
    'max_pool1d k=5 s=1 VALID': {'out': [[[2, 1, 2], 'float32', [2, 1, 2], ['5.0', '7.0', '6.0', '6.0']]]},
    'max_pool1d grad k=5 s=1 VALID': {'out': [[[], 'float32', [], ['375.0']], [[2, 5, 2], 'float32', [2, 5, 2], ['0.0', '0.0', '10.0', '0.0', '0.0', '0.0', '0.0', '0.0', '0.0', '28.0', '0.0', '0.0', '0.0', '0.0', '36.0', '48.0', '0.0', '0.0', '0.0', '0.0']]]},
    'max_pool1d k=7 s=3 SAME': {'out': [[[2, 2, 2], 'float32', [2, 2, 2], ['5.0', '7.0', '5.0', '7.0', '6.0', '6.0', '6.0', '6.0']]]},
    'max_pool1d grad k=7 s=3 SAME': {'out': [[[], 'float32', [], ['1330.0']], [[2, 5, 2], 'float32', [2, 5, 2], ['0.0', '0.0', '40.0', '0.0', '0.0', '0.0', '0.0', '0.0', '0.0', '84.0', '0.0', '0.0', '0.0', '0.0', '144.0', '168.0', '0.0', '0.0', '0.0', '0.0']]]},
    'max_pool1d k=1 s=1 VALID': {'out': [[[2, 5, 2], 'float32', [2, 5, 2], ['1.0', '-1.0', '5.0', '2.0', '2.0', '2.0', '4.0', '0.0', '3.0', '7.0', '0.0', '1.0', '-2.0', '3.0', '6.0', '6.0', '1.0', '1.0', '2.0', '-5.0']]]},
    'max_pool1d grad k=1 s=1 VALID': {'out': [[[], 'float32', [], ['2738.0']], [[2, 5, 2], 'float32', [2, 5, 2], ['2.0', '-4.0', '30.0', '16.0', '20.0', '24.0', '56.0', '0.0', '54.0', '140.0', '0.0', '24.0', '-52.0', '84.0', '180.0', '192.0', '34.0', '36.0', '76.0', '-200.0']]]},
    'max_pool1d k=6 s=1 VALID': {'err': 'ValueError'},
    'max_pool1d grad k=6 s=1 VALID': {'err': 'ValueError'},
    'max_pool1d k=(2,) s=(3,) SAME': {'out': [[[2, 2, 2], 'float32', [2, 2, 2], ['5.0', '2.0', '4.0', '7.0', '0.0', '3.0', '2.0', '1.0']]]},
    'max_pool1d grad k=(2,) s=(3,) SAME': {'out': [[[], 'float32', [], ['367.0']], [[2, 5, 2], 'float32', [2, 5, 2], ['0.0', '0.0', '10.0', '8.0', '0.0', '0.0', '24.0', '0.0', '0.0', '56.0', '0.0', '0.0', '0.0', '36.0', '0.0', '0.0', '0.0', '16.0', '28.0', '0.0']]]},
    'max_pool1d f64': {'out': [[[2, 5, 2], 'float64', [2, 5, 2], ['5.0', '2.0', '5.0', '2.0', '4.0', '2.0', '4.0', '7.0', '3.0', '7.0', '0.0', '3.0', '6.0', '6.0', '6.0', '6.0', '2.0', '1.0', '2.0', '-5.0']]]},
    'max_pool1d f16': {'out': [[[2, 3, 2], 'float16', [2, 3, 2], ['5.0', '2.0', '5.0', '2.0', '4.0', '7.0', '0.0', '3.0', '6.0', '6.0', '2.0', '1.0']]]},
    'max_pool1d int32': {'out': [[[2, 2, 2], 'int32', [2, 2, 2], [5, 2, 4, 2, 0, 3, 6, 6]]]},
    'max_pool1d int32 same': {'out': [[[2, 3, 2], 'int32', [2, 3, 2], [5, 2, 4, 2, 3, 7, 0, 3, 6, 6, 2, -5]]]},
    'max_pool1d int64': {'out': [[[2, 2, 2], 'int64', [2, 2, 2], [5, 2, 4, 2, 0, 3, 6, 6]]]},
    'max_pool1d int64 same': {'out': [[[2, 3, 2], 'int64', [2, 3, 2], [5, 2, 4, 2, 3, 7, 0, 3, 6, 6, 2, -5]]]},
    'max_pool1d int8': {'out': [[[2, 2, 2], 'int8', [2, 2, 2], [5, 2, 4, 2, 0, 3, 6, 6]]]},
    'max_pool1d int8 same': {'out': [[[2, 3, 2], 'int8', [2, 3, 2], [5, 2, 4, 2, 3, 7, 0, 3, 6, 6, 2, -5]]]},
    'max_pool1d uint8': {'out': [[[2, 2, 2], 'uint8', [2, 2, 2], [5, 255, 4, 2, 254, 3, 6, 6]]]},
    'max_pool1d uint8 same': {'out': [[[2, 3, 2], 'uint8', [2, 3, 2], [5, 255, 4, 2, 3, 7, 254, 3, 6, 6, 2, 251]]]},
    'max_pool1d uint16': {'out': [[[2, 2, 2], 'uint16', [2, 2, 2], [5, 65535, 4, 2, 65534, 3, 6, 6]]]},
    'max_pool1d uint16 same': {'out': [[[2, 3, 2], 'uint16', [2, 3, 2], [5, 65535, 4, 2, 3, 7, 65534, 3, 6, 6, 2, 65531]]]},
    'max_pool1d int16': {'out': [[[2, 2, 2], 'int16', [2, 2, 2], [5, 2, 4, 2, 0, 3, 6, 6]]]},
    'max_pool1d int16 same': {'out': [[[2, 3, 2], 'int16', [2, 3, 2], [5, 2, 4, 2, 3, 7, 0, 3, 6, 6, 2, -5]]]},
    'max_pool1d uint32': {'err': 'TypeError'},
    'max_pool1d uint32 same': {'err': 'TypeError'},
    'max_pool1d uint64': {'err': 'TypeError'},
    'max_pool1d uint64 same': {'err': 'TypeError'},
    'max_pool1d bool': {'err': 'TypeError'},
    'max_pool1d bool same': {'err': 'TypeError'},
    'max_pool1d complex64': {'err': 'TypeError'},
    'max_pool1d complex64 same': {'err': 'TypeError'},
    'max_pool1d NCW': {'err': 'InvalidArgumentError'},
    'max_pool1d bad pad': {'err': 'ValueError'},
    'max_pool1d rank2': {'err': 'ValueError'},
    'max_pool1d ksize len2': {'err': 'ValueError'},
    'max_pool1d empty batch': {'out': [[[0, 2, 2], 'float32', [0, 2, 2], []]]},
    'max_pool1d unknown': {'out': [[[None, None, 2], 'float32', [2, 3, 2], ['5.0', '2.0', '4.0', '2.0', '3.0', '7.0', '0.0', '3.0', '6.0', '6.0', '2.0', '-5.0']]]},
    'max_pool1d nan': {'out': [[[1, 3, 1], 'float32', [1, 3, 1], ['1.0', '2.0', '2.0']]]},
    'max_pool1d explicit': {'out': [[[2, 3, 2], 'float32', [2, 3, 2], ['1.0', '-1.0', '5.0', '2.0', '4.0', '7.0', '0.0', '1.0', '6.0', '6.0', '2.0', '1.0']]]},
    'max_pool1d explicit grad': {'out': [[[], 'float32', [], ['1310.0']], [[2, 5, 2], 'float32', [2, 5, 2], ['0.0', '0.0', '40.0', '24.0', '0.0', '0.0', '40.0', '0.0', '0.0', '84.0', '0.0', '0.0', '0.0', '48.0', '108.0', '120.0', '0.0', '24.0', '44.0', '0.0']]]},
    'max_pool1d explicit big': {'err': 'InvalidArgumentError'},
    'max_pool1d explicit batch': {'err': 'ValueError'},
    'max_pool1d explicit len2': {'err': 'ValueError'},
    'max_pool1d EXPLICIT str': {'err': 'ValueError'},
    'max_pool1d explicit int': {'out': [[[2, 3, 2], 'int32', [2, 3, 2], [1, -1, 5, 2, 4, 7, 0, 1, 6, 6, 2, 1]]]},
    'avg_pool1d k=2 s=2 SAME': {'out': [[[2, 3, 2], 'float32', [2, 3, 2], ['3.0', '0.5', '3.0', '1.0', '3.0', '7.0', '-1.0', '2.0', '3.5', '3.5', '2.0', '-5.0']]]},
    'avg_pool1d grad k=2 s=2 SAME': {'out': [[[], 'float32', [], ['995.25']], [[2, 5, 2], 'float32', [2, 5, 2], ['3.0', '1.0', '3.0', '1.0', '9.0', '4.0', '9.0', '4.0', '30.0', '84.0', '-7.0', '16.0', '-7.0', '16.0', '31.5', '35.0', '31.5', '35.0', '44.0', '-120.0']]]},
    'avg_pool1d k=2 s=2 VALID': {'out': [[[2, 2, 2], 'float32', [2, 2, 2], ['3.0', '0.5', '3.0', '1.0', '-1.0', '2.0', '3.5', '3.5']]]},
    'avg_pool1d grad k=2 s=2 VALID': {'out': [[[], 'float32', [], ['253.25']], [[2, 5, 2], 'float32', [2, 5, 2], ['3.0', '1.0', '3.0', '1.0', '9.0', '4.0', '9.0', '4.0', '0.0', '0.0', '-5.0', '12.0', '-5.0', '12.0', '24.5', '28.0', '24.5', '28.0', '0.0', '0.0']]]},
    'avg_pool1d k=[3] s=[1] SAME': {'out': [[[2, 5, 2], 'float32', [2, 5, 2], ['3.0', '0.5', '2.6666667', '1.0', '3.6666667', '1.3333334', '3.0', '3.0', '3.5', '3.5', '-1.0', '2.0', '1.3333334', '3.3333333', '1.6666666', '3.3333333', '3.0', '0.6666667', '1.5', '-2.0']]]},
    'avg_pool1d grad k=[3] s=[1] SAME': {'out': [[[], 'float32', [], ['1221.3334']], [[2, 5, 2], 'float32', [2, 5, 2], ['8.333334', '3.6666667', '20.555557', '9.0', '31.555557', '24.0', '57.72222', '56.333336', '45.5', '51.0', '0.5555563', '55.11111', '17.222225', '90.66667', '62.222225', '74.66667', '79.16667', '3.5555573', '62.5', '-32.0']]]},
    'avg_pool1d k=[1, 3, 1] s=[1, 2, 1] VALID': {'out': [[[2, 2, 2], 'float32', [2, 2, 2], ['2.6666667', '1.0', '3.0', '3.0', '1.3333334', '3.3333333', '3.0', '0.6666667']]]},
    'avg_pool1d grad k=[1, 3, 1] s=[1, 2, 1] VALID': {'out': [[[], 'float32', [], ['214.22223']], [[2, 5, 2], 'float32', [2, 5, 2], ['1.7777779', '1.3333334', '1.7777779', '1.3333334', '7.7777777', '9.333333', '6.0', '8.0', '6.0', '8.0', '4.4444447', '13.333334', '4.4444447', '13.333334', '18.444445', '16.88889', '14.0', '3.5555558', '14.0', '3.5555558']]]},
    'avg_pool1d k=5 s=1 VALID': {'out': [[[2, 1, 2], 'float32', [2, 1, 2], ['3.0', '2.0', '1.4', '1.2']]]},
    'avg_pool1d grad k=5 s=1 VALID': {'out': [[[], 'float32', [], ['28.64']], [[2, 5, 2], 'float32', [2, 5, 2], ['1.2', '1.6', '1.2', '1.6', '1.2', '1.6', '1.2', '1.6', '1.2', '1.6', '1.68', '1.9200001', '1.68', '1.9200001', '1.68', '1.9200001', '1.68', '1.9200001', '1.68', '1.9200001']]]},
    'avg_pool1d k=7 s=3 SAME': {'out': [[[2, 2, 2], 'float32', [2, 2, 2], ['3.0', '2.0', '3.5', '2.75', '1.4', '1.2', '1.75', '1.25']]]},
    'avg_pool1d grad k=7 s=3 SAME': {'out': [[[], 'float32', [], ['136.3775']], [[2, 5, 2], 'float32', [2, 5, 2], ['1.2', '1.6', '6.45', '7.1', '6.45', '7.1', '6.45', '7.1', '6.45', '7.1', '2.8', '2.88', '8.925', '7.88', '8.925', '7.88', '8.925', '7.88', '8.925', '7.88']]]},
    'avg_pool1d k=1 s=1 VALID': {'out': [[[2, 5, 2], 'float32', [2, 5, 2], ['1.0', '-1.0', '5.0', '2.0', '2.0', '2.0', '4.0', '0.0', '3.0', '7.0', '0.0', '1.0', '-2.0', '3.0', '6.0', '6.0', '1.0', '1.0', '2.0', '-5.0']]]},
    'avg_pool1d grad k=1 s=1 VALID': {'out': [[[], 'float32', [], ['2738.0']], [[2, 5, 2], 'float32', [2, 5, 2], ['2.0', '-4.0', '30.0', '16.0', '20.0', '24.0', '56.0', '0.0', '54.0', '140.0', '0.0', '24.0', '-52.0', '84.0', '180.0', '192.0', '34.0', '36.0', '76.0', '-200.0']]]},
    'avg_pool1d k=6 s=1 VALID': {'err': 'ValueError'},
    'avg_pool1d grad k=6 s=1 VALID': {'err': 'ValueError'},
    'avg_pool1d k=(2,) s=(3,) SAME': {'out': [[[2, 2, 2], 'float32', [2, 2, 2], ['3.0', '0.5', '3.5', '3.5', '-1.0', '2.0', '1.5', '-2.0']]]},
    'avg_pool1d grad k=(2,) s=(3,) SAME': {'out': [[[], 'float32', [], ['172.0']], [[2, 5, 2], 'float32', [2, 5, 2], ['3.0', '1.0', '3.0', '1.0', '0.0', '0.0', '10.5', '14.0', '10.5', '14.0', '-5.0', '12.0', '-5.0', '12.0', '0.0', '0.0', '10.5', '-16.0', '10.5', '-16.0']]]},
    'avg_pool1d f64': {'out': [[[2, 5, 2], 'float64', [2, 5, 2], ['3.0', '0.5', '3.5', '2.0', '3.0', '1.0', '3.5', '3.5', '3.0', '7.0', '-1.0', '2.0', '2.0', '4.5', '3.5', '3.5', '1.5', '-2.0', '2.0', '-5.0']]]},
    'avg_pool1d f16': {'out': [[[2, 3, 2], 'float16', [2, 3, 2], ['3.0', '0.5', '3.666', '1.333', '3.5', '3.5', '-1.0', '2.0', '1.667', '3.334', '1.5', '-2.0']]]},
    'avg_pool1d int32': {'err': 'TypeError'},
    'avg_pool1d int32 same': {'err': 'TypeError'},
    'avg_pool1d int64': {'err': 'TypeError'},
    'avg_pool1d int64 same': {'err': 'TypeError'},
    'avg_pool1d int8': {'err': 'TypeError'},
    'avg_pool1d int8 same': {'err': 'TypeError'},
    'avg_pool1d uint8': {'err': 'TypeError'},
    'avg_pool1d uint8 same': {'err': 'TypeError'},
    'avg_pool1d uint16': {'err': 'TypeError'},
    'avg_pool1d uint16 same': {'err': 'TypeError'},
    'avg_pool1d int16': {'err': 'TypeError'},
    'avg_pool1d int16 same': {'err': 'TypeError'},
    'avg_pool1d uint32': {'err': 'TypeError'},
    'avg_pool1d uint32 same': {'err': 'TypeError'},
    'avg_pool1d uint64': {'err': 'TypeError'},
    'avg_pool1d uint64 same': {'err': 'TypeError'},
    'avg_pool1d bool': {'err': 'TypeError'},
    'avg_pool1d bool same': {'err': 'TypeError'},
    'avg_pool1d complex64': {'err': 'TypeError'},
    'avg_pool1d complex64 same': {'err': 'TypeError'},
    'avg_pool1d NCW': {'err': 'InvalidArgumentError'},
    'avg_pool1d bad pad': {'err': 'ValueError'},
    'avg_pool1d rank2': {'err': 'ValueError'},
    'avg_pool1d ksize len2': {'err': 'ValueError'},
    'avg_pool1d empty batch': {'out': [[[0, 2, 2], 'float32', [0, 2, 2], []]]},
    'avg_pool1d unknown': {'out': [[[None, None, 2], 'float32', [2, 3, 2], ['3.0', '0.5', '3.0', '1.0', '3.0', '7.0', '-1.0', '2.0', '3.5', '3.5', '2.0', '-5.0']]]},
    'avg_pool1d nan': {'out': [[[1, 3, 1], 'float32', [1, 3, 1], ['nan', '1.5', 'nan']]]},
    'avg_pool1d explicit': {'err': 'TypeError'},
    'avg_pool1d explicit grad': {'err': 'TypeError'},
    'avg_pool1d explicit big': {'err': 'TypeError'},
    'avg_pool1d explicit batch': {'err': 'TypeError'},
    'avg_pool1d explicit len2': {'err': 'TypeError'},
    'avg_pool1d EXPLICIT str': {'err': 'ValueError'},
    'avg_pool1d explicit int': {'err': 'TypeError'},
    'max_pool1d nan grad k=2 s=1 VALID': {'out': [[[], 'float32', [], ['-inf']], [[1, 7, 2], 'float32', [1, 7, 2], ['1.0', '2.0', '3.0', '4.0', '5.0', '6.0', '7.0', '8.0', '9.0', '10.0', '11.0', '0.0', '0.0', '12.0']]]},
    'max_pool1d nan grad k=3 s=2 SAME': {'out': [[[], 'float32', [], ['135.0']], [[1, 7, 2], 'float32', [1, 7, 2], ['1.0', '2.0', '3.0', '4.0', '0.0', '0.0', '5.0', '6.0', '0.0', '0.0', '7.0', '0.0', '0.0', '8.0']]]},
    'max_pool1d nan grad k=2 s=1 [[0, 0], [1, 1], [0, 0]]': {'out': [[[], 'float32', [], ['-inf']], [[1, 7, 2], 'float32', [1, 7, 2], ['4.0', '6.0', '5.0', '6.0', '7.0', '8.0', '9.0', '10.0', '11.0', '12.0', '13.0', '0.0', '15.0', '30.0']]]},
    'max_pool1d nan grad k=4 s=1 SAME': {'out': [[[], 'float32', [], ['508.0']], [[1, 7, 2], 'float32', [1, 7, 2], ['4.0', '6.0', '0.0', '6.0', '7.0', '8.0', '9.0', '0.0', '16.0', '12.0', '13.0', '0.0', '0.0', '24.0']]]},
    'max_pool1d nan grad k=3 s=3 VALID': {'out': [[[], 'float32', [], ['28.0']], [[1, 7, 2], 'float32', [1, 7, 2], ['1.0', '2.0', '0.0', '0.0', '0.0', '0.0', '3.0', '4.0', '0.0', '0.0', '0.0', '0.0', '0.0', '0.0']]]},
    'max_pool1d inf grad': {'out': [[[], 'float32', [], ['nan']], [[1, 5, 2], 'float32', [1, 5, 2], ['1.0', '2.0', '0.0', '0.0', '3.0', '10.0', '12.0', '8.0', '9.0', '10.0']]]},
    'max_pool1d f16 nan': {'out': [[[1, 6, 2], 'float16', [1, 6, 2], ['1.0', '5.0', '1.0', '-65500.0', '-65500.0', '2.0', '3.0', '2.0', '3.0', '1.0', '2.0', '9.0']]]},
    'max_pool1d f64 nan': {'out': [[[1, 6, 2], 'float64', [1, 6, 2], ['1.0', '5.0', '1.0', '-1.7976931348623157e+308', '-1.7976931348623157e+308', '2.0', '3.0', '2.0', '3.0', '1.0', '2.0', '9.0']]]},
    'max_pool1d ties grad': {'out': [[[], 'float32', [], ['39.0']], [[1, 6, 1], 'float32', [1, 6, 1], ['3.0', '0.0', '0.0', '12.0', '6.0', '0.0']]]},
    'max_pool1d second order': {'out': [[[1, 5, 2], 'float32', [1, 5, 2], ['3.0', '2.0', '3.0', '2.0', '2.0', '4.0', '0.7', '4.0', '0.7', '4.0']], [[1, 5, 2], 'float32', [1, 5, 2], ['0.0', '0.0', '24.0', '24.0', '20.0', '0.0', '0.0', '112.0', '22.4', '80.0']], [[1, 5, 2], 'float32', [1, 5, 2], ['0.0', '0.0', '2688.0', '4608.0', '2000.0', '0.0', '0.0', '25088.0', '1433.6', '6400.0']]]},
    'max_pool1d big grad': {'out': [[[], 'float32', [], ['569.8184']], [[3, 11, 4], 'float32', [3, 11, 4], ['0.0', '-1.6310277', '-2.7469187', '0.0', '0.0', '0.0', '0.0', '-1.5582755', '-5.909901', '0.0', '0.0', '0.0', '0.0', '0.0', '-6.899365', '-2.9678626', '0.0', '0.0', '0.0', '0.0', '-8.279856', '-4.8424115', '0.0', '0.0', '0.0', '0.0', '-7.2273865', '-11.557326', '0.0', '0.0', '0.0', '0.0', '0.0', '-23.758923', '-0.24676527', '0.0', '0.0', '0.0', '0.0', '-15.501781', '-8.017094', '0.0', '0.0', '0.0', '0.0', '-14.968118', '-17.220688', '0.0', '0.0', '0.0', '0.0', '-8.516821', '-37.374374', '0.0', '0.0', '0.0', '0.0', '0.0', '-22.695227', '-7.9905148', '0.0', '0.0', '0.0', '0.0', '-23.202545', '-17.364893', '0.0', '0.0', '0.0', '0.0', '-18.42154', '-26.843376', '0.0', '0.0', '0.0', '0.0', '0.0', '-55.428146', '0.8945669', '0.0', '0.0', '0.0', '0.0', '-31.109253', '-17.05647', '0.0', '0.0', '0.0', '0.0', '-28.781643', '-31.368008', '0.0', '0.0', '0.0', '0.0', '-16.591753', '-68.72931', '0.0', '0.0', '0.0', '0.0', '0.0', '-38.519646', '-11.75084', '0.0', '0.0', '0.0', '0.0', '-38.355324', '-29.274305', '0.0', '0.0', '0.0', '0.0', '-30.367458', '-41.965477', '0.0', '0.0', '0.0', '0.0', '0.0', '-87.07465', '3.5056164', '0.0', '0.0', '0.0', '0.0', '-46.803974', '-25.122808', '0.0', '0.0', '0.0']]]},
    'max_pool1d empty width': {'out': [[[2, 0, 3], 'float32', [2, 0, 3], []]]},
    'avg_pool1d second order': {'out': [[[1, 5, 2], 'float32', [1, 5, 2], ['2.0', '1.0', '2.5', '0.5', '1.25', '1.5', '0.6', '4.0', '0.7', '4.0']], [[1, 5, 2], 'float32', [1, 5, 2], ['2.0', '2.0', '9.5', '4.0', '13.75', '11.0', '10.450001', '41.0', '16.8', '112.0']], [[1, 5, 2], 'float32', [1, 5, 2], ['84.5', '104.0', '490.25', '496.0', '906.25', '1772.0', '837.55005', '4484.0', '941.85', '12064.0']]]},
    'avg_pool1d big grad': {'out': [[[], 'float32', [], ['106.16151']], [[3, 11, 4], 'float32', [3, 11, 4], ['0.3243602', '0.637933', '0.9963162', '1.3062541', '0.3243602', '0.637933', '0.9963162', '1.3062541', '1.1877074', '1.9316444', '2.6982412', '2.721689', '0.8633472', '1.2937114', '1.7019249', '1.4154348', '0.8633472', '1.2937114', '1.7019249', '1.4154348', '2.6915956', '3.0702279', '4.3849998', '3.986169', '1.8282483', '1.7765164', '2.683075', '2.5707343', '1.8282483', '1.7765164', '2.683075', '2.5707343', '5.961896', '6.3522344', '7.662355', '7.671874', '4.133648', '4.575718', '4.97928', '5.10114', '4.133648', '4.575718', '4.97928', '5.10114', '5.509494', '5.7441587', '6.3127604', '6.5257773', '5.509494', '5.7441587', '6.3127604', '6.5257773', '9.128528', '10.518255', '11.8858', '10.755722', '3.6190338', '4.7740965', '5.57304', '4.2299447', '3.6190338', '4.7740965', '5.57304', '4.2299447', '8.663595', '9.412854', '12.1787615', '10.189297', '5.0445614', '4.6387577', '6.6057215', '5.959352', '5.0445614', '4.6387577', '6.6057215', '5.959352', '14.263893', '14.452022', '16.891228', '16.157251', '9.219332', '9.813264', '10.285505', '10.197899', '9.219332', '9.813264', '10.285505', '10.197899', '10.685972', '10.855566', '11.633552', '11.736477', '10.685972', '10.855566', '11.633552', '11.736477', '17.05167', '19.154139', '21.049671', '18.760773', '6.365699', '8.298573', '9.41612', '7.024296', '6.365699', '8.298573', '9.41612', '7.024296', '14.58368', '15.8256', '19.96627', '16.3276', '8.217981', '7.5270267', '10.550152', '9.303305', '8.217981', '7.5270267', '10.550152', '9.303305', '22.521347', '22.586445', '26.136343', '24.59399', '14.303366', '15.059418', '15.586191', '15.290686', '14.303366', '15.059418', '15.586191', '15.290686']]]},
    'avg_pool1d empty width': {'out': [[[2, 0, 3], 'float32', [2, 0, 3], []]]},
    'max_pool1d int8 paddings': {'out': [[[1, 3, 2], 'int8', [1, 3, 2], [-5, 7, -2, 3, -1, 0]], [[1, 3, 2], 'int8', [1, 3, 2], [-5, 7, -2, 7, -1, 3]], [[1, 5, 2], 'int8', [1, 5, 2], [-2, 7, -2, 7, -1, 3, -1, 3, -1, 3]]]},
    'max_pool1d int16 paddings': {'out': [[[1, 3, 2], 'int16', [1, 3, 2], [-5, 7, -2, 3, -1, 0]], [[1, 3, 2], 'int16', [1, 3, 2], [-5, 7, -2, 7, -1, 3]], [[1, 5, 2], 'int16', [1, 5, 2], [-2, 7, -2, 7, -1, 3, -1, 3, -1, 3]]]},
    'max_pool1d int32 paddings': {'out': [[[1, 3, 2], 'int32', [1, 3, 2], [-5, 7, -2, 3, -1, 0]], [[1, 3, 2], 'int32', [1, 3, 2], [-5, 7, -2, 7, -1, 3]], [[1, 5, 2], 'int32', [1, 5, 2], [-2, 7, -2, 7, -1, 3, -1, 3, -1, 3]]]},
    'max_pool1d int64 paddings': {'out': [[[1, 3, 2], 'int64', [1, 3, 2], [-5, 7, -2, 3, -1, 0]], [[1, 3, 2], 'int64', [1, 3, 2], [-5, 7, -2, 7, -1, 3]], [[1, 5, 2], 'int64', [1, 5, 2], [-2, 7, -2, 7, -1, 3, -1, 3, -1, 3]]]},
    'max_pool1d uint8 paddings': {'out': [[[1, 3, 2], 'uint8', [1, 3, 2], [251, 128, 254, 3, 255, 0]], [[1, 3, 2], 'uint8', [1, 3, 2], [251, 7, 254, 128, 255, 3]], [[1, 5, 2], 'uint8', [1, 5, 2], [254, 128, 254, 128, 255, 128, 255, 3, 255, 3]]]},
    'max_pool1d uint16 paddings': {'out': [[[1, 3, 2], 'uint16', [1, 3, 2], [65531, 65408, 65534, 3, 65535, 0]], [[1, 3, 2], 'uint16', [1, 3, 2], [65531, 7, 65534, 65408, 65535, 3]], [[1, 5, 2], 'uint16', [1, 5, 2], [65534, 65408, 65534, 65408, 65535, 65408, 65535, 3, 65535, 3]]]},
}

# TF raises these when the graph runs (InvalidArgumentError: no CPU kernel for int32
# Reciprocal; MaxPool/AvgPool run NCW on GPUs only; an explicit pad as wide as the
# window); ndgrad refuses them when the graph is built
BUILD_TIME = {"normalize_moments int": "TypeError", "max_pool1d NCW": "ValueError",
              "avg_pool1d NCW": "ValueError", "max_pool1d explicit big": "ValueError"}

CASES = dict(nn_cases(tf, nn_stats))
test_graph_mode_matches_tf, test_eager_mode_matches_tf = oracle_tests(
    CASES, TF_RESULTS, BUILD_TIME)


# -- gradients against central differences (float64) ------------------------------------
def _fd_check(build, *vals, rtol=1e-6, atol=1e-7):
    vals = [np.asarray(v, np.float64) for v in vals]
    ph = [tf.placeholder(tf.float64, v.shape) for v in vals]
    y = build(*ph)
    grads = tf.gradients(y, ph)
    with tf.Session() as s:
        feed = dict(zip(ph, vals))
        got = [np.zeros_like(v) if g is None else s.run(g, feed)   # None: no dependence
               for g, v in zip(grads, vals)]
        for i, v in enumerate(vals):
            def f(z, i=i):
                fd = dict(feed)
                fd[ph[i]] = z
                return s.run(y, fd)
            np.testing.assert_allclose(got[i], fd_grad_np(f, v), rtol=rtol, atol=atol)


def _weigh(t, seed):
    w = np.random.RandomState(seed).uniform(-1, 1, t.shape.as_list())
    return tf.reduce_sum(t * w)


RNG = np.random.RandomState(0)
XA = RNG.normal(size=(3, 4))


def test_fd_sufficient_statistics_and_normalize_moments():
    def build(x, shift):
        c, m, v, s = nn_stats.sufficient_statistics(x, [0], shift=shift)
        mean, var = nn_stats.normalize_moments(c, m, v, s)
        return _weigh(mean, 1) + _weigh(var, 2) + _weigh(m, 3) + _weigh(v, 4)
    _fd_check(build, XA, RNG.normal(size=4))

    def build2(x):
        c, m, v, s = nn_stats.sufficient_statistics(x, [0, 1], keep_dims=True)
        return _weigh(nn_stats.normalize_moments(c, m, v, s)[1], 5)
    _fd_check(build2, XA)


@pytest.mark.parametrize("axes,wshape,kd", [([0], (3, 4), False), ([1], (3, 1), True),
                                            ([0, 1], (4,), False)])
def test_fd_weighted_moments(axes, wshape, kd):
    def build(x, w):
        mean, var = nn_stats.weighted_moments(x, axes, w, keep_dims=kd)
        return _weigh(mean, 6) + _weigh(var, 7)
    _fd_check(build, XA, RNG.uniform(0.5, 2.0, wshape))


@pytest.mark.parametrize("san", [True, False])
def test_fd_batch_norm_with_global_normalization(san):
    # (without scale_after_normalization gamma is unused: its gradient is None, as TF's)
    def build(t, m, v, b, g):
        return _weigh(nn_stats.batch_norm_with_global_normalization(t, m, v, b, g, 1e-3, san),
                      8)
    _fd_check(build, RNG.normal(size=(2, 2, 3, 4)), RNG.normal(size=4),
              RNG.uniform(0.5, 2, 4), RNG.normal(size=4), RNG.normal(size=4))


@pytest.mark.parametrize("full", [True, False])
def test_fd_log_poisson_loss(full):
    # targets kept away from [0, 1], where the full loss switches its Stirling term off
    def build(t, li):
        return _weigh(nn_stats.log_poisson_loss(t, li, compute_full_loss=full), 9)
    _fd_check(build, RNG.uniform(1.5, 6.0, (3, 4)), RNG.normal(size=(3, 4)))


@pytest.mark.parametrize("pool", ["max_pool1d", "avg_pool1d"])
@pytest.mark.parametrize("k,s,pad", [(2, 2, "SAME"), (3, 1, "VALID"), (4, 3, "SAME"),
                                     (3, 2, [[0, 0], [2, 1], [0, 0]])])
def test_fd_pool1d(pool, k, s, pad):
    if pool == "avg_pool1d" and isinstance(pad, list):
        pytest.skip("avg_pool1d takes no explicit padding (TypeError, as TF)")
    x = RNG.permutation(2 * 7 * 3).reshape(2, 7, 3) * 0.25     # no ties: differentiable
    _fd_check(lambda t: _weigh(tf.square(getattr(nn_stats, pool)(t, k, s, pad)), 10), x)


def test_zero_fraction_has_no_gradient():
    x = tf.constant([0.0, 1.0])
    assert tf.gradients(nn_stats.zero_fraction(x), x) == [None]


# -- eager gradients (GradientTape) against TF's --------------------------------------
def test_eager_gradients_match_graph_and_tf():
    tf.enable_eager_execution()
    x = tf.constant(X2)
    w = tf.constant(W2)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([x, w])
        mean, var = nn_stats.weighted_moments(x, [0], w)
        loss = tf.reduce_sum(mean * tf.constant([1.0, 2.0, 3.0])) + \
            0.5 * tf.reduce_sum(var * tf.constant([1.0, 2.0, 3.0]))
        p = nn_stats.max_pool1d(tf.reshape(x, [1, 6, 1]), 2, 1, "SAME")
        lp = tf.reduce_sum(tf.square(p) * tf.reshape(tf.range(1.0, 7.0), [1, 6, 1]))
    exp = TF_RESULTS["weighted_moments grad"]["out"]
    _compare("eager weighted_moments grad", [_enc(loss), _enc(tape.gradient(loss, x)),
                                             _enc(tape.gradient(loss, w))],
             exp, eager=True)
    # TF 2.15 eager: tape.gradient(lp, x) for the same pool
    np.testing.assert_allclose(np.asarray(tape.gradient(lp, x)),
                               [[0.0, 12.0, 0.0], [42.0, 0.0, 5.5]], rtol=1e-6)


# -- TF's error messages ------------------------------------------------------------------
def test_errors():
    with pytest.raises(ValueError, match="Cannot specify both 'keep_dims' and 'keepdims'."):
        nn_stats.weighted_moments(X2, [0], W2, keep_dims=True, keepdims=True)
    with pytest.raises(ValueError, match=r"Cannot specify both 'v' and 'variance'."):
        nn_stats.batch_norm_with_global_normalization(
            tf.ones([1, 2]), [0.0, 0.0], v=tf.ones([2]), variance=tf.ones([2]),
            beta=[0.0, 0.0], gamma=[1.0, 1.0], variance_epsilon=0.1,
            scale_after_normalization=True)
    with pytest.raises(ValueError, match=r"`log_input` and `targets` must have the same "
                                         r"shape, received \(\(1, 2\) vs \(2,\)\)."):
        nn_stats.log_poisson_loss([1.0, 2.0], [[1.0, 2.0]])
    with pytest.raises(TypeError, match="DataType int32 not in list of allowed values: "
                                        "float16, bfloat16, float32, float64"):
        nn_stats.avg_pool1d(tf.ones([1, 4, 1], tf.int32), 2, 2, "VALID")
    with pytest.raises(TypeError, match="DataType uint32 not in list of allowed values: "
                                        "float16, bfloat16, float32, float64, int32, int64, "
                                        "uint8, int16, int8, uint16, qint8"):
        nn_stats.max_pool1d(tf.ones([1, 4, 1], tf.uint32), 2, 2, "VALID")
    with pytest.raises(TypeError, match=r"Expected string for argument 'padding' not "
                                        r"\[\[0, 0\], \[1, 0\], \[0, 0\]\]."):
        nn_stats.avg_pool1d(tf.ones([1, 4, 1]), 2, 2, [[0, 0], [1, 0], [0, 0]])
    with pytest.raises(ValueError, match="Attr 'padding' of 'MaxPool' Op passed string "
                                         "'FULL' not in"):
        nn_stats.max_pool1d(tf.ones([1, 4, 1]), 2, 2, "FULL")
    with pytest.raises(ValueError, match="ksize should be of length 1, 1 or 3"):
        nn_stats.max_pool1d(tf.ones([1, 4, 1]), [2, 2], 1, "SAME")
    with pytest.raises(ValueError, match="When padding is a list, it must be of size 3"):
        nn_stats.max_pool1d(tf.ones([1, 4, 1]), 2, 1, [[0, 0], [1, 1]])
    with pytest.raises(ValueError, match="Right padding 3 needs to be smaller than the "
                                         "window size 3"):
        nn_stats.max_pool1d(tf.ones([1, 5, 1]), 3, 1, [[0, 0], [0, 3], [0, 0]])
    with pytest.raises(ValueError, match="Negative dimension size caused by subtracting 6 "
                                         "from 5"):
        nn_stats.max_pool1d(tf.ones([1, 5, 1]), 6, 1, "VALID")


def test_max_pool1d_nan_and_lowest():
    """TF's CPU MaxPool skips NaNs (a window of NaNs or -infs gives the lowest finite
    value); its gradient goes to a window's first element when that is NaN (TF 2.15)."""
    n = float("nan")
    x = tf.constant([[[n, 5.0], [1.0, n], [n, n], [n, 2.0], [3.0, n], [2.0, 1.0],
                      [n, 9.0]]])
    y = nn_stats.max_pool1d(x, 2, 1, "VALID")
    g = tf.gradients(y, x)[0]
    with tf.Session() as s:
        yv, gv = s.run([y, g])
    low = np.finfo(np.float32).min
    np.testing.assert_array_equal(yv[0], [[1.0, 5.0], [1.0, low], [low, 2.0], [3.0, 2.0],
                                          [3.0, 1.0], [2.0, 9.0]])
    np.testing.assert_array_equal(gv[0], [[1, 1], [1, 1], [1, 1], [1, 1], [1, 1], [1, 0],
                                          [0, 1]])

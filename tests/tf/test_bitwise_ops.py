"""``ndgrad.tf.bitwise_ops`` (tf.bitwise.bitwise_and, bitwise_or, bitwise_xor, invert,
left_shift, right_shift) against TensorFlow 2.15.

Each case of ``bw_cases`` -- every integer dtype, the extremes of each, shift counts
negative, zero, at and past the bit width, broadcasting, empty tensors, refused dtypes,
gradients -- was run with TF 2.15 (``tf.compat.v1``, graph mode, CPU) and its outputs
(static shape, dtype, shape, values; None gradients) or exception type were printed and
pasted into ``TF_RESULTS``. Here each case runs in graph mode and, where it needs neither
gradients nor feeds, eagerly. TensorFlow is not needed.
"""

import numpy as np
import pytest

import ndgrad.tf as tf
from ndgrad.tf import bitwise_ops
from tf_oracle import _feed, oracle_tests

INTS = ["int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"]


def bw_cases(tf, bw):
    C = []
    add = lambda label, fn: C.append((label, fn))
    # ---------------- bitwise
    for dt in INTS:
        info = np.iinfo(dt)
        bits = info.bits
        xs = [0, 1, 5, int(info.max), int(info.min), 100 % (int(info.max) + 1), int(info.max) // 3]
        ys = [1, 3, 12, 7, int(info.max), 0, 85 % (int(info.max) + 1)]
        for op in ("bitwise_and", "bitwise_or", "bitwise_xor"):
            add(f"{op} {dt}", lambda op=op, dt=dt, xs=xs, ys=ys: [getattr(bw, op)(tf.constant(xs, dt), tf.constant(ys, dt))])
        add(f"invert {dt}", lambda dt=dt, xs=xs: [bw.invert(tf.constant(xs, dt))])
        cnts = [0, 1, 2, bits - 1, bits, bits + 1, 2 * bits + 3, int(info.max)] + ([-1, -bits, -bits - 1, int(info.min)] if info.min < 0 else [])
        base = [1, -1 if info.min < 0 else int(info.max), int(info.max), int(info.min), 0x5A, 3]
        xx = [b for b in base for _ in cnts]
        yy = [c for _ in base for c in cnts]
        for op in ("left_shift", "right_shift"):
            add(f"{op} {dt}", lambda op=op, dt=dt, xx=xx, yy=yy: [getattr(bw, op)(tf.constant(xx, dt), tf.constant(yy, dt))])
    add("bitwise bcast", lambda: [bw.bitwise_and(tf.constant([[12], [7]]), tf.constant([10, 3, 255])), bw.left_shift(tf.constant([[1], [3]]), tf.constant([0, 4, 40])), bw.right_shift(tf.constant([[-256], [256]], tf.int64), tf.constant([0, 4, 70], tf.int64))])
    add("bitwise python", lambda: [bw.bitwise_or(3, 4), bw.bitwise_xor([1, 2], 3), bw.invert(7), bw.left_shift(1, 31), bw.right_shift(-1, 100)])
    add("bitwise scalar tensor", lambda: [bw.bitwise_and(tf.constant(6, tf.uint8), 3), bw.left_shift(tf.constant(200, tf.uint8), 1)])
    add("bitwise empty", lambda: [bw.bitwise_and(tf.zeros([0, 2], tf.int32), tf.zeros([2], tf.int32)), bw.invert(tf.zeros([0], tf.uint16)), bw.left_shift(tf.zeros([3, 0], tf.int8), tf.zeros([3, 0], tf.int8))])
    for op in ("bitwise_and", "bitwise_or", "bitwise_xor", "left_shift", "right_shift"):
        for dt in ("float32", "bool", "float64", "complex64", "float16"):
            add(f"{op} {dt} refused", lambda op=op, dt=dt: [getattr(bw, op)(tf.constant([1, 0], dt), tf.constant([1, 1], dt))])
        add(f"{op} mixed", lambda op=op: [getattr(bw, op)(tf.constant([1], tf.int32), tf.constant([1], tf.int64))])
        add(f"{op} bad bcast", lambda op=op: [getattr(bw, op)(tf.constant([1, 2]), tf.constant([1, 2, 3]))])
        add(f"{op} py float", lambda op=op: [getattr(bw, op)(tf.constant([1, 2]), 1.5)])
        add(f"{op} grad", lambda op=op: _intgrad(tf, lambda x, y: getattr(bw, op)(x, y)))
        add(f"{op} unknown", lambda op=op: _feed(tf, lambda p: [getattr(bw, op)(p, tf.constant([1, 2, 3]))], [[5, 6, 7]], "int32", None))
    for dt in ("float32", "bool", "float64"):
        add(f"invert {dt} refused", lambda dt=dt: [bw.invert(tf.constant([1, 0], dt))])
    add("invert grad", lambda: _intgrad(tf, lambda x, y: bw.invert(x)))
    add("bitwise float grad", lambda: _floatgrad(tf, bw))
    return C

def _intgrad(tf, fn):
    x = tf.constant([3, 5])
    y = tf.constant([1, 2])
    z = fn(x, y)
    return [z] + list(tf.gradients(z, [x, y]))


def _floatgrad(tf, bw):
    x = tf.constant([3.0, 5.0])
    z = tf.cast(bw.bitwise_and(tf.cast(x, tf.int32), 6), tf.float32) * x
    return [z] + list(tf.gradients(z, [x]))



# -- TF 2.15's outputs (printed by TF, pasted) ------------------------------------------
TF_RESULTS = {
    'bitwise_and int8': {'out': [[[7], 'int8', [7], [0, 1, 4, 7, 0, 0, 0]]]},
    'bitwise_or int8': {'out': [[[7], 'int8', [7], [1, 3, 13, 127, -1, 100, 127]]]},
    'bitwise_xor int8': {'out': [[[7], 'int8', [7], [1, 2, 9, 120, -1, 100, 127]]]},
    'invert int8': {'out': [[[7], 'int8', [7], [-1, -2, -6, -128, 127, -101, -43]]]},
    'left_shift int8': {'out': [[[72], 'int8', [72], [1, 2, 4, -128, -128, -128, -128, -128, 1, 1, 1, 1, -1, -2, -4, -128, -128, -128, -128, -128, -1, -1, -1, -1, 127, -2, -4, -128, -128, -128, -128, -128, 127, 127, 127, 127, -128, 0, 0, 0, 0, 0, 0, 0, -128, -128, -128, -128, 90, -76, 104, 0, 0, 0, 0, 0, 90, 90, 90, 90, 3, 6, 12, -128, -128, -128, -128, -128, 3, 3, 3, 3]]]},
    'right_shift int8': {'out': [[[72], 'int8', [72], [1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 127, 63, 31, 0, 0, 0, 0, 0, 127, 127, 127, 127, -128, -64, -32, -1, -1, -1, -1, -1, -128, -128, -128, -128, 90, 45, 22, 0, 0, 0, 0, 0, 90, 90, 90, 90, 3, 1, 0, 0, 0, 0, 0, 0, 3, 3, 3, 3]]]},
    'bitwise_and int16': {'out': [[[7], 'int16', [7], [0, 1, 4, 7, 0, 0, 0]]]},
    'bitwise_or int16': {'out': [[[7], 'int16', [7], [1, 3, 13, 32767, -1, 100, 11007]]]},
    'bitwise_xor int16': {'out': [[[7], 'int16', [7], [1, 2, 9, 32760, -1, 100, 11007]]]},
    'invert int16': {'out': [[[7], 'int16', [7], [-1, -2, -6, -32768, 32767, -101, -10923]]]},
    'left_shift int16': {'out': [[[72], 'int16', [72], [1, 2, 4, -32768, -32768, -32768, -32768, -32768, 1, 1, 1, 1, -1, -2, -4, -32768, -32768, -32768, -32768, -32768, -1, -1, -1, -1, 32767, -2, -4, -32768, -32768, -32768, -32768, -32768, 32767, 32767, 32767, 32767, -32768, 0, 0, 0, 0, 0, 0, 0, -32768, -32768, -32768, -32768, 90, 180, 360, 0, 0, 0, 0, 0, 90, 90, 90, 90, 3, 6, 12, -32768, -32768, -32768, -32768, -32768, 3, 3, 3, 3]]]},
    'right_shift int16': {'out': [[[72], 'int16', [72], [1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 32767, 16383, 8191, 0, 0, 0, 0, 0, 32767, 32767, 32767, 32767, -32768, -16384, -8192, -1, -1, -1, -1, -1, -32768, -32768, -32768, -32768, 90, 45, 22, 0, 0, 0, 0, 0, 90, 90, 90, 90, 3, 1, 0, 0, 0, 0, 0, 0, 3, 3, 3, 3]]]},
    'bitwise_and int32': {'out': [[[7], 'int32', [7], [0, 1, 4, 7, 0, 0, 0]]]},
    'bitwise_or int32': {'out': [[[7], 'int32', [7], [1, 3, 13, 2147483647, -1, 100, 715827967]]]},
    'bitwise_xor int32': {'out': [[[7], 'int32', [7], [1, 2, 9, 2147483640, -1, 100, 715827967]]]},
    'invert int32': {'out': [[[7], 'int32', [7], [-1, -2, -6, -2147483648, 2147483647, -101, -715827883]]]},
    'left_shift int32': {'out': [[[72], 'int32', [72], [1, 2, 4, -2147483648, -2147483648, -2147483648, -2147483648, -2147483648, 1, 1, 1, 1, -1, -2, -4, -2147483648, -2147483648, -2147483648, -2147483648, -2147483648, -1, -1, -1, -1, 2147483647, -2, -4, -2147483648, -2147483648, -2147483648, -2147483648, -2147483648, 2147483647, 2147483647, 2147483647, 2147483647, -2147483648, 0, 0, 0, 0, 0, 0, 0, -2147483648, -2147483648, -2147483648, -2147483648, 90, 180, 360, 0, 0, 0, 0, 0, 90, 90, 90, 90, 3, 6, 12, -2147483648, -2147483648, -2147483648, -2147483648, -2147483648, 3, 3, 3, 3]]]},
    'right_shift int32': {'out': [[[72], 'int32', [72], [1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 2147483647, 1073741823, 536870911, 0, 0, 0, 0, 0, 2147483647, 2147483647, 2147483647, 2147483647, -2147483648, -1073741824, -536870912, -1, -1, -1, -1, -1, -2147483648, -2147483648, -2147483648, -2147483648, 90, 45, 22, 0, 0, 0, 0, 0, 90, 90, 90, 90, 3, 1, 0, 0, 0, 0, 0, 0, 3, 3, 3, 3]]]},
    'bitwise_and int64': {'out': [[[7], 'int64', [7], [0, 1, 4, 7, 0, 0, 0]]]},
    'bitwise_or int64': {'out': [[[7], 'int64', [7], [1, 3, 13, 9223372036854775807, -1, 100, 3074457345618258687]]]},
    'bitwise_xor int64': {'out': [[[7], 'int64', [7], [1, 2, 9, 9223372036854775800, -1, 100, 3074457345618258687]]]},
    'invert int64': {'out': [[[7], 'int64', [7], [-1, -2, -6, -9223372036854775808, 9223372036854775807, -101, -3074457345618258603]]]},
    'left_shift int64': {'out': [[[72], 'int64', [72], [1, 2, 4, -9223372036854775808, -9223372036854775808, -9223372036854775808, -9223372036854775808, -9223372036854775808, 1, 1, 1, 1, -1, -2, -4, -9223372036854775808, -9223372036854775808, -9223372036854775808, -9223372036854775808, -9223372036854775808, -1, -1, -1, -1, 9223372036854775807, -2, -4, -9223372036854775808, -9223372036854775808, -9223372036854775808, -9223372036854775808, -9223372036854775808, 9223372036854775807, 9223372036854775807, 9223372036854775807, 9223372036854775807, -9223372036854775808, 0, 0, 0, 0, 0, 0, 0, -9223372036854775808, -9223372036854775808, -9223372036854775808, -9223372036854775808, 90, 180, 360, 0, 0, 0, 0, 0, 90, 90, 90, 90, 3, 6, 12, -9223372036854775808, -9223372036854775808, -9223372036854775808, -9223372036854775808, -9223372036854775808, 3, 3, 3, 3]]]},
    'right_shift int64': {'out': [[[72], 'int64', [72], [1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 9223372036854775807, 4611686018427387903, 2305843009213693951, 0, 0, 0, 0, 0, 9223372036854775807, 9223372036854775807, 9223372036854775807, 9223372036854775807, -9223372036854775808, -4611686018427387904, -2305843009213693952, -1, -1, -1, -1, -1, -9223372036854775808, -9223372036854775808, -9223372036854775808, -9223372036854775808, 90, 45, 22, 0, 0, 0, 0, 0, 90, 90, 90, 90, 3, 1, 0, 0, 0, 0, 0, 0, 3, 3, 3, 3]]]},
    'bitwise_and uint8': {'out': [[[7], 'uint8', [7], [0, 1, 4, 7, 0, 0, 85]]]},
    'bitwise_or uint8': {'out': [[[7], 'uint8', [7], [1, 3, 13, 255, 255, 100, 85]]]},
    'bitwise_xor uint8': {'out': [[[7], 'uint8', [7], [1, 2, 9, 248, 255, 100, 0]]]},
    'invert uint8': {'out': [[[7], 'uint8', [7], [255, 254, 250, 0, 255, 155, 170]]]},
    'left_shift uint8': {'out': [[[48], 'uint8', [48], [1, 2, 4, 128, 128, 128, 128, 128, 255, 254, 252, 128, 128, 128, 128, 128, 255, 254, 252, 128, 128, 128, 128, 128, 0, 0, 0, 0, 0, 0, 0, 0, 90, 180, 104, 0, 0, 0, 0, 0, 3, 6, 12, 128, 128, 128, 128, 128]]]},
    'right_shift uint8': {'out': [[[48], 'uint8', [48], [1, 0, 0, 0, 0, 0, 0, 0, 255, 127, 63, 1, 1, 1, 1, 1, 255, 127, 63, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 90, 45, 22, 0, 0, 0, 0, 0, 3, 1, 0, 0, 0, 0, 0, 0]]]},
    'bitwise_and uint16': {'out': [[[7], 'uint16', [7], [0, 1, 4, 7, 0, 0, 85]]]},
    'bitwise_or uint16': {'out': [[[7], 'uint16', [7], [1, 3, 13, 65535, 65535, 100, 21845]]]},
    'bitwise_xor uint16': {'out': [[[7], 'uint16', [7], [1, 2, 9, 65528, 65535, 100, 21760]]]},
    'invert uint16': {'out': [[[7], 'uint16', [7], [65535, 65534, 65530, 0, 65535, 65435, 43690]]]},
    'left_shift uint16': {'out': [[[48], 'uint16', [48], [1, 2, 4, 32768, 32768, 32768, 32768, 32768, 65535, 65534, 65532, 32768, 32768, 32768, 32768, 32768, 65535, 65534, 65532, 32768, 32768, 32768, 32768, 32768, 0, 0, 0, 0, 0, 0, 0, 0, 90, 180, 360, 0, 0, 0, 0, 0, 3, 6, 12, 32768, 32768, 32768, 32768, 32768]]]},
    'right_shift uint16': {'out': [[[48], 'uint16', [48], [1, 0, 0, 0, 0, 0, 0, 0, 65535, 32767, 16383, 1, 1, 1, 1, 1, 65535, 32767, 16383, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 90, 45, 22, 0, 0, 0, 0, 0, 3, 1, 0, 0, 0, 0, 0, 0]]]},
    'bitwise_and uint32': {'out': [[[7], 'uint32', [7], [0, 1, 4, 7, 0, 0, 85]]]},
    'bitwise_or uint32': {'out': [[[7], 'uint32', [7], [1, 3, 13, 4294967295, 4294967295, 100, 1431655765]]]},
    'bitwise_xor uint32': {'out': [[[7], 'uint32', [7], [1, 2, 9, 4294967288, 4294967295, 100, 1431655680]]]},
    'invert uint32': {'out': [[[7], 'uint32', [7], [4294967295, 4294967294, 4294967290, 0, 4294967295, 4294967195, 2863311530]]]},
    'left_shift uint32': {'out': [[[48], 'uint32', [48], [1, 2, 4, 2147483648, 2147483648, 2147483648, 2147483648, 2147483648, 4294967295, 4294967294, 4294967292, 2147483648, 2147483648, 2147483648, 2147483648, 2147483648, 4294967295, 4294967294, 4294967292, 2147483648, 2147483648, 2147483648, 2147483648, 2147483648, 0, 0, 0, 0, 0, 0, 0, 0, 90, 180, 360, 0, 0, 0, 0, 0, 3, 6, 12, 2147483648, 2147483648, 2147483648, 2147483648, 2147483648]]]},
    'right_shift uint32': {'out': [[[48], 'uint32', [48], [1, 0, 0, 0, 0, 0, 0, 0, 4294967295, 2147483647, 1073741823, 1, 1, 1, 1, 1, 4294967295, 2147483647, 1073741823, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 90, 45, 22, 0, 0, 0, 0, 0, 3, 1, 0, 0, 0, 0, 0, 0]]]},
    'bitwise_and uint64': {'out': [[[7], 'uint64', [7], [0, 1, 4, 7, 0, 0, 85]]]},
    'bitwise_or uint64': {'out': [[[7], 'uint64', [7], [1, 3, 13, 18446744073709551615, 18446744073709551615, 100, 6148914691236517205]]]},
    'bitwise_xor uint64': {'out': [[[7], 'uint64', [7], [1, 2, 9, 18446744073709551608, 18446744073709551615, 100, 6148914691236517120]]]},
    'invert uint64': {'out': [[[7], 'uint64', [7], [18446744073709551615, 18446744073709551614, 18446744073709551610, 0, 18446744073709551615, 18446744073709551515, 12297829382473034410]]]},
    'left_shift uint64': {'out': [[[48], 'uint64', [48], [1, 2, 4, 9223372036854775808, 9223372036854775808, 9223372036854775808, 9223372036854775808, 9223372036854775808, 18446744073709551615, 18446744073709551614, 18446744073709551612, 9223372036854775808, 9223372036854775808, 9223372036854775808, 9223372036854775808, 9223372036854775808, 18446744073709551615, 18446744073709551614, 18446744073709551612, 9223372036854775808, 9223372036854775808, 9223372036854775808, 9223372036854775808, 9223372036854775808, 0, 0, 0, 0, 0, 0, 0, 0, 90, 180, 360, 0, 0, 0, 0, 0, 3, 6, 12, 9223372036854775808, 9223372036854775808, 9223372036854775808, 9223372036854775808, 9223372036854775808]]]},
    'right_shift uint64': {'out': [[[48], 'uint64', [48], [1, 0, 0, 0, 0, 0, 0, 0, 18446744073709551615, 9223372036854775807, 4611686018427387903, 1, 1, 1, 1, 1, 18446744073709551615, 9223372036854775807, 4611686018427387903, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 90, 45, 22, 0, 0, 0, 0, 0, 3, 1, 0, 0, 0, 0, 0, 0]]]},
    'bitwise bcast': {'out': [[[2, 3], 'int32', [2, 3], [8, 0, 12, 2, 3, 7]], [[2, 3], 'int32', [2, 3], [1, 16, -2147483648, 3, 48, -2147483648]], [[2, 3], 'int64', [2, 3], [-256, -16, -1, 256, 16, 0]]]},
    'bitwise python': {'out': [[[], 'int32', [], [7]], [[2], 'int32', [2], [2, 1]], [[], 'int32', [], [-8]], [[], 'int32', [], [-2147483648]], [[], 'int32', [], [-1]]]},
    'bitwise scalar tensor': {'out': [[[], 'uint8', [], [2]], [[], 'uint8', [], [144]]]},
    'bitwise empty': {'out': [[[0, 2], 'int32', [0, 2], []], [[0], 'uint16', [0], []], [[3, 0], 'int8', [3, 0], []]]},
    'bitwise_and float32 refused': {'err': 'TypeError'},
    'bitwise_and bool refused': {'err': 'TypeError'},
    'bitwise_and float64 refused': {'err': 'TypeError'},
    'bitwise_and complex64 refused': {'err': 'TypeError'},
    'bitwise_and float16 refused': {'err': 'TypeError'},
    'bitwise_and mixed': {'err': 'TypeError'},
    'bitwise_and bad bcast': {'err': 'ValueError'},
    'bitwise_and py float': {'err': 'TypeError'},
    'bitwise_and grad': {'out': [[[2], 'int32', [2], [1, 0]], None, None]},
    'bitwise_and unknown': {'out': [[None, 'int32', [1, 3], [1, 2, 3]]]},
    'bitwise_or float32 refused': {'err': 'TypeError'},
    'bitwise_or bool refused': {'err': 'TypeError'},
    'bitwise_or float64 refused': {'err': 'TypeError'},
    'bitwise_or complex64 refused': {'err': 'TypeError'},
    'bitwise_or float16 refused': {'err': 'TypeError'},
    'bitwise_or mixed': {'err': 'TypeError'},
    'bitwise_or bad bcast': {'err': 'ValueError'},
    'bitwise_or py float': {'err': 'TypeError'},
    'bitwise_or grad': {'out': [[[2], 'int32', [2], [3, 7]], None, None]},
    'bitwise_or unknown': {'out': [[None, 'int32', [1, 3], [5, 6, 7]]]},
    'bitwise_xor float32 refused': {'err': 'TypeError'},
    'bitwise_xor bool refused': {'err': 'TypeError'},
    'bitwise_xor float64 refused': {'err': 'TypeError'},
    'bitwise_xor complex64 refused': {'err': 'TypeError'},
    'bitwise_xor float16 refused': {'err': 'TypeError'},
    'bitwise_xor mixed': {'err': 'TypeError'},
    'bitwise_xor bad bcast': {'err': 'ValueError'},
    'bitwise_xor py float': {'err': 'TypeError'},
    'bitwise_xor grad': {'out': [[[2], 'int32', [2], [2, 7]], None, None]},
    'bitwise_xor unknown': {'out': [[None, 'int32', [1, 3], [4, 4, 4]]]},
    'left_shift float32 refused': {'err': 'TypeError'},
    'left_shift bool refused': {'err': 'TypeError'},
    'left_shift float64 refused': {'err': 'TypeError'},
    'left_shift complex64 refused': {'err': 'TypeError'},
    'left_shift float16 refused': {'err': 'TypeError'},
    'left_shift mixed': {'err': 'TypeError'},
    'left_shift bad bcast': {'err': 'ValueError'},
    'left_shift py float': {'err': 'TypeError'},
    'left_shift grad': {'out': [[[2], 'int32', [2], [6, 20]], None, None]},
    'left_shift unknown': {'out': [[None, 'int32', [1, 3], [10, 24, 56]]]},
    'right_shift float32 refused': {'err': 'TypeError'},
    'right_shift bool refused': {'err': 'TypeError'},
    'right_shift float64 refused': {'err': 'TypeError'},
    'right_shift complex64 refused': {'err': 'TypeError'},
    'right_shift float16 refused': {'err': 'TypeError'},
    'right_shift mixed': {'err': 'TypeError'},
    'right_shift bad bcast': {'err': 'ValueError'},
    'right_shift py float': {'err': 'TypeError'},
    'right_shift grad': {'out': [[[2], 'int32', [2], [1, 1]], None, None]},
    'right_shift unknown': {'out': [[None, 'int32', [1, 3], [2, 1, 0]]]},
    'invert float32 refused': {'err': 'TypeError'},
    'invert bool refused': {'err': 'TypeError'},
    'invert float64 refused': {'err': 'TypeError'},
    'invert grad': {'out': [[[2], 'int32', [2], [-4, -6]], None, None]},
    'bitwise float grad': {'out': [[[2], 'float32', [2], ['6.0', '20.0']], [[2], 'float32', [2], ['2.0', '4.0']]]},
}

BUILD_TIME = {}   # (every error TF raises here it raises when the graph is built)

CASES = dict(bw_cases(tf, bitwise_ops))
test_graph_mode_matches_tf, test_eager_mode_matches_tf = oracle_tests(
    CASES, TF_RESULTS, BUILD_TIME)


# -- the shift counts, spelled out (values printed by TF 2.15) ----------------------------
def test_shift_counts_int8():
    # TF's kernels clamp the count to [0, bits - 1]; the left shift is done on the
    # unsigned bits, so a signed result wraps
    x = tf.constant([1, 1, 1, 1, -1, 64, 3], tf.int8)
    y = tf.constant([0, 7, 8, 100, 3, 1, -5], tf.int8)
    with tf.Session() as s:
        left, right = s.run([bitwise_ops.left_shift(x, y), bitwise_ops.right_shift(x, y)])
    assert left.tolist() == [1, -128, -128, -128, -8, -128, 3]
    assert right.tolist() == [1, 0, 0, 0, -1, 32, 3]


def test_shift_counts_uint64():
    x = tf.constant([1, 2 ** 64 - 1, 2 ** 63, 5], tf.uint64)
    y = tf.constant([63, 64, 70, 2 ** 64 - 1], tf.uint64)
    with tf.Session() as s:
        left, right = s.run([bitwise_ops.left_shift(x, y), bitwise_ops.right_shift(x, y)])
    assert left.tolist() == [9223372036854775808, 9223372036854775808, 0,
                             9223372036854775808]
    assert right.tolist() == [0, 1, 1, 0]


def test_no_gradient():
    x = tf.constant([3, 5])
    for op in (bitwise_ops.bitwise_and, bitwise_ops.bitwise_or, bitwise_ops.bitwise_xor,
               bitwise_ops.left_shift, bitwise_ops.right_shift):
        assert tf.gradients(op(x, x), x) == [None]
    assert tf.gradients(bitwise_ops.invert(x), x) == [None]


def test_errors():
    with pytest.raises(TypeError, match="Value passed to parameter 'x' has DataType bool "
                                        "not in list of allowed values: int8, int16, int32, "
                                        "int64, uint8, uint16, uint32, uint64"):
        bitwise_ops.bitwise_and(tf.constant([True]), tf.constant([False]))
    with pytest.raises(TypeError, match="DataType float32 not in list"):
        bitwise_ops.invert(tf.constant([1.0]))
    with pytest.raises(TypeError, match="Input 'y' of 'LeftShift' Op has type int64 that "
                                        "does not match type int32 of argument 'x'."):
        bitwise_ops.left_shift(tf.constant([1]), tf.constant([1], tf.int64))
    with pytest.raises(ValueError, match="Dimensions must be equal, but are 2 and 3"):
        bitwise_ops.bitwise_xor(tf.constant([1, 2]), tf.constant([1, 2, 3]))


def test_eager_errors():
    # (TF 2.15 eager raises InvalidArgumentError for bool; ndgrad the graph's TypeError)
    tf.enable_eager_execution()
    with pytest.raises(TypeError, match="DataType bool not in list"):
        bitwise_ops.bitwise_or(tf.constant([True]), tf.constant([True]))
    assert bitwise_ops.left_shift(tf.constant([1], tf.int16), 16).numpy().tolist() == \
        [-32768]

"""TF1's ``tf.bitwise`` module: and, or, xor, invert and the shifts of integer tensors, with TF's kernel semantics."""
from __future__ import annotations

import numpy as np

from .._ops.registry import apply, defop
from .framework import build, convert_same, convert_to_tensor
from . import math_ops as M
from .op_dtypes import refuse

__all__ = ["bitwise_and", "bitwise_or", "bitwise_xor", "invert", "left_shift", "right_shift"]

# the dtypes TF 2.15's bitwise ops take (op definitions and CPU kernels alike)
_INT_TYPES = ("int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64")


def _check(dtype, fname, op_type, param="x"):
    """TF's TypeError for a dtype its bitwise ops have no kernel for (bool, floats,
    complex): NumPy would give a value for bool."""
    refuse(dtype, _INT_TYPES, param, f"tf.bitwise.{fname}, op {op_type}")


def _clamped(y, bits):
    """TF's shift count: negative counts are 0, counts past the width ``bits - 1``."""
    return np.clip(y, 0, bits - 1).astype(y.dtype)


def _left_shift_fwd(xp, x, y):
    x, y = np.asarray(x), np.asarray(y)
    bits = x.dtype.itemsize * 8
    u = np.dtype(f"uint{bits}")
    # TF's kernel shifts the unsigned bits (no signed overflow): the result wraps
    r = np.left_shift(x.astype(u), _clamped(y, bits).astype(u))
    return np.asarray(r, dtype=u).view(x.dtype)


def _right_shift_fwd(xp, x, y):
    x, y = np.asarray(x), np.asarray(y)
    bits = x.dtype.itemsize * 8
    # arithmetic for signed types (the sign fills in), logical for unsigned
    return np.right_shift(x, _clamped(y, bits)).astype(np.result_type(x, y))


def _binary_rule(args, params):
    from ..graph.core import broadcast_static
    a, b = args
    dt = a._np_dtype
    if a._shape is None or b._shape is None:
        return [(None, dt)]
    return [(broadcast_static([a._shape, b._shape]), dt)]


def _unary_rule(args, params):
    return [(args[0]._shape, args[0]._np_dtype)]


def _nd(op_type):
    return {"nondiff": f"TensorFlow registers {op_type} as not differentiable",
            "save": "none"}


_AND = defop("tf.bitwise_and", lambda xp, x, y: np.bitwise_and(np.asarray(x), np.asarray(y)),
             None, shape_rule=_binary_rule, **_nd("BitwiseAnd"))
_OR = defop("tf.bitwise_or", lambda xp, x, y: np.bitwise_or(np.asarray(x), np.asarray(y)),
            None, shape_rule=_binary_rule, **_nd("BitwiseOr"))
_XOR = defop("tf.bitwise_xor", lambda xp, x, y: np.bitwise_xor(np.asarray(x), np.asarray(y)),
             None, shape_rule=_binary_rule, **_nd("BitwiseXor"))
_INVERT = defop("tf.invert", lambda xp, x: np.invert(np.asarray(x)), None,
                shape_rule=_unary_rule, **_nd("Invert"))
_LSHIFT = defop("tf.left_shift", _left_shift_fwd, None, shape_rule=_binary_rule,
                **_nd("LeftShift"))
_RSHIFT = defop("tf.right_shift", _right_shift_fwd, None, shape_rule=_binary_rule,
                **_nd("RightShift"))


def _binary(op, fname, op_type, x, y, name):
    def f():
        a, b = convert_same([x, y], op_type=op_type)
        _check(M._dt(a), fname, op_type)
        return apply(op, (a, b))
    return build(name, op_type, f, graph_args=(x, y))


def bitwise_and(x, y, name=None):
    """Elementwise ``x & y`` of integer tensors of one dtype (broadcasting).

    >>> import ndgrad.tf as tf
    >>> from ndgrad.tf.bitwise_ops import bitwise_and
    >>> with tf.Session() as s:
    ...     print(s.run(bitwise_and([12, -1, 5], [10, 7, 0])))
    [8 7 0]
    """
    return _binary(_AND, "bitwise_and", "BitwiseAnd", x, y, name)


def bitwise_or(x, y, name=None):
    """Elementwise ``x | y`` of integer tensors of one dtype (broadcasting).

    >>> import ndgrad.tf as tf
    >>> from ndgrad.tf.bitwise_ops import bitwise_or
    >>> with tf.Session() as s:
    ...     print(s.run(bitwise_or([12, -8, 5], [10, 7, 0])))
    [14 -1  5]
    """
    return _binary(_OR, "bitwise_or", "BitwiseOr", x, y, name)


def bitwise_xor(x, y, name=None):
    """Elementwise ``x ^ y`` of integer tensors of one dtype (broadcasting).

    >>> import ndgrad.tf as tf
    >>> from ndgrad.tf.bitwise_ops import bitwise_xor
    >>> with tf.Session() as s:
    ...     print(s.run(bitwise_xor([12, -1, 5], [10, 7, 0])))
    [ 6 -8  5]
    """
    return _binary(_XOR, "bitwise_xor", "BitwiseXor", x, y, name)


def invert(x, name=None):
    """Elementwise ``~x`` (every bit flipped) of an integer tensor.

    >>> import ndgrad.tf as tf
    >>> from ndgrad.tf.bitwise_ops import invert
    >>> with tf.Session() as s:
    ...     print(s.run(invert([0, 5, -1])), s.run(invert(tf.constant([0, 5], tf.uint8))))
    [-1 -6  0] [255 250]
    """
    def f():
        t = convert_to_tensor(x, name="x")
        _check(M._dt(t), "invert", "Invert")
        return apply(_INVERT, (t,))
    return build(name, "Invert", f, graph_args=(x,))


def left_shift(x, y, name=None):
    """Elementwise ``x << y`` as TF's kernel computes it: on the unsigned bits (a signed
    result wraps), a negative count shifts by 0 and a count past the width by the
    width minus one.

    >>> import ndgrad.tf as tf
    >>> from ndgrad.tf.bitwise_ops import left_shift
    >>> x = tf.constant([1, 1, 1, 3, -1], tf.int8)
    >>> with tf.Session() as s:
    ...     print(s.run(left_shift(x, tf.constant([1, 7, 9, -2, 3], tf.int8))))
    [   2 -128 -128    3   -8]
    """
    return _binary(_LSHIFT, "left_shift", "LeftShift", x, y, name)


def right_shift(x, y, name=None):
    """Elementwise ``x >> y`` as TF's kernel computes it: arithmetic (sign-filling) for
    signed types, a negative count shifts by 0 and a count past the width by the
    width minus one.

    >>> import ndgrad.tf as tf
    >>> from ndgrad.tf.bitwise_ops import right_shift
    >>> x = tf.constant([64, -64, -64, 100, 127], tf.int8)
    >>> with tf.Session() as s:
    ...     print(s.run(right_shift(x, tf.constant([3, 3, 20, -1, 8], tf.int8))))
    [  8  -8  -1 100   0]
    """
    return _binary(_RSHIFT, "right_shift", "RightShift", x, y, name)

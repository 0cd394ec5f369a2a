"""TF 1.13-1.15 functions that TF itself writes in Python as compositions of other ops
(``tf.repeat``, ``tf.math.polyval``, ``is_non_decreasing``, ``tf.linalg.matvec``,
``normalize``, ``tensor_diag``, ``tf.nn.relu_layer``, ``silu``, ``space_to_depth``,
``depth_to_space``, ``shape_n``, ``to_complex64`` ...): each composed here of
ndgrad.tf's ops as TF composes it, so its values and gradients are those ops'.

>>> import ndgrad.tf as tf
>>> with tf.Session() as s:
...     print(s.run(tf.math.polyval([1.0, -2.0, 3.0], tf.constant([0.0, 1.0, 2.0]))))
[3. 2. 3.]
"""
from __future__ import annotations

import numpy as np

from .framework import convert_to_tensor

__all__ = ["repeat", "shape_n", "to_complex64", "to_complex128", "broadcast_static_shape",
           "space_to_depth", "depth_to_space"]


def _m():
    from . import math_ops
    return math_ops


def _dims(t, what):
    """``t``'s static dimensions (None where unknown; an eager array's shape)."""
    s = _m()._static_shape(t)
    if s is None:
        raise ValueError(f"{what} needs a tensor of known rank, got {t!r}")
    return list(s)


def repeat(input, repeats, axis=None, name=None):  # noqa: A002
    """Each element of ``input`` repeated ``repeats`` times along ``axis`` (None: the
    flattened input), as NumPy's ``repeat``; ``repeats`` (an int or one per element)
    must be known when the graph is built, and so must the axis' length.

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     print(s.run(tf.repeat([[1, 2], [3, 4]], [1, 2], axis=0)))
    [[1 2]
     [3 4]
     [3 4]]
    """
    from .tensor_util import constant_value
    M = _m()
    x = convert_to_tensor(input)
    if axis is None:
        x, axis = M.reshape(x, [-1]), 0
    r = constant_value(repeats) if not isinstance(repeats, (int, list, tuple, np.ndarray)) \
        else np.asarray(repeats)
    if r is None:
        raise ValueError(f"tf.repeat: repeats must be known when the graph is built, got "
                         f"{repeats!r}")
    r = np.asarray(r)
    if r.dtype.kind not in "iu" or np.any(r < 0):
        raise ValueError(f"tf.repeat: repeats must be non-negative integers, got {r}")
    dims = _dims(x, "tf.repeat")
    ax = axis + len(dims) if axis < 0 else axis
    if not 0 <= ax < len(dims):
        raise ValueError(f"tf.repeat: axis {axis} is out of range for a tensor of rank "
                         f"{len(dims)}")
    n = dims[ax]
    if n is None:
        raise ValueError(f"tf.repeat: the length of axis {axis} must be known when the "
                         f"graph is built (shape {dims})")
    if r.ndim and r.shape[0] not in (1, n):
        raise ValueError(f"tf.repeat: {r.shape[0]} repeats for an axis of length {n}")
    idx = np.repeat(np.arange(n), r if r.ndim == 0 or r.shape[0] == n else r[0])
    return M.gather(x, idx.astype(np.int32), axis=ax)


def polyval(coeffs, x, name=None):
    """The polynomial with ``coeffs`` (highest degree first) at ``x``, by Horner's scheme
    as TF's (zeros for no coefficients).

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     print(s.run(tf.math.polyval([2.0, 0.0, 1.0], tf.constant([1.0, 3.0]))))
    [ 3. 19.]
    """
    M = _m()
    x = convert_to_tensor(x)
    if not coeffs:
        return M.zeros_like(x)
    p = convert_to_tensor(coeffs[0], dtype=x.dtype)
    for c in coeffs[1:]:
        p = convert_to_tensor(c, dtype=x.dtype) + p * x
    return p


def _monotone(x, strict):
    M = _m()
    flat = M.reshape(convert_to_tensor(x), [-1])
    d = flat[1:] - flat[:-1]
    return M.reduce_all(d > 0 if strict else d >= 0)


def is_non_decreasing(x, name=None):
    """Whether the flattened ``x`` never decreases (True for fewer than two elements).

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     print(s.run(tf.math.is_non_decreasing([1, 1, 2])))
    True
    """
    return _monotone(x, False)


def is_strictly_increasing(x, name=None):
    """Whether the flattened ``x`` always increases (True for fewer than two elements).

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     print(s.run(tf.math.is_strictly_increasing([1, 1, 2])))
    False
    """
    return _monotone(x, True)


def matvec(a, b, transpose_a=False, adjoint_a=False, a_is_sparse=False,
           b_is_sparse=False, name=None):
    """The (batched) matrix ``a`` (transposed or adjoint) times the vector ``b``.

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     print(s.run(tf.linalg.matvec([[1.0, 2.0], [3.0, 4.0]], [1.0, 1.0])))
    [3. 7.]
    """
    M = _m()
    return M.squeeze(M.matmul(a, M.expand_dims(b, -1), transpose_a=transpose_a,
                              adjoint_a=adjoint_a), -1)


def normalize(tensor, ord="euclidean", axis=None, name=None):  # noqa: A002
    """``(tensor / norm, norm)`` with ``tf.norm(tensor, ord, axis, keepdims=True)``.

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     print(s.run(tf.linalg.normalize([3.0, 4.0])))
    (array([0.6, 0.8], dtype=float32), array([5.], dtype=float32))
    """
    from .extra_ops import norm as _norm
    M = _m()
    t = convert_to_tensor(tensor)
    norm = M.cast(_norm(t, ord=ord, axis=axis, keepdims=True), t.dtype)
    return t / norm, norm


def tensor_diag(diagonal, name=None):
    """A tensor of shape ``D + D`` with ``diagonal`` (shape ``D``) on its diagonal.

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     print(s.run(tf.linalg.tensor_diag([1, 2])))
    [[1 0]
     [0 2]]
    """
    from .array_ops import matrix_diag
    M = _m()
    d = convert_to_tensor(diagonal)
    dims = _dims(d, "tf.linalg.tensor_diag")
    if None in dims:
        raise ValueError(f"tf.linalg.tensor_diag needs a known shape, got {dims}")
    return M.reshape(matrix_diag(M.reshape(d, [-1])), dims + dims)


def tensor_diag_part(input, name=None):  # noqa: A002
    """The diagonal of a tensor of shape ``D + D``: a tensor of shape ``D``.

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     print(s.run(tf.linalg.tensor_diag_part([[1, 5], [7, 2]])))
    [1 2]
    """
    from .array_ops import matrix_diag_part
    M = _m()
    x = convert_to_tensor(input)
    dims = _dims(x, "tf.linalg.tensor_diag_part")
    k = len(dims) // 2
    if len(dims) % 2 or None in dims or dims[:k] != dims[k:]:
        raise ValueError(f"tf.linalg.tensor_diag_part needs a known shape D + D, got {dims}")
    n = int(np.prod(dims[:k], dtype=np.int64))
    return M.reshape(matrix_diag_part(M.reshape(x, [n, n])), dims[:k])


def relu_layer(x, weights, biases, name=None):
    """``relu(x @ weights + biases)``.

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     print(s.run(tf.nn.relu_layer([[1.0, -2.0]], [[1.0], [1.0]], [0.5])))
    [[0.]]
    """
    M = _m()
    from .nn import bias_add, relu
    return relu(bias_add(M.matmul(x, weights), biases))


def silu(features, beta=1.0):
    """``features * sigmoid(beta * features)`` (``swish``).

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     print(s.run(tf.nn.silu([0.0, 2.0])))
    [0.       1.761594]
    """
    M = _m()
    x = convert_to_tensor(features)
    return x * M.sigmoid(x * beta) if beta != 1.0 else x * M.sigmoid(x)


def shape_n(input, out_type=np.int32, name=None):  # noqa: A002
    """The shapes of the tensors in ``input``.

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     print(s.run(tf.shape_n([tf.zeros([2, 3]), tf.zeros([4])])))
    [array([2, 3], dtype=int32), array([4], dtype=int32)]
    """
    M = _m()
    return [M.shape(t, out_type=out_type) for t in input]


def to_complex64(x, name="ToComplex64"):
    """``cast(x, tf.complex64)``.

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     print(s.run(tf.to_complex64([1.0, 2.0])))
    [1.+0.j 2.+0.j]
    """
    return _m().cast(x, np.complex64)


def to_complex128(x, name="ToComplex128"):
    """``cast(x, tf.complex128)``.

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     print(s.run(tf.to_complex128([1.0])).dtype)
    complex128
    """
    return _m().cast(x, np.complex128)


def broadcast_static_shape(shape_x, shape_y):
    """The static shape two shapes broadcast to (a ``TensorShape``; ValueError if they do
    not).

    >>> import ndgrad.tf as tf
    >>> print(tf.broadcast_static_shape(tf.TensorShape([None, 3]), tf.TensorShape([5, 1])))
    (5, 3)
    """
    from ..graph.core import broadcast_static
    from ..graph.shape import TensorShape
    x, y = TensorShape(shape_x), TensorShape(shape_y)
    if x.ndims is None or y.ndims is None:
        return TensorShape(None)
    return TensorShape(broadcast_static([tuple(x.as_list()), tuple(y.as_list())]))


def _blocks(x, block_size, data_format, what):
    if data_format != "NHWC":
        raise ValueError(f"{what}: only data_format='NHWC' is supported, got {data_format!r}")
    bs = int(block_size)
    if bs < 2:
        raise ValueError(f"{what}: block_size must be at least 2, got {block_size}")
    dims = _dims(x, what)
    if len(dims) != 4:
        raise ValueError(f"{what} needs a 4-D NHWC tensor, got shape {dims}")
    if None in dims[1:]:
        raise ValueError(f"{what} needs known height, width and depth, got {dims}")
    return bs, dims


def space_to_depth(input, block_size, name=None, data_format="NHWC"):  # noqa: A002
    """Each ``block_size`` x ``block_size`` block of the image moved into the channels:
    ``[b, h, w, c]`` to ``[b, h / bs, w / bs, bs * bs * c]`` (TF's order).

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     print(s.run(tf.nn.space_to_depth(tf.reshape(tf.range(4), [1, 2, 2, 1]), 2)))
    [[[[0 1 2 3]]]]
    """
    M = _m()
    x = convert_to_tensor(input)
    bs, (b, h, w, c) = _blocks(x, block_size, data_format, "space_to_depth")
    if h % bs or w % bs:
        raise ValueError(f"space_to_depth: height {h} and width {w} must be divisible by "
                         f"block_size {bs}")
    t = M.reshape(x, [-1, h // bs, bs, w // bs, bs, c])
    return M.reshape(M.transpose(t, [0, 1, 3, 2, 4, 5]), [-1, h // bs, w // bs, bs * bs * c])


def depth_to_space(input, block_size, name=None, data_format="NHWC"):  # noqa: A002
    """``space_to_depth``'s inverse: ``[b, h, w, bs * bs * c]`` to ``[b, h * bs, w * bs,
    c]``.

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     y = tf.nn.depth_to_space(tf.reshape(tf.range(4), [1, 1, 1, 4]), 2)
    ...     print(s.run(y)[0, :, :, 0])
    [[0 1]
     [2 3]]
    """
    M = _m()
    x = convert_to_tensor(input)
    bs, (b, h, w, c) = _blocks(x, block_size, data_format, "depth_to_space")
    if c % (bs * bs):
        raise ValueError(f"depth_to_space: depth {c} must be divisible by block_size^2 = "
                         f"{bs * bs}")
    t = M.reshape(x, [-1, h, w, bs, bs, c // (bs * bs)])
    return M.reshape(M.transpose(t, [0, 1, 3, 2, 4, 5]), [-1, h * bs, w * bs, c // (bs * bs)])

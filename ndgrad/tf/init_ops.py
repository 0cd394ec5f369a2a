"""Initializers, as TF's ``init_ops``: ``zeros_initializer`` ... ``glorot_normal_initializer``
(objects called with a shape and dtype that return the initial value)."""
from __future__ import annotations

import math

import numpy as np

from .framework import np_dtype
from .random_ops import random_normal, truncated_normal, random_uniform

__all__ = []


def _export(f):
    __all__.append(f.__name__)
    return f


# -- initializers ----------------------------------------------------------------------
class Initializer:
    """Base of the initializers: ``init(shape, dtype=None, partition_info=None)``."""

    dtype = np.float32

    def _dt(self, dtype):
        return np_dtype(dtype if dtype is not None else self.dtype)

    def get_config(self):
        return {}


class zeros_initializer(Initializer):
    """Zeros of the shape and dtype asked for (``dtype``: float32 unless given).

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     print(s.run(tf.zeros_initializer()([2, 3])))
    ...     print(s.run(tf.zeros_initializer(tf.int32)([2])))
    [[0. 0. 0.]
     [0. 0. 0.]]
    [0 0]
    """

    def __init__(self, dtype=np.float32):
        self.dtype = dtype

    def __call__(self, shape, dtype=None, partition_info=None):
        from . import math_ops
        return math_ops.zeros(shape, self._dt(dtype))


class ones_initializer(Initializer):
    """Ones of the shape and dtype asked for.

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.ones_initializer()([2, 2], tf.int32))
    array([[1, 1],
           [1, 1]], dtype=int32)
    """

    def __init__(self, dtype=np.float32):
        self.dtype = dtype

    def __call__(self, shape, dtype=None, partition_info=None):
        from . import math_ops
        return math_ops.ones(shape, self._dt(dtype))


class constant_initializer(Initializer):
    """``value`` as a tensor of the shape asked for: a scalar fills it, a list of its size
    is reshaped, a shorter list is continued with its last element (unless
    ``verify_shape``, which wants ``value`` of exactly that shape).

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     print(s.run(tf.constant_initializer([1, 2, 3, 4])([2, 2])))
    ...     print(s.run(tf.constant_initializer([1, 2])([2, 2])))
    ...     print(s.run(tf.constant_initializer(7)([3], tf.int32)))
    [[1. 2.]
     [3. 4.]]
    [[1. 2.]
     [2. 2.]]
    [7 7 7]
    """

    def __init__(self, value=0, dtype=np.float32, verify_shape=False):
        self.value = value
        self.dtype = dtype
        self.verify_shape = verify_shape

    def __call__(self, shape, dtype=None, partition_info=None, verify_shape=None):
        from . import math_ops
        dt = self._dt(dtype)
        shape = tuple(int(s) for s in shape)
        v = np.asarray(self.value)
        n = int(np.prod(shape))
        verify = self.verify_shape if verify_shape is None else verify_shape
        if verify and v.shape != shape:
            # (TF's make_tensor_proto: the value's own shape must be the one asked for)
            raise TypeError(f"Expected Tensor's shape: {shape}, got {v.shape}.")
        if v.size == 1:
            arr = np.full(shape, v.reshape(()), dtype=dt)
        elif v.size == n:
            arr = v.reshape(shape).astype(dt)
        elif v.size < n:
            flat = np.concatenate([v.reshape(-1), np.full(n - v.size, v.reshape(-1)[-1])])
            arr = flat.reshape(shape).astype(dt)
        else:
            raise ValueError(f"Too many elements provided. Needed at most {n}, but received "
                             f"{v.size}")
        return math_ops.constant(arr, dtype=dt)


class random_normal_initializer(Initializer):
    """Normal values of mean ``mean`` and standard deviation ``stddev``.

    >>> import ndgrad.tf as tf
    >>> x = tf.Session().run(tf.random_normal_initializer(mean=5.0, stddev=0.1, seed=1)([3, 2]))
    >>> x.shape, x.dtype, bool((abs(x - 5) < 1).all())
    ((3, 2), dtype('float32'), True)
    """

    def __init__(self, mean=0.0, stddev=1.0, seed=None, dtype=np.float32):
        self.mean, self.stddev, self.seed, self.dtype = mean, stddev, seed, dtype

    def __call__(self, shape, dtype=None, partition_info=None):
        return random_normal(shape, self.mean, self.stddev, self._dt(dtype), seed=self.seed)


class truncated_normal_initializer(Initializer):
    """Normal values of mean ``mean`` and standard deviation ``stddev``, redrawn beyond two
    standard deviations.

    >>> import ndgrad.tf as tf
    >>> x = tf.Session().run(tf.truncated_normal_initializer(stddev=0.5, seed=1)([1000]))
    >>> x.shape, x.dtype, bool((abs(x) <= 1.0).all())
    ((1000,), dtype('float32'), True)
    """

    def __init__(self, mean=0.0, stddev=1.0, seed=None, dtype=np.float32):
        self.mean, self.stddev, self.seed, self.dtype = mean, stddev, seed, dtype

    def __call__(self, shape, dtype=None, partition_info=None):
        return truncated_normal(shape, self.mean, self.stddev, self._dt(dtype),
                                seed=self.seed)


class random_uniform_initializer(Initializer):
    """Uniform values in ``[minval, maxval)`` (``maxval`` None: 1 for floats).

    >>> import ndgrad.tf as tf
    >>> x = tf.Session().run(tf.random_uniform_initializer(-1.0, 1.0, seed=1)([2, 3]))
    >>> x.shape, x.dtype, bool(((x >= -1) & (x < 1)).all())
    ((2, 3), dtype('float32'), True)
    """

    def __init__(self, minval=0, maxval=None, seed=None, dtype=np.float32):
        self.minval, self.maxval, self.seed, self.dtype = minval, maxval, seed, dtype

    def __call__(self, shape, dtype=None, partition_info=None):
        return random_uniform(shape, self.minval, self.maxval, self._dt(dtype),
                              seed=self.seed)


def _fans(shape):
    shape = tuple(shape)
    if len(shape) < 1:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    if len(shape) == 2:
        return shape[0], shape[1]
    receptive = int(np.prod(shape[:-2]))
    return shape[-2] * receptive, shape[-1] * receptive


class variance_scaling_initializer(Initializer):
    """Random values of variance ``scale / n``, ``n`` the fan-in, fan-out or their mean
    (``mode``): a normal truncated at two standard deviations (``distribution``
    'truncated_normal', TF 1's 'normal'), an untruncated one, or a uniform in
    ``[-limit, limit)``, ``limit = sqrt(3 * scale / n)``.

    >>> import numpy as np, ndgrad.tf as tf
    >>> init = tf.variance_scaling_initializer(3.0, mode='fan_in', distribution='uniform', seed=1)
    >>> x = tf.Session().run(init([100, 10]))                       # limit sqrt(9 / 100)
    >>> x.shape, round(float(np.abs(x).max()), 1)
    ((100, 10), 0.3)
    """

    def __init__(self, scale=1.0, mode="fan_in", distribution="truncated_normal", seed=None,
                 dtype=np.float32):
        if distribution == "normal":
            distribution = "truncated_normal"
        self.scale, self.mode, self.distribution = scale, mode, distribution
        self.seed, self.dtype = seed, dtype

    def __call__(self, shape, dtype=None, partition_info=None):
        fan_in, fan_out = _fans(shape)
        n = {"fan_in": fan_in, "fan_out": fan_out,
             "fan_avg": (fan_in + fan_out) / 2.0}[self.mode]
        scale = self.scale / max(1.0, n)
        dt = self._dt(dtype)
        if self.distribution == "truncated_normal":
            stddev = math.sqrt(scale) / .87962566103423978
            return truncated_normal(shape, 0.0, stddev, dt, seed=self.seed)
        if self.distribution == "untruncated_normal":
            return random_normal(shape, 0.0, math.sqrt(scale), dt, seed=self.seed)
        limit = math.sqrt(3.0 * scale)
        return random_uniform(shape, -limit, limit, dt, seed=self.seed)


class glorot_uniform_initializer(variance_scaling_initializer):
    """Xavier Glorot's uniform initializer: uniform in ``[-limit, limit)``, ``limit =
    sqrt(6 / (fan_in + fan_out))``.

    >>> import numpy as np, ndgrad.tf as tf
    >>> x = tf.Session().run(tf.glorot_uniform_initializer(seed=1)([200, 400]))   # limit 0.1
    >>> x.shape, round(float(np.abs(x).max()), 2)
    ((200, 400), 0.1)
    """

    def __init__(self, seed=None, dtype=np.float32):
        super().__init__(1.0, "fan_avg", "uniform", seed, dtype)


class glorot_normal_initializer(variance_scaling_initializer):
    """Xavier Glorot's normal initializer: a truncated normal of variance ``2 / (fan_in +
    fan_out)``.

    >>> import numpy as np, ndgrad.tf as tf
    >>> x = tf.Session().run(tf.glorot_normal_initializer(seed=1)([200, 400]))
    >>> x.shape, round(float(x.std()) * 300 ** 0.5, 1)              # variance 1 / 300
    ((200, 400), 1.0)
    """

    def __init__(self, seed=None, dtype=np.float32):
        super().__init__(1.0, "fan_avg", "truncated_normal", seed, dtype)


def _orthogonal_fwd(xp, a, shape, gain):
    # TF's Orthogonal: the Q of a normal (rows, cols) or (cols, rows) sample, its columns'
    # signs fixed by R's diagonal (so Q is uniformly distributed), transposed to (rows,
    # cols) when there are fewer rows, scaled by gain
    a = np.asarray(a)
    q, r = np.linalg.qr(a)
    d = np.diagonal(r)
    q = q * np.sign(d).astype(q.dtype)   # (a is (max, min): q has a's shape)
    rows = int(np.prod(shape[:-1]))
    if rows < shape[-1]:
        q = q.T
    return (gain * q).reshape(shape).astype(a.dtype)


def _orthogonal_op():
    from .._ops.registry import defop, nondiff
    global _ORTHOGONAL
    if _ORTHOGONAL is None:
        _ORTHOGONAL = defop("tf.orthogonal_initializer", _orthogonal_fwd,
                            **nondiff("an initial value"),
                            shape_rule=lambda a, p: [(tuple(p["shape"]), a[0]._np_dtype)])
    return _ORTHOGONAL


_ORTHOGONAL = None


class orthogonal_initializer(Initializer):
    """A (multiple of a) random orthogonal matrix: ``shape`` flattened to (product of all
    but the last dimension, last dimension) has orthonormal rows or columns, whichever
    are fewer, times ``gain``.

    >>> import numpy as np, ndgrad.tf as tf
    >>> q = tf.Session().run(tf.orthogonal_initializer(seed=1)([4, 3], tf.float64))
    >>> bool(np.allclose(q.T @ q, np.eye(3)))
    True
    """

    def __init__(self, gain=1.0, seed=None, dtype=np.float32):
        self.gain, self.seed, self.dtype = gain, seed, dtype

    def __call__(self, shape, dtype=None, partition_info=None):
        from .._ops.registry import apply
        shape = tuple(int(s) for s in shape)
        if len(shape) < 2:
            raise ValueError("The tensor to initialize must be at least two-dimensional")
        dt = self._dt(dtype)
        if dt.kind != "f":
            raise ValueError(f"Expected floating point type, got {dt.name}.")
        rows, cols = int(np.prod(shape[:-1])), shape[-1]
        a = random_normal((max(rows, cols), min(rows, cols)), 0.0, 1.0, dt, seed=self.seed)
        return apply(_orthogonal_op(), (a,), {"shape": shape, "gain": float(self.gain)})

    def get_config(self):
        return {"gain": self.gain, "seed": self.seed, "dtype": np.dtype(self.dtype).name}


class identity_initializer(Initializer):
    """``tf.initializers.identity``: ``gain`` times the identity matrix (2-D shapes only; a rectangular one has ones on
    its main diagonal).

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.initializers.identity(2.0)([2, 3]))
    array([[2., 0., 0.],
           [0., 2., 0.]], dtype=float32)
    """

    def __init__(self, gain=1.0, dtype=np.float32):
        self.gain, self.dtype = gain, dtype

    def __call__(self, shape, dtype=None, partition_info=None):
        from . import math_ops
        shape = tuple(int(s) for s in shape)
        if len(shape) != 2:
            raise ValueError("Identity matrix initializer can only be used for 2D matrices.")
        dt = self._dt(dtype)
        return math_ops.constant(self.gain * np.eye(*shape, dtype=dt), dtype=dt)

    def get_config(self):
        return {"gain": self.gain, "dtype": np.dtype(self.dtype).name}


for _c in (zeros_initializer, ones_initializer, constant_initializer,
           random_normal_initializer, truncated_normal_initializer,
           random_uniform_initializer, variance_scaling_initializer,
           glorot_uniform_initializer, glorot_normal_initializer, orthogonal_initializer):
    __all__.append(_c.__name__)

"""The dtypes TensorFlow's ops take: for each TF function, the input dtypes TF 2.15's op
definitions and CPU kernels accept (probed with ``tf.compat.v1`` in graph mode, one
three-element constant per dtype), and the check that refuses the others as TF does.

Without it an op would give NumPy's value where TF has no kernel: ``tf.sin`` of int32
(NumPy: float64), ``tf.maximum`` or ``tf.nn.relu`` of complex (NumPy orders complex
numbers lexicographically), ``tf.logical_and`` of floats, ``tf.reduce_sum`` of bools.

>>> import ndgrad.tf as tf
>>> tf.sin(tf.constant([1, 2]))
Traceback (most recent call last):
    ...
TypeError: Value passed to parameter 'x' has DataType int32 not in list of allowed values: float16, float32, float64, complex64, complex128 (tf.sin, op Sin)
"""
from __future__ import annotations

import numpy as np

_SINT = ("int8", "int16", "int32", "int64")
_UINT = ("uint8", "uint16", "uint32", "uint64")
_FLOAT = ("float16", "float32", "float64")
_CPLX = ("complex64", "complex128")
_REAL = _SINT + _UINT + _FLOAT            # ordered types
_NUM = _REAL + _CPLX                      # every number type
_FC = _FLOAT + _CPLX                      # floating and complex
_BOOL = ("bool",)

_GROUPS = {
    _NUM: "square add subtract multiply div truediv div_no_nan divide_no_nan reduce_sum "
          "reduce_mean reduce_prod reduce_euclidean_norm cumsum cumprod conj real",
    _SINT + _FLOAT + _CPLX: "negative abs sign pow",
    _FC: "sqrt rsqrt exp log log1p expm1 sin cos tan asin acos atan sinh cosh tanh asinh "
         "acosh atanh reciprocal sigmoid realdiv xlogy xlog1py xdivy norm angle l2_normalize "
         "swish",
    _FLOAT: "floor ceil is_nan is_inf is_finite atan2 reduce_logsumexp log_sigmoid elu selu "
            "softplus softsign softmax log_softmax l2_loss",
    _REAL: "round floor_div floordiv floormod mod truncatediv maximum minimum less "
           "less_equal greater greater_equal reduce_max reduce_min sort argsort relu relu6 "
           "leaky_relu is_non_decreasing is_strictly_increasing cross",
    _BOOL + _REAL: "argmax argmin",
    _SINT + _FLOAT: "crelu",
    ("float32", "float64"): "rint",
    ("int32", "int64", "float32", "float64"): "truncatemod",
    ("int32", "int64") + _FC: "squared_difference",
    _BOOL: "logical_not logical_and logical_or logical_xor reduce_all reduce_any",
}
ALLOWED = {name: frozenset(types) for types, names in _GROUPS.items()
           for name in names.split()}
_ORDER = ("bool",) + _NUM


def check(name, dtype, param="x", op_type=None):
    """Raise TF's TypeError when TF's ``tf.<name>`` has no kernel for ``dtype`` (a NumPy
    dtype; ``op_type``: TF's op type, named in the message); names without an entry
    take any dtype.

    >>> import numpy as np
    >>> check("relu", np.dtype("float32"))
    >>> check("relu", np.dtype("complex64"), "features")
    Traceback (most recent call last):
        ...
    TypeError: Value passed to parameter 'features' has DataType complex64 not in list of allowed values: int8, int16, int32, int64, uint8, uint16, uint32, uint64, float16, float32, float64 (tf.relu)
    """
    allowed = ALLOWED.get(name)
    if allowed is None:
        return
    refuse(dtype, [t for t in _ORDER if t in allowed], param,
           f"tf.{name}, op {op_type}" if op_type else f"tf.{name}")


def refuse(dtype, allowed, param="x", where=None):
    """TF's TypeError unless ``dtype`` (a NumPy dtype) is among the dtype names
    ``allowed`` (listed in that order, as the op's definition lists them); ``where``
    names the function. The one wording of that error for every ndgrad.tf op; returns
    the dtype.

    >>> refuse(np.dtype("int32"), ("float32", "float64"), "x", "tf.lgamma")
    Traceback (most recent call last):
        ...
    TypeError: Value passed to parameter 'x' has DataType int32 not in list of allowed values: float32, float64 (tf.lgamma)
    """
    dt = np.dtype(dtype)
    if dt.name not in allowed:
        suffix = f" ({where})" if where else ""
        raise TypeError(f"Value passed to parameter '{param}' has DataType {dt.name} not in "
                        f"list of allowed values: {', '.join(allowed)}{suffix}")
    return dt

"""TensorFlow's dtype objects: ``tf.float32`` prints ``<dtype: 'float32'>``, compares equal
to NumPy's ``float32`` and carries ``as_numpy_dtype``; ``float32_ref`` is a variable's."""
from __future__ import annotations

import builtins as _builtins

import numpy as np

__all__ = ["DType", "as_dtype", "float16", "float32", "float64", "int8", "int16", "int32",
           "int64", "uint8", "uint16", "uint32", "uint64", "bool", "complex64", "complex128",
           "string", "half", "double"]


class DType:
    """A TensorFlow dtype (a NumPy dtype underneath; ``_ref`` for variables).

    >>> import ndgrad.tf as tf
    >>> tf.float32, tf.float32.name, tf.float32.as_numpy_dtype, isinstance(tf.int64, tf.DType)
    (tf.float32, 'float32', <class 'numpy.float32'>, True)
    >>> print(tf.float32, tf.int32.is_integer, tf.int32.max, tf.as_dtype("float64") == tf.float64)
    <dtype: 'float32'> True 2147483647 True
    """

    __slots__ = ("_np", "_ref")

    def __init__(self, np_dtype, ref=False):
        self._np = np.dtype(np_dtype)
        self._ref = ref

    @property
    def name(self):
        base = "string" if self._np.kind == "O" else self._np.name
        return base + ("_ref" if self._ref else "")

    @property
    def as_numpy_dtype(self):
        return self._np.type

    @property
    def dtype(self):          # lets np.dtype(tf.float32) work
        return self._np

    @property
    def kind(self):
        return self._np.kind

    @property
    def itemsize(self):
        return self._np.itemsize

    size = itemsize

    @property
    def base_dtype(self):
        return _BY_NP[self._np] if self._ref else self

    @property
    def real_dtype(self):
        if self._np.kind == "c":
            return _BY_NP[np.dtype(np.float32 if self._np.itemsize == 8 else np.float64)]
        return self.base_dtype

    @property
    def is_floating(self):
        return self._np.kind == "f"

    @property
    def is_integer(self):
        return self._np.kind in "iu"

    @property
    def is_unsigned(self):
        return self._np.kind == "u"

    @property
    def is_bool(self):
        return self._np.kind == "b"

    @property
    def is_complex(self):
        return self._np.kind == "c"

    @property
    def is_numpy_compatible(self):
        return True

    @property
    def is_quantized(self):
        return False

    @property
    def min(self):
        if self.is_floating:
            return float(np.finfo(self._np).min)
        if self.is_integer:
            return int(np.iinfo(self._np).min)
        raise TypeError(f"Cannot find minimum value of {self}.")

    @property
    def max(self):
        if self.is_floating:
            return float(np.finfo(self._np).max)
        if self.is_integer:
            return int(np.iinfo(self._np).max)
        raise TypeError(f"Cannot find maximum value of {self}.")

    @property
    def as_datatype_enum(self):
        return {"float32": 1, "float64": 2, "int32": 3, "uint8": 4, "int16": 5, "int8": 6,
                "complex64": 8, "int64": 9, "bool": 10, "uint16": 17, "float16": 19,
                "complex128": 18, "uint32": 22, "uint64": 23}.get(self._np.name, 0) + (
                    100 if self._ref else 0)

    def is_compatible_with(self, other):
        other = as_dtype(other)
        return self.base_dtype._np == other.base_dtype._np and (not other._ref or self._ref)

    def __eq__(self, other):
        if other is None:
            return False
        try:
            other = as_dtype(other)
        except TypeError:
            return False
        return self._np == other._np and self._ref == other._ref

    def __ne__(self, other):
        return not self.__eq__(other)

    def __hash__(self):
        return hash((self._np, self._ref))

    def __repr__(self):
        return f"tf.{self.name}"

    def __str__(self):
        return f"<dtype: '{self.name}'>"

    def __reduce__(self):
        return (as_dtype, (self.name,))


_NAMES = ["float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8",
          "uint16", "uint32", "uint64", "bool", "complex64", "complex128"]
_BY_NP = {np.dtype(n): DType(n) for n in _NAMES}
_REF = {np.dtype(n): DType(n, ref=True) for n in _NAMES}

float16 = half = _BY_NP[np.dtype("float16")]
float32 = _BY_NP[np.dtype("float32")]
float64 = double = _BY_NP[np.dtype("float64")]
int8 = _BY_NP[np.dtype("int8")]
int16 = _BY_NP[np.dtype("int16")]
int32 = _BY_NP[np.dtype("int32")]
int64 = _BY_NP[np.dtype("int64")]
uint8 = _BY_NP[np.dtype("uint8")]
uint16 = _BY_NP[np.dtype("uint16")]
uint32 = _BY_NP[np.dtype("uint32")]
uint64 = _BY_NP[np.dtype("uint64")]
bool = _BY_NP[np.dtype("bool")]  # noqa: A001 (TF's name)
complex64 = _BY_NP[np.dtype("complex64")]
complex128 = _BY_NP[np.dtype("complex128")]
_TF_NAMES = {"float": "float32", "double": "float64", "half": "float16"}
# strings: NumPy object arrays of bytes (constants, feeds and fetches; no arithmetic)
string = DType(np.dtype(object))
_BY_NP[np.dtype(object)] = string
_REF[np.dtype(object)] = DType(np.dtype(object), ref=True)


def as_dtype(type_value):
    """A DType from a DType, NumPy dtype or type, a name ('float32', 'float32_ref') or an
    ndgrad dtype.

    >>> as_dtype('float32')
    tf.float32
    """
    if isinstance(type_value, DType):
        return type_value
    if isinstance(type_value, str):
        if type_value.endswith("_ref"):
            return _REF[np.dtype(_TF_NAMES.get(type_value[:-4], type_value[:-4]))]
        if type_value in _TF_NAMES:       # TF's own spellings: "float" is float32
            return _BY_NP[np.dtype(_TF_NAMES[type_value])]
        if type_value == "string":
            return string
    if type_value is _builtins.float:
        return float32
    if type_value is _builtins.str or type_value is _builtins.bytes:
        return string
    try:
        d = np.dtype(type_value)
    except TypeError:
        raise TypeError(f"Cannot convert value {type_value!r} to a TensorFlow DType."
                        ) from None
    try:
        return _BY_NP[d]
    except KeyError:
        raise TypeError(f"Cannot convert value {type_value!r} to a TensorFlow DType."
                        ) from None


def ref_of(np_dtype):
    return _REF[np.dtype(np_dtype)]


def of_numpy(np_dtype):
    d = np.dtype(np_dtype)
    try:
        return _BY_NP[d]
    except KeyError:
        raise TypeError(f"Cannot convert NumPy dtype {d!r} to a TensorFlow DType.") from None

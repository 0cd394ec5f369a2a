"""Static shapes of symbolic tensors: ``Dimension`` (a size or unknown) and ``TensorShape``.

TensorFlow 1's classes, with its printing: ``TensorShape([Dimension(2), Dimension(None)])``
for repr, ``(2, ?)`` for str, ``<unknown>`` for a shape of unknown rank.
"""
from __future__ import annotations

import operator

__all__ = ["Dimension", "TensorShape", "as_shape", "as_dimension", "dims_of"]


class Dimension:
    """One dimension: an int, or unknown (``value`` None). Arithmetic with an unknown
    dimension is unknown; comparisons with one answer None (TF 1 semantics).

    >>> Dimension(2) == 2, Dimension(None) + 1
    (True, Dimension(None))
    """

    __slots__ = ("_value",)

    def __init__(self, value):
        if isinstance(value, Dimension):
            value = value._value
        if value is not None:
            try:
                value = operator.index(value)
            except TypeError:
                raise TypeError(f"Dimension value must be integer or None, got {value!r}"
                                ) from None
            if value < 0:
                raise ValueError(f"Dimension {value} must be >= 0")
        self._value = value

    @property
    def value(self):
        return self._value

    def __repr__(self):
        return f"Dimension({self._value})"

    def __str__(self):
        return "?" if self._value is None else str(self._value)

    def __int__(self):
        if self._value is None:
            raise TypeError("cannot convert an unknown Dimension to int")
        return self._value

    __index__ = __int__

    def __hash__(self):
        return hash(self._value)

    def _cmp(self, other, fn):
        other = as_dimension(other) if not isinstance(other, Dimension) else other
        if self._value is None or other._value is None:
            return None
        return fn(self._value, other._value)

    def __eq__(self, other):
        try:
            other = as_dimension(other)
        except (TypeError, ValueError):
            return NotImplemented
        if self._value is None or other._value is None:
            return None
        return self._value == other._value

    def __ne__(self, other):
        try:
            other = as_dimension(other)
        except (TypeError, ValueError):
            return NotImplemented
        if self._value is None or other._value is None:
            return None
        return self._value != other._value

    def __lt__(self, other):
        return self._cmp(other, operator.lt)

    def __le__(self, other):
        return self._cmp(other, operator.le)

    def __gt__(self, other):
        return self._cmp(other, operator.gt)

    def __ge__(self, other):
        return self._cmp(other, operator.ge)

    def _arith(self, other, fn):
        other = as_dimension(other)
        if self._value is None or other._value is None:
            return Dimension(None)
        return Dimension(fn(self._value, other._value))

    def __add__(self, other):
        return self._arith(other, operator.add)

    __radd__ = __add__

    def __sub__(self, other):
        return self._arith(other, operator.sub)

    def __rsub__(self, other):
        return as_dimension(other)._arith(self, operator.sub)

    def __mul__(self, other):
        return self._arith(other, operator.mul)

    __rmul__ = __mul__

    def __floordiv__(self, other):
        return self._arith(other, operator.floordiv)

    def __rfloordiv__(self, other):
        return as_dimension(other)._arith(self, operator.floordiv)

    def __mod__(self, other):
        return self._arith(other, operator.mod)

    def __rmod__(self, other):
        return as_dimension(other)._arith(self, operator.mod)

    def is_compatible_with(self, other):
        other = as_dimension(other)
        return self._value is None or other._value is None or self._value == other._value

    def assert_is_compatible_with(self, other):
        if not self.is_compatible_with(other):
            raise ValueError(f"Dimensions {self} and {other} are not compatible")

    def merge_with(self, other):
        other = as_dimension(other)
        self.assert_is_compatible_with(other)
        return Dimension(self._value if self._value is not None else other._value)


def as_dimension(value):
    """``value`` as a Dimension (a Dimension is returned as is); TF's
    ``tensor_shape.as_dimension``.

    >>> import ndgrad.tf as tf
    >>> tf.as_dimension(3), tf.as_dimension(None), tf.as_dimension(tf.as_dimension(4))
    (Dimension(3), Dimension(None), Dimension(4))
    >>> tf.as_dimension(3) + tf.as_dimension(None), tf.as_dimension(3) * 2
    (Dimension(None), Dimension(6))
    """
    return value if isinstance(value, Dimension) else Dimension(value)


class TensorShape:
    """A static shape: a list of Dimensions, or unknown rank (``dims`` None).
    Behaves like a tuple: ``len``, indexing (a Dimension), slicing, iteration.

    >>> TensorShape([None, 3])
    TensorShape([Dimension(None), Dimension(3)])
    >>> str(TensorShape([None, 3])), TensorShape([2, 2]).as_list()
    ('(?, 3)', [2, 2])
    """

    __slots__ = ("_dims",)

    def __init__(self, dims):
        if dims is None:
            self._dims = None
        elif isinstance(dims, TensorShape):
            self._dims = dims._dims
        else:
            if isinstance(dims, (int, Dimension)):
                dims = [dims]
            self._dims = [as_dimension(d) for d in dims]

    # -- TF API ---------------------------------------------------------------------
    @property
    def dims(self):
        return None if self._dims is None else list(self._dims)

    @property
    def ndims(self):
        return None if self._dims is None else len(self._dims)

    rank = ndims

    def as_list(self):
        if self._dims is None:
            raise ValueError("as_list() is not defined on an unknown TensorShape.")
        return [d._value for d in self._dims]

    def as_tuple(self):
        """The shape as a tuple of ints and None (None when the rank is unknown)."""
        return None if self._dims is None else tuple(d._value for d in self._dims)

    def is_fully_defined(self):
        return self._dims is not None and all(d._value is not None for d in self._dims)

    def assert_is_fully_defined(self):
        if not self.is_fully_defined():
            raise ValueError(f"Shape {self} is not fully defined")

    def num_elements(self):
        if not self.is_fully_defined():
            return None
        n = 1
        for d in self._dims:
            n *= d._value
        return n

    def is_compatible_with(self, other):
        other = as_shape(other)
        if self._dims is None or other._dims is None:
            return True
        if len(self._dims) != len(other._dims):
            return False
        return all(a.is_compatible_with(b) for a, b in zip(self._dims, other._dims))

    def assert_is_compatible_with(self, other):
        if not self.is_compatible_with(other):
            raise ValueError(f"Shapes {self} and {as_shape(other)} are incompatible")

    def merge_with(self, other):
        other = as_shape(other)
        if self._dims is None:
            return other
        if other._dims is None:
            return self
        if len(self._dims) != len(other._dims) or not self.is_compatible_with(other):
            raise ValueError(f"Shapes {self} and {other} are not compatible")
        return TensorShape([a.merge_with(b) for a, b in zip(self._dims, other._dims)])

    def concatenate(self, other):
        other = as_shape(other)
        if self._dims is None or other._dims is None:
            return TensorShape(None)
        return TensorShape(self._dims + other._dims)

    def with_rank(self, rank):
        if self._dims is None:
            return TensorShape([None] * rank)
        if len(self._dims) != rank:
            raise ValueError(f"Shape {self} must have rank {rank}")
        return self

    # -- tuple behaviour --------------------------------------------------------------
    def __len__(self):
        if self._dims is None:
            raise ValueError("Cannot take the length of Shape with unknown rank.")
        return len(self._dims)

    def __bool__(self):
        return self._dims is not None

    def __iter__(self):
        if self._dims is None:
            raise ValueError("Cannot iterate over a shape with unknown rank.")
        return iter(self._dims)

    def __getitem__(self, key):
        if self._dims is None:
            if isinstance(key, slice):
                return TensorShape(None)
            return Dimension(None)
        if isinstance(key, slice):
            return TensorShape(self._dims[key])
        return self._dims[key]

    def __add__(self, other):
        return self.concatenate(other)

    def __radd__(self, other):
        return as_shape(other).concatenate(self)

    def __eq__(self, other):
        try:
            other = as_shape(other)
        except (TypeError, ValueError):
            return NotImplemented
        return self.as_tuple() == other.as_tuple()

    def __ne__(self, other):
        eq = self.__eq__(other)
        return eq if eq is NotImplemented else not eq

    def __hash__(self):
        return hash(self.as_tuple())

    def __repr__(self):
        if self._dims is None:
            return "TensorShape(None)"
        return f"TensorShape({self._dims!r})"

    def __str__(self):
        if self._dims is None:
            return "<unknown>"
        if len(self._dims) == 1:
            return f"({self._dims[0]},)"
        return "(" + ", ".join(str(d) for d in self._dims) + ")"

    def __reduce__(self):
        return (TensorShape, (self.as_tuple(),))


def as_shape(shape):
    return shape if isinstance(shape, TensorShape) else TensorShape(shape)


def dims_of(shape):
    """Any shape spelling -> tuple of int/None, or None for unknown rank."""
    if shape is None:
        return None
    return as_shape(shape).as_tuple()

"""NumPy's scalar types in the namespace: ``np.float32(3.0)``, ``np.int_``, ``np.double`` ...

The standard's dtype names (``float32``, ``int64``, ``bool`` ...) are ``ScalarDType``
objects: callable like NumPy's scalar types, equal to and printing as the NumPy dtype
objects the standard layer uses, so both ``np.float32(3.0)`` and ``x.dtype == np.float32``
work as in NumPy; they hash as NumPy's scalar types, so a table keyed by them is read by
``x.dtype.type`` as NumPy's is (``{np.float32: ...}[x.dtype.type]``, ``x.dtype.type in
{np.float32, np.float64}``). NumPy's other scalar-type names are NumPy's own.
"""
from __future__ import annotations

import numpy as np

_SCALAR_TYPES = ["bool_", "int_", "uint", "intp", "uintp", "intc", "uintc", "byte", "ubyte",
                 "short", "ushort", "long", "ulong", "longlong", "ulonglong", "single",
                 "double", "longdouble", "half", "csingle", "cdouble", "clongdouble", "str_",
                 "bytes_", "object_", "void", "generic", "number", "integer",
                 "signedinteger", "unsignedinteger", "inexact", "floating", "complexfloating",
                 "character", "flexible", "datetime64", "timedelta64", "busdaycalendar"]
for _n in ("float96", "float128", "complex192", "complex256"):  # platform long doubles
    if hasattr(np, _n):
        _SCALAR_TYPES.append(_n)
for _n in _SCALAR_TYPES:
    globals()[_n] = getattr(np, _n)


def _numpy_scalar_like(obj):
    """Whether ``obj`` is an ndgrad 0-d array standing where NumPy gives a scalar (integer
    indexing, a reduction, arithmetic on such values: it prints as ``np.float64(1.0)``),
    not a 0-d array made by a creation function (which prints as ``array(1.)``)."""
    from .._ops import registry as _registry
    return isinstance(obj, _registry.Array) and _registry.stands_for_scalar(obj)


class _ScalarKind(type):
    """The metaclass of NumPy's abstract scalar types in the namespace (``np.floating``,
    ``np.integer``, ``np.number``, ``np.generic`` ...): each is a subclass of NumPy's own,
    equal to it in every subclass test (``np.issubdtype(x.dtype, np.floating)``,
    ``issubclass(np.float32, np.floating)``), and an instance test also takes the 0-d
    ndgrad arrays that stand where NumPy gives a scalar: ``isinstance(x[0], np.floating)``
    is True as in NumPy (``isinstance(np.asarray(1.0), np.floating)`` stays False)."""

    def __instancecheck__(cls, obj):
        base = cls.__dict__["_numpy_type"]
        return isinstance(obj, base) or (_numpy_scalar_like(obj) and
                                         issubclass(obj.dtype.type, base))

    def __subclasscheck__(cls, sub):
        if isinstance(sub, ScalarDType):
            sub = sub._type   # (``issubclass(np.int16, np.unsignedinteger)`` raised)
        return issubclass(sub, cls.__dict__["_numpy_type"])


def _abstract(name):
    base = getattr(np, name)
    # the example's expected text is NumPy's own answer for NumPy's classes
    shown = (np.issubdtype(np.float32, base), np.issubdtype(np.int8, base),
             isinstance(np.complex128(1), base))
    doc = (f"NumPy's ``{name}`` (see _ScalarKind): the scalar types below it, and NumPy's "
           f"and ndgrad's dtypes and scalars of those types.\n\n    >>> import ndgrad as np\n"
           f"    >>> (np.issubdtype(np.float32, np.{name}), np.issubdtype(np.int8, np.{name}),"
           f"\n    ...  isinstance(np.complex128(1), np.{name}))\n    {shown}\n")
    return _ScalarKind(name, (base,), {"_numpy_type": base, "__module__": "ndgrad",
                                       "__doc__": doc})


for _n in ("generic", "number", "integer", "signedinteger", "unsignedinteger", "inexact",
           "floating", "complexfloating"):
    globals()[_n] = _abstract(_n)


class ScalarDType:
    """A dtype name that is also NumPy's scalar type: ``np.float32(3.0)`` makes a scalar
    as in NumPy (and ``np.float32([1, 2])`` a new ndgrad array, where NumPy's is a NumPy
    array), while the object stays the standard's dtype object in every other way
    (equal to and printing as ``numpy.dtype('float32')``; NumPy itself converts it
    through its ``dtype`` attribute).

    It hashes as NumPy's scalar type ``numpy.float32``, the object ``np.float32`` is in
    NumPy: a dict or set keyed by ``np.float32`` finds ``x.dtype.type`` as NumPy's does,
    and misses ``x.dtype`` as NumPy's does (NumPy's dtype and scalar type are equal but
    hash apart; one object cannot hash as both). Code that must find ``x.dtype`` compares
    (``x.dtype == np.float32``, ``x.dtype in (np.float32, np.float64)``, ``isdtype``),
    which works with NumPy's namespace as well.

    >>> import numpy, ndgrad as np
    >>> x = np.zeros(2, dtype=np.float32)
    >>> {np.float32: "f4"}[x.dtype.type], x.dtype.type in {np.float32}, x.dtype == np.float32
    ('f4', True, True)
    >>> {numpy.float32: 1}.get(np.float32), {numpy.dtype("float32"): 1}.get(np.float32)
    (1, None)
    """

    __slots__ = ("dtype", "_type")

    def __init__(self, name):
        self.dtype = np.dtype(name)
        self._type = self.dtype.type

    def __call__(self, *args, **kwargs):
        if len(args) == 1 and not kwargs:
            from .._ops import registry as _registry
            x = args[0]
            if isinstance(x, _registry.Array) and (x._node is not None or x.ndim):
                # NumPy gives a new array of this type (an ndgrad one here: a copy,
                # never ``x`` itself), and a scalar for 0-d input; an array in a gradient
                # computation takes ndgrad's cast, so the gradient flows (a float type)
                # or the result is a constant by definition (an integer type), never
                # NumPy's value with the gradient silently cut
                from .._ops.dtype_functions import astype
                out = astype(x, self.dtype, copy=True)
                if out.ndim == 0:
                    out._array0d = False    # NumPy gives a scalar here: it prints as one
                return out
        r = self._type(*args, **kwargs)
        if type(r) is np.ndarray:   # (a list, a NumPy array: NumPy gives a new array)
            from .._ops.registry import wrap
            return wrap(r)
        return r

    def __eq__(self, other):
        if isinstance(other, ScalarDType):
            return self.dtype == other.dtype
        try:
            return self.dtype == other
        except TypeError:
            return False

    def __ne__(self, other):
        return not self.__eq__(other)

    def __hash__(self):
        return hash(self._type)

    def __str__(self):
        return str(self.dtype)

    def __repr__(self):
        return repr(self.dtype)

    def __getattr__(self, name):
        try:
            return getattr(self.dtype, name)
        except AttributeError:
            if name.startswith("_"):
                # (the scalar type's protocol names -- __array_interface__, __array__ as
                # descriptors of its class -- would make NumPy take this name for an
                # array-like)
                raise
            # a public method NumPy's scalar type has and its dtype lacks
            # (``np.float64.fromhex``, float's classmethod; ``np.int64.bit_count``); not
            # its instances' data descriptors (``np.complex128.real``: NumPy's
            # assert_equal would take this name for a complex number)
            attr = getattr(self._type, name)
            if not callable(attr) or hasattr(np.ndarray, name):
                # (nor an array's methods, astype, reshape, tolist ...: code telling an
                # array by hasattr(x, "astype") would take the dtype name for one)
                raise
            return attr

    def __instancecheck__(self, obj):  # isinstance(np.float32(1), nd.float32)
        # (and an ndgrad 0-d array where NumPy gives a scalar: isinstance(x[0], np.float32))
        return isinstance(obj, self._type) or (_numpy_scalar_like(obj) and
                                               obj.dtype == self.dtype)

    def __reduce__(self):
        return (ScalarDType, (self.dtype.name,))


_DTYPE_NAMES = ["bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
                "uint64", "float16", "float32", "float64", "complex64", "complex128"]
for _n in _DTYPE_NAMES:
    globals()[_n] = ScalarDType(_n)


__all__ = _SCALAR_TYPES + _DTYPE_NAMES

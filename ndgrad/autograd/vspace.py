"""autograd's vector spaces (``vspace(x)``): shape, dtype, zeros/ones/randn and inner
products for arrays, scalars and nests of lists/tuples/dicts of them."""
from __future__ import annotations

import numpy as _onp

from .._ops import registry as _registry


class VSpace:
    """The vector space a value lives in. ``vspace(x)`` builds one; subclasses cover
    arrays (``ArrayVSpace``) and containers (``ContainerVSpace``)."""
    iscomplex = False

    def zeros(self):
        raise TypeError(f"{type(self).__name__} has no zeros")

    def __eq__(self, other):
        return type(self) is type(other) and self.__dict__ == other.__dict__

    def __hash__(self):
        return hash((type(self), repr(self)))

    def __repr__(self):
        return f"{type(self).__name__}_{self.__dict__}"

    def randn(self):
        raise TypeError(f"{type(self).__name__} has no randn")

    def inner_prod(self, x, y):
        return self._inner(x, y)

    def covector(self, x):
        return self._covector(x)


class ArrayVSpace(VSpace):
    """Arrays (and Python / NumPy scalars) of one shape and floating dtype."""

    def __init__(self, value):
        import ndgrad as nd
        a = nd.asarray(value)
        self.shape = tuple(a.shape)
        self.dtype = _onp.dtype(a.dtype)

    @property
    def size(self):
        return int(_onp.prod(self.shape))

    @property
    def ndim(self):
        return len(self.shape)

    @property
    def iscomplex(self):
        return self.dtype.kind == "c"

    def _nd(self):
        import ndgrad as nd
        return nd

    def zeros(self):
        return self._nd().zeros(self.shape, dtype=self.dtype)

    def ones(self):
        return self._nd().ones(self.shape, dtype=self.dtype)

    def standard_basis(self):
        nd = self._nd()
        for idx in _onp.ndindex(*self.shape):
            e = _onp.zeros(self.shape, dtype=self.dtype)
            e[idx] = 1
            yield nd.asarray(e)

    def randn(self):
        # the same draws, in the same order, as autograd's vspaces
        z = _onp.array(_onp.random.randn(*self.shape)).astype(self.dtype)
        if self.iscomplex:
            z = z + 1j * _onp.array(_onp.random.randn(*self.shape)).astype(self.dtype)
        return self._nd().asarray(z)

    def add(self, x, y):
        return x + y

    def scalar_mul(self, x, a):
        return x * a

    def mut_add(self, x, y):
        return x + y

    def _inner(self, x, y):
        nd = self._nd()
        return nd.real(nd.sum(nd.conj(nd.asarray(x)) * nd.asarray(y)))

    def _covector(self, x):
        return self._nd().conj(x)


class ContainerVSpace(VSpace):
    """A list, tuple or dict of values, each with its own vspace."""

    def __init__(self, value):
        self.kind = type(value)
        if isinstance(value, dict):
            self.keys = list(value)   # (autograd's DictVSpace: the dict's own order)
            self.shape = tuple((k, vspace(value[k])) for k in self.keys)
        else:
            self.keys = list(range(len(value)))
            self.shape = tuple(vspace(v) for v in value)

    def _parts(self):
        return [s for _, s in self.shape] if self.kind is dict or issubclass(
            self.kind, dict) else list(self.shape)

    def _make(self, vals):
        if issubclass(self.kind, dict):
            return {k: v for k, v in zip(self.keys, vals)}
        if hasattr(self.kind, "_fields"):
            return self.kind(*vals)
        return self.kind(vals)

    def _vals(self, x):
        return [x[k] for k in self.keys]

    @property
    def size(self):
        return sum(s.size for s in self._parts())

    @property
    def iscomplex(self):
        return any(s.iscomplex for s in self._parts())

    def zeros(self):
        return self._make([s.zeros() for s in self._parts()])

    def ones(self):
        return self._make([s.ones() for s in self._parts()])

    def randn(self):
        return self._make([s.randn() for s in self._parts()])

    def standard_basis(self):
        parts = self._parts()
        for i, s in enumerate(parts):
            for e in s.standard_basis():
                yield self._make([e if j == i else p.zeros() for j, p in enumerate(parts)])

    def add(self, x, y):
        return self._make([s.add(a, b) for s, a, b in
                           zip(self._parts(), self._vals(x), self._vals(y))])

    mut_add = add

    def scalar_mul(self, x, a):
        return self._make([s.scalar_mul(v, a) for s, v in zip(self._parts(), self._vals(x))])

    def _inner(self, x, y):
        total = 0.0
        for s, a, b in zip(self._parts(), self._vals(x), self._vals(y)):
            total = total + s.inner_prod(a, b)
        return total

    def _covector(self, x):
        return self._make([s.covector(v) for s, v in zip(self._parts(), self._vals(x))])

    def __eq__(self, other):
        return (type(other) is ContainerVSpace and self.kind == other.kind
                and self.keys == other.keys and self.shape == other.shape)

    __hash__ = VSpace.__hash__


def vspace(value):
    """The vector space of ``value`` (array, scalar, or list/tuple/dict of them).

    >>> from ndgrad.autograd.extend import vspace
    >>> vs = vspace([1.0, (2.0, 3.0)])
    >>> vs.size, vspace(1.5).shape
    (3, ())
    """
    if isinstance(value, (list, tuple, dict)):
        return ContainerVSpace(value)
    if isinstance(value, (_registry.Array, _onp.ndarray, _onp.generic, float, complex, int)):
        if isinstance(value, bool):
            raise TypeError("a bool has no vector space (autograd cannot differentiate it)")
        return ArrayVSpace(value)
    raise TypeError(f"no vector space for a value of type {type(value).__name__}; autograd "
                    "differentiates arrays, scalars and lists/tuples/dicts of them")

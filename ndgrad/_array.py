"""``nd.Array``: the one user-facing array type.

It holds state (a backend array, its place in a gradient computation, its view links)
and dunders; every dunder applies a registered op, so the same code serves eager
computation, gradient recording and (with symbolic operands) graph building.
"""
from __future__ import annotations

import numpy as np

from . import _dtypes
from ._backend import backend_of, device_of, as_device, backend_device, numpy_backend
from ._ops import registry as _registry
from ._ops.registry import apply, note_read, wrap

_ndarray = np.ndarray


def _nd_scalar_error():
    """Whether the installed NumPy refuses ``float(np.ones(1))`` (NumPy 2.4 on; earlier
    ones warned and converted)."""
    import warnings
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            float(np.ones(1))
    except TypeError:
        return True
    return False


_ND_SCALAR_ERROR = _nd_scalar_error()


def _is_lazy(d):
    return type(d) is not _ndarray and backend_of(d).name == "dask"


def _computed(results, f, args):
    # (Dask's finalize step: the computed chunks joined, as a CPU ndgrad array)
    return wrap(np.asarray(f(results, *args)))


def _persisted(dsk, f, args, node, rename=None):
    return wrap(f(dsk, *args, rename=rename), node)


def _is_shape(x):
    """Whether ``x`` is what NumPy's ``ndarray(shape)`` reads as a shape: a Python or NumPy
    number, or a tuple or list (NumPy's TypeError then names a length that is no int:
    ``ndarray((1.0, 2.0))`` was an array of those values); an array is data."""
    return type(x) in (tuple, list) or isinstance(x, (int, float, complex, np.number))


class Array:
    """An n-dimensional array on a device, NumPy-compatible and differentiable.

    >>> import ndgrad as nd
    >>> x = nd.asarray([1.0, 2.0])
    >>> x * 5 + 1
    array([ 6., 11.])
    """

    __slots__ = ("_data", "_node", "_saved", "_grad", "_base", "_views", "_chain",
                 "_retain", "_array0d", "__weakref__")
    # NumPy defers binary operators with an ndarray on the left to us
    __array_priority__ = 1000

    def __init__(self, data, dtype=None, buffer=None, offset=0, strides=None, order=None, *,
                 requires_grad=False):
        """``nd.ndarray(shape, dtype=float, buffer=None, offset=0, strides=None,
        order=None)`` as NumPy's constructor (``nd.ndarray`` is this class): a shape (an
        int, or a tuple or list of them) gives an array of that shape, uninitialized or
        over ``buffer``; an array (NumPy's, another backend's, an ndgrad one) is wrapped.

        >>> import ndgrad as np
        >>> np.ndarray((2, 3)).shape
        (2, 3)
        >>> np.ndarray((2,), dtype=np.int64, buffer=np.asarray([7, 8]).tobytes())
        array([7, 8])
        """
        from ._ops.creation import asarray
        if _is_shape(data):
            # (a shape was taken for data: ndarray((2, 3)) gave array([2, 3]))
            data = np.ndarray(data, dtype=float if dtype is None else dtype, buffer=buffer,
                               offset=offset, strides=strides, order=order)
        elif dtype is not None or buffer is not None or strides is not None:
            raise TypeError(f"ndarray(): dtype, buffer and strides go with a shape (an "
                            f"int or a tuple of ints), not with {type(data).__name__} data")
        a = asarray(data)
        self._data = a._data
        self._node = None
        _registry.note_made(self)
        if a is data:
            # another Array over the same buffer: a view, so writes keep both right
            from ._autograd.inplace import register_view, DETACH
            register_view(a, self, DETACH, {})
        if requires_grad:
            self.requires_grad_()

    # -- attributes ------------------------------------------------------------------
    @property
    def shape(self):
        """The shape, a tuple of ints."""
        return tuple(self._data.shape)

    @property
    def dtype(self):
        """The dtype (a NumPy dtype object, whatever the backend)."""
        d = self._data.dtype
        if type(self._data) is _ndarray:
            return d
        return backend_of(self._data).ndgrad_dtype(d)

    @property
    def device(self):
        """The device the array lives on (``str(x.device)`` is 'cpu' or 'cuda:0')."""
        return device_of(self._data)

    @property
    def ndim(self):
        return len(self._data.shape)

    @property
    def size(self):
        n = 1
        for s in self._data.shape:
            n *= s
        return n

    @property
    def T(self):
        if self.ndim != 2:
            raise ValueError(f"x.T needs a 2-D array, not {self.ndim}-D (shape {self.shape});"
                             " use x.mT or permute_dims for batches")
        if _matrix_transpose is None:
            _bind_late()
        return _matrix_transpose(self)

    @property
    def mT(self):
        if _matrix_transpose is None:
            _bind_late()
        return _matrix_transpose(self)

    def __array_namespace__(self, /, *, api_version=None):
        if api_version not in (None, "2021.12", "2022.12", "2023.12", "2024.12", "2025.12"):
            raise ValueError(f"unsupported api_version {api_version!r}; ndgrad implements "
                             "2021.12 to 2025.12")
        import ndgrad
        return ndgrad

    # -- conversion ----------------------------------------------------------------
    def __bool__(self):
        return bool(self._scalar("bool"))

    def __int__(self):
        return int(self._real_of_scalar(self._scalar("int")))

    def __float__(self):
        return float(self._real_of_scalar(self._scalar("float")))

    def _real_of_scalar(self, v):
        """``int``/``float`` of a complex value: NumPy's complex *scalar* (``x[0]``, a
        reduction) gives its real part with a ComplexWarning; its 0-d array, and any
        other array, raise Python's TypeError (``float`` of a complex)."""
        if type(v) is complex and _registry.stands_for_scalar(self):
            import warnings
            warnings.warn("Casting complex values to real discards the imaginary part",
                          np.exceptions.ComplexWarning, stacklevel=3)
            return v.real
        return v

    def __complex__(self):
        return complex(self._scalar("complex"))

    def __index__(self):
        if self.dtype.kind not in "iu":
            raise TypeError(f"only integer arrays can be used as an index, not {self.dtype}")
        if self.ndim:
            # NumPy's: only a 0-d array is one integer (``a[b:b]``, ``range(b)`` of a
            # one-element array of shape (1, 1) raise)
            raise TypeError(f"only integer scalar arrays can be converted to a scalar "
                            f"index, not an array of shape {self.shape}")
        return int(self._scalar("index"))

    def _scalar(self, what):
        if self.size != 1:
            # NumPy's error types: ValueError for truth values, TypeError for conversions
            err = ValueError if what == "bool" else TypeError
            raise err(f"{what}() of an array of shape {self.shape} is ambiguous: only "
                      "arrays of one element convert to Python scalars")
        note_read(self)
        d = self._data
        if d.ndim and _ND_SCALAR_ERROR and what in ("int", "float", "complex"):
            # NumPy 2.4's: int/float/complex of a one-element array of 1 or more
            # dimensions is a TypeError (only 0-d arrays convert; bool() still works)
            raise TypeError(f"only 0-dimensional arrays can be converted to Python scalars "
                            f"({what}() of an array of shape {self.shape})")
        if type(d) is _ndarray:
            return d.reshape(()).item() if d.ndim else d.item()
        return backend_of(d).to_numpy(d).reshape(()).item()

    def __array__(self, dtype=None, copy=None):
        """``numpy.asarray(x)``: the values as a NumPy array (``x``'s own buffer where no
        copy or conversion is asked for; writes through it are seen by ``x``).

        An array that records a gradient (``x.requires_grad``) is refused while
        recording is on, as PyTorch refuses ``t.numpy()``: NumPy's result would be a
        constant, and the gradient through it silently cut. ``x.detach()`` gives the
        values; under ``nd.no_grad()`` nothing is recorded, and the conversion is
        allowed. ``float(x)``, ``x.item()``, ``x.tolist()`` and printing always work.

        >>> import numpy, ndgrad as nd
        >>> x = nd.asarray([1.0, 2.0], requires_grad=True)
        >>> y = x * 3.0
        >>> numpy.asarray(y)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        TypeError: numpy.asarray(x) of an array that requires grad (shape (2,), ...
        >>> numpy.asarray(y.detach())
        array([3., 6.])
        >>> with nd.no_grad():
        ...     numpy.asarray(y)
        array([3., 6.])
        """
        if self._node is not None and _registry.grad_state.enabled and (
                not _registry.TF_TENSORS["on"] or _registry.grad_state.depth):
            # (TF eager mode's permission is for its tapes: inside ndgrad's own verbs
            # (nd.grad of a function that calls NumPy) the refusal stands)
            _refuse_numpy_of_recorded(self, "numpy.asarray(x)")
        note_read(self)
        d = self._data
        if type(d) is not _ndarray:
            bk = backend_of(d)
            if bk.name in ("cupy", "cupy_rules"):   # cupy_rules: the CuPy-rules test backend
                raise TypeError(f"implicit conversion of a {bk.name} array to NumPy is not "
                                "allowed; use x.to_device('cpu') first")
            d = bk.to_numpy(d)
        if dtype is not None and d.dtype != dtype:
            if copy is False:
                raise ValueError(f"__array__(copy=False): converting {d.dtype} to "
                                 f"{np.dtype(dtype)} needs a copy")
            return d.astype(dtype)
        if copy:
            return d.copy()
        if d is self._data:
            from ._autograd.inplace import share_out
            return share_out(self)   # NumPy code may write into it now
        return d

    def __dlpack__(self, /, *, stream=None, max_version=None, dl_device=None, copy=None):
        """DLPack export (``numpy.from_dlpack(x)``, other libraries' ``from_dlpack``):
        ``x``'s buffer, refused for an array that records a gradient while recording is
        on (as ``numpy.asarray(x)``); ``x.detach()`` exports the values, and under
        ``nd.no_grad()`` (nothing recorded) the export is allowed.

        >>> import numpy, ndgrad as nd
        >>> x = nd.asarray([1.0, 2.0], requires_grad=True)
        >>> numpy.from_dlpack(x.detach())
        array([1., 2.])
        >>> with nd.no_grad():
        ...     numpy.from_dlpack(x)
        array([1., 2.])
        """
        self._no_dlpack_if_lazy()
        kw = {}
        if stream is not None:
            kw["stream"] = stream
        if max_version is not None:
            kw["max_version"] = max_version
        if dl_device is not None:
            kw["dl_device"] = dl_device
        if copy is not None:
            kw["copy"] = copy
        if self._node is not None and _registry.grad_state.enabled:
            _refuse_numpy_of_recorded(self, "DLPack export")
        d = self._data
        if not copy:
            from ._autograd.inplace import share_out
            d = share_out(self)   # the consumer may write into it now
        return d.__dlpack__(**kw)

    def __dlpack_device__(self, /):
        self._no_dlpack_if_lazy()
        return self._data.__dlpack_device__()

    def _no_dlpack_if_lazy(self):
        if _is_lazy(self._data):
            raise BufferError("a Dask array has no memory to export through DLPack (its "
                              "chunks are not computed); call x.compute() first")

    def to_device(self, device, /, *, stream=None):
        """A copy on ``device`` (the same array if it is there already).

        >>> import ndgrad as nd
        >>> str(nd.asarray([1.0]).to_device("cpu").device)
        'cpu'
        """
        if stream is not None:
            # (NumPy's error: it was ignored)
            raise ValueError(f"The stream argument in to_device() is not supported (got "
                             f"{stream!r})")
        from ._ops.creation import to_device
        return to_device(self, device)

    # -- printing (NumPy's own text, for NumPy parity) ---------------------------------
    def _numpy_for_print(self):
        d = self._data
        if type(d) is _ndarray:
            return d
        return backend_of(d).to_numpy(d)

    def __repr__(self):
        if _is_lazy(self._data):   # a Dask array prints its graph's summary, computing nothing
            return f"Array({self._data!r}, device='dask')"
        d = self._numpy_for_print()
        if not d.shape and not getattr(self, "_array0d", False):
            # NumPy gives a scalar (np.float64(2.0)) from reductions, integer indexing and
            # arithmetic on 0-d values; a 0-d *array* comes only from creation functions
            return repr(d[()])
        r = repr(d)
        dev = self.device
        if dev.kind != "cpu":
            r = r[:-1] + f", device='{dev}')"
        return r

    def __str__(self):
        if _is_lazy(self._data):
            return repr(self)
        d = self._numpy_for_print()
        if not d.shape and not getattr(self, "_array0d", False):
            return str(d[()])   # (NumPy's scalar: legacy='1.13' prints it with 12 digits)
        return str(d)

    # -- Dask (device "dask": lazy arrays) ---------------------------------------------
    def compute(self, **kwargs):
        """The values, computed (by Dask's scheduler for a Dask array), as a CPU array;
        differentiable like ``to_device("cpu")``. ``kwargs`` go to Dask's ``compute``.

        >>> import ndgrad as nd
        >>> nd.asarray([1.0, 2.0]).compute()
        array([1., 2.])
        """
        if not _is_lazy(self._data):
            return self.to_device("cpu")
        from ._ops.creation import _from_dask
        return _from_dask(self, self._data.compute(**kwargs))

    def persist(self, **kwargs):
        """A Dask array whose chunks are computed and held in (cluster) memory, keeping its
        place in a gradient computation (Dask's ``persist``); other arrays are returned
        as they are.

        >>> import ndgrad as nd
        >>> nd.asarray([1.0, 2.0]).persist()
        array([1., 2.])
        """
        if not _is_lazy(self._data):
            return self
        out = wrap(self._data.persist(**kwargs), self._node)
        return out

    # Dask's collection protocol, so that ``dask.compute(value, grad)`` computes several
    # Dask-backed arrays in one pass (shared chunks once) and ``dask.persist`` /
    # ``Client.compute`` take them; a CPU array is no Dask collection (graph None)
    def __dask_graph__(self):
        return self._data.__dask_graph__() if _is_lazy(self._data) else None

    def __dask_keys__(self):
        return self._data.__dask_keys__()

    def __dask_layers__(self):
        return self._data.__dask_layers__()

    def __dask_tokenize__(self):
        if _is_lazy(self._data):
            return ("ndgrad.Array", self._data.name)
        from dask.base import tokenize   # (only Dask calls this: it is loaded)
        return ("ndgrad.Array", tokenize(self._data))

    @property
    def __dask_optimize__(self):
        return self._data.__dask_optimize__

    @property
    def __dask_scheduler__(self):
        return self._data.__dask_scheduler__

    def __dask_postcompute__(self):
        f, args = self._data.__dask_postcompute__()
        return _computed, (f, args)

    def __dask_postpersist__(self):
        f, args = self._data.__dask_postpersist__()
        return _persisted, (f, args, self._node)

    def __format__(self, spec):
        if self.ndim == 0:
            return format(self._scalar("format"), spec)
        if spec:
            # (NumPy's: object.__format__ of an array with dimensions; ndgrad padded its
            # text, '{:30}'.format(np.array([np.pi])))
            raise TypeError(f"unsupported format string passed to numpy.ndarray.__format__ "
                            f"({spec!r} for an array of shape {self.shape})")
        return str(self)

    def __len__(self):
        if not self._data.shape:
            raise TypeError("len() of unsized object (a 0-d array)")
        return self._data.shape[0]

    def __iter__(self):
        # (raised by iter() itself, as NumPy's: np.iterable and ``try: iter(x)`` tell a
        # 0-d array from a sequence; a generator function would raise only at next())
        if not self._data.shape:
            raise TypeError("iteration over a 0-d array")
        return (self[i] for i in range(self._data.shape[0]))

    __hash__ = None

    def __reduce__(self):
        # values, device, whether it asks for gradients, how a 0-d one prints (the
        # gradient graph itself is not kept: an unpickled array is a leaf, as PyTorch's)
        return (_rebuild, (self._numpy_for_print(), str(self.device), self._node is not None,
                           getattr(self, "_array0d", False)))

    def __copy__(self):
        from ._ops.creation import asarray
        return asarray(self, copy=True)

    def __deepcopy__(self, memo):
        """A copy that keeps ``requires_grad`` and ``.grad`` (PyTorch's deepcopy) and the
        memory layout. A leaf gives a new, independent leaf; a value inside a recorded
        computation (a result, or an input being differentiated) gives a recorded copy, so
        gradients still flow through it.

        >>> import copy, ndgrad as nd
        >>> x = nd.asarray([1.0, 2.0], requires_grad=True); (x * x).sum().backward()
        >>> y = copy.deepcopy(x); y.requires_grad, y.grad
        (True, array([2., 4.]))
        """
        import copy as _copy
        node = self._node
        is_leaf = node is not None and node.op is None and node.leaf is not None
        if node is None or is_leaf:
            new = _rebuild(self._numpy_for_print().copy(order="K"), str(self.device),
                           is_leaf, getattr(self, "_array0d", False))
        else:
            new = self.__copy__()
        memo[id(self)] = new
        g = getattr(self, "_grad", None)
        if g is not None and is_leaf:
            new._grad = _copy.deepcopy(g, memo)
        return new

    # -- autograd state ---------------------------------------------------------------
    @property
    def requires_grad(self):
        """Whether gradients flow to this array (a leaf that asked, or a result of one)."""
        return self._node is not None

    @requires_grad.setter
    def requires_grad(self, flag):
        self.requires_grad_(flag)

    def requires_grad_(self, requires_grad=True):
        """Ask for ``.grad`` on this array after ``backward()`` (PyTorch's verb).

        >>> import ndgrad as nd
        >>> x = nd.asarray([1.0, 2.0]).requires_grad_()
        >>> (x * x).sum().backward(); x.grad
        array([2., 4.])
        """
        from ._autograd.backward import make_leaf
        if requires_grad:
            if self._node is None:
                make_leaf(self)
        else:
            if self._node is not None and self._node.op is not None:
                raise RuntimeError("requires_grad_(False) works only on leaf arrays; use "
                                   "x.detach() for a result of a recorded computation")
            if self._node is not None:
                # computations recorded before keep the node, which no longer fills .grad
                # (as PyTorch's: x.grad stays None)
                self._node.leaf = None
            self._node = None
        return self

    @property
    def is_leaf(self):
        return self._node is None or self._node.op is None

    @property
    def grad(self):
        """The gradient accumulated by ``backward()`` (None before)."""
        return getattr(self, "_grad", None)

    @grad.setter
    def grad(self, value):
        # as PyTorch's: None, or an array of this array's shape, dtype and device (a 0-d
        # or other-dtype .grad was taken, then broadcast or promoted by the next backward)
        if value is not None:
            if not isinstance(value, Array):
                raise TypeError(f"assigned grad expected to be an ndgrad Array or None "
                                f"but got grad of type {type(value).__name__}")
            if value.shape != self.shape:
                raise ValueError(f"assigned grad has data of a different size: "
                                 f"{value.shape}, the array {self.shape}")
            if value.dtype != self.dtype:
                raise TypeError(f"assigned grad has data of a different type: "
                                f"{value.dtype}, the array {self.dtype}")
            if value.device != self.device:
                raise ValueError(f"assigned grad has data on a different device: "
                                 f"{value.device}, the array {self.device}")
        self._grad = value

    def retain_grad(self):
        """Keep ``.grad`` on this non-leaf array after ``backward()``."""
        if self._node is None:
            raise RuntimeError("can't retain_grad on an array that does not require grad "
                               f"(shape {self.shape}, dtype {self.dtype})")
        if self._node.op is not None:
            self._retain = True
            from ._autograd.backward import retain
            retain(self)
        return self

    def backward(self, gradient=None, retain_graph=False, create_graph=False):
        """Accumulate d(self)/d(leaf) into ``leaf.grad`` for every leaf that asked for it.

        >>> import ndgrad as nd
        >>> x = nd.asarray(3.0, requires_grad=True)
        >>> y = x ** 2; y.backward(); x.grad
        np.float64(6.0)
        """
        from ._autograd.backward import backward
        backward(self, gradient, retain_graph=retain_graph, create_graph=create_graph)

    def detach(self):
        """The same values, cut from the gradient computation (shares memory, so a
        write through either is seen by both, and by the gradient of the other).

        >>> import ndgrad as nd
        >>> nd.asarray(1.0, requires_grad=True).detach().requires_grad
        False
        """
        if _detach is None:
            _bind_late()
        return _detach(self)

    def numpy(self):
        """The values as a NumPy array (PyTorch's and TensorFlow's ``t.numpy()``): what
        ``numpy.asarray(x)`` gives, sharing memory with ``x`` on the CPU, under the same
        rule -- refused for an array that records a gradient (PyTorch's rule; use
        ``x.detach().numpy()``), except in ``ndgrad.tf``'s eager mode, which follows
        TensorFlow: the values always, and a NumPy scalar for a 0-d tensor.

        >>> import ndgrad as nd
        >>> nd.asarray([1.0, 2.0]).numpy()
        array([1., 2.])
        >>> nd.asarray(2.0, requires_grad=True).detach().numpy()
        array(2.)
        """
        d = self.__array__()
        if d.ndim == 0 and _registry.TF_TENSORS["on"]:
            return d[()]
        return d

    # -- operators (each applies a registered op) --------------------------------------
    def __getitem__(self, key, /):
        from ._ops.indexing import getitem
        return getitem(self, key)

    def __setitem__(self, key, value, /):
        from ._autograd.inplace import setitem
        setitem(self, key, value)

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        if method == "__call__" and len(inputs) == 2 and not kwargs:
            # NumPy's operator with a NumPy array on the left (``X @ W``, ``y - pred``):
            # this Array's own operator, the NumPy array a constant operand (as
            # ``numpy_operand`` gives it); every other call takes NumPy's dispatch
            m = _UFUNC_OPERATORS.get(ufunc)
            if m is not None and not _registry._trace_reads:
                a, b = inputs
                if (type(a) is _ndarray and b is self and type(self._data) is _ndarray
                        and a.dtype.kind in _NUMERIC):
                    return m[0](_registry.numpy_operand(a, m[1], self), self)
                if ufunc is np.power and b is self and isinstance(a, np.generic):
                    # NumPy's scalar ** this one (its scalar math found no loop for an
                    # Array): the reflected operator, which gives NumPy's scalar ``pow``
                    return self.__rpow__(a)
        if _array_ufunc is None:
            _bind_late()
        return _array_ufunc(ufunc, method, inputs, kwargs)

    def __array_function__(self, func, types, args, kwargs):
        if _array_function is None:
            _bind_late()
        return _array_function(func, types, args, kwargs)


# Functions of modules above this one that Array's methods call, bound at the first call
# (a function-level ``from .x import y`` costs about 1 us a call: importlib's
# ``ModuleSpec.parent`` is Python code)
_array_ufunc = _array_function = _detach = _matrix_transpose = None


def _bind_late():
    global _array_ufunc, _array_function, _detach, _matrix_transpose
    from ._interop import array_ufunc, array_function
    from ._autograd.inplace import detach
    from ._ops.linalg import matrix_transpose
    _array_ufunc, _array_function = array_ufunc, array_function
    _detach, _matrix_transpose = detach, matrix_transpose


def _refuse_numpy_of_recorded(x, what):
    """NumPy's own code on an array that records a gradient (``x._node`` set while
    recording is on) would compute with its values as a constant: the gradient through
    that path would be silently cut. Refused, as PyTorch refuses ``t.numpy()`` of a tensor
    that requires grad and JAX refuses it inside its transformations. ``x.detach()``
    gives the values; under ``nd.no_grad()`` nothing is recorded and the conversion is
    allowed; ``float(x)``, ``x.item()``, ``x.tolist()`` and printing always work."""
    if _registry.grad_state.depth:
        raise TypeError(
            f"{what} of an array the function being differentiated computes with (shape "
            f"{x.shape}, dtype {x.dtype}): NumPy's result would be a constant, and the "
            "gradient through it silently zero. Use ndgrad's functions on it (NumPy's own "
            "functions dispatch to them), or x.detach() where only the values are wanted")
    raise TypeError(
        f"{what} of an array that requires grad (shape {x.shape}, dtype {x.dtype}): "
        "NumPy code would compute with its values as a constant, and backward() would "
        "silently miss the gradient through that path (PyTorch refuses this too). Use "
        "x.detach() for the values (numpy.asarray(x.detach())), ndgrad's functions to keep "
        "the gradient (NumPy's own functions dispatch to them), or convert under "
        "nd.no_grad()")


def _rebuild(data, device, requires_grad=False, array0d=False):
    from ._ops.creation import asarray
    out = asarray(data, device=device)
    out._array0d = array0d
    if requires_grad:
        out.requires_grad_()
    return out


def _binary(op_name, reflected=False):
    method = _registry.operator_method(_registry.REGISTRY[op_name], reflected)
    method.__name__ = f"__{'r' if reflected else ''}{op_name}__"
    return method


def _inplace(op_name, binary):
    op = _registry.REGISTRY[op_name]
    # (bound once: operators are installed after every module is loaded)
    from ._autograd.inplace import inplace_op, inplace_power
    write = inplace_power if op_name == "pow" else inplace_op
    tf_tensors = _registry.TF_TENSORS

    def method(self, other, /):
        t = type(other)
        if (t is not Array and t is not float and t is not int and t is not np.ndarray
                and _registry._defers_to(other, True)):
            # NumPy's in-place rule (``binop_should_defer`` with ``inplace``): an operand
            # with a higher ``__array_priority__`` and no ``__array_ufunc__`` takes over:
            # Python then tries ``self + other`` (which defers too) and ``other.__radd__``
            return NotImplemented
        # (registry.stands_for_scalar inlined: every in-place operator asks)
        if (not self._data.shape and not getattr(self, "_array0d", False)
                or tf_tensors["on"]):
            # a 0-d value standing for NumPy's scalar (``s = x.sum()``, ``x[0]``): NumPy's
            # scalars are immutable, so ``s += 1`` binds a new value to ``s`` and every
            # other name for the old one keeps it (``t = s; s += 1`` leaves ``t``), with
            # the binary operator's result type (an int64 scalar += 1.5 is a float64);
            # so are all of TF's eager tensors (``tf.enable_eager_execution``)
            return binary(self, other)
        return write(self, op, other)
    method.__name__ = f"__i{op_name}__"
    return method


def _unary(op_name):
    op = _registry.REGISTRY[op_name]

    def method(self, /):
        return apply(op, (self,))
    method.__name__ = f"__{op_name}__"
    return method


# operator -> registered op name (the standard's function names)
_BINARY = {"add": "add", "sub": "subtract", "mul": "multiply", "truediv": "divide",
           "floordiv": "floor_divide", "mod": "remainder", "pow": "pow",
           "matmul": "matmul", "and": "bitwise_and", "or": "bitwise_or",
           "xor": "bitwise_xor", "lshift": "bitwise_left_shift",
           "rshift": "bitwise_right_shift"}
_COMPARE = {"eq": "equal", "ne": "not_equal", "lt": "less", "le": "less_equal",
            "gt": "greater", "ge": "greater_equal"}
_UNARY = {"neg": "negative", "pos": "positive", "abs": "abs", "invert": "bitwise_invert"}


_NUMERIC = _registry._NUMERIC
_UFUNC_OPERATORS = {}
_NP_UFUNC_NAMES = {"bitwise_and": "bitwise_and", "bitwise_or": "bitwise_or",
                   "bitwise_xor": "bitwise_xor"}


def install_operators():
    """Bind the operator dunders to their ops (called once the ops are registered)."""
    for dunder, name in _BINARY.items():
        setattr(Array, f"__{dunder}__", _binary(name))
        setattr(Array, f"__r{dunder}__", _binary(name, reflected=True))
        setattr(Array, f"__i{dunder}__", _inplace(name, getattr(Array, f"__{dunder}__")))
    for dunder, name in _COMPARE.items():
        setattr(Array, f"__{dunder}__", _binary(name))
    for dunder, name in _UNARY.items():
        setattr(Array, f"__{dunder}__", _unary(name))
    # NumPy's binary ufuncs behind its operators -> (this Array's operator, its op)
    for dunder, name in list(_BINARY.items()) + list(_COMPARE.items()):
        uf = getattr(np, {"truediv": "true_divide", "mod": "remainder", "pow": "power",
                          "lshift": "left_shift", "rshift": "right_shift"}.get(
                              dunder, _NP_UFUNC_NAMES.get(name, name)))
        _UFUNC_OPERATORS[uf] = (getattr(Array, f"__{dunder}__"), _registry.REGISTRY[name])
    # x[key] calls the indexing op's entry itself (the method above imports it per call)
    from ._ops.indexing import getitem
    Array.__getitem__ = getitem
    # x[key] = v likewise calls the write itself
    from ._autograd.inplace import setitem
    Array.__setitem__ = setitem


_registry.Array = Array

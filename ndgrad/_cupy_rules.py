"""The CuPy-rules TEST BACKEND (device "cupy_rules"): NumPy underneath, CuPy's rules on top.

This is not a device and not faster than NumPy: it exists so that every CI run (which has
no GPU) fails wherever ndgrad would break on CuPy. Its arrays (``ndarray`` below) wrap a
NumPy array and enforce what CuPy enforces and NumPy does not:

- they are their own type; NumPy arrays are refused as operands of its functions and
  operators (``TypeError``), as CuPy refuses them;
- implicit conversion to the host raises ``TypeError`` with CuPy's message:
  ``__array__`` (so ``numpy.asarray(x)``), and ``float``/``int``/``complex``/``bool``/
  ``operator.index`` of an array that is not 0-d (CuPy 14 converts a 0-d array, which syncs;
  a non-0-d one goes through NumPy's deprecated size-1 path there; here it is refused);
- NumPy's own functions on its arrays (``numpy.may_share_memory``, ``numpy.einsum`` ...)
  raise ``TypeError`` (``__array_function__`` implements none): ndgrad must call the
  backend's namespace or make an explicit transfer. This is stricter than CuPy, whose
  ``__array_function__`` serves the NumPy functions it has a ``cupy.<name>`` for (and
  fails on the rest, or on a NumPy array among the arguments); NumPy's ufuncs do run on
  it, as on CuPy;
- the host is reached only through explicit calls: ``x.get()``, ``x.item()``,
  ``x.tolist()``, ``to_device(x, "cpu")`` and the 0-d scalar conversions, each counted in
  ``transfers`` (``count_transfers()`` measures a block); uploads of NumPy data
  (``asarray(numpy_array)``) are counted apart;
- reductions and integer indexing give 0-d arrays, never NumPy scalars;
- its device object is ``DEVICE`` (``x.device``), and its namespace ``xp`` holds the array
  API standard's functions (wrapping ``array_api_compat.numpy``) plus the few NumPy extras
  CuPy also has (``CUPY_EXTRAS``), with ``xp.cupyx`` standing in for ``cupyx.scatter_add``;
- a zero fill loses the sign of -0.0, as CuPy's memset does (``full``, ``full_like``,
  ``fill`` and ``asarray`` of a scalar), so ndgrad's signed-zero handling is exercised.

Not emulated (they need a GPU to check): CuPy's other value differences (complex
``tanh(+0+inf j)``, ``remainder``/``mod`` with infinite operands), streams, and memory.

>>> import ndgrad as nd
>>> x = nd.asarray([1.0, 2.0], device="cupy_rules")
>>> str(x.device)
'cupy_rules'
>>> float(nd.sum(x))
3.0
"""
from __future__ import annotations

import contextlib
import types

import numpy as np
import array_api_compat.numpy as _npx

__all__ = ["ndarray", "RulesDevice", "DEVICE", "xp", "transfers", "count_transfers"]

_IMPLICIT = ("Implicit conversion to a NumPy array is not allowed. Please use `.get()` to "
             "construct a NumPy array explicitly.")


class _Transfers:
    """Counts of explicit transfers: ``to_host`` (device to host) and ``to_device``
    (NumPy data uploaded)."""

    __slots__ = ("to_host", "to_device")

    def __init__(self):
        self.to_host = 0
        self.to_device = 0

    def __repr__(self):
        return f"<transfers to_host={self.to_host} to_device={self.to_device}>"


transfers = _Transfers()


@contextlib.contextmanager
def count_transfers():
    """Count the transfers made inside a ``with`` block.

    >>> import ndgrad as nd
    >>> from ndgrad._cupy_rules import count_transfers
    >>> x = nd.asarray([1.0, 2.0], device="cupy_rules")
    >>> with count_transfers() as c:
    ...     y = nd.sum(x * x)
    ...     v = float(y)
    >>> c.to_host
    1
    """
    start_h, start_d = transfers.to_host, transfers.to_device
    out = _Transfers()
    try:
        yield out
    finally:
        out.to_host = transfers.to_host - start_h
        out.to_device = transfers.to_device - start_d


def _download(a):
    transfers.to_host += 1
    return a


class RulesDevice:
    """The CuPy-rules test backend's own device object (what ``x.device`` returns)."""

    __slots__ = ()

    def __repr__(self):
        return "<CuPy-rules test device>"

    def __str__(self):
        return "cupy_rules"


DEVICE = RulesDevice()


def _refuse_host(what):
    raise TypeError(f"{what}: an operand is a NumPy (host) array, which CuPy refuses; "
                    "move it to the device first (asarray)")


def _new(a):
    r = object.__new__(ndarray)
    r._a = a
    return r


def _wrap(v):
    """NumPy results -> this backend's arrays (NumPy scalars become 0-d arrays)."""
    t = type(v)
    if t is np.ndarray:
        return _new(v)
    if isinstance(v, np.generic):
        return _new(np.asarray(v))
    if isinstance(v, tuple):
        items = [_wrap(x) for x in v]
        return type(v)(*items) if hasattr(v, "_fields") else tuple(items)
    if t is list:
        return [_wrap(x) for x in v]
    return v


def _unwrap(v, what):
    """Arguments -> NumPy; a NumPy array among them is refused as CuPy refuses it."""
    t = type(v)
    if t is ndarray:
        return v._a
    if t is np.ndarray:
        _refuse_host(what)
    if t is list or t is tuple:
        return t(_unwrap(x, what) for x in v)
    if isinstance(v, RulesDevice):
        return "cpu"
    return v


def _key(key):
    """An index: this backend's arrays unwrapped; NumPy index arrays and lists are
    uploaded as CuPy uploads them."""
    def conv(k):
        if type(k) is ndarray:
            return k._a
        if type(k) is np.ndarray:
            transfers.to_device += 1
        return k
    if type(key) is tuple:
        return tuple(conv(k) for k in key)
    return conv(key)


def _operand(o):
    t = type(o)
    if t is ndarray:
        return o._a
    if t is np.ndarray:
        _refuse_host("an operator")
    if t in (int, float, complex, bool) or isinstance(o, np.generic):
        return o
    return NotImplemented


def _binary(name):
    """A binary operator (``__iadd__`` and the like write into this array's buffer)."""
    f = getattr(np.ndarray, name)
    inplace = name.startswith("__i") and name not in ("__invert__",)

    def op(self, other):
        o = _operand(other)
        if o is NotImplemented:
            return NotImplemented
        r = f(self._a, o)
        if r is NotImplemented:
            return r
        return self if inplace else _wrap(r)
    op.__name__ = name
    return op


def _unary(name):
    f = getattr(np.ndarray, name)

    def op(self):
        return _wrap(f(self._a))
    op.__name__ = name
    return op


def _method(name):
    f = getattr(np.ndarray, name)

    def m(self, *args, **kwargs):
        what = f"ndarray.{name}"
        return _wrap(f(self._a, *_unwrap(args, what),
                       **{k: _unwrap(v, what) for k, v in kwargs.items()}))
    m.__name__ = name
    return m


class ndarray:
    """An array of the CuPy-rules test backend: a NumPy array behind CuPy's rules."""

    __slots__ = ("_a", "__weakref__")
    __array_priority__ = 100.0

    def __init__(self, *args, **kwargs):
        raise TypeError("make CuPy-rules arrays with ndgrad._cupy_rules.xp.asarray")

    # -- the host boundary -------------------------------------------------------------
    def __array__(self, dtype=None, copy=None):
        raise TypeError(_IMPLICIT)

    def get(self, stream=None, order="C", out=None, blocking=True):
        """A NumPy copy on the host (counted)."""
        _download(self)
        if out is not None:
            out[...] = self._a
            return out
        return np.array(self._a, order=order, copy=True)

    def item(self, *args):
        return _download(self._a).item(*args)

    def tolist(self):
        return _download(self._a).tolist()

    def _scalar(self, conv):
        if self._a.ndim != 0:
            raise TypeError(f"{conv.__name__}() of a CuPy-rules array of shape "
                            f"{self._a.shape} is an implicit conversion to the host; only "
                            "0-d arrays convert (use .get() or .item())")
        return conv(_download(self._a)[()])

    def __float__(self):
        return self._scalar(float)

    def __int__(self):
        return self._scalar(int)

    def __complex__(self):
        return self._scalar(complex)

    def __bool__(self):
        return self._scalar(bool)

    def __index__(self):
        if self._a.dtype.kind not in "iu":
            raise TypeError(f"only integer arrays can be used as an index, not {self._a.dtype}")
        return self._scalar(int)

    def __repr__(self):
        _download(self._a)
        return "cupy_rules." + repr(self._a)

    __str__ = __repr__

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        # CuPy runs NumPy's ufuncs on its arrays with its own kernels; NumPy arrays among
        # the operands are refused
        what = f"numpy.{ufunc.__name__}"
        args = _unwrap(inputs, what)
        kw = {k: _unwrap(v, what) for k, v in kwargs.items()}
        return _wrap(getattr(ufunc, method)(*args, **kw))

    def __array_function__(self, func, types, args, kwargs):
        return NotImplemented   # NumPy's functions are the host's: TypeError from NumPy

    def __dlpack__(self, *, stream=None, max_version=None, dl_device=None, copy=None):
        raise BufferError("a CuPy-rules array is device memory: DLPack cannot hand it to "
                          "the host; use .get()")

    def __dlpack_device__(self):
        return (2, 0)   # kDLCUDA, device 0: what a CuPy array says

    def __reduce__(self):
        return (_from_host, (self.get(),))

    # -- the array object ----------------------------------------------------------------
    shape = property(lambda self: self._a.shape)
    dtype = property(lambda self: self._a.dtype)
    ndim = property(lambda self: self._a.ndim)
    size = property(lambda self: self._a.size)
    nbytes = property(lambda self: self._a.nbytes)
    itemsize = property(lambda self: self._a.itemsize)
    strides = property(lambda self: self._a.strides)
    flags = property(lambda self: self._a.flags)
    T = property(lambda self: _new(self._a.T))
    mT = property(lambda self: _new(np.swapaxes(self._a, -1, -2)))
    real = property(lambda self: _new(self._a.real))
    imag = property(lambda self: _new(self._a.imag))

    @property
    def base(self):
        b = self._a.base
        return _new(b) if type(b) is np.ndarray else None

    @property
    def device(self):
        return DEVICE

    def __array_namespace__(self, api_version=None):
        return xp

    def to_device(self, device, /, *, stream=None):
        if device is DEVICE or device == "cupy_rules":
            return self
        if device == "cpu":
            return self.get()
        raise ValueError(f"unknown device {device!r} for a CuPy-rules array")

    def __len__(self):
        if self._a.ndim == 0:
            raise TypeError("len() of unsized object")
        return len(self._a)

    def __iter__(self):
        if self._a.ndim == 0:
            raise TypeError("iteration over a 0-d array")
        return (_new(self._a[i]) for i in range(len(self._a)))

    def __getitem__(self, key):
        return _wrap(self._a[_key(key)])

    def __setitem__(self, key, value):
        t = type(value)
        if t is ndarray:
            value = value._a
        elif t is np.ndarray:
            transfers.to_device += 1
        self._a[_key(key)] = value

    def __copy__(self):
        return _new(self._a.copy())

    def __deepcopy__(self, memo):
        return _new(self._a.copy())


for _n in ("add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "matmul", "and", "or",
           "xor", "lshift", "rshift", "divmod"):
    setattr(ndarray, f"__{_n}__", _binary(f"__{_n}__"))
    setattr(ndarray, f"__r{_n}__", _binary(f"__r{_n}__"))
    if _n != "divmod":
        setattr(ndarray, f"__i{_n}__", _binary(f"__i{_n}__"))
for _n in ("lt", "le", "gt", "ge", "eq", "ne"):
    setattr(ndarray, f"__{_n}__", _binary(f"__{_n}__"))
ndarray.__hash__ = None
for _n in ("neg", "pos", "abs", "invert"):
    setattr(ndarray, f"__{_n}__", _unary(f"__{_n}__"))
# the NumPy-style methods CuPy's ndarray also has
for _n in ("astype", "copy", "reshape", "transpose", "ravel", "flatten", "squeeze",
           "swapaxes", "view", "fill", "conj", "conjugate", "sum", "prod", "mean", "var", "std",
           "max", "min", "argmax", "argmin", "all", "any", "cumsum", "cumprod", "clip",
           "round", "sort", "argsort", "nonzero", "diagonal", "dot", "take", "repeat",
           "trace", "partition", "argpartition", "put", "choose", "compress"):
    setattr(ndarray, _n, _method(_n))


def _fill_value(v):
    """CuPy fills with a memset when the value == 0, losing the sign of -0.0."""
    if isinstance(v, (float, complex, np.floating, np.complexfloating)) and v == 0:
        return type(v)(0)
    return v


def _from_host(a):
    transfers.to_device += 1
    return _new(np.array(a, copy=True))


def _asarray(obj, /, *, dtype=None, device=None, copy=None):
    _check_device(device)
    t = type(obj)
    if t is ndarray:
        return _new(_npx.asarray(obj._a, dtype=dtype, copy=copy))
    if t is np.ndarray:
        transfers.to_device += 1
        return _new(np.array(obj, dtype=dtype, copy=True))
    if t is list or t is tuple:
        obj = _unwrap(obj, "asarray")
    elif isinstance(obj, (float, complex, np.floating, np.complexfloating)):
        obj = _fill_value(obj)
    elif hasattr(obj, "__array__") and not isinstance(obj, np.generic):
        transfers.to_device += 1
    return _new(np.array(obj, dtype=dtype, copy=True))


def _check_device(device):
    if device is not None and device is not DEVICE and device != "cupy_rules":
        raise ValueError(f"device {device!r} is not the CuPy-rules test device")


def _full(shape, fill_value, *, dtype=None, device=None):
    _check_device(device)
    return _new(_npx.full(shape, _fill_value(_unwrap(fill_value, "full")), dtype=dtype))


def _full_like(x, /, fill_value, *, dtype=None, device=None):
    _check_device(device)
    return _new(_npx.full_like(_unwrap(x, "full_like"),
                               _fill_value(_unwrap(fill_value, "full_like")), dtype=dtype))


def _fill(self, value):
    self._a.fill(_fill_value(_unwrap(value, "ndarray.fill")))


ndarray.fill = _fill


def _wrapped(fn, name):
    def f(*args, **kwargs):
        what = f"cupy_rules.{name}"
        if "device" in kwargs:
            _check_device(kwargs.pop("device"))
        return _wrap(fn(*_unwrap(args, what), **{k: _unwrap(v, what) for k, v in kwargs.items()}))
    f.__name__ = name
    f.__qualname__ = name
    f.__doc__ = f"``{name}`` of the array API standard on the CuPy-rules test backend."
    return f


# The array API standard's names (2025.12), taken from array_api_compat.numpy
STANDARD = """
e inf nan pi newaxis arange empty empty_like eye from_dlpack linspace meshgrid ones ones_like
tril triu zeros zeros_like astype broadcast_arrays broadcast_shapes broadcast_to can_cast finfo
isdtype iinfo result_type int8 int16 int32 int64 uint8 uint16 uint32 uint64 float32 float64
complex64 complex128 bool abs acos acosh add asin asinh atan atan2 atanh bitwise_and
bitwise_left_shift bitwise_invert bitwise_or bitwise_right_shift bitwise_xor ceil clip conj
copysign cos cosh divide equal exp expm1 floor floor_divide greater greater_equal hypot imag
isfinite isinf isnan less less_equal log log1p log2 log10 logaddexp logical_and logical_not
logical_or logical_xor maximum minimum multiply negative nextafter not_equal positive pow real
reciprocal remainder round sign signbit sin sinh square sqrt subtract tan tanh trunc take
take_along_axis matmul tensordot matrix_transpose vecdot concat expand_dims flip moveaxis
permute_dims repeat reshape roll squeeze stack tile unstack argmax argmin nonzero count_nonzero
searchsorted where unique_all unique_counts unique_inverse unique_values isin argsort sort
cumulative_sum cumulative_prod max mean min prod std sum var all any diff
""".split()
LINALG = """cholesky cross det diagonal eigh eigvalsh inv matmul matrix_norm matrix_power
matrix_rank matrix_transpose outer pinv qr slogdet solve svd svdvals tensordot trace vecdot
vector_norm""".split()
FFT = """fft ifft fftn ifftn rfft irfft rfftn irfftn hfft ihfft fftfreq rfftfreq fftshift
ifftshift""".split()
# NumPy names beyond the standard that CuPy also has (cupy.<name>): ndgrad may call them
# through the backend namespace on CuPy, so they exist here too
CUPY_EXTRAS = """einsum may_share_memory shares_memory""".split()
CUPY_LINALG_EXTRAS = """eig eigvals lstsq norm""".split()

_NOT_FUNCTIONS = {"e", "inf", "nan", "pi", "newaxis", "int8", "int16", "int32", "int64", "uint8",
                  "uint16", "uint32", "uint64", "float32", "float64", "complex64", "complex128",
                  "bool", "isdtype"}


def _namespace(modname, names, src):
    ns = types.ModuleType(modname, "The CuPy-rules test backend's array API namespace.")
    for n in names:
        v = getattr(src, n)
        ns.__dict__[n] = v if n in _NOT_FUNCTIONS else _wrapped(v, n)
    return ns


# its name must not say "cupy" alone: ndgrad.scipy reads "cupy" in a name as real CuPy
xp = _namespace("ndgrad._rules_namespace", STANDARD + CUPY_EXTRAS, _npx)
xp.__array_api_version__ = "2025.12"
xp.asarray = _asarray
xp.full = _full
xp.full_like = _full_like
xp.ndarray = ndarray
xp.linalg = _namespace("ndgrad._rules_namespace.linalg", LINALG, _npx.linalg)
for _n in CUPY_LINALG_EXTRAS:   # array_api_compat's where it has one (eig: always complex)
    setattr(xp.linalg, _n, _wrapped(getattr(_npx.linalg, _n, None) or getattr(np.linalg, _n), _n))
xp.fft = _namespace("ndgrad._rules_namespace.fft", FFT, _npx.fft)


def _scatter_add(a, slices, value):
    """``cupyx.scatter_add``: ``a[slices] += value`` with repeated indices accumulating."""
    np.add.at(a._a, _key(slices), _operand(value) if type(value) is not ndarray else value._a)


class _ScipyModule:
    """``cupyx.scipy.<module>`` on the CuPy-rules test backend: SciPy's functions with
    this backend's arrays in and out (NumPy arrays refused). It holds every SciPy function
    of the module, more than cupyx.scipy has: which names CuPy lacks shows only on a GPU."""

    def __init__(self, module):
        import importlib
        self.__name__ = f"ndgrad._rules_namespace.cupyx.scipy.{module}"
        self._mod = importlib.import_module(f"scipy.{module}")

    def __getattr__(self, name):
        fn = getattr(self._mod, name)
        if not callable(fn):
            return fn
        return _wrapped(fn, f"cupyx.scipy.{self._mod.__name__[6:]}.{name}")


xp.cupyx = types.SimpleNamespace(scatter_add=_scatter_add, scipy=_ScipyModule)

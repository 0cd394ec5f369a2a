"""``ndgrad.fft``: the array API fft extension (standard 2025.12), differentiable.

All 14 functions with the standard's signatures (where NumPy's ``numpy.fft`` also takes
``n``/``axis``/``norm``, ``s``/``axes``, ``d`` by position, so do these: NumPy code calls
them, directly or through ``__array_function__``; NumPy 2's ``out=`` too, and an axis repeated
in ``axes`` transformed again, as NumPy's); on the NumPy backend the results equal
NumPy's (``array_api_compat.numpy.fft``). Every transform has a gradient (each is linear,
its rule the transposed transform, in ``ndgrad/_ops/fft.py``); a real input gets a real
gradient. ``fftfreq``/``rfftfreq`` make arrays from nothing and have none.

>>> import ndgrad as nd
>>> x = nd.asarray([1.0, 2.0, 3.0, 4.0])
>>> nd.fft.fft(x)
array([10.+0.j, -2.+2.j, -2.+0.j, -2.-2.j])
>>> nd.grad(lambda x: nd.sum(nd.real(nd.fft.fft(x))))(x)
array([4., 0., 0., 0.])
"""
from __future__ import annotations

import operator
import numpy as _np

from . import _dtypes
from ._ops import fft as _f
from ._ops._common import normalize_axis_index as _normalize_axis_index
from ._ops.creation import _create
from ._ops.registry import apply as _apply, Array
from ._ops._common import as_arrays as _arrays


def _norm(norm, name):
    if norm is None:  # NumPy's spelling of the default
        return "backward"
    if norm not in _f._NORMS:
        raise ValueError(f"fft.{name}: norm must be one of {', '.join(map(repr, _f._NORMS))};"
                         f" got {norm!r}")
    return norm


def _length(n, name, what="n"):
    if n is None:
        return None
    try:
        n = operator.index(n)
    except TypeError:
        raise TypeError(f"fft.{name}: {what} must be an int or None, not {n!r}") from None
    if n < 1:
        raise ValueError(f"fft.{name}: {what}={n} is not a valid number of data points "
                         "(it must be >= 1)")
    return n


def _static_shape(x, name):
    """``x``'s shape as ints (None for unknown dims of a graph tensor)."""
    try:
        return tuple(getattr(d, "value", d) for d in x.shape)
    except (ValueError, TypeError):
        raise ValueError(f"fft.{name} needs an input of known rank") from None


def _one_axis(x, n, axis, norm, name):
    shape = _static_shape(x, name)
    if not shape:
        raise ValueError(f"fft.{name} needs an array of at least 1 dimension; got shape ()")
    ax = _normalize_axis_index(axis, len(shape))
    return shape, ax, _length(n, name), _norm(norm, name)


def _n_axes(x, s, axes, norm, name):
    """Validate ``s``/``axes``; returns (shape, effective axes, s as given or None)."""
    shape = _static_shape(x, name)
    nd = len(shape)
    if axes is not None:
        axes = tuple(_normalize_axis_index(a, nd, "axes") for a in axes)
        if len(set(axes)) != len(axes):
            raise ValueError(f"fft.{name}: repeated axes in {axes}")
    if s is not None:
        s = tuple(-1 if v == -1 else _length(v, name, "s") for v in s)
        eff = axes if axes is not None else tuple(range(nd - len(s), nd))
        if len(s) != len(eff):
            raise ValueError(f"fft.{name}: s {s} and axes {eff} must have the same length")
        if len(s) > nd:
            raise ValueError(f"fft.{name}: s {s} has more entries than x has dimensions "
                             f"(shape {shape})")
        if axes is None:  # NumPy 2 deprecates s without axes: name them (the same axes)
            axes = eff
    else:
        eff = axes if axes is not None else tuple(range(nd))
    if not eff:
        raise ValueError(f"fft.{name}: no axes to transform (shape {shape})")
    return shape, eff, axes, s, _norm(norm, name)


def _size(s, eff, ax, shape):
    """The transform length along axis ``ax`` given ``s``."""
    if s is None:
        return shape[ax]
    v = s[list(eff).index(ax)]
    return shape[ax] if v == -1 else v


def _real_input(x):
    return getattr(x, "dtype", None) is None or x.dtype.kind != "c"


def _out(res, out, name):
    """NumPy 2's ``out=`` of the transforms: ``res`` written into ``out`` (an array of the
    result's own shape, whose dtype the result casts to under same_kind), which is
    returned; ``res`` when ``out`` is None."""
    if out is None:
        return res
    from ._numpy._core import out_array_check, write_out
    out_array_check(out, f"fft.{name}")
    if tuple(out.shape) != tuple(res.shape):
        raise ValueError(f"fft.{name}: out has wrong shape {tuple(out.shape)}; the result's "
                         f"is {tuple(res.shape)}")
    return write_out(res, out, ufunc=name)


def _repeated(x, axes, name):
    """Whether ``axes`` names an axis twice (NumPy then transforms along it twice)."""
    if axes is None:
        return False
    nd = len(_static_shape(x, name))
    axes = [_normalize_axis_index(a, nd, "axes") for a in axes]
    return len(set(axes)) != len(axes)


def _by_axis(name, x, s, axes, norm):
    """NumPy's n-dimensional transform as its sequence of one-dimensional ones (used where
    ``axes`` repeats an axis: each repeat transforms again, with its own length from
    ``s``); ``s`` defaults to the input's lengths, -1 to the whole axis, as NumPy's."""
    shape = _static_shape(x, name)
    axes = list(axes)
    if s is None:
        s = [shape[a] for a in axes]
        if name == "irfftn":
            s[-1] = 2 * (shape[axes[-1]] - 1)
    s = [shape[a] if v == -1 else v for v, a in zip(s, axes)]
    if len(s) != len(axes):
        raise ValueError(f"fft.{name}: s {tuple(s)} and axes {tuple(axes)} must have the same "
                         "length")
    if name in ("fftn", "ifftn"):
        one = fft if name == "fftn" else ifft
        for n, a in zip(reversed(s), reversed(axes)):
            x = one(x, n, a, norm)
    elif name == "rfftn":
        x = rfft(x, s[-1], axes[-1], norm)
        for n, a in zip(reversed(s[:-1]), reversed(axes[:-1])):
            x = fft(x, n, a, norm)
    else:   # irfftn
        for n, a in zip(s[:-1], axes[:-1]):
            x = ifft(x, n, a, norm)
        x = irfft(x, s[-1], axes[-1], norm)
    return x


# -- complex transforms -----------------------------------------------------------------
def fft(x, /, n=None, axis=-1, norm="backward", out=None):
    """One-dimensional discrete Fourier transform along ``axis`` (padded/trimmed to ``n``).

    >>> import ndgrad as nd
    >>> nd.fft.fft(nd.asarray([1.0, 0.0, 0.0, 0.0]))
    array([1.+0.j, 1.+0.j, 1.+0.j, 1.+0.j])
    """
    x = _arrays(x)
    shape, ax, n, norm = _one_axis(x, n, axis, norm, "fft")
    res = _apply(_f.fft_op, (x,), {"n": n, "axis": ax, "norm": norm, "m": shape[ax],
                                "real_input": _real_input(x)})
    return _out(res, out, "fft")


def ifft(x, /, n=None, axis=-1, norm="backward", out=None):
    """One-dimensional inverse discrete Fourier transform along ``axis``.

    >>> import ndgrad as nd
    >>> nd.fft.ifft(nd.asarray([4.0, 0.0, 0.0, 0.0]))
    array([1.+0.j, 1.+0.j, 1.+0.j, 1.+0.j])
    """
    x = _arrays(x)
    shape, ax, n, norm = _one_axis(x, n, axis, norm, "ifft")
    res = _apply(_f.ifft_op, (x,), {"n": n, "axis": ax, "norm": norm, "m": shape[ax],
                                 "real_input": _real_input(x)})
    return _out(res, out, "ifft")


def fftn(x, /, s=None, axes=None, norm="backward", out=None):
    """n-dimensional discrete Fourier transform over ``axes`` (all by default).

    >>> import ndgrad as nd
    >>> nd.fft.fftn(nd.ones((2, 2)))
    array([[4.+0.j, 0.+0.j],
           [0.+0.j, 0.+0.j]])
    """
    x = _arrays(x)
    if _repeated(x, axes, "fftn"):
        return _out(_by_axis("fftn", x, s, axes, norm), out, "fftn")
    shape, eff, axes, s, norm = _n_axes(x, s, axes, norm, "fftn")
    res = _apply(_f.fftn_op, (x,), {"s": s, "axes": axes, "norm": norm, "eff_axes": eff,
                                 "in_shape": shape, "real_input": _real_input(x)})
    return _out(res, out, "fftn")


def ifftn(x, /, s=None, axes=None, norm="backward", out=None):
    """n-dimensional inverse discrete Fourier transform over ``axes`` (all by default).

    >>> import ndgrad as nd
    >>> nd.fft.ifftn(nd.asarray([[4.0, 0.0], [0.0, 0.0]]))
    array([[1.+0.j, 1.+0.j],
           [1.+0.j, 1.+0.j]])
    """
    x = _arrays(x)
    if _repeated(x, axes, "ifftn"):
        return _out(_by_axis("ifftn", x, s, axes, norm), out, "ifftn")
    shape, eff, axes, s, norm = _n_axes(x, s, axes, norm, "ifftn")
    res = _apply(_f.ifftn_op, (x,), {"s": s, "axes": axes, "norm": norm, "eff_axes": eff,
                                  "in_shape": shape, "real_input": _real_input(x)})
    return _out(res, out, "ifftn")


# -- real signals, half spectra -------------------------------------------------------
def rfft(x, /, n=None, axis=-1, norm="backward", out=None):
    """Discrete Fourier transform of a real signal: the ``n//2 + 1`` non-negative
    frequency terms.

    >>> import ndgrad as nd
    >>> nd.fft.rfft(nd.asarray([1.0, 2.0, 3.0, 4.0]))
    array([10.+0.j, -2.+2.j, -2.+0.j])
    """
    x = _arrays(x)
    shape, ax, n, norm = _one_axis(x, n, axis, norm, "rfft")
    res = _apply(_f.rfft_op, (x,), {"n": n, "axis": ax, "norm": norm, "m": shape[ax],
                                 "nn": n if n is not None else shape[ax]})
    return _out(res, out, "rfft")


def irfft(x, /, n=None, axis=-1, norm="backward", out=None):
    """Inverse of ``rfft``: a real signal of length ``n`` (default ``2 * (m - 1)``) from
    its half spectrum.

    >>> import ndgrad as nd
    >>> nd.fft.irfft(nd.asarray([10.0, -2 + 2j, -2.0]))
    array([1., 2., 3., 4.])
    """
    x = _arrays(x)
    shape, ax, n, norm = _one_axis(x, n, axis, norm, "irfft")
    nn = n if n is not None else 2 * (shape[ax] - 1)
    if nn < 1:
        raise ValueError(f"fft.irfft: invalid output length {nn} for an input of length "
                         f"{shape[ax]} along axis {axis} (pass n)")
    res = _apply(_f.irfft_op, (x,), {"n": n, "axis": ax, "norm": norm, "m": shape[ax],
                                  "nn": nn, "real_input": _real_input(x)})
    return _out(res, out, "irfft")


def rfftn(x, /, s=None, axes=None, norm="backward", out=None):
    """n-dimensional transform of a real signal (the last axis of ``axes`` halved).

    >>> import ndgrad as nd
    >>> nd.fft.rfftn(nd.ones((2, 4))).shape
    (2, 3)
    """
    x = _arrays(x)
    if _repeated(x, axes, "rfftn"):
        return _out(_by_axis("rfftn", x, s, axes, norm), out, "rfftn")
    shape, eff, axes, s, norm = _n_axes(x, s, axes, norm, "rfftn")
    res = _apply(_f.rfftn_op, (x,), {"s": s, "axes": axes, "norm": norm, "eff_axes": eff,
                                  "in_shape": shape,
                                  "n_last": _size(s, eff, eff[-1], shape)})
    return _out(res, out, "rfftn")


def irfftn(x, /, s=None, axes=None, norm="backward", out=None):
    """Inverse of ``rfftn``: a real signal from its n-dimensional half spectrum.

    >>> import ndgrad as nd
    >>> nd.fft.irfftn(nd.asarray([[4.0, 0.0], [0.0, 0.0]]))
    array([[1., 1.],
           [1., 1.]])
    """
    x = _arrays(x)
    if _repeated(x, axes, "irfftn"):
        return _out(_by_axis("irfftn", x, s, axes, norm), out, "irfftn")
    shape, eff, axes, s, norm = _n_axes(x, s, axes, norm, "irfftn")
    if s is None and 2 * (shape[eff[-1]] - 1) < 1:
        raise ValueError(f"fft.irfftn: invalid output length along axis {eff[-1]} for shape "
                         f"{shape} (pass s)")
    res = _apply(_f.irfftn_op, (x,), {"s": s, "axes": axes, "norm": norm, "eff_axes": eff,
                                   "in_shape": shape, "real_input": _real_input(x)})
    return _out(res, out, "irfftn")


def hfft(x, /, n=None, axis=-1, norm="backward", out=None):
    """Transform of a signal with Hermitian symmetry, given its half: a real spectrum of
    length ``n`` (default ``2 * (m - 1)``).

    >>> import ndgrad as nd
    >>> nd.fft.hfft(nd.asarray([1.0, 0.0, 0.0]))
    array([1., 1., 1., 1.])
    """
    x = _arrays(x)
    shape, ax, n, norm = _one_axis(x, n, axis, norm, "hfft")
    nn = n if n is not None else 2 * (shape[ax] - 1)
    if nn < 1:
        raise ValueError(f"fft.hfft: invalid output length {nn} for an input of length "
                         f"{shape[ax]} along axis {axis} (pass n)")
    res = _apply(_f.hfft_op, (x,), {"n": n, "axis": ax, "norm": norm, "m": shape[ax],
                                 "nn": nn, "real_input": _real_input(x)})
    return _out(res, out, "hfft")


def ihfft(x, /, n=None, axis=-1, norm="backward", out=None):
    """Inverse of ``hfft``: the half spectrum (``n//2 + 1`` terms) of a real signal.

    >>> import ndgrad as nd
    >>> nd.fft.ihfft(nd.asarray([1.0, 1.0, 1.0, 1.0]))
    array([1.-0.j, 0.-0.j, 0.-0.j])
    """
    x = _arrays(x)
    shape, ax, n, norm = _one_axis(x, n, axis, norm, "ihfft")
    res = _apply(_f.ihfft_op, (x,), {"n": n, "axis": ax, "norm": norm, "m": shape[ax],
                                  "nn": n if n is not None else shape[ax]})
    return _out(res, out, "ihfft")


# -- frequencies and shifts ------------------------------------------------------------
def _freq(op, n, d, dtype, device, name):
    given = n
    n = _length(n, name)
    if n is None:
        raise TypeError(f"fft.{name}: n must be an int, not None")
    if isinstance(given, _np.integer):
        # NumPy's 1 / (n * d) in n's own type: an int64 n beside a float32 d computes in
        # float64 (n as a Python int kept d's float32: 1.4285714626 for 1.4285714073)
        n = given
    dt = _dtypes.as_dtype(dtype) if dtype is not None else _dtypes.default_float
    if dt.kind != "f":
        raise ValueError(f"fft.{name}: dtype must be a real floating dtype, not {dt}")
    return _create(op, device, n=n, d=d, dtype=dt)


def fftfreq(n, /, d=1.0, *, dtype=None, device=None):
    """Sample frequencies of an ``n``-point transform with sample spacing ``d``.

    >>> import ndgrad as nd
    >>> nd.fft.fftfreq(4)
    array([ 0.  ,  0.25, -0.5 , -0.25])
    """
    return _freq(_f.fftfreq_op, n, d, dtype, device, "fftfreq")


def rfftfreq(n, /, d=1.0, *, dtype=None, device=None):
    """Sample frequencies of ``rfft``'s ``n//2 + 1`` terms (sample spacing ``d``).

    >>> import ndgrad as nd
    >>> nd.fft.rfftfreq(4)
    array([0.  , 0.25, 0.5 ])
    """
    return _freq(_f.rfftfreq_op, n, d, dtype, device, "rfftfreq")


def _shift_axes(x, axes):
    nd = len(x.shape)
    if axes is None:
        return None
    if isinstance(axes, int) or hasattr(axes, "__index__"):
        return _normalize_axis_index(axes, nd, "axes")
    return tuple(_normalize_axis_index(a, nd, "axes") for a in axes)


def fftshift(x, /, axes=None):
    """Move the zero-frequency term to the centre (over ``axes``, all by default).

    >>> import ndgrad as nd
    >>> nd.fft.fftshift(nd.fft.fftfreq(4))
    array([-0.5 , -0.25,  0.  ,  0.25])
    """
    x = _arrays(x)
    return _apply(_f.fftshift_op, (x,), {"axes": _shift_axes(x, axes)})


def ifftshift(x, /, axes=None):
    """Inverse of ``fftshift`` (they differ by one place for odd lengths).

    >>> import ndgrad as nd
    >>> nd.fft.ifftshift(nd.asarray([-0.5, -0.25, 0.0, 0.25]))
    array([ 0.  ,  0.25, -0.5 , -0.25])
    """
    x = _arrays(x)
    return _apply(_f.ifftshift_op, (x,), {"axes": _shift_axes(x, axes)})


# NumPy's two-dimensional names: the n-dimensional transforms over the last two axes
def _two_d(name, nd_fn):
    def f(a, s=None, axes=(-2, -1), norm=None, out=None):
        # (None is the default norm; "" is refused)
        return nd_fn(a, s=s, axes=axes, norm=norm, out=out)
    f.__name__ = f.__qualname__ = name
    f.__doc__ = (f"NumPy's ``fft.{name}``: ``{nd_fn.__name__}`` over ``axes`` (the last two "
                 f"by default); differentiable.\n\n    >>> import ndgrad as nd\n    >>> "
                 f"nd.fft.{name}(nd.ones((2, 2))).shape[0]\n    2\n")
    return f


fft2 = _two_d("fft2", fftn)
ifft2 = _two_d("ifft2", ifftn)
rfft2 = _two_d("rfft2", rfftn)
irfft2 = _two_d("irfft2", irfftn)


__all__ = ["fft", "ifft", "fftn", "ifftn", "rfft", "irfft", "rfftn", "irfftn", "hfft",
           "ihfft", "fftfreq", "rfftfreq", "fftshift", "ifftshift"]
__all__ += ["fft2", "ifft2", "rfft2", "irfft2"]

"""TF's ``spectral_ops`` and FFT kernels: ``tf.fft``, ``ifft``, ``fft2d``, ``ifft2d``,
``fft3d``, ``ifft3d`` over the innermost dimensions of a complex tensor, and ``rfft`` /
``irfft`` (1-D to 3-D) of real tensors with TF's ``fft_length``; the ``tf.spectral`` and
``tf.signal`` namespaces (with ``fftshift`` / ``ifftshift``). Each is ``nd.fft``'s op on
the tensor (its gradient rule included), with TF's dtype rules: the complex kernels take
only complex64 / complex128, the real ones only float32 / float64 (float32 gives
complex64, as in TF).

>>> import ndgrad.tf as tf
>>> with tf.Session() as s:
...     print(s.run(tf.spectral.rfft(tf.constant([1.0, 2.0, 3.0, 4.0]))))
[10.+0.j -2.+2.j -2.+0.j]
"""
from __future__ import annotations

import types

import numpy as np

from .. import fft as _fft
from .framework import convert_to_tensor
from .math_ops import _dt

__all__ = ["fft", "ifft", "fft2d", "ifft2d", "fft3d", "ifft3d"]


def _typed(x, kinds, what):
    t = convert_to_tensor(x)
    dt = _dt(t)
    if dt.kind not in kinds:
        allowed = "complex64, complex128" if kinds == "c" else "float32, float64"
        raise TypeError(f"Value passed to parameter 'input' of {what} has DataType "
                        f"{dt.name} not in list of allowed values: {allowed}")
    return t


def _lengths(fft_length, rank, what):
    """TF's ``fft_length``: ``rank`` ints, known when the graph is built."""
    if fft_length is None:
        return None
    from .tensor_util import constant_value
    v = constant_value(fft_length) if not isinstance(fft_length, (list, tuple, np.ndarray)) \
        else np.asarray(fft_length)
    if v is None:
        raise ValueError(f"{what}: fft_length must be known when the graph is built, got "
                         f"{fft_length!r}")
    v = [int(n) for n in np.asarray(v).reshape(-1)]
    if len(v) != rank:
        raise ValueError(f"{what}: fft_length must have {rank} element(s), got {v}")
    return tuple(v)


def _axes(rank):
    return tuple(range(-rank, 0))


def _example(call, printed):
    """A generated kernel's docstring example: ``call`` run in a Session, raveled."""
    return (f"\n\n    >>> import ndgrad.tf as tf\n    >>> with tf.Session() as s:\n"
            f"    ...     print(s.run({call}).ravel())\n    {printed}\n    ")


def _ones(rank, last, complex_=False):
    """The example's input: ones of shape [1, ..., last] (``rank`` dimensions)."""
    return (f"tf.ones([{', '.join(['1'] * (rank - 1) + [str(last)])}]"
            + (", tf.complex128)" if complex_ else ")"))


def _complex_kernel(rank, what, inverse):
    """TF's ``fft`` (``inverse``: ``ifft``, scaled by 1/n) of ``rank`` dimensions over a
    complex tensor's innermost ones: ``nd.fft``'s 1-d function or its n-d one."""
    f = (_fft.ifft, _fft.ifftn) if inverse else (_fft.fft, _fft.fftn)

    def kernel(input, name=None):  # noqa: A002
        x = _typed(input, "c", what)
        return f[0](x, axis=-1) if rank == 1 else f[1](x, axes=_axes(rank))
    kernel.__name__ = kernel.__qualname__ = what.lower()
    kernel.__doc__ = (
        f"The {'inverse ' if inverse else ''}{rank}-D discrete Fourier transform over the "
        f"{rank} innermost dimension(s) of a complex tensor"
        + (" (scaled by 1/n)." if inverse else ".")
        + _example(f"tf.{what.lower()}({_ones(rank, 4, True)})",
                   f"[{4 - 3 * inverse}.+0.j 0.+0.j 0.+0.j 0.+0.j]"))
    return kernel


fft, ifft = _complex_kernel(1, "FFT", False), _complex_kernel(1, "IFFT", True)
fft2d, ifft2d = _complex_kernel(2, "FFT2D", False), _complex_kernel(2, "IFFT2D", True)
fft3d, ifft3d = _complex_kernel(3, "FFT3D", False), _complex_kernel(3, "IFFT3D", True)


def _real_kernel(rank, what, inverse):
    """TF's ``rfft`` (``inverse`` False: real input) or ``irfft`` of ``rank`` dimensions:
    ``nd.fft``'s 1-d function for one dimension, its n-d one over the innermost ``rank``."""
    one, many, kinds = ((_fft.irfft, _fft.irfftn, "c") if inverse else
                        (_fft.rfft, _fft.rfftn, "f"))

    def kernel(input_tensor, fft_length=None, name=None):
        x = _typed(input_tensor, kinds, what)
        s = _lengths(fft_length, rank, what)
        if rank == 1:
            return one(x, n=None if s is None else s[0], axis=-1)
        return many(x, s=s, axes=_axes(rank))
    name = kernel.__name__ = kernel.__qualname__ = what.lower()
    call = (f"tf.signal.{name}({_ones(rank, 3, True)}, {[1] * (rank - 1) + [4]})"
            if inverse else f"tf.signal.{name}({_ones(rank, 4)})")
    kernel.__doc__ = (
        f"The inverse of ``rfft{'' if rank == 1 else f'{rank}d'}``: a real tensor from the "
        f"non-negative frequencies over the {rank} innermost dimension(s); ``fft_length``: "
        "the output lengths (default: the last one 2 * (n - 1))." if inverse else
        f"The {rank}-D DFT of a real tensor over its {rank} innermost dimension(s), the "
        "non-negative frequencies of the last; ``fft_length``: the transform's lengths "
        "(the input cropped or zero-padded to them).") + _example(
        call, "[1. 0. 0. 0.]" if inverse else "[4.+0.j 0.+0.j 0.+0.j]")
    return kernel


rfft, irfft = _real_kernel(1, "RFFT", False), _real_kernel(1, "IRFFT", True)
rfft2d, irfft2d = _real_kernel(2, "RFFT2D", False), _real_kernel(2, "IRFFT2D", True)
rfft3d, irfft3d = _real_kernel(3, "RFFT3D", False), _real_kernel(3, "IRFFT3D", True)


def fftshift(x, axes=None, name=None):
    """The zero frequency moved to the middle (over ``axes``, default all).

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     print(s.run(tf.signal.fftshift(tf.constant([0, 1, 2, -2, -1]))))
    [-2 -1  0  1  2]
    """
    return _fft.fftshift(convert_to_tensor(x), axes=axes)


def ifftshift(x, axes=None, name=None):
    """``fftshift``'s inverse.

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     print(s.run(tf.signal.ifftshift(tf.constant([-2, -1, 0, 1, 2]))))
    [ 0  1  2 -2 -1]
    """
    return _fft.ifftshift(convert_to_tensor(x), axes=axes)


_NAMES = {"fft": fft, "ifft": ifft, "fft2d": fft2d, "ifft2d": ifft2d, "fft3d": fft3d,
          "ifft3d": ifft3d, "rfft": rfft, "irfft": irfft, "rfft2d": rfft2d,
          "irfft2d": irfft2d, "rfft3d": rfft3d, "irfft3d": irfft3d}
spectral = types.ModuleType("ndgrad.tf.spectral", "tf.spectral: TF 1's FFTs.")
signal = types.ModuleType("ndgrad.tf.signal", "tf.signal: the FFTs and their shifts.")
for _n, _f in _NAMES.items():
    setattr(spectral, _n, _f)
    setattr(signal, _n, _f)
signal.fftshift, signal.ifftshift = fftshift, ifftshift
del _n, _f

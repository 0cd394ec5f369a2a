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

__all__ = ["fft", "ifft", "fft2d", "ifft2d", "fft3d", "ifft3d"]


def _typed(x, kinds, what):
    t = convert_to_tensor(x)
    dt = np.dtype(t.dtype.as_numpy_dtype if hasattr(t.dtype, "as_numpy_dtype") else t.dtype)
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


def fft(input, name=None):  # noqa: A002
    """The discrete Fourier transform over the innermost dimension of a complex tensor.

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     print(s.run(tf.fft(tf.constant([1.0, 0.0, 0.0, 0.0], tf.complex64))))
    [1.+0.j 1.+0.j 1.+0.j 1.+0.j]
    """
    return _fft.fft(_typed(input, "c", "FFT"), axis=-1)


def ifft(input, name=None):  # noqa: A002
    """The inverse DFT over the innermost dimension (scaled by 1/n).

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     print(s.run(tf.ifft(tf.constant([4.0, 0.0, 0.0, 0.0], tf.complex64))))
    [1.+0.j 1.+0.j 1.+0.j 1.+0.j]
    """
    return _fft.ifft(_typed(input, "c", "IFFT"), axis=-1)


def fft2d(input, name=None):  # noqa: A002
    """The 2-D DFT over the two innermost dimensions of a complex tensor.

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     print(s.run(tf.fft2d(tf.ones([2, 2], tf.complex128))))
    [[4.+0.j 0.+0.j]
     [0.+0.j 0.+0.j]]
    """
    return _fft.fftn(_typed(input, "c", "FFT2D"), axes=_axes(2))


def ifft2d(input, name=None):  # noqa: A002
    """The inverse 2-D DFT over the two innermost dimensions.

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     print(s.run(tf.ifft2d(tf.ones([2, 2], tf.complex128))))
    [[1.+0.j 0.+0.j]
     [0.+0.j 0.+0.j]]
    """
    return _fft.ifftn(_typed(input, "c", "IFFT2D"), axes=_axes(2))


def fft3d(input, name=None):  # noqa: A002
    """The 3-D DFT over the three innermost dimensions of a complex tensor.

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     print(s.run(tf.fft3d(tf.ones([1, 1, 2], tf.complex128))))
    [[[2.+0.j 0.+0.j]]]
    """
    return _fft.fftn(_typed(input, "c", "FFT3D"), axes=_axes(3))


def ifft3d(input, name=None):  # noqa: A002
    """The inverse 3-D DFT over the three innermost dimensions.

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     print(s.run(tf.ifft3d(tf.ones([1, 1, 2], tf.complex128))))
    [[[1.+0.j 0.+0.j]]]
    """
    return _fft.ifftn(_typed(input, "c", "IFFT3D"), axes=_axes(3))


# (what each generated kernel's docstring example prints)
_EXAMPLES = {(1, False): "[4.+0.j 0.+0.j 0.+0.j]", (2, False): "[4.+0.j 0.+0.j 0.+0.j]",
             (3, False): "[4.+0.j 0.+0.j 0.+0.j]", (1, True): "[1. 0. 0. 0.]",
             (2, True): "[1. 0. 0. 0.]", (3, True): "[1. 0. 0. 0.]"}


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
    kernel.__name__ = kernel.__qualname__ = what.lower()
    name = what.lower()
    call = (f"tf.signal.{name}(tf.ones([{', '.join(['1'] * (rank - 1) + ['3'])}], "
            "tf.complex128), " + str([1] * (rank - 1) + [4]) + ")") if inverse else \
        f"tf.signal.{name}(tf.ones([{', '.join(['1'] * (rank - 1) + ['4'])}]))"
    kernel.__doc__ = (
        f"The inverse of ``rfft{'' if rank == 1 else f'{rank}d'}``: a real tensor from the "
        f"non-negative frequencies over the {rank} innermost dimension(s); ``fft_length``: "
        "the output lengths (default: the last one 2 * (n - 1))." if inverse else
        f"The {rank}-D DFT of a real tensor over its {rank} innermost dimension(s), the "
        "non-negative frequencies of the last; ``fft_length``: the transform's lengths "
        "(the input cropped or zero-padded to them).") + (
        f"\n\n    >>> import ndgrad.tf as tf\n    >>> with tf.Session() as s:\n"
        f"    ...     print(s.run({call}).ravel())\n    {_EXAMPLES[(rank, inverse)]}\n    ")
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

"""Ops of the array API ``fft`` extension, each with its gradient rule beside it.

The public functions are in ``ndgrad/fft.py``. Every transform is linear over the reals,
so each rule is the transposed transform (JAX's convention for complex cotangents: the
cotangent ``c`` of ``z`` stands for ``dz -> real(c * dz)``; a real input gets the real
part). The DFT matrix is symmetric, so ``fft``'s transpose is ``fft`` itself (with the same
``norm``), followed by undoing the padding/trimming to ``n``. ``rfft``'s transpose pads the
half spectrum with zeros before an ``fft``; ``irfft``'s weighs the half spectrum by 1, 2,
..., 2, (1) for the terms it stands for twice, as JAX does.

``_run`` applies a transform on a raw backend array or on an ndgrad Array alike, so rules
written with it differentiate again; on backends that take only complex input for the
complex transforms and only real floating input for the real ones (array_api_strict) it
casts as NumPy would, never on NumPy itself (whose real-input paths give slightly
different bits).
"""
from __future__ import annotations

from .registry import defop, nondiff
from .._dtypes import as_dtype
from . import registry as _registry
from .._backend import numpy_backend

_NORMS = ("backward", "ortho", "forward")
_DUAL = {"backward": "forward", "forward": "backward", "ortho": "ortho"}
_COMPLEX_INPUT = ("fft", "ifft", "fftn", "ifftn", "irfft", "irfftn", "hfft")
_REAL_INPUT = ("rfft", "rfftn", "ihfft")


def _shape(a):
    """``a.shape`` as ints (graph tensors give Dimension objects; None where unknown)."""
    return tuple(getattr(d, "value", d) for d in a.shape)


def _to_complex(xp, a):
    if xp.isdtype(a.dtype, "complex floating"):
        return a
    # (float16 too, as NumPy's fft: complex64; complex128 on other backends before)
    d = as_dtype(a.dtype)
    single = d.kind == "f" and d.itemsize <= 4   # (integers: complex128, as NumPy's)
    return xp.astype(a, xp.complex64 if single else xp.complex128)


def _run(xp, name, a, **kw):
    """``xp.fft.<name>(a, **kw)``, for a raw backend array or an ndgrad Array."""
    if isinstance(a, _registry.Array):
        return getattr(xp.fft, name)(a, **kw)
    if xp is not numpy_backend.xp:
        if name in _COMPLEX_INPUT:
            a = _to_complex(xp, a)
        elif name in _REAL_INPUT and not xp.isdtype(a.dtype, "real floating"):
            a = xp.astype(a, xp.float64)  # integers, as NumPy takes them
    return getattr(xp.fft, name)(a, **kw)


def _is_complex(xp, a):
    return xp.isdtype(a.dtype, "complex floating")


def _real_if(xp, ct, real_input):
    return xp.real(ct) if real_input and _is_complex(xp, ct) else ct


def _device_kw(like):
    """``device=`` of ``like`` (graph tensors have none: "" -- then the default)."""
    dev = getattr(like, "device", None)
    return {"device": dev} if dev else {}


def _resize(xp, a, axis, m):
    """``a`` trimmed or zero-padded along ``axis`` (non-negative) to length ``m``."""
    size = _shape(a)[axis]
    if size == m:
        return a
    if size > m:
        return a[(slice(None),) * axis + (slice(0, m), Ellipsis)]
    shape = list(_shape(a))
    shape[axis] = m - size
    pad = xp.zeros(tuple(shape), dtype=a.dtype, **_device_kw(a))
    return xp.concat([a, pad], axis=axis)


def _resize_all(xp, a, axes, shape):
    for ax in axes:
        a = _resize(xp, a, ax, shape[ax])
    return a


def _half_weights(xp, like, axis, n):
    """Weights 1, 2, ..., 2, (1) along ``axis`` for a half spectrum of a length-``n`` signal:
    the terms that stand for a conjugate pair count twice."""
    k = n // 2 + 1
    w = [1.0] + [2.0] * (k - 2 + n % 2) + [1.0] * (1 - n % 2)
    w = w[:k]
    shape = [1] * like.ndim
    shape[axis] = k
    dt = like.dtype
    if _is_complex(xp, like):
        dt = xp.float32 if dt == xp.complex64 else xp.float64
    arr = xp.asarray(w, dtype=dt, **_device_kw(like))
    return xp.reshape(arr, tuple(shape))


# -- one-dimensional complex transforms -------------------------------------------------
def _c2c_vjp(name):
    def vjp(xp, g, ans, x, n, axis, norm, m, real_input):
        ct = _run(xp, name, g, axis=axis, norm=norm)
        return (_real_if(xp, _resize(xp, ct, axis, m), real_input),)
    return vjp


def _c2c_forward(name):
    def forward(xp, x, n, axis, norm, m, real_input):
        return _run(xp, name, x, n=n, axis=axis, norm=norm)
    return forward


fft_op = defop("fft.fft", _c2c_forward("fft"), _c2c_vjp("fft"), save="none")
ifft_op = defop("fft.ifft", _c2c_forward("ifft"), _c2c_vjp("ifft"), save="none")


def _c2cn_vjp(name):
    def vjp(xp, g, ans, x, s, axes, norm, eff_axes, in_shape, real_input):
        ct = _run(xp, name, g, axes=eff_axes, norm=norm)
        return (_real_if(xp, _resize_all(xp, ct, eff_axes, in_shape), real_input),)
    return vjp


def _c2cn_forward(name):
    def forward(xp, x, s, axes, norm, eff_axes, in_shape, real_input):
        return _run(xp, name, x, s=s, axes=axes, norm=norm)
    return forward


fftn_op = defop("fft.fftn", _c2cn_forward("fftn"), _c2cn_vjp("fftn"), save="none")
ifftn_op = defop("fft.ifftn", _c2cn_forward("ifftn"), _c2cn_vjp("ifftn"), save="none")


# -- real <-> half-spectrum transforms --------------------------------------------------
def _rfft_vjp(xp, g, ans, x, n, axis, norm, m, nn):
    # transpose of "resize to nn, fft, keep the first nn//2+1": zero-pad g, fft, resize
    ct = xp.real(_run(xp, "fft", g, n=nn, axis=axis, norm=norm))
    return (_resize(xp, ct, axis, m),)


rfft_op = defop("fft.rfft", lambda xp, x, n, axis, norm, m, nn: _run(
    xp, "rfft", x, n=n, axis=axis, norm=norm), _rfft_vjp, save="none")


_real_cotangent = _registry.real_cotangent


def _irfft_vjp(xp, g, ans, x, n, axis, norm, m, nn, real_input):
    h = _run(xp, "rfft", _real_cotangent(xp, g), axis=axis, norm=_DUAL[norm])
    ct = xp.conj(h * _half_weights(xp, h, axis, nn))
    return (_real_if(xp, _resize(xp, ct, axis, m), real_input),)


irfft_op = defop("fft.irfft", lambda xp, x, n, axis, norm, m, nn, real_input: _run(
    xp, "irfft", x, n=n, axis=axis, norm=norm), _irfft_vjp, save="none")


def _hfft_vjp(xp, g, ans, x, n, axis, norm, m, nn, real_input):
    # hfft(a) = irfft(conj(a)) with the dual norm
    h = _run(xp, "rfft", _real_cotangent(xp, g), axis=axis, norm=norm)
    ct = h * _half_weights(xp, h, axis, nn)
    return (_real_if(xp, _resize(xp, ct, axis, m), real_input),)


hfft_op = defop("fft.hfft", lambda xp, x, n, axis, norm, m, nn, real_input: _run(
    xp, "hfft", x, n=n, axis=axis, norm=norm), _hfft_vjp, save="none")


def _ihfft_vjp(xp, g, ans, x, n, axis, norm, m, nn):
    # ihfft(x) = conj(rfft(x)) with the dual norm
    ct = xp.real(_run(xp, "fft", xp.conj(g), n=nn, axis=axis, norm=_DUAL[norm]))
    return (_resize(xp, ct, axis, m),)


ihfft_op = defop("fft.ihfft", lambda xp, x, n, axis, norm, m, nn: _run(
    xp, "ihfft", x, n=n, axis=axis, norm=norm), _ihfft_vjp, save="none")


def _rfftn_vjp(xp, g, ans, x, s, axes, norm, eff_axes, in_shape, n_last):
    sizes = [_shape(g)[a] for a in eff_axes[:-1]] + [n_last]
    ct = xp.real(_run(xp, "fftn", g, s=sizes, axes=eff_axes, norm=norm))
    return (_resize_all(xp, ct, eff_axes, in_shape),)


rfftn_op = defop("fft.rfftn", lambda xp, x, s, axes, norm, eff_axes, in_shape, n_last: _run(
    xp, "rfftn", x, s=s, axes=axes, norm=norm), _rfftn_vjp, save="none")


def _irfftn_vjp(xp, g, ans, x, s, axes, norm, eff_axes, in_shape, real_input):
    last = eff_axes[-1]
    h = _run(xp, "rfftn", _real_cotangent(xp, g), axes=eff_axes, norm=_DUAL[norm])
    ct = xp.conj(h * _half_weights(xp, h, last, _shape(g)[last]))
    return (_real_if(xp, _resize_all(xp, ct, eff_axes, in_shape), real_input),)


irfftn_op = defop("fft.irfftn", lambda xp, x, s, axes, norm, eff_axes, in_shape, real_input:
                  _run(xp, "irfftn", x, s=s, axes=axes, norm=norm), _irfftn_vjp,
                  save="none")


# -- shifts, frequencies ------------------------------------------------------------------
fftshift_op = defop("fft.fftshift", lambda xp, x, axes: xp.fft.fftshift(x, axes=axes),
                    lambda xp, g, ans, x, axes: (xp.fft.ifftshift(g, axes=axes),),
                    save="none")
ifftshift_op = defop("fft.ifftshift", lambda xp, x, axes: xp.fft.ifftshift(x, axes=axes),
                     lambda xp, g, ans, x, axes: (xp.fft.fftshift(g, axes=axes),),
                     save="none")


def _freq_forward(name):
    def forward(xp, n, d, dtype, device):
        from .creation import _bdtype
        return getattr(xp.fft, name)(n, d=d, dtype=_bdtype(xp, dtype), device=device)
    return forward


_FREQ = "creation: no array inputs to differentiate"
fftfreq_op = defop("fft.fftfreq", _freq_forward("fftfreq"), None, **nondiff(_FREQ))
rfftfreq_op = defop("fft.rfftfreq", _freq_forward("rfftfreq"), None, **nondiff(_FREQ))

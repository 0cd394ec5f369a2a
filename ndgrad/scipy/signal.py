"""Differentiable ``scipy.signal``: ``convolve`` (n-d; modes full, valid, same) as one
registry op with its rule, and ``correlate`` built on it.

The rule: every mode is a slice of the full convolution, whose cotangents are
``convolve(g_full, flip(in2), "valid")`` and ``convolve(g_full, flip(in1), "valid")``
(``g_full``: the cotangent placed at the slice in zeros) -- the op itself, so it
differentiates again.
"""
from __future__ import annotations

import sys

from .._ops.registry import defop, apply
from .._ops.linalg_ext import _device_kw, _shape
from ._host import library_function, rule_namespace

OPS = {}
_MODES = ("full", "valid", "same")
_METHODS = ("auto", "direct", "fft")


def _ns(xp):
    return rule_namespace(xp, sys.modules[__name__], OPS)


def _slice_of_full(s1, s2, mode):
    """Per axis, (start, length) of the ``mode`` output inside the full convolution."""
    out = []
    for a, b in zip(s1, s2):
        full = a + b - 1
        if mode == "full":
            out.append((0, full))
        elif mode == "same":
            out.append(((full - a) // 2, a))
        else:
            out.append((min(a, b) - 1, abs(a - b) + 1))
    return out


def _convolve_forward(xp, in1, in2, mode, method):
    fn = library_function(xp, "signal", "convolve", "ndgrad.scipy.signal.convolve")
    return xp.asarray(fn(in1, in2, mode=mode, method=method))


def _embed(xp, g, spans, full_shape):
    """``g`` placed at ``spans`` inside zeros of ``full_shape`` (concat: standard only)."""
    for ax, ((start, length), full) in enumerate(zip(spans, full_shape)):
        before, after = start, full - start - length
        parts = []
        shape = list(_shape(g))
        if before:
            shape[ax] = before
            parts.append(xp.zeros(tuple(shape), dtype=g.dtype, **_device_kw(g)))
        parts.append(g)
        if after:
            shape[ax] = after
            parts.append(xp.zeros(tuple(shape), dtype=g.dtype, **_device_kw(g)))
        if len(parts) > 1:
            g = xp.concat(parts, axis=ax)
    return g


def _convolve_vjp(xp, g, ans, in1, in2, mode, method, _needs=None):
    s1, s2 = _shape(in1), _shape(in2)
    full_shape = tuple(a + b - 1 for a, b in zip(s1, s2))
    gf = _embed(xp, g, _slice_of_full(s1, s2, mode), full_shape)
    sig = _ns(xp)
    g1 = g2 = None
    if _needs is None or _needs[0]:
        g1 = sig._convolve(gf, xp.flip(in2), "valid", method)
    if _needs is None or _needs[1]:
        g2 = sig._convolve(gf, xp.flip(in1), "valid", method)
    return (g1, g2)


OPS["_convolve"] = defop("scipy.signal.convolve", _convolve_forward, _convolve_vjp)


def _convolve(in1, in2, mode, method):
    return apply(OPS["_convolve"], (in1, in2), {"mode": mode, "method": method})


def _arr(x):
    from .._ops._common import as_arrays  # (graph tensors pass through)
    return as_arrays(x)


def _check(in1, in2, mode, method, name):
    if mode not in _MODES:
        raise ValueError(f"ndgrad.scipy.signal.{name}: mode must be one of {_MODES}, got "
                         f"{mode!r}")
    if method not in _METHODS:
        raise ValueError(f"ndgrad.scipy.signal.{name}: method must be one of {_METHODS}, "
                         f"got {method!r}")
    if in1.ndim != in2.ndim:
        raise ValueError(f"ndgrad.scipy.signal.{name}: in1 of shape {tuple(in1.shape)} and "
                         f"in2 of shape {tuple(in2.shape)} must have the same number of "
                         "dimensions")
    s1, s2 = _shape(in1), _shape(in2)
    if None in s1 or None in s2:
        raise ValueError(f"ndgrad.scipy.signal.{name}: the shapes must be known (got "
                         f"{s1} and {s2})")
    if 0 in s1 or 0 in s2:
        raise ValueError(f"ndgrad.scipy.signal.{name}: empty input (shapes {s1} and {s2})")
    if mode == "valid":
        ge = all(a >= b for a, b in zip(s1, s2))
        le = all(a <= b for a, b in zip(s1, s2))
        if not (ge or le):
            raise ValueError(f"ndgrad.scipy.signal.{name}: for 'valid' mode one input must "
                             f"be at least as large as the other in every dimension; got "
                             f"{s1} and {s2}")


def convolve(in1, in2, mode="full", method="auto"):
    """The n-d convolution of ``in1`` and ``in2`` as SciPy's (``mode`` full, valid, same;
    ``method`` auto, direct, fft), differentiable in both inputs.

    >>> import ndgrad as nd
    >>> from ndgrad.scipy import signal
    >>> signal.convolve(nd.asarray([1.0, 2.0, 3.0]), nd.asarray([0.0, 1.0, 0.5]))
    array([0. , 1. , 2.5, 4. , 1.5])
    """
    in1, in2 = _arr(in1), _arr(in2)
    _check(in1, in2, mode, method, "convolve")
    return _convolve(in1, in2, mode, method)


def correlate(in1, in2, mode="full", method="auto"):
    """The n-d cross-correlation as SciPy's: the convolution with ``in2`` reversed (real
    inputs), differentiable in both.

    >>> import ndgrad as nd
    >>> from ndgrad.scipy import signal
    >>> signal.correlate(nd.asarray([1.0, 2.0, 3.0]), nd.asarray([0.0, 1.0, 0.5]))
    array([0.5, 2. , 3.5, 3. , 0. ])
    """
    import ndgrad as nd
    in1, in2 = _arr(in1), _arr(in2)
    _check(in1, in2, mode, method, "correlate")
    if in1.dtype.kind == "c" or in2.dtype.kind == "c":
        raise TypeError("ndgrad.scipy.signal.correlate: complex inputs are not supported")
    swapped = mode == "valid" and any(a < b for a, b in zip(_shape(in1), _shape(in2)))
    if swapped:  # SciPy correlates the larger with the smaller and reverses the result
        return nd.flip(_convolve(in2, nd.flip(in1), mode, method))
    return _convolve(in1, nd.flip(in2), mode, method)


__all__ = ["convolve", "correlate"]

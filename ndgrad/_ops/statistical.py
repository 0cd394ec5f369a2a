"""Statistical functions (reductions): sum, prod, mean, var, std, max, min, cumulative_*,
and NumPy-world's ``logsumexp``.

Gradient rules run on raw backend arrays (first order) or on ndgrad Arrays (higher
orders), so they use only names both namespaces have: standard functions, operators and
basic slicing (``_flip`` reverses an axis with a ``::-1`` slice, which both index alike).
"""
from __future__ import annotations

import math

import numpy as np

from . import registry as _registry
from .registry import defop, apply
from ._common import normalize_axis, normalize_axis_index, number_arg, restore_reduced
from .creation import _bdtype
from .. import _dtypes

_ndarray = np.ndarray
_add_reduce = np.add.reduce


# -- helpers shared by the rules ----------------------------------------------------------
def _as_array(x):
    """Array inputs stay; lists and scalars become arrays (as NumPy's functions allow)."""
    if hasattr(x, "shape"):
        return x
    from .creation import asarray
    return asarray(x)


def _axis_param(axis, axes):
    # the backend gets None for "all axes" (a 0-d array accepts it), a tuple otherwise
    return None if axis is None else axes


def _count(shape, axes):
    return math.prod(shape[a] for a in axes)


def _axis_key(ax, sl):
    """An index selecting slice ``sl`` along axis ``ax`` (all of every other axis)."""
    return (slice(None),) * ax + (sl, Ellipsis)


def _flip(x, ax):
    return x[_axis_key(ax, slice(None, None, -1))]


def _reverse_cumsum(xp, v, ax):
    """out[i] = sum(v[i:]) along ``ax``: the transpose of a cumulative sum."""
    return _flip(xp.cumulative_sum(_flip(v, ax), axis=ax), ax)


def _cast_like(xp, g, x):
    # a ``dtype=`` argument can make the result wider than x: its gradient is x's dtype
    return g if g.dtype == x.dtype else xp.astype(g, x.dtype)


def _cast_to(xp, g, dtype):
    """Cast a cotangent to an ndgrad dtype (given as a NumPy dtype) on namespace xp."""
    if dtype is None:
        return g
    return xp.astype(g, _bdtype(xp, dtype))


def _reduce_setup(x, axis):
    x = _as_array(x)
    shape = tuple(x.shape)
    axes = normalize_axis(axis, len(shape))
    return x, shape, axes


# -- sum -------------------------------------------------------------------------------------
def _sum_forward(xp, x, axis, dtype, keepdims, shape, axes, in_dtype):
    if type(x) is _ndarray:  # the eager hot path: NumPy's own reduction, no wrappers
        return _add_reduce(x, axis=axis, dtype=dtype, keepdims=keepdims)
    return xp.sum(x, axis=axis, dtype=_bdtype(xp, dtype), keepdims=keepdims)


def _spread(xp, g, shape):
    """``g`` broadcast to ``shape`` (a read-only view). One element on NumPy (a full
    reduction's cotangent, the common case): a zero-stride view made directly, without
    ``numpy.broadcast_to``'s Python-level machinery (a quarter of its cost)."""
    if type(g) is _ndarray and g.size == 1 and g.shape != shape:
        v = _ndarray(shape, g.dtype, g, 0, (0,) * len(shape))
        v.flags.writeable = False
        return v
    return xp.broadcast_to(g, shape)


def _sum_vjp(xp, g, ans, x, axis, dtype, keepdims, shape, axes, in_dtype):
    if in_dtype is None and type(g) is _ndarray and g.size == 1 and g.shape != shape:
        # one element (a full sum's cotangent): its value everywhere, whatever the axes
        return (_spread(xp, g, shape),)
    g = restore_reduced(xp, g, shape, axes, keepdims)
    return (_cast_to(xp, _spread(xp, g, shape), in_dtype),)


_sum_op = defop("sum", _sum_forward, _sum_vjp, save="none")


def _dtype_change(x, dtype):
    """x's dtype when ``dtype=`` asks for another one (the gradient casts back), else None."""
    if dtype is None or dtype == x.dtype:
        return None
    return x.dtype


def sum(x, /, *, axis=None, dtype=None, keepdims=False):  # noqa: A001
    """Sum over ``axis`` (all axes by default).

    >>> import ndgrad as nd
    >>> nd.sum(nd.ones((2, 2)), axis=1)
    array([2., 2.])
    """
    if type(x) is _registry.Array and type(x._data) is _ndarray:
        shape = x._data.shape   # (the property's call less)
    else:
        if not hasattr(x, "shape"):
            x = _as_array(x)
        shape = x.shape
    if axis is None:
        axes = tuple(range(len(shape)))
    else:
        axes = axis = normalize_axis(axis, len(shape))
    in_dtype = None
    if dtype is not None:
        dtype = _dtypes.as_dtype(dtype)
        in_dtype = _dtype_change(x, dtype)
    return apply(_sum_op, (x,), {"axis": axis, "dtype": dtype, "keepdims": keepdims,
                                 "shape": shape, "axes": axes, "in_dtype": in_dtype})


# -- prod ------------------------------------------------------------------------------------
def _exclusive_prod(xp, y, ax):
    """out[i] = product of y[j] for j != i along ``ax`` — no division, so exact with zeros
    (TensorFlow's ``cumprod(exclusive=True)`` times its reverse). The running products
    with their initial 1 have one element more: all but the last are kept (a slice that
    needs no length, which a graph tensor may not know)."""
    head = _axis_key(ax, slice(0, -1))
    left = xp.cumulative_prod(y, axis=ax, include_initial=True)[head]
    right = xp.cumulative_prod(_flip(y, ax), axis=ax, include_initial=True)[head]
    return left * _flip(right, ax)


def _prod_forward(xp, x, axis, dtype, keepdims, shape, axes):
    return xp.prod(x, axis=axis, dtype=_bdtype(xp, dtype), keepdims=keepdims)


def _prod_vjp(xp, g, ans, x, axis, dtype, keepdims, shape, axes):
    # d prod / d x_i is the product of the others. Over several axes it factors as the
    # product, axis by axis, of "all but my index along this axis" of x already reduced
    # over the later axes; each factor is two cumulative products, so zeros are exact.
    g = restore_reduced(xp, g, shape, axes, keepdims)
    if not axes:
        return (_cast_like(xp, g, x),)
    if len(axes) == len(shape) and len(shape) > 1:
        others = xp.reshape(_exclusive_prod(xp, xp.reshape(x, (-1,)), 0), shape)
    else:
        others = None
        part = x
        for a in reversed(axes):
            e = _exclusive_prod(xp, part, a)
            others = e if others is None else others * e
            part = xp.prod(part, axis=a, keepdims=True)
    return (_cast_like(xp, g * others, x),)


_prod_op = defop("prod", _prod_forward, _prod_vjp, save="inputs")


def prod(x, /, *, axis=None, dtype=None, keepdims=False):
    """Product over ``axis`` (all axes by default).

    The gradient is the product of the other elements, exact when the slice holds zeros.

    >>> import ndgrad as nd
    >>> nd.prod(nd.asarray([[1., 2.], [3., 4.]]), axis=0)
    array([3., 8.])
    """
    x, shape, axes = _reduce_setup(x, axis)
    return apply(_prod_op, (x,), {"axis": _axis_param(axis, axes),
                                  "dtype": _dtypes.as_dtype(dtype), "keepdims": keepdims,
                                  "shape": shape, "axes": axes})


# -- mean, var, std ------------------------------------------------------------------------
def _mean_forward(xp, x, axis, keepdims, shape, axes):
    return xp.mean(x, axis=axis, keepdims=keepdims)


def _mean_vjp(xp, g, ans, x, axis, keepdims, shape, axes):
    g = restore_reduced(xp, g, shape, axes, keepdims)
    n = _count(shape, axes)
    return (_spread(xp, g / n if n else g * math.nan, shape),)


_mean_op = defop("mean", _mean_forward, _mean_vjp, save="none")


def mean(x, /, *, axis=None, keepdims=False):
    """Arithmetic mean over ``axis`` (all axes by default).

    >>> import ndgrad as nd
    >>> nd.mean(nd.asarray([[1., 2.], [3., 4.]]), axis=1)
    array([1.5, 3.5])
    """
    x, shape, axes = _reduce_setup(x, axis)
    return apply(_mean_op, (x,), {"axis": _axis_param(axis, axes), "keepdims": keepdims,
                                  "shape": shape, "axes": axes})


def _centered(xp, x, axes):
    return x - xp.mean(x, axis=axes, keepdims=True)


def _dof(shape, axes, correction):
    d = _count(shape, axes) - correction
    return d if d > 0 else math.nan


def _var_forward(xp, x, axis, correction, keepdims, shape, axes):
    return xp.var(x, axis=axis, correction=correction, keepdims=keepdims)


def _centered_conj(xp, x, axes):
    # var and std of complex x are real: d|c|^2 = 2 Re(conj(c) dc), so the cotangent
    # carries conj(c) (JAX's convention)
    c = _centered(xp, x, axes)
    return xp.conj(c) if xp.isdtype(c.dtype, "complex floating") else c


_real_cotangent = _registry.real_cotangent


def _var_vjp(xp, g, ans, x, axis, correction, keepdims, shape, axes):
    g = restore_reduced(xp, _real_cotangent(xp, g), shape, axes, keepdims)
    return (g * _centered_conj(xp, x, axes) * (2.0 / _dof(shape, axes, correction)),)


def _std_forward(xp, x, axis, correction, keepdims, shape, axes):
    return xp.std(x, axis=axis, correction=correction, keepdims=keepdims)


def _std_vjp(xp, g, ans, x, axis, correction, keepdims, shape, axes):
    # One element per slice (and a positive N - correction): the std is the constant 0,
    # so its derivative is 0 to every order. A constant slice of more elements is a
    # cone point of the std (a 2-norm of the centered values at 0), not differentiable:
    # there the gradient is 0, the minimum-norm subgradient -- PyTorch's std_backward,
    # and the 2-norms' own rule (vector_norm, linalg.norm) -- not the 0 / 0 of the
    # formula (JAX gives that nan).
    if _count(shape, axes) == 1 and correction < 1:
        return (xp.zeros_like(x),)
    g = restore_reduced(xp, _real_cotangent(xp, g), shape, axes, keepdims)
    ans = restore_reduced(xp, ans, shape, axes, keepdims)
    zero = ans == 0
    safe = xp.where(zero, xp.ones_like(ans), ans)
    return (xp.where(zero, 0.0, g / (safe * _dof(shape, axes, correction)))
            * _centered_conj(xp, x, axes),)


_var_op = defop("var", _var_forward, _var_vjp, save="inputs")
_std_op = defop("std", _std_forward, _std_vjp, save="both")


def _moment_params(x, axis, correction, keepdims):
    x, shape, axes = _reduce_setup(x, axis)
    correction = number_arg(correction)   # (np.int64(1) was refused)
    if isinstance(correction, (bool, np.bool_)) or not isinstance(correction, (int, float)):
        raise TypeError(f"correction must be an int or a float, not {correction!r}")
    return x, {"axis": _axis_param(axis, axes), "correction": correction,
               "keepdims": keepdims, "shape": shape, "axes": axes}


def var(x, /, *, axis=None, correction=0.0, keepdims=False):
    """Variance over ``axis``, dividing by ``N - correction`` (``correction=1``: sample).

    >>> import ndgrad as nd
    >>> nd.var(nd.asarray([1., 2., 3., 4.]), correction=1)
    np.float64(1.6666666666666667)
    """
    x, params = _moment_params(x, axis, correction, keepdims)
    return apply(_var_op, (x,), params)


def std(x, /, *, axis=None, correction=0.0, keepdims=False):
    """Standard deviation over ``axis``, dividing by ``N - correction``.

    >>> import ndgrad as nd
    >>> nd.std(nd.asarray([1., 3.]))
    np.float64(1.0)
    """
    x, params = _moment_params(x, axis, correction, keepdims)
    return apply(_std_op, (x,), params)


# -- max, min --------------------------------------------------------------------------------
def _extremum_vjp(xp, g, ans, x, axis, keepdims, shape, axes):
    # the gradient goes to the elements equal to the extremum, split evenly between
    # ties (JAX's convention)
    g = restore_reduced(xp, g, shape, axes, keepdims)
    ans = restore_reduced(xp, ans, shape, axes, keepdims)
    if type(x) is _ndarray and type(g) is _ndarray and type(ans) is _ndarray:
        # NumPy: the same arithmetic without the namespace's wrappers (the tie count
        # summed in x's dtype, as below; a boolean factor multiplies as 0.0 / 1.0)
        hit = np.equal(x, ans)
        return (np.multiply(hit, g / _add_reduce(hit, axis=axes, keepdims=True,
                                                 dtype=x.dtype)),)
    hit = xp.astype(x == ans, x.dtype)
    return (hit * (g / xp.sum(hit, axis=axes, keepdims=True)),)


def _extremum_forward(name, npfn):
    def forward(xp, x, axis, keepdims, shape, axes):
        if type(x) is _ndarray:  # eager NumPy: the ufunc reduction itself
            return npfn(x, axis=axis, keepdims=keepdims)
        return getattr(xp, name)(x, axis=axis, keepdims=keepdims)
    return forward


_max_op = defop("max", _extremum_forward("max", np.maximum.reduce), _extremum_vjp,
                save="both")
_min_op = defop("min", _extremum_forward("min", np.minimum.reduce), _extremum_vjp,
                save="both")


def max(x, /, *, axis=None, keepdims=False):  # noqa: A001
    """Largest element over ``axis``; the gradient splits evenly between tied maxima.

    >>> import ndgrad as nd
    >>> nd.max(nd.asarray([[1., 5.], [7., 3.]]), axis=0)
    array([7., 5.])
    """
    x, shape, axes = _reduce_setup(x, axis)
    return apply(_max_op, (x,), {"axis": _axis_param(axis, axes), "keepdims": keepdims,
                                 "shape": shape, "axes": axes})


def min(x, /, *, axis=None, keepdims=False):  # noqa: A001
    """Smallest element over ``axis``; the gradient splits evenly between tied minima.

    >>> import ndgrad as nd
    >>> nd.min(nd.asarray([[1., 5.], [7., 3.]]), axis=1)
    array([1., 3.])
    """
    x, shape, axes = _reduce_setup(x, axis)
    return apply(_min_op, (x,), {"axis": _axis_param(axis, axes), "keepdims": keepdims,
                                 "shape": shape, "axes": axes})


# -- cumulative sum and product -------------------------------------------------------------
def _initial_dropped(g, ax, include_initial):
    return g[_axis_key(ax, slice(1, None))] if include_initial else g


def _cumsum_forward(xp, x, axis, dtype, include_initial, in_dtype):
    return xp.cumulative_sum(x, axis=axis, dtype=_bdtype(xp, dtype),
                             include_initial=include_initial)


def _cumsum_vjp(xp, g, ans, x, axis, dtype, include_initial, in_dtype):
    g = _initial_dropped(g, axis, include_initial)
    return (_cast_to(xp, _reverse_cumsum(xp, g, axis), in_dtype),)


_cumsum_op = defop("cumulative_sum", _cumsum_forward, _cumsum_vjp, save="none")


def _cumprod_forward(xp, x, axis, dtype, include_initial):
    return xp.cumulative_prod(x, axis=axis, dtype=_bdtype(xp, dtype),
                              include_initial=include_initial)


def _is_lazy(x):
    # a Dask array: whether it holds a zero is not known without computing it, so the
    # recorded rule takes the exact formula (right everywhere) instead of asking
    return type(x._data) is not np.ndarray and type(x._data).__module__.startswith("dask.")


def _cumprod_vjp(xp, g, ans, x, axis, dtype, include_initial):
    # d out_k / d x_i = out_k / x_i (k >= i) while no zero precedes: sum_k g_k out_k / x_i.
    # Exact at zeros too (first order): up to the first zero p use that; at p the same
    # sum with x_p taken as 1; past p every term holds x_p = 0 (for a tiny nonzero x_p
    # those terms are dropped: an absolute error below |x_p| times the other factors).
    ax = axis
    g = _initial_dropped(g, ax, include_initial)
    ans = _initial_dropped(ans, ax, include_initial)
    # "zero": 0 or so small that dividing by it overflows or the products holding it lose
    # their precision (|x| < sqrt(tiny)); there the division-free formulas are used
    zero = (x == 0) | (xp.abs(x) < _tiny_sqrt(x.dtype))
    if isinstance(x, _registry.Array) and (_is_lazy(x) or bool(_registry_any(zero))):
        # this rule is being recorded (a gradient of a gradient, or jvp's transpose) and
        # the formula below divides by x: use the exact one, built from differentiable ops
        return (_cast_like(xp, _cumprod_grad_exact(xp, g, x, ax), x),)
    zeros_so_far = xp.cumulative_sum(xp.astype(zero, x.dtype), axis=ax)
    before = zeros_so_far == 0
    first = zero & (zeros_so_far == 1)
    upto = _reverse_cumsum(xp, g * ans, ax) / xp.where(before, x, 1.0)
    at = _reverse_cumsum(xp, g * xp.cumulative_prod(xp.where(first, 1.0, x), axis=ax), ax)
    grad = xp.where(before, upto, xp.where(first, at, 0.0))
    return (_cast_like(xp, grad, x),)


# sqrt of the smallest normal number of each floating dtype (complex: of its parts)
_TINY_SQRT = {"float64": 1.5e-154, "float32": 1.1e-19, "float16": 7.8e-3,
              "complex128": 1.5e-154, "complex64": 1.1e-19}


def _tiny_sqrt(dtype):
    return _TINY_SQRT.get(str(dtype).rsplit(".", 1)[-1], 0.0)


def _cumprod_grad_exact(xp, g, x, ax):
    """sum_{k >= i} g_k prod_{j <= k, j != i} x_j along ``ax``, with no division: row i of
    an (n, *x.shape) stack holds x with x_i replaced by 1, whose cumulative product gives
    every d out_k / d x_i at once. O(n^2) memory; used only when recording at zeros."""
    n = x.shape[ax]
    lead = (n,) + (1,) * ax
    trail = (1,) * (x.ndim - ax - 1)
    eye = xp.reshape(xp.eye(n, dtype=x.dtype, device=x.device) == 1, lead + (n,) + trail)
    later = xp.reshape(xp.triu(xp.ones((n, n), dtype=x.dtype, device=x.device)) == 1,
                       lead + (n,) + trail)
    parts = xp.cumulative_prod(xp.where(eye, 1.0, xp.expand_dims(x, axis=0)), axis=ax + 1)
    terms = xp.where(later, xp.expand_dims(g, axis=0) * parts, 0.0)
    return xp.moveaxis(xp.sum(terms, axis=ax + 1), 0, ax)


def _registry_any(mask):
    from .utility import any as _any
    return _any(mask)


_cumprod_op = defop("cumulative_prod", _cumprod_forward, _cumprod_vjp, save="both")


def _cumulative_setup(name, x, axis):
    x = _as_array(x)
    if x.ndim == 0:
        # NumPy treats a 0-d input as one element along a new axis
        from .manipulation import reshape
        x = reshape(x, (1,))
    if axis is None:
        if x.ndim > 1:
            raise ValueError(f"{name} of a {x.ndim}-D array (shape {tuple(x.shape)}) needs "
                             "an axis")
        axis = 0
    return x, normalize_axis_index(axis, x.ndim)


def cumulative_sum(x, /, *, axis=None, dtype=None, include_initial=False):
    """Running sums along ``axis`` (optional for 1-D input); ``include_initial`` starts
    with 0.

    >>> import ndgrad as nd
    >>> nd.cumulative_sum(nd.asarray([1., 2., 3.]), include_initial=True)
    array([0., 1., 3., 6.])
    """
    x, ax = _cumulative_setup("cumulative_sum", x, axis)
    dtype = _dtypes.as_dtype(dtype)
    return apply(_cumsum_op, (x,), {"axis": ax, "dtype": dtype,
                                    "include_initial": include_initial,
                                    "in_dtype": _dtype_change(x, dtype)})


def cumulative_prod(x, /, *, axis=None, dtype=None, include_initial=False):
    """Running products along ``axis`` (optional for 1-D input); ``include_initial``
    starts with 1. The gradient is exact with zeros to first order.

    >>> import ndgrad as nd
    >>> nd.cumulative_prod(nd.asarray([1., 2., 3.]))
    array([1., 2., 6.])
    """
    x, ax = _cumulative_setup("cumulative_prod", x, axis)
    return apply(_cumprod_op, (x,), {"axis": ax, "dtype": _dtypes.as_dtype(dtype),
                                     "include_initial": include_initial})


# -- logsumexp (NumPy world: scipy.special.logsumexp) ----------------------------------------
def _logsumexp_forward(xp, x, axis, keepdims, shape, axes):
    xshape = tuple(x.shape)  # (not ``shape``: graph mode runs this on stand-in arrays)
    if _count(xshape, axes) == 0:
        return xp.log(xp.sum(xp.exp(x), axis=axis, keepdims=keepdims))
    m = xp.max(x, axis=axis, keepdims=True)
    m = xp.where(xp.isfinite(m), m, 0.0)  # all -inf (or an inf) must not give inf - inf
    out = xp.log(xp.sum(xp.exp(x - m), axis=axis, keepdims=True)) + m
    if not keepdims:
        out = xp.reshape(out, tuple(s for i, s in enumerate(xshape) if i not in axes))
    return out


def _logsumexp_vjp(xp, g, ans, x, axis, keepdims, shape, axes):
    g = restore_reduced(xp, g, shape, axes, keepdims)
    ans = restore_reduced(xp, ans, shape, axes, keepdims)
    return (g * xp.exp(x - ans),)


_logsumexp_op = defop("logsumexp", _logsumexp_forward, _logsumexp_vjp, save="both")


def logsumexp(x, /, *, axis=None, keepdims=False):
    """``log(sum(exp(x)))`` over ``axis``, computed without overflow (shifted by the max).

    The gradient is the softmax of ``x`` along ``axis``.

    >>> import ndgrad as nd
    >>> nd.logsumexp(nd.asarray([1000., 1000.]))
    np.float64(1000.6931471805599)
    """
    x, shape, axes = _reduce_setup(x, axis)
    if x.dtype.kind in "biu":
        from .dtype_functions import astype
        x = astype(x, _dtypes.default_float)
    return apply(_logsumexp_op, (x,), {"axis": _axis_param(axis, axes),
                                       "keepdims": keepdims, "shape": shape, "axes": axes})


__all__ = ['sum', 'prod', 'mean', 'var', 'std', 'max', 'min', 'cumulative_sum',
           'cumulative_prod', 'logsumexp']

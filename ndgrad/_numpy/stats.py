"""NumPy's statistics: reductions with NumPy's signatures (positional ``axis``, ``out``,
``ddof``, ``where``, ``initial``), ``median``/``percentile``/``quantile``, ``average``,
the ``nan*`` family, ``ptp``, ``cov``/``corrcoef``, and the counting functions
(``histogram``, ``bincount``, ``digitize``).

Order statistics are differentiable: they sort (a gather with NumPy's indices) and
interpolate, so the gradient flows to the elements that were picked.
"""
from __future__ import annotations

import builtins
import warnings

import numpy as np

from .. import _dtypes
from .._ops import registry as _registry
from .._ops._common import normalize_axis, normalize_axis_index
from ._core import write_out as _out
from ._core import numpy_into_out, cumulative
from ._core import host_values
from ._core import numpy_data
from ._core import (std, arr, arrs, copy_of, is_array, is_symbolic, to_numpy, host, nodiff_guard,
                    wrap_result, plain_numpy, host_result, ufunc_out_check,
                    take_out_check, make_host_op)

__all__ = ["sum", "prod", "product", "mean", "std", "var", "max", "min", "amax", "amin",
           "argmax", "argmin", "ptp", "median", "percentile", "quantile", "average",
           "nansum", "nanprod", "nanmean", "nanstd", "nanvar", "nanmax", "nanmin",
           "nanargmax", "nanargmin", "nanmedian", "nanpercentile", "nanquantile", "cov",
           "corrcoef", "histogram", "histogram2d", "histogramdd", "histogram_bin_edges",
           "bincount", "digitize", "count_nonzero", "any", "all", "cumulative_sum"]

_sum_builtin = builtins.sum


def _axis(axis):
    if isinstance(axis, list):
        return tuple(axis)
    if isinstance(axis, np.integer):
        return int(axis)
    return axis


def _reduction_axis(axis):
    """``axis`` of a ufunc-style reduction (sum, mean, max, any ...): NumPy's TypeError
    for a bool (an int to Python, not an axis to NumPy's reductions), else ``_axis``."""
    if type(axis) is bool or (isinstance(axis, (tuple, list))
                              and builtins.any(type(a) is bool for a in axis)):
        raise TypeError(f"an integer is required (axis={axis!r})")
    return _axis(axis)


def _ufunc_axis(a, axis):
    """``axis`` for a ufunc-style reduction (sum, max, any, argmax ...): NumPy reduces a
    0-d array over axis 0 or -1 (the whole array); other axes are NumPy's AxisError."""
    axis = _reduction_axis(axis)
    if axis is None or getattr(a, "ndim", 1) != 0:
        return axis
    for ax in (axis if isinstance(axis, tuple) else (axis,)):
        if ax not in (0, -1):
            raise np.exceptions.AxisError(f"axis {ax} is out of bounds for array of "
                                          "dimension 0")
    return None


def _masked(a, where, fill):
    if where is None or where is True:
        return a
    return std("where")(arr(where), a, fill)


def _masked_numpy_value(name, a, axis, dtype, keepdims, initial, where):
    """NumPy's own ``sum``/``prod`` under a ``where=`` mask (its masked loop adds in
    another order than the pairwise sum of the zero-filled array), or None (no mask, or
    not all NumPy data)."""
    if where is None or where is True or not numpy_data(a, where):
        return None
    kw = {} if initial is None else {"initial": to_numpy(initial) if is_array(initial)
                                     else initial}
    return host_result(getattr(np, name)(to_numpy(a), axis=_ufunc_axis(a, axis),
                                         dtype=dtype, keepdims=keepdims,
                                         where=to_numpy(where) if is_array(where)
                                         else where, **kw), like=a)


def _with_value(value, r):
    """``r`` (recorded) carrying NumPy's ``value`` where there is one."""
    if value is None:
        return r
    from .aliases import _exact
    return _exact(value, r)


def _numpy_out(name, a, out, again, **kw):
    """``numpy_into_out`` of the one array ``a``: NumPy computes a reduction with ``out=``
    in out's dtype -- it accumulates in the dtype promoted with out's
    (``np.sum(float32_x, out=float64_o)`` adds in float64), and mean/var/std cast the sum
    into ``out`` and divide (and take the root) there; casting the result computed without
    ``out=`` gave other last bits, and for an integer ``out`` other values where the sum
    overflows it (``np.mean([40000, 40000], out=int16_o)`` is NumPy's 7232: the sum wraps
    to 14464 in ``out``, then is halved; the cast mean was -25536).

    >>> import numpy, ndgrad as nd
    >>> o = nd.zeros((), nd.float64)
    >>> _ = nd.sum(nd.asarray([0.1, 0.2, 0.3], nd.float32), out=o)
    >>> bool(o == numpy.sum(numpy.float32([0.1, 0.2, 0.3]), dtype=numpy.float64))
    True
    """
    return numpy_into_out(name, (arr(a),), out, again, **kw)


def _sum_or_prod(name, a, axis, dtype, out, keepdims, initial, where):
    """NumPy's sum/prod (``name``) with its ``initial=`` and ``where=`` (the masked
    entries count as 0 / 1; the value NumPy's masked loop's)."""
    a = arr(a)
    if out is not None:
        done = _numpy_out(name, a, out, lambda: _sum_or_prod(
            name, a, axis, dtype, None, keepdims, initial, where), axis=_ufunc_axis(a, axis),
            dtype=dtype, keepdims=keepdims, initial=initial, where=where)
        if done is not None:
            return done
    value = None
    if where is not None and where is not True:
        value = _masked_numpy_value(name, a, axis, dtype, keepdims, initial, where)
        if value is not None and plain_numpy(a, where):
            return _out(value, out, reduction=True)
    if value is None and initial is not None and plain_numpy(a, initial):
        # NumPy's own: ``initial`` cast to the reduction's dtype, not promoting it (a
        # NumPy float64 initial made a float32 sum float64), a NumPy scalar for 0-d
        return _out(host_result(getattr(np, name)(
            to_numpy(a), axis=_ufunc_axis(a, axis), dtype=dtype, keepdims=keepdims,
            initial=to_numpy(initial) if is_array(initial) else initial), like=a), out,
            reduction=True)
    a = _masked(a, where, 0 if name == "sum" else 1)
    r = std(name)(a, axis=_ufunc_axis(a, axis), dtype=dtype, keepdims=keepdims)
    if initial is not None:
        # (in the reduction's dtype, as NumPy casts it)
        init = arr(initial, r.dtype, like=None if is_symbolic(r) else r)
        r = r + init if name == "sum" else r * init
    return _out(_with_value(value, r), out, reduction=True)


def sum(a, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=None):  # noqa
    """Sum of elements over ``axis`` (NumPy's signature: ``np.sum(x, 0)`` works).

    >>> import ndgrad as np
    >>> np.sum([[1, 2], [3, 4]], 0)
    array([4, 6])
    """
    return _sum_or_prod("sum", a, axis, dtype, out, keepdims, initial, where)


def prod(a, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=None):
    """Product of elements over ``axis``.

    >>> import ndgrad as np
    >>> np.prod([1, 2, 3])
    np.int64(6)
    """
    return _sum_or_prod("prod", a, axis, dtype, out, keepdims, initial, where)


product = prod


def _float_dtype(a, dtype):
    if dtype is not None:
        return _dtypes.as_dtype(dtype)
    if a.dtype.kind in "fc":
        return None
    return _dtypes.float64


def mean(a, axis=None, dtype=None, out=None, keepdims=False, *, where=None):
    """Arithmetic mean over ``axis`` (float64 for integer input, as NumPy).

    >>> import ndgrad as np
    >>> np.mean([[1, 2], [3, 4]], axis=1)
    array([1.5, 3.5])
    """
    a = arr(a)
    if out is not None:
        done = _numpy_out("mean", a, out, lambda: mean(a, axis, dtype, None, keepdims,
                                                       where=where),
                          axis=_reduction_axis(axis), dtype=dtype, keepdims=keepdims,
                          where=where)
        if done is not None:
            return done
    if _numpy_dtype_order(a, dtype):
        return _masked_moment("mean", a, axis, dtype, out, keepdims, where, None, 0, False,
                              {})
    dt = _float_dtype(a, dtype)
    if dt is not None:
        a = arr(a, dt)
    if a.dtype.kind in "iu":
        # NumPy's integer dtype=: the sum in that dtype, divided, cast back (truncated)
        if where is not None and where is not True:
            w = std("broadcast_to")(arr(where), a.shape)
            a = std("where")(w, a, arr(0, a.dtype))
            n = std("sum")(arr(w, np.float64), axis=_axis(axis), keepdims=keepdims)
        else:
            n = float(_count(a.shape, axis))
        s = std("sum")(a, axis=_axis(axis), keepdims=keepdims, dtype=a.dtype)
        return _out(arr(s / n, a.dtype), out, reduction=True)
    if where is not None and where is not True:
        return _masked_moment("mean", a, axis, None, out, keepdims, where, None, 0, False, {})
    return _out(std("mean")(a, axis=_reduction_axis(axis), keepdims=keepdims), out, reduction=True)


def _count(shape, axis):
    """How many elements a reduction over ``axis`` takes from an array of ``shape``."""
    axes = range(len(shape)) if axis is None else normalize_axis(axis, len(shape))
    return int(np.prod([shape[i] for i in axes], dtype=np.int64))


def _ddof_kw(ddof, correction):
    return {"ddof": ddof} if correction is None else {"correction": correction}


def _one_of(ddof, correction):
    """NumPy's rule: ``correction`` is ``ddof`` by its standard name; giving both (ddof
    not 0) is an error (both were accepted, and correction won)."""
    if correction is not None and ddof != 0:
        raise ValueError("ddof and correction can't be provided simultaneously.")


def _masked_moment(kind, a, axis, dtype, out, keepdims, where, mean, c, nan, npkw):
    """mean/var/std (``kind``; NaN-ignoring when ``nan``) with NumPy's ``where=`` mask and
    var/std's precomputed ``mean=``: NumPy's own value (its masked reductions add in
    their own order), carrying the gradient of the masked composition (0 outside the
    mask and at NaN entries; a recorded ``mean`` gets its gradient too)."""
    a = arr(a)
    wv = None if where is None or where is True else arr(where)
    mv = None if mean is None else arr(mean)
    value = None
    if numpy_data(a, wv, mv):
        kw = dict(npkw)
        if wv is not None:
            kw["where"] = to_numpy(wv)
        if mv is not None:
            kw["mean"] = to_numpy(mv)
        value = host_result(getattr(np, ("nan" if nan else "") + kind)(
            to_numpy(a), axis=_axis(axis), dtype=dtype, keepdims=keepdims, **kw), like=a)
        if plain_numpy(a, wv, mv):
            return _out(value, out, reduction=True)
    dt = _float_dtype(a, dtype)
    sum_kw = {}
    if dtype is not None:
        # NumPy's order: the data summed in dtype (its cast buffer), the deviations taken
        # in the data's own precision, their squared moduli summed in dtype -- no cast of
        # the data first, so a traced call (nd.jit) gives NumPy's bits too
        sum_kw = {"dtype": np.dtype(dt)}
        real_dt = np.finfo(np.dtype(dt)).dtype
    else:
        if dt is not None:
            a = arr(a, dt)
        real_dt = np.finfo(a.dtype).dtype
    ax = _reduction_axis(axis)
    m = None if wv is None else std("broadcast_to")(arr(wv, np.bool_), a.shape)
    if nan:
        ok = std("logical_not")(std("isnan")(a))
        m = ok if m is None else std("logical_and")(m, ok)

    def red(x, kd):
        return std("sum")(x, axis=ax, keepdims=kd, **sum_kw)
    if m is None:
        masked = a
        n_true = n_out = arr(float(_count(a.shape, ax)), real_dt, like=a)
    else:
        masked = std("where")(m, a, arr(0, a.dtype, like=a))
        mf = arr(m, real_dt)
        n_true = std("sum")(mf, axis=ax, keepdims=True)
        n_out = std("sum")(mf, axis=ax, keepdims=keepdims)
    with np.errstate(all="ignore"):   # (NumPy's value above warned as NumPy does)
        if kind == "mean":
            r = red(masked, keepdims) / n_out
        else:
            center = red(masked, True) / n_true if mv is None else mv
            d = a - center
            if m is not None:
                d = std("where")(m, d, arr(0, d.dtype, like=d))
            sq = std("real")(d * std("conj")(d)) if d.dtype.kind == "c" else d * d
            dof = n_out - c
            r = red(sq, keepdims) / std("maximum")(dof, 0.0)
            if nan:
                # NumPy's nanvar/nanstd: nan where the degrees of freedom are <= 0 (var's
                # own division gives inf there, or nan for 0 / 0, as NumPy's var)
                r = std("where")(dof <= 0, arr(np.nan, r.dtype, like=r), r)
            if kind == "std":
                r = std("sqrt")(r)
    if value is not None:
        from .aliases import _exact
        r = _exact(value, r)
    return _out(r, out, reduction=True)


def var(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, where=None,
        mean=None, correction=None):  # noqa: A002
    """Variance over ``axis`` with ``ddof`` delta degrees of freedom.

    >>> import ndgrad as np
    >>> np.var([1.0, 2.0, 3.0, 4.0])
    np.float64(1.25)
    """
    _one_of(ddof, correction)
    c = correction if correction is not None else ddof
    if out is not None:
        done = _numpy_out("var", a, out, lambda: var(
            a, axis, dtype, None, ddof, keepdims, where=where, mean=mean,
            correction=correction), axis=_reduction_axis(axis), dtype=dtype,
            keepdims=keepdims, where=where, mean=mean, **_ddof_kw(ddof, correction))
        if done is not None:
            return done
    a = arr(a)
    if _moment_by_numpy(a, dtype, where, mean):
        return _masked_moment("var", a, axis, dtype, out, keepdims, where, mean, c, False,
                              _ddof_kw(ddof, correction))
    dt = _float_dtype(a, dtype)
    if dt is not None:
        a = arr(a, dt)
    return _out(std("var")(a, axis=_reduction_axis(axis), correction=c, keepdims=keepdims),
                out, reduction=True)


def _moment_by_numpy(a, dtype, where, mean):
    """Whether var/std take ``_masked_moment`` (NumPy's own value, the composition's
    gradient): a ``where=`` mask, a precomputed ``mean=``, or a ``dtype=`` that NumPy
    does not apply by casting the data first (``_numpy_dtype_order``)."""
    return (where is not None and where is not True) or mean is not None or \
        _numpy_dtype_order(a, dtype)


def _numpy_dtype_order(a, dtype):
    """Whether mean/var/std's ``dtype=`` is a real floating one that ``a``'s values do
    not cast to safely (float64 data, ``dtype=float32``), or a complex one. NumPy then
    does not cast the data first: it sums the data in ``dtype`` through its cast buffer,
    takes the deviations from the mean in the data's own precision and sums their
    squared moduli in ``dtype`` (a complex sum pairs the elements otherwise than a real
    one). An explicit ``dtype=float16`` sums in float16 (the sum overflows to inf where
    the default float16 mean sums in float32). Casting the data first rounded otherwise
    (the last bits differed), so these take NumPy's own value (``_masked_moment``)."""
    if dtype is None:
        return False
    dt = np.dtype(_dtypes.as_dtype(dtype))
    return dt.kind == "c" or dt.kind == "f" and (
        dt.itemsize == 2 or not np.can_cast(a.dtype, dt, "safe"))


def std_(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, where=None,
         mean=None, correction=None):
    """Standard deviation over ``axis`` with ``ddof`` delta degrees of freedom.

    >>> import ndgrad as np
    >>> np.std([1.0, 2.0, 3.0, 4.0])
    np.float64(1.118033988749895)
    """
    _one_of(ddof, correction)
    a = arr(a)
    _float_out_check("std", a, out)
    if out is not None:
        done = _numpy_out("std", a, out, lambda: std_(
            a, axis, dtype, None, ddof, keepdims, where=where, mean=mean,
            correction=correction), axis=_reduction_axis(axis), dtype=dtype,
            keepdims=keepdims, where=where, mean=mean, **_ddof_kw(ddof, correction))
        if done is not None:
            return done
    c = correction if correction is not None else ddof
    if _moment_by_numpy(a, dtype, where, mean):
        return _masked_moment("std", a, axis, dtype, out, keepdims, where, mean, c, False,
                              _ddof_kw(ddof, correction))
    dt = _float_dtype(a, dtype)
    if dt is not None:
        a = arr(a, dt)
    return _out(std("std")(a, axis=_reduction_axis(axis), correction=c, keepdims=keepdims),
                out, reduction=True)


std_.__name__ = std_.__qualname__ = "std"


def _extreme(name, a, axis, out, keepdims, initial, where):
    if (type(a) is _registry.Array and type(axis) is int and out is None and initial is None
            and where is None and type(a._data) is np.ndarray):
        # the commonest call (an ndgrad array, one axis, no out/initial/where): the
        # standard's function at once (NumPy's checks below pass or are its own)
        shape = a._data.shape
        if -len(shape) <= axis < len(shape) and shape[axis]:
            return std(name)(a, axis=axis, keepdims=keepdims)
    if is_symbolic(a) and out is None and initial is None and (where is None
                                                              or where is True):
        # (axis 0 or -1 of a 0-d value: the whole value, as NumPy's)
        return std(name)(a, axis=_ufunc_axis(a, axis), keepdims=keepdims)
    a = arr(a)
    like = None if is_symbolic(a) else a   # (a graph tensor's device is TensorFlow's)
    axis = _ufunc_axis(a, axis)
    if where is not None and where is not True:
        if initial is None:
            raise ValueError(f"reduction operation '{name}' does not have an identity, so to "
                             "use a where mask one has to specify 'initial'")
        a = std("where")(arr(where, like=like), a, arr(initial, a.dtype, like=like))
    if builtins.any(a.shape[i] == 0 for i in normalize_axis(axis, a.ndim)):
        if initial is None:
            raise ValueError(f"zero-size array to reduction operation {name}imum which has "
                             "no identity")
        # an empty slice reduces to ``initial`` (NumPy's max([], initial=3) is 3.0)
        shape = np.max(np.empty(a.shape, bool), axis=axis, keepdims=keepdims,
                       initial=False).shape
        filled = np.full(shape, initial, dtype=_dtypes.as_dtype(a.dtype))
        return _out(arr(filled, like=like), out, reduction=True)
    r = std(name)(a, axis=axis, keepdims=keepdims)
    if initial is not None:
        # (initial first, as NumPy's reduce starts from it: of two equal values, signed
        # zeros, NumPy's maximum/minimum keep the second, so max([-0.0], initial=0.0)
        # is -0.0)
        r = std(name + "imum")(arr(initial, a.dtype, like=like), r)
    return _out(r, out, reduction=True)


def max(a, axis=None, out=None, keepdims=False, initial=None, where=None):  # noqa: A001
    """Maximum over ``axis``; the gradient goes to the maximal elements.

    >>> import ndgrad as np
    >>> np.max([[1, 5], [7, 3]], axis=0)
    array([7, 5])
    """
    return _extreme("max", a, axis, out, keepdims, initial, where)


def min(a, axis=None, out=None, keepdims=False, initial=None, where=None):  # noqa: A001
    """Minimum over ``axis``.

    >>> import ndgrad as np
    >>> np.min([[1, 5], [7, 3]], axis=1)
    array([1, 3])
    """
    return _extreme("min", a, axis, out, keepdims, initial, where)


amax = max
amin = min


def argmax(a, axis=None, out=None, *, keepdims=False):
    """Index of the first maximum (of the flattened array when ``axis`` is None).

    >>> import ndgrad as np
    >>> np.argmax([1, 5, 5])
    np.int64(1)
    """
    a = arr(a)
    if out is None and is_array(a) and type(a._data) is np.ndarray:
        # NumPy's own (an index has no gradient): no reshape op and op dispatch
        return host_result(np.argmax(a._data, axis, keepdims=keepdims))
    if out is not None:
        take_out_check("argmax", np.dtype(np.intp), out)   # (NumPy: out must hold intp)
    axis = _ufunc_axis(a, axis)
    if axis is None and a.ndim > 1 and not keepdims:
        a = std("reshape")(a, (-1,))
    return _out(std("argmax")(a, axis=axis, keepdims=keepdims), out, reduction=True)


def argmin(a, axis=None, out=None, *, keepdims=False):
    """Index of the first minimum.

    >>> import ndgrad as np
    >>> np.argmin([3, 1, 1])
    np.int64(1)
    """
    a = arr(a)
    if out is None and is_array(a) and type(a._data) is np.ndarray:
        # NumPy's own (an index has no gradient): no reshape op and op dispatch
        return host_result(np.argmin(a._data, axis, keepdims=keepdims))
    if out is not None:
        take_out_check("argmin", np.dtype(np.intp), out)   # (NumPy: out must hold intp)
    axis = _ufunc_axis(a, axis)
    if axis is None and a.ndim > 1 and not keepdims:
        a = std("reshape")(a, (-1,))
    return _out(std("argmin")(a, axis=axis, keepdims=keepdims), out, reduction=True)


def ptp(a, axis=None, out=None, keepdims=False):
    """Range (maximum minus minimum) over ``axis``.

    >>> import ndgrad as np
    >>> np.ptp([4, 9, 2])
    np.int64(7)
    """
    if out is None:
        return max(a, axis, keepdims=keepdims) - min(a, axis, keepdims=keepdims)
    # NumPy writes the maximum into ``out``, then subtracts the minimum from it there
    hi = arr(max(a, axis, keepdims=keepdims), np.dtype(out.dtype))
    return _out(hi - min(a, axis, keepdims=keepdims), out, "subtract", reduction=True)


def any(a, axis=None, out=None, keepdims=False, *, where=None):  # noqa: A001
    """Whether any element (over ``axis``) is true.

    >>> import ndgrad as np
    >>> np.any([0, 1])
    np.True_
    """
    a = _masked(arr(a), where, False)
    return _out(std("any")(a, axis=_ufunc_axis(a, axis), keepdims=keepdims), out, reduction=True)


def all(a, axis=None, out=None, keepdims=False, *, where=None):  # noqa: A001
    """Whether all elements (over ``axis``) are true.

    >>> import ndgrad as np
    >>> np.all([1, 1])
    np.True_
    """
    a = _masked(arr(a), where, True)
    return _out(std("all")(a, axis=_ufunc_axis(a, axis), keepdims=keepdims), out, reduction=True)


def count_nonzero(a, axis=None, *, keepdims=False):
    """The number of non-zero elements.

    >>> import ndgrad as np
    >>> np.count_nonzero([0, 1, 2])
    np.int64(2)
    """
    a = arr(a)
    return std("count_nonzero")(a, axis=_ufunc_axis(a, axis), keepdims=keepdims)


def cumulative_sum(x, /, *, axis=None, dtype=None, out=None, include_initial=False):
    """The standard's cumulative sum (NumPy 2's ``cumulative_sum``, ``out=`` too).

    >>> import ndgrad as np
    >>> np.cumulative_sum(np.asarray([1, 2]))
    array([1, 3])
    >>> np.cumulative_sum(np.asarray([1, 2]), include_initial=True)
    array([0, 1, 3])
    """
    return cumulative("cumulative_sum", x, axis, dtype, out, include_initial)


# -- order statistics --------------------------------------------------------------------
_METHODS = ("linear", "lower", "higher", "nearest", "midpoint", "inverted_cdf",
            "averaged_inverted_cdf", "closest_observation", "interpolated_inverted_cdf",
            "hazen", "weibull", "median_unbiased", "normal_unbiased")


def _complex_median(a, axis=None, keepdims=False):
    """NumPy's median of complex ``a`` (lexicographic order) as an array, its warnings
    (a NaN, an empty slice) off as eager's."""
    with np.errstate(all="ignore"):
        return np.asarray(np.median(a, axis=axis, keepdims=keepdims))


def _complex_nanmedian(a, axis=None, keepdims=False):
    """NumPy's nanmedian of complex ``a``, as ``_complex_median``."""
    with np.errstate(all="ignore"):
        return np.asarray(np.nanmedian(a, axis=axis, keepdims=keepdims))


def _quantile(a, q, axis, method, keepdims, skipnan, name, weak=None, qgrad=None):
    """``qgrad``: the recorded q (as a fraction) whose gradient the result carries, when
    ``q`` itself is host values (percentile's q / 100); ``q`` by default."""
    a = arr(a)
    if qgrad is None and is_array(q):
        qgrad = q
    # a Python scalar q promotes weakly (NumPy's rule): the result keeps the data's float dtype
    weak = type(q) in (int, float) if weak is None else weak
    median = name == "median"  # NumPy: the mean of the middle two (inf stays inf)
    if a.dtype.kind == "c" and not median:
        raise TypeError("a must be an array of real numbers")
    if a.ndim == 0 and axis is not None:
        raise np.exceptions.AxisError(f"axis {axis} is out of bounds for array of dimension 0")
    if a.dtype.kind == "c":  # complex medians (lexicographic order): NumPy's, no gradient
        nodiff_guard(name, a)
        fn = _complex_nanmedian if skipnan else _complex_median
        if is_symbolic(a):
            # nd.jit, graph mode: NumPy's median when the plan runs, as an op whose
            # gradient raises (the median moves with the elements it selects: an op
            # without a rule would give nd.jit(nd.grad) a silent zero)
            return _registry.apply(
                make_host_op(fn.__name__.lstrip("_"), fn, moves=True), (a,),
                {"_rest": (), "_kw": {"axis": axis, "keepdims": keepdims}})
        return arr(fn(to_numpy(a), axis=axis, keepdims=keepdims), like=a)
    was_bool = a.dtype.kind == "b"
    if skipnan and a.size == 0:  # NumPy: nanmean of the empty slices, NaN
        shape = tuple(1 if i in normalize_axis(_axis(axis), a.ndim) else d
                      for i, d in enumerate(a.shape)) if keepdims else tuple(
            d for i, d in enumerate(a.shape) if i not in normalize_axis(_axis(axis), a.ndim))
        return std("full")(shape, float("nan"), device=a.device,
                           dtype=a.dtype if a.dtype.kind == "f" else np.float64)
    if was_bool and not median and method not in _PICKING_METHODS and 0 not in [
            a.shape[i] for i in normalize_axis(_axis(axis), a.ndim)]:
        raise TypeError("numpy boolean subtract, the `-` operator, is not supported, use the "
                        "bitwise_xor, the `^` operator, or the logical_xor function instead.")
    if method not in _METHODS:
        raise ValueError(f"'{method}' is not a valid method. Use one of: {_METHODS}")
    if method not in ("linear", "lower", "higher", "nearest", "midpoint"):
        # (a gradient in q through these: not derived; a clear error)
        nodiff_guard(f"{name}(method={method!r}) in q", qgrad)
    qn = np.asarray(to_numpy(q) if is_array(q) else q)
    # an integer q (0 or 1): NumPy's linear method takes the elements themselves, in the
    # data's dtype (a float32 quantile at [0, 1] is float32; it was float64 off NumPy)
    whole_q = qn.dtype.kind in "iu" and method == "linear" and not median
    if qn.dtype.kind not in "f":
        qn = qn.astype(np.float64)
    if np.any((qn < 0) | (qn > 1)):
        raise ValueError("Quantiles must be in the range [0, 1]")
    picks = method in _PICKING_METHODS or whole_q  # an element itself: NumPy keeps ints
    if a.dtype.kind == "b" and not picks:
        a = arr(a, np.float64)
    orig_shape = a.shape
    axes = normalize_axis(_axis(axis), a.ndim)
    keep = [i for i in range(a.ndim) if i not in axes]
    x = std("permute_dims")(a, tuple(keep) + axes) if tuple(keep) + axes != tuple(
        range(a.ndim)) else a
    n = int(np.prod([orig_shape[i] for i in axes], dtype=np.int64))
    x = std("reshape")(x, tuple(orig_shape[i] for i in keep) + (n,))
    if n == 0 and not median:
        raise IndexError(f"index -1 is out of bounds for axis 0 with size {n}")
    if n == 0:  # NumPy: NaN (with a warning) for an empty slice
        import warnings
        warnings.warn("Mean of empty slice.", RuntimeWarning, stacklevel=3)
        res = std("full")(qn.shape + x.shape[:-1], float("nan"), device=x.device,
                          dtype=x.dtype if x.dtype.kind == "f" else np.float64)
        return std("reshape")(res, qn.shape + tuple(1 if i in axes else d for i, d in
                                                   enumerate(orig_shape))) if keepdims else res
    xs = std("sort")(x, axis=-1)          # NaN sorts last
    if is_symbolic(x) and (not skipnan or x.dtype.kind != "f"):
        # an nd.jit or graph value: every element counts, so no value is read here (a NaN
        # makes the result NaN below, by ops)
        isnan = None
        cnt = np.full(tuple(x.shape[:-1]), n)
    elif is_symbolic(x):
        # NaN-skipping on an nd.jit or graph value: each slice's count is an op of the
        # graph, and so are the indices and weights taken from it below (NumPy's
        # functions on a traced value dispatch to ndgrad's ops)
        isnan = None
        cnt = n - std("sum")(std("isnan")(x), axis=-1)
    else:
        host = to_numpy(x)
        isnan = np.isnan(host) if host.dtype.kind in "fc" else np.zeros(host.shape, bool)
        cnt = (n - isnan.sum(-1)) if skipnan else np.full(host.shape[:-1], n)
    # virtual indices per (q, slice)
    qq = qn.reshape(qn.shape + (1,) * (x.ndim - 1))
    # NumPy's virtual index (n - 1) * q, n a Python int: in q's dtype
    cnt1 = (cnt if is_symbolic(cnt) else np.asarray(cnt)) - 1
    if method in _HYNDMAN_FAN:
        below, above, gamma = _hyndman_fan_indexes(method, cnt, cnt1, qq, qn.dtype)
        frac = gamma
    else:
        vi = cnt1.astype(qn.dtype) * qq
        if method == "lower":
            vi = np.floor(vi)
        elif method == "higher":
            vi = np.ceil(vi)
        elif method == "nearest":
            vi = np.around(vi)
        elif method == "midpoint":
            vi = 0.5 * (np.floor(vi) + np.ceil(vi))
        below = np.clip(np.floor(vi), 0, np.maximum(cnt - 1, 0)).astype(np.int64)
        above = np.clip(below + 1, 0, np.maximum(cnt - 1, 0)).astype(np.int64)
        gamma = frac = vi - np.floor(vi)
        # NumPy's _get_indexes: at or past the last index both neighbours are the last
        # element and gamma is measured from index -1 (so -0.0 stays -0.0 there)
        last = np.broadcast_to(vi >= cnt1, vi.shape)
        gamma = np.where(last, vi + 1, gamma).astype(vi.dtype)
        if method == "midpoint":  # NumPy's fix_gamma: 0 at a whole index (the last too)
            gamma = np.where(vi % 1 == 0, 0.0, 0.5).astype(vi.dtype)
    qshape = qn.shape
    lead = xs.shape[:-1]

    def gather(idx):
        # idx: qshape + lead -> pick xs[..., idx] for each q
        outs = []
        flat_q = idx.reshape((int(np.prod(qshape)),) + lead)
        for k in range(flat_q.shape[0]):
            ii = arr(flat_q[k][..., None], like=xs)
            outs.append(std("take_along_axis")(xs, ii, axis=-1)[..., 0])
        if not outs:
            return None
        st = std("stack")(outs, axis=0)
        return std("reshape")(st, qshape + lead)
    lo, hi = gather(below), gather(above)
    if picks and xs.dtype.kind in "iu":
        res = lo  # the virtual index is whole: the element at ``below``
        if keepdims:
            res = std("reshape")(res, qshape + tuple(1 if i in axes else s for i, s in
                                                     enumerate(orig_shape)))
        return res
    if median:
        # NumPy's median is the mean of the middle elements (a sum from +0, so -0.0 gives
        # 0.0): the element itself for an odd count, (lo + hi) / 2 for an even one (in
        # float32 for float16, as mean does)
        # NumPy's nanmedian over some axes of fewer than 600 elements is masked arrays'
        # median instead: (lo + hi) / 2, lo == hi for an odd count, in the data's own
        # dtype (float16's 65504 and float64's 1.7e308 overflow to inf there)
        small = skipnan and keep and n < 600
        acc = np.float32 if xs.dtype == np.float16 and not small else None
        lo2, hi2 = (lo, hi) if acc is None else (arr(lo, acc), arr(hi, acc))
        res = std("where")(arr(np.broadcast_to(frac == 0, qshape + lead), like=xs),
                           (lo2 + 0.0 + lo2) / 2 if small else lo2 + 0.0,
                           (lo2 + 0.0 + hi2) / 2)
        res = res if acc is None else arr(res, xs.dtype)
    elif picks:
        res = lo  # the element itself, in the data's dtype (as NumPy's take), any q
    else:
        # NumPy's _lerp: the difference in the data's dtype; gamma (q's dtype) a Python
        # float for a Python q, so weakly promoted to the data's float dtype
        g64 = np.broadcast_to(gamma, qshape + lead)
        if weak and xs.dtype.kind == "f":
            g, omg = g64.astype(xs.dtype), (1 - g64).astype(xs.dtype)
        else:
            g, omg = g64, 1 - g64
        if xs.dtype.kind in "iu" and not numpy_data(xs) and not is_symbolic(xs):
            # (a backend that refuses integer-float arithmetic, array_api_strict: the
            # neighbours as float64 first, NumPy's values below 2**53)
            lo, hi = arr(lo, np.float64), arr(hi, np.float64)
        diff_ = hi - lo
        res = std("where")(arr(g64 >= 0.5, like=xs), hi - diff_ * arr(omg, like=xs),
                           lo + diff_ * arr(g, like=xs))
        if method == "linear" and is_array(qgrad) and qgrad._node is not None and \
                _registry.grad_state.enabled:
            res = _with_q_gradient(res, diff_, qgrad, cnt, qshape, lead, xs)
    if not skipnan and x.dtype.kind in "fc" and isnan is None:
        res = std("where")(std("any")(std("isnan")(x), axis=-1), float("nan"), res)
    elif not skipnan and x.dtype.kind in "fc":
        anynan = isnan.any(-1)
        if anynan.any():
            res = std("where")(arr(np.broadcast_to(anynan, qshape + lead), like=xs), float("nan"),
                               res)
    elif skipnan:
        empty = np.broadcast_to(cnt == 0, qshape + lead)
        if is_symbolic(empty) or empty.any():   # (a traced count: NaN where it is 0)
            res = std("where")(arr(empty, like=xs), float("nan"), res)
    if keepdims:
        shp = tuple(1 if i in axes else s for i, s in enumerate(orig_shape))
        res = std("reshape")(res, qshape + shp)
    return res


# Hyndman and Fan's methods NumPy has beyond the linear family: (alpha, beta) of the
# virtual index n q + alpha + q (1 - alpha - beta) - 1, or None where NumPy computes it
# otherwise (averaged_inverted_cdf: n q - 1; the two discrete ones pick an element)
_HYNDMAN_FAN = {"inverted_cdf": None, "averaged_inverted_cdf": None,
                "closest_observation": None, "interpolated_inverted_cdf": (0, 1),
                "hazen": (0.5, 0.5), "weibull": (0, 0), "median_unbiased": (1 / 3.0, 1 / 3.0),
                "normal_unbiased": (3 / 8.0, 3 / 8.0)}


def _hyndman_fan_indexes(method, cnt, cnt1, qq, qdtype):
    """``(below, above, gamma)`` for a method of ``_HYNDMAN_FAN``, as NumPy's
    ``_quantile`` computes them from each slice's count ``cnt`` (``cnt1`` = cnt - 1) and
    the quantiles ``qq``: the neighbours' indexes into the sorted slice and the weight of
    the upper one (0 for the discrete methods: the element at ``below``)."""
    cf = cnt.astype(qdtype) if is_symbolic(cnt) else np.asarray(cnt).astype(qdtype)
    top = np.maximum(cnt1, 0)
    if method in ("inverted_cdf", "closest_observation"):
        # NumPy's _discrete_interpolation_to_boundaries: floor(i) where gamma meets the
        # method's condition, else floor(i) + 1; below 0 clipped to 0
        index = cf * qq - 1 if method == "inverted_cdf" else cf * qq - 1 - 0.5
        prev = np.floor(index)
        g = index - prev
        cond = g == 0 if method == "inverted_cdf" else (g == 0) & (prev % 2 == 1)
        k = np.where(cond, prev, prev + 1).astype(np.int64)
        k = np.clip(k, 0, top).astype(np.int64)
        return k, k, np.zeros(np.shape(k), qdtype)
    ab = _HYNDMAN_FAN[method]
    if ab is None:
        vi = cf * qq - 1
    else:
        alpha, beta = ab
        vi = cf * qq + (alpha + qq * (1 - alpha - beta)) - 1
    # NumPy's _get_indexes: past the last index both neighbours are the last element
    # (index -1), before the first both the first (index 0); gamma is measured from
    # the neighbour so chosen
    over = vi >= cnt1
    under = vi < 0
    prev = np.where(over, -1, np.where(under, 0, np.floor(vi)))
    gamma = vi - prev
    if ab is None:    # averaged_inverted_cdf's fix_gamma: 0.5 at a whole index, else 1
        gamma = np.where(gamma == 0, 0.5, 1.0)
    gamma = gamma.astype(vi.dtype)
    below = np.where(over, top, np.where(under, 0, np.floor(vi))).astype(np.int64)
    above = np.where(over, top, np.where(under, 0, np.floor(vi) + 1)).astype(np.int64)
    return np.clip(below, 0, top).astype(np.int64), np.clip(above, 0, top).astype(np.int64), \
        gamma


def _with_q_gradient(res, diff_, qgrad, cnt, qshape, lead, xs):
    """``res`` (a linear quantile) carrying its derivative in q as well: the virtual index
    (n - 1) q moves the result along the segment between its neighbours, at the rate
    (n - 1) (hi - lo); the value stays ``res`` exactly."""
    from .aliases import _exact
    qq = std("reshape")(std("astype")(qgrad, xs.dtype), qshape + (1,) * len(lead))
    rate = (std("astype")(cnt - 1, xs.dtype) if is_symbolic(cnt) else
            arr(np.asarray(np.asarray(cnt) - 1, dtype=xs.dtype), like=xs))
    return _exact(res, res + diff_ * rate * (qq - qq.detach()))


# the quantile methods that pick one of the data's values: their result has the data's
# dtype, and an integer ``out=`` takes it (NumPy's)
_PICKING_METHODS = ("lower", "higher", "nearest", "inverted_cdf", "closest_observation")


def _float_out_check(name, a, out):
    """NumPy's rule for ``out=`` of a statistic it writes through a float ufunc: an
    integer or bool ``out`` is refused (NumPy's TypeError), never truncated into.
    ``quantile``/``percentile`` add in the result's float dtype; ``std`` takes ``sqrt``
    of ``out`` itself; the NaN-ignoring means and variances check it up front."""
    if out is None:
        return
    if name in ("quantile", "percentile"):
        ufunc_out_check("add", np.result_type(a.dtype, np.float16) if a.dtype.kind in "biu"
                        else a.dtype, out)
    elif name == "std":
        ufunc_out_check("sqrt", np.result_type(np.dtype(out.dtype), np.float16), out)
    elif a.dtype.kind in "fc" and np.dtype(out.dtype).kind not in "fc":
        raise TypeError("If a is inexact, then out must be inexact")


def _numpy_order_stat(name, a, q, out, **kw):
    """NumPy's own ``name`` (median, quantile ...) where no gradient is recorded: it
    selects with a partition, where the differentiable path sorts (about 7x the time on
    a million elements); None where a gradient may be asked for."""
    if not plain_numpy(a, q):
        return None
    qv = () if q is None else (to_numpy(q) if is_array(q) else q,)
    if out is not None and not is_symbolic(out) and hasattr(out, "dtype"):
        # (into a buffer of out's dtype, as NumPy computes: the midpoint of a float32
        # median for a float64 out is taken in float64)
        buf = np.empty(tuple(out.shape), np.dtype(out.dtype))
        getattr(np, name)(to_numpy(a), *qv, out=buf, **kw)
        return _out(arr(buf, like=a), out)
    res = getattr(np, name)(to_numpy(a), *qv, **kw)   # (with NumPy's own warnings)
    return _out(host_result(res, like=a), out, reduction=name in _REDUCTION_OUT)


# (the order statistics whose out= NumPy requires of the result's shape exactly, as a
# reduction's; NumPy's quantile, percentile and nanmedian broadcast into out)
_REDUCTION_OUT = frozenset({"median", "nanmean", "nanvar", "nanmax", "nanmin"})


def quantile(a, q, axis=None, out=None, overwrite_input=False, method="linear",
             keepdims=False, *, weights=None, interpolation=None):
    """The ``q``-th quantile(s) over ``axis`` (NumPy's methods; differentiable in ``a``).

    >>> import ndgrad as np
    >>> np.quantile([1.0, 2.0, 3.0, 4.0], 0.5)
    np.float64(2.5)
    """
    a = arr(a)
    if (interpolation or method) not in _PICKING_METHODS:   # (those give a's own values)
        _float_out_check("quantile", a, out)
    if weights is not None:
        return _out(_weighted_quantile("quantile", a, q, axis, method, keepdims, weights),
                    out)
    fast = None if interpolation else _numpy_order_stat(
        "quantile", a, q, out, axis=axis, method=method, keepdims=keepdims)
    if fast is not None:
        return fast
    return _out(_quantile(a, q, axis, interpolation or method, keepdims, False, "quantile"),
                out)


def _weighted_quantile(name, a, q, axis, method, keepdims, weights):
    """NumPy's weighted ``quantile`` / ``nanquantile`` (method ``inverted_cdf``: an
    element of ``a`` picked by the cumulative weights); recorded, the picked element's
    gradient. The pick is found by running NumPy's own function on each element's rank
    in the stable sort NumPy makes (NaN where ``nanquantile`` drops the element): its
    result is the rank of the element it picks. The weights are constants (the result
    is piecewise constant in them)."""
    qn = to_numpy(arr(q))
    wn = to_numpy(arr(weights))
    fn = getattr(np, name)
    value = arr(fn(to_numpy(a), qn, axis=axis, method=method, keepdims=keepdims,
                   weights=wn), like=a)
    if a._node is None or not _registry.grad_state.enabled:
        return value
    if not (axis is None or isinstance(axis, (int, np.integer))):
        nodiff_guard(f"{name}(weights=) over several axes", a)
    data = to_numpy(a)
    flat = axis is None
    if flat:
        data, wn = data.reshape(-1), wn.reshape(-1)
    ax = 0 if flat else normalize_axis_index(int(axis), data.ndim)
    perm = np.argsort(data, axis=ax, kind="stable")
    shape = [1] * data.ndim
    shape[ax] = -1
    rank = np.empty(data.shape, np.float64)
    np.put_along_axis(rank, perm, np.arange(data.shape[ax], dtype=np.float64).reshape(shape),
                      axis=ax)
    if name == "nanquantile" and data.dtype.kind in "fc":
        rank[np.isnan(data)] = np.nan
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)   # (an all-NaN slice: no pick)
        k = fn(rank, qn, axis=ax, method=method, keepdims=True, weights=wn)
    k = np.nan_to_num(np.asarray(k), nan=0.0).astype(np.int64)
    lead = np.ndim(qn)
    idx = np.take_along_axis(np.broadcast_to(perm, k.shape[:lead] + perm.shape), k,
                             axis=ax + lead)
    src = std("reshape")(a, (-1,)) if flat else a
    src = std("broadcast_to")(src, k.shape[:lead] + tuple(src.shape))
    picked = std("take_along_axis")(src, arr(idx, like=a), axis=ax + lead)
    from .aliases import _exact
    return _exact(value, std("reshape")(picked, tuple(value.shape)))


def _recorded_fraction(q):
    """A recorded percentile ``q`` as the fraction q / 100 (for its gradient), else None."""
    return q / 100 if is_array(q) and q._node is not None else None


def _percent(a, q):
    """q / 100 as NumPy divides it (in q's own float dtype)."""
    return np.true_divide(to_numpy(q) if is_array(q) else np.asarray(q), 100)


def percentile(a, q, axis=None, out=None, overwrite_input=False, method="linear",
               keepdims=False, *, weights=None, interpolation=None):
    """The ``q``-th percentile(s) over ``axis``.

    >>> import ndgrad as np
    >>> np.percentile([1.0, 2.0, 3.0, 4.0], [25, 75])
    array([1.75, 3.25])
    """
    a = arr(a)
    if (interpolation or method) not in _PICKING_METHODS:   # (those give a's own values)
        _float_out_check("percentile", a, out)
    qn = _percent(a, q)
    if weights is not None:
        return quantile(a, qn, axis, out, method=method, keepdims=keepdims, weights=weights)
    fast = None if interpolation else _numpy_order_stat(
        "percentile", a, q, out, axis=axis, method=method, keepdims=keepdims)
    if fast is not None:
        return fast
    return _out(_quantile(a, qn, axis, interpolation or method, keepdims, False, "percentile",
                          weak=type(q) in (int, float), qgrad=_recorded_fraction(q)),
                out)


def median(a, axis=None, out=None, overwrite_input=False, keepdims=False):
    """The median over ``axis`` (differentiable).

    >>> import ndgrad as np
    >>> np.median([[1, 3], [2, 4]], axis=0)
    array([1.5, 3.5])
    """
    a = arr(a)
    fast = _numpy_order_stat("median", a, None, out, axis=axis, keepdims=keepdims)
    if fast is not None:
        return fast
    return _out(_quantile(a, 0.5, axis, "linear", keepdims, False, "median"), out,
                reduction=True)


def nanquantile(a, q, axis=None, out=None, overwrite_input=False, method="linear",
                keepdims=False, *, weights=None, interpolation=None):
    """``quantile`` ignoring NaN.

    >>> import ndgrad as np
    >>> np.nanquantile([1.0, np.nan, 3.0], 0.5)
    np.float64(2.0)
    """
    a = arr(a)
    if weights is not None:
        return _out(_weighted_quantile("nanquantile", a, q, axis, method, keepdims, weights),
                    out)
    fast = None if interpolation else _numpy_order_stat(
        "nanquantile", a, q, out, axis=axis, method=method, keepdims=keepdims)
    if fast is not None:
        return fast
    return _out(_quantile(a, q, axis, interpolation or method, keepdims, True, "quantile"),
                out)


def nanpercentile(a, q, axis=None, out=None, overwrite_input=False, method="linear",
                  keepdims=False, *, weights=None, interpolation=None):
    """``percentile`` ignoring NaN.

    >>> import ndgrad as np
    >>> np.nanpercentile([1.0, np.nan, 3.0], 50)
    np.float64(2.0)
    """
    a = arr(a)
    if weights is not None:
        return nanquantile(a, _percent(a, q), axis, out, method=method, keepdims=keepdims,
                           weights=weights)
    qn = _percent(a, q)
    fast = None if interpolation else _numpy_order_stat(
        "nanpercentile", a, q, out, axis=axis, method=method, keepdims=keepdims)
    if fast is not None:
        return fast
    return _out(_quantile(a, qn, axis, interpolation or method, keepdims, True, "percentile",
                          weak=type(q) in (int, float), qgrad=_recorded_fraction(q)),
                out)


def nanmedian(a, axis=None, out=None, overwrite_input=False, keepdims=False):
    """``median`` ignoring NaN.

    >>> import ndgrad as np
    >>> np.nanmedian([1.0, np.nan, 3.0])
    np.float64(2.0)
    """
    a = arr(a)
    fast = _numpy_order_stat("nanmedian", a, None, out, axis=axis, keepdims=keepdims)
    if fast is not None:
        return fast
    return _out(_quantile(a, 0.5, axis, "linear", keepdims, True, "median"), out)


def average(a, axis=None, weights=None, returned=False, *, keepdims=False):
    """Weighted average over ``axis`` (differentiable in ``a`` and ``weights``).

    >>> import ndgrad as np
    >>> np.average([1.0, 2.0, 3.0], weights=[3, 1, 0])
    np.float64(1.25)
    """
    a = arr(a)
    if plain_numpy(a, weights):
        # no gradient to record: NumPy's own (no scale array built and broadcast per call)
        r = np.average(to_numpy(a), _axis(axis), None if weights is None else to_numpy(
            arr(weights)), returned, keepdims=keepdims)
        return tuple(host_result(v, like=a) for v in r) if returned else host_result(r, like=a)
    if weights is None:
        avg = mean(a, axis, keepdims=keepdims)
        # (NumPy divides by the result's size: ZeroDivisionError for an empty result)
        scl = arr(np.asarray(a.size / avg.size, dtype=avg.dtype), like=a)
        if returned:
            return avg, copy_of(std("broadcast_to")(scl, avg.shape))
        return avg
    w = arr(weights, like=a)
    if a.dtype.kind not in "fc":
        a = arr(a, np.result_type(a.dtype, w.dtype, np.float64))
    rdt = np.result_type(a.dtype, w.dtype)
    if w.dtype != rdt:
        # NumPy sums the weights in the result's dtype (complex for complex ``a``: a
        # complex sum and division, which round otherwise than real ones)
        w = arr(w, rdt)
    if w.shape != a.shape:
        if axis is None:
            raise TypeError("Axis must be specified when shapes of a and weights differ.")
        if w.ndim != 1:
            raise TypeError("1D weights expected when shapes of a and weights differ.")
        ax = normalize_axis_index(axis, a.ndim)
        if w.shape[0] != a.shape[ax]:
            raise ValueError("Length of weights not compatible with specified axis.")
        shp = [1] * a.ndim
        shp[ax] = w.shape[0]
        w = std("reshape")(w, tuple(shp))
    # (the weights summed as NumPy sums them: once, not per broadcast row, which adds in
    # another order)
    scl = std("sum")(w, axis=_axis(axis), keepdims=keepdims)
    if np.any(to_numpy(scl) == 0.0):
        raise ZeroDivisionError("Weights sum to zero, can't be normalized")
    avg = std("sum")(a * w, axis=_axis(axis), keepdims=keepdims) / scl
    if returned:
        if scl.shape != avg.shape:
            scl = copy_of(std("broadcast_to")(scl, avg.shape))
        return avg, arr(scl, avg.dtype)
    return avg


# -- nan* reductions ---------------------------------------------------------------------
def _nanfill(a, value):
    a = arr(a)
    if a.dtype.kind not in "fc":
        return a
    return std("where")(std("isnan")(a), value, a)


def nansum(a, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=None):
    """``sum`` treating NaN as zero.

    >>> import ndgrad as np
    >>> np.nansum([1.0, np.nan, 2.0])
    np.float64(3.0)
    """
    return sum(_nanfill(a, 0.0), axis, dtype, out, keepdims, initial, where)


def nanprod(a, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=None):
    """``prod`` treating NaN as one.

    >>> import ndgrad as np
    >>> np.nanprod([2.0, np.nan, 3.0])
    np.float64(6.0)
    """
    return prod(_nanfill(a, 1.0), axis, dtype, out, keepdims, initial, where)


def _nancount(a, axis, keepdims):
    a = arr(a)
    if is_symbolic(a):
        # an nd.jit or graph value: the count as ops (the same integers as the host's)
        ok = (std("logical_not")(std("isnan")(a)) if a.dtype.kind in "fc" else
              std("ones_like")(a, dtype=np.bool_))
        return std("sum")(ok, axis=_axis(axis), keepdims=keepdims, dtype=np.intp)
    if a.dtype.kind not in "fc":
        n = np.ones(a.shape, dtype=np.intp)
    else:
        n = ~np.isnan(to_numpy(a))
    return np.sum(n, axis=_axis(axis), keepdims=keepdims)


def nanmean(a, axis=None, dtype=None, out=None, keepdims=False, *, where=None):
    """``mean`` ignoring NaN.

    >>> import ndgrad as np
    >>> np.nanmean([1.0, np.nan, 3.0])
    np.float64(2.0)
    """
    a = arr(a)
    _float_out_check("nanmean", a, out)
    if out is not None:
        done = _numpy_out("nanmean", a, out, lambda: nanmean(a, axis, dtype, None, keepdims,
                                                             where=where),
                          axis=_reduction_axis(axis), dtype=dtype, keepdims=keepdims,
                          where=where)
        if done is not None:
            return done
    if a.dtype.kind not in "fc":
        return mean(a, axis, dtype, out, keepdims, where=where)
    if where is not None and where is not True:
        return _masked_moment("mean", a, axis, dtype, out, keepdims, where, None, 0, True, {})
    # NumPy's own where no gradient is recorded (its warnings too: "Mean of empty slice")
    fast = _numpy_order_stat("nanmean", a, None, out, axis=axis, dtype=dtype,
                             keepdims=keepdims)
    if fast is not None:
        return fast
    s = nansum(a, axis, dtype, keepdims=keepdims)
    n = _nancount(a, axis, keepdims)
    # NumPy's true_divide(sum, count, casting='unsafe'): divided in the dtype promoted with
    # intp (complex64 in complex128), then cast back to the sum's dtype
    wide = np.result_type(s.dtype, np.intp)
    cnt_dt = np.float64 if wide.kind == "c" else wide
    return _out(arr(arr(s, wide) / arr(n.astype(cnt_dt), like=s), s.dtype), out, reduction=True)


def nanvar(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, where=None,
           mean=None, correction=None):  # noqa: A002
    """``var`` ignoring NaN.

    >>> import ndgrad as np
    >>> np.nanvar([1.0, np.nan, 3.0])
    np.float64(1.0)
    """
    _one_of(ddof, correction)
    a = arr(a)
    _float_out_check("nanvar", a, out)
    if out is not None:
        done = _numpy_out("nanvar", a, out, lambda: nanvar(
            a, axis, dtype, None, ddof, keepdims, where=where, mean=mean,
            correction=correction), axis=_reduction_axis(axis), dtype=dtype,
            keepdims=keepdims, where=where, mean=mean, **_ddof_kw(ddof, correction))
        if done is not None:
            return done
    if a.dtype.kind not in "fc":
        return var(a, axis, dtype, out, ddof, keepdims, where=where, mean=mean,
                   correction=correction)
    if (where is not None and where is not True) or mean is not None:
        return _masked_moment("var", a, axis, dtype, out, keepdims, where, mean,
                              correction if correction is not None else ddof, True,
                              _ddof_kw(ddof, correction))
    # NumPy's own, nothing recorded (its warnings too: "Degrees of freedom <= 0 for slice.")
    kw = {"ddof": ddof} if correction is None else {"correction": correction}
    fast = _numpy_order_stat("nanvar", a, None, out, axis=axis, dtype=dtype,
                             keepdims=keepdims, **kw)
    if fast is not None:
        return fast
    axis = _ufunc_axis(a, axis)  # (NumPy's nanvar reduces a 0-d array over axis 0 or -1)
    c = correction if correction is not None else ddof
    m = nanmean(a, axis, dtype, keepdims=True)
    d = std("where")(std("isnan")(a), 0.0, a - m)  # zero where a is NaN (only there)
    sq = std("real")(d * std("conj")(d)) if d.dtype.kind == "c" else d * d  # |d|^2 (NumPy)
    # (NumPy's nanvar sums the squares in dtype= when given: its result's dtype)
    s = std("sum")(sq, axis=_axis(axis), keepdims=keepdims,
                   **({} if dtype is None else {"dtype": np.dtype(dtype)}))
    n = _nancount(a, axis, keepdims) - c
    r = s / arr(np.maximum(n, 0).astype(s.dtype), like=s)
    bad = n <= 0   # (NumPy's: nan where the degrees of freedom are <= 0, not inf)
    if is_symbolic(bad) or np.any(bad):
        r = std("where")(bad if is_symbolic(bad) else arr(bad, like=r),
                         arr(np.nan, r.dtype, like=r), r)
    return _out(r, out, reduction=True)


def nanstd(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, where=None,
           mean=None, correction=None):
    """``std`` ignoring NaN.

    >>> import ndgrad as np
    >>> np.nanstd([1.0, np.nan, 3.0])
    np.float64(1.0)
    """
    _one_of(ddof, correction)
    a = arr(a)
    _float_out_check("nanvar", a, out)
    _float_out_check("std", a, out)
    if out is not None:
        done = _numpy_out("nanstd", a, out, lambda: nanstd(
            a, axis, dtype, None, ddof, keepdims, where=where, mean=mean,
            correction=correction), axis=_reduction_axis(axis), dtype=dtype,
            keepdims=keepdims, where=where, mean=mean, **_ddof_kw(ddof, correction))
        if done is not None:
            return done
    if (where is not None and where is not True) or mean is not None:
        return _masked_moment("std", a, axis, dtype, out, keepdims, where, mean,
                              correction if correction is not None else ddof,
                              a.dtype.kind in "fc", _ddof_kw(ddof, correction))
    v = nanvar(a, axis, dtype, None, ddof, keepdims, correction=correction)
    # (a constant slice: 0 with gradient 0, as std's rule gives -- the minimum-norm
    # subgradient, not sqrt's inf times the variance's 0)
    zero = v == 0
    return _out(std("where")(zero, v, std("sqrt")(std("where")(zero, 1.0, v))), out,
                reduction=True)


def _nanextreme(name, a, axis, out, keepdims, initial, where):
    a = arr(a)
    axis = _ufunc_axis(a, axis)
    kw = {k: to_numpy(v) if is_array(v) else v
          for k, v in (("initial", initial), ("where", where)) if v is not None}
    if a.dtype.kind in "fc" and a.size:
        # NumPy's own (one pass where no NaN is found), where no gradient is recorded
        fast = _numpy_order_stat("nan" + name, a, None, out, axis=_axis(axis),
                                 keepdims=keepdims, **kw)
        if fast is not None:
            return fast
    if a.dtype.kind not in "fc" or a.size == 0:
        return _extreme(name, a, axis, out, keepdims, initial, where)
    isn = std("isnan")(a)
    fill = -float("inf") if name == "max" else float("inf")
    masked = std("where")(isn, fill, a)
    if kw:  # (max's own checks: a where= mask needs an initial value)
        iv = np.asarray(kw.get("initial", 0.0))
        if iv.ndim == 0 and iv.dtype.kind in "fc" and np.isnan(iv):
            # NumPy's fmax/fmin.reduce passes over a NaN initial as over a NaN element:
            # the identity (-inf / inf) instead, and NaN where no element counts
            r = _extreme(name, masked, axis, None, keepdims, fill, where)
            valid = ~isn if where is None else ~isn & arr(where, like=a)
            r = std("where")(std("any")(valid, axis=_axis(axis), keepdims=keepdims), r,
                             arr(iv, r.dtype, like=r))
        else:
            r = _extreme(name, masked, axis, None, keepdims, initial, where)
        return _out(_nanextreme_value(name, a, axis, keepdims, kw, r), out, reduction=True)
    r = std(name)(masked, axis=_axis(axis), keepdims=keepdims)
    if is_symbolic(a):
        # an nd.jit or graph value: NumPy's own nanmax / nanmin as an op (its All-NaN
        # warning and the NaN it keeps, when the plan runs), the masked max's gradient
        from .aliases import numpys_value
        return _out(numpys_value("nan" + name, (a,), r, axis=_axis(axis),
                                 keepdims=keepdims), out, reduction=True)
    allnan = np.all(to_numpy(isn), axis=_axis(axis), keepdims=keepdims)
    if np.any(allnan):
        import warnings
        warnings.warn("All-NaN slice encountered", RuntimeWarning, stacklevel=3)
        # NumPy's fmax/fmin.reduce keeps one of the NaNs itself (complex nan-0j keeps -0j)
        npf = np.fmax if name == "max" else np.fmin
        with np.errstate(all="ignore"):
            nans = npf.reduce(to_numpy(a), axis=_axis(axis), keepdims=keepdims)
        r = std("where")(arr(allnan, like=r), arr(np.asarray(nans), like=r), r)
    return _out(_nanextreme_value(name, a, axis, keepdims, kw, r), out, reduction=True)


def _nanextreme_value(name, a, axis, keepdims, kw, r):
    """``r`` (the recorded max/min of the NaN-masked values) with NumPy's own value: its
    fmax/fmin.reduce keeps the first of tied zeros (0.0 and -0.0), where max keeps 0.0."""
    if not numpy_data(a):
        return r
    import warnings
    from .aliases import _exact
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # (warned above, once)
        value = getattr(np, "nan" + name)(to_numpy(a), axis=_axis(axis), keepdims=keepdims,
                                          **kw)
    return _exact(host_result(value, like=r), r)


def nanmax(a, axis=None, out=None, keepdims=False, initial=None, where=None):
    """``max`` ignoring NaN.

    >>> import ndgrad as np
    >>> np.nanmax([1.0, np.nan, 3.0])
    np.float64(3.0)
    >>> np.nanmax([1.0, np.nan, 3.0], initial=5.0)
    np.float64(5.0)
    """
    return _nanextreme("max", a, axis, out, keepdims, initial, where)


def nanmin(a, axis=None, out=None, keepdims=False, initial=None, where=None):
    """``min`` ignoring NaN.

    >>> import ndgrad as np
    >>> np.nanmin([1.0, np.nan, 3.0])
    np.float64(1.0)
    """
    return _nanextreme("min", a, axis, out, keepdims, initial, where)


nanargmax = host("nanargmax", "[1.0, np.nan, 3.0]")
nanargmin = host("nanargmin", "[1.0, np.nan, 3.0]")


# -- covariance ----------------------------------------------------------------------------
def _check_cov_weights(name, w, n, integer=False):
    """NumPy's checks of ``cov``'s weights, with its error classes (they were not made:
    non-integer or negative weights gave a number). The value checks need the values:
    inside ``nd.jit`` only the shapes are checked."""
    if w.ndim > 1:
        raise RuntimeError(f"cannot handle multidimensional {name}")
    if w.shape[0] != n:
        raise RuntimeError(f"incompatible numbers of samples and {name}")
    if is_symbolic(w):
        return
    v = to_numpy(w)
    if integer and not np.all(v == np.around(v)):
        raise TypeError(f"{name} must be integer")
    if np.any(v < 0):
        raise ValueError(f"{name} cannot be negative")


def cov(m, y=None, rowvar=True, bias=False, ddof=None, fweights=None, aweights=None, *,
        dtype=None):
    """Covariance matrix of the variables (rows, unless ``rowvar=False``); differentiable.

    >>> import ndgrad as np
    >>> np.cov([[0, 1, 2], [2, 1, 0]])
    array([[ 1., -1.],
           [-1.,  1.]])
    """
    from .shape import atleast_2d
    m = arr(m)
    for nm, v in (("m", m), ("y", None if y is None else arr(y))):
        if v is not None and v.ndim > 2:
            raise ValueError(f"cov: {nm} has more than 2 dimensions (shape {v.shape})")
    if ddof is not None and ddof != int(ddof):
        raise ValueError("ddof must be integer")
    if dtype is None:  # NumPy's: at least float64 (float32 input gives a float64 result)
        dtype = np.result_type(m.dtype, *(() if y is None else (arr(y).dtype,)), np.float64)
    X = arr(atleast_2d(m), dtype)
    if not rowvar and m.ndim != 1:
        X = std("matrix_transpose")(X)
    if X.shape[0] == 0:  # no variables: NumPy's empty (0, 0) result, whatever y is
        return arr(np.zeros((0, 0)), like=X)
    if y is not None:
        Y = arr(atleast_2d(arr(y)), dtype)
        if not rowvar and Y.shape[0] != 1:
            Y = std("matrix_transpose")(Y)
        X = std("concat")([X, Y], axis=0)
    if ddof is None:
        ddof = 0 if bias else 1
    w = None
    if fweights is not None:
        w = arr(fweights, np.float64)
        _check_cov_weights("fweights", w, X.shape[1], integer=True)
    if aweights is not None:
        aw = arr(aweights, np.float64)
        _check_cov_weights("aweights", aw, X.shape[1])
        w = aw if w is None else w * aw
    if w is None:
        n = X.shape[1]
        avg = std("mean")(X, axis=1, keepdims=True)
        fact = n - ddof
    else:
        # NumPy's average: the weights in the result's dtype (complex for complex X: a
        # complex sum of weights, and a complex division)
        wa = w if X.dtype.kind != "c" else arr(w, np.result_type(X.dtype, w.dtype))
        wsum = std("sum")(wa)
        avg = std("sum")(X * wa, axis=1, keepdims=True) / wsum
        if ddof == 0:
            fact = wsum
        elif aweights is None:
            fact = wsum - ddof
        else:
            fact = wsum - ddof * std("sum")(w * arr(aweights, np.float64)) / wsum
    if not is_symbolic(fact) and bool(to_numpy(fact) <= 0):
        warnings.warn("Degrees of freedom <= 0 for slice", RuntimeWarning, stacklevel=2)
        fact = 0.0  # NumPy's: the covariance is nan (0/0), not -0.0 (0 / (0 - ddof))
    if X.dtype.kind not in "fc":
        # NumPy subtracts the (float) mean in place in an integer dtype=: its casting error
        raise TypeError(f"Cannot cast ufunc 'subtract' output from dtype('float64') to "
                        f"{np.dtype(X.dtype)!r} with casting rule 'same_kind' (cov dtype=)")
    Xc = X - avg
    if Xc.dtype != X.dtype:   # NumPy's X -= avg: in place, in X's dtype (float32 dtype=)
        Xc = arr(Xc, X.dtype)
    Xw = Xc if w is None else Xc * w
    # NumPy's dot(X, (X * w).T.conj()): the weights multiply the right operand (the
    # products round otherwise the other way round)
    XwT = std("matrix_transpose")(Xw)
    c = std("matmul")(Xc, std("conj")(XwT) if Xc.dtype.kind == "c" else XwT)
    # times the float64 reciprocal, cast back, as NumPy's ``c *= 1 / fact`` (c / fact,
    # or a float32 reciprocal, round otherwise)
    if not isinstance(fact, (int, float)):
        return _squeezed(c * (1.0 / fact))
    inv, cdt = float(np.true_divide(1.0, fact)), c.dtype
    if np.dtype(cdt).itemsize < (16 if np.dtype(cdt).kind == "c" else 8):
        wide = np.complex128 if np.dtype(cdt).kind == "c" else np.float64
        return _squeezed(arr(arr(c, wide) * inv, cdt))
    return _squeezed(c * inv)


def _squeezed(c):
    """A (1, 1) covariance as a 0-d array (NumPy squeezes it)."""
    if c.shape == (1, 1):
        return std("reshape")(c, ())
    return c


def corrcoef(x, y=None, rowvar=True, bias=None, ddof=None, *, dtype=None):
    """Pearson correlation coefficients (differentiable).

    >>> import ndgrad as np
    >>> np.corrcoef([1.0, 2.0, 3.0], [1.0, 2.0, 2.5]).round(4)
    array([[1.   , 0.982],
           [0.982, 1.   ]])
    """
    c = cov(x, y, rowvar, dtype=dtype)
    if c.ndim == 0:
        return c / c
    d = std("sqrt")(std("real")(diag_of(c)) if c.dtype.kind == "c" else diag_of(c))
    c = c / std("reshape")(d, (-1, 1))
    c = c / std("reshape")(d, (1, -1))
    if c.dtype.kind != "c":
        return std("clip")(c, -1.0, 1.0)
    # NumPy clips the real and the imaginary parts to [-1, 1] (a diagonal entry of
    # 1.0000000000000002 is 1): corrected only where a part lies outside
    re, im = std("real")(c), std("imag")(c)
    c = std("where")(std("abs")(re) > 1, c + (std("clip")(re, -1.0, 1.0) - re), c)
    return std("where")(std("abs")(im) > 1, c + 1j * (std("clip")(im, -1.0, 1.0) - im), c)


def diag_of(c):
    n = c.shape[0]
    return c[np.arange(n), np.arange(n)]


# -- counting -------------------------------------------------------------------------------
def histogram(a, bins=10, range=None, density=None, weights=None):  # noqa: A002
    """Counts of ``a`` in ``bins`` and the bin edges (NumPy's, on the values).

    >>> import ndgrad as np
    >>> np.histogram([1, 2, 1], bins=[0, 1, 2, 3])
    (array([0, 2, 1]), array([0, 1, 2, 3]))
    """
    nodiff_guard("histogram", weights)
    b = to_numpy(bins) if is_array(bins) or is_symbolic(bins) else bins
    a = arr(a)
    if is_symbolic(a) or is_symbolic(weights):
        return _traced_with_weights("histogram", _histogram_weighted, True, a, weights,
                                    {"bins": b, "range": range, "density": density})
    h, e = np.histogram(to_numpy(a), bins=b, range=range, density=density,
                        weights=None if weights is None else to_numpy(arr(weights)))
    # (the edges, and a density, move with a's values when NumPy takes them from its range)
    return host_values("histogram", (arr(h, like=a), arr(e, like=a)), a)


def _traced_with_weights(name, npfunc, multi, a, weights, kw):
    """nd.jit, graph mode: NumPy's ``npfunc`` (histogram's or its edges') as an op, run
    when the plan runs, the weights its second array (bins that depend on the data, such
    as 'auto', give nd.jit's TracerShapeError). Its floating results move with the data,
    so a gradient through them raises, as eager's does (host_values)."""
    arrays = (a,) if weights is None else (a, arr(weights))
    return _registry.apply(make_host_op(name, npfunc, multi=multi, moves=True), arrays,
                           {"_rest": (), "_kw": kw})


def _weights_second(npfunc):
    """``npfunc(a, weights=weights, **kw)`` with the weights as a second positional
    array (how a host op passes its arrays)."""
    def f(a, weights=None, **kw):
        return npfunc(a, weights=weights, **kw)
    return f


_histogram_weighted = _weights_second(np.histogram)
_bin_edges_weighted = _weights_second(np.histogram_bin_edges)


def histogram_bin_edges(a, bins=10, range=None, weights=None):  # noqa: A002
    """The bin edges ``histogram`` would use.

    >>> import ndgrad as np
    >>> np.histogram_bin_edges([0, 1], bins=2)
    array([0. , 0.5, 1. ])
    """
    b = to_numpy(bins) if is_array(bins) or is_symbolic(bins) else bins
    a = arr(a)
    if is_symbolic(a) or is_symbolic(weights):
        return _traced_with_weights("histogram_bin_edges", _bin_edges_weighted, False, a,
                                    weights, {"bins": b, "range": range})
    return host_values("histogram_bin_edges", arr(np.histogram_bin_edges(
        to_numpy(a), bins=b, range=range,
        weights=None if weights is None else to_numpy(weights)), like=a), a)


def _host_bins(bins):
    """``bins`` for NumPy's histogram2d/dd: ndgrad arrays (also inside a list) as NumPy
    arrays (NumPy would hand them back to ndgrad, which would call NumPy again)."""
    if is_array(bins):
        return to_numpy(bins)
    if isinstance(bins, (list, tuple)):
        return type(bins)(to_numpy(b) if is_array(b) else b for b in bins)
    return bins


def histogram2d(x, y, bins=10, range=None, density=None, weights=None):  # noqa: A002
    """2-D histogram (NumPy's, on the values).

    >>> import ndgrad as np
    >>> np.histogram2d([0, 1], [0, 1], bins=2)[0]
    array([[1., 0.],
           [0., 1.]])
    """
    nodiff_guard("histogram2d", weights)
    x, y = arrs(x, y)
    r = np.histogram2d(to_numpy(x), to_numpy(y), bins=_host_bins(bins), range=range,
                       density=density, weights=None if weights is None else to_numpy(weights))
    return host_values("histogram2d", wrap_result(tuple(r), like=x), x, y)


def histogramdd(sample, bins=10, range=None, density=None, weights=None):  # noqa: A002
    """N-D histogram (NumPy's, on the values).

    >>> import ndgrad as np
    >>> np.histogramdd([[0, 0], [1, 1]], bins=2)[0].shape
    (2, 2)
    """
    nodiff_guard("histogramdd", weights)
    values = to_numpy(arr(sample))
    if not (is_array(sample) or hasattr(sample, "shape")):
        # NumPy's rule: a sequence is D coordinate arrays (rows of the stack), not N
        # points (a list of three length-3 arrays gave the transposed histogram)
        values = np.atleast_2d(values).T
    h, e = np.histogramdd(values, bins=_host_bins(bins), range=range,
                          density=density,
                          weights=None if weights is None else to_numpy(weights))
    s = arr(sample)
    h, e = host_values("histogramdd", (arr(h, like=s), [arr(x, like=s) for x in e]), s)
    return h, host_values("histogramdd", e, s)


def bincount(x, /, weights=None, minlength=0):
    """Occurrences of each non-negative integer (weighted sums with ``weights``,
    differentiable in the weights).

    >>> import ndgrad as np
    >>> np.bincount([0, 1, 1, 3])
    array([1, 2, 0, 1])
    """
    if isinstance(x, (list, tuple)) and not np.asarray(x).size:
        x = np.asarray(x, dtype=np.intp)   # (NumPy reads an empty list as no integers)
    x = arr(x)
    xv = to_numpy(x)
    if weights is None:
        return arr(np.bincount(xv, minlength=minlength), like=x)
    w = arr(weights)
    n = builtins.max(int(xv.max()) + 1 if xv.size else 0, minlength)
    if w._node is None:
        return arr(np.bincount(xv, weights=to_numpy(w), minlength=minlength), like=w)
    onehot = (xv[None, :] == np.arange(n)[:, None]).astype(np.float64)
    return std("matmul")(arr(onehot, like=w), arr(w, np.float64))


digitize = host("digitize", "[0.5, 1.5, 2.5], [1, 2]", nargs=2)

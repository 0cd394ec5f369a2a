"""Ops whose TensorFlow definition differs from the eager (NumPy/JAX) one, each declared
once with its own gradient rule, TensorFlow's:

- reductions keep the input dtype (``reduce_sum`` of int32 is int32, ``reduce_mean`` of
  ints truncates) and take their shapes at run time, so unknown dims work;
  ``reduce_max``/``reduce_min`` split the gradient across ties;
- ``maximum``/``minimum`` send the gradient to the first argument on ties;
  ``relu'(0) = 0``;
- shape ops (``Reshape``, ``Squeeze``, ``ExpandDims``, ``ConcatV2``, ``Split``,
  ``GatherV2``, ``Tile``) whose gradients use the runtime shape of their input.

Rules take ``xp`` like every registry rule; helpers below apply an op on symbolic or
ndgrad inputs and compute directly on raw arrays.
"""
from __future__ import annotations

import warnings

import numpy as np

from .._ops.registry import REGISTRY, defop, apply, nondiff
from .._backend import numpy_backend, to_numpy
from .._ops import registry as _registry
from ..graph.dynamic import broadcast_like, reshape_like
from .._ops.statistical import _exclusive_prod
from ..graph.core import Tensor
from ..graph.gradients import SPARSE_ROWS_RULES, SPARSE_PASSTHROUGH_RULES

__all__ = []
_npx = numpy_backend.xp


def _symbolic(*xs):
    types = (_registry.Array,) + _registry.graph_hooks["types"]
    return any(isinstance(x, types) for x in xs)


def call(op, xp, arrays, params=None):
    """Apply ``op`` (symbolic/ndgrad inputs) or run its forward (raw arrays)."""
    params = params or {}
    if _symbolic(*arrays):
        return apply(op, tuple(arrays), params)
    return op.forward(xp, *arrays, **params)


# -- reductions ------------------------------------------------------------------------
def _norm_axes(axes, ndim):
    if axes is None:
        return tuple(range(ndim))
    return tuple(sorted(set(a % ndim if ndim else 0 for a in axes)))


def _ndim(x):
    if isinstance(x, Tensor):
        return None if x._shape is None else len(x._shape)
    return x.ndim


def _expand_like_fwd(xp, g, x, axes):
    return g[tuple(None if i in _norm_axes(axes, x.ndim) else slice(None)
                   for i in range(x.ndim))]


_EXPAND_LIKE = defop("tf.expand_like", _expand_like_fwd,
                     lambda xp, gg, ans, g, x, axes: (reshape_like(xp, gg, g), None),
                     save="inputs", shape_rule=lambda args, params: [(None,
                                                                      args[0]._np_dtype)])


def _expand(g, axes, keepdims, ndim, x=None):
    if keepdims or axes is None:
        return g       # a full reduction's result broadcasts against the input as it is
    if ndim is None:
        # the input's rank is known only at run time: re-insert the axes then
        return apply(_EXPAND_LIKE, (g, x), {"axes": tuple(axes)})
    axes = _norm_axes(axes, ndim)
    if not axes:
        return g
    return g[tuple(None if i in axes else slice(None) for i in range(ndim))]


def _reduce_rule(kind):
    def rule(args, params):
        x = args[0]
        axes, keepdims = params["axes"], params["keepdims"]
        with np.errstate(all="ignore"):
            dt = np.asarray(_FWD[kind](_npx, np.zeros((1,), x._np_dtype), axes=None,
                                       keepdims=False)).dtype
        if x._shape is None:
            if axes is None and not keepdims:
                return [((), dt)]
            return [(None, dt)]
        nd_ = len(x._shape)
        ax = _norm_axes(axes, nd_)
        for a in (axes or ()):
            if not -max(nd_, 1) <= a < max(nd_, 1):
                raise ValueError(f"Invalid reduction dimension {a} for input with {nd_} "
                                 f"dimensions. (shape {x.shape})")
        if keepdims:
            shape = tuple(1 if i in ax else d for i, d in enumerate(x._shape))
        else:
            shape = tuple(d for i, d in enumerate(x._shape) if i not in ax)
        return [(shape, dt)]
    return rule


def _ax(axes):
    return None if axes is None else tuple(axes)


def _sum_fwd(xp, x, axes, keepdims):
    if type(x) is np.ndarray and x.dtype.kind in "fc":
        return np.add.reduce(x, axis=axes, keepdims=keepdims)
    if xp.isdtype(x.dtype, "bool"):
        x = xp.astype(x, xp.int64)
    return xp.sum(x, axis=_ax(axes), keepdims=keepdims, dtype=x.dtype)


def _sum_numpy_form(p, dtype):
    """The plan compiler's direct call (``graph/compiler/direct.call_form``)."""
    if dtype is not None and dtype.kind in "fc":
        return np.add.reduce, (p["axes"], None, None, p["keepdims"])
    return None


_sum_fwd.numpy_form = _sum_numpy_form


def _mean_fwd(xp, x, axes, keepdims):
    if xp.isdtype(x.dtype, ("integral", "bool")):
        s = xp.sum(xp.astype(x, xp.int64), axis=_ax(axes), keepdims=keepdims)
        n = max(1, int(np.prod([x.shape[a] for a in _norm_axes(axes, x.ndim)] or [1])))
        q = xp.where(s < 0, -((-s) // n), s // n)
        return xp.astype(q, x.dtype)
    if getattr(x, "size", 1) == 0:
        # (the mean of nothing is NaN, as TF's, without NumPy's "Mean of empty slice")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            return xp.mean(x, axis=_ax(axes), keepdims=keepdims)
    return xp.mean(x, axis=_ax(axes), keepdims=keepdims)


def _extreme_of_empty(x, axes, keepdims, fn, highest):
    """TF's max/min over no elements: the reduction's identity, the dtype's lowest value
    (-inf, INT_MIN) for max and highest for min (NumPy raises)."""
    dt = x.dtype
    if dt.kind == "f":
        init = np.inf if highest else -np.inf
    elif dt.kind in "iu":
        info = np.iinfo(dt)
        init = info.max if highest else info.min
    else:
        return None
    return fn(x, axis=_ax(axes), keepdims=keepdims, initial=init)


def _max_fwd(xp, x, axes, keepdims):
    if type(x) is np.ndarray and x.size == 0:
        r = _extreme_of_empty(x, axes, keepdims, np.max, False)
        if r is not None:
            return np.asarray(r)
    return xp.max(x, axis=_ax(axes), keepdims=keepdims)


def _min_fwd(xp, x, axes, keepdims):
    if type(x) is np.ndarray and x.size == 0:
        r = _extreme_of_empty(x, axes, keepdims, np.min, True)
        if r is not None:
            return np.asarray(r)
    return xp.min(x, axis=_ax(axes), keepdims=keepdims)


def _extremum_numpy_form(ufunc):
    def form(p, dtype):
        """The plan compiler's direct call (``graph/compiler/direct.call_form``): NumPy's
        ``max``/``min`` of an ndarray is this ufunc's ``reduce``."""
        return ufunc.reduce, (_ax(p["axes"]), None, None, p["keepdims"])
    return form


_max_fwd.numpy_form = _extremum_numpy_form(np.maximum)
_min_fwd.numpy_form = _extremum_numpy_form(np.minimum)


def _prod_fwd(xp, x, axes, keepdims):
    return xp.prod(x, axis=_ax(axes), keepdims=keepdims, dtype=x.dtype)


def _any_fwd(xp, x, axes, keepdims):
    return xp.any(x, axis=_ax(axes), keepdims=keepdims)


def _all_fwd(xp, x, axes, keepdims):
    return xp.all(x, axis=_ax(axes), keepdims=keepdims)


_FWD = {"sum": _sum_fwd, "mean": _mean_fwd, "max": _max_fwd, "min": _min_fwd,
        "prod": _prod_fwd, "any": _any_fwd, "all": _all_fwd}


def _sum_vjp(xp, g, ans, x, axes, keepdims):
    return (broadcast_like(xp, _expand(g, axes, keepdims, _ndim(x), x), x),)


def _mean_grad_fwd(xp, g, x, axes, keepdims):
    n = int(np.prod([x.shape[a] for a in _norm_axes(axes, x.ndim)] or [1]))
    ge = _expand(g, axes, keepdims, x.ndim)
    return xp.broadcast_to(ge / n, x.shape)


def _mean_grad_vjp(xp, gg, ans, g, x, axes, keepdims):
    return (call(REDUCE["mean"], xp, (gg,), {"axes": axes, "keepdims": keepdims}), None)


_mean_grad = defop("tf.mean_grad", _mean_grad_fwd, _mean_grad_vjp, save="inputs",
                   shape_rule=lambda args, params: [(args[1]._shape, args[0]._np_dtype)])


def _mean_vjp(xp, g, ans, x, axes, keepdims):
    return (call(_mean_grad, xp, (g, x), {"axes": axes, "keepdims": keepdims}),)


def _extreme_vjp(xp, g, ans, x, axes, keepdims):
    # TensorFlow's rule: the gradient is shared equally by the tied maxima
    nd_ = _ndim(x)
    ge = _expand(g, axes, keepdims, nd_, x)
    ye = _expand(ans, axes, keepdims, nd_, x)
    ind = xp.astype(x == ye, g.dtype)
    num = call(REDUCE["sum"], xp, (ind,), {"axes": axes, "keepdims": True})
    return (ind / num * ge,)


def _prod_vjp(xp, g, ans, x, axes, keepdims):
    # TF's _ProdGrad: the reduced axes (in the order given) moved to the front and made
    # one, and the product of the other elements is the exclusive running product times
    # the reverse one: no division, so exact where the product has zeros, overflows or
    # underflows, or an element is inf or nan (total / x gave 0, inf or nan there)
    nd_ = _ndim(x)
    ge = _expand(g, axes, keepdims, nd_, x)
    if nd_ is not None:
        shape = tuple(getattr(d, "value", d) for d in x.shape)
        red = list(dict.fromkeys(a % nd_ for a in axes)) if axes is not None else \
            list(range(nd_))
        if not red:
            return (ge * xp.ones_like(x),)
        if len(red) == 1:
            others = _exclusive_prod(xp, x, red[0])   # (TF's, without its reshapes)
        elif None not in shape:
            perm = red + [a for a in range(nd_) if a not in red]
            moved = xp.permute_dims(x, tuple(perm)) if perm != list(range(nd_)) else x
            n_red = 1
            for a in red:
                n_red *= shape[a]
            others = xp.reshape(_exclusive_prod(xp, xp.reshape(moved, (n_red, -1)), 0),
                                tuple(shape[a] for a in perm))
            if moved is not x:
                inv = [0] * nd_
                for i, a in enumerate(perm):
                    inv[a] = i
                others = xp.permute_dims(others, tuple(inv))
        else:
            # (lengths unknown when the graph is built: axis by axis, the product over
            # the later axes taken first; exact as TF's, rounded in another order)
            others, part = None, x
            for a in sorted(red, reverse=True):
                e = _exclusive_prod(xp, part, a)
                others = e if others is None else others * e
                part = call(REDUCE["prod"], xp, (part,), {"axes": (a,), "keepdims": True})
        if xp.isdtype(others.dtype, "complex floating"):
            others = xp.conj(others)
        return (ge * others,)
    # (a rank unknown when the graph is built: the quotient form, inexact where the
    # product overflows or underflows)
    is0 = x == 0
    safe = xp.where(is0, 1.0, x)
    nzeros = call(REDUCE["sum"], xp, (xp.astype(is0, x.dtype),), {"axes": axes,
                                                                     "keepdims": True})
    p_nonzero = call(REDUCE["prod"], xp, (safe,), {"axes": axes, "keepdims": True})
    only = xp.logical_and(is0, nzeros == 1)
    grad = xp.where(nzeros == 0, p_nonzero / safe, xp.where(only, p_nonzero, 0.0))
    return (grad * ge,)


_NOGRAD = "boolean result"
REDUCE = {
    "sum": defop("tf.reduce_sum", _sum_fwd, _sum_vjp, save="inputs",
                 shape_rule=_reduce_rule("sum")),
    "mean": defop("tf.reduce_mean", _mean_fwd, _mean_vjp, save="inputs",
                  shape_rule=_reduce_rule("mean")),
    "max": defop("tf.reduce_max", _max_fwd, _extreme_vjp, save="both",
                 shape_rule=_reduce_rule("max")),
    "min": defop("tf.reduce_min", _min_fwd, _extreme_vjp, save="both",
                 shape_rule=_reduce_rule("min")),
    "prod": defop("tf.reduce_prod", _prod_fwd, _prod_vjp, save="inputs",
                  shape_rule=_reduce_rule("prod")),
    "any": defop("tf.reduce_any", _any_fwd, None, shape_rule=_reduce_rule("any"),
                 **nondiff(_NOGRAD)),
    "all": defop("tf.reduce_all", _all_fwd, None, shape_rule=_reduce_rule("all"),
                 **nondiff(_NOGRAD)),
}


# -- elementwise with TensorFlow's gradient conventions ---------------------------------
def _maximum_vjp(xp, g, ans, x, y):
    mask = x >= y
    return (xp.where(mask, g, 0.0), xp.where(mask, 0.0, g))


def _minimum_vjp(xp, g, ans, x, y):
    mask = x <= y
    return (xp.where(mask, g, 0.0), xp.where(mask, 0.0, g))


def _maximum_fwd(xp, x, y):
    return xp.maximum(x, y)


def _minimum_fwd(xp, x, y):
    return xp.minimum(x, y)


# the plan compiler calls the ufunc directly, with ``out=`` into a dead buffer
# (``graph/compiler/direct.direct_fn``)
_maximum_fwd.numpy_ufunc = np.maximum
_minimum_fwd.numpy_ufunc = np.minimum
MAXIMUM = defop("tf.maximum", _maximum_fwd, _maximum_vjp)
MINIMUM = defop("tf.minimum", _minimum_fwd, _minimum_vjp)
# TF's ReluGrad and Relu6Grad multiply the cotangent by the mask (``g * (x > 0)``), so a
# nan or inf cotangent gives nan where the mask is 0 (its other activations' kernels
# select, and give 0 there), and -0.0 for a negative g: ``g * 0.0`` there keeps both
# (a where, not a product with the mask: strict backends refuse bool * float)
RELU = defop("tf.relu", lambda xp, x: xp.maximum(x, xp.zeros((), dtype=x.dtype)),
             lambda xp, g, ans, x: (xp.where(ans > 0, g, g * 0.0),), save="ans")
RELU6 = defop("tf.relu6", lambda xp, x: xp.clip(x, 0, 6),
              lambda xp, g, ans, x: (xp.where(xp.logical_and(x > 0, x < 6), g, g * 0.0),))


def _sigmoid_fwd(xp, x):
    return 1 / (1 + xp.exp(-x))


SIGMOID = defop("tf.sigmoid", _sigmoid_fwd, lambda xp, g, ans, x: (g * ans * (1 - ans),),
                save="ans")


def _softplus_fwd(xp, x):
    return xp.log1p(xp.exp(-xp.abs(x))) + xp.maximum(x, xp.zeros((), dtype=x.dtype))


SOFTPLUS = defop("tf.softplus", _softplus_fwd,
                 lambda xp, g, ans, x: (g * call(SIGMOID, xp, (x,)),))


def _softsign_vjp(xp, g, ans, x):
    # TF's SoftsignGrad: g / (1 + |x|)^2, 0 at +-inf (the quotient rule's inf / inf there
    # gave NaN)
    d = 1 + xp.abs(x)
    return (g / (d * d),)


SOFTSIGN = defop("tf.softsign", lambda xp, x: x / (1 + xp.abs(x)), _softsign_vjp)
def _sign_vjp(xp, g, ans, x):
    # TF registers a zero gradient for Sign (SignGrad: zeros of x's shape), so a real
    # gradient through it is zeros, not None as for Floor and Round (not differentiable
    # in TF). tf.sign of a complex x is no Sign op in TF 2: div_no_nan(x, |x|), whose
    # gradient moves (0 at x == 0, as div_no_nan's): the shared op's rule, z / |z|'s
    # (tf.gradients conjugates it into TF's convention)
    if not xp.isdtype(x.dtype, "complex floating"):
        return (xp.zeros_like(g),)
    return REGISTRY["sign"].vjp(xp, g, ans, x)


# the forward is the shared op's (NumPy's sign, x/|x| for complex)
SIGN = defop("tf.sign", lambda xp, x: REGISTRY["sign"].forward(xp, x), _sign_vjp,
             save="both")
IDENTITY = defop("tf.identity", lambda xp, x: x, lambda xp, g, ans, x: (g,), save="none")
STOP_GRADIENT = defop("tf.stop_gradient", lambda xp, x: x, None,
                      **nondiff("tf.stop_gradient blocks gradients"))


# -- shape ops with runtime-shape gradients ----------------------------------------------
def _reshape_like_vjp(xp, g, ans, x, **params):
    return (reshape_like(xp, g, x),)


def _reshape_fwd(xp, x, shape):
    return xp.reshape(x, shape)


RESHAPE = defop("tf.reshape", _reshape_fwd, _reshape_like_vjp, view=True)
SQUEEZE = defop("tf.squeeze", lambda xp, x, axis: xp.squeeze(x, axis=axis),
                _reshape_like_vjp, view=True)
EXPAND_DIMS = defop("tf.expand_dims", lambda xp, x, axis: xp.expand_dims(x, axis=axis),
                    _reshape_like_vjp, view=True)


def _reshape_rule(args, params):
    x = args[0]
    shape = list(params["shape"])
    if -1 in shape:
        i = shape.index(-1)
        known = 1
        for j, s in enumerate(shape):
            if j != i:
                known *= s
        if x._shape is not None and None not in x._shape:
            size = int(np.prod(x._shape))
            if known == 0 or size % known:
                raise ValueError(f"Cannot reshape a tensor with {size} elements to shape "
                                 f"{params['shape']}")
            shape[i] = size // known
        else:
            shape[i] = None
    elif x._shape is not None and None not in x._shape:
        size, want = int(np.prod(x._shape)), int(np.prod(shape))
        if size != want:
            raise ValueError(f"Cannot reshape a tensor with {size} elements to shape "
                             f"{list(params['shape'])} ({want} elements) for 'Reshape' with "
                             f"input shapes: {x.shape}")
    return [(tuple(shape), x._np_dtype)]


RESHAPE.shape_rule = _reshape_rule


def _reshape_dyn_rule(args, params):
    x = args[0]
    static = params["static"]
    if static is None:
        return [(None, x._np_dtype)]
    if x._shape is not None and None not in x._shape and sum(d is None for d in static) == 1:
        known = int(np.prod([d for d in static if d is not None]))
        size = int(np.prod(x._shape))
        if known and size % known == 0:
            static = tuple(size // known if d is None else d for d in static)
    return [(static, x._np_dtype)]


RESHAPE_DYN = defop("tf.reshape_dynamic",
                    # a shape is host data: an explicit copy off a device (a sync on a GPU)
                    lambda xp, x, s, static: xp.reshape(x, tuple(int(d) for d in
                                                                 to_numpy(s))),
                    lambda xp, g, ans, x, s, static: (reshape_like(xp, g, x), None),
                    shape_rule=_reshape_dyn_rule)


def _concat_fwd(xp, *xs, axis):
    return xp.concat(xs, axis=axis)


def _concat_vjp(xp, g, ans, *xs, axis):
    return tuple(call(CONCAT_GRAD, xp, (g,) + tuple(xs), {"axis": axis}))


def _concat_grad_fwd(xp, g, *xs, axis):
    out = []
    start = 0
    for x in xs:
        n = x.shape[axis]
        key = (slice(None),) * (axis % g.ndim) + (slice(start, start + n),)
        out.append(g[key])
        start += n
    return tuple(out)


def _concat_grad_vjp(xp, gs, ans, g, *xs, axis):
    return (call(CONCAT, xp, tuple(gs), {"axis": axis}),) + (None,) * len(xs)


CONCAT = defop("tf.concat", _concat_fwd, _concat_vjp, save="inputs")
CONCAT_GRAD = defop("tf.concat_grad", _concat_grad_fwd, _concat_grad_vjp, save="ans",
                    multi=True,
                    shape_rule=lambda args, params: [(x._shape, args[0]._np_dtype)
                                                     for x in args[1:]])


def _split_fwd(xp, x, sizes, axis):
    out = []
    start = 0
    sizes = list(sizes)
    if -1 in sizes:
        i = sizes.index(-1)
        sizes[i] = x.shape[axis] - (sum(sizes) + 1)
    if any(n < 0 for n in sizes) or sum(sizes) != x.shape[axis]:
        raise ValueError(f"split sizes {sizes} do not add up to dimension {axis} of "
                         f"shape {x.shape}")
    for n in sizes:
        key = (slice(None),) * (axis % x.ndim) + (slice(start, start + n),)
        out.append(x[key])
        start += n
    return tuple(out)


def _split_rule(args, params):
    x = args[0]
    if x._shape is None:
        return [(None, x._np_dtype)] * len(params["sizes"])
    shp = list(x._shape)
    ax = params["axis"] % len(shp)
    d = shp[ax]
    sizes = list(params["sizes"])
    if -1 in sizes:
        sizes[sizes.index(-1)] = None if d is None else d - (sum(sizes) + 1)
    return [(tuple(shp[:ax] + [n] + shp[ax + 1:]), x._np_dtype) for n in sizes]


SPLIT = defop("tf.split", _split_fwd,
              lambda xp, gs, ans, x, sizes, axis: (call(CONCAT, xp, tuple(gs),
                                                        {"axis": axis}),),
              save="ans", multi=True, shape_rule=_split_rule)


def _gather_fwd(xp, x, idx, axis):
    # TF's CPU kernel: every index in [0, n) (NumPy's take would read a negative one
    # from the end: a silently different row)
    i = np.asarray(idx)
    n = np.shape(x)[axis]
    if i.size and (i.min() < 0 or i.max() >= n):
        from ..graph import errors
        k = int(np.flatnonzero(((i < 0) | (i >= n)).reshape(-1))[0])
        raise errors.InvalidArgumentError(
            None, None, f"indices[{k}] = {int(i.reshape(-1)[k])} is not in [0, {n})")
    return np.take(x, idx, axis=axis)


def _gather_grad_fwd(xp, g, x, idx, axis):
    z = np.zeros(x.shape, dtype=g.dtype)
    key = (slice(None),) * (axis % x.ndim) + (idx,)
    np.add.at(z, key, g)
    return z


GATHER = defop("tf.gather", _gather_fwd,
               lambda xp, g, ans, x, idx, axis: (call(GATHER_GRAD, xp, (g, x, idx),
                                                      {"axis": axis}), None))
GATHER_GRAD = defop("tf.gather_grad", _gather_grad_fwd,
                    lambda xp, gg, ans, g, x, idx, axis: (call(GATHER, xp, (gg, idx),
                                                               {"axis": axis}), None, None),
                    shape_rule=lambda args, params: [(args[1]._shape, args[0]._np_dtype)])


def _gather_rows(args, params):
    # a gather along axis 0 reaches its params' rows at ``indices`` only (TF's gradient
    # of it is an IndexedSlices over those rows: its optimizers update just them)
    # (``args``: a graph op's input tensors, or a recorded eager node's saved arrays)
    x = args[0]
    shape = x._shape if isinstance(x, Tensor) else np.shape(x)
    ax = params["axis"]
    if ax == 0 or (shape is not None and len(shape) and ax % len(shape) == 0):
        return args[1]
    return None


SPARSE_ROWS_RULES[GATHER] = _gather_rows
SPARSE_PASSTHROUGH_RULES[IDENTITY] = lambda v, x: v


def _tile_grad_fwd(xp, g, x, multiples):
    shape = []
    for m, s in zip(multiples, x.shape):
        shape += [m, s]
    r = xp.reshape(g, tuple(shape))
    return xp.sum(r, axis=tuple(range(0, 2 * len(multiples), 2)))


def _tiled_shape(shape, multiples):
    """TF's Tile shape function: each size times its multiple where both are known (None
    stands for unknown), 0 where the input's is 0 (any multiple); an input of unknown rank
    takes the multiples' count (tf.tile checks one multiple per dimension)."""
    if shape is None:
        return (None,) * len(multiples) if multiples is not None else None
    if multiples is None or len(multiples) != len(shape):
        multiples = (None,) * len(shape)
    return tuple(0 if s == 0 else s * k if s is not None and k is not None else None
                 for s, k in zip(shape, multiples))


def _tile_rule(args, params):
    return [(_tiled_shape(args[0]._shape, params["multiples"]), args[0]._np_dtype)]


TILE = defop("tf.tile", lambda xp, x, multiples: xp.tile(x, tuple(multiples)),
             lambda xp, g, ans, x, multiples: (call(TILE_GRAD, xp, (g, x),
                                                    {"multiples": multiples}),),
             shape_rule=_tile_rule)
TILE_GRAD = defop("tf.tile_grad", _tile_grad_fwd,
                  lambda xp, gg, ans, g, x, multiples: (call(TILE, xp, (gg,),
                                                             {"multiples": multiples}), None),
                  shape_rule=lambda args, params: [(args[1]._shape, args[0]._np_dtype)])


def _multiples(m):
    """A run's ``multiples`` tensor as Python ints (a 1-D int32/int64 array; host data:
    an explicit copy off a device, as RESHAPE_DYN's shape)."""
    return tuple(int(v) for v in np.asarray(to_numpy(m)).reshape(-1))


def _tile_dynamic_rule(args, params):
    # the multiples as far as the graph determines them (tf.shape of a known dimension,
    # constants), as TF's shape function reads them
    from .tensor_util import constant_value_as_shape
    x, m = args
    return [(_tiled_shape(x._shape, constant_value_as_shape(m).as_tuple()), x._np_dtype)]


# tf.tile with ``multiples`` a tensor (known only in the run): the multiples are the
# op's second input, read as ints when it runs; the gradient sums the tiles as TILE's
TILE_DYNAMIC = defop(
    "tf.tile_dynamic", lambda xp, x, multiples: xp.tile(x, _multiples(multiples)),
    lambda xp, g, ans, x, multiples: (call(TILE_GRAD_DYNAMIC, xp, (g, x, multiples)),
                                      None),
    save="inputs", shape_rule=_tile_dynamic_rule)
TILE_GRAD_DYNAMIC = defop(
    "tf.tile_grad_dynamic",
    lambda xp, g, x, multiples: _tile_grad_fwd(xp, g, x, _multiples(multiples)),
    lambda xp, gg, ans, g, x, multiples: (call(TILE_DYNAMIC, xp, (gg, multiples)),
                                          None, None),
    save="inputs", shape_rule=lambda args, params: [(args[1]._shape, args[0]._np_dtype)])


def _transpose_vjp(xp, g, ans, x, perm):
    inv = tuple(int(i) for i in np.argsort(perm))
    return (call(TRANSPOSE, xp, (g,), {"perm": inv}),)


TRANSPOSE = defop("tf.transpose", lambda xp, x, perm: xp.permute_dims(x, tuple(perm)),
                  _transpose_vjp, save="none", view=True)


TRANSPOSE_LAST2 = defop("tf.matrix_transpose", lambda xp, x: xp.matrix_transpose(x),
                        lambda xp, g, ans, x: (call(TRANSPOSE_LAST2, xp, (g,)),),
                        save="none", view=True)


def _argm_rule(kind):
    def rule(args, params):
        x = args[0]
        dt = np.dtype(params["output_type"])
        if x._shape is None:
            return [(None, dt)]
        ax = params["axis"] % len(x._shape)
        return [(tuple(d for i, d in enumerate(x._shape) if i != ax), dt)]
    return rule


def _argm_fwd(kind):
    # TF's kernel keeps the first index whose value is greater (less) than the best so
    # far, so a NaN never wins (NumPy's argmax returns the first NaN): NaN read as -inf
    # (+inf); all NaN gives 0, as TF's
    fill = -np.inf if kind == "max" else np.inf

    def fwd(xp, x, axis, output_type):
        if type(x) is np.ndarray and x.dtype.kind == "f":
            nan = np.isnan(x)
            if nan.any():
                x = np.where(nan, x.dtype.type(fill), x)
        f = xp.argmax if kind == "max" else xp.argmin
        return xp.astype(f(x, axis=axis), output_type)
    return fwd


ARGMAX = defop("tf.argmax", _argm_fwd("max"), None, shape_rule=_argm_rule("max"),
               **nondiff("integer result"))
ARGMIN = defop("tf.argmin", _argm_fwd("min"), None, shape_rule=_argm_rule("min"),
               **nondiff("integer result"))


def _where_idx_fwd(xp, x):
    return np.stack(np.nonzero(np.asarray(x)), axis=-1).astype(np.int64).reshape(
        -1, np.ndim(x))


WHERE_INDICES = defop("tf.where_indices", _where_idx_fwd, None,
                      shape_rule=lambda args, params: [(
                          None if args[0]._shape is None else (None, len(args[0]._shape)),
                          np.dtype("int64"))],
                      **nondiff("integer result"))


def _one_hot_fwd(xp, idx, depth, on, off, axis, dtype):
    idx = np.asarray(idx)
    eq = np.expand_dims(idx, -1) == np.arange(depth)
    out = np.where(eq, np.asarray(on, dtype), np.asarray(off, dtype)).astype(dtype)
    if axis != -1 and axis != idx.ndim:
        out = np.moveaxis(out, -1, axis)
    return out


ONE_HOT = defop("tf.one_hot", _one_hot_fwd, None, **nondiff("built from integer indices"))


# -- slicing with scalar tensor indices ----------------------------------------------------
class _TensorIndex:
    """Marks where a scalar tensor index goes in a slicing key."""

    def __repr__(self):
        return "<tensor index>"


TENSOR_INDEX = _TensorIndex()


def dynamic_slice(k):
    """Whether slicing-key item ``k`` is a slice with a tensor start, stop or step."""
    return isinstance(k, slice) and any(p is TENSOR_INDEX for p in (k.start, k.stop, k.step))


def _resolve(template, idx):
    """The key of a run: the template's ``TENSOR_INDEX`` marks (items, or a slice's
    start, stop and step, in that order) replaced by the values ``idx``."""
    it = iter(idx)

    def one(k):
        if k is TENSOR_INDEX:
            return int(next(it))
        if dynamic_slice(k):
            return slice(*(int(next(it)) if p is TENSOR_INDEX else p
                           for p in (k.start, k.stop, k.step)))
        return k
    return tuple(one(k) for k in template)


def _slice_dyn_rule(args, params):
    from ..graph.dynamic import _slice_rule
    template = params["template"]
    dyn = [dynamic_slice(k) for k in template]
    key = tuple(0 if k is TENSOR_INDEX else slice(None) if d else k
                for k, d in zip(template, dyn))
    (shape, dt), = _slice_rule([args[0]], {"key": key})
    if shape is None or not any(dyn):
        return [(shape, dt)]
    # a slice with a tensor bound: its length is known at run time only
    dims = list(shape)
    n_real = sum(1 for k in template if k is not None and k is not Ellipsis)
    pos = 0
    for k, d in zip(template, dyn):
        if k is Ellipsis:
            pos += len(args[0]._shape) - n_real
        elif k is None or isinstance(k, slice):
            if d:
                dims[pos] = None
            pos += 1
    return [(tuple(dims), dt)]


def _scatter_dyn_fwd(xp, g, x, *idx, template):
    z = np.zeros(np.shape(x), dtype=np.asarray(g).dtype)
    z[_resolve(template, idx)] = g
    return z


# (linear in g: its gradient is the slice again)
SCATTER_DYN = defop(
    "tf.strided_slice_dyn_grad", _scatter_dyn_fwd,
    lambda xp, h, ans, g, x, *idx, template: (
        call(SLICE_DYN, xp, (h,) + tuple(idx), {"template": template}), None)
    + (None,) * len(idx),
    shape_rule=lambda a, p: [(a[1]._shape, a[0]._np_dtype)])
SLICE_DYN = defop(
    "tf.strided_slice_dyn", lambda xp, x, *idx, template: x[_resolve(template, idx)],
    lambda xp, g, ans, x, *idx, template: (call(SCATTER_DYN, xp, (g, x) + tuple(idx),
                                                {"template": template}),) + (None,) * len(idx),
    save="inputs", shape_rule=_slice_dyn_rule)


def _cross_fwd(xp, a, b):
    # TF's CPU kernel: the same shape (NumPy's cross would broadcast (1, 3) with (3,): a
    # result TF never gives), innermost dimension 3
    from ..graph import errors
    sa, sb = tuple(a.shape), tuple(b.shape)
    if sa != sb:
        raise errors.InvalidArgumentError(
            None, None, f"Both inputs must be of same shape: [{','.join(map(str, sa))}] "
            f"vs. [{','.join(map(str, sb))}]")
    if not sa:
        raise errors.InvalidArgumentError(None, None, "Input must be at least 1D[]")
    if sa[-1] != 3:
        raise errors.FailedPreconditionError(
            None, None, "Cross-products are only defined for 3-element vectors.")
    return xp.linalg.cross(a, b)


def _cross_vjp(xp, g, ans, a, b):
    # TF's _CrossGrad: (cross(b, g), cross(g, a))
    return (call(CROSS, xp, (b, g)), call(CROSS, xp, (g, a)))


def _cross_rule(args, params):
    from ..graph.shape import TensorShape
    a, b = (TensorShape(t._shape) for t in args)
    where = "Cross"
    if a.ndims is not None and b.ndims is not None and a.ndims != b.ndims:
        raise ValueError(f"Shapes must be equal rank, but are {a.ndims} and {b.ndims} for "
                         f"'{where}' with input shapes: {a}, {b}.")
    if not a.is_compatible_with(b):
        raise ValueError(f"Dimensions must be equal for '{where}' with input shapes: "
                         f"{a}, {b}.")
    s = a.merge_with(b)
    if s.ndims == 0:
        raise ValueError(f"Shape must be at least rank 1 but is rank 0 for '{where}'")
    if s.ndims is not None and s.dims[-1].value not in (None, 3):
        raise ValueError(f"Dimension must be 3 but is {s.dims[-1].value} for '{where}' "
                         f"with input shapes: {a}, {b}.")
    return [(None if s.ndims is None else tuple(d.value for d in s.dims), args[0]._np_dtype)]


CROSS = defop("tf.cross", _cross_fwd, _cross_vjp, shape_rule=_cross_rule)

"""More of the TF 1 dictionary: cumsum, reverse, norm, pad, boolean_mask, top_k, linear
algebra, ``tf.Print`` and ``tf.py_func``."""
from __future__ import annotations

import builtins
import collections
import operator
import sys

import numpy as np

from .._ops.registry import defop, apply
from ..graph import errors as _errors
from ..graph.core import Tensor, get_default_graph
from ..graph.dynamic import strided_slice
from ..graph.stdns import std as _nd
from . import math_ops as M
from . import op_dtypes as _op_dtypes
from . import framework as _fw
from .framework import build, convert_to_tensor, is_tensor, np_dtype
from .ops import call

__all__ = ["cumsum", "cumprod", "reverse", "reverse_v2", "norm", "pad", "boolean_mask",
           "count_nonzero", "diag", "diag_part", "trace", "matrix_inverse",
           "matrix_determinant", "sequence_mask", "Print", "py_func", "top_k",
           "batch_normalization", "log_sigmoid", "reduce_euclidean_norm", "einsum"]


def _x(v):
    return convert_to_tensor(v)


def cumsum(x, axis=0, exclusive=False, reverse=False, name=None):
    """Running sums along ``axis`` (``exclusive``: starting from 0; ``reverse``: from the
    end).

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     print(s.run(tf.cumsum([1, 2, 3, 4])))
    ...     print(s.run(tf.cumsum([1, 2, 3, 4], exclusive=True, reverse=True)))
    ...     print(s.run(tf.cumsum([[1, 2], [3, 4]], axis=1)))
    [ 1  3  6 10]
    [9 7 4 0]
    [[1 3]
     [3 7]]
    """
    def f():
        t = _x(x)
        _op_dtypes.check("cumsum", M._dt(t))
        if reverse:
            t = _nd.flip(t, axis=axis)
        # (in t's dtype, as TF: the standard's cumulative_sum widens small integers)
        out = _nd.cumulative_sum(t, axis=axis, include_initial=exclusive, dtype=t.dtype)
        if exclusive:
            out = strided_slice(out, _all_but_last(t, axis))
        if reverse:
            out = _nd.flip(out, axis=axis)
        return out
    return build(name, "Cumsum", f, graph_args=(x,))


def _all_but_last(t, axis):
    """The index of all but the last element along ``axis`` (of the running sum or
    product with its initial value: the exclusive one). A length unknown when the graph
    is built is fine: the slice ends one before the end (``0:n`` with n unknown kept all
    n + 1 elements)."""
    return (builtins.slice(None),) * (axis % len(t.shape)) + (builtins.slice(0, -1),)


def cumprod(x, axis=0, exclusive=False, reverse=False, name=None):
    """Running products along ``axis`` (``exclusive``: starting from 1; ``reverse``: from
    the end).

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     print(s.run(tf.cumprod([1.0, 2.0, 3.0, 4.0])))
    ...     print(s.run(tf.cumprod([1.0, 2.0, 3.0, 4.0], exclusive=True)))
    ...     print(s.run(tf.cumprod([[1, 2], [3, 4]], axis=0, reverse=True)))
    [ 1.  2.  6. 24.]
    [1. 1. 2. 6.]
    [[3 8]
     [3 4]]
    """
    def f():
        t = _x(x)
        _op_dtypes.check("cumprod", M._dt(t))
        if reverse:
            t = _nd.flip(t, axis=axis)
        out = _nd.cumulative_prod(t, axis=axis, include_initial=exclusive, dtype=t.dtype)
        if exclusive:
            out = strided_slice(out, _all_but_last(t, axis))
        if reverse:
            out = _nd.flip(out, axis=axis)
        return out
    return build(name, "Cumprod", f, graph_args=(x,))


def reverse(tensor, axis, name=None):
    """``tensor`` with the order of the given axes reversed (``tf.reverse_v2`` is the
    same function).

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     print(s.run(tf.reverse([[1, 2, 3], [4, 5, 6]], axis=[1])))
    ...     print(s.run(tf.reverse_v2([[1, 2, 3], [4, 5, 6]], axis=[0, 1])))
    [[3 2 1]
     [6 5 4]]
    [[6 5 4]
     [3 2 1]]
    """
    ax = tuple(int(a) for a in (axis if isinstance(axis, (list, tuple)) else [axis]))
    return build(name, "ReverseV2", lambda: _nd.flip(_x(tensor), axis=ax),
                 graph_args=(tensor,))


reverse_v2 = reverse


def _norm_args(ord, axis):  # noqa: A002
    """TF's checks of norm's ``ord`` and ``axis``: (is_matrix_norm, axes or None)."""
    bad_axis = ValueError(f"'axis' must be None, an integer, or a tuple of 2 unique "
                          f"integers, got {axis!r}")
    if isinstance(axis, (list, tuple)) and len(axis) == 2:
        if not all(isinstance(a, (int, np.integer)) for a in axis) or axis[0] == axis[1]:
            raise bad_axis
        if ord not in ("euclidean", "fro", 1, 2, np.inf):
            raise ValueError(f"'ord' must be a supported matrix norm in ['euclidean', "
                             f"'fro', 1, 2, inf], got {ord!r}")
        return True, (int(axis[0]), int(axis[1]))
    if not (axis is None or isinstance(axis, (int, np.integer))):
        raise bad_axis
    if ord not in ("euclidean", 1, 2, np.inf) and (
            isinstance(ord, str) or not np.isreal(ord) or ord <= 0):
        raise ValueError(f"'ord' must be a supported vector norm, got {ord!r}")
    return False, None if axis is None else (int(axis),)


def norm(tensor, ord="euclidean", axis=None, keepdims=None, name=None,  # noqa: A002
         keep_dims=None):
    """TF's norm: a vector norm (``ord`` 'euclidean'/2, 1, inf or any p > 0) over all
    elements or one ``axis``, or a matrix norm ('euclidean'/'fro', 1: the largest column
    sum, inf: the largest row sum, 2: the largest singular value) over a pair of axes.

    >>> import ndgrad.tf as tf
    >>> m = [[1.0, -2.0], [3.0, 4.0]]
    >>> tf.Session().run([tf.norm(m, ord=1, axis=[0, 1]), tf.norm(m, ord=np.inf, axis=[0, 1])])
    [np.float32(6.0), np.float32(7.0)]
    """
    kd = builtins.bool(keepdims or keep_dims)
    is_matrix, axes = _norm_args(ord, axis)

    def f():
        t = _x(tensor)
        _op_dtypes.check("norm", M._dt(t), "tensor")
        if is_matrix:
            dims = _static_dims(t)
            r = None if dims is None else len(dims)
            if r is None and ((axes[0] < 0) != (axes[1] < 0) or ord in (2, 2.0) and
                              sorted(axes) != [-2, -1]):
                # (a mix of signs needs the rank to tell whether they name one axis; the
                # spectral norm over other axes moves them last)
                raise ValueError(f"norm over axes {axes} needs the rank of {t!r}")
            if r is not None and not all(-r <= a < r for a in axes):
                raise ValueError(f"norm: axes {axes} are out of range for {t!r} of rank {r}")
            # an unknown rank with two axes of one sign: reduced as they are when run
            a0, a1 = axes if r is None else (a % r for a in axes)
            if a0 == a1:
                raise ValueError(f"norm: axes {axes} name one axis twice")
        a = M.abs(t)
        # (TF's Euclidean/Frobenius norm: sqrt(sum(x * conj(x))), complex for a complex
        # input, with TF's roundings; the other norms go through |x| and are real)
        complex_ = np.dtype(getattr(t, "_np_dtype", None) or t.dtype).kind == "c"
        sq = t * M.conj(t) if complex_ else a * a
        if not is_matrix:  # a vector norm over all elements or one axis
            if ord in ("euclidean", 2, 2.0):
                return M.sqrt(M.reduce_sum(sq, axis=axes, keepdims=kd))
            if ord in (1, 1.0):
                return M.reduce_sum(a, axis=axes, keepdims=kd)
            if ord == np.inf:
                return M.reduce_max(a, axis=axes, keepdims=kd)
            return M.pow(M.reduce_sum(M.pow(a, ord), axis=axes, keepdims=kd), 1.0 / ord)
        if ord in ("fro", "euclidean"):
            out = M.sqrt(M.reduce_sum(sq, axis=axes, keepdims=True))
        elif ord in (2, 2.0) and r is None:
            # the last two axes (either order: a matrix and its transpose have the same
            # singular values), of a tensor of unknown rank
            import ndgrad.linalg as L
            out = M.reduce_max(L.svdvals(t), axis=-1)
            return out[..., None, None] if kd else out
        elif ord in (2, 2.0):  # the spectral norm of each matrix over (a0, a1)
            import ndgrad.linalg as L
            rest = [i for i in builtins.range(r) if i not in (a0, a1)]
            sv = L.svdvals(M.transpose(t, rest + [a0, a1]))
            out = M.reduce_max(sv, axis=-1)
            for i in sorted((a0, a1)):
                out = M.expand_dims(out, i)
        elif ord in (1, 1.0):  # the largest column sum
            out = M.reduce_max(M.reduce_sum(a, axis=a0, keepdims=True), axis=a1,
                               keepdims=True)
        else:  # inf: the largest row sum
            out = M.reduce_max(M.reduce_sum(a, axis=a1, keepdims=True), axis=a0,
                               keepdims=True)
        return out if kd else M.squeeze(out, axis=[a0, a1])
    return build(name, "norm", f, graph_args=(tensor,))


def reduce_euclidean_norm(input_tensor, axis=None, keepdims=False, name=None):
    """``sqrt(sum(|x|^2))`` over ``axis`` (None: all), in the input's dtype as TF's
    EuclideanNorm: integers square and sum in their own dtype (wrapping as the kernel's
    do) and the root is truncated; a complex input gives a complex result.

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.math.reduce_euclidean_norm([[1, 2, 3], [1, 1, 1]]))
    np.int32(4)
    """
    def f():
        x = _x(input_tensor)
        dt = np.dtype(getattr(x, "_np_dtype", None) or x.dtype)
        _op_dtypes.check("reduce_euclidean_norm", dt, "input_tensor")
        ax = axis if axis is None or isinstance(axis, (int, np.integer)) else list(axis)
        if dt.kind in "iu":
            ssq = M.reduce_sum(x * x, axis=ax, keepdims=keepdims)
            return M.cast(M.sqrt(M.cast(ssq, np.float64)), dt)
        a = M.abs(x) if dt.kind == "c" else x
        out = M.sqrt(M.reduce_sum(a * a, axis=ax, keepdims=keepdims))
        return M.cast(out, dt) if dt.kind == "c" else out
    return build(name, "EuclideanNorm", f, graph_args=(input_tensor,))


def _pad_vjp(xp, g, ans, x, paddings, mode, value):
    key = tuple(builtins.slice(int(a), -int(b) if b else None) for a, b in paddings)
    return (g[key],)


def _pad_fwd(xp, x, paddings, mode, value):
    x = np.asarray(x)
    if mode == "CONSTANT":
        return np.pad(x, paddings, constant_values=value)
    return np.pad(x, paddings, mode={"REFLECT": "reflect", "SYMMETRIC": "symmetric"}[mode])


PAD = defop("tf.pad", _pad_fwd, _pad_vjp, save="none")


def pad(tensor, paddings, mode="CONSTANT", name=None, constant_values=0):
    """``tensor`` padded by ``paddings[i] = [before, after]`` along each axis: with
    ``constant_values`` (``CONSTANT``), or mirrored without (``REFLECT``) or with
    (``SYMMETRIC``) the edge element.

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     print(s.run(tf.pad([[1, 2], [3, 4]], [[1, 0], [0, 2]])))
    ...     print(s.run(tf.pad([1, 2, 3], [[2, 1]], "REFLECT")))
    ...     print(s.run(tf.pad([1, 2, 3], [[2, 1]], "SYMMETRIC")))
    [[0 0 0 0]
     [1 2 0 0]
     [3 4 0 0]]
    [3 2 1 2 3 2]
    [2 1 1 2 3 3]
    """
    mode = mode.upper()
    if mode not in ("CONSTANT", "REFLECT", "SYMMETRIC"):
        raise ValueError(f"Unknown padding mode: {mode}")
    pads = tuple((int(a), int(b)) for a, b in np.asarray(paddings).tolist())

    def f():
        x = _x(tensor)
        dims = _static_dims(x)
        if dims is not None and len(dims) != len(pads):
            raise ValueError(f"The first dimension of paddings must be the rank of inputs "
                             f"{len(dims)}, got paddings of {len(pads)} rows")
        for k, (a, b) in enumerate(pads):
            d = dims[k] if dims is not None else None
            # TF's checks: no negative padding, and a mirror padding of at most the
            # dimension less one (REFLECT) or the dimension (SYMMETRIC); NumPy's own
            # reflect would go on periodically, a silently different tensor
            limit = None if mode == "CONSTANT" or d is None else (
                d - 1 if mode == "REFLECT" else d)
            if a < 0 or b < 0:
                # (TF's shape function: ValueError when the graph is built)
                msg = (f"paddings must be non-negative: {[a, b]} for dimension {k}")
                if _fw.executing_eagerly():
                    from ..graph import errors
                    raise errors.InvalidArgumentError(None, None, msg)
                raise ValueError(msg)
            if limit is not None and (a > limit or b > limit):
                from ..graph import errors
                raise errors.InvalidArgumentError(
                    None, None, f"paddings must be no greater than the dimension size "
                    f"{'less one ' if mode == 'REFLECT' else ''}in {mode} mode: {[a, b]} "
                    f"for dimension {k} of size {d}")
        return apply(PAD if mode == "CONSTANT" else PAD_REFLECT, (x,),
                     {"paddings": pads, "mode": mode, "value": constant_values})
    return build(name, "Pad", f, graph_args=(tensor,))


def _pad_index(shape, paddings, mode):
    """Which element of an input of ``shape`` each element of its padded output copies."""
    n = int(np.prod(shape, dtype=np.int64))
    return np.pad(np.arange(n).reshape(shape), paddings,
                  mode={"REFLECT": "reflect", "SYMMETRIC": "symmetric"}[mode]), n


def _pad_reflect_grad_fwd(xp, g, x, paddings, mode):
    """The adjoint of reflect/symmetric padding: each output element's cotangent added
    back into the input element it copies."""
    g = np.asarray(g)
    shape = np.shape(x)
    idx, n = _pad_index(shape, paddings, mode)
    flat = np.zeros(n, dtype=g.dtype)
    np.add.at(flat, idx.ravel(), g.ravel())
    return flat.reshape(shape)


def _pad_reflect_vjp(xp, g, ans, x, paddings, mode, value):
    return (call(PAD_REFLECT_GRAD, xp, (g, x), {"paddings": paddings, "mode": mode}),)


PAD_REFLECT = defop("tf.pad_reflect", _pad_fwd, _pad_reflect_vjp)
# (linear in g: its own gradient is the padding again)
PAD_REFLECT_GRAD = defop(
    "tf.pad_reflect_grad", _pad_reflect_grad_fwd,
    lambda xp, h, ans, g, x, paddings, mode: (
        call(PAD_REFLECT, xp, (h,), {"paddings": paddings, "mode": mode, "value": 0}), None),
    save="inputs", shape_rule=lambda a, p: [(a[1]._shape, a[0]._np_dtype)])


def _mask_rule(args, params):
    x, m = args
    dt = x._np_dtype
    a = params.get("axis", 0)
    if x._shape is None or m._shape is None:
        return [(None, dt)]
    return [(tuple(x._shape[:a]) + (None,) + tuple(x._shape[a + len(m._shape):]), dt)]


def _mask_key(x, m, axis):
    m = np.asarray(m, dtype=bool)
    if m.ndim == 0:
        raise ValueError("boolean_mask: mask cannot be scalar.")
    part = np.shape(x)[axis:axis + m.ndim]
    if part != m.shape:
        raise ValueError(f"boolean_mask: Shapes {tuple(part)} and {m.shape} are "
                         f"incompatible (tensor shape {np.shape(x)}, axis {axis})")
    return (slice(None),) * axis + (m,)


def _mask_fwd(xp, x, m, axis=0):
    x = np.asarray(x)
    return x[_mask_key(x, m, axis)]


def _mask_grad_fwd(xp, g, x, m, axis=0):
    z = np.zeros(np.shape(x), dtype=np.asarray(g).dtype)
    z[_mask_key(z, m, axis)] = g
    return z


# (linear in g: its gradient is the mask's selection again)
MASK_GRAD = defop("tf.boolean_mask_grad", _mask_grad_fwd,
                  lambda xp, h, ans, g, x, m, axis=0: (call(MASK, xp, (h, m), {"axis": axis}),
                                                       None, None),
                  shape_rule=lambda a, p: [(a[1]._shape, a[0]._np_dtype)])
MASK = defop("tf.boolean_mask", _mask_fwd,
             lambda xp, g, ans, x, m, axis=0: (call(MASK_GRAD, xp, (g, x, m),
                                                    {"axis": axis}), None),
             shape_rule=_mask_rule)


def boolean_mask(tensor, mask, name="boolean_mask", axis=None):
    """The slices of ``tensor`` where ``mask`` is True: ``mask`` covers the dimensions
    ``axis .. axis + mask.ndim`` of ``tensor`` (``axis`` 0 by default), which become one.

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     print(s.run(tf.boolean_mask([[1, 2, 3], [4, 5, 6]], [True, False, True],
    ...                                 axis=1)))
    [[1 3]
     [4 6]]
    """
    def f():
        t, m = _x(tensor), _x(mask)
        td, md = _static_dims(t), _static_dims(m)
        a = 0 if axis is None else int(axis)
        if md is not None and len(md) == 0:
            raise ValueError("boolean_mask: mask cannot be scalar.")
        if md is not None and td is not None:
            if a < 0:
                a += len(td)
            part = td[a:a + len(md)]
            if len(part) != len(md) or any(p is not None and q is not None and p != q
                                           for p, q in zip(part, md)):
                raise ValueError(f"boolean_mask: Shapes {tuple(part)} and {tuple(md)} are "
                                 f"incompatible (tensor shape {tuple(td)}, axis {a})")
        elif a < 0:
            raise ValueError("boolean_mask with a negative axis needs the tensor's rank")
        return apply(MASK, (t, m), {"axis": a})
    return build(name, "boolean_mask", f, graph_args=(tensor,))


def count_nonzero(input_tensor, axis=None, keepdims=None, dtype=np.int64, name=None,
                  reduction_indices=None, keep_dims=None):
    """The number of nonzero elements over ``axis`` (None: all), as ``dtype`` (int64).

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     print(s.run(tf.count_nonzero([[0, 1, 2], [0, 0, 3]], axis=1)))
    ...     print(s.run(tf.count_nonzero([[0.0, 1.5], [0.0, -2.0]])))
    [2 1]
    2
    """
    def f():
        t = _x(input_tensor)
        nz = M.cast(M.not_equal(t, M.zeros_like(t)), dtype)
        return M.reduce_sum(nz, axis=axis, keepdims=keepdims, reduction_indices=
                            reduction_indices, keep_dims=keep_dims)
    return build(name, "count_nonzero", f, graph_args=(input_tensor,))


def _static_dims(t):
    """``t``'s static shape as a list (None for an unknown dimension), or None when even
    the rank is unknown."""
    s = t.shape
    if hasattr(s, "as_list"):
        return None if s.ndims is None else s.as_list()
    return [int(d) for d in s]


def diag(diagonal, name=None):
    """TF's Diag: a rank-``2k`` tensor from a rank-``k`` one, ``out[i..., i...] =
    diagonal[i...]`` and zeros elsewhere (a square matrix from a vector).

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     print(s.run(tf.diag([1, 2])))
    ...     print(s.run(tf.diag([[1, 2], [3, 4]])).shape)
    [[1 0]
     [0 2]]
    (2, 2, 2, 2)
    """
    from .array_ops import matrix_diag

    def f():
        d = _x(diagonal)
        dims = _static_dims(d)
        if dims is None or not dims:
            raise ValueError(f"tf.diag needs a diagonal of known rank >= 1 (TF's Diag: "
                             f"input must be at least rank 1); got {d!r}")
        # the flat diagonal's square matrix, shaped s + s (sizes known only in the run
        # are read from the run's shape, as TF's kernel does)
        square = matrix_diag(M.reshape(d, [-1]))
        if None not in dims:
            return M.reshape(square, dims + dims)
        s = M.shape(d)
        out = M.reshape(square, M.concat([s, s], 0))
        out.set_shape(dims + dims)
        return out
    return build(name, "Diag", f, graph_args=(diagonal,))


def diag_part(input, name=None):  # noqa: A002
    """TF's DiagPart, the inverse of :func:`diag`: from a tensor of shape ``s + s``, the
    rank-``k`` tensor ``out[i...] = input[i..., i...]`` (a matrix's diagonal).

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     print(s.run(tf.diag_part(tf.diag([[1, 2], [3, 4]]))))
    [[1 2]
     [3 4]]
    """
    import ndgrad.linalg as L

    def f():
        t = _x(input)
        dims = _static_dims(t)
        if dims is None or None in dims:
            raise ValueError(f"tf.diag_part needs an input of known shape; got {t!r}")
        k = len(dims)
        if k == 0 or k % 2:
            raise ValueError(f"tf.diag_part: the input's rank must be even and positive, "
                             f"got shape {tuple(dims)}")
        head, tail = dims[:k // 2], dims[k // 2:]
        if head != tail:
            raise ValueError(f"tf.diag_part: the input's shape must be s + s (TF's "
                             f"DiagPart), got {tuple(dims)}")
        n = int(np.prod(head))
        return M.reshape(L.diagonal(M.reshape(t, [n, n])), head)
    return build(name, "DiagPart", f, graph_args=(input,))


def trace(x, name=None):
    """The sum of the diagonal of the last two axes.

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     print(s.run(tf.trace([[1, 2], [3, 4]])))
    ...     print(s.run(tf.trace([[[1, 2], [3, 4]], [[5, 6], [7, 8]]])))
    5
    [ 5 13]
    """
    import ndgrad.linalg as L
    return build(name, "Trace", lambda: M.reduce_sum(L.diagonal(_x(x)), axis=-1),
                 graph_args=(x,))


def matrix_inverse(input, adjoint=False, name=None):  # noqa: A002
    """The inverse of each matrix in the last two axes; with ``adjoint`` the inverse of
    its conjugate transpose.

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     print(s.run(tf.matrix_inverse([[2.0, 1.0], [0.0, 1.0]], adjoint=True)))
    [[ 0.5  0. ]
     [-0.5  1. ]]
    """
    import ndgrad.linalg as L

    def f():
        x = _x(input)
        if adjoint:
            x = _nd.conj(_nd.matrix_transpose(x)) if np_dtype(x.dtype).kind == "c" \
                else _nd.matrix_transpose(x)
        return L.inv(x)
    return build(name, "MatrixInverse", f, graph_args=(input,))


def matrix_determinant(input, name=None):  # noqa: A002
    """The determinant of each matrix in the last two axes.

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     print(s.run(tf.matrix_determinant([[2.0, 1.0], [1.0, 3.0]])))
    ...     print(s.run(tf.matrix_determinant([[[1.0, 2.0], [3.0, 4.0]],
    ...                                        [[2.0, 0.0], [0.0, 2.0]]])))
    5.0
    [-2.  4.]
    """
    import ndgrad.linalg as L
    return build(name, "MatrixDeterminant", lambda: L.det(_x(input)), graph_args=(input,))


def sequence_mask(lengths, maxlen=None, dtype=np.bool_, name=None):
    """``mask[..., j] = j < lengths[...]`` for ``j`` below ``maxlen``, as ``dtype``.

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     print(s.run(tf.sequence_mask([1, 3], 4)))
    ...     print(s.run(tf.sequence_mask([2, 0], 3, dtype=tf.float32)))
    ...     print(s.run(tf.sequence_mask([1, 3])))
    [[ True False False False]
     [ True  True  True False]]
    [[1. 1. 0.]
     [0. 0. 0.]]
    [[ True False False]
     [ True  True  True]]
    """
    def f():
        ln = _x(lengths)
        # without maxlen, TF's: the largest length (a row count known when the graph runs)
        mx = M.reduce_max(ln) if maxlen is None else maxlen
        r = M.range(mx if isinstance(_fw._unref(mx), Tensor) else int(mx), dtype=ln.dtype)
        out = M.less(r, M.expand_dims(ln, -1))
        return out if np_dtype(dtype) == np.bool_ else M.cast(out, dtype)
    return build(name, "SequenceMask", f, graph_args=(lengths,))


def log_sigmoid(x, name=None):
    """``log(1 / (1 + exp(-x)))``, computed as ``-softplus(-x)`` (no overflow).

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     print(s.run(tf.math.log_sigmoid([-100.0, 0.0, 2.0])))
    [-100.          -0.6931472   -0.126928 ]
    """
    def f():
        t = _x(x)
        _op_dtypes.check("log_sigmoid", M._dt(t))
        return -_softplus(-t)
    return build(name, "LogSigmoid", f, graph_args=(x,))


def _softplus(t):
    from . import nn
    return nn.softplus(t)


def _tf_operator(fn, pyop, a, b):
    """TF's Python operator ``pyop`` on ``a`` and ``b``: with a tensor among them, the op
    ``fn``, which converts the other operand to its dtype (an eager tensor's own operator
    would promote a list of floats to float64, NumPy's rule); else Python's."""
    if is_tensor(a) or is_tensor(b):
        return fn(a, b)
    return pyop(a, b)


def batch_normalization(x, mean, variance, offset, scale, variance_epsilon, name=None):
    """``(x - mean) * scale / sqrt(variance + variance_epsilon) + offset`` (``scale``,
    ``offset`` None: 1, 0); what ``tf.nn.batch_normalization`` computes.

    >>> import ndgrad.tf as tf
    >>> x = tf.constant([1.0, 3.0])
    >>> with tf.Session() as s:
    ...     print(s.run(tf.nn.batch_normalization(x, mean=2.0, variance=4.0, offset=0.5,
    ...                                           scale=2.0, variance_epsilon=0.0)))
    [-0.5  1.5]
    """
    def f():
        t = _x(x)
        inv = M.rsqrt(_tf_operator(M.add, operator.add, variance, variance_epsilon))
        if scale is not None:
            inv = M.multiply(inv, scale)
        # (TF's: both terms cast to x's dtype, so float16 x takes float32 statistics)
        dt = M._dt(t)
        shift = (_tf_operator(M.subtract, operator.sub, offset, M.multiply(mean, inv))
                 if offset is not None else M.multiply(-mean, inv))
        return M.add(M.multiply(t, M.cast(inv, dt)), M.cast(shift, dt))
    return build(name, "batchnorm", f, graph_args=(x,))


def einsum(equation, *inputs, **kwargs):
    """TF's einsum: NumPy's, except that a label's dimensions must be equal in every
    operand (TF refuses the size-1 broadcasting NumPy's einsum allows).

    >>> import ndgrad.tf as tf
    >>> m = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    >>> with tf.Session() as s:
    ...     print(s.run(tf.einsum('ij,jk->ik', m, m)))
    ...     print(s.run(tf.einsum('ij->j', m)))
    [[ 7. 10.]
     [15. 22.]]
    [4. 6.]
    """
    name = kwargs.pop("name", None)
    kwargs.pop("optimize", None)    # (TF 2's contraction-order hint: no effect on values)
    if kwargs:
        raise TypeError(f"invalid keyword arguments for this function: "
                        f"{', '.join(sorted(kwargs))}")
    import ndgrad as nd

    def f():
        xs = [_x(i) for i in inputs]
        _check_einsum_dims(equation, xs)
        return nd.einsum(equation, *xs)
    return build(name, "einsum", f, graph_args=inputs)


def _check_einsum_dims(equation, xs):
    subs = equation.replace(" ", "").split("->")[0].split(",")
    if len(subs) != len(xs) or any("." in sub for sub in subs):
        return   # (ellipses, or a count mismatch: NumPy's own checks and errors)
    seen = {}
    for sub, x in zip(subs, xs):
        shape = M._static_shape(x)
        if shape is None or len(shape) != len(sub):
            continue
        for label, d in zip(sub, shape):
            if d is None:
                continue
            if seen.setdefault(label, d) != d:
                raise ValueError(f"einsum {equation!r}: label {label!r} has dimension "
                                 f"{seen[label]} in one operand and {d} in another "
                                 "(TF does not broadcast einsum dimensions)")


# -- top_k -------------------------------------------------------------------------------
def _topk_fwd(xp, x, k):
    x = np.asarray(x)
    n = x.shape[-1] if x.ndim else 0
    if x.ndim == 0 or n < k:
        raise ValueError(f"top_k: input must have rank >= 1 and last dimension >= k = {k}, "
                         f"got shape {x.shape}")
    # descending, ties in index order; argsort of the reversed row (not of -x, which
    # wraps for unsigned and minimum signed integers)
    rev = np.argsort(np.flip(x, axis=-1), axis=-1, kind="stable")
    idx = (n - 1 - np.flip(rev, axis=-1))[..., :k]
    return np.take_along_axis(x, idx, axis=-1), idx.astype(np.int32)


def _topk_grad_fwd(xp, g, x, idx):
    z = np.zeros(np.shape(x), dtype=np.asarray(g).dtype)
    np.put_along_axis(z, np.asarray(idx, dtype=np.int64), g, axis=-1)
    return z


# (the scatter is linear in g: its gradient gathers at the same indices, and back)
TOPK_GRAD = defop("tf.top_k_grad", _topk_grad_fwd,
                  lambda xp, h, ans, g, x, idx: (call(TOPK_GATHER, xp, (h, idx)), None, None),
                  shape_rule=lambda a, p: [(a[1]._shape, a[0]._np_dtype)])
TOPK_GATHER = defop(
    "tf.top_k_gather",
    lambda xp, h, idx: np.take_along_axis(np.asarray(h), np.asarray(idx, np.int64), axis=-1),
    lambda xp, u, ans, h, idx: (call(TOPK_GRAD, xp, (u, h, idx)), None),
    shape_rule=lambda a, p: [(a[1]._shape, a[0]._np_dtype)])


def _topk_vjp(xp, gs, ans, x, k):
    return (call(TOPK_GRAD, xp, (gs[0], x, ans[1])),)


def _topk_rule(args, params):
    x = args[0]
    s = None if x._shape is None else tuple(x._shape[:-1]) + (params["k"],)
    return [(s, x._np_dtype), (s, np.dtype(np.int32))]


TOPK = defop("tf.top_k", _topk_fwd, _topk_vjp, save="both", multi=True, shape_rule=_topk_rule)


def top_k(input, k=1, sorted=True, name=None):  # noqa: A002
    """The ``k`` largest values along the last axis and their int32 indices (equal values:
    the lower index first); ``k`` above the last dimension is a ``ValueError``.

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     print(s.run(tf.nn.top_k(tf.constant([1, 255, 7], tf.uint8), 2)))
    TopKV2(values=array([255,   7], dtype=uint8), indices=array([1, 2], dtype=int32))
    """
    def f():
        x = _x(input)
        kk = int(k)
        dims = _static_dims(x)
        if kk < 0:
            raise ValueError(f"top_k: k must be non-negative, got {kk}")
        if dims is not None and (not dims or dims[-1] is not None and dims[-1] < kk):
            raise ValueError(f"top_k: input must have rank >= 1 and last dimension >= "
                             f"k = {kk}, got shape {tuple(dims)}")
        return TopKV2(*apply(TOPK, (x,), {"k": kk}))
    return build(name, "TopKV2", f, graph_args=(input,))


TopKV2 = collections.namedtuple("TopKV2", ["values", "indices"])


# -- session-side effects ---------------------------------------------------------------------
def Print(input_, data, message=None, first_n=None, summarize=None, name=None):
    """``input_`` unchanged; running it prints ``message`` and the values of ``data``
    (to stderr, at most ``summarize`` (3) values each, the first ``first_n`` runs). In
    eager mode it prints now, as TF's eager kernel (whose run count lasts across calls
    with the same message, ``first_n`` and ``summarize``).

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default():
    ...     x = tf.constant([1.0, 2.0])
    ...     y = tf.Print(x, [x], "x: ")
    ...     print(tf.Session().run(y))
    [1. 2.]
    """
    n = summarize or 3

    def show(vals):
        parts = []
        for a in vals:
            flat = np.asarray(a).reshape(-1)
            items = " ".join(_tf_str(e) for e in flat[:n])
            parts.append(f"[{items}{'...' if flat.size > n else ''}]")
        print((message or "") + "".join(parts), file=sys.stderr)

    if _fw.executing_eagerly():
        key = (message, first_n, summarize)
        runs = _EAGER_PRINT_RUNS[key] = _EAGER_PRINT_RUNS.get(key, 0) + 1
        if first_n is None or first_n < 0 or runs <= first_n:
            show([_fw.eager_values(convert_to_tensor(d)) for d in data])
        return convert_to_tensor(input_)
    t = _x(input_)
    ds = [convert_to_tensor(d) for d in data]
    g = t.graph
    counter = {"n": 0}

    def fn(ctx, v, *vals):
        counter["n"] += 1
        if first_n is None or first_n < 0 or counter["n"] <= first_n:
            show(vals)
        return v
    # TF's Print passes the gradient to input_ (and none to data)
    op = g.special_op("Print", name or "Print", (t,) + tuple(ds), fn, [(t._shape,
                                                                     t._np_dtype)],
                      attrs={"grad": lambda gouts: [gouts[0]] + [None] * len(ds)})
    return op.outputs[0]


def _tf_str(e):
    """One value as TF's ``SummarizeValue`` prints it: floats in the shortest of 6 (float32;
    15 for float64) or 9 (17) significant digits that reads back the same (``1``, ``0.1``)."""
    if isinstance(e, np.floating):
        short, full = (6, 9) if e.dtype.itemsize <= 4 else (15, 17)
        t = f"{e:.{short}g}"
        return t if e.dtype.type(t) == e or e != e else f"{e:.{full}g}"
    return str(e)


# eager tf.Print: runs per (message, first_n, summarize), as TF's cached eager kernel counts
_EAGER_PRINT_RUNS = {}


def _py_func_results(r, n):
    """The values ``func`` returned, as TF's py_func reads them: a list or tuple is one
    value per item, anything else one value (an array is never split); ``n`` (Tout's
    count) must match."""
    if n == 0 and r is None:
        return []
    rs = list(r) if isinstance(r, (list, tuple)) else [r]
    if len(rs) != n:
        raise ValueError(f"py_func: the function returned {len(rs)} values; Tout names {n}")
    return rs


def py_func(func, inp, Tout, stateful=True, name=None):
    """Run the Python function ``func`` on the NumPy values of ``inp`` inside the
    session (in eager mode: now); its results are converted to ``Tout`` (no gradient).

    >>> import numpy as np, ndgrad.tf as tf
    >>> with tf.Graph().as_default():
    ...     x = tf.constant([1.0, 4.0])
    ...     y = tf.py_func(np.sqrt, [x], tf.float32)
    ...     print(tf.Session().run(y))
    [1. 2.]
    """
    ins = [convert_to_tensor(i) for i in inp]
    single = not isinstance(Tout, (list, tuple))
    touts = [Tout] if single else list(Tout)
    dts = [np_dtype(t) for t in touts]
    if _fw.executing_eagerly():
        # (eager: ``func`` runs now on the NumPy values; its results are new tensors
        # without a gradient, as TF's)
        import ndgrad as nd
        r = func(*[_fw.eager_values(i) for i in ins])
        rs = _py_func_results(r, len(dts))
        out = [nd.asarray(np.asarray(v, dtype=d)) for v, d in zip(rs, dts)]
        return out[0] if single else out
    g = ins[0].graph if ins else get_default_graph()

    def fn(ctx, *vals):
        try:
            r = func(*vals)
            rs = _py_func_results(r, len(dts))
            out = tuple(_py_func_value(op, k, v, d) for k, (v, d) in enumerate(zip(rs, dts)))
        except _errors.OpError:
            raise
        except Exception as e:
            # TF's py_func error now: the session would otherwise look for the failing
            # step by running the plan again, calling ``func`` a second time
            raise _errors.from_python(op, e) from e
        if not out:
            return ()
        # (one output's value is the array itself, also for Tout=[dtype]: a 1-tuple
        # would be taken as the value, an extra leading axis of 1)
        return out[0] if len(out) == 1 else out
    op = g.special_op("PyFunc", name or "PyFunc", tuple(ins), fn, [(None, d) for d in dts])
    if not dts:
        # (Tout=[]: a stateful function's op, run for its effect; a stateless one's
        # empty list, as TF's generated wrappers give them)
        return op if stateful else []
    return op.outputs[0] if single else list(op.outputs)


def _py_func_value(op, k, v, dt):
    """Result ``k`` of a graph py_func as TF's kernel takes it: ``np.asarray(v)`` (str
    and bytes become bytes objects), which must have Tout's dtype -- TF refuses a float64
    array for float32, or a Python float (a double), where a cast would round or wrap."""
    a = np.asarray(v)
    if a.dtype.kind in "US" or (a.dtype == object and dt == object):
        a = _fw._strings(a)     # (str items, also inside an object array: bytes)
    if a.dtype.names is not None:
        raise _errors.InternalError(None, op, f"Unsupported numpy data type {a.dtype} "
                                    f"(result {k} of the py_func)")
    if a.dtype == object and dt != object:
        bad = next((x for x in a.reshape(-1) if not isinstance(x, (bytes, str))), None)
        raise _errors.InternalError(None, op, f"Unsupported object type "
                                    f"{type(bad).__name__ if bad is not None else 'str'}")
    if a.dtype != dt:
        raise _errors.InvalidArgumentError(
            None, op, f"{k}-th value returned by the py_func is {a.dtype.name}, but "
            f"expects {dt.name} (TF does not cast: convert in the function)")
    return a


_ = Tensor


# -- clipping by norm --------------------------------------------------------------------
def clip_by_norm(t, clip_norm, axes=None, name=None):
    """``t * clip_norm / max(||t||, clip_norm)`` (the L2 norm over ``axes``); as TF's, its
    gradient at ``t == 0`` is finite (the norm's square root is taken only where the sum
    is positive) and a ``clip_norm`` that would broadcast ``t`` to a larger shape is a
    ``ValueError``.

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     print(s.run(tf.clip_by_norm([3.0, 4.0], 1.0)))
    [0.6 0.8]
    """
    def f():
        x = _x(t)
        sl = _slices(t)
        v = x if sl is None else sl[0]     # (TF clips an IndexedSlices' values)
        l2sum = M.reduce_sum(v * v, axis=axes, keepdims=True)
        pred = l2sum > 0
        safe = M.where(pred, l2sum, M.ones_like(l2sum))
        n = M.where(pred, M.sqrt(safe), l2sum)
        c = _number_in(clip_norm, x.dtype)
        scaled = x * c
        xs, ss = _static_dims(x), _static_dims(scaled)
        if xs is not None and ss is not None and (
                len(xs) != len(ss) or any(a is not None and b is not None and a != b
                                          for a, b in zip(xs, ss))):
            raise ValueError(f"clip_by_norm: clip_norm would change the shape of t from "
                             f"{tuple(xs)} to {tuple(ss)}")
        if sl is not None:
            return _from_slices(v * c / M.maximum(n, c), sl[1], x)
        out = scaled / M.maximum(n, c)
        _keep_sparse_rows(t, out)
        return out
    return build(name, "clip_by_norm", f, graph_args=(t,))


def _number_in(v, dt):
    """``v`` as a tensor of dtype ``dt``: a Python number converted in ``dt`` itself, as
    TF's arithmetic converts one beside a ``dt`` tensor (1.3 beside float64 is float64's
    1.3: a cast of the number's default float32 constant gave 1.2999999523), anything
    else cast."""
    if type(v) is float or type(v) is int:
        return convert_to_tensor(v, dtype=dt)
    return M.cast(v, dt)


def clip_by_average_norm(t, clip_norm, name=None):
    """``t * clip_norm / max(||t||_2 / size(t), clip_norm)``, as TF 1's formula: ``t *
    clip_norm * minimum(size / ||t||, 1 / clip_norm)`` (at ``t == 0`` the value is 0 and
    the gradient 1, as TF's).

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.clip_by_average_norm([[-3.0, 0.0, 0.0], [4.0, 0.0, 0.0]], 0.8))
    array([[-2.88     ,  0.       ,  0.       ],
           [ 3.8400002,  0.       ,  0.       ]], dtype=float32)
    """
    def f():
        x = _x(t)
        dt = x.dtype
        n = M.cast(M.size(x), dt)
        inv = M.rsqrt(M.reduce_sum(x * x))
        c = _number_in(clip_norm, dt)
        return M.identity(x * c * M.minimum(inv * n, M.cast(1.0, dt) / c))
    return build(name, "clip_by_average_norm", f, graph_args=(t,))


def global_norm(t_list, name=None):
    """``sqrt(sum of ||t||^2)`` over the tensors of ``t_list`` (None entries skipped).

    >>> import ndgrad.tf as tf
    >>> with tf.Session() as s:
    ...     print(s.run(tf.global_norm([tf.constant([3.0]), tf.constant([[4.0, 12.0]])])))
    13.0
    """
    def f():
        terms = []
        for t in t_list:
            if t is None:
                continue
            sl = _slices(t)
            # (an IndexedSlices' values, as TF's: a gradient through a gather of repeated
            # rows counts each slice, not their sum -- 29% off with rows [0, 0, 1])
            v = _x(t) if sl is None else sl[0]
            terms.append(M.reduce_sum(v * v))
        return M.sqrt(M.add_n(terms))
    return build(name, "global_norm", f)


def clip_by_global_norm(t_list, clip_norm, use_norm=None, name=None):
    """The tensors scaled by ``clip_norm / max(global_norm, clip_norm)``, and the norm.

    >>> import ndgrad.tf as tf
    >>> clipped, norm = tf.clip_by_global_norm([tf.constant([3.0]), tf.constant([4.0, 12.0])],
    ...                                        6.5)
    >>> with tf.Session() as s:
    ...     print(s.run(norm))
    ...     print(s.run(clipped))
    13.0
    [array([1.5], dtype=float32), array([2., 6.], dtype=float32)]
    """
    def f():
        gn = use_norm if use_norm is not None else global_norm(t_list)
        ts = [None if t is None else _x(t) for t in t_list]
        dt = next(t.dtype for t in ts if t is not None)
        c = _number_in(clip_norm, dt)
        g = M.cast(gn, dt)
        # TF's formula: NaN everywhere when the global norm is inf or NaN
        scale = c * M.minimum(1.0 / g, 1.0 / c) + (g - g)
        out = [None if t is None else t * scale for t in ts]
        for src, o in zip(t_list, out):
            sl = _slices(src)
            if sl is not None:
                from ..graph.gradients import note_sparse_slices
                note_sparse_slices(o, [sl[0] * scale], sl[1])
            else:
                _keep_sparse_rows(src, o)
        return out, gn
    return build(name, "clip_by_global_norm", f)


def _slices(t):
    """``(values, rows)`` of a graph gradient made only of gathers' cotangents (TF's
    IndexedSlices: one slice per entry of ``rows``, repeats unsummed), or None."""
    from ..graph.gradients import sparse_slices
    sl = sparse_slices(t) if isinstance(t, Tensor) else None
    if sl is None:
        return None
    vs, rows = sl
    tail = M.shape(t)[1:]
    flat = [M.reshape(v, M.concat([[-1], tail], 0)) for v in vs]
    return (flat[0] if len(flat) == 1 else M.concat(flat, 0)), rows


def _from_slices(values, rows, like):
    """The dense tensor (``like``'s shape) of slices ``values`` at ``rows``, summed where
    rows repeat, marked as those slices for the optimizers."""
    from ..graph.gradients import note_sparse_slices
    from .array_ops import scatter_nd_non_aliasing_add
    out = scatter_nd_non_aliasing_add(M.zeros_like(like), M.expand_dims(rows, 1), values)
    note_sparse_slices(out, [values], rows)
    return out


def _keep_sparse_rows(src, out):
    """``out``, ``src`` scaled, is zero outside the rows ``src`` is zero outside (a gradient
    through gathers: TF clips an IndexedSlices' values and keeps its indices), so an
    optimizer updates just those rows, as TF's."""
    from ..graph.gradients import note_sparse_rows, sparse_rows
    from .eager import _note_sparse, sparse_rows as eager_rows
    if isinstance(src, Tensor):
        rows = sparse_rows(src)
        if rows is not None and isinstance(out, Tensor):
            note_sparse_rows(out, rows)
    elif out is not None:
        rows = eager_rows(src)
        if rows is not None:
            _note_sparse(out, rows)


# -- map_fn by unrolling -----------------------------------------------------------------
def map_fn(fn, elems, dtype=None, parallel_iterations=None, back_prop=True,
           swap_memory=False, infer_shape=True, name=None):
    """``fn`` applied to each slice of ``elems`` along its first axis, the results stacked.
    ``elems`` may be a nest (tuple/list/dict) of tensors of one first dimension; ``fn``
    gets the slices in that structure and may return a nest (``dtype``: its dtypes, when
    they differ from ``elems``'; a mismatch is a TypeError). A first dimension known
    when building unrolls the loop; one known only in the run makes a ``tf.while_loop``.

    >>> import ndgrad.tf as tf
    >>> tf.Session().run(tf.map_fn(lambda t: t[0] * t[1], (tf.constant([1, 2]),
    ...                                                    tf.constant([3, 4]))))
    array([3, 8], dtype=int32)
    """
    from .control_flow import _flatten, _pack, while_loop, no_backprop
    from .variable_scopes import traced_once
    # TF builds fn once; the unrolled calls share the first one's variables
    fn = traced_once(fn)

    def check(out):
        if dtype is None:
            return
        want = [np.dtype(np_dtype(d)) for d in _flatten(dtype)]
        got = [np.dtype(convert_to_tensor(o).dtype.as_numpy_dtype
                        if hasattr(convert_to_tensor(o).dtype, "as_numpy_dtype")
                        else convert_to_tensor(o).dtype) for o in _flatten(out)]
        if len(want) != len(got) or any(w != g for w, g in zip(want, got)):
            raise TypeError(f"map_fn: fn returned dtypes {[g.name for g in got]} where "
                            f"dtype says {[w.name for w in want]}")

    def stack(outs):
        flat = [[convert_to_tensor(v) for v in _flatten(o)] for o in outs]
        return _pack(outs[0], [M.stack([f[j] for f in flat])
                               for j in builtins.range(len(flat[0]))])

    def f():
        leaves = [convert_to_tensor(e) for e in _flatten(elems)]
        if not leaves:
            raise ValueError("map_fn: elems must not be empty")
        shapes = [tuple(x.shape) if _fw.executing_eagerly() else M._static_shape(x)
                  for x in leaves]
        for x, sh in zip(leaves, shapes):
            if sh is not None and len(sh) == 0:
                raise ValueError("elems must be a 1+ dimensional Tensor, not a scalar: "
                                 f"{getattr(x, 'name', x)}")
        firsts = {sh[0] for sh in shapes if sh is not None and sh[0] is not None}
        if len(firsts) > 1:
            raise ValueError(f"map_fn: the elems' first dimensions differ: {sorted(firsts)}")
        known = all(sh is not None and sh[0] is not None for sh in shapes)

        def take(i):
            return _pack(elems, [M.gather(x, i) for x in leaves])
        if known:
            n = firsts.pop()
            if n == 0:
                # nothing to map: fn on one zero slice gives the results' dtypes and
                # shapes (its ops are never run), stacked as 0 of them
                probe = fn(_pack(elems, [M.zeros(sh[1:], dtype=x.dtype)
                                         for x, sh in zip(leaves, shapes)]))
                check(probe)
                return _pack(probe, [M.zeros((0,) + tuple(convert_to_tensor(v).shape),
                                             dtype=convert_to_tensor(v).dtype)
                                     for v in _flatten(probe)])
            outs = [fn(_pack(elems, [x[i] for x in leaves])) for i in builtins.range(n)]
            check(outs[0])
            return stack(outs)
        # a first dimension known only in the run: the first slice outside the loop
        # (its results' structure and dtypes), the others stacked by a while_loop. When
        # the run's elems are empty, fn gets a zero slice instead (only the taken branch
        # of the cond runs) and its stacked results are cut to 0 rows: TF's empty result
        # of the element shape, where gather(elems, 0) would fail
        from .control_flow import cond
        from ..graph.shape import TensorShape
        n = M.shape(leaves[0])[0]
        some = M.greater(n, 0)

        def zeros(lead, shape, dynamic, dtype):
            # zeros of shape lead + shape, static where ``shape`` is known
            if shape is not None and None not in shape:
                return M.zeros(lead + tuple(shape), dtype=dtype)
            return M.zeros(M.concat([list(lead), dynamic], 0), dtype=dtype)
        first = fn(_pack(elems, [cond(some, lambda x=x: M.gather(x, 0),
                                      lambda x=x, sh=sh: zeros(
                                          (), sh[1:] if sh is not None else None,
                                          M.shape(x)[1:], x.dtype))
                                 for x, sh in zip(leaves, shapes)]))
        check(first)
        flat0 = [convert_to_tensor(v) for v in _flatten(first)]
        acc0 = [cond(some, lambda v=v: M.expand_dims(v, 0),
                     lambda v=v: zeros((0,), v._shape, M.shape(v), v.dtype))
                for v in flat0]

        def body(i, acc):
            new = [convert_to_tensor(v) for v in _flatten(fn(take(i)))]
            return i + 1, [M.concat([a, M.expand_dims(v, 0)], 0) for a, v in zip(acc, new)]
        # (an unknown shape is TensorShape(None): a list of Nones would read as one shape)
        inv = [(), [TensorShape(None) if v._shape is None else (None,) + tuple(v._shape)
                    for v in flat0]]
        _, acc = while_loop(lambda i, acc: M.less(i, n), body, [M.constant(1), acc0],
                            shape_invariants=inv)
        return _pack(first, list(acc))

    def mapped():
        out = f()
        return out if back_prop else no_backprop(out)   # (graph mode: no gradient)
    return build(name, "map", mapped, graph_args=tuple(
        e for e in _flatten(elems) if isinstance(e, Tensor)))


# -- scatter updates of variables -----------------------------------------------------------
_SCATTER_TYPES = {"update": "ScatterUpdate", "add": "ScatterAdd", "sub": "ScatterSub",
                  "nd_update": "ScatterNdUpdate", "nd_add": "ScatterNdAdd",
                  "nd_sub": "ScatterNdSub"}


def _scattered(kind, cur, i, u, dt):
    """``cur`` (a variable's values) with ``updates`` ``u`` written at rows ``i``, as TF's
    Scatter kernels: every index in ``[0, rows)`` (a negative one, which NumPy would take
    from the end, is TF's InvalidArgumentError), ``u`` of shape ``i.shape +
    cur.shape[1:]`` or a scalar; repeated indices accumulate for add/sub."""
    from ..graph import errors
    new = np.array(cur, dtype=dt, copy=True)
    i = np.asarray(i)
    if i.dtype.kind not in "iu":
        raise TypeError(f"{_SCATTER_TYPES[kind]}: indices must be integers, got {i.dtype}")
    i = i.astype(np.int64)
    rows = new.shape[0] if new.ndim else 0
    bad = (i < 0) | (i >= rows)
    if np.any(bad):
        k = int(np.flatnonzero(bad.reshape(-1))[0])
        raise errors.InvalidArgumentError(
            None, None, f"indices[{k}] = {int(i.reshape(-1)[k])} is not in [0, {rows})")
    u = np.asarray(u, dtype=dt)
    want = tuple(i.shape) + tuple(new.shape[1:])
    if u.ndim and tuple(u.shape) != want:
        raise errors.InvalidArgumentError(
            None, None, f"{_SCATTER_TYPES[kind]}: updates must have shape {list(want)} "
            f"(indices.shape + ref.shape[1:]) or be a scalar, got {list(u.shape)}")
    if kind == "update":
        new[i] = u
    elif kind == "add":
        np.add.at(new, i, u)
    else:
        np.subtract.at(new, i, u)
    return new


def _scattered_nd(kind, cur, i, u, dt):
    """``cur`` with ``updates`` ``u`` written (added, subtracted) at the index tuples in
    the last axis of ``i``, as TF's ScatterNd kernels (``tensor_scatter_nd_*``'s)."""
    from .array_ops import _tensor_scatter_fwd
    i = np.asarray(i)
    if i.dtype.kind not in "iu":
        raise TypeError(f"{_SCATTER_TYPES['nd_' + kind]}: indices must be integers, got "
                        f"{i.dtype}")
    return _tensor_scatter_fwd(None, np.asarray(cur, dtype=dt), i,
                               np.asarray(u, dtype=dt), kind).astype(dt, copy=False)


def _scatter(kind, ref, indices, updates, name, nd=False):
    from ..graph import errors
    from .variables import EagerVariable
    scattered = _scattered_nd if nd else _scattered
    tf_type = _SCATTER_TYPES["nd_" + kind if nd else kind]
    if isinstance(ref, EagerVariable):
        # eager: the variable's new value now; it is returned (TF's eager scatter ops
        # return the variable, read when used)
        new = scattered(kind, ref.numpy(), _fw.eager_values(indices),
                        _fw.eager_values(updates), np.dtype(ref.dtype))
        return ref.assign(new)
    g = ref.graph
    idx = convert_to_tensor(indices)
    upd = convert_to_tensor(updates, dtype=ref._np_dtype)
    vop = ref._op
    dt = ref._np_dtype
    ishape, ushape, rshape = idx._shape, upd._shape, ref._shape
    if nd and ishape is not None and rshape is not None and ushape is not None and \
            ishape[-1] is not None:
        # TF's shape function: updates of shape indices.shape[:-1] + ref.shape[K:]
        want = tuple(ishape[:-1]) + tuple(rshape[ishape[-1]:])
        if not M.compatible(ushape, want):
            raise ValueError(f"Shapes must be equal: updates have shape {list(ushape)}, "
                             f"{tf_type} needs indices.shape[:-1] + ref.shape[K:] = "
                             f"{list(want)}")
    # TF's shape function: updates of rank 0, or of shape indices.shape + ref.shape[1:]
    if not nd and ishape is not None and ushape is not None and rshape is not None and \
            ushape:
        want = tuple(ishape) + tuple(rshape[1:])
        if not M.compatible(ushape, want):
            raise ValueError(f"Shapes must be equal: updates have shape {list(ushape)}, "
                             f"{_SCATTER_TYPES[kind]} needs indices.shape + ref.shape[1:] "
                             f"= {list(want)} (or a scalar)")

    def fn(ctx, i, u):
        cur = ctx.writes.get(vop)
        if cur is None:
            cur = ctx.session._vars.get(vop)
        if cur is None:
            raise errors.FailedPreconditionError(
                None, op, f"Attempting to use uninitialized value {vop.name}")
        # (a staged update: recomputed on the committed value where another run wrote
        # the variable since this one read it)
        return ctx.update((vop,), (cur,), lambda c: (scattered(kind, c, i, u, dt),))[0]
    with g.as_default(), g.name_scope(name or tf_type) as scope:
        op = g.special_op(tf_type, scope, (ref, idx, upd), fn,
                          [(ref._shape, dt)],
                          attrs={"ref_inputs": 1, "ref_output": True})
    out = op.outputs[0]
    out._is_ref = True
    return out


def scatter_update(ref, indices, updates, use_locking=True, name=None):
    """An op setting ``ref[indices] = updates``; fetched, the new value of ``ref``.

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default(), tf.Session() as s:
    ...     v = tf.Variable([[1, 2], [3, 4], [5, 6]])
    ...     s.run(v.initializer)
    ...     print(s.run(tf.scatter_update(v, [2, 0], [[0, 0], [9, 9]])))
    [[9 9]
     [3 4]
     [0 0]]
    """
    return _scatter("update", ref, indices, updates, name)


def scatter_add(ref, indices, updates, use_locking=False, name=None):
    """An op adding ``updates`` at ``ref[indices]`` (repeated indices accumulate).

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default(), tf.Session() as s:
    ...     v = tf.Variable([1, 2, 3, 4])
    ...     s.run(v.initializer)
    ...     print(s.run(tf.scatter_add(v, [0, 2, 0], [10, 20, 30])))
    [41  2 23  4]
    """
    return _scatter("add", ref, indices, updates, name)


def scatter_sub(ref, indices, updates, use_locking=False, name=None):
    """An op subtracting ``updates`` at ``ref[indices]`` (repeated indices accumulate).

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default(), tf.Session() as s:
    ...     v = tf.Variable([10.0, 20.0, 30.0])
    ...     s.run(v.initializer)
    ...     print(s.run(tf.scatter_sub(v, [1, 1], [1.0, 2.0])))
    [10. 17. 30.]
    """
    return _scatter("sub", ref, indices, updates, name)


def scatter_nd_update(ref, indices, updates, use_locking=True, name=None):
    """An op writing ``updates`` into the variable ``ref`` at the index tuples in the last
    axis of ``indices``; fetched, the new value of ``ref``.

    >>> import ndgrad.tf as tf; tf.reset_default_graph()
    >>> v = tf.Variable([1, 2, 3, 4])
    >>> with tf.Session() as s:
    ...     _ = s.run(v.initializer)
    ...     print(s.run(tf.scatter_nd_update(v, [[1], [3]], [9, 8])))
    [1 9 3 8]
    """
    return _scatter("update", ref, indices, updates, name, nd=True)


def scatter_nd_add(ref, indices, updates, use_locking=False, name=None):
    """An op adding ``updates`` to the variable ``ref`` at the index tuples of
    ``indices`` (repeats add up); fetched, the new value of ``ref``.

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default(), tf.Session() as s:
    ...     v = tf.Variable([[1, 2], [3, 4]])
    ...     s.run(v.initializer)
    ...     print(s.run(tf.scatter_nd_add(v, [[0, 1], [1, 0], [0, 1]], [10, 20, 30])))
    [[ 1 42]
     [23  4]]
    """
    return _scatter("add", ref, indices, updates, name, nd=True)


def scatter_nd_sub(ref, indices, updates, use_locking=False, name=None):
    """An op subtracting ``updates`` from the variable ``ref`` at the index tuples of
    ``indices`` (repeats add up); fetched, the new value of ``ref``.

    >>> import ndgrad.tf as tf
    >>> with tf.Graph().as_default(), tf.Session() as s:
    ...     v = tf.Variable([[1, 2], [3, 4]])
    ...     s.run(v.initializer)
    ...     print(s.run(tf.scatter_nd_sub(v, [[1]], [[3, 3]])))
    [[1 2]
     [0 1]]
    """
    return _scatter("sub", ref, indices, updates, name, nd=True)


__all__ += ["clip_by_norm", "clip_by_average_norm", "global_norm", "clip_by_global_norm",
            "map_fn", "scatter_update", "scatter_add", "scatter_sub", "scatter_nd_update",
            "scatter_nd_add", "scatter_nd_sub"]

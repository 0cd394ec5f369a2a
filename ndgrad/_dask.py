"""The Dask backend's namespace: array_api_compat's ``dask.array`` plus what Dask restricts.

``array_api_compat.dask.array`` is a conformant namespace over ``dask.array``, but Dask
leaves out or limits by chunk layout some functions ndgrad's ops and gradient rules call:
FFTs along a chunked axis, the linalg functions (square chunks, tall-and-skinny QR/SVD,
no ``det``/``eig*``/``inv``/``pinv``...), reshapes that do not merge or split chunks
evenly, ``take_along_axis``, and NumPy's indexing forms (point-wise integer arrays,
``add.at`` scatters) that gradient rules need. Here each is built lazily from Dask's
own pieces: the core axes are rechunked to one chunk and NumPy's function runs per
block (``map_blocks``), so the graph stays lazy and batches stay parallel. Everything
else is array_api_compat's function unchanged.
"""
from __future__ import annotations

import math
import types

import numpy as np

try:
    import dask
    import dask.array as da
    import array_api_compat.dask.array as _dax
except ImportError:  # pragma: no cover - only the Dask backend imports this module (and
    dask = da = _dax = None   # doctest collection, which must not fail without Dask)

__all__ = ["namespace", "getitem", "scatter_add", "per_matrix"]


def _pos(axis, ndim):
    return axis + ndim if axis < 0 else axis


def _one_chunk(x, axes):
    """``x`` with each of ``axes`` in a single chunk."""
    want = {_pos(a, x.ndim): -1 for a in axes}
    if all(len(x.chunks[a]) <= 1 for a in want):
        return x
    return x.rechunk(want)


def _matrices(x, core=2):
    return _one_chunk(x, range(x.ndim - core, x.ndim))


def per_matrix(fn, x, out_core, dtype, core_shape=None):
    """NumPy's ``fn`` on each matrix (the last two axes) of ``x``, lazily; its result has
    ``out_core`` trailing core axes (0, 1 or 2) of ``core_shape``."""
    x = _matrices(x)
    nd = x.ndim
    batch = x.chunks[:-2]
    if out_core == 2:
        chunks = batch + tuple((n,) for n in (core_shape or x.shape[-2:]))
        return da.map_blocks(fn, x, dtype=dtype, chunks=chunks)
    drop = [nd - 2, nd - 1] if out_core == 0 else [nd - 1]
    chunks = batch + (((core_shape[0],),) if out_core == 1 else ())
    return da.map_blocks(fn, x, dtype=dtype, chunks=chunks, drop_axis=drop)


# -- linalg -------------------------------------------------------------------------------
def _lin():
    L = types.ModuleType("ndgrad._dask.linalg",
                         "array_api_compat's dask.array.linalg with every standard function")
    for k, v in vars(_dax.linalg).items():
        if not k.startswith("__"):
            setattr(L, k, v)
    npl = np.linalg

    def square(x, name):
        if x.ndim < 2 or x.shape[-1] != x.shape[-2]:
            raise np.linalg.LinAlgError(f"linalg.{name} needs square matrices; got shape "
                                        f"{x.shape}")

    def real_of(dt):
        return np.empty(0, dt).real.dtype

    def inv(x):
        square(x, "inv")
        return per_matrix(npl.inv, x, 2, x.dtype)

    def det(x):
        square(x, "det")
        return per_matrix(npl.det, x, 0, x.dtype)

    def slogdet(x):
        square(x, "slogdet")
        sign = per_matrix(lambda b: npl.slogdet(b)[0], x, 0, x.dtype)
        logabs = per_matrix(lambda b: npl.slogdet(b)[1], x, 0, real_of(x.dtype))
        return _dax.linalg.SlogdetResult(sign, logabs)

    def cholesky(x, /, *, upper=False):
        square(x, "cholesky")
        # (NumPy's upper factor reads the upper triangle, as on the other backends)
        f = (lambda b: npl.cholesky(b, upper=True)) if upper else npl.cholesky
        return per_matrix(f, x, 2, x.dtype)

    def matrix_power(x, n, /):
        square(x, "matrix_power")
        return per_matrix(lambda b: npl.matrix_power(b, n), x, 2, x.dtype)

    def pinv(x, /, *, rtol=None):
        m, n = x.shape[-2:]
        kw = {} if rtol is None else {"rtol": rtol}
        return per_matrix(lambda b: npl.pinv(b, **kw), x, 2, x.dtype, (n, m))

    def matrix_rank(x, /, *, rtol=None):
        kw = {} if rtol is None else {"rtol": rtol}
        return per_matrix(lambda b: np.asarray(npl.matrix_rank(b, **kw)), x, 0, np.int64)

    def eig(x, /):
        square(x, "eig")
        n = x.shape[-1]
        cdt = np.result_type(x.dtype, np.complex64)
        w = per_matrix(lambda b: npl.eig(b)[0].astype(cdt), x, 1, cdt, (n,))
        v = per_matrix(lambda b: npl.eig(b)[1].astype(cdt), x, 2, cdt)
        return w, v

    def eigvals(x, /):
        square(x, "eigvals")
        cdt = np.result_type(x.dtype, np.complex64)
        return per_matrix(lambda b: npl.eigvals(b).astype(cdt), x, 1, cdt, (x.shape[-1],))

    def eigh(x, /):
        square(x, "eigh")
        n = x.shape[-1]
        w = per_matrix(lambda b: npl.eigh(b)[0], x, 1, real_of(x.dtype), (n,))
        v = per_matrix(lambda b: npl.eigh(b)[1], x, 2, x.dtype)
        return _dax.linalg.EighResult(w, v)

    def eigvalsh(x, /):
        square(x, "eigvalsh")
        return per_matrix(npl.eigvalsh, x, 1, real_of(x.dtype), (x.shape[-1],))

    def svd(x, /, *, full_matrices=True):
        m, n = x.shape[-2:]
        k = min(m, n)
        us = (m, m if full_matrices else k)
        vs = (n if full_matrices else k, n)
        f = lambda i: (lambda b: npl.svd(b, full_matrices=full_matrices)[i])  # noqa: E731
        u = per_matrix(f(0), x, 2, x.dtype, us)
        s = per_matrix(f(1), x, 1, real_of(x.dtype), (k,))
        vh = per_matrix(f(2), x, 2, x.dtype, vs)
        return _dax.linalg.SVDResult(u, s, vh)

    def svdvals(x, /):
        k = min(x.shape[-2:])
        return per_matrix(lambda b: npl.svd(b, compute_uv=False), x, 1, real_of(x.dtype),
                           (k,))

    def qr(x, /, *, mode="reduced"):
        m, n = x.shape[-2:]
        k = min(m, n) if mode == "reduced" else m
        q = per_matrix(lambda b: npl.qr(b, mode=mode)[0], x, 2, x.dtype, (m, k))
        r = per_matrix(lambda b: npl.qr(b, mode=mode)[1], x, 2, x.dtype, (k, n))
        return _dax.linalg.QRResult(q, r)

    def matrix_norm(x, /, *, keepdims=False, ord="fro"):
        out = per_matrix(lambda b: npl.norm(b, ord=ord, axis=(-2, -1)), x, 0,
                          real_of(x.dtype))
        return out[..., None, None] if keepdims else out

    def trace(x, /, *, offset=0, dtype=None):
        dt = dtype if dtype is not None else _dax.sum(x[..., :1, :1], axis=(-2, -1)).dtype
        return per_matrix(lambda b: np.trace(b, offset=offset, axis1=-2, axis2=-1,
                                              dtype=dt), x, 0, dt)

    def solve(a, b, /):
        square(a, "solve")
        n = a.shape[-1]
        vec = b.ndim == 1
        if vec:
            b = b[:, None]
        batch = np.broadcast_shapes(a.shape[:-2], b.shape[:-2])
        a2 = _matrices(da.broadcast_to(a, batch + a.shape[-2:]))
        b2 = _matrices(da.broadcast_to(b, batch + b.shape[-2:]))
        b2 = b2.rechunk(a2.chunks[:-2] + b2.chunks[-2:])
        dt = np.result_type(a.dtype, b.dtype)
        out = da.map_blocks(npl.solve, a2, b2, dtype=dt, chunks=b2.chunks)
        if b2.shape[-2] != n:
            raise ValueError(f"linalg.solve: b of shape {b.shape} does not match a of shape "
                             f"{a.shape}")
        return out[..., 0] if vec else out

    def lstsq(a, b, rcond=None):
        # one chunk: the residuals' length depends on the rank (unknown until computed)
        m, n = a.shape
        d = dask.delayed(npl.lstsq, nout=4)(a, b, rcond=rcond)
        dt = np.result_type(a.dtype, b.dtype)
        x = da.from_delayed(d[0], (n,) + tuple(b.shape[1:]), dtype=dt)
        res = da.from_delayed(d[1], (math.nan,), dtype=real_of(dt))
        rank = da.from_delayed(d[2], (), dtype=np.int32)
        s = da.from_delayed(d[3], (min(m, n),), dtype=real_of(dt))
        return x, res, rank.astype(np.int32), s

    def cross(a, b, /, *, axis=-1):
        shape = np.broadcast_shapes(a.shape, b.shape)
        a2 = _one_chunk(da.broadcast_to(a, shape), [axis])
        b2 = _one_chunk(da.broadcast_to(b, shape), [axis]).rechunk(a2.chunks)
        return da.map_blocks(lambda p, q: np.cross(p, q, axis=axis), a2, b2,
                             dtype=np.result_type(a.dtype, b.dtype), chunks=a2.chunks)

    for f in (inv, det, slogdet, cholesky, matrix_power, pinv, matrix_rank, eig, eigvals,
              eigh, eigvalsh, svd, svdvals, qr, matrix_norm, trace, solve, lstsq, cross):
        setattr(L, f.__name__, f)
    return L


# -- fft ----------------------------------------------------------------------------------
def _fft():
    F = types.ModuleType("ndgrad._dask.fft", "array_api_compat's dask.array.fft, any chunks")
    for k, v in vars(_dax.fft).items():
        if not k.startswith("__"):
            setattr(F, k, v)

    def one_axis(name):
        f = getattr(da.fft, name)

        def g(x, /, *, n=None, axis=-1, norm="backward"):
            return f(_one_chunk(x, [axis]), n=n, axis=axis, norm=norm)
        g.__name__ = name
        return g

    def many_axes(name):
        npf = getattr(np.fft, name)

        def g(x, /, *, s=None, axes=None, norm="backward"):
            ax = list(range(x.ndim)) if axes is None else [_pos(a, x.ndim) for a in axes]
            if s is not None and axes is None:
                ax = ax[-len(s):]
            x = _one_chunk(x, ax)
            shape = _fft_shape(name, x.shape, s, ax)
            chunks = tuple((shape[i],) if i in ax else c for i, c in enumerate(x.chunks))
            dt = npf(np.ones((2,) * len(ax), dtype=x.dtype)).dtype
            return da.map_blocks(lambda b: npf(b, s=s, axes=ax, norm=norm), x,
                                 dtype=dt, chunks=chunks)
        g.__name__ = name
        return g

    for name in ("fft", "ifft", "rfft", "irfft", "hfft", "ihfft"):
        setattr(F, name, one_axis(name))
    for name in ("fftn", "ifftn", "rfftn", "irfftn"):
        setattr(F, name, many_axes(name))
    return F


def _fft_shape(name, shape, s, axes):
    """The output shape of NumPy's n-d FFT ``name`` over ``axes`` with lengths ``s``."""
    out = list(shape)
    for i, a in enumerate(axes):
        out[a] = s[i] if s is not None else shape[a]
    last = axes[-1]
    if name == "rfftn":
        out[last] = out[last] // 2 + 1
    elif name == "irfftn" and s is None:
        out[last] = 2 * (shape[last] - 1)
    return tuple(out)


# -- the main namespace -------------------------------------------------------------------
def _take_along_axis(x, indices, /, *, axis=-1):
    axis = _pos(axis, x.ndim)
    shape = list(np.broadcast_shapes(
        tuple(1 if i == axis else n for i, n in enumerate(x.shape)),
        tuple(1 if i == axis else n for i, n in enumerate(indices.shape))))
    xs = shape.copy()
    xs[axis] = x.shape[axis]
    js = shape.copy()
    js[axis] = indices.shape[axis]
    x2 = _one_chunk(da.broadcast_to(x, tuple(xs)), [axis])
    if not isinstance(indices, da.Array):
        indices = da.from_array(np.asarray(indices), chunks=-1)
    j2 = _one_chunk(da.broadcast_to(indices, tuple(js)), [axis])
    j2 = j2.rechunk(tuple(c if i != axis else j2.chunks[i] for i, c in enumerate(x2.chunks)))
    return da.map_blocks(lambda a, j: np.take_along_axis(a, j, axis=axis), x2, j2,
                         dtype=x.dtype, chunks=j2.chunks)


def _reshape(x, /, shape, *, copy=None):
    _known(x.shape, "reshape")
    if x.ndim == 0 or 0 in x.shape:   # (Dask's chunk arithmetic fails on these)
        return _dax.reshape(x.rechunk(-1), shape, copy=copy)
    try:
        return _dax.reshape(x, shape, copy=copy)
    except NotImplementedError:
        # Dask reshapes only by merging or splitting chunks evenly: one chunk first
        return _dax.reshape(x.rechunk(-1), shape, copy=copy)


def _keep_dtype(f):
    # Dask sums the blocks' products in NumPy's widened sum dtype (int32 @ int32 gives
    # int64 there); the standard's (and NumPy's) result type is the operands' promotion.
    # The cast is exact modulo the narrow type's range, as NumPy's own wrap-around is.
    def g(a, b, /, **kw):
        out = f(a, b, **kw)
        dt = np.result_type(a.dtype, b.dtype)
        return out if out.dtype == dt else out.astype(dt)
    g.__name__ = f.__name__
    return g


def _broadcast_shapes(*shapes):
    return np.broadcast_shapes(*shapes)


def _eye(n_rows, n_cols=None, /, *, k=0, dtype=None, device=None):
    # (dask.array.eye is wrong for some non-square shapes and chunkings: ones off the
    # diagonal; each block here is NumPy's eye shifted by the block's position)
    m = n_rows if n_cols is None else n_cols
    dt = np.dtype(dtype) if dtype is not None else np.dtype(np.float64)
    grid = da.empty((n_rows, m), dtype=dt, chunks="auto" if n_rows and m else -1)

    def block(b, block_info=None):
        (r0, r1), (c0, c1) = block_info[0]["array-location"]
        return np.eye(r1 - r0, c1 - c0, k=k + r0 - c0, dtype=dt)
    return da.map_blocks(block, grid, dtype=dt)


def _known(shape, what):
    """Refuse a target shape with a length Dask does not know yet (nan), by name."""
    if any(n is None or n != n for n in shape):
        raise ValueError(
            f"{what} to shape {tuple(None if n != n else n for n in shape)} on the Dask "
            "backend: a length is not known until computed (it comes from a boolean mask, "
            "nonzero, unique or lstsq's residuals). Differentiate through "
            "nd.where(mask, x, 0) instead of x[mask], or compute the array first "
            "(x.compute(), or x.persist() with Dask's compute_chunk_sizes)")


def _broadcast_to(x, /, shape):
    _known(shape, "broadcast_to")
    return _dax.broadcast_to(x, shape)


def _expand_dims(x, /, *, axis=0):
    _known(x.shape, "expand_dims")
    return _dax.expand_dims(x, axis=axis)


def _build():
    ns = types.ModuleType("ndgrad._dask.xp", __doc__.splitlines()[0])
    for k, v in vars(_dax).items():
        if not k.startswith("__") or k in ("__array_api_version__",):
            setattr(ns, k, v)
    ns.linalg = _lin()
    ns.fft = _fft()
    ns.take_along_axis = _take_along_axis
    ns.reshape = _reshape
    ns.broadcast_shapes = _broadcast_shapes
    for name in ("matmul", "tensordot", "vecdot"):
        setattr(ns, name, _keep_dtype(getattr(_dax, name)))
        setattr(ns.linalg, name, getattr(ns, name))
    ns.broadcast_to = _broadcast_to
    ns.eye = _eye
    ns.expand_dims = _expand_dims
    ns.var = _dof_clamped(_dax.var)
    ns.std = _dof_clamped(_dax.std)
    ns.take = _take
    return ns


def _take(x, indices, /, *, axis=None):
    """``take`` as NumPy's indexing along ``axis`` (``getitem``'s checked path: Dask's own
    take of the index [0] gave the whole axis's lazy shape)."""
    if axis is None:
        x, axis = x.reshape(-1), 0
    return getitem(x, (slice(None),) * (axis % x.ndim) + (indices,))


def _dof_clamped(f):
    """var/std with NumPy's degrees of freedom, ``max(n - correction, 0)``: Dask divides
    by a negative ``n - correction`` where it exceeds the count (nan where NumPy's is
    inf); a correction past the count is taken as the count (a division by 0)."""
    def g(x, /, *, axis=None, correction=0.0, keepdims=False, **kw):
        axes = range(x.ndim) if axis is None else (
            [axis] if isinstance(axis, int) else list(axis))
        lengths = [x.shape[a] for a in axes]
        if all(isinstance(n, (int, np.integer)) for n in lengths):
            correction = min(correction, math.prod(lengths))
        return f(x, axis=axis, correction=correction, keepdims=keepdims, **kw)
    g.__name__ = f.__name__
    return g


namespace = _build() if da is not None else None


# -- NumPy's indexing on Dask arrays (ndgrad's getitem and its gradient's scatter) ---------
def _keys(key):
    return key if isinstance(key, tuple) else (key,)


def _is_index_array(k):
    return isinstance(k, (list, np.ndarray, da.Array))


def normalize_key(key, shape):
    """``key`` with each slice written the one way Dask reads as NumPy does: start and
    stop within the axis, a stop of None past the start of a reversed slice (Dask took
    ``x[-5::-1]`` of 4 elements, NumPy's empty selection, for the whole axis, in values,
    gradients and writes alike). Axes of a length not known yet keep their slices."""
    items = _keys(key)
    if not any(isinstance(k, slice) for k in items):
        return key
    consumed = sum(0 if k is None or k is Ellipsis else
                   (np.ndim(k) if getattr(k, "dtype", None) == bool else 1) for k in items)
    out, axis = [], 0
    for k in items:
        if k is Ellipsis:
            axis += len(shape) - consumed
        elif k is None:
            pass
        elif isinstance(k, slice):
            n = shape[axis] if axis < len(shape) else None
            if isinstance(n, (int, np.integer)):
                r = range(*k.indices(int(n)))
                k = slice(0, 0, 1) if not len(r) else slice(
                    r.start, r.stop if r.stop >= 0 else None, r.step)
            axis += 1
        else:
            axis += np.ndim(k) if getattr(k, "dtype", None) == bool else 1
        out.append(k)
    return tuple(out) if isinstance(key, tuple) else out[0]


def _separated_advanced(items):
    """Whether index arrays (and the integers beside them) are not all adjacent: NumPy
    puts their broadcast dimensions first, where Dask leaves them in place."""
    if not any(_is_index_array(k) for k in items):
        return False
    adv = [i for i, k in enumerate(items) if _is_index_array(k)
           or isinstance(k, (int, np.integer)) and not isinstance(k, bool)]
    return adv != list(range(adv[0], adv[-1] + 1))


def _numpy_shape(x, key, items, lazy):
    """The shape NumPy gives ``x[key]``, from a zero-strided stand-in with the same key (a
    Dask integer array by zeros of its shape: its values do not change the shape)."""
    probe = tuple(np.zeros(k.shape, np.intp) if lz and k.dtype != bool else
                  np.ones(k.shape, bool) if lz else k for k, lz in zip(items, lazy))
    return np.broadcast_to(np.empty((), np.bool_), x.shape)[
        probe if isinstance(key, tuple) else probe[0]].shape


def getitem(x, key):
    """``x[key]`` with NumPy's rules on a Dask array: Dask's own indexing (its result's
    shape checked against NumPy's: Dask's slicing by a Dask index array ``[0]`` took the
    whole axis), point-wise integer arrays (NumPy's advanced indexing) through
    ``vindex``, and what neither takes (index arrays apart, Dask index arrays Dask
    mis-slices, 0-d masks) as one lazy task whose shape NumPy gives (unknown lengths
    where a Dask mask decides)."""
    key = normalize_key(key, x.shape)
    items = _keys(key)
    lazy = [isinstance(k, da.Array) for k in items]
    known = not any(isinstance(n, float) and n != n for n in x.shape) and not any(
        lz and k.dtype == bool for k, lz in zip(items, lazy))
    if not _separated_advanced(items):
        try:
            r = x[key]
        except Exception:   # (Dask's refusals vary; the stand-in below raises NumPy's)
            r = None
        if r is not None and (not known or any(isinstance(n, float) and n != n
                                               for n in r.shape)
                              or tuple(r.shape) == _numpy_shape(x, key, items, lazy)):
            return r
    if not any(lazy) and all(hasattr(k, "shape") and k.dtype != bool for k in items):
        try:
            return x.vindex[tuple(items)]
        except (NotImplementedError, IndexError):
            pass
    shape = _numpy_shape(x, key, items, lazy)
    if any(lz and k.dtype == bool for k, lz in zip(items, lazy)):
        shape = (math.nan,) * len(shape)   # how many are selected: known when computed
    d = dask.delayed(lambda a, *k: np.asarray(a[tuple(k) if isinstance(key, tuple) else
                                                 k[0]]))(x, *items)
    return da.from_delayed(d, shape, dtype=x.dtype)


def scatter_add(g, key, shape, basic):
    """zeros(shape) with ``g`` added at ``key`` (repeated indices accumulate), lazily:
    Dask's own assignment for basic keys, else one task running NumPy's ``add.at``."""
    key = normalize_key(key, shape)
    if basic:
        z = da.zeros(shape, dtype=g.dtype)
        try:
            z[key] = g
            return z
        except (NotImplementedError, ValueError, IndexError, TypeError):
            pass

    def add_at(gv, *k):
        z = np.zeros(shape, dtype=gv.dtype)
        if basic:
            z[tuple(k)] = gv
        else:
            np.add.at(z, tuple(k), gv)
        return z
    d = dask.delayed(add_at)(g, *_keys(key))
    return da.from_delayed(d, shape, dtype=g.dtype).rechunk("auto")

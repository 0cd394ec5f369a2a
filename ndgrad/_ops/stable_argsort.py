"""The stable argsort of NumPy arrays (``np.argsort(x, kind="stable")``'s exact indices),
found at the speed of NumPy's SIMD value sort instead of its merge sort (for integers of
32 and 64 bits, by sorting ``(value - min) << bits | position`` keys, exact where the
values' span leaves room; for integers of 8 and 16 bits NumPy's stable radix sort is
the fastest there is).

NumPy's stable argsort of floats is a merge sort, about 4x its default (unstable) one,
and the default one is itself about 2.7x its value sort (``np.sort``, a SIMD quicksort).
For floats the indices can ride in the values: each value's low bits are replaced by its
position, the resulting keys are sorted by ``np.sort``, and the positions are read back
from the low bits. Keys whose high bits differ sort as their values do; the high bits
of two keys are equal only where two values are equal (a tie, ordered by position:
the stable order) or differ only in the replaced bits (a collision): those runs are
found afterwards and put in order by (value, position) exactly. Anything the keys cannot
carry (NaN, infinities, too many collisions) takes NumPy's own path.
"""
from __future__ import annotations

import numpy as np

_FLOATS = (np.dtype(np.float64), np.dtype(np.float32), np.dtype(np.float16))
PACKED_MIN_SIZE = 2048     # below this NumPy's calls are cheaper than the packing's
_CHUNK = 1 << 16           # elements per block of the collision scan (cache-sized)


def stable_argsort(x, axis):
    """``np.argsort(x, axis=axis, kind="stable")`` for a NumPy array ``x`` (same indices,
    dtype and C-contiguous layout), found by the fastest exact way this module knows.

    >>> import numpy
    >>> stable_argsort(numpy.array([1.0, 0.0, 1.0, -0.0]), -1)
    array([1, 3, 0, 2])
    """
    axis = axis + x.ndim if axis < 0 else axis
    n = x.shape[axis] if x.ndim else 1
    if n <= 4:                 # (NumPy's stable sort of a few elements is an insertion sort)
        return np.argsort(x, axis=axis, kind="stable")
    kind = x.dtype.kind
    if kind in "biu" and x.dtype.itemsize <= 2:
        return np.argsort(x, axis=axis, kind="stable")     # NumPy's radix sort: fastest
    packer = (_packed_argsort if x.dtype in _FLOATS else
              _packed_int_argsort if kind in "iu" and x.dtype.isnative else None)
    if packer is not None and x.size >= PACKED_MIN_SIZE:
        moved = x if axis == x.ndim - 1 else np.moveaxis(x, axis, -1)
        idx = packer(moved)
        if idx is False:           # ties (or collisions) everywhere: the stable sort
            return np.argsort(x, axis=axis, kind="stable")
        if idx is not None:
            if moved is not x:
                idx = np.ascontiguousarray(np.moveaxis(idx, -1, axis))
            return idx
    return _checked_argsort(x, axis)


def _checked_argsort(x, axis):
    """NumPy's fast unstable argsort where no two keys are equal (then it gives the
    stable sort's indices), else its stable sort."""
    idx = np.argsort(x, axis=axis)
    # the sorted values by a second fast sort (cheaper than gathering them through idx)
    s = np.moveaxis(np.sort(x, axis=axis), axis, -1)
    # equal neighbours are ties; NaNs (sorted last, never equal) tie with each other too:
    # two of them in a row put one in the second last place
    if (s[..., :-1] == s[..., 1:]).any() or (
            x.dtype.kind in "fc" and np.isnan(s[..., -2]).any()):
        return np.argsort(x, axis=axis, kind="stable")
    return idx


def _packed_argsort(x):
    """Stable argsort along the last axis of a float array by sorting float64 keys that
    carry each element's position in their low mantissa bits; None where the keys cannot
    carry it (a NaN or an infinity met), False where more keys collide (ties, mostly)
    than a fix-up pays for."""
    n = x.shape[-1]
    bits = (n - 1).bit_length()
    if bits > 40:              # (the quiet bit of a NaN, bit 51, must stay out of reach)
        return None
    low = (1 << bits) - 1
    # float64 copy (exact for float32/16), C order; +0.0 makes -0.0 a +0.0 (NumPy's sort
    # takes them as equal: a tie, ordered by position)
    keys = np.add(x, 0.0, dtype=np.float64, order="C")
    ik = keys.view(np.int64)
    np.bitwise_and(ik, ~low, out=ik)
    # a negative value's key orders larger low bits first: its position is complemented
    # only in the collision fix-up (below); ties and collisions are found either way
    np.bitwise_or(ik, np.arange(n, dtype=np.int64), out=ik)
    keys.sort(axis=-1)
    if keys.size and np.isnan(keys[..., -1]).any():
        # a NaN (or an infinity whose low bits were replaced: a NaN key) sorts last
        return None
    flat = ik.reshape(-1, n)
    runs = _collisions(flat, low)
    if runs is not None and not _fix_runs(flat, runs, x, low):
        return False
    np.bitwise_and(ik, low, out=ik)
    return ik.view(np.intp) if np.dtype(np.intp) == np.int64 else ik.astype(np.intp)


def _collisions(flat, low):
    """Flat positions (row * n + column) of the left element of each pair of sorted
    neighbours in a row whose keys agree above the low bits, or None where there is none.
    (The scan runs over the flat keys in cache-sized blocks, whatever the row length;
    pairs across two rows are dropped from what it finds.)"""
    n = flat.shape[1]
    f = flat.reshape(-1)
    if f.size < 2:
        return None
    found = []
    ulow = np.uint64(low)
    buf = np.empty(min(_CHUNK, f.size - 1), dtype=np.int64)
    hit = np.empty(buf.shape, dtype=bool)
    for s in range(0, f.size - 1, _CHUNK):
        e = min(s + _CHUNK, f.size - 1)
        d, h = buf[:e - s], hit[:e - s]
        np.bitwise_xor(f[s + 1:e + 1], f[s:e], out=d)
        np.less_equal(d.view(np.uint64), ulow, out=h)
        if h.any():
            p = s + np.flatnonzero(h)
            found.append(p[p % n != n - 1])
    found = np.concatenate(found) if found else None
    return found if found is not None and found.size else None


def _fix_runs(flat, left, x, low):
    """Put each run of colliding keys (sorted neighbours ``left``, ``left + 1``) in
    stable order: by value, then by position. False when the runs are too many for this
    to beat NumPy's stable sort."""
    n = flat.shape[1]
    if 2 * len(left) > flat.size // 8:
        return False
    pos = np.union1d(left, left + 1)                        # every element of a run
    # a run starts where the pair (element before, element) does not collide
    run = np.cumsum(~np.isin(pos - 1, left))
    f = flat.reshape(-1)
    where = f[pos] & low                                    # positions carried by the keys
    lead = np.unravel_index(pos // n, x.shape[:-1]) if x.ndim > 1 else ()
    at = lead + (where,)
    vals = x[at].astype(np.float64) + 0.0                   # the exact values (no NaN here)
    order = np.lexsort((where, vals, run))
    f[pos] = where[order]
    return True


def _packed_int_argsort(x):
    """Stable argsort along the last axis of an integer array by sorting int64 keys
    ``(value - min) << bits | position``: exact (no two keys equal, none collide) where
    the values' span leaves room for the positions; None where it does not."""
    n = x.shape[-1]
    bits = (n - 1).bit_length()
    if x.size == 0:
        return None
    lo, hi = int(x.min()), int(x.max())
    if hi - lo >= 1 << (63 - bits):
        return None
    if x.dtype == np.uint64:            # (x - lo stays in uint64; it fits int64 here)
        keys = np.subtract(x, np.uint64(lo), order="C").view(np.int64)
    else:
        keys = np.subtract(x, lo, dtype=np.int64, order="C")
    np.left_shift(keys, bits, out=keys)
    np.bitwise_or(keys, np.arange(n, dtype=np.int64), out=keys)
    keys.sort(axis=-1)
    np.bitwise_and(keys, (1 << bits) - 1, out=keys)
    return keys.view(np.intp) if np.dtype(np.intp) == np.int64 else keys.astype(np.intp)

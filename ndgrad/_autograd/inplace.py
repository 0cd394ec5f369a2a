"""Writes: ``x[key] = v``, ``a += b`` and writes through views, with correct gradients.

NumPy semantics first: a write changes the buffer, and every view of it sees the change.
For gradients, a write becomes a recorded functional update of the *root* array (the one
that owns the buffer): its node is replaced by a SETITEM node whose parents are the old
root state and the written value, and every live view is re-derived from the new root.
Values that recorded rules still read are never overwritten: when the buffer (or a view
of it) was saved by a rule, the root is copied first (copy-on-write) and the views are
re-pointed at the copy, so the old values stay with the rules that need them.
"""
from __future__ import annotations

import weakref

import numpy as np

from .._backend import backend_of, numpy_backend
from .._ops import registry as _registry
from .._ops.registry import new_node, defop, grad_state, apply, wrap
from .._ops.sharing import mark_shared, _COUNTS
from sys import getrefcount as _refs
from .._ops.elementwise import floor_divide_into  # np.floor_divide + the standard's cases

_ndarray = np.ndarray
_npx = numpy_backend.xp


def _root(a):
    """The array that owns ``a``'s buffer (``a`` itself unless it is a view)."""
    r = getattr(a, "_base", None)
    return a if r is None else r


class _Chain:
    """The view ops that lead from a root array to one of its views, in order: a linked
    list sharing its prefix with the view it was taken of, so that taking a view of a
    view is O(1) (a tuple copied at each step made ``x = x[:-2]`` repeated n times cost
    O(n**2): NumPy's degraded-quicksort test took over 15 minutes). Iterates as
    ``(op, params)`` pairs from the root on; ``()`` is the empty chain."""
    __slots__ = ("prev", "step", "n")

    def __init__(self, prev, step):
        self.prev = prev if isinstance(prev, _Chain) else None
        self.step = step
        self.n = 1 if self.prev is None else self.prev.n + 1

    def __len__(self):
        return self.n

    def __iter__(self):
        steps = []
        c = self
        while c is not None:
            steps.append(c.step)
            c = c.prev
        return reversed(steps)


def _extend(prefix, step):
    if isinstance(prefix, _Chain):
        return _Chain(prefix, step)
    c = None
    for s in prefix:   # (a tuple, as a caller may have set)
        c = _Chain(c, s)
    return _Chain(c, step)


def register_view(base, res, op, params):
    root = _root(base)
    chain = _extend(getattr(base, "_chain", ()) if root is not base else (), (op, params))
    res._base = root
    res._chain = chain
    views = getattr(root, "_views", None)
    if views is None:
        views = root._views = []
    elif len(views) >= 32 and (len(views) & (len(views) - 1)) == 0:
        views[:] = [r for r in views if r() is not None]  # drop dead views now and then
    views.append(weakref.ref(res))


def register_views(base, results, op, params_seq):
    """``register_view`` for many views of one ``base`` at once (``unstack``'s slices):
    the root, the chain prefix and the view list are found once."""
    root = _root(base)
    prefix = getattr(base, "_chain", ()) if root is not base else ()
    views = getattr(root, "_views", None)
    if views is None:
        views = root._views = []
    elif len(views) >= 32:
        views[:] = [r for r in views if r() is not None]  # drop dead views first
    ref = weakref.ref
    for res, params in zip(results, params_seq):
        res._base = root
        res._chain = _extend(prefix, (op, params))
        views.append(ref(res))


DETACH = defop("detach", lambda xp, x: x, None,
               nondiff="cuts the gradient computation by definition", save="none")


def detach(a):
    """``a``'s buffer as a new array outside any gradient computation (a view of ``a``)."""
    res = wrap(a._data)
    register_view(a, res, DETACH, {})
    return res


VIEW_DTYPE = defop("view_dtype", lambda xp, x, dtype: x.view(dtype), None,
                   nondiff="reinterprets the bits: no derivative", save="none")


def view_as_dtype(a, dtype):
    """``a``'s buffer read as ``dtype`` (NumPy's ``x.view(dtype)``): a view of ``a``, so
    that writes through either keep the values recorded rules read."""
    res = wrap(a._data.view(dtype))
    register_view(a, res, VIEW_DTYPE, {"dtype": dtype})
    return res


def _live_views(root):
    refs = getattr(root, "_views", None)
    if not refs:
        return []
    live = [w for w in (r() for r in refs) if w is not None]
    if len(live) < len(refs):
        root._views = [weakref.ref(w) for w in live]
    return live


def _xp(data):
    return _npx if type(data) is _ndarray else backend_of(data).xp


def _replay(xp, data, chain):
    for op, params in chain:
        data = op.forward(xp, data, **params)
    return data


def _copy_on_write(root, views):
    d = root._data
    xp = _xp(d)
    new = d.copy(order="K") if type(d) is _ndarray else xp.asarray(d, copy=True)
    if type(d) is _ndarray and not d.flags.writeable:
        # (a read-only buffer, ``x.flags.writeable = False`` or NumPy's own: the copy
        # stays read-only, so the write that asked for it raises as NumPy's does)
        new.flags.writeable = False
    root._data = new
    root._saved = False
    for w in views:
        w._data = _replay(xp, new, w._chain)
        w._saved = False


def share_out(a):
    """Array ``a``'s buffer, to be handed to code outside ndgrad (``numpy.asarray(a)``,
    DLPack), which may write into it unseen. A buffer some recorded rule reads (``a`` or
    a view of it was saved) is first swapped for a copy in ``a`` and its views
    (copy-on-write), so the rule keeps the values the forward used; the buffer handed
    out is marked shared, so rules recorded later save copies of it (``sharing.py``)."""
    root = _root(a)
    views = _live_views(root)
    if _was_saved(root, views):
        _copy_on_write(root, views)
    return mark_shared(a._data)


def _is_user_leaf(node):
    """A leaf the user asked ``.grad`` for (``requires_grad=True``): PyTorch refuses
    in-place writes into those while recording."""
    return node is not None and node.op is None and node.leaf is not None


def _in_graph(a):
    return isinstance(a, _registry.Array) and a._node is not None


def _was_saved(root, views):
    return getattr(root, "_saved", False) or any(getattr(w, "_saved", False) for w in views)


# -- the recorded write -------------------------------------------------------------------
def _region_mask(shape, chain, key):
    """A NumPy bool mask over the root: False where the write landed.

    The chain of view ops is replayed on the root's flat positions, and the positions
    the key selects are cleared: a map from the view to the root that holds whatever the
    root's memory layout. (Writing through the chain replayed on a C-ordered mask would
    miss when a step is a view of the root's data but a copy on the mask: ``reshape`` of
    ``t.T`` where ``t`` is Fortran-ordered, as ``x.T * 1`` gives.) A dtype view in the
    chain reinterprets bytes, not positions: the mask is replayed for it, as its layout
    is the root's own there."""
    from .._ops.indexing import key_to_numpy
    if any(op is VIEW_DTYPE for op, _ in chain):
        mask = np.ones(shape, dtype=bool)
        view = _replay(_npx, mask, chain)
        view[key_to_numpy(key)] = False
        return mask
    size = 1
    for n in shape:
        size *= n
    positions = _replay(_npx, np.arange(size, dtype=np.intp).reshape(shape), chain)
    mask = np.ones(size, dtype=bool)
    mask[np.asarray(positions[key_to_numpy(key)]).ravel()] = False
    return mask.reshape(shape)


def _winners(region_shape, key, vshape_full):
    """For integer-array keys with repeats, which positions of ``v`` actually landed
    (NumPy keeps the last write): a bool mask of the shape of ``region[key]``."""
    from .._ops.indexing import key_to_numpy
    k = key_to_numpy(key)
    n = int(np.prod(vshape_full)) if vshape_full else 1
    order = np.arange(n).reshape(vshape_full)
    who = np.full(region_shape, -1, dtype=np.int64)
    who[k] = order
    return who[k] == order


def _setitem_vjp(xp, g, ans, old, v, key, chain, root_shape, region_shape, basic, dedup):
    mask = _region_mask(root_shape, chain, key)
    gd = g._data if isinstance(g, _registry.Array) else g
    if type(gd) is not _ndarray:
        mask = backend_of(gd).xp.asarray(mask)
    g_old = xp.where(mask, g, 0.0)
    region = g
    if isinstance(g, _registry.Array):
        from .._ops.indexing import getitem as _gi
        for op, params in chain:
            region = apply(op, (region,), params)
        g_v = _gi(region, key)
    else:
        region = _replay(xp, g, chain)
        g_v = region[key]
    if dedup:
        won = _winners(region_shape, key, tuple(g_v.shape))
        if type(gd) is not _ndarray:
            won = backend_of(gd).xp.asarray(won)
        g_v = xp.where(won, g_v, 0.0)
    return (g_old, g_v)


SETITEM = defop("setitem", None, _setitem_vjp, save="none")


def _has_int_array(key):
    items = key if isinstance(key, tuple) else (key,)
    return any(hasattr(k, "dtype") and k.dtype != bool and getattr(k, "ndim", 0) >= 0
               and hasattr(k, "shape") for k in items)


def _derived(w):
    """Whether view ``w``'s node is derived from its root's (not a leaf of its own: a
    view of a plain array given ``requires_grad_()``)."""
    node = w._node
    return node is not None and not (node.op is None and node.leaf is not None)


def _refresh_views(root, views):
    for w in views:
        if any(op.name == "detach" for op, _ in w._chain):
            continue
        old = w._node
        if old is not None and old.op is None and old.leaf is not None:
            # a leaf of its own stays one (it became the root's slice: v.grad None)
            continue
        node = root._node
        if node is None:
            w._node = None
            continue
        for op, params in w._chain:
            node = new_node(op, (node,), None, None, params, (None,))
        w._node = node
        _move_retain(w, old)


def _move_retain(a, old):
    """A retained non-leaf written in place keeps its ``.grad`` for its new value, as
    PyTorch's (the old value's node gave the gradient of the value before the write)."""
    if getattr(a, "_retain", False) and old is not None and old.op is not None:
        old.leaf = None
        a._node.leaf = weakref.ref(a)


def _value_data(value, target):
    from .._ops.creation import asarray
    if isinstance(value, _registry.Array):
        if value.device != target.device:
            raise ValueError(f"cannot write an array on {value.device} into an array on "
                             f"{target.device}")
        return value._data
    if isinstance(value, (int, float, complex, bool)):
        return value
    if isinstance(value, np.generic) and value.dtype.kind in "biufc" and \
            type(target._data) is _ndarray:
        # NumPy's scalar: NumPy's own scalar assignment (an int8 array refuses
        # np.int64(300) and np.float32(inf) with OverflowError; as a 0-d array the value
        # was cast: 44, INT_MIN)
        return value
    return asarray(value, device=target.device)._data


def write(target, key, value):
    """``target[key] = value`` with NumPy semantics and recorded gradients."""
    _registry.note_write(target)
    from .._ops.indexing import normalize_key, _is_basic, _owned_key
    root = _root(target)
    chain = getattr(target, "_chain", ()) if root is not target else ()
    views = _live_views(root)
    tdata = target._data
    k = normalize_key(key, tdata)
    if not _is_basic(k):
        k = _owned_key(k)   # (recorded for backward: the caller may write into it later)
    vdata = _value_data(value, target)
    floating = target.dtype.kind in "fc"
    recording = grad_state.enabled and floating and (
        root._node is not None or _in_graph(value) or any(_derived(w) for w in views))
    if recording and any(op is DETACH for op, _ in chain):
        # x.detach()[k] = v changes x's values, as PyTorch's, and not x's gradient
        # computation (values saved by rules are kept by copy-on-write); a leaf stays a
        # leaf. (Through a detached non-leaf the write was recorded as part of the
        # non-leaf: y.detach()[...] = 0 gave (x * 3)'s gradient 0 for 3.)
        if _in_graph(value):
            raise RuntimeError(
                f"writing a value that takes part in a gradient computation (shape "
                f"{value.shape}) into a detached array: its gradient would be lost (the "
                "detached array records nothing); write into a copy instead "
                "(d = x.detach() * 1.0, then d[k] = v)")
        recording = False
    if recording and _is_user_leaf(root._node):
        what = "a leaf array" if target is root else "a view of a leaf array"
        raise RuntimeError(
            f"{what} that requires grad (shape {root.shape}, dtype {root.dtype}) is "
            "being used in an in-place operation; its gradient would be ambiguous. "
            "Write into a copy (x = x * 1.0 first), or update it inside nd.no_grad() "
            "or through x.detach() (as an optimizer step does)")
    if recording or _was_saved(root, views):
        _copy_on_write(root, views)
        tdata = target._data
        if isinstance(value, _registry.Array):
            vdata = value._data   # (a view of the root reads the new buffer, as NumPy's)
    if recording and isinstance(value, _registry.Array) and _root(value) is root:
        _refuse_overlapping_read(root, target, chain, k, value)
    if type(tdata) is not _ndarray and hasattr(vdata, "shape") and type(vdata) is _ndarray:
        vdata = backend_of(tdata).xp.asarray(vdata)
    elif type(vdata) is _ndarray and not vdata.shape and tdata.dtype.kind in "iu" and \
            isinstance(value, _registry.Array) and _registry.stands_for_scalar(value):
        # a 0-d Array standing for NumPy's scalar (x.max(), x[0]) is written as that
        # scalar, as NumPy's: into an integer array an out-of-range or non-finite one
        # raises OverflowError / ValueError (as a 0-d array it was cast)
        vdata = vdata[()]
    if type(tdata) is not _ndarray and backend_of(tdata).name == "dask":
        from .. import _dask   # (slices as Dask reads them as NumPy does)
        k = _dask.normalize_key(k, tdata.shape)
    tdata[k] = vdata
    if not recording:
        return
    region_shape = tuple(tdata.shape)
    vshape = tuple(getattr(vdata, "shape", ()))
    dedup = (not _is_basic(k)) and _has_int_array(k)
    params = {"key": k, "chain": chain, "root_shape": tuple(root._data.shape),
              "region_shape": region_shape, "basic": _is_basic(k), "dedup": dedup}
    vnode = value._node if isinstance(value, _registry.Array) else None
    old = root._node
    root._node = new_node(SETITEM, (root._node, vnode), None, None, params,
                      (tuple(root._data.shape), vshape))
    _move_retain(root, old)
    _refresh_views(root, views)
    if target is not root:
        # the target's own node is among the refreshed views'
        pass


def _refuse_overlapping_read(root, target, chain, key, value):
    """A recorded ``target[key] = value`` where ``value`` is a view of the same buffer:
    NumPy's assignment of a 1-d source that overlaps the destination in the same
    direction reads it while writing (as ``memmove`` would, right only for equal
    strides), so some elements take values this write has just changed. The recorded
    gradient is that of writing ``value``'s values before the write; when NumPy's result
    differs from that (tried on scratch copies first), it is refused, with nothing
    written."""
    d = root._data
    if type(d) is not _ndarray:
        return
    if not np.may_share_memory(target._data, value._data):
        return
    from .._ops.indexing import key_to_numpy
    k = key_to_numpy(key)
    vchain = getattr(value, "_chain", ()) if value is not root else ()
    numpy_way = d.copy(order="K")
    dst = _replay(_npx, numpy_way, chain)
    dst[k] = _replay(_npx, numpy_way, vchain)
    before = d.copy(order="K")
    dst = _replay(_npx, before, chain)
    dst[k] = _replay(_npx, d, vchain).copy()
    if not np.array_equal(numpy_way, before, equal_nan=True):
        raise ValueError(
            f"writing an array (shape {value.shape}) into an overlapping part of its own "
            f"buffer (shape {root.shape}) with another stride: NumPy's assignment reads "
            "values it has already overwritten there, which no recorded gradient "
            "describes; write a copy (x[key] = v.copy())")


def setitem(target, key, value):
    write(target, key, value)


_UFUNCS = {"add": np.add, "subtract": np.subtract, "multiply": np.multiply,
           "divide": np.true_divide, "floor_divide": floor_divide_into,
           "remainder": np.remainder, "pow": np.power, "bitwise_and": np.bitwise_and,
           "bitwise_or": np.bitwise_or, "bitwise_xor": np.bitwise_xor,
           "bitwise_left_shift": np.left_shift, "bitwise_right_shift": np.right_shift}


def inplace_power(a, op, other):
    """``a **= other``: ``inplace_op`` after what NumPy's ``**=`` does first. It takes a
    Python 2, -1 or 0.5 as square, reciprocal or sqrt (another result than power for
    complex numbers, booleans and float16 / long double square roots), and an integer
    ``a`` raises its errors before anything is written (``_integer_power_errors``)."""
    if other.__class__ is int or other.__class__ is float:
        fast = _registry._numpy_power_shortcut(a.dtype, other, other.__class__)
        if fast is not None:
            return _inplace_unary(a, fast)
    if a.dtype.kind in "iu":
        _integer_power_errors(a, other)
    return inplace_op(a, op, other)


def inplace_op(a, op, other):
    """``a op= other``: NumPy's in-place semantics (dtype of ``a`` kept), recorded
    (``**=``: ``inplace_power`` first)."""
    d = a._data
    # The commonest write, an optimizer's ``p -= lr * g`` outside recording: a NumPy
    # buffer that nothing but ``a`` holds (reference counts: no view of it, no recorded
    # rule saved it, no NumPy code shares it) takes the ufunc's result in place, with no
    # view bookkeeping and no copy-on-write to consider
    if (_COUNTS and type(d) is _ndarray and d.base is None and _refs(d) == 3
            and not _registry._trace_reads):
        ufunc = _UFUNCS.get(op.name)
        if ufunc is not None and (a._node is None or not grad_state.enabled):
            t = type(other)
            if t is float or t is int:
                ufunc(d, other, out=d, casting="same_kind")
                return a
            if t is _registry.Array:
                o = other._data
                if type(o) is _ndarray and (other._node is None or not grad_state.enabled):
                    ufunc(d, o, out=d, casting="same_kind")
                    return a
    del d
    _registry.note_write(a)
    if op.name == "matmul":
        result = apply(op, (a, other))
        if result.shape != a.shape:
            raise ValueError(f"in-place matmul would change the shape {a.shape} to "
                             f"{result.shape}")
        write(a, Ellipsis, result)
        return a
    return _write_result(a, op, other)


def _integer_power_errors(a, other):
    """NumPy's error for ``a **= e`` with integer ``a`` (a negative integer exponent: its
    ValueError; an out-of-range Python int, a float exponent: its OverflowError and
    casting error), raised before anything is written: NumPy's in-place power writes
    unspecified values into ``a`` before its ValueError, different from run to run. The
    power is tried into a scratch buffer first (integer ``**=`` only)."""
    d = a._data
    o = other._data if isinstance(other, _registry.Array) else other
    if type(d) is _ndarray and isinstance(o, (_ndarray, np.generic, int, float, complex)):
        np.power(d, o, out=np.empty_like(d), casting="same_kind")


def _inplace_unary(a, op):
    """``a = op(a)`` in place (the unary ufunc NumPy's ``**=`` uses instead of
    ``power``)."""
    _registry.note_write(a)
    return _write_result(a, op, None, unary=True)


def _write_result(a, op, other, unary=False):
    """``inplace_op``'s general part: ``op`` of ``a`` (and ``other``) written into
    ``a`` with NumPy's same_kind casting, recorded when ``a``, ``other`` or a view of
    ``a``'s buffer takes part in a gradient computation; else computed into the buffer
    (copied first when a recorded rule saved it)."""
    operands = (a,) if unary else (a, other)
    if grad_state.enabled and (a._node is not None or (not unary and _in_graph(other)) or any(
            _derived(w) for w in _live_views(_root(a)))):
        result = apply(op, operands)
        if result.shape != a.shape:
            raise ValueError(f"operands could not be broadcast in place: result shape "
                             f"{result.shape} does not fit the array's shape {a.shape}")
        if result.dtype != a.dtype and not np.can_cast(result.dtype, a.dtype, "same_kind"):
            raise TypeError(f"cannot cast the result of {op.name} from {result.dtype} to "
                            f"{a.dtype} in place (same_kind casting)")
        write(a, Ellipsis, result)
        return a
    root = _root(a)
    views = _live_views(root)
    if _was_saved(root, views):
        _copy_on_write(root, views)
    d = a._data
    if unary:
        if type(d) is _ndarray:
            getattr(np, op.name)(d, out=d, casting="same_kind")   # (NumPy's own error)
            return a
        result = op.forward(_xp(d), d)
        if result.dtype != d.dtype and not np.can_cast(result.dtype, d.dtype, "same_kind"):
            raise TypeError(f"cannot cast the result of {op.name} from {result.dtype} to "
                            f"{d.dtype} in place (same_kind casting)")
    else:
        o = other._data if isinstance(other, _registry.Array) else other
        if type(d) is _ndarray and op.name in _UFUNCS:
            if isinstance(other, _registry.Array) and type(o) is not _ndarray:
                raise ValueError(f"arrays are on different devices: cpu and {other.device}")
            _UFUNCS[op.name](d, o, out=d, casting="same_kind")
            return a
        result = op.forward(_xp(d), d, o)
    if tuple(result.shape) != tuple(d.shape):
        raise ValueError(f"operands could not be broadcast in place: result shape "
                         f"{tuple(result.shape)} does not fit the array's shape {a.shape}")
    if 0 in d.shape:
        return a   # nothing to write (and Dask's assignment refuses empty arrays)
    d[...] = result
    return a
